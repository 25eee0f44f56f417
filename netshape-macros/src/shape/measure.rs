//! What a layer costs and sees: multiply-accumulates, kernel shape and
//! receptive field. Pure arithmetic, per sample.
//!
//! Mult-adds count one multiply-accumulate per weight per output position
//! (a conv's weights at every output pixel, a linear layer's at every leading
//! position, a recurrent layer's at every step); a bias adds one addition per
//! output element, counted apart. Normalisations, activations, pools and
//! reshapes count none: at inference they fold into neighbours or cost no
//! multiplications. This is torchinfo's and fvcore's convention for convs and
//! linear layers.
//!
//! Receptive fields follow Araujo et al., "Computing Receptive Fields of
//! Convolutional Neural Networks" (Distill, 2019): per spatial axis the size
//! `r`, the jump `j` (the distance between neighbouring units in input
//! pixels) and `start` (the center of the first unit), with a dilated kernel
//! `k̂ = d(k − 1) + 1`: `r' = r + (k̂ − 1)j`, `j' = js`,
//! `start' = start + ((k̂ − 1)/2 − p)j`.

use super::{Op, PoolKind, Stored, UpsampleMode};

/// The receptive field of a unit along one spatial axis, in input pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Field {
    pub size: f64,
    pub jump: f64,
    pub start: f64,
}

impl Field {
    /// A pixel of the network's input.
    pub const PIXEL: Field = Field { size: 1.0, jump: 1.0, start: 0.5 };

    /// Through a window of `kernel` units (dilated) moved by `stride`, the
    /// first starting `padding` units before the input.
    fn window(self, kernel: f64, stride: f64, padding: f64) -> Field {
        Field {
            size: self.size + (kernel - 1.0) * self.jump,
            jump: self.jump * stride,
            start: self.start + ((kernel - 1.0) / 2.0 - padding) * self.jump,
        }
    }
}

/// The largest window an adaptive pool uses for `input` to `output` units:
/// PyTorch's windows run from ⌊i·in/out⌋ to ⌈(i+1)·in/out⌉.
fn adaptive_window(input: usize, output: usize) -> usize {
    // Window i spans ⌈(a + in)/out⌉ units, a = i·in mod out; a reaches every
    // multiple of gcd(in, out) below `out`, the largest out − gcd.
    if output == 0 {
        return 1;
    }
    (output - gcd(input, output) + input).div_ceil(output)
}

/// Whether the centres of an adaptive pool's windows lie on one line. With
/// in = q·out + r, twice window i's centre is (2i + 1)q + ⌊ir/out⌋ +
/// ⌈(i + 1)r/out⌉, whose last two terms run from 1 to 2r − 1: a line when
/// r = 0, r = 1 (always 1) or 2r = out + 1 (i + 1).
fn evenly_spaced(input: usize, output: usize) -> bool {
    let rest = input % output;
    rest <= 1 || 2 * rest == output + 1
}

/// Through an adaptive pool from `input` to `output` units. Its windows are
/// irregular unless `output` divides `input`: where their centres still lie
/// on one line (10 → 3: 2, 5, 8) that line is the field; otherwise the jump
/// is the mean spacing `in/out` and `start` the centres' mean offset from
/// `i·in/out`, `(in/out − 1)/2` (as for a pool of kernel = stride = in/out).
fn adaptive(field: Field, input: usize, output: usize) -> Field {
    // Twice window i's centre, in input units: ⌊i·in/out⌋ + ⌈(i+1)·in/out⌉.
    let twice_centre = |index: usize| index * input / output + ((index + 1) * input).div_ceil(output);
    let step = |index: usize| twice_centre(index + 1) - twice_centre(index);
    let (jump, offset) = if output > 1 && evenly_spaced(input, output) {
        (step(0) as f64 / 2.0, (twice_centre(0) as f64 - 1.0) / 2.0)
    } else {
        let ratio = input as f64 / output as f64;
        (ratio, (ratio - 1.0) / 2.0)
    };
    let window = adaptive_window(input, output) as f64;
    Field {
        size: field.size + (window - 1.0) * field.jump,
        jump: field.jump * jump,
        start: field.start + offset * field.jump,
    }
}

/// The greatest common divisor of `a` and `b`.
fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

impl Op {
    /// The kernel's spatial size, for convs and pools.
    pub fn kernel(&self) -> Vec<usize> {
        match self {
            Op::Conv(conv) => conv.kernel.clone(),
            Op::ConvTranspose(conv) => conv.kernel.clone(),
            Op::Pool(pool) => pool.kernel.clone(),
            _ => Vec::new(),
        }
    }

    /// How the output of `kind` lies in memory, given whether its input is a
    /// transposed view (`strided`): whether it shares the input's memory
    /// rather than writing new, and whether it is itself a transposed view.
    ///
    /// `transpose` and `permute` give strided views; a reshape (`view`,
    /// `reshape`, `flatten`) of a strided tensor copies it, as `contiguous()`
    /// does, and of any other tensor is a view.
    pub fn layout(&self, kind: &str, strided: bool) -> (bool, bool) {
        match self {
            Op::Transpose { .. } | Op::Permute { .. } => (true, true),
            Op::Flatten(_) | Op::Unflatten(_) | Op::View(_) => (!strided, false),
            Op::Squeeze { .. } | Op::Unsqueeze { .. } | Op::Split(_) => (true, strided),
            _ if kind == "contiguous" => (!strided, false),
            _ if kind == "Identity" => (true, strided),
            _ => (false, false),
        }
    }

    /// How many groups a conv splits its channels into; 0 for other layers.
    pub fn groups(&self) -> usize {
        match self {
            Op::Conv(conv) => conv.groups,
            Op::ConvTranspose(conv) => conv.groups,
            _ => 0,
        }
    }

    /// Multiply-accumulates of the weights, and additions of the biases, for
    /// one sample going from `inputs` to `output`.
    pub fn mult_adds(&self, inputs: &[&[usize]], output: &[usize]) -> (u64, u64) {
        let numel = |dims: &[usize]| dims.iter().fold(1u64, |count, &dim| count.saturating_mul(dim as u64));
        let weights = |stored: &[Stored]| {
            stored
                .iter()
                .filter(|tensor| tensor.name.ends_with("weight"))
                .map(|tensor| tensor.numel() as u64)
                .fold(0u64, u64::saturating_add)
        };
        match self {
            Op::Conv(conv) => {
                let positions = numel(&output[1..]);
                let weights = weights(&self.stored()).saturating_mul(positions);
                (weights, if conv.bias { numel(output) } else { 0 })
            }
            // Every input position scatters the whole kernel.
            Op::ConvTranspose(conv) => {
                let weights = weights(&self.stored()).saturating_mul(numel(&inputs[0][1..]));
                (weights, if conv.bias { numel(output) } else { 0 })
            }
            Op::Linear(linear) => {
                let positions = numel(&output[..output.len() - 1]);
                let weights = positions.saturating_mul(linear.in_features as u64 * linear.out_features as u64);
                (weights, if linear.bias { numel(output) } else { 0 })
            }
            // Every weight once per step.
            Op::Recurrent(_) => {
                let steps = output[0] as u64;
                let stored = self.stored();
                // `weight_ih_l0`, `weight_hh_l1_reverse`, `weight_hr_l0`.
                let weights = stored
                    .iter()
                    .filter(|tensor| tensor.name.starts_with("weight"))
                    .map(|tensor| tensor.numel() as u64)
                    .fold(0u64, u64::saturating_add);
                let biases = stored
                    .iter()
                    .filter(|tensor| tensor.name.starts_with("bias"))
                    .map(|tensor| tensor.numel() as u64)
                    .fold(0u64, u64::saturating_add);
                (weights.saturating_mul(steps), biases.saturating_mul(steps))
            }
            Op::Attention(attention) => {
                let (queries, keys) = (inputs[0][0] as u64, inputs.get(1).map_or(inputs[0][0], |key| key[0]) as u64);
                let embed = attention.embed_dim as u64;
                let product =
                    |factors: &[u64]| factors.iter().fold(1u64, |total, &factor| total.saturating_mul(factor));
                let sum = |terms: &[u64]| terms.iter().fold(0u64, |total, &term| total.saturating_add(term));
                let projections = sum(&[
                    product(&[queries, embed, embed]),
                    product(&[keys, embed, (attention.kdim + attention.vdim) as u64]),
                ]);
                // The scores (query · key) and the weighted sum of values.
                let attend = product(&[2, queries, keys, embed]);
                let out_proj = product(&[queries, embed, embed]);
                let biases =
                    if attention.bias { sum(&[product(&[queries, embed, 2]), product(&[keys, embed, 2])]) } else { 0 };
                (sum(&[projections, attend, out_proj]), biases)
            }
            // Embeddings look up, normalisations and activations fold away.
            _ => (0, 0),
        }
    }

    /// The receptive field of the output along each spatial axis, from the
    /// input's; `None` once the spatial axes are merged or mixed.
    pub fn receptive_field(&self, input: &[usize], output: &[usize], fields: &[Field]) -> Option<Vec<Field>> {
        // An empty output has no units to see anything.
        let fields = self.unit_fields(input, output, fields)?;
        fields
            .iter()
            .all(|field| [field.size, field.jump, field.start].iter().all(|value| value.is_finite()))
            .then_some(fields)
    }

    fn unit_fields(&self, input: &[usize], output: &[usize], fields: &[Field]) -> Option<Vec<Field>> {
        if output.contains(&0) || input.contains(&0) {
            return None;
        }
        let axes = fields.len();
        let same = || (input.len() == output.len()).then(|| fields.to_vec());
        match self {
            Op::Conv(conv) => Some(
                (0..axes)
                    .map(|axis| {
                        let kernel = (conv.dilation[axis] * (conv.kernel[axis] - 1) + 1) as f64;
                        let padding = match &conv.padding {
                            super::Padding::Explicit(padding) => padding[axis] as f64,
                            super::Padding::Valid => 0.0,
                            super::Padding::Same => ((kernel - 1.0) / 2.0).floor(),
                        };
                        fields[axis].window(kernel, conv.stride[axis] as f64, padding)
                    })
                    .collect(),
            ),
            Op::Pool(pool) => Some(
                (0..axes)
                    .map(|axis| {
                        let kernel = (pool.dilation[axis] * (pool.kernel[axis] - 1) + 1) as f64;
                        fields[axis].window(kernel, pool.stride[axis] as f64, pool.padding[axis] as f64)
                    })
                    .collect(),
            ),
            Op::AdaptivePool(_) => {
                Some((0..axes).map(|axis| adaptive(fields[axis], input[axis + 1], output[axis + 1])).collect())
            }
            // An output unit is fed by ⌈k̂/s⌉ input units, `s` times as dense.
            Op::ConvTranspose(conv) => Some(
                (0..axes)
                    .map(|axis| {
                        let field = fields[axis];
                        let kernel = (conv.dilation[axis] * (conv.kernel[axis] - 1) + 1) as f64;
                        let stride = conv.stride[axis] as f64;
                        Field {
                            size: field.size + ((kernel / stride).ceil() - 1.0) * field.jump,
                            jump: field.jump / stride,
                            start: field.start
                                + (conv.padding[axis] as f64 - (kernel - 1.0) / 2.0) / stride * field.jump,
                        }
                    })
                    .collect(),
            ),
            Op::Upsample(upsample) => {
                let taps = match upsample.mode {
                    UpsampleMode::Nearest | UpsampleMode::NearestExact => 1.0,
                    UpsampleMode::Linear | UpsampleMode::Bilinear | UpsampleMode::Trilinear => 2.0,
                    UpsampleMode::Bicubic => 4.0,
                    // Area is an adaptive average pool.
                    UpsampleMode::Area => {
                        return Op::AdaptivePool(super::AdaptivePool {
                            kind: PoolKind::Avg,
                            output_size: output[1..].iter().map(|&size| Some(size)).collect(),
                        })
                        .receptive_field(input, output, fields)
                    }
                };
                Some(
                    (0..axes)
                        .map(|axis| {
                            let field = fields[axis];
                            let (from, to) = (input[axis + 1], output[axis + 1]);
                            let size = field.size + (taps - 1.0) * field.jump;
                            // Corners aligned: output o samples input o·(in − 1)/(out − 1),
                            // unit 0 on input unit 0.
                            if upsample.align_corners == Some(true) && to > 1 {
                                let jump = field.jump * (from - 1) as f64 / (to - 1) as f64;
                                return Field { size, jump, start: field.start };
                            }
                            let scale = to as f64 / from as f64;
                            // With out/in = p/q in lowest terms, the units' sources repeat
                            // every p outputs; `start` is the mean over a period of each
                            // unit's centre less o·q/p.
                            let divisor = gcd(from, to);
                            let (p, q) = (to / divisor, from / divisor);
                            let offset = match upsample.mode {
                                // Output o reads input ⌊o·q/p⌋.
                                UpsampleMode::Nearest => 0.5 / p as f64 - 0.5,
                                // Output o reads input ⌊(o + ½)·q/p⌋.
                                UpsampleMode::NearestExact => {
                                    let even = if q % 2 == 0 { 1.0 } else { 0.0 };
                                    (q as f64 - p as f64 + even) / (2 * p) as f64
                                }
                                // Output o samples input (o + ½)·q/p − ½.
                                _ => 0.5 / scale - 0.5,
                            };
                            Field { size, jump: field.jump / scale, start: field.start + offset * field.jump }
                        })
                        .collect(),
                )
            }
            Op::Pad(pad) => {
                let rank = input.len();
                Some(
                    (0..axes)
                        .map(|axis| {
                            // The padding tuple counts from the last dim.
                            let from_last = rank - 2 - axis;
                            let before = pad.pads.get(2 * from_last).copied().unwrap_or(0) as f64;
                            let field = fields[axis];
                            Field { start: field.start - before * field.jump, ..field }
                        })
                        .collect(),
                )
            }
            Op::BatchNorm(_)
            | Op::InstanceNorm(_)
            | Op::GroupNorm(_)
            | Op::LocalResponseNorm
            | Op::PRelu(_)
            | Op::Softmax { .. }
            | Op::Softmax2d
            | Op::Bounded { .. }
            | Op::Elementwise
            | Op::Ranked { .. }
            | Op::ChannelShuffle { .. } => same(),
            _ => None,
        }
    }

    /// Rows or columns of the input (not of its padding) that no window of a
    /// conv or pool reads, per spatial axis that has any: its stride steps over
    /// them, between windows (a kernel narrower than its stride) or past the
    /// last window.
    pub fn unread_input(&self, input: &[usize], output: &[usize]) -> Vec<Unread> {
        let (kernel, stride, padding, dilation) = match self {
            Op::Conv(conv) => match &conv.padding {
                super::Padding::Explicit(padding) => (&conv.kernel, &conv.stride, padding.clone(), &conv.dilation),
                super::Padding::Valid => (&conv.kernel, &conv.stride, vec![0; conv.kernel.len()], &conv.dilation),
                // Stride 1: every row is read.
                super::Padding::Same => return Vec::new(),
            },
            Op::Pool(pool) => (&pool.kernel, &pool.stride, pool.padding.clone(), &pool.dilation),
            _ => return Vec::new(),
        };
        (0..kernel.len())
            .filter_map(|axis| {
                let size = input[axis + 1];
                let windows = Windows {
                    count: output[axis + 1],
                    kernel: kernel[axis],
                    stride: stride[axis],
                    padding: padding[axis],
                    dilation: dilation[axis],
                };
                let (read, last_read) = windows.read(size)?;
                let count = size - read;
                (count > 0).then_some(Unread { axis, count, size, at_end_only: count == size - last_read })
            })
            .collect()
    }
}

/// A conv's or pool's windows along one axis.
struct Windows {
    count: usize,
    kernel: usize,
    stride: usize,
    padding: usize,
    dilation: usize,
}

impl Windows {
    /// How many of the `size` input positions some window reads, and one
    /// past the last one read; `None` when that would take more than a
    /// bounded amount of work (a dilated kernel over a long axis).
    fn read(&self, size: usize) -> Option<(usize, usize)> {
        let Windows { count, kernel, stride, padding, dilation } = *self;
        if count == 0 || kernel == 0 {
            return Some((0, 0));
        }
        if dilation == 1 {
            // In padded coordinates y = x + padding, window w reads
            // [w·stride, w·stride + kernel): y is read when y mod stride < kernel
            // and y < count·stride (the last window may reach past it).
            let last_window_end = (count - 1) * stride + kernel;
            let end = (padding + size).min(last_window_end.max(padding));
            let below = |limit: usize| (limit / stride) * kernel.min(stride) + (limit % stride).min(kernel);
            // Past (count − 1)·stride + kernel nothing is read; below it the
            // formula counts every read position.
            let read = below(end).saturating_sub(below(padding));
            // The last y below `end` that a window reads: `end − 1` itself, or
            // the end of the window before the gap it falls in.
            let last = end.checked_sub(1).map(|y| if y % stride < kernel { y } else { y - y % stride + kernel - 1 });
            let last = last.filter(|&y| y >= padding).map_or(0, |y| y - padding + 1);
            return Some((read, last));
        }
        // A dilated kernel reads a lattice: follow it position by position,
        // where that is cheap.
        if size > 1 << 16 || count.saturating_mul(kernel) > 1 << 20 {
            return None;
        }
        let mut read = vec![false; size];
        for window in 0..count {
            for tap in 0..kernel {
                // Positions before 0 or past the end are padding.
                let position = (window * stride + tap * dilation).checked_sub(padding);
                if let Some(slot) = position.and_then(|position| read.get_mut(position)) {
                    *slot = true;
                }
            }
        }
        let last = read.iter().rposition(|read| *read).map_or(0, |last| last + 1);
        Some((read.iter().filter(|read| **read).count(), last))
    }
}

/// Input rows or columns a conv or pool never reads, along one spatial axis.
#[derive(Debug, PartialEq)]
pub struct Unread {
    /// The spatial axis: 0 for the first after the channels.
    pub axis: usize,
    /// How many positions are never read.
    pub count: usize,
    /// The input's size along the axis.
    pub size: usize,
    /// Whether they are all past the last window (rather than between windows).
    pub at_end_only: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shape::{Conv, Padding, PaddingMode, Pool};

    fn conv(kernel: usize, stride: usize, padding: usize) -> Op {
        Op::Conv(Conv {
            in_channels: 3,
            out_channels: 64,
            kernel: vec![kernel; 2],
            stride: vec![stride; 2],
            padding: Padding::Explicit(vec![padding; 2]),
            dilation: vec![1; 2],
            groups: 1,
            bias: false,
            padding_mode: PaddingMode::Zeros,
        })
    }

    fn max_pool(kernel: usize, stride: usize, padding: usize) -> Op {
        Op::Pool(Pool {
            kind: PoolKind::Max,
            kernel: vec![kernel; 2],
            stride: vec![stride; 2],
            padding: vec![padding; 2],
            dilation: vec![1; 2],
            ceil_mode: false,
        })
    }

    #[test]
    fn resnet_stem() {
        // conv 7/s2/p3 then maxpool 3/s2/p1: r = 11, j = 4.
        let fields = [Field::PIXEL; 2];
        let fields = conv(7, 2, 3).receptive_field(&[3, 224, 224], &[64, 112, 112], &fields).expect("spatial");
        let fields = max_pool(3, 2, 1).receptive_field(&[64, 112, 112], &[64, 56, 56], &fields).expect("spatial");
        assert_eq!(fields[0], Field { size: 11.0, jump: 4.0, start: 0.5 });
    }

    #[test]
    fn recurrent_mult_adds_count_every_weight() {
        // LSTM(10, 20) over 5 steps: 4·20·(10 + 20) weights and 2·4·20 biases a step.
        let lstm = Op::Recurrent(crate::shape::Recurrent {
            cell: crate::shape::Cell::Lstm,
            input_size: 10,
            hidden_size: 20,
            num_layers: 1,
            bias: true,
            bidirectional: false,
            proj_size: 0,
        });
        assert_eq!(lstm.mult_adds(&[&[5, 10]], &[5, 20]), (5 * 4 * 20 * 30, 5 * 2 * 4 * 20));
    }

    #[test]
    fn conv_mult_adds() {
        // VGG16's first conv: 1,728 weights at 224 × 224 positions, 64 biases each.
        let op = Op::Conv(Conv {
            bias: true,
            ..match conv(3, 1, 1) {
                Op::Conv(conv) => conv,
                _ => unreachable!(),
            }
        });
        assert_eq!(op.mult_adds(&[&[3, 224, 224]], &[64, 224, 224]), (86_704_128, 3_211_264));
    }

    #[test]
    fn windows_that_leave_input_unused() {
        // 7/s2/p3 on 224 (112 outputs) drops one row, but it is padding.
        assert!(conv(7, 2, 3).unread_input(&[3, 224, 224], &[64, 112, 112]).is_empty());
        // 3/s2 without padding on 224 (111 outputs) never reaches the last row.
        let last_row = |axis| Unread { axis, count: 1, size: 224, at_end_only: true };
        assert_eq!(conv(3, 2, 0).unread_input(&[3, 224, 224], &[64, 111, 111]), vec![last_row(0), last_row(1)]);
        // ResNet's 1×1/s2 shortcut reads every other row of 56 (28 outputs).
        let odd_rows = |axis| Unread { axis, count: 28, size: 56, at_end_only: false };
        assert_eq!(conv(1, 2, 0).unread_input(&[64, 56, 56], &[128, 28, 28]), vec![odd_rows(0), odd_rows(1)]);
        // With ceil_mode the last, partial window reaches the end: 3/s2 on 56 gives 28.
        let Op::Pool(pool) = max_pool(3, 2, 0) else { unreachable!() };
        let ceil = Op::Pool(Pool { ceil_mode: true, ..pool });
        assert!(ceil.unread_input(&[64, 56, 56], &[64, 28, 28]).is_empty());
        // Without it, 27 windows stop one row short.
        assert_eq!(max_pool(3, 2, 0).unread_input(&[64, 56, 56], &[64, 27, 27]).len(), 2);
        assert_eq!(adaptive_window(7, 7), 1);
        assert_eq!(adaptive_window(14, 7), 2);
        assert_eq!(adaptive_window(10, 3), 4);
        for input in 1..60usize {
            for output in 1..60usize {
                let widest =
                    (0..output).map(|index| ((index + 1) * input).div_ceil(output) - index * input / output).max();
                assert_eq!(Some(adaptive_window(input, output)), widest, "{input} → {output}");
                let twice_centre = |index: usize| index * input / output + ((index + 1) * input).div_ceil(output);
                let step = |index: usize| twice_centre(index + 1) - twice_centre(index);
                let even = (1..output.max(2) - 1).all(|index| step(index) == step(0));
                assert_eq!(evenly_spaced(input, output), even, "{input} → {output}");
            }
        }
    }

    #[test]
    fn counted_windows_agree_with_following_every_position() {
        for size in 1..14 {
            for kernel in 1..6 {
                for stride in 1..7 {
                    for padding in 0..4 {
                        for count in 0..8 {
                            let windows = Windows { count, kernel, stride, padding, dilation: 1 };
                            let mut read = vec![false; size];
                            for window in 0..count {
                                for tap in 0..kernel {
                                    if let Some(slot) =
                                        (window * stride + tap).checked_sub(padding).and_then(|at| read.get_mut(at))
                                    {
                                        *slot = true;
                                    }
                                }
                            }
                            let last = read.iter().rposition(|read| *read).map_or(0, |last| last + 1);
                            let expected = (read.iter().filter(|read| **read).count(), last);
                            assert_eq!(
                                windows.read(size),
                                Some(expected),
                                "{size} {kernel} {stride} {padding} {count}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn adaptive_pool_fields() {
        // 16 → 4: windows of 4, 4 apart.
        assert_eq!(adaptive(Field::PIXEL, 16, 4), Field { size: 4.0, jump: 4.0, start: 2.0 });
        // 10 → 3: windows [0, 4), [3, 7), [6, 10), centred on 2, 5, 8.
        assert_eq!(adaptive(Field::PIXEL, 10, 3), Field { size: 4.0, jump: 3.0, start: 2.0 });
        // 10 → 4: centres 1.5, 3.5, 6.5, 8.5, 2.5 apart on average, 1.25 off.
        assert_eq!(adaptive(Field::PIXEL, 10, 4), Field { size: 3.0, jump: 2.5, start: 1.25 });
        // A global pool sees everything, centred.
        assert_eq!(adaptive(Field::PIXEL, 7, 1), Field { size: 7.0, jump: 7.0, start: 3.5 });
    }

    #[test]
    fn upsample_fields() {
        let upsample = |mode, align_corners| {
            Op::Upsample(crate::shape::Upsample {
                size: None,
                scale_factor: None,
                mode,
                align_corners,
                recompute_scale_factor: false,
                antialias: false,
            })
        };
        let field = |op: Op, from: usize, to: usize| {
            op.receptive_field(&[1, from], &[1, to], &[Field::PIXEL]).expect("spatial")[0]
        };
        // ×2: nearest repeats each unit, start half a unit back on average.
        let nearest = field(upsample(UpsampleMode::Nearest, None), 16, 32);
        assert_eq!(nearest, Field { size: 1.0, jump: 0.5, start: 0.25 });
        // ×1.5: units read ⌊2o/3⌋, 0 0 1 2 2 3…: centres 0.5, 0.5, 1.5 less 2o/3 average 1/6.
        let nearest = field(upsample(UpsampleMode::Nearest, None), 16, 24);
        assert!((nearest.start - 1.0 / 6.0).abs() < 1e-15, "{nearest:?}");
        // nearest-exact reads ⌊(2o + 1)/3⌋, 0 1 1 2 3 3…: on average on the line.
        let exact = field(upsample(UpsampleMode::NearestExact, None), 16, 24);
        assert!((exact.start - 0.5).abs() < 1e-15, "{exact:?}");
        // Bilinear with corners aligned: output o samples input o·15/31.
        let aligned = field(upsample(UpsampleMode::Linear, Some(true)), 16, 32);
        assert_eq!(aligned, Field { size: 2.0, jump: 15.0 / 31.0, start: 0.5 });
        let unaligned = field(upsample(UpsampleMode::Linear, Some(false)), 16, 32);
        assert_eq!(unaligned, Field { size: 2.0, jump: 0.5, start: 0.25 });
    }
}
