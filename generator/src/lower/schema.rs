//! Schemas: component and inline schemas into named types and type references.

use super::*;

impl Lowerer<'_> {
    /// A schema with a `type` and keywords of another type (`type: integer` with
    /// `maxLength`), which `openapiv3` can only read as an untyped schema, read again as
    /// its `type` without the keywords that do not apply, with a warning naming them.
    /// `None` when the schema is fine as it is, or when dropping them does not help.
    pub(super) fn retyped(&mut self, schema: &OaSchema, pointer: &str) -> Option<OaSchema> {
        let SchemaKind::Any(any) = &schema.schema_kind else {
            return None;
        };
        let applies: &[&str] = match any.typ.as_deref()? {
            "string" => &["maxLength", "minLength", "pattern", "format", "enum"],
            "integer" | "number" => &[
                "multipleOf",
                "maximum",
                "exclusiveMaximum",
                "minimum",
                "exclusiveMinimum",
                "format",
                "enum",
            ],
            "boolean" => &["enum"],
            "array" => &["items", "maxItems", "minItems", "uniqueItems"],
            "object" => &[
                "properties",
                "required",
                "additionalProperties",
                "minProperties",
                "maxProperties",
            ],
            _ => return None,
        };
        if !any.all_of.is_empty() || !any.one_of.is_empty() || !any.any_of.is_empty() {
            return None;
        }
        let mut raw = serde_json::to_value(schema).ok()?;
        let object = raw.as_object_mut()?;
        let ignored: Vec<String> = object
            .keys()
            .filter(|k| TYPE_KEYWORDS.contains(&k.as_str()) && !applies.contains(&k.as_str()))
            .cloned()
            .collect();
        for key in &ignored {
            object.remove(key);
        }
        // An untyped schema keeps bounds as floats; an integer schema reads whole numbers.
        for key in ["minimum", "maximum", "multipleOf"] {
            if let Some(n) = object.get(key).and_then(Value::as_f64) {
                if n.fract() == 0.0 && n.abs() < 9.0e15 {
                    object.insert(key.to_string(), Value::from(n as i64));
                }
            }
        }
        let retyped: OaSchema = serde_json::from_value(raw).ok()?;
        if matches!(retyped.schema_kind, SchemaKind::Any(_)) {
            return None;
        }
        let list = ignored
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        self.warn(
            pointer,
            "lenient",
            format!(
                "{list} does not apply to `type: {}` and is ignored",
                any.typ.as_deref().unwrap_or_default()
            ),
        );
        Some(retyped)
    }

    pub(super) fn lower_component(&mut self, id: TypeId) {
        if self.state.get(&id) != Some(&State::NotStarted) {
            return;
        }
        self.state.insert(id, State::InProgress);
        let name = self.types[id.0].name.clone();
        let pointer = self.types[id.0].pointer.clone();
        let doc = self.doc;
        let raw = &doc
            .components
            .as_ref()
            .expect("ids exist only for components")
            .schemas[&name];
        let kind = match raw {
            ReferenceOr::Reference { reference } => {
                // A component that only points at another becomes an alias of it.
                let schema = self.reference(reference, &pointer);
                TypeKind::Alias(schema)
            }
            ReferenceOr::Item(schema) => {
                let retyped = self.retyped(schema, &pointer);
                let schema = retyped.as_ref().unwrap_or(schema);
                self.types[id.0].description = schema.schema_data.description.clone();
                self.types[id.0].examples = schema_examples(schema, &pointer);
                let rust_name = self.types[id.0].rust_name.clone();
                if !is_def_schema(schema) {
                    TypeKind::Alias(self.use_schema(schema, &pointer, &rust_name))
                } else {
                    match self.shape(schema, &pointer, &rust_name) {
                        Shape::Def(kind) => kind,
                        Shape::Inline(_) => {
                            TypeKind::Alias(self.use_schema(schema, &pointer, &rust_name))
                        }
                    }
                }
            }
        };
        if let TypeKind::Alias(schema) = &kind {
            if schema.ty == TypeRef::Named(id) {
                self.error_rule(
                    &pointer,
                    "invalid",
                    "this schema refers to itself and nothing else",
                );
            }
        }
        self.types[id.0].kind = kind;
        self.state.insert(id, State::Done);
    }

    /// Resolves a schema `$ref` at a use site.
    pub(super) fn reference(&mut self, reference: &str, pointer: &str) -> Schema {
        let Some(name) = reference.strip_prefix(SCHEMA_PREFIX) else {
            self.error_rule(
                pointer, "reference",
                format!("`$ref: {reference}` is not supported; schema references must point into #/components/schemas/ of the same file"),
            );
            return Schema::of(TypeRef::Any);
        };
        let name = unescape(name);
        let Some(&id) = self.components.get(&name) else {
            self.error_rule(
                pointer,
                "reference",
                format!("`$ref: {reference}` points at a schema that does not exist"),
            );
            return Schema::of(TypeRef::Any);
        };
        if self.state.get(&id) == Some(&State::NotStarted) && !self.is_def(&name) {
            self.lower_component(id);
        }
        match &self.types[id.0].kind {
            // Aliases are expanded where they are used, so their constraints and
            // lenient decoding apply there. A recursive alias cannot be expanded.
            TypeKind::Alias(schema) if self.state.get(&id) == Some(&State::Done) => {
                let mut schema = schema.clone();
                if schema.description.is_none() {
                    schema.description = self.types[id.0].description.clone();
                }
                schema
            }
            _ if !self.is_def(&name) => {
                self.error_rule(pointer, "reference", format!("`$ref: {reference}` is part of a cycle of schemas that are not objects; such a type has no finite representation"));
                Schema::of(TypeRef::Any)
            }
            _ => Schema::of(TypeRef::Named(id)),
        }
    }

    /// Whether the component `name` becomes a named type (rather than an alias).
    pub(super) fn is_def(&self, name: &str) -> bool {
        let doc = self.doc;
        match doc.components.as_ref().and_then(|c| c.schemas.get(name)) {
            Some(ReferenceOr::Item(schema)) => is_def_schema(schema),
            _ => false,
        }
    }

    /// A schema where it is used (a property, item, parameter or body).
    pub(super) fn schema(
        &mut self,
        schema: &ReferenceOr<OaSchema>,
        pointer: &str,
        hint: &str,
    ) -> Schema {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.use_schema(schema, pointer, hint),
        }
    }

    pub(super) fn boxed_schema(
        &mut self,
        schema: &ReferenceOr<Box<OaSchema>>,
        pointer: &str,
        hint: &str,
    ) -> Schema {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.use_schema(schema, pointer, hint),
        }
    }

    pub(super) fn use_schema(&mut self, schema: &OaSchema, pointer: &str, hint: &str) -> Schema {
        if let Some(retyped) = self.retyped(schema, pointer) {
            return self.use_schema(&retyped, pointer, hint);
        }
        let data = &schema.schema_data;
        if let Some(canonical) = data.extensions.get("x-canonical") {
            return self.canonical(schema, canonical, pointer, hint);
        }
        // `allOf` with one member is how OpenAPI 3.0 attaches a description (or
        // `nullable`, a default) to a `$ref`: it is the member itself (spec-model's rule).
        if let Some(member) = spec_model::all_of::wrapped(schema) {
            let index = match &schema.schema_kind {
                SchemaKind::AllOf { all_of } => all_of
                    .iter()
                    .position(|m| std::ptr::eq(m, member))
                    .unwrap_or_default(),
                _ => 0,
            };
            let mut s = self.schema(member, &format!("{pointer}/allOf/{index}"), hint);
            let annotated = spec_model::all_of::annotation_members(schema)
                .find_map(|m| m.schema_data.description.clone());
            if data.description.is_some() {
                s.description = data.description.clone();
            } else if annotated.is_some() {
                s.description = annotated;
            }
            s.nullable |= data.nullable;
            if data.default.is_some() {
                s.default = data.default.clone();
            }
            return s;
        }
        let ty = match self.shape(schema, pointer, hint) {
            Shape::Inline(ty) => ty,
            Shape::Def(kind) => {
                TypeRef::Named(self.new_type(hint, data.description.clone(), kind, pointer, schema))
            }
        };
        Schema {
            ty,
            constraints: constraints(schema),
            nullable: data.nullable || nullable_enum(schema),
            default: data.default.clone(),
            description: data.description.clone(),
            lenient: Vec::new(),
        }
    }

    pub(super) fn new_type(
        &mut self,
        hint: &str,
        description: Option<String>,
        kind: TypeKind,
        pointer: &str,
        schema: &OaSchema,
    ) -> TypeId {
        let rust_name = self.type_names.claim(naming::type_name(hint));
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name: hint.to_string(),
            rust_name,
            description,
            kind,
            examples: schema_examples(schema, pointer),
            pointer: pointer.to_string(),
            component: false,
        });
        self.state.insert(id, State::Done);
        id
    }

    pub(super) fn shape(&mut self, schema: &OaSchema, pointer: &str, hint: &str) -> Shape {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                if !values.is_empty() {
                    return Shape::Def(TypeKind::Enum(enum_kind(&values)));
                }
                let format = match &s.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::DateTime) => {
                        StringFormat::DateTime
                    }
                    VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Date) => {
                        StringFormat::Date
                    }
                    VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Byte) => {
                        StringFormat::Byte
                    }
                    VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary) => {
                        StringFormat::Binary
                    }
                    _ => StringFormat::Plain,
                };
                Shape::Inline(TypeRef::String(format))
            }
            SchemaKind::Type(Type::Integer(i)) => {
                Shape::Inline(TypeRef::Integer(match &i.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => IntFormat::I32,
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => IntFormat::I64,
                    VariantOrUnknownOrEmpty::Unknown(f) => int_format(f),
                    VariantOrUnknownOrEmpty::Empty => IntFormat::I64,
                }))
            }
            SchemaKind::Type(Type::Number(n)) => Shape::Inline(TypeRef::Number(match &n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => NumFormat::F32,
                _ => NumFormat::F64,
            })),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Inline(TypeRef::Boolean),
            SchemaKind::Type(Type::Array(a)) => {
                let items = match &a.items {
                    Some(items) => {
                        self.boxed_schema(items, &join(pointer, "items"), &format!("{hint}Item"))
                    }
                    None => Schema::of(TypeRef::Any),
                };
                Shape::Inline(TypeRef::Array(Box::new(items)))
            }
            SchemaKind::Type(Type::Object(o)) => self.object(
                &o.properties,
                &o.required,
                o.additional_properties.as_ref(),
                pointer,
                hint,
            ),
            SchemaKind::AllOf { all_of } => self.all_of(all_of, pointer, hint),
            SchemaKind::OneOf { one_of } => self.union(one_of, true, schema, pointer, hint),
            SchemaKind::AnyOf { any_of } => self.union(any_of, false, schema, pointer, hint),
            SchemaKind::Not { .. } => {
                self.error(pointer, "`not` is not supported by the generator");
                Shape::Inline(TypeRef::Any)
            }
            SchemaKind::Any(any) => self.any_schema(any, schema, pointer, hint),
        }
    }

    pub(super) fn any_schema(
        &mut self,
        any: &openapiv3::AnySchema,
        schema: &OaSchema,
        pointer: &str,
        hint: &str,
    ) -> Shape {
        if !any.all_of.is_empty() {
            return self.all_of(&any.all_of, pointer, hint);
        }
        if !any.one_of.is_empty() {
            return self.union(&any.one_of, true, schema, pointer, hint);
        }
        if !any.any_of.is_empty() {
            return self.union(&any.any_of, false, schema, pointer, hint);
        }
        match any.typ.as_deref() {
            Some("object") | None
                if !any.properties.is_empty() || any.additional_properties.is_some() =>
            {
                self.object(
                    &any.properties,
                    &any.required,
                    any.additional_properties.as_ref(),
                    pointer,
                    hint,
                )
            }
            Some("object") => Shape::Inline(TypeRef::FreeObject),
            None => Shape::Inline(TypeRef::Any),
            Some(other) => {
                self.error(pointer, format!("cannot read this `type: {other}` schema; it mixes keywords of different types"));
                Shape::Inline(TypeRef::Any)
            }
        }
    }

    pub(super) fn object(
        &mut self,
        properties: &IndexMap<String, ReferenceOr<Box<OaSchema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        pointer: &str,
        hint: &str,
    ) -> Shape {
        let additional = match additional {
            Some(AdditionalProperties::Schema(s)) => {
                let s = self.schema(
                    s,
                    &join(pointer, "additionalProperties"),
                    &format!("{hint}Value"),
                );
                Some(Box::new(s))
            }
            Some(AdditionalProperties::Any(true)) if !properties.is_empty() => None,
            Some(AdditionalProperties::Any(true)) => return Shape::Inline(TypeRef::FreeObject),
            _ => None,
        };
        if properties.is_empty() {
            return match additional {
                Some(values) => Shape::Inline(TypeRef::Map(values)),
                None => Shape::Inline(TypeRef::FreeObject),
            };
        }
        for name in required {
            if !properties.contains_key(name) {
                self.warn(
                    &join(pointer, "required"),
                    "lenient",
                    format!("`{name}` is listed as required but is not a property; it is ignored"),
                );
            }
        }
        let fields = self.fields(properties, required, pointer, hint);
        Shape::Def(TypeKind::Struct(Struct { fields, additional }))
    }

    pub(super) fn fields(
        &mut self,
        properties: &IndexMap<String, ReferenceOr<Box<OaSchema>>>,
        required: &[String],
        pointer: &str,
        hint: &str,
    ) -> Vec<Field> {
        let mut scope = Scope::new();
        let mut fields = Vec::new();
        for (wire, prop) in properties {
            let prop_pointer = join(&join(pointer, "properties"), wire);
            let schema = self.boxed_schema(
                prop,
                &prop_pointer,
                &format!("{hint}{}", naming::camel(wire)),
            );
            let deprecated = matches!(prop, ReferenceOr::Item(s) if s.schema_data.deprecated);
            fields.push(Field {
                wire_name: wire.clone(),
                rust_name: scope.claim(naming::snake(wire)),
                required: required.contains(wire),
                deprecated,
                schema,
                boxed: false,
                pointer: prop_pointer,
            });
        }
        fields
    }
}

/// Whether a component schema needs a named type (object, string enum, union).
pub(super) fn is_def_schema(schema: &OaSchema) -> bool {
    if schema.schema_data.extensions.contains_key("x-canonical") {
        return false;
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => s.enumeration.iter().any(Option::is_some),
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::AllOf { all_of } => all_of.len() > 1,
        SchemaKind::OneOf { one_of } => one_of.len() > 1,
        SchemaKind::AnyOf { any_of } => any_of.len() > 1,
        SchemaKind::Any(a) => {
            !a.properties.is_empty()
                || !a.all_of.is_empty()
                || a.one_of.len() > 1
                || a.any_of.len() > 1
        }
        _ => false,
    }
}

pub(super) fn schema_examples(schema: &OaSchema, pointer: &str) -> Vec<Example> {
    schema
        .schema_data
        .example
        .iter()
        .map(|value| Example {
            name: "example".to_string(),
            summary: None,
            value: value.clone(),
            pointer: join(pointer, "example"),
        })
        .collect()
}

pub(super) fn constraints(schema: &OaSchema) -> Constraints {
    let mut c = Constraints::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            c.min_length = s.min_length;
            c.max_length = s.max_length;
            c.pattern = s.pattern.clone();
        }
        SchemaKind::Type(Type::Integer(i)) => {
            c.minimum = i.minimum.map(|v| v as f64);
            c.maximum = i.maximum.map(|v| v as f64);
            c.exclusive_minimum = i.exclusive_minimum;
            c.exclusive_maximum = i.exclusive_maximum;
            c.multiple_of = i.multiple_of.map(|v| v as f64);
            c.allowed = i
                .enumeration
                .iter()
                .flatten()
                .map(|v| Value::from(*v))
                .collect();
        }
        SchemaKind::Type(Type::Number(n)) => {
            c.minimum = n.minimum;
            c.maximum = n.maximum;
            c.exclusive_minimum = n.exclusive_minimum;
            c.exclusive_maximum = n.exclusive_maximum;
            c.multiple_of = n.multiple_of;
            c.allowed = n
                .enumeration
                .iter()
                .flatten()
                .filter_map(|v| serde_json::Number::from_f64(*v).map(Value::Number))
                .collect();
        }
        SchemaKind::Type(Type::Boolean(b)) => {
            c.allowed = b
                .enumeration
                .iter()
                .flatten()
                .map(|v| Value::Bool(*v))
                .collect();
        }
        SchemaKind::Type(Type::Array(a)) => {
            c.min_items = a.min_items;
            c.max_items = a.max_items;
            c.unique_items = a.unique_items;
        }
        SchemaKind::Type(Type::Object(o)) => {
            c.min_properties = o.min_properties;
            c.max_properties = o.max_properties;
        }
        SchemaKind::Any(a) => {
            c.min_length = a.min_length;
            c.max_length = a.max_length;
            c.pattern = a.pattern.clone();
            c.minimum = a.minimum;
            c.maximum = a.maximum;
            c.exclusive_minimum = a.exclusive_minimum.unwrap_or(false);
            c.exclusive_maximum = a.exclusive_maximum.unwrap_or(false);
            c.min_items = a.min_items;
            c.max_items = a.max_items;
        }
        _ => {}
    }
    c
}

pub(super) fn nullable_enum(schema: &OaSchema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Type(Type::String(s)) if s.enumeration.iter().any(Option::is_none))
}

pub(super) fn enum_kind(values: &[String]) -> Enum {
    let mut scope = Scope::new();
    let values: Vec<EnumValue> = values
        .iter()
        .map(|v| EnumValue {
            wire: v.clone(),
            rust_name: scope.claim(naming::variant(v)),
        })
        .collect();
    let other_variant = scope.claim("Other".to_string());
    Enum {
        values,
        other_variant,
    }
}

pub(super) fn int_format(format: &str) -> IntFormat {
    match format {
        "int8" => IntFormat::I8,
        "int16" => IntFormat::I16,
        "int32" => IntFormat::I32,
        "uint8" => IntFormat::U8,
        "uint16" => IntFormat::U16,
        "uint32" => IntFormat::U32,
        "uint64" | "uint" => IntFormat::U64,
        _ => IntFormat::I64,
    }
}

/// The keywords that apply to one `type` only.
const TYPE_KEYWORDS: &[&str] = &[
    "maxLength",
    "minLength",
    "pattern",
    "format",
    "enum",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "items",
    "maxItems",
    "minItems",
    "uniqueItems",
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
];
