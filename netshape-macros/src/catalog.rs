//! The layers netshape knows: each `torch.nn` module and functional op with its
//! PyTorch signature (argument names, order, types and defaults) and how its
//! bound arguments become a shape [`Op`].

use crate::shape::{
    AdaptivePool, BatchNorm, Conv, Flatten, Linear, Op, Padding, PaddingMode, Pool, PoolKind, View, ViewSize,
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
}

/// What an argument accepts.
#[derive(Clone, Copy)]
pub enum Ty {
    /// A positive integer: channels, features, groups.
    Count,
    /// A positive integer or a tuple of one per axis: kernel_size, stride, dilation.
    Sizes,
    /// A non-negative integer or a tuple of one per axis.
    Paddings,
    /// [`Ty::Paddings`], or `"same"` / `"valid"`.
    ConvPadding,
    /// A positive integer, or a tuple of one per axis where `None` keeps the input's size.
    OutputSizes,
    Bool,
    /// Any number; the value does not change shapes (eps, momentum).
    Number,
    /// A number from 0 to 1 (dropout's `p`).
    Probability,
    /// One of a few strings.
    Choice(&'static [&'static str]),
    /// A dimension index in PyTorch's batched numbering; may be negative.
    Dim,
    /// The sizes of a `view`: all positional arguments, or one tuple.
    ViewSizes,
    /// A flag netshape cannot follow when true; the text says why.
    MustBeFalse(&'static str),
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
    Bool(bool),
    Number(f64),
    Text(String),
    None,
    View(Vec<ViewSize>),
}

/// A call's arguments after binding: every parameter of the signature has a value.
pub struct Args {
    pub axes: usize,
    pub values: Vec<(&'static str, Bound)>,
}

impl Args {
    fn get(&self, name: &str) -> Option<&Bound> {
        self.values.iter().find(|(param, _)| *param == name).map(|(_, bound)| bound)
    }

    fn count(&self, name: &str) -> usize {
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

    fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some(Bound::Bool(true)))
    }

    fn dim(&self, name: &str) -> Option<i64> {
        match self.get(name) {
            Some(Bound::Int(value)) => Some(*value),
            _ => None,
        }
    }

    fn text(&self, name: &str) -> &str {
        match self.get(name) {
            Some(Bound::Text(text)) => text,
            _ => "",
        }
    }
}

const fn param(name: &'static str, ty: Ty, default: Fallback) -> Param {
    Param { name, ty, default }
}

const PADDING_MODES: &[&str] = &["zeros", "reflect", "replicate", "circular"];
const INDICES: &str = "with `return_indices = true` the pool also returns the indices, a second tensor \
                       that netshape does not follow; drop the argument";

const CONV: &[Param] = &[
    param("in_channels", Ty::Count, Fallback::Required),
    param("out_channels", Ty::Count, Fallback::Required),
    param("kernel_size", Ty::Sizes, Fallback::Required),
    param("stride", Ty::Sizes, Fallback::Int(1)),
    param("padding", Ty::ConvPadding, Fallback::Int(0)),
    param("dilation", Ty::Sizes, Fallback::Int(1)),
    param("groups", Ty::Count, Fallback::Int(1)),
    param("bias", Ty::Bool, Fallback::Bool(true)),
    param("padding_mode", Ty::Choice(PADDING_MODES), Fallback::Str("zeros")),
];
const MAX_POOL: &[Param] = &[
    param("kernel_size", Ty::Sizes, Fallback::Required),
    param("stride", Ty::Sizes, Fallback::KernelSize),
    param("padding", Ty::Paddings, Fallback::Int(0)),
    param("dilation", Ty::Sizes, Fallback::Int(1)),
    param("return_indices", Ty::MustBeFalse(INDICES), Fallback::Bool(false)),
    param("ceil_mode", Ty::Bool, Fallback::Bool(false)),
];
const MAX_POOL_FN: &[Param] = &[
    param("kernel_size", Ty::Sizes, Fallback::Required),
    param("stride", Ty::Sizes, Fallback::KernelSize),
    param("padding", Ty::Paddings, Fallback::Int(0)),
    param("dilation", Ty::Sizes, Fallback::Int(1)),
    param("ceil_mode", Ty::Bool, Fallback::Bool(false)),
    param("return_indices", Ty::MustBeFalse(INDICES), Fallback::Bool(false)),
];
const AVG_POOL1D: &[Param] = &[
    param("kernel_size", Ty::Sizes, Fallback::Required),
    param("stride", Ty::Sizes, Fallback::KernelSize),
    param("padding", Ty::Paddings, Fallback::Int(0)),
    param("ceil_mode", Ty::Bool, Fallback::Bool(false)),
    param("count_include_pad", Ty::Bool, Fallback::Bool(true)),
];
const AVG_POOL: &[Param] = &[
    param("kernel_size", Ty::Sizes, Fallback::Required),
    param("stride", Ty::Sizes, Fallback::KernelSize),
    param("padding", Ty::Paddings, Fallback::Int(0)),
    param("ceil_mode", Ty::Bool, Fallback::Bool(false)),
    param("count_include_pad", Ty::Bool, Fallback::Bool(true)),
    param("divisor_override", Ty::Count, Fallback::None),
];
const ADAPTIVE_AVG_POOL: &[Param] = &[param("output_size", Ty::OutputSizes, Fallback::Required)];
const ADAPTIVE_MAX_POOL: &[Param] = &[
    param("output_size", Ty::OutputSizes, Fallback::Required),
    param("return_indices", Ty::MustBeFalse(INDICES), Fallback::Bool(false)),
];
const BATCH_NORM: &[Param] = &[
    param("num_features", Ty::Count, Fallback::Required),
    param("eps", Ty::Number, Fallback::Number(1e-5)),
    param("momentum", Ty::Number, Fallback::Number(0.1)),
    param("affine", Ty::Bool, Fallback::Bool(true)),
    param("track_running_stats", Ty::Bool, Fallback::Bool(true)),
];
const LINEAR: &[Param] = &[
    param("in_features", Ty::Count, Fallback::Required),
    param("out_features", Ty::Count, Fallback::Required),
    param("bias", Ty::Bool, Fallback::Bool(true)),
];
const FLATTEN: &[Param] =
    &[param("start_dim", Ty::Dim, Fallback::Int(1)), param("end_dim", Ty::Dim, Fallback::Int(-1))];
const FLATTEN_FN: &[Param] =
    &[param("start_dim", Ty::Dim, Fallback::Int(0)), param("end_dim", Ty::Dim, Fallback::Int(-1))];
const VIEW: &[Param] = &[param("size", Ty::ViewSizes, Fallback::Required)];
const DROPOUT: &[Param] =
    &[param("p", Ty::Probability, Fallback::Number(0.5)), param("inplace", Ty::Bool, Fallback::Bool(false))];
const DROPOUT_FN: &[Param] = &[
    param("p", Ty::Probability, Fallback::Number(0.5)),
    param("training", Ty::Bool, Fallback::Bool(true)),
    param("inplace", Ty::Bool, Fallback::Bool(false)),
];
const INPLACE: &[Param] = &[param("inplace", Ty::Bool, Fallback::Bool(false))];
const GELU: &[Param] = &[param("approximate", Ty::Choice(&["none", "tanh"]), Fallback::Str("none"))];
const SOFTMAX: &[Param] = &[param("dim", Ty::Dim, Fallback::None)];
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
    module("AdaptiveAvgPool1d", 1, ADAPTIVE_AVG_POOL, adaptive_avg_pool),
    module("AdaptiveAvgPool2d", 2, ADAPTIVE_AVG_POOL, adaptive_avg_pool),
    module("AdaptiveAvgPool3d", 3, ADAPTIVE_AVG_POOL, adaptive_avg_pool),
    function("adaptive_avg_pool1d", 1, ADAPTIVE_AVG_POOL, adaptive_avg_pool),
    function("adaptive_avg_pool2d", 2, ADAPTIVE_AVG_POOL, adaptive_avg_pool),
    function("adaptive_avg_pool3d", 3, ADAPTIVE_AVG_POOL, adaptive_avg_pool),
    module("AdaptiveMaxPool1d", 1, ADAPTIVE_MAX_POOL, adaptive_max_pool),
    module("AdaptiveMaxPool2d", 2, ADAPTIVE_MAX_POOL, adaptive_max_pool),
    module("AdaptiveMaxPool3d", 3, ADAPTIVE_MAX_POOL, adaptive_max_pool),
    function("adaptive_max_pool1d", 1, ADAPTIVE_MAX_POOL, adaptive_max_pool),
    function("adaptive_max_pool2d", 2, ADAPTIVE_MAX_POOL, adaptive_max_pool),
    function("adaptive_max_pool3d", 3, ADAPTIVE_MAX_POOL, adaptive_max_pool),
    module("BatchNorm1d", 1, BATCH_NORM, batch_norm),
    module("BatchNorm2d", 2, BATCH_NORM, batch_norm),
    module("BatchNorm3d", 3, BATCH_NORM, batch_norm),
    module("Linear", 0, LINEAR, linear),
    module("Flatten", 0, FLATTEN, flatten),
    function("flatten", 0, FLATTEN_FN, flatten),
    function("view", 0, VIEW, view),
    function("reshape", 0, VIEW, view),
    module("Dropout", 0, DROPOUT, elementwise),
    module("Dropout2d", 0, DROPOUT, elementwise),
    module("Dropout3d", 0, DROPOUT, elementwise),
    function("dropout", 0, DROPOUT_FN, elementwise),
    function("dropout2d", 0, DROPOUT_FN, elementwise),
    function("dropout3d", 0, DROPOUT_FN, elementwise),
    module("ReLU", 0, INPLACE, elementwise),
    function("relu", 0, INPLACE, elementwise),
    module("Sigmoid", 0, NOTHING, elementwise),
    function("sigmoid", 0, NOTHING, elementwise),
    module("Tanh", 0, NOTHING, elementwise),
    function("tanh", 0, NOTHING, elementwise),
    module("GELU", 0, GELU, elementwise),
    function("gelu", 0, GELU, elementwise),
    module("Softmax", 0, SOFTMAX, softmax),
    function("softmax", 0, SOFTMAX, softmax),
    module("LogSoftmax", 0, SOFTMAX, softmax),
    function("log_softmax", 0, SOFTMAX, softmax),
    Kind { name: "Identity", functional: false, axes: 0, params: NOTHING, open: true, build: elementwise },
];

pub fn find(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|kind| kind.name == name)
}

fn conv(args: &Args) -> Op {
    let kernel = args.axes("kernel_size");
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
        stride: args.axes("stride"),
        dilation: args.axes("dilation"),
        groups: args.count("groups"),
        bias: args.flag("bias"),
        kernel,
        padding,
        padding_mode,
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

fn batch_norm(args: &Args) -> Op {
    Op::BatchNorm(BatchNorm {
        dims: args.axes,
        num_features: args.count("num_features"),
        affine: args.flag("affine"),
        track_running_stats: args.flag("track_running_stats"),
    })
}

fn linear(args: &Args) -> Op {
    Op::Linear(Linear {
        in_features: args.count("in_features"),
        out_features: args.count("out_features"),
        bias: args.flag("bias"),
    })
}

fn flatten(args: &Args) -> Op {
    Op::Flatten(Flatten { start_dim: args.dim("start_dim").unwrap_or(0), end_dim: args.dim("end_dim").unwrap_or(-1) })
}

fn view(args: &Args) -> Op {
    let sizes = match args.get("size") {
        Some(Bound::View(sizes)) => sizes.clone(),
        _ => Vec::new(),
    };
    Op::View(View { sizes })
}

fn softmax(args: &Args) -> Op {
    Op::Softmax { dim: args.dim("dim") }
}

fn elementwise(_: &Args) -> Op {
    Op::Elementwise
}
