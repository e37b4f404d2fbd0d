//! The criteria language: compile JSON expressions once, evaluate them many
//! times with three-valued (Kleene) logic and exact decimal arithmetic.
//!
//! Stages:
//! - [`compile`]: JSON (read as an [`Expr`]) → typed [`Program`] (one arena for a whole catalogue),
//!   with every error carrying its JSON path ([`CompileError`]).
//! - [`eval`]: the single evaluator. Verdicts use [`NoTrace`] (zero cost);
//!   explanations use [`Recorder`], through the same code.
//!
//! The language itself is documented in the README ("Criteria language").
//!
//! # Example
//! ```
//! use policy_match::rules::{Program, Tri, Ty, Env, Eval, NoTrace, Date, Value, Expr, compile::{Compiler, Scope, FieldInfo}, JsonPath};
//!
//! struct OneField;
//! impl Scope for OneField {
//!     fn field(&self, name: &str) -> Option<FieldInfo<'_>> {
//!         (name == "staff").then_some(FieldInfo { slot: 0, ty: Ty::Num, options: &[], min: None, max: None })
//!     }
//!     fn derived(&self, _: &str) -> Option<(u32, Ty)> { None }
//!     fn policy(&self, _: &str) -> Option<u32> { None }
//!     fn var_names(&self) -> Vec<&str> { vec!["staff"] }
//!     fn policy_ids(&self) -> Vec<&str> { vec![] }
//! }
//!
//! let mut prog = Program::default();
//! let rule: Expr = serde_json::from_str(r#"{"<=": [{"var": "staff"}, 300]}"#).unwrap();
//! let node = Compiler::new(&mut prog, &OneField).compile(&rule, &JsonPath::default(), Some(Ty::Bool), false).unwrap();
//!
//! let profile = [Value::Num(300.into())];
//! let env = Env { prog: &prog, fields: &profile, derived: &[], policies: &[], as_of: "2026-07-01".parse().unwrap() };
//! assert_eq!(Eval::new(env, &mut NoTrace).bool(node.id), Tri::True);
//! ```

pub mod compile;
mod error;
pub mod eval;
mod expr;
mod place;
mod program;
mod value;

pub use compile::{Compiler, FieldInfo, Scope, Typed, MAX_DEPTH};
pub(crate) use error::did_you_mean;
pub use error::{closest, operator_suggestion, CompileError, JsonPath, Seg, OPERATORS};
pub use eval::{Computed, Env, Eval, Memo, NoTrace, NumVal, Rec, Recorder, Tracer};
pub use expr::{Expr, ExprRef, KeyRef, List, Map, View};
pub use place::city_of;
pub use program::{ArithOp, BandRow, ChoiceContradiction, CmpOp, Contradiction, DateOp, Node, NodeId, Program, Quant, ScorePart, Shared, Shift, Ty, NO_MEMO};
pub(crate) use value::loose_date;
pub use value::{parse_decimal, serialize_decimal, Date, DateError, Tri, Value, MAX_ABS, MAX_SCALE};
