//! The optional integrations: `http` (HeaderMap in and out) and `serde`.
//!
//! Run with `cargo test --all-features` (or `--features http,serde`); each part compiles only
//! with its feature.

#[cfg(feature = "http")]
mod http_integration {
    use core::time::Duration;

    use http::{HeaderMap, HeaderName, HeaderValue, Response, StatusCode};
    use ratelimit_headers::http::{append, append_as, header_pairs, insert, insert_as};
    use ratelimit_headers::{
        Dialect, ErrorKind, Feedback, HttpDate, Limit, Policy, PolicyId, QuotaPolicy, RateLimit,
        RateLimitPolicy, ReadOptions, Remaining, Reset, RetryAfter, RetryAfterMs, ServiceLimit,
        Tolerance,
    };

    fn map(lines: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (n, v) in lines {
            m.append(
                HeaderName::from_bytes(n.as_bytes()).unwrap(),
                HeaderValue::from_static(v),
            );
        }
        m
    }

    /// The map's lines as owned pairs, in the map's order.
    fn pairs(m: &HeaderMap) -> Vec<(Vec<u8>, Vec<u8>)> {
        m.iter()
            .map(|(n, v)| (n.as_str().as_bytes().to_vec(), v.as_bytes().to_vec()))
            .collect()
    }

    fn from_pairs<'a>(status: Option<u16>, p: &'a [(Vec<u8>, Vec<u8>)]) -> Feedback<'a> {
        Feedback::from_headers(status, p.iter().map(|(n, v)| (&n[..], &v[..])))
    }

    #[test]
    fn claid_429_from_a_header_map_equals_from_headers() {
        let m = map(&[
            ("RateLimit-Limit", "4, 120;w=60, 4;w=1"),
            ("RateLimit-Remaining", "-1"),
            ("RateLimit-Reset", "1"),
        ]);
        let fb: Feedback = Feedback::from_header_map(Some(429), &m);
        let p = pairs(&m);
        assert_eq!(fb, from_pairs(Some(429), &p));
        // And the same as reading the lines as sent (names in their original case).
        let sent = [
            ("RateLimit-Limit", "4, 120;w=60, 4;w=1"),
            ("RateLimit-Remaining", "-1"),
            ("RateLimit-Reset", "1"),
        ];
        let raw: Feedback = Feedback::from_headers(
            Some(429),
            sent.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes())),
        );
        assert_eq!(
            (fb.dialect(), fb.policies(), fb.tolerances()),
            (raw.dialect(), raw.policies(), raw.tolerances())
        );
        assert_eq!(fb.dialect(), Dialect::IetfFields);
        assert!(fb.tolerances().contains(Tolerance::NegativeClamped));
        let w1 = fb.policy(PolicyId::window(1)).unwrap();
        assert_eq!(w1.remaining, Some(-1));
        assert_eq!(w1.reset, Some(Duration::from_secs(1)));
        assert_eq!(fb.policies().len(), 2);
    }

    #[test]
    fn repeated_lines_appended_to_the_map_are_combined() {
        // draft-ietf-08+: two RateLimit-Policy lines and two RateLimit lines.
        let m = map(&[
            ("RateLimit-Policy", r#""burst";q=100;w=60"#),
            ("RateLimit", r#""burst";r=0;t=12"#),
            ("RateLimit-Policy", r#""daily";q=1000;w=86400"#),
            ("RateLimit", r#""daily";r=640;t=3000"#),
        ]);
        assert_eq!(m.get_all("ratelimit").iter().count(), 2);
        let fb: Feedback = Feedback::from_header_map(Some(429), &m);
        assert_eq!(fb, from_pairs(Some(429), &pairs(&m)));
        assert_eq!(fb.dialect(), Dialect::IetfNamed);
        let burst = fb.policy(PolicyId::named(b"burst")).unwrap();
        assert_eq!(
            (burst.quota, burst.remaining, burst.reset),
            (Some(100), Some(0), Some(Duration::from_secs(12)))
        );
        let daily = fb.policy(PolicyId::named(b"daily")).unwrap();
        assert_eq!((daily.quota, daily.remaining), (Some(1000), Some(640)));
        assert!(fb.ignored().is_empty());

        // A field that must occur once, repeated: ignored as `Repeated`, as with raw pairs.
        let m = map(&[
            ("RateLimit-Limit", "10"),
            ("RateLimit-Remaining", "3"),
            ("RateLimit-Remaining", "2"),
        ]);
        let fb: Feedback = Feedback::from_header_map(Some(200), &m);
        assert_eq!(fb, from_pairs(Some(200), &pairs(&m)));
        assert_eq!(fb.ignored()[0].error.kind(), ErrorKind::Repeated);
        assert_eq!(fb.ignored()[0].header, b"ratelimit-remaining");
    }

    #[test]
    fn several_header_sets_match_from_headers() {
        let sets: &[&[(&str, &str)]] = &[
            &[("RateLimit", "limit=100, remaining=50, reset=5")],
            &[
                ("Date", "Tue, 14 Nov 2023 22:13:20 GMT"),
                ("RateLimit-Limit", "600"),
                ("RateLimit-Remaining", "0"),
                ("RateLimit-Reset", "1700000060"),
                ("RateLimit-Observed", "600"),
            ],
            &[("Retry-After", "Tue, 14 Nov 2023 22:14:20 GMT")],
            &[("retry-after-ms", "1500"), ("Retry-After", "2")],
            &[("Age", "30"), ("RateLimit-Remaining", "x")],
            &[("Content-Type", "text/plain")],
        ];
        for set in sets {
            let m = map(set);
            let p = pairs(&m);
            let fb: Feedback = Feedback::from_header_map(Some(200), &m);
            let expected: Feedback =
                Feedback::from_headers(Some(200), p.iter().map(|(n, v)| (&n[..], &v[..])));
            assert_eq!(fb, expected, "{set:?}");
            // With a clock, through `header_pairs`.
            let clock = ReadOptions::new().with_now_unix(1_700_000_000);
            let mut fb: Feedback = Feedback::new(None);
            fb.read(Some(200), header_pairs(&m), clock);
            let mut expected: Feedback = Feedback::new(None);
            expected.read(Some(200), p.iter().map(|(n, v)| (&n[..], &v[..])), clock);
            assert_eq!(fb, expected, "{set:?} with a clock");
        }
    }

    #[test]
    fn from_response_takes_the_status_code() {
        let response = Response::builder()
            .status(StatusCode::SERVICE_UNAVAILABLE)
            .header("Retry-After", "120")
            .body(())
            .unwrap();
        let fb: Feedback = Feedback::from_response(&response);
        assert_eq!(fb.status(), Some(503));
        assert!(fb.is_throttle());
        assert_eq!(fb.retry_after(), Some(Duration::from_secs(120)));
        assert_eq!(fb.dialect(), Dialect::RetryAfterOnly);
        // A date needs a clock when the response has no Date header.
        let response = Response::builder()
            .status(429)
            .header("Retry-After", "Tue, 14 Nov 2023 22:14:20 GMT")
            .body(())
            .unwrap();
        let fb: Feedback = Feedback::from_response(&response);
        assert_eq!(fb.retry_after(), None);
        assert_eq!(fb.ignored()[0].error.kind(), ErrorKind::NeedsClock);
        let mut fb: Feedback = Feedback::new(None);
        let clock = ReadOptions::new().with_now_unix(1_700_000_000);
        fb.read(Some(429), header_pairs(response.headers()), clock);
        assert_eq!(fb.retry_after(), Some(Duration::from_secs(60)));
    }

    #[test]
    fn header_pairs_clone_at_any_point() {
        let m = map(&[("a", "1"), ("b", "2"), ("a", "3")]);
        let mut it = header_pairs(&m);
        let all: Vec<_> = it.clone().collect();
        assert_eq!(all.len(), 3);
        for k in 0..=3 {
            let rest: Vec<_> = it.clone().collect();
            assert_eq!(rest, all[k..]);
            it.next();
        }
    }

    /// Inserts `value`, reads the map back and parses it strictly.
    fn insert_round_trip<F, P>(value: &F, parse: P)
    where
        F: for<'b> ratelimit_headers::field::Field<'b> + PartialEq + core::fmt::Debug,
        P: for<'b> Fn(&'b [u8]) -> Result<F, ratelimit_headers::Error>,
    {
        let mut m = HeaderMap::new();
        m.insert(F::NAME, HeaderValue::from_static("old"));
        insert(&mut m, value).unwrap();
        let lines: Vec<_> = m.get_all(F::NAME).iter().collect();
        assert_eq!(lines.len(), 1, "insert replaces");
        assert_eq!(lines[0].as_bytes().len(), value.encoded_len());
        assert_eq!(&parse(lines[0].as_bytes()).unwrap(), value);
        assert_eq!(lines[0].to_str().unwrap(), value.to_string());

        append(&mut m, value).unwrap();
        let lines: Vec<_> = m.get_all(F::NAME).iter().collect();
        assert_eq!(lines.len(), 2, "append adds");
        for l in lines {
            assert_eq!(&parse(l.as_bytes()).unwrap(), value);
        }
    }

    #[test]
    fn every_field_type_round_trips_through_a_header_map() {
        insert_round_trip(&Remaining::new(118), Remaining::parse);
        insert_round_trip(&Reset::after_seconds(32), Reset::parse);
        insert_round_trip(&RetryAfter::after_seconds(20), RetryAfter::parse);
        let date = HttpDate::parse(b"Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        insert_round_trip(&RetryAfter::At(date), RetryAfter::parse);
        insert_round_trip(&RetryAfterMs::from_millis(1500), RetryAfterMs::parse);
        insert_round_trip(&date, HttpDate::parse);
    }

    /// The borrowed field types: the parsed value borrows the map, so compare encodings.
    #[test]
    fn borrowed_field_types_round_trip_through_a_header_map() {
        let named: RateLimitPolicy = RateLimitPolicy::new()
            .with_policy(Policy::named("burst", 100).unwrap().with_window(60))
            .unwrap()
            .with_policy(
                Policy::named("daily", 1000)
                    .unwrap()
                    .with_window(86400)
                    .with_unit("content-bytes")
                    .unwrap()
                    .with_partition_key("cHsdsRa894==")
                    .unwrap(),
            )
            .unwrap();
        let unnamed: RateLimitPolicy = RateLimitPolicy::new()
            .with_policy(Policy::unnamed(10, 1))
            .unwrap()
            .with_policy(Policy::unnamed(50, 60))
            .unwrap();
        let list: RateLimit = RateLimit::list()
            .with_item(
                ServiceLimit::named("burst")
                    .unwrap()
                    .with_remaining(0)
                    .with_reset(12),
            )
            .unwrap()
            .with_item(ServiceLimit::named("daily").unwrap().with_remaining(640))
            .unwrap();
        // A built dictionary compares its unknown-member bytes too (none, where a parsed one
        // keeps the whole value), so compare it through a parsed one.
        let dict = RateLimit::<8>::parse(b"limit=100, remaining=50, reset=5").unwrap();

        let limit: Limit = Limit::new(4)
            .with_policy(QuotaPolicy::new(120, 60))
            .unwrap()
            .with_policy(QuotaPolicy::new(4, 1))
            .unwrap();
        let mut m = HeaderMap::new();
        m.insert("ratelimit-limit", HeaderValue::from_static("1"));
        insert(&mut m, &limit).unwrap();
        append(&mut m, &limit).unwrap();
        let lines: Vec<_> = m.get_all("ratelimit-limit").iter().collect();
        assert_eq!(lines.len(), 2);
        for l in lines {
            assert_eq!(Limit::<8>::parse(l.as_bytes()).unwrap(), limit);
        }

        let mut m = HeaderMap::new();
        insert(&mut m, &named).unwrap();
        assert_eq!(
            RateLimitPolicy::<8>::parse(m["ratelimit-policy"].as_bytes()).unwrap(),
            named
        );
        insert(&mut m, &unnamed).unwrap();
        assert_eq!(m.get_all("ratelimit-policy").iter().count(), 1);
        assert_eq!(
            RateLimitPolicy::<8>::parse(m["ratelimit-policy"].as_bytes()).unwrap(),
            unnamed
        );
        append(&mut m, &unnamed).unwrap();
        for l in m.get_all("ratelimit-policy") {
            assert_eq!(RateLimitPolicy::<8>::parse(l.as_bytes()).unwrap(), unnamed);
        }
        insert(&mut m, &list).unwrap();
        assert_eq!(
            RateLimit::<8>::parse(m["ratelimit"].as_bytes()).unwrap(),
            list
        );
        append(&mut m, &dict).unwrap();
        let lines: Vec<_> = m.get_all("ratelimit").iter().collect();
        assert_eq!(RateLimit::<8>::parse(lines[0].as_bytes()).unwrap(), list);
        assert_eq!(RateLimit::<8>::parse(lines[1].as_bytes()).unwrap(), dict);

        // What was written reads back as feedback.
        let mut m = HeaderMap::new();
        insert(&mut m, &named).unwrap();
        insert(&mut m, &list).unwrap();
        let fb: Feedback = Feedback::from_header_map(Some(200), &m);
        assert_eq!(fb.dialect(), Dialect::IetfNamed);
        assert_eq!(
            fb.policy(PolicyId::named(b"daily")).unwrap().remaining,
            Some(640)
        );
    }

    #[test]
    fn other_names_and_long_values() {
        let mut m = HeaderMap::new();
        insert_as(
            &mut m,
            HeaderName::from_static("x-ratelimit-remaining"),
            &Remaining::new(59),
        )
        .unwrap();
        append_as(
            &mut m,
            HeaderName::from_static("x-ratelimit-remaining"),
            &Remaining::new(58),
        )
        .unwrap();
        let lines: Vec<_> = m.get_all("x-ratelimit-remaining").iter().collect();
        assert_eq!(lines, ["59", "58"]);
        insert_as(
            &mut m,
            HeaderName::from_static("x-ratelimit-remaining"),
            &Remaining::new(1),
        )
        .unwrap();
        assert_eq!(m.get_all("x-ratelimit-remaining").iter().count(), 1);

        // Longer than the stack buffer: encoded into a Vec.
        let mut limit = Limit::<64>::new(999_999_999_999_999);
        for w in 1..=40 {
            limit.push(QuotaPolicy::new(999_999_999, w)).unwrap();
        }
        assert!(limit.encoded_len() > 256);
        let mut m = HeaderMap::new();
        insert(&mut m, &limit).unwrap();
        assert_eq!(
            Limit::<64>::parse(m["ratelimit-limit"].as_bytes()).unwrap(),
            limit
        );
        assert_eq!(
            ratelimit_headers::http::to_header_value(&limit)
                .unwrap()
                .len(),
            limit.encoded_len()
        );
    }
}

#[cfg(feature = "serde")]
mod serde_integration {
    use core::fmt::Debug;
    use core::time::Duration;

    use ratelimit_headers::feedback::{Ignored, PolicyFeedback};
    use ratelimit_headers::sf::{BareItem, ByteSeq, Params, SfStr};
    use ratelimit_headers::{
        Dialect, Error, ErrorKind, Feedback, HttpDate, Limit, LimitDictionary, Policy, PolicyId,
        QuotaPolicy, QuotaUnit, RateLimit, RateLimitPolicy, ReadOptions, Remaining, Reset,
        RetryAfter, RetryAfterMs, ServiceLimit, Tolerance, Tolerances,
    };
    use serde::de::value::{BorrowedStrDeserializer, Error as ValueError};
    use serde::{Deserialize, Serialize};

    /// JSON round trip; returns the JSON.
    fn json<T>(v: &T) -> String
    where
        T: Serialize + for<'de> Deserialize<'de> + PartialEq + Debug,
    {
        let s = serde_json::to_string(v).unwrap();
        let back: T = serde_json::from_str(&s).unwrap();
        assert_eq!(&back, v, "{s}");
        s
    }

    /// JSON round trip of a type that borrows from the input.
    fn json_borrowed<'j, T>(v: &T, buf: &'j mut String) -> T
    where
        T: Serialize + Deserialize<'j> + PartialEq + Debug,
    {
        *buf = serde_json::to_string(v).unwrap();
        let back: T = serde_json::from_str(buf).unwrap();
        assert_eq!(&back, v, "{buf}");
        back
    }

    /// A borrowed-string round trip through serde's own value deserializer (what binary and
    /// other escape-free formats hand over).
    fn via_borrowed_str<'s, T: Deserialize<'s> + PartialEq + Debug>(text: &'s str, v: &T) {
        let back = T::deserialize(BorrowedStrDeserializer::<ValueError>::new(text)).unwrap();
        assert_eq!(&back, v);
    }

    #[test]
    fn owned_value_types_round_trip_as_canonical_strings() {
        assert_eq!(json(&Remaining::new(118)), r#""118""#);
        assert_eq!(json(&Reset::after_seconds(32)), r#""32""#);
        let date = HttpDate::parse(b"Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(json(&date), r#""Sun, 06 Nov 1994 08:49:37 GMT""#);
        // `Reset::At` (draft-polli-00) encodes as a date and reads back.
        assert_eq!(json(&Reset::At(date)), r#""Sun, 06 Nov 1994 08:49:37 GMT""#);
        assert_eq!(json(&RetryAfter::after_seconds(20)), r#""20""#);
        assert_eq!(
            json(&RetryAfter::At(date)),
            r#""Sun, 06 Nov 1994 08:49:37 GMT""#
        );
        assert_eq!(json(&RetryAfterMs::from_millis(1500)), r#""1500""#);
        // Owned types also take a transient (escaped) string.
        let r: Remaining = serde_json::from_str(r#""\u0031\u0032""#).unwrap();
        assert_eq!(r.get(), 12);
    }

    #[test]
    fn borrowed_value_types_round_trip_as_canonical_strings() {
        let mut buf = String::new();
        let limit: Limit = Limit::new(4)
            .with_policy(QuotaPolicy::new(120, 60))
            .unwrap()
            .with_policy(QuotaPolicy::new(4, 1).with_params(Params::parse(b";burst=1000").unwrap()))
            .unwrap();
        json_borrowed(&limit, &mut buf);
        assert_eq!(buf, r#""4, 120;w=60, 4;w=1;burst=1000""#);

        let q = QuotaPolicy::new(100, 60).with_params(Params::parse(b";a=?0").unwrap());
        json_borrowed(&q, &mut buf);
        assert_eq!(buf, r#""100;w=60;a=?0""#);

        let unnamed: RateLimitPolicy = RateLimitPolicy::new()
            .with_policy(Policy::unnamed(10, 1))
            .unwrap()
            .with_policy(Policy::unnamed(50, 60))
            .unwrap();
        json_borrowed(&unnamed, &mut buf);
        assert_eq!(buf, r#""10;w=1, 50;w=60""#);
        json_borrowed(&Policy::unnamed(10, 1), &mut buf);

        // A built dictionary serializes canonically; a parsed one round-trips (a built one
        // compares its unknown-member bytes too, which only a parsed one keeps).
        let built = LimitDictionary::new(100, 5).with_remaining(50);
        assert_eq!(
            serde_json::to_string(&built).unwrap(),
            r#""limit=100, remaining=50, reset=5""#
        );
        let RateLimit::Dictionary(dict) =
            RateLimit::<0>::parse(b"limit=100, remaining=50, reset=5, x=?0").unwrap()
        else {
            panic!()
        };
        json_borrowed(&dict, &mut buf);
        assert_eq!(buf, r#""limit=100, remaining=50, reset=5, x=?0""#);
        json_borrowed::<RateLimit>(&RateLimit::Dictionary(dict), &mut buf);

        json_borrowed(
            &Params::parse(b";burst=1000;x=tok;y=:AQID:").unwrap(),
            &mut buf,
        );
        json_borrowed(&ByteSeq::from_base64("cHsdsRa894==").unwrap(), &mut buf);
        assert_eq!(buf, r#""cHsdsRa894==""#);
        json_borrowed(&SfStr::from_escaped("plain text").unwrap(), &mut buf);
        json_borrowed(&BareItem::Integer(-42), &mut buf);
        json_borrowed(&BareItem::Token("foo/bar"), &mut buf);
        json_borrowed(&BareItem::Boolean(true), &mut buf);
        assert_eq!(buf, r#""?1""#);
    }

    #[test]
    fn values_with_quotes_serialize_but_need_a_borrowed_string_to_deserialize() {
        let policy = Policy::named("burst", 100).unwrap().with_window(60);
        let named: RateLimitPolicy = RateLimitPolicy::new().with_policy(policy).unwrap();
        let item = ServiceLimit::named("burst")
            .unwrap()
            .with_remaining(0)
            .with_reset(12);
        let list: RateLimit = RateLimit::list().with_item(item).unwrap();
        let text = r#""burst";q=100;w=60"#;
        assert_eq!(
            serde_json::to_string(&named).unwrap(),
            r#""\"burst\";q=100;w=60""#
        );
        // JSON escapes the quotes, so the string cannot be borrowed: a clear error.
        let err = serde_json::from_str::<RateLimitPolicy>(r#""\"burst\";q=100;w=60""#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("borrowed string"), "{err}");
        // Formats that hand over the string as it is borrow it.
        via_borrowed_str(text, &named);
        via_borrowed_str(text, &policy);
        via_borrowed_str(r#""burst";r=0;t=12"#, &item);
        via_borrowed_str(r#""burst";r=0;t=12"#, &list);
        via_borrowed_str(
            r#""a b""#,
            &BareItem::String(SfStr::from_escaped("a b").unwrap()),
        );
        via_borrowed_str(
            r#"say \"hi\""#,
            &SfStr::from_escaped(r#"say \"hi\""#).unwrap(),
        );
    }

    #[test]
    fn deserializing_is_strict_and_reports_the_byte_offset() {
        let err = serde_json::from_str::<Remaining>(r#""1x""#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("at byte 1"), "{err}");
        assert!(err.contains("RateLimit-Remaining"), "{err}");
        let err = serde_json::from_str::<Remaining>(r#""-1""#)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("negative") && err.contains("at byte 0"),
            "{err}"
        );
        let err = serde_json::from_str::<Limit>(r#""120, 120;w=60, 4""#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("at byte 15"), "{err}");
        let err = serde_json::from_str::<Limit>(r#""120, 120 ;w=60""#)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("whitespace before") && err.contains("at byte 8"),
            "{err}"
        );
        // A Dictionary is not a list item, and two items are not one.
        let err = serde_json::from_str::<ServiceLimit>(r#""limit=1, reset=2""#).unwrap_err();
        assert!(err.to_string().contains("wrong type"), "{err}");
        let err = serde_json::from_str::<Policy>(r#""10;w=1, 20;w=2""#).unwrap_err();
        assert!(err.to_string().contains("capacity") && err.to_string().contains("at byte 8"));
        let err = serde_json::from_str::<QuotaPolicy>(r#""10;w=1 x""#).unwrap_err();
        assert!(err.to_string().contains("at byte 6"), "{err}");
        let err = serde_json::from_str::<LimitDictionary>(r#""10;w=1""#).unwrap_err();
        assert!(err.to_string().contains("wrong type"), "{err}");
        assert!(serde_json::from_str::<Reset>(r#""Sun, 06 Nov 1994""#).is_err());
        assert!(serde_json::from_str::<HttpDate>(r#""yesterday""#).is_err());
        assert!(serde_json::from_str::<BareItem>(r#""1 2""#).is_err());
        assert!(serde_json::from_str::<ByteSeq>(r#""a$""#).is_err());
        assert!(
            serde_json::from_str::<Remaining>("118").is_err(),
            "a string is required"
        );
    }

    #[test]
    fn names_round_trip() {
        assert_eq!(json(&Tolerance::NegativeClamped), r#""NegativeClamped""#);
        assert_eq!(json(&ErrorKind::UnexpectedByte), r#""UnexpectedByte""#);
        assert_eq!(json(&Dialect::IetfFields), r#""ietf-fields""#);
        assert_eq!(json(&Dialect::RetryAfterOnly), r#""retry-after""#);
        assert_eq!(json(&QuotaUnit::ContentBytes), r#""content-bytes""#);
        let id = PolicyId::named(b"burst");
        assert_eq!(json(&id), id.get().to_string());
        let mut t = Tolerances::new();
        assert_eq!(json(&t), "[]");
        t.insert(Tolerance::TokenName);
        t.insert(Tolerance::NegativeClamped);
        assert_eq!(json(&t), r#"["NegativeClamped","TokenName"]"#);
        let err = serde_json::from_str::<Dialect>(r#""ietf""#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown variant `ietf`"), "{err}");
    }

    #[test]
    fn errors_round_trip_with_their_message() {
        let e = Remaining::parse(b"1x").unwrap_err();
        let s = json(&e);
        assert_eq!(
            s,
            r#"{"kind":"UnexpectedByte","offset":1,"found":120,"message":"unexpected byte, found `x` at byte 1"}"#
        );
        let e = Error::new(ErrorKind::CapacityExceeded, 8);
        assert_eq!(
            json(&e),
            r#"{"kind":"CapacityExceeded","offset":8,"found":null,"message":"more members than the fixed capacity holds at byte 8"}"#
        );
        let short: Error = serde_json::from_str(r#"{"kind":"Negative"}"#).unwrap();
        assert_eq!(short, Error::new(ErrorKind::Negative, 0));
    }

    fn feedback<'a>(
        status: u16,
        headers: &'a [(&'a str, &'a str)],
        now: Option<i64>,
    ) -> Feedback<'a> {
        let mut options = ReadOptions::new();
        options.now_unix = now;
        let mut fb = Feedback::new(None);
        fb.read(
            Some(status),
            headers.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes())),
            options,
        );
        fb
    }

    const HEADER_SETS: &[(u16, &[(&str, &str)])] = &[
        // Claid 200 and 429.
        (
            200,
            &[
                ("RateLimit-Limit", "120, 120;w=60, 4;w=1"),
                ("RateLimit-Remaining", "118"),
                ("RateLimit-Reset", "32"),
            ],
        ),
        (
            429,
            &[
                ("RateLimit-Limit", "4, 120;w=60, 4;w=1"),
                ("RateLimit-Remaining", "-1"),
                ("RateLimit-Reset", "1"),
            ],
        ),
        // draft-ietf-08+ named, with units, partition keys and a Token name.
        (
            429,
            &[
                (
                    "RateLimit-Policy",
                    r#""burst";q=100;w=60, "bytes";q=1000000;qu="content-bytes";w=3600;pk=:cHsdsRa894==:"#,
                ),
                ("RateLimit", r#"burst;r=0;t=12, "bytes";r=-5"#),
                ("Retry-After", "12"),
            ],
        ),
        // draft-ietf-07 dictionary.
        (200, &[("RateLimit", "limit=100, remaining=50, reset=5")]),
        // GitLab (epoch reset, with the Date header).
        (
            429,
            &[
                ("Date", "Tue, 14 Nov 2023 22:13:20 GMT"),
                ("RateLimit-Limit", "600"),
                ("RateLimit-Observed", "600"),
                ("RateLimit-Remaining", "0"),
                ("RateLimit-Reset", "1700000060"),
            ],
        ),
        // Retry-After only, as a date, and from a cache.
        (
            503,
            &[
                ("Date", "Tue, 14 Nov 2023 22:13:20 GMT"),
                ("Age", "5"),
                ("Retry-After", "Tue, 14 Nov 2023 22:14:20 GMT"),
            ],
        ),
        // Sub-second retry and decimal seconds.
        (429, &[("Retry-After", "2.5")]),
        (429, &[("retry-after-ms", "0.5")]),
        // Broken fields: ignored, with errors.
        (
            200,
            &[
                ("RateLimit-Limit", "10, 10;w=1, x"),
                ("RateLimit-Remaining", "3"),
                ("RateLimit-Remaining", "4"),
                ("RateLimit-Reset", "Mon, 99"),
                ("Retry-After", "soon"),
            ],
        ),
        // Nothing recognised.
        (200, &[("Content-Type", "text/html")]),
        // Vendor dialects: GitHub (epoch reset), Discord (fractional reset), OpenAI (Go
        // durations, tokens), Anthropic (RFC 3339), Reddit (decimal count), Shopify, Kong.
        (
            403,
            &[
                ("Date", "Tue, 14 Nov 2023 22:13:20 GMT"),
                ("x-ratelimit-limit", "5000"),
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-used", "5000"),
                ("x-ratelimit-reset", "1700000060"),
                ("x-ratelimit-resource", "core"),
            ],
        ),
        (
            429,
            &[
                ("X-RateLimit-Limit", "5"),
                ("X-RateLimit-Remaining", "0"),
                ("X-RateLimit-Reset", "1470173023.123"),
                ("X-RateLimit-Reset-After", "64.57"),
                ("X-RateLimit-Bucket", "abcd1234"),
            ],
        ),
        (
            200,
            &[
                ("x-ratelimit-limit-requests", "60"),
                ("x-ratelimit-limit-tokens", "150000"),
                ("x-ratelimit-remaining-requests", "59"),
                ("x-ratelimit-remaining-tokens", "149984"),
                ("x-ratelimit-reset-requests", "1s"),
                ("x-ratelimit-reset-tokens", "6m0.5s"),
            ],
        ),
        (
            200,
            &[
                ("Date", "Thu, 21 Aug 2025 12:40:00 GMT"),
                ("anthropic-ratelimit-requests-limit", "50"),
                ("anthropic-ratelimit-requests-remaining", "49"),
                ("anthropic-ratelimit-requests-reset", "2025-08-21T12:40:59Z"),
                ("anthropic-ratelimit-tokens-limit", "40000"),
                ("anthropic-ratelimit-tokens-remaining", "39000"),
                ("anthropic-ratelimit-tokens-reset", "2025-08-21T12:40:01Z"),
            ],
        ),
        (
            200,
            &[
                ("X-Ratelimit-Used", "1"),
                ("X-Ratelimit-Remaining", "599.0"),
                ("X-Ratelimit-Reset", "412"),
            ],
        ),
        (200, &[("X-Shopify-Shop-Api-Call-Limit", "32/40")]),
        (
            200,
            &[
                ("X-RateLimit-Limit-Minute", "10"),
                ("X-RateLimit-Remaining-Minute", "9"),
                ("X-RateLimit-Limit-Hour", "100"),
                ("X-RateLimit-Remaining-Hour", "99"),
            ],
        ),
    ];

    #[test]
    fn feedback_round_trips_through_json() {
        let mut dialects = Vec::new();
        let mut fractions = 0;
        for (status, headers) in HEADER_SETS {
            let fb = feedback(*status, headers, None);
            dialects.push(fb.dialect());
            fractions += fb
                .policies()
                .iter()
                .filter(|p| p.reset.is_some_and(|r| r.subsec_nanos() > 0))
                .count();
        }
        for d in [
            Dialect::GitHub,
            Dialect::Discord,
            Dialect::OpenAi,
            Dialect::Anthropic,
            Dialect::Reddit,
            Dialect::Shopify,
            Dialect::Kong,
            Dialect::GitLab,
            Dialect::IetfNamed,
            Dialect::IetfDictionary,
            Dialect::IetfFields,
            Dialect::RetryAfterOnly,
            Dialect::None,
        ] {
            assert!(dialects.contains(&d), "{d} not covered");
        }
        assert!(fractions > 0, "a fractional reset is covered");
        for (status, headers) in HEADER_SETS {
            for now in [None, Some(1_700_000_000)] {
                let fb = feedback(*status, headers, now);
                let s = serde_json::to_string(&fb).unwrap();
                let back: Feedback = serde_json::from_str(&s).unwrap();
                assert_eq!(back, fb, "{s}");
                // Pretty-printed and re-serialized: the same.
                let pretty = serde_json::to_string_pretty(&fb).unwrap();
                let back: Feedback = serde_json::from_str(&pretty).unwrap();
                assert_eq!(serde_json::to_string(&back).unwrap(), s);
            }
        }
    }

    #[test]
    fn feedback_json_shape() {
        let h = [
            ("RateLimit-Limit", "4, 120;w=60, 4;w=1"),
            ("RateLimit-Remaining", "-1"),
            ("RateLimit-Reset", "1"),
            ("Retry-After", "2.5"),
            ("RateLimit-Policy", "oops"),
        ];
        let fb = feedback(429, &h, None);
        let v: serde_json::Value = serde_json::to_value(&fb).unwrap();
        let w60 = PolicyId::window(60).get();
        let w1 = PolicyId::window(1).get();
        let expected = serde_json::json!({
            "status": 429,
            "dialect": "ietf-fields",
            "policies": [
                {"id": w60, "name": null, "quota": 120, "window_s": 60, "unit": "requests",
                 "remaining": null, "reset_s": null},
                {"id": w1, "name": null, "quota": 4, "window_s": 1, "unit": "requests",
                 "remaining": -1, "reset_s": 1},
            ],
            "retry_after_ms": 2500,
            "from_cache": false,
            "tolerances": ["NegativeClamped", "DecimalSeconds"],
            "ignored": [
                {"header": "RateLimit-Policy",
                 "error": {"kind": "MissingParameter", "offset": 0, "found": null,
                           "message": "a required parameter or member is missing at byte 0"}},
            ],
            "ignored_overflow": 0,
        });
        assert_eq!(v, expected);
    }

    #[test]
    fn feedback_fractions_and_overflow() {
        // Fractional durations are floats of seconds; whole ones integers.
        let mut fb: Feedback = Feedback::new(None);
        fb.push_policy(
            PolicyFeedback::new(PolicyId::window(1))
                .with_quota(10, Duration::from_secs(1))
                .with_reset(Duration::from_millis(1500)),
        )
        .unwrap();
        fb.set_retry_after(Some(Duration::from_micros(1_000_001)));
        let s = serde_json::to_string(&fb).unwrap();
        assert!(s.contains(r#""reset_s":1.5"#), "{s}");
        assert!(s.contains(r#""retry_after_ms":1001"#), "{s}");
        let back: Feedback = serde_json::from_str(&s).unwrap();
        assert_eq!(back.policies(), fb.policies());
        assert_eq!(
            back.retry_after(),
            Some(Duration::from_millis(1001)),
            "rounded up"
        );

        // More ignored fields than fit: the overflow count survives.
        let h = [
            ("RateLimit-Policy", "x"),
            ("Retry-After", "soon"),
            ("retry-after-ms", "x"),
            ("Date", "never"),
            ("Age", "old"),
        ];
        let fb: Feedback<'_, 8, 2> = Feedback::from_headers(
            Some(200),
            h.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes())),
        );
        assert_eq!(fb.ignored_overflow(), 2);
        let s = serde_json::to_string(&fb).unwrap();
        let back: Feedback<'_, 8, 2> = serde_json::from_str(&s).unwrap();
        assert_eq!(back, fb);
        // Into a smaller list: the rest is counted as overflow.
        let small: Feedback<'_, 8, 1> = serde_json::from_str(&s).unwrap();
        assert_eq!((small.ignored().len(), small.ignored_overflow()), (1, 3));
        // Too many policies for the capacity: an error, not a silent loss.
        let fb = feedback(200, HEADER_SETS[0].1, None);
        let s = serde_json::to_string(&fb).unwrap();
        let err = serde_json::from_str::<Feedback<'_, 1, 8>>(&s).unwrap_err();
        assert!(err.to_string().contains("at most 1 policies"), "{err}");
    }

    #[test]
    fn feedback_from_hand_written_json() {
        let s = r#"{"status": 429, "policies": [{"name": "burst", "quota": 10, "window_s": 1,
                    "remaining": 0, "reset_s": 0.25}], "extra": [1, 2]}"#;
        let fb: Feedback = serde_json::from_str(s).unwrap();
        assert!(fb.is_throttle());
        assert_eq!(fb.dialect(), Dialect::None);
        let p = fb.policy(PolicyId::named(b"burst")).unwrap();
        assert_eq!(p.name, Some("burst"));
        assert_eq!(p.reset, Some(Duration::from_millis(250)));
        assert_eq!(p.unit, QuotaUnit::Requests);
        let unnamed: PolicyFeedback = serde_json::from_str(r#"{"window_s": 60}"#).unwrap();
        assert_eq!(unnamed.id, PolicyId::window(60));
        let err = serde_json::from_str::<Feedback>(r#"{"status": 1, "status": 2}"#).unwrap_err();
        assert!(
            err.to_string().contains("duplicate field `status`"),
            "{err}"
        );
        let err = serde_json::from_str::<Feedback>(r#"{"ignored_overflow": 3}"#).unwrap_err();
        assert!(err.to_string().contains("not full"), "{err}");
        let ignored: Ignored = serde_json::from_str(
            r#"{"header": "retry-after", "error": {"kind": "InvalidDate", "offset": 0}}"#,
        )
        .unwrap();
        assert_eq!(ignored.header, b"retry-after");
        assert_eq!(ignored.error, Error::new(ErrorKind::InvalidDate, 0));
    }
}
