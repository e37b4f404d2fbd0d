//! Compiling criteria expressions (JSON) into a typed [`Program`].
//!
//! The compiler type-checks every operator, resolves names through a
//! [`Scope`] supplied by the catalogue stage, validates enum literals and
//! collects *every* error with its JSON path rather than stopping at the
//! first.

use std::fmt::Write;

use rust_decimal::Decimal;

use super::error::{closest, operator_suggestion, CompileError, JsonPath, Seg};
use super::expr::{Expr, ExprRef, KeyRef, List, Map, View};
use super::program::{ArithOp, BandRow, CmpOp, DateOp, Node, NodeId, Program, Quant, ScorePart, Shift, Ty};
use super::value::{loose_date, parse_decimal, Date, MAX_ABS};
use crate::Text;

/// Deepest expression nesting accepted.
pub const MAX_DEPTH: usize = 32;

/// What the compiler needs to know about a declared field.
#[derive(Clone, Copy, Debug)]
pub struct FieldInfo<'s> {
    /// The field's slot in a profile.
    pub slot: u32,
    /// Its static type.
    pub ty: Ty,
    /// Option values of an enum or `string_list` field (empty for others).
    pub options: &'s [String],
    /// Declared minimum, if any.
    pub min: Option<Decimal>,
    /// Declared maximum, if any.
    pub max: Option<Decimal>,
}

/// The kind of the warnings on a test that can never pass.
const NEVER_TRUE: &str = "never-true";

/// Name resolution supplied by the catalogue stage.
pub trait Scope {
    /// A declared field.
    fn field(&self, name: &str) -> Option<FieldInfo<'_>>;
    /// A derived value already compiled: its index and type.
    fn derived(&self, name: &str) -> Option<(u32, Ty)>;
    /// A policy's index.
    fn policy(&self, id: &str) -> Option<u32>;
    /// Every field and derived name (for "did you mean").
    fn var_names(&self) -> Vec<&str>;
    /// Every policy id (for "did you mean").
    fn policy_ids(&self) -> Vec<&str>;
    /// Whether the field or derived value `name` is in percent (10 means
    /// 10 %), for the warning on a comparison with a fraction such as 0.1.
    fn percent(&self, _name: &str) -> bool {
        false
    }
    /// The name of the field in `slot`. The default scans [`Scope::var_names`];
    /// implementations with a slot-indexed table should override it.
    fn field_name(&self, slot: u32) -> Option<&str> {
        self.var_names().into_iter().find(|n| self.field(n).is_some_and(|f| f.slot == slot))
    }
}

/// A compiled expression: its node and static type.
#[derive(Clone, Copy, Debug)]
pub struct Typed {
    /// The node.
    pub id: NodeId,
    /// Its type.
    pub ty: Ty,
    /// For a field with options (enum, or `string_list`): its slot (to
    /// validate literals compared with it or looked for in it).
    enum_slot: Option<u32>,
    /// For a literal: true.
    literal: bool,
    /// For a field or derived value in percent: true.
    percent: bool,
}

/// The expression compiler. One per catalogue; reuse it for every expression.
pub struct Compiler<'p, 's> {
    prog: &'p mut Program,
    scope: &'s dyn Scope,
    path: Vec<Seg>,
    depth: usize,
    /// The expression being compiled was found nested too deep (reported
    /// once, not at every operand below the limit).
    too_deep: bool,
    /// Inside a quantifier's `where`: the type of `$item` and, for a list
    /// field with options, the field's slot (to check literals).
    item: Option<(Ty, Option<u32>)>,
    allow_policies: bool,
    /// The node reserved for the expression being compiled: an operator's
    /// node is reserved before its operands (pre-order layout).
    slot: Option<NodeId>,
    /// Errors found so far.
    pub errors: Vec<CompileError>,
    /// Warnings found so far: (path, kind, message).
    pub warnings: Vec<(JsonPath, &'static str, String)>,
    /// Field slots used by the compiled expressions.
    pub used_fields: Vec<u32>,
    /// What the last compiled expression reads, in source order.
    reads: Vec<Read>,
    /// Node ids of operands compiled so far whose operator is not yet
    /// pushed (see [`Compiler::each`]).
    stack: Vec<NodeId>,
}

/// A field, derived value or policy an expression reads.
#[derive(Clone, Copy, Debug)]
enum Read {
    Field(u32),
    Derived(u32),
    Policy(u32),
}

type R = Option<Typed>;

impl<'p, 's> Compiler<'p, 's> {
    /// A compiler appending to `prog` and resolving names in `scope`.
    pub fn new(prog: &'p mut Program, scope: &'s dyn Scope) -> Self {
        Compiler {
            prog,
            scope,
            path: Vec::new(),
            depth: 0,
            too_deep: false,
            item: None,
            allow_policies: true,
            slot: None,
            errors: Vec::new(),
            warnings: Vec::new(),
            used_fields: Vec::new(),
            reads: Vec::new(),
            stack: Vec::new(),
        }
    }

    /// Compile `json` found at `path`, requiring type `want` if given.
    ///
    /// # Errors
    /// Returns `None` when the expression has errors; they are appended to
    /// [`Compiler::errors`].
    ///
    /// # Example
    /// ```
    /// # use policy_match::rules::{Compiler, Expr, FieldInfo, JsonPath, Program, Scope, Ty};
    /// # struct Staff;
    /// # impl Scope for Staff {
    /// #     fn field(&self, name: &str) -> Option<FieldInfo<'_>> {
    /// #         (name == "staff").then_some(FieldInfo { slot: 0, ty: Ty::Num, options: &[], min: None, max: None })
    /// #     }
    /// #     fn derived(&self, _: &str) -> Option<(u32, Ty)> { None }
    /// #     fn policy(&self, _: &str) -> Option<u32> { None }
    /// #     fn var_names(&self) -> Vec<&str> { vec!["staff"] }
    /// #     fn policy_ids(&self) -> Vec<&str> { vec![] }
    /// # }
    /// # let mut prog = Program::default();
    /// # let expr = |s: &str| serde_json::from_str::<Expr>(s).unwrap();
    /// let mut c = Compiler::new(&mut prog, &Staff);
    /// let ok = c.compile(&expr(r#"{"+": [{"var": "staff"}, 1]}"#), &JsonPath::default(), Some(Ty::Num), false);
    /// assert_eq!(ok.map(|t| t.ty), Some(Ty::Num));
    /// let bad = c.compile(&expr(r#"{"+": [{"var": "staff"}, 1]}"#), &JsonPath::default(), Some(Ty::Bool), false);
    /// assert!(bad.is_none());
    /// assert_eq!(c.errors[0].kind(), "type-error"); // a number where a test is wanted
    /// ```
    pub fn compile(&mut self, json: &Expr, path: &JsonPath, want: Option<Ty>, allow_policies: bool) -> Option<Typed> {
        self.path.clear();
        self.path.extend_from_slice(&path.0);
        self.allow_policies = allow_policies;
        self.depth = 0;
        self.too_deep = false;
        self.item = None;
        self.reads.clear();
        self.stack.clear();
        let before = self.errors.len();
        let t = self.expr(json.root())?;
        if let Some(w) = want {
            if t.ty != w {
                let hint = match (self.quoted_hint(t, w), w) {
                    (Some(h), _) => format!(": {h}"),
                    (None, Ty::Bool) => ": a criterion is a test, such as {\">=\": [a, b]}".into(),
                    _ => String::new(),
                };
                self.type_err(format!("expected a {w} expression, found a {}{hint}", t.ty));
                return None;
            }
        }
        (self.errors.len() == before).then_some(t)
    }

    /// Every field slot the last compiled expression reads, directly or
    /// through derived values (`derived_fields[i]` lists the fields of
    /// derived value `i`), in source order, as recorded while compiling.
    ///
    /// # Example
    /// ```
    /// # use policy_match::rules::{Compiler, Expr, FieldInfo, JsonPath, Program, Scope, Ty};
    /// # struct Staff;
    /// # impl Scope for Staff {
    /// #     fn field(&self, name: &str) -> Option<FieldInfo<'_>> {
    /// #         (name == "staff").then_some(FieldInfo { slot: 0, ty: Ty::Num, options: &[], min: None, max: None })
    /// #     }
    /// #     fn derived(&self, _: &str) -> Option<(u32, Ty)> { None }
    /// #     fn policy(&self, _: &str) -> Option<u32> { None }
    /// #     fn var_names(&self) -> Vec<&str> { vec!["staff"] }
    /// #     fn policy_ids(&self) -> Vec<&str> { vec![] }
    /// # }
    /// # let mut prog = Program::default();
    /// # let expr = |s: &str| serde_json::from_str::<Expr>(s).unwrap();
    /// let mut c = Compiler::new(&mut prog, &Staff);
    /// c.compile(&expr(r#"{"all": [{">=": [{"var": "staff"}, 10]}, {"<=": [{"var": "staff"}, 300]}]}"#), &JsonPath::default(), Some(Ty::Bool), false);
    /// assert_eq!(c.fields_read(&[]), [0]); // slot 0, once
    /// assert_eq!(c.derived_read().count(), 0);
    /// ```
    pub fn fields_read(&self, derived_fields: &[Vec<u32>]) -> Vec<u32> {
        let mut out = Vec::new();
        let mut push = |f: u32| {
            if !out.contains(&f) {
                out.push(f)
            }
        };
        for r in &self.reads {
            match *r {
                Read::Field(f) => push(f),
                Read::Derived(d) => derived_fields.get(d as usize).into_iter().flatten().for_each(|f| push(*f)),
                Read::Policy(_) => {}
            }
        }
        out
    }

    /// The derived values the last compiled expression reads directly, in
    /// source order.
    pub fn derived_read(&self) -> impl Iterator<Item = u32> + '_ {
        self.reads.iter().filter_map(|r| match r {
            Read::Derived(d) => Some(*d),
            _ => None,
        })
    }

    /// The policies the last compiled expression refers to, in source order.
    pub fn policies_read(&self) -> impl Iterator<Item = u32> + '_ {
        self.reads.iter().filter_map(|r| match r {
            Read::Policy(p) => Some(*p),
            _ => None,
        })
    }

    fn here(&self) -> JsonPath {
        JsonPath(self.path.clone())
    }

    fn type_err(&mut self, message: String) {
        let path = self.here();
        self.errors.push(CompileError::Type { message, path });
    }

    fn shape(&mut self, message: impl Into<String>) -> R {
        let path = self.here();
        self.errors.push(CompileError::Shape { message: message.into(), path });
        None
    }

    fn at<T>(&mut self, seg: Seg, f: impl FnOnce(&mut Self) -> T) -> T {
        self.path.push(seg);
        let r = f(self);
        self.path.pop();
        r
    }

    fn idx<T>(&mut self, i: usize, f: impl FnOnce(&mut Self) -> T) -> T {
        self.at(Seg::Index(i), f)
    }

    fn key<T>(&mut self, k: &'static str, f: impl FnOnce(&mut Self) -> T) -> T {
        self.at(Seg::Key(k.into()), f)
    }

    /// Like [`Compiler::key`] for a key read from the expression (free
    /// unless it is a word outside the language).
    fn key_of<T>(&mut self, k: KeyRef<'_>, f: impl FnOnce(&mut Self) -> T) -> T {
        self.at(Seg::Key(k.to_cow()), f)
    }

    fn push(&mut self, node: Node, ty: Ty) -> Typed {
        let id = match self.slot.take() {
            Some(id) => {
                self.prog.set(id, node, ty);
                id
            }
            None => self.prog.push(node, ty),
        };
        Typed { id, ty, enum_slot: None, literal: false, percent: false }
    }

    fn lit(&mut self, node: Node, ty: Ty) -> Typed {
        Typed { literal: true, ..self.push(node, ty) }
    }

    /// Compile one expression at the current path.
    fn expr(&mut self, v: ExprRef<'_>) -> R {
        if self.depth >= MAX_DEPTH {
            if !self.too_deep {
                self.too_deep = true;
                let path = self.here();
                self.errors.push(CompileError::TooDeep { max: MAX_DEPTH, path });
            }
            return None;
        }
        self.depth += 1;
        let saved = self.slot.replace(self.prog.reserve());
        let r = self.expr_inner(v);
        self.slot = saved;
        self.depth -= 1;
        r
    }

    fn expr_inner(&mut self, v: ExprRef<'_>) -> R {
        match v.view() {
            View::Null => {
                let path = self.here();
                self.errors.push(CompileError::Literal {
                    message: "null is not an expression (to test whether a field was given, use {\"provided\": \"field\"})".into(),
                    path,
                });
                None
            }
            View::Bool(b) => Some(self.lit(Node::Bool(b), Ty::Bool)),
            View::Int(i) if i.unsigned_abs() <= MAX_ABS as u64 => {
                // What parse_decimal gives for an integer's text, without the text.
                Some(self.num_lit(Decimal::from(i)))
            }
            View::Int(i) => self.number(&i.to_string()),
            View::Num(t) => self.number(t),
            View::Str(s) => {
                let i = self.intern(s);
                Some(self.lit(Node::Str(i), Ty::Str))
            }
            View::Arr(_) => self.shape("a list is only allowed as the second operand of `in`, `not_in`, `contains_any` or `contains_all`"),
            View::Obj(m) => {
                let mut keys = m.iter();
                let (Some((op, arg)), None) = (keys.next(), keys.next()) else {
                    if m.is_empty() {
                        return self.shape("an empty object is not an expression: write one operator key, such as `all` or `>=`");
                    }
                    let keys: Vec<&str> = m.iter().map(|(k, _)| k.as_str()).collect();
                    return self.shape(format!("an expression is an object with exactly one operator key; found {} keys ({})", keys.len(), keys.join(", ")));
                };
                let name = op.as_str();
                self.key_of(op, |c| c.op(name, arg))
            }
        }
    }

    fn number(&mut self, text: &str) -> R {
        match parse_decimal(text) {
            Ok(d) => Some(self.num_lit(d)),
            Err(message) => {
                let path = self.here();
                self.errors.push(CompileError::Literal { message, path });
                None
            }
        }
    }

    fn num_lit(&mut self, d: Decimal) -> Typed {
        let k = self.prog.nums.len() as u32;
        self.prog.nums.push(d);
        self.lit(Node::Num(k), Ty::Num)
    }

    fn intern(&mut self, s: &str) -> u32 {
        if let Some(i) = self.prog.strings.iter().position(|x| &**x == s) {
            return i as u32;
        }
        self.prog.strings.push(s.into());
        (self.prog.strings.len() - 1) as u32
    }

    fn op(&mut self, op: &str, arg: ExprRef<'_>) -> R {
        match op {
            "var" => self.var(arg),
            "date" => {
                let Some(s) = arg.as_str() else { return self.shape("`date` takes a string \"YYYY-MM-DD\"") };
                match s.parse::<Date>() {
                    Ok(d) => Some(self.lit(Node::Date(d), Ty::Date)),
                    Err(e) => {
                        let path = self.here();
                        self.errors.push(CompileError::Literal { message: e.to_string(), path });
                        None
                    }
                }
            }
            "provided" => {
                let Some(name) = arg.as_str() else { return self.shape("`provided` takes a field name") };
                match self.scope.field(name) {
                    Some(f) => {
                        self.use_field(f.slot);
                        self.reads.push(Read::Field(f.slot));
                        Some(self.push(Node::Provided(f.slot), Ty::Bool))
                    }
                    None => self.unknown_var(name),
                }
            }
            "policy" => {
                let Some(id) = arg.as_str() else { return self.shape("`policy` takes a policy id") };
                if !self.allow_policies {
                    return self.shape("`policy` references are allowed in criteria and benefit formulas only, not in derived values");
                }
                match self.scope.policy(id) {
                    Some(p) => {
                        self.reads.push(Read::Policy(p));
                        Some(self.push(Node::Policy(p), Ty::Bool))
                    }
                    None => {
                        let suggestion = closest(id, self.scope.policy_ids().into_iter());
                        let path = self.here();
                        self.errors.push(CompileError::UnknownPolicy { id: id.into(), suggestion, path });
                        None
                    }
                }
            }
            "all" | "any" => {
                let items = self.list_args(arg, 1, usize::MAX, op)?;
                let base = self.each(items, Some(Ty::Bool))?;
                let (s, e) = self.kids_from(base);
                if op == "all" {
                    let kids = self.prog.kids(s, e).to_vec();
                    let here = self.here();
                    self.check_conjunction(&kids, |i| format!("`all[{i}]`"), |i| JsonPath(here.0.iter().cloned().chain([Seg::Index(i)]).collect()));
                }
                Some(self.push(if op == "all" { Node::All(s, e) } else { Node::Any(s, e) }, Ty::Bool))
            }
            "not" => {
                let a = self.typed(arg, Ty::Bool)?;
                Some(self.push(Node::Not(a.id), Ty::Bool))
            }
            "==" | "!=" | "<" | "<=" | ">" | ">=" => self.cmp(op, arg),
            "in" | "not_in" => self.member(op, arg),
            "contains" => {
                let items = self.list_args(arg, 2, 2, op)?;
                let list = self.idx(0, |c| c.expr(items.get(0)))?;
                let item_ty = self.idx(0, |c| c.list_item_type(list.ty))?;
                let item = self.idx(1, |c| c.expr(items.get(1)))?;
                if item.ty != item_ty {
                    return self.idx(1, |c| {
                        c.type_err(format!("`contains` looks for a {item_ty} in a {}, found a {}", list.ty, item.ty));
                        None
                    });
                }
                self.idx(1, |c| c.check_option(item, list));
                Some(self.push(Node::Contains(list.id, item.id), Ty::Bool))
            }
            "contains_any" | "contains_all" => {
                let items = self.list_args(arg, 2, 2, op)?;
                let list = self.idx(0, |c| c.expr(items.get(0)))?;
                let item_ty = self.idx(0, |c| c.list_item_type(list.ty))?;
                let set = self.idx(1, |c| c.literal_list(items.get(1), item_ty, list))?;
                Some(self.push(Node::ContainsSet(op == "contains_all", list.id, set), Ty::Bool))
            }
            "+" | "sum" | "*" | "min" | "max" => {
                let items = self.list_args(arg, 1, usize::MAX, op)?;
                let base = self.each(items, Some(Ty::Num))?;
                let (s, e) = self.kids_from(base);
                let aop = match op {
                    "*" => ArithOp::Mul,
                    "min" => ArithOp::Min,
                    "max" => ArithOp::Max,
                    _ => ArithOp::Add,
                };
                Some(self.push(Node::Arith(aop, s, e), Ty::Num))
            }
            "-" => {
                let items = self.list_args(arg, 1, 2, op)?;
                let base = self.each(items, Some(Ty::Num))?;
                if let [only] = self.stack[base..] {
                    self.stack.truncate(base);
                    return Some(self.push(Node::Neg(only), Ty::Num));
                }
                let (s, e) = self.kids_from(base);
                Some(self.push(Node::Arith(ArithOp::Sub, s, e), Ty::Num))
            }
            "/" => {
                let items = self.list_args(arg, 2, 2, op)?;
                let base = self.each(items, Some(Ty::Num))?;
                let (s, e) = self.kids_from(base);
                Some(self.push(Node::Arith(ArithOp::Div, s, e), Ty::Num))
            }
            "days_between" | "years_between" => {
                let items = self.list_args(arg, 2, 2, op)?;
                let base = self.each(items, Some(Ty::Date))?;
                let [a, b] = self.stack[base..] else { return None };
                self.stack.truncate(base);
                let dop = if op == "days_between" { DateOp::DaysBetween } else { DateOp::YearsBetween };
                Some(self.push(Node::DateDiff(dop, a, b), Ty::Num))
            }
            "add_days" | "add_months" | "add_years" => {
                let items = self.list_args(arg, 2, 2, op)?;
                let d = self.idx(0, |c| c.typed(items.get(0), Ty::Date))?;
                let n = items.get(1).as_i64().filter(|n| n.abs() <= 100_000);
                let Some(n) = n else { return self.idx(1, |c| c.shape(format!("`{op}` takes a whole number (at most 100000) as its second operand"))) };
                let shift = match op {
                    "add_days" => Shift::Days,
                    "add_months" => Shift::Months,
                    _ => Shift::Years,
                };
                Some(self.push(Node::Shift(shift, d.id, n as i32), Ty::Date))
            }
            "if" => {
                let items = self.list_args(arg, 3, 3, op)?;
                let c = self.idx(0, |c| c.typed(items.get(0), Ty::Bool));
                let t = self.idx(1, |c| c.expr(items.get(1)));
                let e = self.idx(2, |c| c.expr(items.get(2)));
                let (c, t, e) = (c?, t?, e?);
                if t.ty != e.ty {
                    self.type_err(format!("both branches of `if` must have the same type; found {} and {}", t.ty, e.ty));
                    return None;
                }
                let (s, _) = self.kids(&[c.id, t.id, e.id]);
                Some(self.push(Node::If(s), t.ty))
            }
            "band" => self.band(arg),
            "score" => self.score(arg),
            "some" | "every" | "none" | "count" => self.quant(op, arg),
            other => {
                let path = self.here();
                self.errors.push(CompileError::UnknownOperator { op: other.into(), suggestion: operator_suggestion(other), path });
                None
            }
        }
    }

    fn use_field(&mut self, slot: u32) {
        if !self.used_fields.contains(&slot) {
            self.used_fields.push(slot);
        }
    }

    fn unknown_var(&mut self, name: &str) -> R {
        // Declared but with no compiled value: a derived value whose own
        // definition failed. That error is reported where it is; "unknown
        // x (did you mean x?)" at every use would only bury it.
        if self.scope.var_names().contains(&name) {
            return None;
        }
        let suggestion = closest(name, self.scope.var_names().into_iter());
        let path = self.here();
        self.errors.push(CompileError::UnknownVar { name: name.into(), suggestion, path });
        None
    }

    fn var(&mut self, arg: ExprRef<'_>) -> R {
        let Some(name) = arg.as_str() else { return self.shape("`var` takes a field name, a derived value's name, \"$as_of\" or \"$item\"") };
        match name {
            "$as_of" => return Some(self.push(Node::AsOf, Ty::Date)),
            "$item" => {
                return match self.item {
                    Some((t, enum_slot)) => Some(Typed { enum_slot, ..self.push(Node::Item, t) }),
                    None => self.shape("\"$item\" is only defined inside the `where` of `some`, `every`, `none` or `count`"),
                }
            }
            _ => {}
        }
        if let Some(f) = self.scope.field(name) {
            self.use_field(f.slot);
            self.reads.push(Read::Field(f.slot));
            let mut t = self.push(Node::Field(f.slot), f.ty);
            if !f.options.is_empty() {
                t.enum_slot = Some(f.slot);
            }
            t.percent = self.scope.percent(name);
            return Some(t);
        }
        if let Some((i, ty)) = self.scope.derived(name) {
            self.reads.push(Read::Derived(i));
            return Some(Typed { percent: self.scope.percent(name), ..self.push(Node::Derived(i), ty) });
        }
        self.unknown_var(name)
    }

    fn list_args<'v>(&mut self, arg: ExprRef<'v>, min: usize, max: usize, op: &str) -> Option<List<'v>> {
        let ok = |n: usize| n >= min && n <= max;
        match arg.as_array() {
            Some(a) if ok(a.len()) => Some(a),
            _ => {
                let want = match (min, max) {
                    (a, b) if a == b => format!("a list of exactly {a} operand{}", if a == 1 { "" } else { "s" }),
                    (a, usize::MAX) => format!("a list of at least {a} operand{}", if a == 1 { "" } else { "s" }),
                    (a, b) => format!("a list of {a} to {b} operands"),
                };
                let found = match arg.view() {
                    View::Arr(a) => format!("{} operands", a.len()),
                    View::Obj(_) => "an object".into(),
                    View::Str(_) => "a string".into(),
                    View::Int(_) | View::Num(_) => "a number".into(),
                    View::Bool(_) => "a boolean".into(),
                    View::Null => "null".into(),
                };
                self.shape(format!("`{op}` takes {want}; found {found}{}", grouped_hint(arg, max)));
                None
            }
        }
    }

    /// Compile every item (each of type `want`, if given). Their node ids
    /// are left on [`Compiler::stack`] from the returned index up, for the
    /// caller to take; when any item fails, nothing is left.
    fn each(&mut self, items: List<'_>, want: Option<Ty>) -> Option<usize> {
        let base = self.stack.len();
        let mut ok = true;
        for (i, it) in items.iter().enumerate() {
            let r = self.idx(i, |c| match want {
                Some(t) => c.typed(it, t),
                None => c.expr(it),
            });
            match r {
                Some(t) if ok => {
                    self.stack.truncate(base + i);
                    self.stack.push(t.id);
                }
                Some(_) => {}
                None => ok = false,
            }
        }
        if !ok {
            self.stack.truncate(base);
            return None;
        }
        Some(base)
    }

    /// Move the ids [`Compiler::each`] left from `base` into the program's child lists.
    fn kids_from(&mut self, base: usize) -> (u32, u32) {
        let s = self.prog.kids.len() as u32;
        self.prog.kids.extend_from_slice(self.stack.get(base..).unwrap_or(&[]));
        self.stack.truncate(base);
        (s, self.prog.kids.len() as u32)
    }

    fn typed(&mut self, v: ExprRef<'_>, want: Ty) -> R {
        let t = self.expr(v)?;
        if t.ty != want {
            let hint = self.quoted_hint(t, want).map(|h| format!(": {h}")).unwrap_or_default();
            self.type_err(format!("expected a {want}, found a {}{hint}", t.ty));
            return None;
        }
        Some(t)
    }

    fn kids(&mut self, kids: &[NodeId]) -> (u32, u32) {
        let s = self.prog.kids.len() as u32;
        self.prog.kids.extend_from_slice(kids);
        (s, self.prog.kids.len() as u32)
    }

    fn list_item_type(&mut self, list: Ty) -> Option<Ty> {
        match list {
            Ty::Dates => Some(Ty::Date),
            Ty::Strs => Some(Ty::Str),
            other => {
                self.type_err(format!("expected a list, found a {other}"));
                None
            }
        }
    }

    /// Check a string literal against what it is compared with (`of`): an
    /// enum's options (an error naming the closest), or a field read as a
    /// city (a warning when the literal is not a city as
    /// [`city_of`](super::city_of) reads one, `杭州市滨江区` being read as
    /// `杭州市` and `滨江区` as no city: no profile can ever match it).
    fn check_option(&mut self, lit: Typed, of: Typed) {
        let (true, Node::Str(si)) = (lit.literal, &self.prog.nodes[lit.id as usize]) else { return };
        let value = self.prog.strings.get(*si as usize).map_or("", |s| &**s);
        if matches!(self.prog.nodes[of.id as usize], Node::Field(slot) if self.prog.city_slots.contains(&slot)) {
            let message = match super::city_of(value) {
                Some(city) if city == value => None,
                Some(city) => {
                    Some(format!("\"{value}\" can never match: a city field is compared as the city its address names, and \"{value}\" is read as \"{city}\""))
                }
                None => Some(format!("\"{value}\" can never match: a city field is compared as the city its address names, and \"{value}\" names no city")),
            };
            if let Some(message) = message {
                let path = self.here();
                self.warnings.push((path, NEVER_TRUE, message));
            }
        }
        let Some((name, f)) = of.enum_slot.and_then(|slot| self.field_by_slot(slot)) else { return };
        if !f.options.iter().any(|o| o == value) {
            let value = value.to_string();
            let path = self.here();
            // (A Vec's iterator, as for names: one copy of `closest` in the wasm.)
            let suggestion = closest(&value, f.options.iter().map(String::as_str).collect::<Vec<_>>().into_iter());
            self.errors.push(CompileError::UnknownOption { value, field: name.to_string(), options: f.options.to_vec(), suggestion, path });
        }
    }

    /// How to write the string literal `lit` as the `want` it is compared
    /// with, when it is one in quotes: `"3,000,000"`, `"10%"`, `"300万"`,
    /// `"2026-01-01"`, `"false"`.
    fn quoted_hint(&self, lit: Typed, want: Ty) -> Option<String> {
        let (true, Node::Str(si)) = (lit.literal, &self.prog.nodes[lit.id as usize]) else { return None };
        let text = self.prog.strings.get(*si as usize)?.trim();
        match want {
            Ty::Num => {
                let (digits, scale, what) = match text.char_indices().last()? {
                    (i, '%' | '％') => (&text[..i], Decimal::ONE, "percent values are numbers from 0 to 100: write"),
                    (i, '万') => (&text[..i], Decimal::from(10_000), "amounts are in yuan: write"),
                    (i, '亿') => (&text[..i], Decimal::from(100_000_000), "amounts are in yuan: write"),
                    (i, '元') => (&text[..i], Decimal::ONE, "amounts are in yuan: write"),
                    _ => (text, Decimal::ONE, "write numbers without quotes or thousands separators:"),
                };
                let plain: String = digits.chars().filter(|c| !matches!(c, ',' | '，' | ' ')).collect();
                let n = parse_decimal(&plain).ok()?.checked_mul(scale)?;
                Some(format!("{what} {}", n.normalize()))
            }
            Ty::Date => {
                let date = loose_date(text)?;
                Some(format!("write a date as {{\"date\": \"{date}\"}}"))
            }
            Ty::Bool => match text {
                "true" | "是" | "yes" => Some("write true without quotes".into()),
                "false" | "否" | "no" => Some("write false without quotes".into()),
                _ => None,
            },
            _ => None,
        }
    }

    fn field_by_slot(&self, slot: u32) -> Option<(&'s str, FieldInfo<'s>)> {
        let scope: &'s dyn Scope = self.scope;
        let name = scope.field_name(slot)?;
        scope.field(name).filter(|f| f.slot == slot).map(|f| (name, f))
    }

    fn cmp(&mut self, op: &str, arg: ExprRef<'_>) -> R {
        let cop = CmpOp::parse(op)?;
        let items = self.list_args(arg, 2, 2, op)?;
        let l = self.idx(0, |c| c.expr(items.get(0)));
        let r = self.idx(1, |c| c.expr(items.get(1)));
        let (l, r) = (l?, r?);
        if l.ty != r.ty {
            // A number, date or yes/no written in quotes: blame the literal
            // and say how to write it.
            for (i, lit, other) in [(1, r, l), (0, l, r)] {
                if let Some(hint) = self.quoted_hint(lit, other.ty) {
                    let message = format!("`{op}` compares a {} with a string: {hint}", other.ty);
                    self.idx(i, |c| c.type_err(message));
                    return None;
                }
            }
            self.type_err(format!("`{op}` compares a {} with a {}", l.ty, r.ty));
            return None;
        }
        let ordered = matches!(l.ty, Ty::Num | Ty::Date);
        let equality = matches!(cop, CmpOp::Eq | CmpOp::Ne);
        if !(ordered || (equality && matches!(l.ty, Ty::Str | Ty::Bool))) {
            self.type_err(format!("`{op}` cannot compare {} values", l.ty));
            return None;
        }
        self.idx(1, |c| c.check_option(r, l));
        self.idx(0, |c| c.check_option(l, r));
        self.range_warning(cop, l, r);
        self.scale_warning(l, r);
        Some(self.push(Node::Cmp(cop, l.ty, l.id, r.id), Ty::Bool))
    }

    /// Warn when a comparison of a field with a constant can never hold
    /// given the field's declared range, or of a count with one below zero.
    fn range_warning(&mut self, op: CmpOp, l: Typed, r: Typed) {
        // The constant on either side (`0 > x` is `x < 0`).
        let (x, k, op) = match (&self.prog.nodes[l.id as usize], &self.prog.nodes[r.id as usize]) {
            (_, Node::Num(k)) => (l.id, *k, op),
            (Node::Num(k), _) => (r.id, *k, op.mirror()),
            _ => return,
        };
        let k = self.prog.num(k);
        // (name, declared min and max; `None` for a count, which is never negative)
        let (name, min, max, field) = match self.prog.nodes[x as usize] {
            Node::Field(slot) => match self.field_by_slot(slot) {
                Some((name, f)) => (name, f.min, f.max, true),
                None => return,
            },
            Node::Count(..) | Node::CountAll(_) => ("count", Some(Decimal::ZERO), None, false),
            _ => return,
        };
        let below = |m: Option<Decimal>, strict: bool| m.is_some_and(|m| if strict { k <= m } else { k < m });
        let above = |m: Option<Decimal>, strict: bool| m.is_some_and(|m| if strict { k >= m } else { k > m });
        let never = match op {
            CmpOp::Lt => below(min, true),
            CmpOp::Le => below(min, false),
            CmpOp::Gt => above(max, true),
            CmpOp::Ge => above(max, false),
            CmpOp::Eq => below(min, false) || above(max, false),
            CmpOp::Ne => false,
        };
        if never {
            let why = if field {
                let bound = |m: Option<Decimal>| m.map(|d| d.to_string()).unwrap_or_default();
                format!("`{name}` is declared in the range {}..{}", bound(min), bound(max))
            } else {
                "a count is never negative".into()
            };
            let path = self.here();
            self.warnings.push((path, NEVER_TRUE, format!("`{name} {} {k}` can never be true: {why}", op.symbol())));
        }
    }

    /// Warn when a value in percent (10 means 10 %) is compared with a
    /// fraction such as 0.1: usually 10 % written as a ratio.
    fn scale_warning(&mut self, l: Typed, r: Typed) {
        self.idx(1, |c| c.fraction_warning(l, r));
        self.idx(0, |c| c.fraction_warning(r, l));
    }

    /// [`Compiler::scale_warning`] for `value` and the literal `lit`, at the
    /// current path (the literal's).
    fn fraction_warning(&mut self, value: Typed, lit: Typed) {
        if !value.percent {
            return;
        }
        let prog = &*self.prog;
        let num = |id: NodeId| match prog.nodes.get(id as usize) {
            Some(Node::Num(k)) => Some(prog.num(*k)),
            _ => None,
        };
        let fraction = |k: Decimal| k.abs() < Decimal::ONE;
        let pct = |k: Decimal| (k * Decimal::ONE_HUNDRED).normalize();
        let message = match prog.nodes.get(lit.id as usize) {
            Some(Node::Num(_)) if lit.literal => {
                let Some(k) = num(lit.id).filter(|k| !k.is_zero() && fraction(*k)) else { return };
                let pct = pct(k);
                format!("compares a value in percent (10 means 10%) with {k}, which is {k}%; if {pct}% is meant, write {pct}")
            }
            // Thresholds by band (the HNTE R&D ratio by revenue): every
            // result a fraction, as `0.05` for 5 %.
            Some(Node::Band(_, s)) => {
                // The results as written, as percents, and as numbers to write.
                let (mut was, mut meant, mut write) = (String::new(), String::new(), String::new());
                let mut nonzero = false;
                for (i, r) in prog.band_rows(*s).iter().enumerate() {
                    let Some(k) = num(r.then).filter(|k| fraction(*k)) else { return };
                    nonzero |= !k.is_zero();
                    let sep = if i > 0 { ", " } else { "" };
                    let p = pct(k);
                    let _ = (write!(was, "{sep}{k}"), write!(meant, "{sep}{p}%"), write!(write, "{sep}{p}"));
                }
                if !nonzero {
                    return;
                }
                format!("compares a value in percent (10 means 10%) with a band table whose results ({was}) are fractions; if {meant} are meant, write {write}")
            }
            _ => return,
        };
        let path = self.here();
        self.warnings.push((path, "percent-scale", message));
    }

    /// Warn when the tests `conjuncts`, which must all pass, bound one
    /// field to no value at all ([`Program::contradiction`]); `name` says
    /// how to call a conjunct (`` `all[1]` ``, `criteria C2`) and `path`
    /// where it is (the warning points at the later of the two).
    ///
    /// A contradiction inside one conjunct (a nested `all`) is that
    /// conjunct's own warning, not repeated here.
    ///
    /// # Example
    /// ```
    /// # use policy_match::rules::{Compiler, Expr, FieldInfo, JsonPath, Program, Scope, Ty};
    /// # struct Staff;
    /// # impl Scope for Staff {
    /// #     fn field(&self, name: &str) -> Option<FieldInfo<'_>> {
    /// #         (name == "staff").then_some(FieldInfo { slot: 0, ty: Ty::Num, options: &[], min: None, max: None })
    /// #     }
    /// #     fn derived(&self, _: &str) -> Option<(u32, Ty)> { None }
    /// #     fn policy(&self, _: &str) -> Option<u32> { None }
    /// #     fn var_names(&self) -> Vec<&str> { vec!["staff"] }
    /// #     fn policy_ids(&self) -> Vec<&str> { vec![] }
    /// # }
    /// # let mut prog = Program::default();
    /// # let expr = |s: &str| serde_json::from_str::<Expr>(s).unwrap();
    /// # use policy_match::rules::Seg;
    /// let mut c = Compiler::new(&mut prog, &Staff);
    /// let at = JsonPath::default();
    /// let big = c.compile(&expr(r#"{">=": [{"var": "staff"}, 300]}"#), &at, Some(Ty::Bool), false).unwrap();
    /// let small = c.compile(&expr(r#"{"<": [{"var": "staff"}, 100]}"#), &at, Some(Ty::Bool), false).unwrap();
    /// c.check_conjunction(&[big.id, small.id], |i| format!("criteria C{}", i + 1), |i| JsonPath(vec![Seg::Index(i)]));
    /// let (path, kind, message) = &c.warnings[0];
    /// assert_eq!((path.to_string(), *kind), ("[1]".to_string(), "never-true"));
    /// assert!(message.starts_with("criteria C1 and criteria C2 can never both be true"));
    /// ```
    pub fn check_conjunction(&mut self, conjuncts: &[NodeId], name: impl Fn(usize) -> String, path: impl Fn(usize) -> JsonPath) {
        let Some((first, second, why)) = self.conflict(conjuncts) else { return };
        let message = format!("{} and {} can never both be true: {why}", name(first), name(second));
        self.warnings.push((path(second), NEVER_TRUE, message));
    }

    /// The first two conjuncts that leave a field no possible value, and
    /// why, in words (not generic: one copy for every caller's closures).
    fn conflict(&self, conjuncts: &[NodeId]) -> Option<(usize, usize, String)> {
        let (first, second, slot, a, b) = match self.prog.contradiction(conjuncts) {
            Some(c) => {
                if c.first.0 == c.second.0 {
                    return None;
                }
                let value = |v: Decimal| match (c.date, i64::try_from(v)) {
                    (true, Ok(days)) => Date::EPOCH.add_days(days).to_string(),
                    _ => v.normalize().to_string(),
                };
                let test = |(_, op, v): (usize, CmpOp, Decimal)| format!("{} {}", op.symbol(), value(v));
                (c.first.0, c.second.0, c.field, test(c.first), test(c.second))
            }
            // Choices: `type == "a"` and `type in ["b", "c"]`.
            None => {
                let c = self.prog.choice_contradiction(conjuncts)?;
                (c.first.0, c.second.0, c.field, self.choice_test(c.first.1), self.choice_test(c.second.1))
            }
        };
        let (field, _) = self.field_by_slot(slot)?;
        Some((first, second, format!("`{field} {a}` and `{field} {b}` leave `{field}` no possible value")))
    }

    /// A test against literals, as written after the field: `in ["a", "b"]`.
    fn choice_test(&self, n: NodeId) -> String {
        let prog = &*self.prog;
        let (op, list, values): (&str, bool, &[NodeId]) = match prog.nodes.get(n as usize) {
            Some(Node::Cmp(op, _, a, b)) => {
                (op.symbol(), false, std::slice::from_ref(if matches!(prog.nodes.get(*a as usize), Some(Node::Field(_))) { b } else { a }))
            }
            Some(Node::In(neg, _, _, list)) => (
                if *neg { "not_in" } else { "in" },
                true,
                match prog.nodes.get(*list as usize) {
                    Some(Node::List(s, e)) => prog.lists.get(*s as usize..*e as usize).unwrap_or(&[]),
                    _ => &[],
                },
            ),
            _ => ("", false, &[]),
        };
        let mut out = format!("{op} {}", if list { "[" } else { "" });
        for (i, &k) in values.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            match prog.nodes.get(k as usize) {
                Some(Node::Str(i)) => {
                    out.push('"');
                    out.push_str(prog.strings.get(*i as usize).map_or("", |s| &**s));
                    out.push('"');
                }
                Some(Node::Bool(b)) => out.push_str(if *b { "true" } else { "false" }),
                _ => {}
            }
        }
        if list {
            out.push(']');
        }
        out
    }

    fn member(&mut self, op: &str, arg: ExprRef<'_>) -> R {
        let items = self.list_args(arg, 2, 2, op)?;
        let x = self.idx(0, |c| c.expr(items.get(0)))?;
        if !matches!(x.ty, Ty::Num | Ty::Str | Ty::Date) {
            return self.idx(0, |c| {
                c.type_err(format!("`{op}` tests a number, string or date, found a {}", x.ty));
                None
            });
        }
        let list = self.idx(1, |c| c.literal_list(items.get(1), x.ty, x))?;
        if let Node::List(s, e) = self.prog.nodes[list as usize] {
            if s == e {
                let path = self.here();
                self.warnings.push((path, NEVER_TRUE, format!("`{op}` with an empty list is always {}", op == "not_in")));
            }
        }
        Some(self.push(Node::In(op == "not_in", x.ty, x.id, list), Ty::Bool))
    }

    fn literal_list(&mut self, v: ExprRef<'_>, item: Ty, of: Typed) -> Option<NodeId> {
        let Some(a) = v.as_array() else { return self.shape("expected a list of literal values, e.g. [\"small\", \"micro\"]").map(|t| t.id) };
        let list_id = self.prog.reserve();
        let mut ids = Vec::with_capacity(a.len());
        let mut ok = true;
        for (i, it) in a.iter().enumerate() {
            let r = self.idx(i, |c| {
                let t = c.expr(it)?;
                if !t.literal {
                    return c.shape("list elements must be literal values");
                }
                if t.ty != item {
                    c.type_err(format!("expected a {item} literal, found a {}", t.ty));
                    return None;
                }
                c.check_option(t, of);
                Some(t)
            });
            match r {
                Some(t) => ids.push(t.id),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        let s = self.prog.lists.len() as u32;
        self.prog.lists.extend_from_slice(&ids);
        let e = self.prog.lists.len() as u32;
        let ty = if item == Ty::Date { Ty::Dates } else { Ty::Strs };
        self.prog.set(list_id, Node::List(s, e), ty);
        Some(list_id)
    }

    fn object<'v>(&mut self, arg: ExprRef<'v>, op: &str, keys: &[&str], required: &[&str]) -> Option<Map<'v>> {
        let Some(m) = arg.as_object() else {
            self.shape(format!("`{op}` takes an object with keys {}", keys.join(", ")));
            return None;
        };
        for (k, _) in m.iter() {
            let name = k.as_str();
            if !keys.contains(&name) {
                self.key_of(k, |c| c.shape(format!("unknown key `{name}` in `{op}` (allowed: {})", keys.join(", "))));
                return None;
            }
        }
        for k in required {
            if m.get(k).is_none() {
                self.shape(format!("`{op}` needs the key `{k}`"));
                return None;
            }
        }
        Some(m)
    }

    fn band(&mut self, arg: ExprRef<'_>) -> R {
        let m = self.object(arg, "band", &["of", "rows"], &["of", "rows"])?;
        let of = self.key("of", |c| c.expr(val(m, "of")))?;
        if !matches!(of.ty, Ty::Num | Ty::Date | Ty::Str) {
            return self.key("of", |c| {
                c.type_err(format!("a band table looks up a number, date or string, found a {}", of.ty));
                None
            });
        }
        let rows_json = self.key("rows", |c| c.list_args(val(m, "rows"), 1, usize::MAX, "rows"))?;
        let mut rows = Vec::with_capacity(rows_json.len());
        let mut result_ty: Option<Ty> = None;
        let last = rows_json.len() - 1;
        let mut ok = true;
        for (i, row) in rows_json.iter().enumerate() {
            let r = self.key("rows", |c| c.idx(i, |c| c.band_row(row, of, i == last, &mut result_ty)));
            match r {
                Some(r) => rows.push(r),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        self.dead_rows(&rows);
        let s = self.prog.rows.len() as u32;
        self.prog.rows.extend(rows);
        Some(self.push(Node::Band(of.id, s), result_ty?))
    }

    /// Warn about a band row no value can reach: the rows before it (one
    /// of them, or a lower and an upper one together) take every value it
    /// would (`>= 100` then `>= 200`; `< 5`, `>= 5`, then `== 7`).
    fn dead_rows(&mut self, rows: &[BandRow]) {
        // A bound as a comparable key: numbers and dates by value, strings by their interned index.
        let key = |c: &Self, id: NodeId| match c.prog.nodes.get(id as usize)? {
            Node::Str(k) => Some(Decimal::from(*k)),
            _ => c.prog.ordered_literal(id),
        };
        let text = |c: &Self, op: CmpOp, id: NodeId| {
            let v = match c.prog.nodes.get(id as usize) {
                Some(Node::Num(k)) => c.prog.num(*k).normalize().to_string(),
                Some(Node::Date(d)) => d.to_string(),
                Some(Node::Str(k)) => format!("\"{}\"", c.prog.strings.get(*k as usize).map_or("", |s| &**s)),
                _ => String::new(),
            };
            format!("`{} {v}`", op.symbol())
        };
        // The widest earlier lower half-line (`<`/`<=`) and upper one (`>`/`>=`), with their rows.
        type HalfLine = Option<(CmpOp, Decimal, usize)>;
        let (mut lower, mut upper): (HalfLine, HalfLine) = (None, None);
        for (i, r) in rows.iter().enumerate() {
            let (Some(op), Some(b)) = (r.op, key(self, r.bound)) else { continue };
            let mut by: Option<String> = None;
            for (j, e) in rows[..i].iter().enumerate() {
                let (Some(eop), Some(a)) = (e.op, key(self, e.bound)) else { continue };
                if covers(eop, a, op, b) {
                    by = Some(format!("row {} ({}) comes first and takes every value it would", j + 1, text(self, eop, e.bound)));
                    break;
                }
            }
            if by.is_none() {
                if let (Some((lop, a, lj)), Some((uop, u, uj))) = (lower, upper) {
                    // Together they take every value unless a gap is left at or between them.
                    if u < a || (u == a && !(lop == CmpOp::Lt && uop == CmpOp::Gt)) {
                        by = Some(format!(
                            "rows {} ({}) and {} ({}) come first and take every value",
                            lj.min(uj) + 1,
                            if lj < uj { text(self, lop, rows[lj].bound) } else { text(self, uop, rows[uj].bound) },
                            lj.max(uj) + 1,
                            if lj < uj { text(self, uop, rows[uj].bound) } else { text(self, lop, rows[lj].bound) },
                        ));
                    }
                }
            }
            if let Some(by) = by {
                let path = JsonPath(self.path.iter().cloned().chain([Seg::Key("rows".into()), Seg::Index(i)]).collect());
                // Rows counted from 1, as explanations show them (the path counts from 0).
                self.warnings.push((path, NEVER_TRUE, format!("band row {} ({}) can never be chosen: {by}", i + 1, text(self, op, r.bound))));
            }
            match op {
                CmpOp::Lt | CmpOp::Le if lower.is_none_or(|(lop, a, _)| b > a || (b == a && lop == CmpOp::Lt && op == CmpOp::Le)) => lower = Some((op, b, i)),
                CmpOp::Gt | CmpOp::Ge if upper.is_none_or(|(uop, u, _)| b < u || (b == u && uop == CmpOp::Gt && op == CmpOp::Ge)) => upper = Some((op, b, i)),
                _ => {}
            }
        }
    }

    fn band_row(&mut self, row: ExprRef<'_>, of: Typed, is_last: bool, result_ty: &mut Option<Ty>) -> Option<BandRow> {
        let Some(m) = row.as_object() else {
            self.shape("a band row is {\"<op>\": bound, \"then\": result} or, last, {\"else\": result}");
            return None;
        };
        let (op, bound, then_key) = if let Some(e) = m.get("else") {
            if m.len() != 1 {
                self.shape("an `else` row has no other keys");
                return None;
            }
            if !is_last {
                self.key("else", |c| c.shape("`else` must be the last row"));
                return None;
            }
            (None, e, "else")
        } else {
            if m.len() != 2 || m.get("then").is_none() {
                self.shape("a band row is {\"<op>\": bound, \"then\": result}, e.g. {\">=\": 30, \"then\": 20}");
                return None;
            }
            let (k, v) = m.iter().find(|(k, _)| k.as_str() != "then")?;
            let name = k.as_str();
            let Some(op) = CmpOp::parse(name) else {
                self.key_of(k, |c| c.shape(format!("`{name}` is not a comparison (use ==, !=, <, <=, >, >=)")));
                return None;
            };
            if is_last {
                self.shape("the last row of a band table must be {\"else\": result}, so that every value picks a row");
                return None;
            }
            (Some(op), v, "then")
        };
        let bound_id = match op {
            Some(op) => {
                let k = op.symbol();
                let b = self.key(k, |c| c.expr(bound))?;
                if !b.literal || b.ty != of.ty {
                    self.key(k, |c| c.type_err(format!("a band bound must be a {} literal", of.ty)));
                    return None;
                }
                if of.ty == Ty::Str && !matches!(op, CmpOp::Eq | CmpOp::Ne) {
                    self.key(k, |c| c.type_err("strings in a band table are compared with == or != only".into()));
                    return None;
                }
                self.key(k, |c| {
                    c.check_option(b, of);
                    c.fraction_warning(of, b);
                });
                b.id
            }
            None => 0,
        };
        let res = if then_key == "else" { self.key("else", |c| c.expr(bound))? } else { self.key("then", |c| c.expr(val(m, "then")))? };
        match result_ty {
            Some(t) if *t != res.ty => {
                self.type_err(format!("every row of a band table gives the same type; this row gives a {}, earlier rows a {t}", res.ty));
                return None;
            }
            _ => *result_ty = Some(res.ty),
        }
        Some(BandRow { op, bound: bound_id, then: res.id })
    }

    fn score(&mut self, arg: ExprRef<'_>) -> R {
        let m = self.object(arg, "score", &["parts"], &["parts"])?;
        let parts = self.key("parts", |c| c.list_args(val(m, "parts"), 1, usize::MAX, "parts"))?;
        let mut out = Vec::with_capacity(parts.len());
        let mut ok = true;
        for (i, p) in parts.iter().enumerate() {
            let r = self.key("parts", |c| {
                c.idx(i, |c| {
                    let m = c.object(p, "score part", &["id", "label", "points"], &["id", "label", "points"])?;
                    let Some(id) = val(m, "id").as_str() else {
                        c.key("id", |c| c.shape("a part's id is a string"));
                        return None;
                    };
                    // The explanation names each part by its id.
                    if out.iter().any(|q: &ScorePart| &*q.id == id) {
                        c.key("id", |c| c.shape(format!("score part id `{id}` is used twice; give each part its own id")));
                        return None;
                    }
                    let label: Text = match serde_json::from_value(val(m, "label").to_json()) {
                        Ok(t) => t,
                        Err(e) => {
                            c.key("label", |c| c.shape(format!("a part's label is {{\"zh\": …, \"en\": …}}: {e}")));
                            return None;
                        }
                    };
                    let pts = c.key("points", |c| c.typed(val(m, "points"), Ty::Num))?;
                    Some(ScorePart { id: id.into(), label, points: pts.id })
                })
            });
            match r {
                Some(p) => out.push(p),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        let s = self.prog.parts.len() as u32;
        self.prog.parts.extend(out);
        let e = self.prog.parts.len() as u32;
        Some(self.push(Node::Score(s, e), Ty::Num))
    }

    fn quant(&mut self, op: &str, arg: ExprRef<'_>) -> R {
        let required: &[&str] = if op == "count" { &["in"] } else { &["in", "where"] };
        let m = self.object(arg, op, &["in", "where"], required)?;
        if self.item.is_some() {
            return self.shape(format!("`{op}` cannot be nested inside another list quantifier"));
        }
        let list = self.key("in", |c| c.expr(val(m, "in")))?;
        let item_ty = self.key("in", |c| c.list_item_type(list.ty))?;
        let pred = match m.get("where") {
            Some(w) => {
                self.item = Some((item_ty, list.enum_slot));
                let p = self.key("where", |c| c.typed(w, Ty::Bool));
                self.item = None;
                Some(p?.id)
            }
            None => None,
        };
        let node = match (op, pred) {
            ("count", Some(p)) => return Some(self.push(Node::Count(list.id, p), Ty::Num)),
            ("count", None) => return Some(self.push(Node::CountAll(list.id), Ty::Num)),
            ("some", Some(p)) => Node::Quant(Quant::Some, list.id, p),
            ("every", Some(p)) => Node::Quant(Quant::Every, list.id, p),
            (_, Some(p)) => Node::Quant(Quant::None, list.id, p),
            (_, None) => return None,
        };
        Some(self.push(node, Ty::Bool))
    }
}

/// The value of a key [`Compiler::object`] has checked is present.
fn val<'v>(m: Map<'v>, key: &str) -> ExprRef<'v> {
    m.get_or_null(key)
}

/// Whether every value `x` with `x i b` also has `x j a`: a band row
/// testing `j a` takes every value a later row testing `i b` would.
fn covers(j: CmpOp, a: Decimal, i: CmpOp, b: Decimal) -> bool {
    use CmpOp::*;
    match (j, i) {
        (Ne, Eq) => b != a,
        (Ne, Ge) => a < b,
        (Ne, Gt) => a <= b,
        (Ne, Le) => a > b,
        (Ne, Lt) => a >= b,
        (Ne, Ne) => a == b,
        (Eq, Eq) => a == b,
        (Ge, Eq | Ge | Gt) => b >= a,
        (Gt, Eq | Ge) => b > a,
        (Gt, Gt) => b >= a,
        (Le, Eq | Le | Lt) => b <= a,
        (Lt, Eq | Le) => b < a,
        (Lt, Lt) => b <= a,
        _ => false,
    }
}

/// For operands that are one number written with thousands separators
/// (`[x, 3,500]` reads as `[x, 3, 500]`), how to write it: `; if 3,500 is
/// one number, write 3500 …`. Empty otherwise.
fn grouped_hint(arg: ExprRef<'_>, max: usize) -> String {
    let Some(a) = arg.as_array() else { return String::new() };
    if a.len() <= max || max == 0 {
        return String::new();
    }
    let tail: Vec<Option<i64>> = a.iter().skip(max - 1).map(|x| x.as_i64()).collect();
    let (Some(Some(head)), rest) = (tail.first(), &tail[1..]) else { return String::new() };
    if !(1..1000).contains(head) || !rest.iter().all(|g| g.is_some_and(|g| (100..1000).contains(&g))) {
        return String::new();
    }
    let parts: Vec<String> = tail.iter().flatten().map(|n| n.to_string()).collect();
    format!("; if {} is one number, write {} (JSON numbers have no thousands separators)", parts.join(","), parts.concat())
}
