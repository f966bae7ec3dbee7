//! `params-unions-content-cookies.yaml`: scalar unions in every location, parameters
//! given as JSON (`content`), cookies of every shape, and `allowReserved`.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use axum::extract::Request;
use axum::middleware::{self, Next};
use generator_compile_client::params_unions_content_cookies_spec::client::{Client, Service};
use generator_compile_client::params_unions_content_cookies_spec::types as wire;
use generator_compile_server::params_unions_content_cookies_spec::server::{
    self, GetDocInput, GetDocResponse, GetThingInput, GetThingResponse, ListThingsInput,
    ListThingsResponse, SearchInput, SearchResponse, SessionInput, SessionResponse, Things,
};
use generator_compile_server::params_unions_content_cookies_spec::types;
use generator_compile_server::runtime::{RequestContext, RouterOptions};
use generator_e2e_params::{raw_get, same, serve, Log};

#[derive(Debug, Clone, PartialEq)]
enum Received {
    GetThing(GetThingInput),
    ListThings(ListThingsInput),
    Search(SearchInput),
    GetDoc(GetDocInput),
    Session(SessionInput),
}

#[derive(Default)]
struct Recorder(Log<Received>);

impl Things for Recorder {
    fn get_thing(
        &self,
        _: RequestContext,
        input: GetThingInput,
    ) -> impl Future<Output = GetThingResponse> + Send {
        self.0.push(Received::GetThing(input));
        async { GetThingResponse::NoContent }
    }

    fn list_things(
        &self,
        _: RequestContext,
        input: ListThingsInput,
    ) -> impl Future<Output = ListThingsResponse> + Send {
        self.0.push(Received::ListThings(input));
        async { ListThingsResponse::NoContent }
    }

    fn search(
        &self,
        _: RequestContext,
        input: SearchInput,
    ) -> impl Future<Output = SearchResponse> + Send {
        self.0.push(Received::Search(input));
        async { SearchResponse::NoContent }
    }

    fn get_doc(
        &self,
        _: RequestContext,
        input: GetDocInput,
    ) -> impl Future<Output = GetDocResponse> + Send {
        self.0.push(Received::GetDoc(input));
        async { GetDocResponse::NoContent }
    }

    fn session(
        &self,
        _: RequestContext,
        input: SessionInput,
    ) -> impl Future<Output = SessionResponse> + Send {
        self.0.push(Received::Session(input));
        async { SessionResponse::NoContent }
    }
}

/// The client, the recorder, the server's base URL, and the raw request targets seen.
async fn start() -> (Client, Arc<Recorder>, String, Arc<Mutex<Vec<String>>>) {
    let recorder = Arc::new(Recorder::default());
    let targets = Arc::new(Mutex::new(Vec::new()));
    let seen = targets.clone();
    let app = server::router(recorder.clone(), &RouterOptions::default()).layer(
        middleware::from_fn(move |request: Request, next: Next| {
            let seen = seen.clone();
            async move {
                seen.lock()
                    .expect("no test thread panicked")
                    .push(request.uri().to_string());
                next.run(request).await
            }
        }),
    );
    let base = serve(app).await;
    let client = Client::builder()
        .endpoint(Service::Things, base.clone())
        .build()
        .expect("the client builds");
    (client, recorder, base, targets)
}

#[tokio::test]
async fn scalar_unions_take_the_alternative_of_their_text() {
    let (client, recorder, _, _) = start().await;
    client
        .get_thing(
            &wire::NameOrId::Integer(42),
            Some(&wire::NameOrId::String("north pole".into())),
            Some(&[
                wire::NameOrId::Integer(1),
                wire::NameOrId::String("two".into()),
            ]),
            Some(&wire::NameOrId::String("x".into())),
            Some(&wire::NameOrId::Integer(-7)),
            Some(&wire::GetThingLevel::Boolean(true)),
        )
        .await
        .expect("thing");
    client
        .get_thing(
            &wire::NameOrId::String("name".into()),
            None,
            None,
            None,
            None,
            Some(&wire::GetThingLevel::Integer(3)),
        )
        .await
        .expect("thing by name");

    let mut all = GetThingInput::new(types::NameOrId::Integer(42));
    all.near = Some(types::NameOrId::String("north pole".into()));
    all.refs = Some(vec![
        types::NameOrId::Integer(1),
        types::NameOrId::String("two".into()),
    ]);
    all.x_ref = Some(types::NameOrId::String("x".into()));
    all.pref = Some(types::NameOrId::Integer(-7));
    all.level = Some(types::GetThingLevel::Boolean(true));
    let mut by_name = GetThingInput::new(types::NameOrId::String("name".into()));
    by_name.level = Some(types::GetThingLevel::Integer(3));
    assert_eq!(
        recorder.0.take(),
        [Received::GetThing(all), Received::GetThing(by_name)]
    );
}

#[tokio::test]
async fn unions_of_arrays_and_objects_take_the_alternative_of_their_shape() {
    let (client, recorder, _, _) = start().await;
    let window = wire::Window {
        number: 2,
        size: Some(10),
    };
    let calls = [
        (
            wire::ListThingsSort::String("name".into()),
            wire::ListThingsPage::Integer(3),
            wire::ListThingsXMany::Integer(1),
        ),
        (
            wire::ListThingsSort::Array(vec!["a".into(), "b".into()]),
            wire::ListThingsPage::Window(window),
            wire::ListThingsXMany::Array(vec![1, 2]),
        ),
    ];
    for (sort, page, many) in &calls {
        client
            .list_things(Some(sort), Some(page), Some(many))
            .await
            .expect("list");
    }
    let expected: Vec<Received> = calls
        .iter()
        .map(|(sort, page, many)| {
            let mut input = ListThingsInput::default();
            input.sort = Some(same(sort));
            input.page = Some(same(page));
            input.x_many = Some(same(many));
            Received::ListThings(input)
        })
        .collect();
    assert_eq!(recorder.0.take(), expected);
}

#[tokio::test]
async fn content_parameters_are_json_and_reserved_characters_may_stay() {
    let (client, recorder, _, targets) = start().await;
    let place = wire::Coordinates::new(1.5, 2.5);
    let options = wire::SearchXOptions {
        verbose: Some(true),
        depth: Some(2),
    };
    let prefs: BTreeMap<String, String> = [("k".to_string(), "v; w".to_string())].into();
    client
        .search(
            &place,
            Some(&options),
            Some(&["a".to_string(), "b,c".to_string()]),
            Some("hello world"),
            Some(&prefs),
            Some("https://example.com/a?b=c"),
            Some(&["a/b".to_string(), "c:d".to_string()]),
        )
        .await
        .expect("search");
    let key = wire::DocKey::new("s/1".into(), 3);
    client.get_doc(&key).await.expect("doc");

    let mut all = SearchInput::new(same(&place));
    all.x_options = Some(same(&options));
    all.tags = Some(vec!["a".to_string(), "b,c".to_string()]);
    all.note = Some("hello world".into());
    all.prefs = Some(prefs);
    all.redirect = Some("https://example.com/a?b=c".into());
    all.paths = Some(vec!["a/b".to_string(), "c:d".to_string()]);
    assert_eq!(
        recorder.0.take(),
        [
            Received::Search(all),
            Received::GetDoc(GetDocInput::new(same(&key)))
        ]
    );
    let targets = targets.lock().expect("no test thread panicked").clone();
    let search = &targets[0];
    assert!(
        search.contains("where=%7B%22lat%22%3A1.5%2C%22long%22%3A2.5%7D"),
        "{search}"
    );
    assert!(
        search.contains("redirect=https://example.com/a?b%3Dc"),
        "allowReserved keeps `:/?`: {search}"
    );
    assert!(search.contains("paths=a/b,c:d"), "{search}");
    assert!(
        targets[1].starts_with("/docs/%7B%22shelf%22%3A%22s%2F1%22"),
        "{}",
        targets[1]
    );
}

#[tokio::test]
async fn cookies_of_every_shape() {
    let (client, recorder, base, _) = start().await;
    client
        .session(
            "abc=1; x",
            Some(&wire::Theme::Dark),
            Some(10),
            Some(&[1, 2, 3]),
            Some(0.5),
        )
        .await
        .expect("session");
    client
        .session("only", None, None, None, None)
        .await
        .expect("session cookie only");

    let mut all = SessionInput::new("abc=1; x".into());
    all.theme = Some(types::Theme::Dark);
    all.visits = Some(10);
    all.recent = Some(vec![1, 2, 3]);
    all.ratio = Some(0.5);
    assert_eq!(
        recorder.0.take(),
        [
            Received::Session(all),
            Received::Session(SessionInput::new("only".into()))
        ]
    );
    // A cookie header as a browser writes it, with a bad one among them.
    let (status, body) = raw_get(
        &base,
        "/session",
        &["Cookie: theme=light; session_id=s", "Cookie: visits=many"],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("cookie parameter `visits`: expected an integer"),
        "{body}"
    );
    let (status, body) = raw_get(&base, "/search?where=%7B", &[]).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("query parameter `where`: not valid JSON"),
        "{body}"
    );
}
