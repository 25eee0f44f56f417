//! Stage 4: code generation. Per network: the struct with one typed field per
//! layer that stores tensors, inherent consts with every shape and count, the
//! `Network` impl, and docs that show the table. Every path is absolute, so the
//! output works whatever the user has in scope.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::check::{Checked, Network, Step};
use crate::parse::{self, Source};
use crate::shape::{Dims, Op};

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
    quote! {
        #(#constants)*
        #(#networks)*
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
fn tensor_type(dims: &[usize]) -> TokenStream {
    let name = format_ident!("Tensor{}", dims.len());
    let dims = dims.iter().map(|&dim| usize_lit(dim));
    quote!(::netshape::#name<#(#dims),*>)
}

/// The typed marker of a layer that stores tensors: `::netshape::nn::Conv2d<1, 10, 5, 5, 1, true>`.
fn field_type(op: &Op) -> Option<TokenStream> {
    match op {
        Op::Conv(conv) => {
            let name = format_ident!("Conv{}d", conv.kernel.len());
            let sizes = [conv.in_channels, conv.out_channels].into_iter().chain(conv.kernel.iter().copied());
            let sizes = sizes.map(usize_lit);
            let (groups, bias) = (usize_lit(conv.groups), conv.bias);
            Some(quote!(::netshape::nn::#name<#(#sizes,)* #groups, #bias>))
        }
        Op::Linear(linear) => {
            let (inputs, outputs, bias) = (usize_lit(linear.in_features), usize_lit(linear.out_features), linear.bias);
            Some(quote!(::netshape::nn::Linear<#inputs, #outputs, #bias>))
        }
        Op::BatchNorm(norm) => {
            let name = format_ident!("BatchNorm{}d", norm.dims);
            let (features, affine, track) = (usize_lit(norm.num_features), norm.affine, norm.track_running_stats);
            Some(quote!(::netshape::nn::#name<#features, #affine, #track>))
        }
        _ => None,
    }
}

/// The field of a layer: its name, or `_3` for the anonymous module at index 3.
fn field_name(step: &Step) -> Ident {
    match &step.entry.name {
        Some(name) => name.clone(),
        None => format_ident!("_{}", step.path),
    }
}

fn expand_network(network: &Network) -> TokenStream {
    let def = network.def;
    let parse::Network { attrs, vis, name, .. } = def;
    let layers: Vec<_> = network.steps.iter().map(layer_data).collect();
    let summary_text = {
        let layers: Vec<_> = layers.iter().map(LayerData::borrow).collect();
        let inputs: [&[usize]; 1] = [&network.input];
        netshape_core::Summary { inputs: &inputs, layers: &layers }.to_string()
    };
    let total: usize = network.steps.iter().map(Step::params).sum();
    let buffers: usize = network.steps.iter().map(Step::buffers).sum();
    let trainable = total;
    let non_trainable = total - trainable;

    let fields = network.steps.iter().filter_map(|step| {
        let ty = field_type(&step.op)?;
        let field = field_name(step);
        let docs = &step.entry.docs;
        let separator = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
        let about = field_doc(step);
        Some(quote! {
            #(#docs)*
            #separator
            #[doc = #about]
            #vis #field: #ty
        })
    });

    let layer_tokens = layers.iter().map(|layer| {
        let LayerData { name, kind, functional, input, output, params, trainable, buffers } = layer;
        let (input, output) = (dims_tokens(input), dims_tokens(output));
        let (params, trainable, buffers) = (usize_lit(*params), usize_lit(*trainable), usize_lit(*buffers));
        quote! {
            ::netshape::Layer {
                name: #name, kind: #kind, functional: #functional, input: &#input, output: &#output,
                params: #params, trainable: #trainable, buffers: #buffers,
            }
        }
    });
    let state_tokens = network.steps.iter().flat_map(|step| {
        step.stored.iter().map(move |stored| {
            let key = format!("{}.{}", step.path, stored.name);
            let shape = dims_tokens(&stored.dims);
            let buffer = stored.buffer;
            quote!(::netshape::StateEntry { key: #key, shape: &#shape, buffer: #buffer })
        })
    });

    let input_rank = usize_lit(network.input.len());
    let output_rank = usize_lit(network.output.len());
    let input_dims = dims_tokens(&network.input);
    let output_dims = dims_tokens(&network.output);
    let input_type = tensor_type(&network.input);
    let output_type = tensor_type(&network.output);
    let separator = (!attrs.is_empty()).then(|| quote!(#[doc = ""]));
    let table = format!(
        "# Shapes\n\nComputed by `netshape` at compile time; the table is torchsummary's for input `{}`:\n\n```text\n{summary_text}```",
        shape_text(&network.input)
    );
    let doc_input = format!("The input shape, batch left out: `{}`.", shape_text(&network.input));
    let doc_output = format!("The output shape, batch left out: `{}`.", shape_text(&network.output));
    let doc_total = format!("Number of parameters, each counted once: {}.", grouped(total));
    let doc_trainable = format!("Number of trainable parameters: {}.", grouped(trainable));
    let doc_non_trainable = format!("Number of parameters that are not trainable: {}.", grouped(non_trainable));
    let doc_buffers = format!("Number of buffer elements (running statistics): {}.", grouped(buffers));
    let [total, trainable, non_trainable, buffers] = [total, trainable, non_trainable, buffers].map(usize_lit);

    quote! {
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
                ::netshape::Summary { inputs: &[&#name::INPUT_SHAPE], layers: #name::LAYERS };
        }

        impl ::netshape::Network for #name {
            type Input = #input_type;
            type Output = #output_type;
            const INPUT_SHAPE: &'static [::core::primitive::usize] = &#name::INPUT_SHAPE;
            const OUTPUT_SHAPE: &'static [::core::primitive::usize] = &#name::OUTPUT_SHAPE;
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

fn field_doc(step: &Step) -> String {
    let mut doc = format!(
        "`{}`: `{}` → `{}`, {} parameters.",
        step.call,
        shape_text(&step.input),
        shape_text(&step.output),
        grouped(step.params())
    );
    for stored in &step.stored {
        let what = if stored.buffer { " (buffer)" } else { "" };
        doc.push_str(&format!("\n- `{}.{}`: `{}`{what}", step.path, stored.name, shape_text(&stored.dims)));
    }
    doc
}

/// A layer's figures, owned, for both the generated tokens and the docs' table.
struct LayerData {
    name: String,
    kind: &'static str,
    functional: bool,
    input: Dims,
    output: Dims,
    params: usize,
    trainable: usize,
    buffers: usize,
}

impl LayerData {
    fn borrow(&self) -> netshape_core::Layer<'_> {
        netshape_core::Layer {
            name: &self.name,
            kind: self.kind,
            functional: self.functional,
            input: &self.input,
            output: &self.output,
            params: self.params,
            trainable: self.trainable,
            buffers: self.buffers,
        }
    }
}

fn layer_data(step: &Step) -> LayerData {
    LayerData {
        name: if step.kind.functional { String::new() } else { step.path.clone() },
        kind: step.kind.name,
        functional: step.kind.functional,
        input: step.input.clone(),
        output: step.output.clone(),
        params: step.params(),
        trainable: step.params(),
        buffers: step.buffers(),
    }
}

/// What is emitted after an error: the errors, and for each declared network a
/// struct and consts whose values depend on the errors. The compiler reports
/// nothing further about code that uses them, so one mistake gives one message.
pub fn stubs(source: Option<&Source>, fallback: Vec<(TokenStream, Ident)>, error: syn::Error) -> TokenStream {
    let errors = error.to_compile_error();
    let mut structs = Vec::new();
    let mut constants = Vec::new();
    match source {
        Some(source) => {
            for item in &source.items {
                match item {
                    // A name declared twice gets one stub.
                    parse::Item::Network(network) if structs.iter().all(|(_, _, name)| *name != network.name) => {
                        let parse::Network { attrs, vis, name, .. } = network;
                        structs.push((quote!(#(#attrs)*), quote!(#vis), name.clone()));
                    }
                    parse::Item::Network(_) => {}
                    parse::Item::Constant(constant) => constants.push(&**constant),
                }
            }
        }
        None => structs.extend(fallback.into_iter().map(|(vis, name)| (TokenStream::new(), vis, name))),
    }
    // One hidden const per invocation holds the errors; its name comes from the
    // first declared item so that two failing invocations do not collide.
    let first = structs.first().map(|(_, _, name)| name).or(constants.first().map(|constant| &constant.name));
    let taint = format_ident!("__NETSHAPE_INVALID_{}", first.map_or("NETWORK".to_owned(), Ident::to_string));
    let constants = constants.iter().map(|constant| {
        let parse::Constant { attrs, vis, name, .. } = constant;
        quote! {
            #(#attrs)*
            #vis const #name: ::core::primitive::usize = #taint;
        }
    });
    let structs = structs.iter().map(|(attrs, vis, name)| {
        quote! {
            #attrs
            #vis struct #name {}

            impl #name {
                pub const INPUT_SHAPE: [::core::primitive::usize; #taint] = [0; #taint];
                pub const OUTPUT_SHAPE: [::core::primitive::usize; #taint] = [0; #taint];
                pub const TOTAL_PARAMS: ::core::primitive::usize = #taint;
                pub const TRAINABLE_PARAMS: ::core::primitive::usize = #taint;
                pub const NON_TRAINABLE_PARAMS: ::core::primitive::usize = #taint;
                pub const BUFFERS: ::core::primitive::usize = #taint;
                pub const LAYERS: &'static [::netshape::Layer<'static>] = &[[][#taint]];
                pub const STATE_DICT: &'static [::netshape::StateEntry<'static>] = &[[][#taint]];
                pub const SUMMARY: ::netshape::Summary<'static> =
                    ::netshape::Summary { inputs: &[], layers: #name::LAYERS };
            }

            // The associated types cannot depend on the errors; generic code
            // over `Network` still compiles.
            impl ::netshape::Network for #name {
                type Input = ::netshape::Tensor0;
                type Output = ::netshape::Tensor0;
                const INPUT_SHAPE: &'static [::core::primitive::usize] = &#name::INPUT_SHAPE;
                const OUTPUT_SHAPE: &'static [::core::primitive::usize] = &#name::OUTPUT_SHAPE;
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
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        const #taint: ::core::primitive::usize = { #errors 0 };
        #(#constants)*
        #(#structs)*
    }
}
