//! Matching a call's arguments to its PyTorch signature, as Python does, and
//! checking each value against its parameter's type.

use crate::catalog::{self, Args, Bound, Fallback, Kind, Param, Ty};
use crate::eval::{Constants, Value, Valued};
use crate::parse::{Call, Spot};
use crate::shape::{At, Scale, ViewSize, MAX_STEPS};
use crate::suggest::did_you_mean;

use super::Errors;

/// Where each bound argument was written, for pointing at it.
pub struct Site {
    name: &'static str,
    whole: Spot,
    items: Vec<Spot>,
}

/// A call whose arguments fit its signature.
pub struct BoundCall {
    pub args: Args,
    sites: Vec<Site>,
    /// The call as written, constants evaluated: `Conv2d(1, 10, kernel_size = 5)`.
    pub rendered: String,
}

impl BoundCall {
    /// A module called again has no arguments of its own to point at.
    pub fn empty() -> BoundCall {
        BoundCall {
            args: Args { axes: 0, values: Vec::new(), scalars: Vec::new() },
            sites: Vec::new(),
            rendered: String::new(),
        }
    }

    /// A module called again runs with the arguments of its definition, but
    /// has none of its own to point at.
    pub fn recalled(args: Args) -> BoundCall {
        BoundCall { args, ..BoundCall::empty() }
    }

    fn site(&self, name: &str) -> Option<&Site> {
        self.sites.iter().find(|site| site.name == name)
    }

    /// The padding argument, whatever the signature calls it.
    fn padding_site(&self) -> Option<&Site> {
        self.site("padding").or_else(|| self.site("pad"))
    }

    /// Which written token an `At` resolves to: the argument and, for a tuple
    /// written out, the item; `None` for the layer's name.
    pub fn token(&self, at: At) -> Option<(&'static str, Option<usize>)> {
        match at {
            At::Layer => None,
            At::Arg(name) => self.site(name).map(|site| (site.name, None)),
            At::Axis(name, axis) => self.site(name).map(|site| (site.name, (axis < site.items.len()).then_some(axis))),
            At::Pad(axis) => {
                self.padding_site().map(|site| (site.name, (2 * axis + 1 < site.items.len()).then_some(axis)))
            }
        }
    }

    pub fn spot(&self, call: &Call, at: At) -> Spot {
        let layer = Spot::of(&call.kind);
        match at {
            At::Layer => layer,
            At::Arg(name) => self.site(name).map_or(layer, |site| site.whole),
            At::Axis(name, axis) => {
                self.site(name).map_or(layer, |site| site.items.get(axis).copied().unwrap_or(site.whole))
            }
            At::Pad(axis) => self.padding_site().map_or(layer, |site| {
                match (site.items.get(2 * axis), site.items.get(2 * axis + 1)) {
                    (Some(before), Some(after)) => Spot { start: before.start, end: after.end },
                    _ => site.whole,
                }
            }),
        }
    }
}

/// Binds a call's arguments to `kind`'s signature. Returns `None` after
/// reporting any mistake.
pub fn bind(kind: &'static Kind, call: &Call, constants: &Constants, errors: &mut Errors) -> Option<BoundCall> {
    let before = errors.count();
    // An argument that was misspelt or failed to evaluate was meant for some
    // parameter: reporting that parameter missing too would repeat the mistake.
    let mut unusable = false;
    let mut given: Vec<Option<Valued>> = vec![None; kind.params.len()];
    let mut rendered = Vec::new();
    // A positional argument that fails keeps its place, so that the ones
    // after it still reach their own parameters.
    let mut positional: Vec<Option<Valued>> = Vec::new();
    for arg in &call.args {
        let value = match constants.evaluate(&arg.value) {
            Ok(value) => value,
            Err(error) => {
                errors.push(error);
                unusable = true;
                if arg.key.is_none() {
                    positional.push(None);
                }
                continue;
            }
        };
        rendered.push(match &arg.key {
            Some(key) => format!("{key} = {}", render(&value.value)),
            None => render(&value.value),
        });
        if kind.open {
            continue;
        }
        let Some(key) = &arg.key else {
            positional.push(Some(value));
            continue;
        };
        let Some(index) = kind.params.iter().position(|param| key == param.name) else {
            errors.at(Spot::of(key), unknown_argument(kind, &key.to_string()));
            unusable = true;
            continue;
        };
        if given[index].is_some() {
            errors.at(Spot::of(key), format!("argument `{key}` is given twice"));
            continue;
        }
        given[index] = Some(value);
    }
    if !kind.open {
        assign_positional(kind, positional, &mut given, errors);
    }
    let mut args = Args { axes: kind.axes, values: Vec::new(), scalars: Vec::new() };
    let mut sites = Vec::new();
    for (param, value) in kind.params.iter().zip(given) {
        // `stride = None` means what leaving it out means.
        let value = value.filter(|value| {
            !(matches!(value.value, Value::None) && matches!(param.default, Fallback::None | Fallback::KernelSize))
        });
        let bound = match value {
            Some(value) => {
                let items = match &value.value {
                    Value::Tuple(items) => items.iter().map(|item| item.spot).collect(),
                    _ => Vec::new(),
                };
                if items.is_empty() {
                    args.scalars.push(param.name);
                }
                sites.push(Site { name: param.name, whole: value.spot, items });
                convert(kind, param, &value, constants, errors)
            }
            None if unusable && matches!(param.default, Fallback::Required) => None,
            None => default(kind, param, call, &args, errors),
        };
        if let Some(bound) = bound {
            args.values.push((param.name, bound));
        }
    }
    (errors.count() == before).then(|| BoundCall {
        args,
        sites,
        rendered: format!("{}({})", kind.name, rendered.join(", ")),
    })
}

fn assign_positional(
    kind: &'static Kind,
    positional: Vec<Option<Valued>>,
    given: &mut [Option<Valued>],
    errors: &mut Errors,
) {
    // `view(-1, 320)`, `permute(0, 2, 1)`: every positional argument is one value.
    if let Some(index) = kind.params.iter().position(|param| matches!(param.ty, Ty::ViewSizes | Ty::Dims)) {
        // One that failed leaves the whole tuple unknown.
        let Some(positional) = positional.into_iter().collect::<Option<Vec<Valued>>>() else { return };
        let (Some(first), Some(last)) = (positional.first(), positional.last()) else { return };
        if given[index].is_some() {
            errors.at(first.spot, format!("argument `{}` is given twice", kind.params[index].name));
            return;
        }
        let spot = Spot { start: first.spot.start, end: last.spot.end };
        let single_tuple = positional.len() == 1 && matches!(positional[0].value, Value::Tuple(_));
        let value = if single_tuple {
            positional.into_iter().next().map_or(Value::None, |value| value.value)
        } else {
            Value::Tuple(positional)
        };
        given[index] = Some(Valued { value, spot });
        return;
    }
    let slots: Vec<usize> = (0..kind.params.len()).filter(|&index| kind.params[index].positional).collect();
    let count = positional.len();
    for (place, value) in positional.into_iter().enumerate() {
        let Some(&index) = slots.get(place) else {
            let Some(value) = value else { return };
            let names: Vec<_> = slots.iter().map(|&index| format!("`{}`", kind.params[index].name)).collect();
            let takes = match names.len() {
                0 => format!("`{}` takes no positional arguments", kind.name),
                n => format!("`{}` takes at most {n} positional arguments ({})", kind.name, names.join(", ")),
            };
            errors.at(value.spot, format!("unexpected argument: {takes}, but {count} were given"));
            return;
        };
        let Some(value) = value else { continue };
        if given[index].is_some() {
            errors.at(
                value.spot,
                format!("argument `{}` is given twice, by position and by name", kind.params[index].name),
            );
            continue;
        }
        given[index] = Some(value);
    }
}

fn unknown_argument(kind: &Kind, key: &str) -> String {
    let names = kind.params.iter().map(|param| param.name);
    match did_you_mean(key, names) {
        Some(close) => format!("`{}` has no argument `{key}`; did you mean `{close}`?", kind.name),
        None if kind.params.is_empty() => format!("`{}` takes no arguments", kind.name),
        None => {
            let all: Vec<_> = kind.params.iter().map(|param| format!("`{}`", param.name)).collect();
            format!("`{}` has no argument `{key}`; it takes {}", kind.name, all.join(", "))
        }
    }
}

fn default(kind: &Kind, param: &Param, call: &Call, bound: &Args, errors: &mut Errors) -> Option<Bound> {
    match param.default {
        Fallback::Required => {
            errors.push(syn::Error::new(
                call.paren.span.join(),
                format!("`{}` is missing its required argument `{}`", kind.name, param.name),
            ));
            None
        }
        Fallback::Int(value) => Some(match param.ty {
            Ty::Sizes | Ty::Paddings | Ty::ConvPadding => Bound::Axes(vec![value as usize; kind.axes]),
            _ => Bound::Int(value),
        }),
        Fallback::Bool(value) => Some(Bound::Bool(value)),
        Fallback::Str(text) => Some(Bound::Text(text.to_owned())),
        Fallback::Number(value) => Some(Bound::Number(value)),
        // An absent optional argument binds nothing, so builders can tell it apart.
        Fallback::None => None,
        Fallback::KernelSize => {
            bound.values.iter().find(|(name, _)| *name == "kernel_size").map(|(_, kernel)| kernel.clone())
        }
    }
}

fn number(value: &Value) -> Option<f64> {
    match *value {
        Value::Int(value) => Some(value as f64),
        Value::Float(value) => Some(value),
        _ => None,
    }
}

/// Checks a value against its parameter's type and spreads ints over the axes.
fn convert(kind: &Kind, param: &Param, valued: &Valued, constants: &Constants, errors: &mut Errors) -> Option<Bound> {
    let name = param.name;
    let spot = valued.spot;
    let fail = |errors: &mut Errors, expected: &str, found: &Value| {
        errors.at(spot, format!("`{name}` expects {expected}, found {}", found.describe()));
        None
    };
    // A tensor argument left as `None`, or an `eps`-like number given as `None`,
    // binds nothing.
    if matches!(valued.value, Value::None) && matches!(param.ty, Ty::Number | Ty::NoTensor) {
        return None;
    }
    let value = &valued.value;
    match param.ty {
        Ty::Layers => match *value {
            Value::Int(int) if (1..=MAX_STEPS as i64).contains(&int) => Some(Bound::Int(int)),
            Value::Int(int) if int < 1 => {
                errors.at(spot, format!("`{name}` must be positive, found {int}"));
                None
            }
            Value::Int(int) => {
                errors.at(spot, format!("`{name}` is {int}; netshape unrolls at most {MAX_STEPS} layers"));
                None
            }
            ref other => fail(errors, "a positive integer", other),
        },
        Ty::Count | Ty::Natural => {
            let least = if matches!(param.ty, Ty::Count) { 1 } else { 0 };
            match *value {
                Value::Int(int) if int >= least => Some(Bound::Int(int)),
                Value::Int(int) => {
                    let rule = if least == 1 { "must be positive" } else { "cannot be negative" };
                    errors.at(spot, format!("`{name}` {rule}, found {int}"));
                    None
                }
                ref other => {
                    fail(errors, if least == 1 { "a positive integer" } else { "a non-negative integer" }, other)
                }
            }
        }
        Ty::Sizes | Ty::Paddings => {
            let least = if matches!(param.ty, Ty::Sizes) { 1 } else { 0 };
            per_axis(kind, param, valued, least, errors)
                .map(|sizes| Bound::Axes(sizes.into_iter().map(|size| size.unwrap_or(0)).collect()))
        }
        Ty::ConvPadding => match value {
            Value::Str(text) if text == "same" || text == "valid" => Some(Bound::Text(text.clone())),
            Value::Str(text) => {
                errors
                    .at(spot, format!("`padding` expects an integer, a tuple, \"same\" or \"valid\", found {text:?}"));
                None
            }
            _ => per_axis(kind, param, valued, 0, errors)
                .map(|sizes| Bound::Axes(sizes.into_iter().map(|size| size.unwrap_or(0)).collect())),
        },
        Ty::OutputSizes => per_axis(kind, param, valued, 1, errors).map(Bound::OptionalAxes),
        Ty::Dims => integers(valued, name, None, "dims (integers, may be negative)", errors).map(Bound::Ints),
        Ty::Shape | Ty::Ints => {
            let least = if matches!(param.ty, Ty::Shape) { Some(1) } else { None };
            let expected = if least.is_some() {
                "a positive integer or a tuple of them"
            } else {
                "an integer or a tuple of integers"
            };
            integers(valued, name, least, expected, errors).map(Bound::Ints)
        }
        Ty::PadTuple => pads(kind, name, valued, errors).map(Bound::Ints),
        Ty::AnySizes => match value {
            Value::Int(size) if *size > 0 => Some(Bound::Sizes(Scale::All(*size as usize))),
            Value::Tuple(_) => integers(valued, name, Some(1), "a positive integer or a tuple of them", errors)
                .map(|sizes| Bound::Sizes(Scale::Each(sizes.into_iter().map(|size| size as usize).collect()))),
            Value::Int(size) => {
                errors.at(spot, format!("`{name}` must be positive, found {size}"));
                None
            }
            other => fail(errors, "a positive integer or a tuple of them", other),
        },
        Ty::Scales => {
            let positive = |errors: &mut Errors, item: &Valued| match number(&item.value) {
                Some(scale) if scale > 0.0 => Some(scale),
                Some(scale) => {
                    errors.at(item.spot, format!("`{name}` must be positive, found {scale}"));
                    None
                }
                None => {
                    errors.at(
                        item.spot,
                        format!(
                            "`{name}` expects a positive number or a tuple of them, found {}",
                            item.value.describe()
                        ),
                    );
                    None
                }
            };
            match value {
                Value::Tuple(items) => {
                    let scales: Option<Vec<f64>> = items.iter().map(|item| positive(errors, item)).collect();
                    scales.map(|scales| Bound::Scales(Scale::Each(scales)))
                }
                _ => positive(errors, valued).map(|scale| Bound::Scales(Scale::All(scale))),
            }
        }
        Ty::Bool => match *value {
            Value::Bool(flag) => Some(Bound::Bool(flag)),
            ref other => fail(errors, "`true` or `false`", other),
        },
        Ty::MustBe(wanted, reason) => match *value {
            Value::Bool(flag) if flag == wanted => Some(Bound::Bool(flag)),
            Value::Bool(_) => {
                errors.at(spot, reason);
                None
            }
            // A module given where only `None` can be followed.
            Value::Call(_) => {
                errors.at(spot, reason);
                None
            }
            ref other => fail(errors, "`true` or `false`", other),
        },
        Ty::Number | Ty::NonNegativeNumber | Ty::NonZeroNumber => {
            let Some(number) = number(value) else { return fail(errors, "a number", value) };
            let rule = match param.ty {
                Ty::NonNegativeNumber if number < 0.0 => Some("cannot be negative"),
                Ty::NonZeroNumber if number == 0.0 => Some("cannot be 0"),
                _ => None,
            };
            match rule {
                Some(rule) => {
                    errors.at(spot, format!("`{name}` {rule}, found {number}"));
                    None
                }
                None => Some(Bound::Number(number)),
            }
        }
        Ty::Probability => match number(value) {
            Some(probability) if (0.0..=1.0).contains(&probability) => Some(Bound::Number(probability)),
            Some(probability) => {
                errors.at(spot, format!("`{name}` is a probability and must be from 0 to 1, found {probability}"));
                None
            }
            None => fail(errors, "a probability from 0 to 1", value),
        },
        Ty::Choice(choices) => match value {
            Value::Str(text) if choices.contains(&text.as_str()) => Some(Bound::Text(text.clone())),
            other => {
                let listed: Vec<_> = choices.iter().map(|choice| format!("{choice:?}")).collect();
                let hint = match other {
                    Value::Str(text) => did_you_mean(text, choices.iter().copied())
                        .map(|close| format!("; did you mean {close:?}?"))
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                let expected = match listed.as_slice() {
                    [only] => only.clone(),
                    _ => format!("one of {}", listed.join(", ")),
                };
                errors.at(spot, format!("`{name}` expects {expected}, found {}{hint}", other.describe()));
                None
            }
        },
        Ty::Dim => match *value {
            Value::Int(dim) => Some(Bound::Int(dim)),
            ref other => fail(errors, "a dimension (an integer, may be negative)", other),
        },
        Ty::ViewSizes => {
            let items = match value {
                Value::Tuple(items) => items.clone(),
                _ => vec![valued.clone()],
            };
            let mut sizes = Vec::new();
            for item in &items {
                match item.value {
                    Value::Int(-1) => sizes.push(ViewSize::Infer),
                    Value::Int(size) => sizes.push(ViewSize::Fixed(size)),
                    Value::Batch => sizes.push(ViewSize::Batch),
                    ref other => {
                        errors.at(
                            item.spot,
                            format!("`{name}` expects integer sizes, `-1` or `x.size(0)`, found {}", other.describe()),
                        );
                    }
                }
            }
            (sizes.len() == items.len()).then_some(Bound::View(sizes))
        }
        Ty::Module(allowed) => match value {
            Value::Call(inner) => {
                let inner_name = inner.kind.to_string();
                let Some(inner_kind) =
                    allowed.iter().find(|name| **name == inner_name).and_then(|name| catalog::find(name))
                else {
                    let listed: Vec<_> = allowed.iter().map(|name| format!("`{name}(…)`")).collect();
                    errors.at(
                        Spot::of(&inner.kind),
                        format!("`{name}` expects {}, found `{inner_name}`", listed.join(" or ")),
                    );
                    return None;
                };
                let bound = bind(inner_kind, inner, constants, errors)?;
                Some(Bound::Module(inner_kind.name, bound.args))
            }
            other => {
                let listed: Vec<_> = allowed.iter().map(|name| format!("`{name}(…)`")).collect();
                fail(errors, &format!("a module, {}", listed.join(" or ")), other)
            }
        },
        Ty::NoTensor => {
            errors.at(spot, format!("`{name}` takes a tensor, which netshape cannot follow; use the module form, which owns its tensors"));
            None
        }
    }
}

/// An integer or a tuple of integers (each at least `least`, if given).
fn integers(valued: &Valued, name: &str, least: Option<i64>, expected: &str, errors: &mut Errors) -> Option<Vec<i64>> {
    let items = match &valued.value {
        Value::Tuple(items) => items.clone(),
        _ => vec![valued.clone()],
    };
    let mut values = Vec::new();
    for item in &items {
        match item.value {
            Value::Int(value) if least.is_none_or(|least| value >= least) => values.push(value),
            Value::Int(value) => errors.at(item.spot, format!("`{name}` must be positive, found {value}")),
            ref other => errors.at(item.spot, format!("`{name}` expects {expected}, found {}", other.describe())),
        }
    }
    (values.len() == items.len()).then_some(values)
}

/// Padding as PyTorch's pad tuple: an int for every side, or two per axis.
fn pads(kind: &Kind, name: &str, valued: &Valued, errors: &mut Errors) -> Option<Vec<i64>> {
    let values = integers(valued, name, None, "an integer or a tuple of integers", errors)?;
    let axes = kind.axes;
    match (&valued.value, values.as_slice()) {
        // `F.pad` takes any even number of values, a module two per axis.
        (Value::Tuple(_), _) if axes == 0 && !values.is_empty() && values.len() % 2 == 0 => Some(values),
        (Value::Tuple(_), _) if axes == 0 => {
            errors.at(valued.spot, format!("`{name}` needs two values per padded dim, found {}", values.len()));
            None
        }
        (Value::Tuple(_), _) if values.len() == 2 * axes => Some(values),
        (Value::Tuple(_), _) => {
            errors.at(
                valued.spot,
                format!(
                    "`{name}` of `{}` needs {} values, two per padded dim (last dim first), found {}",
                    kind.name,
                    2 * axes,
                    values.len()
                ),
            );
            None
        }
        (_, [value]) if axes > 0 => Some(vec![*value; 2 * axes]),
        _ => {
            errors.at(valued.spot, format!("`{name}` needs a tuple of two values per padded dim"));
            None
        }
    }
}

/// An int for every axis, or a tuple of one per axis; each at least `least`.
/// `None` items are allowed only for output sizes.
fn per_axis(
    kind: &Kind,
    param: &Param,
    valued: &Valued,
    least: i64,
    errors: &mut Errors,
) -> Option<Vec<Option<usize>>> {
    let name = param.name;
    let allows_none = matches!(param.ty, Ty::OutputSizes);
    let sign = if least > 0 { "positive" } else { "non-negative" };
    let expected = format!("a {sign} integer or a tuple of {} {sign} integers", kind.axes);
    let item = |errors: &mut Errors, item: &Valued| -> Option<Option<usize>> {
        match item.value {
            Value::Int(value) if value >= least => Some(Some(value as usize)),
            Value::Int(value) => {
                let rule = if least > 0 { "must be positive" } else { "cannot be negative" };
                errors.at(item.spot, format!("`{name}` {rule}, found {value}"));
                None
            }
            Value::None if allows_none => Some(None),
            ref other => {
                errors.at(item.spot, format!("`{name}` expects {expected}, found {}", other.describe()));
                None
            }
        }
    };
    match &valued.value {
        Value::Tuple(items) if items.len() == kind.axes => {
            let sizes: Vec<_> = items.iter().map(|value| item(errors, value)).collect();
            sizes.into_iter().collect()
        }
        Value::Tuple(items) => {
            errors.at(
                valued.spot,
                format!(
                    "`{name}` of `{}` needs {} values, one per spatial axis, found {}",
                    kind.name,
                    kind.axes,
                    items.len()
                ),
            );
            None
        }
        _ => item(errors, valued).map(|size| vec![size; kind.axes]),
    }
}

/// An argument value as it reads in Python and in the docs.
pub fn render(value: &Value) -> String {
    match value {
        Value::Int(value) => value.to_string(),
        Value::Float(value) => format!("{value:?}"),
        Value::Bool(value) => value.to_string(),
        Value::Str(text) => format!("{text:?}"),
        Value::None => "None".to_owned(),
        Value::Batch => "x.size(0)".to_owned(),
        Value::Tuple(items) if items.len() == 1 => format!("({},)", render(&items[0].value)),
        Value::Tuple(items) => {
            format!("({})", items.iter().map(|item| render(&item.value)).collect::<Vec<_>>().join(", "))
        }
        Value::Call(call) => format!("{}(…)", call.kind),
    }
}
