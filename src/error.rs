//! The crate's one error type: what went wrong and at which byte.

use core::fmt;

/// What went wrong while parsing or encoding a field value.
///
/// The list may grow; match with a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The field value is empty (or only whitespace) where the field requires content.
    Empty,
    /// A byte outside US-ASCII where the grammar allows only ASCII.
    NonAscii,
    /// A byte that no rule of the grammar allows at this position.
    UnexpectedByte,
    /// A decimal digit was required.
    ExpectedDigit,
    /// An integer with more than the 15 digits a Structured Field Integer allows.
    IntegerTooLong,
    /// A Decimal with more than 12 integer digits, more than 3 fraction digits or a trailing `.`.
    InvalidDecimal,
    /// A negative number where the field requires a non-negative one.
    Negative,
    /// A value of the wrong type, for example a Decimal or a String where an Integer is required.
    WrongType,
    /// A key (parameter or dictionary member name) was required: it must start with a
    /// lowercase letter or `*`.
    ExpectedKey,
    /// A backslash in a String not followed by `"` or `\`, or a control byte inside a String.
    InvalidString,
    /// A String with no closing `"`.
    UnterminatedString,
    /// A Byte Sequence that is not base64 or has no closing `:`.
    InvalidByteSequence,
    /// A Boolean other than `?0` or `?1`.
    InvalidBoolean,
    /// Something other than `,` after a list member.
    ExpectedComma,
    /// An empty list member (`1, , 2`), fatal in Structured Fields.
    EmptyListMember,
    /// A `,` at the end of a list, fatal in Structured Fields.
    TrailingComma,
    /// Whitespace between an item and its `;`, fatal in Structured Fields.
    WhitespaceBeforeParameter,
    /// A quota policy without the `w` parameter (REQUIRED since draft-ietf-03).
    MissingWindow,
    /// A value that is not an HTTP-date.
    InvalidDate,
    /// More members than the value type's fixed capacity can hold. Not a syntax error:
    /// a larger capacity (const generic) parses the same input.
    CapacityExceeded,
    /// The output buffer given to `encode` is too small; `encoded_len()` tells the size needed.
    BufferTooSmall,
    /// Not a Go `time.Duration` string: a number without a unit (other than a lone `0`) or
    /// an unknown unit (the units are `ns`, `us`, `µs`, `μs`, `ms`, `s`, `m`, `h`).
    InvalidDuration,
    /// Not an RFC 3339 timestamp (`2025-08-21T12:40:59Z`), a date that does not exist, or
    /// one outside years 0000 to 9999 in UTC.
    InvalidTimestamp,
    /// A REQUIRED parameter or dictionary member is missing (`q` on a policy, `r` on a
    /// `RateLimit` item, `limit` or `reset` in the draft-ietf-07 dictionary).
    MissingParameter,
    /// A window of `w=0`, illegal since draft-ietf-09.
    ZeroWindow,
    /// Two `RateLimit-Policy` items with the same quota (forbidden in draft-ietf-06/07).
    DuplicateQuota,
    /// An absolute time (an HTTP-date or an epoch reset) with no `Date` header and no wall
    /// clock given to measure it against.
    NeedsClock,
    /// A field that must occur once was repeated (its combined value is not an Item).
    Repeated,
}

impl ErrorKind {
    /// A short description in plain words.
    pub const fn description(self) -> &'static str {
        match self {
            ErrorKind::Empty => "empty field value",
            ErrorKind::NonAscii => "non-ASCII byte",
            ErrorKind::UnexpectedByte => "unexpected byte",
            ErrorKind::ExpectedDigit => "expected a digit",
            ErrorKind::IntegerTooLong => "integer has more than 15 digits",
            ErrorKind::InvalidDecimal => {
                "decimal has more than 12 integer digits, more than 3 fraction digits or no fraction digit"
            }
            ErrorKind::Negative => "negative value where a non-negative one is required",
            ErrorKind::WrongType => "value of the wrong type",
            ErrorKind::ExpectedKey => "expected a key starting with a lowercase letter or `*`",
            ErrorKind::InvalidString => "invalid byte or escape in a quoted string",
            ErrorKind::UnterminatedString => "quoted string has no closing `\"`",
            ErrorKind::InvalidByteSequence => "invalid byte sequence (base64 between `:`)",
            ErrorKind::InvalidBoolean => "boolean must be `?0` or `?1`",
            ErrorKind::ExpectedComma => "expected `,` between list members",
            ErrorKind::EmptyListMember => "empty list member",
            ErrorKind::TrailingComma => "trailing `,` at the end of the list",
            ErrorKind::WhitespaceBeforeParameter => "whitespace before `;`",
            ErrorKind::MissingWindow => "quota policy has no `w` (window) parameter",
            ErrorKind::InvalidDate => "not an HTTP-date",
            ErrorKind::CapacityExceeded => "more members than the fixed capacity holds",
            ErrorKind::BufferTooSmall => "output buffer too small",
            ErrorKind::InvalidDuration => {
                "not a Go duration: each number needs a unit (ns, us, µs, ms, s, m, h)"
            }
            ErrorKind::InvalidTimestamp => "not an RFC 3339 timestamp (YYYY-MM-DDThh:mm:ssZ)",
            ErrorKind::MissingParameter => "a required parameter or member is missing",
            ErrorKind::ZeroWindow => "window `w` must be non-zero",
            ErrorKind::DuplicateQuota => "two policies with the same quota",
            ErrorKind::NeedsClock => {
                "absolute time with no Date header and no wall clock to measure it against"
            }
            ErrorKind::Repeated => "field repeated where one value is allowed",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// An error while parsing or encoding: a kind and the byte offset where it was found.
///
/// For parsing, the offset is into the field value that was given (after nothing has been
/// trimmed: offset 0 is the first byte passed in). For encoding, it is the number of bytes
/// that would have been needed up to the failing write.
///
/// ```
/// use ratelimit_headers::{ErrorKind, Remaining};
///
/// let err = Remaining::parse(b"1x").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::UnexpectedByte);
/// assert_eq!(err.offset(), 1);
/// assert_eq!(err.to_string(), "unexpected byte, found `x` at byte 1");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Error {
    kind: ErrorKind,
    /// The offending byte, when there was one (for the message).
    found: Option<u8>,
    offset: u32,
}

impl Error {
    /// An error of `kind` at byte `offset`.
    pub const fn new(kind: ErrorKind, offset: usize) -> Self {
        let offset = if offset > u32::MAX as usize {
            u32::MAX
        } else {
            // proven: checked against u32::MAX just above.
            offset as u32
        };
        Error {
            kind,
            found: None,
            offset,
        }
    }

    /// The same error, remembering the byte found at the offset (used in the message).
    pub(crate) const fn with_found(mut self, found: Option<u8>) -> Self {
        self.found = found;
        self
    }

    /// The same error moved `by` bytes later (for a value parsed inside a larger one).
    pub(crate) const fn shifted(mut self, by: usize) -> Self {
        let by = if by > u32::MAX as usize {
            u32::MAX
        } else {
            // proven: checked against u32::MAX just above.
            by as u32
        };
        self.offset = self.offset.saturating_add(by);
        self
    }

    /// What went wrong.
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The byte offset of the problem in the input (or, when encoding, in the output).
    pub const fn offset(&self) -> usize {
        self.offset as usize
    }

    /// The byte found at [`offset`](Self::offset), when the input had one there.
    pub const fn found(&self) -> Option<u8> {
        self.found
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.description())?;
        let shows_found = !matches!(
            self.kind,
            ErrorKind::Negative
                | ErrorKind::WrongType
                | ErrorKind::IntegerTooLong
                | ErrorKind::InvalidDecimal
                | ErrorKind::MissingWindow
                | ErrorKind::CapacityExceeded
                | ErrorKind::BufferTooSmall
                | ErrorKind::Empty
                | ErrorKind::WhitespaceBeforeParameter
                | ErrorKind::EmptyListMember
                | ErrorKind::TrailingComma
                | ErrorKind::MissingParameter
                | ErrorKind::ZeroWindow
                | ErrorKind::DuplicateQuota
                | ErrorKind::NeedsClock
                | ErrorKind::Repeated
        );
        match self.found {
            Some(_) if !shows_found => {}
            Some(b) if b.is_ascii_graphic() => write!(f, ", found `{}`", b as char)?,
            Some(b' ') => f.write_str(", found a space")?,
            Some(b'\t') => f.write_str(", found a tab")?,
            Some(b) => write!(f, ", found byte 0x{b:02X}")?,
            None => {}
        }
        if self.kind == ErrorKind::BufferTooSmall {
            write!(f, ": {} bytes needed at least", self.offset)
        } else {
            write!(f, " at byte {}", self.offset)
        }
    }
}

impl core::error::Error for Error {}
