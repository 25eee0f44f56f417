//! `Flatten`/`flatten` and `view`/`reshape`.
//!
//! PyTorch's dims count the batch; netshape's shapes leave it out. A reshape is
//! accepted only when it keeps the batch as the first dimension, since the batch
//! size is open and merging it would make every later shape depend on it.

use super::{normalize_dim, Dims, Outcome, Problem};

/// `Flatten(start_dim, end_dim)`, `torch.flatten(x, start_dim, end_dim)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Flatten {
    pub start_dim: i64,
    pub end_dim: i64,
}

impl Flatten {
    pub fn forward(&self, input: &[usize]) -> Outcome {
        let start = normalize_dim("start_dim", self.start_dim, input.len());
        let end = normalize_dim("end_dim", self.end_dim, input.len());
        let (start, end) = match (start, end) {
            (Ok(start), Ok(end)) => (start, end),
            (start, end) => return Outcome::failed_all([start.err(), end.err()].into_iter().flatten().collect()),
        };
        if start > end {
            return Outcome::failed(Problem::FlattenOrder { start, end });
        }
        if start == end {
            return Outcome::ok(input.to_vec());
        }
        if start == 0 {
            return Outcome::failed(Problem::TouchesBatch { arg: "start_dim" });
        }
        // Batched dims start..=end are batch-less dims start-1..end.
        let merged: usize = input[start - 1..end].iter().product();
        let mut output: Dims = input[..start - 1].to_vec();
        output.push(merged);
        output.extend(&input[end..]);
        Outcome::ok(output)
    }
}

/// One size of a `view`/`reshape`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewSize {
    /// `x.size(0)`: the batch, whatever its size.
    Batch,
    /// `-1`: inferred; in the first position it is the batch.
    Infer,
    /// Any other integer.
    Fixed(i64),
}

/// `x.view(sizes…)`, `x.reshape(sizes…)`: the first size is the batch.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    pub sizes: Vec<ViewSize>,
}

impl View {
    pub fn forward(&self, input: &[usize]) -> Outcome {
        let Some((first, rest)) = self.sizes.split_first() else {
            return Outcome::failed(Problem::ViewBatchFirst);
        };
        if matches!(first, ViewSize::Fixed(_)) {
            return Outcome::failed(Problem::ViewBatchFirst);
        }
        let mut problems = Vec::new();
        let mut inferred = None;
        let mut known = 1usize;
        for (offset, size) in rest.iter().enumerate() {
            let index = offset + 1;
            match *size {
                ViewSize::Batch => problems.push(Problem::ViewBatchFirst),
                // With `-1` first, it is the one inferred size already.
                ViewSize::Infer if *first == ViewSize::Infer || inferred.is_some() => {
                    problems.push(Problem::ViewManyInferred { arg: "size", index })
                }
                ViewSize::Infer => inferred = Some(offset),
                ViewSize::Fixed(size) if size <= 0 => problems.push(Problem::ViewBadSize { arg: "size", index, size }),
                ViewSize::Fixed(size) => known = known.saturating_mul(size as usize),
            }
        }
        if !problems.is_empty() {
            return Outcome::failed_all(problems);
        }
        let available: usize = input.iter().product();
        if let Err(problem) = fits("size", known, available, inferred.is_some()) {
            return Outcome::failed(problem);
        }
        let output = rest
            .iter()
            .map(|size| match *size {
                ViewSize::Fixed(size) => size as usize,
                _ => available / known,
            })
            .collect();
        Outcome::ok(output)
    }
}

/// Sizes whose product is `known` (with one size to infer, or none) must hold
/// `available` elements.
fn fits(arg: &'static str, known: usize, available: usize, inferred: bool) -> Result<(), Problem> {
    let fits = if inferred { available.is_multiple_of(known) } else { available == known };
    if fits {
        Ok(())
    } else {
        Err(Problem::ViewElements { arg, wanted: known, available, inferred })
    }
}

/// `Unflatten(dim, unflattened_size)`: one dimension split into several.
#[derive(Clone, Debug, PartialEq)]
pub struct Unflatten {
    pub dim: i64,
    pub sizes: Vec<i64>,
}

impl Unflatten {
    pub fn forward(&self, input: &[usize]) -> Outcome {
        let dim = match normalize_dim("dim", self.dim, input.len()) {
            Ok(0) => return Outcome::failed(Problem::TouchesBatch { arg: "dim" }),
            Ok(dim) => dim - 1,
            Err(problem) => return Outcome::failed(problem),
        };
        let arg = "unflattened_size";
        let mut problems = Vec::new();
        let mut inferred = None;
        let mut known = 1usize;
        for (index, &size) in self.sizes.iter().enumerate() {
            match size {
                -1 if inferred.is_some() => problems.push(Problem::ViewManyInferred { arg, index }),
                -1 => inferred = Some(index),
                size if size <= 0 => problems.push(Problem::ViewBadSize { arg, index, size }),
                size => known = known.saturating_mul(size as usize),
            }
        }
        if let Err(problem) = fits(arg, known, input[dim], inferred.is_some()) {
            problems.push(problem);
        }
        if !problems.is_empty() {
            return Outcome::failed_all(problems);
        }
        let sizes = self.sizes.iter().map(|&size| if size == -1 { input[dim] / known } else { size as usize });
        let output = input[..dim].iter().copied().chain(sizes).chain(input[dim + 1..].iter().copied()).collect();
        Outcome::ok(output)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flatten_merges_the_named_dims() {
        let flatten = Flatten { start_dim: 1, end_dim: -1 };
        assert_eq!(flatten.forward(&[20, 4, 4]), Outcome::ok(vec![320]));
        assert_eq!(Flatten { start_dim: 2, end_dim: 2 }.forward(&[7, 8]), Outcome::ok(vec![7, 8]));
        assert_eq!(Flatten { start_dim: 2, end_dim: -1 }.forward(&[4, 2, 6, 3]), Outcome::ok(vec![4, 36]));
        assert_eq!(
            Flatten { start_dim: 0, end_dim: -1 }.forward(&[20, 4, 4]).problems,
            vec![Problem::TouchesBatch { arg: "start_dim" }]
        );
        assert_eq!(
            Flatten { start_dim: 3, end_dim: 1 }.forward(&[2, 3, 4]).problems,
            vec![Problem::FlattenOrder { start: 3, end: 1 }]
        );
    }

    #[test]
    fn unflatten_splits_one_dim() {
        let unflatten = Unflatten { dim: 1, sizes: vec![2, -1] };
        assert_eq!(unflatten.forward(&[12]), Outcome::ok(vec![2, 6]));
        assert_eq!(Unflatten { dim: -1, sizes: vec![4, 4] }.forward(&[3, 16]), Outcome::ok(vec![3, 4, 4]));
        assert_eq!(Unflatten { dim: 1, sizes: vec![5, -1] }.forward(&[12]).problems.len(), 1);
        assert_eq!(
            Unflatten { dim: 0, sizes: vec![2, 6] }.forward(&[12]).problems,
            vec![Problem::TouchesBatch { arg: "dim" }]
        );
    }

    #[test]
    fn view_keeps_the_batch_first() {
        let view = |sizes: &[ViewSize]| View { sizes: sizes.to_vec() };
        use ViewSize::*;
        assert_eq!(view(&[Infer, Fixed(320)]).forward(&[20, 4, 4]), Outcome::ok(vec![320]));
        assert_eq!(view(&[Batch, Infer]).forward(&[20, 4, 4]), Outcome::ok(vec![320]));
        assert_eq!(view(&[Batch, Fixed(20), Infer]).forward(&[20, 4, 4]), Outcome::ok(vec![20, 16]));
        assert_eq!(
            view(&[Infer, Fixed(300)]).forward(&[20, 4, 4]).problems,
            vec![Problem::ViewElements { arg: "size", wanted: 300, available: 320, inferred: false }]
        );
        assert_eq!(view(&[Fixed(2), Infer]).forward(&[4]).problems, vec![Problem::ViewBatchFirst]);
        assert_eq!(
            view(&[Infer, Infer]).forward(&[4]).problems,
            vec![Problem::ViewManyInferred { arg: "size", index: 1 }]
        );
        assert_eq!(
            view(&[Infer, Fixed(0)]).forward(&[4]).problems,
            vec![Problem::ViewBadSize { arg: "size", index: 1, size: 0 }]
        );
    }
}
