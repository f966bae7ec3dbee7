//! Access key, secret key and optional security token, with a `Debug` that hides the secrets.

use std::fmt;

use crate::canonical::signing_key;
use crate::sha256::HmacSha256;

/// A string that must not show up in logs: its `Debug` and `Display` print `"<redacted>"`.
///
/// The value is reachable only through [`SecretString::expose`], so every place that reads the
/// secret is easy to find. The memory is not wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        SecretString(value.into())
    }

    /// Returns the secret value. Call this only where the secret is actually used.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Returns `true` if the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        SecretString(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        SecretString(value.to_owned())
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A secret key made ready for signing: HMAC-SHA256 keyed with it.
///
/// Keying hashes two blocks, a third of the work of signing a request, so a signer or a
/// verifier that uses one secret key for many requests makes its `SigningKey` once:
/// [`Credentials`] keeps one, and a server's key store can keep one per access key for
/// [`crate::verify_keyed`]. It is derived from the secret key alone and is as secret; its
/// `Debug` output shows nothing of it.
#[derive(Clone)]
pub struct SigningKey(HmacSha256);

impl SigningKey {
    /// Keys HMAC-SHA256 with the UTF-8 bytes of `secret_key`.
    pub fn new(secret_key: &SecretString) -> Self {
        SigningKey(signing_key(secret_key.expose()))
    }

    pub(crate) fn hmac(&self) -> &HmacSha256 {
        &self.0
    }
}

impl From<&SecretString> for SigningKey {
    fn from(secret_key: &SecretString) -> Self {
        SigningKey::new(secret_key)
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(\"<redacted>\")")
    }
}

/// The credentials a request is signed with.
///
/// Permanent credentials are an access key (AK) and a secret key (SK). Temporary credentials add
/// a security token; the official SDK then sends it as the `X-Security-Token` header and signs
/// that header like any other, and [`crate::sign`] does the same.
#[derive(Clone)]
pub struct Credentials {
    access_key: String,
    secret_key: SecretString,
    security_token: Option<SecretString>,
    /// The secret key keyed once here rather than for every request.
    signing_key: SigningKey,
}

impl PartialEq for Credentials {
    /// Compares the keys and token; the keyed HMAC state follows from the secret key.
    fn eq(&self, other: &Self) -> bool {
        self.access_key == other.access_key
            && self.secret_key == other.secret_key
            && self.security_token == other.security_token
    }
}

impl Eq for Credentials {}

impl Credentials {
    /// Permanent credentials: an access key and a secret key.
    pub fn new(access_key: impl Into<String>, secret_key: impl Into<SecretString>) -> Self {
        let secret_key = secret_key.into();
        Credentials {
            access_key: access_key.into(),
            signing_key: SigningKey::new(&secret_key),
            secret_key,
            security_token: None,
        }
    }

    /// Temporary credentials: the same with a security token, sent as `X-Security-Token`.
    pub fn with_security_token(mut self, security_token: impl Into<SecretString>) -> Self {
        self.security_token = Some(security_token.into());
        self
    }

    /// The access key (AK). It is not a secret: it travels in every `Authorization` header.
    pub fn access_key(&self) -> &str {
        &self.access_key
    }

    /// The secret key (SK), used as the HMAC key.
    pub fn secret_key(&self) -> &SecretString {
        &self.secret_key
    }

    /// The security token of temporary credentials, if any.
    pub fn security_token(&self) -> Option<&SecretString> {
        self.security_token.as_ref()
    }

    /// The secret key keyed for HMAC-SHA256, which each signature starts from.
    pub fn signing_key(&self) -> &SigningKey {
        &self.signing_key
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key", &self.access_key)
            .field("secret_key", &self.secret_key)
            .field("security_token", &self.security_token)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_the_access_key_and_hides_the_secret_key_and_token() {
        let credentials = Credentials::new("AK_DEBUG", "SK_DEBUG_SECRET")
            .with_security_token("TOKEN_DEBUG_SECRET");
        let debug = format!("{credentials:?}");
        assert!(debug.contains("AK_DEBUG"), "{debug}");
        assert!(debug.contains("<redacted>"), "{debug}");
        assert!(!debug.contains("SK_DEBUG_SECRET"), "{debug}");
        assert!(!debug.contains("TOKEN_DEBUG_SECRET"), "{debug}");
        let pretty = format!("{credentials:#?}");
        assert!(!pretty.contains("SK_DEBUG_SECRET"), "{pretty}");
    }

    #[test]
    fn equality_ignores_nothing_but_the_derived_hmac_state() {
        let credentials = Credentials::new("AK", "SK");
        assert_eq!(credentials, Credentials::new("AK", "SK"));
        assert_eq!(credentials.clone(), credentials);
        assert_ne!(credentials, Credentials::new("AK", "SK2"));
        assert_ne!(credentials, Credentials::new("AK2", "SK"));
        assert_ne!(credentials, credentials.clone().with_security_token("T"));
    }

    #[test]
    fn a_signing_key_shows_nothing_of_the_secret() {
        let key = SigningKey::new(&SecretString::new("SK_DEBUG_SECRET"));
        assert_eq!(format!("{key:?}"), "SigningKey(\"<redacted>\")");
    }

    #[test]
    fn secret_string_display_is_redacted_and_expose_returns_the_value() {
        let secret = SecretString::new("hunter2");
        assert_eq!(secret.to_string(), "<redacted>");
        assert_eq!(secret.expose(), "hunter2");
    }
}
