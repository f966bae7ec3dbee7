//! The body and response parts of the client's `client` module: how a method takes and
//! sends its request body (JSON, form, multipart, text or bytes, or an enum of them), the
//! `Accept` it sends, and how it reads each documented status (exact codes, then ranges,
//! then `default`) and each media type of a response.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{docs, ident, rust_type};
use crate::ir::{Api, Content, ContentKind, Operation, OperationNames, PartKind, Response, Status};

/// The name of the enum that holds one side's bodies, when they differ.
pub fn outcome_enum(names: &OperationNames, success: bool) -> Option<&str> {
    if success {
        names.success_enum.as_deref()
    } else {
        names.error_enum.as_deref()
    }
}

/// The position of a response among its operation's.
fn index_of(op: &Operation, r: &Response) -> usize {
    op.responses
        .iter()
        .position(|x| std::ptr::eq(x, r))
        .unwrap_or_default()
}

/// The Rust type of a response's body, if it has one: its content's type, or the
/// response's own enum of several.
pub fn payload_type(
    api: &Api,
    op: &Operation,
    names: &OperationNames,
    r: &Response,
) -> Option<TokenStream> {
    match r.contents.as_slice() {
        [] => None,
        [one] => Some(response_content_type(api, one)),
        _ => {
            let name = names.client_contents[index_of(op, r)].as_deref()?;
            let name = ident(name);
            Some(quote! { #name })
        }
    }
}

/// The type one response content is read into.
fn response_content_type(api: &Api, content: &Content) -> TokenStream {
    match &content.kind {
        ContentKind::Text => quote! { String },
        ContentKind::Binary | ContentKind::Form | ContentKind::Multipart(_) => {
            quote! { runtime::Bytes }
        }
        ContentKind::Json => rust_type(api, &content.schema.ty, &quote! { types:: }),
    }
}

/// The type one request content is given as, inside the body enum or by value.
fn request_content_type(api: &Api, names: &OperationNames, content: &Content) -> TokenStream {
    match &content.kind {
        ContentKind::Json | ContentKind::Form => {
            rust_type(api, &content.schema.ty, &quote! { types:: })
        }
        ContentKind::Text => quote! { String },
        ContentKind::Binary => quote! { runtime::Binary },
        ContentKind::Multipart(m) if m.parts.is_empty() => quote! { Vec<runtime::FormPart> },
        ContentKind::Multipart(_) => match &names.client_multipart {
            Some(name) => {
                let name = ident(name);
                quote! { #name }
            }
            None => quote! { Vec<runtime::FormPart> },
        },
    }
}

/// The method's `body` argument.
pub fn body_arg(api: &Api, op: &Operation, names: &OperationNames) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    let ty = match (body.contents.as_slice(), &names.client_body_enum) {
        ([one], _) => {
            let (required, optional) = match &one.kind {
                ContentKind::Text => (quote! { &str }, quote! { Option<&str> }),
                ContentKind::Binary => (
                    quote! { impl ::std::convert::Into<runtime::Binary> },
                    quote! { Option<runtime::Binary> },
                ),
                ContentKind::Multipart(m) if m.parts.is_empty() => (
                    quote! { &[runtime::FormPart] },
                    quote! { Option<&[runtime::FormPart]> },
                ),
                _ => {
                    let ty = request_content_type(api, names, one);
                    (quote! { &#ty }, quote! { Option<&#ty> })
                }
            };
            if body.required {
                required
            } else {
                optional
            }
        }
        (_, Some(name)) => {
            let name = ident(name);
            if body.required {
                quote! { #name }
            } else {
                quote! { Option<#name> }
            }
        }
        (_, None) => return None,
    };
    Some(quote! { body: #ty })
}

/// The statements that add the body to `request`.
pub fn send_body(
    op: &Operation,
    names: &OperationNames,
    request: &Ident,
    value: &Ident,
) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    let send = match body.contents.as_slice() {
        [one] => send_content(one, request, &quote! { body }, true),
        contents => {
            let name = ident(names.client_body_enum.as_deref()?);
            let arms = contents.iter().map(|c| {
                let variant = ident(&c.variant_name);
                let send = send_content(c, request, &quote! { #value }, false);
                quote! { #name::#variant(#value) => { #send } }
            });
            quote! {
                match body {
                    #(#arms)*
                }
            }
        }
    };
    Some(if body.required {
        send
    } else {
        quote! {
            if let Some(body) = body {
                #send
            }
        }
    })
}

/// Adds one content to the request; `value` is a reference to it (`borrowed`) or the
/// value itself.
fn send_content(
    content: &Content,
    request: &Ident,
    value: &TokenStream,
    borrowed: bool,
) -> TokenStream {
    let content_type = &content.send_as;
    let reference = if borrowed {
        quote! { #value }
    } else {
        quote! { &#value }
    };
    match &content.kind {
        ContentKind::Json => quote! { #request.json(#content_type, #reference)?; },
        ContentKind::Form => quote! { #request.form(#content_type, #reference)?; },
        ContentKind::Text => quote! { #request.text(#content_type, #reference); },
        ContentKind::Binary => quote! { #request.binary(#content_type, #value); },
        ContentKind::Multipart(_) => quote! { #request.multipart(#reference)?; },
    }
}

/// `request.accept(..)` with every media type the responses can come as, when that is
/// not just JSON (a client that reads only JSON sends no `Accept`, as before).
pub fn accept(op: &Operation, request: &Ident) -> Option<TokenStream> {
    let media = op.response_media_types();
    if media.is_empty() || media == ["application/json"] {
        return None;
    }
    let list = media.join(", ");
    Some(quote! { #request.accept(#list); })
}

/// The body enum and the multipart struct of an operation, when it has them.
pub fn body_items(api: &Api, op: &Operation, names: &OperationNames) -> TokenStream {
    let Some(body) = &op.body else {
        return TokenStream::new();
    };
    let mut out = TokenStream::new();
    if let Some(name) = &names.client_body_enum {
        let name = ident(name);
        let variants = body.contents.iter().map(|c| {
            let variant = ident(&c.variant_name);
            let ty = request_content_type(api, names, c);
            let doc = docs(&format!("Sent as {}.", media_list(c)));
            quote! { #doc #variant(#ty), }
        });
        // Bytes given as a stream cannot be copied or compared.
        let derives = if body.contents.iter().any(|c| c.kind == ContentKind::Binary) {
            quote! { #[derive(Debug)] }
        } else {
            quote! { #[derive(Debug, Clone, PartialEq)] }
        };
        let doc = docs(&format!(
            "The request body of `{}`, in one of the media types it can be sent as.",
            op.operation_id
        ));
        out.extend(quote! {
            #doc
            #derives
            pub enum #name {
                #(#variants)*
            }
        });
    }
    if let (Some(name), Some(ContentKind::Multipart(multipart))) = (
        &names.client_multipart,
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
            let doc = docs(&part_doc(p));
            quote! { #doc pub #field: #ty, }
        });
        let writes = multipart.parts.iter().map(|p| {
            let field = ident(&p.rust_name);
            let wire = &p.wire_name;
            let content_type = match &p.content_type {
                Some(ct) => quote! { Some(#ct) },
                None => quote! { None },
            };
            match p.kind {
                PartKind::File if p.required => {
                    quote! { form.files(#wire, [&self.#field], #content_type); }
                }
                PartKind::File | PartKind::Files => {
                    quote! { form.files(#wire, &self.#field, #content_type); }
                }
                PartKind::Value => quote! { form.value(#wire, &self.#field, #content_type)?; },
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

            impl runtime::ToMultipart for #name {
                fn write(&self, form: &mut runtime::MultipartForm) -> ::std::result::Result<(), runtime::MultipartError> {
                    #(#writes)*
                    Ok(())
                }
            }
        });
    }
    out
}

fn part_doc(p: &crate::ir::Part) -> String {
    let mut text = format!(
        "The `{}` part{}.",
        p.wire_name,
        match p.kind {
            PartKind::File => ", a file",
            PartKind::Files => ", any number of files",
            PartKind::Value => "",
        }
    );
    if let Some(ct) = &p.content_type {
        text.push_str(&format!(" Sent as `{ct}` unless the part says otherwise."));
    }
    if let Some(description) = &p.description {
        text.push_str(&format!("\n\n{}", description.trim()));
    }
    text
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

/// The enums of the responses whose body has several representations.
pub fn content_enums(api: &Api, op: &Operation, names: &OperationNames) -> TokenStream {
    let mut out = TokenStream::new();
    for (r, name) in op.responses.iter().zip(&names.client_contents) {
        let Some(name) = name else {
            continue;
        };
        let name = ident(name);
        let variants = r.contents.iter().map(|c| {
            let variant = ident(&c.variant_name);
            let ty = response_content_type(api, c);
            let doc = docs(&format!("Sent as {}.", media_list(c)));
            quote! { #doc #variant(#ty), }
        });
        let doc = docs(&format!(
            "The body of `{}` with {}, in the media type the server chose.",
            op.operation_id,
            status_text(r.status)
        ));
        out.extend(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name {
                #(#variants)*
            }
        });
    }
    out
}

pub fn status_text(status: Status) -> String {
    match status {
        Status::Code(code) => format!("HTTP {code}"),
        Status::Range(digit) => format!("HTTP {digit}XX"),
        Status::Default => "Any other status".to_string(),
    }
}

/// Whether an exact status falls in a range the operation also documents.
pub fn ranges_overlap_codes(op: &Operation) -> bool {
    op.responses.iter().any(|r| {
        r.status.range_bounds().is_some_and(|(low, high)| {
            op.responses
                .iter()
                .any(|c| matches!(c.status, Status::Code(code) if (low..=high).contains(&code)))
        })
    })
}

/// The arms of the method's `match` on the status: exact codes first, then ranges, then
/// `default` or an unexpected status. Statuses read the same way share an arm.
pub fn status_arms(
    op: &Operation,
    names: &OperationNames,
    response: &Ident,
    value: &Ident,
) -> TokenStream {
    let mut codes: Vec<(Vec<TokenStream>, String, TokenStream)> = Vec::new();
    let mut ranges: Vec<(Vec<TokenStream>, String, TokenStream)> = Vec::new();
    for (index, r) in op.responses.iter().enumerate() {
        let (pattern, groups) = match r.status {
            Status::Code(code) => {
                let code = Literal::u16_unsuffixed(code);
                (quote! { #code }, &mut codes)
            }
            Status::Range(_) => {
                let Some((low, high)) = r.status.range_bounds() else {
                    continue;
                };
                let (low, high) = (Literal::u16_unsuffixed(low), Literal::u16_unsuffixed(high));
                (quote! { #low..=#high }, &mut ranges)
            }
            Status::Default => continue,
        };
        let read = read(op, names, index, r.status.is_success(), response, value);
        let key = read.to_string();
        match groups.iter_mut().find(|(_, k, _)| *k == key) {
            Some((patterns, _, _)) => patterns.push(pattern),
            None => groups.push((vec![pattern], key, read)),
        }
    }
    let arms = codes.iter().chain(&ranges).map(|(patterns, _, read)| {
        quote! { #(#patterns)|* => #read, }
    });
    let fallback = match op
        .responses
        .iter()
        .position(|r| r.status == Status::Default)
    {
        Some(index) => {
            let read = read(op, names, index, false, response, value);
            quote! { _ => #read, }
        }
        None => quote! { _ => Err(#response.unexpected()), },
    };
    quote! {
        #(#arms)*
        #fallback
    }
}

/// How to read response `index` into the method's result.
fn read(
    op: &Operation,
    names: &OperationNames,
    index: usize,
    success: bool,
    response: &Ident,
    value: &Ident,
) -> TokenStream {
    let r = &op.responses[index];
    let outer = outcome_enum(names, success).map(|name| {
        let (name, variant) = (ident(name), ident(&r.variant_name));
        quote! { #name::#variant }
    });
    match r.contents.as_slice() {
        [] => match (success, outer) {
            (true, None) => quote! { #response.empty() },
            (true, Some(wrap)) => quote! { #response.empty_as(#wrap) },
            (false, None) => quote! { Err(#response.api_error_as(())) },
            (false, Some(wrap)) => quote! { Err(#response.api_error_as(#wrap)) },
        },
        [one] => read_content(one, success, outer, response),
        contents => {
            let Some(inner) = names.client_contents[index].as_deref() else {
                return quote! { Err(#response.unexpected()) };
            };
            let inner = ident(inner);
            let media = contents.iter().map(|c| {
                let list = &c.media_types;
                quote! { &[#(#list),*] }
            });
            let last = contents.len() - 1;
            let arms = contents.iter().enumerate().map(|(i, c)| {
                let variant = ident(&c.variant_name);
                let wrap = match &outer {
                    Some(outer) => quote! { |#value| #outer(#inner::#variant(#value)) },
                    None => quote! { #inner::#variant },
                };
                let read = read_content(c, success, Some(wrap), response);
                let pattern = if i == last {
                    quote! { _ }
                } else {
                    let i = Literal::usize_unsuffixed(i);
                    quote! { #i }
                };
                quote! { #pattern => #read, }
            });
            quote! {
                match #response.content_index(&[#(#media),*]) {
                    #(#arms)*
                }
            }
        }
    }
}

/// Reads one content, wrapped into a variant by `wrap` when given.
fn read_content(
    content: &Content,
    success: bool,
    wrap: Option<TokenStream>,
    response: &Ident,
) -> TokenStream {
    let text = matches!(content.kind, ContentKind::Text);
    let json = matches!(content.kind, ContentKind::Json);
    match (success, wrap) {
        (true, None) if json => quote! { #response.json() },
        (true, None) if text => quote! { #response.text() },
        (true, None) => quote! { #response.bytes() },
        (true, Some(wrap)) if json => quote! { #response.json_as(#wrap) },
        (true, Some(wrap)) if text => quote! { #response.text_as(#wrap) },
        (true, Some(wrap)) => quote! { #response.bytes_as(#wrap) },
        (false, None) if json => quote! { Err(#response.api_error()) },
        (false, Some(wrap)) if json => quote! { Err(#response.api_error_map(#wrap)) },
        (false, wrap) => {
            let wrap = wrap.unwrap_or_else(|| quote! { ::std::convert::identity });
            if text {
                quote! { Err(#response.api_error_text(#wrap)) }
            } else {
                quote! { Err(#response.api_error_bytes(#wrap)) }
            }
        }
    }
}
