//! The names the generated code declares for itself, claimed after every other pass.
//!
//! The other passes name what the spec names: types, fields, variants, operations,
//! parameters. This pass names everything else the generated code declares: its items
//! (`{Op}Response`, `{Op}Input`, `{Op}Body`, `{Op}Multipart`, `handle_{op}`, `{service}_router`, `{SERVICE}_ERRORS`,
//! rule statics), the names it imports, and the locals of its functions. Each namespace
//! of the generated code is one `Scope`: the names codegen writes literally are reserved
//! first, the spec's names are claimed next, and the generated code's own names last,
//! so that a spec name keeps its plain form and the generated code's names give way (a
//! query parameter `request` stays `request`; the method's local becomes `request2`).
//! The result is `Api::names`; codegen reads it and makes no name of its own.
//!
//! The mock module needs no claims: its namespace holds only fixed names (`Mock`, its
//! imports), it names the server's items by path (`server::Dli`), and its methods take
//! only `ctx` and `_input`.

use crate::ir::{
    Api, ClientLocals, ContentKind, HandlerLocals, Names, Operation, OperationNames, PatternStatic,
    ResponseNames, Schema, ServerNames, ServiceNames, TypeKind, TypeNames, TypeRef,
};
use crate::naming::{self, Scope};

/// Items and imports of the client's `client` module.
const CLIENT_MODULE: &[&str] = &[
    "types",
    "runtime",
    "Service",
    "SECURITY",
    "CLIENT_HEADERS",
    "OPERATION_IDS",
    "Client",
    "ClientBuilder",
    "fake",
];

/// Methods of `Client` and `ClientBuilder` besides the spec's, including the derived
/// ones that a method of the same name would shadow.
const CLIENT_METHODS: &[&str] = &[
    "builder",
    "runtime",
    "endpoint",
    "config",
    "from_env",
    "http_client",
    "with",
    "send_raw",
    "build",
    // Of the test fake (`fake::Fake`), whose other methods are named after operations.
    "new",
    "client",
    "requests",
    "reset",
    "transport",
    "default",
    "clone",
    "clone_from",
    "fmt",
];

/// The fields of `Client` (`runtime`) and `ClientBuilder` (`config`), and the locals of
/// `ClientBuilder::build` besides one per client parameter.
const CLIENT_FIELDS_AND_LOCALS: &[&str] = &["runtime", "config", "servers"];

/// Items and module imports of the server's `server` module that every API has.
const SERVER_MODULE: &[&str] = &["types", "validate", "runtime", "router", "ROUTE_ERRORS"];

/// The arguments and locals of the combined `router` besides one per service.
const ROUTER_LOCALS: &[&str] = &["options", "routes"];

/// The names the `validate` module and its submodules use from the runtime, and its
/// submodules.
const VALIDATE_MODULE: &[&str] = &[
    "Schema",
    "Pattern",
    "Param",
    "Style",
    "Format",
    "IntFormat",
    "NumFormat",
    "Bounds",
    "Discriminator",
    "params",
    "bodies",
];

/// Every name the generated code declares besides the spec's own.
pub(super) fn claim(api: &Api) -> Names {
    let mut names = Names {
        services: vec![ServiceNames::default(); api.services.len()],
        operations: vec![OperationNames::default(); api.operations.len()],
        types: vec![TypeNames::default(); api.types.len()],
        ..Names::default()
    };
    client(api, &mut names);
    server(api, &mut names);
    validate(api, &mut names);
    types(api, &mut names);
    names
}

/// The client module: client parameters, server variable setters, methods, the outcome
/// enums and each method's locals.
fn client(api: &Api, names: &mut Names) {
    let mut members = Scope::new();
    members.reserve(
        CLIENT_METHODS
            .iter()
            .chain(CLIENT_FIELDS_AND_LOCALS)
            .copied(),
    );
    names.client.params = api
        .client_params
        .iter()
        .map(|p| members.claim_or(p.rust_name.clone(), |name| format!("{name}_param")))
        .collect();

    let mut setters = Scope::new();
    setters.reserve(CLIENT_METHODS.iter().copied());
    setters.reserve(names.client.params.iter().map(String::as_str));
    names.client.server_variables = api
        .server_variables()
        .iter()
        .map(|v| setters.claim_or(naming::snake(&v.name), |name| format!("{name}_variable")))
        .collect();

    let mut methods = Scope::new();
    methods.reserve(CLIENT_METHODS.iter().copied());
    methods.reserve(names.client.params.iter().map(String::as_str));
    let mut module = Scope::new();
    module.reserve(CLIENT_MODULE.iter().copied());
    for (op, out) in api.operations.iter().zip(&mut names.operations) {
        out.client_method = methods.claim(op.rust_name.clone());
        out.success_enum = (op.distinct_bodies(true).len() > 1)
            .then(|| module.claim(format!("{}Success", op.type_name)));
        out.error_enum = (op.distinct_bodies(false).len() > 1)
            .then(|| module.claim(format!("{}ErrorBody", op.type_name)));
        // The arguments: every parameter the client does not fill in itself, and `body`.
        let mut locals = Scope::new();
        locals.reserve(["body"]);
        locals.reserve(
            op.params
                .iter()
                .filter(|p| p.client_param.is_none())
                .map(|p| p.rust_name.as_str()),
        );
        out.client_locals = ClientLocals {
            path: locals.claim("path".to_string()),
            request: locals.claim("request".to_string()),
            response: locals.claim("response".to_string()),
            value: locals.claim("value".to_string()),
        };
    }
    // The body and content types, after every other item of the module, so that adding
    // them renames nothing else.
    for (op, out) in api.operations.iter().zip(&mut names.operations) {
        let (body_enum, multipart) = body_items(op, &mut module);
        out.client_body_enum = body_enum;
        out.client_multipart = multipart;
        out.client_contents = content_enums(op, &mut module);
    }
}

/// The enum of a request body's representations when it has several, and the struct of
/// its multipart parts when it has them, claimed in a module.
fn body_items(op: &Operation, module: &mut Scope) -> (Option<String>, Option<String>) {
    let Some(body) = &op.body else {
        return (None, None);
    };
    let body_enum =
        (body.contents.len() > 1).then(|| module.claim(format!("{}Body", op.type_name)));
    let multipart = body
        .contents
        .iter()
        .any(|c| matches!(&c.kind, ContentKind::Multipart(m) if !m.parts.is_empty()))
        .then(|| module.claim(format!("{}Multipart", op.type_name)));
    (body_enum, multipart)
}

/// One per response: the enum of its body's representations when it has several.
fn content_enums(op: &Operation, module: &mut Scope) -> Vec<Option<String>> {
    op.responses
        .iter()
        .map(|r| {
            (r.contents.len() > 1)
                .then(|| module.claim(format!("{}{}Content", op.type_name, r.variant_name)))
        })
        .collect()
}

/// The server module: traits, response enums, input structs, routers, error formats,
/// handlers, then its imports and type parameters; the locals of the combined router,
/// of each handler and of each `into_response` arm.
fn server(api: &Api, names: &mut Names) {
    let mut module = Scope::new();
    module.reserve(SERVER_MODULE.iter().copied());
    for (service, out) in api.services.iter().zip(&mut names.services) {
        out.trait_name = module.claim(service.rust_name.clone());
    }
    for (op, out) in api.operations.iter().zip(&mut names.operations) {
        out.response_enum = module.claim(format!("{}Response", op.type_name));
        out.input_struct = module.claim(format!("{}Input", op.type_name));
    }
    for (service, out) in api.services.iter().zip(&mut names.services) {
        out.router_fn = module.claim(format!("{}_router", service.snake_name));
        out.routes_fn = module.claim(format!("{}_routes", service.snake_name));
        out.errors_const = module.claim(format!("{}_ERRORS", naming::shouty(&service.snake_name)));
    }
    for (op, out) in api.operations.iter().zip(&mut names.operations) {
        out.handler_fn = module.claim(format!("handle_{}", op.rust_name));
    }
    for (service, out) in api.services.iter().zip(&mut names.services) {
        out.impl_param = module.claim(format!("{}Impl", service.rust_name));
    }
    let mut content_enums_of = Vec::new();
    for (op, out) in api.operations.iter().zip(&mut names.operations) {
        let (body_enum, multipart) = body_items(op, &mut module);
        out.body_enum = body_enum;
        out.multipart_struct = multipart;
        content_enums_of.push(content_enums(op, &mut module));
    }
    names.server = ServerNames {
        into_response: module.claim("IntoResponse".to_string()),
        response: module.claim("Response".to_string()),
        future: module.claim("Future".to_string()),
        arc: module.claim("Arc".to_string()),
        request_context: module.claim("RequestContext".to_string()),
        service_param: module.claim("S".to_string()),
    };

    let mut content_enums_of = content_enums_of.into_iter();
    let mut router = Scope::new();
    router.reserve(ROUTER_LOCALS.iter().copied());
    for (service, out) in api.services.iter().zip(&mut names.services) {
        out.router_arg = router.claim(service.snake_name.clone());
    }

    for (op, out) in api.operations.iter().zip(&mut names.operations) {
        // One local per parameter and `body`, named like the input struct's fields.
        let mut locals = Scope::new();
        locals.reserve(["body"]);
        locals.reserve(op.params.iter().map(|p| p.rust_name.as_str()));
        out.handler_locals = HandlerLocals {
            service: locals.claim("service".to_string()),
            request: locals.claim("request".to_string()),
            input: locals.claim("input".to_string()),
            ctx: locals.claim("ctx".to_string()),
            response: locals.claim("response".to_string()),
            bytes: locals.claim("bytes".to_string()),
        };
        let content_enums = content_enums_of.next().unwrap_or_default();
        out.responses = op
            .responses
            .iter()
            .zip(content_enums)
            .map(|(r, content_enum)| {
                // A variant's fields: the headers (spec names), then the status of a
                // `default` response and the body; then the arm's locals.
                let mut fields = Scope::new();
                fields.reserve(r.headers.iter().map(|h| h.rust_name.as_str()));
                ResponseNames {
                    status_field: fields.claim("status".to_string()),
                    body_field: fields.claim("body".to_string()),
                    response_local: fields.claim("response".to_string()),
                    value_local: fields.claim("value".to_string()),
                    content_enum,
                }
            })
            .collect();
    }
}

/// The validate module: a static per named schema, per distinct pattern, and per
/// operation (its parameters and inline body).
fn validate(api: &Api, names: &mut Names) {
    let mut module = Scope::new();
    module.reserve(VALIDATE_MODULE.iter().copied());
    for (def, out) in api.types.iter().zip(&mut names.types) {
        out.rule_static = module.claim(naming::shouty(&def.rust_name));
    }
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
        for content in op.body.iter().flat_map(|b| &b.contents) {
            collect_patterns(&content.schema, &mut found);
        }
    }
    for pattern in found {
        if !names.patterns.iter().any(|p| p.pattern == pattern) {
            let name = module.claim(format!("PATTERN_{}", names.patterns.len()));
            names.patterns.push(PatternStatic { pattern, name });
        }
    }
    // `params` and `bodies` hold one static per operation each, under the same name.
    let mut statics = Scope::new();
    statics.reserve(VALIDATE_MODULE.iter().copied());
    for (op, out) in api.operations.iter().zip(&mut names.operations) {
        out.rules_static = statics.claim(naming::shouty(&op.rust_name));
    }
    // A body with several contents has a static for each that is not a named schema;
    // the first is the operation's.
    for (op, out) in api.operations.iter().zip(&mut names.operations) {
        out.body_statics = op
            .body
            .iter()
            .flat_map(|b| &b.contents)
            .enumerate()
            .map(|(i, content)| match i {
                0 => out.rules_static.clone(),
                _ => statics.claim(format!(
                    "{}_{}",
                    out.rules_static,
                    naming::shouty(&content.variant_name)
                )),
            })
            .collect();
    }
}

/// The types module: the field of a struct's `additionalProperties`.
fn types(api: &Api, names: &mut Names) {
    for (def, out) in api.types.iter().zip(&mut names.types) {
        if let TypeKind::Struct(s) = &def.kind {
            if s.additional.is_some() {
                let mut fields = Scope::new();
                fields.reserve(s.fields.iter().map(|f| f.rust_name.as_str()));
                out.additional_field = Some(fields.claim("additional_properties".to_string()));
            }
        }
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

#[cfg(test)]
mod tests {
    use crate::ir::Api;

    fn api(text: &str) -> Api {
        crate::parse("spec.yaml", text).expect("the test spec lowers")
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: T, version: "1"}
servers:
  - url: https://{endpoint}.example.com
    variables:
      endpoint: {default: api}
paths:
  /items:
    get:
      operationId: listItems
      tags: [Response]
      parameters:
        - {name: request, in: query, schema: {type: string}}
        - {name: input, in: query, schema: {type: string}}
      responses:
        "204": {description: OK.}
"#;

    #[test]
    fn the_generated_codes_own_names_give_way_to_the_specs() {
        let api = api(SPEC);
        let op = &api.names.operations[0];
        assert_eq!(op.client_locals.request, "request2");
        assert_eq!(op.client_locals.path, "path");
        assert_eq!(op.handler_locals.input, "input2");
        assert_eq!(op.handler_locals.request, "request2");
        assert_eq!(api.names.services[0].trait_name, "Response");
        assert_eq!(api.names.server.response, "Response2");
        assert_eq!(api.names.server.future, "Future");
        assert_eq!(api.names.client.server_variables, ["endpoint_variable"]);
    }

    #[test]
    fn operation_items_are_named_after_the_operation() {
        let api = api(SPEC);
        let op = &api.names.operations[0];
        assert_eq!(op.client_method, "list_items");
        assert_eq!(op.response_enum, "ListItemsResponse");
        assert_eq!(op.input_struct, "ListItemsInput");
        assert_eq!(op.handler_fn, "handle_list_items");
        assert_eq!(op.rules_static, "LIST_ITEMS");
        assert_eq!(op.success_enum, None);
        let service = &api.names.services[0];
        assert_eq!(service.router_fn, "response_router");
        assert_eq!(service.errors_const, "RESPONSE_ERRORS");
        assert_eq!(service.impl_param, "ResponseImpl");
        assert_eq!(service.router_arg, "response");
    }
}
