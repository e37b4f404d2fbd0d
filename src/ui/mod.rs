//! The Yew widget.
//!
//! This is the foundation the self-check widget grows from: a root that
//! loads a catalogue and lists its policies. Engine calls go through the
//! library only ([`crate::catalogue`], [`crate::matching`]).

use std::rc::Rc;

use yew::prelude::*;

use crate::catalogue::{Catalogue, Errors};

/// Properties of [`PolicyList`].
#[derive(Properties, Clone, PartialEq)]
pub struct PolicyListProps {
    /// The catalogue's JSON text.
    pub catalogue: AttrValue,
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

/// Lists the policies of a catalogue, or its errors.
///
/// # Example
/// ```no_run
/// use policy_match::ui::PolicyList;
/// use yew::prelude::*;
/// let json = AttrValue::from("{}");
/// let _ = html! { <PolicyList catalogue={json} /> };
/// ```
#[component]
pub fn PolicyList(props: &PolicyListProps) -> Html {
    let loaded = use_memo(props.catalogue.clone(), |text| match Catalogue::from_json("catalogue.json", text) {
        Ok(c) => Loaded::Ok(Rc::new(c)),
        Err(e) => Loaded::Err(Rc::new(e)),
    });
    let lang = props.lang.as_str();
    match &*loaded {
        Loaded::Ok(cat) => html! {
            <section class="pm-policy-list" aria-label={if lang.starts_with("en") { "Policies" } else { "政策列表" }}>
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
        Loaded::Err(errs) => html! {
            <div class="pm-error" role="alert">
                <ul>{ for errs.0.iter().map(|e| html! { <li>{ e.to_string() }</li> }) }</ul>
            </div>
        },
    }
}
