//! The checked frame around Inkling's binary files (model files, optimiser moments): a magic,
//! a format version, the lengths of a JSON index and of a body, and a CRC-32 of both, so that
//! every way the bytes can be wrong is told apart before anything is parsed.
//!
//! Layout (little-endian):
//!
//! | bytes | content |
//! |---|---|
//! | 0..8 | magic |
//! | 8..12 | format version (`u32`) |
//! | 12..16 | index length `H` (`u32`) |
//! | 16..24 | body length `W` (`u64`) |
//! | 24..28 | CRC-32 of index and body |
//! | 28..28+H | index |
//! | 28+H..28+H+W | body |
//!
//! The CRC-32 (IEEE 802.3) catches damaged downloads and copies; it is not a security measure.

/// Bytes before the index.
pub const PREAMBLE: usize = 28;

/// What a kind of file is framed with.
#[derive(Debug, Clone, Copy)]
pub struct FrameKind {
    /// The first eight bytes.
    pub magic: &'static [u8; 8],
    /// The format version written, and the newest read.
    pub version: u32,
    /// The oldest format version still read (a reader of an older layout must know it).
    pub oldest: u32,
    /// Indexes longer than this are refused before they are read.
    pub max_index: usize,
}

/// Why bytes are not a well-formed frame of a kind.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FrameError {
    /// The bytes do not start with the kind's magic.
    #[error("wrong magic bytes")]
    WrongMagic,
    /// A newer or unknown version.
    #[error("format version {found}")]
    UnsupportedVersion { found: u32 },
    /// Fewer bytes than the lengths announce.
    #[error("truncated: expected {expected} bytes, found {found}")]
    Truncated { expected: u64, found: u64 },
    /// More bytes than the lengths announce.
    #[error("{0} trailing bytes")]
    TrailingBytes(u64),
    /// The checksum does not match the content.
    #[error("checksum mismatch")]
    Corrupt,
    /// The index claims more than the kind allows.
    #[error("the index claims {0} bytes")]
    IndexTooLong(usize),
}

impl FrameKind {
    /// Frames `index` and `body`.
    pub fn seal(&self, index: &[u8], body: &[u8]) -> Vec<u8> {
        let mut crc = crc32fast::Hasher::new();
        crc.update(index);
        crc.update(body);
        let mut out = Vec::with_capacity(PREAMBLE + index.len() + body.len());
        out.extend_from_slice(self.magic);
        out.extend_from_slice(&self.version.to_le_bytes());
        out.extend_from_slice(&(index.len() as u32).to_le_bytes());
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(&crc.finalize().to_le_bytes());
        out.extend_from_slice(index);
        out.extend_from_slice(body);
        out
    }

    /// The index and body of `bytes`, after checking magic, version, lengths and checksum (in
    /// that order).
    pub fn open<'a>(&self, bytes: &'a [u8]) -> Result<(&'a [u8], &'a [u8]), FrameError> {
        let magic = self.magic.len();
        if bytes.len() < magic || &bytes[..magic] != self.magic {
            return Err(FrameError::WrongMagic);
        }
        let found = bytes.len() as u64;
        if bytes.len() < PREAMBLE {
            return Err(FrameError::Truncated {
                expected: PREAMBLE as u64,
                found,
            });
        }
        let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes"));
        let version = u32_at(8);
        if !(self.oldest..=self.version).contains(&version) {
            return Err(FrameError::UnsupportedVersion { found: version });
        }
        let index_len = u32_at(12) as usize;
        let body_len = u64::from_le_bytes(bytes[16..24].try_into().expect("8 bytes"));
        let stored_crc = u32_at(24);
        if index_len > self.max_index {
            return Err(FrameError::IndexTooLong(index_len));
        }
        let expected = (PREAMBLE as u64)
            .saturating_add(index_len as u64)
            .saturating_add(body_len);
        if found < expected {
            return Err(FrameError::Truncated { expected, found });
        }
        if found > expected {
            return Err(FrameError::TrailingBytes(found - expected));
        }
        let (index, body) = bytes[PREAMBLE..].split_at(index_len);
        let mut crc = crc32fast::Hasher::new();
        crc.update(index);
        crc.update(body);
        if crc.finalize() != stored_crc {
            return Err(FrameError::Corrupt);
        }
        Ok((index, body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KIND: FrameKind = FrameKind {
        magic: b"TESTING\0",
        version: 3,
        oldest: 2,
        max_index: 64,
    };

    #[test]
    fn crc32_matches_the_standard_check_value() {
        let mut crc = crc32fast::Hasher::new();
        crc.update(b"123456789");
        assert_eq!(crc.finalize(), 0xCBF4_3926);
    }

    #[test]
    fn a_sealed_frame_opens_to_its_parts() {
        let bytes = KIND.seal(b"{\"a\":1}", &[1, 2, 3]);
        assert_eq!(KIND.open(&bytes), Ok((&b"{\"a\":1}"[..], &[1u8, 2, 3][..])));
        assert_eq!(KIND.open(&KIND.seal(b"", b"")), Ok((&b""[..], &b""[..])));
    }

    #[test]
    fn every_version_from_the_oldest_opens() {
        let mut bytes = KIND.seal(b"index", b"body");
        bytes[8] = 2;
        assert_eq!(KIND.open(&bytes), Ok((&b"index"[..], &b"body"[..])));
    }

    #[test]
    fn each_damage_has_its_own_error() {
        let bytes = KIND.seal(b"index", b"body");
        assert_eq!(KIND.open(b"TEST"), Err(FrameError::WrongMagic));
        assert_eq!(
            KIND.open(&bytes[..20]),
            Err(FrameError::Truncated {
                expected: 28,
                found: 20
            })
        );
        assert_eq!(
            KIND.open(&bytes[..bytes.len() - 1]),
            Err(FrameError::Truncated {
                expected: 37,
                found: 36
            })
        );
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(KIND.open(&longer), Err(FrameError::TrailingBytes(1)));
        let mut flipped = bytes.clone();
        flipped[30] ^= 1;
        assert_eq!(KIND.open(&flipped), Err(FrameError::Corrupt));
        let mut newer = bytes.clone();
        newer[8] = 4;
        assert_eq!(
            KIND.open(&newer),
            Err(FrameError::UnsupportedVersion { found: 4 })
        );
        let mut older = bytes.clone();
        older[8] = 1;
        assert_eq!(
            KIND.open(&older),
            Err(FrameError::UnsupportedVersion { found: 1 })
        );
        let mut huge = bytes;
        huge[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(
            KIND.open(&huge),
            Err(FrameError::IndexTooLong(u32::MAX as usize))
        );
    }
}
