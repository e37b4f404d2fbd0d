//! Labelled options on `string_list` fields (a multi-select): the format
//! accepts them, the compiler checks literals against them, profiles and
//! batch cells name them by value, label or alias.

use policy_match::catalogue::Catalogue;
use policy_match::matching::{Matcher, Profile, Verdict};
use policy_match::rules::Value;
use serde_json::{json, Value as Json};

use crate::util::{compile, doc, policy};

/// A multi-select of industry chains, a plain list of tags, and a number.
fn fields() -> Json {
    json!([
        {"name": "chains", "type": "string_list", "label": {"zh": "产业链", "en": "Chains"}, "options": [
            {"value": "ic", "label": {"zh": "集成电路", "en": "Integrated circuits"}, "aliases": ["芯片"]},
            {"value": "bio", "label": {"zh": "生物医药", "en": "Biomedicine"}},
            {"value": "smart_mfg", "label": {"zh": "智能制造", "en": "Intelligent manufacturing"}}
        ]},
        {"name": "tags", "type": "string_list", "label": {"zh": "标签", "en": "Tags"}},
        {"name": "staff", "type": "integer", "label": {"zh": "职工", "en": "Staff"}}
    ])
}

fn errors(rule: Json) -> Vec<(String, String, String)> {
    match Catalogue::from_json("t.json", &doc(fields(), json!([policy("p", rule)]))) {
        Ok(_) => Vec::new(),
        Err(e) => e.0.iter().map(|x| (x.error.kind().to_string(), x.location.path.clone(), x.error.to_string())).collect(),
    }
}

#[test]
fn literals_looked_for_in_a_list_with_options_must_be_options() {
    let cases = [
        (json!({"contains": [{"var": "chains"}, "smart_mfgg"]}), "policies[0].criteria[0].rule.contains[1]", "smart_mfgg"),
        (json!({"contains_any": [{"var": "chains"}, ["ic", "智能制造"]]}), "policies[0].criteria[0].rule.contains_any[1][1]", "智能制造"),
        (json!({"contains_all": [{"var": "chains"}, ["bioo", "ic"]]}), "policies[0].criteria[0].rule.contains_all[1][0]", "bioo"),
        (json!({"some": {"in": {"var": "chains"}, "where": {"==": [{"var": "$item"}, "icc"]}}}), "policies[0].criteria[0].rule.some.where.==[1]", "icc"),
    ];
    for (rule, path, literal) in cases {
        let e = errors(rule.clone());
        assert_eq!(e.len(), 1, "{rule}: {e:?}");
        assert_eq!((e[0].0.as_str(), e[0].1.as_str()), ("unknown-option", path), "{rule}");
        assert!(e[0].2.contains(&format!("`{literal}` is not an option of `chains`")), "{}", e[0].2);
    }
    // A near miss of a value is named; a label is not a value.
    assert!(errors(json!({"contains": [{"var": "chains"}, "smart_mfgg"]}))[0].2.contains("did you mean `smart_mfg`?"));
    assert!(errors(json!({"contains_all": [{"var": "chains"}, ["bioo"]]}))[0].2.contains("did you mean `bio`?"));
    // The options' values are accepted; a list without options takes any string.
    for rule in [
        json!({"contains_any": [{"var": "chains"}, ["ic", "bio", "smart_mfg"]]}),
        json!({"contains_all": [{"var": "chains"}, ["ic"]]}),
        json!({"contains": [{"var": "chains"}, "bio"]}),
        json!({"every": {"in": {"var": "chains"}, "where": {"!=": [{"var": "$item"}, "ic"]}}}),
        json!({"contains_any": [{"var": "tags"}, ["anything", "随便"]]}),
        json!({"some": {"in": {"var": "tags"}, "where": {"==": [{"var": "$item"}, "whatever"]}}}),
    ] {
        assert_eq!(errors(rule.clone()), Vec::<(String, String, String)>::new(), "{rule}");
    }
}

#[test]
fn options_are_allowed_on_string_lists_only_besides_enums() {
    let with = |ty: &str, options: Json| {
        let f = json!([{"name": "x", "type": ty, "label": {"zh": "x", "en": "x"}, "options": options}]);
        Catalogue::from_json("t.json", &doc(f, json!([policy("p", json!({"provided": "x"}))])))
    };
    let one = json!([{"value": "a", "label": {"zh": "甲", "en": "A"}}]);
    assert!(with("string_list", one.clone()).is_ok());
    // A multi-select may have no options at all (a free list), an enum may not.
    assert!(with("string_list", json!([])).is_ok());
    assert!(with("enum", json!([])).is_err());
    let e = with("string", one).unwrap_err();
    assert!(e.to_string().contains("only enum and string_list fields have options"), "{e}");
    let twice = json!([{"value": "a", "label": {"zh": "甲", "en": "A"}}, {"value": "a", "label": {"zh": "乙", "en": "B"}}]);
    let e = with("string_list", twice).unwrap_err();
    assert_eq!((e.0[0].error.kind(), e.0[0].location.path.as_str()), ("duplicate-id", "fields[0].options[1]"), "{e}");
}

fn catalogue() -> Catalogue {
    let rule = json!({"all": [{"contains_any": [{"var": "chains"}, ["ic", "smart_mfg"]]}, {"<=": [{"var": "staff"}, 100]}]});
    compile(&doc(fields(), json!([policy("p", rule)])))
}

fn strs(items: &[&str]) -> Value {
    Value::Strs(items.iter().map(|s| Box::from(*s)).collect())
}

#[test]
fn list_items_named_by_label_or_alias_are_read_as_option_values() {
    let c = catalogue();
    let p = Profile::from_json(&c, &json!({"chains": ["智能制造", "Biomedicine", "芯片", "IC"], "tags": ["智能制造"]})).unwrap();
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    assert_eq!(p.get(&c, "chains"), Some(&strs(&["smart_mfg", "bio", "ic", "ic"])));
    // A list without options keeps its items as written.
    assert_eq!(p.get(&c, "tags"), Some(&strs(&["智能制造"])));
    // One text cell, as a spreadsheet or a form writes it; 无 is the empty list.
    let p = Profile::from_json(&c, &json!({"chains": "集成电路；bio", "staff": 5})).unwrap();
    assert_eq!(p.get(&c, "chains"), Some(&strs(&["ic", "bio"])));
    let p = Profile::from_json(&c, &json!({"chains": "无"})).unwrap();
    assert_eq!(p.get(&c, "chains"), Some(&strs(&[])));
}

#[test]
fn an_item_that_is_no_option_is_reported_and_the_other_fields_still_count() {
    let c = catalogue();
    let p = Profile::from_json(&c, &json!({"chains": ["智能制造", "纺织"], "staff": 500})).unwrap();
    let bad: Vec<(&str, &str)> = p.issues.iter().map(|i| (i.kind, i.field.as_str())).collect();
    assert_eq!(bad, [("invalid-value", "chains")]);
    assert!(p.issues[0].message_zh.contains("“纺织”不是可选项之一"), "{}", p.issues[0].message_zh);
    assert!(p.issues[0].message.contains("`纺织` is not one of: ic, bio, smart_mfg"), "{}", p.issues[0].message);
    assert_eq!(p.get(&c, "chains"), Some(&Value::Missing), "treated as not provided, like a bad enum value");
    // 500 staff fails the second test whatever the chains: the policy is decided.
    let mut m = Matcher::new(&c, "2026-07-01".parse().unwrap());
    let r = m.evaluate(&p).report(Json::Null);
    assert_eq!(r.results[0].verdict, Verdict::DoesNotQualify);
    // With the chains unknown and the staff within bounds, it is undecided.
    let p = Profile::from_json(&c, &json!({"chains": ["纺织"], "staff": 50})).unwrap();
    assert_eq!(m.evaluate(&p).report(Json::Null).results[0].verdict, Verdict::Undecided);
}

#[cfg(feature = "batch")]
#[test]
fn batch_cells_name_several_options_by_label() {
    use policy_match::batch::{self, ImportOptions};
    let c = catalogue();
    let t = batch::import("企业名称,产业链,职工\n甲,智能制造；集成电路,30\n乙,纺织,30\n丙,无,30\n".as_bytes(), &ImportOptions::default()).unwrap();
    let m = batch::auto_map(&c, &t.headers);
    let resolved = m.resolve(&c, &t).unwrap();
    let reader = batch::validate::RowReader::new(&c, &t, &resolved);
    let mut p = Profile::empty(&c);
    let mut issues = Vec::new();
    assert_eq!(reader.read(0, &mut p, &mut issues), 0, "{issues:?}");
    assert_eq!(p.get(&c, "chains"), Some(&strs(&["smart_mfg", "ic"])));
    assert_eq!(p.get(&c, "staff"), Some(&Value::Num(30.into())));
    // A chain that is no option: the cell is reported with its row and column, the staff still read.
    assert_eq!(reader.read(1, &mut p, &mut issues), 1);
    assert_eq!((issues[0].row, issues[0].column.as_str(), issues[0].raw.as_str()), (3, "产业链", "纺织"));
    assert_eq!(p.get(&c, "chains"), Some(&Value::Missing));
    assert_eq!(p.get(&c, "staff"), Some(&Value::Num(30.into())));
    issues.clear();
    assert_eq!(reader.read(2, &mut p, &mut issues), 0, "{issues:?}");
    assert_eq!(p.get(&c, "chains"), Some(&strs(&[])));
}

/// What to ask next scores a multi-select by its answers, as it does a
/// choice ("none of these", or one option ticked).
#[test]
fn a_multi_select_is_scored_by_its_answers_in_what_to_ask_next() {
    let c = catalogue();
    let mut m = Matcher::new(&c, "2026-07-01".parse().unwrap());
    // The staff known: the chains are the last missing field, which decides.
    let p = Profile::from_json(&c, &json!({"staff": 5})).unwrap();
    let e = m.evaluate(&p);
    let ask = e.ask_next();
    let chains = ask.iter().find(|a| a.field == "chains").expect("chains asked");
    assert_eq!((chains.decides, chains.needed_by), (1, 1));
    // The staff unknown too: answering "none of these" still decides the
    // policy (a criterion not met is enough: false wins over unknown).
    let p = Profile::from_json(&c, &json!({})).unwrap();
    let e = m.evaluate(&p);
    let ask = e.ask_next();
    let chains = ask.iter().find(|a| a.field == "chains").expect("chains asked");
    assert_eq!((chains.decides, chains.needed_by), (1, 1), "{ask:?}");
}
