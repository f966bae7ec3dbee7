//! Code generation: IR → `proc_macro2::TokenStream`, one module per output file.
//!
//! Only the IR is read here, names included: every identifier the generated code
//! declares comes from the IR (`Api::names` and the spec's names), and the few written
//! literally (`Client`, `router`, `ctx`, `body`, ...) are reserved by `lower::names` in
//! their namespaces. Helpers shared by the client and server generators live in this
//! module: doc attributes, identifiers, imports, and the Rust type of a schema.

pub mod client;
mod client_bodies;
pub mod server;
mod server_bodies;
pub mod types;
pub mod validate;

use std::collections::BTreeSet;

use proc_macro2::{Ident, Spacing, Span, TokenStream, TokenTree};
use quote::quote;

use crate::ir::{Api, IntFormat, NumFormat, Schema, TypeKind, TypeRef};
use crate::naming;

/// `#[doc = " line"]` attributes, one per line of `text`. A line ends at `\n`, `\r\n` or
/// a lone `\r` (which rustc refuses inside a doc comment).
pub fn docs(text: &str) -> TokenStream {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines = text.trim().lines().map(|line| {
        let line = format!(" {}", line.trim_end());
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}

/// Doc attributes from optional summary and description, separated by a blank line.
pub fn docs_from(parts: &[Option<&str>]) -> TokenStream {
    let text: Vec<&str> = parts
        .iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    docs(&text.join("\n\n"))
}

/// An identifier, raw if it is a keyword (`r#type`).
pub fn ident(name: &str) -> Ident {
    if naming::is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// Where a module built in pieces puts them, in order: each piece is one or more whole
/// items, printed before the next is built so that the module's tokens are never all
/// alive at once. The function building the module returns the items that go before
/// the pieces (its `use` items, which depend on what the pieces use).
pub type Emit<'a> = dyn FnMut(TokenStream) + 'a;

/// One `use` item per path, for the names of `imports` that `body` uses. Each import is
/// `(path, [(name, local)])`, `local` being how the module spells the name: the name
/// itself, or an alias when a spec name took it. A module (a lower-case name) counts as
/// used only at the start of a path, so that a local of the same name does not count;
/// `("self", module)` imports the path's own module.
pub fn uses(body: &TokenStream, imports: &[(&str, &[(&str, &str)])]) -> TokenStream {
    let mut used = UsedNames::default();
    used.add(body);
    used.uses(imports)
}

/// The names a module's items use, collected an item at a time, for a module that is
/// built and printed in pieces (see [`Emit`]): [`uses`] of the pieces together.
#[derive(Debug, Default)]
pub struct UsedNames(BTreeSet<String>);

impl UsedNames {
    /// Adds the names `piece` (one or more whole items) uses.
    pub fn add(&mut self, piece: &TokenStream) {
        collect_used_names(piece.clone(), &mut self.0);
    }

    /// [`uses`] for the items added so far.
    pub fn uses(&self, imports: &[(&str, &[(&str, &str)])]) -> TokenStream {
        let used = &self.0;
        let mut out = TokenStream::new();
        for (path, names) in imports {
            let path: TokenStream = path.parse().expect("import paths are Rust paths");
            let used_names: Vec<&(&str, &str)> = names
                .iter()
                .filter(|(_, local)| used.contains(*local))
                .collect();
            let items = used_names.iter().map(|(name, local)| {
                if *name == "self" {
                    return quote! { self };
                }
                let (name, local) = (ident(name), ident(local));
                if name == local {
                    quote! { #name }
                } else {
                    quote! { #name as #local }
                }
            });
            match used_names.as_slice() {
                [] => {}
                [("self", _)] => out.extend(quote! { use #path; }),
                [_] => out.extend(quote! { use #path::#(#items)*; }),
                _ => out.extend(quote! { use #path::{#(#items),*}; }),
            }
        }
        out
    }
}

/// The names `tokens` refer to by themselves: bare names and the first segments of
/// paths, not members (`x.name`), later path segments (`a::name`) or the fields and
/// arguments being declared (`name: T`). A lower-case name is collected only at the
/// start of a path (`name::`).
fn collect_used_names(tokens: TokenStream, out: &mut BTreeSet<String>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let punct =
        |i: usize, c: char| matches!(trees.get(i), Some(TokenTree::Punct(p)) if p.as_char() == c);
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Group(group) => collect_used_names(group.stream(), out),
            TokenTree::Ident(name) => {
                let member = i >= 1 && punct(i - 1, '.');
                let later_segment = i >= 2 && punct(i - 1, ':') && punct(i - 2, ':');
                let (declared, path_start) = match trees.get(i + 1) {
                    Some(TokenTree::Punct(p)) if p.as_char() == ':' => {
                        (p.spacing() == Spacing::Alone, p.spacing() == Spacing::Joint)
                    }
                    _ => (false, false),
                };
                let name = name.to_string();
                let module = name.starts_with(|c: char| c.is_ascii_lowercase());
                if !member && !later_segment && !declared && (path_start || !module) {
                    out.insert(name);
                }
            }
            TokenTree::Punct(_) | TokenTree::Literal(_) => {}
        }
    }
}

/// The Rust type of a schema where it is used, with `types_path` in front of named types
/// (e.g. `super::types::`).
pub fn rust_type(api: &Api, ty: &TypeRef, types_path: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            let def = &api.types[id.0];
            if let TypeKind::Alias(schema) = &def.kind {
                return rust_type(api, &schema.ty, types_path);
            }
            let name = ident(&def.rust_name);
            quote! { #types_path #name }
        }
        TypeRef::String(_) => quote! { String },
        TypeRef::Integer(format) => match format {
            IntFormat::I8 => quote! { i8 },
            IntFormat::I16 => quote! { i16 },
            IntFormat::I32 => quote! { i32 },
            IntFormat::I64 => quote! { i64 },
            IntFormat::U8 => quote! { u8 },
            IntFormat::U16 => quote! { u16 },
            IntFormat::U32 => quote! { u32 },
            IntFormat::U64 => quote! { u64 },
        },
        TypeRef::Number(NumFormat::F32) => quote! { f32 },
        TypeRef::Number(NumFormat::F64) => quote! { f64 },
        TypeRef::Boolean => quote! { bool },
        TypeRef::Array(items) => {
            let inner = rust_type(api, &items.ty, types_path);
            quote! { Vec<#inner> }
        }
        TypeRef::Map(values) => {
            let inner = rust_type(api, &values.ty, types_path);
            quote! { ::std::collections::BTreeMap<String, #inner> }
        }
        TypeRef::FreeObject => {
            quote! { ::serde_json::Map<String, ::serde_json::Value> }
        }
        TypeRef::Any => quote! { ::serde_json::Value },
    }
}

/// Whether the type can derive `Eq` and `Hash` (no floats and no JSON values inside).
pub fn is_eq(api: &Api, ty: &TypeRef, seen: &mut Vec<usize>) -> bool {
    match ty {
        TypeRef::Number(_) | TypeRef::FreeObject | TypeRef::Any => false,
        TypeRef::Map(_) => false,
        TypeRef::Array(items) => is_eq(api, &items.ty, seen),
        TypeRef::Named(id) => {
            if seen.contains(&id.0) {
                return true;
            }
            seen.push(id.0);
            match &api.types[id.0].kind {
                TypeKind::Struct(s) => {
                    s.additional.is_none()
                        && s.fields.iter().all(|f| is_eq(api, &f.schema.ty, seen))
                }
                TypeKind::Enum(_) => true,
                TypeKind::Union(u) => u.variants.iter().all(|v| is_eq(api, &v.schema.ty, seen)),
                TypeKind::Alias(s) => is_eq(api, &s.ty, seen),
            }
        }
        _ => true,
    }
}

/// The lenient decoder a field needs, if any: the function in the runtime's
/// `lenient` module, without the `option_` prefix.
pub fn lenient_decoder(schema: &Schema) -> Option<&'static str> {
    if schema.lenient.is_empty() {
        return None;
    }
    Some(match &schema.ty {
        TypeRef::Boolean => "boolean",
        TypeRef::Integer(_) => "integer",
        TypeRef::Number(_) => "number",
        TypeRef::Array(_) => "string_list",
        _ => "string",
    })
}

/// A line naming the request an operation sends, e.g. ``Sends `POST /v1/{id}`.``
pub fn request_line(method: &str, path: &str) -> String {
    format!("Sends `{method} {path}`.")
}

#[cfg(test)]
mod tests {
    use super::docs;

    #[test]
    fn doc_lines_end_at_any_line_break() {
        let rendered = docs("one\r\ntwo\rthree\nfour ").to_string();
        assert!(!rendered.contains('\r'), "{rendered}");
        for line in [" one", " two", " three", " four"] {
            assert!(rendered.contains(&format!("\"{line}\"")), "{rendered}");
        }
    }
}
