//! The server crate's `validate` module: every named schema of the spec as a static
//! rule (`runtime::validate::Schema`), plain data written with the runtime's `const fn`
//! constructors, plus the parameters and inline bodies of each operation. The runtime's
//! walker interprets the rules, so the generated code stays small: one line per property.

use std::collections::HashMap;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{ident, Emit};
use crate::ir::{
    Api, Constraints, Content, ContentKind, IntFormat, NumFormat, Operation, ParamEncoding,
    ParamLocation, ParamShape, ParamStyle, Parameter, Schema, Segment, StringFormat, TypeDef,
    TypeKind, TypeRef,
};

/// The statics of the module, by what they check (names from `Api::names`).
pub struct Statics {
    types: Vec<Ident>,
    patterns: HashMap<String, Ident>,
    operations: Vec<Ident>,
    /// Per operation, per content of its request body.
    bodies: Vec<Vec<Ident>>,
}

impl Statics {
    pub fn of(api: &Api) -> Self {
        let names = &api.names;
        Statics {
            types: names.types.iter().map(|t| ident(&t.rule_static)).collect(),
            patterns: names
                .patterns
                .iter()
                .map(|p| (p.pattern.clone(), ident(&p.name)))
                .collect(),
            operations: names
                .operations
                .iter()
                .map(|o| ident(&o.rules_static))
                .collect(),
            bodies: names
                .operations
                .iter()
                .map(|o| o.body_statics.iter().map(|n| ident(n)).collect())
                .collect(),
        }
    }

    fn pattern(&self, pattern: &str) -> &Ident {
        &self.patterns[pattern]
    }

    /// The static of an operation's parameters (`params::NAME`) and inline body
    /// (`bodies::NAME`).
    pub fn operation(&self, index: usize) -> &Ident {
        &self.operations[index]
    }

    /// The static of the named schema `api.types[index]`.
    pub fn named(&self, index: usize) -> &Ident {
        &self.types[index]
    }
}

/// The `validate` module, an item at a time; nothing goes before them.
pub fn module(api: &Api, emit: &mut Emit) -> TokenStream {
    let statics = Statics::of(api);
    let patterns = api.names.patterns.iter().map(|p| {
        let name = ident(&p.name);
        let pattern = &p.pattern;
        quote! { static #name: Pattern = Pattern::new(#pattern); }
    });
    // Each part only when it has something in it: no empty modules, no unused imports.
    if !api.types.is_empty() || !api.names.patterns.is_empty() {
        emit(quote! { use crate::runtime::validate::*; });
    }
    patterns.for_each(&mut *emit);
    let types = api.types.iter().enumerate().map(|(i, def)| {
        let name = statics.named(i);
        let doc = format!(" `{}` (`{}`).", def.name, def.pointer);
        let rule = named_rule(api, &statics, def);
        quote! {
            #[doc = #doc]
            pub static #name: Schema = #rule;
        }
    });
    types.for_each(&mut *emit);
    let params = api
        .operations
        .iter()
        .enumerate()
        .filter(|(_, op)| !op.params.is_empty())
        .map(|(i, op)| {
            let name = statics.operation(i);
            let count = op.params.len();
            let doc = format!(
                " The parameters of `{}`, in the order of its handler.",
                op.operation_id
            );
            let list = op.params.iter().map(|p| param_expr(api, &statics, op, p));
            quote! {
                #[doc = #doc]
                pub static #name: [Param; #count] = [#(#list),*];
            }
        })
        .collect::<Vec<_>>();
    let bodies = api
        .operations
        .iter()
        .enumerate()
        .flat_map(|(i, op)| {
            op.body
                .iter()
                .flat_map(|b| &b.contents)
                .enumerate()
                .map(move |(j, content)| (i, op, j, content))
        })
        .filter(|(_, _, _, content)| has_inline_rule(content))
        .map(|(i, op, j, content)| {
            let name = &statics.bodies[i][j];
            let doc = if op.body.as_ref().is_some_and(|b| b.contents.len() > 1) {
                format!(
                    " The request body of `{}` sent as `{}`.",
                    op.operation_id, content.media_types[0]
                )
            } else {
                format!(" The request body of `{}`.", op.operation_id)
            };
            let schema = schema_expr(api, &statics, &content.schema, &quote! { super:: });
            quote! {
                #[doc = #doc]
                pub static #name: Schema = #schema;
            }
        })
        .collect::<Vec<_>>();
    let styled = api.operations.iter().flat_map(|op| &op.params).any(|p| {
        matches!(&p.encoding, ParamEncoding::Style { style, .. } if *style != p.location.default_style())
    });
    let style_import = styled.then(|| quote! { , Style });
    let piece_import = api
        .operations
        .iter()
        .flat_map(|op| &op.mixed_segments)
        .any(|m| m.parts.iter().any(|part| matches!(part, Segment::Param(_))))
        .then(|| quote! { , Piece });
    if !params.is_empty() {
        emit(quote! {
            /// The parameters of each operation that has any.
            pub mod params {
                use crate::runtime::{validate::*, Param #style_import #piece_import};

                #(#params)*
            }
        });
    }
    if !bodies.is_empty() {
        emit(quote! {
            /// The request bodies that are not a named schema.
            pub mod bodies {
                use crate::runtime::validate::*;

                #(#bodies)*
            }
        });
    }
    TokenStream::new()
}

/// One entry of an operation's parameter table: `Param::query("name", rule)` and what
/// sets it apart (`.required()`, `.exploded()`, its style, JSON, where a path parameter
/// sits, the names an open exploded object does not take).
fn param_expr(api: &Api, statics: &Statics, op: &Operation, p: &Parameter) -> TokenStream {
    let wire = &p.wire_name;
    let schema = schema_expr(api, statics, &p.schema, &quote! { super:: });
    let constructor = match p.location {
        ParamLocation::Path => quote! { path },
        ParamLocation::Query => quote! { query },
        ParamLocation::Header => quote! { header },
        ParamLocation::Cookie => quote! { cookie },
    };
    let required =
        (p.required && p.location != ParamLocation::Path).then(|| quote! { .required() });
    let exploded = p.explodes().then(|| quote! { .exploded() });
    let style = match &p.encoding {
        ParamEncoding::Json { .. } => Some(quote! { .json() }),
        ParamEncoding::Style { style, .. } if *style != p.location.default_style() => {
            let style = ident(match style {
                ParamStyle::Form => "Form",
                ParamStyle::Simple => "Simple",
                ParamStyle::Label => "Label",
                ParamStyle::Matrix => "Matrix",
                ParamStyle::SpaceDelimited => "SpaceDelimited",
                ParamStyle::PipeDelimited => "PipeDelimited",
                ParamStyle::DeepObject => "DeepObject",
            });
            Some(quote! { .style(Style::#style) })
        }
        ParamEncoding::Style { .. } => None,
    };
    // A path parameter in a style is split before it is decoded: the server reads its
    // raw piece of the path.
    // A path parameter that shares its segment with text is always read from its part
    // of the raw segment.
    let within = op.mixed_segments.iter().find(|m| {
        p.location == ParamLocation::Path && m.parts.contains(&Segment::Param(p.wire_name.clone()))
    });
    let segment = match within {
        Some(m) => {
            let index = Literal::usize_unsuffixed(m.index);
            let pieces = m.parts.iter().map(|part| match part {
                Segment::Literal(text) => quote! { Piece::Text(#text) },
                Segment::Param(name) => quote! { Piece::Param(#name) },
            });
            Some(quote! { .within(#index, &[#(#pieces),*]) })
        }
        None => (p.location == ParamLocation::Path && !p.is_plain())
            .then(|| op.path_piece(&p.wire_name))
            .flatten()
            .map(|index| {
                let index = Literal::usize_unsuffixed(index);
                quote! { .segment(#index) }
            }),
    };
    // An exploded object that takes any property takes every pair no other parameter
    // of its location names.
    let open = matches!(
        p.encoding,
        ParamEncoding::Style {
            style: ParamStyle::Form | ParamStyle::SpaceDelimited | ParamStyle::PipeDelimited,
            shape: ParamShape::Object { open: true } | ParamShape::Union { open: true },
            ..
        }
    );
    let beside = (open && p.explodes()).then(|| {
        let others = op
            .params
            .iter()
            .filter(|q| q.location == p.location && q.wire_name != p.wire_name)
            .map(|q| &q.wire_name);
        quote! { .beside(&[#(#others),*]) }
    });
    quote! { Param::#constructor(#wire, #schema) #required #exploded #style #segment #beside }
}

/// Whether the module would be empty: no named schemas, no operation with parameters
/// or an inline body.
pub fn is_empty(api: &Api) -> bool {
    api.types.is_empty()
        && api.operations.iter().all(|op| {
            op.params.is_empty()
                && op
                    .body
                    .iter()
                    .flat_map(|b| &b.contents)
                    .all(|c| !has_inline_rule(c))
        })
}

/// Whether a body content is checked by a static of its own in `validate::bodies`: it
/// is checked (a binary body is not) and not a named schema.
fn has_inline_rule(content: &Content) -> bool {
    content.kind != ContentKind::Binary && named_body(&content.schema).is_none()
}

/// The index of the named schema a body is, if its static can be used as it is.
pub fn named_body(schema: &Schema) -> Option<usize> {
    match &schema.ty {
        TypeRef::Named(id)
            if schema.constraints.is_empty() && schema.lenient.is_empty() && !schema.nullable =>
        {
            Some(id.0)
        }
        _ => None,
    }
}

/// The path of the static that checks content `content` of operation `index`'s body,
/// from the `server` module.
pub fn body_static(
    statics: &Statics,
    index: usize,
    content: usize,
    schema: &Schema,
) -> TokenStream {
    match named_body(schema) {
        Some(named) => {
            let name = statics.named(named);
            quote! { validate::#name }
        }
        None => {
            let name = &statics.bodies[index][content];
            quote! { validate::bodies::#name }
        }
    }
}

/// The path of an operation's parameter statics, from the `server` module.
pub fn params_static(statics: &Statics, index: usize) -> TokenStream {
    let name = statics.operation(index);
    quote! { validate::params::#name }
}

fn named_rule(api: &Api, statics: &Statics, def: &TypeDef) -> TokenStream {
    let here = quote! {};
    match &def.kind {
        TypeKind::Struct(s) => {
            let fields = s.fields.iter().map(|f| {
                let wire = &f.wire_name;
                let schema = schema_expr(api, statics, &f.schema, &here);
                if f.required {
                    quote! { required(#wire, #schema) }
                } else {
                    quote! { optional(#wire, #schema) }
                }
            });
            match &s.additional {
                Some(values) => {
                    let values = schema_expr(api, statics, values, &here);
                    quote! { object(&[#(#fields),*]).additional(&#values) }
                }
                None => quote! { object(&[#(#fields),*]) },
            }
        }
        TypeKind::Enum(e) => {
            let values = e.values.iter().map(|v| &v.wire);
            quote! { enumeration(&[#(#values),*]) }
        }
        TypeKind::Union(u) => {
            let alternatives = u
                .variants
                .iter()
                .map(|v| schema_expr(api, statics, &v.schema, &here));
            match &u.discriminator {
                Some(d) => {
                    let property = &d.property;
                    let values = &d.values;
                    quote! { union(&[#(#alternatives),*]).discriminator(#property, &[#(#values),*]) }
                }
                None => quote! { union(&[#(#alternatives),*]) },
            }
        }
        TypeKind::Alias(schema) => schema_expr(api, statics, schema, &here),
    }
}

/// The rule of one use of a schema; `prefix` names the module of the statics (empty
/// inside the `validate` module, `super::` from its submodules).
fn schema_expr(api: &Api, statics: &Statics, schema: &Schema, prefix: &TokenStream) -> TokenStream {
    let mut expr = type_expr(api, statics, &schema.ty, &schema.constraints, prefix);
    if !schema.lenient.is_empty() {
        let others = schema
            .lenient
            .iter()
            .map(|ty| type_expr(api, statics, ty, &Constraints::default(), prefix));
        expr = quote! { #expr.or(&[#(#others),*]) };
    }
    if !schema.constraints.allowed.is_empty() {
        let json = serde_json::Value::Array(schema.constraints.allowed.clone()).to_string();
        expr = quote! { #expr.allowed(#json) };
    }
    if schema.nullable {
        expr = quote! { #expr.nullable() };
    }
    expr
}

/// `.name(n)` when the limit is set.
fn limit(name: &str, value: Option<usize>) -> Option<TokenStream> {
    let method = ident(name);
    value.map(|v| {
        let v = Literal::usize_unsuffixed(v);
        quote! { .#method(#v) }
    })
}

/// `.name(x)` when the bound is set.
fn bound(name: &str, value: Option<f64>) -> Option<TokenStream> {
    let method = ident(name);
    value.map(|v| {
        let v = Literal::f64_unsuffixed(v);
        quote! { .#method(#v) }
    })
}

/// The numeric bounds the spec sets, as builder calls.
fn bounds(c: &Constraints) -> TokenStream {
    let (min, max) = match (c.exclusive_minimum, c.exclusive_maximum) {
        (false, false) => ("minimum", "maximum"),
        (true, false) => ("exclusive_minimum", "maximum"),
        (false, true) => ("minimum", "exclusive_maximum"),
        (true, true) => ("exclusive_minimum", "exclusive_maximum"),
    };
    let calls = [
        bound(min, c.minimum),
        bound(max, c.maximum),
        bound("multiple_of", c.multiple_of),
    ];
    let calls = calls.into_iter().flatten();
    quote! { #(#calls)* }
}

fn type_expr(
    api: &Api,
    statics: &Statics,
    ty: &TypeRef,
    c: &Constraints,
    prefix: &TokenStream,
) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            let name = statics.named(id.0);
            quote! { to(&#prefix #name) }
        }
        TypeRef::String(format) => {
            let format = match format {
                StringFormat::DateTime => Some(quote! { .format(Format::DateTime) }),
                StringFormat::Date => Some(quote! { .format(Format::Date) }),
                _ => None,
            };
            let pattern = c.pattern.as_ref().map(|p| {
                let name = statics.pattern(p);
                quote! { .pattern(&#prefix #name) }
            });
            let calls = [
                limit("min_length", c.min_length),
                limit("max_length", c.max_length),
                pattern,
                format,
            ];
            let calls = calls.into_iter().flatten();
            quote! { string() #(#calls)* }
        }
        TypeRef::Integer(format) => {
            let format = match format {
                IntFormat::I8 => quote! { IntFormat::I8 },
                IntFormat::I16 => quote! { IntFormat::I16 },
                IntFormat::I32 => quote! { IntFormat::I32 },
                IntFormat::I64 => quote! { IntFormat::I64 },
                IntFormat::U8 => quote! { IntFormat::U8 },
                IntFormat::U16 => quote! { IntFormat::U16 },
                IntFormat::U32 => quote! { IntFormat::U32 },
                IntFormat::U64 => quote! { IntFormat::U64 },
            };
            let bounds = bounds(c);
            quote! { integer(#format) #bounds }
        }
        TypeRef::Number(format) => {
            let format = match format {
                NumFormat::F32 => quote! { NumFormat::Float },
                NumFormat::F64 => quote! { NumFormat::Double },
            };
            let bounds = bounds(c);
            quote! { number(#format) #bounds }
        }
        TypeRef::Boolean => quote! { boolean() },
        TypeRef::Array(items) => {
            let items = schema_expr(api, statics, items, prefix);
            let unique = c.unique_items.then(|| quote! { .unique_items() });
            let calls = [
                limit("min_items", c.min_items),
                limit("max_items", c.max_items),
                unique,
            ];
            let calls = calls.into_iter().flatten();
            quote! { array(&#items) #(#calls)* }
        }
        TypeRef::Map(values) => {
            let values = schema_expr(api, statics, values, prefix);
            let calls = [
                limit("min_properties", c.min_properties),
                limit("max_properties", c.max_properties),
            ];
            let calls = calls.into_iter().flatten();
            quote! { map(&#values) #(#calls)* }
        }
        TypeRef::FreeObject => {
            let calls = [
                limit("min_properties", c.min_properties),
                limit("max_properties", c.max_properties),
            ];
            let calls = calls.into_iter().flatten();
            quote! { free_object() #(#calls)* }
        }
        TypeRef::Any => quote! { any() },
    }
}
