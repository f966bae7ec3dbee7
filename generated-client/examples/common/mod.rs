//! What every example shares: reading the endpoint, region, project id and credentials
//! from flags or the environment, building the client, and printing the typed answer.
//!
//! Each example includes this file with `#[path = "common/mod.rs"] mod common;`, so that
//! a test can include an example file as a module and run it in-process
//! (`generated-server/tests/client_examples.rs` runs all five against the mock server).

use std::fmt::Debug;
use std::future::Future;
use std::process::ExitCode;

use huaweicloud_api_client::runtime::{Credentials, Error, ResponseValue};
use huaweicloud_api_client::{Client, Service, SECURITY};

/// The environment variable that names the endpoint when `--endpoint` is not given.
pub const ENDPOINT_ENV: &str = "HWC_ENDPOINT";
/// The environment variable that names the region when `--region` is not given.
pub const REGION_ENV: &str = "HWC_REGION";
/// The environment variable of the project id (`x-client-parameter` in the spec).
pub const PROJECT_ID_ENV: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
/// The environment variable of an IAM token, used instead of AK/SK when set.
pub const TOKEN_ENV: &str = "HWC_AUTH_TOKEN";

pub const USAGE: &str = "\
options (each also read from the environment variable in brackets):
  --endpoint URL          where to send every request, e.g. http://127.0.0.1:8080 [HWC_ENDPOINT]; required
  --region REGION         region of the spec's server URLs, default cn-north-4 [HWC_REGION]
  --project-id ID         project id [HUAWEICLOUD_SDK_PROJECT_ID]; required
  --ak AK --sk SK         AK/SK to sign requests with
                          [HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK]
  --security-token TOKEN  with --ak/--sk: temporary credentials
  --token TOKEN           an IAM token instead of AK/SK [HWC_AUTH_TOKEN]
Without credentials requests are sent unsigned, which only a local mock accepts.";

/// What an example was asked to do.
#[derive(Debug)]
pub struct Options {
    pub endpoint: String,
    pub region: String,
    pub project_id: String,
    pub access_key: Option<String>,
    pub secret_key: Option<String>,
    pub security_token: Option<String>,
    pub token: Option<String>,
}

/// Reads the options from `args` (without the program name), falling back to `env`.
pub fn parse(
    args: impl IntoIterator<Item = String>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Options, String> {
    let mut endpoint = None;
    let mut region = None;
    let mut project_id = None;
    let mut access_key = None;
    let mut secret_key = None;
    let mut security_token = None;
    let mut token = None;
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let slot = match flag.as_str() {
            "--endpoint" => &mut endpoint,
            "--region" => &mut region,
            "--project-id" => &mut project_id,
            "--ak" => &mut access_key,
            "--sk" => &mut secret_key,
            "--security-token" => &mut security_token,
            "--token" => &mut token,
            other => return Err(format!("unknown argument `{other}`")),
        };
        let value = args
            .next()
            .filter(|v| !v.starts_with("--"))
            .ok_or_else(|| format!("`{flag}` needs a value"))?;
        *slot = Some(value);
    }
    let env = |name: &str| env(name).filter(|v| !v.is_empty());
    let signing = SECURITY.signing;
    let ak_env = signing.and_then(|s| s.access_key_env);
    let sk_env = signing.and_then(|s| s.secret_key_env);
    Ok(Options {
        // Never a default endpoint: an example must not reach a real service by accident.
        endpoint: endpoint
            .or_else(|| env(ENDPOINT_ENV))
            .ok_or_else(|| format!("no endpoint: give --endpoint URL or set {ENDPOINT_ENV}"))?,
        region: region
            .or_else(|| env(REGION_ENV))
            .unwrap_or_else(|| "cn-north-4".to_string()),
        project_id: project_id.or_else(|| env(PROJECT_ID_ENV)).ok_or_else(|| {
            format!("no project id: give --project-id ID or set {PROJECT_ID_ENV}")
        })?,
        access_key: access_key.or_else(|| ak_env.and_then(&env)),
        secret_key: secret_key.or_else(|| sk_env.and_then(&env)),
        security_token,
        token: token.or_else(|| env(TOKEN_ENV)),
    })
}

/// Builds the client the options describe.
pub fn client(options: &Options) -> Result<Client, String> {
    let mut builder = Client::builder()
        .region(options.region.as_str())
        .project_id(options.project_id.as_str());
    for service in Service::ALL {
        builder = builder.endpoint(*service, options.endpoint.as_str());
    }
    builder = match (
        &options.access_key,
        &options.secret_key,
        &options.security_token,
        &options.token,
    ) {
        (Some(_), Some(_), _, Some(_)) => {
            return Err("give either AK/SK or a token, not both".to_string())
        }
        (Some(ak), Some(sk), token, None) => {
            let mut credentials = Credentials::new(ak.as_str(), sk.as_str());
            if let Some(token) = token {
                credentials = credentials.with_security_token(token.as_str());
            }
            builder.config(|c| c.credentials(credentials))
        }
        (Some(_), None, _, _) | (None, Some(_), _, _) => {
            return Err("give both the AK and the SK".to_string())
        }
        (None, None, Some(_), _) => return Err("--security-token needs --ak and --sk".to_string()),
        (None, None, None, Some(token)) => builder.config(|c| c.token(token.as_str())),
        (None, None, None, None) => builder,
    };
    builder.build().map_err(|err| err.to_string())
}

/// Why an example did not print an answer.
#[derive(Debug, PartialEq, Eq)]
pub enum Failure {
    /// The options are wrong or incomplete.
    Usage(String),
    /// The call failed (the text is the client error's one-line `Display`).
    Call(String),
}

/// Parses the options, calls the operation and describes the answer: the status, the
/// request id, the retry count and the typed body.
pub async fn run<F, Fut, T, E>(
    args: impl IntoIterator<Item = String>,
    env: impl Fn(&str) -> Option<String>,
    call: F,
) -> Result<String, Failure>
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Result<ResponseValue<T>, Error<E>>>,
    T: Debug,
{
    let options = parse(args, env).map_err(Failure::Usage)?;
    let client = client(&options).map_err(Failure::Usage)?;
    let reply = call(client)
        .await
        .map_err(|err| Failure::Call(err.to_string()))?;
    Ok(format!(
        "HTTP {} (request id {}, {} retries)\n{:#?}",
        reply.status.as_u16(),
        reply.request_id().unwrap_or("none"),
        reply.retries,
        reply.body
    ))
}

/// The `main` of every example: the process arguments and environment, output on
/// stdout, problems on stderr with a non-zero exit status.
pub async fn main<F, Fut, T, E>(call: F) -> ExitCode
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Result<ResponseValue<T>, Error<E>>>,
    T: Debug,
{
    match run(
        std::env::args().skip(1),
        |name| std::env::var(name).ok(),
        call,
    )
    .await
    {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Call(message)) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
