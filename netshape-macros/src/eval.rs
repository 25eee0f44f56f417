//! Argument values: each `syn::Expr` of the DSL evaluated to a [`Value`], keeping
//! its span. Integer arithmetic (`HIDDEN * 2`) works on named constants;
//! Python's spellings (`True`, `None`) are accepted beside Rust's.

use std::collections::BTreeMap;

use syn::{BinOp, Expr, Lit, UnOp};

use crate::parse::Spot;
use crate::suggest::did_you_mean;

#[derive(Clone, Debug)]
pub enum Value {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
    None,
    /// `x.size(0)` or `x.shape[0]`: the batch size, which stays open.
    Batch,
    Tuple(Vec<Valued>),
}

/// A value and the tokens it came from.
#[derive(Clone, Debug)]
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
        }
    }
}

/// Named integer constants, in declaration order.
#[derive(Default)]
pub struct Constants {
    values: BTreeMap<String, i64>,
}

impl Constants {
    pub fn define(&mut self, name: String, value: i64) {
        self.values.insert(name, value);
    }

    pub fn get(&self, name: &str) -> Option<i64> {
        self.values.get(name).copied()
    }

    pub fn evaluate(&self, expr: &Expr) -> syn::Result<Valued> {
        let spot = Spot::of(expr);
        let value = match expr {
            Expr::Lit(literal) => match &literal.lit {
                Lit::Int(int) => Value::Int(int.base10_parse()?),
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
            Expr::Binary(binary) => Value::Int(self.arithmetic(binary)?),
            Expr::Path(path) => {
                let Some(ident) = path.path.get_ident() else {
                    return Err(spot.error("expected a value or a constant's name"));
                };
                match ident.to_string().as_str() {
                    "True" => Value::Bool(true),
                    "False" => Value::Bool(false),
                    "None" => Value::None,
                    name => match self.get(name) {
                        Some(value) => Value::Int(value),
                        None => return Err(spot.error(self.unknown_constant(name))),
                    },
                }
            }
            Expr::MethodCall(call) if call.method == "size" && is_zero(call.args.first()) && call.args.len() == 1 => {
                Value::Batch
            }
            Expr::Index(index) if is_shape(&index.expr) && is_zero(Some(&index.index)) => Value::Batch,
            _ => {
                return Err(spot.error(
                    "expected an integer, a number, a boolean, a string, `None` or a tuple \
                     (integers may use constants and `+ - * / %`)",
                ))
            }
        };
        Ok(Valued { value, spot })
    }

    fn arithmetic(&self, binary: &syn::ExprBinary) -> syn::Result<i64> {
        let int = |expr: &Expr| -> syn::Result<i64> {
            match self.evaluate(expr)? {
                Valued { value: Value::Int(value), .. } => Ok(value),
                Valued { value, spot } => {
                    Err(spot.error(format!("arithmetic works on integers, found {}", value.describe())))
                }
            }
        };
        let (left, right) = (int(&binary.left)?, int(&binary.right)?);
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
            _ => return Err(Spot::of(&binary.op).error("expected one of `+ - * / %`")),
        };
        result.ok_or_else(|| spot.error("integer overflow"))
    }

    fn unknown_constant(&self, name: &str) -> String {
        let hint = did_you_mean(name, self.values.keys().map(String::as_str))
            .map(|close| format!("; did you mean `{close}`?"))
            .unwrap_or_else(|| {
                "; constants are declared in the same `network!` as `const NAME: usize = …;`".to_owned()
            });
        format!("unknown constant `{name}`{hint}")
    }
}

fn is_zero(expr: Option<&Expr>) -> bool {
    matches!(expr, Some(Expr::Lit(literal)) if matches!(&literal.lit, Lit::Int(int) if int.base10_digits() == "0"))
}

fn is_shape(expr: &Expr) -> bool {
    matches!(expr, Expr::Field(field) if matches!(&field.member, syn::Member::Named(name) if name == "shape"))
}
