//! The pretrained model the web app ships must decode into the current architecture and keep
//! its accuracy on the real MNIST test set.

use burn::tensor::Device;
use inkling_data::{DatasetKind, Split};
use inkling_model::{ModelConfig, ModelFile};
use inkling_tests::{load, repo_root};

#[test]
fn shipped_dsd_s_decodes_into_the_current_architecture_and_scores_at_least_99_4() {
    let path = repo_root().join("www/models/dsd-s.inkling");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file = ModelFile::decode(&bytes).unwrap();
    assert_eq!(file.header.dataset, DatasetKind::Mnist);
    let expected = ModelConfig::preset("dsd-s").unwrap();
    let device = Device::flex();
    let network = file
        .load_expecting(&expected, &device)
        .expect("the shipped weights fit today's dsd-s");

    let test = load(DatasetKind::Mnist, Split::Test);
    assert_eq!(test.len(), 10_000);
    let eval = pollster::block_on(inkling_train::evaluate(&network, &test, 1000, &device)).unwrap();
    let accuracy = eval.accuracy();
    println!(
        "shipped dsd-s: {:.2} % on the MNIST test set",
        accuracy * 100.0
    );
    assert!(
        accuracy >= 0.994,
        "shipped model scores {:.2} %",
        accuracy * 100.0
    );
    if let Some(recorded) = file.header.test_accuracy {
        assert!(
            (recorded - accuracy).abs() < 1e-9,
            "header says {recorded}, measured {accuracy}"
        );
    }
}
