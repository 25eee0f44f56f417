//! Forward-pass speed of the runtime (candle backend, CPU), for the README's
//! table: `bash bench/forward.sh` runs this and PyTorch's `bench/forward_pytorch.py`.
//! Prints one line per case: name, batch, median milliseconds of the runs.

use std::time::Instant;

use netshape::program::Runnable;
use netshape::runtime::{DType, Device, Model, Tensor};

#[allow(dead_code)]
#[path = "../examples/digits.rs"]
mod digits;
#[allow(dead_code)]
#[path = "../examples/mobilenet_v2.rs"]
mod mobilenet_v2;
#[allow(dead_code)]
#[path = "../examples/resnet18.rs"]
mod resnet18;

fn median_ms<N: Runnable>(batch: usize, runs: usize) -> f64 {
    let device = Device::Cpu;
    let model = Model::<N>::init(0, &device).expect("a model");
    let mut shape = vec![batch];
    shape.extend_from_slice(N::PROGRAM.inputs[0]);
    let x = Tensor::rand(0f32, 1f32, shape, &device).expect("an input").to_dtype(DType::F32).expect("f32");
    let _ = model.forward_raw(vec![x.clone()]).expect("a warm-up run");
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let _ = model.forward_raw(vec![x.clone()]).expect("a run");
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let runs: usize = std::env::var("RUNS").ok().and_then(|runs| runs.parse().ok()).unwrap_or(11);
    println!("resnet18 1 {:.1}", median_ms::<resnet18::ResNet18>(1, runs));
    println!("resnet18 8 {:.1}", median_ms::<resnet18::ResNet18>(8, runs));
    println!("mobilenet_v2 1 {:.1}", median_ms::<mobilenet_v2::MobileNetV2>(1, runs));
    println!("digits 450 {:.2}", median_ms::<digits::Digits>(450, runs));
}
