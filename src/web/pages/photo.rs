//! A case's photos: which Telegram files they are, and serving one from the console's own
//! origin, fetched through the bot (the browser never talks to Telegram, and the bot's token
//! never leaves the server). Moved here unchanged from the pages module; how a console answer
//! reaches the citizen is not decided here.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::find_case;
use crate::engine::Slot;
use crate::staff::cases::{Actor, Case};
use crate::web::Console;
use crate::web::error::WebError;
use crate::web::extract::Staff;

/// The Telegram file ids of a case's photos: those the form collected, then those the citizen
/// sent to staff, in order.
pub(super) fn photos_of(case: &Case, events: &[crate::staff::cases::Event]) -> Vec<String> {
    let mut ids: Vec<String> = case
        .slots
        .values()
        .filter_map(|v| match v {
            Slot::Photo { file_id } => Some(file_id.clone()),
            _ => None,
        })
        .collect();
    for e in events.iter().filter(|e| e.actor == Actor::Citizen) {
        let sent = e.body.as_deref().and_then(crate::staff::desk::sent_of);
        if let Some(("photo", id)) = sent {
            ids.push(id.to_string());
        }
    }
    ids.dedup();
    ids
}

/// The largest photo served.
const MAX_PHOTO: u64 = 20 << 20;

/// A case's photo, fetched from Telegram through the bot and served from this origin.
pub(crate) async fn photo(
    State(c): State<Arc<Console>>,
    _staff: Staff,
    Path((reference, n)): Path<(String, usize)>,
) -> Result<Response, WebError> {
    let a = &c.assistant;
    let case = find_case(a, &reference).await?;
    let events = a.store.case_events(case.reference).await.unwrap_or_default();
    let (Some(id), Some(bot)) = (photos_of(&case, &events).into_iter().nth(n), c.bot.as_ref()) else {
        return Err(WebError::Photo(StatusCode::NOT_FOUND));
    };
    use teloxide::net::Download;
    use teloxide::prelude::Requester;
    let file = match bot.get_file(teloxide::types::FileId(id)).await {
        Ok(f) if u64::from(f.size) <= MAX_PHOTO => f,
        Ok(_) => return Err(WebError::Photo(StatusCode::PAYLOAD_TOO_LARGE)),
        Err(e) => {
            tracing::warn!(error = %crate::channels::telegram::describe(&e), "a photo could not be fetched");
            return Err(WebError::Photo(StatusCode::BAD_GATEWAY));
        }
    };
    let mut bytes = Vec::new();
    if let Err(e) = bot.download_file(&file.path, &mut bytes).await {
        tracing::warn!(error = %e.to_string().split(':').next().unwrap_or("download"), "a photo could not be downloaded");
        return Err(WebError::Photo(StatusCode::BAD_GATEWAY));
    }
    let kind = match file.path.rsplit('.').next().map(str::to_ascii_lowercase).as_deref() {
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        _ => "image/jpeg",
    };
    Ok(([(header::CONTENT_TYPE, kind)], bytes).into_response())
}
