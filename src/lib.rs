//! # policy-match
//!
//! 政策找人: match enterprise profiles against policy catalogues and explain
//! every verdict. The engine is pure Rust (no web dependencies), shared by
//! the Yew widget, the JS embed and the native CLI.
//!
//! ## Table of contents
//! - [`catalogue`]: parse, validate and compose catalogue JSON files into a
//!   compiled [`Catalogue`](catalogue::Catalogue).
//! - [`rules`]: the criteria language: compiler and the one evaluator.
//! - [`matching`]: profiles, verdicts, explanations, near misses and
//!   "what to ask next".
//! - `batch` (feature `batch`, on by default): batch 政策找人 for zone staff:
//!   enterprise spreadsheets (CSV, XLSX) to push lists.
//! - `admin` (feature `admin`): the admin page's wasm exports (its own bundle, `www/pkg-admin`).
//! - [`ui`], [`embed`]: the Yew widget and the JavaScript API (wasm; the
//!   exports belong to feature `widget`, on by default).
//! - [`synth`]: seeded synthetic catalogues and profiles (benchmarks, property tests).
//! - [`cases`]: the data-driven test-case runner shared by native and browser tests.
//! - [`Text`]: the bilingual (zh, en) text every user-visible string is.
//!
//! ## Where to start
//! - Load a catalogue once: [`Catalogue::from_json`](catalogue::Catalogue::from_json),
//!   or [`Catalogue::from_sources`](catalogue::Catalogue::from_sources) for national + zone;
//!   its errors are [`catalogue::Error`]s with a kind, a policy, a JSON path and
//!   line:column, and [`Catalogue::warnings`](catalogue::Catalogue::warnings) lists
//!   what `policy-match check` warns about.
//! - Read profiles: [`Profile::from_json_str`](matching::Profile::from_json_str),
//!   [`profiles_from_json`](matching::profiles_from_json), [`profiles_from_csv`](matching::profiles_from_csv).
//! - One profile, with explanations: [`Matcher::evaluate`](matching::Matcher::evaluate)
//!   gives each policy's [`PolicyResult`](matching::PolicyResult) (failed and undecided
//!   criteria, missing fields, [`NearMiss`](matching::NearMiss)es, benefit), then
//!   [`Evaluation::ask_next`](matching::Evaluation::ask_next) (which question decides
//!   the most), [`Evaluation::explain`](matching::Evaluation::explain) (the explanation
//!   tree) and [`Evaluation::report`](matching::Evaluation::report) (the JSON contract
//!   of `policy-match match`).
//! - Many profiles, verdicts only: [`Matcher::verdicts`](matching::Matcher::verdicts) and
//!   [`Matcher::verdicts_many`](matching::Matcher::verdicts_many).
//! - Behind a web service (`examples/service.rs`, `cargo run --example service`): compile
//!   once; a [`Catalogue`](catalogue::Catalogue) is `Send + Sync`, a
//!   [`Matcher`](matching::Matcher) is per thread (or per request: it is cheap to make).
//!   A [`PolicyResult`](matching::PolicyResult) holds indices:
//!   [`policy_in`](matching::PolicyResult::policy_in), [`failed_in`](matching::PolicyResult::failed_in),
//!   [`undecided_in`](matching::PolicyResult::undecided_in) and
//!   [`missing_in`](matching::PolicyResult::missing_in) give the policy, criteria and fields,
//!   whose texts ([`Text`]) [`Lang::pick`] reads in the client's language; a
//!   policy's index for [`Evaluation::explain`](matching::Evaluation::explain) is
//!   [`Catalogue::policy_index`](catalogue::Catalogue::policy_index). Serialise a
//!   [`Benefit`](matching::Benefit), not its bare amount (a `Decimal` is a JSON string).
//!   Errors in Chinese: [`catalogue::Error::message_zh`] (its JSON has the English
//!   `message` only), [`ProfileError::message_zh`](matching::ProfileError::message_zh),
//!   [`ProfileIssue::message_zh`](matching::ProfileIssue::message_zh). "As of today" in
//!   China: [`Date::from_unix_seconds`](rules::Date::from_unix_seconds) with UTC+8.
//! - A spreadsheet of enterprises to push lists: the `batch` module (`import`,
//!   `auto_map`, `Mapping::resolve`, `run`, `export`), or `batch::session::Session`
//!   for the same steps behind one object.
//!
//! ## Quick start
//! ```
//! use policy_match::catalogue::Catalogue;
//! use policy_match::matching::{Profile, Verdict};
//!
//! let json = r#"{
//!   "format": "policy-match/catalogue@1",
//!   "id": "demo", "version": "1", "updated": "2026-01-01",
//!   "title": {"zh": "示例", "en": "Demo"},
//!   "fields": [
//!     {"name": "employees", "type": "integer", "label": {"zh": "职工总数", "en": "Employees"}},
//!     {"name": "tech_staff", "type": "integer", "label": {"zh": "科技人员", "en": "Tech staff"}}
//!   ],
//!   "policies": [{
//!     "id": "tech_ratio", "title": {"zh": "科技人员占比", "en": "Tech-staff ratio"},
//!     "issuer": {"zh": "科技局", "en": "S&T Bureau"}, "category": "certification",
//!     "criteria": [{"id": "C1", "description": {"zh": "科技人员占比不低于10%", "en": "Tech staff ≥ 10%"},
//!                   "rule": {">=": [{"/": [{"var": "tech_staff"}, {"var": "employees"}]}, 0.1]}}]
//!   }]
//! }"#;
//! let catalogue = Catalogue::from_json("demo.json", json)?;
//! let profile = Profile::from_json_str(&catalogue, r#"{"employees": 300, "tech_staff": 30}"#)?;
//! let eval = catalogue.evaluate(&profile, "2026-07-01".parse()?);
//! assert_eq!(eval.results[0].verdict, Verdict::Qualifies); // exactly 10%
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "admin")]
pub mod admin;
#[cfg(feature = "batch")]
pub mod batch;
pub mod cases;
pub mod catalogue;
pub mod embed;
pub mod matching;
pub mod rules;
pub mod synth;
mod text;
pub mod ui;

pub use text::{Lang, Text};
