//! `RateLimit` (draft-ietf-07 Dictionary and draft-ietf-08+ List): strict and lenient parse
//! never panic; what parses round-trips.
#![no_main]

use fuzz_support::{check_field, check_in_place};
use libfuzzer_sys::fuzz_target;
use ratelimit_headers::RateLimit;
use ratelimit_headers::sf::{ByteSeq, Params, SfStr};

/// What an item holds, without the over-quota flag.
#[allow(clippy::type_complexity)]
fn strip<'a>(
    v: &RateLimit<'a>,
) -> Vec<(
    SfStr<'a>,
    Option<u64>,
    Option<u64>,
    Option<ByteSeq<'a>>,
    Params<'a>,
)> {
    v.items()
        .iter()
        .map(|i| {
            (
                i.name(),
                i.remaining(),
                i.reset(),
                i.partition_key(),
                i.params(),
            )
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    // A negative `r` is read as 0 and remembered as "over quota"; the canonical form writes
    // `r=0`, which reads back without the flag: the only lenient value that does not survive
    // encoding (checked below: everything else is kept).
    let (strict, _) = check_field!(data, RateLimit<'_, 2>, |v: &RateLimit<'_, 2>, _t| {
        v.items().iter().any(|i| i.is_over_quota())
    });
    let (big, lenient) = check_field!(data, RateLimit<'_>, |v: &RateLimit<'_>, _t| {
        v.items().iter().any(|i| i.is_over_quota())
    });
    if let Ok(small) = &strict {
        let big = big
            .as_ref()
            .expect("capacity 8 rejects what capacity 2 accepts");
        assert_eq!(small.items(), big.items());
    }
    if let Ok(l) = &lenient {
        // Over quota is only ever read leniently, and then `r` is 0.
        for item in l.value.items() {
            if item.is_over_quota() {
                assert_eq!(item.remaining(), Some(0));
                assert!(!l.is_strict());
            }
        }
        // Apart from the flag, the value survives encoding.
        let enc = fuzz_support::encode(&l.value);
        let back = RateLimit::<'_>::parse_lenient(&enc).expect("re-parse");
        assert_eq!(strip(&back.value), strip(&l.value));
    }
    // Into a value that held the other form: the same result, and emptied on error.
    let dict = || RateLimit::<'_, 2>::parse(b"limit=1, remaining=1, reset=1").expect("valid");
    check_in_place!(data, RateLimit<'_, 2>, dict(), RateLimit::list());
    let list = || RateLimit::<'_, 2>::parse(b"\"x\";r=1").expect("valid");
    check_in_place!(data, RateLimit<'_, 2>, list(), RateLimit::list());
});
