//! The console's pages, one file per resource, and what they share: rendering a template in
//! the staff member's language, the layer that decides that language and turns every
//! `WebError` into a page in it, and how a case and a time are shown.

pub(crate) mod audit;
pub(crate) mod canned;
pub(crate) mod case;
pub(crate) mod dashboard;
pub(crate) mod login;
pub(crate) mod photo;
pub(crate) mod queue;

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};
use minijinja::{Value, context};

use super::Console;
use super::error::{ErrorPage, WebError};
use super::extract::{Language, Staff};
use crate::assistant::Assistant;
use crate::engine::Msg;
use crate::lang::Lang;
use crate::staff::cases::{Case, CaseRef};
use crate::store::Role;

/// A case by the reference in the address; 404 when there is none.
async fn find_case(a: &Assistant, reference: &str) -> Result<Case, WebError> {
    let reference = CaseRef::parse(reference).ok_or(WebError::NotFound("web-no-such-case"))?;
    a.store.case(reference).await?.ok_or(WebError::NotFound("web-no-such-case"))
}

/// A time in the calendar's time zone, to the minute.
fn time(a: &Assistant, ms: i64) -> String {
    let at = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
    a.locales.calendar.local_time(at).format("%Y-%m-%d %H:%M").to_string()
}

/// A Fluent text of the console.
fn text(c: &Console, lang: Lang, id: &str) -> String {
    c.assistant.locales.render(lang, &Msg::new(id))
}

/// Renders a page: `t("id")` in the template is the language's Fluent text; with a staff
/// member, the header shows them and the sign-out form carries their token.
fn render(c: &Console, name: &str, lang: Lang, staff: Option<&Staff>, ctx: Value) -> Result<Response, WebError> {
    let locales = c.assistant.clone();
    let t = Value::from_function(move |id: String| locales.locales.render(lang, &Msg::new(&id)));
    let other = match lang {
        Lang::Bg => Lang::En,
        Lang::En => Lang::Bg,
    };
    let user = staff.map(|s| {
        context! {
            name => s.name(),
            role => s.role().code(),
            supervisor => s.role() >= Role::Supervisor,
            admin => s.role() >= Role::Admin,
        }
    });
    let csrf = staff.map(|s| s.csrf.clone());
    let base = context! { t => t, lang => lang.code(), other_lang => other.code(), user, csrf };
    let ctx = context! { ..ctx, ..base };
    let html =
        c.templates.get_template(name).and_then(|tpl| tpl.render(ctx)).map_err(|e| WebError::Render(e.to_string()))?;
    Ok(Html(html).into_response())
}

/// Decides the request's language, then turns an error answered below into a page in it, and
/// remembers a language chosen with `?lang=` in a cookie.
pub(super) async fn in_language(State(c): State<Arc<Console>>, mut req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let lang = Language::of(&parts);
    let chosen = parts.uri.query().is_some_and(|q| q.split('&').any(|kv| kv.starts_with("lang=")));
    req = Request::from_parts(parts, body);
    req.extensions_mut().insert(lang);
    let mut response = next.run(req).await;
    if let Some(page) = response.extensions_mut().remove::<ErrorPage>() {
        let message = render_message(&c, lang.0, page);
        if let Ok(mut page) = render(&c, "error.html", lang.0, None, context! { error => message }) {
            *page.status_mut() = response.status();
            for (name, value) in response.headers() {
                if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                    page.headers_mut().append(name, value.clone());
                }
            }
            response = page;
        }
    }
    if chosen {
        let cookie = format!("sofia-lang={}; Path=/; SameSite=Strict; Max-Age=31536000", lang.0.code());
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

/// A case as the queue and the case page show it.
fn case_value(a: &Assistant, case: &Case, lang: Lang, now_ms: i64) -> Value {
    let district =
        case.district.as_deref().and_then(|d| a.flows.places.get(d)).map_or(String::new(), |d| d.name(lang).into());
    context! {
        reference => a.cases.show(case.reference),
        status => a.locales.render(lang, &Msg::new(&format!("case-status-{}", case.status.code()))),
        topic => a.topic_title(&case.topic),
        lang => case.lang.code(),
        district => district,
        opened => time(a, case.opened_ms),
        due => time(a, case.due_ms),
        overdue => case.is_overdue(now_ms),
        assignee => case.assignee.as_ref().map_or(String::new(), |s| s.name.clone()),
        summary => case.summary.chars().take(120).collect::<String>(),
        rating => case.rating,
    }
}

/// What an error says, in a language: to show it on the page of a refused form.
fn message(c: &Console, lang: Lang, e: &WebError) -> String {
    render_message(c, lang, e.page())
}

fn render_message(c: &Console, lang: Lang, page: ErrorPage) -> String {
    let mut msg = Msg::new(page.id);
    msg.args = page.args.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    c.assistant.locales.render(lang, &msg)
}
