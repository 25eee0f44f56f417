//! Sizes that vary: the symbols a network's `where` clauses declare
//! (`where H in 32..=2048, H % 32 == 0`), with their defaults
//! (`[3, H = 224, W = 224]`). `sizes.rs` checks the network at every size
//! they admit.

use syn::{BinOp, Expr};

use crate::eval::{Constants, Value, Valued};
use crate::parse::{Constraint, InputDecl, Spot};
use crate::shape::symbolic::{admissible, combine, Symbol};
use crate::shape::MAX_SIZE;

use super::Errors;

/// The most symbols a network declares.
const MAX_SYMBOLS: usize = 8;

/// The most sizes a symbol takes: each is checked.
const MAX_SIZES: usize = 1 << 16;

/// The largest modulus of a condition.
const MAX_MODULUS: usize = 1 << 16;

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
    for symbol in declared.into_iter().filter(|symbol| !symbol.refused) {
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
    /// Its range was refused, with an error: nothing more to say about it.
    refused: bool,
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
        declared.push(Declared { name, spot, range: None, modulus: 1, residue: 0, default: None, refused: false });
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
                declared[index].refused = true;
                return;
            }
            if declared[index].range.is_some() {
                errors.at(Spot::of(symbol), format!("`{symbol}` is given a range twice"));
                return;
            }
            let low = size_of(start, "a size", constants, errors);
            let high = size_of(end, "a size", constants, errors);
            let (Some(low), Some(high)) = (low, high) else {
                declared[index].refused = true;
                return;
            };
            let high = if closed { Some(high) } else { high.checked_sub(1) };
            match high {
                Some(high) if high >= low => declared[index].range = Some((low, high)),
                _ => {
                    errors.at(Spot::of(range), format!("the range of `{symbol}` holds no size"));
                    declared[index].refused = true;
                }
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
