//! Time values outside Structured Fields: decimal seconds (`2.0`, `64.57`).

use core::time::Duration;

use super::{PResult, digits, fail};
use crate::error::ErrorKind;

/// `1*DIGIT [ "." 1*DIGIT ]` seconds, as a [`Duration`] rounded **up** to the millisecond
/// (a wait must never come out shorter than the server asked). Saturates on overflow.
///
/// Returns the duration and whether a fraction was present.
pub fn decimal_seconds(input: &[u8]) -> PResult<'_, (Duration, bool)> {
    let (rest, (secs, _)) = digits(input)?;
    let Some(b'.') = rest.first() else {
        return Ok((rest, (Duration::from_secs(secs), false)));
    };
    let frac_in = rest.get(1..).unwrap_or(&[]);
    let n = frac_in.iter().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 {
        return fail(frac_in, ErrorKind::ExpectedDigit);
    }
    let mut nanos: u32 = 0;
    let mut scale: u32 = 100_000_000;
    let mut beyond_nanos = false;
    for &b in frac_in.iter().take(n) {
        if scale == 0 {
            beyond_nanos |= b != b'0';
            continue;
        }
        nanos += u32::from(b - b'0') * scale;
        scale /= 10;
    }
    // Round up to whole milliseconds.
    let extra = u32::from(beyond_nanos || nanos % 1_000_000 != 0);
    let millis = nanos / 1_000_000 + extra;
    let d = Duration::from_secs(secs).saturating_add(Duration::from_millis(u64::from(millis)));
    Ok((frac_in.get(n..).unwrap_or(&[]), (d, true)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_up_to_the_millisecond() {
        let d = |s: &[u8]| decimal_seconds(s).map(|(_, (d, _))| d).ok();
        assert_eq!(d(b"2"), Some(Duration::from_secs(2)));
        assert_eq!(d(b"2.0"), Some(Duration::from_secs(2)));
        assert_eq!(d(b"64.57"), Some(Duration::from_millis(64_570)));
        assert_eq!(d(b"0.0001"), Some(Duration::from_millis(1)));
        assert_eq!(d(b"1.0000000001"), Some(Duration::from_millis(1_001)));
        assert_eq!(d(b"1."), None);
        assert_eq!(d(b".5"), None);
        assert_eq!(
            d(b"99999999999999999999999.9"),
            Some(Duration::from_secs(u64::MAX).saturating_add(Duration::from_millis(900)))
        );
    }
}
