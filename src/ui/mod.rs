//! The Yew widgets: the self-check ([`SelfCheck`], 企业自测) and a plain
//! policy list ([`PolicyList`]).
//!
//! The self-check asks an enterprise the few questions that decide the
//! most policies, and explains every verdict as the answers come in. Engine
//! calls go through the library only ([`crate::catalogue`],
//! [`crate::matching`]); nothing leaves the browser.
//!
//! Layout (like yew's `function_todomvc`):
//! - [`state`]: the plain state struct, its [`state::Action`]s and the
//!   reducer, tested natively;
//! - [`view`]: view-models (result groups, badges, explanation rows), tested natively;
//! - [`format`]: locale formatting and the reading of typed answers (exact decimals);
//! - `app` (the root [`SelfCheck`], which owns the reducer and hands its
//!   children narrow callbacks), `questions`, `results`, `toolbar`,
//!   `report`: the components;
//! - [`browser`]: storage, share link, download, print (no network).
//!
//! Contexts carry only what cuts across: the language and the catalogue ([`Env`]).

use std::rc::Rc;

use yew::prelude::*;

use crate::catalogue::{Catalogue, Errors};

mod app;
pub mod browser;
pub mod format;
mod i18n;
mod questions;
mod report;
mod results;
pub mod state;
mod toolbar;
pub mod view;

pub use app::{CatalogueFile, Env, SelfCheck, SelfCheckProps};
pub use i18n::{Lang, Strings};

/// Properties of [`PolicyList`].
#[derive(Properties, Clone, PartialEq)]
pub struct PolicyListProps {
    /// The catalogues' JSON texts, composed (a zone catalogue with the
    /// catalogue it extends), in any order.
    pub catalogues: Vec<AttrValue>,
    /// Language tag: `zh-CN` (default) or `en`.
    #[prop_or(AttrValue::from("zh-CN"))]
    pub lang: AttrValue,
}

/// The outcome of loading a catalogue in the UI.
#[derive(Clone)]
pub enum Loaded {
    /// Compiled.
    Ok(Rc<Catalogue>),
    /// Errors to show.
    Err(Rc<Errors>),
}

/// Lists the policies of one or more composed catalogues, or their errors.
///
/// # Example
/// ```no_run
/// use policy_match::ui::PolicyList;
/// use yew::prelude::*;
/// let json = AttrValue::from("{}");
/// let _ = html! { <PolicyList catalogues={vec![json]} /> };
/// ```
#[component]
pub fn PolicyList(props: &PolicyListProps) -> Html {
    let loaded = use_memo(props.catalogues.clone(), |texts| {
        // Error locations name the file: `catalogue.json`, or `catalogue-N.json` of several.
        let names: Vec<String> = match texts.len() {
            1 => vec!["catalogue.json".to_string()],
            n => (1..=n).map(|i| format!("catalogue-{i}.json")).collect(),
        };
        let sources: Vec<(&str, &str)> = names.iter().map(String::as_str).zip(texts.iter().map(AttrValue::as_str)).collect();
        match Catalogue::from_sources(&sources) {
            Ok(c) => Loaded::Ok(Rc::new(c)),
            Err(e) => Loaded::Err(Rc::new(e)),
        }
    });
    let lang = props.lang.as_str();
    match &*loaded {
        Loaded::Ok(cat) => html! {
            <section class="pm-root pm-policy-list" aria-label={if lang.starts_with("en") { "Policies" } else { "政策列表" }}>
                <ul>
                    { for cat.policies.iter().map(|p| html! {
                        <li key={p.id.clone()} data-policy={p.id.clone()}>
                            <span class="pm-title">{ p.title.get(lang) }</span>
                            <span class="pm-issuer">{ p.issuer.get(lang) }</span>
                        </li>
                    }) }
                </ul>
            </section>
        },
        Loaded::Err(errs) => html! { <div class="pm-root pm-policy-list">{ error_list(errs) }</div> },
    }
}

/// Catalogue errors as an alert list (text nodes only).
pub(crate) fn error_list(errs: &Errors) -> Html {
    html! {
        <div class="pm-error" role="alert">
            <ul>{ for errs.0.iter().map(|e| html! { <li>{ e.to_string() }</li> }) }</ul>
        </div>
    }
}
