//! Settings: raw values from flags and the environment (`Options`, read by clap) become a
//! validated `Config`. Secrets never appear in `Debug` output or logs.

mod options;
mod telegram;

use std::path::PathBuf;

use anyhow::{Context, bail};

use crate::engine::Settings;
use crate::privacy::PrivacySettings;
use crate::staff::cases::CaseSettings;
use crate::staff::hours::WorkingHours;
use crate::store::Durability;

pub use options::Options;
pub(crate) use options::set;
pub use telegram::{RawTelegram, TelegramConfig, WebhookConfig};

/// Everything the binary needs to know, validated.
#[derive(Debug, Clone)]
pub struct Config {
    pub dialogs: PathBuf,
    pub locales: PathBuf,
    pub engine: Settings,
    pub durability: Durability,
    pub cases: CaseSettings,
    pub privacy: PrivacySettings,
    /// Who receives what citizens hand to staff, per language (`SOFIA_TEAM_BG`,
    /// `SOFIA_TEAM_EN`); where unset, the content's `team-default`.
    pub team: Vec<(crate::lang::Lang, String)>,
}

impl Config {
    /// Validates the settings (see the README's configuration tables).
    pub fn from_options(o: &Options) -> anyhow::Result<Config> {
        let mut engine = Settings::default();
        if let Some(v) = set(&o.session_timeout_minutes) {
            let minutes: i64 =
                v.trim().parse().context("SOFIA_SESSION_TIMEOUT_MINUTES must be a whole number of minutes")?;
            if minutes < 1 {
                bail!("SOFIA_SESSION_TIMEOUT_MINUTES must be at least 1");
            }
            engine.session_timeout = chrono::Duration::minutes(minutes);
        }
        for (name, value, field) in [
            ("SOFIA_NLU_ACCEPT", &o.nlu_accept, &mut engine.accept),
            ("SOFIA_NLU_SUGGEST", &o.nlu_suggest, &mut engine.suggest),
            ("SOFIA_NLU_LEAD", &o.nlu_lead, &mut engine.lead),
            ("SOFIA_NLU_MARGIN", &o.nlu_margin, &mut engine.margin),
        ] {
            if let Some(v) = set(value) {
                let x: f32 = v.trim().parse().with_context(|| format!("{name} must be a number between 0 and 1"))?;
                if !(0.0..=1.0).contains(&x) {
                    bail!("{name} must be between 0 and 1");
                }
                *field = x;
            }
        }
        if engine.suggest > engine.accept {
            bail!("SOFIA_NLU_SUGGEST must not be above SOFIA_NLU_ACCEPT");
        }
        let durability = match set(&o.durability).as_deref().map(str::trim) {
            None | Some("full") => Durability::Full,
            Some("normal") => Durability::Normal,
            Some(other) => bail!("SOFIA_DURABILITY must be full or normal, not {other:?}"),
        };
        let cases = cases_from(o)?;
        let privacy = privacy_from(o)?;
        let team = [(crate::lang::Lang::Bg, &o.team_bg), (crate::lang::Lang::En, &o.team_en)]
            .into_iter()
            .filter_map(|(lang, value)| set(value).map(|v| (lang, v.trim().to_string())))
            .collect();
        let folder = |value: &Option<String>, default: &str| PathBuf::from(set(value).unwrap_or(default.into()).trim());
        let (dialogs, locales) = (folder(&o.dialogs, "dialogs"), folder(&o.locales, "locales"));
        Ok(Config { dialogs, locales, engine, durability, cases, privacy, team })
    }

    /// The settings from the environment alone (for the devkit's tools).
    pub fn from_env() -> anyhow::Result<Config> {
        Config::from_options(&Options::from_env()?)
    }
}

/// Retention (`SOFIA_KEEP_CONVERSATIONS_DAYS`, `SOFIA_KEEP_CASES_DAYS`, `SOFIA_KEEP_AUDIT_DAYS`,
/// `SOFIA_KEEP_UPDATES_DAYS`) and the contact /privacy names (`SOFIA_PRIVACY_CONTACT`).
fn privacy_from(o: &Options) -> anyhow::Result<PrivacySettings> {
    let mut p = PrivacySettings::default();
    for (name, value, field, min) in [
        ("SOFIA_KEEP_CONVERSATIONS_DAYS", &o.keep_conversations_days, &mut p.retention.conversations, 1),
        ("SOFIA_KEEP_CASES_DAYS", &o.keep_cases_days, &mut p.retention.cases, 1),
        ("SOFIA_KEEP_AUDIT_DAYS", &o.keep_audit_days, &mut p.retention.audit, 1),
        // Telegram redelivers an update for up to a day: its id must be remembered that long.
        ("SOFIA_KEEP_UPDATES_DAYS", &o.keep_updates_days, &mut p.retention.updates, 2),
    ] {
        if let Some(v) = set(value) {
            *field = v
                .trim()
                .parse()
                .ok()
                .filter(|d| (min..=36_500).contains(d))
                .with_context(|| format!("{name} must be a whole number of days, at least {min}"))?;
        }
    }
    p.contact = set(&o.privacy_contact).map(|c| c.trim().to_string());
    Ok(p)
}

/// How cases run: `SOFIA_CASE_PREFIX`, `SOFIA_WORKING_HOURS`, `SOFIA_CASE_DUE_DAYS` (working
/// days, fractions allowed), `SOFIA_REOPEN_DAYS`, `SOFIA_STAFF_GROUP`, `SOFIA_STAFF_LANG`,
/// `SOFIA_STAFF_TALK_MINUTES`.
fn cases_from(o: &Options) -> anyhow::Result<CaseSettings> {
    let mut cases = CaseSettings::default();
    if let Some(p) = set(&o.case_prefix) {
        let p = p.trim().to_string();
        if !(1..=8).contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
            bail!("SOFIA_CASE_PREFIX must be 1-8 capital letters or digits, like SOF");
        }
        cases.prefix = p;
    }
    if let Some(h) = set(&o.working_hours) {
        cases.hours = WorkingHours::parse(&h).context("SOFIA_WORKING_HOURS")?;
    }
    let days: f64 = match set(&o.case_due_days) {
        Some(v) => v.trim().parse().ok().filter(|d: &f64| d.is_finite() && *d > 0.0 && *d <= 60.0).context(
            "SOFIA_CASE_DUE_DAYS must be a number of working days above 0 (fractions allowed, e.g. 0.5), at most 60",
        )?,
        None => 1.0,
    };
    let day = cases.hours.working_day_length().num_seconds() as f64;
    cases.due = chrono::Duration::seconds((day * days).round() as i64);
    if let Some(v) = set(&o.reopen_days) {
        cases.reopen_days = v
            .trim()
            .parse()
            .ok()
            .filter(|d| (0..=365).contains(d))
            .context("SOFIA_REOPEN_DAYS must be a whole number of days from 0 to 365")?;
    }
    if let Some(v) = set(&o.staff_group) {
        let id: i64 =
            v.trim().parse().context("SOFIA_STAFF_GROUP must be the staff group's chat id, like -1001234567890")?;
        if id >= 0 {
            bail!("SOFIA_STAFF_GROUP must be a group's chat id, which is negative (like -1001234567890)");
        }
        cases.staff_group = Some(id);
    }
    if let Some(v) = set(&o.staff_lang) {
        cases.staff_lang = crate::lang::Lang::parse(v.trim()).context("SOFIA_STAFF_LANG must be bg or en")?;
    }
    if let Some(v) = set(&o.staff_talk_minutes) {
        let minutes: i64 = v
            .trim()
            .parse()
            .ok()
            .filter(|m| (0..=24 * 60).contains(m))
            .context("SOFIA_STAFF_TALK_MINUTES must be a whole number of minutes from 0 to 1440")?;
        cases.talk = chrono::Duration::minutes(minutes);
    }
    Ok(cases)
}

/// The staff console's settings: `--plain-http`, and `SOFIA_TRUSTED_PROXY` (addresses of the
/// TLS proxies whose `Forwarded` / `X-Forwarded-For` headers name the client, separated by
/// commas or spaces).
pub fn console_settings(o: &Options, plain_http: bool) -> anyhow::Result<crate::web::WebSettings> {
    let mut settings = crate::web::WebSettings { secure_cookies: !plain_http, ..Default::default() };
    if let Some(v) = set(&o.trusted_proxy) {
        for a in v.split([',', ' ']).map(str::trim).filter(|a| !a.is_empty()) {
            let ip: std::net::IpAddr = a.parse().with_context(|| {
                format!("SOFIA_TRUSTED_PROXY must list IP addresses (like 127.0.0.1, ::1), not {a:?}")
            })?;
            settings.trusted_proxies.push(ip.to_canonical());
        }
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_talk_minutes_default_to_thirty_and_refuse_nonsense() {
        let options =
            |value: Option<&str>| Options { staff_talk_minutes: value.map(str::to_string), ..Options::default() };
        assert_eq!(cases_from(&options(None)).unwrap().talk, chrono::Duration::minutes(30));
        assert_eq!(cases_from(&options(Some(" 5 "))).unwrap().talk, chrono::Duration::minutes(5));
        for bad in ["-1", "half", "1441"] {
            let e = cases_from(&options(Some(bad))).unwrap_err();
            assert!(e.to_string().contains("SOFIA_STAFF_TALK_MINUTES"), "{bad}: {e}");
        }
    }

    #[test]
    fn blank_folders_read_as_the_defaults() {
        let options = |dialogs: &str, locales: &str| Options {
            dialogs: Some(dialogs.into()),
            locales: Some(locales.into()),
            ..Options::default()
        };
        let config = Config::from_options(&options("", "  ")).unwrap();
        assert_eq!((config.dialogs, config.locales), (PathBuf::from("dialogs"), PathBuf::from("locales")));
        let config = Config::from_options(&options("/srv/city/dialogs", " /srv/city/locales ")).unwrap();
        assert_eq!(config.dialogs, PathBuf::from("/srv/city/dialogs"));
        assert_eq!(config.locales, PathBuf::from("/srv/city/locales"));
        assert_eq!(Config::from_options(&Options::default()).unwrap().dialogs, PathBuf::from("dialogs"));
    }
}
