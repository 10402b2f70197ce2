//! Signing in and out. The login form's token is bound to a pre-session cookie and the
//! console's secret; the limits are asked before any password is hashed; an unknown account
//! is checked against the decoy hash, so every failure costs the same and says the same. A
//! successful login gets a new session id and a device cookie for the account, which keeps
//! this browser out of the account's back-off from then on.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use chrono::Utc;
use minijinja::context;

use super::{render, text};
use crate::lang::Lang;
use crate::web::Console;
use crate::web::auth;
use crate::web::error::WebError;
use crate::web::extract::{Client, Language, Posted, Staff};
use crate::web::form::{Form, limit};
use crate::web::keys::same;
use crate::web::limiter::Who;

/// How long a login form stays valid.
const FORM_LIFE: Duration = Duration::from_secs(3600);
/// How long a browser is remembered as one that signed in to an account.
const DEVICE_LIFE: Duration = Duration::from_secs(365 * 24 * 3600);
/// Accounts a device cookie remembers (a shared desk).
const DEVICE_ACCOUNTS: usize = 4;

/// A console cookie: HttpOnly, SameSite=Strict, path /, Secure in secure mode.
fn cookie(c: &Console, name: &'static str, value: String, max_age: Option<Duration>) -> Cookie<'static> {
    // The cookie crate takes a maximum age only as its own `time` type: parse it instead.
    let age = max_age.map_or(String::new(), |age| format!("; Max-Age={}", age.as_secs()));
    let mut cookie = Cookie::parse(format!("{name}={value}{age}")).unwrap_or_else(|_| Cookie::new(name, String::new()));
    cookie.set_path("/");
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Strict);
    cookie.set_secure(c.settings.secure_cookies);
    cookie
}

pub(crate) async fn page(
    State(c): State<Arc<Console>>,
    Language(lang): Language,
    staff: Result<Staff, WebError>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    if staff.is_ok() {
        return Ok(Redirect::to("/").into_response());
    }
    form_page(&c, lang, jar, None, StatusCode::OK, "")
}

/// The login form, with a fresh nonce in a cookie and the form's token bound to it.
fn form_page(
    c: &Console,
    lang: Lang,
    jar: CookieJar,
    error: Option<String>,
    status: StatusCode,
    name: &str,
) -> Result<Response, WebError> {
    let nonce = auth::token();
    let csrf = c.keys.login_token(&nonce);
    let jar = jar.add(cookie(c, c.cookies.login, nonce, Some(FORM_LIFE)));
    let mut page = render(c, "login.html", lang, None, context! { csrf, error, name })?;
    *page.status_mut() = status;
    Ok((jar, page).into_response())
}

pub(crate) async fn login(
    State(c): State<Arc<Console>>,
    Language(lang): Language,
    Client(address): Client,
    jar: CookieJar,
    Form(form): Form,
) -> Result<Response, WebError> {
    let nonce = jar.get(c.cookies.login).map(|k| k.value().to_string()).unwrap_or_default();
    let sent = form.get("csrf").unwrap_or_default();
    if nonce.len() != 32 || !same(sent, &c.keys.login_token(&nonce)) {
        return Err(WebError::Forbidden);
    }
    let typed = form.typed("name", limit::NAME);
    let too_long = |e: WebError| {
        let message = super::message(&c, lang, &e);
        form_page(&c, lang, jar.clone(), Some(message), e.status(), &typed)
    };
    let name = match form.text("name", limit::NAME) {
        Ok(name) => name,
        Err(e) => return too_long(e),
    };
    let password = form.get("password").unwrap_or_default().to_string();
    if password.chars().count() > limit::PASSWORD {
        return too_long(WebError::TooLong { field: "password", max: limit::PASSWORD });
    }
    let fail = || {
        tracing::info!("a console login failed");
        form_page(&c, lang, jar.clone(), Some(text(&c, lang, "web-login-failed")), StatusCode::UNAUTHORIZED, &name)
    };
    let devices = jar.get(c.cookies.device).map(|k| k.value().to_string()).unwrap_or_default();
    let who = match c.keys.device_nonce(&devices, &name) {
        Some(nonce) => Who::Device(nonce),
        None => Who::Stranger { address, account: &name },
    };
    // Refused before hashing: a flood costs no CPU, and the answer is a wrong password's.
    if !c.limiter.allows(&who) {
        return fail();
    }
    let user = c.assistant.store.staff_user(&name).await?;
    // Always hash, so that an unknown account answers as slowly as a known one.
    let stored = user.as_ref().map_or_else(|| c.decoy.hash().to_string(), |u| u.hash.clone());
    let matches = {
        let _permit = c.hashing.acquire().await.map_err(|e| WebError::Render(e.to_string()))?;
        c.hashed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        tokio::task::spawn_blocking(move || auth::verify(&password, &stored)).await.unwrap_or(false)
    };
    let user = match user {
        Some(u) if matches && !u.disabled => u,
        _ => {
            c.limiter.failed(&who);
            return fail();
        }
    };
    // A new session id at every login; the old one, if any, ends.
    let store = &c.assistant.store;
    if let Some(old) = jar.get(c.cookies.session) {
        store.end_web_session(old.value()).await?;
    }
    let id = auth::token();
    if id.is_empty() {
        return Err(WebError::Render("no randomness for a session id".into()));
    }
    store.add_web_session(&id, user.id, &c.keys.session_csrf(&id), Utc::now().timestamp_millis()).await?;
    // This browser is now one that signed in to the account (and to the few others it had).
    let others = devices.split('_').filter(|e| e.len() == 65 && c.keys.device_nonce(e, &name).is_none());
    let mut entries: Vec<String> = others.map(str::to_string).collect();
    entries.truncate(DEVICE_ACCOUNTS - 1);
    entries.insert(0, c.keys.device_entry(&name));
    let jar = jar
        .add(cookie(&c, c.cookies.session, id, None))
        .remove(cookie(&c, c.cookies.login, String::new(), None))
        .add(cookie(&c, c.cookies.device, entries.join("_"), Some(DEVICE_LIFE)));
    Ok((jar, Redirect::to("/")).into_response())
}

pub(crate) async fn logout(
    State(c): State<Arc<Console>>,
    jar: CookieJar,
    posted: Posted,
) -> Result<Response, WebError> {
    c.assistant.store.end_web_session(&posted.staff.session.id).await?;
    let jar = jar.remove(cookie(&c, c.cookies.session, String::new(), None));
    Ok((jar, Redirect::to("/login")).into_response())
}
