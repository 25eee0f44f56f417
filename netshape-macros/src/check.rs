//! Stage 3: the rules. Binds each call's arguments to its PyTorch signature,
//! runs the shape arithmetic layer by layer, and turns every broken rule into
//! an error at the smallest offending token that gives the numbers and where
//! they came from. Errors are collected, so one build reports every independent
//! mistake; after a mistake whose consequences are unknown, later layers are
//! checked only for their own arguments, so one root cause gives one error.

use std::collections::BTreeSet;
use std::fmt::{self, Display};

use crate::catalog::{self, Args, Bound, Fallback, Kind, Param, Ty, KINDS};
use crate::eval::{Constants, Value, Valued};
use crate::parse::{self, Call, Entry, Source, Spot};
use crate::shape::{At, Dims, Op, Problem, Stored, ViewSize};
use crate::suggest::did_you_mean;

/// A `network!` invocation whose every rule holds.
pub struct Checked<'a> {
    pub constants: Vec<(&'a parse::Constant, i64)>,
    pub networks: Vec<Network<'a>>,
}

pub struct Network<'a> {
    pub def: &'a parse::Network,
    pub input: Dims,
    pub output: Dims,
    pub steps: Vec<Step<'a>>,
}

/// One checked entry of a network.
pub struct Step<'a> {
    pub entry: &'a Entry,
    pub kind: &'static Kind,
    /// The `state_dict` prefix: the entry's name, or its index among the modules.
    pub path: String,
    /// The call as written, with constants evaluated: `Conv2d(1, 10, kernel_size = 5)`.
    pub call: String,
    pub op: Op,
    pub input: Dims,
    pub output: Dims,
    pub stored: Vec<Stored>,
}

impl Step<'_> {
    pub fn params(&self) -> usize {
        self.stored.iter().filter(|stored| !stored.buffer).map(Stored::numel).sum()
    }

    pub fn buffers(&self) -> usize {
        self.stored.iter().filter(|stored| stored.buffer).map(Stored::numel).sum()
    }
}

/// Collects errors so that all of them are reported together.
#[derive(Default)]
pub struct Errors {
    list: Vec<syn::Error>,
}

impl Errors {
    pub fn at(&mut self, spot: Spot, message: impl Display) {
        self.list.push(spot.error(message));
    }

    pub fn push(&mut self, error: syn::Error) {
        self.list.push(error);
    }

    pub fn count(&self) -> usize {
        self.list.len()
    }

    pub fn combined(self) -> Option<syn::Error> {
        self.list.into_iter().reduce(|mut all, error| {
            all.combine(error);
            all
        })
    }
}

pub fn check(source: &Source) -> Result<Checked<'_>, syn::Error> {
    let mut errors = Errors::default();
    let mut constants = Constants::default();
    let mut checked = Checked { constants: Vec::new(), networks: Vec::new() };
    let mut declared = BTreeSet::new();
    for item in &source.items {
        match item {
            parse::Item::Constant(constant) => {
                if let Some(value) = check_constant(constant, &constants, &mut errors) {
                    constants.define(constant.name.to_string(), value);
                    checked.constants.push((constant, value));
                }
            }
            parse::Item::Network(network) => {
                if !declared.insert(network.name.to_string()) {
                    errors.at(Spot::of(&network.name), format!("network `{}` is declared twice", network.name));
                }
                if let Some(network) = check_network(network, &constants, &mut errors) {
                    checked.networks.push(network);
                }
            }
        }
    }
    match errors.combined() {
        None => Ok(checked),
        Some(error) => Err(error),
    }
}

fn check_constant(constant: &parse::Constant, constants: &Constants, errors: &mut Errors) -> Option<i64> {
    if let Some(ty) = &constant.ty {
        let is_usize = matches!(ty, syn::Type::Path(path) if path.qself.is_none() && path.path.is_ident("usize"));
        if !is_usize {
            errors.at(Spot::of(ty), "a `network!` constant is a size: its type is `usize`");
        }
    }
    if constants.get(&constant.name.to_string()).is_some() {
        errors.at(Spot::of(&constant.name), format!("constant `{}` is declared twice", constant.name));
        return None;
    }
    match constants.evaluate(&constant.value) {
        Ok(Valued { value: Value::Int(value), .. }) if value >= 0 => Some(value),
        Ok(Valued { value, spot }) => {
            errors.at(
                spot,
                format!("constant `{}` must be a non-negative integer, found {}", constant.name, value.describe()),
            );
            None
        }
        Err(error) => {
            errors.push(error);
            None
        }
    }
}

/// Where a tensor's shape came from, for explaining numbers in errors.
#[derive(Clone)]
struct Tensor {
    dims: Dims,
    /// The step that last changed the shape, as it reads in a message.
    origin: Origin,
    /// For a dimension a reshape made by merging others, those others.
    factors: Vec<Option<Dims>>,
}

#[derive(Clone)]
enum Origin {
    Input,
    Step(String),
}

impl Tensor {
    /// A dimension's value and its story: "320 (20 × 4 × 4 after `view`)".
    fn explain(&self, axis: usize) -> String {
        match &self.factors[axis] {
            Some(factors) => format!("{} ({} after {})", self.dims[axis], join(factors, " × "), self.origin),
            None => format!("{} ({})", self.dims[axis], self.origin.source()),
        }
    }

    /// A dimension's story alone: "from `conv1`", "= 20 × 4 × 4 after `view`".
    fn origin_of(&self, axis: usize) -> String {
        match &self.factors[axis] {
            Some(factors) => format!("= {} after {}", join(factors, " × "), self.origin),
            None => self.origin.source(),
        }
    }
}

impl Origin {
    fn source(&self) -> String {
        match self {
            Origin::Input => "from `input`".to_owned(),
            Origin::Step(name) => format!("from {name}"),
        }
    }
}

impl Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Input => f.write_str("`input`"),
            Origin::Step(name) => f.write_str(name),
        }
    }
}

fn join(values: &[usize], separator: &str) -> String {
    values.iter().map(usize::to_string).collect::<Vec<_>>().join(separator)
}

fn shape(dims: &[usize]) -> String {
    format!("[{}]", join(dims, ", "))
}

fn check_network<'a>(def: &'a parse::Network, constants: &Constants, errors: &mut Errors) -> Option<Network<'a>> {
    let before = errors.count();
    let input = check_input(def, constants, errors);
    if def.entries.is_empty() {
        errors.at(Spot::of(&def.name), format!("network `{}` has no layers; add at least one after `input`", def.name));
        return None;
    }
    let mut tensor = input.clone().map(|dims| Tensor { factors: vec![None; dims.len()], dims, origin: Origin::Input });
    let mut names = BTreeSet::new();
    let mut steps = Vec::new();
    let mut modules = 0usize;
    for entry in &def.entries {
        let kind = resolve_kind(&entry.call, errors);
        if let Some(name) = &entry.name {
            if !names.insert(name.to_string()) {
                errors.at(
                    Spot::of(name),
                    format!("layer name `{name}` is already used in `{}`; each module needs its own name", def.name),
                );
            }
            if let Some(kind) = kind.filter(|kind| kind.functional) {
                errors.at(
                    Spot::of(name),
                    format!(
                        "`{}` is a function and owns no module, so it takes no name; drop `{name}:` or use the module form",
                        kind.name
                    ),
                );
            }
        }
        let Some(kind) = kind else {
            tensor = None;
            continue;
        };
        let path = match &entry.name {
            Some(name) => name.to_string(),
            None => modules.to_string(),
        };
        if !kind.functional {
            modules += 1;
        }
        let display = match (&entry.name, kind.functional) {
            (Some(name), false) => format!("`{name}`"),
            _ => format!("`{}`", kind.name),
        };
        let Some(bound) = bind(kind, &entry.call, constants, errors) else {
            // Without its arguments a layer's output is unknown, unless it keeps the shape whatever they are.
            let keeps_shape = (kind.build)(&Args { axes: kind.axes, values: Vec::new() }) == Op::Elementwise;
            if !keeps_shape {
                tensor = None;
            }
            continue;
        };
        let op = (kind.build)(&bound.args);
        let problems = op.validate();
        let mut failed = !problems.is_empty();
        report(&problems, kind, &entry.call, &bound, None, errors);
        let Some(current) = tensor.take().filter(|_| !failed) else {
            continue;
        };
        let outcome = op.forward(&current.dims);
        report(&outcome.problems, kind, &entry.call, &bound, Some(&current), errors);
        failed |= !outcome.problems.is_empty();
        let Some(output) = outcome.output else {
            continue;
        };
        tensor = Some(follow(&current, &output, &op, display));
        if !failed {
            steps.push(Step {
                entry,
                kind,
                stored: op.stored(),
                path,
                call: bound.rendered,
                op,
                input: current.dims,
                output,
            });
        }
    }
    let input = input?;
    let output = tensor?.dims;
    if output.len() > MAX_RANK {
        let last = &def.entries[def.entries.len() - 1].call.kind;
        errors.at(
            Spot::of(last),
            format!(
                "the network's output {} has {} dims; netshape types tensors of at most {MAX_RANK}",
                shape(&output),
                output.len()
            ),
        );
    }
    (errors.count() == before).then_some(Network { def, input, output, steps })
}

/// The tensor after a step: its provenance is kept while the shape is.
fn follow(before: &Tensor, output: &[usize], op: &Op, display: String) -> Tensor {
    if before.dims == output {
        return before.clone();
    }
    let factors = match op {
        Op::Flatten(_) | Op::View(_) => merged_factors(&before.dims, output),
        _ => vec![None; output.len()],
    };
    Tensor { dims: output.to_vec(), origin: Origin::Step(display), factors }
}

/// For each output dimension that is the product of several consecutive input
/// dimensions, those dimensions.
fn merged_factors(input: &[usize], output: &[usize]) -> Vec<Option<Dims>> {
    let mut factors = Vec::with_capacity(output.len());
    let mut next = 0;
    for &size in output {
        let start = next;
        let mut product = 1usize;
        while next < input.len() && (product < size || next == start) {
            product = product.saturating_mul(input[next]);
            next += 1;
        }
        let group = &input[start..next];
        factors.push((product == size && group.len() > 1).then(|| group.to_vec()));
        if product != size {
            factors.resize(output.len(), None);
            break;
        }
    }
    factors
}

fn check_input(def: &parse::Network, constants: &Constants, errors: &mut Errors) -> Option<Dims> {
    let Some(decl) = &def.input else {
        errors.push(syn::Error::new(
            def.brace.span.open(),
            format!("network `{}` needs its input shape first, batch left out, e.g. `input: [1, 28, 28],`", def.name),
        ));
        return None;
    };
    if decl.dims.is_empty() {
        errors.push(syn::Error::new(
            decl.bracket.span.join(),
            "the input shape is empty; give its sizes without the batch, e.g. `input: [1, 28, 28]`",
        ));
        return None;
    }
    let mut dims = Vec::new();
    for expr in &decl.dims {
        match constants.evaluate(expr) {
            Ok(Valued { value: Value::Int(size), .. }) if size > 0 => dims.push(size as usize),
            Ok(Valued { value, spot }) => {
                errors.at(spot, format!("an input size must be a positive integer, found {}", value.describe()))
            }
            Err(error) => errors.push(error),
        }
    }
    if dims.len() > MAX_RANK {
        errors.push(syn::Error::new(
            decl.bracket.span.join(),
            format!("the input has {} dims; netshape types tensors of at most {MAX_RANK}", dims.len()),
        ));
        return None;
    }
    (dims.len() == decl.dims.len()).then_some(dims)
}

/// The highest rank with a typed tensor marker (`netshape::Tensor8`).
const MAX_RANK: usize = 8;

fn resolve_kind(call: &Call, errors: &mut Errors) -> Option<&'static Kind> {
    let name = call.kind.to_string();
    if let Some(kind) = catalog::find(&name) {
        return Some(kind);
    }
    // Prefer a suggestion of the same form: modules are CamelCase, functions snake_case.
    let camel = name.starts_with(|c: char| c.is_ascii_uppercase());
    let same_form = KINDS.iter().filter(|kind| kind.functional != camel).map(|kind| kind.name);
    let close = did_you_mean(&name, same_form).or_else(|| did_you_mean(&name, KINDS.iter().map(|kind| kind.name)));
    let what = if camel { "layer" } else { "function" };
    let hint = match close {
        Some(close) => format!("; did you mean `{close}`?"),
        None => "; see the README for the layers netshape knows".to_owned(),
    };
    errors.at(Spot::of(&call.kind), format!("unknown {what} `{name}`{hint}"));
    None
}

/// Where each bound argument was written, for pointing at it.
struct Site {
    name: &'static str,
    whole: Spot,
    items: Vec<Spot>,
}

struct BoundCall {
    args: Args,
    sites: Vec<Site>,
    rendered: String,
}

impl BoundCall {
    /// Which written token an `At` resolves to: the argument and, for a tuple
    /// written out, the item; `None` for the layer's name.
    fn token(&self, at: At) -> Option<(&'static str, Option<usize>)> {
        let site = |name: &str| self.sites.iter().find(|site| site.name == name);
        match at {
            At::Layer => None,
            At::Arg(name) => site(name).map(|site| (site.name, None)),
            At::Axis(name, axis) => site(name).map(|site| (site.name, (axis < site.items.len()).then_some(axis))),
        }
    }

    fn spot(&self, call: &Call, at: At) -> Spot {
        let site = |name: &str| self.sites.iter().find(|site| site.name == name);
        match at {
            At::Layer => Spot::of(&call.kind),
            At::Arg(name) => site(name).map_or(Spot::of(&call.kind), |site| site.whole),
            At::Axis(name, axis) => {
                site(name).map_or(Spot::of(&call.kind), |site| site.items.get(axis).copied().unwrap_or(site.whole))
            }
        }
    }
}

/// Matches a call's arguments to its signature, as Python does, and checks each
/// value's type. Returns `None` after reporting any mistake.
fn bind(kind: &'static Kind, call: &Call, constants: &Constants, errors: &mut Errors) -> Option<BoundCall> {
    let before = errors.count();
    // An argument that was misspelt or failed to evaluate was meant for some
    // parameter: reporting that parameter missing too would repeat the mistake.
    let mut unusable = false;
    let mut given: Vec<Option<Valued>> = vec![None; kind.params.len()];
    let mut rendered = Vec::new();
    let mut positional: Vec<Valued> = Vec::new();
    for arg in &call.args {
        let value = match constants.evaluate(&arg.value) {
            Ok(value) => value,
            Err(error) => {
                errors.push(error);
                unusable = true;
                continue;
            }
        };
        rendered.push(match &arg.key {
            Some(key) => format!("{key} = {}", render(&value.value)),
            None => render(&value.value),
        });
        if kind.open {
            continue;
        }
        let Some(key) = &arg.key else {
            positional.push(value);
            continue;
        };
        let Some(index) = kind.params.iter().position(|param| key == param.name) else {
            errors.at(Spot::of(key), unknown_argument(kind, &key.to_string()));
            unusable = true;
            continue;
        };
        if given[index].is_some() {
            errors.at(Spot::of(key), format!("argument `{key}` is given twice"));
            continue;
        }
        given[index] = Some(value);
    }
    if !kind.open {
        assign_positional(kind, positional, &mut given, errors);
    }
    let mut args = Args { axes: kind.axes, values: Vec::new() };
    let mut sites = Vec::new();
    for (param, value) in kind.params.iter().zip(given) {
        let bound = match value {
            Some(value) => {
                let items = match &value.value {
                    Value::Tuple(items) => items.iter().map(|item| item.spot).collect(),
                    _ => Vec::new(),
                };
                sites.push(Site { name: param.name, whole: value.spot, items });
                convert(kind, param, &value, errors)
            }
            None if unusable && matches!(param.default, Fallback::Required) => None,
            None => default(kind, param, call, &args, errors),
        };
        if let Some(bound) = bound {
            args.values.push((param.name, bound));
        }
    }
    (errors.count() == before).then(|| BoundCall {
        args,
        sites,
        rendered: format!("{}({})", kind.name, rendered.join(", ")),
    })
}

fn assign_positional(kind: &'static Kind, positional: Vec<Valued>, given: &mut [Option<Valued>], errors: &mut Errors) {
    // `view(-1, 320)`: every positional argument is one size.
    if let Some(index) = kind.params.iter().position(|param| matches!(param.ty, Ty::ViewSizes)) {
        if positional.is_empty() {
            return;
        }
        if given[index].is_some() {
            errors.at(positional[0].spot, format!("argument `{}` is given twice", kind.params[index].name));
            return;
        }
        let single_tuple = positional.len() == 1 && matches!(positional[0].value, Value::Tuple(_));
        let spot = Spot { start: positional[0].spot.start, end: positional[positional.len() - 1].spot.end };
        let value = if single_tuple {
            positional.into_iter().next().map(|value| value.value).unwrap_or(Value::None)
        } else {
            Value::Tuple(positional)
        };
        given[index] = Some(Valued { value, spot });
        return;
    }
    let count = positional.len();
    for (index, value) in positional.into_iter().enumerate() {
        let Some(param) = kind.params.get(index) else {
            let names: Vec<_> = kind.params.iter().map(|param| format!("`{}`", param.name)).collect();
            let takes = match names.len() {
                0 => format!("`{}` takes no arguments", kind.name),
                n => format!("`{}` takes at most {n} positional arguments ({})", kind.name, names.join(", ")),
            };
            errors.at(value.spot, format!("unexpected argument: {takes}, but {count} were given"));
            return;
        };
        if given[index].is_some() {
            errors.at(value.spot, format!("argument `{}` is given twice, by position and by name", param.name));
            continue;
        }
        given[index] = Some(value);
    }
}

fn unknown_argument(kind: &Kind, key: &str) -> String {
    let names = kind.params.iter().map(|param| param.name);
    match did_you_mean(key, names) {
        Some(close) => format!("`{}` has no argument `{key}`; did you mean `{close}`?", kind.name),
        None if kind.params.is_empty() => format!("`{}` takes no arguments", kind.name),
        None => {
            let all: Vec<_> = kind.params.iter().map(|param| format!("`{}`", param.name)).collect();
            format!("`{}` has no argument `{key}`; it takes {}", kind.name, all.join(", "))
        }
    }
}

fn default(kind: &Kind, param: &Param, call: &Call, bound: &Args, errors: &mut Errors) -> Option<Bound> {
    match param.default {
        Fallback::Required => {
            errors.push(syn::Error::new(
                call.paren.span.join(),
                format!("`{}` is missing its required argument `{}`", kind.name, param.name),
            ));
            None
        }
        Fallback::Int(value) => Some(match param.ty {
            Ty::Sizes | Ty::Paddings | Ty::ConvPadding => Bound::Axes(vec![value as usize; kind.axes]),
            _ => Bound::Int(value),
        }),
        Fallback::Bool(value) => Some(Bound::Bool(value)),
        Fallback::Str(text) => Some(Bound::Text(text.to_owned())),
        Fallback::Number(value) => Some(Bound::Number(value)),
        Fallback::None => Some(Bound::None),
        Fallback::KernelSize => {
            bound.values.iter().find(|(name, _)| *name == "kernel_size").map(|(_, kernel)| kernel.clone())
        }
    }
}

/// Checks a value against its parameter's type and spreads ints over the axes.
fn convert(kind: &Kind, param: &Param, valued: &Valued, errors: &mut Errors) -> Option<Bound> {
    let name = param.name;
    let fail = |errors: &mut Errors, spot: Spot, expected: String, found: &Value| {
        errors.at(spot, format!("`{name}` expects {expected}, found {}", found.describe()));
        None
    };
    let optional = matches!(param.default, Fallback::None | Fallback::KernelSize);
    if matches!(valued.value, Value::None) && (optional || matches!(param.ty, Ty::Number)) {
        return match param.default {
            Fallback::KernelSize => None,
            _ => Some(Bound::None),
        };
    }
    match param.ty {
        Ty::Count => match valued.value {
            Value::Int(value) if value > 0 => Some(Bound::Int(value)),
            Value::Int(value) => {
                errors.at(valued.spot, format!("`{name}` must be positive, found {value}"));
                None
            }
            ref other => fail(errors, valued.spot, "a positive integer".to_owned(), other),
        },
        Ty::Sizes | Ty::Paddings => {
            let least = if matches!(param.ty, Ty::Sizes) { 1 } else { 0 };
            per_axis(kind, param, valued, least, errors)
                .map(|sizes| Bound::Axes(sizes.into_iter().map(|size| size.unwrap_or(0)).collect()))
        }
        Ty::ConvPadding => match &valued.value {
            Value::Str(text) if text == "same" || text == "valid" => Some(Bound::Text(text.clone())),
            Value::Str(text) => {
                errors.at(
                    valued.spot,
                    format!("`padding` expects an integer, a tuple, \"same\" or \"valid\", found {text:?}"),
                );
                None
            }
            _ => per_axis(kind, param, valued, 0, errors)
                .map(|sizes| Bound::Axes(sizes.into_iter().map(|size| size.unwrap_or(0)).collect())),
        },
        Ty::OutputSizes => per_axis(kind, param, valued, 1, errors).map(Bound::OptionalAxes),
        Ty::Bool => match valued.value {
            Value::Bool(value) => Some(Bound::Bool(value)),
            ref other => fail(errors, valued.spot, "`true` or `false`".to_owned(), other),
        },
        Ty::MustBeFalse(reason) => match valued.value {
            Value::Bool(false) => Some(Bound::Bool(false)),
            Value::Bool(true) => {
                errors.at(valued.spot, reason);
                None
            }
            ref other => fail(errors, valued.spot, "`true` or `false`".to_owned(), other),
        },
        Ty::Number => match valued.value {
            Value::Int(value) => Some(Bound::Number(value as f64)),
            Value::Float(value) => Some(Bound::Number(value)),
            ref other => fail(errors, valued.spot, "a number".to_owned(), other),
        },
        Ty::Probability => {
            let value = match valued.value {
                Value::Int(value) => value as f64,
                Value::Float(value) => value,
                ref other => return fail(errors, valued.spot, "a probability from 0 to 1".to_owned(), other),
            };
            if (0.0..=1.0).contains(&value) {
                Some(Bound::Number(value))
            } else {
                errors.at(valued.spot, format!("`{name}` is a probability and must be from 0 to 1, found {value}"));
                None
            }
        }
        Ty::Choice(choices) => match &valued.value {
            Value::Str(text) if choices.contains(&text.as_str()) => Some(Bound::Text(text.clone())),
            other => {
                let listed: Vec<_> = choices.iter().map(|choice| format!("{choice:?}")).collect();
                let hint = match other {
                    Value::Str(text) => did_you_mean(text, choices.iter().copied())
                        .map(|close| format!("; did you mean {close:?}?"))
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                errors.at(
                    valued.spot,
                    format!("`{name}` expects one of {}, found {}{hint}", listed.join(", "), other.describe()),
                );
                None
            }
        },
        Ty::Dim => match valued.value {
            Value::Int(value) => Some(Bound::Int(value)),
            ref other => fail(errors, valued.spot, "a dimension (an integer, may be negative)".to_owned(), other),
        },
        Ty::ViewSizes => {
            let items = match &valued.value {
                Value::Tuple(items) => items.clone(),
                _ => vec![valued.clone()],
            };
            let mut sizes = Vec::new();
            for item in &items {
                match item.value {
                    Value::Int(-1) => sizes.push(ViewSize::Infer),
                    Value::Int(size) => sizes.push(ViewSize::Fixed(size)),
                    Value::Batch => sizes.push(ViewSize::Batch),
                    ref other => {
                        fail(errors, item.spot, "integer sizes, `-1` or `x.size(0)`".to_owned(), other);
                    }
                }
            }
            (sizes.len() == items.len()).then_some(Bound::View(sizes))
        }
    }
}

/// An int for every axis, or a tuple of one per axis; each at least `least`.
/// `None` items are allowed only for output sizes.
fn per_axis(
    kind: &Kind,
    param: &Param,
    valued: &Valued,
    least: i64,
    errors: &mut Errors,
) -> Option<Vec<Option<usize>>> {
    let name = param.name;
    let allows_none = matches!(param.ty, Ty::OutputSizes);
    let sign = if least > 0 { "positive" } else { "non-negative" };
    let expected = format!("a {sign} integer or a tuple of {} {sign} integers", kind.axes);
    let item = |errors: &mut Errors, item: &Valued| -> Option<Option<usize>> {
        match item.value {
            Value::Int(value) if value >= least => Some(Some(value as usize)),
            Value::Int(value) => {
                let rule = if least > 0 { "positive" } else { "negative" };
                let rule = if least > 0 { format!("must be {rule}") } else { format!("cannot be {rule}") };
                errors.at(item.spot, format!("`{name}` {rule}, found {value}"));
                None
            }
            Value::None if allows_none => Some(None),
            ref other => {
                errors.at(item.spot, format!("`{name}` expects {expected}, found {}", other.describe()));
                None
            }
        }
    };
    match &valued.value {
        Value::Tuple(items) if items.len() == kind.axes => {
            let sizes: Vec<_> = items.iter().map(|value| item(errors, value)).collect();
            sizes.into_iter().collect()
        }
        Value::Tuple(items) => {
            errors.at(
                valued.spot,
                format!(
                    "`{name}` of `{}` needs {} values, one per spatial axis, found {}",
                    kind.name,
                    kind.axes,
                    items.len()
                ),
            );
            None
        }
        _ => item(errors, valued).map(|size| vec![size; kind.axes]),
    }
}

/// An argument value as it reads in Python and in the docs.
fn render(value: &Value) -> String {
    match value {
        Value::Int(value) => value.to_string(),
        Value::Float(value) => format!("{value:?}"),
        Value::Bool(value) => value.to_string(),
        Value::Str(text) => format!("{text:?}"),
        Value::None => "None".to_owned(),
        Value::Batch => "x.size(0)".to_owned(),
        Value::Tuple(items) if items.len() == 1 => format!("({},)", render(&items[0].value)),
        Value::Tuple(items) => {
            format!("({})", items.iter().map(|item| render(&item.value)).collect::<Vec<_>>().join(", "))
        }
    }
}

fn axis_name(axes: usize, axis: usize) -> &'static str {
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
fn report(
    problems: &[Problem],
    kind: &Kind,
    call: &Call,
    bound: &BoundCall,
    input: Option<&Tensor>,
    errors: &mut Errors,
) {
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
        let mut message = describe(problem, kind, input);
        if !also.is_empty() {
            let axes: Vec<_> = also.iter().map(|&axis| axis_name(kind.axes, axis)).collect();
            message.push_str(&format!("; the same along the {}", axes.join(" and the ")));
        }
        let spot = match problem {
            Problem::GroupsDivide { .. } => bound.spot(call, At::Arg("groups")),
            _ => bound.spot(call, problem.at()),
        };
        errors.at(spot, message);
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
fn describe(problem: &Problem, kind: &Kind, input: Option<&Tensor>) -> String {
    let layer = kind.name;
    let side = |axis| axis_name(kind.axes, axis);
    let explain = |axis: usize| input.map(|tensor| tensor.explain(axis)).unwrap_or_default();
    let source = input.map(|tensor| tensor.origin.source()).unwrap_or_default();
    let input_shape = input.map(|tensor| shape(&tensor.dims)).unwrap_or_default();
    match *problem {
        Problem::Rank { layout, ref found, .. } => format!(
            "`{layer}` expects an input {layout} (batch left out), but its input is {} ({source})",
            shape(found)
        ),
        Problem::Mismatch { arg, declared, axis, .. } => {
            let what = match arg {
                "in_channels" => "input channels",
                "num_features" => "channels (`num_features`)",
                _ => "input features",
            };
            format!("`{layer}` expects {declared} {what}, but its input has {}", explain(axis))
        }
        Problem::GroupsDivide { arg, channels, groups } => {
            format!("`{arg}` ({channels}) is not divisible by `groups` ({groups})")
        }
        Problem::SameWithStride { stride, .. } => format!(
            "`padding = \"same\"` is not supported for strided convolutions, and `stride` is {stride}; give the padding as a number"
        ),
        Problem::KernelTooLarge { axis, input: size, padding, kernel, dilation } => {
            format!("`{layer}` {}", kernel_versus_input(kind.axes, axis, size, padding, kernel, dilation, input))
        }
        Problem::OutputTooSmall { axis, input: size, padding, kernel, dilation, output } => format!(
            "`{layer}` {}, so its output {} would be {output}",
            kernel_versus_input(kind.axes, axis, size, padding, kernel, dilation, input),
            side(axis)
        ),
        Problem::InputSmallerThanKernel { axis, input: size, kernel } => format!(
            "`{layer}` {}; `{layer}` checks the input before padding",
            kernel_versus_input(kind.axes, axis, size, 0, kernel, 1, input)
        ),
        Problem::PaddingOverHalfKernel { axis, padding, kernel } => format!(
            "pool padding {padding} is more than half the kernel size {kernel} along the {}; PyTorch allows at most {}",
            side(axis),
            kernel / 2
        ),
        Problem::PaddingModeTooWide { axis, mode, padding, .. } => {
            let limit = if mode == crate::shape::PaddingMode::Reflect { "smaller than" } else { "at most" };
            format!(
                "`padding_mode = \"{}\"` needs padding {limit} the input, but the padding is {padding} and the input {} is {}",
                mode.name(),
                side(axis),
                explain(axis + 1)
            )
        }
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
        Problem::TouchesBatch { arg } => format!(
            "`{arg}` 0 would merge the batch into the features, and netshape keeps the batch size open; flatten from dim 1 instead (`flatten(1)`, as torchvision does)"
        ),
        Problem::FlattenOrder { start, end } => {
            format!("`start_dim` ({start}) comes after `end_dim` ({end}) for the input {input_shape} plus its batch")
        }
        Problem::ViewBatchFirst => format!(
            "the first size of `{layer}` is the batch: write `-1` or `x.size(0)` there, then the sizes of one sample"
        ),
        Problem::ViewManyInferred { .. } => {
            "only one size can be `-1` (inferred), and a leading `-1` already stands for the batch".to_owned()
        }
        Problem::ViewBadSize { size, .. } => format!("a size of `{layer}` must be positive or `-1`, found {size}"),
        Problem::ViewElements { wanted, available, inferred } => {
            if inferred {
                format!(
                    "`{layer}` cannot infer its `-1`: the input {input_shape} ({source}) has {available} elements per sample, not a multiple of {wanted}"
                )
            } else {
                format!(
                    "`{layer}` sizes hold {wanted} elements per sample, but the input {input_shape} ({source}) has {available}"
                )
            }
        }
    }
}
