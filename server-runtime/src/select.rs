//! Operations that share a method and route, told apart by their query: the form some
//! specs use for APIs that name the action in the query (`POST /?Action=CreateQueue`).

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
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    selectors.iter().position(|selector| {
        selector.iter().all(|(name, value)| {
            pairs
                .iter()
                .any(|(n, v)| n == name && value.is_none_or(|value| v == value))
        })
    })
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
}
