//! End to end for `references.yaml`: a path item, parameters, a request body, responses
//! and headers that refer to another operation's (some written percent-encoded, `%7Bid%7D`), and
//! `allOf` members that refer to a property schema, behave as if written in place.

use std::sync::Arc;

#[macro_use]
mod support;

use generator_compile_client::references_spec::client::{
    Client, CopyNoteErrorBody, PutNoteErrorBody, Service,
};
use generator_compile_client::references_spec::types as wire;
use generator_compile_client::runtime::Error;
use generator_compile_server::references_spec::server::{self, *};
use generator_compile_server::references_spec::types;
use generator_compile_server::runtime::{RequestContext, RouterOptions};

/// Knows one note, `n1`; a copy is the note with its author set to the request id.
struct Notes;

fn note() -> types::Note {
    let mut note = types::Note::new("buy milk".to_string());
    note.reviewer = Some(types::NoteReviewer {
        name: Some("ann".to_string()),
        email: Some("ann@example.com".to_string()),
    });
    note
}

fn missing(id: &str) -> types::Problem {
    types::Problem::new(format!("no note {id}"))
}

impl server::Default for Notes {
    async fn get_note(&self, _: RequestContext, input: GetNoteInput) -> GetNoteResponse {
        match input.id.as_str() {
            "n1" => GetNoteResponse::Ok {
                body: note(),
                x_request_id: input.x_request_id,
            },
            id => GetNoteResponse::NotFound(missing(id)),
        }
    }

    async fn put_note(&self, _: RequestContext, input: PutNoteInput) -> PutNoteResponse {
        match input.id.as_str() {
            "n1" => PutNoteResponse::Ok {
                body: input.body,
                x_request_id: Some("stored".to_string()),
            },
            id => PutNoteResponse::NotFound(missing(id)),
        }
    }

    async fn copy_note(&self, _: RequestContext, input: CopyNoteInput) -> CopyNoteResponse {
        if input.id != "n1" {
            return CopyNoteResponse::NotFound(missing(&input.id));
        }
        let mut copy = input.body;
        copy.author = Some(types::ProblemBy {
            name: input.x_request_id,
        });
        CopyNoteResponse::Created(copy)
    }

    async fn get_memos_id(&self, _: RequestContext, input: GetMemosIdInput) -> GetMemosIdResponse {
        match input.id.as_str() {
            "n1" => GetMemosIdResponse::Ok {
                body: types::Note::new("a memo".to_string()),
                x_request_id: input.x_request_id,
            },
            id => GetMemosIdResponse::NotFound(missing(id)),
        }
    }

    async fn put_memos_id(&self, _: RequestContext, input: PutMemosIdInput) -> PutMemosIdResponse {
        PutMemosIdResponse::Ok {
            body: input.body,
            x_request_id: None,
        }
    }
}

async fn start() -> Client {
    let (_, client) = serve_with_client!(
        server::router(Arc::new(Notes), &RouterOptions::default()),
        Client,
        Service::Default
    );
    client
}

#[tokio::test]
async fn a_parameter_and_body_referred_to_elsewhere_arrive_as_written_there() {
    let client = start().await;
    let body = wire::Note::new("call home".to_string());
    let reply = client
        .copy_note("n1", Some("req-7"), &body)
        .await
        .expect("copyNote answers");
    assert_eq!(reply.status.as_u16(), 201);
    assert_eq!(reply.body.text, "call home");
    let author = reply.body.author.and_then(|a| a.name);
    assert_eq!(author.as_deref(), Some("req-7"));
}

#[tokio::test]
async fn a_response_and_header_referred_to_elsewhere_are_typed_as_written_there() {
    let client = start().await;
    let reply = client
        .put_note("n1", &wire::Note::new("x".to_string()))
        .await
        .expect("putNote answers");
    let header = reply
        .headers
        .get("X-Request-Id")
        .and_then(|v| v.to_str().ok());
    assert_eq!(header, Some("stored"));
    // The 404 of `putNote` and `copyNote` is `getNote`'s, by reference (through a chain
    // for `copyNote`): the typed problem.
    match client
        .put_note("n2", &wire::Note::new("x".to_string()))
        .await
    {
        Err(Error::Api {
            status,
            body: PutNoteErrorBody::NotFound(problem),
            ..
        }) => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(problem.detail, "no note n2");
        }
        other => panic!("expected the typed 404, got {other:?}"),
    }
    match client
        .copy_note("n2", None, &wire::Note::new("x".to_string()))
        .await
    {
        Err(Error::Api {
            status,
            body: CopyNoteErrorBody::NotFound(problem),
            ..
        }) => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(problem.detail, "no note n2");
        }
        other => panic!("expected the typed 404, got {other:?}"),
    }
}

#[tokio::test]
async fn a_property_schema_referred_to_elsewhere_keeps_its_constraints() {
    let (url, _) = serve_with_client!(
        server::router(Arc::new(Notes), &RouterOptions::default()),
        Client,
        Service::Default
    );
    // `Note.text` is `Problem.detail` by reference, which has `minLength: 1`.
    let response = reqwest::Client::new()
        .put(format!("{url}/notes/n1"))
        .header("content-type", "application/json")
        .body(r#"{"text": ""}"#)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 400);
    let text = response.text().await.expect("a body");
    assert!(text.contains("text"), "{text}");
}

#[tokio::test]
async fn an_all_of_member_referred_to_as_a_property_schema_is_merged() {
    let client = start().await;
    let reply = client.get_note("n1", None).await.expect("getNote answers");
    let reviewer = reply.body.reviewer.expect("a reviewer");
    assert_eq!(reviewer.name.as_deref(), Some("ann"));
    assert_eq!(reviewer.email.as_deref(), Some("ann@example.com"));
}

#[tokio::test]
async fn a_path_item_referred_to_elsewhere_serves_operations_of_its_own() {
    let client = start().await;
    let memo = client
        .get_memos_id("n1", Some("req-9"))
        .await
        .expect("the copied GET answers");
    assert_eq!(memo.body.text, "a memo");
    let header = memo
        .headers
        .get("X-Request-Id")
        .and_then(|v| v.to_str().ok());
    assert_eq!(header, Some("req-9"));
    // The original path still answers with its own operation.
    let note = client.get_note("n1", None).await.expect("getNote answers");
    assert_eq!(note.body.text, "buy milk");
    let stored = client
        .put_memos_id("m", &wire::Note::new("kept".to_string()))
        .await
        .expect("the copied PUT answers");
    assert_eq!(stored.body.text, "kept");
}
