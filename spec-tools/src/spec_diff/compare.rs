//! The walk over two documents: operations, parameters, bodies, responses, servers and
//! security. Schemas are handed to [`super::schema`].
//!
//! Both documents are read through `spec_model`: `$ref`s of every component kind are
//! resolved by `Spec::resolve`, and schemas are compared in the raw JSON that
//! `spec_model` loaded. A `$ref` that does not resolve is a [`Diagnostic`]; the walk
//! goes on past it so that every problem is reported at once, and no report is made.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use indexmap::IndexMap;
use openapiv3::{
    CookieStyle, Header, HeaderStyle, MediaType, OpenAPI, Operation, Parameter, ParameterData,
    ParameterSchemaOrContent, PathItem, PathStyle, QueryStyle, ReferenceOr, RequestBody, Response,
    SecurityRequirement, Server,
};
use serde_json::Value;
use spec_model::pointer::{escape, join};
use spec_model::resolve::{Component, RefOr};
use spec_model::{Diagnostic, Diagnostics};

use super::load::Spec;
use super::model::{
    Change, Direction, Kind, Verdict, BREAKS_BOTH, BREAKS_CLIENTS, BREAKS_SERVERS, COMPATIBLE,
};
use super::schema::{canonicalize_numbers, code, show, SchemaDiff, Subject};

/// Compares two specs and returns every change, sorted by pointer, then kind.
///
/// A spec whose `$ref`s do not all resolve gives every such problem instead.
pub fn diff(base: &Spec, head: &Spec) -> Result<Vec<Change>, Diagnostics> {
    let base = Side::new(base);
    let head = Side::new(head);
    let mut differ = Differ {
        base: &base,
        head: &head,
        out: Recorder::default(),
    };
    differ.document();
    let Recorder {
        mut changes,
        mut problems,
        ..
    } = differ.out;
    if !problems.is_empty() {
        // A shared component with a problem is reached once per use; report it once.
        let mut seen = HashSet::new();
        problems.retain(|problem| seen.insert(problem.to_string()));
        return Err(Diagnostics(problems));
    }
    changes.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    // The same change can be reached through several operations that share a
    // component; keep one, breaking wherever any of them was breaking.
    let mut unique: Vec<Change> = Vec::with_capacity(changes.len());
    for change in changes {
        match unique.last_mut() {
            Some(last) if last.sort_key() == change.sort_key() => {
                last.client = last.client.min(change.client);
                last.server = last.server.min(change.server);
            }
            _ => unique.push(change),
        }
    }
    Ok(unique)
}

/// One document, as `spec_model` read it.
pub struct Side<'a> {
    pub spec: &'a spec_model::Spec,
    pub api: &'a OpenAPI,
    /// The raw JSON of the document, with numbers in one canonical form (`1.0` is `1`),
    /// where schemas are compared.
    pub json: Value,
}

impl<'a> Side<'a> {
    fn new(spec: &'a Spec) -> Side<'a> {
        let mut json = spec.model.raw.clone();
        canonicalize_numbers(&mut json);
        Side {
            spec: &spec.model,
            api: spec.api(),
            json,
        }
    }

    /// Resolves `item`, written at `at`, through any chain of `$ref`s to its component;
    /// returns the item and where it is written. A problem is recorded in `out`.
    fn follow<T: Component>(
        &self,
        item: &'a impl RefOr<T>,
        at: &str,
        out: &mut Recorder,
    ) -> Option<(&'a T, String)> {
        match self.spec.resolve(item, at) {
            Ok(resolved) => Some((resolved.item, resolved.pointer)),
            Err(problem) => {
                out.problem(problem);
                None
            }
        }
    }

    /// The raw JSON at `pointer`, where the typed document has a value.
    pub fn raw_at(&self, pointer: &str, out: &mut Recorder) -> Option<&Value> {
        let found = self.json.pointer(pointer);
        if found.is_none() {
            out.problem(self.spec.error(
                pointer,
                "spec-diff",
                "the typed document has a value here but the raw JSON has none (a bug in spec-diff)",
            ));
        }
        found
    }
}

/// Collected changes and problems, and the schema pairs already compared.
#[derive(Default)]
pub struct Recorder {
    pub changes: Vec<Change>,
    /// What stopped part of a spec from being compared, such as a `$ref` to nothing.
    pub problems: Vec<Diagnostic>,
    pub visited: HashSet<(Direction, String, String)>,
}

impl Recorder {
    pub fn problem(&mut self, problem: Diagnostic) {
        self.problems.push(problem);
    }

    pub fn push(&mut self, pointer: String, kind: Kind, verdict: Verdict, message: String) {
        self.changes.push(Change {
            pointer,
            kind,
            message,
            client: verdict.client,
            server: verdict.server,
        });
    }

    /// Reports added, removed and changed `x-` keys of one object.
    ///
    /// What an extension means is up to its reader, so the change is reported as
    /// compatible and the message asks for a review.
    pub fn extensions<'v>(
        &mut self,
        pointer: &str,
        subject: &str,
        old: impl IntoIterator<Item = (&'v String, &'v Value)>,
        new: impl IntoIterator<Item = (&'v String, &'v Value)>,
    ) {
        let pick = |entries: &mut dyn Iterator<Item = (&'v String, &'v Value)>| {
            entries
                .filter(|(key, _)| key.starts_with("x-"))
                .collect::<BTreeMap<&String, &Value>>()
        };
        let old = pick(&mut old.into_iter());
        let new = pick(&mut new.into_iter());
        let keys: BTreeSet<&&String> = old.keys().chain(new.keys()).collect();
        for key in keys {
            let change = match (old.get(*key), new.get(*key)) {
                (Some(a), Some(b)) if a == b => continue,
                (Some(a), Some(b)) => {
                    format!("changed from {} to {}", code(&show(a)), code(&show(b)))
                }
                (None, Some(b)) => format!("was added with value {}", code(&show(b))),
                (Some(a), None) => format!("was removed (it was {})", code(&show(a))),
                (None, None) => continue,
            };
            let message = format!(
                "extension {} of {subject} {change} (extensions are not classified: review it)",
                code(key)
            );
            self.push(
                pointer.to_owned(),
                Kind::ExtensionChanged,
                COMPATIBLE,
                message,
            );
        }
    }
}

struct Differ<'s, 'a> {
    base: &'s Side<'a>,
    head: &'s Side<'a>,
    out: Recorder,
}

/// An operation with the path item it belongs to.
struct Op<'a> {
    path: &'a str,
    method: String,
    item: &'a PathItem,
    operation: &'a Operation,
}

impl Op<'_> {
    fn pointer(&self) -> String {
        format!("/paths/{}/{}", escape(self.path), self.method)
    }

    fn describe(&self) -> String {
        code(&format!("{} {}", self.method.to_uppercase(), self.path))
    }
}

/// A parameter after `$ref` resolution, with where it was found.
struct Param<'a> {
    location: &'static str,
    data: &'a ParameterData,
    parameter: &'a Parameter,
    pointer: String,
}

impl Param<'_> {
    fn describe(&self) -> String {
        format!("{} parameter {}", self.location, code(&self.data.name))
    }
}

fn operations<'a>(side: &Side<'a>, out: &mut Recorder) -> BTreeMap<(String, String), Op<'a>> {
    let mut operations = BTreeMap::new();
    for (path, item) in side.api.paths.iter() {
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                out.problem(side.spec.error(
                    &join("/paths", path),
                    "unsupported",
                    format!("path item `$ref: {reference}` is not supported"),
                ));
                continue;
            }
        };
        for (method, operation) in item.iter() {
            let op = Op {
                path,
                method: method.to_owned(),
                item,
                operation,
            };
            operations.insert((path.clone(), method.to_owned()), op);
        }
    }
    operations
}

impl<'s, 'a> Differ<'s, 'a> {
    fn push(&mut self, pointer: String, kind: Kind, verdict: Verdict, message: String) {
        self.out.push(pointer, kind, verdict, message);
    }

    fn schemas(&mut self, direction: Direction) -> SchemaDiff<'_, 'a> {
        SchemaDiff {
            base: self.base,
            head: self.head,
            out: &mut self.out,
            direction,
        }
    }

    fn document(&mut self) {
        let (base, head) = (self.base.api, self.head.api);
        self.servers("/servers", &base.servers, &head.servers, "the API");
        self.security(
            ("/security".to_owned(), base.security.as_ref()),
            ("/security".to_owned(), head.security.as_ref()),
            "every operation",
        );
        self.security_schemes();
        self.out
            .extensions("", "the document", &base.extensions, &head.extensions);

        let base_operations = operations(self.base, &mut self.out);
        let head_operations = operations(self.head, &mut self.out);
        let renamed = renamed_operations(&base_operations, &head_operations);
        let mut paths_seen = BTreeSet::new();
        for (key, old) in &base_operations {
            let new = head_operations
                .get(key)
                .or_else(|| head_operations.get(renamed.get(key)?));
            match new {
                Some(new) => {
                    if paths_seen.insert((old.path, new.path)) {
                        let pointer = format!("/paths/{}/servers", escape(new.path));
                        let scope = format!("path {}", code(new.path));
                        self.servers(&pointer, &old.item.servers, &new.item.servers, &scope);
                    }
                    self.operation(old, new);
                }
                None => {
                    // Removing a deprecated operation was announced; it still fails for
                    // a client that kept calling it, so only the kind is milder.
                    let (kind, note) = if old.operation.deprecated {
                        (
                            Kind::DeprecatedOperationRemoved,
                            " (it was deprecated: clients were warned)",
                        )
                    } else {
                        (Kind::OperationRemoved, "")
                    };
                    let message = format!(
                        "operation {}{} was removed{note}",
                        old.describe(),
                        operation_id(old.operation)
                    );
                    self.push(old.pointer(), kind, BREAKS_CLIENTS, message);
                }
            }
        }
        let paired: BTreeSet<&(String, String)> = renamed.values().collect();
        for (key, new) in &head_operations {
            if !base_operations.contains_key(key) && !paired.contains(key) {
                let message = format!(
                    "operation {}{} was added",
                    new.describe(),
                    operation_id(new.operation)
                );
                self.push(new.pointer(), Kind::OperationAdded, COMPATIBLE, message);
            }
        }
    }

    fn operation(&mut self, old: &Op<'a>, new: &Op<'a>) {
        let pointer = new.pointer();
        let name = new.describe();
        for (old_name, new_name) in renamed_path_parameters(old.path, new.path) {
            let message = format!(
                "path parameter {} of {name} was renamed to {} (the path was {}; the URLs clients send are unchanged, generated parameter names change)",
                code(old_name),
                code(new_name),
                code(old.path)
            );
            self.push(
                pointer.clone(),
                Kind::PathParameterRenamed,
                COMPATIBLE,
                message,
            );
        }
        if old.operation.operation_id != new.operation.operation_id {
            let show =
                |id: &Option<String>| id.as_deref().map(code).unwrap_or_else(|| "none".to_owned());
            let message = format!(
                "operationId of {name} changed from {} to {} (generated method names change; the wire format does not)",
                show(&old.operation.operation_id),
                show(&new.operation.operation_id)
            );
            self.push(
                pointer.clone(),
                Kind::OperationIdChanged,
                COMPATIBLE,
                message,
            );
        }
        if old.operation.deprecated != new.operation.deprecated {
            let message = if new.operation.deprecated {
                format!("operation {name} was deprecated")
            } else {
                format!("operation {name} is no longer deprecated")
            };
            self.push(
                pointer.clone(),
                Kind::DeprecationChanged,
                COMPATIBLE,
                message,
            );
        }
        self.out.extensions(
            &pointer,
            &format!("operation {name}"),
            &old.operation.extensions,
            &new.operation.extensions,
        );
        self.parameters(old, new);
        self.request_body(old, new);
        self.responses(old, new);
        self.servers(
            &format!("{pointer}/servers"),
            &old.operation.servers,
            &new.operation.servers,
            &format!("operation {name}"),
        );
        if old.operation.security.is_some() || new.operation.security.is_some() {
            let effective = |op: &Op<'a>, api: &'a OpenAPI| match &op.operation.security {
                Some(security) => (format!("{}/security", op.pointer()), Some(security)),
                None => ("/security".to_owned(), api.security.as_ref()),
            };
            self.security(
                effective(old, self.base.api),
                effective(new, self.head.api),
                &format!("operation {name}"),
            );
        }
    }

    /// The operation's parameters, path-level ones first, keyed by location and name.
    fn collect_parameters(
        &mut self,
        side: &Side<'a>,
        op: &Op<'a>,
    ) -> IndexMap<(&'static str, String), Param<'a>> {
        let mut parameters = IndexMap::new();
        let path_pointer = format!("/paths/{}/parameters", escape(op.path));
        let op_pointer = format!("{}/parameters", op.pointer());
        let sources = [
            (&op.item.parameters, path_pointer),
            (&op.operation.parameters, op_pointer),
        ];
        for (list, pointer) in sources {
            for (index, parameter) in list.iter().enumerate() {
                let at = format!("{pointer}/{index}");
                let Some((parameter, pointer)) = side.follow(parameter, &at, &mut self.out) else {
                    continue;
                };
                let location = match parameter {
                    Parameter::Query { .. } => "query",
                    Parameter::Header { .. } => "header",
                    Parameter::Path { .. } => "path",
                    Parameter::Cookie { .. } => "cookie",
                };
                let data = parameter.parameter_data_ref();
                let key_name = if location == "header" {
                    data.name.to_ascii_lowercase()
                } else {
                    data.name.clone()
                };
                let param = Param {
                    location,
                    data,
                    parameter,
                    pointer,
                };
                parameters.insert((location, key_name), param);
            }
        }
        parameters
    }

    fn parameters(&mut self, old: &Op<'a>, new: &Op<'a>) {
        let base = self.collect_parameters(self.base, old);
        let head = self.collect_parameters(self.head, new);
        // A path parameter renamed in the template is the same parameter.
        let renames: BTreeMap<&str, &str> = renamed_path_parameters(old.path, new.path)
            .into_iter()
            .collect();
        let head_key = |key: &(&'static str, String)| match (key.0, renames.get(key.1.as_str())) {
            ("path", Some(new_name)) => ("path", new_name.to_string()),
            _ => key.clone(),
        };
        let matched: BTreeSet<(&'static str, String)> = base
            .keys()
            .map(head_key)
            .filter(|key| head.contains_key(key))
            .collect();
        let mut added: Vec<&Param<'a>> = head
            .iter()
            .filter(|(key, _)| !matched.contains(*key))
            .map(|(_, param)| param)
            .collect();
        for (key, old_param) in &base {
            if let Some(new_param) = head.get(&head_key(key)) {
                self.parameter(old_param, new_param);
                continue;
            }
            let moved = added.iter().position(|param| {
                param.data.name.eq_ignore_ascii_case(&old_param.data.name)
                    && param.location != old_param.location
            });
            if let Some(index) = moved {
                let new_param = added.remove(index);
                let message = format!(
                    "parameter {} moved from {} to {}",
                    code(&new_param.data.name),
                    old_param.location,
                    new_param.location
                );
                self.push(
                    new_param.pointer.clone(),
                    Kind::ParameterLocationChanged,
                    BREAKS_BOTH,
                    message,
                );
                continue;
            }
            // A client still sending the parameter has its intent ignored or rejected;
            // a server that required it now gets requests without it.
            let verdict = if old_param.data.required {
                BREAKS_BOTH
            } else {
                BREAKS_CLIENTS
            };
            let message = format!(
                "{} was removed from {}",
                old_param.describe(),
                old.describe()
            );
            self.push(
                old_param.pointer.clone(),
                Kind::ParameterRemoved,
                verdict,
                message,
            );
        }
        for new_param in added {
            let (verdict, word) = if new_param.data.required {
                (BREAKS_CLIENTS, "required")
            } else {
                (COMPATIBLE, "optional")
            };
            let message = format!(
                "{word} {} was added to {}",
                new_param.describe(),
                new.describe()
            );
            self.push(
                new_param.pointer.clone(),
                Kind::ParameterAdded,
                verdict,
                message,
            );
        }
    }

    fn parameter(&mut self, old: &Param<'a>, new: &Param<'a>) {
        let name = new.describe();
        let pointer = new.pointer.clone();
        match (old.data.required, new.data.required) {
            (false, true) => {
                let message = format!("{name} became required");
                self.push(
                    pointer.clone(),
                    Kind::ParameterBecameRequired,
                    BREAKS_CLIENTS,
                    message,
                );
            }
            (true, false) => {
                let message = format!("{name} became optional");
                self.push(
                    pointer.clone(),
                    Kind::ParameterBecameOptional,
                    BREAKS_SERVERS,
                    message,
                );
            }
            _ => {}
        }
        let (old_deprecated, new_deprecated) = (
            old.data.deprecated.unwrap_or(false),
            new.data.deprecated.unwrap_or(false),
        );
        if old_deprecated != new_deprecated {
            let message = if new_deprecated {
                format!("{name} was deprecated")
            } else {
                format!("{name} is no longer deprecated")
            };
            self.push(
                pointer.clone(),
                Kind::DeprecationChanged,
                COMPATIBLE,
                message,
            );
        }
        let (old_style, new_style) = (style(old.parameter), style(new.parameter));
        if old_style != new_style {
            let message = format!(
                "{name} serialization changed from {} to {}",
                code(&old_style),
                code(&new_style)
            );
            self.push(
                pointer.clone(),
                Kind::ParameterStyleChanged,
                BREAKS_BOTH,
                message,
            );
        }
        self.out
            .extensions(&pointer, &name, &old.data.extensions, &new.data.extensions);
        let subject = Subject::named(name.clone());
        self.parameter_format(
            &old.data.format,
            &old.pointer,
            &new.data.format,
            &new.pointer,
            &subject,
            Direction::Request,
        );
    }

    /// Compares the `schema` or `content` of a parameter or header.
    fn parameter_format(
        &mut self,
        old: &ParameterSchemaOrContent,
        old_pointer: &str,
        new: &ParameterSchemaOrContent,
        new_pointer: &str,
        subject: &Subject,
        direction: Direction,
    ) {
        match (old, new) {
            (ParameterSchemaOrContent::Schema(_), ParameterSchemaOrContent::Schema(_)) => {
                let (old_at, new_at) = (join(old_pointer, "schema"), join(new_pointer, "schema"));
                self.compare_schemas(direction, &old_at, &new_at, subject);
            }
            (ParameterSchemaOrContent::Content(old), ParameterSchemaOrContent::Content(new)) => {
                self.content(
                    direction,
                    old,
                    &format!("{old_pointer}/content"),
                    new,
                    &format!("{new_pointer}/content"),
                    &subject.describe(),
                    subject,
                );
            }
            (old, _) => {
                let (from, to) = match old {
                    ParameterSchemaOrContent::Schema(_) => ("schema", "content"),
                    ParameterSchemaOrContent::Content(_) => ("content", "schema"),
                };
                let message = format!("{} switched from `{from}` to `{to}`", subject.describe());
                self.push(
                    new_pointer.to_owned(),
                    Kind::ParameterStyleChanged,
                    BREAKS_BOTH,
                    message,
                );
            }
        }
    }

    /// Compares the raw schemas at two pointers, when both are there.
    fn compare_schemas(
        &mut self,
        direction: Direction,
        old_at: &str,
        new_at: &str,
        subject: &Subject,
    ) {
        let (base, head) = (self.base, self.head);
        let old = base.raw_at(old_at, &mut self.out);
        let new = head.raw_at(new_at, &mut self.out);
        if let (Some(old), Some(new)) = (old, new) {
            self.schemas(direction)
                .compare(old, old_at, new, new_at, subject);
        }
    }

    fn request_body(&mut self, old: &Op<'a>, new: &Op<'a>) {
        // `Some(None)` is a body whose `$ref` does not resolve: nothing to compare.
        let mut body_of =
            |side: &Side<'a>, op: &Op<'a>| -> Option<Option<(&'a RequestBody, String)>> {
                match &op.operation.request_body {
                    None => Some(None),
                    Some(body) => {
                        let at = format!("{}/requestBody", op.pointer());
                        side.follow(body, &at, &mut self.out).map(Some)
                    }
                }
            };
        let (Some(base), Some(head)) = (body_of(self.base, old), body_of(self.head, new)) else {
            return;
        };
        let name = new.describe();
        match (base, head) {
            (None, None) => {}
            (None, Some((body, pointer))) => {
                let (verdict, word) = if body.required {
                    (BREAKS_CLIENTS, "required")
                } else {
                    (COMPATIBLE, "optional")
                };
                let message = format!("{word} request body was added to {name}");
                self.push(pointer, Kind::RequestBodyAdded, verdict, message);
            }
            (Some((body, pointer)), None) => {
                let verdict = if body.required {
                    BREAKS_BOTH
                } else {
                    BREAKS_CLIENTS
                };
                let message = format!("request body was removed from {}", old.describe());
                self.push(pointer, Kind::RequestBodyRemoved, verdict, message);
            }
            (Some((old_body, old_pointer)), Some((new_body, new_pointer))) => {
                match (old_body.required, new_body.required) {
                    (false, true) => {
                        let message = format!("request body of {name} became required");
                        self.push(
                            new_pointer.clone(),
                            Kind::RequestBodyBecameRequired,
                            BREAKS_CLIENTS,
                            message,
                        );
                    }
                    (true, false) => {
                        let message = format!("request body of {name} became optional");
                        self.push(
                            new_pointer.clone(),
                            Kind::RequestBodyBecameOptional,
                            BREAKS_SERVERS,
                            message,
                        );
                    }
                    _ => {}
                }
                self.content(
                    Direction::Request,
                    &old_body.content,
                    &format!("{old_pointer}/content"),
                    &new_body.content,
                    &format!("{new_pointer}/content"),
                    &format!("request body of {name}"),
                    &Subject::body(Direction::Request),
                );
            }
        }
    }

    /// Compares media types by name (case-insensitively) and their schemas.
    #[allow(clippy::too_many_arguments)] // Bodies, parameters and headers all land here.
    fn content(
        &mut self,
        direction: Direction,
        old: &IndexMap<String, MediaType>,
        old_pointer: &str,
        new: &IndexMap<String, MediaType>,
        new_pointer: &str,
        owner: &str,
        subject: &Subject,
    ) {
        let lower = |map: &IndexMap<String, MediaType>| -> BTreeMap<String, String> {
            map.keys()
                .map(|key| (key.to_ascii_lowercase(), key.clone()))
                .collect()
        };
        let (old_names, new_names) = (lower(old), lower(new));
        for (lowered, old_name) in &old_names {
            let old_at = join(old_pointer, old_name);
            let Some(new_name) = new_names.get(lowered) else {
                let message = format!("media type {} was removed from {owner}", code(old_name));
                self.push(
                    old_at,
                    Kind::ContentTypeRemoved,
                    direction.narrowed(),
                    message,
                );
                continue;
            };
            let new_at = join(new_pointer, new_name);
            let (old_at, new_at) = (join(&old_at, "schema"), join(&new_at, "schema"));
            // A media type without a schema accepts any value.
            let any = Value::Object(serde_json::Map::new());
            let has_schema = |content: &IndexMap<String, MediaType>, name: &str| {
                content
                    .get(name)
                    .is_some_and(|media| media.schema.is_some())
            };
            let (base, head) = (self.base, self.head);
            let old_schema = match has_schema(old, old_name) {
                true => base.raw_at(&old_at, &mut self.out),
                false => Some(&any),
            };
            let new_schema = match has_schema(new, new_name) {
                true => head.raw_at(&new_at, &mut self.out),
                false => Some(&any),
            };
            if let (Some(old_schema), Some(new_schema)) = (old_schema, new_schema) {
                self.schemas(direction)
                    .compare(old_schema, &old_at, new_schema, &new_at, subject);
            }
        }
        for (lowered, new_name) in &new_names {
            if !old_names.contains_key(lowered) {
                let message = format!("media type {} was added to {owner}", code(new_name));
                self.push(
                    join(new_pointer, new_name),
                    Kind::ContentTypeAdded,
                    direction.widened(),
                    message,
                );
            }
        }
    }

    fn responses(&mut self, old: &Op<'a>, new: &Op<'a>) {
        let (base, head) = (status_codes(self.base, old), status_codes(self.head, new));
        let name = new.describe();
        for (status, (old_pointer, old_response)) in &base {
            let Some((new_pointer, new_response)) = head.get(status) else {
                let covered = covering(status, &head);
                let (verdict, note) = match covered {
                    Some(by) => (COMPATIBLE, format!(" (still covered by {})", code(&by))),
                    None => (BREAKS_SERVERS, String::new()),
                };
                let message = format!(
                    "status code {} was removed from {}{note}",
                    code(status),
                    old.describe()
                );
                self.push(
                    old_pointer.clone(),
                    Kind::StatusCodeRemoved,
                    verdict,
                    message,
                );
                continue;
            };
            let old_response = self.base.follow(*old_response, old_pointer, &mut self.out);
            let new_response = self.head.follow(*new_response, new_pointer, &mut self.out);
            let (Some((old_response, old_pointer)), Some((new_response, new_pointer))) =
                (old_response, new_response)
            else {
                continue;
            };
            let owner = format!("response {} of {name}", code(status));
            self.response(
                old_response,
                &old_pointer,
                new_response,
                &new_pointer,
                &owner,
            );
        }
        for (status, (pointer, _)) in &head {
            if base.contains_key(status) {
                continue;
            }
            let pointer = pointer.clone();
            let (verdict, note) = match covering(status, &base) {
                Some(by) => (
                    COMPATIBLE,
                    format!(" (covered by the existing {} response)", code(&by)),
                ),
                None => (BREAKS_CLIENTS, String::new()),
            };
            let message = format!("status code {} was added to {name}{note}", code(status));
            self.push(pointer, Kind::StatusCodeAdded, verdict, message);
        }
    }

    fn response(
        &mut self,
        old: &'a Response,
        old_pointer: &str,
        new: &'a Response,
        new_pointer: &str,
        owner: &str,
    ) {
        let mut headers_of = |side: &Side<'a>, response: &'a Response, pointer: &str| {
            let mut headers = BTreeMap::new();
            for (name, header) in &response.headers {
                let at = join(&join(pointer, "headers"), name);
                if let Some((header, at)) = side.follow(header, &at, &mut self.out) {
                    headers.insert(name.to_ascii_lowercase(), (name.as_str(), header, at));
                }
            }
            headers
        };
        let base: BTreeMap<String, (&str, &Header, String)> =
            headers_of(self.base, old, old_pointer);
        let head: BTreeMap<String, (&str, &Header, String)> =
            headers_of(self.head, new, new_pointer);
        for (key, (name, old_header, old_at)) in &base {
            let Some((new_name, new_header, new_at)) = head.get(key) else {
                let (verdict, word) = if old_header.required {
                    (BREAKS_CLIENTS, "required")
                } else {
                    (COMPATIBLE, "optional")
                };
                let message = format!("{word} header {} was removed from {owner}", code(name));
                self.push(
                    old_at.clone(),
                    Kind::ResponseHeaderRemoved,
                    verdict,
                    message,
                );
                continue;
            };
            let described = format!("response header {}", code(new_name));
            match (old_header.required, new_header.required) {
                (false, true) => {
                    let message = format!("{described} of {owner} became required");
                    self.push(
                        new_at.clone(),
                        Kind::ResponseHeaderBecameRequired,
                        BREAKS_SERVERS,
                        message,
                    );
                }
                (true, false) => {
                    let message = format!("{described} of {owner} became optional");
                    self.push(
                        new_at.clone(),
                        Kind::ResponseHeaderBecameOptional,
                        BREAKS_CLIENTS,
                        message,
                    );
                }
                _ => {}
            }
            let (old_deprecated, new_deprecated) = (
                old_header.deprecated.unwrap_or(false),
                new_header.deprecated.unwrap_or(false),
            );
            if old_deprecated != new_deprecated {
                let message = if new_deprecated {
                    format!("{described} was deprecated")
                } else {
                    format!("{described} is no longer deprecated")
                };
                self.push(
                    new_at.clone(),
                    Kind::DeprecationChanged,
                    COMPATIBLE,
                    message,
                );
            }
            self.parameter_format(
                &old_header.format,
                old_at,
                &new_header.format,
                new_at,
                &Subject::named(described.clone()),
                Direction::Response,
            );
        }
        for (key, (name, new_header, new_at)) in &head {
            if base.contains_key(key) {
                continue;
            }
            let (verdict, word) = if new_header.required {
                (BREAKS_SERVERS, "required")
            } else {
                (COMPATIBLE, "optional")
            };
            let message = format!("{word} header {} was added to {owner}", code(name));
            self.push(new_at.clone(), Kind::ResponseHeaderAdded, verdict, message);
        }
        self.content(
            Direction::Response,
            &old.content,
            &format!("{old_pointer}/content"),
            &new.content,
            &format!("{new_pointer}/content"),
            owner,
            &Subject::body(Direction::Response),
        )
    }

    /// Compares two `servers` lists: by URL first, then the leftovers in order.
    fn servers(&mut self, pointer: &str, old: &[Server], new: &[Server], scope: &str) {
        let mut new_taken = vec![false; new.len()];
        let mut old_left = Vec::new();
        for (i, old_server) in old.iter().enumerate() {
            match (0..new.len()).find(|&j| !new_taken[j] && new[j].url == old_server.url) {
                Some(j) => {
                    new_taken[j] = true;
                    self.server_variables(&format!("{pointer}/{j}"), old_server, &new[j]);
                }
                None => old_left.push(i),
            }
        }
        let new_left: Vec<usize> = (0..new.len()).filter(|&j| !new_taken[j]).collect();
        let paired = old_left.len().min(new_left.len());
        for (&i, &j) in old_left.iter().zip(&new_left) {
            let message = format!(
                "server URL of {scope} changed from {} to {}",
                code(&old[i].url),
                code(&new[j].url)
            );
            self.push(
                format!("{pointer}/{j}"),
                Kind::ServerUrlChanged,
                BREAKS_CLIENTS,
                message,
            );
        }
        for &i in &old_left[paired..] {
            let message = format!("server {} was removed from {scope}", code(&old[i].url));
            self.push(
                format!("{pointer}/{i}"),
                Kind::ServerRemoved,
                BREAKS_CLIENTS,
                message,
            );
        }
        for &j in &new_left[paired..] {
            let message = format!("server {} was added to {scope}", code(&new[j].url));
            self.push(
                format!("{pointer}/{j}"),
                Kind::ServerAdded,
                COMPATIBLE,
                message,
            );
        }
    }

    fn server_variables(&mut self, pointer: &str, old: &Server, new: &Server) {
        let (Some(old_variables), Some(new_variables)) = (&old.variables, &new.variables) else {
            return;
        };
        for (name, old_variable) in old_variables {
            let Some(new_variable) = new_variables.get(name) else {
                continue;
            };
            let at = join(&format!("{pointer}/variables"), name);
            let described = format!("server variable {} of {}", code(name), code(&new.url));
            if old_variable.default != new_variable.default {
                let message = format!(
                    "{described} default changed from {} to {}",
                    code(&old_variable.default),
                    code(&new_variable.default)
                );
                self.push(
                    at.clone(),
                    Kind::ServerVariableDefaultChanged,
                    BREAKS_CLIENTS,
                    message,
                );
            }
            let (old_values, new_values) = (&old_variable.enumeration, &new_variable.enumeration);
            if old_values.is_empty() || new_values.is_empty() {
                continue;
            }
            for value in old_values
                .iter()
                .filter(|value| !new_values.contains(value))
            {
                let message = format!("{described} lost allowed value {}", code(value));
                self.push(
                    at.clone(),
                    Kind::ServerVariableValueRemoved,
                    BREAKS_CLIENTS,
                    message,
                );
            }
            for value in new_values
                .iter()
                .filter(|value| !old_values.contains(value))
            {
                let message = format!("{described} gained allowed value {}", code(value));
                self.push(
                    at.clone(),
                    Kind::ServerVariableValueAdded,
                    COMPATIBLE,
                    message,
                );
            }
        }
    }

    /// Compares two effective security requirements as sets of alternatives.
    fn security(
        &mut self,
        old: (String, Option<&Vec<SecurityRequirement>>),
        new: (String, Option<&Vec<SecurityRequirement>>),
        scope: &str,
    ) {
        let (old_pointer, old) = old;
        let (new_pointer, new) = new;
        let (old, new) = (alternatives(old), alternatives(new));
        for alternative in old.difference(&new) {
            let message = if alternative == ANONYMOUS {
                format!("{scope} no longer allows anonymous access")
            } else {
                format!("security requirement {alternative} was removed from {scope}")
            };
            self.push(
                old_pointer.clone(),
                Kind::SecurityRequirementRemoved,
                BREAKS_CLIENTS,
                message,
            );
        }
        for alternative in new.difference(&old) {
            let message = if alternative == ANONYMOUS {
                format!("{scope} now allows anonymous access (no security requirement)")
            } else {
                format!("security requirement {alternative} was added to {scope}")
            };
            self.push(
                new_pointer.clone(),
                Kind::SecurityRequirementAdded,
                BREAKS_SERVERS,
                message,
            );
        }
    }

    fn security_schemes(&mut self) {
        // Each scheme as raw JSON, where every keyword has one spelling.
        let mut schemes = |side: &'s Side<'a>| -> BTreeMap<String, (&'s Value, String)> {
            let mut schemes = BTreeMap::new();
            let Some(components) = &side.api.components else {
                return schemes;
            };
            for (name, scheme) in &components.security_schemes {
                let at = join("/components/securitySchemes", name);
                let Some((_, pointer)) = side.follow(scheme, &at, &mut self.out) else {
                    continue;
                };
                if let Some(raw) = side.raw_at(&pointer, &mut self.out) {
                    schemes.insert(name.clone(), (raw, pointer));
                }
            }
            schemes
        };
        let (base, head) = (schemes(self.base), schemes(self.head));
        for (name, (old, old_pointer)) in &base {
            let Some((new, new_pointer)) = head.get(name) else {
                let message = format!("security scheme {} was removed", code(name));
                self.push(
                    old_pointer.clone(),
                    Kind::SecuritySchemeRemoved,
                    BREAKS_CLIENTS,
                    message,
                );
                continue;
            };
            let (old_wire, new_wire) = (wire_shape((*old).clone()), wire_shape((*new).clone()));
            if old_wire != new_wire {
                let message = format!(
                    "security scheme {} changed: {}",
                    code(name),
                    field_changes(&old_wire, &new_wire)
                );
                self.push(
                    new_pointer.clone(),
                    Kind::SecuritySchemeChanged,
                    BREAKS_BOTH,
                    message,
                );
            }
            let empty = serde_json::Map::new();
            self.out.extensions(
                new_pointer,
                &format!("security scheme {}", code(name)),
                old.as_object().unwrap_or(&empty),
                new.as_object().unwrap_or(&empty),
            );
        }
        for (name, (_, new_pointer)) in &head {
            if !base.contains_key(name) {
                let message = format!("security scheme {} was added", code(name));
                self.push(
                    new_pointer.clone(),
                    Kind::SecuritySchemeAdded,
                    COMPATIBLE,
                    message,
                );
            }
        }
    }
}

/// Every documented response of an operation by status code (`200`, `4XX`, `default`),
/// with the pointer of the response as written.
fn status_codes<'a>(
    side: &Side<'a>,
    op: &Op<'a>,
) -> IndexMap<String, (String, &'a ReferenceOr<Response>)> {
    let responses = &op.operation.responses;
    let at = join(&op.pointer(), "responses");
    // `openapiv3` reads `4xx` as the range `4XX`; the pointer keeps the spelling of the
    // file.
    let written = side.json.pointer(&at).and_then(Value::as_object);
    let pointer = |status: &str| {
        let key = written
            .and_then(|keys| keys.keys().find(|key| key.eq_ignore_ascii_case(status)))
            .map_or(status, String::as_str);
        join(&at, key)
    };
    let mut codes: IndexMap<String, (String, &'a ReferenceOr<Response>)> = responses
        .responses
        .iter()
        .map(|(status, response)| {
            let status = status.to_string();
            let at = pointer(&status);
            (status, (at, response))
        })
        .collect();
    if let Some(default) = &responses.default {
        codes.insert("default".to_owned(), (pointer("default"), default));
    }
    codes
}

/// A path template with its parameter names left out (`/jobs/{}`), and the names in
/// order (`["job_id"]`).
fn path_shape(path: &str) -> (String, Vec<&str>) {
    let mut shape = String::with_capacity(path.len());
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        shape.push_str(&rest[..=open]);
        shape.push('}');
        names.push(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
    }
    shape.push_str(rest);
    (shape, names)
}

/// The path parameters whose names differ between two templates of the same shape,
/// as (old name, new name) pairs; none when the shapes differ.
fn renamed_path_parameters<'p>(old: &'p str, new: &'p str) -> Vec<(&'p str, &'p str)> {
    let ((old_shape, old_names), (new_shape, new_names)) = (path_shape(old), path_shape(new));
    if old_shape != new_shape {
        return Vec::new();
    }
    old_names
        .into_iter()
        .zip(new_names)
        .filter(|(old, new)| old != new)
        .collect()
}

/// Operations that only BASE or only HEAD has, with the same method and a path of the
/// same shape (`/jobs/{id}` and `/jobs/{job_id}`): one operation whose path parameters
/// were renamed. Maps the BASE key to the HEAD key; a shape with more than one
/// candidate on either side is left unpaired.
fn renamed_operations(
    base: &BTreeMap<(String, String), Op<'_>>,
    head: &BTreeMap<(String, String), Op<'_>>,
) -> BTreeMap<(String, String), (String, String)> {
    type Key = (String, String);
    /// The operations only `ours` has, by path shape and method.
    fn only(
        ours: &BTreeMap<Key, Op<'_>>,
        theirs: &BTreeMap<Key, Op<'_>>,
    ) -> BTreeMap<(String, String), Vec<Key>> {
        let mut by_shape: BTreeMap<(String, String), Vec<Key>> = BTreeMap::new();
        for (key, op) in ours {
            if !theirs.contains_key(key) {
                let shape = (path_shape(op.path).0, op.method.clone());
                by_shape.entry(shape).or_default().push(key.clone());
            }
        }
        by_shape
    }
    let (removed, added) = (only(base, head), only(head, base));
    removed
        .into_iter()
        .filter_map(
            |(shape, old)| match (old.as_slice(), added.get(&shape)?.as_slice()) {
                ([old], [new]) => Some((old.clone(), new.clone())),
                _ => None,
            },
        )
        .collect()
}

/// ` (`operationId`)` when the operation has one.
fn operation_id(operation: &Operation) -> String {
    match &operation.operation_id {
        Some(id) => format!(" ({})", code(id)),
        None => String::new(),
    }
}

/// A response in `responses` that covers `status` without naming it: a range or `default`.
fn covering<V>(status: &str, responses: &IndexMap<String, V>) -> Option<String> {
    if status != "default" && !status.ends_with("XX") {
        let range = format!("{}XX", &status[..1]);
        if responses.contains_key(&range) {
            return Some(range);
        }
    }
    (status != "default" && responses.contains_key("default")).then(|| "default".to_owned())
}

/// The serialization of a parameter: `style`, `explode` and `allowReserved`.
fn style(parameter: &Parameter) -> String {
    // `explode` defaults to true for `form` and to false for every other style.
    let (style, allow_reserved) = match parameter {
        Parameter::Query {
            style,
            allow_reserved,
            ..
        } => {
            let style = match style {
                QueryStyle::Form => "form",
                QueryStyle::SpaceDelimited => "spaceDelimited",
                QueryStyle::PipeDelimited => "pipeDelimited",
                QueryStyle::DeepObject => "deepObject",
            };
            (style, *allow_reserved)
        }
        Parameter::Header { style, .. } => match style {
            HeaderStyle::Simple => ("simple", false),
        },
        Parameter::Path { style, .. } => match style {
            PathStyle::Matrix => ("matrix", false),
            PathStyle::Label => ("label", false),
            PathStyle::Simple => ("simple", false),
        },
        Parameter::Cookie { style, .. } => match style {
            CookieStyle::Form => ("form", false),
        },
    };
    let explode = parameter
        .parameter_data_ref()
        .explode
        .unwrap_or(style == "form");
    let mut text = format!("style={style}, explode={explode}");
    if allow_reserved {
        text.push_str(", allowReserved");
    }
    text
}

/// The security alternative of an operation anyone may call.
const ANONYMOUS: &str = "anonymous access";

/// The alternatives of a security requirement, each as readable text.
///
/// No requirement (absent or empty) means anonymous access, written as one alternative.
fn alternatives(requirements: Option<&Vec<SecurityRequirement>>) -> BTreeSet<String> {
    let requirements = requirements.map(Vec::as_slice).unwrap_or_default();
    if requirements.is_empty() {
        return BTreeSet::from([ANONYMOUS.to_owned()]);
    }
    requirements
        .iter()
        .map(|requirement| {
            if requirement.is_empty() {
                return ANONYMOUS.to_owned();
            }
            let mut schemes: Vec<String> = requirement
                .iter()
                .map(|(name, scopes)| {
                    let mut scopes = scopes.clone();
                    scopes.sort();
                    if scopes.is_empty() {
                        code(name)
                    } else {
                        format!("{} (scopes {})", code(name), scopes.join(", "))
                    }
                })
                .collect();
            schemes.sort();
            schemes.join(" + ")
        })
        .collect()
}

/// A security scheme without descriptions and extensions; scopes by name only.
fn wire_shape(mut scheme: Value) -> Value {
    if let Value::Object(map) = &mut scheme {
        map.retain(|key, _| key != "description" && !key.starts_with("x-"));
        if let Some(Value::Object(flows)) = map.get_mut("flows") {
            flows.retain(|key, _| !key.starts_with("x-"));
            for flow in flows.values_mut() {
                if let Some(Value::Object(scopes)) = flow.get_mut("scopes") {
                    for description in scopes.values_mut() {
                        *description = Value::Null;
                    }
                }
            }
        }
    }
    scheme
}

/// `key` from X to Y, for each top-level key that differs.
fn field_changes(old: &Value, new: &Value) -> String {
    let empty = serde_json::Map::new();
    let old = old.as_object().unwrap_or(&empty);
    let new = new.as_object().unwrap_or(&empty);
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let parts: Vec<String> = keys
        .into_iter()
        .filter(|key| old.get(*key) != new.get(*key))
        .map(|key| {
            let show_value = |value: Option<&Value>| match value {
                Some(value) => code(&show(value)),
                None => "none".to_owned(),
            };
            format!(
                "{} from {} to {}",
                code(key),
                show_value(old.get(key)),
                show_value(new.get(key))
            )
        })
        .collect();
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_shapes_leave_out_parameter_names() {
        assert_eq!(
            path_shape("/jobs/{job_id}/runs/{run}"),
            ("/jobs/{}/runs/{}".to_owned(), vec!["job_id", "run"])
        );
        assert_eq!(path_shape("/jobs"), ("/jobs".to_owned(), vec![]));
        // An unclosed brace is left as written.
        assert_eq!(path_shape("/a/{b"), ("/a/{b".to_owned(), vec![]));
    }

    #[test]
    fn only_templates_of_the_same_shape_have_renamed_parameters() {
        assert_eq!(
            renamed_path_parameters("/jobs/{id}/runs/{run}", "/jobs/{job_id}/runs/{run}"),
            [("id", "job_id")]
        );
        assert!(renamed_path_parameters("/jobs/{id}", "/tasks/{id}").is_empty());
        assert!(renamed_path_parameters("/jobs/{id}", "/jobs/{id}").is_empty());
    }
}
