//! `params-objects.yaml`: objects (exploded form, `deepObject`, matrix, headers), maps
//! that take any key, arrays of enums and aliases, each received as its generated type.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;

use generator_compile_client::params_objects_spec::client::{Client, Service};
use generator_compile_client::params_objects_spec::types as wire;
use generator_compile_server::params_objects_spec::server::{
    self, FindByLabelsInput, FindByLabelsResponse, FindPetsInput, FindPetsResponse, GetAtInput,
    GetAtResponse, Pets,
};
use generator_compile_server::params_objects_spec::types;
use generator_compile_server::runtime::{RequestContext, RouterOptions};
use generator_e2e_params::{same, serve, Log};

#[derive(Debug, Clone, PartialEq)]
enum Received {
    FindPets(FindPetsInput),
    FindByLabels(FindByLabelsInput),
    GetAt(GetAtInput),
}

#[derive(Default)]
struct Recorder(Log<Received>);

impl Pets for Recorder {
    fn find_pets(
        &self,
        _: RequestContext,
        input: FindPetsInput,
    ) -> impl Future<Output = FindPetsResponse> + Send {
        self.0.push(Received::FindPets(input));
        async { FindPetsResponse::NoContent }
    }

    fn find_by_labels(
        &self,
        _: RequestContext,
        input: FindByLabelsInput,
    ) -> impl Future<Output = FindByLabelsResponse> + Send {
        self.0.push(Received::FindByLabels(input));
        async { FindByLabelsResponse::NoContent }
    }

    fn get_at(
        &self,
        _: RequestContext,
        input: GetAtInput,
    ) -> impl Future<Output = GetAtResponse> + Send {
        self.0.push(Received::GetAt(input));
        async { GetAtResponse::NoContent }
    }
}

async fn start() -> (Client, Arc<Recorder>) {
    let recorder = Arc::new(Recorder::default());
    let base = serve(server::router(recorder.clone(), &RouterOptions::default())).await;
    let client = Client::builder()
        .endpoint(Service::Pets, base)
        .build()
        .expect("the client builds");
    (client, recorder)
}

#[tokio::test]
async fn objects_enums_and_aliases_arrive_typed() {
    let (client, recorder) = start().await;
    let filter = wire::PetFilter {
        status: Some(wire::Kind::Dog),
        min_age: Some(2),
        name: Some("Rex & co".into()),
    };
    let mut page = wire::Page::new(10);
    page.after = Some("c,1".into());
    client
        .find_pets(
            Some(&filter),
            &page,
            Some(&[wire::Kind::Cat, wire::Kind::Bird]),
            Some(&[1, 2]),
            Some("o-12"),
            Some("any thing"),
        )
        .await
        .expect("find");
    client
        .find_pets(None, &wire::Page::new(1), None, None, None, None)
        .await
        .expect("find, one page");

    let mut all = FindPetsInput::new(same(&page));
    all.filter = Some(same(&filter));
    all.kinds = Some(vec![types::Kind::Cat, types::Kind::Bird]);
    all.ids = Some(vec![1, 2]);
    all.owner = Some("o-12".into());
    all.anything = Some("any thing".into());
    assert_eq!(
        recorder.0.take(),
        [
            Received::FindPets(all),
            Received::FindPets(FindPetsInput::new(types::Page::new(1))),
        ]
    );
}

#[tokio::test]
async fn maps_take_any_key() {
    let (client, recorder) = start().await;
    let labels: BTreeMap<String, String> = [("colour", "red"), ("size", "s m")]
        .map(|(k, v)| (k.into(), v.into()))
        .into();
    let weights: BTreeMap<String, i32> = [("a".to_string(), 1), ("b".to_string(), -2)].into();
    client
        .find_by_labels(Some(&labels), Some(3), Some(&weights))
        .await
        .expect("labels");
    client
        .find_by_labels(None, Some(1), None)
        .await
        .expect("no labels");

    let mut all = FindByLabelsInput::default();
    all.labels = Some(labels);
    all.limit = Some(3);
    all.weights = Some(weights);
    let mut limit_only = FindByLabelsInput::default();
    limit_only.limit = Some(1);
    assert_eq!(
        recorder.0.take(),
        [
            Received::FindByLabels(all),
            Received::FindByLabels(limit_only)
        ]
    );
}

#[tokio::test]
async fn objects_in_the_path_and_in_headers() {
    let (client, recorder) = start().await;
    let coords = wire::Coords::new(1.5, -0.25);
    let dims = wire::Dims {
        width: Some(3),
        height: Some(4),
    };
    let extra = wire::GetAtXExtra {
        note: Some("hi there".into()),
        additional_properties: [("flag".to_string(), true)].into(),
    };
    client
        .get_at(&coords, Some(&dims), Some(&extra))
        .await
        .expect("at");

    let mut all = GetAtInput::new(same(&coords));
    all.x_dims = Some(same(&dims));
    all.x_extra = Some(same(&extra));
    assert_eq!(recorder.0.take(), [Received::GetAt(all)]);
}

#[tokio::test]
async fn array_and_pattern_rules_name_the_parameter() {
    let (client, recorder) = start().await;
    let page = wire::Page::new(1);
    let err = client
        .find_pets(None, &page, None, Some(&[1, 2, 3, 4]), Some("x"), None)
        .await
        .expect_err("rejected");
    let text = err.to_string();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "{text}");
    assert!(text.contains("query parameter `ids`"), "{text}");
    assert!(text.contains("query parameter `owner`"), "{text}");
    let err = client
        .find_pets(None, &wire::Page::new(0), None, None, None, None)
        .await
        .expect_err("rejected");
    assert!(
        err.to_string().contains("query parameter `page` /size"),
        "{err}"
    );
    assert!(recorder.0.take().is_empty());
}
