//! Loading PyTorch checkpoints: the digits network trained by
//! `examples/data/train_digits.py`, saved by PyTorch both with `torch.save`
//! (`digits.pt`) and as safetensors, gives PyTorch's logits after loading
//! either; wrong, damaged and hostile files give errors that say what is
//! wrong, never a panic; other float types convert; saving round-trips.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use netshape::runtime::{Batch, DType, Device, Error, Model, RawData, RawTensor, Tensor};

#[allow(dead_code)]
#[path = "../examples/digits.rs"]
mod digits;
use digits::Digits;

const PT: &str = "examples/data/digits.pt";
const SAFETENSORS: &str = "examples/data/digits.safetensors";

fn test_set() -> (Tensor, Tensor) {
    let set = candle_core::safetensors::load("examples/data/digits_test.safetensors", &Device::Cpu).unwrap();
    (set["images"].clone(), set["logits"].clone())
}

fn largest_difference(a: &Tensor, b: &Tensor) -> f32 {
    (a - b).unwrap().abs().unwrap().max_all().unwrap().to_scalar().unwrap()
}

fn logits(model: &Model<Digits>) -> Tensor {
    let (images, _) = test_set();
    model.forward(Batch::new(images).unwrap()).unwrap().into_inner()
}

/// A scratch file of this test's own, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str, bytes: &[u8]) -> Scratch {
        let path = std::env::temp_dir().join(format!("netshape-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        Scratch(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn both_pytorch_formats_give_pytorchs_logits() {
    let (_, expected) = test_set();
    for path in [PT, SAFETENSORS] {
        let model = Model::<Digits>::load(path, &Device::Cpu).unwrap();
        let difference = largest_difference(&logits(&model), &expected);
        // Logits reach 44; both sides compute in f32.
        assert!(difference < 1e-4, "{path}: {difference}");
    }
}

#[test]
fn every_mismatch_is_reported_at_once() {
    let mut tensors = netshape::runtime::candle_core::safetensors::load(SAFETENSORS, &Device::Cpu).unwrap();
    tensors.remove("fc2.bias");
    tensors.insert("fc3.weight".into(), Tensor::zeros((2, 2), DType::F32, &Device::Cpu).unwrap());
    tensors.insert("conv2.weight".into(), Tensor::zeros((32, 16, 5, 5), DType::F32, &Device::Cpu).unwrap());
    tensors.insert("bn1.weight".into(), Tensor::zeros(16, DType::U8, &Device::Cpu).unwrap());
    let error = Model::<Digits>::from_tensors(tensors, &Device::Cpu).unwrap_err();
    let Error::StateDict(mismatch) = &error else { panic!("{error}") };
    assert_eq!(mismatch.missing, ["fc2.bias"]);
    assert_eq!(mismatch.unexpected, ["fc3.weight"]);
    assert_eq!(mismatch.shapes, [("conv2.weight".to_owned(), vec![32, 16, 3, 3], vec![32, 16, 5, 5])]);
    assert_eq!(mismatch.dtypes, [("bn1.weight".to_owned(), "floating-point numbers", "integers".to_owned())]);
    assert_eq!(
        error.to_string(),
        "the checkpoint does not match the network: missing keys: `fc2.bias`; unexpected keys: `fc3.weight`; \
         `conv2.weight` has shape [32, 16, 5, 5] in the file, but the network's is [32, 16, 3, 3]; \
         `bn1.weight` holds integers in the file, but the network needs floating-point numbers"
    );
}

#[test]
fn damaged_and_foreign_files_are_errors() {
    let safetensors = std::fs::read(SAFETENSORS).unwrap();
    let pt = std::fs::read(PT).unwrap();
    let mut flipped = pt.clone();
    // Damage the middle of the archive: the pickle or a tensor's bytes.
    for byte in &mut flipped[pt.len() / 3..pt.len() / 3 + 64] {
        *byte ^= 0x5A;
    }
    let mut huge_header = safetensors.clone();
    huge_header[..8].copy_from_slice(&u64::MAX.to_le_bytes());
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("short", b"abc".to_vec()),
        ("text", b"this is not a checkpoint at all, only words".to_vec()),
        ("truncated.safetensors", safetensors[..safetensors.len() / 2].to_vec()),
        ("header-only.safetensors", safetensors[..200].to_vec()),
        ("huge-header.safetensors", huge_header),
        ("truncated.pt", pt[..pt.len() / 2].to_vec()),
        ("zip-head.pt", pt[..64].to_vec()),
        ("flipped.pt", flipped),
    ];
    for (name, bytes) in cases {
        let file = Scratch::new(name, &bytes);
        let result = std::panic::catch_unwind(|| Model::<Digits>::load(&file.0, &Device::Cpu));
        let error = match result {
            Ok(Err(error)) => error,
            Ok(Ok(_)) => panic!("{name} loaded"),
            Err(_) => panic!("{name} panicked"),
        };
        assert!(matches!(error, Error::Format { .. } | Error::StateDict(_)), "{name}: {error}");
        assert!(error.to_string().contains("checkpoint"), "{name}: {error}");
    }
    let missing = Model::<Digits>::load("no/such/file.safetensors", &Device::Cpu).unwrap_err();
    assert!(matches!(missing, Error::Io { .. }), "{missing}");
    assert!(missing.to_string().starts_with("cannot read `no/such/file.safetensors`: "), "{missing}");
}

#[test]
fn another_networks_checkpoint_names_what_differs() {
    netshape::network! {
        pub struct Other { input: [1, 8, 8], conv1: Conv2d(1, 16, 3, padding = 1), flatten(1), fc: Linear(1024, 10) }
    }
    let error = Model::<Other>::load(SAFETENSORS, &Device::Cpu).unwrap_err();
    let Error::StateDict(mismatch) = error else { panic!() };
    assert_eq!(mismatch.missing, ["conv1.bias", "fc.weight", "fc.bias"]);
    assert!(mismatch.unexpected.contains(&"fc2.weight".to_owned()));
}

/// Writes safetensors with every float tensor in `dtype`, as PyTorch's `.half()`,
/// `.bfloat16()` or `.double()` would save it.
fn converted(dtype: DType) -> Vec<u8> {
    let tensors = candle_core::safetensors::load(SAFETENSORS, &Device::Cpu).unwrap();
    let tensors: Vec<(String, Tensor)> = tensors
        .into_iter()
        .map(|(key, tensor)| {
            let tensor = if tensor.dtype() == DType::F32 { tensor.to_dtype(dtype).unwrap() } else { tensor };
            (key, tensor)
        })
        .collect();
    let path = std::env::temp_dir().join(format!("netshape-{}-{dtype:?}.safetensors", std::process::id()));
    candle_core::safetensors::save(&tensors.into_iter().collect(), &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    bytes
}

#[test]
fn half_bfloat_and_double_checkpoints_become_f32() {
    let (_, expected) = test_set();
    // The weights' own rounding bounds the difference: f16 keeps 11 bits, bf16 8.
    for (dtype, tolerance) in [(DType::F64, 1e-4), (DType::F16, 0.1), (DType::BF16, 1.0)] {
        let model = Model::<Digits>::from_safetensors(&converted(dtype), &Device::Cpu).unwrap();
        let difference = largest_difference(&logits(&model), &expected);
        assert!(difference < tolerance, "{dtype:?}: {difference}");
        assert!(model
            .tensors()
            .all(|(key, tensor)| key.ends_with("num_batches_tracked") || tensor.dtype() == DType::F32));
    }
}

#[test]
fn torch_saves_in_other_float_types_load() {
    let (_, expected) = test_set();
    for (name, tolerance) in [("f64", 1e-4), ("f16", 0.1), ("bf16", 1.0)] {
        let model =
            Model::<Digits>::load(format!("tests/fixtures/checkpoints/digits_{name}.pt"), &Device::Cpu).unwrap();
        let difference = largest_difference(&logits(&model), &expected);
        assert!(difference < tolerance, "{name}: {difference}");
    }
}

#[test]
fn saving_round_trips() {
    let model = Model::<Digits>::load(PT, &Device::Cpu).unwrap();
    let path = std::env::temp_dir().join(format!("netshape-{}-saved.safetensors", std::process::id()));
    model.save(&path).unwrap();
    let again = Model::<Digits>::load(&path, &Device::Cpu).unwrap();
    let _ = std::fs::remove_file(&path);
    assert_eq!(largest_difference(&logits(&model), &logits(&again)), 0.0);
    for ((key, a), (other, b)) in model.tensors().zip(again.tensors()) {
        assert_eq!(key, other);
        assert_eq!(a.dtype(), b.dtype(), "{key}");
        assert_eq!(
            a.flatten_all().unwrap().to_dtype(DType::F64).unwrap().to_vec1::<f64>().unwrap(),
            b.flatten_all().unwrap().to_dtype(DType::F64).unwrap().to_vec1::<f64>().unwrap(),
            "{key}"
        );
    }
}

#[test]
fn raw_tensors_build_a_model() {
    let raw: BTreeMap<String, RawTensor> = Digits::STATE_DICT
        .iter()
        .map(|entry| {
            let count = entry.shape.iter().product();
            let data = if entry.key.ends_with("num_batches_tracked") {
                RawData::Int(vec![7; count], "i64")
            } else {
                RawData::Float(vec![0.5; count], "f32")
            };
            (entry.key.to_owned(), RawTensor { shape: entry.shape.to_vec(), data })
        })
        .collect();
    let model = Model::<Digits>::from_raw(raw, &Device::Cpu).unwrap();
    assert_eq!(model.tensors().count(), Digits::STATE_DICT.len());
    let _ = Path::new(PT);
}
