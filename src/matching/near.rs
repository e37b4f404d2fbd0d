//! Near misses: which failed comparisons of a criterion are close to the
//! required value (within a tolerance), what they compare in words, and
//! the gap in words ("Staff 90, needs ≥ 100: 10 short").

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::Serialize;

use super::format::{push_quantity, rounded};
use super::result::ser_dec;
use crate::catalogue::{Catalogue, Unit};
use crate::rules::{ArithOp, CmpOp, DateOp, Eval, NoTrace, Node, NodeId, NumVal, Program, Tri, Ty};
use crate::Text;

/// Default near-miss tolerance: 20 % of the required value.
///
/// # Example
/// ```
/// assert_eq!(policy_match::matching::default_tolerance().to_string(), "0.2");
/// ```
pub fn default_tolerance() -> Decimal {
    Decimal::new(2, 1)
}

/// A not-met numeric comparison that is close.
///
/// It holds the numbers; [`NearMiss::message`] puts them in words (on
/// demand: a self-check finds hundreds of near misses and shows a few).
/// Serialised, it carries the message too.
#[derive(Clone, Debug, PartialEq)]
pub struct NearMiss {
    /// The criterion id.
    pub criterion: String,
    /// The field or derived value compared, if the comparison names one.
    pub subject: Option<String>,
    /// Its label (or, when the comparison has no name in words, the
    /// criterion's description: see `label_is_description`).
    pub label: Option<Text>,
    /// Whether `label` is the criterion's description rather than the name
    /// of what is compared.
    pub label_is_description: bool,
    /// Its unit.
    pub unit: Option<Unit>,
    /// The profile's value.
    pub actual: Decimal,
    /// The comparison (oriented as `actual op required`).
    pub op: CmpOp,
    /// The required value.
    pub required: Decimal,
    /// How far off, in the subject's unit (always ≥ 0).
    pub gap: Decimal,
}

impl NearMiss {
    /// The gap in words, in both languages, e.g. "R&D ratio 4.2%, needs ≥
    /// 5%: 0.8 points short".
    ///
    /// # Example
    /// ```
    /// # use policy_match::{matching::NearMiss, rules::CmpOp, Text};
    /// let n = NearMiss {
    ///     criterion: "C1".into(),
    ///     subject: Some("staff".into()),
    ///     label: Some(Text::new("职工人数", "Staff")),
    ///     label_is_description: false,
    ///     unit: None,
    ///     actual: 90.into(),
    ///     op: CmpOp::Ge,
    ///     required: 100.into(),
    ///     gap: 10.into(),
    /// };
    /// assert_eq!(n.message().en, "Staff 90, needs ≥ 100: 10 short");
    /// ```
    pub fn message(&self) -> Text {
        // A description ends its own sentence: "…不少于100：90，需 ≥ 100".
        let (zh, en) = match &self.label {
            Some(d) if self.label_is_description => ([d.zh.trim_end_matches(['。', '：']), "："], [d.en.trim_end_matches(['.', ':']), ":"]),
            Some(l) => ([l.zh.as_str(), ""], [l.en.as_str(), ""]),
            None => (["", ""], ["", ""]),
        };
        let mut out = Text::new(String::new(), String::new());
        near_message(&mut out, zh, en, self.unit, self.actual, self.op, self.required, self.gap);
        out
    }

    /// How many decimal places to show the actual value, the required
    /// value and the gap with: 2 ("9.78%, needs ≥ 10%: 0.22 points short"),
    /// or as many more (up to 12) as it takes for a small gap not to read
    /// "10%, needs ≥ 10%: 0 short".
    ///
    /// # Example
    /// ```
    /// # use policy_match::{matching::NearMiss, rules::CmpOp};
    /// let n = |actual: &str, gap: &str| NearMiss {
    ///     criterion: "C1".into(), subject: None, label: None, label_is_description: false, unit: None,
    ///     actual: actual.parse().unwrap(), op: CmpOp::Ge, required: 10.into(), gap: gap.parse().unwrap(),
    /// };
    /// assert_eq!(n("9.7826", "0.2174").decimals(), 2);
    /// assert_eq!(n("9.9999", "0.0001").decimals(), 4);
    /// ```
    pub fn decimals(&self) -> u32 {
        near_decimals(self.actual, self.required, self.gap)
    }
}

/// [`NearMiss::decimals`].
fn near_decimals(actual: Decimal, required: Decimal, gap: Decimal) -> u32 {
    (2..=12).find(|&dp| !gap.round_dp(dp).is_zero() && actual.round_dp(dp) != required.round_dp(dp)).unwrap_or(12)
}

impl Serialize for NearMiss {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("NearMiss", 9)?;
        st.serialize_field("criterion", &self.criterion)?;
        st.serialize_field("subject", &self.subject)?;
        st.serialize_field("label", &self.label)?;
        st.serialize_field("unit", &self.unit)?;
        st.serialize_field("actual", &Num(self.actual))?;
        st.serialize_field("op", &self.op)?;
        st.serialize_field("required", &Num(self.required))?;
        st.serialize_field("gap", &Num(self.gap))?;
        st.serialize_field("message", &self.message())?;
        st.end()
    }
}

/// A decimal serialised as [`ser_dec`] does.
struct Num(Decimal);

impl Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ser_dec(&self.0, s)
    }
}

pub(super) struct Near {
    subject: Option<NodeId>,
    actual: Decimal,
    op: CmpOp,
    required: Decimal,
    gap: Decimal,
}

impl Near {
    /// How far off, relative to the required value (compared between the
    /// alternatives of an `any`).
    fn relative(&self) -> Decimal {
        self.gap.checked_div(self.required.abs()).unwrap_or(Decimal::MAX)
    }

    /// Write this near miss of `criterion` into `x` (a recycled near miss:
    /// its strings keep their buffers).
    pub(super) fn write_near_miss(&self, cat: &Catalogue, criterion: &crate::catalogue::Criterion, x: &mut NearMiss) {
        x.criterion.clone_from(&criterion.id);
        let subject = self.subject.and_then(|s| match &cat.program.nodes[s as usize] {
            Node::Field(f) => Some(cat.fields[*f as usize].name()),
            Node::Derived(d) => Some(cat.derived[*d as usize].name.as_str()),
            _ => None,
        });
        match (&mut x.subject, subject) {
            (Some(to), Some(from)) => {
                to.clear();
                to.push_str(from);
            }
            (to, from) => *to = from.map(str::to_string),
        }
        let (actual, op, required, gap) = (self.actual, self.op, self.required, self.gap);
        x.actual = actual;
        x.op = op;
        x.required = required;
        x.gap = gap;
        // What is compared, in words: a field's or derived value's label, a
        // sum or difference of them, a number of days or years between two
        // dates; otherwise the criterion's own description.
        match self.subject.and_then(|s| describe(cat, s, 0)) {
            Some((l, u)) => {
                x.unit = u;
                x.label_is_description = false;
                set_text(&mut x.label, &l);
            }
            None => {
                x.unit = None;
                x.label_is_description = true;
                set_text(&mut x.label, &criterion.description);
            }
        }
    }
}

impl NearMiss {
    /// An empty near miss, to be written by [`Near::write_near_miss`].
    pub(super) fn blank() -> NearMiss {
        NearMiss {
            criterion: String::new(),
            subject: None,
            label: None,
            label_is_description: false,
            unit: None,
            actual: Decimal::ZERO,
            op: CmpOp::Ge,
            required: Decimal::ZERO,
            gap: Decimal::ZERO,
        }
    }
}

/// `*to = Some(from.clone())`, reusing `to`'s buffers.
fn set_text(to: &mut Option<Text>, from: &Text) {
    match to {
        Some(t) => {
            t.zh.clone_from(&from.zh);
            t.en.clone_from(&from.en);
        }
        None => *to = Some(from.clone()),
    }
}

/// A numeric expression in words, with its unit, if it reads naturally:
/// a field or derived value (its label), a sum or difference of such with
/// one unit ("2024年研发费用 + 2025年研发费用"), or days/years between two
/// dates ("days from Registration date to the as-of date").
fn describe(cat: &Catalogue, n: NodeId, depth: u8) -> Option<(Cow<'_, Text>, Option<Unit>)> {
    let prog = &cat.program;
    match prog.nodes.get(n as usize)? {
        Node::Field(f) => {
            let f = cat.fields.get(*f as usize)?;
            Some((Cow::Borrowed(&f.def.label), f.def.unit))
        }
        Node::Derived(d) => {
            let d = cat.derived.get(*d as usize)?;
            Some((Cow::Borrowed(&d.label), d.unit))
        }
        Node::Arith(op @ (ArithOp::Add | ArithOp::Sub), s, e) if depth < 2 => {
            let sep = if *op == ArithOp::Add { " + " } else { " − " };
            let mut parts = prog.kids(*s, *e).iter().map(|&k| describe(cat, k, depth + 1));
            let (text, unit) = parts.next()??;
            let mut text = text.into_owned();
            for p in parts {
                let (t, u) = p?;
                if u != unit {
                    return None;
                }
                text.zh.push_str(sep);
                text.zh.push_str(&t.zh);
                text.en.push_str(sep);
                text.en.push_str(&t.en);
            }
            Some((Cow::Owned(text), unit))
        }
        Node::DateDiff(op, a, b) => {
            let date = |k: NodeId| match prog.nodes.get(k as usize)? {
                Node::AsOf => Some(Text::new("评估日", "the as-of date")),
                Node::Field(f) => cat.fields.get(*f as usize).map(|f| f.def.label.clone()),
                Node::Derived(d) => cat.derived.get(*d as usize).map(|d| d.label.clone()),
                _ => None,
            };
            let (from, to) = (date(*a)?, date(*b)?);
            let (zh_unit, en_unit, unit) = match op {
                DateOp::DaysBetween => ("天数", "Days", Unit::Days),
                DateOp::YearsBetween => ("整年数", "Whole years", Unit::Years),
            };
            Some((Cow::Owned(Text::new(format!("{}至{}的{zh_unit}", from.zh, to.zh), format!("{en_unit} from {} to {}", from.en, to.en))), Some(unit)))
        }
        _ => None,
    }
}

/// Whether a failed node is a near miss; pushes the near comparisons
/// (only when it is one: `out` is left as it was otherwise). The values it
/// needs (comparison operands, which parts of an `all` failed) are
/// evaluated on demand by the untraced evaluator.
pub(super) fn near(prog: &Program, ev: &mut Eval<'_, '_, NoTrace>, node: NodeId, tol: Decimal, out: &mut Vec<Near>) -> bool {
    match prog.nodes.get(node as usize) {
        Some(Node::Cmp(op, Ty::Num, a, b)) if !matches!(op, CmpOp::Eq | CmpOp::Ne) => {
            let (NumVal::Val(x), NumVal::Val(y)) = (ev.num(*a), ev.num(*b)) else { return false };
            // Orient as `actual op required`, the actual being the non-literal side.
            let b_is_lit = matches!(prog.nodes[*b as usize], Node::Num(_));
            let a_is_lit = matches!(prog.nodes[*a as usize], Node::Num(_));
            let (actual, op, required, subject) = if a_is_lit && !b_is_lit { (y, op.mirror(), x, *b) } else { (x, *op, y, *a) };
            let Some(gap) = near_gap(actual, op, required, tol) else { return false };
            out.push(Near { subject: Some(subject), actual, op, required, gap });
            true
        }
        Some(Node::All(s, e)) => {
            let start = out.len();
            for &k in prog.kids(*s, *e) {
                if ev.bool(k) == Tri::False && !near(prog, ev, k, tol, out) {
                    out.truncate(start);
                    return false;
                }
            }
            out.len() > start
        }
        Some(Node::Any(s, e)) => {
            // The alternative whose worst near comparison is the closest
            // (the first of equals); its comparisons stay in `out[start..]`.
            let start = out.len();
            let (mut kept, mut best) = (false, None);
            let worst = |v: &[Near]| v.iter().map(Near::relative).max().unwrap_or_default();
            for &k in prog.kids(*s, *e) {
                let here = out.len();
                if !near(prog, ev, k, tol, out) {
                    continue;
                }
                if !kept {
                    kept = true;
                    continue;
                }
                let w = worst(&out[here..]);
                let b = *best.get_or_insert_with(|| worst(&out[start..here]));
                if w < b {
                    out.drain(start..here);
                    best = Some(w);
                } else {
                    out.truncate(here);
                }
            }
            kept
        }
        _ => false,
    }
}

/// How far `actual` is from meeting `actual op required`, when that is
/// within `tol` (a fraction) of the required value: `gap / |required| <=
/// tol`, tested without a division. `None` when it is further, or met, or
/// the required value is 0, or the gap is beyond the decimal range.
fn near_gap(actual: Decimal, op: CmpOp, required: Decimal, tol: Decimal) -> Option<Decimal> {
    if required.is_zero() {
        return None;
    }
    let gap = if matches!(op, CmpOp::Ge | CmpOp::Gt) { required.checked_sub(actual)? } else { actual.checked_sub(required)? };
    if gap.is_sign_negative() {
        return None;
    }
    let limit = tol.checked_mul(required.abs())?;
    (gap <= limit).then_some(gap)
}

/// Write the gap in words into `out`, e.g. "R&D
/// ratio 4.2%, needs ≥ 5%: 0.8 points short"; the label is the
/// concatenation of its parts.
#[allow(clippy::too_many_arguments)]
fn near_message(out: &mut Text, zh_label: [&str; 2], en_label: [&str; 2], unit: Option<Unit>, actual: Decimal, op: CmpOp, required: Decimal, gap: Decimal) {
    let sym = op.math();
    let short = matches!(op, CmpOp::Ge | CmpOp::Gt);
    // A strict limit met exactly (70 where "> 70" is needed) is not "0 short".
    let at_limit = gap.is_zero();
    // Each number is formatted once, for both languages.
    let dp = near_decimals(actual, required, gap);
    let (actual, required, gap) = (rounded(actual, dp), rounded(required, dp), rounded(gap, dp));
    let (actual, required, gap) = (actual.as_str(), required.as_str(), gap.as_str());
    let zh = &mut out.zh;
    zh.clear();
    zh.push_str(zh_label[0]);
    zh.push_str(zh_label[1]);
    if !zh.ends_with('：') {
        zh.push(' ');
    }
    push_quantity(zh, actual, unit, false);
    zh.push_str("，需 ");
    zh.push_str(sym);
    zh.push(' ');
    push_quantity(zh, required, unit, false);
    zh.push('：');
    zh.push_str(match (at_limit, short) {
        (true, true) => "正好等于门槛，需高于该值",
        (true, false) => "正好等于门槛，需低于该值",
        (false, true) => "还差",
        (false, false) => "超出",
    });
    let en = &mut out.en;
    en.clear();
    en.push_str(en_label[0]);
    en.push_str(en_label[1]);
    en.push(' ');
    push_quantity(en, actual, unit, true);
    en.push_str(", needs ");
    en.push_str(sym);
    en.push(' ');
    push_quantity(en, required, unit, true);
    en.push_str(": ");
    if at_limit {
        en.push_str(if short { "exactly at the limit, must be above it" } else { "exactly at the limit, must be below it" });
        return;
    }
    if unit == Some(Unit::Percent) {
        zh.push_str(gap);
        zh.push_str("个百分点");
        en.push_str(gap);
        en.push_str(" points");
    } else {
        push_quantity(zh, gap, unit, false);
        push_quantity(en, gap, unit, true);
    }
    en.push(' ');
    en.push_str(if short { "short" } else { "over" });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `near_gap` gives what exact rational arithmetic gives: random
    /// values of one scale and of mixed scales, both orientations, limits
    /// met exactly, a zero requirement, values near the largest decimal
    /// (where the gap would overflow).
    #[test]
    fn near_gap_is_exact() {
        fn reference(actual: Decimal, op: CmpOp, required: Decimal, tol: Decimal) -> Option<Decimal> {
            if required.is_zero() {
                return None;
            }
            let gap = if matches!(op, CmpOp::Ge | CmpOp::Gt) { required.checked_sub(actual)? } else { actual.checked_sub(required)? };
            // gap / |required| <= tol, by exact rational comparison in i128
            // where the numbers allow (they do: at most 12 digits here).
            let (g, r, t) = (gap.mantissa(), required.abs().mantissa(), tol.mantissa());
            let (gs, rs, ts) = (gap.scale(), required.scale(), tol.scale());
            let scale = |m: i128, by: u32| m * 10i128.pow(by);
            let top = gs.max(rs + ts);
            let near = g >= 0 && scale(g, top - gs) <= scale(t * r, top - rs - ts);
            near.then_some(gap)
        }
        let mut r = crate::synth::Rng::new(9);
        let tols: Vec<Decimal> = ["0.2", "0", "0.05", "1", "0.125"].iter().map(|s| s.parse().unwrap()).collect();
        let mut pairs: Vec<(Decimal, Decimal)> = vec![
            (Decimal::from(80), Decimal::from(100)),
            (Decimal::from(100), Decimal::from(100)),
            (Decimal::from(5), Decimal::ZERO),
            (Decimal::new(42, 3), Decimal::new(5, 2)),
            (Decimal::new(-90, 0), Decimal::new(-100, 0)),
        ];
        for _ in 0..20_000 {
            let m = |r: &mut crate::synth::Rng| (r.next_u64() % 2_000_000) as i64 - 1_000_000;
            let (sa, sr) = if r.percent(70) {
                let s = r.below(4) as u32;
                (s, s)
            } else {
                (r.below(4) as u32, r.below(4) as u32)
            };
            pairs.push((Decimal::new(m(&mut r), sa), Decimal::new(m(&mut r), sr)));
        }
        for (a, q) in pairs {
            for op in [CmpOp::Ge, CmpOp::Gt, CmpOp::Le, CmpOp::Lt] {
                for &t in &tols {
                    assert_eq!(near_gap(a, op, q, t), reference(a, op, q, t), "{a} {op:?} {q} within {t}");
                }
            }
        }
        // The largest decimals: the gap overflows, which is not near (and no panic).
        assert_eq!(near_gap(Decimal::MIN, CmpOp::Ge, Decimal::MAX, Decimal::ONE), None);
        assert_eq!(near_gap(Decimal::MAX, CmpOp::Le, Decimal::MIN, Decimal::ONE), None);
    }
}
