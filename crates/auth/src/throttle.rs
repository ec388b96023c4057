//! Login throttling (OWASP Authentication Cheat Sheet, "account lockout"):
//! failures lock the account for a time that doubles with each lock, and a
//! token bucket limits failures per client address.
//!
//! Only failures count against an address: a hospital's staff often reach
//! the server through one NAT address, and a shift change of successful
//! logins must not lock the ward out. State is in memory, bounded; a
//! restarted server starts clean, which is acceptable for a delay whose
//! purpose is to make online guessing slow.

use std::collections::HashMap;
use std::net::IpAddr;

use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

/// Limits of a [`LoginThrottle`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleConfig {
    /// Failures that lock an account when they fall within `failure_window`.
    pub max_failures: u32,
    /// The window, counted from the first failure it holds.
    pub failure_window: Duration,
    /// Length of the first lock; each further lock doubles it.
    pub base_lockout: Duration,
    /// Longest lock. After this long without a failure or a lock, an
    /// account's history is forgotten and the next lock is short again.
    pub max_lockout: Duration,
    /// Failures an address may make in a burst.
    pub address_burst: u32,
    /// Failures per minute an address regains.
    pub address_per_minute: u32,
    /// Most accounts, and most addresses, tracked at once.
    pub max_entries: usize,
}

impl Default for ThrottleConfig {
    /// 5 failures in 15 minutes lock for 15 minutes, doubling up to 24
    /// hours; 10 failures a minute per address; 10,000 entries each.
    fn default() -> Self {
        ThrottleConfig {
            max_failures: 5,
            failure_window: Duration::minutes(15),
            base_lockout: Duration::minutes(15),
            max_lockout: Duration::hours(24),
            address_burst: 10,
            address_per_minute: 10,
            max_entries: 10_000,
        }
    }
}

/// What a lock applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockScope {
    /// The user name, from any address.
    Account,
    /// The client address (IPv4, or IPv6 /64), for any user name.
    Address,
}

/// A refused login attempt: retry after `until`. Tell the client the same
/// thing whether the account exists or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many failed logins; try again after {}", crate::rfc3339(until))]
pub struct Locked {
    /// When the lock ends.
    pub until: OffsetDateTime,
    /// Whether the account or the address is locked.
    pub scope: LockScope,
}

#[derive(Debug, Clone)]
struct Account {
    failures: u32,
    window_start: OffsetDateTime,
    lockouts: u32,
    locked_until: Option<OffsetDateTime>,
    last_failure: OffsetDateTime,
}

impl Account {
    /// Last time anything happened to the account.
    fn quiet_since(&self) -> OffsetDateTime {
        self.locked_until
            .map_or(self.last_failure, |u| u.max(self.last_failure))
    }
}

/// Failure counts and locks per account and per address, in memory.
#[derive(Debug, Clone)]
pub struct LoginThrottle {
    config: ThrottleConfig,
    /// Keyed by SHA-256 of the normalised user name: fixed size per entry
    /// whatever names attackers send, and no names kept in memory.
    accounts: HashMap<[u8; 32], Account>,
    /// GCRA form of the token bucket: the time at which the address's
    /// bucket is full again.
    addresses: HashMap<IpAddr, OffsetDateTime>,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle::new(ThrottleConfig::default())
    }
}

impl LoginThrottle {
    /// An empty throttle with `config`.
    pub fn new(config: ThrottleConfig) -> LoginThrottle {
        LoginThrottle {
            config,
            accounts: HashMap::new(),
            addresses: HashMap::new(),
        }
    }

    /// Whether `user` may try to log in from `ip` at `now`. Call before
    /// verifying the password, so a locked account costs no hashing.
    pub fn check(&self, now: OffsetDateTime, user: &str, ip: IpAddr) -> Result<(), Locked> {
        if let Some(until) = self
            .accounts
            .get(&account_key(user))
            .and_then(|a| a.locked_until)
            .filter(|&until| until > now)
        {
            return Err(Locked {
                until,
                scope: LockScope::Account,
            });
        }
        if let Some(&full_at) = self.addresses.get(&address_key(ip)) {
            let until = full_at - self.tolerance();
            if until > now {
                return Err(Locked {
                    until,
                    scope: LockScope::Address,
                });
            }
        }
        Ok(())
    }

    /// Records a wrong password (or unknown user) for `user` from `ip`.
    pub fn record_failure(&mut self, now: OffsetDateTime, user: &str, ip: IpAddr) {
        self.fail_address(now, address_key(ip));
        self.fail_account(now, account_key(user));
    }

    /// Records a successful login: the account's failures and lock history
    /// are cleared. The address's bucket is left to refill on its own.
    pub fn record_success(&mut self, _now: OffsetDateTime, user: &str, _ip: IpAddr) {
        self.accounts.remove(&account_key(user));
    }

    /// Forgets an account's failures and lifts its lock (an administrator
    /// unlocked it).
    pub fn unlock(&mut self, user: &str) {
        self.accounts.remove(&account_key(user));
    }

    /// Accounts currently tracked.
    pub fn tracked_accounts(&self) -> usize {
        self.accounts.len()
    }

    /// Addresses currently tracked.
    pub fn tracked_addresses(&self) -> usize {
        self.addresses.len()
    }

    fn interval(&self) -> Duration {
        Duration::minutes(1) / self.config.address_per_minute.max(1)
    }

    /// How far ahead of `now` the bucket's full time may be while a token
    /// is still left.
    fn tolerance(&self) -> Duration {
        self.interval() * self.config.address_burst.saturating_sub(1)
    }

    fn fail_address(&mut self, now: OffsetDateTime, key: IpAddr) {
        if !self.addresses.contains_key(&key) && self.addresses.len() >= self.config.max_entries {
            self.addresses.retain(|_, full_at| *full_at > now);
            evict_oldest(&mut self.addresses, self.config.max_entries, |f| *f);
        }
        let interval = self.interval();
        let full_at = self.addresses.entry(key).or_insert(now);
        *full_at = (*full_at).max(now) + interval;
    }

    fn fail_account(&mut self, now: OffsetDateTime, key: [u8; 32]) {
        let config = self.config;
        let forgotten = |a: &Account| now >= a.quiet_since() + config.max_lockout;
        if !self.accounts.contains_key(&key) && self.accounts.len() >= config.max_entries {
            self.accounts.retain(|_, a| !forgotten(a));
            evict_oldest(&mut self.accounts, config.max_entries, Account::quiet_since);
        }
        let account = self.accounts.entry(key).or_insert(Account {
            failures: 0,
            window_start: now,
            lockouts: 0,
            locked_until: None,
            last_failure: now,
        });
        if forgotten(account) {
            account.lockouts = 0;
        }
        if account.locked_until.is_some_and(|until| until > now) {
            // Attempts during a lock are refused before any password check;
            // they neither count nor extend the lock.
            return;
        }
        if now >= account.window_start + config.failure_window {
            account.failures = 0;
        }
        if account.failures == 0 {
            account.window_start = now;
        }
        account.failures += 1;
        account.last_failure = now;
        if account.failures >= config.max_failures.max(1) {
            let doubling = 2i32.saturating_pow(account.lockouts.min(30));
            let lock = (config.base_lockout * doubling).min(config.max_lockout);
            account.lockouts = account.lockouts.saturating_add(1);
            account.locked_until = Some(now + lock);
            account.failures = 0;
        }
    }
}

/// Removes the entries with the oldest `age` until fewer than `cap` remain,
/// making room for one more. Linear in the map's size; it runs only when the
/// map is full of live entries, and next to an argon2 hash per login its
/// cost does not show.
fn evict_oldest<K: Copy + Eq + std::hash::Hash, V>(
    map: &mut HashMap<K, V>,
    cap: usize,
    age: impl Fn(&V) -> OffsetDateTime,
) {
    while !map.is_empty() && map.len() >= cap {
        let oldest = map.iter().min_by_key(|(_, v)| age(v)).map(|(k, _)| *k);
        match oldest {
            Some(k) => {
                map.remove(&k);
            }
            None => break,
        }
    }
}

fn account_key(user: &str) -> [u8; 32] {
    Sha256::digest(user.trim().to_lowercase().as_bytes()).into()
}

/// IPv4 as is; IPv6 by its /64, which one client usually holds whole;
/// IPv4-mapped IPv6 as the IPv4 address.
fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}
