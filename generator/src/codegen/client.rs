//! The client crate's `client` module: services, the client builder, and one async
//! method per operation.
//!
//! The generated code describes each request (method, path, parameters, body) and how
//! to read each documented status; sending, signing, retries and error plumbing are the
//! hand-written `runtime` module of the client crate.

use proc_macro2::{Punct, Spacing, TokenStream};
use quote::quote;

use super::client_bodies::{self as bodies, outcome_enum};
use super::{docs, docs_from, ident, request_line, rust_type, uses};
use crate::ir::{
    Api, ClientLocals, ContentKind, Operation, OperationNames, ParamEncoding, ParamLocation,
    ParamStyle, Parameter, PathSegment, Response, SecurityKind, Status, TypeKind, TypeRef,
};

/// The whole `client` module.
pub fn module(api: &Api) -> TokenStream {
    let service = service_enum(api);
    let security = security(api);
    let builder = builder(api);
    let names = &api.names.operations;
    let response_types = api
        .operations
        .iter()
        .zip(names)
        .map(|(op, names)| response_enums(api, op, names));
    let methods = api
        .operations
        .iter()
        .zip(names)
        .map(|(op, names)| method(api, op, names));
    let body_types = api.operations.iter().zip(names).map(|(op, names)| {
        let body = bodies::body_items(api, op, names);
        let contents = bodies::content_enums(api, op, names);
        quote! { #body #contents }
    });
    let params = &api.names.client.params;
    let client_fields = params.iter().map(|name| {
        let name = ident(name);
        quote! { #name: String, }
    });
    let accessors = api.client_params.iter().zip(params).map(|(p, name)| {
        let name = ident(name);
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
    let fake = fake_module(api);
    let body = quote! {
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

            /// A copy of the client whose calls use these options (timeout, deadline,
            /// extra headers, retries, interceptors) over the client's configuration;
            /// every typed method is called on it as usual. Options given to a copy's
            /// `with` are added to the copy's. For example
            /// `client.with(|o| o.timeout(Duration::from_secs(5)).max_retries(0))` gives a
            /// client whose calls wait 5 s per attempt and are not retried.
            pub fn with(&self, change: impl ::std::ops::FnOnce(runtime::CallOptions) -> runtime::CallOptions) -> Self {
                let mut copy = self.clone();
                copy.runtime = self.runtime.with_options(change(self.runtime.call_options().clone()));
                copy
            }

            /// Signs and sends a request the spec does not describe to `service`, with
            /// this client's configuration (endpoint, credentials, client-level headers,
            /// timeouts, retries, interceptors, options). The answer comes back whatever
            /// its status.
            pub async fn send_raw(&self, service: Service, request: runtime::RawRequest) -> ::std::result::Result<runtime::ResponseValue<runtime::Bytes>, runtime::Error<runtime::Bytes>> {
                self.runtime.send_raw(service.index(), request).await
            }

            #(#methods)*
        }

        #fake

        #(#response_types)*

        #(#body_types)*
    };
    let imports = uses(
        &body,
        &[
            ("super", &[("types", "types")]),
            ("crate", &[("runtime", "runtime")]),
        ],
    );
    quote! {
        #imports
        #body
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
        let templates = s.servers.iter().map(server_template);
        quote! { Self::#variant => &[#(#templates),*], }
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

            /// The service's servers in spec order: URL templates, their variables'
            /// defaults and the values each server takes. The client uses the first
            /// server whose variables take the values set.
            #[doc(hidden)]
            pub fn servers(self) -> &'static [runtime::ServerTemplate] {
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
    let names = &api.names.client;
    let fields = names.params.iter().map(|name| {
        let name = ident(name);
        quote! { #name: Option<String>, }
    });
    let setters = api
        .client_params
        .iter()
        .zip(&names.params)
        .map(|(p, name)| {
            let name = ident(name);
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
    let variables = api.server_variables();
    let variable_setters = variables
        .iter()
        .zip(&names.server_variables)
        .map(|(v, method)| {
            let method = ident(method);
            let name = &v.name;
            let doc = docs_from(&[
                v.description.as_deref(),
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
    let env_reads = api
        .client_params
        .iter()
        .zip(&names.params)
        .filter_map(|(p, name)| {
            let env = p.env.as_ref()?;
            let name = ident(name);
            Some(quote! {
                if self.#name.is_none() {
                    self.#name = runtime::env_var(#env);
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
    let builds = api.client_params.iter().zip(&names.params).map(|(p, name)| {
        let message = format!(
            "`{}` is required: call ClientBuilder::{name}(..){}",
            p.wire_name,
            p.env.as_ref().map(|e| format!(" or set {e}")).unwrap_or_default()
        );
        let name = ident(name);
        quote! {
            let #name = self.#name.ok_or_else(|| runtime::BuildError::Missing(#message.to_string()))?;
        }
    });
    // Operations with servers of their own: one more base URL each, after the services',
    // resolved under the service's name (so that `endpoint` replaces them as well).
    let own = operation_servers(api);
    let operation_servers = (!own.is_empty()).then(|| {
        let templates = own.iter().map(|(service, servers)| {
            let variant = ident(&api.services[*service].rust_name);
            let templates = servers.iter().map(server_template);
            quote! { (Service::#variant.name(), &[#(#templates),*] as &'static [runtime::ServerTemplate]) }
        });
        quote! { .chain([#(#templates),*]) }
    });
    let header_values = api
        .client_params
        .iter()
        .zip(&names.params)
        .filter_map(|(p, name)| {
            let header = p.header.as_ref()?;
            let name = ident(name);
            Some(quote! { (#header, #name.clone()) })
        });
    let names = names.params.iter().map(|name| ident(name));
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

            /// Sends every request through this HTTP client (a proxy, a custom CA, a
            /// connection pool shared with the application); see
            /// [`runtime::Config::http_client`].
            pub fn http_client(mut self, http: ::reqwest::Client) -> Self {
                self.config = self.config.http_client(http);
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
                let servers: Vec<(&'static str, &'static [runtime::ServerTemplate])> =
                    Service::ALL.iter().map(|s| (s.name(), s.servers())) #operation_servers .collect();
                let runtime = runtime::Runtime::new(self.config, runtime::Package { name: ::std::env!("CARGO_PKG_NAME"), version: ::std::env!("CARGO_PKG_VERSION") }, &servers, SECURITY, ::std::vec![#(#header_values),*])?;
                Ok(Client { runtime, #(#names),* })
            }
        }
    }
}

/// A server as the runtime takes it: the URL template and each variable's default and
/// allowed values.
fn server_template(server: &crate::ir::Server) -> TokenStream {
    let url = &server.url;
    let vars = server.variables.iter().map(|v| {
        let name = &v.name;
        let default = &v.default;
        let allowed = &v.allowed;
        quote! { runtime::ServerVariable { name: #name, default: #default, allowed: &[#(#allowed),*] } }
    });
    quote! { runtime::ServerTemplate { url: #url, variables: &[#(#vars),*] } }
}

/// The distinct own servers of operations (`Operation::servers`), with their service, in
/// order of first use: base URL `api.services.len() + i` of the runtime is the `i`th.
fn operation_servers(api: &Api) -> Vec<(usize, &[crate::ir::Server])> {
    let mut out: Vec<(usize, &[crate::ir::Server])> = Vec::new();
    for op in &api.operations {
        if op.servers.is_empty() {
            continue;
        }
        if !out
            .iter()
            .any(|(s, known)| *s == op.service && *known == op.servers.as_slice())
        {
            out.push((op.service, &op.servers));
        }
    }
    out
}

/// The runtime's base URL an operation is sent to: its service's, or its own.
fn base_index(api: &Api, op: &Operation) -> TokenStream {
    let service = ident(&api.services[op.service].rust_name);
    match op.servers.first() {
        None => quote! { Service::#service.index() },
        Some(_) => {
            let position = operation_servers(api)
                .iter()
                .position(|(s, known)| *s == op.service && *known == op.servers.as_slice())
                .unwrap_or_default();
            let index = proc_macro2::Literal::usize_unsuffixed(api.services.len() + position);
            quote! { #index }
        }
    }
}

/// How a parameter is passed to a method: numbers and booleans by value, strings as
/// `&str`, arrays as slices, anything else by reference.
fn param_type(api: &Api, p: &Parameter) -> TokenStream {
    let inner = match resolved(api, &p.schema.ty) {
        TypeRef::String(_) => quote! { &str },
        TypeRef::Array(items) => {
            let t = rust_type(api, &items.ty, &quote! { types:: });
            quote! { &[#t] }
        }
        ty @ (TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean) => {
            rust_type(api, ty, &quote! { types:: })
        }
        ty => {
            let t = rust_type(api, ty, &quote! { types:: });
            quote! { &#t }
        }
    };
    if p.required {
        inner
    } else {
        quote! { Option<#inner> }
    }
}

/// Whether a parameter's argument is a reference already (`&str`, `&[T]`, `&T`), rather
/// than a number or boolean passed by value.
fn passed_by_reference(api: &Api, p: &Parameter) -> bool {
    !matches!(
        resolved(api, &p.schema.ty),
        TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean
    )
}

/// `runtime::ParamFormat` for a parameter that is not plain.
fn param_format(p: &Parameter) -> TokenStream {
    match &p.encoding {
        ParamEncoding::Json { .. } => quote! { runtime::ParamFormat::JSON },
        ParamEncoding::Style {
            style,
            explode,
            allow_reserved,
            ..
        } => {
            let style = ident(match style {
                ParamStyle::Form => "Form",
                ParamStyle::Simple => "Simple",
                ParamStyle::Label => "Label",
                ParamStyle::Matrix => "Matrix",
                ParamStyle::SpaceDelimited => "SpaceDelimited",
                ParamStyle::PipeDelimited => "PipeDelimited",
                ParamStyle::DeepObject => "DeepObject",
            });
            let reserved = allow_reserved.then(|| quote! { .allow_reserved() });
            quote! { runtime::ParamFormat::style(runtime::Style::#style, #explode) #reserved }
        }
    }
}

/// The statement that adds a query, header or cookie parameter to the request (inside
/// `if let Some(value)` when it is optional).
fn send_param(
    api: &Api,
    p: &Parameter,
    request: &proc_macro2::Ident,
    value: &proc_macro2::Ident,
) -> TokenStream {
    let arg = ident(&p.rust_name);
    let wire = &p.wire_name;
    let v = if p.required {
        quote! { #arg }
    } else {
        quote! { #value }
    };
    let send = if p.is_plain() && p.location != ParamLocation::Cookie {
        let add = match p.location {
            ParamLocation::Query => quote! { #request.query },
            _ => quote! { #request.header },
        };
        quote! { #add(#wire, #v.to_string()); }
    } else {
        let add = match p.location {
            ParamLocation::Query => quote! { #request.query_param },
            ParamLocation::Cookie => quote! { #request.cookie_param },
            _ => quote! { #request.header_param },
        };
        let format = param_format(p);
        let v = if passed_by_reference(api, p) {
            v
        } else {
            quote! { &#v }
        };
        quote! { #add(#wire, #format, #v)?; }
    };
    if p.required {
        send
    } else {
        quote! {
            if let Some(#value) = #arg {
                #send
            }
        }
    }
}

/// The type an alias stands for.
fn resolved<'a>(api: &'a Api, mut ty: &'a TypeRef) -> &'a TypeRef {
    for _ in 0..=api.types.len() {
        match ty {
            TypeRef::Named(id) => match &api.types[id.0].kind {
                TypeKind::Alias(schema) => ty = &schema.ty,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

/// The responses on one side of an operation: 2xx (`success`) or the rest.
fn side(op: &Operation, success: bool) -> Vec<&Response> {
    if success {
        op.success_responses().collect()
    } else {
        op.error_responses().collect()
    }
}

/// The success and error body types of an operation: one type when all statuses share
/// it, otherwise the enum named after the operation.
fn outcome_type(api: &Api, op: &Operation, names: &OperationNames, success: bool) -> TokenStream {
    if let Some(name) = outcome_enum(names, success) {
        let name = ident(name);
        return quote! { #name };
    }
    match op.distinct_bodies(success).as_slice() {
        [Some(_)] => side(op, success)
            .into_iter()
            .find_map(|r| bodies::payload_type(api, op, names, r))
            .unwrap_or_else(|| quote! { () }),
        _ => quote! { () },
    }
}

fn response_enums(api: &Api, op: &Operation, names: &OperationNames) -> TokenStream {
    let mut out = TokenStream::new();
    for success in [true, false] {
        let Some(name) = outcome_enum(names, success) else {
            continue;
        };
        let name = ident(name);
        let responses = side(op, success);
        let variants = responses.iter().map(|r| {
            let variant = ident(&r.variant_name);
            let doc = docs(&format!(
                "{}: {}",
                bodies::status_text(r.status),
                r.description
            ));
            match bodies::payload_type(api, op, names, r) {
                Some(ty) => quote! { #doc #variant(#ty), },
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

fn method(api: &Api, op: &Operation, names: &OperationNames) -> TokenStream {
    let ClientLocals {
        path,
        request,
        response,
        value,
    } = &names.client_locals;
    let (path, request, response, value) =
        (ident(path), ident(request), ident(response), ident(value));
    let name = ident(&names.client_method);
    let args: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.client_param.is_none())
        .map(|p| {
            let arg = ident(&p.rust_name);
            let ty = param_type(api, p);
            quote! { #arg: #ty }
        })
        .chain(bodies::body_arg(api, op, names))
        .collect();
    let allow = (args.len() > 6).then(|| {
        quote! {
            #[allow(clippy::too_many_arguments, reason = "one argument per parameter of the operation, in spec order")]
        }
    });
    let allow_overlap = bodies::ranges_overlap_codes(op).then(|| {
        quote! {
            #[allow(clippy::match_overlapping_arm, reason = "an exact status is matched before the range that holds it")]
        }
    });
    let deprecated = op.deprecated.then(|| {
        let note = format!(
            "`{}` is deprecated by the API: it still works, but may be removed",
            op.operation_id
        );
        quote! { #[deprecated(note = #note)] }
    });

    let operation_id = &op.operation_id;
    // The path in one expression: the template with each parameter percent-encoded
    // into its place.
    let mut template = String::new();
    let mut fills = Vec::new();
    for segment in op.path_segments() {
        match segment {
            PathSegment::Literal(text) => {
                template.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            PathSegment::Param(param) => {
                template.push_str("{}");
                let p = op
                    .params
                    .iter()
                    .find(|p| p.location == ParamLocation::Path && p.wire_name == param);
                // `&` joined to what follows: prettyplease prints a macro's arguments
                // token by token, and writes `& x` for a lone `&`.
                let borrow = Punct::new('&', Spacing::Joint);
                let value = match p.map(|p| (p, p.client_param)) {
                    Some((_, Some(index))) => {
                        let field = ident(&api.names.client.params[index]);
                        quote! { #borrow self.#field }
                    }
                    Some((p, None)) => {
                        let arg = ident(&p.rust_name);
                        quote! { #borrow #arg }
                    }
                    None => quote! { "" },
                };
                match p.filter(|p| !p.is_plain()) {
                    // In its style (`.blue`, `;color=blue`, ...): may fail to serialize.
                    Some(p) => {
                        let wire = &p.wire_name;
                        let format = param_format(p);
                        let value = if passed_by_reference(api, p) {
                            let arg = ident(&p.rust_name);
                            quote! { #arg }
                        } else {
                            value
                        };
                        fills.push(
                            quote! { runtime::path_param(#operation_id, #wire, #format, #value)? },
                        );
                    }
                    None => fills.push(quote! { runtime::path_segment(#value) }),
                }
            }
        }
    }
    let path_expr = if fills.is_empty() {
        quote! { #template.to_string() }
    } else {
        quote! { format!(#template, #(#fills),*) }
    };
    let adds_to_request = op.body.is_some()
        || !op.fixed_query.is_empty()
        || bodies::accept(op, &request).is_some()
        || op
            .params
            .iter()
            .any(|p| p.client_param.is_none() && p.location != ParamLocation::Path);
    let request_binding = if adds_to_request {
        quote! { mut #request }
    } else {
        quote! { #request }
    };
    let constructor = ident(op.method.as_lower());
    let base = base_index(api, op);
    let operation_id = &op.operation_id;
    let idempotent = op.method.is_idempotent();

    let params = op
        .params
        .iter()
        .filter(|p| p.client_param.is_none() && p.location != ParamLocation::Path)
        .map(|p| send_param(api, p, &request, &value));
    // The query the path itself has (`/jobs?type=2`), first.
    let fixed_query = op.fixed_query.iter().map(|(name, text)| {
        quote! { #request.query(#name, #text.to_string()); }
    });
    let body = bodies::send_body(op, names, &request, &value);
    let accept = bodies::accept(op, &request);

    let success_ty = outcome_type(api, op, names, true);
    let error_ty = outcome_type(api, op, names, false);
    let arms = bodies::status_arms(op, names, &response, &value);

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
        .map(|r| {
            format!(
                "- {}: {}",
                bodies::status_text(r.status),
                r.description.trim()
            )
        })
        .collect();
    doc_text.push_str(&format!("\n\nResponses:\n{}", statuses.join("\n")));
    let doc = docs(&doc_text);

    quote! {
        #doc
        #deprecated
        #allow
        #allow_overlap
        pub async fn #name(&self, #(#args),*) -> ::std::result::Result<runtime::ResponseValue<#success_ty>, runtime::Error<#error_ty>> {
            let #path = #path_expr;
            let #request_binding = runtime::Request::#constructor(#operation_id, #base, #path).idempotent(#idempotent);
            #(#fixed_query)*
            #(#params)*
            #body
            #accept
            let #response = self.runtime.send(#request).await?;
            match #response.status().as_u16() {
                #arms
            }
        }
    }
}

/// The `fake` module (feature `test-util`): a `Fake` whose clients answer from memory,
/// with one typed stub per operation, named after the operation's method.
fn fake_module(api: &Api) -> TokenStream {
    let stubs = api
        .operations
        .iter()
        .zip(&api.names.operations)
        .map(|(op, names)| {
            let method = ident(&op.rust_name);
            let operation_id = &op.operation_id;
            let first_success = op.success_responses().next();
            let status = match first_success.map(|r| r.status) {
                Some(Status::Code(code)) => code,
                _ => 200,
            };
            let json_body = |r: Option<&Response>| {
                r.and_then(|r| r.contents.first())
                    .filter(|c| matches!(c.kind, ContentKind::Json))
                    .map(|c| rust_type(api, &c.schema.ty, &quote! { types:: }))
                    .unwrap_or_else(|| quote! { () })
            };
            let success = json_body(first_success);
            let error = json_body(op.error_responses().find(|r| {
                r.contents
                    .first()
                    .is_some_and(|c| matches!(c.kind, ContentKind::Json))
            }));
            let _ = names;
            let doc = docs(&format!(
                "The stub of `{operation_id}`: what it answers (by default HTTP {status} for `returns`) and the requests it got."
            ));
            let status = proc_macro2::Literal::u16_unsuffixed(status);
            quote! {
                #doc
                pub fn #method(&self) -> runtime::fake::Stub<'_, #success, #error> {
                    runtime::fake::Stub::new(&self.transport, #operation_id, #status)
                }
            }
        })
        .collect::<Vec<_>>();
    let params = api
        .client_params
        .iter()
        .zip(&api.names.client.params)
        .map(|(p, name)| {
            let name = ident(name);
            let value = format!("fake-{}", p.wire_name);
            quote! { .#name(#value) }
        });
    let endpoints = api.services.iter().map(|s| {
        let variant = ident(&s.rust_name);
        quote! { .endpoint(Service::#variant, "http://fake.invalid") }
    });
    let body = quote! {
        /// An in-memory fake of every service, for testing code that uses the client:
        /// set what each operation answers, run the code with [`Fake::client`], then
        /// look at the requests it made. Nothing goes over the network; the request is
        /// built, signed and retried as with a real service.
        #[derive(Debug, Clone, Default)]
        pub struct Fake {
            transport: ::std::sync::Arc<runtime::fake::FakeTransport>,
        }

        impl Fake {
            /// A fake that answers nothing yet (HTTP 501 for every operation).
            pub fn new() -> Self {
                Self::default()
            }

            /// A client builder whose clients call this fake, signing with test
            /// credentials; client parameters are still to be set.
            pub fn builder(&self) -> ClientBuilder {
                Client::builder()
                    #(#endpoints)*
                    .config(|c| c.fake_transport(self.transport.clone()).credentials(runtime::Credentials::new("FAKE-AK", "FAKE-SK")).max_retries(0))
            }

            /// A client that calls this fake, with placeholder client parameters
            /// (`fake-` and the parameter's name) and no retries.
            pub fn client(&self) -> Client {
                self.builder()
                    #(#params)*
                    .build()
                    .expect("a client with an endpoint and every parameter set builds")
            }

            /// Every request received, in order.
            pub fn requests(&self) -> ::std::vec::Vec<runtime::fake::FakeRequest> {
                self.transport.requests()
            }

            /// Forgets the answers set and the requests received.
            pub fn reset(&self) {
                self.transport.reset()
            }

            /// The untyped fake, to answer raw requests (`Client::send_raw`).
            pub fn transport(&self) -> &runtime::fake::FakeTransport {
                &self.transport
            }

            #(#stubs)*
        }
    };
    let uses_types = body.to_string().contains("types ::");
    let types_import = uses_types.then(|| quote! { use super::types; });
    quote! {
        /// An in-memory fake of the services (feature `test-util`).
        #[cfg(feature = "test-util")]
        pub mod fake {
            #types_import
            use super::{Client, ClientBuilder, Service};
            use crate::runtime;

            #body
        }
    }
}
