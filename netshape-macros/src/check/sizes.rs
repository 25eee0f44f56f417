//! Sizes that vary: the symbols a network's `where` clauses declare, and the
//! proof that every rule holds at every admissible size.
//!
//! The walk runs once, at the symbols' default sizes, and records the forward
//! program. `sweep` then evaluates the program's rules (the same functions of
//! `shape/`) at every admissible size of every symbol, which is a proof by
//! exhaustion: each step is run once per distinct input shape it receives, and
//! a dim's table of values is carried to the next step. Rules that treat each
//! axis on its own (convolutions, pools, joins, …) are swept one symbol at a
//! time with the others at their defaults; the others on every combination
//! of the distinct sizes their inputs see. The smallest size at which a rule
//! fails is then walked again, so that the error is the walk's own, at that
//! size.

use std::collections::BTreeSet;
use std::rc::Rc;

use syn::{BinOp, Expr};

use crate::eval::{Constants, ShapeRead, Value, Valued};
use crate::parse::{Constraint, InputDecl, Spot};
use crate::shape::symbolic::{admissible, combine, Form, Symbol};
use crate::shape::{join, too_large, Dims, Op, MAX_SIZE};

use super::{Computation, Errors, ProgramStep};

/// The most symbols a network declares.
const MAX_SYMBOLS: usize = 8;

/// The most sizes a symbol takes: each is checked.
const MAX_SIZES: usize = 1 << 16;

/// The largest modulus of a condition.
const MAX_MODULUS: usize = 1 << 16;

/// The most combinations of sizes one step that mixes symbols is run at.
const MAX_COMBINATIONS: usize = 1 << 14;

/// The symbols the inputs declare, in the order of their `where` clauses,
/// with their defaults (`[3, H = 224, W = 224]`, else the smallest size).
pub(super) fn declare(decls: &[&InputDecl], constants: &Constants, errors: &mut Errors) -> Vec<Symbol> {
    let mut declared: Vec<Declared> = Vec::new();
    for decl in decls {
        for constraint in &decl.constraints {
            read_constraint(constraint, &mut declared, constants, errors);
        }
    }
    for decl in decls {
        let Some((_, dims)) = &decl.shape else { continue };
        for expr in dims {
            let Expr::Assign(assign) = expr else { continue };
            let Some(name) = symbol_name(&assign.left) else { continue };
            let Some(symbol) = declared.iter_mut().find(|symbol| symbol.name == name) else { continue };
            if let Some(size) = size_of(&assign.right, "a default size", constants, errors) {
                match symbol.default {
                    Some((other, _)) if other != size => errors.at(
                        Spot::of(&assign.right),
                        format!("`{name}` defaults to {other} elsewhere; give it one default"),
                    ),
                    _ => symbol.default = Some((size, Spot::of(&assign.right))),
                }
            }
        }
    }
    let mut symbols = Vec::new();
    for symbol in declared {
        let Some((low, high)) = symbol.range else {
            errors
                .at(symbol.spot, format!("`{}` needs the sizes it takes: `{} in 1..=1024`", symbol.name, symbol.name));
            continue;
        };
        let Some((low, high)) = admissible(low, high, symbol.modulus, symbol.residue) else {
            errors.at(
                symbol.spot,
                format!("no size of `{}` meets its conditions ({})", symbol.name, symbol.conditions()),
            );
            continue;
        };
        if (high - low) / symbol.modulus >= MAX_SIZES {
            errors.at(
                symbol.spot,
                format!("`{}` takes more than {MAX_SIZES} sizes, and each is checked; narrow its range", symbol.name),
            );
            continue;
        }
        let default = match symbol.default {
            None => low,
            Some((size, spot)) => {
                if size < low || size > high || size % symbol.modulus != symbol.residue {
                    errors.at(
                        spot,
                        format!("the default {size} is not a size `{}` takes ({})", symbol.name, symbol.conditions()),
                    );
                }
                size
            }
        };
        symbols.push(Symbol {
            name: symbol.name,
            low,
            high,
            modulus: symbol.modulus,
            residue: symbol.residue,
            default,
        });
    }
    symbols
}

/// A symbol while its conditions are read.
struct Declared {
    name: String,
    spot: Spot,
    range: Option<(usize, usize)>,
    modulus: usize,
    residue: usize,
    default: Option<(usize, Spot)>,
}

impl Declared {
    fn conditions(&self) -> String {
        let (low, high) = self.range.unwrap_or((1, MAX_SIZE));
        let mut text = format!("{} in {low}..={high}", self.name);
        if self.modulus > 1 {
            text += &format!(", {} % {} == {}", self.name, self.modulus, self.residue);
        }
        text
    }
}

fn read_constraint(constraint: &Constraint, declared: &mut Vec<Declared>, constants: &Constants, errors: &mut Errors) {
    let expected = "a condition on a size reads `H in 32..=2048`, `H % 32 == 0` or `H <= 2048`";
    let find = |name: String, spot: Spot, declared: &mut Vec<Declared>| -> usize {
        if let Some(index) = declared.iter().position(|symbol| symbol.name == name) {
            return index;
        }
        declared.push(Declared { name, spot, range: None, modulus: 1, residue: 0, default: None });
        declared.len() - 1
    };
    match constraint {
        Constraint::Range { symbol, range } => {
            let Expr::Range(range_expr) = range else {
                errors.at(Spot::of(range), format!("`{symbol}` takes a range of sizes, as `{symbol} in 1..=1024`"));
                return;
            };
            let (Some(start), Some(end)) = (&range_expr.start, &range_expr.end) else {
                errors.at(
                    Spot::of(range),
                    format!("`{symbol}` needs both bounds, so that every size can be checked: `{symbol} in 1..=1024`"),
                );
                return;
            };
            let closed = matches!(range_expr.limits, syn::RangeLimits::Closed(_));
            let index = find(symbol.to_string(), Spot::of(symbol), declared);
            if declared.len() > MAX_SYMBOLS {
                errors.at(Spot::of(symbol), format!("a network declares at most {MAX_SYMBOLS} sizes that vary"));
                return;
            }
            if declared[index].range.is_some() {
                errors.at(Spot::of(symbol), format!("`{symbol}` is given a range twice"));
                return;
            }
            let low = size_of(start, "a size", constants, errors);
            let high = size_of(end, "a size", constants, errors);
            let (Some(low), Some(high)) = (low, high) else { return };
            let high = if closed { Some(high) } else { high.checked_sub(1) };
            match high {
                Some(high) if high >= low => declared[index].range = Some((low, high)),
                _ => errors.at(Spot::of(range), format!("the range of `{symbol}` holds no size")),
            }
        }
        Constraint::Condition(expr) => {
            let Expr::Binary(binary) = expr else {
                errors.at(Spot::of(expr), expected);
                return;
            };
            // `H % 32 == 0`
            if let (BinOp::Eq(_), Expr::Binary(rem)) = (&binary.op, &*binary.left) {
                if let (BinOp::Rem(_), Some(name)) = (&rem.op, symbol_name(&rem.left)) {
                    let Some(index) = declared.iter().position(|symbol| symbol.name == name) else {
                        errors.at(Spot::of(&rem.left), format!("`{name}` needs its range first: `{name} in 1..=1024`"));
                        return;
                    };
                    let modulus = size_of(&rem.right, "a modulus", constants, errors);
                    let residue = size_of_or_zero(&binary.right, constants, errors);
                    let (Some(modulus), Some(residue)) = (modulus, residue) else { return };
                    if modulus > MAX_MODULUS {
                        errors.at(Spot::of(&rem.right), format!("a modulus is at most {MAX_MODULUS}"));
                        return;
                    }
                    if residue >= modulus {
                        errors.at(Spot::of(&binary.right), format!("`{name} % {modulus}` is less than {modulus}"));
                        return;
                    }
                    let symbol = &mut declared[index];
                    match combine(symbol.modulus, symbol.residue, modulus, residue, MAX_MODULUS) {
                        Some((modulus, residue)) => (symbol.modulus, symbol.residue) = (modulus, residue),
                        None => errors.at(Spot::of(expr), format!("no size of `{name}` meets its conditions")),
                    }
                    return;
                }
            }
            // `H <= 2048`, `H > 16`
            let Some(name) = symbol_name(&binary.left) else {
                errors.at(Spot::of(expr), expected);
                return;
            };
            let Some(index) = declared.iter().position(|symbol| symbol.name == name) else {
                errors.at(Spot::of(&binary.left), format!("`{name}` needs its range first: `{name} in 1..=1024`"));
                return;
            };
            let Some(bound) = size_of_or_zero(&binary.right, constants, errors) else { return };
            let Some((low, high)) = declared[index].range else { return };
            let range = match binary.op {
                BinOp::Le(_) => (low, high.min(bound)),
                BinOp::Lt(_) => (low, high.min(bound.saturating_sub(1))),
                BinOp::Ge(_) => (low.max(bound), high),
                BinOp::Gt(_) => (low.max(bound + 1), high),
                _ => {
                    errors.at(Spot::of(expr), expected);
                    return;
                }
            };
            if range.0 > range.1 {
                errors.at(Spot::of(expr), format!("no size of `{name}` meets its conditions"));
            } else {
                declared[index].range = Some(range);
            }
        }
    }
}

/// The name an expression is, if it is a bare name.
pub(super) fn symbol_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Path(path) if path.qself.is_none() => path.path.get_ident().map(ToString::to_string),
        _ => None,
    }
}

fn size_of(expr: &Expr, what: &str, constants: &Constants, errors: &mut Errors) -> Option<usize> {
    match constants.evaluate(expr) {
        Ok(Valued { value: Value::Int(size), .. }) if size > 0 => Some(size as usize),
        Ok(Valued { value, spot }) => {
            errors.at(spot, format!("{what} is a positive integer, found {}", value.describe()));
            None
        }
        Err(error) => {
            errors.push(error);
            None
        }
    }
}

fn size_of_or_zero(expr: &Expr, constants: &Constants, errors: &mut Errors) -> Option<usize> {
    match constants.evaluate(expr) {
        Ok(Valued { value: Value::Int(size), .. }) if size >= 0 => Some(size as usize),
        Ok(Valued { value, spot }) => {
            errors.at(spot, format!("expected a non-negative integer, found {}", value.describe()));
            None
        }
        Err(error) => {
            errors.push(error);
            None
        }
    }
}

/// A value's dim: fixed, or a table over one symbol's admissible sizes.
#[derive(Clone)]
enum Size {
    Fixed(usize),
    Varies(usize, Rc<Vec<usize>>),
}

impl Size {
    fn symbol(&self) -> Option<usize> {
        match self {
            Size::Fixed(_) => None,
            Size::Varies(symbol, _) => Some(*symbol),
        }
    }
}

/// What the sweep found.
pub(super) enum Verdict {
    /// Every rule holds at every size; each value's dims as formulas.
    Holds(Vec<Vec<Form>>),
    /// A rule fails at these sizes of the symbols (the smallest such).
    Fails(Vec<usize>),
    /// The sweep cannot follow the network: where, and why.
    Unsupported(Spot, String),
}

/// Runs every step of `steps` at every admissible size of `symbols`; `inputs`
/// gives each input's symbol per dim.
pub(super) fn sweep(
    symbols: &[Symbol],
    inputs: &[(Dims, Vec<Option<usize>>)],
    steps: &[ProgramStep],
    reads: &[ShapeRead],
) -> Verdict {
    let defaults: Vec<usize> = symbols.iter().map(|symbol| symbol.default).collect();
    let mut values: Vec<Vec<Size>> = inputs
        .iter()
        .map(|(dims, of)| {
            dims.iter()
                .zip(of)
                .map(|(&size, symbol)| match *symbol {
                    None => Size::Fixed(size),
                    Some(symbol) => {
                        let table = (0..symbols[symbol].count()).map(|index| symbols[symbol].nth(index)).collect();
                        Size::Varies(symbol, Rc::new(table))
                    }
                })
                .collect()
        })
        .collect();
    // Per symbol, the sizes at which an earlier step failed: later steps skip them.
    let mut dead: Vec<Vec<bool>> = symbols.iter().map(|symbol| vec![false; symbol.count()]).collect();
    let mut failures: Vec<Vec<usize>> = Vec::new();
    for step in steps {
        let operands: Vec<&[Size]> = step.inputs.iter().map(|&value| values[value].as_slice()).collect();
        let varying: BTreeSet<usize> = operands.iter().flat_map(|dims| dims.iter().filter_map(Size::symbol)).collect();
        if varying.is_empty() {
            values.extend(step.outputs.iter().map(|dims| dims.iter().map(|&size| Size::Fixed(size)).collect()));
            continue;
        }
        // One symbol at a time, the others at their defaults.
        let mut tables: Vec<(usize, Vec<Option<Vec<Dims>>>)> = Vec::new();
        for &symbol in &varying {
            let mut outputs: Vec<Option<Vec<Dims>>> = Vec::with_capacity(symbols[symbol].count());
            let mut previous: Option<usize> = None;
            for (index, dead) in dead[symbol].iter_mut().enumerate() {
                if *dead {
                    outputs.push(None);
                    continue;
                }
                let same = previous.is_some_and(|before| same_inputs(&operands, symbol, before, index));
                let result = if same {
                    outputs[previous.unwrap_or_default()].clone()
                } else {
                    run(step, &concrete(&operands, step, &[(symbol, index)]))
                };
                if result.is_none() {
                    *dead = true;
                    let mut sizes = defaults.clone();
                    sizes[symbol] = symbols[symbol].nth(index);
                    failures.push(sizes);
                } else {
                    previous = Some(index);
                }
                outputs.push(result);
            }
            tables.push((symbol, outputs));
        }
        // The runtime splits at the sizes the program holds.
        if let Computation::Split(split) = &step.computation {
            let axis = operands.first().and_then(|dims| join::sample_axis("dim", split.dim(), dims.len()).ok());
            if let Some(symbol) = axis.and_then(|axis| operands[0].get(axis)?.symbol()) {
                let name = &symbols[symbol].name;
                return Verdict::Unsupported(
                    step.spot,
                    format!(
                        "this splits along a dim that varies with `{name}`; netshape splits only dims of fixed size"
                    ),
                );
            }
        }
        if varying.len() > 1 && !separable(&step.computation) {
            if let Err(unsupported) = mixed(step, &operands, symbols, &tables, &dead, &mut failures) {
                return unsupported;
            }
        }
        let mut made = Vec::new();
        for (output, dims) in step.outputs.iter().enumerate() {
            let mut sizes = Vec::new();
            for (axis, &size) in dims.iter().enumerate() {
                let mut varies = None;
                for (symbol, outputs) in &tables {
                    let column: Vec<usize> = outputs
                        .iter()
                        .map(|made| made.as_ref().and_then(|made| made.get(output)?.get(axis).copied()).unwrap_or(size))
                        .collect();
                    if column.iter().any(|&value| value != size) {
                        if varies.is_some() {
                            return Verdict::Unsupported(step.spot, two_symbols(step, symbols, &varying));
                        }
                        varies = Some(Size::Varies(*symbol, shared(*symbol, column, &operands)));
                    }
                }
                sizes.push(varies.unwrap_or(Size::Fixed(size)));
            }
            made.push(sizes);
        }
        values.extend(made);
    }
    for read in reads {
        let varying = read.dims.iter().filter_map(|&dim| values[read.value].get(dim)?.symbol()).next();
        if let Some(symbol) = varying {
            let name = &symbols[symbol].name;
            return Verdict::Unsupported(
                read.spot,
                format!(
                    "this shape varies with `{name}`, and a size read from a shape is fixed when the network is checked; netshape cannot follow it over every size of `{name}`"
                ),
            );
        }
    }
    if let Some(smallest) = failures.into_iter().min_by_key(|sizes| order(sizes, &defaults)) {
        return Verdict::Fails(smallest);
    }
    Verdict::Holds(forms(symbols, &values))
}

/// The order in which failing sizes are reported: the smallest size that
/// differs from the defaults first.
fn order(sizes: &[usize], defaults: &[usize]) -> (usize, Vec<usize>) {
    let varied = sizes.iter().zip(defaults).filter(|(size, default)| size != default).map(|(&size, _)| size);
    (varied.max().unwrap_or(0), sizes.to_vec())
}

fn two_symbols(step: &ProgramStep, symbols: &[Symbol], varying: &BTreeSet<usize>) -> String {
    let names: Vec<String> = varying.iter().map(|&symbol| format!("`{}`", symbols[symbol].name)).collect();
    format!(
        "`{}` makes a dim that varies with {}; netshape follows each dim through one size that varies",
        step_name(step),
        names.join(" and ")
    )
}

fn step_name(step: &ProgramStep) -> String {
    match &step.computation {
        Computation::Leaf { kind, .. } => kind.name.to_owned(),
        Computation::Join { kind, .. } => kind.clone(),
        Computation::Split(_) => "split".to_owned(),
        Computation::Stored { .. } => step.path.clone(),
    }
}

/// The table, shared with an operand's if it is the same (a ReLU's output is
/// its input's), so that each distinct table is fitted once.
fn shared(symbol: usize, column: Vec<usize>, operands: &[&[Size]]) -> Rc<Vec<usize>> {
    operands
        .iter()
        .flat_map(|dims| dims.iter())
        .find_map(|size| match size {
            Size::Varies(of, table) if *of == symbol && **table == column => Some(table.clone()),
            _ => None,
        })
        .unwrap_or_else(|| Rc::new(column))
}

/// Whether the dims of `symbol` are the same at its `before`-th and
/// `index`-th sizes.
fn same_inputs(operands: &[&[Size]], symbol: usize, before: usize, index: usize) -> bool {
    operands.iter().flat_map(|dims| dims.iter()).all(|size| match size {
        Size::Varies(of, table) if *of == symbol => table[before] == table[index],
        _ => true,
    })
}

/// The operands' shapes with each listed symbol at its `index`-th size and the
/// others at their defaults (the step's recorded shapes).
fn concrete(operands: &[&[Size]], step: &ProgramStep, at: &[(usize, usize)]) -> Vec<Dims> {
    operands
        .iter()
        .zip(&step.input_dims)
        .map(|(dims, defaults)| {
            dims.iter()
                .zip(defaults)
                .map(|(size, &default)| match size {
                    Size::Fixed(size) => *size,
                    Size::Varies(symbol, table) => {
                        at.iter().find(|(of, _)| of == symbol).map_or(default, |&(_, index)| table[index])
                    }
                })
                .collect()
        })
        .collect()
}

/// The step's outputs on these input shapes, or `None` if a rule fails.
fn run(step: &ProgramStep, inputs: &[Dims]) -> Option<Vec<Dims>> {
    let shapes: Vec<&[usize]> = inputs.iter().map(Vec::as_slice).collect();
    let outputs = match &step.computation {
        Computation::Leaf { op, .. } => {
            let outcome = op.forward(&shapes);
            if !outcome.problems.is_empty() {
                return None;
            }
            vec![outcome.output?]
        }
        Computation::Join { kind, dim } => {
            let output = match (kind.as_str(), dim) {
                ("cat", Some(dim)) => join::cat(&shapes, *dim),
                ("stack", Some(dim)) => join::stack(&shapes, *dim),
                _ => join::broadcast(&shapes),
            };
            vec![output.ok()?]
        }
        Computation::Split(split) => {
            let pieces = split.pieces(shapes.first()?).ok()?;
            // A split into a number of pieces that varies is not one program.
            if pieces.len() != step.outputs.len() {
                return None;
            }
            pieces
        }
        Computation::Stored { dims } => vec![dims.clone()],
    };
    outputs.iter().all(|dims| too_large(dims).is_none()).then_some(outputs)
}

/// Whether a step's rules treat each axis on its own, so that sweeping one
/// symbol at a time covers every combination: the output's dims each follow
/// one input dim, and each rule reads one axis.
fn separable(computation: &Computation) -> bool {
    match computation {
        Computation::Leaf { op, .. } => !matches!(
            op,
            Op::InstanceNorm(_)
                | Op::Fold(_)
                | Op::Unfold(_)
                | Op::EmbeddingBag(_)
                | Op::Recurrent(_)
                | Op::Attention(_)
                | Op::Transformer(_)
                | Op::Flatten(_)
                | Op::Unflatten(_)
                | Op::View(_)
        ),
        Computation::Join { .. } | Computation::Split(_) | Computation::Stored { .. } => true,
    }
}

/// A step that mixes symbols: run at every combination of the distinct
/// sizes each symbol gives its inputs, and its outputs checked to follow one
/// symbol per dim.
fn mixed(
    step: &ProgramStep,
    operands: &[&[Size]],
    symbols: &[Symbol],
    tables: &[(usize, Vec<Option<Vec<Dims>>>)],
    dead: &[Vec<bool>],
    failures: &mut Vec<Vec<usize>>,
) -> Result<(), Verdict> {
    // Per symbol, one index for each distinct set of input sizes it gives.
    let representatives: Vec<(usize, Vec<usize>)> = tables
        .iter()
        .map(|&(symbol, _)| {
            let mut kept: Vec<usize> = Vec::new();
            for index in (0..symbols[symbol].count()).filter(|&index| !dead[symbol][index]) {
                if !kept.iter().any(|&other| same_inputs(operands, symbol, other, index)) {
                    kept.push(index);
                }
            }
            (symbol, kept)
        })
        .collect();
    let combinations = representatives.iter().try_fold(1usize, |all, (_, kept)| all.checked_mul(kept.len().max(1)));
    let names: Vec<String> = tables.iter().map(|&(symbol, _)| format!("`{}`", symbols[symbol].name)).collect();
    if combinations.is_none_or(|count| count > MAX_COMBINATIONS) {
        return Err(Verdict::Unsupported(
            step.spot,
            format!(
                "`{}` reads sizes of {} together, at more than {MAX_COMBINATIONS} combinations; narrow their ranges",
                step_name(step),
                names.join(" and ")
            ),
        ));
    }
    let mut at: Vec<(usize, usize)> = representatives.iter().map(|(symbol, kept)| (*symbol, kept[0])).collect();
    let mut choice = vec![0usize; representatives.len()];
    loop {
        for (position, (symbol, kept)) in representatives.iter().enumerate() {
            at[position] = (*symbol, kept[choice[position]]);
        }
        match run(step, &concrete(operands, step, &at)) {
            None => {
                let mut sizes: Vec<usize> = symbols.iter().map(|symbol| symbol.default).collect();
                for &(symbol, index) in &at {
                    sizes[symbol] = symbols[symbol].nth(index);
                }
                failures.push(sizes);
            }
            Some(outputs) => {
                // Each dim as the one-symbol sweeps predict.
                for (output, dims) in outputs.iter().enumerate() {
                    for (axis, &size) in dims.iter().enumerate() {
                        let default = step.outputs[output][axis];
                        let predicted = tables
                            .iter()
                            .zip(&at)
                            .filter_map(|((_, made), &(_, index))| {
                                made[index].as_ref().map(|made| made[output][axis]).filter(|&value| value != default)
                            })
                            .next()
                            .unwrap_or(default);
                        if predicted != size {
                            let varying = tables.iter().map(|&(symbol, _)| symbol).collect();
                            return Err(Verdict::Unsupported(step.spot, two_symbols(step, symbols, &varying)));
                        }
                    }
                }
            }
        }
        // The next combination.
        let mut position = 0;
        loop {
            if position == choice.len() {
                return Ok(());
            }
            choice[position] += 1;
            if choice[position] < representatives[position].1.len() {
                break;
            }
            choice[position] = 0;
            position += 1;
        }
    }
}

/// Every value's dims as formulas, each distinct table fitted once.
fn forms(symbols: &[Symbol], values: &[Vec<Size>]) -> Vec<Vec<Form>> {
    let mut fitted: Vec<(Rc<Vec<usize>>, Form)> = Vec::new();
    values
        .iter()
        .map(|dims| {
            dims.iter()
                .map(|size| match size {
                    Size::Fixed(size) => Form::Fixed(*size),
                    Size::Varies(symbol, table) => {
                        if let Some((_, form)) = fitted.iter().find(|(other, _)| Rc::ptr_eq(other, table)) {
                            return form.clone();
                        }
                        let form = Form::fit(symbols, *symbol, table);
                        fitted.push((table.clone(), form.clone()));
                        form
                    }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::check::check;
    use crate::parse::Source;
    use crate::shape::symbolic::ShapeText;

    /// The network's errors, or its output's formula.
    fn outcome(source: &str) -> Result<String, Vec<String>> {
        let source: Source = syn::parse_str(source).expect("parses");
        let checked =
            check(&source).map_err(|error| error.into_iter().map(|error| error.to_string()).collect::<Vec<_>>())?;
        let network = &checked.networks[0];
        let names: Vec<&str> = network.symbols.iter().map(|symbol| symbol.name.as_str()).collect();
        let last = network.output_values[0];
        Ok(ShapeText { forms: &network.forms[last], names: &names }.to_string())
    }

    const UNET: &str = "
        block Double(inp, out) {
            Conv2d(inp, out, 3, padding = 1), ReLU(), Conv2d(out, out, 3, padding = 1), ReLU(),
        }
        pub struct UNet {
            input: [3, H = 64, W = 64] where H in 8..=512, W in 8..=512,
            let x1 = [inc: Double(3, 16)],
            x1,
            let x2 = [MaxPool2d(2), down1: Double(16, 32)],
            x2,
            MaxPool2d(2), down2: Double(32, 64),
            up2: ConvTranspose2d(64, 32, 2, stride = 2),
            cat(x2, [], dim = 1),
            conv2: Double(64, 32),
            up1: ConvTranspose2d(32, 16, 2, stride = 2),
            cat(x1, [], dim = 1),
            conv1: Double(32, 16),
            outc: Conv2d(16, 2, 1),
        }
    ";

    #[test]
    fn a_unet_fails_at_its_smallest_odd_size() {
        let errors = outcome(UNET).unwrap_err();
        println!("{errors:#?}");
        assert!(errors[0].starts_with("for H = 9, W = 64: "), "{errors:?}");
    }

    #[test]
    fn a_unet_on_multiples_of_four_holds() {
        let source = UNET
            .replace("where H in 8..=512, W in 8..=512", "where H in 8..=512, H % 4 == 0, W in 8..=512, W % 4 == 0");
        assert_eq!(outcome(&source), Ok("[2, H, W]".to_owned()));
    }
}
