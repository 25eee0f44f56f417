//! How large a network the macro checks. Every size, element count and amount
//! of unrolling is bounded, so that the arithmetic of every rule fits in 64
//! bits (a product of two sizes, plus a few more, never overflows) and the
//! macro's work grows with the number of layers, never with the size of the
//! tensors. The bounds are far above real networks: an excess is a compile
//! error at the token that caused it, not a panic or a hang.

/// The largest integer the DSL computes with, and the largest size of a
/// dimension: 2³¹ − 1, as a 32-bit signed index reaches.
pub const MAX_SIZE: usize = i32::MAX as usize;

/// The most elements one tensor of one sample holds: 2⁴⁰, four terabytes of
/// `f32`.
pub const MAX_ELEMENTS: u64 = 1 << 40;

/// The most multiply-accumulates one layer makes for one sample: 2⁵⁰, so that
/// the sum over [`MAX_STEPS`] layers fits in 64 bits.
pub const MAX_MULT_ADDS: u64 = 1 << 50;

/// The most steps a network unrolls to: layers called (a Transformer stack's
/// each), loop rounds and block calls, counted together; also the most layers
/// one module stacks (`num_layers`) and the most tensors one split makes.
/// Ten times DenseNet-201's; the macro's work stays under a second.
pub const MAX_STEPS: usize = 5_000;

/// How deep brackets, blocks and sequences nest.
pub const MAX_NESTING: usize = 64;

/// The elements of a shape, `None` past [`MAX_ELEMENTS`].
pub fn elements(dims: &[usize]) -> Option<u64> {
    dims.iter().try_fold(1u64, |count, &dim| count.checked_mul(dim as u64).filter(|&count| count <= MAX_ELEMENTS))
}

/// Why a shape is too large, if it is: a dimension past [`MAX_SIZE`] or more
/// than [`MAX_ELEMENTS`] elements.
pub fn too_large(dims: &[usize]) -> Option<String> {
    if let Some(&dim) = dims.iter().find(|&&dim| dim > MAX_SIZE) {
        return Some(format!("a dimension of {dim} is larger than netshape checks (at most {MAX_SIZE})"));
    }
    // A zero-size dimension makes any product fit; check the others alone.
    let nonzero: Vec<usize> = dims.iter().copied().filter(|&dim| dim > 0).collect();
    match elements(&nonzero) {
        Some(_) => None,
        None => Some(format!("it holds more elements than netshape checks (at most 2^40 = {MAX_ELEMENTS} a sample)")),
    }
}

/// A product that stops at `usize::MAX` rather than overflowing: past
/// [`MAX_SIZE`] the walk rejects the result anyway.
pub fn saturating_product(values: impl IntoIterator<Item = usize>) -> usize {
    values.into_iter().fold(1, usize::saturating_mul)
}
