//! Which input pixels one unit of a spatial layer can see: its receptive field, computed
//! exactly from each window's kernel, stride, padding and dilation (so a dilated layer's gaps
//! show), not just its size. The page highlights it and `inkling layers --at` prints it; a test
//! checks it against gradients.

use super::SpatialLayer;
use crate::INPUT_SIDE;
use crate::config::ModelConfig;

/// The input pixels that can influence one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceptiveField {
    /// 28x28 flags, row by row: whether the pixel can influence the unit.
    pub pixels: Vec<bool>,
}

/// A unit that is not in the network.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnitError {
    /// No spatial layer has this name.
    #[error("no layer called {name:?}; this network's spatial layers are: {known}")]
    NoLayer {
        /// The name asked for.
        name: String,
        /// The names there are.
        known: String,
    },
    /// The position is outside the layer's maps.
    #[error("{layer} is {side}x{side}: row and column must be below {side}, got ({row}, {col})")]
    Outside {
        /// The layer.
        layer: String,
        /// Its maps' side.
        side: usize,
        /// Row asked for.
        row: usize,
        /// Column asked for.
        col: usize,
    },
}

impl ReceptiveField {
    /// How many input pixels can influence the unit.
    pub fn count(&self) -> usize {
        self.pixels.iter().filter(|&&p| p).count()
    }

    /// Whether the pixel at (`row`, `col`) can influence the unit.
    pub fn contains(&self, row: usize, col: usize) -> bool {
        self.pixels[row * INPUT_SIDE + col]
    }

    /// Height and width of the smallest box holding every pixel (gaps included).
    pub fn extent(&self) -> (usize, usize) {
        let rows: Vec<usize> = (0..INPUT_SIDE)
            .filter(|&r| (0..INPUT_SIDE).any(|c| self.contains(r, c)))
            .collect();
        let cols: Vec<usize> = (0..INPUT_SIDE)
            .filter(|&c| (0..INPUT_SIDE).any(|r| self.contains(r, c)))
            .collect();
        let span = |v: &[usize]| v.last().map_or(0, |last| last - v[0] + 1);
        (span(&rows), span(&cols))
    }
}

impl ModelConfig {
    /// The receptive field of the unit at (`row`, `col`) of the spatial layer called `layer`
    /// (every channel of a layer sees the same pixels).
    pub fn receptive_field_of(
        &self,
        layer: &str,
        row: usize,
        col: usize,
    ) -> Result<ReceptiveField, UnitError> {
        let layers = self.spatial_layers();
        let Some(index) = layers.iter().position(|l| l.name == layer) else {
            return Err(UnitError::NoLayer {
                name: layer.to_string(),
                known: layers
                    .iter()
                    .map(|l| l.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        };
        let side = layers[index].side;
        if row >= side || col >= side {
            return Err(UnitError::Outside {
                layer: layer.to_string(),
                side,
                row,
                col,
            });
        }
        Ok(receptive_field(&layers[..=index], row, col))
    }
}

/// Walks from the unit at (`row`, `col`) of the last of `layers` back to the input, one window
/// at a time: an output position sees input position `out * stride - padding + tap *
/// dilation` for each tap, where that lies inside the map (padding is zeros, which carry
/// nothing).
fn receptive_field(layers: &[SpatialLayer], row: usize, col: usize) -> ReceptiveField {
    // The side of the maps each window reads, from the input up.
    let mut sides = vec![INPUT_SIDE];
    for window in layers.iter().flat_map(|l| &l.windows) {
        sides.push(window.output_side(*sides.last().expect("starts with the input")));
    }
    let mut side = sides.pop().expect("starts with the input");
    let mut seen = vec![false; side * side];
    seen[row * side + col] = true;
    for window in layers.iter().flat_map(|l| &l.windows).rev() {
        let input = sides.pop().expect("one side per window");
        let mut reached = vec![false; input * input];
        let taps = |out: usize| {
            (0..window.kernel).filter_map(move |tap| {
                (out * window.stride + tap * window.dilation)
                    .checked_sub(window.padding)
                    .filter(|&p| p < input)
            })
        };
        for (index, _) in seen.iter().enumerate().filter(|(_, s)| **s) {
            for r in taps(index / side) {
                for c in taps(index % side) {
                    reached[r * input + c] = true;
                }
            }
        }
        seen = reached;
        side = input;
    }
    debug_assert_eq!(side, INPUT_SIDE);
    ReceptiveField { pixels: seen }
}
