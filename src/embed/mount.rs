//! Mounting the Yew policy list from JavaScript (`mountPolicyList`); the
//! self-check widget mounts through [`super::self_check`].

use wasm_bindgen::prelude::*;
use yew::AttrValue;

use crate::ui::{PolicyList, PolicyListProps};

/// A mounted [`PolicyList`]: change its catalogue or language, or remove it.
#[wasm_bindgen]
pub struct PolicyListHandle {
    app: Option<yew::AppHandle<PolicyList>>,
    catalogues: Vec<AttrValue>,
    lang: AttrValue,
    as_of: Option<AttrValue>,
}

#[wasm_bindgen]
impl PolicyListHandle {
    /// Re-render in another language (`zh-CN` or `en`).
    #[wasm_bindgen(js_name = setLang)]
    pub fn set_lang(&mut self, lang: String) {
        self.lang = AttrValue::from(lang);
        self.push();
    }

    /// Show other catalogues (their JSON texts, composed).
    #[wasm_bindgen(js_name = setCatalogues)]
    pub fn set_catalogues(&mut self, catalogues: Vec<String>) {
        self.catalogues = catalogues.into_iter().map(AttrValue::from).collect();
        self.push();
    }

    /// Show the policies as of another date (`YYYY-MM-DD`; today when absent).
    #[wasm_bindgen(js_name = setAsOf)]
    pub fn set_as_of(&mut self, as_of: Option<String>) {
        self.as_of = as_of.map(AttrValue::from);
        self.push();
    }

    /// Unmount the widget and empty the element.
    pub fn destroy(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
    }

    fn push(&mut self) {
        let props = PolicyListProps { catalogues: self.catalogues.clone(), lang: self.lang.clone(), as_of: self.as_of.clone() };
        if let Some(app) = self.app.as_mut() {
            app.update(props);
        }
    }
}

/// Render the policy list of catalogues (their JSON texts, composed: a zone
/// catalogue with the one it extends) into `element`, in `lang` (`zh-CN` or
/// `en`), as of `as_of` (`YYYY-MM-DD`; today when absent). Catalogues with
/// errors render them (`role="alert"`) instead.
/// JavaScript: `mountPolicyList(el, [json, …], lang, asOf?)`.
#[wasm_bindgen(js_name = mountPolicyList)]
pub fn mount_policy_list(element: web_sys::Element, catalogues: Vec<String>, lang: String, as_of: Option<String>) -> PolicyListHandle {
    let catalogues: Vec<AttrValue> = catalogues.into_iter().map(AttrValue::from).collect();
    let lang = AttrValue::from(lang);
    let as_of = as_of.map(AttrValue::from);
    let props = PolicyListProps { catalogues: catalogues.clone(), lang: lang.clone(), as_of: as_of.clone() };
    let app = yew::Renderer::<PolicyList>::with_root_and_props(element, props).render();
    PolicyListHandle { app: Some(app), catalogues, lang, as_of }
}
