//! Equivalence check for engine optimisations: prints a digest of every
//! observable output (errors, warnings, verdicts, reports, ask-next,
//! explanation trees, criterion records) for seeded synthetic catalogues,
//! mutated catalogues and every data-driven case file. Run it before and
//! after a change and diff the outputs:
//!
//! ```sh
//! cargo run --release --example golden -- www/catalogues/cn-national-2026.json tests/cases > /tmp/before.txt
//! # ... change the engine ...
//! cargo run --release --example golden -- www/catalogues/cn-national-2026.json tests/cases > /tmp/after.txt
//! diff /tmp/before.txt /tmp/after.txt
//! ```
use std::fmt::Write as _;

use policy_match::cases::rule_catalogue;
use policy_match::catalogue::Catalogue;
use policy_match::matching::{Matcher, Profile};
use policy_match::rules::{Date, Value};
use policy_match::synth::{self, Rng};
use serde_json::{json, Value as Json};

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Everything one profile's evaluation shows, as text.
fn dump_profile(cat: &Catalogue, m: &mut Matcher<'_>, p: &Profile, key: usize) -> [String; 5] {
    let verdicts = format!("{:?}", m.verdicts(p));
    let e = m.evaluate(p);
    let report = serde_json::to_string(&e.report(Json::from(key))).unwrap_or_default();
    let results = format!("{:?}", e.results);
    let mut trees = String::new();
    // Out of order on purpose: explanations must not depend on call order.
    let n = cat.policies.len() as u32;
    for pi in (0..n).rev().chain([n, n + 7]) {
        let _ = write!(trees, "{}|", serde_json::to_string(&e.explain(pi)).unwrap_or_default());
    }
    let mut recs = String::new();
    for pol in &cat.policies {
        for c in &pol.criteria {
            let _ = write!(recs, "{:?};", e.criterion_record(c.node));
        }
    }
    [verdicts, report, results, trees, recs]
}

fn eval_all(label: &str, cat: &Catalogue, profiles: &[Profile], as_of: Date, full: bool) {
    let mut m = Matcher::new(cat, as_of);
    for (i, p) in profiles.iter().enumerate() {
        let parts = dump_profile(cat, &mut m, p, i);
        if full {
            println!("{label} #{i}");
            for part in &parts {
                println!("  {part}");
            }
        } else {
            let hs: Vec<String> = parts.iter().map(|s| format!("{:016x}", fnv(s))).collect();
            println!("{label} #{i} {}", hs.join(" "));
        }
    }
    // Repeat the first profiles after the others: reused buffers must not leak state.
    for (i, p) in profiles.iter().enumerate().take(3) {
        let parts = dump_profile(cat, &mut m, p, i);
        let hs: Vec<String> = parts.iter().map(|s| format!("{:016x}", fnv(s))).collect();
        println!("{label} again #{i} {}", hs.join(" "));
    }
}

fn blanked(cat: &Catalogue, n: usize, seed: u64, percent: u64) -> Vec<Profile> {
    let mut ps = synth::profiles(cat, n, seed);
    let mut r = Rng::new(seed ^ 77);
    for p in &mut ps {
        for v in &mut p.values {
            if r.percent(percent) {
                *v = Value::Missing;
            }
        }
    }
    ps
}

fn compile_result(label: &str, files: &[(&str, &str)]) -> Option<Catalogue> {
    match Catalogue::from_sources(files) {
        Ok(c) => {
            let w = serde_json::to_string(&c.warnings(Some(Date::from_ymd(2026, 7, 1).unwrap_or(Date::EPOCH)))).unwrap_or_default();
            println!("{label} ok nodes-ish warnings={}", w);
            Some(c)
        }
        Err(e) => {
            println!("{label} err {} | {}", serde_json::to_string(&e).unwrap_or_default(), e);
            None
        }
    }
}

fn mutations(label: &str, text: &str, count: usize, seed: u64, from: usize) {
    let mut r = Rng::new(seed);
    let junk = ["[", "]", "{", "}", "\"", ",", ":", "0", "1.5", "x", "\"var\"", "null", "true", "-", "1e999", "\\u00e9", "标"];
    let bytes = text.len();
    for i in 0..count {
        let mut t = text.to_string();
        let edits = 1 + r.below(2);
        for _ in 0..edits {
            let mut pos = from + r.below(bytes.saturating_sub(from).max(1) as u64) as usize;
            while !t.is_char_boundary(pos.min(t.len())) {
                pos += 1;
            }
            let pos = pos.min(t.len());
            match r.below(3) {
                0 => t.insert_str(pos, junk[r.below(junk.len() as u64) as usize]),
                1 => {
                    let mut end = (pos + 1 + r.below(6) as usize).min(t.len());
                    while !t.is_char_boundary(end) {
                        end += 1;
                    }
                    t.replace_range(pos..end, "");
                }
                _ => {
                    // Swap a string's content for a near name (typos in identifiers).
                    if let Some(q) = t[pos..].find('"').map(|q| q + pos + 1) {
                        if q < t.len() && t.is_char_boundary(q) {
                            t.insert(q, 'z');
                        }
                    }
                }
            }
        }
        compile_result(&format!("{label} mut#{i}"), &[("m.json", &t)]);
    }
}

fn case_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            case_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

fn main() {
    let national_path = std::env::args().nth(1).unwrap_or_else(|| "www/catalogues/cn-national-2026.json".into());
    let national = std::fs::read_to_string(&national_path).unwrap_or_default();
    let as_of = Date::from_ymd(2026, 7, 1).unwrap_or(Date::EPOCH);

    // Synthetic catalogues: compile, warnings, evaluations.
    for (n, seed, profiles) in [(60usize, 11u64, 40usize), (200, 2026, 12), (30, 5, 40)] {
        let text = synth::catalogue(n, seed);
        let label = format!("synth{n}/{seed}");
        let Some(cat) = compile_result(&label, &[("s.json", &text)]) else { continue };
        eval_all(&format!("{label} p5"), &cat, &synth::profiles(&cat, profiles, seed), as_of, false);
        eval_all(&format!("{label} p35"), &cat, &blanked(&cat, profiles, seed, 35), as_of, false);
        eval_all(&format!("{label} p90"), &cat, &blanked(&cat, 5, seed, 90), as_of, false);
    }
    // Small synthetic catalogue in full text (readable diffs).
    let text = synth::catalogue(4, 3);
    if let Some(cat) = compile_result("synth4/3", &[("s.json", &text)]) {
        eval_all("synth4/3 full", &cat, &blanked(&cat, 6, 3, 20), as_of, true);
    }

    // National catalogue.
    if let Some(cat) = compile_result("national", &[("cn-national-2026.json", &national)]) {
        let empty = Profile::empty(&cat);
        eval_all("national empty", &cat, std::slice::from_ref(&empty), as_of, true);
        eval_all("national synth", &cat, &blanked(&cat, 10, 9, 30), as_of, false);
    }

    // Mutations: errors must be identical (messages, paths, positions).
    let s3 = synth::catalogue(3, 5);
    mutations("synth3", &s3, 400, 1, 0);
    mutations("synth3rules", &s3, 600, 4, s3.find("\"policies\"").unwrap_or(0));
    let pretty = serde_json::from_str::<Json>(&synth::catalogue(3, 5)).ok().and_then(|v| serde_json::to_string_pretty(&v).ok()).unwrap_or_default();
    mutations("synth3pretty", &pretty, 400, 2, 0);
    mutations("synth3prettyrules", &pretty, 600, 5, pretty.find("\"policies\"").unwrap_or(0));
    if !national.is_empty() {
        mutations("national", &national, 300, 3, 0);
        mutations("nationalrules", &national, 300, 6, national.find("\"policies\"").unwrap_or(0));
    }

    // Every case file, every case.
    let mut files = Vec::new();
    let cases_dir = std::env::args().nth(2).unwrap_or_else(|| "tests/cases".into());
    case_files(std::path::Path::new(&cases_dir), &mut files);
    files.sort();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else { continue };
        let Ok(file) = serde_json::from_str::<Json>(&text) else { continue };
        let fields = file.get("fields").cloned().unwrap_or_else(|| json!([]));
        let shared = match file.get("catalogue") {
            Some(Json::String(_)) => compile_result(&format!("{} shared", f.display()), &[("cn-national-2026.json", &national)]),
            Some(obj @ Json::Object(_)) => compile_result(&format!("{} shared", f.display()), &[("c.json", &obj.to_string())]),
            _ => None,
        };
        let Some(cases) = file.get("cases").and_then(Json::as_array) else { continue };
        for (i, case) in cases.iter().enumerate() {
            let label = format!("{} [{i}]", f.display());
            let case_as_of = case.get("as_of").or(file.get("as_of")).and_then(Json::as_str).and_then(|s| s.parse().ok()).unwrap_or(as_of);
            let owned;
            let cat = if let Some(rule) = case.get("rule") {
                let c = rule_catalogue(case.get("fields").unwrap_or(&fields), rule, case.get("policies").unwrap_or(&Json::Null));
                let text = serde_json::to_string_pretty(&c).unwrap_or_default();
                owned = compile_result(&label, &[("case.json", &text)]);
                owned.as_ref()
            } else if let Some(c) = case.get("catalogue") {
                let text = serde_json::to_string_pretty(c).unwrap_or_default();
                owned = compile_result(&label, &[("case.json", &text)]);
                owned.as_ref()
            } else {
                shared.as_ref()
            };
            let Some(cat) = cat else { continue };
            let Ok(profile) = Profile::from_json(cat, case.get("profile").unwrap_or(&json!({}))) else { continue };
            eval_all(&label, cat, std::slice::from_ref(&profile), case_as_of, true);
        }
    }
}
