//! Why this digit: which parts of the input drove the prediction, by occlusion sensitivity.
//! Each 4x4 patch of the digit in turn is set to blank paper and the digit is read again; a
//! pixel's score is how much the predicted class's probability fell, averaged over the patches
//! that cover it. Occlusion rather than input gradients because it needs only forward passes
//! (the page reads without autodiff, which would add to its download), it answers in the model's
//! own terms ("without this part, 9 drops from 97 % to 40 %"), and it is not the noisy
//! per-pixel picture raw gradients give. A patch over blank paper changes nothing, so only
//! patches that touch ink are read: about a hundred images for a digit, one batch.

use crate::{INPUT_SIDE, NUM_CLASSES};

/// Side of the square hidden at a time, in input pixels.
pub const OCCLUSION_PATCH: usize = 4;
/// Step between neighbouring patches.
pub const OCCLUSION_STRIDE: usize = 2;

/// The copies of a digit to read: one per patch position that covers ink, that patch blanked.
#[derive(Debug, Clone, PartialEq)]
pub struct Occlusions {
    /// Top-left corner `(row, col)` of each blanked patch.
    pub patches: Vec<(usize, usize)>,
    /// The copies, 784 values each, in the order of `patches`.
    pub inputs: Vec<f32>,
}

/// The occluded copies of `pixels` (784 ink levels, ink = 1).
pub fn occlusions(pixels: &[f32]) -> Occlusions {
    assert_eq!(pixels.len(), INPUT_SIDE * INPUT_SIDE, "a digit is 28x28");
    let mut patches = Vec::new();
    let mut inputs = Vec::new();
    for row in (0..=INPUT_SIDE - OCCLUSION_PATCH).step_by(OCCLUSION_STRIDE) {
        for col in (0..=INPUT_SIDE - OCCLUSION_PATCH).step_by(OCCLUSION_STRIDE) {
            let covered = || {
                (row..row + OCCLUSION_PATCH).flat_map(move |r| {
                    (col..col + OCCLUSION_PATCH).map(move |c| r * INPUT_SIDE + c)
                })
            };
            if covered().all(|i| pixels[i] == 0.0) {
                continue;
            }
            let start = inputs.len();
            inputs.extend_from_slice(pixels);
            for i in covered() {
                inputs[start + i] = 0.0;
            }
            patches.push((row, col));
        }
    }
    Occlusions { patches, inputs }
}

/// What drove one reading.
#[derive(Debug, Clone, PartialEq)]
pub struct Saliency {
    /// The class read.
    pub class: usize,
    /// Its probability with nothing hidden.
    pub probability: f32,
    /// Per input pixel, row by row: the mean fall in the class's probability when a patch
    /// over it is hidden (negative where hiding it made the class more likely).
    pub map: Vec<f32>,
}

impl Saliency {
    /// Combines the reading of the whole digit (`probabilities`, ten values) with the readings
    /// of its `occlusions` (ten per copy, in order).
    pub fn from_readings(probabilities: &[f32], occlusions: &Occlusions, occluded: &[f32]) -> Self {
        assert_eq!(occluded.len(), occlusions.patches.len() * NUM_CLASSES);
        let (class, probability) = crate::best(probabilities);
        let mut sum = vec![0.0f32; INPUT_SIDE * INPUT_SIDE];
        for (&(row, col), answer) in occlusions.patches.iter().zip(occluded.chunks(NUM_CLASSES)) {
            let fall = probability - answer[class];
            for r in row..row + OCCLUSION_PATCH {
                for c in col..col + OCCLUSION_PATCH {
                    sum[r * INPUT_SIDE + c] += fall;
                }
            }
        }
        // Every pixel is averaged over all the patch positions that cover it; those not read
        // (blank paper) changed nothing.
        let cover = |x: usize| {
            (0..=INPUT_SIDE - OCCLUSION_PATCH)
                .step_by(OCCLUSION_STRIDE)
                .filter(|&start| (start..start + OCCLUSION_PATCH).contains(&x))
                .count() as f32
        };
        let map = sum
            .iter()
            .enumerate()
            .map(|(i, s)| s / (cover(i / INPUT_SIDE) * cover(i % INPUT_SIDE)))
            .collect();
        Self {
            class,
            probability,
            map,
        }
    }

    /// The largest score's size (for one colour scale).
    pub fn max_abs(&self) -> f32 {
        self.map.iter().fold(0.0, |m, v| m.max(v.abs()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar() -> Vec<f32> {
        // A vertical bar in columns 12..16, rows 4..24.
        (0..784)
            .map(|i| {
                let (r, c) = (i / 28, i % 28);
                if (4..24).contains(&r) && (12..16).contains(&c) {
                    1.0
                } else {
                    0.0
                }
            })
            .collect()
    }

    #[test]
    fn only_patches_that_touch_ink_are_read_each_blanking_its_own_square() {
        let digit = bar();
        let o = occlusions(&digit);
        // Patch rows 2..=22 (11 of them) by patch columns 10, 12, 14 (3): 33 copies.
        assert_eq!(o.patches.len(), 33);
        assert_eq!(o.inputs.len(), 33 * 784);
        for (n, &(row, col)) in o.patches.iter().enumerate() {
            let copy = &o.inputs[n * 784..(n + 1) * 784];
            for i in 0..784 {
                let (r, c) = (i / 28, i % 28);
                let inside = (row..row + 4).contains(&r) && (col..col + 4).contains(&c);
                assert_eq!(copy[i], if inside { 0.0 } else { digit[i] });
            }
        }
        assert!(occlusions(&[0.0; 784]).patches.is_empty());
    }

    #[test]
    fn a_pixel_scores_the_mean_fall_of_the_patches_over_it() {
        let digit = bar();
        let o = occlusions(&digit);
        let mut base = vec![0.0; 10];
        base[1] = 0.9;
        base[7] = 0.1;
        // Hiding the patch at (10, 12) drops the 1 to 0.1; every other patch changes nothing.
        let occluded: Vec<f32> = o
            .patches
            .iter()
            .flat_map(|&p| {
                let mut a = base.clone();
                if p == (10, 12) {
                    a[1] = 0.1;
                    a[7] = 0.9;
                }
                a
            })
            .collect();
        let s = Saliency::from_readings(&base, &o, &occluded);
        assert_eq!((s.class, s.probability), (1, 0.9));
        // Pixel (11, 13) is covered by 2x2 patch positions, one of which fell by 0.8.
        assert!((s.map[11 * 28 + 13] - 0.2).abs() < 1e-6);
        // A corner pixel of that patch, (10, 12), has 2x2 covering positions too.
        assert!((s.map[10 * 28 + 12] - 0.2).abs() < 1e-6);
        // Outside it nothing changed.
        assert_eq!(s.map[20 * 28 + 13], 0.0);
        assert_eq!(s.map[0], 0.0);
        assert!((s.max_abs() - 0.2).abs() < 1e-6);
    }
}
