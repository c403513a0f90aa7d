//! The native GPU backend against the CPU (only in builds with the `wgpu` feature).

use super::*;

/// The native GPU path: the same short run (20 steps of 20 images) on wgpu (Mesa's lavapipe
/// Vulkan rasteriser in CI: about 6 images a second, so the run is tiny and evaluates on 500
/// test images) and on the CPU. The GPU run must learn like the CPU run of the same seed, and the
/// CPU must read the GPU-trained weights exactly as the GPU did.
#[test]
fn wgpu_backend_trains_like_the_cpu_and_the_cpu_reads_its_model_the_same() {
    const TEST_IMAGES: &str = "500";
    let dir = tempfile::tempdir().unwrap();
    let data = data_dir(DatasetKind::Mnist);
    let data = data.to_str().unwrap();
    let card = |run: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(run.join("run-card.json")).unwrap()).unwrap()
    };
    let (gpu_run, cpu_run) = (dir.path().join("gpu"), dir.path().join("cpu"));
    let started = std::time::Instant::now();
    quick_train(
        &gpu_run,
        400,
        1,
        20,
        &["--backend", "wgpu", "--test-limit", TEST_IMAGES],
    );
    let gpu_seconds = started.elapsed().as_secs_f64();
    quick_train(&cpu_run, 400, 1, 20, &["--test-limit", TEST_IMAGES]);
    let (gpu, cpu) = (card(&gpu_run), card(&cpu_run));
    assert_eq!(gpu["backend"], "wgpu");
    assert_eq!(gpu["test_examples"], 500);
    let loss = |card: &serde_json::Value| card["epochs"][0]["train_loss"].as_f64().unwrap();
    let accuracy = |card: &serde_json::Value| card["final_test_accuracy"].as_f64().unwrap();
    println!(
        "wgpu vs CPU, 20 steps of dsd-s: mean training loss {:.4} vs {:.4}, test accuracy {:.3} \
         vs {:.3} on {TEST_IMAGES} images; the wgpu run took {gpu_seconds:.0} s",
        loss(&gpu),
        loss(&cpu),
        accuracy(&gpu),
        accuracy(&cpu)
    );
    assert!(
        (loss(&gpu) - loss(&cpu)).abs() <= 0.02 * loss(&cpu),
        "the GPU run learned differently from the CPU run of the same seed"
    );
    // The first batches score ln 10 = 2.30 (chance); 20 steps bring the mean well below it.
    // (Test accuracy says little this early: BatchNorm's running statistics still lag.)
    assert!(loss(&gpu) < 2.2, "the GPU run did not learn");

    let report = ok(&[
        "eval",
        "--model",
        gpu_run.join("model.inkling").to_str().unwrap(),
        "--data-dir",
        data,
        "--limit",
        TEST_IMAGES,
        "--json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let (cpu_accuracy, cpu_loss) = (
        report["accuracy"].as_f64().unwrap(),
        report["loss"].as_f64().unwrap(),
    );
    let gpu_test_loss = gpu["epochs"][0]["test_loss"].as_f64().unwrap();
    assert!(
        (cpu_accuracy - accuracy(&gpu)).abs() <= 0.002
            && (cpu_loss - gpu_test_loss).abs() <= 1e-3 * gpu_test_loss,
        "the CPU reads the GPU-trained model differently: accuracy {cpu_accuracy} vs {}, loss {cpu_loss} vs {gpu_test_loss}",
        accuracy(&gpu)
    );
}
