//! The body and response parts of the server's `server` and `mock` modules: the type of
//! each request body (one content, or an enum of several, with the struct of multipart
//! parts), how a handler reads it by its `Content-Type`, the type each response variant
//! holds, how it is written in each media type, and the mock's value for it.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::validate::{body_static, Statics};
use super::{docs, ident, rust_type};
use crate::ir::{
    Api, Content, ContentKind, Operation, OperationNames, PartKind, Response, ResponseNames,
};

/// The type one request content is read into.
fn request_content_type(api: &Api, names: &OperationNames, content: &Content) -> TokenStream {
    match &content.kind {
        ContentKind::Json | ContentKind::Form => {
            rust_type(api, &content.schema.ty, &quote! { types:: })
        }
        ContentKind::Text => quote! { String },
        ContentKind::Binary => quote! { runtime::Bytes },
        ContentKind::Multipart(m) if m.parts.is_empty() => quote! { Vec<runtime::FormPart> },
        ContentKind::Multipart(_) => match &names.multipart_struct {
            Some(name) => {
                let name = ident(name);
                quote! { #name }
            }
            None => quote! { Vec<runtime::FormPart> },
        },
    }
}

/// The type of the input struct's `body` field (without the `Option` of an optional
/// body).
pub fn body_type(api: &Api, op: &Operation, names: &OperationNames) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    Some(match (body.contents.as_slice(), &names.body_enum) {
        ([one], _) => request_content_type(api, names, one),
        (_, Some(name)) => {
            let name = ident(name);
            quote! { #name }
        }
        (_, None) => quote! { () },
    })
}

/// `` `a` or `b` `` for a content's media types.
fn media_list(content: &Content) -> String {
    let quoted: Vec<String> = content
        .media_types
        .iter()
        .map(|m| format!("`{m}`"))
        .collect();
    quoted.join(" or ")
}

/// The media types of a request body, for the field's documentation.
pub fn body_media(op: &Operation) -> String {
    op.body
        .iter()
        .flat_map(|b| &b.contents)
        .map(media_list)
        .collect::<Vec<_>>()
        .join(" or ")
}

/// The body enum and the multipart struct of an operation, when it has them.
pub fn body_items(api: &Api, op: &Operation, names: &OperationNames) -> TokenStream {
    let Some(body) = &op.body else {
        return TokenStream::new();
    };
    let mut out = TokenStream::new();
    if let Some(name) = &names.body_enum {
        let name = ident(name);
        let variants = body.contents.iter().map(|c| {
            let variant = ident(&c.variant_name);
            let ty = request_content_type(api, names, c);
            let doc = docs(&format!("Sent as {}.", media_list(c)));
            quote! { #doc #variant(#ty), }
        });
        let doc = docs(&format!(
            "The request body of `{}`, in the media type the client sent it as.",
            op.operation_id
        ));
        out.extend(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name {
                #(#variants)*
            }
        });
    }
    if let (Some(name), Some(ContentKind::Multipart(multipart))) = (
        &names.multipart_struct,
        body.contents
            .iter()
            .map(|c| &c.kind)
            .find(|k| matches!(k, ContentKind::Multipart(m) if !m.parts.is_empty())),
    ) {
        let name = ident(name);
        let fields = multipart.parts.iter().map(|p| {
            let field = ident(&p.rust_name);
            let ty = match p.kind {
                PartKind::File => quote! { runtime::FilePart },
                PartKind::Files => quote! { Vec<runtime::FilePart> },
                PartKind::Value => rust_type(api, &p.schema.ty, &quote! { types:: }),
            };
            let ty = if p.required || p.kind == PartKind::Files {
                ty
            } else {
                quote! { Option<#ty> }
            };
            let mut text = format!("The `{}` part.", p.wire_name);
            if let Some(description) = &p.description {
                text.push_str(&format!("\n\n{}", description.trim()));
            }
            let doc = docs(&text);
            quote! { #doc pub #field: #ty, }
        });
        let files = multipart
            .parts
            .iter()
            .filter(|p| p.kind != PartKind::Value)
            .map(|p| &p.wire_name);
        let inits = multipart.parts.iter().map(|p| {
            let field = ident(&p.rust_name);
            let wire = &p.wire_name;
            let read = match p.kind {
                PartKind::File => quote! { parts.file(#wire) },
                PartKind::Files => quote! { parts.files(#wire) },
                PartKind::Value => quote! { parts.value(#wire) },
            };
            // A required part that is missing has been reported by the check of the
            // whole body, before any field is read.
            if p.required && p.kind != PartKind::Files {
                quote! { #field: #read? }
            } else {
                quote! { #field: #read }
            }
        });
        let doc = docs(&format!(
            "The parts of the `multipart/form-data` body of `{}`, one field per property.",
            op.operation_id
        ));
        out.extend(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            pub struct #name {
                #(#fields)*
            }

            impl runtime::FromMultipart for #name {
                const FILES: &'static [&'static str] = &[#(#files),*];

                fn from_multipart(parts: &mut runtime::MultipartFields<'_>) -> Option<Self> {
                    Some(Self { #(#inits),* })
                }
            }
        });
    }
    out
}

/// The handler's `let body: Option<T> = ...;`, reading the body in the media type its
/// `Content-Type` names.
pub fn read_body(
    api: &Api,
    statics: &Statics,
    index: usize,
    op: &Operation,
    names: &OperationNames,
    input: &Ident,
) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    let ty = body_type(api, op, names)?;
    // One JSON content: read as before, any JSON `Content-Type` accepted.
    if let [one] = body.contents.as_slice() {
        // A JSON content is a range (`*/*`) or JSON media types only.
        if one.kind == ContentKind::Json && one.media_types.iter().all(|m| !m.contains('*')) {
            let read = if body.required {
                quote! { json_body }
            } else {
                quote! { optional_json_body }
            };
            let rule = body_static(statics, index, 0, &one.schema);
            return Some(quote! {
                let body: Option<#ty> = #input.#read(&#rule).await;
            });
        }
    }
    let bytes = ident(&names.handler_locals.bytes);
    let enum_name = names.body_enum.as_deref().map(ident);
    let media = body.contents.iter().map(|c| {
        let list = &c.media_types;
        quote! { &[#(#list),*] }
    });
    let arms = body.contents.iter().enumerate().map(|(j, c)| {
        let rule = body_static(statics, index, j, &c.schema);
        let read = match &c.kind {
            ContentKind::Json => quote! { #input.json(&#rule, &#bytes) },
            ContentKind::Form => quote! { #input.form(&#rule, &#bytes) },
            ContentKind::Text => quote! { #input.text(&#rule, &#bytes) },
            ContentKind::Binary => quote! { Some(#bytes) },
            ContentKind::Multipart(m) if m.parts.is_empty() || names.multipart_struct.is_none() => {
                quote! { #input.form_parts(&#bytes).await }
            }
            ContentKind::Multipart(_) => {
                let ty = request_content_type(api, names, c);
                quote! { #input.multipart::<#ty>(&#rule, &#bytes).await }
            }
        };
        let read = match &enum_name {
            Some(name) => {
                let variant = ident(&c.variant_name);
                quote! { #read.map(#name::#variant) }
            }
            None => read,
        };
        let j = Literal::usize_unsuffixed(j);
        quote! { Some((#j, #bytes)) => #read, }
    });
    let required = body.required;
    Some(quote! {
        let body: Option<#ty> = match #input.body(&[#(#media),*], #required).await {
            #(#arms)*
            _ => None,
        };
    })
}

/// The type a response content is written from.
fn response_content_type(api: &Api, content: &Content) -> TokenStream {
    match &content.kind {
        ContentKind::Json => rust_type(api, &content.schema.ty, &quote! { types:: }),
        ContentKind::Text => quote! { String },
        _ => quote! { runtime::BinaryBody },
    }
}

/// The type a response variant holds as its body, if it has one.
pub fn payload_type(api: &Api, r: &Response, names: &ResponseNames) -> Option<TokenStream> {
    match (r.contents.as_slice(), &names.content_enum) {
        ([], _) => None,
        ([one], _) => Some(response_content_type(api, one)),
        (_, Some(name)) => {
            let name = ident(name);
            Some(quote! { #name })
        }
        (_, None) => None,
    }
}

/// Whether a response's body may be a stream, which cannot be cloned or compared.
pub fn streams(r: &Response) -> bool {
    r.contents
        .iter()
        .any(|c| !matches!(c.kind, ContentKind::Json | ContentKind::Text))
}

/// The enums of the responses whose body has several representations.
pub fn content_enums(api: &Api, op: &Operation, names: &OperationNames) -> TokenStream {
    let mut out = TokenStream::new();
    for (r, rn) in op.responses.iter().zip(&names.responses) {
        let Some(name) = &rn.content_enum else {
            continue;
        };
        let name = ident(name);
        let variants = r.contents.iter().map(|c| {
            let variant = ident(&c.variant_name);
            let ty = response_content_type(api, c);
            let doc = docs(&format!("Sent as {}.", media_list(c)));
            quote! { #doc #variant(#ty), }
        });
        let derives = if streams(r) {
            quote! { #[derive(Debug)] }
        } else {
            quote! { #[derive(Debug, Clone, PartialEq)] }
        };
        let doc = docs(&format!(
            "The body of `{}` answered with {}, in one of its media types (see `RequestContext::preferred_media` for the request's `Accept`).",
            op.operation_id,
            super::client_bodies::status_text(r.status)
        ));
        out.extend(quote! {
            #doc
            #derives
            pub enum #name {
                #(#variants)*
            }
        });
    }
    out
}

/// The expression that answers a response's body `body` (a binding) with `status`.
pub fn make_response(
    r: &Response,
    names: &ResponseNames,
    status: &TokenStream,
    body: &Ident,
) -> TokenStream {
    match r.contents.as_slice() {
        [] => quote! { #status.into_response() },
        [one] => make_content(one, status, &quote! { #body }),
        contents => {
            let Some(name) = names.content_enum.as_deref().map(ident) else {
                return quote! { #status.into_response() };
            };
            let value = ident(&names.value_local);
            let arms = contents.iter().map(|c| {
                let variant = ident(&c.variant_name);
                let make = make_content(c, status, &quote! { #value });
                quote! { #name::#variant(#value) => #make, }
            });
            quote! {
                match #body {
                    #(#arms)*
                }
            }
        }
    }
}

/// Writes one content; a content of several media types offers them to the router's
/// negotiation by `Accept`.
fn make_content(content: &Content, status: &TokenStream, value: &TokenStream) -> TokenStream {
    let send_as = &content.send_as;
    let make = match &content.kind {
        ContentKind::Json if send_as == "application/json" => {
            quote! { runtime::json_response(#status, &#value) }
        }
        ContentKind::Json => quote! { runtime::json_response_as(#status, #send_as, &#value) },
        ContentKind::Text => quote! { runtime::text_response(#status, #send_as, #value) },
        _ => quote! { runtime::binary_response(#status, #send_as, #value) },
    };
    let offered = offered(content);
    if offered.len() > 1 {
        quote! { runtime::offer(#make, &[#(#offered),*]) }
    } else {
        make
    }
}

/// The media types a content can be answered as: what it is sent as first, then its
/// other media types that are not ranges.
fn offered(content: &Content) -> Vec<&str> {
    let mut out = vec![content.send_as.as_str()];
    for media in &content.media_types {
        if !media.contains('*') && !out.contains(&media.as_str()) {
            out.push(media);
        }
    }
    out
}

/// Whether any response of these operations offers several media types, so that the
/// router negotiates by `Accept`.
pub fn negotiates<'a>(mut ops: impl Iterator<Item = &'a Operation>) -> bool {
    ops.any(|op| {
        op.responses
            .iter()
            .flat_map(|r| &r.contents)
            .any(|c| offered(c).len() > 1)
    })
}

/// The mock's value of a response's body: an example of the chosen content.
pub fn mock_body(r: &Response, names: &ResponseNames) -> Option<TokenStream> {
    let example = |c: &Content| match &c.kind {
        ContentKind::Json => quote! { runtime::example_value(chosen) },
        ContentKind::Text => quote! { runtime::example_text(chosen) },
        _ => quote! { runtime::example_binary(chosen) },
    };
    match r.contents.as_slice() {
        [] => None,
        [one] => Some(example(one)),
        contents => {
            let name = ident(names.content_enum.as_deref()?);
            let last = contents.len() - 1;
            let arms = contents.iter().enumerate().map(|(j, c)| {
                let variant = ident(&c.variant_name);
                let value = example(c);
                let pattern = if j == last {
                    quote! { _ }
                } else {
                    let j = Literal::usize_unsuffixed(j);
                    quote! { #j }
                };
                quote! { #pattern => server::#name::#variant(#value), }
            });
            Some(quote! {
                match chosen.content {
                    #(#arms)*
                }
            })
        }
    }
}
