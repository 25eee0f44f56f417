//! The forward pass as data: what `network!` writes for the runtime.
//!
//! The macro walks a network as its `forward` runs and records every step that
//! computes something, with everything it knows at compile time: each step's
//! configuration, which values it reads, where its parameters sit in
//! `STATE_DICT`, the per-sample shape it produces and which values die after it.
//! The runtime (`netshape`'s `runtime` feature) executes this program on a
//! tensor backend; nothing here depends on one.
//!
//! Values are numbered: the network's inputs first (`0..inputs`), then each
//! step's outputs in order.
//!
//! ```
//! use netshape_core::program::{Activation, Op, Program, Step};
//!
//! // `input: [4], fc: Linear(4, 2), relu()`.
//! const PROGRAM: Program<'static> = Program {
//!     inputs: &[&[4]],
//!     index_inputs: &[],
//!     steps: &[
//!         Step { op: Op::Linear { bias: true }, inputs: &[0], outputs: 1, params: 0, shapes: &[&[2]], free: &[0], path: "fc" },
//!         Step { op: Op::Activation(Activation::Relu), inputs: &[1], outputs: 1, params: 0, shapes: &[&[2]], free: &[1], path: "" },
//!     ],
//!     outputs: &[2],
//!     symbols: &[],
//!     varying: &[],
//! };
//! assert_eq!(PROGRAM.value_count(), 3);
//! ```

/// A network's forward pass.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Program<'a> {
    /// Each input's per-sample shape; the values `0..inputs.len()`.
    pub inputs: &'a [&'a [usize]],
    /// The inputs that hold indices (`as i64`), not floats.
    pub index_inputs: &'a [usize],
    /// The steps, in the order `forward` runs them.
    pub steps: &'a [Step<'a>],
    /// The values the network returns, in order.
    pub outputs: &'a [usize],
    /// The input sizes that vary (`where H in 32..=2048`); empty when every
    /// size is fixed. `inputs` and each step's `shapes` are then at the
    /// symbols' defaults.
    pub symbols: &'a [Symbol<'a>],
    /// Every dim that varies with a symbol, with its formula.
    pub varying: &'a [Varying<'a>],
}

/// An input size that varies: `H in 32..=2048, H % 32 == 0`.
///
/// ```
/// use netshape_core::program::Symbol;
///
/// let height = Symbol { name: "H", low: 32, high: 2048, modulus: 32, residue: 0, default: 224, places: &[(0, 1)] };
/// assert!(height.admits(224) && !height.admits(225) && !height.admits(4096));
/// assert_eq!(height.to_string(), "H in 32..=2048, H % 32 == 0");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Symbol<'a> {
    /// As declared: `H`.
    pub name: &'a str,
    /// The smallest admissible size.
    pub low: usize,
    /// The largest admissible size.
    pub high: usize,
    /// Admissible sizes are `residue` modulo `modulus`.
    pub modulus: usize,
    /// See `modulus`.
    pub residue: usize,
    /// The size the consts are computed at.
    pub default: usize,
    /// Where the inputs take it: `(input, dim)`, batch left out.
    pub places: &'a [(usize, usize)],
}

impl Symbol<'_> {
    /// Whether `size` is one the network was checked for.
    pub const fn admits(&self, size: usize) -> bool {
        size >= self.low && size <= self.high && self.modulus > 0 && size % self.modulus == self.residue
    }
}

impl core::fmt::Display for Symbol<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} in {}..={}", self.name, self.low, self.high)?;
        if self.modulus > 1 {
            write!(f, ", {} % {} == {}", self.name, self.modulus, self.residue)?;
        }
        Ok(())
    }
}

/// A dim of a value that varies: value `value`'s dim `dim` (batch left out)
/// is `formula` of the symbols.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Varying<'a> {
    /// The value, numbered as the program numbers them.
    pub value: usize,
    /// The dim, batch left out.
    pub dim: usize,
    /// Its size.
    pub formula: Formula<'a>,
}

/// A size as a function of one symbol.
///
/// ```
/// use netshape_core::program::Formula;
///
/// // A 3×3 convolution of stride 2 and padding 1: ⌊(H + 1)/2⌋.
/// let half = Formula::Quasi { symbol: 0, scale: 1, num: 1, offset: 1, den: 2, constant: 0 };
/// assert_eq!(half.at(&[225]), 113);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Formula<'a> {
    /// `scale·⌊(num·S + offset)/den⌋ + constant`.
    Quasi {
        /// The symbol `S`, an index into [`Program::symbols`].
        symbol: usize,
        /// See the variant.
        scale: i64,
        /// See the variant.
        num: i64,
        /// See the variant.
        offset: i64,
        /// See the variant; positive.
        den: i64,
        /// See the variant.
        constant: i64,
    },
    /// The size at each admissible size of the symbol, from the smallest.
    Table {
        /// The symbol, an index into [`Program::symbols`].
        symbol: usize,
        /// The smallest admissible size of the symbol.
        low: usize,
        /// The step between admissible sizes.
        modulus: usize,
        /// The sizes.
        values: &'a [usize],
    },
}

impl Formula<'_> {
    /// The size when the symbols take `sizes` (admissible ones).
    pub fn at(&self, sizes: &[usize]) -> usize {
        match *self {
            Formula::Quasi { symbol, scale, num, offset, den, constant } => {
                let size = sizes.get(symbol).copied().unwrap_or(0) as i64;
                (scale * (num * size + offset).div_euclid(den.max(1)) + constant).max(0) as usize
            }
            Formula::Table { symbol, low, modulus, values } => {
                let size = sizes.get(symbol).copied().unwrap_or(0);
                let index = size.saturating_sub(low) / modulus.max(1);
                values.get(index).copied().unwrap_or(0)
            }
        }
    }
}

impl Program<'_> {
    /// How many values the program makes, inputs included.
    pub const fn value_count(&self) -> usize {
        let mut count = self.inputs.len();
        let mut index = 0;
        while index < self.steps.len() {
            count += self.steps[index].outputs;
            index += 1;
        }
        count
    }
}

/// One computation: an op on some values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step<'a> {
    /// What it computes.
    pub op: Op<'a>,
    /// The values it reads.
    pub inputs: &'a [usize],
    /// How many values it makes (more than one for a split).
    pub outputs: usize,
    /// The `STATE_DICT` index of its first parameter or buffer; the op's
    /// tensors follow in PyTorch's registration order.
    pub params: usize,
    /// Each output's per-sample shape, batch left out.
    pub shapes: &'a [&'a [usize]],
    /// The values no later step reads, which can be dropped after this one.
    pub free: &'a [usize],
    /// The module's path (`layer1.0.conv1`), empty for a functional op.
    pub path: &'a str,
}

/// How a convolution pads its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PadMode {
    /// A constant value (zeros for a convolution).
    Constant,
    /// Mirrors without repeating the edge.
    Reflect,
    /// Repeats the edge.
    Replicate,
    /// Wraps around.
    Circular,
}

/// Softmax and its relatives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SoftmaxKind {
    /// `softmax`.
    Softmax,
    /// `log_softmax`.
    LogSoftmax,
    /// `softmin`: the softmax of the negated input.
    Softmin,
}

/// A reduction over some dims.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduction {
    /// `mean`.
    Mean,
    /// `sum`.
    Sum,
    /// `amax`.
    Max,
}

/// An elementwise join of two or more values, with broadcasting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Join {
    /// `add`.
    Add,
    /// `sub`.
    Sub,
    /// `mul`.
    Mul,
    /// `div`.
    Div,
}

/// How an `EmbeddingBag` reduces a bag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BagMode {
    /// The sum of the rows.
    Sum,
    /// Their mean.
    Mean,
    /// Their elementwise maximum.
    Max,
}

/// A recurrent cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Elman RNN with `tanh`.
    RnnTanh,
    /// Elman RNN with `relu`.
    RnnRelu,
    /// LSTM.
    Lstm,
    /// GRU.
    Gru,
}

/// An interpolation mode of `Upsample`/`interpolate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interpolation {
    /// `"nearest"`: PyTorch's legacy nearest (floor of the scaled index).
    Nearest,
    /// `"nearest-exact"`: the nearest centre.
    NearestExact,
    /// `"linear"`, `"bilinear"`, `"trilinear"`.
    Linear,
    /// `"bicubic"`.
    Cubic,
    /// `"area"`: an adaptive average pool.
    Area,
}

/// Which part of `torch.nn.Transformer` a step is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransformerPart {
    /// `TransformerEncoderLayer`.
    EncoderLayer,
    /// `TransformerDecoderLayer`.
    DecoderLayer,
    /// `TransformerEncoder`: `layers` encoder layers and an optional norm.
    Encoder,
    /// `TransformerDecoder`.
    Decoder,
    /// `Transformer`: an encoder and a decoder, each with a final norm.
    Transformer,
}

/// An elementwise activation with its arguments.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Activation {
    /// `relu`.
    Relu,
    /// `relu6`.
    Relu6,
    /// `leaky_relu(negative_slope)`; also RReLU in eval, whose slope is the
    /// mean of its bounds.
    LeakyRelu(f64),
    /// `elu(alpha)`.
    Elu(f64),
    /// `celu(alpha)`.
    Celu(f64),
    /// `selu`.
    Selu,
    /// `gelu` with the exact erf.
    Gelu,
    /// `gelu(approximate="tanh")`.
    GeluTanh,
    /// `silu`.
    Silu,
    /// `mish`.
    Mish,
    /// `hardswish`.
    Hardswish,
    /// `hardsigmoid`.
    Hardsigmoid,
    /// `hardtanh(min_val, max_val)`.
    Hardtanh(f64, f64),
    /// `sigmoid`.
    Sigmoid,
    /// `tanh`.
    Tanh,
    /// `logsigmoid`.
    LogSigmoid,
    /// `softplus(beta, threshold)`.
    Softplus(f64, f64),
    /// `softsign`.
    Softsign,
    /// `tanhshrink`.
    Tanhshrink,
    /// `hardshrink(lambd)`.
    Hardshrink(f64),
    /// `softshrink(lambd)`.
    Softshrink(f64),
    /// `threshold(threshold, value)`.
    Threshold(f64, f64),
}

/// What a step computes. Dims (`dim`, `dims`) count the batch as dim 0.
/// Per-axis arguments have one value per spatial axis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op<'a> {
    /// Returns its input: dropout in eval, `Identity`, `contiguous`.
    Identity,
    /// An elementwise activation.
    Activation(Activation),
    /// `PReLU`: one learned slope, or one per channel (dim 1).
    PRelu {
        /// The slopes' initial value.
        init: f64,
    },
    /// Softmax, log-softmax or softmin along `dim`.
    Softmax {
        /// Which.
        kind: SoftmaxKind,
        /// Along which dim.
        dim: usize,
    },
    /// `GLU` along `dim`.
    Glu {
        /// The dim that is halved.
        dim: usize,
    },
    /// `Linear`: `x · weightᵀ + bias` over the last dim.
    Linear {
        /// Whether it has a bias.
        bias: bool,
    },
    /// A convolution over `stride.len()` spatial axes.
    Conv {
        /// Stride per axis.
        stride: &'a [usize],
        /// Padding per axis, before and after: `[before₀, after₀, before₁, …]`.
        padding: &'a [usize],
        /// Dilation per axis.
        dilation: &'a [usize],
        /// Groups.
        groups: usize,
        /// Whether it has a bias.
        bias: bool,
        /// How padding is filled.
        padding_mode: PadMode,
    },
    /// A transposed convolution.
    ConvTranspose {
        /// Stride per axis.
        stride: &'a [usize],
        /// Padding per axis.
        padding: &'a [usize],
        /// Extra size on the far side of each axis.
        output_padding: &'a [usize],
        /// Dilation per axis.
        dilation: &'a [usize],
        /// Groups.
        groups: usize,
        /// Whether it has a bias.
        bias: bool,
    },
    /// A max pool; the output size is the step's shape.
    MaxPool {
        /// Kernel per axis.
        kernel: &'a [usize],
        /// Stride per axis.
        stride: &'a [usize],
        /// Padding per axis (both sides).
        padding: &'a [usize],
        /// Dilation per axis.
        dilation: &'a [usize],
    },
    /// An average pool; the output size is the step's shape.
    AvgPool {
        /// Kernel per axis.
        kernel: &'a [usize],
        /// Stride per axis.
        stride: &'a [usize],
        /// Padding per axis (both sides).
        padding: &'a [usize],
        /// Whether the zeros of the padding count in the divisor.
        count_include_pad: bool,
        /// A fixed divisor, or 0 for the window's.
        divisor: usize,
    },
    /// An adaptive pool over the last `axes` dims; the sizes are the step's shape.
    AdaptivePool {
        /// Max or average.
        max: bool,
        /// How many trailing dims it pools.
        axes: usize,
    },
    /// `Unfold`: sliding blocks as columns, `[N, C·∏k, L]`.
    Unfold {
        /// Kernel per axis.
        kernel: &'a [usize],
        /// Dilation per axis.
        dilation: &'a [usize],
        /// Padding per axis.
        padding: &'a [usize],
        /// Stride per axis.
        stride: &'a [usize],
    },
    /// `Fold`: columns summed back into an image of size `output`.
    Fold {
        /// The image's spatial size.
        output: &'a [usize],
        /// Kernel per axis.
        kernel: &'a [usize],
        /// Dilation per axis.
        dilation: &'a [usize],
        /// Padding per axis.
        padding: &'a [usize],
        /// Stride per axis.
        stride: &'a [usize],
    },
    /// Batch norm over dim 1; on the running statistics when it tracks them,
    /// else on the batch's.
    BatchNorm {
        /// Added to the variance.
        eps: f64,
        /// Whether it has `weight` and `bias`.
        affine: bool,
        /// Whether it has running statistics.
        running: bool,
    },
    /// Instance norm: per sample and channel over the spatial dims.
    InstanceNorm {
        /// Added to the variance.
        eps: f64,
        /// Whether it has `weight` and `bias`.
        affine: bool,
        /// Whether it uses running statistics (it tracks them and is in eval).
        running: bool,
    },
    /// Group norm.
    GroupNorm {
        /// Groups of channels.
        groups: usize,
        /// Added to the variance.
        eps: f64,
        /// Whether it has `weight` and `bias`.
        affine: bool,
    },
    /// Layer norm over the last `axes` dims.
    LayerNorm {
        /// How many trailing dims it normalises.
        axes: usize,
        /// Added to the variance.
        eps: f64,
        /// Whether it has `weight`.
        affine: bool,
        /// Whether it has `bias`.
        bias: bool,
        /// Over dim 1, the channels of `[N, C, *]` (torchvision's
        /// `LayerNorm2d`), rather than the last `axes` dims.
        channels_first: bool,
    },
    /// Local response norm across channels.
    LocalResponseNorm {
        /// Neighbouring channels.
        size: usize,
        /// Scale.
        alpha: f64,
        /// Exponent.
        beta: f64,
        /// Additive constant.
        k: f64,
    },
    /// `normalize`: divides by the `p`-norm along `dim`.
    Normalize {
        /// The norm's order.
        p: f64,
        /// Along which dim.
        dim: usize,
        /// The smallest divisor.
        eps: f64,
    },
    /// Embedding lookup of index input.
    Embedding {
        /// Rows longer than this are scaled to it (`max_norm`), if positive.
        max_norm: f64,
        /// The norm's order for `max_norm`.
        norm_type: f64,
    },
    /// Embedding bags over the last dim of `[N, L]` indices.
    EmbeddingBag {
        /// How a bag is reduced.
        mode: BagMode,
        /// Rows longer than this are scaled to it, if positive.
        max_norm: f64,
        /// The norm's order for `max_norm`.
        norm_type: f64,
        /// An index left out of every bag, if any.
        padding_idx: Option<usize>,
    },
    /// RNN, LSTM or GRU over `[N, L, input]`.
    Recurrent {
        /// The cell.
        cell: Cell,
        /// Stacked layers.
        layers: usize,
        /// Hidden size.
        hidden: usize,
        /// LSTM's projection size, 0 for none.
        proj: usize,
        /// Whether it has biases.
        bias: bool,
        /// Whether it also runs backwards.
        bidirectional: bool,
    },
    /// `MultiheadAttention` on `(query, key, value)` (one input: all three).
    Attention {
        /// Heads.
        heads: usize,
        /// Whether it has input and output biases.
        bias: bool,
        /// `add_bias_kv`.
        bias_kv: bool,
        /// `add_zero_attn`.
        zero_attn: bool,
        /// Separate `q/k/v_proj_weight` (key or value sizes differ from the query's).
        separate: bool,
    },
    /// A part of `torch.nn.Transformer`.
    Transformer {
        /// Which.
        part: TransformerPart,
        /// Heads.
        heads: usize,
        /// Encoder layers (or the decoder's, for `Decoder`).
        layers: usize,
        /// Decoder layers of a whole `Transformer`.
        decoder_layers: usize,
        /// `gelu` instead of `relu`.
        gelu: bool,
        /// Layer norms' epsilon.
        eps: f64,
        /// The final norm's epsilon, for an encoder or decoder that has one.
        final_norm: Option<f64>,
        /// Norms before attention and feed-forward.
        norm_first: bool,
        /// Whether linear layers and norms have biases.
        bias: bool,
    },
    /// Resizes the last `sizes` dims to the step's shape.
    Upsample {
        /// How values are interpolated.
        mode: Interpolation,
        /// `align_corners`.
        align_corners: bool,
        /// `antialias`: a downsampling linear or cubic filter widens to
        /// cover every input position (as PIL resizes).
        antialias: bool,
        /// The scale factors PyTorch maps coordinates with, one per axis;
        /// empty to use the ratio of sizes.
        scales: &'a [f64],
    },
    /// `PixelShuffle`.
    PixelShuffle {
        /// The upscale factor.
        factor: usize,
    },
    /// `PixelUnshuffle`.
    PixelUnshuffle {
        /// The downscale factor.
        factor: usize,
    },
    /// `ChannelShuffle`.
    ChannelShuffle {
        /// Groups.
        groups: usize,
    },
    /// Pads (or crops, where negative) the last dims: two values per dim,
    /// last dim first, as `F.pad` takes them.
    Pad {
        /// The pads.
        pads: &'a [i64],
        /// How the padding is filled.
        mode: PadMode,
        /// The constant, for [`PadMode::Constant`].
        value: f64,
    },
    /// Reshapes to the step's shape: `view`, `reshape`, `flatten`,
    /// `unflatten`, `squeeze`, `unsqueeze`.
    Reshape,
    /// Reorders dims (`transpose`, `permute`).
    Permute {
        /// The new order, batch first.
        dims: &'a [usize],
    },
    /// Reduces dims.
    Reduce {
        /// How.
        kind: Reduction,
        /// Which dims.
        dims: &'a [usize],
        /// Whether reduced dims stay with size 1.
        keepdim: bool,
    },
    /// Splits along `dim` into pieces of `sizes`; `squeeze` removes the dim
    /// (`unbind`).
    Split {
        /// Along which dim.
        dim: usize,
        /// The pieces' sizes.
        sizes: &'a [usize],
        /// Whether the dim is removed.
        squeeze: bool,
    },
    /// An elementwise join of the inputs, left to right.
    Join(Join),
    /// Concatenation along `dim`.
    Cat {
        /// Along which dim.
        dim: usize,
    },
    /// Stacking along a new `dim`.
    Stack {
        /// Where the new dim goes.
        dim: usize,
    },
    /// One index along `dim`, which goes (`x.select(dim, index)`).
    Select {
        /// Along which dim.
        dim: usize,
        /// Which index; a negative one counts from the end.
        index: i64,
    },
    /// A raw parameter or buffer of a module (`nn.Parameter`,
    /// `register_buffer`): the `STATE_DICT` entry at the step's `params`,
    /// whose key is the step's `path`, reshaped to `shape` (a batch of 1
    /// first) for the join that reads it.
    Stored {
        /// The value's shape, batch of 1 included.
        shape: &'a [usize],
    },
}

/// A network the runtime can run: `network!` implements it when netshape's
/// `runtime` feature is on.
pub trait Runnable: crate::Network {
    /// The forward pass.
    const PROGRAM: Program<'static>;
}
