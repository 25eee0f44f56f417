//! Checkpoints: reading safetensors and `torch.save` files into tensors
//! checked against a network's `STATE_DICT`, and writing safetensors.
//!
//! Nothing is trusted: every key, shape and element type is compared with
//! the manifest before any tensor is built, sizes are checked before they are
//! allocated, and every problem is reported at once.

use std::collections::BTreeMap;
use std::path::Path;

use netshape_core::StateEntry;
use safetensors::tensor::{Dtype, SafeTensors, TensorView};

use super::backend::Backend;
use super::{Error, Mismatch, Result};

/// A tensor as read from a file, before it is checked.
#[derive(Clone, Debug, PartialEq)]
pub struct RawTensor {
    /// Its shape.
    pub shape: Vec<usize>,
    /// Its elements, as read.
    pub data: RawData,
}

/// A raw tensor's elements.
#[derive(Clone, Debug, PartialEq)]
pub enum RawData {
    /// Floating-point numbers, converted to `f32`, and the file's type.
    Float(Vec<f32>, &'static str),
    /// Integers, as `i64`, and the file's type.
    Int(Vec<i64>, &'static str),
    /// A type netshape does not read.
    Other(String),
}

impl RawData {
    fn type_name(&self) -> String {
        match self {
            RawData::Float(_, name) | RawData::Int(_, name) => (*name).to_owned(),
            RawData::Other(name) => name.clone(),
        }
    }
}

/// Whether a `state_dict` entry holds integers (a batch norm's counter).
pub fn is_counter(entry: &StateEntry) -> bool {
    entry.buffer && entry.key.ends_with("num_batches_tracked")
}

/// Decodes little-endian elements of a safetensors (or torch) dtype.
pub fn decode(dtype: Dtype, bytes: &[u8]) -> RawData {
    fn chunks<const N: usize>(bytes: &[u8]) -> impl Iterator<Item = [u8; N]> + '_ {
        bytes.chunks_exact(N).map(|chunk| {
            let mut array = [0u8; N];
            array.copy_from_slice(chunk);
            array
        })
    }
    match dtype {
        Dtype::F32 => RawData::Float(chunks::<4>(bytes).map(f32::from_le_bytes).collect(), "f32"),
        Dtype::F64 => RawData::Float(chunks::<8>(bytes).map(|b| f64::from_le_bytes(b) as f32).collect(), "f64"),
        Dtype::F16 => RawData::Float(chunks::<2>(bytes).map(|b| half::f16::from_le_bytes(b).to_f32()).collect(), "f16"),
        Dtype::BF16 => {
            RawData::Float(chunks::<2>(bytes).map(|b| half::bf16::from_le_bytes(b).to_f32()).collect(), "bf16")
        }
        Dtype::I64 => RawData::Int(chunks::<8>(bytes).map(i64::from_le_bytes).collect(), "i64"),
        Dtype::I32 => RawData::Int(chunks::<4>(bytes).map(|b| i64::from(i32::from_le_bytes(b))).collect(), "i32"),
        Dtype::I16 => RawData::Int(chunks::<2>(bytes).map(|b| i64::from(i16::from_le_bytes(b))).collect(), "i16"),
        Dtype::I8 => RawData::Int(bytes.iter().map(|&b| i64::from(b as i8)).collect(), "i8"),
        Dtype::U8 => RawData::Int(bytes.iter().map(|&b| i64::from(b)).collect(), "u8"),
        other => RawData::Other(format!("{other:?}").to_lowercase()),
    }
}

/// Reads a safetensors buffer: its tensors' shapes and elements. `path` names it in errors.
pub fn read_safetensors(bytes: &[u8], path: &str) -> Result<BTreeMap<String, RawTensor>> {
    let tensors = SafeTensors::deserialize(bytes).map_err(|error| Error::Format {
        path: path.to_owned(),
        message: format!("not a valid safetensors file ({error})"),
    })?;
    // safetensors has checked every tensor's byte range against the buffer.
    let out = tensors
        .iter()
        .map(|(name, view)| {
            (name.to_owned(), RawTensor { shape: view.shape().to_vec(), data: decode(view.dtype(), view.data()) })
        })
        .collect();
    Ok(out)
}

/// Compares tensors with the manifest; on success, the tensors in `STATE_DICT`
/// order, each converted (floats to `f32`, counters to `i64`).
pub fn check<B: Backend>(
    entries: &[StateEntry<'static>],
    mut found: BTreeMap<String, RawTensor>,
    device: &B::Device,
) -> Result<Vec<B::Tensor>> {
    let mut mismatch = Mismatch::default();
    let mut accepted = Vec::with_capacity(entries.len());
    for entry in entries {
        let Some(raw) = found.remove(entry.key) else {
            mismatch.missing.push(entry.key.to_owned());
            continue;
        };
        if raw.shape != entry.shape {
            mismatch.shapes.push((entry.key.to_owned(), entry.shape.to_vec(), raw.shape));
            continue;
        }
        let counter = is_counter(entry);
        match (&raw.data, counter) {
            (RawData::Float(..), false) | (RawData::Int(..), true) => accepted.push((entry, raw)),
            (other, _) => {
                let expected = if counter { "integers" } else { "floating-point numbers" };
                mismatch.dtypes.push((entry.key.to_owned(), expected, other.type_name()));
            }
        }
    }
    mismatch.unexpected = found.into_keys().collect();
    if !mismatch.is_empty() {
        return Err(Error::StateDict(mismatch));
    }
    accepted
        .into_iter()
        .map(|(entry, raw)| match raw.data {
            RawData::Float(data, _) => B::from_f32(device, data, entry.shape),
            RawData::Int(data, _) => B::from_i64(device, data, entry.shape),
            RawData::Other(name) => Err(Error::Internal(format!("unchecked type {name}"))),
        })
        .collect()
}

/// Reads a file: safetensors, or a `torch.save` zip (`.pt`, `.pth`).
pub fn read_file(path: &Path) -> Result<BTreeMap<String, RawTensor>> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|error| Error::Io { path: name.clone(), message: error.to_string() })?;
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return super::candle::read_torch(path);
    }
    if bytes.len() >= 8 {
        return read_safetensors(&bytes, &name);
    }
    Err(Error::Format {
        path: name,
        message: format!(
            "{} bytes is too short for a checkpoint; expected safetensors or a `torch.save` zip",
            bytes.len()
        ),
    })
}

/// Writes tensors in `STATE_DICT` order as safetensors.
pub fn write_safetensors<B: Backend>(
    entries: &[StateEntry<'static>],
    tensors: &[B::Tensor],
    path: &Path,
) -> Result<()> {
    let mut buffers: Vec<(String, Dtype, Vec<usize>, Vec<u8>)> = Vec::with_capacity(entries.len());
    for (entry, tensor) in entries.iter().zip(tensors) {
        let (dtype, bytes) = if is_counter(entry) {
            (Dtype::I64, B::to_i64_vec(tensor)?.iter().flat_map(|value| value.to_le_bytes()).collect())
        } else {
            (Dtype::F32, B::to_f32_vec(tensor)?.iter().flat_map(|value| value.to_le_bytes()).collect())
        };
        buffers.push((entry.key.to_owned(), dtype, entry.shape.to_vec(), bytes));
    }
    let views: Vec<(String, TensorView<'_>)> = buffers
        .iter()
        .map(|(key, dtype, shape, bytes)| {
            TensorView::new(*dtype, shape.clone(), bytes)
                .map(|view| (key.clone(), view))
                .map_err(|error| Error::Internal(error.to_string()))
        })
        .collect::<Result<_>>()?;
    safetensors::tensor::serialize_to_file(views, None, path)
        .map_err(|error| Error::Io { path: path.display().to_string(), message: error.to_string() })
}
