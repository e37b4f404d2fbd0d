//! Helpers shared by the test modules.

use policy_match::catalogue::Catalogue;

/// A catalogue document around the given fields and policies.
pub fn doc(fields: serde_json::Value, policies: serde_json::Value) -> String {
    serde_json::json!({
        "format": "policy-match/catalogue@1", "id": "t", "version": "1", "updated": "2026-01-01",
        "title": {"zh": "测试", "en": "Test"}, "fields": fields, "policies": policies
    })
    .to_string()
}

/// A one-criterion policy.
pub fn policy(id: &str, rule: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"id": id, "title": {"zh": id, "en": id}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "subsidy",
        "criteria": [{"id": "C1", "description": {"zh": "条件", "en": "condition"}, "rule": rule}]})
}

/// Compile, panicking with the errors (tests only).
pub fn compile(text: &str) -> Catalogue {
    match Catalogue::from_json("t.json", text) {
        Ok(c) => c,
        Err(e) => panic!("catalogue does not compile:\n{e}"),
    }
}

/// The repository root.
pub fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
