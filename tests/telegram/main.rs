//! The Telegram channel against a fake Bot API server (axum on 127.0.0.1:0) that the real
//! teloxide client talks to over HTTP. The fake checks every request the way Telegram does;
//! each test ends by asserting it refused nothing and every button press was answered.

mod busy;
mod conversation;
mod delivery;
mod disk_full;
mod erasure;
mod faults;
mod inputs;
mod outage;
mod privacy;
mod sigkill;
mod staff;
mod staff_reading;
mod support;
mod typing;
mod wake;
mod webhook;
