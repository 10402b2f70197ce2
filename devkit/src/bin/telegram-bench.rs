//! `telegram-bench`: the benchmark through Telegram, with the options `sofia-bot bench --telegram`
//! had. Parses the command line, loads the content as `sofia-bot` does, and runs
//! `sofia_devkit::bench`; the figures are printed there.
//!
//! ```text
//! cargo run --release -p sofia-devkit --bin telegram-bench -- --citizens 1000 --turns 20 --rate 3000
//! ```

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use sofia_bot::config::{Config, Options};

/// Simulated citizens through teloxide, a fake Bot API server in this process, the inbox, the
/// processor and the sender (SOFIA_DURABILITY as for `sofia-bot`).
#[derive(Parser)]
#[command(name = "telegram-bench", about)]
struct Args {
    /// The settings of `sofia-bot`, as flags or variables (`--dialogs`, `SOFIA_DURABILITY`, ...).
    #[command(flatten)]
    options: Options,
    /// How many citizens talk at once.
    #[arg(long, default_value_t = 1000)]
    citizens: usize,
    /// How many updates each citizen sends.
    #[arg(long, default_value_t = 20)]
    turns: usize,
    /// Updates a second offered over all citizens for the paced run (0: skip it).
    #[arg(long, default_value_t = 3000.0)]
    rate: f64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    // Warnings on standard error, as `sofia-bot` logs them (RUST_LOG to change).
    sofia_bot::cli::init_logs();
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    let config = Config::from_options(&args.options)?;
    let (flows, locales) = sofia_bot::cli::load(&config)?;
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")?;
    runtime.block_on(sofia_devkit::bench::run(flows, locales, config.durability, args.citizens, args.turns, args.rate))
}
