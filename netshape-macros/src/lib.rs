//! The `network!` macro of [netshape](https://docs.rs/netshape). Use it through
//! the `netshape` crate, which documents the DSL and holds the types the
//! expansion names.
//!
//! The pipeline, one stage a file: `parse` (syntax with spans) →
//! `shape` (pure arithmetic, PyTorch's rules) → `check` (binding arguments,
//! collecting every error) → `expand` (the struct, consts and docs).

mod catalog;
mod check;
mod eval;
mod expand;
mod parse;
mod program;
mod shape;
mod suggest;

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// Declares networks; see the `netshape` crate for the DSL.
#[proc_macro]
pub fn network(input: TokenStream) -> TokenStream {
    expand_source(input.into()).into()
}

fn expand_source(input: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    // Checked before parsing: the parser and the walk recurse once a level.
    if let Some(span) = too_deep(input.clone(), 0) {
        let message = format!("brackets nest more than {} deep here", shape::MAX_NESTING);
        return expand::stubs(None, parse::declared_structs(input), syn::Error::new(span, message));
    }
    let source = match syn::parse2::<parse::Source>(input.clone()) {
        Ok(source) => source,
        Err(error) => return expand::stubs(None, parse::declared_structs(input), error),
    };
    // `use path::Block;` asks the block's carrier macro to paste the block's
    // definition in and call `network!` again, one `use` at a time.
    if let Some(index) = source.items.iter().position(|item| matches!(item, parse::Item::Use(_))) {
        return expand::resolve_use(&source, index);
    }
    match check::check(&source) {
        Ok(checked) => expand::expand(&checked),
        Err(error) => expand::stubs(Some(&source), Vec::new(), error),
    }
}

/// The first group nested past [`shape::MAX_NESTING`], if any; the search stops
/// there, so it recurses no deeper itself.
fn too_deep(tokens: proc_macro2::TokenStream, depth: usize) -> Option<proc_macro2::Span> {
    tokens.into_iter().find_map(|tree| match tree {
        proc_macro2::TokenTree::Group(group) if depth >= shape::MAX_NESTING => Some(group.span_open()),
        proc_macro2::TokenTree::Group(group) => too_deep(group.stream(), depth + 1),
        _ => None,
    })
}
