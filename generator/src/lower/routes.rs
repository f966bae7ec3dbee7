//! Routes: each operation's path as the generated server's router sees it.
//!
//! The server registers routes with axum 0.8, whose router (matchit 0.8) panics on a
//! route it cannot take. So every route is checked here, with matchit itself and with
//! axum's own checks; a segment the router cannot take as written is routed whole and
//! matched by the server, and what still cannot be routed is not served, with a warning
//! (the client still calls it). `docs/REAL-WORLD.md` lists the decisions:
//!
//! - A `#fragment` in a path (`/tags/{arn}#tagKeys`, `/#Action=CreateQueue`: the form
//!   some directories use to list operations that differ only in their query) is not
//!   part of a URL: the operation is called and served at the path without it, with a
//!   warning. Its `name=value` pairs (or bare names) tell the operation apart from the
//!   others on the same method and route (`Operation::selector`).
//! - A `?query` in a path (`/jobs?type=2`) is sent by the client on every call (the pairs
//!   no parameter declares), and tells the operation apart on the server likewise.
//! - Paths of the same shape with other parameter names (`/a/{x}` and `/a/{y}`) are one
//!   route: the later operations read their path parameters under the names of the
//!   first path, with a warning (OpenAPI forbids such paths).
//! - Operations with the same method on one route are all served when their selectors
//!   tell them apart (the server picks the first whose query pairs all appear, the more
//!   specific first, the one without a selector last); an operation whose selector is
//!   another's, or a second one without any, is not served, with a warning naming both.
//! - A segment that mixes parameters and text (`/{name}.json`, `/{a}-{b}.zip`,
//!   `/{name}:cancel`) or starts with `:` or `*` is one parameter of the route, named
//!   after its first parameter (or `segmentN`), and `Operation::mixed_segments` keeps
//!   its template: the server matches the raw segment and reads each parameter from its
//!   part (`runtime::select_operation`, `Param::within`), and several operations on one
//!   route are told apart by it as by a selector. Two parameters side by side
//!   (`/{id}{ext}`) cannot be told apart and are not served, with a warning.
//! - A route the router still cannot take is not served, with a warning that quotes the
//!   router.

use super::*;

impl Lowerer<'_> {
    /// Works out `Operation::route` for every operation, renaming path parameters where
    /// a path has the shape of an earlier one.
    pub(super) fn routes(&mut self, operations: &mut [Operation]) {
        // The shape of each route (`/a/{}`) → the first path of that shape, its
        // parameter names and the shape of its template.
        let mut shapes: HashMap<String, (String, Vec<String>, String)> = HashMap::new();
        // (method, route) → the operations served there, in spec order, each with the
        // selector its path gives.
        let mut groups: Vec<Vec<(usize, Selector)>> = Vec::new();
        let mut group_of: HashMap<(&'static str, String), usize> = HashMap::new();
        let mut router = matchit::Router::new();
        // Routes matchit took, or refused with its message.
        let mut checked: HashMap<String, Option<String>> = HashMap::new();
        for (index, op) in operations.iter_mut().enumerate() {
            let path_pointer = Pointer::from_tokens(["paths", &op.path]).to_string();
            let declared: Vec<String> = op
                .params
                .iter()
                .filter(|p| p.location == ParamLocation::Query)
                .map(|p| p.wire_name.clone())
                .collect();
            let mut selector = Selector::new();
            if let Some(query) = strip_after(&mut op.segments, '?') {
                selector = pairs_of(&query);
                op.fixed_query = undeclared(&selector, &declared, true);
                let without: String = route_text(&op.segments);
                self.warn(
                    &path_pointer,
                    "lenient",
                    format!("the path has a query (`?{query}`), which is not part of a path template; the operation is called at `{without}` with that query"),
                );
            }
            if let Some(fragment) = strip_after(&mut op.segments, '#') {
                if selector.is_empty() {
                    // A fragment is not sent, so what it names tells the operation apart
                    // only when the request carries it: a `name=value` pair, which the
                    // client sends unless a parameter does, or a parameter's bare name.
                    selector = pairs_of(&fragment)
                        .into_iter()
                        .filter(|(name, value)| value.is_some() || declared.contains(name))
                        .collect();
                    op.fixed_query = undeclared(&selector, &declared, false);
                }
                let without: String = route_text(&op.segments);
                self.warn(
                    &path_pointer,
                    "lenient",
                    format!("the path has a `#` fragment, which is not part of a URL; the operation is called and served at `{without}`"),
                );
            }
            let (mut routed, mixed) = match routed_segments(&op.segments) {
                Ok(routed) => routed,
                Err(problem) => {
                    let route = route_text(&op.segments);
                    self.warn(
                        &path_pointer,
                        "route",
                        format!("the generated server does not serve `{} {route}`: {problem}; the client calls it", op.method.as_str()),
                    );
                    continue;
                }
            };
            let names: Vec<String> = param_names(&routed);
            let shape = shape_of(&routed);
            match shapes.get(&shape) {
                None => {
                    shapes.insert(shape, (op.path.clone(), names, shape_of(&op.segments)));
                }
                Some((first, first_names, first_shape)) if *first_names != names => {
                    // The route takes the first path's names. A segment the server
                    // matches itself only renames its place in the route; the
                    // parameters of whole segments are read under the new names.
                    let captures = routed_captures(&routed, &mixed);
                    let renames: Vec<(String, String)> = names
                        .iter()
                        .zip(first_names)
                        .filter(|(name, _)| !captures.contains(name))
                        .map(|(from, to)| (from.clone(), to.clone()))
                        .collect();
                    // A name taken from the first path may be one this path gives a
                    // parameter inside a segment (`/a/{x}` first, then `/a/{y}/{x}.json`).
                    let inside: Vec<String> =
                        mixed.iter().flat_map(|m| param_names(&m.parts)).collect();
                    if let Some((_, clash)) = renames.iter().find(|(_, to)| inside.contains(to)) {
                        let route = route_text(&op.segments);
                        self.warn(
                            &path_pointer,
                            "route",
                            format!("the generated server does not serve `{} {route}`: it has the shape of `{first}`, whose parameter names it would take, but it names a parameter `{clash}` inside a segment; the client calls it", op.method.as_str()),
                        );
                        continue;
                    }
                    let all: Vec<(String, String)> = names
                        .iter()
                        .cloned()
                        .zip(first_names.iter().cloned())
                        .collect();
                    rename_segments(&mut routed, &all);
                    rename_path_params(op, &renames);
                    if renames.iter().any(|(from, to)| from != to) {
                        // The same template shape, or one route for a segment the server
                        // matches itself (`/a/{id}` and `/a/{name}.json`).
                        let (why, forbidden) = if shape_of(&op.segments) == *first_shape {
                            (
                                "has the shape of",
                                " with other parameter names, which OpenAPI forbids",
                            )
                        } else {
                            ("is served on the route of", "")
                        };
                        self.warn(
                            &path_pointer,
                            "lenient",
                            format!(
                                "this path {why} `{first}` (`#{}`){forbidden}; the server reads its parameters as {}",
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
                }
                Some(_) => {}
            }
            let route = route_text(&routed);
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
            let group = *group_of
                .entry((op.method.as_str(), route.clone()))
                .or_insert_with(|| {
                    groups.push(Vec::new());
                    groups.len() - 1
                });
            if !mixed.is_empty() {
                self.warn(
                    &path_pointer,
                    "lenient",
                    format!("axum's router cannot take {} as written; the server routes `{} {route}` and matches {} itself", describe_mixed(&mixed), op.method.as_str(), if mixed.len() == 1 { "that segment" } else { "those segments" }),
                );
            }
            op.mixed_segments = mixed;
            groups[group].push((index, selector));
            op.route = Some(route);
        }
        for group in groups.into_iter().filter(|g| g.len() > 1) {
            self.tell_apart(operations, group);
        }
    }

    /// Decides which of the operations on one method and route are served: each whose
    /// selector no earlier one has, and the first without a selector (the one served
    /// when no other's pairs match).
    fn tell_apart(&mut self, operations: &mut [Operation], group: Vec<(usize, Selector)>) {
        // Each served selector, sorted, and the segments matched → the operation served
        // with them.
        let mut served: Vec<((Vec<MixedSegment>, Selector), usize)> = Vec::new();
        for (index, selector) in group {
            let mut sorted = selector.clone();
            sorted.sort();
            let key = (operations[index].mixed_segments.clone(), sorted);
            match served.iter().find(|(taken, _)| *taken == key) {
                None => {
                    served.push((key, index));
                    operations[index].selector = selector;
                }
                Some(&(_, first)) => {
                    let first = operations[first].pointer.clone();
                    let op = &mut operations[index];
                    let route = op.route.take().unwrap_or_default();
                    let told = if selector.is_empty() {
                        "and nothing in either path tells them apart".to_string()
                    } else {
                        format!(
                            "and the query in its path (`{}`) selects that one as well",
                            crate::ir::query_text(&selector)
                        )
                    };
                    self.warn(
                        &op.pointer,
                        "route",
                        format!("the generated server does not serve this operation: the operation at `#{first}` has the same method and route (`{} {route}`), {told}; the client calls both", op.method.as_str()),
                    );
                }
            }
        }
    }
}

/// Query names, each with the value it must have (`None`: any value).
type Selector = Vec<(String, Option<String>)>;

/// The pairs of `selector` that no query parameter of `declared` sends, as the client
/// sends them: a bare name as `name=` when `bare` says so, otherwise left out.
fn undeclared(selector: &Selector, declared: &[String], bare: bool) -> Vec<(String, String)> {
    selector
        .iter()
        .filter(|(name, value)| !declared.contains(name) && (bare || value.is_some()))
        .map(|(name, value)| (name.clone(), value.clone().unwrap_or_default()))
        .collect()
}

/// The pairs of a query written into a path: `a=1&b` is `a` = `1` and `b` with any
/// value. Percent-escapes are decoded.
fn pairs_of(query: &str) -> Selector {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (decode(name), Some(decode(value))),
            None => (decode(pair), None),
        })
        .collect()
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Cuts the segments at the first `mark` (`?` or `#`) in their literal text; the text
/// after it, when there was one (a `#` after a `?` is cut as well).
fn strip_after(segments: &mut Vec<Segment>, mark: char) -> Option<String> {
    let at = segments
        .iter()
        .position(|s| matches!(s, Segment::Literal(text) if text.contains(mark)))?;
    // Parameters after the mark are text of the query or fragment.
    let rest: String = segments[at..]
        .iter()
        .map(|s| match s {
            Segment::Literal(text) => text.clone(),
            Segment::Param(name) => format!("{{{name}}}"),
        })
        .collect();
    let cut = rest.find(mark).unwrap_or(rest.len());
    let mut after = rest[cut + 1..].to_string();
    if let Some(fragment) = after.find('#') {
        after.truncate(fragment);
    }
    segments.truncate(at + 1);
    if let Some(Segment::Literal(text)) = segments.last_mut() {
        let cut = text.find(mark).unwrap_or(text.len());
        text.truncate(cut);
        if text.is_empty() {
            segments.pop();
        }
    }
    if segments.is_empty() {
        segments.push(Segment::Literal("/".to_string()));
    }
    Some(after)
}

/// The segments as the router is given them, and the pieces of the path it cannot take as
/// written (`Operation::mixed_segments`): a piece that mixes parameters and text
/// (`{name}.json`) becomes a parameter named after its first one (`{name}`), a piece of
/// text that axum reads as its old syntax (`:token`, `*rest`) a parameter `segmentN`.
/// `Err` says why a piece cannot be matched at all.
fn routed_segments(segments: &[Segment]) -> Result<(Vec<Segment>, Vec<MixedSegment>), String> {
    // The path's `/`-separated pieces, each as its parts.
    let mut pieces: Vec<Vec<Segment>> = vec![Vec::new()];
    for segment in segments {
        match segment {
            Segment::Param(_) => pieces.last_mut().expect("one piece").push(segment.clone()),
            Segment::Literal(text) => {
                for (i, part) in text.split('/').enumerate() {
                    if i > 0 {
                        pieces.push(Vec::new());
                    }
                    if !part.is_empty() {
                        pieces
                            .last_mut()
                            .expect("one piece")
                            .push(Segment::Literal(part.to_string()));
                    }
                }
            }
        }
    }
    let names = param_names(segments);
    let mut routed: Vec<Segment> = Vec::new();
    let mut mixed = Vec::new();
    let push_text = |routed: &mut Vec<Segment>, text: &str| match routed.last_mut() {
        Some(Segment::Literal(last)) => last.push_str(text),
        _ => routed.push(Segment::Literal(text.to_string())),
    };
    for (index, parts) in pieces.into_iter().enumerate() {
        if index > 0 {
            push_text(&mut routed, "/");
        }
        let whole = match parts.as_slice() {
            [] | [Segment::Param(_)] => true,
            [Segment::Literal(text)] => !text.starts_with([':', '*']),
            _ => false,
        };
        if whole {
            for part in parts {
                match part {
                    Segment::Literal(text) => push_text(&mut routed, &text),
                    param => routed.push(param),
                }
            }
            continue;
        }
        if parts
            .windows(2)
            .any(|w| matches!(w, [Segment::Param(_), Segment::Param(_)]))
        {
            let text: String = route_text(&parts);
            return Err(format!(
                "the segment `{text}` has two parameters with no text between them, so no request tells where one ends"
            ));
        }
        let capture = parts
            .iter()
            .find_map(|part| match part {
                Segment::Param(name) => Some(name.clone()),
                Segment::Literal(_) => None,
            })
            .unwrap_or_else(|| {
                let mut name = format!("segment{index}");
                while names.contains(&name) {
                    name.push('_');
                }
                name
            });
        routed.push(Segment::Param(capture));
        mixed.push(MixedSegment { index, parts });
    }
    Ok((routed, mixed))
}

/// The path parameters the segments name, in order.
fn param_names(segments: &[Segment]) -> Vec<String> {
    segments
        .iter()
        .filter_map(|s| match s {
            Segment::Param(name) => Some(name.clone()),
            Segment::Literal(_) => None,
        })
        .collect()
}

/// `` `{name}.json` `` or `` `{a}-{b}.zip` and `:token` ``: the segments, quoted.
fn describe_mixed(mixed: &[MixedSegment]) -> String {
    let quoted: Vec<String> = mixed
        .iter()
        .map(|m| format!("`{}`", route_text(&m.parts)))
        .collect();
    match quoted.as_slice() {
        [one] => format!("the segment {one}"),
        [init @ .., last] => format!("the segments {} and {last}", init.join(", ")),
        [] => "no segment".to_string(),
    }
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

/// The parameters of `routed` that stand for a segment the server matches itself.
fn routed_captures(routed: &[Segment], mixed: &[MixedSegment]) -> Vec<String> {
    let route = route_text(routed);
    let pieces: Vec<&str> = route.split('/').collect();
    mixed
        .iter()
        .filter_map(|m| pieces.get(m.index))
        .map(|piece| {
            piece
                .trim_start_matches('{')
                .trim_end_matches('}')
                .to_string()
        })
        .collect()
}

/// The name `renames` gives `name` (all at once: `renames` may swap two names).
fn renamed(renames: &[(String, String)], name: &str) -> String {
    renames
        .iter()
        .find(|(from, _)| from == name)
        .map_or_else(|| name.to_string(), |(_, to)| to.clone())
}

/// Renames the parameters of `segments`.
fn rename_segments(segments: &mut [Segment], renames: &[(String, String)]) {
    for segment in segments {
        if let Segment::Param(name) = segment {
            *name = renamed(renames, name);
        }
    }
}

/// Renames the path parameters of `op`, all at once (`renames` may swap two names).
fn rename_path_params(op: &mut Operation, renames: &[(String, String)]) {
    let renamed = |name: &str| renamed(renames, name);
    rename_segments(&mut op.segments, renames);
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
    fn segments_the_router_cannot_take_are_routed_whole_and_matched_by_the_server() {
        let param = |name: &str| {
            format!("{{name: {name}, in: path, required: true, schema: {{type: string}}}}")
        };
        let (api, warnings) = ops(&format!(
            "  /files/{{name}}.json:\n    get: {{operationId: getJson, parameters: [{}], {OK}}}\n  \
             /files/{{id}}:\n    get: {{operationId: getFile, parameters: [{}], {OK}}}\n  \
             /files/{{stem}}.xml:\n    get: {{operationId: getXml, parameters: [{}], {OK}}}\n  \
             /files/:id:\n    get: {{operationId: oldStyle, {OK}}}\n  \
             /pkg/{{name}}-{{version}}.zip/{{part}}:\n    get: {{operationId: getPart, parameters: [{}, {}, {}], {OK}}}\n  \
             /two/{{a}}{{b}}:\n    get: {{operationId: adjacent, parameters: [{}, {}], {OK}}}\n",
            param("name"),
            param("id"),
            param("stem"),
            param("name"),
            param("version"),
            param("part"),
            param("a"),
            param("b"),
        ));
        let op = |id: &str| {
            api.operations
                .iter()
                .find(|op| op.operation_id == id)
                .unwrap_or_else(|| panic!("{id}"))
        };
        let text = |t: &str| Segment::Literal(t.to_string());
        let named = |n: &str| Segment::Param(n.to_string());
        // One route for the four on `/files/…`, under the first path's name.
        for id in ["getJson", "getFile", "getXml", "oldStyle"] {
            assert_eq!(op(id).route.as_deref(), Some("/files/{name}"), "{id}");
        }
        assert_eq!(
            op("getJson").mixed_segments,
            [MixedSegment {
                index: 2,
                parts: vec![named("name"), text(".json")]
            }]
        );
        // A segment the server matches keeps its parameter's own name.
        assert_eq!(
            op("getXml").mixed_segments,
            [MixedSegment {
                index: 2,
                parts: vec![named("stem"), text(".xml")]
            }]
        );
        assert_eq!(op("getXml").params[0].wire_name, "stem");
        assert_eq!(
            op("oldStyle").mixed_segments,
            [MixedSegment {
                index: 2,
                parts: vec![text(":id")]
            }]
        );
        // A whole segment of the same shape is renamed, as before.
        assert!(op("getFile").mixed_segments.is_empty());
        assert_eq!(op("getFile").params[0].wire_name, "name");
        assert_eq!(op("getPart").route.as_deref(), Some("/pkg/{name}/{part}"));
        assert_eq!(
            op("getPart").mixed_segments,
            [MixedSegment {
                index: 2,
                parts: vec![named("name"), text("-"), named("version"), text(".zip")]
            }]
        );
        assert_eq!(op("adjacent").route, None);
        let adjacent: Vec<&String> = warnings.iter().filter(|w| w.contains("/two/")).collect();
        assert_eq!(adjacent.len(), 1, "{warnings:?}");
        assert!(
            adjacent[0].starts_with("warning[route]: spec.yaml#/paths/~1two~1{a}{b} (line 14): the generated server does not serve `GET /two/{a}{b}`: the segment `{a}{b}` has two parameters with no text between them"),
            "{}",
            adjacent[0]
        );
        let matched: Vec<&String> = warnings
            .iter()
            .filter(|w| w.contains("matches that segment itself"))
            .collect();
        assert_eq!(matched.len(), 4, "{warnings:?}");
        assert!(
            matched[0].starts_with("warning[lenient]: spec.yaml#/paths/~1files~1{name}.json (line 4): axum's router cannot take the segment `{name}.json` as written; the server routes `GET /files/{name}`"),
            "{}",
            matched[0]
        );
        // Only the whole segment's parameter is read under another name.
        let renamed: Vec<&String> = warnings
            .iter()
            .filter(|w| w.contains("served on the route of `/files/{name}.json`"))
            .collect();
        assert_eq!(renamed.len(), 1, "{warnings:?}");
        assert!(renamed[0].contains("`{id}` as `{name}`"), "{}", renamed[0]);
        assert_eq!(warnings.len(), 6, "{warnings:?}");
    }

    #[test]
    fn a_renamed_parameter_may_not_take_the_name_of_one_inside_a_segment() {
        let (api, warnings) = ops(&format!(
            "  /a/{{x}}/{{y}}:\n    get: {{operationId: first, parameters: [{{name: x, in: path, required: true, schema: {{type: string}}}}, {{name: y, in: path, required: true, schema: {{type: string}}}}], {OK}}}\n  \
             /a/{{z}}/{{x}}.json:\n    get: {{operationId: second, parameters: [{{name: z, in: path, required: true, schema: {{type: string}}}}, {{name: x, in: path, required: true, schema: {{type: string}}}}], {OK}}}\n"
        ));
        assert_eq!(api.operations[0].route.as_deref(), Some("/a/{x}/{y}"));
        assert_eq!(api.operations[1].route, None);
        assert_eq!(api.operations[1].params[0].wire_name, "z", "not renamed");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("it names a parameter `x` inside a segment"),
            "{}",
            warnings[0]
        );
    }

    #[test]
    fn a_query_in_a_path_is_sent_by_the_client_and_selects_the_operation() {
        let (api, warnings) = ops(&format!(
            "  /list?type=2&sort:\n    get: {{operationId: list, parameters: [{{name: sort, in: query, schema: {{type: string}}}}], {OK}}}\n  /list:\n    get: {{operationId: listAll, {OK}}}\n"
        ));
        let (list, all) = (&api.operations[0], &api.operations[1]);
        assert_eq!(list.route.as_deref(), Some("/list"));
        assert_eq!(all.route.as_deref(), Some("/list"));
        // `sort` is a declared parameter: the client sends it as that parameter.
        assert_eq!(list.fixed_query, [("type".to_string(), "2".to_string())]);
        assert_eq!(
            list.selector,
            [
                ("type".to_string(), Some("2".to_string())),
                ("sort".to_string(), None)
            ]
        );
        assert!(all.selector.is_empty());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("the path has a query (`?type=2&sort`)"),
            "{}",
            warnings[0]
        );
    }

    #[test]
    fn a_fragment_selects_by_its_pairs_and_by_the_parameters_it_names() {
        let (api, warnings) = ops(&format!(
            "  /#Action=Send:\n    post: {{operationId: send, {OK}}}\n  /#Action=Receive:\n    post: {{operationId: receive, {OK}}}\n  /#tagKeys:\n    post: {{operationId: tags, parameters: [{{name: tagKeys, in: query, required: true, schema: {{type: string}}}}], {OK}}}\n  /#anchor:\n    post: {{operationId: anchored, {OK}}}\n  /#Action=Send%20All:\n    post: {{operationId: sendAll, {OK}}}\n  /#Action=Send&x:\n    post: {{operationId: sendAgain, {OK}}}\n"
        ));
        let selector = |i: usize| crate::ir::query_text(&api.operations[i].selector);
        assert_eq!(selector(0), "Action=Send");
        assert_eq!(selector(1), "Action=Receive");
        assert_eq!(selector(2), "tagKeys");
        // A bare name no parameter declares is not sent, so it selects nothing; this
        // operation is the one served when no other matches.
        assert_eq!(selector(3), "");
        assert_eq!(api.operations[3].route.as_deref(), Some("/"));
        assert_eq!(selector(4), "Action=Send All");
        // The client sends a fragment's pairs that no parameter declares.
        assert_eq!(
            api.operations[0].fixed_query,
            [("Action".to_string(), "Send".to_string())]
        );
        // `x` drops out of the selector, which is then `send`'s: not served.
        assert_eq!(api.operations[5].route, None);
        let last = warnings.last().expect("warnings");
        assert!(
            last.contains("the operation at `#/paths/~1#Action=Send/post` has the same method and route (`POST /`), and the query in its path (`Action=Send`) selects that one as well"),
            "{last}"
        );
    }
}
