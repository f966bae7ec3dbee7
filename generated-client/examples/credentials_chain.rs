//! The credentials chain: the environment (`HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`,
//! `HUAWEICLOUD_SDK_SECURITY_TOKEN`), then `~/.huaweicloud/credentials` (or
//! `HUAWEICLOUD_SDK_CREDENTIALS_FILE`), then the ECS/CCE metadata service. Here the
//! metadata service is a fake started on 127.0.0.1 and the API is the in-memory fake, so
//! nothing leaves the machine; on a server, `Config::default_credentials_chain()` is all
//! it takes.
//!
//! ```text
//! cargo run -p huaweicloud-api-client --example credentials_chain
//! ```

use std::time::{Duration, SystemTime};

use huaweicloud_api_client::fake::Fake;
use huaweicloud_api_client::runtime::credentials::{
    DefaultChain, EnvProvider, MetadataProvider, ProfileProvider, ProvideCredentials,
};
use huaweicloud_api_client::types;

/// A metadata service that hands out temporary keys valid for an hour.
async fn fake_metadata_service() -> Result<String, Box<dyn std::error::Error>> {
    let expires = SystemTime::now() + Duration::from_secs(3600);
    let expires = utc(expires);
    let body = format!(
        r#"{{"credential":{{"access":"TEMPORARY-AK","secret":"TEMPORARY-SK","securitytoken":"TEMPORARY-TOKEN","expires_at":"{expires}"}}}}"#
    );
    let app = axum::Router::new()
        .route(
            "/meta-data/latest/api/token",
            axum::routing::put(|| async { "session-token" }),
        )
        .route(
            "/openstack/latest/securitykey",
            axum::routing::get(move || async move { body }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(url)
}

/// `YYYY-MM-DDTHH:MM:SS.000000Z`, the metadata service's time format.
fn utc(time: SystemTime) -> String {
    let secs = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
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

/// Signs a call with keys from the chain of `env`, `profile` and the fake metadata
/// service, and shows the error of a chain that finds nothing.
pub async fn run(
    env: EnvProvider,
    profile: ProfileProvider,
) -> Result<String, Box<dyn std::error::Error>> {
    let metadata = fake_metadata_service().await?;
    // The SDK's chain, with the metadata service at the local fake.
    let chain = DefaultChain::with(env, profile, MetadataProvider::new().endpoint(&metadata));
    let fake = Fake::new();
    fake.update_flink_jar_job()
        .returns(&types::FlinkJarJobUpdateResponse::default());
    let client = fake
        .builder()
        .project_id("0123456789abcdef0123456789abcdef")
        .config(|c| c.credentials_provider(chain))
        .build()?;
    client
        .update_flink_jar_job(148, &types::FlinkJarJobUpdateRequest::default())
        .await?;
    let request = fake.requests().pop().ok_or("one request was made")?;
    let authorization = request.header("authorization").unwrap_or_default();
    let access = authorization
        .split(", ")
        .next()
        .unwrap_or_default()
        .to_string();
    let mut out = format!(
        "signed with {access}; security token sent: {}\n",
        request.header("x-security-token").is_some()
    );

    // When no provider has keys, the error says what each one tried, with no secret.
    let nothing = DefaultChain::with(
        EnvProvider::new().lookup(|_| None),
        ProfileProvider::new().file("/nonexistent/.huaweicloud/credentials"),
        MetadataProvider::new()
            .endpoint("http://127.0.0.1:9")
            .timeout(Duration::from_millis(500)),
    );
    if let Err(err) = nothing.provide().await {
        out.push_str(&format!("without keys: {err}\n"));
    }
    Ok(out)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // The machine's environment and profile file: keys found there win over the fake
    // metadata service, as in the SDK.
    match run(EnvProvider::new(), ProfileProvider::new()).await {
        Ok(text) => {
            print!("{text}");
            std::process::ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
