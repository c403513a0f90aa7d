//! Optimiser moments as plain numbers: what a run must carry besides its weights and position
//! to continue exactly on another device, in another worker or in another process.
//!
//! The moments are read from the device asynchronously (so a WebGPU run can be snapshotted) and
//! travel as bytes: a checkpoint file of the CLI, or the buffer beside a page's snapshot. The
//! format is small and checked like a model file: magic, version, lengths, CRC-32, a JSON index,
//! then little-endian `f32`s.

use serde::{Deserialize, Serialize};

const MAGIC: &[u8; 8] = b"INKMOMS\0";
/// Version of the byte format written by [`Moments::encode`].
pub const MOMENTS_VERSION: u32 = 1;
/// Magic, version, index length, body length, CRC-32.
const PREAMBLE: usize = 28;
/// An index longer than this is refused before it is parsed.
const MAX_INDEX: usize = 1 << 20;

/// Why bytes are not usable moments.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MomentsError {
    /// The bytes do not start like a moments file.
    #[error("not optimiser moments (the first bytes are wrong)")]
    NotMoments,
    /// A newer or unknown format version.
    #[error(
        "optimiser moments of format version {found}; this build reads version {MOMENTS_VERSION}"
    )]
    UnsupportedVersion { found: u32 },
    /// Fewer bytes than the lengths announce.
    #[error("optimiser moments are truncated: {found} of {expected} bytes")]
    Truncated { expected: u64, found: u64 },
    /// More bytes than the lengths announce.
    #[error("optimiser moments have {0} bytes too many")]
    TrailingBytes(u64),
    /// The checksum does not match the content.
    #[error("optimiser moments are damaged (checksum mismatch)")]
    Corrupt,
    /// The index is not valid or does not describe the numbers that follow it.
    #[error("optimiser moments have a bad index: {0}")]
    BadIndex(String),
}

/// The optimiser state of one parameter tensor.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamMoments {
    /// The parameter's path in the network, e.g. `blocks.0.pointwise.weight`.
    pub path: String,
    /// Updates applied so far (Adam's bias correction needs it).
    pub time: u64,
    /// First moment (Adam) or velocity (SGD with momentum), flattened; empty when unused.
    pub first: Vec<f32>,
    /// Second moment (Adam); empty when unused.
    pub second: Vec<f32>,
}

/// The optimiser state of a whole network.
#[derive(Debug, Clone, PartialEq)]
pub struct Moments {
    /// Which optimiser they belong to, by its name (`sgd`, `adam`, `adamw`).
    pub optimizer: String,
    /// One entry per parameter that has been updated at least once.
    pub params: Vec<ParamMoments>,
}

#[derive(Serialize, Deserialize)]
struct Index {
    optimizer: String,
    params: Vec<IndexEntry>,
}

#[derive(Serialize, Deserialize)]
struct IndexEntry {
    path: String,
    time: u64,
    first: u64,
    second: u64,
}

impl Moments {
    /// Numbers held, all parameters together.
    pub fn len(&self) -> usize {
        self.params
            .iter()
            .map(|p| p.first.len() + p.second.len())
            .sum()
    }

    /// Whether no parameter has moments yet (nothing was updated, or plain SGD).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Serialises the moments.
    pub fn encode(&self) -> Vec<u8> {
        let index = Index {
            optimizer: self.optimizer.clone(),
            params: self
                .params
                .iter()
                .map(|p| IndexEntry {
                    path: p.path.clone(),
                    time: p.time,
                    first: p.first.len() as u64,
                    second: p.second.len() as u64,
                })
                .collect(),
        };
        let index = serde_json::to_vec(&index).expect("an index always serialises");
        let body: Vec<u8> = self
            .params
            .iter()
            .flat_map(|p| p.first.iter().chain(&p.second))
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let mut crc = crc32fast::Hasher::new();
        crc.update(&index);
        crc.update(&body);
        let mut out = Vec::with_capacity(PREAMBLE + index.len() + body.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&MOMENTS_VERSION.to_le_bytes());
        out.extend_from_slice(&(index.len() as u32).to_le_bytes());
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(&crc.finalize().to_le_bytes());
        out.extend_from_slice(&index);
        out.extend_from_slice(&body);
        out
    }

    /// Parses and checks bytes written by [`Moments::encode`]: magic, version, lengths,
    /// checksum, and an index that accounts for every number.
    pub fn decode(bytes: &[u8]) -> Result<Self, MomentsError> {
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(MomentsError::NotMoments);
        }
        let found = bytes.len() as u64;
        if bytes.len() < PREAMBLE {
            return Err(MomentsError::Truncated {
                expected: PREAMBLE as u64,
                found,
            });
        }
        let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes"));
        let version = u32_at(8);
        if version != MOMENTS_VERSION {
            return Err(MomentsError::UnsupportedVersion { found: version });
        }
        let index_len = u32_at(12) as usize;
        let body_len = u64::from_le_bytes(bytes[16..24].try_into().expect("8 bytes"));
        let stored_crc = u32_at(24);
        if index_len > MAX_INDEX {
            return Err(MomentsError::BadIndex(format!(
                "it claims {index_len} bytes"
            )));
        }
        let expected = (PREAMBLE as u64)
            .saturating_add(index_len as u64)
            .saturating_add(body_len);
        if found < expected {
            return Err(MomentsError::Truncated { expected, found });
        }
        if found > expected {
            return Err(MomentsError::TrailingBytes(found - expected));
        }
        let index_bytes = &bytes[PREAMBLE..PREAMBLE + index_len];
        let body = &bytes[PREAMBLE + index_len..];
        let mut crc = crc32fast::Hasher::new();
        crc.update(index_bytes);
        crc.update(body);
        if crc.finalize() != stored_crc {
            return Err(MomentsError::Corrupt);
        }
        let index: Index = serde_json::from_slice(index_bytes)
            .map_err(|e| MomentsError::BadIndex(e.to_string()))?;
        let numbers = index
            .params
            .iter()
            .try_fold(0u64, |sum, p| {
                sum.checked_add(p.first)?.checked_add(p.second)
            })
            .and_then(|n| n.checked_mul(4))
            .ok_or_else(|| MomentsError::BadIndex("the lengths overflow".into()))?;
        if numbers != body.len() as u64 {
            return Err(MomentsError::BadIndex(format!(
                "it describes {numbers} bytes of numbers but {} follow",
                body.len()
            )));
        }
        let mut values = body
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")));
        let params = index
            .params
            .into_iter()
            .map(|p| ParamMoments {
                first: values.by_ref().take(p.first as usize).collect(),
                second: values.by_ref().take(p.second as usize).collect(),
                path: p.path,
                time: p.time,
            })
            .collect();
        Ok(Self {
            optimizer: index.optimizer,
            params,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Moments {
        Moments {
            optimizer: "adam".into(),
            params: vec![
                ParamMoments {
                    path: "stem.conv.weight".into(),
                    time: 7,
                    first: vec![0.5, -1.25, 3.0],
                    second: vec![0.25, 1.5625, 9.0],
                },
                ParamMoments {
                    path: "head.bias".into(),
                    time: 7,
                    first: vec![f32::MIN_POSITIVE],
                    second: vec![],
                },
            ],
        }
    }

    #[test]
    fn round_trips_exactly() {
        let moments = sample();
        let bytes = moments.encode();
        assert_eq!(Moments::decode(&bytes), Ok(moments.clone()));
        assert_eq!(moments.len(), 7);
        assert!(!moments.is_empty());
    }

    #[test]
    fn damaged_bytes_are_refused_by_name() {
        let bytes = sample().encode();
        assert_eq!(
            Moments::decode(b"INKLING\0rest"),
            Err(MomentsError::NotMoments)
        );
        assert!(matches!(
            Moments::decode(&bytes[..bytes.len() - 1]),
            Err(MomentsError::Truncated { .. })
        ));
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(
            Moments::decode(&longer),
            Err(MomentsError::TrailingBytes(1))
        );
        let mut flipped = bytes.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(Moments::decode(&flipped), Err(MomentsError::Corrupt));
        let mut newer = bytes;
        newer[8] = 2;
        assert_eq!(
            Moments::decode(&newer),
            Err(MomentsError::UnsupportedVersion { found: 2 })
        );
    }

    #[test]
    fn an_index_that_miscounts_the_numbers_is_refused() {
        let mut moments = sample();
        let mut bytes = moments.encode();
        // Re-encode with one number fewer in the body than the index says.
        moments.params[0].first.pop();
        let short = moments.encode();
        let index_len = u32::from_le_bytes(short[12..16].try_into().unwrap()) as usize;
        let index = short[28..28 + index_len].to_vec();
        let forged_index = String::from_utf8(index)
            .unwrap()
            .replace("\"first\":2", "\"first\":3");
        let body = &short[28 + index_len..];
        bytes.truncate(8);
        bytes.extend_from_slice(&MOMENTS_VERSION.to_le_bytes());
        bytes.extend_from_slice(&(forged_index.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&(body.len() as u64).to_le_bytes());
        let mut crc = crc32fast::Hasher::new();
        crc.update(forged_index.as_bytes());
        crc.update(body);
        bytes.extend_from_slice(&crc.finalize().to_le_bytes());
        bytes.extend_from_slice(forged_index.as_bytes());
        bytes.extend_from_slice(body);
        let error = Moments::decode(&bytes).unwrap_err();
        assert!(
            matches!(&error, MomentsError::BadIndex(m) if m.contains("28 bytes of numbers but 24")),
            "{error}"
        );
    }
}
