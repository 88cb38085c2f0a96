//! The IETF dialects: `RateLimit-Limit`, `-Remaining`, `-Reset` (draft-polli-00 to
//! draft-ietf-06, and GitLab's variant), the draft-ietf-07 `RateLimit` Dictionary, and the
//! named `RateLimit` and `RateLimit-Policy` Lists of draft-ietf-08 and later.

use core::time::Duration;

use super::names::Field;
use super::read::{READS_IETF_STRUCTURED, Reader, signed, to_i64};
use super::{Dialect, EPOCH_THRESHOLD, Feedback, PolicyFeedback, PolicyId, QuotaUnit};
use crate::error::Error;
use crate::field::limit;
use crate::field::policy::{self, Policy};
use crate::field::ratelimit::{self, ServiceLimit, is_dictionary};
use crate::field::remaining::Remaining;
use crate::field::reset::Reset;
use crate::grammar::ParseMode;
use crate::lenient::{Lenient, Tolerances};

impl<'a, H: Iterator<Item = (&'a [u8], &'a [u8])> + Clone> Reader<H> {
    /// `RateLimit` (and `RateLimit-Policy`): the named lists of draft-ietf-08+, or the
    /// draft-ietf-07 dictionary, told apart by the first line of `RateLimit`.
    pub(super) fn ratelimit<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
        let first = self.lines(Field::RateLimit);
        if is_dictionary(crate::grammar::trim_ows(first.value).0) {
            fb.dialect = Dialect::IetfDictionary;
            self.policy_declarations(fb);
            self.dictionary(fb, first.name);
        } else {
            fb.dialect = Dialect::IetfNamed;
            self.policy_declarations(fb);
            self.named(fb, first.name);
        }
    }

    /// The items of the `RateLimit` List, each reporting on the policy of its name (after
    /// the declarations of `RateLimit-Policy`).
    #[inline(never)]
    fn named<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>, header: &'a [u8]) {
        self.whole(fb, Field::RateLimit, |line, _, tol, mut into| {
            ratelimit::visit_list(line, ParseMode::Lenient, tol, |item, _| {
                if let Some(fb) = into.as_deref_mut() {
                    fb.report(header, &item);
                }
                Ok(())
            })
        });
    }

    /// The draft-ietf-07 dictionary (one line): its state is attached as the separate
    /// fields' is.
    #[inline(never)]
    fn dictionary<const P: usize, const I: usize>(
        &self,
        fb: &mut Feedback<'a, P, I>,
        header: &'a [u8],
    ) {
        let Some(l) = self.lenient(fb, Field::RateLimit, |v| {
            let mut tolerances = Tolerances::new();
            ratelimit::read_dictionary(v, ParseMode::Lenient, &mut tolerances)
                .map(|value| Lenient { value, tolerances })
        }) else {
            return;
        };
        let d = l.value;
        let remaining = d.remaining().map(|r| signed(r, l.tolerances));
        let reset = Some(Duration::from_secs(d.reset()));
        attach(fb, header, Some(d.limit()), remaining, reset);
    }

    /// `RateLimit-Policy`, both forms: each policy with a window or a name is declared.
    #[inline(never)]
    fn policy_declarations<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
        let header = self.lines(Field::RateLimitPolicy).name;
        self.whole(fb, Field::RateLimitPolicy, |line, _, tol, mut into| {
            policy::visit(line, ParseMode::Lenient, tol, |p, _, _| {
                if let Some(fb) = into.as_deref_mut()
                    && (p.window().is_some() || p.name().is_some())
                {
                    fb.declare(header, &p);
                }
                Ok(())
            })
        });
    }

    /// `RateLimit-Limit`, `-Remaining`, `-Reset` (draft-polli-00 to draft-ietf-06, and
    /// GitLab's variant with an epoch reset).
    pub(super) fn fields<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
        if fb.dialect != Dialect::Kong {
            fb.dialect = Dialect::IetfFields;
        }
        let expiring = self.limit_declarations(fb);
        if READS_IETF_STRUCTURED {
            // `RateLimit-Policy` beside the fields (draft-ietf-03 to -07).
            self.policy_declarations(fb);
        }
        self.fields_state(fb, expiring);
    }

    /// `RateLimit-Limit`: declares its policies; returns the expiring limit, unless the field
    /// left an entry in `ignored` (it failed, or a policy of it did not fit).
    #[inline(never)]
    fn limit_declarations<const P: usize, const I: usize>(
        &self,
        fb: &mut Feedback<'a, P, I>,
    ) -> Option<u64> {
        let header = self.lines(Field::Limit).name;
        let listed = fb.ignored.len();
        let mut expiring = None;
        // The first line is a whole Limit; later lines (the field combined) add policies:
        // every member of theirs is a quota policy, as in the combined List.
        let applied = self.whole(fb, Field::Limit, |line, first, tol, into| {
            let e = declare_limit(line, tol, !first, into.map(|fb| (fb, header)))?;
            if first {
                expiring = Some(e);
            }
            Ok(())
        });
        if !applied || fb.ignored.len() > listed {
            expiring = None;
        }
        expiring
    }

    /// `RateLimit-Remaining` and `-Reset`, attached to the policy whose quota is `expiring`.
    #[inline(never)]
    fn fields_state<const P: usize, const I: usize>(
        &self,
        fb: &mut Feedback<'a, P, I>,
        expiring: Option<u64>,
    ) {
        let remaining = self
            .lenient(fb, Field::Remaining, Remaining::parse_lenient)
            .map(|r| signed(r.value.get(), r.tolerances));
        let gitlab = self.has(Field::GitLabObserved);
        // A delay, or (`Err`) an absolute time to turn into one.
        let reset = match self
            .lenient(fb, Field::Reset, Reset::parse_lenient)
            .map(|r| r.value)
        {
            Some(Reset::Seconds(s)) if s >= EPOCH_THRESHOLD || gitlab && s > 0 => {
                // An epoch time (GitLab), not a delay.
                fb.dialect = Dialect::GitLab;
                Err(i64::try_from(s).unwrap_or(i64::MAX))
            }
            Some(Reset::Seconds(s)) => Ok(Some(Duration::from_secs(s))),
            Some(Reset::At(date)) => Err(date.unix_seconds()),
            None => Ok(None),
        };
        let reset = reset.unwrap_or_else(|at| self.delay_until(fb, Field::Reset, at));
        if gitlab {
            fb.dialect = Dialect::GitLab;
        }
        if fb.dialect == Dialect::GitLab && fb.policies.is_empty() {
            // GitLab's RateLimit-Limit counts requests per minute.
            if let Some(q) = expiring {
                let header = self.lines(Field::Limit).name;
                fb.declare_as(header, None, QuotaUnit::Requests, q, Some(60));
            }
        }
        if remaining.is_some() || reset.is_some() {
            let header = self.name_of(&[Field::Remaining, Field::Reset]);
            attach(fb, header, expiring, remaining, reset);
        }
    }
}

impl<'a, const P: usize, const I: usize> Feedback<'a, P, I> {
    /// Adds what a `RateLimit` item reports about the policy of its name.
    fn report(&mut self, header: &'a [u8], item: &ServiceLimit<'a>) {
        let name = item.name().raw();
        let mut p = PolicyFeedback::new(PolicyId::named(name.as_bytes())).with_name(name);
        p.remaining = item
            .remaining()
            .map(|r| if item.is_over_quota() { -1 } else { to_i64(r) });
        p.reset = item.reset().map(Duration::from_secs);
        self.push_or_ignore(header, p);
    }

    /// Adds the declaration a `RateLimit-Policy` item makes.
    fn declare(&mut self, header: &'a [u8], p: &Policy<'a>) {
        let (name, unit) = declared(p);
        self.declare_as(header, name, unit, p.quota(), p.window());
    }

    /// Declares `quota` per `window` seconds for the policy named `name`, or else the one of
    /// window `window`; an ignored-field entry for `header` when it does not fit. A
    /// declaration has a quota and no state: the policy's remaining and reset are kept.
    pub(super) fn declare_as(
        &mut self,
        header: &'a [u8],
        name: Option<&'a str>,
        unit: QuotaUnit,
        quota: u64,
        window: Option<u64>,
    ) {
        let id = match name {
            Some(n) => PolicyId::named(n.as_bytes()),
            None => PolicyId::window(window.unwrap_or(0)),
        };
        match self.slot(id) {
            Ok((old, _)) => {
                old.name = name.or(old.name);
                old.quota = Some(quota);
                old.window = window.map(Duration::from_secs);
                old.unit = unit;
            }
            Err(e) => self.push_ignored(header, e),
        }
    }
}

/// Attaches the legacy `Remaining`/`Reset` pair to the declared policy whose quota is the
/// expiring limit (several: the smallest window not shorter than the reset, else the smallest
/// window; none: an anonymous policy with no window).
#[inline(never)]
pub(super) fn attach<'a, const P: usize, const I: usize>(
    fb: &mut Feedback<'a, P, I>,
    header: &'a [u8],
    expiring: Option<u64>,
    remaining: Option<i64>,
    reset: Option<Duration>,
) {
    let mut best: Option<(Duration, bool, PolicyId)> = None;
    if let Some(l) = expiring {
        for p in fb.policies.iter().filter(|p| p.quota == Some(l)) {
            let Some(w) = p.window else { continue };
            let covers = reset.is_none_or(|r| w >= r);
            let better = match best {
                None => true,
                Some((bw, bcovers, _)) => (covers && !bcovers) || (covers == bcovers && w < bw),
            };
            if better {
                best = Some((w, covers, p.id));
            }
        }
    }
    let mut p = match best {
        Some((_, _, id)) => PolicyFeedback::new(id),
        None => {
            let mut p = PolicyFeedback::new(PolicyId::ANONYMOUS);
            p.quota = expiring;
            p
        }
    };
    p.remaining = remaining;
    p.reset = reset;
    fb.push_or_ignore(header, p);
}

/// Reads a line of `RateLimit-Limit` as `Limit::<P>::parse_lenient` does: returns the
/// expiring limit and, with `into`, declares each policy with a window in that `Feedback` (as
/// from `header`). With `continuation`, `value` is a later line of the field: its members are
/// all policies.
pub(super) fn declare_limit<'a, const P: usize, const I: usize>(
    value: &'a [u8],
    tol: &mut Tolerances,
    continuation: bool,
    mut into: Option<(&mut Feedback<'a, P, I>, &'a [u8])>,
) -> Result<u64, Error> {
    limit::visit(value, ParseMode::Lenient, tol, P, continuation, |p| {
        if let Some((fb, header)) = &mut into
            && p.window().is_some()
        {
            // A `RateLimit-Limit` policy has no name and counts requests.
            fb.declare_as(header, None, QuotaUnit::Requests, p.quota(), p.window());
        }
    })
}

/// The name and unit of the declaration a `RateLimit-Policy` item makes (its quota and
/// window are the item's).
fn declared<'a>(p: &Policy<'a>) -> (Option<&'a str>, QuotaUnit) {
    let name = p.name().map(|n| n.raw());
    let unit = match p.unit().map(|u| u.raw()) {
        None | Some("requests" | "request") => QuotaUnit::Requests,
        Some("content-bytes") => QuotaUnit::ContentBytes,
        Some("concurrent-requests") => QuotaUnit::ConcurrentRequests,
        Some(_) => QuotaUnit::Other,
    };
    (name, unit)
}
