//! The printable report: every policy's verdict with its criteria (✓ / ✗ / ?,
//! the values behind what failed, what is missing), the estimated value and
//! the answers given. The print stylesheet prints only this.

use yew::prelude::*;

use super::app::Env;
use super::format;
use super::results::{mark, summary};
use super::state::State;
use super::view::{self, criterion_view, Mark};
use crate::matching::Verdict;

/// The report (the root focuses its heading when it opens).
pub fn report(env: &Env, p: &State, on_back: Callback<()>, on_print: Callback<()>) -> Html {
    let (lang, s, cat) = (env.lang, env.lang.s(), &env.cat);
    let g = view::groups(cat, &p.outcome, &Default::default());
    let (q, u, n) = p.outcome.counts();
    let total = view::estimated_total(cat, &p.outcome).filter(|t| !t.is_zero());
    let catalogues = cat
        .sources
        .iter()
        .map(|c| format!("{} · {} {}", lang.pick(&c.title), lang.either("版本", "version"), c.version))
        .collect::<Vec<_>>()
        .join(lang.either("；", "; "));
    let item = |i: u32| {
        let Some(pol) = cat.policies.get(i as usize) else { return Html::default() };
        let r = &p.outcome.results[i as usize];
        let amount = r.benefit.as_ref().and_then(|b| b.amount).filter(|a| !a.is_zero());
        let criteria = p.outcome.explanation(i).map(|e| e.criteria.iter().map(|c| criterion_view(cat, c, lang)).collect::<Vec<_>>()).unwrap_or_default();
        let missing = format::join(r.missing.iter().filter_map(|&f| cat.fields.get(f as usize)).map(|f| lang.pick(&f.def.label).to_string()), lang);
        html! {
            <div class="pm-report-item" key={i}>
                <h4 class="pm-report-title">
                    <span>{ lang.pick(&pol.title) }</span>
                    if let Some(a) = amount {
                        <span class="pm-report-amount">{ if r.verdict == Verdict::Undecided { format!("{}{}{}", s.if_qualifies, s.colon, view::amount_text(a, lang)) } else { view::amount_text(a, lang) } }</span>
                    }
                </h4>
                <p class="pm-report-meta">{ lang.pick(&pol.issuer) }{ if pol.documents.is_empty() { String::new() } else { format!(" · {}", pol.documents.join(lang.either("；", "; "))) } }</p>
                // Met criteria in one line; the others each with the values behind them.
                if criteria.iter().any(|c| c.mark == Mark::Met) {
                    <p class="pm-report-met">
                        { for criteria.iter().filter(|c| c.mark == Mark::Met).map(|c| html! {
                            <span class="pm-report-met-item">{ mark(c.mark, lang) }{ c.description.clone() }</span>
                        }) }
                    </p>
                }
                <ul class="pm-report-crit">
                    { for criteria.iter().filter(|c| c.mark != Mark::Met).map(|c| {
                        let facts: Vec<String> = c.rows.iter().filter(|r| r.mark.is_some_and(|m| m != Mark::Met) && r.actual.is_some()).take(2).map(|r| {
                            let need = r.required.as_ref().map(|q| { let (o, c) = lang.either(("（", "）"), (" (", ")")); format!("{o}{}{}{q}{c}", s.needs, s.colon) }).unwrap_or_default();
                            format!("{}{}{}{need}", r.label, s.colon, r.actual.clone().unwrap_or_default())
                        }).collect();
                        html! {
                            <li class={format!("pm-crit-{}", c.mark.class())}>
                                { mark(c.mark, lang) }{ c.description.clone() }
                                if !facts.is_empty() { <span class="pm-report-facts">{ format!(" — {}", facts.join(lang.either("；", "; "))) }</span> }
                                { for c.near.iter().map(|t| html! { <span class="pm-report-facts">{ format!(" — {}{}{t}", s.within_reach, s.colon) }</span> }) }
                            </li>
                        }
                    }) }
                </ul>
                if r.verdict == Verdict::Undecided && !missing.is_empty() {
                    <p class="pm-report-missing">{ s.missing }{ " " }{ missing }</p>
                }
            </div>
        }
    };
    let group = |title: &'static str, items: &[u32], key: &'static str| {
        html! {
            <section class={format!("pm-report-group pm-group-{key}")}>
                <h3 class="pm-group-h"><span class="pm-dot" aria-hidden="true"></span>{ title }<span class="pm-count">{ items.len() }</span></h3>
                if items.is_empty() { <p class="pm-empty">{ s.none_here }</p> }
                { for items.iter().map(|&i| item(i)) }
            </section>
        }
    };
    let answers: Vec<(String, String)> = cat
        .fields
        .iter()
        .zip(&p.profile.values)
        .filter(|(_, v)| v.is_provided())
        .map(|(f, v)| (lang.pick(&f.def.label).to_string(), format::value(v, Some(&f.def), None, lang)))
        .collect();
    html! {
        <article class="pm-report" aria-labelledby={format!("{}-report-h", env.prefix)}>
            <header class="pm-report-head">
                <div>
                    <h2 class="pm-report-h" id={format!("{}-report-h", env.prefix)} tabindex="-1">{ s.report }</h2>
                    <p class="pm-report-meta">
                        { format!("{}{}{}", s.report_as_of, s.colon, format::date(env.as_of, lang)) }
                        <br />
                        { format!("{}{}{catalogues}", s.report_catalogue, s.colon) }
                    </p>
                </div>
                <div class="pm-report-actions">
                    <button type="button" class="pm-btn pm-btn-primary" onclick={on_print.reform(|_: MouseEvent| ())}>{ s.print }</button>
                    <button type="button" class="pm-btn pm-btn-quiet" onclick={on_back.reform(|_: MouseEvent| ())}>{ s.report_back }</button>
                </div>
            </header>
            { summary(lang, q, u, n, total.map(|t| view::amount_text(t, lang))) }
            <div class="pm-report-body">
                { group(s.qualifies, &g.qualifies, "qualifies") }
                { group(s.not_qualify, &g.not_qualify, "not") }
                { group(s.undecided, &g.undecided, "undecided") }
            </div>
            if !answers.is_empty() {
                <section class="pm-report-answers">
                    <h3 class="pm-h3">{ s.report_answers }</h3>
                    <p class="pm-report-answer-list">{ for answers.into_iter().map(|(l, v)| html! { <span class="pm-report-answer"><span class="pm-report-answer-l">{ l }</span>{ s.colon }<strong>{ v }</strong></span> }) }</p>
                </section>
            }
            <p class="pm-disclaimer">{ s.report_disclaimer }</p>
        </article>
    }
}
