//! Argument values: each `syn::Expr` of the DSL evaluated to a [`Value`], keeping
//! its span. Integer arithmetic (`planes * 4`) works on named constants, block
//! parameters and loop variables; comparisons and `&& || !` make conditions;
//! Python's spellings (`True`, `None`) are accepted beside Rust's.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use quote::ToTokens;
use syn::{BinOp, Expr, Lit, UnOp};

use crate::shape::MAX_SIZE;

use crate::parse::{Call, Spot};
use crate::suggest::did_you_mean;

#[derive(Clone)]
pub enum Value {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
    None,
    /// `x.size(0)` or `x.shape[0]`: the batch size, which stays open.
    Batch,
    Tuple(Vec<Valued>),
    /// A module written as a value: `encoder_layer = TransformerEncoderLayer(512, 8)`.
    Call(Box<Call>),
}

/// A value and the tokens it came from.
#[derive(Clone)]
pub struct Valued {
    pub value: Value,
    pub spot: Spot,
}

impl Value {
    /// How the value reads in an error: "a string", "the integer 3".
    pub fn describe(&self) -> String {
        match self {
            Value::Int(value) => format!("the integer {value}"),
            Value::Float(value) => format!("the number {value}"),
            Value::Bool(value) => format!("`{value}`"),
            Value::Str(text) => format!("the string {text:?}"),
            Value::None => "`None`".to_owned(),
            Value::Batch => "the batch size".to_owned(),
            Value::Tuple(items) => format!("a tuple of {} values", items.len()),
            Value::Call(call) => format!("the module `{}(…)`", call.kind),
        }
    }
}

/// The names an expression can use: constants, a block's parameters, loop
/// variables.
#[derive(Clone, Default)]
pub struct Constants {
    values: BTreeMap<String, Value>,
    /// The shapes of the tensors in scope (batch left out) and their values'
    /// numbers, for `x.size(2)` and `skip.shape[-2:]`.
    shapes: BTreeMap<String, (Vec<usize>, usize)>,
    /// Every shape read so far, shared by the copies of one walk: a size that
    /// varies cannot be read into an argument.
    reads: Rc<RefCell<Vec<ShapeRead>>>,
}

/// A shape read by an argument: the value read, which of its dims (batch
/// left out), and where.
pub struct ShapeRead {
    pub value: usize,
    pub dims: Vec<usize>,
    pub spot: Spot,
    /// The program step recorded next, whose arguments it likely is.
    pub step: Option<usize>,
}

impl Constants {
    pub fn define(&mut self, name: String, value: Value) {
        self.values.insert(name, value);
    }

    /// A tensor's shape, batch left out, readable as `name.size(d)` and
    /// `name.shape[…]`.
    pub fn define_shape(&mut self, name: String, dims: Vec<usize>, value: usize) {
        self.shapes.insert(name, (dims, value));
    }

    /// Marks the shapes read since the last step as read for step `step`.
    pub fn stamp_reads(&self, step: usize) {
        for read in self.reads.borrow_mut().iter_mut().filter(|read| read.step.is_none()) {
            read.step = Some(step);
        }
    }

    /// The shapes read so far.
    pub fn take_reads(&self) -> Vec<ShapeRead> {
        std::mem::take(&mut self.reads.borrow_mut())
    }

    /// `name.size(…)` or `name.shape[…]` of a tensor in scope: its batched
    /// shape, the batch open, indexed by `index` (an integer, negative from
    /// the end, or a range such as `-2..`, Python's `-2:`); the whole shape
    /// as a tuple when `index` is `None`.
    fn shape_of(&self, tensor: &Expr, index: Option<&Expr>, spot: &Spot) -> syn::Result<Value> {
        let name = match tensor {
            Expr::Path(path) => path.path.get_ident().map(ToString::to_string),
            _ => None,
        };
        let Some((dims, value)) = name.as_ref().and_then(|name| self.shapes.get(name)) else {
            let about = name.map_or_else(|| "this".to_owned(), |name| format!("`{name}`"));
            return Err(spot.error(format!(
                "{about} is not a tensor in scope: a shape is read from an input or a `let` value, as `skip.shape[-2:]`"
            )));
        };
        let batched: Vec<Value> =
            std::iter::once(Value::Batch).chain(dims.iter().map(|&dim| Value::Int(dim as i64))).collect();
        let rank = batched.len() as i64;
        let position = |expr: &Expr| -> syn::Result<i64> {
            match self.evaluate(expr)? {
                Valued { value: Value::Int(at), .. } if (-rank..rank).contains(&at) => Ok(at.rem_euclid(rank)),
                Valued { value: Value::Int(at), spot } => {
                    Err(spot.error(format!("dim {at} is out of range for a tensor of {rank} dims (batch included)")))
                }
                Valued { value, spot } => Err(spot.error(format!("a dim is an integer, found {}", value.describe()))),
            }
        };
        let valued =
            |values: &[Value]| values.iter().map(|value| Valued { value: value.clone(), spot: *spot }).collect();
        let read = |positions: std::ops::Range<usize>| {
            let dims = positions.filter_map(|position| position.checked_sub(1)).collect();
            self.reads.borrow_mut().push(ShapeRead { value: *value, dims, spot: *spot, step: None });
        };
        match index {
            None => {
                read(0..batched.len());
                Ok(Value::Tuple(valued(&batched)))
            }
            Some(Expr::Range(range)) => {
                let bound = |bound: &Option<Box<Expr>>, open: i64| -> syn::Result<i64> {
                    match bound {
                        None => Ok(open),
                        Some(expr) => match self.evaluate(expr)? {
                            Valued { value: Value::Int(at), .. } => {
                                Ok(if at < 0 { (at + rank).max(0) } else { at.min(rank) })
                            }
                            Valued { value, spot } => {
                                Err(spot.error(format!("a slice bound is an integer, found {}", value.describe())))
                            }
                        },
                    }
                };
                let (start, end) = (bound(&range.start, 0)?, bound(&range.end, rank)?);
                let end = if matches!(range.limits, syn::RangeLimits::Closed(_)) { (end + 1).min(rank) } else { end };
                read(start as usize..end.max(start) as usize);
                Ok(Value::Tuple(valued(batched.get(start as usize..end.max(start) as usize).unwrap_or_default())))
            }
            Some(expr) => {
                let at = position(expr)? as usize;
                read(at..at + 1);
                Ok(batched[at].clone())
            }
        }
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    /// A condition: an expression that must evaluate to a boolean.
    pub fn condition(&self, expr: &Expr) -> syn::Result<bool> {
        match self.evaluate(expr)? {
            Valued { value: Value::Bool(flag), .. } => Ok(flag),
            Valued { value, spot } => {
                Err(spot.error(format!("a condition must be `true` or `false`, found {}", value.describe())))
            }
        }
    }

    /// A loop's range: `a..b` or `a..=b` of integers.
    pub fn range(&self, expr: &Expr) -> syn::Result<std::ops::Range<i64>> {
        let Expr::Range(range) = expr else {
            return Err(Spot::of(expr).error("expected a range of integers, such as `0..4`"));
        };
        let bound = |bound: &Option<Box<Expr>>| -> syn::Result<i64> {
            match bound.as_deref().map(|expr| self.evaluate(expr)).transpose()? {
                Some(Valued { value: Value::Int(value), .. }) => Ok(value),
                Some(Valued { value, spot }) => {
                    Err(spot.error(format!("a range bound must be an integer, found {}", value.describe())))
                }
                None => Err(Spot::of(range).error("a loop's range needs both ends, such as `0..4`")),
            }
        };
        let (start, end) = (bound(&range.start)?, bound(&range.end)?);
        let end = if matches!(range.limits, syn::RangeLimits::Closed(_)) { end + 1 } else { end };
        Ok(start..end)
    }

    pub fn evaluate(&self, expr: &Expr) -> syn::Result<Valued> {
        let spot = Spot::of(expr);
        let value = match expr {
            Expr::Lit(literal) => match &literal.lit {
                Lit::Int(int) => Value::Int(bounded(int.base10_parse().ok(), &spot, int.base10_digits())?),
                Lit::Float(float) => Value::Float(float.base10_parse()?),
                Lit::Bool(flag) => Value::Bool(flag.value),
                Lit::Str(text) => Value::Str(text.value()),
                _ => return Err(spot.error("expected an integer, a number, a boolean, a string or a tuple")),
            },
            Expr::Paren(inner) => return self.evaluate(&inner.expr).map(|valued| Valued { spot, ..valued }),
            Expr::Group(inner) => return self.evaluate(&inner.expr),
            Expr::Tuple(tuple) => {
                Value::Tuple(tuple.elems.iter().map(|item| self.evaluate(item)).collect::<syn::Result<_>>()?)
            }
            Expr::Array(array) => {
                Value::Tuple(array.elems.iter().map(|item| self.evaluate(item)).collect::<syn::Result<_>>()?)
            }
            Expr::Unary(unary) if matches!(unary.op, UnOp::Neg(_)) => match self.evaluate(&unary.expr)?.value {
                Value::Int(value) => Value::Int(-value),
                Value::Float(value) => Value::Float(-value),
                other => return Err(spot.error(format!("cannot negate {}", other.describe()))),
            },
            Expr::Unary(unary) if matches!(unary.op, UnOp::Not(_)) => Value::Bool(!self.condition(&unary.expr)?),
            Expr::Binary(binary) => self.binary(binary)?,
            Expr::Path(path) => {
                let Some(ident) = path.path.get_ident() else {
                    return Err(spot.error("expected a value or a constant's name"));
                };
                match ident.to_string().as_str() {
                    "True" => Value::Bool(true),
                    "False" => Value::Bool(false),
                    "None" => Value::None,
                    name => match self.get(name) {
                        Some(value) => value.clone(),
                        None => return Err(spot.error(self.unknown_constant(name))),
                    },
                }
            }
            // `x.size(0)` is the batch whatever `x` is; other dims are read
            // from the tensor's shape.
            Expr::MethodCall(call) if call.method == "size" && is_zero(call.args.first()) && call.args.len() == 1 => {
                Value::Batch
            }
            Expr::Index(index) if is_shape(&index.expr) && is_zero(Some(&index.index)) => Value::Batch,
            Expr::MethodCall(call) if call.method == "size" && call.args.len() <= 1 => {
                self.shape_of(&call.receiver, call.args.first(), &spot)?
            }
            Expr::Field(field) if is_shape(expr) => self.shape_of(&field.base, None, &spot)?,
            Expr::Index(index) if is_shape(&index.expr) => {
                let Expr::Field(field) = &*index.expr else { unreachable!("`is_shape` is a field") };
                self.shape_of(&field.base, Some(&index.index), &spot)?
            }
            // `if stride > 1 { inp } else { branch_features }`, as Rust writes a
            // conditional expression.
            Expr::If(choice) => {
                let chosen = if self.condition(&choice.cond)? {
                    Some(&choice.then_branch)
                } else {
                    match choice.else_branch.as_ref().map(|(_, otherwise)| &**otherwise) {
                        Some(Expr::Block(block)) => Some(&block.block),
                        Some(other) => return self.evaluate(other),
                        None => None,
                    }
                };
                match chosen.and_then(|block| block.stmts.last()) {
                    Some(syn::Stmt::Expr(expr, None)) => return self.evaluate(expr),
                    _ => return Err(spot.error("a conditional value needs both branches, each ending in a value")),
                }
            }
            Expr::Call(call) if is_function(call, "max") || is_function(call, "min") => {
                let mut values = Vec::new();
                for arg in &call.args {
                    match self.evaluate(arg)? {
                        Valued { value: Value::Int(value), .. } => values.push(value),
                        Valued { value, spot } => {
                            return Err(spot.error(format!("`max` and `min` take integers, found {}", value.describe())))
                        }
                    }
                }
                let pick = if is_function(call, "max") { values.iter().max() } else { values.iter().min() };
                match pick {
                    Some(value) => Value::Int(*value),
                    None => return Err(spot.error("`max` and `min` need at least one integer")),
                }
            }
            Expr::Call(call) if ["int", "round", "float", "abs"].iter().any(|name| is_function(call, name)) => {
                self.conversion(call)?
            }
            Expr::Call(call) => match Call::from_expr(call) {
                Some(call) => Value::Call(Box::new(call)),
                None => return Err(spot.error("expected a module such as `LayerNorm(512)`")),
            },
            _ => {
                return Err(spot.error(
                    "expected an integer, a number, a boolean, a string, `None` or a tuple \
                     (integers may use constants and `+ - * / %`)",
                ))
            }
        };
        Ok(Valued { value, spot })
    }

    /// Arithmetic on integers, comparisons, and `&&`/`||` on conditions.
    fn binary(&self, binary: &syn::ExprBinary) -> syn::Result<Value> {
        match binary.op {
            BinOp::And(_) => Ok(Value::Bool(self.condition(&binary.left)? && self.condition(&binary.right)?)),
            BinOp::Or(_) => Ok(Value::Bool(self.condition(&binary.left)? || self.condition(&binary.right)?)),
            BinOp::Eq(_) | BinOp::Ne(_) | BinOp::Lt(_) | BinOp::Le(_) | BinOp::Gt(_) | BinOp::Ge(_) => {
                let (left, right) = (self.evaluate(&binary.left)?, self.evaluate(&binary.right)?);
                let ordering = match (&left.value, &right.value) {
                    (Value::Int(a), Value::Int(b)) => a.cmp(b),
                    (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
                    (Value::Str(a), Value::Str(b)) => a.cmp(b),
                    (a, b) => {
                        let (a, b) = (a.describe(), b.describe());
                        return Err(Spot::of(binary).error(format!("cannot compare {a} with {b}")));
                    }
                };
                Ok(Value::Bool(match binary.op {
                    BinOp::Eq(_) => ordering.is_eq(),
                    BinOp::Ne(_) => ordering.is_ne(),
                    BinOp::Lt(_) => ordering.is_lt(),
                    BinOp::Le(_) => ordering.is_le(),
                    BinOp::Gt(_) => ordering.is_gt(),
                    _ => ordering.is_ge(),
                }))
            }
            _ => self.arithmetic(binary),
        }
    }

    /// `+ - * / %`: exact on integers (`/` rounds down, as Rust's does for
    /// sizes), and on numbers when either side is one (`0.2 * i / 16`).
    fn arithmetic(&self, binary: &syn::ExprBinary) -> syn::Result<Value> {
        let operand = |expr: &Expr| -> syn::Result<Value> {
            match self.evaluate(expr)? {
                Valued { value: value @ (Value::Int(_) | Value::Float(_)), .. } => Ok(value),
                Valued { value, spot } => {
                    Err(spot.error(format!("arithmetic works on numbers, found {}", value.describe())))
                }
            }
        };
        let (left, right) = match (operand(&binary.left)?, operand(&binary.right)?) {
            (Value::Int(left), Value::Int(right)) => (left, right),
            (left, right) => {
                let float = |value: Value| match value {
                    Value::Int(value) => value as f64,
                    Value::Float(value) => value,
                    _ => 0.0,
                };
                let (left, right) = (float(left), float(right));
                return match binary.op {
                    BinOp::Add(_) => Ok(Value::Float(left + right)),
                    BinOp::Sub(_) => Ok(Value::Float(left - right)),
                    BinOp::Mul(_) => Ok(Value::Float(left * right)),
                    BinOp::Div(_) => Ok(Value::Float(left / right)),
                    _ => Err(Spot::of(&binary.op).error("numbers take `+ - * /`")),
                };
            }
        };
        let spot = Spot::of(binary);
        let result = match binary.op {
            BinOp::Add(_) => left.checked_add(right),
            BinOp::Sub(_) => left.checked_sub(right),
            BinOp::Mul(_) => left.checked_mul(right),
            BinOp::Div(_) | BinOp::Rem(_) if right == 0 => {
                return Err(Spot::of(&binary.right).error("division by zero"));
            }
            BinOp::Div(_) => left.checked_div(right),
            BinOp::Rem(_) => left.checked_rem(right),
            _ => return Err(Spot::of(&binary.op).error("expected one of `+ - * / %`, a comparison, `&&` or `||`")),
        };
        let shown = format!("{left} {} {right}", binary.op.to_token_stream());
        bounded(result, &spot, &shown).map(Value::Int)
    }

    /// Python's `int(x)` (towards zero), `round(x)` (half to even), `float(x)`
    /// and `abs(x)`, as torchvision computes widths:
    /// `int(planes * (base_width / 64.0)) * groups`.
    fn conversion(&self, call: &syn::ExprCall) -> syn::Result<Value> {
        let Expr::Path(path) = &*call.func else { unreachable!("a function called by name") };
        let name = path.path.get_ident().map(ToString::to_string).unwrap_or_default();
        let [arg] = call.args.iter().collect::<Vec<_>>()[..] else {
            return Err(Spot::of(call).error(format!("`{name}` takes one number")));
        };
        let valued = self.evaluate(arg)?;
        let number = match valued.value {
            Value::Int(value) => value as f64,
            Value::Float(value) => value,
            other => {
                return Err(valued.spot.error(format!("`{name}` takes a number, found {}", other.describe())));
            }
        };
        let to_int = |value: f64| {
            let fits = value.is_finite() && value.abs() <= MAX_SIZE as f64;
            bounded(fits.then_some(value as i64), &Spot::of(call), &format!("{name}({number})")).map(Value::Int)
        };
        match name.as_str() {
            "int" => to_int(number.trunc()),
            "round" => to_int(number.round_ties_even()),
            "abs" if matches!(valued.value, Value::Int(_)) => to_int(number.abs()),
            "abs" => Ok(Value::Float(number.abs())),
            _ => Ok(Value::Float(number)),
        }
    }

    fn unknown_constant(&self, name: &str) -> String {
        let hint = did_you_mean(name, self.values.keys().map(String::as_str))
            .map(|close| format!("; did you mean `{close}`?"))
            .unwrap_or_else(|| {
                "; a name is a constant of the same `network!` (`const NAME: usize = …;`), a block's parameter or a loop variable"
                    .to_owned()
            });
        format!("unknown name `{name}`{hint}")
    }
}

/// An integer within the DSL's range, [`MAX_SIZE`] either way, or an error
/// that shows where it came from.
fn bounded(value: Option<i64>, spot: &Spot, shown: &str) -> syn::Result<i64> {
    match value {
        Some(value) if value.unsigned_abs() <= MAX_SIZE as u64 => Ok(value),
        _ => Err((*spot)
            .error(format!("`{shown}` is out of the integers netshape computes with (at most {MAX_SIZE} either way)"))),
    }
}

fn is_function(call: &syn::ExprCall, name: &str) -> bool {
    matches!(&*call.func, Expr::Path(path) if path.path.is_ident(name))
}

fn is_zero(expr: Option<&Expr>) -> bool {
    matches!(expr, Some(Expr::Lit(literal)) if matches!(&literal.lit, Lit::Int(int) if int.base10_digits() == "0"))
}

fn is_shape(expr: &Expr) -> bool {
    matches!(expr, Expr::Field(field) if matches!(&field.member, syn::Member::Named(name) if name == "shape"))
}
