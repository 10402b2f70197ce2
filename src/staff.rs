//! The staff side: escalated cases, working hours, and what staff do to cases.

pub mod calendar;
mod card;
pub mod cases;
mod citizen;
pub mod cli;
pub mod desk;
pub mod relay;
