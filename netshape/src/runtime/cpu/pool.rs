//! Max pools, positions outside the input left out of their window.

use super::super::backend::Pool2d;
use super::{inside, nan_max, parallel, Shared};

/// `pool`'s max pool of `x` `[N, C, H, W]`, row-major: `[N, C, oh, ow]`.
/// Positions outside the input are left out of their window; a NaN wins,
/// as in PyTorch.
pub fn max_pool2d(x: &[f32], [batch, channels, height, width]: [usize; 4], pool: &Pool2d) -> Result<Vec<f32>, String> {
    if pool.stride.contains(&0) || pool.dilation.contains(&0) {
        return Err("a stride or dilation of 0".to_owned());
    }
    let planes = batch * channels;
    if Some(x.len()) != [planes, height, width].iter().try_fold(1usize, |total, &dim| total.checked_mul(dim)) {
        return Err(format!("the input holds {} values, not {:?}", x.len(), [batch, channels, height, width]));
    }
    let ([kh, kw], [oh, ow]) = (pool.kernel, pool.out);
    let positions = oh.checked_mul(ow).ok_or("the output is too large")?;
    let mut y = vec![f32::NEG_INFINITY; planes.checked_mul(positions).ok_or("the output is too large")?];
    if y.is_empty() || height * width == 0 {
        return Ok(y);
    }
    let output = Shared(y.as_mut_ptr());
    parallel(planes, |index| {
        // SAFETY: plane `index` is inside `y` (the sizes were checked) and this job's alone.
        let output = unsafe { output.slice(index * positions, positions) };
        let plane = &x[index * height * width..][..height * width];
        let mut column_max = vec![f32::NEG_INFINITY; width];
        for (out_y, row) in output.chunks_mut(ow.max(1)).enumerate() {
            // The window's rows first (contiguous, so vectorised), then its columns.
            column_max.fill(f32::NEG_INFINITY);
            for i in 0..kh {
                let source_y = (out_y * pool.stride[0] + i * pool.dilation[0]) as isize - pool.padding[0] as isize;
                if source_y >= 0 && source_y < height as isize {
                    let line = &plane[source_y as usize * width..][..width];
                    for (best, &value) in column_max.iter_mut().zip(line) {
                        *best = nan_max(*best, value);
                    }
                }
            }
            for j in 0..kw {
                let shift = (j * pool.dilation[1]) as isize - pool.padding[1] as isize;
                let (first, last) = inside(width, shift, pool.stride[1]);
                let last = last.min(ow);
                if first < last {
                    let start = ((first * pool.stride[1]) as isize + shift) as usize;
                    let sources = column_max[start..].iter().step_by(pool.stride[1]);
                    for (best, &value) in row[first..last].iter_mut().zip(sources) {
                        *best = nan_max(*best, value);
                    }
                }
            }
        }
    });
    Ok(y)
}

#[cfg(test)]
mod tests {
    use super::super::tests::values;
    use super::*;

    #[test]
    fn max_pools_agree_with_the_definition() {
        // (input, kernel, stride, dilation, padding, out)
        type Case = ([usize; 4], [usize; 2], [usize; 2], [usize; 2], [usize; 2], [usize; 2]);
        let cases: [Case; 4] = [
            ([1, 2, 9, 9], [3, 3], [2, 2], [1, 1], [1, 1], [5, 5]),
            ([2, 1, 8, 7], [2, 2], [2, 2], [1, 1], [0, 0], [4, 3]),
            ([1, 3, 10, 11], [3, 2], [1, 3], [2, 1], [1, 1], [8, 5]),
            // ceil mode: the last window hangs over the edge.
            ([1, 1, 6, 6], [3, 3], [2, 2], [1, 1], [0, 0], [3, 3]),
        ];
        for (dims, kernel, stride, dilation, padding, out) in cases {
            let pool = Pool2d { kernel, stride, dilation, padding, out };
            let mut x = values(dims.iter().product(), 5);
            x[7] = f32::NAN;
            let found = max_pool2d(&x, dims, &pool).unwrap();
            let [_, _, height, width] = dims;
            for (index, found) in found.iter().enumerate() {
                let (plane, oy, ox) = (index / (out[0] * out[1]), index / out[1] % out[0], index % out[1]);
                let mut expected = f32::NEG_INFINITY;
                for (i, j) in (0..kernel[0]).flat_map(|i| (0..kernel[1]).map(move |j| (i, j))) {
                    let sy = (oy * stride[0] + i * dilation[0]) as isize - padding[0] as isize;
                    let sx = (ox * stride[1] + j * dilation[1]) as isize - padding[1] as isize;
                    if sy >= 0 && sx >= 0 && sy < height as isize && sx < width as isize {
                        let value = x[(plane * height + sy as usize) * width + sx as usize];
                        if value > expected || value.is_nan() {
                            expected = value;
                        }
                    }
                }
                assert!(found == &expected || (found.is_nan() && expected.is_nan()), "{dims:?} at {index}");
            }
        }
    }
}
