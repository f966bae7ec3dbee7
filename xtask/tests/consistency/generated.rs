//! What the generated code contains, read from its source text with `syn`.
//!
//! Only the shapes the checks need are extracted: types and their fields, the client's
//! methods (arguments, path template, query and header calls, status arms), and the
//! server's traits, response enums, routes and parameter specs.

use std::collections::BTreeMap;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::visit::Visit;
use syn::{Expr, Fields, FnArg, ImplItem, Item, Lit, Pat, ReturnType, TraitItem};

use super::expect::Ty;

/// Parses one file.
pub fn parse(name: &str, text: &str) -> Result<syn::File, String> {
    syn::parse_file(text).map_err(|e| format!("{name} does not parse as Rust: {e}"))
}

/// The name of an identifier without a raw prefix (`r#type` → `type`).
pub fn unraw(ident: &syn::Ident) -> String {
    let text = ident.to_string();
    text.strip_prefix("r#").map(str::to_string).unwrap_or(text)
}

/// A type as the checks compare it.
pub fn ty(t: &syn::Type) -> Ty {
    match t {
        syn::Type::Reference(r) => match &*r.elem {
            syn::Type::Path(p) if p.path.is_ident("str") => Ty::String,
            other => ty(other),
        },
        syn::Type::Slice(s) => Ty::Vec(Box::new(ty(&s.elem))),
        syn::Type::Tuple(t) if t.elems.is_empty() => Ty::Unit,
        syn::Type::Paren(p) => ty(&p.elem),
        syn::Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else {
                return Ty::Other(t.to_token_stream().to_string());
            };
            let args: Vec<&syn::Type> = match &last.arguments {
                syn::PathArguments::AngleBracketed(a) => a
                    .args
                    .iter()
                    .filter_map(|a| match a {
                        syn::GenericArgument::Type(t) => Some(t),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let first_segment = p.path.segments.first().map(|s| s.ident.to_string());
            let name = last.ident.to_string();
            match (name.as_str(), args.as_slice()) {
                ("String", []) | ("str", []) => Ty::String,
                ("i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64", []) => {
                    Ty::Prim(prim(&name))
                }
                ("f32" | "f64" | "bool", []) => Ty::Prim(prim(&name)),
                ("Vec", [inner]) => Ty::Vec(Box::new(ty(inner))),
                ("Option", [inner]) => Ty::Option(Box::new(ty(inner))),
                ("Box", [inner]) => ty(inner),
                ("Map", [key, value]) if first_segment.as_deref() == Some("serde_json") => {
                    if ty(key) == Ty::String && ty(value) == Ty::JsonValue {
                        Ty::JsonMap
                    } else {
                        Ty::Other(t.to_token_stream().to_string())
                    }
                }
                ("Value", []) if first_segment.as_deref() == Some("serde_json") => Ty::JsonValue,
                ("BTreeMap" | "HashMap" | "IndexMap", [key, value]) if ty(key) == Ty::String => {
                    Ty::Map(Box::new(ty(value)))
                }
                (_, []) => Ty::Named(name),
                _ => Ty::Other(t.to_token_stream().to_string()),
            }
        }
        _ => Ty::Other(t.to_token_stream().to_string()),
    }
}

fn prim(name: &str) -> &'static str {
    [
        "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64", "bool",
    ]
    .into_iter()
    .find(|p| *p == name)
    .unwrap_or("?")
}

/// Replaces every named type that is a type alias with what it stands for.
pub fn resolve(t: &Ty, aliases: &BTreeMap<String, Ty>) -> Ty {
    match t {
        Ty::Named(name) => match aliases.get(name) {
            Some(target) if target != t => resolve(target, aliases),
            _ => t.clone(),
        },
        Ty::Vec(inner) => Ty::Vec(Box::new(resolve(inner, aliases))),
        Ty::Map(inner) => Ty::Map(Box::new(resolve(inner, aliases))),
        Ty::Option(inner) => Ty::Option(Box::new(resolve(inner, aliases))),
        other => other.clone(),
    }
}

/// The text of every `#[doc = "..."]` attribute, joined with newlines.
pub fn doc(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(syn::ExprLit {
                    lit: Lit::Str(s), ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `key = "value"` and bare `key` entries of every `#[serde(...)]` attribute.
pub fn serde_attrs(attrs: &[syn::Attribute]) -> Result<BTreeMap<String, Option<String>>, String> {
    let mut out = BTreeMap::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_default();
            if meta.input.peek(syn::Token![=]) {
                let value: syn::LitStr = meta.value()?.parse()?;
                out.insert(key, Some(value.value()));
            } else {
                out.insert(key, None);
            }
            Ok(())
        })
        .map_err(|e| format!("a #[serde] attribute does not parse: {e}"))?;
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------
// types.rs

#[derive(Debug, Clone)]
pub struct GenField {
    pub rust: String,
    pub wire: String,
    pub ty: Ty,
    pub flatten: bool,
}

#[derive(Debug, Clone)]
pub enum TypeItem {
    Struct {
        fields: Vec<GenField>,
        rename_all: Option<String>,
    },
    Enum {
        /// Variant name and the payload type of a one-field tuple variant.
        variants: Vec<(String, Option<Ty>)>,
        /// `#[serde(rename = ..)]` of each unit variant, by variant name.
        renames: BTreeMap<String, String>,
        /// The string literals of an associated `KNOWN` constant, if there is one.
        known: Option<Vec<String>>,
    },
    Alias(Ty),
}

#[derive(Debug, Default)]
pub struct TypesFile {
    pub items: BTreeMap<String, TypeItem>,
}

/// What a `json_object!(Name [+ extra], field => "wire" kind[(decoder)], ...)` invocation
/// says of a struct: the wire name of each field, and the field that takes the properties
/// the struct does not declare.
struct ObjectMacro {
    name: String,
    extra: Option<String>,
    wires: BTreeMap<String, String>,
}

impl syn::parse::Parse for ObjectMacro {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        use syn::ext::IdentExt;
        let name = input.call(syn::Ident::parse_any)?.to_string();
        let mut extra = None;
        if input.peek(syn::Token![+]) {
            input.parse::<syn::Token![+]>()?;
            extra = Some(unraw(&input.call(syn::Ident::parse_any)?));
        }
        let mut wires = BTreeMap::new();
        while !input.is_empty() {
            input.parse::<syn::Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let field = unraw(&input.call(syn::Ident::parse_any)?);
            input.parse::<syn::Token![=>]>()?;
            let wire: syn::LitStr = input.parse()?;
            let kind: syn::Ident = input.parse()?;
            if !["required", "nullable", "optional"].contains(&kind.to_string().as_str()) {
                return Err(syn::Error::new(kind.span(), "unknown field kind"));
            }
            if input.peek(syn::token::Paren) {
                let decoder;
                syn::parenthesized!(decoder in input);
                decoder.parse::<syn::Ident>()?;
            }
            wires.insert(field, wire.value());
        }
        Ok(ObjectMacro { name, extra, wires })
    }
}

impl TypesFile {
    pub fn read(file: &syn::File) -> Result<TypesFile, String> {
        let mut out = TypesFile::default();
        let mut known: BTreeMap<String, Vec<String>> = BTreeMap::new();
        // The wire names come from the `json_object!` invocations, read first.
        let mut objects: BTreeMap<String, ObjectMacro> = BTreeMap::new();
        for item in &file.items {
            if let Item::Macro(m) = item {
                if m.mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "json_object")
                {
                    let object: ObjectMacro = m
                        .mac
                        .parse_body()
                        .map_err(|e| format!("a json_object! invocation does not parse: {e}"))?;
                    objects.insert(object.name.clone(), object);
                }
            }
        }
        for item in &file.items {
            match item {
                Item::Struct(s) => {
                    let mut fields = Vec::new();
                    if let Fields::Named(named) = &s.fields {
                        for f in &named.named {
                            let Some(ident) = &f.ident else { continue };
                            let serde = serde_attrs(&f.attrs)
                                .map_err(|e| format!("{}.{ident}: {e}", s.ident))?;
                            let rust = unraw(ident);
                            let object = objects.get(&s.ident.to_string());
                            let wire = object
                                .and_then(|o| o.wires.get(&rust).cloned())
                                .or_else(|| serde.get("rename").cloned().flatten())
                                .unwrap_or(rust.clone());
                            let flatten = serde.contains_key("flatten")
                                || object
                                    .is_some_and(|o| o.extra.as_deref() == Some(rust.as_str()));
                            fields.push(GenField {
                                rust,
                                wire,
                                ty: ty(&f.ty),
                                flatten,
                            });
                        }
                    }
                    let container =
                        serde_attrs(&s.attrs).map_err(|e| format!("{}: {e}", s.ident))?;
                    out.items.insert(
                        s.ident.to_string(),
                        TypeItem::Struct {
                            fields,
                            rename_all: container.get("rename_all").cloned().flatten(),
                        },
                    );
                }
                Item::Enum(e) => {
                    let mut variants = Vec::new();
                    let mut renames = BTreeMap::new();
                    for v in &e.variants {
                        let payload = match &v.fields {
                            Fields::Unnamed(u) if u.unnamed.len() == 1 => {
                                Some(ty(&u.unnamed[0].ty))
                            }
                            _ => None,
                        };
                        if let Some(Some(rename)) = serde_attrs(&v.attrs)
                            .map_err(|err| format!("{}::{}: {err}", e.ident, v.ident))?
                            .get("rename")
                        {
                            renames.insert(v.ident.to_string(), rename.clone());
                        }
                        variants.push((v.ident.to_string(), payload));
                    }
                    out.items.insert(
                        e.ident.to_string(),
                        TypeItem::Enum {
                            variants,
                            renames,
                            known: None,
                        },
                    );
                }
                Item::Type(t) => {
                    out.items
                        .insert(t.ident.to_string(), TypeItem::Alias(ty(&t.ty)));
                }
                Item::Impl(i) if i.trait_.is_none() => {
                    let syn::Type::Path(p) = &*i.self_ty else {
                        continue;
                    };
                    let Some(name) = p.path.get_ident() else {
                        continue;
                    };
                    for member in &i.items {
                        if let ImplItem::Const(c) = member {
                            if c.ident == "KNOWN" {
                                known.insert(name.to_string(), string_literals(&c.expr));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        for (name, values) in known {
            if let Some(TypeItem::Enum { known, .. }) = out.items.get_mut(&name) {
                *known = Some(values);
            }
        }
        Ok(out)
    }

    pub fn aliases(&self) -> BTreeMap<String, Ty> {
        self.items
            .iter()
            .filter_map(|(name, item)| match item {
                TypeItem::Alias(t) => Some((name.clone(), t.clone())),
                _ => None,
            })
            .collect()
    }
}

fn string_literals(expr: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    collect_strings(expr.to_token_stream(), &mut out);
    out
}

fn collect_strings(tokens: TokenStream, out: &mut Vec<String>) {
    for tree in tokens {
        match tree {
            TokenTree::Literal(lit) => {
                if let Ok(Lit::Str(s)) = syn::parse2::<Lit>(lit.into_token_stream()) {
                    out.push(s.value());
                }
            }
            TokenTree::Group(g) => collect_strings(g.stream(), out),
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------
// client.rs

#[derive(Debug, Clone)]
pub struct ClientMethod {
    pub name: String,
    pub doc: String,
    /// Arguments after `&self`, by name, with their types.
    pub args: Vec<(String, Ty)>,
    /// `T` and `E` of `Result<runtime::ResponseValue<T>, runtime::Error<E>>`.
    pub success: Option<Ty>,
    pub error: Option<Ty>,
    /// The `format!` template of the path and the names filled into it.
    pub path_template: Option<String>,
    pub path_args: Vec<String>,
    /// `runtime::Request::new(operation_id, _, Method::X, ..)` or
    /// `runtime::Request::x(operation_id, ..)`.
    pub request_operation: Option<String>,
    pub request_method: Option<String>,
    /// `request.query(..)` / `request.header(..)` calls and their `_param` forms (`query_param`,
    /// `header_param`, `cookie_param`): (kind, wire name, arguments used).
    pub param_calls: Vec<(String, String, Vec<String>)>,
    /// `request.json(content_type, ..)`.
    pub json_content_type: Option<String>,
    /// The status match: literal codes and whether a `_` arm exists, each with its body text.
    pub arms: Vec<(Option<u16>, String)>,
}

#[derive(Debug, Default)]
pub struct ClientFile {
    pub methods: BTreeMap<String, ClientMethod>,
    pub client_headers: Vec<String>,
    /// Enums defined in the client file (success and error enums), with their variants.
    pub enums: BTreeMap<String, Vec<(String, Option<Ty>)>>,
}

impl ClientFile {
    pub fn read(file: &syn::File) -> Result<ClientFile, String> {
        let mut out = ClientFile::default();
        for item in &file.items {
            match item {
                Item::Const(c) if c.ident == "CLIENT_HEADERS" => {
                    out.client_headers = string_literals(&c.expr);
                }
                Item::Enum(e) => {
                    let variants = e
                        .variants
                        .iter()
                        .map(|v| {
                            let payload = match &v.fields {
                                Fields::Unnamed(u) if u.unnamed.len() == 1 => {
                                    Some(ty(&u.unnamed[0].ty))
                                }
                                _ => None,
                            };
                            (v.ident.to_string(), payload)
                        })
                        .collect();
                    out.enums.insert(e.ident.to_string(), variants);
                }
                Item::Impl(i) if i.trait_.is_none() => {
                    let syn::Type::Path(p) = &*i.self_ty else {
                        continue;
                    };
                    if !p.path.is_ident("Client") {
                        continue;
                    }
                    for member in &i.items {
                        if let ImplItem::Fn(f) = member {
                            if f.sig.asyncness.is_none() {
                                continue;
                            }
                            let method = client_method(f)?;
                            out.methods.insert(method.name.clone(), method);
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }
}

fn args_of(sig: &syn::Signature) -> Vec<(String, Ty)> {
    sig.inputs
        .iter()
        .filter_map(|input| match input {
            FnArg::Typed(t) => match &*t.pat {
                Pat::Ident(i) => Some((unraw(&i.ident), ty(&t.ty))),
                _ => None,
            },
            FnArg::Receiver(_) => None,
        })
        .collect()
}

/// The generic arguments of the last segment of a type path.
fn generic_args(t: &syn::Type) -> Vec<&syn::Type> {
    let syn::Type::Path(p) = t else {
        return Vec::new();
    };
    let Some(last) = p.path.segments.last() else {
        return Vec::new();
    };
    match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn client_method(f: &syn::ImplItemFn) -> Result<ClientMethod, String> {
    let name = unraw(&f.sig.ident);
    let (mut success, mut error) = (None, None);
    if let ReturnType::Type(_, result) = &f.sig.output {
        if let [ok, err] = generic_args(result).as_slice() {
            success = generic_args(ok).first().map(|t| ty(t));
            error = generic_args(err).first().map(|t| ty(t));
        }
    }
    let mut visitor = ClientBodyVisitor {
        method: ClientMethod {
            name: name.clone(),
            doc: doc(&f.attrs),
            args: args_of(&f.sig),
            success,
            error,
            path_template: None,
            path_args: Vec::new(),
            request_operation: None,
            request_method: None,
            param_calls: Vec::new(),
            json_content_type: None,
            arms: Vec::new(),
        },
        bindings: Vec::new(),
        problems: Vec::new(),
    };
    visitor.visit_block(&f.block);
    if let Some(problem) = visitor.problems.first() {
        return Err(format!("client method {name}: {problem}"));
    }
    Ok(visitor.method)
}

struct ClientBodyVisitor {
    method: ClientMethod,
    /// `if let Some(x) = y` and `for x in y.iter()` bindings: x stands for y.
    bindings: Vec<(String, String)>,
    problems: Vec<String>,
}

impl ClientBodyVisitor {
    /// The method arguments an expression uses, through the current bindings.
    fn args_used(&self, tokens: TokenStream) -> Vec<String> {
        let mut idents = Vec::new();
        collect_idents(tokens, &mut idents);
        let mut out = Vec::new();
        for ident in idents {
            let mut name = ident;
            while let Some((_, target)) = self.bindings.iter().rev().find(|(b, _)| *b == name) {
                name = target.clone();
            }
            if self.method.args.iter().any(|(a, _)| *a == name) && !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }
}

fn collect_idents(tokens: TokenStream, out: &mut Vec<String>) {
    for tree in tokens {
        match tree {
            TokenTree::Ident(i) => out.push(i.to_string().trim_start_matches("r#").to_string()),
            TokenTree::Group(g) => collect_idents(g.stream(), out),
            _ => {}
        }
    }
}

fn lit_str(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s.value()),
        _ => None,
    }
}

fn lit_int(expr: &Expr) -> Option<u16> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Int(i), ..
        }) => i.base10_parse().ok(),
        _ => None,
    }
}

impl<'ast> Visit<'ast> for ClientBodyVisitor {
    fn visit_local(&mut self, local: &'ast syn::Local) {
        if let (Pat::Ident(p), Some(init)) = (&local.pat, &local.init) {
            if p.ident == "path" {
                // `let path = "/literal".to_string();` or `let mut path = String::new();`
                // followed by `path.push_str(..)` statements (see visit_expr_method_call).
                match &*init.expr {
                    Expr::MethodCall(call) if call.method == "to_string" => {
                        self.method.path_template = lit_str(&call.receiver);
                    }
                    Expr::Call(call)
                        if call.to_token_stream().to_string().contains("String :: new") =>
                    {
                        self.method.path_template = Some(String::new());
                    }
                    _ => {}
                }
                if let Expr::Macro(m) = &*init.expr {
                    if m.mac.path.is_ident("format") {
                        match m.mac.parse_body_with(
                            syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated,
                        ) {
                            Ok(parts) => {
                                let mut parts = parts.into_iter();
                                self.method.path_template = parts.next().as_ref().and_then(lit_str);
                                for part in parts {
                                    // `runtime::path_segment(&self.x)` or `(&x)`: the last
                                    // identifier is the name filled in.
                                    let mut idents = Vec::new();
                                    collect_idents(part.to_token_stream(), &mut idents);
                                    self.method
                                        .path_args
                                        .push(idents.last().cloned().unwrap_or_default());
                                }
                            }
                            Err(e) => self
                                .problems
                                .push(format!("the path format! does not parse: {e}")),
                        }
                    }
                }
            }
        }
        syn::visit::visit_local(self, local);
    }

    fn visit_expr_if(&mut self, node: &'ast syn::ExprIf) {
        let mut pushed = false;
        if let Expr::Let(l) = &*node.cond {
            if let (Pat::TupleStruct(ts), Expr::Path(target)) = (&*l.pat, &*l.expr) {
                if let (Some(Pat::Ident(bound)), Some(target)) =
                    (ts.elems.first(), target.path.get_ident())
                {
                    self.bindings
                        .push((bound.ident.to_string(), target.to_string()));
                    pushed = true;
                }
            }
        }
        syn::visit::visit_expr_if(self, node);
        if pushed {
            self.bindings.pop();
        }
    }

    fn visit_expr_for_loop(&mut self, node: &'ast syn::ExprForLoop) {
        let mut pushed = false;
        if let Pat::Ident(bound) = &*node.pat {
            let mut idents = Vec::new();
            collect_idents(node.expr.to_token_stream(), &mut idents);
            if let Some(first) = idents.first() {
                self.bindings.push((bound.ident.to_string(), first.clone()));
                pushed = true;
            }
        }
        syn::visit::visit_expr_for_loop(self, node);
        if pushed {
            self.bindings.pop();
        }
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let Expr::Path(p) = &*call.func {
            let segments: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            let n = segments.len();
            let constructor = segments.last().map(String::as_str).unwrap_or_default();
            let on_request = n >= 2 && segments[n - 2] == "Request";
            let args: Vec<&Expr> = call.args.iter().collect();
            if on_request && constructor == "new" {
                self.method.request_operation = args.first().and_then(|a| lit_str(a));
                if let Some(Expr::Path(m)) = args.get(2) {
                    self.method.request_method =
                        m.path.segments.last().map(|s| s.ident.to_string());
                }
            } else if on_request && HTTP_METHODS.contains(&constructor) {
                // `Request::post(operation_id, ..)`: one constructor per method.
                self.method.request_operation = args.first().and_then(|a| lit_str(a));
                self.method.request_method = Some(constructor.to_uppercase());
            }
        }
        syn::visit::visit_expr_call(self, call);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let receiver_is_path = matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident("path"));
        if receiver_is_path && call.method == "push_str" {
            if let Some(arg) = call.args.first() {
                let template = self.method.path_template.get_or_insert_with(String::new);
                match lit_str(arg) {
                    Some(text) => template.push_str(&text),
                    None => {
                        // `&runtime::path_segment(&self.x)` or `(&x)`: the last identifier
                        // is the name filled in.
                        template.push_str("{}");
                        let mut idents = Vec::new();
                        collect_idents(arg.to_token_stream(), &mut idents);
                        self.method
                            .path_args
                            .push(idents.last().cloned().unwrap_or_default());
                    }
                }
            }
        }
        let receiver_is_request =
            matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident("request"));
        let method = call.method.to_string();
        // `request.query(..)` for a plain value; `request.query_param(.., format, ..)` (and
        // `header_param`, `cookie_param`) for one written in a style or as JSON.
        let kind = method.strip_suffix("_param").unwrap_or(&method).to_string();
        let param_call = matches!(method.as_str(), "query" | "header")
            || matches!(kind.as_str(), "query" | "header" | "cookie") && method.ends_with("_param");
        if receiver_is_request && param_call {
            let wire = call.args.first().and_then(lit_str).unwrap_or_default();
            let used = call
                .args
                .iter()
                .skip(1)
                .flat_map(|a| self.args_used(a.to_token_stream()))
                .collect();
            self.method.param_calls.push((kind, wire, used));
        } else if receiver_is_request && method == "json" {
            self.method.json_content_type = call.args.first().and_then(lit_str);
        }
        syn::visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
        if m.expr.to_token_stream().to_string().contains("status") {
            for arm in &m.arms {
                // Statuses read the same way share an arm: `400 | 404 | 500 => ...`.
                let cases: Vec<&Pat> = match &arm.pat {
                    Pat::Or(or) => or.cases.iter().collect(),
                    single => vec![single],
                };
                let body = arm.body.to_token_stream().to_string();
                for case in cases {
                    let code = match case {
                        Pat::Lit(l) => lit_int(&Expr::Lit(l.clone())),
                        Pat::Wild(_) => None,
                        other => {
                            self.problems.push(format!(
                                "a status arm with an unexpected pattern: {}",
                                other.to_token_stream()
                            ));
                            None
                        }
                    };
                    self.method.arms.push((code, body.clone()));
                }
            }
        }
        syn::visit::visit_expr_match(self, m);
    }
}

// ---------------------------------------------------------------------------------
// server.rs

#[derive(Debug, Clone)]
pub struct TraitMethod {
    pub doc: String,
    /// Arguments after `&self`, by name (the request context included).
    pub args: Vec<(String, Ty)>,
    /// The `Output = X` of the returned future.
    pub output: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamSpecLit {
    pub location: String,
    pub name: String,
    pub required: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Handler {
    pub params: Vec<ParamSpecLit>,
    /// Whether the handler reads a required body (`input.json_body(..)`) or an optional
    /// one (`input.optional_json_body(..)`), when it reads one.
    pub body_required: Option<bool>,
    /// Methods called on `service`.
    pub service_calls: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Route {
    /// The function that registers it.
    pub router_fn: String,
    pub path: String,
    /// Lower-case HTTP method and handler function name.
    pub method: String,
    pub handler: String,
}

#[derive(Debug, Default)]
pub struct ServerFile {
    pub traits: BTreeMap<String, BTreeMap<String, TraitMethod>>,
    /// Structs with named fields (the operations' input structs): field name and type.
    pub structs: BTreeMap<String, Vec<(String, Ty)>>,
    /// Response enums: variant name and payload type.
    pub enums: BTreeMap<String, Vec<(String, Option<Ty>)>>,
    /// From `impl IntoResponse for X`: the status code each variant answers with.
    pub variant_status: BTreeMap<String, BTreeMap<String, u16>>,
    pub routes: Vec<Route>,
    pub handlers: BTreeMap<String, Handler>,
    /// Functions called from each `*router` function body (to see what `router` merges).
    pub router_calls: BTreeMap<String, Vec<String>>,
}

impl ServerFile {
    /// Reads `server.rs`, with the parameter tables of `validate.rs` that its handlers
    /// read parameters through.
    pub fn read(file: &syn::File, validate: &syn::File) -> Result<ServerFile, String> {
        let tables = param_tables(validate)?;
        let mut out = ServerFile::default();
        for item in &file.items {
            match item {
                Item::Trait(t) => {
                    let mut methods = BTreeMap::new();
                    for member in &t.items {
                        if let TraitItem::Fn(f) = member {
                            let output = match &f.sig.output {
                                ReturnType::Type(_, t) => future_output(t),
                                ReturnType::Default => None,
                            };
                            methods.insert(
                                unraw(&f.sig.ident),
                                TraitMethod {
                                    doc: doc(&f.attrs),
                                    args: args_of(&f.sig),
                                    output,
                                },
                            );
                        }
                    }
                    out.traits.insert(t.ident.to_string(), methods);
                }
                Item::Struct(st) => {
                    if let Fields::Named(named) = &st.fields {
                        let fields = named
                            .named
                            .iter()
                            .filter_map(|f| Some((unraw(f.ident.as_ref()?), ty(&f.ty))))
                            .collect();
                        out.structs.insert(st.ident.to_string(), fields);
                    }
                }
                Item::Enum(e) => {
                    let variants = e
                        .variants
                        .iter()
                        .map(|v| {
                            let payload = match &v.fields {
                                Fields::Unnamed(u) if u.unnamed.len() == 1 => {
                                    Some(ty(&u.unnamed[0].ty))
                                }
                                _ => None,
                            };
                            (v.ident.to_string(), payload)
                        })
                        .collect();
                    out.enums.insert(e.ident.to_string(), variants);
                }
                Item::Impl(i) => {
                    let is_into_response = i.trait_.as_ref().is_some_and(|(_, p, _)| {
                        p.segments.last().is_some_and(|s| s.ident == "IntoResponse")
                    });
                    let syn::Type::Path(p) = &*i.self_ty else {
                        continue;
                    };
                    let Some(name) = p.path.get_ident() else {
                        continue;
                    };
                    if is_into_response {
                        let mut visitor = StatusVisitor::default();
                        visitor.visit_item_impl(i);
                        out.variant_status
                            .insert(name.to_string(), visitor.statuses);
                    }
                }
                Item::Fn(f) => {
                    let name = f.sig.ident.to_string();
                    if name.ends_with("router") || name.ends_with("routes") {
                        let mut visitor = RouterVisitor {
                            router_fn: name.clone(),
                            routes: Vec::new(),
                            calls: Vec::new(),
                        };
                        visitor.visit_block(&f.block);
                        out.routes.extend(visitor.routes);
                        out.router_calls.insert(name, visitor.calls);
                    } else if name.starts_with("handle_") {
                        let mut visitor = HandlerVisitor {
                            tables: &tables,
                            handler: Handler::default(),
                            problems: Vec::new(),
                        };
                        visitor.visit_block(&f.block);
                        if let Some(problem) = visitor.problems.first() {
                            return Err(format!("handler {name}: {problem}"));
                        }
                        out.handlers.insert(name, visitor.handler);
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }
}

/// `X` in `impl Future<Output = X> + Send`.
fn future_output(t: &syn::Type) -> Option<String> {
    let syn::Type::ImplTrait(it) = t else {
        return None;
    };
    it.bounds.iter().find_map(|b| match b {
        syn::TypeParamBound::Trait(tb) => {
            let last = tb.path.segments.last()?;
            let syn::PathArguments::AngleBracketed(a) = &last.arguments else {
                return None;
            };
            a.args.iter().find_map(|arg| match arg {
                syn::GenericArgument::AssocType(at) if at.ident == "Output" => match &at.ty {
                    syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                    _ => None,
                },
                _ => None,
            })
        }
        _ => None,
    })
}

#[derive(Default)]
struct StatusVisitor {
    statuses: BTreeMap<String, u16>,
}

impl<'ast> Visit<'ast> for StatusVisitor {
    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        let variant = match &arm.pat {
            Pat::TupleStruct(ts) => ts.path.segments.last().map(|s| s.ident.to_string()),
            Pat::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        if let Some(variant) = variant {
            // The status is a named constant (`StatusCode::BAD_REQUEST`) or the literal
            // of `StatusCode::from_u16(NNN)` in the arm's body.
            let mut literals = Vec::new();
            collect_u16(arm.body.to_token_stream(), &mut literals);
            let mut constants = Vec::new();
            collect_status_constants(arm.body.to_token_stream(), &mut constants);
            // `from_u16(NNN).unwrap_or(INTERNAL_SERVER_ERROR)` names both: the literal wins.
            let codes = if literals.is_empty() {
                constants
            } else {
                literals
            };
            if let [code] = codes.as_slice() {
                self.statuses.insert(variant, *code);
            }
        }
        syn::visit::visit_arm(self, arm);
    }
}

/// The code of each `StatusCode::NAME` in `tokens`, by the names the `http` crate gives
/// the registered statuses.
fn collect_status_constants(tokens: TokenStream, out: &mut Vec<u16>) {
    const NAMES: &[(&str, u16)] = &[
        ("CONTINUE", 100),
        ("SWITCHING_PROTOCOLS", 101),
        ("OK", 200),
        ("CREATED", 201),
        ("ACCEPTED", 202),
        ("NON_AUTHORITATIVE_INFORMATION", 203),
        ("NO_CONTENT", 204),
        ("RESET_CONTENT", 205),
        ("PARTIAL_CONTENT", 206),
        ("MOVED_PERMANENTLY", 301),
        ("FOUND", 302),
        ("SEE_OTHER", 303),
        ("NOT_MODIFIED", 304),
        ("TEMPORARY_REDIRECT", 307),
        ("PERMANENT_REDIRECT", 308),
        ("BAD_REQUEST", 400),
        ("UNAUTHORIZED", 401),
        ("PAYMENT_REQUIRED", 402),
        ("FORBIDDEN", 403),
        ("NOT_FOUND", 404),
        ("METHOD_NOT_ALLOWED", 405),
        ("NOT_ACCEPTABLE", 406),
        ("REQUEST_TIMEOUT", 408),
        ("CONFLICT", 409),
        ("GONE", 410),
        ("LENGTH_REQUIRED", 411),
        ("PRECONDITION_FAILED", 412),
        ("PAYLOAD_TOO_LARGE", 413),
        ("URI_TOO_LONG", 414),
        ("UNSUPPORTED_MEDIA_TYPE", 415),
        ("RANGE_NOT_SATISFIABLE", 416),
        ("EXPECTATION_FAILED", 417),
        ("UNPROCESSABLE_ENTITY", 422),
        ("LOCKED", 423),
        ("TOO_EARLY", 425),
        ("PRECONDITION_REQUIRED", 428),
        ("TOO_MANY_REQUESTS", 429),
        ("REQUEST_HEADER_FIELDS_TOO_LARGE", 431),
        ("UNAVAILABLE_FOR_LEGAL_REASONS", 451),
        ("INTERNAL_SERVER_ERROR", 500),
        ("NOT_IMPLEMENTED", 501),
        ("BAD_GATEWAY", 502),
        ("SERVICE_UNAVAILABLE", 503),
        ("GATEWAY_TIMEOUT", 504),
        ("HTTP_VERSION_NOT_SUPPORTED", 505),
    ];
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) if ident == "StatusCode" => {
                // `StatusCode` `:` `:` `NAME`
                if let Some(TokenTree::Ident(name)) = trees.get(i + 3) {
                    if let Some((_, code)) = NAMES.iter().find(|(n, _)| name == n) {
                        out.push(*code);
                    }
                }
            }
            TokenTree::Group(g) => collect_status_constants(g.stream(), out),
            _ => {}
        }
    }
}

fn collect_u16(tokens: TokenStream, out: &mut Vec<u16>) {
    for tree in tokens {
        match tree {
            TokenTree::Literal(lit) => {
                if let Ok(Lit::Int(i)) = syn::parse2::<Lit>(lit.into_token_stream()) {
                    if i.suffix() == "u16" || i.suffix().is_empty() {
                        if let Ok(code) = i.base10_parse::<u16>() {
                            out.push(code);
                        }
                    }
                }
            }
            TokenTree::Group(g) => collect_u16(g.stream(), out),
            _ => {}
        }
    }
}

struct RouterVisitor {
    router_fn: String,
    routes: Vec<Route>,
    calls: Vec<String>,
}

const HTTP_METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl<'ast> Visit<'ast> for RouterVisitor {
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        if call.method == "route" {
            if let (Some(path), Some(chain)) =
                (call.args.first().and_then(lit_str), call.args.iter().nth(1))
            {
                let mut finder = MethodFinder::default();
                finder.visit_expr(chain);
                for (method, handler) in finder.found {
                    self.routes.push(Route {
                        router_fn: self.router_fn.clone(),
                        path: path.clone(),
                        method,
                        handler,
                    });
                }
            }
        }
        syn::visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let Expr::Path(p) = &*call.func {
            if let Some(last) = p.path.segments.last() {
                self.calls.push(last.ident.to_string());
            }
        }
        syn::visit::visit_expr_call(self, call);
    }
}

/// Whether `call` calls a function whose path ends in `name`.
fn is_call_to(call: &syn::ExprCall, name: &str) -> bool {
    matches!(&*call.func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
}

#[derive(Default)]
struct MethodFinder {
    found: Vec<(String, String)>,
}

impl<'ast> Visit<'ast> for MethodFinder {
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let method = call.method.to_string();
        if HTTP_METHODS.contains(&method.as_str()) {
            // The handler itself, or wrapped as `runtime::finished(handler, finishing)` or
            // `runtime::finished_reader(handler, finishing)`.
            let handler = match call.args.first() {
                Some(Expr::Call(wrapped))
                    if is_call_to(wrapped, "finished")
                        || is_call_to(wrapped, "finished_reader") =>
                {
                    wrapped.args.first()
                }
                other => other,
            };
            if let Some(Expr::Path(handler)) = handler {
                if let Some(last) = handler.path.segments.last() {
                    self.found.push((method, last.ident.to_string()));
                }
            }
        }
        syn::visit::visit_expr_method_call(self, call);
    }
}

/// The parameter tables of `validate.rs`: `pub mod params { pub static OP: [Param; N] =
/// [Param::path("name", ..), Param::query("name", ..).required(),
/// Param::header("name", ..)]; }`, by static name.
fn param_tables(validate: &syn::File) -> Result<BTreeMap<String, Vec<ParamSpecLit>>, String> {
    let mut tables = BTreeMap::new();
    for item in &validate.items {
        let Item::Mod(m) = item else { continue };
        if m.ident != "params" {
            continue;
        }
        for item in m.content.iter().flat_map(|(_, items)| items) {
            let Item::Static(st) = item else { continue };
            let Expr::Array(list) = &*st.expr else {
                return Err(format!("params::{} is not an array literal", st.ident));
            };
            let mut specs = Vec::new();
            for element in &list.elems {
                specs.push(param_lit(element).ok_or_else(|| {
                    format!(
                        "params::{}: not a literal Param::path/query/header/cookie(..): {}",
                        st.ident,
                        element.to_token_stream()
                    )
                })?);
            }
            tables.insert(st.ident.to_string(), specs);
        }
    }
    Ok(tables)
}

/// One `Param::path("name", ..)`, `Param::query("name", ..)`, `Param::header("name", ..)`
/// or `Param::cookie("name", ..)`, followed by `.required()` for a required one that is
/// not in the path (and, for how the value is written, `.exploded()`, `.style(..)`,
/// `.json()`, `.segment(..)`, `.beside(..)`).
fn param_lit(expr: &Expr) -> Option<ParamSpecLit> {
    let mut required_call = false;
    let mut expr = expr;
    while let Expr::MethodCall(call) = expr {
        match call.method.to_string().as_str() {
            "required" => required_call = true,
            "exploded" | "style" | "json" | "segment" | "beside" => {}
            _ => return None,
        }
        expr = &call.receiver;
    }
    let Expr::Call(call) = expr else { return None };
    let Expr::Path(func) = &*call.func else {
        return None;
    };
    let constructor = func.path.segments.last()?.ident.to_string();
    let name = lit_str(call.args.first()?)?;
    let (location, required) = match constructor.as_str() {
        "path" => ("Path", true),
        "query" => ("Query", required_call),
        "header" => ("Header", required_call),
        "cookie" => ("Cookie", required_call),
        _ => return None,
    };
    Some(ParamSpecLit {
        location: location.to_string(),
        name,
        required,
    })
}

struct HandlerVisitor<'t> {
    tables: &'t BTreeMap<String, Vec<ParamSpecLit>>,
    handler: Handler,
    problems: Vec<String>,
}

impl HandlerVisitor<'_> {
    /// `input.param(&validate::params::OP[i])`: the i-th entry of table `OP`.
    fn param(&mut self, call: &syn::ExprMethodCall) {
        let found = (|| {
            let Some(Expr::Reference(r)) = call.args.first() else {
                return None;
            };
            let Expr::Index(index) = &*r.expr else {
                return None;
            };
            let Expr::Path(table) = &*index.expr else {
                return None;
            };
            let Expr::Lit(syn::ExprLit {
                lit: Lit::Int(i), ..
            }) = &*index.index
            else {
                return None;
            };
            let table = table.path.segments.last()?.ident.to_string();
            let i: usize = i.base10_parse().ok()?;
            self.tables.get(&table)?.get(i).cloned()
        })();
        match found {
            Some(spec) => self.handler.params.push(spec),
            None => self.problems.push(format!(
                "a parameter read from no known params table entry: {}",
                call.to_token_stream()
            )),
        }
    }
}

impl<'ast> Visit<'ast> for HandlerVisitor<'_> {
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        if matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident("service")) {
            self.handler.service_calls.push(call.method.to_string());
        }
        if matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident("input")) {
            if call.method == "param" {
                self.param(call);
            }
            // `json_body(..)` reads a required body, `optional_json_body(..)` an optional one.
            if call.method == "json_body" {
                self.handler.body_required = Some(true);
            }
            if call.method == "optional_json_body" {
                self.handler.body_required = Some(false);
            }
        }
        syn::visit::visit_expr_method_call(self, call);
    }
}
