//! Reading profiles: JSON object, JSON array, CSV; bad values reported per
//! profile and field, other fields and profiles still evaluated.

use policy_match::matching::{profiles_from_csv, profiles_from_json, Profile, ProfileError};
use policy_match::rules::Value;
use serde_json::json;

use crate::util::{catalogues, compile, doc, policy, NATIONAL};

fn catalogue() -> policy_match::catalogue::Catalogue {
    compile(&doc(
        json!([
            {"name": "staff", "type": "integer", "label": {"zh": "职工", "en": "Staff"}, "min": 0},
            {"name": "revenue", "type": "number", "unit": "cny", "label": {"zh": "营收", "en": "Revenue"}},
            {"name": "hnte", "type": "boolean", "label": {"zh": "高企", "en": "HNTE"}},
            {"name": "size", "type": "enum", "label": {"zh": "规模", "en": "Size"}, "options": [
                {"value": "small", "label": {"zh": "小型", "en": "Small"}}, {"value": "micro", "label": {"zh": "微型", "en": "Micro"}}]},
            {"name": "registered", "type": "date", "label": {"zh": "注册日期", "en": "Registered"}},
            {"name": "incidents", "type": "date_list", "label": {"zh": "事故", "en": "Incidents"}}
        ]),
        json!([policy(
            "p",
            json!({"all": [{"<=": [{"var": "staff"}, 300]}, {"provided": "revenue"}, {"provided": "hnte"}, {"provided": "size"}, {"provided": "registered"}, {"provided": "incidents"}]})
        )]),
    ))
}

#[test]
fn json_object_array_and_null() {
    let c = catalogue();
    let ps = profiles_from_json(&c, r#"[{"id": "a", "staff": 10, "revenue": null}, {"staff": 0, "hnte": false}]"#).unwrap();
    assert_eq!(ps.len(), 2);
    assert_eq!(ps[0].id.as_deref(), Some("a"));
    assert_eq!(ps[0].get(&c, "revenue"), Some(&Value::Missing));
    assert_eq!(ps[1].get(&c, "staff"), Some(&Value::Num(0.into())));
    assert_eq!(ps[1].get(&c, "hnte"), Some(&Value::Bool(false)));
    let one = profiles_from_json(&c, r#"{"staff": 3}"#).unwrap();
    assert_eq!(one.len(), 1);
}

#[test]
fn wrong_types_are_reported_per_field_and_the_rest_still_counts() {
    let c = catalogue();
    let p = Profile::from_json(
        &c,
        &json!({"staff": 12.5, "revenue": "lots", "hnte": "maybe", "size": "huge", "registered": "2025-02-30", "incidents": [1], "revenue_2030": 1, "id": "x"}),
    )
    .unwrap();
    let bad: Vec<(&str, &str)> = p.issues.iter().map(|i| (i.kind, i.field.as_str())).collect();
    assert_eq!(bad.len(), 7, "{bad:?}");
    assert!(bad.contains(&("unknown-field", "revenue_2030")));
    for f in ["staff", "revenue", "hnte", "size", "registered", "incidents"] {
        assert!(bad.contains(&("invalid-value", f)), "{f}: {bad:?}");
        assert_eq!(p.get(&c, f), Some(&Value::Missing), "{f} must be treated as not provided");
    }
}

#[test]
fn human_entered_values_are_understood() {
    let c = catalogue();
    let p = Profile::from_json(&c, &json!({"revenue": "¥1,234,567.50", "staff": "１２", "hnte": "是", "size": "微型", "incidents": "2025-01-01；2025-03-02"}))
        .unwrap();
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    assert_eq!(p.get(&c, "revenue"), Some(&Value::Num("1234567.5".parse().unwrap())));
    assert_eq!(p.get(&c, "staff"), Some(&Value::Num(12.into())));
    assert_eq!(p.get(&c, "hnte"), Some(&Value::Bool(true)));
    assert_eq!(p.get(&c, "size"), Some(&Value::Str("micro".into())));
    assert!(matches!(p.get(&c, "incidents"), Some(Value::Dates(d)) if d.len() == 2));
}

#[test]
fn misplaced_digit_separators_are_not_numbers() {
    let c = catalogue();
    // Thousands separators between groups of three (and spaces around the number) are fine...
    for (text, want) in [("1,234,567.5", "1234567.5"), ("1 234", "1234"), ("¥ 3,000", "3000"), ("１，２３４", "1234"), ("-12,345", "-12345"), ("999", "999")]
    {
        let p = Profile::from_json(&c, &json!({ "revenue": text })).unwrap();
        assert!(p.issues.is_empty(), "{text}: {:?}", p.issues);
        assert_eq!(p.get(&c, "revenue"), Some(&Value::Num(want.parse().unwrap())), "{text}");
    }
    // ...anything else would silently drop the separator and read another number
    // (2,5 as 25; 1,00,000 as 100000; 1.000,5 as 1.0005): an invalid value instead.
    for text in ["2,5", "1,00,000", "1.000,5", "12,34", "1,2345", "1,,234", "1, 234", "0.123,456"] {
        let p = Profile::from_json(&c, &json!({ "revenue": text })).unwrap();
        assert_eq!(p.get(&c, "revenue"), Some(&Value::Missing), "{text} must not be read as a number");
        let issue = p.issues.iter().find(|i| i.kind == "invalid-value").unwrap_or_else(|| panic!("{text}: {:?}", p.issues));
        assert!(issue.message.contains("digit separators") && issue.message_zh.contains("分隔符"), "{text}: {issue:?}");
    }
}

#[test]
fn csv_with_bad_rows_keeps_every_other_row() {
    let c = catalogue();
    let text = "\u{feff}id,staff,revenue,size,incidents,extra\nA,10,1000,small,,x\nB,many,2000,micro,none,y\nC,20\n\n\"D, Ltd\",30,\"3,000\",small,2025-01-01;2025-02-01,z\n";
    let ps = profiles_from_csv(&c, text).unwrap();
    assert_eq!(ps.iter().map(|p| p.id.clone().unwrap()).collect::<Vec<_>>(), ["A", "B", "C", "D, Ltd"]);
    let b = &ps[1];
    assert_eq!(b.issues.iter().filter(|i| i.kind == "invalid-value").count(), 1);
    assert_eq!(b.issues.iter().find(|i| i.kind == "invalid-value").unwrap().row, Some(3));
    assert_eq!(b.get(&c, "revenue"), Some(&Value::Num(2000.into())));
    assert!(matches!(b.get(&c, "incidents"), Some(Value::Dates(d)) if d.is_empty()));
    let row = ps[2].issues.iter().find(|i| i.kind == "invalid-row").unwrap();
    assert!(row.to_string().starts_with("row 4: the row has "), "{row}");
    assert_eq!(ps[3].get(&c, "revenue"), Some(&Value::Num(3000.into())));
    // Issues name the source line: D is on line 6, after the blank line 5.
    let ps = profiles_from_csv(&c, "id,staff\nA,1\n\n\"B\nLtd\",2\nC,lots\n\n\nD,3,x,y,z,w,v\n").unwrap();
    let rows: Vec<Vec<Option<usize>>> = ps.iter().map(|p| p.issues.iter().map(|i| i.row).collect()).collect();
    // Lines: header 1, A 2, blank 3, B 4–5, C 6, blank 7–8, D 9.
    assert_eq!(rows, [vec![], vec![], vec![Some(6)], vec![Some(9)]]);
}

#[test]
fn not_a_profile() {
    let c = catalogue();
    assert!(matches!(profiles_from_json(&c, "42"), Err(ProfileError::Shape { .. })));
    // Elements that are not objects are reported, each in its place.
    let ps = profiles_from_json(&c, r#"[1, {"staff": 2}, null]"#).unwrap();
    let kinds: Vec<Vec<&str>> = ps.iter().map(|p| p.issues.iter().map(|i| i.kind).collect()).collect();
    assert_eq!(kinds, [vec!["invalid-profile"], vec![], vec!["invalid-profile"]]);
    assert_eq!(ps[2].issues[0].to_string(), "element [2] is null, not an object; nothing was read from it (value: null)");
    assert_eq!(ps[2].issues[0].message_zh, "第 3 个元素是空值，不是对象，未读取任何内容");
    assert!(matches!(profiles_from_json(&c, "{\"staff\": "), Err(ProfileError::Json { line: 1, .. })));
    assert!(matches!(profiles_from_csv(&c, ""), Err(ProfileError::Csv(_))));
}

#[test]
fn absurd_numbers_are_rejected() {
    let c = catalogue();
    let p = Profile::from_json(&c, &json!({"revenue": 1e300, "staff": -1})).unwrap();
    assert_eq!(p.issues.len(), 2, "{:?}", p.issues);
    assert!(p.issues[0].message.contains("range") || p.issues[0].message.contains("minimum"));
}

/// Every problem with a value is told in both languages (the admin page and
/// the widget are Chinese first), naming the raw value.
#[test]
fn problems_are_told_in_chinese_and_english() {
    let c = catalogue();
    let p =
        Profile::from_json(&c, &json!({"staff": "十个", "hnte": "也许", "size": "huge", "registered": "2025-02-30", "revenue": 1.5, "staff_typo": 1})).unwrap();
    let msg = |field: &str| p.issues.iter().find(|i| i.field == field).map(|i| (i.message_zh.clone(), i.message.clone())).unwrap_or_default();
    let (zh, en) = msg("staff");
    assert_eq!(zh, "“十个”不是数字：请填写数字，不知道的请留空");
    assert_eq!(en, "`十个` is not a number: write a number, or leave it blank if it is not known");
    // Words with the number: the number to write instead; a number beyond the limits: the limits.
    let p = Profile::from_json(&c, &json!({"staff": "约３００人"})).unwrap();
    assert_eq!(p.issues[0].message_zh, "“约３００人”不是数字：请只写数字，如 300");
    let p = Profile::from_json(&c, &json!({"staff": "1e400"})).unwrap();
    assert!(p.issues[0].message_zh.contains("绝对值不超过10^18"), "{:?}", p.issues);
    assert!(msg("hnte").0.contains("“也许”不是“是/否”"), "{:?}", msg("hnte"));
    assert!(msg("size").0.contains("“huge”不是可选项之一：小型、微型"), "{:?}", msg("size"));
    assert!(msg("size").1.contains("`huge` is not one of: small, micro"), "{:?}", msg("size"));
    assert!(msg("registered").0.contains("“2025-02-30”不是有效日期"), "{:?}", msg("registered"));
    // As in English: the range, and the date a hand-written one means.
    let p = Profile::from_json(&c, &json!({"registered": "2024/2/29"})).unwrap();
    assert_eq!(p.issues[0].message_zh, "“2024/2/29”不是有效日期（应为 YYYY-MM-DD，1900 至 2199 年间真实存在的日期）；请写 2024-02-29");
    assert!(p.issues[0].message.ends_with("; write `2024-02-29`"), "{}", p.issues[0].message);
    let p = Profile::from_json(&c, &json!({"registered": "1899-12-31"})).unwrap();
    assert!(p.issues[0].message_zh.contains("1900 至 2199 年间") && !p.issues[0].message_zh.contains("请写"), "{:?}", p.issues);
    assert_eq!(msg("staff_typo").0, "政策目录未声明此字段，已忽略");
    // Integers: a fraction is refused in both languages.
    let p = Profile::from_json(&c, &json!({"staff": 1.5})).unwrap();
    assert_eq!((p.issues[0].message_zh.as_str(), p.issues[0].message.as_str()), ("应为整数，实为 1.5", "expected a whole number, found 1.5"));
}

/// The legal form as a business licence gives it (`有限责任公司（自然人投资或控股）`,
/// with brackets of either width) names its option, and a partnership has
/// one of its own: it pays no CIT, so it is not a 小型微利 enterprise, but it
/// insures employees.
#[test]
fn licence_types_name_the_legal_form() {
    let c = catalogues(&[NATIONAL]);
    let slot = c.field_slot("entity_type").unwrap();
    for (raw, want) in [
        ("有限责任公司（自然人投资或控股）", "company"),
        ("有限责任公司(自然人投资或控股)", "company"),
        ("股份有限公司（非上市、自然人投资或控股）", "company"),
        ("合伙企业", "sole_prop_or_partnership"),
        ("个人独资企业", "sole_prop_or_partnership"),
        ("ＣＯＭＰＡＮＹ", "company"),
    ] {
        let p = Profile::from_json(&c, &json!({ "entity_type": raw })).unwrap();
        assert!(p.issues.is_empty(), "{raw}: {:?}", p.issues);
        assert_eq!(p.values[slot as usize], Value::Str(want.into()), "{raw}");
    }
    let p = Profile::from_json(&c, &json!({"entity_type": "合伙企业", "is_resident_enterprise": true})).unwrap();
    let r = c.evaluate(&p, "2026-07-01".parse().unwrap());
    let verdict = |id: &str| r.results.iter().find(|x| x.policy == id).unwrap().verdict;
    assert_eq!(verdict("cit_small_low_profit_enterprise"), policy_match::matching::Verdict::DoesNotQualify);
    assert_ne!(verdict("ui_job_stabilization_refund_2026"), policy_match::matching::Verdict::DoesNotQualify);
    // An enterprise not rated for tax credit says so, and is decided.
    let p = Profile::from_json(&c, &json!({"tax_credit_rating_2025": "未评价"})).unwrap();
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    let r = c.evaluate(&p, "2026-07-01".parse().unwrap());
    assert_eq!(r.results.iter().find(|x| x.policy == "tax_credit_a_level_incentives").unwrap().verdict, policy_match::matching::Verdict::DoesNotQualify);
}
