//! Routes: each operation's path as the generated server's router sees it.
//!
//! The server registers routes with axum 0.8, whose router (matchit 0.8) panics on a
//! route it cannot take. So every route is checked here, with matchit itself and with
//! axum's own checks, and what the router cannot take is not served, with a warning;
//! the client still calls it. `docs/REAL-WORLD.md` lists the decisions:
//!
//! - A `#fragment` in a path (`/tags/{arn}#tagKeys`, the form some directories use to
//!   list operations that differ only in their query) is not part of a URL: the
//!   operation is called and served at the path without it, with a warning.
//! - A `?query` in a path is refused: the client would have to send it.
//! - Paths of the same shape with other parameter names (`/a/{x}` and `/a/{y}`) are one
//!   route: the later operations read their path parameters under the names of the
//!   first path, with a warning (OpenAPI forbids such paths).
//! - Two operations with the same method on one route cannot both be served: the first
//!   is, each later one is not, with a warning naming both.
//! - A route the router cannot take at all (a parameter followed by text in its
//!   segment, `/{name}.json`; a segment starting with `:` or `*`) is not served, with a
//!   warning that quotes the router.

use super::*;

impl Lowerer<'_> {
    /// Works out `Operation::route` for every operation, renaming path parameters where
    /// a path has the shape of an earlier one.
    pub(super) fn routes(&mut self, operations: &mut [Operation]) {
        // The shape of each route (`/a/{}`) → the first path of that shape and its
        // parameter names.
        let mut shapes: HashMap<String, (String, Vec<String>)> = HashMap::new();
        // (method, route) → where the operation served there is written.
        let mut served: HashMap<(&'static str, String), String> = HashMap::new();
        let mut router = matchit::Router::new();
        // Routes matchit took, or refused with its message.
        let mut checked: HashMap<String, Option<String>> = HashMap::new();
        for op in operations.iter_mut() {
            let path_pointer = Pointer::from_tokens(["paths", &op.path]).to_string();
            if let Some(cut) = op.path.find('?') {
                self.error(
                    &path_pointer,
                    format!("the path has a query (`{}`); a fixed query is not supported: declare its parameters in `parameters`", &op.path[cut..]),
                );
                continue;
            }
            if strip_fragment(&mut op.segments) {
                let without: String = route_text(&op.segments);
                self.warn(
                    &path_pointer,
                    "lenient",
                    format!("the path has a `#` fragment, which is not part of a URL; the operation is called and served at `{without}`"),
                );
            }
            let names: Vec<String> = op
                .segments
                .iter()
                .filter_map(|s| match s {
                    Segment::Param(name) => Some(name.clone()),
                    Segment::Literal(_) => None,
                })
                .collect();
            let shape = shape_of(&op.segments);
            match shapes.get(&shape) {
                None => {
                    shapes.insert(shape, (op.path.clone(), names));
                }
                Some((first, first_names)) if *first_names != names => {
                    let renames: Vec<(String, String)> =
                        names.into_iter().zip(first_names.iter().cloned()).collect();
                    rename_path_params(op, &renames);
                    self.warn(
                        &path_pointer,
                        "lenient",
                        format!(
                            "this path has the shape of `{first}` (`#{}`) with other parameter names, which OpenAPI forbids; the server reads its parameters as {}",
                            Pointer::from_tokens(["paths", first]),
                            renames
                                .iter()
                                .filter(|(from, to)| from != to)
                                .map(|(from, to)| format!("`{{{from}}}` as `{{{to}}}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                }
                Some(_) => {}
            }
            let route = route_text(&op.segments);
            let problem = checked
                .entry(route.clone())
                .or_insert_with(|| router_problem(&mut router, &route))
                .clone();
            if let Some(problem) = problem {
                self.warn(
                    &path_pointer,
                    "route",
                    format!("the generated server does not serve `{} {route}`: axum's router cannot take the route ({problem}); the client calls it", op.method.as_str()),
                );
                continue;
            }
            match served.get(&(op.method.as_str(), route.clone())) {
                Some(first) => {
                    let first = first.clone();
                    self.warn(
                        &op.pointer,
                        "route",
                        format!("the generated server does not serve this operation: the operation at `#{first}` has the same method and route (`{} {route}`), and a request cannot tell them apart; the client calls both", op.method.as_str()),
                    );
                }
                None => {
                    served.insert((op.method.as_str(), route.clone()), op.pointer.clone());
                    op.route = Some(route);
                }
            }
        }
    }
}

/// Cuts the segments at a `#`; whether there was one.
fn strip_fragment(segments: &mut Vec<Segment>) -> bool {
    let Some(at) = segments
        .iter()
        .position(|s| matches!(s, Segment::Literal(text) if text.contains('#')))
    else {
        return false;
    };
    segments.truncate(at + 1);
    if let Some(Segment::Literal(text)) = segments.last_mut() {
        let cut = text.find('#').unwrap_or(text.len());
        text.truncate(cut);
        if text.is_empty() {
            segments.pop();
        }
    }
    if segments.is_empty() {
        segments.push(Segment::Literal("/".to_string()));
    }
    true
}

/// The route as the router is given it: `/a/{x}`.
fn route_text(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|s| match s {
            Segment::Literal(text) => text.clone(),
            Segment::Param(name) => format!("{{{name}}}"),
        })
        .collect()
}

/// The route with its parameters unnamed: `/a/{}`.
fn shape_of(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|s| match s {
            Segment::Literal(text) => text.as_str(),
            Segment::Param(_) => "{}",
        })
        .collect()
}

/// Renames the path parameters of `op`, all at once (`renames` may swap two names).
fn rename_path_params(op: &mut Operation, renames: &[(String, String)]) {
    let renamed = |name: &str| {
        renames
            .iter()
            .find(|(from, _)| from == name)
            .map_or_else(|| name.to_string(), |(_, to)| to.clone())
    };
    for segment in &mut op.segments {
        if let Segment::Param(name) = segment {
            *name = renamed(name);
        }
    }
    for param in &mut op.params {
        if param.location == ParamLocation::Path {
            param.wire_name = renamed(&param.wire_name);
        }
    }
}

/// Why axum 0.8 would panic on `.route(route, ..)`, after the routes already taken.
fn router_problem(router: &mut matchit::Router<()>, route: &str) -> Option<String> {
    if !route.starts_with('/') {
        return Some("a path must start with `/`".to_string());
    }
    // axum's checks for routes written in the syntax of axum 0.7.
    for segment in route.split('/') {
        if segment.starts_with(':') || segment.starts_with('*') {
            return Some(format!(
                "a path segment must not start with `{}`",
                &segment[..1]
            ));
        }
    }
    router.insert(route, ()).err().map(|err| err.to_string())
}

#[cfg(test)]
mod tests {
    use super::super::tests::lower_yaml_with_warnings;
    use super::*;

    fn ops(paths: &str) -> (Api, Vec<String>) {
        let (api, warnings) = lower_yaml_with_warnings(&format!("paths:\n{paths}"))
            .unwrap_or_else(|d| panic!("{d:?}"));
        (api, warnings.iter().map(ToString::to_string).collect())
    }

    const OK: &str = "responses: {'200': {description: ok}}";

    #[test]
    fn paths_of_one_shape_are_one_route_with_the_first_names() {
        let (api, warnings) = ops(&format!(
            "  /a/{{x}}:\n    get: {{operationId: getA, parameters: [{{name: x, in: path, required: true, schema: {{type: string}}}}], {OK}}}\n  /a/{{y}}:\n    delete: {{operationId: dropA, parameters: [{{name: y, in: path, required: true, schema: {{type: string}}}}], {OK}}}\n"
        ));
        assert_eq!(api.operations[1].route.as_deref(), Some("/a/{x}"));
        assert_eq!(api.operations[1].params[0].wire_name, "x");
        assert_eq!(api.operations[1].params[0].rust_name, "y");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].starts_with("warning[lenient]: spec.yaml#/paths/~1a~1{y} (line 6): this path has the shape of `/a/{x}`"),
            "{}",
            warnings[0]
        );
        assert!(
            warnings[0].ends_with("reads its parameters as `{y}` as `{x}`"),
            "{}",
            warnings[0]
        );
    }

    #[test]
    fn fragments_are_cut_and_a_second_operation_on_a_route_is_not_served() {
        let (api, warnings) = ops(&format!(
            "  /tags:\n    get: {{operationId: listTags, {OK}}}\n  /tags#all:\n    get: {{operationId: listAllTags, {OK}}}\n"
        ));
        assert_eq!(api.operations[0].route.as_deref(), Some("/tags"));
        assert_eq!(api.operations[1].route, None);
        assert_eq!(
            api.operations[1].segments,
            [Segment::Literal("/tags".into())]
        );
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("served at `/tags`"), "{}", warnings[0]);
        assert!(
            warnings[1].starts_with("warning[route]: spec.yaml#/paths/~1tags#all/get (line 7): the generated server does not serve this operation: the operation at `#/paths/~1tags/get`"),
            "{}",
            warnings[1]
        );
    }

    #[test]
    fn routes_the_router_cannot_take_are_not_served() {
        let (api, warnings) = ops(&format!(
            "  /files/{{name}}.json:\n    get: {{operationId: getFile, parameters: [{{name: name, in: path, required: true, schema: {{type: string}}}}], {OK}}}\n  /files/:id:\n    get: {{operationId: oldStyle, {OK}}}\n"
        ));
        assert_eq!(api.operations[0].route, None);
        assert_eq!(api.operations[1].route, None);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].starts_with("warning[route]: spec.yaml#/paths/~1files~1{name}.json (line 4): the generated server does not serve `GET /files/{name}.json`: axum's router cannot take the route (Only one parameter is allowed per path segment)"),
            "{}",
            warnings[0]
        );
        assert!(
            warnings[1].contains("must not start with `:`"),
            "{}",
            warnings[1]
        );
    }

    #[test]
    fn a_fixed_query_in_a_path_is_refused() {
        let errors = super::super::tests::errors_of(&format!(
            "paths:\n  /list?type=2:\n    get: {{operationId: list, {OK}}}\n"
        ));
        assert!(
            errors[0].starts_with("error[unsupported]: spec.yaml#/paths/~1list?type=2 (line 4): the path has a query (`?type=2`)"),
            "{errors:?}"
        );
    }
}
