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
        let typ = any.typ.as_deref().unwrap_or_default();
        let ignored: Vec<String> = object
            .keys()
            .filter(|k| TYPE_KEYWORDS.contains(&k.as_str()) && !applies.contains(&k.as_str()))
            .cloned()
            .collect();
        for key in &ignored {
            object.remove(key);
        }
        // `not` beside a `type` narrows it; the generated code does not check `not`.
        if object.remove("not").is_some() {
            self.warn(
                &join(pointer, "not"),
                "lenient",
                "`not` is not enforced by the generated code; the schema is read without it",
            );
        }
        if !ignored.is_empty() {
            let list = ignored
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            self.warn(
                pointer,
                "lenient",
                format!("{list} does not apply to `type: {typ}` and is ignored"),
            );
        }
        let mut retyped = None;
        if typ == "integer" {
            self.whole_bounds(object, pointer);
        }
        self.enum_of_type(object, typ, pointer);
        // Whatever still keeps the schema from reading as its `type` has a value that type
        // cannot hold (a `format` that is not text, say): it is dropped, with a warning.
        let mut dropped = Vec::new();
        loop {
            match serde_json::from_value::<OaSchema>(Value::Object(object.clone())) {
                Ok(schema) if !matches!(schema.schema_kind, SchemaKind::Any(_)) => {
                    retyped = Some(schema);
                    break;
                }
                _ => {}
            }
            let Some(key) = applies
                .iter()
                .find(|k| object.contains_key(**k) && !dropped.contains(*k))
            else {
                break;
            };
            object.remove(*key);
            dropped.push(*key);
        }
        let retyped = retyped?;
        for key in dropped {
            self.warn(
                &join(pointer, key),
                "lenient",
                format!("`{key}` has a value that does not fit `type: {typ}`; it is ignored"),
            );
        }
        Some(retyped)
    }

    /// The bounds of an integer schema as whole numbers in the 64-bit range: a fraction
    /// rounds inwards (`minimum: 0.5` is `minimum: 1`), a bound beyond the range is the
    /// end of the range. Each change is a warning.
    fn whole_bounds(&mut self, object: &mut serde_json::Map<String, Value>, pointer: &str) {
        for key in ["minimum", "maximum", "multipleOf"] {
            let Some(number) = object.get(key).and_then(Value::as_f64) else {
                continue;
            };
            if object.get(key).is_some_and(|v| v.is_i64()) {
                continue;
            }
            let whole = match key {
                "minimum" => number.ceil(),
                "maximum" => number.floor(),
                _ => number.round().max(1.0),
            };
            // `as` saturates: a bound beyond the range is its end.
            let whole = whole as i64;
            let beyond = number.abs() >= 9.2e18;
            // Round numbers written as floats (`minimum: 1.0`) read as they are.
            if number.fract() != 0.0 || beyond {
                let why = if beyond {
                    "is beyond the 64-bit integers"
                } else {
                    "is not a whole number"
                };
                self.warn(
                    &join(pointer, key),
                    "lenient",
                    format!("`{key}: {number}` {why}; it is read as `{whole}`"),
                );
            }
            object.insert(key.to_string(), Value::from(whole));
        }
    }

    /// `enum` values of another JSON type than the schema's `type`: for `type: string`
    /// numbers and booleans are read as their text (`enum: [1, 2]` as `"1"`, `"2"`); for
    /// numbers and booleans, text that spells a value of the type is read as that value;
    /// anything else is left out. One warning names what was read how.
    fn enum_of_type(
        &mut self,
        object: &mut serde_json::Map<String, Value>,
        typ: &str,
        pointer: &str,
    ) {
        let Some(Value::Array(values)) = object.get("enum") else {
            return;
        };
        let mut changed = Vec::new();
        let mut dropped = Vec::new();
        let mut out = Vec::new();
        for value in values {
            let fitting = match (typ, value) {
                (_, Value::Null) => Some(Value::Null),
                ("string", Value::String(_))
                | ("boolean", Value::Bool(_))
                | ("number", Value::Number(_)) => Some(value.clone()),
                ("integer", Value::Number(n)) if n.is_i64() => Some(value.clone()),
                ("string", Value::Number(_) | Value::Bool(_)) => {
                    Some(Value::String(value.to_string()))
                }
                ("integer", Value::String(text)) => {
                    text.trim().parse::<i64>().ok().map(Value::from)
                }
                ("number", Value::String(text)) => text
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number),
                ("boolean", Value::String(text)) => match text.as_str() {
                    "true" => Some(Value::Bool(true)),
                    "false" => Some(Value::Bool(false)),
                    _ => None,
                },
                _ => None,
            };
            match fitting {
                Some(v) if v == *value => out.push(v),
                Some(v) => {
                    changed.push(format!("`{value}` as `{v}`"));
                    out.push(v);
                }
                None => dropped.push(format!("`{value}`")),
            }
        }
        if changed.is_empty() && dropped.is_empty() {
            return;
        }
        let mut parts = Vec::new();
        if !changed.is_empty() {
            parts.push(format!("reads {}", list_of(&changed)));
        }
        if !dropped.is_empty() {
            parts.push(format!(
                "leaves out {}, which `type: {typ}` cannot hold",
                list_of(&dropped)
            ));
        }
        self.warn(
            &join(pointer, "enum"),
            "lenient",
            format!(
                "`enum` has values of another type than `type: {typ}`; it {}",
                parts.join(" and ")
            ),
        );
        if out.iter().all(Value::is_null) {
            object.remove("enum");
        } else {
            object.insert("enum".to_string(), Value::Array(out));
        }
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

    /// A schema `$ref` to another place of the document than `#/components/schemas/`
    /// (`#/paths/~1items/get/parameters/0/schema`): the schema written there, lowered
    /// once per reference and read as it is at every use, with a warning. A reference
    /// outside the document, to nothing, to something that is not a schema, or back to
    /// itself through such references is refused.
    fn schema_elsewhere(&mut self, reference: &str, pointer: &str) -> Schema {
        match self.elsewhere.get(reference) {
            Some(Some(schema)) => return schema.clone(),
            Some(None) => {
                self.error_rule(pointer, "reference", format!("`$ref: {reference}` is part of a cycle of references outside #/components/schemas/; move the schema into #/components/schemas/ to make it a named type"));
                return Schema::of(TypeRef::Any);
            }
            None => {}
        }
        let (value, at) = match spec_model::resolve::target(&self.spec.raw, reference) {
            Ok((value, at)) => (value.clone(), at),
            Err(message) => {
                self.error_rule(pointer, "reference", message);
                return Schema::of(TypeRef::Any);
            }
        };
        let parsed: ReferenceOr<OaSchema> = match serde_json::from_value(value) {
            Ok(parsed) => parsed,
            Err(err) => {
                self.error_rule(
                    pointer,
                    "reference",
                    format!("`$ref: {reference}` does not point at a schema: {err}"),
                );
                return Schema::of(TypeRef::Any);
            }
        };
        self.warn(
            pointer,
            "lenient",
            format!("`$ref: {reference}` points outside #/components/schemas/; it is read as the schema written there"),
        );
        // A schema that a component holds and that is a type of its own (an object
        // property, an array's items) is that type, not a copy of it.
        if let Some(id) = self.type_written_at(&at) {
            let schema = Schema::of(TypeRef::Named(id));
            self.elsewhere
                .insert(reference.to_string(), Some(schema.clone()));
            return schema;
        }
        self.elsewhere.insert(reference.to_string(), None);
        // Named after the last words of where it is written: `…/items/get/parameters/0/schema` → `ItemsGet`.
        let words: Vec<String> = at
            .tokens()
            .filter(|t| !t.is_empty() && !t.chars().all(|c| c.is_ascii_digit()))
            .filter(|t| {
                !matches!(
                    t.as_str(),
                    "schema"
                        | "content"
                        | "items"
                        | "properties"
                        | "parameters"
                        | "responses"
                        | "paths"
                        | "components"
                )
            })
            .map(|t| naming::camel(&t))
            .collect();
        let hint = match words.len() {
            0 => "Referenced".to_string(),
            n => words[n.saturating_sub(2)..].concat(),
        };
        let schema = self.schema(&parsed, at.as_str(), &hint);
        self.elsewhere
            .insert(reference.to_string(), Some(schema.clone()));
        schema
    }

    /// The named type lowered from the inline schema at `at`, inside a component (which
    /// is lowered first if it has not been); `None` for a place outside the components,
    /// or a schema that is not a type of its own.
    fn type_written_at(&mut self, at: &Pointer) -> Option<TypeId> {
        let mut tokens = at.tokens();
        if tokens.next()? != "components" || tokens.next()? != "schemas" {
            return None;
        }
        let component = tokens.next()?;
        // Inside the component, not the component itself.
        tokens.next()?;
        let &id = self.components.get(&component)?;
        if self.state.get(&id) == Some(&State::NotStarted) {
            self.lower_component(id);
        }
        self.types
            .iter()
            .position(|t| !t.component && t.pointer == at.as_str())
            .map(TypeId)
    }

    /// Resolves a schema `$ref` at a use site.
    pub(super) fn reference(&mut self, reference: &str, pointer: &str) -> Schema {
        let Some(name) = schema_component(self.doc, reference) else {
            return self.schema_elsewhere(reference, pointer);
        };
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
            // A component lowered to a named type although its raw form is not one (an
            // enum whose values are read as its `type`, after `retyped`) is that type.
            _ if !self.is_def(&name) && self.state.get(&id) != Some(&State::Done) => {
                // Referred to by name: a type alias, checked for a named type on its
                // cycle once everything is lowered.
                self.alias_cycles
                    .push((id, pointer.to_string(), reference.to_string()));
                Schema::of(TypeRef::Named(id))
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
                s.default = self.checked_default(data.default.as_ref(), &s.ty, pointer);
            }
            return s;
        }
        let ty = match self.shape(schema, pointer, hint) {
            Shape::Inline(ty) => ty,
            Shape::Def(kind) => {
                TypeRef::Named(self.new_type(hint, data.description.clone(), kind, pointer, schema))
            }
        };
        let default = self.checked_default(data.default.as_ref(), &ty, pointer);
        Schema {
            ty,
            constraints: self.checked_constraints(schema, pointer),
            nullable: data.nullable || nullable_enum(schema),
            default,
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
                let mut values: Vec<String> = Vec::new();
                let mut repeated: Vec<String> = Vec::new();
                for value in s.enumeration.iter().flatten() {
                    if values.contains(value) {
                        repeated.push(format!("`{value}`"));
                    } else {
                        values.push(value.clone());
                    }
                }
                if !repeated.is_empty() {
                    self.warn(
                        &join(pointer, "enum"),
                        "lenient",
                        format!(
                            "`enum` lists {} more than once; each value is read once",
                            list_of(&repeated)
                        ),
                    );
                }
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
                    VariantOrUnknownOrEmpty::Unknown(f) => {
                        self.note_format(f, "string", pointer);
                        StringFormat::Plain
                    }
                    _ => StringFormat::Plain,
                };
                Shape::Inline(TypeRef::String(format))
            }
            SchemaKind::Type(Type::Integer(i)) => {
                Shape::Inline(TypeRef::Integer(match &i.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => IntFormat::I32,
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => IntFormat::I64,
                    VariantOrUnknownOrEmpty::Unknown(f) => {
                        self.note_format(f, "integer", pointer);
                        int_format(f)
                    }
                    VariantOrUnknownOrEmpty::Empty => IntFormat::I64,
                }))
            }
            SchemaKind::Type(Type::Number(n)) => Shape::Inline(TypeRef::Number(match &n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => NumFormat::F32,
                VariantOrUnknownOrEmpty::Unknown(f) => {
                    self.note_format(f, "number", pointer);
                    NumFormat::F64
                }
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
                self.warn(
                    &join(pointer, "not"),
                    "lenient",
                    "`not` is not enforced by the generated code; the schema is read as any value",
                );
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
            Some(known @ ("string" | "integer" | "number" | "boolean" | "array")) => {
                self.error(pointer, format!("cannot read this `type: {known}` schema; it mixes keywords of different types"));
                Shape::Inline(TypeRef::Any)
            }
            Some("file") => {
                self.warn(
                    &join(pointer, "type"),
                    "lenient",
                    "`type: file` is Swagger 2.0; it is read as `type: string, format: binary`",
                );
                Shape::Inline(TypeRef::String(StringFormat::Binary))
            }
            Some(other) => {
                self.warn(
                    &join(pointer, "type"),
                    "lenient",
                    format!("`type: {other}` is not an OpenAPI 3.0 type; the schema is read as any value"),
                );
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
        let fields = self.fields(properties, required, pointer, hint, &HashMap::new());
        Shape::Def(TypeKind::Struct(Struct { fields, additional }))
    }

    /// The fields of an object's `properties`, each lowered where it is written:
    /// `<pointer>/properties/<name>`, or the place `written` gives (for the properties
    /// an `allOf` merges from its members).
    pub(super) fn fields(
        &mut self,
        properties: &IndexMap<String, ReferenceOr<Box<OaSchema>>>,
        required: &[String],
        pointer: &str,
        hint: &str,
        written: &HashMap<String, String>,
    ) -> Vec<Field> {
        let mut scope = Scope::new();
        let mut fields = Vec::new();
        for (wire, prop) in properties {
            let prop_pointer = written
                .get(wire)
                .cloned()
                .unwrap_or_else(|| join(&join(pointer, "properties"), wire));
            let schema = self.boxed_schema(
                prop,
                &prop_pointer,
                &format!("{hint}{}", naming::camel(wire)),
            );
            let deprecated = matches!(prop, ReferenceOr::Item(s) if s.schema_data.deprecated);
            // A required `readOnly` property is required in responses only, a `writeOnly`
            // one in requests only; one type serves both, so it is optional in it.
            let one_way = self.read_or_write_only(prop);
            fields.push(Field {
                wire_name: wire.clone(),
                rust_name: scope.claim(naming::snake(wire)),
                required: required.contains(wire) && !one_way,
                deprecated,
                schema,
                boxed: false,
                pointer: prop_pointer,
            });
        }
        fields
    }
}

impl Lowerer<'_> {
    /// Whether a property is `readOnly` or `writeOnly`, where it is written, on the
    /// member of its `allOf` wrapper, or on the component its `$ref` names.
    fn read_or_write_only(&self, prop: &ReferenceOr<Box<OaSchema>>) -> bool {
        let component = |reference: &str| component_schema(self.doc, reference);
        let one_way = |s: &OaSchema| s.schema_data.read_only || s.schema_data.write_only;
        match prop {
            ReferenceOr::Reference { reference } => component(reference).is_some_and(one_way),
            ReferenceOr::Item(schema) => {
                one_way(schema)
                    || match spec_model::all_of::wrapped(schema) {
                        Some(ReferenceOr::Item(member)) => one_way(member),
                        Some(ReferenceOr::Reference { reference }) => {
                            component(reference).is_some_and(one_way)
                        }
                        None => false,
                    }
            }
        }
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
            // An enum of values of several JSON types (no `type` to read it as).
            c.allowed = a.enumeration.clone();
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

/// Up to five items of a list, for a message.
fn list_of(items: &[String]) -> String {
    let mut text = items.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > 5 {
        text.push_str(&format!(" and {} more", items.len() - 5));
    }
    text
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
