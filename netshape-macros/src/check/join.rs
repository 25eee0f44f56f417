//! The functions of several tensors, which own no module: `add`, `sub`,
//! `mul`, `div`, `cat` and `stack` join branches into one tensor;
//! `chunk`, `split` and `unbind` cut one into several values.

use crate::eval::{Value, Valued};
use crate::parse::{self, Branch, Call, Spot};
use crate::shape::{join, Field, Op};

use super::leaf::resolve_kind;
use super::tensor::{Flow, Tensor};
use super::{bind, report, Computation, Producer, Row, Scope, Walk};

impl<'a> Walk<'a, '_> {
    /// `let (a, b) = chunk(…)`: the pieces, as many as there are names.
    pub(super) fn split(
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
                    self.record_step(Computation::Split(split), &[&input], pieces.clone(), "", Spot::of(&call.kind));
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

    /// `add(…)`, `mul(…)`, `cat(…, dim = 1)`: every branch from the current
    /// value, then joined.
    pub(super) fn join(&mut self, join: &'a parse::Join, scope: &mut Scope<'a>, current: Flow) -> Flow {
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
        let spots: Vec<Spot> = join.branches.iter().map(|branch| branch.spot).collect();
        // The row's sources are the chain's values, not raw tensors.
        let chain: Vec<bool> = operands.iter().map(|operand| operand.raw.is_none()).collect();
        let operands = if chain.iter().all(|&chain| chain) { operands } else { self.raw_operands(operands, &spots)? };
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
                let sources: Vec<&Tensor> =
                    operands.iter().zip(&chain).filter(|(_, &chain)| chain).map(|(operand, _)| operand).collect();
                let row = Row { depth: self.scope_depth, ..functional_row(&kind, &sources, &output) };
                let producer = self.push_row(row);
                let spot = Spot::of(&join.kind);
                let computation = Computation::Join { kind: kind.clone(), dim };
                let value = self.record_step(computation, &operand_refs, vec![output.clone()], "", spot);
                if let Producer::Row(row) = producer {
                    self.rows[row].value = Some(value);
                }
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
