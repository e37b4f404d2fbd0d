//! Live results: the three groups, the filter, and a card per policy whose
//! explanation opens on demand. Catalogue text is only ever a text node;
//! links are http(s) (the catalogue model enforces it) and open with
//! `rel="noopener noreferrer"`.

use std::rc::Rc;

use yew::prelude::*;

use super::app::{Callbacks, Env};
use super::browser::target_value;
use super::state::{Filter, State};
use super::view::{self, criterion_view, Mark};
use crate::catalogue::{Catalogue, Category, StackRule};
use crate::matching::{PolicyExplanation, PolicyResult, Verdict};
use crate::Lang;

/// Categories in display order.
pub const CATEGORIES: [Category; 8] =
    [Category::Tax, Category::Subsidy, Category::Certification, Category::Finance, Category::Employment, Category::Talent, Category::Credit, Category::Other];

/// The results pane: counts, estimated value, filter, three groups.
pub fn results(env: &Env, st: &State, cbs: &Callbacks) -> Html {
    let (lang, s) = (env.lang, env.lang.s());
    let g = view::groups(&env.cat, &st.outcome, &st.filter);
    let (q, u, n) = st.outcome.counts();
    let total = view::estimated_total(&env.cat, &st.outcome);
    let id = |k: &str| format!("{}-{k}", env.prefix);
    let skipped: Rc<Vec<bool>> = Rc::new(st.entries.iter().map(|e| e.skipped).collect());
    let group = |key: &'static str, title: &'static str, help: &'static str, items: &[u32]| {
        let hid = id(&format!("g-{key}"));
        html! {
            <section class={format!("pm-group pm-group-{key}")} aria-labelledby={hid.clone()}>
                <h3 class="pm-group-h" id={hid}>
                    <span class="pm-dot" aria-hidden="true"></span>{ title }<span class="pm-count">{ items.len() }</span>
                </h3>
                <p class="pm-group-help">{ help }</p>
                if items.is_empty() {
                    <p class="pm-empty">{ s.none_here }</p>
                } else {
                    <ul class="pm-cards">
                        { for items.iter().map(|&i| html! {
                            <PolicyCard key={i} index={i} result={st.outcome.results[i as usize].clone()}
                                explanation={st.outcome.explanation(i).cloned()} expanded={st.expanded.contains(&i)}
                                skipped={skipped.clone()} on_toggle={cbs.policy.clone()} on_jump={cbs.jump.clone()} />
                        }) }
                    </ul>
                }
            </section>
        }
    };
    html! {
        <section class="pm-results" aria-labelledby={id("results-h")}>
            <h2 class="pm-h2" id={id("results-h")} tabindex="-1">{ s.results }</h2>
            // Which day the verdicts, windows and deadlines are for (a host may set another).
            <p class="pm-group-help pm-asof">{ format!("{}{}{}", s.report_as_of, s.colon, super::format::date(env.as_of, lang)) }</p>
            { summary(lang, q, u, n, None) }
            if let Some(t) = total.filter(|t| !t.is_zero()) {
                <p class="pm-total">
                    <span class="pm-total-l">{ s.estimated_total }</span>
                    <strong class="pm-total-v">{ view::amount_text(t, lang) }</strong>
                    <span class="pm-total-note">{ s.estimated_total_note }</span>
                </p>
            }
            { filter_bar(&env.cat, lang, &st.filter, g.shown(), &FilterCallbacks { category: cbs.category.clone(), search: cbs.search.clone(), clear: cbs.clear_filter.clone() }) }
            { group("qualifies", s.qualifies, s.qualifies_help, &g.qualifies) }
            { group("undecided", s.undecided, s.undecided_help, &g.undecided) }
            { group("not", s.not_qualify, s.not_qualify_help, &g.not_qualify) }
        </section>
    }
}

/// What the filter bar reports: a category chip pressed, the search text, "clear".
pub(crate) struct FilterCallbacks {
    pub category: Callback<Option<Category>>,
    pub search: Callback<String>,
    pub clear: Callback<()>,
}

/// Category chips (the categories the catalogue has), the text search, how
/// many policies are shown and "clear the filter"; then "no match" when
/// nothing passes. Shared by the self-check's results and the browse mode.
pub(crate) fn filter_bar(cat: &Catalogue, lang: Lang, filter: &Filter, shown: usize, cb: &FilterCallbacks) -> Html {
    let s = lang.s();
    let present = CATEGORIES.into_iter().filter(|c| cat.policies.iter().any(|p| p.category == *c));
    let chip = |c: Option<Category>, label: &'static str| {
        html! {
            <button type="button" class="pm-chip" aria-pressed={(filter.category == c).to_string()}
                onclick={cb.category.reform(move |_: MouseEvent| c)}>{ label }</button>
        }
    };
    html! {
        <>
            <div class="pm-filter" role="search" aria-label={s.filter}>
                <div class="pm-chips" role="group" aria-label={lang.either("政策类别", "Category")}>
                    { chip(None, s.all_categories) }
                    { for present.map(|c| chip(Some(c), lang.category(c))) }
                </div>
                <div class="pm-search">
                    <input class="pm-input" type="search" aria-label={s.search} placeholder={s.search_placeholder} value={filter.query.clone()}
                        oninput={cb.search.reform(|e: InputEvent| target_value(&e))} autocomplete="off" />
                </div>
                <p class="pm-shown" role="status">
                    { lang.shown(shown, cat.policies.len()) }
                    if *filter != Filter::default() {
                        <button type="button" class="pm-link" onclick={cb.clear.reform(|_: MouseEvent| ())}>{ s.clear_filter }</button>
                    }
                </p>
            </div>
            if shown == 0 { <p class="pm-empty">{ s.no_match }</p> }
        </>
    }
}

/// The three count tiles (and the estimated value, in the report).
pub fn summary(lang: Lang, q: usize, u: usize, n: usize, total: Option<String>) -> Html {
    let s = lang.s();
    html! {
        <div class="pm-summary">
            <div class="pm-tile pm-tile-qualifies"><span class="pm-tile-n">{ q }</span><span class="pm-tile-l">{ s.qualifies }</span></div>
            <div class="pm-tile pm-tile-undecided"><span class="pm-tile-n">{ u }</span><span class="pm-tile-l">{ s.undecided }</span></div>
            <div class="pm-tile pm-tile-not"><span class="pm-tile-n">{ n }</span><span class="pm-tile-l">{ s.not_qualify }</span></div>
            if let Some(t) = total {
                <div class="pm-tile pm-tile-total"><span class="pm-tile-n">{ t }</span><span class="pm-tile-l">{ s.estimated_total }</span></div>
            }
        </div>
    }
}

/// Properties of [`PolicyCard`].
#[derive(Properties, Clone, PartialEq)]
pub struct CardProps {
    /// Policy index.
    pub index: u32,
    /// Its result.
    pub result: Rc<PolicyResult>,
    /// Its explanation, when expanded.
    pub explanation: Option<Rc<PolicyExplanation>>,
    /// Expanded.
    pub expanded: bool,
    /// Skipped fields by slot.
    pub skipped: Rc<Vec<bool>>,
    /// Expand/collapse.
    pub on_toggle: Callback<u32>,
    /// Jump to a question.
    pub on_jump: Callback<u32>,
}

/// One policy: title, issuer, document numbers, category, benefit, badges,
/// what is missing or how close it is, and (expanded) why.
#[component]
pub fn PolicyCard(p: &CardProps) -> Html {
    let Some(env) = use_context::<Env>() else { return Html::default() };
    let Some(pol) = env.cat.policies.get(p.index as usize) else { return Html::default() };
    let (lang, s) = (env.lang, env.lang.s());
    let r = &p.result;
    let i = p.index;
    let base = env.id("p", i);
    let verdict = match r.verdict {
        Verdict::Qualifies => "qualifies",
        Verdict::Undecided => "undecided",
        Verdict::DoesNotQualify => "not",
    };
    let badges = view::badges(pol, env.as_of, lang);
    let amount = r.benefit.as_ref().and_then(|b| b.amount.map(|a| (a, b.conditional)));
    let missing = field_links(&env.cat, &r.missing, &p.skipped, lang, &p.on_jump, 4);
    let failed: Vec<String> = if r.verdict == Verdict::DoesNotQualify && !r.within_reach {
        r.failed.iter().filter_map(|&c| pol.criteria.get(c as usize)).map(|c| lang.pick(&c.description).to_string()).collect()
    } else {
        Vec::new()
    };
    let conflicts: Vec<String> = r
        .conflicts
        .iter()
        .map(|c| {
            let other = env.cat.policy(&c.with).map_or(c.with.as_str(), |o| lang.pick(&o.title));
            match c.rule {
                StackRule::TakeHigher => lang.take_higher(other, c.preferred),
                _ => lang.exclusive(other),
            }
        })
        .collect();
    let url = pol.application.as_ref().and_then(|a| a.url.as_ref()).map(|u| u.0.clone());
    let details_id = format!("{base}-d");
    let title_id = format!("{base}-t");
    let toggle = p.on_toggle.reform(move |_: MouseEvent| i);
    html! {
        <li class={format!("pm-card pm-card-{verdict}")} id={base.clone()} data-policy={pol.id.clone()}>
            <article aria-labelledby={title_id.clone()}>
                <div class="pm-card-top">
                    <span class="pm-cat">{ lang.category(pol.category) }</span>
                    if r.within_reach { <span class="pm-badge pm-badge-reach">{ s.within_reach }</span> }
                    { for badges.iter().map(|b| html! { <span class={format!("pm-badge pm-badge-{}", b.kind)}>{ b.text.clone() }</span> }) }
                </div>
                <h4 class="pm-card-title" id={title_id.clone()}>{ lang.pick(&pol.title) }</h4>
                <p class="pm-card-meta">
                    <span class="pm-sr-only">{ s.issuer }{ s.colon }</span>{ lang.pick(&pol.issuer) }
                    if !pol.documents.is_empty() {
                        <span class="pm-docs"><span class="pm-sr-only">{ s.documents }{ s.colon }</span>{ pol.documents.join(lang.either("；", "; ")) }</span>
                    }
                </p>
                if let Some((a, conditional)) = amount {
                    <p class="pm-amount">
                        <span class="pm-amount-l">
                            if conditional { { s.if_qualifies }{ lang.either("，", ", ") } }
                            { pol.benefit_label.as_ref().map_or(s.estimated, |l| lang.pick(l)) }
                        </span>
                        <strong class="pm-amount-v">{ view::amount_text(a, lang) }</strong>
                    </p>
                }
                // Qualifies, but the amount needs an answer: say which (the worth is part of the result).
                if let Some(b) = r.benefit.as_ref().filter(|b| !b.conditional && !b.missing.is_empty()) {
                    <div class="pm-missing">
                        <span class="pm-amount-l">{ pol.benefit_label.as_ref().map_or(s.estimated, |l| lang.pick(l)) }</span>
                        <span class="pm-missing-l">{ s.missing }</span>{ field_links(&env.cat, &b.missing, &p.skipped, lang, &p.on_jump, 4) }
                    </div>
                }
                if let Some(b) = &pol.benefit { <p class="pm-benefit">{ lang.pick(b) }</p> }
                if r.verdict == Verdict::Undecided && !r.missing.is_empty() {
                    <div class="pm-missing"><span class="pm-missing-l">{ s.missing }</span>{ missing }</div>
                }
                if r.within_reach {
                    <ul class="pm-near">{ for r.near_misses.iter().map(|n| html! { <li>{ view::near_text(n, lang) }</li> }) }</ul>
                }
                if !failed.is_empty() {
                    <ul class="pm-failed">{ for failed.iter().take(3).map(|f| html! { <li><span class="pm-mark pm-mark-not-met" aria-hidden="true">{ "✗" }</span><span class="pm-sr-only">{ s.not_met }{ s.colon }</span>{ f }</li> }) }
                        if failed.len() > 3 { <li class="pm-more-failed">{ lang.either(format!("等 {} 项条件不满足", failed.len()), format!("and {} more", failed.len() - 3)) }</li> }
                    </ul>
                }
                { for conflicts.iter().map(|c| html! { <p class="pm-conflict">{ c }</p> }) }
                <div class="pm-card-actions">
                    <button type="button" class="pm-btn pm-btn-quiet pm-why-btn" aria-describedby={title_id} aria-expanded={p.expanded.to_string()} aria-controls={details_id.clone()} onclick={toggle}>
                        { if p.expanded { s.hide_why } else { s.show_why } }
                    </button>
                    if let Some(u) = url {
                        <a class="pm-btn pm-btn-link" href={u} target="_blank" rel="noopener noreferrer">
                            { s.apply_online }<span class="pm-sr-only">{ lang.either("（在新窗口打开）", " (opens in a new window)") }</span>
                        </a>
                    }
                </div>
                if p.expanded {
                    <div class="pm-card-details" id={details_id}>
                        if let Some(e) = &p.explanation { { explanation(&env.cat, e, lang, &p.skipped, &p.on_jump) } }
                        { details(pol, lang) }
                    </div>
                }
            </article>
        </li>
    }
}

/// Missing fields as buttons that jump to their question (at most `limit`, then "and N more").
fn field_links(cat: &Catalogue, slots: &[u32], skipped: &[bool], lang: Lang, on_jump: &Callback<u32>, limit: usize) -> Html {
    let s = lang.s();
    let more = slots.len().saturating_sub(limit);
    html! {
        <ul class="pm-inline">
            { for slots.iter().take(limit).filter_map(|&f| cat.fields.get(f as usize).map(|x| (f, x))).map(|(f, field)| html! {
                <li>
                    <button type="button" class="pm-link" onclick={on_jump.reform(move |_: MouseEvent| f)}>{ lang.pick(&field.def.label) }</button>
                    if skipped.get(f as usize).copied().unwrap_or(false) { <span class="pm-tag pm-tag-skipped">{ s.skipped }</span> }
                </li>
            }) }
            if more > 0 { <li class="pm-more-fields">{ lang.either(format!("等 {} 项", slots.len()), format!("and {more} more")) }</li> }
        </ul>
    }
}

/// The criteria with ✓ / ✗ / ?, actual and required values, and links to the missing questions.
pub fn explanation(cat: &Catalogue, e: &PolicyExplanation, lang: Lang, skipped: &[bool], on_jump: &Callback<u32>) -> Html {
    let s = lang.s();
    html! {
        <div class="pm-explain">
            <h5 class="pm-h5">{ s.criteria }</h5>
            <ol class="pm-criteria">
                { for e.criteria.iter().map(|c| {
                    let v = criterion_view(cat, c, lang);
                    // A single fact that just restates the criterion's own mark adds a value line only.
                    html! {
                        <li class={format!("pm-crit pm-crit-{}", v.mark.class())}>
                            <div class="pm-crit-head">
                                { mark(v.mark, lang) }
                                <span class="pm-crit-text">{ v.description.clone() }</span>
                            </div>
                            if !v.rows.is_empty() {
                                <ul class="pm-facts">
                                    { for v.rows.iter().map(|r| html! {
                                        <li class={format!("pm-fact pm-d{}", r.depth.min(3))}>
                                            if let Some(m) = r.mark { { mark(m, lang) } }
                                            <span class="pm-fact-label">{ r.label.clone() }</span>
                                            if let Some(a) = &r.actual { <span class="pm-fact-actual">{ a.clone() }</span> }
                                            if let Some(q) = &r.required { <span class="pm-fact-req">{ s.needs }{ s.colon }{ q.clone() }</span> }
                                            if r.mark == Some(Mark::NotMet) && r.missing.is_empty() {
                                                if let Some(&f) = r.fields.first() {
                                                    <button type="button" class="pm-link pm-change" onclick={on_jump.reform(move |_: MouseEvent| f)}
                                                        aria-label={format!("{}{}{}", s.change, s.colon, r.label)}>{ s.change }</button>
                                                }
                                            }
                                        </li>
                                    }) }
                                </ul>
                            }
                            { for v.near.iter().map(|n| html! { <p class="pm-near-line"><span class="pm-badge pm-badge-reach">{ s.within_reach }</span>{ n.clone() }</p> }) }
                            if !v.missing.is_empty() {
                                <div class="pm-missing"><span class="pm-missing-l">{ s.missing }</span>{ field_links(cat, &v.missing, skipped, lang, on_jump, usize::MAX) }</div>
                            }
                            if let Some(n) = &v.note { <p class="pm-crit-note"><span class="pm-crit-note-l">{ s.reading_note }{ s.colon }</span>{ n.clone() }</p> }
                        </li>
                    }
                }) }
            </ol>
        </div>
    }
}

/// ✓ / ✗ / ? with words for screen readers.
pub fn mark(m: Mark, lang: Lang) -> Html {
    html! {
        <>
            <span class={format!("pm-mark pm-mark-{}", m.class())} aria-hidden="true">{ m.symbol() }</span>
            <span class="pm-sr-only">{ m.words(lang) }{ lang.s().colon }</span>
        </>
    }
}

/// Summary, application, validity, notes and sources of a policy.
pub(crate) fn details(pol: &crate::catalogue::Policy, lang: Lang) -> Html {
    let s = lang.s();
    let validity = match (pol.valid_from, pol.valid_until) {
        (Some(f), Some(u)) => Some(format!("{} – {}", super::format::date(f, lang), super::format::date(u, lang))),
        (Some(f), None) => Some(lang.in_force_from(&super::format::date(f, lang))),
        (None, Some(u)) => Some(lang.valid_until(&super::format::date(u, lang))),
        (None, None) => None,
    };
    html! {
        <>
            if let Some(sum) = &pol.summary { <p class="pm-summary-text">{ lang.pick(sum) }</p> }
            <dl class="pm-dl">
                if let Some(a) = &pol.application {
                    if let Some(w) = &a.window { <dt>{ s.window }</dt><dd>{ lang.pick(w) }</dd> }
                    if let Some(o) = &a.office { <dt>{ s.office }</dt><dd>{ lang.pick(o) }</dd> }
                    if !a.materials.is_empty() {
                        <dt>{ s.materials }</dt>
                        <dd><ul>{ for a.materials.iter().map(|m| html! { <li>{ lang.pick(m) }</li> }) }</ul></dd>
                    }
                }
                if let Some(v) = validity { <dt>{ lang.either("有效期", "In force") }</dt><dd>{ v }</dd> }
            </dl>
            if !pol.notes.is_empty() {
                <h5 class="pm-h5">{ s.notes }</h5>
                <ul class="pm-notes">{ for pol.notes.iter().map(|n| html! { <li>{ lang.pick(n) }</li> }) }</ul>
            }
            if !pol.sources.is_empty() {
                <h5 class="pm-h5">{ s.sources }</h5>
                <ul class="pm-sources">
                    { for pol.sources.iter().map(|l| html! {
                        <li><a href={l.url.0.clone()} target="_blank" rel="noopener noreferrer">
                            { l.label.as_ref().map_or(l.url.0.as_str(), |t| lang.pick(t)) }
                        </a></li>
                    }) }
                </ul>
            }
        </>
    }
}
