//! A strict reader of the official SDK's regions file (`~/.huaweicloud/regions.yaml`):
//! exactly the YAML shape the SDK documents and reads (`huaweicloudsdkcore`'s
//! `ProfileRegionCache`), not YAML in general.
//!
//! ```yaml
//! # Service names are case-insensitive.
//! ECS:
//!   - id: 'cn-north-1'
//!     endpoint: 'https://ecs.cn-north-1.myhuaweicloud.com'
//! IoTDA:
//!   - id: region-id-1
//!     endpoints:
//!       - https://iotda.region-id-1.myhuaweicloud.com
//!       - https://iotda.region-id-2.myhuaweicloud.com
//!   - id: region-id-2
//!     endpoints: [https://a.example.com, "https://b.example.com"]
//! ```
//!
//! A map of service names to block lists of regions; each region a block map whose
//! first key is on the line of its `-`. Values are plain, `'single'` or `"double"`
//! quoted strings, `endpoints` also a block or flow list of them. Comments, blank lines
//! and a leading `---` are skipped; keys other than `id`, `endpoint` and `endpoints`
//! are ignored, as the SDK ignores them, when their value is on their line. Anything
//! else (anchors, tags, block scalars, flow maps, tabs as indentation, a key twice) is
//! refused with its line and what was expected.

use std::fmt;

/// One region of a service in the file, as written.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct FileRegion {
    pub(crate) id: Option<String>,
    pub(crate) endpoint: Option<String>,
    pub(crate) endpoints: Option<Vec<String>>,
}

/// What is wrong with the file, and on which line (1-based).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ParseError {
    pub(crate) line: usize,
    pub(crate) message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The services of the file in the order written, each with its regions.
pub(crate) fn parse(text: &str) -> Result<Vec<(String, Vec<FileRegion>)>, ParseError> {
    let lines = significant_lines(text)?;
    let mut cursor = Cursor { lines, next: 0 };
    if cursor
        .peek()
        .is_some_and(|l| l.indent == 0 && l.text == "---")
    {
        cursor.next += 1;
    }
    let mut services: Vec<(String, Vec<FileRegion>)> = Vec::new();
    while let Some(line) = cursor.take() {
        if line.indent != 0 || line.text.starts_with('-') {
            return Err(line.error(
                "expected a service name at the start of the line, as in `ECS:`".to_string(),
            ));
        }
        let (service, rest) = split_key(&line)?;
        if services.iter().any(|(s, _)| *s == service) {
            return Err(line.error(format!("service `{service}` is listed twice")));
        }
        let regions = if rest == "[]" {
            Vec::new()
        } else if !rest.is_empty() {
            return Err(line.error(format!(
                "service `{service}`: expected its regions as a list on the following lines \
                 (`  - id: ...`), found `{rest}`"
            )));
        } else {
            regions(&mut cursor, &service, line.number)?
        };
        services.push((service, regions));
    }
    Ok(services)
}

/// A line with content: its number, its indentation in spaces, and its text without
/// the indentation, a trailing comment and trailing spaces.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    number: usize,
    indent: usize,
    text: &'a str,
}

impl Line<'_> {
    fn error(&self, message: String) -> ParseError {
        ParseError {
            line: self.number,
            message,
        }
    }
}

struct Cursor<'a> {
    lines: Vec<Line<'a>>,
    next: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.next).copied()
    }

    fn take(&mut self) -> Option<Line<'a>> {
        let line = self.peek()?;
        self.next += 1;
        Some(line)
    }
}

fn significant_lines(text: &str) -> Result<Vec<Line<'_>>, ParseError> {
    let mut out = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let content = raw.trim_start_matches(' ');
        let indent = raw.len() - content.len();
        let text = strip_comment(content).trim_end_matches([' ', '\t']);
        if text.is_empty() {
            continue;
        }
        if text.starts_with('\t') {
            return Err(ParseError {
                line: number,
                message: "a tab in the indentation: YAML indents with spaces only".to_string(),
            });
        }
        out.push(Line {
            number,
            indent,
            text,
        });
    }
    Ok(out)
}

/// `text` up to a `#` that starts a comment: at the start or after a space, and not
/// inside a quoted string.
fn strip_comment(text: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (at, c) in text.char_indices() {
        match quote {
            Some('"') if c == '\\' && previous == '\\' => {
                // An escaped backslash does not escape the next quote.
                previous = ' ';
                continue;
            }
            Some(q) if c == q && !(q == '"' && previous == '\\') => quote = None,
            Some(_) => {}
            None if (c == '\'' || c == '"') && " :-[,".contains(previous) => quote = Some(c),
            None if c == '#' && (previous == ' ' || previous == '\t') => return &text[..at],
            None => {}
        }
        previous = c;
    }
    text
}

/// The block list of regions of `service`, whose name is on line `header`.
fn regions(
    cursor: &mut Cursor<'_>,
    service: &str,
    header: usize,
) -> Result<Vec<FileRegion>, ParseError> {
    let Some(first) = cursor.peek().filter(|l| is_item(l.text)) else {
        return Err(ParseError {
            line: header,
            message: format!(
                "service `{service}` lists no regions: write them below it as `  - id: ...` \
                 lines, or `{service}: []`"
            ),
        });
    };
    let item_indent = first.indent;
    let mut out = Vec::new();
    while let Some(line) = cursor.peek() {
        if line.indent == 0 && !is_item(line.text) {
            break;
        }
        if line.indent != item_indent || !is_item(line.text) {
            return Err(line.error(format!(
                "service `{service}`: expected the next region as `- id: ...` indented like the \
                 first (column {})",
                item_indent + 1
            )));
        }
        cursor.next += 1;
        out.push(region(cursor, line, service)?);
    }
    Ok(out)
}

fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// One region: the map that starts on `line` after its `-`.
fn region(
    cursor: &mut Cursor<'_>,
    line: Line<'_>,
    service: &str,
) -> Result<FileRegion, ParseError> {
    let after = line.text[1..].trim_start_matches(' ');
    if after.is_empty() {
        return Err(line.error(format!(
            "service `{service}`: write the region's first key on the line of its `-`, as in \
             `- id: cn-north-4`"
        )));
    }
    let key_indent = line.indent + (line.text.len() - after.len());
    let mut region = FileRegion::default();
    let mut seen: Vec<String> = Vec::new();
    let mut current = Line {
        number: line.number,
        indent: key_indent,
        text: after,
    };
    loop {
        let (key, rest) = split_key(&current)?;
        if seen.contains(&key) {
            return Err(current.error(format!("the key `{key}` is given twice in this region")));
        }
        match key.as_str() {
            "id" => region.id = single_value(cursor, &current, &key, rest)?,
            "endpoint" => region.endpoint = single_value(cursor, &current, &key, rest)?,
            "endpoints" => region.endpoints = list_value(cursor, &current, rest)?,
            // Ignored like the SDK ignores it, when it is one line.
            _ => {
                single_value(cursor, &current, &key, rest)?;
            }
        }
        seen.push(key);
        match cursor.peek() {
            Some(next) if next.indent == key_indent && !is_item(next.text) => {
                cursor.next += 1;
                current = next;
            }
            Some(next) if next.indent > key_indent => {
                return Err(next.error(format!(
                    "unexpected indentation: the keys of this region start at column {}",
                    key_indent + 1
                )))
            }
            _ => return Ok(region),
        }
    }
}

/// The string value of `key` on `line`; empty, `~` and `null` are no value.
fn single_value(
    cursor: &Cursor<'_>,
    line: &Line<'_>,
    key: &str,
    rest: &str,
) -> Result<Option<String>, ParseError> {
    if rest.is_empty() {
        if let Some(next) = cursor.peek().filter(|n| n.indent > line.indent) {
            return Err(next.error(format!(
                "`{key}` takes one string on its own line, as in `{key}: value`"
            )));
        }
        return Ok(None);
    }
    if rest.starts_with('[') {
        return Err(line.error(format!("`{key}` takes one string, not a list")));
    }
    let (value, tail) = scalar(line, rest)?;
    if !tail.is_empty() {
        return Err(line.error(format!("unexpected `{tail}` after the value of `{key}`")));
    }
    Ok(value)
}

/// The list of `endpoints`: flow (`[a, b]`) on `line`, or block (`- a`) on the lines
/// after it.
fn list_value(
    cursor: &mut Cursor<'_>,
    line: &Line<'_>,
    rest: &str,
) -> Result<Option<Vec<String>>, ParseError> {
    if let Some(inner) = rest.strip_prefix('[') {
        let mut out = Vec::new();
        let mut rest = inner.trim_start();
        if let Some(tail) = rest.strip_prefix(']') {
            rest = tail;
        } else {
            loop {
                let (value, tail) = scalar(line, rest)?;
                out.extend(value);
                if let Some(tail) = tail.strip_prefix(',') {
                    rest = tail.trim_start();
                } else if let Some(tail) = tail.strip_prefix(']') {
                    rest = tail;
                    break;
                } else {
                    return Err(line.error(
                        "`endpoints`: a flow list is `[url, url]` on one line".to_string(),
                    ));
                }
            }
        }
        if !rest.trim().is_empty() {
            return Err(line.error(format!("unexpected `{}` after the list", rest.trim())));
        }
        return Ok(Some(out));
    }
    if !rest.is_empty() {
        return Err(line.error(
            "`endpoints` takes a list: `- url` lines below it, or `[url, url]`".to_string(),
        ));
    }
    let Some(first) = cursor
        .peek()
        .filter(|n| n.indent >= line.indent && is_item(n.text))
    else {
        return Ok(None);
    };
    let mut out = Vec::new();
    while let Some(next) = cursor
        .peek()
        .filter(|n| n.indent == first.indent && is_item(n.text))
    {
        cursor.next += 1;
        let text = next.text[1..].trim_start_matches(' ');
        if text.is_empty() {
            continue;
        }
        if text.starts_with('[') {
            return Err(next.error("an endpoint is a string, not a list".to_string()));
        }
        let (value, tail) = scalar(&next, text)?;
        if !tail.is_empty() {
            return Err(next.error(format!(
                "unexpected `{tail}` after the endpoint (a key? endpoints are plain strings)"
            )));
        }
        out.extend(value);
    }
    Ok(Some(out))
}

/// Splits `key: rest` (or `key:`); the key plain or quoted.
fn split_key<'a>(line: &Line<'a>) -> Result<(String, &'a str), ParseError> {
    let text = line.text;
    let expected = || line.error(format!("expected `key: value`, found `{text}`"));
    let (key, after) = if text.starts_with(['\'', '"']) {
        let (key, after) = quoted(line, text)?;
        (key, after.trim_start_matches(' '))
    } else {
        let at = text
            .char_indices()
            .find(|&(at, c)| c == ':' && text[at + 1..].chars().next().is_none_or(|n| n == ' '))
            .map(|(at, _)| at)
            .ok_or_else(expected)?;
        (text[..at].trim_end().to_string(), &text[at..])
    };
    let rest = after.strip_prefix(':').ok_or_else(expected)?;
    if key.is_empty() {
        return Err(expected());
    }
    if !rest.is_empty() && !rest.starts_with(' ') {
        return Err(expected());
    }
    Ok((key, rest.trim_start_matches(' ')))
}

/// The string at the start of `text` and what follows it: quoted, or plain up to a
/// `,` or `]` of a flow list or the end. `~`, `null` and nothing are no value.
fn scalar<'a>(line: &Line<'_>, text: &'a str) -> Result<(Option<String>, &'a str), ParseError> {
    if text.starts_with(['\'', '"']) {
        let (value, tail) = quoted(line, text)?;
        return Ok((Some(value), tail.trim_start_matches(' ')));
    }
    if let Some(c) = text.chars().next().filter(|c| "{&*!|>%@`".contains(*c)) {
        return Err(line.error(format!(
            "a value starting with `{c}` is YAML this reader does not take: write the value \
             plain or in quotes"
        )));
    }
    let end = text.find([',', ']']).unwrap_or(text.len());
    let value = text[..end].trim_end();
    let value = match value {
        "" | "~" | "null" | "Null" | "NULL" => None,
        _ => Some(value.to_string()),
    };
    Ok((value, &text[end..]))
}

/// A `'single'` (with `''` for `'`) or `"double"` quoted string at the start of `text`,
/// and what follows it.
fn quoted<'a>(line: &Line<'_>, text: &'a str) -> Result<(String, &'a str), ParseError> {
    let mut chars = text.char_indices();
    let quote = chars.next().map(|(_, c)| c).unwrap_or('\'');
    let mut out = String::new();
    while let Some((at, c)) = chars.next() {
        match c {
            '\'' if quote == '\'' => {
                if text[at + 1..].starts_with('\'') {
                    chars.next();
                    out.push('\'');
                } else {
                    return Ok((out, &text[at + 1..]));
                }
            }
            '"' if quote == '"' => return Ok((out, &text[at + 1..])),
            '\\' if quote == '"' => match chars.next().map(|(_, c)| c) {
                Some('\\') => out.push('\\'),
                Some('"') => out.push('"'),
                Some('/') => out.push('/'),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                other => {
                    return Err(line.error(format!(
                        "the escape `\\{}` is not taken here: only \\\\, \\\", \\/, \\n and \\t",
                        other.map(String::from).unwrap_or_default()
                    )))
                }
            },
            c => out.push(c),
        }
    }
    Err(line.error(format!(
        "a {quote}quoted{quote} string is not closed on its line"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(id: &str, endpoint: Option<&str>, endpoints: Option<&[&str]>) -> FileRegion {
        FileRegion {
            id: Some(id.to_string()),
            endpoint: endpoint.map(str::to_string),
            endpoints: endpoints.map(|e| e.iter().map(|s| s.to_string()).collect()),
        }
    }

    fn error(text: &str) -> ParseError {
        parse(text).expect_err("refused")
    }

    #[test]
    fn the_sdk_documented_example_is_read() {
        let text = "\
# Service names are case-insensitive
ECS:
  - id: 'cn-north-1'
    endpoint: 'https://ecs.cn-north-1.myhuaweicloud.com'
  - id: 'cn-north-9'
    endpoint: 'https://ecs.cn-north-9.myhuaweicloud.com'
IoTDA:
  - id: 'region-id-1'
    endpoints:
      - 'https://iotda.region-id-1.myhuaweicloud.com'
      - 'https://iotda.region-id-2.myhuaweicloud.com'
";
        assert_eq!(
            parse(text).unwrap(),
            vec![
                (
                    "ECS".to_string(),
                    vec![
                        region(
                            "cn-north-1",
                            Some("https://ecs.cn-north-1.myhuaweicloud.com"),
                            None
                        ),
                        region(
                            "cn-north-9",
                            Some("https://ecs.cn-north-9.myhuaweicloud.com"),
                            None
                        ),
                    ]
                ),
                (
                    "IoTDA".to_string(),
                    vec![region(
                        "region-id-1",
                        None,
                        Some(&[
                            "https://iotda.region-id-1.myhuaweicloud.com",
                            "https://iotda.region-id-2.myhuaweicloud.com"
                        ])
                    )]
                ),
            ]
        );
    }

    #[test]
    fn plain_double_quoted_flow_and_compact_forms_are_read() {
        let text = "---\r\nSVC: # trailing comment\r\n- id: r-1   # the id\r\n  endpoints: [https://a.test#x, \"https://b.test\", 'it''s']\r\n- endpoint: \"https://c\\\\d\"\r\n  id: r-2\r\n  name: ignored\r\n  endpoints:\r\n  - https://e.test\r\nEMPTY: []\r\n";
        assert_eq!(
            parse(text).unwrap(),
            vec![
                (
                    "SVC".to_string(),
                    vec![
                        region(
                            "r-1",
                            None,
                            Some(&["https://a.test#x", "https://b.test", "it's"])
                        ),
                        region("r-2", Some("https://c\\d"), Some(&["https://e.test"])),
                    ]
                ),
                ("EMPTY".to_string(), vec![]),
            ]
        );
    }

    #[test]
    fn empty_and_null_values_are_no_value() {
        let parsed =
            parse("SVC:\n  - id: ~\n    endpoint:\n  - id: r\n    endpoint: null\n").unwrap();
        assert_eq!(parsed[0].1[0], FileRegion::default());
        assert_eq!(parsed[0].1[1].endpoint, None);
        assert_eq!(parse("# nothing\n\n").unwrap(), vec![]);
    }

    #[test]
    fn a_flow_list_of_regions_is_refused_with_its_line() {
        let err = error("SVC: [not, a, region]\n");
        assert_eq!(err.line, 1);
        assert!(
            err.message.contains("expected its regions as a list"),
            "{err}"
        );
    }

    #[test]
    fn misplaced_lines_are_refused_with_their_line() {
        let cases: &[(&str, usize, &str)] = &[
            (
                "SVC:\n  - id: a\n   endpoint: b\n",
                3,
                "expected the next region",
            ),
            (
                "SVC:\n  - id: a\n      endpoint: b\n",
                3,
                "unexpected indentation",
            ),
            ("  SVC:\n  - id: a\n", 1, "expected a service name"),
            ("SVC:\nOTHER:\n  - id: a\n", 1, "lists no regions"),
            (
                "SVC:\n  -\n    id: a\n",
                2,
                "first key on the line of its `-`",
            ),
            ("SVC:\n\t- id: a\n", 2, "tab"),
            ("SVC:\n  - id: a\n    id: b\n", 3, "given twice"),
            ("SVC:\n  - id: a\nSVC:\n  - id: b\n", 3, "listed twice"),
            ("SVC:\n  - id: 'a\n", 2, "not closed"),
            ("SVC:\n  - id: &anchor a\n", 2, "does not take"),
            ("SVC:\n  - id: [a]\n", 2, "not a list"),
            ("SVC:\n  - endpoints: https://a\n", 2, "takes a list"),
            ("SVC:\n  - endpoints: [a, b\n", 2, "flow list"),
            ("SVC:\n  - id: \"a\\q\"\n", 2, "escape"),
            ("SVC:\n  - just text\n", 2, "expected `key: value`"),
            (
                "SVC:\n  - extra:\n      nested: 1\n",
                3,
                "one string on its own line",
            ),
        ];
        for (text, line, message) in cases {
            let err = error(text);
            assert_eq!(err.line, *line, "{text:?}: {err}");
            assert!(err.message.contains(message), "{text:?}: {err}");
        }
    }
}
