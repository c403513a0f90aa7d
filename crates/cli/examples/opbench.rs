use burn::nn::conv::Conv2dConfig;
use burn::nn::{BatchNormConfig, PaddingConfig2d};
use burn::tensor::{Device, Distribution, Tensor};
use std::time::Instant;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn time<F: FnMut()>(name: &str, mut f: F) {
    f();
    let n = 5;
    let t = Instant::now();
    for _ in 0..n {
        f();
    }
    println!(
        "{name:<40} {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3 / n as f64
    );
}

fn main() {
    let dev = Device::flex().autodiff();
    let n = 128;
    for (c, s, d, stride) in [
        (16, 28, 1, 1),
        (32, 28, 2, 1),
        (32, 28, 1, 2),
        (64, 14, 2, 1),
        (64, 14, 1, 2),
        (128, 7, 2, 1),
    ] {
        let dw = Conv2dConfig::new([c, c], [3, 3])
            .with_groups(c)
            .with_dilation([d, d])
            .with_stride([stride, stride])
            .with_padding(PaddingConfig2d::Explicit(d, d, d, d))
            .with_bias(false)
            .init(&dev);
        let x =
            Tensor::<4>::random([n, c, s, s], Distribution::Normal(0.0, 1.0), &dev).require_grad();
        time(&format!("dw fwd c{c} s{s} d{d} st{stride}"), || {
            let _ = dw.forward(x.clone()).into_data();
        });
        time(&format!("dw fwd+bwd c{c} s{s} d{d} st{stride}"), || {
            let g = dw.forward(x.clone()).sum().backward();
            drop(g);
        });
        let pw = Conv2dConfig::new([c, 2 * c], [1, 1])
            .with_bias(false)
            .init(&dev);
        let so = s / stride;
        let x2 = Tensor::<4>::random([n, c, so, so], Distribution::Normal(0.0, 1.0), &dev)
            .require_grad();
        time(&format!("pw fwd+bwd c{c}->{} s{so}", 2 * c), || {
            let g = pw.forward(x2.clone()).sum().backward();
            drop(g);
        });
        let bn = BatchNormConfig::new(c).init(&dev);
        time(&format!("bn fwd+bwd c{c} s{so}"), || {
            let g = bn.forward(x2.clone()).sum().backward();
            drop(g);
        });
    }
}
