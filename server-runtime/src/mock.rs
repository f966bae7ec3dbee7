//! How the mock picks its answer: the first documented success by default, or the status
//! or example a `Prefer` header asks for (`Prefer: code=404`, `Prefer: example=<name>`),
//! in a media type the request's `Accept` takes when there is a choice.

use serde::de::DeserializeOwned;
use serde_json::Value;

use apig_types_runtime::media;

use super::context::RequestContext;
use super::respond::BinaryBody;

/// One answer the mock can give: which documented response and which of its contents,
/// its status, the example's name, its JSON text, and the media type it is sent as
/// (empty without a body).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MockExample {
    pub response: usize,
    pub content: usize,
    pub status: u16,
    pub name: &'static str,
    pub json: &'static str,
    pub media: &'static str,
}

/// Picks the example for this request. `examples` is never empty: every operation
/// documents at least one response.
pub fn choose_example(
    ctx: &RequestContext,
    examples: &'static [MockExample],
) -> &'static MockExample {
    let mut code = None;
    let mut name = None;
    for value in ctx
        .headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
    {
        for part in value.split([',', ';']) {
            match part.trim().split_once('=') {
                Some(("code", v)) => code = v.trim().trim_matches('"').parse::<u16>().ok(),
                Some(("example", v)) => name = Some(v.trim().trim_matches('"').to_string()),
                _ => {}
            }
        }
    }
    let matches = |e: &&MockExample| {
        code.is_none_or(|c| e.status == c) && name.as_deref().is_none_or(|n| e.name == n)
    };
    let accept = ctx
        .headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    // Among the answers of one response, one in a media type the request accepts.
    let acceptable =
        |e: &&MockExample| e.media.is_empty() || media::negotiate(accept, &[e.media]).is_some();
    let pick = |first: &'static MockExample| {
        examples
            .iter()
            .filter(|e| e.response == first.response && matches(e))
            .find(acceptable)
            .unwrap_or(first)
    };
    examples
        .iter()
        .find(matches)
        .or_else(|| examples.iter().find(|e| (200..300).contains(&e.status)))
        .map(pick)
        .unwrap_or(&examples[0])
}

/// The chosen example as a typed value.
pub fn example_value<T: DeserializeOwned>(example: &MockExample) -> T {
    example_json(example.json)
}

/// The chosen example as text: a string example as it is, any other as its JSON.
pub fn example_text(example: &MockExample) -> String {
    match serde_json::from_str::<Value>(example.json) {
        Ok(Value::String(text)) => text,
        _ => example.json.to_string(),
    }
}

/// The chosen example as the bytes of a binary answer (its text, as for
/// [`example_text`]).
pub fn example_binary(example: &MockExample) -> BinaryBody {
    BinaryBody::from(example_text(example))
}

/// An example's JSON text as a typed value.
pub fn example_json<T: DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json)
        .expect("spec examples decode into their types: the consistency test checks every one")
}
