//! The CPU kernels behind the candle backend's fast paths, on plain slices:
//! convolutions ([`conv`]), batched matrix products ([`matmul`]), max pools
//! ([`pool`]) and elementwise joins ([`elementwise`]). Their jobs run on
//! candle's own thread pool (`RAYON_NUM_THREADS` threads, the calling one
//! among them), so that candle's ops and these never compete for cores.

mod conv;
mod elementwise;
mod matmul;
mod pool;

pub use conv::conv2d;
pub use elementwise::binary;
pub use matmul::{matmul, transpose, Strided};
pub use pool::max_pool2d;

/// Runs `job(0..jobs)` on candle's pool.
fn parallel(jobs: usize, job: impl Fn(usize) + Sync) {
    candle_core::utils::barrier_pool().execute_chunked(jobs, |range| range.for_each(&job));
}

/// The threads that [`parallel`] runs on.
fn threads() -> usize {
    candle_core::utils::barrier_pool().n_workers() + 1
}

/// A matrix operand of [`product`]: where element `(0, 0)` is, and the
/// strides between rows and between columns.
#[derive(Clone, Copy)]
struct Matrix {
    start: *const f32,
    row: usize,
    column: usize,
}

/// `dst = lhs · rhs` (`+ dst` with `accumulate`) for an `m × k` and a
/// `k × n` operand, on the calling thread; `dst` is row-major with rows
/// `dst_row` apart.
///
/// # Safety
///
/// Every element the operands' and `dst`'s strides reach is inside its
/// buffer, and nothing else reads or writes those of `dst` meanwhile.
unsafe fn product([m, k, n]: [usize; 3], dst: *mut f32, dst_row: usize, lhs: Matrix, rhs: Matrix, accumulate: bool) {
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst,
            1,
            dst_row as isize,
            accumulate,
            lhs.start,
            lhs.column as isize,
            lhs.row as isize,
            rhs.start,
            rhs.column as isize,
            rhs.row as isize,
            if accumulate { 1.0 } else { 0.0 },
            1.0,
            false,
            false,
            false,
            gemm::Parallelism::None,
        )
    }
}

/// A pointer into the output that tiles share: each writes only its own rows
/// and columns.
#[derive(Clone, Copy)]
struct Shared(*mut f32);
// SAFETY: jobs write disjoint elements, and the output outlives the pool's work.
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}

impl Shared {
    /// The element at `offset`.
    fn at(self, offset: usize) -> *mut f32 {
        self.0.wrapping_add(offset)
    }

    /// `len` elements from `offset`.
    ///
    /// # Safety
    ///
    /// They are inside the output, and no other job touches them while the
    /// slice lives.
    unsafe fn slice<'a>(self, offset: usize, len: usize) -> &'a mut [f32] {
        unsafe { std::slice::from_raw_parts_mut(self.at(offset), len) }
    }
}

/// The output columns `o` with `o·stride + shift` inside a line of `width`.
fn inside(width: usize, shift: isize, stride: usize) -> (usize, usize) {
    let first = if shift >= 0 { 0 } else { ((-shift) as usize).div_ceil(stride) };
    let last = if (width as isize) <= shift { 0 } else { ((width as isize - shift) as usize).div_ceil(stride) };
    (first, last.max(first))
}

/// The larger, or a NaN if either is one (PyTorch's max pool).
#[inline]
fn nan_max(best: f32, value: f32) -> f32 {
    if value > best || value.is_nan() {
        value
    } else {
        best
    }
}

fn clamp_all(values: &mut [f32], [min, max]: [f32; 2]) {
    for value in values {
        // Comparisons keep a NaN, as PyTorch's `relu` and `clamp` do; as
        // selects, so that the loop is vectorised.
        let below = if *value < min { min } else { *value };
        *value = if below > max { max } else { below };
    }
}

#[cfg(test)]
pub(crate) mod tests {
    /// Deterministic values in [−0.5, 0.5).
    pub fn values(count: usize, seed: u32) -> Vec<f32> {
        (0..count)
            .map(|index| ((index as u32).wrapping_mul(2_654_435_761).wrapping_add(seed) >> 20) as f32 / 4096.0 - 0.5)
            .collect()
    }
}
