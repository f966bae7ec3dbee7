//! Security schemes and requirements.

use super::*;

impl Lowerer<'_> {
    pub(super) fn security_schemes(&mut self) -> Vec<SecurityScheme> {
        let doc = self.doc;
        let Some(components) = &doc.components else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, scheme) in &components.security_schemes {
            let at = join("/components/securitySchemes", name);
            let ReferenceOr::Item(scheme) = scheme else {
                self.error_rule(
                    &at,
                    "reference",
                    "security schemes given by `$ref` are not supported",
                );
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
                    let kind = self
                        .signing(extensions, key, location, &at)
                        .unwrap_or_else(|| SecurityKind::ApiKey {
                            location: location.to_string(),
                            name: key.clone(),
                        });
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

    /// Every scheme a top-level security requirement names is declared.
    pub(super) fn check_requirements(&mut self, schemes: &[SecurityScheme]) {
        let doc = self.doc;
        for (i, requirement) in doc.security.iter().flatten().enumerate() {
            for name in requirement.keys() {
                if !schemes.iter().any(|s| &s.name == name) {
                    self.error_rule(
                        &format!("/security/{i}"),
                        "reference",
                        format!("security requirement names `{name}`, which is not in components/securitySchemes"),
                    );
                }
            }
        }
    }
}
