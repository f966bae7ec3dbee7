//! `allOf`: object members merged into one struct.

use super::*;

/// How deep `allOf` merges may nest through the properties they merge.
const MAX_ALL_OF_DEPTH: usize = 16;

impl Lowerer<'_> {
    pub(super) fn all_of(
        &mut self,
        members: &[ReferenceOr<OaSchema>],
        pointer: &str,
        hint: &str,
    ) -> Shape {
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
        // Merged properties are lowered in place, so a property whose inline `allOf`
        // merges the schema it belongs to again would recurse without end.
        if self.all_of_depth >= MAX_ALL_OF_DEPTH {
            self.error(
                pointer,
                format!("`allOf` merges schemas whose properties merge them again, more than {MAX_ALL_OF_DEPTH} levels deep; the generator does not follow such a recursion through inline schemas: give the recursive property's schema a name in #/components/schemas/"),
            );
            return Shape::Inline(TypeRef::Any);
        }
        self.all_of_depth += 1;
        let mut fields = self.fields(&properties, &required, pointer, hint);
        self.all_of_depth -= 1;
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
    pub(super) fn collect_all_of(
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
                            self.error_rule(
                                pointer,
                                "invalid",
                                format!("`allOf` includes `{name}` twice or recursively"),
                            );
                            return;
                        }
                        (schema, join("/components/schemas", &name))
                    }
                    _ => {
                        self.error_rule(pointer, "reference", format!("`allOf` member `$ref: {reference}` must point at an object schema in #/components/schemas/"));
                        return;
                    }
                }
            }
            // A member that only annotates (`{description: ...}`) adds nothing to merge.
            ReferenceOr::Item(schema)
                if schema.schema_data.discriminator.is_none()
                    && matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == openapiv3::AnySchema::default()) =>
            {
                return;
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
}
