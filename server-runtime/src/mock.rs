//! How the mock picks its answer: the first documented success by default, or the status
//! or example a `Prefer` header asks for (`Prefer: code=404`, `Prefer: example=<name>`).

use serde::de::DeserializeOwned;

use super::context::RequestContext;

/// One answer the mock can give: which documented response, its status, the example's
/// name and its JSON text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MockExample {
    pub response: usize,
    pub status: u16,
    pub name: &'static str,
    pub json: &'static str,
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
    examples
        .iter()
        .find(matches)
        .or_else(|| examples.iter().find(|e| (200..300).contains(&e.status)))
        .unwrap_or(&examples[0])
}

/// The chosen example as a typed value.
pub fn example_value<T: DeserializeOwned>(example: &MockExample) -> T {
    example_json(example.json)
}

/// An example's JSON text as a typed value.
pub fn example_json<T: DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json)
        .expect("spec examples decode into their types: the consistency test checks every one")
}
