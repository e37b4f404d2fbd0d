//! Which question to ask next: the missing fields ranked by how many
//! undecided policies one answer decides, each answer of a yes/no or
//! choice question tried by the same evaluator.

use super::evaluate::{criteria, derive};
use super::{AskNext, Evaluation, Verdict};
use crate::catalogue::FieldType;
use crate::rules::{Computed, Env, Eval, NoTrace, Tri, Value};

/// Scratch space for trying answers in [`Evaluation::ask_next`].
struct Probe {
    values: Vec<Value>,
    derived: Vec<Computed>,
    verdicts: Vec<Tri>,
    /// The policies being tried.
    mask: Vec<bool>,
}

impl Evaluation<'_> {
    /// Missing fields ranked by how many undecided policies one answer
    /// decides (see [`AskNext::decides`]; policies that ended before the
    /// as-of date are left out), then by how many need it, then by
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
        // A policy that ended before the as-of date asks nothing: it cannot be claimed.
        let open = |r: &&super::PolicyResult| self.cat.policies.get(r.policy as usize).is_none_or(|p| p.ended_before(self.as_of).is_none());
        for r in self.results.iter().filter(open).filter(|r| r.verdict == Verdict::Undecided) {
            for &f in &r.missing {
                needed[f as usize] += 1;
                who[f as usize].push(r.policy);
                if r.missing.len() == 1 {
                    decides[f as usize] += 1;
                }
            }
        }
        let mut amounts = vec![0u32; n];
        for r in self.results.iter().filter(open) {
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
}
