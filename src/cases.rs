//! Data-driven test cases: one format, one runner, used by the native test
//! binary (`tests/lib.rs`) and by the browser tests (`tests/wasm.rs`).
//!
//! A case file is `{"description", "fields"?, "catalogue"?, "as_of"?, "cases": [...]}`.
//! Each case is `{"description", "rule" | "catalogue", "profile", "as_of"?, "expect"}`:
//! - with `rule`, the rule becomes criterion `C1` of a policy `p` over the
//!   file's `fields`; `expect` is `"true"`, `"false"` or `"unknown"`, or an
//!   object like below;
//! - with a `catalogue` (an inline object, or the file's catalogue),
//!   `expect` is `{"policy", "verdict", "failed"?, "undecided"?,
//!   "missing_fields"?, "within_reach"?, "in_force"?, "benefit"?,
//!   "near_miss_gap"?, "ask_first"?}`, or a list of those;
//! - `expect` may instead be `{"error": "<kind>", "path"?, "message"?}`:
//!   compiling must fail with that error kind (e.g. `unknown-field`,
//!   `cycle`), at that JSON path and with a message containing `message`
//!   when those are given.
//!
//! # Example
//! ```
//! use policy_match::cases::run_file;
//! let file = r#"{"description": "demo", "fields": [{"name": "n", "type": "number", "label": {"zh": "n", "en": "n"}}],
//!   "cases": [{"description": "at the threshold", "rule": {">=": [{"var": "n"}, 10]}, "profile": {"n": 10}, "expect": "true"}]}"#;
//! let outcome = run_file(file, &|_| None).unwrap();
//! assert_eq!(outcome.passed, 1);
//! assert!(outcome.failures.is_empty());
//! // A case that fails is reported with its description, not as an error.
//! let wrong = file.replace(r#""expect": "true""#, r#""expect": "false""#);
//! assert_eq!(run_file(&wrong, &|_| None).unwrap().failures.len(), 1);
//! assert!(run_file("{}", &|_| None).is_err()); // no `cases`
//! ```

use serde_json::{json, Value as Json};

use crate::catalogue::Catalogue;
use crate::matching::{Matcher, Profile, ProfileReport};
use crate::rules::{Date, Rec, Tri};

/// The result of running one case file.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Cases that passed.
    pub passed: usize,
    /// Failure messages, one per failed case.
    pub failures: Vec<String>,
}

/// Run a case file. `load` resolves a catalogue path named by the file
/// (e.g. `www/catalogues/cn-national-2026.json`) to its text.
///
/// # Errors
/// A message when the file itself is malformed.
pub fn run_file(text: &str, load: &dyn Fn(&str) -> Option<String>) -> Result<Outcome, String> {
    let file: Json = serde_json::from_str(text).map_err(|e| format!("case file: {e}"))?;
    let cases = file.get("cases").and_then(Json::as_array).ok_or("case file: no `cases` array")?;
    let fields = file.get("fields").cloned().unwrap_or_else(|| json!([]));
    let default_as_of = file.get("as_of").and_then(Json::as_str).unwrap_or("2026-07-01");
    let file_catalogue: Option<Vec<String>> = match file.get("catalogue") {
        Some(Json::String(p)) => Some(vec![load(p).ok_or(format!("cannot load catalogue {p}"))?]),
        Some(Json::Array(ps)) => {
            Some(ps.iter().filter_map(Json::as_str).map(|p| load(p).ok_or(format!("cannot load catalogue {p}"))).collect::<Result<_, _>>()?)
        }
        Some(obj @ Json::Object(_)) => Some(vec![obj.to_string()]),
        _ => None,
    };
    let shared = match &file_catalogue {
        Some(texts) => {
            let refs: Vec<(String, &str)> = texts.iter().enumerate().map(|(i, t)| (format!("catalogue-{i}.json"), t.as_str())).collect();
            let refs: Vec<(&str, &str)> = refs.iter().map(|(n, t)| (n.as_str(), *t)).collect();
            Some(Catalogue::from_sources(&refs).map_err(|e| format!("file catalogue does not compile:\n{e}"))?)
        }
        None => None,
    };
    let mut out = Outcome::default();
    for (i, case) in cases.iter().enumerate() {
        let name = format!("[{i}] {}", case.get("description").and_then(Json::as_str).unwrap_or("(no description)"));
        match run_case(case, &fields, shared.as_ref(), default_as_of) {
            Ok(()) => out.passed += 1,
            Err(e) => out.failures.push(format!("{name}: {e}")),
        }
    }
    Ok(out)
}

/// The catalogue of a case given as a `rule`: the rule is criterion `C1` of
/// a policy `p` over `fields`, after which come `extra_policies` (a JSON
/// array, or nothing).
///
/// # Example
/// ```
/// use policy_match::{cases::rule_catalogue, catalogue::Catalogue};
/// use serde_json::json;
/// let fields = json!([{"name": "n", "type": "number", "label": {"zh": "n", "en": "n"}}]);
/// let doc = rule_catalogue(&fields, &json!({">=": [{"var": "n"}, 10]}), &json!(null));
/// let cat = Catalogue::from_values(&[("case.json", &doc)]).unwrap();
/// assert_eq!((cat.policies[0].id.as_str(), cat.policies[0].criteria[0].id.as_str()), ("p", "C1"));
/// ```
pub fn rule_catalogue(fields: &Json, rule: &Json, extra_policies: &Json) -> Json {
    let mut policies = vec![json!({
        "id": "p", "title": {"zh": "p", "en": "p"}, "issuer": {"zh": "i", "en": "i"}, "category": "other",
        "criteria": [{"id": "C1", "description": {"zh": "c", "en": "c"}, "rule": rule}]
    })];
    if let Some(a) = extra_policies.as_array() {
        policies.extend(a.iter().cloned());
    }
    json!({"format": "policy-match/catalogue@1", "id": "case", "version": "1", "updated": "2026-01-01",
           "title": {"zh": "t", "en": "t"}, "fields": fields, "policies": policies})
}

fn run_case(case: &Json, fields: &Json, shared: Option<&Catalogue>, default_as_of: &str) -> Result<(), String> {
    let expect = case.get("expect").ok_or("no `expect`")?;
    let as_of: Date = case.get("as_of").and_then(Json::as_str).unwrap_or(default_as_of).parse().map_err(|e| format!("{e}"))?;
    // The case's own catalogue: one built around its `rule`, or a whole `catalogue`.
    let built;
    let doc: Option<&Json> = if let Some(rule) = case.get("rule") {
        built = rule_catalogue(case.get("fields").unwrap_or(fields), rule, case.get("policies").unwrap_or(&Json::Null));
        Some(&built)
    } else {
        case.get("catalogue")
    };
    let owned;
    let cat: &Catalogue = match doc {
        Some(doc) => match (Catalogue::from_values(&[("case.json", doc)]), expect.get("error").and_then(Json::as_str)) {
            (Ok(_), Some(kind)) => return Err(format!("expected a `{kind}` error, but it compiled")),
            (Err(e), Some(kind)) => {
                // Optionally also where (`path`) and what it says (`message`, a part of it).
                let path = expect.get("path").and_then(Json::as_str);
                let message = expect.get("message").and_then(Json::as_str);
                let found = e
                    .0
                    .iter()
                    .any(|x| x.error.kind() == kind && path.is_none_or(|p| x.location.path == p) && message.is_none_or(|m| x.error.to_string().contains(m)));
                return if found { Ok(()) } else { Err(format!("expected a `{kind}` error (path {path:?}, message {message:?}), got:\n{e}")) };
            }
            (Err(e), None) => return Err(format!("does not compile:\n{e}")),
            (Ok(c), None) => {
                owned = c;
                &owned
            }
        },
        None => shared.ok_or("no `rule` or `catalogue`, and the file has no catalogue")?,
    };
    let profile_json = case.get("profile").cloned().unwrap_or_else(|| json!({}));
    let profile = Profile::from_json(cat, &profile_json).map_err(|e| e.to_string())?;
    if let Some(issues) = case.get("issues").and_then(Json::as_u64) {
        if profile.issues.len() as u64 != issues {
            return Err(format!("expected {issues} profile issue(s), got {:?}", profile.issues));
        }
    } else if let Some(bad) = profile.issues.iter().find(|i| i.kind != "unknown-field") {
        return Err(format!("profile issue: {bad}"));
    }
    let mut m = Matcher::new(cat, as_of);
    let e = m.evaluate(&profile);
    let report = e.report(Json::from(0));
    match expect {
        Json::String(s) => {
            let want = match s.as_str() {
                "true" => Tri::True,
                "false" => Tri::False,
                "unknown" => Tri::Unknown,
                other => return Err(format!("expect must be true/false/unknown, got {other}")),
            };
            let node = cat.policies[0].criteria[0].node;
            let got = criterion_outcome(&e, node).unwrap_or(Tri::Unknown);
            if got != want {
                return Err(format!("expected {want:?}, got {got:?}"));
            }
            Ok(())
        }
        Json::Array(items) => items.iter().try_for_each(|exp| check_expectation(&report, exp)),
        obj => check_expectation(&report, obj),
    }
}

/// Check one expectation object (`{"policy", "verdict", ...}`) against a
/// profile's report.
fn check_expectation(report: &ProfileReport, exp: &Json) -> Result<(), String> {
    let pid = exp.get("policy").and_then(Json::as_str).unwrap_or("p");
    let r = report.results.iter().find(|r| r.policy == pid).ok_or(format!("no policy `{pid}`"))?;
    let got = serde_json::to_value(r).map_err(|e| e.to_string())?;
    for key in ["verdict", "failed", "undecided", "missing_fields", "within_reach", "in_force"] {
        if let Some(want) = exp.get(key) {
            if got.get(key) != Some(want) {
                return Err(format!("policy `{pid}`: expected {key} = {want}, got {}", got.get(key).unwrap_or(&Json::Null)));
            }
        }
    }
    if let Some(want) = exp.get("benefit") {
        let amount = got.get("benefit").and_then(|b| b.get("amount")).cloned().unwrap_or(Json::Null);
        let same = match (want.as_str(), &amount) {
            (Some(w), Json::Number(n)) => crate::rules::parse_decimal(w).ok() == crate::rules::parse_decimal(&n.to_string()).ok(),
            _ => *want == amount,
        };
        if !same {
            return Err(format!("policy `{pid}`: expected benefit {want}, got {amount}"));
        }
    }
    if let Some(want) = exp.get("near_miss_gap").and_then(Json::as_str) {
        let gaps: Vec<String> = r.near_misses.iter().map(|n| n.gap.normalize().to_string()).collect();
        if !gaps.iter().any(|g| g == want) {
            return Err(format!("policy `{pid}`: expected a near miss with gap {want}, got {gaps:?}"));
        }
    }
    if let Some(want) = exp.get("ask_first").and_then(Json::as_str) {
        let first = report.ask_next.first().map(|a| a.field.as_str());
        if first != Some(want) {
            return Err(format!("expected the first question to be `{want}`, got {first:?}"));
        }
    }
    Ok(())
}

/// What a criterion (by its root node) came to in an evaluation, if it was
/// evaluated.
fn criterion_outcome(e: &crate::matching::Evaluation<'_>, node: u32) -> Option<Tri> {
    match e.criterion_record(node) {
        Some(Rec::Tri(t)) => Some(t),
        _ => None,
    }
}
