//! `Conv1d`, `Conv2d`, `Conv3d`.

use super::{require_rank, Dims, Outcome, Problem, Stored};

/// A convolution over `kernel.len()` spatial axes.
#[derive(Clone, Debug, PartialEq)]
pub struct Conv {
    pub in_channels: usize,
    pub out_channels: usize,
    pub kernel: Vec<usize>,
    pub stride: Vec<usize>,
    pub padding: Padding,
    pub dilation: Vec<usize>,
    pub groups: usize,
    pub bias: bool,
    pub padding_mode: PaddingMode,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Padding {
    /// The same padding on both sides of each axis.
    Explicit(Vec<usize>),
    /// `"same"`: output as large as the input; odd totals pad more on the right.
    Same,
    /// `"valid"`: no padding.
    Valid,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaddingMode {
    Zeros,
    Reflect,
    Replicate,
    Circular,
}

impl PaddingMode {
    pub fn name(self) -> &'static str {
        match self {
            PaddingMode::Zeros => "zeros",
            PaddingMode::Reflect => "reflect",
            PaddingMode::Replicate => "replicate",
            PaddingMode::Circular => "circular",
        }
    }
}

/// The input layout of an `Nd` layer with channels: `[C, H, W]` for N = 2.
pub(super) fn layout(axes: usize) -> &'static str {
    ["[C, L]", "[C, H, W]", "[C, D, H, W]"][axes.clamp(1, 3) - 1]
}

/// An `Nd` layer with channels takes exactly `[C, *spatial]`.
pub(super) fn require_spatial(input: &[usize], axes: usize) -> Result<(), Problem> {
    require_rank(input, axes + 1..=axes + 1, layout(axes))
}

/// Checks groups against the channel counts, as PyTorch's constructors do.
fn groups_divide(in_channels: usize, out_channels: usize, groups: usize) -> Vec<Problem> {
    [("in_channels", in_channels), ("out_channels", out_channels)]
        .into_iter()
        .filter(|&(_, channels)| channels % groups != 0)
        .map(|(arg, value)| Problem::NotDivisible { arg, value, by_arg: "groups", by: groups })
        .collect()
}

impl Conv {
    pub fn spatial_axes(&self) -> usize {
        self.kernel.len()
    }

    pub fn validate(&self) -> Vec<Problem> {
        let mut problems = groups_divide(self.in_channels, self.out_channels, self.groups);
        if self.padding == Padding::Same {
            if let Some((axis, &stride)) = self.stride.iter().enumerate().find(|(_, &stride)| stride != 1) {
                problems.push(Problem::SameWithStride { axis, stride });
            }
        }
        problems
    }

    /// Padding before and after the input along `axis`, as PyTorch applies it.
    fn pads(&self, axis: usize) -> (usize, usize) {
        match &self.padding {
            Padding::Explicit(padding) => (padding[axis], padding[axis]),
            Padding::Valid => (0, 0),
            Padding::Same => {
                let total = self.dilation[axis] * (self.kernel[axis] - 1);
                (total / 2, total - total / 2)
            }
        }
    }

    pub fn forward(&self, input: &[usize]) -> Outcome {
        let axes = self.spatial_axes();
        if let Err(problem) = require_spatial(input, axes) {
            return Outcome::failed(problem);
        }
        let mut problems = Vec::new();
        if input[0] != self.in_channels {
            problems.push(Problem::Mismatch {
                arg: "in_channels",
                declared: self.in_channels,
                axis: 0,
                found: input[0],
            });
        }
        let mut output = vec![self.out_channels];
        for axis in 0..axes {
            let size = input[axis + 1];
            let (before, after) = self.pads(axis);
            let too_wide = match self.padding_mode {
                PaddingMode::Reflect => before.max(after) >= size,
                PaddingMode::Circular => before.max(after) > size,
                PaddingMode::Zeros | PaddingMode::Replicate => false,
            };
            if too_wide {
                problems.push(Problem::PaddingModeTooWide {
                    axis,
                    mode: self.padding_mode,
                    padding: before.max(after),
                    input: size,
                });
                continue;
            }
            let padded = size + before + after;
            let dilated_kernel = self.dilation[axis] * (self.kernel[axis] - 1) + 1;
            if padded < dilated_kernel {
                problems.push(Problem::KernelTooLarge {
                    axis,
                    input: size,
                    padding: before + after,
                    kernel: self.kernel[axis],
                    dilation: self.dilation[axis],
                });
                continue;
            }
            output.push((padded - dilated_kernel) / self.stride[axis] + 1);
        }
        if output.len() == axes + 1 {
            Outcome::with(output, problems)
        } else {
            Outcome::failed_all(problems)
        }
    }

    pub fn stored(&self) -> Vec<Stored> {
        weight_and_bias([self.out_channels, self.in_channels / self.groups], &self.kernel, self.bias, self.out_channels)
    }
}

/// A conv's `weight` (two leading sizes, then the kernel) and optional `bias`.
fn weight_and_bias(leading: [usize; 2], kernel: &[usize], bias: bool, out_channels: usize) -> Vec<Stored> {
    let mut weight: Dims = leading.to_vec();
    weight.extend(kernel);
    let mut stored = vec![Stored::parameter("weight", weight)];
    if bias {
        stored.push(Stored::parameter("bias", vec![out_channels]));
    }
    stored
}

/// `ConvTranspose1d/2d/3d`: the gradient of a conv, which upsamples.
#[derive(Clone, Debug, PartialEq)]
pub struct ConvTranspose {
    pub in_channels: usize,
    pub out_channels: usize,
    pub kernel: Vec<usize>,
    pub stride: Vec<usize>,
    pub padding: Vec<usize>,
    pub output_padding: Vec<usize>,
    pub dilation: Vec<usize>,
    pub groups: usize,
    pub bias: bool,
}

impl ConvTranspose {
    pub fn validate(&self) -> Vec<Problem> {
        let mut problems = groups_divide(self.in_channels, self.out_channels, self.groups);
        for axis in 0..self.kernel.len() {
            let (output_padding, stride, dilation) =
                (self.output_padding[axis], self.stride[axis], self.dilation[axis]);
            if output_padding >= stride && output_padding >= dilation {
                problems.push(Problem::OutputPadding { axis, output_padding, stride, dilation });
            }
        }
        problems
    }

    pub fn forward(&self, input: &[usize]) -> Outcome {
        let axes = self.kernel.len();
        if let Err(problem) = require_spatial(input, axes) {
            return Outcome::failed(problem);
        }
        let mut problems = Vec::new();
        if input[0] != self.in_channels {
            problems.push(Problem::Mismatch {
                arg: "in_channels",
                declared: self.in_channels,
                axis: 0,
                found: input[0],
            });
        }
        let mut output = vec![self.out_channels];
        for axis in 0..axes {
            let size = input[axis + 1] as i64;
            let [stride, padding, dilation, kernel, extra] = [
                self.stride[axis],
                self.padding[axis],
                self.dilation[axis],
                self.kernel[axis],
                self.output_padding[axis],
            ]
            .map(|value| value as i64);
            let out = (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + extra + 1;
            if out < 1 {
                problems.push(Problem::TransposedTooSmall { axis, input: input[axis + 1], output: out });
            } else {
                output.push(out as usize);
            }
        }
        if output.len() == axes + 1 {
            Outcome::with(output, problems)
        } else {
            Outcome::failed_all(problems)
        }
    }

    pub fn stored(&self) -> Vec<Stored> {
        weight_and_bias([self.in_channels, self.out_channels / self.groups], &self.kernel, self.bias, self.out_channels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv2d(in_channels: usize, out_channels: usize, kernel: usize) -> Conv {
        Conv {
            in_channels,
            out_channels,
            kernel: vec![kernel; 2],
            stride: vec![1; 2],
            padding: Padding::Explicit(vec![0; 2]),
            dilation: vec![1; 2],
            groups: 1,
            bias: true,
            padding_mode: PaddingMode::Zeros,
        }
    }

    #[test]
    fn lenet_conv() {
        let conv = conv2d(1, 10, 5);
        assert_eq!(conv.forward(&[1, 28, 28]), Outcome::ok(vec![10, 24, 24]));
        let params: usize = conv.stored().iter().map(Stored::numel).sum();
        assert_eq!(params, 260);
    }

    #[test]
    fn wrong_channels_still_give_the_intended_output() {
        let outcome = conv2d(3, 10, 5).forward(&[1, 28, 28]);
        assert_eq!(outcome.output, Some(vec![10, 24, 24]));
        assert_eq!(outcome.problems, vec![Problem::Mismatch { arg: "in_channels", declared: 3, axis: 0, found: 1 }]);
    }

    #[test]
    fn same_padding_keeps_the_size_even_for_even_kernels() {
        let conv = Conv { kernel: vec![4, 3], dilation: vec![3, 1], padding: Padding::Same, ..conv2d(2, 2, 3) };
        assert_eq!(conv.forward(&[2, 7, 5]), Outcome::ok(vec![2, 7, 5]));
    }

    #[test]
    fn dilated_kernel_larger_than_padded_input() {
        // Conv1d-1-24 of the fixture: kernel 7 dilated by 3 covers 19 > 12.
        let conv = Conv {
            kernel: vec![7],
            stride: vec![1],
            padding: Padding::Explicit(vec![0]),
            dilation: vec![3],
            ..conv2d(2, 6, 7)
        };
        let outcome = conv.forward(&[2, 12]);
        assert_eq!(outcome.output, None);
        assert_eq!(
            outcome.problems,
            vec![Problem::KernelTooLarge { axis: 0, input: 12, padding: 0, kernel: 7, dilation: 3 }]
        );
    }

    #[test]
    fn groups_must_divide_both_channel_counts() {
        let conv = Conv { groups: 3, ..conv2d(4, 6, 3) };
        assert_eq!(
            conv.validate(),
            vec![Problem::NotDivisible { arg: "in_channels", value: 4, by_arg: "groups", by: 3 }]
        );
    }

    #[test]
    fn same_padding_refuses_strides() {
        let conv = Conv { padding: Padding::Same, stride: vec![1, 2], ..conv2d(1, 1, 3) };
        assert_eq!(conv.validate(), vec![Problem::SameWithStride { axis: 1, stride: 2 }]);
    }

    #[test]
    fn transposed_conv_upsamples() {
        // ConvTranspose2d-1-160 of the fixture.
        let conv = ConvTranspose {
            in_channels: 3,
            out_channels: 5,
            kernel: vec![3, 3],
            stride: vec![3, 2],
            padding: vec![1, 1],
            output_padding: vec![0, 0],
            dilation: vec![3, 1],
            groups: 1,
            bias: true,
        };
        assert_eq!(conv.forward(&[3, 7, 6]), Outcome::ok(vec![5, 23, 11]));
        assert_eq!(conv.stored()[0].dims, vec![3, 5, 3, 3]);
        let too_much = ConvTranspose { output_padding: vec![3, 0], ..conv.clone() };
        assert_eq!(
            too_much.validate(),
            vec![Problem::OutputPadding { axis: 0, output_padding: 3, stride: 3, dilation: 3 }]
        );
    }

    #[test]
    fn reflect_padding_must_be_narrower_than_the_input() {
        let conv =
            Conv { padding: Padding::Explicit(vec![2, 2]), padding_mode: PaddingMode::Reflect, ..conv2d(1, 1, 3) };
        assert_eq!(conv.forward(&[1, 3, 3]), Outcome::ok(vec![1, 5, 5]));
        assert_eq!(conv.forward(&[1, 2, 3]).problems.len(), 1);
    }
}
