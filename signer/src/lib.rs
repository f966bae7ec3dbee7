//! SDK-HMAC-SHA256 request signing (placeholder until the signer lands).
