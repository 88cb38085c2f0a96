//! Output sinks shared by every encoder: a byte slice, a length counter, a formatter.

use core::fmt;

use super::sf::{BareItem, InnerList, Item, Member, Params};
use crate::error::{Error, ErrorKind};

/// Where an encoder writes.
pub(crate) trait Sink {
    /// Writes `bytes` (always ASCII).
    fn put(&mut self, bytes: &[u8]) -> Result<(), Error>;

    /// Writes an unsigned integer in decimal, no leading zeros.
    #[inline]
    fn put_u64(&mut self, v: u64) -> Result<(), Error> {
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        let mut v = v;
        loop {
            i -= 1;
            if let Some(slot) = buf.get_mut(i) {
                // proven: v % 10 < 10 fits in u8.
                *slot = b'0' + (v % 10) as u8;
            }
            v /= 10;
            if v == 0 || i == 0 {
                break;
            }
        }
        self.put(buf.get(i..).unwrap_or(&[]))
    }

    /// Writes a signed integer in decimal.
    #[inline]
    fn put_i64(&mut self, v: i64) -> Result<(), Error> {
        if v < 0 {
            self.put(b"-")?;
        }
        self.put_u64(v.unsigned_abs())
    }
}

/// Writes into a caller's buffer.
pub(crate) struct SliceSink<'b> {
    pub(crate) buf: &'b mut [u8],
    pub(crate) len: usize,
}

impl Sink for SliceSink<'_> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let end = self.len.saturating_add(bytes.len());
        match self.buf.get_mut(self.len..end) {
            // The length test is always true (`end` saturates only past `usize::MAX`); it
            // lets the optimiser drop `copy_from_slice`'s length-mismatch panic.
            Some(dst) if dst.len() == bytes.len() => {
                dst.copy_from_slice(bytes);
                self.len = end;
                Ok(())
            }
            _ => Err(Error::new(ErrorKind::BufferTooSmall, end)),
        }
    }
}

/// Counts the bytes that would be written.
pub(crate) struct CountSink(pub(crate) usize);

impl Sink for CountSink {
    #[inline]
    fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.0 = self.0.saturating_add(bytes.len());
        Ok(())
    }
}

/// Writes into a formatter (for `Display`).
pub(crate) struct FmtSink<'f, 'g>(pub(crate) &'f mut fmt::Formatter<'g>);

impl Sink for FmtSink<'_, '_> {
    fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.0
            .write_str(crate::grammar::ascii_str(bytes))
            .map_err(|_| Error::new(ErrorKind::BufferTooSmall, 0))
    }
}

/// A value that encodes itself into a [`Sink`].
pub(crate) trait EncodeTo {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error>;
}

/// Gives a type `encode`, `encoded_len` and `Display` from its [`EncodeTo`]:
/// `impl_encode!([generics] Type, "doc example");`
macro_rules! impl_encode {
    ([$($gen:tt)*] $ty:ty, $example:literal) => {
        impl<$($gen)*> $ty {
            /// Writes the canonical field value into `buf`, returning its length.
            ///
            /// Fails with [`ErrorKind::BufferTooSmall`](crate::ErrorKind::BufferTooSmall)
            /// when `buf` is shorter than [`encoded_len`](Self::encoded_len). Nothing is
            /// allocated.
            ///
            #[doc = $example]
            pub fn encode(&self, buf: &mut [u8]) -> Result<usize, $crate::Error> {
                let mut sink = $crate::encode::SliceSink { buf, len: 0 };
                $crate::encode::EncodeTo::encode_to(self, &mut sink)?;
                Ok(sink.len)
            }

            /// The length in bytes of the canonical field value.
            pub fn encoded_len(&self) -> usize {
                let mut sink = $crate::encode::CountSink(0);
                // CountSink never fails.
                let _ = $crate::encode::EncodeTo::encode_to(self, &mut sink);
                sink.0
            }
        }

        impl<$($gen)*> core::fmt::Display for $ty {
            /// The canonical field value.
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                $crate::encode::EncodeTo::encode_to(
                    self,
                    &mut $crate::encode::FmtSink(f),
                )
                .map_err(|_| core::fmt::Error)
            }
        }
    };
}
pub(crate) use impl_encode;

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

impl EncodeTo for BareItem<'_> {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        match self {
            BareItem::Integer(v) => out.put_i64(*v),
            BareItem::Decimal(d) => {
                let milli = d.milli();
                if milli < 0 {
                    out.put(b"-")?;
                }
                let abs = milli.unsigned_abs();
                out.put_u64(abs / 1000)?;
                out.put(b".")?;
                let frac = abs % 1000;
                // Canonical: one to three digits, no trailing zeros beyond the first.
                // proven: frac < 1000, so each digit is < 10.
                let digits = [
                    (frac / 100) as u8,
                    (frac / 10 % 10) as u8,
                    (frac % 10) as u8,
                ];
                let keep = if frac % 100 == 0 {
                    1
                } else if frac % 10 == 0 {
                    2
                } else {
                    3
                };
                for d in digits.iter().take(keep) {
                    out.put(&[b'0' + d])?;
                }
                Ok(())
            }
            BareItem::String(s) => {
                out.put(b"\"")?;
                out.put(s.raw().as_bytes())?;
                out.put(b"\"")
            }
            BareItem::Token(t) => out.put(t.as_bytes()),
            BareItem::ByteSequence(b) => {
                // Canonical base64 (RFC 9651 §4.1.8): re-encoded from the decoded bytes, so
                // padding is present and pad bits are zero.
                out.put(b":")?;
                let mut bytes = b.bytes();
                loop {
                    let group = [bytes.next(), bytes.next(), bytes.next()];
                    let [Some(a), b1, b2] = group else { break };
                    let n = u32::from(a) << 16
                        | u32::from(b1.unwrap_or(0)) << 8
                        | u32::from(b2.unwrap_or(0));
                    let sextet = |shift: u32| {
                        // proven: masked to 6 bits, an index below 64.
                        let i = ((n >> shift) & 0x3F) as usize;
                        B64.get(i).copied().unwrap_or(b'A')
                    };
                    let mut quad = [sextet(18), sextet(12), sextet(6), sextet(0)];
                    if b1.is_none()
                        && let Some(q) = quad.get_mut(2)
                    {
                        *q = b'=';
                    }
                    if b2.is_none()
                        && let Some(q) = quad.get_mut(3)
                    {
                        *q = b'=';
                    }
                    out.put(&quad)?;
                    if b2.is_none() {
                        break;
                    }
                }
                out.put(b":")
            }
            BareItem::Boolean(true) => out.put(b"?1"),
            BareItem::Boolean(false) => out.put(b"?0"),
        }
    }
}

impl EncodeTo for Params<'_> {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        for (k, v) in self.iter() {
            out.put(b";")?;
            out.put(k.as_bytes())?;
            if v != BareItem::Boolean(true) {
                out.put(b"=")?;
                v.encode_to(out)?;
            }
        }
        Ok(())
    }
}

impl EncodeTo for Item<'_> {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        self.bare.encode_to(out)?;
        self.params.encode_to(out)
    }
}

impl EncodeTo for InnerList<'_> {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        out.put(b"(")?;
        for (i, item) in self.items().enumerate() {
            if i > 0 {
                out.put(b" ")?;
            }
            item.encode_to(out)?;
        }
        out.put(b")")?;
        self.params.encode_to(out)
    }
}

impl EncodeTo for Member<'_> {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        match self {
            Member::Item(i) => i.encode_to(out),
            Member::InnerList(l) => l.encode_to(out),
        }
    }
}
