//! The server crate's `validate` module: every named schema of the spec as a static
//! rule (`runtime::validate::Schema`), plain data written with the runtime's `const fn`
//! constructors, plus the parameters and inline bodies of each operation. The runtime's
//! walker interprets the rules, so the generated code stays small: one line per property.

use std::collections::HashMap;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{
    Api, Constraints, IntFormat, NumFormat, ParamLocation, Schema, StringFormat, TypeDef, TypeKind,
    TypeRef,
};
use crate::naming::{snake, Scope};

/// The names the module gives to named schemas and patterns.
pub struct Statics {
    types: Vec<Ident>,
    /// Every distinct pattern, in the order first met, and where it is in that list.
    patterns: Vec<String>,
    pattern_index: HashMap<String, usize>,
    operations: Vec<Ident>,
}

impl Statics {
    pub fn of(api: &Api) -> Self {
        let mut names = Scope::new();
        let types = api
            .types
            .iter()
            .map(|def| format_ident!("{}", names.claim(snake(&def.rust_name).to_uppercase())))
            .collect();
        let mut found = Vec::new();
        for def in &api.types {
            match &def.kind {
                TypeKind::Struct(s) => {
                    for field in &s.fields {
                        collect_patterns(&field.schema, &mut found);
                    }
                    if let Some(additional) = &s.additional {
                        collect_patterns(additional, &mut found);
                    }
                }
                TypeKind::Union(u) => {
                    for variant in &u.variants {
                        collect_patterns(&variant.schema, &mut found);
                    }
                }
                TypeKind::Alias(schema) => collect_patterns(schema, &mut found),
                TypeKind::Enum(_) => {}
            }
        }
        for op in &api.operations {
            for param in &op.params {
                collect_patterns(&param.schema, &mut found);
            }
            if let Some(body) = &op.body {
                collect_patterns(&body.schema, &mut found);
            }
        }
        let mut patterns = Vec::new();
        let mut pattern_index = HashMap::new();
        for pattern in found {
            pattern_index.entry(pattern.clone()).or_insert_with(|| {
                patterns.push(pattern);
                patterns.len() - 1
            });
        }
        let mut names = Scope::new();
        let operations = api
            .operations
            .iter()
            .map(|op| {
                let name = snake(op.rust_name.trim_start_matches("r#")).to_uppercase();
                format_ident!("{}", names.claim(name))
            })
            .collect();
        Statics {
            types,
            patterns,
            pattern_index,
            operations,
        }
    }

    fn pattern(&self, pattern: &str) -> Ident {
        format_ident!("PATTERN_{}", self.pattern_index[pattern])
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

fn collect_patterns(schema: &Schema, found: &mut Vec<String>) {
    if let Some(pattern) = &schema.constraints.pattern {
        found.push(pattern.clone());
    }
    match &schema.ty {
        TypeRef::Array(items) | TypeRef::Map(items) => collect_patterns(items, found),
        _ => {}
    }
}

/// The whole `validate` module.
pub fn module(api: &Api) -> TokenStream {
    let statics = Statics::of(api);
    let patterns = statics.patterns.iter().enumerate().map(|(i, pattern)| {
        let name = format_ident!("PATTERN_{}", i);
        quote! { static #name: Pattern = Pattern::new(#pattern); }
    });
    let types = api.types.iter().enumerate().map(|(i, def)| {
        let name = statics.named(i);
        let doc = format!(" `{}` (`{}`).", def.name, def.pointer);
        let rule = named_rule(api, &statics, def);
        quote! {
            #[doc = #doc]
            pub static #name: Schema = #rule;
        }
    });
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
            let list = op.params.iter().map(|p| {
                let wire = &p.wire_name;
                let schema = schema_expr(api, &statics, &p.schema, &quote! { super:: });
                let required = p.required;
                match p.location {
                    ParamLocation::Path => quote! { Param::path(#wire, #schema) },
                    ParamLocation::Query => {
                        let explode = p.explode;
                        quote! { Param::query(#wire, #required, #explode, #schema) }
                    }
                    ParamLocation::Header => quote! { Param::header(#wire, #required, #schema) },
                }
            });
            quote! {
                #[doc = #doc]
                pub static #name: [Param; #count] = [#(#list),*];
            }
        });
    let bodies = api.operations.iter().enumerate().filter_map(|(i, op)| {
        let body = op.body.as_ref()?;
        if named_body(&body.schema).is_some() {
            return None;
        }
        let name = statics.operation(i);
        let doc = format!(" The request body of `{}`.", op.operation_id);
        let schema = schema_expr(api, &statics, &body.schema, &quote! { super:: });
        Some(quote! {
            #[doc = #doc]
            pub static #name: Schema = #schema;
        })
    });
    quote! {
        // A spec without some kinds of schema leaves some of the constructors unused.
        #[allow(unused_imports)]
        use crate::runtime::validate::*;

        #(#patterns)*
        #(#types)*

        /// The parameters of each operation that has any.
        pub mod params {
            #[allow(unused_imports)]
            use crate::runtime::{validate::*, Param};

            #(#params)*
        }

        /// The request bodies that are not a named schema.
        pub mod bodies {
            #[allow(unused_imports)]
            use crate::runtime::validate::*;

            #(#bodies)*
        }
    }
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

/// The path of the static that checks an operation's body, from the `server` module.
pub fn body_static(statics: &Statics, index: usize, schema: &Schema) -> TokenStream {
    match named_body(schema) {
        Some(named) => {
            let name = statics.named(named);
            quote! { validate::#name }
        }
        None => {
            let name = statics.operation(index);
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
                    quote! { object_with(&[#(#fields),*], Some(&#values), None, None) }
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
            let discriminator = match &u.discriminator {
                Some(d) => {
                    let property = &d.property;
                    let values = &d.values;
                    quote! { Some(Discriminator { property: #property, values: &[#(#values),*] }) }
                }
                None => quote! { None },
            };
            quote! { union(&[#(#alternatives),*], #discriminator) }
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

fn count(value: Option<usize>) -> TokenStream {
    match value {
        Some(v) => {
            let v = Literal::usize_unsuffixed(v);
            quote! { Some(#v) }
        }
        None => quote! { None },
    }
}

fn float(value: Option<f64>) -> TokenStream {
    match value {
        Some(v) => {
            let v = Literal::f64_unsuffixed(v);
            quote! { Some(#v) }
        }
        None => quote! { None },
    }
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
            let (min, max) = (count(c.min_length), count(c.max_length));
            let format = match format {
                StringFormat::DateTime => Some(quote! { Format::DateTime }),
                StringFormat::Date => Some(quote! { Format::Date }),
                _ => None,
            };
            let pattern = c.pattern.as_ref().map(|p| {
                let name = statics.pattern(p);
                quote! { Some(&#prefix #name) }
            });
            if format.is_none() && pattern.is_none() {
                quote! { string(#min, #max) }
            } else {
                let pattern = pattern.unwrap_or_else(|| quote! { None });
                let format = format.unwrap_or_else(|| quote! { Format::Any });
                quote! { string_with(#min, #max, #pattern, #format) }
            }
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
            quote! { integer(#format, #bounds) }
        }
        TypeRef::Number(format) => {
            let format = match format {
                NumFormat::F32 => quote! { NumFormat::Float },
                NumFormat::F64 => quote! { NumFormat::Double },
            };
            let bounds = bounds(c);
            quote! { number(#format, #bounds) }
        }
        TypeRef::Boolean => quote! { boolean() },
        TypeRef::Array(items) => {
            let items = schema_expr(api, statics, items, prefix);
            let (min, max) = (count(c.min_items), count(c.max_items));
            let unique = c.unique_items;
            quote! { array(&#items, #min, #max, #unique) }
        }
        TypeRef::Map(values) => {
            let values = schema_expr(api, statics, values, prefix);
            let (min, max) = (count(c.min_properties), count(c.max_properties));
            quote! { map(&#values, #min, #max) }
        }
        TypeRef::FreeObject => {
            let (min, max) = (count(c.min_properties), count(c.max_properties));
            quote! { free_object(#min, #max) }
        }
        TypeRef::Any => quote! { any() },
    }
}

/// `Bounds::NONE`, `Bounds::between(min, max)`, or the bounds the spec sets with the rest
/// left out.
fn bounds(c: &Constraints) -> TokenStream {
    let exclusive_or_multiple =
        c.exclusive_minimum || c.exclusive_maximum || c.multiple_of.is_some();
    if !exclusive_or_multiple {
        if c.minimum.is_none() && c.maximum.is_none() {
            return quote! { Bounds::NONE };
        }
        let (min, max) = (float(c.minimum), float(c.maximum));
        return quote! { Bounds::between(#min, #max) };
    }
    let mut set = Vec::new();
    if c.minimum.is_some() {
        let v = float(c.minimum);
        set.push(quote! { minimum: #v });
    }
    if c.exclusive_minimum {
        set.push(quote! { exclusive_minimum: true });
    }
    if c.maximum.is_some() {
        let v = float(c.maximum);
        set.push(quote! { maximum: #v });
    }
    if c.exclusive_maximum {
        set.push(quote! { exclusive_maximum: true });
    }
    if c.multiple_of.is_some() {
        let v = float(c.multiple_of);
        set.push(quote! { multiple_of: #v });
    }
    quote! { Bounds { #(#set,)* ..Bounds::NONE } }
}
