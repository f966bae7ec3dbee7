//! The credentials chain: the environment, the profile file and a fake metadata service
//! on 127.0.0.1; refresh ahead of expiry, one fetch under concurrency, calls with valid
//! credentials never waiting; errors that name every provider and no secret.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{calls, Recorded, Reply, TestServer, AK, PROJECT_ID, SECURITY_TOKEN, SK};
use huaweicloud_api_client::runtime::credentials::{
    ChainProvider, CredentialsCache, CredentialsError, DefaultChain, EnvProvider,
    IssuedCredentials, MetadataProvider, ProfileProvider, ProvideCredentials, StaticProvider,
};
use huaweicloud_api_client::runtime::{Credentials, Error};
use huaweicloud_api_client::{Client, Service};

/// `%Y-%m-%dT%H:%M:%S.%fZ`, the metadata service's time format.
fn utc(time: SystemTime) -> String {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.000000Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// The security key answer, with keys numbered by `n` after the first.
fn security_key(n: usize, expires_in: Duration) -> String {
    let (ak, sk, token) = if n == 0 {
        (AK.to_string(), SK.to_string(), SECURITY_TOKEN.to_string())
    } else {
        (
            format!("{AK}-{n}"),
            format!("{SK}-{n}"),
            format!("{SECURITY_TOKEN}-{n}"),
        )
    };
    format!(
        r#"{{"credential":{{"access":"{ak}","secret":"{sk}","securitytoken":"{token}","expires_at":"{}"}}}}"#,
        utc(SystemTime::now() + expires_in)
    )
}

/// A fake metadata service: session tokens, then security keys that expire after
/// `expires_in`, each fetch answered after `delay` with the next numbered keys.
async fn metadata_server(expires_in: Duration, delay: Duration) -> (TestServer, Arc<AtomicUsize>) {
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = fetches.clone();
    let server = TestServer::start(move |request: &Recorded, _| match request.path.as_str() {
        "/meta-data/latest/api/token" => Reply::json(200, "SESSIONTOKENSECRET"),
        "/openstack/latest/securitykey" => {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            Reply::json(200, &security_key(n, expires_in)).delayed(delay)
        }
        _ => Reply::json(404, "{}"),
    })
    .await;
    (server, fetches)
}

fn provider(server: &TestServer) -> MetadataProvider {
    MetadataProvider::new().endpoint(&server.url)
}

#[tokio::test]
async fn the_metadata_provider_reads_temporary_keys_with_a_session_token() {
    let (server, _) = metadata_server(Duration::from_secs(3600), Duration::ZERO).await;
    let issued = provider(&server).provide().await.expect("the fake answers");
    assert_eq!(issued.credentials.access_key(), AK);
    assert_eq!(issued.credentials.secret_key().expose(), SK);
    assert_eq!(
        issued.credentials.security_token().map(|t| t.expose()),
        Some(SECURITY_TOKEN)
    );
    let left = issued
        .expires_at
        .expect("temporary keys expire")
        .duration_since(SystemTime::now())
        .expect("in the future");
    assert!(
        left > Duration::from_secs(3500) && left <= Duration::from_secs(3600),
        "{left:?}"
    );
    let requests = server.requests();
    assert_eq!(requests[0].method, "PUT");
    assert_eq!(
        requests[0].header("x-metadata-token-ttl-seconds"),
        Some("21600")
    );
    assert_eq!(requests[1].path, "/openstack/latest/securitykey");
    assert_eq!(
        requests[1].header("x-metadata-token"),
        Some("SESSIONTOKENSECRET")
    );
}

#[tokio::test]
async fn without_session_tokens_the_metadata_provider_reads_the_keys_directly() {
    let server = TestServer::start(|request: &Recorded, _| match request.path.as_str() {
        "/meta-data/latest/api/token" => Reply::json(404, "{}"),
        _ => Reply::json(200, &security_key(0, Duration::from_secs(3600))),
    })
    .await;
    let issued = provider(&server)
        .provide()
        .await
        .expect("keys without a token");
    assert_eq!(issued.credentials.access_key(), AK);
    assert_eq!(server.requests()[1].header("x-metadata-token"), None);
}

#[tokio::test]
async fn a_server_without_an_agency_is_named_as_such() {
    let server = TestServer::start(|request: &Recorded, _| match request.path.as_str() {
        "/meta-data/latest/api/token" => Reply::json(200, "T"),
        _ => Reply::json(401, "Please configure Cloud Service Agency first"),
    })
    .await;
    let err = provider(&server).provide().await.expect_err("no agency");
    assert!(err.to_string().contains("no cloud service agency"), "{err}");
    assert!(err.to_string().starts_with("metadata: "), "{err}");
}

#[tokio::test]
async fn a_client_signs_with_metadata_keys_and_sends_the_signed_security_token() {
    let (metadata, _) = metadata_server(Duration::from_secs(3600), Duration::ZERO).await;
    let api = TestServer::start(|_, _| Reply::json(200, common::OK_BODY)).await;
    let client = Client::builder()
        .project_id(PROJECT_ID)
        .endpoint(Service::Dli, &api.url)
        .endpoint(Service::FunctionGraph, &api.url)
        .config(|c| c.credentials_provider(provider(&metadata)))
        .build()
        .expect("a provider needs nothing at build time");
    assert_eq!(calls::update_job(&client).await, Ok(200));
    assert_eq!(calls::update_job(&client).await, Ok(200));
    let requests = api.requests();
    for request in &requests {
        assert_eq!(request.header("x-security-token"), Some(SECURITY_TOKEN));
        let verified = request.verify().expect("the signature checks out");
        assert!(
            verified
                .signed_headers
                .iter()
                .any(|h| h == "x-security-token"),
            "{:?}",
            verified.signed_headers
        );
    }
    // One fetch served both calls: a session token and one security key.
    assert_eq!(metadata.count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_calls_share_one_fetch() {
    let (server, fetches) =
        metadata_server(Duration::from_secs(3600), Duration::from_millis(200)).await;
    let cache = CredentialsCache::new(provider(&server));
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.credentials().await })
        })
        .collect();
    for task in tasks {
        let credentials = task.await.expect("the task runs").expect("credentials");
        assert_eq!(credentials.access_key(), AK);
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn keys_near_expiry_are_used_while_one_background_refresh_runs() {
    // Valid for 30 more minutes: inside the 40 minutes of refresh-ahead.
    let (server, fetches) =
        metadata_server(Duration::from_secs(30 * 60), Duration::from_millis(300)).await;
    let cache = CredentialsCache::new(provider(&server));
    assert_eq!(
        cache.credentials().await.expect("first fetch").access_key(),
        AK
    );
    // Still valid: every call gets the current keys at once, although a refresh (which
    // the fake answers only after 300 ms) is running.
    for _ in 0..10 {
        let credentials = cache.credentials().await.expect("current keys");
        assert_eq!(credentials.access_key(), AK);
    }
    // One refresh, whatever the number of calls; then the new keys are used.
    let mut waited = Duration::ZERO;
    loop {
        let credentials = cache.credentials().await.expect("keys");
        if credentials.access_key() != AK {
            assert_eq!(credentials.access_key(), format!("{AK}-1"));
            break;
        }
        assert!(
            waited < Duration::from_secs(10),
            "the background refresh never finished"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
        waited += Duration::from_millis(20);
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn expired_keys_are_fetched_again_before_the_call() {
    let (server, fetches) = metadata_server(Duration::ZERO, Duration::ZERO).await;
    let cache = CredentialsCache::new(provider(&server));
    assert_eq!(cache.credentials().await.expect("first").access_key(), AK);
    assert_eq!(
        cache.credentials().await.expect("second").access_key(),
        format!("{AK}-1")
    );
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

fn env(
    vars: &'static [(&'static str, &'static str)],
) -> impl Fn(&str) -> Option<String> + Send + Sync {
    move |name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }
}

#[tokio::test]
async fn the_environment_provider_reads_the_official_names_and_the_security_token() {
    let provider = EnvProvider::new().lookup(env(&[
        ("HUAWEICLOUD_SDK_AK", AK),
        ("HUAWEICLOUD_SDK_SK", SK),
        ("HUAWEICLOUD_SDK_SECURITY_TOKEN", SECURITY_TOKEN),
    ]));
    let issued = provider.provide().await.expect("set");
    assert_eq!(issued.credentials.access_key(), AK);
    assert_eq!(
        issued.credentials.security_token().map(|t| t.expose()),
        Some(SECURITY_TOKEN)
    );
    assert_eq!(issued.expires_at, None);
}

fn temp_file(name: &str, contents: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("client-credentials-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let path = dir.join("credentials");
    std::fs::write(&path, contents).expect("written");
    path
}

#[tokio::test]
async fn the_profile_provider_reads_the_basic_section_of_the_named_file() {
    let path = temp_file(
        "profile",
        &format!("# keys\n[global]\nak = OTHER\nsk = OTHER\n\n[basic]\nak = {AK}\nsk: {SK}\nsecurity_token = {SECURITY_TOKEN}\nproject_id = {PROJECT_ID}\n"),
    );
    let shown = path.display().to_string();
    let provider = ProfileProvider::new()
        .lookup(move |name| (name == "HUAWEICLOUD_SDK_CREDENTIALS_FILE").then(|| shown.clone()));
    let issued = provider.provide().await.expect("the file has keys");
    assert_eq!(issued.credentials.access_key(), AK);
    assert_eq!(issued.credentials.secret_key().expose(), SK);
    assert_eq!(
        issued.credentials.security_token().map(|t| t.expose()),
        Some(SECURITY_TOKEN)
    );
}

#[tokio::test]
async fn the_profile_provider_defaults_to_the_home_directory() {
    let path = temp_file("home", "[basic]\nak = A\n");
    let home = path.parent().expect("a dir").to_path_buf();
    let dot = home.join(".huaweicloud");
    std::fs::create_dir_all(&dot).expect("dir");
    std::fs::rename(&path, dot.join("credentials")).expect("moved");
    let shown = home.display().to_string();
    let provider =
        ProfileProvider::new().lookup(move |name| (name == "HOME").then(|| shown.clone()));
    assert_eq!(provider.path(), Some(dot.join("credentials")));
    let err = provider.provide().await.expect_err("no sk");
    assert!(err.to_string().contains("lacks `ak` or `sk`"), "{err}");
}

#[tokio::test]
async fn the_chain_error_names_every_provider_and_no_secret() {
    let path = temp_file("chain", "[basic]\nsk = SKMARKERSECRETINFILE\n");
    let shown = path.display().to_string();
    let chain = DefaultChain::with(
        EnvProvider::new().lookup(env(&[("HUAWEICLOUD_SDK_SK", "SKMARKERSECRETINENV")])),
        ProfileProvider::new().file(&path),
        // A closed port: nothing listens on port 9 of 127.0.0.1 in the test environment.
        MetadataProvider::new()
            .endpoint("http://127.0.0.1:9")
            .timeout(Duration::from_millis(500)),
    );
    let err = chain.provide().await.expect_err("nothing works");
    let text = err.to_string();
    assert!(text.starts_with("no credentials found; tried environment (the environment sets HUAWEICLOUD_SDK_SK but not HUAWEICLOUD_SDK_AK"), "{text}");
    assert!(
        text.contains(&format!(
            "profile (the [basic] section of {shown} lacks `ak` or `sk`)"
        )),
        "{text}"
    );
    assert!(
        text.contains("metadata (http://127.0.0.1:9/meta-data/latest/api/token: cannot connect"),
        "{text}"
    );
    match &err {
        CredentialsError::Chain { tried } => assert_eq!(tried.len(), 3),
        other => panic!("not a chain error: {other:?}"),
    }
    let debug = format!("{err:?}");
    for shown in [&text, &debug] {
        assert!(!shown.contains("SKMARKERSECRET"), "{shown}");
    }
    // The call fails with the chain's error, never reaching the service.
    let api = TestServer::start(|_, _| Reply::json(200, common::OK_BODY)).await;
    let client = common::builder(&api.url)
        .config(|c| c.credentials_provider(chain.clone()))
        .build()
        .expect("builds");
    let call = client
        .update_flink_jar_job(1, &Default::default())
        .await
        .expect_err("no credentials");
    assert!(matches!(call, Error::Credentials { .. }), "{call:?}");
    assert!(
        call.to_string()
            .contains("no credentials to sign with: no credentials found; tried environment"),
        "{call}"
    );
    assert!(!format!("{call} {call:?}").contains("SKMARKERSECRET"));
    assert_eq!(api.count(), 0);
}

#[tokio::test]
async fn the_chain_takes_the_first_provider_that_has_keys() {
    let chain = ChainProvider::new()
        .or_else(EnvProvider::new().lookup(env(&[])))
        .or_else(StaticProvider::new(Credentials::new(
            "STATIC-AK",
            "STATIC-SK",
        )));
    let issued = chain.provide().await.expect("the static keys");
    assert_eq!(issued.credentials.access_key(), "STATIC-AK");
}

#[test]
fn debug_output_of_the_new_types_shows_no_secret() {
    let issued = IssuedCredentials::permanent(
        Credentials::new(AK, "SKMARKERSECRETDEBUG").with_security_token("TOKENMARKERSECRETDEBUG"),
    );
    let cache = CredentialsCache::new(StaticProvider::new(issued.credentials.clone()));
    let config = huaweicloud_api_client::runtime::Config::default()
        .credentials_cache(cache.clone())
        .default_credentials_chain();
    for text in [
        format!("{issued:?}"),
        format!("{cache:?}"),
        format!("{:?}", StaticProvider::new(issued.credentials.clone())),
        format!("{:?}", EnvProvider::new()),
        format!("{:?}", DefaultChain::new()),
        format!("{config:?}"),
    ] {
        assert!(!text.contains("MARKERSECRET"), "{text}");
    }
}

#[tokio::test]
async fn from_env_reads_the_security_token_of_temporary_keys() {
    let api = TestServer::start(|_, _| Reply::json(200, common::OK_BODY)).await;
    let client = Client::builder()
        .project_id(PROJECT_ID)
        .endpoint(Service::Dli, &api.url)
        .endpoint(Service::FunctionGraph, &api.url)
        .config(|c| {
            c.from_env_with(
                &huaweicloud_api_client::SECURITY,
                env(&[
                    ("HUAWEICLOUD_SDK_AK", AK),
                    ("HUAWEICLOUD_SDK_SK", SK),
                    ("HUAWEICLOUD_SDK_SECURITY_TOKEN", SECURITY_TOKEN),
                ]),
            )
        })
        .build()
        .expect("builds");
    assert_eq!(calls::update_job(&client).await, Ok(200));
    let request = &api.requests()[0];
    assert_eq!(request.header("x-security-token"), Some(SECURITY_TOKEN));
    request.verify().expect("signed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_failed_fetch_too() {
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = fetches.clone();
    let server = TestServer::start(move |request: &Recorded, _| match request.path.as_str() {
        "/meta-data/latest/api/token" => Reply::json(404, "{}"),
        _ => {
            counter.fetch_add(1, Ordering::SeqCst);
            Reply::json(500, "{}").delayed(Duration::from_millis(200))
        }
    })
    .await;
    let cache = CredentialsCache::new(provider(&server));
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.credentials().await })
        })
        .collect();
    for task in tasks {
        let err = task.await.expect("the task runs").expect_err("HTTP 500");
        assert!(err.to_string().contains("answered HTTP 500"), "{err}");
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    // A later call tries again.
    cache.credentials().await.expect_err("still 500");
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}
