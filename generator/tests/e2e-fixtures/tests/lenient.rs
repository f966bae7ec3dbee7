//! End to end for `lenient-params.yaml`: what a spec leaves without a wire form arrives
//! as the same typed values (query parameters that no style writes travel as JSON, a
//! path parameter only the template names is a string), and a header described with
//! `content` comes back as its text.

use std::sync::Arc;

#[macro_use]
mod support;

use generator_compile_client::lenient_params_spec::client::{Client, Service};
use generator_compile_client::lenient_params_spec::types as wire;
use generator_compile_server::lenient_params_spec::server::{
    self, FindMembersInput, FindMembersResponse,
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
