//! Structured Field Strings (RFC 9651 §3.3.3), borrowed with their escapes.

use core::fmt;

use crate::error::{Error, ErrorKind};
use crate::grammar::ascii_str;

/// A Structured Field String, borrowed with its escapes intact (`\"` and `\\`).
///
/// Compare it with a `&str` (the comparison unescapes), or read it with [`chars`](Self::chars).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SfStr<'a> {
    raw: &'a [u8],
}

impl<'a> SfStr<'a> {
    /// The escaped content between the quotes, exactly as on the wire.
    pub fn raw(&self) -> &'a str {
        ascii_str(self.raw)
    }

    /// The characters of the string, unescaped.
    pub fn chars(&self) -> impl Iterator<Item = char> + Clone + 'a {
        Unescape {
            rest: self.raw.iter(),
        }
    }

    /// Whether the content needed no escapes (then [`raw`](Self::raw) is the value itself).
    pub fn is_plain(&self) -> bool {
        !self.raw.contains(&b'\\')
    }

    /// Builds a string from text that is already escaped (checked: printable ASCII, escapes
    /// only `\"` and `\\`).
    ///
    /// ```
    /// use ratelimit_headers::sf::SfStr;
    /// let s = SfStr::from_escaped(r#"say \"hi\""#)?;
    /// assert_eq!(s, r#"say "hi""#);
    /// assert!(SfStr::from_escaped("bad \\n").is_err());
    /// # Ok::<(), ratelimit_headers::Error>(())
    /// ```
    pub fn from_escaped(escaped: &'a str) -> Result<Self, Error> {
        let bytes = escaped.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'\\' => match bytes.get(i + 1) {
                    Some(b'"' | b'\\') => i += 2,
                    _ => return Err(Error::new(ErrorKind::InvalidString, i).with_found(Some(b))),
                },
                b'"' => return Err(Error::new(ErrorKind::InvalidString, i).with_found(Some(b))),
                0x20..=0x7E => i += 1,
                _ => {
                    let kind = if b > 0x7F {
                        ErrorKind::NonAscii
                    } else {
                        ErrorKind::InvalidString
                    };
                    return Err(Error::new(kind, i).with_found(Some(b)));
                }
            }
        }
        Ok(SfStr { raw: bytes })
    }
}

impl<'a> SfStr<'a> {
    /// A string from bytes already checked to be a valid String content or a Token.
    pub(crate) fn from_validated(raw: &'a [u8]) -> Self {
        SfStr { raw }
    }
}

impl PartialEq<str> for SfStr<'_> {
    fn eq(&self, other: &str) -> bool {
        self.chars().eq(other.chars())
    }
}

impl PartialEq<&str> for SfStr<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.chars().eq(other.chars())
    }
}

impl fmt::Debug for SfStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", self.raw())
    }
}

impl fmt::Display for SfStr<'_> {
    /// The unescaped text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        self.chars().try_for_each(|c| f.write_char(c))
    }
}

/// Iterator over the unescaped characters of an [`SfStr`].
#[derive(Debug, Clone)]
struct Unescape<'a> {
    rest: core::slice::Iter<'a, u8>,
}

impl Iterator for Unescape<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let b = *self.rest.next()?;
        let b = if b == b'\\' { *self.rest.next()? } else { b };
        Some(char::from(b))
    }
}
