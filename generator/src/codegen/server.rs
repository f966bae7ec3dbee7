//! The server crate's `server` and `mock` modules: a trait per service, a response enum
//! per operation, axum handlers that validate every request against the spec before the
//! trait method runs, routers, and a mock implementation that answers with examples.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::validate::{body_static, params_static, Statics};
use super::{docs, ident, rust_type};
use crate::ir::{Api, Operation, Response, Schema, Service, Status, TypeKind, TypeRef};

/// The whole `server` module.
pub fn module(api: &Api) -> TokenStream {
    let error_formats = api.services.iter().map(|s| error_format(api, s));
    let traits = api
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| service_trait(api, i, s));
    let responses = api.operations.iter().map(|op| response_enum(api, op));
    let routers = api
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| service_router(api, i, s));
    let statics = Statics::of(api);
    let handlers = api
        .operations
        .iter()
        .enumerate()
        .map(|(i, op)| handler(api, &statics, i, op));
    let combined = combined_router(api);
    quote! {
        // A spec with no schemas or no request bodies leaves some of these unused.
        #[allow(unused_imports)]
        use super::{types, validate};
        use crate::runtime::{self, RequestContext};
        use ::axum::response::{IntoResponse, Response};
        use ::std::future::Future;
        use ::std::sync::Arc;

        #(#error_formats)*
        #(#traits)*
        #(#responses)*
        #(#routers)*
        #combined
        #(#handlers)*
    }
}

fn error_const(service: &Service) -> proc_macro2::Ident {
    format_ident!("{}_ERRORS", service.snake_name.to_uppercase())
}

fn error_format(api: &Api, service: &Service) -> TokenStream {
    let name = error_const(service);
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

fn trait_name(service: &Service) -> proc_macro2::Ident {
    ident(&service.rust_name)
}

fn response_name(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}Response", op.type_name)
}

/// The arguments a trait method takes after `ctx`: every parameter, then the body.
fn typed_args(api: &Api, op: &Operation) -> Vec<(proc_macro2::Ident, TokenStream)> {
    let mut args: Vec<(proc_macro2::Ident, TokenStream)> = op
        .params
        .iter()
        .map(|p| {
            let ty = rust_type(api, &p.schema.ty, &quote! { types:: });
            let ty = if p.required {
                ty
            } else {
                quote! { Option<#ty> }
            };
            (ident(&p.rust_name), ty)
        })
        .collect();
    if let Some(body) = &op.body {
        let ty = rust_type(api, &body.schema.ty, &quote! { types:: });
        let ty = if body.required {
            ty
        } else {
            quote! { Option<#ty> }
        };
        args.push((format_ident!("body"), ty));
    }
    args
}

fn service_trait(api: &Api, index: usize, service: &Service) -> TokenStream {
    let name = trait_name(service);
    let methods = api.operations.iter().filter(|op| op.service == index).map(|op| {
        let method = ident(&op.rust_name);
        let response = response_name(op);
        let args = typed_args(api, op).into_iter().map(|(name, ty)| quote! { #name: #ty });
        let mut text = op.summary.clone().unwrap_or_default();
        text.push_str(&format!("\n\nServes `{} {}` (operation `{}`).", op.method.as_str(), op.path, op.operation_id));
        if let Some(d) = &op.description {
            text.push_str(&format!("\n\n{}", d.trim()));
        }
        if op.deprecated {
            text.push_str("\n\n**Deprecated** by the API.");
        }
        text.push_str("\n\nThe request has been validated against the spec when this runs.");
        let doc = docs(&text);
        let allow = (op.params.len() + usize::from(op.body.is_some()) > 5).then(|| {
            quote! {
                // One argument per parameter of the operation, in spec order.
                #[allow(clippy::too_many_arguments)]
            }
        });
        quote! {
            #doc
            #allow
            fn #method(&self, ctx: RequestContext, #(#args),*) -> impl Future<Output = #response> + Send;
        }
    });
    let doc = docs(&format!(
        "The operations of the `{}` service. Implement it and serve it with [`{}_router`].{}",
        service.name,
        service.snake_name,
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

fn response_enum(api: &Api, op: &Operation) -> TokenStream {
    let name = response_name(op);
    let variants = op.responses.iter().map(|r| {
        let variant = ident(&r.variant_name);
        let doc = docs(&format!(
            "{}: {}",
            status_label(r.status),
            r.description.trim()
        ));
        let body = r
            .body
            .as_ref()
            .map(|b| rust_type(api, &b.schema.ty, &quote! { types:: }));
        let status_field =
            (r.status == Status::Default).then(|| quote! { status: ::axum::http::StatusCode, });
        if r.headers.is_empty() && r.status != Status::Default {
            match body {
                Some(ty) => quote! { #doc #variant(#ty), },
                None => quote! { #doc #variant, },
            }
        } else {
            let body = body.map(|ty| quote! { body: #ty, });
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
            quote! { #doc #variant { #status_field #body #(#headers)* }, }
        }
    });
    let arms = op.responses.iter().map(|r| {
        let variant = ident(&r.variant_name);
        let status = match r.status {
            Status::Code(code) => status_const(code),
            Status::Default => quote! { status },
        };
        let make = match &r.body {
            Some(_) => quote! { runtime::json_response(#status, &body) },
            None => quote! { #status.into_response() },
        };
        if r.headers.is_empty() && r.status != Status::Default {
            match &r.body {
                Some(_) => quote! { Self::#variant(body) => #make, },
                None => quote! { Self::#variant => #make, },
            }
        } else {
            let status_bind = (r.status == Status::Default).then(|| quote! { status, });
            let body_bind = r.body.as_ref().map(|_| quote! { body, });
            let names: Vec<_> = r.headers.iter().map(|h| ident(&h.rust_name)).collect();
            let inserts = r.headers.iter().map(|h| {
                let field = ident(&h.rust_name);
                let wire = &h.wire_name;
                if h.required {
                    quote! { runtime::insert_header(&mut response, #wire, &#field.to_string()); }
                } else {
                    quote! {
                        if let Some(value) = #field {
                            runtime::insert_header(&mut response, #wire, &value.to_string());
                        }
                    }
                }
            });
            quote! {
                Self::#variant { #status_bind #body_bind #(#names,)* } => {
                    #[allow(unused_mut)] // Only responses with headers change it.
                    let mut response = #make;
                    #(#inserts)*
                    response
                }
            }
        }
    });
    let doc = docs(&format!(
        "What `{}` answers: one variant per documented status.",
        op.operation_id
    ));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        impl IntoResponse for #name {
            fn into_response(self) -> Response {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

/// `StatusCode::BAD_REQUEST` for a code `http` names, `from_u16` otherwise.
fn status_const(code: u16) -> TokenStream {
    let variant = crate::naming::status_variant(code);
    if variant.starts_with("Status") {
        let code = proc_macro2::Literal::u16_unsuffixed(code);
        return quote! {
            ::axum::http::StatusCode::from_u16(#code).unwrap_or(::axum::http::StatusCode::INTERNAL_SERVER_ERROR)
        };
    }
    let name = format_ident!(
        "{}",
        heck::ToShoutySnakeCase::to_shouty_snake_case(variant.as_str())
    );
    quote! { ::axum::http::StatusCode::#name }
}

fn status_label(status: Status) -> String {
    match status {
        Status::Code(code) => format!("HTTP {code}"),
        Status::Default => "Any other status".to_string(),
    }
}

fn service_router(api: &Api, index: usize, service: &Service) -> TokenStream {
    let name = trait_name(service);
    let router_fn = format_ident!("{}_router", service.snake_name);
    let errors = error_const(service);
    let mut paths: Vec<&str> = Vec::new();
    for op in api.operations.iter().filter(|op| op.service == index) {
        if !paths.contains(&op.path.as_str()) {
            paths.push(&op.path);
        }
    }
    let routes = paths.iter().map(|path| {
        let ops: Vec<&Operation> = api
            .operations
            .iter()
            .filter(|op| op.service == index && op.path == *path)
            .collect();
        let allowed = ops
            .iter()
            .map(|op| op.method.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let mut chain = quote! { ::axum::routing::MethodRouter::new() };
        for op in ops {
            let handler = handler_name(op);
            let method = format_ident!("{}", op.method.as_str().to_lowercase());
            chain = quote! { #chain.#method(#handler::<S>) };
        }
        quote! {
            .route(#path, #chain.fallback(|ctx: RequestContext| async move {
                runtime::method_not_allowed(&#errors, &ctx, #allowed)
            }))
        }
    });
    let doc = docs(&format!(
        "Routes every operation of `{}` to `service`. Requests are validated first; rejections are answered in the spec's error format.",
        service.name
    ));
    quote! {
        #doc
        pub fn #router_fn<S: #name>(service: Arc<S>) -> ::axum::Router {
            ::axum::Router::new()
                #(#routes)*
                .with_state(service)
        }
    }
}

fn combined_router(api: &Api) -> TokenStream {
    let generics = api.services.iter().map(|s| {
        let t = format_ident!("{}Impl", s.rust_name);
        let name = trait_name(s);
        quote! { #t: #name }
    });
    let args = api.services.iter().map(|s| {
        let arg = ident(&s.snake_name);
        let t = format_ident!("{}Impl", s.rust_name);
        quote! { #arg: Arc<#t> }
    });
    let merges = api.services.iter().map(|s| {
        let arg = ident(&s.snake_name);
        let router_fn = format_ident!("{}_router", s.snake_name);
        quote! { .merge(#router_fn(#arg)) }
    });
    // Each service's literal path prefixes (the text before the first parameter), so
    // that an unknown route under a service's paths is answered in that service's format.
    let mut prefixes: Vec<(String, usize)> = Vec::new();
    for op in &api.operations {
        let prefix = op.path.split('{').next().unwrap_or_default().to_string();
        if !prefixes.iter().any(|(p, _)| *p == prefix) {
            prefixes.push((prefix, op.service));
        }
    }
    let route_errors = prefixes.iter().map(|(prefix, service)| {
        let errors = error_const(&api.services[*service]);
        quote! { (#prefix, &#errors) }
    });
    quote! {
        /// Which service's error format answers an unknown route: `(path prefix, format)`
        /// pairs, longest matching prefix first choice (see [`runtime::finish_services`]).
        pub const ROUTE_ERRORS: &[(&str, &runtime::ErrorFormat)] = &[#(#route_errors),*];

        /// Every service behind one router, with the finishing layers: `X-Request-Id` on
        /// every response, the body size limit, and answers in the spec's error format for
        /// unknown routes.
        pub fn router<#(#generics),*>(#(#args,)* options: &runtime::RouterOptions) -> ::axum::Router {
            let routes = ::axum::Router::new() #(#merges)*;
            runtime::finish_services(routes, ROUTE_ERRORS, options)
        }
    }
}

fn handler_name(op: &Operation) -> proc_macro2::Ident {
    format_ident!("handle_{}", op.rust_name.trim_start_matches("r#"))
}

fn handler(api: &Api, statics: &Statics, index: usize, op: &Operation) -> TokenStream {
    let name = handler_name(op);
    let service = &api.services[op.service];
    let service_trait = trait_name(service);
    let errors = error_const(service);
    let method = ident(&op.rust_name);
    let param_rules = params_static(statics, index);
    let params = op.params.iter().enumerate().map(|(i, p)| {
        let var = ident(&p.rust_name);
        let ty = rust_type(api, &p.schema.ty, &quote! { types:: });
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        quote! {
            let #var: Option<#ty> = input.param(&#param_rules[#i]);
        }
    });
    let body = op.body.as_ref().map(|b| {
        let required = b.required;
        let ty = rust_type(api, &b.schema.ty, &quote! { types:: });
        let rule = body_static(statics, index, &b.schema);
        quote! {
            let body: Option<#ty> = input.json_body(&#rule, #required).await;
        }
    });
    let input = if op.params.is_empty() && op.body.is_none() {
        quote! { input }
    } else {
        quote! { mut input }
    };
    // Required values are `Some` once there are no violations; optional ones stay
    // `Option`. The `let ... else` keeps the handler free of panics either way.
    let args = typed_args(api, op);
    let required_names: Vec<proc_macro2::Ident> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| ident(&p.rust_name))
        .chain(
            op.body
                .iter()
                .filter(|b| b.required)
                .map(|_| format_ident!("body")),
        )
        .collect();
    let unreachable = quote! {
        return runtime::reject(&#errors, &ctx, runtime::Rejection::Invalid(::std::default::Default::default()));
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
    let call_args = args.iter().map(|(name, _)| name);
    let doc = format!(
        " Serves `{} {}`: validates the request, then calls the trait method.",
        op.method.as_str(),
        op.path
    );
    quote! {
        #[doc = #doc]
        async fn #name<S: #service_trait>(
            ::axum::extract::State(service): ::axum::extract::State<Arc<S>>,
            request: ::axum::extract::Request,
        ) -> Response {
            let #input = runtime::Input::read(request).await;
            #(#params)*
            #body
            let ctx = match input.finish(&#errors) {
                Ok(ctx) => ctx,
                Err(response) => return response,
            };
            #unwrap
            service.#method(ctx, #(#call_args),*).await.into_response()
        }
    }
}

// ----- mock ----------------------------------------------------------------------------

/// The `mock` module: `Mock` implements every service trait with the spec's examples.
pub fn mock_module(api: &Api) -> TokenStream {
    let impls = api.services.iter().enumerate().map(|(i, s)| {
        let name = trait_name(s);
        let methods = api
            .operations
            .iter()
            .filter(|op| op.service == i)
            .map(|op| mock_method(api, op));
        quote! {
            impl server::#name for Mock {
                #(#methods)*
            }
        }
    });
    quote! {
        // A spec whose operations take no typed inputs, or answer no bodies, leaves some
        // of these unused.
        #[allow(unused_imports)]
        use super::{server, types};
        #[allow(unused_imports)]
        use crate::runtime::{self, RequestContext};
        use ::std::future::Future;

        /// A local fake of every service: each operation answers with an example from the
        /// spec. By default the first documented success status and its first example;
        /// a request header `Prefer: code=404` or `Prefer: example=<name>` picks another.
        #[derive(Debug, Clone, Copy, Default)]
        pub struct Mock;

        #(#impls)*
    }
}

fn mock_method(api: &Api, op: &Operation) -> TokenStream {
    let method = ident(&op.rust_name);
    let response = response_name(op);
    let args = typed_args(api, op).into_iter().map(|(name, ty)| {
        let name = format_ident!("_{}", name.to_string().trim_start_matches("r#"));
        quote! { #name: #ty }
    });
    // Candidates: (status, example name, JSON text) for every response with a body
    // example, and statuses without a body; a body without an example gets a value
    // made from its schema.
    let mut candidates = Vec::new();
    let mut arms = Vec::new();
    for (index, r) in op.responses.iter().enumerate() {
        let status: u16 = match r.status {
            Status::Code(code) => code,
            Status::Default => 500,
        };
        let examples: Vec<(String, Value)> = match &r.body {
            Some(b) if !b.examples.is_empty() => b
                .examples
                .iter()
                .map(|e| (e.name.clone(), e.value.clone()))
                .collect(),
            Some(b) => vec![("generated".to_string(), synthesize(api, &b.schema, 0))],
            None => vec![("empty".to_string(), Value::Null)],
        };
        for (name, value) in examples {
            let json = value.to_string();
            let (index, status) = (
                proc_macro2::Literal::usize_unsuffixed(index),
                proc_macro2::Literal::u16_unsuffixed(status),
            );
            candidates.push(quote! { runtime::MockExample { response: #index, status: #status, name: #name, json: #json } });
        }
        arms.push(mock_arm(api, op, r, index));
    }
    let allow = (op.params.len() + usize::from(op.body.is_some()) > 5)
        .then(|| quote! { #[allow(clippy::too_many_arguments)] });
    let arm_tokens: Vec<TokenStream> = arms.iter().map(|(arm, _)| arm.clone()).collect();
    // With one documented response there is nothing to choose between.
    let single = op.responses.len() == 1;
    let needs_example = op.responses.iter().any(|r| r.body.is_some());
    let body = if single && !needs_example {
        let value = single_value(&arms[0]);
        quote! {
            let _ = ctx;
            async move { #value }
        }
    } else if single {
        let value = single_value(&arms[0]);
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
        #allow
        fn #method(&self, ctx: RequestContext, #(#args),*) -> impl Future<Output = server::#response> + Send {
            #body
        }
    }
}

/// The value of a `pattern => value,` arm made by `mock_arm`.
fn single_value(arm: &(TokenStream, TokenStream)) -> TokenStream {
    arm.1.clone()
}

fn mock_arm(api: &Api, op: &Operation, r: &Response, index: usize) -> (TokenStream, TokenStream) {
    let response = response_name(op);
    let variant = ident(&r.variant_name);
    let body = r
        .body
        .as_ref()
        .map(|_| quote! { runtime::example_value(chosen) });
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
    let value = if r.headers.is_empty() && r.status != Status::Default {
        match body {
            Some(body) => quote! { server::#response::#variant(#body) },
            None => quote! { server::#response::#variant },
        }
    } else {
        let status = (r.status == Status::Default)
            .then(|| quote! { status: ::axum::http::StatusCode::INTERNAL_SERVER_ERROR, });
        let body = body.map(|b| quote! { body: #b, });
        quote! { server::#response::#variant { #status #body #(#headers)* } }
    };
    (quote! { #pattern => #value, }, value)
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
