//! Every setting the binary reads, in one place: each is a flag of every subcommand and, where
//! the flag is not given, its variable (clap's `env`: `SOFIA_*`, and `TELOXIDE_API_URL`). A
//! blank variable counts as unset. Values arrive here as text; `Config` validates them and
//! says what is wrong in the variable's name. The bot's token is the one setting with no
//! flag: a secret never belongs in the process list.

/// The raw settings, from flags or the environment (see the README's configuration tables).
#[derive(clap::Args, Clone, Default)]
#[command(next_help_heading = "Settings (each also from its environment variable)")]
pub struct Options {
    /// The folder of flows [default: dialogs].
    #[arg(long, global = true, env = "SOFIA_DIALOGS")]
    pub dialogs: Option<String>,
    /// The folder of Fluent text, facts and the calendar [default: locales].
    #[arg(long, global = true, env = "SOFIA_LOCALES")]
    pub locales: Option<String>,
    /// Minutes after which a citizen counts as away from a form.
    #[arg(long, global = true, env = "SOFIA_SESSION_TIMEOUT_MINUTES")]
    pub session_timeout_minutes: Option<String>,
    /// Understanding: a score at or above this answers at once (0-1).
    #[arg(long, global = true, env = "SOFIA_NLU_ACCEPT")]
    pub nlu_accept: Option<String>,
    /// Understanding: at or above this, but not sure, asks "Did you mean ...?" (0-1).
    #[arg(long, global = true, env = "SOFIA_NLU_SUGGEST")]
    pub nlu_suggest: Option<String>,
    /// Understanding: a runner-up scoring at most this share of the best flow lets it answer
    /// at once (0-1).
    #[arg(long, global = true, env = "SOFIA_NLU_LEAD")]
    pub nlu_lead: Option<String>,
    /// Understanding: how far the best flow must lead the next one to answer at once (0-1).
    #[arg(long, global = true, env = "SOFIA_NLU_MARGIN")]
    pub nlu_margin: Option<String>,
    /// `full` (every commit survives a power cut) or `normal`.
    #[arg(long, global = true, env = "SOFIA_DURABILITY")]
    pub durability: Option<String>,
    /// Who receives hand-overs, in Bulgarian texts.
    #[arg(long, global = true, env = "SOFIA_TEAM_BG")]
    pub team_bg: Option<String>,
    /// Who receives hand-overs, in English texts.
    #[arg(long, global = true, env = "SOFIA_TEAM_EN")]
    pub team_en: Option<String>,
    /// Days conversations are kept.
    #[arg(long, global = true, env = "SOFIA_KEEP_CONVERSATIONS_DAYS")]
    pub keep_conversations_days: Option<String>,
    /// Days closed cases are kept.
    #[arg(long, global = true, env = "SOFIA_KEEP_CASES_DAYS")]
    pub keep_cases_days: Option<String>,
    /// Days the audit log is kept.
    #[arg(long, global = true, env = "SOFIA_KEEP_AUDIT_DAYS")]
    pub keep_audit_days: Option<String>,
    /// Days update ids and delivered messages are kept (at least 2).
    #[arg(long, global = true, env = "SOFIA_KEEP_UPDATES_DAYS")]
    pub keep_updates_days: Option<String>,
    /// Who citizens may contact about their data, as /privacy names it.
    #[arg(long, global = true, env = "SOFIA_PRIVACY_CONTACT")]
    pub privacy_contact: Option<String>,
    /// The letters before a case reference (SOF in SOF-2026-000123).
    #[arg(long, global = true, env = "SOFIA_CASE_PREFIX")]
    pub case_prefix: Option<String>,
    /// When staff answer, like "mon-fri 09:00-17:30".
    #[arg(long, global = true, env = "SOFIA_WORKING_HOURS")]
    pub working_hours: Option<String>,
    /// Working days by which staff should answer a new case.
    #[arg(long, global = true, env = "SOFIA_CASE_DUE_DAYS")]
    pub case_due_days: Option<String>,
    /// Days in which a citizen's message reopens a closed case.
    #[arg(long, global = true, env = "SOFIA_REOPEN_DAYS")]
    pub reopen_days: Option<String>,
    /// The staff group's chat id.
    #[arg(long, global = true, env = "SOFIA_STAFF_GROUP", allow_hyphen_values = true)]
    pub staff_group: Option<String>,
    /// The language of the staff group's texts (bg or en).
    #[arg(long, global = true, env = "SOFIA_STAFF_LANG")]
    pub staff_lang: Option<String>,
    /// Minutes a staff member counts as talking with a citizen after writing to them.
    #[arg(long, global = true, env = "SOFIA_STAFF_TALK_MINUTES")]
    pub staff_talk_minutes: Option<String>,
    /// The console: addresses of the TLS proxies whose forwarded headers name the client.
    #[arg(long, global = true, env = "SOFIA_TRUSTED_PROXY")]
    pub trusted_proxy: Option<String>,
    /// Another Bot API server (a local telegram-bot-api).
    #[arg(long, global = true, env = "TELOXIDE_API_URL")]
    pub api_url: Option<String>,
    /// Messages a second to Telegram in all (0: no limit, for a test server only).
    #[arg(long, global = true, env = "SOFIA_SEND_RATE")]
    pub send_rate: Option<String>,
    /// Messages a second to one chat (0: no limit).
    #[arg(long, global = true, env = "SOFIA_SEND_RATE_PER_CHAT")]
    pub send_rate_per_chat: Option<String>,
}

/// A value that was set: not absent, not blank.
pub(crate) fn set(value: &Option<String>) -> Option<String> {
    value.as_ref().filter(|v| !v.trim().is_empty()).cloned()
}

/// The bot's token, from `TELOXIDE_TOKEN` only.
pub(crate) fn token() -> Option<String> {
    std::env::var("TELOXIDE_TOKEN").ok().filter(|v| !v.trim().is_empty())
}

impl Options {
    /// The settings from the environment alone (for tools of the devkit, and tests).
    pub fn from_env() -> anyhow::Result<Options> {
        #[derive(clap::Parser)]
        struct Only {
            #[command(flatten)]
            options: Options,
        }
        let only = <Only as clap::Parser>::try_parse_from(["sofia-bot"])?;
        Ok(only.options)
    }
}
