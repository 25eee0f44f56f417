//! Stage 1: the DSL's syntax tree, with every token's span kept for errors.
//!
//! ```text
//! const HIDDEN: usize = 50;                 // a named size, usable in any argument
//! block Fire(inplanes, squeeze, expand) {   // a reusable module with integer parameters
//!     squeeze: Conv2d(inplanes, squeeze, 1),
//!     squeeze_activation: ReLU(inplace = true),
//!     cat(dim = 1,                          // parallel branches, concatenated
//!         [expand1x1: Conv2d(squeeze, expand, 1), expand1x1_activation: ReLU(inplace = true)],
//!         [expand3x3: Conv2d(squeeze, expand, 3, padding = 1), expand3x3_activation: ReLU(inplace = true)],
//!     ),
//! }
//! /// docs
//! pub struct Net {
//!     input: [1, 28, 28],                   // the input shape, batch left out
//!     conv1: Conv2d(1, 10, kernel_size = 5),
//!     ReLU(),                               // an anonymous module, numbered as nn.Sequential does
//!     max_pool2d(2),                        // a functional op: shapes only, no row
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
    /// Each item's tokens, to pass the rest on when a `use` is resolved.
    pub item_tokens: Vec<TokenStream>,
}

pub enum Item {
    Constant(Box<Constant>),
    Network(Network),
    Block(Block),
    Use(Use),
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
    pub body: Vec<Stmt>,
}

/// `block BasicBlock(inplanes, planes, stride = 1) { … }`
pub struct Block {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub name: Ident,
    pub params: Vec<BlockParam>,
    pub body: Vec<Stmt>,
    /// The definition's tokens, for the carrier macro that lets another
    /// `network!` use the block.
    pub tokens: TokenStream,
}

pub struct BlockParam {
    pub name: Ident,
    pub default: Option<Expr>,
}

/// `use crate::blocks::{BasicBlock, Bottleneck};`: blocks defined in another
/// `network!`.
pub struct Use {
    pub prefix: Vec<Ident>,
    pub leading_colon: bool,
    pub names: Vec<Ident>,
}

/// One statement of a network or block body.
pub enum Stmt {
    /// `input: [1, 28, 28]`, `input image: [3, 224, 224] as f32`; in a block,
    /// `input memory` names a further tensor input.
    Input(Box<InputDecl>),
    /// `output: logits` or `output: (logits, aux)`.
    Output(OutputDecl),
    /// `let identity = …` or `let (x1, x2) = chunk(2, dim = 1)`.
    Let(Box<Let>),
    /// `for i in 0..n { … }`
    For(For),
    /// `if cond { … } else { … }`
    If(If),
    /// `const hidden = inp * expand_ratio`: a number for the statements after it.
    Const(Box<LocalConst>),
    /// A step of the chain.
    Step(Box<Step>),
}

pub struct InputDecl {
    pub keyword: Ident,
    pub name: Option<Ident>,
    pub shape: Option<(token::Bracket, Vec<Expr>)>,
    pub dtype: Option<Ident>,
    /// `where H in 32..=2048, H % 32 == 0`: the sizes a symbolic dim takes.
    pub constraints: Vec<Constraint>,
}

/// One condition of an input's `where` clause.
pub enum Constraint {
    /// `H in 32..=2048`.
    Range { symbol: Ident, range: Expr },
    /// Anything else, such as `H % 32 == 0`; the check stage reads it.
    Condition(Expr),
}

pub struct OutputDecl {
    pub keyword: Ident,
    pub names: Vec<Ident>,
}

pub struct Let {
    pub names: Vec<Ident>,
    pub tuple: bool,
    pub value: Branch,
}

pub struct LocalConst {
    pub name: Ident,
    pub value: Expr,
}

pub struct For {
    pub var: Ident,
    pub range: Expr,
    pub body: Vec<Stmt>,
}

pub struct If {
    pub cond: Expr,
    pub then: Vec<Stmt>,
    pub otherwise: Vec<Stmt>,
}

/// `[#[frozen]] [name:] operation [(inputs)] [if cond]`
pub struct Step {
    pub attrs: Vec<Attribute>,
    pub name: Option<Name>,
    pub op: Operation,
    pub inputs: Option<(token::Paren, Vec<Ident>)>,
    /// Keyword arguments of the call itself, after its inputs:
    /// `(x, x, x, need_weights = false)`.
    pub call_args: Vec<Arg>,
    pub cond: Option<Expr>,
}

/// A module's name; in a loop it may carry an index: `denselayer{i + 1}`.
#[derive(Clone)]
pub struct Name {
    pub ident: Ident,
    pub index: Option<Expr>,
    /// A name that is no identifier, as `add_module(f"block{i}-{j}", …)`
    /// gives: `"block{i}-{j}": …`, `{…}` evaluated. `ident` then only
    /// carries its span.
    pub text: Option<syn::LitStr>,
}

pub enum Operation {
    /// `Conv2d(…)`, `relu()`, `BasicBlock(64, 64)`.
    Call(Call),
    /// `add(…)`, `mul(…)`, `cat(…, dim = 1)`: branches joined.
    Join(Join),
    /// `[ … ]`: a sequence (an `nn.Sequential` when named, a plain group
    /// otherwise).
    Group(Vec<Stmt>),
    /// `Sequential(…)`: an `nn.Sequential`, named or numbered like any module.
    Sequential(Vec<Stmt>),
    /// `relu`: a module called again, or a value the chain continues from.
    Ref(Ident),
}

/// `Kind(args…)`
#[derive(Clone)]
pub struct Call {
    pub kind: Ident,
    pub paren: token::Paren,
    pub args: Vec<Arg>,
}

/// A positional (`5`) or keyword (`kernel_size = 5`) argument.
#[derive(Clone)]
pub struct Arg {
    pub key: Option<Ident>,
    pub value: Expr,
}

/// `add(branch, branch…)`, `cat(branch, …, dim = 1)`.
pub struct Join {
    pub kind: Ident,
    pub paren: token::Paren,
    pub branches: Vec<Branch>,
    pub args: Vec<Arg>,
}

/// One operand of a join: `[ … ]` from the current value, `name` (a value),
/// `x2 -> [ … ]` from a value, `downsample: [ … ]` (an `nn.Sequential`), each
/// optionally `if cond` (when false, the operand is the value it starts from).
/// A named one from a value reads `x2 -> branch2: [ … ]`.
pub struct Branch {
    pub name: Option<Name>,
    pub source: Option<Ident>,
    pub op: Operation,
    pub cond: Option<Expr>,
    pub spot: Spot,
}

/// Names of the operations that join branches.
pub const JOINS: &[&str] = &["add", "sub", "mul", "div", "cat", "stack"];

fn keyword(input: ParseStream, word: &str) -> bool {
    input.fork().parse::<Ident>().is_ok_and(|ident| ident == word)
}

impl Parse for Source {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut items = Vec::new();
        let mut item_tokens = Vec::new();
        while !input.is_empty() {
            let start = input.fork();
            items.push(input.parse()?);
            item_tokens.push(tokens_between(&start, input));
        }
        Ok(Source { items, item_tokens })
    }
}

/// Marks a block a carrier macro brought in from another `network!`.
pub const IMPORTED: &str = "__netshape_imported";
/// Marks a block whose own `network!` failed: calling it reports nothing more.
pub const INVALID: &str = "__netshape_invalid";

impl Block {
    pub fn has_marker(&self, marker: &str) -> bool {
        self.attrs.iter().any(|attr| attr.path().is_ident(marker))
    }
}

impl Parse for Item {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let start = input.fork();
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        if input.peek(Token![const]) {
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
        } else if input.peek(Token![struct]) {
            input.parse::<Token![struct]>()?;
            let name = input.parse()?;
            if input.peek(Token![<]) {
                return Err(input.error("a network takes no generic parameters; its sizes are written in its layers"));
            }
            let body;
            let brace = braced!(body in input);
            Ok(Item::Network(Network { attrs, vis, name, brace, body: parse_body(&body)? }))
        } else if keyword(input, "block") {
            input.parse::<Ident>()?;
            let name = input.parse()?;
            let content;
            parenthesized!(content in input);
            let params = Punctuated::<BlockParam, Token![,]>::parse_terminated(&content)?.into_iter().collect();
            let body;
            braced!(body in input);
            let body = parse_body(&body)?;
            let tokens = tokens_between(&start, input);
            Ok(Item::Block(Block { attrs, vis, name, params, body, tokens }))
        } else if input.peek(Token![use]) {
            input.parse::<Token![use]>()?;
            let item = input.parse()?;
            input.parse::<Token![;]>()?;
            Ok(Item::Use(item))
        } else {
            Err(input.error("expected `struct`, `block`, `const` or `use`"))
        }
    }
}

/// The tokens `start` has that `end` no longer has.
fn tokens_between(start: ParseStream, end: ParseStream) -> TokenStream {
    let mut tokens = TokenStream::new();
    let _ = start.step(|cursor| {
        let mut rest = *cursor;
        while rest != end.cursor() {
            let Some((tree, next)) = rest.token_tree() else { break };
            tokens.extend([tree]);
            rest = next;
        }
        Ok(((), rest))
    });
    tokens
}

impl Parse for BlockParam {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let name = input.parse()?;
        let default = if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            Some(input.parse()?)
        } else {
            None
        };
        Ok(BlockParam { name, default })
    }
}

impl Parse for Use {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let leading_colon = input.peek(Token![::]);
        if leading_colon {
            input.parse::<Token![::]>()?;
        }
        let mut prefix = Vec::new();
        loop {
            if input.peek(token::Brace) {
                let content;
                braced!(content in input);
                let names = Punctuated::<Ident, Token![,]>::parse_terminated(&content)?.into_iter().collect();
                return Ok(Use { prefix, leading_colon, names });
            }
            // Only a path's first segment may be `crate`, `self` or `super`.
            let segment = if prefix.is_empty() && !leading_colon {
                input.call(Ident::parse_any_ident)?
            } else {
                input.parse::<Ident>()?
            };
            if input.peek(Token![::]) {
                input.parse::<Token![::]>()?;
                prefix.push(segment);
            } else {
                return Ok(Use { prefix, leading_colon, names: vec![segment] });
            }
        }
    }
}

trait ParseAnyIdent {
    fn parse_any_ident(input: ParseStream) -> syn::Result<Ident>;
}

impl ParseAnyIdent for Ident {
    /// A path's first segment may be a keyword: `crate`, `self`, `super`.
    fn parse_any_ident(input: ParseStream) -> syn::Result<Ident> {
        use syn::ext::IdentExt;
        let ident = Ident::parse_any(input)?;
        match ident.to_string().as_str() {
            "crate" | "self" | "super" => Ok(ident),
            _ => syn::parse2(ident.to_token_stream()),
        }
    }
}

/// Statements separated by commas (a trailing comma is allowed; a block
/// statement's closing brace may stand for it).
fn parse_body(input: ParseStream) -> syn::Result<Vec<Stmt>> {
    let mut body = Vec::new();
    while !input.is_empty() {
        let stmt: Stmt = input.parse()?;
        let braced = matches!(stmt, Stmt::For(_) | Stmt::If(_));
        body.push(stmt);
        if input.is_empty() {
            break;
        }
        if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
        } else if !braced {
            return Err(input.error("expected `,` between layers"));
        }
    }
    Ok(body)
}

impl Parse for Stmt {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if keyword(input, "input") && !input.peek2(token::Paren) {
            let keyword = input.parse()?;
            let name = if input.peek(Ident) { Some(input.parse()?) } else { None };
            let (shape, dtype) = if input.peek(Token![:]) {
                input.parse::<Token![:]>()?;
                let content;
                let bracket = bracketed!(content in input);
                let dims = Punctuated::<Expr, Token![,]>::parse_terminated(&content)?.into_iter().collect();
                let dtype = if input.peek(Token![as]) {
                    input.parse::<Token![as]>()?;
                    Some(input.parse()?)
                } else {
                    None
                };
                (Some((bracket, dims)), dtype)
            } else {
                (None, None)
            };
            let constraints = if input.peek(Token![where]) { parse_constraints(input)? } else { Vec::new() };
            return Ok(Stmt::Input(Box::new(InputDecl { keyword, name, shape, dtype, constraints })));
        }
        if keyword(input, "output") && input.peek2(Token![:]) && !input.peek2(Token![::]) {
            let keyword = input.parse()?;
            input.parse::<Token![:]>()?;
            let names = if input.peek(token::Paren) {
                let content;
                let paren = parenthesized!(content in input);
                let names: Vec<Ident> =
                    Punctuated::<Ident, Token![,]>::parse_terminated(&content)?.into_iter().collect();
                if names.is_empty() {
                    return Err(syn::Error::new(paren.span.join(), "`output` names at least one value"));
                }
                names
            } else {
                vec![input.parse()?]
            };
            return Ok(Stmt::Output(OutputDecl { keyword, names }));
        }
        if input.peek(Token![const]) {
            input.parse::<Token![const]>()?;
            let name = input.parse()?;
            if input.peek(Token![:]) {
                input.parse::<Token![:]>()?;
                input.parse::<Type>()?;
            }
            input.parse::<Token![=]>()?;
            return Ok(Stmt::Const(Box::new(LocalConst { name, value: input.parse()? })));
        }
        if input.peek(Token![let]) {
            input.parse::<Token![let]>()?;
            let (names, tuple) = if input.peek(token::Paren) {
                let content;
                parenthesized!(content in input);
                (Punctuated::<Ident, Token![,]>::parse_terminated(&content)?.into_iter().collect(), true)
            } else {
                (vec![input.parse()?], false)
            };
            input.parse::<Token![=]>()?;
            return Ok(Stmt::Let(Box::new(Let { names, tuple, value: input.parse()? })));
        }
        if input.peek(Token![for]) {
            input.parse::<Token![for]>()?;
            let var = if input.peek(Token![_]) {
                let underscore: Token![_] = input.parse()?;
                Ident::new("_", underscore.span)
            } else {
                input.parse()?
            };
            input.parse::<Token![in]>()?;
            let range = Expr::parse_without_eager_brace(input)?;
            let content;
            braced!(content in input);
            return Ok(Stmt::For(For { var, range, body: parse_body(&content)? }));
        }
        if input.peek(Token![if]) {
            return Ok(Stmt::If(input.parse()?));
        }
        Ok(Stmt::Step(Box::new(input.parse()?)))
    }
}

/// `where H in 1..=64, H % 8 == 0`: conditions separated by commas, as the
/// statements are; the clause ends before a comma that a condition does not
/// follow (one starts with a name and `in`, `%` or a comparison).
fn parse_constraints(input: ParseStream) -> syn::Result<Vec<Constraint>> {
    input.parse::<Token![where]>()?;
    let mut constraints = Vec::new();
    loop {
        if input.peek(Ident) && input.peek2(Token![in]) {
            let symbol = input.parse()?;
            input.parse::<Token![in]>()?;
            constraints.push(Constraint::Range { symbol, range: Expr::parse_without_eager_brace(input)? });
        } else {
            constraints.push(Constraint::Condition(Expr::parse_without_eager_brace(input)?));
        }
        let fork = input.fork();
        if !(fork.parse::<Token![,]>().is_ok() && starts_condition(&fork)) {
            return Ok(constraints);
        }
        input.parse::<Token![,]>()?;
    }
}

/// Whether a condition of a `where` clause starts here, not a statement.
fn starts_condition(input: ParseStream) -> bool {
    input.peek(Ident)
        && (input.peek2(Token![in])
            || input.peek2(Token![%])
            || input.peek2(Token![==])
            || input.peek2(Token![<=])
            || input.peek2(Token![>=])
            || input.peek2(Token![<])
            || input.peek2(Token![>])
            || input.peek2(Token![!=])
            || input.peek2(Token![*])
            || input.peek2(Token![/])
            || input.peek2(Token![+])
            || input.peek2(Token![-]))
}

impl Parse for If {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        input.parse::<Token![if]>()?;
        let cond = Expr::parse_without_eager_brace(input)?;
        let content;
        braced!(content in input);
        let then = parse_body(&content)?;
        let otherwise = if input.peek(Token![else]) {
            input.parse::<Token![else]>()?;
            if input.peek(Token![if]) {
                vec![Stmt::If(input.parse()?)]
            } else {
                let content;
                braced!(content in input);
                parse_body(&content)?
            }
        } else {
            Vec::new()
        };
        Ok(If { cond, then, otherwise })
    }
}

/// `name:` or `name{index}:` ahead, not `path::`.
fn peek_name(input: ParseStream) -> bool {
    let fork = input.fork();
    if fork.peek(syn::LitStr) {
        return fork.parse::<syn::LitStr>().is_ok() && fork.peek(Token![:]) && !fork.peek(Token![::]);
    }
    if fork.parse::<Ident>().is_err() {
        return false;
    }
    if fork.peek(token::Brace) {
        let skipped = fork.step(|cursor| match cursor.group(proc_macro2::Delimiter::Brace) {
            Some((_, _, rest)) => Ok(((), rest)),
            None => Err(cursor.error("expected `{`")),
        });
        if skipped.is_err() {
            return false;
        }
    }
    fork.peek(Token![:]) && !fork.peek(Token![::])
}

impl Parse for Name {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(syn::LitStr) {
            let text: syn::LitStr = input.parse()?;
            let ident = Ident::new("module", text.span());
            return Ok(Name { ident, index: None, text: Some(text) });
        }
        let ident = input.parse()?;
        let index = if input.peek(token::Brace) {
            let content;
            braced!(content in input);
            Some(content.parse()?)
        } else {
            None
        };
        Ok(Name { ident, index, text: None })
    }
}

impl Parse for Step {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let known = ["doc", "frozen", "allow", "warn", "class"];
        if let Some(attr) = attrs.iter().find(|attr| !known.iter().any(|name| attr.path().is_ident(name))) {
            return Err(syn::Error::new_spanned(
                attr,
                "a layer takes doc comments, `#[frozen]`, `#[class = \"…\"]`, `#[allow(netshape::…)]` and `#[warn(netshape::…)]` only",
            ));
        }
        let name = if peek_name(input) {
            let name = input.parse()?;
            input.parse::<Token![:]>()?;
            Some(name)
        } else {
            None
        };
        let op = input.parse()?;
        let mut call_args = Vec::new();
        let inputs = if input.peek(token::Paren) && !matches!(op, Operation::Ref(_)) {
            let content;
            let paren = parenthesized!(content in input);
            let mut names = Vec::new();
            while !content.is_empty() {
                if content.peek(Ident) && content.peek2(Token![=]) && !content.peek2(Token![==]) {
                    call_args.push(content.parse()?);
                } else if call_args.is_empty() {
                    names.push(content.parse()?);
                } else {
                    return Err(content.error("the tensors come first, then keyword arguments"));
                }
                if content.is_empty() {
                    break;
                }
                content.parse::<Token![,]>()?;
            }
            Some((paren, names))
        } else {
            None
        };
        let cond = if input.peek(Token![if]) {
            input.parse::<Token![if]>()?;
            Some(input.parse()?)
        } else {
            None
        };
        Ok(Step { attrs, name, op, inputs, call_args, cond })
    }
}

impl Parse for Operation {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(token::Bracket) {
            let content;
            bracketed!(content in input);
            return Ok(Operation::Group(parse_body(&content)?));
        }
        let kind: Ident = input.parse()?;
        if !input.peek(token::Paren) {
            return Ok(Operation::Ref(kind));
        }
        let content;
        let paren = parenthesized!(content in input);
        if kind == "Sequential" {
            return Ok(Operation::Sequential(parse_body(&content)?));
        }
        if JOINS.contains(&kind.to_string().as_str()) {
            let mut branches = Vec::new();
            let mut args = Vec::new();
            while !content.is_empty() {
                if content.peek(Ident) && content.peek2(Token![=]) && !content.peek2(Token![==]) {
                    args.push(content.parse()?);
                } else {
                    branches.push(content.parse()?);
                }
                if content.is_empty() {
                    break;
                }
                content.parse::<Token![,]>()?;
            }
            return Ok(Operation::Join(Join { kind, paren, branches, args }));
        }
        let args = Punctuated::<Arg, Token![,]>::parse_terminated(&content)?;
        Ok(Operation::Call(Call { kind, paren, args: args.into_iter().collect() }))
    }
}

impl Parse for Branch {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let start = input.fork();
        let source = if input.peek(Ident) && input.peek2(Token![->]) {
            let source = input.parse()?;
            input.parse::<Token![->]>()?;
            Some(source)
        } else {
            None
        };
        let name = if peek_name(input) {
            let name = input.parse()?;
            input.parse::<Token![:]>()?;
            Some(name)
        } else {
            None
        };
        let op = input.parse()?;
        let cond = if input.peek(Token![if]) {
            input.parse::<Token![if]>()?;
            Some(input.parse()?)
        } else {
            None
        };
        let spot = Spot::of(&tokens_between(&start, input));
        Ok(Branch { name, source, op, cond, spot })
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

impl Call {
    /// A module written as an argument value, `TransformerEncoderLayer(512, 8)`,
    /// which Rust's grammar reads as a call expression.
    pub fn from_expr(call: &syn::ExprCall) -> Option<Call> {
        let syn::Expr::Path(path) = &*call.func else { return None };
        let kind = path.path.get_ident()?.clone();
        let args = call
            .args
            .iter()
            .map(|arg| match arg {
                syn::Expr::Assign(assign) => match &*assign.left {
                    syn::Expr::Path(key) if key.path.get_ident().is_some() => {
                        Arg { key: key.path.get_ident().cloned(), value: (*assign.right).clone() }
                    }
                    _ => Arg { key: None, value: arg.clone() },
                },
                _ => Arg { key: None, value: arg.clone() },
            })
            .collect();
        Some(Call { kind, paren: call.paren_token, args })
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
        // A keyword is no struct's name (`struct struct`): nothing to stand in for.
        if keyword != "struct" || syn::parse2::<Ident>(name.to_token_stream()).is_err() {
            continue;
        }
        let mut vis = TokenStream::new();
        let before = &tokens[..index];
        match before {
            [.., proc_macro2::TokenTree::Ident(public), proc_macro2::TokenTree::Group(scope)]
                if public == "pub"
                    && syn::parse2::<Visibility>(quote::quote!(#public #scope))
                        .is_ok_and(|vis| matches!(vis, Visibility::Restricted(_))) =>
            {
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
