//! The server crate's `validate` module: one function per named schema that checks a
//! JSON value against the spec's constraints and records every violation with its JSON
//! pointer, so a request is rejected with all its problems at once.
//!
//! The checks themselves (`string`, `integer`, `required`, ...) are the server runtime's;
//! the generated code only says which apply where.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Api, Constraints, IntFormat, NumFormat, Schema, TypeDef, TypeKind, TypeRef};

/// The whole `validate` module.
pub fn module(api: &Api) -> TokenStream {
    let functions = api.types.iter().map(|def| function(api, def));
    quote! {
        #(#functions)*
    }
}

/// The validator function's name for a named type.
pub fn function_name(def: &TypeDef) -> proc_macro2::Ident {
    format_ident!("{}", crate::naming::snake(&def.rust_name))
}

fn function(api: &Api, def: &TypeDef) -> TokenStream {
    let name = function_name(def);
    let doc = format!(" Checks a value against `{}` ({}).", def.name, def.pointer);
    let body = match &def.kind {
        TypeKind::Struct(s) => {
            let required: Vec<&str> = s
                .fields
                .iter()
                .filter(|f| f.required)
                .map(|f| f.wire_name.as_str())
                .collect();
            let checks = s.fields.iter().map(|f| {
                let wire = &f.wire_name;
                let check = schema_check(api, &f.schema, quote! { field });
                quote! {
                    if let Some(field) = object.get(#wire) {
                        at.push(#wire);
                        #check
                        at.pop();
                    }
                }
            });
            let additional = s.additional.as_ref().map(|values| {
                let known = s.fields.iter().map(|f| &f.wire_name);
                let check = schema_check(api, values, quote! { field });
                quote! {
                    for (key, field) in object.iter().filter(|(key, _)| ![#(#known),*].contains(&key.as_str())) {
                        at.push(key);
                        #check
                        at.pop();
                    }
                }
            });
            let required = (!required.is_empty())
                .then(|| quote! { out.required(object, at, &[#(#required),*]); });
            quote! {
                let Some(object) = out.object(value, at) else { return };
                #required
                #(#checks)*
                #additional
            }
        }
        TypeKind::Enum(e) => {
            let known = e.values.iter().map(|v| &v.wire);
            quote! { out.enumeration(value, at, &[#(#known),*]); }
        }
        TypeKind::Union(u) => {
            let alternatives = u.variants.iter().map(|v| {
                let check = schema_check(api, &v.schema, quote! { value });
                {
                    let head = closure_head();
                    quote! { &#head { #check } }
                }
            });
            match &u.discriminator {
                Some(d) => {
                    let property = &d.property;
                    let values = &d.values;
                    quote! {
                        out.discriminated(value, at, #property, &[#(#values),*], &[#(#alternatives),*]);
                    }
                }
                None => quote! { out.any_of(value, at, &[#(#alternatives),*]); },
            }
        }
        TypeKind::Alias(schema) => schema_check(api, schema, quote! { value }),
    };
    quote! {
        #[doc = #doc]
        pub fn #name(
            value: &::serde_json::Value,
            at: &mut crate::runtime::validate::Pointer,
            out: &mut crate::runtime::validate::Violations,
        ) {
            #body
        }
    }
}

/// The closure parameters every check closure takes.
fn closure_head() -> TokenStream {
    quote! {
        |value: &::serde_json::Value,
         at: &mut crate::runtime::validate::Pointer,
         out: &mut crate::runtime::validate::Violations|
    }
}

/// The checks for one use of a schema, on the value in `value`, inside the `validate`
/// module.
pub fn schema_check(api: &Api, schema: &Schema, value: TokenStream) -> TokenStream {
    schema_check_in(api, schema, value, &quote! {})
}

/// The same, from a module that names the validators through `prefix`
/// (e.g. `validate::`).
pub fn schema_check_in(
    api: &Api,
    schema: &Schema,
    value: TokenStream,
    prefix: &TokenStream,
) -> TokenStream {
    let main = if schema.lenient.is_empty() {
        type_check(api, &schema.ty, &schema.constraints, value.clone(), prefix)
    } else {
        // The canonical shape or any of the others the spec accepts.
        let canonical = type_check(
            api,
            &schema.ty,
            &schema.constraints,
            quote! { value },
            prefix,
        );
        let head = closure_head();
        let mut alternatives = vec![quote! { &#head { #canonical } }];
        for other in &schema.lenient {
            let check = type_check(
                api,
                other,
                &Constraints::default(),
                quote! { value },
                prefix,
            );
            alternatives.push(quote! { &#head { #check } });
        }
        quote! { out.any_of(#value, at, &[#(#alternatives),*]); }
    };
    let allowed = (!schema.constraints.allowed.is_empty()).then(|| {
        let json = serde_json::Value::Array(schema.constraints.allowed.clone()).to_string();
        quote! { out.allowed(#value, at, #json); }
    });
    if schema.nullable {
        quote! {
            if !#value.is_null() {
                #main
                #allowed
            }
        }
    } else {
        quote! { #main #allowed }
    }
}

fn type_check(
    api: &Api,
    ty: &TypeRef,
    c: &Constraints,
    value: TokenStream,
    prefix: &TokenStream,
) -> TokenStream {
    let opt = |v: Option<usize>| match v {
        Some(v) => quote! { Some(#v) },
        None => quote! { None },
    };
    let optf = |v: Option<f64>| match v {
        Some(v) => quote! { Some(#v) },
        None => quote! { None },
    };
    match ty {
        TypeRef::Named(id) => {
            let def = &api.types[id.0];
            let name = function_name(def);
            quote! { #prefix #name(#value, at, out); }
        }
        TypeRef::String(format) => {
            let min = opt(c.min_length);
            let max = opt(c.max_length);
            let pattern = match &c.pattern {
                Some(p) => quote! { Some(#p) },
                None => quote! { None },
            };
            let format = match format {
                crate::ir::StringFormat::DateTime => quote! { Some("date-time") },
                crate::ir::StringFormat::Date => quote! { Some("date") },
                _ => quote! { None },
            };
            quote! { out.string(#value, at, #min, #max, #pattern, #format); }
        }
        TypeRef::Integer(format) => {
            let (lo, hi) = match format {
                IntFormat::I8 => (i8::MIN as f64, i8::MAX as f64),
                IntFormat::I16 => (i16::MIN as f64, i16::MAX as f64),
                IntFormat::I32 => (i32::MIN as f64, i32::MAX as f64),
                IntFormat::I64 => (i64::MIN as f64, i64::MAX as f64),
                IntFormat::U8 => (0.0, u8::MAX as f64),
                IntFormat::U16 => (0.0, u16::MAX as f64),
                IntFormat::U32 => (0.0, u32::MAX as f64),
                IntFormat::U64 => (0.0, u64::MAX as f64),
            };
            let fmt = match format {
                IntFormat::I8 => "int8",
                IntFormat::I16 => "int16",
                IntFormat::I32 => "int32",
                IntFormat::I64 => "int64",
                IntFormat::U8 => "uint8",
                IntFormat::U16 => "uint16",
                IntFormat::U32 => "uint32",
                IntFormat::U64 => "uint64",
            };
            let bounds = bounds(c, &optf);
            quote! { out.integer(#value, at, #fmt, #lo, #hi, #bounds); }
        }
        TypeRef::Number(format) => {
            let fmt = match format {
                NumFormat::F32 => "float",
                NumFormat::F64 => "double",
            };
            let bounds = bounds(c, &optf);
            quote! { out.number(#value, at, #fmt, #bounds); }
        }
        TypeRef::Boolean => quote! { out.boolean(#value, at); },
        TypeRef::Array(items) => {
            let min = opt(c.min_items);
            let max = opt(c.max_items);
            let unique = c.unique_items;
            let check = schema_check_in(api, items, quote! { item }, prefix);
            quote! {
                if let Some(items) = out.array(#value, at, #min, #max, #unique) {
                    for (index, item) in items.iter().enumerate() {
                        at.push_index(index);
                        #check
                        at.pop();
                    }
                }
            }
        }
        TypeRef::Map(values) => {
            let check = schema_check_in(api, values, quote! { item }, prefix);
            let min = opt(c.min_properties);
            let max = opt(c.max_properties);
            quote! {
                if let Some(object) = out.object(#value, at) {
                    out.property_count(object, at, #min, #max);
                    for (key, item) in object {
                        at.push(key);
                        #check
                        at.pop();
                    }
                }
            }
        }
        TypeRef::FreeObject => {
            let min = opt(c.min_properties);
            let max = opt(c.max_properties);
            quote! {
                if let Some(object) = out.object(#value, at) {
                    out.property_count(object, at, #min, #max);
                }
            }
        }
        TypeRef::Any => quote! { let _ = #value; },
    }
}

fn bounds(c: &Constraints, optf: &dyn Fn(Option<f64>) -> TokenStream) -> TokenStream {
    let min = optf(c.minimum);
    let max = optf(c.maximum);
    let emin = c.exclusive_minimum;
    let emax = c.exclusive_maximum;
    let multiple = optf(c.multiple_of);
    quote! {
        crate::runtime::validate::Bounds { minimum: #min, exclusive_minimum: #emin, maximum: #max, exclusive_maximum: #emax, multiple_of: #multiple }
    }
}

/// Validator for a parameter, given as a closure expression over the converted value.
pub fn param_check(api: &Api, schema: &Schema) -> TokenStream {
    let check = schema_check_in(api, schema, quote! { value }, &quote! { validate:: });
    let head = closure_head();
    quote! { #head { #check } }
}
