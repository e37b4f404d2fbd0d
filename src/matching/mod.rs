//! Matching: evaluate profiles against a compiled catalogue.
//!
//! - [`Matcher::verdicts`]: verdicts only, no tracing (batch).
//! - [`Matcher::evaluate`]: per-policy results with failed and undecided
//!   criteria, missing fields, near misses, benefit and stacking
//!   conflicts, plus [`Evaluation::ask_next`] and [`Evaluation::explain`]
//!   (the explanation tree).
//!
//! Both run the same evaluator ([`crate::rules::Eval`]); only the tracer
//! differs. `evaluate` records (traces) only what its results need: the
//! undecided criteria, whose trace prunes the search for missing fields.
//! An explanation tree is read from a recorded evaluation of its policy,
//! run on demand.
//!
//! # Example
//! ```
//! # use policy_match::catalogue::Catalogue;
//! # use policy_match::matching::{Matcher, Profile, Verdict};
//! # let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
//! #   "fields": [{"name": "staff", "type": "integer", "label": {"zh": "职工", "en": "Staff"}, "unit": "people"}],
//! #   "policies": [{"id": "small", "title": {"zh": "小", "en": "Small"}, "issuer": {"zh": "i", "en": "i"}, "category": "tax",
//! #     "criteria": [{"id": "C1", "description": {"zh": "≤300人", "en": "≤ 300 staff"}, "rule": {"<=": [{"var": "staff"}, 300]}}]}]}"#).unwrap();
//! let mut m = Matcher::new(&cat, "2026-07-01".parse()?);
//! let unknown = Profile::empty(&cat);
//! let e = m.evaluate(&unknown);
//! assert_eq!(e.results[0].verdict, Verdict::Undecided);
//! assert_eq!(e.ask_next()[0].field, "staff");
//!
//! let p = Profile::from_json_str(&cat, r#"{"staff": 320}"#)?;
//! let e = m.evaluate(&p);
//! assert_eq!(e.results[0].verdict, Verdict::DoesNotQualify);
//! assert!(e.results[0].within_reach); // 20 over, within 20 %
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod explain;
mod profile;

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};
use std::sync::{Arc, Mutex};

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value as Json;

pub use explain::{CriterionExplanation, ExplainNode, PolicyExplanation};
pub(crate) use profile::digit_groups_ok;
#[cfg(feature = "batch")]
pub(crate) use profile::fold_number_text;
pub use profile::{profiles_from_csv, profiles_from_json, Profile, ProfileError, ProfileIssue, Raw, MAX_LIST_ITEMS, MAX_PROFILE_BYTES, MAX_STRING_CHARS};

use crate::catalogue::{Catalogue, FieldType, StackRule, Unit};
use crate::rules::{ArithOp, CmpOp, Computed, Date, DateOp, Env, Eval, Memo, NoTrace, Node, NodeId, NumVal, Program, Rec, Recorder, Tri, Ty, Value};
use crate::Text;

/// The verdict for one (profile, policy) pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every criterion is met.
    Qualifies,
    /// Some criterion is not met (whatever else is missing).
    DoesNotQualify,
    /// No criterion fails, but some cannot be decided: fields are missing.
    Undecided,
}

impl From<Tri> for Verdict {
    fn from(t: Tri) -> Verdict {
        match t {
            Tri::True => Verdict::Qualifies,
            Tri::False => Verdict::DoesNotQualify,
            Tri::Unknown => Verdict::Undecided,
        }
    }
}

impl Verdict {
    /// The contract string: `qualifies`, `does_not_qualify`, `undecided`.
    ///
    /// # Example
    /// ```
    /// # use policy_match::matching::Verdict;
    /// assert_eq!(Verdict::DoesNotQualify.as_str(), "does_not_qualify");
    /// assert_eq!(serde_json::to_string(&Verdict::Undecided).unwrap(), r#""undecided""#);
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Qualifies => "qualifies",
            Verdict::DoesNotQualify => "does_not_qualify",
            Verdict::Undecided => "undecided",
        }
    }
}

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

/// An estimated benefit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Benefit {
    /// Amount in CNY (rounded to the fen); `None` when the formula needs a missing field.
    #[serde(serialize_with = "ser_opt_dec")]
    pub amount: Option<Decimal>,
    /// Currency (always `CNY`).
    pub currency: &'static str,
    /// True when the policy is still undecided: the amount applies *if* it qualifies.
    pub conditional: bool,
    /// Slots of the unanswered fields the formula needs (when `amount` is `None`).
    #[serde(skip)]
    pub missing: Vec<u32>,
}

/// A stacking conflict between two policies the profile qualifies for.
///
/// # Example
/// ```
/// # use policy_match::{catalogue::{Catalogue, StackRule}, matching::{Matcher, Profile}};
/// let policy = |id: &str, per_head: u32, stacking: &str| format!(r#"{{"id": "{id}", "title": {{"zh": "{id}", "en": "{id}"}}, "issuer": {{"zh": "i", "en": "i"}}, "category": "subsidy",
///     "benefit": {{"text": {{"zh": "b", "en": "b"}}, "amount": {{"*": [{{"var": "staff"}}, {per_head}]}}}}, "stacking": [{stacking}],
///     "criteria": [{{"id": "C1", "description": {{"zh": "d", "en": "d"}}, "rule": {{">": [{{"var": "staff"}}, 0]}}}}]}}"#);
/// // 就高不重复: one entry, on either policy, covers the pair both ways.
/// let a = policy("a", 100, r#"{"policy": "b", "rule": "take_higher"}"#);
/// let cat = Catalogue::from_json("c.json", &format!(r#"{{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01",
///   "title": {{"zh": "c", "en": "c"}}, "fields": [{{"name": "staff", "type": "integer", "label": {{"zh": "s", "en": "s"}}}}],
///   "policies": [{a}, {}]}}"#, policy("b", 300, "")))?;
/// let p = Profile::from_json_str(&cat, r#"{"staff": 10}"#)?;
/// let e = Matcher::new(&cat, "2026-07-01".parse()?).evaluate(&p);
/// let c = &e.results[0].conflicts[0]; // policy a qualifies, and so does b
/// assert_eq!((c.with.as_str(), c.rule, c.preferred), ("b", StackRule::TakeHigher, Some(false))); // b pays more
/// assert_eq!(e.results[1].conflicts[0].preferred, Some(true));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Conflict {
    /// The other policy.
    pub with: String,
    /// The rule.
    pub rule: StackRule,
    /// For `take_higher`: whether this policy is the one to take (`None` when amounts are unknown).
    pub preferred: Option<bool>,
}

/// One policy's result for one profile.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyResult {
    /// Policy index.
    pub policy: u32,
    /// Verdict.
    pub verdict: Verdict,
    /// Whether the policy is in force on the as-of date.
    pub in_force: bool,
    /// Indices of failed criteria.
    pub failed: Vec<u16>,
    /// Indices of undecided criteria.
    pub undecided: Vec<u16>,
    /// Slots of the missing fields that keep it undecided.
    pub missing: Vec<u32>,
    /// Near misses among the failed criteria.
    pub near_misses: Vec<NearMiss>,
    /// Not met, but every failed criterion is a near miss.
    pub within_reach: bool,
    /// Benefit estimate, where a formula exists and the verdict is not `does_not_qualify`.
    pub benefit: Option<Benefit>,
    /// Stacking conflicts with other qualifying policies.
    pub conflicts: Vec<Conflict>,
}

/// A question worth asking: a missing field and what it would decide.
///
/// # Example
/// ```
/// # use policy_match::{catalogue::Catalogue, matching::{Matcher, Profile}};
/// let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
///   "fields": [{"name": "staff", "type": "integer", "label": {"zh": "职工人数", "en": "Staff"}},
///              {"name": "kind", "type": "enum", "label": {"zh": "企业类型", "en": "Kind"}, "options": [
///                {"value": "个体工商户", "label": {"zh": "个体工商户", "en": "Sole trader"}}, {"value": "有限责任公司", "label": {"zh": "有限责任公司", "en": "LLC"}}]}],
///   "policies": [
///     {"id": "small", "title": {"zh": "s", "en": "s"}, "issuer": {"zh": "i", "en": "i"}, "category": "tax", "criteria": [
///       {"id": "C1", "description": {"zh": "d", "en": "d"}, "rule": {"!=": [{"var": "kind"}, "个体工商户"]}},
///       {"id": "C2", "description": {"zh": "d", "en": "d"}, "rule": {"<=": [{"var": "staff"}, 300]}}]},
///     {"id": "hiring", "title": {"zh": "h", "en": "h"}, "issuer": {"zh": "i", "en": "i"}, "category": "employment", "criteria": [
///       {"id": "C1", "description": {"zh": "d", "en": "d"}, "rule": {"!=": [{"var": "kind"}, "个体工商户"]}},
///       {"id": "C2", "description": {"zh": "d", "en": "d"}, "rule": {">=": [{"var": "staff"}, 10]}}]}]}"#)?;
/// let nothing = Profile::empty(&cat);
/// let ask = Matcher::new(&cat, "2026-07-01".parse()?).evaluate(&nothing).ask_next();
/// // One answer to `kind` (个体工商户) decides both policies; `staff` alone decides none.
/// assert_eq!((ask[0].field.as_str(), ask[0].decides, ask[0].needed_by), ("kind", 2, 2));
/// assert_eq!((ask[1].field.as_str(), ask[1].decides, ask[1].needed_by), ("staff", 0, 2));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AskNext {
    /// The field.
    pub field: String,
    /// Undecided policies one answer to it decides: for a yes/no or
    /// choice question, the most any one of its answers decides (个体工商户
    /// rules out many policies at once; for a multi-select, "none" and each
    /// option alone are tried); for any other field, the policies it is
    /// the last missing field of.
    pub decides: u32,
    /// Undecided policies that need it.
    pub needed_by: u32,
    /// Policies, qualifying or undecided, whose benefit amount cannot be
    /// estimated without it.
    pub amounts: u32,
    /// The ids of the policies that need it (to decide them or, for a
    /// field no verdict needs, for their amounts).
    pub policies: Vec<String>,
}

/// A profile's results in the CLI/JS contract form.
#[derive(Clone, Debug, Serialize)]
pub struct ProfileReport {
    /// The profile's id, or its index when it has none.
    pub profile: Json,
    /// One entry per policy, in catalogue order.
    pub results: Vec<ResultReport>,
    /// Missing fields ranked by how many undecided policies they would decide.
    pub ask_next: Vec<AskNext>,
    /// Problems with the profile's values.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<ProfileIssue>,
}

/// One policy's result in contract form.
#[derive(Clone, Debug, Serialize)]
pub struct ResultReport {
    /// Policy id.
    pub policy: String,
    /// Verdict.
    pub verdict: Verdict,
    /// Failed criterion ids.
    pub failed: Vec<String>,
    /// Undecided criterion ids.
    pub undecided: Vec<String>,
    /// Missing fields that keep it undecided.
    pub missing_fields: Vec<String>,
    /// Near misses.
    pub near_misses: Vec<NearMiss>,
    /// All failed criteria are near misses.
    pub within_reach: bool,
    /// In force on the as-of date.
    pub in_force: bool,
    /// Benefit estimate.
    pub benefit: Option<Benefit>,
    /// Stacking conflicts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Conflict>,
}

impl ResultReport {
    /// A result in contract form: policy, criterion and field ids instead
    /// of indices.
    ///
    /// # Example
    /// ```
    /// # use policy_match::catalogue::Catalogue;
    /// # let cat = Catalogue::from_json("demo.json", r#"{"format": "policy-match/catalogue@1", "id": "demo", "version": "1", "updated": "2026-01-01", "title": {"zh": "示例", "en": "Demo"},
    /// #   "fields": [{"name": "staff", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Staff"}},
    /// #              {"name": "revenue", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "税务局", "en": "Tax bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "staff"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "At most 300 staff"}, "rule": {"<=": [{"var": "staff"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过5000万元", "en": "Revenue at most ¥50M"}, "rule": {"<=": [{"var": "revenue"}, 50000000]}}]}]}"#)?;
    /// # use policy_match::matching::{Matcher, Profile, ResultReport};
    /// let p = Profile::from_json_str(&cat, r#"{"staff": 320}"#)?;
    /// let mut m = Matcher::new(&cat, "2026-07-01".parse()?);
    /// let e = m.evaluate(&p);
    /// let r = ResultReport::new(&cat, &e.results[0]);
    /// assert_eq!((r.policy.as_str(), r.verdict.as_str()), ("small", "does_not_qualify"));
    /// assert_eq!(r.failed, ["C1"]);
    /// assert_eq!(r.missing_fields, Vec::<String>::new()); // C1 fails whatever the revenue
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(cat: &Catalogue, r: &PolicyResult) -> ResultReport {
        let p = &cat.policies[r.policy as usize];
        ResultReport {
            policy: p.id.clone(),
            verdict: r.verdict,
            failed: r.failed.iter().map(|&c| p.criteria[c as usize].id.clone()).collect(),
            undecided: r.undecided.iter().map(|&c| p.criteria[c as usize].id.clone()).collect(),
            missing_fields: r.missing.iter().map(|&f| cat.fields[f as usize].name().to_string()).collect(),
            near_misses: r.near_misses.clone(),
            within_reach: r.within_reach,
            in_force: r.in_force,
            benefit: r.benefit.clone(),
            conflicts: r.conflicts.clone(),
        }
    }
}

/// Evaluates profiles against one catalogue at one as-of date, reusing
/// its buffers between profiles.
pub struct Matcher<'c> {
    cat: &'c Catalogue,
    as_of: Date,
    tolerance: Decimal,
    derived: Vec<Computed>,
    verdicts: Vec<Tri>,
    memo: Memo,
    /// The buffers of [`Matcher::evaluate`], handed back by an
    /// [`Evaluation`] when it is dropped, for the next one to reuse (an
    /// evaluation does not borrow the matcher; while one is alive, the
    /// next gets fresh buffers).
    home: Arc<Mutex<Option<Buffers>>>,
}

/// What an evaluation owns while it lives, reused across evaluations.
#[derive(Default)]
struct Buffers {
    trace: Recorder,
    memo: Memo,
    derived: Vec<Computed>,
    verdicts: Vec<Tri>,
    outcomes: Vec<Tri>,
    /// The last evaluation's results (unless taken): their vectors are
    /// reused.
    results: Vec<PolicyResult>,
    /// Near misses of earlier evaluations, reused with their strings.
    pool: Vec<NearMiss>,
    /// Scratch: near comparisons of one criterion, missing fields of one policy.
    found: Vec<Near>,
    missing: Vec<u32>,
}

impl Buffers {
    fn new(cat: &Catalogue) -> Buffers {
        Buffers { trace: Recorder::new(&cat.program), ..Buffers::default() }
    }
}

impl<'c> Matcher<'c> {
    /// A matcher for `cat` as of `as_of`, with the default near-miss tolerance.
    ///
    /// # Example
    /// ```
    /// # use policy_match::catalogue::Catalogue;
    /// # let cat = Catalogue::from_json("demo.json", r#"{"format": "policy-match/catalogue@1", "id": "demo", "version": "1", "updated": "2026-01-01", "title": {"zh": "示例", "en": "Demo"},
    /// #   "fields": [{"name": "staff", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Staff"}},
    /// #              {"name": "revenue", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "税务局", "en": "Tax bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "staff"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "At most 300 staff"}, "rule": {"<=": [{"var": "staff"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过5000万元", "en": "Revenue at most ¥50M"}, "rule": {"<=": [{"var": "revenue"}, 50000000]}}]}]}"#)?;
    /// # use policy_match::matching::{Matcher, Profile};
    /// let m = Matcher::new(&cat, "2026-07-01".parse()?);
    /// assert_eq!(m.as_of().to_string(), "2026-07-01");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(cat: &'c Catalogue, as_of: Date) -> Matcher<'c> {
        Matcher { cat, as_of, tolerance: default_tolerance(), derived: Vec::new(), verdicts: Vec::new(), memo: Memo::default(), home: Arc::default() }
    }

    /// Change the near-miss tolerance (a fraction: 0.2 = 20 %).
    ///
    /// # Example
    /// ```
    /// # use policy_match::catalogue::Catalogue;
    /// # let cat = Catalogue::from_json("demo.json", r#"{"format": "policy-match/catalogue@1", "id": "demo", "version": "1", "updated": "2026-01-01", "title": {"zh": "示例", "en": "Demo"},
    /// #   "fields": [{"name": "staff", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Staff"}},
    /// #              {"name": "revenue", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "税务局", "en": "Tax bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "staff"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "At most 300 staff"}, "rule": {"<=": [{"var": "staff"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过5000万元", "en": "Revenue at most ¥50M"}, "rule": {"<=": [{"var": "revenue"}, 50000000]}}]}]}"#)?;
    /// # use policy_match::matching::{Matcher, Profile};
    /// let p = Profile::from_json_str(&cat, r#"{"staff": 320, "revenue": 1000000}"#)?;
    /// let mut m = Matcher::new(&cat, "2026-07-01".parse()?);
    /// assert!(m.evaluate(&p).results[0].within_reach); // 20 over 300: within 20 %
    /// let mut strict = Matcher::new(&cat, "2026-07-01".parse()?).with_tolerance("0.05".parse()?);
    /// assert!(!strict.evaluate(&p).results[0].within_reach);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_tolerance(mut self, tolerance: Decimal) -> Self {
        self.tolerance = tolerance.abs();
        self
    }

    /// The as-of date.
    pub fn as_of(&self) -> Date {
        self.as_of
    }

    /// Verdicts only (by policy index), no tracing: the batch path.
    ///
    /// # Example
    /// ```
    /// # use policy_match::catalogue::Catalogue;
    /// # let cat = Catalogue::from_json("demo.json", r#"{"format": "policy-match/catalogue@1", "id": "demo", "version": "1", "updated": "2026-01-01", "title": {"zh": "示例", "en": "Demo"},
    /// #   "fields": [{"name": "staff", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Staff"}},
    /// #              {"name": "revenue", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "税务局", "en": "Tax bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "staff"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "At most 300 staff"}, "rule": {"<=": [{"var": "staff"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过5000万元", "en": "Revenue at most ¥50M"}, "rule": {"<=": [{"var": "revenue"}, 50000000]}}]}]}"#)?;
    /// # use policy_match::{matching::{Matcher, Profile}, rules::Tri};
    /// let mut m = Matcher::new(&cat, "2026-07-01".parse()?);
    /// let p = Profile::from_json_str(&cat, r#"{"staff": 12}"#)?;
    /// assert_eq!(m.verdicts(&p), [Tri::Unknown]); // revenue not provided
    /// let p = Profile::from_json_str(&cat, r#"{"staff": 12, "revenue": 3000000}"#)?;
    /// assert_eq!(m.verdicts(&p), [Tri::True]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verdicts(&mut self, profile: &Profile) -> &[Tri] {
        run(self.cat, self.as_of, &profile.values, &mut self.derived, &mut self.verdicts, &mut self.memo);
        &self.verdicts
    }

    /// Verdicts of many profiles at once, the same as [`Matcher::verdicts`]
    /// for each: `out` gets one row of verdicts (by policy index) per
    /// profile, profile after profile (`out[j * policies + p]`).
    ///
    /// Policy-major: each policy is evaluated for a block of profiles
    /// while its nodes are in cache, instead of walking the whole program
    /// once per profile (a large catalogue does not fit in cache).
    ///
    /// # Example
    /// ```
    /// # use policy_match::{catalogue::Catalogue, matching::{Matcher, Profile}, synth};
    /// let cat = Catalogue::from_json("s.json", &synth::catalogue(20, 1)).unwrap();
    /// let profiles = synth::profiles(&cat, 10, 1);
    /// let mut m = Matcher::new(&cat, "2026-07-01".parse().unwrap());
    /// let mut all = Vec::new();
    /// m.verdicts_many(&profiles, &mut all);
    /// assert_eq!(&all[20..40], m.verdicts(&profiles[1]));
    /// ```
    pub fn verdicts_many(&mut self, profiles: &[Profile], out: &mut Vec<Tri>) {
        const BLOCK: usize = 128;
        let cat = self.cat;
        let n = cat.policies.len();
        out.clear();
        out.resize(profiles.len() * n, Tri::Unknown);
        // Adaptive criterion order: Kleene `and` gives the same verdict in
        // any order, so each policy's criteria are tried in the order that
        // is cheapest on the profiles seen so far: by cost over how often a
        // criterion ended the evaluation (was not met), re-sorted after
        // every block. `order` holds indices into `crit_nodes`.
        let mut order: Vec<u32> = (0..cat.crit_nodes.len() as u32).collect();
        let (mut tried, mut stopped) = (vec![0u64; order.len()], vec![0u64; order.len()]);
        let mut derived: Vec<Vec<Computed>> = Vec::new();
        let mut untraced = NoTrace;
        for (b, block) in profiles.chunks(BLOCK).enumerate() {
            derived.resize_with(block.len(), Vec::new);
            for (p, d) in block.iter().zip(derived.iter_mut()) {
                derive(cat, self.as_of, &p.values, d);
            }
            for &(_, s, e) in &cat.plan {
                if let Some(crits) = order.get_mut(s as usize..e as usize) {
                    // Expected cost per verdict decided: cost × tries / stops (smoothed).
                    crits.sort_by_cached_key(|&c| {
                        u64::from(cat.crit_cost[c as usize]).saturating_mul(tried[c as usize] + 2).saturating_mul(1024) / (stopped[c as usize] + 1)
                    });
                }
            }
            let rows = &mut out[b * BLOCK * n..(b * BLOCK + block.len()) * n];
            for &(pi, s, e) in &cat.plan {
                let crits = order.get(s as usize..e as usize).unwrap_or(&[]);
                for (j, p) in block.iter().enumerate() {
                    let row = &rows[j * n..(j + 1) * n];
                    let env = Env { prog: &cat.program, fields: &p.values, derived: &derived[j], policies: row, as_of: self.as_of };
                    let mut ev = Eval::new(env, &mut untraced);
                    let mut acc = Tri::True;
                    for &c in crits {
                        let t = ev.bool(cat.crit_nodes[c as usize]);
                        tried[c as usize] += 1;
                        if t == Tri::False {
                            stopped[c as usize] += 1;
                            acc = Tri::False;
                            break;
                        }
                        acc = acc.and(t);
                    }
                    rows[j * n + pi as usize] = acc;
                }
            }
        }
    }

    /// Full evaluation of one profile: per-policy results with failed and
    /// undecided criteria, missing fields, near misses, benefits and
    /// conflicts; [`Evaluation::explain`] gives explanation trees.
    ///
    /// Everything comes from the one evaluator. Verdicts and the outcome of
    /// every criterion are evaluated untraced; near misses and benefits
    /// evaluate just the operands they need; only undecided criteria are
    /// evaluated with the [`Recorder`] (their trace prunes the search for
    /// missing fields). An explanation tree re-runs the recorded
    /// evaluation of its one policy, on demand.
    ///
    /// # Example
    /// ```
    /// # use policy_match::catalogue::Catalogue;
    /// # let cat = Catalogue::from_json("demo.json", r#"{"format": "policy-match/catalogue@1", "id": "demo", "version": "1", "updated": "2026-01-01", "title": {"zh": "示例", "en": "Demo"},
    /// #   "fields": [{"name": "staff", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Staff"}},
    /// #              {"name": "revenue", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "税务局", "en": "Tax bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "staff"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "At most 300 staff"}, "rule": {"<=": [{"var": "staff"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过5000万元", "en": "Revenue at most ¥50M"}, "rule": {"<=": [{"var": "revenue"}, 50000000]}}]}]}"#)?;
    /// # use policy_match::matching::{Matcher, Profile, Verdict};
    /// let mut m = Matcher::new(&cat, "2026-07-01".parse()?);
    /// let p = Profile::from_json_str(&cat, r#"{"staff": 12}"#)?;
    /// let e = m.evaluate(&p);
    /// let r = &e.results[0];
    /// assert_eq!(r.verdict, Verdict::Undecided);
    /// assert_eq!(r.undecided, [1]); // criterion C2, by index
    /// assert_eq!(r.missing, [cat.field_slot("revenue").unwrap()]);
    /// let benefit = r.benefit.as_ref().unwrap();
    /// assert_eq!((benefit.amount, benefit.conditional), (Some(12000.into()), true)); // if it qualifies
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate<'m>(&mut self, profile: &'m Profile) -> Evaluation<'m>
    where
        'c: 'm,
    {
        let (cat, as_of, tolerance) = (self.cat, self.as_of, self.tolerance);
        let mut b = self.home.lock().ok().and_then(|mut h| h.take()).unwrap_or_else(|| Buffers::new(cat));
        let Buffers { trace, memo, derived, verdicts, outcomes, results: spare, pool, found, missing } = &mut b;
        let (prog, fields) = (&cat.program, &profile.values[..]);
        derive(cat, as_of, fields, derived);
        memo.reset(prog);
        verdicts.clear();
        verdicts.resize(cat.policies.len(), Tri::Unknown);
        outcomes.clear();
        outcomes.resize(cat.crit_nodes.len(), Tri::Unknown);
        // The last evaluation's results, cleared in place (their vectors
        // keep their capacity, their near misses go back to the pool).
        let mut results = std::mem::take(spare);
        results.truncate(cat.meta.len());
        for r in &mut results {
            pool.append(&mut r.near_misses);
            r.failed.clear();
            r.undecided.clear();
            r.missing.clear();
            r.conflicts.clear();
        }
        let fresh = results.len();
        results.extend((fresh..cat.meta.len()).map(|pi| PolicyResult {
            policy: pi as u32,
            verdict: Verdict::Undecided,
            in_force: false,
            failed: Vec::new(),
            undecided: Vec::new(),
            missing: Vec::new(),
            near_misses: Vec::new(),
            within_reach: false,
            benefit: None,
            conflicts: Vec::new(),
        }));
        for ((pi, r), m) in results.iter_mut().enumerate().zip(&cat.meta) {
            r.policy = pi as u32;
            r.verdict = Verdict::Undecided;
            r.in_force = m.in_force(as_of);
            r.within_reach = false;
            r.benefit = None;
        }
        // Policy by policy in evaluation order: every criterion's outcome,
        // then, while its nodes are still in cache, what the result needs.
        for &(pi, s, e) in &cat.plan {
            let (pi, s, e) = (pi as usize, s as usize, e as usize);
            let env = Env { prog, fields, derived, policies: verdicts, as_of };
            let mut untraced = NoTrace;
            let mut ev = Eval::with_memo(env, &mut untraced, memo);
            let t = criteria(&mut ev, cat.crit_nodes.get(s..e).unwrap_or(&[]), Some(outcomes.get_mut(s..e).unwrap_or(&mut [])));
            let (Some(r), Some(m)) = (results.get_mut(pi), cat.meta.get(pi)) else { continue };
            r.verdict = Verdict::from(t);
            if t != Tri::True {
                for (ci, t) in outcomes[s..e].iter().enumerate() {
                    match t {
                        Tri::False => r.failed.push(ci as u16),
                        Tri::True => {}
                        Tri::Unknown => r.undecided.push(ci as u16),
                    }
                }
            }
            if t == Tri::False {
                let mut all_near = true;
                for &ci in &r.failed {
                    found.clear();
                    if near(prog, &mut ev, cat.crit_nodes[s + ci as usize], tolerance, found) {
                        let c = &cat.policies[pi].criteria[ci as usize];
                        for n in found.iter() {
                            let mut x = pool.pop().unwrap_or_else(NearMiss::blank);
                            n.write_near_miss(cat, c, &mut x);
                            r.near_misses.push(x);
                        }
                    } else {
                        all_near = false;
                    }
                }
                r.within_reach = all_near && !r.near_misses.is_empty();
            }
            if let (Some(node), true) = (m.amount, t != Tri::False) {
                let amount = match ev.num(node) {
                    NumVal::Val(d) => Some(d.round_dp(2)),
                    _ => None,
                };
                r.benefit = Some(Benefit { amount, currency: "CNY", conditional: t == Tri::Unknown, missing: Vec::new() });
            }
            verdicts[pi] = t;
        }
        // Missing fields of undecided policies, in evaluation order so that
        // policy references can reuse them. Only their undecided criteria
        // are traced: the trace prunes decided subtrees.
        trace.reset();
        let env = Env { prog, fields, derived, policies: verdicts, as_of };
        for &(pi, _, _) in &cat.plan {
            let pi = pi as usize;
            // What an amount that cannot be estimated yet still needs.
            if let (Some(node), Some(None)) = (cat.meta[pi].amount, results[pi].benefit.as_ref().map(|b| b.amount)) {
                missing.clear();
                Eval::new(env, trace).num(node);
                missing_under(cat, trace, fields, &results, node, missing);
                if let Some(b) = results[pi].benefit.as_mut() {
                    b.missing.extend_from_slice(missing);
                }
            }
            if results[pi].verdict != Verdict::Undecided {
                continue;
            }
            missing.clear();
            for &ci in &results[pi].undecided {
                let node = cat.crit_nodes[cat.crit_start[pi] as usize + ci as usize];
                Eval::new(env, trace).bool(node);
                missing_under(cat, trace, fields, &results, node, missing);
            }
            missing.sort_unstable();
            results[pi].missing.extend_from_slice(missing);
        }
        conflicts(cat, &mut results);
        Evaluation { cat, as_of, profile, results, traced: Cell::new(None), bufs: RefCell::new(b), home: Arc::clone(&self.home) }
    }
}

/// Evaluate the derived values (in dependency order).
fn derive(cat: &Catalogue, as_of: Date, fields: &[crate::rules::Value], derived: &mut Vec<Computed>) {
    derived.clear();
    for d in &cat.derived {
        let env = Env { prog: &cat.program, fields, derived, policies: &[], as_of };
        let v = Eval::new(env, &mut NoTrace).computed(d.node);
        derived.push(v);
    }
}

/// A policy's verdict from its criteria (`roots`). With `outcomes`, every
/// criterion is evaluated and its outcome stored; without, evaluation stops
/// at the first criterion not met.
#[inline]
fn criteria(ev: &mut Eval<'_, '_, NoTrace>, roots: &[NodeId], outcomes: Option<&mut [Tri]>) -> Tri {
    let mut acc = Tri::True;
    match outcomes {
        None => {
            for &node in roots {
                acc = acc.and(ev.bool(node));
                if acc == Tri::False {
                    break;
                }
            }
        }
        Some(o) => {
            for (&node, slot) in roots.iter().zip(o) {
                *slot = ev.bool(node);
                acc = acc.and(*slot);
            }
        }
    }
    acc
}

/// Verdicts of every policy: derived values, then policies in dependency
/// order, each stopping at its first criterion not met.
fn run(cat: &Catalogue, as_of: Date, fields: &[crate::rules::Value], derived: &mut Vec<Computed>, verdicts: &mut Vec<Tri>, memo: &mut Memo) {
    let prog = &cat.program;
    derive(cat, as_of, fields, derived);
    memo.reset(prog);
    verdicts.clear();
    verdicts.resize(cat.policies.len(), Tri::Unknown);
    let mut untraced = NoTrace;
    for &(pi, s, e) in &cat.plan {
        let env = Env { prog, fields, derived, policies: verdicts, as_of };
        let t = criteria(&mut Eval::with_memo(env, &mut untraced, memo), cat.crit_fast.get(s as usize..e as usize).unwrap_or(&[]), None);
        if let Some(v) = verdicts.get_mut(pi as usize) {
            *v = t;
        }
    }
}

/// Scratch space for trying answers in [`Evaluation::ask_next`].
struct Probe {
    values: Vec<Value>,
    derived: Vec<Computed>,
    verdicts: Vec<Tri>,
    /// The policies being tried.
    mask: Vec<bool>,
}

/// The evaluation of one profile: results by policy, and explanation
/// trees on demand.
pub struct Evaluation<'m> {
    cat: &'m Catalogue,
    /// The as-of date.
    pub as_of: Date,
    /// The profile evaluated.
    pub profile: &'m Profile,
    /// Results by policy index (catalogue order).
    pub results: Vec<PolicyResult>,
    /// The policy whose recorded evaluation `bufs.trace` holds.
    traced: Cell<Option<u32>>,
    /// The recorder, derived values, verdicts and criterion outcomes.
    bufs: RefCell<Buffers>,
    /// Where the buffers go back to when this is dropped.
    home: Arc<Mutex<Option<Buffers>>>,
}

impl Drop for Evaluation<'_> {
    /// Hands the buffers and the results (unless taken) back to the
    /// [`Matcher`], whose next evaluation reuses them.
    fn drop(&mut self) {
        let mut b = std::mem::take(self.bufs.get_mut());
        b.results = std::mem::take(&mut self.results);
        if let Ok(mut home) = self.home.lock() {
            *home = Some(b);
        }
    }
}

impl<'m> Evaluation<'m> {
    /// Missing fields ranked by how many undecided policies one answer
    /// decides (see [`AskNext::decides`]), then by how many need it, then by
    /// declaration order; after them, the fields no verdict needs that a
    /// benefit amount still does (see [`AskNext::amounts`]), by how many
    /// amounts need each.
    ///
    /// A yes/no or choice question is tried with each of its answers, by
    /// the same evaluator, on the policies that need it.
    ///
    /// # Example
    /// ```
    /// # use policy_match::catalogue::Catalogue;
    /// # let cat = Catalogue::from_json("demo.json", r#"{"format": "policy-match/catalogue@1", "id": "demo", "version": "1", "updated": "2026-01-01", "title": {"zh": "示例", "en": "Demo"},
    /// #   "fields": [{"name": "staff", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Staff"}},
    /// #              {"name": "revenue", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "税务局", "en": "Tax bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "staff"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "At most 300 staff"}, "rule": {"<=": [{"var": "staff"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过5000万元", "en": "Revenue at most ¥50M"}, "rule": {"<=": [{"var": "revenue"}, 50000000]}}]}]}"#)?;
    /// # use policy_match::matching::{Matcher, Profile};
    /// let mut m = Matcher::new(&cat, "2026-07-01".parse()?);
    /// let p = Profile::from_json_str(&cat, r#"{"staff": 12}"#)?;
    /// let ask = m.evaluate(&p).ask_next();
    /// assert_eq!(ask.len(), 1);
    /// assert_eq!((ask[0].field.as_str(), ask[0].decides, ask[0].needed_by), ("revenue", 1, 1));
    /// assert_eq!(ask[0].policies, ["small"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn ask_next(&self) -> Vec<AskNext> {
        let n = self.cat.fields.len();
        let (mut decides, mut needed) = (vec![0u32; n], vec![0u32; n]);
        let mut who: Vec<Vec<u32>> = vec![Vec::new(); n];
        for r in self.results.iter().filter(|r| r.verdict == Verdict::Undecided) {
            for &f in &r.missing {
                needed[f as usize] += 1;
                who[f as usize].push(r.policy);
                if r.missing.len() == 1 {
                    decides[f as usize] += 1;
                }
            }
        }
        let mut amounts = vec![0u32; n];
        for r in &self.results {
            for &f in r.benefit.iter().flat_map(|b| &b.missing) {
                amounts[f as usize] += 1;
                if needed[f as usize] == 0 {
                    who[f as usize].push(r.policy);
                }
            }
        }
        let bufs = self.bufs.borrow();
        let mut probe =
            Probe { values: self.profile.values.to_vec(), derived: Vec::new(), verdicts: bufs.verdicts.to_vec(), mask: vec![false; self.results.len()] };
        for f in 0..n {
            if needed[f] > decides[f] {
                decides[f] = decides[f].max(self.probe(&mut probe, &bufs.verdicts, f, &who[f]));
            }
        }
        let mut slots: Vec<usize> = (0..n).filter(|&f| needed[f] > 0 || amounts[f] > 0).collect();
        // Among questions that decide as much, the catalogue's order: its
        // authors put a question's context first (the VAT filing period,
        // then the sales of the latest period), even when the later one
        // also serves an amount. Amounts rank only the questions no verdict
        // needs.
        slots.sort_by(|&a, &b| {
            let key = |f: usize| (needed[f] > 0, decides[f], needed[f], if needed[f] > 0 { 0 } else { amounts[f] });
            key(b).cmp(&key(a)).then(a.cmp(&b))
        });
        slots
            .into_iter()
            .map(|f| AskNext {
                field: self.cat.fields[f].name().to_string(),
                decides: decides[f],
                needed_by: needed[f],
                amounts: amounts[f],
                policies: who[f].iter().map(|&p| self.cat.policies[p as usize].id.clone()).collect(),
            })
            .collect()
    }

    /// The most of `policies` (undecided, needing field `f`) that any one
    /// answer to a yes/no, choice or multi-select field decides (for a
    /// multi-select: "none", or one option); 0 for other fields.
    fn probe(&self, p: &mut Probe, verdicts: &[Tri], f: usize, policies: &[u32]) -> u32 {
        let cat = self.cat;
        let def = &cat.fields[f].def;
        let answers: Vec<Value> = match def.ty {
            FieldType::Boolean => vec![Value::Bool(true), Value::Bool(false)],
            FieldType::Enum => def.options.iter().map(|o| Value::Str(o.value.as_str().into())).collect(),
            // A multi-select: none of its options, or each one alone.
            FieldType::StringList if !def.options.is_empty() => {
                std::iter::once(Value::Strs(Box::default())).chain(def.options.iter().map(|o| Value::Strs(Box::new([o.value.as_str().into()])))).collect()
            }
            _ => return 0,
        };
        for &pi in policies {
            p.mask[pi as usize] = true;
        }
        let mut best = 0;
        for answer in answers {
            p.values[f] = answer;
            derive(cat, self.as_of, &p.values, &mut p.derived);
            p.verdicts.copy_from_slice(verdicts);
            let mut decided = 0;
            // In evaluation order, so that a policy that refers to another
            // sees the other's verdict under this answer.
            for &(pi, s, e) in &cat.plan {
                if !p.mask[pi as usize] {
                    continue;
                }
                let env = Env { prog: &cat.program, fields: &p.values, derived: &p.derived, policies: &p.verdicts, as_of: self.as_of };
                let t = criteria(&mut Eval::new(env, &mut NoTrace), cat.crit_fast.get(s as usize..e as usize).unwrap_or(&[]), None);
                p.verdicts[pi as usize] = t;
                decided += u32::from(t != Tri::Unknown);
            }
            best = best.max(decided);
        }
        p.values[f] = Value::Missing;
        for &pi in policies {
            p.mask[pi as usize] = false;
        }
        best
    }

    /// The results in contract form (policy and criterion ids).
    ///
    /// # Example
    /// ```
    /// # use policy_match::catalogue::Catalogue;
    /// # let cat = Catalogue::from_json("demo.json", r#"{"format": "policy-match/catalogue@1", "id": "demo", "version": "1", "updated": "2026-01-01", "title": {"zh": "示例", "en": "Demo"},
    /// #   "fields": [{"name": "staff", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Staff"}},
    /// #              {"name": "revenue", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "税务局", "en": "Tax bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "staff"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "At most 300 staff"}, "rule": {"<=": [{"var": "staff"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过5000万元", "en": "Revenue at most ¥50M"}, "rule": {"<=": [{"var": "revenue"}, 50000000]}}]}]}"#)?;
    /// # use policy_match::matching::{Matcher, Profile};
    /// let mut m = Matcher::new(&cat, "2026-07-01".parse()?);
    /// let p = Profile::from_json_str(&cat, r#"{"staff": 12}"#)?;
    /// let report = m.evaluate(&p).report("acme".into());
    /// let json = serde_json::to_value(&report)?;
    /// assert_eq!(json["profile"], "acme");
    /// assert_eq!(json["results"][0]["verdict"], "undecided");
    /// assert_eq!(json["results"][0]["missing_fields"][0], "revenue");
    /// assert_eq!(json["ask_next"][0]["field"], "revenue");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn report(&self, profile_key: Json) -> ProfileReport {
        let cat = self.cat;
        let results = self.results.iter().map(|r| ResultReport::new(cat, r)).collect();
        let profile = match &self.profile.id {
            Some(id) => Json::String(id.clone()),
            None => profile_key,
        };
        ProfileReport { profile, results, ask_next: self.ask_next(), issues: self.profile.issues.clone() }
    }

    /// What the evaluator recorded for a node: a criterion's root gives the
    /// criterion's outcome; any other node of a policy (or of a derived
    /// value) re-runs that policy's recorded evaluation.
    ///
    /// # Example
    /// ```
    /// # use policy_match::catalogue::Catalogue;
    /// # let cat = Catalogue::from_json("demo.json", r#"{"format": "policy-match/catalogue@1", "id": "demo", "version": "1", "updated": "2026-01-01", "title": {"zh": "示例", "en": "Demo"},
    /// #   "fields": [{"name": "staff", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Staff"}},
    /// #              {"name": "revenue", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "税务局", "en": "Tax bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "staff"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "At most 300 staff"}, "rule": {"<=": [{"var": "staff"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过5000万元", "en": "Revenue at most ¥50M"}, "rule": {"<=": [{"var": "revenue"}, 50000000]}}]}]}"#)?;
    /// # use policy_match::{matching::{Matcher, Profile}, rules::{NumVal, Rec, Tri}};
    /// let mut m = Matcher::new(&cat, "2026-07-01".parse()?);
    /// let p = Profile::from_json_str(&cat, r#"{"staff": 320}"#)?;
    /// let e = m.evaluate(&p);
    /// let c1 = cat.policies[0].criteria[0].node; // {"<=": [{"var": "staff"}, 300]}
    /// assert_eq!(e.criterion_record(c1), Some(Rec::Tri(Tri::False)));
    /// let staff = cat.program.children(c1)[0];
    /// assert_eq!(e.criterion_record(staff), Some(Rec::Num(NumVal::Val(320.into()))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn criterion_record(&self, node: NodeId) -> Option<Rec> {
        let cat = self.cat;
        // Roots are in increasing node order (policies are compiled in order).
        if let Ok(i) = cat.crit_nodes.binary_search(&node) {
            return self.bufs.borrow().outcomes.get(i).map(|t| Rec::Tri(*t));
        }
        // The policy whose nodes start at or before `node` (derived values
        // come first and are recorded with any policy).
        let firsts = |p: usize| cat.crit_start.get(p).and_then(|&s| cat.crit_nodes.get(s as usize)).copied().unwrap_or(NodeId::MAX);
        let p = (0..cat.policies.len()).collect::<Vec<_>>().partition_point(|&p| firsts(p) <= node).saturating_sub(1);
        if p >= cat.policies.len() {
            return None;
        }
        self.recorded(p as u32).trace.get(node)
    }

    /// The explanation tree of one policy (by index).
    ///
    /// # Example
    /// ```
    /// # use policy_match::catalogue::Catalogue;
    /// # let cat = Catalogue::from_json("demo.json", r#"{"format": "policy-match/catalogue@1", "id": "demo", "version": "1", "updated": "2026-01-01", "title": {"zh": "示例", "en": "Demo"},
    /// #   "fields": [{"name": "staff", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Staff"}},
    /// #              {"name": "revenue", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "税务局", "en": "Tax bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "staff"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "At most 300 staff"}, "rule": {"<=": [{"var": "staff"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过5000万元", "en": "Revenue at most ¥50M"}, "rule": {"<=": [{"var": "revenue"}, 50000000]}}]}]}"#)?;
    /// # use policy_match::{matching::{Matcher, Profile, Verdict}, rules::{Tri, Value}};
    /// let mut m = Matcher::new(&cat, "2026-07-01".parse()?);
    /// let p = Profile::from_json_str(&cat, r#"{"staff": 320, "revenue": 1000000}"#)?;
    /// let x = m.evaluate(&p).explain(0).unwrap();
    /// assert_eq!((x.policy.as_str(), x.verdict), ("small", Verdict::DoesNotQualify));
    /// let c1 = &x.criteria[0];
    /// assert_eq!((c1.outcome, c1.tree.op.as_str()), (Tri::False, "<="));
    /// let staff = &c1.tree.children[0];
    /// assert_eq!((staff.name.as_deref(), &staff.value), (Some("staff"), &Some(Value::Num(320.into()))));
    /// assert_eq!(c1.near_misses[0].message().en, "Staff 320 people, needs ≤ 300 people: 20 people over");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn explain(&self, policy: u32) -> Option<PolicyExplanation> {
        if policy as usize >= self.cat.policies.len() {
            return None;
        }
        let bufs = self.recorded(policy);
        explain::explain(self.cat, self, &bufs.trace, &bufs.derived, policy)
    }

    /// The buffers, their recorder holding the recorded evaluation of `policy`: derived
    /// values, every criterion (untraced evaluation short-circuits; this one
    /// evaluates every operand) and, unless the policy is not met, its
    /// benefit formula. Re-run only when another policy was recorded last.
    fn recorded(&self, policy: u32) -> Ref<'_, Buffers> {
        if self.traced.get() != Some(policy) {
            let mut bufs = self.bufs.borrow_mut();
            let Buffers { trace, derived, verdicts, .. } = &mut *bufs;
            let cat = self.cat;
            let env = Env { prog: &cat.program, fields: &self.profile.values, derived, policies: verdicts, as_of: self.as_of };
            trace.reset();
            for d in &cat.derived {
                Eval::new(env, trace).computed(d.node);
            }
            let (s, e) = (cat.crit_start[policy as usize] as usize, cat.crit_start[policy as usize + 1] as usize);
            for &node in cat.crit_nodes.get(s..e).unwrap_or(&[]) {
                Eval::new(env, trace).bool(node);
            }
            let p = &cat.policies[policy as usize];
            if let (Some(node), false) = (p.amount, verdicts.get(policy as usize) == Some(&Tri::False)) {
                Eval::new(env, trace).num(node);
            }
            self.traced.set(Some(policy));
        }
        self.bufs.borrow()
    }
}

impl Catalogue {
    /// Evaluate one profile and return its report (convenience for
    /// one-off use; keep a [`Matcher`] to evaluate many).
    ///
    /// # Example
    /// ```
    /// # use policy_match::catalogue::Catalogue;
    /// # let cat = Catalogue::from_json("demo.json", r#"{"format": "policy-match/catalogue@1", "id": "demo", "version": "1", "updated": "2026-01-01", "title": {"zh": "示例", "en": "Demo"},
    /// #   "fields": [{"name": "staff", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Staff"}},
    /// #              {"name": "revenue", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "税务局", "en": "Tax bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "staff"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "At most 300 staff"}, "rule": {"<=": [{"var": "staff"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过5000万元", "en": "Revenue at most ¥50M"}, "rule": {"<=": [{"var": "revenue"}, 50000000]}}]}]}"#)?;
    /// # use policy_match::matching::{Profile, Verdict};
    /// let p = Profile::from_json_str(&cat, r#"{"staff": 12, "revenue": 3000000}"#)?;
    /// let report = cat.evaluate(&p, "2026-07-01".parse()?);
    /// assert_eq!(report.results[0].verdict, Verdict::Qualifies);
    /// assert_eq!(report.results[0].benefit.as_ref().unwrap().amount, Some(12000.into()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate(&self, profile: &Profile, as_of: Date) -> ProfileReport {
        let mut m = Matcher::new(self, as_of);
        let e = m.evaluate(profile);
        e.report(Json::from(0))
    }
}

struct Near {
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
    fn write_near_miss(&self, cat: &Catalogue, criterion: &crate::catalogue::Criterion, x: &mut NearMiss) {
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
    fn blank() -> NearMiss {
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
fn near(prog: &Program, ev: &mut Eval<'_, '_, NoTrace>, node: NodeId, tol: Decimal, out: &mut Vec<Near>) -> bool {
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

/// Format a quantity for people: grouped digits, at most 4 decimals, with its unit.
///
/// # Example
/// ```
/// # use policy_match::{catalogue::Unit, matching::format_quantity};
/// assert_eq!(format_quantity("12345678.9".parse().unwrap(), Some(Unit::Cny), "zh"), "12,345,678.9元");
/// assert_eq!(format_quantity("8.123456".parse().unwrap(), Some(Unit::Percent), "en"), "8.1235%");
/// ```
pub fn format_quantity(d: Decimal, unit: Option<Unit>, lang: &str) -> String {
    let mut out = String::with_capacity(24);
    push_quantity(&mut out, rounded(d, 4).as_str(), unit, lang.starts_with("en"));
    out
}

/// A number's text, on the stack: a `Decimal` has at most 29 digits (with
/// leading zeros, at most 29 for a scale of 28), a sign, a point and 9
/// group separators.
struct Digits {
    buf: [u8; 48],
    len: usize,
}

impl Digits {
    fn push(&mut self, c: u8) {
        if let Some(b) = self.buf.get_mut(self.len) {
            *b = c;
            self.len += 1;
        }
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits, '-', '.' and ',' are written.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

/// `d` rounded to `dp` decimal places, without trailing zeros, digits
/// grouped (the number part of [`format_quantity`]).
fn rounded(d: Decimal, dp: u32) -> Digits {
    grouped(d.round_dp(dp).normalize())
}

/// Append a quantity (already formatted by [`rounded`]) with its unit.
fn push_quantity(out: &mut String, s: &str, unit: Option<Unit>, en: bool) {
    let (before, after) = match (unit, en) {
        (Some(Unit::Percent), _) => ("", "%"),
        (Some(Unit::Cny), true) => ("¥", ""),
        (Some(Unit::Cny), false) => ("", "元"),
        (Some(Unit::People), true) => ("", " people"),
        (Some(Unit::People), false) => ("", "人"),
        (Some(Unit::Years), true) => ("", " years"),
        (Some(Unit::Years), false) => ("", "年"),
        (Some(Unit::Months), true) => ("", " months"),
        (Some(Unit::Months), false) => ("", "个月"),
        (Some(Unit::Days), true) => ("", " days"),
        (Some(Unit::Days), false) => ("", "天"),
        (Some(Unit::Points), true) => ("", " points"),
        (Some(Unit::Points), false) => ("", "分"),
        (Some(Unit::Count), false) => ("", "项"),
        _ => ("", ""),
    };
    out.push_str(before);
    out.push_str(s);
    out.push_str(after);
}

/// The decimal `d` as its `Display` text would read, with the integer
/// part's digits grouped by thousands (as [`group_digits`]).
fn grouped(d: Decimal) -> Digits {
    let m = d.mantissa();
    let scale = d.scale() as usize;
    // The digits of |mantissa|, at least one more than the scale.
    let mut digits = [b'0'; 40];
    let mut n = m.unsigned_abs();
    let mut len = 0;
    while n > 0 || len == 0 {
        digits[len] = b'0' + (n % 10) as u8;
        n /= 10;
        len += 1;
    }
    let len = len.max(scale + 1).min(digits.len());
    digits[..len].reverse();
    let (int, frac) = digits[..len].split_at(len - scale);
    let mut out = Digits { buf: [0; 48], len: 0 };
    if m < 0 {
        out.push(b'-');
    }
    for (i, c) in int.iter().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(b',');
        }
        out.push(*c);
    }
    if !frac.is_empty() {
        out.push(b'.');
        for &c in frac {
            out.push(c);
        }
    }
    out
}

/// `1234567.5` → `1,234,567.5`.
///
/// # Example
/// ```
/// # use policy_match::matching::group_digits;
/// assert_eq!(group_digits("1234567.5"), "1,234,567.5");
/// assert_eq!(group_digits("-1000"), "-1,000");
/// ```
pub fn group_digits(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map_or(("", s), |r| ("-", r));
    let (int, frac) = rest.split_once('.').map_or((rest, None), |(a, b)| (a, Some(b)));
    let mut out = String::with_capacity(s.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// Write the gap in words into `out`, e.g. "R&D
/// ratio 4.2%, needs ≥ 5%: 0.8 points short"; the label is the
/// concatenation of its parts.
#[allow(clippy::too_many_arguments)]
fn near_message(out: &mut Text, zh_label: [&str; 2], en_label: [&str; 2], unit: Option<Unit>, actual: Decimal, op: CmpOp, required: Decimal, gap: Decimal) {
    let sym = match op {
        CmpOp::Ge => "≥",
        CmpOp::Gt => ">",
        CmpOp::Le => "≤",
        CmpOp::Lt => "<",
        CmpOp::Eq => "=",
        CmpOp::Ne => "≠",
    };
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

/// Missing fields under an undecided node, pruned by the trace: decided
/// subtrees contribute nothing.
fn missing_under(cat: &Catalogue, trace: &Recorder, fields: &[crate::rules::Value], results: &[PolicyResult], node: NodeId, out: &mut Vec<u32>) {
    match trace.get(node) {
        Some(Rec::Tri(Tri::True | Tri::False)) | Some(Rec::Num(NumVal::Val(_) | NumVal::Undef)) | Some(Rec::Date(Some(_))) => return,
        _ => {}
    }
    let push = |f: u32, out: &mut Vec<u32>| {
        if !fields.get(f as usize).is_some_and(|v| v.is_provided()) && !out.contains(&f) {
            out.push(f);
        }
    };
    match &cat.program.nodes[node as usize] {
        Node::Field(f) | Node::Provided(f) => push(*f, out),
        Node::Derived(d) => {
            for &f in &cat.derived[*d as usize].fields {
                push(f, out);
            }
        }
        Node::Policy(p) => {
            if let Some(r) = results.get(*p as usize) {
                for &f in &r.missing {
                    push(f, out);
                }
            }
        }
        // An undecided condition leaves both branches unevaluated: what it
        // needs comes first (a branch's own needs show once it is chosen).
        Node::If(s) => {
            let (c, a, b) = cat.program.if_kids(*s);
            let next = match trace.get(c) {
                Some(Rec::Tri(Tri::True)) => a,
                Some(Rec::Tri(Tri::False)) => b,
                _ => c,
            };
            missing_under(cat, trace, fields, results, next, out);
        }
        _ => cat.program.each_child(node, |c| missing_under(cat, trace, fields, results, c, out)),
    }
}

fn conflicts(cat: &Catalogue, results: &mut [PolicyResult]) {
    let mut found: Vec<(usize, Conflict)> = Vec::new();
    for (pi, p) in cat.policies.iter().enumerate() {
        for s in &p.stacking {
            let Some(qi) = cat.policy_index(&s.policy.0).map(|q| q as usize) else { continue };
            if s.rule == StackRule::Stackable || results[pi].verdict != Verdict::Qualifies || results[qi].verdict != Verdict::Qualifies {
                continue;
            }
            let amount = |i: usize| results[i].benefit.as_ref().and_then(|b| b.amount);
            let (pref_p, pref_q) = match (s.rule, amount(pi), amount(qi)) {
                (StackRule::TakeHigher, Some(a), Some(b)) => (Some(a >= b), Some(b > a)),
                _ => (None, None),
            };
            found.push((pi, Conflict { with: cat.policies[qi].id.clone(), rule: s.rule, preferred: pref_p }));
            found.push((qi, Conflict { with: p.id.clone(), rule: s.rule, preferred: pref_q }));
        }
    }
    for (i, c) in found {
        if !results[i].conflicts.iter().any(|x| x.with == c.with) {
            results[i].conflicts.push(c);
        }
    }
}

fn ser_dec<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    crate::rules::serialize_decimal(d, s)
}

fn ser_opt_dec<S: serde::Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => ser_dec(d, s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The formatting `format_quantity` had before it wrote digits directly.
    fn reference(d: Decimal, unit: Option<Unit>, en: bool) -> String {
        let s = group_digits(&d.round_dp(4).normalize().to_string());
        let mut out = String::new();
        push_quantity(&mut out, &s, unit, en);
        out
    }

    #[test]
    fn quantities_format_as_display_with_grouping() {
        let mut r = crate::synth::Rng::new(5);
        let mut cases: Vec<Decimal> =
            ["0", "-0", "0.00001", "-0.00005", "0.00005", "1234567.5", "-1000", "999.99995", "1000000000000000000", "-0.1", "12.3400", "0.0001"]
                .iter()
                .map(|s| s.parse().unwrap())
                .collect();
        for _ in 0..20_000 {
            let m = (r.next_u64() >> r.below(64)) as i64 * if r.percent(30) { -1 } else { 1 };
            cases.push(Decimal::new(m, r.below(12) as u32));
        }
        for d in cases {
            for unit in [None, Some(Unit::Percent), Some(Unit::Cny), Some(Unit::Count)] {
                for en in [false, true] {
                    assert_eq!(format_quantity(d, unit, if en { "en" } else { "zh" }), reference(d, unit, en), "{d}");
                }
            }
        }
    }

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
