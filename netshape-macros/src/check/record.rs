//! What a walk writes out for the expansion and the runtime: a row per step
//! (as `netshape::Layer` describes it), the `state_dict`, a typed field per
//! module that stores tensors, and the forward program, step by step.

use std::collections::HashMap;

use syn::Attribute;

use crate::catalog::{self, Kind};
use crate::parse::Spot;
use crate::shape::{self, Dims, Extra, Field, Op, Stored};

use super::tensor::Tensor;
use super::Walk;

/// One computation of the forward pass, as the runtime will run it. Values
/// are numbered: the inputs first, then each step's outputs in order.
pub struct ProgramStep {
    pub computation: Computation,
    pub inputs: Vec<usize>,
    pub input_dims: Vec<Dims>,
    /// The per-sample shape of each value it makes.
    pub outputs: Vec<Dims>,
    /// The `state_dict` index of its first tensor.
    pub params: usize,
    /// The module's path, empty for a functional op.
    pub path: String,
    /// Where it is written, for an error if it cannot run.
    pub spot: Spot,
}

/// What a program step computes.
pub enum Computation {
    Leaf {
        kind: &'static Kind,
        op: Op,
        args: catalog::Args,
    },
    /// `add`, `sub`, `mul`, `div`, `cat`, `stack`.
    Join {
        kind: String,
        dim: Option<i64>,
    },
    Split(shape::Split),
    /// A raw parameter or buffer read from the `state_dict`, shaped for a
    /// join: a batch dimension of 1, then `dims`.
    Stored {
        dims: Dims,
    },
}

/// One step of a network, as `netshape::Layer` describes it.
#[derive(Default)]
pub struct Row {
    pub path: String,
    pub kind: String,
    pub functional: bool,
    pub container: bool,
    pub depth: usize,
    pub sources: Vec<Producer>,
    pub input: Dims,
    pub output: Dims,
    pub extra: Vec<Extra>,
    pub params: usize,
    pub trainable: usize,
    pub buffers: usize,
    /// Of `params` and `trainable`, the module's raw parameters.
    pub raw_params: usize,
    pub raw_trainable: usize,
    /// Parameters of child modules never called, which have no row.
    pub uncalled_params: usize,
    pub uncalled_trainable: usize,
    pub kernel: Dims,
    pub groups: usize,
    pub mult_adds: u64,
    pub bias_adds: u64,
    pub inplace: bool,
    pub view: bool,
    pub field: Vec<Field>,
    /// The program value it makes, if it makes one.
    pub value: Option<usize>,
}

/// Where a tensor comes from: a network input or a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Producer {
    Input(usize),
    Row(usize),
}

/// One `state_dict` entry.
pub struct StateKey {
    pub key: String,
    pub dims: Dims,
    pub buffer: bool,
    pub trainable: bool,
}

/// A module that stores tensors, for the struct's typed field.
pub struct TypedField<'a> {
    /// The field's name: the module's path with `.` as `_` (`layer1_0_conv1`),
    /// `_3` for the anonymous module at index 3.
    pub name: String,
    pub docs: Vec<&'a Attribute>,
    pub op: Op,
    pub path: String,
    /// The call as written, constants evaluated.
    pub call: String,
    pub input: Dims,
    pub output: Dims,
    pub stored: Vec<Stored>,
}

impl<'a> Walk<'a, '_> {
    /// Adds a step to the forward program; returns the number of its first
    /// output value (the others follow). Where its tensors sit in the
    /// `state_dict` is found by key once the order is final (`locate_state`).
    pub(super) fn record_step(
        &mut self,
        computation: Computation,
        inputs: &[&Tensor],
        outputs: Vec<Dims>,
        path: &str,
        spot: Spot,
    ) -> usize {
        let first = self.next_value;
        self.next_value += outputs.len();
        self.constants.stamp_reads(self.steps.len());
        self.steps.push(ProgramStep {
            computation,
            inputs: inputs.iter().map(|tensor| tensor.value).collect(),
            input_dims: inputs.iter().map(|tensor| tensor.dims.clone()).collect(),
            outputs,
            params: 0,
            path: path.to_owned(),
            spot,
        });
        first
    }

    /// Adds a row; returns it as a producer of tensors.
    pub(super) fn push_row(&mut self, row: Row) -> Producer {
        self.rows.push(row);
        self.spots.push(None);
        Producer::Row(self.rows.len() - 1)
    }

    /// A row's depth is its path's: `layer1.0.conv1` is two levels below the
    /// network's own steps; a functional op's is its scope's.
    pub(super) fn rows_depth(&self, path: &str) -> usize {
        if path.is_empty() {
            self.scope_depth
        } else {
            path.matches('.').count()
        }
    }

    /// The struct field of a module: its path with `.` as `_`.
    pub(super) fn field_name(&mut self, path: &str) -> String {
        // A field is a Rust identifier: other characters become `_`, and a
        // keyword (`type`) gets one after it.
        let mut name: String = path.chars().map(|c| if c.is_alphanumeric() || c == '_' { c } else { '_' }).collect();
        if name.starts_with(|c: char| c.is_ascii_digit()) {
            name.insert(0, '_');
        }
        if syn::parse_str::<syn::Ident>(&name).is_err() {
            name.push('_');
        }
        let mut unique = name.clone();
        let mut count = 1;
        while !self.field_names.insert(unique.clone()) {
            count += 1;
            unique = format!("{name}_{count}");
        }
        unique
    }
}

/// `#[state_order(conv1, conv2, fc)]` on a network or block: the order its
/// children were registered in `__init__`, which PyTorch's `state_dict`
/// follows, where it differs from the order the forward calls them.
pub(super) fn state_order(attrs: &[syn::Attribute], errors: &mut super::Errors) -> Option<(Spot, Vec<String>)> {
    let attr = attrs.iter().find(|attr| attr.path().is_ident("state_order"))?;
    let names = attr.parse_args_with(syn::punctuated::Punctuated::<syn::Lit, syn::Token![,]>::parse_terminated);
    let idents = attr.parse_args_with(syn::punctuated::Punctuated::<syn::Ident, syn::Token![,]>::parse_terminated);
    let names: Option<Vec<String>> = match (idents, names) {
        (Ok(idents), _) => Some(idents.iter().map(|ident| syn::ext::IdentExt::unraw(ident).to_string()).collect()),
        (_, Ok(lits)) => lits
            .iter()
            .map(|lit| match lit {
                syn::Lit::Int(int) => Some(int.base10_digits().to_owned()),
                syn::Lit::Str(text) => Some(text.value()),
                _ => None,
            })
            .collect(),
        _ => None,
    };
    match names {
        Some(names) => Some((Spot::of(attr), names)),
        None => {
            errors.at(Spot::of(attr), "`#[state_order(…)]` lists the children by name: `#[state_order(conv1, conv2)]`, or by number or string");
            None
        }
    }
}

impl Walk<'_, '_> {
    /// Puts the `state_dict` entries registered from `start` on (a scope's
    /// under `prefix`) in the order its children were registered: its own
    /// tensors, then the listed children, then the others as called.
    pub(super) fn reorder_state(&mut self, start: usize, prefix: &str, order: &(Spot, Vec<String>)) {
        let (spot, names) = order;
        let mut entries = self.state.split_off(start.min(self.state.len()));
        let child = |key: &str| -> Option<String> {
            let rest = key.strip_prefix(prefix)?;
            rest.split_once('.').map(|(child, _)| child.to_owned())
        };
        for name in names {
            if !entries.iter().any(|entry| child(&entry.key).as_deref() == Some(name.as_str())) {
                self.errors.at(*spot, format!("`#[state_order]` names `{name}`, which stores nothing here"));
            }
        }
        let rank = |entry: &StateKey| match child(&entry.key) {
            None => 0,
            Some(child) => 1 + names.iter().position(|name| *name == child).unwrap_or(names.len()),
        };
        entries.sort_by_key(rank);
        self.state.extend(entries);
    }

    /// After any reordering: each step's first `STATE_DICT` entry, by key.
    pub(super) fn locate_state(&mut self) {
        // The first entry of each key, and of each module prefix (`layer1.0.`).
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (index, entry) in self.state.iter().enumerate() {
            first.entry(entry.key.as_str()).or_insert(index);
            for (dot, _) in entry.key.match_indices('.') {
                first.entry(&entry.key[..=dot]).or_insert(index);
            }
        }
        for step in &mut self.steps {
            if step.path.is_empty() {
                continue;
            }
            let found = if matches!(step.computation, Computation::Stored { .. }) {
                first.get(step.path.as_str())
            } else {
                first.get(format!("{}.", step.path).as_str())
            };
            if let Some(&index) = found {
                step.params = index;
            }
        }
    }
}
