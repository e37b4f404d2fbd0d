//! The questionnaire: the progress line, the guided question (the one that
//! decides the most undecided policies) and the sections to answer freely.
//! Every input is fitted to its field's type and labelled; typed answers
//! are read by [`super::format::read_answer`] in the reducer.

use yew::prelude::*;

use super::app::{Callbacks, Env};
use super::browser::target_value;
use super::format::{money, read_number, split_list, MoneyUnit};
use super::state::{Entry, State};
use crate::catalogue::{EnumOption, Field, FieldType, Unit};
use crate::Lang;
use rust_decimal::Decimal;

/// "已回答 8 题，最多还需 5 题" and a bar of the policies decided.
pub fn progress(env: &Env, st: &State) -> Html {
    let lang = env.lang;
    let (q, _, n) = st.outcome.counts();
    let (decided, total) = (q + n, st.outcome.results.len());
    html! {
        <div class="pm-progress">
            <div class="pm-progress-text">
                <span>{ lang.progress(st.answered(), st.remaining()) }</span>
                <span class="pm-progress-decided">{ lang.decided(decided, total) }</span>
            </div>
            <progress class="pm-progress-bar" max={total.max(1).to_string()} value={decided.to_string()}
                aria-label={lang.s().progress_label} aria-valuetext={lang.decided(decided, total)}></progress>
        </div>
    }
}

/// The next question, one at a time (the root moves focus after an answer).
pub fn guided(env: &Env, st: &State, cbs: &Callbacks) -> Html {
    let (lang, s) = (env.lang, env.lang.s());
    let hid = format!("{}-guided-h", env.prefix);
    let asked = st.next_question().map(|(f, a)| (f, lang.why_asked(a.decides, a.needed_by, a.amounts), false));
    let asked = asked.or_else(|| st.optional_questions().first().map(|&(f, n)| (f, lang.could_change(n), true)));
    // Answering replaces the question (and its focused control): park focus on
    // the card first, so the removal does not force a layout mid-render; the
    // root then focuses the next question.
    let sid = format!("{}-guided", env.prefix);
    let Some((f, why, optional)) = asked else {
        let skipped = st.skipped_needed().len();
        // Same id and tabindex as the card it replaces, which may hold the parked focus.
        return html! {
            <section class="pm-guided pm-guided-done" id={sid} tabindex="-1" aria-labelledby={hid.clone()}>
                <h2 class="pm-guided-title" id={hid} tabindex="-1">{ s.all_done }</h2>
                <p>{ s.all_done_text }</p>
                if skipped > 0 { <p class="pm-note">{ lang.skipped_summary(skipped) }</p> }
            </section>
        };
    };
    let section = st.section_of(f).and_then(|i| st.sections[i].title.as_ref()).map(|t| lang.pick(t).to_string());
    let (on_answer, on_skip) = {
        let (a, k, s1, s2) = (cbs.answer.clone(), cbs.skip.clone(), sid.clone(), sid.clone());
        let (r1, r2) = (cbs.root.clone(), cbs.root.clone());
        (
            Callback::from(move |x: (u32, String)| {
                super::browser::park_focus(super::browser::anchor(&r1).as_ref(), &s1);
                a.emit(x);
            }),
            Callback::from(move |f: u32| {
                super::browser::park_focus(super::browser::anchor(&r2).as_ref(), &s2);
                k.emit(f);
            }),
        )
    };
    html! {
        <section class="pm-guided" id={sid} tabindex="-1" aria-labelledby={hid.clone()}>
            <p class="pm-kicker" id={hid}>
                { if optional { s.guided_optional } else { s.guided } }
                if let Some(sec) = section { <span class="pm-kicker-section">{ sec }</span> }
            </p>
            <QuestionBody key={f} field={f} entry={st.entries[f as usize].clone()} guided={true}
                why={why}
                {on_answer} on_unit={cbs.unit.clone()} {on_skip}
                on_unskip={Callback::noop()} on_clear={Callback::noop()} />
        </section>
    }
}

/// The questionnaire by topic: an accordion of sections; in each, the
/// questions that matter now, then the rest behind a toggle.
pub fn sections(env: &Env, st: &State, cbs: &Callbacks) -> Html {
    let (lang, s) = (env.lang, env.lang.s());
    let jump = st.jump.map(|(f, _)| f);
    let question = |f: u32| {
        html! {
            <QuestionBody key={f} field={f} entry={st.entries[f as usize].clone()} guided={false} why={AttrValue::default()}
                on_answer={cbs.answer.clone()} on_unit={cbs.unit.clone()} on_skip={cbs.skip.clone()}
                on_unskip={cbs.unskip.clone()} on_clear={cbs.clear.clone()} />
        }
    };
    html! {
        <section class="pm-sections" aria-labelledby={format!("{}-sections-h", env.prefix)}>
            <h2 class="pm-h2" id={format!("{}-sections-h", env.prefix)}>{ s.by_topic }</h2>
            { for st.sections.iter().enumerate().map(|(i, sec)| {
                let open = st.open.contains(&i);
                let (answered, _, total) = super::view::section_counts(st, i);
                let panel = format!("{}-sec-{i}", env.prefix);
                let title = sec.title.as_ref().map_or(s.other_section, |t| lang.pick(t));
                let shown = |f: &u32| {
                    let e = &st.entries[*f as usize];
                    st.outcome.needed[*f as usize] > 0 || !e.text.is_empty() || e.skipped || jump == Some(*f)
                };
                let (main, rest): (Vec<u32>, Vec<u32>) = if open { sec.fields.iter().partition(|f| shown(f)) } else { Default::default() };
                let more = st.more.contains(&i);
                let more_id = format!("{panel}-more");
                html! {
                    <div class={if open { "pm-section pm-open" } else { "pm-section" }} key={sec.id.clone()}>
                        <h3 class="pm-section-h">
                            <button type="button" class="pm-section-toggle" aria-expanded={open.to_string()} aria-controls={panel.clone()}
                                onclick={cbs.section.reform(move |_: MouseEvent| i)}>
                                <span class="pm-section-title">{ title }</span>
                                <span class="pm-section-count">{ lang.section_count(answered, total) }</span>
                                <span class="pm-chevron" aria-hidden="true"></span>
                            </button>
                        </h3>
                        if open {
                            <div class="pm-section-body" id={panel}>
                                if let Some(h) = &sec.help { <p class="pm-section-help">{ lang.pick(h) }</p> }
                                { for main.iter().map(|&f| question(f)) }
                                if !rest.is_empty() {
                                    <button type="button" class="pm-more" aria-expanded={more.to_string()} aria-controls={more_id.clone()}
                                        onclick={cbs.more.reform(move |_: MouseEvent| i)}>{ lang.more_questions(rest.len()) }</button>
                                    if more { <div id={more_id}>{ for rest.iter().map(|&f| question(f)) }</div> }
                                }
                            </div>
                        }
                    </div>
                }
            }) }
        </section>
    }
}

fn is_answered(e: &Entry) -> bool {
    !e.text.is_empty() && e.error.is_none()
}

#[derive(Properties, Clone, PartialEq)]
struct QuestionProps {
    field: u32,
    entry: Entry,
    guided: bool,
    why: AttrValue,
    on_answer: Callback<(u32, String)>,
    on_unit: Callback<(u32, MoneyUnit)>,
    on_skip: Callback<u32>,
    on_unskip: Callback<u32>,
    on_clear: Callback<u32>,
}

/// How a field is asked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A text box (numbers, money, text, lists).
    Text,
    /// A date picker.
    Date,
    /// Yes/no or a few options: radio buttons (guided: buttons).
    Choice,
    /// Many options: a drop-down.
    Select,
    /// A list of dates with "none".
    Dates,
    /// A list of options: checkboxes with "none".
    Multi,
}

fn kind(f: &Field) -> Kind {
    match f.def.ty {
        FieldType::Boolean => Kind::Choice,
        FieldType::Enum if f.def.options.len() <= 6 => Kind::Choice,
        FieldType::Enum => Kind::Select,
        FieldType::Date => Kind::Date,
        FieldType::DateList => Kind::Dates,
        FieldType::StringList if !f.def.options.is_empty() => Kind::Multi,
        _ => Kind::Text,
    }
}

/// (value, label) pairs of a choice field.
fn choices(f: &Field, lang: Lang) -> Vec<(String, String)> {
    match f.def.ty {
        FieldType::Boolean => vec![("true".into(), lang.s().yes.into()), ("false".into(), lang.s().no.into())],
        _ => f.def.options.iter().map(|o| (o.value.clone(), lang.pick(&o.label).to_string())).collect(),
    }
}

/// The answer of a multi-select after ticking or unticking `v` (an
/// option's value, or `none`) in `cur`: the values ticked, in the options'
/// order, `;`-separated; `none` alone; or empty (not answered).
fn toggled(options: &[EnumOption], cur: &str, v: &str) -> String {
    if v == "none" {
        return if cur == "none" { String::new() } else { v.into() };
    }
    let items = split_list(cur);
    let mut out = String::new();
    for o in options.iter().filter(|o| items.contains(&o.value) != (o.value == v)) {
        if !out.is_empty() {
            out.push(';');
        }
        out.push_str(&o.value);
    }
    out
}

/// One question: label, help, input, inline error, skip/clear.
#[component]
fn QuestionBody(p: &QuestionProps) -> Html {
    // The ticks of a guided multi-select, until confirmed.
    let draft = use_state(|| p.entry.text.clone());
    let Some(env) = use_context::<Env>() else { return Html::default() };
    let Some(field) = env.cat.fields.get(p.field as usize) else { return Html::default() };
    let (lang, s) = (env.lang, env.lang.s());
    let f = p.field;
    let base = if p.guided { env.id("g", f) } else { env.id("q", f) };
    let input_id = format!("{base}-in");
    let help_id = format!("{base}-help");
    let err_id = format!("{base}-err");
    let label_id = format!("{base}-label");
    let e = &p.entry;
    let k = kind(field);
    let help = field.def.help.as_ref().map(|h| lang.pick(h).to_string());
    let error = e.error.as_ref().map(|x| x.message(lang, field.def.unit));
    let described = [help.as_ref().map(|_| help_id.clone()), error.as_ref().map(|_| err_id.clone())].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let described = (!described.is_empty()).then_some(described);
    let invalid = error.is_some().then_some("true");
    let money_field = field.def.unit == Some(Unit::Cny);
    // A figure's unit (人, %, 万元 or 元 as pressed) is part of its box's name.
    let numeric = matches!(field.def.ty, FieldType::Number | FieldType::Integer);
    let unit = match field.def.unit {
        Some(Unit::Cny) => Some(if e.unit == MoneyUnit::Wan { s.wan } else { s.yuan }),
        Some(u) if numeric => Some(lang.unit_suffix(u)),
        _ => None,
    };

    // Free mode commits on `change`; guided mode commits on submit (so a
    // click on "skip" after typing never answers the next question).
    let on_change = {
        let cb = p.on_answer.clone();
        Callback::from(move |ev: Event| cb.emit((f, target_value(&ev))))
    };
    let on_submit = {
        let (cb, id) = (p.on_answer.clone(), input_id.clone());
        Callback::from(move |ev: SubmitEvent| {
            ev.prevent_default();
            let form = ev.target().map(wasm_bindgen::JsValue::from);
            if let Some(v) = super::browser::value_of(form.as_ref(), &id) {
                cb.emit((f, v));
            }
        })
    };
    let label = lang.pick(&field.def.label).to_string();
    // A figure typed in the sections, then 万元/元 chosen: the figure is in the unit
    // chosen (the press keeps focus in the box, which is not committed in the old
    // unit first). A committed figure keeps its value; the guided card commits on confirm.
    let on_unit = {
        let (u, a, id, text, guided) = (p.on_unit.clone(), p.on_answer.clone(), input_id.clone(), e.text.clone(), p.guided);
        Callback::from(move |(ev, unit): (MouseEvent, MoneyUnit)| {
            let typed = super::browser::value_of(ev.target().map(wasm_bindgen::JsValue::from).as_ref(), &id);
            u.emit((f, unit));
            if let Some(t) = typed.filter(|t| !guided && *t != text) {
                a.emit((f, t));
            }
        })
    };

    // The guided card's box holds what is typed until it is confirmed: a click on
    // 万元/元 before that re-renders the card, and must not empty the box.
    let value = (!p.guided || !e.text.is_empty()).then(|| e.text.clone());
    let text_input = |mode: &str, kind: &str| {
        html! {
            <input id={input_id.clone()} class="pm-input" type={kind.to_string()} inputmode={mode.to_string()}
                autocomplete="off" value={value.clone()} aria-describedby={described.clone()} aria-invalid={invalid}
                onchange={(!p.guided).then(|| on_change.clone())} />
        }
    };
    let control = match k {
        Kind::Text => {
            let mode = match field.def.ty {
                FieldType::Integer if field.def.min.is_some_and(|m| m.0 >= Decimal::ZERO) => "numeric",
                FieldType::Integer | FieldType::Number => "decimal",
                _ => "text",
            };
            html! {
                <>
                    <div class="pm-input-row">
                        { text_input(mode, "text") }
                        // A second label: the box's name ends with its unit (for a figure in
                        // 元, only a screen reader needs it: the toggle shows it).
                        if let Some(u) = unit { <label class={if money_field { "pm-sr-only" } else { "pm-suffix" }} for={input_id.clone()}>{ u }</label> }
                        if money_field { { unit_toggle(e.unit, lang, &on_unit, &label) } }
                    </div>
                    if money_field { { money_hint(e, lang) } }
                    if field.def.ty == FieldType::StringList { <p class="pm-hint">{ s.list_hint }</p> }
                </>
            }
        }
        Kind::Date => html! {
            <div class="pm-input-row">
                <input id={input_id.clone()} class="pm-input pm-date" type="date" min="1900-01-01" max="2199-12-31"
                    value={e.text.clone()} aria-describedby={described.clone()} aria-invalid={invalid}
                    onchange={(!p.guided).then(|| on_change.clone())} />
            </div>
        },
        Kind::Select => html! {
            <div class="pm-input-row">
                <select id={input_id.clone()} class="pm-input pm-select" aria-describedby={described.clone()}
                    aria-invalid={invalid} onchange={(!p.guided).then(|| on_change.clone())}>
                    <option value="" selected={e.text.is_empty()}>{ s.choose }</option>
                    { for choices(field, lang).into_iter().map(|(v, l)| html! {
                        <option selected={e.text == v} value={v.clone()}>{ l }</option>
                    }) }
                </select>
            </div>
        },
        Kind::Choice if p.guided => html! {
            <div class="pm-options" role="group" aria-labelledby={label_id.clone()} aria-describedby={described.clone()}>
                { for choices(field, lang).into_iter().enumerate().map(|(i, (v, l))| {
                    let cb = p.on_answer.clone();
                    let value = v.clone();
                    html! {
                        <button type="button" class="pm-option" id={(i == 0).then(|| input_id.clone())} aria-pressed={(e.text == v).to_string()}
                            onclick={Callback::from(move |_: MouseEvent| cb.emit((f, value.clone())))}>{ l }</button>
                    }
                }) }
            </div>
        },
        Kind::Choice | Kind::Multi => {
            // Radio buttons, or checkboxes and "none": free mode answers at
            // each tick; guided mode keeps the ticks in `draft` and the
            // hidden input, which the form submits.
            let multi = k == Kind::Multi;
            let cur = if p.guided { (*draft).clone() } else { e.text.clone() };
            let picked = split_list(&cur);
            let mut items = choices(field, lang);
            if multi {
                items.push(("none".into(), s.none_option.into()));
            }
            html! {
                <div class="pm-choices" role="group" aria-labelledby={label_id.clone()} aria-describedby={described.clone()}>
                    { for items.into_iter().enumerate().map(|(i, (v, l))| {
                        let id = if i == 0 && !multi { input_id.clone() } else { format!("{input_id}-{i}") };
                        let onchange = if multi {
                            let next = toggled(&field.def.options, &cur, &v);
                            let (cb, draft, guided) = (p.on_answer.clone(), draft.clone(), p.guided);
                            Callback::from(move |_: Event| if guided { draft.set(next.clone()) } else { cb.emit((f, next.clone())) })
                        } else {
                            on_change.clone()
                        };
                        html! {
                            <label class="pm-choice" for={id.clone()}>
                                <input type={if multi { "checkbox" } else { "radio" }} id={id} name={format!("{base}-r")} value={v.clone()}
                                    checked={if multi { picked.contains(&v) } else { e.text == v }} {onchange} />
                                <span>{ l }</span>
                            </label>
                        }
                    }) }
                    if p.guided { <input type="hidden" id={input_id.clone()} value={cur} /> }
                </div>
            }
        }
        Kind::Dates => html! {
            <DateList field={f} id={input_id.clone()} text={e.text.clone()} guided={p.guided} labelled_by={label_id.clone()} on_answer={p.on_answer.clone()} />
        },
    };

    let fieldset_like = matches!(k, Kind::Choice | Kind::Dates | Kind::Multi);
    let title = if p.guided {
        if fieldset_like {
            html! { <h3 class="pm-q-label pm-guided-q" id={label_id.clone()}>{ label.clone() }</h3> }
        } else {
            html! { <h3 class="pm-q-label pm-guided-q" id={label_id.clone()}><label for={input_id.clone()}>{ label.clone() }</label></h3> }
        }
    } else if fieldset_like {
        html! { <legend class="pm-q-label" id={label_id.clone()}>{ label.clone() }</legend> }
    } else {
        html! { <label class="pm-q-label" id={label_id.clone()} for={input_id.clone()}>{ label.clone() }</label> }
    };
    let body = html! {
        <>
            { title }
            if let Some(h) = &help { <p class="pm-q-help" id={help_id.clone()}>{ h }</p> }
            if p.guided && !p.why.is_empty() { <p class="pm-why">{ p.why.clone() }</p> }
            { control }
            if let Some(msg) = &error { <p class="pm-q-error" id={err_id.clone()}>{ msg }</p> }
        </>
    };
    let skip = {
        let cb = p.on_skip.clone();
        Callback::from(move |_: MouseEvent| cb.emit(f))
    };
    if p.guided {
        let confirm = !matches!(k, Kind::Choice | Kind::Dates);
        return html! {
            <form class="pm-q pm-q-guided" id={base} onsubmit={on_submit}>
                { body }
                <div class="pm-q-actions">
                    if confirm { <button type="submit" class="pm-btn pm-btn-primary">{ s.confirm }</button> }
                    <button type="button" class="pm-btn pm-btn-quiet" onclick={skip}>{ s.skip }</button>
                </div>
            </form>
        };
    }
    // Cleared or no longer skipped, the question is to answer again: focus goes to its
    // input, not to the button that stays in place as "skip" (a second Enter skipped
    // the question).
    let to_input = |cb: &Callback<u32>| {
        let (cb, id) = (cb.clone(), base.clone());
        Callback::from(move |ev: MouseEvent| {
            super::browser::focus_in(ev.target().map(wasm_bindgen::JsValue::from).as_ref(), &id);
            cb.emit(f);
        })
    };
    let on_clear = to_input(&p.on_clear);
    let actions = html! {
        <div class="pm-q-actions">
            if e.skipped {
                <span class="pm-tag pm-tag-skipped">{ s.skipped }</span>
                <button type="button" class="pm-link" onclick={to_input(&p.on_unskip)}>{ s.answer_it }</button>
            } else if !e.text.is_empty() {
                <button type="button" class="pm-link" aria-label={format!("{}{}{label}", s.clear, s.colon)} onclick={on_clear}>{ s.clear }</button>
            } else {
                <button type="button" class="pm-link" aria-label={format!("{}{}{label}", s.skip, s.colon)} onclick={skip}>{ s.skip }</button>
            }
        </div>
    };
    let classes = match (e.skipped, is_answered(e)) {
        (true, _) => "pm-q pm-q-skipped",
        (false, true) => "pm-q pm-q-answered",
        _ => "pm-q",
    };
    if fieldset_like {
        html! { <fieldset class={classes} id={base}>{ body }{ actions }</fieldset> }
    } else {
        html! { <div class={classes} id={base}>{ body }{ actions }</div> }
    }
}

/// 万元 | 元 toggle of a money field (pressing it leaves focus in the box).
fn unit_toggle(unit: MoneyUnit, lang: Lang, cb: &Callback<(MouseEvent, MoneyUnit)>, label: &str) -> Html {
    let s = lang.s();
    let button = |u: MoneyUnit, text: &'static str| {
        html! {
            <button type="button" class="pm-unit" aria-pressed={(unit == u).to_string()}
                onmousedown={|e: MouseEvent| e.prevent_default()} onclick={cb.reform(move |e| (e, u))}>{ text }</button>
        }
    };
    html! {
        <div class="pm-unit-toggle" role="group" aria-label={format!("{}{}{label}", s.entry_unit, s.colon)}>
            { button(MoneyUnit::Wan, s.wan) }
            { button(MoneyUnit::Yuan, s.yuan) }
        </div>
    }
}

/// A figure `d` typed in 万元 that reads as 10亿元 or more: most likely
/// typed in 元 (as a tax form shows it).
fn looks_like_yuan(unit: MoneyUnit, d: Decimal) -> bool {
    unit == MoneyUnit::Wan && d >= Decimal::from(100_000)
}

/// "折合 760,000元" under a money input; after a figure that looks typed in
/// 元 ([`looks_like_yuan`]), how to say so (a hint, never a block; the 元
/// toggle would keep the value and convert the text).
fn money_hint(e: &Entry, lang: Lang) -> Html {
    if e.error.is_some() || e.text.is_empty() {
        return Html::default();
    }
    let Some((d, _)) = read_number(&e.text) else { return Html::default() };
    let yuan = if e.unit == MoneyUnit::Wan { d * Decimal::from(10_000) } else { d };
    let shown = match (lang, e.unit) {
        (Lang::Zh, MoneyUnit::Wan) => format!("{}元", super::format::number(yuan)),
        (Lang::Zh, MoneyUnit::Yuan) => format!("{}万元", super::format::number_dp(yuan / Decimal::from(10_000), 8)),
        (Lang::En, _) => money(yuan, lang),
    };
    let large = if looks_like_yuan(e.unit, d) {
        lang.either("。如果填的是元，请在数字后加“元”", ". If typed in yuan, add “yuan” after it")
    } else {
        ""
    };
    html! { <p class="pm-hint" aria-live="off">{ format!("{} {shown}{large}", lang.s().equals) }</p> }
}

#[derive(Properties, Clone, PartialEq)]
struct DateListProps {
    field: u32,
    id: String,
    text: String,
    guided: bool,
    labelled_by: String,
    on_answer: Callback<(u32, String)>,
}

/// "None" or a list of dates.
#[derive(Clone, PartialEq)]
enum DatesDraft {
    Unset,
    None,
    Some(Vec<String>),
}

fn draft_of(text: &str) -> DatesDraft {
    match text {
        "" => DatesDraft::Unset,
        "none" => DatesDraft::None,
        t => DatesDraft::Some(t.split(';').map(str::to_string).collect()),
    }
}

/// A list of dates: "none", or dates added one by one.
#[component]
fn DateList(p: &DateListProps) -> Html {
    let draft = use_state_eq(|| draft_of(&p.text));
    {
        let draft = draft.clone();
        use_effect_with(p.text.clone(), move |t| draft.set(draft_of(t)));
    }
    let Some(env) = use_context::<Env>() else { return Html::default() };
    let (lang, s) = (env.lang, env.lang.s());
    let f = p.field;
    let commit = {
        let (cb, guided) = (p.on_answer.clone(), p.guided);
        move |d: &DatesDraft, force: bool| {
            if guided && !force {
                return;
            }
            match d {
                DatesDraft::None => cb.emit((f, "none".into())),
                DatesDraft::Some(v) if !v.is_empty() && v.iter().all(|x| !x.is_empty()) => cb.emit((f, v.join(";"))),
                _ => {}
            }
        }
    };
    let set = {
        let (draft, commit) = (draft.clone(), commit.clone());
        move |d: DatesDraft| {
            commit(&d, false);
            draft.set(d);
        }
    };
    let pick_none = {
        let (set, commit, guided) = (set.clone(), commit.clone(), p.guided);
        Callback::from(move |_: Event| {
            if guided {
                commit(&DatesDraft::None, true);
            } else {
                set(DatesDraft::None);
            }
        })
    };
    let pick_some = {
        let (set, draft) = (set.clone(), draft.clone());
        Callback::from(move |_: Event| {
            if !matches!(*draft, DatesDraft::Some(_)) {
                set(DatesDraft::Some(vec![String::new()]));
            }
        })
    };
    let items = match &*draft {
        DatesDraft::Some(v) => v.clone(),
        _ => Vec::new(),
    };
    let name = format!("{}-r", p.id);
    html! {
        <div class="pm-dates">
            <div class="pm-choices" role="radiogroup" aria-labelledby={p.labelled_by.clone()}>
                <label class="pm-choice" for={p.id.clone()}>
                    <input type="radio" id={p.id.clone()} name={name.clone()} checked={*draft == DatesDraft::None} onchange={pick_none} />
                    <span>{ s.none_option }</span>
                </label>
                <label class="pm-choice" for={format!("{}-some", p.id)}>
                    <input type="radio" id={format!("{}-some", p.id)} name={name} checked={matches!(*draft, DatesDraft::Some(_))} onchange={pick_some} />
                    <span>{ s.has_dates }</span>
                </label>
            </div>
            if matches!(*draft, DatesDraft::Some(_)) {
                <ul class="pm-date-items">
                    { for items.iter().enumerate().map(|(i, d)| {
                        let on_date = {
                            let (set, items) = (set.clone(), items.clone());
                            Callback::from(move |ev: Event| {
                                let mut v = items.clone();
                                v[i] = target_value(&ev);
                                set(DatesDraft::Some(v));
                            })
                        };
                        let on_remove = {
                            let (set, items) = (set.clone(), items.clone());
                            Callback::from(move |_: MouseEvent| {
                                let mut v = items.clone();
                                v.remove(i);
                                set(if v.is_empty() { DatesDraft::Some(vec![String::new()]) } else { DatesDraft::Some(v) });
                            })
                        };
                        let n = i + 1;
                        html! {
                            <li key={i}>
                                <input class="pm-input pm-date" type="date" min="1900-01-01" max="2199-12-31" value={d.clone()}
                                    aria-label={format!("{} {n}", lang.either("日期", "Date"))} onchange={on_date} />
                                <button type="button" class="pm-link" aria-label={format!("{} {n}", lang.either("删除日期", "Remove date"))}
                                    onclick={on_remove}>{ s.remove }</button>
                            </li>
                        }
                    }) }
                </ul>
                <div class="pm-q-actions">
                    <button type="button" class="pm-btn pm-btn-quiet" onclick={{
                        let (draft, items) = (draft.clone(), items.clone());
                        Callback::from(move |_: MouseEvent| {
                            let mut v = items.clone();
                            v.push(String::new());
                            draft.set(DatesDraft::Some(v));
                        })
                    }}>{ s.add_date }</button>
                    if p.guided {
                        <button type="button" class="pm-btn pm-btn-primary" onclick={{
                            let (commit, d) = (commit.clone(), (*draft).clone());
                            Callback::from(move |_: MouseEvent| commit(&d, true))
                        }}>{ s.confirm }</button>
                    }
                </div>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::{looks_like_yuan, toggled};
    use crate::ui::format::MoneyUnit;
    use crate::ui::state::tests::{answer, as_of, both, verdict};
    use crate::ui::state::Action;
    use crate::ui::state::State;

    #[test]
    fn ticking_options_and_none() {
        let cat = both();
        let f = cat.field("zone_industry_chains").unwrap();
        let o = &f.def.options;
        // Ticks keep the options' order whatever the order of ticking.
        let one = toggled(o, "", "new_energy");
        assert_eq!(one, "new_energy");
        let two = toggled(o, &one, "integrated_circuits");
        assert_eq!(two, "integrated_circuits;new_energy");
        // A stored answer is `；`-separated: unticking one leaves the other.
        assert_eq!(toggled(o, "integrated_circuits；new_energy", "integrated_circuits"), "new_energy");
        // Unticking the last leaves the question unanswered, not "none".
        assert_eq!(toggled(o, "new_energy", "new_energy"), "");
        // "None" replaces the ticks, and a tick replaces "none".
        assert_eq!(toggled(o, &two, "none"), "none");
        assert_eq!(toggled(o, "none", "biomedicine"), "biomedicine");
        assert_eq!(toggled(o, "none", "none"), "");
    }

    #[test]
    fn a_ticked_chain_decides_the_gazelle_reward_criterion() {
        // 瞪羚企业入库奖励 C2: in one of the zone's key industry chains.
        let mut s = State::new(both(), as_of());
        let crit = |s: &State| {
            let r = &s.outcome.results[s.cat.policy_index("zone_gazelle_enterprise_reward").unwrap() as usize];
            // C2 is the second criterion.
            (r.failed.contains(&1), r.undecided.contains(&1))
        };
        assert_eq!(crit(&s), (false, true), "not answered: C2 undecided");
        answer(&mut s, "zone_industry_chains", "none");
        assert_eq!(crit(&s), (true, false), "none of the key chains: C2 fails");
        assert_eq!(verdict(&s, "zone_gazelle_enterprise_reward"), crate::matching::Verdict::DoesNotQualify);
        answer(&mut s, "zone_industry_chains", "intelligent_manufacturing");
        assert_eq!(crit(&s), (false, false), "智能制造 is a key chain: C2 met");
    }

    #[test]
    fn a_figure_typed_in_yuan_into_a_wan_box_gets_a_hint() {
        let d = |t: &str| crate::ui::format::read_number(t).unwrap().0;
        // 12,000,000 万元 is 1,200亿元: a small firm's revenue typed in 元, as its tax form shows it.
        assert!(looks_like_yuan(MoneyUnit::Wan, d("12,000,000")));
        // 10亿元 and up; a medium manufacturer's 1.8亿 (18,000 万元) is not questioned.
        assert!(looks_like_yuan(MoneyUnit::Wan, d("100,000")));
        assert!(!looks_like_yuan(MoneyUnit::Wan, d("99,999.99")));
        assert!(!looks_like_yuan(MoneyUnit::Wan, d("18,000")));
        // The same figure typed in 元 (with the toggle) is not.
        assert!(!looks_like_yuan(MoneyUnit::Yuan, d("12,000,000")));
        // What the hint says to do (add 元 after the figure) gives the figure in 元, kept in 万元.
        let mut s = State::new(both(), as_of());
        let f = s.cat.field_slot("operating_revenue_2025_cny").unwrap();
        s.apply(Action::Answer { field: f, text: "12000000".into() });
        let e = &s.entries[f as usize];
        assert!(looks_like_yuan(e.unit, d(&e.text)));
        s.apply(Action::Answer { field: f, text: "12000000元".into() });
        assert_eq!(s.profile.values[f as usize], crate::rules::Value::Num(12_000_000.into()));
        let e = &s.entries[f as usize];
        assert_eq!((e.text.as_str(), e.unit), ("1,200", MoneyUnit::Wan));
        assert!(!looks_like_yuan(e.unit, d(&e.text)));
    }
}
