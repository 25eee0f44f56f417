//! Stage 4: code generation. Per network: the struct with one typed field per
//! layer that stores tensors, inherent consts with every shape and count, the
//! `Network` impl, and docs that show the table. Every path is absolute, so the
//! output works whatever the user has in scope.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote, ToTokens};

use crate::check::{Checked, Network, Producer, TypedField, Warning};
use crate::parse::{self, Source};
use crate::shape::symbolic::ShapeText;
use crate::shape::{Cell, Op, Stored, TransformerPart};

/// Calls the carrier of the first block a `use` names, which pastes its
/// definition into the rest of the invocation and calls `network!` again.
pub fn resolve_use(source: &Source, index: usize) -> TokenStream {
    let parse::Item::Use(used) = &source.items[index] else { return TokenStream::new() };
    let mut rest: Vec<TokenStream> = source
        .item_tokens
        .iter()
        .enumerate()
        .filter(|(other, _)| *other != index)
        .map(|(_, tokens)| tokens.clone())
        .collect();
    // The other names of a `use a::{B, C};` stay for the next round.
    let (first, others) = used.names.split_first().map_or((None, &[][..]), |(first, others)| (Some(first), others));
    if !others.is_empty() {
        let prefix = &used.prefix;
        let colon = used.leading_colon.then(|| quote!(::));
        rest.push(quote!(use #colon #(#prefix::)* { #(#others),* };));
    }
    let Some(first) = first else { return quote!(::netshape::network! { #(#rest)* }) };
    let prefix = &used.prefix;
    let colon = used.leading_colon.then(|| quote!(::));
    quote! {
        #colon #(#prefix::)* #first! { ::netshape::network, #(#rest)* }
    }
}

/// For each block defined here, a carrier macro that pastes its definition
/// into another `network!`, reachable as `path::to::Block` in the crate.
fn carriers(blocks: &[&parse::Block], valid: bool) -> TokenStream {
    let carriers = blocks.iter().filter(|block| !block.has_marker(parse::IMPORTED)).map(|block| {
        let name = &block.name;
        let carrier = format_ident!("__netshape_block_{}", name);
        let tokens = &block.tokens;
        let marker = format_ident!("{}", if valid { parse::IMPORTED } else { parse::INVALID });
        // `#[export]`: a macro at the crate's root that other crates reach as
        // `their_dependency::Block` (a macro made by a macro cannot also be
        // reached by path inside its own crate, so no alias then).
        if block.attrs.iter().any(|attr| attr.path().is_ident("export")) {
            return quote! {
                #[doc(hidden)]
                #[macro_export]
                macro_rules! #name {
                    ($callback:path, $($rest:tt)*) => { $callback! { #[#marker] #tokens $($rest)* } };
                }
            };
        }
        let vis = match &block.vis {
            syn::Visibility::Inherited => quote!(),
            syn::Visibility::Public(_) => quote!(pub(crate)),
            restricted => quote!(#restricted),
        };
        quote! {
            #[doc(hidden)]
            #[allow(unused_macros)]
            macro_rules! #carrier {
                ($callback:path, $($rest:tt)*) => { $callback! { #[#marker] #tokens $($rest)* } };
            }
            #[doc(hidden)]
            #[allow(unused_imports)]
            #vis use #carrier as #name;
        }
    });
    quote!(#(#carriers)*)
}

pub fn expand(checked: &Checked) -> TokenStream {
    let constants = checked.constants.iter().map(|(constant, value)| {
        let parse::Constant { attrs, vis, name, .. } = constant;
        let value = Literal::u64_unsuffixed(*value as u64);
        quote! {
            #(#attrs)*
            #vis const #name: ::core::primitive::usize = #value;
        }
    });
    let networks = checked.networks.iter().map(expand_network);
    let carriers = carriers(&checked.blocks, true);
    quote! {
        #(#constants)*
        #(#networks)*
        #carriers
    }
}

fn usize_lit(value: usize) -> Literal {
    Literal::usize_unsuffixed(value)
}

fn dims_tokens(dims: &[usize]) -> TokenStream {
    let dims = dims.iter().map(|&dim| usize_lit(dim));
    quote!([#(#dims),*])
}

fn shape_text(dims: &[usize]) -> String {
    format!("[{}]", dims.iter().map(usize::to_string).collect::<Vec<_>>().join(", "))
}

fn grouped(value: usize) -> String {
    netshape_core::Thousands(value).to_string()
}

/// The typed tensor marker for a shape: `::netshape::Tensor3<1, 28, 28>`.
/// `::netshape::Tensor3<3, 224, 224>`; a dim that varies is `ANY`.
fn tensor_type(dims: &[usize], varies: &[bool]) -> TokenStream {
    let name = format_ident!("Tensor{}", dims.len());
    let dims = dims.iter().enumerate().map(|(axis, &dim)| match varies.get(axis) {
        Some(true) => quote!({ ::netshape::ANY }),
        _ => usize_lit(dim).into_token_stream(),
    });
    quote!(::netshape::#name<#(#dims),*>)
}

/// The docs' section on the sizes that vary: the conditions, and each
/// layer's output as a formula.
fn sizes_doc(network: &Network, formulas: &[String], formula: &dyn Fn(usize) -> Option<String>) -> String {
    let mut text = String::from("\n\n# Sizes that vary\n\nChecked for every size with ");
    let conditions: Vec<String> = network
        .symbols
        .iter()
        .map(|symbol| {
            let mut condition = format!("`{} in {}..={}", symbol.name, symbol.low, symbol.high);
            if symbol.modulus > 1 {
                condition += &format!(", {} % {} == {}", symbol.name, symbol.modulus, symbol.residue);
            }
            condition + &format!("` (default {})", symbol.default)
        })
        .collect();
    text += &conditions.join(" and ");
    text += "; the consts and the table above are at the defaults.\n\n";
    for (index, _) in network.inputs.iter().enumerate() {
        text +=
            &format!("- input {index}: `{}`\n", formula(index).unwrap_or_else(|| shape_text(&network.inputs[index].0)));
    }
    for (index, &value) in network.output_values.iter().enumerate() {
        text +=
            &format!("- output {index}: `{}`\n", formula(value).unwrap_or_else(|| shape_text(&network.outputs[index])));
    }
    text += "\n```text\n";
    let width = network.rows.iter().map(|row| row.path.len() + row.kind.len() + 3).max().unwrap_or(0);
    for (row, shape) in network.rows.iter().zip(formulas) {
        if shape.is_empty() {
            continue;
        }
        let label = if row.path.is_empty() { row.kind.clone() } else { format!("{} ({})", row.path, row.kind) };
        text += &format!("{label:<width$}  {shape}\n");
    }
    text + "```"
}

/// The typed marker of a layer that stores tensors: `::netshape::nn::Conv2d<1, 10, 5, 5, 1, true>`.
fn field_type(op: &Op) -> TokenStream {
    let sizes = |sizes: &[usize]| -> Vec<Literal> { sizes.iter().copied().map(usize_lit).collect() };
    match op {
        Op::Conv(conv) => {
            let name = format_ident!("Conv{}d", conv.kernel.len());
            let dims = sizes(&[&[conv.in_channels, conv.out_channels][..], &conv.kernel].concat());
            let (groups, bias) = (usize_lit(conv.groups), conv.bias);
            quote!(::netshape::nn::#name<#(#dims,)* #groups, #bias>)
        }
        Op::ConvTranspose(conv) => {
            let name = format_ident!("ConvTranspose{}d", conv.kernel.len());
            let dims = sizes(&[&[conv.in_channels, conv.out_channels][..], &conv.kernel].concat());
            let (groups, bias) = (usize_lit(conv.groups), conv.bias);
            quote!(::netshape::nn::#name<#(#dims,)* #groups, #bias>)
        }
        Op::Linear(linear) => {
            let (inputs, outputs, bias) = (usize_lit(linear.in_features), usize_lit(linear.out_features), linear.bias);
            quote!(::netshape::nn::Linear<#inputs, #outputs, #bias>)
        }
        Op::BatchNorm(norm) => {
            let name = format_ident!("BatchNorm{}d", norm.dims);
            let (features, affine, track) = (usize_lit(norm.num_features), norm.affine, norm.track_running_stats);
            quote!(::netshape::nn::#name<#features, #affine, #track>)
        }
        Op::InstanceNorm(norm) => {
            let name = format_ident!("InstanceNorm{}d", norm.dims);
            let (features, affine, track) = (usize_lit(norm.num_features), norm.affine, norm.track_running_stats);
            quote!(::netshape::nn::#name<#features, #affine, #track>)
        }
        Op::GroupNorm(norm) => {
            let (groups, channels, affine) =
                (usize_lit(norm.num_groups), usize_lit(norm.num_channels.unwrap_or(0)), norm.affine);
            quote!(::netshape::nn::GroupNorm<#groups, #channels, #affine>)
        }
        Op::LayerNorm(norm) => {
            let shape = tensor_type(&norm.normalized_shape, &[]);
            let (affine, bias) = (norm.elementwise_affine, norm.bias);
            quote!(::netshape::nn::LayerNorm<#shape, #affine, #bias>)
        }
        Op::Embedding(table) | Op::EmbeddingBag(crate::shape::EmbeddingBag { embedding: table, .. }) => {
            let name = format_ident!("{}", if matches!(op, Op::Embedding(_)) { "Embedding" } else { "EmbeddingBag" });
            let (rows, dim) = (usize_lit(table.num_embeddings), usize_lit(table.embedding_dim));
            quote!(::netshape::nn::#name<#rows, #dim>)
        }
        Op::Recurrent(recurrent) => {
            let [inputs, hidden, layers] =
                [recurrent.input_size, recurrent.hidden_size, recurrent.num_layers].map(usize_lit);
            let (bias, bidirectional) = (recurrent.bias, recurrent.bidirectional);
            match recurrent.cell {
                Cell::Rnn => quote!(::netshape::nn::RNN<#inputs, #hidden, #layers, #bias, #bidirectional>),
                Cell::Gru => quote!(::netshape::nn::GRU<#inputs, #hidden, #layers, #bias, #bidirectional>),
                Cell::Lstm => {
                    let proj = usize_lit(recurrent.proj_size);
                    quote!(::netshape::nn::LSTM<#inputs, #hidden, #layers, #bias, #bidirectional, #proj>)
                }
            }
        }
        Op::Attention(attention) => {
            let [embed, heads, kdim, vdim] =
                [attention.embed_dim, attention.num_heads, attention.kdim, attention.vdim].map(usize_lit);
            let (bias, bias_kv) = (attention.bias, attention.add_bias_kv);
            quote!(::netshape::nn::MultiheadAttention<#embed, #heads, #kdim, #vdim, #bias, #bias_kv>)
        }
        Op::Transformer(transformer) => {
            let [model, heads, feedforward, layers, decoder_layers] = [
                transformer.d_model,
                transformer.nhead,
                transformer.dim_feedforward,
                transformer.num_layers,
                transformer.num_decoder_layers,
            ]
            .map(usize_lit);
            let (norm_first, bias, norm) = (transformer.norm_first, transformer.bias, transformer.final_norm.is_some());
            match transformer.part {
                TransformerPart::EncoderLayer => {
                    quote!(::netshape::nn::TransformerEncoderLayer<#model, #heads, #feedforward, #norm_first, #bias>)
                }
                TransformerPart::DecoderLayer => {
                    quote!(::netshape::nn::TransformerDecoderLayer<#model, #heads, #feedforward, #norm_first, #bias>)
                }
                TransformerPart::Encoder => quote!(
                    ::netshape::nn::TransformerEncoder<#model, #heads, #feedforward, #layers, #norm, #norm_first, #bias>
                ),
                TransformerPart::Decoder => quote!(
                    ::netshape::nn::TransformerDecoder<#model, #heads, #feedforward, #layers, #norm, #norm_first, #bias>
                ),
                TransformerPart::Transformer => quote!(
                    ::netshape::nn::Transformer<#model, #heads, #layers, #decoder_layers, #feedforward, #norm_first, #bias>
                ),
            }
        }
        Op::PRelu(prelu) => {
            let count = usize_lit(prelu.num_parameters);
            quote!(::netshape::nn::PReLU<#count>)
        }
        // Every op that stores tensors has a marker above.
        _ => quote!(()),
    }
}

fn expand_network(network: &Network) -> TokenStream {
    let def = network.def;
    let parse::Network { attrs, vis, name, .. } = def;
    let attrs = rust_attrs(attrs);
    let name_text = name.to_string();
    let warnings = network.warnings.iter().map(warning_tokens);
    let extras: Vec<Vec<netshape_core::ExtraOutput>> = network
        .rows
        .iter()
        .map(|row| {
            row.extra
                .iter()
                .map(|extra| netshape_core::ExtraOutput { shape: &extra.dims, batch_dim: extra.batch_dim })
                .collect()
        })
        .collect();
    let sources: Vec<Vec<netshape_core::Source>> =
        network.rows.iter().map(|row| row.sources.iter().map(|source| core_source(*source)).collect()).collect();
    let fields: Vec<Vec<netshape_core::ReceptiveField>> = network
        .rows
        .iter()
        .map(|row| {
            row.field
                .iter()
                .map(|field| netshape_core::ReceptiveField { size: field.size, jump: field.jump, start: field.start })
                .collect()
        })
        .collect();
    let names: Vec<&str> = network.symbols.iter().map(|symbol| symbol.name.as_str()).collect();
    // Each value's shape as a formula, where a dim of it varies.
    let formula = |value: usize| -> Option<String> {
        let forms = network.forms.get(value)?;
        forms.iter().any(|form| form.symbol().is_some()).then(|| ShapeText { forms, names: &names }.to_string())
    };
    let formulas: Vec<String> =
        network.rows.iter().map(|row| row.value.and_then(formula).unwrap_or_default()).collect();
    let layers: Vec<netshape_core::Layer> = network
        .rows
        .iter()
        .enumerate()
        .map(|(index, row)| netshape_core::Layer {
            name: &row.path,
            kind: &row.kind,
            functional: row.functional,
            container: row.container,
            depth: row.depth,
            sources: &sources[index],
            input: &row.input,
            output: &row.output,
            output_formula: &formulas[index],
            extra_outputs: &extras[index],
            params: row.params,
            trainable: row.trainable,
            buffers: row.buffers,
            raw_params: row.raw_params,
            raw_trainable: row.raw_trainable,
            uncalled_params: row.uncalled_params,
            uncalled_trainable: row.uncalled_trainable,
            kernel: &row.kernel,
            groups: row.groups,
            mult_adds: row.mult_adds,
            bias_adds: row.bias_adds,
            inplace: row.inplace,
            view: row.view,
            receptive_field: &fields[index],
        })
        .collect();
    let input_shapes: Vec<&[usize]> = network.inputs.iter().map(|(dims, _)| dims.as_slice()).collect();
    let summary_text = netshape_core::Summary { name: &name_text, inputs: &input_shapes, layers: &layers }.to_string();
    let numel = |dims: &[usize]| dims.iter().product::<usize>();
    let parameters = network.state.iter().filter(|key| !key.buffer);
    let total: usize = parameters.clone().map(|key| numel(&key.dims)).sum();
    let trainable: usize = parameters.filter(|key| key.trainable).map(|key| numel(&key.dims)).sum();
    let buffers: usize = network.state.iter().filter(|key| key.buffer).map(|key| numel(&key.dims)).sum();
    let non_trainable = total - trainable;

    let fields = network.fields.iter().map(|field| {
        let ty = field_type(&field.op);
        let ident = format_ident!("{}", field.name);
        let docs = &field.docs;
        let separator = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
        let about = field_doc(field);
        quote! {
            #(#docs)*
            #separator
            #[doc = #about]
            #vis #ident: #ty
        }
    });

    let layer_tokens = layers.iter().map(layer_tokens);
    let state_tokens = network.state.iter().map(|entry| {
        let key = &entry.key;
        let shape = dims_tokens(&entry.dims);
        let buffer = entry.buffer;
        quote!(::netshape::StateEntry { key: #key, shape: &#shape, buffer: #buffer })
    });
    let outputs: Vec<&[usize]> = network.outputs.iter().map(Vec::as_slice).collect();
    let (first_input, first_output) = (input_shapes[0], outputs[0]);
    let input_rank = usize_lit(first_input.len());
    let output_rank = usize_lit(first_output.len());
    let input_dims = dims_tokens(first_input);
    let output_dims = dims_tokens(first_output);
    let all_inputs = input_shapes.iter().map(|dims| dims_tokens(dims));
    let all_outputs = outputs.iter().map(|dims| dims_tokens(dims));
    // A dim that varies is `ANY` in the types.
    let varies = |value: usize| -> Vec<bool> {
        network
            .forms
            .get(value)
            .map_or_else(Vec::new, |forms| forms.iter().map(|form| form.symbol().is_some()).collect())
    };
    let input_varies: Vec<Vec<bool>> = (0..input_shapes.len()).map(varies).collect();
    let output_varies: Vec<Vec<bool>> = network.output_values.iter().map(|&value| varies(value)).collect();
    let input_type = tensor_types(&input_shapes, &input_varies);
    let output_type = tensor_types(&outputs, &output_varies);
    let separator = (!attrs.is_empty()).then(|| quote!(#[doc = ""]));
    let described = |shapes: &[&[usize]]| {
        shapes.iter().map(|dims| format!("`{}`", shape_text(dims))).collect::<Vec<_>>().join(", ")
    };
    let mut table = format!(
        "# Shapes\n\nComputed by `netshape` at compile time; the table is torchsummary's for input {}:\n\n```text\n{summary_text}```",
        described(&input_shapes)
    );
    if !network.symbols.is_empty() {
        table += &sizes_doc(network, &formulas, &formula);
    }
    let doc_input = format!("The (first) input's shape, batch left out: `{}`.", shape_text(first_input));
    let doc_output = format!("The (first) output's shape, batch left out: `{}`.", shape_text(first_output));
    let doc_inputs = format!("Every input's shape, batch left out: {}.", described(&input_shapes));
    let doc_outputs = format!("Every output's shape, batch left out: {}.", described(&outputs));
    let doc_total = format!("Number of parameters, each counted once: {}.", grouped(total));
    let doc_trainable = format!("Number of trainable parameters: {}.", grouped(trainable));
    let doc_non_trainable = format!("Number of parameters that are not trainable: {}.", grouped(non_trainable));
    let doc_buffers = format!("Number of buffer elements (running statistics): {}.", grouped(buffers));
    let [total, trainable, non_trainable, buffers] = [total, trainable, non_trainable, buffers].map(usize_lit);

    // With the runtime on, the forward program; a step that cannot run is an error there.
    let program = if cfg!(feature = "runtime") {
        match crate::program::program(network) {
            Ok(program) => quote! {
                impl ::netshape::program::Runnable for #name {
                    const PROGRAM: ::netshape::program::Program<'static> = #program;
                }
            },
            // The error, and an empty program so that code using the network
            // reports nothing more.
            Err(error) => {
                let error = error.to_compile_error();
                quote! {
                    #error
                    impl ::netshape::program::Runnable for #name {
                        const PROGRAM: ::netshape::program::Program<'static> = ::netshape::program::Program {
                            inputs: &[], index_inputs: &[], steps: &[], outputs: &[], symbols: &[], varying: &[],
                        };
                    }
                }
            }
        }
    } else {
        TokenStream::new()
    };

    quote! {
        #(#warnings)*
        #program

        #(#attrs)*
        #separator
        #[doc = #table]
        #[derive(
            ::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy, ::core::default::Default,
            ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash,
        )]
        #vis struct #name {
            #(#fields,)*
        }

        impl #name {
            #[doc = #doc_input]
            pub const INPUT_SHAPE: [::core::primitive::usize; #input_rank] = #input_dims;
            #[doc = #doc_output]
            pub const OUTPUT_SHAPE: [::core::primitive::usize; #output_rank] = #output_dims;
            #[doc = #doc_inputs]
            pub const INPUT_SHAPES: &'static [&'static [::core::primitive::usize]] = &[#(&#all_inputs),*];
            #[doc = #doc_outputs]
            pub const OUTPUT_SHAPES: &'static [&'static [::core::primitive::usize]] = &[#(&#all_outputs),*];
            #[doc = #doc_total]
            pub const TOTAL_PARAMS: ::core::primitive::usize = #total;
            #[doc = #doc_trainable]
            pub const TRAINABLE_PARAMS: ::core::primitive::usize = #trainable;
            #[doc = #doc_non_trainable]
            pub const NON_TRAINABLE_PARAMS: ::core::primitive::usize = #non_trainable;
            #[doc = #doc_buffers]
            pub const BUFFERS: ::core::primitive::usize = #buffers;
            /// Every step in call order, modules and functional ops, with shapes and counts.
            pub const LAYERS: &'static [::netshape::Layer<'static>] = &[#(#layer_tokens),*];
            /// Every `state_dict` key with its shape, in PyTorch's order.
            pub const STATE_DICT: &'static [::netshape::StateEntry<'static>] = &[#(#state_tokens),*];
            /// torchsummary's table; print it with `{}`.
            pub const SUMMARY: ::netshape::Summary<'static> =
                ::netshape::Summary { name: #name_text, inputs: #name::INPUT_SHAPES, layers: #name::LAYERS };
        }

        impl ::netshape::Network for #name {
            type Input = #input_type;
            type Output = #output_type;
            const INPUT_SHAPE: &'static [::core::primitive::usize] = &#name::INPUT_SHAPE;
            const OUTPUT_SHAPE: &'static [::core::primitive::usize] = &#name::OUTPUT_SHAPE;
            const INPUT_SHAPES: &'static [&'static [::core::primitive::usize]] = #name::INPUT_SHAPES;
            const OUTPUT_SHAPES: &'static [&'static [::core::primitive::usize]] = #name::OUTPUT_SHAPES;
            const TOTAL_PARAMS: ::core::primitive::usize = #name::TOTAL_PARAMS;
            const TRAINABLE_PARAMS: ::core::primitive::usize = #name::TRAINABLE_PARAMS;
            const NON_TRAINABLE_PARAMS: ::core::primitive::usize = #name::NON_TRAINABLE_PARAMS;
            const BUFFERS: ::core::primitive::usize = #name::BUFFERS;
            const LAYERS: &'static [::netshape::Layer<'static>] = #name::LAYERS;
            const STATE_DICT: &'static [::netshape::StateEntry<'static>] = #name::STATE_DICT;
            const SUMMARY: ::netshape::Summary<'static> = #name::SUMMARY;
        }
    }
}

/// The attributes to forward to the struct: all but the `netshape::` lints of
/// `#[allow(…)]`, which rustc does not know.
fn rust_attrs(attrs: &[syn::Attribute]) -> Vec<TokenStream> {
    attrs
        .iter()
        .filter_map(|attr| {
            if attr.path().is_ident("state_order") {
                return None;
            }
            let level = if attr.path().is_ident("allow") {
                quote!(allow)
            } else if attr.path().is_ident("warn") {
                quote!(warn)
            } else {
                return Some(quote!(#attr));
            };
            let Ok(lints) =
                attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            else {
                return Some(quote!(#attr));
            };
            let kept: Vec<_> = lints
                .iter()
                .filter(|lint| lint.segments.first().is_none_or(|first| first.ident != "netshape"))
                .collect();
            (!kept.is_empty()).then(|| quote!(#[#level(#(#kept),*)]))
        })
        .collect()
}

/// A lint as a real rustc warning on stable: the use of a deprecated const
/// whose note is the message, placed at the offending tokens. `allow(deprecated)`
/// silences it and `deny(warnings)` makes it an error, like any warning.
fn warning_tokens(warning: &Warning) -> TokenStream {
    let lint = format_ident!("netshape_{}", warning.lint);
    let used = Ident::new(&lint.to_string(), warning.spot.start);
    let message = &warning.message;
    quote! {
        const _: () = {
            #[deprecated(note = #message)]
            #[allow(non_upper_case_globals)]
            const #lint: () = ();
            #used
        };
    }
}

fn core_source(producer: Producer) -> netshape_core::Source {
    match producer {
        Producer::Input(index) => netshape_core::Source::Input(index),
        Producer::Row(index) => netshape_core::Source::Layer(index),
    }
}

/// A `Layer` literal; fields left at their default are left out
/// (`..Layer::EMPTY`), which keeps the expansion small.
fn layer_tokens(layer: &netshape_core::Layer) -> TokenStream {
    let mut fields = Vec::new();
    let netshape_core::Layer {
        name,
        kind,
        functional,
        container,
        depth,
        sources,
        input,
        output,
        output_formula,
        extra_outputs,
        params,
        trainable,
        buffers,
        raw_params,
        raw_trainable,
        uncalled_params,
        uncalled_trainable,
        kernel,
        groups,
        mult_adds,
        bias_adds,
        inplace,
        view,
        receptive_field,
    } = *layer;
    fields.push(quote!(name: #name, kind: #kind));
    for (flag, set) in [
        (quote!(functional), functional),
        (quote!(container), container),
        (quote!(inplace), inplace),
        (quote!(view), view),
    ] {
        if set {
            fields.push(quote!(#flag: true));
        }
    }
    for (field, value) in [
        (quote!(depth), depth),
        (quote!(params), params),
        (quote!(trainable), trainable),
        (quote!(buffers), buffers),
        (quote!(raw_params), raw_params),
        (quote!(raw_trainable), raw_trainable),
        (quote!(uncalled_params), uncalled_params),
        (quote!(uncalled_trainable), uncalled_trainable),
        (quote!(groups), groups),
    ] {
        if value != 0 {
            let value = usize_lit(value);
            fields.push(quote!(#field: #value));
        }
    }
    for (field, value) in [(quote!(mult_adds), mult_adds), (quote!(bias_adds), bias_adds)] {
        if value != 0 {
            let value = Literal::u64_unsuffixed(value);
            fields.push(quote!(#field: #value));
        }
    }
    if !sources.is_empty() {
        let sources = sources.iter().map(|source| match source {
            netshape_core::Source::Input(index) => {
                let index = usize_lit(*index);
                quote!(::netshape::Source::Input(#index))
            }
            netshape_core::Source::Layer(index) => {
                let index = usize_lit(*index);
                quote!(::netshape::Source::Layer(#index))
            }
        });
        fields.push(quote!(sources: &[#(#sources),*]));
    }
    let (input, output) = (dims_tokens(input), dims_tokens(output));
    fields.push(quote!(input: &#input, output: &#output));
    if !output_formula.is_empty() {
        fields.push(quote!(output_formula: #output_formula));
    }
    if !extra_outputs.is_empty() {
        let extra_outputs = extra_outputs.iter().map(|extra| {
            let (shape, batch_dim) = (dims_tokens(extra.shape), usize_lit(extra.batch_dim));
            quote!(::netshape::ExtraOutput { shape: &#shape, batch_dim: #batch_dim })
        });
        fields.push(quote!(extra_outputs: &[#(#extra_outputs),*]));
    }
    if !kernel.is_empty() {
        let kernel = dims_tokens(kernel);
        fields.push(quote!(kernel: &#kernel));
    }
    if !receptive_field.is_empty() {
        let axes = receptive_field.iter().map(|field| {
            let [size, jump, start] = [field.size, field.jump, field.start].map(Literal::f64_unsuffixed);
            quote!(::netshape::ReceptiveField { size: #size, jump: #jump, start: #start })
        });
        fields.push(quote!(receptive_field: &[#(#axes),*]));
    }
    quote!(::netshape::Layer { #(#fields,)* ..::netshape::Layer::EMPTY })
}

/// One tensor marker, or a tuple of them for several tensors.
fn tensor_types(shapes: &[&[usize]], varies: &[Vec<bool>]) -> TokenStream {
    match shapes {
        [single] => tensor_type(single, varies.first().map_or(&[], Vec::as_slice)),
        many => {
            let types = many
                .iter()
                .enumerate()
                .map(|(index, dims)| tensor_type(dims, varies.get(index).map_or(&[], Vec::as_slice)));
            quote!((#(#types,)*))
        }
    }
}

fn field_doc(field: &TypedField) -> String {
    let params: usize = field.stored.iter().filter(|stored| !stored.buffer).map(Stored::numel).sum();
    let mut doc = format!(
        "`{}`: `{}` → `{}`, {} parameters.",
        field.call,
        shape_text(&field.input),
        shape_text(&field.output),
        grouped(params)
    );
    for stored in &field.stored {
        let what = if stored.buffer { " (buffer)" } else { "" };
        doc.push_str(&format!("\n- `{}.{}`: `{}`{what}", field.path, stored.name, shape_text(&stored.dims)));
    }
    doc
}

/// What is emitted after an error: the errors, and for each declared network a
/// struct and consts whose values depend on the errors. The compiler reports
/// nothing further about code that uses them, so one mistake gives one message.
pub fn stubs(source: Option<&Source>, fallback: Vec<(TokenStream, Ident)>, error: syn::Error) -> TokenStream {
    let errors = error.to_compile_error();
    let mut structs = Vec::new();
    let mut constants = Vec::new();
    let mut blocks = Vec::new();
    match source {
        Some(source) => {
            for item in &source.items {
                match item {
                    // A name declared twice gets one stub.
                    parse::Item::Network(network) if structs.iter().all(|(_, _, name)| *name != network.name) => {
                        let parse::Network { attrs, vis, name, .. } = network;
                        let attrs = rust_attrs(attrs);
                        structs.push((quote!(#(#attrs)*), quote!(#vis), name.clone()));
                    }
                    parse::Item::Network(_) => {}
                    parse::Item::Constant(constant) => constants.push(&**constant),
                    parse::Item::Block(block) => blocks.push(block),
                    parse::Item::Use(_) => {}
                }
            }
        }
        None => structs.extend(fallback.into_iter().map(|(vis, name)| (TokenStream::new(), vis, name))),
    }
    // One hidden const per invocation holds the errors; its name comes from the
    // first declared item so that two failing invocations do not collide.
    let first = structs
        .first()
        .map(|(_, _, name)| name)
        .or(constants.first().map(|constant| &constant.name))
        .or(blocks.first().map(|block| &block.name));
    let first = first.map_or("NETWORK".to_owned(), |name| syn::ext::IdentExt::unraw(name).to_string());
    let taint = format_ident!("__NETSHAPE_INVALID_{first}");
    let constants = constants.iter().map(|constant| {
        let parse::Constant { attrs, vis, name, .. } = constant;
        quote! {
            #(#attrs)*
            #vis const #name: ::core::primitive::usize = #taint;
        }
    });
    let structs = structs.iter().map(|(attrs, vis, name)| {
        let name_text = name.to_string();
        // With the runtime on, code that runs the network reports nothing more.
        let runnable = cfg!(feature = "runtime").then(|| {
            quote! {
                impl ::netshape::program::Runnable for #name {
                    const PROGRAM: ::netshape::program::Program<'static> = ::netshape::program::Program {
                        inputs: &[], index_inputs: &[], steps: &[], outputs: &[], symbols: &[], varying: &[],
                    };
                }
            }
        });
        quote! {
            #runnable

            #attrs
            #vis struct #name {}

            impl #name {
                pub const INPUT_SHAPE: [::core::primitive::usize; #taint] = [0; #taint];
                pub const OUTPUT_SHAPE: [::core::primitive::usize; #taint] = [0; #taint];
                pub const INPUT_SHAPES: &'static [&'static [::core::primitive::usize]] = &[[][#taint]];
                pub const OUTPUT_SHAPES: &'static [&'static [::core::primitive::usize]] = &[[][#taint]];
                pub const TOTAL_PARAMS: ::core::primitive::usize = #taint;
                pub const TRAINABLE_PARAMS: ::core::primitive::usize = #taint;
                pub const NON_TRAINABLE_PARAMS: ::core::primitive::usize = #taint;
                pub const BUFFERS: ::core::primitive::usize = #taint;
                pub const LAYERS: &'static [::netshape::Layer<'static>] = &[[][#taint]];
                pub const STATE_DICT: &'static [::netshape::StateEntry<'static>] = &[[][#taint]];
                pub const SUMMARY: ::netshape::Summary<'static> =
                    ::netshape::Summary { name: #name_text, inputs: &[], layers: #name::LAYERS };
            }

            // The associated types cannot depend on the errors; generic code
            // over `Network` still compiles.
            impl ::netshape::Network for #name {
                type Input = ::netshape::Tensor0;
                type Output = ::netshape::Tensor0;
                const INPUT_SHAPE: &'static [::core::primitive::usize] = &#name::INPUT_SHAPE;
                const OUTPUT_SHAPE: &'static [::core::primitive::usize] = &#name::OUTPUT_SHAPE;
                const INPUT_SHAPES: &'static [&'static [::core::primitive::usize]] = #name::INPUT_SHAPES;
                const OUTPUT_SHAPES: &'static [&'static [::core::primitive::usize]] = #name::OUTPUT_SHAPES;
                const TOTAL_PARAMS: ::core::primitive::usize = #taint;
                const TRAINABLE_PARAMS: ::core::primitive::usize = #taint;
                const NON_TRAINABLE_PARAMS: ::core::primitive::usize = #taint;
                const BUFFERS: ::core::primitive::usize = #taint;
                const LAYERS: &'static [::netshape::Layer<'static>] = #name::LAYERS;
                const STATE_DICT: &'static [::netshape::StateEntry<'static>] = #name::STATE_DICT;
                const SUMMARY: ::netshape::Summary<'static> = #name::SUMMARY;
            }
        }
    });
    let carriers = carriers(&blocks, false);
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        const #taint: ::core::primitive::usize = { #errors 0 };
        #(#constants)*
        #(#structs)*
        #carriers
    }
}
