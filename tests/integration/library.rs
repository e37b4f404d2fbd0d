//! The library as a service uses it: one profile per request, errors a
//! client can read.

use policy_match::matching::{profiles_from_json, Profile};
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
