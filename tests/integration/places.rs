//! Fields read as a city (`"format": "city"`): rules compare the city an
//! address names, profiles keep what was written, and the format is
//! checked like every other key.

use policy_match::catalogue::Catalogue;
use policy_match::matching::{Matcher, Profile, Verdict};
use serde_json::json;

use crate::util::{compile, doc, policy};

fn catalogue(format: serde_json::Value, ty: &str) -> String {
    doc(
        json!([{"name": "city", "type": ty, "format": format, "label": {"zh": "注册地城市", "en": "City"}}]),
        json!([policy("hz", json!({"in": [{"var": "city"}, ["杭州市", "杭州", "Hangzhou"]]}))]),
    )
}

fn verdict(cat: &Catalogue, city: &str) -> Verdict {
    let p = Profile::from_json(cat, &json!({"city": city})).unwrap();
    let mut m = Matcher::new(cat, "2026-07-01".parse().unwrap());
    let e = m.evaluate(&p);
    e.results[0].verdict
}

#[test]
fn rules_compare_the_city_an_address_names() {
    let cat = compile(&catalogue(json!("city"), "string"));
    for (city, v) in [
        ("杭州市", Verdict::Qualifies),
        ("浙江省杭州市滨江区网商路599号", Verdict::Qualifies),
        ("杭州市余杭区", Verdict::Qualifies),
        ("浙江杭州", Verdict::Qualifies),
        ("Hangzhou City", Verdict::Qualifies),
        ("Binjiang District, Hangzhou, Zhejiang", Verdict::Qualifies),
        ("浙江省宁波市杭州湾新区", Verdict::DoesNotQualify),
        // No city can be read: not provided (and reported), so undecided.
        ("宁波杭州湾新区", Verdict::Undecided),
        ("滨江区", Verdict::Undecided),
        ("杭州滨江区", Verdict::Undecided),
        ("Binjiang District", Verdict::Undecided),
        // Latin letters compare without case, as people type them.
        ("HANGZHOU", Verdict::Qualifies),
        ("hangzhou city", Verdict::Qualifies),
        ("binjiang district, hangzhou, zhejiang", Verdict::Qualifies),
        ("Hangzhouu", Verdict::DoesNotQualify),
    ] {
        assert_eq!(verdict(&cat, city), v, "{city}");
    }
    // `==` and `!=` on a city too.
    for (rule, city, v) in [
        (json!({"==": [{"var": "city"}, "Hangzhou"]}), "HANGZHOU", Verdict::Qualifies),
        (json!({"==": ["hangzhou", {"var": "city"}]}), "Binjiang District, Hangzhou", Verdict::Qualifies),
        (json!({"!=": [{"var": "city"}, "Hangzhou"]}), "hangzhou", Verdict::DoesNotQualify),
        (json!({"not_in": [{"var": "city"}, ["Hangzhou"]]}), "HANGZHOU", Verdict::DoesNotQualify),
    ] {
        let cat = compile(&doc(
            json!([{"name": "city", "type": "string", "format": "city", "label": {"zh": "注册地城市", "en": "City"}}]),
            json!([policy("hz", rule.clone())]),
        ));
        assert_eq!(verdict(&cat, city), v, "{rule} with {city}");
    }
    // Without the format, a string is compared whole, as before.
    let plain = compile(&doc(
        json!([{"name": "city", "type": "string", "label": {"zh": "注册地城市", "en": "City"}}]),
        json!([policy("hz", json!({"in": [{"var": "city"}, ["杭州市", "杭州", "Hangzhou"]]}))]),
    ));
    assert_eq!(verdict(&plain, "杭州市"), Verdict::Qualifies);
    assert_eq!(verdict(&plain, "浙江省杭州市滨江区"), Verdict::DoesNotQualify);
    // ...letter case included: only cities are compared without it.
    assert_eq!(verdict(&plain, "Hangzhou"), Verdict::Qualifies);
    assert_eq!(verdict(&plain, "HANGZHOU"), Verdict::DoesNotQualify);
}

#[test]
fn the_profile_and_the_explanation_keep_the_address_as_written() {
    let cat = compile(&catalogue(json!("city"), "string"));
    let address = "浙江省杭州市滨江区网商路599号";
    let p = Profile::from_json(&cat, &json!({"city": address})).unwrap();
    assert_eq!(p.to_json(&cat)["city"], json!(address));
    let mut m = Matcher::new(&cat, "2026-07-01".parse().unwrap());
    let e = m.evaluate(&p);
    let tree = serde_json::to_string(&e.explain(0).unwrap()).unwrap();
    assert!(tree.contains(address), "{tree}");
}

/// A district, street or town with no city before it (a zone's own list
/// often leaves the city out) names no city: compared whole it failed every
/// city rule, silently. It is reported for the profile and field, in both
/// languages, and read as not provided: the policy is undecided and the
/// field is asked for again.
#[test]
fn an_address_that_names_no_city_is_reported_and_asked_for() {
    let cat = compile(&catalogue(json!("city"), "string"));
    let p = Profile::from_json(&cat, &json!({"city": "滨江区长河街道江南大道3850号"})).unwrap();
    assert_eq!(p.values[0], policy_match::rules::Value::Missing);
    let issue = &p.issues[0];
    assert_eq!((issue.kind, issue.field.as_str(), issue.raw.as_str()), ("invalid-value", "city", "滨江区长河街道江南大道3850号"));
    assert!(issue.message.starts_with("names no city: give the city"), "{}", issue.message);
    assert!(issue.message_zh.starts_with("读不出城市"), "{}", issue.message_zh);
    let mut m = Matcher::new(&cat, "2026-07-01".parse().unwrap());
    let e = m.evaluate(&p);
    assert_eq!((e.results[0].verdict, e.results[0].missing.as_slice()), (Verdict::Undecided, &[0][..]));
    // In a CSV list, the row is reported and the other rows still count.
    let rows = policy_match::matching::profiles_from_csv(&cat, "id,city\na,滨江区\nb,杭州市滨江区\n").unwrap();
    assert_eq!((rows[0].issues.len(), rows[0].issues[0].row), (1, Some(2)));
    assert!(rows[1].issues.is_empty());
    assert_eq!(m.verdicts(&rows[1]), [policy_match::rules::Tri::True]);
    // The same text in a plain string field is kept as written.
    let plain = compile(&doc(
        json!([{"name": "city", "type": "string", "label": {"zh": "注册地城市", "en": "City"}}]),
        json!([policy("hz", json!({"in": [{"var": "city"}, ["杭州市"]]}))]),
    ));
    assert!(Profile::from_json(&plain, &json!({"city": "滨江区"})).unwrap().issues.is_empty());
}

/// The same in a batch list (政策找人): the row's problem is listed and the
/// city is among what the enterprise still has to give, on the push list.
#[cfg(feature = "batch")]
#[test]
fn a_batch_row_whose_address_names_no_city_is_listed_with_the_city_missing() {
    use policy_match::batch::{self, BatchOptions, ImportOptions};
    let cat = compile(&catalogue(json!("city"), "string"));
    let t = batch::import("企业名称,city\n甲,杭州高新区（滨江）网商路739号\n乙,杭州市滨江区\n".as_bytes(), &ImportOptions::default()).unwrap();
    let resolved = batch::auto_map(&cat, &t.headers).resolve(&cat, &t).unwrap();
    let r = batch::run(&cat, &t, &resolved, &BatchOptions::new("2026-07-01".parse().unwrap()));
    assert_eq!(r.summary(&cat).rows_with_problems, 1);
    let mut out = Vec::new();
    batch::export::issues_csv(&r, &Default::default(), &mut out).unwrap();
    let problems = String::from_utf8(out).unwrap();
    assert!(problems.contains("杭州高新区（滨江）网商路739号") && problems.contains("读不出城市"), "{problems}");
    let mut out = Vec::new();
    batch::export::push_list_csv(&cat, &t, &r, 0, &Default::default(), &mut out).unwrap();
    let push = String::from_utf8(out).unwrap();
    let row = push.lines().find(|l| l.contains("甲")).unwrap_or_else(|| panic!("{push}"));
    assert!(row.contains("注册地城市"), "{push}");
}

#[test]
fn format_is_for_string_fields_and_city_is_its_one_value() {
    let err = |text: String| match Catalogue::from_json("t.json", &text) {
        Ok(_) => panic!("compiles"),
        Err(e) => e.0.iter().map(|x| (x.location.path.clone(), x.error.to_string())).collect::<Vec<_>>(),
    };
    let e = err(catalogue(json!("city"), "integer"));
    assert!(
        e.iter().any(|(path, m)| path == "fields[0].format" && m.contains("format applies to string fields only; `city` has \"type\": \"integer\"")),
        "{e:?}"
    );
    let e = err(catalogue(json!("town"), "string"));
    assert!(e.iter().any(|(path, m)| path == "fields[0].format" && m.contains("unknown value `town` (expected one of: city)")), "{e:?}");
}

/// A value in a city rule that is not a city as addresses are read (a
/// district, a whole address, `Hangzhou City`) can never match: `check`
/// warns, at the value.
#[test]
fn a_rule_value_that_is_not_a_city_is_warned_about() {
    let text = doc(
        json!([{"name": "city", "type": "string", "format": "city", "label": {"zh": "注册地城市", "en": "City"}}]),
        json!([
            policy("bj", json!({"in": [{"var": "city"}, ["杭州市", "杭州市滨江区", "Hangzhou", "Hangzhou City", "滨江区"]]})),
            policy("eq", json!({"==": ["浙江省杭州市", {"var": "city"}]})),
        ]),
    );
    let cat = compile(&text);
    let got: Vec<(String, String, String)> = cat.warnings(None).iter().map(|w| (w.kind.to_string(), w.location.path.clone(), w.message.clone())).collect();
    let want = [
        ("policies[0].criteria[0].rule.in[1][1]", "\"杭州市滨江区\" is read as \"杭州市\""),
        ("policies[0].criteria[0].rule.in[1][3]", "\"Hangzhou City\" is read as \"Hangzhou\""),
        ("policies[0].criteria[0].rule.in[1][4]", "\"滨江区\" names no city"),
        ("policies[1].criteria[0].rule.==[0]", "\"浙江省杭州市\" is read as \"杭州市\""),
    ];
    assert_eq!(got.len(), want.len(), "{got:#?}");
    for ((kind, path, message), (want_path, want_message)) in got.iter().zip(want) {
        assert_eq!((kind.as_str(), path.as_str()), ("never-true", want_path), "{message}");
        assert!(message.contains("can never match") && message.contains(want_message), "{message}");
    }
    // The same values on a plain string field are compared whole: no warning.
    let plain = compile(&doc(
        json!([{"name": "city", "type": "string", "label": {"zh": "注册地城市", "en": "City"}}]),
        json!([policy("bj", json!({"in": [{"var": "city"}, ["杭州市滨江区"]]}))]),
    ));
    assert!(plain.warnings(None).is_empty(), "{:?}", plain.warnings(None));
}

proptest::proptest! {
    /// `city_of` gives a city that reads as itself, so a value that does
    /// not (the warning above) can never equal the city of an address
    /// written in the usual order (country, province, city or county,
    /// district, street; in English the other way round). An address with
    /// a city always names one; a district or street with none before it
    /// names none.
    #[test]
    fn the_city_of_an_address_reads_as_itself(
        zh in (0usize..3, 0usize..6, 0usize..10, 0usize..4, 0usize..3),
        en in (0usize..3, 0usize..4, 0usize..8, 0usize..4, 0usize..4, proptest::bool::ANY),
    ) {
        let pick = |xs: &[&'static str], i: usize| xs[i % xs.len()];
        let (country, province, city, district, street) = zh;
        let text = [
            pick(&["", "中国", "中华人民共和国"], country),
            pick(&["", "浙江省", "浙江", "内蒙古自治区", "广西壮族自治区", "吉林省"], province),
            pick(&["", "杭州", "杭州市", "吉林市", "建德市", "桐庐县", "锡林郭勒盟", "延边朝鲜族自治州", "大兴安岭地区", "上海市"], city),
            pick(&["", "滨江区", "市中区", "杭州湾新区"], district),
            pick(&["", "网商路599号", "长河街道"], street),
        ]
        .concat();
        let city_zh = policy_match::rules::city_of(&text);
        if let Some(c) = city_zh {
            proptest::prop_assert_eq!(policy_match::rules::city_of(c), Some(c), "{:?}", text);
        }
        // (Not 市中区: `浙江市中区` reads as 浙江市, as 吉林市中区 reads as 吉林市.
        // A city without 市 and more after it, `杭州滨江区`, names none: is
        // 杭州湾新区 in Hangzhou?)
        if city >= 2 || (city == 1 && district == 0 && street == 0) {
            proptest::prop_assert!(city_zh.is_some(), "{:?}", text);
        } else if district == 1 || district == 3 || (district == 0 && street != 0) {
            proptest::prop_assert_eq!(city_zh, None, "{:?}", text);
        }
        let (room, district, city, county, province, upper) = en;
        let parts = [
            pick(&["", "Room 1201", "599 Wangshang Road"], room),
            pick(&["", "Changhe Subdistrict", "Binjiang District", "Fuchunjiang Town"], district),
            pick(&["", "Hangzhou", "Hangzhou City", "Jilin", "Jilin City", "Tonglu", "Chun'an", "Beijing"], city),
            pick(&["", "Tonglu County", "Chun'an County", "Xihu District"], county),
            pick(&["", "Zhejiang", "Zhejiang Province", "China"], province),
        ];
        let text = parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(", ");
        let text = if upper { text.to_uppercase() } else { text };
        let city_en = policy_match::rules::city_of(&text);
        if let Some(c) = city_en {
            proptest::prop_assert_eq!(policy_match::rules::city_of(c), Some(c), "{:?}", text);
        }
        // (Not `Jilin` alone: a city, or a province as in `Changhe Subdistrict, Jilin`.)
        let counties = county == 1 || county == 2;
        if (city != 0 && city != 3) || counties {
            proptest::prop_assert!(city_en.is_some(), "{:?}", text);
        } else if room != 0 || district != 0 || county == 3 {
            proptest::prop_assert_eq!(city_en, None, "{:?}", text);
        }
    }
}
