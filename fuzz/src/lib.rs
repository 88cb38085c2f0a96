//! Checks shared by the fuzz targets.
//!
//! The invariants (DESIGN.md, "Rules of the house"):
//!
//! - no input makes anything panic (overflow checks and debug assertions are on in the fuzz
//!   build, see `Cargo.toml`);
//! - an error's offset points into the input (at most its length), and its message formats;
//! - whatever parses strictly encodes to a canonical form (`encode`, `encoded_len` and
//!   `Display` agree) that parses strictly to the same value and is a fixed point;
//! - strict and lenient agree: a strictly valid input is read leniently to the same value with
//!   no tolerance, and a lenient read with no tolerance is strictly valid;
//! - whatever parses leniently encodes to a form that parses leniently to the same value
//!   (except where a field documents that its canonical form rounds: see each target).

use std::fmt::Write as _;

use ratelimit_headers::field::FieldValue;
use ratelimit_headers::sf::{BareItem, InnerList, Item, Member, Params};
use ratelimit_headers::{Error, ErrorKind};

/// Encodes `v` and checks that `encode`, `encoded_len` and `Display` agree, and that a buffer
/// one byte short fails with `BufferTooSmall` (no panic, no partial success).
pub fn encode<'a, T: FieldValue<'a>>(v: &T) -> Vec<u8> {
    let n = v.encoded_len();
    let mut buf = vec![0u8; n];
    let written = match v.encode(&mut buf) {
        Ok(w) => w,
        Err(e) => panic!("encode into encoded_len() = {n} bytes failed: {e}"),
    };
    assert_eq!(
        written, n,
        "encode wrote {written} bytes, encoded_len said {n}"
    );
    if n > 0 {
        let mut short = vec![0u8; n - 1];
        match v.encode(&mut short) {
            Err(e) => assert_eq!(e.kind(), ErrorKind::BufferTooSmall),
            Ok(w) => panic!(
                "encode into {} bytes succeeded ({w}) for a {n}-byte value",
                n - 1
            ),
        }
    }
    let shown = v.to_string();
    assert_eq!(
        shown.as_bytes(),
        &buf[..],
        "Display and encode disagree: {shown:?} vs {:?}",
        String::from_utf8_lossy(&buf)
    );
    buf
}

/// An error from parsing `input`: its offset is inside the input (or just past it) and it
/// formats.
pub fn check_error(e: &Error, input: &[u8]) {
    assert!(
        e.offset() <= input.len(),
        "error offset {} past the end of a {}-byte input: {e}",
        e.offset(),
        input.len()
    );
    let msg = e.to_string();
    assert!(!msg.is_empty());
}

/// Shows bytes for assertion messages.
pub fn show(b: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(b))
}

/// The strict/lenient/round-trip checks for one field type with `parse` and `parse_lenient`.
///
/// `check_field!(input, Type)` or `check_field!(input, Type, |value, tolerances| lossy)`,
/// where `lossy` says that this lenient value is one the canonical form cannot carry exactly
/// (the target then checks what it can itself).
#[macro_export]
macro_rules! check_field {
    ($input:expr, $ty:ty) => {
        $crate::check_field!(
            $input,
            $ty,
            |_v: &$ty, _t: &::ratelimit_headers::Tolerances| false
        )
    };
    ($input:expr, $ty:ty, $lossy:expr) => {{
        let input: &[u8] = $input;
        let strict = <$ty>::parse(input);
        let lenient = <$ty>::parse_lenient(input);
        match &strict {
            Ok(v) => {
                let enc = $crate::encode(v);
                let back = match <$ty>::parse(&enc) {
                    Ok(b) => b,
                    Err(e) => panic!(
                        "strict value {v:?} (from {}) encodes to {} which fails to parse: {e}",
                        $crate::show(input),
                        $crate::show(&enc)
                    ),
                };
                assert_eq!(&back, v, "strict round trip through {}", $crate::show(&enc));
                assert_eq!(
                    $crate::encode(&back),
                    enc,
                    "canonical form is not a fixed point"
                );
                match &lenient {
                    Ok(l) => {
                        assert!(
                            l.is_strict(),
                            "strictly valid {} read leniently with tolerances {:?}",
                            $crate::show(input),
                            l.tolerances
                        );
                        assert_eq!(&l.value, v, "strict and lenient values differ");
                    }
                    Err(e) => panic!(
                        "strictly valid {} rejected by the lenient parser: {e}",
                        $crate::show(input)
                    ),
                }
            }
            Err(e) => $crate::check_error(e, input),
        }
        match &lenient {
            Ok(l) => {
                if l.is_strict() {
                    assert!(
                        strict.is_ok(),
                        "lenient read {} with no tolerance, but strict rejects it: {:?}",
                        $crate::show(input),
                        strict
                    );
                }
                let enc = $crate::encode(&l.value);
                let back = match <$ty>::parse_lenient(&enc) {
                    Ok(b) => b,
                    Err(e) => panic!(
                        "lenient value {:?} (from {}) encodes to {} which fails to parse \
                         leniently: {e}",
                        l.value,
                        $crate::show(input),
                        $crate::show(&enc)
                    ),
                };
                let lossy = $lossy;
                if !lossy(&l.value, &l.tolerances) {
                    assert_eq!(
                        back.value,
                        l.value,
                        "lenient round trip of {} through {}",
                        $crate::show(input),
                        $crate::show(&enc)
                    );
                }
                assert_eq!(
                    $crate::encode(&back.value),
                    enc,
                    "lenient canonical form is not a fixed point"
                );
            }
            Err(e) => $crate::check_error(e, input),
        }
        (strict, lenient)
    }};
}

// ---------------------------------------------------------------------------------------------
// Canonical Structured Field serialisation of our parsed values (RFC 9651 §4.1), used to
// compare with sfv and to check that re-parsing the canonical form gives it back.

/// `;key=value` for each distinct parameter (our `Display`, which is canonical).
pub fn ser_params(p: &Params<'_>) -> String {
    p.to_string()
}

/// A bare item in canonical form.
pub fn ser_bare(b: &BareItem<'_>) -> String {
    b.to_string()
}

/// An item: bare item then parameters.
pub fn ser_item(i: &Item<'_>) -> String {
    format!("{}{}", ser_bare(&i.bare), ser_params(&i.params))
}

/// An inner list: `(a b c)` then parameters.
pub fn ser_inner(l: &InnerList<'_>) -> String {
    let mut s = String::from("(");
    for (n, item) in l.items().enumerate() {
        if n > 0 {
            s.push(' ');
        }
        s.push_str(&ser_item(&item));
    }
    s.push(')');
    s.push_str(&ser_params(&l.params));
    s
}

/// A list or dictionary member.
pub fn ser_member(m: &Member<'_>) -> String {
    match m {
        Member::Item(i) => ser_item(i),
        Member::InnerList(l) => ser_inner(l),
    }
}

/// A whole list.
pub fn ser_list(members: &[Member<'_>]) -> String {
    let mut s = String::new();
    for (n, m) in members.iter().enumerate() {
        if n > 0 {
            s.push_str(", ");
        }
        s.push_str(&ser_member(m));
    }
    s
}

/// A whole dictionary, keeping each key once at its first position with its last value
/// (RFC 9651 §4.2.2); a member that is Boolean true is written as its key and parameters.
pub fn ser_dict(members: &[(&str, Member<'_>)]) -> String {
    let mut kept: Vec<(&str, Member<'_>)> = Vec::new();
    for (k, m) in members {
        match kept.iter_mut().find(|(kk, _)| kk == k) {
            Some(slot) => slot.1 = *m,
            None => kept.push((k, *m)),
        }
    }
    let mut s = String::new();
    for (n, (k, m)) in kept.iter().enumerate() {
        if n > 0 {
            s.push_str(", ");
        }
        s.push_str(k);
        match m {
            Member::Item(i) if i.bare == BareItem::Boolean(true) => {
                s.push_str(&ser_params(&i.params));
            }
            m => {
                let _ = write!(s, "={}", ser_member(m));
            }
        }
    }
    s
}

/// The in-place parsers (`parse_in_place`, `parse_lenient_in_place`) agree with `parse` and
/// `parse_lenient` on `input`, into a value that held `$held` before; on error the value is
/// left as `$empty`.
#[macro_export]
macro_rules! check_in_place {
    ($input:expr, $ty:ty, $held:expr, $empty:expr) => {{
        let input: &[u8] = $input;
        let mut held: $ty = $held;
        match (
            <$ty>::parse(input),
            held.parse_in_place(input, ratelimit_headers::ParseMode::Strict),
        ) {
            (Ok(v), Ok(t)) => {
                assert_eq!(held, v, "parse_in_place of {}", $crate::show(input));
                assert!(t.is_empty(), "a strict parse tolerates nothing");
            }
            (Err(a), Err(b)) => {
                assert_eq!(a, b, "parse_in_place error on {}", $crate::show(input));
                assert_eq!(held, $empty, "not emptied on error");
            }
            (a, b) => panic!(
                "parse {a:?} but parse_in_place {b:?} on {}",
                $crate::show(input)
            ),
        }
        let mut held: $ty = $held;
        match (
            <$ty>::parse_lenient(input),
            held.parse_in_place(input, ratelimit_headers::ParseMode::Lenient),
        ) {
            (Ok(l), Ok(t)) => {
                assert_eq!(
                    held,
                    l.value,
                    "lenient parse_in_place of {}",
                    $crate::show(input)
                );
                assert_eq!(t, l.tolerances);
            }
            (Err(a), Err(b)) => {
                assert_eq!(
                    a,
                    b,
                    "lenient parse_in_place error on {}",
                    $crate::show(input)
                );
                assert_eq!(held, $empty, "not emptied on error");
            }
            (a, b) => panic!(
                "parse_lenient {a:?} but lenient parse_in_place {b:?} on {}",
                $crate::show(input)
            ),
        }
    }};
}
