//! The comparison: every expectation read from the spec against what `syn` found in the
//! generated files. Every mismatch is collected as one readable line.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

use super::expect::{
    self, Expectations, Location, Operation, SchemaExpect, SchemaKindExpect, Status, Ty,
};
use super::generated::{self, ClientFile, ServerFile, TypeItem, TypesFile};

/// The generated files the checks read, as text.
pub struct Sources {
    pub client: String,
    pub client_types: String,
    pub server: String,
    pub server_types: String,
    pub server_validate: String,
}

/// Paths of the generated files, relative to the workspace root.
pub const CLIENT: &str = "generated-client/src/generated/client.rs";
pub const CLIENT_TYPES: &str = "generated-client/src/generated/types.rs";
pub const SERVER: &str = "generated-server/src/generated/server.rs";
pub const SERVER_TYPES: &str = "generated-server/src/generated/types.rs";
pub const SERVER_VALIDATE: &str = "generated-server/src/generated/validate.rs";

/// Checks the generated sources against the spec; returns every mismatch.
pub fn check(spec: &Expectations, sources: &Sources) -> Vec<String> {
    let mut out: Vec<String> = spec
        .problems
        .iter()
        .map(|p| format!("spec: {p} (the consistency test cannot check it)"))
        .collect();
    let parsed = (|| -> Result<_, String> {
        let client = ClientFile::read(&generated::parse(CLIENT, &sources.client)?)?;
        let client_types =
            TypesFile::read(&generated::parse(CLIENT_TYPES, &sources.client_types)?)?;
        let server = ServerFile::read(
            &generated::parse(SERVER, &sources.server)?,
            &generated::parse(SERVER_VALIDATE, &sources.server_validate)?,
        )?;
        let server_types =
            TypesFile::read(&generated::parse(SERVER_TYPES, &sources.server_types)?)?;
        Ok((client, client_types, server, server_types))
    })();
    let (client, client_types, server, server_types) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            out.push(e);
            return out;
        }
    };
    let client_aliases = client_types.aliases();
    let server_aliases = server_types.aliases();
    for op in &spec.operations {
        check_client(op, &client, &client_aliases, &mut out);
        check_server(op, &server, &server_aliases, &mut out);
    }
    for schema in &spec.schemas {
        check_schema(
            schema,
            "client types.rs",
            &client_types,
            &client_aliases,
            &mut out,
        );
        check_schema(
            schema,
            "server types.rs",
            &server_types,
            &server_aliases,
            &mut out,
        );
    }
    out
}

fn same(expected: &Ty, found: &Ty, aliases: &BTreeMap<String, Ty>) -> bool {
    generated::resolve(expected, aliases) == generated::resolve(found, aliases)
}

fn request_line(op: &Operation) -> String {
    format!("{} {}", op.http_method, op.path)
}

fn check_client(
    op: &Operation,
    client: &ClientFile,
    aliases: &BTreeMap<String, Ty>,
    out: &mut Vec<String>,
) {
    let at = format!("operation {} (client method `{}`)", op.id, op.method_name);
    let Some(method) = client.methods.get(&op.method_name) else {
        out.push(format!("{at}: the client has no such method"));
        return;
    };
    let mut fail = |what: String| out.push(format!("{at}: {what}"));
    if !method.doc.contains(&request_line(op)) {
        fail(format!("its doc does not mention `{}`", request_line(op)));
    }
    if method.request_operation.as_deref() != Some(op.id.as_str()) {
        fail(format!(
            "it builds a request named {:?}, not {:?}",
            method.request_operation, op.id
        ));
    }
    if method.request_method.as_deref() != Some(op.http_method.as_str()) {
        fail(format!(
            "it sends method {:?}, the spec says {}",
            method.request_method, op.http_method
        ));
    }

    // The path: the spec's template with each parameter filled in, in order.
    let mut template = String::new();
    let mut names = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        template.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        names.push(rest[start + 1..start + end].to_snake_case());
        template.push_str("{}");
        rest = &rest[start + end + 1..];
    }
    template.push_str(rest);
    if method.path_template.as_deref() != Some(template.as_str()) {
        fail(format!(
            "its path template is {:?}, expected {template:?}",
            method.path_template
        ));
    }
    if method.path_args != names {
        fail(format!(
            "it fills the path with {:?}, expected {names:?}",
            method.path_args
        ));
    }

    // Parameters: arguments, except client-level ones; query and header calls by wire name.
    let mut expected_args: Vec<&str> = Vec::new();
    for p in &op.params {
        let what = format!(
            "{} parameter `{}`",
            p.location.variant().to_lowercase(),
            p.wire
        );
        if let Some(header) = &p.client_level {
            if method.args.iter().any(|(a, _)| *a == p.arg) {
                fail(format!(
                    "{what} is client-level (x-client-parameter) but is a method argument"
                ));
            }
            if let Some(header) = header {
                if !client.client_headers.contains(header) {
                    fail(format!(
                        "{what}: CLIENT_HEADERS lacks its header `{header}`"
                    ));
                }
            }
            continue;
        }
        expected_args.push(&p.arg);
        let expected = p.ty.clone().optional(!p.required);
        match method.args.iter().find(|(a, _)| *a == p.arg) {
            None => fail(format!("{what}: no argument `{}`", p.arg)),
            Some((_, found)) if !same(&expected, found, aliases) => fail(format!(
                "{what}: argument `{}` is `{found}`, expected `{expected}` (required: {})",
                p.arg, p.required
            )),
            Some(_) => {}
        }
        let kind = match p.location {
            Location::Path => continue,
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        };
        let calls: Vec<_> = method
            .param_calls
            .iter()
            .filter(|(_, _, used)| used.contains(&p.arg))
            .collect();
        if calls.is_empty() {
            fail(format!("{what}: argument `{}` is never sent", p.arg));
        }
        for (call_kind, wire, _) in calls {
            if call_kind != kind || *wire != p.wire {
                fail(format!(
                    "{what}: argument `{}` is sent as {call_kind} `{wire}`, expected {kind} `{}`",
                    p.arg, p.wire
                ));
            }
        }
    }
    match &op.body {
        Some(body) => {
            expected_args.push("body");
            // The client borrows the body: `&T`, or `Option<&T>` when it is optional.
            let expected = body.ty.clone().optional(!body.required);
            match method.args.iter().find(|(a, _)| a == "body") {
                None => fail("no `body` argument for the request body".to_string()),
                Some((_, found)) if !same(&expected, found, aliases) => fail(format!(
                    "argument `body` is `{found}`, expected `{expected}` (required: {})",
                    body.required
                )),
                Some(_) => {}
            }
            if method.json_content_type.as_deref() != Some(body.content_type.as_str()) {
                fail(format!(
                    "the body is sent as {:?}, the spec says {}",
                    method.json_content_type, body.content_type
                ));
            }
        }
        None => {
            if method.json_content_type.is_some() {
                fail("it sends a body the spec does not describe".to_string());
            }
        }
    }
    for (arg, _) in &method.args {
        if !expected_args.contains(&arg.as_str()) {
            fail(format!("argument `{arg}` matches no parameter of the spec"));
        }
    }

    // Statuses: one arm per documented code, success arms return Ok, error arms Err.
    let codes: Vec<u16> = method.arms.iter().filter_map(|(code, _)| *code).collect();
    for r in &op.responses {
        match r.status {
            Status::Code(code) => match method.arms.iter().find(|(c, _)| *c == Some(code)) {
                None => fail(format!("no match arm for documented status {code}")),
                Some((_, body)) => {
                    let is_err = body.trim_start().starts_with("Err");
                    if r.status.is_success() == is_err {
                        fail(format!(
                            "status {code} is answered with `{body}`, expected {}",
                            if is_err { "a success" } else { "an error" }
                        ));
                    }
                }
            },
            Status::Default => {}
        }
    }
    for code in &codes {
        if !op.responses.iter().any(|r| r.status == Status::Code(*code)) {
            fail(format!(
                "a match arm for status {code}, which the spec does not document"
            ));
        }
    }
    let has_default = op.responses.iter().any(|r| r.status == Status::Default);
    match method.arms.iter().find(|(code, _)| code.is_none()) {
        None => fail("no `_ =>` arm for undocumented statuses".to_string()),
        Some((_, body)) => {
            if has_default == body.contains("unexpected") {
                fail(format!(
                    "the `_` arm is `{body}`, but the spec {} a default response",
                    if has_default { "has" } else { "has no" }
                ));
            }
        }
    }

    // Result types: one body type per side, or an enum named after the operation.
    for (success, found, suffix) in [
        (true, &method.success, "Success"),
        (false, &method.error, "ErrorBody"),
    ] {
        let responses: Vec<&expect::Resp> = op
            .responses
            .iter()
            .filter(|r| r.status.is_success() == success)
            .collect();
        let mut distinct: Vec<Option<&Ty>> = Vec::new();
        for r in &responses {
            if !distinct.contains(&r.body.as_ref()) {
                distinct.push(r.body.as_ref());
            }
        }
        let expected = match distinct.as_slice() {
            [] | [None] => Ty::Unit,
            [Some(ty)] => (*ty).clone(),
            _ => {
                let name = format!("{}{suffix}", op.type_name);
                match client.enums.get(&name) {
                    None => fail(format!("no enum `{name}` for its several {suffix} bodies")),
                    Some(variants) => {
                        for r in &responses {
                            let Some(variant) = expect::status_variant(r.status) else {
                                continue;
                            };
                            let payload = variants.iter().find(|(v, _)| v == variant);
                            match (payload, &r.body) {
                                (None, _) => fail(format!("enum `{name}` has no variant `{variant}` for status {}", r.status)),
                                (Some((_, Some(found))), Some(expected)) if !same(expected, found, aliases) => fail(format!(
                                    "enum `{name}`: variant `{variant}` carries `{found}`, expected `{expected}`"
                                )),
                                _ => {}
                            }
                        }
                    }
                }
                Ty::Named(name)
            }
        };
        match found {
            None => fail(format!(
                "cannot read its {suffix} type from the return type"
            )),
            Some(found) if !same(&expected, found, aliases) => fail(format!(
                "its {} type is `{found}`, expected `{expected}`",
                if success { "success" } else { "error" }
            )),
            Some(_) => {}
        }
    }
}

fn check_server(
    op: &Operation,
    server: &ServerFile,
    aliases: &BTreeMap<String, Ty>,
    out: &mut Vec<String>,
) {
    let trait_name = op.tag.to_upper_camel_case();
    let at = format!(
        "operation {} (server trait `{trait_name}`, method `{}`)",
        op.id, op.method_name
    );
    let mut fail = |what: String| out.push(format!("{at}: {what}"));
    let response_enum = format!("{}Response", op.type_name);
    let input_struct = format!("{}Input", op.type_name);

    match server
        .traits
        .get(&trait_name)
        .and_then(|t| t.get(&op.method_name))
    {
        None => fail("the trait has no such method".to_string()),
        Some(method) => {
            if !method.doc.contains(&request_line(op)) {
                fail(format!("its doc does not mention `{}`", request_line(op)));
            }
            if method.output.as_deref() != Some(response_enum.as_str()) {
                fail(format!(
                    "its future's output is {:?}, expected `{response_enum}`",
                    method.output
                ));
            }
            // `(ctx, input)`: the inputs are the fields of one struct.
            let args: Vec<&str> = method.args.iter().map(|(a, _)| a.as_str()).collect();
            if args != ["ctx", "input"] {
                fail(format!(
                    "its arguments are {args:?}, expected [\"ctx\", \"input\"]"
                ));
            }
            match method.args.iter().find(|(a, _)| a == "input") {
                Some((_, found)) if *found != Ty::Named(input_struct.clone()) => fail(format!(
                    "argument `input` is `{found}`, expected `{input_struct}`"
                )),
                _ => {}
            }
        }
    }

    // The input struct: a field per parameter, then `body`, each optional when the spec
    // says so.
    match server.structs.get(&input_struct) {
        None => fail(format!("no input struct `{input_struct}`")),
        Some(found) => {
            let mut expected: Vec<(String, Ty)> = op
                .params
                .iter()
                .map(|p| (p.arg.clone(), p.ty.clone().optional(!p.required)))
                .collect();
            if let Some(body) = &op.body {
                expected.push(("body".to_string(), body.ty.clone().optional(!body.required)));
            }
            for (name, ty) in &expected {
                match found.iter().find(|(f, _)| f == name) {
                    None => fail(format!("`{input_struct}` has no field `{name}`")),
                    Some((_, found)) if !same(ty, found, aliases) => fail(format!(
                        "`{input_struct}.{name}` is `{found}`, expected `{ty}`"
                    )),
                    Some(_) => {}
                }
            }
            for (name, _) in found {
                if !expected.iter().any(|(e, _)| e == name) {
                    fail(format!(
                        "`{input_struct}.{name}` matches no parameter of the spec"
                    ));
                }
            }
        }
    }

    // The response enum: one variant per documented status, named by its reason phrase,
    // carrying the documented body and answering with that status.
    match server.enums.get(&response_enum) {
        None => fail(format!("no response enum `{response_enum}`")),
        Some(variants) => {
            let statuses = server.variant_status.get(&response_enum);
            for r in &op.responses {
                let Some(variant) = expect::status_variant(r.status) else {
                    fail(format!(
                        "status {} has no reason phrase in this test's table; extend it",
                        r.status
                    ));
                    continue;
                };
                match variants.iter().find(|(v, _)| v == variant) {
                    None => fail(format!(
                        "`{response_enum}` has no variant `{variant}` for status {}",
                        r.status
                    )),
                    Some((_, payload)) => {
                        match (payload, &r.body) {
                            (Some(found), Some(expected)) if !same(expected, found, aliases) => fail(format!(
                                "`{response_enum}::{variant}` carries `{found}`, expected `{expected}`"
                            )),
                            (None, Some(expected)) => fail(format!("`{response_enum}::{variant}` carries no body, expected `{expected}`")),
                            (Some(found), None) => fail(format!("`{response_enum}::{variant}` carries `{found}`, the spec documents no body")),
                            _ => {}
                        }
                        if let Status::Code(code) = r.status {
                            let answered = statuses.and_then(|s| s.get(variant)).copied();
                            if answered != Some(code) {
                                fail(format!(
                                    "`{response_enum}::{variant}` answers with status {answered:?}, expected {code}"
                                ));
                            }
                        }
                    }
                }
            }
            for (variant, _) in variants {
                let documented = op
                    .responses
                    .iter()
                    .any(|r| expect::status_variant(r.status) == Some(variant.as_str()));
                if !documented {
                    fail(format!(
                        "`{response_enum}::{variant}` stands for no documented status"
                    ));
                }
            }
        }
    }

    // The route: the spec's path, the HTTP method, this operation's handler, registered
    // by the router of the operation's service, which `router` merges.
    let handler = format!("handle_{}", op.method_name);
    let method = op.http_method.to_lowercase();
    let service_router = format!("{}_router", op.tag.to_snake_case());
    // The service router builds its routes in `<service>_routes` (which takes where the
    // finishing work happens), and the combined `router` merges that one.
    let service_routes = format!("{}_routes", op.tag.to_snake_case());
    let delegates = server
        .router_calls
        .get(&service_router)
        .is_some_and(|calls| calls.contains(&service_routes));
    let routes: Vec<_> = server
        .routes
        .iter()
        .filter(|r| r.handler == handler)
        .collect();
    match routes.as_slice() {
        [] => fail(format!("no `.route(..)` sends to `{handler}`")),
        [route] => {
            if route.path != op.path || route.method != method {
                fail(format!(
                    "`{handler}` is routed as `.{}(..)` on {:?}, expected `.{method}(..)` on {:?}",
                    route.method, route.path, op.path
                ));
            }
            if route.router_fn != service_router
                && !(route.router_fn == service_routes && delegates)
            {
                fail(format!(
                    "`{handler}` is routed in `{}`, expected `{service_router}`",
                    route.router_fn
                ));
            }
        }
        several => fail(format!("`{handler}` is routed {} times", several.len())),
    }
    if !server.router_calls.get("router").is_some_and(|calls| {
        calls.contains(&service_router) || (delegates && calls.contains(&service_routes))
    }) {
        fail(format!("`router` does not merge `{service_router}`"));
    }

    // The handler's parameter specs: location, wire name and required-ness.
    match server.handlers.get(&handler) {
        None => fail(format!("no handler function `{handler}`")),
        Some(h) => {
            for p in &op.params {
                let found: Vec<_> = h.params.iter().filter(|s| s.name == p.wire).collect();
                match found.as_slice() {
                    [] => fail(format!("`{handler}` does not read parameter `{}`", p.wire)),
                    [spec] => {
                        if spec.location != p.location.variant() {
                            fail(format!(
                                "`{handler}`: parameter `{}` is read from {}, the spec says {}",
                                p.wire,
                                spec.location,
                                p.location.variant()
                            ));
                        }
                        if spec.required != p.required {
                            fail(format!(
                                "`{handler}`: parameter `{}` has required: {}, the spec says {}",
                                p.wire, spec.required, p.required
                            ));
                        }
                    }
                    several => fail(format!(
                        "`{handler}` reads `{}` {} times",
                        p.wire,
                        several.len()
                    )),
                }
            }
            for spec in &h.params {
                if !op.params.iter().any(|p| p.wire == spec.name) {
                    fail(format!(
                        "`{handler}` reads `{}`, which the spec does not document",
                        spec.name
                    ));
                }
            }
            let expected_body = op.body.as_ref().map(|b| b.required);
            if h.body_required != expected_body {
                fail(format!(
                    "`{handler}` reads the body with required: {:?}, expected {expected_body:?}",
                    h.body_required
                ));
            }
            if !h.service_calls.contains(&op.method_name) {
                fail(format!(
                    "`{handler}` does not call `service.{}`",
                    op.method_name
                ));
            }
        }
    }
}

fn check_schema(
    schema: &SchemaExpect,
    file: &str,
    types: &TypesFile,
    aliases: &BTreeMap<String, Ty>,
    out: &mut Vec<String>,
) {
    let at = format!(
        "schema {} ({file}, type `{}`)",
        schema.name, schema.rust_name
    );
    let mut fail = |what: String| out.push(format!("{at}: {what}"));
    let Some(item) = types.items.get(&schema.rust_name) else {
        fail("no such type".to_string());
        return;
    };
    match (&schema.kind, item) {
        (
            SchemaKindExpect::Struct { fields, additional },
            TypeItem::Struct {
                fields: found,
                rename_all,
            },
        ) => {
            if let Some(rule) = rename_all {
                fail(format!(
                    "#[serde(rename_all = {rule:?})] is not modelled; expected explicit renames"
                ));
            }
            for field in fields {
                match found.iter().find(|f| !f.flatten && f.wire == field.wire) {
                    None => fail(format!(
                        "no field with wire name `{}` (its `json_object!` entry names another)",
                        field.wire
                    )),
                    Some(f) if !same(&field.ty, &f.ty, aliases) => fail(format!(
                        "field `{}` (wire `{}`) is `{}`, expected `{}`",
                        f.rust, field.wire, f.ty, field.ty
                    )),
                    Some(_) => {}
                }
            }
            for f in found {
                if f.flatten {
                    if !additional {
                        fail(format!("flattened field `{}` but the schema has no additionalProperties schema", f.rust));
                    }
                } else if !fields.iter().any(|e| e.wire == f.wire) {
                    fail(format!(
                        "field `{}` (wire `{}`) is not a property of the schema",
                        f.rust, f.wire
                    ));
                }
            }
            if *additional && !found.iter().any(|f| f.flatten) {
                fail("no flattened field for additionalProperties".to_string());
            }
        }
        (
            SchemaKindExpect::StringEnum(values),
            TypeItem::Enum {
                variants,
                renames,
                known,
            },
        ) => {
            let found: Vec<String> = match known {
                Some(known) => known.clone(),
                None => variants
                    .iter()
                    .filter_map(|(v, _)| renames.get(v).cloned())
                    .collect(),
            };
            if &found != values {
                fail(format!(
                    "the enum's wire values are {found:?}, expected {values:?}"
                ));
            }
        }
        (SchemaKindExpect::Union(alternatives), TypeItem::Enum { variants, .. }) => {
            let payloads: Vec<Option<&Ty>> = variants.iter().map(|(_, p)| p.as_ref()).collect();
            let matches = payloads.len() == alternatives.len()
                && payloads
                    .iter()
                    .zip(alternatives)
                    .all(|(found, expected)| found.is_some_and(|f| same(expected, f, aliases)));
            if !matches {
                let found: Vec<String> = payloads
                    .iter()
                    .map(|p| {
                        p.map(|t| t.to_string())
                            .unwrap_or_else(|| "(no payload)".into())
                    })
                    .collect();
                let expected: Vec<String> = alternatives.iter().map(|t| t.to_string()).collect();
                fail(format!(
                    "the union's variants carry {found:?}, expected {expected:?}"
                ));
            }
        }
        (SchemaKindExpect::Alias(expected), TypeItem::Alias(found)) => {
            if !same(expected, found, aliases) {
                fail(format!("the alias is `{found}`, expected `{expected}`"));
            }
        }
        (expected, _) => fail(format!(
            "expected {}, found a different kind of item",
            match expected {
                SchemaKindExpect::Struct { .. } => "a struct",
                SchemaKindExpect::StringEnum(_) => "a string enum",
                SchemaKindExpect::Union(_) => "an enum with one variant per alternative",
                SchemaKindExpect::Alias(_) => "a type alias",
            }
        )),
    }
}
