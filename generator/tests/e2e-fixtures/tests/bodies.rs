//! End to end for the body and status fixtures: for each, a small implementation of the
//! generated server trait is served on 127.0.0.1 (an ephemeral port) and the generated
//! client calls it. Form, multipart, binary (in memory and streamed), text and
//! several-media bodies travel both ways; status ranges come back as their variants; a
//! few raw requests check what the typed client cannot send (415, violations, `Accept`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;

use generator_compile_client::runtime::{
    self as client_runtime, Binary, Error, FilePart, FormPart,
};
use generator_compile_server::runtime::{BinaryBody, RequestContext, RouterOptions};

#[macro_use]
mod support;
use support::serve;

/// A raw request, for what the typed client never sends.
async fn raw(
    method: reqwest::Method,
    url: String,
    headers: &[(&str, &str)],
    body: impl Into<reqwest::Body>,
) -> (StatusCode, HashMap<String, String>, String) {
    let mut request = reqwest::Client::new().request(method, url).body(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("an answer");
    let status = StatusCode::from_u16(response.status().as_u16()).expect("a status");
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string()))
        .collect();
    let text = response.text().await.expect("a body");
    (status, headers, text)
}

mod form {
    use super::*;
    use generator_compile_client::bodies_form_spec::client::{Client, Service};
    use generator_compile_client::bodies_form_spec::types as wire;
    use generator_compile_server::bodies_form_spec::server::{
        self, AddPetInput, AddPetResponse, SearchPetsInput, SearchPetsResponse,
    };
    use generator_compile_server::bodies_form_spec::types;

    struct Pets;

    impl server::Default for Pets {
        async fn add_pet(&self, _ctx: RequestContext, input: AddPetInput) -> AddPetResponse {
            let form = input.body;
            let mut pet = types::Pet::new(7, form.name);
            pet.age = form.age;
            pet.vaccinated = form.vaccinated;
            pet.tags = form.tags;
            AddPetResponse::Created(pet)
        }

        async fn search_pets(
            &self,
            _ctx: RequestContext,
            input: SearchPetsInput,
        ) -> SearchPetsResponse {
            let body = input.body.unwrap_or_default();
            let found = (0..body.limit.unwrap_or(1))
                .map(|i| types::Pet::new(i64::from(i), body.query.clone().unwrap_or_default()))
                .collect();
            SearchPetsResponse::Ok(found)
        }
    }

    async fn start() -> (String, Client) {
        serve_with_client!(
            server::router(Arc::new(Pets), &RouterOptions::default()),
            Client,
            Service::Default
        )
    }

    #[tokio::test]
    async fn a_form_travels_as_typed_fields() {
        let (_, client) = start().await;
        let mut form = wire::PetForm::new("Rex & Co".to_string());
        form.age = Some(3);
        form.vaccinated = Some(true);
        form.tags = Some(vec!["good".to_string(), "dog=yes".to_string()]);
        let reply = client.add_pet(&form).await.expect("added");
        assert_eq!(reply.status, 201);
        let pet = reply.body;
        assert_eq!(pet.name, "Rex & Co");
        assert_eq!(
            (pet.age, pet.vaccinated, pet.tags),
            (
                Some(3),
                Some(true),
                Some(vec!["good".into(), "dog=yes".into()])
            )
        );

        let search = wire::SearchPetsBody {
            query: Some("cat".to_string()),
            limit: Some(2),
        };
        let found = client.search_pets(Some(&search)).await.expect("found");
        assert_eq!(found.body.len(), 2);
        assert_eq!(client.search_pets(None).await.expect("found").body.len(), 1);
    }

    #[tokio::test]
    async fn a_bad_form_is_rejected_with_every_violation_and_another_media_type_with_415() {
        let (url, _) = start().await;
        let form = [("Content-Type", "application/x-www-form-urlencoded")];
        let (status, _, text) = raw(
            reqwest::Method::POST,
            format!("{url}/pets"),
            &form,
            "name=&age=old",
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
        assert!(text.contains("/name") && text.contains("/age"), "{text}");

        let json = [("Content-Type", "application/json")];
        let (status, _, text) = raw(
            reqwest::Method::POST,
            format!("{url}/pets"),
            &json,
            r#"{"name":"x"}"#,
        )
        .await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{text}");
        assert!(
            text.contains(
                "must be sent as application/x-www-form-urlencoded, not application/json"
            ),
            "{text}"
        );
    }
}

mod multipart {
    use super::*;
    use generator_compile_client::bodies_multipart_spec::client::{
        Client, Service, UploadDocumentMultipart,
    };
    use generator_compile_client::bodies_multipart_spec::types as wire;
    use generator_compile_server::bodies_multipart_spec::server::{
        self, UploadDocumentInput, UploadDocumentResponse, UploadPartsInput, UploadPartsResponse,
    };
    use generator_compile_server::bodies_multipart_spec::types;

    struct Documents;

    impl server::Default for Documents {
        async fn upload_document(
            &self,
            _ctx: RequestContext,
            input: UploadDocumentInput,
        ) -> UploadDocumentResponse {
            let parts = input.body;
            let mut stored = types::Stored::new(parts.title, parts.file.bytes.len() as i64);
            stored.file_name = parts.file.file_name;
            stored.content_type = parts.file.content_type;
            stored.attachments = Some(parts.attachments.len() as i64);
            stored.pages = parts.pages;
            stored.labels = parts.labels;
            stored.metadata = parts.metadata;
            UploadDocumentResponse::Created(stored)
        }

        async fn upload_parts(
            &self,
            _ctx: RequestContext,
            input: UploadPartsInput,
        ) -> UploadPartsResponse {
            let names = input
                .body
                .unwrap_or_default()
                .into_iter()
                .map(|p| format!("{}={}", p.name, String::from_utf8_lossy(&p.bytes)))
                .collect();
            UploadPartsResponse::Ok(names)
        }
    }

    async fn start() -> (String, Client) {
        serve_with_client!(
            server::router(Arc::new(Documents), &RouterOptions::default()),
            Client,
            Service::Default
        )
    }

    #[tokio::test]
    async fn files_and_values_travel_as_parts() {
        let (_, client) = start().await;
        let body = UploadDocumentMultipart {
            file: FilePart::new(b"%PDF-1.7".to_vec()).file_name("report \"final\".pdf"),
            attachments: vec![
                FilePart::new(b"a".to_vec()),
                FilePart::new(b"bb".to_vec()).content_type("text/plain"),
            ],
            title: "Report".to_string(),
            pages: Some(12),
            labels: Some(vec!["q1".to_string(), "draft".to_string()]),
            metadata: Some(wire::Metadata {
                author: Some("Ada".to_string()),
                year: Some(2024),
            }),
        };
        let stored = client.upload_document(&body).await.expect("stored").body;
        assert_eq!(stored.title, "Report");
        assert_eq!(stored.bytes, 8);
        assert_eq!(stored.file_name.as_deref(), Some("report %22final%22.pdf"));
        // The spec's `encoding` names the file's content type.
        assert_eq!(stored.content_type.as_deref(), Some("application/pdf"));
        assert_eq!(stored.attachments, Some(2));
        assert_eq!(stored.pages, Some(12));
        assert_eq!(stored.labels, Some(vec!["q1".into(), "draft".into()]));
        assert_eq!(
            stored.metadata.and_then(|m| m.author).as_deref(),
            Some("Ada")
        );

        let parts = [FormPart::new("a", "1"), FormPart::new("b", "two")];
        let names = client.upload_parts(Some(&parts)).await.expect("taken").body;
        assert_eq!(names, ["a=1", "b=two"]);
    }

    #[tokio::test]
    async fn missing_and_invalid_parts_are_violations() {
        let (url, _) = start().await;
        let body = "--b\r\nContent-Disposition: form-data; name=\"pages\"\r\n\r\nzero\r\n--b--\r\n";
        let headers = [("Content-Type", "multipart/form-data; boundary=b")];
        let (status, _, text) = raw(
            reqwest::Method::POST,
            format!("{url}/documents"),
            &headers,
            body,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
        for pointer in ["/file", "/title", "/pages"] {
            assert!(text.contains(pointer), "{pointer} in {text}");
        }
        let (status, _, text) = raw(
            reqwest::Method::POST,
            format!("{url}/documents"),
            &[("Content-Type", "multipart/form-data")],
            "x",
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
        assert!(text.contains("malformed"), "{text}");
    }
}

mod binary_text {
    use super::*;
    use generator_compile_client::bodies_binary_text_spec::client::{Client, Service};
    use generator_compile_server::bodies_binary_text_spec::server::{
        self, GetBlobInput, GetBlobResponse, PostImageInput, PostImageResponse, PostNoteInput,
        PostNoteResponse, PutBlobInput, PutBlobResponse,
    };

    #[derive(Default)]
    struct Blobs(Mutex<HashMap<String, Vec<u8>>>);

    impl server::Default for Blobs {
        async fn put_blob(&self, _ctx: RequestContext, input: PutBlobInput) -> PutBlobResponse {
            let mut blobs = self.0.lock().expect("not poisoned");
            blobs.insert(input.name, input.body.to_vec());
            PutBlobResponse::NoContent
        }

        async fn get_blob(&self, _ctx: RequestContext, input: GetBlobInput) -> GetBlobResponse {
            let found = self
                .0
                .lock()
                .expect("not poisoned")
                .get(&input.name)
                .cloned();
            match found {
                // Answered as a stream of two chunks.
                Some(bytes) => {
                    let half = bytes.len() / 2;
                    let chunks = vec![
                        Ok::<_, std::io::Error>(bytes[..half].to_vec()),
                        Ok(bytes[half..].to_vec()),
                    ];
                    GetBlobResponse::Ok(BinaryBody::stream(futures_util::stream::iter(chunks)))
                }
                None => GetBlobResponse::NotFound("no such blob".to_string()),
            }
        }

        async fn post_image(
            &self,
            ctx: RequestContext,
            input: PostImageInput,
        ) -> PostImageResponse {
            let content_type = ctx
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            let size = input.body.map_or(0, |b| b.len());
            PostImageResponse::Ok(format!("{size} {content_type}"))
        }

        async fn post_note(&self, _ctx: RequestContext, input: PostNoteInput) -> PostNoteResponse {
            PostNoteResponse::Ok(format!("id,text\n1,{}", input.body))
        }
    }

    async fn start() -> (String, Client) {
        let app = server::router(Arc::new(Blobs::default()), &RouterOptions::default());
        let url = serve(app).await;
        let client = Client::builder()
            .endpoint(Service::Default, url.clone())
            .build()
            .expect("a client");
        (url, client)
    }

    #[tokio::test]
    async fn bytes_go_up_in_memory_or_as_a_stream_and_come_back() {
        let (_, client) = start().await;
        client
            .put_blob("one", b"\x00\x01binary\xff".to_vec())
            .await
            .expect("stored");
        let back = client.get_blob("one").await.expect("found");
        assert_eq!(back.body.as_ref(), b"\x00\x01binary\xff");

        let chunks = vec![Ok::<_, std::io::Error>("stre"), Ok("amed")];
        let stream = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
        client.put_blob("two", stream).await.expect("stored");
        let back = client.get_blob("two").await.expect("found");
        assert_eq!(back.body.as_ref(), b"streamed");

        match client.get_blob("three").await {
            Err(Error::Api { status, body, .. }) => {
                assert_eq!(status, 404);
                assert_eq!(body, "no such blob");
            }
            other => panic!("expected a 404, got {other:?}"),
        }

        let image = Binary::new(b"PNG!".to_vec()).content_type("image/png");
        let reply = client.post_image(Some(image)).await.expect("measured");
        assert_eq!(reply.body, "4 image/png");
    }

    #[tokio::test]
    async fn text_goes_up_and_comes_back_in_its_media_type() {
        let (url, client) = start().await;
        let reply = client.post_note("hello").await.expect("stored");
        assert_eq!(reply.body, "id,text\n1,hello");
        assert_eq!(
            reply.headers.get("content-type").map(|v| v.as_bytes()),
            Some(&b"text/csv"[..])
        );

        let long = "x".repeat(101);
        let (status, _, text) = raw(
            reqwest::Method::POST,
            format!("{url}/notes"),
            &[("Content-Type", "text/plain")],
            long,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
        assert!(text.contains("100"), "{text}");
    }

    #[test]
    fn binary_bodies_convert_from_common_byte_types() {
        let _ = Binary::from(client_runtime::Bytes::from_static(b"x"));
        let _ = Binary::from("text");
        let _ = Binary::from(String::from("text"));
    }
}

mod multi_media {
    use super::*;
    use generator_compile_client::bodies_multi_media_spec::client::{
        Client, CreateItemBody, CreateItemCreatedContent, Service,
    };
    use generator_compile_client::bodies_multi_media_spec::types as wire;
    use generator_compile_server::bodies_multi_media_spec::server::CreateItemBody as Received;
    use generator_compile_server::bodies_multi_media_spec::server::{
        self, CreateItemCreatedContent as Created, CreateItemInput, CreateItemResponse,
        GetItemInput, GetItemResponse,
    };
    use generator_compile_server::bodies_multi_media_spec::types;

    struct Items;

    impl server::Default for Items {
        async fn create_item(
            &self,
            ctx: RequestContext,
            input: CreateItemInput,
        ) -> CreateItemResponse {
            let item = match input.body {
                Received::Json(item) => types::Item::new(format!("json:{}", item.name)),
                Received::Form(item) => types::Item::new(format!("form:{}", item.name)),
                Received::Text(text) => types::Item::new(format!("text:{text}")),
            };
            match ctx.preferred_media(&["application/json", "application/xml"]) {
                Some("application/xml") => CreateItemResponse::Created(Created::Xml(
                    BinaryBody::from(format!("<item><name>{}</name></item>", item.name)),
                )),
                _ => CreateItemResponse::Created(Created::Json(item)),
            }
        }

        async fn get_item(&self, _ctx: RequestContext, input: GetItemInput) -> GetItemResponse {
            if input.id == "missing" {
                return GetItemResponse::NotFound(types::Problem::new("gone".to_string()));
            }
            GetItemResponse::Ok(types::Item::new(input.id))
        }
    }

    async fn start() -> (String, Client) {
        serve_with_client!(
            server::router(Arc::new(Items), &RouterOptions::default()),
            Client,
            Service::Default
        )
    }

    #[tokio::test]
    async fn the_client_chooses_the_request_media_type_and_the_server_dispatches_on_it() {
        let (_, client) = start().await;
        let item = wire::Item::new("a".to_string());
        let sent = [
            (CreateItemBody::Json(item.clone()), "json:a"),
            (CreateItemBody::Form(item), "form:a"),
            (CreateItemBody::Text("b".to_string()), "text:b"),
        ];
        for (body, expected) in sent {
            match client.create_item(body).await.expect("created").body {
                CreateItemCreatedContent::Json(item) => assert_eq!(item.name, expected),
                other => panic!("expected JSON, got {other:?}"),
            }
        }
    }

    #[tokio::test]
    async fn an_empty_body_is_the_empty_text_but_no_json() {
        let (url, client) = start().await;
        match client
            .create_item(CreateItemBody::Text(String::new()))
            .await
            .expect("created")
            .body
        {
            CreateItemCreatedContent::Json(item) => assert_eq!(item.name, "text:"),
            other => panic!("expected JSON, got {other:?}"),
        }
        let (status, _, text) = raw(
            reqwest::Method::POST,
            format!("{url}/items"),
            &[("Content-Type", "application/json")],
            "",
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
        assert!(text.contains("a request body is required"), "{text}");
    }

    #[tokio::test]
    async fn answers_come_in_the_media_type_accept_prefers() {
        let (url, client) = start().await;
        let item = client.get_item("x").await.expect("found");
        assert_eq!(item.body.name, "x");
        assert_eq!(
            item.headers.get("content-type").map(|v| v.as_bytes()),
            Some(&b"application/json"[..])
        );
        let (_, headers, _) = raw(
            reqwest::Method::GET,
            format!("{url}/items/x"),
            &[("Accept", "application/hal+json")],
            "",
        )
        .await;
        assert_eq!(headers["content-type"], "application/hal+json");

        match client.get_item("missing").await {
            Err(Error::Api { status, body, .. }) => {
                assert_eq!(status, 404);
                assert_eq!(body.title, "gone");
            }
            other => panic!("expected a 404, got {other:?}"),
        }

        let (status, headers, text) = raw(
            reqwest::Method::POST,
            format!("{url}/items"),
            &[
                ("Content-Type", "text/plain"),
                ("Accept", "application/xml"),
            ],
            "z",
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(headers["content-type"], "application/xml");
        assert_eq!(text, "<item><name>text:z</name></item>");

        let (status, _, text) = raw(
            reqwest::Method::POST,
            format!("{url}/items"),
            &[("Content-Type", "image/png")],
            "z",
        )
        .await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{text}");
        assert!(
            text.contains("one of application/json, application/merge-patch+json, application/x-www-form-urlencoded, text/plain"),
            "{text}"
        );
    }
}

mod status_ranges {
    use super::*;
    use generator_compile_client::status_ranges_spec::client::{
        Client, GetJobErrorBody, GetJobSuccess, Service,
    };
    use generator_compile_server::status_ranges_spec::server::{
        self, DeleteJobInput, DeleteJobResponse, GetJobInput, GetJobResponse,
    };
    use generator_compile_server::status_ranges_spec::types;

    struct Jobs;

    impl server::Default for Jobs {
        async fn get_job(&self, _ctx: RequestContext, input: GetJobInput) -> GetJobResponse {
            let problem = |m: &str| types::Problem::new(m.to_string());
            match input.id.as_str() {
                "ok" => GetJobResponse::Ok(types::Job::new("ok".to_string())),
                "other" => GetJobResponse::Success {
                    status: StatusCode::NON_AUTHORITATIVE_INFORMATION,
                },
                "missing" => GetJobResponse::NotFound(problem("no job")),
                "gone" => GetJobResponse::ClientError {
                    status: StatusCode::GONE,
                    body: problem("expired"),
                    x_reason: Some("ttl".to_string()),
                },
                "broken" => GetJobResponse::ServerError {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    body: "down".to_string(),
                },
                _ => GetJobResponse::Default {
                    status: StatusCode::from_u16(399).expect("a status"),
                },
            }
        }

        async fn delete_job(
            &self,
            _ctx: RequestContext,
            input: DeleteJobInput,
        ) -> DeleteJobResponse {
            match input.id.as_str() {
                "locked" => DeleteJobResponse::ClientError {
                    status: StatusCode::LOCKED,
                    body: types::Problem::new("locked".to_string()),
                },
                _ => DeleteJobResponse::Success {
                    status: StatusCode::ACCEPTED,
                },
            }
        }
    }

    #[tokio::test]
    async fn exact_codes_win_over_ranges_and_ranges_over_default() {
        let app = server::router(Arc::new(Jobs), &RouterOptions::default());
        let url = serve(app).await;
        let client = Client::builder()
            .endpoint(Service::Default, url)
            .build()
            .expect("a client");

        let ok = client.get_job("ok").await.expect("a job");
        assert_eq!(ok.status, 200);
        assert!(matches!(ok.body, GetJobSuccess::Ok(job) if job.id == "ok"));

        let other = client.get_job("other").await.expect("a success");
        assert_eq!(other.status, 203);
        assert_eq!(other.body, GetJobSuccess::Success);

        let error = |result| match result {
            Err(Error::Api {
                status,
                body,
                headers,
                ..
            }) => (status.as_u16(), body, headers),
            other => panic!("expected a documented error, got {other:?}"),
        };
        let (status, body, _) = error(client.get_job("missing").await);
        assert_eq!(
            (status, body),
            (404, GetJobErrorBody::NotFound(wire_problem("no job")))
        );
        let (status, body, headers) = error(client.get_job("gone").await);
        assert_eq!(
            (status, body),
            (410, GetJobErrorBody::ClientError(wire_problem("expired")))
        );
        assert_eq!(
            headers.get("x-reason").map(|v| v.as_bytes()),
            Some(&b"ttl"[..])
        );
        let (status, body, _) = error(client.get_job("broken").await);
        assert_eq!(
            (status, body),
            (500, GetJobErrorBody::ServerError("down".to_string()))
        );
        let (status, body, _) = error(client.get_job("odd").await);
        assert_eq!((status, body), (399, GetJobErrorBody::Default));

        let deleted = client.delete_job("x").await.expect("deleted");
        assert_eq!(deleted.status, 202);
        match client.delete_job("locked").await {
            Err(Error::Api { status, body, .. }) => {
                assert_eq!(status, 423);
                assert_eq!(body.message, "locked");
            }
            other => panic!("expected a 4XX, got {other:?}"),
        }
    }

    fn wire_problem(message: &str) -> generator_compile_client::status_ranges_spec::types::Problem {
        generator_compile_client::status_ranges_spec::types::Problem::new(message.to_string())
    }
}
