//! The JavaScript API (wasm-bindgen): evaluate profiles without UI and
//! mount the widget. Errors reach JavaScript as `Error` objects whose
//! `name` is the error kind (e.g. `unknown-field`) and which carry the
//! structured details (`policy`, `path`, `line`, `column`).
//!
//! The exports (`checkCatalogue`, `evaluateProfile`, `mountSelfCheck`,
//! `mountPolicyList`) belong to feature `widget` (on by default); the admin
//! page's bundle is built without it and shares only the conversions below.

#[cfg(any(feature = "widget", feature = "admin"))]
use wasm_bindgen::prelude::*;

#[cfg(feature = "widget")]
use crate::catalogue::{Catalogue, Errors};
#[cfg(feature = "widget")]
use crate::matching::{Matcher, Profile};
#[cfg(feature = "widget")]
use crate::rules::Date;

#[cfg(feature = "widget")]
fn js_error(name: &str, message: &str, details: Option<&Errors>) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name(name);
    if let Some(d) = details {
        if let Ok(v) = to_js(d) {
            let _ = js_sys::Reflect::set(&e, &JsValue::from_str("details"), &v);
        }
    }
    e.into()
}

/// Rust → plain JS data. Going through JSON text keeps exact decimals
/// readable (serde-wasm-bindgen would expose serde_json's internal
/// arbitrary-precision number representation) and gives plain objects,
/// not `Map`s.
#[cfg(any(feature = "widget", feature = "admin"))]
pub(crate) fn to_js<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(v).map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
    js_sys::JSON::parse(&text)
}

/// A date given to the JS API (`asOf`); an `Error` named `bad-date`
/// when it is not one.
#[cfg(feature = "widget")]
pub(crate) fn js_date(d: &str) -> Result<Date, JsValue> {
    d.parse().map_err(|e: crate::rules::DateError| js_error("bad-date", &e.to_string(), None))
}

/// Plain JS data → JSON value (numbers exact as JavaScript prints them).
/// What JSON cannot hold (a function, a symbol) is an error named `name`
/// (converting it to a Rust string would throw a message about
/// `unwrap_throw`); a cycle or a BigInt is the `TypeError` of
/// `JSON.stringify`. (`evaluate()` in `policy-match.js` refuses a NaN or
/// infinite tolerance, which JSON would turn into `null`, "not given".)
#[cfg(feature = "widget")]
pub(crate) fn from_js(v: &JsValue, name: &str) -> Result<serde_json::Value, JsValue> {
    let Some(text) = js_sys::JSON::stringify(v)?.as_string() else { return Err(js_error(name, "expected a plain object", None)) };
    serde_json::from_str(&text).map_err(|e| js_error("profile", &e.to_string(), None))
}

/// The names of catalogues given as texts, as errors show them: `catalogue-1.json`,
/// `catalogue-2.json`, … in order (the JS API and the element alike).
#[cfg(feature = "widget")]
pub(crate) fn default_names(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("catalogue-{i}.json")).collect()
}

#[cfg(feature = "widget")]
pub(crate) fn catalogue_error(errs: &Errors) -> JsValue {
    let name = errs.0.first().map_or("catalogue-error", |e| e.error.kind());
    js_error(name, &errs.to_string(), Some(errs))
}

/// Check a catalogue, or several that go together (a zone catalogue with
/// the national one it extends): `{ok, errors, warnings}`, policies expired
/// on `as_of` (default: today, in the browser's time zone) among the
/// warnings. One text is
/// named in the errors `catalogue-1.json`, `catalogue-2.json`, … in order
/// ([`default_names`]).
///
/// # Errors
/// Never throws for a bad catalogue (the errors are in the result).
#[cfg(feature = "widget")]
#[wasm_bindgen(js_name = checkCatalogue)]
pub fn check_catalogue(texts: Vec<String>, as_of: Option<String>) -> Result<JsValue, JsValue> {
    /// The result (keys in alphabetical order, as they always came).
    #[derive(Serialize)]
    struct Check {
        errors: Vec<crate::catalogue::Error>,
        ok: bool,
        warnings: Vec<crate::catalogue::Warning>,
    }
    // As `policy-match check`: policies expired today are reported without a date.
    let as_of = as_of.and_then(|d| d.parse::<Date>().ok()).unwrap_or_else(today);
    let names = default_names(texts.len());
    let files: Vec<(&str, &str)> = names.iter().zip(&texts).map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let out = match Catalogue::from_sources(&files) {
        Ok(c) => Check { errors: Vec::new(), ok: true, warnings: c.warnings(Some(as_of)) },
        Err(e) => Check { errors: e.0, ok: false, warnings: Vec::new() },
    };
    to_js(&out)
}

/// Options of [`evaluate_profile`], given from JavaScript as a plain object
/// `{asOf?, tolerance?, explain?}` (any other key is an error).
#[cfg(feature = "widget")]
#[derive(Debug, Default)]
pub struct EvaluateOptions {
    /// Assessment date `YYYY-MM-DD` (default: today, in the browser's time zone).
    pub as_of: Option<String>,
    /// Near-miss tolerance, a fraction (default 0.2), as the decimal text
    /// JavaScript prints for the number (read exactly, never through `f64`).
    pub tolerance: Option<String>,
    /// Policy ids to return explanation trees for (`"*"` for all).
    pub explain: Vec<String>,
}

#[cfg(feature = "widget")]
impl EvaluateOptions {
    /// Read the options from plain JSON data (what `from_js` gives).
    ///
    /// # Errors
    /// A message for a value of the wrong type or an unknown key.
    fn from_json(v: &serde_json::Value) -> Result<EvaluateOptions, String> {
        use serde_json::Value as J;
        let J::Object(m) = v else { return Err("options must be an object {asOf, tolerance, explain}".into()) };
        let mut o = EvaluateOptions::default();
        for (k, v) in m {
            match (k.as_str(), v) {
                (_, J::Null) => {}
                ("asOf", J::String(d)) => o.as_of = Some(d.clone()),
                ("tolerance", J::Number(n)) => o.tolerance = Some(n.to_string()),
                ("explain", J::Array(ids)) => {
                    o.explain = ids.iter().map(|x| x.as_str().map(str::to_string).ok_or("explain must be an array of policy ids")).collect::<Result<_, _>>()?;
                }
                ("asOf" | "tolerance" | "explain", _) => return Err(format!("invalid type for `{k}`")),
                _ => return Err(format!("unknown field `{k}`, expected one of `asOf`, `tolerance`, `explain`")),
            }
        }
        Ok(o)
    }
}

/// Evaluate one profile against catalogue texts (several for national +
/// zone) and return its report: `{profile, results, ask_next, issues,
/// explanations}`.
///
/// `options` is `{asOf?: "YYYY-MM-DD", tolerance?: number, explain?: [ids]}`
/// or, for short, the as-of date string.
///
/// # Errors
/// A catalogue error (`Error.name` = its kind, `details` = every error), a
/// profile that is not an object, or invalid options.
#[cfg(feature = "widget")]
#[wasm_bindgen(js_name = evaluateProfile)]
pub fn evaluate_profile(catalogues: Vec<String>, profile: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let opts: EvaluateOptions = match options.as_string() {
        Some(date) => EvaluateOptions { as_of: Some(date), ..EvaluateOptions::default() },
        None if options.is_undefined() || options.is_null() => EvaluateOptions::default(),
        None => EvaluateOptions::from_json(&from_js(&options, "options")?).map_err(|e| js_error("options", &e, None))?,
    };
    if catalogues.is_empty() {
        return Err(js_error("no-catalogue", "evaluate needs at least one catalogue", None));
    }
    let cat = compiled(catalogues)?;
    // An explanation asked for a policy no catalogue has is a mistake, not a no-op.
    if let Some(id) = opts.explain.iter().find(|x| *x != "*" && cat.policy_index(x).is_none()) {
        return Err(js_error("options", &format!("explain: no policy `{id}` in the catalogues"), None));
    }
    let as_of: Date = match &opts.as_of {
        Some(d) => js_date(d)?,
        None => today(),
    };
    let json = from_js(&profile, "schema")?;
    let profile = Profile::from_json(&cat, &json).map_err(|e| js_error(e.kind(), &e.to_string(), None))?;
    let mut m = Matcher::new(&cat, as_of);
    if let Some(t) = &opts.tolerance {
        let t = crate::rules::parse_decimal(t).map_err(|e| js_error("options", &e, None))?;
        if t.is_sign_negative() || t > rust_decimal::Decimal::ONE {
            return Err(js_error("options", &format!("tolerance must be a fraction from 0 to 1 (0.2 = 20 %), not {t}"), None));
        }
        m = m.with_tolerance(t);
    }
    let e = m.evaluate(&profile);
    let report = e.report(serde_json::Value::from(0));
    let explanations: Vec<_> = (0..cat.policies.len() as u32)
        .filter(|&i| opts.explain.iter().any(|x| x == "*" || *x == cat.policies[i as usize].id))
        .filter_map(|i| e.explain(i))
        .collect();
    /// The report (keys in alphabetical order, as they always came).
    #[derive(Serialize)]
    struct Out {
        ask_next: Vec<crate::matching::AskNext>,
        explanations: Vec<crate::matching::PolicyExplanation>,
        issues: Vec<crate::matching::ProfileIssue>,
        profile: serde_json::Value,
        results: Vec<crate::matching::ResultReport>,
    }
    to_js(&Out { ask_next: report.ask_next, explanations, issues: report.issues, profile: report.profile, results: report.results })
}

/// The catalogues of [`evaluate_profile`], compiled: the last texts are
/// kept with their catalogue, so a host that evaluates profile after
/// profile against the same catalogues has them compiled once (comparing
/// the texts costs far less than compiling them).
///
/// # Errors
/// The catalogue errors, as a JS `Error` (nothing is kept then).
#[cfg(feature = "widget")]
fn compiled(texts: Vec<String>) -> Result<std::rc::Rc<Catalogue>, JsValue> {
    use std::{cell::RefCell, rc::Rc};
    thread_local! {
        static LAST: RefCell<Option<(Vec<String>, Rc<Catalogue>)>> = const { RefCell::new(None) };
    }
    let hit = LAST.with(|l| l.borrow().as_ref().filter(|(t, _)| *t == texts).map(|(_, c)| Rc::clone(c)));
    if let Some(cat) = hit {
        return Ok(cat);
    }
    let names = default_names(texts.len());
    let refs: Vec<(&str, &str)> = names.iter().zip(&texts).map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let cat = Rc::new(Catalogue::from_sources(&refs).map_err(|e| catalogue_error(&e))?);
    LAST.with(|l| *l.borrow_mut() = Some((texts, Rc::clone(&cat))));
    Ok(cat)
}

/// Today's date in the browser's local time zone.
#[cfg(feature = "widget")]
fn today() -> Date {
    let d = js_sys::Date::new_0();
    Date::from_ymd(d.get_full_year() as i32, d.get_month() + 1, d.get_date()).unwrap_or(Date::EPOCH)
}

#[cfg(any(feature = "widget", feature = "admin"))]
use serde::Serialize;

#[cfg(feature = "bench")]
pub mod bench;
#[cfg(feature = "widget")]
mod mount;
#[cfg(feature = "widget")]
pub mod self_check;
#[cfg(feature = "widget")]
pub use mount::{mount_policy_list, PolicyListHandle};
