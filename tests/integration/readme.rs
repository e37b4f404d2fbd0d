//! The README's worked example compiles, and behaves as its text says.

use policy_match::catalogue::Catalogue;
use policy_match::matching::{Profile, Verdict};

use crate::util::root;

#[test]
fn worked_example_compiles_and_matches() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let cat = Catalogue::from_json("README.md", fenced(&readme, "### A worked example", "json")).unwrap_or_else(|e| panic!("{e}"));
    assert!(cat.warnings(Some("2026-07-01".parse().unwrap())).is_empty());
    let p = Profile::from_json_str(&cat, r#"{"employees_total_2025": 300, "tech_staff_2025": 30, "hnte_certificate_issue_date": "2024-11-01"}"#).unwrap();
    let r = cat.evaluate(&p, "2026-07-01".parse().unwrap());
    assert_eq!(r.results[0].verdict, Verdict::Qualifies);
    assert_eq!(r.results[0].benefit.as_ref().unwrap().amount, Some(60000.into()));
    // C2: a certificate is valid for 3 years from its issue date (derived
    // `hnte_certificate_expiry`): issued 2023-07-02, it is still valid on
    // 2026-07-01; issued 2023-07-01, it expired that day.
    for (issued, verdict) in [("2023-07-02", Verdict::Qualifies), ("2023-07-01", Verdict::DoesNotQualify)] {
        let text = format!(r#"{{"employees_total_2025": 300, "tech_staff_2025": 30, "hnte_certificate_issue_date": "{issued}"}}"#);
        let p = Profile::from_json_str(&cat, &text).unwrap();
        let r = cat.evaluate(&p, "2026-07-01".parse().unwrap());
        assert_eq!(r.results[0].verdict, verdict, "{issued}");
    }
}

/// Every rule under "Typical criteria" compiles as a criterion of a zone
/// catalogue on the national one (the fields they name are the national
/// catalogue's), with no warning.
#[test]
fn typical_criteria_compile_against_the_national_catalogue() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let rules: Vec<serde_json::Value> = serde_json::Deserializer::from_str(fenced(&readme, "Typical criteria (", "json"))
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}"));
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
    let national = crate::util::read(crate::util::NATIONAL);
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
    // The text below the example: a zone with what it extends; a bad value is an issue.
    let zone = std::fs::read_to_string("www/catalogues/example-zone.json")?;
    let both = Catalogue::from_sources(&[("cn-national-2026.json", &national), ("example-zone.json", &zone)])?;
    assert!(both.policies.len() > cat.policies.len());
    let p = Profile::from_json_str(&cat, r#"{"employees_total_2025": "many"}"#)?;
    assert_eq!(p.issues.len(), 1);
    assert_eq!(p.issues[0].field, "employees_total_2025");

    let readme = std::fs::read_to_string(root().join("README.md"))?;
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let this = norm(include_str!("readme.rs"));
    for line in fenced(&readme, "## The library", "rust").lines().map(norm).filter(|l| !l.is_empty()) {
        if line.starts_with("use ") {
            continue;
        }
        assert!(this.contains(&line), "README library example line not in this test: {line}");
    }
    Ok(())
}

/// The text of the first fenced block in `lang` (```json, ```rust) after
/// `marker` in `doc`.
fn fenced<'a>(doc: &'a str, marker: &str, lang: &str) -> &'a str {
    let start = doc.find(marker).unwrap_or_else(|| panic!("no {marker:?}"));
    let block = &doc[start..];
    let fence = format!("```{lang}\n");
    let code_start = block.find(&fence).unwrap_or_else(|| panic!("no {lang} block after {marker:?}")) + fence.len();
    let code_end = block[code_start..].find("```").expect("block end") + code_start;
    &block[code_start..code_end]
}

/// The keys of a JSON object, sorted.
fn keys(v: &serde_json::Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap_or_else(|| panic!("not an object: {v}")).keys().cloned().collect();
    k.sort();
    k
}

/// The README's `match --format json` example has the shape the CLI prints
/// (other tools read this contract): the same keys at every level (a
/// result's `conflicts`, described below the example, appears only when
/// there are conflicts), the same types, and a policy and field of the
/// national catalogue.
#[test]
fn match_json_example_has_the_cli_output_shape() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let example: serde_json::Value =
        serde_json::from_str(fenced(&readme, "`--format json` prints one object per profile", "json")).unwrap_or_else(|e| panic!("README example: {e}"));
    let national = root().join("www/catalogues/cn-national-2026.json");
    let cat = Catalogue::from_json("cn-national-2026.json", &std::fs::read_to_string(&national).unwrap()).unwrap();
    let dir = root().join("target/cli-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let profiles = dir.join("readme-json-contract.json");
    // A small company with taxable income under ¥3m (qualifies for the
    // small low-profit CIT relief) and two profile mistakes (`issues`).
    std::fs::write(
        &profiles,
        r#"{"id": "acme", "entity_type": "company", "is_resident_enterprise": true, "industry_restricted_or_prohibited": false,
            "cit_taxable_income_2025_cny": 800000, "cit_total_assets_quarterly_avg_2025_cny": 20000000, "cit_headcount_quarterly_avg_2025": 50,
            "employees_total_2025": "many", "colour": "red"}"#,
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_policy-match"))
        .args(["match", "--catalogue"])
        .arg(&national)
        .arg("--profiles")
        .arg(&profiles)
        .args(["--as-of", "2026-07-01", "--format", "json"])
        .output()
        .unwrap();
    let real: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));

    let (ex, re) = (&example[0], &real[0]);
    assert_eq!(re["profile"], ex["profile"]);
    let mut ex_keys = keys(ex);
    ex_keys.push("issues".into()); // described below the example
    ex_keys.sort();
    assert_eq!(keys(re), ex_keys);
    let ex_result = &ex["results"][0];
    let policy = ex_result["policy"].as_str().unwrap();
    assert!(cat.policy_index(policy).is_some(), "{policy}");
    let re_result = re["results"].as_array().unwrap().iter().find(|r| r["policy"] == policy).expect("the example's policy");
    assert_eq!(re_result["verdict"], "qualifies", "{re_result}");
    assert_eq!(keys(re_result), keys(ex_result));
    for (k, v) in ex_result.as_object().unwrap() {
        let same_type = std::mem::discriminant(v) == std::mem::discriminant(&re_result[k]);
        assert!(same_type, "{k}: README {v}, CLI {}", re_result[k]);
    }
    assert_eq!(keys(&re_result["benefit"]), keys(&ex_result["benefit"]));
    let ex_ask = &ex["ask_next"][0];
    assert!(cat.fields.iter().any(|f| f.name() == ex_ask["field"]), "{ex_ask}");
    assert_eq!(keys(&re["ask_next"][0]), keys(ex_ask));
    // `issues`: the keys the README lists after the example (`row` only for CSV rows).
    let issue_keys = ["field", "message", "message_zh", "raw", "type"];
    let mut types: Vec<&str> = re["issues"].as_array().unwrap().iter().map(|i| i["type"].as_str().unwrap()).collect();
    types.sort_unstable();
    assert_eq!(types, ["invalid-value", "unknown-field"]);
    for i in re["issues"].as_array().unwrap() {
        assert_eq!(keys(i), issue_keys);
    }
}

/// The batch guide's mapping file example reads, and maps its three columns
/// onto the national catalogue without an error or a warning.
#[test]
fn batch_guide_mapping_example_resolves() {
    use policy_match::batch::{self, mapping::Mapping, ImportOptions};
    let guide = std::fs::read_to_string(root().join("docs/batch.md")).unwrap();
    let m = Mapping::from_json(fenced(&guide, "## 2. 对应关系文件", "json")).unwrap_or_else(|e| panic!("{e}"));
    let national = crate::util::read(crate::util::NATIONAL);
    let cat = Catalogue::from_json("cn-national-2026.json", &national).unwrap();
    let table = batch::import("企业名称,营业收入（万元）,职工人数\n甲公司,320,45\n".as_bytes(), &ImportOptions::default()).unwrap();
    let r = m.resolve(&cat, &table).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.key, Some(0));
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.columns.iter().filter(|c| c.is_some()).count(), 2);
}
