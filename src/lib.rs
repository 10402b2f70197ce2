//! sofia-bot: a citizen assistant. A pure dialogue engine over flows in `dialogs/` and text
//! in `locales/`, with channels, a store and the staff side around it.

#![warn(unreachable_pub)]

pub mod assistant; // the assistant's parts and words, below every channel
pub mod bench; // `sofia-bot bench`: simulated citizens through engine and store
pub mod calendar; // the content's clock and days off (locales/calendar.toml)
pub mod channels; // the loop every channel shares, and the channels (console)
pub mod check; // `sofia-bot check`: every problem in dialogs/ and locales/, at file:line
pub mod cli; // the command line
pub mod config; // settings from flags and the environment, validated
pub mod engine; // the pure dialogue core: step(flows, session, input, now) -> Turn
pub mod eval; // `sofia-bot eval`: accuracy of understanding on a labelled set
pub mod i18n; // Fluent bundles: message ids and arguments into text
pub mod lang; // the languages spoken
pub(crate) mod nlu; // understanding text: normalising, transliterating, stemming, scoring
pub mod privacy; // personal data: masking personal numbers in text that leaves the conversation
pub mod secret; // a secret that no Debug output shows
pub mod staff; // the staff side: cases, working hours, staff channels
pub mod store; // SQLite: the only module that speaks SQL
pub mod web; // the staff console: server-rendered pages for staff in a browser
