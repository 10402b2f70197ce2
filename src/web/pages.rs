//! The console's pages and actions. A page without a session sends the browser to the login
//! page; an action without the session's CSRF token, or above the account's role, is refused.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Form, Path, Query, State};
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use minijinja::{Value, context};

use super::Console;
use super::auth::{self, same};
use crate::channels::Assistant;
use crate::engine::Slot;
use crate::lang::Lang;
use crate::privacy::redact::redact;
use crate::staff::calendar::local_time;
use crate::staff::cases::{Actor, Case, CaseRef, Source, Staffer, Status};
use crate::staff::desk::StaffAct;
use crate::store::{CaseFilter, Finish, Role, WebSession};

type Params = HashMap<String, String>;

fn time(ms: i64) -> String {
    let at = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
    local_time(at).format("%Y-%m-%d %H:%M").to_string()
}

fn cookies(headers: &HeaderMap) -> HashMap<String, String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The console's language: `?lang=` (remembered in a cookie), the cookie, or Bulgarian.
fn language(headers: &HeaderMap, query: &Params) -> Lang {
    query
        .get("lang")
        .and_then(|l| Lang::parse(l))
        .or_else(|| cookies(headers).get("sofia-lang").and_then(|l| Lang::parse(l)))
        .unwrap_or(Lang::Bg)
}

/// Remembers a language chosen with `?lang=`.
fn with_lang(mut response: Response, query: &Params) -> Response {
    if let Some(lang) = query.get("lang").and_then(|l| Lang::parse(l)) {
        let cookie = format!("sofia-lang={}; Path=/; SameSite=Strict; Max-Age=31536000", lang.code());
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

fn set_cookie(response: &mut Response, c: &Console, name: &str, value: &str, max_age: Option<u64>) {
    let secure = if c.settings.secure_cookies { "; Secure" } else { "" };
    let age = max_age.map_or(String::new(), |s| format!("; Max-Age={s}"));
    let cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict{secure}{age}");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// The signed-in session, if it is still valid (not idle too long, not too old, account
/// enabled); using it keeps it alive.
async fn session(c: &Console, headers: &HeaderMap) -> Option<WebSession> {
    let id = cookies(headers).get(c.cookie()).cloned()?;
    let store = &c.assistant.store;
    let s = store.web_session(&id).await.ok()??;
    let now = Utc::now().timestamp_millis();
    let idle = now - s.seen_ms > c.settings.idle.as_millis() as i64;
    let old = now - s.created_ms > c.settings.absolute.as_millis() as i64;
    if idle || old || s.user.disabled {
        let _ = store.end_web_session(&id).await;
        return None;
    }
    let _ = store.touch_web_session(&id, now).await;
    Some(s)
}

fn user_value(s: &WebSession) -> Value {
    context! {
        name => s.user.name.clone(),
        role => s.user.role.code(),
        supervisor => s.user.role >= Role::Supervisor,
        admin => s.user.role >= Role::Admin,
    }
}

fn to_login() -> Response {
    Redirect::to("/login").into_response()
}

fn forbidden(c: &Console, lang: Lang) -> Response {
    (StatusCode::FORBIDDEN, c.text(lang, "web-forbidden")).into_response()
}

/// A form's CSRF token against the session's.
fn csrf_ok(s: &WebSession, form: &Params) -> bool {
    form.get("csrf").is_some_and(|t| same(t, &s.csrf))
}

pub(super) async fn login_page(State(c): State<Arc<Console>>, headers: HeaderMap, Query(q): Query<Params>) -> Response {
    if session(&c, &headers).await.is_some() {
        return Redirect::to("/").into_response();
    }
    login_form(&c, language(&headers, &q), None, StatusCode::OK, &q)
}

/// The login form, with a fresh token tying the form to this browser (a cookie it must send
/// back with the same value).
fn login_form(c: &Console, lang: Lang, error: Option<String>, status: StatusCode, q: &Params) -> Response {
    let token = auth::token();
    let mut r = c.render("login.html", lang, context! { csrf => token.clone(), error => error });
    *r.status_mut() = status;
    set_cookie(&mut r, c, "sofia-login", &token, Some(3600));
    with_lang(r, q)
}

pub(super) async fn login(
    State(c): State<Arc<Console>>,
    headers: HeaderMap,
    extensions: Extensions,
    Query(q): Query<Params>,
    Form(form): Form<Params>,
) -> Response {
    let lang = language(&headers, &q);
    let fail = |c: &Console| login_form(c, lang, Some(c.text(lang, "web-login-failed")), StatusCode::UNAUTHORIZED, &q);
    let token_ok = match (cookies(&headers).get("sofia-login"), form.get("csrf")) {
        (Some(a), Some(b)) => same(a, b),
        _ => false,
    };
    if !token_ok {
        return (StatusCode::FORBIDDEN, c.text(lang, "web-forbidden")).into_response();
    }
    let address = extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or_else(|| "local".to_string(), |ci| ci.0.ip().to_string());
    let name = form.get("name").map(|n| n.trim().to_string()).unwrap_or_default();
    let password = form.get("password").cloned().unwrap_or_default();
    let user = c.assistant.store.staff_user(&name).await.ok().flatten();
    let allowed = c.limiter.allows(&address, &name);
    // Always hash, so that an unknown account answers as slowly as a known one.
    let stored = user.as_ref().map_or_else(|| auth::decoy().to_string(), |u| u.hash.clone());
    let matches = tokio::task::spawn_blocking(move || auth::verify(&password, &stored)).await.unwrap_or(false);
    let user = match user {
        Some(u) if allowed && matches && !u.disabled => u,
        _ => {
            c.limiter.failed(&address, &name);
            tracing::info!("a console login failed");
            return fail(&c);
        }
    };
    c.limiter.succeeded(&name);
    // A new session id at every login; the old one, if any, ends.
    if let Some(old) = cookies(&headers).get(c.cookie()) {
        let _ = c.assistant.store.end_web_session(old).await;
    }
    let (id, csrf) = (auth::token(), auth::token());
    if id.is_empty() || csrf.is_empty() {
        return (StatusCode::INTERNAL_SERVER_ERROR, "no randomness").into_response();
    }
    if c.assistant.store.add_web_session(&id, user.id, &csrf, Utc::now().timestamp_millis()).await.is_err() {
        return (StatusCode::INTERNAL_SERVER_ERROR, "the session could not be stored").into_response();
    }
    let mut r = Redirect::to("/").into_response();
    set_cookie(&mut r, &c, c.cookie(), &id, None);
    set_cookie(&mut r, &c, "sofia-login", "", Some(0));
    r
}

pub(super) async fn logout(State(c): State<Arc<Console>>, headers: HeaderMap, Form(form): Form<Params>) -> Response {
    let Some(s) = session(&c, &headers).await else { return to_login() };
    if !csrf_ok(&s, &form) {
        return forbidden(&c, Lang::Bg);
    }
    let _ = c.assistant.store.end_web_session(&s.id).await;
    let mut r = to_login();
    set_cookie(&mut r, &c, c.cookie(), "", Some(0));
    r
}

/// A case as the pages show it.
fn case_value(a: &Assistant, case: &Case, lang: Lang, now_ms: i64) -> Value {
    let district =
        case.district.as_deref().and_then(|d| a.flows.places.get(d)).map_or(String::new(), |d| d.name(lang).into());
    context! {
        reference => a.cases.show(case.reference),
        status => a.locales.render(lang, &crate::engine::Msg::new(&format!("case-status-{}", case.status.code()))),
        topic => a.topic_title(&case.topic),
        lang => case.lang.code(),
        district => district,
        opened => time(case.opened_ms),
        due => time(case.due_ms),
        overdue => case.is_overdue(now_ms),
        assignee => case.assignee.as_ref().map_or(String::new(), |s| s.name.clone()),
        summary => case.summary.chars().take(120).collect::<String>(),
        rating => case.rating,
    }
}

pub(super) async fn queue(State(c): State<Arc<Console>>, headers: HeaderMap, Query(q): Query<Params>) -> Response {
    let lang = language(&headers, &q);
    let Some(s) = session(&c, &headers).await else { return to_login() };
    let a = &c.assistant;
    let all = match a.store.cases(&CaseFilter::default()).await {
        Ok(all) => all,
        Err(e) => return store_error(e),
    };
    let get = |k: &str| q.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let (status, topic, clang, district, text) = (get("status"), get("topic"), get("clang"), get("district"), get("q"));
    let wanted = |case: &Case| {
        let by_status = if status.is_empty() { case.status.is_open() } else { case.status.code() == status };
        let search = text.to_lowercase();
        by_status
            && (topic.is_empty() || case.topic == topic)
            && (clang.is_empty() || case.lang.code() == clang)
            && (district.is_empty() || case.district.as_deref() == Some(district.as_str()))
            && (search.is_empty()
                || a.cases.show(case.reference).to_lowercase().contains(&search)
                || case.summary.to_lowercase().contains(&search)
                || case.slots.values().any(|v| v.value().to_lowercase().contains(&search)))
    };
    let now = Utc::now().timestamp_millis();
    let cases: Vec<Value> = all.iter().filter(|c| wanted(c)).map(|case| case_value(a, case, lang, now)).collect();
    let status_name =
        |s: Status| a.locales.render(lang, &crate::engine::Msg::new(&format!("case-status-{}", s.code())));
    let counts: Vec<Value> = Status::ALL
        .iter()
        .map(|st| context! { status => st.code(), label => status_name(*st), n => all.iter().filter(|c| c.status == *st).count() })
        .collect();
    let statuses: Vec<Value> =
        Status::ALL.iter().map(|st| context! { code => st.code(), label => status_name(*st) }).collect();
    let ctx = context! {
        user => user_value(&s), csrf => s.csrf.clone(), cases, counts, statuses,
        status, topic, clang, district, q => text,
    };
    with_lang(c.render("queue.html", lang, ctx), &q)
}

fn store_error(e: crate::store::StoreError) -> Response {
    tracing::error!(error = %e, "the console could not read the store");
    (StatusCode::INTERNAL_SERVER_ERROR, "the database could not be read").into_response()
}

async fn find_case(a: &Assistant, reference: &str) -> Option<Case> {
    a.store.case(CaseRef::parse(reference)?).await.ok().flatten()
}

pub(super) async fn case_page(
    State(c): State<Arc<Console>>,
    headers: HeaderMap,
    Path(reference): Path<String>,
    Query(q): Query<Params>,
) -> Response {
    let lang = language(&headers, &q);
    let Some(s) = session(&c, &headers).await else { return to_login() };
    let a = &c.assistant;
    let Some(case) = find_case(a, &reference).await else {
        return (StatusCode::NOT_FOUND, c.text(lang, "web-no-such-case")).into_response();
    };
    let (lines, events, canned, users) = match tokio::try_join!(
        a.store.transcript(&case.channel, &case.chat),
        a.store.case_events(case.reference),
        a.store.canned_replies(),
        a.store.staff_users(),
    ) {
        Ok(all) => all,
        Err(e) => return store_error(e),
    };
    // Citizens' words are shown as text: the template escapes every value.
    let lines: Vec<Value> = lines
        .iter()
        .map(|l| {
            let who = match (l.incoming, l.kind.as_str()) {
                (true, _) => "citizen",
                (false, "staff") => "staff",
                _ => "bot",
            };
            context! { who, label => c.text(lang, &format!("web-from-{who}")), at => time(l.at_ms), body => l.body.clone() }
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
                Slot::Choice { label, .. } => a.locales.render(lang, &crate::engine::Msg::new(label)),
                other => other.value(),
            };
            context! { name => name.clone(), value, map }
        })
        .collect();
    let events: Vec<Value> = events
        .iter()
        .map(|e| {
            let who = match &e.actor {
                Actor::Staff(s) => s.name.clone(),
                other => c.text(lang, &format!("web-actor-{}", other.code())),
            };
            context! {
                at => time(e.at_ms), kind => e.kind.code(), who, source => e.source.code(),
                status => e.status.map(|s| s.code()), body => e.body.clone(),
            }
        })
        .collect();
    let canned: Vec<Value> =
        canned.iter().map(|x| context! { id => x.id, lang => x.lang.clone(), title => x.title.clone() }).collect();
    let photos: Vec<usize> =
        (0..photos_of(&case, &a.store.case_events(case.reference).await.unwrap_or_default()).len()).collect();
    let colleagues: Vec<String> = users.into_iter().filter(|u| !u.disabled).map(|u| u.name).collect();
    let now = Utc::now().timestamp_millis();
    let ctx = context! {
        user => user_value(&s), csrf => s.csrf.clone(), case => case_value(a, &case, lang, now),
        lines, slots, events, canned, colleagues, photos, flash => q.get("done").map(|_| c.text(lang, "web-done")),
    };
    with_lang(c.render("case.html", lang, ctx), &q)
}

pub(super) async fn act(
    State(c): State<Arc<Console>>,
    headers: HeaderMap,
    Path(reference): Path<String>,
    Form(form): Form<Params>,
) -> Response {
    let lang = language(&headers, &Params::new());
    let Some(s) = session(&c, &headers).await else { return to_login() };
    if !csrf_ok(&s, &form) {
        return forbidden(&c, lang);
    }
    let a = &c.assistant;
    let Some(case) = find_case(a, &reference).await else {
        return (StatusCode::NOT_FOUND, c.text(lang, "web-no-such-case")).into_response();
    };
    let text = form.get("text").map(|t| t.trim().to_string()).unwrap_or_default();
    let me = Staffer { id: format!("web:{}", s.user.name), name: s.user.name.clone() };
    let act = match form.get("action").map(String::as_str) {
        Some("reply") => {
            let canned = match form.get("canned").and_then(|id| id.parse::<i64>().ok()) {
                Some(id) => a.store.canned_replies().await.ok().and_then(|all| all.into_iter().find(|x| x.id == id)),
                None => None,
            };
            match (text.is_empty(), canned) {
                (true, Some(canned)) => StaffAct::Reply(canned.body),
                (false, _) => StaffAct::Reply(text),
                (true, None) => return (StatusCode::BAD_REQUEST, c.text(lang, "web-empty")).into_response(),
            }
        }
        Some("note") if !text.is_empty() => StaffAct::Note(text),
        Some("close") => StaffAct::Close(Some(text).filter(|t| !t.is_empty())),
        Some("take") => StaffAct::Take,
        Some("reopen") => StaffAct::Reopen,
        Some("assign") => {
            if s.user.role < Role::Supervisor {
                return forbidden(&c, lang);
            }
            match a.store.staff_user(&text).await.ok().flatten().filter(|u| !u.disabled) {
                Some(u) => StaffAct::Assign(Staffer { id: format!("web:{}", u.name), name: u.name }),
                None => return (StatusCode::BAD_REQUEST, c.text(lang, "web-empty")).into_response(),
            }
        }
        _ => return (StatusCode::BAD_REQUEST, c.text(lang, "web-empty")).into_response(),
    };
    let now = Utc::now();
    let result = async {
        let handled = a.staff_act(&case, &me, Source::Console, act, now).await?;
        // Another process (the Telegram service) sends what this writes to the outbox.
        let mut finish = Finish { at_ms: now.timestamp_millis(), external: true, ..Finish::default() };
        let record = a.staff_record(&case, handled, &mut finish, now);
        a.store.finish(Some(record), finish).await
    };
    if let Err(e) = result.await {
        return store_error(e);
    }
    Redirect::to(&format!("/cases/{}?done=1", a.cases.show(case.reference))).into_response()
}

pub(super) async fn dashboard(State(c): State<Arc<Console>>, headers: HeaderMap, Query(q): Query<Params>) -> Response {
    let lang = language(&headers, &q);
    let Some(s) = session(&c, &headers).await else { return to_login() };
    if s.user.role < Role::Supervisor {
        return forbidden(&c, lang);
    }
    let a = &c.assistant;
    let every = CaseFilter::default();
    let (all, missed) = match tokio::try_join!(a.store.cases(&every), a.store.missed_texts(20)) {
        Ok(x) => x,
        Err(e) => return store_error(e),
    };
    let day = |ms: i64| time(ms).chars().take(10).collect::<String>();
    let mut per_day: std::collections::BTreeMap<(String, String, String), (usize, usize)> = Default::default();
    for case in &all {
        per_day.entry((day(case.opened_ms), case.topic.clone(), case.lang.code().into())).or_default().0 += 1;
        if let Some(closed) = case.resolved_ms.or(case.closed_ms) {
            per_day.entry((day(closed), case.topic.clone(), case.lang.code().into())).or_default().1 += 1;
        }
    }
    let per_day: Vec<Value> = per_day
        .into_iter()
        .rev()
        .map(|((day, topic, lang), (opened, closed))| context! { day, topic, lang, opened, closed })
        .collect();
    let mut waits: Vec<i64> = all.iter().filter_map(|c| c.answered_ms.map(|t| t - c.opened_ms)).collect();
    waits.sort_unstable();
    let median = waits.get(waits.len() / 2).map_or("—".to_string(), |ms| format!("{} min", ms / 60_000));
    let answered: Vec<&Case> = all.iter().filter(|c| c.answered_ms.is_some()).collect();
    let in_time = answered.iter().filter(|c| c.answered_ms.is_some_and(|t| t <= c.due_ms)).count();
    let in_time = if answered.is_empty() { "—".to_string() } else { format!("{}%", in_time * 100 / answered.len()) };
    let ratings: Vec<i64> = all.iter().filter_map(|c| c.rating).collect();
    let rating = if ratings.is_empty() {
        "—".to_string()
    } else {
        format!("{:.1}", ratings.iter().sum::<i64>() as f64 / ratings.len() as f64)
    };
    // Personal numbers never reach the dashboard.
    let missed: Vec<Value> = missed
        .iter()
        .map(|(t, n)| context! { n, lang => "", text => redact(t).chars().take(200).collect::<String>() })
        .collect();
    let ctx = context! { user => user_value(&s), csrf => s.csrf.clone(), per_day, median, in_time, rating, missed };
    with_lang(c.render("dashboard.html", lang, ctx), &q)
}

pub(super) async fn audit(State(c): State<Arc<Console>>, headers: HeaderMap, Query(q): Query<Params>) -> Response {
    let lang = language(&headers, &q);
    let Some(s) = session(&c, &headers).await else { return to_login() };
    if s.user.role < Role::Admin {
        return forbidden(&c, lang);
    }
    let a = &c.assistant;
    let (actions, requests) = match tokio::try_join!(a.store.staff_actions(200), a.store.audit_log()) {
        Ok(x) => x,
        Err(e) => return store_error(e),
    };
    let actions: Vec<Value> = actions
        .iter()
        .map(|e| {
            let who = match &e.actor {
                Actor::Staff(s) => format!("{} ({})", s.name, s.id),
                other => other.code().to_string(),
            };
            context! { at => time(e.at_ms), who, reference => a.cases.show(e.case), kind => e.kind.code(), source => e.source.code() }
        })
        .collect();
    let requests: Vec<Value> = requests
        .iter()
        .rev()
        .map(|r| context! { at => time(r.at_ms), actor => r.actor.clone(), action => r.action.clone(), subject => r.subject.clone(), detail => r.detail.clone() })
        .collect();
    let ctx = context! { user => user_value(&s), csrf => s.csrf.clone(), actions, requests };
    with_lang(c.render("audit.html", lang, ctx), &q)
}

pub(super) async fn canned(State(c): State<Arc<Console>>, headers: HeaderMap, Query(q): Query<Params>) -> Response {
    let lang = language(&headers, &q);
    let Some(s) = session(&c, &headers).await else { return to_login() };
    if s.user.role < Role::Supervisor {
        return forbidden(&c, lang);
    }
    let canned = match c.assistant.store.canned_replies().await {
        Ok(x) => x,
        Err(e) => return store_error(e),
    };
    let canned: Vec<Value> = canned
        .iter()
        .map(|x| context! { id => x.id, lang => x.lang.clone(), title => x.title.clone(), body => x.body.clone() })
        .collect();
    let ctx = context! { user => user_value(&s), csrf => s.csrf.clone(), canned };
    with_lang(c.render("canned.html", lang, ctx), &q)
}

pub(super) async fn add_canned(
    State(c): State<Arc<Console>>,
    headers: HeaderMap,
    Form(form): Form<Params>,
) -> Response {
    let lang = language(&headers, &Params::new());
    let Some(s) = session(&c, &headers).await else { return to_login() };
    if s.user.role < Role::Supervisor || !csrf_ok(&s, &form) {
        return forbidden(&c, lang);
    }
    let field = |k: &str| form.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let (clang, title, body) = (field("lang"), field("title"), field("body"));
    if Lang::parse(&clang).is_none() || title.is_empty() || body.is_empty() {
        return (StatusCode::BAD_REQUEST, c.text(lang, "web-empty")).into_response();
    }
    if let Err(e) = c.assistant.store.save_canned(&clang, &title, &body, Utc::now().timestamp_millis()).await {
        return store_error(e);
    }
    Redirect::to("/canned").into_response()
}

pub(super) async fn delete_canned(
    State(c): State<Arc<Console>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<Params>,
) -> Response {
    let lang = language(&headers, &Params::new());
    let Some(s) = session(&c, &headers).await else { return to_login() };
    if s.user.role < Role::Supervisor || !csrf_ok(&s, &form) {
        return forbidden(&c, lang);
    }
    if let Err(e) = c.assistant.store.delete_canned(id).await {
        return store_error(e);
    }
    Redirect::to("/canned").into_response()
}

/// The Telegram file ids of a case's photos: those the form collected, then those the citizen
/// sent to staff, in order.
fn photos_of(case: &Case, events: &[crate::staff::cases::Event]) -> Vec<String> {
    let mut ids: Vec<String> = case
        .slots
        .values()
        .filter_map(|v| match v {
            Slot::Photo { file_id } => Some(file_id.clone()),
            _ => None,
        })
        .collect();
    for e in events.iter().filter(|e| e.actor == Actor::Citizen) {
        if let Some(id) = e.body.as_deref().and_then(|b| b.strip_prefix("[photo ")).and_then(|b| b.strip_suffix(']')) {
            ids.push(id.to_string());
        }
    }
    ids.dedup();
    ids
}

/// The largest photo served.
const MAX_PHOTO: u64 = 20 << 20;

/// A case's photo, fetched from Telegram through the bot and served from this origin (the
/// browser never talks to Telegram, and the bot's token never leaves the server).
pub(super) async fn photo(
    State(c): State<Arc<Console>>,
    headers: HeaderMap,
    Path((reference, n)): Path<(String, usize)>,
) -> Response {
    let lang = language(&headers, &Params::new());
    let Some(_) = session(&c, &headers).await else { return to_login() };
    let a = &c.assistant;
    let Some(case) = find_case(a, &reference).await else {
        return (StatusCode::NOT_FOUND, c.text(lang, "web-no-such-case")).into_response();
    };
    let events = a.store.case_events(case.reference).await.unwrap_or_default();
    let (Some(id), Some(bot)) = (photos_of(&case, &events).into_iter().nth(n), c.bot.as_ref()) else {
        return (StatusCode::NOT_FOUND, c.text(lang, "web-no-photo")).into_response();
    };
    use teloxide::net::Download;
    use teloxide::prelude::Requester;
    let file = match bot.get_file(teloxide::types::FileId(id)).await {
        Ok(f) if u64::from(f.size) <= MAX_PHOTO => f,
        Ok(_) => return (StatusCode::PAYLOAD_TOO_LARGE, c.text(lang, "web-no-photo")).into_response(),
        Err(e) => {
            tracing::warn!(error = %crate::channels::telegram::describe(&e), "a photo could not be fetched");
            return (StatusCode::BAD_GATEWAY, c.text(lang, "web-no-photo")).into_response();
        }
    };
    let mut bytes = Vec::new();
    if let Err(e) = bot.download_file(&file.path, &mut bytes).await {
        tracing::warn!(error = %e.to_string().split(':').next().unwrap_or("download"), "a photo could not be downloaded");
        return (StatusCode::BAD_GATEWAY, c.text(lang, "web-no-photo")).into_response();
    }
    let kind = match file.path.rsplit('.').next().map(str::to_ascii_lowercase).as_deref() {
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        _ => "image/jpeg",
    };
    ([(header::CONTENT_TYPE, kind)], bytes).into_response()
}
