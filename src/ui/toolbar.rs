//! The widget's header: title, privacy line, language switch and what can be
//! done with the answers (remember / forget on this device, export, import,
//! share link, print, start over), and the notice bar.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::app::{Callbacks, Env};
use super::browser;
use super::state::{Notice, State};

/// The header and the answer tools.
pub fn toolbar(env: &Env, st: &State, t: &Tools) -> Html {
    let s = env.lang.s();
    let id = |k: &str| format!("{}-{k}", env.prefix);
    let on_remember = t.cbs.remember.reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().checked());
    let on_file = {
        let cb = t.cbs.import.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let cb = cb.clone();
            browser::read_file(&input, move |r| cb.emit(r));
        })
    };
    // The button stays while the question shows (focus stays on it); an
    // answer removes the pressed button, so focus goes back first.
    let on = st.confirm_reset;
    let back = |cb: Callback<()>| {
        let (r, rid) = (t.cbs.root.clone(), id("reset"));
        Callback::from(move |_: MouseEvent| {
            browser::park_focus(browser::anchor(&r).as_ref(), &rid);
            cb.emit(());
        })
    };
    // Escape in the answer tools cancels the question, as in a dialog; focus goes (back) to its button.
    let on_key = on.then(|| {
        let (cb, r, rid) = (t.cbs.confirm_reset.clone(), t.cbs.root.clone(), id("reset"));
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                e.stop_propagation();
                browser::park_focus(browser::anchor(&r).as_ref(), &rid);
                cb.emit(false);
            }
        })
    });
    let reset = html! {
        <>
            <button type="button" class="pm-btn pm-btn-quiet" id={id("reset")} aria-expanded={on.to_string()}
                onclick={t.cbs.confirm_reset.reform(move |_: MouseEvent| !on)}>{ s.reset }</button>
            if on {
                <span class="pm-confirm" role="group" aria-label={s.reset}>
                    <span>{ env.lang.either("清除全部答案？", "Clear every answer?") }</span>
                    <button type="button" class="pm-btn pm-btn-danger" onclick={back(t.cbs.reset.clone())}>{ env.lang.either("清除", "Clear") }</button>
                    <button type="button" class="pm-btn pm-btn-quiet" onclick={back(t.cbs.confirm_reset.reform(|()| false))}>{ env.lang.either("取消", "Cancel") }</button>
                </span>
            }
        </>
    };
    html! {
        <header class="pm-toolbar">
            <div class="pm-brand">
                <h2 class="pm-title">{ s.widget }</h2>
                <p class="pm-privacy">{ s.privacy }</p>
            </div>
            <button type="button" class="pm-btn pm-lang" lang={s.other_lang_tag} onclick={t.on_lang.reform(|_: MouseEvent| ())}
                aria-label={format!("{} · {}", s.other_lang, env.lang.either("Switch to English", "切换到中文"))}>
                { s.other_lang }
            </button>
            <div class="pm-actions" role="group" aria-label={s.my_answers} onkeydown={on_key}>
                <span class="pm-remember">
                    <input type="checkbox" id={id("remember")} checked={st.remember} onchange={on_remember}
                        aria-describedby={id("remember-help")} />
                    <label for={id("remember")}>{ s.remember }</label>
                    <span class="pm-sr-only" id={id("remember-help")}>{ s.remember_help }</span>
                </span>
                if st.remember || st.stored_elsewhere {
                    <button type="button" class="pm-btn pm-btn-quiet" onclick={t.cbs.forget.reform(|_: MouseEvent| ())}>{ s.forget }</button>
                }
                <button type="button" class="pm-btn pm-btn-quiet" onclick={t.on_export.reform(|_: MouseEvent| ())}>{ s.export }</button>
                <label class="pm-btn pm-btn-quiet pm-file" for={id("import")}>
                    { s.import }
                    <input type="file" id={id("import")} class="pm-file-input" accept=".json,application/json" onchange={on_file} />
                </label>
                <button type="button" class="pm-btn pm-btn-quiet" onclick={t.on_share.reform(|_: MouseEvent| ())}>{ s.share }</button>
                <button type="button" class="pm-btn pm-btn-quiet" id={id("print")} onclick={t.on_print.reform(|_: MouseEvent| ())}>{ s.print }</button>
                { reset }
            </div>
        </header>
    }
}

/// The callbacks of the toolbar: the reducer's, plus the root's side effects.
pub struct Tools<'a> {
    /// The reducer's callbacks.
    pub cbs: &'a Callbacks,
    /// Switch language.
    pub on_lang: Callback<()>,
    /// Download the answers.
    pub on_export: Callback<()>,
    /// Show a share link.
    pub on_share: Callback<()>,
    /// Print the report.
    pub on_print: Callback<()>,
}

/// A dismissable message (import results, share link, forget); `on_notice`
/// replaces it (`None`: closed).
pub fn notice_bar(env: &Env, notice: &Notice, on_notice: &Callback<Option<Notice>>) -> Html {
    let (lang, s) = (env.lang, env.lang.s());
    let (text, error) = match notice {
        Notice::Imported(n, ignored) => (lang.imported(*n, *ignored), false),
        Notice::ImportFailed(e) => (format!("{}{}", s.import_failed, lang.import_error(e)), true),
        Notice::FromLink => (s.from_link.to_string(), false),
        Notice::FromDevice => (s.from_device.to_string(), false),
        Notice::Forgot => (s.forgot.to_string(), false),
        Notice::Share(_, copied) => (format!("{}{}", if *copied { s.copied } else { "" }, s.share_help), false),
    };
    let link_id = format!("{}-share-link", env.prefix);
    html! {
        <div class={if error { "pm-notice pm-notice-error" } else { "pm-notice" }} role={if error { "alert" } else { "status" }}>
            <p class="pm-notice-text">{ text }</p>
            if let Notice::Share(link, _) = notice {
                <div class="pm-share">
                    <label for={link_id.clone()} class="pm-sr-only">{ s.share_link_label }</label>
                    <input id={link_id.clone()} class="pm-input pm-share-link" type="text" readonly=true value={link.clone()}
                        onfocus={Callback::from(|e: FocusEvent| e.target_unchecked_into::<HtmlInputElement>().select())} />
                    <button type="button" class="pm-btn pm-btn-primary" onclick={{
                        let (link, on_notice) = (link.clone(), on_notice.clone());
                        Callback::from(move |e: MouseEvent| {
                            if browser::copy(e.target().map(wasm_bindgen::JsValue::from).as_ref(), &link_id) {
                                on_notice.emit(Some(Notice::Share(link.clone(), true)));
                            }
                        })
                    }}>{ s.copy }</button>
                </div>
            }
            <button type="button" class="pm-btn pm-btn-quiet pm-notice-close" onclick={on_notice.reform(|_: MouseEvent| None)}>{ s.close }</button>
        </div>
    }
}
