//! Browser component tests: the Yew widget rendered in real headless Chromium.
//!
//! Run: `cargo test --target wasm32-unknown-unknown --test wasm` (runner
//! `wasm-bindgen-test-runner` from .cargo/config.toml, chromedriver from
//! `CHROMEDRIVER` or PATH, Chromium flags from webdriver.json). scripts/test.sh
//! does this. Native `cargo test` compiles this file to nothing.
#![cfg(target_arch = "wasm32")]

use policy_match::ui::{PolicyList, PolicyListProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::AttrValue;

wasm_bindgen_test_configure!(run_in_browser);

const CATALOGUE: &str = r#"{
  "format": "policy-match/catalogue@1",
  "id": "demo", "version": "1", "updated": "2026-01-01",
  "title": {"zh": "示例", "en": "Demo"},
  "fields": [
    {"name": "employees", "type": "integer", "label": {"zh": "职工总数", "en": "Employees"}},
    {"name": "tech_staff", "type": "integer", "label": {"zh": "科技人员", "en": "Tech staff"}}
  ],
  "policies": [
    {"id": "tech_ratio", "title": {"zh": "科技人员占比", "en": "Tech-staff ratio"},
     "issuer": {"zh": "科技局", "en": "S&T Bureau"}, "category": "certification",
     "criteria": [{"id": "C1", "description": {"zh": "科技人员占比不低于10%", "en": "Tech staff ≥ 10%"},
                   "rule": {">=": [{"/": [{"var": "tech_staff"}, {"var": "employees"}]}, 0.1]}}]},
    {"id": "small_firm", "title": {"zh": "小型企业认定", "en": "Small-firm status"},
     "issuer": {"zh": "工信局", "en": "MIIT Bureau"}, "category": "certification",
     "criteria": [{"id": "C1", "description": {"zh": "职工不超过300人", "en": "At most 300 employees"},
                   "rule": {"<=": [{"var": "employees"}, 300]}}]}
  ]
}"#;

// The error (an unknown field in a rule) is on line 5, in policy `p`.
const MALFORMED: &str = r#"{"format": "policy-match/catalogue@1", "id": "x", "version": "1",
  "updated": "2026-01-01", "title": {"zh": "x", "en": "x"},
  "policies": [{"id": "p", "title": {"zh": "p", "en": "p"}, "issuer": {"zh": "i", "en": "i"},
    "category": "tax", "criteria": [{"id": "C1", "description": {"zh": "d", "en": "d"},
    "rule": {"var": "nope"}}]}]}"#;

/// A fresh `<div>` attached to the document body.
fn container() -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

/// Whether `text` has `file:LINE:COLUMN` with the given line and a column ≥ 1.
fn has_line_col(text: &str, file: &str, line: usize) -> bool {
    let needle = format!("{file}:{line}:");
    text.match_indices(&needle).any(|(i, m)| {
        let digits: String = text[i + m.len()..].chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<usize>().is_ok_and(|c| c >= 1)
    })
}

fn titles(root: &web_sys::Element) -> Vec<String> {
    let list = root.query_selector_all(".pm-title").unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().text_content().unwrap_or_default()).collect()
}

fn render(root: &web_sys::Element, catalogue: &str, lang: &str) -> yew::AppHandle<PolicyList> {
    let props = PolicyListProps { catalogue: AttrValue::from(catalogue.to_string()), lang: AttrValue::from(lang.to_string()) };
    yew::Renderer::<PolicyList>::with_root_and_props(root.clone(), props).render()
}

#[wasm_bindgen_test]
async fn lists_policy_titles_in_chinese_by_default() {
    let root = container();
    let props = PolicyListProps { catalogue: AttrValue::from(CATALOGUE), lang: AttrValue::from("zh-CN") };
    let _app = yew::Renderer::<PolicyList>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;

    assert_eq!(titles(&root), vec!["科技人员占比", "小型企业认定"]);
    let section = root.query_selector("section.pm-policy-list").unwrap().expect("a policy list section");
    assert_eq!(section.get_attribute("aria-label").as_deref(), Some("政策列表"));
    let ids: Vec<String> = {
        let items = root.query_selector_all("li[data-policy]").unwrap();
        (0..items.length())
            .map(|i| items.item(i).unwrap().dyn_into::<web_sys::Element>().unwrap().get_attribute("data-policy").unwrap())
            .collect()
    };
    assert_eq!(ids, vec!["tech_ratio", "small_firm"]);
    assert!(root.text_content().unwrap().contains("科技局"), "issuer shown: {}", root.inner_html());
    assert!(root.query_selector("[role=alert]").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn switching_lang_to_en_shows_english_titles() {
    let root = container();
    let mut app = render(&root, CATALOGUE, "zh-CN");
    yew::scheduler::flush().await;
    assert_eq!(titles(&root), vec!["科技人员占比", "小型企业认定"]);

    app.update(PolicyListProps { catalogue: AttrValue::from(CATALOGUE), lang: AttrValue::from("en") });
    yew::scheduler::flush().await;
    assert_eq!(titles(&root), vec!["Tech-staff ratio", "Small-firm status"]);
    let section = root.query_selector("section.pm-policy-list").unwrap().unwrap();
    assert_eq!(section.get_attribute("aria-label").as_deref(), Some("Policies"));
    assert!(root.text_content().unwrap().contains("S&T Bureau"));
    app.destroy();
    yew::scheduler::flush().await;
    assert!(titles(&root).is_empty(), "destroyed app leaves no list: {}", root.inner_html());
}

#[wasm_bindgen_test]
async fn renders_in_english_from_the_start() {
    let root = container();
    let _app = render(&root, CATALOGUE, "en");
    yew::scheduler::flush().await;
    assert_eq!(titles(&root), vec!["Tech-staff ratio", "Small-firm status"]);
}

#[wasm_bindgen_test]
async fn malformed_catalogue_renders_an_alert_naming_policy_and_position() {
    let root = container();
    let _app = render(&root, MALFORMED, "zh-CN");
    yew::scheduler::flush().await;

    let alert = root.query_selector("[role=alert]").unwrap().unwrap_or_else(|| panic!("no role=alert in {}", root.inner_html()));
    let text = alert.text_content().unwrap();
    assert!(text.contains("policy `p`"), "names the policy: {text}");
    assert!(has_line_col(&text, "catalogue.json", 5), "gives line 5 and a column: {text}");
    assert!(text.contains("policies[0].criteria[0].rule.var"), "gives the JSON path: {text}");
    assert!(titles(&root).is_empty());
}

#[wasm_bindgen_test]
async fn invalid_json_renders_an_alert_with_position() {
    let root = container();
    let _app = render(&root, "{\"format\": \"policy-match/catalogue@1\",\n  \"id\": }", "en");
    yew::scheduler::flush().await;
    let alert = root.query_selector("[role=alert]").unwrap().expect("role=alert");
    let text = alert.text_content().unwrap();
    assert!(has_line_col(&text, "catalogue.json", 2), "gives line 2 and a column: {text}");
}

#[wasm_bindgen_test]
async fn mount_policy_list_export_renders_and_switches_language() {
    let root = container();
    let mut handle = policy_match::embed::mount_policy_list(root.clone(), CATALOGUE.to_string(), "zh-CN".to_string());
    yew::scheduler::flush().await;
    assert_eq!(titles(&root), vec!["科技人员占比", "小型企业认定"]);
    handle.set_lang("en".to_string());
    yew::scheduler::flush().await;
    assert_eq!(titles(&root), vec!["Tech-staff ratio", "Small-firm status"]);
    handle.set_catalogue(MALFORMED.to_string());
    yew::scheduler::flush().await;
    assert!(root.query_selector("[role=alert]").unwrap().is_some(), "{}", root.inner_html());
    handle.destroy();
}
