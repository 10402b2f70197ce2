//! Canned replies (supervisors): the list, adding one, deleting one. A refused addition (a
//! title or text over its limit) shows the page again with what was typed; deleting one that
//! does not exist answers 404.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use minijinja::{Value, context};

use super::{message, render};
use crate::lang::Lang;
use crate::web::Console;
use crate::web::error::WebError;
use crate::web::extract::{Language, Posted, Staff, Supervisor};
use crate::web::form::{Fields, limit};

/// The page, with what a refused addition typed and why it was refused.
async fn show(c: &Console, lang: Lang, staff: &Staff, typed: Option<(&Fields, String)>) -> Result<Response, WebError> {
    let canned = c.assistant.store.canned_replies().await?;
    let canned: Vec<Value> = canned
        .iter()
        .map(|x| context! { id => x.id, lang => x.lang.clone(), title => x.title.clone(), body => x.body.clone() })
        .collect();
    let draft = typed.as_ref().map(|(f, error)| {
        context! { lang => f.typed("lang", limit::SHORT), title => f.typed("title", usize::MAX), body => f.typed("body", usize::MAX), error }
    });
    let mut page = render(c, "canned.html", lang, Some(staff), context! { canned, draft })?;
    if typed.is_some() {
        *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(page)
}

pub(crate) async fn page(
    State(c): State<Arc<Console>>,
    Language(lang): Language,
    Supervisor(staff): Supervisor,
) -> Result<Response, WebError> {
    show(&c, lang, &staff, None).await
}

pub(crate) async fn add(
    State(c): State<Arc<Console>>,
    Language(lang): Language,
    _: Supervisor,
    Posted { staff, fields }: Posted,
) -> Result<Response, WebError> {
    let read = || -> Result<(String, String, String), WebError> {
        Ok((
            fields.text("lang", limit::SHORT)?,
            fields.text("title", limit::CANNED_TITLE)?,
            fields.text("body", limit::TEXT)?,
        ))
    };
    let (clang, title, body) = match read() {
        Ok(x) => x,
        Err(e @ WebError::TooLong { .. }) => {
            return show(&c, lang, &staff, Some((&fields, message(&c, lang, &e)))).await;
        }
        Err(e) => return Err(e),
    };
    if Lang::parse(&clang).is_none() || title.is_empty() || body.is_empty() {
        return Err(WebError::Missing);
    }
    c.assistant.store.save_canned(&clang, &title, &body, Utc::now().timestamp_millis()).await?;
    Ok(Redirect::to("/canned").into_response())
}

pub(crate) async fn delete(
    State(c): State<Arc<Console>>,
    _: Supervisor,
    Path(id): Path<String>,
    _: Posted,
) -> Result<Response, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound("web-no-such-canned"))?;
    if !c.assistant.store.delete_canned(id).await? {
        return Err(WebError::NotFound("web-no-such-canned"));
    }
    Ok(Redirect::to("/canned").into_response())
}
