//! Stage 3: the rules. Walks each network's statements as PyTorch's `forward`
//! would run them, binding each call's arguments to its PyTorch signature and
//! running the shape arithmetic on the tensors that flow, and turns every
//! broken rule into an error at the smallest offending token that gives the
//! numbers and where they came from. Errors are collected, so one build
//! reports every independent mistake; a value whose shape is unknown after a
//! mistake is followed silently, so one root cause gives one error.
//!
//! `check` takes each constant, block and network in turn; a network's
//! statements run through `Walk::body`, and each operation is handed to the
//! file that knows it:
//!
//! - `mod.rs`: the entry point, errors, and the walk itself: scopes,
//!   statements, loops and conditions, names, modules called again.
//! - `tensor.rs`: the tensors that flow, with where each dimension came from.
//! - `leaf.rs`: calling a catalog layer or function: its arguments bound, its
//!   shape arithmetic run, its rows, `state_dict` entries and typed field.
//! - `bind.rs`: a call's arguments matched to its PyTorch signature.
//! - `block.rs`: `block` definitions and calls, and `[…]` sequences.
//! - `join.rs`: the functions of several tensors: `add`, `cat`, `stack`, and
//!   `chunk`/`split`/`unbind` into several values.
//! - `record.rs`: what the walk writes out for the expansion and the runtime:
//!   rows, `state_dict` keys, typed fields, program steps.
//! - `lint.rs`: the warnings, and `#[allow(netshape::…)]`.
//! - `report.rs`: shape problems as messages.

mod bind;
mod block;
mod join;
mod leaf;
mod lint;
mod raw;
mod record;
mod report;
mod sizes;
mod symbols;
mod tensor;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;

use syn::Attribute;

use crate::catalog::{self, Kind};
use crate::eval::{Constants, Value, Valued};
use crate::parse::{self, Branch, Call, Name, Operation, Source, Spot, Stmt};
use crate::shape::symbolic::{Form, Symbol};
use crate::shape::{too_large, Dims, Dtype, Op, MAX_STEPS};
use crate::suggest::did_you_mean;

use block::{check_block_params, sequence_class};
use lint::allowed_lints;
pub use lint::Warning;
pub use record::{Computation, Producer, ProgramStep, Row, StateKey, TypedField};
use tensor::{shape, Flow, Tensor};

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
    /// The sizes that vary (`where H in …`); the shapes above are at their
    /// defaults.
    pub symbols: Vec<Symbol>,
    /// Per input, per dim, the symbol it is.
    pub input_symbols: Vec<Vec<Option<usize>>>,
    /// Every value's dims as formulas of the symbols (inputs first, then each
    /// step's outputs); empty when no size varies.
    pub forms: Vec<Vec<Form>>,
}

/// Collects errors so that all of them are reported together.
#[derive(Default)]
pub struct Errors {
    list: Vec<Entry>,
    /// While a block instance runs: where the network calls it and how, for
    /// pointing there; errors inside it are about that call.
    context: Option<(Spot, String)>,
    /// The path of the layer being checked, for naming it in errors.
    layer: Option<String>,
    /// Errors already reported inside blocks, by place and text: a mistake in
    /// a block used many times is reported once.
    seen: BTreeSet<String>,
    /// For a mistake in the values of a block instance, by the token in the
    /// block: its entry, where later instances are counted.
    instances: BTreeMap<String, usize>,
    /// Every mistake found, reported or already seen: whether a step failed
    /// does not depend on whether its mistake was new.
    found: usize,
    /// Put before every message: the sizes a walk runs at (`for H = 225: `).
    prefix: String,
}

enum Entry {
    Error(syn::Error),
    /// A mistake at a place in the text, kept as text until the end so that
    /// the sizes it holds at can be put before it.
    At {
        spot: Spot,
        message: String,
    },
    /// A mistake inside a block instance: at the token in the block, with the
    /// call that made the instance as a note, and the other instances with
    /// a mistake at the same token.
    Instance {
        spot: Spot,
        message: String,
        note: syn::Error,
        others: Vec<String>,
    },
}

impl Errors {
    /// A mistake in the text at `spot`; inside a block, a mistake in the
    /// block's text, reported there once however often the block is used.
    pub fn at(&mut self, spot: Spot, message: impl Display) {
        self.found += 1;
        let message = format!("{}{message}", self.prefix);
        if self.context.is_some() && !self.seen.insert(format!("{:?} {message}", spot.start)) {
            return;
        }
        self.list.push(Entry::At { spot, message });
    }

    /// A mistake in the values that flow (shapes, and arguments computed from
    /// a block's parameters): inside a block it points at the token in the
    /// block, names the layer's full path and notes the call; later instances
    /// with a mistake at the same token are counted, not repeated.
    pub fn at_instance(&mut self, spot: Spot, message: impl Display) {
        self.found += 1;
        let message = format!("{}{message}", self.prefix);
        let Some((call, about)) = &self.context else {
            self.list.push(Entry::At { spot, message });
            return;
        };
        let place = self.layer.clone().map_or_else(|| about.clone(), |layer| format!("`{layer}`"));
        let key = format!("{:?}", spot.start);
        if let Some(&index) = self.instances.get(&key) {
            if let Entry::Instance { others, .. } = &mut self.list[index] {
                if !others.contains(&place) {
                    others.push(place);
                }
            }
            return;
        }
        self.instances.insert(key, self.list.len());
        let message = format!("in {place}: {message}");
        let note = call.error(format!("note: {about} is called here"));
        self.list.push(Entry::Instance { spot, message, note, others: Vec::new() });
    }

    pub fn push(&mut self, error: syn::Error) {
        self.found += 1;
        let error = if self.prefix.is_empty() {
            error
        } else {
            let parts = error.into_iter().map(|part| syn::Error::new(part.span(), format!("{}{part}", self.prefix)));
            let Some(error) = parts.reduce(|mut all, part| {
                all.combine(part);
                all
            }) else {
                return;
            };
            error
        };
        match &self.context {
            None => self.list.push(Entry::Error(error)),
            Some(_) => {
                for part in error {
                    if self.seen.insert(format!("{:?} {part}", part.span())) {
                        self.list.push(Entry::Error(part));
                    }
                }
            }
        }
    }

    /// How many mistakes were found so far, counting those reported once
    /// for many instances each time.
    pub fn count(&self) -> usize {
        self.found
    }

    /// The messages of the mistakes found.
    fn messages(&self) -> BTreeSet<String> {
        self.list
            .iter()
            .flat_map(|entry| match entry {
                Entry::Error(error) => error.clone().into_iter().map(|part| part.to_string()).collect(),
                Entry::At { message, .. } | Entry::Instance { message, .. } => vec![message.clone()],
            })
            .collect()
    }

    /// Puts `prefix` before the messages of the mistakes `elsewhere` lacks:
    /// those of a walk at some sizes that a walk at others does not make.
    fn prefix_unless(&mut self, prefix: &str, elsewhere: &BTreeSet<String>) {
        for entry in &mut self.list {
            if let Entry::At { message, .. } | Entry::Instance { message, .. } = entry {
                if !elsewhere.contains(message.as_str()) {
                    *message = format!("{prefix}{message}");
                }
            }
        }
    }

    /// Takes in another collector's errors (a walk at other sizes).
    pub fn absorb(&mut self, other: Errors) {
        self.found += other.found;
        self.list.extend(other.list);
    }

    pub fn combined(self) -> Option<syn::Error> {
        self.list
            .into_iter()
            .flat_map(|entry| match entry {
                Entry::Error(error) => vec![error],
                Entry::At { spot, message } => vec![spot.error(message)],
                Entry::Instance { spot, message, note, others } => {
                    let more = match others.len() {
                        0 => String::new(),
                        1 => format!("; and 1 more instance: {}", others[0]),
                        count => format!("; and {count} more instances: {}", others.join(", ")),
                    };
                    vec![spot.error(format!("{message}{more}")), note]
                }
            })
            .reduce(|mut all, error| {
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

/// The highest rank with a typed tensor marker (`netshape::Tensor8`).
const MAX_RANK: usize = 8;

/// A module a scope holds by name, so that it can be called again.
#[derive(Clone)]
enum Module<'a> {
    Leaf { kind: &'static Kind, op: Op, args: catalog::Args, path: String, frozen: bool, inplace: bool },
    Block { def: &'a parse::Block, env: Constants, rendered: String, path: String, frozen: bool, class: Option<String> },
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
    /// Whether a module has been defined here: raw tensors come before.
    modules_started: bool,
    /// The raw parameters and buffers registered here, their elements each.
    own_parameters: usize,
    own_trainable: usize,
    own_buffers: usize,
}

impl<'a> Scope<'a> {
    fn new(prefix: String, env: Constants, frozen: bool, owner: String) -> Scope<'a> {
        Scope {
            prefix,
            env,
            values: BTreeMap::new(),
            modules: BTreeMap::new(),
            next_index: 0,
            frozen,
            owner,
            modules_started: false,
            own_parameters: 0,
            own_trainable: 0,
            own_buffers: 0,
        }
    }

    /// Names a value; expressions read its shape (`skip.shape[-2:]`).
    fn bind(&mut self, name: String, value: Flow) {
        if let Some(tensor) = value.as_ref().filter(|tensor| tensor.raw.is_none()) {
            self.env.define_shape(name.clone(), tensor.dims.clone(), tensor.value);
        }
        self.values.insert(name, value);
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
    /// The blocks being run, outermost first: a call to one of them again
    /// is a cycle.
    calling: Vec<String>,
    /// Steps unrolled so far, against [`MAX_STEPS`]; past it the walk stops.
    spent: usize,
    /// The keyword arguments of the call about to run (`need_weights = false`).
    call_args: &'a [parse::Arg],
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
    /// The network's constants, whose log of shape reads each step stamps.
    constants: Constants,
}

fn check_network<'a>(
    def: &'a parse::Network,
    constants: &Constants,
    blocks: &BTreeMap<String, &'a parse::Block>,
    errors: &mut Errors,
) -> Option<Network<'a>> {
    let decls: Vec<&parse::InputDecl> = def
        .body
        .iter()
        .map_while(|stmt| match stmt {
            Stmt::Input(decl) => Some(&**decl),
            _ => None,
        })
        .collect();
    let before = errors.count();
    constants.take_reads();
    let symbols = symbols::declare(&decls, constants, errors);
    let defaults: Vec<usize> = symbols.iter().map(|symbol| symbol.default).collect();
    if symbols.is_empty() {
        return walk_network(def, constants, blocks, errors, &symbols, &defaults);
    }
    let mut at_defaults = Errors::default();
    let network = walk_network(def, constants, blocks, &mut at_defaults, &symbols, &defaults);
    if at_defaults.count() > 0 {
        // The mistakes a walk at the largest sizes does not make are about
        // the defaults: say so.
        let largest: Vec<usize> = symbols.iter().map(|symbol| symbol.high).collect();
        let mut at_largest = Errors::default();
        walk_network(def, constants, blocks, &mut at_largest, &symbols, &largest);
        at_defaults.prefix_unless(&sizes_text(&symbols, &defaults), &at_largest.messages());
        errors.absorb(at_defaults);
        constants.take_reads();
        return None;
    }
    let mut network = network?;
    if errors.count() != before {
        return None;
    }
    let inputs: Vec<(Dims, Vec<Option<usize>>)> =
        network.inputs.iter().map(|(dims, _)| dims.clone()).zip(network.input_symbols.clone()).collect();
    let reads = constants.take_reads();
    match sizes::sweep(&symbols, &inputs, &network.steps, &reads) {
        sizes::Verdict::Holds(forms) => {
            network.forms = forms;
            Some(network)
        }
        sizes::Verdict::Fails(sizes) => {
            // The walk again at the failing sizes: its own errors, prefixed.
            let mut again = Errors { prefix: sizes_text(&symbols, &sizes), ..Errors::default() };
            walk_network(def, constants, blocks, &mut again, &symbols, &sizes);
            constants.take_reads();
            if again.count() == 0 {
                again.at(Spot::of(&def.name), "a rule fails at these sizes");
            }
            errors.absorb(again);
            None
        }
        sizes::Verdict::Unsupported(spot, message) => {
            errors.at(spot, message);
            None
        }
    }
}

/// `for H = 225, W = 224: `, put before a message about those sizes.
fn sizes_text(symbols: &[Symbol], sizes: &[usize]) -> String {
    let named: Vec<String> =
        symbols.iter().zip(sizes).map(|(symbol, size)| format!("{} = {size}", symbol.name)).collect();
    format!("for {}: ", named.join(", "))
}

/// Walks a network with its symbols at `sizes`.
fn walk_network<'a>(
    def: &'a parse::Network,
    constants: &Constants,
    blocks: &BTreeMap<String, &'a parse::Block>,
    errors: &mut Errors,
    symbols: &[Symbol],
    sizes: &[usize],
) -> Option<Network<'a>> {
    let before = errors.count();
    let (inputs, input_symbols, body) = network_inputs(def, constants, symbols, sizes, errors);
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
        calling: Vec::new(),
        spent: 0,
        call_args: &[],
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
        constants: constants.clone(),
    };
    let mut scope = Scope::new(String::new(), constants.clone(), false, def.name.to_string());
    for (name, tensor) in &inputs {
        scope.bind(name.clone(), tensor.clone());
    }
    let first = inputs.first().and_then(|(_, tensor)| tensor.clone());
    let (last, outputs) = walk.body(body, &mut scope, first);
    // The network's own raw parameters (ViT's `class_token`): a container
    // row without a name, which only torchinfo's root row shows.
    if scope.own_parameters + scope.own_buffers > 0 {
        walk.push_row(Row {
            kind: def.name.to_string(),
            container: true,
            params: scope.own_parameters,
            trainable: scope.own_trainable,
            buffers: scope.own_buffers,
            raw_params: scope.own_parameters,
            raw_trainable: scope.own_trainable,
            ..Row::default()
        });
    }
    let outputs = outputs.unwrap_or_else(|| vec![last]);
    for output in outputs.iter().flatten() {
        walk.dropout_before_softmax(output.producer);
    }
    if let Some(order) = record::state_order(&def.attrs, walk.errors) {
        walk.reorder_state(0, "", &order);
    }
    walk.locate_state();
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
        symbols: symbols.to_vec(),
        input_symbols,
        forms: Vec::new(),
    })
}

/// Per input, per dim, the symbol it is, if any.
type InputSymbols = Vec<Vec<Option<usize>>>;

/// The network's inputs, which come first, and the statements after them.
fn network_inputs<'a>(
    def: &'a parse::Network,
    constants: &Constants,
    symbols: &[Symbol],
    sizes: &[usize],
    errors: &mut Errors,
) -> (Vec<(String, Flow)>, InputSymbols, &'a [Stmt]) {
    let count = def.body.iter().take_while(|stmt| matches!(stmt, Stmt::Input(_))).count();
    let mut inputs = Vec::new();
    let mut input_symbols = Vec::new();
    for stmt in &def.body[..count] {
        let Stmt::Input(decl) = stmt else { continue };
        let name = decl.name.as_ref().map_or_else(|| "input".to_owned(), |name| name.to_string());
        if inputs.iter().any(|(other, _)| *other == name) {
            errors.at(Spot::of(&decl.keyword), format!("input `{name}` is declared twice"));
        }
        let index = inputs.len();
        let (flow, of) = check_input(decl, index, constants, symbols, sizes, errors);
        inputs.push((name, flow));
        input_symbols.push(of);
    }
    for symbol in symbols {
        let used = def.body[..count].iter().any(|stmt| {
            matches!(stmt, Stmt::Input(decl) if decl.shape.as_ref().is_some_and(|(_, dims)| dims.iter().any(|dim| dim_symbol(dim).is_some_and(|name| name == symbol.name))))
        });
        if !used {
            errors.at(
                Spot::of(&def.name),
                format!("`{}` is declared in a `where` clause but no input dim is `{}`", symbol.name, symbol.name),
            );
        }
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
    (inputs, input_symbols, &def.body[count..])
}

/// The symbol an input dim is: `H`, or `H = 224` with its default.
fn dim_symbol(dim: &syn::Expr) -> Option<String> {
    match dim {
        syn::Expr::Assign(assign) => symbols::symbol_name(&assign.left),
        _ => symbols::symbol_name(dim),
    }
}

fn check_input(
    decl: &parse::InputDecl,
    index: usize,
    constants: &Constants,
    symbols: &[Symbol],
    sizes: &[usize],
    errors: &mut Errors,
) -> (Flow, Vec<Option<usize>>) {
    let name = decl.name.as_ref().map_or_else(|| "input".to_owned(), |name| name.to_string());
    let Some((bracket, exprs)) = &decl.shape else {
        errors.at(
            Spot::of(&decl.keyword),
            format!("input `{name}` needs its shape, batch left out: `input {name}: [3, 32, 32]`"),
        );
        return (None, Vec::new());
    };
    let of: Vec<Option<usize>> = exprs
        .iter()
        .map(|dim| dim_symbol(dim).and_then(|name| symbols.iter().position(|symbol| symbol.name == name)))
        .collect();
    (check_input_dims(decl, index, constants, (bracket, exprs), &of, sizes, errors), of)
}

fn check_input_dims(
    decl: &parse::InputDecl,
    index: usize,
    constants: &Constants,
    (bracket, exprs): (&syn::token::Bracket, &Vec<syn::Expr>),
    of: &[Option<usize>],
    sizes: &[usize],
    errors: &mut Errors,
) -> Flow {
    let name = decl.name.as_ref().map_or_else(|| "input".to_owned(), |name| name.to_string());
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
    for (expr, symbol) in exprs.iter().zip(of) {
        if let Some(symbol) = symbol {
            dims.push(sizes[*symbol]);
            continue;
        }
        // A symbol whose conditions were refused: already reported.
        let refused = dim_symbol(expr).is_some_and(|name| {
            decl.constraints
                .iter()
                .any(|constraint| matches!(constraint, parse::Constraint::Range { symbol, .. } if *symbol == name))
        });
        if refused {
            continue;
        }
        if let syn::Expr::Assign(assign) = expr {
            errors.at(
                Spot::of(&assign.left),
                "only a size declared in a `where` clause takes a default: `[3, H = 224] where H in 32..=2048`",
            );
            continue;
        }
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
    if let Some(why) = too_large(&dims) {
        errors.push(syn::Error::new(bracket.span.join(), format!("the input is too large: {why}")));
        return None;
    }
    (dims.len() == exprs.len()).then(|| Tensor::input(&name, index, dims, dtype))
}

impl<'a> Walk<'a, '_> {
    /// Runs statements from `current`; returns the value after them and, if
    /// the statements declare them, the outputs.
    fn body(&mut self, body: &'a [Stmt], scope: &mut Scope<'a>, current: Flow) -> (Flow, Option<Vec<Flow>>) {
        // Brackets nest at most `MAX_NESTING` deep in the text; blocks calling
        // blocks are stopped at `MAX_NESTING` levels of bodies.
        self.nesting += 1;
        let result = self.statements(body, scope, current);
        self.nesting -= 1;
        result
    }

    fn statements(&mut self, body: &'a [Stmt], scope: &mut Scope<'a>, mut current: Flow) -> (Flow, Option<Vec<Flow>>) {
        let mut outputs = None;
        for stmt in body {
            if self.spent > MAX_STEPS {
                return (None, outputs);
            }
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
                            if !self.spend(Spot::of(&each.range), 1) {
                                break;
                            }
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
                Stmt::Step(step) => {
                    // A bracketed group costs nothing itself: its steps do.
                    let spot = match &step.op {
                        Operation::Call(Call { kind, .. }) | Operation::Join(parse::Join { kind, .. }) => {
                            Some(Spot::of(kind))
                        }
                        Operation::Ref(name) => Some(Spot::of(name)),
                        Operation::Group(_) | Operation::Sequential(_) => None,
                    };
                    if spot.is_none_or(|spot| self.spend(spot, 1)) {
                        current = self.step(step, scope, current);
                    }
                }
                Stmt::Const(constant) => match scope.env.evaluate(&constant.value) {
                    Ok(valued) => scope.env.define(constant.name.to_string(), valued.value),
                    Err(error) => self.errors.push(error),
                },
            }
        }
        (current, outputs)
    }

    /// Counts `steps` steps of unrolling; past [`MAX_STEPS`] it reports, once,
    /// the step at `spot` and says to stop.
    fn spend(&mut self, spot: Spot, steps: usize) -> bool {
        let before = self.spent;
        self.spent = self.spent.saturating_add(steps);
        if before <= MAX_STEPS && self.spent > MAX_STEPS {
            self.errors.push(spot.error(format!(
                "the network unrolls to more than {MAX_STEPS} steps (layers, loop rounds and block calls) here; \
                 netshape checks networks up to that size"
            )));
        }
        self.spent <= MAX_STEPS
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
            scope.bind(name.to_string(), value);
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
        // A raw parameter or buffer is an operand of the join as it is.
        if let (Operation::Ref(ident), None, None) = (&branch.op, &branch.source, &branch.name) {
            if let Some(Some(tensor)) = scope
                .values
                .get(&ident.to_string())
                .filter(|value| value.as_ref().is_some_and(|tensor| tensor.raw.is_some()))
            {
                return Some(tensor.clone());
            }
        }
        self.operation(branch.name.as_ref(), &branch.op, &[], scope, vec![start], false)
    }

    fn step(&mut self, step: &'a parse::Step, scope: &mut Scope<'a>, current: Flow) -> Flow {
        if let Operation::Call(call) = &step.op {
            if call.kind == "Parameter" || call.kind == "Buffer" {
                self.declare_raw(step, call, scope);
                return current;
            }
        }
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
        self.call_args = &step.call_args;
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
        if let Some(text) = &name.text {
            return self.text_name(text, scope).map(|name| (name, ident));
        }
        // `r#type` is the module `type`, as PyTorch names it.
        let base = syn::ext::IdentExt::unraw(ident).to_string();
        match &name.index {
            None => Some((base, ident)),
            Some(index) => match scope.env.evaluate(index) {
                Ok(Valued { value: Value::Int(index), spot }) if index < 0 => {
                    self.errors.at(spot, format!("a name's index must not be negative, found {index}"));
                    None
                }
                Ok(Valued { value: Value::Int(index), .. }) => Some((format!("{base}{index}"), ident)),
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

    /// `"block{i}-{j}"`: the text with each `{…}` evaluated (an integer or a
    /// string); a name must not be empty nor hold a `.`, which separates
    /// `state_dict` keys.
    fn text_name(&mut self, text: &syn::LitStr, scope: &Scope) -> Option<String> {
        let spot = Spot::of(text);
        let raw = text.value();
        let mut name = String::new();
        let mut rest = raw.as_str();
        while let Some(open) = rest.find('{') {
            name.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}').map(|close| open + close) else {
                self.errors.at(spot, "a `{` in a module name needs its `}`");
                return None;
            };
            let value = syn::parse_str::<syn::Expr>(&rest[open + 1..close])
                .map_err(|error| spot.error(format!("in a module name: {error}")))
                .and_then(|expr| scope.env.evaluate(&expr));
            match value {
                Ok(Valued { value: Value::Int(index), .. }) => name.push_str(&index.to_string()),
                Ok(Valued { value: Value::Str(part), .. }) => name.push_str(&part),
                Ok(Valued { value, .. }) => {
                    self.errors
                        .at(spot, format!("a module name takes integers and strings, found {}", value.describe()));
                    return None;
                }
                Err(error) => {
                    self.errors.at(spot, error.to_string());
                    return None;
                }
            }
            rest = &rest[close + 1..];
        }
        name.push_str(rest);
        if name.is_empty() || name.contains('.') {
            self.errors.at(spot, format!("a module name must not be empty nor hold a `.`, found {name:?}"));
            return None;
        }
        Some(name)
    }

    /// The path of a module defined in `scope`, after checking its name is new.
    fn claim(&mut self, name: Option<(&str, &syn::Ident)>, scope: &mut Scope<'a>) -> String {
        scope.modules_started = true;
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

    /// `relu`: a module called again, or a value the chain continues from.
    fn reference(&mut self, ident: &'a syn::Ident, scope: &mut Scope<'a>, current: Flow) -> Flow {
        let name = ident.to_string();
        if let Some(value) = scope.values.get(&name) {
            if value.as_ref().is_some_and(|tensor| tensor.raw.is_some()) {
                self.errors.at(
                    Spot::of(ident),
                    format!("`{name}` is a raw tensor of the module, not a value of the chain: join it (`add`, `mul`, `cat`, …) with one"),
                );
                return None;
            }
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
            Module::Block { def, env, rendered, path, frozen, class } => {
                self.run_block(def, Spot::of(ident), rendered, &path, env, vec![current], frozen, class)
            }
            Module::Sequence { body, env, path, frozen, class } => {
                self.run_sequence(body, &path, env, current, frozen, &name, class.as_deref())
            }
        };
        self.registering = registering;
        output
    }
}
