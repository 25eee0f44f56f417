//! Sizes that vary: an input dim declared as a symbol (`H`) with the sizes it
//! may take, and the formulas of the dims that follow from it.
//!
//! The check stage evaluates every rule at every admissible size (see
//! `check/sizes.rs`); this file holds the pure parts: which sizes a symbol
//! admits, and the closed form `scale·⌊(num·S + offset)/den⌋ + constant` that a
//! dim's table of values fits, for docs and for the runtime.

use std::fmt::{self, Display};

/// An input size that varies: `H in 32..=2048, H % 32 == 0`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    /// The smallest and largest admissible sizes.
    pub low: usize,
    pub high: usize,
    /// Admissible sizes are `residue` modulo `modulus` (1 and 0 for any size).
    pub modulus: usize,
    pub residue: usize,
    /// The size the consts and the summary are computed at.
    pub default: usize,
}

impl Symbol {
    /// How many sizes are admissible.
    pub fn count(&self) -> usize {
        if self.low > self.high {
            0
        } else {
            (self.high - self.low) / self.modulus + 1
        }
    }

    /// The `index`-th admissible size, from the smallest.
    pub fn nth(&self, index: usize) -> usize {
        self.low + index * self.modulus
    }

    /// Where `size` sits among the admissible sizes, if it is one.
    pub fn index_of(&self, size: usize) -> Option<usize> {
        (size >= self.low && size <= self.high && (size - self.low).is_multiple_of(self.modulus))
            .then(|| (size - self.low) / self.modulus)
    }
}

/// The sizes `low..=high` that are `residue` modulo `modulus`, tightened to the
/// first and last such size; `None` when there is none.
pub fn admissible(low: usize, high: usize, modulus: usize, residue: usize) -> Option<(usize, usize)> {
    let modulus = modulus.max(1);
    let first = low + (residue + modulus - low % modulus) % modulus;
    if first > high {
        return None;
    }
    Some((first, high - (high - first) % modulus))
}

/// Two congruences `x ≡ r1 (mod m1)`, `x ≡ r2 (mod m2)` as one, or `None` when
/// no number satisfies both (or the combined modulus passes `limit`).
pub fn combine(m1: usize, r1: usize, m2: usize, r2: usize, limit: usize) -> Option<(usize, usize)> {
    let lcm = (m1 / gcd(m1, m2)).checked_mul(m2)?;
    if lcm > limit {
        return None;
    }
    (0..lcm).step_by(m1).map(|x| x + r1 % m1).find(|x| x % m2 == r2 % m2).map(|x| (lcm, x))
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// A dim as a function of the symbols: fixed, or of one symbol `S` as
/// `scale·⌊(num·S + offset)/den⌋ + constant`, or failing that a table of its
/// value at each admissible size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Form {
    Fixed(usize),
    Quasi { symbol: usize, scale: i64, num: i64, offset: i64, den: i64, constant: i64 },
    Table { symbol: usize, values: Vec<usize> },
}

impl Form {
    /// The symbol it varies with.
    pub fn symbol(&self) -> Option<usize> {
        match *self {
            Form::Fixed(_) => None,
            Form::Quasi { symbol, .. } | Form::Table { symbol, .. } => Some(symbol),
        }
    }

    /// Its value when the symbols take `sizes` (admissible ones).
    pub fn at(&self, symbols: &[Symbol], sizes: &[usize]) -> usize {
        match *self {
            Form::Fixed(size) => size,
            Form::Quasi { symbol, scale, num, offset, den, constant } => {
                let size = sizes[symbol] as i64;
                (scale * (num * size + offset).div_euclid(den) + constant) as usize
            }
            Form::Table { symbol, ref values } => {
                symbols[symbol].index_of(sizes[symbol]).map_or(0, |index| values[index])
            }
        }
    }

    /// The closed form of a dim whose value at the `k`-th admissible size of
    /// `symbols[symbol]` is `values[k]`, checked at every one of them; the
    /// table itself when no closed form fits.
    pub fn fit(symbols: &[Symbol], symbol: usize, values: &[usize]) -> Form {
        let Some(&first) = values.first() else { return Form::Fixed(0) };
        if values.iter().all(|&value| value == first) {
            return Form::Fixed(first);
        }
        let table = || Form::Table { symbol, values: values.to_vec() };
        let source = &symbols[symbol];
        let sizes: Vec<i64> = (0..values.len()).map(|index| source.nth(index) as i64).collect();
        let Some(form) = fit_quasi(&sizes, values) else { return table() };
        let form = Form::Quasi {
            symbol,
            scale: form.scale,
            num: form.num,
            offset: form.offset,
            den: form.den,
            constant: first as i64 - form.scale * (form.num * sizes[0] + form.offset).div_euclid(form.den),
        };
        let mut sizes = vec![0; symbols.len()];
        let agrees = values.iter().enumerate().all(|(index, &value)| {
            sizes[symbol] = source.nth(index);
            form.at(symbols, &sizes) == value
        });
        if agrees {
            form
        } else {
            table()
        }
    }

    /// As written in docs: `⌊(H + 1)/2⌋`, `2·H − 1`, `64`.
    pub fn text(&self, names: &[&str]) -> String {
        match *self {
            Form::Fixed(size) => size.to_string(),
            Form::Table { symbol, .. } => format!("f({})", names[symbol]),
            Form::Quasi { symbol, scale, num, offset, den, constant } => {
                let name = names[symbol];
                if den == 1 {
                    return linear(scale * num, name, scale * offset + constant);
                }
                let inner = linear(num, name, offset);
                let inner = if offset == 0 { inner } else { format!("({inner})") };
                let floor = format!("⌊{inner}/{den}⌋");
                let scaled = if scale == 1 { floor } else { format!("{scale}·{floor}") };
                with_constant(scaled, constant)
            }
        }
    }
}

/// `a·S + b` as text.
fn linear(a: i64, name: &str, b: i64) -> String {
    let term = match a {
        0 => return b.to_string(),
        1 => name.to_owned(),
        -1 => format!("−{name}"),
        _ => format!("{a}·{name}"),
    };
    with_constant(term, b)
}

fn with_constant(term: String, constant: i64) -> String {
    match constant {
        0 => term,
        c if c > 0 => format!("{term} + {c}"),
        c => format!("{term} − {}", c.unsigned_abs()),
    }
}

/// `scale·⌊(num·S + offset)/den⌋`, up to a constant.
struct Fitted {
    scale: i64,
    num: i64,
    offset: i64,
    den: i64,
}

/// The largest denominator tried: a stride-1024 network's.
const MAX_DEN: i64 = 1024;

/// Fits `values[k] − values[0] = scale·(⌊(num·sizes[k] + offset)/den⌋ − ⌊(num·sizes[0] + offset)/den⌋)`
/// with `0 ≤ offset < den`, for a sequence that only grows or only shrinks:
/// the smallest scale first (`H`, not `4·⌊H/4⌋` when `H % 4 == 0`), then
/// the smallest denominator.
fn fit_quasi(sizes: &[i64], values: &[usize]) -> Option<Fitted> {
    let first = values[0] as i64;
    let steps: Vec<i64> = values.windows(2).map(|pair| pair[1] as i64 - pair[0] as i64).collect();
    let rising = steps.iter().all(|&step| step >= 0);
    if !rising && !steps.iter().all(|&step| step <= 0) {
        return None;
    }
    let common = steps.iter().fold(0, |all, &step| gcd(all, step.unsigned_abs() as usize)) as i64;
    let span = sizes[sizes.len() - 1] - sizes[0];
    for scale in (1..=common).filter(|scale| common % scale == 0) {
        let scale = if rising { scale } else { -scale };
        let levels: Vec<i64> = values.iter().map(|&value| (value as i64 - first) / scale).collect();
        let last = levels[levels.len() - 1];
        for den in 1..=MAX_DEN.min(span.max(1) * 2) {
            // The slope num/den lies within 1/span of last/span.
            let lowest = ((last - 1) * den).div_euclid(span).max(0);
            let highest = ((last + 1) * den).div_euclid(span) + 1;
            for num in lowest..=highest {
                if let Some(offset) = offset_fitting(sizes, &levels, num, den) {
                    return Some(Fitted { scale, num, offset, den });
                }
            }
        }
    }
    None
}

/// The smallest `offset` in `0..den` with `⌊(num·sizes[k] + offset)/den⌋ − ⌊(num·sizes[0] + offset)/den⌋ = levels[k]`
/// for every `k`.
fn offset_fitting(sizes: &[i64], levels: &[i64], num: i64, den: i64) -> Option<i64> {
    // Relative to the first size, whose floor is fixed as `base` by the offset.
    (0..den).find(|&offset| {
        let base = (num * sizes[0] + offset).div_euclid(den);
        sizes.iter().zip(levels).all(|(&size, &level)| (num * size + offset).div_euclid(den) - base == level)
    })
}

/// A shape with its varying dims as formulas: `[64, ⌊(H + 1)/2⌋, 112]`.
pub struct ShapeText<'a> {
    pub forms: &'a [Form],
    pub names: &'a [&'a str],
}

impl Display for ShapeText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dims: Vec<String> = self.forms.iter().map(|form| form.text(self.names)).collect();
        write!(f, "[{}]", dims.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn symbol(low: usize, high: usize, modulus: usize) -> Symbol {
        Symbol { name: "H".into(), low, high, modulus, residue: low % modulus, default: low }
    }

    fn fitted(symbol: &Symbol, rule: impl Fn(usize) -> usize) -> Form {
        let values: Vec<usize> = (0..symbol.count()).map(|index| rule(symbol.nth(index))).collect();
        Form::fit(std::slice::from_ref(symbol), 0, &values)
    }

    #[test]
    fn convolutions_and_resizes_have_closed_forms() {
        let any = symbol(1, 300, 1);
        let conv = |size: usize| (size + 2 * 3 - 7) / 2 + 1;
        assert_eq!(fitted(&any, |size| conv(conv(size + 4))).text(&["H"]), "⌊(H + 3)/4⌋ + 1");
        assert_eq!(fitted(&any, |size| size.div_ceil(32)).text(&["H"]), "⌊(H + 31)/32⌋");
        assert_eq!(fitted(&any, |size| 2 * size - 1).text(&["H"]), "2·H − 1");
        assert_eq!(fitted(&any, |size| 2 * (size / 2)).text(&["H"]), "2·⌊H/2⌋");
        assert_eq!(fitted(&any, |size| size * 3 / 2).text(&["H"]), "⌊3·H/2⌋");
        assert_eq!(fitted(&any, |_| 7), Form::Fixed(7));
        let even = symbol(32, 2048, 32);
        assert_eq!(fitted(&even, |size| size / 32).text(&["H"]), "⌊H/32⌋");
        assert_eq!(fitted(&even, |size| size / 8 + 1).text(&["H"]), "⌊H/8⌋ + 1");
        // Not monotone: kept as a table, and exact.
        let table = fitted(&any, |size| size % 5 + 1);
        assert!(matches!(table, Form::Table { .. }));
        assert_eq!(table.at(std::slice::from_ref(&any), &[17]), 3);
    }

    #[test]
    fn every_fit_is_exact_at_every_size() {
        for modulus in [1, 2, 3, 8] {
            let symbol = symbol(modulus, 200, modulus);
            for stride in 1..6 {
                for shift in 0..6 {
                    for factor in 1..4 {
                        let rule = |size: usize| factor * ((size + shift) / stride) + 1;
                        let form = fitted(&symbol, rule);
                        for index in 0..symbol.count() {
                            let size = symbol.nth(index);
                            assert_eq!(form.at(std::slice::from_ref(&symbol), &[size]), rule(size));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn congruences_combine() {
        assert_eq!(combine(4, 1, 6, 3, 1000), Some((12, 9)));
        assert_eq!(combine(4, 1, 6, 2, 1000), None);
        assert_eq!(admissible(30, 100, 32, 0), Some((32, 96)));
        assert_eq!(admissible(1, 20, 32, 0), None);
    }
}
