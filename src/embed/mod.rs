//! The JavaScript API (wasm-bindgen): evaluate profiles without UI and
//! mount the widget. Errors reach JavaScript as `Error` objects whose
//! `name` is the error kind (e.g. `unknown-field`) and which carry the
//! structured details (`policy`, `path`, `line`, `column`).

use wasm_bindgen::prelude::*;

use crate::catalogue::{Catalogue, Errors};
use crate::matching::{Matcher, Profile};
use crate::rules::Date;

fn js_error(name: &str, message: &str, details: Option<&Errors>) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name(name);
    if let Some(d) = details {
        if let Ok(v) = serde_wasm_bindgen::to_value(d) {
            let _ = js_sys::Reflect::set(&e, &JsValue::from_str("details"), &v);
        }
    }
    e.into()
}

fn catalogue_error(errs: &Errors) -> JsValue {
    let name = errs.0.first().map_or("catalogue-error", |e| e.error.kind());
    js_error(name, &errs.to_string(), Some(errs))
}

/// Check a catalogue: `{ok, errors, warnings}`.
///
/// # Errors
/// Never throws for a bad catalogue (the errors are in the result).
#[wasm_bindgen(js_name = checkCatalogue)]
pub fn check_catalogue(text: &str, as_of: Option<String>) -> Result<JsValue, JsValue> {
    let as_of = as_of.and_then(|d| d.parse::<Date>().ok());
    let out = match Catalogue::from_json("catalogue.json", text) {
        Ok(c) => serde_json::json!({"ok": true, "errors": [], "warnings": c.warnings(as_of)}),
        Err(e) => serde_json::json!({"ok": false, "errors": e, "warnings": []}),
    };
    serde_wasm_bindgen::to_value(&out).map_err(|e| js_error("serialize", &e.to_string(), None))
}

/// Evaluate one profile against catalogue texts (several for national +
/// zone) as of a date; returns the profile's report.
///
/// # Errors
/// A catalogue error (`Error.name` = its kind), a profile that is not an
/// object, or an invalid as-of date.
#[wasm_bindgen(js_name = evaluateProfile)]
pub fn evaluate_profile(catalogues: Vec<String>, profile: JsValue, as_of: &str) -> Result<JsValue, JsValue> {
    let files: Vec<(String, &str)> = catalogues.iter().enumerate().map(|(i, t)| (format!("catalogue-{i}.json"), t.as_str())).collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), *t)).collect();
    let cat = Catalogue::from_sources(&refs).map_err(|e| catalogue_error(&e))?;
    let as_of: Date = as_of.parse().map_err(|e: crate::rules::DateError| js_error("bad-date", &e.to_string(), None))?;
    let json: serde_json::Value = serde_wasm_bindgen::from_value(profile).map_err(|e| js_error("profile", &e.to_string(), None))?;
    let profile = Profile::from_json(&cat, &json).map_err(|e| js_error(e.kind(), &e.to_string(), None))?;
    let mut m = Matcher::new(&cat, as_of);
    let report = m.evaluate(&profile).report(serde_json::Value::from(0));
    report.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| js_error("serialize", &e.to_string(), None))
}

use serde::Serialize;

mod mount;
pub use mount::{mount_policy_list, PolicyListHandle};
