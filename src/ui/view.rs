//! View-models: what the components show, computed from the state with
//! plain functions (tested natively): the three result groups under the
//! filter, window badges, the estimated total, explanation rows and
//! near-miss wording.

use rust_decimal::Decimal;

use super::format::{self, money, quantity};
use super::state::{Filter, Outcome, State};
use crate::catalogue::{Catalogue, Policy, Unit};
use crate::matching::{CriterionExplanation, ExplainNode, NearMiss, Verdict};
use crate::rules::{CmpOp, Date, Tri, Value};
use crate::Lang;

/// The policies shown in each group, in display order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Groups {
    /// Qualifies: the most valuable first.
    pub qualifies: Vec<u32>,
    /// Undecided: the fewest missing answers first.
    pub undecided: Vec<u32>,
    /// Does not qualify: within reach first.
    pub not_qualify: Vec<u32>,
}

impl Groups {
    /// How many policies pass the filter.
    pub fn shown(&self) -> usize {
        self.qualifies.len() + self.undecided.len() + self.not_qualify.len()
    }
}

/// Split the policies into the three groups, keeping those that pass the filter.
pub fn groups(cat: &Catalogue, outcome: &Outcome, filter: &Filter) -> Groups {
    let mut g = Groups::default();
    for i in browse(cat, filter) {
        let Some(r) = outcome.results.get(i as usize) else { continue };
        match r.verdict {
            Verdict::Qualifies => g.qualifies.push(i),
            Verdict::Undecided => g.undecided.push(i),
            Verdict::DoesNotQualify => g.not_qualify.push(i),
        }
    }
    let res = |i: u32| &outcome.results[i as usize];
    // Whole yuan are enough to order by value (most first).
    let amount =
        |i: u32| res(i).benefit.as_ref().and_then(|b| b.amount).map_or(i64::MIN, |a| a.trunc().mantissa().clamp(i64::MIN as i128, i64::MAX as i128) as i64);
    // Those that cannot be claimed on the as-of date last.
    rank(&mut g.qualifies, |i| if res(i).in_force { amount(i).saturating_neg().min(i64::MAX - 1) } else { i64::MAX });
    rank(&mut g.undecided, |i| res(i).missing.len() as i64);
    rank(&mut g.not_qualify, |i| i64::from(!res(i).within_reach));
    g
}

/// The policies (indices, in catalogue order) that pass `filter`: the browse
/// mode's list, and what [`groups`] splits by verdict.
pub fn browse(cat: &Catalogue, filter: &Filter) -> Vec<u32> {
    // ASCII case folding: Chinese has no case, and the Unicode case tables
    // would cost 8 KB of gzip in the wasm.
    let q = filter.query.trim().to_ascii_lowercase();
    (0..cat.policies.len() as u32)
        .filter(|&i| cat.policies.get(i as usize).is_some_and(|p| filter.category.is_none_or(|c| c == p.category) && (q.is_empty() || matches(p, &q))))
        .collect()
}

/// Order policy indices by `key`, ties in catalogue order (one sort for all lists).
pub(crate) fn rank(v: &mut [u32], key: impl Fn(u32) -> i64) {
    let mut keyed: Vec<(i64, u32)> = v.iter().map(|&i| (key(i), i)).collect();
    keyed.sort_unstable();
    for (slot, (_, i)) in v.iter_mut().zip(keyed) {
        *slot = i;
    }
}

/// Whether a policy mentions `q` (already lower-cased) in either language.
fn matches(p: &Policy, q: &str) -> bool {
    let has = |s: &str| s.to_ascii_lowercase().contains(q);
    let text = |t: &crate::Text| has(&t.zh) || has(&t.en);
    text(&p.title)
        || text(&p.issuer)
        || p.summary.as_ref().is_some_and(text)
        || p.documents.iter().any(|d| has(d))
        || p.tags.iter().any(|t| has(t))
        || has(&p.id)
}

/// The estimated value of the qualifying policies in force on the as-of
/// date ([`crate::matching::estimated_total`]).
pub fn estimated_total(cat: &Catalogue, outcome: &Outcome) -> Option<Decimal> {
    crate::matching::estimated_total(cat, &outcome.results)
}

/// A status badge on a policy card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Badge {
    /// The CSS modifier: `expired`, `future`, `closed`, `upcoming`, `soon`, `open`.
    pub kind: &'static str,
    /// The text.
    pub text: String,
}

/// Validity and application-window badges on the as-of date.
///
/// ```
/// # use policy_match::catalogue::Catalogue;
/// # use policy_match::ui::{view::badges, Lang};
/// # let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
/// #   "policies": [{"id": "p", "title": {"zh": "p", "en": "p"}, "issuer": {"zh": "i", "en": "i"}, "category": "tax",
/// #     "application": {"opens": "2026-06-01", "closes": "2026-07-13"}, "criteria": [{"id": "C1", "description": {"zh": "c", "en": "c"}, "rule": {"==": [1, 1]}}]}]}"#).unwrap();
/// let b = badges(&cat.policies[0], "2026-07-01".parse().unwrap(), Lang::En);
/// assert_eq!(b[0].text, "Closes in 12 days");
/// ```
pub fn badges(p: &Policy, as_of: Date, lang: Lang) -> Vec<Badge> {
    let s = lang.s();
    let d = |x: Date| format::date(x, lang);
    if let Some(until) = p.ended_before(as_of) {
        return vec![Badge { kind: "expired", text: lang.expired_on(&d(until)) }];
    }
    let mut out = Vec::new();
    if let Some(from) = p.valid_from.filter(|f| *f > as_of) {
        out.push(Badge { kind: "future", text: lang.in_force_from(&d(from)) });
    }
    if let Some(a) = &p.application {
        let (opens, closes) = (a.opens.map(|x| x.0), a.closes.map(|x| x.0));
        if closes.is_some_and(|c| c < as_of) {
            out.push(Badge { kind: "closed", text: s.closed.into() });
        } else if let Some(o) = opens.filter(|o| *o > as_of) {
            out.push(Badge { kind: "upcoming", text: lang.opens_on(&d(o)) });
        } else if let Some(c) = closes {
            let days = Date::days_between(as_of, c);
            if days <= 30 {
                out.push(Badge { kind: "soon", text: lang.closes_in(days) });
            } else {
                out.push(Badge { kind: "open", text: lang.apply_by(&d(c)) });
            }
        }
    }
    out
}

/// A near miss in the person's own terms: "2025年营业收入为760万元，要求 ≥ 1,000万元，还差240万元".
pub fn near_text(nm: &NearMiss, lang: Lang) -> String {
    let s = lang.s();
    let label = nm.label.as_ref().map_or(lang.either("数值", "Value"), |l| lang.pick(l));
    // Two decimals, or more where two would hide the gap.
    let dp = nm.decimals();
    let q = |d: Decimal| format::quantity_dp(d, nm.unit, lang, dp);
    let gap = if nm.unit == Some(Unit::Percent) { format!("{}{}{}", format::number_dp(nm.gap, dp), lang.either("", " "), s.pct_points) } else { q(nm.gap) };
    let short = matches!(nm.op, CmpOp::Ge | CmpOp::Gt);
    let sym = nm.op.math();
    if nm.gap.is_zero() {
        // A strict limit met exactly: not "0 short".
        return match lang {
            Lang::Zh => format!("{label}为{}，要求 {sym} {}，正好等于门槛，需{}该值", q(nm.actual), q(nm.required), if short { "高于" } else { "低于" }),
            Lang::En => format!(
                "{label} is {}, needs {sym} {}: exactly at the limit, must be {} it",
                q(nm.actual),
                q(nm.required),
                if short { "above" } else { "below" }
            ),
        };
    }
    match lang {
        Lang::Zh => format!("{label}为{}，要求 {sym} {}，{}{gap}", q(nm.actual), q(nm.required), if short { s.short_by } else { s.over_by }),
        Lang::En => format!("{label} is {}, needs {sym} {}: {} {gap}", q(nm.actual), q(nm.required), if short { s.short_by } else { s.over_by }),
    }
}

/// ✓ / ✗ / ?
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Met.
    Met,
    /// Not met.
    NotMet,
    /// Undecided.
    Unknown,
}

impl Mark {
    /// From the engine's three-valued outcome.
    pub fn of(t: Tri) -> Mark {
        match t {
            Tri::True => Mark::Met,
            Tri::False => Mark::NotMet,
            Tri::Unknown => Mark::Unknown,
        }
    }

    /// The symbol shown.
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Met => "✓",
            Mark::NotMet => "✗",
            Mark::Unknown => "?",
        }
    }

    /// The CSS modifier.
    pub fn class(self) -> &'static str {
        match self {
            Mark::Met => "met",
            Mark::NotMet => "not-met",
            Mark::Unknown => "unknown",
        }
    }

    /// The words for screen readers.
    pub fn words(self, lang: Lang) -> &'static str {
        let s = lang.s();
        match self {
            Mark::Met => s.met,
            Mark::NotMet => s.not_met,
            Mark::Unknown => s.unknown,
        }
    }
}

/// One line of an explanation: what was tested, the actual value, the
/// required value, the answers still missing.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Nesting depth under the criterion.
    pub depth: u8,
    /// Met, not met, undecided (none for plain values such as score parts).
    pub mark: Option<Mark>,
    /// What is tested.
    pub label: String,
    /// The enterprise's value.
    pub actual: Option<String>,
    /// The requirement ("≥ 1,500万元").
    pub required: Option<String>,
    /// Field slots still missing here.
    pub missing: Vec<u32>,
    /// The fields this line reads (to change an answer).
    pub fields: Vec<u32>,
}

/// One criterion of an expanded card.
#[derive(Clone, Debug, PartialEq)]
pub struct CriterionView {
    /// Criterion id (`C1`).
    pub id: String,
    /// ✓ / ✗ / ?
    pub mark: Mark,
    /// The criterion in words (catalogue text).
    pub description: String,
    /// How the policy text was read.
    pub note: Option<String>,
    /// The facts under it.
    pub rows: Vec<Row>,
    /// Near misses in words.
    pub near: Vec<String>,
    /// Field slots still missing.
    pub missing: Vec<u32>,
}

/// The explanation of one criterion as rows.
pub fn criterion_view(cat: &Catalogue, c: &CriterionExplanation, lang: Lang) -> CriterionView {
    let b = RowBuilder { cat, lang };
    let mut rows = Vec::new();
    b.walk(&c.tree, 0, &mut rows);
    CriterionView {
        id: c.id.clone(),
        mark: Mark::of(c.outcome),
        description: lang.pick(&c.description).to_string(),
        note: c.note.as_ref().map(|n| lang.pick(n).to_string()),
        rows,
        near: c.near_misses.iter().map(|n| near_text(n, lang)).collect(),
        missing: slots(cat, &c.missing_fields),
    }
}

fn slots(cat: &Catalogue, names: &[String]) -> Vec<u32> {
    names.iter().filter_map(|n| cat.field_slot(n)).collect()
}

struct RowBuilder<'a> {
    cat: &'a Catalogue,
    lang: Lang,
}

impl RowBuilder<'_> {
    fn walk(&self, n: &ExplainNode, depth: u8, out: &mut Vec<Row>) {
        let s = self.lang.s();
        let mark = n.outcome.map(Mark::of);
        match n.op.as_str() {
            "all" | "any" | "not" if n.children.len() == 1 && n.op != "not" => self.walk(&n.children[0], depth, out),
            "all" | "any" | "not" => {
                let label = match n.op.as_str() {
                    "all" => s.all_of,
                    "any" => s.any_of,
                    _ => s.none_of,
                };
                out.push(Row { depth, mark, label: label.into(), actual: None, required: None, missing: Vec::new(), fields: Vec::new() });
                for c in &n.children {
                    self.walk(c, depth.saturating_add(1), out);
                }
            }
            "==" | "!=" | "<" | "<=" | ">" | ">=" if n.children.len() == 2 => self.compare(n, depth, out),
            "in" | "not_in" | "contains" | "contains_any" | "contains_all" if n.children.len() == 2 => {
                let (subject, set) = (&n.children[0], &n.children[1]);
                let field = self.field_def(subject);
                let mut items: Vec<String> = if set.op == "list" {
                    set.children.iter().map(|c| self.value_text(c, field, None)).collect()
                } else {
                    vec![self.value_text(set, field, None)]
                };
                if field.is_some_and(|f| f.reads_city()) {
                    items = city_spellings(items, self.lang);
                }
                // No colon: the row already reads "要求：" / "needs: ".
                let lead = match (n.op.as_str(), self.lang) {
                    ("in", Lang::Zh) => "属于 ",
                    ("in", Lang::En) => "one of ",
                    ("not_in", Lang::Zh) => "不属于 ",
                    ("not_in", Lang::En) => "none of ",
                    ("contains", Lang::Zh) => "包含 ",
                    ("contains", Lang::En) => "includes ",
                    ("contains_any", Lang::Zh) => "包含其中任一 ",
                    ("contains_any", Lang::En) => "includes any of ",
                    (_, Lang::Zh) => "包含全部 ",
                    (_, Lang::En) => "includes all of ",
                };
                out.push(Row {
                    depth,
                    mark,
                    label: self.label(subject),
                    actual: Some(self.value_text(subject, field, subject.unit)),
                    required: Some(format!("{lead}{}", format::join(items.into_iter(), self.lang))),
                    missing: slots(self.cat, &n.missing),
                    fields: self.fields_in(subject),
                });
            }
            "some" | "every" | "none" if !n.children.is_empty() => {
                let subject = &n.children[0];
                let field = self.field_def(subject);
                out.push(Row {
                    depth,
                    mark,
                    label: self.label(subject),
                    actual: Some(self.value_text(subject, field, None)),
                    required: None,
                    missing: slots(self.cat, &n.missing),
                    fields: self.fields_in(subject),
                });
            }
            "policy" => {
                let verdict = match &n.value {
                    Some(Value::Str(v)) if &**v == "qualifies" => s.qualifies,
                    Some(Value::Str(v)) if &**v == "does_not_qualify" => s.not_qualify,
                    _ => s.undecided,
                };
                let title = n.label.as_ref().map_or_else(|| n.name.clone().unwrap_or_default(), |l| self.lang.pick(l).to_string());
                out.push(Row {
                    depth,
                    mark,
                    label: format!("{}{title}{}", s.policy, self.lang.either("」", "”")),
                    actual: Some(verdict.into()),
                    required: Some(s.qualifies.into()),
                    missing: slots(self.cat, &n.missing),
                    fields: Vec::new(),
                });
            }
            "provided" => {
                let filled = if mark == Some(Mark::Met) { self.lang.either("已填写", "answered") } else { s.not_answered };
                let fields = n.name.as_deref().and_then(|f| self.cat.field_slot(f)).into_iter().collect();
                out.push(Row { depth, mark, label: self.label(n), actual: Some(filled.into()), required: None, missing: Vec::new(), fields });
            }
            _ if mark.is_some() && n.children.iter().any(|c| c.outcome.is_some()) && !matches!(n.op.as_str(), "field" | "derived") => {
                // Another boolean operator (if): show its boolean parts.
                for c in n.children.iter().filter(|c| c.outcome.is_some()) {
                    self.walk(c, depth, out);
                }
            }
            _ => out.push(Row {
                depth,
                mark,
                label: self.label(n),
                actual: Some(self.value_text(n, self.field_def(n), n.unit)),
                required: None,
                missing: slots(self.cat, &n.missing),
                fields: self.fields_in(n),
            }),
        }
    }

    fn compare(&self, n: &ExplainNode, depth: u8, out: &mut Vec<Row>) {
        let (a, b) = (&n.children[0], &n.children[1]);
        let subject_like = |x: &ExplainNode| x.op != "literal" && x.op != "as_of";
        // The actual is the side that reads the profile; the other is the requirement.
        let (subject, other, swapped) = if subject_like(a) || !subject_like(b) { (a, b, false) } else { (b, a, true) };
        let op = match (n.op.as_str(), swapped) {
            (">=", false) | ("<=", true) => "≥",
            (">", false) | ("<", true) => ">",
            ("<=", false) | (">=", true) => "≤",
            ("<", false) | (">", true) => "<",
            ("!=", _) => "≠",
            _ => "",
        };
        let unit = self.unit_of(subject);
        let field = self.field_def(subject);
        let required = self.value_text(other, field, unit);
        out.push(Row {
            depth,
            mark: n.outcome.map(Mark::of),
            label: self.label(subject),
            actual: Some(self.value_text(subject, field, unit)),
            // A requirement computed from a blank answer (a band over a missing field) says nothing.
            required: (!matches!(other.value, Some(Value::Missing))).then(|| if op.is_empty() { required } else { format!("{op} {required}") }),
            missing: slots(self.cat, &n.missing),
            fields: self.fields_in(subject),
        });
        if subject.op == "score" {
            for part in &subject.children {
                out.push(Row {
                    depth: depth.saturating_add(1),
                    mark: None,
                    label: part.label.as_ref().map_or_else(String::new, |l| self.lang.pick(l).to_string()),
                    actual: Some(self.value_text(part, None, Some(Unit::Points))),
                    required: None,
                    missing: slots(self.cat, &part.missing),
                    fields: self.fields_in(part),
                });
            }
        }
    }

    /// The field slots a node reads (its `field` nodes, in order, once each).
    fn fields_in(&self, n: &ExplainNode) -> Vec<u32> {
        fn walk(cat: &Catalogue, n: &ExplainNode, out: &mut Vec<u32>) {
            if n.op == "field" || n.op == "provided" {
                if let Some(f) = n.name.as_deref().and_then(|f| cat.field_slot(f)) {
                    if !out.contains(&f) {
                        out.push(f);
                    }
                }
            }
            for c in &n.children {
                walk(cat, c, out);
            }
        }
        let mut out = Vec::new();
        walk(self.cat, n, &mut out);
        out
    }

    /// What a node is about: its own label, else the first label below it.
    fn label(&self, n: &ExplainNode) -> String {
        if let Some(l) = &n.label {
            return self.lang.pick(l).to_string();
        }
        let base = n.children.iter().map(|c| self.label(c)).find(|l| !l.is_empty()).unwrap_or_default();
        match (n.op.as_str(), self.lang) {
            ("years_between", Lang::Zh) => format!("{base}至今的年数"),
            ("years_between", Lang::En) => format!("Years since {}", lower_first(&base)),
            ("days_between", Lang::Zh) => format!("{base}至今的天数"),
            ("days_between", Lang::En) => format!("Days since {}", lower_first(&base)),
            ("score", Lang::Zh) => "评价总分".into(),
            ("score", Lang::En) => "Total score".into(),
            ("count", Lang::Zh) => format!("{base}（符合条件的项数）"),
            ("count", Lang::En) => format!("{base} (matching items)"),
            // A date computed from a field (its issue date + 3 years) is
            // not the field: shown under the field's own label it would
            // read as the answer given.
            ("add_years" | "add_months" | "add_days", lang) => {
                let by: i64 = n.detail.as_deref().and_then(|d| d.parse().ok()).unwrap_or(0);
                let unit = match n.op.as_str() {
                    "add_years" => Unit::Years,
                    "add_months" => Unit::Months,
                    _ => Unit::Days,
                };
                let span = quantity(Decimal::from(by.unsigned_abs()), Some(unit), lang);
                match lang {
                    Lang::Zh => format!("{}{}{span}", if base.is_empty() { "评估日期" } else { &base }, if by < 0 { "前" } else { "后" }),
                    Lang::En => {
                        let of = if base.is_empty() { "the assessment date".into() } else { lower_first(&base) };
                        format!("{span} {} {of}", if by < 0 { "before" } else { "after" })
                    }
                }
            }
            _ => base,
        }
    }

    fn unit_of(&self, n: &ExplainNode) -> Option<Unit> {
        match n.op.as_str() {
            "years_between" => Some(Unit::Years),
            "days_between" => Some(Unit::Days),
            "score" => Some(Unit::Points),
            "count" => None,
            _ => n.unit.or_else(|| n.children.iter().find_map(|c| self.unit_of(c))),
        }
    }

    fn field_def(&self, n: &ExplainNode) -> Option<&crate::catalogue::FieldDef> {
        (n.op == "field").then(|| n.name.as_deref().and_then(|f| self.cat.field(f))).flatten().map(|f| &f.def)
    }

    /// A node's value for people; a value known only within bounds (a score
    /// whose missing part cannot change the outcome) as its range, `60–90分`.
    fn value_text(&self, n: &ExplainNode, field: Option<&crate::catalogue::FieldDef>, unit: Option<Unit>) -> String {
        let text = |v: &Value| format::value(v, field, unit, self.lang);
        match (&n.value, &n.range) {
            (_, Some([lo, hi])) => {
                let (lo, hi) = (text(lo), text(hi));
                // One unit for both: `60–90分`, `10–50万元`.
                let unit_at = hi.rfind(|c: char| c.is_ascii_digit()).map_or(hi.len(), |i| i + 1);
                let lo = lo.strip_suffix(&hi[unit_at..]).filter(|_| unit_at < hi.len()).unwrap_or(&lo).trim_end();
                format!("{lo}–{hi}")
            }
            (Some(v), None) => text(v),
            (None, None) => "—".into(),
        }
    }
}

/// The places of a city rule's list as a reader of `lang` names them. The
/// list holds every spelling a profile may use (`Hangzhou`, `杭州`, `杭州市`,
/// `建德市`, `建德`, `Jiande`, …): Chinese shows the spellings in Chinese
/// characters, English the others, all of them when `lang` has none; a
/// spelling that begins another one (`杭州` of `杭州市`, `hangzhou` of
/// `Hangzhou`, ignoring ASCII case) is left out for it.
fn city_spellings(items: Vec<String>, lang: Lang) -> Vec<String> {
    let ours = |s: &str| s.chars().any(|c| c >= '\u{2e80}') == (lang == Lang::Zh);
    let mine = items.iter().any(|s| ours(s));
    let mut out = Vec::new();
    for (i, s) in items.iter().enumerate() {
        // Left out when not in the reader's script, or for another spelling shown that
        // begins with it: a longer one, or the first of two equal but for case.
        let mut covered = mine && !ours(s);
        for (j, o) in items.iter().enumerate() {
            covered |= j != i
                && (!mine || ours(o))
                && o.as_bytes().get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s.as_bytes()))
                && (o.len() > s.len() || j < i);
        }
        if !covered {
            out.push(s.clone());
        }
    }
    out
}

/// A label to follow other words: "Issue date" → "issue date", but an
/// acronym keeps its capitals ("HNTE certificate", not "hNTE certificate").
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.clone().next()) {
        (Some(f), next) if !next.is_some_and(|n| n.is_ascii_uppercase()) => std::iter::once(f.to_ascii_lowercase()).chain(c).collect(),
        _ => s.to_string(),
    }
}

/// Per section: answered questions, questions some undecided policy needs, all questions.
pub fn section_counts(state: &State, section: usize) -> (usize, usize, usize) {
    let Some(sec) = state.sections.get(section) else { return (0, 0, 0) };
    let answered = sec.fields.iter().filter(|&&f| state.profile.values[f as usize].is_provided()).count();
    let needed = sec.fields.iter().filter(|&&f| state.outcome.needed[f as usize] > 0 && !state.entries[f as usize].skipped).count();
    (answered, needed, sec.fields.len())
}

/// A benefit amount as shown on a card.
pub fn amount_text(d: Decimal, lang: Lang) -> String {
    money(d, lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::state::tests::{answer, as_of, both, case_profile, national};
    use crate::ui::state::{Action, Source, State};

    fn sme_state() -> State {
        let mut s = State::new(national(), as_of());
        let values = case_profile(include_str!("../../tests/cases/profiles/software_sme_hnte.json"));
        s.apply(Action::Load { json: serde_json::Value::Object(values).to_string(), source: Source::File });
        s
    }

    fn idx(s: &State, id: &str) -> u32 {
        s.cat.policy_index(id).unwrap()
    }

    #[test]
    fn browse_lists_in_catalogue_order_and_filters() {
        let s = sme_state();
        let all: Vec<u32> = (0..16).collect();
        assert_eq!(browse(&s.cat, &Filter::default()), all, "16 national policies, in catalogue order");
        // Employment: the 2026 UI refund, the job-expansion subsidy, the graduate insurance subsidy.
        let f = Filter { category: Some(crate::catalogue::Category::Employment), query: String::new() };
        assert_eq!(browse(&s.cat, &f), [11, 12, 13]);
        // Text in either language, any case, in titles, summaries, tags and ids (the advanced
        // manufacturing VAT credit's summary names HNTE); with a category both must hold.
        let f = Filter { category: None, query: "  hnte ".into() };
        assert_eq!(
            browse(&s.cat, &f),
            [idx(&s, "hnte_recognition_eligibility"), idx(&s, "hnte_15pct_cit_rate"), idx(&s, "advanced_manufacturing_vat_credit_5pct")]
        );
        let f = Filter { category: Some(crate::catalogue::Category::Certification), query: "HNTE".into() };
        assert_eq!(browse(&s.cat, &f), [idx(&s, "hnte_recognition_eligibility")]);
        let f = Filter { category: Some(crate::catalogue::Category::Credit), query: "高新".into() };
        assert!(browse(&s.cat, &f).is_empty());
    }

    #[test]
    fn groups_sort_and_filter() {
        let s = sme_state();
        let g = groups(&s.cat, &s.outcome, &s.filter);
        assert_eq!(g.shown(), s.cat.policies.len());
        // Most valuable first: the Hangzhou New Eagle reward (500,000), the small low-profit
        // enterprise relief (480,000), the HNTE 15 % rate (240,000), then the R&D super
        // deduction (3.3m × the small low-profit enterprise's effective 5 %: 165,000).
        let first: Vec<u32> = g.qualifies.iter().copied().take(4).collect();
        let want = ["hangzhou_new_eagle_enterprise", "cit_small_low_profit_enterprise", "hnte_15pct_cit_rate", "rd_expense_super_deduction_100pct"];
        assert_eq!(first, want.map(|id| idx(&s, id)));
        assert!(g.not_qualify.contains(&idx(&s, "vat_small_scale_1pct_levy_rate")));
        let f = Filter { category: Some(crate::catalogue::Category::Employment), query: String::new() };
        let g = groups(&s.cat, &s.outcome, &f);
        assert_eq!(g.shown(), 3);
        let f = Filter { category: None, query: "高新".into() };
        let g = groups(&s.cat, &s.outcome, &f);
        assert!(g.shown() >= 2 && g.shown() < s.cat.policies.len());
        let f = Filter { category: None, query: "HNTE".into() };
        assert!(groups(&s.cat, &s.outcome, &f).qualifies.contains(&idx(&s, "hnte_15pct_cit_rate")));
        let f = Filter { category: None, query: "财政部 税务总局公告2023年第12号".into() };
        let g = groups(&s.cat, &s.outcome, &f);
        assert!(g.qualifies.contains(&idx(&s, "cit_small_low_profit_enterprise")) && g.shown() < 4, "{g:?}");
    }

    #[test]
    fn estimated_total_counts_take_higher_once() {
        let s = sme_state();
        let total = estimated_total(&s.cat, &s.outcome).unwrap();
        let amount = |id: &str| s.outcome.results[idx(&s, id) as usize].benefit.as_ref().and_then(|b| b.amount).unwrap_or_default();
        let plain: Decimal =
            s.outcome.results.iter().filter(|r| r.verdict == Verdict::Qualifies).filter_map(|r| r.benefit.as_ref().and_then(|b| b.amount)).sum();
        // The small low-profit relief (480,000) and the HNTE rate (240,000) are take-higher.
        assert_eq!(amount("cit_small_low_profit_enterprise"), Decimal::from(480_000));
        assert_eq!(total, plain - amount("hnte_15pct_cit_rate"));
    }

    #[test]
    fn window_badges() {
        let s = State::new(both(), as_of());
        let p = |id: &str| &s.cat.policies[idx(&s, id) as usize];
        // Little giant: filing 25 April – 25 May 2026, closed on 1 July.
        assert_eq!(badges(p("srdi_little_giant_recognition_2026"), as_of(), Lang::Zh)[0].kind, "closed");
        // Tech-SME: 1 June – 31 August: 61 days left.
        let b = badges(p("tech_sme_evaluation"), as_of(), Lang::En);
        assert_eq!((b[0].kind, b[0].text.as_str()), ("open", "Apply by 31 Aug 2026"));
        let b = badges(p("tech_sme_evaluation"), "2026-08-19".parse().unwrap(), Lang::En);
        assert_eq!(b[0].text, "Closes in 12 days");
        let b = badges(p("tech_sme_evaluation"), "2026-08-31".parse().unwrap(), Lang::Zh);
        assert_eq!(b[0].text, "今天截止申报");
        let b = badges(p("tech_sme_evaluation"), "2026-05-01".parse().unwrap(), Lang::Zh);
        assert_eq!((b[0].kind, b[0].text.as_str()), ("upcoming", "尚未开放 · 2026年6月1日开始"));
        // The 2026 UI refund expires at the end of 2026.
        let b = badges(p("ui_job_stabilization_refund_2026"), "2027-01-01".parse().unwrap(), Lang::En);
        assert_eq!(b, vec![Badge { kind: "expired", text: "Expired on 31 Dec 2026".into() }]);
        assert_eq!(badges(p("ui_job_stabilization_refund_2026"), "2027-01-01".parse().unwrap(), Lang::Zh)[0].text, "已于2026年12月31日失效");
    }

    /// Policies that expired before the as-of date are not counted in the
    /// estimated value, and come last among those qualifying.
    #[test]
    fn estimated_total_leaves_out_expired_policies() {
        let values = case_profile(include_str!("../../tests/cases/profiles/software_sme_hnte.json"));
        let mut s = State::new(national(), "2027-06-30".parse().unwrap());
        s.apply(Action::Load { json: serde_json::Value::Object(values).to_string(), source: Source::File });
        let expired = ["ui_job_stabilization_refund_2026", "one_time_job_expansion_subsidy_2026"];
        for id in expired {
            let r = &s.outcome.results[idx(&s, id) as usize];
            assert!(r.verdict == Verdict::Qualifies && !r.in_force && r.benefit.as_ref().and_then(|b| b.amount).is_some(), "{id}: {r:?}");
        }
        // The small low-profit relief (480,000, the higher of it and the HNTE
        // rate) and the R&D super-deduction (165,000); not the 2026 UI refund
        // (57,600) and job-expansion subsidy (6,000), which ended in 2026.
        assert_eq!(estimated_total(&s.cat, &s.outcome), Some(Decimal::from(645_000)));
        let g = groups(&s.cat, &s.outcome, &Filter::default());
        let tail: Vec<u32> = g.qualifies[g.qualifies.len() - 2..].to_vec();
        assert_eq!(tail, expired.map(|id| idx(&s, id)), "{:?}", g.qualifies);
    }

    #[test]
    fn a_city_rule_names_each_place_once_in_the_reader_s_language() {
        // 杭州"新雏鹰" lists every spelling a profile may use: Hangzhou, 杭州, 杭州市, 建德市, 建德, Jiande, …
        let mut s = State::new(national(), as_of());
        answer(&mut s, "registration_city", "浙江省建德市新安江街道");
        let p = idx(&s, "hangzhou_new_eagle_enterprise");
        s.apply(Action::TogglePolicy(p));
        let e = s.outcome.explanation(p).unwrap().clone();
        let c1 = e.criteria.iter().find(|c| c.id == "C1").unwrap();
        let row = |lang| criterion_view(&s.cat, c1, lang).rows.into_iter().find(|r| r.fields == [s.cat.field_slot("registration_city").unwrap()]).unwrap();
        let zh = row(Lang::Zh);
        assert_eq!((zh.mark, zh.required.as_deref()), (Some(Mark::Met), Some("属于 杭州市、建德市、桐庐县、淳安县")));
        assert_eq!(row(Lang::En).required.as_deref(), Some("one of Hangzhou, Jiande, Tonglu, Chun'an"));
        // A list of one language only is shown whole in the other; ASCII case and prefixes still fold.
        let latin = || ["Hangzhou", "hangzhou", "Ningbo"].map(String::from).to_vec();
        assert_eq!(city_spellings(latin(), Lang::Zh), ["Hangzhou", "Ningbo"]);
        assert_eq!(city_spellings(vec!["宁波".into(), "宁波市".into()], Lang::En), ["宁波市"]);
    }

    /// A score with a part not answered can still be decided (at least 60
    /// whatever the part gives): its line shows the range it is known to be
    /// in, not 未填写 beside a tick.
    #[test]
    fn a_value_known_within_bounds_reads_as_its_range() {
        let zone = include_str!("../../tests/fixtures/authoring/sip-zone.json");
        let cat = Catalogue::from_sources(&[("cn-national-2026.json", crate::ui::state::tests::NATIONAL), ("sip-zone.json", zone)]).unwrap();
        let profiles = include_str!("../../tests/fixtures/authoring/profiles.json");
        let p = crate::matching::profiles_from_json(&cat, profiles).unwrap().swap_remove(1); // 启智AI: no class-I IP count
        let mut m = crate::matching::Matcher::new(&cat, as_of());
        let e = m.evaluate(&p);
        let x = e.explain(cat.policy_index("sip_innovation_points_reward").unwrap()).unwrap();
        let rows: Vec<Row> = x.criteria.iter().flat_map(|c| criterion_view(&cat, c, Lang::Zh).rows).collect();
        let score = rows.iter().find(|r| r.required.as_deref() == Some("≥ 60分")).unwrap_or_else(|| panic!("{rows:#?}"));
        assert_eq!((score.mark, score.actual.as_deref()), (Some(Mark::Met), Some("60–90分")));
        let rows: Vec<Row> = x.criteria.iter().flat_map(|c| criterion_view(&cat, c, Lang::En).rows).collect();
        assert!(rows.iter().any(|r| r.actual.as_deref() == Some("60–90 points")), "{rows:#?}");
    }

    #[test]
    fn explanation_rows_show_actual_and_required_values() {
        let mut s = State::new(national(), as_of());
        let values = case_profile(include_str!("../../tests/cases/profiles/micro_retailer_getihu.json"));
        s.apply(Action::Load { json: serde_json::Value::Object(values).to_string(), source: Source::File });
        let p = idx(&s, "srdi_sme_recognition_2026");
        s.apply(Action::TogglePolicy(p));
        let e = s.outcome.explanation(p).unwrap().clone();
        let views: Vec<CriterionView> = e.criteria.iter().map(|c| criterion_view(&s.cat, c, Lang::Zh)).collect();
        // C6: revenue 76万元 against 1,500万元 (or equity financing), not met.
        let c6 = views.iter().find(|c| c.id == "C6").unwrap();
        assert_eq!(c6.mark, Mark::NotMet);
        assert_eq!(c6.rows[0].label, "满足以下任一条件");
        let rev = c6.rows.iter().find(|r| r.label == "2025年营业收入").unwrap();
        assert_eq!(rev.actual.as_deref(), Some("76万元"));
        assert_eq!(rev.required.as_deref(), Some("≥ 1,500万元"));
        assert_eq!(rev.depth, 1);
        // C1: an enum compared with its option label, a boolean as 是/否.
        let c1 = views.iter().find(|c| c.id == "C1").unwrap();
        let et = c1.rows.iter().find(|r| r.label == "主体类型").unwrap();
        assert_eq!(et.actual.as_deref(), Some("个体工商户"));
        assert_eq!(et.required.as_deref(), Some("企业（公司）"), "{et:?}");
        let size = c1.rows.iter().find(|r| r.label == "企业规模类型").unwrap();
        assert!(size.required.as_deref().unwrap().starts_with("属于 "), "{size:?}");
        // C12: undecided, with the missing field as a link target.
        let c12 = views.iter().find(|c| c.id == "C12").unwrap();
        assert_eq!(c12.mark, Mark::Unknown);
        assert_eq!(c12.missing, vec![s.cat.field_slot("srdi_development_score").unwrap()]);
        assert_eq!(c12.rows[0].actual.as_deref(), Some("未填写"));
        // English.
        let c6 = criterion_view(&s.cat, &e.criteria[5], Lang::En);
        let rev = c6.rows.iter().find(|r| r.label == "2025 operating revenue").map(|r| r.required.clone());
        assert_eq!(rev, Some(Some("≥ ¥15,000,000".into())), "{c6:?}");
    }

    #[test]
    fn a_sum_of_two_years_is_labelled_as_the_sum_not_as_its_first_year() {
        // 企业自测 (a finance manager): Little Giant C10 needs R&D of 2024 and 2025 together
        // ≥ 1,200万元. The row showing 720万 + 810万 = 1,530万元 must not read "2024年研发费用".
        let mut s = State::new(national(), as_of());
        let profile = serde_json::json!({
            "operating_revenue_2024_cny": 165_000_000, "operating_revenue_2025_cny": 180_000_000,
            "rd_expense_2024_cny": 7_200_000, "rd_expense_2025_cny": 8_100_000
        });
        s.apply(Action::Load { json: profile.to_string(), source: Source::File });
        let p = idx(&s, "srdi_little_giant_recognition_2026");
        s.apply(Action::TogglePolicy(p));
        let e = s.outcome.explanation(p).unwrap().clone();
        let c10 = e.criteria.iter().find(|c| c.id == "C10").unwrap();
        for (lang, total, both_years) in [(Lang::Zh, "1,530万元", ["2024", "2025"]), (Lang::En, "¥15,300,000", ["2024", "2025"])] {
            let v = criterion_view(&s.cat, c10, lang);
            let row = v.rows.iter().find(|r| r.actual.as_deref() == Some(total)).unwrap_or_else(|| panic!("{v:?}"));
            assert!(both_years.iter().all(|y| row.label.contains(y)), "{lang:?}: the total is labelled {:?}", row.label);
            assert_eq!(row.mark, Some(Mark::Met));
        }
    }

    #[test]
    fn a_computed_date_is_labelled_as_computed_not_as_the_field_it_reads() {
        // 企业自测: "the certificate is less than 3 years old" written as
        // as-of < issue date + 3 years. The row shows 2027-03-01 (issued
        // 2024-03-01, plus 3 years); under the label "HNTE certificate issue
        // date" it would read as a wrong answer.
        let text = r#"{"format": "policy-match/catalogue@1", "id": "t", "version": "1", "updated": "2026-01-01",
          "title": {"zh": "t", "en": "t"},
          "fields": [{"name": "issued", "type": "date", "label": {"zh": "高企证书发证日期", "en": "HNTE certificate issue date"}},
                     {"name": "founded", "type": "date", "label": {"zh": "成立日期", "en": "Date founded"}}],
          "policies": [{"id": "p", "title": {"zh": "p", "en": "p"}, "issuer": {"zh": "i", "en": "i"}, "category": "tax",
            "criteria": [
              {"id": "C1", "description": {"zh": "证书在有效期内", "en": "Certificate valid"},
               "rule": {"<": [{"var": "$as_of"}, {"add_years": [{"var": "issued"}, 3]}]}},
              {"id": "C2", "description": {"zh": "成立满1个月", "en": "At least a month old"},
               "rule": {"<=": [{"add_months": [{"var": "founded"}, 1]}, {"add_days": [{"var": "$as_of"}, -1]}]}}]}]}"#;
        let cat = Catalogue::from_json("t.json", text).unwrap();
        let profile = crate::matching::Profile::from_json(&cat, &serde_json::json!({"issued": "2024-03-01", "founded": "2026-05-15"})).unwrap();
        let mut m = crate::matching::Matcher::new(&cat, as_of());
        let e = m.evaluate(&profile).explain(0).unwrap();
        let row = |c: usize, lang| criterion_view(&cat, &e.criteria[c], lang).rows.into_iter().next().unwrap();
        let zh = row(0, Lang::Zh);
        assert_eq!(zh.label, "高企证书发证日期后3年");
        assert!(zh.actual.as_deref().unwrap().contains("2027"), "the computed date, not the answer: {zh:?}");
        assert_eq!(zh.mark, Some(Mark::Met));
        assert_eq!(row(0, Lang::En).label, "3 years after HNTE certificate issue date");
        // Both sides computed; a shift of the as-of date itself, backwards.
        let (zh, en) = (row(1, Lang::Zh), row(1, Lang::En));
        assert_eq!(zh.label, "成立日期后1个月");
        assert_eq!(en.label, "1 month after date founded");
        assert!(zh.required.as_deref().unwrap().contains("2026") && zh.required.as_deref().unwrap().contains("30"), "as-of minus a day: {zh:?}");
        assert_eq!(zh.mark, Some(Mark::Met));
    }

    #[test]
    fn a_requirement_that_depends_on_a_blank_answer_is_not_shown_as_blank() {
        // 企业自测 (a 个体工商户 who skips the insurance questions): the layoff-rate limit is 20 %
        // or 5.5 % depending on the insured headcount. With the headcount blank, the row must not
        // read "要求：≤ 未填写"; the criterion's own text states both limits.
        let mut s = State::new(national(), as_of());
        let profile = serde_json::json!({"entity_type": "individual_business", "ui_premium_months_fully_paid": 24});
        s.apply(Action::Load { json: profile.to_string(), source: Source::File });
        let p = idx(&s, "ui_job_stabilization_refund_2026");
        s.apply(Action::TogglePolicy(p));
        let e = s.outcome.explanation(p).unwrap().clone();
        let c3 = e.criteria.iter().find(|c| c.id == "C3").unwrap();
        for (lang, blank) in [(Lang::Zh, "未填写"), (Lang::En, Lang::En.s().not_answered)] {
            let v = criterion_view(&s.cat, c3, lang);
            assert_eq!(v.mark, Mark::Unknown);
            assert!(v.rows.iter().any(|r| r.actual.as_deref() == Some(blank)), "the blank answers are still shown: {v:?}");
            for r in &v.rows {
                assert!(!r.required.as_deref().unwrap_or("").contains(blank), "{lang:?}: {r:?}");
            }
        }
    }

    #[test]
    fn a_policy_reference_is_quoted_in_the_pages_language() {
        // 六税两费 C1 reads the small low-profit policy's verdict: 「」 in Chinese, “” in English.
        let mut s = State::new(national(), as_of());
        answer(&mut s, "entity_type", "company");
        let p = idx(&s, "six_taxes_two_fees_half_reduction");
        s.apply(Action::TogglePolicy(p));
        let e = s.outcome.explanation(p).unwrap().clone();
        let label = |lang| {
            let v = criterion_view(&s.cat, &e.criteria[0], lang);
            v.rows.iter().map(|r| r.label.clone()).find(|l| l.contains("low-profit") || l.contains("小型微利")).unwrap()
        };
        assert_eq!(label(Lang::Zh), "政策「小型微利企业所得税优惠」");
        assert_eq!(label(Lang::En), "Policy “Small low-profit enterprise CIT relief”");
    }

    #[test]
    fn near_misses_read_in_the_persons_terms() {
        let mut s = State::new(national(), as_of());
        answer(&mut s, "cit_headcount_quarterly_avg_2025", "320");
        let p = idx(&s, "cit_small_low_profit_enterprise");
        let r = &s.outcome.results[p as usize];
        assert_eq!(r.verdict, Verdict::DoesNotQualify);
        let text = near_text(&r.near_misses[0], Lang::Zh);
        assert!(text.contains("320人") && text.contains("≤ 300人") && text.ends_with("超出20人"), "{text}");
        let text = near_text(&r.near_misses[0], Lang::En);
        assert!(text.ends_with("over by 20 people"), "{text}");
    }

    #[test]
    fn a_strict_limit_met_exactly_is_not_zero_short() {
        let nm = NearMiss {
            criterion: "C1".into(),
            subject: None,
            label: Some(crate::Text { zh: "评价得分".into(), en: "Score".into() }),
            label_is_description: false,
            unit: None,
            actual: Decimal::from(70),
            op: CmpOp::Gt,
            required: Decimal::from(70),
            gap: Decimal::ZERO,
        };
        assert_eq!(near_text(&nm, Lang::Zh), "评价得分为70，要求 > 70，正好等于门槛，需高于该值");
        assert_eq!(near_text(&nm, Lang::En), "Score is 70, needs > 70: exactly at the limit, must be above it");
    }

    #[test]
    fn a_ratio_reads_to_two_decimals_unless_that_hides_the_gap() {
        let nm = |actual: &str, gap: &str| NearMiss {
            criterion: "C1".into(),
            subject: None,
            label: Some(crate::Text { zh: "研发费用占比".into(), en: "R&D ratio".into() }),
            label_is_description: false,
            unit: Some(Unit::Percent),
            actual: actual.parse().unwrap(),
            op: CmpOp::Ge,
            required: Decimal::from(10),
            gap: gap.parse().unwrap(),
        };
        // 225 / 2300 = 9.7826…%: was "9.7826%" and "0.2174 个百分点".
        let n = nm("9.782608695652173913043478261", "0.217391304347826086956521739");
        assert_eq!(near_text(&n, Lang::Zh), "研发费用占比为9.78%，要求 ≥ 10%，还差0.22个百分点");
        assert_eq!(near_text(&n, Lang::En), "R&D ratio is 9.78%, needs ≥ 10%: short by 0.22 percentage points");
        // 9.999998%: was "10%, needs ≥ 10%: short by 0 points".
        let n = nm("9.999998", "0.000002");
        assert_eq!(near_text(&n, Lang::En), "R&D ratio is 9.999998%, needs ≥ 10%: short by 0.000002 percentage points");
    }

    #[test]
    fn section_counts_follow_answers() {
        let mut s = State::new(national(), as_of());
        let basic = s.sections.iter().position(|x| x.id == "basic").unwrap();
        let (a, n, t) = section_counts(&s, basic);
        assert_eq!(a, 0);
        assert!(n > 0 && n <= t);
        answer(&mut s, "entity_type", "company");
        assert_eq!(section_counts(&s, basic).0, 1);
    }
}
