//! Optimiser moments as plain numbers: what a run must carry besides its weights and position
//! to continue exactly on another device, in another worker or in another process.
//!
//! The moments are read from the device asynchronously (so a WebGPU run can be snapshotted) and
//! travel as bytes: a checkpoint file of the CLI, or the buffer beside a page's snapshot. They
//! are framed and checked like a model file ([`inkling_model::frame`]): a JSON index of the
//! parameters, then their moments as little-endian `f32`s.

use inkling_model::frame::{FrameError, FrameKind};
use serde::{Deserialize, Serialize};

/// Version of the byte format written by [`Moments::encode`].
pub const MOMENTS_VERSION: u32 = 1;
/// Indexes over a megabyte are refused before they are parsed (a real one is a few kB).
const FRAME: FrameKind = FrameKind {
    magic: b"INKMOMS\0",
    version: MOMENTS_VERSION,
    oldest: MOMENTS_VERSION,
    max_index: 1 << 20,
};

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
        FRAME.seal(&index, &body)
    }

    /// Parses and checks bytes written by [`Moments::encode`]: magic, version, lengths,
    /// checksum, and an index that accounts for every number.
    pub fn decode(bytes: &[u8]) -> Result<Self, MomentsError> {
        let (index_bytes, body) = FRAME.open(bytes).map_err(|e| match e {
            FrameError::WrongMagic => MomentsError::NotMoments,
            FrameError::UnsupportedVersion { found } => MomentsError::UnsupportedVersion { found },
            FrameError::Truncated { expected, found } => {
                MomentsError::Truncated { expected, found }
            }
            FrameError::TrailingBytes(n) => MomentsError::TrailingBytes(n),
            FrameError::Corrupt => MomentsError::Corrupt,
            FrameError::IndexTooLong(n) => MomentsError::BadIndex(format!("it claims {n} bytes")),
        })?;
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
        // Re-encode with one number fewer in the body than the index says.
        moments.params[0].first.pop();
        let short = moments.encode();
        let index_len = u32::from_le_bytes(short[12..16].try_into().unwrap()) as usize;
        let index = short[28..28 + index_len].to_vec();
        let forged_index = String::from_utf8(index)
            .unwrap()
            .replace("\"first\":2", "\"first\":3");
        let body = &short[28 + index_len..];
        let bytes = FRAME.seal(forged_index.as_bytes(), body);
        let error = Moments::decode(&bytes).unwrap_err();
        assert!(
            matches!(&error, MomentsError::BadIndex(m) if m.contains("28 bytes of numbers but 24")),
            "{error}"
        );
    }
}
