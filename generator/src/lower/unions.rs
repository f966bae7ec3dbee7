//! `oneOf` and `anyOf`: unions, untagged or chosen by a discriminator.

use super::*;

impl Lowerer<'_> {
    pub(super) fn union(
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
        let discriminator = schema
            .schema_data
            .discriminator
            .as_ref()
            .and_then(|d| self.discriminator(d, alternatives, &variants, keyword, pointer));
        Shape::Def(TypeKind::Union(Union {
            exclusive,
            variants,
            discriminator,
        }))
    }

    /// The value of the discriminator property for each alternative: the `mapping` key
    /// that names it (as a `$ref` or a bare schema name), else the component's name, or
    /// for an inline alternative the one value its property allows. When an
    /// alternative has no value, or two share one, the union is read without the
    /// discriminator (each alternative tried in turn), with a warning.
    fn discriminator(
        &mut self,
        d: &openapiv3::Discriminator,
        alternatives: &[ReferenceOr<OaSchema>],
        variants: &[UnionVariant],
        keyword: &str,
        pointer: &str,
    ) -> Option<Discriminator> {
        let at = join(pointer, "discriminator");
        let mut values: Vec<String> = Vec::new();
        for (i, (alt, variant)) in alternatives.iter().zip(variants).enumerate() {
            let value = match alt {
                ReferenceOr::Reference { reference } => {
                    let name = unescape(reference.rsplit('/').next().unwrap_or(reference));
                    let mut keys = d
                        .mapping
                        .iter()
                        .filter(|(_, target)| *target == reference || **target == name)
                        .map(|(value, _)| value.clone());
                    let first = keys.next();
                    let others: Vec<String> = keys.map(|k| format!("`{k}`")).collect();
                    if let (Some(first), false) = (&first, others.is_empty()) {
                        self.warn(
                            &join(&at, "mapping"),
                            "lenient",
                            format!("`mapping` gives `{name}` several values; the generated code reads `{first}` and not {}", others.join(", ")),
                        );
                    }
                    Some(first.unwrap_or(name))
                }
                ReferenceOr::Item(_) => self.single_value(&variant.schema.ty, &d.property_name),
            };
            let Some(value) = value else {
                self.warn(
                    &format!("{pointer}/{keyword}/{i}"),
                    "lenient",
                    format!("this inline alternative has no `$ref` for the discriminator to name and its `{}` property allows more than one value; the union is read without the discriminator, each alternative tried in turn", d.property_name),
                );
                return None;
            };
            if values.contains(&value) {
                self.warn(
                    &at,
                    "lenient",
                    format!("two alternatives have the discriminator value `{value}`; the union is read without the discriminator, each alternative tried in turn"),
                );
                return None;
            }
            values.push(value);
        }
        // An alternative may be a component that is not lowered yet (declared later, or
        // part of a cycle), so whether it is an object is checked at the end.
        self.deferred.push(Deferred::DiscriminatorAlternatives {
            pointer: at,
            union: pointer.to_string(),
            variants: variants
                .iter()
                .map(|v| (v.rust_name.clone(), v.schema.ty.clone()))
                .collect(),
        });
        Some(Discriminator {
            property: d.property_name.clone(),
            values,
        })
    }

    /// The one value the property `name` of an object type allows (`enum: [cat]`).
    fn single_value(&self, ty: &TypeRef, name: &str) -> Option<String> {
        let TypeRef::Named(id) = ty else {
            return None;
        };
        let TypeKind::Struct(s) = &self.types[id.0].kind else {
            return None;
        };
        let field = s.fields.iter().find(|f| f.wire_name == name)?;
        match &field.schema.ty {
            TypeRef::Named(e) => match &self.types[e.0].kind {
                TypeKind::Enum(e) if e.values.len() == 1 => Some(e.values[0].wire.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    /// Runs the checks that needed every component lowered first.
    pub(super) fn run_deferred(&mut self) {
        for check in std::mem::take(&mut self.deferred) {
            match check {
                Deferred::DiscriminatorAlternatives {
                    pointer,
                    union,
                    variants,
                } => {
                    let not_objects: Vec<String> = variants
                        .iter()
                        .filter(|(_, ty)| !matches!(ty, TypeRef::Named(id) if matches!(self.types[id.0].kind, TypeKind::Struct(_))))
                        .map(|(name, _)| format!("`{name}`"))
                        .collect();
                    if not_objects.is_empty() {
                        continue;
                    }
                    self.warn(
                        &pointer,
                        "lenient",
                        format!("alternative {} is not an object, so it cannot carry the discriminator property; the union is read without the discriminator, each alternative tried in turn", not_objects.join(", ")),
                    );
                    for def in &mut self.types {
                        if def.pointer == union {
                            if let TypeKind::Union(u) = &mut def.kind {
                                u.discriminator = None;
                            }
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn variant_name_for(ty: &TypeRef) -> String {
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
