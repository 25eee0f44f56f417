//! The formulas of `fixtures/models/make_models.py` (also used by
//! `fixtures/sizes/make_sizes.py`): a 64-bit hash of two integers, and the
//! parameters and buffers of a model filled from it, so a test rebuilds the
//! exact parameters PyTorch ran with. See `fixtures/models/README.md`.

use std::collections::BTreeMap;

use netshape::program::Runnable;
use netshape::runtime::{Device, Model, RawData, RawTensor};

/// The fixture's hash of two integers (SplitMix64's finaliser over a mix of both).
pub fn hash_u64(k: u64, i: u64) -> u64 {
    let mut z = k
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(i.wrapping_mul(0xD1B5_4A32_D192_ED03))
        .wrapping_add(0x2545_F491_4F6C_DD1D);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The hash as a number in `[-1, 1)`.
pub fn hash_unit(k: u64, i: u64) -> f64 {
    (hash_u64(k, i) >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
}

/// The fixture's parameter formula: entry `k` of the `state_dict`, element `i`;
/// `gain` scales the matrices (one per model, in `make_models.py`'s `GAINS`).
pub fn parameter(key: &str, shape: &[usize], k: usize, i: usize, gain: f64) -> f64 {
    let u = hash_unit(k as u64, i as u64);
    if key.ends_with("running_var") {
        0.75 + 0.25 * u
    } else if key.ends_with("running_mean") {
        0.1 * u
    } else if shape.len() >= 2 {
        let fan_in: usize = shape[1] * shape[2..].iter().product::<usize>();
        (u * gain) * (3.0 / fan_in as f64).sqrt()
    } else if key.ends_with("weight") {
        1.0 + 0.1 * u
    } else {
        0.05 * u
    }
}

/// A model whose every `state_dict` entry is the fixture's formula.
pub fn filled<N: Runnable>(gain: f64) -> Model<N> {
    let tensors: BTreeMap<String, RawTensor> = N::STATE_DICT
        .iter()
        .enumerate()
        .map(|(k, entry)| {
            let count: usize = entry.shape.iter().product();
            let data = if entry.key.ends_with("num_batches_tracked") {
                RawData::Int(vec![0; count], "i64")
            } else {
                let values = (0..count).map(|i| parameter(entry.key, entry.shape, k, i, gain) as f32);
                RawData::Float(values.collect(), "f32")
            };
            (entry.key.to_owned(), RawTensor { shape: entry.shape.to_vec(), data })
        })
        .collect();
    Model::from_raw(tensors, &Device::Cpu).expect("the formula fills every key")
}
