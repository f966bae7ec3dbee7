//! Client configuration: endpoints, server variables, credentials, timeouts, retries,
//! the HTTP client and interceptors.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use apig_signer::{Credentials, SecretString};

use super::credentials::{CredentialsCache, EnvProvider, ProvideCredentials};
use super::intercept::Interceptor;
use super::SecuritySpec;

/// Reads an environment variable (the process environment unless a test gives another).
pub(crate) type Lookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// How requests are authenticated.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub enum Auth {
    /// No authentication header (for local mocks that do not check callers).
    #[default]
    None,
    /// AK/SK request signing (`SDK-HMAC-SHA256`), optionally with a security token for
    /// temporary credentials.
    Signed(Credentials),
    /// AK/SK request signing with credentials asked of a provider for every request
    /// (through its cache, so that temporary credentials are refreshed before they
    /// expire).
    Provider(CredentialsCache),
    /// An IAM token sent in the spec's token header (`X-Auth-Token`).
    Token(SecretString),
}

/// When and how often a failed request is tried again.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 turns retrying off.
    pub max_retries: u32,
    /// The first backoff; each retry doubles it, up to `max_delay`, with full jitter.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// The longest `Retry-After` the client waits for; a longer one ends the retries.
    pub max_retry_after: Duration,
    /// Operation ids that may be retried even though their method is not idempotent
    /// (for example a POST the caller knows is safe to repeat).
    pub non_idempotent_allowed: BTreeSet<String>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
            non_idempotent_allowed: BTreeSet::new(),
        }
    }
}

/// Everything about a client that is not a client-level parameter of the spec.
///
/// `Debug` never shows secrets: credentials and tokens print as `<redacted>`.
#[derive(Clone)]
pub struct Config {
    pub(crate) endpoints: BTreeMap<String, String>,
    pub(crate) variables: BTreeMap<String, String>,
    pub(crate) auth: Auth,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    /// `None`: the generated crate's `name/version`.
    pub(crate) user_agent: Option<String>,
    /// A problem found while reading the environment, reported when the client is built.
    pub(crate) env_problem: Option<String>,
    /// The HTTP client the user gave; `None`: one made from the timeouts.
    pub(crate) http: Option<reqwest::Client>,
    /// The longest a call may take in all, retries and their pauses included.
    pub(crate) deadline: Option<Duration>,
    pub(crate) interceptors: Vec<Arc<dyn Interceptor>>,
    /// Where region overrides (`HUAWEICLOUD_SDK_REGION_*`, the regions file) are read.
    pub(crate) lookup: Lookup,
    /// The fake that answers instead of the network.
    #[cfg(feature = "test-util")]
    pub(crate) transport: Option<Arc<super::fake::FakeTransport>>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("endpoints", &self.endpoints)
            .field("variables", &self.variables)
            .field("auth", &self.auth)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("own_http_client", &self.http.is_some())
            .field("interceptors", &self.interceptors)
            .finish_non_exhaustive()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            endpoints: BTreeMap::new(),
            variables: BTreeMap::new(),
            auth: Auth::None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            user_agent: None,
            env_problem: None,
            http: None,
            deadline: None,
            interceptors: Vec::new(),
            lookup: Arc::new(|name: &str| std::env::var(name).ok()),
            #[cfg(feature = "test-util")]
            transport: None,
        }
    }
}

impl Config {
    /// Sets a variable of the spec's server URLs (such as `region`).
    pub fn server_variable(mut self, name: &str, value: impl Into<String>) -> Self {
        self.variables.insert(name.to_string(), value.into());
        self
    }

    /// Sends requests for the service named `service` (its tag) to `url`.
    pub fn endpoint(mut self, service: &str, url: impl Into<String>) -> Self {
        self.endpoints.insert(service.to_string(), url.into());
        self
    }

    /// Signs every request with these AK/SK credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.auth = Auth::Signed(credentials);
        self
    }

    /// Signs every request with temporary credentials: AK/SK plus a security token, which
    /// is sent (and signed) as `X-Security-Token`.
    pub fn temporary_credentials(
        self,
        access_key: impl Into<String>,
        secret_key: impl Into<SecretString>,
        security_token: impl Into<SecretString>,
    ) -> Self {
        self.credentials(
            Credentials::new(access_key, secret_key).with_security_token(security_token),
        )
    }

    /// Signs every request with credentials from `provider`, asked through a
    /// [`CredentialsCache`] (refreshed ahead of expiry, one fetch at a time). The
    /// provider is first asked when the first request is sent, not when the client is
    /// built.
    pub fn credentials_provider(self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials_cache(CredentialsCache::new(provider))
    }

    /// Signs every request with credentials from this cache (to share one cache between
    /// clients, or to set another refresh-ahead time).
    pub fn credentials_cache(mut self, cache: CredentialsCache) -> Self {
        self.auth = Auth::Provider(cache);
        self
    }

    /// Signs with the official SDK's default chain ([`crate::credentials::DefaultChain`]):
    /// the environment, the profile file, then the ECS/CCE metadata service.
    pub fn default_credentials_chain(self) -> Self {
        self.credentials_provider(super::credentials::DefaultChain::new())
    }

    /// Sends every request through this HTTP client (a proxy, a custom CA, a connection
    /// pool shared with the application). Its own settings apply: [`Config::connect_timeout`]
    /// is not used then, while [`Config::timeout`] still limits each attempt.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The longest a call may take in all, every attempt and the pauses between retries
    /// included (default: no limit beyond [`Config::timeout`] per attempt). No retry
    /// starts that could not finish before it; when it passes, the call fails with
    /// [`crate::Error::Timeout`] of kind [`crate::TimeoutKind::Deadline`].
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Adds an interceptor, called before each attempt is signed and after each answer
    /// (see [`Interceptor`]). Interceptors run in the order they were added.
    pub fn interceptor(mut self, interceptor: impl Interceptor + 'static) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }

    /// Another source of environment variables for the region overrides
    /// (`HUAWEICLOUD_SDK_REGION_*`, `HUAWEICLOUD_SDK_REGIONS_FILE`, `HOME`), for tests.
    pub fn environment(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.lookup = Arc::new(lookup);
        self
    }

    /// Hands every request to this fake instead of sending it (feature `test-util`;
    /// a generated client's `Fake` sets it).
    #[cfg(feature = "test-util")]
    #[doc(hidden)]
    pub fn fake_transport(mut self, transport: Arc<super::fake::FakeTransport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Sends this IAM token with every request instead of signing.
    pub fn token(mut self, token: impl Into<SecretString>) -> Self {
        self.auth = Auth::Token(token.into());
        self
    }

    /// How long to wait for a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take in all, from connecting to the last byte of the
    /// answer (default 60 s). Retries get the same limit each.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Replaces the retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// How many times a failed request may be retried (default 3; 0 turns retrying off).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.retry.max_retries = max_retries;
        self
    }

    /// Fails if retries were enabled for an operation id the API does not have (a typo
    /// would otherwise silently leave the operation without retries).
    #[doc(hidden)]
    pub fn check_operations(&self, known: &[&str]) -> Result<(), BuildError> {
        match self
            .retry
            .non_idempotent_allowed
            .iter()
            .find(|op| !known.contains(&op.as_str()))
        {
            Some(operation) => Err(BuildError::UnknownOperation {
                operation: operation.clone(),
                known: known.join(", "),
            }),
            None => Ok(()),
        }
    }

    /// Allows retrying the operation `operation_id` (its `operationId` in the spec)
    /// after a 429/502/503/504 or a failure once the request may have reached the server,
    /// even though its method is not idempotent. Do this only for operations that are
    /// safe to repeat.
    pub fn retry_operation(mut self, operation_id: &str) -> Self {
        self.retry
            .non_idempotent_allowed
            .insert(operation_id.to_string());
        self
    }

    /// Sets the `User-Agent` header (by default the client crate's `name/version`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Reads AK/SK from the environment variables the spec's signing scheme names
    /// (`x-signing`; a generated client's `ClientBuilder::from_env` passes them in), and
    /// the security token of temporary keys from `HUAWEICLOUD_SDK_SECURITY_TOKEN`, now
    /// and once, unless authentication is already set. (The
    /// [`crate::credentials::EnvProvider`] of a credentials chain reads them when asked.)
    ///
    /// When only one of the two is set, building the client fails and says which one is
    /// missing.
    pub fn from_env(self, security: &SecuritySpec) -> Self {
        self.from_env_with(security, crate::credentials::env_var)
    }

    /// [`Config::from_env`] with another source of variables (for tests, or a
    /// configuration file).
    pub fn from_env_with(
        mut self,
        security: &SecuritySpec,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        if !matches!(self.auth, Auth::None) {
            return self;
        }
        let Some(signing) = security.signing else {
            return self;
        };
        let (Some(ak_name), Some(sk_name)) = (signing.access_key_env, signing.secret_key_env)
        else {
            return self;
        };
        let env = EnvProvider::new()
            .key_names(ak_name, sk_name)
            .lookup(move |name| lookup(name));
        match env.read() {
            Ok(Some(credentials)) => self.credentials(credentials),
            Ok(None) => self,
            Err(err) => {
                self.env_problem = Some(match err {
                    super::credentials::CredentialsError::Provider { reason, .. } => reason,
                    other => other.to_string(),
                });
                self
            }
        }
    }

    /// Checks that the authentication set here can be used with the spec's schemes.
    pub(crate) fn check(&self, security: &SecuritySpec) -> Result<(), BuildError> {
        if let Some(problem) = &self.env_problem {
            return Err(BuildError::Environment(problem.clone()));
        }
        match &self.auth {
            Auth::Signed(_) if security.signing.is_none() => Err(BuildError::Auth(
                "credentials are set but the spec defines no request-signing scheme".to_string(),
            )),
            Auth::Signed(credentials) if credentials.access_key().is_empty() => Err(
                BuildError::Auth("the access key (AK) of the credentials is empty".to_string()),
            ),
            Auth::Signed(credentials) if credentials.secret_key().is_empty() => Err(
                BuildError::Auth("the secret key (SK) of the credentials is empty".to_string()),
            ),
            Auth::Signed(credentials)
                if credentials
                    .security_token()
                    .is_some_and(|token| token.is_empty()) =>
            {
                Err(BuildError::Auth(
                    "the security token of the temporary credentials is empty".to_string(),
                ))
            }
            Auth::Provider(_) if security.signing.is_none() => Err(BuildError::Auth(
                "a credentials provider is set but the spec defines no request-signing scheme"
                    .to_string(),
            )),
            Auth::Token(_) if security.token_header.is_none() => Err(BuildError::Auth(
                "a token is set but the spec defines no token header".to_string(),
            )),
            Auth::Token(token) if token.is_empty() => {
                Err(BuildError::Auth("the IAM token is empty".to_string()))
            }
            _ => Ok(()),
        }
    }
}

/// Why a client could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// Something the client needs is not set, or the spec does not provide it.
    Missing(String),
    /// An endpoint that is not a usable base URL.
    Endpoint {
        service: String,
        url: String,
        reason: String,
    },
    /// A client-wide header value that HTTP cannot carry.
    InvalidHeader { name: String, reason: String },
    /// Credentials or a token that cannot be used with this spec.
    Auth(String),
    /// The environment or a file it names (the regions file) could not be read.
    Environment(String),
    /// Retries enabled for an operation the API does not have.
    UnknownOperation { operation: String, known: String },
    /// A server variable value (a region) that no server of the service takes.
    UnknownServerVariable {
        service: String,
        variable: String,
        value: String,
        /// The nearest allowed values, nearest first.
        close: Vec<String>,
        /// How many values are allowed.
        known: usize,
    },
    /// The HTTP client could not be created (boxed, so that the HTTP client's version
    /// is not part of this type).
    Http(Box<dyn std::error::Error + Send + Sync>),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Missing(message) | BuildError::Environment(message) => {
                f.write_str(message)
            }
            BuildError::Endpoint {
                service,
                url,
                reason,
            } => write!(
                f,
                "invalid endpoint `{url}` for service `{service}`: {reason}"
            ),
            BuildError::InvalidHeader { name, reason } => write!(
                f,
                "the value of client header `{name}` cannot be sent: {reason}"
            ),
            BuildError::Auth(message) => write!(f, "authentication: {message}"),
            BuildError::UnknownOperation { operation, known } => write!(
                f,
                "retries are enabled for `{operation}`, which is not an operation of this API; known: {known}"
            ),
            BuildError::UnknownServerVariable {
                service,
                variable,
                value,
                close,
                known,
            } => f.write_str(&describe_unknown(service, variable, value, close, *known)),
            BuildError::Http(source) => write!(f, "cannot create the HTTP client: {source}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http(source) => Some(&**source),
            _ => None,
        }
    }
}

fn describe_unknown(
    service: &str,
    variable: &str,
    value: &str,
    close: &[String],
    known: usize,
) -> String {
    let quoted: Vec<String> = close.iter().map(|c| format!("`{c}`")).collect();
    let suggestion = match quoted.as_slice() {
        [] => String::new(),
        [only] => format!("; did you mean {only}?"),
        [init @ .., last] => format!("; did you mean {} or {last}?", init.join(", ")),
    };
    let overrides = if variable == "region" {
        format!(
            ", or add the region with HUAWEICLOUD_SDK_REGION_{}_{} or ~/.huaweicloud/regions.yaml",
            service.to_ascii_uppercase(),
            value.replace('-', "_").to_ascii_uppercase()
        )
    } else {
        String::new()
    };
    format!(
        "unknown {variable} `{value}` for service `{service}`{suggestion} The spec lists {known} values of `{variable}` for it. Set an explicit endpoint with ClientBuilder::endpoint{overrides}"
    )
}
