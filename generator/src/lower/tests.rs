//! Tests of lowering as a whole, and the helpers the concern modules' tests share.

use super::*;

/// Lowers a spec written as YAML; `paths` and `components` are spliced into a minimal
/// document.
pub(super) fn lower_yaml(body: &str) -> Result<Api, Vec<Diagnostic>> {
    let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{body}");
    let spec = Spec::load("spec.yaml", &text).map_err(|d| d.0)?;
    lower(&spec)
}

/// Lowers a spec written as YAML, as [`lower_yaml`], with the warnings and notes.
pub(super) fn lower_yaml_with_warnings(
    body: &str,
) -> Result<(Api, Vec<Diagnostic>), Vec<Diagnostic>> {
    let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{body}");
    let spec = Spec::load("spec.yaml", &text).map_err(|d| d.0)?;
    lower_with_warnings(&spec)
}

/// The messages of the diagnostics of a spec that must not lower.
pub(super) fn errors_of(body: &str) -> Vec<String> {
    match lower_yaml(body) {
        Ok(_) => panic!("the spec lowered, but it has errors"),
        Err(diagnostics) => diagnostics.iter().map(ToString::to_string).collect(),
    }
}

pub(super) fn type_named<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type `{name}`"))
}

const PETS: &str = r##"
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator: {propertyName: kind}
    Cat:
      type: object
      properties: {kind: {type: string}, meows: {type: boolean}}
    Dog:
      type: object
      properties: {kind: {type: string}, barks: {type: boolean}}
"##;

#[test]
fn discriminator_alternatives_declared_later_are_objects() {
    let api = lower_yaml(PETS).expect("alternatives declared after the union are fine");
    let TypeKind::Union(union) = &type_named(&api, "Pet").kind else {
        panic!("Pet is a union");
    };
    let discriminator = union.discriminator.as_ref().expect("a discriminator");
    assert_eq!(discriminator.values, ["Cat", "Dog"]);
}

#[test]
fn the_order_of_components_does_not_change_the_result() {
    let reordered = PETS.replace(
        "    Pet:\n      oneOf:\n        - $ref: '#/components/schemas/Cat'\n        - $ref: '#/components/schemas/Dog'\n      discriminator: {propertyName: kind}\n",
        "",
    ) + "    Pet:\n      oneOf:\n        - $ref: '#/components/schemas/Cat'\n        - $ref: '#/components/schemas/Dog'\n      discriminator: {propertyName: kind}\n";
    let first = lower_yaml(PETS).expect("lowers");
    let second = lower_yaml(&reordered).expect("lowers");
    let kinds = |api: &Api| {
        let mut names: Vec<(String, String)> = api
            .types
            .iter()
            .map(|t| (t.name.clone(), format!("{:?}", t.kind)))
            .collect();
        names.sort();
        names
    };
    assert_eq!(kinds(&first).len(), kinds(&second).len());
    for ((a, _), (b, _)) in kinds(&first).iter().zip(kinds(&second).iter()) {
        assert_eq!(a, b);
    }
}

#[test]
fn a_discriminator_over_a_non_object_is_dropped_with_a_warning() {
    let (api, warnings) = lower_yaml_with_warnings(&PETS.replace(
        "    Dog:\n      type: object\n      properties: {kind: {type: string}, barks: {type: boolean}}\n",
        "    Dog: {type: string}\n",
    ))
    .expect("accepted as an untagged union");
    let TypeKind::Union(union) = &type_named(&api, "Pet").kind else {
        panic!("Pet is a union");
    };
    assert!(union.discriminator.is_none());
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .to_string()
            .starts_with("warning[lenient]: spec.yaml#/components/schemas/Pet/discriminator (line 20): alternative `String` is not an object"),
        "{}",
        warnings[0]
    );
}

const COMPOSED: &str = r##"
paths: {}
components:
  schemas:
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
        - allOf:
            - $ref: '#/components/schemas/PetBase'
            - type: object
              properties:
                kind: {type: string, enum: [bird]}
                wings: {type: integer}
      discriminator:
        propertyName: kind
        mapping:
          cat: '#/components/schemas/Cat'
          doggo: Dog
    PetBase:
      type: object
      required: [kind]
      properties: {kind: {type: string}, name: {type: string}}
    Cat:
      allOf:
        - $ref: '#/components/schemas/PetBase'
        - type: object
          properties: {meows: {type: boolean}}
    Dog:
      allOf:
        - $ref: '#/components/schemas/PetBase'
        - type: object
          properties: {barks: {type: boolean}}
"##;

#[test]
fn discriminators_choose_among_all_of_composed_and_inline_alternatives() {
    let (api, warnings) = lower_yaml_with_warnings(COMPOSED).expect("accepted");
    assert!(warnings.is_empty(), "{warnings:?}");
    let TypeKind::Union(union) = &type_named(&api, "Pet").kind else {
        panic!("Pet is a union");
    };
    let discriminator = union.discriminator.as_ref().expect("a discriminator");
    assert_eq!(discriminator.values, ["cat", "doggo", "bird"]);
    let TypeKind::Struct(cat) = &type_named(&api, "Cat").kind else {
        panic!("Cat is a struct");
    };
    let fields: Vec<&str> = cat.fields.iter().map(|f| f.wire_name.as_str()).collect();
    assert_eq!(fields, ["kind", "name", "meows"]);

    // Without `mapping`, the component names are the values.
    let plain = COMPOSED.replace(
        "        mapping:\n          cat: '#/components/schemas/Cat'\n          doggo: Dog\n",
        "",
    );
    let api = lower_yaml(&plain).expect("accepted");
    let TypeKind::Union(union) = &type_named(&api, "Pet").kind else {
        panic!("Pet is a union");
    };
    let discriminator = union.discriminator.as_ref().expect("a discriminator");
    assert_eq!(discriminator.values, ["Cat", "Dog", "bird"]);
}

#[test]
fn an_inline_alternative_without_one_value_drops_the_discriminator() {
    let (api, warnings) =
        lower_yaml_with_warnings(&COMPOSED.replace("enum: [bird]", "enum: [bird, fish]"))
            .expect("accepted");
    let TypeKind::Union(union) = &type_named(&api, "Pet").kind else {
        panic!("Pet is a union");
    };
    assert!(union.discriminator.is_none());
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .to_string()
            .starts_with("warning[lenient]: spec.yaml#/components/schemas/Pet/oneOf/2 (line 11): this inline alternative has no `$ref`"),
        "{}",
        warnings[0]
    );
}

#[test]
fn all_of_members_that_disagree_on_a_property_type_warn_with_both_places() {
    let (api, warnings) = lower_yaml_with_warnings(
        r##"
paths: {}
components:
  schemas:
    Base:
      type: object
      properties: {id: {type: string}, size: {type: integer}}
    Derived:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          properties: {id: {type: integer}, size: {type: number}}
"##,
    )
    .expect("accepted");
    let TypeKind::Struct(s) = &type_named(&api, "Derived").kind else {
        panic!("Derived is a struct");
    };
    assert!(matches!(s.fields[0].schema.ty, TypeRef::Integer(_)));
    let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["warning[lenient]: spec.yaml#/components/schemas/Derived/allOf/1/properties/id (line 14): `allOf` merges property `id` as `integer` here and as `string` at `#/components/schemas/Base/properties/id`; no value is both, so the later member's schema (this one) is used"]
    );
}

#[test]
fn required_read_only_and_write_only_properties_are_optional() {
    let api = lower_yaml(
        r##"
paths: {}
components:
  schemas:
    Id: {type: string, readOnly: true}
    Account:
      type: object
      required: [id, created, password, name]
      properties:
        id: {$ref: '#/components/schemas/Id'}
        created: {type: string, format: date-time, readOnly: true}
        password: {type: string, writeOnly: true}
        name: {type: string}
"##,
    )
    .expect("accepted");
    let TypeKind::Struct(s) = &type_named(&api, "Account").kind else {
        panic!("Account is a struct");
    };
    let required: Vec<(&str, bool)> = s
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f.required))
        .collect();
    assert_eq!(
        required,
        [
            ("id", false),
            ("created", false),
            ("password", false),
            ("name", true)
        ]
    );
}

#[test]
fn a_reference_described_by_a_second_member_is_the_reference() {
    let api = lower_yaml(
        r##"
paths: {}
components:
  schemas:
    Expression:
      type: object
      properties:
        Not:
          allOf:
            - $ref: '#/components/schemas/Expression'
            - description: Matches what the inner expression does not.
"##,
    )
    .expect("a described self-reference lowers");
    let TypeKind::Struct(s) = &type_named(&api, "Expression").kind else {
        panic!("Expression is a struct");
    };
    assert_eq!(s.fields[0].schema.ty, TypeRef::Named(TypeId(0)));
    assert!(s.fields[0].boxed, "the cycle is broken with a Box");
    assert_eq!(
        s.fields[0].schema.description.as_deref(),
        Some("Matches what the inner expression does not.")
    );
}

#[test]
fn an_all_of_that_merges_itself_through_a_property_is_refused_not_endless() {
    let errors = errors_of(
        r##"
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        child:
          allOf:
            - $ref: '#/components/schemas/A'
            - type: object
              properties: {extra: {type: string}}
"##,
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("more than 16 levels deep")),
        "{errors:?}"
    );
}

#[test]
fn keywords_of_another_type_are_ignored_with_a_warning() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Count: {type: integer, maxLength: 5, minimum: 1}\n";
    let spec = Spec::load("spec.yaml", text).expect("loads");
    let (api, warnings) = lower_with_warnings(&spec).expect("accepted with a warning");
    let TypeKind::Alias(schema) = &type_named(&api, "Count").kind else {
        panic!("Count is an alias of an integer");
    };
    assert!(matches!(schema.ty, TypeRef::Integer(_)), "{:?}", schema.ty);
    assert_eq!(schema.constraints.minimum, Some(1.0));
    assert_eq!(schema.constraints.max_length, None);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(
        warnings[0].to_string(),
        "warning[lenient]: spec.yaml#/components/schemas/Count (line 6): `maxLength` does not apply to `type: integer` and is ignored"
    );
}

#[test]
fn all_of_over_a_scalar_is_the_scalar() {
    let api = lower_yaml(
        r##"
paths: {}
components:
  schemas:
    Id: {type: string, maxLength: 8}
    Holder:
      type: object
      properties:
        id:
          allOf:
            - $ref: '#/components/schemas/Id'
            - xml: {name: id}
              description: The id.
"##,
    )
    .expect("lowers");
    let TypeKind::Struct(s) = &type_named(&api, "Holder").kind else {
        panic!("Holder is a struct");
    };
    assert!(matches!(s.fields[0].schema.ty, TypeRef::String(_)));
    assert_eq!(s.fields[0].schema.constraints.max_length, Some(8));
}

#[test]
fn enum_values_of_another_type_are_read_as_the_type_with_a_warning() {
    let (api, warnings) = lower_yaml_with_warnings(
        "paths: {}\ncomponents:\n  schemas:\n    Digits: {type: string, enum: [1, 2, x]}\n    Level: {type: integer, enum: ['1', 2, high]}\n",
    )
    .expect("accepted");
    let TypeKind::Enum(digits) = &type_named(&api, "Digits").kind else {
        panic!("Digits is a string enum");
    };
    let wires: Vec<&str> = digits.values.iter().map(|v| v.wire.as_str()).collect();
    assert_eq!(wires, ["1", "2", "x"]);
    let TypeKind::Alias(level) = &type_named(&api, "Level").kind else {
        panic!("Level is an integer");
    };
    assert_eq!(level.constraints.allowed, [Value::from(1), Value::from(2)]);
    let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "warning[lenient]: spec.yaml#/components/schemas/Digits/enum (line 6): `enum` has values of another type than `type: string`; it reads `1` as `\"1\"`, `2` as `\"2\"`",
            "warning[lenient]: spec.yaml#/components/schemas/Level/enum (line 7): `enum` has values of another type than `type: integer`; it reads `\"1\"` as `1` and leaves out `\"high\"`, which `type: integer` cannot hold",
        ]
    );
}

#[test]
fn integer_bounds_beyond_the_range_or_fractional_are_read_inwards() {
    let (api, warnings) = lower_yaml_with_warnings(
        "paths: {}\ncomponents:\n  schemas:\n    Millis: {type: integer, minimum: 0.5, maximum: 9223372036854776000}\n",
    )
    .expect("accepted");
    let TypeKind::Alias(millis) = &type_named(&api, "Millis").kind else {
        panic!("Millis is an integer");
    };
    assert!(matches!(millis.ty, TypeRef::Integer(_)), "{:?}", millis.ty);
    assert_eq!(millis.constraints.minimum, Some(1.0));
    assert_eq!(millis.constraints.maximum, Some(i64::MAX as f64));
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[1].message.contains("beyond the 64-bit integers"),
        "{}",
        warnings[1]
    );
}

#[test]
fn swagger_file_and_unknown_types_are_read_with_a_warning() {
    let (api, warnings) = lower_yaml_with_warnings(
        "paths: {}\ncomponents:\n  schemas:\n    Holder:\n      type: object\n      properties:\n        upload: {type: file, maxLength: 3}\n        odd: {type: thing}\n",
    )
    .expect("accepted");
    let TypeKind::Struct(s) = &type_named(&api, "Holder").kind else {
        panic!("a struct");
    };
    assert_eq!(s.fields[0].schema.ty, TypeRef::String(StringFormat::Binary));
    assert_eq!(s.fields[1].schema.ty, TypeRef::Any);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].message.contains("Swagger 2.0"),
        "{}",
        warnings[0]
    );
}

#[test]
fn a_very_large_enum_lowers_with_one_variant_per_value() {
    let values: Vec<String> = (0..2000).map(|i| format!("'value-{i}'")).collect();
    let ints: Vec<String> = (0..2000).map(|i| i.to_string()).collect();
    let api = lower_yaml(&format!(
        "paths: {{}}\ncomponents:\n  schemas:\n    Big: {{type: string, enum: [{}]}}\n    Numbers: {{type: integer, enum: [{}]}}\n    One: {{type: string, enum: [only]}}\n",
        values.join(", "),
        ints.join(", ")
    ))
    .expect("accepted");
    let TypeKind::Enum(big) = &type_named(&api, "Big").kind else {
        panic!("Big is an enum");
    };
    assert_eq!(big.values.len(), 2000);
    let names: BTreeSet<&str> = big.values.iter().map(|v| v.rust_name.as_str()).collect();
    assert_eq!(names.len(), 2000, "every variant has a name of its own");
    let TypeKind::Alias(numbers) = &type_named(&api, "Numbers").kind else {
        panic!("Numbers is an integer");
    };
    assert_eq!(numbers.constraints.allowed.len(), 2000);
    let TypeKind::Enum(one) = &type_named(&api, "One").kind else {
        panic!("One is an enum");
    };
    assert_eq!(one.values.len(), 1);
}

#[test]
fn repeated_enum_values_are_read_once_with_a_warning() {
    let (api, warnings) = lower_yaml_with_warnings(
        "paths: {}\ncomponents:\n  schemas:\n    Twice: {type: string, enum: [a, b, a]}\n",
    )
    .expect("accepted");
    let TypeKind::Enum(twice) = &type_named(&api, "Twice").kind else {
        panic!("Twice is an enum");
    };
    assert_eq!(twice.values.len(), 2);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].message.contains("lists `a` more than once"),
        "{}",
        warnings[0]
    );
}

#[test]
fn not_is_read_without_it_with_a_warning() {
    let (api, warnings) = lower_yaml_with_warnings(
        "paths: {}\ncomponents:\n  schemas:\n    Lac: {type: integer, minimum: 1, maximum: 65535, not: {minimum: 65534, maximum: 65534}}\n    Anything: {not: {type: string}}\n",
    )
    .expect("accepted");
    let TypeKind::Alias(lac) = &type_named(&api, "Lac").kind else {
        panic!("Lac is an integer");
    };
    assert!(matches!(lac.ty, TypeRef::Integer(_)), "{:?}", lac.ty);
    assert_eq!(lac.constraints.maximum, Some(65535.0));
    let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/components/schemas/Lac/not",
            "/components/schemas/Anything/not"
        ]
    );
}

#[test]
fn a_schema_ref_outside_the_components_reads_the_schema_written_there() {
    let (api, warnings) = lower_yaml_with_warnings(
        r##"
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - name: sort
          in: query
          schema: {type: string, enum: [asc, desc]}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  sort: {$ref: '#/paths/~1items/get/parameters/0/schema'}
                  also: {$ref: '#/paths/~1items/get/parameters/0/schema'}
"##,
    )
    .unwrap_or_else(|d| panic!("{d:?}"));
    let lenient: Vec<String> = warnings
        .iter()
        .map(ToString::to_string)
        .filter(|w| w.contains("points outside #/components/schemas/"))
        .collect();
    assert_eq!(lenient.len(), 1, "warned once per reference: {lenient:?}");
    assert!(
        lenient[0].contains("properties/sort (line"),
        "{}",
        lenient[0]
    );
    let param_ty = &api.operations[0].params[0].schema.ty;
    let body = api
        .types
        .iter()
        .find_map(|t| match &t.kind {
            TypeKind::Struct(s) if s.fields.len() == 2 => Some(s),
            _ => None,
        })
        .expect("the response body struct");
    // Both references read the one lowered schema; it is an enum like the parameter's.
    let (sort, also) = (&body.fields[0].schema.ty, &body.fields[1].schema.ty);
    assert_eq!(sort, also);
    let TypeRef::Named(id) = sort else {
        panic!("expected a named enum, got {sort:?}")
    };
    assert!(
        matches!(api.types[id.0].kind, TypeKind::Enum(_)),
        "{:?}",
        api.types[id.0].kind
    );
    assert!(matches!(param_ty, TypeRef::Named(_)), "{param_ty:?}");
}

#[test]
fn a_cycle_of_refs_outside_the_components_is_refused_where_it_closes() {
    let errors = errors_of(
        r##"
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/paths/~1a/get/responses/200/content/application~1json/schema'}
"##,
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("is part of a cycle of references outside #/components/schemas/")),
        "{errors:?}"
    );
}

#[test]
fn an_enum_read_as_its_type_is_a_named_type_wherever_it_is_used() {
    // `enum: [10, 20, 30]` under `type: string` is not a string enum to `openapiv3`; read
    // as strings, it is one, used from a parameter and a property alike.
    let (api, _) = lower_yaml_with_warnings(
        "paths:\n  /a:\n    get:\n      parameters:\n        - {name: s, in: query, schema: {$ref: '#/components/schemas/Sev'}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, properties: {sev: {$ref: '#/components/schemas/Sev'}}}\ncomponents:\n  schemas:\n    Sev: {description: Severity., type: string, enum: [10, 20, 30]}\n",
    )
    .expect("accepted");
    let TypeKind::Enum(sev) = &type_named(&api, "Sev").kind else {
        panic!("Sev is a string enum");
    };
    let wires: Vec<&str> = sev.values.iter().map(|v| v.wire.as_str()).collect();
    assert_eq!(wires, ["10", "20", "30"]);
    let param = &api.operations[0].params[0];
    assert!(
        matches!(param.schema.ty, TypeRef::Named(_)),
        "{:?}",
        param.schema.ty
    );
}
