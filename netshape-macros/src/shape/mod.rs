//! Stage 2: shape arithmetic. Pure integer code with PyTorch's rules and no
//! syntax types: given a layer's configuration and its input shapes (batch left
//! out), what it outputs, what it stores, and which rule it breaks.
//!
//! Every rule reports a [`Problem`] that names the argument at fault, so that
//! the check stage can point at the right token and explain the numbers.

use std::ops::RangeBounds;

mod activation;
mod attention;
mod conv;
mod embedding;
pub mod join;
mod limits;
mod linear;
mod measure;
mod norm;
mod pad;
mod pool;
mod recurrent;
mod reshape;
mod resize;
pub mod symbolic;

pub use activation::{Glu, PRelu};
pub use attention::{Attention, Transformer, TransformerPart};
pub use conv::{Conv, ConvTranspose, Padding, PaddingMode};
pub use embedding::{Embedding, EmbeddingBag};
pub use limits::{saturating_product, too_large, MAX_MULT_ADDS, MAX_NESTING, MAX_SIZE, MAX_STEPS};
pub use linear::Linear;
pub use measure::Field;
pub use norm::{BatchNorm, GroupNorm, InstanceNorm, LayerNorm};
pub use pad::{Pad, PadMode};
pub use pool::{AdaptivePool, Fold, Pool, PoolKind, Unfold};
pub use recurrent::{Cell, Recurrent};
pub use reshape::{Flatten, Unflatten, View, ViewSize};
pub use resize::{Scale, Upsample, UpsampleMode};

/// A shape without the batch dimension.
pub type Dims = Vec<usize>;

/// What a tensor holds: numbers, or indices into an embedding table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dtype {
    Float,
    Index,
}

/// One layer's configuration, in PyTorch's terms.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Conv(Conv),
    ConvTranspose(ConvTranspose),
    Pool(Pool),
    AdaptivePool(AdaptivePool),
    Fold(Fold),
    Unfold(Unfold),
    BatchNorm(BatchNorm),
    InstanceNorm(InstanceNorm),
    GroupNorm(GroupNorm),
    LayerNorm(LayerNorm),
    /// LocalResponseNorm: the shape is kept, the input needs channels.
    LocalResponseNorm,
    Linear(Linear),
    Embedding(Embedding),
    EmbeddingBag(EmbeddingBag),
    Recurrent(Recurrent),
    Attention(Attention),
    Transformer(Transformer),
    Upsample(Upsample),
    PixelShuffle {
        upscale_factor: usize,
    },
    PixelUnshuffle {
        downscale_factor: usize,
    },
    ChannelShuffle {
        groups: usize,
    },
    Pad(Pad),
    Flatten(Flatten),
    Unflatten(Unflatten),
    View(View),
    PRelu(PRelu),
    Glu(Glu),
    /// `x.transpose(dim0, dim1)`.
    Transpose {
        dim0: i64,
        dim1: i64,
    },
    /// `x.permute(dims…)`.
    Permute {
        dims: Vec<i64>,
    },
    /// `x.mean(dim, keepdim)`, `x.sum(…)`; `dims` is `None` for all of them.
    Reduce {
        dims: Option<Vec<i64>>,
        keepdim: bool,
    },
    /// `x.squeeze(dim)`.
    Squeeze {
        dim: Option<i64>,
    },
    /// `x.unsqueeze(dim)`.
    Unsqueeze {
        dim: i64,
    },
    /// `x.select(dim, index)`, `x[:, 0]`: the dim goes.
    Select {
        dim: i64,
        index: i64,
    },
    /// `x.chunk(…)`, `x.split(…)`, `x.unbind(…)`: several tensors, bound with `let`.
    Split(Split),
    /// Softmax, LogSoftmax, Softmin: the shape is kept, `dim` must exist.
    Softmax {
        dim: Option<i64>,
    },
    /// Softmax2d: a softmax over the channels of `[C, H, W]`.
    Softmax2d,
    /// An elementwise op with two bounds that must be ordered (Hardtanh's
    /// `min_val < max_val`, RReLU's `lower <= upper`).
    Bounded {
        lower: (&'static str, f64),
        upper: (&'static str, f64),
        strict: bool,
    },
    /// Activations, dropout, identity: the shape is kept.
    Elementwise,
    /// As [`Op::Elementwise`], on inputs of `least..=most` dims only:
    /// `Dropout1d` takes `[C, L]` or `[L]`, a feature dropout that drops at
    /// least `[C]`.
    Ranked {
        least: usize,
        most: usize,
        layout: &'static str,
    },
}

/// How a tensor is split into several.
#[derive(Clone, Debug, PartialEq)]
pub enum Split {
    Chunk {
        chunks: usize,
        dim: i64,
    },
    /// Pieces of one size, or the sizes of each.
    Sizes {
        sizes: Vec<usize>,
        each: bool,
        dim: i64,
    },
    Unbind {
        dim: i64,
    },
}

impl Split {
    /// The dim it splits along, as written.
    pub fn dim(&self) -> i64 {
        match *self {
            Split::Chunk { dim, .. } | Split::Sizes { dim, .. } | Split::Unbind { dim } => dim,
        }
    }

    /// The pieces' shapes.
    pub fn pieces(&self, input: &[usize]) -> Result<Vec<Dims>, Problem> {
        // Counted before any piece is made: a split of a long axis into
        // millions of tensors is refused, not built.
        let count = match self {
            &Split::Chunk { chunks, .. } => chunks,
            Split::Sizes { sizes, each: true, dim } => {
                let axis = join::sample_axis("dim", *dim, input.len())?;
                input[axis] / sizes.first().copied().unwrap_or(1).max(1)
            }
            Split::Sizes { sizes, .. } => sizes.len(),
            &Split::Unbind { dim } => input[join::sample_axis("dim", dim, input.len())?],
        };
        if count > MAX_STEPS {
            return Err(Problem::TooManyPieces { pieces: count });
        }
        match self {
            &Split::Chunk { chunks, dim } => join::chunk(input, chunks, dim),
            Split::Sizes { sizes, each: false, dim } => join::split(input, sizes, *dim),
            Split::Sizes { sizes, each: true, dim } => {
                let axis = join::sample_axis("dim", *dim, input.len())?;
                let size = sizes.first().copied().unwrap_or(1);
                if !input[axis].is_multiple_of(size) {
                    return Err(Problem::Uneven { axis, size: input[axis], pieces: input[axis].div_ceil(size) });
                }
                join::split(input, &vec![size; input[axis] / size], *dim)
            }
            &Split::Unbind { dim } => {
                let axis = join::sample_axis("dim", dim, input.len())?;
                let mut piece = input.to_vec();
                piece.remove(axis);
                Ok(vec![piece; input[axis]])
            }
        }
    }
}

/// A further output of a layer beside the one the next layer receives, shown in
/// the summary: an RNN's `h_n`, attention weights. `batch_dim` is where PyTorch
/// puts the batch in it (`h_n` is `[layers × directions, N, hidden]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extra {
    pub dims: Dims,
    pub batch_dim: usize,
}

/// A row a composite module's children add to the summary, before its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The child's path relative to the module: `self_attn`, `layers.0.norm1`.
    pub path: String,
    pub kind: &'static str,
    /// How deep below the module: 1 for a direct child.
    pub depth: usize,
    pub input: Dims,
    pub output: Dims,
    pub extra: Vec<Extra>,
    /// Parameters and buffers the row owns (not those of rows below it).
    pub stored: Vec<Stored>,
    /// Whether the row is a container a stack's layers sit in (a
    /// `ModuleList`), which torchinfo shows and torchsummary does not.
    pub container: bool,
}

/// One tensor a layer stores: a parameter or a buffer, with its `state_dict`
/// name relative to the layer (`weight`, `out_proj.bias`, `weight_hh_l0_reverse`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub name: String,
    pub dims: Dims,
    pub buffer: bool,
}

impl Stored {
    pub fn parameter(name: impl Into<String>, dims: Dims) -> Stored {
        Stored { name: name.into(), dims, buffer: false }
    }

    pub fn buffer(name: impl Into<String>, dims: Dims) -> Stored {
        Stored { name: name.into(), dims, buffer: true }
    }

    /// The same tensor under a submodule: `weight` → `out_proj.weight`.
    pub fn within(self, prefix: &str) -> Stored {
        Stored { name: format!("{prefix}.{}", self.name), ..self }
    }

    /// Saturates rather than overflows: the walk rejects a tensor past
    /// [`MAX_ELEMENTS`] before anything counts it.
    pub fn numel(&self) -> usize {
        self.dims.iter().fold(1usize, |count, &dim| count.saturating_mul(dim))
    }
}

/// Where a problem lies: an argument (and the axis within a tuple argument), or
/// the layer as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    Layer,
    Arg(&'static str),
    Axis(&'static str, usize),
    /// The pair of values of a padding tuple for the `n`-th axis from the last.
    Pad(usize),
}

/// A rule a layer breaks, with the numbers that disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The input has the wrong number of dimensions.
    Rank { layout: &'static str, found: Dims },
    /// A size the layer declares (`in_channels`, `num_features`, `in_features`)
    /// differs from the input's; `axis` is the input dimension compared.
    Mismatch { arg: &'static str, declared: usize, axis: usize, found: usize },
    /// As `Mismatch`, for another input than the first (`operand` counts from 0):
    /// attention's key and value, a decoder's memory.
    OperandMismatch { operand: usize, arg: &'static str, declared: usize, axis: usize, found: usize },
    /// Argument `arg`'s `value` is not a multiple of argument `by_arg`'s `by`.
    NotDivisible { arg: &'static str, value: usize, by_arg: &'static str, by: usize },
    /// The input's size along `axis` is not a multiple of `by`, which argument
    /// `arg` sets (`what` names the size).
    InputNotDivisible { axis: usize, size: usize, by: usize, arg: &'static str, what: &'static str },
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
    /// A transposed conv's `output_padding` is not smaller than its stride or dilation.
    OutputPadding { axis: usize, output_padding: usize, stride: usize, dilation: usize },
    /// A transposed conv whose output would be empty.
    TransposedTooSmall { axis: usize, input: usize, output: i64 },
    /// A `dim` argument outside the batched tensor's dimensions.
    DimOutOfRange { arg: &'static str, dim: i64, batched_rank: usize },
    /// An op that would merge, split or move the batch dimension.
    TouchesBatch { arg: &'static str },
    /// `flatten`'s `start_dim` after its `end_dim` (both normalised).
    FlattenOrder { start: usize, end: usize },
    /// A `view`/`reshape` whose sizes leave the batch out of place.
    ViewBatchFirst,
    /// A `view`/`reshape`/`Unflatten` with more than one `-1`.
    ViewManyInferred { arg: &'static str, index: usize },
    /// A `view`/`reshape`/`Unflatten` size that is zero or negative (other than `-1`).
    ViewBadSize { arg: &'static str, index: usize, size: i64 },
    /// A `view`/`reshape`/`Unflatten` whose sizes do not multiply out.
    ViewElements { arg: &'static str, wanted: usize, available: usize, inferred: bool },
    /// LayerNorm's `normalized_shape` differs from the input's trailing dims.
    NormalizedShape { expected: Dims, found: Dims },
    /// Embedding's `padding_idx` outside `-num_embeddings..num_embeddings`.
    PaddingIndex { padding_idx: i64, num_embeddings: usize },
    /// LSTM's `proj_size` not smaller than `hidden_size`.
    ProjSize { proj_size: usize, hidden_size: usize },
    /// Two bounds in the wrong order (values as written).
    Ordered { lower: (&'static str, String), upper: (&'static str, String), strict: bool },
    /// Upsample with both `size` and `scale_factor`, or neither.
    SizeOrScale { both: bool },
    /// `align_corners` with a mode that does not interpolate.
    AlignCorners { mode: &'static str },
    /// An interpolation mode on an input of the wrong rank.
    ModeRank { mode: &'static str, layout: &'static str, found: Dims },
    /// A `size`/`scale_factor`/padding tuple whose length does not match the input.
    TupleLength { arg: &'static str, expected: usize, found: usize },
    /// An upsampled size of zero.
    UpsampleEmpty { arg: &'static str, axis: usize, input: usize, output: usize },
    /// A padding that leaves an axis with fewer than `least` elements (`axis`
    /// counts from the last dimension, as the padding tuple does).
    PaddedTooSmall { axis: usize, input: usize, output: i64, least: i64 },
    /// Reflection padding not smaller than the input, circular padding larger.
    PadTooWide { axis: usize, mode: PadMode, padding: i64, input: usize },
    /// Fold's input does not hold the blocks its output needs.
    FoldBlocks { expected: usize, found: usize },
    /// Instance normalisation over a single value per channel, which has no
    /// variance.
    SingleValue { spatial: Dims },
    /// Operands of an elementwise op that do not broadcast: ranks differ, or
    /// the sizes along `axis` differ and neither is 1.
    Broadcast { operand: usize, left: Dims, right: Dims, axis: Option<usize> },
    /// Operands of `cat` (or `stack`) that differ elsewhere than along `axis`.
    Cat { operand: usize, first: Dims, other: Dims, axis: usize },
    /// A `chunk` that does not divide the size evenly.
    Uneven { axis: usize, size: usize, pieces: usize },
    /// A `scale_factor` that makes a size past [`MAX_SIZE`].
    /// (The scale and the size it makes, as numbers read.)
    ScaledTooLarge { axis: usize, scale: String, output: String },
    /// An index past the size of the dim it selects from.
    IndexOutOfRange { axis: usize, index: i64, size: usize },
    /// A split into more tensors than [`MAX_STEPS`].
    TooManyPieces { pieces: usize },
    /// `split` sections that do not add up to the size.
    Sections { axis: usize, size: usize, total: usize },
    /// A `permute` that is not a permutation keeping the batch first.
    Permutation { found: Vec<i64>, rank: usize },
    /// A split used where one tensor is expected.
    Pieces { count: usize },
    /// Two arguments that PyTorch refuses together.
    Conflict { arg: &'static str, with: &'static str, reason: &'static str },
    /// `MultiheadAttention(bias=False)` where PyTorch 1.13's inference fast path
    /// fails (it needs `in_proj_bias`).
    AttentionBias,
    /// Unfold's sliding blocks do not fit the input along `axis`.
    NoBlocks { axis: usize, input: usize, padding: usize, kernel: usize, dilation: usize },
}

impl Problem {
    /// The spatial axis a per-axis problem is about.
    pub fn axis(&self) -> Option<usize> {
        match self.at() {
            At::Axis(_, axis) | At::Pad(axis) => Some(axis),
            _ => None,
        }
    }

    /// The argument this problem is about, for pointing at it.
    pub fn at(&self) -> At {
        match *self {
            Problem::Rank { .. }
            | Problem::ViewBatchFirst
            | Problem::FlattenOrder { .. }
            | Problem::ModeRank { .. }
            | Problem::FoldBlocks { .. }
            | Problem::SizeOrScale { both: false }
            | Problem::SingleValue { .. }
            | Problem::Broadcast { .. }
            | Problem::Cat { .. }
            | Problem::Uneven { .. }
            | Problem::TooManyPieces { .. }
            | Problem::IndexOutOfRange { .. }
            | Problem::ScaledTooLarge { .. }
            | Problem::Sections { .. }
            | Problem::Permutation { .. }
            | Problem::Pieces { .. } => At::Layer,
            Problem::Mismatch { arg, .. }
            | Problem::OperandMismatch { arg, .. }
            | Problem::InputNotDivisible { arg, .. }
            | Problem::DimOutOfRange { arg, .. }
            | Problem::TouchesBatch { arg }
            | Problem::ViewElements { arg, .. }
            | Problem::TupleLength { arg, .. } => At::Arg(arg),
            Problem::NotDivisible { by_arg, .. } => At::Arg(by_arg),
            Problem::SameWithStride { .. } => At::Arg("padding"),
            Problem::KernelTooLarge { axis, .. }
            | Problem::OutputTooSmall { axis, .. }
            | Problem::InputSmallerThanKernel { axis, .. }
            | Problem::NoBlocks { axis, .. } => At::Axis("kernel_size", axis),
            Problem::PaddingOverHalfKernel { axis, .. }
            | Problem::PaddingModeTooWide { axis, .. }
            | Problem::TransposedTooSmall { axis, .. } => At::Axis("padding", axis),
            Problem::OutputPadding { axis, .. } => At::Axis("output_padding", axis),
            Problem::ViewManyInferred { arg, index } | Problem::ViewBadSize { arg, index, .. } => At::Axis(arg, index),
            Problem::NormalizedShape { .. } => At::Arg("normalized_shape"),
            Problem::Conflict { arg, .. } => At::Arg(arg),
            Problem::AttentionBias => At::Arg("bias"),
            Problem::PaddingIndex { .. } => At::Arg("padding_idx"),
            Problem::ProjSize { .. } => At::Arg("proj_size"),
            Problem::Ordered { ref upper, .. } => At::Arg(upper.0),
            Problem::SizeOrScale { both: true } => At::Arg("scale_factor"),
            Problem::AlignCorners { .. } => At::Arg("align_corners"),
            Problem::UpsampleEmpty { arg, axis, .. } => At::Axis(arg, axis),
            Problem::PaddedTooSmall { axis, .. } | Problem::PadTooWide { axis, .. } => At::Pad(axis),
        }
    }
}

/// What a layer does to its inputs: the output if it can be computed, further
/// outputs and child rows, and every problem found. After a problem the output
/// is still given when the layer's own arguments fix it (a conv with the wrong
/// `in_channels` still outputs `out_channels` maps), so later layers are
/// checked against what was meant.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub output: Option<Dims>,
    pub extra: Vec<Extra>,
    pub children: Vec<Row>,
    pub problems: Vec<Problem>,
}

impl From<Result<Dims, Problem>> for Outcome {
    fn from(result: Result<Dims, Problem>) -> Outcome {
        match result {
            Ok(output) => Outcome::ok(output),
            Err(problem) => Outcome::failed(problem),
        }
    }
}

impl Outcome {
    pub fn ok(output: Dims) -> Outcome {
        Outcome { output: Some(output), ..Outcome::default() }
    }

    pub fn failed(problem: Problem) -> Outcome {
        Outcome { problems: vec![problem], ..Outcome::default() }
    }

    /// The output stands despite `problems`.
    pub fn with(output: Dims, problems: Vec<Problem>) -> Outcome {
        Outcome { output: Some(output), problems, ..Outcome::default() }
    }

    /// No output: later layers cannot be checked.
    pub fn failed_all(problems: Vec<Problem>) -> Outcome {
        Outcome { problems, ..Outcome::default() }
    }

    /// No output if anything went wrong: later layers cannot be checked.
    pub fn unless(output: Dims, problems: Vec<Problem>) -> Outcome {
        let output = problems.is_empty().then_some(output);
        Outcome { output, problems, ..Outcome::default() }
    }
}

impl Op {
    /// The rules PyTorch enforces when the module is built, before any input.
    pub fn validate(&self) -> Vec<Problem> {
        match self {
            Op::Conv(conv) => conv.validate(),
            Op::ConvTranspose(conv) => conv.validate(),
            Op::Pool(pool) => pool.validate(),
            Op::GroupNorm(norm) => norm.validate(),
            Op::Embedding(embedding) => embedding.validate(),
            Op::EmbeddingBag(bag) => bag.validate(),
            Op::Recurrent(recurrent) => recurrent.validate(),
            Op::Attention(attention) => attention.validate(),
            Op::Transformer(transformer) => transformer.validate(),
            Op::Upsample(upsample) => upsample.validate(),
            Op::Pad(pad) => pad.validate(),
            &Op::Bounded { lower, upper, strict } => {
                let ordered = if strict { lower.1 < upper.1 } else { lower.1 <= upper.1 };
                if ordered {
                    Vec::new()
                } else {
                    let text = |(name, value): (&'static str, f64)| (name, format!("{value:?}"));
                    vec![Problem::Ordered { lower: text(lower), upper: text(upper), strict }]
                }
            }
            _ => Vec::new(),
        }
    }

    /// Whether the output has the input's shape whatever the arguments, so that
    /// a mistake in them leaves later layers checkable.
    pub fn keeps_shape(&self) -> bool {
        matches!(self, Op::Elementwise | Op::Ranked { .. } | Op::Bounded { .. } | Op::Softmax { .. })
    }

    /// How many tensors the layer can take, and what they are called.
    pub fn arity(&self) -> &'static [&'static [&'static str]] {
        match self {
            Op::Attention(_) => &[&["query"], &["query", "key", "value"]],
            Op::Transformer(transformer) => transformer.arity(),
            _ => &[&["input"]],
        }
    }

    /// What the layer's first input must hold, if it matters.
    pub fn input_dtype(&self) -> Option<Dtype> {
        match self {
            Op::Embedding(_) | Op::EmbeddingBag(_) => Some(Dtype::Index),
            Op::Flatten(_)
            | Op::Unflatten(_)
            | Op::View(_)
            | Op::Pad(_)
            | Op::Elementwise
            | Op::Ranked { .. }
            | Op::Transpose { .. }
            | Op::Permute { .. }
            | Op::Squeeze { .. }
            | Op::Unsqueeze { .. }
            | Op::Select { .. }
            | Op::Split(_) => None,
            _ => Some(Dtype::Float),
        }
    }

    /// What the layer outputs, given what its input holds.
    pub fn output_dtype(&self, input: Dtype) -> Dtype {
        match self.input_dtype() {
            None => input,
            Some(_) => Dtype::Float,
        }
    }

    /// Runs the layer on input shapes (batch left out). Call only when
    /// [`validate`](Op::validate) found nothing and the inputs fit [`arity`](Op::arity).
    pub fn forward(&self, inputs: &[&[usize]]) -> Outcome {
        let input = inputs[0];
        let keep_rank = |allowed, layout| match require_rank(input, allowed, layout) {
            Ok(()) => Outcome::ok(input.to_vec()),
            Err(problem) => Outcome::failed(problem),
        };
        match self {
            Op::Conv(conv) => conv.forward(input),
            Op::ConvTranspose(conv) => conv.forward(input),
            Op::Pool(pool) => pool.forward(input),
            Op::AdaptivePool(pool) => pool.forward(input),
            Op::Fold(fold) => fold.forward(input),
            Op::Unfold(unfold) => unfold.forward(input),
            Op::BatchNorm(norm) => norm.forward(input),
            Op::InstanceNorm(norm) => norm.forward(input),
            Op::GroupNorm(norm) => norm.forward(input),
            Op::LayerNorm(norm) => norm.forward(input),
            Op::LocalResponseNorm => keep_rank(2..=usize::MAX, "[C, *] (at least 2 dims)"),
            Op::Linear(linear) => linear.forward(input),
            Op::Embedding(embedding) => embedding.forward(input),
            Op::EmbeddingBag(bag) => bag.forward(input),
            Op::Recurrent(recurrent) => recurrent.forward(input),
            Op::Attention(attention) => attention.forward(inputs),
            Op::Transformer(transformer) => transformer.forward(inputs),
            Op::Upsample(upsample) => upsample.forward(input),
            &Op::PixelShuffle { upscale_factor } => resize::pixel_shuffle(input, upscale_factor),
            &Op::PixelUnshuffle { downscale_factor } => resize::pixel_unshuffle(input, downscale_factor),
            &Op::ChannelShuffle { groups } => resize::channel_shuffle(input, groups),
            Op::Pad(pad) => pad.forward(input),
            Op::Flatten(flatten) => flatten.forward(input),
            Op::Unflatten(unflatten) => unflatten.forward(input),
            Op::View(view) => view.forward(input),
            Op::PRelu(prelu) => prelu.forward(input),
            Op::Glu(glu) => glu.forward(input),
            Op::Softmax { dim } => match dim.map(|dim| normalize_dim("dim", dim, input.len())) {
                Some(Err(problem)) => Outcome::with(input.to_vec(), vec![problem]),
                _ => Outcome::ok(input.to_vec()),
            },
            Op::Softmax2d => keep_rank(3..=3, "[C, H, W]"),
            &Op::Transpose { dim0, dim1 } => join::transpose(input, dim0, dim1).into(),
            Op::Permute { dims } => join::permute(input, dims).into(),
            Op::Reduce { dims: Some(dims), keepdim } => join::reduce(input, dims, *keepdim).into(),
            Op::Reduce { dims: None, .. } => Outcome::failed(Problem::TouchesBatch { arg: "dim" }),
            &Op::Squeeze { dim } => join::squeeze(input, dim).into(),
            &Op::Unsqueeze { dim } => join::unsqueeze(input, dim).into(),
            &Op::Select { dim, index } => join::select(input, dim, index).into(),
            // Bound with `let (a, b) = …`, which asks for the pieces.
            Op::Split(split) => match split.pieces(input) {
                Ok(pieces) => Outcome::failed(Problem::Pieces { count: pieces.len() }),
                Err(problem) => Outcome::failed(problem),
            },
            Op::Bounded { .. } | Op::Elementwise => Outcome::ok(input.to_vec()),
            &Op::Ranked { least, most, layout } => keep_rank(least..=most, layout),
        }
    }

    /// The parameters and buffers the layer stores, in `state_dict` order.
    pub fn stored(&self) -> Vec<Stored> {
        match self {
            Op::Conv(conv) => conv.stored(),
            Op::ConvTranspose(conv) => conv.stored(),
            Op::BatchNorm(norm) => norm.stored(),
            Op::InstanceNorm(norm) => norm.stored(),
            Op::GroupNorm(norm) => norm.stored(),
            Op::LayerNorm(norm) => norm.stored(),
            Op::Linear(linear) => linear.stored(),
            Op::Embedding(embedding) => embedding.stored(),
            Op::EmbeddingBag(bag) => bag.embedding.stored(),
            Op::Recurrent(recurrent) => recurrent.stored(),
            Op::Attention(attention) => attention.stored(),
            Op::Transformer(transformer) => transformer.stored(),
            Op::PRelu(prelu) => prelu.stored(),
            _ => Vec::new(),
        }
    }

    /// The parameters and buffers the layer's own row counts: what it stores,
    /// except what belongs to children that have rows of their own.
    pub fn own_stored(&self) -> Vec<Stored> {
        match self {
            Op::Transformer(_) => Vec::new(),
            _ => self.stored(),
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

/// The input's rank (batch left out) must be in `allowed`.
fn require_rank(input: &[usize], allowed: impl RangeBounds<usize>, layout: &'static str) -> Result<(), Problem> {
    if allowed.contains(&input.len()) {
        Ok(())
    } else {
        Err(Problem::Rank { layout, found: input.to_vec() })
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
        assert_eq!(softmax.forward(&[&[4, 6]]).problems.len(), 1);
        assert_eq!(Op::Softmax { dim: Some(-3) }.forward(&[&[4, 6]]), Outcome::ok(vec![4, 6]));
        assert_eq!(Op::Softmax { dim: None }.forward(&[&[7]]), Outcome::ok(vec![7]));
    }

    #[test]
    fn bounds_must_be_ordered() {
        let hardtanh = Op::Bounded { lower: ("min_val", 1.0), upper: ("max_val", 0.5), strict: true };
        assert_eq!(hardtanh.validate().len(), 1);
        let rrelu = Op::Bounded { lower: ("lower", 0.2), upper: ("upper", 0.2), strict: false };
        assert!(rrelu.validate().is_empty());
    }
}
