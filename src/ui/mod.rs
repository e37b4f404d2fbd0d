//! The Yew widgets: the self-check ([`SelfCheck`], 企业自测) and the policy
//! catalogue to browse ([`PolicyList`], the element's `mode="browse"`).
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
//! - [`format`](mod@format): locale formatting and the reading of typed answers (exact decimals);
//! - `app` (the root [`SelfCheck`], which owns the reducer and hands its
//!   children narrow callbacks), `questions`, `results`, `toolbar`,
//!   `report`: the components; `browse`: the policy list;
//! - [`browser`]: storage, share link, download, print (no network).
//!
//! Contexts carry only what cuts across: the language and the catalogue ([`Env`]).

use std::rc::Rc;

use yew::prelude::*;

use crate::catalogue::{Catalogue, Errors};

mod app;
mod browse;
pub mod browser;
pub mod format;
mod i18n;
mod questions;
mod report;
mod results;
pub mod state;
mod toolbar;
pub mod view;

pub use crate::Lang;
pub use app::{CatalogueFile, Env, Prefill, SelfCheck, SelfCheckProps};
pub use browse::{PolicyList, PolicyListProps};
pub use i18n::Strings;

/// The outcome of loading a catalogue in the UI.
#[derive(Clone)]
pub enum Loaded {
    /// Compiled.
    Ok(Rc<Catalogue>),
    /// Errors to show.
    Err(Rc<Errors>),
}

/// Catalogue errors as an alert list (text nodes only).
pub(crate) fn error_list(errs: &Errors) -> Html {
    html! {
        <div class="pm-error" role="alert">
            <ul>{ for errs.0.iter().map(|e| html! { <li>{ e.to_string() }</li> }) }</ul>
        </div>
    }
}
