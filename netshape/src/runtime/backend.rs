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

    /// A fast im2col for 2-d windows, if the library has one: `[N, C, H, W]`
    /// to `[C·kh·kw, N·oh·ow]`, row `(c, i, j)` holding `x[n, c, y·s₀ + i·d₀ − p₀,
    /// x·s₁ + j·d₁ − p₁]` (zero outside the input) at column `(n, y, x)`.
    fn columns2d(
        _input: &Self::Tensor,
        _kernel: [usize; 2],
        _stride: [usize; 2],
        _dilation: [usize; 2],
        _padding: [usize; 2],
        _out: [usize; 2],
    ) -> Result<Option<Self::Tensor>> {
        Ok(None)
    }

    /// A fast depthwise 2-d convolution (`groups` = the input's channels), if
    /// the library has one: `[N, C, H, W]` and weight `[C·m, 1, kh, kw]` to
    /// `[N, C·m, oh, ow]`, zero padding `padding` before each axis, no bias.
    fn depthwise2d(
        _input: &Self::Tensor,
        _weight: &Self::Tensor,
        _stride: [usize; 2],
        _dilation: [usize; 2],
        _padding: [usize; 2],
        _out: [usize; 2],
    ) -> Result<Option<Self::Tensor>> {
        Ok(None)
    }

    /// A fast 2-d max pool without padding or dilation over the last two dims
    /// of `[N, C, H, W]` (floor mode), if the library has one.
    fn max_pool2d(_input: &Self::Tensor, _kernel: [usize; 2], _stride: [usize; 2]) -> Result<Option<Self::Tensor>> {
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
