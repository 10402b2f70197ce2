//! A citizen's rights in the chat: /privacy (what is kept, why, how long, who sees it),
//! /mydata (a copy of it), /forget (erase it, after a confirmation). Staff serve the same
//! rights for a request received by other means from the command line. Every export and
//! erasure is an entry in the audit log, without the data. Every answer is a message built
//! like the engine's, so that its buttons are on offer for typing: after /forget, "Да", "1"
//! or the label "Да, изтрийте" confirm.

use chrono::{DateTime, Utc};

use super::export::export;
use crate::assistant::{Assistant, Draft, Part, button, msg};
use crate::engine::action::Action;
use crate::engine::{Arg, Msg};
use crate::lang::Lang;
use crate::staff::desk::Handled;
use crate::store::{Audit, Erasure, StoreError};

impl Assistant {
    fn with_menu(&self, lang: Lang, text: Msg) -> Draft {
        Draft::shell(Part::Privacy, lang, text, vec![vec![button("btn-menu", &Action::Menu)]])
    }

    /// /privacy: what is kept, why, for how long, who sees it, how to ask for more. Without a
    /// contact configured it points to a staff member, with the button to ask for one.
    pub(crate) fn privacy_notice(&self, lang: Lang, handled: &mut Handled) {
        let r = self.privacy.retention;
        let contact = match &self.privacy.contact {
            Some(c) => Arg::Text(c.clone()),
            None => Arg::Msg("privacy-contact-staff".into()),
        };
        let text = msg(
            "privacy-notice",
            vec![
                ("conversations_days", Arg::Number(r.conversations as f64)),
                ("cases_years", Arg::Number((r.cases as f64 / 365.0).round())),
                ("contact", contact),
            ],
        );
        let row = vec![button("btn-menu", &Action::Menu), button("btn-human", &Action::Human)];
        handled.citizen.push(Draft::shell(Part::Privacy, lang, text, vec![row]));
    }

    /// /mydata: the citizen's data as files, and an audit entry.
    pub(crate) async fn my_data(
        &self,
        channel: &str,
        chat: &str,
        lang: Lang,
        now: DateTime<Utc>,
        handled: &mut Handled,
    ) -> Result<(), StoreError> {
        match export(self, channel, chat, lang, now).await? {
            Some(files) => {
                handled.audit.push(audit(now, "citizen", "export", channel, chat, &format!("{} files", files.len())));
                handled.files = files;
                handled.citizen.push(self.with_menu(lang, Msg::new("mydata-ready")));
            }
            None => handled.citizen.push(self.with_menu(lang, Msg::new("mydata-empty"))),
        }
        Ok(())
    }

    /// /forget: what will be erased and kept, with [Yes, erase] [No].
    pub(crate) fn forget_confirm(&self, lang: Lang, handled: &mut Handled) {
        let row =
            vec![button("btn-forget-yes", &Action::Forget(true)), button("btn-forget-no", &Action::Forget(false))];
        handled.citizen.push(Draft::shell(Part::Privacy, lang, Msg::new("forget-confirm"), vec![row]));
    }

    /// Erases a chat's data (confirmed by the citizen, or asked for by staff): the turn's
    /// commit deletes the conversation and the session, anonymises the cases, cancels what
    /// was not yet sent and takes back the bot's posts about the cases in the staff group.
    /// Says what was kept.
    pub async fn forget(
        &self,
        channel: &str,
        chat: &str,
        lang: Lang,
        actor: &str,
        now: DateTime<Utc>,
        handled: &mut Handled,
    ) -> Result<(), StoreError> {
        let cases = self.store.chat_cases(channel, chat).await?.len();
        let lines = self.store.transcript(channel, chat).await?.len();
        // A post in the staff group that can no longer be deleted is edited to say this.
        let notice = self.text(self.cases.staff_lang, "staff-erased", vec![]);
        let withdraw = crate::channels::telegram::render::withdraw_payload;
        handled.erase = Some(Erasure { staff_group: self.cases.staff_group, notice, withdraw });
        let detail = format!("{lines} messages erased, {cases} cases anonymised");
        handled.audit.push(audit(now, actor, "erase", channel, chat, &detail));
        // What happened in the staff group is said only where there is one and it had posts.
        let group = if cases > 0 && self.cases.staff_group.is_some() { "yes" } else { "no" };
        let text = msg("forget-done", vec![("cases", Arg::Number(cases as f64)), ("group", Arg::Text(group.into()))]);
        handled.citizen.push(self.with_menu(lang, text));
        Ok(())
    }

    pub(crate) fn forget_cancelled(&self, lang: Lang, handled: &mut Handled) {
        handled.citizen.push(self.with_menu(lang, Msg::new("forget-cancelled")));
    }
}

/// An audit entry about a chat's data.
pub(crate) fn audit(now: DateTime<Utc>, actor: &str, action: &str, channel: &str, chat: &str, detail: &str) -> Audit {
    Audit {
        at_ms: now.timestamp_millis(),
        actor: actor.to_string(),
        action: action.to_string(),
        subject: format!("{channel}:{chat}"),
        detail: detail.to_string(),
    }
}
