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
                        self.error_rule(&format!("{pointer}/{keyword}/{i}"), "reference", "with a `discriminator`, every alternative must be a `$ref` to an object schema");
                        String::new()
                    }
                };
                values.push(value);
            }
            // An alternative may be a component that is not lowered yet (declared later,
            // or part of a cycle), so whether it is an object is checked at the end.
            self.deferred.push(Deferred::DiscriminatorAlternatives {
                pointer: join(pointer, "discriminator"),
                variants: variants
                    .iter()
                    .map(|v| (v.rust_name.clone(), v.schema.ty.clone()))
                    .collect(),
            });
            Discriminator { property: d.property_name.clone(), values }
        });
        Shape::Def(TypeKind::Union(Union {
            exclusive,
            variants,
            discriminator,
        }))
    }

    /// Runs the checks that needed every component lowered first.
    pub(super) fn run_deferred(&mut self) {
        for check in std::mem::take(&mut self.deferred) {
            match check {
                Deferred::DiscriminatorAlternatives { pointer, variants } => {
                    for (name, ty) in variants {
                        let is_struct = matches!(&ty, TypeRef::Named(id) if matches!(self.types[id.0].kind, TypeKind::Struct(_)));
                        if !is_struct {
                            self.error_rule(&pointer, "invalid", format!("alternative `{name}` is not an object, so it cannot carry the discriminator property"));
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
