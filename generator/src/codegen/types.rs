//! The `types` module of both crates: one Rust type per named schema.
//!
//! Objects become structs (optional fields are `Option` and skipped when `None`), string
//! enums become enums that keep unknown values, `oneOf`/`anyOf` become enums (untagged,
//! or chosen by the discriminator property), and other named schemas become aliases.
//! Their serde impls come from the runtime's declarative macros (`json_object!`,
//! `json_union!`, `string_enum!`), so the generated crates need no procedural macro.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, docs_from, ident, is_eq, lenient_decoder, rust_type, Emit};
use crate::ir::{Api, Enum, Field, Struct, TypeDef, TypeKind, Union};

/// The `types` module, one type (with its impls) at a time; nothing goes before them.
pub fn module(api: &Api, emit: &mut Emit) -> TokenStream {
    for (index, def) in api.types.iter().enumerate() {
        emit(type_def(api, crate::ir::TypeId(index), def));
    }
    TokenStream::new()
}

fn type_def(api: &Api, id: crate::ir::TypeId, def: &TypeDef) -> TokenStream {
    let mut doc_text = def.description.clone().unwrap_or_default();
    if doc_text.trim().is_empty() {
        doc_text = format!("The `{}` schema.", def.name);
    }
    if let Some(example) = def.examples.first() {
        let json = serde_json::to_string_pretty(&example.value).unwrap_or_default();
        doc_text.push_str(&format!("\n\nExample:\n\n```json\n{json}\n```"));
    }
    let location = if def.component {
        format!("\n\nSchema `{}`.", def.pointer)
    } else {
        format!("\n\nInline schema at `{}`.", def.pointer)
    };
    doc_text.push_str(&location);
    let doc = docs(&doc_text);
    match &def.kind {
        TypeKind::Struct(s) => structure(api, id, def, s, doc),
        TypeKind::Enum(e) => enumeration(def, e, doc),
        TypeKind::Union(u) => union(api, id, def, u, doc),
        TypeKind::Alias(schema) => {
            let name = ident(&def.rust_name);
            let ty = rust_type(api, &schema.ty, &quote! {});
            quote! {
                #doc
                pub type #name = #ty;
            }
        }
    }
}

fn structure(
    api: &Api,
    id: crate::ir::TypeId,
    def: &TypeDef,
    s: &Struct,
    doc: TokenStream,
) -> TokenStream {
    let name = ident(&def.rust_name);
    let additional_field = api.names.types[id.0].additional_field.as_deref().map(ident);
    let fields = s.fields.iter().map(|f| field(api, f));
    let additional = s.additional.as_ref().map(|values| {
        let ty = rust_type(api, &values.ty, &quote! {});
        quote! {
            /// Properties not declared by the schema (`additionalProperties`).
            pub #additional_field: ::std::collections::BTreeMap<String, #ty>,
        }
    });
    let wire_fields = s.fields.iter().map(wire_field);
    let wire_name = match (&s.additional, &additional_field) {
        (Some(_), Some(field)) => quote! { #name + #field },
        _ => quote! { #name },
    };
    let all_optional = s.fields.iter().all(|f| !f.required);
    let eq = is_eq(api, &crate::ir::TypeRef::Named(id), &mut Vec::new());
    let mut derives = vec![quote!(Debug), quote!(Clone), quote!(PartialEq)];
    if eq {
        derives.push(quote!(Eq));
    }
    if all_optional {
        derives.push(quote!(Default));
    }
    let constructor =
        (!all_optional).then(|| constructor(api, &name, s, additional_field.as_ref()));
    quote! {
        #doc
        #[derive(#(#derives,)*)]
        pub struct #name {
            #(#fields)*
            #additional
        }

        crate::runtime::json_object!(#wire_name #(, #wire_fields)*);

        #constructor
    }
}

/// A field as `json_object!` takes it: its wire name, whether it is required, nullable
/// or optional, and the lenient decoder that reads it, if any.
fn wire_field(f: &Field) -> TokenStream {
    let name = ident(&f.rust_name);
    let wire = &f.wire_name;
    let optional = !f.required || f.schema.nullable;
    let kind = if !f.required {
        quote! { optional }
    } else if f.schema.nullable {
        quote! { nullable }
    } else {
        quote! { required }
    };
    let decoder = lenient_decoder(&f.schema).map(|decoder| {
        let function = if optional {
            ident(&format!("option_{decoder}"))
        } else {
            ident(decoder)
        };
        quote! { (#function) }
    });
    quote! { #name => #wire #kind #decoder }
}

/// Whether the field is an `Option`, and its Rust type.
fn field_type(api: &Api, f: &Field) -> (bool, TokenStream) {
    let mut ty = rust_type(api, &f.schema.ty, &quote! {});
    if f.boxed {
        ty = quote! { Box<#ty> };
    }
    let optional = !f.required || f.schema.nullable;
    if optional {
        ty = quote! { Option<#ty> };
    }
    (optional, ty)
}

/// `new(required fields...)`: every optional field starts as `None`.
fn constructor(
    api: &Api,
    name: &proc_macro2::Ident,
    s: &Struct,
    additional_field: Option<&proc_macro2::Ident>,
) -> TokenStream {
    let params = s.fields.iter().filter(|f| f.required).map(|f| {
        let field = ident(&f.rust_name);
        let mut ty = rust_type(api, &f.schema.ty, &quote! {});
        if f.boxed {
            ty = quote! { Box<#ty> };
        }
        if f.schema.nullable {
            ty = quote! { Option<#ty> };
        }
        quote! { #field: #ty }
    });
    let inits = s.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        if f.required {
            quote! { #field }
        } else {
            quote! { #field: None }
        }
    });
    let additional =
        additional_field.map(|field| quote! { #field: ::std::collections::BTreeMap::new(), });
    let count = s.fields.iter().filter(|f| f.required).count();
    let allow = (count > 7).then(|| {
        quote! {
            #[allow(clippy::too_many_arguments, reason = "one argument per required property, in spec order")]
        }
    });
    quote! {
        impl #name {
            /// A value with the required properties set and every optional one absent.
            #allow
            pub fn new(#(#params),*) -> Self {
                Self {
                    #(#inits,)*
                    #additional
                }
            }
        }
    }
}

fn field(api: &Api, f: &Field) -> TokenStream {
    let name = ident(&f.rust_name);
    let (_, ty) = field_type(api, f);
    let doc = docs(&field_doc(f));
    let deprecated = f.deprecated.then(|| docs("\n**Deprecated** by the API."));
    quote! {
        #doc
        #deprecated
        pub #name: #ty,
    }
}

fn field_doc(f: &Field) -> String {
    let mut text = f
        .schema
        .description
        .clone()
        .unwrap_or_else(|| format!("`{}`.", f.wire_name));
    let mut facts = Vec::new();
    let c = &f.schema.constraints;
    match (c.min_length, c.max_length) {
        (Some(min), Some(max)) => facts.push(format!("length {min} to {max} characters")),
        (Some(min), None) => facts.push(format!("at least {min} characters")),
        (None, Some(max)) => facts.push(format!("at most {max} characters")),
        (None, None) => {}
    }
    if let Some(min) = c.minimum {
        facts.push(format!(
            "minimum {min}{}",
            if c.exclusive_minimum {
                " (exclusive)"
            } else {
                ""
            }
        ));
    }
    if let Some(max) = c.maximum {
        facts.push(format!(
            "maximum {max}{}",
            if c.exclusive_maximum {
                " (exclusive)"
            } else {
                ""
            }
        ));
    }
    if let Some(default) = &f.schema.default {
        facts.push(format!("default `{default}`"));
    }
    if !f.schema.lenient.is_empty() {
        facts.push("also accepted in the other shapes the spec lists (`x-canonical`)".to_string());
    }
    if !facts.is_empty() {
        text.push_str(&format!("\n\nConstraints: {}.", facts.join("; ")));
    }
    text
}

fn enumeration(def: &TypeDef, e: &Enum, doc: TokenStream) -> TokenStream {
    let name = ident(&def.rust_name);
    let other = ident(&e.other_variant);
    let variants = e.values.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let doc = format!(" `{}`", v.wire);
        quote! { #[doc = #doc] #variant, }
    });
    let pairs = e.values.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire;
        quote! { #variant => #wire }
    });
    let known = e.values.iter().map(|v| &v.wire);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the spec does not list, kept as received.
            #other(String),
        }

        impl #name {
            /// The values the spec lists, in spec order.
            pub const KNOWN: &'static [&'static str] = &[#(#known),*];
        }

        crate::runtime::string_enum!(#name, #other, #(#pairs),*);
    }
}

fn union(
    api: &Api,
    id: crate::ir::TypeId,
    def: &TypeDef,
    u: &Union,
    doc: TokenStream,
) -> TokenStream {
    let name = ident(&def.rust_name);
    let eq = is_eq(api, &crate::ir::TypeRef::Named(id), &mut Vec::new());
    let eq = eq.then(|| quote!(Eq,));
    let variants: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| {
            let variant = ident(&v.rust_name);
            let mut ty = rust_type(api, &v.schema.ty, &quote! {});
            if v.boxed {
                ty = quote! { Box<#ty> };
            }
            let doc = docs_from(&[v.schema.description.as_deref()]);
            quote! { #doc #variant(#ty), }
        })
        .collect();
    let kind = if u.exclusive {
        "exactly one"
    } else {
        "at least one"
    };
    let note = docs(&format!(
        "\nA value matches {kind} of the variants; they are tried in order."
    ));
    let Some(discriminator) = &u.discriminator else {
        let names = u.variants.iter().map(|v| ident(&v.rust_name));
        return quote! {
            #doc
            #note
            #[derive(Debug, Clone, PartialEq, #eq)]
            pub enum #name {
                #(#variants)*
            }

            crate::runtime::json_union!(#name { #(#names),* });
        };
    };
    // With a discriminator the property picks the variant; each variant's struct keeps
    // the property as one of its own fields, so serialization needs nothing extra.
    let property = &discriminator.property;
    let arms = u.variants.iter().zip(&discriminator.values).map(|(v, value)| {
        let variant = ident(&v.rust_name);
        let wrap = if v.boxed {
            quote! { |inner| Self::#variant(Box::new(inner)) }
        } else {
            quote! { Self::#variant }
        };
        quote! {
            Some(#value) => ::serde_json::from_value(value).map(#wrap).map_err(::serde::de::Error::custom),
        }
    });
    let expected = discriminator
        .values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let unknown = format!("unknown `{property}` value `{{}}`; expected one of {expected}");
    let missing = format!("missing the `{property}` property that tells which variant this is");
    let serialize_arms = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        quote! { Self::#variant(inner) => ::serde::Serialize::serialize(inner, serializer), }
    });
    quote! {
        #doc
        #note
        #[derive(Debug, Clone, PartialEq, #eq)]
        pub enum #name {
            #(#variants)*
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(::serde_json::Value::as_str).map(str::to_string);
                match tag.as_deref() {
                    #(#arms)*
                    Some(other) => Err(::serde::de::Error::custom(format!(#unknown, other))),
                    None => Err(::serde::de::Error::custom(#missing)),
                }
            }
        }
    }
}
