//! The client crate's `client` module: services, the client builder, and one async
//! method per operation.
//!
//! The generated code describes each request (method, path, parameters, body) and how
//! to read each documented status; sending, signing, retries and error plumbing are the
//! hand-written `runtime` module of the client crate.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{docs, docs_from, ident, request_line, rust_type};
use crate::ir::{
    Api, Operation, ParamLocation, Parameter, Response, SecurityKind, Status, TypeRef,
};

/// The whole `client` module.
pub fn module(api: &Api) -> TokenStream {
    let service = service_enum(api);
    let security = security(api);
    let builder = builder(api);
    let response_types = api.operations.iter().map(|op| response_enums(api, op));
    let methods = api.operations.iter().map(|op| method(api, op));
    let client_fields = api.client_params.iter().map(|p| {
        let name = ident(&p.rust_name);
        quote! { #name: String, }
    });
    let accessors = api.client_params.iter().map(|p| {
        let name = ident(&p.rust_name);
        let doc = docs(&format!(
            "The `{}` this client fills into every request that takes it.",
            p.wire_name
        ));
        quote! {
            #doc
            pub fn #name(&self) -> &str {
                &self.#name
            }
        }
    });
    quote! {
        use super::types;
        use crate::runtime;

        #service
        #security
        #builder

        /// An async client for every operation of the API.
        ///
        /// Build one with [`Client::builder`]; it is cheap to clone and share.
        #[derive(Debug, Clone)]
        pub struct Client {
            runtime: runtime::Runtime,
            #(#client_fields)*
        }

        impl Client {
            /// Starts building a client.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// The runtime that sends requests (configuration, base URLs).
            #[doc(hidden)]
            pub fn runtime(&self) -> &runtime::Runtime {
                &self.runtime
            }

            #(#accessors)*

            #(#methods)*
        }

        #(#response_types)*
    }
}

fn service_enum(api: &Api) -> TokenStream {
    let variants = api.services.iter().map(|s| {
        let name = ident(&s.rust_name);
        let doc = docs_from(&[
            s.description.as_deref(),
            Some(&format!("Tag `{}`.", s.name)),
        ]);
        quote! { #doc #name, }
    });
    let all = api.services.iter().map(|s| ident(&s.rust_name));
    let names = api.services.iter().map(|s| {
        let variant = ident(&s.rust_name);
        let name = &s.name;
        quote! { Self::#variant => #name, }
    });
    let servers = api.services.iter().map(|s| {
        let variant = ident(&s.rust_name);
        let Some(server) = s.servers.first() else {
            return quote! { Self::#variant => runtime::ServerTemplate { url: "", variables: &[] }, };
        };
        let url = &server.url;
        let vars = server.variables.iter().map(|v| {
            let name = &v.name;
            let default = &v.default;
            quote! { (#name, #default) }
        });
        quote! { Self::#variant => runtime::ServerTemplate { url: #url, variables: &[#(#vars),*] }, }
    });
    let indexes = api.services.iter().enumerate().map(|(i, s)| {
        let variant = ident(&s.rust_name);
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        quote! { Self::#variant => #i, }
    });
    quote! {
        /// The services of the API, each with its own base URL.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Service {
            #(#variants)*
        }

        impl Service {
            /// Every service, in spec order.
            pub const ALL: &'static [Service] = &[#(Service::#all),*];

            /// The tag that names the service in the spec.
            pub fn name(self) -> &'static str {
                match self {
                    #(#names)*
                }
            }

            /// The service's server URL template and its variables' defaults.
            #[doc(hidden)]
            pub fn server(self) -> runtime::ServerTemplate {
                match self {
                    #(#servers)*
                }
            }

            /// The service's position in [`Service::ALL`].
            pub fn index(self) -> usize {
                match self {
                    #(#indexes)*
                }
            }
        }
    }
}

fn security(api: &Api) -> TokenStream {
    let signing = api.security_schemes.iter().find_map(|s| match &s.kind {
        SecurityKind::Signing(signing) => Some(signing),
        _ => None,
    });
    let opt = |v: &Option<String>| match v {
        Some(v) => quote! { Some(#v) },
        None => quote! { None },
    };
    let signing = match signing {
        Some(s) => {
            let algorithm = &s.algorithm;
            let header = &s.header;
            let date = &s.date_header;
            let sha = opt(&s.content_sha256_header);
            let token = opt(&s.security_token_header);
            let ak = opt(&s.access_key_env);
            let sk = opt(&s.secret_key_env);
            quote! {
                Some(runtime::SigningSpec {
                    algorithm: #algorithm,
                    authorization_header: #header,
                    date_header: #date,
                    content_sha256_header: #sha,
                    security_token_header: #token,
                    access_key_env: #ak,
                    secret_key_env: #sk,
                })
            }
        }
        None => quote! { None },
    };
    let token = api.security_schemes.iter().find_map(|s| match &s.kind {
        SecurityKind::ApiKey { location, name } if location == "header" => Some(name.clone()),
        _ => None,
    });
    let token = opt(&token);
    let headers = api
        .client_params
        .iter()
        .filter_map(|p| p.header.as_ref().map(|h| (h, &p.rust_name)));
    let header_names = headers.clone().map(|(h, _)| h);
    let operation_ids = api.operations.iter().map(|op| &op.operation_id);
    quote! {
        /// How requests are authenticated, from the spec's security schemes.
        #[doc(hidden)]
        pub const SECURITY: runtime::SecuritySpec = runtime::SecuritySpec {
            signing: #signing,
            token_header: #token,
        };

        /// Headers that carry client-level parameters on every request.
        #[doc(hidden)]
        pub const CLIENT_HEADERS: &[&str] = &[#(#header_names),*];

        /// The `operationId` of every operation, in spec order (what
        /// `runtime::Config::retry_operation` accepts).
        #[doc(hidden)]
        pub const OPERATION_IDS: &[&str] = &[#(#operation_ids),*];
    }
}

fn builder(api: &Api) -> TokenStream {
    let fields = api.client_params.iter().map(|p| {
        let name = ident(&p.rust_name);
        quote! { #name: Option<String>, }
    });
    let setters = api.client_params.iter().map(|p| {
        let name = ident(&p.rust_name);
        let mut text = p
            .description
            .clone()
            .unwrap_or_else(|| format!("`{}`.", p.wire_name));
        text.push_str(&format!(
            "\n\nGiven once here, it fills `{{{}}}` in every {} that has it.",
            p.wire_name,
            p.location.as_str()
        ));
        if let Some(header) = &p.header {
            text.push_str(&format!(" It is also sent as the `{header}` header."));
        }
        if let Some(env) = &p.env {
            text.push_str(&format!(
                " [`ClientBuilder::from_env`] reads it from `{env}`."
            ));
        }
        let doc = docs(&text);
        quote! {
            #doc
            pub fn #name(mut self, value: impl ::std::convert::Into<String>) -> Self {
                self.#name = Some(value.into());
                self
            }
        }
    });
    let mut variables: Vec<(&str, Option<&str>)> = Vec::new();
    for server in api.services.iter().flat_map(|s| s.servers.first()) {
        for v in &server.variables {
            if !variables.iter().any(|(n, _)| *n == v.name) {
                variables.push((&v.name, v.description.as_deref()));
            }
        }
    }
    let variable_setters = variables.iter().map(|(name, description)| {
        let method = format_ident!("{}", crate::naming::snake(name));
        let doc = docs_from(&[
            *description,
            Some(&format!(
                "Sets the `{{{name}}}` variable of the server URLs."
            )),
        ]);
        quote! {
            #doc
            pub fn #method(mut self, value: impl ::std::convert::Into<String>) -> Self {
                self.config = self.config.server_variable(#name, value);
                self
            }
        }
    });
    let env_reads = api.client_params.iter().filter_map(|p| {
        let env = p.env.as_ref()?;
        let name = ident(&p.rust_name);
        Some(quote! {
            if self.#name.is_none() {
                self.#name = ::std::env::var(#env).ok().filter(|v| !v.is_empty());
            }
        })
    });
    let env_doc = {
        let names: Vec<String> = api
            .client_params
            .iter()
            .filter_map(|p| p.env.clone())
            .map(|e| format!("`{e}`"))
            .collect();
        docs(&format!(
            "Fills what is not set yet from the environment: client parameters ({}) and the runtime's settings (see [`runtime::Config::from_env`]).",
            if names.is_empty() { "none".to_string() } else { names.join(", ") }
        ))
    };
    let builds = api.client_params.iter().map(|p| {
        let name = ident(&p.rust_name);
        let wire = &p.wire_name;
        let env = p.env.as_ref().map(|e| format!(" or set {e}")).unwrap_or_default();
        let message = format!("`{wire}` is required: call ClientBuilder::{}(..){env}", p.rust_name);
        quote! {
            let #name = self.#name.ok_or_else(|| runtime::BuildError::Missing(#message.to_string()))?;
        }
    });
    let header_values = api.client_params.iter().filter_map(|p| {
        let header = p.header.as_ref()?;
        let name = ident(&p.rust_name);
        Some(quote! { (#header, #name.clone()) })
    });
    let names = api.client_params.iter().map(|p| ident(&p.rust_name));
    quote! {
        /// Builds a [`Client`]: client-level parameters, server variables, endpoints and
        /// the runtime configuration (credentials, timeouts, retries).
        #[derive(Debug, Clone, Default)]
        pub struct ClientBuilder {
            config: runtime::Config,
            #(#fields)*
        }

        impl ClientBuilder {
            #(#setters)*

            #(#variable_setters)*

            /// Sends every request of `service` to `url` instead of the spec's server
            /// (for example `http://127.0.0.1:8080` for a local mock).
            pub fn endpoint(mut self, service: Service, url: impl ::std::convert::Into<String>) -> Self {
                self.config = self.config.endpoint(service.name(), url);
                self
            }

            /// Changes the runtime configuration: credentials, timeouts, retries.
            pub fn config(mut self, change: impl ::std::ops::FnOnce(runtime::Config) -> runtime::Config) -> Self {
                self.config = change(self.config);
                self
            }

            #env_doc
            pub fn from_env(mut self) -> Self {
                #(#env_reads)*
                self.config = self.config.from_env(&SECURITY);
                self
            }

            /// Checks the settings and builds the client.
            pub fn build(self) -> ::std::result::Result<Client, runtime::BuildError> {
                #(#builds)*
                self.config.check_operations(OPERATION_IDS)?;
                let servers: Vec<(&'static str, runtime::ServerTemplate)> =
                    Service::ALL.iter().map(|s| (s.name(), s.server())).collect();
                let runtime = runtime::Runtime::new(self.config, runtime::Package { name: ::std::env!("CARGO_PKG_NAME"), version: ::std::env!("CARGO_PKG_VERSION") }, &servers, SECURITY, ::std::vec![#(#header_values),*])?;
                Ok(Client { runtime, #(#names),* })
            }
        }
    }
}

/// How a parameter is passed to a method.
fn param_type(api: &Api, p: &Parameter) -> TokenStream {
    let inner = match &p.schema.ty {
        TypeRef::String(_) => quote! { &str },
        TypeRef::Array(items) => {
            let t = rust_type(api, &items.ty, &quote! { types:: });
            quote! { &[#t] }
        }
        TypeRef::Named(_) => {
            let t = rust_type(api, &p.schema.ty, &quote! { types:: });
            quote! { &#t }
        }
        other => rust_type(api, other, &quote! { types:: }),
    };
    if p.required {
        inner
    } else {
        quote! { Option<#inner> }
    }
}

/// The responses on one side of an operation: 2xx (`success`) or the rest.
fn side(op: &Operation, success: bool) -> Vec<&Response> {
    if success {
        op.success_responses().collect()
    } else {
        op.error_responses().collect()
    }
}

/// The distinct body types on one side, in order (`None` for a status without a body).
fn distinct_bodies(op: &Operation, success: bool) -> Vec<Option<&TypeRef>> {
    let mut distinct: Vec<Option<&TypeRef>> = Vec::new();
    for r in side(op, success) {
        let ty = r.body.as_ref().map(|b| &b.schema.ty);
        if !distinct.contains(&ty) {
            distinct.push(ty);
        }
    }
    distinct
}

/// The name of the enum that holds one side's bodies when they differ.
fn outcome_enum(op: &Operation, success: bool) -> proc_macro2::Ident {
    format_ident!(
        "{}{}",
        op.type_name,
        if success { "Success" } else { "ErrorBody" }
    )
}

/// The success and error body types of an operation: one type when all statuses share
/// it, otherwise an enum named after the operation.
fn outcome_type(api: &Api, op: &Operation, success: bool) -> TokenStream {
    match distinct_bodies(op, success).as_slice() {
        [] | [None] => quote! { () },
        [Some(ty)] => rust_type(api, ty, &quote! { types:: }),
        _ => {
            let name = outcome_enum(op, success);
            quote! { #name }
        }
    }
}

fn needs_enum(op: &Operation, success: bool) -> bool {
    distinct_bodies(op, success).len() > 1
}

fn response_enums(api: &Api, op: &Operation) -> TokenStream {
    let mut out = TokenStream::new();
    for success in [true, false] {
        if !needs_enum(op, success) {
            continue;
        }
        let name = outcome_enum(op, success);
        let responses = side(op, success);
        let variants = responses.iter().map(|r| {
            let variant = ident(&r.variant_name);
            let doc = docs(&format!("{}: {}", status_text(r.status), r.description));
            match &r.body {
                Some(b) => {
                    let ty = rust_type(api, &b.schema.ty, &quote! { types:: });
                    quote! { #doc #variant(#ty), }
                }
                None => quote! { #doc #variant, },
            }
        });
        let what = if success { "success" } else { "error" };
        let doc = docs(&format!(
            "The {what} bodies of `{}`, one variant per documented status.",
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
    out
}

fn status_text(status: Status) -> String {
    match status {
        Status::Code(code) => format!("HTTP {code}"),
        Status::Default => "Any other status".to_string(),
    }
}

fn method(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.rust_name);
    let args: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.client_param.is_none())
        .map(|p| {
            let arg = ident(&p.rust_name);
            let ty = param_type(api, p);
            quote! { #arg: #ty }
        })
        .chain(op.body.iter().map(|b| {
            let ty = rust_type(api, &b.schema.ty, &quote! { types:: });
            if b.required {
                quote! { body: &#ty }
            } else {
                quote! { body: Option<&#ty> }
            }
        }))
        .collect();
    let allow = (args.len() > 6).then(|| {
        quote! {
            // One argument per parameter of the operation, in spec order.
            #[allow(clippy::too_many_arguments)]
        }
    });

    // The path: literal text with each parameter percent-encoded into its place,
    // built with plain statements so that the generated code reads (and formats) well.
    let mut pieces = Vec::new();
    for segment in op.path_segments() {
        match segment {
            crate::ir::PathSegment::Literal(text) => pieces.push(quote! { path.push_str(#text); }),
            crate::ir::PathSegment::Param(param) => {
                let p = op
                    .params
                    .iter()
                    .find(|p| p.location == ParamLocation::Path && p.wire_name == param);
                let value = match p.map(|p| (p, p.client_param)) {
                    Some((_, Some(index))) => {
                        let field = ident(&api.client_params[index].rust_name);
                        quote! { &self.#field }
                    }
                    Some((p, None)) => {
                        let arg = ident(&p.rust_name);
                        quote! { &#arg }
                    }
                    None => quote! { "" },
                };
                pieces.push(quote! { path.push_str(&runtime::path_segment(#value)); });
            }
        }
    }
    let path_expr = match op.path_segments().as_slice() {
        [crate::ir::PathSegment::Literal(text)] => quote! { let path = #text.to_string(); },
        _ => quote! {
            let mut path = String::new();
            #(#pieces)*
        },
    };
    let adds_to_request = op.body.is_some()
        || op
            .params
            .iter()
            .any(|p| p.client_param.is_none() && p.location != ParamLocation::Path);
    let request_binding = if adds_to_request {
        quote! { mut request }
    } else {
        quote! { request }
    };
    let method_ident = format_ident!("{}", op.method.as_str());
    let service = ident(&api.services[op.service].rust_name);
    let operation_id = &op.operation_id;
    let idempotent = op.method.is_idempotent();

    let params = op.params.iter().filter(|p| p.client_param.is_none() && p.location != ParamLocation::Path).map(|p| {
        let arg = ident(&p.rust_name);
        let wire = &p.wire_name;
        let add = match p.location {
            ParamLocation::Query => quote! { request.query },
            _ => quote! { request.header },
        };
        let send = |value: TokenStream| match &p.schema.ty {
            TypeRef::Array(_) if p.explode && p.location == ParamLocation::Query => quote! {
                for item in #value.iter() {
                    #add(#wire, item.to_string());
                }
            },
            TypeRef::Array(_) => quote! {
                #add(#wire, #value.iter().map(|item| item.to_string()).collect::<Vec<_>>().join(","));
            },
            _ => quote! { #add(#wire, #value.to_string()); },
        };
        if p.required {
            send(quote! { #arg })
        } else {
            let inner = send(quote! { value });
            quote! {
                if let Some(value) = #arg {
                    #inner
                }
            }
        }
    });
    let body = op.body.as_ref().map(|b| {
        let content_type = &b.content_type;
        if b.required {
            quote! { request.json(#content_type, body)?; }
        } else {
            quote! {
                if let Some(body) = body {
                    request.json(#content_type, body)?;
                }
            }
        }
    });

    let success_ty = outcome_type(api, op, true);
    let error_ty = outcome_type(api, op, false);
    // Statuses read the same way share one arm.
    let mut grouped: Vec<(Vec<u16>, String, TokenStream)> = Vec::new();
    for r in op.responses.iter().filter(|r| r.status != Status::Default) {
        let Status::Code(code) = r.status else {
            continue;
        };
        let read = read_body(op, r, r.status.is_success());
        let key = read.to_string();
        match grouped.iter_mut().find(|(_, k, _)| *k == key) {
            Some((codes, _, _)) => codes.push(code),
            None => grouped.push((vec![code], key, read)),
        }
    }
    let arms = grouped.iter().map(|(codes, _, read)| {
        let codes = codes
            .iter()
            .map(|c| proc_macro2::Literal::u16_unsuffixed(*c));
        quote! { #(#codes)|* => #read, }
    });
    let fallback = match op.responses.iter().find(|r| r.status == Status::Default) {
        Some(r) => {
            let read = read_body(op, r, false);
            quote! { _ => #read, }
        }
        None => quote! { _ => Err(response.unexpected()), },
    };

    let mut doc_text = String::new();
    if let Some(summary) = &op.summary {
        doc_text.push_str(summary.trim());
        doc_text.push_str("\n\n");
    }
    doc_text.push_str(&request_line(op.method.as_str(), &op.path));
    doc_text.push_str(&format!(" Operation `{}`.", op.operation_id));
    if let Some(description) = &op.description {
        doc_text.push_str("\n\n");
        doc_text.push_str(description.trim());
    }
    if op.deprecated {
        doc_text.push_str("\n\n**Deprecated** by the API: it still works, but may be removed.");
    }
    if !idempotent {
        doc_text.push_str("\n\nNot retried after the request may have reached the server, unless retries are enabled for this operation in the runtime configuration.");
    }
    let statuses: Vec<String> = op
        .responses
        .iter()
        .map(|r| format!("- {}: {}", status_text(r.status), r.description.trim()))
        .collect();
    doc_text.push_str(&format!("\n\nResponses:\n{}", statuses.join("\n")));
    let doc = docs(&doc_text);

    quote! {
            #doc
            #allow
            pub async fn #name(&self, #(#args),*) -> ::std::result::Result<runtime::ResponseValue<#success_ty>, runtime::Error<#error_ty>> {
                #path_expr
    let #request_binding = runtime::Request::new(#operation_id, Service::#service.index(), ::reqwest::Method::#method_ident, path, #idempotent);
                #(#params)*
                #body
                let response = self.runtime.send(request).await?;
                match response.status().as_u16() {
                    #(#arms)*
                    #fallback
                }
            }
        }
}

/// How to read one documented status into the method's result.
fn read_body(op: &Operation, r: &Response, success: bool) -> TokenStream {
    let wrap_enum = needs_enum(op, success);
    let enum_name = outcome_enum(op, success);
    let variant = ident(&r.variant_name);
    match (success, &r.body, wrap_enum) {
        (true, Some(_), false) => quote! { response.json() },
        (true, None, false) => quote! { response.empty() },
        (true, Some(_), true) => quote! { response.json_as(#enum_name::#variant) },
        (true, None, true) => quote! { response.empty_as(#enum_name::#variant) },
        (false, Some(_), false) => quote! { Err(response.api_error()) },
        (false, None, false) => quote! { Err(response.api_error_as(())) },
        (false, Some(_), true) => quote! { Err(response.api_error_map(#enum_name::#variant)) },
        (false, None, true) => quote! { Err(response.api_error_as(#enum_name::#variant)) },
    }
}
