//! The Structured Field pull parser (`sf::List`, `sf::Dictionary`, `sf::parse_item`,
//! `sf::Params::parse` and the bare-item parsers): never panics; what parses serialises to a
//! canonical form that parses back to the same values and is a fixed point.
#![no_main]

use fuzz_support::{check_error, ser_dict, ser_item, ser_list, show};
use libfuzzer_sys::fuzz_target;
use ratelimit_headers::sf::{self, BareItem, ByteSeq, Dictionary, List, Member, Params, SfStr};

fn list(data: &[u8]) -> Option<Vec<Member<'_>>> {
    let mut out = Vec::new();
    for m in List::new(data) {
        match m {
            Ok(m) => out.push(m),
            Err(e) => {
                check_error(&e, data);
                assert_eq!(List::validate(data), Err(e));
                return None;
            }
        }
    }
    assert_eq!(List::validate(data), Ok(out.len()));
    Some(out)
}

fn dict(data: &[u8]) -> Option<Vec<(&str, Member<'_>)>> {
    let mut out = Vec::new();
    for m in Dictionary::new(data) {
        match m {
            Ok(m) => out.push(m),
            Err(e) => {
                check_error(&e, data);
                return None;
            }
        }
    }
    Some(out)
}

/// The items of every member, inner lists flattened: values to compare after a round trip.
fn items<'a>(members: impl Iterator<Item = Member<'a>>) -> Vec<sf::Item<'a>> {
    let mut out = Vec::new();
    for m in members {
        match m {
            Member::Item(i) => out.push(i),
            Member::InnerList(l) => out.extend(l.items()),
        }
    }
    out
}

fn check_bare(b: &BareItem<'_>) {
    match b {
        BareItem::Integer(v) => assert!(v.unsigned_abs() <= 999_999_999_999_999),
        BareItem::Decimal(d) => assert!(d.milli().unsigned_abs() < 1_000_000_000_000_000),
        BareItem::String(s) => {
            assert_eq!(SfStr::from_escaped(s.raw()), Ok(*s));
            let _ = s.to_string();
        }
        BareItem::Token(t) => assert!(!t.is_empty()),
        BareItem::ByteSequence(b) => {
            let n = b.decoded_len();
            assert_eq!(b.bytes().count(), n);
            let mut buf = vec![0u8; n];
            assert_eq!(b.decode_into(&mut buf), Ok(n));
            if n > 0 {
                assert!(b.decode_into(&mut buf[..n - 1]).is_err());
            }
            assert_eq!(ByteSeq::from_base64(b.base64()).map(|c| c == *b), Ok(true));
        }
        BareItem::Boolean(_) => {}
    }
}

fuzz_target!(|data: &[u8]| {
    if let Some(members) = list(data) {
        let canon = ser_list(&members);
        let again = list(canon.as_bytes()).unwrap_or_else(|| {
            panic!(
                "canonical list {} of {} fails",
                show(canon.as_bytes()),
                show(data)
            )
        });
        assert_eq!(
            ser_list(&again),
            canon,
            "canonical list is not a fixed point"
        );
        let (a, b) = (items(members.into_iter()), items(again.into_iter()));
        assert_eq!(a, b);
        a.iter().for_each(|i| check_bare(&i.bare));
    }

    if let Some(members) = dict(data) {
        let canon = ser_dict(&members);
        let again = dict(canon.as_bytes()).unwrap_or_else(|| {
            panic!(
                "canonical dictionary {} of {} fails",
                show(canon.as_bytes()),
                show(data)
            )
        });
        assert_eq!(
            ser_dict(&again),
            canon,
            "canonical dictionary is not a fixed point"
        );
    }

    match sf::parse_item(data) {
        Ok(item) => {
            check_bare(&item.bare);
            let canon = ser_item(&item);
            let back = sf::parse_item(canon.as_bytes());
            assert_eq!(
                back,
                Ok(item),
                "item round trip through {}",
                show(canon.as_bytes())
            );
            // An item is a one-member list.
            let as_list = list(data).expect("an item is a valid list");
            assert_eq!(as_list.len(), 1);
        }
        Err(e) => check_error(&e, data),
    }

    match Params::parse(data) {
        Ok(p) => {
            let canon = p.to_string();
            let back = Params::parse(canon.as_bytes());
            assert_eq!(
                back,
                Ok(p),
                "params round trip through {}",
                show(canon.as_bytes())
            );
            assert_eq!(p.len(), p.iter().count());
            for (k, v) in p.iter() {
                assert_eq!(p.get(k), Some(v), "get returns the iterated (last) value");
                check_bare(&v);
            }
        }
        Err(e) => check_error(&e, data),
    }

    // The bare-item parsers are private; `parse_item` above runs each on the same input.
    // The public constructors of the borrowed values check their text alone.
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = SfStr::from_escaped(s).map(|v| v.chars().count());
        if let Ok(b) = ByteSeq::from_base64(s) {
            check_bare(&BareItem::ByteSequence(b));
        }
    }
});
