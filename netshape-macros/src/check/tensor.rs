//! The tensors that flow through a network: each one's shape and element
//! type, and where its dimensions came from, for explaining numbers in errors.

use std::fmt::{self, Display};

use crate::shape::{Dims, Dtype, Field, Op};

use super::Producer;

/// A tensor flowing through the network, with where its shape came from for
/// explaining numbers in errors.
#[derive(Clone)]
pub(super) struct Tensor {
    pub dims: Dims,
    pub dtype: Dtype,
    /// The step that last changed the shape, as it reads in a message.
    pub origin: Origin,
    /// For a dimension a reshape made by merging others, those others.
    pub factors: Vec<Option<Dims>>,
    /// The row (or input) that made it.
    pub producer: Producer,
    /// Its receptive field per spatial axis; empty once they are gone.
    pub field: Vec<Field>,
    /// Whether it is a transposed view, not laid out row by row: a reshape
    /// of it copies.
    pub strided: bool,
    /// Its number in the forward program.
    pub value: usize,
    /// For a raw `Parameter` or `Buffer`: its `state_dict` entry. Its `dims`
    /// are then the whole tensor's, batch dimension included if it has one.
    pub raw: Option<Raw>,
    /// Per dim, how many of its last positions a constant pad just added:
    /// windows that leave only those unread lose nothing.
    pub padded_after: Vec<usize>,
}

/// A tensor a module registers itself (`nn.Parameter`, `register_buffer`).
#[derive(Clone)]
pub(super) struct Raw {
    pub key: String,
}

#[derive(Clone)]
pub(super) enum Origin {
    Input(String),
    Step(String),
}

impl Tensor {
    /// Input number `index`; a shape `[C, *spatial]` has a pixel's receptive
    /// field along each spatial axis.
    pub(super) fn input(name: &str, index: usize, dims: Dims, dtype: Dtype) -> Tensor {
        let field = vec![Field::PIXEL; dims.len().saturating_sub(1)];
        Tensor {
            factors: vec![None; dims.len()],
            dims,
            dtype,
            origin: Origin::Input(name.to_owned()),
            producer: Producer::Input(index),
            field,
            strided: false,
            value: index,
            raw: None,
            padded_after: Vec::new(),
        }
    }

    /// A tensor a step made, with no history but the step.
    pub(super) fn made(
        dims: Dims,
        dtype: Dtype,
        by: String,
        producer: Producer,
        field: Vec<Field>,
        value: usize,
    ) -> Tensor {
        Tensor {
            factors: vec![None; dims.len()],
            dims,
            dtype,
            origin: Origin::Step(by),
            producer,
            field,
            strided: false,
            value,
            raw: None,
            padded_after: Vec::new(),
        }
    }

    /// A dimension's value and its story: "320 (20 × 4 × 4 after `view`)".
    pub fn explain(&self, axis: usize) -> String {
        match &self.factors[axis] {
            Some(factors) => format!("{} ({} after {})", self.dims[axis], join_numbers(factors, " × "), self.origin),
            None => format!("{} ({})", self.dims[axis], self.origin.source()),
        }
    }

    /// A dimension's story alone: "from `conv1`", "= 20 × 4 × 4 after `view`".
    pub fn origin_of(&self, axis: usize) -> String {
        match &self.factors[axis] {
            Some(factors) => format!("= {} after {}", join_numbers(factors, " × "), self.origin),
            None => self.origin.source(),
        }
    }

    /// The whole shape and its story: "[20, 4, 4] (from `conv2`)".
    pub fn describe(&self) -> String {
        format!("{} ({})", shape(&self.dims), self.origin.source())
    }
}

impl Origin {
    pub fn source(&self) -> String {
        format!("from {self}")
    }
}

impl Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Input(name) => write!(f, "`{name}`"),
            Origin::Step(name) => f.write_str(name),
        }
    }
}

pub(super) fn join_numbers(values: &[usize], separator: &str) -> String {
    values.iter().map(usize::to_string).collect::<Vec<_>>().join(separator)
}

pub(super) fn shape(dims: &[usize]) -> String {
    format!("[{}]", join_numbers(dims, ", "))
}

/// A value in a network: a tensor, or `None` when an earlier mistake left its
/// shape unknown (nothing more is reported about it).
pub(super) type Flow = Option<Tensor>;

/// The tensor after a step: its provenance is kept while the shape is.
pub(super) fn follow(
    before: &Tensor,
    output: &[usize],
    op: &Op,
    display: String,
    producer: Producer,
    strided: bool,
    value: usize,
) -> Tensor {
    let dtype = op.output_dtype(before.dtype);
    let field = op.receptive_field(&before.dims, output, &before.field).unwrap_or_default();
    // A layer that passes its input's shape on keeps the story of each size;
    // any other layer made its sizes, even one equal to its input's.
    let passes_on = op.keeps_shape()
        || matches!(
            op,
            Op::BatchNorm(_)
                | Op::InstanceNorm(_)
                | Op::GroupNorm(_)
                | Op::LayerNorm(_)
                | Op::LocalResponseNorm
                | Op::PRelu(_)
                | Op::Softmax2d
                | Op::ChannelShuffle { .. }
        );
    if before.dims == output && passes_on {
        return Tensor { dtype, producer, field, strided, value, ..before.clone() };
    }
    let factors = match op {
        Op::Flatten(_) | Op::View(_) => merged_factors(&before.dims, output),
        _ => vec![None; output.len()],
    };
    Tensor {
        dims: output.to_vec(),
        dtype,
        origin: Origin::Step(display),
        factors,
        producer,
        field,
        strided,
        value,
        raw: None,
        padded_after: constant_padding(op, output),
    }
}

/// Per dim of a constant pad's output, the positions it added at the end.
fn constant_padding(op: &Op, output: &[usize]) -> Vec<usize> {
    let Op::Pad(pad) = op else { return Vec::new() };
    if pad.mode != crate::shape::PadMode::Constant {
        return Vec::new();
    }
    let rank = output.len();
    (0..rank)
        .map(|dim| {
            // The pads count from the last dim: (before, after) pairs.
            let from_last = rank - 1 - dim;
            pad.pads.get(2 * from_last + 1).copied().unwrap_or(0).max(0) as usize
        })
        .collect()
}

/// For each output dimension that is the product of several consecutive input
/// dimensions, those dimensions.
fn merged_factors(input: &[usize], output: &[usize]) -> Vec<Option<Dims>> {
    let mut factors = Vec::with_capacity(output.len());
    let mut next = 0;
    for &size in output {
        let start = next;
        let mut product = 1usize;
        while next < input.len() && (product < size || next == start) {
            product = product.saturating_mul(input[next]);
            next += 1;
        }
        let group = &input[start..next];
        factors.push((product == size && group.len() > 1).then(|| group.to_vec()));
        if product != size {
            factors.resize(output.len(), None);
            break;
        }
    }
    factors
}
