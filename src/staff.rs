//! The staff side: escalated cases, working hours, and what staff do to cases.

pub mod calendar;
pub mod cases;
pub mod cli;
pub mod desk;
