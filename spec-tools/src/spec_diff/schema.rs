//! Schema comparison: a structural walk over the raw JSON of two schemas.
//!
//! openapiv3 parses the same keywords into different Rust shapes (a typed `StringType`
//! or a catch-all `AnySchema`), so schemas are compared in the raw JSON that
//! `spec_model` loaded, where every keyword has one spelling. `$ref`s are followed and
//! an `allOf` with a single member and only annotations beside it is read as that
//! member (`spec_model::all_of::peel_value`), so moving a schema into `components` (or
//! wrapping a `$ref` to add a description) is not a change. Each pair of schemas is
//! compared once per direction, which both ends recursion and keeps a shared schema
//! from being reported once per use.

use std::collections::BTreeSet;

use serde_json::{Map, Value};
use spec_model::all_of::{peel_value, Step};
use spec_model::pointer::join;
use spec_model::resolve::component_name;
use spec_model::{Diagnostic, Pointer};

use super::compare::{Recorder, Side};
use super::model::{
    Direction, Kind, Verdict, BREAKS_BOTH, BREAKS_CLIENTS, BREAKS_SERVERS, COMPATIBLE,
};

/// Rewrites integral floats as integers, so that `1` and `1.0` compare equal.
pub fn canonicalize_numbers(value: &mut Value) {
    match value {
        Value::Number(number) => {
            if let Some(float) = number.as_f64() {
                if number.is_f64() && float.fract() == 0.0 && float.abs() < 9.0e15 {
                    *value = Value::from(float as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(canonicalize_numbers),
        Value::Object(map) => map.values_mut().for_each(canonicalize_numbers),
        Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
}

/// What a schema describes, for messages: `request body`, `request field `Job.name``, ….
///
/// Inside a component schema, fields are named from the component (`Job.name`), so a
/// shared schema reads the same whichever operation reached it first.
#[derive(Clone, Debug)]
pub struct Subject {
    /// The sentence subject for the schema itself.
    root: String,
    /// The noun for a field inside it.
    field: String,
    /// The field path, starting with the component name inside a component.
    path: String,
    /// The length of `path` that names the schema itself.
    root_len: usize,
}

impl Subject {
    /// The body of a request or response.
    pub fn body(direction: Direction) -> Subject {
        Subject {
            root: format!("{} body", direction.noun()),
            field: format!("{} field", direction.noun()),
            path: String::new(),
            root_len: 0,
        }
    }

    /// A named thing with a schema, such as a parameter or a header.
    pub fn named(root: String) -> Subject {
        Subject {
            field: format!("{root} field"),
            root,
            path: String::new(),
            root_len: 0,
        }
    }

    /// A schema in `components/schemas`, reached through a `$ref`.
    fn component(name: &str, direction: Direction) -> Subject {
        Subject {
            root: format!("{} schema {}", direction.noun(), code(name)),
            field: format!("{} field", direction.noun()),
            path: name.to_owned(),
            root_len: name.len(),
        }
    }

    /// The sentence subject: `request body` or `request field `a.b``.
    pub fn describe(&self) -> String {
        if self.path.len() == self.root_len {
            self.root.clone()
        } else {
            format!("{} {}", self.field, code(&self.path))
        }
    }

    fn child(&self, segment: &str, separator: &str) -> Subject {
        let path = if self.path.is_empty() {
            segment.to_owned()
        } else {
            format!("{}{separator}{segment}", self.path)
        };
        Subject {
            path,
            ..self.clone()
        }
    }

    fn property(&self, name: &str) -> Subject {
        self.child(name, ".")
    }

    fn items(&self) -> Subject {
        self.child("[]", "")
    }

    fn values(&self) -> Subject {
        self.child("*", ".")
    }

    fn alternative(&self, keyword: &str, index: usize) -> Subject {
        self.child(&format!("{keyword}[{index}]"), ".")
    }
}

/// Compares two schemas in one direction, recording changes.
pub struct SchemaDiff<'s, 'a> {
    pub base: &'s Side<'a>,
    pub head: &'s Side<'a>,
    pub out: &'s mut Recorder,
    pub direction: Direction,
}

/// A schema after following `$ref`s and unwrapping single-member `allOf`s.
struct Resolved<'v> {
    value: &'v Value,
    /// Where the schema's own keywords live.
    pointer: String,
    /// Where the walk first landed after following `$ref`s (before unwrapping).
    node: String,
    /// The component schema `node` is in, when a `$ref` led there.
    node_component: Option<String>,
    /// The last component schema a `$ref` led to.
    component: Option<String>,
    /// The annotations of the `allOf` wrappers that were unwrapped, outermost first.
    wrapper: Option<Map<String, Value>>,
}

/// The name of the component schema at `pointer`, if that is where it points.
fn schema_name(pointer: &Pointer) -> Option<String> {
    component_name(&format!("#{pointer}"), "schemas")
}

fn peel<'v>(
    side: &'v Side<'_>,
    value: &'v Value,
    pointer: &str,
) -> Result<Resolved<'v>, Diagnostic> {
    let peeled = peel_value(&side.json, value, pointer)
        .map_err(|message| side.spec.error(pointer, "reference", message))?;
    // `node` is set at the first wrapper; with none, it is the schema itself.
    let mut node: Option<(String, Option<String>)> = None;
    let mut component = None;
    let mut wrapper: Option<Map<String, Value>> = None;
    for step in &peeled.steps {
        match step {
            Step::Reference { target } => component = schema_name(target),
            Step::Wrapper {
                pointer,
                wrapper: annotated,
            } => {
                if node.is_none() {
                    node = Some((pointer.to_string(), component.clone()));
                }
                let collected = wrapper.get_or_insert_with(Map::new);
                let annotations = annotated.as_object().into_iter().flatten();
                for (key, value) in annotations.filter(|(key, _)| key.as_str() != "allOf") {
                    collected
                        .entry(key.clone())
                        .or_insert_with(|| value.clone());
                }
            }
        }
    }
    let pointer = peeled.pointer.to_string();
    let (node, node_component) = node.unwrap_or_else(|| (pointer.clone(), component.clone()));
    Ok(Resolved {
        value: peeled.schema,
        pointer,
        node,
        node_component,
        component,
        wrapper,
    })
}

/// Which end of a range a limit keyword bounds.
#[derive(Clone, Copy)]
enum Bound {
    Lower,
    Upper,
}

const LIMITS: &[(&str, Kind, Bound)] = &[
    ("minLength", Kind::MinLengthChanged, Bound::Lower),
    ("maxLength", Kind::MaxLengthChanged, Bound::Upper),
    ("minimum", Kind::MinimumChanged, Bound::Lower),
    ("maximum", Kind::MaximumChanged, Bound::Upper),
    ("minItems", Kind::MinItemsChanged, Bound::Lower),
    ("maxItems", Kind::MaxItemsChanged, Bound::Upper),
    ("minProperties", Kind::MinPropertiesChanged, Bound::Lower),
    ("maxProperties", Kind::MaxPropertiesChanged, Bound::Upper),
];

/// Boolean keywords for which `true` accepts fewer values.
const RESTRICTING_FLAGS: &[(&str, Kind)] = &[
    ("exclusiveMinimum", Kind::ExclusiveMinimumChanged),
    ("exclusiveMaximum", Kind::ExclusiveMaximumChanged),
    ("uniqueItems", Kind::UniqueItemsChanged),
];

/// The three forms of `additionalProperties`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Extra<'v> {
    Any,
    Forbidden,
    Schema(&'v Value),
}

impl Extra<'_> {
    fn name(self) -> &'static str {
        match self {
            Extra::Any => "any value",
            Extra::Forbidden => "forbidden",
            Extra::Schema(_) => "a schema",
        }
    }
}

impl<'s, 'a> SchemaDiff<'s, 'a> {
    /// Compares a BASE schema with a HEAD schema; pointers locate them in their documents.
    pub fn compare(
        &mut self,
        base: &Value,
        base_pointer: &str,
        head: &Value,
        head_pointer: &str,
        subject: &Subject,
    ) {
        let base_side = self.base;
        let head_side = self.head;
        let (base, head) = match (
            peel(base_side, base, base_pointer),
            peel(head_side, head, head_pointer),
        ) {
            (Ok(base), Ok(head)) => (base, head),
            (base, head) => {
                // Nothing to compare; the problems stop the report.
                self.out.problems.extend(base.err());
                self.out.problems.extend(head.err());
                return;
            }
        };
        let key = (self.direction, base.node.clone(), head.node.clone());
        if !self.out.visited.insert(key) {
            return;
        }
        let empty = Map::new();
        let b = base.value.as_object().unwrap_or(&empty);
        let h = head.value.as_object().unwrap_or(&empty);
        let direction = self.direction;
        let naming = |component: Option<&String>| match component {
            Some(name) => Subject::component(name, direction),
            None => subject.clone(),
        };
        if base.wrapper.is_some() || head.wrapper.is_some() {
            // A wrapper's own `nullable`, `default`, … describe the use of the wrapped
            // schema at this place, so they are compared (and reported) here.
            let outer = naming(
                head.node_component
                    .as_ref()
                    .or(base.node_component.as_ref()),
            );
            let old = base.wrapper.as_ref().unwrap_or(&empty);
            let new = head.wrapper.as_ref().unwrap_or(&empty);
            self.compare_annotations(old, new, &head.node, &outer.describe());
        }
        let subject = &naming(head.component.as_ref().or(base.component.as_ref()));
        let at = head.pointer.as_str();
        let s = subject.describe();

        if !self.compare_shape(b, h, at, &s) {
            return;
        }
        self.compare_format(b, h, at, &s);
        self.compare_enum(b, h, at, &s);
        for (keyword, kind, bound) in LIMITS {
            self.compare_limit(b, h, keyword, *kind, *bound, at, &s);
        }
        for (keyword, kind) in RESTRICTING_FLAGS {
            self.compare_flag(b, h, keyword, *kind, at, &s);
        }
        self.compare_multiple_of(b, h, at, &s);
        self.compare_pattern(b, h, at, &s);
        self.compare_annotations(b, h, at, &s);
        self.compare_object(b, &base.pointer, h, &head.pointer, subject);
        if b.contains_key("items") || h.contains_key("items") {
            let any = Value::Object(Map::new());
            self.compare(
                b.get("items").unwrap_or(&any),
                &format!("{}/items", base.pointer),
                h.get("items").unwrap_or(&any),
                &format!("{}/items", head.pointer),
                &subject.items(),
            );
        }
        for keyword in ["allOf", "anyOf", "oneOf"] {
            self.compare_alternatives(keyword, b, &base.pointer, h, &head.pointer, subject);
        }
    }

    fn push(&mut self, pointer: &str, kind: Kind, verdict: Verdict, message: String) {
        self.out.push(pointer.to_owned(), kind, verdict, message);
    }

    /// Compares `type` (or the composition keyword when there is none); returns whether
    /// the schemas are alike enough to compare their other keywords.
    fn compare_shape(
        &mut self,
        b: &Map<String, Value>,
        h: &Map<String, Value>,
        at: &str,
        s: &str,
    ) -> bool {
        let (base_shape, head_shape) = (shape(b), shape(h));
        if base_shape == head_shape {
            return true;
        }
        let (verdict, message) = match (base_shape, head_shape) {
            (None, Some(new)) => (
                self.direction.narrowed(),
                format!(
                    "{s} is now restricted to type {} (it accepted any type)",
                    code(new)
                ),
            ),
            (Some(old), None) => (
                self.direction.widened(),
                format!("{s} now accepts any type (it was {})", code(old)),
            ),
            (old, new) => (
                BREAKS_BOTH,
                format!(
                    "{s} type changed from {} to {}",
                    code(old.unwrap_or("any")),
                    code(new.unwrap_or("any"))
                ),
            ),
        };
        self.push(at, Kind::TypeChanged, verdict, message);
        false
    }

    fn compare_format(
        &mut self,
        b: &Map<String, Value>,
        h: &Map<String, Value>,
        at: &str,
        s: &str,
    ) {
        let (old, new) = (str_of(b, "format"), str_of(h, "format"));
        let (verdict, message) = match (old, new) {
            (Some(old), Some(new)) if old != new => (
                BREAKS_BOTH,
                format!("{s} format changed from {} to {}", code(old), code(new)),
            ),
            (None, Some(new)) => (
                self.direction.narrowed(),
                format!("{s} gained format {}", code(new)),
            ),
            (Some(old), None) => (
                self.direction.widened(),
                format!("{s} lost format {}", code(old)),
            ),
            _ => return,
        };
        self.push(at, Kind::FormatChanged, verdict, message);
    }

    fn compare_enum(&mut self, b: &Map<String, Value>, h: &Map<String, Value>, at: &str, s: &str) {
        let old = b.get("enum").and_then(Value::as_array);
        let new = h.get("enum").and_then(Value::as_array);
        match (old, new) {
            (Some(old), Some(new)) => {
                for value in old.iter().filter(|value| !new.contains(value)) {
                    let message = format!("{s} lost enum value {}", code(&show(value)));
                    self.push(
                        at,
                        Kind::EnumValueRemoved,
                        self.direction.narrowed(),
                        message,
                    );
                }
                for value in new.iter().filter(|value| !old.contains(value)) {
                    let message = format!("{s} gained enum value {}", code(&show(value)));
                    self.push(at, Kind::EnumValueAdded, self.direction.widened(), message);
                }
            }
            (None, Some(new)) => {
                let message = format!("{s} is now restricted to the values {}", list(new));
                self.push(at, Kind::EnumAdded, self.direction.narrowed(), message);
            }
            (Some(old), None) => {
                let message = format!("{s} is no longer restricted to the values {}", list(old));
                self.push(at, Kind::EnumRemoved, self.direction.widened(), message);
            }
            (None, None) => {}
        }
    }

    #[allow(clippy::too_many_arguments)] // One call site, in a loop over the limit table.
    fn compare_limit(
        &mut self,
        b: &Map<String, Value>,
        h: &Map<String, Value>,
        keyword: &str,
        kind: Kind,
        bound: Bound,
        at: &str,
        s: &str,
    ) {
        let old = b.get(keyword).and_then(Value::as_f64);
        let new = h.get(keyword).and_then(Value::as_f64);
        let (narrowed, message) = match (old, new) {
            (Some(old), Some(new)) if old == new => return,
            (Some(old), Some(new)) => {
                let verb = if new < old { "lowered" } else { "raised" };
                let narrowed = match bound {
                    Bound::Lower => new > old,
                    Bound::Upper => new < old,
                };
                let message = format!(
                    "{s} `{keyword}` {verb} from {} to {}",
                    number(old),
                    number(new)
                );
                (narrowed, message)
            }
            (None, Some(new)) => (true, format!("{s} gained `{keyword}: {}`", number(new))),
            (Some(old), None) => (false, format!("{s} lost `{keyword}: {}`", number(old))),
            (None, None) => return,
        };
        let verdict = if narrowed {
            self.direction.narrowed()
        } else {
            self.direction.widened()
        };
        self.push(at, kind, verdict, message);
    }

    fn compare_flag(
        &mut self,
        b: &Map<String, Value>,
        h: &Map<String, Value>,
        keyword: &str,
        kind: Kind,
        at: &str,
        s: &str,
    ) {
        let old = bool_of(b, keyword);
        let new = bool_of(h, keyword);
        if old == new {
            return;
        }
        let verdict = if new {
            self.direction.narrowed()
        } else {
            self.direction.widened()
        };
        self.push(
            at,
            kind,
            verdict,
            format!("{s} `{keyword}` changed from {old} to {new}"),
        );
    }

    fn compare_multiple_of(
        &mut self,
        b: &Map<String, Value>,
        h: &Map<String, Value>,
        at: &str,
        s: &str,
    ) {
        let old = b.get("multipleOf").and_then(Value::as_f64);
        let new = h.get("multipleOf").and_then(Value::as_f64);
        let (verdict, message) = match (old, new) {
            (Some(old), Some(new)) if old == new => return,
            (Some(old), Some(new)) => {
                let verdict = if (new / old).fract() == 0.0 {
                    self.direction.narrowed()
                } else if (old / new).fract() == 0.0 {
                    self.direction.widened()
                } else {
                    BREAKS_BOTH
                };
                (
                    verdict,
                    format!(
                        "{s} `multipleOf` changed from {} to {}",
                        number(old),
                        number(new)
                    ),
                )
            }
            (None, Some(new)) => (
                self.direction.narrowed(),
                format!("{s} gained `multipleOf: {}`", number(new)),
            ),
            (Some(old), None) => (
                self.direction.widened(),
                format!("{s} lost `multipleOf: {}`", number(old)),
            ),
            (None, None) => return,
        };
        self.push(at, Kind::MultipleOfChanged, verdict, message);
    }

    fn compare_pattern(
        &mut self,
        b: &Map<String, Value>,
        h: &Map<String, Value>,
        at: &str,
        s: &str,
    ) {
        let (verdict, message) = match (str_of(b, "pattern"), str_of(h, "pattern")) {
            (Some(old), Some(new)) if old != new => (
                BREAKS_BOTH,
                format!("{s} pattern changed from {} to {}", code(old), code(new)),
            ),
            (None, Some(new)) => (
                self.direction.narrowed(),
                format!("{s} gained pattern {}", code(new)),
            ),
            (Some(old), None) => (
                self.direction.widened(),
                format!("{s} lost pattern {}", code(old)),
            ),
            _ => return,
        };
        self.push(at, Kind::PatternChanged, verdict, message);
    }

    /// `nullable`, `default`, `readOnly`, `writeOnly`, `deprecated`, `discriminator`, `not`.
    fn compare_annotations(
        &mut self,
        b: &Map<String, Value>,
        h: &Map<String, Value>,
        at: &str,
        s: &str,
    ) {
        let (old, new) = (bool_of(b, "nullable"), bool_of(h, "nullable"));
        if old != new {
            let (verdict, message) = if new {
                (self.direction.widened(), format!("{s} became nullable"))
            } else {
                (
                    self.direction.narrowed(),
                    format!("{s} is no longer nullable"),
                )
            };
            self.push(at, Kind::NullableChanged, verdict, message);
        }

        let (verdict, message) = match (b.get("default"), h.get("default")) {
            (Some(old), Some(new)) if old != new => (
                BREAKS_BOTH,
                format!(
                    "{s} default changed from {} to {}",
                    code(&show(old)),
                    code(&show(new))
                ),
            ),
            (None, Some(new)) => (
                COMPATIBLE,
                format!("{s} gained default {}", code(&show(new))),
            ),
            (Some(old), None) => (
                BREAKS_CLIENTS,
                format!("{s} lost default {}", code(&show(old))),
            ),
            _ => (COMPATIBLE, String::new()),
        };
        if !message.is_empty() {
            self.push(at, Kind::DefaultChanged, verdict, message);
        }

        for (keyword, words, applies_to) in [
            ("readOnly", "read-only", Direction::Request),
            ("writeOnly", "write-only", Direction::Response),
        ] {
            let (old, new) = (bool_of(b, keyword), bool_of(h, keyword));
            if old == new {
                continue;
            }
            // A read-only field must not be sent in a request; a write-only field is not
            // returned in a response. The flag only matters in that one direction.
            let verdict = match (self.direction == applies_to, new) {
                (false, _) => COMPATIBLE,
                (true, true) => BREAKS_CLIENTS,
                (true, false) => BREAKS_SERVERS,
            };
            let message = if new {
                format!("{s} became {words}")
            } else {
                format!("{s} is no longer {words}")
            };
            self.push(at, Kind::AccessChanged, verdict, message);
        }

        let (old, new) = (bool_of(b, "deprecated"), bool_of(h, "deprecated"));
        if old != new {
            let message = if new {
                format!("{s} was deprecated")
            } else {
                format!("{s} is no longer deprecated")
            };
            self.push(at, Kind::DeprecationChanged, COMPATIBLE, message);
        }

        let (old, new) = (discriminator(b), discriminator(h));
        if old != new {
            let message = format!(
                "{s} discriminator changed from {} to {}",
                describe_discriminator(&old),
                describe_discriminator(&new)
            );
            self.push(at, Kind::DiscriminatorChanged, BREAKS_BOTH, message);
        }

        if b.get("not") != h.get("not") {
            self.push(
                at,
                Kind::NotChanged,
                BREAKS_BOTH,
                format!("{s} `not` schema changed"),
            );
        }

        self.out.extensions(at, s, b, h);
    }

    fn compare_object(
        &mut self,
        b: &Map<String, Value>,
        base_pointer: &str,
        h: &Map<String, Value>,
        head_pointer: &str,
        subject: &Subject,
    ) {
        let empty = Map::new();
        let base_properties = b
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let head_properties = h
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let base_required = required(b);
        let head_required = required(h);
        let base_extra = extra(b);
        let head_extra = extra(h);
        let direction = self.direction;
        let noun = direction.noun();

        for (name, base_property) in base_properties {
            let field = subject.property(name);
            let base_at = join(&join(base_pointer, "properties"), name);
            let Some(head_property) = head_properties.get(name) else {
                let was_required = base_required.contains(name.as_str());
                // The writer's intent carried by the field is lost (a request field may
                // also be rejected), and a reader that required it no longer gets it.
                let verdict = match (direction, was_required) {
                    (Direction::Request, false) => BREAKS_CLIENTS,
                    (Direction::Request, true) => BREAKS_BOTH,
                    (Direction::Response, false) => COMPATIBLE,
                    (Direction::Response, true) => BREAKS_CLIENTS,
                };
                let required_word = if was_required { "required" } else { "optional" };
                let message = format!("{required_word} {} was removed", field.describe());
                self.push(&base_at, Kind::FieldRemoved, verdict, message);
                continue;
            };
            let head_at = join(&join(head_pointer, "properties"), name);
            let (old, new) = (
                base_required.contains(name.as_str()),
                head_required.contains(name.as_str()),
            );
            if !old && new {
                let message = format!("{} became required", field.describe());
                self.push(
                    &head_at,
                    Kind::FieldBecameRequired,
                    direction.narrowed(),
                    message,
                );
            } else if old && !new {
                let message = format!("{} became optional", field.describe());
                self.push(
                    &head_at,
                    Kind::FieldBecameOptional,
                    direction.widened(),
                    message,
                );
            }
            self.compare(base_property, &base_at, head_property, &head_at, &field);
        }

        for name in head_properties.keys() {
            if base_properties.contains_key(name) {
                continue;
            }
            let field = subject.property(name);
            let head_at = join(&join(head_pointer, "properties"), name);
            let is_required = head_required.contains(name.as_str());
            let mut verdict = if is_required {
                direction.narrowed()
            } else {
                COMPATIBLE
            };
            let mut message = format!(
                "{} {} was added",
                if is_required { "required" } else { "optional" },
                field.describe()
            );
            if base_extra == Extra::Forbidden {
                // A reader built from BASE rejects properties it does not know.
                verdict = verdict.or(direction.widened());
                message.push_str(&format!(
                    " (the {noun} object forbade additional properties)"
                ));
            }
            self.push(&head_at, Kind::FieldAdded, verdict, message);
        }

        let known =
            |name: &str| base_properties.contains_key(name) || head_properties.contains_key(name);
        for name in head_required
            .difference(&base_required)
            .filter(|name| !known(name))
        {
            let message = format!("{} became required", subject.property(name).describe());
            self.push(
                head_pointer,
                Kind::FieldBecameRequired,
                direction.narrowed(),
                message,
            );
        }
        for name in base_required
            .difference(&head_required)
            .filter(|name| !known(name))
        {
            let message = format!("{} became optional", subject.property(name).describe());
            self.push(
                head_pointer,
                Kind::FieldBecameOptional,
                direction.widened(),
                message,
            );
        }

        let verdict = match (base_extra, head_extra) {
            (Extra::Schema(old), Extra::Schema(new)) => {
                self.compare(
                    old,
                    &format!("{base_pointer}/additionalProperties"),
                    new,
                    &format!("{head_pointer}/additionalProperties"),
                    &subject.values(),
                );
                return;
            }
            (old, new) if old == new => return,
            (Extra::Any, _) | (Extra::Schema(_), Extra::Forbidden) => direction.narrowed(),
            (Extra::Forbidden, _) | (Extra::Schema(_), Extra::Any) => direction.widened(),
        };
        let message = format!(
            "{} additional properties changed from {} to {}",
            subject.describe(),
            base_extra.name(),
            head_extra.name()
        );
        self.push(
            head_pointer,
            Kind::AdditionalPropertiesChanged,
            verdict,
            message,
        );
    }

    /// Compares one of `allOf`/`anyOf`/`oneOf` member by member.
    ///
    /// Members that are `$ref`s to the same name are paired first; the rest are paired
    /// in order. An extra `anyOf`/`oneOf` member accepts more values; an extra `allOf`
    /// member accepts fewer.
    fn compare_alternatives(
        &mut self,
        keyword: &str,
        b: &Map<String, Value>,
        base_pointer: &str,
        h: &Map<String, Value>,
        head_pointer: &str,
        subject: &Subject,
    ) {
        let none = Vec::new();
        let old = b.get(keyword).and_then(Value::as_array).unwrap_or(&none);
        let new = h.get(keyword).and_then(Value::as_array).unwrap_or(&none);
        if old.is_empty() && new.is_empty() {
            return;
        }
        let pairs = pair_members(old, new);
        let (narrow_on_add, s) = (keyword == "allOf", subject.describe());
        for pair in pairs {
            match pair {
                (Some(i), Some(j)) => {
                    let member_subject = if keyword == "allOf" {
                        subject.clone()
                    } else {
                        subject.alternative(keyword, j)
                    };
                    self.compare(
                        &old[i],
                        &format!("{base_pointer}/{keyword}/{i}"),
                        &new[j],
                        &format!("{head_pointer}/{keyword}/{j}"),
                        &member_subject,
                    );
                }
                (Some(i), None) => {
                    let verdict = if narrow_on_add {
                        self.direction.widened()
                    } else {
                        self.direction.narrowed()
                    };
                    let message = format!(
                        "{s} lost `{keyword}` member {}",
                        describe_member(&old[i], i)
                    );
                    self.push(
                        &format!("{base_pointer}/{keyword}/{i}"),
                        Kind::AlternativeRemoved,
                        verdict,
                        message,
                    );
                }
                (None, Some(j)) => {
                    let verdict = if narrow_on_add {
                        self.direction.narrowed()
                    } else {
                        self.direction.widened()
                    };
                    let message = format!(
                        "{s} gained `{keyword}` member {}",
                        describe_member(&new[j], j)
                    );
                    self.push(
                        &format!("{head_pointer}/{keyword}/{j}"),
                        Kind::AlternativeAdded,
                        verdict,
                        message,
                    );
                }
                (None, None) => {}
            }
        }
    }
}

/// Pairs `allOf`/`anyOf`/`oneOf` members of BASE and HEAD.
///
/// Passes, each over the members still unpaired: equal `$ref`s, then equal shapes
/// (`type` or composition keyword) in order, then whatever is left in order. The
/// result has `(Some, None)` for removed members and `(None, Some)` for added ones.
fn pair_members(old: &[Value], new: &[Value]) -> Vec<(Option<usize>, Option<usize>)> {
    let mut pairs = Vec::new();
    let mut old_taken = vec![false; old.len()];
    let mut new_taken = vec![false; new.len()];
    for key in [reference_key as fn(&Value) -> Option<String>, shape_key] {
        for (j, member) in new.iter().enumerate() {
            if new_taken[j] {
                continue;
            }
            let Some(wanted) = key(member) else {
                continue;
            };
            let found =
                (0..old.len()).find(|&i| !old_taken[i] && key(&old[i]).as_ref() == Some(&wanted));
            if let Some(i) = found {
                old_taken[i] = true;
                new_taken[j] = true;
                pairs.push((Some(i), Some(j)));
            }
        }
    }
    let mut rest_old = (0..old.len()).filter(|&i| !old_taken[i]);
    let mut rest_new = (0..new.len()).filter(|&j| !new_taken[j]);
    loop {
        match (rest_old.next(), rest_new.next()) {
            (None, None) => break,
            (i, j) => pairs.push((i, j)),
        }
    }
    pairs
}

/// The `$ref` of a member, for pairing.
fn reference_key(member: &Value) -> Option<String> {
    member
        .get("$ref")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The shape of an inline member, for pairing.
fn shape_key(member: &Value) -> Option<String> {
    if member.get("$ref").is_some() {
        return None;
    }
    member.as_object().and_then(shape).map(str::to_owned)
}

/// The schema's `type`, or its composition keyword when it has no type.
fn shape(schema: &Map<String, Value>) -> Option<&str> {
    if let Some(kind) = str_of(schema, "type") {
        return Some(kind);
    }
    ["oneOf", "anyOf", "allOf", "not"]
        .into_iter()
        .find(|keyword| schema.contains_key(*keyword))
}

fn str_of<'v>(schema: &'v Map<String, Value>, keyword: &str) -> Option<&'v str> {
    schema.get(keyword).and_then(Value::as_str)
}

fn bool_of(schema: &Map<String, Value>, keyword: &str) -> bool {
    schema
        .get(keyword)
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

fn required(schema: &Map<String, Value>) -> BTreeSet<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn extra(schema: &Map<String, Value>) -> Extra<'_> {
    match schema.get("additionalProperties") {
        None | Some(Value::Bool(true)) => Extra::Any,
        Some(Value::Bool(false)) => Extra::Forbidden,
        Some(other) => Extra::Schema(other),
    }
}

/// The parts of a discriminator that change how payloads are read.
fn discriminator(schema: &Map<String, Value>) -> Option<(String, BTreeSet<String>)> {
    let discriminator = schema.get("discriminator")?;
    let property = discriminator
        .get("propertyName")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let keys = discriminator
        .get("mapping")
        .and_then(Value::as_object)
        .map(|mapping| mapping.keys().cloned().collect())
        .unwrap_or_default();
    Some((property, keys))
}

fn describe_discriminator(discriminator: &Option<(String, BTreeSet<String>)>) -> String {
    match discriminator {
        None => "none".to_owned(),
        Some((property, keys)) if keys.is_empty() => code(property),
        Some((property, keys)) => {
            let keys: Vec<String> = keys.iter().map(|key| code(key)).collect();
            format!("{} (mapping {})", code(property), keys.join(", "))
        }
    }
}

fn describe_member(member: &Value, index: usize) -> String {
    if let Some(reference) = member.get("$ref").and_then(Value::as_str) {
        let name = Pointer::parse(reference).tokens().last();
        return code(name.as_deref().unwrap_or(reference));
    }
    let shape = member.as_object().and_then(shape).unwrap_or("any");
    format!("#{index} (inline {} schema)", code(shape))
}

/// A JSON value as text: strings bare, everything else as compact JSON.
pub fn show(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn list(values: &[Value]) -> String {
    let values: Vec<String> = values.iter().map(|value| code(&show(value))).collect();
    values.join(", ")
}

/// A number without a trailing `.0` when it is integral.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        format!("{}", value as i64)
    } else {
        value.to_string()
    }
}

/// A Markdown code span that survives backticks in its content.
pub fn code(text: &str) -> String {
    let mut fence = String::from("`");
    while text.contains(fence.as_str()) {
        fence.push('`');
    }
    if fence.len() > 1 || text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}
