//! Loading: YAML or JSON text into an `openapiv3` document, plus a map from JSON
//! pointers to the lines they start on, so later diagnostics can name a line.
//!
//! The text is parsed once, into a `serde_json::Value`; the typed document is read from
//! that value. When reading fails, what has a clear meaning is repaired with a warning
//! and the document read again; what still fails is located at the node that does not
//! read (`repair`).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diag::{Diagnostic, Diagnostics};
use crate::pointer::{escape, join, Pointer};
use crate::repair;

/// A parsed spec and where its nodes are: what every reader of the spec starts from.
pub struct Spec {
    /// The file as the user named it, e.g. `spec/openapi.yaml`; diagnostics show it.
    pub file: String,
    pub document: openapiv3::OpenAPI,
    /// The same document as plain JSON, for readers that look at keywords `openapiv3`
    /// does not keep, and for `$ref`s into any part of the document.
    pub raw: serde_json::Value,
    pub lines: LineMap,
    /// What loading accepted with a warning: the repairs of `repair`, at the nodes as
    /// written. Lowering reports them with its own warnings.
    pub warnings: Vec<Diagnostic>,
}

impl Spec {
    /// Parses `text`, the contents of `file`.
    pub fn load(file: &str, text: &str) -> Result<Spec, Diagnostics> {
        load(file, text).map_err(Diagnostics)
    }

    /// An error at `pointer`, with its line.
    pub fn error(
        &self,
        pointer: &str,
        rule: &'static str,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(&self.file, pointer, rule, message).at_line(self.lines.line_of(pointer))
    }

    /// A warning at `pointer`, with its line.
    pub fn warning(
        &self,
        pointer: &str,
        rule: &'static str,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::warning(&self.file, pointer, rule, message).at_line(self.lines.line_of(pointer))
    }

    /// A note at `pointer`, with its line.
    pub fn note(
        &self,
        pointer: &str,
        rule: &'static str,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::note(&self.file, pointer, rule, message).at_line(self.lines.line_of(pointer))
    }

    /// The document as plain JSON, the rest dropped: for a reader that needs only that
    /// once it is done with the typed document.
    pub fn into_raw(self) -> serde_json::Value {
        self.raw
    }

    /// The raw value at `pointer`.
    pub fn value_at(&self, pointer: &Pointer) -> Option<&serde_json::Value> {
        pointer.get(&self.raw)
    }
}

/// JSON pointer → 1-based line of the node in the source text. Built on first use: only
/// a spec with problems needs it, and building it means parsing the text once more.
#[derive(Debug, Default)]
pub struct LineMap {
    text: String,
    lines: OnceLock<HashMap<String, usize>>,
}

impl LineMap {
    /// A map of `text` (YAML; JSON is YAML too), built when first asked.
    pub fn new(text: &str) -> LineMap {
        LineMap {
            text: text.to_string(),
            lines: OnceLock::new(),
        }
    }

    /// The line of `pointer`, or of its nearest ancestor that has one.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        let lines = self.lines.get_or_init(|| build_lines(&self.text));
        let mut current = pointer;
        loop {
            if let Some(line) = lines.get(current) {
                return Some(*line);
            }
            let cut = current.rfind('/')?;
            current = &current[..cut];
        }
    }
}

/// Text that does not parse gives an empty map; the parse error itself is reported by
/// `load`.
fn build_lines(text: &str) -> HashMap<String, usize> {
    let mut builder = LineMapBuilder::default();
    let mut parser = Parser::new_from_str(text);
    if parser.load(&mut builder, false).is_err() {
        return HashMap::new();
    }
    builder.lines
}

#[derive(Default)]
struct LineMapBuilder {
    stack: Vec<Frame>,
    lines: HashMap<String, usize>,
}

struct Frame {
    pointer: String,
    kind: FrameKind,
}

enum FrameKind {
    Sequence { next: usize },
    Mapping { key: Option<(String, usize)> },
}

impl LineMapBuilder {
    /// Works out the pointer and line of a node that starts now at `line`; `None` for
    /// a mapping key. A mapping value takes the line of its key.
    fn place(&mut self, key_text: Option<&str>, line: usize) -> Option<(String, usize)> {
        let Some(top) = self.stack.last_mut() else {
            return Some((String::new(), line));
        };
        match &mut top.kind {
            FrameKind::Sequence { next } => {
                let pointer = join(&top.pointer, &next.to_string());
                *next += 1;
                Some((pointer, line))
            }
            FrameKind::Mapping { key } => match key.take() {
                Some((k, key_line)) => Some((join(&top.pointer, &k), key_line)),
                None => {
                    *key = Some((key_text.unwrap_or("?").to_string(), line));
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for LineMapBuilder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(text, ..) => {
                if let Some((pointer, line)) = self.place(Some(&text), mark.line()) {
                    self.lines.entry(pointer).or_insert(line);
                }
            }
            Event::Alias(_) => {
                if let Some((pointer, line)) = self.place(None, mark.line()) {
                    self.lines.entry(pointer).or_insert(line);
                }
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                let (pointer, line) = self
                    .place(None, mark.line())
                    .unwrap_or_else(|| ("/?".to_string(), mark.line()));
                self.lines.entry(pointer.clone()).or_insert(line);
                let kind = if matches!(event, Event::SequenceStart(..)) {
                    FrameKind::Sequence { next: 0 }
                } else {
                    FrameKind::Mapping { key: None }
                };
                self.stack.push(Frame { pointer, kind });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

/// Parses `text` (the contents of `file`) as YAML (JSON is YAML too) into a plain value
/// that is a mapping, for readers that must go on when the typed document does not load.
pub fn parse_raw(file: &str, text: &str) -> Result<(serde_json::Value, LineMap), Diagnostic> {
    // JSON is read as JSON first: faster on large specs, and it takes what the YAML
    // reader refuses in JSON text (C1 control characters in strings, integers beyond
    // 64 bits, read as floats).
    let json = text.trim_start_matches('\u{feff}').trim_start();
    let raw: serde_json::Value = match json
        .starts_with('{')
        .then(|| serde_json::from_str(json).ok())
        .flatten()
    {
        Some(raw) => raw,
        None => serde_yaml::from_str(text).map_err(|err| yaml_error(file, &err))?,
    };
    if !raw.is_object() {
        return Err(Diagnostic::error(
            file,
            "",
            "syntax",
            "the document is not a mapping; expected an OpenAPI 3.0 object",
        )
        .at_line(Some(1)));
    }
    Ok((raw, LineMap::new(text)))
}

/// Parses `text` (the contents of `file`) into an OpenAPI document.
pub fn load(file: &str, text: &str) -> Result<Spec, Vec<Diagnostic>> {
    let (raw, lines) = parse_raw(file, text).map_err(|d| vec![d])?;
    match raw.get("openapi").and_then(|v| v.as_str()) {
        Some(version) if version.starts_with("3.0") => {}
        other => {
            return Err(vec![Diagnostic::error(
                file,
                "/openapi",
                "syntax",
                format!(
                    "unsupported `openapi` version {}; this generator reads OpenAPI 3.0.x",
                    other.map_or("(missing)".to_string(), |v| format!("`{v}`"))
                ),
            )
            .at_line(lines.line_of("/openapi"))])
        }
    }
    let mut raw = raw;
    let mut warnings = Vec::new();
    let document = match openapiv3::OpenAPI::deserialize(&raw) {
        Ok(document) => document,
        Err(first) => {
            for (pointer, message) in repair::repair(&mut raw) {
                warnings.push(
                    Diagnostic::warning(file, pointer.as_str(), "lenient", message)
                        .at_line(lines.line_of(&pointer)),
                );
            }
            match openapiv3::OpenAPI::deserialize(&raw) {
                Ok(document) => document,
                Err(err) => {
                    let err = if warnings.is_empty() { first } else { err };
                    let (pointer, message) =
                        repair::locate(&raw).unwrap_or_else(|| (String::new(), err.to_string()));
                    let line = lines.line_of(&pointer);
                    let mut diagnostics = vec![Diagnostic::error(
                        file,
                        pointer,
                        "syntax",
                        format!("not a valid OpenAPI document: {message}"),
                    )
                    .at_line(line)];
                    diagnostics.extend(warnings);
                    return Err(diagnostics);
                }
            }
        }
    };
    // References to responses, parameters, ... written elsewhere than in components are
    // read as what they name: copied in the raw JSON, and the document read once more.
    let inlined = crate::inline::inline(&mut raw);
    let document = if inlined.is_empty() {
        document
    } else {
        for (pointer, message) in inlined {
            warnings.push(
                Diagnostic::warning(file, pointer.as_str(), "lenient", message)
                    .at_line(lines.line_of(&pointer)),
            );
        }
        // Each copy was read as its kind before it was made, so this reads.
        openapiv3::OpenAPI::deserialize(&raw).map_err(|err| {
            vec![Diagnostic::error(
                file,
                "",
                "syntax",
                format!("not a valid OpenAPI document once references were copied: {err}"),
            )]
        })?
    };
    Ok(Spec {
        file: file.to_string(),
        document,
        raw,
        lines,
        warnings,
    })
}

fn yaml_error(file: &str, err: &serde_yaml::Error) -> Diagnostic {
    // serde_yaml prefixes its message with the dotted path of the failing node; turn
    // that into a JSON pointer so every diagnostic reads the same way.
    let message = err.to_string();
    let (pointer, rest) = match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.is_empty() => {
            // `a.b[0].c` names `/a/b/0/c`.
            let pointer: String = path
                .split('.')
                .flat_map(|part| part.split('['))
                .map(|part| part.strip_suffix(']').unwrap_or(part))
                .filter(|part| !part.is_empty())
                .map(|part| format!("/{}", escape(part)))
                .collect();
            (pointer, rest.to_string())
        }
        _ => (String::new(), message.clone()),
    };
    let rest = match rest.rfind(" at line ") {
        Some(cut) => rest[..cut].to_string(),
        None => rest,
    };
    Diagnostic::error(
        file,
        pointer,
        "syntax",
        format!("not a valid OpenAPI document: {rest}"),
    )
    .at_line(err.location().map(|l| l.line()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_map_to_lines() {
        let text = "openapi: 3.0.3\npaths:\n  /a/b:\n    get:\n      tags: [x, y]\n";
        let map = LineMap::new(text);
        assert_eq!(map.line_of("/openapi"), Some(1));
        assert_eq!(map.line_of("/paths/~1a~1b/get"), Some(4));
        assert_eq!(map.line_of("/paths/~1a~1b/get/tags/1"), Some(5));
        assert_eq!(map.line_of("/paths/~1a~1b/get/nothing/here"), Some(4));
    }

    #[test]
    fn syntax_errors_carry_a_line() {
        let Err(diags) = load("spec.yaml", "openapi: 3.0.3\ninfo: [\n") else {
            panic!("broken YAML must not load");
        };
        assert_eq!(diags.len(), 1);
        assert!(diags[0].line.is_some(), "{:?}", diags[0]);
    }

    #[test]
    fn structural_errors_name_the_node() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 5\n";
        let Err(diags) = load("spec.yaml", text) else {
            panic!("an invalid document must not load");
        };
        assert_eq!(
            diags[0].to_string(),
            "error[syntax]: spec.yaml#/paths/~1a/get/responses (line 6): not a valid OpenAPI document: invalid type: integer `5`, expected struct Responses",
        );
    }

    #[test]
    fn json_is_read_as_json_with_what_yaml_refuses() {
        let text = "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\u{0090}\", \"version\": \"1\"}, \"paths\": {}, \"x-big\": -9223372036854776000}";
        let spec = Spec::load("spec.json", text).expect("loads");
        assert_eq!(spec.document.info.title, "t\u{0090}");
        assert!(spec.raw["x-big"].is_f64());
    }

    #[test]
    fn clear_mistakes_load_with_a_warning_at_the_node() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {}\n";
        let spec = Spec::load("spec.yaml", text).expect("repaired");
        assert_eq!(spec.warnings.len(), 1);
        assert_eq!(
            spec.warnings[0].to_string(),
            "warning[lenient]: spec.yaml#/paths/~1a/get/responses/200 (line 7): this response has no `description`, which OpenAPI requires; it is read as an empty description"
        );
    }

    #[test]
    fn a_response_referred_to_where_it_is_written_loads_as_that_response() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '401': {description: Denied.}\n  /b:\n    get:\n      responses:\n        '401': {$ref: '#/paths/~1a/get/responses/401'}\n";
        let spec = Spec::load("spec.yaml", text).expect("loads");
        assert_eq!(
            spec.warnings[0].to_string(),
            "warning[lenient]: spec.yaml#/paths/~1b/get/responses/401 (line 11): `$ref: #/paths/~1a/get/responses/401` points outside #/components/responses/; it is read as the response written there"
        );
        let b = spec.document.paths.paths["/b"].as_item().expect("an item");
        let response = &b.get.as_ref().expect("get").responses.responses;
        let (_, response) = response.first().expect("one response");
        assert_eq!(
            response.as_item().map(|r| r.description.as_str()),
            Some("Denied.")
        );
    }
}
