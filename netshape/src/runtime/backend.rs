//! The operations the runtime needs from a tensor library: a small set of
//! primitives (layout, elementwise math, reductions, matrix products) that
//! every layer is built from, plus optional fast paths. candle implements it
//! ([`Candle`](super::Candle)); another library needs only this file's trait.

use super::Result;

/// An elementwise function of one tensor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unary {
    /// `-x`.
    Neg,
    /// `eˣ`.
    Exp,
    /// `ln x`.
    Log,
    /// `tanh x`.
    Tanh,
    /// `|x|`.
    Abs,
    /// `√x`.
    Sqrt,
    /// `1/x`.
    Recip,
    /// `max(x, 0)`.
    Relu,
    /// The Gauss error function.
    Erf,
    /// `x·Φ(x)`, with the exact `erf`.
    Gelu,
    /// GELU's tanh approximation.
    GeluTanh,
    /// `x·σ(x)`.
    Silu,
    /// −1, 0 or 1.
    Sign,
    /// Rounds down.
    Floor,
}

/// An elementwise function of two tensors, which broadcast.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binary {
    /// `a + b`.
    Add,
    /// `a − b`.
    Sub,
    /// `a · b`.
    Mul,
    /// `a / b`.
    Div,
    /// The larger.
    Max,
    /// The smaller.
    Min,
}

/// How a dim is reduced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduce {
    /// The sum.
    Sum,
    /// The largest value.
    Max,
    /// The smallest value.
    Min,
}

/// A 2-d convolution's geometry, for [`Backend::conv2d_fused`].
///
/// ```
/// use netshape::runtime::Conv2d;
///
/// // `Conv2d(64, 64, 3, stride = 2, padding = 1)` on 56 × 56.
/// let conv = Conv2d { stride: [2, 2], dilation: [1, 1], padding: [1, 1], out: [28, 28], groups: 1 };
/// assert_eq!(conv.out[0], (56 + 2 * conv.padding[0] - conv.dilation[0] * (3 - 1) - 1) / conv.stride[0] + 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conv2d {
    /// Stride per axis.
    pub stride: [usize; 2],
    /// Dilation per axis.
    pub dilation: [usize; 2],
    /// Zero padding before each axis; the padding after is what `out` implies.
    pub padding: [usize; 2],
    /// The output's height and width.
    pub out: [usize; 2],
    /// Groups: each output channel reads `C / groups` input channels.
    pub groups: usize,
}

/// A 2-d pool's geometry, for [`Backend::max_pool2d`].
///
/// ```
/// use netshape::runtime::Pool2d;
///
/// // ResNet's `MaxPool2d(3, stride = 2, padding = 1)` on 112 × 112.
/// let pool = Pool2d { kernel: [3, 3], stride: [2, 2], dilation: [1, 1], padding: [1, 1], out: [56, 56] };
/// assert_eq!(pool.out[0], (112 + 2 * pool.padding[0] - (pool.kernel[0] - 1) - 1) / pool.stride[0] + 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pool2d {
    /// The window's height and width.
    pub kernel: [usize; 2],
    /// Stride per axis.
    pub stride: [usize; 2],
    /// Dilation per axis.
    pub dilation: [usize; 2],
    /// Padding before each axis.
    pub padding: [usize; 2],
    /// The output's height and width.
    pub out: [usize; 2],
}

/// A tensor library the runtime can run on. Tensors hold `f32` (or `i64`
/// indices); shapes include the batch. Every operation returns an error
/// rather than panicking.
pub trait Backend: Sized + 'static {
    /// A tensor.
    type Tensor: Clone + core::fmt::Debug;
    /// Where tensors live.
    type Device: Clone + core::fmt::Debug;

    /// The library's name, for messages.
    const NAME: &'static str;

    /// The tensor's shape.
    fn dims(tensor: &Self::Tensor) -> Vec<usize>;
    /// The tensor's device.
    fn device(tensor: &Self::Tensor) -> Self::Device;
    /// Whether the tensor holds integers (indices).
    fn is_index(tensor: &Self::Tensor) -> bool;
    /// The name of the tensor's element type (`f32`, `i64`, …).
    fn dtype_name(tensor: &Self::Tensor) -> String;

    /// A tensor of floats.
    fn from_f32(device: &Self::Device, data: Vec<f32>, shape: &[usize]) -> Result<Self::Tensor>;
    /// A tensor of indices.
    fn from_i64(device: &Self::Device, data: Vec<i64>, shape: &[usize]) -> Result<Self::Tensor>;
    /// The elements as `f32`, in row-major order.
    fn to_f32_vec(tensor: &Self::Tensor) -> Result<Vec<f32>>;
    /// The elements as `i64`, in row-major order.
    fn to_i64_vec(tensor: &Self::Tensor) -> Result<Vec<i64>>;
    /// The tensor converted to `f32`.
    fn to_f32(tensor: &Self::Tensor) -> Result<Self::Tensor>;

    /// The same elements in another shape.
    fn reshape(tensor: &Self::Tensor, shape: &[usize]) -> Result<Self::Tensor>;
    /// Dims reordered: output dim `i` is input dim `dims[i]`.
    fn permute(tensor: &Self::Tensor, dims: &[usize]) -> Result<Self::Tensor>;
    /// `len` entries of `dim` from `start`.
    fn narrow(tensor: &Self::Tensor, dim: usize, start: usize, len: usize) -> Result<Self::Tensor>;
    /// Tensors joined along `dim`.
    fn cat(tensors: &[Self::Tensor], dim: usize) -> Result<Self::Tensor>;
    /// Entries of `dim` picked by position (repeats allowed).
    fn select(tensor: &Self::Tensor, dim: usize, indices: &[usize]) -> Result<Self::Tensor>;
    /// Rows of a 2-D `table` picked by an index tensor: `indices.shape + [table.cols]`.
    fn gather_rows(table: &Self::Tensor, indices: &Self::Tensor) -> Result<Self::Tensor>;
    /// A tensor of one value, on `like`'s device.
    fn full(like: &Self::Tensor, value: f32, shape: &[usize]) -> Result<Self::Tensor>;
    /// The tensor broadcast to `shape`.
    fn broadcast(tensor: &Self::Tensor, shape: &[usize]) -> Result<Self::Tensor>;
    /// A copy laid out row by row.
    fn contiguous(tensor: &Self::Tensor) -> Result<Self::Tensor>;
    /// The same 2-d tensor laid out column by column: its transpose, which
    /// a product by the transpose reads, is then row-major.
    fn column_major(tensor: &Self::Tensor) -> Result<Self::Tensor> {
        Self::permute(&Self::contiguous(&Self::permute(tensor, &[1, 0])?)?, &[1, 0])
    }

    /// An elementwise function.
    fn unary(tensor: &Self::Tensor, op: Unary) -> Result<Self::Tensor>;
    /// `tensor · mul + add`.
    fn affine(tensor: &Self::Tensor, mul: f64, add: f64) -> Result<Self::Tensor>;
    /// `tensorᵉ`.
    fn powf(tensor: &Self::Tensor, exponent: f64) -> Result<Self::Tensor>;
    /// Values limited to `[min, max]`.
    fn clamp(tensor: &Self::Tensor, min: f64, max: f64) -> Result<Self::Tensor>;
    /// An elementwise function of two tensors, broadcasting.
    fn binary(left: &Self::Tensor, right: &Self::Tensor, op: Binary) -> Result<Self::Tensor>;
    /// Where `tensor > threshold`, `above`, else `below`: elementwise, all three of one shape.
    fn where_greater(
        tensor: &Self::Tensor,
        threshold: f64,
        above: &Self::Tensor,
        below: &Self::Tensor,
    ) -> Result<Self::Tensor>;
    /// One dim reduced, kept with size 1.
    fn reduce(tensor: &Self::Tensor, dim: usize, op: Reduce) -> Result<Self::Tensor>;
    /// A batched matrix product: `[…, m, k] × […, k, n]`, the leading dims equal.
    fn matmul(left: &Self::Tensor, right: &Self::Tensor) -> Result<Self::Tensor>;

    /// `x · weightᵀ + bias` for `x` `[rows, in]` and `weight` `[out, in]`,
    /// every value then limited to `clamp`, in one pass, if the library has
    /// it.
    fn linear(
        _x: &Self::Tensor,
        _weight: &Self::Tensor,
        _bias: Option<&Self::Tensor>,
        _clamp: Option<[f32; 2]>,
    ) -> Result<Option<Self::Tensor>> {
        Ok(None)
    }

    /// A fast 2-d convolution for the common case (`[N, C, H, W]`, weight
    /// `[O, C/groups, kh, kw]`, the same zero padding on every side, square
    /// stride and dilation), if the library has one; `None` makes the runtime
    /// build it from primitives.
    fn conv2d(
        _input: &Self::Tensor,
        _weight: &Self::Tensor,
        _padding: usize,
        _stride: usize,
        _dilation: usize,
        _groups: usize,
    ) -> Result<Option<Self::Tensor>> {
        Ok(None)
    }

    /// A fast 2-d convolution with its bias and clamp fused, if the library
    /// has one: `input` `[N, C, H, W]` and `weight` `[O, C/groups, kh, kw]`
    /// to `[N, O, oh, ow]`, zero padding `conv.padding` before each axis,
    /// `bias` (`[O]`) added and every value limited to `clamp` (`[0, ∞]` is
    /// ReLU). The runtime folds a following ReLU, ReLU6 or Hardtanh into it.
    fn conv2d_fused(
        _input: &Self::Tensor,
        _weight: &Self::Tensor,
        _bias: Option<&Self::Tensor>,
        _conv: &Conv2d,
        _clamp: Option<[f32; 2]>,
    ) -> Result<Option<Self::Tensor>> {
        Ok(None)
    }

    /// `left op right` for two tensors of one shape, every value then limited
    /// to `clamp`, in one pass, if the library has it. The runtime folds a
    /// ReLU after a residual sum into it.
    fn binary_clamp(
        _left: &Self::Tensor,
        _right: &Self::Tensor,
        _op: Binary,
        _clamp: Option<[f32; 2]>,
    ) -> Result<Option<Self::Tensor>> {
        Ok(None)
    }

    /// A fast 2-d max pool over the last two dims of `[N, C, H, W]`, if the
    /// library has one: positions outside the input (`pool.padding` before
    /// each axis, and whatever `pool.out` reaches past the end) are left out.
    fn max_pool2d(_input: &Self::Tensor, _pool: &Pool2d) -> Result<Option<Self::Tensor>> {
        Ok(None)
    }

    /// A fast 1-d convolution (`[N, C, L]`, zero padding on both sides), if the library has one.
    fn conv1d(
        _input: &Self::Tensor,
        _weight: &Self::Tensor,
        _padding: usize,
        _stride: usize,
        _dilation: usize,
        _groups: usize,
    ) -> Result<Option<Self::Tensor>> {
        Ok(None)
    }
}
