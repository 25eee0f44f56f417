//! Elementwise ops, norms, linear layers, embeddings, reshapes and joins.

use netshape_core::program::{Activation, BagMode, Join, Reduction, SoftmaxKind};

use super::super::backend::{Backend, Binary, Reduce, Unary};
use super::super::Result;
use super::Params;

/// A per-channel vector `[C]` shaped to broadcast along dim 1 of a tensor of `rank` dims.
pub fn channels<B: Backend>(vector: &B::Tensor, rank: usize) -> Result<B::Tensor> {
    let mut dims = vec![1; rank.max(2)];
    dims[1] = B::dims(vector).iter().product();
    B::reshape(vector, &dims)
}

pub fn sigmoid<B: Backend>(x: &B::Tensor) -> Result<B::Tensor> {
    B::unary(&B::affine(&B::unary(&B::unary(x, Unary::Neg)?, Unary::Exp)?, 1.0, 1.0)?, Unary::Recip)
}

/// `log(1 + eˣ)`, as PyTorch's softplus with `beta` and `threshold` computes it.
fn softplus<B: Backend>(x: &B::Tensor, beta: f64, threshold: f64) -> Result<B::Tensor> {
    let scaled = B::affine(x, beta, 0.0)?;
    let soft =
        B::affine(&B::unary(&B::affine(&B::unary(&scaled, Unary::Exp)?, 1.0, 1.0)?, Unary::Log)?, 1.0 / beta, 0.0)?;
    B::where_greater(&scaled, threshold, x, &soft)
}

pub fn activation<B: Backend>(x: &B::Tensor, activation: Activation) -> Result<B::Tensor> {
    let zeros = || B::full(x, 0.0, &B::dims(x));
    Ok(match activation {
        Activation::Relu => B::unary(x, Unary::Relu)?,
        Activation::Relu6 => B::clamp(x, 0.0, 6.0)?,
        Activation::LeakyRelu(slope) => B::where_greater(x, 0.0, x, &B::affine(x, slope, 0.0)?)?,
        Activation::Elu(alpha) => {
            let negative = B::affine(&B::affine(&B::unary(x, Unary::Exp)?, 1.0, -1.0)?, alpha, 0.0)?;
            B::where_greater(x, 0.0, x, &negative)?
        }
        Activation::Celu(alpha) => {
            let scaled = B::affine(x, 1.0 / alpha, 0.0)?;
            let negative = B::affine(&B::affine(&B::unary(&scaled, Unary::Exp)?, 1.0, -1.0)?, alpha, 0.0)?;
            B::where_greater(x, 0.0, x, &negative)?
        }
        Activation::Selu => {
            const ALPHA: f64 = 1.673_263_242_354_377_3;
            const SCALE: f64 = 1.050_700_987_355_480_5;
            let negative = B::affine(&B::affine(&B::unary(x, Unary::Exp)?, 1.0, -1.0)?, ALPHA * SCALE, 0.0)?;
            B::where_greater(x, 0.0, &B::affine(x, SCALE, 0.0)?, &negative)?
        }
        Activation::Gelu => B::unary(x, Unary::Gelu)?,
        Activation::GeluTanh => B::unary(x, Unary::GeluTanh)?,
        Activation::Silu => B::unary(x, Unary::Silu)?,
        Activation::Mish => B::binary(x, &B::unary(&softplus::<B>(x, 1.0, 20.0)?, Unary::Tanh)?, Binary::Mul)?,
        Activation::Hardswish => {
            B::binary(x, &B::affine(&B::clamp(&B::affine(x, 1.0, 3.0)?, 0.0, 6.0)?, 1.0 / 6.0, 0.0)?, Binary::Mul)?
        }
        Activation::Hardsigmoid => B::affine(&B::clamp(&B::affine(x, 1.0, 3.0)?, 0.0, 6.0)?, 1.0 / 6.0, 0.0)?,
        Activation::Hardtanh(min, max) => B::clamp(x, min, max)?,
        Activation::Sigmoid => sigmoid::<B>(x)?,
        Activation::Tanh => B::unary(x, Unary::Tanh)?,
        Activation::LogSigmoid => {
            // min(x, 0) − log(1 + e^−|x|), stable for large |x|.
            let negative_part = B::binary(x, &zeros()?, Binary::Min)?;
            let tail = B::unary(
                &B::affine(&B::unary(&B::unary(&B::unary(x, Unary::Abs)?, Unary::Neg)?, Unary::Exp)?, 1.0, 1.0)?,
                Unary::Log,
            )?;
            B::binary(&negative_part, &tail, Binary::Sub)?
        }
        Activation::Softplus(beta, threshold) => softplus::<B>(x, beta, threshold)?,
        Activation::Softsign => B::binary(x, &B::affine(&B::unary(x, Unary::Abs)?, 1.0, 1.0)?, Binary::Div)?,
        Activation::Tanhshrink => B::binary(x, &B::unary(x, Unary::Tanh)?, Binary::Sub)?,
        Activation::Hardshrink(lambd) => {
            let magnitude = B::unary(x, Unary::Abs)?;
            B::where_greater(&magnitude, lambd, x, &zeros()?)?
        }
        Activation::Softshrink(lambd) => {
            let above = B::affine(x, 1.0, -lambd)?;
            let below = B::affine(x, 1.0, lambd)?;
            let inner = B::where_greater(&B::unary(x, Unary::Neg)?, lambd, &below, &zeros()?)?;
            B::where_greater(x, lambd, &above, &inner)?
        }
        Activation::Threshold(threshold, value) => {
            B::where_greater(x, threshold, x, &B::full(x, value as f32, &B::dims(x))?)?
        }
    })
}

pub fn prelu<B: Backend>(x: &B::Tensor, weight: &B::Tensor) -> Result<B::Tensor> {
    let rank = B::dims(x).len();
    let slope = if B::dims(weight).iter().product::<usize>() == 1 {
        B::reshape(weight, &vec![1; rank])?
    } else {
        channels::<B>(weight, rank)?
    };
    let negative = B::binary(x, &slope, Binary::Mul)?;
    B::where_greater(x, 0.0, x, &negative)
}

pub fn softmax<B: Backend>(x: &B::Tensor, kind: SoftmaxKind, dim: usize) -> Result<B::Tensor> {
    let x = match kind {
        SoftmaxKind::Softmin => B::unary(x, Unary::Neg)?,
        _ => x.clone(),
    };
    let shifted = B::binary(&x, &B::reduce(&x, dim, Reduce::Max)?, Binary::Sub)?;
    let exp = B::unary(&shifted, Unary::Exp)?;
    let sum = B::reduce(&exp, dim, Reduce::Sum)?;
    match kind {
        SoftmaxKind::LogSoftmax => B::binary(&shifted, &B::unary(&sum, Unary::Log)?, Binary::Sub),
        _ => B::binary(&exp, &sum, Binary::Div),
    }
}

pub fn glu<B: Backend>(x: &B::Tensor, dim: usize) -> Result<B::Tensor> {
    let half = B::dims(x)[dim] / 2;
    let (a, b) = (B::narrow(x, dim, 0, half)?, B::narrow(x, dim, half, half)?);
    B::binary(&a, &sigmoid::<B>(&b)?, Binary::Mul)
}

/// `x · weightᵀ + bias` over the last dim, for any leading dims.
pub fn linear<B: Backend>(x: &B::Tensor, weight: &B::Tensor, bias: Option<&B::Tensor>) -> Result<B::Tensor> {
    linear_clamped::<B>(x, weight, bias, None)
}

/// `x · weightᵀ + bias` over the last dim, every value then limited to `clamp`.
pub fn linear_clamped<B: Backend>(
    x: &B::Tensor,
    weight: &B::Tensor,
    bias: Option<&B::Tensor>,
    clamp: Option<[f32; 2]>,
) -> Result<B::Tensor> {
    let dims = B::dims(x);
    let (inputs, outputs) = (dims[dims.len() - 1], B::dims(weight)[0]);
    let rows = dims.iter().product::<usize>() / inputs.max(1);
    let flat = B::reshape(x, &[rows, inputs])?;
    let y = match B::linear(&flat, weight, bias, clamp)? {
        Some(y) => y,
        None => {
            let mut y = B::matmul(&flat, &B::permute(weight, &[1, 0])?)?;
            if let Some(bias) = bias {
                y = B::binary(&y, &B::reshape(bias, &[1, outputs])?, Binary::Add)?;
            }
            match clamp {
                Some([min, max]) => B::clamp(&y, min.into(), max.into())?,
                None => y,
            }
        }
    };
    let mut out = dims;
    if let Some(last) = out.last_mut() {
        *last = outputs;
    }
    B::reshape(&y, &out)
}

/// Mean and biased variance over `dim` (kept).
fn moments<B: Backend>(x: &B::Tensor, dim: usize) -> Result<(B::Tensor, B::Tensor)> {
    let count = B::dims(x)[dim] as f64;
    let mean = B::affine(&B::reduce(x, dim, Reduce::Sum)?, 1.0 / count, 0.0)?;
    let centered = B::binary(x, &mean, Binary::Sub)?;
    let variance =
        B::affine(&B::reduce(&B::binary(&centered, &centered, Binary::Mul)?, dim, Reduce::Sum)?, 1.0 / count, 0.0)?;
    Ok((mean, variance))
}

/// `(x − mean) / √(var + eps)` over the last dim of `[rows, n]`.
fn standardize<B: Backend>(x: &B::Tensor, eps: f64) -> Result<B::Tensor> {
    let (mean, variance) = moments::<B>(x, 1)?;
    let inverse = B::unary(&B::unary(&B::affine(&variance, 1.0, eps)?, Unary::Sqrt)?, Unary::Recip)?;
    B::binary(&B::binary(x, &mean, Binary::Sub)?, &inverse, Binary::Mul)
}

/// Multiplies by `weight` and adds `bias` per channel (dim 1).
fn affine_channels<B: Backend>(
    x: B::Tensor,
    weight: Option<&B::Tensor>,
    bias: Option<&B::Tensor>,
) -> Result<B::Tensor> {
    let rank = B::dims(&x).len();
    let mut y = x;
    if let Some(weight) = weight {
        y = B::binary(&y, &channels::<B>(weight, rank)?, Binary::Mul)?;
    }
    if let Some(bias) = bias {
        y = B::binary(&y, &channels::<B>(bias, rank)?, Binary::Add)?;
    }
    Ok(y)
}

/// Normalises each channel over the batch and positions (`batch`) or over
/// each sample's positions.
fn channel_statistics<B: Backend>(x: &B::Tensor, eps: f64, over_batch: bool) -> Result<B::Tensor> {
    let dims = B::dims(x);
    let (batch, channels) = (dims[0], dims.get(1).copied().unwrap_or(1));
    let positions: usize = dims.iter().skip(2).product();
    if over_batch {
        // [N, C, P] → [C, N·P]
        let grouped = B::reshape(
            &B::permute(&B::reshape(x, &[batch, channels, positions])?, &[1, 0, 2])?,
            &[channels, batch * positions],
        )?;
        let normalized = standardize::<B>(&grouped, eps)?;
        let back = B::permute(&B::reshape(&normalized, &[channels, batch, positions])?, &[1, 0, 2])?;
        B::reshape(&back, &dims)
    } else {
        let normalized = standardize::<B>(&B::reshape(x, &[batch * channels, positions])?, eps)?;
        B::reshape(&normalized, &dims)
    }
}

/// Normalises with running statistics: `x · scale + shift` per channel.
fn running_norm<B: Backend>(x: &B::Tensor, params: &Params<'_, B>, eps: f64, affine: bool) -> Result<B::Tensor> {
    let (scale, shift) = running_scale_and_shift::<B>(params, eps, affine)?;
    let rank = B::dims(x).len();
    B::binary(&B::binary(x, &channels::<B>(&scale, rank)?, Binary::Mul)?, &channels::<B>(&shift, rank)?, Binary::Add)
}

/// A norm on running statistics as `x · scale + shift` per channel:
/// `scale = γ / √(var + eps)`, `shift = β − mean · scale`.
pub fn running_scale_and_shift<B: Backend>(
    params: &Params<'_, B>,
    eps: f64,
    affine: bool,
) -> Result<(B::Tensor, B::Tensor)> {
    let (mean, variance) = (params.get("running_mean")?, params.get("running_var")?);
    let mut scale = B::unary(&B::unary(&B::affine(variance, 1.0, eps)?, Unary::Sqrt)?, Unary::Recip)?;
    if affine {
        scale = B::binary(&scale, params.get("weight")?, Binary::Mul)?;
    }
    let mut shift = B::unary(&B::binary(mean, &scale, Binary::Mul)?, Unary::Neg)?;
    if affine {
        shift = B::binary(&shift, params.get("bias")?, Binary::Add)?;
    }
    Ok((scale, shift))
}

/// Batch norm (statistics over the batch and positions) or instance norm
/// (over each sample's positions): on running statistics when `running`.
pub fn channel_norm<B: Backend>(
    x: &B::Tensor,
    params: &Params<'_, B>,
    eps: f64,
    affine: bool,
    running: bool,
    over_batch: bool,
) -> Result<B::Tensor> {
    if running {
        return running_norm::<B>(x, params, eps, affine);
    }
    let normalized = channel_statistics::<B>(x, eps, over_batch)?;
    if affine {
        affine_channels::<B>(normalized, Some(params.get("weight")?), Some(params.get("bias")?))
    } else {
        Ok(normalized)
    }
}

pub fn group_norm<B: Backend>(
    x: &B::Tensor,
    params: &Params<'_, B>,
    groups: usize,
    eps: f64,
    affine: bool,
) -> Result<B::Tensor> {
    let dims = B::dims(x);
    let elements: usize = dims.iter().skip(1).product();
    let normalized = standardize::<B>(&B::reshape(x, &[dims[0] * groups, elements / groups])?, eps)?;
    let normalized = B::reshape(&normalized, &dims)?;
    if affine {
        affine_channels::<B>(normalized, Some(params.get("weight")?), Some(params.get("bias")?))
    } else {
        Ok(normalized)
    }
}

pub fn layer_norm<B: Backend>(
    x: &B::Tensor,
    axes: usize,
    eps: f64,
    weight: Option<&B::Tensor>,
    bias: Option<&B::Tensor>,
) -> Result<B::Tensor> {
    let dims = B::dims(x);
    let inner: usize = dims[dims.len() - axes..].iter().product();
    let rows = dims.iter().product::<usize>() / inner.max(1);
    let mut y = standardize::<B>(&B::reshape(x, &[rows, inner])?, eps)?;
    if let Some(weight) = weight {
        y = B::binary(&y, &B::reshape(weight, &[1, inner])?, Binary::Mul)?;
    }
    if let Some(bias) = bias {
        y = B::binary(&y, &B::reshape(bias, &[1, inner])?, Binary::Add)?;
    }
    B::reshape(&y, &dims)
}

pub fn local_response_norm<B: Backend>(x: &B::Tensor, size: usize, alpha: f64, beta: f64, k: f64) -> Result<B::Tensor> {
    let dims = B::dims(x);
    let channels = dims[1];
    let squares = B::binary(x, x, Binary::Mul)?;
    // Zeros around the channels, then the sum of each window of `size`.
    let (before, after) = (size / 2, (size - 1) / 2);
    let padded = super::window::pad_axis::<B>(
        &squares,
        1,
        before as i64,
        after as i64,
        netshape_core::program::PadMode::Constant,
        0.0,
    )?;
    let mut sum = B::narrow(&padded, 1, 0, channels)?;
    for offset in 1..size {
        sum = B::binary(&sum, &B::narrow(&padded, 1, offset, channels)?, Binary::Add)?;
    }
    let divisor = B::powf(&B::affine(&sum, alpha / size as f64, k)?, beta)?;
    B::binary(x, &divisor, Binary::Div)
}

pub fn normalize<B: Backend>(x: &B::Tensor, p: f64, dim: usize, eps: f64) -> Result<B::Tensor> {
    let norm = p_norm::<B>(x, p, dim)?;
    let norm = B::clamp(&norm, eps, f64::MAX)?;
    B::binary(x, &norm, Binary::Div)
}

/// The `p`-norm along `dim`, kept.
fn p_norm<B: Backend>(x: &B::Tensor, p: f64, dim: usize) -> Result<B::Tensor> {
    let magnitude = B::unary(x, Unary::Abs)?;
    if p == f64::INFINITY {
        return B::reduce(&magnitude, dim, Reduce::Max);
    }
    if p == 2.0 {
        return B::unary(&B::reduce(&B::binary(x, x, Binary::Mul)?, dim, Reduce::Sum)?, Unary::Sqrt);
    }
    if p == 1.0 {
        return B::reduce(&magnitude, dim, Reduce::Sum);
    }
    B::powf(&B::reduce(&B::powf(&magnitude, p)?, dim, Reduce::Sum)?, 1.0 / p)
}

/// Rows longer than `max_norm` scaled to it, as PyTorch's `embedding_renorm_`.
fn renorm<B: Backend>(rows: B::Tensor, max_norm: f64, norm_type: f64) -> Result<B::Tensor> {
    if max_norm <= 0.0 {
        return Ok(rows);
    }
    let last = B::dims(&rows).len() - 1;
    let norm = p_norm::<B>(&rows, norm_type, last)?;
    let scale =
        B::binary(&B::full(&norm, max_norm as f32, &B::dims(&norm))?, &B::affine(&norm, 1.0, 1e-7)?, Binary::Div)?;
    let ones = B::full(&norm, 1.0, &B::dims(&norm))?;
    let scale = B::where_greater(&norm, max_norm, &scale, &ones)?;
    B::binary(&rows, &scale, Binary::Mul)
}

pub fn embedding<B: Backend>(
    indices: &B::Tensor,
    table: &B::Tensor,
    max_norm: f64,
    norm_type: f64,
) -> Result<B::Tensor> {
    renorm::<B>(B::gather_rows(table, indices)?, max_norm, norm_type)
}

pub fn embedding_bag<B: Backend>(
    indices: &B::Tensor,
    table: &B::Tensor,
    mode: BagMode,
    max_norm: f64,
    norm_type: f64,
    padding_idx: Option<usize>,
) -> Result<B::Tensor> {
    let rows = renorm::<B>(B::gather_rows(table, indices)?, max_norm, norm_type)?; // [N, L, D]
    let dims = B::dims(&rows);
    let (batch, length) = (dims[0], dims[1]);
    // Which entries count: all but the padding index.
    let keep: Vec<f32> = match padding_idx {
        Some(padding) => B::to_i64_vec(indices)?.iter().map(|&index| f32::from(index != padding as i64)).collect(),
        None => vec![1.0; batch * length],
    };
    let counts: Vec<f32> = keep.chunks(length.max(1)).map(|bag| bag.iter().sum()).collect();
    let device = B::device(&rows);
    let mask = B::from_f32(&device, keep.clone(), &[batch, length, 1])?;
    Ok(match mode {
        BagMode::Sum => {
            B::reshape(&B::reduce(&B::binary(&rows, &mask, Binary::Mul)?, 1, Reduce::Sum)?, &[batch, dims[2]])?
        }
        BagMode::Mean => {
            let sum =
                B::reshape(&B::reduce(&B::binary(&rows, &mask, Binary::Mul)?, 1, Reduce::Sum)?, &[batch, dims[2]])?;
            let divisor: Vec<f32> = counts.iter().map(|&count| count.max(1.0)).collect();
            B::binary(&sum, &B::from_f32(&device, divisor, &[batch, 1])?, Binary::Div)?
        }
        BagMode::Max => {
            let lowest: Vec<f32> = keep.iter().map(|&kept| if kept > 0.0 { 0.0 } else { f32::NEG_INFINITY }).collect();
            let shifted = B::binary(&rows, &B::from_f32(&device, lowest, &[batch, length, 1])?, Binary::Add)?;
            let max = B::reshape(&B::reduce(&shifted, 1, Reduce::Max)?, &[batch, dims[2]])?;
            // An empty bag gives zeros.
            let empty: Vec<f32> = counts.iter().map(|&count| if count > 0.0 { 1.0 } else { 0.0 }).collect();
            let empty = B::from_f32(&device, empty, &[batch, 1])?;
            B::where_greater(
                &B::broadcast(&empty, &[batch, dims[2]])?,
                0.5,
                &max,
                &B::full(&max, 0.0, &[batch, dims[2]])?,
            )?
        }
    })
}

pub fn reduce<B: Backend>(x: &B::Tensor, kind: Reduction, dims: &[usize], output: &[usize]) -> Result<B::Tensor> {
    let shape = B::dims(x);
    let mut y = x.clone();
    for &dim in dims.iter().rev() {
        y = B::reduce(&y, dim, if kind == Reduction::Max { Reduce::Max } else { Reduce::Sum })?;
    }
    if kind == Reduction::Mean {
        let count: usize = dims.iter().map(|&dim| shape[dim]).product();
        y = B::affine(&y, 1.0 / count as f64, 0.0)?;
    }
    B::reshape(&y, output)
}

pub fn split<B: Backend>(
    x: &B::Tensor,
    dim: usize,
    sizes: &[usize],
    batch: usize,
    shapes: &[&[usize]],
) -> Result<Vec<B::Tensor>> {
    let mut start = 0;
    let mut pieces = Vec::with_capacity(sizes.len());
    for (index, &size) in sizes.iter().enumerate() {
        let piece = B::narrow(x, dim, start, size)?;
        start += size;
        let shape = super::batched(batch, shapes.get(index).copied().unwrap_or(&[]));
        pieces.push(B::reshape(&piece, &shape)?);
    }
    Ok(pieces)
}

pub fn join<B: Backend>(inputs: &[&B::Tensor], join: Join, clamp: Option<[f32; 2]>) -> Result<B::Tensor> {
    let op = match join {
        Join::Add => Binary::Add,
        Join::Sub => Binary::Sub,
        Join::Mul => Binary::Mul,
        Join::Div => Binary::Div,
    };
    if let [left, right] = inputs {
        if let Some(y) = B::binary_clamp(left, right, op, clamp)? {
            return Ok(y);
        }
    }
    let mut y = inputs[0].clone();
    for operand in &inputs[1..] {
        y = B::binary(&y, operand, op)?;
    }
    match clamp {
        Some([min, max]) => B::clamp(&y, min.into(), max.into()),
        None => Ok(y),
    }
}
