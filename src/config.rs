//! Settings: raw values from flags and the environment become a validated `Config`.
//! Secrets never appear in `Debug` output or logs.

use std::path::PathBuf;

use anyhow::{Context, bail};

use crate::engine::Settings;
use crate::store::Durability;

/// Everything the binary needs to know, validated.
#[derive(Debug, Clone)]
pub struct Config {
    pub dialogs: PathBuf,
    pub locales: PathBuf,
    pub engine: Settings,
    pub durability: Durability,
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
        Ok(Config { dialogs, locales, engine, durability })
    }
}
