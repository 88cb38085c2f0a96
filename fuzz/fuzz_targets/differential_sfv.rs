//! Our strict Structured Field parser against `sfv` (0.16), on the same bytes: both accept or
//! both reject, and what both accept serialises to the same canonical form (RFC 9651 §4.1).
//!
//! Excluded, on purpose:
//!
//! - the RFC 9651 Date (`@`) and Display String (`%"`) bare items, which no rate-limit field
//!   uses and we do not parse: `sfv` is run as RFC 8941 (which has neither), so such inputs
//!   are rejected by both;
//! - our fixed capacity: an item with more than `sf::MAX_PARAMS` (256) parameters, counted
//!   with repeats, is rejected with `CapacityExceeded` to keep every `Params` view linear in
//!   the input (RFC 9651 asks parsers to support at least 256); `sfv` has no such limit.
#![no_main]

use fuzz_support::{ser_dict, ser_item, ser_list, show};
use libfuzzer_sys::fuzz_target;
use ratelimit_headers::ErrorKind;
use ratelimit_headers::sf::{self, Dictionary, List, Member};
use sfv::{FieldType, Parser, Version};

fn ours_list(data: &[u8]) -> Result<String, ratelimit_headers::Error> {
    let members: Result<Vec<Member<'_>>, _> = List::new(data).collect();
    members.map(|m| ser_list(&m))
}

fn ours_dict(data: &[u8]) -> Result<String, ratelimit_headers::Error> {
    let members: Result<Vec<_>, _> = Dictionary::new(data).collect();
    members.map(|m| ser_dict(&m))
}

fn theirs(data: &[u8]) -> Parser<'_> {
    Parser::new(data).with_version(Version::Rfc8941)
}

fn agree(
    what: &str,
    data: &[u8],
    ours: Result<String, ratelimit_headers::Error>,
    theirs: Result<String, sfv::Error>,
) {
    match (ours, theirs) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{what} {}: values differ", show(data)),
        (Err(_), Err(_)) => {}
        (Err(e), Ok(_)) if e.kind() == ErrorKind::CapacityExceeded => {}
        (Ok(a), Err(e)) => panic!("{what} {}: we accept ({a:?}), sfv rejects: {e}", show(data)),
        (Err(e), Ok(b)) => panic!("{what} {}: we reject ({e}), sfv accepts: {b:?}", show(data)),
    }
}

fuzz_target!(|data: &[u8]| {
    // An empty list serialises to nothing (sfv: `None`); ours to "".
    let list = theirs(data)
        .parse::<sfv::List>()
        .map(|l| l.serialize().unwrap_or_default());
    agree("list", data, ours_list(data), list);

    let dict = theirs(data)
        .parse::<sfv::Dictionary>()
        .map(|d| d.serialize().unwrap_or_default());
    agree("dictionary", data, ours_dict(data), dict);

    let item = theirs(data).parse::<sfv::Item>().map(|i| i.serialize());
    agree(
        "item",
        data,
        sf::parse_item(data).map(|i| ser_item(&i)),
        item,
    );
});
