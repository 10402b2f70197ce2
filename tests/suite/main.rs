//! The integration suite in one binary (one link instead of many): content lint, the facts
//! file, the store, bad input, understanding, the command line, and the staff console (`web*`).

mod bad_input;
mod cases;
mod cli;
mod facts;
mod layers;
mod lint;
mod privacy;
mod properties;
mod store;
mod support;
mod understanding;
mod web;
mod web_accounts;
mod web_input;
mod web_limits;
mod web_queue;
