//! The walker against hand-written rules: every shape of schema the generator emits,
//! from bytes and from values, with the violations and pointers a caller sees.

use super::*;

static ITEM: Schema = object(&[
    required("name", string().min_length(1).max_length(5)),
    optional("count", integer(IntFormat::I32).minimum(0.0)),
]);

static PATTERN: Pattern = Pattern::new("^[a-z]+$");

static ROOT: Schema = object(&[
    required("id", integer(IntFormat::I64)),
    optional("word", string().pattern(&PATTERN)),
    optional("when", string().format(Format::DateTime)),
    optional("mode", enumeration(&["a", "b"])),
    optional("flag", boolean().or(&[enumeration(&["true", "false"])])),
    optional(
        "list",
        array(&string().max_length(3)).max_items(2).or(&[string()]),
    ),
    optional("items", array(&to(&ITEM)).min_items(1)),
    optional("unique", array(&integer(IntFormat::I64)).unique_items()),
    optional("maybe", to(&ITEM).nullable()),
    optional("level", integer(IntFormat::I32).allowed("[1, 2, 3]")),
    optional("labels", map(&string().max_length(2)).max_properties(2)),
    optional("either", to(&EITHER)),
    optional("tagged", to(&TAGGED)),
    optional("next", to(&ROOT)),
    optional("ratio", number(NumFormat::Float).exclusive_maximum(1.0)),
]);

static EITHER: Schema = union(&[string().max_length(3), to(&ITEM)]);

static CAT: Schema = object(&[
    required("kind", string()),
    required("lives", integer(IntFormat::U8)),
]);
static DOG: Schema = object(&[required("kind", string()), required("bark", boolean())]);
static TAGGED: Schema = union(&[to(&CAT), to(&DOG)]).discriminator("kind", &["cat", "dog"]);

/// The violations of `json` against `schema`, walked from bytes and from a parsed value:
/// both must agree.
fn violations(schema: &Schema, json: &str) -> Vec<String> {
    let mut streamed = Violations::new();
    check_json(schema, json.as_bytes(), &mut streamed).expect("valid JSON");
    let value: Value = serde_json::from_str(json).expect("valid JSON");
    let mut buffered = Violations::new();
    walk_value(schema, &value, &At::ROOT, &mut buffered);
    let streamed: Vec<String> = streamed.iter().map(ToString::to_string).collect();
    let mut sorted_streamed = streamed.clone();
    let mut sorted_buffered: Vec<String> = buffered.iter().map(ToString::to_string).collect();
    sorted_streamed.sort();
    sorted_buffered.sort();
    assert_eq!(
        sorted_streamed, sorted_buffered,
        "bytes and value disagree on {json}"
    );
    streamed
}

#[test]
fn a_valid_document_has_no_violations() {
    let json = r#"{"id": 1, "word": "abc", "when": "2024-01-02T03:04:05Z", "mode": "b",
        "flag": "true", "list": "x,y", "items": [{"name": "n", "count": 3}],
        "unique": [1, 2], "maybe": null, "level": 2, "labels": {"k": "v"},
        "either": {"name": "it"}, "tagged": {"kind": "dog", "bark": true},
        "next": {"id": 2, "either": "abc"}, "ratio": 0.5, "unknown": [1, {"x": null}]}"#;
    assert_eq!(violations(&ROOT, json), Vec::<String>::new());
}

#[test]
fn every_violation_is_reported_with_its_pointer() {
    let json = r#"{"word": "ABC", "when": "yesterday", "mode": "c", "flag": 1,
        "list": ["abcd", "b", "c"], "items": [], "unique": [1, 1], "maybe": {"count": -1},
        "level": 4, "labels": {"a": "long", "b": "x", "c~/": "y"}, "either": 5,
        "tagged": {"kind": "cow"}, "next": {"id": "x"}, "ratio": 1.0}"#;
    let got = violations(&ROOT, json);
    let expected = [
        "/id: required",
        "/word: does not match the pattern `^[a-z]+$`",
        "/when: not an RFC 3339 date-time",
        "/mode: \"c\" is not one of: a, b",
        "/flag: matches none of the 2 allowed shapes",
        "/list: matches none of the 2 allowed shapes",
        "/items: fewer than 1 items (0)",
        "/unique: items must be unique",
        "/maybe/name: required",
        "/maybe/count: -1 must be at least 0",
        "/level: 4 is not one of [1, 2, 3]",
        "/labels: more than 2 properties",
        "/labels/a: longer than 2 characters (4)",
        "/either: matches none of the 2 allowed shapes",
        "/tagged/kind: must be one of: cat, dog",
        "/next/id: expected an integer, found a string",
        "/ratio: 1.0 must be less than 1",
    ];
    for line in &expected {
        assert!(
            got.contains(&line.to_string()),
            "missing {line:?} in {got:#?}"
        );
    }
    assert_eq!(got.len(), expected.len(), "{got:#?}");
}

#[test]
fn wrong_types_say_what_was_expected() {
    assert_eq!(
        violations(&ROOT, "[]"),
        ["request body: expected an object, found an array"]
    );
    assert_eq!(
        violations(&ROOT, "null"),
        ["request body: expected an object, found null"]
    );
    assert_eq!(
        violations(&ITEM, r#"{"name": "x", "count": 22062929259011548901}"#),
        ["/count: 2.2062929259011547e+19 is an integer beyond the 64-bit range this server reads"]
    );
    assert_eq!(
        violations(&ITEM, r#"{"name": "x", "count": 3.0}"#),
        ["/count: expected an integer, found 3.0"]
    );
    assert_eq!(
        violations(&ITEM, r#"{"name": ["x"], "count": 1.5}"#),
        [
            "/name: expected a string, found an array",
            "/count: expected an integer, found 1.5"
        ]
    );
    assert_eq!(
        violations(&ITEM, r#"{"name": "x", "count": 3000000000}"#),
        ["/count: 3000000000 does not fit in int32"]
    );
    assert_eq!(
        violations(&TAGGED, r#"{"kind": "cat", "lives": 300}"#),
        ["/lives: 300 does not fit in uint8"]
    );
    assert_eq!(
        violations(&TAGGED, "[1]"),
        ["request body: expected an object, found an array"]
    );
}

#[test]
fn keys_are_escaped_in_pointers() {
    static KEYS: Schema = map(&string().max_length(1));
    assert_eq!(
        violations(&KEYS, r#"{"a/b~c": "xy", "d\"e": "zz"}"#),
        [
            "/a~1b~0c: longer than 1 characters (2)",
            "/d\"e: longer than 1 characters (2)",
        ]
    );
}

#[test]
fn malformed_documents_are_errors_not_violations() {
    let mut out = Violations::new();
    assert!(check_json(&ROOT, br#"{"id": 1"#, &mut out).is_err());
    assert!(check_json(&ROOT, br#"{"id": 1} x"#, &mut out).is_err());
    assert!(check_json(&ROOT, br#"{"id": 1, "items": [{"name": tru}]}"#, &mut out).is_err());
}

#[test]
fn deep_recursion_is_refused_by_the_parser() {
    let json = format!("{}{}", r#"{"next": "#.repeat(400), "}".repeat(400));
    let mut out = Violations::new();
    assert!(check_json(&ROOT, json.as_bytes(), &mut out).is_err());
}

#[test]
fn pointers_render_only_what_they_point_at() {
    let root = At::ROOT;
    let jobs = root.key("jobs");
    let first = jobs.index(0);
    let odd = first.key("a/b~c");
    assert_eq!(odd.pointer(), "/jobs/0/a~1b~0c");
    assert_eq!(jobs.pointer(), "/jobs");
    assert_eq!(root.pointer(), "");
}

#[test]
fn formats_are_checked() {
    assert!(is_date_time("2024-01-02T03:04:05Z"));
    assert!(is_date_time("2024-01-02T03:04:05.123+08:00"));
    assert!(!is_date_time("2024-01-02 03:04:05"));
    assert!(!is_date_time("2024-01-02T03:04:0é"));
    assert!(is_date("2024-12-31"));
    assert!(!is_date("2024-13-01"));
}

#[test]
fn more_than_64_properties_are_tracked() {
    static NAMES: [&str; 70] = {
        const fn name(i: usize) -> &'static str {
            const ALL: [&str; 70] = [
                "p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10", "p11", "p12",
                "p13", "p14", "p15", "p16", "p17", "p18", "p19", "p20", "p21", "p22", "p23", "p24",
                "p25", "p26", "p27", "p28", "p29", "p30", "p31", "p32", "p33", "p34", "p35", "p36",
                "p37", "p38", "p39", "p40", "p41", "p42", "p43", "p44", "p45", "p46", "p47", "p48",
                "p49", "p50", "p51", "p52", "p53", "p54", "p55", "p56", "p57", "p58", "p59", "p60",
                "p61", "p62", "p63", "p64", "p65", "p66", "p67", "p68", "p69",
            ];
            ALL[i]
        }
        let mut names = [""; 70];
        let mut i = 0;
        while i < 70 {
            names[i] = name(i);
            i += 1;
        }
        names
    };
    static FIELDS: [Field; 70] = {
        let mut fields = [required("", any()); 70];
        let mut i = 0;
        while i < 70 {
            fields[i] = required(NAMES[i], any());
            i += 1;
        }
        fields
    };
    static WIDE: Schema = object(&FIELDS);
    let all: String = (0..70)
        .map(|i| format!("\"p{i}\": 0"))
        .collect::<Vec<_>>()
        .join(", ");
    assert!(violations(&WIDE, &format!("{{{all}}}")).is_empty());
    let most: String = (0..69)
        .map(|i| format!("\"p{i}\": 0"))
        .collect::<Vec<_>>()
        .join(", ");
    assert_eq!(
        violations(&WIDE, &format!("{{{most}}}")),
        ["/p69: required"]
    );
}
