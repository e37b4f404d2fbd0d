//! The compiled form of criteria: a flat arena of typed nodes.
//!
//! Every expression of a catalogue (criteria, derived values, benefit
//! formulas) lives in one [`Program`]. Nodes refer to their children by
//! index, so evaluation walks a compact array instead of chasing boxes.

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use super::value::Date;
use crate::Text;

/// Index of a node in a [`Program`].
pub type NodeId = u32;

/// The static type of an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ty {
    /// A three-valued truth.
    Bool,
    /// An exact decimal.
    Num,
    /// A calendar date.
    Date,
    /// A string.
    Str,
    /// A list of dates.
    Dates,
    /// A list of strings.
    Strs,
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Ty::Bool => "boolean",
            Ty::Num => "number",
            Ty::Date => "date",
            Ty::Str => "string",
            Ty::Dates => "list of dates",
            Ty::Strs => "list of strings",
        })
    }
}

/// A comparison operator.
///
/// # Example
/// ```
/// use policy_match::rules::CmpOp;
/// let op = CmpOp::parse("<=").unwrap();
/// assert_eq!((op.symbol(), serde_json::to_string(&op).unwrap()), ("<=", r#""<=""#.to_string()));
/// assert_eq!(op.mirror(), CmpOp::Ge); // x <= 3 is 3 >= x
/// assert!(op.test(300.cmp(&300)) && !op.test(301.cmp(&300)));
/// assert_eq!(CmpOp::parse("=>"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum CmpOp {
    /// `==`
    #[serde(rename = "==")]
    Eq,
    /// `!=`
    #[serde(rename = "!=")]
    Ne,
    /// `<`
    #[serde(rename = "<")]
    Lt,
    /// `<=`
    #[serde(rename = "<=")]
    Le,
    /// `>`
    #[serde(rename = ">")]
    Gt,
    /// `>=`
    #[serde(rename = ">=")]
    Ge,
}

impl CmpOp {
    /// Parse `==`, `!=`, `<`, `<=`, `>`, `>=`.
    pub fn parse(s: &str) -> Option<CmpOp> {
        Some(match s {
            "==" => CmpOp::Eq,
            "!=" => CmpOp::Ne,
            "<" => CmpOp::Lt,
            "<=" => CmpOp::Le,
            ">" => CmpOp::Gt,
            ">=" => CmpOp::Ge,
            _ => return None,
        })
    }

    /// The operator's symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    /// The operator as people write it: `≥`, `>`, `≤`, `<`, `=`, `≠`.
    ///
    /// # Example
    /// ```
    /// use policy_match::rules::CmpOp;
    /// assert_eq!([CmpOp::Ge, CmpOp::Ne].map(CmpOp::math), ["≥", "≠"]);
    /// ```
    pub fn math(self) -> &'static str {
        match self {
            CmpOp::Ge => "≥",
            CmpOp::Gt => ">",
            CmpOp::Le => "≤",
            CmpOp::Lt => "<",
            CmpOp::Eq => "=",
            CmpOp::Ne => "≠",
        }
    }

    /// The same test with the operands swapped: `a < b` is `b > a`.
    pub fn mirror(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            other => other,
        }
    }

    /// Apply to an ordering of left against right.
    #[inline]
    pub fn test(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            CmpOp::Eq => ord == Equal,
            CmpOp::Ne => ord != Equal,
            CmpOp::Lt => ord == Less,
            CmpOp::Le => ord != Greater,
            CmpOp::Gt => ord == Greater,
            CmpOp::Ge => ord != Less,
        }
    }
}

/// Arithmetic operators over exact decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArithOp {
    /// Sum of all operands (`+`, `sum`).
    Add,
    /// Left minus right (`-`).
    Sub,
    /// Product of all operands (`*`).
    Mul,
    /// Left divided by right (`/`); division by zero is undefined.
    Div,
    /// Smallest operand.
    Min,
    /// Largest operand.
    Max,
}

/// List quantifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quant {
    /// At least one item satisfies the predicate.
    Some,
    /// Every item satisfies the predicate (true for an empty list).
    Every,
    /// No item satisfies the predicate (true for an empty list).
    None,
}

/// Date arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOp {
    /// Whole days from the first date to the second.
    DaysBetween,
    /// Whole years (anniversaries) from the first date to the second.
    YearsBetween,
}

/// Shifting a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shift {
    /// `add_days`
    Days,
    /// `add_months`
    Months,
    /// `add_years`
    Years,
}

/// One node of the arena.
#[derive(Clone, Debug)]
pub enum Node {
    // ---- leaves ----
    /// A profile field (slot index into the profile).
    Field(u32),
    /// A derived value (index into the derived table).
    Derived(u32),
    /// The as-of date of the evaluation.
    AsOf,
    /// The current list item inside a quantifier.
    Item,
    /// Literal number (index into [`Program::nums`]).
    Num(u32),
    /// Literal boolean.
    Bool(bool),
    /// Literal date.
    Date(Date),
    /// Literal string (index into [`Program::strings`]).
    Str(u32),
    /// Literal list (range into [`Program::lists`]); elements are leaf nodes.
    List(u32, u32),
    // ---- logic ----
    /// All children true (Kleene AND). Range into [`Program::kids`].
    All(u32, u32),
    /// Any child true (Kleene OR).
    Any(u32, u32),
    /// Negation.
    Not(NodeId),
    /// Comparison of two operands of the same type (the operands' type is
    /// kept in the node so evaluation does not look it up).
    Cmp(CmpOp, Ty, NodeId, NodeId),
    /// Membership of a value (of the given type) in a literal list (`in`;
    /// `not_in` when the bool is true).
    In(bool, Ty, NodeId, NodeId),
    /// List contains an item.
    Contains(NodeId, NodeId),
    /// List contains any (false) / all (true) of the items of a literal list.
    ContainsSet(bool, NodeId, NodeId),
    /// The field is provided. Always decided.
    Provided(u32),
    /// The verdict of another policy (index into the policy table): qualifies.
    Policy(u32),
    /// A quantifier over a list: (kind, list, predicate).
    Quant(Quant, NodeId, NodeId),
    // ---- numbers ----
    /// Arithmetic over a range of children.
    Arith(ArithOp, u32, u32),
    /// Negation of a number.
    Neg(NodeId),
    /// Days or years between two dates.
    DateDiff(DateOp, NodeId, NodeId),
    /// Number of items in a list: (list, predicate).
    Count(NodeId, NodeId),
    /// Number of items in a list (no predicate).
    CountAll(NodeId),
    /// A band table: (value, first row in [`Program::rows`]). The rows run
    /// up to and including the first `else` row (every band ends with one).
    Band(NodeId, u32),
    /// A score: sum of parts (range into [`Program::parts`]).
    Score(u32, u32),
    // ---- dates ----
    /// A date shifted by a whole number of days / months / years.
    Shift(Shift, NodeId, i32),
    // ---- any type ----
    /// If-then-else over `kids[s]`, `kids[s + 1]`, `kids[s + 2]` (condition,
    /// then, else); an unknown condition gives an unknown result.
    If(u32),
}

/// One row of a band table: if `value <op> bound` then `then`. `op` is `None` for `else`.
#[derive(Clone, Debug)]
pub struct BandRow {
    /// Test operator, or `None` for the final `else` row.
    pub op: Option<CmpOp>,
    /// The bound the value is compared with (a leaf node).
    pub bound: NodeId,
    /// The row's result.
    pub then: NodeId,
}

/// One part of a score.
#[derive(Clone, Debug)]
pub struct ScorePart {
    /// The part's id (e.g. `staff`).
    pub id: Box<str>,
    /// The part's label.
    pub label: Text,
    /// Its points.
    pub points: NodeId,
}

/// The arena every compiled expression of a catalogue lives in.
///
/// Nodes are laid out in pre-order (an operator before its operands), so
/// evaluating an expression reads the arena forwards.
#[derive(Clone, Debug, Default)]
pub struct Program {
    /// Nodes.
    pub nodes: Vec<Node>,
    /// Child lists for `All`, `Any`, `Arith`, `If`.
    pub kids: Vec<NodeId>,
    /// Numeric literals.
    pub nums: Vec<Decimal>,
    /// Literal-list elements (leaf nodes).
    pub lists: Vec<NodeId>,
    /// Interned string literals.
    pub strings: Vec<Box<str>>,
    /// Band-table rows.
    pub rows: Vec<BandRow>,
    /// Score parts.
    pub parts: Vec<ScorePart>,
    /// Static type of every node.
    pub types: Vec<Ty>,
    /// The field slots whose strings are read as the city they name
    /// ([`crate::rules::city_of`]; fields with `"format": "city"`).
    pub city_slots: Vec<u32>,
    /// The shared sub-expressions, found on first use ([`Program::shared`]).
    shared: std::sync::OnceLock<Shared>,
}

/// The boolean sub-expressions of a [`Program`] that occur more than once
/// (the same test in several policies): they share a memo slot, so that
/// one evaluation of a profile computes each once.
#[derive(Clone, Debug, Default)]
pub struct Shared {
    /// The memo slot of every node ([`NO_MEMO`] for most).
    pub slot: Vec<u32>,
    /// How many slots there are.
    pub len: u32,
}

/// [`Shared::slot`] of a node that is not memoised.
pub const NO_MEMO: u32 = u32::MAX;

impl Program {
    /// Push a node with its type, returning its id.
    pub fn push(&mut self, node: Node, ty: Ty) -> NodeId {
        // A changed program has to be analysed again.
        self.shared.take();
        let id = self.nodes.len() as NodeId;
        self.nodes.push(node);
        self.types.push(ty);
        id
    }

    /// Reserve a node id to be filled in later with [`Program::set`] (an
    /// operator is reserved before its operands are compiled).
    pub fn reserve(&mut self) -> NodeId {
        self.push(Node::Item, Ty::Bool)
    }

    /// Fill in a reserved node.
    pub fn set(&mut self, id: NodeId, node: Node, ty: Ty) {
        self.shared.take();
        if let (Some(n), Some(t)) = (self.nodes.get_mut(id as usize), self.types.get_mut(id as usize)) {
            *n = node;
            *t = ty;
        }
    }

    /// Children of a range node.
    ///
    /// # Example
    /// ```
    /// # use policy_match::catalogue::Catalogue;
    /// # use policy_match::rules::Node;
    /// let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01",
    ///   "title": {"zh": "c", "en": "c"}, "fields": [{"name": "a", "type": "boolean", "label": {"zh": "a", "en": "a"}},
    ///     {"name": "b", "type": "boolean", "label": {"zh": "b", "en": "b"}}],
    ///   "policies": [{"id": "p", "title": {"zh": "p", "en": "p"}, "issuer": {"zh": "i", "en": "i"}, "category": "tax",
    ///     "criteria": [{"id": "C1", "description": {"zh": "d", "en": "d"}, "rule": {"any": [{"var": "a"}, {"var": "b"}]}}]}]}"#)?;
    /// let prog = &cat.program;
    /// let Node::Any(start, end) = prog.nodes[cat.policies[0].criteria[0].node as usize] else { panic!() };
    /// let kids: Vec<&Node> = prog.kids(start, end).iter().map(|&k| &prog.nodes[k as usize]).collect();
    /// assert!(matches!(kids[..], [Node::Field(0), Node::Field(1)]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn kids(&self, start: u32, end: u32) -> &[NodeId] {
        self.kids.get(start as usize..end as usize).unwrap_or(&[])
    }

    /// The (condition, then, else) of an `If` node's kids.
    #[inline]
    pub fn if_kids(&self, start: u32) -> (NodeId, NodeId, NodeId) {
        match self.kids(start, start + 3) {
            [c, t, e] => (*c, *t, *e),
            _ => (0, 0, 0),
        }
    }

    /// The value of a numeric literal.
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
    /// # use policy_match::rules::Node;
    /// let c2 = cat.policies[0].criteria[1].node; // revenue <= 50000000
    /// let limit = cat.program.children(c2)[1];
    /// let Node::Num(k) = cat.program.nodes[limit as usize] else { panic!() };
    /// assert_eq!(cat.program.num(k), 50_000_000.into());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn num(&self, k: u32) -> Decimal {
        self.nums.get(k as usize).copied().unwrap_or_default()
    }

    /// The rows of a band table starting at `start` (up to the `else` row).
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
    /// let Node::Band(_, start) = cat.program.nodes[band as usize] else { panic!() };
    /// let rows = cat.program.band_rows(start);
    /// assert_eq!(rows.iter().map(|r| r.op).collect::<Vec<_>>(), [Some(CmpOp::Ge), Some(CmpOp::Ge), None]); // the last is `else`
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn band_rows(&self, start: u32) -> &[BandRow] {
        let rows = self.rows.get(start as usize..).unwrap_or(&[]);
        let end = rows.iter().position(|r| r.op.is_none()).map_or(rows.len(), |i| i + 1);
        &rows[..end]
    }

    /// The direct children of a node, in source order (a band table gives
    /// its value then each row's result: bounds are literals; `then`/`else`
    /// of `if` follow the condition).
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
    /// # use policy_match::rules::{CmpOp, Node, Ty};
    /// let c1 = cat.policies[0].criteria[0].node; // {"<=": [{"var": "staff"}, 300]}
    /// let [staff, limit] = cat.program.children(c1)[..] else { panic!() };
    /// assert!(matches!(cat.program.nodes[c1 as usize], Node::Cmp(CmpOp::Le, Ty::Num, s, l) if (s, l) == (staff, limit)));
    /// assert!(matches!(cat.program.nodes[staff as usize], Node::Field(slot) if Some(slot) == cat.field_slot("staff")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn children(&self, node: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        self.each_child(node, |c| out.push(c));
        out
    }

    /// Call `f` with each direct child of a node, in the order of
    /// [`Program::children`], without allocating.
    pub fn each_child(&self, node: NodeId, mut f: impl FnMut(NodeId)) {
        let Some(n) = self.nodes.get(node as usize) else { return };
        match n {
            Node::All(s, e) | Node::Any(s, e) | Node::Arith(_, s, e) => self.kids(*s, *e).iter().for_each(|&k| f(k)),
            Node::List(s, e) => self.lists.get(*s as usize..*e as usize).unwrap_or(&[]).iter().for_each(|&k| f(k)),
            Node::Not(a) | Node::Neg(a) | Node::Shift(_, a, _) | Node::CountAll(a) => f(*a),
            Node::Cmp(_, _, a, b)
            | Node::In(_, _, a, b)
            | Node::Contains(a, b)
            | Node::ContainsSet(_, a, b)
            | Node::Quant(_, a, b)
            | Node::DateDiff(_, a, b)
            | Node::Count(a, b) => {
                f(*a);
                f(*b)
            }
            Node::Band(v, s) => {
                f(*v);
                self.band_rows(*s).iter().for_each(|r| f(r.then))
            }
            Node::Score(s, e) => self.parts.get(*s as usize..*e as usize).unwrap_or(&[]).iter().for_each(|p| f(p.points)),
            Node::If(s) => self.kids(*s, *s + 3).iter().for_each(|&k| f(k)),
            _ => {}
        }
    }

    /// The memo slots of the boolean sub-expressions that occur more than
    /// once (structurally equal: same operators, same literals, same
    /// fields), so that [`crate::rules::Eval`] evaluates each once per
    /// profile instead of once per occurrence.
    ///
    /// Found on the first call (a pass over the whole program, as long as
    /// a tenth of compiling it) and kept: loading a catalogue to check it or
    /// list its policies does not pay for it. The program must not change
    /// after that call.
    ///
    /// Left out: cheap tests (a literal, a yes/no field, `provided`, a
    /// policy's verdict) and anything that reads the current list item of a
    /// quantifier (its value changes from item to item).
    ///
    /// # Example
    /// ```
    /// use policy_match::rules::{Node, Program, Ty, CmpOp, NO_MEMO};
    /// let mut p = Program::default();
    /// let mut test = |p: &mut Program| {
    ///     let at = p.reserve();
    ///     let (f, k) = (p.push(Node::Field(0), Ty::Num), p.push(Node::Num(0), Ty::Num));
    ///     p.set(at, Node::Cmp(CmpOp::Ge, Ty::Num, f, k), Ty::Bool);
    ///     at
    /// };
    /// p.nums.push(300.into());
    /// let (a, b) = (test(&mut p), test(&mut p));
    /// let shared = p.shared();
    /// assert_eq!(shared.len, 1);
    /// assert!(shared.slot[a as usize] == shared.slot[b as usize] && shared.slot[a as usize] != NO_MEMO);
    /// ```
    pub fn shared(&self) -> &Shared {
        self.shared.get_or_init(|| self.find_shared())
    }

    fn find_shared(&self) -> Shared {
        // Candidates are grouped by a structural hash; within a group, by
        // structural equality. A group of two or more gets a slot.
        let mut groups: rustc_hash::FxHashMap<u64, Vec<u32>> = rustc_hash::FxHashMap::default();
        // The first node of each class and how many nodes it has.
        let (mut first, mut size): (Vec<NodeId>, Vec<u32>) = (Vec::new(), Vec::new());
        let mut members: Vec<(NodeId, u32)> = Vec::new();
        for (id, node) in self.nodes.iter().enumerate() {
            let id = id as NodeId;
            let test = matches!(node, Node::Cmp(..) | Node::In(..) | Node::Contains(..) | Node::ContainsSet(..) | Node::Quant(..) | Node::Not(..));
            if !test || self.types.get(id as usize) != Some(&Ty::Bool) {
                continue;
            }
            let (hash, item) = self.shape_hash(id);
            if item {
                continue;
            }
            let group = groups.entry(hash).or_default();
            let class = match group.iter().find(|&&c| self.same_shape(first[c as usize], id)) {
                Some(&c) => c,
                None => {
                    let c = first.len() as u32;
                    first.push(id);
                    size.push(0);
                    group.push(c);
                    c
                }
            };
            size[class as usize] += 1;
            members.push((id, class));
        }
        let mut slot_of_class = vec![NO_MEMO; first.len()];
        let mut out = Shared { slot: vec![NO_MEMO; self.nodes.len()], len: 0 };
        for (id, c) in members {
            let c = c as usize;
            if size[c] < 2 {
                continue;
            }
            if slot_of_class[c] == NO_MEMO {
                slot_of_class[c] = out.len;
                out.len += 1;
            }
            out.slot[id as usize] = slot_of_class[c];
        }
        out
    }

    /// What identifies a node apart from its children: its kind, operator
    /// and literal value. A band table is only ever equal to itself.
    fn shape(&self, n: NodeId) -> [u32; 5] {
        let Some(node) = self.nodes.get(n as usize) else { return [u32::MAX, n, 0, 0, 0] };
        match *node {
            Node::Field(s) => [0, s, 0, 0, 0],
            Node::Derived(d) => [1, d, 0, 0, 0],
            Node::AsOf => [2, 0, 0, 0, 0],
            Node::Item => [3, 0, 0, 0, 0],
            Node::Num(k) => {
                let b = self.num(k).serialize();
                let w = |j: usize| u32::from_le_bytes([b[j], b[j + 1], b[j + 2], b[j + 3]]);
                [4, w(0), w(4), w(8), w(12)]
            }
            Node::Bool(b) => [5, b as u32, 0, 0, 0],
            Node::Date(d) => [6, d.days() as u32, 0, 0, 0],
            Node::Str(k) => [7, k, 0, 0, 0],
            Node::List(s, e) => [8, e - s, 0, 0, 0],
            Node::All(s, e) => [9, e - s, 0, 0, 0],
            Node::Any(s, e) => [10, e - s, 0, 0, 0],
            Node::Not(_) => [11, 0, 0, 0, 0],
            Node::Cmp(op, ty, ..) => [12, op as u32, ty as u32, 0, 0],
            Node::In(neg, ty, ..) => [13, neg as u32, ty as u32, 0, 0],
            Node::Contains(..) => [14, 0, 0, 0, 0],
            Node::ContainsSet(all, ..) => [15, all as u32, 0, 0, 0],
            Node::Provided(s) => [16, s, 0, 0, 0],
            Node::Policy(p) => [17, p, 0, 0, 0],
            Node::Quant(q, ..) => [18, q as u32, 0, 0, 0],
            Node::Arith(op, s, e) => [19, op as u32, e - s, 0, 0],
            Node::Neg(_) => [20, 0, 0, 0, 0],
            Node::DateDiff(op, ..) => [21, op as u32, 0, 0, 0],
            Node::Count(..) => [22, 0, 0, 0, 0],
            Node::CountAll(_) => [23, 0, 0, 0, 0],
            Node::Band(..) => [24, n, 0, 0, 0],
            Node::Score(s, e) => [25, e - s, 0, 0, 0],
            Node::Shift(sh, _, k) => [26, sh as u32, k as u32, 0, 0],
            Node::If(_) => [27, 0, 0, 0, 0],
        }
    }

    /// A hash of a node's whole expression, and whether it reads the
    /// current list item (of an enclosing quantifier: a quantifier's own
    /// predicate reads its own items).
    fn shape_hash(&self, n: NodeId) -> (u64, bool) {
        let mut h = rustc_hash::FxHasher::default();
        std::hash::Hash::hash(&self.shape(n), &mut h);
        let mut item = matches!(self.nodes.get(n as usize), Some(Node::Item));
        let own_predicate = matches!(self.nodes.get(n as usize), Some(Node::Quant(..) | Node::Count(..)));
        let mut i = 0;
        self.each_child(n, |k| {
            let (hk, ik) = self.shape_hash(k);
            std::hash::Hasher::write_u64(&mut h, hk);
            item |= ik && !(own_predicate && i == 1);
            i += 1;
        });
        (std::hash::Hasher::finish(&h), item)
    }

    /// Whether two nodes are the same expression.
    fn same_shape(&self, a: NodeId, b: NodeId) -> bool {
        if a == b {
            return true;
        }
        if self.shape(a) != self.shape(b) {
            return false;
        }
        let (x, y) = (self.children(a), self.children(b));
        x.len() == y.len() && x.iter().zip(&y).all(|(&x, &y)| self.same_shape(x, y))
    }

    /// A static estimate of what evaluating a node costs (nodes visited,
    /// heavier operations weighted), used to evaluate cheap criteria first
    /// when only the verdict is wanted: Kleene `and` gives the same result
    /// in any order, and a cheap criterion that fails spares the others.
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
    /// let c1 = cat.policies[0].criteria[0].node; // a comparison of a field with a literal
    /// assert_eq!(cat.program.cost(c1), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cost(&self, node: NodeId) -> u32 {
        // (own cost, how many times the children run)
        let (own, runs): (u32, u32) = match self.nodes.get(node as usize) {
            Some(Node::Arith(ArithOp::Div | ArithOp::Mul, ..)) => (6, 1),
            Some(Node::DateDiff(DateOp::YearsBetween, ..) | Node::Shift(Shift::Months | Shift::Years, ..)) => (4, 1),
            // A quantifier's predicate runs once per item.
            Some(Node::Quant(..) | Node::Count(..)) => (4, 3),
            Some(Node::Field(_) | Node::Num(_) | Node::Bool(_) | Node::Date(_) | Node::Str(_) | Node::AsOf | Node::Item) | None => (0, 1),
            Some(_) => (1, 1),
        };
        let mut kids = 0u32;
        self.each_child(node, |k| kids = kids.saturating_add(self.cost(k)));
        own.saturating_add(kids.saturating_mul(runs))
    }
}

/// Two tests of a conjunction (`all`, or a policy's criteria) that can
/// never both hold: bounds on one field that leave no value, e.g.
/// `staff >= 300` and `staff < 100`. See [`Program::contradiction`].
#[derive(Clone, Debug, PartialEq)]
pub struct Contradiction {
    /// The field (slot) both bound.
    pub field: u32,
    /// The earlier conjunct (index) and its test, as written from the
    /// field's side: `field op value`.
    pub first: (usize, CmpOp, Decimal),
    /// The later conjunct and its test.
    pub second: (usize, CmpOp, Decimal),
    /// Whether the field is a date (the values are then days since 1970-01-01).
    pub date: bool,
}

/// Two tests of a conjunction that leave a choice, text or yes/no field
/// no possible value: `type == "a"` and `type in ["b", "c"]`, or
/// `type in ["a"]` and `type != "a"`. See [`Program::choice_contradiction`].
#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceContradiction {
    /// The field (slot) both test.
    pub field: u32,
    /// The earlier conjunct (index) and its test node (`==`, `!=`, `in`
    /// or `not_in` between the field and literals).
    pub first: (usize, NodeId),
    /// The later conjunct and its test node.
    pub second: (usize, NodeId),
}

/// A test of a field against literal values: (test node, field, whether the
/// values are excluded rather than the only ones allowed, the literal nodes).
type Choice<'p> = (NodeId, u32, bool, &'p [NodeId]);

/// One end of the interval a field is bound to, and the conjunct that set it.
#[derive(Clone, Copy)]
struct End {
    at: Decimal,
    strict: bool,
    by: usize,
    op: CmpOp,
}

impl Program {
    /// The first pair of conjuncts that bound one field (compared with a
    /// literal number or date) to an empty range, if any. Nested `all`s
    /// count as part of their conjunct; anything else (`any`, `not`,
    /// arithmetic) is not looked into, so this finds only plain
    /// contradictions, never a false one.
    ///
    /// # Example
    /// ```
    /// use policy_match::rules::{CmpOp, Node, Program, Ty};
    /// let mut p = Program::default();
    /// p.nums.extend([300, 100].map(rust_decimal::Decimal::from));
    /// let mut test = |p: &mut Program, op, k| {
    ///     let at = p.reserve();
    ///     let (f, n) = (p.push(Node::Field(0), Ty::Num), p.push(Node::Num(k), Ty::Num));
    ///     p.set(at, Node::Cmp(op, Ty::Num, f, n), Ty::Bool);
    ///     at
    /// };
    /// let (a, b) = (test(&mut p, CmpOp::Ge, 0), test(&mut p, CmpOp::Lt, 1));
    /// let c = p.contradiction(&[a, b]).unwrap();
    /// assert_eq!((c.first.0, c.second.0), (0, 1));
    /// assert!(p.contradiction(&[a]).is_none());
    /// ```
    pub fn contradiction(&self, conjuncts: &[NodeId]) -> Option<Contradiction> {
        // (field, is date) → (lower end, upper end)
        type Interval = ((u32, bool), Option<End>, Option<End>);
        let mut bounds: Vec<Interval> = Vec::new();
        let mut tests = Vec::new();
        for (i, &c) in conjuncts.iter().enumerate() {
            tests.clear();
            self.bounds_in(c, 0, &mut tests);
            for &(field, date, op, at) in &tests {
                let j = match bounds.iter().position(|b| b.0 == (field, date)) {
                    Some(j) => j,
                    None => {
                        bounds.push(((field, date), None, None));
                        bounds.len() - 1
                    }
                };
                let (_, lo, hi) = &mut bounds[j];
                let this = |strict| End { at, strict, by: i, op };
                let raise = |lo: &mut Option<End>, e: End| {
                    if lo.is_none_or(|l| e.at > l.at || (e.at == l.at && e.strict && !l.strict)) {
                        *lo = Some(e);
                    }
                };
                let lower = |hi: &mut Option<End>, e: End| {
                    if hi.is_none_or(|h| e.at < h.at || (e.at == h.at && e.strict && !h.strict)) {
                        *hi = Some(e);
                    }
                };
                match op {
                    CmpOp::Ge => raise(lo, this(false)),
                    CmpOp::Gt => raise(lo, this(true)),
                    CmpOp::Le => lower(hi, this(false)),
                    CmpOp::Lt => lower(hi, this(true)),
                    CmpOp::Eq => {
                        raise(lo, this(false));
                        lower(hi, this(false));
                    }
                    CmpOp::Ne => {}
                }
                if let (Some(l), Some(h)) = (*lo, *hi) {
                    let empty = l.at > h.at || (l.at == h.at && (l.strict || h.strict));
                    if empty {
                        let (a, b) = if l.by <= h.by { (l, h) } else { (h, l) };
                        return Some(Contradiction { field, first: (a.by, a.op, a.at), second: (b.by, b.op, b.at), date });
                    }
                }
            }
        }
        None
    }

    /// The first pair of conjuncts whose tests of one field against literal
    /// strings or booleans (`==`, `!=`, `in`, `not_in`; nested `all`s count
    /// as part of their conjunct) leave it no possible value: allowed values
    /// with none in common, or every allowed value excluded by the other.
    /// Like [`Program::contradiction`], it finds only plain contradictions.
    ///
    /// # Example
    /// ```
    /// use policy_match::rules::{CmpOp, Node, Program, Ty};
    /// let mut p = Program::default();
    /// p.strings.extend(["a".into(), "b".into()]);
    /// let mut test = |p: &mut Program, op, k| {
    ///     let at = p.reserve();
    ///     let (f, s) = (p.push(Node::Field(0), Ty::Str), p.push(Node::Str(k), Ty::Str));
    ///     p.set(at, Node::Cmp(op, Ty::Str, f, s), Ty::Bool);
    ///     at
    /// };
    /// let (a, b, not_b) = (test(&mut p, CmpOp::Eq, 0), test(&mut p, CmpOp::Eq, 1), test(&mut p, CmpOp::Ne, 1));
    /// let c = p.choice_contradiction(&[a, not_b, b]).unwrap();
    /// assert_eq!((c.first, c.second), ((0, a), (2, b)));
    /// assert!(p.choice_contradiction(&[a, not_b]).is_none());
    /// ```
    pub fn choice_contradiction(&self, conjuncts: &[NodeId]) -> Option<ChoiceContradiction> {
        let mut seen: Vec<(usize, Choice<'_>)> = Vec::new();
        let mut tests = Vec::new();
        for (i, &c) in conjuncts.iter().enumerate() {
            tests.clear();
            self.choices_in(c, 0, &mut tests);
            for &(test, field, excluded, values) in &tests {
                let has = |list: &[NodeId], v: NodeId| list.iter().any(|&x| self.same_literal(x, v));
                for &(j, (other, f, ex, vs)) in &seen {
                    let empty = f == field
                        && match (excluded, ex) {
                            (false, false) => !values.iter().any(|&v| has(vs, v)),
                            (false, true) => values.iter().all(|&v| has(vs, v)),
                            (true, false) => vs.iter().all(|&v| has(values, v)),
                            (true, true) => false,
                        };
                    if empty {
                        return Some(ChoiceContradiction { field, first: (j, other), second: (i, test) });
                    }
                }
            }
            seen.extend(tests.iter().map(|&t| (i, t)));
        }
        None
    }

    /// Whether two nodes are the same string or boolean literal.
    fn same_literal(&self, a: NodeId, b: NodeId) -> bool {
        match (self.nodes.get(a as usize), self.nodes.get(b as usize)) {
            (Some(Node::Str(x)), Some(Node::Str(y))) => x == y,
            (Some(Node::Bool(x)), Some(Node::Bool(y))) => x == y,
            _ => false,
        }
    }

    /// The tests of a field against string or boolean literals a conjunct
    /// makes (through nested `all`s).
    fn choices_in<'p>(&'p self, n: NodeId, depth: u32, out: &mut Vec<Choice<'p>>) {
        let field = |k: NodeId| match self.nodes.get(k as usize) {
            Some(Node::Field(s)) => Some(*s),
            _ => None,
        };
        let literal = |k: &NodeId| matches!(self.nodes.get(*k as usize), Some(Node::Str(_) | Node::Bool(_)));
        match self.nodes.get(n as usize) {
            Some(Node::All(s, e)) if depth < 64 => {
                for &k in self.kids(*s, *e) {
                    self.choices_in(k, depth + 1, out);
                }
            }
            Some(Node::Cmp(op @ (CmpOp::Eq | CmpOp::Ne), Ty::Str | Ty::Bool, a, b)) => {
                let excluded = *op == CmpOp::Ne;
                if let (Some(f), true) = (field(*a), literal(b)) {
                    out.push((n, f, excluded, std::slice::from_ref(b)));
                } else if let (Some(f), true) = (field(*b), literal(a)) {
                    out.push((n, f, excluded, std::slice::from_ref(a)));
                }
            }
            Some(Node::In(neg, Ty::Str, x, list)) => {
                if let (Some(f), Some(Node::List(s, e))) = (field(*x), self.nodes.get(*list as usize)) {
                    let values = self.lists.get(*s as usize..*e as usize).unwrap_or(&[]);
                    if values.iter().all(literal) {
                        out.push((n, f, *neg, values));
                    }
                }
            }
            _ => {}
        }
    }

    /// A number or date literal as a number that orders like it (a date as
    /// its days since 1970-01-01), for comparing bounds at compile time.
    pub(crate) fn ordered_literal(&self, n: NodeId) -> Option<Decimal> {
        match self.nodes.get(n as usize)? {
            Node::Num(i) => Some(self.num(*i)),
            Node::Date(d) => Some(Decimal::from(d.days())),
            _ => None,
        }
    }

    /// The `field op literal` tests a conjunct makes (through nested `all`s).
    fn bounds_in(&self, n: NodeId, depth: u32, out: &mut Vec<(u32, bool, CmpOp, Decimal)>) {
        match self.nodes.get(n as usize) {
            Some(Node::All(s, e)) if depth < 64 => {
                for &k in self.kids(*s, *e) {
                    self.bounds_in(k, depth + 1, out);
                }
            }
            Some(&Node::Cmp(op, ty @ (Ty::Num | Ty::Date), a, b)) => {
                let value = |k: NodeId| self.ordered_literal(k);
                let field = |k: NodeId| match self.nodes.get(k as usize) {
                    Some(Node::Field(s)) => Some(*s),
                    _ => None,
                };
                let date = ty == Ty::Date;
                if let (Some(f), Some(v)) = (field(a), value(b)) {
                    out.push((f, date, op, v));
                } else if let (Some(v), Some(f)) = (value(a), field(b)) {
                    out.push((f, date, op.mirror(), v));
                }
            }
            _ => {}
        }
    }
}
