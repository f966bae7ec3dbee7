//! Lowering: an `openapiv3` document into the generator's IR.
//!
//! This is where the spec is validated: `$ref`s are resolved, names are decided (through
//! `naming`), inline schemas get types named after where they appear, `allOf` is merged,
//! and everything the generator cannot represent becomes a diagnostic. Lowering never
//! stops at the first problem: it collects them all, each with a JSON pointer and line.

use std::collections::{BTreeSet, HashMap};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, ReferenceOr, Schema as OaSchema,
    SchemaKind, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::diag::{join, Diagnostic};
use crate::ir::*;
use crate::load::Loaded;
use crate::naming::{self, Scope};

/// Lowers a loaded document. `file` is the name diagnostics use.
pub fn lower(file: &str, loaded: &Loaded) -> Result<Api, Vec<Diagnostic>> {
    let mut cx = Lowerer::new(file, loaded);
    let api = cx.api();
    if cx.diags.is_empty() {
        Ok(api)
    } else {
        Err(cx.diags)
    }
}

const SCHEMA_PREFIX: &str = "#/components/schemas/";

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    NotStarted,
    InProgress,
    Done,
}

struct Lowerer<'a> {
    file: &'a str,
    doc: &'a OpenAPI,
    loaded: &'a Loaded,
    diags: Vec<Diagnostic>,
    types: Vec<TypeDef>,
    type_names: Scope,
    components: IndexMap<String, TypeId>,
    state: HashMap<TypeId, State>,
    client_params: Vec<ClientParam>,
}

/// What a schema turns into before we know whether it is a component or a use.
// Short-lived: made and matched at once, so its size does not matter.
#[allow(clippy::large_enum_variant)]
enum Shape {
    /// Needs a named type of its own.
    Def(TypeKind),
    /// Can be written in place.
    Inline(TypeRef),
}

impl<'a> Lowerer<'a> {
    fn new(file: &'a str, loaded: &'a Loaded) -> Self {
        Lowerer {
            file,
            doc: &loaded.document,
            loaded,
            diags: Vec::new(),
            types: Vec::new(),
            type_names: Scope::new(),
            components: IndexMap::new(),
            state: HashMap::new(),
            client_params: Vec::new(),
        }
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.diags.push(Diagnostic {
            file: self.file.to_string(),
            pointer: pointer.to_string(),
            line: self.loaded.lines.line_of(pointer),
            message: message.into(),
        });
    }

    fn api(&mut self) -> Api {
        let doc = self.doc;
        // Component schemas get their ids and names first, so that forward and
        // recursive references resolve (the same approach as typify's type ids).
        if let Some(components) = &doc.components {
            for name in components.schemas.keys() {
                let rust_name = self.type_names.claim(naming::type_name(name));
                let id = TypeId(self.types.len());
                self.types.push(TypeDef {
                    name: name.clone(),
                    rust_name,
                    description: None,
                    kind: TypeKind::Alias(Schema::of(TypeRef::Any)),
                    examples: Vec::new(),
                    pointer: join("/components/schemas", name),
                    component: true,
                });
                self.components.insert(name.clone(), id);
                self.state.insert(id, State::NotStarted);
            }
            for id in self.components.values().copied().collect::<Vec<_>>() {
                self.lower_component(id);
            }
        }
        let mut services = self.services();
        let operations = self.operations(&mut services);
        let security_schemes = self.security_schemes();
        let security = doc
            .security
            .iter()
            .flatten()
            .map(|req| req.keys().cloned().collect())
            .collect();
        for (i, requirement) in doc.security.iter().flatten().enumerate() {
            for name in requirement.keys() {
                if !security_schemes.iter().any(|s| &s.name == name) {
                    self.error(
                        &format!("/security/{i}"),
                        format!("security requirement names `{name}`, which is not in components/securitySchemes"),
                    );
                }
            }
        }
        let error_model = self.error_model();
        self.box_cycles();
        Api {
            title: doc.info.title.clone(),
            version: doc.info.version.clone(),
            description: doc.info.description.clone(),
            services,
            operations,
            types: std::mem::take(&mut self.types),
            client_params: std::mem::take(&mut self.client_params),
            security_schemes,
            security,
            error_model,
        }
    }

    // ----- schemas -------------------------------------------------------------------

    fn lower_component(&mut self, id: TypeId) {
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
                self.error(&pointer, "this schema refers to itself and nothing else");
            }
        }
        self.types[id.0].kind = kind;
        self.state.insert(id, State::Done);
    }

    /// Resolves a schema `$ref` at a use site.
    fn reference(&mut self, reference: &str, pointer: &str) -> Schema {
        let Some(name) = reference.strip_prefix(SCHEMA_PREFIX) else {
            self.error(
                pointer,
                format!("`$ref: {reference}` is not supported; schema references must point into #/components/schemas/ of the same file"),
            );
            return Schema::of(TypeRef::Any);
        };
        let name = unescape(name);
        let Some(&id) = self.components.get(&name) else {
            self.error(
                pointer,
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
                self.error(pointer, format!("`$ref: {reference}` is part of a cycle of schemas that are not objects; such a type has no finite representation"));
                Schema::of(TypeRef::Any)
            }
            _ => Schema::of(TypeRef::Named(id)),
        }
    }

    /// Whether the component `name` becomes a named type (rather than an alias).
    fn is_def(&self, name: &str) -> bool {
        let doc = self.doc;
        match doc.components.as_ref().and_then(|c| c.schemas.get(name)) {
            Some(ReferenceOr::Item(schema)) => is_def_schema(schema),
            _ => false,
        }
    }

    /// A schema where it is used (a property, item, parameter or body).
    fn schema(&mut self, schema: &ReferenceOr<OaSchema>, pointer: &str, hint: &str) -> Schema {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.use_schema(schema, pointer, hint),
        }
    }

    fn boxed_schema(
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

    fn use_schema(&mut self, schema: &OaSchema, pointer: &str, hint: &str) -> Schema {
        let data = &schema.schema_data;
        if let Some(canonical) = data.extensions.get("x-canonical") {
            return self.canonical(schema, canonical, pointer, hint);
        }
        // `allOf` with one member is how OpenAPI 3.0 attaches a description (or
        // `nullable`, a default) to a `$ref`: it is the member itself.
        if let SchemaKind::AllOf { all_of } = &schema.schema_kind {
            if let [member] = all_of.as_slice() {
                let mut s = self.schema(member, &format!("{pointer}/allOf/0"), hint);
                if data.description.is_some() {
                    s.description = data.description.clone();
                }
                s.nullable |= data.nullable;
                if data.default.is_some() {
                    s.default = data.default.clone();
                }
                return s;
            }
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

    fn new_type(
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

    /// `anyOf`/`oneOf` with `x-canonical: N`: the type is alternative N, the others are
    /// accepted on input and converted.
    fn canonical(
        &mut self,
        schema: &OaSchema,
        canonical: &Value,
        pointer: &str,
        hint: &str,
    ) -> Schema {
        let ext_pointer = join(pointer, "x-canonical");
        let alternatives = match &schema.schema_kind {
            SchemaKind::AnyOf { any_of } => any_of,
            SchemaKind::OneOf { one_of } => one_of,
            _ => {
                self.error(
                    &ext_pointer,
                    "`x-canonical` belongs on a schema with `anyOf` or `oneOf`",
                );
                return Schema::of(TypeRef::Any);
            }
        };
        let keyword = if matches!(schema.schema_kind, SchemaKind::AnyOf { .. }) {
            "anyOf"
        } else {
            "oneOf"
        };
        let Some(index) = canonical
            .as_u64()
            .map(|i| i as usize)
            .filter(|&i| i < alternatives.len())
        else {
            self.error(
                &ext_pointer,
                format!(
                    "`x-canonical` must be the index of one of the {} alternatives of `{keyword}`",
                    alternatives.len()
                ),
            );
            return Schema::of(TypeRef::Any);
        };
        // Only the canonical alternative becomes a Rust type; the others are shapes the
        // lenient decoders convert from, so they are read without creating types.
        let mut result = self.schema(
            &alternatives[index],
            &format!("{pointer}/{keyword}/{index}"),
            hint,
        );
        for (i, alt) in alternatives.iter().enumerate().filter(|(i, _)| *i != index) {
            let at = format!("{pointer}/{keyword}/{i}");
            let ty = self.accepted_shape(alt, &at);
            if !lenient_supported(&result.ty, &ty) {
                self.error(
                    &at,
                    format!("`x-canonical` cannot convert {} into {}; supported: strings into booleans, integers, numbers and string arrays (comma-separated), and any value into a string", describe(&ty), describe(&result.ty)),
                );
            }
            result.lenient.push(ty);
        }
        let data = &schema.schema_data;
        result.nullable |= data.nullable;
        if data.description.is_some() {
            result.description = data.description.clone();
        }
        if data.default.is_some() {
            result.default = data.default.clone();
        }
        result
    }

    /// The JSON shape of a schema that is accepted on input but never generated as a
    /// type of its own (a non-canonical alternative of `x-canonical`).
    fn accepted_shape(&mut self, schema: &ReferenceOr<OaSchema>, pointer: &str) -> TypeRef {
        let doc = self.doc;
        let schema = match schema {
            ReferenceOr::Item(schema) => schema,
            ReferenceOr::Reference { reference } => {
                match reference
                    .strip_prefix(SCHEMA_PREFIX)
                    .and_then(|n| doc.components.as_ref()?.schemas.get(&unescape(n)))
                {
                    Some(ReferenceOr::Item(schema)) => schema,
                    _ => {
                        self.error(pointer, format!("`$ref: {reference}` does not point at a schema in #/components/schemas/"));
                        return TypeRef::Any;
                    }
                }
            }
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(_)) => TypeRef::String(StringFormat::Plain),
            SchemaKind::Type(Type::Integer(_)) => TypeRef::Integer(IntFormat::I64),
            SchemaKind::Type(Type::Number(_)) => TypeRef::Number(NumFormat::F64),
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
            SchemaKind::Type(Type::Array(a)) => {
                let items = match &a.items {
                    Some(ReferenceOr::Item(items)) => self.accepted_shape(
                        &ReferenceOr::Item((**items).clone()),
                        &join(pointer, "items"),
                    ),
                    _ => TypeRef::Any,
                };
                TypeRef::Array(Box::new(Schema::of(items)))
            }
            SchemaKind::Type(Type::Object(_)) => TypeRef::FreeObject,
            _ => TypeRef::Any,
        }
    }

    fn shape(&mut self, schema: &OaSchema, pointer: &str, hint: &str) -> Shape {
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

    fn any_schema(
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

    fn object(
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
                self.error(
                    &join(pointer, "required"),
                    format!("`{name}` is listed as required but is not a property"),
                );
            }
        }
        let fields = self.fields(properties, required, pointer, hint);
        Shape::Def(TypeKind::Struct(Struct { fields, additional }))
    }

    fn fields(
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

    fn all_of(&mut self, members: &[ReferenceOr<OaSchema>], pointer: &str, hint: &str) -> Shape {
        let mut properties: IndexMap<String, ReferenceOr<Box<OaSchema>>> = IndexMap::new();
        let mut required: Vec<String> = Vec::new();
        let mut additional = None;
        let mut pointers: HashMap<String, String> = HashMap::new();
        let mut visited = BTreeSet::new();
        for (i, member) in members.iter().enumerate() {
            let member_pointer = format!("{pointer}/allOf/{i}");
            self.collect_all_of(
                member,
                &member_pointer,
                &mut properties,
                &mut required,
                &mut additional,
                &mut pointers,
                &mut visited,
            );
        }
        if properties.is_empty() {
            self.error(
                pointer,
                "`allOf` must combine object schemas with properties",
            );
            return Shape::Inline(TypeRef::Any);
        }
        let mut fields = self.fields(&properties, &required, pointer, hint);
        for field in &mut fields {
            if let Some(p) = pointers.get(&field.wire_name) {
                field.pointer = p.clone();
            }
        }
        let additional = additional.map(|a: ReferenceOr<OaSchema>| {
            Box::new(self.schema(
                &a,
                &join(pointer, "additionalProperties"),
                &format!("{hint}Value"),
            ))
        });
        Shape::Def(TypeKind::Struct(Struct { fields, additional }))
    }

    #[allow(clippy::too_many_arguments)] // One accumulator per part of the merged object.
    fn collect_all_of(
        &mut self,
        member: &ReferenceOr<OaSchema>,
        pointer: &str,
        properties: &mut IndexMap<String, ReferenceOr<Box<OaSchema>>>,
        required: &mut Vec<String>,
        additional: &mut Option<ReferenceOr<OaSchema>>,
        pointers: &mut HashMap<String, String>,
        visited: &mut BTreeSet<String>,
    ) {
        let doc = self.doc;
        let (schema, base) = match member {
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix(SCHEMA_PREFIX).map(unescape);
                let found = name
                    .as_ref()
                    .and_then(|n| doc.components.as_ref()?.schemas.get(n));
                match (name, found) {
                    (Some(name), Some(ReferenceOr::Item(schema))) => {
                        if !visited.insert(name.clone()) {
                            self.error(
                                pointer,
                                format!("`allOf` includes `{name}` twice or recursively"),
                            );
                            return;
                        }
                        (schema, join("/components/schemas", &name))
                    }
                    _ => {
                        self.error(pointer, format!("`allOf` member `$ref: {reference}` must point at an object schema in #/components/schemas/"));
                        return;
                    }
                }
            }
            ReferenceOr::Item(schema) => (schema, pointer.to_string()),
        };
        let (props, req, add) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                (&o.properties, &o.required, &o.additional_properties)
            }
            SchemaKind::Any(a)
                if a.all_of.is_empty()
                    && a.one_of.is_empty()
                    && a.any_of.is_empty()
                    && matches!(a.typ.as_deref(), None | Some("object")) =>
            {
                (&a.properties, &a.required, &a.additional_properties)
            }
            SchemaKind::AllOf { all_of } => {
                for (i, nested) in all_of.iter().enumerate() {
                    self.collect_all_of(
                        nested,
                        &format!("{base}/allOf/{i}"),
                        properties,
                        required,
                        additional,
                        pointers,
                        visited,
                    );
                }
                return;
            }
            _ => {
                self.error(
                    pointer,
                    "`allOf` members must be object schemas; this one is not",
                );
                return;
            }
        };
        for (name, prop) in props {
            pointers.insert(name.clone(), join(&join(&base, "properties"), name));
            properties.insert(name.clone(), prop.clone());
        }
        for name in req {
            if !required.contains(name) {
                required.push(name.clone());
            }
        }
        if let Some(AdditionalProperties::Schema(s)) = add {
            *additional = Some((**s).clone());
        }
    }

    fn union(
        &mut self,
        alternatives: &[ReferenceOr<OaSchema>],
        exclusive: bool,
        schema: &OaSchema,
        pointer: &str,
        hint: &str,
    ) -> Shape {
        let keyword = if exclusive { "oneOf" } else { "anyOf" };
        // `nullable` written as `oneOf: [{...}, {type: 'null'}]`-style one-member unions
        // read as the member itself.
        if alternatives.len() == 1 {
            let s = self.schema(&alternatives[0], &format!("{pointer}/{keyword}/0"), hint);
            return Shape::Inline(s.ty);
        }
        let mut scope = Scope::with_reserved([]);
        let mut variants = Vec::new();
        for (i, alt) in alternatives.iter().enumerate() {
            let alt_pointer = format!("{pointer}/{keyword}/{i}");
            let s = self.schema(alt, &alt_pointer, &format!("{hint}Variant{i}"));
            let base = match (&s.ty, alt) {
                (TypeRef::Named(id), _) => self.types[id.0].rust_name.clone(),
                (ty, _) => variant_name_for(ty),
            };
            variants.push(UnionVariant {
                rust_name: scope.claim(base),
                schema: s,
                boxed: false,
            });
        }
        let discriminator = schema.schema_data.discriminator.as_ref().map(|d| {
            let mut values = Vec::new();
            for (i, alt) in alternatives.iter().enumerate() {
                let value = match alt {
                    ReferenceOr::Reference { reference } => d
                        .mapping
                        .iter()
                        .find(|(_, target)| *target == reference)
                        .map(|(value, _)| value.clone())
                        .unwrap_or_else(|| unescape(reference.rsplit('/').next().unwrap_or(reference))),
                    ReferenceOr::Item(_) => {
                        self.error(&format!("{pointer}/{keyword}/{i}"), "with a `discriminator`, every alternative must be a `$ref` to an object schema");
                        String::new()
                    }
                };
                values.push(value);
            }
            for v in &variants {
                let is_struct = matches!(&v.schema.ty, TypeRef::Named(id) if matches!(self.types[id.0].kind, TypeKind::Struct(_)));
                if !is_struct {
                    self.error(&join(pointer, "discriminator"), format!("alternative `{}` is not an object, so it cannot carry the discriminator property", v.rust_name));
                }
            }
            Discriminator { property: d.property_name.clone(), values }
        });
        Shape::Def(TypeKind::Union(Union {
            exclusive,
            variants,
            discriminator,
        }))
    }

    // ----- services and operations ---------------------------------------------------

    fn services(&mut self) -> Vec<Service> {
        let doc = self.doc;
        let mut names: Vec<String> = Vec::new();
        for (_, item) in doc.paths.iter() {
            if let ReferenceOr::Item(item) = item {
                for (_, op) in item.iter() {
                    let name = op
                        .tags
                        .first()
                        .cloned()
                        .unwrap_or_else(|| "Default".to_string());
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
            }
        }
        let mut scope = Scope::new();
        names
            .into_iter()
            .map(|name| {
                let tag_index = doc.tags.iter().position(|t| t.name == name);
                let tag = tag_index.map(|i| &doc.tags[i]);
                let pointer =
                    tag_index.map_or_else(|| "/tags".to_string(), |i| format!("/tags/{i}"));
                let validation_error_code = tag
                    .and_then(|t| t.extensions.get("x-validation-error-code"))
                    .and_then(|v| v.as_str())
                    .map(str::to_string);
                let rust_name = scope.claim(naming::type_name(&name));
                Service {
                    snake_name: naming::snake(&rust_name),
                    rust_name,
                    description: tag.and_then(|t| t.description.clone()),
                    servers: Vec::new(),
                    validation_error_code,
                    pointer,
                    name,
                }
            })
            .collect()
    }

    fn operations(&mut self, services: &mut [Service]) -> Vec<Operation> {
        let doc = self.doc;
        let mut method_names =
            Scope::with_reserved(["new", "builder", "config", "with_config", "runtime"]);
        let mut op_type_names = Scope::new();
        let mut operations = Vec::new();
        for (path, item) in doc.paths.iter() {
            let path_pointer = join("/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.error(
                        &path_pointer,
                        "path items given by `$ref` are not supported",
                    );
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let pointer = join(&path_pointer, method);
                let service_name = op
                    .tags
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "Default".to_string());
                let service = services
                    .iter()
                    .position(|s| s.name == service_name)
                    .expect("every tag was collected as a service");
                let servers_raw = if !op.servers.is_empty() {
                    (&op.servers, join(&pointer, "servers"))
                } else if !item.servers.is_empty() {
                    (&item.servers, join(&path_pointer, "servers"))
                } else {
                    (&doc.servers, "/servers".to_string())
                };
                let servers = self.servers(servers_raw.0, &servers_raw.1);
                if services[service].servers.is_empty() {
                    services[service].servers = servers;
                } else if services[service].servers != servers {
                    self.error(&servers_raw.1, format!("operations of service `{service_name}` must share one set of servers; this one differs from the service's first operation"));
                }
                let operation_id = match &op.operation_id {
                    Some(id) => id.clone(),
                    None => format!("{method} {path}"),
                };
                let rust_name = method_names.claim(naming::snake(&operation_id));
                let type_name = op_type_names.claim(naming::type_name(&operation_id));
                let (params, body) =
                    self.params_and_body(item, op, path, &path_pointer, &pointer, &type_name);
                let responses = self.responses(op, &pointer, &type_name);
                operations.push(Operation {
                    operation_id,
                    rust_name,
                    type_name,
                    service,
                    method: parse_method(method),
                    path: path.clone(),
                    summary: op.summary.clone(),
                    description: op.description.clone(),
                    deprecated: op.deprecated,
                    params,
                    body,
                    responses,
                    pointer,
                });
            }
        }
        operations
    }

    fn servers(&mut self, servers: &[openapiv3::Server], pointer: &str) -> Vec<Server> {
        servers
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let variables: Vec<ServerVariable> = s
                    .variables
                    .iter()
                    .flatten()
                    .map(|(name, v)| ServerVariable {
                        name: name.clone(),
                        default: v.default.clone(),
                        description: v.description.clone(),
                        allowed: v.enumeration.clone(),
                    })
                    .collect();
                let mut rest = s.url.as_str();
                while let Some(start) = rest.find('{') {
                    let Some(len) = rest[start..].find('}') else {
                        break;
                    };
                    let name = &rest[start + 1..start + len];
                    if !variables.iter().any(|v| v.name == name) {
                        self.error(
                            &format!("{pointer}/{i}/url"),
                            format!(
                                "server URL uses `{{{name}}}`, which is not among its `variables`"
                            ),
                        );
                    }
                    rest = &rest[start + len + 1..];
                }
                Server {
                    url: s.url.clone(),
                    description: s.description.clone(),
                    variables,
                }
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)] // The places a parameter list is read from.
    fn params_and_body(
        &mut self,
        item: &openapiv3::PathItem,
        op: &openapiv3::Operation,
        path: &str,
        path_pointer: &str,
        pointer: &str,
        type_name: &str,
    ) -> (Vec<Parameter>, Option<RequestBody>) {
        let mut raw: Vec<(openapiv3::Parameter, String)> = Vec::new();
        for (i, p) in item.parameters.iter().enumerate() {
            if let Some(found) =
                self.resolve_parameter(p, &format!("{path_pointer}/parameters/{i}"))
            {
                raw.push(found);
            }
        }
        for (i, p) in op.parameters.iter().enumerate() {
            if let Some((param, at)) =
                self.resolve_parameter(p, &format!("{pointer}/parameters/{i}"))
            {
                let data = param.parameter_data_ref();
                let same = raw.iter().position(|(q, _)| {
                    q.parameter_data_ref().name == data.name
                        && std::mem::discriminant(q) == std::mem::discriminant(&param)
                });
                match same {
                    Some(index) => raw[index] = (param, at),
                    None => raw.push((param, at)),
                }
            }
        }
        let mut scope = Scope::with_reserved(["body"]);
        let mut params = Vec::new();
        for (param, at) in &raw {
            let (location, explode_default) = match param {
                openapiv3::Parameter::Path { .. } => (ParamLocation::Path, false),
                openapiv3::Parameter::Query { .. } => (ParamLocation::Query, true),
                openapiv3::Parameter::Header { .. } => (ParamLocation::Header, false),
                openapiv3::Parameter::Cookie { .. } => {
                    self.error(at, "cookie parameters are not supported by the generator");
                    continue;
                }
            };
            let data = param.parameter_data_ref();
            let schema = match &data.format {
                openapiv3::ParameterSchemaOrContent::Schema(s) => self.schema(
                    s,
                    &join(at, "schema"),
                    &format!("{type_name}{}", naming::camel(&data.name)),
                ),
                openapiv3::ParameterSchemaOrContent::Content(_) => {
                    self.error(
                        at,
                        "parameters described with `content` are not supported; use `schema`",
                    );
                    continue;
                }
            };
            if location == ParamLocation::Path && !data.required {
                self.error(
                    at,
                    format!("path parameter `{}` must be `required: true`", data.name),
                );
            }
            if location == ParamLocation::Path && !path.contains(&format!("{{{}}}", data.name)) {
                self.error(
                    at,
                    format!(
                        "path parameter `{}` does not appear in the path `{path}`",
                        data.name
                    ),
                );
            }
            if !is_simple(&schema.ty, &self.types) {
                self.error(&join(at, "schema"), format!("parameter `{}` must be a string, number, boolean, string enum or an array of those", data.name));
            }
            let client_param = match data.extensions.get("x-client-parameter") {
                Some(ext) => self.client_param(param, location, &schema, ext, at),
                None => None,
            };
            params.push(Parameter {
                wire_name: data.name.clone(),
                rust_name: scope.claim(naming::snake(&data.name)),
                location,
                required: data.required,
                deprecated: data.deprecated.unwrap_or(false),
                description: data.description.clone(),
                schema,
                explode: data.explode.unwrap_or(explode_default),
                client_param,
                pointer: at.clone(),
            });
        }
        for segment in path.split('{').skip(1) {
            let name = segment.split('}').next().unwrap_or_default();
            if !params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire_name == name)
            {
                self.error(pointer, format!("the path has `{{{name}}}` but the operation declares no path parameter `{name}`"));
            }
        }
        let body = op
            .request_body
            .as_ref()
            .and_then(|b| self.request_body(b, &join(pointer, "requestBody"), type_name));
        (params, body)
    }

    fn client_param(
        &mut self,
        param: &openapiv3::Parameter,
        location: ParamLocation,
        schema: &Schema,
        ext: &Value,
        at: &str,
    ) -> Option<usize> {
        let data = param.parameter_data_ref();
        if let Some(existing) = self
            .client_params
            .iter()
            .position(|c| c.wire_name == data.name && c.location == location)
        {
            return Some(existing);
        }
        let ext_pointer = join(at, "x-client-parameter");
        let field = |key: &str| ext.get(key).and_then(Value::as_str).map(str::to_string);
        if !(ext.is_object() || ext == &Value::Bool(true)) {
            self.error(
                &ext_pointer,
                "`x-client-parameter` must be `true` or an object with optional `header` and `env`",
            );
            return None;
        }
        if !data.required {
            self.error(at, "a parameter with `x-client-parameter` must be required");
        }
        if let Some(obj) = ext.as_object() {
            for key in obj
                .keys()
                .filter(|k| !matches!(k.as_str(), "header" | "env"))
            {
                self.error(
                    &ext_pointer,
                    format!(
                        "unknown key `{key}` in `x-client-parameter`; expected `header` or `env`"
                    ),
                );
            }
        }
        self.client_params.push(ClientParam {
            wire_name: data.name.clone(),
            rust_name: naming::snake(&data.name),
            location,
            description: data.description.clone(),
            schema: schema.clone(),
            header: field("header"),
            env: field("env"),
            pointer: at.to_string(),
        });
        Some(self.client_params.len() - 1)
    }

    fn resolve_parameter(
        &mut self,
        p: &ReferenceOr<openapiv3::Parameter>,
        pointer: &str,
    ) -> Option<(openapiv3::Parameter, String)> {
        match p {
            ReferenceOr::Item(param) => Some((param.clone(), pointer.to_string())),
            ReferenceOr::Reference { reference } => {
                let doc = self.doc;
                let name = reference
                    .strip_prefix("#/components/parameters/")
                    .map(unescape);
                match name
                    .as_ref()
                    .and_then(|n| doc.components.as_ref()?.parameters.get(n))
                {
                    Some(ReferenceOr::Item(param)) => Some((
                        param.clone(),
                        join(
                            "/components/parameters",
                            name.as_deref().unwrap_or_default(),
                        ),
                    )),
                    _ => {
                        self.error(pointer, format!("`$ref: {reference}` does not point at a parameter in #/components/parameters/"));
                        None
                    }
                }
            }
        }
    }

    fn request_body(
        &mut self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
        type_name: &str,
    ) -> Option<RequestBody> {
        let doc = self.doc;
        let (body, at) = match body {
            ReferenceOr::Item(body) => (body, pointer.to_string()),
            ReferenceOr::Reference { reference } => {
                let name = reference
                    .strip_prefix("#/components/requestBodies/")
                    .map(unescape);
                match name
                    .as_ref()
                    .and_then(|n| doc.components.as_ref()?.request_bodies.get(n))
                {
                    Some(ReferenceOr::Item(body)) => (
                        body,
                        join(
                            "/components/requestBodies",
                            name.as_deref().unwrap_or_default(),
                        ),
                    ),
                    _ => {
                        self.error(pointer, format!("`$ref: {reference}` does not point at a request body in #/components/requestBodies/"));
                        return None;
                    }
                }
            }
        };
        let Some((content_type, media)) = body.content.iter().find(|(ct, _)| is_json(ct)) else {
            self.error(
                &join(&at, "content"),
                "only JSON request bodies are supported (`application/json` or `*/*+json`)",
            );
            return None;
        };
        let media_pointer = join(&join(&at, "content"), content_type);
        let schema = match &media.schema {
            Some(s) => self.schema(
                s,
                &join(&media_pointer, "schema"),
                &format!("{type_name}Body"),
            ),
            None => Schema::of(TypeRef::Any),
        };
        Some(RequestBody {
            content_type: content_type.clone(),
            required: body.required,
            description: body.description.clone(),
            schema,
            examples: self.media_examples(media, &media_pointer),
            pointer: at,
        })
    }

    fn media_examples(&mut self, media: &openapiv3::MediaType, pointer: &str) -> Vec<Example> {
        let mut out = Vec::new();
        if let Some(value) = &media.example {
            out.push(Example {
                name: "example".to_string(),
                summary: None,
                value: value.clone(),
                pointer: join(pointer, "example"),
            });
        }
        let doc = self.doc;
        for (name, example) in &media.examples {
            let at = join(&join(pointer, "examples"), name);
            let example = match example {
                ReferenceOr::Item(e) => Some(e),
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/examples/")
                    .and_then(|n| doc.components.as_ref()?.examples.get(&unescape(n)))
                    .and_then(|e| e.as_item()),
            };
            match example.and_then(|e| e.value.clone().map(|v| (e, v))) {
                Some((e, value)) => out.push(Example { name: name.clone(), summary: e.summary.clone(), value, pointer: at }),
                None => self.error(&at, "example has no inline `value` (external values and broken `$ref`s are not supported)"),
            }
        }
        out
    }

    fn responses(
        &mut self,
        op: &openapiv3::Operation,
        pointer: &str,
        type_name: &str,
    ) -> Vec<Response> {
        let mut out = Vec::new();
        let mut scope = Scope::new();
        let statuses = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| (Some(code), r))
            .chain(op.responses.default.iter().map(|r| (None, r)));
        for (code, response) in statuses {
            let (status, key) = match code {
                Some(openapiv3::StatusCode::Code(c)) => (Status::Code(*c), c.to_string()),
                Some(openapiv3::StatusCode::Range(r)) => {
                    self.error(
                        &join(&join(pointer, "responses"), &format!("{r}XX")),
                        "status ranges such as `4XX` are not supported; list the codes",
                    );
                    continue;
                }
                None => (Status::Default, "default".to_string()),
            };
            let at = join(&join(pointer, "responses"), &key);
            let Some((response, at)) = self.resolve_response(response, &at) else {
                continue;
            };
            let variant_name = scope.claim(match status {
                Status::Code(c) => naming::status_variant(c),
                Status::Default => "Default".to_string(),
            });
            let body = if response.content.is_empty() {
                None
            } else if let Some((content_type, media)) =
                response.content.iter().find(|(ct, _)| is_json(ct))
            {
                let media_pointer = join(&join(&at, "content"), content_type);
                let schema = match &media.schema {
                    Some(s) => self.schema(
                        s,
                        &join(&media_pointer, "schema"),
                        &format!("{type_name}{variant_name}Body"),
                    ),
                    None => Schema::of(TypeRef::Any),
                };
                Some(ResponseBody {
                    content_type: content_type.clone(),
                    schema,
                    examples: self.media_examples(media, &media_pointer),
                })
            } else {
                self.error(
                    &join(&at, "content"),
                    "only JSON response bodies are supported",
                );
                None
            };
            let mut header_scope = Scope::new();
            let mut headers = Vec::new();
            for (name, header) in &response.headers {
                let header_at = join(&join(&at, "headers"), name);
                let header = match header {
                    ReferenceOr::Item(h) => h.clone(),
                    ReferenceOr::Reference { reference } => {
                        let doc = self.doc;
                        match reference
                            .strip_prefix("#/components/headers/")
                            .and_then(|n| doc.components.as_ref()?.headers.get(&unescape(n)))
                        {
                            Some(ReferenceOr::Item(h)) => h.clone(),
                            _ => {
                                self.error(&header_at, format!("`$ref: {reference}` does not point at a header in #/components/headers/"));
                                continue;
                            }
                        }
                    }
                };
                let schema = match &header.format {
                    openapiv3::ParameterSchemaOrContent::Schema(s) => self.schema(
                        s,
                        &join(&header_at, "schema"),
                        &format!("{type_name}{}", naming::camel(name)),
                    ),
                    openapiv3::ParameterSchemaOrContent::Content(_) => {
                        self.error(
                            &header_at,
                            "headers described with `content` are not supported; use `schema`",
                        );
                        continue;
                    }
                };
                headers.push(ResponseHeader {
                    wire_name: name.clone(),
                    rust_name: header_scope.claim(naming::snake(name)),
                    required: header.required,
                    description: header.description.clone(),
                    schema,
                });
            }
            out.push(Response {
                status,
                description: response.description.clone(),
                variant_name,
                body,
                headers,
                pointer: at,
            });
        }
        if out.is_empty() {
            self.error(
                &join(pointer, "responses"),
                "the operation documents no responses",
            );
        }
        out
    }

    fn resolve_response(
        &mut self,
        r: &ReferenceOr<openapiv3::Response>,
        pointer: &str,
    ) -> Option<(openapiv3::Response, String)> {
        match r {
            ReferenceOr::Item(r) => Some((r.clone(), pointer.to_string())),
            ReferenceOr::Reference { reference } => {
                let doc = self.doc;
                let name = reference
                    .strip_prefix("#/components/responses/")
                    .map(unescape);
                match name
                    .as_ref()
                    .and_then(|n| doc.components.as_ref()?.responses.get(n))
                {
                    Some(ReferenceOr::Item(r)) => Some((
                        r.clone(),
                        join("/components/responses", name.as_deref().unwrap_or_default()),
                    )),
                    _ => {
                        self.error(pointer, format!("`$ref: {reference}` does not point at a response in #/components/responses/"));
                        None
                    }
                }
            }
        }
    }

    // ----- security and errors -------------------------------------------------------

    fn security_schemes(&mut self) -> Vec<SecurityScheme> {
        let doc = self.doc;
        let Some(components) = &doc.components else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, scheme) in &components.security_schemes {
            let at = join("/components/securitySchemes", name);
            let ReferenceOr::Item(scheme) = scheme else {
                self.error(&at, "security schemes given by `$ref` are not supported");
                continue;
            };
            let (description, kind) = match scheme {
                openapiv3::SecurityScheme::APIKey {
                    location,
                    name: key,
                    description,
                    extensions,
                } => {
                    let location = match location {
                        openapiv3::APIKeyLocation::Header => "header",
                        openapiv3::APIKeyLocation::Query => "query",
                        openapiv3::APIKeyLocation::Cookie => "cookie",
                    };
                    let kind = match extensions.get("x-signing") {
                        Some(ext) => self.signing(ext, key, location, &join(&at, "x-signing")),
                        None => SecurityKind::ApiKey {
                            location: location.to_string(),
                            name: key.clone(),
                        },
                    };
                    (description.clone(), kind)
                }
                openapiv3::SecurityScheme::HTTP {
                    scheme,
                    description,
                    ..
                } => (
                    description.clone(),
                    SecurityKind::Http {
                        scheme: scheme.clone(),
                    },
                ),
                openapiv3::SecurityScheme::OAuth2 { description, .. }
                | openapiv3::SecurityScheme::OpenIDConnect { description, .. } => {
                    (description.clone(), SecurityKind::Other)
                }
            };
            out.push(SecurityScheme {
                name: name.clone(),
                description,
                kind,
            });
        }
        out
    }

    fn signing(&mut self, ext: &Value, header: &str, location: &str, at: &str) -> SecurityKind {
        let text = |key: &str| ext.get(key).and_then(Value::as_str).map(str::to_string);
        if location != "header" {
            self.error(
                at,
                "`x-signing` needs a scheme whose key is sent in a header",
            );
        }
        let (Some(algorithm), Some(date_header)) = (text("algorithm"), text("date-header")) else {
            self.error(at, "`x-signing` needs `algorithm` and `date-header`");
            return SecurityKind::Other;
        };
        if algorithm != "SDK-HMAC-SHA256" {
            self.error(&join(at, "algorithm"), format!("signing algorithm `{algorithm}` is not supported; the runtime signs with SDK-HMAC-SHA256"));
        }
        SecurityKind::Signing(Signing {
            algorithm,
            header: header.to_string(),
            date_header,
            content_sha256_header: text("content-sha256-header"),
            security_token_header: text("security-token-header"),
            access_key_env: text("access-key-env"),
            secret_key_env: text("secret-key-env"),
        })
    }

    fn error_model(&mut self) -> Option<ErrorModel> {
        let doc = self.doc;
        let ext = doc.extensions.get("x-error-model")?;
        let at = "/x-error-model";
        let text = |key: &str| ext.get(key).and_then(Value::as_str).map(str::to_string);
        let (Some(schema), Some(code_field), Some(message_field)) =
            (text("schema"), text("code-field"), text("message-field"))
        else {
            self.error(
                at,
                "`x-error-model` needs `schema` (a $ref), `code-field` and `message-field`",
            );
            return None;
        };
        let Some(&id) = schema
            .strip_prefix(SCHEMA_PREFIX)
            .and_then(|n| self.components.get(&unescape(n)))
        else {
            self.error(
                &join(at, "schema"),
                format!("`{schema}` is not a schema in #/components/schemas/"),
            );
            return None;
        };
        let TypeKind::Struct(s) = &self.types[id.0].kind else {
            self.error(
                &join(at, "schema"),
                "the error model must be an object schema",
            );
            return None;
        };
        for field in [&code_field, &message_field] {
            let ok = s
                .fields
                .iter()
                .any(|f| &f.wire_name == field && matches!(f.schema.ty, TypeRef::String(_)));
            if !ok {
                self.error(
                    at,
                    format!("the error schema has no string property `{field}`"),
                );
                return None;
            }
        }
        Some(ErrorModel {
            schema: id,
            code_field,
            message_field,
        })
    }

    /// Marks fields and variants that refer back to their own type through plain
    /// (unboxed) fields, so that the generated type has a finite size.
    fn box_cycles(&mut self) {
        let direct: Vec<Vec<TypeId>> = self.types.iter().map(|t| direct_refs(&t.kind)).collect();
        for id in 0..self.types.len() {
            let reaches = |from: TypeId| -> bool {
                let mut seen = BTreeSet::new();
                let mut stack = vec![from];
                while let Some(t) = stack.pop() {
                    if t.0 == id {
                        return true;
                    }
                    if seen.insert(t) {
                        stack.extend(direct[t.0].iter().copied());
                    }
                }
                false
            };
            match &self.types[id].kind {
                TypeKind::Struct(s) => {
                    let flags: Vec<bool> = s
                        .fields
                        .iter()
                        .map(|f| matches!(f.schema.ty, TypeRef::Named(t) if reaches(t)))
                        .collect();
                    if let TypeKind::Struct(s) = &mut self.types[id].kind {
                        for (field, flag) in s.fields.iter_mut().zip(flags) {
                            field.boxed = flag;
                        }
                    }
                }
                TypeKind::Union(u) => {
                    let flags: Vec<bool> = u
                        .variants
                        .iter()
                        .map(|v| matches!(v.schema.ty, TypeRef::Named(t) if reaches(t)))
                        .collect();
                    if let TypeKind::Union(u) = &mut self.types[id].kind {
                        for (variant, flag) in u.variants.iter_mut().zip(flags) {
                            variant.boxed = flag;
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

// ----- helpers ---------------------------------------------------------------------------

fn direct_refs(kind: &TypeKind) -> Vec<TypeId> {
    let named = |s: &Schema| match s.ty {
        TypeRef::Named(id) => Some(id),
        _ => None,
    };
    match kind {
        TypeKind::Struct(s) => s.fields.iter().filter_map(|f| named(&f.schema)).collect(),
        TypeKind::Union(u) => u.variants.iter().filter_map(|v| named(&v.schema)).collect(),
        TypeKind::Alias(s) => named(s).into_iter().collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Whether a component schema needs a named type (object, string enum, union).
fn is_def_schema(schema: &OaSchema) -> bool {
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

fn schema_examples(schema: &OaSchema, pointer: &str) -> Vec<Example> {
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

fn constraints(schema: &OaSchema) -> Constraints {
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

fn nullable_enum(schema: &OaSchema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Type(Type::String(s)) if s.enumeration.iter().any(Option::is_none))
}

fn enum_kind(values: &[String]) -> Enum {
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

fn int_format(format: &str) -> IntFormat {
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

/// The conversions the runtime's lenient decoders implement.
fn lenient_supported(canonical: &TypeRef, other: &TypeRef) -> bool {
    match (canonical, other) {
        (
            TypeRef::Boolean | TypeRef::Integer(_) | TypeRef::Number(_),
            TypeRef::String(StringFormat::Plain),
        ) => true,
        (TypeRef::Array(items), TypeRef::String(StringFormat::Plain)) => {
            matches!(items.ty, TypeRef::String(StringFormat::Plain))
        }
        (TypeRef::String(StringFormat::Plain), _) => true,
        _ => false,
    }
}

fn describe(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::Named(_) => "a named type",
        TypeRef::String(_) => "a string",
        TypeRef::Integer(_) => "an integer",
        TypeRef::Number(_) => "a number",
        TypeRef::Boolean => "a boolean",
        TypeRef::Array(_) => "an array",
        TypeRef::Map(_) => "a map",
        TypeRef::FreeObject => "an object",
        TypeRef::Any => "any value",
    }
}

fn variant_name_for(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(_) => "Named",
        TypeRef::String(_) => "String",
        TypeRef::Integer(_) => "Integer",
        TypeRef::Number(_) => "Number",
        TypeRef::Boolean => "Boolean",
        TypeRef::Array(_) => "Array",
        TypeRef::Map(_) => "Map",
        TypeRef::FreeObject => "Object",
        TypeRef::Any => "Value",
    }
    .to_string()
}

/// Whether a parameter of this type can be written as text.
fn is_simple(ty: &TypeRef, types: &[TypeDef]) -> bool {
    match ty {
        TypeRef::String(_) | TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean => true,
        TypeRef::Named(id) => matches!(types[id.0].kind, TypeKind::Enum(_)),
        TypeRef::Array(items) => {
            !matches!(items.ty, TypeRef::Array(_)) && is_simple(&items.ty, types)
        }
        _ => false,
    }
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

fn parse_method(method: &str) -> Method {
    match method {
        "get" => Method::Get,
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "options" => Method::Options,
        "head" => Method::Head,
        "patch" => Method::Patch,
        _ => Method::Trace,
    }
}

/// Decodes one JSON pointer token (`~1` → `/`, `~0` → `~`).
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}
