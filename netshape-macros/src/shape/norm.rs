//! `BatchNorm1d/2d/3d`.

use super::{require_rank, Outcome, Problem, Stored};

/// Batch normalisation over `spatial_axes` (0 or 1 for BatchNorm1d, 2, 3).
#[derive(Clone, Debug, PartialEq)]
pub struct BatchNorm {
    /// 1, 2 or 3: the N of `BatchNormNd`.
    pub dims: usize,
    pub num_features: usize,
    pub affine: bool,
    pub track_running_stats: bool,
}

impl BatchNorm {
    pub fn forward(&self, input: &[usize]) -> Outcome {
        let (allowed, layout): (&'static [usize], _) = match self.dims {
            1 => (&[1, 2], "[C] or [C, L]"),
            2 => (&[3], "[C, H, W]"),
            _ => (&[4], "[C, D, H, W]"),
        };
        if let Err(problem) = require_rank(input, allowed, layout) {
            return Outcome::failed(problem);
        }
        let mut outcome = Outcome::ok(input.to_vec());
        if input[0] != self.num_features {
            outcome.problems.push(Problem::Mismatch {
                arg: "num_features",
                declared: self.num_features,
                axis: 0,
                found: input[0],
            });
        }
        outcome
    }

    pub fn stored(&self) -> Vec<Stored> {
        let features = vec![self.num_features];
        let mut stored = Vec::new();
        if self.affine {
            stored.push(Stored::parameter("weight", features.clone()));
            stored.push(Stored::parameter("bias", features.clone()));
        }
        if self.track_running_stats {
            stored.push(Stored::buffer("running_mean", features.clone()));
            stored.push(Stored::buffer("running_var", features));
            stored.push(Stored::buffer("num_batches_tracked", Vec::new()));
        }
        stored
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_parameters_and_buffers() {
        let norm = BatchNorm { dims: 2, num_features: 42, affine: true, track_running_stats: true };
        let stored = norm.stored();
        let params: usize = stored.iter().filter(|s| !s.buffer).map(Stored::numel).sum();
        let buffers: usize = stored.iter().filter(|s| s.buffer).map(Stored::numel).sum();
        assert_eq!((params, buffers), (84, 85));
    }

    #[test]
    fn batchnorm1d_takes_features_or_sequences() {
        let norm = BatchNorm { dims: 1, num_features: 8, affine: true, track_running_stats: true };
        assert_eq!(norm.forward(&[8]), Outcome::ok(vec![8]));
        assert_eq!(norm.forward(&[8, 5]), Outcome::ok(vec![8, 5]));
        assert_eq!(norm.forward(&[8, 5, 5]).output, None);
    }
}
