//! Reading a response: finding each field's lines, and the rules every field is read by.
//!
//! A field is checked whole before it changes the [`Feedback`]: a value is parsed first and
//! applied after, and a field of several list members (`RateLimit`, `RateLimit-Policy`,
//! `RateLimit-Limit`) is read once to check every line and once more to apply it. A field
//! that fails leaves nothing behind but its entry in [`Feedback::ignored`] (RFC 9651 §4.2: a
//! parse failure discards the whole field).
//!
//! Each step of a read (the fields every dialect uses, each dialect's interpreter, each list
//! field) is a function of its own, marked not to be inlined into the next: the stack a read
//! takes is then that of its deepest step, which keeps a read in place within the crate's
//! 1 KiB stack budget (`footprint/README.md`).

use core::time::Duration;

use super::names::{FIELD_COUNT, Field, FieldSet, classify};
use super::{Dialect, Feedback};
use crate::error::{Error, ErrorKind};
use crate::field::date::HttpDate;
use crate::field::retry_after::{RetryAfter, RetryAfterMs};
use crate::field::vendor::Count;
use crate::lenient::{Lenient, Tolerance, Tolerances};

// The dialect families this build reads: every one, unless the final binary turned on the
// feature `select-dialects`, which keeps only those whose `dialect-*` feature is on (see the
// crate docs, "Features"). The fields of a family left out are treated as absent, and its
// interpreter is not compiled in. `Retry-After`, `Retry-After-Ms`, `Date` and `Age` are read
// in every build.
const SELECTED_ONLY: bool = cfg!(feature = "select-dialects");
/// `RateLimit-Limit`, `-Remaining` and `-Reset` (draft-polli-00 to draft-ietf-06, and
/// GitLab's epoch reset with `RateLimit-Observed`).
pub(super) const READS_IETF_FIELDS: bool = !SELECTED_ONLY || cfg!(feature = "dialect-ietf-fields");
/// `RateLimit-Policy` and `RateLimit`: the draft-ietf-07 Dictionary and the named Lists of
/// draft-ietf-08 and later (and `RateLimit-Policy` beside the fields of draft-ietf-03 to -07).
pub(super) const READS_IETF_STRUCTURED: bool =
    !SELECTED_ONLY || cfg!(feature = "dialect-ietf-structured");
/// The `X-RateLimit-*` family and the other vendor fields: GitHub, Twitter, Discord, OpenAI,
/// Anthropic, Kong, Envoy, Reddit, Shopify.
pub(super) const READS_VENDOR: bool = !SELECTED_ONLY || cfg!(feature = "dialect-vendor");

/// How [`Feedback::read`] reads a response. Build it with [`new`](Self::new) (or
/// `Default`) and the `with_` methods; later options will be added the same way.
///
/// ```
/// use ratelimit_headers::ReadOptions;
///
/// let options = ReadOptions::new().with_now_unix(1_700_000_000);
/// assert_eq!(options.now_unix, Some(1_700_000_000));
/// assert_eq!(ReadOptions::default().now_unix, None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct ReadOptions {
    /// The caller's wall clock, in Unix seconds: used to turn an absolute time (an epoch
    /// reset, an HTTP-date `Retry-After`) into a delay only when the response has no `Date`
    /// header. `None` (the default): such a time is ignored, with
    /// [`ErrorKind::NeedsClock`](crate::ErrorKind::NeedsClock).
    pub now_unix: Option<i64>,
}

impl ReadOptions {
    /// The default options: no wall clock.
    pub const fn new() -> Self {
        ReadOptions { now_unix: None }
    }

    /// The caller's wall clock, `now_unix` seconds since the Unix epoch (see
    /// [`now_unix`](Self::now_unix)).
    pub const fn with_now_unix(mut self, now_unix: i64) -> Self {
        self.now_unix = Some(now_unix);
        self
    }
}

impl<'a, const P: usize, const I: usize> Feedback<'a, P, I> {
    /// Reads one response: its status and its header fields as `(name, value)` pairs (names
    /// compared case-insensitively; repeated field lines combined as RFC 9110 §5.3 says),
    /// with the default [`ReadOptions`].
    ///
    /// Fields are read leniently, and every [`Tolerance`] used is reported in
    /// [`tolerances`](Self::tolerances); a field that cannot be read at all is listed in
    /// [`ignored`](Self::ignored) with its error. Absolute times (epoch resets, HTTP-dates) are
    /// turned into delays with the response's own `Date` header, so the client's clock never
    /// enters; without `Date` they are ignored (unless [`read`](Self::read) is given a clock
    /// in its options).
    ///
    /// ```
    /// use core::time::Duration;
    /// use ratelimit_headers::{Dialect, Feedback, PolicyId};
    ///
    /// let headers: [(&[u8], &[u8]); 3] = [
    ///     (b"RateLimit-Limit", b"4, 120;w=60, 4;w=1"),
    ///     (b"RateLimit-Remaining", b"-1"),
    ///     (b"RateLimit-Reset", b"1"),
    /// ];
    /// let fb: Feedback = Feedback::from_headers(Some(429), headers);
    /// assert_eq!(fb.dialect(), Dialect::IetfFields);
    /// let per_second = fb.policy(PolicyId::window(1)).unwrap();
    /// assert_eq!(per_second.quota, Some(4));
    /// assert_eq!(per_second.remaining, Some(-1)); // over quota, as the server said
    /// assert_eq!(per_second.reset, Some(Duration::from_secs(1)));
    /// ```
    pub fn from_headers<H>(status: Option<u16>, headers: H) -> Self
    where
        H: IntoIterator<Item = (&'a [u8], &'a [u8])>,
        H::IntoIter: Clone,
    {
        let mut fb = Feedback::new(status);
        fb.read(status, headers, ReadOptions::new());
        fb
    }

    /// Reads one response into `self`, replacing all it held, as
    /// [`from_headers`](Self::from_headers) reads it, with `options` (the caller's clock).
    ///
    /// For a `Feedback` kept in a long-lived place (a static, a connection's state): the
    /// value is built where it is, never on the stack on the way out, so on a small target
    /// this call needs little more than half the stack of `from_headers` (see the footprint
    /// table in the README). It is also the way to read with a clock:
    /// `Feedback::new(status)` then `read`.
    ///
    /// ```
    /// use core::time::Duration;
    /// use ratelimit_headers::{Dialect, Feedback, ReadOptions};
    ///
    /// let mut fb: Feedback = Feedback::new(None);
    /// fb.read(Some(200), [(&b"RateLimit-Remaining"[..], &b"7"[..])], ReadOptions::new());
    /// assert_eq!(fb.dialect(), Dialect::IetfFields);
    /// assert_eq!(fb.policies()[0].remaining, Some(7));
    ///
    /// // An HTTP-date without the response's `Date`: the caller's clock is used.
    /// let retry: [(&[u8], &[u8]); 1] = [(b"Retry-After", b"Tue, 14 Nov 2023 22:14:20 GMT")];
    /// fb.read(Some(503), retry, ReadOptions::new().with_now_unix(1_700_000_000));
    /// assert_eq!(fb.dialect(), Dialect::RetryAfterOnly);
    /// assert_eq!(fb.retry_after(), Some(Duration::from_secs(60)));
    /// assert!(fb.policies().is_empty());
    /// ```
    pub fn read<H>(&mut self, status: Option<u16>, headers: H, options: ReadOptions)
    where
        H: IntoIterator<Item = (&'a [u8], &'a [u8])>,
        H::IntoIter: Clone,
    {
        let mut reader = Reader::new(headers.into_iter(), options);
        reader.scan();
        reader.read(status, self);
    }
}

/// Where a field's lines are: how many (0, 1, or 2 for more than one), and the first (name
/// and value).
#[derive(Clone, Copy, Default)]
pub(super) struct Lines<'a> {
    pub(super) count: u8,
    pub(super) name: &'a [u8],
    pub(super) value: &'a [u8],
}

/// The headers of one response, with where each field's lines are (the fields of the
/// dialects this build does not read are treated as absent).
pub(super) struct Reader<H> {
    headers: H,
    /// The fields the response has.
    pub(super) present: FieldSet,
    /// The fields it has more than one line of.
    repeated: FieldSet,
    /// The index of each present field's first line, or `u8::MAX` when it is at or past
    /// that index (then the line is found by its name).
    first: [u8; FIELD_COUNT],
    /// The caller's wall clock (Unix seconds), for absolute times without a `Date`.
    now_unix: Option<i64>,
    /// The response's `Date`, once read.
    pub(super) date: Option<HttpDate>,
}

impl<'a, H: Iterator<Item = (&'a [u8], &'a [u8])> + Clone> Reader<H> {
    /// A reader of `headers` that knows none of their fields yet.
    fn new(headers: H, options: ReadOptions) -> Self {
        Reader {
            headers,
            present: FieldSet::EMPTY,
            repeated: FieldSet::EMPTY,
            first: [0; FIELD_COUNT],
            now_unix: options.now_unix,
            date: None,
        }
    }

    /// Finds the lines of each field this build reads.
    fn scan(&mut self) {
        for (i, (name, _)) in self.headers.clone().enumerate() {
            let Some(f) = Self::classify(name) else {
                continue;
            };
            if self.present.contains(f.index()) {
                self.repeated.insert(f.index());
            } else {
                self.present.insert(f.index());
                if let Some(at) = self.first.get_mut(usize::from(f.index())) {
                    *at = u8::try_from(i).unwrap_or(u8::MAX);
                }
            }
        }
    }

    /// The field a header name is among those this build reads.
    fn classify(name: &[u8]) -> Option<Field> {
        let f = classify(name)?;
        (READS_VENDOR || !f.is_vendor()).then_some(f)
    }

    /// Reads the whole response into `fb`, replacing what it held.
    fn read<const P: usize, const I: usize>(
        &mut self,
        status: Option<u16>,
        fb: &mut Feedback<'a, P, I>,
    ) {
        fb.clear(status);
        self.common(fb);
        // Each `READS_...` is a constant: a dialect left out is not compiled in.
        if READS_VENDOR {
            // Kong's per-period headers declare policies whatever else the response carries.
            self.kong(fb);
        }
        if READS_IETF_STRUCTURED && self.has(Field::RateLimit) {
            self.ratelimit(fb);
        } else if READS_IETF_FIELDS
            && (self.has(Field::Limit) || self.has(Field::Remaining) || self.has(Field::Reset))
        {
            self.fields(fb);
        } else if READS_VENDOR {
            self.vendor(fb);
        }
        if fb.dialect == Dialect::None && fb.retry_after.is_some() {
            fb.dialect = Dialect::RetryAfterOnly;
        }
    }

    /// Whether the response has field `f`.
    pub(super) fn has(&self, f: Field) -> bool {
        self.present.contains(f.index())
    }

    /// Where the lines of `f` are.
    pub(super) fn lines(&self, f: Field) -> Lines<'a> {
        let count = match (
            self.present.contains(f.index()),
            self.repeated.contains(f.index()),
        ) {
            (false, _) => return Lines::default(),
            (true, false) => 1,
            (true, true) => 2,
        };
        match self.lines_of(f).next() {
            Some((name, value)) => Lines { count, name, value },
            None => Lines::default(),
        }
    }

    /// The lines of `f` (present), from its first.
    fn lines_of(&self, f: Field) -> impl Iterator<Item = (&'a [u8], &'a [u8])> + use<'a, H> {
        let at = self
            .first
            .get(usize::from(f.index()))
            .copied()
            .unwrap_or(u8::MAX);
        // Below `u8::MAX`, the line at `at` is the first; at it, the first is further on.
        let known = at < u8::MAX;
        self.headers
            .clone()
            .skip(usize::from(at))
            .enumerate()
            .filter(move |(i, (name, _))| (known && *i == 0) || Self::classify(name) == Some(f))
            .map(|(_, line)| line)
    }

    /// The name of the first of `fields` the response has (for an ignored-field entry about
    /// a policy several fields describe; empty only when none is present).
    pub(super) fn name_of(&self, fields: &[Field]) -> &'a [u8] {
        fields
            .iter()
            .find(|f| self.has(**f))
            .map_or(&[], |f| self.lines(*f).name)
    }

    /// Every line of `f`, in order.
    fn each(&self, f: Field) -> impl Iterator<Item = &'a [u8]> + use<'a, H> {
        let lines = if self.repeated.contains(f.index()) {
            usize::MAX
        } else {
            1
        };
        let lines = if self.has(f) { lines } else { 0 };
        self.lines_of(f).take(lines).map(|(_, value)| value)
    }

    /// Reads field `f`, every line of it, with `read(line, is_first, tolerances, into)`: first
    /// each line is only checked (`into` is `None`); when all pass, they are read again into
    /// `fb` (which cannot fail: the same bytes are read the same way). A field that fails is
    /// listed as ignored, with the error of its first failing line. Returns whether the field
    /// was applied.
    #[inline]
    pub(super) fn whole<const P: usize, const I: usize>(
        &self,
        fb: &mut Feedback<'a, P, I>,
        f: Field,
        mut read: impl FnMut(
            &'a [u8],
            bool,
            &mut Tolerances,
            Option<&mut Feedback<'a, P, I>>,
        ) -> Result<(), Error>,
    ) -> bool {
        if !self.has(f) {
            return false;
        }
        let mut tolerances = Tolerances::new();
        for (i, line) in self.each(f).enumerate() {
            if let Err(e) = read(line, i == 0, &mut tolerances, None) {
                fb.push_ignored(self.lines(f).name, e);
                return false;
            }
        }
        fb.tolerances.insert_all(tolerances);
        let mut again = Tolerances::new();
        for (i, line) in self.each(f).enumerate() {
            let _checked = read(line, i == 0, &mut again, Some(fb));
        }
        true
    }

    /// The value of a field that occurs once, read by `parse`; errors are recorded.
    pub(super) fn item<T, const P: usize, const I: usize>(
        &self,
        fb: &mut Feedback<'a, P, I>,
        f: Field,
        parse: impl FnOnce(&'a [u8]) -> Result<T, Error>,
    ) -> Option<T> {
        let l = self.lines(f);
        match l.count {
            0 => None,
            1 => parse(l.value).map_err(|e| fb.push_ignored(l.name, e)).ok(),
            _ => {
                // Combined with `, `, the value is no longer one Item.
                fb.push_ignored(l.name, Error::new(ErrorKind::Repeated, l.value.len()));
                None
            }
        }
    }

    /// Like [`item`](Self::item) for a lenient parser: tolerances are recorded.
    pub(super) fn lenient<T, const P: usize, const I: usize>(
        &self,
        fb: &mut Feedback<'a, P, I>,
        f: Field,
        parse: impl FnOnce(&'a [u8]) -> Result<Lenient<T>, Error>,
    ) -> Option<Lenient<T>> {
        let v = self.item(fb, f, parse)?;
        fb.tolerances.insert_all(v.tolerances);
        Some(v)
    }

    /// A lenient count; a negative one (Azure's `-1`) is kept as -1.
    pub(super) fn count<const P: usize, const I: usize>(
        &self,
        fb: &mut Feedback<'a, P, I>,
        f: Field,
    ) -> Option<i64> {
        self.lenient(fb, f, Count::parse_lenient)
            .map(|c| signed(c.value.get(), c.tolerances))
    }

    /// A lenient count used as a quota: a negative one means "unknown".
    pub(super) fn quota<const P: usize, const I: usize>(
        &self,
        fb: &mut Feedback<'a, P, I>,
        f: Field,
    ) -> Option<u64> {
        self.count(fb, f).and_then(|c| u64::try_from(c).ok())
    }

    /// The delay until an absolute Unix time, from the response's `Date` (else the caller's
    /// clock); an ignored-field entry for `f` when neither is known.
    pub(super) fn delay_until<const P: usize, const I: usize>(
        &self,
        fb: &mut Feedback<'a, P, I>,
        f: Field,
        at_unix: i64,
    ) -> Option<Duration> {
        let d = crate::field::retry_after::delay_until(at_unix, self.date, self.now_unix);
        if d.is_none() {
            fb.push_ignored(self.lines(f).name, Error::new(ErrorKind::NeedsClock, 0));
        }
        d
    }

    /// The fields read whatever the dialect: `Date` (kept for absolute times), `Age` and the
    /// retry delay.
    #[inline(never)]
    fn common<const P: usize, const I: usize>(&mut self, fb: &mut Feedback<'a, P, I>) {
        self.date = self.item(fb, Field::Date, HttpDate::parse);
        if let Some(age) = self.item(fb, Field::Age, |v| {
            crate::grammar::digits(v)
                .map(|(_, (n, _))| n)
                .map_err(|_| Error::new(ErrorKind::ExpectedDigit, 0))
        }) {
            fb.from_cache = age > 0;
        }
        self.retry_after(fb);
    }

    /// `Retry-After`, or `retry-after-ms` when present (millisecond precision, as the OpenAI
    /// and Anthropic SDKs read it).
    fn retry_after<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
        if let Some(ms) = self.item(fb, Field::RetryAfterMs, RetryAfterMs::parse) {
            fb.retry_after = Some(ms.get());
            return;
        }
        let Some(ra) = self.lenient(fb, Field::RetryAfter, RetryAfter::parse_lenient) else {
            return;
        };
        // As `RetryAfter::delay` with the response's `Date` and the caller's clock.
        fb.retry_after = match ra.value {
            RetryAfter::Delay(d) => Some(d),
            RetryAfter::At(at) => self.delay_until(fb, Field::RetryAfter, at.unix_seconds()),
        };
    }
}

/// A count as read leniently: `value`, or -1 when the server sent a negative one (clamped
/// to 0 by the lenient parser, which reports it).
pub(super) fn signed(value: u64, tolerances: Tolerances) -> i64 {
    if tolerances.contains(Tolerance::NegativeClamped) {
        -1
    } else {
        to_i64(value)
    }
}

/// `v`, saturated at `i64::MAX`.
pub(super) fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}
