//! `MaxPool1d/2d/3d`, `AvgPool1d/2d/3d` and the adaptive pools.

use super::conv::{LAYOUTS, RANKS};
use super::{require_rank, Outcome, Problem};

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
        if let Err(problem) = require_rank(input, RANKS[axes - 1], LAYOUTS[axes - 1]) {
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
                return Outcome { output: None, problems };
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
        let complete = problems.is_empty();
        Outcome { output: complete.then_some(output), problems }
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
        if let Err(problem) = require_rank(input, RANKS[axes - 1], LAYOUTS[axes - 1]) {
            return Outcome::failed(problem);
        }
        let mut output = vec![input[0]];
        for (axis, size) in self.output_size.iter().enumerate() {
            output.push(size.unwrap_or(input[axis + 1]));
        }
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
    fn adaptive_pools_keep_none_axes() {
        let pool = AdaptivePool { kind: PoolKind::Avg, output_size: vec![Some(7), None] };
        assert_eq!(pool.forward(&[512, 14, 9]), Outcome::ok(vec![512, 7, 9]));
    }
}
