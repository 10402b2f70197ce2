//! Settings: raw values from flags and the environment become a validated `Config`.
//! Secrets never appear in `Debug` output or logs.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};

use crate::channels::telegram::rate::{Limits, Rate};
use crate::engine::Settings;
use crate::privacy::PrivacySettings;
use crate::staff::cases::CaseSettings;
use crate::staff::hours::WorkingHours;
use crate::store::Durability;

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
    /// Reads the environment (see the README's configuration table) on top of the flags.
    pub fn from_env(dialogs: Option<PathBuf>, locales: Option<PathBuf>) -> anyhow::Result<Config> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let dialogs = dialogs.or_else(|| env("SOFIA_DIALOGS").map(PathBuf::from)).unwrap_or_else(|| "dialogs".into());
        let locales = locales.or_else(|| env("SOFIA_LOCALES").map(PathBuf::from)).unwrap_or_else(|| "locales".into());
        let mut engine = Settings::default();
        if let Some(v) = env("SOFIA_SESSION_TIMEOUT_MINUTES") {
            let minutes: i64 = v.parse().context("SOFIA_SESSION_TIMEOUT_MINUTES must be a whole number of minutes")?;
            if minutes < 1 {
                bail!("SOFIA_SESSION_TIMEOUT_MINUTES must be at least 1");
            }
            engine.session_timeout = chrono::Duration::minutes(minutes);
        }
        for (name, field) in [
            ("SOFIA_NLU_ACCEPT", &mut engine.accept),
            ("SOFIA_NLU_SUGGEST", &mut engine.suggest),
            ("SOFIA_NLU_LEAD", &mut engine.lead),
            ("SOFIA_NLU_MARGIN", &mut engine.margin),
        ] {
            if let Some(v) = env(name) {
                let x: f32 = v.parse().with_context(|| format!("{name} must be a number between 0 and 1"))?;
                if !(0.0..=1.0).contains(&x) {
                    bail!("{name} must be between 0 and 1");
                }
                *field = x;
            }
        }
        if engine.suggest > engine.accept {
            bail!("SOFIA_NLU_SUGGEST must not be above SOFIA_NLU_ACCEPT");
        }
        let durability = match env("SOFIA_DURABILITY").as_deref() {
            None | Some("full") => Durability::Full,
            Some("normal") => Durability::Normal,
            Some(other) => bail!("SOFIA_DURABILITY must be full or normal, not {other:?}"),
        };
        let cases = cases_from(&env)?;
        let privacy = privacy_from(&env)?;
        let team = [(crate::lang::Lang::Bg, "SOFIA_TEAM_BG"), (crate::lang::Lang::En, "SOFIA_TEAM_EN")]
            .into_iter()
            .filter_map(|(lang, name)| env(name).map(|v| (lang, v.trim().to_string())))
            .collect();
        Ok(Config { dialogs, locales, engine, durability, cases, privacy, team })
    }
}

/// Retention (`SOFIA_KEEP_CONVERSATIONS_DAYS`, `SOFIA_KEEP_CASES_DAYS`, `SOFIA_KEEP_AUDIT_DAYS`,
/// `SOFIA_KEEP_UPDATES_DAYS`) and the contact /privacy names (`SOFIA_PRIVACY_CONTACT`).
fn privacy_from(env: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<PrivacySettings> {
    let mut p = PrivacySettings::default();
    for (name, field, min) in [
        ("SOFIA_KEEP_CONVERSATIONS_DAYS", &mut p.retention.conversations, 1),
        ("SOFIA_KEEP_CASES_DAYS", &mut p.retention.cases, 1),
        ("SOFIA_KEEP_AUDIT_DAYS", &mut p.retention.audit, 1),
        // Telegram redelivers an update for up to a day: its id must be remembered that long.
        ("SOFIA_KEEP_UPDATES_DAYS", &mut p.retention.updates, 2),
    ] {
        if let Some(v) = env(name) {
            *field = v
                .trim()
                .parse()
                .ok()
                .filter(|d| (min..=36_500).contains(d))
                .with_context(|| format!("{name} must be a whole number of days, at least {min}"))?;
        }
    }
    p.contact = env("SOFIA_PRIVACY_CONTACT").map(|c| c.trim().to_string());
    Ok(p)
}

/// How cases run: `SOFIA_CASE_PREFIX`, `SOFIA_WORKING_HOURS`, `SOFIA_CASE_DUE_DAYS` (working
/// days, fractions allowed), `SOFIA_REOPEN_DAYS`, `SOFIA_STAFF_GROUP`, `SOFIA_STAFF_LANG`,
/// `SOFIA_STAFF_TALK_MINUTES`.
fn cases_from(env: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<CaseSettings> {
    let mut cases = CaseSettings::default();
    if let Some(p) = env("SOFIA_CASE_PREFIX") {
        let p = p.trim().to_string();
        if !(1..=8).contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
            bail!("SOFIA_CASE_PREFIX must be 1-8 capital letters or digits, like SOF");
        }
        cases.prefix = p;
    }
    if let Some(h) = env("SOFIA_WORKING_HOURS") {
        cases.hours = WorkingHours::parse(&h).context("SOFIA_WORKING_HOURS")?;
    }
    let days: f64 = match env("SOFIA_CASE_DUE_DAYS") {
        Some(v) => v.trim().parse().ok().filter(|d: &f64| d.is_finite() && *d > 0.0 && *d <= 60.0).context(
            "SOFIA_CASE_DUE_DAYS must be a number of working days above 0 (fractions allowed, e.g. 0.5), at most 60",
        )?,
        None => 1.0,
    };
    let day = cases.hours.working_day_length().num_seconds() as f64;
    cases.due = chrono::Duration::seconds((day * days).round() as i64);
    if let Some(v) = env("SOFIA_REOPEN_DAYS") {
        cases.reopen_days = v
            .trim()
            .parse()
            .ok()
            .filter(|d| (0..=365).contains(d))
            .context("SOFIA_REOPEN_DAYS must be a whole number of days from 0 to 365")?;
    }
    if let Some(v) = env("SOFIA_STAFF_GROUP") {
        let id: i64 =
            v.trim().parse().context("SOFIA_STAFF_GROUP must be the staff group's chat id, like -1001234567890")?;
        if id >= 0 {
            bail!("SOFIA_STAFF_GROUP must be a group's chat id, which is negative (like -1001234567890)");
        }
        cases.staff_group = Some(id);
    }
    if let Some(v) = env("SOFIA_STAFF_LANG") {
        cases.staff_lang = crate::lang::Lang::parse(v.trim()).context("SOFIA_STAFF_LANG must be bg or en")?;
    }
    if let Some(v) = env("SOFIA_STAFF_TALK_MINUTES") {
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
pub fn console_settings(plain_http: bool) -> anyhow::Result<crate::web::WebSettings> {
    let mut settings = crate::web::WebSettings { secure_cookies: !plain_http, ..Default::default() };
    if let Ok(v) = std::env::var("SOFIA_TRUSTED_PROXY") {
        for a in v.split([',', ' ']).map(str::trim).filter(|a| !a.is_empty()) {
            let ip: std::net::IpAddr = a.parse().with_context(|| {
                format!("SOFIA_TRUSTED_PROXY must list IP addresses (like 127.0.0.1, ::1), not {a:?}")
            })?;
            settings.trusted_proxies.push(ip.to_canonical());
        }
    }
    Ok(settings)
}

/// A secret (a bot token, a webhook secret): never shown by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(secret: impl Into<String>) -> Secret {
        Secret(secret.into())
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// What `sofia-bot run` needs to reach Telegram, validated.
#[derive(Debug, Clone)]
pub struct TelegramConfig {
    /// From `TELOXIDE_TOKEN`.
    pub token: Secret,
    /// From `TELOXIDE_API_URL`: another Bot API server (a local telegram-bot-api, a fake).
    pub api_url: Option<url::Url>,
    /// Webhook mode, when a public URL is given; long polling otherwise.
    pub webhook: Option<WebhookConfig>,
    /// The sending rates (`SOFIA_SEND_RATE`, `SOFIA_SEND_RATE_PER_CHAT`; 0 is no limit, for a
    /// test server only).
    pub limits: Limits,
}

#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// The public HTTPS URL Telegram posts to.
    pub url: url::Url,
    /// Where this process listens (behind the TLS proxy).
    pub listen: SocketAddr,
    /// Telegram sends it back in `X-Telegram-Bot-Api-Secret-Token`.
    pub secret: Secret,
}

/// The raw Telegram settings, from flags or the environment. No `Debug`: it holds the token.
#[derive(Default, Clone)]
pub struct RawTelegram {
    pub token: Option<String>,
    pub api_url: Option<String>,
    pub webhook_url: Option<String>,
    pub listen: Option<String>,
    pub webhook_secret: Option<String>,
    pub send_rate: Option<String>,
    pub send_rate_per_chat: Option<String>,
}

impl RawTelegram {
    /// Flags first, then `TELOXIDE_TOKEN`, `TELOXIDE_API_URL`, `SOFIA_WEBHOOK_URL`,
    /// `SOFIA_LISTEN`, `SOFIA_WEBHOOK_SECRET`.
    pub fn from_env(
        webhook_url: Option<String>,
        listen: Option<String>,
        webhook_secret: Option<String>,
    ) -> RawTelegram {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        RawTelegram {
            token: env("TELOXIDE_TOKEN"),
            api_url: env("TELOXIDE_API_URL"),
            webhook_url: webhook_url.or_else(|| env("SOFIA_WEBHOOK_URL")),
            listen: listen.or_else(|| env("SOFIA_LISTEN")),
            webhook_secret: webhook_secret.or_else(|| env("SOFIA_WEBHOOK_SECRET")),
            send_rate: env("SOFIA_SEND_RATE"),
            send_rate_per_chat: env("SOFIA_SEND_RATE_PER_CHAT"),
        }
    }
}

impl TelegramConfig {
    /// Validates the raw settings. Error messages never contain the token or the secret.
    pub fn parse(raw: RawTelegram) -> anyhow::Result<TelegramConfig> {
        let token = raw
            .token
            .map(|t| t.trim().to_string())
            .context("set TELOXIDE_TOKEN to the token @BotFather gave the bot")?;
        let shaped = token.split_once(':').is_some_and(|(id, rest)| {
            !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_digit())
                && !rest.is_empty()
                && !rest.contains(['/', ' ', '\t'])
        });
        if !shaped {
            bail!("TELOXIDE_TOKEN does not look like a bot token (digits, a colon, then letters)");
        }
        let api_url = match raw.api_url {
            Some(u) => {
                let parsed = url::Url::parse(u.trim_end_matches('/'))
                    .with_context(|| format!("TELOXIDE_API_URL {u:?} is not a URL"))?;
                if !matches!(parsed.scheme(), "http" | "https") {
                    bail!("TELOXIDE_API_URL must be an http or https URL");
                }
                Some(parsed)
            }
            None => None,
        };
        let webhook = match raw.webhook_url {
            None => {
                if raw.webhook_secret.is_some() {
                    bail!("a webhook secret is set but no webhook URL (--webhook-url or SOFIA_WEBHOOK_URL)");
                }
                None
            }
            Some(u) => {
                let url = url::Url::parse(&u).with_context(|| format!("the webhook URL {u:?} is not a URL"))?;
                if url.scheme() != "https" {
                    bail!("Telegram posts only to an https webhook URL");
                }
                let listen = raw.listen.as_deref().unwrap_or("0.0.0.0:8080");
                let listen: SocketAddr = listen
                    .parse()
                    .with_context(|| format!("the listen address {listen:?} is not an address such as 0.0.0.0:8080"))?;
                let secret = raw.webhook_secret.context(
                    "webhook mode needs a secret (--webhook-secret or SOFIA_WEBHOOK_SECRET): 1-256 of A-Z a-z 0-9 _ -",
                )?;
                let valid = (1..=256).contains(&secret.len())
                    && secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                if !valid {
                    bail!("the webhook secret must be 1-256 characters of A-Z a-z 0-9 _ -");
                }
                Some(WebhookConfig { url, listen, secret: Secret(secret) })
            }
        };
        let defaults = Limits::default();
        let rate =
            |name: &str, raw: Option<String>, default: Option<Rate>, burst: f64| -> anyhow::Result<Option<Rate>> {
                let Some(v) = raw else { return Ok(default) };
                let per_second: f64 =
                    v.trim().parse().with_context(|| format!("{name} must be messages a second, or 0 for no limit"))?;
                if !per_second.is_finite() || per_second < 0.0 {
                    bail!("{name} must be messages a second, or 0 for no limit");
                }
                Ok((per_second > 0.0).then_some(Rate { per_second, burst: burst.max(per_second) }))
            };
        let limits = Limits {
            overall: rate("SOFIA_SEND_RATE", raw.send_rate, defaults.overall, 1.0)?,
            per_chat: rate("SOFIA_SEND_RATE_PER_CHAT", raw.send_rate_per_chat, defaults.per_chat, 3.0)?,
            per_group: defaults.per_group,
        };
        Ok(TelegramConfig { token: Secret(token), api_url, webhook, limits })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "123456:ABC-def_ghi";

    #[test]
    fn the_token_never_shows_in_debug_output_or_errors() {
        let config =
            TelegramConfig::parse(RawTelegram { token: Some(TOKEN.into()), ..RawTelegram::default() }).unwrap();
        assert!(!format!("{config:?}").contains("ABC-def"));
        let bad =
            TelegramConfig::parse(RawTelegram { token: Some("not a token ABC-def".into()), ..RawTelegram::default() });
        assert!(!format!("{:#}", bad.unwrap_err()).contains("ABC-def"));
    }

    #[test]
    fn webhook_mode_needs_https_and_a_valid_secret() {
        let raw = |url: &str, secret: Option<&str>| RawTelegram {
            token: Some(TOKEN.into()),
            webhook_url: Some(url.into()),
            webhook_secret: secret.map(str::to_string),
            ..RawTelegram::default()
        };
        let ok = TelegramConfig::parse(raw("https://bot.example.org/telegram", Some("s3cret_-X"))).unwrap();
        let hook = ok.webhook.unwrap();
        assert_eq!(hook.listen.to_string(), "0.0.0.0:8080");
        assert!(!format!("{hook:?}").contains("s3cret"));
        assert!(TelegramConfig::parse(raw("http://bot.example.org/", Some("s"))).is_err());
        assert!(TelegramConfig::parse(raw("https://bot.example.org/", None)).is_err());
        assert!(TelegramConfig::parse(raw("https://bot.example.org/", Some("has space"))).is_err());
    }

    #[test]
    fn staff_talk_minutes_default_to_thirty_and_refuse_nonsense() {
        let env = |value: Option<&'static str>| {
            move |name: &str| (name == "SOFIA_STAFF_TALK_MINUTES").then_some(value).flatten().map(str::to_string)
        };
        assert_eq!(cases_from(&env(None)).unwrap().talk, chrono::Duration::minutes(30));
        assert_eq!(cases_from(&env(Some(" 5 "))).unwrap().talk, chrono::Duration::minutes(5));
        for bad in ["-1", "half", "1441"] {
            let e = cases_from(&env(Some(bad))).unwrap_err();
            assert!(e.to_string().contains("SOFIA_STAFF_TALK_MINUTES"), "{bad}: {e}");
        }
    }

    #[test]
    fn a_missing_token_says_where_to_get_one() {
        let e = TelegramConfig::parse(RawTelegram::default()).unwrap_err();
        assert!(e.to_string().contains("BotFather"));
    }
}
