//! Batched matrix products with each operand read at its strides.

use super::{clamp_all, parallel, product, threads, Matrix, Shared};

/// One operand of [`matmul`]: where element `(b, i, j)` of a batch of
/// matrices sits in `data`.
pub struct Strided<'a> {
    /// The elements.
    pub data: &'a [f32],
    /// Where element `(0, 0, 0)` is.
    pub offset: usize,
    /// The stride of each batch dim.
    pub batch: &'a [usize],
    /// The stride between rows.
    pub row: usize,
    /// The stride between columns.
    pub column: usize,
}

impl Strided<'_> {
    /// The offset of batch entry `index` (row-major over `dims`).
    fn at(&self, mut index: usize, dims: &[usize]) -> usize {
        let mut offset = self.offset;
        for (&dim, &stride) in dims.iter().zip(self.batch).rev() {
            offset += (index % dim) * stride;
            index /= dim;
        }
        offset
    }

    /// Whether every element of `dims` × `rows` × `columns` is inside `data`.
    fn fits(&self, dims: &[usize], rows: usize, columns: usize) -> bool {
        if self.batch.len() != dims.len() {
            return false;
        }
        if dims.contains(&0) || rows == 0 || columns == 0 {
            return true;
        }
        let last = dims.iter().zip(self.batch).map(|(&dim, &stride)| (dim - 1).checked_mul(stride));
        let mut last = last.chain([(rows - 1).checked_mul(self.row), (columns - 1).checked_mul(self.column)]);
        last.try_fold(self.offset, |total, step| total.checked_add(step?)).is_some_and(|end| end < self.data.len())
    }
}

/// Batched matrix products `[…, m, k] × […, k, n]`, the leading dims
/// `batch` shared, each operand laid out as its strides say (a transposed
/// weight is read as it is): `[…, m, n]`, row-major, with `bias` (one per
/// column) added and every value limited to `clamp`. Every thread gets blocks
/// of rows or columns of its own, so each reads only its part of a large
/// operand.
pub fn matmul(
    lhs: &Strided<'_>,
    rhs: &Strided<'_>,
    batch: &[usize],
    [m, k, n]: [usize; 3],
    bias: Option<&[f32]>,
    clamp: Option<[f32; 2]>,
) -> Result<Vec<f32>, String> {
    if !lhs.fits(batch, m, k) || !rhs.fits(batch, k, n) {
        return Err(format!("the operands do not hold {batch:?} × [{m}, {k}] and [{k}, {n}]"));
    }
    if bias.is_some_and(|bias| bias.len() != n) {
        return Err(format!("a bias of {} values for {n} columns", bias.map_or(0, <[f32]>::len)));
    }
    let items = batch.iter().try_fold(1usize, |total, &dim| total.checked_mul(dim));
    let total = items.and_then(|items| items.checked_mul(m)?.checked_mul(n));
    let (items, mut y) = match (items, total) {
        (Some(items), Some(total)) => (items, vec![0f32; total]),
        _ => return Err("the product is too large".to_owned()),
    };
    if y.is_empty() {
        return Ok(y);
    }
    let work = (items * m).saturating_mul(n).saturating_mul(k);
    // Small products are not worth waking the pool for.
    let wanted = if work < 1 << 18 { 1 } else { 4 * threads() };
    let per_item = wanted.div_ceil(items);
    let split = |size: usize, pieces: usize| (size.div_ceil(pieces.max(1)).div_ceil(16) * 16).clamp(1, size);
    let (rows, columns) = if m >= n {
        let rows = split(m, per_item);
        (rows, split(n, per_item.div_ceil(m.div_ceil(rows))))
    } else {
        let columns = split(n, per_item);
        (split(m, per_item.div_ceil(n.div_ceil(columns))), columns)
    };
    let (row_blocks, column_blocks) = (m.div_ceil(rows), n.div_ceil(columns));
    let output = Shared(y.as_mut_ptr());
    let job = |index: usize| {
        let (item, block) = (index / (row_blocks * column_blocks), index % (row_blocks * column_blocks));
        let (first_row, first_column) = ((block / column_blocks) * rows, (block % column_blocks) * columns);
        let (count_rows, count_columns) = (rows.min(m - first_row), columns.min(n - first_column));
        let left = lhs.at(item, batch) + first_row * lhs.row;
        let right = rhs.at(item, batch) + first_column * rhs.column;
        let start = (item * m + first_row) * n + first_column;
        let rows = |row: usize| {
            // SAFETY: row `row` of this job's block is inside `y` and this job's alone.
            unsafe { output.slice(start + row * n, count_columns) }
        };
        if let Some(bias) = bias {
            for row in 0..count_rows {
                rows(row).copy_from_slice(&bias[first_column..first_column + count_columns]);
            }
        }
        if k > 0 {
            // SAFETY: `fits` checked that every element the operands' strides
            // reach is inside their data; the output block (rows of `n`) is
            // inside `y` and this job's alone.
            unsafe {
                let lhs = Matrix { start: lhs.data.as_ptr().add(left), row: lhs.row, column: lhs.column };
                let rhs = Matrix { start: rhs.data.as_ptr().add(right), row: rhs.row, column: rhs.column };
                product([count_rows, k, count_columns], output.at(start), n, lhs, rhs, bias.is_some());
            }
        }
        if let Some(bounds) = clamp {
            for row in 0..count_rows {
                clamp_all(rows(row), bounds);
            }
        }
    };
    let jobs = items * row_blocks * column_blocks;
    if jobs == 1 {
        job(0);
    } else {
        parallel(jobs, job);
    }
    Ok(y)
}

/// The transpose of a row-major `rows × columns` matrix, row-major: by
/// blocks that stay in cache, on the pool.
pub fn transpose(data: &[f32], [rows, columns]: [usize; 2]) -> Result<Vec<f32>, String> {
    const BLOCK: usize = 32;
    if Some(data.len()) != rows.checked_mul(columns) {
        return Err(format!("{} values for a {rows} × {columns} matrix", data.len()));
    }
    let mut y = vec![0f32; data.len()];
    if y.is_empty() {
        return Ok(y);
    }
    let output = Shared(y.as_mut_ptr());
    // Each job makes `BLOCK` rows of the transpose (columns of the input).
    parallel(columns.div_ceil(BLOCK), |job| {
        let first = job * BLOCK;
        let count = BLOCK.min(columns - first);
        // SAFETY: rows `first..first + count` of the transpose are inside `y` and this job's alone.
        let out = unsafe { output.slice(first * rows, count * rows) };
        for top in (0..rows).step_by(BLOCK) {
            for row in top..(top + BLOCK).min(rows) {
                let line = &data[row * columns + first..][..count];
                for (column, &value) in line.iter().enumerate() {
                    out[column * rows + row] = value;
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
    fn strided_products_agree_with_the_definition() {
        // (batch, m, k, n, whether the left and the right are transposed)
        for (batch, m, k, n, transposed) in [
            (vec![], 1, 650, 2600, (false, true)),
            (vec![2], 37, 19, 70, (false, false)),
            (vec![2, 3], 128, 16, 128, (false, true)),
            (vec![3], 300, 64, 5, (true, false)),
            (vec![], 1000, 300, 500, (true, true)),
        ] {
            let items: usize = batch.iter().product();
            let left = values(items * m * k, 11);
            let right = values(items * k * n, 13);
            let operand =
                |data: &'static [f32], rows: usize, columns: usize, transposed: bool, strides: &'static [usize]| {
                    let (row, column) = if transposed { (1, rows) } else { (columns, 1) };
                    Strided { data, offset: 0, batch: strides, row, column }
                };
            let strides = |size: usize| -> &'static [usize] {
                let mut strides = vec![0; batch.len()];
                let mut step = size;
                for (stride, &dim) in strides.iter_mut().zip(&batch).rev() {
                    *stride = step;
                    step *= dim;
                }
                Vec::leak(strides)
            };
            let (left, right) = (Vec::leak(left), Vec::leak(right));
            let lhs = operand(left, m, k, transposed.0, strides(m * k));
            let rhs = operand(right, k, n, transposed.1, strides(k * n));
            let found = matmul(&lhs, &rhs, &batch, [m, k, n], None, None).unwrap();
            for item in 0..items {
                for (i, j) in [(0, 0), (m - 1, n - 1), (m / 2, n / 3), (m - 1, 0)] {
                    let expected: f32 = (0..k)
                        .map(|l| {
                            let a = left[lhs.at(item, &batch) + i * lhs.row + l * lhs.column];
                            a * right[rhs.at(item, &batch) + l * rhs.row + j * rhs.column]
                        })
                        .sum();
                    let value = found[(item * m + i) * n + j];
                    assert!(
                        (value - expected).abs() < 1e-3,
                        "{batch:?} {m} {k} {n} at {item} {i} {j}: {value} ≠ {expected}"
                    );
                }
            }
        }
        // A linear layer: bias per column, then a ReLU.
        let (x, weight, bias) = (values(6, 1), values(6, 2), [0.25f32, -0.5, 1.0]);
        let lhs = Strided { data: &x, offset: 0, batch: &[], row: 3, column: 1 };
        let rhs = Strided { data: &weight, offset: 0, batch: &[], row: 1, column: 2 };
        let found = matmul(&lhs, &rhs, &[], [3, 2, 3], Some(&bias), Some([0.0, f32::INFINITY])).unwrap_err();
        assert_eq!(found, "the operands do not hold [] × [3, 2] and [2, 3]");
        let lhs = Strided { data: &x, offset: 0, batch: &[], row: 2, column: 1 };
        let found = matmul(&lhs, &rhs, &[], [3, 2, 3], Some(&bias), Some([0.0, f32::INFINITY])).unwrap();
        for (index, value) in found.iter().enumerate() {
            let (i, j) = (index / 3, index % 3);
            let sum = x[2 * i] * weight[2 * j] + x[2 * i + 1] * weight[2 * j + 1] + bias[j];
            assert_eq!(*value, sum.max(0.0), "at {i}, {j}");
        }
        let matrix = values(37 * 70, 23);
        let transposed = transpose(&matrix, [37, 70]).unwrap();
        assert!((0..37 * 70).all(|index| transposed[(index % 70) * 37 + index / 70] == matrix[index]));
        let short = Strided { data: &[0.0; 5], offset: 0, batch: &[], row: 3, column: 1 };
        let error = matmul(&short, &short, &[], [2, 3, 2], None, None).unwrap_err();
        assert_eq!(error, "the operands do not hold [] × [2, 3] and [3, 2]");
    }
}
