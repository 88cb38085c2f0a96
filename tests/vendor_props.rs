//! Property tests for the vendor value types: no input makes a parser panic (nor gives an
//! error offset outside the input); builder-made values round-trip through `encode`;
//! encoding a parsed value is a fixed point; lenient parsing extends strict parsing; and the
//! parsers agree with independent reference computations.

use core::time::Duration;

use proptest::prelude::*;
use ratelimit_headers::field::vendor::{
    CallLimit, Count, DecimalCount, DecimalSeconds, DiscordScope, Flag, GoDuration, KongPeriod,
    Label, Rfc3339, UnixTime,
};
use ratelimit_headers::{Error, ErrorKind, HttpDate, Lenient};

/// Bytes drawn mostly from the vendor formats' own alphabets, so generated inputs go deep.
fn vendor_bytes() -> impl Strategy<Value = Vec<u8>> {
    let alphabet: &[u8] = b"0123456789.-+/:TZtz nsumhSM\t\xc2\xb5\xce\xbcxtruefalsgobd";
    prop::collection::vec(prop::sample::select(alphabet), 0..40)
}

/// Values that look like real vendor values, with a few bytes of noise spliced in.
fn vendorish() -> impl Strategy<Value = Vec<u8>> {
    let base = prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        (any::<u32>(), 0u32..1000).prop_map(|(s, f)| format!("{s}.{f:03}")),
        (0u64..10_000, 0u64..10_000).prop_map(|(a, b)| format!("{a}/{b}")),
        go_text(),
        rfc3339_text().prop_map(|(s, _)| s),
        Just("shared".to_string()),
        Just("true".to_string()),
    ];
    (base, vendor_bytes(), 0usize..64).prop_map(|(s, noise, at)| {
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
        vendor_bytes(),
        vendorish(),
    ]
}

const UNITS: &[(&str, u64)] = &[
    ("ns", 1),
    ("us", 1_000),
    ("µs", 1_000),
    ("μs", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
];

/// A Go duration component: integer digits, fraction digits, unit index.
fn go_component() -> impl Strategy<Value = (String, String, usize)> {
    ("[0-9]{0,6}", "[0-9]{0,14}", 0..UNITS.len())
        .prop_filter("needs a digit", |(i, f, _)| !i.is_empty() || !f.is_empty())
}

fn go_text() -> impl Strategy<Value = String> {
    prop::collection::vec(go_component(), 1..4).prop_map(|cs| {
        cs.into_iter()
            .map(|(i, f, u)| {
                let dot = if f.is_empty() { "" } else { "." };
                format!("{i}{dot}{f}{}", UNITS[u].0)
            })
            .collect()
    })
}

/// The reference value of a Go duration: each component exactly, rounded up to the
/// nanosecond (as the parser documents), in `u128`.
fn go_reference(text: &str) -> u128 {
    let mut total = 0u128;
    let mut rest = text;
    while !rest.is_empty() {
        let n_int = rest.bytes().take_while(u8::is_ascii_digit).count();
        let int: u128 = rest[..n_int].parse().unwrap_or(0);
        rest = &rest[n_int..];
        let mut frac = "";
        if let Some(r) = rest.strip_prefix('.') {
            let n = r.bytes().take_while(u8::is_ascii_digit).count();
            frac = &r[..n];
            rest = &r[n..];
        }
        let (name, unit) = UNITS
            .iter()
            .filter(|(name, _)| rest.starts_with(name))
            .max_by_key(|(name, _)| name.len())
            .unwrap();
        rest = &rest[name.len()..];
        let unit = u128::from(*unit);
        let scale = 10u128.pow(frac.len() as u32);
        let f: u128 = if frac.is_empty() {
            0
        } else {
            frac.parse().unwrap()
        };
        total += int * unit + (f * unit).div_ceil(scale);
    }
    total
}

/// An RFC 3339 timestamp and its Unix seconds, computed independently with `HttpDate`.
fn rfc3339_text() -> impl Strategy<Value = (String, i64)> {
    (
        1u16..=9998,
        1u8..=12,
        1u8..=31,
        0u8..24,
        0u8..60,
        0u8..60,
        prop::option::of("[0-9]{1,3}"),
        prop::option::of((any::<bool>(), 0u8..24, 0u8..60)),
        any::<bool>(),
    )
        .prop_filter_map(
            "a real date",
            |(y, mo, d, h, mi, s, frac, offset, lower)| {
                let date = HttpDate::new(y, mo, d, h, mi, s)?;
                let (zone, offset_secs) = match offset {
                    None => ((if lower { "z" } else { "Z" }).to_string(), 0),
                    Some((neg, oh, om)) => {
                        let secs = i64::from(oh) * 3600 + i64::from(om) * 60;
                        let sign = if neg { '-' } else { '+' };
                        (
                            format!("{sign}{oh:02}:{om:02}"),
                            if neg { -secs } else { secs },
                        )
                    }
                };
                let frac_text = frac.as_ref().map_or(String::new(), |f| format!(".{f}"));
                let text = format!(
                    "{y:04}-{mo:02}-{d:02}{}{h:02}:{mi:02}:{s:02}{frac_text}{zone}",
                    if lower { 't' } else { 'T' }
                );
                Some((text, date.unix_seconds() - offset_secs))
            },
        )
}

/// The error is inside the input (or at its end), and its message renders.
fn error_in_bounds(input: &[u8], r: Result<impl Sized, Error>) {
    if let Err(e) = r {
        assert!(e.offset() <= input.len(), "{e} for {input:?}");
        assert!(!e.to_string().is_empty());
    }
}

/// `encode` and `Display` agree with `encoded_len`, and a short buffer is a typed error.
macro_rules! encodes_consistently {
    ($v:expr) => {{
        let v = $v;
        let mut buf = [0u8; 128];
        let n = v.encode(&mut buf).unwrap();
        assert_eq!(n, v.encoded_len());
        assert_eq!(v.to_string().as_bytes(), &buf[..n]);
        if n > 0 {
            let e = v.encode(&mut buf[..n - 1]).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::BufferTooSmall);
        }
        buf[..n].to_vec()
    }};
}

/// Strict success implies lenient success with the same value and no tolerance; the encoding
/// of a parsed value parses back to it (it is canonical).
macro_rules! laws {
    ($ty:ty, $input:expr) => {{
        let input: &[u8] = $input;
        let strict = <$ty>::parse(input);
        let lenient: Result<Lenient<$ty>, Error> = <$ty>::parse_lenient(input);
        error_in_bounds(input, strict);
        error_in_bounds(input, lenient);
        if let Ok(v) = strict {
            let l = lenient.unwrap();
            assert_eq!(l.value, v, "lenient value differs for {input:?}");
            assert!(l.is_strict(), "tolerance on a strict value {input:?}");
            let bytes = encodes_consistently!(v);
            assert_eq!(
                <$ty>::parse(&bytes).unwrap(),
                v,
                "not canonical for {input:?}"
            );
        }
        if let Ok(l) = lenient {
            // What lenient parsing reads can always be written strictly.
            let bytes = encodes_consistently!(l.value);
            assert_eq!(<$ty>::parse(&bytes).unwrap(), l.value);
        }
    }};
}

fn all_laws(input: &[u8]) {
    laws!(Count, input);
    laws!(DecimalCount, input);
    laws!(UnixTime, input);
    laws!(DecimalSeconds, input);
    laws!(GoDuration, input);
    laws!(Rfc3339, input);
    laws!(CallLimit, input);
    laws!(Label<8>, input);
    laws!(Label, input);
    laws!(DiscordScope, input);
    laws!(Flag, input);
    let _ = KongPeriod::from_header_suffix(input);
    let _ = KongPeriod::parse_header_name(input);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn no_input_breaks_a_law(input in any_input()) {
        all_laws(&input);
    }

    #[test]
    fn scalar_builders_round_trip(n in any::<u64>(), m in any::<u64>()) {
        let v = Count::new(n);
        prop_assert_eq!(Count::parse(&encodes_consistently!(v)), Ok(v));
        let v = DecimalCount::from_milli(n);
        prop_assert_eq!(DecimalCount::parse(&encodes_consistently!(v)), Ok(v));
        let v = DecimalCount::from_whole(n);
        prop_assert_eq!(DecimalCount::parse(&encodes_consistently!(v)), Ok(v));
        let v = UnixTime::from_unix_millis(n);
        prop_assert_eq!(UnixTime::parse(&encodes_consistently!(v)), Ok(v));
        let v = UnixTime::from_secs(n);
        prop_assert_eq!(UnixTime::parse(&encodes_consistently!(v)), Ok(v));
        let v = DecimalSeconds::from_millis(n);
        prop_assert_eq!(DecimalSeconds::parse(&encodes_consistently!(v)), Ok(v));
        let v = DecimalSeconds::from_secs(n);
        prop_assert_eq!(DecimalSeconds::parse(&encodes_consistently!(v)), Ok(v));
        let v = CallLimit::new(n, m);
        prop_assert_eq!(CallLimit::parse(&encodes_consistently!(v)), Ok(v));
        prop_assert_eq!(v.remaining(), m.saturating_sub(n));
    }

    #[test]
    fn durations_round_trip(secs in prop_oneof![any::<u64>(), 0u64..100_000], nanos in 0u32..1_000_000_000) {
        let d = Duration::new(secs, nanos);
        let v = GoDuration::new(d);
        prop_assert_eq!(GoDuration::parse(&encodes_consistently!(v)), Ok(v));
        let small = GoDuration::new(Duration::from_nanos(u64::from(nanos)));
        prop_assert_eq!(GoDuration::parse(&encodes_consistently!(small)), Ok(small));
        let v = DecimalSeconds::from_duration(d);
        prop_assert!(v.duration() >= d || v.duration() == Duration::new(u64::MAX, 999_000_000));
        prop_assert!(v.duration() - d.min(v.duration()) < Duration::from_millis(1));
        prop_assert_eq!(DecimalSeconds::parse(&encodes_consistently!(v)), Ok(v));
    }

    #[test]
    fn go_durations_match_the_reference(text in go_text()) {
        let d = GoDuration::parse(text.as_bytes()).unwrap();
        prop_assert_eq!(d.duration().as_nanos(), go_reference(&text));
    }

    #[test]
    fn rfc3339_matches_http_date(case in rfc3339_text()) {
        let (text, secs) = case;
        match Rfc3339::parse(text.as_bytes()) {
            Ok(t) => prop_assert_eq!(t.unix_seconds(), secs),
            // Only a fraction rounding 9999-12-31T23:59:59.9995 up, or an offset leaving
            // years 0000-9999, can take the instant out of range.
            Err(e) => {
                prop_assert_eq!(e.kind(), ErrorKind::InvalidTimestamp);
                prop_assert!(Rfc3339::from_unix_seconds(secs).is_none());
            }
        }
    }

    #[test]
    fn rfc3339_builders_round_trip(ms in -62_167_219_200_000i64..=253_402_300_799_999) {
        let v = Rfc3339::from_unix_millis(ms).unwrap();
        prop_assert_eq!(Rfc3339::parse(&encodes_consistently!(v)), Ok(v));
        if let Some(d) = HttpDate::from_unix_seconds(v.unix_seconds()) {
            prop_assert_eq!(Rfc3339::from_http_date(d).unix_seconds(), v.unix_seconds());
        }
    }

    #[test]
    fn labels_round_trip(s in "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}") {
        let v: Label = Label::new(&s).unwrap();
        prop_assert_eq!(v.as_str(), s.as_str());
        prop_assert_eq!(Label::<64>::parse(&encodes_consistently!(v)), Ok(v));
        if s.len() > 8 {
            prop_assert_eq!(Label::<8>::new(&s).unwrap_err().kind(), ErrorKind::CapacityExceeded);
        }
    }

    #[test]
    fn delays_saturate(secs in any::<u64>(), millis in 0u64..1000, date in any::<i64>()) {
        let t = UnixTime::from_unix_millis(secs.saturating_mul(1000).saturating_add(millis));
        let d = t.delay_from(date);
        let exact = i128::from(t.secs()) * 1000 + i128::from(t.subsec_millis())
            - i128::from(date) * 1000;
        if exact <= 0 {
            prop_assert_eq!(d, Duration::ZERO);
        } else {
            prop_assert_eq!(d.as_millis(), exact as u128);
        }
    }
}

#[test]
fn enums_round_trip() {
    for v in [
        DiscordScope::User,
        DiscordScope::Global,
        DiscordScope::Shared,
    ] {
        assert_eq!(DiscordScope::parse(&encodes_consistently!(v)), Ok(v));
    }
    for v in [Flag::new(true), Flag::new(false)] {
        assert_eq!(Flag::parse(&encodes_consistently!(v)), Ok(v));
    }
    for p in KongPeriod::ALL {
        assert_eq!(
            KongPeriod::from_header_suffix(p.as_str().as_bytes()),
            Some(p)
        );
        assert_eq!(
            KongPeriod::from_header_suffix(p.as_str().to_uppercase().as_bytes()),
            Some(p)
        );
        assert_eq!(p.to_string(), p.as_str());
    }
}

#[test]
fn long_garbage_does_not_panic() {
    let mut inputs: Vec<Vec<u8>> = vec![
        vec![b'9'; 10_000],
        [b"1.".as_slice(), &[b'9'; 10_000]].concat(),
        [b"0.".as_slice(), &[b'9'; 10_000], b"h"].concat(),
        b"1h".repeat(5_000),
        "9µs".repeat(3_000).into_bytes(),
        vec![0xFF; 10_000],
        [b"2025-08-21T12:40:59.".as_slice(), &[b'9'; 10_000], b"Z"].concat(),
        [b"-".as_slice(), &[b'9'; 10_000]].concat(),
        [&[b'9'; 5_000][..], b"/", &[b'9'; 5_000]].concat(),
    ];
    inputs.push((0..10_000u32).map(|i| (i % 251) as u8).collect());
    for input in &inputs {
        all_laws(input);
    }
    // Saturation, not overflow.
    assert_eq!(
        GoDuration::parse(&inputs[2]).unwrap().duration(),
        Duration::from_secs(3600)
    );
    assert_eq!(
        GoDuration::parse(&inputs[3]).unwrap().duration(),
        Duration::from_secs(5_000 * 3600)
    );
    assert_eq!(Count::parse(&inputs[0]).unwrap().get(), u64::MAX);
    assert_eq!(UnixTime::parse_lenient(&inputs[1]).unwrap().value.secs(), 2);
}
