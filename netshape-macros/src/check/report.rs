//! Problems as messages: each broken rule at its token, with the numbers that
//! disagree and where they came from.

use crate::catalog::Kind;
use crate::parse::Call;
use crate::shape::{At, PadMode, PaddingMode, Problem, MAX_SIZE, MAX_STEPS};

use super::bind::BoundCall;
use super::tensor::{join_numbers as join, shape, Tensor};
use super::Errors;
use crate::parse::Spot;

/// The name of a spatial axis of an `axes`-dimensional layer.
pub fn axis_name(axes: usize, axis: usize) -> &'static str {
    match (axes, axis) {
        (1, _) => "length",
        (2, 0) | (3, 1) => "height",
        (2, _) | (3, 2) => "width",
        _ => "depth",
    }
}

/// Reports a layer's broken rules. Problems that point at the same token and
/// break the same rule (a scalar `kernel_size` too large along both axes) are
/// one mistake: reported once, naming the other axes.
pub fn report(
    problems: &[Problem],
    kind: &Kind,
    call: &Call,
    bound: &BoundCall,
    inputs: &[Tensor],
    errors: &mut Errors,
) {
    let input = inputs.first();
    let axes = spatial_axes(kind, input);
    let mut reported: Vec<(&Problem, Vec<usize>)> = Vec::new();
    for problem in problems {
        let same = reported.iter_mut().find(|(first, _)| {
            std::mem::discriminant(*first) == std::mem::discriminant(problem)
                && bound.token(first.at()) == bound.token(problem.at())
        });
        match (same, problem.axis()) {
            (Some((_, also)), Some(axis)) => also.push(axis),
            (Some(_), None) => {}
            (None, _) => reported.push((problem, Vec::new())),
        }
    }
    for (problem, also) in reported {
        let mut message = describe(problem, kind, axes, inputs);
        if !also.is_empty() {
            let names: Vec<_> = also.iter().map(|&axis| side(problem, axes, axis)).collect();
            message.push_str(&format!("; the same along the {}", names.join(" and the ")));
        }
        errors.at_instance(bound.spot(call, problem.at()), message);
    }
}

/// How many spatial axes a layer has: its N, or the input's for `Upsample`.
fn spatial_axes(kind: &Kind, input: Option<&Tensor>) -> usize {
    match kind.axes {
        0 => input.map_or(0, |tensor| tensor.dims.len().saturating_sub(1)),
        axes => axes,
    }
}

/// The name of a problem's axis: padding counts from the last dim.
fn side(problem: &Problem, axes: usize, axis: usize) -> &'static str {
    match problem.at() {
        At::Pad(_) => axis_name(axes.max(axis + 1), axes.max(axis + 1) - 1 - axis),
        _ => axis_name(axes, axis),
    }
}

/// "kernel size 7 along the width is larger than the padded input width of 6
/// (4 from `conv1`, plus 2 padding)"
fn kernel_versus_input(
    axes: usize,
    axis: usize,
    size: usize,
    padding: usize,
    kernel: usize,
    dilation: usize,
    input: Option<&Tensor>,
) -> String {
    let side = axis_name(axes, axis);
    let covered = if dilation == 1 {
        format!("kernel size {kernel} along the {side} is larger than")
    } else {
        let extent = dilation * (kernel - 1) + 1;
        format!("kernel covers {extent} along the {side} (kernel size {kernel}, dilation {dilation}), more than")
    };
    let origin = input.map(|tensor| tensor.origin_of(axis + 1)).unwrap_or_default();
    if padding == 0 {
        format!("{covered} the input {side} of {size} ({origin})")
    } else {
        format!("{covered} the padded input {side} of {} ({size} {origin}, plus {padding} padding)", size + padding)
    }
}

/// One broken rule, with the numbers and where they came from.
fn describe(problem: &Problem, kind: &Kind, axes: usize, inputs: &[Tensor]) -> String {
    let input = inputs.first();
    let layer = kind.name;
    let side = |axis| axis_name(axes, axis);
    let explain = |axis: usize| input.map(|tensor| tensor.explain(axis)).unwrap_or_default();
    let source = input.map(|tensor| tensor.origin.source()).unwrap_or_default();
    let input_shape = input.map(|tensor| shape(&tensor.dims)).unwrap_or_default();
    match *problem {
        Problem::Rank { layout, ref found } => {
            format!("`{layer}` expects an input {layout} (batch left out), but its input is {} ({source})", shape(found))
        }
        Problem::Mismatch { arg, declared, axis, .. } => {
            let what = match arg {
                "in_channels" => "input channels".to_owned(),
                "in_features" => "input features".to_owned(),
                "num_features" | "num_channels" | "num_parameters" => format!("channels (`{arg}`)"),
                "input_size" => "features per step (`input_size`)".to_owned(),
                "embed_dim" | "d_model" => format!("features per position (`{arg}`)"),
                "kdim" | "vdim" => format!("key or value features (`{arg}`)"),
                _ => format!("as `{arg}`"),
            };
            format!("`{layer}` expects {declared} {what}, but its input has {}", explain(axis))
        }
        Problem::OperandMismatch { operand, arg, declared, axis, .. } => {
            let role = match arg {
                "kdim" => "key",
                "vdim" => "value",
                _ => "second input",
            };
            let found = inputs.get(operand).map(|tensor| tensor.explain(axis)).unwrap_or_default();
            format!("`{layer}` expects {declared} features per position in its {role} (`{arg}`), but it has {found}")
        }
        Problem::NotDivisible { arg, value, by_arg, by } => {
            format!("`{arg}` ({value}) is not divisible by `{by_arg}` ({by})")
        }
        Problem::InputNotDivisible { axis, by, arg, what, .. } => {
            format!("`{layer}` needs the input's {what} to be a multiple of {by} (from `{arg}`), but it is {}", explain(axis))
        }
        Problem::SameWithStride { stride, .. } => format!(
            "`padding = \"same\"` is not supported for strided convolutions, and `stride` is {stride}; give the padding as a number"
        ),
        Problem::KernelTooLarge { axis, input: size, padding, kernel, dilation } => {
            format!("`{layer}` {}", kernel_versus_input(axes, axis, size, padding, kernel, dilation, input))
        }
        Problem::OutputTooSmall { axis, input: size, padding, kernel, dilation, output } => format!(
            "`{layer}` {}, so its output {} would be {output}",
            kernel_versus_input(axes, axis, size, padding, kernel, dilation, input),
            side(axis)
        ),
        Problem::NoBlocks { axis, input: size, padding, kernel, dilation } => format!(
            "`{layer}` {}, so there is no block to slide",
            kernel_versus_input(axes, axis, size, padding, kernel, dilation, if layer == "Fold" { None } else { input })
        ),
        Problem::InputSmallerThanKernel { axis, input: size, kernel } => format!(
            "`{layer}` {}; `{layer}` checks the input before padding",
            kernel_versus_input(axes, axis, size, 0, kernel, 1, input)
        ),
        Problem::PaddingOverHalfKernel { axis, padding, kernel } => format!(
            "pool padding {padding} is more than half the kernel size {kernel} along the {}; PyTorch allows at most {}",
            side(axis),
            kernel / 2
        ),
        Problem::PaddingModeTooWide { axis, mode, padding, .. } => {
            let limit = if mode == PaddingMode::Reflect { "smaller than" } else { "at most" };
            format!(
                "`padding_mode = \"{}\"` needs padding {limit} the input, but the padding is {padding} and the input {} is {}",
                mode.name(),
                side(axis),
                explain(axis + 1)
            )
        }
        Problem::OutputPadding { axis, output_padding, stride, dilation } => format!(
            "`output_padding` ({output_padding}) must be smaller than `stride` ({stride}) or `dilation` ({dilation}) along the {}",
            side(axis)
        ),
        Problem::TransposedTooSmall { axis, output, .. } => format!(
            "`{layer}` would output a {} of {output} from an input {} of {}: its padding removes more than the kernel and stride add",
            side(axis),
            side(axis),
            explain(axis + 1)
        ),
        Problem::DimOutOfRange { arg, dim, batched_rank } => {
            let rank = batched_rank as i64;
            let batched = match input {
                Some(tensor) if tensor.dims.is_empty() => " [N]".to_owned(),
                Some(tensor) => format!(" [N, {}]", join(&tensor.dims, ", ")),
                None => String::new(),
            };
            format!(
                "`{arg}` {dim} is out of range for the input{batched}: dims count the batch, as in PyTorch, so `{arg}` must be from {} to {}",
                -rank,
                rank - 1
            )
        }
        Problem::TouchesBatch { arg: "start_dim" } => "`start_dim` 0 would merge the batch into the features, and netshape keeps the batch size open; flatten from dim 1 instead (`flatten(1)`, as torchvision does)".to_owned(),
        Problem::TouchesBatch { arg: "padding" } => format!(
            "`{layer}` would pad the batch dimension: its input {input_shape} has fewer dims than the padding covers, and netshape keeps the batch size open"
        ),
        Problem::TouchesBatch { arg } => format!(
            "`{arg}` selects the batch dimension (dim 0), which netshape keeps open; choose a dim of the sample (1 or more, or a negative dim)"
        ),
        Problem::FlattenOrder { start, end } => {
            format!("`start_dim` ({start}) comes after `end_dim` ({end}) for the input {input_shape} plus its batch")
        }
        Problem::ViewBatchFirst => {
            format!("the first size of `{layer}` is the batch: write `-1` or `x.size(0)` there, then the sizes of one sample")
        }
        Problem::ViewManyInferred { arg: "size", .. } => {
            "only one size can be `-1` (inferred), and a leading `-1` already stands for the batch".to_owned()
        }
        Problem::ViewManyInferred { .. } => "only one size can be `-1` (inferred)".to_owned(),
        Problem::ViewBadSize { size, .. } => format!("a size of `{layer}` must be positive or `-1`, found {size}"),
        Problem::ViewElements { arg: "size", wanted, available, inferred } => {
            if inferred {
                format!("`{layer}` cannot infer its `-1`: the input {input_shape} ({source}) has {available} elements per sample, not a multiple of {wanted}")
            } else {
                format!("`{layer}` sizes hold {wanted} elements per sample, but the input {input_shape} ({source}) has {available}")
            }
        }
        Problem::ViewElements { arg, wanted, available, inferred } => {
            if inferred {
                format!("`{arg}` cannot infer its `-1`: the dim has {available} elements, not a multiple of {wanted}")
            } else {
                format!("`{arg}` multiplies to {wanted}, but the dim it splits has {available} (input {input_shape}, {source})")
            }
        }
        Problem::NormalizedShape { ref expected, ref found } => {
            if expected.len() > found.len() {
                format!(
                    "`normalized_shape` {} has more dims than the input {} ({source}); the batch cannot be normalised over",
                    shape(expected),
                    shape(found)
                )
            } else {
                format!(
                    "`{layer}` normalises over the last dims {}, but its input {} ({source}) ends in {}",
                    shape(expected),
                    shape(found),
                    shape(&found[found.len() - expected.len()..])
                )
            }
        }
        Problem::PaddingIndex { padding_idx, num_embeddings } => format!(
            "`padding_idx` {padding_idx} is outside the table: it must be from -{num_embeddings} to {}",
            num_embeddings - 1
        ),
        Problem::ProjSize { proj_size, hidden_size } => {
            format!("`proj_size` ({proj_size}) must be smaller than `hidden_size` ({hidden_size})")
        }
        Problem::Ordered { ref lower, ref upper, strict } => {
            let order = if strict { "less than" } else { "at most" };
            format!("`{}` ({}) must be {order} `{}` ({})", lower.0, lower.1, upper.0, upper.1)
        }
        Problem::SizeOrScale { both: true } => "give `size` or `scale_factor`, not both".to_owned(),
        Problem::SizeOrScale { both: false } => format!("`{layer}` needs `size` or `scale_factor`"),
        Problem::AlignCorners { mode } => format!(
            "`align_corners` only applies to the interpolating modes (\"linear\", \"bilinear\", \"bicubic\", \"trilinear\"), not \"{mode}\"; drop it"
        ),
        Problem::ModeRank { mode, layout, ref found } => format!(
            "`{layer}` in mode \"{mode}\" expects an input {layout} (batch left out), but its input is {} ({source})",
            shape(found)
        ),
        Problem::TupleLength { arg, expected, found } => {
            format!("`{arg}` has {found} values, but the input {input_shape} has {expected} spatial dims")
        }
        Problem::UpsampleEmpty { arg, axis, input: size, output } => format!(
            "`{layer}` would output a {} of {output} from {size} (by `{arg}`); PyTorch needs every size greater than 0",
            side(axis)
        ),
        Problem::PaddedTooSmall { axis, input: size, output, least } => format!(
            "the padding would leave {output} elements of the input's {size} along the {}; it must leave at least {least}",
            self::side(problem, axes, axis)
        ),
        Problem::PadTooWide { axis, mode, padding, input: size } => {
            let (limit, what) = match mode {
                PadMode::Reflect => ("smaller than", "reflection"),
                _ => ("at most", "circular"),
            };
            format!(
                "{what} padding must be {limit} the input, but it is {padding} and the input {} is {size} ({source})",
                self::side(problem, axes, axis)
            )
        }
        Problem::FoldBlocks { expected, found } => format!(
            "`{layer}` needs {expected} blocks for its `output_size`, but its input [{}] holds {found} (its last dim)",
            input.map(|tensor| join(&tensor.dims, ", ")).unwrap_or_default()
        ),
        Problem::SingleValue { ref spatial } => format!(
            "`{layer}` normalises each channel over its {} values, but the input {input_shape} ({source}) has one value per channel; PyTorch needs more than 1",
            shape(spatial)
        ),
        Problem::Uneven { axis, pieces, .. } => format!(
            "`{layer}` cannot cut {} into {pieces} equal pieces; PyTorch would make the last one smaller, so give the sizes with `split((a, b), dim = …)`",
            explain(axis)
        ),
        Problem::ScaledTooLarge { axis, ref scale, ref output } => format!(
            "`{layer}` would scale {} by {scale} to {output}, past the largest size netshape checks ({MAX_SIZE})",
            explain(axis + 1)
        ),
        Problem::IndexOutOfRange { axis, index, size } => {
            format!("`{layer}` index {index} is out of range for {}: it takes -{size}..{size}", explain(axis))
        }
        Problem::TooManyPieces { pieces } => {
            format!("`{layer}` would make {pieces} tensors; netshape follows at most {MAX_STEPS}")
        }
        Problem::Sections { axis, total, .. } => {
            format!("`{layer}` sections add up to {total}, but the dim they split is {}", explain(axis))
        }
        Problem::Permutation { ref found, rank } => format!(
            "`{layer}` needs a permutation of the {rank} dims (batch included) that keeps the batch, dim 0, first; found {found:?}"
        ),
        Problem::Pieces { count } => format!(
            "`{layer}` gives {count} tensors; bind them with `let (a, b, …) = {layer}(…)`"
        ),
        Problem::Broadcast { .. } | Problem::Cat { .. } => format!("`{layer}` operands do not fit"),
        Problem::Conflict { arg, with, reason } => format!("`{arg}` cannot be used with `{with}`: {reason}"),
        Problem::AttentionBias => "`MultiheadAttention` with `bias = false` fails in PyTorch 1.13 when it runs without gradients (its native fast path needs `in_proj_bias`); keep the biases".to_owned(),
    }
}

/// A join whose operands do not fit: the error points at the operand that
/// differs and names both shapes.
pub fn join_problem(problem: &Problem, kind: &str, operands: &[Tensor], spots: &[Spot], at: Spot, errors: &mut Errors) {
    let message = match *problem {
        Problem::Broadcast { operand, ref left, ref right, axis } => {
            let first = &operands[0];
            let reason = match axis {
                None => {
                    "their ranks differ, and a lower rank would line the batch up with a sample's dimension".to_owned()
                }
                Some(axis) => format!(
                    "dim {} is {} on one side and {} on the other, and neither is 1",
                    axis + 1,
                    left[axis],
                    right[axis]
                ),
            };
            format!(
                "`{kind}` cannot broadcast {} with operand {} of {} ({}): {reason}",
                first.describe(),
                operand + 1,
                shape(right),
                operands[operand].origin.source()
            )
        }
        Problem::Cat { operand, ref first, ref other, axis } if axis == usize::MAX => format!(
            "`{kind}` stacks tensors of one shape, but operand {} is {} ({}) and the first {}",
            operand + 1,
            shape(other),
            operands[operand].origin.source(),
            shape(first)
        ),
        Problem::Cat { operand, ref first, ref other, axis } => format!(
            "`{kind}` along dim {} needs every other dim equal, but operand {} is {} ({}) and the first {} ({})",
            axis + 1,
            operand + 1,
            shape(other),
            operands[operand].origin.source(),
            shape(first),
            operands[0].origin.source()
        ),
        Problem::TouchesBatch { .. } => format!(
            "`{kind}` along dim 0 would join along the batch, which netshape keeps open; channels are `dim = 1`"
        ),
        Problem::DimOutOfRange { dim, batched_rank, .. } => format!(
            "`dim` {dim} is out of range for the operands {} plus their batch: it must be from {} to {}",
            shape(&operands[0].dims),
            -(batched_rank as i64),
            batched_rank - 1
        ),
        _ => format!("`{kind}` cannot join these operands"),
    };
    let spot = match *problem {
        Problem::Broadcast { operand, .. } | Problem::Cat { operand, .. } => spots.get(operand).copied().unwrap_or(at),
        _ => at,
    };
    errors.at_instance(spot, message);
}
