//! Mounting the self-check widget ([`crate::ui::SelfCheck`]) from
//! JavaScript: `mountSelfCheck(element, options)`.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::{AttrValue, Callback};

use crate::ui::{CatalogueFile, SelfCheck, SelfCheckProps};

/// A mounted self-check widget ([`crate::ui::SelfCheck`]): change its
/// language or catalogues, or remove it.
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

    /// Evaluate against other catalogue texts (the answers are kept).
    #[wasm_bindgen(js_name = setCatalogues)]
    pub fn set_catalogues(&mut self, catalogues: Vec<String>) {
        self.props.catalogues = files(catalogues, &[]);
        self.push();
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
                name: AttrValue::from(names.get(i).cloned().unwrap_or_else(|| format!("catalogue-{}.json", i + 1))),
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
///   onLang: (tag) => {},    // the person switched language
/// });
/// handle.setLang('en'); handle.setCatalogues([...]); handle.destroy();
/// ```
///
/// A catalogue with errors renders them (`role="alert"`) instead.
///
/// # Errors
/// When `options.catalogues` is not a non-empty array of strings.
#[wasm_bindgen(js_name = mountSelfCheck)]
pub fn mount_self_check(element: web_sys::Element, options: JsValue) -> Result<SelfCheckHandle, JsValue> {
    let texts = strings(get(&options, "catalogues"));
    if texts.is_empty() {
        return Err(js_sys::Error::new("mountSelfCheck: options.catalogues must be a non-empty array of catalogue JSON texts").into());
    }
    let names = strings(get(&options, "names"));
    let text = |k: &str| get(&options, k).and_then(|v| v.as_string());
    let on_lang = get(&options, "onLang").and_then(|f| f.dyn_into::<js_sys::Function>().ok()).map_or_else(Callback::noop, |f| {
        Callback::from(move |tag: AttrValue| {
            let _ = f.call1(&JsValue::NULL, &JsValue::from_str(&tag));
        })
    });
    let props = SelfCheckProps {
        catalogues: files(texts, &names),
        lang: AttrValue::from(text("lang").unwrap_or_else(|| "zh-CN".into())),
        as_of: text("asOf").map(AttrValue::from),
        storage_key: AttrValue::from(text("storageKey").unwrap_or_else(|| "policy-match:self-check".into())),
        id_prefix: AttrValue::from(text("idPrefix").unwrap_or_else(|| "pm".into())),
        read_fragment: get(&options, "readFragment").and_then(|v| v.as_bool()).unwrap_or(true),
        on_lang,
    };
    let app = yew::Renderer::<SelfCheck>::with_root_and_props(element, props.clone()).render();
    Ok(SelfCheckHandle { app: Some(app), props })
}
