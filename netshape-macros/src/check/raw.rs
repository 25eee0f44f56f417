//! Tensors a module registers itself, as `nn.Parameter(torch.zeros(1, 1, 768))`
//! and `self.register_buffer("pe", …)` do: `class_token: Parameter(1, 1, 768)`,
//! `pe: Buffer(1, 5000, 512)`. They are `state_dict` entries of the module
//! being defined, listed before its children's as PyTorch lists them, and
//! values that joins (`add`, `mul`, `cat`, …) combine with the chain's.

use crate::eval::{Value, Valued};
use crate::parse::{self, Call, Spot};
use crate::shape::{too_large, Dims, Dtype};

use super::record::{Computation, StateKey};
use super::tensor::{Origin, Raw, Tensor};
use super::{Producer, Scope, Walk};

impl<'a> Walk<'a, '_> {
    /// `name: Parameter(d0, d1, …)` or `name: Buffer(…)`: registers the tensor
    /// in the scope's module and makes `name` a value.
    pub(super) fn declare_raw(&mut self, step: &'a parse::Step, call: &'a Call, scope: &mut Scope<'a>) {
        let buffer = call.kind == "Buffer";
        let what = if buffer { "Buffer" } else { "Parameter" };
        let Some(name) = &step.name else {
            self.errors.at(
                Spot::of(&call.kind),
                format!("a `{what}` needs a name, its `state_dict` key: `scale: {what}(64, 1, 1)`"),
            );
            return;
        };
        let Some((name, ident)) = self.name(name, scope) else { return };
        if scope.modules_started {
            self.errors.at(
                Spot::of(ident),
                format!(
                    "declare `{name}` before the first module of `{}`: PyTorch's `state_dict` lists a module's own parameters and buffers before its children's",
                    scope.owner
                ),
            );
            return;
        }
        let Some((dims, trainable)) = self.raw_arguments(call, what, scope) else { return };
        if let Some(why) = too_large(&dims) {
            self.errors.at(Spot::of(&call.kind), format!("`{name}` would be too large: {why}"));
            return;
        }
        if scope.values.contains_key(&name) || scope.modules.contains_key(&name) {
            self.errors.at(Spot::of(ident), format!("`{name}` is already used in `{}`", scope.owner));
            return;
        }
        // A module's `state_dict` lists its parameters, then its buffers.
        if !buffer && scope.own_buffers > 0 {
            self.errors.at(
                Spot::of(ident),
                format!(
                    "declare the parameter `{name}` before the buffers of `{}`, as its `state_dict` lists them",
                    scope.owner
                ),
            );
            return;
        }
        let key = format!("{}{name}", scope.prefix);
        let elements: usize = dims.iter().product();
        if buffer {
            scope.own_buffers += elements;
        } else {
            scope.own_parameters += elements;
            if trainable && !scope.frozen {
                scope.own_trainable += elements;
            }
        }
        // A module called again registers nothing new: its entry is there.
        if self.registering || !self.state.iter().any(|entry| entry.key == key) {
            let trainable = trainable && !scope.frozen;
            self.state.push(StateKey { key: key.clone(), dims: dims.clone(), buffer, trainable });
        }
        let raw = Raw { key: key.clone() };
        let tensor = Tensor {
            raw: Some(raw),
            ..Tensor::made(dims, Dtype::Float, format!("`{key}`"), Producer::Input(0), Vec::new(), 0)
        };
        scope.values.insert(name, Some(Tensor { origin: Origin::Step(format!("`{key}`")), ..tensor }));
    }

    /// The shape (`Parameter(1, 1, 768)`), and `requires_grad = false`.
    fn raw_arguments(&mut self, call: &Call, what: &str, scope: &Scope) -> Option<(Dims, bool)> {
        let mut dims = Vec::new();
        let mut trainable = true;
        let mut failed = false;
        for arg in &call.args {
            let valued = match scope.env.evaluate(&arg.value) {
                Ok(valued) => valued,
                Err(error) => {
                    self.errors.push(error);
                    failed = true;
                    continue;
                }
            };
            match (arg.key.as_ref().map(ToString::to_string).as_deref(), valued) {
                (None, Valued { value: Value::Int(size), .. }) if size > 0 => dims.push(size as usize),
                (None, Valued { value, spot }) => {
                    self.errors
                        .at(spot, format!("a `{what}`'s size must be a positive integer, found {}", value.describe()));
                    failed = true;
                }
                (Some("requires_grad"), Valued { value: Value::Bool(flag), .. }) if what == "Parameter" => {
                    trainable = flag
                }
                (Some("persistent"), Valued { value: Value::Bool(true), .. }) if what == "Buffer" => {}
                (Some("persistent"), Valued { spot, .. }) if what == "Buffer" => {
                    self.errors.at(spot, "a non-persistent buffer is not in the `state_dict`, so no checkpoint holds it; netshape registers persistent buffers only");
                    failed = true;
                }
                (Some(key), Valued { spot, .. }) => {
                    let takes = if what == "Parameter" { "`requires_grad`" } else { "`persistent`" };
                    self.errors.at(spot, format!("`{what}` takes its sizes and {takes}, not `{key}`"));
                    failed = true;
                }
            }
        }
        if dims.is_empty() && !failed {
            self.errors.at(Spot::of(&call.kind), format!("a `{what}` needs its sizes: `{what}(1, 1, 768)`"));
            return None;
        }
        (!failed).then_some((dims, trainable))
    }

    /// Raw operands of a join made values of the program, shaped against the
    /// chain's: a leading 1 one past the chain's rank is the batch
    /// (`pos_embedding` `[1, 197, 768]` beside `[197, 768]`); otherwise the
    /// tensor lines up with the last dims (`layer_scale` `[96, 1, 1]`, a
    /// `[768]` scale), as PyTorch broadcasts it.
    pub(super) fn raw_operands(&mut self, operands: Vec<Tensor>, spots: &[Spot]) -> Option<Vec<Tensor>> {
        let Some(rank) = operands.iter().find(|operand| operand.raw.is_none()).map(|operand| operand.dims.len()) else {
            self.errors.at(spots[0], "a join needs a value of the chain beside raw parameters and buffers");
            return None;
        };
        let mut adapted = Vec::with_capacity(operands.len());
        for (operand, spot) in operands.into_iter().zip(spots) {
            let Some(raw) = &operand.raw else {
                adapted.push(operand);
                continue;
            };
            let dims = match operand.dims.len() {
                len if len == rank + 1 && operand.dims[0] == 1 => operand.dims[1..].to_vec(),
                len if len <= rank => [vec![1; rank - len], operand.dims.clone()].concat(),
                _ => {
                    self.errors.at(
                        *spot,
                        format!(
                            "`{}` is {:?}: to join values of {rank} dims (batch left out) it needs at most {rank} dims, or {} with a leading 1 for the batch",
                            raw.key,
                            operand.dims,
                            rank + 1
                        ),
                    );
                    return None;
                }
            };
            let computation = Computation::Stored { dims: dims.clone() };
            let key = raw.key.clone();
            let value = self.record_step(computation, &[], vec![dims.clone()], &key, *spot);
            adapted.push(Tensor { raw: None, dims: dims.clone(), factors: vec![None; dims.len()], value, ..operand });
        }
        Some(adapted)
    }
}
