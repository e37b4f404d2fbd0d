//! The runs of the one evaluator over a catalogue: verdicts only (batch),
//! per-policy results of one profile (failed and undecided criteria,
//! missing fields, near misses, benefits, stacking conflicts), and the
//! recorded run of one policy that an explanation reads.

use std::cell::{Cell, Ref, RefCell};
use std::sync::{Arc, Mutex};

use rust_decimal::Decimal;
use serde_json::Value as Json;

use super::explain;
use super::near::{default_tolerance, near, Near};
use super::{Benefit, Conflict, NearMiss, PolicyExplanation, PolicyResult, Profile, ProfileReport, ResultReport, Verdict};
use crate::catalogue::{Catalogue, StackRule};
use crate::rules::{Computed, Date, Env, Eval, Memo, NoTrace, Node, NodeId, NumVal, Rec, Recorder, Tri};

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
pub(super) struct Buffers {
    trace: Recorder,
    memo: Memo,
    derived: Vec<Computed>,
    pub(super) verdicts: Vec<Tri>,
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
pub(super) fn derive(cat: &Catalogue, as_of: Date, fields: &[crate::rules::Value], derived: &mut Vec<Computed>) {
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
pub(super) fn criteria(ev: &mut Eval<'_, '_, NoTrace>, roots: &[NodeId], outcomes: Option<&mut [Tri]>) -> Tri {
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

/// The evaluation of one profile: results by policy, and explanation
/// trees on demand.
pub struct Evaluation<'m> {
    pub(super) cat: &'m Catalogue,
    /// The as-of date.
    pub as_of: Date,
    /// The profile evaluated.
    pub profile: &'m Profile,
    /// Results by policy index (catalogue order).
    pub results: Vec<PolicyResult>,
    /// The policy whose recorded evaluation `bufs.trace` holds.
    traced: Cell<Option<u32>>,
    /// The recorder, derived values, verdicts and criterion outcomes.
    pub(super) bufs: RefCell<Buffers>,
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

/// Missing fields under an undecided node, pruned by the trace: decided
/// subtrees contribute nothing.
pub(super) fn missing_under(cat: &Catalogue, trace: &Recorder, fields: &[crate::rules::Value], results: &[PolicyResult], node: NodeId, out: &mut Vec<u32>) {
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

/// The estimated value of the qualifying policies in force on the as-of
/// date: each amount once, and of two policies that cannot be combined
/// (their [`Conflict`]s: `take_higher`, `exclusive`) only the larger; `None`
/// when no qualifying policy in force has an amount. The self-check's
/// 预计可享受 and the batch's total per enterprise (`results` are an
/// evaluation's, by policy index, plain or shared).
///
/// # Example
/// ```
/// # use policy_match::catalogue::Catalogue;
/// # use policy_match::matching::{estimated_total, Matcher, Profile};
/// let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
///   "fields": [{"name": "staff", "type": "integer", "label": {"zh": "职工", "en": "Staff"}}],
///   "policies": [
///     {"id": "a", "title": {"zh": "a", "en": "a"}, "issuer": {"zh": "i", "en": "i"}, "category": "subsidy",
///      "benefit": {"text": {"zh": "每人100元", "en": "¥100 a head"}, "amount": {"*": [{"var": "staff"}, 100]}},
///      "stacking": [{"policy": "b", "rule": "take_higher"}],
///      "criteria": [{"id": "C1", "description": {"zh": "有职工", "en": "Has staff"}, "rule": {">": [{"var": "staff"}, 0]}}]},
///     {"id": "b", "title": {"zh": "b", "en": "b"}, "issuer": {"zh": "i", "en": "i"}, "category": "subsidy",
///      "benefit": {"text": {"zh": "3000元", "en": "¥3,000"}, "amount": 3000},
///      "criteria": [{"id": "C1", "description": {"zh": "有职工", "en": "Has staff"}, "rule": {">": [{"var": "staff"}, 0]}}]},
///     {"id": "c", "title": {"zh": "c", "en": "c"}, "issuer": {"zh": "i", "en": "i"}, "category": "subsidy",
///      "benefit": {"text": {"zh": "500元", "en": "¥500"}, "amount": 500},
///      "criteria": [{"id": "C1", "description": {"zh": "有职工", "en": "Has staff"}, "rule": {">": [{"var": "staff"}, 0]}}]}]}"#)?;
/// let mut m = Matcher::new(&cat, "2026-07-01".parse()?);
/// let p = Profile::from_json_str(&cat, r#"{"staff": 40}"#)?;
/// // a (4,000) and b (3,000) do not stack: the higher, 4,000, plus c's 500.
/// assert_eq!(estimated_total(&cat, &m.evaluate(&p).results), Some(4500.into()));
/// let p = Profile::from_json_str(&cat, r#"{"staff": 0}"#)?;
/// assert_eq!(estimated_total(&cat, &m.evaluate(&p).results), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
// Inlined into the widget's one caller: about 100 B less wasm.
#[inline]
pub fn estimated_total<R: std::borrow::Borrow<PolicyResult>>(cat: &Catalogue, results: &[R]) -> Option<Decimal> {
    let amount = |i: usize| results.get(i).and_then(|r| r.borrow().benefit.as_ref()).and_then(|b| b.amount);
    let mut total: Option<Decimal> = None;
    for (i, r) in results.iter().map(R::borrow).enumerate() {
        let Some(a) = amount(i).filter(|_| r.verdict == Verdict::Qualifies && r.in_force) else { continue };
        let loses = r.conflicts.iter().any(|c| match c.rule {
            StackRule::TakeHigher => c.preferred == Some(false),
            StackRule::Exclusive => cat.policy_index(&c.with).is_some_and(|j| {
                let other = amount(j as usize).unwrap_or(Decimal::ZERO);
                other > a || (other == a && (j as usize) < i)
            }),
            StackRule::Stackable => false,
        });
        if !loses {
            total = Some(total.unwrap_or_default() + a);
        }
    }
    total
}

fn conflicts(cat: &Catalogue, results: &mut [PolicyResult]) {
    let mut found: Vec<(usize, Conflict)> = Vec::new();
    for (pi, p) in cat.policies.iter().enumerate() {
        for s in &p.stacking {
            let Some(qi) = cat.policy_index(&s.policy.0).map(|q| q as usize) else { continue };
            // Only policies that can be claimed on the as-of date exclude each
            // other: an expired one takes nothing from one in force.
            let claimable = |i: usize| results[i].verdict == Verdict::Qualifies && results[i].in_force;
            if s.rule == StackRule::Stackable || !claimable(pi) || !claimable(qi) {
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
