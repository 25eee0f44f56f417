//! Elementwise joins of two tensors of one shape, a clamp folded in.

use super::super::backend::Binary;
use super::{clamp_all, parallel, Shared};

/// Elements per job of an elementwise op.
const CHUNK: usize = 1 << 14;

/// `left op right` elementwise over two slices of one length, every value
/// then limited to `clamp`: a residual sum and its ReLU in one pass.
pub fn binary(left: &[f32], right: &[f32], op: Binary, clamp: Option<[f32; 2]>) -> Result<Vec<f32>, String> {
    if left.len() != right.len() {
        return Err(format!("operands of {} and {} values", left.len(), right.len()));
    }
    let mut y = vec![0f32; left.len()];
    // Generic, so that each op's loop is compiled (and vectorised) on its own.
    fn each(out: &mut [f32], left: &[f32], right: &[f32], function: impl Fn(f32, f32) -> f32) {
        for ((out, &a), &b) in out.iter_mut().zip(left).zip(right) {
            *out = function(a, b);
        }
    }
    let apply = |out: &mut [f32], left: &[f32], right: &[f32]| {
        match op {
            Binary::Add => each(out, left, right, |a, b| a + b),
            Binary::Sub => each(out, left, right, |a, b| a - b),
            Binary::Mul => each(out, left, right, |a, b| a * b),
            Binary::Div => each(out, left, right, |a, b| a / b),
            Binary::Max => each(out, left, right, |a, b| if a.is_nan() || a > b { a } else { b }),
            Binary::Min => each(out, left, right, |a, b| if a.is_nan() || a < b { a } else { b }),
        }
        if let Some(bounds) = clamp {
            clamp_all(out, bounds);
        }
    };
    if y.len() < 2 * CHUNK {
        apply(&mut y, left, right);
        return Ok(y);
    }
    let output = Shared(y.as_mut_ptr());
    let length = y.len();
    parallel(length.div_ceil(CHUNK), |index| {
        let (start, count) = (index * CHUNK, CHUNK.min(length - index * CHUNK));
        // SAFETY: chunk `index` is inside `y` and this job's alone.
        let out = unsafe { output.slice(start, count) };
        apply(out, &left[start..start + count], &right[start..start + count]);
    });
    Ok(y)
}

#[cfg(test)]
mod tests {
    use super::super::tests::values;
    use super::*;

    #[test]
    fn elementwise_ops_cover_every_chunk_and_keep_nans() {
        let length = 3 * CHUNK + 5;
        let (left, right) = (values(length, 17), values(length, 19));
        let sum = binary(&left, &right, Binary::Add, Some([0.0, 0.5])).unwrap();
        for (index, value) in sum.iter().enumerate() {
            assert_eq!(*value, (left[index] + right[index]).clamp(0.0, 0.5), "at {index}");
        }
        let largest = binary(&[f32::NAN, 1.0, 2.0], &[0.0, f32::NAN, 1.0], Binary::Max, None).unwrap();
        assert!(largest[0].is_nan() && largest[1].is_nan() && largest[2] == 2.0);
        assert_eq!(binary(&[1.0], &[], Binary::Mul, None).unwrap_err(), "operands of 1 and 0 values");
    }
}
