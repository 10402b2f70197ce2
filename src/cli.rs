//! The command line: raw arguments become a validated command, then the library runs it.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::assistant::Assistant;
use crate::channels::{console, telegram};
use crate::config::{Config, Options, RawTelegram, TelegramConfig};
use crate::engine::{Flows, load_flows};
use crate::i18n::Locales;
use crate::lang::Lang;
use crate::store::Store;

#[derive(Parser)]
#[command(name = "sofia-bot", version, about = "The Sofia citizen assistant")]
struct Cli {
    #[command(flatten)]
    options: Options,
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
    /// Serve citizens on Telegram (token in TELOXIDE_TOKEN); long polling unless a webhook
    /// URL is given.
    Run {
        /// The database file.
        #[arg(long, default_value = "sofia-bot.db")]
        db: PathBuf,
        /// Webhook mode: the public HTTPS URL Telegram posts to.
        #[arg(long, env = "SOFIA_WEBHOOK_URL")]
        webhook_url: Option<String>,
        /// Webhook mode: the address to listen on, behind the TLS proxy (default 0.0.0.0:8080).
        #[arg(long, env = "SOFIA_LISTEN")]
        listen: Option<String>,
        /// Webhook mode: the secret Telegram sends back (the variable keeps it out of the
        /// process list).
        #[arg(long, env = "SOFIA_WEBHOOK_SECRET", hide_env_values = true)]
        webhook_secret: Option<String>,
        /// Also serve the staff console on this address (e.g. 127.0.0.1:8090, behind a TLS
        /// proxy).
        #[arg(long, env = "SOFIA_STAFF_LISTEN")]
        staff_listen: Option<String>,
        /// The console's cookies without Secure, for plain http on a local address only.
        #[arg(long)]
        plain_http: bool,
    },
    /// Serve only the staff console (cases are answered through the running Telegram service).
    Staff {
        #[arg(long, default_value = "sofia-bot.db")]
        db: PathBuf,
        /// The address to listen on, behind a TLS proxy [default: 127.0.0.1:8090].
        #[arg(long, env = "SOFIA_STAFF_LISTEN")]
        listen: Option<String>,
        /// Cookies without Secure, for plain http on a local address only.
        #[arg(long)]
        plain_http: bool,
    },
    /// Staff accounts of the console: add, disable, reset a password (read from the terminal
    /// or standard input, never from an argument).
    StaffUser {
        /// The database file; before or after the action (`staff-user add NAME --db DB`).
        #[arg(long, default_value = "sofia-bot.db", global = true)]
        db: PathBuf,
        #[command(subcommand)]
        action: StaffUserCommand,
    },
    /// Load dialogs/ and locales/ and report every problem with file:line.
    Check,
    /// Measure what citizens get for a labelled TSV (columns text, label, optional style and
    /// group): answered at once through the whole loop, and routing.
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
    /// Cases handed to staff: list them, read one, answer, close (with or without a staff
    /// group; beside a running service, which sends the answers).
    Cases {
        /// The database file; before or after the action (`cases list --db DB`).
        #[arg(long, default_value = "sofia-bot.db", global = true)]
        db: PathBuf,
        #[command(subcommand)]
        action: CasesCommand,
    },
    /// Remove what is past its time (see SOFIA_KEEP_*); counts survive in aggregate.
    Purge {
        #[arg(long, default_value = "sofia-bot.db")]
        db: PathBuf,
        /// Count what would go, remove nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// A citizen's data, for a request received by other means: find, export, erase.
    Data {
        /// The database file; before or after the action (`data find telegram:ID --db DB`).
        #[arg(long, default_value = "sofia-bot.db", global = true)]
        db: PathBuf,
        #[command(subcommand)]
        action: DataCommand,
    },
    /// The questions the assistant did not understand most often, personal numbers masked.
    Missed {
        #[arg(long, default_value = "sofia-bot.db")]
        db: PathBuf,
        #[arg(long, default_value_t = 30)]
        limit: i64,
    },
    /// Simulated citizens through understanding, engine and the durable store.
    #[command(after_help = "Through Telegram (teloxide against a fake Bot API server, the inbox, the processor \
                            and the sender), run the devkit's benchmark from a checkout:\n  \
                            cargo run --release -p sofia-devkit --bin telegram-bench -- --citizens 1000 --turns 20")]
    Bench {
        /// How many citizens talk at once.
        #[arg(long, default_value_t = 1000)]
        citizens: usize,
        /// How many turns each citizen takes.
        #[arg(long, default_value_t = 20)]
        turns: usize,
        /// Turns a second offered over all citizens for the paced run (0: skip it).
        #[arg(long, default_value_t = 5000.0)]
        rate: f64,
    },
}

#[derive(Subcommand)]
enum StaffUserCommand {
    /// A new account; its password is read from the terminal or standard input.
    Add {
        name: String,
        /// agent, supervisor or admin.
        #[arg(long, default_value = "agent")]
        role: String,
    },
    /// The account can no longer sign in; its sessions end.
    Disable { name: String },
    /// A new password (read from the terminal or standard input); its sessions end.
    ResetPassword { name: String },
}

#[derive(Subcommand)]
enum DataCommand {
    /// What is kept about a citizen (CHANNEL:CHAT, like telegram:123456789), counted.
    Find { chat: String },
    /// Write the citizen's data (JSON and text) into a folder.
    Export {
        chat: String,
        #[arg(long, default_value = ".")]
        out: PathBuf,
        /// Your name, for the audit log (default: $USER).
        #[arg(long = "as")]
        name: Option<String>,
    },
    /// The audit log: every export and erasure, with who, when and whose data.
    Audit,
    /// Erase the citizen's data as /forget does: conversations and sessions deleted, cases
    /// anonymised.
    Erase {
        chat: String,
        #[arg(long = "as")]
        name: Option<String>,
    },
}

#[derive(Subcommand)]
enum CasesCommand {
    /// The open cases by due time, then the others, newest first.
    List {
        /// Only cases with this status (new, assigned, waiting, resolved, closed, reopened).
        #[arg(long)]
        status: Option<String>,
        /// Only cases still open.
        #[arg(long)]
        open: bool,
    },
    /// A case with its collected details, its conversation and its history.
    Show { reference: String },
    /// Answer the citizen of a case.
    Reply {
        reference: String,
        text: String,
        /// Your name, as the case's history keeps it (default: $USER).
        #[arg(long = "as")]
        name: Option<String>,
    },
    /// Close a case with a note for the citizen, who is asked for a rating.
    Close {
        reference: String,
        note: Option<String>,
        #[arg(long = "as")]
        name: Option<String>,
    },
    /// Take a case: it is yours.
    Take {
        reference: String,
        #[arg(long = "as")]
        name: Option<String>,
    },
    /// Open a resolved or closed case again.
    Reopen {
        reference: String,
        #[arg(long = "as")]
        name: Option<String>,
    },
    /// Keep an internal note on a case; never sent.
    Note {
        reference: String,
        text: String,
        #[arg(long = "as")]
        name: Option<String>,
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

/// Logs on standard error (the telegram-bench of the devkit logs the same way).
pub fn init_logs() {
    // RUST_LOG as a list of targets and levels ("info", "sofia_bot=debug"); warnings by default.
    let filter: tracing_subscriber::filter::Targets = std::env::var("RUST_LOG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| "warn".parse().expect("a valid filter"));
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let _ = tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(filter)
        .try_init();
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let options = cli.options;
    let config = Config::from_options(&options)?;
    match cli.command {
        Command::Cases { db, action } => {
            if !db.exists() {
                anyhow::bail!("{} does not exist", db.display());
            }
            let (flows, locales) = load(&config)?;
            runtime()?.block_on(async {
                let store =
                    Store::open(&db, config.durability).await.with_context(|| format!("opening {}", db.display()))?;
                let assistant =
                    Assistant { flows, locales, store, cases: config.cases.clone(), privacy: config.privacy.clone() };
                let result = crate::staff::cli::run(&assistant, action.into()).await;
                assistant.store.close().await;
                result
            })
        }
        Command::Purge { db, dry_run } => {
            with_assistant(&config, &db, |a| async move { crate::privacy::admin::purge(&a, dry_run).await })
        }
        Command::Missed { db, limit } => {
            with_assistant(&config, &db, |a| async move { crate::privacy::admin::missed(&a, limit).await })
        }
        Command::Data { db, action } => with_assistant(&config, &db, |a| async move {
            use crate::privacy::admin;
            match action {
                DataCommand::Find { chat } => admin::find(&a, &chat).await,
                DataCommand::Export { chat, out, name } => admin::export(&a, &chat, &out, name).await,
                DataCommand::Erase { chat, name } => admin::erase(&a, &chat, name).await,
                DataCommand::Audit => admin::audit_log(&a).await,
            }
        }),
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
            let (flows, locales) = load(&config)?;
            let report = match (cv, file) {
                (Some(k), _) => crate::eval::cross_validate(&flows, k)?,
                (None, Some(file)) => runtime()?.block_on(crate::eval::eval_file_scratch(flows, locales, &file))?,
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
                let store =
                    Store::open(&db, config.durability).await.with_context(|| format!("opening {}", db.display()))?;
                let assistant =
                    Assistant { flows, locales, store, cases: config.cases.clone(), privacy: config.privacy.clone() };
                let data_dir = db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
                console::run(&assistant, &user, lang, json, data_dir).await?;
                assistant.store.close().await;
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::Bench { citizens, turns, rate } => {
            println!("{}", crate::nlu::lexicon::describe_load());
            let started = std::time::Instant::now();
            let (flows, locales) = load(&config)?;
            println!(
                "start-up: dialogs/ and locales/ loaded, the classifier built with the dictionary, in {:.0} ms\n",
                started.elapsed().as_secs_f64() * 1000.0
            );
            runtime()?.block_on(crate::bench::run(flows, locales, config.durability, citizens, turns, rate))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Run { db, webhook_url, listen, webhook_secret, staff_listen, plain_http } => {
            let raw = RawTelegram::new(&options, webhook_url, listen, webhook_secret);
            let telegram_config = TelegramConfig::parse(raw)?;
            let staff_listen = console_address(staff_listen)?;
            let web = match staff_listen {
                Some(a) => Some((a, crate::config::console_settings(&options, plain_http)?)),
                None => None,
            };
            let (flows, locales) = load(&config)?;
            runtime()?.block_on(run_telegram(flows, locales, &config, telegram_config, &db, web))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Staff { db, listen, plain_http } => {
            // A wrong address is refused before the database is opened.
            let listen = console_address(listen)?.unwrap_or(std::net::SocketAddr::from(([127, 0, 0, 1], 8090)));
            with_assistant(&config, &db, move |a| async move {
                let settings =
                    crate::config::console_settings(&options, plain_http)?.with_stored_secret(&a.store).await?;
                let mut console = crate::web::Console::new(a, settings);
                // With the bot's token the console shows citizens' photos.
                if let Ok(tg) = TelegramConfig::parse(RawTelegram::new(&options, None, None, None)) {
                    console = console.with_bot(telegram::bot(tg.token.expose(), tg.api_url.as_ref()));
                }
                let console = std::sync::Arc::new(console);
                let (stop, stopped) = tokio::sync::watch::channel(false);
                tokio::spawn(stop_on_signal(stop));
                println!("staff console on http://{listen}/ (stop with Ctrl-C)");
                crate::web::serve(console, listen, stopped).await.with_context(|| format!("listening on {listen}"))?;
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::StaffUser { db, action } => {
            let password = match &action {
                StaffUserCommand::Add { .. } | StaffUserCommand::ResetPassword { .. } => Some(read_password()?),
                StaffUserCommand::Disable { .. } => None,
            };
            with_assistant(
                &config,
                &db,
                |a| async move { crate::web::users::run(&a.store, action.into(), password).await },
            )
        }
    }
}

/// The console's address from `--staff-listen`/`--listen` or `SOFIA_STAFF_LISTEN`; blank is
/// unset.
fn console_address(value: Option<String>) -> anyhow::Result<Option<std::net::SocketAddr>> {
    crate::config::set(&value)
        .map(|v| v.trim().parse().context("SOFIA_STAFF_LISTEN must be an address like 127.0.0.1:8090"))
        .transpose()
}

/// `sofia-bot run`: serves until SIGTERM or SIGINT, then stops taking updates, finishes the
/// turns in flight and flushes the store.
async fn run_telegram(
    flows: Flows,
    locales: Locales,
    config: &Config,
    tg: TelegramConfig,
    db: &std::path::Path,
    web: Option<(std::net::SocketAddr, crate::web::WebSettings)>,
) -> anyhow::Result<()> {
    let store = Store::open(db, config.durability).await.with_context(|| format!("opening {}", db.display()))?;
    let assistant = std::sync::Arc::new(Assistant {
        flows,
        locales,
        store: store.clone(),
        cases: config.cases.clone(),
        privacy: config.privacy.clone(),
    });
    let bot = telegram::bot(tg.token.expose(), tg.api_url.as_ref());
    let intake = match tg.webhook {
        Some(w) => telegram::Intake::Webhook { url: w.url, listen: w.listen, secret: w.secret },
        None => telegram::Intake::Polling,
    };
    let settings = telegram::Settings { intake, limits: tg.limits, ..telegram::Settings::default() };
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(stop_on_signal(stop));
    let console = match web {
        Some((listen, settings)) => {
            let settings = settings.with_stored_secret(&store).await?;
            let console = crate::web::Console::new(assistant.clone(), settings).with_bot(bot.clone());
            Some(tokio::spawn(crate::web::serve(std::sync::Arc::new(console), listen, stopped.clone())))
        }
        None => None,
    };
    let served = telegram::serve(bot, assistant.clone(), settings, stopped).await;
    if let Some(console) = console {
        match console.await {
            Ok(Err(e)) => tracing::error!(error = %e, "the staff console stopped"),
            Err(e) => tracing::error!(error = %e, "the staff console failed"),
            Ok(Ok(())) => {}
        }
    }
    store.close().await;
    served.context("serving Telegram")
}

/// Turns `stop` true on SIGTERM or SIGINT.
async fn stop_on_signal(stop: tokio::sync::watch::Sender<bool>) {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "SIGTERM cannot be caught; stop with Ctrl-C");
            let _ = tokio::signal::ctrl_c().await;
            let _ = stop.send(true);
            return;
        }
    };
    tokio::select! {
        _ = term.recv() => tracing::info!("SIGTERM: stopping"),
        _ = tokio::signal::ctrl_c() => tracing::info!("SIGINT: stopping"),
    }
    let _ = stop.send(true);
}

/// A password from the terminal (not echoed), or the first line of standard input.
fn read_password() -> anyhow::Result<String> {
    use std::io::IsTerminal;
    let password = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("password: ").context("reading the password")?
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
        line.trim_end_matches(['\n', '\r']).to_string()
    };
    Ok(password)
}

/// Runs `work` with the assistant over an existing database, then closes the store.
fn with_assistant<F, Fut>(config: &Config, db: &std::path::Path, work: F) -> anyhow::Result<ExitCode>
where
    F: FnOnce(std::sync::Arc<Assistant>) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<ExitCode>>,
{
    if !db.exists() {
        anyhow::bail!("{} does not exist", db.display());
    }
    let (flows, locales) = load(config)?;
    runtime()?.block_on(async {
        let store = Store::open(db, config.durability).await.with_context(|| format!("opening {}", db.display()))?;
        let cases = config.cases.clone();
        let privacy = config.privacy.clone();
        let assistant = std::sync::Arc::new(Assistant { flows, locales, store: store.clone(), cases, privacy });
        let result = work(assistant).await;
        store.close().await;
        result
    })
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")
}

/// Loads flows and text, or fails with every problem listed.
pub fn load(config: &Config) -> anyhow::Result<(Flows, Locales)> {
    let show =
        |errors: Vec<crate::engine::LoadError>| errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n");
    let mut locales = Locales::load(&config.locales).map_err(|e| anyhow::anyhow!("{}", show(e)))?;
    for (lang, team) in &config.team {
        locales.set_team(*lang, team);
    }
    let flows = load_flows(&config.dialogs, config.engine.clone()).map_err(|e| anyhow::anyhow!("{}", show(e)))?;
    Ok((flows, locales))
}

impl From<CasesCommand> for crate::staff::cli::Action {
    fn from(c: CasesCommand) -> Self {
        use crate::staff::cli::Action;
        match c {
            CasesCommand::List { status, open } => Action::List { status, open },
            CasesCommand::Show { reference } => Action::Show { reference },
            CasesCommand::Reply { reference, text, name } => Action::Reply { reference, text, name },
            CasesCommand::Close { reference, note, name } => Action::Close { reference, note, name },
            CasesCommand::Take { reference, name } => Action::Take { reference, name },
            CasesCommand::Reopen { reference, name } => Action::Reopen { reference, name },
            CasesCommand::Note { reference, text, name } => Action::Note { reference, text, name },
        }
    }
}

impl From<StaffUserCommand> for crate::web::users::Action {
    fn from(c: StaffUserCommand) -> Self {
        use crate::web::users::Action;
        match c {
            StaffUserCommand::Add { name, role } => Action::Add { name, role },
            StaffUserCommand::Disable { name } => Action::Disable { name },
            StaffUserCommand::ResetPassword { name } => Action::ResetPassword { name },
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn a_setting_reads_from_its_flag_before_or_after_the_subcommand() {
        for args in [["sofia-bot", "--case-prefix", "ABC", "check"], ["sofia-bot", "check", "--case-prefix", "ABC"]] {
            let cli = Cli::try_parse_from(args).expect("it parses");
            assert_eq!(Config::from_options(&cli.options).unwrap().cases.prefix, "ABC", "{args:?}");
        }
    }
}
