//! The candle backend: every call into candle's API is in this file.

use candle_core::{DType, Device, Tensor};

use super::backend::{Backend, Binary, Conv2d, Pool2d, Reduce, Unary};
use super::cpu;
use super::{Error, Result};

/// Runs networks on [candle](https://docs.rs/candle-core) (its CPU device;
/// CUDA and Metal devices through candle's own features).
#[derive(Clone, Copy, Debug, Default)]
pub struct Candle;

impl From<candle_core::Error> for Error {
    fn from(error: candle_core::Error) -> Error {
        Error::Backend(error.to_string())
    }
}

impl Backend for Candle {
    type Tensor = Tensor;
    type Device = Device;

    const NAME: &'static str = "candle";

    fn dims(tensor: &Tensor) -> Vec<usize> {
        tensor.dims().to_vec()
    }

    fn device(tensor: &Tensor) -> Device {
        tensor.device().clone()
    }

    fn is_index(tensor: &Tensor) -> bool {
        matches!(tensor.dtype(), DType::U8 | DType::U32 | DType::I64 | DType::I32 | DType::I16)
    }

    fn dtype_name(tensor: &Tensor) -> String {
        tensor.dtype().as_str().to_owned()
    }

    fn from_f32(device: &Device, data: Vec<f32>, shape: &[usize]) -> Result<Tensor> {
        Ok(Tensor::from_vec(data, shape, device)?)
    }

    fn from_i64(device: &Device, data: Vec<i64>, shape: &[usize]) -> Result<Tensor> {
        Ok(Tensor::from_vec(data, shape, device)?)
    }

    fn to_f32_vec(tensor: &Tensor) -> Result<Vec<f32>> {
        Ok(tensor.to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()?)
    }

    fn to_i64_vec(tensor: &Tensor) -> Result<Vec<i64>> {
        Ok(tensor.to_dtype(DType::I64)?.flatten_all()?.to_vec1::<i64>()?)
    }

    fn to_f32(tensor: &Tensor) -> Result<Tensor> {
        Ok(tensor.to_dtype(DType::F32)?)
    }

    fn reshape(tensor: &Tensor, shape: &[usize]) -> Result<Tensor> {
        Ok(tensor.reshape(shape)?)
    }

    fn permute(tensor: &Tensor, dims: &[usize]) -> Result<Tensor> {
        Ok(tensor.permute(dims)?)
    }

    fn narrow(tensor: &Tensor, dim: usize, start: usize, len: usize) -> Result<Tensor> {
        Ok(tensor.narrow(dim, start, len)?)
    }

    fn cat(tensors: &[Tensor], dim: usize) -> Result<Tensor> {
        Ok(Tensor::cat(tensors, dim)?)
    }

    fn select(tensor: &Tensor, dim: usize, indices: &[usize]) -> Result<Tensor> {
        let indices: Vec<u32> = indices
            .iter()
            .map(|&index| u32::try_from(index).map_err(|_| Error::Backend(format!("index {index} is too large"))))
            .collect::<Result<_>>()?;
        let len = indices.len();
        let indices = Tensor::from_vec(indices, (len,), tensor.device())?;
        Ok(tensor.contiguous()?.index_select(&indices, dim)?)
    }

    fn gather_rows(table: &Tensor, indices: &Tensor) -> Result<Tensor> {
        let shape = indices.dims().to_vec();
        let flat = indices.to_dtype(DType::I64)?.flatten_all()?;
        let rows = table.index_select(&flat, 0)?;
        let mut out = shape;
        out.push(table.dim(1)?);
        Ok(rows.reshape(out)?)
    }

    fn full(like: &Tensor, value: f32, shape: &[usize]) -> Result<Tensor> {
        Ok(Tensor::full(value, shape, like.device())?)
    }

    fn broadcast(tensor: &Tensor, shape: &[usize]) -> Result<Tensor> {
        Ok(tensor.broadcast_as(shape)?)
    }

    fn contiguous(tensor: &Tensor) -> Result<Tensor> {
        Ok(tensor.contiguous()?)
    }

    fn column_major(tensor: &Tensor) -> Result<Tensor> {
        if !tensor.device().is_cpu() || tensor.dtype() != DType::F32 || tensor.rank() != 2 {
            return Ok(tensor.t()?.contiguous()?.t()?);
        }
        Ok(tensor.contiguous()?.apply_op1_no_bwd(&Transpose)?.t()?)
    }

    fn unary(tensor: &Tensor, op: Unary) -> Result<Tensor> {
        Ok(match op {
            Unary::Neg => tensor.neg()?,
            Unary::Exp => tensor.exp()?,
            Unary::Log => tensor.log()?,
            Unary::Tanh => tensor.tanh()?,
            Unary::Abs => tensor.abs()?,
            Unary::Sqrt => tensor.sqrt()?,
            Unary::Recip => tensor.recip()?,
            Unary::Relu => tensor.relu()?,
            Unary::Erf => tensor.erf()?,
            Unary::Gelu => tensor.gelu_erf()?,
            Unary::GeluTanh => tensor.gelu()?,
            Unary::Silu => tensor.silu()?,
            Unary::Sign => tensor.sign()?,
            Unary::Floor => tensor.floor()?,
        })
    }

    fn affine(tensor: &Tensor, mul: f64, add: f64) -> Result<Tensor> {
        Ok(tensor.affine(mul, add)?)
    }

    fn powf(tensor: &Tensor, exponent: f64) -> Result<Tensor> {
        Ok(tensor.powf(exponent)?)
    }

    fn clamp(tensor: &Tensor, min: f64, max: f64) -> Result<Tensor> {
        Ok(tensor.clamp(min as f32, max as f32)?)
    }

    fn binary(left: &Tensor, right: &Tensor, op: Binary) -> Result<Tensor> {
        Ok(match op {
            Binary::Add => left.broadcast_add(right)?,
            Binary::Sub => left.broadcast_sub(right)?,
            Binary::Mul => left.broadcast_mul(right)?,
            Binary::Div => left.broadcast_div(right)?,
            Binary::Max => left.broadcast_maximum(right)?,
            Binary::Min => left.broadcast_minimum(right)?,
        })
    }

    fn where_greater(tensor: &Tensor, threshold: f64, above: &Tensor, below: &Tensor) -> Result<Tensor> {
        let mask = tensor.gt(threshold as f32)?;
        Ok(mask.where_cond(above, below)?)
    }

    fn reduce(tensor: &Tensor, dim: usize, op: Reduce) -> Result<Tensor> {
        Ok(match op {
            Reduce::Sum => tensor.sum_keepdim(dim)?,
            Reduce::Max => tensor.max_keepdim(dim)?,
            Reduce::Min => tensor.min_keepdim(dim)?,
        })
    }

    fn matmul(left: &Tensor, right: &Tensor) -> Result<Tensor> {
        let (left_dims, right_dims) = (left.dims(), right.dims());
        let rank = left_dims.len();
        let on_cpu = left.device().is_cpu() && right.device().is_cpu();
        let floats = left.dtype() == DType::F32 && right.dtype() == DType::F32;
        if on_cpu && floats && rank >= 2 && right_dims.len() == rank && left_dims[..rank - 2] == right_dims[..rank - 2]
        {
            return Ok(left.apply_op2_no_bwd(right, &Matmul { bias: None, clamp: None })?);
        }
        // candle's kernels take transposed operands as they are; other layouts are copied first.
        match left.matmul(right) {
            Ok(product) => Ok(product),
            Err(_) => Ok(left.contiguous()?.matmul(&right.contiguous()?)?),
        }
    }

    fn linear(x: &Tensor, weight: &Tensor, bias: Option<&Tensor>, clamp: Option<[f32; 2]>) -> Result<Option<Tensor>> {
        let on_cpu = x.device().is_cpu() && weight.device().is_cpu();
        if !on_cpu || x.dtype() != DType::F32 || weight.dtype() != DType::F32 || x.rank() != 2 || weight.rank() != 2 {
            return Ok(None);
        }
        let bias = bias.map(|bias| bias.to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()).transpose()?;
        Ok(Some(x.apply_op2_no_bwd(&weight.t()?, &Matmul { bias, clamp })?))
    }

    fn conv2d(
        input: &Tensor,
        weight: &Tensor,
        padding: usize,
        stride: usize,
        dilation: usize,
        groups: usize,
    ) -> Result<Option<Tensor>> {
        Ok(Some(input.contiguous()?.conv2d(weight, padding, stride, dilation, groups)?))
    }

    fn conv2d_fused(
        input: &Tensor,
        weight: &Tensor,
        bias: Option<&Tensor>,
        conv: &Conv2d,
        clamp: Option<[f32; 2]>,
    ) -> Result<Option<Tensor>> {
        let on_cpu = input.device().is_cpu() && weight.device().is_cpu();
        if !on_cpu || input.dtype() != DType::F32 || weight.dtype() != DType::F32 || input.rank() != 4 {
            return Ok(None);
        }
        let bias = bias.map(|bias| bias.to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()).transpose()?;
        let op = FusedConv { conv: *conv, bias, clamp };
        Ok(Some(input.contiguous()?.apply_op2_no_bwd(&weight.contiguous()?, &op)?))
    }

    fn binary_clamp(left: &Tensor, right: &Tensor, op: Binary, clamp: Option<[f32; 2]>) -> Result<Option<Tensor>> {
        let on_cpu = left.device().is_cpu() && right.device().is_cpu();
        let floats = left.dtype() == DType::F32 && right.dtype() == DType::F32;
        if !on_cpu || !floats || left.dims() != right.dims() {
            return Ok(None);
        }
        Ok(Some(left.contiguous()?.apply_op2_no_bwd(&right.contiguous()?, &Elementwise { op, clamp })?))
    }

    fn max_pool2d(input: &Tensor, pool: &Pool2d) -> Result<Option<Tensor>> {
        if input.rank() != 4 || input.dtype() != DType::F32 {
            return Ok(None);
        }
        let [oh, ow] = pool.out;
        if input.device().is_cpu() {
            return Ok(Some(input.contiguous()?.apply_op1_no_bwd(&MaxPool(*pool))?));
        }
        if pool.padding != [0, 0] || pool.dilation != [1, 1] {
            return Ok(None);
        }
        let ([kh, kw], [sh, sw]) = (pool.kernel, pool.stride);
        let y = input.contiguous()?.max_pool2d_with_stride((kh, kw), (sh, sw))?;
        // candle's floor may fit one more window than PyTorch's count, or one fewer.
        if y.dim(2)? < oh || y.dim(3)? < ow {
            return Ok(None);
        }
        Ok(Some(y.narrow(2, 0, oh)?.narrow(3, 0, ow)?))
    }

    fn conv1d(
        input: &Tensor,
        weight: &Tensor,
        padding: usize,
        stride: usize,
        dilation: usize,
        groups: usize,
    ) -> Result<Option<Tensor>> {
        Ok(Some(input.contiguous()?.conv1d(weight, padding, stride, dilation, groups)?))
    }
}

/// A custom op's operand as the kernels take it: contiguous `f32`s.
fn floats<'a>(
    storage: &'a candle_core::CpuStorage,
    layout: &candle_core::Layout,
    op: &str,
) -> candle_core::Result<&'a [f32]> {
    let candle_core::CpuStorage::F32(data) = storage else { candle_core::bail!("{op} takes f32") };
    match layout.contiguous_offsets() {
        Some((start, end)) => Ok(&data[start..end]),
        None => candle_core::bail!("{op} takes contiguous tensors"),
    }
}

/// A 2-d convolution with bias and clamp on the CPU ([`cpu::conv2d`]).
struct FusedConv {
    conv: Conv2d,
    bias: Option<Vec<f32>>,
    clamp: Option<[f32; 2]>,
}

impl candle_core::CustomOp2 for FusedConv {
    fn name(&self) -> &'static str {
        "netshape-conv2d"
    }

    fn cpu_fwd(
        &self,
        input: &candle_core::CpuStorage,
        input_layout: &candle_core::Layout,
        weight: &candle_core::CpuStorage,
        weight_layout: &candle_core::Layout,
    ) -> candle_core::Result<(candle_core::CpuStorage, candle_core::Shape)> {
        let (x, w) = (floats(input, input_layout, "conv2d")?, floats(weight, weight_layout, "conv2d")?);
        let dims = input_layout.shape().dims4()?;
        let w_dims = weight_layout.shape().dims4()?;
        let y = cpu::conv2d(
            x,
            [dims.0, dims.1, dims.2, dims.3],
            w,
            [w_dims.0, w_dims.1, w_dims.2, w_dims.3],
            self.bias.as_deref(),
            &self.conv,
            self.clamp,
        )
        .map_err(candle_core::Error::Msg)?;
        let [oh, ow] = self.conv.out;
        Ok((candle_core::CpuStorage::F32(y), candle_core::Shape::from((dims.0, w_dims.0, oh, ow))))
    }
}

/// A batched matrix product on the CPU ([`cpu::matmul`]), operands read
/// with their strides, a bias per column added and a clamp applied.
struct Matmul {
    bias: Option<Vec<f32>>,
    clamp: Option<[f32; 2]>,
}

impl candle_core::CustomOp2 for Matmul {
    fn name(&self) -> &'static str {
        "netshape-matmul"
    }

    fn cpu_fwd(
        &self,
        left: &candle_core::CpuStorage,
        left_layout: &candle_core::Layout,
        right: &candle_core::CpuStorage,
        right_layout: &candle_core::Layout,
    ) -> candle_core::Result<(candle_core::CpuStorage, candle_core::Shape)> {
        let (candle_core::CpuStorage::F32(left), candle_core::CpuStorage::F32(right)) = (left, right) else {
            candle_core::bail!("matmul takes f32")
        };
        let (left_dims, right_dims) = (left_layout.dims(), right_layout.dims());
        let rank = left_dims.len();
        if rank < 2 || right_dims.len() != rank || left_dims[..rank - 2] != right_dims[..rank - 2] {
            candle_core::bail!("matmul of {left_dims:?} and {right_dims:?}")
        }
        let batch = &left_dims[..rank - 2];
        let (m, k, n) = (left_dims[rank - 2], left_dims[rank - 1], right_dims[rank - 1]);
        if right_dims[rank - 2] != k {
            candle_core::bail!("matmul of {left_dims:?} and {right_dims:?}")
        }
        fn operand<'a>(data: &'a [f32], layout: &'a candle_core::Layout, rank: usize) -> cpu::Strided<'a> {
            let strides = layout.stride();
            cpu::Strided {
                data,
                offset: layout.start_offset(),
                batch: &strides[..rank - 2],
                row: strides[rank - 2],
                column: strides[rank - 1],
            }
        }
        let (lhs, rhs) = (operand(left, left_layout, rank), operand(right, right_layout, rank));
        let y = cpu::matmul(&lhs, &rhs, batch, [m, k, n], self.bias.as_deref(), self.clamp)
            .map_err(candle_core::Error::Msg)?;
        let mut dims = batch.to_vec();
        dims.extend([m, n]);
        Ok((candle_core::CpuStorage::F32(y), candle_core::Shape::from(dims)))
    }
}

/// An elementwise op of two tensors of one shape on the CPU, then a clamp
/// ([`cpu::binary`]).
struct Elementwise {
    op: Binary,
    clamp: Option<[f32; 2]>,
}

impl candle_core::CustomOp2 for Elementwise {
    fn name(&self) -> &'static str {
        "netshape-binary"
    }

    fn cpu_fwd(
        &self,
        left: &candle_core::CpuStorage,
        left_layout: &candle_core::Layout,
        right: &candle_core::CpuStorage,
        right_layout: &candle_core::Layout,
    ) -> candle_core::Result<(candle_core::CpuStorage, candle_core::Shape)> {
        let (a, b) = (floats(left, left_layout, "binary")?, floats(right, right_layout, "binary")?);
        let y = cpu::binary(a, b, self.op, self.clamp).map_err(candle_core::Error::Msg)?;
        Ok((candle_core::CpuStorage::F32(y), left_layout.shape().clone()))
    }
}

/// A 2-d transpose on the CPU ([`cpu::transpose`]).
struct Transpose;

impl candle_core::CustomOp1 for Transpose {
    fn name(&self) -> &'static str {
        "netshape-transpose"
    }

    fn cpu_fwd(
        &self,
        storage: &candle_core::CpuStorage,
        layout: &candle_core::Layout,
    ) -> candle_core::Result<(candle_core::CpuStorage, candle_core::Shape)> {
        let (rows, columns) = layout.shape().dims2()?;
        let y =
            cpu::transpose(floats(storage, layout, "transpose")?, [rows, columns]).map_err(candle_core::Error::Msg)?;
        Ok((candle_core::CpuStorage::F32(y), candle_core::Shape::from((columns, rows))))
    }
}

/// A 2-d max pool on the CPU ([`cpu::max_pool2d`]).
struct MaxPool(Pool2d);

impl candle_core::CustomOp1 for MaxPool {
    fn name(&self) -> &'static str {
        "netshape-max-pool2d"
    }

    fn cpu_fwd(
        &self,
        storage: &candle_core::CpuStorage,
        layout: &candle_core::Layout,
    ) -> candle_core::Result<(candle_core::CpuStorage, candle_core::Shape)> {
        let (batch, channels, height, width) = layout.shape().dims4()?;
        let y = cpu::max_pool2d(floats(storage, layout, "max_pool2d")?, [batch, channels, height, width], &self.0)
            .map_err(candle_core::Error::Msg)?;
        let [oh, ow] = self.0.out;
        Ok((candle_core::CpuStorage::F32(y), candle_core::Shape::from((batch, channels, oh, ow))))
    }
}

/// A tensor of a `torch.save` file: key, shape, the tensor if it fits the
/// file, and its type.
type TorchEntry = (String, Vec<usize>, Option<Tensor>, String);

/// Reads what `torch.save(model.state_dict(), path)` writes, with candle's
/// pickle reader; sizes are checked against the file before anything is
/// allocated, and a panic in the reader is an error.
pub(crate) fn read_torch(
    path: &std::path::Path,
) -> Result<std::collections::BTreeMap<String, super::weights::RawTensor>> {
    use super::weights::{RawData, RawTensor};
    let name = path.display().to_string();
    let format = |message: String| Error::Format { path: name.clone(), message };
    let file_size = std::fs::metadata(path).map(|meta| meta.len()).unwrap_or(0);
    verify_archive(path).map_err(|message| format(format!("a damaged `torch.save` archive ({message})")))?;
    let read = std::panic::catch_unwind(|| -> candle_core::Result<Vec<TorchEntry>> {
        let tensors = candle_core::pickle::PthTensors::new(path, None)?;
        let mut out = Vec::new();
        for (key, info) in tensors.tensor_infos() {
            let shape = info.layout.dims().to_vec();
            let bytes = shape.iter().try_fold(info.dtype.size_in_bytes(), |total, &dim| total.checked_mul(dim));
            // A tensor cannot hold more than the file does.
            let fits = bytes.is_some_and(|bytes| bytes as u64 <= file_size);
            let tensor = if fits { tensors.get(key)? } else { None };
            out.push((key.clone(), shape, tensor, info.dtype.as_str().to_owned()));
        }
        Ok(out)
    });
    let tensors = match read {
        Ok(Ok(tensors)) => tensors,
        Ok(Err(error)) => return Err(format(format!("not a readable `torch.save` file ({error})"))),
        Err(_) => return Err(format("the `torch.save` reader failed on this file".to_owned())),
    };
    let mut out = std::collections::BTreeMap::new();
    for (key, shape, tensor, dtype) in tensors {
        let Some(tensor) = tensor else {
            return Err(format(format!("tensor `{key}` claims shape {shape:?}, more than the file holds")));
        };
        let flat = tensor.flatten_all()?;
        let data = match tensor.dtype() {
            DType::F32 | DType::F64 | DType::F16 | DType::BF16 => {
                let name = match tensor.dtype() {
                    DType::F64 => "f64",
                    DType::F16 => "f16",
                    DType::BF16 => "bf16",
                    _ => "f32",
                };
                RawData::Float(flat.to_dtype(DType::F32)?.to_vec1::<f32>()?, name)
            }
            DType::I64 => RawData::Int(flat.to_vec1::<i64>()?, "i64"),
            DType::U8 => RawData::Int(flat.to_dtype(DType::I64)?.to_vec1::<i64>()?, "u8"),
            _ => RawData::Other(dtype),
        };
        out.insert(key, RawTensor { shape, data });
    }
    Ok(out)
}

/// Reads every member of a zip archive to its end, so that a damaged byte
/// fails its CRC check before any tensor is built from it.
fn verify_archive(path: &std::path::Path) -> core::result::Result<(), String> {
    let file = std::fs::File::open(path).map_err(|error| error.to_string())?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|error| error.to_string())?;
    for index in 0..archive.len() {
        let mut member = archive.by_index(index).map_err(|error| error.to_string())?;
        let name = member.name().map(|name| name.into_owned()).unwrap_or_default();
        std::io::copy(&mut member, &mut std::io::sink()).map_err(|error| format!("`{name}`: {error}"))?;
    }
    Ok(())
}
