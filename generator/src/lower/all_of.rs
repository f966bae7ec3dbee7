//! `allOf`: object members merged into one struct.
//!
//! Members that only annotate are skipped. Members that are not objects (a scalar, an
//! array, a union) have a clear meaning only when no member is an object: the value is
//! then the first such member, and the others' keywords are ignored with a warning. A mix
//! of objects and non-objects keeps the objects, with a warning naming what was ignored.
//! A property that two members declare with types no value has both of (`string` and
//! `integer`) is the later member's, with a warning naming both places.

use std::borrow::Cow;

use super::*;

/// How deep `allOf` merges may nest through the properties they merge.
const MAX_ALL_OF_DEPTH: usize = 16;

/// What the members of one `allOf` add up to.
#[derive(Default)]
struct Merge {
    properties: IndexMap<String, ReferenceOr<Box<OaSchema>>>,
    required: Vec<String>,
    additional: Option<ReferenceOr<OaSchema>>,
    /// Where each merged property is written.
    pointers: HashMap<String, String>,
    /// Components already merged: a diamond or a loop merges each once.
    visited: BTreeSet<String>,
    /// Whether any member was an object schema (with or without properties).
    objects: bool,
    /// Members that are not objects, as written, with their pointers.
    others: Vec<(ReferenceOr<OaSchema>, String)>,
}

impl Lowerer<'_> {
    pub(super) fn all_of(
        &mut self,
        members: &[ReferenceOr<OaSchema>],
        pointer: &str,
        hint: &str,
    ) -> Shape {
        let mut merge = Merge::default();
        for (i, member) in members.iter().enumerate() {
            let member_pointer = format!("{pointer}/allOf/{i}");
            self.collect_all_of(member, &member_pointer, &mut merge);
        }
        if !merge.objects {
            let mut others = merge.others.into_iter();
            let Some((first, first_pointer)) = others.next() else {
                return Shape::Inline(TypeRef::FreeObject);
            };
            for (_, ignored) in others {
                self.warn(
                    &ignored,
                    "lenient",
                    "this `allOf` member is ignored: only the first member that is not an object gives the type, and its keywords are not merged with this one's",
                );
            }
            let s = self.schema(&first, &first_pointer, hint);
            return Shape::Inline(s.ty);
        }
        for (_, ignored) in &merge.others {
            self.warn(
                ignored,
                "lenient",
                "this `allOf` member is not an object schema, so no object matches it as well as the other members; it is ignored",
            );
        }
        if merge.properties.is_empty() {
            return match merge.additional {
                Some(values) => {
                    let values = self.schema(
                        &values,
                        &join(pointer, "additionalProperties"),
                        &format!("{hint}Value"),
                    );
                    Shape::Inline(TypeRef::Map(Box::new(values)))
                }
                None => Shape::Inline(TypeRef::FreeObject),
            };
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
        let fields = self.fields(
            &merge.properties,
            &merge.required,
            pointer,
            hint,
            &merge.pointers,
        );
        self.all_of_depth -= 1;
        let additional = merge.additional.map(|a: ReferenceOr<OaSchema>| {
            Box::new(self.schema(
                &a,
                &join(pointer, "additionalProperties"),
                &format!("{hint}Value"),
            ))
        });
        Shape::Def(TypeKind::Struct(Struct { fields, additional }))
    }

    fn collect_all_of(&mut self, member: &ReferenceOr<OaSchema>, pointer: &str, merge: &mut Merge) {
        let doc = self.doc;
        // Set for a member that refers to a schema outside #/components/schemas/.
        let mut elsewhere = None;
        let (schema, base): (Cow<'_, OaSchema>, String) = match member {
            ReferenceOr::Reference { reference } => {
                let name = schema_component(doc, reference);
                let found = name
                    .as_ref()
                    .and_then(|n| doc.components.as_ref()?.schemas.get(n));
                match (name, found) {
                    (Some(name), Some(ReferenceOr::Item(schema))) => {
                        if !merge.visited.insert(name.clone()) {
                            return;
                        }
                        (Cow::Borrowed(schema), join("/components/schemas", &name))
                    }
                    (Some(_), Some(ReferenceOr::Reference { .. })) => {
                        // A component that is itself a `$ref`: keep it whole.
                        merge.others.push((member.clone(), pointer.to_string()));
                        return;
                    }
                    (Some(_), None) => {
                        self.error_rule(pointer, "reference", format!("`allOf` member `$ref: {reference}` points at a schema that does not exist"));
                        return;
                    }
                    (None, _) => {
                        // Another place of the document (`#/components/schemas/A/properties/b`):
                        // merged as the schema written there.
                        if !merge.visited.insert(reference.clone()) {
                            return;
                        }
                        let (value, at) =
                            match spec_model::resolve::target(&self.spec.raw, reference) {
                                Ok(found) => found,
                                Err(message) => {
                                    self.error_rule(pointer, "reference", message);
                                    return;
                                }
                            };
                        match serde_json::from_value::<ReferenceOr<OaSchema>>(value.clone()) {
                            Ok(ReferenceOr::Item(schema)) => {
                                elsewhere = Some(reference);
                                (Cow::Owned(schema), at.as_str().to_string())
                            }
                            Ok(ReferenceOr::Reference { .. }) => {
                                // A chain: the schema reader follows it, as for a component.
                                merge.others.push((member.clone(), pointer.to_string()));
                                return;
                            }
                            Err(err) => {
                                self.error_rule(pointer, "reference", format!("`allOf` member `$ref: {reference}` does not point at a schema: {err}"));
                                return;
                            }
                        }
                    }
                }
            }
            // A member that only annotates (`{description: ...}`) adds nothing to merge.
            ReferenceOr::Item(schema) if annotates_only(schema) => return,
            ReferenceOr::Item(schema) => (Cow::Borrowed(schema), pointer.to_string()),
        };
        let schema = schema.as_ref();
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
                    self.collect_all_of(nested, &format!("{base}/allOf/{i}"), merge);
                }
                return;
            }
            _ => {
                merge.others.push((member.clone(), pointer.to_string()));
                return;
            }
        };
        merge.objects = true;
        if let Some(reference) = elsewhere {
            self.warn(
                pointer,
                "lenient",
                format!("`allOf` member `$ref: {reference}` points outside #/components/schemas/; it is merged as the schema written there"),
            );
        }
        for (name, prop) in props {
            let at = join(&join(&base, "properties"), name);
            if let (Some(earlier), Some(earlier_at)) =
                (merge.properties.get(name), merge.pointers.get(name))
            {
                let (before, now) = (self.json_type(earlier), self.json_type(prop));
                if let (Some(before), Some(now)) = (before, now) {
                    let compatible = before == now
                        || matches!((before, now), ("integer", "number") | ("number", "integer"));
                    if !compatible {
                        self.warn(
                            &at,
                            "lenient",
                            format!("`allOf` merges property `{name}` as `{now}` here and as `{before}` at `#{earlier_at}`; no value is both, so the later member's schema (this one) is used"),
                        );
                    }
                }
            }
            merge.pointers.insert(name.clone(), at);
            merge.properties.insert(name.clone(), prop.clone());
        }
        for name in req {
            if !merge.required.contains(name) {
                merge.required.push(name.clone());
            }
        }
        if let Some(AdditionalProperties::Schema(s)) = add {
            merge.additional = Some((**s).clone());
        }
    }
}

impl Lowerer<'_> {
    /// The JSON type a property's schema (or the component its `$ref` names) declares,
    /// when it declares one.
    fn json_type(&self, prop: &ReferenceOr<Box<OaSchema>>) -> Option<&'static str> {
        let schema: &OaSchema = match prop {
            ReferenceOr::Item(schema) => schema,
            ReferenceOr::Reference { reference } => component_schema(self.doc, reference)?,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(_)) => Some("string"),
            SchemaKind::Type(Type::Integer(_)) => Some("integer"),
            SchemaKind::Type(Type::Number(_)) => Some("number"),
            SchemaKind::Type(Type::Boolean(_)) => Some("boolean"),
            SchemaKind::Type(Type::Array(_)) => Some("array"),
            SchemaKind::Type(Type::Object(_)) => Some("object"),
            SchemaKind::Any(any) => match any.typ.as_deref() {
                Some("string") => Some("string"),
                Some("integer") => Some("integer"),
                Some("number") => Some("number"),
                Some("boolean") => Some("boolean"),
                Some("array") => Some("array"),
                Some("object") => Some("object"),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Whether a schema says nothing about values: no type and no keyword of any type.
pub(super) fn annotates_only(schema: &OaSchema) -> bool {
    schema.schema_data.discriminator.is_none()
        && matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == openapiv3::AnySchema::default())
}
