//! Runs a [`Program`] on a [`Backend`]: one op at a time, each built from
//! the backend's primitives, values dropped as soon as no later step reads
//! them. Every shape was checked at compile time; what is left are the
//! backend's own errors, which are returned, never panicked on.

mod basic;
mod fuse;
mod sequence;
mod window;

pub use fuse::{fold_steps, lay_out_matrices, Fused};

use netshape_core::program::{Op, Program, Step};
use netshape_core::StateEntry;

use super::backend::Backend;
use super::{Error, Result};

/// The parameters and buffers of one step, found by their key relative to
/// its module (`weight`, `self_attn.in_proj_weight`).
pub struct Params<'p, B: Backend> {
    entries: &'p [StateEntry<'static>],
    tensors: &'p [B::Tensor],
    /// The keys' common start (`layer1.0.conv1.`).
    prefix: String,
}

impl<'p, B: Backend> Params<'p, B> {
    /// The tensors of `step`'s module: the entries from its first one (the
    /// program records where it sits in `STATE_DICT`) that share its path.
    pub fn of_step(step: &Step, entries: &'p [StateEntry<'static>], tensors: &'p [B::Tensor]) -> Params<'p, B> {
        if step.path.is_empty() {
            return Params { entries: &[], tensors: &[], prefix: String::new() };
        }
        let prefix = format!("{}.", step.path);
        let start = step.params.min(entries.len()).min(tensors.len());
        let count = entries[start..].iter().take_while(|entry| entry.key.starts_with(prefix.as_str())).count();
        let end = (start + count).min(tensors.len());
        Params { entries: &entries[start..end], tensors: &tensors[start..end], prefix }
    }

    /// The tensor at `name` below the prefix.
    pub fn get(&self, name: &str) -> Result<&'p B::Tensor> {
        self.find(name)
            .ok_or_else(|| Error::Internal(format!("the program needs `{}{name}`, which is not loaded", self.prefix)))
    }

    /// The tensor at `name`, if the module has one.
    pub fn find(&self, name: &str) -> Option<&'p B::Tensor> {
        let prefix = self.prefix.as_str();
        self.entries
            .iter()
            .position(|entry| {
                entry.key.len() == prefix.len() + name.len()
                    && entry.key.starts_with(prefix)
                    && entry.key.ends_with(name)
            })
            .map(|index| &self.tensors[index])
    }

    /// The parameters of a submodule: `layers.0`.
    pub fn sub(&self, name: &str) -> Params<'p, B> {
        Params { entries: self.entries, tensors: self.tensors, prefix: format!("{}{name}.", self.prefix) }
    }
}

/// The runtime's view of a loaded network: its program and tensors.
pub struct Loaded<'p, B: Backend> {
    pub program: &'p Program<'static>,
    pub entries: &'p [StateEntry<'static>],
    pub tensors: &'p [B::Tensor],
    /// Steps replaced by folding, one entry per step.
    pub fused: &'p [Option<Fused<B>>],
    /// The sizes the program's symbols take in this run (empty when no size
    /// varies): each step's shapes are its formulas at these.
    pub sizes: &'p [usize],
}

impl<B: Backend> Loaded<'_, B> {
    /// Runs the program on batched inputs; returns its outputs. With
    /// `times`, each step's wall time is pushed there, in order.
    pub fn run(
        &self,
        inputs: Vec<B::Tensor>,
        mut times: Option<&mut Vec<std::time::Duration>>,
    ) -> Result<Vec<B::Tensor>> {
        let program = self.program;
        let mut values: Vec<Option<B::Tensor>> = Vec::with_capacity(program.value_count());
        values.extend(inputs.into_iter().map(Some));
        let mut varying = program.varying.iter().peekable();
        for (index, step) in program.steps.iter().enumerate() {
            // The shapes at this run's sizes, where they vary.
            let first = values.len();
            let mut sized: Vec<Vec<usize>> = Vec::new();
            while let Some(dim) = varying.next_if(|dim| dim.value < first + step.outputs) {
                if sized.is_empty() {
                    sized = step.shapes.iter().map(|shape| shape.to_vec()).collect();
                }
                if let Some(size) =
                    sized.get_mut(dim.value.wrapping_sub(first)).and_then(|shape| shape.get_mut(dim.dim))
                {
                    *size = dim.formula.at(self.sizes);
                }
            }
            let sized: Vec<&[usize]> = sized.iter().map(Vec::as_slice).collect();
            let shapes = if sized.is_empty() { step.shapes } else { &sized };
            let operands: Vec<&B::Tensor> = step
                .inputs
                .iter()
                .map(|&value| values.get(value).and_then(Option::as_ref).ok_or_else(|| missing(step, value)))
                .collect::<Result<_>>()?;
            let params = Params::<B>::of_step(step, self.entries, self.tensors);
            let fused = self.fused.get(index).and_then(Option::as_ref);
            let started = std::time::Instant::now();
            let outputs = match step.op {
                Op::Stored { shape } => self.stored(step, shape).map(|tensor| vec![tensor]),
                _ => run_step::<B>(step, shapes, &operands, params, fused),
            };
            if let Some(times) = times.as_deref_mut() {
                times.push(started.elapsed());
            }
            let outputs = outputs
                .map_err(|error| error.within(if step.path.is_empty() { op_name(&step.op) } else { step.path }))?;
            if outputs.len() != step.outputs {
                return Err(Error::Internal(format!("a step made {} values, not {}", outputs.len(), step.outputs)));
            }
            values.extend(outputs.into_iter().map(Some));
            for &value in step.free {
                if let Some(slot) = values.get_mut(value) {
                    *slot = None;
                }
            }
        }
        program
            .outputs
            .iter()
            .map(|&value| {
                values
                    .get_mut(value)
                    .and_then(Option::take)
                    .ok_or_else(|| Error::Internal(format!("output value {value} was not made")))
            })
            .collect()
    }
}

impl<B: Backend> Loaded<'_, B> {
    /// A module's raw parameter or buffer, shaped for the join that reads it.
    fn stored(&self, step: &Step, shape: &[usize]) -> Result<B::Tensor> {
        let found = self.entries.get(step.params).filter(|entry| entry.key == step.path);
        let tensor = found
            .and_then(|_| self.tensors.get(step.params))
            .ok_or_else(|| Error::Internal(format!("the program needs `{}`, which is not loaded", step.path)))?;
        B::reshape(tensor, shape)
    }
}

fn missing(step: &Step, value: usize) -> Error {
    Error::Internal(format!("step `{}` reads value {value}, which is not there", step.path))
}

/// The operands of a `cat` or `stack`, a raw parameter's batch of 1
/// expanded to the others' (`torch.cat([class_token.expand(n, -1, -1), x])`).
fn batch_wide<B: Backend>(inputs: &[&B::Tensor]) -> Result<Vec<B::Tensor>> {
    let batch = inputs.iter().map(|&tensor| B::dims(tensor).first().copied().unwrap_or(1)).max().unwrap_or(1);
    inputs
        .iter()
        .map(|&tensor| {
            let mut dims = B::dims(tensor);
            match dims.first_mut() {
                Some(first) if *first == 1 && batch != 1 => {
                    *first = batch;
                    B::broadcast(tensor, &dims)
                }
                _ => Ok(tensor.clone()),
            }
        })
        .collect()
}

/// An op's name, for messages and profiles.
pub fn op_name(op: &Op) -> &'static str {
    match op {
        Op::Identity => "identity",
        Op::Activation(_) => "activation",
        Op::PRelu { .. } => "prelu",
        Op::Softmax { .. } => "softmax",
        Op::Glu { .. } => "glu",
        Op::Linear { .. } => "linear",
        Op::Conv { .. } => "convolution",
        Op::ConvTranspose { .. } => "transposed convolution",
        Op::MaxPool { .. } => "max pool",
        Op::AvgPool { .. } => "average pool",
        Op::AdaptivePool { .. } => "adaptive pool",
        Op::Unfold { .. } => "unfold",
        Op::Fold { .. } => "fold",
        Op::BatchNorm { .. } => "batch norm",
        Op::InstanceNorm { .. } => "instance norm",
        Op::GroupNorm { .. } => "group norm",
        Op::LayerNorm { .. } => "layer norm",
        Op::LocalResponseNorm { .. } => "local response norm",
        Op::Normalize { .. } => "normalize",
        Op::Embedding { .. } => "embedding",
        Op::EmbeddingBag { .. } => "embedding bag",
        Op::Recurrent { .. } => "recurrent",
        Op::Attention { .. } => "attention",
        Op::Transformer { .. } => "transformer",
        Op::Upsample { .. } => "interpolate",
        Op::PixelShuffle { .. } => "pixel shuffle",
        Op::PixelUnshuffle { .. } => "pixel unshuffle",
        Op::ChannelShuffle { .. } => "channel shuffle",
        Op::Pad { .. } => "pad",
        Op::Reshape => "reshape",
        Op::Permute { .. } => "permute",
        Op::Reduce { .. } => "reduction",
        Op::Split { .. } => "split",
        Op::Join(_) | Op::Cat { .. } | Op::Stack { .. } => "join",
        Op::Select { .. } => "select",
        Op::Stored { .. } => "parameter",
    }
}

/// The batched shape of a step's first output: the batch, then the sample.
fn batched(batch: usize, sample: &[usize]) -> Vec<usize> {
    let mut dims = Vec::with_capacity(sample.len() + 1);
    dims.push(batch);
    dims.extend_from_slice(sample);
    dims
}

/// The bounds of an activation folded into a join or a linear layer.
fn clamp_of<B: Backend>(fused: Option<&Fused<B>>) -> Option<[f32; 2]> {
    match fused {
        Some(Fused::Clamped { clamp }) => Some(*clamp),
        _ => None,
    }
}

fn run_step<B: Backend>(
    step: &Step,
    shapes: &[&[usize]],
    inputs: &[&B::Tensor],
    params: Params<'_, B>,
    fused: Option<&Fused<B>>,
) -> Result<Vec<B::Tensor>> {
    let Some(&x) = inputs.first() else {
        return Err(Error::Internal(format!("step `{}` reads no value", step.path)));
    };
    let batch = B::dims(x).first().copied().unwrap_or(1);
    let shape = batched(batch, shapes.first().copied().unwrap_or(&[]));
    let one = |tensor: B::Tensor| Ok(vec![tensor]);
    // An output with no elements (an `area` resize to 0, a pad that crops a
    // dim away) is the empty tensor of its shape, whatever the op.
    if step.outputs == 1 && shape.contains(&0) {
        return one(B::full(x, 0.0, &shape)?);
    }
    match (fused, step.op) {
        (Some(Fused::Skip), _) => return one(x.clone()),
        (
            Some(Fused::Conv { weight, bias, clamp }),
            Op::Conv { stride, padding, dilation, groups, padding_mode, .. },
        ) => {
            let conv = window::Conv { stride, padding, dilation, groups, padding_mode };
            return one(window::conv::<B>(x, weight, bias.as_ref(), &conv, *clamp, &shape)?);
        }
        _ => {}
    }
    match step.op {
        Op::Identity => one(x.clone()),
        Op::Activation(activation) => one(basic::activation::<B>(x, activation)?),
        Op::PRelu { .. } => one(basic::prelu::<B>(x, params.get("weight")?)?),
        Op::Softmax { kind, dim } => one(basic::softmax::<B>(x, kind, dim)?),
        Op::Glu { dim } => one(basic::glu::<B>(x, dim)?),
        Op::Linear { bias } => {
            let bias = if bias { Some(params.get("bias")?) } else { None };
            one(basic::linear_clamped::<B>(x, params.get("weight")?, bias, clamp_of(fused))?)
        }
        Op::BatchNorm { eps, affine, running } => {
            one(basic::channel_norm::<B>(x, &params, eps, affine, running, true)?)
        }
        Op::InstanceNorm { eps, affine, running } => {
            one(basic::channel_norm::<B>(x, &params, eps, affine, running, false)?)
        }
        Op::GroupNorm { groups, eps, affine } => one(basic::group_norm::<B>(x, &params, groups, eps, affine)?),
        Op::LayerNorm { axes, eps, affine, bias, channels_first } => {
            let weight = if affine { Some(params.get("weight")?) } else { None };
            let bias = if bias { Some(params.get("bias")?) } else { None };
            if !channels_first {
                return one(basic::layer_norm::<B>(x, axes, eps, weight, bias)?);
            }
            // Channels last, normalised, back: as `LayerNorm2d` permutes.
            let rank = B::dims(x).len();
            let last: Vec<usize> = [0].into_iter().chain(2..rank).chain([1]).collect();
            let first: Vec<usize> = [0, rank - 1].into_iter().chain(1..rank - 1).collect();
            let y = basic::layer_norm::<B>(&B::permute(x, &last)?, 1, eps, weight, bias)?;
            one(B::permute(&y, &first)?)
        }
        Op::LocalResponseNorm { size, alpha, beta, k } => {
            one(basic::local_response_norm::<B>(x, size, alpha, beta, k)?)
        }
        Op::Normalize { p, dim, eps } => one(basic::normalize::<B>(x, p, dim, eps)?),
        Op::Embedding { max_norm, norm_type } => {
            one(basic::embedding::<B>(x, params.get("weight")?, max_norm, norm_type)?)
        }
        Op::EmbeddingBag { mode, max_norm, norm_type, padding_idx } => {
            one(basic::embedding_bag::<B>(x, params.get("weight")?, mode, max_norm, norm_type, padding_idx)?)
        }
        Op::Reshape => one(B::reshape(x, &shape)?),
        Op::Select { dim, index } => {
            let size = B::dims(x).get(dim).copied().unwrap_or(0) as i64;
            let start = if index < 0 { index + size } else { index };
            let start = usize::try_from(start)
                .map_err(|_| Error::Internal(format!("index {index} is out of range for a dim of {size}")))?;
            one(B::reshape(&B::narrow(x, dim, start, 1)?, &shape)?)
        }
        Op::Permute { dims } => one(B::permute(x, dims)?),
        Op::Reduce { kind, dims, keepdim: _ } => one(basic::reduce::<B>(x, kind, dims, &shape)?),
        Op::Split { dim, sizes, squeeze: _ } => basic::split::<B>(x, dim, sizes, batch, shapes),
        Op::Join(join) => one(basic::join::<B>(inputs, join, clamp_of(fused))?),
        Op::Cat { dim } => {
            let parts: Vec<B::Tensor> = batch_wide::<B>(inputs)?;
            one(B::cat(&parts, dim)?)
        }
        Op::Stored { .. } => Err(Error::Internal("a raw parameter is read by the program, not run".to_owned())),
        Op::Stack { dim } => {
            let parts: Vec<B::Tensor> = batch_wide::<B>(inputs)?
                .iter()
                .map(|tensor| {
                    let mut dims = B::dims(tensor);
                    dims.insert(dim, 1);
                    B::reshape(tensor, &dims)
                })
                .collect::<Result<_>>()?;
            one(B::cat(&parts, dim)?)
        }
        Op::Conv { stride, padding, dilation, groups, bias, padding_mode } => {
            let bias = if bias { Some(params.get("bias")?) } else { None };
            let conv = window::Conv { stride, padding, dilation, groups, padding_mode };
            one(window::conv::<B>(x, params.get("weight")?, bias, &conv, None, &shape)?)
        }
        Op::ConvTranspose { stride, padding, output_padding: _, dilation, groups, bias } => {
            let bias = if bias { Some(params.get("bias")?) } else { None };
            one(window::conv_transpose::<B>(x, params.get("weight")?, bias, stride, padding, dilation, groups, &shape)?)
        }
        Op::MaxPool { kernel, stride, padding, dilation } => {
            one(window::max_pool::<B>(x, kernel, stride, padding, dilation, &shape)?)
        }
        Op::AvgPool { kernel, stride, padding, count_include_pad, divisor } => {
            one(window::avg_pool::<B>(x, kernel, stride, padding, count_include_pad, divisor, &shape)?)
        }
        Op::AdaptivePool { max, axes } => one(window::adaptive_pool::<B>(x, max, axes, &shape)?),
        Op::Unfold { kernel, dilation, padding, stride } => {
            one(window::unfold::<B>(x, kernel, dilation, padding, stride)?)
        }
        Op::Fold { output, kernel, dilation, padding, stride } => {
            one(window::fold::<B>(x, output, kernel, dilation, padding, stride)?)
        }
        Op::Upsample { mode, align_corners, antialias, scales } => {
            one(window::upsample::<B>(x, mode, align_corners, antialias, scales, &shape)?)
        }
        Op::PixelShuffle { factor } => one(window::pixel_shuffle::<B>(x, factor, &shape)?),
        Op::PixelUnshuffle { factor } => one(window::pixel_unshuffle::<B>(x, factor, &shape)?),
        Op::ChannelShuffle { groups } => one(window::channel_shuffle::<B>(x, groups)?),
        Op::Pad { pads, mode, value } => one(window::pad::<B>(x, pads, mode, value)?),
        Op::Recurrent { cell, layers, hidden, proj, bias, bidirectional } => {
            let recurrent = sequence::Recurrent { cell, layers, hidden, proj, bias, bidirectional };
            one(sequence::recurrent::<B>(x, &params, &recurrent)?)
        }
        Op::Attention { heads, bias, bias_kv, zero_attn, separate } => {
            let (key, value) = match inputs {
                [_, key, value] => (*key, *value),
                _ => (x, x),
            };
            let attention = sequence::Attention { heads, bias, bias_kv, zero_attn, separate };
            one(sequence::attention::<B>(x, key, value, &params, &attention)?)
        }
        Op::Transformer { part, heads, layers, decoder_layers, gelu, eps, final_norm, norm_first, bias: _ } => {
            let transformer =
                sequence::Transformer { heads, layers, decoder_layers, gelu, eps, final_norm, norm_first };
            one(sequence::transformer::<B>(part, inputs, &params, &transformer)?)
        }
    }
}
