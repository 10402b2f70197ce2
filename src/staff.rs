//! The staff side: escalated cases, working hours, and the staff channels.

pub mod calendar;
