//! End to end for `lenient-params.yaml`: what a spec leaves without a wire form arrives
//! as the same typed values (query parameters that no style writes travel as JSON, a
//! path parameter only the template names is a string, a scalar described with `*/*` or
//! `text/markdown` is its text and an object described with `*/*` is JSON), and a header
//! described with `content` comes back as its text.

use std::sync::Arc;

#[macro_use]
mod support;

use generator_compile_client::lenient_params_spec::client::{Client, Service};
use generator_compile_client::lenient_params_spec::types as wire;
use generator_compile_server::lenient_params_spec::server::{
    self, FindMembersInput, FindMembersResponse, GetReportInput, GetReportResponse,
};
use generator_compile_server::lenient_params_spec::types;
use generator_compile_server::runtime::{RequestContext, RouterOptions};

struct Echo;

impl server::Default for Echo {
    async fn find_members(
        &self,
        _: RequestContext,
        input: FindMembersInput,
    ) -> FindMembersResponse {
        let filters = input.filters.unwrap_or_default();
        let mut members = types::Members::new(input.group);
        members.filters = Some(filters.len() as i64);
        members.ids = input.ids;
        let page = filters
            .iter()
            .map(|f| {
                format!(
                    "{}:{}",
                    f.field,
                    f.values.clone().unwrap_or_default().join("|")
                )
            })
            .collect::<Vec<_>>()
            .join(",");
        FindMembersResponse::Ok {
            body: members,
            x_page: Some(page),
        }
    }

    async fn get_report(&self, _: RequestContext, input: GetReportInput) -> GetReportResponse {
        let mut report = types::Report::new(input.id);
        report.title = input.title;
        report.from = input.range.as_ref().map(|r| r.from);
        report.to = input.range.and_then(|r| r.to);
        GetReportResponse::Ok(report)
    }
}

async fn start() -> (String, Client) {
    serve_with_client!(
        server::router(Arc::new(Echo), &RouterOptions::default()),
        Client,
        Service::Default
    )
}

#[tokio::test]
async fn values_no_style_writes_travel_as_json_and_arrive_typed() {
    let (_, client) = start().await;
    let mut status = wire::Filter::new("status".to_string());
    status.values = Some(vec!["active".to_string(), "a&b=c".to_string()]);
    let filters = [status, wire::Filter::new("role".to_string())];
    let reply = client
        .find_members(Some(&filters), Some(&[3, 1, 2]), "admins/ops")
        .await
        .expect("findMembers answers");
    assert_eq!(reply.body.group, "admins/ops");
    assert_eq!(reply.body.filters, Some(2));
    assert_eq!(reply.body.ids, Some(vec![3, 1, 2]));
    let page = reply.headers.get("X-Page").and_then(|v| v.to_str().ok());
    assert_eq!(page, Some("status:active|a&b=c,role:"));
}

#[tokio::test]
async fn a_json_parameter_that_breaks_its_schema_is_rejected_with_its_name() {
    let (url, _) = start().await;
    // `field` is required in each filter.
    let query = "filters=%5B%7B%22values%22%3A%5B%5D%7D%5D";
    let response = reqwest::get(format!("{url}/groups/g/members?{query}"))
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 400);
    let text = response.text().await.expect("a body");
    assert!(text.contains("filters"), "{text}");
    assert!(text.contains("field"), "{text}");
}

#[tokio::test]
async fn parameters_described_with_any_media_type_or_other_text_arrive_typed() {
    let (_, client) = start().await;
    let mut range = wire::Range::new(3);
    range.to = Some(9);
    let reply = client
        .get_report("r/1 ü", Some("# Q3 & Q4"), Some(&range))
        .await
        .expect("getReport answers");
    assert_eq!(reply.body.id, "r/1 ü");
    assert_eq!(reply.body.title.as_deref(), Some("# Q3 & Q4"));
    assert_eq!((reply.body.from, reply.body.to), (Some(3), Some(9)));
}

#[tokio::test]
async fn an_object_described_with_any_media_type_is_json_on_the_wire() {
    let (url, _) = start().await;
    let query = "range=%7B%22from%22%3A2%7D&title=plain";
    let response = reqwest::get(format!("{url}/reports/abc?{query}"))
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 200);
    let text = response.text().await.expect("a body");
    let body: serde_json::Value = serde_json::from_str(&text).expect("a JSON body");
    assert_eq!(
        body,
        serde_json::json!({"id": "abc", "title": "plain", "from": 2})
    );
    // Not JSON: the object's form style (`from=2`) is not what `*/*` reads as.
    let response = reqwest::get(format!("{url}/reports/abc?range=from,2"))
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 400);
    let text = response.text().await.expect("a body");
    assert!(text.contains("range"), "{text}");
}
