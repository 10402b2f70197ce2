//! Privacy: keeping citizens' personal data out of the places it does not belong.
//!
//! `redact` masks personal numbers, bank accounts, phones, e-mail addresses and cards in text
//! bound for analytics and the dashboard's "not understood" list. It is pure: it reads no
//! clock, does no IO and decides nothing about what is stored, logged or erased.

pub mod redact;
