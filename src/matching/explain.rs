//! Explanation trees, read from a recorded run of the evaluator that gave
//! the verdict (the same code with the [`Recorder`] as its tracer, run for
//! the one policy explained).

use serde::Serialize;

use super::evaluate::missing_under;
use super::{Benefit, Evaluation, NearMiss, Verdict};
use crate::catalogue::{Catalogue, Unit};
use crate::rules::{ArithOp, Computed, DateOp, Node, NodeId, NumVal, Quant, Rec, Recorder, Shift, Tri, Ty, Value};
use crate::Text;

const MAX_EXPLAIN_DEPTH: usize = 64;

/// One node of an explanation: mirrors the criteria expression.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExplainNode {
    /// The operator (`all`, `>=`, `field`, `band`, ...).
    pub op: String,
    /// For boolean nodes: met (`true`), not met (`false`) or undecided (`unknown`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Tri>,
    /// The value this node had (`null`: not provided).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// The field, derived value, policy or score part it names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<Text>,
    /// Its unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
    /// Extra detail: the band row picked, the items a quantifier matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For a number not yet known (a field under it is missing) but
    /// bounded: the lowest and highest values it can still take (e.g. a
    /// score whose missing part is worth 0 to 30 points).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<[Value; 2]>,
    /// Fields still missing under this node.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// Children.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<ExplainNode>,
}

/// One criterion's explanation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CriterionExplanation {
    /// Id.
    pub id: String,
    /// Description.
    pub description: Text,
    /// How the policy text was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// Outcome.
    pub outcome: Tri,
    /// Missing fields.
    pub missing_fields: Vec<String>,
    /// Near misses in this criterion.
    pub near_misses: Vec<NearMiss>,
    /// The tree.
    pub tree: ExplainNode,
}

/// A policy's explanation.
///
/// Serialised, it is what `policy-match explain --format json` prints.
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
/// let p = Profile::from_json_str(&cat, r#"{"staff": 12}"#)?;
/// let x = Matcher::new(&cat, "2026-07-01".parse()?).evaluate(&p).explain(0).unwrap();
/// let json = serde_json::to_value(&x)?;
/// assert_eq!((&json["verdict"], &json["missing_fields"][0]), (&"undecided".into(), &"revenue".into()));
/// let c2 = &json["criteria"][1];
/// assert_eq!((&c2["id"], &c2["outcome"], &c2["tree"]["op"]), (&"C2".into(), &"unknown".into(), &"<=".into()));
/// assert_eq!(c2["tree"]["children"][0]["missing"][0], "revenue");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PolicyExplanation {
    /// Policy id.
    pub policy: String,
    /// Verdict.
    pub verdict: Verdict,
    /// In force on the as-of date.
    pub in_force: bool,
    /// Every failed criterion is a near miss.
    pub within_reach: bool,
    /// Benefit estimate.
    pub benefit: Option<Benefit>,
    /// Missing fields.
    pub missing_fields: Vec<String>,
    /// Criteria.
    pub criteria: Vec<CriterionExplanation>,
}

/// The explanation of `policy`, read from `trace`, which holds a recorded
/// evaluation of that policy.
pub(super) fn explain(cat: &Catalogue, e: &Evaluation<'_>, trace: &Recorder, derived: &[Computed], policy: u32) -> Option<PolicyExplanation> {
    let p = cat.policies.get(policy as usize)?;
    let r = e.results.get(policy as usize)?;
    let b = Builder { cat, e, trace, derived };
    let criteria = p
        .criteria
        .iter()
        .map(|c| {
            let outcome = match trace.get(c.node) {
                Some(Rec::Tri(t)) => t,
                _ => Tri::Unknown,
            };
            CriterionExplanation {
                id: c.id.clone(),
                description: c.description.clone(),
                note: c.note.clone(),
                outcome,
                missing_fields: b.missing(c.node),
                near_misses: r.near_misses.iter().filter(|n| n.criterion == c.id).cloned().collect(),
                tree: {
                    let mut tree = ExplainNode::blank();
                    b.node(c.node, 0, &mut tree);
                    tree
                },
            }
        })
        .collect();
    Some(PolicyExplanation {
        policy: p.id.clone(),
        verdict: r.verdict,
        in_force: r.in_force,
        within_reach: r.within_reach,
        benefit: r.benefit.clone(),
        missing_fields: r.missing.iter().map(|&f| cat.fields[f as usize].name().to_string()).collect(),
        criteria,
    })
}

/// The children an explanation shows where they are not the node's
/// program children ([`Program::each_child`]): a derived value shows its
/// expression, a band table its value and the row it picked.
#[derive(Clone, Copy)]
struct Shown([NodeId; 2], usize);

impl Shown {
    fn as_slice(&self) -> &[NodeId] {
        self.0.get(..self.1).unwrap_or(&[])
    }
}

impl ExplainNode {
    fn blank() -> ExplainNode {
        ExplainNode {
            op: String::new(),
            outcome: None,
            value: None,
            name: None,
            label: None,
            unit: None,
            detail: None,
            range: None,
            missing: Vec::new(),
            children: Vec::new(),
        }
    }
}

struct Builder<'a, 'e> {
    cat: &'a Catalogue,
    e: &'a Evaluation<'e>,
    trace: &'a Recorder,
    derived: &'a [Computed],
}

impl Builder<'_, '_> {
    fn missing(&self, n: NodeId) -> Vec<String> {
        let mut out = Vec::new();
        missing_under(self.cat, self.trace, &self.e.profile.values, &self.e.results, n, &mut out);
        out.iter().map(|&f| self.cat.fields[f as usize].name().to_string()).collect()
    }

    /// Fill `x` (blank) with the explanation of node `n`. Nodes are built
    /// where they end up (in their parent's `children`), not moved there.
    fn node(&self, n: NodeId, depth: usize, x: &mut ExplainNode) {
        let prog = &self.cat.program;
        let trace = self.trace;
        let ty = prog.types[n as usize];
        match trace.get(n) {
            Some(Rec::Tri(t)) if ty == Ty::Bool => x.outcome = Some(t),
            Some(Rec::Num(NumVal::Val(d))) => x.value = Some(Value::Num(d)),
            Some(Rec::Num(NumVal::Missing)) | Some(Rec::Date(None)) => x.value = Some(Value::Missing),
            Some(Rec::Num(NumVal::Undef)) => x.detail = Some("undefined (division by zero or overflow)".into()),
            Some(Rec::Num(NumVal::Between(lo, hi))) => {
                x.value = Some(Value::Missing);
                x.range = Some([Value::Num(lo), Value::Num(hi)]);
            }
            Some(Rec::Date(Some(d))) => x.value = Some(Value::Date(d)),
            _ => {}
        }
        let mut shown: Option<Shown> = None;
        let op = match &prog.nodes[n as usize] {
            Node::Field(f) => {
                let field = &self.cat.fields[*f as usize];
                x.name = Some(field.name().to_string());
                x.label = Some(field.def.label.clone());
                x.unit = field.def.unit;
                x.value = Some(self.e.profile.values.get(*f as usize).cloned().unwrap_or(Value::Missing));
                "field"
            }
            Node::Derived(d) => {
                let dv = &self.cat.derived[*d as usize];
                x.name = Some(dv.name.clone());
                x.label = Some(dv.label.clone());
                x.unit = dv.unit;
                x.value = Some(match self.derived.get(*d as usize) {
                    Some(Computed::Num(NumVal::Val(v))) => Value::Num(*v),
                    Some(Computed::Date(Some(v))) => Value::Date(*v),
                    Some(Computed::Bool(t)) if *t != Tri::Unknown => Value::Bool(*t == Tri::True),
                    _ => Value::Missing,
                });
                shown = Some(Shown([dv.node, 0], 1));
                "derived"
            }
            Node::AsOf => {
                x.value = Some(Value::Date(self.e.as_of));
                "as_of"
            }
            Node::Item => "item",
            Node::Num(k) => {
                x.value = Some(Value::Num(prog.num(*k)));
                "literal"
            }
            Node::Bool(b) => {
                x.value = Some(Value::Bool(*b));
                "literal"
            }
            Node::Date(d) => {
                x.value = Some(Value::Date(*d));
                "literal"
            }
            Node::Str(s) => {
                x.value = Some(Value::Str(prog.strings[*s as usize].clone()));
                "literal"
            }
            Node::List(..) => "list",
            Node::All(..) => "all",
            Node::Any(..) => "any",
            Node::Not(_) => "not",
            Node::Cmp(op, ..) => op.symbol(),
            Node::In(neg, ..) => {
                if *neg {
                    "not_in"
                } else {
                    "in"
                }
            }
            Node::Contains(..) => "contains",
            Node::ContainsSet(all, ..) => {
                if *all {
                    "contains_all"
                } else {
                    "contains_any"
                }
            }
            Node::Provided(f) => {
                let field = &self.cat.fields[*f as usize];
                x.name = Some(field.name().to_string());
                x.label = Some(field.def.label.clone());
                "provided"
            }
            Node::Policy(p) => {
                let pol = &self.cat.policies[*p as usize];
                x.name = Some(pol.id.clone());
                x.label = Some(pol.title.clone());
                if let Some(r) = self.e.results.get(*p as usize) {
                    x.value = Some(Value::Str(r.verdict.as_str().into()));
                }
                "policy"
            }
            Node::Quant(q, list, _) => {
                let matched = trace.count(n);
                if let (Some(first), Some(Value::Dates(ds))) = (trace.aux(n), self.list_value(*list)) {
                    x.detail = Some(format!("{matched} matching item(s), first {}", ds.get(first as usize).map(|d| d.to_string()).unwrap_or_default()));
                } else if trace.get(n).is_some() || matched > 0 {
                    x.detail = Some(format!("{matched} matching item(s)"));
                }
                match q {
                    Quant::Some => "some",
                    Quant::Every => "every",
                    Quant::None => "none",
                }
            }
            Node::Arith(op, ..) => match op {
                ArithOp::Add => "+",
                ArithOp::Sub => "-",
                ArithOp::Mul => "*",
                ArithOp::Div => "/",
                ArithOp::Min => "min",
                ArithOp::Max => "max",
            },
            Node::Neg(_) => "neg",
            Node::DateDiff(op, ..) => match op {
                DateOp::DaysBetween => "days_between",
                DateOp::YearsBetween => "years_between",
            },
            Node::Count(..) | Node::CountAll(_) => "count",
            Node::Band(of, s) => {
                shown = Some(Shown([*of, 0], 1));
                if let Some(r) = trace.aux(n) {
                    let row = &prog.rows[r as usize];
                    let then = self.literal_text(row.then);
                    x.detail = Some(match row.op {
                        Some(op) => format!("row {}: {} {} → {then}", r - s + 1, op.symbol(), self.literal_text(row.bound)),
                        None => format!("row {}: otherwise → {then}", r - s + 1),
                    });
                    shown = Some(Shown([*of, row.then], 2));
                }
                "band"
            }
            Node::Score(s, e) => {
                let parts = &prog.parts[*s as usize..*e as usize];
                x.children.reserve_exact(parts.len());
                for p in parts {
                    let mut c = ExplainNode::blank();
                    self.child(p.points, depth, &mut c);
                    c.name = Some(p.id.to_string());
                    c.label = Some(p.label.clone());
                    c.unit = Some(Unit::Points);
                    x.children.push(c);
                }
                "score"
            }
            Node::Shift(k, _, by) => {
                x.detail = Some(by.to_string());
                match k {
                    Shift::Days => "add_days",
                    Shift::Months => "add_months",
                    Shift::Years => "add_years",
                }
            }
            Node::If(..) => "if",
        };
        x.op.push_str(op);
        if x.outcome == Some(Tri::Unknown) || x.value == Some(Value::Missing) {
            x.missing = self.missing(n);
        }
        if x.children.is_empty() {
            let mut add = |k: NodeId| {
                x.children.push(ExplainNode::blank());
                if let Some(c) = x.children.last_mut() {
                    self.child(k, depth, c);
                }
            };
            match shown {
                Some(s) => s.as_slice().iter().for_each(|&k| add(k)),
                None => prog.each_child(n, add),
            }
        }
    }

    /// Fill `c` (blank) with the explanation of child `n` of a node at `depth`.
    fn child(&self, n: NodeId, depth: usize, c: &mut ExplainNode) {
        if depth >= MAX_EXPLAIN_DEPTH {
            c.op.push('…');
            c.detail = Some("too deep to show".into());
            return;
        }
        self.node(n, depth + 1, c)
    }

    fn list_value(&self, n: NodeId) -> Option<Value> {
        match &self.cat.program.nodes[n as usize] {
            Node::Field(f) => self.e.profile.values.get(*f as usize).cloned(),
            _ => None,
        }
    }

    fn literal_text(&self, n: NodeId) -> String {
        let prog = &self.cat.program;
        match &prog.nodes[n as usize] {
            Node::Num(k) => prog.num(*k).normalize().to_string(),
            Node::Date(d) => d.to_string(),
            Node::Str(s) => prog.strings[*s as usize].to_string(),
            Node::Bool(b) => b.to_string(),
            _ => match self.trace.get(n) {
                Some(Rec::Num(NumVal::Val(d))) => d.normalize().to_string(),
                Some(Rec::Date(Some(d))) => d.to_string(),
                Some(Rec::Tri(t)) => match t {
                    Tri::True => "true",
                    Tri::False => "false",
                    Tri::Unknown => "unknown",
                }
                .into(),
                _ => "…".into(),
            },
        }
    }
}
