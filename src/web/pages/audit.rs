//! The audit page (admins): every staff action on cases and every export or erasure of
//! citizens' data, with who and when.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use minijinja::{Value, context};

use super::{render, time};
use crate::staff::cases::Actor;
use crate::web::Console;
use crate::web::error::WebError;
use crate::web::extract::{Admin, Language};

pub(crate) async fn audit(
    State(c): State<Arc<Console>>,
    Language(lang): Language,
    Admin(staff): Admin,
) -> Result<Response, WebError> {
    let a = &c.assistant;
    let (actions, requests) = tokio::try_join!(a.store.staff_actions(200), a.store.audit_log())?;
    let actions: Vec<Value> = actions
        .iter()
        .map(|e| {
            let who = match &e.actor {
                Actor::Staff(s) => format!("{} ({})", s.name, s.id),
                other => other.code().to_string(),
            };
            context! { at => time(a, e.at_ms), who, reference => a.cases.show(e.case), kind => e.kind.code(), source => e.source.code() }
        })
        .collect();
    let requests: Vec<Value> = requests
        .iter()
        .rev()
        .map(|r| context! { at => time(a, r.at_ms), actor => r.actor.clone(), action => r.action.clone(), subject => r.subject.clone(), detail => r.detail.clone() })
        .collect();
    render(&c, "audit.html", lang, Some(&staff), context! { actions, requests })
}
