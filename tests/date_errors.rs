//! Where each HTTP-date form reports a malformed date: kind, byte offset and the byte found
//! there, through `HttpDate::parse`, `HttpDate::parse_lenient`, `RetryAfter::parse_lenient`
//! and `Reset::parse_lenient` (which reads the IMF-fixdate form only).
#![allow(clippy::unwrap_used)]

use ratelimit_headers::{Error, ErrorKind, HttpDate, Reset, RetryAfter};

type Expected = Option<(ErrorKind, usize, Option<char>)>;

fn got<T>(r: Result<T, Error>) -> Expected {
    r.err()
        .map(|e| (e.kind(), e.offset(), e.found().map(char::from)))
}

#[test]
fn error_positions_in_each_date_form() {
    use ErrorKind::{Empty, InvalidDate};
    // Input; then HttpDate::parse, HttpDate::parse_lenient, RetryAfter::parse_lenient and
    // Reset::parse_lenient.
    let cases: &[(&[u8], Expected, Expected, Expected, Expected)] = &[
        (b"Sun, 06 Nov 1994 08:49:37 GMT", None, None, None, None),
        (
            b"Sunday, 06-Nov-94 08:49:37 GMT",
            None,
            None,
            None,
            Some((InvalidDate, 3, Some('d'))),
        ),
        (
            b"Sun Nov  6 08:49:37 1994",
            None,
            None,
            None,
            Some((InvalidDate, 3, Some(' '))),
        ),
        (
            b"Sun, 6 Nov 1994 08:49:37 GMT",
            Some((InvalidDate, 5, Some('6'))),
            None,
            None,
            Some((InvalidDate, 5, Some('6'))),
        ),
        (
            b"Sun, 6  Nov 1994 08:49:37 GMT",
            Some((InvalidDate, 5, Some('6'))),
            Some((InvalidDate, 7, Some(' '))),
            Some((InvalidDate, 7, Some(' '))),
            Some((InvalidDate, 5, Some('6'))),
        ),
        (
            b"Sun, 0 Nov 1994 08:49:37 GMT",
            Some((InvalidDate, 5, Some('0'))),
            Some((InvalidDate, 5, Some('0'))),
            Some((InvalidDate, 5, Some('0'))),
            Some((InvalidDate, 5, Some('0'))),
        ),
        (
            b"Sun,06 Nov 1994 08:49:37 GMT",
            Some((InvalidDate, 3, Some(','))),
            Some((InvalidDate, 3, Some(','))),
            Some((InvalidDate, 3, Some(','))),
            Some((InvalidDate, 3, Some(','))),
        ),
        (
            b"Sun, 06 nov 1994 08:49:37 GMT",
            Some((InvalidDate, 8, Some('n'))),
            Some((InvalidDate, 8, Some('n'))),
            Some((InvalidDate, 8, Some('n'))),
            Some((InvalidDate, 8, Some('n'))),
        ),
        (
            b"Sun, 06 Nov 19x4 08:49:37 GMT",
            Some((InvalidDate, 14, Some('x'))),
            Some((InvalidDate, 14, Some('x'))),
            Some((InvalidDate, 14, Some('x'))),
            Some((InvalidDate, 14, Some('x'))),
        ),
        (
            b"Sun, 06 Nov 1x94 08:49:37 GMT",
            Some((InvalidDate, 12, Some('1'))),
            Some((InvalidDate, 12, Some('1'))),
            Some((InvalidDate, 12, Some('1'))),
            Some((InvalidDate, 12, Some('1'))),
        ),
        (
            b"Sun, 06 Nov 1994 08:49:37 GMX",
            Some((InvalidDate, 25, Some(' '))),
            Some((InvalidDate, 25, Some(' '))),
            Some((InvalidDate, 25, Some(' '))),
            Some((InvalidDate, 25, Some(' '))),
        ),
        (
            b"Sun, 06 Nov 1994 08:49:37 GM",
            Some((InvalidDate, 25, Some(' '))),
            Some((InvalidDate, 25, Some(' '))),
            Some((InvalidDate, 25, Some(' '))),
            Some((InvalidDate, 25, Some(' '))),
        ),
        (
            b"Sun, 06 Nov 1994 08:49-37 GMT",
            Some((InvalidDate, 22, Some('-'))),
            Some((InvalidDate, 22, Some('-'))),
            Some((InvalidDate, 22, Some('-'))),
            Some((InvalidDate, 22, Some('-'))),
        ),
        (
            b"Sun, 06 Nov 1994 8:49:37 GMT",
            Some((InvalidDate, 17, Some('8'))),
            Some((InvalidDate, 17, Some('8'))),
            Some((InvalidDate, 17, Some('8'))),
            Some((InvalidDate, 17, Some('8'))),
        ),
        (
            b"Sun, 06 Sun 1994 08:49:37 GMT",
            Some((InvalidDate, 8, Some('S'))),
            Some((InvalidDate, 8, Some('S'))),
            Some((InvalidDate, 8, Some('S'))),
            Some((InvalidDate, 8, Some('S'))),
        ),
        (
            b"Jan, 06 Nov 1994 08:49:37 GMT",
            Some((InvalidDate, 0, Some('J'))),
            Some((InvalidDate, 0, Some('J'))),
            Some((InvalidDate, 0, Some('J'))),
            Some((InvalidDate, 0, Some('J'))),
        ),
        (
            b"Mon, 06 Nov 1994 08:49:37 GMT",
            Some((InvalidDate, 0, Some('M'))),
            Some((InvalidDate, 0, Some('M'))),
            Some((InvalidDate, 0, Some('M'))),
            Some((InvalidDate, 0, Some('M'))),
        ),
        (
            b"Sun, 31 Nov 1994 08:49:37 GMT",
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 0, Some('S'))),
        ),
        (
            b"Sun, 06 Nov 1994 24:00:00 GMT",
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 0, Some('S'))),
        ),
        (
            b"Sun, 06 Nov 1994 08:49:37 GMTx",
            Some((InvalidDate, 29, Some('x'))),
            Some((InvalidDate, 29, Some('x'))),
            Some((InvalidDate, 29, Some('x'))),
            Some((InvalidDate, 29, Some('x'))),
        ),
        (
            b"Sun, 06 Nov 0000 08:49:37 GMT",
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 0, Some('S'))),
        ),
        (
            b"Sunn, 06 Nov 1994 08:49:37 GMT",
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 3, Some('n'))),
        ),
        (
            b"Sundae, 06-Nov-94 08:49:37 GMT",
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 3, Some('d'))),
        ),
        (
            b"Sunday 06-Nov-94 08:49:37 GMT",
            Some((InvalidDate, 6, Some(' '))),
            Some((InvalidDate, 6, Some(' '))),
            Some((InvalidDate, 6, Some(' '))),
            Some((InvalidDate, 3, Some('d'))),
        ),
        (
            b"Sunday, 6-Nov-94 08:49:37 GMT",
            Some((InvalidDate, 8, Some('6'))),
            Some((InvalidDate, 8, Some('6'))),
            Some((InvalidDate, 8, Some('6'))),
            Some((InvalidDate, 3, Some('d'))),
        ),
        (
            b"Sunday, 06-Nov-1994 08:49:37 GMT",
            Some((InvalidDate, 17, Some('9'))),
            Some((InvalidDate, 17, Some('9'))),
            Some((InvalidDate, 17, Some('9'))),
            Some((InvalidDate, 3, Some('d'))),
        ),
        (
            b"Sunday, 06 Nov 94 08:49:37 GMT",
            Some((InvalidDate, 10, Some(' '))),
            Some((InvalidDate, 10, Some(' '))),
            Some((InvalidDate, 10, Some(' '))),
            Some((InvalidDate, 3, Some('d'))),
        ),
        (
            b"Wednesday, 06-Nov-94 08:49:37 GMT",
            Some((InvalidDate, 0, Some('W'))),
            Some((InvalidDate, 0, Some('W'))),
            Some((InvalidDate, 0, Some('W'))),
            Some((InvalidDate, 3, Some('n'))),
        ),
        (
            b"Wednesd, 06-Nov-94 08:49:37 GMT",
            Some((InvalidDate, 0, Some('W'))),
            Some((InvalidDate, 0, Some('W'))),
            Some((InvalidDate, 0, Some('W'))),
            Some((InvalidDate, 3, Some('n'))),
        ),
        (
            b"Sun Nov 6 08:49:37 1994",
            Some((InvalidDate, 8, Some('6'))),
            Some((InvalidDate, 8, Some('6'))),
            Some((InvalidDate, 8, Some('6'))),
            Some((InvalidDate, 3, Some(' '))),
        ),
        (
            b"Sun Nov 06 08:49:37 1994",
            None,
            None,
            None,
            Some((InvalidDate, 3, Some(' '))),
        ),
        (
            b"Sun Nov  6 08:49:37 94",
            Some((InvalidDate, 22, None)),
            Some((InvalidDate, 22, None)),
            Some((InvalidDate, 22, None)),
            Some((InvalidDate, 3, Some(' '))),
        ),
        (
            b"Sun Nov  6 08:49:37 1994 GMT",
            Some((InvalidDate, 24, Some(' '))),
            Some((InvalidDate, 24, Some(' '))),
            Some((InvalidDate, 24, Some(' '))),
            Some((InvalidDate, 3, Some(' '))),
        ),
        (
            b"Sun Nov  x 08:49:37 1994",
            Some((InvalidDate, 8, Some(' '))),
            Some((InvalidDate, 8, Some(' '))),
            Some((InvalidDate, 8, Some(' '))),
            Some((InvalidDate, 3, Some(' '))),
        ),
        (
            b"Sun  Nov  6 08:49:37 1994",
            Some((InvalidDate, 4, Some(' '))),
            Some((InvalidDate, 4, Some(' '))),
            Some((InvalidDate, 4, Some(' '))),
            Some((InvalidDate, 3, Some(' '))),
        ),
        (
            b"Sun",
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 3, None)),
        ),
        (
            b"Su",
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 0, Some('S'))),
            Some((InvalidDate, 0, Some('S'))),
        ),
        (
            b"",
            Some((InvalidDate, 0, None)),
            Some((InvalidDate, 0, None)),
            Some((Empty, 0, None)),
            Some((Empty, 0, None)),
        ),
        (
            b"Thu",
            Some((InvalidDate, 0, Some('T'))),
            Some((InvalidDate, 0, Some('T'))),
            Some((InvalidDate, 0, Some('T'))),
            Some((InvalidDate, 3, None)),
        ),
        (
            b"Thu,",
            Some((InvalidDate, 3, Some(','))),
            Some((InvalidDate, 3, Some(','))),
            Some((InvalidDate, 3, Some(','))),
            Some((InvalidDate, 3, Some(','))),
        ),
        (
            b"Thu ",
            Some((InvalidDate, 0, Some('T'))),
            Some((InvalidDate, 0, Some('T'))),
            Some((InvalidDate, 0, Some('T'))),
            Some((InvalidDate, 3, None)),
        ),
        (
            b"Thursday",
            Some((InvalidDate, 8, None)),
            Some((InvalidDate, 8, None)),
            Some((InvalidDate, 8, None)),
            Some((InvalidDate, 3, Some('r'))),
        ),
    ];
    for (input, date, date_lenient, retry_after, reset) in cases {
        let text = String::from_utf8_lossy(input);
        assert_eq!(
            got(HttpDate::parse(input)),
            *date,
            "HttpDate::parse {text:?}"
        );
        let lenient = got(HttpDate::parse_lenient(input));
        assert_eq!(lenient, *date_lenient, "HttpDate::parse_lenient {text:?}");
        let ra = got(RetryAfter::parse_lenient(input));
        assert_eq!(ra, *retry_after, "RetryAfter::parse_lenient {text:?}");
        let r = got(Reset::parse_lenient(input));
        assert_eq!(r, *reset, "Reset::parse_lenient {text:?}");
    }
}
