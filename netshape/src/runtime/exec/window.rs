//! Ops over sliding windows and positions: convolutions, pools, unfold and
//! fold, padding, resizing and shuffles. Each works on any number of spatial
//! axes (the last dims), from the backend's primitives: a window gather is one
//! `select` per axis.

use netshape_core::program::{Interpolation, PadMode};

use super::super::backend::{Backend, Binary, Conv2d, Pool2d, Reduce};
use super::super::Result;
use super::basic::channels;

/// A convolution's settings.
pub struct Conv<'a> {
    pub stride: &'a [usize],
    pub padding: &'a [usize],
    pub dilation: &'a [usize],
    pub groups: usize,
    pub padding_mode: PadMode,
}

/// Pads (`before`, `after` > 0) or crops (< 0) one dim.
pub fn pad_axis<B: Backend>(
    x: &B::Tensor,
    dim: usize,
    before: i64,
    after: i64,
    mode: PadMode,
    value: f64,
) -> Result<B::Tensor> {
    if before == 0 && after == 0 {
        return Ok(x.clone());
    }
    let length = B::dims(x)[dim] as i64;
    match mode {
        PadMode::Constant => {
            // Crop first, then fill.
            let start = (-before).max(0);
            let kept = length - start - (-after).max(0);
            let mut y = B::narrow(x, dim, start as usize, kept.max(0) as usize)?;
            let mut parts = Vec::with_capacity(3);
            let block = |size: i64| -> Result<Option<B::Tensor>> {
                if size <= 0 {
                    return Ok(None);
                }
                let mut dims = B::dims(&y);
                dims[dim] = size as usize;
                Ok(Some(B::full(&y, value as f32, &dims)?))
            };
            if let Some(left) = block(before)? {
                parts.push(left);
            }
            let right = block(after)?;
            parts.push(y.clone());
            if let Some(right) = right {
                parts.push(right);
            }
            if parts.len() > 1 {
                y = B::cat(&parts, dim)?;
            }
            Ok(y)
        }
        PadMode::Reflect | PadMode::Replicate => {
            let out = (length + before + after).max(0);
            let indices: Vec<usize> = (0..out)
                .map(|position| {
                    let index = position - before;
                    let index = match mode {
                        PadMode::Reflect => {
                            let index = if index < 0 { -index } else { index };
                            if index >= length {
                                2 * (length - 1) - index
                            } else {
                                index
                            }
                        }
                        _ => index.clamp(0, length - 1),
                    };
                    index.clamp(0, length - 1) as usize
                })
                .collect();
            B::select(x, dim, &indices)
        }
        PadMode::Circular => {
            // PyTorch crops first, then wraps around what is left.
            let start = (-before).max(0);
            let kept = (length - start - (-after).max(0)).max(1);
            let center = B::narrow(x, dim, start as usize, kept as usize)?;
            let (left, right) = (before.max(0), after.max(0));
            let indices: Vec<usize> =
                (0..left + kept + right).map(|position| (position - left).rem_euclid(kept) as usize).collect();
            B::select(&center, dim, &indices)
        }
    }
}

/// `F.pad`: two values per dim, last dim first.
pub fn pad<B: Backend>(x: &B::Tensor, pads: &[i64], mode: PadMode, value: f64) -> Result<B::Tensor> {
    let rank = B::dims(x).len();
    let mut y = x.clone();
    // PyTorch pads the first padded dim first; the later ones cover the corners.
    let axes = pads.len() / 2;
    for axis in (0..axes).rev() {
        let dim = rank - 1 - axis;
        y = pad_axis::<B>(&y, dim, pads[2 * axis], pads[2 * axis + 1], mode, value)?;
    }
    Ok(y)
}

/// Every `stride`-th entry of `dim` from `start`, `count` of them: a view
/// when the stride is 1, else one copy (a reshape that splits off the stride).
fn strided<B: Backend>(x: &B::Tensor, dim: usize, start: usize, stride: usize, count: usize) -> Result<B::Tensor> {
    if stride == 1 || count == 1 {
        return B::narrow(x, dim, start, count);
    }
    let length = B::dims(x)[dim];
    let available = length - start;
    let wanted = count * stride;
    let taken = B::narrow(x, dim, start, available.min(wanted))?;
    // Pad the end so that the length splits into `count` rows of `stride`.
    let taken = if available < wanted {
        pad_axis::<B>(&taken, dim, 0, (wanted - available) as i64, PadMode::Constant, 0.0)?
    } else {
        taken
    };
    let mut dims = B::dims(&taken);
    dims[dim] = count;
    dims.insert(dim + 1, stride);
    let split = B::narrow(&B::reshape(&taken, &dims)?, dim + 1, 0, 1)?;
    dims.remove(dim + 1);
    B::reshape(&split, &dims)
}

/// The windows of `x` (`[N, C, *spatial]`, already padded): `[N, C, ∏kernel, *out]`,
/// window offsets in row-major order. Each offset is a strided slice; one
/// concatenation copies them all.
fn windows<B: Backend>(
    x: &B::Tensor,
    kernel: &[usize],
    stride: &[usize],
    dilation: &[usize],
    out: &[usize],
) -> Result<B::Tensor> {
    let axes = kernel.len();
    let dims = B::dims(x);
    let lead = dims.len() - axes;
    let window: usize = kernel.iter().product();
    let mut slices = Vec::with_capacity(window);
    for offset in 0..window {
        let mut rest = offset;
        let mut position = vec![0; axes];
        for axis in (0..axes).rev() {
            position[axis] = rest % kernel[axis];
            rest /= kernel[axis];
        }
        let mut slice = x.clone();
        for axis in 0..axes {
            slice = strided::<B>(&slice, lead + axis, position[axis] * dilation[axis], stride[axis], out[axis])?;
        }
        let mut with_window = B::dims(&slice);
        with_window.insert(lead, 1);
        slices.push(B::reshape(&slice, &with_window)?);
    }
    B::cat(&slices, lead)
}

/// Pads each spatial axis so that `out` windows fit: `padding` on both sides,
/// more after if the last window needs it (ceil mode), with `value`.
fn pad_for_windows<B: Backend>(
    x: &B::Tensor,
    kernel: &[usize],
    stride: &[usize],
    padding: &[usize],
    dilation: &[usize],
    out: &[usize],
    value: f64,
) -> Result<B::Tensor> {
    let dims = B::dims(x);
    let lead = dims.len() - kernel.len();
    let mut y = x.clone();
    for axis in 0..kernel.len() {
        let needed = (out[axis].saturating_sub(1)) * stride[axis] + (kernel[axis] - 1) * dilation[axis] + 1;
        let padded = dims[lead + axis] + 2 * padding[axis];
        let extra = needed.saturating_sub(padded);
        y = pad_axis::<B>(
            &y,
            lead + axis,
            padding[axis] as i64,
            (padding[axis] + extra) as i64,
            PadMode::Constant,
            value,
        )?;
    }
    Ok(y)
}

/// A convolution with its bias, every value then limited to `clamp` (a
/// folded ReLU, ReLU6 or Hardtanh).
pub fn conv<B: Backend>(
    x: &B::Tensor,
    weight: &B::Tensor,
    bias: Option<&B::Tensor>,
    conv: &Conv<'_>,
    clamp: Option<[f32; 2]>,
    shape: &[usize],
) -> Result<B::Tensor> {
    let axes = conv.stride.len();
    if axes == 1 || axes == 2 {
        if let Some(y) = fused_conv::<B>(x, weight, bias, conv, clamp, shape)? {
            return Ok(y);
        }
    }
    let dims = B::dims(x);
    let lead = dims.len() - axes;
    let w_dims = B::dims(weight);
    let kernel = &w_dims[2..];
    let out = &shape[shape.len() - axes..];
    let uniform = |values: &[usize]| values.iter().all(|&value| value == values[0]);
    // The library's own convolution pads with zeros, the same on every side.
    let zero_padded = conv.padding_mode == PadMode::Constant && uniform(conv.padding);
    let fast = conv.groups == 1 && uniform(conv.stride) && uniform(conv.dilation) && (axes == 1 || axes == 2);
    let mut y = None;
    if fast && zero_padded {
        let (padding, stride, dilation) = (conv.padding[0], conv.stride[0], conv.dilation[0]);
        y = if axes == 2 {
            B::conv2d(x, weight, padding, stride, dilation, 1)?
        } else {
            B::conv1d(x, weight, padding, stride, dilation, 1)?
        };
    }
    let mut padded = x.clone();
    if y.is_none() {
        for axis in 0..axes {
            let (before, after) = (conv.padding[2 * axis] as i64, conv.padding[2 * axis + 1] as i64);
            padded = pad_axis::<B>(&padded, lead + axis, before, after, conv.padding_mode, 0.0)?;
        }
        if fast {
            let (stride, dilation) = (conv.stride[0], conv.dilation[0]);
            y = if axes == 2 {
                B::conv2d(&padded, weight, 0, stride, dilation, 1)?
            } else {
                B::conv1d(&padded, weight, 0, stride, dilation, 1)?
            };
        }
    }
    let y = match y {
        Some(y) => y,
        None => {
            let cols = windows::<B>(&padded, kernel, conv.stride, conv.dilation, out)?; // [N, C, K, *out]
            grouped_matmul::<B>(&cols, weight, conv.groups, shape)?
        }
    };
    let y = match bias {
        Some(bias) => B::binary(&y, &channels::<B>(bias, shape.len())?, Binary::Add)?,
        None => y,
    };
    match clamp {
        Some([min, max]) => B::clamp(&y, min.into(), max.into()),
        None => Ok(y),
    }
}

/// A 1-d or 2-d convolution through the backend's fused kernel, a 1-d one
/// as 2-d of height 1; other pad modes pad first.
fn fused_conv<B: Backend>(
    x: &B::Tensor,
    weight: &B::Tensor,
    bias: Option<&B::Tensor>,
    conv: &Conv<'_>,
    clamp: Option<[f32; 2]>,
    shape: &[usize],
) -> Result<Option<B::Tensor>> {
    let axes = conv.stride.len();
    let lead = B::dims(x).len() - axes;
    let mut padded = x.clone();
    let mut before: Vec<usize> = (0..axes).map(|axis| conv.padding[2 * axis]).collect();
    if conv.padding_mode != PadMode::Constant {
        for (axis, before) in before.iter_mut().enumerate() {
            let after = conv.padding[2 * axis + 1] as i64;
            padded = pad_axis::<B>(&padded, lead + axis, *before as i64, after, conv.padding_mode, 0.0)?;
            *before = 0;
        }
    }
    // A 1-d convolution is a 2-d one over a height of 1.
    let raise = |tensor: &B::Tensor| -> Result<B::Tensor> {
        let mut dims = B::dims(tensor);
        if axes == 1 {
            let last = dims.len() - 1;
            dims.insert(last, 1);
        }
        B::reshape(tensor, &dims)
    };
    let pair = |values: &[usize], one: usize| if axes == 1 { [one, values[0]] } else { [values[0], values[1]] };
    let out = &shape[shape.len() - axes..];
    let geometry = Conv2d {
        stride: pair(conv.stride, 1),
        dilation: pair(conv.dilation, 1),
        padding: pair(&before, 0),
        out: pair(out, 1),
        groups: conv.groups,
    };
    match B::conv2d_fused(&raise(&padded)?, &raise(weight)?, bias, &geometry, clamp)? {
        Some(y) => Ok(Some(B::reshape(&y, shape)?)),
        None => Ok(None),
    }
}

/// `cols` `[N, C, K, *out]` times `weight` `[O, C/G, *kernel]`, per group: `[N, O, *out]`.
fn grouped_matmul<B: Backend>(
    cols: &B::Tensor,
    weight: &B::Tensor,
    groups: usize,
    shape: &[usize],
) -> Result<B::Tensor> {
    let dims = B::dims(cols);
    let (batch, channels, window) = (dims[0], dims[1], dims[2]);
    let positions: usize = dims[3..].iter().product();
    let w_dims = B::dims(weight);
    let outputs = w_dims[0];
    let (per_group_in, per_group_out) = (channels / groups, outputs / groups);
    let depth = per_group_in * window;
    // [N, G, Cg·K, P] → [G, Cg·K, N·P]
    let cols = B::reshape(cols, &[batch, groups, depth, positions])?;
    let cols = B::reshape(&B::permute(&cols, &[1, 2, 0, 3])?, &[groups, depth, batch * positions])?;
    let weight = B::reshape(weight, &[groups, per_group_out, depth])?;
    let y = B::matmul(&weight, &cols)?; // [G, Og, N·P]
    let y = B::permute(&B::reshape(&y, &[groups, per_group_out, batch, positions])?, &[2, 0, 1, 3])?;
    B::reshape(&y, shape)
}

/// Sums columns `[N, C, ∏kernel, *blocks]` back into `[N, C, *padded]`:
/// the transpose of [`windows`], one matrix per axis.
fn fold_columns<B: Backend>(
    cols: &B::Tensor,
    kernel: &[usize],
    stride: &[usize],
    dilation: &[usize],
    blocks: &[usize],
    padded: &[usize],
) -> Result<B::Tensor> {
    let axes = kernel.len();
    let dims = B::dims(cols);
    let (batch, channels) = (dims[0], dims[1]);
    // [N, C, k0, k1, …, b0, b1, …] → [N, C, k0, b0, k1, b1, …]
    let mut split = vec![batch, channels];
    split.extend_from_slice(kernel);
    split.extend_from_slice(blocks);
    let mut y = B::reshape(cols, &split)?;
    let mut order = vec![0, 1];
    for axis in 0..axes {
        order.push(2 + axis);
        order.push(2 + axes + axis);
    }
    y = B::permute(&y, &order)?;
    // Fold one axis at a time: (k, b) pairs become positions.
    let device = B::device(cols);
    for axis in 0..axes {
        let (k, b, length) = (kernel[axis], blocks[axis], padded[axis]);
        let mut matrix = vec![0f32; k * b * length];
        for kk in 0..k {
            for bb in 0..b {
                let position = kk * dilation[axis] + bb * stride[axis];
                if position < length {
                    matrix[(kk * b + bb) * length + position] = 1.0;
                }
            }
        }
        let matrix = B::from_f32(&device, matrix, &[k * b, length])?;
        // Bring (k, b) of this axis last: its dims are at 2 + axis … after the
        // already folded axes, which each left one dim.
        let current = B::dims(&y);
        let at = 2 + axis;
        let mut order: Vec<usize> = (0..current.len()).filter(|&dim| dim != at && dim != at + 1).collect();
        order.push(at);
        order.push(at + 1);
        let moved = B::permute(&y, &order)?;
        let moved_dims = B::dims(&moved);
        let rows: usize = moved_dims[..moved_dims.len() - 2].iter().product();
        let folded = B::matmul(&B::reshape(&moved, &[rows, k * b])?, &matrix)?;
        let mut folded_dims = moved_dims[..moved_dims.len() - 2].to_vec();
        folded_dims.push(length);
        let folded = B::reshape(&folded, &folded_dims)?;
        // Put the folded axis back at `at`.
        let last = folded_dims.len() - 1;
        let mut back: Vec<usize> = (0..last).collect();
        back.insert(at, last);
        y = B::permute(&folded, &back)?;
    }
    Ok(y)
}

#[allow(clippy::too_many_arguments)]
pub fn conv_transpose<B: Backend>(
    x: &B::Tensor,
    weight: &B::Tensor,
    bias: Option<&B::Tensor>,
    stride: &[usize],
    padding: &[usize],
    dilation: &[usize],
    groups: usize,
    shape: &[usize],
) -> Result<B::Tensor> {
    let axes = stride.len();
    let dims = B::dims(x);
    let (batch, inputs) = (dims[0], dims[1]);
    let spatial = &dims[2..];
    let positions: usize = spatial.iter().product();
    let w_dims = B::dims(weight); // [Cin, Cout/G, *kernel]
    let kernel = &w_dims[2..];
    let window: usize = kernel.iter().product();
    let (per_group_in, per_group_out) = (inputs / groups, w_dims[1]);
    // Per group: Wᵀ [Og·K, Cg] × x [Cg, N·P] → columns [Og·K, N·P].
    let x = B::reshape(
        &B::permute(&B::reshape(x, &[batch, groups, per_group_in, positions])?, &[1, 2, 0, 3])?,
        &[groups, per_group_in, batch * positions],
    )?;
    let w = B::permute(&B::reshape(weight, &[groups, per_group_in, per_group_out * window])?, &[0, 2, 1])?;
    let cols = B::matmul(&w, &x)?; // [G, Og·K, N·P]
    let cols = B::reshape(&cols, &[groups, per_group_out, window, batch, positions])?;
    let cols = B::permute(&cols, &[3, 0, 1, 2, 4])?;
    let mut col_dims = vec![batch, groups * per_group_out, window];
    col_dims.extend_from_slice(spatial);
    let cols = B::reshape(&cols, &col_dims)?;
    let out = &shape[2..];
    let padded: Vec<usize> = (0..axes).map(|axis| out[axis] + 2 * padding[axis]).collect();
    let mut y = fold_columns::<B>(&cols, kernel, stride, dilation, spatial, &padded)?;
    for axis in 0..axes {
        y = B::narrow(&y, 2 + axis, padding[axis], out[axis])?;
    }
    match bias {
        Some(bias) => B::binary(&y, &channels::<B>(bias, shape.len())?, Binary::Add),
        None => Ok(y),
    }
}

pub fn max_pool<B: Backend>(
    x: &B::Tensor,
    kernel: &[usize],
    stride: &[usize],
    padding: &[usize],
    dilation: &[usize],
    shape: &[usize],
) -> Result<B::Tensor> {
    let axes = kernel.len();
    let out = &shape[shape.len() - axes..];
    let x = with_channels::<B>(x, axes)?;
    if axes == 1 || axes == 2 {
        // A 1-d pool is a 2-d one over a height of 1.
        let pair = |values: &[usize], one: usize| if axes == 1 { [one, values[0]] } else { [values[0], values[1]] };
        let pool = Pool2d {
            kernel: pair(kernel, 1),
            stride: pair(stride, 1),
            dilation: pair(dilation, 1),
            padding: pair(padding, 0),
            out: pair(out, 1),
        };
        let mut dims = B::dims(&x);
        if axes == 1 {
            dims.insert(dims.len() - 1, 1);
        }
        let lead: usize = dims[..dims.len() - 3].iter().product();
        let planes = B::reshape(&x, &[lead, dims[dims.len() - 3], dims[dims.len() - 2], dims[dims.len() - 1]])?;
        if let Some(y) = B::max_pool2d(&planes, &pool)? {
            return B::reshape(&y, shape);
        }
    }
    let padded = pad_for_windows::<B>(&x, kernel, stride, padding, dilation, out, f64::NEG_INFINITY)?;
    let cols = windows::<B>(&padded, kernel, stride, dilation, out)?;
    let lead = B::dims(&cols).len() - axes - 1;
    let y = B::reduce(&cols, lead, Reduce::Max)?;
    B::reshape(&y, shape)
}

/// Pools want `[N, C, *spatial]`; a sample of only spatial dims gets a channel.
/// (The output's reshape to the step's shape takes the channel away again.)
fn with_channels<B: Backend>(x: &B::Tensor, axes: usize) -> Result<B::Tensor> {
    let dims = B::dims(x);
    if dims.len() >= axes + 2 {
        return Ok(x.clone());
    }
    let mut with = vec![dims[0], 1];
    with.extend_from_slice(&dims[1..]);
    B::reshape(x, &with)
}

/// For each output position along one axis, how many positions of the window
/// count: PyTorch's `(hend − hstart)` before or after clipping to the input.
fn window_counts(
    input: usize,
    kernel: usize,
    stride: usize,
    padding: usize,
    out: usize,
    include_pad: bool,
) -> Vec<f32> {
    (0..out)
        .map(|o| {
            let start = (o * stride) as i64 - padding as i64;
            let end = (start + kernel as i64).min((input + padding) as i64);
            let size = end - start;
            let (start, end) = (start.max(0), end.min(input as i64));
            if include_pad {
                size as f32
            } else {
                (end - start) as f32
            }
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
pub fn avg_pool<B: Backend>(
    x: &B::Tensor,
    kernel: &[usize],
    stride: &[usize],
    padding: &[usize],
    count_include_pad: bool,
    divisor: usize,
    shape: &[usize],
) -> Result<B::Tensor> {
    let axes = kernel.len();
    let out = &shape[shape.len() - axes..];
    let x = with_channels::<B>(x, axes)?;
    let dims = B::dims(&x);
    let ones = vec![1; axes];
    let padded = pad_for_windows::<B>(&x, kernel, stride, padding, &ones, out, 0.0)?;
    let cols = windows::<B>(&padded, kernel, stride, &ones, out)?;
    let lead = B::dims(&cols).len() - axes - 1;
    let sum = B::reduce(&cols, lead, Reduce::Sum)?;
    let sum_dims = B::dims(&sum);
    let y = if divisor > 0 {
        B::affine(&sum, 1.0 / divisor as f64, 0.0)?
    } else {
        // The divisor of each output position: a product over axes.
        let spatial = &dims[dims.len() - axes..];
        let mut divisors = vec![1f32];
        for axis in 0..axes {
            let counts =
                window_counts(spatial[axis], kernel[axis], stride[axis], padding[axis], out[axis], count_include_pad);
            divisors = divisors.iter().flat_map(|&d| counts.iter().map(move |&c| d * c)).collect();
        }
        let mut divisor_dims = vec![1; sum_dims.len() - axes];
        divisor_dims.extend_from_slice(out);
        let divisors = B::from_f32(&B::device(&sum), divisors, &divisor_dims)?;
        B::binary(&sum, &divisors, Binary::Div)?
    };
    B::reshape(&y, shape)
}

/// PyTorch's adaptive windows along one axis: `[⌊i·L/O⌋, ⌈(i+1)·L/O⌉)`.
fn adaptive_window(index: usize, input: usize, out: usize) -> (usize, usize) {
    let start = index * input / out;
    let end = ((index + 1) * input).div_ceil(out);
    (start, end - start)
}

pub fn adaptive_pool<B: Backend>(x: &B::Tensor, max: bool, axes: usize, shape: &[usize]) -> Result<B::Tensor> {
    let mut y = x.clone();
    let rank = B::dims(x).len();
    // Each window is a product of one interval per axis, so an axis at a time.
    for axis in 0..axes {
        let dim = rank - axes + axis;
        let (input, out) = (B::dims(&y)[dim], shape[dim]);
        if input == out {
            continue;
        }
        let parts: Vec<B::Tensor> = (0..out)
            .map(|index| {
                let (start, len) = adaptive_window(index, input, out);
                let window = B::narrow(&y, dim, start, len)?;
                if max {
                    B::reduce(&window, dim, Reduce::Max)
                } else {
                    B::affine(&B::reduce(&window, dim, Reduce::Sum)?, 1.0 / len as f64, 0.0)
                }
            })
            .collect::<Result<_>>()?;
        y = B::cat(&parts, dim)?;
    }
    Ok(y)
}

pub fn unfold<B: Backend>(
    x: &B::Tensor,
    kernel: &[usize],
    dilation: &[usize],
    padding: &[usize],
    stride: &[usize],
) -> Result<B::Tensor> {
    let dims = B::dims(x);
    let axes = kernel.len();
    let spatial = &dims[dims.len() - axes..];
    let out: Vec<usize> = (0..axes)
        .map(|axis| (spatial[axis] + 2 * padding[axis] - dilation[axis] * (kernel[axis] - 1) - 1) / stride[axis] + 1)
        .collect();
    let padded = pad_for_windows::<B>(x, kernel, stride, padding, dilation, &out, 0.0)?;
    let cols = windows::<B>(&padded, kernel, stride, dilation, &out)?;
    let (batch, channels) = (dims[0], dims[1]);
    B::reshape(&cols, &[batch, channels * kernel.iter().product::<usize>(), out.iter().product()])
}

pub fn fold<B: Backend>(
    x: &B::Tensor,
    output: &[usize],
    kernel: &[usize],
    dilation: &[usize],
    padding: &[usize],
    stride: &[usize],
) -> Result<B::Tensor> {
    let dims = B::dims(x);
    let axes = kernel.len();
    let window: usize = kernel.iter().product();
    let (batch, channels) = (dims[0], dims[1] / window);
    let blocks: Vec<usize> = (0..axes)
        .map(|axis| (output[axis] + 2 * padding[axis] - dilation[axis] * (kernel[axis] - 1) - 1) / stride[axis] + 1)
        .collect();
    let mut col_dims = vec![batch, channels, window];
    col_dims.extend_from_slice(&blocks);
    let cols = B::reshape(x, &col_dims)?;
    let padded: Vec<usize> = (0..axes).map(|axis| output[axis] + 2 * padding[axis]).collect();
    let mut y = fold_columns::<B>(&cols, kernel, stride, dilation, &blocks, &padded)?;
    for axis in 0..axes {
        y = B::narrow(&y, 2 + axis, padding[axis], output[axis])?;
    }
    Ok(y)
}

/// Resizes the last dims to `shape`'s, one axis at a time from the last, as
/// PyTorch's kernels interpolate.
pub fn upsample<B: Backend>(
    x: &B::Tensor,
    mode: Interpolation,
    align_corners: bool,
    antialias: bool,
    scales: &[f64],
    shape: &[usize],
) -> Result<B::Tensor> {
    let rank = shape.len();
    let axes = if scales.is_empty() { rank - 2 } else { scales.len() };
    if mode == Interpolation::Area {
        return adaptive_pool::<B>(x, false, axes, shape);
    }
    let mut y = x.clone();
    for axis in (0..axes).rev() {
        let dim = rank - axes + axis;
        let (input, out) = (B::dims(&y)[dim], shape[dim]);
        let scale = scales.get(axis).copied().filter(|scale| *scale > 0.0);
        // PyTorch computes coordinates in f32 for f32 tensors.
        let ratio: f32 = if align_corners && mode != Interpolation::Nearest && mode != Interpolation::NearestExact {
            if out > 1 {
                (input as f32 - 1.0) / (out as f32 - 1.0)
            } else {
                0.0
            }
        } else {
            match scale {
                Some(scale) => (1.0 / scale) as f32,
                None => input as f32 / out as f32,
            }
        };
        let last = input as i64 - 1;
        let source = |index: usize, cubic: bool| -> f32 {
            if align_corners {
                ratio * index as f32
            } else {
                let source = ratio * (index as f32 + 0.5) - 0.5;
                if !cubic && source < 0.0 {
                    0.0
                } else {
                    source
                }
            }
        };
        y = match mode {
            Interpolation::Linear | Interpolation::Cubic if antialias => {
                weighted_sum::<B>(&y, dim, out, antialias_taps(mode, ratio, input, out))?
            }
            Interpolation::Nearest | Interpolation::NearestExact => {
                let offset = if mode == Interpolation::NearestExact { 0.5 } else { 0.0 };
                let indices: Vec<usize> = (0..out)
                    .map(|index| (((index as f32 + offset) * ratio).floor() as i64).clamp(0, last) as usize)
                    .collect();
                B::select(&y, dim, &indices)?
            }
            Interpolation::Linear => {
                let (mut low, mut high, mut low_weight, mut high_weight) =
                    (Vec::new(), Vec::new(), Vec::new(), Vec::new());
                for index in 0..out {
                    let source = source(index, false);
                    let floor = (source as i64).min(last);
                    let next = if floor < last { 1 } else { 0 };
                    let lambda = (source - floor as f32).clamp(0.0, 1.0);
                    low.push(floor as usize);
                    high.push((floor + next) as usize);
                    low_weight.push(1.0 - lambda);
                    high_weight.push(lambda);
                }
                weighted_sum::<B>(&y, dim, out, vec![(low, low_weight), (high, high_weight)])?
            }
            Interpolation::Cubic => {
                const A: f32 = -0.75;
                let mut taps: Vec<(Vec<usize>, Vec<f32>)> = (0..4).map(|_| (Vec::new(), Vec::new())).collect();
                for index in 0..out {
                    let source = source(index, true);
                    let floor = source.floor();
                    let t = source - floor;
                    let weights = [
                        ((A * (t + 1.0) - 5.0 * A) * (t + 1.0) + 8.0 * A) * (t + 1.0) - 4.0 * A,
                        ((A + 2.0) * t - (A + 3.0)) * t * t + 1.0,
                        ((A + 2.0) * (1.0 - t) - (A + 3.0)) * (1.0 - t) * (1.0 - t) + 1.0,
                        ((A * (2.0 - t) - 5.0 * A) * (2.0 - t) + 8.0 * A) * (2.0 - t) - 4.0 * A,
                    ];
                    for (tap, weight) in weights.iter().enumerate() {
                        let position = (floor as i64 - 1 + tap as i64).clamp(0, last) as usize;
                        taps[tap].0.push(position);
                        taps[tap].1.push(*weight);
                    }
                }
                weighted_sum::<B>(&y, dim, out, taps)?
            }
            Interpolation::Area => unreachable_area()?,
        };
    }
    Ok(y)
}

/// PyTorch's antialiased taps (`_compute_weights_aa`): the filter widens by
/// the scale when downsampling, weights normalised to sum to 1.
fn antialias_taps(mode: Interpolation, scale: f32, input: usize, out: usize) -> Vec<(Vec<usize>, Vec<f32>)> {
    let (size, filter): (f32, fn(f32) -> f32) = match mode {
        Interpolation::Cubic => (4.0, |x| {
            const A: f32 = -0.5;
            let x = x.abs();
            if x < 1.0 {
                ((A + 2.0) * x - (A + 3.0)) * x * x + 1.0
            } else if x < 2.0 {
                (((x - 5.0) * x + 8.0) * x - 4.0) * A
            } else {
                0.0
            }
        }),
        _ => (2.0, |x| {
            let x = x.abs();
            if x < 1.0 {
                1.0 - x
            } else {
                0.0
            }
        }),
    };
    let support = if scale >= 1.0 { size * 0.5 * scale } else { size * 0.5 };
    let inverse = if scale >= 1.0 { 1.0 / scale } else { 1.0 };
    let windows: Vec<(usize, Vec<f32>)> = (0..out)
        .map(|index| {
            let center = scale * (index as f32 + 0.5);
            let start = ((center - support + 0.5) as i64).max(0);
            let end = ((center + support + 0.5) as i64).min(input as i64);
            let mut weights: Vec<f32> =
                (start..end).map(|position| filter((position as f32 - center + 0.5) * inverse)).collect();
            let total: f32 = weights.iter().sum();
            if total != 0.0 {
                weights.iter_mut().for_each(|weight| *weight /= total);
            }
            (start.max(0) as usize, weights)
        })
        .collect();
    let widest = windows.iter().map(|(_, weights)| weights.len()).max().unwrap_or(0);
    (0..widest)
        .map(|tap| {
            windows
                .iter()
                .map(|(start, weights)| {
                    let weight = weights.get(tap).copied().unwrap_or(0.0);
                    let position = if tap < weights.len() { start + tap } else { *start };
                    (position.min(input - 1), weight)
                })
                .unzip()
        })
        .collect()
}

/// `Σ weights · y[indices]` along `dim`, one term per tap.
fn weighted_sum<B: Backend>(
    y: &B::Tensor,
    dim: usize,
    out: usize,
    taps: Vec<(Vec<usize>, Vec<f32>)>,
) -> Result<B::Tensor> {
    let rank = B::dims(y).len();
    let device = B::device(y);
    let mut sum: Option<B::Tensor> = None;
    for (indices, weights) in taps {
        let picked = B::select(y, dim, &indices)?;
        let mut weight_dims = vec![1; rank];
        weight_dims[dim] = out;
        let weights = B::from_f32(&device, weights, &weight_dims)?;
        let term = B::binary(&picked, &weights, Binary::Mul)?;
        sum = Some(match sum {
            None => term,
            Some(sum) => B::binary(&sum, &term, Binary::Add)?,
        });
    }
    sum.ok_or_else(|| super::super::Error::Internal("interpolation without taps".into()))
}

fn unreachable_area<T>() -> Result<T> {
    Err(super::super::Error::Internal("area interpolation is an adaptive pool".into()))
}

pub fn pixel_shuffle<B: Backend>(x: &B::Tensor, factor: usize, shape: &[usize]) -> Result<B::Tensor> {
    let dims = B::dims(x);
    let rank = dims.len();
    let (lead, [channels, height, width]) = (&dims[..rank - 3], [dims[rank - 3], dims[rank - 2], dims[rank - 1]]);
    let mut split = lead.to_vec();
    split.extend_from_slice(&[channels / (factor * factor), factor, factor, height, width]);
    let n = lead.len();
    let y = B::reshape(x, &split)?;
    let mut order: Vec<usize> = (0..n).collect();
    order.extend_from_slice(&[n, n + 3, n + 1, n + 4, n + 2]);
    B::reshape(&B::permute(&y, &order)?, shape)
}

pub fn pixel_unshuffle<B: Backend>(x: &B::Tensor, factor: usize, shape: &[usize]) -> Result<B::Tensor> {
    let dims = B::dims(x);
    let rank = dims.len();
    let (lead, [channels, height, width]) = (&dims[..rank - 3], [dims[rank - 3], dims[rank - 2], dims[rank - 1]]);
    let mut split = lead.to_vec();
    split.extend_from_slice(&[channels, height / factor, factor, width / factor, factor]);
    let n = lead.len();
    let y = B::reshape(x, &split)?;
    let mut order: Vec<usize> = (0..n).collect();
    order.extend_from_slice(&[n, n + 2, n + 4, n + 1, n + 3]);
    B::reshape(&B::permute(&y, &order)?, shape)
}

pub fn channel_shuffle<B: Backend>(x: &B::Tensor, groups: usize) -> Result<B::Tensor> {
    let dims = B::dims(x);
    let rest: usize = dims[2..].iter().product();
    let y = B::reshape(x, &[dims[0], groups, dims[1] / groups, rest])?;
    B::reshape(&B::permute(&y, &[0, 2, 1, 3])?, &dims)
}
