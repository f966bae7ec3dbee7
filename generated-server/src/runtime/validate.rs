//! Validation primitives the generated validators call: each checks one rule on one JSON
//! value and records a violation with the value's JSON pointer. Nothing stops at the
//! first problem, so a rejection lists them all.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, OnceLock};

use serde_json::{Map, Value};

/// A JSON pointer that grows and shrinks as a validator walks into a value.
#[derive(Debug, Clone, Default)]
pub struct Pointer {
    text: String,
    marks: Vec<usize>,
}

impl Pointer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Steps into property `name`.
    pub fn push(&mut self, name: &str) {
        self.marks.push(self.text.len());
        self.text.push('/');
        for c in name.chars() {
            match c {
                '~' => self.text.push_str("~0"),
                '/' => self.text.push_str("~1"),
                c => self.text.push(c),
            }
        }
    }

    /// Steps into array item `index`.
    pub fn push_index(&mut self, index: usize) {
        self.marks.push(self.text.len());
        self.text.push('/');
        self.text.push_str(&index.to_string());
    }

    /// Steps back out.
    pub fn pop(&mut self) {
        if let Some(mark) = self.marks.pop() {
            self.text.truncate(mark);
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// A validator for one value: the generated per-schema functions and closures.
pub type Check<'a> = &'a dyn Fn(&Value, &mut Pointer, &mut Violations);

/// Numeric bounds from the spec.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bounds {
    pub minimum: Option<f64>,
    pub exclusive_minimum: bool,
    pub maximum: Option<f64>,
    pub exclusive_maximum: bool,
    pub multiple_of: Option<f64>,
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// `None` for the body, or the parameter's location and name.
    pub parameter: Option<(&'static str, &'static str)>,
    /// JSON pointer within the body or parameter value; empty for the whole value.
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.parameter, self.pointer.is_empty()) {
            (Some((location, name)), true) => {
                write!(f, "{location} parameter `{name}`: {}", self.message)
            }
            (Some((location, name)), false) => write!(
                f,
                "{location} parameter `{name}` {}: {}",
                self.pointer, self.message
            ),
            (None, true) => write!(f, "request body: {}", self.message),
            (None, false) => write!(f, "{}: {}", self.pointer, self.message),
        }
    }
}

/// Every violation found in one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Violations {
    list: Vec<Violation>,
    parameter: Option<(&'static str, &'static str)>,
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.list.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl Violations {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Violation> {
        self.list.iter()
    }

    /// Records violations against a parameter until `clear_param`.
    pub fn set_param(&mut self, location: &'static str, name: &'static str) {
        self.parameter = Some((location, name));
    }

    pub fn clear_param(&mut self) {
        self.parameter = None;
    }

    /// Records a violation at `at`.
    pub fn push(&mut self, at: &Pointer, message: String) {
        self.push_at(at.as_str().to_string(), message);
    }

    /// Records a violation at a pointer given as text.
    pub fn push_at(&mut self, pointer: String, message: String) {
        self.list.push(Violation {
            parameter: self.parameter,
            pointer,
            message,
        });
    }

    fn wrong_type(&mut self, at: &Pointer, expected: &str, found: &Value) {
        self.push(at, format!("expected {expected}, found {}", kind(found)));
    }

    /// The value as an object, or a violation.
    pub fn object<'v>(&mut self, value: &'v Value, at: &Pointer) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(object) => Some(object),
            other => {
                self.wrong_type(at, "an object", other);
                None
            }
        }
    }

    /// Each of `names` must be present.
    pub fn required(&mut self, object: &Map<String, Value>, at: &mut Pointer, names: &[&str]) {
        for name in names {
            if !object.contains_key(*name) {
                at.push(name);
                self.push(at, "required".to_string());
                at.pop();
            }
        }
    }

    /// The value must be one of the listed strings.
    pub fn enumeration(&mut self, value: &Value, at: &Pointer, allowed: &[&str]) {
        match value {
            Value::String(s) if allowed.contains(&s.as_str()) => {}
            Value::String(s) => {
                self.push(at, format!("{s:?} is not one of: {}", allowed.join(", ")))
            }
            other => self.wrong_type(at, "a string", other),
        }
    }

    /// A string with optional length limits (in characters), pattern and format.
    pub fn string(
        &mut self,
        value: &Value,
        at: &Pointer,
        min: Option<usize>,
        max: Option<usize>,
        pattern: Option<&'static str>,
        format: Option<&str>,
    ) {
        let Value::String(s) = value else {
            self.wrong_type(at, "a string", value);
            return;
        };
        if min.is_some() || max.is_some() {
            let length = s.chars().count();
            if let Some(max) = max.filter(|max| length > *max) {
                self.push(at, format!("longer than {max} characters ({length})"));
            }
            if let Some(min) = min.filter(|min| length < *min) {
                self.push(at, format!("shorter than {min} characters ({length})"));
            }
        }
        if let Some(pattern) = pattern {
            match regex(pattern) {
                Some(re) if !re.is_match(s) => {
                    self.push(at, format!("does not match the pattern `{pattern}`"))
                }
                Some(_) => {}
                None => self.push(
                    at,
                    format!("the spec's pattern `{pattern}` cannot be checked"),
                ),
            }
        }
        match format {
            Some("date-time") if !is_date_time(s) => {
                self.push(at, "not an RFC 3339 date-time".to_string())
            }
            Some("date") if !is_date(s) => {
                self.push(at, "not an RFC 3339 full-date (YYYY-MM-DD)".to_string())
            }
            _ => {}
        }
    }

    /// An integer in the range of its format and within the spec's bounds.
    pub fn integer(
        &mut self,
        value: &Value,
        at: &Pointer,
        format: &str,
        low: f64,
        high: f64,
        bounds: Bounds,
    ) {
        let Value::Number(n) = value else {
            self.wrong_type(at, "an integer", value);
            return;
        };
        let as_float = if let Some(i) = n.as_i64() {
            i as f64
        } else if let Some(u) = n.as_u64() {
            u as f64
        } else {
            self.push(at, format!("expected an integer, found {n}"));
            return;
        };
        if as_float < low || as_float > high {
            self.push(at, format!("{n} does not fit in {format}"));
            return;
        }
        self.bounds(n, as_float, at, bounds);
    }

    /// A number within the spec's bounds.
    pub fn number(&mut self, value: &Value, at: &Pointer, format: &str, bounds: Bounds) {
        let Value::Number(n) = value else {
            self.wrong_type(at, "a number", value);
            return;
        };
        let Some(f) = n.as_f64() else {
            self.push(at, format!("{n} is not a {format}"));
            return;
        };
        if format == "float" && f.is_finite() && (f as f32).is_infinite() {
            self.push(at, format!("{n} does not fit in a float"));
        }
        self.bounds(n, f, at, bounds);
    }

    fn bounds(&mut self, n: &serde_json::Number, f: f64, at: &Pointer, bounds: Bounds) {
        if let Some(min) = bounds.minimum {
            if f < min || (bounds.exclusive_minimum && f == min) {
                let op = if bounds.exclusive_minimum {
                    "greater than"
                } else {
                    "at least"
                };
                self.push(at, format!("{n} must be {op} {min}"));
            }
        }
        if let Some(max) = bounds.maximum {
            if f > max || (bounds.exclusive_maximum && f == max) {
                let op = if bounds.exclusive_maximum {
                    "less than"
                } else {
                    "at most"
                };
                self.push(at, format!("{n} must be {op} {max}"));
            }
        }
        if let Some(m) = bounds.multiple_of.filter(|m| *m > 0.0) {
            if (f / m).fract().abs() > 1e-9 {
                self.push(at, format!("{n} is not a multiple of {m}"));
            }
        }
    }

    pub fn boolean(&mut self, value: &Value, at: &Pointer) {
        if !value.is_boolean() {
            self.wrong_type(at, "a boolean", value);
        }
    }

    /// The value as an array within the item limits, or a violation.
    pub fn array<'v>(
        &mut self,
        value: &'v Value,
        at: &Pointer,
        min: Option<usize>,
        max: Option<usize>,
        unique: bool,
    ) -> Option<&'v Vec<Value>> {
        let Value::Array(items) = value else {
            self.wrong_type(at, "an array", value);
            return None;
        };
        if let Some(max) = max.filter(|max| items.len() > *max) {
            self.push(at, format!("more than {max} items ({})", items.len()));
        }
        if let Some(min) = min.filter(|min| items.len() < *min) {
            self.push(at, format!("fewer than {min} items ({})", items.len()));
        }
        if unique
            && items
                .iter()
                .enumerate()
                .any(|(i, a)| items[..i].contains(a))
        {
            self.push(at, "items must be unique".to_string());
        }
        Some(items)
    }

    /// The number of properties within the limits.
    pub fn property_count(
        &mut self,
        object: &Map<String, Value>,
        at: &Pointer,
        min: Option<usize>,
        max: Option<usize>,
    ) {
        if let Some(max) = max.filter(|max| object.len() > *max) {
            self.push(at, format!("more than {max} properties"));
        }
        if let Some(min) = min.filter(|min| object.len() < *min) {
            self.push(at, format!("fewer than {min} properties"));
        }
    }

    /// The value must equal one of the JSON values in `allowed` (a JSON array as text).
    pub fn allowed(&mut self, value: &Value, at: &Pointer, allowed: &str) {
        let list: Vec<Value> = serde_json::from_str(allowed).unwrap_or_default();
        if !list.contains(value) {
            self.push(at, format!("{value} is not one of {allowed}"));
        }
    }

    /// At least one alternative must accept the value.
    pub fn any_of(&mut self, value: &Value, at: &mut Pointer, alternatives: &[Check<'_>]) {
        let mut first = None;
        for alternative in alternatives {
            let mut scratch = Violations {
                list: Vec::new(),
                parameter: self.parameter,
            };
            alternative(value, at, &mut scratch);
            if scratch.is_empty() {
                return;
            }
            first.get_or_insert(scratch);
        }
        match first {
            // With one shape that nearly fits, its own complaints are the most useful.
            Some(scratch) if alternatives.len() == 1 => self.list.extend(scratch.list),
            _ => self.push(
                at,
                format!("matches none of the {} allowed shapes", alternatives.len()),
            ),
        }
    }

    /// The discriminator property picks the alternative that must accept the value.
    pub fn discriminated(
        &mut self,
        value: &Value,
        at: &mut Pointer,
        property: &str,
        values: &[&str],
        alternatives: &[Check<'_>],
    ) {
        let Some(object) = self.object(value, at) else {
            return;
        };
        let tag = object.get(property).and_then(Value::as_str);
        match tag.and_then(|t| values.iter().position(|v| *v == t)) {
            Some(index) => alternatives[index](value, at, self),
            None => {
                at.push(property);
                self.push(at, format!("must be one of: {}", values.join(", ")));
                at.pop();
            }
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Compiled patterns, kept for the life of the process (a spec has few).
fn regex(pattern: &'static str) -> Option<regex_lite::Regex> {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Option<regex_lite::Regex>>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    cache
        .entry(pattern)
        .or_insert_with(|| regex_lite::Regex::new(pattern).ok())
        .clone()
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
        && (1..=12).contains(&s[5..7].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u8>().unwrap_or(0))
}

fn is_date_time(s: &str) -> bool {
    let Some((date, time)) = s.split_once(['T', 't']) else {
        return false;
    };
    if !is_date(date) || time.len() < 9 {
        return false;
    }
    let b = time.as_bytes();
    let hms_ok =
        b[2] == b':' && b[5] == b':' && [0, 1, 3, 4, 6, 7].iter().all(|&i| b[i].is_ascii_digit());
    let rest = &time[8..];
    let rest = rest
        .strip_prefix('.')
        .map(|r| r.trim_start_matches(|c: char| c.is_ascii_digit()))
        .unwrap_or(rest);
    let zone_ok = rest.eq_ignore_ascii_case("z")
        || (rest.len() == 6
            && (rest.starts_with('+') || rest.starts_with('-'))
            && rest.as_bytes()[3] == b':');
    hms_ok && zone_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_and_unwind() {
        let mut at = Pointer::new();
        at.push("jobs");
        at.push_index(0);
        at.push("a/b~c");
        assert_eq!(at.as_str(), "/jobs/0/a~1b~0c");
        at.pop();
        at.pop();
        assert_eq!(at.as_str(), "/jobs");
    }

    #[test]
    fn every_violation_is_kept_with_its_pointer() {
        let mut out = Violations::new();
        let mut at = Pointer::new();
        let object = serde_json::json!({"name": "x".repeat(60), "n": 1.5});
        let map = out.object(&object, &at).cloned().unwrap_or_default();
        out.required(&map, &mut at, &["desc", "name"]);
        at.push("name");
        out.string(&map["name"], &at, Some(0), Some(57), None, None);
        at.pop();
        at.push("n");
        out.integer(
            &map["n"],
            &at,
            "int64",
            i64::MIN as f64,
            i64::MAX as f64,
            Bounds::default(),
        );
        at.pop();
        assert_eq!(out.to_string(), "/desc: required; /name: longer than 57 characters (60); /n: expected an integer, found 1.5");
    }

    #[test]
    fn formats_are_checked() {
        assert!(is_date_time("2024-01-02T03:04:05Z"));
        assert!(is_date_time("2024-01-02T03:04:05.123+08:00"));
        assert!(!is_date_time("2024-01-02 03:04:05"));
        assert!(is_date("2024-12-31"));
        assert!(!is_date("2024-13-01"));
    }
}
