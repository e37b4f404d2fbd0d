//! The README's worked example compiles, and behaves as its text says.

use policy_match::catalogue::Catalogue;
use policy_match::matching::{Profile, Verdict};

use crate::util::root;

#[test]
fn worked_example_compiles_and_matches() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme.find("### A worked example").expect("section");
    let block = &readme[start..];
    let json_start = block.find("```json\n").expect("json block") + 8;
    let json_end = block[json_start..].find("```").expect("block end") + json_start;
    let cat = Catalogue::from_json("README.md", &block[json_start..json_end]).unwrap_or_else(|e| panic!("{e}"));
    assert!(cat.warnings(Some("2026-07-01".parse().unwrap())).is_empty());
    let p = Profile::from_json_str(&cat, r#"{"employees_total_2025": 300, "tech_staff_2025": 30, "hnte_certificate_issue_date": "2024-11-01"}"#).unwrap();
    let r = cat.evaluate(&p, "2026-07-01".parse().unwrap());
    assert_eq!(r.results[0].verdict, Verdict::Qualifies);
    assert_eq!(r.results[0].benefit.as_ref().unwrap().amount, Some(60000.into()));
}

/// Every rule under "Typical criteria" compiles as a criterion of a zone
/// catalogue on the national one (the fields they name are the national
/// catalogue's), with no warning.
#[test]
fn typical_criteria_compile_against_the_national_catalogue() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme.find("Typical criteria (").expect("section");
    let block = &readme[start..];
    let json_start = block.find("```json\n").expect("json block") + 8;
    let json_end = block[json_start..].find("```").expect("block end") + json_start;
    let rules: Vec<serde_json::Value> =
        serde_json::Deserializer::from_str(&block[json_start..json_end]).into_iter().collect::<Result<_, _>>().unwrap_or_else(|e| panic!("{e}"));
    assert!(rules.len() >= 4, "{rules:?}");
    let policies: Vec<serde_json::Value> = rules
        .into_iter()
        .enumerate()
        .map(|(i, rule)| {
            serde_json::json!({"id": format!("typical_{i}"), "title": {"zh": "例", "en": "e.g."}, "issuer": {"zh": "局", "en": "Bureau"},
                "category": "other", "criteria": [{"id": "C1", "description": {"zh": "条件", "en": "condition"}, "rule": rule}]})
        })
        .collect();
    let zone = serde_json::json!({"format": "policy-match/catalogue@1", "id": "readme-zone", "title": {"zh": "例", "en": "e.g."},
        "version": "1", "updated": "2026-07-01", "extends": ["cn-national-2026"], "policies": policies})
    .to_string();
    let national = std::fs::read_to_string(root().join("www/catalogues/cn-national-2026.json")).unwrap();
    let cat = Catalogue::from_sources(&[("cn-national-2026.json", &national), ("README.md", &zone)]).unwrap_or_else(|e| panic!("{e}"));
    let w = cat.warnings(Some("2026-07-01".parse().unwrap()));
    assert!(w.is_empty(), "{w:#?}");
}

/// The README's library example, as it is written there (the lines of its
/// ```rust block, spaces collapsed, must appear in this function), compiles
/// and does what its comments say.
#[test]
#[allow(unused_variables)]
fn library_example_compiles_and_runs() -> Result<(), Box<dyn std::error::Error>> {
    use policy_match::matching::Matcher;
    let many_profiles: Vec<Profile> = Vec::new();
    // The README's example, verbatim from here (cargo runs tests in the
    // package root, so the relative path works):
    let national = std::fs::read_to_string("www/catalogues/cn-national-2026.json")?;
    let cat = Catalogue::from_sources(&[("cn-national-2026.json", &national)])?; // parse + compile once
    let mut matcher = Matcher::new(&cat, "2026-07-01".parse()?);

    let profile = Profile::from_json_str(&cat, r#"{"id": "acme", "employees_total_2025": 300}"#)?;
    let evaluation = matcher.evaluate(&profile); // one profile, with explanations
    let tree = evaluation.explain(0); // the first policy's explanation tree
    let next = evaluation.ask_next(); // what to ask next

    for p in &many_profiles {
        let verdicts = matcher.verdicts(p); // many profiles: verdicts only, fast
    }
    // … to here.
    assert_eq!(tree.expect("policy 0 exists").policy, cat.policies[0].id);
    assert!(!next.is_empty(), "a profile with one answer has questions left");

    let readme = std::fs::read_to_string(root().join("README.md"))?;
    let start = readme.find("## The library").expect("section");
    let block = &readme[start..];
    let code_start = block.find("```rust\n").expect("rust block") + 8;
    let code_end = block[code_start..].find("```").expect("block end") + code_start;
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let this = norm(include_str!("readme.rs"));
    for line in block[code_start..code_end].lines().map(norm).filter(|l| !l.is_empty()) {
        if line.starts_with("use ") {
            continue;
        }
        assert!(this.contains(&line), "README library example line not in this test: {line}");
    }
    Ok(())
}
