//! The layers netshape knows: each `torch.nn` module and functional op with its
//! PyTorch signature (argument names, order, types and defaults) and how its
//! bound arguments become a shape [`Op`].

use crate::shape::{
    AdaptivePool, Attention, BatchNorm, Cell, Conv, ConvTranspose, Embedding, EmbeddingBag, Flatten, Fold, Glu,
    GroupNorm, InstanceNorm, LayerNorm, Linear, Op, PRelu, Pad, PadMode, Padding, PaddingMode, Pool, PoolKind,
    Recurrent, Scale, Split, Transformer, TransformerPart, Unflatten, Unfold, Upsample, UpsampleMode, View, ViewSize,
};

/// A module (`Conv2d`) or functional op (`max_pool2d`).
pub struct Kind {
    pub name: &'static str,
    pub functional: bool,
    /// The N of an `Nd` layer: how many values a tuple argument holds. 0 elsewhere.
    pub axes: usize,
    pub params: &'static [Param],
    /// Takes any arguments and ignores them, as `nn.Identity` does.
    pub open: bool,
    pub build: fn(&Args) -> Op,
}

/// One argument of a signature.
pub struct Param {
    pub name: &'static str,
    pub ty: Ty,
    pub default: Fallback,
    /// Whether the argument can be given by position (some are keyword-only).
    pub positional: bool,
}

/// What an argument accepts.
#[derive(Clone, Copy)]
pub enum Ty {
    /// A positive integer: channels, features, groups.
    Count,
    /// A non-negative integer (`proj_size`).
    Natural,
    /// How many layers a module stacks: a positive integer, at most
    /// [`MAX_STEPS`](crate::shape::MAX_STEPS) as the network's unrolling is.
    Layers,
    /// A positive integer or a tuple of one per axis: kernel_size, stride, dilation.
    Sizes,
    /// A non-negative integer or a tuple of one per axis.
    Paddings,
    /// [`Ty::Paddings`], or `"same"` / `"valid"`.
    ConvPadding,
    /// A positive integer, or a tuple of one per axis where `None` keeps the input's size.
    OutputSizes,
    /// A positive integer or a tuple of them, of any length (`normalized_shape`).
    Shape,
    /// An integer or a tuple of integers, of any length (`unflattened_size`).
    Ints,
    /// Padding given as PyTorch's pads: an integer, or a tuple of two per axis
    /// (negative values crop).
    PadTuple,
    /// A positive integer or a tuple of them, one per spatial axis of the input (`size`).
    AnySizes,
    /// A positive number or a tuple of them, one per spatial axis of the input (`scale_factor`).
    Scales,
    Bool,
    /// Any number; the value does not change shapes (eps, momentum).
    Number,
    /// A number that must not be negative (`lambd`).
    NonNegativeNumber,
    /// A number that must not be zero (CELU's `alpha`).
    NonZeroNumber,
    /// A number from 0 to 1 (dropout's `p`).
    Probability,
    /// One of a few strings.
    Choice(&'static [&'static str]),
    /// A dimension index in PyTorch's batched numbering; may be negative.
    Dim,
    /// The sizes of a `view`: all positional arguments, or one tuple.
    ViewSizes,
    /// Dims of a `permute`: all positional arguments, or one tuple.
    Dims,
    /// A module built inline, of one of these kinds (`TransformerEncoder`'s `encoder_layer`).
    Module(&'static [&'static str]),
    /// A tensor argument of a functional op: only `None` can be followed.
    NoTensor,
    /// A flag netshape accepts only with one value; the text says why.
    MustBe(bool, &'static str),
}

/// An argument's default when it is not given.
#[derive(Clone, Copy)]
pub enum Fallback {
    Required,
    Int(i64),
    Bool(bool),
    Str(&'static str),
    Number(f64),
    None,
    /// Pool strides default to the kernel size.
    KernelSize,
}

/// A bound argument's value, checked against its [`Ty`] and spread over the axes.
#[derive(Clone, Debug, PartialEq)]
pub enum Bound {
    Int(i64),
    Axes(Vec<usize>),
    OptionalAxes(Vec<Option<usize>>),
    Ints(Vec<i64>),
    Sizes(Scale<usize>),
    Scales(Scale<f64>),
    Bool(bool),
    Number(f64),
    Text(String),
    View(Vec<ViewSize>),
    Module(&'static str, Args),
}

/// A call's arguments after binding: every parameter of the signature has a value.
#[derive(Clone, Debug, PartialEq)]
pub struct Args {
    pub axes: usize,
    pub values: Vec<(&'static str, Bound)>,
    /// Arguments given as a single value where a tuple was possible.
    pub scalars: Vec<&'static str>,
}

impl Args {
    pub fn get(&self, name: &str) -> Option<&Bound> {
        self.values.iter().find(|(param, _)| *param == name).map(|(_, bound)| bound)
    }

    pub fn count(&self, name: &str) -> usize {
        match self.get(name) {
            Some(Bound::Int(value)) => usize::try_from(*value).unwrap_or(0),
            _ => 0,
        }
    }

    fn axes(&self, name: &str) -> Vec<usize> {
        match self.get(name) {
            Some(Bound::Axes(values)) => values.clone(),
            _ => vec![1; self.axes],
        }
    }

    fn ints(&self, name: &str) -> Vec<i64> {
        match self.get(name) {
            Some(Bound::Ints(values)) => values.clone(),
            _ => Vec::new(),
        }
    }

    /// Whether an argument was given as one value rather than a tuple.
    fn single(&self, name: &str) -> bool {
        self.scalars.contains(&name)
    }

    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some(Bound::Bool(true)))
    }

    pub fn number(&self, name: &str) -> f64 {
        match self.get(name) {
            Some(Bound::Number(value)) => *value,
            _ => 0.0,
        }
    }

    pub fn dim(&self, name: &str) -> Option<i64> {
        match self.get(name) {
            Some(Bound::Int(value)) => Some(*value),
            _ => None,
        }
    }

    pub fn text(&self, name: &str) -> &str {
        match self.get(name) {
            Some(Bound::Text(text)) => text,
            _ => "",
        }
    }

    pub fn module(&self, name: &str) -> Option<&Args> {
        match self.get(name) {
            Some(Bound::Module(_, args)) => Some(args),
            _ => None,
        }
    }
}

const fn param(name: &'static str, ty: Ty, default: Fallback) -> Param {
    Param { name, ty, default, positional: true }
}

/// A keyword-only argument (`nn.RNN`'s `nonlinearity`).
const fn keyword(name: &'static str, ty: Ty, default: Fallback) -> Param {
    Param { name, ty, default, positional: false }
}

use Fallback::{Bool as B, Int as I, None as NONE, Number as N, Required as REQ, Str as S};

const PADDING_MODES: &[&str] = &["zeros", "reflect", "replicate", "circular"];
const INDICES: &str = "with `return_indices = true` the pool also returns the indices, a second tensor \
                       that netshape does not follow; drop the argument";
const MODES: &[&str] = &["nearest", "linear", "bilinear", "bicubic", "trilinear", "area", "nearest-exact"];

const CONV: &[Param] = &[
    param("in_channels", Ty::Count, REQ),
    param("out_channels", Ty::Count, REQ),
    param("kernel_size", Ty::Sizes, REQ),
    param("stride", Ty::Sizes, I(1)),
    param("padding", Ty::ConvPadding, I(0)),
    param("dilation", Ty::Sizes, I(1)),
    param("groups", Ty::Count, I(1)),
    param("bias", Ty::Bool, B(true)),
    param("padding_mode", Ty::Choice(PADDING_MODES), S("zeros")),
];
const CONV_TRANSPOSE: &[Param] = &[
    param("in_channels", Ty::Count, REQ),
    param("out_channels", Ty::Count, REQ),
    param("kernel_size", Ty::Sizes, REQ),
    param("stride", Ty::Sizes, I(1)),
    param("padding", Ty::Paddings, I(0)),
    param("output_padding", Ty::Paddings, I(0)),
    param("groups", Ty::Count, I(1)),
    param("bias", Ty::Bool, B(true)),
    param("dilation", Ty::Sizes, I(1)),
    param("padding_mode", Ty::Choice(&["zeros"]), S("zeros")),
];
const MAX_POOL: &[Param] = &[
    param("kernel_size", Ty::Sizes, REQ),
    param("stride", Ty::Sizes, Fallback::KernelSize),
    param("padding", Ty::Paddings, I(0)),
    param("dilation", Ty::Sizes, I(1)),
    param("return_indices", Ty::MustBe(false, INDICES), B(false)),
    param("ceil_mode", Ty::Bool, B(false)),
];
const MAX_POOL_FN: &[Param] = &[
    param("kernel_size", Ty::Sizes, REQ),
    param("stride", Ty::Sizes, Fallback::KernelSize),
    param("padding", Ty::Paddings, I(0)),
    param("dilation", Ty::Sizes, I(1)),
    param("ceil_mode", Ty::Bool, B(false)),
    param("return_indices", Ty::MustBe(false, INDICES), B(false)),
];
const AVG_POOL1D: &[Param] = &[
    param("kernel_size", Ty::Sizes, REQ),
    param("stride", Ty::Sizes, Fallback::KernelSize),
    param("padding", Ty::Paddings, I(0)),
    param("ceil_mode", Ty::Bool, B(false)),
    param("count_include_pad", Ty::Bool, B(true)),
];
const AVG_POOL: &[Param] = &[
    param("kernel_size", Ty::Sizes, REQ),
    param("stride", Ty::Sizes, Fallback::KernelSize),
    param("padding", Ty::Paddings, I(0)),
    param("ceil_mode", Ty::Bool, B(false)),
    param("count_include_pad", Ty::Bool, B(true)),
    param("divisor_override", Ty::Count, NONE),
];
const ADAPTIVE_AVG_POOL: &[Param] = &[param("output_size", Ty::OutputSizes, REQ)];
const ADAPTIVE_MAX_POOL: &[Param] =
    &[param("output_size", Ty::OutputSizes, REQ), param("return_indices", Ty::MustBe(false, INDICES), B(false))];
// The 1d pools take no `None` size (PyTorch 1.13 wants a tuple of ints).
const ADAPTIVE_AVG_POOL1D: &[Param] = &[param("output_size", Ty::Sizes, REQ)];
const ADAPTIVE_MAX_POOL1D: &[Param] =
    &[param("output_size", Ty::Sizes, REQ), param("return_indices", Ty::MustBe(false, INDICES), B(false))];
const UNFOLD: &[Param] = &[
    param("kernel_size", Ty::Sizes, REQ),
    param("dilation", Ty::Sizes, I(1)),
    param("padding", Ty::Paddings, I(0)),
    param("stride", Ty::Sizes, I(1)),
];
const FOLD: &[Param] = &[
    param("output_size", Ty::Sizes, REQ),
    param("kernel_size", Ty::Sizes, REQ),
    param("dilation", Ty::Sizes, I(1)),
    param("padding", Ty::Paddings, I(0)),
    param("stride", Ty::Sizes, I(1)),
];
const BATCH_NORM: &[Param] = &[
    param("num_features", Ty::Count, REQ),
    param("eps", Ty::Number, N(1e-5)),
    param("momentum", Ty::Number, N(0.1)),
    param("affine", Ty::Bool, B(true)),
    param("track_running_stats", Ty::Bool, B(true)),
];
const INSTANCE_NORM: &[Param] = &[
    param("num_features", Ty::Count, REQ),
    param("eps", Ty::Number, N(1e-5)),
    param("momentum", Ty::Number, N(0.1)),
    param("affine", Ty::Bool, B(false)),
    param("track_running_stats", Ty::Bool, B(false)),
];
const INPUT_STATS: &str = "`use_input_stats = false` normalises with running statistics, which the functional \
                           form is not given; use a module such as `InstanceNorm2d(C, track_running_stats = true)`";
const INSTANCE_NORM_FN: &[Param] = &[
    param("running_mean", Ty::NoTensor, NONE),
    param("running_var", Ty::NoTensor, NONE),
    param("weight", Ty::NoTensor, NONE),
    param("bias", Ty::NoTensor, NONE),
    param("use_input_stats", Ty::MustBe(true, INPUT_STATS), B(true)),
    param("momentum", Ty::Number, N(0.1)),
    param("eps", Ty::Number, N(1e-5)),
];
const GROUP_NORM: &[Param] = &[
    param("num_groups", Ty::Count, REQ),
    param("num_channels", Ty::Count, REQ),
    param("eps", Ty::Number, N(1e-5)),
    param("affine", Ty::Bool, B(true)),
];
const GROUP_NORM_FN: &[Param] = &[
    param("num_groups", Ty::Count, REQ),
    param("weight", Ty::NoTensor, NONE),
    param("bias", Ty::NoTensor, NONE),
    param("eps", Ty::Number, N(1e-5)),
];
const LAYER_NORM: &[Param] = &[
    param("normalized_shape", Ty::Shape, REQ),
    param("eps", Ty::Number, N(1e-5)),
    param("elementwise_affine", Ty::Bool, B(true)),
    param("bias", Ty::Bool, B(true)),
];
const LAYER_NORM_FN: &[Param] = &[
    param("normalized_shape", Ty::Shape, REQ),
    param("weight", Ty::NoTensor, NONE),
    param("bias", Ty::NoTensor, NONE),
    param("eps", Ty::Number, N(1e-5)),
];
const LOCAL_RESPONSE_NORM: &[Param] = &[
    param("size", Ty::Count, REQ),
    param("alpha", Ty::Number, N(1e-4)),
    param("beta", Ty::Number, N(0.75)),
    param("k", Ty::Number, N(1.0)),
];
const NORMALIZE: &[Param] =
    &[param("p", Ty::Number, N(2.0)), param("dim", Ty::Dim, I(1)), param("eps", Ty::Number, N(1e-12))];
const LINEAR: &[Param] =
    &[param("in_features", Ty::Count, REQ), param("out_features", Ty::Count, REQ), param("bias", Ty::Bool, B(true))];
const EMBEDDING: &[Param] = &[
    param("num_embeddings", Ty::Count, REQ),
    param("embedding_dim", Ty::Count, REQ),
    param("padding_idx", Ty::Dim, NONE),
    param("max_norm", Ty::Number, NONE),
    param("norm_type", Ty::Number, N(2.0)),
    param("scale_grad_by_freq", Ty::Bool, B(false)),
    param("sparse", Ty::Bool, B(false)),
];
const LAST_OFFSET: &str = "`include_last_offset = true` gives one bag fewer than the batch has samples, \
                           which netshape cannot follow; drop the argument";
const EMBEDDING_BAG: &[Param] = &[
    param("num_embeddings", Ty::Count, REQ),
    param("embedding_dim", Ty::Count, REQ),
    param("max_norm", Ty::Number, NONE),
    param("norm_type", Ty::Number, N(2.0)),
    param("scale_grad_by_freq", Ty::Bool, B(false)),
    param("mode", Ty::Choice(&["sum", "mean", "max"]), S("mean")),
    param("sparse", Ty::Bool, B(false)),
    param("include_last_offset", Ty::MustBe(false, LAST_OFFSET), B(false)),
    param("padding_idx", Ty::Dim, NONE),
];
const RNN: &[Param] = &[
    param("input_size", Ty::Count, REQ),
    param("hidden_size", Ty::Count, REQ),
    param("num_layers", Ty::Layers, I(1)),
    param("bias", Ty::Bool, B(true)),
    param("batch_first", Ty::Bool, B(false)),
    param("dropout", Ty::Probability, N(0.0)),
    param("bidirectional", Ty::Bool, B(false)),
    keyword("nonlinearity", Ty::Choice(&["tanh", "relu"]), S("tanh")),
];
const LSTM: &[Param] = &[
    param("input_size", Ty::Count, REQ),
    param("hidden_size", Ty::Count, REQ),
    param("num_layers", Ty::Layers, I(1)),
    param("bias", Ty::Bool, B(true)),
    param("batch_first", Ty::Bool, B(false)),
    param("dropout", Ty::Probability, N(0.0)),
    param("bidirectional", Ty::Bool, B(false)),
    param("proj_size", Ty::Natural, I(0)),
];
const GRU: &[Param] = &[
    param("input_size", Ty::Count, REQ),
    param("hidden_size", Ty::Count, REQ),
    param("num_layers", Ty::Layers, I(1)),
    param("bias", Ty::Bool, B(true)),
    param("batch_first", Ty::Bool, B(false)),
    param("dropout", Ty::Probability, N(0.0)),
    param("bidirectional", Ty::Bool, B(false)),
];
const ATTENTION: &[Param] = &[
    param("embed_dim", Ty::Count, REQ),
    param("num_heads", Ty::Count, REQ),
    param("dropout", Ty::Probability, N(0.0)),
    param("bias", Ty::Bool, B(true)),
    param("add_bias_kv", Ty::Bool, B(false)),
    param("add_zero_attn", Ty::Bool, B(false)),
    param("kdim", Ty::Count, NONE),
    param("vdim", Ty::Count, NONE),
    param("batch_first", Ty::Bool, B(false)),
];
const TRANSFORMER_LAYER: &[Param] = &[
    param("d_model", Ty::Count, REQ),
    param("nhead", Ty::Count, REQ),
    param("dim_feedforward", Ty::Count, I(2048)),
    param("dropout", Ty::Probability, N(0.1)),
    param("activation", Ty::Choice(&["relu", "gelu"]), S("relu")),
    param("layer_norm_eps", Ty::Number, N(1e-5)),
    param("batch_first", Ty::Bool, B(false)),
    param("norm_first", Ty::Bool, B(false)),
    param("bias", Ty::Bool, B(true)),
];
const TRANSFORMER_ENCODER: &[Param] = &[
    param("encoder_layer", Ty::Module(&["TransformerEncoderLayer"]), REQ),
    param("num_layers", Ty::Layers, REQ),
    param("norm", Ty::Module(&["LayerNorm"]), NONE),
    param("enable_nested_tensor", Ty::Bool, B(true)),
    param("mask_check", Ty::Bool, B(true)),
];
const TRANSFORMER_DECODER: &[Param] = &[
    param("decoder_layer", Ty::Module(&["TransformerDecoderLayer"]), REQ),
    param("num_layers", Ty::Layers, REQ),
    param("norm", Ty::Module(&["LayerNorm"]), NONE),
];
const CUSTOM: &str = "a custom encoder or decoder is a network of its own; build it with \
                      `TransformerEncoder`/`TransformerDecoder` instead";
const TRANSFORMER: &[Param] = &[
    param("d_model", Ty::Count, I(512)),
    param("nhead", Ty::Count, I(8)),
    param("num_encoder_layers", Ty::Layers, I(6)),
    param("num_decoder_layers", Ty::Layers, I(6)),
    param("dim_feedforward", Ty::Count, I(2048)),
    param("dropout", Ty::Probability, N(0.1)),
    param("activation", Ty::Choice(&["relu", "gelu"]), S("relu")),
    param("custom_encoder", Ty::MustBe(false, CUSTOM), NONE),
    param("custom_decoder", Ty::MustBe(false, CUSTOM), NONE),
    param("layer_norm_eps", Ty::Number, N(1e-5)),
    param("batch_first", Ty::Bool, B(false)),
    param("norm_first", Ty::Bool, B(false)),
    param("bias", Ty::Bool, B(true)),
];
const UPSAMPLE: &[Param] = &[
    param("size", Ty::AnySizes, NONE),
    param("scale_factor", Ty::Scales, NONE),
    param("mode", Ty::Choice(MODES), S("nearest")),
    param("align_corners", Ty::Bool, NONE),
    param("recompute_scale_factor", Ty::Bool, NONE),
];
const INTERPOLATE: &[Param] = &[
    param("size", Ty::AnySizes, NONE),
    param("scale_factor", Ty::Scales, NONE),
    param("mode", Ty::Choice(MODES), S("nearest")),
    param("align_corners", Ty::Bool, NONE),
    param("recompute_scale_factor", Ty::Bool, NONE),
    param("antialias", Ty::Bool, B(false)),
];
/// `F.upsample`, which has no `recompute_scale_factor`.
const UPSAMPLE_FN: &[Param] = &[
    param("size", Ty::AnySizes, NONE),
    param("scale_factor", Ty::Scales, NONE),
    param("mode", Ty::Choice(MODES), S("nearest")),
    param("align_corners", Ty::Bool, NONE),
];
const UPSAMPLING: &[Param] = &[param("size", Ty::AnySizes, NONE), param("scale_factor", Ty::Scales, NONE)];
const PIXEL_SHUFFLE: &[Param] = &[param("upscale_factor", Ty::Count, REQ)];
const PIXEL_UNSHUFFLE: &[Param] = &[param("downscale_factor", Ty::Count, REQ)];
const CHANNEL_SHUFFLE: &[Param] = &[param("groups", Ty::Count, REQ)];
const PAD: &[Param] = &[param("padding", Ty::PadTuple, REQ)];
const CONSTANT_PAD: &[Param] = &[param("padding", Ty::PadTuple, REQ), param("value", Ty::Number, REQ)];
const PAD_FN: &[Param] = &[
    param("pad", Ty::PadTuple, REQ),
    param("mode", Ty::Choice(&["constant", "reflect", "replicate", "circular"]), S("constant")),
    param("value", Ty::Number, NONE),
];
const FLATTEN: &[Param] = &[param("start_dim", Ty::Dim, I(1)), param("end_dim", Ty::Dim, I(-1))];
const FLATTEN_FN: &[Param] = &[param("start_dim", Ty::Dim, I(0)), param("end_dim", Ty::Dim, I(-1))];
const UNFLATTEN: &[Param] = &[param("dim", Ty::Dim, REQ), param("unflattened_size", Ty::Ints, REQ)];
const UNFLATTEN_FN: &[Param] = &[param("dim", Ty::Dim, REQ), param("sizes", Ty::Ints, REQ)];
const VIEW: &[Param] = &[param("size", Ty::ViewSizes, REQ)];
const TRANSPOSE: &[Param] = &[param("dim0", Ty::Dim, REQ), param("dim1", Ty::Dim, REQ)];
const PERMUTE: &[Param] = &[param("dims", Ty::Dims, REQ)];
const SELECT: &[Param] = &[param("dim", Ty::Dim, REQ), param("index", Ty::Dim, REQ)];
const REDUCE: &[Param] = &[param("dim", Ty::Ints, NONE), param("keepdim", Ty::Bool, B(false))];
const SQUEEZE: &[Param] = &[param("dim", Ty::Dim, NONE)];
const UNSQUEEZE: &[Param] = &[param("dim", Ty::Dim, REQ)];
const CHUNK: &[Param] = &[param("chunks", Ty::Count, REQ), param("dim", Ty::Dim, I(0))];
const SPLIT: &[Param] = &[param("split_size_or_sections", Ty::Shape, REQ), param("dim", Ty::Dim, I(0))];
const UNBIND: &[Param] = &[param("dim", Ty::Dim, I(0))];
const DROPOUT: &[Param] = &[param("p", Ty::Probability, N(0.5)), param("inplace", Ty::Bool, B(false))];
const DROPOUT_FN: &[Param] =
    &[param("p", Ty::Probability, N(0.5)), param("training", Ty::Bool, B(true)), param("inplace", Ty::Bool, B(false))];
/// `F.alpha_dropout` and `F.feature_alpha_dropout` do not drop by default.
const ALPHA_DROPOUT_FN: &[Param] =
    &[param("p", Ty::Probability, N(0.5)), param("training", Ty::Bool, B(false)), param("inplace", Ty::Bool, B(false))];
const INPLACE: &[Param] = &[param("inplace", Ty::Bool, B(false))];
const STOCHASTIC_DEPTH: &[Param] =
    &[param("p", Ty::Probability, REQ), param("mode", Ty::Choice(&["batch", "row"]), REQ)];
const STOCHASTIC_DEPTH_FN: &[Param] = &[
    param("p", Ty::Probability, REQ),
    param("mode", Ty::Choice(&["batch", "row"]), REQ),
    param("training", Ty::Bool, B(true)),
];
const LEAKY_RELU: &[Param] = &[param("negative_slope", Ty::Number, N(0.01)), param("inplace", Ty::Bool, B(false))];
const ELU: &[Param] = &[param("alpha", Ty::Number, N(1.0)), param("inplace", Ty::Bool, B(false))];
const CELU: &[Param] = &[param("alpha", Ty::NonZeroNumber, N(1.0)), param("inplace", Ty::Bool, B(false))];
const PRELU: &[Param] = &[param("num_parameters", Ty::Count, I(1)), param("init", Ty::Number, N(0.25))];
const HARDTANH: &[Param] = &[
    param("min_val", Ty::Number, N(-1.0)),
    param("max_val", Ty::Number, N(1.0)),
    param("inplace", Ty::Bool, B(false)),
];
const SOFTPLUS: &[Param] = &[param("beta", Ty::Number, N(1.0)), param("threshold", Ty::Number, N(20.0))];
const THRESHOLD: &[Param] =
    &[param("threshold", Ty::Number, REQ), param("value", Ty::Number, REQ), param("inplace", Ty::Bool, B(false))];
const GLU: &[Param] = &[param("dim", Ty::Dim, I(-1))];
const SHRINK: &[Param] = &[param("lambd", Ty::Number, N(0.5))];
const SOFT_SHRINK: &[Param] = &[param("lambd", Ty::NonNegativeNumber, N(0.5))];
const RRELU: &[Param] = &[
    param("lower", Ty::Number, N(1.0 / 8.0)),
    param("upper", Ty::Number, N(1.0 / 3.0)),
    param("inplace", Ty::Bool, B(false)),
];
const RRELU_FN: &[Param] = &[
    param("lower", Ty::Number, N(1.0 / 8.0)),
    param("upper", Ty::Number, N(1.0 / 3.0)),
    param("training", Ty::Bool, B(false)),
    param("inplace", Ty::Bool, B(false)),
];
const GELU: &[Param] = &[param("approximate", Ty::Choice(&["none", "tanh"]), S("none"))];
const SOFTMAX: &[Param] = &[param("dim", Ty::Dim, NONE)];
const NOTHING: &[Param] = &[];

const fn module(name: &'static str, axes: usize, params: &'static [Param], build: fn(&Args) -> Op) -> Kind {
    Kind { name, functional: false, axes, params, open: false, build }
}

const fn function(name: &'static str, axes: usize, params: &'static [Param], build: fn(&Args) -> Op) -> Kind {
    Kind { name, functional: true, axes, params, open: false, build }
}

/// Every layer netshape knows.
pub static KINDS: &[Kind] = &[
    module("Conv1d", 1, CONV, conv),
    module("Conv2d", 2, CONV, conv),
    module("Conv3d", 3, CONV, conv),
    module("ConvTranspose1d", 1, CONV_TRANSPOSE, conv_transpose),
    module("ConvTranspose2d", 2, CONV_TRANSPOSE, conv_transpose),
    module("ConvTranspose3d", 3, CONV_TRANSPOSE, conv_transpose),
    module("MaxPool1d", 1, MAX_POOL, max_pool),
    module("MaxPool2d", 2, MAX_POOL, max_pool),
    module("MaxPool3d", 3, MAX_POOL, max_pool),
    function("max_pool1d", 1, MAX_POOL_FN, max_pool),
    function("max_pool2d", 2, MAX_POOL_FN, max_pool),
    function("max_pool3d", 3, MAX_POOL_FN, max_pool),
    module("AvgPool1d", 1, AVG_POOL1D, avg_pool),
    module("AvgPool2d", 2, AVG_POOL, avg_pool),
    module("AvgPool3d", 3, AVG_POOL, avg_pool),
    function("avg_pool1d", 1, AVG_POOL1D, avg_pool),
    function("avg_pool2d", 2, AVG_POOL, avg_pool),
    function("avg_pool3d", 3, AVG_POOL, avg_pool),
    module("AdaptiveAvgPool1d", 1, ADAPTIVE_AVG_POOL1D, adaptive_avg_pool),
    module("AdaptiveAvgPool2d", 2, ADAPTIVE_AVG_POOL, adaptive_avg_pool),
    module("AdaptiveAvgPool3d", 3, ADAPTIVE_AVG_POOL, adaptive_avg_pool),
    function("adaptive_avg_pool1d", 1, ADAPTIVE_AVG_POOL1D, adaptive_avg_pool),
    function("adaptive_avg_pool2d", 2, ADAPTIVE_AVG_POOL, adaptive_avg_pool),
    function("adaptive_avg_pool3d", 3, ADAPTIVE_AVG_POOL, adaptive_avg_pool),
    module("AdaptiveMaxPool1d", 1, ADAPTIVE_MAX_POOL1D, adaptive_max_pool),
    module("AdaptiveMaxPool2d", 2, ADAPTIVE_MAX_POOL, adaptive_max_pool),
    module("AdaptiveMaxPool3d", 3, ADAPTIVE_MAX_POOL, adaptive_max_pool),
    function("adaptive_max_pool1d", 1, ADAPTIVE_MAX_POOL1D, adaptive_max_pool),
    function("adaptive_max_pool2d", 2, ADAPTIVE_MAX_POOL, adaptive_max_pool),
    function("adaptive_max_pool3d", 3, ADAPTIVE_MAX_POOL, adaptive_max_pool),
    module("Unfold", 2, UNFOLD, unfold),
    function("unfold", 2, UNFOLD, unfold),
    module("Fold", 2, FOLD, fold),
    function("fold", 2, FOLD, fold),
    module("BatchNorm1d", 1, BATCH_NORM, batch_norm),
    module("BatchNorm2d", 2, BATCH_NORM, batch_norm),
    module("BatchNorm3d", 3, BATCH_NORM, batch_norm),
    module("InstanceNorm1d", 1, INSTANCE_NORM, instance_norm),
    module("InstanceNorm2d", 2, INSTANCE_NORM, instance_norm),
    module("InstanceNorm3d", 3, INSTANCE_NORM, instance_norm),
    function("instance_norm", 0, INSTANCE_NORM_FN, instance_norm),
    module("GroupNorm", 0, GROUP_NORM, group_norm),
    function("group_norm", 0, GROUP_NORM_FN, group_norm),
    module("LayerNorm", 0, LAYER_NORM, layer_norm),
    module("LayerNorm2d", 0, LAYER_NORM, layer_norm_2d),
    function("layer_norm", 0, LAYER_NORM_FN, layer_norm),
    module("LocalResponseNorm", 0, LOCAL_RESPONSE_NORM, local_response_norm),
    function("local_response_norm", 0, LOCAL_RESPONSE_NORM, local_response_norm),
    function("normalize", 0, NORMALIZE, softmax),
    module("Linear", 0, LINEAR, linear),
    module("Embedding", 0, EMBEDDING, embedding),
    module("EmbeddingBag", 0, EMBEDDING_BAG, embedding_bag),
    module("RNN", 0, RNN, rnn),
    module("LSTM", 0, LSTM, lstm),
    module("GRU", 0, GRU, gru),
    module("MultiheadAttention", 0, ATTENTION, attention),
    module("TransformerEncoderLayer", 0, TRANSFORMER_LAYER, transformer_encoder_layer),
    module("TransformerDecoderLayer", 0, TRANSFORMER_LAYER, transformer_decoder_layer),
    module("TransformerEncoder", 0, TRANSFORMER_ENCODER, transformer_encoder),
    module("TransformerDecoder", 0, TRANSFORMER_DECODER, transformer_decoder),
    module("Transformer", 0, TRANSFORMER, transformer),
    module("Upsample", 0, UPSAMPLE, upsample),
    module("UpsamplingNearest2d", 0, UPSAMPLING, upsampling_nearest),
    module("UpsamplingBilinear2d", 0, UPSAMPLING, upsampling_bilinear),
    function("interpolate", 0, INTERPOLATE, upsample),
    function("upsample", 0, UPSAMPLE_FN, upsample),
    function("upsample_nearest", 0, UPSAMPLING, upsampling_nearest),
    function("upsample_bilinear", 0, UPSAMPLING, upsampling_bilinear),
    module("PixelShuffle", 0, PIXEL_SHUFFLE, pixel_shuffle),
    function("pixel_shuffle", 0, PIXEL_SHUFFLE, pixel_shuffle),
    module("PixelUnshuffle", 0, PIXEL_UNSHUFFLE, pixel_unshuffle),
    function("pixel_unshuffle", 0, PIXEL_UNSHUFFLE, pixel_unshuffle),
    module("ChannelShuffle", 0, CHANNEL_SHUFFLE, channel_shuffle),
    function("channel_shuffle", 0, CHANNEL_SHUFFLE, channel_shuffle),
    module("ZeroPad1d", 1, PAD, constant_pad),
    module("ZeroPad2d", 2, PAD, constant_pad),
    module("ZeroPad3d", 3, PAD, constant_pad),
    module("ConstantPad1d", 1, CONSTANT_PAD, constant_pad),
    module("ConstantPad2d", 2, CONSTANT_PAD, constant_pad),
    module("ConstantPad3d", 3, CONSTANT_PAD, constant_pad),
    module("ReflectionPad1d", 1, PAD, reflection_pad),
    module("ReflectionPad2d", 2, PAD, reflection_pad),
    module("ReflectionPad3d", 3, PAD, reflection_pad),
    module("ReplicationPad1d", 1, PAD, replication_pad),
    module("ReplicationPad2d", 2, PAD, replication_pad),
    module("ReplicationPad3d", 3, PAD, replication_pad),
    module("CircularPad1d", 1, PAD, circular_pad),
    module("CircularPad2d", 2, PAD, circular_pad),
    module("CircularPad3d", 3, PAD, circular_pad),
    function("pad", 0, PAD_FN, pad),
    module("Flatten", 0, FLATTEN, flatten),
    function("flatten", 0, FLATTEN_FN, flatten),
    module("Unflatten", 0, UNFLATTEN, unflatten),
    function("unflatten", 0, UNFLATTEN_FN, unflatten),
    function("view", 0, VIEW, view),
    function("reshape", 0, VIEW, view),
    function("transpose", 0, TRANSPOSE, transpose),
    function("permute", 0, PERMUTE, permute),
    module("Permute", 0, PERMUTE, permute),
    function("select", 0, SELECT, select),
    function("contiguous", 0, NOTHING, elementwise),
    function("mean", 0, REDUCE, reduce),
    function("sum", 0, REDUCE, reduce),
    function("amax", 0, REDUCE, reduce),
    function("squeeze", 0, SQUEEZE, squeeze),
    function("unsqueeze", 0, UNSQUEEZE, unsqueeze),
    function("chunk", 0, CHUNK, chunk),
    function("split", 0, SPLIT, split),
    function("unbind", 0, UNBIND, unbind),
    module("Dropout", 0, DROPOUT, elementwise),
    module("Dropout1d", 0, DROPOUT, dropout1d),
    module("Dropout2d", 0, DROPOUT, elementwise),
    module("Dropout3d", 0, DROPOUT, elementwise),
    module("AlphaDropout", 0, DROPOUT, elementwise),
    module("FeatureAlphaDropout", 0, DROPOUT, elementwise),
    function("dropout", 0, DROPOUT_FN, elementwise),
    function("dropout1d", 0, DROPOUT_FN, dropout1d),
    function("dropout2d", 0, DROPOUT_FN, feature_dropout),
    function("dropout3d", 0, DROPOUT_FN, elementwise),
    function("alpha_dropout", 0, ALPHA_DROPOUT_FN, elementwise),
    function("feature_alpha_dropout", 0, ALPHA_DROPOUT_FN, feature_dropout),
    module("ReLU", 0, INPLACE, elementwise),
    function("relu", 0, INPLACE, elementwise),
    module("ReLU6", 0, INPLACE, elementwise),
    function("relu6", 0, INPLACE, elementwise),
    module("LeakyReLU", 0, LEAKY_RELU, elementwise),
    function("leaky_relu", 0, LEAKY_RELU, elementwise),
    module("PReLU", 0, PRELU, prelu),
    module("RReLU", 0, RRELU, rrelu),
    function("rrelu", 0, RRELU_FN, rrelu),
    module("ELU", 0, ELU, elementwise),
    function("elu", 0, ELU, elementwise),
    module("SELU", 0, INPLACE, elementwise),
    function("selu", 0, INPLACE, elementwise),
    module("CELU", 0, CELU, elementwise),
    function("celu", 0, CELU, elementwise),
    module("GELU", 0, GELU, elementwise),
    function("gelu", 0, GELU, elementwise),
    module("SiLU", 0, INPLACE, elementwise),
    function("silu", 0, INPLACE, elementwise),
    module("Mish", 0, INPLACE, elementwise),
    function("mish", 0, INPLACE, elementwise),
    module("Hardswish", 0, INPLACE, elementwise),
    function("hardswish", 0, INPLACE, elementwise),
    module("Hardsigmoid", 0, INPLACE, elementwise),
    function("hardsigmoid", 0, INPLACE, elementwise),
    module("Hardtanh", 0, HARDTANH, hardtanh),
    // `F.hardtanh` does not check the bounds' order; the module does.
    function("hardtanh", 0, HARDTANH, elementwise),
    module("Sigmoid", 0, NOTHING, elementwise),
    function("sigmoid", 0, NOTHING, elementwise),
    module("Tanh", 0, NOTHING, elementwise),
    function("tanh", 0, NOTHING, elementwise),
    module("LogSigmoid", 0, NOTHING, elementwise),
    function("logsigmoid", 0, NOTHING, elementwise),
    module("Softplus", 0, SOFTPLUS, elementwise),
    function("softplus", 0, SOFTPLUS, elementwise),
    module("Softsign", 0, NOTHING, elementwise),
    function("softsign", 0, NOTHING, elementwise),
    module("Tanhshrink", 0, NOTHING, elementwise),
    function("tanhshrink", 0, NOTHING, elementwise),
    module("Hardshrink", 0, SHRINK, elementwise),
    function("hardshrink", 0, SHRINK, elementwise),
    module("Softshrink", 0, SOFT_SHRINK, elementwise),
    function("softshrink", 0, SOFT_SHRINK, elementwise),
    module("Threshold", 0, THRESHOLD, elementwise),
    function("threshold", 0, THRESHOLD, elementwise),
    module("GLU", 0, GLU, glu),
    function("glu", 0, GLU, glu),
    module("Softmax", 0, SOFTMAX, softmax),
    function("softmax", 0, SOFTMAX, softmax),
    module("LogSoftmax", 0, SOFTMAX, softmax),
    function("log_softmax", 0, SOFTMAX, softmax),
    module("Softmin", 0, SOFTMAX, softmax),
    function("softmin", 0, SOFTMAX, softmax),
    module("Softmax2d", 0, NOTHING, softmax2d),
    Kind { name: "Identity", functional: false, axes: 0, params: NOTHING, open: true, build: elementwise },
    // torchvision.ops: used inside torchvision's models.
    module("StochasticDepth", 0, STOCHASTIC_DEPTH, elementwise),
    function("stochastic_depth", 0, STOCHASTIC_DEPTH_FN, elementwise),
];

pub fn find(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|kind| kind.name == name)
}

fn conv(args: &Args) -> Op {
    let padding = match args.get("padding") {
        Some(Bound::Text(text)) if text == "same" => Padding::Same,
        Some(Bound::Text(_)) => Padding::Valid,
        _ => Padding::Explicit(args.axes("padding")),
    };
    let padding_mode = match args.text("padding_mode") {
        "reflect" => PaddingMode::Reflect,
        "replicate" => PaddingMode::Replicate,
        "circular" => PaddingMode::Circular,
        _ => PaddingMode::Zeros,
    };
    Op::Conv(Conv {
        in_channels: args.count("in_channels"),
        out_channels: args.count("out_channels"),
        kernel: args.axes("kernel_size"),
        stride: args.axes("stride"),
        dilation: args.axes("dilation"),
        groups: args.count("groups"),
        bias: args.flag("bias"),
        padding,
        padding_mode,
    })
}

fn conv_transpose(args: &Args) -> Op {
    Op::ConvTranspose(ConvTranspose {
        in_channels: args.count("in_channels"),
        out_channels: args.count("out_channels"),
        kernel: args.axes("kernel_size"),
        stride: args.axes("stride"),
        padding: args.axes("padding"),
        output_padding: args.axes("output_padding"),
        dilation: args.axes("dilation"),
        groups: args.count("groups"),
        bias: args.flag("bias"),
    })
}

fn pool(args: &Args, kind: PoolKind) -> Op {
    let dilation = match args.get("dilation") {
        Some(_) => args.axes("dilation"),
        None => vec![1; args.axes],
    };
    Op::Pool(Pool {
        kind,
        kernel: args.axes("kernel_size"),
        stride: args.axes("stride"),
        padding: args.axes("padding"),
        dilation,
        ceil_mode: args.flag("ceil_mode"),
    })
}

fn max_pool(args: &Args) -> Op {
    pool(args, PoolKind::Max)
}

fn avg_pool(args: &Args) -> Op {
    pool(args, PoolKind::Avg)
}

fn adaptive_pool(args: &Args, kind: PoolKind) -> Op {
    let output_size = match args.get("output_size") {
        Some(Bound::OptionalAxes(sizes)) => sizes.clone(),
        Some(Bound::Axes(sizes)) => sizes.iter().copied().map(Some).collect(),
        _ => vec![None; args.axes],
    };
    Op::AdaptivePool(AdaptivePool { kind, output_size })
}

fn adaptive_avg_pool(args: &Args) -> Op {
    adaptive_pool(args, PoolKind::Avg)
}

fn adaptive_max_pool(args: &Args) -> Op {
    adaptive_pool(args, PoolKind::Max)
}

fn unfold(args: &Args) -> Op {
    Op::Unfold(Unfold {
        kernel: args.axes("kernel_size"),
        dilation: args.axes("dilation"),
        padding: args.axes("padding"),
        stride: args.axes("stride"),
    })
}

fn fold(args: &Args) -> Op {
    Op::Fold(Fold {
        output_size: args.axes("output_size"),
        kernel: args.axes("kernel_size"),
        dilation: args.axes("dilation"),
        padding: args.axes("padding"),
        stride: args.axes("stride"),
    })
}

fn batch_norm(args: &Args) -> Op {
    Op::BatchNorm(BatchNorm {
        dims: args.axes,
        num_features: args.count("num_features"),
        affine: args.flag("affine"),
        track_running_stats: args.flag("track_running_stats"),
    })
}

fn instance_norm(args: &Args) -> Op {
    Op::InstanceNorm(InstanceNorm {
        dims: args.axes,
        num_features: args.count("num_features"),
        affine: args.flag("affine"),
        track_running_stats: args.flag("track_running_stats"),
    })
}

fn group_norm(args: &Args) -> Op {
    // The functional form has no `num_channels`: the input's count is checked.
    let num_channels = args.get("num_channels").map(|_| args.count("num_channels"));
    Op::GroupNorm(GroupNorm { num_groups: args.count("num_groups"), num_channels, affine: args.flag("affine") })
}

fn layer_norm(args: &Args) -> Op {
    let normalized_shape = args.ints("normalized_shape").into_iter().map(|size| size as usize).collect();
    Op::LayerNorm(LayerNorm {
        normalized_shape,
        elementwise_affine: args.flag("elementwise_affine"),
        bias: args.flag("bias"),
        channels_first: false,
    })
}

/// torchvision's `LayerNorm2d` (ConvNeXt's): a `LayerNorm` over the channels.
fn layer_norm_2d(args: &Args) -> Op {
    match layer_norm(args) {
        Op::LayerNorm(norm) => Op::LayerNorm(LayerNorm { channels_first: true, ..norm }),
        other => other,
    }
}

/// `x.select(dim, index)`, `x[:, 0]`: one index along a dim, which goes.
fn select(args: &Args) -> Op {
    Op::Select { dim: args.dim("dim").unwrap_or(0), index: args.dim("index").unwrap_or(0) }
}

fn local_response_norm(_: &Args) -> Op {
    Op::LocalResponseNorm
}

fn linear(args: &Args) -> Op {
    Op::Linear(Linear {
        in_features: args.count("in_features"),
        out_features: args.count("out_features"),
        bias: args.flag("bias"),
    })
}

fn embedding_table(args: &Args) -> Embedding {
    Embedding {
        num_embeddings: args.count("num_embeddings"),
        embedding_dim: args.count("embedding_dim"),
        padding_idx: args.dim("padding_idx"),
    }
}

fn embedding(args: &Args) -> Op {
    Op::Embedding(embedding_table(args))
}

fn embedding_bag(args: &Args) -> Op {
    Op::EmbeddingBag(EmbeddingBag {
        embedding: embedding_table(args),
        max_mode: args.text("mode") == "max",
        scale_grad_by_freq: args.flag("scale_grad_by_freq"),
    })
}

fn recurrent(args: &Args, cell: Cell) -> Op {
    Op::Recurrent(Recurrent {
        cell,
        input_size: args.count("input_size"),
        hidden_size: args.count("hidden_size"),
        num_layers: args.count("num_layers"),
        bias: args.flag("bias"),
        bidirectional: args.flag("bidirectional"),
        proj_size: args.dim("proj_size").unwrap_or(0) as usize,
    })
}

fn rnn(args: &Args) -> Op {
    recurrent(args, Cell::Rnn)
}

fn lstm(args: &Args) -> Op {
    recurrent(args, Cell::Lstm)
}

fn gru(args: &Args) -> Op {
    recurrent(args, Cell::Gru)
}

fn attention(args: &Args) -> Op {
    let embed_dim = args.count("embed_dim");
    let or_embed = |name| args.get(name).map_or(embed_dim, |_| args.count(name));
    Op::Attention(Attention {
        embed_dim,
        num_heads: args.count("num_heads"),
        dropout: args.number("dropout"),
        bias: args.flag("bias"),
        add_bias_kv: args.flag("add_bias_kv"),
        add_zero_attn: args.flag("add_zero_attn"),
        kdim: or_embed("kdim"),
        vdim: or_embed("vdim"),
        need_weights: true,
        batch_first: args.flag("batch_first"),
    })
}

/// A Transformer module from a layer's arguments, `layers` deep.
fn transformer_from(part: TransformerPart, layer: &Args, layers: usize) -> Transformer {
    Transformer {
        part,
        d_model: layer.count("d_model"),
        nhead: layer.count("nhead"),
        dim_feedforward: layer.count("dim_feedforward"),
        norm_first: layer.flag("norm_first"),
        bias: layer.flag("bias"),
        num_layers: layers,
        num_decoder_layers: layers,
        final_norm: None,
    }
}

fn transformer_encoder_layer(args: &Args) -> Op {
    Op::Transformer(transformer_from(TransformerPart::EncoderLayer, args, 1))
}

fn transformer_decoder_layer(args: &Args) -> Op {
    Op::Transformer(transformer_from(TransformerPart::DecoderLayer, args, 1))
}

/// A stack of copies of the layer its `layer_arg` builds, with the `norm` given.
fn transformer_stack(args: &Args, part: TransformerPart, layer_arg: &str) -> Op {
    let empty = Args { axes: 0, values: Vec::new(), scalars: Vec::new() };
    let layer = args.module(layer_arg).unwrap_or(&empty);
    let final_norm = args.module("norm").and_then(|norm| match layer_norm(norm) {
        Op::LayerNorm(norm) => Some(norm),
        _ => None,
    });
    Op::Transformer(Transformer { final_norm, ..transformer_from(part, layer, args.count("num_layers")) })
}

fn transformer_encoder(args: &Args) -> Op {
    transformer_stack(args, TransformerPart::Encoder, "encoder_layer")
}

fn transformer_decoder(args: &Args) -> Op {
    transformer_stack(args, TransformerPart::Decoder, "decoder_layer")
}

fn transformer(args: &Args) -> Op {
    let transformer = transformer_from(TransformerPart::Transformer, args, args.count("num_encoder_layers"));
    Op::Transformer(Transformer {
        num_decoder_layers: args.count("num_decoder_layers"),
        final_norm: Some(transformer.norm()),
        ..transformer
    })
}

fn upsample_with(args: &Args, mode: UpsampleMode, align_corners: Option<bool>) -> Op {
    let size = match args.get("size") {
        Some(Bound::Sizes(size)) => Some(size.clone()),
        _ => None,
    };
    let scale_factor = match args.get("scale_factor") {
        Some(Bound::Scales(scale)) => Some(scale.clone()),
        _ => None,
    };
    let (recompute_scale_factor, antialias) = (args.flag("recompute_scale_factor"), args.flag("antialias"));
    Op::Upsample(Upsample { size, scale_factor, mode, align_corners, recompute_scale_factor, antialias })
}

fn upsample(args: &Args) -> Op {
    let mode = match args.text("mode") {
        "linear" => UpsampleMode::Linear,
        "bilinear" => UpsampleMode::Bilinear,
        "bicubic" => UpsampleMode::Bicubic,
        "trilinear" => UpsampleMode::Trilinear,
        "area" => UpsampleMode::Area,
        "nearest-exact" => UpsampleMode::NearestExact,
        _ => UpsampleMode::Nearest,
    };
    let align_corners = match args.get("align_corners") {
        Some(Bound::Bool(flag)) => Some(*flag),
        _ => None,
    };
    upsample_with(args, mode, align_corners)
}

fn upsampling_nearest(args: &Args) -> Op {
    upsample_with(args, UpsampleMode::Nearest, None)
}

fn upsampling_bilinear(args: &Args) -> Op {
    upsample_with(args, UpsampleMode::Bilinear, Some(true))
}

fn pixel_shuffle(args: &Args) -> Op {
    Op::PixelShuffle { upscale_factor: args.count("upscale_factor") }
}

fn pixel_unshuffle(args: &Args) -> Op {
    Op::PixelUnshuffle { downscale_factor: args.count("downscale_factor") }
}

fn channel_shuffle(args: &Args) -> Op {
    Op::ChannelShuffle { groups: args.count("groups") }
}

/// A padding module: `padding` spread to two values per axis.
fn padding(args: &Args, mode: PadMode) -> Op {
    Op::Pad(Pad { mode, pads: args.ints("padding"), value: None })
}

fn constant_pad(args: &Args) -> Op {
    padding(args, PadMode::Constant)
}

fn reflection_pad(args: &Args) -> Op {
    padding(args, PadMode::Reflect)
}

fn replication_pad(args: &Args) -> Op {
    padding(args, PadMode::Replicate)
}

fn circular_pad(args: &Args) -> Op {
    padding(args, PadMode::Circular)
}

fn pad(args: &Args) -> Op {
    let mode = match args.text("mode") {
        "reflect" => PadMode::Reflect,
        "replicate" => PadMode::Replicate,
        "circular" => PadMode::Circular,
        _ => PadMode::Constant,
    };
    let value = args.get("value").map(|_| args.number("value"));
    Op::Pad(Pad { mode, pads: args.ints("pad"), value })
}

fn flatten(args: &Args) -> Op {
    Op::Flatten(Flatten { start_dim: args.dim("start_dim").unwrap_or(0), end_dim: args.dim("end_dim").unwrap_or(-1) })
}

fn unflatten(args: &Args) -> Op {
    let sizes = match args.get("unflattened_size") {
        Some(_) => args.ints("unflattened_size"),
        None => args.ints("sizes"),
    };
    Op::Unflatten(Unflatten { dim: args.dim("dim").unwrap_or(0), sizes })
}

fn view(args: &Args) -> Op {
    let sizes = match args.get("size") {
        Some(Bound::View(sizes)) => sizes.clone(),
        _ => Vec::new(),
    };
    Op::View(View { sizes })
}

fn transpose(args: &Args) -> Op {
    Op::Transpose { dim0: args.dim("dim0").unwrap_or(0), dim1: args.dim("dim1").unwrap_or(0) }
}

fn permute(args: &Args) -> Op {
    Op::Permute { dims: args.ints("dims") }
}

fn reduce(args: &Args) -> Op {
    Op::Reduce { dims: args.get("dim").map(|_| args.ints("dim")), keepdim: args.flag("keepdim") }
}

fn squeeze(args: &Args) -> Op {
    Op::Squeeze { dim: args.dim("dim") }
}

fn unsqueeze(args: &Args) -> Op {
    Op::Unsqueeze { dim: args.dim("dim").unwrap_or(0) }
}

fn chunk(args: &Args) -> Op {
    Op::Split(Split::Chunk { chunks: args.count("chunks"), dim: args.dim("dim").unwrap_or(0) })
}

fn split(args: &Args) -> Op {
    let sizes = args.ints("split_size_or_sections");
    let each =
        matches!(args.get("split_size_or_sections"), Some(Bound::Ints(_))) && args.single("split_size_or_sections");
    Op::Split(Split::Sizes {
        sizes: sizes.into_iter().map(|size| size as usize).collect(),
        each,
        dim: args.dim("dim").unwrap_or(0),
    })
}

fn unbind(args: &Args) -> Op {
    Op::Split(Split::Unbind { dim: args.dim("dim").unwrap_or(0) })
}

fn prelu(args: &Args) -> Op {
    Op::PRelu(PRelu { num_parameters: args.count("num_parameters") })
}

fn glu(args: &Args) -> Op {
    Op::Glu(Glu { dim: args.dim("dim").unwrap_or(-1) })
}

fn hardtanh(args: &Args) -> Op {
    Op::Bounded { lower: ("min_val", args.number("min_val")), upper: ("max_val", args.number("max_val")), strict: true }
}

fn rrelu(args: &Args) -> Op {
    Op::Bounded { lower: ("lower", args.number("lower")), upper: ("upper", args.number("upper")), strict: false }
}

fn softmax(args: &Args) -> Op {
    Op::Softmax { dim: args.dim("dim") }
}

fn softmax2d(_: &Args) -> Op {
    Op::Softmax2d
}

/// `Dropout1d` takes `[C, L]` or `[L]` (which PyTorch reads as unbatched,
/// with the batch as channels: each sample is kept or dropped whole).
fn dropout1d(_: &Args) -> Op {
    Op::Ranked { least: 1, most: 2, layout: "[C, L] or [L]" }
}

/// `F.dropout2d` and `F.feature_alpha_dropout` drop whole channels, and when
/// they drop at all (in training, `p` neither 0 nor 1) the input needs some.
fn feature_dropout(args: &Args) -> Op {
    let p = args.number("p");
    if args.flag("training") && p > 0.0 && p < 1.0 {
        Op::Ranked { least: 1, most: usize::MAX, layout: "[C, *]" }
    } else {
        Op::Elementwise
    }
}

fn elementwise(_: &Args) -> Op {
    Op::Elementwise
}
