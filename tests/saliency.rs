//! "Why this digit" must point at what the reading depends on: on real MNIST test digits read
//! by the page's default model, blanking the ink pixels the occlusion map ranks highest must
//! hurt the prediction far more than blanking as many ink pixels chosen at random (the
//! "deletion" check of saliency methods).

use burn::tensor::Device;
use inkling_data::rng::Rng;
use inkling_data::{DatasetKind, Split};
use inkling_model::{DigitReader, ModelFile};
use inkling_tests::{load, repo_root};

/// Digits checked, and ink pixels blanked in each.
const DIGITS: usize = 100;
const BLANKED: usize = 30;

#[test]
fn blanking_the_most_salient_ink_hurts_the_reading_far_more_than_blanking_random_ink() {
    let bytes = std::fs::read(repo_root().join("www/models/dsd-s-int8.inkling")).unwrap();
    let reader = DigitReader::new(ModelFile::decode(&bytes).unwrap(), &Device::flex()).unwrap();
    let test = load(DatasetKind::Mnist, Split::Test);
    let mut rng = Rng::new(11);
    let (mut salient_fall, mut random_fall) = (0.0f64, 0.0f64);
    let (mut salient_flips, mut random_flips) = (0, 0);
    for index in 0..DIGITS {
        let digit: Vec<f32> = test
            .image(index)
            .iter()
            .map(|&p| p as f32 / 255.0)
            .collect();
        let why = pollster::block_on(reader.why(&digit)).unwrap();
        let reading = pollster::block_on(reader.probabilities(&digit)).unwrap();
        assert!((reading[why.class] - why.probability).abs() < 1e-5);
        let mut ink: Vec<usize> = (0..784).filter(|&i| digit[i] > 0.0).collect();
        assert!(ink.len() > BLANKED, "test digit {index} has little ink");
        let blank = |pixels: &[usize]| {
            let mut copy = digit.clone();
            for &i in pixels {
                copy[i] = 0.0;
            }
            let p = pollster::block_on(reader.probabilities(&copy)).unwrap();
            let flipped = p
                .iter()
                .enumerate()
                .any(|(c, &q)| c != why.class && q > p[why.class]);
            ((why.probability - p[why.class]) as f64, flipped)
        };
        ink.sort_by(|&a, &b| why.map[b].total_cmp(&why.map[a]));
        let (fall, flipped) = blank(&ink[..BLANKED]);
        salient_fall += fall;
        salient_flips += flipped as usize;
        rng.shuffle(&mut ink);
        let (fall, flipped) = blank(&ink[..BLANKED]);
        random_fall += fall;
        random_flips += flipped as usize;
    }
    let (salient, random) = (salient_fall / DIGITS as f64, random_fall / DIGITS as f64);
    println!(
        "blanking {BLANKED} ink pixels of {DIGITS} test digits: the most salient lower the class's \
         probability by {:.1} points on average and change {salient_flips} readings; random ink \
         by {:.1} points, {random_flips} readings",
        salient * 100.0,
        random * 100.0
    );
    assert!(
        salient > 3.0 * random.max(0.005),
        "salient {salient:.4} vs random {random:.4}"
    );
    assert!(salient_flips > random_flips);
}
