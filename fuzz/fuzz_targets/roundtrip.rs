//! Structured round trip: values made by the builders (through their `Arbitrary` impls)
//! encode to a form that parses strictly back to them (`Reset::At`, a draft-polli-00 date,
//! leniently), and that form is canonical (a fixed point, and every writer agrees).
#![no_main]

use fuzz_support::{encode, show};
use libfuzzer_sys::arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use ratelimit_headers::field::FieldValue;
use ratelimit_headers::field::vendor::{
    CallLimit, Count, DecimalCount, DecimalSeconds, GoDuration, Rfc3339, UnixTime,
};
use ratelimit_headers::{
    HttpDate, Limit, LimitDictionary, Policy, QuotaPolicy, RateLimit, RateLimitPolicy, Remaining,
    Reset, RetryAfter, RetryAfterMs, ServiceLimit,
};

/// Generates a `T`, encodes it, parses it with `parse` and compares.
fn check<'a, T, P>(u: &mut Unstructured<'a>, parse: P)
where
    T: Arbitrary<'a> + FieldValue<'a> + PartialEq + std::fmt::Debug,
    P: for<'b> Fn(&'b [u8]) -> Result<T, ratelimit_headers::Error>,
{
    let Ok(v) = T::arbitrary(u) else { return };
    let enc = encode(&v);
    match parse(&enc) {
        Ok(back) => {
            assert_eq!(back, v, "round trip through {}", show(&enc));
            assert_eq!(encode(&back), enc);
        }
        Err(e) => panic!("{v:?} encodes to {} which fails to parse: {e}", show(&enc)),
    }
}

/// The same for a type that borrows from its input (the lifetime is why it is a macro).
macro_rules! check_borrowed {
    ($u:expr, $ty:ty, $parse:expr) => {{
        if let Ok(v) = <$ty as Arbitrary>::arbitrary($u) {
            let enc = encode(&v);
            let parse = $parse;
            match parse(&enc[..]) {
                Ok(back) => {
                    assert_eq!(back, v, "round trip through {}", show(&enc));
                    assert_eq!(encode(&back), enc);
                }
                Err(e) => panic!("{v:?} encodes to {} which fails to parse: {e}", show(&enc)),
            }
        }
    }};
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(which) = u.int_in_range(0u8..=19) else {
        return;
    };
    match which {
        0 => check::<Remaining, _>(&mut u, Remaining::parse),
        1 => check::<Reset, _>(&mut u, |b| match Reset::parse(b) {
            Ok(r) => Ok(r),
            // A date is only read leniently (draft-polli-00), and then flagged.
            Err(e) => Reset::parse_lenient(b)
                .ok()
                .filter(|l| matches!(l.value, Reset::At(_)))
                .map(|l| l.value)
                .ok_or(e),
        }),
        2 => check::<RetryAfter, _>(&mut u, RetryAfter::parse),
        3 => check::<RetryAfterMs, _>(&mut u, RetryAfterMs::parse),
        4 => check::<HttpDate, _>(&mut u, HttpDate::parse),
        5 => check::<Count, _>(&mut u, Count::parse),
        6 => check::<UnixTime, _>(&mut u, UnixTime::parse),
        7 => check::<GoDuration, _>(&mut u, GoDuration::parse),
        8 => check::<Rfc3339, _>(&mut u, Rfc3339::parse),
        9 => check::<CallLimit, _>(&mut u, CallLimit::parse),
        10 => check::<DecimalCount, _>(&mut u, DecimalCount::parse),
        11 => check::<DecimalSeconds, _>(&mut u, DecimalSeconds::parse),
        12 => check_borrowed!(&mut u, Limit<'_, 3>, |b| Limit::<3>::parse(b)),
        13 => check_borrowed!(&mut u, Limit<'_>, |b| Limit::<8>::parse(b)),
        14 => {
            // A quota policy alone is not a field: wrap it in a Limit.
            if let Ok(p) = QuotaPolicy::arbitrary(&mut u) {
                let expiring = p.quota();
                let limit = Limit::<1>::new(expiring)
                    .with_policy(p)
                    .expect("capacity 1");
                let enc = encode(&limit);
                let back = Limit::<1>::parse(&enc)
                    .unwrap_or_else(|e| panic!("{limit:?} via {}: {e}", show(&enc)));
                assert_eq!(back.policies(), &[p][..], "through {}", show(&enc));
            }
        }
        15 => check_borrowed!(&mut u, RateLimitPolicy<'_, 3>, |b| {
            RateLimitPolicy::<3>::parse(b)
        }),
        16 => {
            // One policy: a one-item RateLimit-Policy.
            if let Ok(p) = Policy::arbitrary(&mut u) {
                let list = RateLimitPolicy::<1>::new()
                    .with_policy(p)
                    .expect("capacity 1");
                let enc = encode(&list);
                let back = RateLimitPolicy::<1>::parse(&enc)
                    .unwrap_or_else(|e| panic!("{p:?} via {}: {e}", show(&enc)));
                assert_eq!(back.policies(), &[p][..], "through {}", show(&enc));
            }
        }
        17 => check_borrowed!(&mut u, RateLimit<'_, 3>, |b| RateLimit::<3>::parse(b)),
        18 => {
            if let Ok(item) = ServiceLimit::arbitrary(&mut u) {
                let list = RateLimit::<1>::list().with_item(item).expect("capacity 1");
                let enc = encode(&list);
                let back = RateLimit::<1>::parse(&enc)
                    .unwrap_or_else(|e| panic!("{item:?} via {}: {e}", show(&enc)));
                assert_eq!(back.items(), &[item][..], "through {}", show(&enc));
            }
        }
        _ => {
            if let Ok(d) = LimitDictionary::arbitrary(&mut u) {
                let v = RateLimit::<1>::Dictionary(d);
                let enc = encode(&v);
                let back = RateLimit::<1>::parse(&enc)
                    .unwrap_or_else(|e| panic!("{d:?} via {}: {e}", show(&enc)));
                assert_eq!(back, v, "through {}", show(&enc));
            }
        }
    }
});
