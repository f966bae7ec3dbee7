//! Responses: one per status, with bodies and headers.

use super::operations::is_json;
use super::*;

impl Lowerer<'_> {
    pub(super) fn responses(
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
            let Some((response, at)) = self.resolve_item(response, &at) else {
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
                let header = match self.spec.resolve(header, &header_at) {
                    Ok(found) => found.item,
                    Err(diagnostic) => {
                        self.report(diagnostic);
                        continue;
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
}
