//! Stage 4b, with the `runtime` feature: the forward program. Turns the steps
//! the check stage recorded into `::netshape::program` data: each op with its
//! configuration resolved (dims counted from the batch and non-negative,
//! `padding = "same"` as pads, defaults filled in), where its parameters sit
//! in `STATE_DICT`, and which values die after it. A step the runtime cannot
//! run is a compile error at the step.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::catalog::{Args, Bound};
use crate::check::{Computation, Network, ProgramStep};
use crate::shape::symbolic::Form;
use crate::shape::{Cell, Op, PadMode, Padding, PaddingMode, PoolKind, Scale, Split, TransformerPart, UpsampleMode};

/// The `::netshape::program::Program` literal of a network, or the errors of
/// the steps that cannot run.
pub fn program(network: &Network) -> Result<TokenStream, syn::Error> {
    let mut errors: Vec<syn::Error> = Vec::new();
    let last_use = last_uses(network);
    // The number of each step's first output: inputs first, then outputs in order.
    let mut next_value = network.inputs.len();
    let steps: Vec<TokenStream> = network
        .steps
        .iter()
        .enumerate()
        .map(|(index, step)| {
            let op = match lower(step) {
                Ok(op) => op,
                Err(reason) => {
                    errors.push(step.spot.error(format!("the runtime cannot run this step: {reason}")));
                    quote!(::netshape::program::Op::Identity)
                }
            };
            let inputs = usizes(&step.inputs);
            let outputs = usize_lit(step.outputs.len());
            let params = usize_lit(step.params);
            let shapes = step.outputs.iter().map(|dims| usizes(dims));
            let made = next_value..next_value + step.outputs.len();
            next_value = made.end;
            let free: Vec<usize> = step
                .inputs
                .iter()
                .copied()
                .chain(made)
                .filter(|value| last_use.get(*value).copied().flatten() == Some(index))
                .fold(Vec::new(), |mut unique, value| {
                    if !unique.contains(&value) {
                        unique.push(value);
                    }
                    unique
                });
            let free = usizes(&free);
            let path = &step.path;
            quote! {
                ::netshape::program::Step {
                    op: #op, inputs: &#inputs, outputs: #outputs, params: #params,
                    shapes: &[#(&#shapes),*], free: &#free, path: #path,
                }
            }
        })
        .collect();
    if let Some(error) = errors.into_iter().reduce(|mut all, error| {
        all.combine(error);
        all
    }) {
        return Err(error);
    }

    let inputs = network.inputs.iter().map(|(dims, _)| usizes(dims));
    let index_inputs: Vec<usize> = network
        .inputs
        .iter()
        .enumerate()
        .filter(|(_, (_, dtype))| *dtype == crate::shape::Dtype::Index)
        .map(|(index, _)| index)
        .collect();
    let index_inputs = usizes(&index_inputs);
    let outputs = usizes(&network.output_values);
    let symbols = network.symbols.iter().enumerate().map(|(index, symbol)| {
        let crate::shape::symbolic::Symbol { name, low, high, modulus, residue, default } = symbol;
        let places = network.input_symbols.iter().enumerate().flat_map(|(input, dims)| {
            dims.iter().enumerate().filter(|(_, of)| **of == Some(index)).map(move |(dim, _)| quote!((#input, #dim)))
        });
        quote! {
            ::netshape::program::Symbol {
                name: #name, low: #low, high: #high, modulus: #modulus, residue: #residue, default: #default,
                places: &[#(#places),*],
            }
        }
    });
    let varying = network.forms.iter().enumerate().flat_map(|(value, forms)| {
        forms.iter().enumerate().filter_map(move |(dim, form)| {
            let formula = match form {
                Form::Fixed(_) => return None,
                &Form::Quasi { symbol, scale, num, offset, den, constant } => quote! {
                    ::netshape::program::Formula::Quasi {
                        symbol: #symbol, scale: #scale, num: #num, offset: #offset, den: #den, constant: #constant,
                    }
                },
                Form::Table { symbol, values } => {
                    let (low, modulus) = (network.symbols[*symbol].low, network.symbols[*symbol].modulus);
                    quote! {
                        ::netshape::program::Formula::Table {
                            symbol: #symbol, low: #low, modulus: #modulus, values: &[#(#values),*],
                        }
                    }
                }
            };
            Some(quote!(::netshape::program::Varying { value: #value, dim: #dim, formula: #formula }))
        })
    });
    Ok(quote! {
        ::netshape::program::Program {
            inputs: &[#(&#inputs),*], index_inputs: &#index_inputs, steps: &[#(#steps),*], outputs: &#outputs,
            symbols: &[#(#symbols),*], varying: &[#(#varying),*],
        }
    })
}

/// For each value, the last step that reads it; `None` for the network's
/// outputs (never freed) and for values nothing reads (freed where made).
fn last_uses(network: &Network) -> Vec<Option<usize>> {
    let count = network.inputs.len() + network.steps.iter().map(|step| step.outputs.len()).sum::<usize>();
    let mut last: Vec<Option<usize>> = vec![None; count];
    let mut first = network.inputs.len();
    for (index, step) in network.steps.iter().enumerate() {
        for slot in &mut last[first..first + step.outputs.len()] {
            *slot = Some(index);
        }
        first += step.outputs.len();
        for &value in &step.inputs {
            last[value] = Some(index);
        }
    }
    for &output in &network.output_values {
        last[output] = None;
    }
    // A network input is the caller's: never freed by the program either.
    for value in last.iter_mut().take(network.inputs.len()) {
        *value = None;
    }
    last
}

fn usize_lit(value: usize) -> Literal {
    Literal::usize_unsuffixed(value)
}

fn usizes(values: &[usize]) -> TokenStream {
    let values = values.iter().map(|&value| usize_lit(value));
    quote!([#(#values),*])
}

fn f64_lit(value: f64) -> TokenStream {
    if value.is_finite() {
        let literal = Literal::f64_suffixed(value);
        quote!(#literal)
    } else if value.is_nan() {
        quote!(::core::primitive::f64::NAN)
    } else if value > 0.0 {
        quote!(::core::primitive::f64::INFINITY)
    } else {
        quote!(::core::primitive::f64::NEG_INFINITY)
    }
}

/// A PyTorch dim (counting the batch, maybe negative) of a tensor whose
/// sample has `rank` dims, as an index of the batched tensor.
fn batched_dim(dim: i64, rank: usize) -> usize {
    let batched = rank as i64 + 1;
    (if dim < 0 { dim + batched } else { dim }).clamp(0, batched - 1) as usize
}

fn number_or(args: &Args, name: &str, fallback: f64) -> f64 {
    match args.get(name) {
        Some(Bound::Number(value)) => *value,
        Some(Bound::Int(value)) => *value as f64,
        _ => fallback,
    }
}

fn pad_mode(mode: PadMode) -> TokenStream {
    match mode {
        PadMode::Constant => quote!(::netshape::program::PadMode::Constant),
        PadMode::Reflect => quote!(::netshape::program::PadMode::Reflect),
        PadMode::Replicate => quote!(::netshape::program::PadMode::Replicate),
        PadMode::Circular => quote!(::netshape::program::PadMode::Circular),
    }
}

/// The op of a step, as tokens, or why it cannot run.
fn lower(step: &ProgramStep) -> Result<TokenStream, String> {
    let rank = step.input_dims.first().map_or(0, Vec::len);
    let output = step.outputs.first().cloned().unwrap_or_default();
    match &step.computation {
        Computation::Join { kind, dim } => Ok(match kind.as_str() {
            "add" => quote!(::netshape::program::Op::Join(::netshape::program::Join::Add)),
            "sub" => quote!(::netshape::program::Op::Join(::netshape::program::Join::Sub)),
            "mul" => quote!(::netshape::program::Op::Join(::netshape::program::Join::Mul)),
            "div" => quote!(::netshape::program::Op::Join(::netshape::program::Join::Div)),
            "cat" => {
                let dim = usize_lit(batched_dim(dim.unwrap_or(0), rank));
                quote!(::netshape::program::Op::Cat { dim: #dim })
            }
            "stack" => {
                let dim = usize_lit(batched_dim(dim.unwrap_or(0), output.len()));
                quote!(::netshape::program::Op::Stack { dim: #dim })
            }
            other => return Err(format!("`{other}` is not a join the runtime knows")),
        }),
        Computation::Split(split) => {
            let (dim, squeeze) = match *split {
                Split::Chunk { dim, .. } | Split::Sizes { dim, .. } => (batched_dim(dim, rank), false),
                Split::Unbind { dim } => (batched_dim(dim, rank), true),
            };
            let sizes: Vec<usize> = if squeeze {
                vec![1; step.outputs.len()]
            } else {
                step.outputs.iter().map(|piece| piece[dim - 1]).collect()
            };
            let (dim, sizes) = (usize_lit(dim), usizes(&sizes));
            Ok(quote!(::netshape::program::Op::Split { dim: #dim, sizes: &#sizes, squeeze: #squeeze }))
        }
        Computation::Leaf { kind, op, args } => lower_leaf(kind.name, op, args, rank, &output),
        Computation::Stored { dims } => {
            let shape = usizes(&[&[1], &dims[..]].concat());
            Ok(quote!(::netshape::program::Op::Stored { shape: &#shape }))
        }
    }
}

fn activation(name: &str, args: &Args) -> Option<TokenStream> {
    let number = |key: &str, fallback: f64| f64_lit(number_or(args, key, fallback));
    let act = match name {
        "ReLU" | "relu" => quote!(Relu),
        "ReLU6" | "relu6" => quote!(Relu6),
        "LeakyReLU" | "leaky_relu" => {
            let slope = number("negative_slope", 0.01);
            quote!(LeakyRelu(#slope))
        }
        "RReLU" | "rrelu" => {
            let slope = f64_lit((number_or(args, "lower", 1.0 / 8.0) + number_or(args, "upper", 1.0 / 3.0)) / 2.0);
            quote!(LeakyRelu(#slope))
        }
        "ELU" | "elu" => {
            let alpha = number("alpha", 1.0);
            quote!(Elu(#alpha))
        }
        "CELU" | "celu" => {
            let alpha = number("alpha", 1.0);
            quote!(Celu(#alpha))
        }
        "SELU" | "selu" => quote!(Selu),
        "GELU" | "gelu" => match args.text("approximate") {
            "tanh" => quote!(GeluTanh),
            _ => quote!(Gelu),
        },
        "SiLU" | "silu" => quote!(Silu),
        "Mish" | "mish" => quote!(Mish),
        "Hardswish" | "hardswish" => quote!(Hardswish),
        "Hardsigmoid" | "hardsigmoid" => quote!(Hardsigmoid),
        "Hardtanh" | "hardtanh" => {
            let (low, high) = (number("min_val", -1.0), number("max_val", 1.0));
            quote!(Hardtanh(#low, #high))
        }
        "Sigmoid" | "sigmoid" => quote!(Sigmoid),
        "Tanh" | "tanh" => quote!(Tanh),
        "LogSigmoid" | "logsigmoid" => quote!(LogSigmoid),
        "Softplus" | "softplus" => {
            let (beta, threshold) = (number("beta", 1.0), number("threshold", 20.0));
            quote!(Softplus(#beta, #threshold))
        }
        "Softsign" | "softsign" => quote!(Softsign),
        "Tanhshrink" | "tanhshrink" => quote!(Tanhshrink),
        "Hardshrink" | "hardshrink" => {
            let lambd = number("lambd", 0.5);
            quote!(Hardshrink(#lambd))
        }
        "Softshrink" | "softshrink" => {
            let lambd = number("lambd", 0.5);
            quote!(Softshrink(#lambd))
        }
        "Threshold" | "threshold" => {
            let (threshold, value) = (number("threshold", 0.0), number("value", 0.0));
            quote!(Threshold(#threshold, #value))
        }
        _ => return None,
    };
    Some(quote!(::netshape::program::Op::Activation(::netshape::program::Activation::#act)))
}

fn lower_leaf(name: &str, op: &Op, args: &Args, rank: usize, output: &[usize]) -> Result<TokenStream, String> {
    let eps = |key: &str| f64_lit(number_or(args, key, 1e-5));
    Ok(match op {
        Op::Elementwise | Op::Ranked { .. } | Op::Bounded { .. } => {
            if let Some(tokens) = activation(name, args) {
                return Ok(tokens);
            }
            match name {
                "instance_norm" => {
                    if !args.flag("use_input_stats") {
                        return Err("`use_input_stats = false` normalises with running statistics, which a functional op is not given; use a module such as `InstanceNorm2d(C, track_running_stats = true)`".into());
                    }
                    let eps = eps("eps");
                    quote!(::netshape::program::Op::InstanceNorm { eps: #eps, affine: false, running: false })
                }
                _ => quote!(::netshape::program::Op::Identity),
            }
        }
        Op::PRelu(_) => {
            let init = f64_lit(number_or(args, "init", 0.25));
            quote!(::netshape::program::Op::PRelu { init: #init })
        }
        Op::Glu(glu) => {
            let dim = usize_lit(batched_dim(glu.dim, rank));
            quote!(::netshape::program::Op::Glu { dim: #dim })
        }
        Op::Softmax { dim } => {
            if name == "normalize" {
                let (p, eps) = (f64_lit(number_or(args, "p", 2.0)), f64_lit(number_or(args, "eps", 1e-12)));
                let dim = usize_lit(batched_dim(dim.unwrap_or(1), rank));
                return Ok(quote!(::netshape::program::Op::Normalize { p: #p, dim: #dim, eps: #eps }));
            }
            let kind = match name {
                "LogSoftmax" | "log_softmax" => quote!(LogSoftmax),
                "Softmin" | "softmin" => quote!(Softmin),
                _ => quote!(Softmax),
            };
            // PyTorch's implicit dim (`_get_softmax_dim`): 0 for 0, 1 or 3
            // batched dims, else 1.
            let dim = match dim {
                Some(dim) => batched_dim(*dim, rank),
                None if matches!(rank + 1, 0 | 1 | 3) => 0,
                None => 1,
            };
            let dim = usize_lit(dim);
            quote!(::netshape::program::Op::Softmax { kind: ::netshape::program::SoftmaxKind::#kind, dim: #dim })
        }
        Op::Softmax2d => {
            let dim = usize_lit(rank.saturating_sub(2));
            quote!(::netshape::program::Op::Softmax { kind: ::netshape::program::SoftmaxKind::Softmax, dim: #dim })
        }
        Op::Linear(linear) => {
            let bias = linear.bias;
            quote!(::netshape::program::Op::Linear { bias: #bias })
        }
        Op::Conv(conv) => {
            let padding: Vec<usize> = match &conv.padding {
                Padding::Explicit(pads) => pads.iter().flat_map(|&pad| [pad, pad]).collect(),
                Padding::Valid => vec![0; conv.kernel.len() * 2],
                Padding::Same => conv
                    .kernel
                    .iter()
                    .zip(&conv.dilation)
                    .flat_map(|(&kernel, &dilation)| {
                        let total = dilation * (kernel - 1);
                        [total / 2, total - total / 2]
                    })
                    .collect(),
            };
            let mode = pad_mode(match conv.padding_mode {
                PaddingMode::Zeros => PadMode::Constant,
                PaddingMode::Reflect => PadMode::Reflect,
                PaddingMode::Replicate => PadMode::Replicate,
                PaddingMode::Circular => PadMode::Circular,
            });
            let (stride, padding, dilation) = (usizes(&conv.stride), usizes(&padding), usizes(&conv.dilation));
            let (groups, bias) = (usize_lit(conv.groups), conv.bias);
            quote!(::netshape::program::Op::Conv {
                stride: &#stride, padding: &#padding, dilation: &#dilation, groups: #groups, bias: #bias, padding_mode: #mode,
            })
        }
        Op::ConvTranspose(conv) => {
            let (stride, padding) = (usizes(&conv.stride), usizes(&conv.padding));
            let (output_padding, dilation) = (usizes(&conv.output_padding), usizes(&conv.dilation));
            let (groups, bias) = (usize_lit(conv.groups), conv.bias);
            quote!(::netshape::program::Op::ConvTranspose {
                stride: &#stride, padding: &#padding, output_padding: &#output_padding, dilation: &#dilation,
                groups: #groups, bias: #bias,
            })
        }
        Op::Pool(pool) => {
            let (kernel, stride, padding) = (usizes(&pool.kernel), usizes(&pool.stride), usizes(&pool.padding));
            match pool.kind {
                PoolKind::Max => {
                    let dilation = usizes(&pool.dilation);
                    quote!(::netshape::program::Op::MaxPool { kernel: &#kernel, stride: &#stride, padding: &#padding, dilation: &#dilation })
                }
                PoolKind::Avg => {
                    let count_include_pad = args.flag("count_include_pad");
                    let divisor = usize_lit(match args.get("divisor_override") {
                        Some(Bound::Int(value)) => *value as usize,
                        _ => 0,
                    });
                    quote!(::netshape::program::Op::AvgPool {
                        kernel: &#kernel, stride: &#stride, padding: &#padding,
                        count_include_pad: #count_include_pad, divisor: #divisor,
                    })
                }
            }
        }
        Op::AdaptivePool(pool) => {
            let max = pool.kind == PoolKind::Max;
            let axes = usize_lit(pool.output_size.len());
            quote!(::netshape::program::Op::AdaptivePool { max: #max, axes: #axes })
        }
        Op::Unfold(unfold) => {
            let (kernel, dilation) = (usizes(&unfold.kernel), usizes(&unfold.dilation));
            let (padding, stride) = (usizes(&unfold.padding), usizes(&unfold.stride));
            quote!(::netshape::program::Op::Unfold { kernel: &#kernel, dilation: &#dilation, padding: &#padding, stride: &#stride })
        }
        Op::Fold(fold) => {
            let (size, kernel, dilation) = (usizes(&fold.output_size), usizes(&fold.kernel), usizes(&fold.dilation));
            let (padding, stride) = (usizes(&fold.padding), usizes(&fold.stride));
            quote!(::netshape::program::Op::Fold {
                output: &#size, kernel: &#kernel, dilation: &#dilation, padding: &#padding, stride: &#stride,
            })
        }
        Op::BatchNorm(norm) => {
            let (eps, affine, running) = (eps("eps"), norm.affine, norm.track_running_stats);
            quote!(::netshape::program::Op::BatchNorm { eps: #eps, affine: #affine, running: #running })
        }
        Op::InstanceNorm(norm) => {
            let (eps, affine, running) = (eps("eps"), norm.affine, norm.track_running_stats);
            quote!(::netshape::program::Op::InstanceNorm { eps: #eps, affine: #affine, running: #running })
        }
        Op::GroupNorm(norm) => {
            let (groups, eps, affine) = (usize_lit(norm.num_groups), eps("eps"), norm.affine);
            quote!(::netshape::program::Op::GroupNorm { groups: #groups, eps: #eps, affine: #affine })
        }
        Op::LayerNorm(norm) => {
            let axes = usize_lit(norm.normalized_shape.len());
            let (eps, affine, bias) = (eps("eps"), norm.elementwise_affine, norm.elementwise_affine && norm.bias);
            let channels_first = norm.channels_first;
            quote!(::netshape::program::Op::LayerNorm {
                axes: #axes, eps: #eps, affine: #affine, bias: #bias, channels_first: #channels_first
            })
        }
        Op::LocalResponseNorm => {
            let size = usize_lit(args.count("size"));
            let (alpha, beta, k) = (
                f64_lit(number_or(args, "alpha", 1e-4)),
                f64_lit(number_or(args, "beta", 0.75)),
                f64_lit(number_or(args, "k", 1.0)),
            );
            quote!(::netshape::program::Op::LocalResponseNorm { size: #size, alpha: #alpha, beta: #beta, k: #k })
        }
        Op::Embedding(_) => {
            let (max_norm, norm_type) =
                (f64_lit(number_or(args, "max_norm", 0.0)), f64_lit(number_or(args, "norm_type", 2.0)));
            quote!(::netshape::program::Op::Embedding { max_norm: #max_norm, norm_type: #norm_type })
        }
        Op::EmbeddingBag(bag) => {
            let mode = match args.text("mode") {
                "sum" => quote!(Sum),
                "max" => quote!(Max),
                _ => quote!(Mean),
            };
            let (max_norm, norm_type) =
                (f64_lit(number_or(args, "max_norm", 0.0)), f64_lit(number_or(args, "norm_type", 2.0)));
            let rows = bag.embedding.num_embeddings as i64;
            let padding_idx = match bag.embedding.padding_idx {
                Some(index) => {
                    let index = usize_lit((if index < 0 { index + rows } else { index }) as usize);
                    quote!(::core::option::Option::Some(#index))
                }
                None => quote!(::core::option::Option::None),
            };
            quote!(::netshape::program::Op::EmbeddingBag {
                mode: ::netshape::program::BagMode::#mode, max_norm: #max_norm, norm_type: #norm_type, padding_idx: #padding_idx,
            })
        }
        Op::Recurrent(recurrent) => {
            let cell = match recurrent.cell {
                Cell::Rnn if args.text("nonlinearity") == "relu" => quote!(RnnRelu),
                Cell::Rnn => quote!(RnnTanh),
                Cell::Lstm => quote!(Lstm),
                Cell::Gru => quote!(Gru),
            };
            let [layers, hidden, proj] =
                [recurrent.num_layers, recurrent.hidden_size, recurrent.proj_size].map(usize_lit);
            let (bias, bidirectional) = (recurrent.bias, recurrent.bidirectional);
            quote!(::netshape::program::Op::Recurrent {
                cell: ::netshape::program::Cell::#cell, layers: #layers, hidden: #hidden, proj: #proj,
                bias: #bias, bidirectional: #bidirectional,
            })
        }
        Op::Attention(attention) => {
            let heads = usize_lit(attention.num_heads);
            let (bias, bias_kv, zero_attn) = (attention.bias, attention.add_bias_kv, attention.add_zero_attn);
            let separate = attention.kdim != attention.embed_dim || attention.vdim != attention.embed_dim;
            quote!(::netshape::program::Op::Attention {
                heads: #heads, bias: #bias, bias_kv: #bias_kv, zero_attn: #zero_attn, separate: #separate,
            })
        }
        Op::Transformer(transformer) => {
            // A stack's settings are those of the layer it repeats.
            let layer_args = args.module("encoder_layer").or_else(|| args.module("decoder_layer")).unwrap_or(args);
            let gelu = layer_args.text("activation") == "gelu";
            let eps = f64_lit(number_or(layer_args, "layer_norm_eps", 1e-5));
            let part = match transformer.part {
                TransformerPart::EncoderLayer => quote!(EncoderLayer),
                TransformerPart::DecoderLayer => quote!(DecoderLayer),
                TransformerPart::Encoder => quote!(Encoder),
                TransformerPart::Decoder => quote!(Decoder),
                TransformerPart::Transformer => quote!(Transformer),
            };
            let final_norm = match (&transformer.final_norm, transformer.part) {
                (Some(_), TransformerPart::Transformer) => quote!(::core::option::Option::Some(#eps)),
                (Some(_), _) => {
                    let norm_eps = f64_lit(args.module("norm").map_or(1e-5, |norm| number_or(norm, "eps", 1e-5)));
                    quote!(::core::option::Option::Some(#norm_eps))
                }
                (None, _) => quote!(::core::option::Option::None),
            };
            let [heads, layers, decoder_layers] =
                [transformer.nhead, transformer.num_layers, transformer.num_decoder_layers].map(usize_lit);
            let (norm_first, bias) = (transformer.norm_first, transformer.bias);
            quote!(::netshape::program::Op::Transformer {
                part: ::netshape::program::TransformerPart::#part, heads: #heads, layers: #layers,
                decoder_layers: #decoder_layers, gelu: #gelu, eps: #eps, final_norm: #final_norm,
                norm_first: #norm_first, bias: #bias,
            })
        }
        Op::Upsample(upsample) => {
            let mode = match upsample.mode {
                UpsampleMode::Nearest => quote!(Nearest),
                UpsampleMode::NearestExact => quote!(NearestExact),
                UpsampleMode::Area => quote!(Area),
                UpsampleMode::Linear | UpsampleMode::Bilinear | UpsampleMode::Trilinear => quote!(Linear),
                UpsampleMode::Bicubic => quote!(Cubic),
            };
            let axes = output.len().saturating_sub(1);
            // PyTorch maps coordinates with the given scale unless asked to
            // recompute it from the sizes.
            let scales: Vec<f64> = match (&upsample.scale_factor, args.flag("recompute_scale_factor")) {
                (Some(Scale::All(scale)), false) => vec![*scale; axes],
                (Some(Scale::Each(scales)), false) => scales.clone(),
                _ => Vec::new(),
            };
            let scales = scales.into_iter().map(f64_lit);
            let align_corners = upsample.align_corners.unwrap_or(false);
            let antialias = args.flag("antialias");
            quote!(::netshape::program::Op::Upsample {
                mode: ::netshape::program::Interpolation::#mode, align_corners: #align_corners, antialias: #antialias,
                scales: &[#(#scales),*],
            })
        }
        &Op::PixelShuffle { upscale_factor } => {
            let factor = usize_lit(upscale_factor);
            quote!(::netshape::program::Op::PixelShuffle { factor: #factor })
        }
        &Op::PixelUnshuffle { downscale_factor } => {
            let factor = usize_lit(downscale_factor);
            quote!(::netshape::program::Op::PixelUnshuffle { factor: #factor })
        }
        &Op::ChannelShuffle { groups } => {
            let groups = usize_lit(groups);
            quote!(::netshape::program::Op::ChannelShuffle { groups: #groups })
        }
        Op::Pad(pad) => {
            let pads = pad.pads.iter().map(|&value| Literal::i64_unsuffixed(value));
            let mode = pad_mode(pad.mode);
            let value = f64_lit(number_or(args, "value", 0.0));
            quote!(::netshape::program::Op::Pad { pads: &[#(#pads),*], mode: #mode, value: #value })
        }
        Op::Flatten(_) | Op::Unflatten(_) | Op::View(_) | Op::Squeeze { .. } | Op::Unsqueeze { .. } => {
            quote!(::netshape::program::Op::Reshape)
        }
        &Op::Transpose { dim0, dim1 } => {
            let mut dims: Vec<usize> = (0..=rank).collect();
            dims.swap(batched_dim(dim0, rank), batched_dim(dim1, rank));
            let dims = usizes(&dims);
            quote!(::netshape::program::Op::Permute { dims: &#dims })
        }
        &Op::Select { dim, index } => {
            let (dim, index) = (usize_lit(batched_dim(dim, rank)), Literal::i64_unsuffixed(index));
            quote!(::netshape::program::Op::Select { dim: #dim, index: #index })
        }
        Op::Permute { dims } => {
            let dims: Vec<usize> = dims.iter().map(|&dim| batched_dim(dim, rank)).collect();
            let dims = usizes(&dims);
            quote!(::netshape::program::Op::Permute { dims: &#dims })
        }
        Op::Reduce { dims, keepdim } => {
            let kind = match name {
                "sum" => quote!(Sum),
                "amax" => quote!(Max),
                _ => quote!(Mean),
            };
            let mut dims: Vec<usize> = dims.iter().flatten().map(|&dim| batched_dim(dim, rank)).collect();
            dims.sort_unstable();
            dims.dedup();
            let dims = usizes(&dims);
            quote!(::netshape::program::Op::Reduce { kind: ::netshape::program::Reduction::#kind, dims: &#dims, keepdim: #keepdim })
        }
        Op::Split(_) => return Err("a split gives several tensors; bind them with `let (a, b) = …`".into()),
    })
}
