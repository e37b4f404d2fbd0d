//! The browse mode (`<policy-match mode="browse">`): every policy of the
//! composed catalogues with what it offers, its conditions and how to apply,
//! filtered by category and text. No questions and no verdicts: a portal's
//! policy directory. Catalogue text is only ever a text node; links are
//! http(s) (the catalogue model enforces it).

use std::rc::Rc;

use yew::prelude::*;

use super::browser;
use super::results::{self, filter_bar, FilterCallbacks};
use super::state::Filter;
use super::{error_list, view, Loaded};
use crate::catalogue::{Catalogue, Category, Policy};
use crate::rules::Date;
use crate::Lang;

/// Properties of [`PolicyList`].
#[derive(Properties, Clone, PartialEq)]
pub struct PolicyListProps {
    /// The catalogues' JSON texts, composed (a zone catalogue with the
    /// catalogue it extends), in any order.
    pub catalogues: Vec<AttrValue>,
    /// Language tag: `zh-CN` (default) or `en`.
    #[prop_or(AttrValue::from("zh-CN"))]
    pub lang: AttrValue,
    /// The date the policies are shown at (`YYYY-MM-DD`: in force, expired,
    /// application open or closed); today when absent or not a date.
    #[prop_or_default]
    pub as_of: Option<AttrValue>,
}

/// Lists the policies of one or more composed catalogues (or their errors),
/// with a category and text filter; each policy opens to its conditions,
/// application details and sources.
///
/// # Example
/// ```no_run
/// use policy_match::ui::PolicyList;
/// use yew::prelude::*;
/// let json = AttrValue::from("{}");
/// let _ = html! { <PolicyList catalogues={vec![json]} as_of={AttrValue::from("2026-07-01")} /> };
/// ```
#[component]
pub fn PolicyList(props: &PolicyListProps) -> Html {
    let loaded = use_memo(props.catalogues.clone(), |texts| {
        // Error locations name the file: `catalogue-1.json`, `catalogue-2.json`, … in order, as
        // self-check and the JS API name catalogues given as texts.
        let names: Vec<String> = (1..=texts.len()).map(|i| format!("catalogue-{i}.json")).collect();
        let sources: Vec<(&str, &str)> = names.iter().map(String::as_str).zip(texts.iter().map(AttrValue::as_str)).collect();
        match Catalogue::from_sources(&sources) {
            Ok(c) => Loaded::Ok(Rc::new(c)),
            Err(e) => Loaded::Err(Rc::new(e)),
        }
    });
    let as_of = *use_memo(props.as_of.clone(), |d| d.as_deref().and_then(|d| d.parse::<Date>().ok()).unwrap_or_else(browser::today));
    let filter = use_state(Filter::default);
    let lang = Lang::from_tag(&props.lang);
    match &*loaded {
        Loaded::Ok(cat) => directory(cat, as_of, lang, &filter),
        Loaded::Err(errs) => html! { <div class="pm-root pm-policy-list">{ error_list(errs) }</div> },
    }
}

fn directory(cat: &Catalogue, as_of: Date, lang: Lang, filter: &UseStateHandle<Filter>) -> Html {
    let shown = view::browse(cat, filter);
    let cb = {
        let (a, b, c) = (filter.clone(), filter.clone(), filter.clone());
        FilterCallbacks {
            category: Callback::from(move |cat: Option<Category>| a.set(Filter { category: cat, ..(*a).clone() })),
            search: Callback::from(move |q: String| b.set(b.with_query(&q))),
            clear: Callback::from(move |()| c.set(Filter::default())),
        }
    };
    html! {
        <section class="pm-root pm-policy-list" aria-label={lang.either("政策列表", "Policies")}>
            // The cards' titles are h3: a heading above them keeps the outline in order under a host page's h1.
            <h2 class="pm-sr-only">{ lang.either("政策列表", "Policies") }</h2>
            { filter_bar(cat, lang, filter, shown.len(), &cb) }
            <ul class="pm-cards">
                { for shown.iter().filter_map(|&i| cat.policies.get(i as usize)).map(|p| entry(p, as_of, lang)) }
            </ul>
        </section>
    }
}

/// One policy: category and dates, title, issuer and document numbers, the
/// benefit, and (opened on demand) its conditions and application details.
fn entry(pol: &Policy, as_of: Date, lang: Lang) -> Html {
    let s = lang.s();
    let url = pol.application.as_ref().and_then(|a| a.url.as_ref()).map(|u| u.0.clone());
    html! {
        <li class="pm-card pm-card-browse" key={pol.id.clone()} data-policy={pol.id.clone()}>
            // Named by its title, as the self-check's cards (an id could clash with another list's in the page).
            <article aria-label={lang.pick(&pol.title).to_string()}>
                <div class="pm-card-top">
                    <span class="pm-cat">{ lang.category(pol.category) }</span>
                    { for view::badges(pol, as_of, lang).iter().map(|b| html! { <span class={format!("pm-badge pm-badge-{}", b.kind)}>{ b.text.clone() }</span> }) }
                </div>
                <h3 class="pm-card-title pm-title">{ lang.pick(&pol.title) }</h3>
                <p class="pm-card-meta">
                    <span class="pm-issuer"><span class="pm-sr-only">{ s.issuer }{ s.colon }</span>{ lang.pick(&pol.issuer) }</span>
                    if !pol.documents.is_empty() {
                        <span class="pm-docs"><span class="pm-sr-only">{ s.documents }{ s.colon }</span>{ pol.documents.join(lang.either("；", "; ")) }</span>
                    }
                </p>
                if let Some(b) = &pol.benefit { <p class="pm-benefit">{ lang.pick(b) }</p> }
                <details class="pm-browse-more">
                    <summary>{ lang.either("申报条件与办理", "Conditions and how to apply") }</summary>
                    <div class="pm-card-details">
                        <h4 class="pm-h5">{ s.criteria }</h4>
                        <ol class="pm-conditions">{ for pol.criteria.iter().map(|c| html! { <li>{ lang.pick(&c.description) }</li> }) }</ol>
                        { results::details(pol, lang) }
                    </div>
                </details>
                if let Some(u) = url {
                    <div class="pm-card-actions">
                        <a class="pm-btn pm-btn-link" href={u} target="_blank" rel="noopener noreferrer">
                            { s.apply_online }<span class="pm-sr-only">{ lang.either("（在新窗口打开）", " (opens in a new window)") }</span>
                        </a>
                    </div>
                }
            </article>
        </li>
    }
}
