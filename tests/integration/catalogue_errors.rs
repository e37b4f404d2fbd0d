//! Catalogue errors: every kind, each with policy, JSON path and line:column.

use policy_match::catalogue::{Catalogue, Errors, MAX_CATALOGUE_BYTES};
use serde_json::json;

use crate::util::{compile, doc, policy};

fn errors(text: &str) -> Errors {
    match Catalogue::from_json("t.json", text) {
        Ok(_) => panic!("expected errors"),
        Err(e) => e,
    }
}

/// 1-based line and column of the first occurrence of `needle`.
fn pos(text: &str, needle: &str) -> (usize, usize) {
    let off = text.find(needle).unwrap_or_else(|| panic!("{needle} not in text"));
    let before = &text[..off];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, col)
}

fn num_field(name: &str) -> serde_json::Value {
    json!({"name": name, "type": "number", "label": {"zh": name, "en": name}})
}

#[test]
fn every_policy_with_a_schema_mistake_is_reported_not_just_the_first() {
    let ok = || policy("ok", json!(true));
    let mut bad = vec![policy("a", json!(true)), ok(), policy("b", json!(true)), policy("c", json!(true)), policy("d", json!(true))];
    bad[0]["valid_from"] = json!("2026-13-01");
    bad[2]["application"] = json!({"url": "javascript:alert(1)"});
    bad[3]["category"] = json!("taxes");
    bad[4]["valid_untill"] = json!("2027-01-01");
    let mut fields = vec![num_field("n"), num_field("m")];
    fields[1]["type"] = json!("decimal");
    let text = serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&doc(json!(fields), json!(bad))).unwrap()).unwrap();
    let errs = errors(&text).0;
    let got: Vec<(Option<&str>, &str)> = errs.iter().map(|e| (e.policy.as_deref(), e.location.path.as_str())).collect();
    assert_eq!(
        got,
        [
            (None, "fields[1].type"),
            (Some("a"), "policies[0].valid_from"),
            (Some("b"), "policies[2].application.url"),
            (Some("c"), "policies[3].category"),
            (Some("d"), "policies[4].valid_untill"),
        ],
        "{errs:?}"
    );
    // Each policy's mistake at its own place in the file: the key's line, or
    // just after its value (a value is rejected once the parser has read it).
    let lines: Vec<&str> = text.split('\n').collect();
    for e in errs.iter().filter(|e| e.policy.is_some()) {
        let key = format!("\"{}\"", e.location.path.rsplit('.').next().unwrap());
        let l = e.location.line - 1;
        assert!(lines[l].contains(&key) || (l > 0 && lines[l - 1].contains(&key)), "{e}: line {} is {:?}", e.location.line, lines[l]);
    }
}

#[test]
fn full_width_punctuation_is_named_as_the_cause() {
    let good = doc(json!([num_field("n")]), json!([policy("p", json!({">": [{"var": "n"}, 0]}))]));
    for (from, to, mark) in [("\"id\":\"p\",", "\"id\":\"p\"，", '，'), ("\"issuer\":", "\"issuer\"：", '：'), ("\"issuer\"", "“issuer”", '“')] {
        let text = good.replacen(from, to, 1);
        assert_ne!(text, good, "{from} is in the fixture");
        let e = &errors(&text).0[0];
        assert_eq!(e.error.kind(), "syntax", "{e}");
        assert!(e.error.to_string().contains(&format!("“{mark}” here is full-width punctuation")), "{to}: {e}");
        assert_eq!(e.policy.as_deref(), Some("p"), "{e}");
    }
    // An ordinary syntax error gets no such hint.
    let e = &errors(&good.replacen("\"id\":\"p\",", "\"id\":\"p\",,", 1)).0[0];
    assert!(!e.error.to_string().contains("full-width"), "{e}");
}

#[test]
fn a_trailing_comma_and_a_grouped_number_say_what_to_do() {
    let good = doc(json!([num_field("n")]), json!([policy("p", json!({"<=": [{"var": "n"}, 3000000]}))]));
    // The comma after the last criterion.
    let e = &errors(&good.replacen("3000000]}}]", "3000000]}},]", 1)).0[0];
    assert!(e.error.to_string().ends_with("trailing comma (“,” after the last element: delete it, JSON allows no comma before ] or })"), "{e}");
    assert_eq!(e.location.path, "policies[0].criteria", "{e}");
    // 3,000,000: `,000` is not a JSON number.
    let e = &errors(&good.replacen("3000000", "3,000,000", 1)).0[0];
    assert!(e.error.to_string().contains("no thousands separators; write 3000000)"), "{e}");
    assert_eq!(e.location.path, "policies[0].criteria[0].rule.<=[2]", "{e}");
    // 1,500 as an object's value: the parser wants the next key.
    let text = doc(json!([{"name": "n", "type": "number", "label": {"zh": "n", "en": "n"}, "min": 1}]), json!([policy("p", json!({">": [{"var": "n"}, 0]}))]));
    let e = &errors(&text.replacen("\"min\":1", "\"min\":1,500", 1)).0[0];
    assert!(e.error.to_string().contains("write 1500)"), "{e}");
    // A list of numbers with a syntax error elsewhere gets no such hint.
    let e = &errors(&good.replacen("3000000]", "3000000,]", 1)).0[0];
    assert!(!e.error.to_string().contains("thousands"), "{e}");
}

/// A catalogue written by hand, one entry a line. Its strings hold every
/// mistake the hints below look for (`// …`, `'…'`, `True`, `100万`, `10%`,
/// `a, b`): inside a string they are text, not mistakes.
const BY_HAND: &str = r#"{
  "format": "policy-match/catalogue@1",
  "id": "t",
  "version": "1",
  "updated": "2026-01-01",
  "title": {"zh": "测试", "en": "Test"},
  "fields": [
    {"name": "revenue", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}},
    {"name": "ratio", "type": "number", "unit": "percent", "label": {"zh": "研发占比", "en": "R&D ratio"}},
    {"name": "hnte", "type": "boolean", "label": {"zh": "高新技术企业", "en": "HNTE"}}
  ],
  "policies": [
    {
      "id": "p1",
      "title": {"zh": "补贴，金额100万", "en": "Subsidy, a, b"},
      "issuer": {"zh": "科技局", "en": "S&T bureau"},
      "category": "subsidy",
      "notes": [{"zh": "// not a comment /* nor this */", "en": "'quoted' True False None NaN undefined 5000万元 3亿 10%"}],
      "criteria": [
        {"id": "C1", "description": {"zh": "收入不低于100万", "en": "Revenue at least 100万"},
         "rule": {">=": [{"var": "revenue"}, 1000000]}},
        {"id": "C2", "description": {"zh": "研发占比不低于10%", "en": "R&D at least 10%"},
         "rule": {">=": [{"var": "ratio"}, 10]}},
        {"id": "C3", "description": {"zh": "高新技术企业", "en": "HNTE"},
         "rule": {"==": [{"var": "hnte"}, true]}}
      ]
    }
  ]
}"#;

/// [`BY_HAND`] with `from` replaced by `to` once, and its first error (a
/// syntax error).
fn by_hand(from: &str, to: &str) -> (String, policy_match::catalogue::Error) {
    let text = BY_HAND.replacen(from, to, 1);
    assert_ne!(text, BY_HAND, "{from} is in the fixture");
    let e = errors(&text).0.remove(0);
    assert_eq!(e.error.kind(), "syntax", "{to}: {e}");
    (text, e)
}

#[test]
fn a_catalogue_by_hand_with_mistakes_only_inside_strings_is_valid() {
    let c = compile(BY_HAND);
    assert_eq!(c.policies.len(), 1);
}

#[test]
fn a_missing_comma_is_named_with_the_line_it_belongs_at() {
    // Between two entries of a policy: at the end of the `category` line;
    // the parser stops at the next key, where the position stays.
    let (text, e) = by_hand(r#""category": "subsidy","#, r#""category": "subsidy""#);
    let line = pos(&text, r#""category""#).0;
    assert_eq!(e.error.to_string(), format!("invalid JSON: expected `,` or `}}` (“,” is missing at the end of line {line})"));
    assert_eq!((e.location.line, e.location.column), pos(&text, r#""notes""#), "{e}");
    assert_eq!(e.policy.as_deref(), Some("p1"), "{e}");
    // Between two criteria (elements of a list): at the end of C1's rule line.
    let (text, e) = by_hand("1000000]}},", "1000000]}}");
    let line = pos(&text, "1000000]}}").0;
    assert_eq!(e.error.to_string(), format!("invalid JSON: expected `,` or `]` (“,” is missing at the end of line {line})"));
    assert_eq!((e.location.line, e.location.column), pos(&text, r#"{"id": "C2""#), "{e}");
    assert_eq!(e.policy.as_deref(), Some("p1"), "{e}");
    // After a list, with blank lines in between: the line the list ends on.
    let (text, e) = by_hand("\"}],\n      \"criteria\"", "\"}]\n\n      \"criteria\"");
    let line = pos(&text, r#""notes""#).0;
    assert!(e.error.to_string().ends_with(&format!("`}}` (“,” is missing at the end of line {line})")), "{e}");
    assert_eq!((e.location.line, e.location.column), pos(&text, r#""criteria""#), "{e}");
    // No hint: on one line (the position shows where), a stray quote, a
    // `]` closing an object, a doubled comma, and a list whose `]` is
    // missing before the next key.
    for (from, to, message) in [
        (r#""revenue"}, 1000000"#, r#""revenue"} 1000000"#, "expected `,` or `]`"),
        (r#""subsidy","#, r#""subsidy"","#, "expected `,` or `}`"),
        (r#""subsidy","#, "\"subsidy\"\n      ],", "expected `,` or `}`"),
        (r#""subsidy","#, r#""subsidy",,"#, "key must be a string"),
        ("\"}],\n      \"criteria\"", "\"}\n      \"criteria\"", "expected `,` or `]`"),
    ] {
        let (_, e) = by_hand(from, to);
        assert_eq!(e.error.to_string(), format!("invalid JSON: {message}"), "{to}");
    }
}

#[test]
fn a_number_with_a_unit_says_the_plain_number() {
    // 万 = 10^4, 亿 = 10^8: the hint names the first character after the digits.
    for (number, unit, plain) in [
        ("100万", '万', "1000000"),
        ("2.5万", '万', "25000"),
        ("5000万元", '万', "50000000"),
        ("3亿", '亿', "300000000"),
        ("0.5亿", '亿', "50000000"),
        ("-5万", '万', "-50000"),
        ("1200元", '元', "1200"),
    ] {
        let (text, e) = by_hand("1000000]", &format!("{number}]"));
        assert_eq!(e.error.to_string(), format!("invalid JSON: expected `,` or `]` (“{unit}” after a number: JSON numbers are plain digits; write {plain})"));
        assert_eq!(e.policy.as_deref(), Some("p1"), "{e}");
        // At the unit: the parser read the digits as a number and stopped there.
        let (line, column) = pos(&text, &format!("{number}]"));
        let digits = number.find(unit).unwrap_or_default();
        assert_eq!((e.location.line, e.location.column), (line, column + digits), "{number}: {e}");
    }
    // A percent: 10 for 10 % when the field is in percent.
    for (number, mark, plain) in [("10%", '%', "10"), ("12.5％", '％', "12.5")] {
        let (text, e) = by_hand("10]", &format!("{number}]"));
        assert!(
            e.error.to_string().ends_with(&format!(
                "(“{mark}” after a number: JSON numbers are plain digits; write {plain} if the field's unit is percent; a rate in a formula is a fraction)"
            )),
            "{e}"
        );
        let (line, column) = pos(&text, &format!("{number}]"));
        assert_eq!((e.location.line, e.location.column, e.policy.as_deref()), (line, column + plain.len(), Some("p1")), "{e}");
    }
    // A unit after something that is not a number: no hint.
    for to in [r#""100"万]"#, "true万]"] {
        let (_, e) = by_hand("1000000]", to);
        assert_eq!(e.error.to_string(), "invalid JSON: expected `,` or `]`", "{to}");
    }
}

#[test]
fn a_single_quoted_string_says_to_use_double_quotes() {
    for (from, to, at, message) in [
        (r#""category": "subsidy""#, r#""category": 'subsidy'"#, "'subsidy'", "expected value"),
        (r#""category": "subsidy""#, r#"'category': "subsidy""#, "'category'", "key must be a string"),
        (r#"{"var": "revenue"}"#, r#"{"var": '营业收入'}"#, "'营业收入'", "expected value"),
        (r#""category": "subsidy","#, r#""category": 'subsidy,"#, "'subsidy,", "expected value"),
    ] {
        let (text, e) = by_hand(from, to);
        assert_eq!(e.error.to_string(), format!("invalid JSON: {message} (“'” here: JSON strings use double quotes)"));
        assert_eq!((e.location.line, e.location.column), pos(&text, at), "{e}");
        assert_eq!(e.policy.as_deref(), Some("p1"), "{e}");
    }
    // A bare word is not a quoting mistake.
    let (_, e) = by_hand(r#""category": "subsidy""#, r#""category": subsidy"#);
    assert_eq!(e.error.to_string(), "invalid JSON: expected value");
    // Nor a text cut short inside a string: its last characters are text
    // (here `'` and `100万`), not what the parser stopped at.
    for cut in ["{\"format\": \"it's'", "{\"format\": \"合计100万"] {
        let e = &errors(cut).0[0];
        assert_eq!(e.error.to_string(), "invalid JSON: EOF while parsing a string", "{cut}");
    }
}

#[test]
fn a_comment_says_json_has_none_and_where_notes_go() {
    let hint = " (JSON has no comments: delete it, or use a policy's `notes` or a criterion's `note`, shown to users)";
    for (from, to, comment, message) in [
        ("      \"criteria\"", "      // 申报条件\n      \"criteria\"", "// 申报条件", "key must be a string"),
        ("      \"criteria\"", "      /* 申报条件 */\n      \"criteria\"", "/* 申报条件 */", "key must be a string"),
        (r#""subsidy","#, r#""subsidy", // 类别"#, "// 类别", "key must be a string"),
        (r#""subsidy","#, r#""subsidy" // 类别"#, "// 类别", "expected `,` or `}`"),
        ("1000000]", "1000000 /* 100万 */]", "/* 100万", "expected `,` or `]`"),
    ] {
        let (text, e) = by_hand(from, to);
        assert_eq!(e.error.to_string(), format!("invalid JSON: {message}{hint}"));
        assert_eq!((e.location.line, e.location.column), pos(&text, comment), "{e}");
        assert_eq!(e.policy.as_deref(), Some("p1"), "{e}");
    }
    // Before the catalogue: at 1:1, in no policy.
    let (_, e) = by_hand("{\n  \"format\"", "// 2026年目录\n{\n  \"format\"");
    assert_eq!((e.location.line, e.location.column, e.policy.as_deref()), (1, 1, None), "{e}");
    assert_eq!(e.error.to_string(), format!("invalid JSON: expected value{hint}"));
    // A `/` alone (a division written as text) is no comment.
    let (_, e) = by_hand("1000000]", "1000000 / 2]");
    assert_eq!(e.error.to_string(), "invalid JSON: expected `,` or `]`");
}

#[test]
fn python_and_javascript_literals_say_the_json_spelling() {
    // None of them starts a JSON value: the parser stops at the first letter.
    for (word, json) in
        [("True", "true"), ("False", "false"), ("None", "null"), ("undefined", "null, or leave the entry out"), ("NaN", "null, or leave the entry out")]
    {
        let (text, e) = by_hand("true]", &format!("{word}]"));
        assert_eq!(e.error.to_string(), format!("invalid JSON: expected value (“{word}” is not JSON: write {json})"));
        assert_eq!((e.location.line, e.location.column), pos(&text, &format!("{word}]")), "{word}: {e}");
        assert_eq!(e.policy.as_deref(), Some("p1"), "{e}");
    }
    // Other words are not guessed at, nor a longer word that starts like one.
    for (word, message) in [("Yes", "expected value"), ("tru", "expected ident"), ("Nonesuch", "expected value")] {
        let (_, e) = by_hand("true]", &format!("{word}]"));
        assert_eq!(e.error.to_string(), format!("invalid JSON: {message}"), "{word}");
    }
}

#[test]
fn a_byte_order_mark_is_not_an_error_and_columns_ignore_it() {
    let text = doc(json!([num_field("n")]), json!([policy("p", json!({">": [{"var": "n"}, 0]}))]));
    let with_bom = format!("\u{feff}{text}");
    let c = compile(&with_bom);
    assert_eq!(c.policies.len(), 1);
    // An error on line 1 is at the column an editor shows (the BOM is not a column).
    let e = &errors("\u{feff}{\"format\": 5}").0[0];
    assert_eq!((e.location.line, e.location.column), (1, 12), "{e}");
}

#[test]
fn syntax_error_has_line_and_column() {
    let text = "{\n  \"format\": \"policy-match/catalogue@1\",\n  \"id\": \"x\",,\n}";
    let e = &errors(text).0[0];
    assert_eq!(e.error.kind(), "syntax");
    assert_eq!((e.location.line, e.location.column), (3, 13));
}

#[test]
fn syntax_error_names_the_policy_whose_id_comes_before_it() {
    // Keys are written sorted: `criteria`, then `id`, then `issuer`.
    let text = doc(json!([]), json!([policy("p1", json!(true)), policy("p2", json!(true))]));
    let second = text.rfind(r#""issuer":{"#).unwrap() + r#""issuer":{"#.len();
    let mut broken = text.clone();
    broken.insert(second, ',');
    let e = &errors(&broken).0[0];
    assert_eq!((e.error.kind(), e.location.path.as_str(), e.policy.as_deref()), ("syntax", "policies[1].issuer.?", Some("p2")));
    // At the `,` (the text is one line; columns count characters).
    assert_eq!((e.location.line, e.location.column), (1, broken[..second].chars().count() + 1));
    // Before its id, the policy is not named: the text after the error may not be JSON.
    let rule = text.rfind(r#""rule":true"#).unwrap() + r#""rule":tru"#.len();
    let mut broken = text.clone();
    broken.remove(rule);
    let e = &errors(&broken).0[0];
    assert_eq!((e.error.kind(), e.location.path.as_str(), e.policy.as_deref()), ("syntax", "policies[1].criteria[0].rule", None));
}

#[test]
fn wrong_type_names_policy_path_and_position() {
    let mut p = policy("cit_relief", json!({">": [{"var": "n"}, 0]}));
    p["category"] = json!(5);
    let text = serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&doc(json!([num_field("n")]), json!([p]))).unwrap()).unwrap();
    let e = &errors(&text).0[0];
    assert_eq!(e.error.kind(), "schema");
    assert_eq!(e.policy.as_deref(), Some("cit_relief"));
    assert_eq!(e.location.path, "policies[0].category");
    let (line, _) = pos(&text, "\"category\": 5");
    assert_eq!(e.location.line, line);
}

#[test]
fn unknown_key_is_an_error_not_ignored() {
    let mut p = policy("p", json!(true));
    p["criterias"] = json!([]);
    let e = &errors(&doc(json!([]), json!([p]))).0[0];
    assert_eq!(e.error.kind(), "schema");
    assert!(e.error.to_string().contains("criterias"), "{}", e.error);
    assert_eq!(e.policy.as_deref(), Some("p"));
}

#[test]
fn every_compile_error_is_reported_with_its_position() {
    let fields = json!([num_field("revenue"), {"name": "size", "type": "enum", "label": {"zh": "规模", "en": "Size"},
        "options": [{"value": "small", "label": {"zh": "小", "en": "Small"}}, {"value": "micro", "label": {"zh": "微", "en": "Micro"}}]}]);
    let policies = json!([policy("first", json!({">=": [{"var": "revenu"}, 1000]})), policy("second", json!({"in": [{"var": "size"}, ["small", "tiny"]]})),]);
    let text = serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&doc(fields, policies)).unwrap()).unwrap();
    let errs = errors(&text).0;
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!(errs[0].error.kind(), "unknown-field");
    assert_eq!(errs[0].policy.as_deref(), Some("first"));
    assert_eq!(errs[0].location.path, "policies[0].criteria[0].rule.>=[0].var");
    assert_eq!((errs[0].location.line, errs[0].location.column), pos(&text, "\"revenu\""));
    assert!(errs[0].error.to_string().contains("did you mean `revenue`"));
    assert_eq!(errs[1].error.kind(), "unknown-option");
    assert_eq!(errs[1].policy.as_deref(), Some("second"));
    assert_eq!((errs[1].location.line, errs[1].location.column), pos(&text, "\"tiny\""));
    // The rendered error names all three.
    let shown = errs[1].to_string();
    assert!(shown.contains("policy `second`") && shown.contains("t.json:") && shown.contains("policies[1].criteria[0].rule.in[1][1]"), "{shown}");
}

#[test]
fn error_json_has_type_message_path() {
    let e = &errors(&doc(json!([]), json!([policy("p", json!({"var": "x"}))]))).0[0];
    let v = serde_json::to_value(e).unwrap();
    assert_eq!(v["type"], "unknown-field");
    assert_eq!(v["path"], "policies[0].criteria[0].rule.var");
    assert!(v["message"].as_str().unwrap().contains("`x`"));
    assert_eq!(v["policy"], "p");
}

#[test]
fn duplicate_policy_ids_across_catalogues_are_rejected() {
    let a = doc(json!([num_field("n")]), json!([policy("p", json!({">": [{"var": "n"}, 0]}))]));
    let b = doc(json!([]), json!([policy("p", json!(true))])).replace("\"id\":\"t\"", "\"id\":\"zone\"");
    let errs = Catalogue::from_sources(&[("a.json", &a), ("b.json", &b)]).unwrap_err().0;
    assert_eq!(errs[0].error.kind(), "duplicate-id");
    assert_eq!(errs[0].location.file, "b.json");
    // The first declaration's file and line (the document is one line).
    assert!(errs[0].error.to_string().contains("first declared in catalogue `t`, a.json:1)"), "{}", errs[0].error);
}

#[test]
fn duplicate_field_with_a_different_definition_is_rejected() {
    let a = doc(json!([num_field("n")]), json!([policy("p", json!({">": [{"var": "n"}, 0]}))]));
    let b = doc(json!([{"name": "n", "type": "integer", "label": {"zh": "n", "en": "n"}}]), json!([])).replace("\"id\":\"t\"", "\"id\":\"zone\"");
    let errs = Catalogue::from_sources(&[("a.json", &a), ("b.json", &b)]).unwrap_err().0;
    assert_eq!(errs[0].error.kind(), "duplicate-id");
    assert_eq!(errs[0].location.path, "fields[0]");
}

#[test]
fn zone_catalogue_extends_and_overrides_the_national_one() {
    let national = doc(json!([num_field("n")]), json!([policy("national_p", json!({">": [{"var": "n"}, 0]}))]));
    let zone = json!({
        "format": "policy-match/catalogue@1", "id": "zone", "version": "1", "updated": "2026-01-01", "title": {"zh": "园区", "en": "Zone"},
        "extends": ["t"],
        "policies": [policy("local_p", json!({"all": [{"policy": "national_p"}, {">": [{"var": "n"}, 10]}]}))],
        "overrides": [{"policy": "national_p", "application": {"url": "https://zone.example.cn/apply", "office": {"zh": "园区服务中心", "en": "Zone service centre"}}}]
    })
    .to_string();
    // Order on the command line does not matter: `extends` decides.
    let c = Catalogue::from_sources(&[("zone.json", &zone), ("national.json", &national)]).unwrap();
    assert_eq!(c.sources.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["t", "zone"]);
    let app = c.policy("national_p").unwrap().application.as_ref().unwrap();
    assert_eq!(app.url.as_ref().unwrap().0, "https://zone.example.cn/apply");
    assert_eq!(c.policy("local_p").unwrap().depends_on, ["national_p"]);

    let missing = Catalogue::from_sources(&[("zone.json", &zone)]).unwrap_err().0;
    assert_eq!(missing[0].error.kind(), "unknown-reference");
    assert!(missing[0].error.to_string().contains("extends `t`"), "{}", missing[0].error);
}

#[test]
fn a_broken_derived_value_is_reported_once_not_at_every_use() {
    let mut d: serde_json::Value = serde_json::from_str(&doc(
        json!([num_field("n")]),
        json!([policy("p", json!({">": [{"var": "ratio"}, 0]})), policy("q", json!({"<": [{"var": "ratio"}, 5]}))]),
    ))
    .unwrap();
    d["derived"] = json!([{"name": "ratio", "label": {"zh": "比例", "en": "Ratio"}, "expr": {"divide": [{"var": "n"}, 2]}}]);
    let errs = errors(&d.to_string()).0;
    let kinds: Vec<(&str, &str)> = errs.iter().map(|e| (e.error.kind(), e.location.path.as_str())).collect();
    assert_eq!(kinds, [("unknown-operator", "derived[0].expr.divide")], "{errs:?}");
}

#[test]
fn derived_cycles_are_rejected() {
    let mut d: serde_json::Value = serde_json::from_str(&doc(json!([num_field("n")]), json!([policy("p", json!({">": [{"var": "a"}, 0]}))]))).unwrap();
    d["derived"] = json!([
        {"name": "a", "label": {"zh": "a", "en": "a"}, "expr": {"+": [{"var": "b"}, 1]}},
        {"name": "b", "label": {"zh": "b", "en": "b"}, "expr": {"+": [{"var": "a"}, {"var": "n"}]}}
    ]);
    let e = &errors(&d.to_string()).0[0];
    assert_eq!(e.error.kind(), "cycle");
    assert!(e.error.to_string().contains("a → b → a"), "{}", e.error);
}

#[test]
fn oversized_catalogue_is_refused_before_parsing() {
    let big = format!("{{\"x\": \"{}\"}}", "a".repeat(MAX_CATALOGUE_BYTES));
    let e = &errors(&big).0[0];
    assert_eq!(e.error.kind(), "too-large");
}

#[test]
fn deeply_nested_json_is_an_error_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let text = doc(json!([]), json!([policy("p", json!("RULE"))])).replace("\"RULE\"", &deep);
    let e = &errors(&text).0[0];
    assert_eq!(e.error.kind(), "syntax");
    assert!(e.error.to_string().contains("recursion limit"), "{}", e.error);
}

/// A rule nested too deep is one error, wherever the limit falls: also
/// when it falls on a comparison's two operands.
#[test]
fn a_rule_nested_too_deep_is_one_error() {
    for nots in [31, 32, 40] {
        let mut rule = json!({">": [{"var": "n"}, 1]});
        for _ in 0..nots {
            rule = json!({ "not": rule });
        }
        let errs = errors(&doc(json!([num_field("n")]), json!([policy("p", rule)]))).0;
        let kinds: Vec<&str> = errs.iter().map(|e| e.error.kind()).collect();
        assert_eq!(kinds, ["too-deep"], "{nots} nots: {errs:#?}");
    }
}

#[test]
fn invalid_dates_and_links_are_schema_errors() {
    let mut p = policy("p", json!(true));
    p["valid_from"] = json!("2025-02-30");
    let e = &errors(&doc(json!([]), json!([p]))).0[0];
    assert_eq!((e.error.kind(), e.location.path.as_str()), ("schema", "policies[0].valid_from"));
    assert!(e.error.to_string().contains("2025-02-30"));

    let mut p = policy("p", json!(true));
    p["application"] = json!({"url": "javascript:alert(1)"});
    let e = &errors(&doc(json!([]), json!([p]))).0[0];
    assert_eq!((e.error.kind(), e.location.path.as_str()), ("schema", "policies[0].application.url"));
    assert!(e.error.to_string().contains("only http:// and https://"));
}

#[test]
fn dates_written_by_hand_are_rejected_with_the_iso_spelling() {
    for (written, iso) in [("2026/1/1", "2026-01-01"), ("2026-1-1", "2026-01-01"), ("2026年1月1日", "2026-01-01"), ("2026.12.31", "2026-12-31")] {
        let mut p = policy("p", json!(true));
        p["valid_until"] = json!(written);
        let e = &errors(&doc(json!([]), json!([p]))).0[0];
        assert_eq!((e.error.kind(), e.location.path.as_str(), e.policy.as_deref()), ("schema", "policies[0].valid_until", Some("p")), "{e}");
        assert!(e.error.to_string().ends_with(&format!("; write `{iso}`")), "{written}: {e}");
    }
    // No spelling to suggest for a day that does not exist.
    let mut p = policy("p", json!(true));
    p["valid_until"] = json!("2026/2/30");
    let e = &errors(&doc(json!([]), json!([p]))).0[0];
    assert!(!e.error.to_string().contains("; write"), "{e}");
}

#[test]
fn text_that_was_not_utf8_is_an_encoding_error_at_its_place() {
    // What a browser's `fetch().text()` makes of a catalogue saved as GBK:
    // U+FFFD where a character could not be decoded.
    let text = doc(json!([]), json!([policy("p", json!(true))])).replacen("\"局\"", "\"\u{fffd}\u{fffd}\"", 1);
    let e = &errors(&text).0[0];
    assert_eq!(e.error.kind(), "encoding", "{e}");
    assert_eq!((e.location.line, e.location.column), pos(&text, "\u{fffd}"), "{e}");
    assert!(e.error.to_string().contains("save it as UTF-8"), "{e}");
}

#[test]
fn bad_declarations_are_reported() {
    let fields = json!([
        {"name": "size", "type": "enum", "label": {"zh": "s", "en": "s"}},
        {"name": "flag", "type": "boolean", "label": {"zh": "f", "en": "f"}, "unit": "cny"},
        {"name": "pct", "type": "number", "label": {"zh": "p", "en": "p"}, "min": 100, "max": 0}
    ]);
    let errs = errors(&doc(fields, json!([]))).0;
    let kinds: Vec<(&str, &str)> = errs.iter().map(|e| (e.error.kind(), e.location.path.as_str())).collect();
    assert_eq!(kinds, [("invalid", "fields[0].options"), ("invalid", "fields[1]"), ("invalid", "fields[2].max")]);
}

#[test]
fn warnings_unused_field_never_true_expired() {
    let fields = json!([{"name": "pct", "type": "number", "label": {"zh": "p", "en": "p"}, "min": 0, "max": 100}, num_field("unused")]);
    let mut p = policy("old", json!({">": [{"var": "pct"}, 100]}));
    p["valid_until"] = json!("2025-12-31");
    let c = compile(&doc(fields, json!([p])));
    let w = c.warnings(Some("2026-07-01".parse().unwrap()));
    let kinds: Vec<&str> = w.iter().map(|w| w.kind).collect();
    assert_eq!(kinds, ["unused-field", "never-true", "expired"], "{w:?}");
    assert_eq!(w[2].policy.as_deref(), Some("old"));
    assert_eq!(w[2].location.path, "policies[0].valid_until");
    assert!(c.warnings(Some("2025-12-31".parse().unwrap())).iter().all(|w| w.kind != "expired"));
}

/// A count of list items compared with a negative bound, and a constant
/// on the left of a field with a declared range: `never-true` like
/// `pct > 100`. Tests a count can pass are not reported.
#[test]
fn a_count_below_zero_and_a_constant_on_the_left_are_never_true() {
    let fields = json!([
        {"name": "pct", "type": "number", "label": {"zh": "p", "en": "p"}, "min": 0, "max": 100},
        {"name": "ds", "type": "date_list", "label": {"zh": "d", "en": "d"}}
    ]);
    let count = |extra: serde_json::Value| {
        let mut c = json!({"in": {"var": "ds"}});
        if !extra.is_null() {
            c["where"] = extra;
        }
        json!({"count": c})
    };
    let recent = json!({">=": [{"var": "$item"}, {"date": "2025-01-01"}]});
    let c = compile(&doc(
        fields,
        json!([
            policy("below", json!({"<": [count(json!(null)), 0]})),
            policy("mirrored", json!({">": [0, count(recent.clone())]})),
            policy("minus", json!({"<=": [count(json!(null)), -1]})),
            policy("left", json!({"<": [101, {"var": "pct"}]})),
            policy(
                "fine",
                json!({"all": [{"<": [count(recent), 1]}, {"<=": [count(json!(null)), 0]}, {">=": [count(json!(null)), 0]}, {"<": [99, {"var": "pct"}]}]})
            )
        ]),
    ));
    let w: Vec<(String, String)> = c.warnings(None).into_iter().filter(|w| w.kind == "never-true").map(|w| (w.policy.unwrap_or_default(), w.message)).collect();
    let policies: Vec<&str> = w.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(policies, ["below", "mirrored", "minus", "left"], "{w:#?}");
    assert_eq!(w[0].1, "`count < 0` can never be true: a count is never negative");
    assert_eq!(w[1].1, "`count < 0` can never be true: a count is never negative", "`0 > count` read as `count < 0`");
    assert!(w[3].1.starts_with("`pct > 101` can never be true: `pct` is declared in the range 0..100"), "{}", w[3].1);
}

#[test]
fn unsupported_format_version() {
    let text = doc(json!([]), json!([])).replace("policy-match/catalogue@1", "policy-match/catalogue@9");
    assert_eq!(errors(&text).0[0].error.kind(), "format");
}

/// Bounds on one field that leave it no value, across a policy's criteria
/// (which must all be met) or inside an `all`: a `never-true` warning at
/// the later test, naming both. Not for bounds that meet at one value, not
/// inside `any`, and a nested `all` is reported once, by itself.
#[test]
fn contradictory_bounds_are_never_true() {
    let fields = json!([num_field("staff"), {"name": "founded", "type": "date", "label": {"zh": "f", "en": "f"}}]);
    let crit = |id: &str, rule: serde_json::Value| json!({"id": id, "description": {"zh": "c", "en": "c"}, "rule": rule});
    let mut across = policy("across", json!(true));
    across["criteria"] = json!([
        crit("C1", json!({">=": [{"var": "staff"}, 300]})),
        crit("C2", json!({"<": [100, {"var": "staff"}]})),
        crit("C3", json!({"all": [{"<": [{"var": "staff"}, 100]}, {"provided": "founded"}]}))
    ]);
    let inside = policy("inside", json!({"all": [{">": [{"var": "founded"}, {"date": "2020-01-01"}]}, {"<=": [{"var": "founded"}, {"date": "2020-01-01"}]}]}));
    let nested = policy("nested", json!({"all": [{"provided": "staff"}, {"all": [{">": [{"var": "staff"}, 5]}, {"<": [{"var": "staff"}, 5]}]}]}));
    let fine = policy(
        "fine",
        json!({"all": [
            {">=": [{"var": "staff"}, 5]}, {"<=": [{"var": "staff"}, 5]},
            {"any": [{"==": [{"var": "staff"}, 1]}, {"==": [{"var": "staff"}, 2]}]},
            {"!=": [{"var": "staff"}, 5]}
        ]}),
    );
    let c = compile(&doc(fields, json!([across, inside, nested, fine])));
    let w: Vec<(String, String, String)> =
        c.warnings(None).into_iter().filter(|w| w.kind == "never-true").map(|w| (w.policy.unwrap_or_default(), w.location.path, w.message)).collect();
    assert_eq!(w.len(), 3, "{w:#?}");
    assert_eq!((w[0].0.as_str(), w[0].1.as_str()), ("across", "policies[0].criteria[2].rule"));
    assert!(w[0].2.contains("criterion C1 and criterion C3") && w[0].2.contains("`staff >= 300` and `staff < 100`"), "{}", w[0].2);
    assert_eq!((w[1].0.as_str(), w[1].1.as_str()), ("inside", "policies[1].criteria[0].rule.all[1]"));
    assert!(w[1].2.contains("`founded > 2020-01-01` and `founded <= 2020-01-01`"), "{}", w[1].2);
    assert_eq!((w[2].0.as_str(), w[2].1.as_str()), ("nested", "policies[2].criteria[0].rule.all[1].all[1]"));
}

/// Tests of a choice, text or yes/no field against literals that leave it
/// no value: allowed values with none in common, or every allowed value
/// excluded. Tests that leave a value (`!= "a"` with `in ["a", "b"]`), and
/// tests inside `any`, are not reported.
#[test]
fn contradictory_choices_are_never_true() {
    let option = |v: &str| json!({"value": v, "label": {"zh": v, "en": v}});
    let fields = json!([
        {"name": "kind", "type": "enum", "label": {"zh": "k", "en": "k"}, "options": [option("a"), option("b"), option("c")]},
        {"name": "listed", "type": "boolean", "label": {"zh": "l", "en": "l"}},
        {"name": "city", "type": "string", "label": {"zh": "c", "en": "c"}}
    ]);
    let crit = |id: &str, rule: serde_json::Value| json!({"id": id, "description": {"zh": "c", "en": "c"}, "rule": rule});
    let kind = || json!({"var": "kind"});
    let mut disjoint = policy("disjoint", json!(true));
    disjoint["criteria"] =
        json!([crit("C1", json!({"==": [kind(), "a"]})), crit("C2", json!({"provided": "listed"})), crit("C3", json!({"in": [kind(), ["b", "c"]]}))]);
    let excluded = policy("excluded", json!({"all": [{"in": [kind(), ["a", "b"]]}, {"not_in": [kind(), ["b", "a"]]}]}));
    let mut yes_no = policy("yes_no", json!(true));
    yes_no["criteria"] = json!([crit("C1", json!({"==": [{"var": "listed"}, true]})), crit("C2", json!({"==": [false, {"var": "listed"}]}))]);
    let text = policy("text", json!({"all": [{"==": [{"var": "city"}, "杭州"]}, {"!=": [{"var": "city"}, "杭州"]}]}));
    let fine = policy(
        "fine",
        json!({"all": [
            {"!=": [kind(), "a"]}, {"in": [kind(), ["a", "b"]]},
            {"any": [{"==": [kind(), "a"]}, {"==": [kind(), "c"]}]},
            {"==": [{"var": "city"}, "杭州"]}, {"!=": [{"var": "city"}, "宁波"]}
        ]}),
    );
    let c = compile(&doc(fields, json!([disjoint, excluded, yes_no, text, fine])));
    let w: Vec<(String, String, String)> =
        c.warnings(None).into_iter().filter(|w| w.kind == "never-true").map(|w| (w.policy.unwrap_or_default(), w.location.path, w.message)).collect();
    assert_eq!(w.len(), 4, "{w:#?}");
    assert_eq!((w[0].0.as_str(), w[0].1.as_str()), ("disjoint", "policies[0].criteria[2].rule"));
    assert!(w[0].2.contains("criterion C1 and criterion C3") && w[0].2.contains("`kind == \"a\"` and `kind in [\"b\", \"c\"]`"), "{}", w[0].2);
    assert_eq!((w[1].0.as_str(), w[1].1.as_str()), ("excluded", "policies[1].criteria[0].rule.all[1]"));
    assert!(w[1].2.contains("`kind in [\"a\", \"b\"]` and `kind not_in [\"b\", \"a\"]`"), "{}", w[1].2);
    assert_eq!((w[2].0.as_str(), w[2].1.as_str()), ("yes_no", "policies[2].criteria[1].rule"));
    assert!(w[2].2.contains("`listed == true` and `listed == false` leave `listed` no possible value"), "{}", w[2].2);
    assert_eq!((w[3].0.as_str(), w[3].1.as_str()), ("text", "policies[3].criteria[0].rule.all[1]"));
}

/// A derived value that no criterion, benefit formula or other derived
/// value reads is reported where it is declared.
#[test]
fn unused_derived_values_are_reported() {
    let derived = |name: &str, expr: serde_json::Value| json!({"name": name, "label": {"zh": name, "en": name}, "expr": expr});
    let mut d: serde_json::Value =
        serde_json::from_str(&doc(json!([num_field("x"), num_field("y")]), json!([policy("p", json!({">=": [{"var": "twice_plus_one"}, 3]}))]))).unwrap();
    d["derived"] = json!([
        derived("twice", json!({"*": [{"var": "x"}, 2]})),
        derived("twice_plus_one", json!({"+": [{"var": "twice"}, 1]})),
        derived("forgotten", json!({"+": [{"var": "only_for_forgotten"}, 1]})),
        derived("amount_only", json!({"*": [{"var": "y"}, 100]})),
        derived("only_for_forgotten", json!({"*": [{"var": "y"}, 3]}))
    ]);
    d["policies"][0]["benefit"] = json!({"text": {"zh": "b", "en": "b"}, "amount": {"var": "amount_only"}});
    let c = compile(&d.to_string());
    let mut w: Vec<(&str, String, String)> = c.warnings(None).into_iter().map(|w| (w.kind, w.location.path, w.message)).collect();
    w.sort();
    // `only_for_forgotten` is read, but only by a value nothing uses.
    let unused = |at: &str, name: &str| ("unused-derived", at.to_string(), format!("derived value `{name}` is declared but no rule uses it"));
    assert_eq!(w, [unused("derived[2]", "forgotten"), unused("derived[4]", "only_for_forgotten")]);
}

/// Every bad link of a policy is reported, each at its place, and nothing
/// about the placeholders put in to read on (no "`x` is not an http(s)
/// link"): an `ftp://` source with a misspelt key, then a `javascript:` one.
#[test]
fn every_bad_link_is_reported_and_no_placeholder() {
    let mut p = policy("p", json!(true));
    p["sources"] = json!([
        {"title": {"zh": "s", "en": "s"}, "url": "ftp://files.example.cn/policy.pdf"},
        {"label": {"zh": "s", "en": "s"}, "url": "javascript:alert(1)"}
    ]);
    let errs = errors(&doc(json!([]), json!([p]))).0;
    let got: Vec<(&str, String)> = errs.iter().map(|e| (e.location.path.as_str(), e.error.to_string())).collect();
    assert_eq!(got.len(), 3, "{got:#?}");
    assert_eq!(got[0].0, "policies[0].sources[0].title");
    assert_eq!(got[1].0, "policies[0].sources[0].url");
    assert!(got[1].1.contains("`ftp://files.example.cn/policy.pdf` is not an http(s) link"), "{}", got[1].1);
    assert_eq!(got[2].0, "policies[0].sources[1].url");
    assert!(got[2].1.contains("`javascript:alert(1)` is not an http(s) link"), "{}", got[2].1);
    // Pretty-printed, as people write it, a source with a link only (its
    // object's `}` on a line of its own after the placeholder).
    let mut p = policy("p", json!(true));
    p["sources"] = json!([{"url": "ftp://example.cn/a"}]);
    let text = serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&doc(json!([]), json!([p]))).unwrap()).unwrap();
    let got: Vec<String> = errors(&text).0.iter().map(|e| format!("{}: {}", e.location.path, e.error)).collect();
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(got[0].starts_with("policies[0].sources[0].url: `ftp://example.cn/a` is not an http(s) link"), "{got:?}");
}

/// The shipped catalogues have no warnings.
#[test]
fn shipped_catalogues_have_no_warnings() {
    let read = |f: &str| std::fs::read_to_string(crate::util::root().join("www/catalogues").join(f)).unwrap();
    let (n, z, d) = (read("cn-national-2026.json"), read("example-zone.json"), read("demo.json"));
    for sources in [vec![("n.json", n.as_str()), ("z.json", z.as_str())], vec![("d.json", d.as_str())]] {
        let c = Catalogue::from_sources(&sources).unwrap_or_else(|e| panic!("{e}"));
        let w = c.warnings(Some("2026-07-01".parse().unwrap()));
        assert!(w.is_empty(), "{w:#?}");
    }
}

/// A band row that the rows before it always pre-empt (one row that takes
/// every value it would, or a lower and an upper row that together take
/// every value) is reported, at that row; rows that leave it values are not.
#[test]
fn band_rows_no_value_can_reach_are_never_chosen() {
    let rows = json!([
        {">=": 100, "then": 1}, {">=": 200, "then": 2}, {"<": 50, "then": 3}, {"==": 70, "then": 4},
        {">": 100, "then": 5}, {"<": 100, "then": 6}, {"==": 60, "then": 7}, {"else": 0}
    ]);
    let band = policy("band", json!({">=": [{"band": {"of": {"var": "staff"}, "rows": rows}}, 1]}));
    // `< 5` and `> 5` leave 5 itself: `== 5` can still be chosen.
    let gap = policy(
        "gap",
        json!({">=": [{"band": {"of": {"var": "staff"}, "rows": [{"<": 5, "then": 1}, {">": 5, "then": 2}, {"==": 5, "then": 3}, {"else": 0}]}}, 1]}),
    );
    let c = compile(&doc(json!([num_field("staff")]), json!([band, gap])));
    let w: Vec<(String, String)> = c.warnings(None).into_iter().filter(|w| w.kind == "never-true").map(|w| (w.location.path, w.message)).collect();
    let paths: Vec<&str> = w.iter().map(|x| x.0.as_str()).collect();
    let at = |i: usize| format!("policies[0].criteria[0].rule.>=[0].band.rows[{i}]");
    assert_eq!(paths, [at(1), at(4), at(6)], "{w:#?}");
    assert!(w[0].1.starts_with("band row 2 (`>= 200`) can never be chosen: row 1 (`>= 100`)"), "{}", w[0].1);
    // Rows counted from 1 in the message, as explanations show them (the path counts from 0).
    assert!(w[2].1.starts_with("band row 7 (`== 60`) can never be chosen: row 6 (`< 100`)"), "{}", w[2].1);
}

/// Warnings are located in one pass (`locate_all`), at the same places as
/// one `locate` per path: every criterion rule, field and validity of the
/// national catalogue, paths that stop early, and paths outside arrays.
#[test]
fn locating_many_paths_at_once_agrees_with_one_at_a_time() {
    use policy_match::catalogue::{locate, locate_all};
    use policy_match::rules::Seg;
    let text = crate::util::read(crate::util::NATIONAL);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let k = |s: &str| Seg::Key(s.to_string().into());
    let mut paths: Vec<Vec<Seg>> = vec![vec![k("title"), k("zh")], vec![k("nope")], vec![k("policies"), Seg::Index(9999)], vec![]];
    for (pi, p) in doc["policies"].as_array().unwrap().iter().enumerate() {
        paths.push(vec![k("policies"), Seg::Index(pi), k("valid_until")]);
        for ci in 0..p["criteria"].as_array().unwrap().len() {
            paths.push(vec![k("policies"), Seg::Index(pi), k("criteria"), Seg::Index(ci), k("rule")]);
            paths.push(vec![k("policies"), Seg::Index(pi), k("criteria"), Seg::Index(ci), k("missing"), Seg::Index(3)]);
        }
    }
    for fi in 0..doc["fields"].as_array().unwrap().len() {
        paths.push(vec![k("fields"), Seg::Index(fi)]);
    }
    paths.reverse();
    let refs: Vec<&[Seg]> = paths.iter().map(|p| &p[..]).collect();
    let one_by_one: Vec<(usize, usize)> = paths.iter().map(|p| locate(&text, p)).collect();
    assert_eq!(locate_all(&text, &refs), one_by_one);
    assert!(one_by_one.iter().filter(|&&(line, _)| line > 1).count() > 100);
}

#[test]
fn many_mistakes_in_two_files_are_each_located_in_their_own_file() {
    // The zone file is given first but read second (it extends the
    // national one), so each error must be located in the text it came from.
    let national_policies: Vec<_> = (0..40).map(|i| policy(&format!("n{i}"), json!({">": [{"var": format!("nx{i}")}, 0]}))).collect();
    let national =
        serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&doc(json!([num_field("n")]), json!(national_policies))).unwrap()).unwrap();
    let zone_policies: Vec<_> = (0..40).map(|i| policy(&format!("z{i}"), json!({">": [{"var": format!("zx{i}")}, 0]}))).collect();
    let zone = serde_json::to_string_pretty(&json!({
        "format": "policy-match/catalogue@1", "id": "zone", "version": "1", "updated": "2026-01-01", "title": {"zh": "园区", "en": "Zone"},
        "extends": ["t"], "policies": zone_policies
    }))
    .unwrap();
    let errs = Catalogue::from_sources(&[("zone.json", &zone), ("national.json", &national)]).unwrap_err().0;
    assert_eq!(errs.len(), 80, "{errs:?}");
    for e in &errs {
        let p = e.policy.as_deref().unwrap();
        let (file, text) = if p.starts_with('n') { ("national.json", &national) } else { ("zone.json", &zone) };
        assert_eq!(e.location.file, file, "{e}");
        let unknown = format!("\"{}x{}\"", &p[..1], &p[1..]);
        assert_eq!((e.location.line, e.location.column), pos(text, &unknown), "{e}");
    }
}

/// A policy with several mistakes gets one error for each, each at its own
/// line, and none that only restates another (a required key misspelt is
/// not also "missing"; a bad required value taken out is not "missing"
/// either); later policies are still read.
#[test]
fn every_mistake_of_one_policy_is_reported_not_just_the_first() {
    let text = r#"{
  "format": "policy-match/catalogue@1", "id": "t", "version": "1", "updated": "2026-01-01",
  "title": {"zh": "测试", "en": "Test"},
  "fields": [{"name": "n", "type": "number", "label": {"zh": "n", "en": "n"}}],
  "policies": [
    {
      "id": "a",
      "titel": {"zh": "甲", "en": "A"},
      "issuer": {"zh": "局", "en": "Bureau"},
      "category": "taxes",
      "valid_from": "2026-13-01",
      "tags": [1],
      "criteria": [
        {"id": "C1", "descripton": {"zh": "条件", "en": "condition"}, "rule": true},
        {"description": {"zh": "条件", "en": "condition"}, "rule": {">": [{"var": "n"}, 0]}},
        {"id": "C3", "description": {"zh": "条件", "en": "condition"}, "rule": true, "note": 5}
      ]
    },
    {
      "id": "b",
      "title": {"zh": "乙", "en": "B"},
      "issuer": {"zh": "局", "en": "Bureau"},
      "category": "subsidy",
      "criteria": [{"id": "C1", "description": {"zh": "条件"}, "rule": true}]
    }
  ]
}"#;
    let errs = errors(text).0;
    let got: Vec<(&str, &str, usize)> = errs.iter().map(|e| (e.location.path.as_str(), e.policy.as_deref().unwrap_or(""), e.location.line)).collect();
    let line = |needle: &str| pos(text, needle).0;
    assert_eq!(
        got,
        [
            ("policies[0].titel", "a", line("\"titel\"")),
            ("policies[0].category", "a", line("\"taxes\"")),
            ("policies[0].valid_from", "a", line("2026-13-01")),
            ("policies[0].tags[0]", "a", line("[1]")),
            ("policies[0].criteria[0].descripton", "a", line("\"descripton\"")),
            ("policies[0].criteria[1]", "a", line("{\"description\": {\"zh\": \"条件\", \"en\": \"condition\"}, \"rule\": {")),
            ("policies[0].criteria[2].note", "a", line("\"note\": 5")),
            ("policies[1].criteria[0].description", "b", line("{\"zh\": \"条件\"}")),
        ],
        "{errs:#?}"
    );
    let messages: Vec<String> = errs.iter().map(|e| e.error.to_string()).collect();
    assert!(messages[0].starts_with("unknown field `titel`"), "{messages:?}");
    assert!(messages[1].contains("`taxes`"), "{messages:?}");
    assert_eq!(messages[5], "missing field `id`");
    assert_eq!(messages[7], "missing field `en`");
    assert!(!messages.iter().any(|m| m == "missing field `title`" || m == "missing field `category`" || m == "missing field `description`"), "{messages:?}");
}

/// Structural mistakes in policies do not hide the rules' errors: the
/// policies are compiled as read without their mistakes, and errors that
/// only placeholders cause (a criterion put back without its `id`) are
/// not reported. A mistake in a field declaration does hide them: rules
/// are only compiled against declarations as written.
#[test]
fn rule_errors_are_reported_with_structural_ones_unless_a_declaration_is_broken() {
    let text = |field_type: &str| {
        format!(
            r#"{{
  "format": "policy-match/catalogue@1", "id": "t", "version": "1", "updated": "2026-01-01",
  "title": {{"zh": "测试", "en": "Test"}},
  "fields": [{{"name": "n", "type": "{field_type}", "label": {{"zh": "n", "en": "n"}}}}],
  "policies": [
    {{"id": "a", "title": {{"zh": "甲", "en": "A"}}, "issuer": {{"zh": "局", "en": "Bureau"}}, "category": "taxes",
      "criteria": [
        {{"description": {{"zh": "条件", "en": "condition"}}, "rule": {{">": [{{"var": "staff"}}, 0]}}}}
      ]}},
    {{"id": "b", "title": {{"zh": "乙", "en": "B"}}, "issuer": {{"zh": "局", "en": "Bureau"}}, "category": "subsidy",
      "criteria": [{{"id": "C1", "description": {{"zh": "条件", "en": "c"}}, "rule": {{">=": [{{"var": "n"}}, "x"]}}}}]}}
  ]
}}"#
        )
    };
    let sound = text("number");
    let errs = errors(&sound).0;
    let got: Vec<(&str, &str, (usize, usize))> =
        errs.iter().map(|e| (e.error.kind(), e.location.path.as_str(), (e.location.line, e.location.column))).collect();
    assert_eq!(
        got,
        [
            ("schema", "policies[0].category", (pos(&sound, "\"taxes\"").0, pos(&sound, "\"taxes\"").1 + 6)),
            ("schema", "policies[0].criteria[0]", pos(&sound, "}\n      ]}")),
            ("unknown-field", "policies[0].criteria[0].rule.>[0].var", pos(&sound, "\"staff\"")),
            ("type-error", "policies[1].criteria[0].rule.>=", pos(&sound, "[{\"var\": \"n\"}, \"x\"]")),
        ],
        "{errs:#?}"
    );
    let broken = text("decimal");
    let kinds: Vec<&str> = errors(&broken).0.iter().map(|e| e.error.kind()).collect();
    assert_eq!(kinds, ["schema", "schema", "schema"], "{:#?}", errors(&broken));
}

/// A value in percent (10 means 10 %) compared with a fraction: 0.1 is
/// 0.1 %, most likely 10 % written as a ratio. Warned at the number, for
/// fields and derived values in percent, on either side of a comparison
/// and in a band table's bounds or results (when every result is a
/// fraction); 10, 0 and fractions compared with values not in percent are
/// not warned.
#[test]
fn a_percent_compared_with_a_fraction_is_warned() {
    let pct = json!({"name": "share", "type": "number", "unit": "percent", "label": {"zh": "占比", "en": "share"}});
    let text = serde_json::json!({
        "format": "policy-match/catalogue@1", "id": "t", "version": "1", "updated": "2026-01-01",
        "title": {"zh": "测试", "en": "Test"},
        "fields": [pct, num_field("staff"), num_field("rd")],
        "derived": [{"name": "rd_pct", "unit": "percent", "label": {"zh": "研发占比", "en": "R&D share"}, "expr": {"*": [{"/": [{"var": "rd"}, {"var": "staff"}]}, 100]}}],
        "policies": [
            policy("a", json!({"all": [{">=": [{"var": "share"}, 0.6]}, {">=": [{"var": "share"}, 60]}, {">": [{"var": "share"}, 0]}]})),
            policy("b", json!({"<": [0.05, {"var": "rd_pct"}]})),
            policy("c", json!({">=": [{"var": "staff"}, 0.5]})),
            policy("d", json!({">=": [{"band": {"of": {"var": "share"}, "rows": [{">=": 0.3, "then": 20}, {">=": 15, "then": 8}, {"else": 0}]}}, 8]})),
            // Thresholds by band, as the HNTE R&D share by revenue: fractions
            // for a percent (e), percents (f), one threshold not a literal (g).
            policy("e", json!({">=": [{"var": "rd_pct"}, {"band": {"of": {"var": "staff"}, "rows": [{"<=": 50, "then": 0.05}, {"<=": 200, "then": 0.04}, {"else": 0}]}}]})),
            policy("f", json!({">=": [{"var": "rd_pct"}, {"band": {"of": {"var": "staff"}, "rows": [{"<=": 50, "then": 5}, {"else": 0.5}]}}]})),
            policy("g", json!({">=": [{"var": "rd_pct"}, {"band": {"of": {"var": "staff"}, "rows": [{"<=": 50, "then": 0.05}, {"else": {"var": "share"}}]}}]}))
        ]
    })
    .to_string();
    let c = compile(&text);
    let all = c.warnings(None);
    let w: Vec<(&str, &str, &str)> =
        all.iter().filter(|w| w.kind == "percent-scale").map(|w| (w.policy.as_deref().unwrap_or(""), w.location.path.as_str(), w.message.as_str())).collect();
    assert_eq!(
        w,
        [
            ("a", "policies[0].criteria[0].rule.all[0].>=[1]", "compares a value in percent (10 means 10%) with 0.6, which is 0.6%; if 60% is meant, write 60"),
            ("b", "policies[1].criteria[0].rule.<[0]", "compares a value in percent (10 means 10%) with 0.05, which is 0.05%; if 5% is meant, write 5"),
            (
                "d",
                "policies[3].criteria[0].rule.>=[0].band.rows[0].>=",
                "compares a value in percent (10 means 10%) with 0.3, which is 0.3%; if 30% is meant, write 30"
            ),
            (
                "e",
                "policies[4].criteria[0].rule.>=[1]",
                "compares a value in percent (10 means 10%) with a band table whose results (0.05, 0.04, 0) are fractions; if 5%, 4%, 0% are meant, write 5, 4, 0"
            ),
        ]
    );
}

/// A benefit formula is checked like a criterion: a band row the rows
/// before it pre-empt (rows not sorted: `<= 20,000,000` before `<= 5,000,000`)
/// and a percent compared with a fraction are warned there too.
#[test]
fn a_benefit_formulas_band_rows_and_percent_fractions_are_warned() {
    let pct = json!({"name": "share", "type": "number", "unit": "percent", "label": {"zh": "占比", "en": "share"}});
    let mut p = policy("rd", json!({">": [{"var": "rd"}, 0]}));
    let rate = json!({"band": {"of": {"var": "rd"}, "rows": [{"<=": 20000000, "then": 8}, {"<=": 5000000, "then": 10}, {"else": 5}]}});
    p["benefit"] = json!({"text": {"zh": "补助", "en": "subsidy"},
        "amount": {"if": [{">=": [{"var": "share"}, 0.05]}, {"*": [{"var": "rd"}, {"/": [rate, 100]}]}, 0]}});
    let c = compile(&doc(json!([num_field("rd"), pct]), json!([p])));
    let w: Vec<(String, &str, Option<String>)> = c.warnings(None).into_iter().map(|w| (w.location.path, w.kind, w.policy)).collect();
    let rd = Some("rd".to_string());
    assert_eq!(
        w,
        [
            ("policies[0].benefit.amount.if[0].>=[1]".to_string(), "percent-scale", rd.clone()),
            ("policies[0].benefit.amount.if[1].*[1]./[0].band.rows[1]".to_string(), "never-true", rd),
        ]
    );
}

/// An enum or multi-select option written in a rule as its label or alias
/// (`国家级` where the code is `national`) gets the code as "did you mean";
/// Chinese text like no option gets no suggestion (it used to get `ic`:
/// the length allowance counted bytes, 3 per Chinese character).
#[test]
fn an_option_written_as_its_label_or_alias_suggests_its_code() {
    let opts = json!([
        {"value": "national", "label": {"zh": "国家级", "en": "National"}},
        {"value": "provincial", "label": {"zh": "省级", "en": "Provincial"}, "aliases": ["省"]}
    ]);
    let chains =
        json!([{"value": "ic", "label": {"zh": "集成电路", "en": "IC"}}, {"value": "smart_mfg", "label": {"zh": "智能制造装备", "en": "Smart manufacturing"}}]);
    let fields = json!([
        {"name": "level", "type": "enum", "options": opts, "label": {"zh": "级别", "en": "Level"}},
        {"name": "chains", "type": "string_list", "options": chains, "label": {"zh": "产业链", "en": "Chains"}}
    ]);
    let rule = json!({"all": [
        {"in": [{"var": "level"}, ["国家级", "Provincial", "省"]]},
        {"contains_any": [{"var": "chains"}, ["智能制造装备", "生物医药"]]}
    ]});
    let errs = errors(&doc(fields, json!([policy("p", rule)]))).0;
    let got: Vec<(&str, String)> = errs.iter().map(|e| (e.location.path.as_str(), e.error.to_string())).collect();
    let at = |s: &str| format!("policies[0].criteria[0].rule.all{s}");
    let expect = [
        (at("[0].in[1][0]"), "`国家级` is not an option of `level` (did you mean `national`?)"),
        (at("[0].in[1][1]"), "`Provincial` is not an option of `level` (did you mean `provincial`?)"),
        (at("[0].in[1][2]"), "`省` is not an option of `level` (did you mean `provincial`?)"),
        (at("[1].contains_any[1][0]"), "`智能制造装备` is not an option of `chains` (did you mean `smart_mfg`?)"),
        (at("[1].contains_any[1][1]"), "`生物医药` is not an option of `chains` (options: ic, smart_mfg)"),
    ];
    assert_eq!(got.len(), expect.len(), "{got:#?}");
    for ((path, msg), (want_path, want)) in got.iter().zip(&expect) {
        assert_eq!(path, want_path);
        assert!(msg.starts_with(want), "{msg}\n  should start with {want}");
    }
}

/// Mistakes with a fix the message can name: an amount in quotes, a score
/// used as a criterion without a minimum.
#[test]
fn quoted_amounts_and_bare_scores_say_what_to_write() {
    let mut p = policy("p", json!({"score": {"parts": [{"id": "a", "label": {"zh": "甲", "en": "A"}, "points": {"var": "n"}}]}}));
    p["benefit"] = json!({"text": {"zh": "奖励", "en": "reward"}, "amount": "300000"});
    let errs = errors(&doc(json!([num_field("n")]), json!([p]))).0;
    let got: Vec<(&str, String)> = errs.iter().map(|e| (e.location.path.as_str(), e.error.to_string())).collect();
    let expect = [
        ("policies[0].criteria[0].rule", "expected a boolean expression, found a number: a criterion is a test, such as {\">=\": [a, b]}"),
        ("policies[0].benefit.amount", "expected a number expression, found a string: write numbers without quotes or thousands separators: 300000"),
    ];
    assert_eq!(got.len(), expect.len(), "{got:#?}");
    for ((path, msg), (want_path, want)) in got.iter().zip(&expect) {
        assert_eq!(path, want_path);
        assert!(msg.ends_with(want), "{msg}\n  should end with {want}");
    }
}

/// Stacking that cannot mean anything: a policy with itself, one pair listed
/// twice in a policy, or two policies giving different rules for each other
/// (which applies would be a guess). The same rule given on both sides is fine.
#[test]
fn stacking_a_policy_with_itself_or_one_pair_twice_is_an_error() {
    let stack = |id: &str, entries: serde_json::Value| {
        let mut p = policy(id, json!({">": [{"var": "n"}, 0]}));
        p["stacking"] = entries;
        p
    };
    let policies = json!([
        stack("a", json!([{"policy": "a", "rule": "exclusive"}])),
        stack("b", json!([{"policy": "c", "rule": "stackable"}, {"policy": "c", "rule": "exclusive"}])),
        stack("c", json!([{"policy": "d", "rule": "take_higher"}])),
        stack("d", json!([{"policy": "c", "rule": "stackable"}, {"policy": "e", "rule": "exclusive"}])),
        stack("e", json!([{"policy": "d", "rule": "exclusive"}])),
    ]);
    let errs = errors(&doc(json!([num_field("n")]), policies)).0;
    let got: Vec<(Option<&str>, &str, &str)> = errs.iter().map(|e| (e.policy.as_deref(), e.location.path.as_str(), e.error.kind())).collect();
    assert_eq!(
        got,
        [
            (Some("a"), "policies[0].stacking[0].policy", "invalid"),
            (Some("b"), "policies[1].stacking[1].policy", "invalid"),
            (Some("d"), "policies[3].stacking[0].policy", "invalid"),
        ],
        "{errs:#?}"
    );
    assert!(errs[0].error.to_string().contains("cannot be stacked with itself"), "{}", errs[0]);
    assert!(errs[2].error.to_string().contains("keep one rule for the pair"), "{}", errs[2]);
}

fn qa_zone() -> (String, String) {
    use crate::util::{read, NATIONAL};
    (read(NATIONAL), read("tests/fixtures/qa-zone-2026.json"))
}

/// The zone catalogue a policy staffer wrote from the README alone (eight
/// policies: band tables in a criterion and in an amount, a score, `none` and
/// `count` over dates, national verdicts in a criterion and in an amount,
/// stacking) compiles with no warning, and gives the amounts its benefit
/// texts state for a manufacturer that meets every criterion but the IP
/// award's chain.
#[test]
fn a_staffers_zone_catalogue_compiles_and_pays_what_its_texts_say() {
    use policy_match::matching::{Profile, Verdict};
    let (n, z) = qa_zone();
    let c = Catalogue::from_sources(&[("n.json", &n), ("qa.json", &z)]).unwrap_or_else(|e| panic!("{e}"));
    let as_of = "2026-07-01".parse().unwrap();
    assert!(c.warnings(Some(as_of)).is_empty(), "{:#?}", c.warnings(Some(as_of)));
    let p = Profile::from_json_str(
        &c,
        r#"{"ql_registered_in_zone": true, "rd_expense_2025_cny": 8000000, "rd_expense_2024_cny": 6000000,
            "operating_revenue_2025_cny": 150000000, "accounting_sound_and_rd_costs_separately_tracked": true,
            "ql_admin_penalty_dates": ["2023-09-01"], "ql_first_set_level": "省级", "ql_first_set_recognition_date": "2025-03-01",
            "ql_first_set_sales_cny": 12000000, "ql_talent_doctorate_count": 2, "ql_talent_master_count": 5,
            "ql_talent_bachelor_count": 30, "ql_key_chains": ["智能制造"], "tax_credit_rating_2025": "A",
            "ql_first_above_scale_year": 2025, "ql_industrial_output_2025_cny": 120000000, "industry_gb4754_section": "C",
            "holds_srdi_sme_title": true, "ip_class1_count": 2, "ip_class2_count": 5, "ql_loan_disbursed_date": "2025-09-15",
            "ql_loan_interest_paid_cny": 300000, "hnte_certificate_issue_date": "2025-12-01", "ql_zone_entry_date": "2020-01-01",
            "entity_type": "company", "pct_applications_count": 3}"#,
    )
    .unwrap();
    let r = c.evaluate(&p, as_of);
    let get = |id: &str| r.results.iter().find(|x| x.policy == id).unwrap_or_else(|| panic!("{id}"));
    // R&D ¥8m is in the 8% band (¥5m–20m): ¥640,000 (cap ¥2m). Provincial
    // first-of-its-kind: 10% of ¥12m = ¥1.2m (cap ¥2m). Rent: 12 × (2 × 2000 +
    // 5 × 1000 + 30 × 500) = ¥288,000. Output ¥120m > ¥100m: ¥200,000. Loan:
    // 50% of ¥300,000. First HNTE recognition: ¥300,000.
    for (id, amount) in [
        ("ql_rd_post_subsidy", 640000),
        ("ql_first_set_equipment_award", 1200000),
        ("ql_talent_rent_subsidy", 288000),
        ("ql_first_above_scale_reward", 200000),
        ("ql_tech_loan_interest_subsidy", 150000),
        ("ql_hnte_first_recognition_reward", 300000),
    ] {
        let x = get(id);
        assert_eq!((x.verdict, x.benefit.as_ref().and_then(|b| b.amount)), (Verdict::Qualifies, Some(amount.into())), "{id}");
    }
    // Score: R&D 5.33% → 30, IP min(2 × 10 + 5 × 2, 30) = 30, R&D growth 33% → 30:
    // 90 ≥ 60; one penalty in three years. The amount waits for the national
    // SRDI verdicts, which are undecided.
    let ladder = get("ql_srdi_ladder_reward");
    assert_eq!((ladder.verdict, ladder.benefit.as_ref().and_then(|b| b.amount)), (Verdict::Qualifies, None));
    // 智能制造 is smart_mfg, not IC or biomedicine.
    assert_eq!((get("ql_chain_ip_award").verdict, get("ql_chain_ip_award").failed.clone()), (Verdict::DoesNotQualify, vec!["C1".to_string()]));
}

/// Mistakes a staffer makes editing that catalogue, each reported at its
/// policy, path and line: an option written as its label, an unsorted band
/// table in an amount, a policy stacked with itself, a percent as a fraction.
#[test]
fn a_staffers_mistakes_in_that_catalogue_are_each_reported_at_their_place() {
    let (n, z) = qa_zone();
    let planted = [
        (r#"["national", "provincial"]"#, r#"["国家级", "provincial"]"#),
        (r#"[{"<=": 5000000, "then": 10}, {"<=": 20000000, "then": 8}"#, r#"[{"<=": 20000000, "then": 8}, {"<=": 5000000, "then": 10}"#),
        (r#""stacking": [{"policy": "ql_srdi_ladder_reward", "rule": "stackable"}]"#, r#""stacking": [{"policy": "ql_rd_post_subsidy", "rule": "stackable"}]"#),
    ];
    let mut bad = z.clone();
    for (from, to) in planted {
        assert!(bad.contains(from), "{from}");
        bad = bad.replacen(from, to, 1);
    }
    let errs = match Catalogue::from_sources(&[("n.json", &n), ("qa.json", &bad)]) {
        Ok(_) => panic!("expected errors"),
        Err(e) => e.0,
    };
    let line = |needle: &str| pos(&bad, needle).0;
    let got: Vec<(Option<&str>, &str, &str, usize)> =
        errs.iter().map(|e| (e.policy.as_deref(), e.location.path.as_str(), e.location.file.as_str(), e.location.line)).collect();
    assert_eq!(
        got,
        [
            (Some("ql_rd_post_subsidy"), "policies[0].stacking[0].policy", "qa.json", line(r#""stacking": [{"policy": "ql_rd_post_subsidy""#)),
            (Some("ql_first_set_equipment_award"), "policies[1].criteria[1].rule.in[1][0]", "qa.json", line("国家级\", \"provincial")),
        ],
        "{errs:#?}"
    );
    assert!(errs[1].error.to_string().contains("(did you mean `national`?)"), "{}", errs[1]);
    // With the errors fixed, the unsorted band table is still warned.
    let fixed = bad.replacen(r#"["国家级", "provincial"]"#, r#"["national", "provincial"]"#, 1).replacen(
        r#""stacking": [{"policy": "ql_rd_post_subsidy""#,
        r#""stacking": [{"policy": "ql_srdi_ladder_reward""#,
        1,
    );
    let c = Catalogue::from_sources(&[("n.json", &n), ("qa.json", &fixed)]).unwrap_or_else(|e| panic!("{e}"));
    let w: Vec<(Option<String>, String, usize)> = c.warnings(None).into_iter().map(|w| (w.policy, w.location.path, w.location.line)).collect();
    assert_eq!(
        w,
        [(Some("ql_rd_post_subsidy".into()), "policies[0].benefit.amount.min[0].*[1]./[0].band.rows[1]".into(), line(r#"{"<=": 5000000, "then": 10}"#))]
    );
}

/// A text, a benefit or an application written as a plain string says what
/// shape is expected in JSON terms, not serde's ("expected struct Text").
#[test]
fn a_plain_string_where_an_object_belongs_shows_the_object() {
    let mut p = policy("p", json!({">": [{"var": "n"}, 0]}));
    p["summary"] = json!("研发后补助");
    p["benefit"] = json!("每件奖励1万元");
    p["application"] = json!("https://zone.example.cn/apply");
    let errs = errors(&doc(json!([num_field("n")]), json!([p]))).0;
    let got: Vec<(&str, String)> = errs.iter().map(|e| (e.location.path.as_str(), e.error.to_string())).collect();
    assert_eq!(got.len(), 3, "{got:#?}");
    for ((path, msg), (want_path, want)) in got.iter().zip([
        ("policies[0].application", "expected an object {\"url\": …, \"opens\": …, \"closes\": …, …}"),
        ("policies[0].benefit", "expected an object {\"text\": {\"zh\": …, \"en\": …}, \"amount\": …}"),
        ("policies[0].summary", "expected a text {\"zh\": \"…\", \"en\": \"…\"}"),
    ]) {
        assert_eq!(*path, want_path);
        assert!(msg.ends_with(want), "{msg}");
    }
}
