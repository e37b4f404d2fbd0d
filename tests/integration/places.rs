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
        ("宁波杭州湾新区", Verdict::DoesNotQualify),
        ("滨江区", Verdict::DoesNotQualify),
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

#[test]
fn format_is_for_string_fields_and_city_is_its_one_value() {
    let err = |text: String| match Catalogue::from_json("t.json", &text) {
        Ok(_) => panic!("compiles"),
        Err(e) => e.0.iter().map(|x| (x.location.path.clone(), x.error.to_string())).collect::<Vec<_>>(),
    };
    let e = err(catalogue(json!("city"), "integer"));
    assert!(e.iter().any(|(path, m)| path == "fields[0].format" && m.contains("format applies to string fields only")), "{e:?}");
    let e = err(catalogue(json!("town"), "string"));
    assert!(e.iter().any(|(path, m)| path == "fields[0].format" && m.contains("unknown value `town` (expected one of: city)")), "{e:?}");
}
