//! Runs every data-driven case file under tests/cases/ (the same runner the
//! browser tests use).

use std::fs;

use policy_match::cases::run_file;

use crate::util::root;

fn case_files() -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root().join("tests/cases")];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_case_file_passes() {
    let load = |p: &str| fs::read_to_string(root().join(p)).ok();
    let mut failures = Vec::new();
    let mut passed = 0;
    let files = case_files();
    assert!(files.len() >= 2, "case files missing");
    for f in &files {
        let text = fs::read_to_string(f).unwrap();
        match run_file(&text, &load) {
            Ok(o) => {
                passed += o.passed;
                failures.extend(o.failures.into_iter().map(|m| format!("{}: {m}", f.display())));
            }
            Err(e) => failures.push(format!("{}: {e}", f.display())),
        }
    }
    println!("{passed} data-driven cases passed in {} files", files.len());
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_browser_runner_lists_every_case_file() {
    let list = fs::read_to_string(root().join("tests/wasm_cases.rs")).unwrap();
    for f in case_files() {
        let rel = f.strip_prefix(root().join("tests")).unwrap().to_string_lossy().replace('\\', "/");
        assert!(list.contains(&format!("case!(\"{rel}\")")), "tests/wasm_cases.rs does not list {rel}");
    }
}
