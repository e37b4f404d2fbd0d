//! Mounting the self-check widget ([`crate::ui::SelfCheck`]) from
//! JavaScript: `mountSelfCheck(element, options)`.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::{AttrValue, Callback, UseReducerHandle};

use serde::Serialize;

use crate::matching::{ResultReport, Verdict};
use crate::ui::state::State;
use crate::ui::{CatalogueFile, Prefill, SelfCheck, SelfCheckProps};

/// A mounted self-check widget ([`crate::ui::SelfCheck`]): change its
/// language, catalogues, date or answers, or remove it.
#[wasm_bindgen]
pub struct SelfCheckHandle {
    app: Option<yew::AppHandle<SelfCheck>>,
    props: SelfCheckProps,
}

#[wasm_bindgen]
impl SelfCheckHandle {
    /// Re-render in another language (`zh-CN` or `en`).
    #[wasm_bindgen(js_name = setLang)]
    pub fn set_lang(&mut self, lang: String) {
        self.props.lang = AttrValue::from(lang);
        self.push();
    }

    /// Evaluate against other catalogue texts (the answers are kept);
    /// `names` (optional) name them in error messages.
    #[wasm_bindgen(js_name = setCatalogues)]
    pub fn set_catalogues(&mut self, catalogues: Vec<String>, names: Option<Vec<String>>) {
        self.props.catalogues = files(catalogues, &names.unwrap_or_default());
        self.push();
    }

    /// Change the assessment date (`YYYY-MM-DD`; `undefined` or `''` for today).
    ///
    /// # Errors
    /// An `Error` named `bad-date` when it is not a date (the date is kept).
    #[wasm_bindgen(js_name = setAsOf)]
    pub fn set_as_of(&mut self, as_of: Option<String>) -> Result<(), JsValue> {
        self.props.as_of = as_of_date(as_of)?;
        self.push();
        Ok(())
    }

    /// Replace the answers with a profile (a plain object, or its JSON
    /// text; `null` keeps the current answers).
    ///
    /// # Errors
    /// When the object cannot be turned into JSON (e.g. a cycle).
    #[wasm_bindgen(js_name = setProfile)]
    pub fn set_profile(&mut self, profile: JsValue) -> Result<(), JsValue> {
        if let Some(json) = json_text(&profile)? {
            self.props.profile = Some(Prefill::new(&json));
            self.push();
        }
        Ok(())
    }

    /// Unmount the widget and empty the element.
    pub fn destroy(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
    }

    fn push(&mut self) {
        if let Some(app) = self.app.as_mut() {
            app.update(self.props.clone());
        }
    }
}

fn files(texts: Vec<String>, names: &[String]) -> Rc<Vec<CatalogueFile>> {
    Rc::new(
        texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| CatalogueFile {
                name: AttrValue::from(names.get(i).cloned().unwrap_or_else(|| super::default_names(i + 1).pop().unwrap_or_default())),
                text: AttrValue::from(text),
            })
            .collect(),
    )
}

fn get(obj: &JsValue, key: &str) -> Option<JsValue> {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

fn strings(v: Option<JsValue>) -> Vec<String> {
    v.map(|a| js_sys::Array::from(&a).iter().filter_map(|x| x.as_string()).collect()).unwrap_or_default()
}

/// An assessment date as given (`None` or `''`: today), checked: not a
/// silent "today" for a mistyped date.
fn as_of_date(v: Option<String>) -> Result<Option<AttrValue>, JsValue> {
    match v {
        Some(d) if d.is_empty() => Ok(None),
        Some(d) => super::js_date(&d).map(|_| Some(AttrValue::from(d))),
        None => Ok(None),
    }
}

/// A profile given as JSON text or as a plain object → JSON text.
fn json_text(v: &JsValue) -> Result<Option<String>, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if let Some(s) = v.as_string() {
        return Ok(Some(s));
    }
    Ok(Some(js_sys::JSON::stringify(v)?.into()))
}

fn function(options: &JsValue, key: &str) -> Option<js_sys::Function> {
    get(options, key).and_then(|f| f.dyn_into::<js_sys::Function>().ok())
}

/// What `onChange` receives: the answers as a profile object, the verdict
/// counts and every policy's result (the shape of `evaluateProfile`'s
/// `results`).
fn change_detail(st: &State) -> Result<JsValue, JsValue> {
    let cat = &st.cat;
    let results: Vec<ResultReport> = st.outcome.results.iter().map(|r| ResultReport::new(cat, r)).collect();
    /// The detail (keys in alphabetical order, as they always came).
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Detail {
        as_of: String,
        profile: serde_json::Value,
        results: Vec<ResultReport>,
        revision: u32,
        summary: Summary,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Summary {
        does_not_qualify: usize,
        qualifies: usize,
        undecided: usize,
        within_reach: usize,
    }
    let n = |v: Verdict| results.iter().filter(|r| r.verdict == v).count();
    let summary = Summary {
        does_not_qualify: n(Verdict::DoesNotQualify),
        qualifies: n(Verdict::Qualifies),
        undecided: n(Verdict::Undecided),
        within_reach: results.iter().filter(|r| r.within_reach).count(),
    };
    super::to_js(&Detail { as_of: st.as_of.to_string(), profile: st.profile.to_json(cat), results, revision: st.rev, summary })
}

/// Mount the self-check widget into `element`. JavaScript:
///
/// ```js
/// const handle = mountSelfCheck(el, {
///   catalogues: [nationalText, zoneText], // catalogue JSON texts (required)
///   names: ['cn-national-2026.json', 'example-zone.json'], // for error messages
///   lang: 'zh-CN',          // or 'en'
///   asOf: '2026-07-01',     // default: today
///   storageKey: 'policy-match:self-check', // "remember on this device"
///   idPrefix: 'pm',         // element ids, unique per widget on a page
///   readFragment: true,     // load answers from a share link (#answers=…)
///   profile: {employees_total_2025: 12}, // answers to start from (object or JSON text)
///   onLang: (tag) => {},    // the person switched language
///   onChange: (detail) => {}, // {profile, summary, results, asOf, revision}: first render and every change
///   onError: (error) => {},   // the catalogues failed to compile: an Error (name = kind), error.details = [{type, message, file, path, line, column, policy}]
/// });
/// handle.setLang('en'); handle.setCatalogues([...]); handle.setAsOf('2026-08-01');
/// handle.setProfile({...}); handle.destroy();
/// ```
///
/// A catalogue with errors renders them (`role="alert"`) instead. `element`
/// may be inside a shadow root (the widget finds its elements in its own tree).
///
/// # Errors
/// When `options.catalogues` is not a non-empty array of strings,
/// `options.asOf` is not a date (an `Error` named `bad-date`), or
/// `options.profile` cannot be turned into JSON.
#[wasm_bindgen(js_name = mountSelfCheck)]
pub fn mount_self_check(element: web_sys::Element, options: JsValue) -> Result<SelfCheckHandle, JsValue> {
    let texts = strings(get(&options, "catalogues"));
    if texts.is_empty() {
        return Err(js_sys::Error::new("mountSelfCheck: options.catalogues must be a non-empty array of catalogue JSON texts").into());
    }
    let names = strings(get(&options, "names"));
    let text = |k: &str| get(&options, k).and_then(|v| v.as_string());
    let on_lang = function(&options, "onLang").map_or_else(Callback::noop, |f| {
        Callback::from(move |tag: AttrValue| {
            let _ = f.call1(&JsValue::NULL, &JsValue::from_str(&tag));
        })
    });
    let on_change = function(&options, "onChange").map_or_else(Callback::noop, |f| {
        Callback::from(move |st: UseReducerHandle<State>| {
            if let Ok(detail) = change_detail(&st) {
                let _ = f.call1(&JsValue::NULL, &detail);
            }
        })
    });
    let on_error = function(&options, "onError").map_or_else(Callback::noop, |f| {
        Callback::from(move |errs: Rc<crate::catalogue::Errors>| {
            let _ = f.call1(&JsValue::NULL, &super::catalogue_error(&errs));
        })
    });
    let id_prefix = text("idPrefix").unwrap_or_else(|| "pm".into());
    let props = SelfCheckProps {
        catalogues: files(texts, &names),
        lang: AttrValue::from(text("lang").unwrap_or_else(|| "zh-CN".into())),
        as_of: as_of_date(text("asOf"))?,
        storage_key: AttrValue::from(text("storageKey").unwrap_or_else(|| "policy-match:self-check".into())),
        id_prefix: AttrValue::from(id_prefix.clone()),
        read_fragment: get(&options, "readFragment").and_then(|v| v.as_bool()).unwrap_or(true),
        on_lang,
        profile: json_text(&get(&options, "profile").unwrap_or(JsValue::NULL))?.map(|j| Prefill::new(&j)),
        on_change,
        on_error,
    };
    let app = yew::Renderer::<SelfCheck>::with_root_and_props(element, props.clone()).render();
    Ok(SelfCheckHandle { app: Some(app), props })
}
