//! Whole models run as PyTorch runs them: the 17 torchvision transcriptions
//! of `examples/`, an LSTM language model and a Transformer encoder–decoder
//! (`fixtures/models/networks.rs`), on a batch of 2.
//!
//! Every parameter, buffer and input is a formula both this test and
//! `fixtures/models/make_models.py` compute (a 64-bit hash of the entry's and
//! the element's index, so that every matrix has full rank and the logits
//! depend on the input; see the fixture's README), so the fixture holds only
//! PyTorch's outputs. Logits must agree within 1e-4 (absolute), and every
//! sample's top-1 class must be PyTorch's.

use netshape::program::Runnable;
use netshape::runtime::{Device, Tensor};

#[path = "common/filled.rs"]
mod filled;
use filled::*;

#[path = "common/torchvision.rs"]
mod torchvision;
use torchvision::*;

#[allow(dead_code)]
mod networks {
    include!("fixtures/models/networks.rs");
}

/// The fixture's inputs: a batch of 2; input `j`'s element `i` is
/// `hash_unit(1_000_000 + j, i)`, or the token `hash_u64(2_000_000 + j, i) mod vocab`.
fn inputs<N: Runnable>(vocab: usize) -> Vec<Tensor> {
    let program = &N::PROGRAM;
    program
        .inputs
        .iter()
        .enumerate()
        .map(|(j, sample)| {
            let mut shape = vec![2];
            shape.extend_from_slice(sample);
            let count = shape.iter().product::<usize>() as u64;
            let j = j as u64;
            if program.index_inputs.contains(&(j as usize)) {
                let data: Vec<i64> = (0..count).map(|i| (hash_u64(2_000_000 + j, i) % vocab as u64) as i64).collect();
                Tensor::from_vec(data, shape, &Device::Cpu).unwrap()
            } else {
                let data: Vec<f32> = (0..count).map(|i| hash_unit(1_000_000 + j, i) as f32).collect();
                Tensor::from_vec(data, shape, &Device::Cpu).unwrap()
            }
        })
        .collect()
}

fn check<N: Runnable>(name: &str, gain: f64, vocab: usize) {
    let store = candle_core::safetensors::load("tests/fixtures/models/outputs.safetensors", &Device::Cpu).unwrap();
    let outputs = filled::<N>(gain).forward_raw(inputs::<N>(vocab)).unwrap_or_else(|error| panic!("{name}: {error}"));
    for (index, output) in outputs.iter().enumerate() {
        let expected = &store[&format!("{name}.output.{index}")];
        assert_eq!(output.dims(), expected.dims(), "{name}");
        let difference: f32 = (output - expected).unwrap().abs().unwrap().max_all().unwrap().to_scalar().unwrap();
        let scale: f32 = expected.abs().unwrap().max_all().unwrap().to_scalar().unwrap();
        println!(
            "{name}: output {index} {:?}, largest |logit| {scale:.3}, largest difference {difference:.2e}",
            output.dims()
        );
        assert!(difference <= 1e-4, "{name}: output {index} differs from PyTorch's by {difference} (scale {scale})");
        let last = output.rank() - 1;
        let ours: Vec<u32> = output.argmax(last).unwrap().flatten_all().unwrap().to_vec1().unwrap();
        let theirs: Vec<u32> = expected.argmax(last).unwrap().flatten_all().unwrap().to_vec1().unwrap();
        assert_eq!(ours, theirs, "{name}: top-1");
    }
}

#[test]
fn alexnet() {
    check::<alexnet::AlexNet>("alexnet", 1.0, 0);
}

#[test]
fn vgg11_bn() {
    check::<vgg11_bn::Vgg11Bn>("vgg11_bn", 1.0, 0);
}

#[test]
fn vgg16() {
    check::<vgg16::Vgg16>("vgg16", 1.0, 0);
}

#[test]
fn resnet18() {
    check::<resnet18::ResNet18>("resnet18", 1.0, 0);
}

#[test]
fn resnet50() {
    check::<resnet50::ResNet50>("resnet50", 1.0, 0);
}

#[test]
fn resnet152() {
    check::<resnet152::ResNet152>("resnet152", 0.75, 0);
}

#[test]
fn googlenet() {
    check::<googlenet::GoogLeNet>("googlenet", 1.0, 0);
}

#[test]
fn inception_v3() {
    check::<inception_v3::Inception3>("inception_v3", 1.2, 0);
}

#[test]
fn densenet121() {
    check::<densenet121::DenseNet121>("densenet121", 1.3, 0);
}

#[test]
fn squeezenet1_0() {
    check::<squeezenet1_0::SqueezeNet>("squeezenet1_0", 1.3, 0);
}

#[test]
fn shufflenet_v2_x1_0() {
    check::<shufflenet_v2_x1_0::ShuffleNetV2>("shufflenet_v2_x1_0", 1.0, 0);
}

#[test]
fn mnasnet1_0() {
    check::<mnasnet1_0::MNASNet>("mnasnet1_0", 1.0, 0);
}

#[test]
fn mobilenet_v2() {
    check::<mobilenet_v2::MobileNetV2>("mobilenet_v2", 1.0, 0);
}

#[test]
fn efficientnet_b0() {
    check::<efficientnet_b0::EfficientNetB0>("efficientnet_b0", 1.35, 0);
}

#[test]
fn convnext_tiny() {
    check::<convnext_tiny::ConvNeXtTiny>("convnext_tiny", 1.0, 0);
}

#[test]
fn vit_b_16() {
    check::<vit_b_16::VitB16>("vit_b_16", 1.0, 0);
}

#[test]
fn r3d_18() {
    check::<r3d_18::R3d18>("r3d_18", 1.0, 0);
}

#[test]
fn lstm_language_model() {
    check::<networks::LstmLanguageModel>("lstm_lm", 1.0, 50);
}

#[test]
fn transformer_encoder_decoder() {
    check::<networks::Seq2SeqTransformer>("seq2seq", 1.0, 40);
}
