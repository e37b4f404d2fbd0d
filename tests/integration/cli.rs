//! The CLI's contract: output shape and exit codes.

use crate::util::{bin, doc, policy, root, write_tmp};

fn tmp(name: &str, text: &str) -> std::path::PathBuf {
    write_tmp("cli-tests", name, text)
}

fn catalogue() -> std::path::PathBuf {
    // A file per call: tests run in parallel, and rewriting one shared file
    // while another test's CLI reads it gave that test a truncated catalogue.
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let fields = serde_json::json!([{"name": "staff", "type": "integer", "label": {"zh": "职工", "en": "Staff"}}]);
    tmp(&format!("cli-cat-{n}.json"), &doc(fields, serde_json::json!([policy("small", serde_json::json!({"<=": [{"var": "staff"}, 300]}))])))
}

/// `policy-match match --lang LANG --catalogue CAT --profiles PROFILES --as-of 2026-07-01 EXTRA…`.
fn match_in(lang: &str, cat: &std::path::Path, profiles: &std::path::Path, extra: &[&str]) -> std::process::Output {
    bin().args(["match", "--lang", lang, "--catalogue"]).arg(cat).arg("--profiles").arg(profiles).args(["--as-of", "2026-07-01"]).args(extra).output().unwrap()
}

#[test]
fn match_json_contract() {
    let cat = catalogue();
    let profiles = tmp("cli-profiles.json", r#"[{"id": "acme", "staff": 300}, {"staff": 301}, {}]"#);
    let out =
        bin().args(["match", "--catalogue"]).arg(&cat).arg("--profiles").arg(&profiles).args(["--as-of", "2026-07-01", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["profile"], "acme");
    assert_eq!(v[1]["profile"], 1);
    assert_eq!(v[0]["results"][0]["policy"], "small");
    assert_eq!(v[0]["results"][0]["verdict"], "qualifies");
    assert_eq!(v[1]["results"][0]["verdict"], "does_not_qualify");
    assert_eq!(v[1]["results"][0]["failed"], serde_json::json!(["C1"]));
    assert_eq!(v[2]["results"][0]["verdict"], "undecided");
    assert_eq!(v[2]["results"][0]["missing_fields"], serde_json::json!(["staff"]));
    for key in ["undecided", "near_misses", "in_force", "benefit"] {
        assert!(v[0]["results"][0].get(key).is_some(), "{key}");
    }
}

/// A JSON array with one element that is not an object: that element is
/// reported (exit 1) and the others are still evaluated, each at its own
/// position (the whole input was refused before).
#[test]
fn a_json_element_that_is_not_an_object_does_not_stop_the_others() {
    let cat = catalogue();
    let profiles = tmp("cli-profiles-mixed.json", r#"[{"id": "acme", "staff": 300}, "beta corp", {"staff": 301}]"#);
    let run = |lang: &str| match_in(lang, &cat, &profiles, &["--format", "json"]);
    let zh = String::from_utf8_lossy(&run("zh").stderr).into_owned();
    assert!(zh.contains("error[invalid-profile]: 企业 #1：第 2 个元素是文本，不是对象，未读取任何内容（值：beta corp）"), "{zh}");
    let out = run("en");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error[invalid-profile]: profile #1: element [1] is a string, not an object; nothing was read from it (value: beta corp)"),
        "{stderr}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(3));
    assert_eq!(v[0]["results"][0]["verdict"], "qualifies");
    assert_eq!(v[1]["profile"], 1);
    assert_eq!(v[1]["results"][0]["verdict"], "undecided");
    assert_eq!(v[2]["profile"], 2);
    assert_eq!(v[2]["results"][0]["verdict"], "does_not_qualify");
}

#[test]
fn csv_profiles_and_csv_output() {
    let cat = catalogue();
    let profiles = tmp("cli-profiles.csv", "id,staff,unknown_col\na,10,x\nb,lots,y\n@SUM(A1),10,z\n");
    let run = |lang: &str| match_in(lang, &cat, &profiles, &["--format", "csv"]);
    // A bad cell is a profile error: exit 1, reported, other rows still output.
    let out = run("en");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("profile b") && stderr.contains("row 3") && stderr.contains("`staff`"), "{stderr}");
    assert!(stderr.contains("warning[unknown-field]: `unknown_col` is not declared by the catalogue; ignored (3 profile(s))"), "{stderr}");
    // In Chinese (the default), the same facts.
    let zh = String::from_utf8_lossy(&run("zh").stderr).into_owned();
    let bad =
        zh.lines().find(|l| l.starts_with("error[invalid-value]: 企业 b：第 3 行：字段 `staff`：“lots”不是数字：请填写数字")).unwrap_or_else(|| panic!("{zh}"));
    assert!(bad.ends_with("（值：lots）"), "{bad}");
    assert!(zh.contains("warning[unknown-field]: `unknown_col` 不是政策目录声明的字段，已忽略（3 个企业）"), "{zh}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("profile,policy,verdict,in_force,failed,undecided,missing_fields,within_reach,near_misses,benefit_amount,benefit_conditional,benefit_missing_fields,conflicts\n"),
        "{stdout}"
    );
    assert!(stdout.contains("a,small,qualifies") && stdout.contains("b,small,undecided"), "{stdout}");
    // A profile id that a spreadsheet would open as a formula gets a leading `'`.
    assert!(stdout.contains("\n'@SUM(A1),small,qualifies"), "{stdout}");
}

#[test]
fn a_zone_spreadsheet_given_to_match_gets_a_hint_to_use_batch() {
    let cat = catalogue();
    let profiles = tmp("cli-zone.csv", "企业名称,职工人数\n甲,10\n");
    let out = bin().args(["match", "--catalogue"]).arg(&cat).arg("--profiles").arg(&profiles).args(["--as-of", "2026-07-01"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("hint:") && stderr.contains("policy-match batch"), "{stderr}");
    // With one real field read, no hint.
    let profiles = tmp("cli-zone-2.csv", "企业名称,staff\n甲,10\n");
    let out = bin().args(["match", "--catalogue"]).arg(&cat).arg("--profiles").arg(&profiles).args(["--as-of", "2026-07-01"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("hint:"));
    // Nor with a real field whose value is wrong: its error says what to fix.
    let profiles = tmp("cli-zone-3.csv", "企业名称,staff\n甲,many\n");
    let out = bin().args(["match", "--catalogue"]).arg(&cat).arg("--profiles").arg(&profiles).args(["--as-of", "2026-07-01"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[invalid-value]") && !stderr.contains("hint:"), "{stderr}");
    // Excel's 中文 CSV (GBK) is no UTF-8: the error says where to go.
    let gbk = b"\xc6\xf3\xd2\xb5,staff\n\xbc\xd7,10\n"; // 企业,staff / 甲,10
    let path = root().join("target/cli-tests/cli-zone-gbk.csv");
    std::fs::write(&path, gbk).unwrap();
    let out = bin().args(["match", "--lang", "en", "--catalogue"]).arg(&cat).arg("--profiles").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not UTF-8 text (byte 0); save it as UTF-8, or") && stderr.contains("policy-match batch"), "{stderr}");
    // In Chinese (the default) too.
    let out = bin().args(["match", "--catalogue"]).arg(&cat).arg("--profiles").arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("不是 UTF-8 文本（偏移 0 字节处）；请另存为 UTF-8") && stderr.contains("policy-match batch"), "{stderr}");
}

/// A file that cannot be read is reported once, by name, in the command's
/// language, whatever it was to hold: catalogue, profiles, mapping or
/// enterprise list; an unknown policy to explain too.
#[test]
fn unreadable_files_are_reported_in_the_commands_language() {
    let (cat, missing) = (catalogue(), root().join("target/cli-tests/no-such-file.json"));
    let profiles = tmp("cli-unreadable-profile.json", r#"{"staff": 10}"#);
    let enterprises = tmp("cli-unreadable-enterprises.csv", "name,staff\n甲,10\n");
    let [cat, missing, profiles, enterprises] = [&cat, &missing, &profiles, &enterprises].map(|p| p.to_str().unwrap());
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (vec!["match", "--catalogue", missing, "--profiles", &profiles], "error[io]", "catalogue"),
        (vec!["match", "--catalogue", &cat, "--profiles", missing], "error[profiles]", "profiles"),
        (vec!["batch", "--catalogue", &cat, "--enterprises", missing, "--out", "target/cli-tests/out-unreadable"], "error[enterprises]", "enterprises"),
        (
            vec!["batch", "--catalogue", &cat, "--enterprises", &enterprises, "--mapping", missing, "--out", "target/cli-tests/out-unreadable"],
            "error[mapping]",
            "mapping",
        ),
    ];
    for (args, kind, what) in cases {
        for (lang, reason) in [("zh", "文件不存在"), ("en", "No such file or directory")] {
            let out = bin().args(&args).args(["--lang", lang]).current_dir(root()).output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{what} {lang}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            let line = stderr.lines().find(|l| l.starts_with(kind)).unwrap_or_else(|| panic!("{what} {lang}: no {kind} in {stderr}"));
            assert!(line.starts_with(&format!("{kind}: {missing}: {reason}")), "{what} {lang}: {line}");
            assert_eq!(line.matches(missing).count(), 1, "{what} {lang}: the file is named once: {line}");
        }
    }
    let explain = |lang: &str| {
        let out = bin().args(["explain", "--catalogue", cat, "--profile", profiles, "--policy", "nope", "--lang", lang]).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert!(explain("zh").contains("error[unknown-policy]: 政策目录中没有编号为 `nope` 的政策"), "{}", explain("zh"));
    assert!(explain("en").contains("error[unknown-policy]: no policy `nope` in the catalogue(s)"), "{}", explain("en"));
}

#[test]
fn duplicate_profile_ids_are_warned_about() {
    let cat = catalogue();
    let profiles = tmp("cli-dup-ids.json", r#"[{"id": "a", "staff": 10}, {"id": "b", "staff": 20}, {"id": "a", "staff": 30}]"#);
    let run = |lang: &str| match_in(lang, &cat, &profiles, &[]);
    let out = run("en");
    assert_eq!(out.status.code(), Some(0), "a warning, not an error");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning[duplicate-id]: profiles #0, #2 all have the id `a`"), "{stderr}");
    assert!(!stderr.contains("`b`"), "{stderr}");
    let zh = String::from_utf8_lossy(&run("zh").stderr).into_owned();
    assert!(zh.contains("warning[duplicate-id]: 企业 #0、#2 的 id 都是 `a`，结果中无法区分"), "{zh}");
}

#[test]
fn check_reports_errors_with_locations_and_exit_1() {
    let bad = tmp("cli-bad.json", &doc(serde_json::json!([]), serde_json::json!([policy("p", serde_json::json!({"var": "ghost"}))])));
    let out = bin().args(["check", "--lang", "en"]).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error[unknown-field]: policy `p`") && stderr.contains("cli-bad.json:1:") && stderr.contains("policies[0].criteria[0].rule.var"),
        "{stderr}"
    );
    let ok = bin().arg("check").arg(catalogue()).output().unwrap();
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
}

#[test]
fn a_catalogue_saved_as_gbk_is_reported_at_its_line_and_column() {
    // "测试" in GBK is B2 E2 CA D4: B2 cannot start a UTF-8 character.
    let text = doc(serde_json::json!([]), serde_json::json!([policy("p", serde_json::json!(true))]));
    let at = text.find("测试").unwrap();
    let mut bytes = text.as_bytes()[..at].to_vec();
    bytes.extend([0xB2, 0xE2, 0xCA, 0xD4]);
    bytes.extend(&text.as_bytes()[at + "测试".len()..]);
    let path = root().join("target/cli-tests/cli-gbk.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, &bytes).unwrap();
    let out = bin().arg("check").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Line 1 (the document is one line), the column of the first character of "测试".
    let column = text[..at].chars().count() + 1;
    assert!(stderr.contains("error[encoding]") && stderr.contains(&format!("cli-gbk.json:1:{column}")), "{stderr}");
}

#[test]
fn check_json_reports_unreadable_files_as_json() {
    let out = bin().args(["check", "--format", "json", "no-such-catalogue.json"]).arg(catalogue()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert_eq!(v["ok"], false);
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{v}");
    assert_eq!((errors[0]["type"].as_str(), errors[0]["file"].as_str()), (Some("io"), Some("no-such-catalogue.json")));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(bin().arg("frobnicate").output().unwrap().status.code(), Some(2));
    assert_eq!(bin().args(["match", "--profiles", "x.json"]).output().unwrap().status.code(), Some(2));
    let out = bin().args(["match", "--catalogue", "a", "--profiles", "b", "--as-of", "2026-02-30"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn schema_is_json() {
    let out = bin().arg("schema").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.get("$schema").is_some());
    // The README: "the JSON Schema is schema/catalogue.schema.json (also printed by
    // `policy-match schema`)": `policy-match schema > catalogue.schema.json` gives that
    // file, byte for byte (it once added a blank line at the end).
    assert_eq!(out.stdout, std::fs::read(root().join("schema/catalogue.schema.json")).unwrap());
}

/// A reader that stops early (`policy-match explain … | head`) closes the
/// pipe: the CLI stops quietly instead of panicking ("failed printing to
/// stdout: Broken pipe").
#[cfg(unix)]
#[test]
fn closed_stdout_is_not_a_panic() {
    let national = root().join("www/catalogues/cn-national-2026.json");
    let profile = tmp("cli-closed-pipe.json", r#"{"id": "acme"}"#);
    // Run `command` with its stdout closed before the CLI (still compiling
    // the catalogue) writes: exit 0, no panic, no "Broken pipe".
    let closed = |command: &str, profile_flag: &str, format: &str, extra: &[&str]| {
        let mut child = bin()
            .args([command, "--catalogue"])
            .arg(&national)
            .arg(profile_flag)
            .arg(&profile)
            .args(extra)
            .args(["--as-of", "2026-07-01", "--format", format])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{command} {format}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{command} {format}: {stderr}");
    };
    for format in ["json", "tree", "text"] {
        closed("explain", "--profile", format, &["--policy", "hnte_recognition_eligibility"]);
    }
    // `match … | head`: the same, in every output format.
    for format in ["json", "csv", "table"] {
        closed("match", "--profiles", format, &[]);
    }
}

#[test]
fn planted_errors_are_all_found() {
    let out = bin().args(["check", "--format", "json"]).arg(root().join("tests/fixtures/planted-errors.json")).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(String, String, String)> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["type"].as_str().unwrap().to_string(), e["policy"].as_str().unwrap_or("").to_string(), format!("{}:{}", e["line"], e["column"])))
        .collect();
    let want = [
        ("invalid", "", "15:5"),
        ("unknown-reference", "", "15:53"),
        ("cycle", "", "19:60"),
        ("unknown-field", "typo_in_field", "30:34"),
        ("invalid", "bad_option_and_types", "39:22"),
        ("unknown-option", "bad_option_and_types", "42:70"),
        ("duplicate-id", "bad_option_and_types", "43:16"),
        ("type-error", "bad_option_and_types", "44:24"),
        ("unknown-reference", "cycle_one", "52:31"),
        ("cycle", "cycle_one", "53:101"),
    ];
    let want: Vec<(String, String, String)> = want.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect();
    assert_eq!(got, want);
}

/// `explain` words a verdict as the self-check widget does (labels, option
/// names, units, the answers still missing); `--format tree` keeps the
/// evaluator's operator tree for developers.
#[test]
fn explain_text_uses_labels_options_and_units() {
    let national = root().join("www/catalogues/cn-national-2026.json");
    let zone = root().join("www/catalogues/example-zone.json");
    let profile = tmp("cli-explain.json", r#"{"id": "acme", "zone_industry_chains": ["intelligent_manufacturing"], "operating_revenue_2025_cny": 8000000}"#);
    let run = |format: &str, lang: &str| {
        let out = bin()
            .args(["explain", "--catalogue"])
            .arg(&national)
            .arg(&zone)
            .arg("--profile")
            .arg(&profile)
            .args(["--policy", "zone_gazelle_enterprise_reward", "--as-of", "2026-07-01", "--format", format, "--lang", lang])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let zh = run("text", "zh");
    // Revenue 800万 < 1000万: C4 fails, so the policy does not qualify.
    assert!(zh.starts_with("zone_gazelle_enterprise_reward 瞪羚企业入库奖励（示例） — 不符合\n"), "{zh}");
    // The chain is named by its label, the revenue in 万元 against its threshold.
    assert!(zh.contains("✓ 所属本区重点产业链：智能制造（要求 包含其中任一 集成电路、"), "{zh}");
    assert!(zh.contains("✗ 2025年营业收入：800万元（要求 ≥ 1,000万元）"), "{zh}");
    assert!(zh.contains("还需回答：成立日期"), "{zh}");
    assert!(!zh.contains("intelligent_manufacturing") && !zh.contains("operating_revenue_2025_cny"), "no codes in the text:\n{zh}");
    let en = run("text", "en");
    assert!(en.contains("Intelligent manufacturing (needs includes any of Integrated circuits"), "{en}");
    assert!(en.contains("Still needed: Date of establishment"), "{en}");
    let tree = run("tree", "zh");
    assert!(tree.contains("field zone_industry_chains (所属本区重点产业链) = [intelligent_manufacturing]"), "{tree}");
    assert!(tree.contains("literal = 10000000"), "{tree}");
}

/// `explain --id` picks one profile of a file by its `id` or, for a profile
/// without one, by its index as `match` numbers it; without `--id` the first
/// is explained and a note says so; an unknown one is an error naming those
/// there are.
#[test]
fn explain_picks_a_profile_with_id() {
    let cat = root().join("tests/fixtures/batch/catalogue.json");
    let profiles = tmp("cli-explain-id.json", r#"[{"id": "甲公司", "employees_2025": 20}, {"employees_2025": 5000}, {"id": "丙公司", "employees_2025": 30}]"#);
    let run = |id: Option<&str>| {
        let mut cmd = bin();
        cmd.args(["explain", "--catalogue"]).arg(&cat).arg("--profile").arg(&profiles);
        if let Some(id) = id {
            cmd.args(["--id", id]);
        }
        let out = cmd.args(["--policy", "small_enterprise_grant", "--as-of", "2026-07-01", "--format", "tree", "--lang", "en"]).output().unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    let (code, first, note) = run(None);
    assert_eq!(code, Some(0), "{note}");
    assert!(first.contains("= 20") && note.contains("has 3 profiles; explaining the first (甲公司); choose another with --id"), "{first}\n{note}");
    for id in ["1", "#1"] {
        let (code, second, err) = run(Some(id));
        assert_eq!(code, Some(0), "{err}");
        assert!(second.contains("= 5000") && !second.contains("= 20\n"), "{second}");
        assert!(err.is_empty(), "{err}");
    }
    let (_, third, _) = run(Some("丙公司"));
    assert!(third.contains("= 30"), "{third}");
    // Profile 0 is named 甲公司, not 0, in `match`'s output.
    let (code, out, err) = run(Some("0"));
    assert_eq!((code, out.as_str()), (Some(1), ""));
    assert!(err.contains("error[unknown-profile]: no profile `0` in") && err.contains("(3 profiles: 甲公司, #1, 丙公司)"), "{err}");
}

/// A policy that cannot be claimed on the as-of date says why in the table:
/// expired on a date (not "not yet in force"), as the widget's badge does.
#[test]
fn table_says_when_a_policy_expired() {
    let national = root().join("www/catalogues/cn-national-2026.json");
    let case: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(root().join("tests/cases/profiles/software_sme_hnte.json")).unwrap()).unwrap();
    let profile = tmp("cli-expired.json", &case["cases"][0]["profile"].to_string());
    let run = |lang: &str| {
        let out = bin()
            .args(["match", "--catalogue"])
            .arg(&national)
            .arg("--profiles")
            .arg(&profile)
            .args(["--as-of", "2027-01-01", "--format", "table", "--lang", lang])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let zh = run("zh");
    assert!(zh.contains("[ui_job_stabilization_refund_2026]，预计金额 57,600元（已于2026年12月31日失效）"), "{zh}");
    assert!(!zh.contains("未生效"), "{zh}");
    assert!(run("en").contains("(Expired on 31 Dec 2026)"), "{}", run("en"));
}

/// `--format table` is read by a person: policy titles, verdicts in words,
/// failed criteria's descriptions and missing fields' labels (zh by
/// default, en with `--lang en`), no field codes; `json` and `csv` keep the
/// codes other tools read.
#[test]
fn match_table_uses_labels_while_json_and_csv_keep_codes() {
    let cat = root().join("tests/fixtures/batch/catalogue.json");
    // 甲: ¥3m revenue and 20 staff (small grant: 20 × ¥1,000), an HNTE with
    // an R&D ratio of 4.5% (needs 5%: within reach), no founding date.
    let profiles =
        tmp("cli-table-profiles.json", r#"[{"id": "甲公司", "revenue_2025_cny": 3000000, "employees_2025": 20, "is_hnte": true, "rd_ratio_2025_pct": 4.5}]"#);
    let run = |format: &str, lang: &str| {
        let out = bin()
            .args(["match", "--catalogue"])
            .arg(&cat)
            .arg("--profiles")
            .arg(&profiles)
            .args(["--as-of", "2026-07-01", "--format", format, "--lang", lang])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let zh = run("table", "zh");
    for want in [
        "== 甲公司 ==",
        "✓ 符合：小微企业补助 [small_enterprise_grant]，预计金额 20,000元",
        "≈ 差一点：高企研发奖励 [hnte_rd_reward]",
        "未满足 C2：研发费用占比不低于5%",
        "? 待定：初创企业扶持 [young_enterprise]",
        "缺少：成立日期、行政处罚日期",
        "缺少：企业规模",
    ] {
        assert!(zh.contains(want), "{want} not in\n{zh}");
    }
    for code in ["registration_date", "penalty_dates", "size_class", "rd_ratio_2025_pct"] {
        assert!(!zh.contains(code), "{code} in\n{zh}");
    }
    let en = run("table", "en");
    assert!(en.contains("✓ qualifies: Small-enterprise grant [small_enterprise_grant]"), "{en}");
    assert!(en.contains("missing: Date of establishment, Administrative penalty dates"), "{en}");
    assert!(en.contains("not met C2: R&D ratio at least 5%"), "{en}");
    // The machine formats are unchanged: field and criterion codes.
    let json: serde_json::Value = serde_json::from_str(&run("json", "zh")).unwrap();
    let young = json[0]["results"].as_array().unwrap().iter().find(|r| r["policy"] == "young_enterprise").unwrap();
    assert_eq!(young["missing_fields"], serde_json::json!(["registration_date", "penalty_dates"]));
    let hnte = json[0]["results"].as_array().unwrap().iter().find(|r| r["policy"] == "hnte_rd_reward").unwrap();
    assert_eq!(hnte["failed"], serde_json::json!(["C2"]));
    let csv = run("csv", "zh");
    assert!(csv.contains("甲公司,young_enterprise,undecided,true,,C1;C2,registration_date;penalty_dates,"), "{csv}");
    // A language the output does not have is a usage error, not Chinese without a word.
    let out = bin().args(["match", "--catalogue"]).arg(&cat).arg("--profiles").arg(&profiles).args(["--format", "table", "--lang", "fr"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("use zh (中文) or en (English)"), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty());
}

/// `explain --format tree` prints a rule nested 20 deep down to its last
/// comparison (it stopped at 12 levels, with no mark that it had).
#[test]
fn explain_tree_prints_deeply_nested_rules_to_the_bottom() {
    let mut rule = serde_json::json!({">=": [{"var": "deepest"}, 1]});
    for _ in 0..20 {
        rule = serde_json::json!({"all": [rule, true]});
    }
    let cat = crate::util::doc(
        serde_json::json!([{"name": "deepest", "type": "number", "label": {"zh": "最深", "en": "Deepest"}}]),
        serde_json::json!([crate::util::policy("p", rule)]),
    );
    let cat = tmp("cli-deep.json", &cat);
    let profile = tmp("cli-deep-profile.json", r#"{"deepest": 2}"#);
    let out = bin()
        .args(["explain", "--catalogue"])
        .arg(&cat)
        .arg("--profile")
        .arg(&profile)
        .args(["--policy", "p", "--as-of", "2026-07-01", "--format", "tree"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.lines().any(|l| l.contains("deepest") && l.contains("= 2")), "{text}");
}

/// Without `--as-of`, the date is today in China (UTC+8), where the
/// policies apply: a policy that ended yesterday there is expired, also in
/// the hours (16:00–24:00 UTC) when the date in UTC is still yesterday.
#[test]
fn the_default_as_of_date_is_today_in_china() {
    use policy_match::rules::Date;
    let now = || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let before = Date::from_unix_seconds(now(), 8 * 3600);
    let fields = serde_json::json!([{"name": "staff", "type": "integer", "label": {"zh": "职工", "en": "Staff"}}]);
    let mut p = policy("ended", serde_json::json!({"<=": [{"var": "staff"}, 300]}));
    p["valid_until"] = serde_json::json!(before.add_days(-1).to_string());
    let mut q = policy("current", serde_json::json!({"<=": [{"var": "staff"}, 300]}));
    q["valid_until"] = serde_json::json!(before.to_string());
    let cat = tmp("cli-today.json", &doc(fields, serde_json::json!([p, q])));
    let out = bin().args(["check", "--lang", "en", "--format", "json"]).arg(&cat).output().unwrap();
    if Date::from_unix_seconds(now(), 8 * 3600) != before {
        return; // midnight in Beijing passed during the test
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let expired: Vec<&str> = v["warnings"].as_array().unwrap().iter().filter(|w| w["type"] == "expired").filter_map(|w| w["policy"].as_str()).collect();
    assert_eq!(expired, ["ended"], "{v}");
}

/// The table and the worded explanation say what the JSON says of an
/// amount and of stacking: an amount still waiting for an answer, and two
/// policies that are 就高不重复 (an officer reading two ✓ with their amounts
/// would add them up).
#[test]
fn table_and_explain_show_pending_amounts_and_stacking() {
    let national = root().join("www/catalogues/cn-national-2026.json");
    let zone = root().join("tests/fixtures/authoring/sip-zone.json");
    let profiles = root().join("tests/fixtures/authoring/profiles.json");
    let run = |args: &[&str]| {
        let out = bin().args(args).arg("--catalogue").arg(&national).arg("--catalogue").arg(&zone).args(["--as-of", "2026-07-01"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let table = run(&["match", "--format", "table", "--profiles", profiles.to_str().unwrap()]);
    assert!(table.contains("新认定高新技术企业一次性奖励 [sip_hnte_first_recognition_reward]，预计金额 300,000元\n    就高不重复：与「专精特新企业奖励」只取金额较高的一项，本项较高"), "{table}");
    assert!(table.contains("就高不重复：与「新认定高新技术企业一次性奖励」只取金额较高的一项，「新认定高新技术企业一次性奖励」较高，本项不计"), "{table}");
    assert!(table.contains("[sip_innovation_points_reward]\n    预计金额还需回答：Ⅰ类知识产权数量"), "{table}");
    // explain, the second enterprise (no class-I IP count): its score is known to be 60–90.
    let arr: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&profiles).unwrap()).unwrap();
    let one = tmp("sip-profile-2.json", &arr[1].to_string());
    let text = run(&["explain", "--policy", "sip_innovation_points_reward", "--profile", one.to_str().unwrap()]);
    assert!(text.contains("  预计金额还需回答：Ⅰ类知识产权数量\n"), "{text}");
    assert!(text.contains("园区科技创新积分：60–90分（要求 ≥ 60分）"), "{text}");
    let en = run(&["explain", "--lang", "en", "--policy", "sip_innovation_points_reward", "--profile", one.to_str().unwrap()]);
    assert!(en.contains("the amount still needs: "), "{en}");
    // CSV: the same, in two columns.
    let csv = run(&["match", "--format", "csv", "--profiles", profiles.to_str().unwrap()]);
    assert!(
        csv.contains("纳微新材（虚构）,sip_hnte_first_recognition_reward,qualifies,true,,,,false,,300000,false,,take_higher:sip_srdi_reward:preferred\n"),
        "{csv}"
    );
    assert!(csv.contains(",sip_innovation_points_reward,qualifies,true,,,,false,,,,ip_class1_count,\n"), "{csv}");
}
