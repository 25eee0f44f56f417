//! Stage 3: the rules. Walks each network's statements as PyTorch's `forward`
//! would run them, binding each call's arguments to its PyTorch signature and
//! running the shape arithmetic on the tensors that flow, and turns every
//! broken rule into an error at the smallest offending token that gives the
//! numbers and where they came from. Errors are collected, so one build
//! reports every independent mistake; a value whose shape is unknown after a
//! mistake is followed silently, so one root cause gives one error.

mod bind;
mod report;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Display};

use syn::Attribute;

use crate::catalog::{self, Kind, KINDS};
use crate::eval::{Constants, Value, Valued};
use crate::parse::{self, Branch, Call, Name, Operation, Source, Spot, Stmt};
use crate::shape::{self, join, Dims, Dtype, Extra, Field, Op, Outcome, Stored};
use crate::suggest::did_you_mean;

/// A `network!` invocation whose every rule holds.
pub struct Checked<'a> {
    pub constants: Vec<(&'a parse::Constant, i64)>,
    pub networks: Vec<Network<'a>>,
    pub blocks: Vec<&'a parse::Block>,
}

/// A checked network: what the expansion writes out.
pub struct Network<'a> {
    pub def: &'a parse::Network,
    pub inputs: Vec<(Dims, Dtype)>,
    pub outputs: Vec<Dims>,
    /// Every step in call order, children before the module that calls them.
    pub rows: Vec<Row>,
    /// The `state_dict`, in registration order.
    pub state: Vec<StateKey>,
    /// One typed field per module that stores tensors.
    pub fields: Vec<TypedField<'a>>,
    /// What deserves a second look, as compile-time warnings.
    pub warnings: Vec<Warning>,
    /// The forward pass, step by step, for the runtime.
    pub steps: Vec<ProgramStep>,
    /// The values the network returns.
    pub output_values: Vec<usize>,
}

/// One computation of the forward pass, as the runtime will run it. Values
/// are numbered: the inputs first, then each step's outputs in order.
pub struct ProgramStep {
    pub computation: Computation,
    pub inputs: Vec<usize>,
    pub input_dims: Vec<Dims>,
    /// The per-sample shape of each value it makes.
    pub outputs: Vec<Dims>,
    /// The `state_dict` index of its first tensor.
    pub params: usize,
    /// The module's path, empty for a functional op.
    pub path: String,
    /// Where it is written, for an error if it cannot run.
    pub spot: Spot,
}

/// What a program step computes.
pub enum Computation {
    Leaf {
        kind: &'static Kind,
        op: Op,
        args: catalog::Args,
    },
    /// `add`, `sub`, `mul`, `div`, `cat`, `stack`.
    Join {
        kind: String,
        dim: Option<i64>,
    },
    Split(shape::Split),
}

/// A compile-time warning: a lint, where, and why.
pub struct Warning {
    pub lint: &'static str,
    pub spot: Spot,
    pub message: String,
}

/// The warnings netshape gives, each silenced with `#[allow(netshape::NAME)]`
/// on the layer, its block or its network.
pub const LINTS: &[&str] = &[
    "uncovered_input",
    "receptive_field_exceeds_input",
    "upsampling_adaptive_pool",
    "dropout_before_softmax",
    "bias_before_norm",
];

/// The netshape lints `#[allow(netshape::…)]` attributes name; reports unknown ones.
pub fn allowed_lints(attrs: &[Attribute], errors: &mut Errors) -> Vec<&'static str> {
    let mut allowed = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("allow")) {
        let _ = attr.parse_nested_meta(|meta| {
            let path = &meta.path;
            let is_ours = path.segments.len() == 2 && path.segments[0].ident == "netshape";
            if !is_ours {
                return Ok(());
            }
            let name = path.segments[1].ident.to_string();
            match LINTS.iter().find(|lint| **lint == name) {
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

/// A step's `#[class = "Name"]`, the class of the `nn.Sequential` subclass a
/// `[…]` sequence (or a named group) stands for; reports misuse.
fn sequence_class(step: &parse::Step, errors: &mut Errors) -> Option<String> {
    let attr = step.attrs.iter().find(|attr| attr.path().is_ident("class"))?;
    let is_sequence = match &step.op {
        Operation::Sequential(_) => true,
        Operation::Group(_) => step.name.is_some(),
        _ => false,
    };
    if !is_sequence {
        errors.at(Spot::of(attr), "`#[class]` names the class of a `[…]` sequence; this step is not one");
        return None;
    }
    let value = attr.meta.require_name_value().ok().and_then(|meta| match &meta.value {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) => Some(text.value()),
        _ => None,
    });
    let valid = value.as_deref().filter(|class| syn::parse_str::<syn::Ident>(class).is_ok());
    if valid.is_none() {
        errors.at(Spot::of(attr), "`#[class]` takes a class name in quotes: `#[class = \"Conv2dNormActivation\"]`");
    }
    valid.map(str::to_owned)
}

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

/// A layer as a warning names it: by its path, with its kind where the path is
/// only a number (`` `features.0` (`Conv2d`) ``).
fn layer_display(path: &str, kind: &str) -> String {
    match path.rsplit('.').next() {
        Some("") | None => format!("`{kind}`"),
        Some(last) if last.bytes().all(|byte| byte.is_ascii_digit()) => format!("`{path}` (`{kind}`)"),
        Some(_) => format!("`{path}`"),
    }
}

/// One step of a network, as `netshape::Layer` describes it.
#[derive(Default)]
pub struct Row {
    pub path: String,
    pub kind: String,
    pub functional: bool,
    pub container: bool,
    pub depth: usize,
    pub sources: Vec<Producer>,
    pub input: Dims,
    pub output: Dims,
    pub extra: Vec<Extra>,
    pub params: usize,
    pub trainable: usize,
    pub buffers: usize,
    pub kernel: Dims,
    pub groups: usize,
    pub mult_adds: u64,
    pub bias_adds: u64,
    pub inplace: bool,
    pub view: bool,
    pub field: Vec<Field>,
}

/// Where a tensor comes from: a network input or a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Producer {
    Input(usize),
    Row(usize),
}

/// One `state_dict` entry.
pub struct StateKey {
    pub key: String,
    pub dims: Dims,
    pub buffer: bool,
    pub trainable: bool,
}

/// A module that stores tensors, for the struct's typed field.
pub struct TypedField<'a> {
    /// The field's name: the module's path with `.` as `_` (`layer1_0_conv1`),
    /// `_3` for the anonymous module at index 3.
    pub name: String,
    pub docs: Vec<&'a Attribute>,
    pub op: Op,
    pub path: String,
    /// The call as written, constants evaluated.
    pub call: String,
    pub input: Dims,
    pub output: Dims,
    pub stored: Vec<Stored>,
}

/// Collects errors so that all of them are reported together.
#[derive(Default)]
pub struct Errors {
    list: Vec<syn::Error>,
    /// While a block instance runs: where the network calls it and how, for
    /// pointing there; errors inside it are about that call.
    context: Option<(Spot, String)>,
    /// Errors already reported inside blocks, by place and text: a mistake in
    /// a block used many times is reported once.
    seen: BTreeSet<String>,
}

impl Errors {
    /// A mistake in the text at `spot`; inside a block, a mistake in the
    /// block's text, reported there once however often the block is used.
    pub fn at(&mut self, spot: Spot, message: impl Display) {
        if self.context.is_some() && !self.seen.insert(format!("{:?} {message}", spot.start)) {
            return;
        }
        self.list.push(spot.error(message));
    }

    /// A mistake in the values that flow (shapes, and arguments computed from
    /// a block's parameters): inside a block it is the call's, so it points
    /// there and says which instance it is.
    pub fn at_instance(&mut self, spot: Spot, message: impl Display) {
        match &self.context {
            None => self.list.push(spot.error(message)),
            Some((call, about)) => {
                let message = format!("in {about}: {message}");
                if self.seen.insert(format!("{:?} {message}", call.start)) {
                    self.list.push(call.error(message));
                }
            }
        }
    }

    pub fn push(&mut self, error: syn::Error) {
        match &self.context {
            None => self.list.push(error),
            Some(_) => {
                for part in error {
                    if self.seen.insert(format!("{:?} {part}", part.span())) {
                        self.list.push(part);
                    }
                }
            }
        }
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
    let mut checked = Checked { constants: Vec::new(), networks: Vec::new(), blocks: Vec::new() };
    let mut blocks = BTreeMap::new();
    for item in &source.items {
        if let parse::Item::Block(block) = item {
            if blocks.insert(block.name.to_string(), block).is_some() {
                errors.at(Spot::of(&block.name), format!("block `{}` is declared twice", block.name));
            }
            checked.blocks.push(block);
        }
    }
    let mut declared = BTreeSet::new();
    for item in &source.items {
        match item {
            parse::Item::Constant(constant) => {
                if let Some(value) = check_constant(constant, &constants, &mut errors) {
                    constants.define(constant.name.to_string(), Value::Int(value));
                    checked.constants.push((constant, value));
                }
            }
            parse::Item::Network(network) => {
                if !declared.insert(network.name.to_string()) {
                    errors.at(Spot::of(&network.name), format!("network `{}` is declared twice", network.name));
                }
                if let Some(network) = check_network(network, &constants, &blocks, &mut errors) {
                    checked.networks.push(network);
                }
            }
            parse::Item::Block(block) => check_block_params(block, &constants, &mut errors),
            // Resolved before checking, by the carrier macros.
            parse::Item::Use(_) => {}
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

/// A block's parameters are checked once, where it is defined; its body is
/// checked wherever it is used, with that call's arguments.
fn check_block_params(block: &parse::Block, constants: &Constants, errors: &mut Errors) {
    let mut names = BTreeSet::new();
    for param in &block.params {
        if !names.insert(param.name.to_string()) {
            errors.at(Spot::of(&param.name), format!("parameter `{}` is declared twice", param.name));
        }
        if let Some(default) = &param.default {
            if let Err(error) = constants.evaluate(default) {
                errors.push(error);
            }
        }
    }
}

/// A tensor flowing through the network, with where its shape came from for
/// explaining numbers in errors.
#[derive(Clone)]
pub struct Tensor {
    pub dims: Dims,
    pub dtype: Dtype,
    /// The step that last changed the shape, as it reads in a message.
    pub origin: Origin,
    /// For a dimension a reshape made by merging others, those others.
    pub factors: Vec<Option<Dims>>,
    /// The row (or input) that made it.
    pub producer: Producer,
    /// Its receptive field per spatial axis; empty once they are gone.
    pub field: Vec<Field>,
    /// Whether it is a transposed view, not laid out row by row: a reshape
    /// of it copies.
    pub strided: bool,
    /// Its number in the forward program.
    pub value: usize,
}

#[derive(Clone)]
pub enum Origin {
    Input(String),
    Step(String),
}

impl Tensor {
    /// Input number `index`; a shape `[C, *spatial]` has a pixel's receptive
    /// field along each spatial axis.
    fn input(name: &str, index: usize, dims: Dims, dtype: Dtype) -> Tensor {
        let field = vec![Field::PIXEL; dims.len().saturating_sub(1)];
        Tensor {
            factors: vec![None; dims.len()],
            dims,
            dtype,
            origin: Origin::Input(name.to_owned()),
            producer: Producer::Input(index),
            field,
            strided: false,
            value: index,
        }
    }

    /// A tensor a step made, with no history but the step.
    fn made(dims: Dims, dtype: Dtype, by: String, producer: Producer, field: Vec<Field>, value: usize) -> Tensor {
        Tensor {
            factors: vec![None; dims.len()],
            dims,
            dtype,
            origin: Origin::Step(by),
            producer,
            field,
            strided: false,
            value,
        }
    }

    /// A dimension's value and its story: "320 (20 × 4 × 4 after `view`)".
    pub fn explain(&self, axis: usize) -> String {
        match &self.factors[axis] {
            Some(factors) => format!("{} ({} after {})", self.dims[axis], join_numbers(factors, " × "), self.origin),
            None => format!("{} ({})", self.dims[axis], self.origin.source()),
        }
    }

    /// A dimension's story alone: "from `conv1`", "= 20 × 4 × 4 after `view`".
    pub fn origin_of(&self, axis: usize) -> String {
        match &self.factors[axis] {
            Some(factors) => format!("= {} after {}", join_numbers(factors, " × "), self.origin),
            None => self.origin.source(),
        }
    }

    /// The whole shape and its story: "[20, 4, 4] (from `conv2`)".
    pub fn describe(&self) -> String {
        format!("{} ({})", shape(&self.dims), self.origin.source())
    }
}

impl Origin {
    pub fn source(&self) -> String {
        format!("from {self}")
    }
}

impl Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Input(name) => write!(f, "`{name}`"),
            Origin::Step(name) => f.write_str(name),
        }
    }
}

pub fn join_numbers(values: &[usize], separator: &str) -> String {
    values.iter().map(usize::to_string).collect::<Vec<_>>().join(separator)
}

pub fn shape(dims: &[usize]) -> String {
    format!("[{}]", join_numbers(dims, ", "))
}

/// The highest rank with a typed tensor marker (`netshape::Tensor8`).
const MAX_RANK: usize = 8;

/// How deep blocks may call blocks: deeper means a block that calls itself.
const MAX_NESTING: usize = 64;

/// A value in a network: a tensor, or `None` when an earlier mistake left its
/// shape unknown (nothing more is reported about it).
type Flow = Option<Tensor>;

/// A module a scope holds by name, so that it can be called again.
#[derive(Clone)]
enum Module<'a> {
    Leaf { kind: &'static Kind, op: Op, args: catalog::Args, path: String, frozen: bool, inplace: bool },
    Block { def: &'a parse::Block, env: Constants, rendered: String, path: String, frozen: bool },
    Sequence { body: &'a [Stmt], env: Constants, path: String, frozen: bool, class: Option<String> },
}

/// Where statements run: a network, a block instance, or an `nn.Sequential`.
#[derive(Clone)]
struct Scope<'a> {
    /// The `state_dict` prefix of modules defined here: `layer1.0.`.
    prefix: String,
    env: Constants,
    values: BTreeMap<String, Flow>,
    modules: BTreeMap<String, Module<'a>>,
    /// The index the next module gets, as `nn.Sequential` numbers them.
    next_index: usize,
    frozen: bool,
    /// The network's or block's name, for messages.
    owner: String,
}

impl<'a> Scope<'a> {
    fn new(prefix: String, env: Constants, frozen: bool, owner: String) -> Scope<'a> {
        Scope { prefix, env, values: BTreeMap::new(), modules: BTreeMap::new(), next_index: 0, frozen, owner }
    }
}

/// What a walk through a network collects.
struct Walk<'a, 'e> {
    errors: &'e mut Errors,
    blocks: &'e BTreeMap<String, &'a parse::Block>,
    rows: Vec<Row>,
    state: Vec<StateKey>,
    fields: Vec<TypedField<'a>>,
    field_names: BTreeSet<String>,
    /// False while a module is called again: its rows are recorded, but not
    /// what it stores.
    registering: bool,
    nesting: usize,
    /// How deep the scope being walked sits: its modules' depth, and its
    /// functional ops'.
    scope_depth: usize,
    /// For each row, where it is written and the lints allowed there.
    spots: Vec<Option<(Spot, Vec<&'static str>)>>,
    /// The lints allowed where the walk is.
    allowed: Vec<&'static str>,
    warnings: Vec<Warning>,
    /// The network's input shape, for the receptive-field lint, which fires once.
    network_input: Dims,
    field_warned: bool,
    /// The `#[class = "…"]` of the step about to run, for the sequence it
    /// makes.
    class: Option<String>,
    /// The forward program so far, and the number its next value gets.
    steps: Vec<ProgramStep>,
    next_value: usize,
    /// Each module's first `state_dict` index, by path, for its later calls.
    state_starts: BTreeMap<String, usize>,
}

fn check_network<'a>(
    def: &'a parse::Network,
    constants: &Constants,
    blocks: &BTreeMap<String, &'a parse::Block>,
    errors: &mut Errors,
) -> Option<Network<'a>> {
    let before = errors.count();
    let (inputs, body) = network_inputs(def, constants, errors);
    if body.is_empty() {
        errors.at(Spot::of(&def.name), format!("network `{}` has no layers; add at least one after `input`", def.name));
        return None;
    }
    let allowed = allowed_lints(&def.attrs, errors);
    let mut walk = Walk {
        errors,
        blocks,
        rows: Vec::new(),
        state: Vec::new(),
        fields: Vec::new(),
        field_names: BTreeSet::new(),
        registering: true,
        nesting: 0,
        scope_depth: 0,
        spots: Vec::new(),
        allowed,
        warnings: Vec::new(),
        network_input: inputs
            .first()
            .and_then(|(_, tensor)| tensor.as_ref())
            .map(|tensor| tensor.dims.clone())
            .unwrap_or_default(),
        field_warned: false,
        class: None,
        steps: Vec::new(),
        next_value: inputs.len(),
        state_starts: BTreeMap::new(),
    };
    let mut scope = Scope::new(String::new(), constants.clone(), false, def.name.to_string());
    for (name, tensor) in &inputs {
        scope.values.insert(name.clone(), tensor.clone());
    }
    let first = inputs.first().and_then(|(_, tensor)| tensor.clone());
    let (last, outputs) = walk.body(body, &mut scope, first);
    let outputs = outputs.unwrap_or_else(|| vec![last]);
    for output in outputs.iter().flatten() {
        walk.dropout_before_softmax(output.producer);
    }
    let Walk { rows, state, fields, warnings, steps, .. } = walk;
    let output_values = outputs.iter().flatten().map(|tensor| tensor.value).collect();
    let inputs: Option<Vec<_>> =
        inputs.into_iter().map(|(_, tensor)| tensor.map(|tensor| (tensor.dims, tensor.dtype))).collect();
    let outputs: Option<Vec<_>> = outputs.into_iter().map(|output| output.map(|tensor| tensor.dims)).collect();
    let (inputs, outputs) = (inputs?, outputs?);
    if let Some(output) = outputs.iter().find(|output| output.len() > MAX_RANK) {
        errors.at(
            Spot::of(&def.name),
            format!(
                "the network's output {} has {} dims; netshape types tensors of at most {MAX_RANK}",
                shape(output),
                output.len()
            ),
        );
    }
    (errors.count() == before).then_some(Network {
        def,
        inputs,
        outputs,
        rows,
        state,
        fields,
        warnings,
        steps,
        output_values,
    })
}

/// The network's inputs, which come first, and the statements after them.
fn network_inputs<'a>(
    def: &'a parse::Network,
    constants: &Constants,
    errors: &mut Errors,
) -> (Vec<(String, Flow)>, &'a [Stmt]) {
    let count = def.body.iter().take_while(|stmt| matches!(stmt, Stmt::Input(_))).count();
    let mut inputs = Vec::new();
    for stmt in &def.body[..count] {
        let Stmt::Input(decl) = stmt else { continue };
        let name = decl.name.as_ref().map_or_else(|| "input".to_owned(), |name| name.to_string());
        if inputs.iter().any(|(other, _)| *other == name) {
            errors.at(Spot::of(&decl.keyword), format!("input `{name}` is declared twice"));
        }
        let index = inputs.len();
        inputs.push((name, check_input(decl, index, constants, errors)));
    }
    if inputs.is_empty() {
        errors.push(syn::Error::new(
            def.brace.span.open(),
            format!("network `{}` needs its input shape first, batch left out, e.g. `input: [1, 28, 28],`", def.name),
        ));
    }
    if count > 1 && def.body[..count].iter().any(|stmt| matches!(stmt, Stmt::Input(decl) if decl.name.is_none())) {
        errors.at(Spot::of(&def.name), "a network with several inputs names each: `input image: [3, 224, 224],`");
    }
    (inputs, &def.body[count..])
}

fn check_input(decl: &parse::InputDecl, index: usize, constants: &Constants, errors: &mut Errors) -> Flow {
    let name = decl.name.as_ref().map_or_else(|| "input".to_owned(), |name| name.to_string());
    let Some((bracket, exprs)) = &decl.shape else {
        errors.at(
            Spot::of(&decl.keyword),
            format!("input `{name}` needs its shape, batch left out: `input {name}: [3, 32, 32]`"),
        );
        return None;
    };
    let dtype = match decl.dtype.as_ref().map(|ident| (ident, ident.to_string())) {
        None => Dtype::Float,
        Some((_, name)) if ["f16", "bf16", "f32", "f64"].contains(&name.as_str()) => Dtype::Float,
        Some((_, name)) if ["i64", "i32"].contains(&name.as_str()) => Dtype::Index,
        Some((ident, name)) => {
            errors.at(
                Spot::of(ident),
                format!("unknown element type `{name}`; an input holds floats (`f32`, `f16`, `bf16`, `f64`) or indices (`i64`, `i32`)"),
            );
            return None;
        }
    };
    let mut dims = Vec::new();
    for expr in exprs {
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
            bracket.span.join(),
            format!("the input has {} dims; netshape types tensors of at most {MAX_RANK}", dims.len()),
        ));
        return None;
    }
    (dims.len() == exprs.len()).then(|| Tensor::input(&name, index, dims, dtype))
}

fn resolve_kind(call: &Call, blocks: &BTreeMap<String, &parse::Block>, errors: &mut Errors) -> Option<&'static Kind> {
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
fn display_name(name: Option<&str>, kind: &str, functional: bool) -> String {
    match (name, functional) {
        (Some(name), false) => format!("`{name}`"),
        _ => format!("`{kind}`"),
    }
}

impl<'a> Walk<'a, '_> {
    /// Runs statements from `current`; returns the value after them and, if
    /// the statements declare them, the outputs.
    fn body(&mut self, body: &'a [Stmt], scope: &mut Scope<'a>, mut current: Flow) -> (Flow, Option<Vec<Flow>>) {
        let mut outputs = None;
        for stmt in body {
            match stmt {
                Stmt::Input(decl) => {
                    self.errors.at(Spot::of(&decl.keyword), "inputs are declared first, before any layer");
                }
                Stmt::Output(decl) => {
                    let values = decl.names.iter().map(|name| self.value(name, scope)).collect();
                    if outputs.replace(values).is_some() {
                        self.errors.at(Spot::of(&decl.keyword), "the outputs are declared twice");
                    }
                }
                Stmt::Let(binding) => self.bind_let(binding, scope, current.clone()),
                Stmt::For(each) => match scope.env.range(&each.range) {
                    Ok(range) => {
                        for index in range {
                            if each.var != "_" {
                                scope.env.define(each.var.to_string(), Value::Int(index));
                            }
                            current = self.body(&each.body, scope, current).0;
                        }
                    }
                    Err(error) => {
                        self.errors.push(error);
                        current = None;
                    }
                },
                Stmt::If(choice) => match scope.env.condition(&choice.cond) {
                    Ok(true) => current = self.body(&choice.then, scope, current).0,
                    Ok(false) => current = self.body(&choice.otherwise, scope, current).0,
                    Err(error) => {
                        self.errors.push(error);
                        current = None;
                    }
                },
                Stmt::Step(step) => current = self.step(step, scope, current),
                Stmt::Const(constant) => match scope.env.evaluate(&constant.value) {
                    Ok(valued) => scope.env.define(constant.name.to_string(), valued.value),
                    Err(error) => self.errors.push(error),
                },
            }
        }
        (current, outputs)
    }

    /// A value by name, or an error that lists the values there are.
    fn value(&mut self, name: &syn::Ident, scope: &Scope) -> Flow {
        match scope.values.get(&name.to_string()) {
            Some(flow) => flow.clone(),
            None => {
                let known = scope.values.keys().map(String::as_str);
                let hint = match did_you_mean(&name.to_string(), known) {
                    Some(close) => format!("; did you mean `{close}`?"),
                    None => {
                        let all: Vec<_> = scope.values.keys().map(|name| format!("`{name}`")).collect();
                        format!("; the values here are {}", all.join(", "))
                    }
                };
                self.errors.at(Spot::of(name), format!("unknown value `{name}`{hint}"));
                None
            }
        }
    }

    fn bind_let(&mut self, binding: &'a parse::Let, scope: &mut Scope<'a>, current: Flow) {
        // `let (x1, x2) = chunk(2, dim = 1)`: a split into several values.
        let split = match &binding.value.op {
            Operation::Call(call) if binding.tuple => Some(call),
            _ => None,
        };
        let values: Vec<Flow> = match split {
            Some(call) => self.split(call, &binding.value, binding.names.len(), scope, current),
            None => {
                if binding.tuple {
                    self.errors.at(binding.value.spot, "a tuple binds the pieces of a `chunk`, `split` or `unbind`");
                }
                let value = self.branch(&binding.value, scope, current);
                vec![value; binding.names.len()]
            }
        };
        for (name, value) in binding.names.iter().zip(values) {
            scope.values.insert(name.to_string(), value);
        }
    }

    /// `let (a, b) = chunk(…)`: the pieces, as many as there are names.
    fn split(
        &mut self,
        call: &'a Call,
        branch: &Branch,
        names: usize,
        scope: &mut Scope<'a>,
        current: Flow,
    ) -> Vec<Flow> {
        let unknown = vec![None; names];
        let start = match &branch.source {
            Some(source) => self.value(source, scope),
            None => current,
        };
        let Some(kind) = resolve_kind(call, self.blocks, self.errors) else { return unknown };
        let Some(bound) = bind::bind(kind, call, &scope.env, self.errors) else { return unknown };
        let Op::Split(split) = (kind.build)(&bound.args) else {
            self.errors.at(
                Spot::of(&call.kind),
                format!("`{}` gives one tensor; a tuple binds the pieces of a `chunk`, `split` or `unbind`", kind.name),
            );
            return unknown;
        };
        let Some(input) = start else { return unknown };
        match split.pieces(&input.dims) {
            Ok(pieces) if pieces.len() == names => {
                // The pieces are views of the input.
                let row =
                    Row { view: true, depth: self.scope_depth, ..functional_row(kind.name, &[&input], &pieces[0]) };
                let producer = self.push_row(row);
                let by = format!("`{}`", kind.name);
                let field = if pieces[0].len() == input.dims.len() { input.field.clone() } else { Vec::new() };
                let first =
                    self.record_step(Computation::Split(split), &[&input], pieces.clone(), 0, "", Spot::of(&call.kind));
                pieces
                    .into_iter()
                    .enumerate()
                    .map(|(index, piece)| {
                        let tensor =
                            Tensor::made(piece, input.dtype, by.clone(), producer, field.clone(), first + index);
                        Some(Tensor { strided: input.strided, ..tensor })
                    })
                    .collect()
            }
            Ok(pieces) => {
                self.errors.at(
                    branch.spot,
                    format!(
                        "`{}` gives {} pieces of the input {}, but {names} names are bound",
                        kind.name,
                        pieces.len(),
                        input.describe()
                    ),
                );
                unknown
            }
            Err(problem) => {
                report::report(&[problem], kind, call, &bound, std::slice::from_ref(&input), self.errors);
                unknown
            }
        }
    }

    /// A join's operand, or a `let`'s value: an operation from the current
    /// value or a named one, skipped (the start value itself) when its
    /// condition is false.
    fn branch(&mut self, branch: &'a Branch, scope: &mut Scope<'a>, current: Flow) -> Flow {
        let start = match &branch.source {
            Some(source) => self.value(source, scope),
            None => current,
        };
        if let Some(cond) = &branch.cond {
            match scope.env.condition(cond) {
                Ok(true) => {}
                Ok(false) => return start,
                Err(error) => {
                    self.errors.push(error);
                    return None;
                }
            }
        }
        self.operation(branch.name.as_ref(), &branch.op, &[], scope, vec![start], false)
    }

    fn step(&mut self, step: &'a parse::Step, scope: &mut Scope<'a>, current: Flow) -> Flow {
        if let Some(cond) = &step.cond {
            match scope.env.condition(cond) {
                Ok(true) => {}
                Ok(false) => return current,
                Err(error) => {
                    self.errors.push(error);
                    return None;
                }
            }
        }
        let inputs = match &step.inputs {
            Some((_, names)) => names.iter().map(|name| self.value(name, scope)).collect(),
            None => vec![current],
        };
        let frozen = step.attrs.iter().any(|attr| attr.path().is_ident("frozen"));
        let docs: Vec<_> = step.attrs.iter().filter(|attr| attr.path().is_ident("doc")).collect();
        self.class = sequence_class(step, self.errors);
        let depth = self.allowed.len();
        let allowed = allowed_lints(&step.attrs, self.errors);
        self.allowed.extend(allowed);
        let output = self.operation(step.name.as_ref(), &step.op, &docs, scope, inputs, frozen);
        self.allowed.truncate(depth);
        output
    }

    /// Runs an operation on its inputs.
    fn operation(
        &mut self,
        name: Option<&'a Name>,
        op: &'a Operation,
        docs: &[&'a Attribute],
        scope: &mut Scope<'a>,
        inputs: Vec<Flow>,
        frozen: bool,
    ) -> Flow {
        let name = name.and_then(|name| self.name(name, scope));
        match op {
            Operation::Call(call) => self.call(call, name, docs, scope, inputs, frozen),
            Operation::Join(join) => {
                if let Some((_, ident)) = &name {
                    self.errors.at(
                        Spot::of(ident),
                        format!("`{}` is a function and owns no module, so it takes no name", join.kind),
                    );
                }
                self.join(join, scope, inputs.into_iter().next().flatten())
            }
            Operation::Group(body) => {
                let current = inputs.into_iter().next().flatten();
                match name {
                    Some((name, ident)) => self.sequence(&name, ident, body, scope, current, frozen),
                    None => {
                        // A plain group runs in its scope, so a frozen group
                        // freezes what it defines.
                        let was = scope.frozen;
                        scope.frozen |= frozen;
                        let (output, _) = self.body(body, scope, current);
                        scope.frozen = was;
                        output
                    }
                }
            }
            Operation::Sequential(body) => {
                let class = self.class.take();
                let current = inputs.into_iter().next().flatten();
                let path = self.claim(name.as_ref().map(|(name, ident)| (name.as_str(), *ident)), scope);
                let frozen = frozen || scope.frozen;
                let local = path.rsplit('.').next().unwrap_or_default().to_owned();
                if let Some((name, _)) = &name {
                    let module = Module::Sequence {
                        body,
                        env: scope.env.clone(),
                        path: path.clone(),
                        frozen,
                        class: class.clone(),
                    };
                    scope.modules.insert(name.clone(), module);
                }
                self.run_sequence(body, &path, scope.env.clone(), current, frozen, &local, class.as_deref())
            }
            Operation::Ref(ident) => self.reference(ident, scope, inputs.into_iter().next().flatten()),
        }
    }

    /// A module's name, with a loop's index filled in: `denselayer{i + 1}`.
    fn name(&mut self, name: &'a Name, scope: &Scope) -> Option<(String, &'a syn::Ident)> {
        let ident = &name.ident;
        match &name.index {
            None => Some((name.ident.to_string(), ident)),
            Some(index) => match scope.env.evaluate(index) {
                Ok(Valued { value: Value::Int(index), .. }) => Some((format!("{}{index}", name.ident), ident)),
                Ok(Valued { value, spot }) => {
                    self.errors.at(spot, format!("a name's index must be an integer, found {}", value.describe()));
                    None
                }
                Err(error) => {
                    self.errors.push(error);
                    None
                }
            },
        }
    }

    /// The path of a module defined in `scope`, after checking its name is new.
    fn claim(&mut self, name: Option<(&str, &syn::Ident)>, scope: &mut Scope<'a>) -> String {
        let index = scope.next_index;
        scope.next_index += 1;
        match name {
            Some((name, ident)) => {
                if scope.modules.contains_key(name) {
                    self.errors.at(
                        Spot::of(ident),
                        format!("layer name `{name}` is already used in `{}`; each module needs its own name (write `{name}` alone to call it again)", scope.owner),
                    );
                }
                format!("{}{name}", scope.prefix)
            }
            None => format!("{}{index}", scope.prefix),
        }
    }

    fn call(
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
        let relative = name.as_ref().map(|(name, _)| name.as_str());
        let display = display_name(relative, kind.name, kind.functional);
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
    fn run_leaf(
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
        let before = self.errors.count();
        check_dtype(kind, op, call, &inputs[0], self.errors);
        let dims: Vec<&[usize]> = inputs.iter().map(|tensor| tensor.dims.as_slice()).collect();
        let outcome = op.forward(&dims);
        report::report(&outcome.problems, kind, call, bound, &inputs, self.errors);
        let Outcome { output, extra, children, .. } = outcome;
        let output = output?;
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
        let params = self.state_starts.get(path).copied().unwrap_or(0);
        let operands: Vec<&Tensor> = inputs.iter().collect();
        let value = self.record_step(computation, &operands, vec![output.clone()], params, path, Spot::of(&call.kind));
        Some(follow(&inputs[0], &output, op, display.to_owned(), producer, strided, value))
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
        for child in children {
            let (params, buffers) = counts(&child.stored);
            previous = self.push_row(Row {
                path: format!("{path}.{}", child.path),
                kind: child.kind.to_owned(),
                depth: depth + child.depth,
                sources: vec![previous],
                input: child.input,
                output: child.output,
                extra: child.extra,
                params,
                trainable: if frozen { 0 } else { params },
                buffers,
                ..Row::default()
            });
        }
        let (params, buffers) = counts(&op.own_stored());
        let dims: Vec<&[usize]> = inputs.iter().map(|tensor| tensor.dims.as_slice()).collect();
        let (mult_adds, bias_adds) = op.mult_adds(&dims, output);
        let row = self.push_row(Row {
            path: path.to_owned(),
            kind: kind.name.to_owned(),
            functional: kind.functional,
            depth,
            sources: inputs.iter().map(|tensor| tensor.producer).collect(),
            input: input.dims.clone(),
            output: output.to_vec(),
            extra,
            params,
            trainable: if frozen { 0 } else { params },
            buffers,
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
        if !stored.is_empty() {
            self.state_starts.insert(path.to_owned(), self.state.len());
        }
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

    /// Adds a step to the forward program; returns the number of its first
    /// output value (the others follow).
    fn record_step(
        &mut self,
        computation: Computation,
        inputs: &[&Tensor],
        outputs: Vec<Dims>,
        params: usize,
        path: &str,
        spot: Spot,
    ) -> usize {
        let first = self.next_value;
        self.next_value += outputs.len();
        self.steps.push(ProgramStep {
            computation,
            inputs: inputs.iter().map(|tensor| tensor.value).collect(),
            input_dims: inputs.iter().map(|tensor| tensor.dims.clone()).collect(),
            outputs,
            params,
            path: path.to_owned(),
            spot,
        });
        first
    }

    /// Adds a row; returns it as a producer of tensors.
    fn push_row(&mut self, row: Row) -> Producer {
        self.rows.push(row);
        self.spots.push(None);
        Producer::Row(self.rows.len() - 1)
    }

    /// A warning at `spot`, unless its lint is allowed there.
    fn warn(&mut self, lint: &'static str, spot: Spot, allowed: &[&'static str], message: String) {
        // Once per lint and place: a block's lint is the same for every call.
        let place = format!("{:?}", spot.start);
        let repeated =
            self.warnings.iter().any(|warning| warning.lint == lint && format!("{:?}", warning.spot.start) == place);
        if !allowed.contains(&lint) && !repeated {
            self.warnings.push(Warning { lint, spot, message });
        }
    }

    /// The lints a step can raise when it is recorded: windows its stride
    /// makes skip input, an adaptive pool that upsamples, a receptive field
    /// past the input, a bias that the batch norm after it cancels.
    fn lint_leaf(&mut self, row: usize, op: &Op, input: &Tensor, spot: Spot) {
        let allowed = self.allowed.clone();
        let (name, kind) = (self.rows[row].path.clone(), self.rows[row].kind.clone());
        let display = layer_display(&name, &kind);
        let axes = input.dims.len().saturating_sub(1);
        for unread in op.unread_input(&input.dims, &self.rows[row].output) {
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
    fn dropout_before_softmax(&mut self, output: Producer) {
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

    /// A row's depth is its path's: `layer1.0.conv1` is two levels below the
    /// network's own steps; a functional op's is its scope's.
    fn rows_depth(&self, path: &str) -> usize {
        if path.is_empty() {
            self.scope_depth
        } else {
            path.matches('.').count()
        }
    }

    /// The struct field of a module: its path with `.` as `_`.
    fn field_name(&mut self, path: &str) -> String {
        let mut name = path.replace('.', "_");
        if name.starts_with(|c: char| c.is_ascii_digit()) {
            name.insert(0, '_');
        }
        let mut unique = name.clone();
        let mut count = 1;
        while !self.field_names.insert(unique.clone()) {
            count += 1;
            unique = format!("{name}_{count}");
        }
        unique
    }

    /// A block called with arguments: its parameters bound, its body run under
    /// its path, then its own row.
    fn block(
        &mut self,
        def: &'a parse::Block,
        call: &'a Call,
        name: Option<(String, &'a syn::Ident)>,
        scope: &mut Scope<'a>,
        inputs: Vec<Flow>,
        frozen: bool,
    ) -> Flow {
        // A block whose own `network!` failed has been reported there.
        if def.has_marker(parse::INVALID) {
            return None;
        }
        let path = self.claim(name.as_ref().map(|(name, ident)| (name.as_str(), *ident)), scope);
        let (env, rendered) = self.block_arguments(def, call, &scope.env)?;
        let frozen = frozen || scope.frozen;
        if let Some((name, _)) = &name {
            let module =
                Module::Block { def, env: env.clone(), rendered: rendered.clone(), path: path.clone(), frozen };
            scope.modules.insert(name.clone(), module);
        }
        let call_site = Spot { start: call.kind.span(), end: call.paren.span.close() };
        self.run_block(def, call_site, rendered, &path, env, inputs, frozen)
    }

    /// Binds a block's parameters as Python binds a call's; also gives the
    /// call as written, constants evaluated.
    fn block_arguments(&mut self, def: &parse::Block, call: &Call, env: &Constants) -> Option<(Constants, String)> {
        let before = self.errors.count();
        let mut given: Vec<Option<Value>> = vec![None; def.params.len()];
        let mut rendered = Vec::new();
        let mut positional = 0;
        for arg in &call.args {
            let value = match env.evaluate(&arg.value) {
                Ok(valued) => valued.value,
                Err(error) => {
                    self.errors.push(error);
                    continue;
                }
            };
            rendered.push(match &arg.key {
                Some(key) => format!("{key} = {}", bind::render(&value)),
                None => bind::render(&value),
            });
            let index = match &arg.key {
                None => {
                    positional += 1;
                    if positional > def.params.len() {
                        self.errors.at(
                            Spot::of(&arg.value),
                            format!("unexpected argument: block `{}` takes {} parameters", def.name, def.params.len()),
                        );
                        continue;
                    }
                    positional - 1
                }
                Some(key) => match def.params.iter().position(|param| param.name == *key) {
                    Some(index) => index,
                    None => {
                        let names = def.params.iter().map(|param| param.name.to_string()).collect::<Vec<_>>();
                        let hint = did_you_mean(&key.to_string(), names.iter().map(String::as_str))
                            .map(|close| format!("; did you mean `{close}`?"))
                            .unwrap_or_else(|| {
                                format!(
                                    "; it takes {}",
                                    names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
                                )
                            });
                        self.errors.at(Spot::of(key), format!("block `{}` has no parameter `{key}`{hint}", def.name));
                        continue;
                    }
                },
            };
            if given[index].replace(value).is_some() {
                self.errors.at(Spot::of(&arg.value), format!("parameter `{}` is given twice", def.params[index].name));
            }
        }
        // Parameters see the constants of the invocation that defines the block.
        let mut block_env = env.clone();
        for (param, value) in def.params.iter().zip(given) {
            let value = match (value, &param.default) {
                (Some(value), _) => value,
                (None, Some(default)) => match env.evaluate(default) {
                    Ok(valued) => valued.value,
                    Err(_) => continue,
                },
                (None, None) => {
                    self.errors.push(syn::Error::new(
                        call.paren.span.join(),
                        format!("block `{}` is missing its parameter `{}`", def.name, param.name),
                    ));
                    continue;
                }
            };
            block_env.define(param.name.to_string(), value);
        }
        (self.errors.count() == before).then(|| (block_env, format!("{}({})", def.name, rendered.join(", "))))
    }

    /// Runs a block's body as the module at `path`; `call_site` is where the
    /// network calls it, `rendered` the call with its arguments.
    #[allow(clippy::too_many_arguments)]
    fn run_block(
        &mut self,
        def: &'a parse::Block,
        call_site: Spot,
        rendered: String,
        path: &str,
        env: Constants,
        inputs: Vec<Flow>,
        frozen: bool,
    ) -> Flow {
        let at = call_site.start;
        if self.nesting >= MAX_NESTING {
            self.errors
                .push(syn::Error::new(at, format!("block `{}` calls itself, directly or through others", def.name)));
            return None;
        }
        let declared: Vec<&syn::Ident> = def
            .body
            .iter()
            .map_while(|stmt| match stmt {
                Stmt::Input(decl) => decl.name.as_ref(),
                _ => None,
            })
            .collect();
        if inputs.len() != declared.len() + 1 {
            let names: Vec<_> =
                std::iter::once("input".to_owned()).chain(declared.iter().map(|name| name.to_string())).collect();
            self.errors.push(syn::Error::new(
                at,
                format!(
                    "block `{}` takes {} inputs ({}), but it is given {}",
                    def.name,
                    names.len(),
                    names.join(", "),
                    inputs.len()
                ),
            ));
            return None;
        }
        let mut inner = Scope::new(format!("{path}."), env, frozen, def.name.to_string());
        inner.values.insert("input".to_owned(), inputs[0].clone());
        for (name, value) in declared.iter().zip(&inputs[1..]) {
            inner.values.insert(name.to_string(), value.clone());
        }
        let body = &def.body[declared.len()..];
        let allowed_depth = self.allowed.len();
        let allowed = allowed_lints(&def.attrs, self.errors);
        self.allowed.extend(allowed);
        self.nesting += 1;
        let outer = self.errors.context.is_none();
        if outer {
            self.errors.context = Some((call_site, format!("`{path}` (`{rendered}`)")));
        }
        let scope_depth = std::mem::replace(&mut self.scope_depth, inner.prefix.matches('.').count());
        let (last, outputs) = self.body(body, &mut inner, inputs[0].clone());
        self.scope_depth = scope_depth;
        if outer {
            self.errors.context = None;
        }
        self.nesting -= 1;
        self.allowed.truncate(allowed_depth);
        let output = match outputs {
            Some(mut outputs) if outputs.len() == 1 => outputs.remove(0),
            Some(_) => {
                self.errors.push(syn::Error::new(
                    at,
                    format!("block `{}` declares several outputs; a block gives one", def.name),
                ));
                None
            }
            None => last,
        };
        if let (Some(input), Some(output)) = (&inputs[0], &output) {
            self.push_row(Row {
                path: path.to_owned(),
                kind: def.name.to_string(),
                depth: self.rows_depth(path),
                sources: inputs.iter().flatten().map(|tensor| tensor.producer).collect(),
                input: input.dims.clone(),
                output: output.dims.clone(),
                field: output.field.clone(),
                ..Row::default()
            });
        }
        output.map(|tensor| Tensor { origin: Origin::Step(format!("`{path}`")), ..tensor })
    }

    /// A named `[ … ]`: an `nn.Sequential` whose modules are numbered from 0.
    fn sequence(
        &mut self,
        name: &str,
        ident: &'a syn::Ident,
        body: &'a [Stmt],
        scope: &mut Scope<'a>,
        current: Flow,
        frozen: bool,
    ) -> Flow {
        let class = self.class.take();
        let path = self.claim(Some((name, ident)), scope);
        let frozen = frozen || scope.frozen;
        let module =
            Module::Sequence { body, env: scope.env.clone(), path: path.clone(), frozen, class: class.clone() };
        scope.modules.insert(name.to_owned(), module);
        self.run_sequence(body, &path, scope.env.clone(), current, frozen, name, class.as_deref())
    }

    /// Runs a sequence's body, then writes its row, of class `class` (a
    /// subclass of `nn.Sequential`, such as torchvision's
    /// `Conv2dNormActivation`) or `Sequential`.
    #[allow(clippy::too_many_arguments)]
    fn run_sequence(
        &mut self,
        body: &'a [Stmt],
        path: &str,
        env: Constants,
        current: Flow,
        frozen: bool,
        name: &str,
        class: Option<&str>,
    ) -> Flow {
        let mut inner = Scope::new(format!("{path}."), env, frozen, name.to_owned());
        inner.values.insert("input".to_owned(), current.clone());
        let scope_depth = std::mem::replace(&mut self.scope_depth, inner.prefix.matches('.').count());
        let output = self.body(body, &mut inner, current.clone()).0;
        self.scope_depth = scope_depth;
        // A row of its own after its modules', which torchinfo shows and
        // torchsummary does not.
        if let (Some(input), Some(output)) = (&current, &output) {
            self.push_row(Row {
                path: path.to_owned(),
                kind: class.unwrap_or("Sequential").to_owned(),
                container: true,
                depth: self.rows_depth(path),
                sources: vec![input.producer],
                input: input.dims.clone(),
                output: output.dims.clone(),
                field: output.field.clone(),
                ..Row::default()
            });
        }
        output
    }

    /// `relu`: a module called again, or a value the chain continues from.
    fn reference(&mut self, ident: &'a syn::Ident, scope: &mut Scope<'a>, current: Flow) -> Flow {
        let name = ident.to_string();
        if let Some(value) = scope.values.get(&name) {
            return value.clone();
        }
        let Some(module) = scope.modules.get(&name).cloned() else {
            let message = if catalog::find(&name).is_some() || self.blocks.contains_key(&name) {
                format!("`{name}` is called with parentheses: `{name}(…)`")
            } else {
                let known = scope.modules.keys().chain(scope.values.keys()).map(String::as_str);
                let hint =
                    did_you_mean(&name, known).map(|close| format!("; did you mean `{close}`?")).unwrap_or_default();
                format!("unknown module or value `{name}`{hint}")
            };
            self.errors.at(Spot::of(ident), message);
            return None;
        };
        // Called again: new rows, nothing new stored.
        let registering = std::mem::replace(&mut self.registering, false);
        let output = match module {
            Module::Leaf { kind, op, args, path, frozen, inplace } => {
                let display = format!("`{name}`");
                let call = Call { kind: ident.clone(), paren: Default::default(), args: Vec::new() };
                let bound = bind::BoundCall::recalled(args);
                self.run_leaf(kind, &op, &call, &bound, &path, &display, vec![current], frozen, None, inplace)
            }
            Module::Block { def, env, rendered, path, frozen } => {
                self.run_block(def, Spot::of(ident), rendered, &path, env, vec![current], frozen)
            }
            Module::Sequence { body, env, path, frozen, class } => {
                self.run_sequence(body, &path, env, current, frozen, &name, class.as_deref())
            }
        };
        self.registering = registering;
        output
    }

    /// `add(…)`, `mul(…)`, `cat(…, dim = 1)`: every branch from the current
    /// value, then joined.
    fn join(&mut self, join: &'a parse::Join, scope: &mut Scope<'a>, current: Flow) -> Flow {
        let kind = join.kind.to_string();
        let mut dim = None;
        for arg in &join.args {
            let key = arg.key.as_ref().map(|key| key.to_string());
            match (key.as_deref(), &kind[..]) {
                (Some("dim"), "cat" | "stack") => match scope.env.evaluate(&arg.value) {
                    Ok(Valued { value: Value::Int(value), .. }) => dim = Some(value),
                    Ok(Valued { value, spot }) => {
                        self.errors.at(spot, format!("`dim` expects an integer, found {}", value.describe()))
                    }
                    Err(error) => self.errors.push(error),
                },
                _ => self.errors.at(
                    Spot::of(&arg.key),
                    match &kind[..] {
                        "cat" | "stack" => format!("`{kind}` takes branches and `dim`"),
                        _ => format!("`{kind}` takes only branches"),
                    },
                ),
            }
        }
        if join.branches.len() < 2 && kind != "cat" && kind != "stack" {
            self.errors.push(syn::Error::new(
                join.paren.span.join(),
                format!("`{kind}` joins at least two branches; `[]` is the value itself"),
            ));
            return None;
        }
        if join.branches.is_empty() {
            self.errors.push(syn::Error::new(join.paren.span.join(), format!("`{kind}` needs branches to join")));
            return None;
        }
        let operands: Vec<Flow> =
            join.branches.iter().map(|branch| self.branch(branch, scope, current.clone())).collect();
        let operands: Vec<Tensor> = operands.into_iter().collect::<Option<_>>()?;
        let shapes: Vec<&[usize]> = operands.iter().map(|tensor| tensor.dims.as_slice()).collect();
        let result = match &kind[..] {
            "cat" | "stack" => {
                let Some(dim) = dim else {
                    self.errors.push(syn::Error::new(
                        join.paren.span.join(),
                        format!("`{kind}` needs `dim`: PyTorch's default, 0, is the batch; channels are `dim = 1`"),
                    ));
                    return None;
                };
                if kind == "cat" {
                    join::cat(&shapes, dim)
                } else {
                    join::stack(&shapes, dim)
                }
            }
            _ => join::broadcast(&shapes),
        };
        match result {
            Ok(output) => {
                let operand_refs: Vec<&Tensor> = operands.iter().collect();
                let row = Row { depth: self.scope_depth, ..functional_row(&kind, &operand_refs, &output) };
                let producer = self.push_row(row);
                let spot = Spot::of(&join.kind);
                let computation = Computation::Join { kind: kind.clone(), dim };
                let value = self.record_step(computation, &operand_refs, vec![output.clone()], 0, "", spot);
                // Along every path: the widest field (Araujo et al.).
                let field = operands
                    .iter()
                    .filter(|operand| operand.field.len() == output.len().saturating_sub(1))
                    .map(|operand| operand.field.clone())
                    .max_by(|a, b| widest(a).total_cmp(&widest(b)))
                    .unwrap_or_default();
                Some(Tensor::made(output, operands[0].dtype, format!("`{kind}`"), producer, field, value))
            }
            Err(problem) => {
                let spots: Vec<Spot> = join.branches.iter().map(|branch| branch.spot).collect();
                report::join_problem(&problem, &kind, &operands, &spots, Spot::of(&join.kind), self.errors);
                None
            }
        }
    }
}

/// A functional op's row: shapes only, no module.
fn functional_row(kind: &str, inputs: &[&Tensor], output: &[usize]) -> Row {
    Row {
        kind: kind.to_owned(),
        functional: true,
        sources: inputs.iter().map(|tensor| tensor.producer).collect(),
        input: inputs.first().map(|tensor| tensor.dims.clone()).unwrap_or_default(),
        output: output.to_vec(),
        ..Row::default()
    }
}

/// The largest receptive field along any axis.
fn widest(field: &[Field]) -> f64 {
    field.iter().map(|axis| axis.size).fold(0.0, f64::max)
}

fn counts(stored: &[Stored]) -> (usize, usize) {
    let params = stored.iter().filter(|stored| !stored.buffer).map(Stored::numel).sum();
    let buffers = stored.iter().filter(|stored| stored.buffer).map(Stored::numel).sum();
    (params, buffers)
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

/// The tensor after a step: its provenance is kept while the shape is.
fn follow(
    before: &Tensor,
    output: &[usize],
    op: &Op,
    display: String,
    producer: Producer,
    strided: bool,
    value: usize,
) -> Tensor {
    let dtype = op.output_dtype(before.dtype);
    let field = op.receptive_field(&before.dims, output, &before.field).unwrap_or_default();
    if before.dims == output {
        return Tensor { dtype, producer, field, strided, value, ..before.clone() };
    }
    let factors = match op {
        Op::Flatten(_) | Op::View(_) => merged_factors(&before.dims, output),
        _ => vec![None; output.len()],
    };
    Tensor { dims: output.to_vec(), dtype, origin: Origin::Step(display), factors, producer, field, strided, value }
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
