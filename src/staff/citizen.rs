//! What the shell answers a citizen about their cases, outside the engine: a rating of a
//! closed case, and `/cases`, the list of their cases. Each answer is a message built like
//! the engine's (ids, arguments, buttons with typed actions), so that its buttons are on
//! offer for typing.

use chrono::{DateTime, Utc};

use super::cases::{Actor, CaseRef, EventKind, Source};
use super::desk::{Handled, at};
use super::lifecycle::{self, Happening, Step};
use crate::assistant::{Assistant, Draft, Part, button, msg};
use crate::engine::Arg;
use crate::engine::action::Action;
use crate::lang::Lang;
use crate::store::StoreError;

/// Cases listed by `/cases`, newest first.
const LISTED: usize = 20;

impl Assistant {
    /// The citizen rated case `case` with `stars` (a button, or typed).
    pub(crate) async fn rate(
        &self,
        chat: (&str, &str),
        (case, stars): (i64, u8),
        lang: Lang,
        now: DateTime<Utc>,
        handled: &mut Handled,
    ) -> Result<(), StoreError> {
        let case = self.store.case(CaseRef::from_id(case)).await?;
        let rating = i64::from(stars);
        let step = case
            .as_ref()
            .filter(|c| c.channel == chat.0 && c.chat == chat.1)
            .map(|c| (c, lifecycle::apply(c, &Happening::Rated(stars), self.rules(), now)));
        match step {
            Some((case, step)) if !matches!(step, Step::Refused(_)) => {
                let _ = handled.record(step, Actor::Citizen, Source::Chat);
                handled.body(EventKind::Rated, rating.to_string());
                let stars = vec![("rating", Arg::Number(rating as f64))];
                handled.staff.push(self.staff_text(case.reference, "staff-rated", stars.clone()));
                handled.citizen.push(self.to_citizen(case, msg("case-rated", stars)));
            }
            _ => {
                let text = Draft::shell(Part::Cases, lang, msg("case-rating-late", vec![]), Vec::new());
                handled.citizen.push(text.with_row(vec![button("btn-menu", &Action::Menu)]));
            }
        }
        Ok(())
    }

    /// `/cases`: the citizen's cases with reference and status.
    pub(crate) async fn list_for_citizen(
        &self,
        channel: &str,
        chat: &str,
        lang: Lang,
        handled: &mut Handled,
    ) -> Result<(), StoreError> {
        let cases = self.store.chat_cases(channel, chat).await?;
        let text = if cases.is_empty() {
            msg("cases-none", vec![])
        } else {
            let items = cases.iter().take(LISTED).map(|c| {
                let date = self.locales.calendar.local_time(at(c.opened_ms)).format("%d.%m.%Y").to_string();
                let item = vec![
                    ("ref", Arg::Text(self.show(c.reference))),
                    ("status", Arg::Msg(format!("case-status-{}", c.status.code()))),
                    ("date", Arg::Text(date)),
                ];
                self.text(lang, "cases-item", item)
            });
            let items = Arg::Text(items.collect::<Vec<_>>().join("\n"));
            msg("cases-list", vec![("count", Arg::Number(cases.len() as f64)), ("items", items)])
        };
        let row = vec![button("btn-menu", &Action::Menu), button("btn-human", &Action::Human)];
        handled.citizen.push(Draft::shell(Part::Cases, lang, text, vec![row]));
        Ok(())
    }
}
