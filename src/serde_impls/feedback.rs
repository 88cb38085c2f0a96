//! `Feedback`, `PolicyFeedback` and `Ignored` as the objects the crate docs describe.

use core::fmt;
use core::marker::PhantomData;
use core::time::Duration;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Unexpected, Visitor};
use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::error::{Error, ErrorKind};
use crate::feedback::{Dialect, Feedback, Ignored, PolicyFeedback, PolicyId, QuotaUnit};
use crate::lenient::Tolerances;

use super::AsStr;

/// A duration in seconds: an integer when whole, else a float.
struct Secs(Duration);

impl Serialize for Secs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.subsec_nanos() == 0 {
            s.serialize_u64(self.0.as_secs())
        } else {
            s.serialize_f64(self.0.as_secs_f64())
        }
    }
}

impl<'de> Deserialize<'de> for Secs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Secs;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-negative number of seconds")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Secs, E> {
                Ok(Secs(Duration::from_secs(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Secs, E> {
                u64::try_from(v)
                    .map(|v| Secs(Duration::from_secs(v)))
                    .map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Secs, E> {
                // Rounds to the nearest nanosecond.
                Duration::try_from_secs_f64(v)
                    .map(Secs)
                    .map_err(|_| E::invalid_value(Unexpected::Float(v), &self))
            }
        }
        d.deserialize_any(V)
    }
}

/// `retry_after_ms`: whole milliseconds, rounded up (a wait must not get shorter).
fn millis_up(d: Duration) -> u64 {
    let ms = u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
    ms.saturating_add(u64::from(!d.subsec_nanos().is_multiple_of(1_000_000)))
}

impl Serialize for PolicyFeedback<'_> {
    /// `{"id": N, "name": S|null, "quota": N|null, "window_s": N|null, "unit": "requests",
    /// "remaining": N|null, "reset_s": N|null}`; durations in seconds, an integer when whole.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("PolicyFeedback", 7)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("name", &self.name)?;
        st.serialize_field("quota", &self.quota)?;
        st.serialize_field("window_s", &self.window.map(Secs))?;
        st.serialize_field("unit", &self.unit)?;
        st.serialize_field("remaining", &self.remaining)?;
        st.serialize_field("reset_s", &self.reset.map(Secs))?;
        st.end()
    }
}

#[derive(serde::Deserialize)]
#[serde(rename = "PolicyFeedback")]
struct PolicyRepr<'a> {
    #[serde(default)]
    id: Option<PolicyId>,
    #[serde(default, borrow)]
    name: Option<&'a str>,
    #[serde(default)]
    quota: Option<u64>,
    #[serde(default)]
    window_s: Option<Secs>,
    #[serde(default)]
    unit: QuotaUnit,
    #[serde(default)]
    remaining: Option<i64>,
    #[serde(default)]
    reset_s: Option<Secs>,
}

impl<'de> Deserialize<'de> for PolicyFeedback<'de> {
    /// The object [`Serialize`] writes; every member may be left out. Without `id`, the id is
    /// that of the name ([`PolicyId::named`]), else of the window ([`PolicyId::window`]), else
    /// [`PolicyId::ANONYMOUS`]. The name is borrowed.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = PolicyRepr::deserialize(d)?;
        let window = r.window_s.map(|s| s.0);
        let id = match (r.id, r.name, window) {
            (Some(id), _, _) => id,
            (None, Some(n), _) => PolicyId::named(n.as_bytes()),
            (None, None, Some(w)) => PolicyId::window(w.as_secs()),
            (None, None, None) => PolicyId::ANONYMOUS,
        };
        Ok(PolicyFeedback {
            id,
            name: r.name,
            quota: r.quota,
            window,
            unit: r.unit,
            remaining: r.remaining,
            reset: r.reset_s.map(|s| s.0),
        })
    }
}

/// A header name as a string; bytes that are not UTF-8 become U+FFFD.
struct Lossy<'a>(&'a [u8]);

impl fmt::Display for Lossy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.0.utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_str("\u{FFFD}")?;
            }
        }
        Ok(())
    }
}

impl Serialize for Ignored<'_> {
    /// `{"header": S, "error": {...}}` (the header name as received; see [`Error`]'s format).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Ignored", 2)?;
        st.serialize_field("header", &AsStr(&Lossy(self.header)))?;
        st.serialize_field("error", &self.error)?;
        st.end()
    }
}

#[derive(serde::Deserialize)]
#[serde(rename = "Ignored")]
struct IgnoredRepr<'a> {
    #[serde(borrow)]
    header: &'a str,
    error: Error,
}

impl<'de> Deserialize<'de> for Ignored<'de> {
    /// The object [`Serialize`] writes; the header name is borrowed.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = IgnoredRepr::deserialize(d)?;
        Ok(Ignored {
            header: r.header.as_bytes(),
            error: r.error,
        })
    }
}

impl<const P: usize, const I: usize> Serialize for Feedback<'_, P, I> {
    /// The object described in the crate docs ("serde formats").
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Feedback", FEEDBACK_FIELDS.len())?;
        st.serialize_field("status", &self.status())?;
        st.serialize_field("dialect", &self.dialect())?;
        st.serialize_field("policies", self.policies())?;
        st.serialize_field("retry_after_ms", &self.retry_after().map(millis_up))?;
        st.serialize_field("from_cache", &self.from_cache())?;
        st.serialize_field("tolerances", &self.tolerances())?;
        st.serialize_field("ignored", self.ignored())?;
        st.serialize_field("ignored_overflow", &self.ignored_overflow())?;
        st.end()
    }
}

const FEEDBACK_FIELDS: &[&str] = &[
    "status",
    "dialect",
    "policies",
    "retry_after_ms",
    "from_cache",
    "tolerances",
    "ignored",
    "ignored_overflow",
];

#[derive(Clone, Copy, serde::Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Key {
    Status,
    Dialect,
    Policies,
    RetryAfterMs,
    FromCache,
    Tolerances,
    Ignored,
    IgnoredOverflow,
    #[serde(other)]
    Other,
}

/// At most `P` policies, in fixed storage.
struct PolicyList<'de, const P: usize>(heapless::Vec<PolicyFeedback<'de>, P>);

impl<'de, const P: usize> Deserialize<'de> for PolicyList<'de, P> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'de, const P: usize>(PhantomData<&'de ()>);
        impl<'de, const P: usize> Visitor<'de> for V<'de, P> {
            type Value = PolicyList<'de, P>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a list of at most {P} policies")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut list = heapless::Vec::new();
                while let Some(p) = seq.next_element::<PolicyFeedback<'de>>()? {
                    if list.push(p).is_err() {
                        return Err(de::Error::invalid_length(P.saturating_add(1), &self));
                    }
                }
                Ok(PolicyList(list))
            }
        }
        d.deserialize_seq(V(PhantomData))
    }
}

/// The ignored fields that fit in `I`, and how many did not.
struct IgnoredList<'de, const I: usize>(heapless::Vec<Ignored<'de>, I>, u16);

impl<'de, const I: usize> Deserialize<'de> for IgnoredList<'de, I> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'de, const I: usize>(PhantomData<&'de ()>);
        impl<'de, const I: usize> Visitor<'de> for V<'de, I> {
            type Value = IgnoredList<'de, I>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of ignored fields")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut list = heapless::Vec::new();
                let mut overflow = 0u16;
                while let Some(i) = seq.next_element::<Ignored<'de>>()? {
                    if list.push(i).is_err() {
                        overflow = overflow.saturating_add(1);
                    }
                }
                Ok(IgnoredList(list, overflow))
            }
        }
        d.deserialize_seq(V(PhantomData))
    }
}

/// The members of a `Feedback` object, as read.
struct Parts<'de, const P: usize, const I: usize> {
    status: Option<u16>,
    dialect: Dialect,
    policies: PolicyList<'de, P>,
    retry_after_ms: Option<u64>,
    from_cache: bool,
    tolerances: Tolerances,
    ignored: IgnoredList<'de, I>,
    ignored_overflow: u16,
}

impl<'de, const P: usize, const I: usize> Parts<'de, P, I> {
    fn new() -> Self {
        Parts {
            status: None,
            dialect: Dialect::None,
            policies: PolicyList(heapless::Vec::new()),
            retry_after_ms: None,
            from_cache: false,
            tolerances: Tolerances::new(),
            ignored: IgnoredList(heapless::Vec::new(), 0),
            ignored_overflow: 0,
        }
    }

    fn build<E: de::Error>(self) -> Result<Feedback<'de, P, I>, E> {
        let mut fb = Feedback::new(self.status);
        fb.set_dialect(self.dialect);
        fb.set_retry_after(self.retry_after_ms.map(Duration::from_millis));
        fb.set_from_cache(self.from_cache);
        fb.set_tolerances(self.tolerances);
        for p in self.policies.0 {
            fb.push_policy(p)
                .map_err(|_| E::custom(format_args!("more than {P} distinct policies")))?;
        }
        for i in self.ignored.0 {
            fb.push_ignored(i.header, i.error);
        }
        let overflow = self.ignored_overflow.saturating_add(self.ignored.1);
        if overflow > 0 && fb.ignored().len() < I {
            return Err(E::custom(
                "`ignored_overflow` is not 0 but the `ignored` list is not full",
            ));
        }
        // The list is full: each push is counted as overflow and not stored.
        for _ in 0..overflow {
            fb.push_ignored(b"", Error::new(ErrorKind::CapacityExceeded, I));
        }
        Ok(fb)
    }
}

impl<'de, const P: usize, const I: usize> Deserialize<'de> for Feedback<'de, P, I> {
    /// The object [`Serialize`] writes. Every member may be left out (defaults: null,
    /// `"none"`, empty, `false`, 0) and unknown members are skipped. Policy names and ignored
    /// header names are borrowed from the input. Fails when the policies do not fit in `P`.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct("Feedback", FEEDBACK_FIELDS, FeedbackVisitor(PhantomData))
    }
}

struct FeedbackVisitor<'de, const P: usize, const I: usize>(PhantomData<&'de ()>);

impl<'de, const P: usize, const I: usize> Visitor<'de> for FeedbackVisitor<'de, P, I> {
    type Value = Feedback<'de, P, I>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Feedback object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut parts = Parts::<P, I>::new();
        let mut seen = [false; 8];
        while let Some(key) = map.next_key::<Key>()? {
            // `Key` lists the members in `FEEDBACK_FIELDS` order; `Other` is past the end.
            // proven: the cast reads the discriminant of a fieldless enum (0 to 8).
            let i = key as usize;
            if let (Some(s), Some(name)) = (seen.get_mut(i), FEEDBACK_FIELDS.get(i)) {
                if *s {
                    return Err(de::Error::duplicate_field(name));
                }
                *s = true;
            }
            match key {
                Key::Status => parts.status = map.next_value()?,
                Key::Dialect => parts.dialect = map.next_value()?,
                Key::Policies => parts.policies = map.next_value()?,
                Key::RetryAfterMs => parts.retry_after_ms = map.next_value()?,
                Key::FromCache => parts.from_cache = map.next_value()?,
                Key::Tolerances => parts.tolerances = map.next_value()?,
                Key::Ignored => parts.ignored = map.next_value()?,
                Key::IgnoredOverflow => parts.ignored_overflow = map.next_value()?,
                Key::Other => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        parts.build()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut parts = Parts::<P, I>::new();
        let missing = |i: usize| de::Error::invalid_length(i, &"a Feedback of 8 members");
        parts.status = seq.next_element()?.ok_or_else(|| missing(0))?;
        parts.dialect = seq.next_element()?.ok_or_else(|| missing(1))?;
        parts.policies = seq.next_element()?.ok_or_else(|| missing(2))?;
        parts.retry_after_ms = seq.next_element()?.ok_or_else(|| missing(3))?;
        parts.from_cache = seq.next_element()?.ok_or_else(|| missing(4))?;
        parts.tolerances = seq.next_element()?.ok_or_else(|| missing(5))?;
        parts.ignored = seq.next_element()?.ok_or_else(|| missing(6))?;
        parts.ignored_overflow = seq.next_element()?.ok_or_else(|| missing(7))?;
        parts.build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_round_up() {
        assert_eq!(millis_up(Duration::from_micros(1)), 1);
        assert_eq!(millis_up(Duration::from_millis(1500)), 1500);
        assert_eq!(millis_up(Duration::MAX), u64::MAX);
    }
}
