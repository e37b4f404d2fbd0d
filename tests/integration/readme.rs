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
