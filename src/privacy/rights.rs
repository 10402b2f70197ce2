//! A citizen's rights in the chat: /privacy (what is kept, why, how long, who sees it),
//! /mydata (a copy of it), /forget (erase it, after a confirmation). Staff serve the same
//! rights for a request received by other means from the command line. Every export and
//! erasure is an entry in the audit log, without the data.

use chrono::{DateTime, Utc};

use super::export::export;
use crate::channels::{Assistant, Outgoing, Shown};
use crate::engine::{Arg, Msg};
use crate::lang::Lang;
use crate::staff::desk::Handled;
use crate::store::{Audit, Erasure, StoreError};

/// Button data: erase, or do not.
pub const FORGET_YES: &str = "f:y";
pub const FORGET_NO: &str = "f:n";

impl Assistant {
    fn say(&self, lang: Lang, id: &str, args: Vec<(&str, Arg)>) -> String {
        let args = args.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        self.locales.render(lang, &Msg { id: id.into(), args })
    }

    fn with_menu(&self, lang: Lang, text: String, mut rows: Vec<Vec<Shown>>) -> Outgoing {
        rows.push(vec![Shown { label: self.say(lang, "btn-menu", vec![]), data: "m".into() }]);
        Outgoing { text, buttons: rows, lang, flow: None, step: None }
    }

    /// /privacy: what is kept, why, for how long, who sees it, how to ask for more.
    pub(crate) fn privacy_notice(&self, lang: Lang, handled: &mut Handled) {
        let r = self.privacy.retention;
        let contact = match &self.privacy.contact {
            Some(c) => c.clone(),
            None => self.say(lang, "privacy-contact-staff", vec![]),
        };
        let text = self.say(
            lang,
            "privacy-notice",
            vec![
                ("conversations_days", Arg::Number(r.conversations as f64)),
                ("cases_years", Arg::Number((r.cases as f64 / 365.0).round())),
                ("contact", Arg::Text(contact)),
            ],
        );
        handled.citizen.push(self.with_menu(lang, text, Vec::new()));
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
                handled.citizen.push(self.with_menu(lang, self.say(lang, "mydata-ready", vec![]), Vec::new()));
            }
            None => handled.citizen.push(self.with_menu(lang, self.say(lang, "mydata-empty", vec![]), Vec::new())),
        }
        Ok(())
    }

    /// /forget: what will be erased and kept, with [Yes, erase] [No].
    pub(crate) fn forget_confirm(&self, lang: Lang, handled: &mut Handled) {
        let yes = Shown { label: self.say(lang, "btn-forget-yes", vec![]), data: FORGET_YES.into() };
        let no = Shown { label: self.say(lang, "btn-forget-no", vec![]), data: FORGET_NO.into() };
        handled.citizen.push(Outgoing {
            text: self.say(lang, "forget-confirm", vec![]),
            buttons: vec![vec![yes, no]],
            lang,
            flow: None,
            step: None,
        });
    }

    /// Erases a chat's data (confirmed by the citizen, or asked for by staff): the turn's
    /// commit deletes the conversation and the session and anonymises the cases. Says what
    /// was kept.
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
        handled.erase = Some(Erasure { staff_group: self.cases.staff_group });
        let detail = format!("{lines} messages erased, {cases} cases anonymised");
        handled.audit.push(audit(now, actor, "erase", channel, chat, &detail));
        let text = self.say(lang, "forget-done", vec![("cases", Arg::Number(cases as f64))]);
        handled.citizen.push(self.with_menu(lang, text, Vec::new()));
        Ok(())
    }

    pub(crate) fn forget_cancelled(&self, lang: Lang, handled: &mut Handled) {
        handled.citizen.push(self.with_menu(lang, self.say(lang, "forget-cancelled", vec![]), Vec::new()));
    }
}

/// An audit entry about a chat's data.
pub fn audit(now: DateTime<Utc>, actor: &str, action: &str, channel: &str, chat: &str, detail: &str) -> Audit {
    Audit {
        at_ms: now.timestamp_millis(),
        actor: actor.to_string(),
        action: action.to_string(),
        subject: format!("{channel}:{chat}"),
        detail: detail.to_string(),
    }
}
