//! A case: its conversation (citizens' words as text), what was collected, photos and history,
//! and the actions on it (answer, note, close, take, reopen, assign). An action goes through
//! the same case desk as the Telegram staff group. A refused action (a text over its limit)
//! shows the case again with what the staff member typed.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use minijinja::{Value, context};

use super::photo::photos_of;
use super::{case_value, find_case, message, render, text, time};
use crate::engine::{Msg, Slot};
use crate::lang::Lang;
use crate::staff::cases::{Actor, Case, Source, Staffer};
use crate::staff::desk::StaffAct;
use crate::store::{Finish, Role};
use crate::web::Console;
use crate::web::error::WebError;
use crate::web::extract::{Language, Posted, Staff};
use crate::web::form::{Query, limit};

/// What a refused action leaves on the page: which form, what was typed, why.
#[derive(Debug, Default)]
struct Draft {
    action: String,
    text: String,
    error: String,
}

pub(crate) async fn page(
    State(c): State<Arc<Console>>,
    Language(lang): Language,
    staff: Staff,
    Path(reference): Path<String>,
    Query(q): Query,
) -> Result<Response, WebError> {
    let case = find_case(&c.assistant, &reference).await?;
    let flash = q.get("done").map(|_| text(&c, lang, "web-done"));
    show(&c, lang, &staff, &case, flash, Draft::default()).await
}

fn who_wrote(incoming: bool, kind: &str) -> &'static str {
    match (incoming, kind) {
        (true, _) => "citizen",
        (false, "staff") => "staff",
        _ => "bot",
    }
}

/// The case page, with a flash message or a refused action's draft.
async fn show(
    c: &Console,
    lang: Lang,
    staff: &Staff,
    case: &Case,
    flash: Option<String>,
    draft: Draft,
) -> Result<Response, WebError> {
    let a = &c.assistant;
    let (lines, events, canned, users) = tokio::try_join!(
        a.store.transcript(&case.channel, &case.chat),
        a.store.case_events(case.reference),
        a.store.canned_replies(),
        a.store.staff_users(),
    )?;
    // Citizens' words are shown as text: the template escapes every value.
    let lines: Vec<Value> = lines
        .iter()
        .map(|l| {
            let who = who_wrote(l.incoming, &l.kind);
            context! { who, label => text(c, lang, &format!("web-from-{who}")), at => time(a, l.at_ms), body => l.body.clone() }
        })
        .collect();
    let slots: Vec<Value> = case
        .slots
        .iter()
        .map(|(name, v)| {
            let map = match v {
                Slot::Location { lat, lon } => {
                    Some(format!("https://www.openstreetmap.org/?mlat={lat:.5}&mlon={lon:.5}#map=18/{lat:.5}/{lon:.5}"))
                }
                _ => None,
            };
            let value = match v {
                Slot::District { id } => a.flows.places.get(id).map_or(id.clone(), |d| d.name(lang).to_string()),
                Slot::Choice { label, .. } => a.locales.render(lang, &Msg::new(label)),
                other => other.value(),
            };
            context! { name => name.clone(), value, map }
        })
        .collect();
    let photos: Vec<usize> = (0..photos_of(case, &events).len()).collect();
    let events: Vec<Value> = events
        .iter()
        .map(|e| {
            let who = match &e.actor {
                Actor::Staff(s) => s.name.clone(),
                other => text(c, lang, &format!("web-actor-{}", other.code())),
            };
            context! {
                at => time(a, e.at_ms), kind => e.kind.code(), who, source => e.source.code(),
                status => e.status.map(|s| s.code()), body => e.body.clone(),
            }
        })
        .collect();
    let canned: Vec<Value> =
        canned.iter().map(|x| context! { id => x.id, lang => x.lang.clone(), title => x.title.clone() }).collect();
    let colleagues: Vec<String> = users.into_iter().filter(|u| !u.disabled).map(|u| u.name).collect();
    let now = Utc::now().timestamp_millis();
    let status = if draft.error.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let draft = context! { action => draft.action, text => draft.text, error => draft.error };
    let ctx = context! {
        case => case_value(a, case, lang, now), lines, slots, events, canned, colleagues, photos, flash, draft,
    };
    let mut page = render(c, "case.html", lang, Some(staff), ctx)?;
    *page.status_mut() = status;
    Ok(page)
}

pub(crate) async fn act(
    State(c): State<Arc<Console>>,
    Language(lang): Language,
    Path(reference): Path<String>,
    Posted { staff, fields }: Posted,
) -> Result<Response, WebError> {
    let a = &c.assistant;
    let case = find_case(a, &reference).await?;
    let action = fields.text("action", limit::SHORT)?;
    let text = match fields.text("text", limit::TEXT) {
        Ok(text) => text,
        Err(e @ WebError::TooLong { .. }) => {
            let draft = Draft { action, text: fields.typed("text", usize::MAX), error: message(&c, lang, &e) };
            return show(&c, lang, &staff, &case, None, draft).await;
        }
        Err(e) => return Err(e),
    };
    let me = Staffer { id: format!("web:{}", staff.name()), name: staff.name().to_string() };
    let act = match action.as_str() {
        "reply" => {
            let canned = match fields.get("canned").and_then(|id| id.parse::<i64>().ok()) {
                Some(id) => a.store.canned_replies().await?.into_iter().find(|x| x.id == id),
                None => None,
            };
            match (text.is_empty(), canned) {
                (true, Some(canned)) => StaffAct::Reply(canned.body),
                (false, _) => StaffAct::Reply(text),
                (true, None) => return Err(WebError::Missing),
            }
        }
        "note" if !text.is_empty() => StaffAct::Note(text),
        "close" => StaffAct::Close(Some(text).filter(|t| !t.is_empty())),
        "take" => StaffAct::Take,
        "reopen" => StaffAct::Reopen,
        "assign" => {
            staff.clone().require(Role::Supervisor)?;
            match a.store.staff_user(&text).await?.filter(|u| !u.disabled) {
                Some(u) => StaffAct::Assign(Staffer { id: format!("web:{}", u.name), name: u.name }),
                None => return Err(WebError::Missing),
            }
        }
        _ => return Err(WebError::Missing),
    };
    let now = Utc::now();
    let handled = a.staff_act(&case, &me, Source::Console, act, now).await?;
    // Another process (the Telegram service) sends what this writes to the outbox.
    let mut finish = Finish { at_ms: now.timestamp_millis(), external: true, ..Finish::default() };
    let record = a.staff_record(&case, handled, &mut finish, now);
    a.store.finish(Some(record), finish).await?;
    Ok(Redirect::to(&format!("/cases/{}?done=1", a.cases.show(case.reference))).into_response())
}
