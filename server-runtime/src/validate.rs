//! Validation of JSON values against the spec's constraints.
//!
//! The generated `validate` module describes every schema of the spec as a static
//! [`Schema`]: plain data, written with the `const fn`s of this module ([`object`],
//! [`string`], [`integer`], ...). The walker here checks a value against it and records
//! every violation with its JSON pointer; nothing stops at the first problem, so a
//! rejection lists them all.
//!
//! A request body is walked straight from its bytes ([`check_json`]): no
//! `serde_json::Value` is built, and a pointer is rendered only when something is wrong,
//! so checking a valid body costs about as much as skimming it. Only a value that can
//! match several shapes of a schema in different ways (a union of two object shapes, a
//! discriminated union, `uniqueItems`, a non-string `enum`) is buffered into a `Value`
//! first, because it has to be looked at more than once; each shape is then checked by
//! the same walker reading that value ([`walk_value`], which also checks the values of
//! parameters). The walker is the one authority on what is valid: the one-pass typed
//! decode of `checked` is only a fast path, and whenever it finds or cannot see
//! something, the walker decides.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

// ----- rules ------------------------------------------------------------------------------

/// What one JSON value must look like.
#[derive(Debug, Clone, Copy)]
pub struct Schema {
    pub rule: Rule,
    /// `null` is accepted too.
    pub nullable: bool,
    /// Other shapes accepted in place of `rule` (the spec's `x-canonical` lenient forms).
    pub lenient: &'static [Schema],
    /// A JSON array (as text) of the only values allowed (a non-string `enum`).
    pub allowed: Option<&'static str>,
}

/// The type of a value and its constraints.
#[derive(Debug, Clone, Copy)]
pub enum Rule {
    /// Any JSON value.
    Any,
    Boolean,
    String {
        min: Option<usize>,
        max: Option<usize>,
        pattern: Option<&'static Pattern>,
        format: Format,
    },
    /// A string, one of the listed values.
    Enum(&'static [&'static str]),
    Integer {
        format: IntFormat,
        bounds: Bounds,
    },
    Number {
        format: NumFormat,
        bounds: Bounds,
    },
    Array {
        items: &'static Schema,
        min: Option<usize>,
        max: Option<usize>,
        unique: bool,
    },
    /// An object: the listed properties, and (when `additional` is set) any other
    /// property with values of one schema; other properties are ignored.
    Object {
        fields: &'static [Field],
        additional: Option<&'static Schema>,
        min: Option<usize>,
        max: Option<usize>,
    },
    /// `oneOf`/`anyOf`: at least one alternative must accept the value, or the one the
    /// discriminator names.
    Union {
        alternatives: &'static [Schema],
        discriminator: Option<Discriminator>,
    },
    /// A named schema of the generated `validate` module.
    Ref(Ref),
}

/// A reference to a named schema (its `Debug` does not follow it: schemas can be
/// recursive).
#[derive(Clone, Copy)]
pub struct Ref(pub &'static Schema);

impl fmt::Debug for Ref {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Ref(..)")
    }
}

/// One property of an object.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub required: bool,
    pub schema: Schema,
}

/// The property that picks a union's alternative, and its value for each alternative.
#[derive(Debug, Clone, Copy)]
pub struct Discriminator {
    pub property: &'static str,
    pub values: &'static [&'static str],
}

/// A string format that is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Any,
    /// RFC 3339 `full-date`.
    Date,
    /// RFC 3339 `date-time`.
    DateTime,
}

/// An integer format: the range a value must fit in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntFormat {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

impl IntFormat {
    /// The spec's name of the format.
    pub fn name(self) -> &'static str {
        match self {
            IntFormat::I8 => "int8",
            IntFormat::I16 => "int16",
            IntFormat::I32 => "int32",
            IntFormat::I64 => "int64",
            IntFormat::U8 => "uint8",
            IntFormat::U16 => "uint16",
            IntFormat::U32 => "uint32",
            IntFormat::U64 => "uint64",
        }
    }

    fn fits(self, value: Int) -> bool {
        let (low, high): (i128, i128) = match self {
            IntFormat::I8 => (i8::MIN.into(), i8::MAX.into()),
            IntFormat::I16 => (i16::MIN.into(), i16::MAX.into()),
            IntFormat::I32 => (i32::MIN.into(), i32::MAX.into()),
            IntFormat::I64 => (i64::MIN.into(), i64::MAX.into()),
            IntFormat::U8 => (0, u8::MAX.into()),
            IntFormat::U16 => (0, u16::MAX.into()),
            IntFormat::U32 => (0, u32::MAX.into()),
            IntFormat::U64 => (0, u64::MAX.into()),
        };
        let value = match value {
            Int::Signed(v) => i128::from(v),
            Int::Unsigned(v) => i128::from(v),
        };
        (low..=high).contains(&value)
    }
}

/// A number format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumFormat {
    Float,
    Double,
}

/// Numeric bounds from the spec.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Bounds {
    pub minimum: Option<f64>,
    pub exclusive_minimum: bool,
    pub maximum: Option<f64>,
    pub exclusive_maximum: bool,
    pub multiple_of: Option<f64>,
}

impl Bounds {
    /// No bounds.
    pub const NONE: Bounds = Bounds {
        minimum: None,
        exclusive_minimum: false,
        maximum: None,
        exclusive_maximum: false,
        multiple_of: None,
    };
}

/// A regular expression from the spec, compiled on first use.
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<regex_lite::Regex>>,
}

impl Pattern {
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as the spec writes it.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `text` matches; `None` when the pattern is not one this runtime can run.
    fn is_match(&self, text: &str) -> Option<bool> {
        self.compiled
            .get_or_init(|| regex_lite::Regex::new(self.source).ok())
            .as_ref()
            .map(|re| re.is_match(text))
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

// ----- constructors, for the generated code -------------------------------------------------

/// A schema with `rule` and nothing else.
pub const fn schema(rule: Rule) -> Schema {
    Schema {
        rule,
        nullable: false,
        lenient: &[],
        allowed: None,
    }
}

/// Any JSON value.
pub const fn any() -> Schema {
    schema(Rule::Any)
}

pub const fn boolean() -> Schema {
    schema(Rule::Boolean)
}

/// Any string; limits are added with [`Schema::min_length`], [`Schema::max_length`],
/// [`Schema::pattern`] and [`Schema::format`].
pub const fn string() -> Schema {
    schema(Rule::String {
        min: None,
        max: None,
        pattern: None,
        format: Format::Any,
    })
}

/// One of the listed strings.
pub const fn enumeration(values: &'static [&'static str]) -> Schema {
    schema(Rule::Enum(values))
}

/// Any integer of `format`; bounds are added with [`Schema::minimum`] and the others.
pub const fn integer(format: IntFormat) -> Schema {
    schema(Rule::Integer {
        format,
        bounds: Bounds::NONE,
    })
}

/// Any number of `format`; bounds are added with [`Schema::minimum`] and the others.
pub const fn number(format: NumFormat) -> Schema {
    schema(Rule::Number {
        format,
        bounds: Bounds::NONE,
    })
}

/// An array of `items`; limits are added with [`Schema::min_items`],
/// [`Schema::max_items`] and [`Schema::unique_items`].
pub const fn array(items: &'static Schema) -> Schema {
    schema(Rule::Array {
        items,
        min: None,
        max: None,
        unique: false,
    })
}

/// An object with the listed properties; other properties are ignored unless
/// [`Schema::additional`] gives them a schema.
pub const fn object(fields: &'static [Field]) -> Schema {
    schema(Rule::Object {
        fields,
        additional: None,
        min: None,
        max: None,
    })
}

/// An object whose properties all have values of schema `values`.
pub const fn map(values: &'static Schema) -> Schema {
    object(&[]).additional(values)
}

/// An object with any properties.
pub const fn free_object() -> Schema {
    object(&[])
}

/// One of `alternatives` (chosen by a [`Schema::discriminator`] when it has one).
pub const fn union(alternatives: &'static [Schema]) -> Schema {
    schema(Rule::Union {
        alternatives,
        discriminator: None,
    })
}

/// The named schema `target`.
pub const fn to(target: &'static Schema) -> Schema {
    schema(Rule::Ref(Ref(target)))
}

/// A property that must be present.
pub const fn required(name: &'static str, schema: Schema) -> Field {
    Field {
        name,
        required: true,
        schema,
    }
}

/// A property that may be absent.
pub const fn optional(name: &'static str, schema: Schema) -> Field {
    Field {
        name,
        required: false,
        schema,
    }
}

impl Schema {
    /// The same string, of at least `n` characters.
    pub const fn min_length(mut self, n: usize) -> Self {
        if let Rule::String { min, .. } = &mut self.rule {
            *min = Some(n);
        }
        self
    }

    /// The same string, of at most `n` characters.
    pub const fn max_length(mut self, n: usize) -> Self {
        if let Rule::String { max, .. } = &mut self.rule {
            *max = Some(n);
        }
        self
    }

    /// The same string, matching `regex`.
    pub const fn pattern(mut self, regex: &'static Pattern) -> Self {
        if let Rule::String { pattern, .. } = &mut self.rule {
            *pattern = Some(regex);
        }
        self
    }

    /// The same string, in `format` (`date`, `date-time`).
    pub const fn format(mut self, value: Format) -> Self {
        if let Rule::String { format, .. } = &mut self.rule {
            *format = value;
        }
        self
    }

    /// The same number, at least `value` (inclusive).
    pub const fn minimum(mut self, value: f64) -> Self {
        if let Some(bounds) = self.bounds_mut() {
            bounds.minimum = Some(value);
        }
        self
    }

    /// The same number, greater than `value`.
    pub const fn exclusive_minimum(mut self, value: f64) -> Self {
        if let Some(bounds) = self.bounds_mut() {
            bounds.minimum = Some(value);
            bounds.exclusive_minimum = true;
        }
        self
    }

    /// The same number, at most `value` (inclusive).
    pub const fn maximum(mut self, value: f64) -> Self {
        if let Some(bounds) = self.bounds_mut() {
            bounds.maximum = Some(value);
        }
        self
    }

    /// The same number, less than `value`.
    pub const fn exclusive_maximum(mut self, value: f64) -> Self {
        if let Some(bounds) = self.bounds_mut() {
            bounds.maximum = Some(value);
            bounds.exclusive_maximum = true;
        }
        self
    }

    /// The same number, a multiple of `value`.
    pub const fn multiple_of(mut self, value: f64) -> Self {
        if let Some(bounds) = self.bounds_mut() {
            bounds.multiple_of = Some(value);
        }
        self
    }

    const fn bounds_mut(&mut self) -> Option<&mut Bounds> {
        match &mut self.rule {
            Rule::Integer { bounds, .. } | Rule::Number { bounds, .. } => Some(bounds),
            _ => None,
        }
    }

    /// The same array, of at least `n` items.
    pub const fn min_items(mut self, n: usize) -> Self {
        if let Rule::Array { min, .. } = &mut self.rule {
            *min = Some(n);
        }
        self
    }

    /// The same array, of at most `n` items.
    pub const fn max_items(mut self, n: usize) -> Self {
        if let Rule::Array { max, .. } = &mut self.rule {
            *max = Some(n);
        }
        self
    }

    /// The same array, with no item twice.
    pub const fn unique_items(mut self) -> Self {
        if let Rule::Array { unique, .. } = &mut self.rule {
            *unique = true;
        }
        self
    }

    /// The same object, with properties it does not list of schema `values`.
    pub const fn additional(mut self, values: &'static Schema) -> Self {
        if let Rule::Object { additional, .. } = &mut self.rule {
            *additional = Some(values);
        }
        self
    }

    /// The same object, with at least `n` properties.
    pub const fn min_properties(mut self, n: usize) -> Self {
        if let Rule::Object { min, .. } = &mut self.rule {
            *min = Some(n);
        }
        self
    }

    /// The same object, with at most `n` properties.
    pub const fn max_properties(mut self, n: usize) -> Self {
        if let Rule::Object { max, .. } = &mut self.rule {
            *max = Some(n);
        }
        self
    }

    /// The same union, choosing its alternative by `property`, whose value for each
    /// alternative is in `values` (in alternative order).
    pub const fn discriminator(
        mut self,
        property: &'static str,
        values: &'static [&'static str],
    ) -> Self {
        if let Rule::Union { discriminator, .. } = &mut self.rule {
            *discriminator = Some(Discriminator { property, values });
        }
        self
    }

    /// The same, accepting `null` too.
    pub const fn nullable(mut self) -> Self {
        self.nullable = true;
        self
    }

    /// The same, accepting the `lenient` shapes too.
    pub const fn or(mut self, lenient: &'static [Schema]) -> Self {
        self.lenient = lenient;
        self
    }

    /// The same, accepting only the values of `allowed` (a JSON array as text).
    pub const fn allowed(mut self, allowed: &'static str) -> Self {
        self.allowed = Some(allowed);
        self
    }
}

// ----- pointers and violations --------------------------------------------------------------

/// Where a value sits in the document: a chain of frames on the stack, rendered as a JSON
/// pointer only when a violation is recorded.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    parent: Option<&'a At<'a>>,
    segment: Segment<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Segment<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl At<'static> {
    /// The whole value.
    pub const ROOT: At<'static> = At {
        parent: None,
        segment: Segment::Root,
    };
}

impl<'a> At<'a> {
    /// Property `key` of this value.
    pub fn key<'b>(&'b self, key: &'b str) -> At<'b> {
        At {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }

    /// Item `index` of this value.
    pub fn index(&self, index: usize) -> At<'_> {
        At {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// The JSON pointer (RFC 6901) of this place; empty for the whole value.
    pub fn pointer(&self) -> String {
        let mut frames = Vec::new();
        let mut frame = Some(self);
        while let Some(at) = frame {
            frames.push(at.segment);
            frame = at.parent;
        }
        let mut text = String::new();
        for segment in frames.iter().rev() {
            match segment {
                Segment::Root => {}
                Segment::Key(key) => {
                    text.push('/');
                    for c in key.chars() {
                        match c {
                            '~' => text.push_str("~0"),
                            '/' => text.push_str("~1"),
                            c => text.push(c),
                        }
                    }
                }
                Segment::Index(index) => {
                    text.push('/');
                    text.push_str(&index.to_string());
                }
            }
        }
        text
    }
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
    #[doc(hidden)]
    pub fn set_param(&mut self, location: &'static str, name: &'static str) {
        self.parameter = Some((location, name));
    }

    #[doc(hidden)]
    pub fn clear_param(&mut self) {
        self.parameter = None;
    }

    /// Records a violation at `at`.
    #[doc(hidden)]
    pub fn push(&mut self, at: &At<'_>, message: String) {
        self.push_at(at.pointer(), message);
    }

    /// Records a violation at a pointer given as text.
    pub fn push_at(&mut self, pointer: String, message: String) {
        self.list.push(Violation {
            parameter: self.parameter,
            pointer,
            message,
        });
    }

    /// Records a violation at `at`, listed at position `index` (so that a container's own
    /// problems come before those of its contents, which are found first when streaming).
    fn insert(&mut self, index: usize, at: &At<'_>, message: String) {
        let violation = Violation {
            parameter: self.parameter,
            pointer: at.pointer(),
            message,
        };
        self.list.insert(index.min(self.list.len()), violation);
    }

    /// Forgets the violations after the first `len`.
    fn truncate(&mut self, len: usize) {
        self.list.truncate(len);
    }

    /// An empty list for trying an alternative.
    pub(crate) fn scratch(&self) -> Violations {
        Violations {
            list: Vec::new(),
            parameter: self.parameter,
        }
    }
}

// ----- walking ----------------------------------------------------------------------------------

/// Checks a JSON document against `schema` as it is parsed. Violations go to `out`; the
/// error is the document's own (not JSON, or trailing characters).
pub fn check_json(schema: &Schema, json: &[u8], out: &mut Violations) -> serde_json::Result<()> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    Walk {
        schema,
        at: &At::ROOT,
        out,
    }
    .deserialize(&mut deserializer)?;
    deserializer.end()
}

/// Checks a value that is already parsed (a parameter's values, say) against `schema`,
/// at `at`: the same walker as [`check_json`], reading the value instead of bytes.
/// Violations go to `out`.
pub fn walk_value(schema: &Schema, value: &Value, at: &At<'_>, out: &mut Violations) {
    // Reading a `Value` fails only when the visitor does, and the walker's never does.
    if let Err(err) = (Walk {
        schema,
        at,
        out: &mut *out,
    })
    .deserialize(value)
    {
        out.push(at, err.to_string());
    }
}

/// A value the walker buffered because it has to be looked at more than once (see
/// [`Target::Buffer`]). Only the choice among the schema's shapes is made here; each shape
/// is checked by walking the value with the walker.
fn buffered(schema: &Schema, value: &Value, at: &At<'_>, out: &mut Violations) {
    if value.is_null() && schema.nullable {
        return;
    }
    let shapes = Shapes::of(schema);
    if let Some(discriminator) = shapes.discriminator {
        discriminated(shapes.list, discriminator, value, at, out);
    } else if shapes.len() == 1 {
        buffered_shape(shapes.get(0), value, at, out);
    } else {
        let matched = (0..shapes.len()).any(|i| {
            let mut scratch = out.scratch();
            buffered_shape(shapes.get(i), value, at, &mut scratch);
            scratch.is_empty()
        });
        if !matched {
            out.push(at, shapes.none_matches());
        }
    }
    if let Some(allowed) = schema.allowed {
        check_allowed(allowed, value, at, out);
    }
}

/// One shape of a schema against a buffered value.
fn buffered_shape(shape: Schema, value: &Value, at: &At<'_>, out: &mut Violations) {
    let plain = shape.lenient.is_empty() && shape.allowed.is_none() && !shape.nullable;
    match shape.rule {
        // Choices to make first (walking these would only buffer the value again).
        Rule::Ref(Ref(target)) if plain => buffered(target, value, at, out),
        Rule::Union { .. } => buffered(&shape, value, at, out),
        _ if !plain => buffered(&shape, value, at, out),
        // The items are walked as any array's; uniqueness needs them all at once.
        Rule::Array {
            items,
            min,
            max,
            unique: true,
        } if value.is_array() => {
            let mark = out.len();
            let walked = schema(Rule::Array {
                items,
                min,
                max,
                unique: false,
            });
            walk_value(&walked, value, at, out);
            let items = value.as_array().map_or(&[][..], Vec::as_slice);
            if items
                .iter()
                .enumerate()
                .any(|(i, a)| items[..i].contains(a))
            {
                out.insert(mark, at, "items must be unique".to_string());
            }
        }
        // One plain rule: the walker streams through the value.
        _ => walk_value(&shape, value, at, out),
    }
}

fn discriminated(
    alternatives: &[Schema],
    discriminator: Discriminator,
    value: &Value,
    at: &At<'_>,
    out: &mut Violations,
) {
    let Value::Object(object) = value else {
        out.push(at, format!("expected an object, found {}", kind(value)));
        return;
    };
    let tag = object.get(discriminator.property).and_then(Value::as_str);
    match tag.and_then(|t| discriminator.values.iter().position(|v| *v == t)) {
        Some(index) if index < alternatives.len() => buffered(&alternatives[index], value, at, out),
        _ => out.push(
            &at.key(discriminator.property),
            format!("must be one of: {}", discriminator.values.join(", ")),
        ),
    }
}

fn check_allowed(allowed: &str, value: &Value, at: &At<'_>, out: &mut Violations) {
    let list: Vec<Value> = serde_json::from_str(allowed).unwrap_or_default();
    if !list.contains(value) {
        out.push(at, format!("{value} is not one of {allowed}"));
    }
}

/// The shapes a value may take under a schema: its rule (with its constraints) and its
/// lenient alternatives, or a union's alternatives.
struct Shapes<'s> {
    canonical: Option<Schema>,
    list: &'s [Schema],
    discriminator: Option<Discriminator>,
}

impl<'s> Shapes<'s> {
    fn of(schema: &'s Schema) -> Self {
        match schema.rule {
            Rule::Union {
                alternatives,
                discriminator,
            } => Shapes {
                canonical: None,
                list: alternatives,
                discriminator,
            },
            rule => Shapes {
                canonical: Some(self::schema(rule)),
                list: schema.lenient,
                discriminator: None,
            },
        }
    }

    fn len(&self) -> usize {
        self.list.len() + usize::from(self.canonical.is_some())
    }

    fn get(&self, index: usize) -> Schema {
        match (self.canonical, index) {
            (Some(canonical), 0) => canonical,
            (Some(_), i) => self.list[i - 1],
            (None, i) => self.list[i],
        }
    }

    fn none_matches(&self) -> String {
        format!("matches none of the {} allowed shapes", self.len())
    }
}

/// What a container value is walked with.
enum Target {
    /// No shape takes this kind of value.
    Nothing,
    /// Exactly one shape takes it and can be walked as the value streams by; `alone`
    /// when it is the schema's only shape (its own complaints are then reported).
    One { rule: Rule, alone: bool },
    /// The value must be buffered and looked at as a whole.
    Buffer,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Container {
    Array,
    Object,
}

fn target(schema: &Schema, container: Container) -> Target {
    if schema.allowed.is_some() {
        return Target::Buffer;
    }
    let shapes = Shapes::of(schema);
    if shapes.discriminator.is_some() {
        return if container == Container::Object {
            Target::Buffer
        } else {
            Target::Nothing
        };
    }
    let mut found = None;
    for i in 0..shapes.len() {
        let shape = shapes.get(i);
        let inner = match shape.rule {
            _ if !shape.lenient.is_empty() || shape.allowed.is_some() => {
                Some(target(&shape, container))
            }
            Rule::Ref(Ref(named)) => Some(target(named, container)),
            Rule::Union { .. } => Some(target(&shape, container)),
            _ => None,
        };
        let rule = match inner {
            Some(Target::Nothing) => continue,
            Some(Target::One { rule, alone: true }) => rule,
            Some(_) => return Target::Buffer,
            None => match (shape.rule, container) {
                (Rule::Array { unique: true, .. }, Container::Array) => return Target::Buffer,
                (Rule::Array { .. }, Container::Array)
                | (Rule::Object { .. }, Container::Object)
                | (Rule::Any, _) => shape.rule,
                _ => continue,
            },
        };
        if found.replace(rule).is_some() {
            return Target::Buffer;
        }
    }
    match found {
        None => Target::Nothing,
        Some(rule) => Target::One {
            rule,
            alone: shapes.len() == 1,
        },
    }
}

/// What a schema expects, for `expected …, found …` messages (or the union's complaint).
fn mismatch(schema: &Schema, found: &str) -> String {
    let shapes = Shapes::of(schema);
    if shapes.discriminator.is_some() {
        return format!("expected an object, found {found}");
    }
    if shapes.len() != 1 {
        return shapes.none_matches();
    }
    let expected = match schema.rule {
        Rule::Ref(Ref(target)) => return mismatch(target, found),
        Rule::Any | Rule::Union { .. } => "a value",
        Rule::Boolean => "a boolean",
        Rule::String { .. } | Rule::Enum(_) => "a string",
        Rule::Integer { .. } => "an integer",
        Rule::Number { .. } => "a number",
        Rule::Array { .. } => "an array",
        Rule::Object { .. } => "an object",
    };
    format!("expected {expected}, found {found}")
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

/// An integer as JSON carries it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Int {
    Signed(i64),
    Unsigned(u64),
}

impl Int {
    fn as_f64(self) -> f64 {
        match self {
            Int::Signed(v) => v as f64,
            Int::Unsigned(v) => v as f64,
        }
    }
}

impl fmt::Display for Int {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Int::Signed(v) => v.fmt(f),
            Int::Unsigned(v) => v.fmt(f),
        }
    }
}

/// A JSON value that is not a container.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Primitive<'a> {
    Null,
    Bool(bool),
    Int(Int),
    Float(f64),
    Str(&'a str),
}

impl Primitive<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Primitive::Null => "null",
            Primitive::Bool(_) => "a boolean",
            Primitive::Int(_) | Primitive::Float(_) => "a number",
            Primitive::Str(_) => "a string",
        }
    }

    pub(crate) fn to_value(self) -> Value {
        match self {
            Primitive::Null => Value::Null,
            Primitive::Bool(b) => Value::Bool(b),
            Primitive::Int(Int::Signed(v)) => Value::from(v),
            Primitive::Int(Int::Unsigned(v)) => Value::from(v),
            Primitive::Float(v) => {
                serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
            }
            Primitive::Str(s) => Value::String(s.to_string()),
        }
    }
}

fn float_text(value: f64) -> String {
    serde_json::Number::from_f64(value).map_or_else(|| value.to_string(), |n| n.to_string())
}

/// A primitive value against a schema (every shape can be tried: nothing is consumed).
pub(crate) fn check_primitive(
    schema: &Schema,
    value: Primitive<'_>,
    at: &At<'_>,
    out: &mut Violations,
) {
    if matches!(value, Primitive::Null) && schema.nullable {
        return;
    }
    // The common case first: one plain rule.
    if schema.lenient.is_empty() && schema.allowed.is_none() {
        match schema.rule {
            Rule::Ref(Ref(target)) => return check_primitive(target, value, at, out),
            Rule::Union { .. } => {}
            rule => return check_rule(rule, schema, value, at, out),
        }
    }
    let shapes = Shapes::of(schema);
    if shapes.discriminator.is_some() {
        out.push(at, format!("expected an object, found {}", value.kind()));
    } else if shapes.len() == 1 {
        match schema.rule {
            Rule::Ref(Ref(target)) => check_primitive(target, value, at, out),
            rule => check_rule(rule, schema, value, at, out),
        }
    } else {
        let mut matched = false;
        for i in 0..shapes.len() {
            let mut scratch = out.scratch();
            check_primitive(&shapes.get(i), value, at, &mut scratch);
            if scratch.is_empty() {
                matched = true;
                break;
            }
        }
        if !matched {
            out.push(at, shapes.none_matches());
        }
    }
    if let Some(allowed) = schema.allowed {
        check_allowed(allowed, &value.to_value(), at, out);
    }
}

/// A primitive value against one rule.
fn check_rule(
    rule: Rule,
    schema: &Schema,
    value: Primitive<'_>,
    at: &At<'_>,
    out: &mut Violations,
) {
    match (rule, value) {
        (Rule::Any, _) | (Rule::Boolean, Primitive::Bool(_)) => {}
        (
            Rule::String {
                min,
                max,
                pattern,
                format,
            },
            Primitive::Str(s),
        ) => check_string(s, min, max, pattern, format, at, out),
        (Rule::Enum(values), Primitive::Str(s)) => {
            if !values.contains(&s) {
                out.push(at, format!("{s:?} is not one of: {}", values.join(", ")));
            }
        }
        (Rule::Integer { format, bounds }, Primitive::Int(n)) => {
            if !format.fits(n) {
                out.push(at, format!("{n} does not fit in {}", format.name()));
            } else {
                check_bounds(&n, n.as_f64(), bounds, at, out);
            }
        }
        // JSON reads a whole number beyond 64 bits as a float.
        (Rule::Integer { .. }, Primitive::Float(f)) if f.abs() >= 9_223_372_036_854_775_808.0 => {
            out.push(
                at,
                format!(
                    "{} is an integer beyond the 64-bit range this server reads",
                    float_text(f)
                ),
            )
        }
        (Rule::Integer { .. }, Primitive::Float(f)) => {
            out.push(at, format!("expected an integer, found {}", float_text(f)))
        }
        (Rule::Number { format, bounds }, Primitive::Int(n)) => {
            check_number(&n, n.as_f64(), format, bounds, at, out)
        }
        (Rule::Number { format, bounds }, Primitive::Float(f)) => {
            check_number(&FloatText(f), f, format, bounds, at, out)
        }
        _ => out.push(at, mismatch(schema, value.kind())),
    }
}

fn check_string(
    s: &str,
    min: Option<usize>,
    max: Option<usize>,
    pattern: Option<&'static Pattern>,
    format: Format,
    at: &At<'_>,
    out: &mut Violations,
) {
    if min.is_some() || max.is_some() {
        let length = s.chars().count();
        if let Some(max) = max.filter(|max| length > *max) {
            out.push(at, format!("longer than {max} characters ({length})"));
        }
        if let Some(min) = min.filter(|min| length < *min) {
            out.push(at, format!("shorter than {min} characters ({length})"));
        }
    }
    if let Some(pattern) = pattern {
        match pattern.is_match(s) {
            Some(true) => {}
            Some(false) => out.push(
                at,
                format!("does not match the pattern `{}`", pattern.source()),
            ),
            None => out.push(
                at,
                format!(
                    "the spec's pattern `{}` cannot be checked",
                    pattern.source()
                ),
            ),
        }
    }
    match format {
        Format::DateTime if !is_date_time(s) => {
            out.push(at, "not an RFC 3339 date-time".to_string())
        }
        Format::Date if !is_date(s) => {
            out.push(at, "not an RFC 3339 full-date (YYYY-MM-DD)".to_string())
        }
        _ => {}
    }
}

/// A float as JSON writes it, written only when a message needs it.
struct FloatText(f64);

impl fmt::Display for FloatText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&float_text(self.0))
    }
}

/// `text` is the value as the messages show it; it is written only for a violation.
fn check_number(
    text: &dyn fmt::Display,
    value: f64,
    format: NumFormat,
    bounds: Bounds,
    at: &At<'_>,
    out: &mut Violations,
) {
    if format == NumFormat::Float && value.is_finite() && (value as f32).is_infinite() {
        out.push(at, format!("{text} does not fit in a float"));
    }
    check_bounds(text, value, bounds, at, out);
}

fn check_bounds(
    text: &dyn fmt::Display,
    value: f64,
    bounds: Bounds,
    at: &At<'_>,
    out: &mut Violations,
) {
    if let Some(min) = bounds.minimum {
        if value < min || (bounds.exclusive_minimum && value == min) {
            let op = if bounds.exclusive_minimum {
                "greater than"
            } else {
                "at least"
            };
            out.push(at, format!("{text} must be {op} {min}"));
        }
    }
    if let Some(max) = bounds.maximum {
        if value > max || (bounds.exclusive_maximum && value == max) {
            let op = if bounds.exclusive_maximum {
                "less than"
            } else {
                "at most"
            };
            out.push(at, format!("{text} must be {op} {max}"));
        }
    }
    if let Some(m) = bounds.multiple_of.filter(|m| *m > 0.0) {
        if (value / m).fract().abs() > 1e-9 {
            out.push(at, format!("{text} is not a multiple of {m}"));
        }
    }
}

/// Checks one value against a schema as it is deserialized (from bytes or from a
/// `Value`); it never fails on its own, only the input can.
struct Walk<'s, 'a, 'o> {
    schema: &'s Schema,
    at: &'a At<'a>,
    out: &'o mut Violations,
}

impl<'de> DeserializeSeed<'de> for Walk<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Walk<'_, '_, '_> {
    fn primitive(self, value: Primitive<'_>) {
        check_primitive(self.schema, value, self.at, self.out);
    }
}

/// Walks a container with the one shape of `schema` that takes it. When the schema has
/// other shapes, that shape's complaints become "matches none of the allowed shapes".
fn one_shape<E>(
    schema: &Schema,
    alone: bool,
    at: &At<'_>,
    out: &mut Violations,
    walk: impl FnOnce(&At<'_>, &mut Violations) -> Result<(), E>,
) -> Result<(), E> {
    if alone {
        return walk(at, out);
    }
    let mut scratch = out.scratch();
    walk(at, &mut scratch)?;
    if !scratch.is_empty() {
        out.push(at, Shapes::of(schema).none_matches());
    }
    Ok(())
}

impl<'de> Visitor<'de> for Walk<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.primitive(Primitive::Bool(v));
        Ok(())
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.primitive(Primitive::Int(Int::Signed(v)));
        Ok(())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.primitive(Primitive::Int(Int::Unsigned(v)));
        Ok(())
    }

    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.primitive(Primitive::Float(v));
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.primitive(Primitive::Str(v));
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.primitive(Primitive::Null);
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        self.primitive(Primitive::Null);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let Walk { schema, at, out } = self;
        match target(schema, Container::Array) {
            Target::Nothing => {
                out.push(at, mismatch(schema, "an array"));
                IgnoredAny::deserialize(SeqAccessDeserializer::new(seq)).map(drop)
            }
            Target::One { rule, alone } => one_shape(schema, alone, at, out, |at, out| {
                walk_seq(seq, rule, at, out)
            }),
            Target::Buffer => {
                let value = Value::deserialize(SeqAccessDeserializer::new(seq))?;
                buffered(schema, &value, at, out);
                Ok(())
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let Walk { schema, at, out } = self;
        match target(schema, Container::Object) {
            Target::Nothing => {
                out.push(at, mismatch(schema, "an object"));
                IgnoredAny::deserialize(MapAccessDeserializer::new(map)).map(drop)
            }
            Target::One { rule, alone } => one_shape(schema, alone, at, out, |at, out| {
                walk_map(map, rule, at, out)
            }),
            Target::Buffer => {
                let value = Value::deserialize(MapAccessDeserializer::new(map))?;
                buffered(schema, &value, at, out);
                Ok(())
            }
        }
    }
}

fn walk_seq<'de, A: SeqAccess<'de>>(
    mut seq: A,
    rule: Rule,
    at: &At<'_>,
    out: &mut Violations,
) -> Result<(), A::Error> {
    let Rule::Array {
        items, min, max, ..
    } = rule
    else {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        return Ok(());
    };
    let mark = out.len();
    let mut count = 0;
    loop {
        let at = at.index(count);
        let walk = Walk {
            schema: items,
            at: &at,
            out: &mut *out,
        };
        if seq.next_element_seed(walk)?.is_none() {
            break;
        }
        count += 1;
    }
    if let Some(min) = min.filter(|min| count < *min) {
        out.insert(mark, at, format!("fewer than {min} items ({count})"));
    }
    if let Some(max) = max.filter(|max| count > *max) {
        out.insert(mark, at, format!("more than {max} items ({count})"));
    }
    Ok(())
}

fn walk_map<'de, A: MapAccess<'de>>(
    mut map: A,
    rule: Rule,
    at: &At<'_>,
    out: &mut Violations,
) -> Result<(), A::Error> {
    let Rule::Object {
        fields,
        additional,
        min,
        max,
    } = rule
    else {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        return Ok(());
    };
    let mark = out.len();
    let mut seen = Seen::new(fields.len());
    let mut count = 0;
    while let Some(key) = map.next_key_seed(KeySeed)? {
        count += 1;
        match fields.iter().position(|f| f.name == key) {
            Some(index) => {
                seen.set(index);
                let field = &fields[index];
                let at = at.key(field.name);
                map.next_value_seed(Walk {
                    schema: &field.schema,
                    at: &at,
                    out: &mut *out,
                })?;
            }
            None => match additional {
                Some(schema) => {
                    let at = at.key(&key);
                    map.next_value_seed(Walk {
                        schema,
                        at: &at,
                        out: &mut *out,
                    })?;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            },
        }
    }
    // The object's own problems first, as a reader expects them.
    let mut own = mark;
    if let Some(max) = max.filter(|max| count > *max) {
        out.insert(own, at, format!("more than {max} properties"));
        own += 1;
    }
    if let Some(min) = min.filter(|min| count < *min) {
        out.insert(own, at, format!("fewer than {min} properties"));
        own += 1;
    }
    for (index, field) in fields.iter().enumerate() {
        if field.required && !seen.get(index) {
            out.insert(own, &at.key(field.name), "required".to_string());
            own += 1;
        }
    }
    Ok(())
}

/// Which properties of an object were present.
struct Seen {
    small: u64,
    large: Vec<bool>,
}

impl Seen {
    fn new(fields: usize) -> Self {
        Seen {
            small: 0,
            large: if fields > 64 {
                vec![false; fields]
            } else {
                Vec::new()
            },
        }
    }

    fn set(&mut self, index: usize) {
        if self.large.is_empty() {
            self.small |= 1 << index;
        } else {
            self.large[index] = true;
        }
    }

    fn get(&self, index: usize) -> bool {
        if self.large.is_empty() {
            self.small & (1 << index) != 0
        } else {
            self.large[index]
        }
    }
}

/// An object key, borrowed from the input when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(KeySeed)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
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
    if !is_date(date) || time.len() < 9 || !time.is_char_boundary(8) {
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

mod checked;
pub use checked::{decode as decode_checked, Found};

#[cfg(test)]
mod tests;
