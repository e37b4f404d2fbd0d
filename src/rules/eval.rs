//! The one evaluator: three-valued, exact, with opt-in tracing.
//!
//! Verdicts, explanations, near misses and "what to ask next" all come from
//! [`Eval`]. Tracing is a type parameter: with [`NoTrace`] every hook is an
//! empty inlined function and `all`/`any` short-circuit; with a recording
//! tracer every child is evaluated so the explanation is complete.

use rust_decimal::Decimal;

use super::program::{ArithOp, CmpOp, DateOp, Node, NodeId, Program, Quant, Shift, Ty, NO_MEMO};
use super::value::{Date, Tri, Value};

/// The result of a numeric expression.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NumVal {
    /// A field it needs is not provided.
    Missing,
    /// An exact value.
    Val(Decimal),
    /// Undefined: division by zero or overflow. Comparisons with an
    /// undefined value are not met.
    Undef,
    /// Not known, because a field it needs is not provided, but bounded:
    /// whatever the missing fields turn out to be, the value lies in
    /// `[lo, hi]`. A band table whose rows give constants bounds its
    /// result; sums, differences, minima and maxima carry bounds through,
    /// so a score whose known parts already reach its minimum is met
    /// before the last part is answered.
    Between(Decimal, Decimal),
}

impl NumVal {
    /// The interval of values this may take: a value is a point; `None`
    /// when nothing is known (missing and unbounded, or undefined).
    ///
    /// # Example
    /// ```
    /// use policy_match::rules::NumVal;
    /// assert_eq!(NumVal::Val(5.into()).bounds(), Some((5.into(), 5.into())));
    /// assert_eq!(NumVal::Between(0.into(), 30.into()).bounds(), Some((0.into(), 30.into())));
    /// assert_eq!(NumVal::Missing.bounds(), None);
    /// ```
    pub fn bounds(self) -> Option<(Decimal, Decimal)> {
        match self {
            NumVal::Val(d) => Some((d, d)),
            NumVal::Between(lo, hi) => Some((lo, hi)),
            NumVal::Missing | NumVal::Undef => None,
        }
    }
}

/// The value of a derived expression for one profile.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Computed {
    /// A boolean derived value.
    Bool(Tri),
    /// A numeric derived value.
    Num(NumVal),
    /// A date derived value.
    Date(Option<Date>),
}

/// What one evaluation reads: the program, the profile and the context.
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
/// # use policy_match::{matching::Profile, rules::{Env, Eval, NoTrace, NumVal, Recorder, Rec, Tri}};
/// # let p = Profile::from_json_str(&cat, r#"{"staff": 301}"#)?;
/// # let env = Env { prog: &cat.program, fields: &p.values, derived: &[], policies: &[], as_of: "2026-07-01".parse()? };
/// // `p` is a profile read with `Profile::from_json_str`; no derived values or policy references here.
/// let env = Env { prog: &cat.program, fields: &p.values, derived: &[], policies: &[], as_of: "2026-07-01".parse()? };
/// assert_eq!(Eval::new(env, &mut NoTrace).bool(cat.policies[0].criteria[0].node), Tri::False); // 301 > 300
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct Env<'a> {
    /// The compiled program.
    pub prog: &'a Program,
    /// Profile values by field slot.
    pub fields: &'a [Value],
    /// Derived values computed so far for this profile.
    pub derived: &'a [Computed],
    /// Verdicts of the policies evaluated so far (by policy index).
    pub policies: &'a [Tri],
    /// The as-of date.
    pub as_of: Date,
}

/// Hooks the evaluator calls for every node it evaluates.
pub trait Tracer {
    /// Whether tracing is on; when off, `all`/`any` short-circuit.
    const ON: bool;
    /// A boolean node's outcome.
    fn tri(&mut self, n: NodeId, v: Tri);
    /// A numeric node's value.
    fn num(&mut self, n: NodeId, v: NumVal);
    /// A date node's value.
    fn date(&mut self, n: NodeId, v: Option<Date>);
    /// The row a band table picked (`None`: undecided).
    fn row(&mut self, n: NodeId, row: Option<u32>);
    /// A quantifier's matches: how many items matched and the first that did.
    fn quant(&mut self, n: NodeId, matched: u32, first: Option<u32>);
}

/// The tracer that records nothing (zero cost).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoTrace;

impl Tracer for NoTrace {
    const ON: bool = false;
    #[inline(always)]
    fn tri(&mut self, _: NodeId, _: Tri) {}
    #[inline(always)]
    fn num(&mut self, _: NodeId, _: NumVal) {}
    #[inline(always)]
    fn date(&mut self, _: NodeId, _: Option<Date>) {}
    #[inline(always)]
    fn row(&mut self, _: NodeId, _: Option<u32>) {}
    #[inline(always)]
    fn quant(&mut self, _: NodeId, _: u32, _: Option<u32>) {}
}

/// What a tracer recorded for one node.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rec {
    /// A boolean outcome.
    Tri(Tri),
    /// A number.
    Num(NumVal),
    /// A date.
    Date(Option<Date>),
}

#[derive(Clone, Copy, Debug)]
struct Slot {
    gen: u32,
    rec: Rec,
    aux: Option<u32>,
    count: u32,
}

/// A tracer that records every node's value, reusable across evaluations
/// without clearing (records are stamped with a generation).
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    slots: Vec<Slot>,
    gen: u32,
}

impl Recorder {
    /// A recorder sized for `prog`.
    pub fn new(prog: &Program) -> Recorder {
        Recorder { slots: vec![Slot { gen: 0, rec: Rec::Tri(Tri::Unknown), aux: None, count: 0 }; prog.nodes.len()], gen: 0 }
    }

    /// Start a new evaluation: earlier records become stale.
    pub fn reset(&mut self) {
        self.gen = self.gen.wrapping_add(1);
        if self.gen == 0 {
            for s in &mut self.slots {
                s.gen = u32::MAX;
            }
            self.gen = 1;
        }
    }

    /// The record of a node in the current evaluation.
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
    /// # use policy_match::{matching::Profile, rules::{Env, Eval, NoTrace, NumVal, Recorder, Rec, Tri}};
    /// # let p = Profile::from_json_str(&cat, r#"{"staff": 301}"#)?;
    /// # let env = Env { prog: &cat.program, fields: &p.values, derived: &[], policies: &[], as_of: "2026-07-01".parse()? };
    /// let c1 = cat.policies[0].criteria[0].node; // staff <= 300
    /// let staff = cat.program.children(c1)[0];
    /// let mut rec = Recorder::new(&cat.program);
    /// rec.reset();
    /// Eval::new(env, &mut rec).bool(c1);
    /// assert_eq!(rec.get(c1), Some(Rec::Tri(Tri::False)));
    /// assert_eq!(rec.get(staff), Some(Rec::Num(NumVal::Val(301.into()))));
    /// rec.reset();
    /// assert_eq!(rec.get(c1), None); // stale after reset
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get(&self, n: NodeId) -> Option<Rec> {
        self.slots.get(n as usize).filter(|s| s.gen == self.gen).map(|s| s.rec)
    }

    /// The band row picked, or the first matching list item of a quantifier.
    ///
    /// # Example
    /// ```
    /// # use policy_match::{catalogue::Catalogue, matching::Profile, rules::*};
    /// # let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    /// #   "fields": [{"name": "staff", "type": "integer", "label": {"zh": "s", "en": "s"}}, {"name": "founded", "type": "date", "label": {"zh": "f", "en": "f"}}],
    /// #   "policies": [{"id": "p", "title": {"zh": "p", "en": "p"}, "issuer": {"zh": "i", "en": "i"}, "category": "tax",
    /// #     "criteria": [{"id": "C1", "description": {"zh": "d", "en": "d"},
    /// #       "rule": {">=": [{"band": {"of": {"var": "staff"}, "rows": [{">=": 100, "then": 20}, {">=": 10, "then": 10}, {"else": 0}]}}, 10]}},
    /// #                  {"id": "C2", "description": {"zh": "d", "en": "d"}, "rule": {"<=": [{"add_years": [{"var": "founded"}, 3]}, {"var": "$as_of"}]}}]}]}"#)?;
    /// # let p = Profile::from_json_str(&cat, r#"{"staff": 42, "founded": "2024-02-29"}"#)?;
    /// # let env = Env { prog: &cat.program, fields: &p.values, derived: &[], policies: &[], as_of: "2026-07-01".parse()? };
    /// # let band = cat.program.children(cat.policies[0].criteria[0].node)[0]; // the band table
    /// let mut rec = Recorder::new(&cat.program);
    /// rec.reset();
    /// assert_eq!(Eval::new(env, &mut rec).num(band), NumVal::Val(10.into()));
    /// assert_eq!(rec.aux(band), Some(1)); // 42 staff: the second row, `>= 10`
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn aux(&self, n: NodeId) -> Option<u32> {
        self.slots.get(n as usize).filter(|s| s.gen == self.gen).and_then(|s| s.aux)
    }

    /// How many list items a quantifier matched.
    pub fn count(&self, n: NodeId) -> u32 {
        self.slots.get(n as usize).filter(|s| s.gen == self.gen).map_or(0, |s| s.count)
    }

    fn put(&mut self, n: NodeId, rec: Rec) {
        let gen = self.gen;
        if let Some(s) = self.slots.get_mut(n as usize) {
            if s.gen != gen {
                *s = Slot { gen, rec, aux: None, count: 0 };
            } else {
                s.rec = rec;
            }
        }
    }

    fn put_aux(&mut self, n: NodeId, aux: Option<u32>, count: u32) {
        let gen = self.gen;
        if let Some(s) = self.slots.get_mut(n as usize) {
            if s.gen != gen {
                *s = Slot { gen, rec: Rec::Tri(Tri::Unknown), aux, count };
            } else {
                s.aux = aux;
                s.count = count;
            }
        }
    }
}

impl Tracer for Recorder {
    const ON: bool = true;
    fn tri(&mut self, n: NodeId, v: Tri) {
        self.put(n, Rec::Tri(v));
    }
    fn num(&mut self, n: NodeId, v: NumVal) {
        self.put(n, Rec::Num(v));
    }
    fn date(&mut self, n: NodeId, v: Option<Date>) {
        self.put(n, Rec::Date(v));
    }
    fn row(&mut self, n: NodeId, row: Option<u32>) {
        self.put_aux(n, row, 0);
    }
    fn quant(&mut self, n: NodeId, matched: u32, first: Option<u32>) {
        self.put_aux(n, first, matched);
    }
}

#[derive(Clone, Copy)]
enum Item<'a> {
    None,
    Date(Date),
    Str(&'a str),
}

enum ListRef<'a> {
    Dates(&'a [Date]),
    Strs(&'a [Box<str>]),
    Lit(&'a [NodeId]),
}

impl ListRef<'_> {
    fn len(&self) -> usize {
        match self {
            ListRef::Dates(d) => d.len(),
            ListRef::Strs(s) => s.len(),
            ListRef::Lit(l) => l.len(),
        }
    }
}

enum Pick {
    /// The picked row's result node.
    Row(NodeId),
    Missing,
    Undef,
}

/// The outcomes of a program's shared boolean sub-expressions
/// ([`Program::shared`]) for one profile, so that a test several
/// policies repeat is evaluated once.
///
/// # Example
/// ```
/// # use policy_match::{catalogue::Catalogue, rules::{Env, Eval, Memo, NoTrace, Tri}, matching::Profile, synth};
/// let cat = Catalogue::from_json("s.json", &synth::catalogue(50, 1)).unwrap();
/// let p = &synth::profiles(&cat, 1, 1)[0];
/// let mut memo = Memo::default();
/// memo.reset(&cat.program);
/// let env = Env { prog: &cat.program, fields: &p.values, derived: &[], policies: &[], as_of: "2026-07-01".parse().unwrap() };
/// assert!(cat.program.shared().len > 0, "the policies repeat some tests");
/// let (mut t1, mut t2) = (NoTrace, NoTrace);
/// let mut plain = Eval::new(env, &mut t1);
/// let mut memoised = Eval::with_memo(env, &mut t2, &mut memo);
/// for c in cat.policies.iter().flat_map(|p| &p.criteria) {
///     assert_eq!(plain.bool(c.node), memoised.bool(c.node));
/// }
/// ```
#[derive(Clone, Debug, Default)]
pub struct Memo(Vec<u8>);

impl Memo {
    /// Forget every outcome (a new profile), sized for `prog`.
    pub fn reset(&mut self, prog: &Program) {
        self.0.clear();
        self.0.resize(prog.shared().len as usize, 0);
    }
}

/// The evaluator over one [`Env`] with a tracer.
pub struct Eval<'a, 't, T: Tracer> {
    env: Env<'a>,
    item: Item<'a>,
    tracer: &'t mut T,
    /// Outcomes of shared sub-expressions (0: not yet evaluated, else
    /// 1 + the [`Tri`]); empty when not memoising.
    memo: &'t mut [u8],
    /// The memo slot of every node ([`crate::rules::Shared::slot`]).
    memo_slot: &'a [u32],
}

impl<'a, 't, T: Tracer> Eval<'a, 't, T> {
    /// An evaluator reading `env` and reporting to `tracer`.
    pub fn new(env: Env<'a>, tracer: &'t mut T) -> Self {
        Eval { env, item: Item::None, tracer, memo: &mut [], memo_slot: &[] }
    }

    /// An evaluator that keeps the outcome of every shared sub-expression
    /// in `memo` (reset it for each profile; the environment's fields,
    /// derived values, policy verdicts it reads and as-of date must not
    /// change while it is in use). A tracing evaluator ignores it: every
    /// node it records is evaluated.
    pub fn with_memo(env: Env<'a>, tracer: &'t mut T, memo: &'t mut Memo) -> Self {
        let memo_slot = &env.prog.shared().slot;
        Eval { env, item: Item::None, tracer, memo: &mut memo.0, memo_slot }
    }

    #[inline(always)]
    fn field(&self, slot: u32) -> &'a Value {
        self.env.fields.get(slot as usize).unwrap_or(&Value::Missing)
    }

    /// A string field's value; the city it names for a field read as a city
    /// (none, unknown, if it names none: the profile reader rejects such a
    /// value, but a [`Value`] may be set directly).
    #[inline(always)]
    fn field_str(&self, slot: u32) -> Option<&'a str> {
        match self.field(slot) {
            Value::Str(v) if self.env.prog.city_slots.contains(&slot) => super::city_of(v),
            Value::Str(v) => Some(v),
            _ => None,
        }
    }

    /// Whether `n` is a field read as a city: cities compare without
    /// letter case (`HANGZHOU` is `Hangzhou`), as people type them.
    fn is_city(&self, n: NodeId) -> bool {
        matches!(self.node(n), Node::Field(s) if self.env.prog.city_slots.contains(s))
    }

    #[inline(always)]
    fn node(&self, n: NodeId) -> &'a Node {
        // An id out of range (never produced by the compiler) reads as a
        // node that evaluates to "unknown" rather than panicking.
        self.env.prog.nodes.get(n as usize).unwrap_or(&Node::Item)
    }

    /// Evaluate any node to a [`Computed`] by its static type (used for derived values).
    pub fn computed(&mut self, n: NodeId) -> Computed {
        match self.env.prog.types.get(n as usize) {
            Some(Ty::Bool) => Computed::Bool(self.bool(n)),
            Some(Ty::Date) => Computed::Date(self.date(n)),
            _ => Computed::Num(self.num(n)),
        }
    }

    /// Evaluate a boolean node (a shared one once per [`Memo`]).
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
    /// # use policy_match::{matching::Profile, rules::{Env, Eval, NoTrace, NumVal, Recorder, Rec, Tri}};
    /// # let p = Profile::from_json_str(&cat, r#"{"staff": 301}"#)?;
    /// # let env = Env { prog: &cat.program, fields: &p.values, derived: &[], policies: &[], as_of: "2026-07-01".parse()? };
    /// let c2 = cat.policies[0].criteria[1].node; // revenue <= 50000000
    /// assert_eq!(Eval::new(env, &mut NoTrace).bool(c2), Tri::Unknown); // revenue not provided
    /// let p = Profile::from_json_str(&cat, r#"{"revenue": 3000000}"#)?;
    /// assert_eq!(Eval::new(Env { fields: &p.values, ..env }, &mut NoTrace).bool(c2), Tri::True);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn bool(&mut self, n: NodeId) -> Tri {
        if !T::ON && !self.memo.is_empty() {
            let slot = self.memo_slot.get(n as usize).copied().unwrap_or(NO_MEMO) as usize;
            if let Some(&m) = self.memo.get(slot) {
                if m != 0 {
                    return match m {
                        1 => Tri::False,
                        2 => Tri::True,
                        _ => Tri::Unknown,
                    };
                }
                let t = self.bool_node(n);
                if let Some(m) = self.memo.get_mut(slot) {
                    *m = t as u8 + 1;
                }
                return t;
            }
        }
        self.bool_node(n)
    }

    /// Evaluate a boolean node, whether or not it is in the memo.
    ///
    /// The common node kinds are handled here; the others are in a separate
    /// (not inlined) function so that this one, which recurses through
    /// `all`/`any`, stays small.
    fn bool_node(&mut self, n: NodeId) -> Tri {
        let prog = self.env.prog;
        let t = match *self.node(n) {
            Node::Cmp(op, ty, a, b) => self.cmp(op, ty, a, b),
            Node::All(s, e) => {
                let mut acc = Tri::True;
                for &k in prog.kids(s, e) {
                    acc = acc.and(self.bool(k));
                    if !T::ON && acc == Tri::False {
                        break;
                    }
                }
                acc
            }
            Node::Any(s, e) => {
                let mut acc = Tri::False;
                for &k in prog.kids(s, e) {
                    acc = acc.or(self.bool(k));
                    if !T::ON && acc == Tri::True {
                        break;
                    }
                }
                acc
            }
            Node::In(neg, ty, x, list) => self.member(neg, ty, x, list),
            Node::Bool(b) => Tri::from_bool(b),
            Node::Field(s) => match self.field(s) {
                Value::Bool(b) => Tri::from_bool(*b),
                _ => Tri::Unknown,
            },
            Node::Not(a) => self.bool(a).not(),
            _ => self.bool_other(n),
        };
        self.tracer.tri(n, t);
        t
    }

    /// The less common boolean nodes (the caller traces the result).
    #[inline(never)]
    fn bool_other(&mut self, n: NodeId) -> Tri {
        let prog = self.env.prog;
        match *self.node(n) {
            Node::Derived(i) => match self.env.derived.get(i as usize) {
                Some(Computed::Bool(t)) => *t,
                _ => Tri::Unknown,
            },
            Node::Contains(list, item) => {
                let l = self.list(list);
                let it = self.item_of(item);
                match (l, it) {
                    (Some(l), Some(it)) => Tri::from_bool((0..l.len()).any(|i| self.list_item(&l, i).is_some_and(|x| same(x, it)))),
                    _ => Tri::Unknown,
                }
            }
            Node::ContainsSet(all, list, set) => match (self.list(list), self.list(set)) {
                (Some(l), Some(s)) => {
                    let has = |this: &Self, want: Item| (0..l.len()).any(|i| this.list_item(&l, i).is_some_and(|x| same(x, want)));
                    let mut wants = (0..s.len()).filter_map(|j| self.list_item(&s, j));
                    Tri::from_bool(if all { wants.all(|w| has(self, w)) } else { wants.any(|w| has(self, w)) })
                }
                _ => Tri::Unknown,
            },
            Node::Provided(s) => Tri::from_bool(self.field(s).is_provided()),
            Node::Policy(p) => self.env.policies.get(p as usize).copied().unwrap_or(Tri::Unknown),
            Node::Quant(q, list, pred) => self.quant(n, q, list, pred),
            Node::If(s) => {
                let (c, a, b) = prog.if_kids(s);
                match self.bool(c) {
                    Tri::True => self.bool(a),
                    Tri::False => self.bool(b),
                    Tri::Unknown => Tri::Unknown,
                }
            }
            Node::Band(of, s) => match self.pick(n, of, s) {
                Pick::Row(then) => self.bool(then),
                Pick::Missing => Tri::Unknown,
                Pick::Undef => Tri::False,
            },
            _ => Tri::Unknown,
        }
    }

    /// A boolean operand: literals and fields inline, anything else through [`Eval::bool`].
    #[inline(always)]
    fn bool_operand(&mut self, n: NodeId) -> Tri {
        let t = match *self.node(n) {
            Node::Bool(b) => Tri::from_bool(b),
            Node::Field(s) => match self.field(s) {
                Value::Bool(b) => Tri::from_bool(*b),
                _ => Tri::Unknown,
            },
            _ => return self.bool(n),
        };
        self.tracer.tri(n, t);
        t
    }

    /// A numeric operand: literals and fields inline, anything else through [`Eval::num`].
    #[inline(always)]
    fn num_operand(&mut self, n: NodeId) -> NumVal {
        let v = match *self.node(n) {
            Node::Num(k) => NumVal::Val(self.env.prog.num(k)),
            Node::Field(s) => match self.field(s) {
                Value::Num(d) => NumVal::Val(*d),
                _ => NumVal::Missing,
            },
            _ => return self.num(n),
        };
        self.tracer.num(n, v);
        v
    }

    /// A date operand: literals, fields, `$as_of` and `$item` inline, anything else through [`Eval::date`].
    #[inline(always)]
    fn date_operand(&mut self, n: NodeId) -> Option<Date> {
        let v = match *self.node(n) {
            Node::Date(d) => Some(d),
            Node::AsOf => Some(self.env.as_of),
            Node::Item => match self.item {
                Item::Date(d) => Some(d),
                _ => None,
            },
            Node::Field(s) => match self.field(s) {
                Value::Date(d) => Some(*d),
                _ => None,
            },
            _ => return self.date(n),
        };
        self.tracer.date(n, v);
        v
    }

    /// A string operand: literals and fields inline, anything else through [`Eval::str`].
    #[inline(always)]
    fn str_operand(&mut self, n: NodeId) -> Option<&'a str> {
        let prog = self.env.prog;
        match *self.node(n) {
            Node::Str(i) => prog.strings.get(i as usize).map(|s| &**s),
            Node::Field(s) => self.field_str(s),
            _ => self.str(n),
        }
    }

    #[inline(always)]
    fn cmp(&mut self, op: CmpOp, ty: Ty, a: NodeId, b: NodeId) -> Tri {
        match ty {
            Ty::Num => match (self.num_operand(a), self.num_operand(b)) {
                (NumVal::Undef, _) | (_, NumVal::Undef) => Tri::False,
                (NumVal::Val(x), NumVal::Val(y)) => Tri::from_bool(op.test(dec_cmp(&x, &y))),
                (x, y) => match (x.bounds(), y.bounds()) {
                    (Some(x), Some(y)) => cmp_bounds(op, x, y),
                    _ => Tri::Unknown,
                },
            },
            Ty::Date => match (self.date_operand(a), self.date_operand(b)) {
                (Some(x), Some(y)) => Tri::from_bool(op.test(x.cmp(&y))),
                _ => Tri::Unknown,
            },
            Ty::Str => match (self.str_operand(a), self.str_operand(b)) {
                (Some(x), Some(y)) if self.is_city(a) || self.is_city(b) => Tri::from_bool(op.test(fold_case(x).cmp(fold_case(y)))),
                (Some(x), Some(y)) => Tri::from_bool(op.test(x.cmp(y))),
                _ => Tri::Unknown,
            },
            Ty::Bool => match (self.bool_operand(a), self.bool_operand(b)) {
                (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
                (x, y) => Tri::from_bool(op.test((x as u8).cmp(&(y as u8)))),
            },
            Ty::Dates | Ty::Strs => Tri::Unknown,
        }
    }

    #[inline(always)]
    fn member(&mut self, neg: bool, ty: Ty, x: NodeId, list: NodeId) -> Tri {
        let prog = self.env.prog;
        let Node::List(s, e) = *self.node(list) else { return Tri::Unknown };
        let items = prog.lists.get(s as usize..e as usize).unwrap_or(&[]);
        let found = match ty {
            Ty::Num => match self.num_operand(x) {
                NumVal::Val(v) => items.iter().any(|&i| matches!(self.node(i), Node::Num(k) if dec_cmp(&prog.num(*k), &v).is_eq())),
                NumVal::Missing | NumVal::Between(..) => return Tri::Unknown,
                NumVal::Undef => return Tri::False,
            },
            Ty::Date => match self.date_operand(x) {
                Some(v) => items.iter().any(|&i| matches!(self.node(i), Node::Date(k) if *k == v)),
                None => return Tri::Unknown,
            },
            _ => match self.str_operand(x) {
                Some(v) => {
                    let city = self.is_city(x);
                    let same = |s: &str| s == v || (city && s.eq_ignore_ascii_case(v));
                    items.iter().any(|&i| matches!(self.node(i), Node::Str(k) if prog.strings.get(*k as usize).is_some_and(|s| same(s))))
                }
                None => return Tri::Unknown,
            },
        };
        Tri::from_bool(found != neg)
    }

    fn quant(&mut self, n: NodeId, q: Quant, list: NodeId, pred: NodeId) -> Tri {
        let Some(l) = self.list(list) else {
            self.tracer.quant(n, 0, None);
            return Tri::Unknown;
        };
        let (mut matched, mut unknown, mut failed, mut first) = (0u32, false, false, None);
        let saved = self.item;
        for i in 0..l.len() {
            let Some(it) = self.list_item(&l, i) else { continue };
            self.item = it;
            match self.bool(pred) {
                Tri::True => {
                    matched += 1;
                    first = first.or(Some(i as u32));
                }
                Tri::False => failed = true,
                Tri::Unknown => unknown = true,
            }
            if !T::ON && ((q != Quant::Every && matched > 0) || (q == Quant::Every && failed)) {
                break;
            }
        }
        self.item = saved;
        self.tracer.quant(n, matched, first);
        let some = if matched > 0 {
            Tri::True
        } else if unknown {
            Tri::Unknown
        } else {
            Tri::False
        };
        match q {
            Quant::Some => some,
            Quant::None => some.not(),
            Quant::Every => {
                if failed {
                    Tri::False
                } else if unknown {
                    Tri::Unknown
                } else {
                    Tri::True
                }
            }
        }
    }

    /// Evaluate a numeric node.
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
    /// # use policy_match::{matching::Profile, rules::{Env, Eval, NoTrace, NumVal, Recorder, Rec, Tri}};
    /// # let p = Profile::from_json_str(&cat, r#"{"staff": 301}"#)?;
    /// # let env = Env { prog: &cat.program, fields: &p.values, derived: &[], policies: &[], as_of: "2026-07-01".parse()? };
    /// let amount = cat.policies[0].amount.unwrap(); // {"*": [{"var": "staff"}, 1000]}
    /// assert_eq!(Eval::new(env, &mut NoTrace).num(amount), NumVal::Val(301_000.into()));
    /// let empty = Profile::empty(&cat);
    /// assert_eq!(Eval::new(Env { fields: &empty.values, ..env }, &mut NoTrace).num(amount), NumVal::Missing);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn num(&mut self, n: NodeId) -> NumVal {
        let prog = self.env.prog;
        let v = match *self.node(n) {
            Node::Num(k) => NumVal::Val(prog.num(k)),
            Node::Field(s) => match self.field(s) {
                Value::Num(d) => NumVal::Val(*d),
                _ => NumVal::Missing,
            },
            Node::Derived(i) => match self.env.derived.get(i as usize) {
                Some(Computed::Num(v)) => *v,
                _ => NumVal::Missing,
            },
            Node::Arith(op, s, e) => self.arith(op, prog.kids(s, e)),
            Node::DateDiff(op, a, b) => match (self.date_operand(a), self.date_operand(b)) {
                (Some(x), Some(y)) => NumVal::Val(Decimal::from(match op {
                    DateOp::DaysBetween => Date::days_between(x, y),
                    DateOp::YearsBetween => Date::years_between(x, y),
                })),
                _ => NumVal::Missing,
            },
            _ => self.num_other(n),
        };
        self.tracer.num(n, v);
        v
    }

    /// The less common numeric nodes (the caller traces the result).
    #[inline(never)]
    fn num_other(&mut self, n: NodeId) -> NumVal {
        let prog = self.env.prog;
        match *self.node(n) {
            Node::Neg(a) => match self.num(a) {
                NumVal::Val(d) => NumVal::Val(-d),
                NumVal::Between(lo, hi) => NumVal::Between(-hi, -lo),
                other => other,
            },
            Node::CountAll(list) => match self.list(list) {
                None => NumVal::Missing,
                Some(l) => NumVal::Val(Decimal::from(l.len() as u64)),
            },
            Node::Count(list, p) => match self.list(list) {
                None => NumVal::Missing,
                Some(l) => {
                    let (mut c, mut unknown) = (0u64, 0u64);
                    let saved = self.item;
                    for i in 0..l.len() {
                        let Some(it) = self.list_item(&l, i) else { continue };
                        self.item = it;
                        match self.bool(p) {
                            Tri::True => c += 1,
                            Tri::Unknown => unknown += 1,
                            Tri::False => {}
                        }
                    }
                    self.item = saved;
                    if unknown > 0 {
                        // At least the items that matched, at most those
                        // plus the undecided ones.
                        NumVal::Between(Decimal::from(c), Decimal::from(c + unknown))
                    } else {
                        NumVal::Val(Decimal::from(c))
                    }
                }
            },
            Node::Band(of, s) => match self.pick(n, of, s) {
                Pick::Row(then) => self.num(then),
                Pick::Missing => self.band_bounds(s),
                Pick::Undef => NumVal::Undef,
            },
            Node::Score(s, e) => {
                let mut acc = NumVal::Val(Decimal::ZERO);
                for p in prog.parts.get(s as usize..e as usize).unwrap_or(&[]) {
                    acc = add(acc, self.num(p.points));
                }
                acc
            }
            Node::If(s) => {
                let (c, a, b) = prog.if_kids(s);
                match self.bool(c) {
                    Tri::True => self.num(a),
                    Tri::False => self.num(b),
                    Tri::Unknown => NumVal::Missing,
                }
            }
            _ => NumVal::Missing,
        }
    }

    fn arith(&mut self, op: ArithOp, kids: &[NodeId]) -> NumVal {
        let mut it = kids.iter();
        let Some(&first) = it.next() else { return NumVal::Undef };
        let mut acc = self.num_operand(first);
        for &k in it {
            let v = self.num_operand(k);
            acc = match op {
                ArithOp::Add => add(acc, v),
                ArithOp::Sub => interval(acc, v, |(a1, a2), (b1, b2)| Some((a1.checked_sub(b2)?, a2.checked_sub(b1)?))),
                ArithOp::Mul => lift(acc, v, |a, b| a.checked_mul(b)),
                ArithOp::Div => match v {
                    NumVal::Val(d) if d.is_zero() => NumVal::Undef,
                    _ => lift(acc, v, |a, b| a.checked_div(b)),
                },
                ArithOp::Min => interval(acc, v, |(a1, a2), (b1, b2)| Some((a1.min(b1), a2.min(b2)))),
                ArithOp::Max => interval(acc, v, |(a1, a2), (b1, b2)| Some((a1.max(b1), a2.max(b2)))),
            };
        }
        acc
    }

    /// Pick the row of the band table `n` (value `of`, rows from `s`).
    fn pick(&mut self, n: NodeId, of: NodeId, s: u32) -> Pick {
        let prog = self.env.prog;
        let rows = prog.band_rows(s);
        let ty = prog.types.get(of as usize).copied().unwrap_or(Ty::Num);
        let picked = match ty {
            Ty::Num => match self.num(of) {
                NumVal::Val(v) => rows.iter().position(|r| match (r.op, self.node(r.bound)) {
                    (None, _) => true,
                    (Some(op), Node::Num(b)) => op.test(dec_cmp(&v, &prog.num(*b))),
                    _ => false,
                }),
                NumVal::Missing | NumVal::Between(..) => return self.picked(n, Pick::Missing),
                NumVal::Undef => return self.picked(n, Pick::Undef),
            },
            Ty::Date => match self.date(of) {
                Some(v) => rows.iter().position(|r| match (r.op, self.node(r.bound)) {
                    (None, _) => true,
                    (Some(op), Node::Date(b)) => op.test(v.cmp(b)),
                    _ => false,
                }),
                None => return self.picked(n, Pick::Missing),
            },
            _ => match self.str(of) {
                Some(v) => rows.iter().position(|r| match (r.op, self.node(r.bound)) {
                    (None, _) => true,
                    (Some(op), Node::Str(b)) => prog.strings.get(*b as usize).is_some_and(|b| op.test(v.cmp(b))),
                    _ => false,
                }),
                None => return self.picked(n, Pick::Missing),
            },
        };
        match picked.and_then(|i| rows.get(i).map(|r| (s + i as u32, r.then))) {
            Some((row, then)) => {
                self.tracer.row(n, Some(row));
                Pick::Row(then)
            }
            None => self.picked(n, Pick::Undef),
        }
    }

    /// The result of a numeric band table (rows from `s`) whose input is
    /// not provided: bounded by its rows' constants when the table is total
    /// (has an `else` row) and every reachable row gives a constant.
    fn band_bounds(&self, s: u32) -> NumVal {
        let prog = self.env.prog;
        let mut bounds: Option<(Decimal, Decimal)> = None;
        for r in prog.band_rows(s) {
            let Node::Num(k) = *self.node(r.then) else { return NumVal::Missing };
            let v = prog.num(k);
            bounds = Some(bounds.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))));
            if r.op.is_none() {
                return bounds.map_or(NumVal::Missing, |(lo, hi)| NumVal::Between(lo, hi));
            }
        }
        NumVal::Missing
    }

    fn picked(&mut self, n: NodeId, p: Pick) -> Pick {
        self.tracer.row(n, None);
        p
    }

    /// Evaluate a date node.
    ///
    /// # Example
    /// ```
    /// # use policy_match::{catalogue::Catalogue, matching::Profile, rules::*};
    /// # let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    /// #   "fields": [{"name": "staff", "type": "integer", "label": {"zh": "s", "en": "s"}}, {"name": "founded", "type": "date", "label": {"zh": "f", "en": "f"}}],
    /// #   "policies": [{"id": "p", "title": {"zh": "p", "en": "p"}, "issuer": {"zh": "i", "en": "i"}, "category": "tax",
    /// #     "criteria": [{"id": "C1", "description": {"zh": "d", "en": "d"},
    /// #       "rule": {">=": [{"band": {"of": {"var": "staff"}, "rows": [{">=": 100, "then": 20}, {">=": 10, "then": 10}, {"else": 0}]}}, 10]}},
    /// #                  {"id": "C2", "description": {"zh": "d", "en": "d"}, "rule": {"<=": [{"add_years": [{"var": "founded"}, 3]}, {"var": "$as_of"}]}}]}]}"#)?;
    /// # let p = Profile::from_json_str(&cat, r#"{"staff": 42, "founded": "2024-02-29"}"#)?;
    /// # let env = Env { prog: &cat.program, fields: &p.values, derived: &[], policies: &[], as_of: "2026-07-01".parse()? };
    /// # let band = cat.program.children(cat.policies[0].criteria[0].node)[0]; // the band table
    /// let c2 = cat.policies[0].criteria[1].node; // {"<=": [{"add_years": [{"var": "founded"}, 3]}, {"var": "$as_of"}]}
    /// let [third_anniversary, as_of] = cat.program.children(c2)[..] else { panic!() };
    /// assert_eq!(Eval::new(env, &mut NoTrace).date(third_anniversary), Some("2027-02-28".parse()?));
    /// assert_eq!(Eval::new(env, &mut NoTrace).date(as_of), Some("2026-07-01".parse()?));
    /// assert_eq!(Eval::new(env, &mut NoTrace).bool(c2), Tri::False); // not yet three years old
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn date(&mut self, n: NodeId) -> Option<Date> {
        let v = match *self.node(n) {
            Node::Date(d) => Some(d),
            Node::AsOf => Some(self.env.as_of),
            Node::Item => match self.item {
                Item::Date(d) => Some(d),
                _ => None,
            },
            Node::Field(s) => match self.field(s) {
                Value::Date(d) => Some(*d),
                _ => None,
            },
            Node::Shift(k, a, by) => self.date_operand(a).map(|d| match k {
                Shift::Days => d.add_days(i64::from(by)),
                Shift::Months => d.add_months(by),
                Shift::Years => d.add_years(by),
            }),
            _ => self.date_other(n),
        };
        self.tracer.date(n, v);
        v
    }

    /// The less common date nodes (the caller traces the result).
    #[inline(never)]
    fn date_other(&mut self, n: NodeId) -> Option<Date> {
        match *self.node(n) {
            Node::Derived(i) => match self.env.derived.get(i as usize) {
                Some(Computed::Date(d)) => *d,
                _ => None,
            },
            Node::If(s) => {
                let (c, a, b) = self.env.prog.if_kids(s);
                match self.bool(c) {
                    Tri::True => self.date(a),
                    Tri::False => self.date(b),
                    Tri::Unknown => None,
                }
            }
            Node::Band(of, s) => match self.pick(n, of, s) {
                Pick::Row(then) => self.date(then),
                _ => None,
            },
            _ => None,
        }
    }

    /// Evaluate a string node (`None`: not provided).
    pub fn str(&mut self, n: NodeId) -> Option<&'a str> {
        let prog = self.env.prog;
        match *self.node(n) {
            Node::Str(i) => prog.strings.get(i as usize).map(|s| &**s),
            Node::Field(s) => self.field_str(s),
            Node::Item => match self.item {
                Item::Str(s) => Some(s),
                _ => None,
            },
            Node::If(s) => {
                let (c, a, b) = prog.if_kids(s);
                match self.bool(c) {
                    Tri::True => self.str(a),
                    Tri::False => self.str(b),
                    Tri::Unknown => None,
                }
            }
            Node::Band(of, s) => match self.pick(n, of, s) {
                Pick::Row(then) => self.str(then),
                _ => None,
            },
            _ => None,
        }
    }

    fn item_of(&mut self, n: NodeId) -> Option<Item<'a>> {
        match self.env.prog.types.get(n as usize) {
            Some(Ty::Date) => self.date(n).map(Item::Date),
            Some(Ty::Str) => self.str(n).map(Item::Str),
            _ => None,
        }
    }

    fn list(&mut self, n: NodeId) -> Option<ListRef<'a>> {
        let prog = self.env.prog;
        match *self.node(n) {
            Node::Field(s) => match self.field(s) {
                Value::Dates(d) => Some(ListRef::Dates(d)),
                Value::Strs(v) => Some(ListRef::Strs(v)),
                _ => None,
            },
            Node::List(s, e) => Some(ListRef::Lit(prog.lists.get(s as usize..e as usize).unwrap_or(&[]))),
            _ => None,
        }
    }

    fn list_item(&self, l: &ListRef<'a>, i: usize) -> Option<Item<'a>> {
        let prog = self.env.prog;
        match l {
            ListRef::Dates(d) => d.get(i).map(|d| Item::Date(*d)),
            ListRef::Strs(s) => s.get(i).map(|s| Item::Str(s)),
            ListRef::Lit(ids) => match ids.get(i).map(|&id| self.node(id)) {
                Some(Node::Date(d)) => Some(Item::Date(*d)),
                Some(Node::Str(k)) => prog.strings.get(*k as usize).map(|s| Item::Str(s)),
                _ => None,
            },
        }
    }
}

/// Compare two decimals: equal scales (the usual case, numbers are
/// normalised when parsed) compare their mantissas directly.
#[inline(always)]
/// A string's bytes with ASCII letters in lower case, to compare cities.
fn fold_case(s: &str) -> impl Iterator<Item = u8> + '_ {
    s.bytes().map(|b| b.to_ascii_lowercase())
}

fn dec_cmp(x: &Decimal, y: &Decimal) -> std::cmp::Ordering {
    if x.scale() == y.scale() {
        x.mantissa().cmp(&y.mantissa())
    } else {
        x.cmp(y)
    }
}

fn same(a: Item, b: Item) -> bool {
    match (a, b) {
        (Item::Date(x), Item::Date(y)) => x == y,
        (Item::Str(x), Item::Str(y)) => x == y,
        _ => false,
    }
}

#[inline]
fn add(a: NumVal, b: NumVal) -> NumVal {
    match (a, b) {
        (NumVal::Val(x), NumVal::Val(y)) => x.checked_add(y).map_or(NumVal::Undef, NumVal::Val),
        _ => interval(a, b, |(a1, a2), (b1, b2)| Some((a1.checked_add(b1)?, a2.checked_add(b2)?))),
    }
}

/// An operation on intervals: exact when both are values, bounded when
/// either is [`NumVal::Between`] (an overflowing bound loses the bounds).
#[inline]
fn interval(a: NumVal, b: NumVal, f: impl FnOnce((Decimal, Decimal), (Decimal, Decimal)) -> Option<(Decimal, Decimal)>) -> NumVal {
    match (a, b) {
        (NumVal::Undef, _) | (_, NumVal::Undef) => NumVal::Undef,
        (NumVal::Val(x), NumVal::Val(y)) => f((x, x), (y, y)).map_or(NumVal::Undef, |(v, _)| NumVal::Val(v)),
        (x, y) => match (x.bounds(), y.bounds()) {
            (Some(x), Some(y)) => f(x, y).map_or(NumVal::Missing, |(lo, hi)| NumVal::Between(lo, hi)),
            _ => NumVal::Missing,
        },
    }
}

/// A comparison of two intervals: met (or not) when it holds (or fails)
/// for every pair of values in them, undecided otherwise.
fn cmp_bounds(op: CmpOp, (a1, a2): (Decimal, Decimal), (b1, b2): (Decimal, Decimal)) -> Tri {
    let (always, never) = match op {
        CmpOp::Ge => (a1 >= b2, a2 < b1),
        CmpOp::Gt => (a1 > b2, a2 <= b1),
        CmpOp::Le => (a2 <= b1, a1 > b2),
        CmpOp::Lt => (a2 < b1, a1 >= b2),
        CmpOp::Eq => (a1 == a2 && b1 == b2 && a1 == b1, a2 < b1 || b2 < a1),
        CmpOp::Ne => (a2 < b1 || b2 < a1, a1 == a2 && b1 == b2 && a1 == b1),
    };
    if always {
        Tri::True
    } else if never {
        Tri::False
    } else {
        Tri::Unknown
    }
}

#[inline]
fn lift(a: NumVal, b: NumVal, f: impl FnOnce(Decimal, Decimal) -> Option<Decimal>) -> NumVal {
    match (a, b) {
        (NumVal::Undef, _) | (_, NumVal::Undef) => NumVal::Undef,
        (NumVal::Val(x), NumVal::Val(y)) => f(x, y).map_or(NumVal::Undef, NumVal::Val),
        _ => NumVal::Missing,
    }
}
