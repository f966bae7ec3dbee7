//! The project's `x-` extensions: `x-canonical`, `x-client-parameter`, `x-signing` and `x-error-model`.

use super::*;

impl Lowerer<'_> {
    /// `anyOf`/`oneOf` with `x-canonical: N`: the type is alternative N, the others are
    /// accepted on input and converted.
    pub(super) fn canonical(
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
                self.error_rule(
                    &ext_pointer,
                    "extension",
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
            self.error_rule(
                &ext_pointer,
                "extension",
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
                self.error_rule(
                    &at, "extension",
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
    pub(super) fn accepted_shape(
        &mut self,
        schema: &ReferenceOr<OaSchema>,
        pointer: &str,
    ) -> TypeRef {
        let doc = self.doc;
        let schema = match schema {
            ReferenceOr::Item(schema) => schema,
            ReferenceOr::Reference { reference } => match component_schema(doc, reference) {
                Some(schema) => schema,
                None => {
                    self.error_rule(pointer, "reference", format!("`$ref: {reference}` does not point at a schema in #/components/schemas/"));
                    return TypeRef::Any;
                }
            },
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

    pub(super) fn client_param(
        &mut self,
        param: &openapiv3::Parameter,
        location: ParamLocation,
        schema: &Schema,
        ext: spec_model::ext::ClientParameter,
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
        if !data.required {
            self.error_rule(
                at,
                "extension",
                "a parameter with `x-client-parameter` must be required",
            );
        }
        self.client_params.push(ClientParam {
            wire_name: data.name.clone(),
            rust_name: naming::snake(&data.name),
            location,
            description: data.description.clone(),
            schema: schema.clone(),
            header: ext.header,
            env: ext.env,
            pointer: at.to_string(),
        });
        Some(self.client_params.len() - 1)
    }

    /// `x-signing` on the `apiKey` scheme at `scheme_at`, whose key goes in `header`.
    pub(super) fn signing(
        &mut self,
        extensions: &IndexMap<String, Value>,
        header: &str,
        location: &str,
        scheme_at: &str,
    ) -> Option<SecurityKind> {
        let at = join(scheme_at, "x-signing");
        if extensions.contains_key("x-signing") && location != "header" {
            self.error_rule(
                &at,
                "extension",
                "`x-signing` needs a scheme whose key is sent in a header",
            );
        }
        let ext: spec_model::ext::Signing =
            match self.spec.extension(extensions, "x-signing", scheme_at)? {
                Ok(ext) => ext,
                Err(diagnostic) => {
                    self.report(diagnostic);
                    return Some(SecurityKind::Other);
                }
            };
        if ext.algorithm != "SDK-HMAC-SHA256" {
            self.error_rule(&join(&at, "algorithm"), "extension", format!("signing algorithm `{}` is not supported; the runtime signs with SDK-HMAC-SHA256", ext.algorithm));
        }
        Some(SecurityKind::Signing(Signing {
            algorithm: ext.algorithm,
            header: header.to_string(),
            date_header: ext.date_header,
            content_sha256_header: ext.content_sha256_header,
            security_token_header: ext.security_token_header,
            access_key_env: ext.access_key_env,
            secret_key_env: ext.secret_key_env,
        }))
    }

    pub(super) fn error_model(&mut self) -> Option<ErrorModel> {
        let doc = self.doc;
        let at = "/x-error-model";
        let ext: spec_model::ext::ErrorModel =
            match self.spec.extension(&doc.extensions, "x-error-model", "")? {
                Ok(ext) => ext,
                Err(diagnostic) => {
                    self.report(diagnostic);
                    return None;
                }
            };
        let spec_model::ext::ErrorModel {
            schema,
            code_field,
            message_field,
        } = ext;
        let Some(&id) = spec_model::resolve::component_name(&schema, "schemas")
            .and_then(|n| self.components.get(&n))
        else {
            self.error_rule(
                &join(at, "schema"),
                "reference",
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
}

/// The conversions the runtime's lenient decoders implement.
pub(super) fn lenient_supported(canonical: &TypeRef, other: &TypeRef) -> bool {
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

pub(super) fn describe(ty: &TypeRef) -> &'static str {
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
