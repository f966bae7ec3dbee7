//! Small HTML helpers for the API reference: escaping, anchors, Markdown and JSON.

use pulldown_cmark::{html, CowStr, Event, Options, Parser};

/// Escapes text for use in HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An HTML id made of `prefix-` and the name with every character other than ASCII
/// letters, digits, `-` and `_` replaced by `-`.
pub fn anchor(prefix: &str, name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{prefix}-{cleaned}")
}

/// Renders CommonMark (with tables) to HTML. Raw HTML in the input is shown as text, so
/// the page holds only markup that this module writes; tables are wrapped in a
/// scrolling container so that wide ones do not widen the page.
pub fn markdown(text: &str) -> String {
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(CowStr::from(raw.to_string())),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    out.replace("<table>", "<div class=\"table-wrap\"><table>")
        .replace("</table>", "</table></div>")
}

/// Renders Markdown that is expected to be one short paragraph without the `<p>` around
/// it, for use inside table cells and list items.
pub fn markdown_inline(text: &str) -> String {
    let rendered = markdown(text);
    let trimmed = rendered.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|t| t.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => rendered,
    }
}

/// Pretty-prints a JSON value as HTML with keys, strings, numbers and literals in their
/// own `<span>` classes.
pub fn json(value: &serde_json::Value) -> String {
    let text =
        serde_json::to_string_pretty(value).expect("a serde_json::Value always serializes to text");
    highlight_json(&text)
}

fn highlight_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i = (i + 1).min(chars.len());
            let literal: String = chars[start..i].iter().collect();
            let is_key = chars[i..]
                .iter()
                .find(|c| !c.is_whitespace())
                .is_some_and(|c| *c == ':');
            let class = if is_key { "j-key" } else { "j-str" };
            out.push_str(&format!(
                "<span class=\"{class}\">{}</span>",
                escape(&literal)
            ));
        } else if c == '-' || c.is_ascii_digit() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit() || matches!(chars[i], '-' | '+' | '.' | 'e' | 'E'))
            {
                i += 1;
            }
            let literal: String = chars[start..i].iter().collect();
            out.push_str(&format!("<span class=\"j-num\">{literal}</span>"));
        } else if c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphabetic() {
                i += 1;
            }
            let literal: String = chars[start..i].iter().collect();
            out.push_str(&format!("<span class=\"j-lit\">{literal}</span>"));
        } else {
            out.push_str(&escape(&c.to_string()));
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_in_markdown_is_text() {
        let out = markdown("a <script>alert(1)</script> b");
        assert!(!out.contains("<script>"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
    }

    #[test]
    fn tables_are_wrapped() {
        let out = markdown("| a | b |\n| --- | --- |\n| 1 | 2 |\n");
        assert!(out.contains("<div class=\"table-wrap\"><table>"), "{out}");
    }

    #[test]
    fn json_keys_and_values_get_classes() {
        let out = json(&serde_json::json!({"a<": "x\"y", "n": -1.5, "t": true}));
        assert!(
            out.contains("<span class=\"j-key\">&quot;a&lt;&quot;</span>"),
            "{out}"
        );
        assert!(
            out.contains("<span class=\"j-str\">&quot;x\\&quot;y&quot;</span>"),
            "{out}"
        );
        assert!(out.contains("<span class=\"j-num\">-1.5</span>"), "{out}");
        assert!(out.contains("<span class=\"j-lit\">true</span>"), "{out}");
    }

    #[test]
    fn anchors_keep_only_safe_characters() {
        assert_eq!(anchor("op", "Get Pet/1"), "op-Get-Pet-1");
    }
}
