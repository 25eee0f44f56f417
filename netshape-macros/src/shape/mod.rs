//! Stage 2: shape arithmetic. Pure integer code with PyTorch's rules and no
//! syntax types: given a layer's configuration and its input shape (batch left
//! out), what it outputs, what it stores, and which rule it breaks.
//!
//! Every rule reports a [`Problem`] that names the argument at fault, so that
//! the check stage can point at the right token and explain the numbers.

mod conv;
mod linear;
mod norm;
mod pool;
mod reshape;

pub use conv::{Conv, Padding, PaddingMode};
pub use linear::Linear;
pub use norm::BatchNorm;
pub use pool::{AdaptivePool, Pool, PoolKind};
pub use reshape::{Flatten, View, ViewSize};

/// A shape without the batch dimension.
pub type Dims = Vec<usize>;

/// One layer's configuration, in PyTorch's terms.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Conv(Conv),
    Pool(Pool),
    AdaptivePool(AdaptivePool),
    BatchNorm(BatchNorm),
    Linear(Linear),
    Flatten(Flatten),
    View(View),
    /// Softmax and LogSoftmax: the shape is kept, `dim` must exist.
    Softmax {
        dim: Option<i64>,
    },
    /// Activations, dropout, identity: the shape is kept.
    Elementwise,
}

/// One tensor a layer stores: a parameter or a buffer, with its `state_dict` name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub name: &'static str,
    pub dims: Dims,
    pub buffer: bool,
}

impl Stored {
    pub fn parameter(name: &'static str, dims: Dims) -> Stored {
        Stored { name, dims, buffer: false }
    }

    pub fn buffer(name: &'static str, dims: Dims) -> Stored {
        Stored { name, dims, buffer: true }
    }

    pub fn numel(&self) -> usize {
        self.dims.iter().product()
    }
}

/// Where a problem lies: an argument (and the axis within a tuple argument), or
/// the layer as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    Layer,
    Arg(&'static str),
    Axis(&'static str, usize),
}

/// A rule a layer breaks, with the numbers that disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The input has the wrong number of dimensions.
    Rank { allowed: &'static [usize], layout: &'static str, found: Dims },
    /// A size the layer declares (`in_channels`, `num_features`, `in_features`)
    /// differs from the input's; `axis` is the input dimension compared.
    Mismatch { arg: &'static str, declared: usize, axis: usize, found: usize },
    /// `channels` (from argument `arg`) is not a multiple of `groups`.
    GroupsDivide { arg: &'static str, channels: usize, groups: usize },
    /// `padding="same"` with a stride other than 1.
    SameWithStride { axis: usize, stride: usize },
    /// The (dilated) kernel is larger than the padded input.
    KernelTooLarge { axis: usize, input: usize, padding: usize, kernel: usize, dilation: usize },
    /// A pool's padding is more than half its kernel.
    PaddingOverHalfKernel { axis: usize, padding: usize, kernel: usize },
    /// A pool's output would have no elements (or fewer): its window does not
    /// fit the padded input.
    OutputTooSmall { axis: usize, input: usize, padding: usize, kernel: usize, dilation: usize, output: i64 },
    /// AvgPool3d needs the unpadded input to be at least the kernel.
    InputSmallerThanKernel { axis: usize, input: usize, kernel: usize },
    /// Reflect or circular padding wider than the input allows.
    PaddingModeTooWide { axis: usize, mode: PaddingMode, padding: usize, input: usize },
    /// A `dim` argument outside the batched tensor's dimensions.
    DimOutOfRange { arg: &'static str, dim: i64, batched_rank: usize },
    /// A reshape that would merge or move the batch dimension.
    TouchesBatch { arg: &'static str },
    /// `flatten`'s `start_dim` after its `end_dim` (both normalised).
    FlattenOrder { start: usize, end: usize },
    /// A `view`/`reshape` whose sizes leave the batch out of place.
    ViewBatchFirst,
    /// A `view`/`reshape` with more than one `-1`.
    ViewManyInferred { index: usize },
    /// A `view`/`reshape` size that is zero or negative (other than `-1`).
    ViewBadSize { index: usize, size: i64 },
    /// A `view`/`reshape` whose sizes do not multiply out to the input's elements.
    ViewElements { wanted: usize, available: usize, inferred: bool },
}

impl Problem {
    /// The spatial axis a per-axis problem is about.
    pub fn axis(&self) -> Option<usize> {
        match self.at() {
            At::Axis(_, axis) => Some(axis),
            _ => None,
        }
    }

    /// The argument this problem is about, for pointing at it.
    pub fn at(&self) -> At {
        match *self {
            Problem::Rank { .. } | Problem::ViewBatchFirst | Problem::FlattenOrder { .. } => At::Layer,
            Problem::Mismatch { arg, .. } | Problem::GroupsDivide { arg, .. } => At::Arg(arg),
            Problem::DimOutOfRange { arg, .. } | Problem::TouchesBatch { arg } => At::Arg(arg),
            Problem::SameWithStride { .. } => At::Arg("padding"),
            Problem::KernelTooLarge { axis, .. }
            | Problem::OutputTooSmall { axis, .. }
            | Problem::InputSmallerThanKernel { axis, .. } => At::Axis("kernel_size", axis),
            Problem::PaddingOverHalfKernel { axis, .. } | Problem::PaddingModeTooWide { axis, .. } => {
                At::Axis("padding", axis)
            }
            Problem::ViewManyInferred { index } | Problem::ViewBadSize { index, .. } => At::Axis("size", index),
            Problem::ViewElements { .. } => At::Arg("size"),
        }
    }
}

/// What a layer does to its input: the output if it can be computed, and every
/// problem found. After a problem the output is still given when the layer's own
/// arguments fix it (a conv with the wrong `in_channels` still outputs
/// `out_channels` maps), so later layers are checked against what was meant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub output: Option<Dims>,
    pub problems: Vec<Problem>,
}

impl Outcome {
    pub fn ok(output: Dims) -> Outcome {
        Outcome { output: Some(output), problems: Vec::new() }
    }

    pub fn failed(problem: Problem) -> Outcome {
        Outcome { output: None, problems: vec![problem] }
    }
}

impl Op {
    /// The rules PyTorch enforces when the module is built, before any input.
    pub fn validate(&self) -> Vec<Problem> {
        match self {
            Op::Conv(conv) => conv.validate(),
            Op::Pool(pool) => pool.validate(),
            _ => Vec::new(),
        }
    }

    /// Runs the layer on an input shape (batch left out). Call only when
    /// [`validate`](Op::validate) found nothing.
    pub fn forward(&self, input: &[usize]) -> Outcome {
        match self {
            Op::Conv(conv) => conv.forward(input),
            Op::Pool(pool) => pool.forward(input),
            Op::AdaptivePool(pool) => pool.forward(input),
            Op::BatchNorm(norm) => norm.forward(input),
            Op::Linear(linear) => linear.forward(input),
            Op::Flatten(flatten) => flatten.forward(input),
            Op::View(view) => view.forward(input),
            Op::Softmax { dim } => match dim {
                Some(dim) => match normalize_dim("dim", *dim, input.len()) {
                    Ok(_) => Outcome::ok(input.to_vec()),
                    Err(problem) => Outcome { output: Some(input.to_vec()), problems: vec![problem] },
                },
                None => Outcome::ok(input.to_vec()),
            },
            Op::Elementwise => Outcome::ok(input.to_vec()),
        }
    }

    /// The parameters and buffers the layer stores, in `state_dict` order.
    pub fn stored(&self) -> Vec<Stored> {
        match self {
            Op::Conv(conv) => conv.stored(),
            Op::BatchNorm(norm) => norm.stored(),
            Op::Linear(linear) => linear.stored(),
            _ => Vec::new(),
        }
    }
}

/// Turns a PyTorch `dim` (which counts the batch, and may be negative) into an
/// index of the batched shape, whose rank is `rank + 1`.
pub fn normalize_dim(arg: &'static str, dim: i64, rank: usize) -> Result<usize, Problem> {
    let batched_rank = rank + 1;
    let signed_rank = batched_rank as i64;
    if dim < -signed_rank || dim >= signed_rank {
        return Err(Problem::DimOutOfRange { arg, dim, batched_rank });
    }
    Ok(if dim < 0 { (dim + signed_rank) as usize } else { dim as usize })
}

/// The input must have one of the `allowed` ranks (batch left out).
fn require_rank(input: &[usize], allowed: &'static [usize], layout: &'static str) -> Result<(), Problem> {
    if allowed.contains(&input.len()) {
        Ok(())
    } else {
        Err(Problem::Rank { allowed, layout, found: input.to_vec() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dims_count_the_batch_and_may_be_negative() {
        // [10] is [N, 10] in PyTorch: dims -2..=1.
        assert_eq!(normalize_dim("dim", 1, 1), Ok(1));
        assert_eq!(normalize_dim("dim", -1, 1), Ok(1));
        assert_eq!(normalize_dim("dim", -2, 1), Ok(0));
        assert_eq!(normalize_dim("dim", 2, 1), Err(Problem::DimOutOfRange { arg: "dim", dim: 2, batched_rank: 2 }));
        assert!(normalize_dim("dim", -3, 1).is_err());
    }

    #[test]
    fn softmax_keeps_the_shape_and_checks_dim() {
        let softmax = Op::Softmax { dim: Some(3) };
        assert_eq!(softmax.forward(&[4, 6]).problems.len(), 1);
        assert_eq!(Op::Softmax { dim: Some(-3) }.forward(&[4, 6]), Outcome::ok(vec![4, 6]));
        assert_eq!(Op::Softmax { dim: None }.forward(&[7]), Outcome::ok(vec![7]));
    }
}
