//! Every catalog kind runs as PyTorch computes it: 513 one-layer networks
//! from `fixtures/forward/` (made by `make_forward.py` with PyTorch 1.13),
//! each loaded with PyTorch's `state_dict` through the strict loader and run
//! on PyTorch's inputs.
//!
//! Tolerance: the largest absolute difference must be at most
//! `1e-5 · max(1, max |y|)`. Both sides compute in `f32`, in different orders
//! (im2col or a direct loop, a sum split differently), so exact equality is
//! not expected; the generator found the PyTorch outputs themselves stable
//! to 1e-6 against a float64 recomputation.

use std::collections::HashMap;

use netshape::program::Runnable;
use netshape::runtime::{Device, Model, Tensor};

/// The fixture's tensors by key.
type Store = HashMap<String, Tensor>;

struct Case {
    name: &'static str,
    about: &'static str,
    run: fn(&str, &Store) -> Result<Vec<Tensor>, String>,
}

fn run<N: Runnable>(name: &str, store: &Store) -> Result<Vec<Tensor>, String> {
    let prefix = format!("{name}.state.");
    let state =
        store.iter().filter_map(|(key, tensor)| key.strip_prefix(&prefix).map(|key| (key.to_owned(), tensor.clone())));
    let model = Model::<N>::from_tensors(state, &Device::Cpu).map_err(|error| error.to_string())?;
    let inputs = (0..).map_while(|index| store.get(&format!("{name}.input.{index}")).cloned()).collect();
    model.forward_raw(inputs).map_err(|error| error.to_string())
}

macro_rules! forward_cases {
    ($($name:ident $about:literal { $($body:tt)* })*) => {
        $(
            #[allow(non_snake_case, dead_code)]
            mod $name {
                netshape::network! { pub struct Net { $($body)* } }
            }
        )*
        const CASES: &[Case] = &[$(Case { name: stringify!($name), about: $about, run: run::<$name::Net> }),*];
    };
}

include!("fixtures/forward/layers.rs");

fn largest_difference(found: &Tensor, expected: &Tensor) -> Result<(f32, f32), String> {
    if found.dims() != expected.dims() {
        return Err(format!("shape {:?}, PyTorch's {:?}", found.dims(), expected.dims()));
    }
    let found: Vec<f32> = found.flatten_all().and_then(|t| t.to_vec1()).map_err(|error| error.to_string())?;
    let expected: Vec<f32> = expected.flatten_all().and_then(|t| t.to_vec1()).map_err(|error| error.to_string())?;
    let scale = expected.iter().fold(1f32, |scale, value| scale.max(value.abs()));
    let mut largest = 0f32;
    for (a, b) in found.iter().zip(&expected) {
        let difference = if a.is_infinite() && a == b { 0.0 } else { (a - b).abs() };
        if difference.is_nan() {
            return Err(format!("{a} where PyTorch has {b}"));
        }
        largest = largest.max(difference);
    }
    Ok((largest, scale))
}

#[test]
fn every_kind_computes_what_pytorch_computes() {
    let store = candle_core::safetensors::load("tests/fixtures/forward/layers.safetensors", &Device::Cpu).unwrap();
    let mut failures = Vec::new();
    let mut worst = (0f32, "");
    // The largest relative difference per kind (the description's start).
    let mut per_kind: std::collections::BTreeMap<&str, (f32, usize)> = std::collections::BTreeMap::new();
    for case in CASES {
        let outputs = match (case.run)(case.name, &store) {
            Ok(outputs) => outputs,
            Err(error) => {
                failures.push(format!("{} ({}): {error}", case.name, case.about));
                continue;
            }
        };
        let expected: Vec<&Tensor> =
            (0..).map_while(|index| store.get(&format!("{}.output.{index}", case.name))).collect();
        if outputs.len() != expected.len() {
            failures.push(format!(
                "{} ({}): {} outputs, PyTorch has {}",
                case.name,
                case.about,
                outputs.len(),
                expected.len()
            ));
            continue;
        }
        for (found, expected) in outputs.iter().zip(expected) {
            match largest_difference(found, expected) {
                Ok((difference, scale)) => {
                    let relative = difference / scale;
                    let kind = case.about.split([':', ' ']).next().unwrap_or(case.about);
                    let entry = per_kind.entry(kind).or_default();
                    *entry = (entry.0.max(relative), entry.1 + 1);
                    if relative > worst.0 {
                        worst = (relative, case.about);
                    }
                    if relative > 1e-5 {
                        failures.push(format!(
                            "{} ({}): max difference {difference:e} at scale {scale}",
                            case.name, case.about
                        ));
                    }
                }
                Err(error) => failures.push(format!("{} ({}): {error}", case.name, case.about)),
            }
        }
    }
    for (kind, (largest, count)) in &per_kind {
        println!("| `{kind}` | {count} | {largest:.1e} |");
    }
    println!("{} cases; the largest difference relative to scale: {:e} ({})", CASES.len(), worst.0, worst.1);
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from PyTorch:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}
