//! Sequence layers: RNN, LSTM and GRU, multi-head attention and the
//! Transformer parts, all on `[N, L, E]` (the batch first, whatever
//! `batch_first` says: it only moves PyTorch's batch, never a sample's data).

use netshape_core::program::{Cell, TransformerPart};

use super::super::backend::{Backend, Binary, Unary};
use super::super::{Error, Result};
use super::basic::{activation, layer_norm, linear, linear_clamped, sigmoid, softmax};
use super::Params;

pub struct Recurrent {
    pub cell: Cell,
    pub layers: usize,
    pub hidden: usize,
    pub proj: usize,
    pub bias: bool,
    pub bidirectional: bool,
}

pub fn recurrent<B: Backend>(x: &B::Tensor, params: &Params<'_, B>, config: &Recurrent) -> Result<B::Tensor> {
    let mut input = x.clone();
    let directions: &[&str] = if config.bidirectional { &["", "_reverse"] } else { &[""] };
    for layer in 0..config.layers {
        let mut outputs = Vec::with_capacity(directions.len());
        for (direction, suffix) in directions.iter().enumerate() {
            let name = |what: &str| format!("{what}_l{layer}{suffix}");
            let weights = Weights::<B> {
                input: params.get(&name("weight_ih"))?,
                hidden: params.get(&name("weight_hh"))?,
                input_bias: if config.bias { Some(params.get(&name("bias_ih"))?) } else { None },
                hidden_bias: if config.bias { Some(params.get(&name("bias_hh"))?) } else { None },
                projection: if config.proj > 0 { Some(params.get(&name("weight_hr"))?) } else { None },
            };
            outputs.push(run_direction::<B>(&input, &weights, config, direction == 1)?);
        }
        input = if outputs.len() == 1 { outputs.remove(0) } else { B::cat(&outputs, 2)? };
    }
    Ok(input)
}

struct Weights<'p, B: Backend> {
    input: &'p B::Tensor,
    hidden: &'p B::Tensor,
    input_bias: Option<&'p B::Tensor>,
    hidden_bias: Option<&'p B::Tensor>,
    projection: Option<&'p B::Tensor>,
}

/// One layer in one direction over `[N, L, In]`: `[N, L, H]` (or the projection's size).
fn run_direction<B: Backend>(
    x: &B::Tensor,
    weights: &Weights<'_, B>,
    config: &Recurrent,
    reverse: bool,
) -> Result<B::Tensor> {
    let dims = B::dims(x);
    let (batch, length) = (dims[0], dims[1]);
    let hidden = config.hidden;
    let out_size = if config.proj > 0 { config.proj } else { hidden };
    // The input's part of every gate, for all steps at once.
    let projected = linear::<B>(x, weights.input, weights.input_bias)?; // [N, L, G·H]
    let mut h = B::full(x, 0.0, &[batch, out_size])?;
    let mut c = B::full(x, 0.0, &[batch, hidden])?;
    let mut steps: Vec<Option<B::Tensor>> = vec![None; length];
    for step in 0..length {
        let t = if reverse { length - 1 - step } else { step };
        let gates_x = B::reshape(&B::narrow(&projected, 1, t, 1)?, &[batch, B::dims(&projected)[2]])?;
        let gates_h = linear::<B>(&h, weights.hidden, weights.hidden_bias)?;
        match config.cell {
            Cell::RnnTanh | Cell::RnnRelu => {
                let sum = B::binary(&gates_x, &gates_h, Binary::Add)?;
                h = B::unary(&sum, if config.cell == Cell::RnnTanh { Unary::Tanh } else { Unary::Relu })?;
            }
            Cell::Lstm => {
                let gates = B::binary(&gates_x, &gates_h, Binary::Add)?;
                let gate = |index: usize| B::narrow(&gates, 1, index * hidden, hidden);
                let (i, f, g, o) = (
                    sigmoid::<B>(&gate(0)?)?,
                    sigmoid::<B>(&gate(1)?)?,
                    B::unary(&gate(2)?, Unary::Tanh)?,
                    sigmoid::<B>(&gate(3)?)?,
                );
                c = B::binary(&B::binary(&f, &c, Binary::Mul)?, &B::binary(&i, &g, Binary::Mul)?, Binary::Add)?;
                h = B::binary(&o, &B::unary(&c, Unary::Tanh)?, Binary::Mul)?;
                if let Some(projection) = weights.projection {
                    h = linear::<B>(&h, projection, None)?;
                }
            }
            Cell::Gru => {
                let part = |gates: &B::Tensor, index: usize| B::narrow(gates, 1, index * hidden, hidden);
                let r = sigmoid::<B>(&B::binary(&part(&gates_x, 0)?, &part(&gates_h, 0)?, Binary::Add)?)?;
                let z = sigmoid::<B>(&B::binary(&part(&gates_x, 1)?, &part(&gates_h, 1)?, Binary::Add)?)?;
                let n = B::unary(
                    &B::binary(&part(&gates_x, 2)?, &B::binary(&r, &part(&gates_h, 2)?, Binary::Mul)?, Binary::Add)?,
                    Unary::Tanh,
                )?;
                // h' = (1 − z)·n + z·h = n + z·(h − n)
                h = B::binary(&n, &B::binary(&z, &B::binary(&h, &n, Binary::Sub)?, Binary::Mul)?, Binary::Add)?;
            }
        }
        steps[t] = Some(B::reshape(&h, &[batch, 1, out_size])?);
    }
    let steps: Vec<B::Tensor> = steps.into_iter().flatten().collect();
    if steps.is_empty() {
        return Err(Error::Internal("a recurrent layer over an empty sequence".into()));
    }
    B::cat(&steps, 1)
}

pub struct Attention {
    pub heads: usize,
    pub bias: bool,
    pub bias_kv: bool,
    pub zero_attn: bool,
    pub separate: bool,
}

/// `MultiheadAttention(query, key, value)` on `[N, L, E]`, `[N, S, kdim]`,
/// `[N, S, vdim]`: the attention output `[N, L, E]`.
pub fn attention<B: Backend>(
    query: &B::Tensor,
    key: &B::Tensor,
    value: &B::Tensor,
    params: &Params<'_, B>,
    config: &Attention,
) -> Result<B::Tensor> {
    let q_dims = B::dims(query);
    let (batch, length, embed) = (q_dims[0], q_dims[1], q_dims[2]);
    let biases = if config.bias { Some(params.get("in_proj_bias")?) } else { None };
    let part_bias = |index: usize| -> Result<Option<B::Tensor>> {
        biases.map(|bias| B::narrow(bias, 0, index * embed, embed)).transpose()
    };
    let (wq, wk, wv) = if config.separate {
        (
            params.get("q_proj_weight")?.clone(),
            params.get("k_proj_weight")?.clone(),
            params.get("v_proj_weight")?.clone(),
        )
    } else {
        let packed = params.get("in_proj_weight")?;
        (B::narrow(packed, 0, 0, embed)?, B::narrow(packed, 0, embed, embed)?, B::narrow(packed, 0, 2 * embed, embed)?)
    };
    let q = linear::<B>(query, &wq, part_bias(0)?.as_ref())?;
    let mut k = linear::<B>(key, &wk, part_bias(1)?.as_ref())?;
    let mut v = linear::<B>(value, &wv, part_bias(2)?.as_ref())?;
    if config.bias_kv {
        let extend = |x: &B::Tensor, bias: &B::Tensor| -> Result<B::Tensor> {
            let bias = B::broadcast(&B::reshape(bias, &[1, 1, embed])?, &[batch, 1, embed])?;
            B::cat(&[x.clone(), bias], 1)
        };
        k = extend(&k, params.get("bias_k")?)?;
        v = extend(&v, params.get("bias_v")?)?;
    }
    if config.zero_attn {
        let zeros = B::full(&k, 0.0, &[batch, 1, embed])?;
        k = B::cat(&[k, zeros.clone()], 1)?;
        v = B::cat(&[v, zeros], 1)?;
    }
    let source = B::dims(&k)[1];
    let heads = config.heads;
    let head_dim = embed / heads;
    let split = |x: &B::Tensor, len: usize| -> Result<B::Tensor> {
        let x = B::permute(&B::reshape(x, &[batch, len, heads, head_dim])?, &[0, 2, 1, 3])?;
        B::reshape(&B::contiguous(&x)?, &[batch * heads, len, head_dim])
    };
    let q = B::affine(&split(&q, length)?, 1.0 / (head_dim as f64).sqrt(), 0.0)?;
    let (k, v) = (split(&k, source)?, split(&v, source)?);
    let scores = B::matmul(&q, &B::contiguous(&B::permute(&k, &[0, 2, 1])?)?)?; // [N·H, L, S]
    let weights = softmax::<B>(&scores, netshape_core::program::SoftmaxKind::Softmax, 2)?;
    let mixed = B::matmul(&weights, &v)?; // [N·H, L, d]
    let mixed = B::permute(&B::reshape(&mixed, &[batch, heads, length, head_dim])?, &[0, 2, 1, 3])?;
    let mixed = B::reshape(&B::contiguous(&mixed)?, &[batch, length, embed])?;
    let out_bias = if config.bias { Some(params.get("out_proj.bias")?) } else { None };
    linear::<B>(&mixed, params.get("out_proj.weight")?, out_bias)
}

pub struct Transformer {
    pub heads: usize,
    pub layers: usize,
    pub decoder_layers: usize,
    pub gelu: bool,
    pub eps: f64,
    pub final_norm: Option<f64>,
    pub norm_first: bool,
}

fn norm<B: Backend>(x: &B::Tensor, params: &Params<'_, B>, name: &str, eps: f64) -> Result<B::Tensor> {
    let norm = params.sub(name);
    layer_norm::<B>(x, 1, eps, Some(norm.get("weight")?), norm.find("bias"))
}

fn dense<B: Backend>(x: &B::Tensor, params: &Params<'_, B>, name: &str) -> Result<B::Tensor> {
    let layer = params.sub(name);
    linear::<B>(x, layer.get("weight")?, layer.find("bias"))
}

fn self_attention<B: Backend>(
    query: &B::Tensor,
    memory: &B::Tensor,
    params: &Params<'_, B>,
    name: &str,
    heads: usize,
) -> Result<B::Tensor> {
    let attention_params = params.sub(name);
    let config = Attention {
        heads,
        bias: attention_params.find("in_proj_bias").is_some(),
        bias_kv: false,
        zero_attn: false,
        separate: false,
    };
    attention::<B>(query, memory, memory, &attention_params, &config)
}

fn feed_forward<B: Backend>(x: &B::Tensor, params: &Params<'_, B>, config: &Transformer) -> Result<B::Tensor> {
    let hidden = if config.gelu {
        activation::<B>(&dense::<B>(x, params, "linear1")?, netshape_core::program::Activation::Gelu)?
    } else {
        // The ReLU in the first product's pass.
        let layer = params.sub("linear1");
        linear_clamped::<B>(x, layer.get("weight")?, layer.find("bias"), Some([0.0, f32::INFINITY]))?
    };
    dense::<B>(&hidden, params, "linear2")
}

fn add<B: Backend>(a: &B::Tensor, b: &B::Tensor) -> Result<B::Tensor> {
    B::binary(a, b, Binary::Add)
}

fn encoder_layer<B: Backend>(x: &B::Tensor, params: &Params<'_, B>, config: &Transformer) -> Result<B::Tensor> {
    let eps = config.eps;
    if config.norm_first {
        let normed = norm::<B>(x, params, "norm1", eps)?;
        let x = add::<B>(x, &self_attention::<B>(&normed, &normed, params, "self_attn", config.heads)?)?;
        let normed = norm::<B>(&x, params, "norm2", eps)?;
        add::<B>(&x, &feed_forward::<B>(&normed, params, config)?)
    } else {
        let x = norm::<B>(
            &add::<B>(x, &self_attention::<B>(x, x, params, "self_attn", config.heads)?)?,
            params,
            "norm1",
            eps,
        )?;
        norm::<B>(&add::<B>(&x, &feed_forward::<B>(&x, params, config)?)?, params, "norm2", eps)
    }
}

fn decoder_layer<B: Backend>(
    x: &B::Tensor,
    memory: &B::Tensor,
    params: &Params<'_, B>,
    config: &Transformer,
) -> Result<B::Tensor> {
    let eps = config.eps;
    let heads = config.heads;
    if config.norm_first {
        let normed = norm::<B>(x, params, "norm1", eps)?;
        let x = add::<B>(x, &self_attention::<B>(&normed, &normed, params, "self_attn", heads)?)?;
        let normed = norm::<B>(&x, params, "norm2", eps)?;
        let x = add::<B>(&x, &self_attention::<B>(&normed, memory, params, "multihead_attn", heads)?)?;
        let normed = norm::<B>(&x, params, "norm3", eps)?;
        add::<B>(&x, &feed_forward::<B>(&normed, params, config)?)
    } else {
        let x =
            norm::<B>(&add::<B>(x, &self_attention::<B>(x, x, params, "self_attn", heads)?)?, params, "norm1", eps)?;
        let x = norm::<B>(
            &add::<B>(&x, &self_attention::<B>(&x, memory, params, "multihead_attn", heads)?)?,
            params,
            "norm2",
            eps,
        )?;
        norm::<B>(&add::<B>(&x, &feed_forward::<B>(&x, params, config)?)?, params, "norm3", eps)
    }
}

/// `TransformerEncoder` or `TransformerDecoder`: `layers.0` … in turn, then
/// the final `norm` if there is one.
fn stack<B: Backend>(
    x: &B::Tensor,
    params: &Params<'_, B>,
    layers: usize,
    final_norm: Option<f64>,
    layer: impl Fn(&B::Tensor, &Params<'_, B>) -> Result<B::Tensor>,
) -> Result<B::Tensor> {
    let mut x = x.clone();
    for index in 0..layers {
        x = layer(&x, &params.sub(&format!("layers.{index}")))?;
    }
    match final_norm {
        Some(eps) => norm::<B>(&x, params, "norm", eps),
        None => Ok(x),
    }
}

pub fn transformer<B: Backend>(
    part: TransformerPart,
    inputs: &[&B::Tensor],
    params: &Params<'_, B>,
    config: &Transformer,
) -> Result<B::Tensor> {
    let second = || inputs.get(1).copied().ok_or_else(|| Error::Internal("a decoder needs its memory".into()));
    match part {
        TransformerPart::EncoderLayer => encoder_layer::<B>(inputs[0], params, config),
        TransformerPart::DecoderLayer => decoder_layer::<B>(inputs[0], second()?, params, config),
        TransformerPart::Encoder => stack::<B>(inputs[0], params, config.layers, config.final_norm, |x, layer| {
            encoder_layer::<B>(x, layer, config)
        }),
        TransformerPart::Decoder => {
            let memory = second()?;
            stack::<B>(inputs[0], params, config.layers, config.final_norm, |x, layer| {
                decoder_layer::<B>(x, memory, layer, config)
            })
        }
        TransformerPart::Transformer => {
            let encoder = params.sub("encoder");
            let memory = stack::<B>(inputs[0], &encoder, config.layers, config.final_norm, |x, layer| {
                encoder_layer::<B>(x, layer, config)
            })?;
            stack::<B>(second()?, &params.sub("decoder"), config.decoder_layers, config.final_norm, |x, layer| {
                decoder_layer::<B>(x, &memory, layer, config)
            })
        }
    }
}
