//! Where AK/SK credentials come from: explicit keys, the environment, the profile file and
//! the ECS/CCE metadata service, tried in order by a chain, and cached with refresh
//! ahead of expiry.
//!
//! The providers follow the official SDK (`huaweicloudsdkcore.auth.provider`):
//!
//! | provider | reads |
//! |---|---|
//! | [`StaticProvider`] | keys (and a security token) given in code |
//! | [`EnvProvider`] | `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, `HUAWEICLOUD_SDK_SECURITY_TOKEN` |
//! | [`ProfileProvider`] | the `[basic]` section of `~/.huaweicloud/credentials`, or of the file named by `HUAWEICLOUD_SDK_CREDENTIALS_FILE`: `ak`, `sk`, `security_token` |
//! | [`MetadataProvider`] | temporary keys and a security token from `http://169.254.169.254/openstack/latest/securitykey` |
//!
//! [`DefaultChain`] tries the environment, the profile file and the metadata service in
//! that order, as the SDK's `CredentialProviderChain` does. A client asks its provider
//! through a [`CredentialsCache`]: credentials with an expiry are fetched again
//! [`CredentialsCache::DEFAULT_REFRESH_AHEAD`] before they expire, by one background
//! task, while calls go on with the ones still valid; only a call that finds no valid
//! credentials waits, and concurrent callers then share one fetch.
//!
//! No error, log line or `Debug` output of this module contains a secret key or token:
//! reasons name variables, files, sections, URLs and statuses, never values.

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

use apig_signer::Credentials;

/// The future a provider returns.
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<IssuedCredentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials. Implement it to plug in a source of your own (a vault, a
/// token exchange); the client calls it through a [`CredentialsCache`].
pub trait ProvideCredentials: fmt::Debug + Send + Sync {
    /// A short name for error messages, such as `environment`.
    fn name(&self) -> &'static str;

    /// Fetches credentials, or says why there are none.
    fn provide(&self) -> ProvideFuture<'_>;
}

/// Credentials and, for temporary ones, when they expire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCredentials {
    pub credentials: Credentials,
    /// `None` for keys that do not expire.
    pub expires_at: Option<SystemTime>,
}

impl IssuedCredentials {
    /// Keys that do not expire.
    pub fn permanent(credentials: Credentials) -> Self {
        IssuedCredentials {
            credentials,
            expires_at: None,
        }
    }
}

/// Why no credentials could be had. Never contains a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsError {
    /// One provider had nothing, or failed.
    Provider {
        provider: &'static str,
        reason: String,
    },
    /// Every provider of a chain was tried; each one's error, in order.
    Chain { tried: Vec<CredentialsError> },
}

impl CredentialsError {
    /// A provider's error.
    pub fn provider(provider: &'static str, reason: impl Into<String>) -> Self {
        CredentialsError::Provider {
            provider,
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CredentialsError::Provider { provider, reason } => write!(f, "{provider}: {reason}"),
            CredentialsError::Chain { tried } => {
                write!(f, "no credentials found; tried {}", describe_tried(tried))
            }
        }
    }
}

impl std::error::Error for CredentialsError {}

fn describe_tried(tried: &[CredentialsError]) -> String {
    if tried.is_empty() {
        return "no provider (the chain is empty)".to_string();
    }
    tried
        .iter()
        .map(|err| match err {
            CredentialsError::Provider { provider, reason } => format!("{provider} ({reason})"),
            other => format!("({other})"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Explicit keys, with or without a security token.
#[derive(Debug, Clone)]
pub struct StaticProvider(IssuedCredentials);

impl StaticProvider {
    pub fn new(credentials: Credentials) -> Self {
        StaticProvider(IssuedCredentials::permanent(credentials))
    }
}

impl ProvideCredentials for StaticProvider {
    fn name(&self) -> &'static str {
        "static"
    }

    fn provide(&self) -> ProvideFuture<'_> {
        let issued = self.0.clone();
        Box::pin(async move { Ok(issued) })
    }
}

/// Reads a variable; a test or an application may give another source.
type Lookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

fn process_env() -> Lookup {
    Arc::new(|name: &str| std::env::var(name).ok())
}

/// The prefix of the official SDK's environment variables.
const OFFICIAL_PREFIX: &str = "HUAWEICLOUD_SDK_";
/// The prefix the official code samples use instead (`CLOUD_SDK_AK`, `CLOUD_SDK_SK`),
/// and that earlier versions of this client read.
const SAMPLES_PREFIX: &str = "CLOUD_SDK_";

/// Reads an environment variable that is set and not empty. For a variable of the
/// official SDK (`HUAWEICLOUD_SDK_AK`), the name the official code samples use
/// (`CLOUD_SDK_AK`) is read when the official one is not set: the official name always
/// wins.
pub fn env_var(name: &str) -> Option<String> {
    let read = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    read(name).or_else(|| read(&samples_name(name)?))
}

/// The name the official code samples use for an official SDK variable:
/// `HUAWEICLOUD_SDK_AK` → `CLOUD_SDK_AK`; `None` for any other variable.
fn samples_name(name: &str) -> Option<String> {
    let rest = name.strip_prefix(OFFICIAL_PREFIX)?;
    Some(format!("{SAMPLES_PREFIX}{rest}"))
}

/// The official SDK's environment variables for the access key.
pub const ENV_ACCESS_KEY: &str = "HUAWEICLOUD_SDK_AK";
/// The official SDK's environment variable for the secret key.
pub const ENV_SECRET_KEY: &str = "HUAWEICLOUD_SDK_SK";
/// The official SDK's environment variable for the security token of temporary keys.
pub const ENV_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
/// The official SDK's environment variable naming the profile file.
pub const ENV_CREDENTIALS_FILE: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";

/// Keys from environment variables, read when asked (not when the client is built).
///
/// By default `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK` and, for temporary keys,
/// `HUAWEICLOUD_SDK_SECURITY_TOKEN`; when one of them is not set, the name the official
/// code samples use for it (`CLOUD_SDK_AK`, ...) is read instead ([`env_var`]). Setting
/// only one of AK and SK is an error that names the missing one.
#[derive(Clone)]
pub struct EnvProvider {
    access_key: String,
    secret_key: String,
    security_token: String,
    lookup: Lookup,
}

impl fmt::Debug for EnvProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnvProvider")
            .field("access_key", &self.access_key)
            .field("secret_key", &self.secret_key)
            .field("security_token", &self.security_token)
            .finish_non_exhaustive()
    }
}

impl Default for EnvProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl EnvProvider {
    /// The official SDK's variable names, read from the process environment.
    pub fn new() -> Self {
        EnvProvider {
            access_key: ENV_ACCESS_KEY.to_string(),
            secret_key: ENV_SECRET_KEY.to_string(),
            security_token: ENV_SECURITY_TOKEN.to_string(),
            lookup: process_env(),
        }
    }

    /// Other names for the access and secret key variables (the spec's `x-signing`
    /// names them).
    pub fn key_names(mut self, access_key: &str, secret_key: &str) -> Self {
        self.access_key = access_key.to_string();
        self.secret_key = secret_key.to_string();
        self
    }

    /// Another source of variables (for tests, or a configuration file).
    pub fn lookup(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.lookup = Arc::new(lookup);
        self
    }

    /// The keys, `Ok(None)` when neither is set, or an error naming the one missing.
    /// When neither key is set under its own name, the pair (and the token) under the
    /// names the official code samples use are read: the two keys always come from one
    /// pair of names.
    pub fn read(&self) -> Result<Option<Credentials>, CredentialsError> {
        let read = |name: &str| (self.lookup)(name).filter(|v| !v.is_empty());
        let official = (read(&self.access_key), read(&self.secret_key));
        let samples = |name: &str| samples_name(name).and_then(|name| read(&name));
        let (keys, token) = match official {
            (None, None) => (
                (samples(&self.access_key), samples(&self.secret_key)),
                samples(&self.security_token),
            ),
            keys => (keys, read(&self.security_token)),
        };
        match keys {
            (Some(ak), Some(sk)) => {
                let credentials = Credentials::new(ak, sk);
                Ok(Some(match token {
                    Some(token) => credentials.with_security_token(token),
                    None => credentials,
                }))
            }
            (Some(_), None) => Err(self.error(format!(
                "the environment sets {} but not {}; set both or neither",
                self.access_key, self.secret_key
            ))),
            (None, Some(_)) => Err(self.error(format!(
                "the environment sets {} but not {}; set both or neither",
                self.secret_key, self.access_key
            ))),
            (None, None) => Ok(None),
        }
    }

    fn error(&self, reason: String) -> CredentialsError {
        CredentialsError::provider(self.name(), reason)
    }
}

impl ProvideCredentials for EnvProvider {
    fn name(&self) -> &'static str {
        "environment"
    }

    fn provide(&self) -> ProvideFuture<'_> {
        let result = self.read().and_then(|found| {
            found.map(IssuedCredentials::permanent).ok_or_else(|| {
                self.error(format!(
                    "{} and {} are not set",
                    self.access_key, self.secret_key
                ))
            })
        });
        Box::pin(async move { result })
    }
}

/// Keys from the official SDK's profile file: an INI file whose `[basic]` section holds
/// `ak`, `sk` and optionally `security_token`.
///
/// The file is `~/.huaweicloud/credentials`, or the one `HUAWEICLOUD_SDK_CREDENTIALS_FILE`
/// names, or the one given to [`ProfileProvider::file`]. It is read when asked.
#[derive(Clone)]
pub struct ProfileProvider {
    file: Option<PathBuf>,
    section: String,
    lookup: Lookup,
}

impl fmt::Debug for ProfileProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileProvider")
            .field("file", &self.file)
            .field("section", &self.section)
            .finish_non_exhaustive()
    }
}

impl Default for ProfileProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ProfileProvider {
    pub fn new() -> Self {
        ProfileProvider {
            file: None,
            section: "basic".to_string(),
            lookup: process_env(),
        }
    }

    /// Reads this file instead of the default one.
    pub fn file(mut self, path: impl Into<PathBuf>) -> Self {
        self.file = Some(path.into());
        self
    }

    /// Reads another section than `[basic]`.
    pub fn section(mut self, section: &str) -> Self {
        self.section = section.to_string();
        self
    }

    /// Another source of variables for `HUAWEICLOUD_SDK_CREDENTIALS_FILE` and `HOME`.
    pub fn lookup(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.lookup = Arc::new(lookup);
        self
    }

    /// The file that is read: the explicit one, the environment's, or the default.
    pub fn path(&self) -> Option<PathBuf> {
        if let Some(file) = &self.file {
            return Some(file.clone());
        }
        if let Some(file) = (self.lookup)(ENV_CREDENTIALS_FILE).filter(|v| !v.is_empty()) {
            return Some(PathBuf::from(file));
        }
        home_dir(&*self.lookup).map(|home| home.join(".huaweicloud").join("credentials"))
    }

    /// Reads the file now.
    pub fn read(&self) -> Result<Credentials, CredentialsError> {
        let error = |reason: String| CredentialsError::provider("profile", reason);
        let path = self.path().ok_or_else(|| {
            error("no home directory to find .huaweicloud/credentials in".to_string())
        })?;
        let shown = path.display();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Err(error(format!("{shown} does not exist")))
            }
            Err(err) => return Err(error(format!("cannot read {shown}: {err}"))),
        };
        let values = ini_section(&text, &self.section)
            .map_err(|(line, what)| error(format!("{shown} line {line}: {what}")))?
            .ok_or_else(|| error(format!("{shown} has no [{}] section", self.section)))?;
        let get = |key: &str| {
            values
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_empty())
        };
        match (get("ak"), get("sk")) {
            (Some(ak), Some(sk)) => {
                let credentials = Credentials::new(ak, sk);
                Ok(match get("security_token") {
                    Some(token) => credentials.with_security_token(token),
                    None => credentials,
                })
            }
            _ => Err(error(format!(
                "the [{}] section of {shown} lacks `ak` or `sk`",
                self.section
            ))),
        }
    }
}

impl ProvideCredentials for ProfileProvider {
    fn name(&self) -> &'static str {
        "profile"
    }

    fn provide(&self) -> ProvideFuture<'_> {
        let result = self.read().map(IssuedCredentials::permanent);
        Box::pin(async move { result })
    }
}

/// The home directory, as the SDK finds it (`HOME`, then `USERPROFILE` on Windows).
pub(crate) fn home_dir(lookup: &(dyn Fn(&str) -> Option<String> + Send + Sync)) -> Option<PathBuf> {
    lookup("HOME")
        .or_else(|| lookup("USERPROFILE"))
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The `key = value` pairs of an INI section, keys lower-cased.
type Section = Vec<(String, String)>;

/// The `key = value` pairs of one section of an INI file (Python `configparser`'s
/// syntax: `=` or `:`, `#` and `;` comment lines, case-insensitive keys), or `None` when
/// the section is missing. A line that is neither is an error with its number; its text
/// is not repeated, since it may hold a secret.
fn ini_section(text: &str, wanted: &str) -> Result<Option<Section>, (usize, String)> {
    let mut current: Option<String> = None;
    let mut found: Option<Section> = None;
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let name = rest
                .strip_suffix(']')
                .ok_or((index + 1, "a section header without `]`".to_string()))?;
            current = Some(name.trim().to_string());
            if name.trim() == wanted {
                found.get_or_insert_with(Vec::new);
            }
            continue;
        }
        let Some(split) = line.find(['=', ':']) else {
            return Err((
                index + 1,
                "neither a section, a comment nor `key = value`".to_string(),
            ));
        };
        let (key, value) = (line[..split].trim(), line[split + 1..].trim());
        if current.as_deref() == Some(wanted) {
            if let Some(values) = found.as_mut() {
                values.push((key.to_ascii_lowercase(), value.to_string()));
            }
        }
    }
    Ok(found)
}

/// The metadata service of ECS and CCE nodes, as the SDK's `MetadataAccessor` reaches it.
pub const METADATA_ENDPOINT: &str = "http://169.254.169.254";
const METADATA_TOKEN_PATH: &str = "/meta-data/latest/api/token";
const METADATA_SECURITY_KEY_PATH: &str = "/openstack/latest/securitykey";
const METADATA_TOKEN_HEADER: &str = "X-Metadata-Token";
const METADATA_TOKEN_TTL_HEADER: &str = "X-Metadata-Token-Ttl-Seconds";
/// The SDK asks for a session token valid six hours.
const METADATA_TOKEN_TTL_SECONDS: &str = "21600";
/// What the metadata service answers when the server has no agency to take keys from.
const NO_AGENCY: &str = "Please configure Cloud Service Agency first";

/// Temporary keys and a security token from the metadata service of an ECS or CCE
/// node, which issues them for the agency bound to the server.
///
/// As the SDK does, it first asks for a session token (`PUT
/// /meta-data/latest/api/token`; a 404, 405 or 503 means the service does not use
/// them), then reads `GET /openstack/latest/securitykey` with it. The base URL is
/// `http://169.254.169.254` unless [`MetadataProvider::endpoint`] says otherwise (a local
/// fake in tests). Each request may take 3 s, as in the SDK.
#[derive(Debug, Clone)]
pub struct MetadataProvider {
    endpoint: String,
    http: Option<reqwest::Client>,
    timeout: Duration,
    session_token: Arc<Mutex<Option<crate::SecretString>>>,
}

impl Default for MetadataProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl MetadataProvider {
    pub fn new() -> Self {
        MetadataProvider {
            endpoint: METADATA_ENDPOINT.to_string(),
            http: None,
            timeout: Duration::from_secs(3),
            session_token: Arc::new(Mutex::new(None)),
        }
    }

    /// Another base URL for the metadata service, such as `http://127.0.0.1:8080`.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = url.into().trim_end_matches('/').to_string();
        self
    }

    /// How long each request to the metadata service may take (default 3 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The HTTP client to reach the metadata service with (by default one of its own,
    /// without a proxy).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    fn error(&self, reason: String) -> CredentialsError {
        CredentialsError::provider("metadata", reason)
    }

    async fn fetch(&self) -> Result<IssuedCredentials, CredentialsError> {
        let http = match &self.http {
            Some(http) => http.clone(),
            None => super::send::tls_backend(reqwest::Client::builder())
                .map_err(|err| self.error(format!("cannot create an HTTP client: {err}")))?
                .no_proxy()
                .build()
                .map_err(|err| self.error(format!("cannot create an HTTP client: {err}")))?,
        };
        let mut token = self.cached_session_token();
        if token.is_none() {
            token = self.session_token(&http, false).await?;
        }
        let mut response = self.security_key(&http, token.as_ref()).await?;
        if response.0 == 401 && !response.1.contains(NO_AGENCY) {
            token = self.session_token(&http, true).await?;
            response = self.security_key(&http, token.as_ref()).await?;
        }
        let (status, body) = response;
        if status == 401 && body.contains(NO_AGENCY) {
            return Err(self.error(format!(
                "{}{METADATA_SECURITY_KEY_PATH} answered 401: the server has no cloud service agency to issue keys for",
                self.endpoint
            )));
        }
        if status >= 400 {
            return Err(self.error(format!(
                "{}{METADATA_SECURITY_KEY_PATH} answered HTTP {status}",
                self.endpoint
            )));
        }
        parse_security_key(&body).map_err(|reason| {
            self.error(format!(
                "the answer of {}{METADATA_SECURITY_KEY_PATH} {reason}",
                self.endpoint
            ))
        })
    }

    fn cached_session_token(&self) -> Option<crate::SecretString> {
        self.session_token
            .lock()
            .map(|token| token.clone())
            .unwrap_or(None)
    }

    /// Asks for a session token. `required`: a refusal is an error rather than "the
    /// service does not use tokens".
    async fn session_token(
        &self,
        http: &reqwest::Client,
        required: bool,
    ) -> Result<Option<crate::SecretString>, CredentialsError> {
        let url = format!("{}{METADATA_TOKEN_PATH}", self.endpoint);
        let response = http
            .put(&url)
            .header(METADATA_TOKEN_TTL_HEADER, METADATA_TOKEN_TTL_SECONDS)
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|err| self.unreachable(&url, &err))?;
        let status = response.status().as_u16();
        let token = match status {
            200 => {
                let text = response
                    .text()
                    .await
                    .map_err(|err| self.unreachable(&url, &err))?;
                Some(crate::SecretString::new(text.trim()))
            }
            404 | 405 | 503 if !required => None,
            _ => return Err(self.error(format!("{url} answered HTTP {status}"))),
        };
        if let Ok(mut cached) = self.session_token.lock() {
            cached.clone_from(&token);
        }
        Ok(token)
    }

    async fn security_key(
        &self,
        http: &reqwest::Client,
        token: Option<&crate::SecretString>,
    ) -> Result<(u16, String), CredentialsError> {
        let url = format!("{}{METADATA_SECURITY_KEY_PATH}", self.endpoint);
        let mut request = http.get(&url).timeout(self.timeout);
        if let Some(token) = token {
            let mut value =
                reqwest::header::HeaderValue::from_str(token.expose()).map_err(|_| {
                    self.error("the session token cannot be sent in a header".to_string())
                })?;
            value.set_sensitive(true);
            request = request.header(METADATA_TOKEN_HEADER, value);
        }
        let response = request
            .send()
            .await
            .map_err(|err| self.unreachable(&url, &err))?;
        let status = response.status().as_u16();
        let body = response
            .text()
            .await
            .map_err(|err| self.unreachable(&url, &err))?;
        Ok((status, body))
    }

    fn unreachable(&self, url: &str, err: &reqwest::Error) -> CredentialsError {
        let what = if err.is_timeout() {
            "no answer in time"
        } else if err.is_connect() {
            "cannot connect"
        } else {
            "the request failed"
        };
        // Only the kind: reqwest's text would repeat the URL, which is already given.
        self.error(format!("{url}: {what} (not on an ECS or CCE node?)"))
    }
}

impl ProvideCredentials for MetadataProvider {
    fn name(&self) -> &'static str {
        "metadata"
    }

    fn provide(&self) -> ProvideFuture<'_> {
        Box::pin(self.fetch())
    }
}

/// Reads the metadata service's answer: `{"credential": {"access", "secret",
/// "securitytoken", "expires_at"}}`, with the other spellings the SDK accepts.
fn parse_security_key(body: &str) -> Result<IssuedCredentials, String> {
    let value: serde_json::Value =
        serde_json::from_str(body).map_err(|_| "is not JSON".to_string())?;
    let inner = value
        .get("credential")
        .or_else(|| value.get("credentials"))
        .unwrap_or(&value);
    let field = |names: &[&str]| {
        names
            .iter()
            .find_map(|name| inner.get(*name).and_then(|v| v.as_str()))
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let access = field(&["access", "accessKeyId", "access_key_id"]).ok_or("has no access key")?;
    let secret =
        field(&["secret", "secretAccessKey", "secret_access_key"]).ok_or("has no secret key")?;
    let token = field(&["securitytoken", "securityToken", "security_token"])
        .ok_or("has no security token")?;
    let expires = field(&["expires_at", "expiration"]).ok_or("has no expiry")?;
    let expires_at = parse_utc(&expires)
        .ok_or_else(|| format!("has an expiry that is not a UTC time: `{expires}`"))?;
    Ok(IssuedCredentials {
        credentials: Credentials::new(access, secret).with_security_token(token),
        expires_at: Some(expires_at),
    })
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, the SDK's `%Y-%m-%dT%H:%M:%S.%fZ`.
pub(crate) fn parse_utc(text: &str) -> Option<SystemTime> {
    let text = text.strip_suffix('Z')?;
    let (date, time) = text.split_once('T')?;
    let mut date_parts = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (
        date_parts.next()??,
        date_parts.next()??,
        date_parts.next()??,
    );
    let (clock, fraction) = match time.split_once('.') {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (time, None),
    };
    let mut clock_parts = clock.splitn(3, ':').map(|p| p.parse::<u64>().ok());
    let (hour, minute, second) = (
        clock_parts.next()??,
        clock_parts.next()??,
        clock_parts.next()??,
    );
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let nanos = match fraction {
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            let padded: String = digits
                .chars()
                .chain(std::iter::repeat('0'))
                .take(9)
                .collect();
            padded.parse::<u32>().ok()?
        }
        Some(_) => return None,
        None => 0,
    };
    let days = days_from_civil(year, month, day);
    let seconds = u64::try_from(days).ok()? * 86_400 + hour * 3600 + minute * 60 + second;
    Some(SystemTime::UNIX_EPOCH + Duration::new(seconds, nanos))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = if year >= 0 { year } else { year - 399 } / 400;
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Tries providers in order and takes the first that has credentials; when none has,
/// the error lists every provider and why it had none.
#[derive(Debug, Clone, Default)]
pub struct ChainProvider {
    providers: Vec<Arc<dyn ProvideCredentials>>,
}

impl ChainProvider {
    pub fn new() -> Self {
        ChainProvider::default()
    }

    /// Adds a provider after the ones already there.
    pub fn or_else(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.providers.push(Arc::new(provider));
        self
    }
}

impl ProvideCredentials for ChainProvider {
    fn name(&self) -> &'static str {
        "chain"
    }

    fn provide(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let mut tried = Vec::with_capacity(self.providers.len());
            for provider in &self.providers {
                match provider.provide().await {
                    Ok(issued) => {
                        tracing::debug!(provider = provider.name(), "credentials found");
                        return Ok(issued);
                    }
                    Err(err) => tried.push(err),
                }
            }
            Err(CredentialsError::Chain { tried })
        })
    }
}

/// The official SDK's default chain: the environment, then the profile file, then the
/// metadata service (a [`ChainProvider`] of the three).
#[derive(Debug, Clone)]
pub struct DefaultChain(ChainProvider);

impl Default for DefaultChain {
    fn default() -> Self {
        Self::new()
    }
}

impl DefaultChain {
    /// The chain with every provider at its default.
    pub fn new() -> Self {
        Self::with(
            EnvProvider::new(),
            ProfileProvider::new(),
            MetadataProvider::new(),
        )
    }

    /// The chain with these three providers (another metadata endpoint, another
    /// profile file, another variable source).
    pub fn with(env: EnvProvider, profile: ProfileProvider, metadata: MetadataProvider) -> Self {
        DefaultChain(
            ChainProvider::new()
                .or_else(env)
                .or_else(profile)
                .or_else(metadata),
        )
    }
}

impl ProvideCredentials for DefaultChain {
    fn name(&self) -> &'static str {
        "default chain"
    }

    fn provide(&self) -> ProvideFuture<'_> {
        self.0.provide()
    }
}

/// A provider behind a cache: what a client asks for credentials on every request.
///
/// Credentials with an expiry are refreshed once less than the refresh-ahead time
/// remains. While they are still valid, calls keep using them and one background task
/// fetches new ones; a call waits only when there are no valid credentials, and
/// concurrent calls then share a single fetch. After a failed background refresh, the
/// next try waits [`CredentialsCache::RETRY_AFTER_FAILURE`].
#[derive(Clone)]
pub struct CredentialsCache {
    inner: Arc<CacheInner>,
}

struct CacheInner {
    provider: Arc<dyn ProvideCredentials>,
    refresh_ahead: Duration,
    current: RwLock<Option<IssuedCredentials>>,
    /// Held by the one fetch in flight.
    fetching: Arc<tokio::sync::Mutex<()>>,
    last_failure: Mutex<Option<SystemTime>>,
    /// The last failed fetch and when it ended, so that callers who waited for it take
    /// its error instead of fetching again one after another.
    last_error: Mutex<Option<(Instant, CredentialsError)>>,
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCache")
            .field("provider", &self.inner.provider)
            .field("refresh_ahead", &self.inner.refresh_ahead)
            .finish_non_exhaustive()
    }
}

impl CredentialsCache {
    /// How long before expiry temporary credentials are fetched again: 40 minutes, the
    /// SDK's `_DEFAULT_EXPIRATION_THRESHOLD_SECONDS`.
    pub const DEFAULT_REFRESH_AHEAD: Duration = Duration::from_secs(40 * 60);

    /// How long after a failed background refresh the next one starts.
    pub const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(10);

    /// The longest one fetch may take (as aws-config's cache bounds its loads): a
    /// provider that hangs fails the call instead of holding it, and every call waiting
    /// for it, forever.
    pub const LOAD_TIMEOUT: Duration = Duration::from_secs(30);

    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self::shared(Arc::new(provider), Self::DEFAULT_REFRESH_AHEAD)
    }

    /// A cache of a shared provider with another refresh-ahead time.
    pub fn shared(provider: Arc<dyn ProvideCredentials>, refresh_ahead: Duration) -> Self {
        CredentialsCache {
            inner: Arc::new(CacheInner {
                provider,
                refresh_ahead,
                current: RwLock::new(None),
                fetching: Arc::new(tokio::sync::Mutex::new(())),
                last_failure: Mutex::new(None),
                last_error: Mutex::new(None),
            }),
        }
    }

    /// Another refresh-ahead time.
    pub fn refresh_ahead(self, refresh_ahead: Duration) -> Self {
        Self::shared(self.inner.provider.clone(), refresh_ahead)
    }

    /// The provider's name.
    pub fn provider_name(&self) -> &'static str {
        self.inner.provider.name()
    }

    /// Credentials for one request.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let now = SystemTime::now();
        if let Some(current) = self.current() {
            match current.expires_at {
                None => return Ok(current.credentials),
                Some(expires_at) if expires_at > now => {
                    let fresh_until = expires_at
                        .checked_sub(self.inner.refresh_ahead)
                        .unwrap_or(SystemTime::UNIX_EPOCH);
                    if now >= fresh_until {
                        self.refresh_in_background();
                    }
                    return Ok(current.credentials);
                }
                Some(_) => {}
            }
        }
        self.fetch_now().await.map(|issued| issued.credentials)
    }

    fn current(&self) -> Option<IssuedCredentials> {
        self.inner
            .current
            .read()
            .map(|current| current.clone())
            .unwrap_or(None)
    }

    /// Fetches unless another caller is fetching; then takes what that one got, its
    /// credentials or its error.
    async fn fetch_now(&self) -> Result<IssuedCredentials, CredentialsError> {
        let asked = Instant::now();
        let _guard = self.inner.fetching.lock().await;
        let failed_meanwhile = self
            .inner
            .last_error
            .lock()
            .ok()
            .and_then(|last| last.clone())
            .filter(|(at, _)| *at >= asked);
        if let Some((_, err)) = failed_meanwhile {
            return Err(err);
        }
        if let Some(current) = self.current() {
            if current
                .expires_at
                .is_none_or(|expires_at| expires_at > SystemTime::now())
            {
                return Ok(current);
            }
        }
        self.fetch_locked().await
    }

    /// Fetches and stores; the caller holds `fetching`.
    async fn fetch_locked(&self) -> Result<IssuedCredentials, CredentialsError> {
        let provider = &self.inner.provider;
        let result = tokio::time::timeout(Self::LOAD_TIMEOUT, provider.provide())
            .await
            .unwrap_or_else(|_| {
                Err(CredentialsError::provider(
                    provider.name(),
                    format!("no credentials within {:?}", Self::LOAD_TIMEOUT),
                ))
            });
        match &result {
            Ok(issued) => {
                if let Ok(mut current) = self.inner.current.write() {
                    *current = Some(issued.clone());
                }
            }
            Err(err) => {
                if let Ok(mut last) = self.inner.last_error.lock() {
                    *last = Some((Instant::now(), err.clone()));
                }
            }
        }
        result
    }

    /// Starts one background refresh, unless one is running or the last failed recently
    /// (or there is no Tokio runtime to run it on: the next call that finds the
    /// credentials expired fetches them itself).
    fn refresh_in_background(&self) {
        let recently_failed = self
            .inner
            .last_failure
            .lock()
            .ok()
            .and_then(|last| *last)
            .and_then(|at| at.elapsed().ok())
            .is_some_and(|elapsed| elapsed < Self::RETRY_AFTER_FAILURE);
        if recently_failed {
            return;
        }
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let Ok(guard) = self.inner.fetching.clone().try_lock_owned() else {
            return;
        };
        let cache = self.clone();
        handle.spawn(async move {
            let _guard = guard;
            match cache.fetch_locked().await {
                Ok(_) => tracing::debug!(provider = cache.provider_name(), "credentials refreshed"),
                Err(err) => {
                    tracing::debug!(error = %err, "refreshing credentials failed; the current ones stay in use");
                    if let Ok(mut last) = cache.inner.last_failure.lock() {
                        *last = Some(SystemTime::now());
                    }
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Hangs;

    impl ProvideCredentials for Hangs {
        fn name(&self) -> &'static str {
            "hangs"
        }

        fn provide(&self) -> ProvideFuture<'_> {
            Box::pin(std::future::pending())
        }
    }

    fn env_of(vars: &'static [(&'static str, &'static str)]) -> EnvProvider {
        EnvProvider::new().lookup(move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        })
    }

    fn access_key_of(provider: &EnvProvider) -> Option<String> {
        let credentials = provider.read().expect("no error")?;
        Some(credentials.access_key().to_string())
    }

    #[test]
    fn the_official_names_win_and_the_samples_names_are_the_fallback_pair() {
        const SAMPLES: &[(&str, &str)] =
            &[("CLOUD_SDK_AK", "sample-ak"), ("CLOUD_SDK_SK", "sample-sk")];
        assert_eq!(
            access_key_of(&env_of(SAMPLES)).as_deref(),
            Some("sample-ak")
        );
        const BOTH: &[(&str, &str)] = &[
            ("HUAWEICLOUD_SDK_AK", "official-ak"),
            ("HUAWEICLOUD_SDK_SK", "official-sk"),
            ("CLOUD_SDK_AK", "sample-ak"),
            ("CLOUD_SDK_SK", "sample-sk"),
        ];
        assert_eq!(access_key_of(&env_of(BOTH)).as_deref(), Some("official-ak"));
        // One official key and the other from the samples' names is not a pair.
        const MIXED: &[(&str, &str)] = &[
            ("HUAWEICLOUD_SDK_AK", "official-ak"),
            ("CLOUD_SDK_SK", "sample-sk"),
        ];
        let err = env_of(MIXED).read().expect_err("half a pair");
        assert!(err.to_string().contains("not HUAWEICLOUD_SDK_SK"), "{err}");
        assert!(!err.to_string().contains("sample-sk"), "{err}");
        assert_eq!(access_key_of(&env_of(&[])), None);
        assert_eq!(
            samples_name("HUAWEICLOUD_SDK_PROJECT_ID").as_deref(),
            Some("CLOUD_SDK_PROJECT_ID")
        );
        assert_eq!(samples_name("HOME"), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_provider_that_hangs_fails_after_the_load_timeout() {
        let err = CredentialsCache::new(Hangs)
            .credentials()
            .await
            .expect_err("no answer");
        assert_eq!(err.to_string(), "hangs: no credentials within 30s");
    }

    #[test]
    fn utc_times_are_read_as_the_sdk_writes_them() {
        let at = |s| parse_utc(s).map(|t| t.duration_since(SystemTime::UNIX_EPOCH).unwrap());
        assert_eq!(at("1970-01-01T00:00:00Z"), Some(Duration::ZERO));
        assert_eq!(
            at("2024-02-29T12:30:15.250000Z"),
            Some(Duration::new(1_709_209_815, 250_000_000))
        );
        assert_eq!(at("2024-13-01T00:00:00Z"), None);
        assert_eq!(at("2024-01-01 00:00:00"), None);
        assert_eq!(at("2024-01-01T00:00:00.xZ"), None);
    }

    #[test]
    fn ini_sections_are_read_like_configparser() {
        let text = "; comment\n[global]\nak = g\n[basic]\nAK = a\nsk: s\n\n# end\n";
        let basic = ini_section(text, "basic").unwrap().unwrap();
        assert_eq!(
            basic,
            vec![
                ("ak".to_string(), "a".to_string()),
                ("sk".to_string(), "s".to_string())
            ]
        );
        assert_eq!(ini_section(text, "other").unwrap(), None);
        let err = ini_section("[basic]\nSECRETVALUE\n", "basic").unwrap_err();
        assert_eq!(err.0, 2);
        assert!(!err.1.contains("SECRETVALUE"));
    }

    #[test]
    fn the_security_key_answer_takes_the_sdks_spellings() {
        let issued = parse_security_key(
            r#"{"credentials":{"accessKeyId":"A","secretAccessKey":"S","securityToken":"T","expiration":"2030-01-01T00:00:00.000000Z"}}"#,
        )
        .unwrap();
        assert_eq!(issued.credentials.access_key(), "A");
        assert!(issued.expires_at.is_some());
        assert_eq!(
            parse_security_key(r#"{"credential":{"access":"A"}}"#).unwrap_err(),
            "has no secret key"
        );
        assert_eq!(parse_security_key("<html>").unwrap_err(), "is not JSON");
    }
}
