//! The root: compiles the catalogues once, provides the language and the
//! catalogue as context, owns the reducer and its side effects (device
//! storage, carrying answers across a change of catalogues, focus, print)
//! and hands each child only the callbacks it needs.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::browser;
use super::format::MoneyUnit;
use super::questions::{guided, progress, sections};
use super::report::report;
use super::results::results;
use super::state::{Action, ImportError, Notice, Source, State};
use super::toolbar::{notice_bar, toolbar, Tools};
use crate::catalogue::{Catalogue, Category, Errors};
use crate::rules::Date;
use crate::Lang;

/// One catalogue file given to the widget.
#[derive(Clone, Debug, PartialEq)]
pub struct CatalogueFile {
    /// A name for error messages (`cn-national-2026.json`).
    pub name: AttrValue,
    /// The JSON text.
    pub text: AttrValue,
}

/// Properties of [`SelfCheck`].
#[derive(Properties, Clone, PartialEq)]
pub struct SelfCheckProps {
    /// The catalogue files (a zone catalogue with the ones it extends).
    pub catalogues: Rc<Vec<CatalogueFile>>,
    /// Language tag: `zh-CN` (default) or `en`.
    #[prop_or(AttrValue::Static("zh-CN"))]
    pub lang: AttrValue,
    /// Assessment date `YYYY-MM-DD` (default: today).
    #[prop_or_default]
    pub as_of: Option<AttrValue>,
    /// The device-storage key for "remember on this device".
    #[prop_or(AttrValue::Static("policy-match:self-check"))]
    pub storage_key: AttrValue,
    /// Prefix of element ids (unique per widget on a page).
    #[prop_or(AttrValue::Static("pm"))]
    pub id_prefix: AttrValue,
    /// Read answers from a share link's fragment (`#answers=…`) on start.
    #[prop_or(true)]
    pub read_fragment: bool,
    /// Called with the new tag when the person switches language.
    #[prop_or_default]
    pub on_lang: Callback<AttrValue>,
    /// Answers to start from (a profile object or the saved format, JSON
    /// text), e.g. from the host portal's enterprise account; a new value
    /// replaces the answers.
    #[prop_or_default]
    pub profile: Option<Prefill>,
    /// Called after the first render and after every change of the answers
    /// (the embed turns it into `policy-match-change`).
    #[prop_or_default]
    pub on_change: Callback<UseReducerHandle<State>>,
    /// Called when the catalogues fail to compile (the widget shows them too).
    #[prop_or_default]
    pub on_error: Callback<Rc<Errors>>,
}

/// What every component may read: the language and the catalogue.
#[derive(Clone, Debug)]
pub struct Env {
    /// The language.
    pub lang: Lang,
    /// The compiled catalogues.
    pub cat: Rc<Catalogue>,
    /// The assessment date.
    pub as_of: Date,
    /// Element-id prefix.
    pub prefix: AttrValue,
}

impl PartialEq for Env {
    fn eq(&self, o: &Env) -> bool {
        self.lang == o.lang && Rc::ptr_eq(&self.cat, &o.cat) && self.as_of == o.as_of && self.prefix == o.prefix
    }
}

impl Env {
    /// A unique element id: `{prefix}-{kind}-{n}`.
    pub fn id(&self, kind: &str, n: u32) -> String {
        format!("{}-{kind}-{n}", self.prefix)
    }
}

/// Answers kept across a change of catalogues: (saved JSON, remember).
#[derive(Clone, Default)]
struct Carry(Rc<RefCell<Option<(String, bool)>>>);

impl PartialEq for Carry {
    fn eq(&self, o: &Carry) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}

/// The self-check widget (企业自测): a questionnaire generated from the
/// catalogues, asked in the order that decides the most policies, with
/// live results in three groups and an explanation for every verdict.
///
/// # Example
/// ```no_run
/// use std::rc::Rc;
/// use policy_match::ui::{CatalogueFile, SelfCheck};
/// use yew::prelude::*;
/// let files = Rc::new(vec![CatalogueFile { name: "national.json".into(), text: "{…}".into() }]);
/// let _ = html! { <SelfCheck catalogues={files} lang="en" as_of={AttrValue::from("2026-07-01")} /> };
/// ```
#[component]
pub fn SelfCheck(props: &SelfCheckProps) -> Html {
    let compiled = use_memo(props.catalogues.clone(), |files| {
        let refs: Vec<(&str, &str)> = files.iter().map(|f| (f.name.as_str(), f.text.as_str())).collect();
        Catalogue::from_sources(&refs).map(Rc::new).map_err(Rc::new)
    });
    let lang = use_state_eq(|| Lang::from_tag(&props.lang));
    {
        let lang = lang.clone();
        use_effect_with(props.lang.clone(), move |tag| lang.set(Lang::from_tag(tag)));
    }
    let as_of = *use_memo(props.as_of.clone(), |d| d.as_deref().and_then(|d| d.parse::<Date>().ok()).unwrap_or_else(browser::today));
    let carry = use_memo((), |_| Carry::default());
    let on_lang = {
        let (lang, notify) = (lang.clone(), props.on_lang.clone());
        use_callback(notify, move |(), notify| {
            let next = if *lang == Lang::Zh { Lang::En } else { Lang::Zh };
            lang.set(next);
            notify.emit(AttrValue::Static(next.tag()));
        })
    };
    {
        let (on_error, c) = (props.on_error.clone(), compiled.clone());
        // Keyed like the memo (use_memo frees the old value before computing
        // the new one, so the Rc's address may repeat).
        use_effect_with(props.catalogues.clone(), move |_| {
            if let Err(e) = &*c {
                on_error.emit(e.clone());
            }
        });
    }
    match &*compiled {
        Err(errs) => error_view(errs, *lang),
        Ok(cat) => {
            let env = Env { lang: *lang, cat: cat.clone(), as_of, prefix: props.id_prefix.clone() };
            let key = format!("{:p}", Rc::as_ptr(cat));
            html! {
                <ContextProvider<Env> context={env}>
                    <Widget key={key} cat={CatRef(cat.clone())} {as_of} storage_key={props.storage_key.clone()}
                        carry={(*carry).clone()} read_fragment={props.read_fragment} {on_lang}
                        profile={props.profile.clone()} on_change={props.on_change.clone()} />
                </ContextProvider<Env>>
            }
        }
    }
}

fn error_view(errs: &Errors, lang: Lang) -> Html {
    html! {
        <div class="pm-root pm-selfcheck" lang={lang.tag()}>
            <h2 class="pm-h2">{ lang.either("政策目录有误，无法加载", "The policy catalogue has errors") }</h2>
            { super::error_list(errs) }
        </div>
    }
}

/// Answers the host gives (a profile as JSON text), compared by identity:
/// each one given replaces the answers on screen, even the same text again
/// (a portal's "start from my account data" after the person changed some).
///
/// # Example
/// ```
/// use policy_match::ui::Prefill;
/// let a = Prefill::new(r#"{"employees_total_2025": 12}"#);
/// assert!(a == a.clone() && a != Prefill::new(r#"{"employees_total_2025": 12}"#));
/// ```
#[derive(Clone, Debug)]
pub struct Prefill(pub std::rc::Rc<str>);

impl Prefill {
    /// The answers in `json` (a profile object's JSON text).
    pub fn new(json: &str) -> Prefill {
        Prefill(json.into())
    }
}

impl PartialEq for Prefill {
    fn eq(&self, o: &Prefill) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}

/// An `Rc<Catalogue>` compared by identity.
#[derive(Clone)]
struct CatRef(Rc<Catalogue>);

impl PartialEq for CatRef {
    fn eq(&self, o: &CatRef) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}

#[derive(Properties, Clone, PartialEq)]
struct WidgetProps {
    cat: CatRef,
    as_of: Date,
    storage_key: AttrValue,
    carry: Carry,
    read_fragment: bool,
    on_lang: Callback<()>,
    profile: Option<Prefill>,
    on_change: Callback<UseReducerHandle<State>>,
}

/// The callbacks the root hands out, made once (the dispatcher is stable).
#[derive(Clone, PartialEq)]
pub(crate) struct Callbacks {
    pub answer: Callback<(u32, String)>,
    pub unit: Callback<(u32, MoneyUnit)>,
    pub skip: Callback<u32>,
    pub unskip: Callback<u32>,
    pub clear: Callback<u32>,
    pub jump: Callback<u32>,
    pub section: Callback<usize>,
    pub more: Callback<usize>,
    pub policy: Callback<u32>,
    pub category: Callback<Option<Category>>,
    pub search: Callback<String>,
    pub clear_filter: Callback<()>,
    pub remember: Callback<bool>,
    pub forget: Callback<()>,
    pub import: Callback<Result<String, ImportError>>,
    pub confirm_reset: Callback<bool>,
    pub reset: Callback<()>,
    pub report: Callback<bool>,
    pub notice: Callback<Option<Notice>>,
    /// The widget's root element: the anchor for finding its elements by id
    /// (in the document or in a shadow root).
    pub root: NodeRef,
}

impl Callbacks {
    fn new(d: &yew::UseReducerDispatcher<State>, root: NodeRef) -> Callbacks {
        macro_rules! cb {
            (|$x:pat_param| $a:expr) => {{
                let d = d.clone();
                Callback::from(move |$x| d.dispatch($a))
            }};
        }
        Callbacks {
            answer: cb!(|(field, text)| Action::Answer { field, text }),
            unit: cb!(|(field, unit)| Action::SetUnit { field, unit }),
            skip: cb!(|f| Action::Skip(f)),
            unskip: cb!(|f| Action::Unskip(f)),
            clear: cb!(|f| Action::Clear(f)),
            jump: cb!(|f| Action::Jump(f)),
            section: cb!(|i| Action::ToggleSection(i)),
            more: cb!(|i| Action::ToggleMore(i)),
            policy: cb!(|p| Action::TogglePolicy(p)),
            category: cb!(|c| Action::Category(c)),
            search: cb!(|q| Action::Search(q)),
            clear_filter: {
                let d = d.clone();
                Callback::from(move |()| {
                    d.dispatch(Action::Category(None));
                    d.dispatch(Action::Search(String::new()));
                })
            },
            remember: cb!(|on| Action::Remember(on)),
            forget: cb!(|()| Action::Forget),
            import: cb!(|r| match r {
                Ok(json) => Action::Load { json, source: Source::File },
                Err(e) => Action::Notice(Some(Notice::ImportFailed(e))),
            }),
            confirm_reset: cb!(|on| Action::ConfirmReset(on)),
            reset: cb!(|()| Action::Reset),
            report: cb!(|on| Action::Report(on)),
            notice: cb!(|n| Action::Notice(n)),
            root,
        }
    }
}

fn initial_state(p: &WidgetProps) -> State {
    let mut s = State::new(p.cat.0.clone(), p.as_of);
    if let Some((json, remember)) = p.carry.0.borrow_mut().take() {
        s.load(&json, Source::Carry);
        s.remember = remember;
        return s;
    }
    let stored = browser::load(&p.storage_key);
    // The host's answers win over remembered ones (as a share link's do);
    // those stay deletable with "forget", never kept out of sight.
    if let Some(json) = &p.profile {
        s.load(&json.0, Source::Carry);
        s.stored_elsewhere = stored.is_some();
        return s;
    }
    if p.read_fragment {
        if let Some(json) = browser::take_shared() {
            s.load(&json, Source::Link);
            s.stored_elsewhere = stored.is_some();
            return s;
        }
    }
    if let Some(json) = stored {
        s.load(&json, Source::Device);
    }
    s
}

#[component]
fn Widget(props: &WidgetProps) -> Html {
    let env = use_context::<Env>();
    let state = use_reducer(|| initial_state(props));
    let root = use_node_ref();
    let cbs = use_memo((), |_| Callbacks::new(&state.dispatcher(), root.clone()));
    let print_pending = use_mut_ref(|| false);

    // Device storage: save after every change while "remember" is on;
    // delete when asked to forget.
    {
        let (st, key) = (state.clone(), props.storage_key.clone());
        use_effect_with((state.rev, state.remember), move |(_, remember)| {
            if *remember {
                browser::save(&key, &st.stored_json());
            }
        });
    }
    {
        let key = props.storage_key.clone();
        use_effect_with(state.wipe, move |wipe| {
            if *wipe > 0 {
                browser::remove(&key);
            }
        });
    }
    // Keep the answers for the next catalogues.
    {
        let (st, carry) = (state.clone(), props.carry.clone());
        use_effect_with(state.rev, move |_| {
            *carry.0.borrow_mut() = Some((st.stored_json(), st.remember));
        });
    }
    // The host's answers (a new value replaces the current ones) and the
    // host's change hook.
    {
        let (d, first) = (state.dispatcher(), use_mut_ref(|| true));
        use_effect_with(props.profile.clone(), move |p| {
            if !std::mem::take(&mut *first.borrow_mut()) {
                if let Some(json) = p {
                    d.dispatch(Action::Load { json: json.0.to_string(), source: Source::Carry });
                }
            }
        });
    }
    // A new as-of date from the host: re-assess with the same answers.
    {
        let d = state.dispatcher();
        use_effect_with(props.as_of, move |date| d.dispatch(Action::AsOf(*date)));
    }
    {
        let (st, hook) = (state.clone(), props.on_change.clone());
        use_effect_with(state.rev, move |_| hook.emit(st));
    }
    let prefix = env.as_ref().map(|e| e.prefix.clone()).unwrap_or_default();
    // Bring a question into view ("jump to the question" links).
    {
        let (prefix, root) = (prefix.clone(), root.clone());
        use_effect_with(state.jump, move |jump| {
            if let Some((f, _)) = jump {
                browser::focus(browser::anchor(&root).as_ref(), &format!("{prefix}-q-{f}"));
            }
        });
    }
    // Opening the report moves focus to its heading (and prints when asked to).
    {
        let (pending, prefix, root) = (print_pending.clone(), prefix.clone(), root.clone());
        use_effect_with(state.report, move |on| {
            if *on {
                browser::focus_heading(browser::anchor(&root).as_ref(), &format!("{prefix}-report-h"));
                if std::mem::take(&mut *pending.borrow_mut()) {
                    browser::print();
                }
            }
        });
    }
    // After an answer in the guided card, focus follows to the next question
    // (never on first display). An answer given in the sections (or by the
    // host) changes the guided question too, but leaves focus where it is.
    {
        let prev = use_mut_ref(|| None::<Option<u32>>);
        let (prefix, root) = (prefix.clone(), root.clone());
        use_effect_with(state.guided_field(), move |field| {
            let before = prev.borrow_mut().replace(*field);
            let anchor = browser::anchor(&root);
            if matches!(before, Some(Some(b)) if Some(b) != *field) && browser::focus_within(anchor.as_ref(), ".pm-guided") {
                match field {
                    Some(f) => browser::focus_in(anchor.as_ref(), &format!("{prefix}-g-{f}")),
                    None => browser::focus_heading(anchor.as_ref(), &format!("{prefix}-guided-h")),
                }
            }
        });
    }

    let Some(env) = env else { return Html::default() };
    let lang = env.lang;
    let s = lang.s();

    let on_export = {
        let st = state.clone();
        Callback::from(move |()| {
            let name = format!("policy-match-answers-{}.json", st.as_of);
            browser::download(&name, &st.profile_json(), "application/json");
        })
    };
    let on_share = {
        let (st, notice) = (state.clone(), cbs.notice.clone());
        Callback::from(move |()| notice.emit(Some(Notice::Share(browser::share_link(&st.saved_json()), false))))
    };
    let on_print = {
        let (pending, report) = (print_pending.clone(), cbs.report.clone());
        Callback::from(move |()| {
            *pending.borrow_mut() = true;
            report.emit(true);
        })
    };

    let tools = Tools { cbs: &cbs, on_lang: props.on_lang.clone(), on_export, on_share, on_print: on_print.clone() };
    let notice = state.notice.as_ref().map(|n| notice_bar(&env, n, &cbs.notice));
    let (q, u, n) = state.outcome.counts();
    let live = if state.rev > 0 { lang.live(q, u, n) } else { String::new() };
    let body = if state.report {
        // Back from the report: focus returns to the button that opened it (else to <body>),
        // scrolled into view (the report's heading was scrolled to the top when it opened).
        let on_back = {
            let (r, id, cb) = (root.clone(), format!("{}-print", env.prefix), cbs.report.clone());
            Callback::from(move |()| {
                browser::focus_heading(browser::anchor(&r).as_ref(), &id);
                cb.emit(false);
            })
        };
        report(&env, &state, on_back, on_print)
    } else {
        let results_id = format!("{}-results", env.prefix);
        // The skip link moves focus itself: a fragment cannot reach into a
        // shadow root, and the host page's URL (maybe its router) is not ours.
        let on_skip_link = {
            let (root, heading) = (root.clone(), format!("{}-results-h", env.prefix));
            Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                browser::focus_heading(browser::anchor(&root).as_ref(), &heading);
            })
        };
        html! {
            <div class="pm-layout">
                <div class="pm-ask">
                    <a class="pm-skip-link" href={format!("#{results_id}")} onclick={on_skip_link}>{ s.skip_to_results }</a>
                    { progress(&env, &state) }
                    { guided(&env, &state, &cbs) }
                    { sections(&env, &state, &cbs) }
                </div>
                <div class="pm-results-col" id={results_id}>{ results(&env, &state, &cbs) }</div>
            </div>
        }
    };
    html! {
        <div ref={root.clone()} class={if state.report { "pm-root pm-selfcheck pm-reporting" } else { "pm-root pm-selfcheck" }} lang={lang.tag()} data-rev={state.rev.to_string()}>
            { toolbar(&env, &state, &tools) }
            { for notice }
            { body }
            <div class="pm-sr-only" role="status" aria-live="polite" aria-atomic="true">{ live }</div>
        </div>
    }
}
