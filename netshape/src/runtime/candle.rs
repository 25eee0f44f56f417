//! The candle backend: every call into candle's API is in this file.

use candle_core::{DType, Device, Tensor};

use super::backend::{Backend, Binary, Reduce, Unary};
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
        // candle's kernels take transposed operands as they are; other layouts are copied first.
        match left.matmul(right) {
            Ok(product) => Ok(product),
            Err(_) => Ok(left.contiguous()?.matmul(&right.contiguous()?)?),
        }
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

    fn columns2d(
        input: &Tensor,
        kernel: [usize; 2],
        stride: [usize; 2],
        dilation: [usize; 2],
        padding: [usize; 2],
        out: [usize; 2],
    ) -> Result<Option<Tensor>> {
        if !input.device().is_cpu() || input.dtype() != DType::F32 || input.rank() != 4 {
            return Ok(None);
        }
        let columns = Columns { kernel, stride, dilation, padding, out };
        Ok(Some(input.contiguous()?.apply_op1_no_bwd(&columns)?))
    }

    fn depthwise2d(
        input: &Tensor,
        weight: &Tensor,
        stride: [usize; 2],
        dilation: [usize; 2],
        padding: [usize; 2],
        out: [usize; 2],
    ) -> Result<Option<Tensor>> {
        let on_cpu = input.device().is_cpu() && weight.device().is_cpu();
        if !on_cpu || input.dtype() != DType::F32 || weight.dtype() != DType::F32 || input.rank() != 4 {
            return Ok(None);
        }
        let op = Depthwise { stride, dilation, padding, out };
        Ok(Some(input.contiguous()?.apply_op2_no_bwd(&weight.contiguous()?, &op)?))
    }

    fn max_pool2d(input: &Tensor, kernel: [usize; 2], stride: [usize; 2]) -> Result<Option<Tensor>> {
        if input.rank() != 4 {
            return Ok(None);
        }
        let (kernel, stride) = ((kernel[0], kernel[1]), (stride[0], stride[1]));
        Ok(Some(input.contiguous()?.max_pool2d_with_stride(kernel, stride)?))
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

/// im2col on the CPU: every window of a `[N, C, H, W]` tensor as a column.
struct Columns {
    kernel: [usize; 2],
    stride: [usize; 2],
    dilation: [usize; 2],
    padding: [usize; 2],
    out: [usize; 2],
}

impl Columns {
    /// Fills the rows `first..` of the columns (each `n·oh·ow` long).
    fn fill(&self, x: &[f32], [batch, channels, height, width]: [usize; 4], first: usize, rows: &mut [f32]) {
        let ([kh, kw], [oh, ow]) = (self.kernel, self.out);
        let ([sh, sw], [dh, dw], [ph, pw]) = (self.stride, self.dilation, self.padding);
        let length = batch * oh * ow;
        if length == 0 {
            return;
        }
        for (local, row) in rows.chunks_mut(length).enumerate() {
            let index = first + local;
            let (channel, offset) = (index / (kh * kw), index % (kh * kw));
            let (i, j) = (offset / kw, offset % kw);
            for sample in 0..batch {
                let plane = &x[(sample * channels + channel) * height * width..][..height * width];
                for y in 0..oh {
                    let source_y = (y * sh + i * dh) as isize - ph as isize;
                    if source_y < 0 || source_y >= height as isize {
                        continue;
                    }
                    let line = &plane[source_y as usize * width..][..width];
                    let target = &mut row[(sample * oh + y) * ow..][..ow];
                    for (x_out, value) in target.iter_mut().enumerate() {
                        let source_x = (x_out * sw + j * dw) as isize - pw as isize;
                        if source_x >= 0 && source_x < width as isize {
                            *value = line[source_x as usize];
                        }
                    }
                }
            }
        }
    }
}

impl candle_core::CustomOp1 for Columns {
    fn name(&self) -> &'static str {
        "netshape-columns2d"
    }

    fn cpu_fwd(
        &self,
        storage: &candle_core::CpuStorage,
        layout: &candle_core::Layout,
    ) -> candle_core::Result<(candle_core::CpuStorage, candle_core::Shape)> {
        let candle_core::CpuStorage::F32(data) = storage else { candle_core::bail!("columns2d takes f32") };
        let Some((start, end)) = layout.contiguous_offsets() else {
            candle_core::bail!("columns2d takes a contiguous tensor")
        };
        let dims = layout.shape().dims4()?;
        let (channels, batch) = (dims.1, dims.0);
        let rows = channels * self.kernel[0] * self.kernel[1];
        let length = batch * self.out[0] * self.out[1];
        let mut columns = vec![0f32; rows * length];
        let x = &data[start..end];
        let threads = candle_core::utils::get_num_threads().clamp(1, rows.max(1));
        let per_thread = rows.div_ceil(threads).max(1);
        let dims = [dims.0, dims.1, dims.2, dims.3];
        std::thread::scope(|scope| {
            for (part, chunk) in columns.chunks_mut((per_thread * length).max(1)).enumerate() {
                scope.spawn(move || self.fill(x, dims, part * per_thread, chunk));
            }
        });
        Ok((candle_core::CpuStorage::F32(columns), candle_core::Shape::from((rows, length))))
    }
}

/// A depthwise 2-d convolution on the CPU: each output plane from one input plane.
struct Depthwise {
    stride: [usize; 2],
    dilation: [usize; 2],
    padding: [usize; 2],
    out: [usize; 2],
}

impl Depthwise {
    /// One output plane from its input plane and kernel.
    fn plane(
        &self,
        input: &[f32],
        [height, width]: [usize; 2],
        kernel: &[f32],
        [kh, kw]: [usize; 2],
        output: &mut [f32],
    ) {
        let ([sh, sw], [dh, dw], [ph, pw], [_, ow]) = (self.stride, self.dilation, self.padding, self.out);
        for (y, row) in output.chunks_mut(ow.max(1)).enumerate() {
            for i in 0..kh {
                let source_y = (y * sh + i * dh) as isize - ph as isize;
                if source_y < 0 || source_y >= height as isize {
                    continue;
                }
                let line = &input[source_y as usize * width..][..width];
                for j in 0..kw {
                    let weight = kernel[i * kw + j];
                    let shift = (j * dw) as isize - pw as isize;
                    // The outputs whose source column is inside the line.
                    let first = if shift >= 0 { 0 } else { ((-shift) as usize).div_ceil(sw) };
                    let last =
                        if (width as isize) <= shift { 0 } else { ((width as isize - shift) as usize).div_ceil(sw) };
                    let last = last.min(ow);
                    if first >= last {
                        continue;
                    }
                    let start = ((first * sw) as isize + shift) as usize;
                    let sources = line[start..].iter().step_by(sw);
                    for (value, source) in row[first..last].iter_mut().zip(sources) {
                        *value += source * weight;
                    }
                }
            }
        }
    }
}

impl candle_core::CustomOp2 for Depthwise {
    fn name(&self) -> &'static str {
        "netshape-depthwise2d"
    }

    fn cpu_fwd(
        &self,
        input: &candle_core::CpuStorage,
        input_layout: &candle_core::Layout,
        weight: &candle_core::CpuStorage,
        weight_layout: &candle_core::Layout,
    ) -> candle_core::Result<(candle_core::CpuStorage, candle_core::Shape)> {
        let (candle_core::CpuStorage::F32(input), candle_core::CpuStorage::F32(weight)) = (input, weight) else {
            candle_core::bail!("depthwise2d takes f32")
        };
        let (Some((x_start, x_end)), Some((w_start, w_end))) =
            (input_layout.contiguous_offsets(), weight_layout.contiguous_offsets())
        else {
            candle_core::bail!("depthwise2d takes contiguous tensors")
        };
        let (batch, channels, height, width) = input_layout.shape().dims4()?;
        let (outputs, _, kh, kw) = weight_layout.shape().dims4()?;
        if channels == 0 || outputs % channels != 0 {
            candle_core::bail!("depthwise2d: {outputs} outputs for {channels} channels")
        }
        let multiplier = outputs / channels;
        let [oh, ow] = self.out;
        let (x, w) = (&input[x_start..x_end], &weight[w_start..w_end]);
        let plane = (oh * ow).max(1);
        let mut result = vec![0f32; batch * outputs * oh * ow];
        let planes = batch * outputs;
        let threads = candle_core::utils::get_num_threads().clamp(1, planes.max(1));
        let per_thread = planes.div_ceil(threads).max(1);
        std::thread::scope(|scope| {
            for (part, chunk) in result.chunks_mut(per_thread * plane).enumerate() {
                scope.spawn(move || {
                    for (local, output) in chunk.chunks_mut(plane).enumerate() {
                        let index = part * per_thread + local;
                        let (sample, out_channel) = (index / outputs, index % outputs);
                        let channel = out_channel / multiplier;
                        let source = &x[(sample * channels + channel) * height * width..][..height * width];
                        let kernel = &w[out_channel * kh * kw..][..kh * kw];
                        self.plane(source, [height, width], kernel, [kh, kw], output);
                    }
                });
            }
        });
        Ok((candle_core::CpuStorage::F32(result), candle_core::Shape::from((batch, outputs, oh, ow))))
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
