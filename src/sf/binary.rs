//! Structured Field Byte Sequences (RFC 9651 §3.3.5), borrowed as base64 text.

use core::fmt;

use crate::error::{Error, ErrorKind};
use crate::grammar::ascii_str;

/// A Structured Field Byte Sequence, borrowed as its base64 text.
///
/// Two sequences are equal when their decoded bytes are (`:iZ==:` equals `:iQ==:`: pad bits
/// are not data). `Display` and `encode` write the canonical form, padded, pad bits zero.
#[derive(Clone, Copy)]
pub struct ByteSeq<'a> {
    pub(crate) b64: &'a [u8],
}

impl<'a> ByteSeq<'a> {
    /// The base64 text between the colons, as on the wire.
    pub fn base64(&self) -> &'a str {
        ascii_str(self.b64)
    }

    /// Builds a byte sequence from base64 text (checked; padding optional, non-zero pad bits
    /// accepted as RFC 9651 asks).
    pub fn from_base64(b64: &'a str) -> Result<Self, Error> {
        let bytes = b64.as_bytes();
        match validate_base64(bytes) {
            Ok(()) => Ok(ByteSeq { b64: bytes }),
            Err(at) => {
                Err(Error::new(ErrorKind::InvalidByteSequence, at)
                    .with_found(bytes.get(at).copied()))
            }
        }
    }

    /// The decoded bytes, one at a time.
    pub fn bytes(&self) -> impl Iterator<Item = u8> + Clone + 'a {
        DecodedBytes {
            b64: self.b64.iter(),
            acc: 0,
            bits: 0,
            left: self.decoded_len(),
        }
    }

    /// How many bytes the decoded sequence has.
    pub fn decoded_len(&self) -> usize {
        let data = self.b64.iter().take_while(|b| **b != b'=').count();
        data / 4 * 3
            + match data % 4 {
                2 => 1,
                3 => 2,
                _ => 0,
            }
    }

    /// Decodes into `out`, returning the number of bytes written.
    ///
    /// ```
    /// use ratelimit_headers::sf::ByteSeq;
    /// let pk = ByteSeq::from_base64("cHsdsRa894==")?; // non-zero pad bits, as in the drafts
    /// let mut buf = [0u8; 16];
    /// let n = pk.decode_into(&mut buf)?;
    /// assert_eq!(&buf[..n], &[0x70, 0x7b, 0x1d, 0xb1, 0x16, 0xbc, 0xf7]);
    /// # Ok::<(), ratelimit_headers::Error>(())
    /// ```
    pub fn decode_into(&self, out: &mut [u8]) -> Result<usize, Error> {
        let need = self.decoded_len();
        if out.len() < need {
            return Err(Error::new(ErrorKind::BufferTooSmall, need));
        }
        let mut n = 0;
        for (slot, b) in out.iter_mut().zip(self.bytes()) {
            *slot = b;
            n += 1;
        }
        Ok(n)
    }
}

impl PartialEq for ByteSeq<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes().eq(other.bytes())
    }
}

impl Eq for ByteSeq<'_> {}

impl core::hash::Hash for ByteSeq<'_> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.bytes().for_each(|b| state.write_u8(b));
    }
}

/// Iterator over the decoded bytes of a [`ByteSeq`].
#[derive(Debug, Clone)]
struct DecodedBytes<'a> {
    b64: core::slice::Iter<'a, u8>,
    acc: u32,
    bits: u32,
    left: usize,
}

impl Iterator for DecodedBytes<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        if self.left == 0 {
            return None;
        }
        while self.bits < 8 {
            let v = b64_value(*self.b64.next()?)?;
            self.acc = ((self.acc << 6) | u32::from(v)) & 0xFFFF;
            self.bits += 6;
        }
        self.bits -= 8;
        self.left -= 1;
        // proven: masked to one byte.
        Some(((self.acc >> self.bits) & 0xFF) as u8)
    }
}

impl fmt::Debug for ByteSeq<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, ":{}:", self.base64())
    }
}

fn b64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Checks base64 text: alphabet characters, then optional `=` padding up to a multiple of 4
/// (missing or partial padding is synthesised, as RFC 9651 §4.2.7 asks of parsers; more `=`
/// than the length needs is an error). A single leftover character (length 1 mod 4) cannot
/// be decoded. Returns the bad offset.
pub(crate) fn validate_base64(b: &[u8]) -> Result<(), usize> {
    let data = b.iter().take_while(|c| b64_value(**c).is_some()).count();
    let pad = b
        .get(data..)
        .unwrap_or(&[])
        .iter()
        .take_while(|c| **c == b'=')
        .count();
    if data + pad != b.len() {
        return Err(data + pad);
    }
    if data % 4 == 1 {
        return Err(data);
    }
    let needed = (4 - data % 4) % 4;
    if pad > needed {
        return Err(data + needed);
    }
    Ok(())
}
