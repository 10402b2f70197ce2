//! The command line: raw arguments become a validated command, then the library runs it.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::channels::{Assistant, console};
use crate::config::Config;
use crate::engine::{Flows, load_flows};
use crate::i18n::Locales;
use crate::lang::Lang;
use crate::store::Store;

#[derive(Parser)]
#[command(name = "sofia-bot", version, about = "The Sofia citizen assistant")]
struct Cli {
    /// The folder of flows (default: ./dialogs, or SOFIA_DIALOGS).
    #[arg(long, global = true)]
    dialogs: Option<PathBuf>,
    /// The folder of Fluent text (default: ./locales, or SOFIA_LOCALES).
    #[arg(long, global = true)]
    locales: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Talk to the assistant in the terminal (no token needed).
    Chat {
        /// The database file.
        #[arg(long, default_value = "sofia-bot.db")]
        db: PathBuf,
        /// Who the citizen is; the same id resumes the same conversation.
        #[arg(long, default_value = "1")]
        user: String,
        /// The language of the citizen's app (like Telegram's language_code).
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
        /// One JSON object per assistant message.
        #[arg(long)]
        json: bool,
    },
    /// Load dialogs/ and locales/ and report every problem with file:line.
    Check,
    /// Measure understanding on a labelled TSV (columns text, label, optional style).
    Eval {
        /// The TSV file; not needed with --cv.
        file: Option<PathBuf>,
        /// Cross-validate over the examples in dialogs/ with this many folds instead.
        #[arg(long)]
        cv: Option<usize>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Simulated citizens through understanding, engine and the durable store.
    Bench {
        /// How many citizens talk at once.
        #[arg(long, default_value_t = 1000)]
        citizens: usize,
        /// How many turns each citizen takes.
        #[arg(long, default_value_t = 20)]
        turns: usize,
    },
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("{s:?} is not a language here: use bg or en"))
}

/// Runs the command line and turns any error into a message and exit code 1.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logs();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logs() {
    // RUST_LOG as a list of targets and levels ("info", "sofia_bot=debug"); warnings by default.
    let filter: tracing_subscriber::filter::Targets =
        std::env::var("RUST_LOG").ok().and_then(|v| v.parse().ok()).unwrap_or_else(|| "warn".parse().expect("a valid filter"));
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let _ = tracing_subscriber::registry().with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr)).with(filter).try_init();
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = Config::from_env(cli.dialogs, cli.locales)?;
    match cli.command {
        Command::Check => {
            let problems = crate::check::check(&config.dialogs, &config.locales, config.engine.clone());
            for p in &problems {
                println!("{p}");
            }
            if problems.is_empty() {
                println!("ok: dialogs and locales are consistent");
                Ok(ExitCode::SUCCESS)
            } else {
                println!("{} problem(s)", problems.len());
                Ok(ExitCode::FAILURE)
            }
        }
        Command::Eval { file, cv, json } => {
            let flows = load(&config)?.0;
            let report = match (cv, file) {
                (Some(k), _) => crate::eval::cross_validate(&flows, k)?,
                (None, Some(file)) => crate::eval::eval_file(&flows, &file)?,
                (None, None) => anyhow::bail!("give a TSV file, or --cv K"),
            };
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", report.to_text());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Chat { db, user, lang, json } => {
            let (flows, locales) = load(&config)?;
            runtime()?.block_on(async {
                let store = Store::open(&db, config.durability).await.with_context(|| format!("opening {}", db.display()))?;
                let assistant = Assistant { flows, locales, store };
                console::run(&assistant, &user, lang, json).await?;
                assistant.store.close().await;
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::Bench { citizens, turns } => {
            let (flows, locales) = load(&config)?;
            runtime()?.block_on(crate::bench::run(flows, locales, config.durability, citizens, turns))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")
}

/// Loads flows and text, or fails with every problem listed.
pub fn load(config: &Config) -> anyhow::Result<(Flows, Locales)> {
    let show = |errors: Vec<crate::engine::LoadError>| {
        errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")
    };
    let locales = Locales::load(&config.locales).map_err(|e| anyhow::anyhow!("{}", show(e)))?;
    let flows = load_flows(&config.dialogs, config.engine.clone()).map_err(|e| anyhow::anyhow!("{}", show(e)))?;
    Ok((flows, locales))
}
