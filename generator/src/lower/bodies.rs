//! Request and response bodies: each media type read as JSON, a form, multipart parts,
//! text or bytes, and media types that are read the same way grouped into one content.

use super::*;

/// How a media type is read, before its schema is lowered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Json,
    Form,
    Multipart,
    Text,
    Binary,
}

/// Media types of one body that share a class and (for the classes that read a
/// schema) the schema as written.
struct Group<'d> {
    class: Class,
    schema: Option<&'d ReferenceOr<OaSchema>>,
    members: Vec<(&'d String, &'d openapiv3::MediaType, String)>,
}

impl Lowerer<'_> {
    pub(super) fn request_body(
        &mut self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
        type_name: &str,
    ) -> Option<RequestBody> {
        let (body, at) = self.resolve_item(body, pointer)?;
        if body.content.is_empty() {
            self.warn(
                &join(&at, "content"),
                "lenient",
                "the request body lists no media type; the operation is generated without a body",
            );
            return None;
        }
        let contents = self.contents(
            &body.content,
            &join(&at, "content"),
            &format!("{type_name}Body"),
        );
        Some(RequestBody {
            required: body.required,
            description: body.description.clone(),
            contents,
            pointer: at,
        })
    }

    /// The contents of a body's `content` map (written at `pointer`): media types that
    /// are read the same way share one, in order of first appearance. Inline schemas
    /// get types named `hint`.
    pub(super) fn contents(
        &mut self,
        content: &IndexMap<String, openapiv3::MediaType>,
        pointer: &str,
        hint: &str,
    ) -> Vec<Content> {
        let mut groups: Vec<Group<'_>> = Vec::new();
        for (media_type, media) in content {
            let at = join(pointer, media_type);
            let class = self.classify(media_type, media.schema.as_ref(), &join(&at, "schema"));
            let shares_schema = matches!(class, Class::Text | Class::Binary);
            match groups
                .iter_mut()
                .find(|g| g.class == class && (shares_schema || g.schema == media.schema.as_ref()))
            {
                Some(group) => group.members.push((media_type, media, at)),
                None => groups.push(Group {
                    class,
                    schema: media.schema.as_ref(),
                    members: vec![(media_type, media, at)],
                }),
            }
        }
        let mut variants = Scope::new();
        let mut contents: Vec<Content> = groups
            .into_iter()
            .map(|group| self.content(group, hint, &mut variants))
            .collect();
        // One struct of parts per body: a second multipart content with other parts
        // takes any parts.
        let mut typed = false;
        for content in &mut contents {
            if let ContentKind::Multipart(multipart) = &mut content.kind {
                if typed {
                    multipart.parts.clear();
                }
                typed |= !multipart.parts.is_empty();
            }
        }
        contents
    }

    fn content(&mut self, group: Group<'_>, hint: &str, variants: &mut Scope) -> Content {
        let (first_type, first, first_at) = &group.members[0];
        let schema_at = join(first_at, "schema");
        let lowered = |cx: &mut Self, otherwise: TypeRef| match group.schema {
            Some(s) => cx.schema(s, &schema_at, hint),
            None => Schema::of(otherwise),
        };
        let (kind, schema) = match group.class {
            Class::Json => (ContentKind::Json, lowered(self, TypeRef::Any)),
            Class::Form => (ContentKind::Form, lowered(self, TypeRef::FreeObject)),
            Class::Multipart => {
                let schema = lowered(self, TypeRef::FreeObject);
                let parts = self.parts(&schema, first);
                (ContentKind::Multipart(Multipart { parts }), schema)
            }
            Class::Text => {
                // A text body is a string; a string schema's limits still apply to it.
                let schema = match group.schema {
                    Some(s) if self.is_string_schema(s, &schema_at) => {
                        self.schema(s, &schema_at, hint)
                    }
                    _ => Schema::of(TypeRef::String(StringFormat::Plain)),
                };
                (ContentKind::Text, schema)
            }
            Class::Binary => (
                ContentKind::Binary,
                Schema::of(TypeRef::String(StringFormat::Binary)),
            ),
        };
        let send_as = send_as(group.class, first_type);
        let mut examples = Vec::new();
        for (_, media, at) in &group.members {
            examples.extend(self.media_examples(media, at));
        }
        Content {
            media_types: group.members.iter().map(|(m, _, _)| (*m).clone()).collect(),
            send_as,
            kind,
            schema,
            examples,
            variant_name: variants.claim(naming::media_variant(first_type)),
            pointer: first_at.clone(),
        }
    }

    /// How a media type with this schema is read.
    fn classify(
        &mut self,
        media_type: &str,
        schema: Option<&ReferenceOr<OaSchema>>,
        schema_at: &str,
    ) -> Class {
        let essence = media_essence(media_type);
        let binary = schema.is_some_and(|s| self.is_binary_schema(s, schema_at));
        if essence == "application/x-www-form-urlencoded" {
            return Class::Form;
        }
        if essence == "multipart/form-data" {
            return Class::Multipart;
        }
        if binary || essence == "application/octet-stream" {
            return Class::Binary;
        }
        if is_json(&essence) {
            return Class::Json;
        }
        if essence.starts_with("text/") {
            return Class::Text;
        }
        // A range that may be JSON, with a schema to read it by.
        if schema.is_some() && (essence == "*/*" || essence == "application/*") {
            return Class::Json;
        }
        Class::Binary
    }

    /// The schema a `$ref` chain ends at, if it resolves (a broken one is reported when
    /// the schema is lowered).
    fn raw_schema<'s>(
        &'s self,
        schema: &'s ReferenceOr<OaSchema>,
        at: &str,
    ) -> Option<&'s OaSchema> {
        self.spec.resolve(schema, at).ok().map(|found| found.item)
    }

    fn is_binary_schema(&self, schema: &ReferenceOr<OaSchema>, at: &str) -> bool {
        matches!(
            self.raw_schema(schema, at).map(|s| &s.schema_kind),
            Some(SchemaKind::Type(Type::String(s)))
                if matches!(&s.format, VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary))
        )
    }

    fn is_string_schema(&self, schema: &ReferenceOr<OaSchema>, at: &str) -> bool {
        matches!(
            self.raw_schema(schema, at).map(|s| &s.schema_kind),
            Some(SchemaKind::Type(Type::String(_)))
        )
    }

    /// The parts of a multipart body: one per field of its object type, none for a body
    /// without declared properties.
    fn parts(&self, schema: &Schema, media: &openapiv3::MediaType) -> Vec<Part> {
        let Some(fields) = self.struct_fields(&schema.ty) else {
            return Vec::new();
        };
        fields
            .iter()
            .map(|field| {
                let ty = self.unaliased(&field.schema.ty);
                let kind = match ty {
                    TypeRef::String(StringFormat::Binary) => PartKind::File,
                    TypeRef::Array(items)
                        if *self.unaliased(&items.ty) == TypeRef::String(StringFormat::Binary) =>
                    {
                        PartKind::Files
                    }
                    _ => PartKind::Value,
                };
                Part {
                    wire_name: field.wire_name.clone(),
                    rust_name: field.rust_name.clone(),
                    required: field.required,
                    description: field.schema.description.clone(),
                    kind,
                    schema: field.schema.clone(),
                    content_type: media
                        .encoding
                        .get(&field.wire_name)
                        .and_then(|e| e.content_type.clone()),
                }
            })
            .collect()
    }

    /// The fields of the struct a type is (through aliases), if it is one.
    fn struct_fields(&self, ty: &TypeRef) -> Option<&[Field]> {
        match self.unaliased(ty) {
            TypeRef::Named(id) => match &self.types[id.0].kind {
                TypeKind::Struct(s) => Some(&s.fields),
                _ => None,
            },
            _ => None,
        }
    }

    /// The type an alias stands for, through any chain of aliases.
    fn unaliased<'t>(&'t self, mut ty: &'t TypeRef) -> &'t TypeRef {
        for _ in 0..64 {
            match ty {
                TypeRef::Named(id) => match &self.types[id.0].kind {
                    TypeKind::Alias(schema) => ty = &schema.ty,
                    _ => break,
                },
                _ => break,
            }
        }
        ty
    }

    pub(super) fn media_examples(
        &mut self,
        media: &openapiv3::MediaType,
        pointer: &str,
    ) -> Vec<Example> {
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
            match example {
                Some(e) => match &e.value {
                    Some(value) => out.push(Example {
                        name: name.clone(),
                        summary: e.summary.clone(),
                        value: value.clone(),
                        pointer: at,
                    }),
                    // An example only documents; one whose value is elsewhere (an
                    // `externalValue`, or none at all) is left out of the mock's answers.
                    None => self.warn(
                        &at,
                        "lenient",
                        match &e.external_value {
                            Some(url) => format!("example `{name}` has its value at `{url}`, which is not read; the mock does not answer with it"),
                            None => format!("example `{name}` has no `value`; the mock does not answer with it"),
                        },
                    ),
                },
                None => self.error_rule(&at, "reference", "the example's `$ref` does not point at an example in #/components/examples/"),
            }
        }
        out
    }
}

/// A media type without parameters, lower-case.
fn media_essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// A JSON media type: a subtype `json` or one ending in `+json` (`application/json`,
/// `application/problem+json`, `text/json`).
pub(super) fn is_json(media_type: &str) -> bool {
    let essence = media_essence(media_type);
    essence
        .split_once('/')
        .is_some_and(|(_, subtype)| subtype == "json" || subtype.ends_with("+json"))
}

/// The `Content-Type` sent for a content whose first media type is `media_type`: the
/// media type itself, or a concrete one for a range.
fn send_as(class: Class, media_type: &str) -> String {
    if !media_essence(media_type).contains('*') {
        return media_type.to_string();
    }
    match class {
        Class::Json => "application/json",
        Class::Form => "application/x-www-form-urlencoded",
        Class::Multipart => "multipart/form-data",
        Class::Text => "text/plain",
        Class::Binary => "application/octet-stream",
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, ContentKind, PartKind};

    fn api(text: &str) -> Api {
        crate::parse("spec.yaml", text).expect("the test spec lowers")
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /items:
    post:
      operationId: addItem
      requestBody:
        content:
          application/json: {schema: {$ref: '#/components/schemas/Item'}}
          text/json: {schema: {$ref: '#/components/schemas/Item'}}
          application/x-www-form-urlencoded: {schema: {$ref: '#/components/schemas/Item'}}
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary}
                more: {type: array, items: {type: string, format: binary}}
                note: {type: string}
            encoding:
              file: {contentType: image/png}
          text/csv: {schema: {type: string, maxLength: 10}}
          text/plain: {}
          image/*: {}
          application/xml: {schema: {$ref: '#/components/schemas/Item'}}
          '*/*': {schema: {$ref: '#/components/schemas/Other'}}
      responses:
        "204": {description: Added.}
components:
  schemas:
    Item: {type: object, properties: {name: {type: string}}}
    Other: {type: object, properties: {size: {type: integer}}}
"#;

    #[test]
    fn media_types_are_classified_and_grouped() {
        let api = api(SPEC);
        let body = api.operations[0].body.as_ref().expect("a body");
        let summary: Vec<(Vec<&str>, &str, &str)> = body
            .contents
            .iter()
            .map(|c| {
                let kind = match &c.kind {
                    ContentKind::Json => "json",
                    ContentKind::Form => "form",
                    ContentKind::Multipart(_) => "multipart",
                    ContentKind::Text => "text",
                    ContentKind::Binary => "binary",
                };
                (
                    c.media_types.iter().map(String::as_str).collect(),
                    kind,
                    c.variant_name.as_str(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (vec!["application/json", "text/json"], "json", "Json"),
                (vec!["application/x-www-form-urlencoded"], "form", "Form"),
                (vec!["multipart/form-data"], "multipart", "Multipart"),
                (vec!["text/csv", "text/plain"], "text", "Csv"),
                (vec!["image/*", "application/xml"], "binary", "Image"),
                (vec!["*/*"], "json", "Any"),
            ]
        );
        assert_eq!(body.contents[4].send_as, "application/octet-stream");
        assert_eq!(body.contents[5].send_as, "application/json");
        assert_eq!(body.contents[3].schema.constraints.max_length, Some(10));
        let ContentKind::Multipart(multipart) = &body.contents[2].kind else {
            panic!("multipart");
        };
        let parts: Vec<(&str, PartKind, bool, Option<&str>)> = multipart
            .parts
            .iter()
            .map(|p| {
                (
                    p.wire_name.as_str(),
                    p.kind,
                    p.required,
                    p.content_type.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            parts,
            [
                ("file", PartKind::File, true, Some("image/png")),
                ("more", PartKind::Files, false, None),
                ("note", PartKind::Value, false, None),
            ]
        );
    }
}
