//! The staff side: escalated cases, working hours, and what staff do to cases.

mod card;
pub mod cases;
mod citizen;
pub mod cli;
pub mod desk;
pub mod hours;
pub(crate) mod lifecycle;
pub(crate) mod relay;
