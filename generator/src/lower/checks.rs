//! Checks of one schema's keywords where it is used: what no value can satisfy is
//! refused, what the generated code cannot enforce or would misread is dropped with a
//! warning, and `format`s the generator does not know get a note.
//!
//! - Contradictory bounds (`minLength` above `maxLength`, `minimum` above `maximum`,
//!   `minItems` above `maxItems`, `minProperties` above `maxProperties`) leave no value
//!   that fits: an `invalid` error at the lower bound.
//! - A `pattern` is compiled here with the server runtime's regex engine (`regex-lite`,
//!   the same version range as `server-runtime/Cargo.toml`). One it cannot compile
//!   (look-around, back-references, `\p{..}` classes, or an invalid expression) is a
//!   warning naming the construct, and is not enforced: the server would otherwise
//!   skip it silently.
//! - A `default` of another type than the schema: text that spells a value of the type
//!   (`"false"`, `"10"`) is read as that value, a number or boolean where text is
//!   expected as its text, and anything else is ignored; each is a warning.
//! - A `format` that is neither one the generator reads nor one of the OpenAPI format
//!   registry is read as its base type, with one note per format and spec.
//!
//! `docs/REAL-WORLD.md` lists these decisions.

use super::*;

/// Formats of the OpenAPI format registry (and JSON Schema) that carry no meaning for
/// the generated types beyond their base type: read without a note.
const REGISTERED_FORMATS: &[&str] = &[
    "base64url",
    "char",
    "commonmark",
    "decimal",
    "decimal128",
    "double",
    "duration",
    "email",
    "float",
    "hostname",
    "html",
    "http-date",
    "idn-email",
    "idn-hostname",
    "int8",
    "int16",
    "int32",
    "int64",
    "ipv4",
    "ipv6",
    "iri",
    "iri-reference",
    "json-pointer",
    "media-range",
    "password",
    "regex",
    "relative-json-pointer",
    "time",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "uri",
    "uri-reference",
    "uri-template",
    "uuid",
    "byte",
    "binary",
    "date",
    "date-time",
];

impl Lowerer<'_> {
    /// The constraints of `schema` as the generated code enforces them, with what is
    /// contradictory reported and what cannot be enforced dropped.
    pub(super) fn checked_constraints(&mut self, schema: &OaSchema, pointer: &str) -> Constraints {
        let mut c = super::schema::constraints(schema);
        let pairs = [
            (
                "minLength",
                c.min_length.map(|v| v as f64),
                "maxLength",
                c.max_length.map(|v| v as f64),
            ),
            ("minimum", c.minimum, "maximum", c.maximum),
            (
                "minItems",
                c.min_items.map(|v| v as f64),
                "maxItems",
                c.max_items.map(|v| v as f64),
            ),
            (
                "minProperties",
                c.min_properties.map(|v| v as f64),
                "maxProperties",
                c.max_properties.map(|v| v as f64),
            ),
        ];
        for (low_name, low, high_name, high) in pairs {
            let (Some(low), Some(high)) = (low, high) else {
                continue;
            };
            let exclusive = low_name == "minimum" && (c.exclusive_minimum || c.exclusive_maximum);
            if low > high || (exclusive && low == high) {
                let relation = if low > high {
                    format!("`{low_name}: {low}` is greater than `{high_name}: {high}`")
                } else {
                    format!(
                        "`{low_name}: {low}` equals `{high_name}: {high}` and a bound is exclusive"
                    )
                };
                self.error_rule(
                    &join(pointer, low_name),
                    "invalid",
                    format!("{relation}, so no value fits this schema"),
                );
            }
        }
        if let Some(pattern) = c.pattern.clone() {
            if let Some(problem) = self.pattern_problem(&pattern) {
                self.warn(
                    &join(pointer, "pattern"),
                    "lenient",
                    format!("the server's regex engine (regex-lite) cannot compile this `pattern`, so it is not enforced: {problem}"),
                );
                c.pattern = None;
            }
        }
        c
    }

    /// Why the server runtime cannot compile `pattern`, or `None` when it can; each
    /// distinct pattern is compiled once.
    fn pattern_problem(&mut self, pattern: &str) -> Option<String> {
        if let Some(known) = self.patterns.get(pattern) {
            return known.clone();
        }
        let problem = regex_lite::Regex::new(pattern).err().map(|err| {
            // regex-lite's messages are one paragraph; the first line says what it is.
            let text = err.to_string();
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        });
        self.patterns.insert(pattern.to_string(), problem.clone());
        problem
    }

    /// The `default` of a schema whose type is `ty`, as a value of that type: see the
    /// module documentation.
    pub(super) fn checked_default(
        &mut self,
        default: Option<&Value>,
        ty: &TypeRef,
        pointer: &str,
    ) -> Option<Value> {
        let value = default?;
        if value.is_null() {
            return Some(value.clone());
        }
        let expected = match ty {
            TypeRef::String(_) => "string",
            TypeRef::Integer(_) => "integer",
            TypeRef::Number(_) => "number",
            TypeRef::Boolean => "boolean",
            TypeRef::Array(_) => "array",
            TypeRef::Map(_) | TypeRef::FreeObject => "object",
            TypeRef::Named(id) => match &self.types[id.0].kind {
                TypeKind::Struct(_) => "object",
                TypeKind::Enum(_) => "string",
                _ => return Some(value.clone()),
            },
            TypeRef::Any => return Some(value.clone()),
        };
        let fits = match expected {
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "array" => value.is_array(),
            _ => value.is_object(),
        };
        if fits {
            return Some(value.clone());
        }
        let read = match (expected, value) {
            ("string", Value::Number(_) | Value::Bool(_)) => Some(Value::String(value.to_string())),
            ("integer", Value::String(text)) => text.trim().parse::<i64>().ok().map(Value::from),
            ("integer", Value::Number(n)) => n
                .as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| Value::from(f as i64)),
            ("number", Value::String(text)) => text
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number),
            ("boolean", Value::String(text)) => match text.trim() {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            },
            _ => None,
        };
        let at = join(pointer, "default");
        match read {
            Some(read) => {
                self.warn(
                    &at,
                    "lenient",
                    format!(
                        "`default: {value}` is not {}; it is read as `{read}`",
                        article(expected)
                    ),
                );
                Some(read)
            }
            None => {
                self.warn(
                    &at,
                    "lenient",
                    format!("`default: {value}` is not {}, so it cannot be this schema's default; it is ignored", article(expected)),
                );
                None
            }
        }
    }

    /// A note for a `format` of `typ` that the generator neither reads nor finds in the
    /// format registry, once per format.
    pub(super) fn note_format(&mut self, format: &str, typ: &str, pointer: &str) {
        if REGISTERED_FORMATS.contains(&format) || !self.noted_formats.insert(format.to_string()) {
            return;
        }
        let diagnostic = self.spec.note(
            &join(pointer, "format"),
            "format",
            format!("`format: {format}` is not a format the generator knows; values are read as plain `{typ}`s (noted once, at its first use)"),
        );
        self.diags.push(diagnostic);
    }
}

/// `a string`, `an integer`, `an array`, `an object`.
fn article(noun: &str) -> String {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {noun}")
    } else {
        format!("a {noun}")
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{errors_of, lower_yaml_with_warnings, type_named};
    use super::*;

    const HOLDER: &str = "paths: {}\ncomponents:\n  schemas:\n    Holder:\n      type: object\n      properties:\n        value: ";

    #[test]
    fn contradictory_bounds_are_refused_at_the_lower_bound() {
        for (schema, pointer) in [
            ("{type: string, minLength: 5, maxLength: 3}", "minLength"),
            ("{type: integer, minimum: 5, maximum: 3}", "minimum"),
            (
                "{type: number, minimum: 1, maximum: 1, exclusiveMaximum: true}",
                "minimum",
            ),
            (
                "{type: array, items: {}, minItems: 2, maxItems: 1}",
                "minItems",
            ),
        ] {
            let errors = errors_of(&format!("{HOLDER}{schema}\n"));
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert!(
                errors[0].starts_with(&format!(
                    "error[invalid]: spec.yaml#/components/schemas/Holder/properties/value/{pointer} (line 9)"
                )),
                "{}",
                errors[0]
            );
            assert!(errors[0].contains("no value fits"), "{}", errors[0]);
        }
    }

    #[test]
    fn patterns_the_runtime_cannot_compile_are_not_enforced_with_a_warning() {
        let (api, warnings) = lower_yaml_with_warnings(&format!(
            "{HOLDER}{{type: string, pattern: '^(?!admin).*$'}}\n"
        ))
        .expect("accepted");
        let TypeKind::Struct(s) = &type_named(&api, "Holder").kind else {
            panic!("a struct");
        };
        assert_eq!(s.fields[0].schema.constraints.pattern, None);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let text = warnings[0].to_string();
        assert!(
            text.starts_with("warning[lenient]: spec.yaml#/components/schemas/Holder/properties/value/pattern (line 9): the server's regex engine (regex-lite) cannot compile"),
            "{text}"
        );
        assert!(text.contains("look-around"), "{text}");

        let (api, warnings) =
            lower_yaml_with_warnings(&format!("{HOLDER}{{type: string, pattern: '^[a-z]+$'}}\n"))
                .expect("accepted");
        assert!(warnings.is_empty(), "{warnings:?}");
        let TypeKind::Struct(s) = &type_named(&api, "Holder").kind else {
            panic!("a struct");
        };
        assert_eq!(
            s.fields[0].schema.constraints.pattern.as_deref(),
            Some("^[a-z]+$")
        );
    }

    #[test]
    fn defaults_of_another_type_are_read_or_ignored_with_a_warning() {
        for (schema, read, message) in [
            (
                "{type: boolean, default: 'false'}",
                Some(Value::Bool(false)),
                "is read as `false`",
            ),
            (
                "{type: integer, default: '10'}",
                Some(Value::from(10)),
                "is read as `10`",
            ),
            (
                "{type: string, default: 1}",
                Some(Value::from("1")),
                "is read as `\"1\"`",
            ),
            (
                "{type: array, items: {type: string}, default: 'true'}",
                None,
                "it is ignored",
            ),
        ] {
            let (api, warnings) =
                lower_yaml_with_warnings(&format!("{HOLDER}{schema}\n")).expect("accepted");
            let TypeKind::Struct(s) = &type_named(&api, "Holder").kind else {
                panic!("a struct");
            };
            assert_eq!(s.fields[0].schema.default, read, "{schema}");
            assert_eq!(warnings.len(), 1, "{warnings:?}");
            let text = warnings[0].to_string();
            assert!(
                text.starts_with("warning[lenient]: spec.yaml#/components/schemas/Holder/properties/value/default (line 9)"),
                "{text}"
            );
            assert!(text.contains(message), "{text}");
        }
    }

    #[test]
    fn unknown_formats_are_the_base_type_with_one_note() {
        let (api, notes) = lower_yaml_with_warnings(
            "paths: {}\ncomponents:\n  schemas:\n    Holder:\n      type: object\n      properties:\n        a: {type: string, format: google-datetime}\n        b: {type: string, format: google-datetime}\n        c: {type: string, format: uuid}\n        d: {type: number, format: money}\n",
        )
        .expect("accepted");
        let TypeKind::Struct(s) = &type_named(&api, "Holder").kind else {
            panic!("a struct");
        };
        assert_eq!(s.fields[0].schema.ty, TypeRef::String(StringFormat::Plain));
        assert_eq!(s.fields[3].schema.ty, TypeRef::Number(NumFormat::F64));
        let notes: Vec<String> = notes.iter().map(ToString::to_string).collect();
        assert_eq!(
            notes,
            [
                "note[format]: spec.yaml#/components/schemas/Holder/properties/a/format (line 9): `format: google-datetime` is not a format the generator knows; values are read as plain `string`s (noted once, at its first use)",
                "note[format]: spec.yaml#/components/schemas/Holder/properties/d/format (line 12): `format: money` is not a format the generator knows; values are read as plain `number`s (noted once, at its first use)",
            ]
        );
    }
}
