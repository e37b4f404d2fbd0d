//! `policy-match check --lang zh`: every error and warning in Chinese for
//! the policy staff who edit catalogues, with the same kinds, JSON paths and
//! line:column as in English; `--format json` gives `message_zh` next to
//! `message`.

use std::process::Output;

use serde_json::{json, Value};

use super::error_paths::{bases, mutate, Rng, SEED};
use crate::util::{bin, doc, policy, root, write_tmp};
use policy_match::catalogue::{message_zh, rule_of, templates, Catalogue};

/// Write `text` to a file of its own under target/ (tests run in parallel).
fn tmp(name: &str, text: &str) -> std::path::PathBuf {
    write_tmp("cli-tests/check-zh", name, text)
}

/// `policy-match check` on `file` with `args`.
fn check(file: &std::path::Path, args: &[&str]) -> Output {
    check_all(&[file], args)
}

/// `policy-match check` on `files` (loaded together) with `args`.
fn check_all(files: &[&std::path::Path], args: &[&str]) -> Output {
    bin().arg("check").args(args).args(files).output().unwrap()
}

/// Whether `s` has Chinese text.
fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// `s` without what is quoted: `code`, "strings", “marks”.
fn unquoted(s: &str) -> String {
    let mut out = String::new();
    let mut close = None;
    for c in s.chars() {
        match close {
            Some(end) if c == end => close = None,
            Some(_) => {}
            None => match c {
                '`' => close = Some('`'),
                '"' => close = Some('"'),
                '“' => close = Some('”'),
                _ => out.push(c),
            },
        }
    }
    out
}

/// The first run of three or more ASCII words (letters) outside quotes, if
/// any: an English sentence left untranslated.
fn english_run(s: &str) -> Option<String> {
    let text = unquoted(s);
    let mut run: Vec<&str> = Vec::new();
    for token in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '\'' || c == ',' || c == ' ' || c == '(' || c == ')' || c == '-')) {
        // (A word with hyphens, such as YYYY-MM-DD, is one word.)
        for w in token.split([' ', ',', '(', ')']) {
            if w.is_empty() {
                continue;
            }
            if w.bytes().any(|b| b.is_ascii_alphabetic()) {
                run.push(w);
                if run.len() >= 3 {
                    return Some(run.join(" "));
                }
            } else {
                run.clear();
            }
        }
        run.clear();
    }
    None
}

/// Assert that a Chinese message is Chinese, with no English sentence left.
fn assert_chinese(zh: &str, en: &str) {
    assert!(has_chinese(zh), "no Chinese in {zh:?} (English: {en:?})");
    assert!(english_run(zh).is_none(), "English left in {zh:?}: {:?} (English: {en:?})", english_run(zh));
}

#[test]
fn the_english_detector_finds_english() {
    assert_eq!(english_run("未知的键 `titel`，可用的键：`id`、`title`").as_deref(), None);
    assert_eq!(english_run("JSON 格式错误：此处应为 `,` 或 `}`").as_deref(), None);
    assert!(english_run("未知的键：expected one of `a`").is_some());
    assert!(english_run("类型错误：found a string").is_some());
    assert!(!has_chinese("missing field `title`"));
}

/// Every template reads an example made from it (its holes filled), that
/// is, no earlier template takes its messages, and writes Chinese with no
/// English left.
#[test]
fn every_template_reads_its_own_example() {
    for (i, (en, zh)) in templates().iter().enumerate() {
        // A hole translated in turn gets a type; the others a name.
        let mut example = String::new();
        let mut holes = zh.match_indices('{').filter_map(|(at, _)| {
            let spec = zh[at + 1..].split('}').next()?;
            let n: usize = spec.trim_end_matches(['t', 'l']).parse().ok()?;
            Some((n, spec.ends_with('t')))
        });
        let mut translated = vec![false; en.matches("{}").count()];
        for (n, t) in holes.by_ref() {
            if let Some(x) = translated.get_mut(n) {
                *x |= t;
            }
        }
        for (k, part) in en.split("{}").enumerate() {
            if k > 0 {
                example.push_str(if translated[k - 1] { "number" } else { "x_1" });
            }
            example.push_str(part);
        }
        assert_eq!(rule_of(&example), Some(i), "template {i} {en:?}: its example {example:?} is read by another");
        let out = message_zh(&example);
        // Names, operators and the type words are the only text a few templates have.
        if !matches!(*en, "null" | "unit value" | "`all[{}]`") {
            assert_chinese(&out, &example);
        }
    }
}

/// The catalogues `error_paths.rs` makes by mutating shipped ones: every
/// error and warning is in Chinese.
#[test]
fn every_mutated_catalogue_is_reported_in_chinese() {
    let bases = bases();
    let mut r = Rng(SEED);
    let mut seen = 0;
    for k in 0..1500 {
        let t = mutate(&mut r, &bases[k % bases.len()]);
        match Catalogue::from_sources(&[("t.json", t.as_str())]) {
            Ok(c) => {
                for w in c.warnings(Some("2030-01-01".parse().unwrap())) {
                    assert_chinese(&w.message_zh(), &w.message);
                    seen += 1;
                }
            }
            Err(e) => {
                for x in &e.0 {
                    assert_chinese(&x.message_zh(), &x.error.to_string());
                    // The frame is the English one, message aside.
                    let (en, zh) = (x.to_string(), x.to_string_zh());
                    assert_eq!(en.split_once(": ").map(|p| p.0), zh.split_once(": ").map(|p| p.0), "{en}\n{zh}");
                    assert_eq!(en.lines().last(), zh.lines().last(), "{en}\n{zh}");
                    seen += 1;
                }
            }
        }
    }
    assert!(seen > 1000, "{seen} messages");
}

/// The CLI on a mutated catalogue: in text, each error's kind and location
/// line are the English run's, each message Chinese; in JSON, `message_zh`
/// is the text's message and everything else the same.
fn compare_runs(path: &std::path::Path, what: &str) -> usize {
    compare_runs_of(&[path], what)
}

/// [`compare_runs`] for catalogues loaded together.
fn compare_runs_of(paths: &[&std::path::Path], what: &str) -> usize {
    let en = check_all(paths, &["--lang", "en", "--as-of", "2030-01-01"]);
    let zh = check_all(paths, &["--as-of", "2030-01-01"]);
    assert_eq!(en.status.code(), zh.status.code(), "{what}");
    let text = |o: &Output| format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    let (en_text, zh_text) = (text(&en), text(&zh));
    // Kinds, then locations, in the same order.
    let frames = |t: &str, prefix: &str| -> Vec<String> { t.lines().filter(|l| l.starts_with(prefix)).map(str::to_string).collect() };
    let kinds = |t: &str| -> Vec<String> {
        t.lines().filter(|l| l.starts_with("error[") || l.starts_with("warning[")).map(|l| l.split(": ").next().unwrap_or("").to_string()).collect()
    };
    assert_eq!(kinds(&en_text), kinds(&zh_text), "{what}\n{en_text}\n{zh_text}");
    assert_eq!(frames(&en_text, "  --> "), frames(&zh_text, "  --> "), "{what}");
    let mut messages = Vec::new();
    for l in zh_text.lines().filter(|l| l.starts_with("error[") || l.starts_with("warning[")) {
        let m = l.split_once("]: ").map_or("", |p| p.1);
        let m = match m.strip_prefix("政策 `") {
            Some(rest) => rest.split_once("`：").map_or(rest, |p| p.1),
            None => m,
        };
        assert_chinese(m, &en_text);
        messages.push(m.to_string());
    }
    // JSON: the English message, the Chinese one, the same places.
    let json = check_all(paths, &["--format", "json", "--as-of", "2030-01-01"]);
    let v: Value = serde_json::from_slice(&json.stdout).unwrap_or_else(|e| panic!("{what}: {e}"));
    let items: Vec<&Value> = v["errors"].as_array().unwrap().iter().chain(v["warnings"].as_array().unwrap()).collect();
    assert_eq!(items.len(), messages.len(), "{what}");
    for (item, m) in items.iter().zip(&messages) {
        assert_eq!(item["message_zh"].as_str(), Some(m.as_str()), "{what}: {item}");
        assert_ne!(item["message"], item["message_zh"], "{what}: `message` stays English");
        for key in ["type", "message", "path", "file", "line", "column", "policy"] {
            assert!(item.get(key).is_some(), "{what}: {key} in {item}");
        }
    }
    messages.len()
}

#[test]
fn check_in_chinese_on_planted_errors_and_mutated_catalogues() {
    let planted = root().join("tests/fixtures/planted-errors.json");
    assert_eq!(compare_runs(&planted, "planted-errors.json"), 10);
    let bases = bases();
    let mut r = Rng(SEED);
    let mut messages = 0;
    for k in 0..1500 {
        let t = mutate(&mut r, &bases[k % bases.len()]);
        // Every 10th, through the CLI (the library test above reads them all).
        if k % 10 == 0 {
            let path = tmp(&format!("mutation-{k}.json"), &t);
            messages += compare_runs(&path, &format!("mutation {k}"));
        }
    }
    assert!(messages > 100, "{messages}");
}

/// One policy of a catalogue of the national-style fields used below.
fn catalogue(policies: Value) -> String {
    let fields = json!([
        {"name": "staff", "type": "integer", "unit": "people", "min": 0, "max": 100000, "label": {"zh": "职工人数", "en": "Staff"}},
        {"name": "tech_ratio_pct", "type": "number", "unit": "percent", "label": {"zh": "科技人员占比", "en": "Tech ratio"}},
        {"name": "kind", "type": "enum", "label": {"zh": "类型", "en": "Kind"},
         "options": [{"value": "small", "label": {"zh": "小型", "en": "Small"}}, {"value": "micro", "label": {"zh": "微型", "en": "Micro"}}]},
        {"name": "founded", "type": "date", "label": {"zh": "成立日期", "en": "Founded"}},
        {"name": "unused_one", "type": "boolean", "label": {"zh": "未用", "en": "Unused"}},
        {"name": "penalties", "type": "date_list", "label": {"zh": "处罚日期", "en": "Penalties"}},
        {"name": "city", "type": "string", "format": "city", "label": {"zh": "注册地", "en": "City"}}
    ]);
    let mut d: Value = serde_json::from_str(&doc(fields, policies)).unwrap();
    d["derived"] = json!([{"name": "ratio_unused", "label": {"zh": "未用", "en": "Unused"}, "expr": {"*": [{"var": "staff"}, 2]}}]);
    serde_json::to_string_pretty(&d).unwrap()
}

/// The Chinese messages of `check --format json` on `text`: (type, message_zh) of each error and warning.
fn zh_messages(name: &str, text: &str) -> Vec<(String, String)> {
    let out = check(&tmp(name, text), &["--format", "json", "--as-of", "2026-07-01"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .chain(v["warnings"].as_array().unwrap())
        .map(|e| (e["type"].as_str().unwrap_or("").to_string(), e["message_zh"].as_str().unwrap_or("").to_string()))
        .collect()
}

/// The most common mistakes, word for word.
#[test]
fn common_mistakes_read_in_chinese() {
    // A comma missing at the end of a line.
    let text = catalogue(json!([policy("p", json!({">=": [{"var": "staff"}, 10]}))]));
    let broken = text.replacen("\"id\": \"t\",", "\"id\": \"t\"", 1);
    let line = text.lines().position(|l| l.trim() == "\"id\": \"t\",").unwrap() + 1;
    let got = zh_messages("comma.json", &broken);
    assert_eq!(got, [("syntax".to_string(), format!("JSON 格式错误：此处应为 `,` 或 `}}`（第 {line} 行末尾缺少“,”）"))]);

    // A misspelt key of a policy.
    let mut p = policy("p", json!({">=": [{"var": "staff"}, 10]}));
    p["titel"] = p["title"].take();
    p.as_object_mut().unwrap().remove("title");
    let got = zh_messages("titel.json", &catalogue(json!([p])));
    assert_eq!(got[0].0, "schema");
    assert!(got[0].1.starts_with("未知的键 `titel`，可用的键：`id`、`title`、`summary`、"), "{got:?}");

    // An unknown operator, with its suggestion; a field name misspelt, with its suggestion.
    let got = zh_messages("names.json", &catalogue(json!([policy("p", json!({"all": [{"=<": [{"var": "staff"}, 10]}, {">=": [{"var": "staf"}, 10]}]}))])));
    assert_eq!(got[0].0, "unknown-operator");
    assert!(got[0].1.starts_with("未知的运算符 `=<`（是否想写 `<=`？）（可用的运算符：`all`、`any`、`not`、`==`、"), "{got:?}");
    assert_eq!(got[1], ("unknown-field".to_string(), "未知的字段或派生值 `staf`（是否想写 `staff`？）".to_string()));

    // A type error: a number compared with a date; a number in quotes.
    let got = zh_messages(
        "types.json",
        &catalogue(json!([policy("p", json!({"all": [{">": [{"var": "staff"}, {"var": "founded"}]}, {">=": [{"var": "staff"}, "3,000"]}]}))])),
    );
    assert_eq!(
        got,
        [
            ("type-error".to_string(), "类型错误：`>` 比较的是数值和日期，类型不同".to_string()),
            ("type-error".to_string(), "类型错误：`>=` 比较的是数值和字符串：数字不加引号、不用千位分隔符：3000".to_string()),
        ]
    );

    // An option that is not one; an expired policy.
    let mut p = policy("old", json!({"==": [{"var": "kind"}, "smal"]}));
    p["valid_until"] = json!("2025-12-31");
    let got = zh_messages("expired.json", &catalogue(json!([p])));
    assert_eq!(got[0], ("unknown-option".to_string(), "`smal` 不是字段 `kind` 的选项（是否想写 `small`？）（可选：`small`、`micro`）".to_string()));
    let mut p = policy(
        "old",
        json!({"all": [{"==": [{"var": "kind"}, "small"]}, {">=": [{"var": "staff"}, 1]}, {"<": [{"var": "founded"}, {"date": "2020-01-01"}]},
        {"<": [{"var": "tech_ratio_pct"}, 50]}, {"none": {"in": {"var": "penalties"}, "where": {">": [{"var": "$item"}, {"var": "$as_of"}]}}}]}),
    );
    p["valid_until"] = json!("2025-12-31");
    let got = zh_messages("expired2.json", &catalogue(json!([p])));
    assert!(got.contains(&("expired".to_string(), "已于 2025-12-31 失效，早于评估日期 2026-07-01".to_string())), "{got:?}");
    assert!(got.contains(&("unused-field".to_string(), "字段 `unused_one` 已声明，但没有任何规则用到它".to_string())), "{got:?}");
    assert!(got.contains(&("unused-derived".to_string(), "派生值 `ratio_unused` 已声明，但没有任何规则用到它".to_string())), "{got:?}");
}

/// Every warning kind, in Chinese, with its numbers.
#[test]
fn every_warning_kind_reads_in_chinese() {
    let rules = json!([
        // never-true: out of the declared range; a count compared with a negative number.
        {">": [{"var": "staff"}, 200000]},
        {"<": [{"count": {"in": {"var": "penalties"}}}, 0]},
        // never-true: two tests that leave no value.
        {"all": [{">=": [{"var": "staff"}, 300]}, {"<": [{"var": "staff"}, 100]}]},
        {"all": [{"==": [{"var": "kind"}, "small"]}, {"in": [{"var": "kind"}, ["micro"]]}]},
        // never-true: an empty list; a band row never chosen.
        {"in": [{"var": "kind"}, []]},
        // never-true: a district in a list of cities.
        {"in": [{"var": "city"}, ["杭州市", "杭州市滨江区", "滨江区"]]},
        {">=": [{"band": {"of": {"var": "staff"}, "rows": [{">=": 10, "then": 1}, {">=": 20, "then": 2}, {"else": 0}]}}, 1]},
        {">=": [{"band": {"of": {"var": "staff"}, "rows": [{">=": 10, "then": 1}, {"<": 10, "then": 3}, {">=": 5, "then": 3}, {">": 3, "then": 2}, {"else": 0}]}}, 1]},
        // percent-scale: a fraction; a band table of fractions.
        {">=": [{"var": "tech_ratio_pct"}, 0.1]},
        {">=": [{"var": "tech_ratio_pct"}, {"band": {"of": {"var": "staff"}, "rows": [{">=": 100, "then": 0.05}, {"else": 0.1}]}}]}
    ]);
    let policies: Vec<Value> = rules.as_array().unwrap().iter().enumerate().map(|(i, r)| policy(&format!("p{i}"), r.clone())).collect();
    let mut two = policy("two", json!({">=": [{"var": "staff"}, 300]}));
    two["criteria"].as_array_mut().unwrap().push(json!({"id": "C3", "description": {"zh": "条件", "en": "c"}, "rule": {"<": [{"var": "staff"}, 100]}}));
    let mut all = policies;
    all.push(two);
    // description-mismatch: a figure of the description the rule lacks; a 万 figure written bare.
    for (id, zh, rule) in [
        ("differs", "职工人数不超过300人", json!({"<=": [{"var": "staff"}, 500]})),
        ("bare", "职工人数不少于1万人", json!({">=": [{"var": "staff"}, 1]})),
        ("agrees", "职工人数不少于1万人，科技人员占比不低于10%", json!({"all": [{">=": [{"var": "staff"}, 10000]}, {">=": [{"var": "tech_ratio_pct"}, 10]}]})),
    ] {
        let mut p = policy(id, rule);
        p["criteria"][0]["description"]["zh"] = json!(zh);
        all.push(p);
    }
    let got = zh_messages("warnings.json", &catalogue(Value::Array(all)));
    let texts: Vec<&str> = got.iter().map(|(_, m)| m.as_str()).collect();
    for want in [
        "`staff > 200000` 永远不会成立：`staff` 声明的取值范围是 0..100000",
        "永远不会成立：计数不可能是负数",
        "`all[0]` 和 `all[1]` 不可能同时成立：`staff >= 300` 与 `staff < 100` 使 `staff` 没有任何可取的值",
        "条件 C1 和 条件 C3 不可能同时成立：`staff >= 300` 与 `staff < 100` 使 `staff` 没有任何可取的值",
        "`in` 对空列表永远不成立",
        "“杭州市滨江区”永远不会匹配：城市字段按地址中的城市比较，“杭州市滨江区”读作“杭州市”",
        "“滨江区”永远不会匹配：城市字段按地址中的城市比较，“滨江区”中读不出城市",
        "分档表第 2 行（`>= 20`）永远不会被选中：第 1 行（`>= 10`）在它前面，已取走它的全部取值",
        "分档表第 4 行（`> 3`）永远不会被选中：第 2 行（`< 10`）和第 3 行（`>= 5`）在它前面，已取走全部取值",
        "把百分比数值（10 表示 10%）与 0.1 比较，即 0.1%；如果指的是 10%，请写 10",
        "把百分比数值（10 表示 10%）与结果为小数（0.05, 0.1）的分档表比较；如果指的是 5%, 10%，请写 5, 10",
        "条件 C1：说明写的是 300人，规则中却没有这个数；请核对哪一个是对的",
        "条件 C1：说明写的是 1万，规则却与 1 比较；1万 即 10000",
    ] {
        assert!(texts.iter().any(|t| t.contains(want)), "{want:?} not in {texts:#?}");
    }
    assert_eq!(got.iter().filter(|(k, _)| k == "description-mismatch").count(), 2, "{got:#?}");
    for (kind, m) in &got {
        assert!(["never-true", "percent-scale", "unused-field", "unused-derived", "description-mismatch"].contains(&kind.as_str()), "{kind}: {m}");
        assert_chinese(m, kind);
    }
}

/// `match`, `explain` and `batch` report a catalogue's errors in their
/// `--lang` (Chinese by default), the frame unchanged.
#[test]
fn other_commands_report_catalogue_errors_in_their_language() {
    let bad = tmp("bad-for-match.json", &catalogue(json!([policy("p", json!({">=": [{"var": "staf"}, 1]}))])));
    let profile = tmp("profile.json", r#"{"staff": 3}"#);
    let run = |args: &[&str]| {
        let out =
            bin().args(args).arg("--catalogue").arg(&bad).arg(if args[0] == "explain" { "--profile" } else { "--profiles" }).arg(&profile).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let zh = run(&["match"]);
    assert!(zh.contains("error[unknown-field]: 政策 `p`：未知的字段或派生值 `staf`（是否想写 `staff`？）") && zh.contains("共 1 处错误"), "{zh}");
    let en = run(&["match", "--lang", "en"]);
    assert!(
        en.contains("error[unknown-field]: policy `p`: unknown field or derived value `staf` (did you mean `staff`?)") && en.contains("1 error(s)"),
        "{en}"
    );
    let zh = run(&["explain", "--policy", "p"]);
    assert!(zh.contains("未知的字段或派生值 `staf`"), "{zh}");
    let out =
        bin().args(["batch", "--catalogue"]).arg(&bad).arg("--enterprises").arg(&profile).args(["--out", "target/cli-tests/check-zh/out"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("未知的字段或派生值 `staf`"), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A file that cannot be read, and the summary line of a catalogue without errors.
#[test]
fn io_errors_and_the_summary_in_chinese() {
    let out = bin().args(["check", "no-such-catalogue.json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stderr).trim(), "error[io]: no-such-catalogue.json: 文件不存在");
    let ok = check(
        &tmp(
            "ok.json",
            &doc(
                json!([{"name": "staff", "type": "integer", "label": {"zh": "职工", "en": "Staff"}}]),
                json!([policy("p", json!({">=": [{"var": "staff"}, 1]}))]),
            ),
        ),
        &[],
    );
    assert_eq!(ok.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&ok.stdout).trim(), "ok: 1 个政策目录，1 项政策，1 个字段，0 个派生值；0 条警告");
}

/// A mistake of every kind the compiler and the catalogue builder report,
/// one per policy (or declaration), all in Chinese with the English run's
/// kinds and places.
#[test]
fn every_kind_of_mistake_reads_in_chinese() {
    let rules: Value = serde_json::from_str(
        r#"[
        null, [1, 2], {"a": 1, "b": 2}, {}, 5,
        {"==": [{"date": 5}, {"date": "2026/1/1"}]}, {"provided": 5}, {"policy": 5}, {"policy": "nope"}, {"==": [{"var": 5}, 1]}, {"==": [{"var": "$item"}, 1]},
        {">=": [1]}, {">=": [{"var": "staff"}, 3, 500]}, {">=": "x"}, {">=": {"a": 1}},
        {"<": [{"add_days": [{"var": "founded"}, "x"]}, {"var": "$as_of"}]},
        {">": [{"if": [true, 1, {"date": "2026-01-01"}]}, 1]},
        {">=": [{"var": "staff"}, "10%"]}, {">=": [{"var": "staff"}, "300万"]}, {"<": [{"var": "founded"}, "2026/1/1"]}, {"==": [{"var": "unused_one"}, "是"]},
        {">": [{"var": "kind"}, "small"]}, {"contains": [{"var": "penalties"}, 5]}, {"in": [{"var": "unused_one"}, [true]]},
        {"in": [{"var": "staff"}, "x"]}, {"in": [{"var": "staff"}, [{"var": "staff"}]]}, {"in": [{"var": "staff"}, ["a"]]},
        {"contains": [{"var": "staff"}, 5]}, {">=": [{"var": "staff"}, 1e30]}, {">=": [{"var": "staff"}, 1.0000000001]},
        {">=": [{"band": 5}, 1]}, {">=": [{"band": {"of": {"var": "staff"}, "rows": [], "x": 1}}, 1]}, {">=": [{"band": {"rows": [{"else": 0}]}}, 1]},
        {">=": [{"band": {"of": {"var": "unused_one"}, "rows": [{"else": 0}]}}, 1]},
        {">=": [{"band": {"of": {"var": "staff"}, "rows": [5, {"else": 0}]}}, 1]},
        {">=": [{"band": {"of": {"var": "staff"}, "rows": [{"else": 0, "then": 1}]}}, 1]},
        {">=": [{"band": {"of": {"var": "staff"}, "rows": [{"else": 0}, {">=": 1, "then": 1}]}}, 1]},
        {">=": [{"band": {"of": {"var": "staff"}, "rows": [{"≥": 1, "then": 1}, {"else": 0}]}}, 1]},
        {">=": [{"band": {"of": {"var": "staff"}, "rows": [{">=": 1}, {"else": 0}]}}, 1]},
        {">=": [{"band": {"of": {"var": "staff"}, "rows": [{">=": "a", "then": 1}, {"else": 0}]}}, 1]},
        {">=": [{"band": {"of": {"var": "kind"}, "rows": [{">=": "small", "then": 1}, {"else": 0}]}}, 1]},
        {">=": [{"band": {"of": {"var": "staff"}, "rows": [{">=": 1, "then": 1}, {"else": {"date": "2026-01-01"}}]}}, 1]},
        {">=": [{"band": {"of": {"var": "staff"}, "rows": [{">=": 1, "then": 1}]}}, 1]},
        {">=": [{"score": {"parts": [{"id": "a", "label": {"zh": "甲", "en": "A"}, "points": 1}, {"id": "a", "label": {"zh": "乙", "en": "B"}, "points": 2}]}}, 1]},
        {">=": [{"score": {"parts": [{"id": 5, "label": {"zh": "甲", "en": "A"}, "points": 1}]}}, 1]},
        {">=": [{"score": {"parts": [{"id": "a", "label": "甲", "points": 1}]}}, 1]},
        {"some": {"in": {"var": "penalties"}, "where": {"some": {"in": {"var": "penalties"}, "where": true}}}},
        {"none": {"in": {"var": "penalties"}, "wher": true}},
        {"==": [{"var": "kind"}, "smal"]}, {"==": [{"var": "ghost"}, 1]}, {"≥": [{"var": "staff"}, 1]}, {"and": [true]}
    ]"#,
    )
    .unwrap();
    let mut deep = json!(true);
    for _ in 0..40 {
        deep = json!({"not": deep});
    }
    let mut policies: Vec<Value> = rules.as_array().unwrap().iter().enumerate().map(|(i, r)| policy(&format!("p{i}"), r.clone())).collect();
    policies.push(policy("deep", deep));
    let mut p = policy("stacks", json!(true));
    p["stacking"] = json!([{"policy": "stacks", "rule": "exclusive"}, {"policy": "p0", "rule": "exclusive"}, {"policy": "p0", "rule": "stackable"}, {"policy": "nope", "rule": "exclusive"}]);
    p["application"] = json!({"opens": "2026-06-01", "closes": "2026-05-01"});
    p["valid_from"] = json!("2026-12-31");
    p["valid_until"] = json!("2026-01-01");
    policies.push(p);
    let mut p = policy("no_criteria", json!(true));
    p["criteria"] = json!([]);
    policies.push(p);
    let mut d: Value = serde_json::from_str(&catalogue(Value::Array(policies))).unwrap();
    d["derived"] = json!([
        {"name": "uses_policy", "label": {"zh": "甲", "en": "A"}, "expr": {"policy": "p0"}},
        {"name": "a_string", "label": {"zh": "乙", "en": "B"}, "expr": "text"},
        {"name": "cyc_a", "label": {"zh": "丙", "en": "C"}, "expr": {"var": "cyc_b"}},
        {"name": "cyc_b", "label": {"zh": "丁", "en": "D"}, "expr": {"var": "cyc_a"}}
    ]);
    let path = tmp("every-kind.json", &serde_json::to_string_pretty(&d).unwrap());
    let messages = compare_runs(&path, "every-kind.json");
    let out = check(&path, &["--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: std::collections::BTreeSet<&str> = v["errors"].as_array().unwrap().iter().filter_map(|e| e["type"].as_str()).collect();
    assert!(messages >= 50, "{messages}: {v:#}");
    for kind in [
        "bad-arguments",
        "bad-literal",
        "type-error",
        "unknown-operator",
        "unknown-field",
        "unknown-policy",
        "unknown-option",
        "too-deep",
        "invalid",
        "unknown-reference",
        "cycle",
    ] {
        assert!(kinds.contains(kind), "{kind} not in {kinds:?}");
    }

    // Declarations: fields, sections, a zone's references to what it extends.
    let fields = json!([
        {"name": "e", "type": "enum", "label": {"zh": "甲", "en": "A"}, "options": []},
        {"name": "s", "type": "string", "label": {"zh": "乙", "en": "B"}, "options": [{"value": "a", "label": {"zh": "a", "en": "a"}}], "format": "town"},
        {"name": "b", "type": "boolean", "label": {"zh": "丙", "en": "C"}, "format": "city", "min": 1},
        {"name": "n", "type": "number", "label": {"zh": "丁", "en": "D"}, "min": 5, "max": 1, "section": "nowhere"},
        {"name": "n", "type": "number", "label": {"zh": "丁", "en": "D"}},
        {"name": "o", "type": "enum", "label": {"zh": "戊", "en": "E"}, "options": [{"value": "x", "label": {"zh": "x", "en": "x"}}, {"value": "x", "label": {"zh": "x", "en": "x"}}]}
    ]);
    let mut d: Value = serde_json::from_str(&doc(fields, json!([policy("p", json!(true)), policy("p", json!(true))]))).unwrap();
    d["sections"] = json!([{"id": "a", "title": {"zh": "甲", "en": "A"}}, {"id": "a", "title": {"zh": "甲", "en": "A"}}]);
    let path = tmp("declarations.json", &serde_json::to_string_pretty(&d).unwrap());
    assert!(compare_runs(&path, "declarations.json") >= 10);
    let got = zh_messages("declarations.json", &serde_json::to_string_pretty(&d).unwrap());
    assert!(got.iter().any(|(_, m)| m == "只有 enum 和 string_list 字段可以有选项（options）；`s` 的 \"type\" 是 \"string\""), "{got:?}");
    let mut zone: Value = serde_json::from_str(&doc(json!([]), json!([policy("zp", json!(true))]))).unwrap();
    zone["id"] = json!("zone");
    zone["extends"] = json!(["t"]);
    zone["overrides"] = json!([{"policy": "nope"}, {"policy": "zp"}]);
    let base = tmp("base.json", &doc(json!([]), json!([policy("p", json!(true))])));
    let zone_path = tmp("zone.json", &serde_json::to_string_pretty(&zone).unwrap());
    assert_eq!(compare_runs_of(&[&base, &zone_path], "zone overrides"), 2);
    zone["extends"] = json!(["t", "elsewhere"]);
    let zone_path = tmp("zone-elsewhere.json", &serde_json::to_string_pretty(&zone).unwrap());
    assert_eq!(compare_runs_of(&[&base, &zone_path, &base], "zone extends"), 2);
}
