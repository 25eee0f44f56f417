//! Stage 1: the DSL's syntax tree, with every token's span kept for errors.
//!
//! ```text
//! const HIDDEN: usize = 50;            // a named size, usable in any argument
//! /// docs
//! pub struct Net {
//!     input: [1, 28, 28],              // the input shape, batch left out
//!     conv1: Conv2d(1, 10, kernel_size = 5),   // a named module
//!     ReLU(),                          // an anonymous module, numbered as nn.Sequential does
//!     max_pool2d(2),                   // a functional op: shapes only, no row
//! }
//! ```
//!
//! Nothing is evaluated here: argument values stay `syn::Expr`s until the check
//! stage binds them to a layer's signature.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{braced, bracketed, parenthesized, token, Attribute, Expr, Ident, Token, Type, Visibility};

/// Everything inside one `network! { … }`.
pub struct Source {
    pub items: Vec<Item>,
}

pub enum Item {
    Constant(Box<Constant>),
    Network(Network),
}

/// `const HIDDEN: usize = 128;` (the type may be left out).
pub struct Constant {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub name: Ident,
    pub ty: Option<Type>,
    pub value: Expr,
}

/// `pub struct Net { input: [..], layers… }`
pub struct Network {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub name: Ident,
    pub brace: token::Brace,
    pub input: Option<InputDecl>,
    pub entries: Vec<Entry>,
}

/// `input: [1, 28, 28]`
pub struct InputDecl {
    pub bracket: token::Bracket,
    pub dims: Vec<Expr>,
}

/// One line of a network: `conv1: Conv2d(1, 10, 5)`, `ReLU()`, `relu()`.
pub struct Entry {
    pub docs: Vec<Attribute>,
    pub name: Option<Ident>,
    pub call: Call,
}

/// `Kind(args…)`
pub struct Call {
    pub kind: Ident,
    pub paren: token::Paren,
    pub args: Vec<Arg>,
}

/// A positional (`5`) or keyword (`kernel_size = 5`) argument.
pub struct Arg {
    pub key: Option<Ident>,
    pub value: Expr,
}

impl Parse for Source {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut items = Vec::new();
        while !input.is_empty() {
            items.push(input.parse()?);
        }
        Ok(Source { items })
    }
}

impl Parse for Item {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let lookahead = input.lookahead1();
        if lookahead.peek(Token![const]) {
            input.parse::<Token![const]>()?;
            let name = input.parse()?;
            let ty = if input.peek(Token![:]) {
                input.parse::<Token![:]>()?;
                Some(input.parse()?)
            } else {
                None
            };
            input.parse::<Token![=]>()?;
            let value = input.parse()?;
            input.parse::<Token![;]>()?;
            Ok(Item::Constant(Box::new(Constant { attrs, vis, name, ty, value })))
        } else if lookahead.peek(Token![struct]) {
            input.parse::<Token![struct]>()?;
            let name = input.parse()?;
            if input.peek(Token![<]) {
                return Err(input.error("a network takes no generic parameters; its sizes are written in its layers"));
            }
            let body;
            let brace = braced!(body in input);
            let (input_decl, entries) = parse_body(&body)?;
            Ok(Item::Network(Network { attrs, vis, name, brace, input: input_decl, entries }))
        } else {
            Err(lookahead.error())
        }
    }
}

fn parse_body(body: ParseStream) -> syn::Result<(Option<InputDecl>, Vec<Entry>)> {
    let input_decl = if body.peek(Ident) && body.peek2(Token![:]) && !body.peek2(Token![::]) {
        let fork = body.fork();
        let label: Ident = fork.parse()?;
        if label == "input" {
            Some(body.parse()?)
        } else {
            None
        }
    } else {
        None
    };
    if input_decl.is_some() && !body.is_empty() {
        body.parse::<Token![,]>()?;
    }
    let entries = Punctuated::<Entry, Token![,]>::parse_terminated(body)?;
    Ok((input_decl, entries.into_iter().collect()))
}

impl Parse for InputDecl {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        input.parse::<Ident>()?;
        input.parse::<Token![:]>()?;
        let content;
        let bracket = bracketed!(content in input);
        let dims = Punctuated::<Expr, Token![,]>::parse_terminated(&content)?;
        Ok(InputDecl { bracket, dims: dims.into_iter().collect() })
    }
}

impl Parse for Entry {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let docs = input.call(Attribute::parse_outer)?;
        if let Some(attr) = docs.iter().find(|attr| !attr.path().is_ident("doc")) {
            return Err(syn::Error::new_spanned(attr, "only doc comments can be attached to a layer"));
        }
        let name = if input.peek(Ident) && input.peek2(Token![:]) && !input.peek2(Token![::]) {
            let name = input.parse()?;
            input.parse::<Token![:]>()?;
            Some(name)
        } else {
            None
        };
        let kind: Ident = input.parse()?;
        if !input.peek(token::Paren) {
            return Err(syn::Error::new(
                kind.span(),
                format!("expected `(` after `{kind}`: a layer is called like `{kind}(…)`, even without arguments"),
            ));
        }
        let content;
        let paren = parenthesized!(content in input);
        let args = Punctuated::<Arg, Token![,]>::parse_terminated(&content)?;
        Ok(Entry { docs, name, call: Call { kind, paren, args: args.into_iter().collect() } })
    }
}

impl Parse for Arg {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(Ident) && input.peek2(Token![=]) && !input.peek2(Token![==]) {
            let key = input.parse()?;
            input.parse::<Token![=]>()?;
            Ok(Arg { key: Some(key), value: input.parse()? })
        } else {
            Ok(Arg { key: None, value: input.parse()? })
        }
    }
}

/// The first and last token of a piece of syntax: enough to underline all of it
/// in an error on stable Rust, where spans cannot be joined.
#[derive(Clone, Copy, Debug)]
pub struct Spot {
    pub start: Span,
    pub end: Span,
}

impl Spot {
    pub fn of(tokens: &impl ToTokens) -> Spot {
        let mut tokens = tokens.to_token_stream().into_iter();
        let start = tokens.next().map_or_else(Span::call_site, |token| token.span());
        let end = tokens.last().map_or(start, |token| token.span());
        Spot { start, end }
    }

    pub fn error(self, message: impl std::fmt::Display) -> syn::Error {
        syn::Error::new_spanned(self, message)
    }
}

impl ToTokens for Spot {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let mut start = proc_macro2::Punct::new('.', proc_macro2::Spacing::Alone);
        start.set_span(self.start);
        let mut end = proc_macro2::Punct::new('.', proc_macro2::Spacing::Alone);
        end.set_span(self.end);
        tokens.extend([proc_macro2::TokenTree::Punct(start), proc_macro2::TokenTree::Punct(end)]);
    }
}

/// After a syntax error the tree is lost, but the structs the user declared
/// still get stubs (so code naming them reports nothing further): find each
/// `[pub…] struct Name` at the top level of the input.
pub fn declared_structs(tokens: TokenStream) -> Vec<(TokenStream, Ident)> {
    let tokens: Vec<_> = tokens.into_iter().collect();
    let mut found = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        let proc_macro2::TokenTree::Ident(keyword) = token else { continue };
        let Some(proc_macro2::TokenTree::Ident(name)) = tokens.get(index + 1) else { continue };
        if keyword != "struct" {
            continue;
        }
        let mut vis = TokenStream::new();
        let before = &tokens[..index];
        match before {
            [.., proc_macro2::TokenTree::Ident(public), proc_macro2::TokenTree::Group(scope)] if public == "pub" => {
                vis.extend([before[before.len() - 2].clone(), proc_macro2::TokenTree::Group(scope.clone())]);
            }
            [.., proc_macro2::TokenTree::Ident(public)] if public == "pub" => {
                vis.extend([before[before.len() - 1].clone()]);
            }
            _ => {}
        }
        found.push((vis, name.clone()));
    }
    found
}
