//! `Upsample` (and `F.interpolate`), `PixelShuffle`, `PixelUnshuffle`, `ChannelShuffle`.

use super::{require_rank, Outcome, Problem};

/// One value for every spatial axis, or one each.
#[derive(Clone, Debug, PartialEq)]
pub enum Scale<T> {
    All(T),
    Each(Vec<T>),
}

impl<T: Copy> Scale<T> {
    /// The value for each of `axes` axes, or the tuple's length if it is wrong.
    fn spread(&self, axes: usize) -> Result<Vec<T>, usize> {
        match self {
            Scale::All(value) => Ok(vec![*value; axes]),
            Scale::Each(values) if values.len() == axes => Ok(values.clone()),
            Scale::Each(values) => Err(values.len()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpsampleMode {
    Nearest,
    NearestExact,
    Area,
    Linear,
    Bilinear,
    Bicubic,
    Trilinear,
}

impl UpsampleMode {
    pub fn name(self) -> &'static str {
        match self {
            UpsampleMode::Nearest => "nearest",
            UpsampleMode::NearestExact => "nearest-exact",
            UpsampleMode::Area => "area",
            UpsampleMode::Linear => "linear",
            UpsampleMode::Bilinear => "bilinear",
            UpsampleMode::Bicubic => "bicubic",
            UpsampleMode::Trilinear => "trilinear",
        }
    }

    /// The mode as the `mode` argument.
    fn argument(self) -> &'static str {
        match self {
            UpsampleMode::Nearest => "mode = \"nearest\"",
            UpsampleMode::NearestExact => "mode = \"nearest-exact\"",
            UpsampleMode::Area => "mode = \"area\"",
            UpsampleMode::Linear => "mode = \"linear\"",
            UpsampleMode::Bilinear => "mode = \"bilinear\"",
            UpsampleMode::Bicubic => "mode = \"bicubic\"",
            UpsampleMode::Trilinear => "mode = \"trilinear\"",
        }
    }

    fn interpolates(self) -> bool {
        matches!(self, UpsampleMode::Linear | UpsampleMode::Bilinear | UpsampleMode::Bicubic | UpsampleMode::Trilinear)
    }

    /// The input ranks (batch left out) the mode takes.
    fn ranks(self) -> (usize, usize, &'static str) {
        match self {
            UpsampleMode::Nearest | UpsampleMode::NearestExact | UpsampleMode::Area => {
                (2, 4, "[C, L], [C, H, W] or [C, D, H, W]")
            }
            UpsampleMode::Linear => (2, 2, "[C, L]"),
            UpsampleMode::Bilinear | UpsampleMode::Bicubic => (3, 3, "[C, H, W]"),
            UpsampleMode::Trilinear => (4, 4, "[C, D, H, W]"),
        }
    }
}

/// `Upsample(size, scale_factor, mode, align_corners, recompute_scale_factor)`,
/// `F.interpolate(…, antialias)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Upsample {
    pub size: Option<Scale<usize>>,
    pub scale_factor: Option<Scale<f64>>,
    pub mode: UpsampleMode,
    pub align_corners: Option<bool>,
    pub recompute_scale_factor: bool,
    pub antialias: bool,
}

impl Upsample {
    pub fn validate(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        match (&self.size, &self.scale_factor) {
            (Some(_), Some(_)) => problems.push(Problem::SizeOrScale { both: true }),
            (None, None) => problems.push(Problem::SizeOrScale { both: false }),
            _ => {}
        }
        if self.align_corners.is_some() && !self.mode.interpolates() {
            problems.push(Problem::AlignCorners { mode: self.mode.name() });
        }
        if self.recompute_scale_factor && self.size.is_some() {
            problems.push(Problem::Conflict {
                arg: "recompute_scale_factor",
                with: "size",
                reason: "PyTorch recomputes only a scale it is given as `scale_factor`; drop it",
            });
        }
        if self.antialias && !matches!(self.mode, UpsampleMode::Bilinear | UpsampleMode::Bicubic) {
            problems.push(Problem::Conflict {
                arg: "antialias",
                with: self.mode.argument(),
                reason: "PyTorch antialiases only in the \"bilinear\" and \"bicubic\" modes",
            });
        }
        problems
    }

    pub fn forward(&self, input: &[usize]) -> Outcome {
        let (least, most, layout) = self.mode.ranks();
        if !(least..=most).contains(&input.len()) {
            let found = input.to_vec();
            return Outcome::failed(Problem::ModeRank { mode: self.mode.name(), layout, found });
        }
        let axes = input.len() - 1;
        let spatial = &input[1..];
        let sizes: Result<Vec<(usize, &'static str)>, Problem> = match (&self.size, &self.scale_factor) {
            (Some(size), _) => size
                .spread(axes)
                .map(|sizes| sizes.into_iter().map(|size| (size, "size")).collect())
                .map_err(|found| Problem::TupleLength { arg: "size", expected: axes, found }),
            (None, Some(scale)) => scale
                .spread(axes)
                // PyTorch multiplies in double precision and truncates.
                .map(|scales| {
                    spatial
                        .iter()
                        .zip(scales)
                        .map(|(&size, scale)| ((size as f64 * scale) as usize, "scale_factor"))
                        .collect()
                })
                .map_err(|found| Problem::TupleLength { arg: "scale_factor", expected: axes, found }),
            (None, None) => return Outcome::failed(Problem::SizeOrScale { both: false }),
        };
        let sizes = match sizes {
            Ok(sizes) => sizes,
            Err(problem) => return Outcome::failed(problem),
        };
        // A scale past every size netshape checks, said with its own number
        // rather than the integer it saturates to.
        if let (None, Some(scale)) = (&self.size, &self.scale_factor) {
            if let Ok(scales) = scale.spread(axes) {
                let past = spatial.iter().zip(scales).enumerate().find(|(_, (&size, scale))| {
                    !(size as f64 * scale).is_finite() || size as f64 * scale > super::MAX_SIZE as f64
                });
                if let Some((axis, (&size, scale))) = past {
                    let output = format!("{:e}", size as f64 * scale);
                    let scale = if scale.abs() < 1e6 { format!("{scale}") } else { format!("{scale:e}") };
                    return Outcome::failed(Problem::ScaledTooLarge { axis, scale, output });
                }
            }
        }
        // "area" is an adaptive average pool to the sizes a scale gives,
        // which may be 0; the other modes refuse an empty output.
        let least = if self.mode == UpsampleMode::Area { 0 } else { 1 };
        let problems: Vec<_> = sizes
            .iter()
            .enumerate()
            .filter(|(_, (size, _))| *size < least)
            .map(|(axis, &(output, arg))| Problem::UpsampleEmpty { arg, axis, input: spatial[axis], output })
            .collect();
        let mut output = vec![input[0]];
        output.extend(sizes.iter().map(|(size, _)| size));
        Outcome::unless(output, problems)
    }
}

/// `[*, C × r², H, W]` → `[*, C, H × r, W × r]`.
pub fn pixel_shuffle(input: &[usize], factor: usize) -> Outcome {
    if let Err(problem) = require_rank(input, 3.., "[*, C, H, W]") {
        return Outcome::failed(problem);
    }
    let channel = input.len() - 3;
    let square = factor * factor;
    if !input[channel].is_multiple_of(square) {
        return Outcome::failed(Problem::InputNotDivisible {
            axis: channel,
            size: input[channel],
            by: square,
            arg: "upscale_factor",
            what: "channels (by the factor squared)",
        });
    }
    let mut output = input.to_vec();
    output[channel] /= square;
    output[channel + 1] *= factor;
    output[channel + 2] *= factor;
    Outcome::ok(output)
}

/// `[*, C, H × r, W × r]` → `[*, C × r², H, W]`.
pub fn pixel_unshuffle(input: &[usize], factor: usize) -> Outcome {
    if let Err(problem) = require_rank(input, 3.., "[*, C, H, W]") {
        return Outcome::failed(problem);
    }
    let channel = input.len() - 3;
    let problems: Vec<_> = [(channel + 1, "height"), (channel + 2, "width")]
        .into_iter()
        .filter(|&(axis, _)| !input[axis].is_multiple_of(factor))
        .map(|(axis, what)| Problem::InputNotDivisible {
            axis,
            size: input[axis],
            by: factor,
            arg: "downscale_factor",
            what,
        })
        .collect();
    let mut output = input.to_vec();
    output[channel] *= factor * factor;
    output[channel + 1] /= factor;
    output[channel + 2] /= factor;
    Outcome::unless(output, problems)
}

/// Shuffles `[C, *]`'s channels in `groups`; the shape is kept.
pub fn channel_shuffle(input: &[usize], groups: usize) -> Outcome {
    if let Err(problem) = require_rank(input, 2.., "[C, *] (at least 2 dims)") {
        return Outcome::failed(problem);
    }
    if !input[0].is_multiple_of(groups) {
        return Outcome::failed(Problem::InputNotDivisible {
            axis: 0,
            size: input[0],
            by: groups,
            arg: "groups",
            what: "channels",
        });
    }
    Outcome::ok(input.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upsample(size: Option<Scale<usize>>, scale_factor: Option<Scale<f64>>, mode: UpsampleMode) -> Upsample {
        Upsample { size, scale_factor, mode, align_corners: None, recompute_scale_factor: false, antialias: false }
    }

    #[test]
    fn upsample_by_size_or_factor() {
        let nearest = upsample(Some(Scale::All(26)), None, UpsampleMode::Nearest);
        assert_eq!(nearest.forward(&[2, 2, 16]), Outcome::ok(vec![2, 26, 26]));
        let factor = upsample(None, Some(Scale::All(2.5)), UpsampleMode::Bilinear);
        assert_eq!(factor.forward(&[3, 5, 7]), Outcome::ok(vec![3, 12, 17]));
        let halve = upsample(None, Some(Scale::All(0.5)), UpsampleMode::Nearest);
        assert_eq!(halve.forward(&[2, 1, 12]).problems.len(), 1);
        // "area" pools adaptively, to nothing if the scale says so.
        let area = upsample(None, Some(Scale::All(0.4)), UpsampleMode::Area);
        assert_eq!(area.forward(&[2, 2, 3]), Outcome::ok(vec![2, 0, 1]));
        assert_eq!(factor.forward(&[3, 5]).output, None);
        assert_eq!(upsample(Some(Scale::All(2)), Some(Scale::All(2.0)), UpsampleMode::Nearest).validate().len(), 1);
        let recompute = Upsample { recompute_scale_factor: true, ..nearest.clone() };
        assert_eq!(recompute.validate().len(), 1);
        assert!(Upsample { antialias: true, ..factor.clone() }.validate().is_empty());
        assert_eq!(Upsample { antialias: true, ..nearest }.validate().len(), 1);
    }

    #[test]
    fn shuffles() {
        assert_eq!(pixel_shuffle(&[12, 5, 1], 2), Outcome::ok(vec![3, 10, 2]));
        assert_eq!(pixel_shuffle(&[7, 3, 3], 2).problems.len(), 1);
        assert_eq!(pixel_unshuffle(&[3, 4, 6], 2), Outcome::ok(vec![12, 2, 3]));
        assert_eq!(channel_shuffle(&[8, 3, 3], 3).problems.len(), 1);
    }
}
