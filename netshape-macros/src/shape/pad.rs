//! `ZeroPad2d`, `ConstantPad1d/2d/3d`, `ReflectionPad1d/2d/3d`,
//! `ReplicationPad1d/2d/3d`, `CircularPad1d/2d/3d` and `F.pad`.

use super::{require_rank, Outcome, Problem};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PadMode {
    Constant,
    Reflect,
    Replicate,
    Circular,
}

/// Padding of the last `pads.len() / 2` dims, given as PyTorch does: the last
/// dim's (before, after) first, then the one before it. Negative values crop.
#[derive(Clone, Debug, PartialEq)]
pub struct Pad {
    pub mode: PadMode,
    pub pads: Vec<i64>,
    /// `F.pad`'s fill `value`, if given.
    pub value: Option<f64>,
}

impl Pad {
    /// `F.pad` refuses a fill value other than 0 for the modes that do not fill.
    pub fn validate(&self) -> Vec<Problem> {
        match self.value {
            Some(value) if value != 0.0 && self.mode != PadMode::Constant => vec![Problem::Conflict {
                arg: "value",
                with: self.mode.argument(),
                reason: "only a constant pad fills with a value; drop it",
            }],
            _ => Vec::new(),
        }
    }

    pub fn forward(&self, input: &[usize]) -> Outcome {
        let axes = self.pads.len() / 2;
        let rank = input.len();
        // A constant pad takes any rank; the others take PyTorch's batched or
        // unbatched layouts.
        if self.mode == PadMode::Constant {
            // Padding that would reach the batch is refused, unless it is zero.
            let reaches_batch = (rank..axes).any(|axis| self.pads[2 * axis] != 0 || self.pads[2 * axis + 1] != 0);
            if reaches_batch || axes > rank + 1 {
                return Outcome::failed(Problem::TouchesBatch { arg: "padding" });
            }
        } else if axes > 3 {
            return Outcome::failed(Problem::Conflict {
                arg: "pad",
                with: self.mode.argument(),
                reason: "PyTorch pads at most the last 3 dims in every mode but \"constant\"",
            });
        } else if self.mode == PadMode::Circular {
            // PyTorch 1.13's `_pad_circular` takes only the batched layout.
            if let Err(problem) = require_rank(input, axes + 1..=axes + 1, super::conv::layout(axes)) {
                return Outcome::failed(problem);
            }
        } else if let Err(problem) = require_rank(input, axes..=axes + 1, LAYOUTS[axes.clamp(1, 3) - 1]) {
            return Outcome::failed(problem);
        }
        let padded: Vec<(usize, usize, i64)> = (0..axes.min(rank))
            .map(|axis| {
                let dim = rank - 1 - axis;
                (axis, input[dim], input[dim] as i64 + self.pads[2 * axis] + self.pads[2 * axis + 1])
            })
            .collect();
        let mut problems = Vec::new();
        let mut too_wide = Vec::new();
        for &(axis, size, _) in &padded {
            let widest = self.pads[2 * axis].max(self.pads[2 * axis + 1]);
            let wide = match self.mode {
                PadMode::Reflect => widest >= size as i64,
                PadMode::Circular => widest > size as i64,
                PadMode::Constant | PadMode::Replicate => false,
            };
            if wide {
                problems.push(Problem::PadTooWide { axis, mode: self.mode, padding: widest, input: size });
                too_wide.push(axis);
            }
        }
        // PyTorch 1.13's limits: a constant pad that only crops may leave an
        // axis empty, one that also pads may not; a circular pad may leave
        // an axis empty; reflection and replication need their one axis
        // non-empty in 1d, and in 2d and 3d only one of their axes (their
        // check joins the axes with "or").
        let crops_only = self.pads.iter().all(|&pad| pad <= 0);
        let least = match self.mode {
            PadMode::Constant if crops_only => 0,
            PadMode::Circular => 0,
            PadMode::Reflect | PadMode::Replicate if axes > 1 => {
                if padded.iter().all(|&(_, _, output)| output < 1) {
                    1
                } else {
                    0
                }
            }
            _ => 1,
        };
        for &(axis, size, output) in padded.iter().filter(|(axis, ..)| !too_wide.contains(axis)) {
            let (before, after) = (self.pads[2 * axis], self.pads[2 * axis + 1]);
            // What is left of the input after both crops.
            let kept = size as i64 + before.min(0) + after.min(0);
            let fits = match self.mode {
                // `constant_pad_nd` narrows the input before it pads: a crop
                // past the input fails even if the other side pads it back.
                PadMode::Constant => kept >= 0,
                // `_pad_circular` copies the cropped input into the padded
                // one; the slices match only if the crops leave something,
                // or in a few degenerate cases (whose output is garbage).
                PadMode::Circular => output < 0 || circular_fits(size as i64, before, after),
                PadMode::Reflect | PadMode::Replicate => true,
            };
            if !fits {
                problems.push(Problem::PaddedTooSmall { axis, input: size, output: kept, least: 0 });
            } else if output < least {
                problems.push(Problem::PaddedTooSmall { axis, input: size, output, least });
            }
        }
        let mut output = input.to_vec();
        for &(axis, _, padded) in &padded {
            output[rank - 1 - axis] = padded.max(0) as usize;
        }
        Outcome::unless(output, problems)
    }
}

const LAYOUTS: [&str; 3] = ["[C, L] or [L]", "[C, H, W] or [H, W]", "[C, D, H, W] or [D, H, W]"];

impl PadMode {
    /// The mode as `F.pad`'s argument.
    pub fn argument(self) -> &'static str {
        match self {
            PadMode::Constant => "mode = \"constant\"",
            PadMode::Reflect => "mode = \"reflect\"",
            PadMode::Replicate => "mode = \"replicate\"",
            PadMode::Circular => "mode = \"circular\"",
        }
    }
}

/// The length of `x[start:end]` along a dim of `size`, as ATen's `slice`
/// wraps negative ends and clamps.
fn slice_len(size: i64, start: i64, end: i64) -> i64 {
    let start = if start < 0 { start + size } else { start }.clamp(0, size);
    let end = if end < 0 { end + size } else { end }.clamp(start, size);
    end - start
}

/// Whether PyTorch 1.13's `_pad_circular` can pad an axis of `size` by
/// `before` and `after` (each at most `size`, the output not negative): it
/// copies the cropped input into the middle of the output, then the wrapped
/// ends, and each copy needs slices of one length (or a source of 1, which
/// broadcasts).
fn circular_fits(size: i64, before: i64, after: i64) -> bool {
    let out = size + before + after;
    let copies = |destination: i64, source: i64| destination == source || source == 1;
    let (pad_before, pad_after) = (before.max(0), after.max(0));
    let middle =
        copies(slice_len(out, pad_before, out - pad_after), slice_len(size, (-before).max(0), size - (-after).max(0)));
    let left =
        before <= 0 || copies(slice_len(out, 0, before), slice_len(out, out - before - pad_after, out - pad_after));
    let right = after <= 0 || copies(slice_len(out, out - after, out), slice_len(out, pad_before, pad_before + after));
    middle && left && right
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pad(mode: PadMode, pads: &[i64]) -> Pad {
        Pad { mode, pads: pads.to_vec(), value: None }
    }

    #[test]
    fn pads_the_last_dims_first() {
        // ZeroPad2d-1-1200 of the fixture: (left 3, right 0, top 0, bottom 1).
        assert_eq!(pad(PadMode::Constant, &[3, 0, 0, 1]).forward(&[2, 11, 11]), Outcome::ok(vec![2, 12, 14]));
        assert_eq!(pad(PadMode::Constant, &[-1, -2, 0, 0]).forward(&[3, 4, 5]), Outcome::ok(vec![3, 4, 2]));
    }

    #[test]
    fn reflection_must_stay_inside_the_input() {
        assert_eq!(pad(PadMode::Reflect, &[2, 2]).forward(&[3, 3]), Outcome::ok(vec![3, 7]));
        assert_eq!(pad(PadMode::Reflect, &[3, 3]).forward(&[3, 3]).problems.len(), 1);
        assert_eq!(pad(PadMode::Circular, &[5, 0, 0, 0]).forward(&[3, 4, 5]), Outcome::ok(vec![3, 4, 10]));
    }

    #[test]
    fn pytorchs_limits_on_empty_results() {
        // ZeroPad2d-x-0 of the extra fixture: cropping to nothing is allowed.
        assert_eq!(pad(PadMode::Constant, &[-3, -2, 0, 0]).forward(&[3, 4, 5]), Outcome::ok(vec![3, 4, 0]));
        // ZeroPad2d-x-2: not when something is also padded.
        assert_eq!(pad(PadMode::Constant, &[-1, 0, 2, -1]).forward(&[5, 2, 1, 1]).output, None);
        // ReflectionPad2d-x-10 and ReflectionPad1d-x-3.
        assert_eq!(pad(PadMode::Reflect, &[-1; 4]).forward(&[2, 6]), Outcome::ok(vec![0, 4]));
        assert_eq!(pad(PadMode::Reflect, &[-1, -1]).forward(&[2]).output, None);
    }

    #[test]
    fn a_crop_past_the_input_fails_even_if_padded_back() {
        // ConstantPad1d-e-3 and ZeroPad2d-e-4 of the edge fixture.
        let crop = pad(PadMode::Constant, &[-4, 2]).forward(&[2, 3]);
        assert_eq!(crop.problems, vec![Problem::PaddedTooSmall { axis: 0, input: 3, output: -1, least: 0 }]);
        assert_eq!(pad(PadMode::Constant, &[3, -4, 0, 0]).forward(&[1, 2, 3]).output, None);
        // Cropping all of it and padding one back is fine.
        assert_eq!(pad(PadMode::Constant, &[-3, 1]).forward(&[2, 3]), Outcome::ok(vec![2, 1]));
    }

    #[test]
    fn circular_padding_as_pytorch_1_13_copies_it() {
        // Only the batched layout; an axis may be emptied.
        assert_eq!(pad(PadMode::Circular, &[1, 1]).forward(&[5]).output, None);
        assert_eq!(pad(PadMode::Circular, &[0, -2]).forward(&[1, 2]), Outcome::ok(vec![1, 0]));
        // Crops past the input fail where the slices PyTorch copies differ…
        assert_eq!(
            pad(PadMode::Circular, &[3, -5]).forward(&[1, 4]).problems,
            vec![Problem::PaddedTooSmall { axis: 0, input: 4, output: -1, least: 0 }]
        );
        // …and run (on garbage) where they happen to match.
        assert_eq!(pad(PadMode::Circular, &[-3, 2]).forward(&[1, 2]), Outcome::ok(vec![1, 1]));
        assert_eq!(pad(PadMode::Circular, &[-1, 2]).forward(&[1, 4]), Outcome::ok(vec![1, 5]));
    }

    #[test]
    fn only_a_constant_pad_takes_a_value_or_more_than_three_dims() {
        let valued = |mode, value| Pad { value: Some(value), ..pad(mode, &[1, 1]) };
        assert_eq!(valued(PadMode::Reflect, 1.0).validate().len(), 1);
        assert!(valued(PadMode::Replicate, 0.0).validate().is_empty());
        assert!(valued(PadMode::Constant, 2.5).validate().is_empty());
        assert_eq!(pad(PadMode::Reflect, &[1; 8]).forward(&[2, 3, 3, 3]).output, None);
        assert_eq!(pad(PadMode::Constant, &[1; 8]).forward(&[2, 3, 3, 3]), Outcome::ok(vec![4, 5, 5, 5]));
    }

    #[test]
    fn a_constant_pad_must_not_reach_the_batch() {
        assert_eq!(
            pad(PadMode::Constant, &[1; 6]).forward(&[3, 4]).problems,
            vec![Problem::TouchesBatch { arg: "padding" }]
        );
    }
}
