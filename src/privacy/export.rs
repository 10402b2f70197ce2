//! A citizen's data as a file: JSON for machines, and readable text in their language.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::assistant::Assistant;
use crate::engine::Msg;
use crate::lang::Lang;
use crate::staff::cases::Actor;
use crate::store::StoreError;

/// A file to hand to the citizen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFile {
    pub name: String,
    pub content: String,
}

/// Everything kept about a chat: its conversation and its cases with their histories. `None`
/// when nothing is kept.
pub(crate) async fn export(
    a: &Assistant,
    channel: &str,
    chat: &str,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Option<Vec<DataFile>>, StoreError> {
    let lines = a.store.transcript(channel, chat).await?;
    let cases = a.store.chat_cases(channel, chat).await?;
    let session = a.store.load_session(channel, chat).await?;
    if lines.is_empty() && cases.is_empty() && session.is_none() {
        return Ok(None);
    }
    let t = |id: &str| a.locales.render(lang, &Msg::new(id));
    let when = |ms: i64| {
        let at = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
        a.locales.calendar.local_time(at).format("%Y-%m-%d %H:%M").to_string()
    };
    let mut text = format!("{}\n{}\n\n{}\n", t("mydata-title"), when(now.timestamp_millis()), t("mydata-conversation"));
    let mut conversation = Vec::new();
    for l in &lines {
        let who = match (l.incoming, l.kind.as_str()) {
            (true, _) => "you",
            (false, "staff") => "staff",
            _ => "assistant",
        };
        text.push_str(&format!("{} {}: {}\n", when(l.at_ms), t(&format!("mydata-{who}")), l.body));
        conversation.push(json!({"at": when(l.at_ms), "from": who, "kind": l.kind, "text": l.body}));
    }
    let mut exported_cases = Vec::new();
    if !cases.is_empty() {
        text.push_str(&format!("\n{}\n", t("mydata-cases")));
    }
    for c in &cases {
        let reference = a.cases.show(c.reference);
        let status = t(&format!("case-status-{}", c.status.code()));
        text.push_str(&format!("\n{reference} ({status}), {}\n", when(c.opened_ms)));
        for (k, v) in &c.slots {
            text.push_str(&format!("  {k}: {}\n", v.value()));
        }
        let mut events = Vec::new();
        for e in a.store.case_events(c.reference).await? {
            // Staff members are named by role, not by name: the file is about the citizen.
            let who = match e.actor {
                Actor::Citizen => "you",
                Actor::Staff(_) => "staff",
                Actor::Bot | Actor::System => "assistant",
            };
            if let Some(body) = &e.body {
                text.push_str(&format!("  {} {}: {body}\n", when(e.at_ms), t(&format!("mydata-{who}"))));
            }
            events.push(json!({"at": when(e.at_ms), "by": who, "event": e.kind.code(), "text": e.body}));
        }
        exported_cases.push(json!({
            "reference": reference,
            "status": c.status.code(),
            "topic": c.topic,
            "opened": when(c.opened_ms),
            "district": c.district,
            "details": c.slots.iter().map(|(k, v)| (k.clone(), Value::String(v.value()))).collect::<serde_json::Map<_, _>>(),
            "rating": c.rating,
            "history": events,
        }));
    }
    let data = json!({
        "channel": channel,
        "chat": chat,
        "exported": when(now.timestamp_millis()),
        "conversation": conversation,
        "cases": exported_cases,
        "session": session.and_then(|s| serde_json::from_str::<Value>(&s).ok()),
    });
    let json = serde_json::to_string_pretty(&data).unwrap_or_default();
    Ok(Some(vec![
        DataFile { name: "my-data.json".into(), content: json },
        DataFile { name: "my-data.txt".into(), content: text },
    ]))
}
