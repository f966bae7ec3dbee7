//! `params-styles.yaml`: every style and explode of every location, for a string, an
//! array and an object, from the generated client to the generated server.

use std::future::Future;
use std::sync::Arc;

use generator_compile_client::params_styles_spec::client::{Client, Service};
use generator_compile_client::params_styles_spec::types as wire;
use generator_compile_server::params_styles_spec::server::{
    self, CookieFormInput, CookieFormResponse, HeaderSimpleInput, HeaderSimpleResponse,
    PathLabelInput, PathLabelResponse, PathMatrixInput, PathMatrixResponse, PathSimpleInput,
    PathSimpleResponse, QueryDeepInput, QueryDeepResponse, QueryDelimitedInput,
    QueryDelimitedResponse, QueryFormInput, QueryFormResponse, Styles,
};
use generator_compile_server::params_styles_spec::types;
use generator_compile_server::runtime::{RequestContext, RouterOptions};
use generator_e2e_params::{raw_get, same, serve, Log};

/// One call, as the trait method received it.
#[derive(Debug, Clone, PartialEq)]
enum Received {
    PathSimple(PathSimpleInput),
    PathLabel(PathLabelInput),
    PathMatrix(PathMatrixInput),
    QueryForm(QueryFormInput),
    QueryDelimited(QueryDelimitedInput),
    QueryDeep(QueryDeepInput),
    HeaderSimple(HeaderSimpleInput),
    CookieForm(CookieFormInput),
}

#[derive(Default)]
struct Recorder(Log<Received>);

impl Styles for Recorder {
    fn path_simple(
        &self,
        _: RequestContext,
        input: PathSimpleInput,
    ) -> impl Future<Output = PathSimpleResponse> + Send {
        self.0.push(Received::PathSimple(input));
        async { PathSimpleResponse::NoContent }
    }

    fn path_label(
        &self,
        _: RequestContext,
        input: PathLabelInput,
    ) -> impl Future<Output = PathLabelResponse> + Send {
        self.0.push(Received::PathLabel(input));
        async { PathLabelResponse::NoContent }
    }

    fn path_matrix(
        &self,
        _: RequestContext,
        input: PathMatrixInput,
    ) -> impl Future<Output = PathMatrixResponse> + Send {
        self.0.push(Received::PathMatrix(input));
        async { PathMatrixResponse::NoContent }
    }

    fn query_form(
        &self,
        _: RequestContext,
        input: QueryFormInput,
    ) -> impl Future<Output = QueryFormResponse> + Send {
        self.0.push(Received::QueryForm(input));
        async { QueryFormResponse::NoContent }
    }

    fn query_delimited(
        &self,
        _: RequestContext,
        input: QueryDelimitedInput,
    ) -> impl Future<Output = QueryDelimitedResponse> + Send {
        self.0.push(Received::QueryDelimited(input));
        async { QueryDelimitedResponse::NoContent }
    }

    fn query_deep(
        &self,
        _: RequestContext,
        input: QueryDeepInput,
    ) -> impl Future<Output = QueryDeepResponse> + Send {
        self.0.push(Received::QueryDeep(input));
        async { QueryDeepResponse::NoContent }
    }

    fn header_simple(
        &self,
        _: RequestContext,
        input: HeaderSimpleInput,
    ) -> impl Future<Output = HeaderSimpleResponse> + Send {
        self.0.push(Received::HeaderSimple(input));
        async { HeaderSimpleResponse::NoContent }
    }

    fn cookie_form(
        &self,
        _: RequestContext,
        input: CookieFormInput,
    ) -> impl Future<Output = CookieFormResponse> + Send {
        self.0.push(Received::CookieForm(input));
        async { CookieFormResponse::NoContent }
    }
}

async fn start() -> (Client, Arc<Recorder>, String) {
    let recorder = Arc::new(Recorder::default());
    let base = serve(server::router(recorder.clone(), &RouterOptions::default())).await;
    let client = Client::builder()
        .endpoint(Service::Styles, base.clone())
        .build()
        .expect("the client builds");
    (client, recorder, base)
}

fn color(r: i32, g: Option<i32>, b: i32) -> wire::Color {
    wire::Color {
        r: Some(r),
        g,
        b: Some(b),
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn path_parameters_in_the_simple_label_and_matrix_styles() {
    let (client, recorder, _) = start().await;
    let (c1, c2) = (color(1, Some(2), 3), color(4, None, 6));

    client
        .path_simple("a b/c", &strings(&["x,y", "z"]), &[1, -2], &c1, &c2)
        .await
        .expect("simple");
    client
        .path_label("v1.2", &strings(&["a.b", "c d"]), &[1.5, -2.25], &c1, &c2)
        .await
        .expect("label");
    client
        .path_matrix("a;b=c", &strings(&["p,q", "r;s"]), &[true, false], &c1, &c2)
        .await
        .expect("matrix");

    let (t1, t2): (types::Color, types::Color) = (same(&c1), same(&c2));
    assert_eq!(
        recorder.0.take(),
        [
            Received::PathSimple(PathSimpleInput::new(
                "a b/c".into(),
                strings(&["x,y", "z"]),
                vec![1, -2],
                t1.clone(),
                t2.clone(),
            )),
            Received::PathLabel(PathLabelInput::new(
                "v1.2".into(),
                strings(&["a.b", "c d"]),
                vec![1.5, -2.25],
                t1.clone(),
                t2.clone(),
            )),
            Received::PathMatrix(PathMatrixInput::new(
                "a;b=c".into(),
                strings(&["p,q", "r;s"]),
                vec![true, false],
                t1,
                t2,
            )),
        ]
    );
}

#[tokio::test]
async fn query_parameters_in_the_form_delimited_and_deep_object_styles() {
    let (client, recorder, _) = start().await;
    let (c1, c2) = (color(1, Some(2), 3), color(255, None, 0));

    client
        .query_form(
            Some("a&b=c+d %"),
            Some(&strings(&["x,y", "z w"])),
            Some(&[1, 2, 3]),
            Some(&c1),
            Some(&c2),
        )
        .await
        .expect("form");
    client
        .query_form(None, None, None, None, None)
        .await
        .expect("form, nothing");
    client
        .query_delimited(
            Some(&strings(&["a", "b"])),
            Some(&[1, 2]),
            Some(&strings(&["a|b", "c"])),
            Some(&c1),
            Some(&c2),
        )
        .await
        .expect("delimited");
    let filter = wire::Filter {
        color: Some(color(7, None, 9)),
        name: Some("n[1]".into()),
        tags: Some(strings(&["a", "b&c"])),
    };
    client
        .query_deep(Some(&c1), Some(&filter))
        .await
        .expect("deep");

    let (t1, t2): (types::Color, types::Color) = (same(&c1), same(&c2));
    let mut form = QueryFormInput::default();
    form.name = Some("a&b=c+d %".into());
    form.list = Some(strings(&["x,y", "z w"]));
    form.list_x = Some(vec![1, 2, 3]);
    form.color = Some(t1.clone());
    form.color_x = Some(t2.clone());
    let mut delimited = QueryDelimitedInput::default();
    delimited.spaces = Some(strings(&["a", "b"]));
    delimited.pipes = Some(vec![1, 2]);
    delimited.pipes_x = Some(strings(&["a|b", "c"]));
    delimited.space_color = Some(t1.clone());
    delimited.pipe_color = Some(t2);
    let mut deep = QueryDeepInput::default();
    deep.color = Some(t1);
    deep.filter = Some(same(&filter));
    assert_eq!(
        recorder.0.take(),
        [
            Received::QueryForm(form),
            Received::QueryForm(QueryFormInput::default()),
            Received::QueryDelimited(delimited),
            Received::QueryDeep(deep),
        ]
    );
}

#[tokio::test]
async fn headers_in_the_simple_style() {
    let (client, recorder, _) = start().await;
    let (c1, c2) = (color(1, Some(2), 3), color(4, None, 6));
    client
        .header_simple(
            "plain text",
            Some(&strings(&["a", "b"])),
            Some(&[1, 2]),
            Some(&c1),
            Some(&c2),
        )
        .await
        .expect("headers");
    client
        .header_simple("only", None, None, None, None)
        .await
        .expect("one header");

    let mut all = HeaderSimpleInput::new("plain text".into());
    all.x_list = Some(strings(&["a", "b"]));
    all.x_list_x = Some(vec![1, 2]);
    all.x_color = Some(same(&c1));
    all.x_color_x = Some(same(&c2));
    assert_eq!(
        recorder.0.take(),
        [
            Received::HeaderSimple(all),
            Received::HeaderSimple(HeaderSimpleInput::new("only".into())),
        ]
    );
}

#[tokio::test]
async fn cookies_in_the_form_style() {
    let (client, recorder, _) = start().await;
    let (c1, c2) = (color(1, Some(2), 3), color(4, None, 6));
    client
        .cookie_form(
            "s; 1=2",
            Some(&strings(&["a,b", "c"])),
            Some(&[1, 2]),
            Some(&c1),
            Some(&c2),
        )
        .await
        .expect("cookies");
    client
        .cookie_form("plain", None, None, None, None)
        .await
        .expect("one cookie");

    let mut all = CookieFormInput::new("s; 1=2".into());
    all.list = Some(strings(&["a,b", "c"]));
    all.list_x = Some(vec![1, 2]);
    all.color = Some(same(&c1));
    all.color_x = Some(same(&c2));
    assert_eq!(
        recorder.0.take(),
        [
            Received::CookieForm(all),
            Received::CookieForm(CookieFormInput::new("plain".into())),
        ]
    );
}

#[tokio::test]
async fn a_bad_parameter_is_rejected_with_its_name() {
    let (client, recorder, base) = start().await;
    // Against the rules: a colour component above 255.
    let err = client
        .query_deep(Some(&color(300, None, 0)), None)
        .await
        .expect_err("rejected");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "{err}");
    assert!(
        err.to_string().contains("query parameter `color` /R"),
        "{err}"
    );
    // Texts the client never writes.
    let cases = [
        (
            "/matrix/blue/;list=a/;list_x=true/;color=R,1/;R=1",
            "path parameter `name`",
            "expected `;name=`",
        ),
        (
            "/label/.a/.b/.x/.R.1/.R=1",
            "path parameter `list_x`",
            "expected a number",
        ),
        (
            "/form?list_x=1&list_x=two",
            "query parameter `list_x` /1",
            "expected an integer",
        ),
        (
            "/form?color=R,1,G",
            "query parameter `color`",
            "names and values in turn",
        ),
    ];
    for (target, parameter, problem) in cases {
        let (status, body) = raw_get(&base, target, &[]).await;
        assert_eq!(status, 400, "{target}: {body}");
        assert!(body.contains(parameter), "{target}: {body}");
        assert!(body.contains(problem), "{target}: {body}");
    }
    let (status, body) = raw_get(&base, "/cookies", &[]).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("cookie parameter `session`: required"),
        "{body}"
    );
    assert!(recorder.0.take().is_empty());
}
