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
//! Where things are:
//! - `result.rs`: what an evaluation gives: [`Verdict`], [`PolicyResult`]
//!   (with its [`Benefit`] and [`Conflict`]s), [`AskNext`], and their
//!   contract forms [`ProfileReport`] and [`ResultReport`].
//! - `evaluate.rs`: [`Matcher`] and [`Evaluation`], the runs of the
//!   evaluator: verdicts, per-policy results, missing fields, stacking
//!   conflicts, the recorded run an explanation reads.
//! - `ask.rs`: [`Evaluation::ask_next`], which question to ask next (each
//!   answer of a yes/no or choice question tried).
//! - `near.rs`: near misses: which failed comparisons are close
//!   ([`default_tolerance`]), what is compared in words, [`NearMiss`] and
//!   its message.
//! - `format.rs`: numbers for people ([`format_quantity`], [`group_digits`]).
//! - `explain.rs`: explanation trees ([`PolicyExplanation`]).
//! - `profile.rs`: enterprise profiles read from JSON and CSV ([`Profile`]).
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

mod ask;
mod evaluate;
mod explain;
mod format;
mod near;
mod profile;
mod result;

pub use evaluate::{estimated_total, Evaluation, Matcher};
pub use explain::{CriterionExplanation, ExplainNode, PolicyExplanation};
pub use format::{format_quantity, group_digits};
pub use near::{default_tolerance, NearMiss};
pub(crate) use profile::digit_groups_ok;
#[cfg(feature = "batch")]
pub(crate) use profile::fold_number_text;
pub use profile::{profiles_from_csv, profiles_from_json, Profile, ProfileError, ProfileIssue, Raw, MAX_LIST_ITEMS, MAX_PROFILE_BYTES, MAX_STRING_CHARS};
pub use result::{AskNext, Benefit, Conflict, PolicyResult, ProfileReport, ResultReport, Verdict};
