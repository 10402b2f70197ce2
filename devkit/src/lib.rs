//! sofia-devkit: what the tests and the Telegram benchmark need beside the product, kept out
//! of the shipped `sofia-bot` binary. It depends on the `sofia-bot` library and only uses what
//! that library makes public; `sofia-bot` has it as a dev-dependency only.

pub mod bench; // `telegram-bench`: simulated citizens through teloxide, the fake and the channel
pub mod cable; // a TCP relay a test can cut: the Bot API unreachable, then back
pub mod fake; // a fake Telegram Bot API server on 127.0.0.1:0 that checks every request
pub mod plans; // simulated citizens' acts, and the answers the engine foresees for them
