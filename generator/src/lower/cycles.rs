//! Cycles of types: the fields and variants that need a `Box`.

use super::*;

impl Lowerer<'_> {
    /// Marks fields and variants that refer back to their own type through plain
    /// (unboxed) fields, so that the generated type has a finite size.
    pub(super) fn box_cycles(&mut self) {
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

impl Lowerer<'_> {
    /// Refuses each cycle of aliases that passes through no named type (`A: array of
    /// A`): `type A = Vec<A>` has no finite representation. One that passes through a
    /// struct, enum or union (`A: array of {b: A}`) is a type alias of a finite type.
    pub(super) fn check_alias_cycles(&mut self) {
        for (id, pointer, reference) in std::mem::take(&mut self.alias_cycles) {
            // `A: {$ref: A}` is refused where it is lowered, as referring to itself.
            let itself =
                matches!(&self.types[id.0].kind, TypeKind::Alias(s) if s.ty == TypeRef::Named(id));
            if !itself && self.alias_reaches(id) {
                self.error_rule(&pointer, "reference", format!("`$ref: {reference}` is part of a cycle of schemas that are not objects; such a type has no finite representation"));
            }
        }
    }

    /// Whether the alias `id` stands for a type that contains `id` itself without a named
    /// type in between: through aliases, arrays and maps only.
    fn alias_reaches(&self, id: TypeId) -> bool {
        let TypeKind::Alias(schema) = &self.types[id.0].kind else {
            return false;
        };
        let mut seen = BTreeSet::new();
        let mut stack = vec![&schema.ty];
        while let Some(ty) = stack.pop() {
            match ty {
                TypeRef::Named(t) if *t == id => return true,
                TypeRef::Named(t) => {
                    if let (TypeKind::Alias(s), true) = (&self.types[t.0].kind, seen.insert(*t)) {
                        stack.push(&s.ty);
                    }
                }
                TypeRef::Array(item) | TypeRef::Map(item) => stack.push(&item.ty),
                _ => {}
            }
        }
        false
    }
}

pub(super) fn direct_refs(kind: &TypeKind) -> Vec<TypeId> {
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
