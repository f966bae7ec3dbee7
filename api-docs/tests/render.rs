//! Tests of `api_docs::render`: the page holds every operation, schema, example,
//! deprecation and error code of the real spec, renders the notes, stays
//! self-contained, and is the same every time.

use std::path::PathBuf;

use api_docs::render;
use serde_json::Value;

/// The workspace root, read at run time (cargo sets `CARGO_MANIFEST_DIR` for tests): a
/// test binary that cargo reuses from another clone still reads this clone's spec.
fn root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .expect("cargo sets CARGO_MANIFEST_DIR when it runs tests");
    PathBuf::from(manifest)
        .parent()
        .expect("api-docs lives one level below the workspace root")
        .to_path_buf()
}

fn read(path: &str) -> String {
    let path = root().join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn spec_text() -> String {
    read("spec/openapi.yaml")
}

fn spec() -> Value {
    serde_yaml::from_str(&spec_text()).expect("the spec is YAML")
}

fn page() -> String {
    render("spec/openapi.yaml", &spec_text(), &read("spec/NOTES.md")).expect("the spec renders")
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// (operationId, method, path, operation) for every operation of the spec.
fn operations(spec: &Value) -> Vec<(String, String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("the spec has paths") {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                let id = operation["operationId"]
                    .as_str()
                    .expect("every operation has an id")
                    .to_string();
                out.push((id, method.to_string(), path.clone(), operation.clone()));
            }
        }
    }
    assert_eq!(out.len(), 5, "the spec has five operations");
    out
}

/// The page text without tags, with entities decoded and whitespace collapsed. Inline
/// tags vanish; every other tag separates words.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut tag: Option<String> = None;
    for c in html.chars() {
        match (&mut tag, c) {
            (None, '<') => tag = Some(String::new()),
            (Some(name), '>') => {
                let name = name.trim_start_matches('/');
                let name = name.split_whitespace().next().unwrap_or_default();
                if !matches!(name, "span" | "a" | "code" | "strong" | "em") {
                    out.push(' ');
                }
                tag = None;
            }
            (Some(name), c) => name.push(c),
            (None, c) => out.push(c),
        }
    }
    let decoded = out
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&#60;", "<")
        .replace("&gt;", ">")
        .replace("&#62;", ">")
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The HTML inside the element with `id="<id>"`, up to the next `</article>` or
/// `</section>`.
fn block<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("the page has no element with id {id}"));
    let rest = &page[start..];
    let rest = &rest[rest.find('>').map_or(0, |i| i + 1)..];
    let end = ["</article>", "</section>"]
        .iter()
        .filter_map(|end| rest.find(end))
        .min()
        .unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn every_operation_has_its_id_method_and_path_together() {
    let page = page();
    for (id, method, path, _) in operations(&spec()) {
        let article = text_of(block(&page, &format!("op-{id}")));
        let head = format!("{} {path}", method.to_uppercase());
        assert!(
            article.starts_with(&head),
            "{id}: {head} not at the top of: {article:.200}"
        );
        assert!(article.contains(&id), "{id}");
        assert!(
            page.contains(&format!("<a href=\"#op-{id}\"")),
            "the sidebar links {id}"
        );
    }
}

#[test]
fn every_component_schema_has_a_section_and_a_sidebar_link() {
    let page = page();
    let spec = spec();
    let schemas = spec["components"]["schemas"]
        .as_object()
        .expect("the spec has schemas");
    assert!(schemas.len() > 5);
    for name in schemas.keys() {
        let section = text_of(block(&page, &format!("schema-{name}")));
        assert!(section.starts_with(name.as_str()), "{name}: {section:.100}");
        assert!(
            page.contains(&format!("<a href=\"#schema-{name}\">")),
            "{name}"
        );
    }
}

#[test]
fn references_become_links_to_schema_sections() {
    let page = page();
    let article = block(&page, "op-CreateFlinkJarJob");
    assert!(
        article.contains("href=\"#schema-FlinkJarJobCreateRequest\""),
        "{article:.400}"
    );
    // A property that wraps a reference in a one-member allOf links to the component.
    let section = block(&page, "schema-FlinkJarJobCreateRequest");
    assert!(section.contains("href=\"#schema-StringList\""));
}

#[test]
fn constraints_and_defaults_are_shown() {
    let page = page();
    let request = text_of(block(&page, "schema-FlinkJarJobCreateRequest"));
    assert!(request.contains("length 0–57"), "{request:.300}");
    assert!(request.contains("default 2"));
    let params = text_of(block(&page, "op-UpdateFlinkJarJob"));
    assert!(params.contains("project_id required path"), "{params:.600}");
    // The 1-to-64 limit of project_id is FunctionGraph's (spec/NOTES.md).
    let params = text_of(block(&page, "op-CreateCallbackWorkflow"));
    assert!(params.contains("length 1–64"), "{params:.600}");
    let result = text_of(block(&page, "schema-WorkflowCallbackResult"));
    assert!(result.contains("Values: success · fail"), "{result}");
}

#[test]
fn every_example_is_shown_pretty_printed() {
    let page = page();
    let text = text_of(&page);
    let mut checked = 0;
    let mut visit = |value: &Value| {
        let pretty = serde_json::to_string_pretty(value).expect("JSON prints");
        let line = pretty
            .lines()
            .map(str::trim)
            .find(|l| *l != "{" && *l != "[")
            .unwrap_or(&pretty);
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            text.contains(&line),
            "example line `{line}` is not on the page"
        );
        checked += 1;
    };
    fn walk(value: &Value, visit: &mut dyn FnMut(&Value)) {
        match value {
            Value::Object(map) => {
                if let Some(Value::Object(examples)) = map.get("examples") {
                    for example in examples.values() {
                        if let Some(value) = example.get("value") {
                            visit(value);
                        }
                    }
                }
                for child in map.values() {
                    walk(child, visit);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, visit)),
            _ => {}
        }
    }
    walk(&spec(), &mut visit);
    assert!(checked >= 15, "only {checked} examples found");
}

#[test]
fn deprecated_operations_carry_a_notice_and_others_do_not() {
    let page = page();
    let mut deprecated = 0;
    for (id, _, _, operation) in operations(&spec()) {
        let article = block(&page, &format!("op-{id}"));
        let is_deprecated = operation["deprecated"] == Value::Bool(true);
        assert_eq!(
            article.contains("class=\"deprecation\""),
            is_deprecated,
            "{id}"
        );
        deprecated += usize::from(is_deprecated);
    }
    assert_eq!(deprecated, 2);
}

#[test]
fn every_error_code_of_the_spec_is_listed() {
    let page = page();
    let mut codes = Vec::new();
    fn walk(value: &Value, codes: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(code)) = map.get("error_code") {
                    codes.push(code.clone());
                }
                if let Some(Value::String(code)) = map.get("x-validation-error-code") {
                    codes.push(code.clone());
                }
                map.values().for_each(|v| walk(v, codes));
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, codes)),
            _ => {}
        }
    }
    walk(&spec()["paths"], &mut codes);
    walk(&spec()["components"]["responses"], &mut codes);
    walk(&spec()["tags"], &mut codes);
    codes.sort();
    codes.dedup();
    assert!(codes.len() >= 6, "{codes:?}");
    for code in codes {
        assert!(page.contains(&format!("id=\"error-{code}\"")), "{code}");
    }
    let row = text_of(block(&page, "error-DLI.11016"));
    assert!(row.contains("400 CreateFlinkJarJob"), "{row:.200}");
}

#[test]
fn the_notes_are_rendered_as_html() {
    let page = page();
    let notes = &page[page.find("id=\"notes\"").expect("a notes section")..];
    assert!(notes.contains("<h2>Contradictions and decisions</h2>"));
    assert!(notes.contains("<div class=\"table-wrap\"><table>"));
    assert!(notes.contains("<code>x-canonical: &lt;index&gt;</code>"));
    assert!(notes.contains("<pre><code"));
}

#[test]
fn the_page_is_self_contained() {
    let page = page();
    for needle in ["<script", "<link", "src=", "url(", "@import", "@font-face"] {
        assert!(!page.contains(needle), "the page contains `{needle}`");
    }
    assert!(page.starts_with("<!DOCTYPE html>"), "{:.80}", page);
    assert!(page.contains("<meta charset=\"utf-8\">"));
}

#[test]
fn rendering_is_deterministic() {
    assert_eq!(page(), page());
}

#[test]
fn text_from_the_spec_is_escaped() {
    let spec = "openapi: 3.0.3\ninfo: {title: '<b>x</b>', version: '1'}\npaths: {}\n";
    let page = render("spec.yaml", spec, "").expect("a minimal spec renders");
    assert!(!page.contains("<b>x</b>"));
    assert!(text_of(&page).contains("<b>x</b> — API reference"));
}

#[test]
fn a_spec_that_is_not_a_mapping_is_an_error() {
    let err = render("spec.yaml", "- a\n- b\n", "").expect_err("a list is not a spec");
    let message = err.to_string();
    assert!(
        message.starts_with("error[syntax]: spec.yaml#"),
        "{message}"
    );
    assert!(message.contains("not a mapping"), "{message}");
    let err = render("spec.yaml", "openapi: [\n", "").expect_err("broken YAML is not a spec");
    let message = err.to_string();
    assert!(
        message.starts_with("error[syntax]: spec.yaml#") && message.contains("(line "),
        "a syntax diagnostic with its line: {message}"
    );
}
