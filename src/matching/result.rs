//! What an evaluation gives: the verdict and result of each policy, the
//! questions worth asking, and their contract forms (policy, criterion and
//! field ids instead of indices) for the CLI and JavaScript.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value as Json;

use super::{NearMiss, ProfileIssue};
use crate::catalogue::{Catalogue, Criterion, Field, Policy, StackRule};
use crate::rules::Tri;

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

/// An estimated benefit.
///
/// Serialise the `Benefit` itself (or use
/// [`serialize_decimal`](crate::rules::serialize_decimal)) to get the amount
/// as the JSON number `policy-match match --format json` prints: a bare
/// [`Decimal`] serialises as a string with its trailing zeros (`"200000.10"`).
///
/// # Example
/// ```
/// # use policy_match::matching::Benefit;
/// let b = Benefit { amount: Some("200000.10".parse()?), currency: "CNY", conditional: false, missing: vec![] };
/// assert_eq!(serde_json::to_value(&b)?, serde_json::json!({"amount": 200000.1, "currency": "CNY", "conditional": false}));
/// assert_eq!(serde_json::json!({"amount": b.amount}), serde_json::json!({"amount": "200000.10"})); // not a number
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
///
/// It holds indices into the catalogue: [`PolicyResult::policy_in`],
/// [`PolicyResult::failed_in`], [`PolicyResult::undecided_in`] and
/// [`PolicyResult::missing_in`] give the policy, criteria and fields
/// themselves (with their titles, descriptions and labels in both
/// languages); [`ResultReport::new`] gives their ids.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyResult {
    /// Policy index (into [`Catalogue::policies`]).
    pub policy: u32,
    /// Verdict.
    pub verdict: Verdict,
    /// Whether the policy is in force on the as-of date.
    pub in_force: bool,
    /// Failed criteria, as indices into the policy's
    /// [`criteria`](crate::catalogue::Policy::criteria) (empty when it qualifies).
    pub failed: Vec<u16>,
    /// Undecided criteria, as indices into the policy's
    /// [`criteria`](crate::catalogue::Policy::criteria) (empty when it qualifies).
    pub undecided: Vec<u16>,
    /// Missing fields that keep it undecided, as slots (indices into
    /// [`Catalogue::fields`]); empty unless it is undecided.
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

impl PolicyResult {
    /// The policy, in the catalogue that evaluated it (`None` for another).
    ///
    /// # Example
    /// ```
    /// # use policy_match::{catalogue::Catalogue, matching::{Matcher, Profile}, Lang};
    /// let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    ///   "fields": [{"name": "staff", "type": "integer", "label": {"zh": "职工人数", "en": "Staff"}},
    ///              {"name": "revenue", "type": "number", "label": {"zh": "营业收入", "en": "Revenue"}}],
    ///   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "i", "en": "i"}, "category": "tax", "criteria": [
    ///     {"id": "C1", "description": {"zh": "不超过300人", "en": "At most 300 staff"}, "rule": {"<=": [{"var": "staff"}, 300]}},
    ///     {"id": "C2", "description": {"zh": "收入不超过5000万元", "en": "Revenue at most ¥50M"}, "rule": {"<=": [{"var": "revenue"}, 50000000]}}]}]}"#)?;
    /// let p = Profile::from_json_str(&cat, r#"{"staff": 12}"#)?;
    /// let e = Matcher::new(&cat, "2026-07-01".parse()?).evaluate(&p);
    /// let r = &e.results[0];
    /// assert_eq!(r.policy_in(&cat).map(|p| Lang::En.pick(&p.title)), Some("Small enterprise"));
    /// let undecided: Vec<&str> = r.undecided_in(&cat).map(|c| Lang::Zh.pick(&c.description)).collect();
    /// assert_eq!(undecided, ["收入不超过5000万元"]);
    /// let ask: Vec<&str> = r.missing_in(&cat).map(|f| Lang::En.pick(&f.def.label)).collect();
    /// assert_eq!(ask, ["Revenue"]);
    /// assert_eq!(r.failed_in(&cat).count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn policy_in<'c>(&self, cat: &'c Catalogue) -> Option<&'c Policy> {
        cat.policies.get(self.policy as usize)
    }

    /// The failed criteria (see [`PolicyResult::policy_in`]).
    pub fn failed_in<'c>(&self, cat: &'c Catalogue) -> impl Iterator<Item = &'c Criterion> + use<'_, 'c> {
        self.criteria_in(cat, &self.failed)
    }

    /// The undecided criteria (see [`PolicyResult::policy_in`]).
    pub fn undecided_in<'c>(&self, cat: &'c Catalogue) -> impl Iterator<Item = &'c Criterion> + use<'_, 'c> {
        self.criteria_in(cat, &self.undecided)
    }

    /// The missing fields that keep it undecided (see [`PolicyResult::policy_in`]).
    pub fn missing_in<'c>(&self, cat: &'c Catalogue) -> impl Iterator<Item = &'c Field> + use<'_, 'c> {
        self.missing.iter().filter_map(|&f| cat.fields.get(f as usize))
    }

    fn criteria_in<'a, 'c>(&'a self, cat: &'c Catalogue, which: &'a [u16]) -> impl Iterator<Item = &'c Criterion> + use<'a, 'c> {
        let criteria = self.policy_in(cat).map_or(&[][..], |p| &p.criteria[..]);
        which.iter().filter_map(|&c| criteria.get(usize::from(c)))
    }
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

pub(super) fn ser_dec<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    crate::rules::serialize_decimal(d, s)
}

fn ser_opt_dec<S: serde::Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => ser_dec(d, s),
        None => s.serialize_none(),
    }
}
