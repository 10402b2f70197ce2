//! The `sofia-bot` binary: parse the command line, hand over to the library.

fn main() -> std::process::ExitCode {
    sofia_bot::cli::main()
}
