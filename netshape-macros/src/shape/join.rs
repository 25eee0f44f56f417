//! Ops on several tensors or on axes: broadcasting `add`/`mul`, `cat`,
//! `stack`, `chunk`/`split`, and `transpose`, `permute`, `mean`, `squeeze`…
//! Dims count the batch, as in PyTorch; none of these may move or merge it.

use super::{normalize_dim, Dims, Problem};

/// The broadcast shape of elementwise operands: equal ranks (a lower rank would
/// line the batch up with a sample's dimension), each dim equal or 1.
pub fn broadcast(shapes: &[&[usize]]) -> Result<Dims, Problem> {
    let first = shapes[0];
    let mut output = first.to_vec();
    for (index, shape) in shapes.iter().enumerate().skip(1) {
        if shape.len() != first.len() {
            return Err(Problem::Broadcast { operand: index, left: output.clone(), right: shape.to_vec(), axis: None });
        }
        for axis in 0..shape.len() {
            match (output[axis], shape[axis]) {
                (a, b) if a == b => {}
                (1, b) => output[axis] = b,
                (_, 1) => {}
                _ => {
                    return Err(Problem::Broadcast {
                        operand: index,
                        left: output,
                        right: shape.to_vec(),
                        axis: Some(axis),
                    })
                }
            }
        }
    }
    Ok(output)
}

/// The sample axis a `dim` names; dim 0 (the batch) is refused.
pub fn sample_axis(arg: &'static str, dim: i64, rank: usize) -> Result<usize, Problem> {
    match normalize_dim(arg, dim, rank)? {
        0 => Err(Problem::TouchesBatch { arg }),
        dim => Ok(dim - 1),
    }
}

/// `torch.cat(shapes, dim)`: equal ranks, equal sizes except along `dim`.
pub fn cat(shapes: &[&[usize]], dim: i64) -> Result<Dims, Problem> {
    let first = shapes[0];
    let axis = sample_axis("dim", dim, first.len())?;
    let mut output = first.to_vec();
    for (index, shape) in shapes.iter().enumerate().skip(1) {
        let differs =
            shape.len() != first.len() || (0..first.len()).any(|other| other != axis && shape[other] != first[other]);
        if differs {
            return Err(Problem::Cat { operand: index, first: first.to_vec(), other: shape.to_vec(), axis });
        }
        output[axis] += shape[axis];
    }
    Ok(output)
}

/// `torch.stack(shapes, dim)`: equal shapes, a new dim of their count.
pub fn stack(shapes: &[&[usize]], dim: i64) -> Result<Dims, Problem> {
    let first = shapes[0];
    if let Some(index) = shapes.iter().position(|shape| *shape != first) {
        return Err(Problem::Cat {
            operand: index,
            first: first.to_vec(),
            other: shapes[index].to_vec(),
            axis: usize::MAX,
        });
    }
    // The new dim may go after the last one: one more place than the rank.
    let axis = sample_axis("dim", dim, first.len() + 1)?;
    let mut output = first.to_vec();
    output.insert(axis, shapes.len());
    Ok(output)
}

/// `torch.chunk(chunks, dim)` bound to as many names: the size must divide
/// evenly (PyTorch would make the last piece smaller).
pub fn chunk(shape: &[usize], chunks: usize, dim: i64) -> Result<Vec<Dims>, Problem> {
    let axis = sample_axis("dim", dim, shape.len())?;
    if !shape[axis].is_multiple_of(chunks) {
        return Err(Problem::Uneven { axis, size: shape[axis], pieces: chunks });
    }
    let mut piece = shape.to_vec();
    piece[axis] /= chunks;
    Ok(vec![piece; chunks])
}

/// `torch.split(sizes, dim)`: the sections must add up to the size.
pub fn split(shape: &[usize], sections: &[usize], dim: i64) -> Result<Vec<Dims>, Problem> {
    let axis = sample_axis("dim", dim, shape.len())?;
    let total: usize = sections.iter().sum();
    if total != shape[axis] {
        return Err(Problem::Sections { axis, size: shape[axis], total });
    }
    Ok(sections
        .iter()
        .map(|&section| {
            let mut piece = shape.to_vec();
            piece[axis] = section;
            piece
        })
        .collect())
}

/// `x.transpose(dim0, dim1)`.
pub fn transpose(shape: &[usize], dim0: i64, dim1: i64) -> Result<Dims, Problem> {
    let first = sample_axis("dim0", dim0, shape.len())?;
    let second = sample_axis("dim1", dim1, shape.len())?;
    let mut output = shape.to_vec();
    output.swap(first, second);
    Ok(output)
}

/// `x.permute(dims…)`: the batch must stay first.
pub fn permute(shape: &[usize], dims: &[i64]) -> Result<Dims, Problem> {
    if dims.len() != shape.len() + 1 {
        return Err(Problem::Permutation { found: dims.to_vec(), rank: shape.len() + 1 });
    }
    let mut seen = vec![false; dims.len()];
    let mut output = Vec::new();
    for (index, &dim) in dims.iter().enumerate() {
        let axis = normalize_dim("dims", dim, shape.len())?;
        if seen[axis] || (index == 0) != (axis == 0) {
            return Err(Problem::Permutation { found: dims.to_vec(), rank: shape.len() + 1 });
        }
        seen[axis] = true;
        if index > 0 {
            output.push(shape[axis - 1]);
        }
    }
    Ok(output)
}

/// `x.mean(dim, keepdim)`, `x.sum(dim, keepdim)` over sample dims.
pub fn reduce(shape: &[usize], dims: &[i64], keepdim: bool) -> Result<Dims, Problem> {
    let mut axes = Vec::new();
    for &dim in dims {
        axes.push(sample_axis("dim", dim, shape.len())?);
    }
    Ok((0..shape.len())
        .filter_map(|axis| match (axes.contains(&axis), keepdim) {
            (false, _) => Some(shape[axis]),
            (true, true) => Some(1),
            (true, false) => None,
        })
        .collect())
}

/// `x.squeeze(dim)`: drops a dim of size 1 (or every one, without `dim`).
pub fn squeeze(shape: &[usize], dim: Option<i64>) -> Result<Dims, Problem> {
    match dim {
        None => Ok(shape.iter().copied().filter(|&size| size != 1).collect()),
        Some(dim) => {
            let axis = sample_axis("dim", dim, shape.len())?;
            let mut output = shape.to_vec();
            // Like PyTorch, a dim whose size is not 1 is left alone.
            if output[axis] == 1 {
                output.remove(axis);
            }
            Ok(output)
        }
    }
}

/// `x.unsqueeze(dim)`: a new dim of size 1.
pub fn unsqueeze(shape: &[usize], dim: i64) -> Result<Dims, Problem> {
    let axis = sample_axis("dim", dim, shape.len() + 1)?;
    let mut output = shape.to_vec();
    output.insert(axis, 1);
    Ok(output)
}

/// `x.select(dim, index)`: the index within the size, negative from the end.
pub fn select(shape: &[usize], dim: i64, index: i64) -> Result<Dims, Problem> {
    let axis = sample_axis("dim", dim, shape.len())?;
    let size = shape[axis] as i64;
    if index < -size || index >= size {
        return Err(Problem::IndexOutOfRange { axis, index, size: shape[axis] });
    }
    let mut output = shape.to_vec();
    output.remove(axis);
    Ok(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcasting_gates() {
        // Squeeze-and-excitation: [C, 1, 1] × [C, H, W].
        assert_eq!(broadcast(&[&[64, 1, 1], &[64, 56, 56]]), Ok(vec![64, 56, 56]));
        assert!(broadcast(&[&[64, 56, 56], &[32, 56, 56]]).is_err());
        assert!(broadcast(&[&[64], &[64, 56, 56]]).is_err());
    }

    #[test]
    fn concatenation() {
        assert_eq!(cat(&[&[64, 28, 28], &[128, 28, 28]], 1), Ok(vec![192, 28, 28]));
        assert!(cat(&[&[64, 28, 28], &[128, 14, 14]], 1).is_err());
        assert_eq!(cat(&[&[64, 28], &[64, 28]], 0), Err(Problem::TouchesBatch { arg: "dim" }));
        assert_eq!(stack(&[&[3], &[3]], 1), Ok(vec![2, 3]));
        assert_eq!(stack(&[&[3], &[3]], -1), Ok(vec![3, 2]));
    }

    #[test]
    fn chunks_and_splits() {
        assert_eq!(chunk(&[116, 28, 28], 2, 1), Ok(vec![vec![58, 28, 28]; 2]));
        assert_eq!(chunk(&[5, 2], 2, 1), Err(Problem::Uneven { axis: 0, size: 5, pieces: 2 }));
        assert_eq!(split(&[5, 2], &[3, 2], 1), Ok(vec![vec![3, 2], vec![2, 2]]));
    }

    #[test]
    fn axis_ops() {
        assert_eq!(transpose(&[10, 64], 1, 2), Ok(vec![64, 10]));
        assert_eq!(permute(&[3, 4, 5], &[0, 2, 3, 1]), Ok(vec![4, 5, 3]));
        assert!(permute(&[3, 4, 5], &[1, 0, 2, 3]).is_err());
        assert_eq!(reduce(&[512, 7, 7], &[2, 3], false), Ok(vec![512]));
        assert_eq!(reduce(&[512, 7, 7], &[-1, -2], true), Ok(vec![512, 1, 1]));
        assert_eq!(squeeze(&[512, 1, 1], None), Ok(vec![512]));
        assert_eq!(unsqueeze(&[512], -1), Ok(vec![512, 1]));
    }
}
