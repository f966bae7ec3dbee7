//! Operations that share a method and route, told apart by their query (the form some
//! specs use for APIs that name the action in the query, `POST /?Action=CreateQueue`) or
//! by path segments that mix parameters and text (`/files/{name}.json`,
//! `/v1/{name}:cancel`), which axum's router cannot take: such a segment is routed as a
//! whole and matched here.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::Response;

use super::errors::{error_response, ErrorFormat};

/// The selectors of the operations on one method and route, in the order they are
/// tried: each is query names with the value each must have (`None`: any value).
pub type QuerySelectors = &'static [&'static [(&'static str, Option<&'static str>)]];

/// The position of the first selector whose pairs all appear in `query` (decoded as a
/// form: `+` is a space). An empty selector matches any query.
pub fn select_by_query(query: Option<&str>, selectors: QuerySelectors) -> Option<usize> {
    let pairs = decoded_pairs(query);
    selectors
        .iter()
        .position(|selector| query_matches(&pairs, selector))
}

/// The answer to a request whose query selects none of the operations on its route:
/// 400 in the spec's error format, naming the queries that would (`expected`).
pub fn no_operation_selected(format: &ErrorFormat, request: &Request, expected: &str) -> Response {
    let message = format!(
        "{} {} serves several operations, told apart by the query; it needs one of {expected}",
        request.method(),
        request.uri().path()
    );
    error_response(format, StatusCode::BAD_REQUEST, &message)
}

/// A piece of a path segment that mixes parameters and text: `{name}.json` is
/// `[Param("name"), Text(".json")]`. Text is compared with the raw segment as received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    Text(&'static str),
    Param(&'static str),
}

/// The raw text of parameter `name` in `segment`, when the segment has the form of
/// `pieces`; `None` otherwise. Every parameter takes at least one character, and where
/// the text between two parameters also appears in a value, the earlier parameter takes
/// the longest value (`{name}-{version}.zip` reads `my-app-1.0.zip` as `my-app` and
/// `1.0`), as the regular expression `^(.+)-(.+)\.zip$` would. Two parameters with no
/// text between them cannot be told apart and never match.
pub fn segment_param<'s>(segment: &'s str, pieces: &[Piece], name: &str) -> Option<&'s str> {
    let mut found = None;
    split_segment(segment, pieces, |param, value| {
        if param == name {
            found = Some(value);
        }
    })
    .then_some(())?;
    found
}

/// Whether `segment` has the form of `pieces`; `each` is given every parameter's raw text.
///
/// The pieces are matched from the right, each text at its last place that leaves its
/// parameter a character: what is left of it is the rest of the pattern, which ends in a
/// parameter and so still matches if it matched a shorter text. One pass, no backtracking.
fn split_segment<'s>(
    segment: &'s str,
    pieces: &[Piece],
    mut each: impl FnMut(&'static str, &'s str),
) -> bool {
    let mut rest = segment;
    // The parameter to the right of the text being placed, not yet given its value.
    let mut pending: Option<&'static str> = None;
    for (index, piece) in pieces.iter().enumerate().rev() {
        match (*piece, pending) {
            (Piece::Param(_), Some(_)) => return false,
            (Piece::Param(name), None) => pending = Some(name),
            (Piece::Text(text), None) => match rest.strip_suffix(text) {
                Some(left) => rest = left,
                None => return false,
            },
            (Piece::Text(text), Some(param)) => {
                let (left, value) = if index == 0 {
                    match rest.strip_prefix(text) {
                        Some(value) => ("", value),
                        None => return false,
                    }
                } else {
                    // The parameter keeps at least its last character.
                    let Some((last, _)) = rest.char_indices().next_back() else {
                        return false;
                    };
                    match rest[..last].rfind(text) {
                        Some(at) => (&rest[..at], &rest[at + text.len()..]),
                        None => return false,
                    }
                };
                if value.is_empty() {
                    return false;
                }
                each(param, value);
                rest = left;
                pending = None;
            }
        }
    }
    match pending {
        Some(param) if !rest.is_empty() => {
            each(param, rest);
            true
        }
        Some(_) => false,
        None => rest.is_empty(),
    }
}

/// One of the operations on a method and route: the segments of its path that mix
/// parameters and text (each with its index among the path's `/`-separated pieces) and
/// the query pairs its path names.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    pub segments: &'static [(usize, &'static [Piece])],
    pub query: &'static [(&'static str, Option<&'static str>)],
}

/// Which of the operations on one method and route a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selected {
    /// The position of the first candidate whose segments and query both match.
    Operation(usize),
    /// Some candidate's segments match, but no such candidate's query does.
    NoQuery,
    /// No candidate's segments match: the path names no operation.
    NoPath,
}

/// The first of `candidates` (the more specific first) whose segments all have their
/// form in `path` and whose query pairs all appear in `query`.
pub fn select_operation(path: &str, query: Option<&str>, candidates: &[Candidate]) -> Selected {
    let pieces: Vec<&str> = path.split('/').collect();
    let mut pairs: Option<Vec<(String, String)>> = None;
    let mut path_matched = false;
    for (position, candidate) in candidates.iter().enumerate() {
        let segments_match = candidate.segments.iter().all(|(index, form)| {
            pieces
                .get(*index)
                .is_some_and(|segment| split_segment(segment, form, |_, _| {}))
        });
        if !segments_match {
            continue;
        }
        path_matched = true;
        if candidate.query.is_empty() {
            return Selected::Operation(position);
        }
        let pairs = pairs.get_or_insert_with(|| decoded_pairs(query));
        if query_matches(pairs, candidate.query) {
            return Selected::Operation(position);
        }
    }
    if path_matched {
        Selected::NoQuery
    } else {
        Selected::NoPath
    }
}

/// The answer to a request whose path has the route of some operations but the form of
/// none (`/files/report` where only `/files/{name}.json` is served): 404 in the spec's
/// error format.
pub fn no_operation_at(format: &ErrorFormat, request: &Request) -> Response {
    let message = format!(
        "no operation at {} {}",
        request.method(),
        request.uri().path()
    );
    error_response(format, StatusCode::NOT_FOUND, &message)
}

fn decoded_pairs(query: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

fn query_matches(pairs: &[(String, String)], selector: &[(&str, Option<&str>)]) -> bool {
    selector.iter().all(|(name, value)| {
        pairs
            .iter()
            .any(|(n, v)| n == name && value.is_none_or(|value| v == value))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SELECTORS: QuerySelectors = &[
        &[("Action", Some("Send")), ("Version", None)],
        &[("Action", Some("Send"))],
        &[("Action", Some("Receive"))],
        &[],
    ];

    #[test]
    fn the_first_selector_whose_pairs_all_appear_wins() {
        let pick = |query| select_by_query(query, SELECTORS);
        assert_eq!(pick(Some("Version=1&Action=Send")), Some(0));
        assert_eq!(pick(Some("Action=Send")), Some(1));
        assert_eq!(pick(Some("a=b&Action=Receive")), Some(2));
        assert_eq!(pick(Some("Action=Other")), Some(3));
        assert_eq!(pick(None), Some(3));
    }

    #[test]
    fn pairs_are_decoded_before_they_are_compared() {
        const SPACED: QuerySelectors = &[&[("kind", Some("a b/c"))]];
        assert_eq!(select_by_query(Some("kind=a+b%2Fc"), SPACED), Some(0));
        assert_eq!(select_by_query(Some("kind=a%20b/c"), SPACED), Some(0));
        assert_eq!(select_by_query(Some("kind=ab"), SPACED), None);
    }

    use Piece::{Param as P, Text as T};

    fn split(segment: &str, pieces: &[Piece]) -> Option<Vec<(&'static str, String)>> {
        let mut values = Vec::new();
        split_segment(segment, pieces, |name, value| {
            values.push((name, value.to_string()))
        })
        .then(|| {
            values.reverse();
            values
        })
    }

    fn pairs(values: &[(&'static str, &str)]) -> Option<Vec<(&'static str, String)>> {
        Some(values.iter().map(|(n, v)| (*n, v.to_string())).collect())
    }

    #[test]
    fn a_segment_is_split_at_its_text() {
        let json = [P("name"), T(".json")];
        assert_eq!(split("report.json", &json), pairs(&[("name", "report")]));
        assert_eq!(split("a.json.json", &json), pairs(&[("name", "a.json")]));
        assert_eq!(split(".json", &json), None, "a parameter is never empty");
        assert_eq!(split("report.jsonx", &json), None);
        assert_eq!(split("report", &json), None);

        let verb = [P("name"), T(":cancel")];
        assert_eq!(
            split("jobs%2Fj1:cancel", &verb),
            pairs(&[("name", "jobs%2Fj1")])
        );

        let zip = [P("name"), T("-"), P("version"), T(".zip")];
        assert_eq!(
            split("my-app-1.0.zip", &zip),
            pairs(&[("name", "my-app"), ("version", "1.0")]),
            "the earlier parameter takes the longest value"
        );
        assert_eq!(split("app-.zip", &zip), None);
        assert_eq!(split("-1.zip", &zip), None);

        let odata = [
            T("get(status='"),
            P("status"),
            T("',count="),
            P("count"),
            T(")"),
        ];
        assert_eq!(
            split("get(status='a',count=3)", &odata),
            pairs(&[("status", "a"), ("count", "3")])
        );
        assert_eq!(split("get(status='a')", &odata), None);

        // A leading text is matched at the start, even where it appears again later.
        let agents = [T("agents."), P("mode"), T(".-1.json")];
        assert_eq!(
            split("agents.x.agents.y.-1.json", &agents),
            pairs(&[("mode", "x.agents.y")])
        );
        assert_eq!(split("xagents.y.-1.json", &agents), None);

        let text = [T(":token")];
        assert_eq!(split(":token", &text), pairs(&[]));
        assert_eq!(split(":other", &text), None);

        assert_eq!(split("ab", &[P("a"), P("b")]), None, "adjacent parameters");
        assert_eq!(split("é.json", &json), pairs(&[("name", "é")]));
        assert_eq!(
            segment_param("my-app-1.0.zip", &zip, "version"),
            Some("1.0")
        );
        assert_eq!(segment_param("my-app-1.0.zip", &zip, "other"), None);
        assert_eq!(segment_param("my-app-1.0", &zip, "name"), None);
    }

    #[test]
    fn splitting_agrees_with_the_regular_expression() {
        // Every split of short texts over a small alphabet, against a backtracking
        // matcher that tries every place for every text, preferring longer earlier values.
        fn brute(segment: &str, pieces: &[Piece]) -> Option<Vec<String>> {
            match pieces.split_first() {
                None => segment.is_empty().then(Vec::new),
                Some((Piece::Text(text), rest)) => brute(segment.strip_prefix(text)?, rest),
                Some((Piece::Param(_), rest)) => (1..=segment.len()).rev().find_map(|end| {
                    let mut values = brute(&segment[end..], rest)?;
                    values.insert(0, segment[..end].to_string());
                    Some(values)
                }),
            }
        }
        let forms: [&[Piece]; 5] = [
            &[P("a"), T("-"), P("b")],
            &[P("a"), T("-"), P("b"), T("-"), P("c")],
            &[T("x"), P("a"), T("x-"), P("b"), T("-")],
            &[P("a"), T("--"), P("b"), T("x")],
            &[T("-"), P("a")],
        ];
        let mut texts = vec![String::new()];
        for _ in 0..7 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| ["x", "-", "y"].map(|c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
            texts.sort();
            texts.dedup();
        }
        for form in forms {
            for text in &texts {
                let ours = split(text, form).map(|v| v.into_iter().map(|(_, v)| v).collect());
                assert_eq!(ours, brute(text, form), "{text:?} against {form:?}");
            }
        }
    }

    #[test]
    fn the_first_candidate_whose_segments_and_query_match_is_selected() {
        const CANDIDATES: &[Candidate] = &[
            Candidate {
                segments: &[(2, &[P("name"), T(".json")])],
                query: &[("pretty", None)],
            },
            Candidate {
                segments: &[(2, &[P("name"), T(".json")])],
                query: &[],
            },
            Candidate {
                segments: &[(2, &[P("name"), T(".xml")])],
                query: &[],
            },
        ];
        let pick = |path, query| select_operation(path, query, CANDIDATES);
        assert_eq!(
            pick("/files/a.json", Some("pretty=1")),
            Selected::Operation(0)
        );
        assert_eq!(pick("/files/a.json", None), Selected::Operation(1));
        assert_eq!(pick("/files/a.xml", Some("pretty")), Selected::Operation(2));
        assert_eq!(pick("/files/a.txt", None), Selected::NoPath);
        assert_eq!(pick("/files", None), Selected::NoPath);
        const BY_QUERY: &[Candidate] = &[Candidate {
            segments: &[(2, &[P("name"), T(".json")])],
            query: &[("kind", Some("a"))],
        }];
        assert_eq!(
            select_operation("/files/a.json", Some("kind=b"), BY_QUERY),
            Selected::NoQuery
        );
        assert_eq!(
            select_operation("/files/a.xml", Some("kind=a"), BY_QUERY),
            Selected::NoPath
        );
    }
}
