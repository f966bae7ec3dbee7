//! Lowering: an `openapiv3` document into the generator's IR.
//!
//! This is where the spec is validated: `$ref`s are resolved (through `spec_model`),
//! names are decided (through `naming`), inline schemas get types named after where they
//! appear, `allOf` is merged, and everything the generator cannot represent becomes a
//! diagnostic. Lowering never stops at the first problem: it collects them all, each with
//! a JSON pointer and line.
//!
//! Each concern is a module of its own: `schema`, `checks`, `all_of`, `unions`, `operations`,
//! `params`, `bodies`, `responses`, `routes`, `security`, `extensions` and `cycles`. This file holds the
//! order of the passes. Every component schema gets its id and name before any schema is
//! lowered, and checks that look at another schema's lowered form (a discriminator's
//! alternatives are objects) run after every component is lowered.

mod all_of;
mod bodies;
mod checks;
mod cycles;
mod extensions;
mod names;
mod operations;
mod params;
mod responses;
mod routes;
mod schema;
mod security;
#[cfg(test)]
mod tests;
mod unions;

use std::collections::{BTreeSet, HashMap};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, ReferenceOr, Schema as OaSchema,
    SchemaKind, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use spec_model::pointer::{join, unescape};
use spec_model::{Diagnostic, Pointer, Spec};

use crate::ir::*;
use crate::naming::{self, Scope};

/// Lowers a loaded document; any error means no IR. Warnings are dropped: use
/// [`lower_with_warnings`] to see them.
pub fn lower(spec: &Spec) -> Result<Api, Vec<Diagnostic>> {
    lower_with_warnings(spec).map(|(api, _)| api)
}

/// Lowers a loaded document, returning the IR with the warnings, or every diagnostic
/// (errors and warnings, in the order found) when there is an error.
pub fn lower_with_warnings(spec: &Spec) -> Result<(Api, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut cx = Lowerer::new(spec);
    let api = cx.api();
    // A schema merged into several `allOf`s, or read twice on the way to its type, is
    // checked each time; each finding is reported once.
    let mut seen = std::collections::HashSet::new();
    let diags: Vec<Diagnostic> = std::mem::take(&mut cx.diags)
        .into_iter()
        .filter(|d| seen.insert((d.pointer.clone(), d.message.clone())))
        .collect();
    if diags.iter().any(Diagnostic::is_error) {
        Err(diags)
    } else {
        Ok((api, diags))
    }
}

/// The component a schema `$ref` names, `#/components/schemas/{name}` (unescaped; its
/// percent-decoding when only that names a component, as in a URI fragment), or `None`
/// for a reference to another place, `#/components/schemas/A/properties/b` among them.
fn schema_component(doc: &openapiv3::OpenAPI, reference: &str) -> Option<String> {
    let name = spec_model::resolve::component_name(reference, "schemas")?;
    let exists = |name: &str| {
        doc.components
            .as_ref()
            .is_some_and(|c| c.schemas.contains_key(name))
    };
    if !exists(&name) {
        let decoded = spec_model::pointer::percent_decode(reference)
            .and_then(|r| spec_model::resolve::component_name(&r, "schemas"));
        if let Some(decoded) = decoded.filter(|d| exists(d)) {
            return Some(decoded);
        }
    }
    Some(name)
}

/// The schema a `$ref` names in #/components/schemas/, when one is written there (not
/// itself a `$ref`).
fn component_schema<'d>(doc: &'d OpenAPI, reference: &str) -> Option<&'d OaSchema> {
    let name = schema_component(doc, reference)?;
    doc.components.as_ref()?.schemas.get(&name)?.as_item()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    NotStarted,
    InProgress,
    Done,
}

struct Lowerer<'a> {
    spec: &'a Spec,
    doc: &'a OpenAPI,
    diags: Vec<Diagnostic>,
    types: Vec<TypeDef>,
    type_names: Scope,
    components: IndexMap<String, TypeId>,
    state: HashMap<TypeId, State>,
    client_params: Vec<ClientParam>,
    /// Checks that need every component lowered first, run at the end of `api`.
    deferred: Vec<Deferred>,
    /// How many `allOf` merges are being lowered, one inside another.
    all_of_depth: usize,
    /// Each distinct `pattern`, and why the server runtime cannot compile it (if so).
    patterns: HashMap<String, Option<String>>,
    /// The unknown `format`s already noted.
    noted_formats: BTreeSet<String>,
    /// Schemas reached by a `$ref` outside `#/components/schemas/`, by reference:
    /// `None` while one is being lowered (a reference back to it is a cycle).
    elsewhere: HashMap<String, Option<Schema>>,
    /// Components that are not named types, referred to while being lowered: `(id,
    /// pointer, reference)`. Such a cycle is finite when it passes through a named type
    /// (`A: array of {b: A}`); [`Lowerer::check_alias_cycles`] refuses the others.
    alias_cycles: Vec<(TypeId, String, String)>,
}

/// A check that depends on the lowered form of other schemas.
enum Deferred {
    /// Every alternative of a union with a discriminator must be an object; when one
    /// is not, the union at `union` is read without its discriminator.
    DiscriminatorAlternatives {
        pointer: String,
        union: String,
        variants: Vec<(String, TypeRef)>,
    },
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
    fn new(spec: &'a Spec) -> Self {
        Lowerer {
            spec,
            doc: &spec.document,
            // What loading repaired comes first, in document order.
            diags: spec.warnings.clone(),
            types: Vec::new(),
            type_names: Scope::new(),
            components: IndexMap::new(),
            state: HashMap::new(),
            client_params: Vec::new(),
            deferred: Vec::new(),
            all_of_depth: 0,
            patterns: HashMap::new(),
            noted_formats: BTreeSet::new(),
            elsewhere: HashMap::new(),
            alias_cycles: Vec::new(),
        }
    }

    /// Something the generator does not support at `pointer`.
    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.error_rule(pointer, "unsupported", message);
    }

    /// An error found by `rule` (`reference`, `extension`, `invalid`, `unsupported`).
    fn error_rule(&mut self, pointer: &str, rule: &'static str, message: impl Into<String>) {
        let diagnostic = self.spec.error(pointer, rule, message);
        self.diags.push(diagnostic);
    }

    /// Something accepted with a clear meaning that the spec's author may want to fix.
    fn warn(&mut self, pointer: &str, rule: &'static str, message: impl Into<String>) {
        let diagnostic = self.spec.warning(pointer, rule, message);
        self.diags.push(diagnostic);
    }

    /// An item, or the component its `$ref` chain ends at, with where it is written; a
    /// reference that does not resolve is reported.
    fn resolve_item<T: spec_model::Component + Clone>(
        &mut self,
        item: &impl spec_model::RefOr<T>,
        pointer: &str,
    ) -> Option<(T, String)> {
        match self.spec.resolve(item, pointer) {
            Ok(found) => Some((found.item.clone(), found.pointer)),
            Err(diagnostic) => {
                self.report(diagnostic);
                None
            }
        }
    }

    /// A diagnostic made elsewhere (by `spec_model`), kept with the others.
    fn report(&mut self, diagnostic: Diagnostic) {
        self.diags.push(diagnostic);
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
        let mut operations = self.operations(&mut services);
        self.routes(&mut operations);
        let security_schemes = self.security_schemes();
        let security = doc
            .security
            .iter()
            .flatten()
            .map(|req| req.keys().cloned().collect())
            .collect();
        self.check_requirements(&security_schemes);
        let error_model = self.error_model();
        self.run_deferred();
        self.check_alias_cycles();
        self.box_cycles();
        let mut api = Api {
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
            names: Names::default(),
        };
        api.names = names::claim(&api);
        api
    }
}
