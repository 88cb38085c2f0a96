//! Names and flags: a bucket or resource label, Discord's scope and its global flag.

use core::fmt;
use core::str::FromStr;

use crate::encode::{EncodeTo, Sink, impl_encode};
use crate::error::{Error, ErrorKind};
use crate::grammar::{TCHAR, trim_ows, unexpected_kind};
use crate::lenient::{Lenient, Tolerances};

/// The default capacity of a [`Label`], in bytes.
pub const DEFAULT_LABEL_CAPACITY: usize = 64;

/// An opaque identifier, a `token` (RFC 9110 §5.6.2) of at most `N` bytes held inline: GitHub's
/// `x-ratelimit-resource: core`, Discord's `X-RateLimit-Bucket: abcd1234`, GitLab's
/// `RateLimit-Name: throttle_authenticated_web`.
///
/// ```
/// use ratelimit_headers::field::vendor::Label;
///
/// let r: Label = Label::parse(b"core")?;
/// assert_eq!(r.as_str(), "core");
/// assert_eq!(Label::<4>::parse(b"graphql").unwrap_err().kind(),
///            ratelimit_headers::ErrorKind::CapacityExceeded);
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct Label<const N: usize = DEFAULT_LABEL_CAPACITY> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> Label<N> {
    /// A label from `s`, which must be a non-empty token of at most `N` bytes.
    ///
    /// ```
    /// use ratelimit_headers::field::vendor::Label;
    /// let l: Label = Label::new("search")?;
    /// assert_eq!(l.to_string(), "search");
    /// assert!(Label::<64>::new("two words").is_err());
    /// # Ok::<(), ratelimit_headers::Error>(())
    /// ```
    pub fn new(s: &str) -> Result<Self, Error> {
        Self::parse_exact(s.as_bytes())
    }

    /// The label's bytes (ASCII).
    pub fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }

    /// The label.
    pub fn as_str(&self) -> &str {
        crate::grammar::ascii_str(self.as_bytes())
    }

    /// Strict parse: `1*tchar`, at most `N` bytes (more is an
    /// [`ErrorKind::CapacityExceeded`], not a syntax error).
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        let (value, start) = trim_ows(input);
        Self::parse_exact(value).map_err(|e| e.shifted(start))
    }

    /// Lenient parse: the same as [`parse`](Self::parse); the tolerances are always empty.
    pub fn parse_lenient(input: &[u8]) -> Result<Lenient<Self>, Error> {
        Self::parse(input).map(|value| Lenient {
            value,
            tolerances: Tolerances::new(),
        })
    }

    fn parse_exact(value: &[u8]) -> Result<Self, Error> {
        if value.is_empty() {
            return Err(Error::new(ErrorKind::Empty, 0));
        }
        if let Some(i) = value.iter().position(|b| !TCHAR.contains(*b)) {
            let rest = value.get(i..).unwrap_or(&[]);
            return Err(Error::new(unexpected_kind(rest), i).with_found(rest.first().copied()));
        }
        let mut buf = [0u8; N];
        match buf.get_mut(..value.len()) {
            Some(dst) => dst.copy_from_slice(value),
            None => return Err(Error::new(ErrorKind::CapacityExceeded, N)),
        }
        Ok(Label {
            buf,
            len: value.len(),
        })
    }
}

impl<const N: usize> PartialEq for Label<N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl<const N: usize> Eq for Label<N> {}

impl<const N: usize> core::hash::Hash for Label<N> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

impl<const N: usize> fmt::Debug for Label<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Label").field(&self.as_str()).finish()
    }
}

impl<const N: usize> EncodeTo for Label<N> {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        out.put(self.as_bytes())
    }
}

impl_encode!(
    [const N: usize] Label<N>,
    "```\nuse ratelimit_headers::field::vendor::Label;\nlet mut buf = [0u8; 8];\nlet n = Label::<8>::new(\"core\")?.encode(&mut buf)?;\nassert_eq!(&buf[..n], b\"core\");\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);
impl_from_str!([const N: usize] Label<N>);

/// Discord's `X-RateLimit-Scope` (sent on a 429 only): which limit was hit.
///
/// ```
/// use ratelimit_headers::field::vendor::DiscordScope;
/// let s = DiscordScope::parse(b"shared")?;
/// assert_eq!(s, DiscordScope::Shared);
/// assert_eq!(s.to_string(), "shared");
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiscordScope {
    /// The per-user limit (per bot or user).
    User,
    /// The global limit across all routes.
    Global,
    /// A limit shared by a resource; such a 429 does not count toward the invalid-request
    /// ban.
    Shared,
}

impl DiscordScope {
    /// The header value: `user`, `global` or `shared`.
    pub const fn as_str(self) -> &'static str {
        match self {
            DiscordScope::User => "user",
            DiscordScope::Global => "global",
            DiscordScope::Shared => "shared",
        }
    }

    /// Strict parse: `user`, `global` or `shared` (lowercase, as Discord documents them).
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        let (value, start) = trim_ows(input);
        match value {
            b"user" => Ok(DiscordScope::User),
            b"global" => Ok(DiscordScope::Global),
            b"shared" => Ok(DiscordScope::Shared),
            [] => Err(Error::new(ErrorKind::Empty, start)),
            [first, ..] => Err(Error::new(unexpected_kind(value), start).with_found(Some(*first))),
        }
    }

    /// Lenient parse: the same as [`parse`](Self::parse); the tolerances are always empty.
    pub fn parse_lenient(input: &[u8]) -> Result<Lenient<Self>, Error> {
        Self::parse(input).map(|value| Lenient {
            value,
            tolerances: Tolerances::new(),
        })
    }
}

impl EncodeTo for DiscordScope {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        out.put(self.as_str().as_bytes())
    }
}

impl_encode!(
    [] DiscordScope,
    "```\nlet mut buf = [0u8; 6];\nlet n = ratelimit_headers::field::vendor::DiscordScope::Global.encode(&mut buf)?;\nassert_eq!(&buf[..n], b\"global\");\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);
impl_from_str!([] DiscordScope);

/// A `true` / `false` header: Discord's `X-RateLimit-Global: true` (on a 429 from the global
/// limit).
///
/// ```
/// use ratelimit_headers::field::vendor::Flag;
/// assert!(Flag::parse(b"true")?.get());
/// assert!(Flag::parse(b"True").is_err());
/// assert_eq!(Flag::new(false).to_string(), "false");
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Flag(bool);

impl Flag {
    /// The flag `b`.
    pub const fn new(b: bool) -> Self {
        Flag(b)
    }

    /// The flag.
    pub const fn get(self) -> bool {
        self.0
    }

    /// Strict parse: `true` or `false` (lowercase).
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        let (value, start) = trim_ows(input);
        match value {
            b"true" => Ok(Flag(true)),
            b"false" => Ok(Flag(false)),
            [] => Err(Error::new(ErrorKind::Empty, start)),
            [first, ..] => Err(Error::new(unexpected_kind(value), start).with_found(Some(*first))),
        }
    }

    /// Lenient parse: the same as [`parse`](Self::parse); the tolerances are always empty.
    pub fn parse_lenient(input: &[u8]) -> Result<Lenient<Self>, Error> {
        Self::parse(input).map(|value| Lenient {
            value,
            tolerances: Tolerances::new(),
        })
    }
}

impl EncodeTo for Flag {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        out.put(if self.0 { b"true" } else { b"false" })
    }
}

impl_encode!(
    [] Flag,
    "```\nlet mut buf = [0u8; 5];\nlet n = ratelimit_headers::field::vendor::Flag::new(true).encode(&mut buf)?;\nassert_eq!(&buf[..n], b\"true\");\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);
impl_from_str!([] Flag);

impl From<Flag> for bool {
    fn from(f: Flag) -> bool {
        f.0
    }
}
