//! Blocks and sequences: a `block` is defined once, its parameters checked
//! there, and its body runs wherever it is called, with that call's
//! arguments, as a module of its own; a `[…]` is an `nn.Sequential` whose
//! modules are numbered from 0.

use std::collections::BTreeSet;

use quote::ToTokens;

use crate::eval::{Constants, Value};
use crate::parse::{self, Call, Operation, Spot, Stmt};
use crate::shape::MAX_NESTING;
use crate::suggest::did_you_mean;

use super::lint::allowed_lints;
use super::tensor::{Flow, Origin, Tensor};
use super::{bind, Errors, Module, Row, Scope, Walk};

/// A step's `#[class = "Name"]`: the class a module stands for in summaries,
/// as PyTorch names it (an `nn.Sequential` subclass for a `[…]` sequence or a
/// named group, `Conv3DSimple` for a `Conv3d` subclass); reports misuse on a
/// step that makes no module.
pub(super) fn sequence_class(step: &parse::Step, errors: &mut Errors) -> Option<String> {
    let attr = step.attrs.iter().find(|attr| attr.path().is_ident("class"))?;
    let is_module = match &step.op {
        Operation::Sequential(_) => true,
        Operation::Group(_) => step.name.is_some(),
        Operation::Call(call) => crate::catalog::find(&call.kind.to_string()).is_none_or(|kind| !kind.functional),
        Operation::Join(_) | Operation::Ref(_) => false,
    };
    if !is_module {
        errors.at(
            Spot::of(attr),
            "`#[class]` names the class of a module (a layer, a block or a `[…]` sequence); this step makes none",
        );
        return None;
    }
    let value = attr.meta.require_name_value().ok().and_then(|meta| match &meta.value {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) => Some(text.value()),
        _ => None,
    });
    let valid = value.as_deref().filter(|class| syn::parse_str::<syn::Ident>(class).is_ok());
    if valid.is_none() {
        errors.at(Spot::of(attr), "`#[class]` takes a class name in quotes: `#[class = \"Conv2dNormActivation\"]`");
    }
    valid.map(str::to_owned)
}

/// A block's parameters are checked once, where it is defined; its body is
/// checked wherever it is used, with that call's arguments.
pub(super) fn check_block_params(block: &parse::Block, constants: &Constants, errors: &mut Errors) {
    let mut names = BTreeSet::new();
    // A default may use earlier parameters (`hidden = channels * 4`): it is
    // checked here when they have defaults too, and at each call otherwise.
    let mut env = constants.clone();
    let mut unknown: Vec<String> = Vec::new();
    for param in &block.params {
        let name = param.name.to_string();
        if !names.insert(name.clone()) {
            errors.at(Spot::of(&param.name), format!("parameter `{}` is declared twice", param.name));
        }
        let Some(default) = &param.default else {
            unknown.push(name);
            continue;
        };
        if mentions(default.to_token_stream(), &unknown) {
            unknown.push(name);
            continue;
        }
        match env.evaluate(default) {
            Ok(valued) => env.define(name, valued.value),
            Err(error) => {
                errors.push(error);
                unknown.push(name);
            }
        }
    }
}

/// Whether the tokens use any of `names`.
fn mentions(tokens: proc_macro2::TokenStream, names: &[String]) -> bool {
    tokens.into_iter().any(|tree| match tree {
        proc_macro2::TokenTree::Ident(ident) => names.iter().any(|name| ident == name),
        proc_macro2::TokenTree::Group(group) => mentions(group.stream(), names),
        _ => false,
    })
}

impl<'a> Walk<'a, '_> {
    /// A block called with arguments: its parameters bound, its body run under
    /// its path, then its own row.
    pub(super) fn block(
        &mut self,
        def: &'a parse::Block,
        call: &'a Call,
        name: Option<(String, &'a syn::Ident)>,
        scope: &mut Scope<'a>,
        inputs: Vec<Flow>,
        frozen: bool,
    ) -> Flow {
        let class = self.class.take();
        if let Some(arg) = std::mem::take(&mut self.call_args).first() {
            let message = format!(
                "block `{}` takes no keyword arguments with its tensors; pass them as its parameters",
                def.name
            );
            self.errors.at(Spot::of(&arg.key), message);
            return None;
        }
        // A block whose own `network!` failed has been reported there.
        if def.has_marker(parse::INVALID) {
            return None;
        }
        let path = self.claim(name.as_ref().map(|(name, ident)| (name.as_str(), *ident)), scope);
        let (env, rendered) = self.block_arguments(def, call, &scope.env)?;
        let frozen = frozen || scope.frozen;
        if let Some((name, _)) = &name {
            let module = Module::Block {
                def,
                env: env.clone(),
                rendered: rendered.clone(),
                path: path.clone(),
                frozen,
                class: class.clone(),
            };
            scope.modules.insert(name.clone(), module);
        }
        let call_site = Spot { start: call.kind.span(), end: call.paren.span.close() };
        self.run_block(def, call_site, rendered, &path, env, inputs, frozen, class)
    }

    /// Binds a block's parameters as Python binds a call's; also gives the
    /// call as written, constants evaluated.
    fn block_arguments(&mut self, def: &parse::Block, call: &Call, env: &Constants) -> Option<(Constants, String)> {
        let before = self.errors.count();
        let mut given: Vec<Option<Value>> = vec![None; def.params.len()];
        let mut rendered = Vec::new();
        let mut positional = 0;
        for arg in &call.args {
            // A positional argument that fails still takes its place.
            if arg.key.is_none() {
                positional += 1;
            }
            let value = match env.evaluate(&arg.value) {
                Ok(valued) => valued.value,
                Err(error) => {
                    self.errors.push(error);
                    continue;
                }
            };
            rendered.push(match &arg.key {
                Some(key) => format!("{key} = {}", bind::render(&value)),
                None => bind::render(&value),
            });
            let index = match &arg.key {
                None => {
                    if positional > def.params.len() {
                        self.errors.at(
                            Spot::of(&arg.value),
                            format!("unexpected argument: block `{}` takes {} parameters", def.name, def.params.len()),
                        );
                        continue;
                    }
                    positional - 1
                }
                Some(key) => match def.params.iter().position(|param| param.name == *key) {
                    Some(index) => index,
                    None => {
                        let names = def.params.iter().map(|param| param.name.to_string()).collect::<Vec<_>>();
                        let hint = did_you_mean(&key.to_string(), names.iter().map(String::as_str))
                            .map(|close| format!("; did you mean `{close}`?"))
                            .unwrap_or_else(|| {
                                format!(
                                    "; it takes {}",
                                    names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
                                )
                            });
                        self.errors.at(Spot::of(key), format!("block `{}` has no parameter `{key}`{hint}", def.name));
                        continue;
                    }
                },
            };
            if given[index].replace(value).is_some() {
                self.errors.at(Spot::of(&arg.value), format!("parameter `{}` is given twice", def.params[index].name));
            }
        }
        // Parameters see the constants of the invocation that defines the block.
        let mut block_env = env.clone();
        for (param, value) in def.params.iter().zip(given) {
            let value = match (value, &param.default) {
                (Some(value), _) => value,
                // Defaults see the parameters before them.
                (None, Some(default)) => match block_env.evaluate(default) {
                    Ok(valued) => valued.value,
                    Err(error) => {
                        self.errors.push(error);
                        continue;
                    }
                },
                (None, None) => {
                    self.errors.push(syn::Error::new(
                        call.paren.span.join(),
                        format!("block `{}` is missing its parameter `{}`", def.name, param.name),
                    ));
                    continue;
                }
            };
            block_env.define(param.name.to_string(), value);
        }
        (self.errors.count() == before).then(|| (block_env, format!("{}({})", def.name, rendered.join(", "))))
    }

    /// Runs a block's body as the module at `path`; `call_site` is where the
    /// network calls it, `rendered` the call with its arguments.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn run_block(
        &mut self,
        def: &'a parse::Block,
        call_site: Spot,
        rendered: String,
        path: &str,
        env: Constants,
        inputs: Vec<Flow>,
        frozen: bool,
        class: Option<String>,
    ) -> Flow {
        let at = call_site.start;
        let name = def.name.to_string();
        if let Some(first) = self.calling.iter().position(|caller| *caller == name) {
            let cycle: Vec<String> =
                self.calling[first..].iter().chain([&name]).map(|caller| format!("`{caller}`")).collect();
            self.errors.push(syn::Error::new(
                at,
                format!("block `{name}` calls itself: {}; a block cannot contain itself", cycle.join(" → ")),
            ));
            return None;
        }
        if self.nesting >= MAX_NESTING {
            let message = format!("blocks, sequences and loops nest more than {MAX_NESTING} deep here");
            self.errors.push(syn::Error::new(at, message));
            return None;
        }
        if !self.spend(call_site, 1) {
            return None;
        }
        let declared: Vec<&syn::Ident> = def
            .body
            .iter()
            .map_while(|stmt| match stmt {
                Stmt::Input(decl) => decl.name.as_ref(),
                _ => None,
            })
            .collect();
        if inputs.len() != declared.len() + 1 {
            let names: Vec<_> =
                std::iter::once("input".to_owned()).chain(declared.iter().map(|name| name.to_string())).collect();
            self.errors.push(syn::Error::new(
                at,
                format!(
                    "block `{}` takes {} inputs ({}), but it is given {}",
                    def.name,
                    names.len(),
                    names.join(", "),
                    inputs.len()
                ),
            ));
            return None;
        }
        let mut inner = Scope::new(format!("{path}."), env, frozen, def.name.to_string());
        inner.bind("input".to_owned(), inputs[0].clone());
        for (name, value) in declared.iter().zip(&inputs[1..]) {
            inner.bind(name.to_string(), value.clone());
        }
        let body = &def.body[declared.len()..];
        let allowed_depth = self.allowed.len();
        let allowed = allowed_lints(&def.attrs, self.errors);
        self.allowed.extend(allowed);
        self.calling.push(name);
        let outer = self.errors.context.is_none();
        if outer {
            self.errors.context = Some((call_site, format!("`{path}` (`{rendered}`)")));
        }
        let scope_depth = std::mem::replace(&mut self.scope_depth, inner.prefix.matches('.').count());
        let state_start = self.state.len();
        let (last, outputs) = self.body(body, &mut inner, inputs[0].clone());
        if let Some(order) = super::record::state_order(&def.attrs, self.errors).filter(|_| self.registering) {
            self.reorder_state(state_start, &inner.prefix, &order);
        }
        // The raw tensors the block registers itself are its row's own.
        let own = (inner.own_parameters, inner.own_trainable, inner.own_buffers);
        self.scope_depth = scope_depth;
        if outer {
            self.errors.context = None;
        }
        self.calling.pop();
        self.allowed.truncate(allowed_depth);
        let output = match outputs {
            Some(mut outputs) if outputs.len() == 1 => outputs.remove(0),
            Some(_) => {
                self.errors.push(syn::Error::new(
                    at,
                    format!("block `{}` declares several outputs; a block gives one", def.name),
                ));
                None
            }
            None => last,
        };
        if let (Some(input), Some(output)) = (&inputs[0], &output) {
            self.push_row(Row {
                path: path.to_owned(),
                kind: class.unwrap_or_else(|| def.name.to_string()),
                depth: self.rows_depth(path),
                params: own.0,
                trainable: own.1,
                buffers: own.2,
                raw_params: own.0,
                raw_trainable: own.1,
                sources: inputs.iter().flatten().map(|tensor| tensor.producer).collect(),
                input: input.dims.clone(),
                output: output.dims.clone(),
                field: output.field.clone(),
                ..Row::default()
            });
        }
        output.map(|tensor| Tensor { origin: Origin::Step(format!("`{path}`")), ..tensor })
    }

    /// A named `[ … ]`: an `nn.Sequential` whose modules are numbered from 0.
    pub(super) fn sequence(
        &mut self,
        name: &str,
        ident: &'a syn::Ident,
        body: &'a [Stmt],
        scope: &mut Scope<'a>,
        current: Flow,
        frozen: bool,
    ) -> Flow {
        let class = self.class.take();
        let path = self.claim(Some((name, ident)), scope);
        let frozen = frozen || scope.frozen;
        let module =
            Module::Sequence { body, env: scope.env.clone(), path: path.clone(), frozen, class: class.clone() };
        scope.modules.insert(name.to_owned(), module);
        self.run_sequence(body, &path, scope.env.clone(), current, frozen, name, class.as_deref())
    }

    /// Runs a sequence's body, then writes its row, of class `class` (a
    /// subclass of `nn.Sequential`, such as torchvision's
    /// `Conv2dNormActivation`) or `Sequential`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn run_sequence(
        &mut self,
        body: &'a [Stmt],
        path: &str,
        env: Constants,
        current: Flow,
        frozen: bool,
        name: &str,
        class: Option<&str>,
    ) -> Flow {
        let mut inner = Scope::new(format!("{path}."), env, frozen, name.to_owned());
        inner.bind("input".to_owned(), current.clone());
        let scope_depth = std::mem::replace(&mut self.scope_depth, inner.prefix.matches('.').count());
        let output = self.body(body, &mut inner, current.clone()).0;
        self.scope_depth = scope_depth;
        // A row of its own after its modules', which torchinfo shows and
        // torchsummary does not.
        if let (Some(input), Some(output)) = (&current, &output) {
            self.push_row(Row {
                path: path.to_owned(),
                kind: class.unwrap_or("Sequential").to_owned(),
                container: true,
                depth: self.rows_depth(path),
                sources: vec![input.producer],
                input: input.dims.clone(),
                output: output.dims.clone(),
                field: output.field.clone(),
                ..Row::default()
            });
        }
        output
    }
}
