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
}

impl Pad {
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
        for &(axis, size, _) in &padded {
            let widest = self.pads[2 * axis].max(self.pads[2 * axis + 1]);
            let too_wide = match self.mode {
                PadMode::Reflect => widest >= size as i64,
                PadMode::Circular => widest > size as i64,
                PadMode::Constant | PadMode::Replicate => false,
            };
            if too_wide {
                problems.push(Problem::PadTooWide { axis, mode: self.mode, padding: widest, input: size });
            }
        }
        // PyTorch 1.13's limits: a constant pad that only crops may leave an
        // axis empty, one that also pads may not; reflection and replication
        // need their one axis non-empty in 1d, and in 2d and 3d only one of
        // their axes (their check joins the axes with "or").
        let crops_only = self.pads.iter().all(|&pad| pad <= 0);
        let least = match self.mode {
            PadMode::Constant if crops_only => 0,
            PadMode::Reflect | PadMode::Replicate if axes > 1 => {
                if padded.iter().all(|&(_, _, output)| output < 1) {
                    1
                } else {
                    0
                }
            }
            _ => 1,
        };
        for &(axis, size, output) in &padded {
            if output < least {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pad(mode: PadMode, pads: &[i64]) -> Pad {
        Pad { mode, pads: pads.to_vec() }
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
    fn a_constant_pad_must_not_reach_the_batch() {
        assert_eq!(
            pad(PadMode::Constant, &[1; 6]).forward(&[3, 4]).problems,
            vec![Problem::TouchesBatch { arg: "padding" }]
        );
    }
}
