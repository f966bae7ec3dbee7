//! `json_object!` and `json_union!` against what `#[derive(Serialize, Deserialize)]` with
//! the attributes the generator used to write does: the same JSON out and the same values
//! or error messages in, on a set of documents that covers every field kind.

use std::collections::BTreeMap;

use apig_types_runtime::{json_object, json_union};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Every field kind, a lenient field of each arity, a raw identifier and a name that
/// differs from its wire name.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub name: String,
    pub note: Option<String>,
    pub count: Option<i64>,
    pub enabled: Option<bool>,
    pub jars: Vec<String>,
    pub r#type: Option<String>,
    pub created_at: i64,
}

json_object!(
    Job,
    name => "name" required,
    note => "note" nullable,
    count => "count" optional(option_integer),
    enabled => "enabled" optional(option_boolean),
    jars => "jars" required(string_list),
    r#type => "type" optional,
    created_at => "created-at" required,
);

/// The same with derive, as the generator wrote it before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerivedJob {
    pub name: String,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "apig_types_runtime::lenient::option_integer"
    )]
    pub count: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "apig_types_runtime::lenient::option_boolean"
    )]
    pub enabled: Option<bool>,
    #[serde(deserialize_with = "apig_types_runtime::lenient::string_list")]
    pub jars: Vec<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(rename = "created-at")]
    pub created_at: i64,
}

impl From<DerivedJob> for Job {
    fn from(d: DerivedJob) -> Job {
        Job {
            name: d.name,
            note: d.note,
            count: d.count,
            enabled: d.enabled,
            jars: d.jars,
            r#type: d.r#type,
            created_at: d.created_at,
        }
    }
}

/// Additional properties kept in a map.
#[derive(Debug, Clone, PartialEq)]
pub struct Labels {
    pub id: String,
    pub extra: BTreeMap<String, String>,
}

json_object!(Labels + extra, id => "id" required);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerivedLabels {
    pub id: String,
    #[serde(flatten)]
    pub extra: BTreeMap<String, String>,
}

/// Names that the macro's own items could shadow, and no fields at all.
#[derive(Debug, Clone, PartialEq)]
pub struct __JsonObjectVisitor {
    pub map: Option<String>,
}

json_object!(__JsonObjectVisitor, map => "map" optional);

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Empty {}

json_object!(Empty);

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Labels(Labels),
    Text(String),
    Number(i64),
}

json_union!(Shape {
    Labels,
    Text,
    Number
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DerivedShape {
    Labels(DerivedLabels),
    Text(String),
    Number(i64),
}

fn documents() -> Vec<serde_json::Value> {
    vec![
        json!({"name": "a", "jars": ["x.jar"], "created-at": 1}),
        json!({"name": "a", "note": null, "count": "7", "enabled": "TRUE", "jars": "x.jar,y.jar", "type": "t", "created-at": 2}),
        json!({"name": "a", "note": "n", "count": 7, "enabled": false, "jars": [], "created-at": 3, "unknown": {"deep": [1, 2]}}),
        json!({"created-at": 4, "jars": [], "name": "reordered", "note": "n"}),
        json!({"name": "a", "jars": []}),
        json!({"jars": [], "created-at": 1}),
        json!({"name": "a", "name": "b", "jars": [], "created-at": 1}),
        json!({"name": 5, "jars": [], "created-at": 1}),
        json!({"name": "a", "jars": [], "created-at": "1"}),
        json!({"name": "a", "jars": 3, "created-at": 1}),
        json!({"name": "a", "enabled": "maybe", "jars": [], "created-at": 1}),
        json!(["a", null, 1, true, [], "t", 1]),
        json!("text"),
        json!(null),
    ]
}

/// Parses `text` both ways: the same value, or the same error message.
fn same_as_derive(text: &str) {
    let ours = serde_json::from_str::<Job>(text).map_err(|e| e.to_string());
    // The twin's name is in derive's messages.
    let derived = serde_json::from_str::<DerivedJob>(text)
        .map(Job::from)
        .map_err(|e| e.to_string().replace("DerivedJob", "Job"));
    match (&ours, &derived) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
        (Err(a), Err(b)) => assert_eq!(a, b, "{text}"),
        // Derive also reads an object from an array of its values; ours refuses that.
        (Err(a), Ok(_)) if text.starts_with('[') => {
            assert!(a.contains("expected struct Job"), "{text}: {a}")
        }
        _ => panic!("{text}: ours {ours:?}, derive {derived:?}"),
    }
}

#[test]
fn objects_read_as_derive_reads_them() {
    for document in documents() {
        same_as_derive(&document.to_string());
    }
    // A duplicate key, which `json!` cannot write.
    same_as_derive(r#"{"name": "a", "name": "b", "jars": [], "created-at": 1}"#);
    // Escapes in a key: the key is then not borrowed from the input.
    same_as_derive(r#"{"na\u006de": "a", "jars": [], "created-at": 1}"#);
}

#[test]
fn objects_write_as_derive_writes_them() {
    let job = Job {
        name: "a".into(),
        note: None,
        count: Some(3),
        enabled: None,
        jars: vec!["x".into()],
        r#type: Some("t".into()),
        created_at: 9,
    };
    let derived = DerivedJob {
        name: "a".into(),
        note: None,
        count: Some(3),
        enabled: None,
        jars: vec!["x".into()],
        r#type: Some("t".into()),
        created_at: 9,
    };
    let text = serde_json::to_string(&job).unwrap();
    assert_eq!(text, serde_json::to_string(&derived).unwrap());
    // Declared order; `nullable` written as null, `optional` left out when absent.
    assert_eq!(
        text,
        r#"{"name":"a","note":null,"count":3,"jars":["x"],"type":"t","created-at":9}"#
    );
    assert_eq!(serde_json::from_str::<Job>(&text).unwrap(), job);
}

#[test]
fn additional_properties_are_kept_and_written_after_the_fields() {
    for text in [
        r#"{"id": "1", "b": "2", "a": "3"}"#,
        r#"{"a": "3", "id": "1"}"#,
        r#"{"id": "1"}"#,
        r#"{"a": "3"}"#,
        r#"{"id": "1", "a": 3}"#,
        r#"{"id": "1", "id": "2"}"#,
    ] {
        let ours = serde_json::from_str::<Labels>(text).map_err(|e| e.to_string());
        let derived = serde_json::from_str::<DerivedLabels>(text)
            .map(|d| Labels {
                id: d.id,
                extra: d.extra,
            })
            .map_err(|e| e.to_string());
        match (&ours, &derived) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
            // Derive buffers a flattened struct, so its messages lose the line and column
            // and may word the problem differently; both refuse.
            (Err(_), Err(_)) => {}
            _ => panic!("{text}: ours {ours:?}, derive {derived:?}"),
        }
    }
    let labels = Labels {
        id: "1".into(),
        extra: BTreeMap::from([("a".into(), "3".into()), ("b".into(), "2".into())]),
    };
    let derived = DerivedLabels {
        id: "1".into(),
        extra: labels.extra.clone(),
    };
    let text = serde_json::to_string(&labels).unwrap();
    assert_eq!(text, serde_json::to_string(&derived).unwrap());
    assert_eq!(text, r#"{"id":"1","a":"3","b":"2"}"#);
}

#[test]
fn the_macros_own_names_do_not_shadow_the_types_and_fields() {
    let value: __JsonObjectVisitor = serde_json::from_str(r#"{"map": "m"}"#).unwrap();
    assert_eq!(value.map.as_deref(), Some("m"));
    assert_eq!(serde_json::to_string(&value).unwrap(), r#"{"map":"m"}"#);
    assert_eq!(
        serde_json::from_str::<Empty>(r#"{"x": 1}"#).unwrap(),
        Empty {}
    );
    assert_eq!(serde_json::to_string(&Empty {}).unwrap(), "{}");
    assert_eq!(
        serde_json::from_str::<Empty>("[]").unwrap_err().to_string(),
        "invalid type: sequence, expected struct Empty at line 1 column 2"
    );
}

#[test]
fn unions_take_the_first_variant_that_reads_as_derive_does() {
    for text in [r#"{"id": "1", "k": "v"}"#, r#""text""#, "5", "true", "[1]"] {
        let ours = serde_json::from_str::<Shape>(text).map_err(|e| e.to_string());
        let derived = serde_json::from_str::<DerivedShape>(text)
            .map(|d| match d {
                DerivedShape::Labels(l) => Shape::Labels(Labels {
                    id: l.id,
                    extra: l.extra,
                }),
                DerivedShape::Text(t) => Shape::Text(t),
                DerivedShape::Number(n) => Shape::Number(n),
            })
            .map_err(|e| e.to_string().replace("DerivedShape", "Shape"));
        assert_eq!(ours, derived, "{text}");
    }
    assert_eq!(
        serde_json::to_string(&Shape::Number(5)).unwrap(),
        serde_json::to_string(&DerivedShape::Number(5)).unwrap()
    );
    assert_eq!(
        serde_json::from_str::<Shape>("true")
            .unwrap_err()
            .to_string(),
        "data did not match any variant of untagged enum Shape"
    );
}

#[test]
fn values_read_through_a_json_value_too() {
    // `serde_json::from_value` hands keys over as owned strings.
    let value = json!({"name": "a", "jars": "x,y", "created-at": 1, "type": "t"});
    let job: Job = serde_json::from_value(value.clone()).unwrap();
    let derived: DerivedJob = serde_json::from_value(value).unwrap();
    assert_eq!(job, Job::from(derived));
}
