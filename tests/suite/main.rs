//! The integration suite in one binary (one link instead of five): content lint, the store,
//! bad input, understanding, and the command line.

mod bad_input;
mod cases;
mod cli;
mod lint;
mod privacy;
mod store;
mod support;
mod understanding;
mod web;
