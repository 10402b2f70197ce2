//! Webhook mode: Telegram POSTs each update to our URL and retries on anything but 2xx. The
//! secret header is compared in constant time before the body is read (401 otherwise), the
//! body is size-capped, and the update is committed to the inbox before the 200, so that an
//! answered request is never a lost update. TLS ends at a reverse proxy in front of this.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::post;
use teloxide::types::Update;

use super::poll::received;
use super::process::Processor;
use crate::store::Store;

/// The header Telegram sends the secret in.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";
/// Updates are small; a body larger than this is not from Telegram.
pub const MAX_BODY: usize = 1 << 20;

/// What the webhook route needs.
pub struct Hook {
    pub store: Store,
    /// Where new updates go; `None` stores them only.
    pub processor: Option<Processor>,
    pub secret: String,
}

/// The webhook route at `path` (the path of the public URL).
pub fn router(path: &str, hook: Arc<Hook>) -> Router {
    Router::new().route(path, post(receive)).with_state(hook)
}

async fn receive(State(hook): State<Arc<Hook>>, headers: HeaderMap, body: Body) -> StatusCode {
    let given = headers.get(SECRET_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
    if !same_secret(given, hook.secret.as_bytes()) {
        return StatusCode::UNAUTHORIZED;
    }
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY) {
        return StatusCode::PAYLOAD_TOO_LARGE;
    }
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return StatusCode::PAYLOAD_TOO_LARGE;
    };
    let update: Update = match serde_json::from_slice(&bytes) {
        Ok(u) => u,
        Err(_) => {
            tracing::warn!(bytes = bytes.len(), "a webhook body is not an update");
            return StatusCode::BAD_REQUEST;
        }
    };
    let mut update_row = received(&update);
    // Keep the update exactly as Telegram sent it.
    update_row.payload = String::from_utf8_lossy(&bytes).into_owned();
    match hook.store.receive(vec![update_row.clone()]).await {
        Ok(stored) => {
            if let (Some(p), true) = (&hook.processor, stored.contains(&update_row.update_id)) {
                // During a stop the processor takes nothing more; the update waits in the inbox.
                p.push_parsed(update_row, Some(update));
            }
            StatusCode::OK
        }
        Err(e) => {
            // Telegram tries again later.
            tracing::error!(error = %e, "an update could not be stored");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// Compares a given secret with the expected one in time that does not depend on where they
/// differ (only a different length shows).
pub fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    if given.len() != expected.len() || expected.is_empty() {
        return false;
    }
    let diff = given.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | std::hint::black_box(a ^ b));
    diff == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_match_only_when_equal() {
        assert!(same_secret(b"abc-DEF_123", b"abc-DEF_123"));
        assert!(!same_secret(b"abc-DEF_124", b"abc-DEF_123"));
        assert!(!same_secret(b"abc", b"abc-DEF_123"));
        assert!(!same_secret(b"", b""));
    }
}
