//! Calling a leaf: a layer or function of the catalog. Its arguments are
//! bound to its PyTorch signature, its shape arithmetic runs on its inputs,
//! and it is recorded: its rows, its `state_dict` entries, its typed field and
//! its program step.

use std::collections::BTreeMap;

use syn::Attribute;

use crate::catalog::{self, Kind, KINDS};
use crate::parse::{self, Call, Spot};
use crate::shape::{self, too_large, Dtype, Extra, Op, Outcome, Stored, MAX_MULT_ADDS};
use crate::suggest::did_you_mean;

use super::tensor::{follow, Flow, Tensor};
use super::{bind, report, Computation, Errors, Module, Producer, Row, Scope, StateKey, TypedField, Walk};

/// What a leaf's row records beside its shapes.
#[derive(Clone, Copy)]
struct Flags {
    /// Its parameters are not trainable.
    frozen: bool,
    /// It writes over its input (`inplace = true`).
    inplace: bool,
    /// Its output shares its input's memory.
    view: bool,
}

pub(super) fn resolve_kind(
    call: &Call,
    blocks: &BTreeMap<String, &parse::Block>,
    errors: &mut Errors,
) -> Option<&'static Kind> {
    let name = call.kind.to_string();
    if let Some(kind) = catalog::find(&name) {
        return Some(kind);
    }
    // Prefer a suggestion of the same form: modules are CamelCase, functions snake_case.
    let camel = name.starts_with(|c: char| c.is_ascii_uppercase());
    let blocks = blocks.keys().map(String::as_str);
    let same_form = KINDS.iter().filter(|kind| kind.functional != camel).map(|kind| kind.name);
    let every = KINDS.iter().map(|kind| kind.name).chain(blocks.clone());
    let close = did_you_mean(&name, same_form.chain(blocks)).or_else(|| did_you_mean(&name, every));
    let what = if camel { "layer" } else { "function" };
    let hint = match close {
        Some(close) => format!("; did you mean `{close}`?"),
        None => "; see the README for the layers netshape knows".to_owned(),
    };
    errors.at(Spot::of(&call.kind), format!("unknown {what} `{name}`{hint}"));
    None
}

/// The step's name in messages: "`conv1`", "`max_pool2d`".
/// How a layer reads where a message says where a size came from: its full
/// path, with its kind when the path ends in a number (`Conv2d` at
/// `features.0.0`); a function by its name.
fn display_name(path: &str, kind: &str) -> String {
    match path.rsplit('.').next() {
        Some("") | None => format!("`{kind}`"),
        Some(last) if last.starts_with(|c: char| c.is_ascii_digit()) => format!("`{kind}` at `{path}`"),
        Some(_) => format!("`{path}`"),
    }
}

impl<'a> Walk<'a, '_> {
    pub(super) fn call(
        &mut self,
        call: &'a Call,
        name: Option<(String, &'a syn::Ident)>,
        docs: &[&'a Attribute],
        scope: &mut Scope<'a>,
        inputs: Vec<Flow>,
        frozen: bool,
    ) -> Flow {
        if let Some(block) = self.blocks.get(&call.kind.to_string()).copied() {
            return self.block(block, call, name, scope, inputs, frozen);
        }
        // While the layer is checked, errors name it by its full path.
        let outer = self.errors.layer.take();
        let output = self.call_layer(call, name, docs, scope, inputs, frozen);
        self.errors.layer = outer;
        output
    }

    fn call_layer(
        &mut self,
        call: &'a Call,
        name: Option<(String, &'a syn::Ident)>,
        docs: &[&'a Attribute],
        scope: &mut Scope<'a>,
        inputs: Vec<Flow>,
        frozen: bool,
    ) -> Flow {
        let kind = resolve_kind(call, self.blocks, self.errors);
        if let (Some((_, ident)), Some(kind)) = (&name, kind.filter(|kind| kind.functional)) {
            self.errors.at(
                Spot::of(*ident),
                format!("`{}` is a function and owns no module, so it takes no name; drop `{ident}:` or use the module form", kind.name),
            );
        }
        let kind = kind?;
        let path = if kind.functional {
            String::new()
        } else {
            self.claim(name.as_ref().map(|(name, ident)| (name.as_str(), *ident)), scope)
        };
        let display = display_name(&path, kind.name);
        self.errors.layer = (!path.is_empty()).then(|| path.clone());
        let frozen = frozen || scope.frozen;
        let Some(bound) = bind::bind(kind, call, &scope.env, self.errors) else {
            // Without its arguments a layer's output is unknown, unless it keeps
            // the shape whatever they are.
            let empty = catalog::Args { axes: kind.axes, values: Vec::new(), scalars: Vec::new() };
            return inputs.into_iter().next().flatten().filter(|_| (kind.build)(&empty).keeps_shape());
        };
        let op = (kind.build)(&bound.args);
        if let (Some((name, _)), false) = (&name, kind.functional) {
            let inplace = bound.args.flag("inplace");
            let module =
                Module::Leaf { kind, op: op.clone(), args: bound.args.clone(), path: path.clone(), frozen, inplace };
            scope.modules.insert(name.clone(), module);
        }
        let problems = op.validate();
        report::report(&problems, kind, call, &bound, &[], self.errors);
        let first = inputs.first().cloned().flatten();
        if !problems.is_empty() {
            return first.filter(|_| op.keeps_shape());
        }
        let inplace = bound.args.flag("inplace");
        let module = (bound.rendered.clone(), docs);
        self.run_leaf(kind, &op, call, &bound, &path, &display, inputs, frozen, Some(module), inplace)
    }

    /// Runs a leaf module or function on its inputs and records it.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn run_leaf(
        &mut self,
        kind: &'static Kind,
        op: &Op,
        call: &Call,
        bound: &bind::BoundCall,
        path: &str,
        display: &str,
        inputs: Vec<Flow>,
        frozen: bool,
        field: Option<(String, &[&'a Attribute])>,
        inplace: bool,
    ) -> Flow {
        if !op.arity().iter().any(|names| names.len() == inputs.len()) {
            let wanted: Vec<_> = op
                .arity()
                .iter()
                .map(|names| {
                    let list: Vec<_> = names.iter().map(|name| format!("`{name}`")).collect();
                    match names {
                        [_] => "1 input".to_owned(),
                        _ => format!("{} inputs ({})", names.len(), list.join(", ")),
                    }
                })
                .collect();
            let given = if inputs.len() == 1 {
                "the chain gives it one".to_owned()
            } else {
                format!("it is given {}", inputs.len())
            };
            let names = op.arity()[0].join(", ");
            self.errors.at_instance(
                Spot::of(&call.kind),
                format!(
                    "`{}` takes {}, but {given}; pass them after the call: `{}(…)({names})`",
                    kind.name,
                    wanted.join(" or "),
                    kind.name
                ),
            );
            return None;
        }
        let inputs: Vec<Tensor> = inputs.into_iter().collect::<Option<_>>()?;
        let (called, per_head) = self.attention_call(kind, op)?;
        let op = &called;
        let before = self.errors.count();
        check_dtype(kind, op, call, &inputs[0], self.errors);
        let mut dims: Vec<&[usize]> = inputs.iter().map(|tensor| tensor.dims.as_slice()).collect();
        // `attention(x, x, x)`: one tensor thrice is self-attention, as PyTorch
        // tells (its fast path takes it, and fails without biases).
        if matches!(op, Op::Attention(_)) && inputs.iter().all(|tensor| tensor.value == inputs[0].value) {
            dims.truncate(1);
        }
        let outcome = op.forward(&dims);
        report::report(&outcome.problems, kind, call, bound, &inputs, self.errors);
        let Outcome { output, mut extra, children, .. } = outcome;
        let output = output?;
        if per_head {
            let Op::Attention(attention) = op else { unreachable!("only attention has weights per head") };
            for weights in &mut extra {
                weights.dims.insert(0, attention.num_heads);
            }
        }
        if self.too_large(kind, call, op, &inputs, &output, &extra) {
            return None;
        }
        // A stack's layers count as steps of their own.
        if !children.is_empty() && !self.spend(Spot::of(&call.kind), children.len()) {
            return None;
        }
        if self.errors.count() != before {
            let (producer, value) = (inputs[0].producer, inputs[0].value);
            return Some(follow(&inputs[0], &output, op, display.to_owned(), producer, false, value));
        }
        // Whether the output shares the input's memory, and is a transposed view.
        let (view, strided) = op.layout(kind.name, inputs[0].strided);
        let flags = Flags { frozen, inplace, view };
        let producer = self.record_leaf(kind, op, path, &inputs, &output, extra, children, field, flags);
        if let Producer::Row(row) = producer {
            let spot = Spot::of(&call.kind);
            self.spots[row] = Some((spot, self.allowed.clone()));
            self.lint_leaf(row, op, &inputs[0], spot);
        }
        let computation = Computation::Leaf { kind, op: op.clone(), args: bound.args.clone() };
        let operands: Vec<&Tensor> = inputs.iter().collect();
        let value = self.record_step(computation, &operands, vec![output.clone()], path, Spot::of(&call.kind));
        if let Producer::Row(row) = producer {
            self.rows[row].value = Some(value);
        }
        Some(follow(&inputs[0], &output, op, display.to_owned(), producer, strided, value))
    }

    /// The keyword arguments a call passes with its tensors, which only
    /// `MultiheadAttention` takes: `need_weights = false` (no weights) and
    /// `average_attn_weights = false` (one map per head). The op as the call
    /// runs it and whether the weights are per head; `None` after an error.
    fn attention_call(&mut self, kind: &Kind, op: &Op) -> Option<(Op, bool)> {
        let args = std::mem::take(&mut self.call_args);
        let mut op = op.clone();
        let mut per_head = false;
        let mut ok = true;
        for arg in args {
            let key = arg.key.as_ref().map(ToString::to_string).unwrap_or_default();
            let Op::Attention(attention) = &mut op else {
                let message = format!(
                    "`{}` takes no keyword arguments with its tensors; give its settings in `{}(…)`",
                    kind.name, kind.name
                );
                self.errors.at(Spot::of(&arg.key), message);
                return None;
            };
            let Some(flag) = self.flag_argument(arg) else {
                ok = false;
                continue;
            };
            match key.as_str() {
                "need_weights" => attention.need_weights = flag,
                "average_attn_weights" => per_head = !flag,
                _ => {
                    let message = format!(
                        "`{}` takes `need_weights` and `average_attn_weights` with its tensors, not `{key}`",
                        kind.name
                    );
                    self.errors.at(Spot::of(&arg.key), message);
                    ok = false;
                }
            }
        }
        ok.then_some((op, per_head))
    }

    /// A call argument's boolean value, or an error at it.
    fn flag_argument(&mut self, arg: &parse::Arg) -> Option<bool> {
        match crate::eval::Constants::default().evaluate(&arg.value) {
            Ok(crate::eval::Valued { value: crate::eval::Value::Bool(flag), .. }) => Some(flag),
            Ok(valued) => {
                self.errors.at(valued.spot, format!("expected `true` or `false`, found {}", valued.value.describe()));
                None
            }
            Err(error) => {
                self.errors.push(error);
                None
            }
        }
    }

    /// Whether the layer's output, further outputs or stored tensors are past
    /// what netshape checks; reported at the call.
    fn too_large(
        &mut self,
        kind: &Kind,
        call: &Call,
        op: &Op,
        inputs: &[Tensor],
        output: &[usize],
        extra: &[Extra],
    ) -> bool {
        let outputs = std::iter::once(("output".to_owned(), output))
            .chain(extra.iter().map(|extra| ("further output".to_owned(), extra.dims.as_slice())));
        let stored = op.stored();
        let tensors = outputs.chain(stored.iter().map(|tensor| (format!("`{}`", tensor.name), tensor.dims.as_slice())));
        for (what, dims) in tensors {
            if let Some(why) = too_large(dims) {
                self.errors
                    .at_instance(Spot::of(&call.kind), format!("`{}`'s {what} would be {dims:?}: {why}", kind.name));
                return true;
            }
        }
        let dims: Vec<&[usize]> = inputs.iter().map(|tensor| tensor.dims.as_slice()).collect();
        let (mult_adds, bias_adds) = op.mult_adds(&dims, output);
        if mult_adds.max(bias_adds) > MAX_MULT_ADDS {
            let message = format!(
                "`{}` would make more than 2^50 = {MAX_MULT_ADDS} multiply-accumulates a sample; netshape checks layers up to that",
                kind.name
            );
            self.errors.at_instance(Spot::of(&call.kind), message);
            return true;
        }
        false
    }

    /// Writes out a leaf's rows (its children's, then its own), and the first
    /// time it runs, its `state_dict` entries and typed field; returns its row.
    #[allow(clippy::too_many_arguments)]
    fn record_leaf(
        &mut self,
        kind: &'static Kind,
        op: &Op,
        path: &str,
        inputs: &[Tensor],
        output: &[usize],
        extra: Vec<Extra>,
        children: Vec<shape::Row>,
        field: Option<(String, &[&'a Attribute])>,
        flags: Flags,
    ) -> Producer {
        let Flags { frozen, inplace, view } = flags;
        let depth = self.rows_depth(path);
        let input = &inputs[0];
        // A composite's children run in a chain from its input.
        let mut previous = input.producer;
        let trainable = |count: usize| if frozen { 0 } else { count };
        for child in children {
            let Owned { params, buffers, raw, uncalled } = owned(&child.stored);
            previous = self.push_row(Row {
                path: format!("{path}.{}", child.path),
                kind: child.kind.to_owned(),
                depth: depth + child.depth,
                sources: vec![previous],
                input: child.input,
                output: child.output,
                extra: child.extra,
                params,
                trainable: trainable(params),
                buffers,
                raw_params: raw,
                raw_trainable: trainable(raw),
                uncalled_params: uncalled,
                uncalled_trainable: trainable(uncalled),
                container: child.container,
                ..Row::default()
            });
        }
        let Owned { params, buffers, raw, uncalled } = owned(&op.own_stored());
        let dims: Vec<&[usize]> = inputs.iter().map(|tensor| tensor.dims.as_slice()).collect();
        let (mult_adds, bias_adds) = op.mult_adds(&dims, output);
        let class = self.class.take().unwrap_or_else(|| kind.name.to_owned());
        let row = self.push_row(Row {
            path: path.to_owned(),
            kind: class,
            functional: kind.functional,
            depth,
            sources: inputs.iter().map(|tensor| tensor.producer).collect(),
            input: input.dims.clone(),
            output: output.to_vec(),
            extra,
            params,
            trainable: trainable(params),
            buffers,
            raw_params: raw,
            raw_trainable: trainable(raw),
            uncalled_params: uncalled,
            uncalled_trainable: trainable(uncalled),
            kernel: op.kernel(),
            groups: op.groups(),
            view,
            mult_adds,
            bias_adds,
            inplace,
            field: op.receptive_field(&input.dims, output, &input.field).unwrap_or_default(),
            ..Row::default()
        });
        if kind.functional || !self.registering {
            return row;
        }
        let stored = op.stored();
        for tensor in &stored {
            self.state.push(StateKey {
                key: format!("{path}.{}", tensor.name),
                dims: tensor.dims.clone(),
                buffer: tensor.buffer,
                trainable: !frozen,
            });
        }
        if let (false, Some((call, docs))) = (stored.is_empty(), field) {
            let name = self.field_name(path);
            self.fields.push(TypedField {
                name,
                docs: docs.to_vec(),
                op: op.clone(),
                path: path.to_owned(),
                call,
                input: input.dims.clone(),
                output: output.to_vec(),
                stored,
            });
        }
        row
    }
}

fn counts(stored: &[Stored]) -> (usize, usize) {
    let params = stored.iter().filter(|stored| !stored.buffer).map(Stored::numel).sum();
    let buffers = stored.iter().filter(|stored| stored.buffer).map(Stored::numel).sum();
    (params, buffers)
}

/// A module's parameters as PyTorch's views count them: its own (not those
/// of a child module it holds but never calls, as `MultiheadAttention` holds
/// `out_proj`), of those the ones torchsummary leaves out (not named
/// `weight` or `bias`), and the uncalled children's.
struct Owned {
    params: usize,
    buffers: usize,
    raw: usize,
    uncalled: usize,
}

fn owned(stored: &[Stored]) -> Owned {
    let (direct, nested): (Vec<Stored>, Vec<Stored>) =
        stored.iter().cloned().partition(|stored| !stored.name.contains('.'));
    let (params, buffers) = counts(&direct);
    let raw = direct
        .iter()
        .filter(|stored| !stored.buffer && stored.name != "weight" && stored.name != "bias")
        .map(Stored::numel)
        .sum();
    Owned { params, buffers, raw, uncalled: counts(&nested).0 }
}

fn check_dtype(kind: &Kind, op: &Op, call: &Call, input: &Tensor, errors: &mut Errors) {
    let message = match (op.input_dtype(), input.dtype) {
        (Some(Dtype::Index), Dtype::Float) => format!(
            "`{}` looks up indices, but its input holds floats ({}); declare an index input as `input: [...] as i64`",
            kind.name,
            input.origin.source()
        ),
        (Some(Dtype::Float), Dtype::Index) => format!(
            "`{}` needs floating-point input, but its input holds indices ({}); an `Embedding` turns indices into vectors",
            kind.name,
            input.origin.source()
        ),
        _ => return,
    };
    errors.at_instance(Spot::of(&call.kind), message);
}
