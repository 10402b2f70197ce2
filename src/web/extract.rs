//! What a handler asks of a request, as extractors: the signed-in staff member (`Staff`), a
//! role (`Supervisor`, `Admin`), a form carrying its session's CSRF token (`Posted`), the
//! console's language (`Language`) and the client's address (`Client`). Each refuses with a
//! `WebError`, so that a handler's body starts where the checks end.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use chrono::Utc;

use super::Console;
use super::error::WebError;
use super::form::{Fields, Form};
use super::keys::same;
use crate::lang::Lang;
use crate::store::{Role, WebSession};

/// A signed-in staff member: a session that is still valid (not idle too long, not too old,
/// account enabled). Extracting it keeps the session alive.
#[derive(Debug, Clone)]
pub(super) struct Staff {
    pub session: WebSession,
    /// The token every form of this session carries.
    pub csrf: String,
}

impl Staff {
    pub(super) fn name(&self) -> &str {
        &self.session.user.name
    }

    pub(super) fn role(&self) -> Role {
        self.session.user.role
    }

    /// Refuses a staff member below `role`.
    pub(super) fn require(self, role: Role) -> Result<Staff, WebError> {
        if self.role() >= role { Ok(self) } else { Err(WebError::Forbidden) }
    }
}

impl FromRequestParts<Arc<Console>> for Staff {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, c: &Arc<Console>) -> Result<Self, WebError> {
        // A role extractor and a form in one handler read the session once.
        if let Some(staff) = parts.extensions.get::<Staff>() {
            return Ok(staff.clone());
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let id = jar.get(c.cookies.session).map(|k| k.value().to_string()).ok_or(WebError::SignIn)?;
        let store = &c.assistant.store;
        let session = store.web_session(&id).await?.ok_or(WebError::SignIn)?;
        let now = Utc::now().timestamp_millis();
        let idle = now - session.seen_ms > c.settings.idle.as_millis() as i64;
        let old = now - session.created_ms > c.settings.absolute.as_millis() as i64;
        if idle || old || session.user.disabled {
            store.end_web_session(&id).await?;
            return Err(WebError::SignIn);
        }
        store.touch_web_session(&id, now).await?;
        let staff = Staff { csrf: c.keys.session_csrf(&session.id), session };
        parts.extensions.insert(staff.clone());
        Ok(staff)
    }
}

/// A supervisor or an admin.
#[derive(Debug, Clone)]
pub(super) struct Supervisor(pub Staff);

impl FromRequestParts<Arc<Console>> for Supervisor {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, c: &Arc<Console>) -> Result<Self, WebError> {
        Ok(Supervisor(Staff::from_request_parts(parts, c).await?.require(Role::Supervisor)?))
    }
}

/// An admin.
#[derive(Debug, Clone)]
pub(super) struct Admin(pub Staff);

impl FromRequestParts<Arc<Console>> for Admin {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, c: &Arc<Console>) -> Result<Self, WebError> {
        Ok(Admin(Staff::from_request_parts(parts, c).await?.require(Role::Admin)?))
    }
}

/// A form posted by a signed-in staff member with its session's CSRF token (the `csrf`
/// field), read strictly. Without a session the browser goes to the login page; without the
/// token the form is refused.
#[derive(Debug, Clone)]
pub(super) struct Posted {
    pub staff: Staff,
    pub fields: Fields,
}

impl FromRequest<Arc<Console>> for Posted {
    type Rejection = WebError;

    async fn from_request(req: Request, c: &Arc<Console>) -> Result<Self, WebError> {
        let (mut parts, body) = req.into_parts();
        let staff = Staff::from_request_parts(&mut parts, c).await?;
        let Form(fields) = Form::from_request(Request::from_parts(parts, body), c).await?;
        if !fields.get("csrf").is_some_and(|t| same(t, &staff.csrf)) {
            return Err(WebError::Forbidden);
        }
        Ok(Posted { staff, fields })
    }
}

/// The console's language: `?lang=`, the `sofia-lang` cookie, or Bulgarian. The `pages`
/// layer decides it once per request (and remembers a `?lang=` choice in the cookie).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Language(pub Lang);

impl Language {
    pub(super) fn of(parts: &Parts) -> Language {
        let query = parts.uri.query().and_then(|q| Fields::parse(q.as_bytes()).ok()).unwrap_or_default();
        let jar = CookieJar::from_headers(&parts.headers);
        let lang = query
            .get("lang")
            .and_then(Lang::parse)
            .or_else(|| jar.get("sofia-lang").and_then(|c| Lang::parse(c.value())))
            .unwrap_or(Lang::Bg);
        Language(lang)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Language {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Language>().copied().unwrap_or_else(|| Language::of(parts)))
    }
}

/// The client's address for the login limits (see `client`); `None` when unknown.
#[derive(Debug, Clone, Copy)]
pub(super) struct Client(pub Option<IpAddr>);

impl FromRequestParts<Arc<Console>> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, c: &Arc<Console>) -> Result<Self, Self::Rejection> {
        Ok(Client(super::client::client_address(parts, &c.settings.trusted_proxies)))
    }
}
