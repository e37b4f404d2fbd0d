//! "Which policies does this enterprise qualify for, and why": the
//! library behind a JSON web service, played with stdin and stdout.
//!
//! The catalogues are parsed and compiled once and shared by the worker
//! threads, each with its own [`Matcher`]. Each line of stdin is one
//! request, `{"profile": {…}, "lang": "en", "explain": "policy_id"}`
//! (`lang` and `explain` optional); each line of stdout is its answer.
//!
//! ```sh
//! echo '{"lang": "en", "explain": "cit_small_low_profit_enterprise",
//!        "profile": {"id": "acme", "employees_total_2025": 120, "cit_taxable_income_2025_cny": 2800000}}' | tr -d '\n' |
//!   cargo run --example service -- www/catalogues/cn-national-2026.json www/catalogues/example-zone.json --as-of 2026-07-01
//! ```
use std::io::{BufRead, Write};
use std::process::ExitCode;

use policy_match::catalogue::{Catalogue, Criterion};
use policy_match::matching::{Matcher, Profile, Verdict};
use policy_match::rules::Date;
use policy_match::Lang;
use serde_json::{json, Value as Json};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (files, as_of) = match args.iter().position(|a| a == "--as-of") {
        Some(i) => (&args[..i], args.get(i + 1).map(|d| d.parse::<Date>())),
        None => (&args[..], None),
    };
    let as_of = match as_of {
        Some(Ok(d)) => d,
        Some(Err(e)) => return fail(&json!({"error": {"type": "usage", "message": e.to_string()}})),
        None => today_in_china(),
    };
    // Load once, at start-up. A bad catalogue stops the service with every error located.
    let mut texts = Vec::new();
    for f in files {
        match std::fs::read_to_string(f) {
            Ok(t) => texts.push((f.as_str(), t)),
            Err(e) => return fail(&json!({"error": {"type": "io", "message": format!("{f}: {e}")}})),
        }
    }
    let sources: Vec<(&str, &str)> = texts.iter().map(|(f, t)| (*f, t.as_str())).collect();
    let cat = match Catalogue::from_sources(&sources) {
        Ok(c) => c,
        Err(errors) => {
            let errors: Vec<Json> = errors
                .0
                .iter()
                .map(|e| {
                    let mut j = serde_json::to_value(e).unwrap_or_default();
                    j["message_zh"] = e.message_zh().into();
                    j
                })
                .collect();
            return fail(&json!({"error": {"type": "catalogue", "errors": errors}}));
        }
    };

    let requests: Vec<String> = std::io::stdin().lock().lines().map_while(Result::ok).filter(|l| !l.trim().is_empty()).collect();
    // Several threads share the one compiled catalogue; each has its own Matcher.
    let workers = 2;
    let answers: Vec<Vec<(usize, Json)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let (cat, requests) = (&cat, &requests);
                s.spawn(move || {
                    let mut matcher = Matcher::new(cat, as_of);
                    requests.iter().enumerate().skip(w).step_by(workers).map(|(i, r)| (i, handle(cat, &mut matcher, r))).collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
    });
    let mut answers: Vec<(usize, Json)> = answers.into_iter().flatten().collect();
    answers.sort_by_key(|(i, _)| *i);
    let mut out = std::io::stdout().lock();
    for (_, a) in answers {
        let _ = writeln!(out, "{a}");
    }
    ExitCode::SUCCESS
}

/// Today's date in China Standard Time (UTC+8), not in UTC.
fn today_in_china() -> Date {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Date::from_unix_seconds(i64::try_from(now).unwrap_or(0), 8 * 3600)
}

fn fail(error: &Json) -> ExitCode {
    eprintln!("{error}");
    ExitCode::from(1)
}

/// One request: a JSON line in, a JSON answer out.
fn handle(cat: &Catalogue, matcher: &mut Matcher<'_>, request: &str) -> Json {
    let request: Json = match serde_json::from_str(request) {
        Ok(r) => r,
        Err(e) => return json!({"error": {"type": "syntax", "message": e.to_string(), "line": e.line(), "column": e.column()}}),
    };
    let lang = Lang::from_tag(request["lang"].as_str().unwrap_or("zh"));
    let profile = match Profile::from_json(cat, &request["profile"]) {
        Ok(p) => p,
        Err(e) => {
            let message = match lang {
                Lang::Zh => e.message_zh(),
                Lang::En => e.to_string(),
            };
            return json!({"error": {"type": e.kind(), "message": message}});
        }
    };
    let evaluation = matcher.evaluate(&profile);

    let policies: Vec<Json> = evaluation
        .results
        .iter()
        .filter_map(|r| {
            let policy = r.policy_in(cat)?;
            Some(json!({
                "id": policy.id,
                "title": lang.pick(&policy.title),
                "verdict": r.verdict,
                "in_force": r.in_force,
                "failed": described(r.failed_in(cat), lang),
                "undecided": described(r.undecided_in(cat), lang),
                "missing": r.missing_in(cat).map(|f| lang.pick(&f.def.label)).collect::<Vec<_>>(),
                "near_misses": r.near_misses.iter().map(|n| lang.pick(&n.message()).to_string()).collect::<Vec<_>>(),
                "within_reach": r.within_reach,
                // The Benefit itself serialises its amount as a number.
                "benefit": r.benefit,
                "benefit_text": policy.benefit.as_ref().map(|t| lang.pick(t)),
            }))
        })
        .collect();
    let ask_next: Vec<Json> = evaluation
        .ask_next()
        .iter()
        .map(|a| {
            let field = cat.field(&a.field).map(|f| lang.pick(&f.def.label)).unwrap_or_default();
            json!({"field": a.field, "label": field, "decides": a.decides, "policies": a.policies})
        })
        .collect();
    let explanation = match request["explain"].as_str() {
        None => Json::Null,
        Some(id) => match cat.policy_index(id) {
            Some(i) => serde_json::to_value(evaluation.explain(i)).unwrap_or_default(),
            None => {
                let message = match lang {
                    Lang::Zh => format!("政策目录中没有编号为 `{id}` 的政策"),
                    Lang::En => format!("no policy `{id}` in the catalogues"),
                };
                json!({"error": {"type": "unknown-policy", "message": message}})
            }
        },
    };
    let qualifies = evaluation.results.iter().filter(|r| r.verdict == Verdict::Qualifies).count();
    json!({
        "profile": profile.id,
        "qualifies": qualifies,
        "policies": policies,
        "ask_next": ask_next,
        "issues": profile.issues.iter().map(|i| match lang { Lang::Zh => i.to_string_zh(), Lang::En => i.to_string() }).collect::<Vec<_>>(),
        "explanation": explanation,
    })
}

/// Criteria as a client shows them: id and description in its language.
fn described<'c>(criteria: impl Iterator<Item = &'c Criterion>, lang: Lang) -> Vec<Json> {
    criteria.map(|c| json!({"id": c.id, "description": lang.pick(&c.description)})).collect()
}
