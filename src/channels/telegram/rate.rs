//! Token buckets for Telegram's message rates: about 1 message a second per chat (short bursts
//! tolerated) and about 30 a second overall. A reservation takes a token at once and says how
//! long to wait before using it, so that waiting callers are served in the order they came.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// A rate: so many per second, with a burst of so many at once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub per_second: f64,
    pub burst: f64,
}

/// The rates the sender keeps to; `None` is no limit (a test server, the benchmark).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub per_chat: Option<Rate>,
    pub overall: Option<Rate>,
    /// A group (the staff group) is one chat with its own, lower limit: 20 messages a minute.
    pub per_group: Option<Rate>,
}

impl Default for Limits {
    /// Telegram's published limits for private chats.
    fn default() -> Self {
        Limits {
            per_chat: Some(Rate { per_second: 1.0, burst: 3.0 }),
            overall: Some(Rate { per_second: 30.0, burst: 30.0 }),
            per_group: Some(Rate { per_second: 20.0 / 60.0, burst: 5.0 }),
        }
    }
}

impl Limits {
    pub fn none() -> Limits {
        Limits { per_chat: None, overall: None, per_group: None }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(rate: Rate, now: Instant) -> Bucket {
        Bucket { tokens: rate.burst, at: now }
    }

    /// Takes a token (the count may go below zero) and returns the wait until it is earned.
    fn take(&mut self, rate: Rate, now: Instant) -> Duration {
        let earned = now.saturating_duration_since(self.at).as_secs_f64() * rate.per_second;
        self.tokens = (self.tokens + earned).min(rate.burst) - 1.0;
        self.at = now;
        if self.tokens >= 0.0 { Duration::ZERO } else { Duration::from_secs_f64(-self.tokens / rate.per_second) }
    }
}

/// The buckets of the sender: one overall and one per chat.
pub struct Buckets {
    limits: Limits,
    overall: Mutex<Option<Bucket>>,
    chats: Mutex<HashMap<i64, Bucket>>,
}

impl Buckets {
    pub fn new(limits: Limits) -> Buckets {
        Buckets { limits, overall: Mutex::new(None), chats: Mutex::new(HashMap::new()) }
    }

    /// Reserves one message to `chat` and returns how long to wait before sending it.
    pub fn reserve(&self, chat: i64) -> Duration {
        self.reserve_at(chat, Instant::now())
    }

    fn reserve_at(&self, chat: i64, now: Instant) -> Duration {
        // Group chat ids are negative.
        let rate = if chat < 0 { self.limits.per_group } else { self.limits.per_chat };
        let chat_wait = match rate {
            None => Duration::ZERO,
            Some(rate) => {
                let mut chats = self.chats.lock().unwrap_or_else(|p| p.into_inner());
                if chats.len() > 10_000 {
                    // Forget chats whose bucket has filled up again: they start full anyway.
                    let full_after = Duration::from_secs_f64(rate.burst / rate.per_second);
                    chats.retain(|_, b| now.saturating_duration_since(b.at) < full_after);
                }
                chats.entry(chat).or_insert_with(|| Bucket::full(rate, now)).take(rate, now)
            }
        };
        let overall_wait = match self.limits.overall {
            None => Duration::ZERO,
            Some(rate) => {
                let mut overall = self.overall.lock().unwrap_or_else(|p| p.into_inner());
                overall.get_or_insert_with(|| Bucket::full(rate, now)).take(rate, now)
            }
        };
        chat_wait.max(overall_wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_one_a_second_per_chat() {
        let b = Buckets::new(Limits { per_chat: Some(Rate { per_second: 1.0, burst: 3.0 }), ..Limits::none() });
        let t0 = Instant::now();
        let waits: Vec<u64> = (0..5).map(|_| b.reserve_at(1, t0).as_millis() as u64).collect();
        assert_eq!(waits, vec![0, 0, 0, 1000, 2000]);
        assert_eq!(b.reserve_at(2, t0), Duration::ZERO, "another chat has its own bucket");
        // Three seconds later the debt is paid and one token is earned.
        assert_eq!(b.reserve_at(1, t0 + Duration::from_secs(3)), Duration::ZERO);
    }

    #[test]
    fn a_group_gets_twenty_a_minute_after_its_burst() {
        let b = Buckets::new(Limits::default());
        let t0 = Instant::now();
        let waits: Vec<u64> = (0..7).map(|_| b.reserve_at(-100, t0).as_millis() as u64).collect();
        assert_eq!(waits, vec![0, 0, 0, 0, 0, 3000, 6000]);
    }

    #[test]
    fn thirty_a_second_overall() {
        let b = Buckets::new(Limits { overall: Some(Rate { per_second: 30.0, burst: 30.0 }), ..Limits::none() });
        let t0 = Instant::now();
        for chat in 0..30 {
            assert_eq!(b.reserve_at(chat, t0), Duration::ZERO);
        }
        let wait = b.reserve_at(99, t0);
        assert!(wait > Duration::from_millis(30) && wait < Duration::from_millis(40), "{wait:?}");
    }
}
