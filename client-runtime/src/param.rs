//! Parameters as OpenAPI 3.0 writes them: a value serialized by `style` and `explode`
//! (the "Style Examples" table of the specification) or as JSON text (`content`), into a
//! path segment, query pairs, a header value or cookies.
//!
//! A value is first turned into JSON with serde (so a generated struct, union or enum is
//! written as its wire form), then flattened into text: a scalar, a list of scalars, or
//! the name/value pairs of an object. Each location then joins that text as its style
//! says. In the URL (path, query and cookies) every item is percent-encoded on its own
//! and the delimiters the style adds are written as they are, so that a comma inside an
//! item (`%2C`) is told apart from the comma between items. Headers are written as they
//! are: OpenAPI defines no encoding for them.

use super::ordered::Value;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use super::Error;

/// An OpenAPI 3.0 `style` (which locations take which is checked by the generator).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `name=value` (query and cookie default).
    Form,
    /// `value` (path and header default).
    Simple,
    /// `.value` (path).
    Label,
    /// `;name=value` (path).
    Matrix,
    /// Items separated by spaces (query).
    SpaceDelimited,
    /// Items separated by `|` (query).
    PipeDelimited,
    /// `name[key]=value` (query objects).
    DeepObject,
}

/// How a parameter is written: a style with its `explode` and `allowReserved`, or the
/// JSON text of the value (a parameter described by `content: {application/json: ..}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamFormat {
    style: Option<Style>,
    explode: bool,
    allow_reserved: bool,
}

impl ParamFormat {
    /// `style` with `explode` (arrays and objects as one pair per item or property).
    pub const fn style(style: Style, explode: bool) -> Self {
        ParamFormat {
            style: Some(style),
            explode,
            allow_reserved: false,
        }
    }

    /// The JSON text of the value (`content: {application/json: ..}`).
    pub const JSON: ParamFormat = ParamFormat {
        style: None,
        explode: false,
        allow_reserved: false,
    };

    /// The same, leaving the reserved characters `:/?@!$'()*,;` of a query value
    /// unencoded (`allowReserved: true`). `&`, `=`, `+`, `#`, `[` and `]` are still
    /// encoded: in a query they would change what the server reads.
    pub const fn allow_reserved(mut self) -> Self {
        self.allow_reserved = true;
        self
    }
}

/// Bytes encoded in a path segment, query or cookie: all but `A-Z a-z 0-9 - . _ ~`
/// (what `runtime::path_segment` and the signer encode).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `COMPONENT` with the dot too: the item delimiter of the label style.
const LABEL: &AsciiSet = &COMPONENT.add(b'.');

/// `COMPONENT` without the reserved characters that `allowReserved` keeps.
const RESERVED: &AsciiSet = &COMPONENT
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b',')
    .remove(b';');

fn encode(text: &str, set: &'static AsciiSet) -> String {
    utf8_percent_encode(text, set).to_string()
}

/// A value flattened for a style.
#[derive(Debug, Clone, PartialEq)]
enum Flat {
    /// `null`: the "empty" column of the style table.
    Empty,
    Text(String),
    List(Vec<String>),
    /// Properties in order; a nested object or array stays one (only `deepObject`
    /// writes them as such, `name[key][inner]=value` and `name[key]=item` for each item;
    /// other styles write an object as JSON text and an array's items joined by commas).
    Object(Vec<(String, Flat)>),
}

/// A scalar as text: a string as it is, a number or boolean as JSON writes it, `null`
/// as nothing; an array or object (which no style writes inside another) as JSON text.
fn text_of(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn flatten(value: Value) -> Flat {
    match value {
        Value::Null => Flat::Empty,
        Value::Array(items) => Flat::List(items.iter().map(text_of).collect()),
        Value::Object(members) => Flat::Object(
            members
                .into_iter()
                // An absent optional property is left out, as a `null` is: neither can be
                // written.
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| {
                    let v = match v {
                        Value::Object(_) | Value::Array(_) => flatten(v),
                        other => Flat::Text(text_of(&other)),
                    };
                    (k, v)
                })
                .collect(),
        ),
        scalar => Flat::Text(text_of(&scalar)),
    }
}

/// A member's text where styles other than `deepObject` write it.
fn member_text(value: &Flat) -> String {
    match value {
        Flat::Empty => String::new(),
        Flat::Text(t) => t.clone(),
        Flat::List(items) => items.join(","),
        Flat::Object(members) => {
            let object: Vec<(String, Value)> = members
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(member_text(v))))
                .collect();
            Value::Object(object).to_string()
        }
    }
}

/// The value as JSON, or the reason it cannot be serialized.
fn json_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, String> {
    super::ordered::to_value(value).map_err(|err| err.to_string())
}

/// What one parameter adds to the query: decoded pairs (what the signer signs) with the
/// text each takes in the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryPair {
    pub name: String,
    pub value: String,
    /// `name=value` as sent, encoded.
    pub wire: String,
}

impl QueryPair {
    /// A pair whose name and value are encoded whole.
    pub(crate) fn plain(name: String, value: String, set: &'static AsciiSet) -> Self {
        let wire = format!("{}={}", encode(&name, COMPONENT), encode(&value, set));
        QueryPair { name, value, wire }
    }

    /// A pair whose value is `items` joined by `delimiter`, each item encoded on its own
    /// and the delimiter written as `wire_delimiter`.
    fn joined(
        name: String,
        items: &[String],
        delimiter: &str,
        wire_delimiter: &str,
        set: &'static AsciiSet,
    ) -> Self {
        let wire_items: Vec<String> = items.iter().map(|i| encode(i, set)).collect();
        QueryPair {
            wire: format!(
                "{}={}",
                encode(&name, COMPONENT),
                wire_items.join(wire_delimiter)
            ),
            value: items.join(delimiter),
            name,
        }
    }
}

/// The encoding of query values in the default case.
pub(crate) const QUERY: &AsciiSet = COMPONENT;

/// The items of a list, or the names and values of an object in turn (`R,100,G,200`),
/// or `name=value` per property when `explode` (`R=100,G=200`).
fn items_of(flat: &Flat, explode: bool, set: &'static AsciiSet) -> Vec<String> {
    match flat {
        Flat::Empty => Vec::new(),
        Flat::Text(t) => vec![encode(t, set)],
        Flat::List(items) => items.iter().map(|i| encode(i, set)).collect(),
        Flat::Object(members) if explode => members
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k, set), encode(&member_text(v), set)))
            .collect(),
        Flat::Object(members) => members
            .iter()
            .flat_map(|(k, v)| [encode(k, set), encode(&member_text(v), set)])
            .collect(),
    }
}

/// The same items, unencoded (what a decoder reads back).
fn raw_items(flat: &Flat) -> Vec<String> {
    match flat {
        Flat::Empty => Vec::new(),
        Flat::Text(t) => vec![t.clone()],
        Flat::List(items) => items.clone(),
        Flat::Object(members) => members
            .iter()
            .flat_map(|(k, v)| [k.clone(), member_text(v)])
            .collect(),
    }
}

/// The query pairs of one parameter.
pub(crate) fn query_pairs<T: Serialize + ?Sized>(
    name: &str,
    format: ParamFormat,
    value: &T,
) -> Result<Vec<QueryPair>, String> {
    let set = if format.allow_reserved {
        RESERVED
    } else {
        COMPONENT
    };
    let value = json_value(value)?;
    let Some(style) = format.style else {
        return Ok(vec![QueryPair::plain(
            name.to_string(),
            value.to_string(),
            set,
        )]);
    };
    let flat = flatten(value);
    let pair = |n: &str, v: String| QueryPair::plain(n.to_string(), v, set);
    Ok(match (&flat, style, format.explode) {
        (Flat::Empty, ..) => vec![pair(name, String::new())],
        (Flat::Text(t), ..) => vec![pair(name, t.clone())],
        (Flat::Object(members), Style::DeepObject, _) => {
            let mut out = Vec::new();
            deep_pairs(name, members, set, &mut out);
            out
        }
        (Flat::List(items), _, true) | (Flat::List(items), Style::DeepObject, false) => {
            items.iter().map(|i| pair(name, i.clone())).collect()
        }
        (Flat::Object(members), _, true) => members
            .iter()
            .map(|(k, v)| pair(k, member_text(v)))
            .collect(),
        (_, Style::SpaceDelimited, false) => vec![QueryPair::joined(
            name.to_string(),
            &raw_items(&flat),
            " ",
            "%20",
            set,
        )],
        (_, Style::PipeDelimited, false) => vec![QueryPair::joined(
            name.to_string(),
            &raw_items(&flat),
            "|",
            "|",
            set,
        )],
        // Form, and any other style a query cannot have.
        (_, _, false) => vec![QueryPair::joined(
            name.to_string(),
            &raw_items(&flat),
            ",",
            ",",
            set,
        )],
    })
}

/// `name[key]=value` for every property, `name[key][inner]=value` for nested objects.
fn deep_pairs(
    prefix: &str,
    members: &[(String, Flat)],
    set: &'static AsciiSet,
    out: &mut Vec<QueryPair>,
) {
    for (key, value) in members {
        let name = format!("{prefix}[{key}]");
        match value {
            Flat::Object(inner) => deep_pairs(&name, inner, set, out),
            Flat::List(items) => {
                out.extend(
                    items
                        .iter()
                        .map(|i| QueryPair::plain(name.clone(), i.clone(), set)),
                );
            }
            other => out.push(QueryPair::plain(name, member_text(other), set)),
        }
    }
}

/// The text of a path parameter in its place in the path, percent-encoded: `blue`,
/// `.blue`, `;color=blue`, ...
pub(crate) fn path_text<T: Serialize + ?Sized>(
    name: &str,
    format: ParamFormat,
    value: &T,
) -> Result<String, String> {
    let value = json_value(value)?;
    let Some(style) = format.style else {
        return Ok(encode(&value.to_string(), COMPONENT));
    };
    let flat = flatten(value);
    let explode = format.explode;
    Ok(match style {
        Style::Label => match &flat {
            // `.R=100.G=200` when exploded, `.R.100.G.200` otherwise; a list is `.a.b`
            // either way.
            Flat::Object(_) => format!(".{}", items_of(&flat, explode, LABEL).join(".")),
            _ => format!(".{}", items_of(&flat, false, LABEL).join(".")),
        },
        Style::Matrix => {
            let name = encode(name, COMPONENT);
            match (&flat, explode) {
                (Flat::Empty, _) => format!(";{name}"),
                (Flat::List(items), true) => items
                    .iter()
                    .map(|i| format!(";{name}={}", encode(i, COMPONENT)))
                    .collect(),
                (Flat::Object(_), true) => items_of(&flat, true, COMPONENT)
                    .iter()
                    .map(|pair| format!(";{pair}"))
                    .collect(),
                _ => format!(";{name}={}", items_of(&flat, false, COMPONENT).join(",")),
            }
        }
        // Simple, and any other style a path cannot have.
        _ => items_of(&flat, explode, COMPONENT).join(","),
    })
}

/// The value of a header parameter: the simple style, unencoded, or JSON text.
pub(crate) fn header_text<T: Serialize + ?Sized>(
    format: ParamFormat,
    value: &T,
) -> Result<String, String> {
    let value = json_value(value)?;
    if format.style.is_none() {
        return Ok(value.to_string());
    }
    let flat = flatten(value);
    Ok(match &flat {
        Flat::Object(members) if format.explode => members
            .iter()
            .map(|(k, v)| format!("{k}={}", member_text(v)))
            .collect::<Vec<_>>()
            .join(","),
        _ => raw_items(&flat).join(","),
    })
}

/// The `name=value` cookies of a cookie parameter (the form style), values
/// percent-encoded: several for an exploded array or object.
pub(crate) fn cookie_pairs<T: Serialize + ?Sized>(
    name: &str,
    format: ParamFormat,
    value: &T,
) -> Result<Vec<String>, String> {
    let value = json_value(value)?;
    let cookie = |n: &str, v: &str| format!("{}={}", encode(n, COMPONENT), v);
    if format.style.is_none() {
        return Ok(vec![cookie(name, &encode(&value.to_string(), COMPONENT))]);
    }
    let flat = flatten(value);
    Ok(match (&flat, format.explode) {
        (Flat::List(items), true) => items
            .iter()
            .map(|i| cookie(name, &encode(i, COMPONENT)))
            .collect(),
        (Flat::Object(members), true) => members
            .iter()
            .map(|(k, v)| cookie(k, &encode(&member_text(v), COMPONENT)))
            .collect(),
        _ => vec![cookie(name, &items_of(&flat, false, COMPONENT).join(","))],
    })
}

/// The text of path parameter `name` of operation `operation_id` in its place in the
/// path, percent-encoded as its style says (`blue`, `.blue`, `;color=blue`, ...).
pub fn path_param<T: Serialize + ?Sized, E>(
    operation_id: &'static str,
    name: &str,
    format: ParamFormat,
    value: &T,
) -> Result<String, Error<E>> {
    path_text(name, format, value).map_err(|message| Error::InvalidRequest {
        operation_id,
        message: format!("path parameter `{name}`: {message}"),
    })
}

#[cfg(test)]
mod tests {
    //! The "Style Examples" of OpenAPI 3.0.3, for a parameter `color` that is
    //! `"blue"`, `["blue", "black", "brown"]` or `{"R": 100, "G": 200, "B": 150}`.

    use super::*;
    use serde_json::{json, Value};

    fn string() -> Value {
        json!("blue")
    }

    fn array() -> Value {
        json!(["blue", "black", "brown"])
    }

    /// R, G, B in this order, as a struct with these fields serializes (a
    /// `serde_json::Value` would sort them without `preserve_order`).
    fn object() -> super::super::ordered::Value {
        use super::super::ordered::Value;
        Value::Object(
            [("R", 100), ("G", 200), ("B", 150)]
                .map(|(k, v)| (k.to_string(), Value::Number(v.into())))
                .to_vec(),
        )
    }

    fn path(style: Style, explode: bool, value: impl Serialize) -> String {
        path_text("color", ParamFormat::style(style, explode), &value).expect("serializes")
    }

    /// The query as sent: the wire forms joined with `&`.
    fn query(style: Style, explode: bool, value: impl Serialize) -> String {
        query_with(ParamFormat::style(style, explode), value)
    }

    fn query_with(format: ParamFormat, value: impl Serialize) -> String {
        query_pairs("color", format, &value)
            .expect("serializes")
            .iter()
            .map(|p| p.wire.clone())
            .collect::<Vec<_>>()
            .join("&")
    }

    #[test]
    fn matrix() {
        assert_eq!(path(Style::Matrix, false, Value::Null), ";color");
        assert_eq!(path(Style::Matrix, false, string()), ";color=blue");
        assert_eq!(
            path(Style::Matrix, false, array()),
            ";color=blue,black,brown"
        );
        assert_eq!(
            path(Style::Matrix, false, object()),
            ";color=R,100,G,200,B,150"
        );
        assert_eq!(path(Style::Matrix, true, Value::Null), ";color");
        assert_eq!(path(Style::Matrix, true, string()), ";color=blue");
        assert_eq!(
            path(Style::Matrix, true, array()),
            ";color=blue;color=black;color=brown"
        );
        assert_eq!(path(Style::Matrix, true, object()), ";R=100;G=200;B=150");
    }

    #[test]
    fn label() {
        assert_eq!(path(Style::Label, false, Value::Null), ".");
        assert_eq!(path(Style::Label, false, string()), ".blue");
        assert_eq!(path(Style::Label, false, array()), ".blue.black.brown");
        assert_eq!(path(Style::Label, false, object()), ".R.100.G.200.B.150");
        assert_eq!(path(Style::Label, true, Value::Null), ".");
        assert_eq!(path(Style::Label, true, string()), ".blue");
        assert_eq!(path(Style::Label, true, array()), ".blue.black.brown");
        assert_eq!(path(Style::Label, true, object()), ".R=100.G=200.B=150");
    }

    #[test]
    fn form() {
        assert_eq!(query(Style::Form, false, Value::Null), "color=");
        assert_eq!(query(Style::Form, false, string()), "color=blue");
        assert_eq!(query(Style::Form, false, array()), "color=blue,black,brown");
        assert_eq!(
            query(Style::Form, false, object()),
            "color=R,100,G,200,B,150"
        );
        assert_eq!(query(Style::Form, true, Value::Null), "color=");
        assert_eq!(query(Style::Form, true, string()), "color=blue");
        assert_eq!(
            query(Style::Form, true, array()),
            "color=blue&color=black&color=brown"
        );
        assert_eq!(query(Style::Form, true, object()), "R=100&G=200&B=150");
    }

    #[test]
    fn simple() {
        assert_eq!(path(Style::Simple, false, string()), "blue");
        assert_eq!(path(Style::Simple, false, array()), "blue,black,brown");
        assert_eq!(path(Style::Simple, false, object()), "R,100,G,200,B,150");
        assert_eq!(path(Style::Simple, true, string()), "blue");
        assert_eq!(path(Style::Simple, true, array()), "blue,black,brown");
        assert_eq!(path(Style::Simple, true, object()), "R=100,G=200,B=150");
        fn header(explode: bool, value: impl Serialize) -> Result<String, String> {
            header_text(ParamFormat::style(Style::Simple, explode), &value)
        }
        assert_eq!(header(false, string()).as_deref(), Ok("blue"));
        assert_eq!(header(false, array()).as_deref(), Ok("blue,black,brown"));
        assert_eq!(header(false, object()).as_deref(), Ok("R,100,G,200,B,150"));
        assert_eq!(header(true, array()).as_deref(), Ok("blue,black,brown"));
        assert_eq!(header(true, object()).as_deref(), Ok("R=100,G=200,B=150"));
    }

    #[test]
    fn space_and_pipe_delimited() {
        assert_eq!(
            query(Style::SpaceDelimited, false, array()),
            "color=blue%20black%20brown"
        );
        assert_eq!(
            query(Style::SpaceDelimited, false, object()),
            "color=R%20100%20G%20200%20B%20150"
        );
        assert_eq!(
            query(Style::PipeDelimited, false, array()),
            "color=blue|black|brown"
        );
        assert_eq!(
            query(Style::PipeDelimited, false, object()),
            "color=R|100|G|200|B|150"
        );
        // Exploded, they repeat the name, as the form style does.
        assert_eq!(
            query(Style::PipeDelimited, true, array()),
            "color=blue&color=black&color=brown"
        );
    }

    #[test]
    fn deep_object() {
        assert_eq!(
            query(Style::DeepObject, true, object()),
            "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"
        );
        // A struct, so that the properties come in declared order (`rgb` before `name`).
        #[derive(Serialize)]
        struct Rgb {
            #[serde(rename = "R")]
            r: u8,
        }
        #[derive(Serialize)]
        struct Nested {
            rgb: Rgb,
            name: &'static str,
        }
        let pairs = query_pairs(
            "color",
            ParamFormat::style(Style::DeepObject, true),
            &Nested {
                rgb: Rgb { r: 1 },
                name: "x",
            },
        )
        .expect("serializes");
        let decoded: Vec<(&str, &str)> = pairs
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(decoded, [("color[rgb][R]", "1"), ("color[name]", "x")]);
        assert_eq!(
            query(Style::DeepObject, true, json!({"tags": ["a", "b"]})),
            "color%5Btags%5D=a&color%5Btags%5D=b",
            "an array property is repeated pairs"
        );
    }

    #[test]
    fn items_are_encoded_and_delimiters_are_not() {
        let value = json!(["a,b", "c d", "é/"]);
        assert_eq!(
            query(Style::Form, false, value.clone()),
            "color=a%2Cb,c%20d,%C3%A9%2F"
        );
        assert_eq!(
            path(Style::Simple, false, value.clone()),
            "a%2Cb,c%20d,%C3%A9%2F"
        );
        assert_eq!(
            path(Style::Label, false, json!(["1.5", "x"])),
            ".1%2E5.x",
            "a dot inside a label item is encoded"
        );
        // The decoded pair is what the server reads back: the signer signs it.
        let pairs = query_pairs("color", ParamFormat::style(Style::Form, false), &value)
            .expect("serializes");
        assert_eq!(pairs[0].value, "a,b,c d,é/");
    }

    #[test]
    fn reserved_characters_are_kept_when_allowed() {
        let value = json!("a/b:c?d@e,f;g&h=i+j#k[l]");
        assert_eq!(
            query_with(ParamFormat::style(Style::Form, true), value.clone()),
            "color=a%2Fb%3Ac%3Fd%40e%2Cf%3Bg%26h%3Di%2Bj%23k%5Bl%5D"
        );
        assert_eq!(
            query_with(
                ParamFormat::style(Style::Form, true).allow_reserved(),
                value
            ),
            "color=a/b:c?d@e,f;g%26h%3Di%2Bj%23k%5Bl%5D"
        );
    }

    #[test]
    fn json_content_is_the_values_json_text() {
        let value = json!({"lat": 1.5, "long": -2});
        assert_eq!(
            query_with(ParamFormat::JSON, value.clone()),
            "color=%7B%22lat%22%3A1.5%2C%22long%22%3A-2%7D"
        );
        assert_eq!(
            header_text(ParamFormat::JSON, &value).as_deref(),
            Ok(r#"{"lat":1.5,"long":-2}"#)
        );
        assert_eq!(
            path_text("color", ParamFormat::JSON, &json!("x")).as_deref(),
            Ok("%22x%22")
        );
    }

    #[test]
    fn cookies() {
        let form = |explode| ParamFormat::style(Style::Form, explode);
        assert_eq!(
            cookie_pairs("color", form(true), &string()),
            Ok(vec!["color=blue".to_string()])
        );
        assert_eq!(
            cookie_pairs("color", form(false), &array()),
            Ok(vec!["color=blue,black,brown".to_string()])
        );
        assert_eq!(
            cookie_pairs("color", form(true), &array()),
            Ok(vec![
                "color=blue".to_string(),
                "color=black".to_string(),
                "color=brown".to_string()
            ])
        );
        assert_eq!(
            cookie_pairs("color", form(true), &object()),
            Ok(vec![
                "R=100".to_string(),
                "G=200".to_string(),
                "B=150".to_string()
            ])
        );
        assert_eq!(
            cookie_pairs("color", form(false), &json!("a; b")),
            Ok(vec!["color=a%3B%20b".to_string()])
        );
    }

    #[test]
    fn scalars_are_written_as_json_writes_them() {
        assert_eq!(query(Style::Form, true, json!(1.5)), "color=1.5");
        assert_eq!(query(Style::Form, true, json!(true)), "color=true");
        assert_eq!(query(Style::Form, true, json!(-7)), "color=-7");
        // A scalar under a style meant for arrays or objects is its one value.
        assert_eq!(query(Style::DeepObject, true, string()), "color=blue");
        assert_eq!(query(Style::PipeDelimited, false, string()), "color=blue");
    }

    #[test]
    fn absent_properties_are_left_out() {
        assert_eq!(query(Style::Form, true, json!({"a": 1, "b": null})), "a=1");
    }
}
