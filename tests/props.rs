//! Property tests: no input makes a parser panic; builder-made values round-trip; encoding a
//! parsed value is a fixed point; lenient parsing extends strict parsing.

use proptest::prelude::*;
use ratelimit_headers::sf::{self, Dictionary, List, Params};
use ratelimit_headers::{HttpDate, Limit, QuotaPolicy, Remaining, Reset, Tolerance};

/// Bytes drawn mostly from the grammar's own alphabet, so generated inputs go deep.
fn grammar_bytes() -> impl Strategy<Value = Vec<u8>> {
    let alphabet: &[u8] = b"0123456789 ,;=wWindoabxyz\"\\:?-.*()/\t\xff+=AZ";
    prop::collection::vec(prop::sample::select(alphabet), 0..48)
}

/// Values that look like real RateLimit-Limit headers, with mutations.
fn limitish() -> impl Strategy<Value = Vec<u8>> {
    let policy = (
        0u64..2000,
        0u64..100_000,
        prop::option::of("[a-z]{1,4}=[0-9a-z\"]{1,4}"),
    )
        .prop_map(|(q, w, p)| match p {
            Some(p) => format!("{q};w={w};{p}"),
            None => format!("{q};w={w}"),
        });
    (
        0u64..10_000,
        prop::collection::vec(policy, 0..5),
        grammar_bytes(),
        0usize..64,
    )
        .prop_map(|(e, ps, noise, at)| {
            let mut s = e.to_string();
            for p in ps {
                s.push_str(", ");
                s.push_str(&p);
            }
            let mut b = s.into_bytes();
            if !noise.is_empty() && at % 3 == 0 {
                let at = at.min(b.len());
                b.splice(at..at, noise.into_iter().take(3));
            }
            b
        })
}

fn any_input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..64),
        grammar_bytes(),
        limitish(),
    ]
}

fn sf_key() -> impl Strategy<Value = String> {
    "[a-z*][a-z0-9_.*-]{0,6}"
}

fn sf_value() -> impl Strategy<Value = String> {
    prop_oneof![
        (-999_999_999_999_999i64..=999_999_999_999_999).prop_map(|i| i.to_string()),
        (-999_999i64..999_999, 0u32..1000).prop_map(|(i, f)| format!("{i}.{f:03}")),
        "[ !#-\\[\\]-~]{0,12}".prop_map(|s| format!("\"{s}\"")),
        "[ -~]{0,8}".prop_map(|s| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))),
        "[A-Za-z*][A-Za-z0-9!#$%&'*+.^_`|~:/-]{0,8}",
        "([A-Za-z0-9+/]{4}){0,2}([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?"
            .prop_map(|s| format!(":{s}:")),
        Just("?0".to_string()),
        Just("?1".to_string()),
    ]
}

fn params_text() -> impl Strategy<Value = String> {
    prop::collection::vec((sf_key(), prop::option::of(sf_value())), 0..4).prop_map(|ps| {
        ps.into_iter()
            .map(|(k, v)| match v {
                Some(v) => format!(";{k}={v}"),
                None => format!(";{k}"),
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn no_input_panics(input in any_input()) {
        let _ = Limit::<4>::parse(&input);
        let _ = Limit::<4>::parse_lenient(&input);
        let _ = Remaining::parse(&input);
        let _ = Remaining::parse_lenient(&input);
        let _ = Reset::parse(&input);
        let _ = Reset::parse_lenient(&input);
        let _ = HttpDate::parse(&input);
        let _ = sf::parse_item(&input);
        let _ = Params::parse(&input);
        for m in List::new(&input) { let _ = m; }
        for m in Dictionary::new(&input) { let _ = m; }
        // Reading a parsed value back never panics either.
        if let Ok(l) = Limit::<4>::parse_lenient(&input) {
            for p in l.value.policies() {
                for (k, v) in p.params() { let _ = (k, v.to_string()); }
            }
            let _ = l.value.to_string();
        }
    }

    #[test]
    fn errors_point_inside_the_input(input in any_input()) {
        for e in [
            Limit::<4>::parse(&input).err(),
            Limit::<4>::parse_lenient(&input).err(),
            Remaining::parse(&input).err(),
            Reset::parse_lenient(&input).err(),
        ].into_iter().flatten() {
            prop_assert!(e.offset() <= input.len(), "{e} beyond {} bytes", input.len());
        }
    }

    #[test]
    fn builder_values_round_trip(
        expiring in 0u64..=1_000_000_000_000_000,
        policies in prop::collection::vec((0u64..=u64::MAX, 0u64..=u64::MAX, params_text()), 0..8),
    ) {
        let texts: Vec<String> = policies.iter().map(|p| p.2.clone()).collect();
        let mut limit: Limit = Limit::new(expiring);
        for ((q, w, _), text) in policies.iter().zip(&texts) {
            let params = Params::parse(text.as_bytes()).expect("generated params are valid");
            limit.push(QuotaPolicy::new(*q, *w).with_params(params)).unwrap();
        }
        let mut buf = vec![0u8; limit.encoded_len()];
        let n = limit.encode(&mut buf).unwrap();
        prop_assert_eq!(n, buf.len());
        prop_assert_eq!(std::str::from_utf8(&buf).unwrap(), limit.to_string());
        let back = Limit::<8>::parse(&buf).map_err(|e| TestCaseError::fail(format!("{e}: {:?}", String::from_utf8_lossy(&buf))))?;
        prop_assert_eq!(&back, &limit);
        drop(back);
        if n > 0 {
            prop_assert!(limit.encode(&mut buf[..n - 1]).is_err());
        }
    }

    #[test]
    fn scalar_values_round_trip(v in any::<u64>()) {
        let r = Remaining::new(v);
        prop_assert_eq!(Remaining::parse(r.to_string().as_bytes()), Ok(r));
        let t = Reset::after_seconds(v);
        prop_assert_eq!(Reset::parse(t.to_string().as_bytes()), Ok(t));
    }

    #[test]
    fn dates_round_trip(secs in -62_135_596_800i64..=253_402_300_799) {
        let d = HttpDate::from_unix_seconds(secs).unwrap();
        prop_assert_eq!(d.unix_seconds(), secs);
        prop_assert_eq!(HttpDate::parse(d.to_string().as_bytes()), Ok(d));
    }

    #[test]
    fn encoding_a_parsed_value_is_a_fixed_point(input in any_input()) {
        if let Ok(v) = Limit::<4>::parse(&input) {
            let once = v.to_string();
            let again = Limit::<4>::parse(once.as_bytes()).expect("canonical form parses");
            prop_assert_eq!(&again, &v);
            prop_assert_eq!(again.to_string(), once.clone());
        }
        if let Ok(v) = Limit::<4>::parse_lenient(&input) {
            let once = v.value.to_string();
            let again = Limit::<4>::parse_lenient(once.as_bytes()).expect("canonical form parses");
            prop_assert_eq!(&again.value, &v.value);
            prop_assert_eq!(again.value.to_string(), once.clone());
            // The canonical form is strict unless a policy has no window at all.
            if !v.tolerances.contains(Tolerance::MissingWindow) {
                prop_assert!(again.is_strict(), "{once:?}: {:?}", again.tolerances);
            }
        }
        for v in [Remaining::parse_lenient(&input).map(|r| r.value.to_string())].into_iter().flatten() {
            prop_assert_eq!(Remaining::parse(v.as_bytes()).map(|r| r.to_string()), Ok(v));
        }
    }

    #[test]
    fn lenient_extends_strict(input in any_input()) {
        if let Ok(v) = Limit::<4>::parse(&input) {
            let l = Limit::<4>::parse_lenient(&input).expect("lenient accepts what strict accepts");
            prop_assert_eq!(&l.value, &v);
            prop_assert!(l.is_strict(), "{:?}", l.tolerances);
        }
        if let Ok(v) = Remaining::parse(&input) {
            let l = Remaining::parse_lenient(&input).unwrap();
            prop_assert_eq!(l.value, v);
            prop_assert!(l.is_strict());
        }
        if let Ok(v) = Reset::parse(&input) {
            let l = Reset::parse_lenient(&input).unwrap();
            prop_assert_eq!(l.value, v);
            prop_assert!(l.is_strict());
        }
    }
}
