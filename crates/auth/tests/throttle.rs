//! Login throttling: account lock-out timing and doubling, per-address
//! bucket, memory cap.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use medvigil_auth::{LockScope, Locked, LoginThrottle, ThrottleConfig};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const T0: OffsetDateTime = datetime!(2026-03-01 08:00 UTC);

fn ip(n: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(10, 0, 0, n))
}

/// Address limits out of the way, to look at accounts alone.
fn accounts_only() -> ThrottleConfig {
    ThrottleConfig {
        address_burst: 1_000,
        address_per_minute: 1_000,
        ..ThrottleConfig::default()
    }
}

/// Five failures from five addresses, one a minute from `start`.
fn five_failures(t: &mut LoginThrottle, start: OffsetDateTime, user: &str) -> OffsetDateTime {
    let mut now = start;
    for n in 0..5 {
        now = start + Duration::minutes(n);
        assert_eq!(t.check(now, user, ip(n as u8)), Ok(()), "attempt {n}");
        t.record_failure(now, user, ip(n as u8));
    }
    now
}

#[test]
fn five_failures_lock_the_account_for_fifteen_minutes() {
    let mut t = LoginThrottle::new(accounts_only());
    let last = five_failures(&mut t, T0, "biomed.lyon");
    let until = last + Duration::minutes(15);
    let lock = Locked {
        until,
        scope: LockScope::Account,
    };
    let locked = Err(lock);
    assert_eq!(t.check(last, "biomed.lyon", ip(99)), locked);
    // Same account whatever the case and spacing of the name.
    assert_eq!(t.check(last, " Biomed.Lyon", ip(99)), locked);
    assert_eq!(
        t.check(until - Duration::seconds(1), "biomed.lyon", ip(99)),
        locked
    );
    assert_eq!(t.check(until, "biomed.lyon", ip(99)), Ok(()));
    // Other accounts are not affected.
    assert_eq!(t.check(last, "ciso", ip(1)), Ok(()));
    assert_eq!(
        lock.to_string(),
        "too many failed logins; try again after 2026-03-01T08:19:00Z"
    );
}

#[test]
fn failures_outside_the_window_do_not_add_up() {
    let mut t = LoginThrottle::new(accounts_only());
    for n in 0..4 {
        t.record_failure(T0 + Duration::minutes(n), "nurse", ip(1));
    }
    // The fifth comes after the 15-minute window of the first four.
    let late = T0 + Duration::minutes(15);
    t.record_failure(late, "nurse", ip(1));
    assert_eq!(t.check(late, "nurse", ip(1)), Ok(()));
}

#[test]
fn each_lock_doubles_up_to_a_day() {
    let mut t = LoginThrottle::new(accounts_only());
    let mut start = T0;
    let mut expected = Duration::minutes(15);
    for round in 0..10 {
        let last = five_failures(&mut t, start, "admin");
        let Err(locked) = t.check(last, "admin", ip(50)) else {
            panic!("round {round}: not locked");
        };
        assert_eq!(locked.until - last, expected, "round {round}");
        // Attempts during the lock do not extend it.
        t.record_failure(last + Duration::minutes(1), "admin", ip(50));
        assert_eq!(t.check(last, "admin", ip(50)), Err(locked));
        start = locked.until;
        expected = (expected * 2i32).min(Duration::hours(24));
    }
    assert_eq!(expected, Duration::hours(24));
}

#[test]
fn success_clears_the_history_and_a_quiet_day_forgets_it() {
    let mut t = LoginThrottle::new(accounts_only());
    let last = five_failures(&mut t, T0, "ciso");
    let until = last + Duration::minutes(15);
    t.record_success(until, "ciso", ip(1));
    assert_eq!(t.tracked_accounts(), 0);
    let last = five_failures(&mut t, until, "ciso");
    assert_eq!(
        t.check(last, "ciso", ip(1)).unwrap_err().until,
        last + Duration::minutes(15),
        "history cleared by the success"
    );

    let mut t = LoginThrottle::new(accounts_only());
    let first = five_failures(&mut t, T0, "psirt");
    let second = five_failures(&mut t, first + Duration::minutes(15), "psirt");
    assert_eq!(
        t.check(second, "psirt", ip(1)).unwrap_err().until,
        second + Duration::minutes(30)
    );
    // A day after the second lock ended, the next lock is short again.
    let quiet = second + Duration::minutes(30) + Duration::hours(24);
    let third = five_failures(&mut t, quiet, "psirt");
    assert_eq!(
        t.check(third, "psirt", ip(1)).unwrap_err().until,
        third + Duration::minutes(15)
    );
}

#[test]
fn address_bucket_allows_ten_failures_a_minute() {
    let mut t = LoginThrottle::default();
    let client = ip(7);
    for n in 0..10 {
        let user = format!("user{n}");
        assert_eq!(t.check(T0, &user, client), Ok(()), "failure {n}");
        t.record_failure(T0, &user, client);
    }
    let locked = Err(Locked {
        until: T0 + Duration::seconds(6),
        scope: LockScope::Address,
    });
    assert_eq!(t.check(T0, "anyone", client), locked);
    assert_eq!(t.check(T0, "anyone", ip(8)), Ok(()), "other address");
    // One attempt regained every six seconds.
    let later = T0 + Duration::seconds(6);
    assert_eq!(t.check(later, "anyone", client), Ok(()));
    t.record_failure(later, "anyone", client);
    assert_eq!(
        t.check(later, "anyone", client).unwrap_err().until,
        later + Duration::seconds(6)
    );
    // A full minute later, a full burst again.
    let full = later + Duration::minutes(1);
    for n in 0..10 {
        assert_eq!(t.check(full, "x", client), Ok(()), "{n}");
        t.record_failure(full, &format!("y{n}"), client);
    }
    assert!(t.check(full, "x", client).is_err());
}

#[test]
fn successes_do_not_drain_an_address() {
    // A ward behind one NAT address at shift change.
    let mut t = LoginThrottle::default();
    for n in 0..100 {
        let user = format!("nurse{n}");
        assert_eq!(t.check(T0, &user, ip(1)), Ok(()));
        t.record_success(T0, &user, ip(1));
    }
}

#[test]
fn ipv6_clients_are_tracked_by_their_64() {
    let mut t = LoginThrottle::default();
    let a = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 1, 2, 0, 0, 0, 1));
    let b = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 1, 2, 0xffff, 1, 2, 3));
    let c = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 1, 3, 0, 0, 0, 1));
    for n in 0..10 {
        t.record_failure(T0, &format!("u{n}"), if n % 2 == 0 { a } else { b });
    }
    assert!(t.check(T0, "v", a).is_err());
    assert!(t.check(T0, "v", b).is_err());
    assert_eq!(t.check(T0, "v", c), Ok(()));
    assert_eq!(t.tracked_addresses(), 1);
    // IPv4-mapped IPv6 is the IPv4 address.
    let mapped = IpAddr::V6(Ipv4Addr::new(10, 0, 0, 9).to_ipv6_mapped());
    t.record_failure(T0, "w", mapped);
    assert_eq!(t.tracked_addresses(), 2);
    t.record_failure(T0, "w", ip(9));
    assert_eq!(t.tracked_addresses(), 2);
}

#[test]
fn memory_is_capped_evicting_the_oldest() {
    // One failure locks, so whether an account is still tracked shows.
    let config = ThrottleConfig {
        max_failures: 1,
        max_entries: 100,
        ..ThrottleConfig::default()
    };
    let mut t = LoginThrottle::new(config);
    let at = |n: u32| T0 + Duration::seconds(i64::from(n));
    let addr = |n: u32| IpAddr::V4(Ipv4Addr::from(0x0a01_0000 + n));
    for n in 0..1_000u32 {
        t.record_failure(at(n), &format!("name{n}"), addr(n));
        assert!(t.tracked_accounts() <= 100);
        assert!(t.tracked_addresses() <= 100);
    }
    assert_eq!(t.tracked_accounts(), 100);
    // Addresses regain an attempt in six seconds: full buckets are dropped
    // as stale before any live one is evicted.
    assert!(t.tracked_addresses() <= 100);
    let now = at(1_000);
    for n in 900..1_000 {
        assert!(
            t.check(now, &format!("name{n}"), ip(1)).is_err(),
            "name{n} evicted"
        );
    }
    for n in 0..900 {
        assert_eq!(
            t.check(now, &format!("name{n}"), ip(1)),
            Ok(()),
            "name{n} kept"
        );
    }
}

#[test]
fn address_memory_is_capped_when_all_are_live() {
    let config = ThrottleConfig {
        max_entries: 100,
        ..ThrottleConfig::default()
    };
    let mut t = LoginThrottle::new(config);
    for n in 0..1_000u32 {
        let addr = IpAddr::V4(Ipv4Addr::from(0x0a01_0000 + n));
        for _ in 0..10 {
            t.record_failure(T0, "flood", addr);
        }
        assert!(t.tracked_addresses() <= 100);
    }
    assert_eq!(t.tracked_addresses(), 100);
    let last = IpAddr::V4(Ipv4Addr::from(0x0a01_0000 + 999));
    assert!(t.check(T0, "x", last).is_err(), "newest kept");
}

#[test]
fn stale_entries_go_before_live_ones() {
    let config = ThrottleConfig {
        max_entries: 10,
        ..ThrottleConfig::default()
    };
    let mut t = LoginThrottle::new(config);
    for n in 0..10u8 {
        t.record_failure(T0, &format!("old{n}"), ip(n));
    }
    // Two days later every entry is stale: one sweep clears them all.
    let later = T0 + Duration::days(2);
    t.record_failure(later, "new", ip(100));
    assert_eq!(t.tracked_accounts(), 1);
    assert_eq!(t.tracked_addresses(), 1);
}
