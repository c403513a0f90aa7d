//! Reader for the IDX format that MNIST and Fashion-MNIST ship in, raw or gzip-compressed.
//!
//! The reader trusts nothing: it checks the magic number, element type, rank, every dimension and
//! the exact payload length, and reports each problem as a typed [`IdxError`] so that a corrupt or
//! truncated download produces a message a person can act on.

use std::io::Read;

/// Largest decompressed IDX payload accepted, to stop a corrupt or hostile gzip stream from
/// exhausting memory (the MNIST training images are 47 MB).
pub const MAX_DECOMPRESSED_BYTES: u64 = 256 * 1024 * 1024;

/// Element type code for unsigned bytes, the only type MNIST-like datasets use.
const IDX_TYPE_U8: u8 = 0x08;

/// Everything that can be wrong with IDX bytes.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IdxError {
    /// Fewer bytes than the 4-byte magic number plus the dimension table need.
    #[error("IDX data is too short for its header: {found} bytes, need at least {needed}")]
    HeaderTooShort { found: usize, needed: usize },
    /// The first two bytes must be zero.
    #[error("not an IDX file: magic bytes are {found:02x?}, expected [00, 00, type, rank]")]
    BadMagic { found: [u8; 4] },
    /// Only unsigned-byte payloads are supported.
    #[error("unsupported IDX element type 0x{found:02x}; only unsigned bytes (0x08) are supported")]
    UnsupportedType { found: u8 },
    /// The file has a different number of dimensions than the caller expects.
    #[error("IDX rank is {found}, expected {expected}")]
    WrongRank { expected: usize, found: usize },
    /// A dimension differs from what the caller expects.
    #[error("IDX dimension {axis} is {found}, expected {expected}")]
    WrongDimension {
        axis: usize,
        expected: usize,
        found: usize,
    },
    /// The payload is shorter than the dimensions promise (an interrupted download).
    #[error("IDX data is truncated: header promises {expected} payload bytes, found {found}")]
    Truncated { expected: usize, found: usize },
    /// The payload is longer than the dimensions promise.
    #[error("IDX data has {extra} unexpected trailing bytes")]
    TrailingBytes { extra: usize },
    /// The gzip stream is corrupt or truncated.
    #[error("gzip stream is corrupt or truncated: {0}")]
    Gzip(String),
    /// The decompressed stream is larger than [`MAX_DECOMPRESSED_BYTES`].
    #[error("decompressed IDX data exceeds the {MAX_DECOMPRESSED_BYTES}-byte limit")]
    TooLarge,
}

/// An n-dimensional array of bytes read from an IDX file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdxArray {
    /// Size of each dimension, outermost first.
    pub dims: Vec<usize>,
    /// Row-major payload; its length is the product of `dims`.
    pub data: Vec<u8>,
}

impl IdxArray {
    /// Parses IDX bytes, decompressing them first if they start with the gzip magic.
    pub fn parse(bytes: &[u8]) -> Result<Self, IdxError> {
        if is_gzip(bytes) {
            Self::parse_raw(&gunzip(bytes)?)
        } else {
            Self::parse_raw(bytes)
        }
    }

    /// Parses IDX bytes and checks the shape against `expected`, where `None` accepts any size
    /// for that axis (e.g. the number of examples).
    pub fn parse_with_shape(bytes: &[u8], expected: &[Option<usize>]) -> Result<Self, IdxError> {
        Self::parse(bytes)?.check_shape(expected)
    }

    /// As [`IdxArray::parse_with_shape`], for bytes already decompressed (gzip is refused as a
    /// bad magic number). The page decompresses with the browser's own gzip and parses with
    /// this, so no decompressor is in its download.
    pub fn parse_raw_with_shape(
        bytes: &[u8],
        expected: &[Option<usize>],
    ) -> Result<Self, IdxError> {
        Self::parse_raw(bytes)?.check_shape(expected)
    }

    fn check_shape(self, expected: &[Option<usize>]) -> Result<Self, IdxError> {
        let array = self;
        if array.dims.len() != expected.len() {
            return Err(IdxError::WrongRank {
                expected: expected.len(),
                found: array.dims.len(),
            });
        }
        for (axis, (&found, want)) in array.dims.iter().zip(expected).enumerate() {
            if let Some(want) = *want
                && found != want
            {
                return Err(IdxError::WrongDimension {
                    axis,
                    expected: want,
                    found,
                });
            }
        }
        Ok(array)
    }

    fn parse_raw(bytes: &[u8]) -> Result<Self, IdxError> {
        if bytes.len() < 4 {
            return Err(IdxError::HeaderTooShort {
                found: bytes.len(),
                needed: 4,
            });
        }
        let magic = [bytes[0], bytes[1], bytes[2], bytes[3]];
        if magic[0] != 0 || magic[1] != 0 || magic[3] == 0 {
            return Err(IdxError::BadMagic { found: magic });
        }
        if magic[2] != IDX_TYPE_U8 {
            return Err(IdxError::UnsupportedType { found: magic[2] });
        }
        let rank = magic[3] as usize;
        let header_len = 4 + 4 * rank;
        if bytes.len() < header_len {
            return Err(IdxError::HeaderTooShort {
                found: bytes.len(),
                needed: header_len,
            });
        }
        let dims: Vec<usize> = bytes[4..header_len]
            .chunks_exact(4)
            .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize)
            .collect();
        let expected = dims
            .iter()
            .try_fold(1usize, |acc, &d| acc.checked_mul(d))
            .filter(|&n| n as u64 <= MAX_DECOMPRESSED_BYTES)
            .ok_or(IdxError::TooLarge)?;
        let payload = &bytes[header_len..];
        if payload.len() < expected {
            return Err(IdxError::Truncated {
                expected,
                found: payload.len(),
            });
        }
        if payload.len() > expected {
            return Err(IdxError::TrailingBytes {
                extra: payload.len() - expected,
            });
        }
        Ok(Self {
            dims,
            data: payload.to_vec(),
        })
    }
}

/// Whether `bytes` start with the gzip magic number.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// Decompresses a whole gzip stream, refusing outputs over [`MAX_DECOMPRESSED_BYTES`].
pub fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, IdxError> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(MAX_DECOMPRESSED_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| IdxError::Gzip(e.to_string()))?;
    if out.len() as u64 > MAX_DECOMPRESSED_BYTES {
        return Err(IdxError::TooLarge);
    }
    Ok(out)
}

/// Encodes bytes as an IDX file of unsigned bytes; used by tests and by tools that write subsets.
pub fn encode_u8(dims: &[usize], data: &[u8]) -> Vec<u8> {
    assert_eq!(
        dims.iter().product::<usize>(),
        data.len(),
        "dims and data disagree"
    );
    let mut out = vec![0, 0, IDX_TYPE_U8, dims.len() as u8];
    for &d in dims {
        out.extend_from_slice(&(d as u32).to_be_bytes());
    }
    out.extend_from_slice(data);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    fn sample() -> Vec<u8> {
        encode_u8(&[2, 3, 3], &(0..18).collect::<Vec<u8>>())
    }

    #[test]
    fn reads_raw_and_gzip() {
        for bytes in [sample(), gzip(&sample())] {
            let a = IdxArray::parse_with_shape(&bytes, &[None, Some(3), Some(3)]).unwrap();
            assert_eq!(a.dims, vec![2, 3, 3]);
            assert_eq!(a.data, (0..18).collect::<Vec<u8>>());
        }
    }

    #[test]
    fn truncated_payload_is_reported_with_sizes() {
        let bytes = sample();
        let err = IdxArray::parse(&bytes[..bytes.len() - 5]).unwrap_err();
        assert_eq!(
            err,
            IdxError::Truncated {
                expected: 18,
                found: 13
            }
        );
    }

    #[test]
    fn truncated_gzip_is_a_gzip_error() {
        let gz = gzip(&sample());
        let err = IdxArray::parse(&gz[..gz.len() / 2]).unwrap_err();
        assert!(matches!(err, IdxError::Gzip(_)), "{err:?}");
    }

    #[test]
    fn truncated_header() {
        let bytes = sample();
        assert!(matches!(
            IdxArray::parse(&bytes[..2]),
            Err(IdxError::HeaderTooShort { .. })
        ));
        assert!(matches!(
            IdxArray::parse(&bytes[..9]),
            Err(IdxError::HeaderTooShort { needed: 16, .. })
        ));
    }

    #[test]
    fn bad_magic_and_type() {
        let mut bytes = sample();
        bytes[0] = 0x42;
        assert!(matches!(
            IdxArray::parse(&bytes),
            Err(IdxError::BadMagic { .. })
        ));
        let mut bytes = sample();
        bytes[2] = 0x0D; // float
        assert_eq!(
            IdxArray::parse(&bytes),
            Err(IdxError::UnsupportedType { found: 0x0D })
        );
        // A PNG is not IDX.
        assert!(matches!(
            IdxArray::parse(b"\x89PNG\r\n\x1a\n...."),
            Err(IdxError::BadMagic { .. })
        ));
    }

    #[test]
    fn wrong_rank_and_dimensions() {
        let bytes = sample();
        assert_eq!(
            IdxArray::parse_with_shape(&bytes, &[None]),
            Err(IdxError::WrongRank {
                expected: 1,
                found: 3
            })
        );
        assert_eq!(
            IdxArray::parse_with_shape(&bytes, &[None, Some(28), Some(28)]),
            Err(IdxError::WrongDimension {
                axis: 1,
                expected: 28,
                found: 3
            })
        );
    }

    #[test]
    fn trailing_bytes_are_rejected() {
        let mut bytes = sample();
        bytes.push(1);
        assert_eq!(
            IdxArray::parse(&bytes),
            Err(IdxError::TrailingBytes { extra: 1 })
        );
    }

    #[test]
    fn absurd_dimensions_do_not_allocate() {
        let mut bytes = vec![0, 0, 8, 3];
        for _ in 0..3 {
            bytes.extend_from_slice(&u32::MAX.to_be_bytes());
        }
        assert_eq!(IdxArray::parse(&bytes), Err(IdxError::TooLarge));
    }
}
