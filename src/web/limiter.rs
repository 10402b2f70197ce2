//! Login limits in a fixed amount of memory, whatever is typed: failed logins are counted per
//! client address, per account name and per device cookie in three count-min sketches of
//! leaky buckets. Each sketch is a table of `DEPTH` x `WIDTH` cells made at start and never
//! grown; a key (hashed with a key of this process, so nobody can aim at a cell) falls in one
//! cell per row, and its count is the least of its cells. Keys sharing cells can only make a
//! count higher, never lower: a flood of names can slow innocent logins down, but cannot hide
//! an attacker's failures.
//!
//! Who is limited how (the policy, after OWASP's "device cookies"):
//! - a browser with a device cookie for the account (it signed in to it before) is limited by
//!   its own failures only, so an attacker failing elsewhere never keeps its owner out;
//! - any other browser is limited per address (`per_address` failures, refilled over the
//!   window) and per account (`per_account`, refilled over the window: a back-off, one try
//!   every window / per_account once they are spent, not a lock).
//!
//! It never knows whether an account exists, and stores no name.

use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ring::hmac;

/// Rows of each sketch: a key is refused by mistake only when all of its cells are full.
const DEPTH: usize = 4;
/// Cells in a row (a power of two).
const WIDTH: usize = 2048;

/// One leaky bucket: its level when last touched, and when that was.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    level: f32,
    /// Tenths of a second since the limiter started.
    at: u32,
}

/// The limiter's memory in bytes, whatever it is fed: three sketches of DEPTH x WIDTH cells.
pub const MEMORY: usize = 3 * DEPTH * WIDTH * std::mem::size_of::<Cell>();

/// Failures of keys, approximately: a count-min sketch whose cells drain at `per_tenth`.
struct Sketch {
    cells: Box<[Cell]>,
    /// How much a cell drains in a tenth of a second.
    per_tenth: f32,
    /// Failures that fit in the bucket.
    limit: f32,
}

impl Sketch {
    fn new(limit: usize, window: Duration) -> Sketch {
        let tenths = (window.as_millis() / 100).max(1) as f32;
        Sketch {
            cells: vec![Cell::default(); DEPTH * WIDTH].into_boxed_slice(),
            per_tenth: limit as f32 / tenths,
            limit: limit as f32,
        }
    }

    fn drained(&self, cell: Cell, now: u32) -> f32 {
        (cell.level - self.per_tenth * now.saturating_sub(cell.at) as f32).max(0.0)
    }

    fn count(&self, at: &[usize; DEPTH], now: u32) -> f32 {
        at.iter().map(|&i| self.drained(self.cells[i], now)).fold(f32::INFINITY, f32::min)
    }

    /// Adds one failure; only the cells at the key's count rise (conservative update), so
    /// that sharing a cell costs other keys as little as possible.
    fn add(&mut self, at: &[usize; DEPTH], now: u32) {
        let count = self.count(at, now) + 1.0;
        for &i in at {
            let level = self.drained(self.cells[i], now).max(count);
            self.cells[i] = Cell { level, at: now };
        }
    }

    /// Whether one more failure fits: a key that has spent its limit waits until a whole
    /// failure has drained (window / limit), not a moment.
    fn allows(&self, at: &[usize; DEPTH], now: u32) -> bool {
        self.count(at, now) + 1.0 <= self.limit
    }
}

/// Who tries to sign in, as the limiter sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who<'a> {
    /// A browser whose device cookie names the account: the cookie's nonce.
    Device(&'a str),
    /// Any other browser: its address (None when unknown) and the name typed.
    Stranger { address: Option<IpAddr>, account: &'a str },
}

/// Failed logins, counted in fixed memory.
pub struct Limiter {
    key: hmac::Key,
    start: Instant,
    /// By address, by account, by device.
    sketches: Mutex<[Sketch; 3]>,
}

impl Limiter {
    pub fn new(window: Duration, per_address: usize, per_account: usize) -> Limiter {
        let mut secret = [0u8; 32];
        getrandom::getrandom(&mut secret).expect("the OS's randomness");
        let sketches =
            [Sketch::new(per_address, window), Sketch::new(per_account, window), Sketch::new(per_account, window)];
        Limiter {
            key: hmac::Key::new(hmac::HMAC_SHA256, &secret),
            start: Instant::now(),
            sketches: Mutex::new(sketches),
        }
    }

    /// The bytes the limiter's tables take: `MEMORY`, always.
    pub fn memory(&self) -> usize {
        let sketches = self.sketches.lock().unwrap_or_else(|p| p.into_inner());
        sketches.iter().map(|s| std::mem::size_of_val(&*s.cells)).sum()
    }

    /// A key's cell in each row.
    fn cells(&self, kind: u8, key: &[u8]) -> [usize; DEPTH] {
        let mut ctx = hmac::Context::with_key(&self.key);
        ctx.update(&[kind]);
        ctx.update(key);
        let tag = ctx.sign();
        let mut at = [0; DEPTH];
        for (row, cell) in at.iter_mut().enumerate() {
            let bytes: [u8; 4] = tag.as_ref()[row * 4..row * 4 + 4].try_into().expect("4 bytes");
            *cell = row * WIDTH + (u32::from_le_bytes(bytes) as usize % WIDTH);
        }
        at
    }

    /// The sketches and cells that count `who`.
    fn keys(&self, who: &Who) -> Vec<(usize, [usize; DEPTH])> {
        match who {
            Who::Device(nonce) => vec![(2, self.cells(2, nonce.as_bytes()))],
            Who::Stranger { address, account } => {
                vec![(0, self.cells(0, &address_key(*address))), (1, self.cells(1, account.to_lowercase().as_bytes()))]
            }
        }
    }

    fn tenths(&self, now: Instant) -> u32 {
        (now.saturating_duration_since(self.start).as_millis() / 100).min(u32::MAX as u128) as u32
    }

    /// Whether a login may be tried now; asked before any password is hashed.
    pub fn allows(&self, who: &Who) -> bool {
        self.allows_at(who, Instant::now())
    }

    pub fn allows_at(&self, who: &Who, now: Instant) -> bool {
        let (keys, now) = (self.keys(who), self.tenths(now));
        let sketches = self.sketches.lock().unwrap_or_else(|p| p.into_inner());
        keys.iter().all(|(s, at)| sketches[*s].allows(at, now))
    }

    pub fn failed(&self, who: &Who) {
        self.failed_at(who, Instant::now());
    }

    pub fn failed_at(&self, who: &Who, now: Instant) {
        let (keys, now) = (self.keys(who), self.tenths(now));
        let mut sketches = self.sketches.lock().unwrap_or_else(|p| p.into_inner());
        for (s, at) in &keys {
            sketches[*s].add(at, now);
        }
    }
}

/// An address as counted: IPv4 whole, IPv6 by its /64 (one subscriber's network), an
/// unknown address as one.
fn address_key(address: Option<IpAddr>) -> Vec<u8> {
    match address.map(|a| a.to_canonical()) {
        Some(IpAddr::V4(v4)) => v4.octets().to_vec(),
        Some(IpAddr::V6(v6)) => v6.octets()[..8].to_vec(),
        None => b"unknown".to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stranger<'a>(address: &str, account: &'a str) -> Who<'a> {
        Who::Stranger { address: Some(address.parse().unwrap()), account }
    }

    #[test]
    fn the_limiter_counts_per_address_and_per_account() {
        let l = Limiter::new(Duration::from_secs(60), 3, 2);
        l.failed(&stranger("1.2.3.4", "maria"));
        l.failed(&stranger("1.2.3.4", "maria"));
        assert!(!l.allows(&stranger("5.6.7.8", "Maria")), "the account is paused for strangers");
        assert!(l.allows(&stranger("1.2.3.4", "ivan")), "the address may still try another account");
        l.failed(&stranger("1.2.3.4", "ivan"));
        assert!(!l.allows(&stranger("1.2.3.4", "petar")), "the address is paused");
        assert!(l.allows(&Who::Device("0123456789abcdef0123456789abcdef")), "a known browser is not");
    }

    #[test]
    fn an_account_backs_off_and_comes_back_one_try_at_a_time() {
        let l = Limiter::new(Duration::from_secs(15 * 60), 20, 5);
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        for i in 0..5 {
            l.failed_at(&stranger(&format!("10.0.0.{i}"), "maria"), at(0));
        }
        assert!(!l.allows_at(&stranger("10.0.1.1", "maria"), at(1)));
        assert!(!l.allows_at(&stranger("10.0.1.1", "maria"), at(170)), "not yet");
        assert!(l.allows_at(&stranger("10.0.1.1", "maria"), at(181)), "one try after 15 min / 5");
        l.failed_at(&stranger("10.0.1.1", "maria"), at(181));
        assert!(!l.allows_at(&stranger("10.0.1.1", "maria"), at(182)), "and it is spent");
        assert!(l.allows_at(&stranger("10.0.1.1", "maria"), at(15 * 60 + 200)), "all back after the window");
    }

    #[test]
    fn a_device_is_limited_by_its_own_failures() {
        let l = Limiter::new(Duration::from_secs(60), 20, 2);
        let device = Who::Device("0123456789abcdef0123456789abcdef");
        l.failed(&device);
        assert!(l.allows(&device));
        l.failed(&device);
        assert!(!l.allows(&device));
        assert!(l.allows(&Who::Device("fedcba9876543210fedcba9876543210")));
    }

    #[test]
    fn ipv6_addresses_count_by_their_64_bit_network() {
        let l = Limiter::new(Duration::from_secs(60), 1, 100);
        l.failed(&stranger("2001:db8:1:2::1", "a"));
        assert!(!l.allows(&stranger("2001:db8:1:2:ffff::9", "b")));
        assert!(l.allows(&stranger("2001:db8:1:3::1", "b")));
        assert!(l.allows(&stranger("::ffff:10.0.0.1", "b")));
        l.failed(&stranger("10.0.0.1", "b"));
        assert!(!l.allows(&stranger("::ffff:10.0.0.1", "c")), "a mapped IPv4 address is that address");
    }

    #[test]
    fn a_hundred_thousand_distinct_names_leave_the_memory_as_it_was() {
        let l = Limiter::new(Duration::from_secs(15 * 60), 20, 5);
        assert_eq!(l.memory(), MEMORY);
        let name = "x".repeat(1000);
        for i in 0..100_000u32 {
            let account = format!("{name}{i}");
            let address = IpAddr::from(i.to_be_bytes());
            l.failed(&Who::Stranger { address: Some(address), account: &account });
        }
        assert_eq!(l.memory(), MEMORY);
        assert_eq!(MEMORY, 192 * 1024, "the README says 192 KiB");
    }
}
