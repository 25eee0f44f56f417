//! Sizes that vary: the proof that every rule holds at every admissible size
//! of the symbols `symbols.rs` reads.
//!
//! The walk runs once, at the symbols' default sizes, and records the forward
//! program. `sweep` then evaluates the program's rules (the same functions of
//! `shape/`) at every admissible size of every symbol, which is a proof by
//! exhaustion. A dim that varies is a table of its value at each size of its
//! symbol, kept as runs of equal values, so that each step runs once per
//! distinct input shape it receives (a convolution deep in a stride-32
//! network sees 32 heights for 1..=1024), and steps with the same layer and
//! inputs share their runs. Rules that treat each axis on its own
//! (convolutions, pools, joins, …) are swept one symbol at a time with the
//! others at their defaults; the others on every combination of the distinct
//! sizes their inputs see. The smallest size at which a rule fails is then
//! walked again (in `mod.rs`), so that the error is the walk's own.

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use crate::eval::ShapeRead;
use crate::parse::Spot;
use crate::shape::symbolic::{Form, Symbol};
use crate::shape::{join, too_large, Dims, Op, Scale, Upsample};

use super::{Computation, ProgramStep};

/// The most combinations of sizes one step that mixes symbols is run at.
const MAX_COMBINATIONS: usize = 1 << 14;

/// A dim's value at each admissible size of its symbol, as runs.
#[derive(PartialEq, Eq)]
struct Table {
    /// Where each run starts (the first at 0), as indices of the sizes.
    starts: Vec<usize>,
    /// Each run's value.
    values: Vec<usize>,
}

impl Table {
    /// The value at the `index`-th size.
    fn at(&self, index: usize) -> usize {
        let run = self.starts.partition_point(|&start| start <= index) - 1;
        self.values[run]
    }

    fn expanded(&self, count: usize) -> Vec<usize> {
        let mut all = Vec::with_capacity(count);
        for (run, &value) in self.values.iter().enumerate() {
            let end = self.starts.get(run + 1).copied().unwrap_or(count);
            all.resize(end, value);
        }
        all
    }
}

/// A value's dim: fixed, or a table over one symbol's admissible sizes.
#[derive(Clone)]
enum Size {
    Fixed(usize),
    Varies(usize, Rc<Table>),
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

/// A step's outputs on some input shapes, `None` where a rule fails.
type Made = Option<Rc<Vec<Dims>>>;

/// A step's outputs at the start of each run of its inputs, `None` where a
/// rule fails.
struct Runs {
    starts: Vec<usize>,
    outputs: Vec<Made>,
}

/// The state of a sweep.
struct Sweep<'s> {
    symbols: &'s [Symbol],
    /// Per symbol, the sizes at which a step failed: later steps skip them.
    dead: Vec<Vec<bool>>,
    failures: Vec<Vec<usize>>,
    /// Rule results by layer and input shapes, shared by steps with the same
    /// layer (a ResNet's repeated blocks).
    memo: HashMap<(usize, Vec<Dims>), Made>,
    /// Each distinct layer, as its `Debug` text, numbered.
    layers: HashMap<String, usize>,
}

/// Runs every step of `steps` at every admissible size of `symbols`; `inputs`
/// gives each input's symbol per dim.
pub(super) fn sweep(
    symbols: &[Symbol],
    inputs: &[(Dims, Vec<Option<usize>>)],
    steps: &[ProgramStep],
    reads: &[ShapeRead],
) -> Verdict {
    let mut values: Vec<Vec<Size>> = inputs
        .iter()
        .map(|(dims, of)| {
            dims.iter()
                .zip(of)
                .map(|(&size, symbol)| match *symbol {
                    None => Size::Fixed(size),
                    Some(symbol) => {
                        let count = symbols[symbol].count();
                        let table = Table {
                            starts: (0..count).collect(),
                            values: (0..count).map(|index| symbols[symbol].nth(index)).collect(),
                        };
                        Size::Varies(symbol, Rc::new(table))
                    }
                })
                .collect()
        })
        .collect();
    let resized = resized_to_shapes(steps, reads);
    let mut sweep = Sweep {
        symbols,
        dead: symbols.iter().map(|symbol| vec![false; symbol.count()]).collect(),
        failures: Vec::new(),
        memo: HashMap::new(),
        layers: HashMap::new(),
    };
    let defaults: Vec<usize> =
        symbols.iter().map(|symbol| symbol.index_of(symbol.default).unwrap_or_default()).collect();
    for (index, step) in steps.iter().enumerate() {
        let read = resized.iter().find(|(at, _)| *at == index).map(|(_, read)| *read);
        // A resize to a shape read from a value: that value is an input too.
        let operands: Vec<&[Size]> =
            step.inputs.iter().chain(read.map(|read| &read.value)).map(|&value| values[value].as_slice()).collect();
        let varying: BTreeSet<usize> = operands.iter().flat_map(|dims| dims.iter().filter_map(Size::symbol)).collect();
        if varying.is_empty() {
            values.extend(step.outputs.iter().map(|dims| dims.iter().map(|&size| Size::Fixed(size)).collect()));
            continue;
        }
        if passes_through(step, &operands) {
            values.push(operands[0].to_vec());
            continue;
        }
        if let Some(unsupported) = unsupported_split(step, &operands, symbols) {
            return unsupported;
        }
        let layer = match &step.computation {
            Computation::Leaf { op, .. } => {
                let count = sweep.layers.len();
                *sweep.layers.entry(format!("{op:?}")).or_insert(count)
            }
            _ => usize::MAX,
        };
        // One symbol at a time, the others at their defaults.
        let resized_step = Resized { step, read, defaults: &defaults };
        let runs: Vec<(usize, Runs)> =
            varying.iter().map(|&symbol| (symbol, sweep.runs(&resized_step, layer, &operands, symbol))).collect();
        if varying.len() > 1 && !separable(&step.computation) {
            if let Err(unsupported) = sweep.mixed(&resized_step, &operands, &runs) {
                return unsupported;
            }
        }
        match made_sizes(step, &runs, &operands, symbols, &varying) {
            Ok(made) => values.extend(made),
            Err(unsupported) => return unsupported,
        }
    }
    if let Some(unsupported) = unfollowed_read(reads, &resized, &values, symbols) {
        return unsupported;
    }
    let defaults: Vec<usize> = symbols.iter().map(|symbol| symbol.default).collect();
    if let Some(smallest) = sweep.failures.into_iter().min_by_key(|sizes| order(sizes, &defaults)) {
        return Verdict::Fails(smallest);
    }
    Verdict::Holds(forms(symbols, &values))
}

impl Sweep<'_> {
    /// The step's outputs over the sizes of `symbol`, the others at their
    /// defaults: one run of the rule per run of equal inputs.
    fn runs(&mut self, step: &Resized, layer: usize, operands: &[&[Size]], symbol: usize) -> Runs {
        let count = self.symbols[symbol].count();
        // Where any input of this symbol changes.
        let mut starts: Vec<usize> = operands
            .iter()
            .flat_map(|dims| dims.iter())
            .filter_map(|size| match size {
                Size::Varies(of, table) if *of == symbol => Some(table.starts.iter().copied()),
                _ => None,
            })
            .flatten()
            .collect();
        starts.sort_unstable();
        starts.dedup();
        let mut outputs = Vec::with_capacity(starts.len());
        for (position, &start) in starts.iter().enumerate() {
            let end = starts.get(position + 1).copied().unwrap_or(count);
            // The run's first size at which no earlier step failed.
            let Some(index) = (start..end).find(|&index| !self.dead[symbol][index]) else {
                outputs.push(None);
                continue;
            };
            let inputs = concrete(operands, step.defaults, &[(symbol, index)]);
            let result = if layer == usize::MAX {
                step.run(&inputs).map(Rc::new)
            } else {
                let key = (layer, inputs);
                if let Some(known) = self.memo.get(&key) {
                    known.clone()
                } else {
                    let result = step.run(&key.1).map(Rc::new);
                    self.memo.insert(key, result.clone());
                    result
                }
            };
            if result.is_none() {
                for index in index..end {
                    if !self.dead[symbol][index] {
                        self.dead[symbol][index] = true;
                        let mut sizes: Vec<usize> = self.symbols.iter().map(|symbol| symbol.default).collect();
                        sizes[symbol] = self.symbols[symbol].nth(index);
                        self.failures.push(sizes);
                    }
                }
            }
            outputs.push(result);
        }
        Runs { starts, outputs }
    }

    /// A step that mixes symbols: run at every combination of the distinct
    /// sizes each symbol gives its inputs, and its outputs checked to follow
    /// one symbol per dim.
    fn mixed(&mut self, resized: &Resized, operands: &[&[Size]], runs: &[(usize, Runs)]) -> Result<(), Verdict> {
        let step = resized.step;
        // Per symbol, a live size of each run.
        let representatives: Vec<Vec<(usize, usize)>> = runs
            .iter()
            .map(|(symbol, made)| {
                let count = self.symbols[*symbol].count();
                made.starts
                    .iter()
                    .enumerate()
                    .filter_map(|(run, &start)| {
                        let end = made.starts.get(run + 1).copied().unwrap_or(count);
                        (start..end).find(|&index| !self.dead[*symbol][index]).map(|index| (run, index))
                    })
                    .collect()
            })
            .collect();
        let combinations = representatives.iter().try_fold(1usize, |all, kept| all.checked_mul(kept.len().max(1)));
        let names: Vec<String> = runs.iter().map(|(symbol, _)| format!("`{}`", self.symbols[*symbol].name)).collect();
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
        if representatives.iter().any(Vec::is_empty) {
            return Ok(());
        }
        let mut choice = vec![0usize; representatives.len()];
        loop {
            let at: Vec<(usize, usize)> = runs
                .iter()
                .zip(&representatives)
                .zip(&choice)
                .map(|(((symbol, _), kept), &chosen)| (*symbol, kept[chosen].1))
                .collect();
            match resized.run(&concrete(operands, resized.defaults, &at)) {
                None => {
                    let mut sizes: Vec<usize> = self.symbols.iter().map(|symbol| symbol.default).collect();
                    for &(symbol, index) in &at {
                        sizes[symbol] = self.symbols[symbol].nth(index);
                    }
                    self.failures.push(sizes);
                }
                Some(outputs) => {
                    // Each dim as the one-symbol sweeps predict.
                    for (output, dims) in outputs.iter().enumerate() {
                        for (axis, &size) in dims.iter().enumerate() {
                            let default = step.outputs[output][axis];
                            let predicted = runs
                                .iter()
                                .zip(&representatives)
                                .zip(&choice)
                                .filter_map(|(((_, made), kept), &chosen)| {
                                    let made = made.outputs[kept[chosen].0].as_ref()?;
                                    Some(made[output][axis]).filter(|&value| value != default)
                                })
                                .next()
                                .unwrap_or(default);
                            if predicted != size {
                                let varying = runs.iter().map(|(symbol, _)| *symbol).collect();
                                return Err(Verdict::Unsupported(step.spot, two_symbols(step, self.symbols, &varying)));
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
                if choice[position] < representatives[position].len() {
                    break;
                }
                choice[position] = 0;
                position += 1;
            }
        }
    }
}

impl Runs {
    /// Output `output`'s dim `axis` as a table; `fallback` where a rule failed.
    fn table(&self, output: usize, axis: usize, fallback: usize) -> Table {
        let mut table = Table { starts: Vec::new(), values: Vec::new() };
        for (&start, made) in self.starts.iter().zip(&self.outputs) {
            let value = made.as_ref().and_then(|made| made.get(output)?.get(axis).copied()).unwrap_or(fallback);
            if table.values.last() != Some(&value) {
                table.starts.push(start);
                table.values.push(value);
            }
        }
        table
    }
}

/// Whether a step's output is its input whatever the sizes that vary: an
/// elementwise op, or a norm that reads only the rank and fixed channels.
fn passes_through(step: &ProgramStep, operands: &[&[Size]]) -> bool {
    let Computation::Leaf { op, .. } = &step.computation else { return false };
    let fixed_channels = matches!(operands.first().and_then(|dims| dims.first()), Some(Size::Fixed(_)));
    match op {
        Op::Elementwise | Op::Bounded { .. } => true,
        Op::BatchNorm(_) | Op::PRelu(_) => fixed_channels && operands.len() == 1,
        _ => false,
    }
}

/// The runtime splits at the sizes the program holds: a split along a dim
/// that varies cannot run.
fn unsupported_split(step: &ProgramStep, operands: &[&[Size]], symbols: &[Symbol]) -> Option<Verdict> {
    let Computation::Split(split) = &step.computation else { return None };
    let input = operands.first()?;
    let axis = join::sample_axis("dim", split.dim(), input.len()).ok()?;
    let name = &symbols[input.get(axis)?.symbol()?].name;
    Some(Verdict::Unsupported(
        step.spot,
        format!("this splits along a dim that varies with `{name}`; netshape splits only dims of fixed size"),
    ))
}

/// The step's outputs as sizes: each dim fixed, or the table of the one
/// symbol it varies with.
fn made_sizes(
    step: &ProgramStep,
    runs: &[(usize, Runs)],
    operands: &[&[Size]],
    symbols: &[Symbol],
    varying: &BTreeSet<usize>,
) -> Result<Vec<Vec<Size>>, Verdict> {
    let mut made = Vec::new();
    for (output, dims) in step.outputs.iter().enumerate() {
        let mut sizes = Vec::new();
        for (axis, &size) in dims.iter().enumerate() {
            let mut varies = None;
            for (symbol, runs) in runs {
                let table = runs.table(output, axis, size);
                if table.values.iter().any(|&value| value != size) {
                    if varies.is_some() {
                        return Err(Verdict::Unsupported(step.spot, two_symbols(step, symbols, varying)));
                    }
                    varies = Some(Size::Varies(*symbol, shared(*symbol, table, operands)));
                }
            }
            sizes.push(varies.unwrap_or(Size::Fixed(size)));
        }
        made.push(sizes);
    }
    Ok(made)
}

/// A shape read (other than a resize's size) of a dim that varies: its value
/// was fixed when the network was walked.
fn unfollowed_read(
    reads: &[ShapeRead],
    resized: &[(usize, &ShapeRead)],
    values: &[Vec<Size>],
    symbols: &[Symbol],
) -> Option<Verdict> {
    let followed = |read: &ShapeRead| resized.iter().any(|(_, other)| std::ptr::eq(*other, read));
    reads.iter().filter(|read| !followed(read)).find_map(|read| {
        let symbol = read.dims.iter().find_map(|&dim| values[read.value].get(dim)?.symbol())?;
        let name = &symbols[symbol].name;
        Some(Verdict::Unsupported(
            read.spot,
            format!(
                "this shape varies with `{name}`, and a size read from a shape is fixed when the network is checked; netshape cannot follow it over every size of `{name}`"
            ),
        ))
    })
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

/// The table, shared with an operand's if it is the same (a conv of padding
/// 1 keeps its input's), so that each distinct table is fitted once.
fn shared(symbol: usize, table: Table, operands: &[&[Size]]) -> Rc<Table> {
    operands
        .iter()
        .flat_map(|dims| dims.iter())
        .find_map(|size| match size {
            Size::Varies(of, known) if *of == symbol && **known == table => Some(known.clone()),
            _ => None,
        })
        .unwrap_or_else(|| Rc::new(table))
}

/// The operands' shapes with each listed symbol at its `index`-th size and the
/// others at their defaults (`defaults` holds each symbol's default index).
fn concrete(operands: &[&[Size]], defaults: &[usize], at: &[(usize, usize)]) -> Vec<Dims> {
    operands
        .iter()
        .map(|dims| {
            dims.iter()
                .map(|size| match size {
                    Size::Fixed(size) => *size,
                    Size::Varies(symbol, table) => {
                        let index =
                            at.iter().find(|(of, _)| of == symbol).map_or(defaults[*symbol], |&(_, index)| index);
                        table.at(index)
                    }
                })
                .collect()
        })
        .collect()
}

/// A step as the sweep runs it: with the shape it resizes to, when that is
/// read from a value (`interpolate(size = skip.shape[-2..])`), and each
/// symbol's default index.
struct Resized<'s> {
    step: &'s ProgramStep,
    read: Option<&'s ShapeRead>,
    defaults: &'s [usize],
}

impl Resized<'_> {
    /// The step's outputs on these input shapes (the read value's last), or
    /// `None` if a rule fails.
    fn run(&self, inputs: &[Dims]) -> Option<Vec<Dims>> {
        let (Some(read), Computation::Leaf { op: Op::Upsample(upsample), .. }) = (self.read, &self.step.computation)
        else {
            return run(self.step, inputs);
        };
        let (source, inputs) = inputs.split_last()?;
        let size = read.dims.iter().map(|&dim| source.get(dim).copied()).collect::<Option<Vec<usize>>>()?;
        let upsample = Op::Upsample(Upsample { size: Some(Scale::Each(size)), ..upsample.clone() });
        let shapes: Vec<&[usize]> = inputs.iter().map(Vec::as_slice).collect();
        checked(leaf(&upsample, &shapes)?)
    }
}

/// The resizes whose size is read from a shape: `(step, read)` for each read
/// stamped with an `Upsample` step whose size is exactly the values read.
fn resized_to_shapes<'s>(steps: &[ProgramStep], reads: &'s [ShapeRead]) -> Vec<(usize, &'s ShapeRead)> {
    reads
        .iter()
        .filter_map(|read| {
            let at = read.step?;
            let Computation::Leaf { op: Op::Upsample(upsample), .. } = &steps.get(at)?.computation else { return None };
            let Some(Scale::Each(size)) = &upsample.size else { return None };
            let input = steps[at].input_dims.first()?;
            let spatial = input.len().checked_sub(1)?;
            // The size as the output's spatial dims, at the defaults.
            let output = steps[at].outputs.first()?;
            (size.len() == read.dims.len() && size.len() == spatial && output[1..] == size[..]).then_some((at, read))
        })
        .collect()
}

/// The step's outputs on these input shapes, or `None` if a rule fails.
fn run(step: &ProgramStep, inputs: &[Dims]) -> Option<Vec<Dims>> {
    let shapes: Vec<&[usize]> = inputs.iter().map(Vec::as_slice).collect();
    let outputs = match &step.computation {
        Computation::Leaf { op, .. } => leaf(op, &shapes)?,
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
    checked(outputs)
}

/// A layer's output on these input shapes, or `None` if a rule fails.
fn leaf(op: &Op, shapes: &[&[usize]]) -> Option<Vec<Dims>> {
    let outcome = op.forward(shapes);
    if !outcome.problems.is_empty() {
        return None;
    }
    Some(vec![outcome.output?])
}

/// The outputs, unless one is too large for netshape.
fn checked(outputs: Vec<Dims>) -> Option<Vec<Dims>> {
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

/// Every value's dims as formulas, each distinct table fitted once.
fn forms(symbols: &[Symbol], values: &[Vec<Size>]) -> Vec<Vec<Form>> {
    let mut fitted: Vec<(Rc<Table>, Form)> = Vec::new();
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
                        let form = Form::fit(symbols, *symbol, &table.expanded(symbols[*symbol].count()));
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

    #[test]
    fn the_smallest_failing_size_is_named() {
        let source = "pub struct Net {
            input: [4, W] where W in 2..=64,
            let left = [Conv1d(4, 4, 2, stride = 2)],
            add(left, [AvgPool1d(2, ceil_mode = true), Conv1d(4, 4, 1)]),
        }";
        let errors = outcome(source).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        // At 3 the halves are 1 and 2, which broadcast.
        assert!(errors[0].starts_with("for W = 5: `add` cannot broadcast [4, 2]"), "{errors:?}");
    }

    #[test]
    fn lengths_follow_sequence_layers() {
        let source = "pub struct Tagger {
            input tokens: [L] as i64 where L in 1..=4096,
            embed: Embedding(1000, 32),
            lstm: LSTM(32, 64, batch_first = true),
            head: Linear(64, 9),
        }";
        assert_eq!(outcome(source), Ok("[L, 9]".to_owned()));
    }

    #[test]
    fn a_resize_to_a_shape_read_follows_it() {
        let source = "pub struct Fcn {
            input image: [3, H, W] where H in 8..=300, W in 8..=300,
            Conv2d(3, 8, 3, stride = 2, padding = 1),
            Conv2d(8, 8, 3, stride = 2, padding = 1),
            interpolate(size = image.shape[-2..], mode = \"bilinear\", align_corners = false),
        }";
        assert_eq!(outcome(source), Ok("[8, H, W]".to_owned()));
    }
}
