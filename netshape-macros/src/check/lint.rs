//! The warnings: what deserves a second look though it breaks no rule, each
//! silenced with `#[allow(netshape::NAME)]` on the layer, its block or its
//! network. A lint that would fire on famous, correct networks is off unless
//! asked for with `#[warn(netshape::NAME)]`.

use syn::Attribute;

use crate::parse::Spot;
use crate::shape::Op;
use crate::suggest::did_you_mean;

use super::tensor::Tensor;
use super::{report, Errors, Producer, Walk};

/// A compile-time warning: a lint, where, and why.
pub struct Warning {
    pub lint: &'static str,
    pub spot: Spot,
    pub message: String,
}

/// The warnings netshape gives, each silenced with `#[allow(netshape::NAME)]`
/// on the layer, its block or its network.
const LINTS: &[&str] = &[
    "uncovered_input",
    "receptive_field_exceeds_input",
    "upsampling_adaptive_pool",
    "dropout_before_softmax",
    "bias_before_norm",
];

/// Lints that are off unless a `#[warn(netshape::…)]` turns them on: a
/// receptive field past the input is what every deep classifier has (ResNet-18's
/// reaches 435 pixels on 224), and what a squeeze-and-excitation gate computes
/// after its global pool.
const OFF_BY_DEFAULT: &[&str] = &["receptive_field_exceeds_input"];

/// `#[warn(netshape::NAME)]`, as it reads in the list of allowed lints: the
/// name after a `+`. The innermost of `NAME` and `+NAME` wins.
const TURNED_ON: &[&str] = &["+receptive_field_exceeds_input"];

/// Whether `lint` is off where `allowed` (outer scopes first) applies.
fn silenced(lint: &str, allowed: &[&'static str]) -> bool {
    let last = allowed.iter().rev().find(|entry| entry.strip_prefix('+').unwrap_or(entry) == lint);
    match last {
        Some(entry) => !entry.starts_with('+'),
        None => OFF_BY_DEFAULT.contains(&lint),
    }
}

/// The netshape lints `#[allow(netshape::…)]` attributes name, and as `+NAME`
/// those `#[warn(netshape::…)]` turns on; reports unknown ones.
pub(super) fn allowed_lints(attrs: &[Attribute], errors: &mut Errors) -> Vec<&'static str> {
    let mut allowed = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("allow") || attr.path().is_ident("warn")) {
        let turn_on = attr.path().is_ident("warn");
        let _ = attr.parse_nested_meta(|meta| {
            let path = &meta.path;
            let is_ours = path.segments.len() == 2 && path.segments[0].ident == "netshape";
            if !is_ours {
                return Ok(());
            }
            let name = path.segments[1].ident.to_string();
            match LINTS.iter().find(|lint| **lint == name) {
                Some(lint) if turn_on => {
                    allowed.extend(TURNED_ON.iter().find(|entry| entry[1..] == **lint));
                    // Every other lint is on already.
                }
                Some(lint) => allowed.push(*lint),
                None => {
                    let hint = did_you_mean(&name, LINTS.iter().copied()).map_or_else(
                        || format!("; the lints are {}", LINTS.join(", ")),
                        |close| format!("; did you mean `{close}`?"),
                    );
                    errors.at(Spot::of(path), format!("unknown netshape lint `{name}`{hint}"));
                }
            }
            Ok(())
        });
    }
    allowed
}

/// A layer as a warning names it: by its path, with its kind where the path is
/// only a number (`` `features.0` (`Conv2d`) ``).
fn layer_display(path: &str, kind: &str) -> String {
    match path.rsplit('.').next() {
        Some("") | None => format!("`{kind}`"),
        Some(last) if last.bytes().all(|byte| byte.is_ascii_digit()) => format!("`{path}` (`{kind}`)"),
        Some(_) => format!("`{path}`"),
    }
}

impl<'a> Walk<'a, '_> {
    /// A warning at `spot`, unless its lint is allowed there.
    fn warn(&mut self, lint: &'static str, spot: Spot, allowed: &[&'static str], message: String) {
        // Once per lint and place: a block's lint is the same for every call.
        let place = format!("{:?}", spot.start);
        let repeated =
            self.warnings.iter().any(|warning| warning.lint == lint && format!("{:?}", warning.spot.start) == place);
        if !silenced(lint, allowed) && !repeated {
            self.warnings.push(Warning { lint, spot, message });
        }
    }

    /// The lints a step can raise when it is recorded: windows its stride
    /// makes skip input, an adaptive pool that upsamples, a receptive field
    /// past the input, a bias that the batch norm after it cancels.
    pub(super) fn lint_leaf(&mut self, row: usize, op: &Op, input: &Tensor, spot: Spot) {
        let allowed = self.allowed.clone();
        let (name, kind) = (self.rows[row].path.clone(), self.rows[row].kind.clone());
        let display = layer_display(&name, &kind);
        let axes = input.dims.len().saturating_sub(1);
        for unread in op.unread_input(&input.dims, &self.rows[row].output) {
            // Rows a constant pad just added, zeros, are no loss.
            let zeros = input.padded_after.get(unread.axis + 1).copied().unwrap_or(0);
            if unread.at_end_only && unread.count <= zeros {
                continue;
            }
            let axis = report::axis_name(axes, unread.axis);
            let what = match (unread.at_end_only, unread.count) {
                (true, 1) => "the last row".to_owned(),
                (true, count) => format!("the last {count} rows"),
                (false, 1) => "a row".to_owned(),
                (false, count) => format!("{count} rows"),
            };
            let how = if unread.at_end_only {
                "its windows stop short of the end"
            } else {
                "its stride steps over rows between windows"
            };
            let message = format!(
                "{display} never reads {what} along the {axis} of its input, {}: {how}; adjust the kernel, stride or padding, or crop the input; silence with `#[allow(netshape::uncovered_input)]`",
                input.explain(unread.axis + 1)
            );
            self.warn("uncovered_input", spot, &allowed, message);
        }
        if let Op::AdaptivePool(_) = op {
            let output = &self.rows[row].output;
            if let Some(axis) = (1..output.len()).find(|&axis| output[axis] > input.dims[axis]) {
                let message = format!(
                    "{display} upsamples: it outputs {} along the {} from {}, repeating values; silence with `#[allow(netshape::upsampling_adaptive_pool)]`",
                    output[axis],
                    report::axis_name(axes, axis - 1),
                    input.dims[axis]
                );
                self.warn("upsampling_adaptive_pool", spot, &allowed, message);
            }
        }
        if !self.field_warned && matches!(op, Op::Conv(_) | Op::Pool(_)) {
            let spatial = self.network_input.get(1..).unwrap_or_default().to_vec();
            let field = self.rows[row].field.clone();
            if let Some((axis, size)) = field
                .iter()
                .zip(&spatial)
                .enumerate()
                .find(|(_, (field, size))| field.size > **size as f64)
                .map(|(axis, (field, _))| (axis, field.size))
            {
                self.field_warned = true;
                let message = format!(
                    "from {display} on, a unit sees more than the whole input: its receptive field spans {size} pixels along the {}, more than the input's {}; silence with `#[allow(netshape::receptive_field_exceeds_input)]`",
                    report::axis_name(spatial.len(), axis),
                    spatial[axis]
                );
                self.warn("receptive_field_exceeds_input", spot, &allowed, message);
            }
        }
        if kind.starts_with("BatchNorm") {
            if let Some(Producer::Row(source)) = self.rows[row].sources.first().copied() {
                let conv = &self.rows[source];
                if conv.kind.starts_with("Conv") && conv.bias_adds > 0 {
                    if let Some((conv_spot, conv_allowed)) = self.spots[source].clone() {
                        let message = format!(
                            "{} has a bias, but {display} right after it subtracts the mean, which cancels the bias: write `bias = false`; silence with `#[allow(netshape::bias_before_norm)]`",
                            layer_display(&conv.path, &conv.kind)
                        );
                        self.warn("bias_before_norm", conv_spot, &conv_allowed, message);
                    }
                }
            }
        }
    }

    /// A dropout right before the softmax that gives an output.
    pub(super) fn dropout_before_softmax(&mut self, output: Producer) {
        let Producer::Row(row) = output else { return };
        if !matches!(self.rows[row].kind.as_str(), "Softmax" | "LogSoftmax" | "softmax" | "log_softmax") {
            return;
        }
        let Some(Producer::Row(source)) = self.rows[row].sources.first().copied() else { return };
        if !self.rows[source].kind.to_lowercase().starts_with("dropout") {
            return;
        }
        if let Some((spot, allowed)) = self.spots[source].clone() {
            let display = layer_display(&self.rows[source].path, &self.rows[source].kind);
            let message = format!(
                "{display} comes right before the output's softmax: dropping scores at the very end only adds noise to the probabilities; put it before the last linear layer; silence with `#[allow(netshape::dropout_before_softmax)]`"
            );
            self.warn("dropout_before_softmax", spot, &allowed, message);
        }
    }
}
