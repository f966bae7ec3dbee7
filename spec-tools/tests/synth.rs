//! The synthetic specs of `cargo xtask bench` are accepted by the generator and have
//! the requested number of operations.

use spec_tools::synth;
use xtask::codegen;

#[test]
fn synthetic_specs_generate_both_crates() {
    for operations in [1, 5, 12] {
        let text = synth::spec_yaml(operations);
        let api = generator::parse("synthetic.yaml", &text)
            .unwrap_or_else(|diagnostics| panic!("{operations} operations: {diagnostics}"));
        assert_eq!(api.operations.len(), operations);
        assert_eq!(api.services.len(), operations.min(2));
        let files = generator::generate(&codegen::config(), &text)
            .unwrap_or_else(|diagnostics| panic!("{operations} operations: {diagnostics}"));
        let client = files
            .iter()
            .find(|f| f.path == "generated-client/src/generated/client.rs")
            .expect("the client file is generated");
        assert_eq!(
            client
                .contents
                .matches("pub async fn update_resource")
                .count(),
            operations
        );
    }
}

#[test]
fn every_request_body_has_ten_to_twenty_fields() {
    let spec = synth::spec(30);
    let schemas = spec["components"]["schemas"]
        .as_object()
        .expect("the spec has component schemas");
    let mut seen = 0;
    for (name, schema) in schemas {
        if name.ends_with("Request") {
            let fields = schema["properties"].as_object().map_or(0, |p| p.len());
            assert!((10..=20).contains(&fields), "{name} has {fields} fields");
            seen += 1;
        }
    }
    assert_eq!(seen, 30);
}
