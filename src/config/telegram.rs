//! What `sofia-bot run` needs to reach Telegram: the token, the Bot API server, webhook mode
//! and the sending rates, validated. Error messages never contain the token or the secret.

use std::net::SocketAddr;

use anyhow::{Context, bail};

use super::Options;
use super::options::{set, token};
use crate::channels::telegram::rate::{Limits, Rate};
use crate::secret::Secret;

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
    /// The settings, `TELOXIDE_TOKEN`, and the webhook flags of `run` (each also from its
    /// variable: `SOFIA_WEBHOOK_URL`, `SOFIA_LISTEN`, `SOFIA_WEBHOOK_SECRET`).
    pub fn new(
        o: &Options,
        webhook_url: Option<String>,
        listen: Option<String>,
        webhook_secret: Option<String>,
    ) -> RawTelegram {
        let blank = |v: Option<String>| set(&v);
        RawTelegram {
            token: token(),
            api_url: set(&o.api_url),
            webhook_url: blank(webhook_url),
            listen: blank(listen),
            webhook_secret: blank(webhook_secret),
            send_rate: set(&o.send_rate),
            send_rate_per_chat: set(&o.send_rate_per_chat),
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
                Some(WebhookConfig { url, listen, secret: Secret::new(secret) })
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
        Ok(TelegramConfig { token: Secret::new(token), api_url, webhook, limits })
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
    fn a_missing_token_says_where_to_get_one() {
        let e = TelegramConfig::parse(RawTelegram::default()).unwrap_err();
        assert!(e.to_string().contains("BotFather"));
    }
}
