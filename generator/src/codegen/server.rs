//! The server crate's `server` and `mock` modules: a trait per service, an input struct
//! and a response enum per operation, axum handlers that validate every request against
//! the spec before the trait method runs, routers, and a mock implementation that answers
//! with examples.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use serde_json::Value;

use super::server_bodies as bodies;
use super::validate::{params_static, Statics};
use super::{docs, ident, rust_type, Emit, UsedNames};
use crate::ir::{
    Api, Operation, OperationNames, Response, ResponseNames, Schema, Segment, ServerNames, Service,
    ServiceNames, Status, TypeKind, TypeRef,
};

/// The names the `server` module imports, as it spells them.
struct Imports {
    into_response: Ident,
    response: Ident,
    future: Ident,
    arc: Ident,
    request_context: Ident,
    service_param: Ident,
}

impl Imports {
    fn of(names: &ServerNames) -> Self {
        Imports {
            into_response: ident(&names.into_response),
            response: ident(&names.response),
            future: ident(&names.future),
            arc: ident(&names.arc),
            request_context: ident(&names.request_context),
            service_param: ident(&names.service_param),
        }
    }
}

/// The `server` module, an item at a time; returns its `use` items.
pub fn module(api: &Api, emit: &mut Emit) -> TokenStream {
    let imports = Imports::of(&api.names.server);
    let services = || api.services.iter().zip(&api.names.services).enumerate();
    let operations = || api.operations.iter().zip(&api.names.operations);
    let error_formats = services().map(|(_, (s, names))| error_format(api, s, names));
    let traits = services().map(|(i, (s, names))| service_trait(api, &imports, i, s, names));
    let inputs = operations().map(|(op, names)| input_struct(api, op, names));
    let body_items = operations().map(|(op, names)| bodies::body_items(api, op, names));
    let responses = operations().map(|(op, names)| response_enum(api, &imports, op, names));
    let routers = services().map(|(i, (s, names))| service_router(api, &imports, i, s, names));
    let statics = Statics::of(api);
    // An operation the router cannot serve (`Operation::route` is `None`) has no
    // handler; its trait method stays, so that an implementation covers the spec.
    let handlers = operations()
        .enumerate()
        .filter(|(_, (op, _))| op.route.is_some())
        .map(|(i, (op, names))| handler(api, &imports, &statics, i, op, names));
    let combined = combined_router(api, &imports);
    let mut used = UsedNames::default();
    let mut emit = |piece: TokenStream| {
        used.add(&piece);
        emit(piece);
    };
    error_formats.for_each(&mut emit);
    traits.for_each(&mut emit);
    inputs.for_each(&mut emit);
    body_items.for_each(&mut emit);
    responses.for_each(&mut emit);
    routers.for_each(&mut emit);
    emit(combined);
    handlers.for_each(&mut emit);
    let names = &api.names.server;
    used.uses(&[
        ("super", &[("types", "types"), ("validate", "validate")]),
        (
            "crate::runtime",
            &[
                ("self", "runtime"),
                ("RequestContext", names.request_context.as_str()),
            ],
        ),
        (
            "::axum::response",
            &[
                ("IntoResponse", names.into_response.as_str()),
                ("Response", names.response.as_str()),
            ],
        ),
        ("::std::future", &[("Future", names.future.as_str())]),
        ("::std::sync", &[("Arc", names.arc.as_str())]),
    ])
}

fn error_format(api: &Api, service: &Service, names: &ServiceNames) -> TokenStream {
    let name = ident(&names.errors_const);
    let code = service
        .validation_error_code
        .clone()
        .unwrap_or_else(|| "InvalidRequest".to_string());
    let (code_field, message_field) = match &api.error_model {
        Some(model) => (model.code_field.clone(), model.message_field.clone()),
        None => ("code".to_string(), "message".to_string()),
    };
    let doc = docs(&format!(
        "How `{}` answers requests it rejects: `{{\"{code_field}\": ..., \"{message_field}\": ...}}` with code `{code}` (the spec's `x-error-model` and the tag's `x-validation-error-code`).",
        service.name
    ));
    quote! {
        #doc
        pub const #name: runtime::ErrorFormat = runtime::ErrorFormat {
            code_field: #code_field,
            message_field: #message_field,
            validation_code: #code,
        };
    }
}

/// `#[deprecated]` for a deprecated operation's trait method.
fn deprecated(op: &Operation) -> Option<TokenStream> {
    op.deprecated.then(|| {
        let note = format!(
            "`{}` is deprecated by the API: it still works, but may be removed",
            op.operation_id
        );
        quote! { #[deprecated(note = #note)] }
    })
}

fn service_trait(
    api: &Api,
    imports: &Imports,
    index: usize,
    service: &Service,
    names: &ServiceNames,
) -> TokenStream {
    let Imports {
        future,
        request_context,
        ..
    } = imports;
    let name = ident(&names.trait_name);
    let methods = api
        .operations
        .iter()
        .zip(&api.names.operations)
        .filter(|(op, _)| op.service == index)
        .map(|(op, names)| {
            let method = ident(&op.rust_name);
            let response = ident(&names.response_enum);
            let input = ident(&names.input_struct);
            let mut text = op.summary.clone().unwrap_or_default();
            text.push_str(&format!(
                "\n\nServes `{} {}` (operation `{}`).",
                op.method.as_str(),
                op.path,
                op.operation_id
            ));
            if let Some(d) = &op.description {
                text.push_str(&format!("\n\n{}", d.trim()));
            }
            if op.deprecated {
                text.push_str("\n\n**Deprecated** by the API.");
            }
            text.push_str(&format!(
                "\n\nThe request has been validated against the spec when this runs; `input` holds its parameters and body ([`{}`]).",
                names.input_struct
            ));
            let doc = docs(&text);
            let deprecated = deprecated(op);
            quote! {
                #doc
                #deprecated
                fn #method(&self, ctx: #request_context, input: #input) -> impl #future<Output = #response> + Send;
            }
        });
    let doc = docs(&format!(
        "The operations of the `{}` service. Implement it and serve it with [`{}`].{}",
        service.name,
        names.router_fn,
        service
            .description
            .as_ref()
            .map(|d| format!("\n\n{d}"))
            .unwrap_or_default()
    ));
    quote! {
        #doc
        pub trait #name: Send + Sync + 'static {
            #(#methods)*
        }
    }
}

/// The struct of an operation's inputs: a field per parameter, then `body`.
fn input_struct(api: &Api, op: &Operation, names: &OperationNames) -> TokenStream {
    let name = ident(&names.input_struct);
    let mut fields = Vec::new();
    let mut required = Vec::new();
    let mut inits = Vec::new();
    for p in &op.params {
        let field = ident(&p.rust_name);
        let ty = rust_type(api, &p.schema.ty, &quote! { types:: });
        let mut text = format!(
            "`{}` ({} parameter{}).",
            p.wire_name,
            p.location.as_str(),
            if p.required { "" } else { ", optional" }
        );
        if let Some(description) = &p.description {
            text.push_str(&format!(" {}", description.trim()));
        }
        if p.deprecated {
            text.push_str("\n\n**Deprecated** by the API.");
        }
        let doc = docs(&text);
        if p.required {
            fields.push(quote! { #doc pub #field: #ty, });
            required.push(quote! { #field: #ty });
            inits.push(quote! { #field });
        } else {
            fields.push(quote! { #doc pub #field: Option<#ty>, });
            inits.push(quote! { #field: None });
        }
    }
    if let (Some(body), Some(ty)) = (&op.body, bodies::body_type(api, op, names)) {
        let mut text = format!(
            "The request body ({}{}).",
            bodies::body_media(op),
            if body.required { "" } else { ", optional" }
        );
        if let Some(description) = &body.description {
            text.push_str(&format!(" {}", description.trim()));
        }
        let doc = docs(&text);
        if body.required {
            fields.push(quote! { #doc pub body: #ty, });
            required.push(quote! { body: #ty });
            inits.push(quote! { body });
        } else {
            fields.push(quote! { #doc pub body: Option<#ty>, });
            inits.push(quote! { body: None });
        }
    }
    let doc = docs(&format!(
        "The inputs of `{}`: its parameters and body, read from the request and validated against the spec.\n\nMarked `#[non_exhaustive]`: a parameter the spec adds later is a new field, and code that reads these fields keeps compiling. Outside this crate, build one with {}.",
        op.operation_id,
        if required.is_empty() {
            "`default()`"
        } else {
            "`new` (with the required inputs)"
        }
    ));
    let (derive_default, constructor) = if required.is_empty() {
        (Some(quote! { Default, }), None)
    } else {
        let allow = (required.len() > 7).then(|| {
            quote! {
                #[allow(clippy::too_many_arguments, reason = "one argument per required input, in spec order")]
            }
        });
        let constructor = quote! {
            impl #name {
                /// Inputs with the required parameters (and body) set and every optional one absent.
                #allow
                pub fn new(#(#required),*) -> Self {
                    Self { #(#inits),* }
                }
            }
        };
        (None, Some(constructor))
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #constructor
    }
}

fn response_enum(
    api: &Api,
    imports: &Imports,
    op: &Operation,
    names: &OperationNames,
) -> TokenStream {
    let Imports {
        into_response,
        response,
        ..
    } = imports;
    let name = ident(&names.response_enum);
    let variants = op.responses.iter().zip(&names.responses).map(|(r, rn)| {
        let variant = ident(&r.variant_name);
        let doc = docs(&format!(
            "{}: {}",
            status_label(r.status),
            r.description.trim()
        ));
        let body = bodies::payload_type(api, r, rn);
        if is_tuple_variant(r) {
            return match body {
                Some(ty) => quote! { #doc #variant(#ty), },
                None => quote! { #doc #variant, },
            };
        }
        let status_field = ident(&rn.status_field);
        let body_field = ident(&rn.body_field);
        let status = r.status.is_variable().then(|| {
            quote! {
                /// The status to answer with.
                #status_field: ::axum::http::StatusCode,
            }
        });
        let body = body.map(|ty| {
            quote! {
                /// The body.
                #body_field: #ty,
            }
        });
        let headers = r.headers.iter().map(|h| {
            let field = ident(&h.rust_name);
            let ty = rust_type(api, &h.schema.ty, &quote! { types:: });
            let ty = if h.required {
                ty
            } else {
                quote! { Option<#ty> }
            };
            let doc = docs(&format!(
                "The `{}` header. {}",
                h.wire_name,
                h.description.clone().unwrap_or_default()
            ));
            quote! { #doc #field: #ty, }
        });
        quote! { #doc #variant { #status #body #(#headers)* }, }
    });
    let arms = op.responses.iter().zip(&names.responses).map(|(r, rn)| {
        let variant = ident(&r.variant_name);
        let ResponseNames {
            status_field,
            body_field,
            response_local,
            value_local,
            ..
        } = rn;
        let (status_field, body_field) = (ident(status_field), ident(body_field));
        let (response_local, value_local) = (ident(response_local), ident(value_local));
        let status = match r.status {
            Status::Code(code) => status_const(code),
            Status::Range(_) | Status::Default => quote! { #status_field },
        };
        let make = bodies::make_response(r, rn, &status, &body_field);
        let has_body = !r.contents.is_empty();
        if is_tuple_variant(r) {
            return match has_body {
                true => quote! { Self::#variant(#body_field) => #make, },
                false => quote! { Self::#variant => #make, },
            };
        }
        let status_bind = r.status.is_variable().then(|| quote! { #status_field, });
        let body_bind = has_body.then(|| quote! { #body_field, });
        let names: Vec<_> = r.headers.iter().map(|h| ident(&h.rust_name)).collect();
        if r.headers.is_empty() {
            return quote! {
                Self::#variant { #status_bind #body_bind } => #make,
            };
        }
        let inserts = r.headers.iter().map(|h| {
            let field = ident(&h.rust_name);
            let wire = &h.wire_name;
            if h.required {
                quote! { runtime::insert_header(&mut #response_local, #wire, &#field.to_string()); }
            } else {
                quote! {
                    if let Some(#value_local) = #field {
                        runtime::insert_header(&mut #response_local, #wire, &#value_local.to_string());
                    }
                }
            }
        });
        quote! {
            Self::#variant { #status_bind #body_bind #(#names,)* } => {
                let mut #response_local = #make;
                #(#inserts)*
                #response_local
            }
        }
    });
    let doc = docs(&format!(
        "What `{}` answers: one variant per documented status.\n\nMarked `#[non_exhaustive]`: a status the spec documents later is a new variant, and code that matches on these keeps compiling.",
        op.operation_id
    ));
    // A body that may be a stream cannot be cloned or compared.
    let derives = if op.responses.iter().any(bodies::streams) {
        quote! { #[derive(Debug)] }
    } else {
        quote! { #[derive(Debug, Clone, PartialEq)] }
    };
    let contents = bodies::content_enums(api, op, names);
    quote! {
        #doc
        #derives
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        impl #into_response for #name {
            fn into_response(self) -> #response {
                match self {
                    #(#arms)*
                }
            }
        }

        #contents
    }
}

/// Whether a response's variant holds just its body: no headers, a fixed status.
fn is_tuple_variant(r: &Response) -> bool {
    r.headers.is_empty() && !r.status.is_variable()
}

/// `StatusCode::BAD_REQUEST` for a code `http` names, `from_u16` otherwise.
fn status_const(code: u16) -> TokenStream {
    match crate::naming::status_constant(code) {
        Some(name) => {
            let name = ident(&name);
            quote! { ::axum::http::StatusCode::#name }
        }
        None => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            quote! {
                ::axum::http::StatusCode::from_u16(#code).unwrap_or(::axum::http::StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }
}

fn status_label(status: Status) -> String {
    match status {
        Status::Code(code) => format!("HTTP {code}"),
        Status::Range(digit) => format!("HTTP {digit}XX"),
        Status::Default => "Any other status".to_string(),
    }
}

fn service_router(
    api: &Api,
    imports: &Imports,
    index: usize,
    service: &Service,
    names: &ServiceNames,
) -> TokenStream {
    let Imports {
        arc,
        request_context,
        service_param,
        ..
    } = imports;
    let name = ident(&names.trait_name);
    let router_fn = ident(&names.router_fn);
    let routes_fn = ident(&names.routes_fn);
    let errors = ident(&names.errors_const);
    // The routes the server serves (`Operation::route`), each once.
    let mut paths: Vec<&str> = Vec::new();
    for op in api.operations.iter().filter(|op| op.service == index) {
        if let Some(route) = op.route.as_deref() {
            if !paths.contains(&route) {
                paths.push(route);
            }
        }
    }
    let routes = paths.iter().map(|path| {
        let on_route = |op: &&Operation| op.route.as_deref() == Some(*path);
        let ops: Vec<(&Operation, &OperationNames)> = api
            .operations
            .iter()
            .zip(&api.names.operations)
            .filter(|(op, _)| op.service == index && on_route(op))
            .collect();
        let mut chain = quote! { ::axum::routing::MethodRouter::new() };
        let mut methods: Vec<&'static str> = Vec::new();
        for (op, _) in &ops {
            if !methods.contains(&op.method.as_lower()) {
                methods.push(op.method.as_lower());
            }
        }
        for method in methods {
            let on_method: Vec<&(&Operation, &OperationNames)> = ops
                .iter()
                .filter(|(op, _)| op.method.as_lower() == method)
                .collect();
            // An operation's handler starts with `Input::read`, which checks the caller
            // itself; a dispatch by query may answer before any handler reads, so it is
            // checked around.
            let (wrap, handler) = match on_method.as_slice() {
                [(op, names)] if op.mixed_segments.is_empty() => {
                    let handler = ident(&names.handler_fn);
                    (
                        quote! { finished_reader },
                        quote! { #handler::<#service_param> },
                    )
                }
                several => (quote! { finished }, dispatch(several, imports, &errors)),
            };
            let method = ident(method);
            chain = quote! { #chain.#method(runtime::#wrap(#handler, finishing)) };
        }
        // A route shared by several services is merged into one; axum allows one
        // fallback per route, so the first service that serves it answers 405 for all,
        // naming every service's methods.
        let first = api.operations.iter().find(on_route).map(|op| op.service);
        if first != Some(index) {
            return quote! { .route(#path, #chain) };
        }
        let mut allowed: Vec<&str> = Vec::new();
        for op in api.operations.iter().filter(on_route) {
            if !allowed.contains(&op.method.as_str()) {
                allowed.push(op.method.as_str());
            }
        }
        let allowed = allowed.join(", ");
        quote! {
            .route(#path, #chain.fallback(runtime::finished(|ctx: #request_context| async move {
                runtime::method_not_allowed(&#errors, &ctx, #allowed)
            }, finishing)))
        }
    });
    let doc = docs(&format!(
        "Routes every operation of `{}` to `service`. Requests are validated first; rejections are answered in the spec's error format.",
        service.name
    ));
    // Answers with several media types are sent as the request's `Accept` prefers.
    let negotiate = bodies::negotiates(api.operations.iter().filter(|op| op.service == index))
        .then(|| quote! { .layer(::axum::middleware::from_fn(runtime::negotiate)) });
    // A service without routes does not use it.
    let finishing_param = if paths.is_empty() {
        quote! { _finishing }
    } else {
        quote! { finishing }
    };
    let routes_doc = docs(&format!(
        "[`{router_fn}`] with the finishing work (request ids, the body limit, authentication) done where `finishing` says."
    ));
    quote! {
        #doc
        pub fn #router_fn<#service_param: #name>(service: #arc<#service_param>) -> ::axum::Router {
            #routes_fn(service, &runtime::Finishing::LAYER)
        }

        #routes_doc
        fn #routes_fn<#service_param: #name>(service: #arc<#service_param>, #finishing_param: &runtime::Finishing) -> ::axum::Router {
            ::axum::Router::new()
                #(#routes)*
                #negotiate
                .with_state(service)
        }
    }
}

/// One handler for operations that share a method and route: it calls the handler of
/// the first whose segments (`Operation::mixed_segments`) and query pairs
/// (`Operation::selector`) all match the request, the more specific first: more text in
/// the matched segments, then more query pairs, the operation with neither last.
fn dispatch(
    ops: &[&(&Operation, &OperationNames)],
    imports: &Imports,
    errors: &Ident,
) -> TokenStream {
    let Imports {
        arc, service_param, ..
    } = imports;
    let mut ordered: Vec<&(&Operation, &OperationNames)> = ops.to_vec();
    ordered.sort_by_key(|(op, _)| {
        let text: usize = op
            .mixed_segments
            .iter()
            .flat_map(|m| &m.parts)
            .map(|part| match part {
                Segment::Literal(text) => text.len(),
                Segment::Param(_) => 0,
            })
            .sum();
        (
            std::cmp::Reverse(text),
            op.mixed_segments.is_empty(),
            op.selector.is_empty(),
            std::cmp::Reverse(op.selector.len()),
        )
    });
    let candidates = ordered.iter().map(|(op, _)| {
        let segments = op.mixed_segments.iter().map(|m| {
            let index = proc_macro2::Literal::usize_unsuffixed(m.index);
            let pieces = m.parts.iter().map(piece);
            quote! { (#index, &[#(#pieces),*]) }
        });
        let pairs = op.selector.iter().map(|(name, value)| match value {
            Some(value) => quote! { (#name, Some(#value)) },
            None => quote! { (#name, None) },
        });
        quote! { runtime::Candidate { segments: &[#(#segments),*], query: &[#(#pairs),*] } }
    });
    let arms = ordered.iter().enumerate().map(|(i, (_, names))| {
        let handler = ident(&names.handler_fn);
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        quote! { runtime::Selected::Operation(#i) => #handler::<#service_param>(state, request).await, }
    });
    let expected = ordered
        .iter()
        .filter(|(op, _)| !op.selector.is_empty())
        .map(|(op, _)| format!("`{}`", crate::ir::query_text(&op.selector)))
        .collect::<Vec<_>>()
        .join(", ");
    let by_path = ordered.iter().any(|(op, _)| !op.mixed_segments.is_empty());
    let no_query = quote! { runtime::no_operation_selected(&#errors, &request, #expected) };
    let no_path = quote! { runtime::no_operation_at(&#errors, &request) };
    let rest = match (by_path, expected.is_empty()) {
        (true, true) => quote! { _ => #no_path, },
        (true, false) => quote! { runtime::Selected::NoQuery => #no_query, _ => #no_path, },
        (false, _) => quote! { _ => #no_query, },
    };
    quote! {
        |state: ::axum::extract::State<#arc<#service_param>>, request: ::axum::extract::Request| async move {
            const CANDIDATES: &[runtime::Candidate] = &[#(#candidates),*];
            match runtime::select_operation(request.uri().path(), request.uri().query(), CANDIDATES) {
                #(#arms)*
                #rest
            }
        }
    }
}

/// A part of a segment the server matches, as `runtime::Piece`.
fn piece(part: &Segment) -> TokenStream {
    match part {
        Segment::Literal(text) => quote! { runtime::Piece::Text(#text) },
        Segment::Param(name) => quote! { runtime::Piece::Param(#name) },
    }
}

fn combined_router(api: &Api, imports: &Imports) -> TokenStream {
    let arc = &imports.arc;
    let names = &api.names.services;
    let generics = names.iter().map(|n| {
        let t = ident(&n.impl_param);
        let name = ident(&n.trait_name);
        quote! { #t: #name }
    });
    let args = names.iter().map(|n| {
        let arg = ident(&n.router_arg);
        let t = ident(&n.impl_param);
        quote! { #arg: #arc<#t> }
    });
    let merges = names.iter().map(|n| {
        let arg = ident(&n.router_arg);
        let routes_fn = ident(&n.routes_fn);
        quote! { .merge(#routes_fn(#arg, &finishing)) }
    });
    // A service that negotiates media types does so in a layer around its routes, whose
    // answers need the finishing layer outside it.
    let finishing = if bodies::negotiates(api.operations.iter()) {
        quote! { runtime::Finishing::LAYER }
    } else {
        quote! { runtime::Finishing::in_handlers(options, ROUTE_ERRORS) }
    };
    // Each service's literal path prefixes (the text before the first parameter), so
    // that an unknown route under a service's paths is answered in that service's format.
    let mut prefixes: Vec<(String, usize)> = Vec::new();
    for op in &api.operations {
        let Some(route) = &op.route else {
            continue;
        };
        let prefix = route.split('{').next().unwrap_or_default().to_string();
        if !prefixes.iter().any(|(p, _)| *p == prefix) {
            prefixes.push((prefix, op.service));
        }
    }
    let route_errors = prefixes.iter().map(|(prefix, service)| {
        let errors = ident(&names[*service].errors_const);
        quote! { (#prefix, &#errors) }
    });
    quote! {
        /// Which service's error format answers an unknown route: `(path prefix, format)`
        /// pairs, longest matching prefix first choice (see [`runtime::finish_services`]).
        pub const ROUTE_ERRORS: &[(&str, &runtime::ErrorFormat)] = &[#(#route_errors),*];

        /// Every service behind one router, with the finishing work: `X-Request-Id` on
        /// every response, the body size limit, and answers in the spec's error format for
        /// unknown routes.
        pub fn router<#(#generics),*>(#(#args,)* options: &runtime::RouterOptions) -> ::axum::Router {
            let finishing = #finishing;
            let routes = ::axum::Router::new() #(#merges)*;
            runtime::finish_routes(routes, ROUTE_ERRORS, options, &finishing)
        }
    }
}

fn handler(
    api: &Api,
    imports: &Imports,
    statics: &Statics,
    index: usize,
    op: &Operation,
    names: &OperationNames,
) -> TokenStream {
    let Imports {
        response: response_type,
        arc,
        service_param,
        ..
    } = imports;
    let name = ident(&names.handler_fn);
    let service_names = &api.names.services[op.service];
    let service_trait = ident(&service_names.trait_name);
    let errors = ident(&service_names.errors_const);
    let input_struct = ident(&names.input_struct);
    let locals = &names.handler_locals;
    let (service, request, input, ctx, response) = (
        ident(&locals.service),
        ident(&locals.request),
        ident(&locals.input),
        ident(&locals.ctx),
        ident(&locals.response),
    );
    let method = ident(&op.rust_name);
    let param_rules = params_static(statics, index);
    let params = op.params.iter().enumerate().map(|(i, p)| {
        let var = ident(&p.rust_name);
        let ty = rust_type(api, &p.schema.ty, &quote! { types:: });
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        quote! {
            let #var: Option<#ty> = #input.param(&#param_rules[#i]);
        }
    });
    let body = bodies::read_body(api, statics, index, op, names, &input);
    let input_binding = if op.params.is_empty() && op.body.is_none() {
        quote! { #input }
    } else {
        quote! { mut #input }
    };
    // Required values are `Some` once there are no violations; optional ones stay
    // `Option`. The `let ... else` keeps the handler free of panics either way.
    let required_names: Vec<Ident> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| ident(&p.rust_name))
        .chain(op.body.iter().filter(|b| b.required).map(|_| ident("body")))
        .collect();
    let unreachable = quote! {
        return runtime::reject(&#errors, &#ctx, runtime::Rejection::Invalid(::std::default::Default::default()));
    };
    let unwrap = match required_names.as_slice() {
        [] => None,
        [one] => Some(quote! {
            let Some(#one) = #one else { #unreachable };
        }),
        many => Some(quote! {
            let (#(Some(#many)),*) = (#(#many),*) else { #unreachable };
        }),
    };
    let fields = op
        .params
        .iter()
        .map(|p| ident(&p.rust_name))
        .chain(op.body.iter().map(|_| ident("body")));
    let doc = format!(
        " Serves `{} {}`: validates the request, then calls the trait method.",
        op.method.as_str(),
        op.path
    );
    let allow = op.deprecated.then(|| {
        quote! {
            #[allow(deprecated, reason = "the router serves the operation; the deprecation is for its callers")]
        }
    });
    quote! {
        #[doc = #doc]
        #allow
        async fn #name<#service_param: #service_trait>(
            ::axum::extract::State(#service): ::axum::extract::State<#arc<#service_param>>,
            #request: ::axum::extract::Request,
        ) -> #response_type {
            let #input_binding = runtime::Input::read(#request).await;
            #(#params)*
            #body
            let #ctx = match #input.finish(&#errors) {
                Ok(#ctx) => #ctx,
                Err(#response) => return #response,
            };
            #unwrap
            #service.#method(#ctx, #input_struct { #(#fields),* }).await.into_response()
        }
    }
}

// ----- mock ----------------------------------------------------------------------------

/// The `mock` module: `Mock` implements every service trait with the spec's examples.
/// Its namespace holds only fixed names: it names the server's items by path.
pub fn mock_module(api: &Api, emit: &mut Emit) -> TokenStream {
    let impls = api
        .services
        .iter()
        .zip(&api.names.services)
        .enumerate()
        .map(|(i, (_, names))| {
            let name = ident(&names.trait_name);
            let methods = api
                .operations
                .iter()
                .zip(&api.names.operations)
                .filter(|(op, _)| op.service == i)
                .map(|(op, names)| mock_method(api, op, names));
            quote! {
                impl server::#name for Mock {
                    #(#methods)*
                }
            }
        });
    let mut used = UsedNames::default();
    let mut emit = |piece: TokenStream| {
        used.add(&piece);
        emit(piece);
    };
    emit(quote! {
        /// A local fake of every service: each operation answers with an example from the
        /// spec. By default the first documented success status and its first example;
        /// a request header `Prefer: code=404` or `Prefer: example=<name>` picks another.
        #[derive(Debug, Clone, Copy, Default)]
        pub struct Mock;
    });
    impls.for_each(&mut emit);
    used.uses(&[
        ("super", &[("server", "server")]),
        (
            "crate::runtime",
            &[("self", "runtime"), ("RequestContext", "RequestContext")],
        ),
        ("::std::future", &[("Future", "Future")]),
    ])
}

fn mock_method(api: &Api, op: &Operation, names: &OperationNames) -> TokenStream {
    let method = ident(&op.rust_name);
    let response = ident(&names.response_enum);
    let input = ident(&names.input_struct);
    // Candidates: (status, content, example name, JSON text, media type) for every
    // example of every content of a response, and statuses without a body; a content
    // without an example gets a value made from its schema.
    let mut candidates = Vec::new();
    let mut arms = Vec::new();
    for (index, (r, rn)) in op.responses.iter().zip(&names.responses).enumerate() {
        let status = mock_status(r.status);
        let mut examples: Vec<(usize, String, Value, &str)> = Vec::new();
        for (content, c) in r.contents.iter().enumerate() {
            if c.examples.is_empty() {
                let value = synthesize(api, &c.schema, 0);
                examples.push((content, "generated".to_string(), value, &c.send_as));
            }
            for e in &c.examples {
                examples.push((content, e.name.clone(), e.value.clone(), &c.send_as));
            }
        }
        if r.contents.is_empty() {
            examples.push((0, "empty".to_string(), Value::Null, ""));
        }
        for (content, name, value, media) in examples {
            let json = value.to_string();
            let (index, status, content) = (
                proc_macro2::Literal::usize_unsuffixed(index),
                proc_macro2::Literal::u16_unsuffixed(status),
                proc_macro2::Literal::usize_unsuffixed(content),
            );
            candidates.push(quote! { runtime::MockExample { response: #index, content: #content, status: #status, name: #name, json: #json, media: #media } });
        }
        arms.push(mock_arm(api, op, r, rn, &response, index));
    }
    let arm_tokens: Vec<TokenStream> = arms.iter().map(|(arm, _)| arm.clone()).collect();
    // With one documented response there is nothing to choose between.
    let single = op.responses.len() == 1;
    let needs_example = op.responses.iter().any(|r| !r.contents.is_empty());
    let body = if single && !needs_example {
        let value = &arms[0].1;
        quote! {
            let _ = ctx;
            async move { #value }
        }
    } else if single {
        let value = &arms[0].1;
        quote! {
            const EXAMPLES: &[runtime::MockExample] = &[#(#candidates),*];
            let chosen = runtime::choose_example(&ctx, EXAMPLES);
            async move { #value }
        }
    } else {
        quote! {
            const EXAMPLES: &[runtime::MockExample] = &[#(#candidates),*];
            let chosen = runtime::choose_example(&ctx, EXAMPLES);
            async move {
                match chosen.response {
                    #(#arm_tokens)*
                }
            }
        }
    };
    quote! {
        fn #method(&self, ctx: RequestContext, _input: server::#input) -> impl Future<Output = server::#response> + Send {
            #body
        }
    }
}

/// A `pattern => value,` arm of the mock's choice, and the value alone.
fn mock_arm(
    api: &Api,
    op: &Operation,
    r: &Response,
    names: &ResponseNames,
    response: &Ident,
    index: usize,
) -> (TokenStream, TokenStream) {
    let variant = ident(&r.variant_name);
    let body = bodies::mock_body(r, names);
    let is_last = index + 1 == op.responses.len();
    let pattern = if is_last {
        quote! { _ }
    } else {
        quote! { #index }
    };
    let headers = r.headers.iter().map(|h| {
        let field = ident(&h.rust_name);
        if h.required {
            let value = synthesize(api, &h.schema, 0).to_string();
            quote! { #field: runtime::example_json(#value), }
        } else {
            quote! { #field: None, }
        }
    });
    let value = if is_tuple_variant(r) {
        match body {
            Some(body) => quote! { server::#response::#variant(#body) },
            None => quote! { server::#response::#variant },
        }
    } else {
        let (status_field, body_field) = (ident(&names.status_field), ident(&names.body_field));
        let status = r.status.is_variable().then(|| {
            let status = status_const(mock_status(r.status));
            quote! { #status_field: #status, }
        });
        let body = body.map(|b| quote! { #body_field: #b, });
        quote! { server::#response::#variant { #status #body #(#headers)* } }
    };
    (quote! { #pattern => #value, }, value)
}

/// The status the mock answers a response with: its code, the first of its range, or
/// 500 for `default`.
fn mock_status(status: Status) -> u16 {
    match status {
        Status::Code(code) => code,
        Status::Range(digit) => digit * 100,
        Status::Default => 500,
    }
}

/// A small value that satisfies the schema, for mock answers that have no example.
pub fn synthesize(api: &Api, schema: &Schema, depth: usize) -> Value {
    if let Some(default) = &schema.default {
        return default.clone();
    }
    if let Some(first) = schema.constraints.allowed.first() {
        return first.clone();
    }
    let c = &schema.constraints;
    match &schema.ty {
        TypeRef::String(_) => Value::String(
            "x".repeat(
                c.min_length
                    .unwrap_or(1)
                    .max(1)
                    .min(c.max_length.unwrap_or(usize::MAX)),
            ),
        ),
        TypeRef::Integer(_) | TypeRef::Number(_) => {
            let v = c
                .minimum
                .map(|m| if c.exclusive_minimum { m + 1.0 } else { m })
                .unwrap_or(0.0)
                .max(c.maximum.map_or(f64::MIN, |m| m.min(0.0)));
            serde_json::json!(v as i64)
        }
        TypeRef::Boolean => Value::Bool(false),
        TypeRef::Array(items) => {
            let n = c.min_items.unwrap_or(0);
            Value::Array((0..n).map(|_| synthesize(api, items, depth + 1)).collect())
        }
        TypeRef::Map(_) | TypeRef::FreeObject | TypeRef::Any => Value::Object(Default::default()),
        TypeRef::Named(id) => {
            let def = &api.types[id.0];
            if depth > 8 {
                return Value::Null;
            }
            if let Some(example) = def.examples.first() {
                return example.value.clone();
            }
            match &def.kind {
                TypeKind::Struct(s) => Value::Object(
                    s.fields
                        .iter()
                        .filter(|f| f.required)
                        .map(|f| (f.wire_name.clone(), synthesize(api, &f.schema, depth + 1)))
                        .collect(),
                ),
                TypeKind::Enum(e) => e
                    .values
                    .first()
                    .map_or(Value::Null, |v| Value::String(v.wire.clone())),
                TypeKind::Union(u) => u
                    .variants
                    .first()
                    .map_or(Value::Null, |v| synthesize(api, &v.schema, depth + 1)),
                TypeKind::Alias(s) => synthesize(api, s, depth + 1),
            }
        }
    }
}
