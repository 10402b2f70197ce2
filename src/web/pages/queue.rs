//! The queue: cases by status, topic, language and district, searched by reference or text,
//! one page at a time, with counts per status. The store filters, counts and pages; this
//! reads the query string into a filter and shows the page.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use minijinja::{Value, context};

use super::{case_value, render};
use crate::engine::Msg;
use crate::lang::Lang;
use crate::staff::cases::Status;
use crate::store::QueueFilter;
use crate::web::Console;
use crate::web::error::WebError;
use crate::web::extract::{Language, Staff};
use crate::web::form::{Query, limit};

/// Cases on one page of the queue.
pub(crate) const PAGE: i64 = 50;

pub(crate) async fn queue(
    State(c): State<Arc<Console>>,
    Language(lang): Language,
    staff: Staff,
    Query(q): Query,
) -> Result<Response, WebError> {
    let a = &c.assistant;
    let (status, topic, clang, district, search) = (
        q.text("status", limit::SHORT)?,
        q.text("topic", limit::SHORT)?,
        q.text("clang", limit::SHORT)?,
        q.text("district", limit::SHORT)?,
        q.text("q", limit::SEARCH)?,
    );
    let page: i64 = q.get("page").and_then(|p| p.parse().ok()).filter(|p| *p >= 1).unwrap_or(1);
    let some = |v: &String| Some(v.clone()).filter(|v| !v.is_empty());
    let filter = QueueFilter {
        // An unknown status shows what no status shows: the open cases.
        status: Status::parse(&status),
        topic: some(&topic),
        lang: some(&clang),
        district: some(&district),
        search: some(&search),
        offset: (page - 1).saturating_mul(PAGE),
        limit: PAGE,
    };
    let ((found, total), counts) = tokio::try_join!(a.store.queue_page(&filter), a.store.status_counts())?;
    let now = Utc::now().timestamp_millis();
    let cases: Vec<Value> = found.iter().map(|case| case_value(a, case, lang, now)).collect();
    let status_name = |s: Status| a.locales.render(lang, &Msg::new(&format!("case-status-{}", s.code())));
    let counts: Vec<Value> =
        counts.iter().map(|(st, n)| context! { status => st.code(), label => status_name(*st), n }).collect();
    let statuses: Vec<Value> =
        Status::ALL.iter().map(|st| context! { code => st.code(), label => status_name(*st) }).collect();
    let pages = (total + PAGE - 1) / PAGE;
    let link = |p: i64| {
        page_link(
            &[("q", &search), ("status", &status), ("topic", &topic), ("clang", &clang), ("district", &district)],
            p,
        )
    };
    let ctx = context! {
        cases, counts, statuses, status, topic, clang, district, q => search, total, page, pages,
        previous => (page > 1).then(|| link(page - 1)),
        next => (page < pages).then(|| link(page + 1)),
        pages_text => pages_text(&c, lang, page, pages.max(1), total),
    };
    render(&c, "queue.html", lang, Some(&staff), ctx)
}

/// "Page 2 of 5 (230 cases)".
fn pages_text(c: &Console, lang: Lang, page: i64, pages: i64, total: i64) -> String {
    let mut msg = Msg::new("web-page-of");
    for (name, n) in [("page", page), ("pages", pages), ("total", total)] {
        msg.args.push((name.to_string(), crate::engine::Arg::Number(n as f64)));
    }
    c.assistant.locales.render(lang, &msg)
}

/// The queue's address with the same filters on another page.
fn page_link(filters: &[(&str, &String)], page: i64) -> String {
    let mut query: Vec<String> =
        filters.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", encode(v))).collect();
    query.push(format!("page={page}"));
    format!("/?{}", query.join("&"))
}

fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
