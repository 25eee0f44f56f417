//! `MaxPool1d/2d/3d`, `AvgPool1d/2d/3d` and the adaptive pools.

use super::conv::require_spatial;
use super::{Outcome, Problem};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolKind {
    Max,
    Avg,
}

/// A max or average pool over `kernel.len()` spatial axes. Average pools have
/// no dilation: theirs is always 1.
#[derive(Clone, Debug, PartialEq)]
pub struct Pool {
    pub kind: PoolKind,
    pub kernel: Vec<usize>,
    pub stride: Vec<usize>,
    pub padding: Vec<usize>,
    pub dilation: Vec<usize>,
    pub ceil_mode: bool,
}

impl Pool {
    pub fn validate(&self) -> Vec<Problem> {
        (0..self.kernel.len())
            .filter(|&axis| self.padding[axis] > self.kernel[axis] / 2)
            .map(|axis| Problem::PaddingOverHalfKernel { axis, padding: self.padding[axis], kernel: self.kernel[axis] })
            .collect()
    }

    pub fn forward(&self, input: &[usize]) -> Outcome {
        let axes = self.kernel.len();
        if let Err(problem) = require_spatial(input, axes) {
            return Outcome::failed(problem);
        }
        let mut problems = Vec::new();
        // avg_pool3d alone checks the unpadded input against the kernel.
        if self.kind == PoolKind::Avg && axes == 3 {
            for axis in 0..axes {
                if input[axis + 1] < self.kernel[axis] {
                    problems.push(Problem::InputSmallerThanKernel {
                        axis,
                        input: input[axis + 1],
                        kernel: self.kernel[axis],
                    });
                }
            }
            if !problems.is_empty() {
                return Outcome::failed_all(problems);
            }
        }
        // max_pool1d (PyTorch 1.13, no gradient) returns an empty tensor where
        // every other pool refuses.
        let smallest = if self.kind == PoolKind::Max && axes == 1 { 0 } else { 1 };
        let mut output = vec![input[0]];
        for axis in 0..axes {
            let size = pooled_size(
                input[axis + 1],
                self.kernel[axis],
                self.padding[axis],
                self.stride[axis],
                self.dilation[axis],
                self.ceil_mode,
            );
            if size < smallest {
                problems.push(Problem::OutputTooSmall {
                    axis,
                    input: input[axis + 1],
                    padding: 2 * self.padding[axis],
                    kernel: self.kernel[axis],
                    dilation: self.dilation[axis],
                    output: size,
                });
            } else {
                output.push(size as usize);
            }
        }
        Outcome::unless(output, problems)
    }
}

/// PyTorch's `pooling_output_shape`: floor (or ceil) of the window count, where
/// in ceil mode the last window must start inside the input or left padding.
pub fn pooled_size(
    input: usize,
    kernel: usize,
    padding: usize,
    stride: usize,
    dilation: usize,
    ceil_mode: bool,
) -> i64 {
    let (input, kernel, padding, stride, dilation) =
        (input as i64, kernel as i64, padding as i64, stride as i64, dilation as i64);
    let span = input + 2 * padding - dilation * (kernel - 1) - 1 + if ceil_mode { stride - 1 } else { 0 };
    let mut size = span.div_euclid(stride) + 1;
    if ceil_mode && (size - 1) * stride >= input + padding {
        size -= 1;
    }
    size
}

/// `AdaptiveAvgPool1d/2d/3d`, `AdaptiveMaxPool1d/2d/3d`: a fixed output size per
/// axis, or the input's where the size is `None`.
#[derive(Clone, Debug, PartialEq)]
pub struct AdaptivePool {
    pub kind: PoolKind,
    pub output_size: Vec<Option<usize>>,
}

impl AdaptivePool {
    pub fn forward(&self, input: &[usize]) -> Outcome {
        let axes = self.output_size.len();
        if let Err(problem) = require_spatial(input, axes) {
            return Outcome::failed(problem);
        }
        let mut output = vec![input[0]];
        for (axis, size) in self.output_size.iter().enumerate() {
            output.push(size.unwrap_or(input[axis + 1]));
        }
        Outcome::ok(output)
    }
}

/// The sliding blocks along each axis, as `Unfold` and `Fold` count them.
fn blocks(sizes: &[usize], kernel: &[usize], dilation: &[usize], padding: &[usize], stride: &[usize]) -> Vec<i64> {
    (0..kernel.len())
        .map(|axis| {
            let span = (sizes[axis] + 2 * padding[axis]) as i64 - (dilation[axis] * (kernel[axis] - 1)) as i64 - 1;
            span.div_euclid(stride[axis] as i64) + 1
        })
        .collect()
}

/// `Unfold`: every sliding block of `[C, H, W]` as a column, `[C × kh × kw, L]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Unfold {
    pub kernel: Vec<usize>,
    pub dilation: Vec<usize>,
    pub padding: Vec<usize>,
    pub stride: Vec<usize>,
}

impl Unfold {
    pub fn forward(&self, input: &[usize]) -> Outcome {
        if let Err(problem) = require_spatial(input, 2) {
            return Outcome::failed(problem);
        }
        let counts = blocks(&input[1..], &self.kernel, &self.dilation, &self.padding, &self.stride);
        let problems: Vec<_> = (0..2)
            .filter(|&axis| counts[axis] < 1)
            .map(|axis| Problem::NoBlocks {
                axis,
                input: input[axis + 1],
                padding: 2 * self.padding[axis],
                kernel: self.kernel[axis],
                dilation: self.dilation[axis],
            })
            .collect();
        let columns = super::saturating_product(std::iter::once(input[0]).chain(self.kernel.iter().copied()));
        let count = super::saturating_product(counts.iter().map(|&count| count.max(0) as usize));
        Outcome::unless(vec![columns, count], problems)
    }
}

/// `Fold`: the inverse of `Unfold`, `[C × kh × kw, L]` to `[C, *output_size]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Fold {
    pub output_size: Vec<usize>,
    pub kernel: Vec<usize>,
    pub dilation: Vec<usize>,
    pub padding: Vec<usize>,
    pub stride: Vec<usize>,
}

impl Fold {
    pub fn forward(&self, input: &[usize]) -> Outcome {
        if let Err(problem) = super::require_rank(input, 2..=2, "[C × kernel area, L]") {
            return Outcome::failed(problem);
        }
        let area = super::saturating_product(self.kernel.iter().copied());
        if !input[0].is_multiple_of(area) {
            return Outcome::failed(Problem::InputNotDivisible {
                axis: 0,
                size: input[0],
                by: area,
                arg: "kernel_size",
                what: "channels × kernel area",
            });
        }
        let counts = blocks(&self.output_size, &self.kernel, &self.dilation, &self.padding, &self.stride);
        let problems: Vec<_> = (0..2)
            .filter(|&axis| counts[axis] < 1)
            .map(|axis| Problem::NoBlocks {
                axis,
                input: self.output_size[axis],
                padding: 2 * self.padding[axis],
                kernel: self.kernel[axis],
                dilation: self.dilation[axis],
            })
            .collect();
        if !problems.is_empty() {
            return Outcome::failed_all(problems);
        }
        let expected = super::saturating_product(counts.iter().map(|&count| count as usize));
        if input[1] != expected {
            return Outcome::failed(Problem::FoldBlocks { expected, found: input[1] });
        }
        let mut output = vec![input[0] / area];
        output.extend(&self.output_size);
        Outcome::ok(output)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn max_pool2d(kernel: usize, stride: usize, padding: usize, ceil_mode: bool) -> Pool {
        Pool {
            kind: PoolKind::Max,
            kernel: vec![kernel; 2],
            stride: vec![stride; 2],
            padding: vec![padding; 2],
            dilation: vec![1; 2],
            ceil_mode,
        }
    }

    #[test]
    fn floor_and_ceil() {
        assert_eq!(pooled_size(24, 2, 0, 2, 1, false), 12);
        assert_eq!(pooled_size(7, 2, 0, 2, 1, false), 3);
        assert_eq!(pooled_size(7, 2, 0, 2, 1, true), 4);
        // The last window would start in the right padding: dropped.
        assert_eq!(pooled_size(5, 2, 1, 2, 1, true), 3);
        assert_eq!(pooled_size(2, 5, 0, 5, 1, false), 0);
    }

    #[test]
    fn resnet_stem_pool() {
        let pool = max_pool2d(3, 2, 1, false);
        assert_eq!(pool.forward(&[64, 112, 112]), Outcome::ok(vec![64, 56, 56]));
    }

    #[test]
    fn padding_over_half_the_kernel() {
        assert_eq!(
            max_pool2d(4, 1, 3, false).validate(),
            vec![
                Problem::PaddingOverHalfKernel { axis: 0, padding: 3, kernel: 4 },
                Problem::PaddingOverHalfKernel { axis: 1, padding: 3, kernel: 4 },
            ]
        );
    }

    #[test]
    fn empty_outputs() {
        // MaxPool2d-1-293 of the fixture.
        let outcome = max_pool2d(5, 5, 0, false).forward(&[4, 2, 14]);
        assert_eq!(
            outcome.problems,
            vec![Problem::OutputTooSmall { axis: 0, input: 2, padding: 0, kernel: 5, dilation: 1, output: 0 }]
        );
        // MaxPool1d-1-245: PyTorch returns an empty tensor.
        let pool = Pool {
            kernel: vec![5],
            stride: vec![5],
            padding: vec![0],
            dilation: vec![1],
            ..max_pool2d(5, 5, 0, false)
        };
        assert_eq!(pool.forward(&[3, 1]), Outcome::ok(vec![3, 0]));
    }

    #[test]
    fn fold_and_unfold_invert_each_other() {
        let unfold = Unfold { kernel: vec![2, 3], dilation: vec![1, 1], padding: vec![0, 0], stride: vec![1, 1] };
        assert_eq!(unfold.forward(&[3, 10, 12]), Outcome::ok(vec![18, 90]));
        let fold = Fold {
            output_size: vec![4, 5],
            kernel: vec![2, 2],
            dilation: vec![1, 1],
            padding: vec![0, 0],
            stride: vec![1, 1],
        };
        assert_eq!(fold.forward(&[12, 12]), Outcome::ok(vec![3, 4, 5]));
        assert_eq!(fold.forward(&[12, 11]).problems, vec![Problem::FoldBlocks { expected: 12, found: 11 }]);
    }

    #[test]
    fn adaptive_pools_keep_none_axes() {
        let pool = AdaptivePool { kind: PoolKind::Avg, output_size: vec![Some(7), None] };
        assert_eq!(pool.forward(&[512, 14, 9]), Outcome::ok(vec![512, 7, 9]));
    }
}
