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

/// The `policy-match` binary, ready for arguments.
pub fn bin() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_policy-match"))
}

/// Write `text` to `target/<dir>/<name>` (a name per test: tests run in
/// parallel) and return its path.
pub fn write_tmp(dir: &str, name: &str, text: &str) -> std::path::PathBuf {
    let dir = root().join("target").join(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// The national catalogue, from the repository root.
pub const NATIONAL: &str = "www/catalogues/cn-national-2026.json";
/// The example zone catalogue (extends the national one).
pub const ZONE: &str = "www/catalogues/example-zone.json";

/// A file of the repository, by its path from the root.
pub fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The catalogue files at these paths (from the repository root), composed
/// in order, each named by its file name; panics with the errors.
pub fn catalogues(paths: &[&str]) -> Catalogue {
    let texts: Vec<(&str, String)> = paths.iter().map(|p| (p.rsplit('/').next().unwrap_or(p), read(p))).collect();
    let sources: Vec<(&str, &str)> = texts.iter().map(|(name, text)| (*name, text.as_str())).collect();
    Catalogue::from_sources(&sources).unwrap_or_else(|e| panic!("{e}"))
}

/// Resolve `mapping` against the table and match every row as of
/// 2026-07-01; panics with a mapping error.
#[cfg(feature = "batch")]
pub fn run_batch(cat: &Catalogue, t: &policy_match::batch::Table, mapping: &policy_match::batch::Mapping) -> policy_match::batch::BatchResult {
    use policy_match::batch::{self, BatchOptions};
    let resolved = mapping.resolve(cat, t).unwrap_or_else(|e| panic!("{e}"));
    batch::run(cat, t, &resolved, &BatchOptions::new("2026-07-01".parse().unwrap()))
}
