//! Real inference with the network the compiler checked: a small CNN,
//! trained in PyTorch on scikit-learn's 8×8 digits by
//! `examples/data/train_digits.py`, classifies the 450 held-out digits.
//!
//! `cargo run --example digits` prints the network's table (computed at
//! compile time), loads the trained weights (embedded: `digits.safetensors`),
//! draws a few digits with the predicted label and prints the accuracy
//! beside PyTorch's own on the same digits with the same weights.

use netshape::network;
use netshape::runtime::{Batch, Device, Model, Tensor};

network! {
    /// The digits classifier of `train_digits.py`.
    pub struct Digits {
        input: [1, 8, 8],
        conv1: Conv2d(1, 16, 3, padding = 1, bias = false),
        bn1: BatchNorm2d(16),
        relu(),
        conv2: Conv2d(16, 32, 3, padding = 1),
        relu(),
        max_pool2d(2),
        flatten(1),
        fc1: Linear(32 * 4 * 4, 64),
        relu(),
        fc2: Linear(64, 10),
    }
}

/// The trained weights, PyTorch's `state_dict` saved as safetensors.
const WEIGHTS: &[u8] = include_bytes!("data/digits.safetensors");
/// The held-out digits: `images` `[450, 1, 8, 8]`, `labels`, and PyTorch's `logits`.
const TEST_SET: &[u8] = include_bytes!("data/digits_test.safetensors");
/// PyTorch's results on them.
const PYTORCH: &str = include_str!("data/digits_test.json");

/// A digit as text, darker characters for darker pixels.
fn picture(pixels: &[f32]) -> Vec<String> {
    const SHADES: &[u8] = b" .:-=+*#%@";
    pixels
        .chunks(8)
        .map(|row| {
            row.iter()
                .map(|&value| {
                    let shade = SHADES[((value.clamp(0.0, 1.0) * 9.0).round()) as usize] as char;
                    format!("{shade}{shade}")
                })
                .collect()
        })
        .collect()
}

/// The number after `"key": ` in PyTorch's JSON.
fn pytorch_number(key: &str) -> f64 {
    let start = PYTORCH.find(&format!("\"{key}\": ")).map(|at| at + key.len() + 4).unwrap_or(0);
    PYTORCH[start..].split([',', '}']).next().and_then(|text| text.trim().parse().ok()).unwrap_or(f64::NAN)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    print!("{}", Digits::SUMMARY);

    let device = Device::Cpu;
    let model = Model::<Digits>::from_safetensors(WEIGHTS, &device)?;
    let test = candle_core::safetensors::load_buffer(TEST_SET, &device)?;
    let (images, labels, pytorch_logits) = (&test["images"], &test["labels"], &test["logits"]);

    // The one run-time check: the raw tensor is a batch of [1, 8, 8] digits.
    let batch = Batch::new(images.clone())?;
    let logits: Tensor = model.forward(batch)?.into_inner();

    let predicted: Vec<u32> = logits.argmax(1)?.to_vec1()?;
    let labels: Vec<i64> = labels.to_vec1()?;
    let correct = predicted.iter().zip(&labels).filter(|(p, l)| i64::from(**p) == **l).count();
    let difference: f32 = (&logits - pytorch_logits)?.abs()?.max_all()?.to_scalar()?;

    println!("\nThe first held-out digits, as the network reads them:\n");
    let pixels: Vec<f32> = images.flatten_all()?.to_vec1()?;
    let shown = 6;
    let pictures: Vec<Vec<String>> = (0..shown).map(|index| picture(&pixels[index * 64..(index + 1) * 64])).collect();
    for row in 0..8 {
        let line: Vec<&str> = pictures.iter().map(|picture| picture[row].as_str()).collect();
        println!("  {}", line.join("   "));
    }
    let captions: Vec<String> =
        (0..shown).map(|index| format!("{:<16}", format!("{} (label {})", predicted[index], labels[index]))).collect();
    println!("  {}", captions.join("   ").trim_end());

    let count = labels.len();
    println!(
        "\nnetshape: {correct} of {count} held-out digits correct ({:.2}%)",
        100.0 * correct as f64 / count as f64
    );
    println!(
        "PyTorch:  {} of {} correct ({:.2}%), the same weights on the same digits",
        pytorch_number("correct"),
        pytorch_number("count"),
        100.0 * pytorch_number("accuracy")
    );
    println!("largest difference from PyTorch's logits: {difference:.1e}");
    Ok(())
}
