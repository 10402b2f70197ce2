//! Layers every request passes: the security headers on every answer (a strict Content
//! Security Policy with no script, no framing, no sniffing, no caching, `same-origin`
//! referrers, HSTS in secure mode), a refusal of state-changing requests from other sites,
//! and a limit on the size of request headers (answered with a body).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Console;
use super::error::WebError;

/// The request headers the console reads, in bytes: far above what a browser sends it.
pub(super) const MAX_HEADERS: usize = 16 * 1024;

/// Adds the security headers to every answer.
pub(super) async fn secure_headers(State(c): State<Arc<Console>>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h: &mut HeaderMap = response.headers_mut();
    for (name, value) in [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // Not no-referrer: with it, browsers send `Origin: null` on form posts, and the
        // console could not tell its own forms from another site's.
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        h.insert(name, HeaderValue::from_static(value));
    }
    if c.settings.secure_cookies {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    response
}

/// Refuses a state-changing request unless the browser says it comes from the console's own
/// pages: `Sec-Fetch-Site: same-origin`, or, from a browser that does not send that header,
/// an `Origin` that is the console's own. A request with neither is refused too.
pub(super) async fn same_origin(State(c): State<Arc<Console>>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let h = req.headers();
    let ours = match h.get("sec-fetch-site") {
        Some(site) => site.as_bytes() == b"same-origin",
        None => {
            let scheme = if c.settings.secure_cookies { "https" } else { "http" };
            let host = h.get(header::HOST).and_then(|v| v.to_str().ok()).or(req.uri().authority().map(|a| a.as_str()));
            let origin = h.get(header::ORIGIN).and_then(|v| v.to_str().ok());
            matches!((origin, host), (Some(o), Some(host)) if o == format!("{scheme}://{host}"))
        }
    };
    if !ours {
        tracing::info!("a cross-origin request to the console was refused");
        return WebError::CrossOrigin.into_response();
    }
    next.run(req).await
}

/// Refuses requests whose headers exceed `MAX_HEADERS` bytes, with a body saying so.
pub(super) async fn header_limit(req: Request, next: Next) -> Response {
    let size: usize = req.headers().iter().map(|(k, v)| k.as_str().len() + v.len() + 4).sum();
    if size > MAX_HEADERS {
        return WebError::HeadersTooLarge.into_response();
    }
    next.run(req).await
}
