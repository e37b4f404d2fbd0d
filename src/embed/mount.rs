//! Mounting the Yew policy list from JavaScript (`mountPolicyList`); the
//! self-check widget mounts through [`super::self_check`].

use wasm_bindgen::prelude::*;
use yew::AttrValue;

use crate::ui::{PolicyList, PolicyListProps};

/// A mounted [`PolicyList`]: change its catalogue or language, or remove it.
#[wasm_bindgen]
pub struct PolicyListHandle {
    app: Option<yew::AppHandle<PolicyList>>,
    catalogue: AttrValue,
    lang: AttrValue,
}

#[wasm_bindgen]
impl PolicyListHandle {
    /// Re-render in another language (`zh-CN` or `en`).
    #[wasm_bindgen(js_name = setLang)]
    pub fn set_lang(&mut self, lang: String) {
        self.lang = AttrValue::from(lang);
        self.push();
    }

    /// Show another catalogue (its JSON text).
    #[wasm_bindgen(js_name = setCatalogue)]
    pub fn set_catalogue(&mut self, catalogue_json: String) {
        self.catalogue = AttrValue::from(catalogue_json);
        self.push();
    }

    /// Unmount the widget and empty the element.
    pub fn destroy(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
    }

    fn push(&mut self) {
        let props = PolicyListProps { catalogue: self.catalogue.clone(), lang: self.lang.clone() };
        if let Some(app) = self.app.as_mut() {
            app.update(props);
        }
    }
}

/// Render the policy list of a catalogue (its JSON text) into `element`, in
/// `lang` (`zh-CN` or `en`). A catalogue with errors renders them
/// (`role="alert"`) instead. JavaScript: `mountPolicyList(el, json, lang)`.
#[wasm_bindgen(js_name = mountPolicyList)]
pub fn mount_policy_list(element: web_sys::Element, catalogue_json: String, lang: String) -> PolicyListHandle {
    let catalogue = AttrValue::from(catalogue_json);
    let lang = AttrValue::from(lang);
    let props = PolicyListProps { catalogue: catalogue.clone(), lang: lang.clone() };
    let app = yew::Renderer::<PolicyList>::with_root_and_props(element, props).render();
    PolicyListHandle { app: Some(app), catalogue, lang }
}
