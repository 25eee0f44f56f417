//! `BatchNorm1d/2d/3d`, `InstanceNorm1d/2d/3d`, `GroupNorm`, `LayerNorm`.

use super::conv::require_spatial;
use super::{require_rank, Dims, Outcome, Problem, Stored};

/// Batch normalisation; `dims` is the N of `BatchNormNd`.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchNorm {
    pub dims: usize,
    pub num_features: usize,
    pub affine: bool,
    pub track_running_stats: bool,
}

/// The input's channels (its first dimension) must match a declared count.
fn channels(input: &[usize], arg: &'static str, declared: usize) -> Outcome {
    let mut problems = Vec::new();
    if input[0] != declared {
        problems.push(Problem::Mismatch { arg, declared, axis: 0, found: input[0] });
    }
    Outcome::with(input.to_vec(), problems)
}

/// `weight` and `bias` of `shape` when affine, then the running statistics.
fn affine_and_stats(shape: Dims, affine: bool, bias: bool, running_stats: bool) -> Vec<Stored> {
    let mut stored = Vec::new();
    if affine {
        stored.push(Stored::parameter("weight", shape.clone()));
        if bias {
            stored.push(Stored::parameter("bias", shape.clone()));
        }
    }
    if running_stats {
        stored.push(Stored::buffer("running_mean", shape.clone()));
        stored.push(Stored::buffer("running_var", shape));
        stored.push(Stored::buffer("num_batches_tracked", Vec::new()));
    }
    stored
}

impl BatchNorm {
    pub fn forward(&self, input: &[usize]) -> Outcome {
        let ranked = match self.dims {
            1 => require_rank(input, 1..=2, "[C] or [C, L]"),
            dims => require_spatial(input, dims),
        };
        match ranked {
            // Without weights or running statistics PyTorch never compares
            // the channels with `num_features`.
            Ok(()) if !self.affine && !self.track_running_stats => Outcome::ok(input.to_vec()),
            Ok(()) => channels(input, "num_features", self.num_features),
            Err(problem) => Outcome::failed(problem),
        }
    }

    pub fn stored(&self) -> Vec<Stored> {
        affine_and_stats(vec![self.num_features], self.affine, true, self.track_running_stats)
    }
}

/// Instance normalisation; `dims` is the N of `InstanceNormNd`, or 0 for
/// `F.instance_norm`, which takes `[C, *]` of any rank.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceNorm {
    pub dims: usize,
    pub num_features: usize,
    pub affine: bool,
    pub track_running_stats: bool,
}

impl InstanceNorm {
    pub fn forward(&self, input: &[usize]) -> Outcome {
        if self.dims == 0 {
            return functional_instance_norm(input);
        }
        // Without weights or running statistics the channels are never
        // compared (PyTorch 1.13 does not even warn), so PyTorch's unbatched
        // layout, which reads the batch as channels, gives the same result.
        let stores = self.affine || self.track_running_stats;
        let least = if stores { self.dims + 1 } else { self.dims };
        let layout = super::conv::layout(self.dims);
        if let Err(problem) = require_rank(input, least..=self.dims + 1, layout) {
            return Outcome::failed(problem);
        }
        let spatial: usize = input[input.len() - self.dims..].iter().product();
        if spatial == 1 && !self.track_running_stats {
            return Outcome::failed(Problem::SingleValue { spatial: input[input.len() - self.dims..].to_vec() });
        }
        if stores {
            channels(input, "num_features", self.num_features)
        } else {
            Outcome::ok(input.to_vec())
        }
    }

    pub fn stored(&self) -> Vec<Stored> {
        affine_and_stats(vec![self.num_features], self.affine, true, self.track_running_stats)
    }
}

/// `F.instance_norm(x)`: statistics of each channel over all the dims after
/// it, which must hold more than one value.
fn functional_instance_norm(input: &[usize]) -> Outcome {
    if let Err(problem) = require_rank(input, 2.., "[C, *] (at least 2 dims)") {
        return Outcome::failed(problem);
    }
    if input[1..].iter().product::<usize>() == 1 {
        return Outcome::failed(Problem::SingleValue { spatial: input[1..].to_vec() });
    }
    Outcome::ok(input.to_vec())
}

/// `GroupNorm(num_groups, num_channels)`; `F.group_norm` gives no `num_channels`.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupNorm {
    pub num_groups: usize,
    pub num_channels: Option<usize>,
    pub affine: bool,
}

impl GroupNorm {
    pub fn validate(&self) -> Vec<Problem> {
        match self.num_channels {
            Some(value) if value % self.num_groups != 0 => {
                vec![Problem::NotDivisible { arg: "num_channels", value, by_arg: "num_groups", by: self.num_groups }]
            }
            _ => Vec::new(),
        }
    }

    pub fn forward(&self, input: &[usize]) -> Outcome {
        if let Err(problem) = require_rank(input, 1.., "[C, *]") {
            return Outcome::failed(problem);
        }
        match self.num_channels {
            // Without weights PyTorch compares the channels only with the
            // groups, as for `F.group_norm`.
            Some(declared) if self.affine => channels(input, "num_channels", declared),
            _ if !input[0].is_multiple_of(self.num_groups) => Outcome::failed(Problem::InputNotDivisible {
                axis: 0,
                size: input[0],
                by: self.num_groups,
                arg: "num_groups",
                what: "channels",
            }),
            _ => Outcome::ok(input.to_vec()),
        }
    }

    pub fn stored(&self) -> Vec<Stored> {
        match self.num_channels {
            Some(channels) => affine_and_stats(vec![channels], self.affine, true, false),
            None => Vec::new(),
        }
    }
}

/// `LayerNorm(normalized_shape)`: the input's trailing dims must be `normalized_shape`.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerNorm {
    pub normalized_shape: Dims,
    pub elementwise_affine: bool,
    pub bias: bool,
    /// torchvision's `LayerNorm2d`: over the channels of `[C, H, W]`, not the
    /// last dims.
    pub channels_first: bool,
}

impl LayerNorm {
    pub fn forward(&self, input: &[usize]) -> Outcome {
        if self.channels_first {
            if let Err(problem) = super::require_rank(input, 2.., "[C, *spatial]") {
                return Outcome::failed(problem);
            }
            let channels = self.normalized_shape.first().copied().unwrap_or(0);
            let problems = (input[0] != channels).then_some(Problem::Mismatch {
                arg: "normalized_shape",
                declared: channels,
                axis: 0,
                found: input[0],
            });
            return Outcome::with(input.to_vec(), problems.into_iter().collect());
        }
        let wanted = self.normalized_shape.len();
        let trailing = &input[input.len().saturating_sub(wanted)..];
        let mut problems = Vec::new();
        if wanted > input.len() || trailing != self.normalized_shape.as_slice() {
            problems.push(Problem::NormalizedShape { expected: self.normalized_shape.clone(), found: input.to_vec() });
        }
        Outcome::with(input.to_vec(), problems)
    }

    pub fn stored(&self) -> Vec<Stored> {
        affine_and_stats(self.normalized_shape.clone(), self.elementwise_affine, self.bias, false)
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

    #[test]
    fn batch_norm_checks_channels_only_when_it_stores_them() {
        let plain = BatchNorm { dims: 2, num_features: 5, affine: false, track_running_stats: false };
        assert_eq!(plain.forward(&[7, 1, 1]), Outcome::ok(vec![7, 1, 1]));
        assert_eq!(plain.forward(&[7, 1]).output, None);
        let tracked = BatchNorm { track_running_stats: true, ..plain };
        assert_eq!(tracked.forward(&[7, 1, 1]).problems.len(), 1);
    }

    #[test]
    fn functional_instance_norm_needs_more_than_one_value_per_channel() {
        let norm = InstanceNorm { dims: 0, num_features: 0, affine: false, track_running_stats: false };
        assert_eq!(norm.forward(&[3, 4, 1]), Outcome::ok(vec![3, 4, 1]));
        assert_eq!(norm.forward(&[3, 1, 1]).problems, vec![Problem::SingleValue { spatial: vec![1, 1] }]);
        assert_eq!(norm.forward(&[3]).output, None);
        assert_eq!(norm.forward(&[]).output, None);
    }

    #[test]
    fn instance_norm_checks_channels_only_when_it_stores_them() {
        let plain = InstanceNorm { dims: 1, num_features: 4, affine: false, track_running_stats: false };
        assert_eq!(plain.forward(&[3, 10]), Outcome::ok(vec![3, 10]));
        assert_eq!(plain.forward(&[10]), Outcome::ok(vec![10]));
        assert_eq!(plain.forward(&[3, 1]).output, None);
        let affine = InstanceNorm { affine: true, ..plain };
        assert_eq!(affine.forward(&[3, 10]).problems.len(), 1);
        assert_eq!(affine.forward(&[10]).output, None);
    }

    #[test]
    fn layer_norm_matches_trailing_dims() {
        let norm =
            LayerNorm { normalized_shape: vec![6, 15], elementwise_affine: true, bias: true, channels_first: false };
        assert_eq!(norm.forward(&[14, 6, 15]), Outcome::ok(vec![14, 6, 15]));
        assert_eq!(norm.forward(&[14, 15, 6]).problems.len(), 1);
        assert_eq!(norm.forward(&[15]).problems.len(), 1);
        assert_eq!(norm.stored().len(), 2);
    }

    #[test]
    fn group_norm_groups_divide_channels() {
        let norm = GroupNorm { num_groups: 3, num_channels: Some(10), affine: true };
        assert_eq!(norm.validate().len(), 1);
        // Without `affine`, PyTorch compares the channels with the groups only.
        let plain = GroupNorm { num_groups: 2, num_channels: Some(4), affine: false };
        assert_eq!(plain.forward(&[6, 3]), Outcome::ok(vec![6, 3]));
        assert_eq!(plain.forward(&[5, 3]).problems.len(), 1);
        assert_eq!(GroupNorm { affine: true, ..plain }.forward(&[6, 3]).problems.len(), 1);
        let functional = GroupNorm { num_groups: 3, num_channels: None, affine: false };
        assert_eq!(functional.forward(&[10, 4]).problems.len(), 1);
        assert_eq!(functional.forward(&[9, 4]), Outcome::ok(vec![9, 4]));
    }
}
