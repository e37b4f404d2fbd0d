//! The library as a service uses it: one profile per request, errors a
//! client can read.

use policy_match::matching::{profiles_from_json, Matcher, Profile, Verdict};
use policy_match::rules::Date;
use serde_json::json;

use crate::util::{compile, doc, policy};

fn catalogue() -> policy_match::catalogue::Catalogue {
    compile(&doc(
        json!([{"name": "staff", "type": "integer", "label": {"zh": "职工", "en": "Staff"}}]),
        json!([policy("p", json!({"<=": [{"var": "staff"}, 300]}))]),
    ))
}

/// `Profile::from_json` reads one profile: given an array, its error must
/// not say that an array of objects is expected (that is
/// `profiles_from_json`'s input).
#[test]
fn one_profile_given_an_array_says_one_object_is_expected() {
    let c = catalogue();
    let e = Profile::from_json(&c, &json!([{"staff": 1}])).unwrap_err();
    assert_eq!(e.kind(), "schema");
    assert_eq!(e.to_string(), "expected a JSON object (one profile); found an array");
    let e = Profile::from_json_str(&c, "42").unwrap_err();
    assert_eq!(e.to_string(), "expected a JSON object (one profile); found a number");
    // Several profiles: an array is fine, a number is not.
    let e = profiles_from_json(&c, "42").unwrap_err();
    assert_eq!(e.to_string(), "expected a JSON object or an array of objects; found a number");
    assert_eq!(profiles_from_json(&c, r#"[{"staff": 1}]"#).map(|ps| ps.len()), Ok(1));
}

/// A result's criteria and missing fields in words, without indexing the
/// catalogue by hand; a result read against another catalogue gives
/// nothing rather than a panic or another policy's texts.
#[test]
fn result_criteria_and_fields_in_words() {
    let c = compile(&doc(
        json!([{"name": "staff", "type": "integer", "label": {"zh": "职工", "en": "Staff"}},
               {"name": "revenue", "type": "number", "label": {"zh": "营收", "en": "Revenue"}}]),
        json!([policy("a", json!(true)), policy("b", json!({"all": [{"<=": [{"var": "staff"}, 300]}, {"<=": [{"var": "revenue"}, 1000]}]}))]),
    ));
    let p = Profile::from_json(&c, &json!({"staff": 400})).unwrap();
    let mut m = Matcher::new(&c, "2026-07-01".parse().unwrap());
    let e = m.evaluate(&p);
    let r = &e.results[1];
    assert_eq!(r.policy_in(&c).map(|p| p.id.as_str()), Some("b"));
    assert_eq!(r.failed_in(&c).map(|c| c.id.as_str()).collect::<Vec<_>>(), ["C1"]);
    let p = Profile::from_json(&c, &json!({"staff": 12})).unwrap();
    let e = m.evaluate(&p);
    let r = &e.results[1];
    assert_eq!(r.verdict, Verdict::Undecided);
    assert_eq!(r.undecided_in(&c).map(|c| c.description.en.as_str()).collect::<Vec<_>>(), ["condition"]);
    assert_eq!(r.missing_in(&c).map(|f| f.def.label.en.as_str()).collect::<Vec<_>>(), ["Revenue"]);
    // Another catalogue, with one policy: nothing, not a panic.
    let other = catalogue();
    assert!(r.policy_in(&other).is_none());
    assert_eq!((r.failed_in(&other).count(), r.undecided_in(&other).count()), (0, 0));
}

/// "Today" for a service in China: the date in UTC+8, not in UTC (from
/// 00:00 to 08:00 in Beijing they differ); before 1970 and far out of range
/// too.
#[test]
fn date_of_an_instant_in_a_time_zone() {
    const CST: i32 = 8 * 3600;
    let d = |s: i64, off: i32| Date::from_unix_seconds(s, off).to_string();
    // 1_782_864_000 is 2026-07-01T00:00:00Z.
    assert_eq!(d(0, 0), "1970-01-01");
    assert_eq!(d(-1, 0), "1969-12-31");
    assert_eq!(d(1_782_864_000 - 8 * 3600, CST), "2026-07-01"); // 00:00 in Beijing
    assert_eq!(d(1_782_864_000 - 8 * 3600 - 1, CST), "2026-06-30");
    assert_eq!(d(1_782_864_000 + 3 * 3600, -5 * 3600), "2026-06-30"); // 03:00Z is 22:00 the day before in UTC-5
    assert_eq!((d(i64::MAX, CST), d(i64::MIN, -CST)), ("2199-12-31".to_string(), "1900-01-01".to_string()));
}

/// A profile that cannot be read at all, in Chinese for a Chinese client,
/// as its bad values (`ProfileIssue::message_zh`) and the catalogue's
/// errors (`Error::message_zh`) are.
#[test]
fn profile_errors_in_chinese() {
    let c = catalogue();
    let zh = |text: &str| Profile::from_json_str(&c, text).unwrap_err().message_zh();
    assert_eq!(zh("[1]"), "应为一个 JSON 对象（一家企业的信息）；实际是数组");
    assert_eq!(zh("null"), "应为一个 JSON 对象（一家企业的信息）；实际是空值");
    assert_eq!(zh(r#"{"staff": 1"#), "JSON 格式错误（第 1 行第 11 列）：对象（{…}）还没有结束，文件就结束了");
    assert_eq!(profiles_from_json(&c, "\"acme\"").unwrap_err().message_zh(), "应为一个 JSON 对象或由对象组成的数组；实际是文本");
    assert_eq!(policy_match::matching::profiles_from_csv(&c, "").unwrap_err().message_zh(), "CSV：没有表头行");
    let big = policy_match::matching::ProfileError::TooLarge(300 << 20);
    assert_eq!(big.message_zh(), "企业信息有 314572800 字节，超过上限 268435456 字节");
}
