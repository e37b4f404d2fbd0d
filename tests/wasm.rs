//! Browser component tests: the Yew widget rendered in real headless Chromium.
//!
//! Run: `cargo test --target wasm32-unknown-unknown --test wasm` (runner
//! `wasm-bindgen-test-runner` from .cargo/config.toml, chromedriver from
//! `CHROMEDRIVER` or PATH, Chromium flags from webdriver.json). scripts/test.sh
//! does this. Native `cargo test` compiles this file to nothing.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use policy_match::ui::{CatalogueFile, PolicyList, PolicyListProps, Prefill, SelfCheck, SelfCheckProps};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};
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
    let props = PolicyListProps { catalogues: vec![AttrValue::from(catalogue.to_string())], lang: AttrValue::from(lang.to_string()), as_of: None };
    yew::Renderer::<PolicyList>::with_root_and_props(root.clone(), props).render()
}

#[wasm_bindgen_test]
async fn lists_policy_titles_in_chinese_by_default() {
    let root = container();
    let props = PolicyListProps { catalogues: vec![AttrValue::from(CATALOGUE)], lang: AttrValue::from("zh-CN"), as_of: None };
    let _app = yew::Renderer::<PolicyList>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;

    assert_eq!(titles(&root), vec!["科技人员占比", "小型企业认定"]);
    let section = root.query_selector("section.pm-policy-list").unwrap().expect("a policy list section");
    assert_eq!(section.get_attribute("aria-label").as_deref(), Some("政策列表"));
    let ids: Vec<String> = {
        let items = root.query_selector_all("li[data-policy]").unwrap();
        (0..items.length()).map(|i| items.item(i).unwrap().dyn_into::<web_sys::Element>().unwrap().get_attribute("data-policy").unwrap()).collect()
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

    app.update(PolicyListProps { catalogues: vec![AttrValue::from(CATALOGUE)], lang: AttrValue::from("en"), as_of: None });
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

/// Type `text` into the search box and fire `input`.
async fn search_for(root: &Element, text: &str) {
    let search = q(root, "input[type=search]").dyn_into::<HtmlInputElement>().unwrap();
    search.set_value(text);
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    search.dispatch_event(&web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap()).unwrap();
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn browse_mode_filters_by_text_and_category_and_shows_each_policys_conditions() {
    let root = container();
    let cat = CATALOGUE.replace(
        r#""category": "certification",
     "criteria": [{"id": "C1", "description": {"zh": "职工不超过300人""#,
        r#""category": "subsidy", "valid_until": "2026-06-30",
     "criteria": [{"id": "C1", "description": {"zh": "职工不超过300人""#,
    );
    assert_ne!(cat, CATALOGUE, "the fixture edit applied");
    let props = PolicyListProps { catalogues: vec![AttrValue::from(cat)], lang: AttrValue::from("zh-CN"), as_of: Some(AttrValue::from("2026-07-01")) };
    let _app = yew::Renderer::<PolicyList>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    assert_eq!(titles(&root), vec!["科技人员占比", "小型企业认定"]);
    assert_eq!(q(&root, ".pm-shown").text_content().unwrap(), "共 2 项政策");
    // Each policy opens to its conditions; the small-firm policy ended the day before the as-of date.
    let conditions = q(&root, "li[data-policy=tech_ratio] details .pm-conditions").text_content().unwrap();
    assert_eq!(conditions, "科技人员占比不低于10%");
    assert!(q(&root, "li[data-policy=small_firm] .pm-badge-expired").text_content().is_some());
    assert!(root.query_selector("li[data-policy=tech_ratio] .pm-badge-expired").unwrap().is_none());

    // Text (here the issuer 工信局) narrows the list.
    search_for(&root, "工信").await;
    assert_eq!(titles(&root), vec!["小型企业认定"]);
    assert!(q(&root, ".pm-shown").text_content().unwrap().starts_with("显示 1 项，共 2 项"));
    search_for(&root, "no such policy").await;
    assert!(titles(&root).is_empty());
    assert!(q(&root, ".pm-empty").text_content().is_some());
    // Clearing the filter shows every policy again; a category chip keeps only its own.
    click(&root, ".pm-shown button.pm-link");
    yew::scheduler::flush().await;
    assert_eq!(titles(&root), vec!["科技人员占比", "小型企业认定"]);
    click_text(&root, ".pm-chip", "资质认定");
    yew::scheduler::flush().await;
    assert_eq!(titles(&root), vec!["科技人员占比"]);
    assert_eq!(q(&root, ".pm-chip[aria-pressed=true]").text_content().unwrap(), "资质认定");
}

#[wasm_bindgen_test]
async fn malformed_catalogue_renders_an_alert_naming_policy_and_position() {
    let root = container();
    let _app = render(&root, MALFORMED, "zh-CN");
    yew::scheduler::flush().await;

    let alert = root.query_selector("[role=alert]").unwrap().unwrap_or_else(|| panic!("no role=alert in {}", root.inner_html()));
    let text = alert.text_content().unwrap();
    assert!(text.contains("policy `p`"), "names the policy: {text}");
    assert!(has_line_col(&text, "catalogue-1.json", 5), "gives line 5 and a column: {text}");
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
    assert!(has_line_col(&text, "catalogue-1.json", 2), "gives line 2 and a column: {text}");
}

#[wasm_bindgen_test]
async fn mount_policy_list_export_renders_and_switches_language() {
    let root = container();
    let mut handle = policy_match::embed::mount_policy_list(root.clone(), vec![CATALOGUE.to_string()], "zh-CN".to_string(), None);
    yew::scheduler::flush().await;
    assert_eq!(titles(&root), vec!["科技人员占比", "小型企业认定"]);
    handle.set_lang("en".to_string());
    yew::scheduler::flush().await;
    assert_eq!(titles(&root), vec!["Tech-staff ratio", "Small-firm status"]);
    handle.set_catalogues(vec![MALFORMED.to_string()]);
    yew::scheduler::flush().await;
    assert!(root.query_selector("[role=alert]").unwrap().is_some(), "{}", root.inner_html());
    handle.destroy();
}

// ---------------------------------------------------------------------------
// The self-check widget.

/// A small catalogue exercising every input kind: enum (choices), money
/// (万元/元), people, boolean, date list, with sections.
const SELF_CHECK: &str = r#"{
  "format": "policy-match/catalogue@1",
  "id": "t", "version": "1", "updated": "2026-01-01",
  "title": {"zh": "测试目录", "en": "Test catalogue"},
  "sections": [{"id": "basic", "title": {"zh": "基本情况", "en": "Basics"}},
               {"id": "finance", "title": {"zh": "财务", "en": "Finance"}}],
  "fields": [
    {"name": "kind", "type": "enum", "section": "basic", "label": {"zh": "主体类型", "en": "Legal form"},
     "options": [{"value": "company", "label": {"zh": "公司", "en": "Company"}},
                 {"value": "individual", "label": {"zh": "个体工商户", "en": "Individual business"}}]},
    {"name": "staff", "type": "integer", "unit": "people", "min": 0, "section": "basic",
     "label": {"zh": "职工人数", "en": "Staff"}, "help": {"zh": "年平均人数", "en": "Yearly average"}},
    {"name": "revenue", "type": "number", "unit": "cny", "min": 0, "section": "finance",
     "label": {"zh": "营业收入", "en": "Revenue"}},
    {"name": "blacklisted", "type": "boolean", "section": "basic", "label": {"zh": "是否列入失信名单", "en": "On the blacklist"}},
    {"name": "incidents", "type": "date_list", "section": "basic", "label": {"zh": "事故日期", "en": "Incident dates"}}
  ],
  "policies": [
    {"id": "small", "title": {"zh": "小企业补贴", "en": "Small-firm grant"}, "issuer": {"zh": "工信局", "en": "MIIT"},
     "documents": ["工信〔2026〕1号"], "category": "subsidy",
     "application": {"url": "https://example.org/apply", "opens": "2026-06-01", "closes": "2026-07-13"},
     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 per employee"}, "amount": {"*": [{"var": "staff"}, 1000]}},
     "criteria": [
       {"id": "C1", "description": {"zh": "公司制企业", "en": "A company"}, "rule": {"==": [{"var": "kind"}, "company"]}},
       {"id": "C2", "description": {"zh": "职工不超过100人", "en": "At most 100 staff"}, "rule": {"<=": [{"var": "staff"}, 100]}}]},
    {"id": "growth", "title": {"zh": "成长奖励", "en": "Growth award"}, "issuer": {"zh": "科技局", "en": "S&T"}, "category": "tax",
     "criteria": [
       {"id": "C1", "description": {"zh": "营业收入不低于500万元", "en": "Revenue ≥ ¥5m"}, "rule": {">=": [{"var": "revenue"}, 5000000]}},
       {"id": "C2", "description": {"zh": "未列入失信名单", "en": "Not blacklisted"}, "rule": {"==": [{"var": "blacklisted"}, false]}},
       {"id": "C3", "description": {"zh": "近一年无事故", "en": "No incident in the last year"},
        "rule": {"none": {"in": {"var": "incidents"}, "where": {">=": [{"var": "$item"}, {"add_days": [{"var": "$as_of"}, -365]}]}}}}]}
  ]
}"#;

fn self_check_props(key: &str, lang: &str) -> SelfCheckProps {
    SelfCheckProps {
        catalogues: Rc::new(vec![CatalogueFile { name: "t.json".into(), text: AttrValue::from(SELF_CHECK) }]),
        lang: AttrValue::from(lang.to_string()),
        as_of: Some(AttrValue::from("2026-07-01")),
        storage_key: AttrValue::from(format!("pm-test-{key}")),
        id_prefix: AttrValue::from(key.to_string()),
        read_fragment: false,
        on_lang: Default::default(),
        profile: None,
        on_change: Default::default(),
        on_error: Default::default(),
    }
}

fn mount(key: &str, lang: &str) -> (Element, yew::AppHandle<SelfCheck>) {
    let root = container();
    let app = yew::Renderer::<SelfCheck>::with_root_and_props(root.clone(), self_check_props(key, lang)).render();
    (root, app)
}

fn q(root: &Element, sel: &str) -> Element {
    root.query_selector(sel).unwrap().unwrap_or_else(|| panic!("no {sel} in {}", root.inner_html()))
}

/// The element that has focus.
fn focused() -> Element {
    web_sys::window().unwrap().document().unwrap().active_element().unwrap()
}

fn texts(root: &Element, sel: &str) -> Vec<String> {
    let list = root.query_selector_all(sel).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().text_content().unwrap_or_default()).collect()
}

fn ids_in(root: &Element, group: &str) -> Vec<String> {
    let list = root.query_selector_all(&format!(".pm-group-{group} .pm-card")).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().dyn_into::<Element>().unwrap().get_attribute("data-policy").unwrap()).collect()
}

fn click(root: &Element, sel: &str) {
    q(root, sel).dyn_into::<HtmlElement>().unwrap().click();
}

fn click_text(root: &Element, sel: &str, text: &str) {
    let list = root.query_selector_all(sel).unwrap();
    for i in 0..list.length() {
        let el = list.item(i).unwrap().dyn_into::<HtmlElement>().unwrap();
        if el.text_content().unwrap_or_default().trim() == text {
            el.click();
            return;
        }
    }
    panic!("no {sel} with text {text:?} in {}", root.inner_html());
}

fn guided_label(root: &Element) -> String {
    q(root, ".pm-guided .pm-q-label").text_content().unwrap_or_default()
}

/// Type into the guided card's text input and press its confirm button.
async fn answer_guided(root: &Element, text: &str) {
    let input = q(root, ".pm-guided input.pm-input").dyn_into::<HtmlInputElement>().unwrap();
    input.set_value(text);
    click(root, ".pm-guided button[type=submit]");
    yew::scheduler::flush().await;
}

/// Set a free-mode input's value and fire `change`.
async fn change(el: &Element, value: &str) {
    let input = el.clone().dyn_into::<HtmlInputElement>().unwrap();
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input.dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap()).unwrap();
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn self_check_asks_the_deciding_question_and_lists_every_policy_undecided() {
    let (root, _app) = mount("t1", "zh-CN");
    yew::scheduler::flush().await;
    assert_eq!(ids_in(&root, "undecided").len(), 2, "{}", root.inner_html());
    assert!(ids_in(&root, "qualifies").is_empty());
    // Nothing answered: the guided question is one a policy needs, with why.
    assert!(!guided_label(&root).is_empty());
    assert!(q(&root, ".pm-why").text_content().unwrap().contains("项政策"));
    // The card: title, issuer + document number, category, badge ("closes in 12 days").
    let card = q(&root, "[data-policy=small]");
    let text = card.text_content().unwrap();
    for want in ["小企业补贴", "工信局", "工信〔2026〕1号", "资金补贴", "12 天后截止", "每人1000元"] {
        assert!(text.contains(want), "{want} in {text}");
    }
    let link = q(&card, "a[href='https://example.org/apply']");
    assert_eq!(link.get_attribute("rel").as_deref(), Some("noopener noreferrer"));
    assert_eq!(link.get_attribute("target").as_deref(), Some("_blank"));
    // Every input is labelled.
    assert!(root.query_selector("input:not([id]):not([aria-label]):not([type=radio])").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn answering_moves_policies_between_groups_and_estimates_the_benefit() {
    let (root, _app) = mount("t2", "zh-CN");
    yew::scheduler::flush().await;
    let mut seen = Vec::new();
    // Answer what is asked until "small" is decided.
    for _ in 0..6 {
        let label = guided_label(&root);
        seen.push(label.clone());
        match label.as_str() {
            "主体类型" => {
                click_text(&root, ".pm-guided .pm-option", "公司");
                yew::scheduler::flush().await;
            }
            "职工人数" => answer_guided(&root, "12").await,
            _ => break,
        }
        if ids_in(&root, "qualifies").contains(&"small".to_string()) {
            break;
        }
    }
    assert_eq!(ids_in(&root, "qualifies"), vec!["small"], "asked {seen:?}: {}", root.inner_html());
    assert!(q(&root, "[data-policy=small] .pm-amount").text_content().unwrap().contains("1.2万元"));
    assert!(q(&root, ".pm-tile-qualifies").text_content().unwrap().starts_with('1'));
    assert!(q(&root, "[role=status][aria-live=polite]").text_content().unwrap().contains("符合 1 项"));
    assert_eq!(q(&root, ".pm-selfcheck").get_attribute("data-rev").as_deref(), Some("2"));
}

#[wasm_bindgen_test]
async fn money_is_typed_in_wan_and_invalid_numbers_get_an_inline_error() {
    let (root, _app) = mount("t3", "zh-CN");
    yew::scheduler::flush().await;
    // Open the finance section and answer freely there.
    click_text(&root, ".pm-section-toggle .pm-section-title", "财务");
    yew::scheduler::flush().await;
    let input = q(&root, "#t3-q-2-in");
    change(&input, "76").await;
    assert!(q(&root, "#t3-q-2").text_content().unwrap().contains("折合 760,000元"), "{}", root.inner_html());
    // 76万 against 500万 fails outright; 480万 is within reach (20 %).
    assert!(ids_in(&root, "not").contains(&"growth".to_string()));
    assert!(root.query_selector("[data-policy=growth] .pm-badge-reach").unwrap().is_none());
    change(&q(&root, "#t3-q-2-in"), "480").await;
    assert!(q(&root, "[data-policy=growth]").text_content().unwrap().contains("还差20万元"), "{}", root.inner_html());
    // Switch to 元: the value stays, the text is converted.
    click_text(&root, "#t3-q-2 .pm-unit", "元");
    yew::scheduler::flush().await;
    assert_eq!(q(&root, "#t3-q-2-in").dyn_into::<HtmlInputElement>().unwrap().value(), "4,800,000");
    // Not a number: inline message, aria-invalid, described by the message.
    change(&q(&root, "#t3-q-2-in"), "很多").await;
    let input = q(&root, "#t3-q-2-in");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(input.get_attribute("aria-describedby").unwrap().contains("t3-q-2-err"));
    assert!(q(&root, "#t3-q-2-err").text_content().unwrap().contains("请输入数字"));
}

#[wasm_bindgen_test]
async fn explanation_expands_with_marks_values_and_links_to_missing_questions() {
    let (root, _app) = mount("t4", "zh-CN");
    yew::scheduler::flush().await;
    click_text(&root, ".pm-section-toggle .pm-section-title", "基本情况");
    yew::scheduler::flush().await;
    // kind = company (radio), staff = 120 (too many, but within 20 %: within reach).
    click(&root, "#t4-q-0-in");
    yew::scheduler::flush().await;
    change(&q(&root, "#t4-q-1-in"), "120").await;
    assert_eq!(ids_in(&root, "not"), vec!["small"]);
    let card = q(&root, "[data-policy=small]");
    assert!(card.text_content().unwrap().contains("差一点"), "within reach: {}", card.inner_html());
    assert!(card.text_content().unwrap().contains("超出20人"));
    // Expand "growth" (undecided): criteria with ?, a missing field as a link.
    click(&root, "[data-policy=growth] .pm-why-btn");
    yew::scheduler::flush().await;
    let details = q(&root, "[data-policy=growth] .pm-card-details");
    assert_eq!(q(&root, "[data-policy=growth] .pm-why-btn").get_attribute("aria-expanded").as_deref(), Some("true"));
    assert_eq!(texts(&details, ".pm-crit-head .pm-mark"), vec!["?", "?", "?"]);
    assert!(details.text_content().unwrap().contains("营业收入"));
    // The link jumps to the question: its section opens and its input gets focus.
    click_text(&details, ".pm-missing .pm-link", "营业收入");
    yew::scheduler::flush().await;
    let active = focused();
    assert_eq!(active.id(), "t4-q-2-in", "focus on the revenue input");
    // Expand "small" (not met): ✓ for C1, ✗ for C2 with actual and required values.
    click(&root, "[data-policy=small] .pm-why-btn");
    yew::scheduler::flush().await;
    let small = q(&root, "[data-policy=small] .pm-card-details");
    assert_eq!(texts(&small, ".pm-crit-head .pm-mark"), vec!["✓", "✗"]);
    let facts = small.text_content().unwrap();
    assert!(facts.contains("120人") && facts.contains("≤ 100人"), "{facts}");
}

#[wasm_bindgen_test]
async fn skipping_a_question_keeps_its_policy_undecided_and_says_so() {
    let (root, _app) = mount("t5", "en");
    yew::scheduler::flush().await;
    let first = guided_label(&root);
    click_text(&root, ".pm-guided button", "I don't know — skip");
    yew::scheduler::flush().await;
    assert_ne!(guided_label(&root), first, "a skipped question is not asked again");
    // The policies that need it say it was skipped.
    let skipped = texts(&root, ".pm-results .pm-tag-skipped");
    assert!(!skipped.is_empty() && skipped.iter().all(|t| t == "Skipped"), "{}", root.inner_html());
    // Skip everything: the guided card says it is done and why policies stay undecided.
    for _ in 0..10 {
        if root.query_selector(".pm-guided-done").unwrap().is_some() {
            break;
        }
        click_text(&root, ".pm-guided button", "I don't know — skip");
        yew::scheduler::flush().await;
    }
    let done = q(&root, ".pm-guided-done").text_content().unwrap();
    assert!(done.contains("You skipped"), "{done}");
    assert_eq!(ids_in(&root, "undecided").len(), 2);
}

#[wasm_bindgen_test]
async fn language_switch_and_filter() {
    let (root, _app) = mount("t6", "zh-CN");
    yew::scheduler::flush().await;
    assert!(texts(&root, ".pm-card-title").contains(&"小企业补贴".to_string()));
    click(&root, ".pm-lang");
    yew::scheduler::flush().await;
    assert!(texts(&root, ".pm-card-title").contains(&"Small-firm grant".to_string()));
    assert_eq!(q(&root, ".pm-selfcheck").get_attribute("lang").as_deref(), Some("en"));
    // Filter by category, then by text.
    click_text(&root, ".pm-chip", "Tax relief");
    yew::scheduler::flush().await;
    assert_eq!(texts(&root, ".pm-card-title"), vec!["Growth award"]);
    click_text(&root, ".pm-chip", "All");
    yew::scheduler::flush().await;
    search_for(&root, "工信〔2026〕").await;
    assert_eq!(texts(&root, ".pm-card-title"), vec!["Small-firm grant"]);
}

#[wasm_bindgen_test]
async fn remember_on_this_device_restores_and_forget_deletes() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item("pm-test-t7").unwrap();
    let (root, app) = mount("t7", "zh-CN");
    yew::scheduler::flush().await;
    click_text(&root, ".pm-section-toggle .pm-section-title", "基本情况");
    yew::scheduler::flush().await;
    change(&q(&root, "#t7-q-1-in"), "30").await;
    assert!(storage.get_item("pm-test-t7").unwrap().is_none(), "kept in memory only by default");
    click(&root, "#t7-remember");
    yew::scheduler::flush().await;
    let saved = storage.get_item("pm-test-t7").unwrap().expect("stored after opting in");
    assert!(saved.contains("\"staff\":30"), "{saved}");
    app.destroy();
    yew::scheduler::flush().await;

    // A new page load restores it, with "remember" still on.
    let (root, _app) = mount("t7", "zh-CN");
    yew::scheduler::flush().await;
    assert!(q(&root, "#t7-remember").dyn_into::<HtmlInputElement>().unwrap().checked());
    assert!(q(&root, ".pm-progress").text_content().unwrap().contains("已回答 1 题"));
    click_text(&root, ".pm-actions button", "删除本设备上的答案");
    yew::scheduler::flush().await;
    assert!(storage.get_item("pm-test-t7").unwrap().is_none(), "forget deletes the stored answers");
    assert!(!q(&root, "#t7-remember").dyn_into::<HtmlInputElement>().unwrap().checked());
}

#[wasm_bindgen_test]
async fn date_list_none_answers_and_report_lists_every_policy() {
    let (root, _app) = mount("t8", "zh-CN");
    yew::scheduler::flush().await;
    click_text(&root, ".pm-section-toggle .pm-section-title", "基本情况");
    yew::scheduler::flush().await;
    // Date list: "none" is an answer (the empty list).
    let none = q(&root, "#t8-q-4-in");
    none.clone().dyn_into::<HtmlElement>().unwrap().click();
    yew::scheduler::flush().await;
    assert!(q(&root, ".pm-progress").text_content().unwrap().contains("已回答 1 题"), "{}", root.inner_html());
    // The report shows both policies with their criteria, and the answers.
    click_text(&root, ".pm-actions button", "打印报告");
    yew::scheduler::flush().await;
    let report = q(&root, ".pm-report");
    assert_eq!(texts(&report, ".pm-report-title > span:first-child").len(), 2);
    assert!(report.text_content().unwrap().contains("事故日期"));
    assert!(root.query_selector(".pm-guided").unwrap().is_none());
    click_text(&root, ".pm-report-actions button", "返回");
    yew::scheduler::flush().await;
    assert!(root.query_selector(".pm-report").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn mount_self_check_export_takes_options_and_reports_catalogue_errors() {
    let root = container();
    let opts = js_sys::Object::new();
    let cats = js_sys::Array::of1(&JsValue::from_str(SELF_CHECK));
    js_sys::Reflect::set(&opts, &"catalogues".into(), &cats).unwrap();
    js_sys::Reflect::set(&opts, &"lang".into(), &"en".into()).unwrap();
    js_sys::Reflect::set(&opts, &"asOf".into(), &"2026-07-01".into()).unwrap();
    js_sys::Reflect::set(&opts, &"idPrefix".into(), &"t9".into()).unwrap();
    js_sys::Reflect::set(&opts, &"readFragment".into(), &false.into()).unwrap();
    let mut handle = policy_match::embed::self_check::mount_self_check(root.clone(), opts.into()).unwrap();
    yew::scheduler::flush().await;
    assert!(texts(&root, ".pm-card-title").contains(&"Growth award".to_string()));
    handle.set_lang("zh-CN".into());
    yew::scheduler::flush().await;
    assert!(texts(&root, ".pm-card-title").contains(&"成长奖励".to_string()));
    // A mistyped date is an Error named bad-date (it was read as today, silently); the date is kept.
    let name = |e: JsValue| e.dyn_into::<js_sys::Error>().map(|e| String::from(e.name())).unwrap_or_default();
    assert_eq!(handle.set_as_of(Some("2026-13-45".into())).map_err(name), Err("bad-date".to_string()));
    assert_eq!(handle.set_as_of(Some("2026-08-01".into())).map_err(name), Ok(()));
    handle.set_catalogues(vec![MALFORMED.to_string()], None);
    yew::scheduler::flush().await;
    assert!(q(&root, "[role=alert]").text_content().unwrap().contains("policy `p`"));
    handle.destroy();
    // Bad options are an Error, not a panic.
    assert!(policy_match::embed::self_check::mount_self_check(container(), js_sys::Object::new().into()).is_err());
    let bad_date = js_sys::Object::new();
    js_sys::Reflect::set(&bad_date, &"catalogues".into(), &cats).unwrap();
    js_sys::Reflect::set(&bad_date, &"asOf".into(), &"01/07/2026".into()).unwrap();
    let e = policy_match::embed::self_check::mount_self_check(container(), bad_date.into()).err().map(name);
    assert_eq!(e.as_deref(), Some("bad-date"));
}

#[wasm_bindgen_test]
async fn the_root_is_scoped_for_widget_css_and_nothing_is_styled_inline() {
    let (root, _app) = mount("t9", "zh-CN");
    yew::scheduler::flush().await;
    // Open everything there is to open: every section, every explanation.
    let toggles = root.query_selector_all(".pm-section-toggle").unwrap();
    for i in 0..toggles.length() {
        toggles.item(i).unwrap().dyn_into::<HtmlElement>().unwrap().click();
        yew::scheduler::flush().await;
    }
    let whys = root.query_selector_all(".pm-why-btn").unwrap();
    for i in 0..whys.length() {
        whys.item(i).unwrap().dyn_into::<HtmlElement>().unwrap().click();
        yew::scheduler::flush().await;
    }
    assert_eq!(root.query_selector_all(".pm-card-details").unwrap().length(), 2, "both explanations open");
    // widget.css scopes every rule under .pm-root: the widget's one top element carries it.
    assert_eq!(root.child_element_count(), 1);
    let top = root.first_element_child().unwrap();
    let classes: Vec<String> = top.class_name().split_whitespace().map(str::to_string).collect();
    assert!(classes.iter().any(|c| c == "pm-root") && classes.iter().any(|c| c == "pm-selfcheck"), "{classes:?}");
    // Strict CSP without 'unsafe-inline': no style attribute anywhere.
    assert!(root.query_selector("[style]").unwrap().is_none(), "{}", root.inner_html());
    // The report view too.
    click_text(&root, ".pm-toolbar button", "打印报告");
    yew::scheduler::flush().await;
    assert!(root.query_selector(".pm-report").unwrap().is_some());
    assert!(root.query_selector("[style]").unwrap().is_none(), "{}", root.inner_html());
}

#[wasm_bindgen_test]
async fn answering_the_guided_card_moves_focus_into_the_next_question() {
    let (root, _app) = mount("t10", "zh-CN");
    yew::scheduler::flush().await;
    let document = web_sys::window().unwrap().document().unwrap();
    for _ in 0..2 {
        let label = guided_label(&root);
        match label.as_str() {
            "主体类型" => {
                click_text(&root, ".pm-guided .pm-option", "公司");
                yew::scheduler::flush().await;
            }
            "职工人数" => answer_guided(&root, "12").await,
            other => panic!("unexpected first questions: {other}"),
        }
        assert_ne!(guided_label(&root), label, "the next question is asked");
        let active = document.active_element().unwrap();
        assert!(active.closest(".pm-guided .pm-q").unwrap().is_some(), "focus in the next question, not on {}", active.outer_html());
        // The answered question's policies moved on: the progress says so.
        assert!(q(&root, ".pm-progress").text_content().unwrap().contains("已回答"));
    }
    assert!(q(&root, ".pm-progress").text_content().unwrap().contains("已回答 2 题"), "{}", q(&root, ".pm-progress").text_content().unwrap());
}

/// The embed's hooks: `on_change` after the first render and after every
/// answer (with the answers), `on_error` when new catalogues fail to
/// compile (also on an update, not only at mount), `profile` prefills.
#[wasm_bindgen_test]
async fn self_check_hooks_report_changes_errors_and_take_a_profile() {
    use std::cell::RefCell;
    let changes: Rc<RefCell<Vec<(u32, String)>>> = Rc::default();
    let errors: Rc<RefCell<Vec<String>>> = Rc::default();
    let mut props = self_check_props("t12", "zh-CN");
    props.profile = Some(Prefill::new(r#"{"revenue": 6000000}"#));
    props.on_change = {
        let changes = changes.clone();
        yew::Callback::from(move |st: yew::UseReducerHandle<policy_match::ui::state::State>| {
            changes.borrow_mut().push((st.rev, st.profile_json()));
        })
    };
    props.on_error = {
        let errors = errors.clone();
        yew::Callback::from(move |e: Rc<policy_match::catalogue::Errors>| errors.borrow_mut().push(e.to_string()))
    };
    let root = container();
    let mut app = yew::Renderer::<SelfCheck>::with_root_and_props(root.clone(), props.clone()).render();
    yew::scheduler::flush().await;
    {
        let c = changes.borrow();
        assert_eq!(c.len(), 1, "one report after the first render");
        assert!(c[0].1.contains("6000000"), "the prefilled answer: {}", c[0].1);
    }
    assert!(errors.borrow().is_empty());
    // New catalogues with an error: reported on the update.
    props.catalogues = Rc::new(vec![CatalogueFile { name: "bad.json".into(), text: AttrValue::from(MALFORMED) }]);
    app.update(props.clone());
    yew::scheduler::flush().await;
    assert_eq!(errors.borrow().len(), 1);
    assert!(errors.borrow()[0].contains("policy `p`"), "{:?}", errors.borrow());
    // And again for another bad set (the memo's address may repeat).
    props.catalogues = Rc::new(vec![CatalogueFile { name: "bad2.json".into(), text: AttrValue::from("{not json") }]);
    app.update(props);
    yew::scheduler::flush().await;
    assert_eq!(errors.borrow().len(), 2);
    app.destroy();
}

/// The self-check mounted inside an open shadow root (as the custom element
/// does): typed guided answers are read and focus follows, although
/// `document.getElementById` cannot see into the shadow tree.
#[wasm_bindgen_test]
async fn inside_a_shadow_root_typed_answers_are_read_and_focus_follows() {
    let host = container();
    let attach = js_sys::Reflect::get(&host, &JsValue::from_str("attachShadow")).unwrap().dyn_into::<js_sys::Function>().unwrap();
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &JsValue::from_str("mode"), &JsValue::from_str("open")).unwrap();
    let shadow = attach.call1(&host, &init).unwrap();
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    let append = js_sys::Reflect::get(&shadow, &JsValue::from_str("appendChild")).unwrap().dyn_into::<js_sys::Function>().unwrap();
    append.call1(&shadow, &root).unwrap();
    let _app = yew::Renderer::<SelfCheck>::with_root_and_props(root.clone(), self_check_props("t11", "zh-CN")).render();
    yew::scheduler::flush().await;
    assert!(document.get_element_by_id("t11-guided").is_none(), "the widget's ids are not visible from the document");
    let shadow_active = || js_sys::Reflect::get(&shadow, &JsValue::from_str("activeElement")).unwrap().dyn_into::<Element>().ok();
    let mut typed = 0;
    for _ in 0..4 {
        let label = guided_label(&root);
        match label.as_str() {
            "主体类型" => {
                click_text(&root, ".pm-guided .pm-option", "公司");
                yew::scheduler::flush().await;
            }
            "职工人数" => {
                answer_guided(&root, "12").await;
                typed += 1;
            }
            _ => break,
        }
        assert_ne!(guided_label(&root), label, "{label} was answered");
        let active = shadow_active().expect("focus inside the shadow root");
        assert!(active.closest(".pm-guided .pm-q").unwrap().is_some(), "focus in the next question: {}", active.outer_html());
    }
    assert_eq!(typed, 1, "the typed question was asked once and its answer read");
    assert!(ids_in(&root, "qualifies").contains(&"small".to_string()), "{}", root.inner_html());
}

/// A qualifying policy whose worth needs an answer says which answer, and
/// the link leads to that question: the 稳岗返还 refund is up to 60% of last
/// year's UI premiums for an SME (人社部发〔2026〕39号), so 12万元 of premiums
/// is worth 7.2万元.
#[wasm_bindgen_test]
async fn a_qualifying_policy_without_a_figure_asks_for_what_its_amount_needs() {
    let mut props = self_check_props("t14", "zh-CN");
    props.catalogues = Rc::new(vec![CatalogueFile { name: "cn.json".into(), text: AttrValue::from(include_str!("../www/catalogues/cn-national-2026.json")) }]);
    props.profile = Some(Prefill::new(
        r#"{"entity_type": "company", "enterprise_size_class": "small", "ui_premium_months_fully_paid": 24, "ui_new_benefit_claimants_2025": 0}"#,
    ));
    let root = container();
    let _app = yew::Renderer::<SelfCheck>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    let card = "[data-policy=ui_job_stabilization_refund_2026]";
    assert!(ids_in(&root, "qualifies").contains(&"ui_job_stabilization_refund_2026".to_string()), "{}", root.inner_html());
    assert!(root.query_selector(&format!("{card} .pm-amount-v")).unwrap().is_none(), "no figure without the premiums");
    assert_eq!(texts(&root, &format!("{card} .pm-missing .pm-link")), vec!["2025年实际缴纳的失业保险费"]);
    click(&root, &format!("{card} .pm-missing .pm-link"));
    yew::scheduler::flush().await;
    let active = focused();
    assert!(active.closest(".pm-q").unwrap().unwrap().text_content().unwrap().contains("2025年实际缴纳的失业保险费"), "focus on {}", active.outer_html());
    change(&active, "12").await;
    assert_eq!(q(&root, &format!("{card} .pm-amount-v")).text_content().unwrap(), "7.2万元");
    assert!(root.query_selector(&format!("{card} .pm-missing")).unwrap().is_none(), "nothing missing any more");
}

/// "全部重填" asks first. Answering the question removes the pressed button,
/// so focus must go back to "全部重填" (a keyboard or screen-reader user was
/// left on <body>, both when the question appeared and when it went).
#[wasm_bindgen_test]
async fn reset_and_its_confirmation_keep_the_focus() {
    let (root, _app) = mount("t15", "zh-CN");
    yew::scheduler::flush().await;
    let document = web_sys::window().unwrap().document().unwrap();
    let active = || document.active_element().unwrap();
    let reset = q(&root, ".pm-toolbar button[aria-expanded]").dyn_into::<HtmlElement>().unwrap();
    assert_eq!(reset.text_content().as_deref(), Some("全部重填"));
    reset.focus().unwrap();
    reset.click();
    yew::scheduler::flush().await;
    assert_eq!(reset.get_attribute("aria-expanded").as_deref(), Some("true"));
    assert!(active().is_same_node(Some(&reset)), "focus stays on the button, not {}", active().outer_html());
    click_text(&root, ".pm-confirm button", "取消");
    yew::scheduler::flush().await;
    assert!(root.query_selector(".pm-confirm").unwrap().is_none());
    assert!(active().is_same_node(Some(&reset)), "focus back on the button, not {}", active().outer_html());
    // Answer something, then clear it all: the answers go, and focus stays in
    // the widget (the guided card's first question takes it, as after any change of question).
    click_text(&root, ".pm-guided .pm-option", "公司");
    yew::scheduler::flush().await;
    assert!(q(&root, ".pm-progress").text_content().unwrap().contains("已回答 1 题"));
    reset.click();
    yew::scheduler::flush().await;
    click_text(&root, ".pm-confirm button", "清除");
    yew::scheduler::flush().await;
    assert!(q(&root, ".pm-progress").text_content().unwrap().contains("已回答 0 题"));
    assert!(root.contains(Some(&active())), "focus in the widget, not {}", active().outer_html());
}

/// A multi-select (a `string_list` with options) and the policy that needs it.
const CHAINS: &str = r#"{
  "format": "policy-match/catalogue@1",
  "id": "c", "version": "1", "updated": "2026-01-01",
  "title": {"zh": "产业链", "en": "Chains"},
  "sections": [{"id": "basic", "title": {"zh": "基本情况", "en": "Basics"}}],
  "fields": [
    {"name": "chains", "type": "string_list", "section": "basic", "label": {"zh": "所属重点产业链", "en": "Key chains"},
     "options": [{"value": "ic", "label": {"zh": "集成电路", "en": "Integrated circuits"}},
                 {"value": "smart_mfg", "label": {"zh": "智能制造", "en": "Intelligent manufacturing"}}]}
  ],
  "policies": [
    {"id": "chain", "title": {"zh": "产业链奖励", "en": "Chain award"}, "issuer": {"zh": "经发局", "en": "Bureau"}, "category": "subsidy",
     "criteria": [{"id": "C1", "description": {"zh": "属于重点产业链", "en": "In a key chain"},
                   "rule": {"contains_any": [{"var": "chains"}, ["ic", "smart_mfg"]]}}]}
  ]
}"#;

fn tick(root: &Element, label: &str) {
    let list = root.query_selector_all("label.pm-choice").unwrap();
    for i in 0..list.length() {
        let l = list.item(i).unwrap().dyn_into::<Element>().unwrap();
        if l.text_content().unwrap_or_default().trim() == label {
            return l.query_selector("input[type=checkbox]").unwrap().unwrap().dyn_into::<HtmlElement>().unwrap().click();
        }
    }
    panic!("no checkbox {label:?} in {}", root.inner_html());
}

#[wasm_bindgen_test]
async fn a_list_with_options_is_asked_as_checkboxes_and_explained_by_labels() {
    let root = container();
    let props = SelfCheckProps {
        catalogues: Rc::new(vec![CatalogueFile { name: "c.json".into(), text: AttrValue::from(CHAINS) }]),
        ..self_check_props("t13", "zh-CN")
    };
    let _app = yew::Renderer::<SelfCheck>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    // Guided: checkboxes labelled in Chinese, then 没有; no text box. Ticks wait for 确定.
    let guided = q(&root, ".pm-guided");
    let group = q(&guided, "[role=group]");
    assert_eq!(group.get_attribute("aria-labelledby").as_deref(), Some("t13-g-0-label"));
    assert_eq!(texts(&group, "label.pm-choice"), ["集成电路", "智能制造", "没有"]);
    assert_eq!(group.query_selector_all("input[type=checkbox]").unwrap().length(), 3);
    assert!(guided.query_selector("input[type=text]").unwrap().is_none());
    tick(&guided, "智能制造");
    yew::scheduler::flush().await;
    assert_eq!(ids_in(&root, "undecided"), ["chain"], "not answered before 确定");
    click(&root, ".pm-guided button[type=submit]");
    yew::scheduler::flush().await;
    assert_eq!(ids_in(&root, "qualifies"), ["chain"]);
    // The explanation names the chains by their labels, never by their codes.
    click(&root, "[data-policy=chain] .pm-why-btn");
    yew::scheduler::flush().await;
    let why = q(&root, "[data-policy=chain] .pm-card-details").text_content().unwrap();
    assert!(why.contains("智能制造") && why.contains("要求：包含其中任一 集成电路、智能制造") && !why.contains("：包含其中任一："), "{why}");
    assert!(!why.contains("smart_mfg") && !why.contains("ic、"), "{why}");
    // Free mode: a fieldset with a legend; ticking 没有 answers the empty list at once.
    click_text(&root, ".pm-section-toggle .pm-section-title", "基本情况");
    yew::scheduler::flush().await;
    let fs = q(&root, "fieldset#t13-q-0");
    assert_eq!(q(&fs, "legend").text_content().unwrap(), "所属重点产业链");
    let checked = |fs: &Element| {
        let list = fs.query_selector_all("input[type=checkbox]").unwrap();
        (0..list.length()).map(|i| list.item(i).unwrap().dyn_into::<HtmlInputElement>().unwrap().checked()).collect::<Vec<_>>()
    };
    assert_eq!(checked(&fs), [false, true, false], "the answer shows as ticked");
    tick(&fs, "没有");
    yew::scheduler::flush().await;
    assert_eq!(ids_in(&root, "not"), ["chain"]);
    let fs = q(&root, "fieldset#t13-q-0");
    assert_eq!(checked(&fs), [false, false, true], "没有 unticks the chains");
    // Ticking a chain replaces 没有.
    let first = q(&fs, "#t13-q-0-in-0").dyn_into::<HtmlElement>().unwrap();
    first.click();
    yew::scheduler::flush().await;
    assert_eq!(checked(&q(&root, "fieldset#t13-q-0")), [true, false, false]);
    assert_eq!(ids_in(&root, "qualifies"), ["chain"]);
}

/// 企业自测 in the sections (按类别填写): an answer given there may change the
/// guided question, but focus stays on the control the person is using (it
/// jumped into the guided card, scrolling a phone's page away from the
/// section). An answer given in the guided card still moves focus on, to the
/// "all done" heading after the last one.
#[wasm_bindgen_test]
async fn answering_in_the_sections_keeps_focus_there() {
    let (root, _app) = mount("t20", "zh-CN");
    yew::scheduler::flush().await;
    let document = web_sys::window().unwrap().document().unwrap();
    assert_eq!(guided_label(&root), "主体类型");
    click_text(&root, ".pm-section-toggle .pm-section-title", "基本情况");
    yew::scheduler::flush().await;
    // The first radio of 主体类型 in the section: 公司 (a click checks it and fires change).
    let radio = q(&root, "#t20-q-0-in").dyn_into::<HtmlElement>().unwrap();
    radio.focus().unwrap();
    radio.click();
    yew::scheduler::flush().await;
    assert_ne!(guided_label(&root), "主体类型", "the guided card asks the next question");
    let active = document.active_element().unwrap();
    assert_eq!(active.id(), "t20-q-0-in", "focus stays in the section, not on {}", active.outer_html());
    // The guided card, to the end: focus follows, then rests on the "all done" heading.
    for _ in 0..6 {
        if root.query_selector(".pm-guided-done").unwrap().is_some() {
            break;
        }
        match guided_label(&root).as_str() {
            "职工人数" => answer_guided(&root, "12").await,
            "营业收入" => answer_guided(&root, "600").await,
            "是否列入失信名单" => click_text(&root, ".pm-guided .pm-option", "否"),
            "事故日期" => click(&root, ".pm-guided .pm-dates input[type=radio]"),
            other => panic!("unexpected question {other}"),
        }
        yew::scheduler::flush().await;
        let active = document.active_element().unwrap();
        assert!(active.closest(".pm-guided").unwrap().is_some(), "focus in the guided card, not on {}", active.outer_html());
    }
    assert_eq!(document.active_element().unwrap().id(), "t20-guided-h");
}

/// 企业自测, changing an answer: the same figure typed in another spelling
/// (`1.2万` after `12000` in 元; `１２，０００` after it) shows the figure as
/// the widget writes it, like any other answer; the box kept the typed text.
#[wasm_bindgen_test]
async fn the_same_figure_typed_again_in_another_spelling_is_shown_as_written() {
    let (root, _app) = mount("t21", "zh-CN");
    yew::scheduler::flush().await;
    click_text(&root, ".pm-section-toggle .pm-section-title", "财务");
    yew::scheduler::flush().await;
    click_text(&root, "#t21-q-2 .pm-unit", "元");
    yew::scheduler::flush().await;
    let value = || q(&root, "#t21-q-2-in").dyn_into::<HtmlInputElement>().unwrap().value();
    change(&q(&root, "#t21-q-2-in"), "12000").await;
    assert_eq!(value(), "12,000");
    for typed in ["1.2万", "１２，０００", " 12000 ", "12,000元"] {
        change(&q(&root, "#t21-q-2-in"), typed).await;
        assert_eq!(value(), "12,000", "{typed} is 12,000 元");
    }
    // In 万元: 1.2 (万元) and 12000元 are the same 1.2万.
    click_text(&root, "#t21-q-2 .pm-unit", "万元");
    yew::scheduler::flush().await;
    assert_eq!(value(), "1.2");
    change(&q(&root, "#t21-q-2-in"), "12000元").await;
    assert_eq!(value(), "1.2");
    // 12,000,000 typed into the 万元 box (the figure in 元, as a tax form shows it): a hint, not a block.
    change(&q(&root, "#t21-q-2-in"), "12000000").await;
    let hint = q(&root, "#t21-q-2 .pm-hint").text_content().unwrap();
    assert!(hint.contains("如果填的是元"), "{hint}");
    assert_eq!(q(&root, "#t21-q-2-in").get_attribute("aria-invalid"), None, "the answer stands");
    assert_eq!(value(), "12,000,000");
    // Doing what it says reads the figure in 元: 1,200万元, and the hint is gone.
    change(&q(&root, "#t21-q-2-in"), "12000000元").await;
    assert_eq!(value(), "1,200");
    assert!(!q(&root, "#t21-q-2 .pm-hint").text_content().unwrap().contains("如果填的是元"));
    // The headcount: 1200 after 1,200.
    click_text(&root, ".pm-section-toggle .pm-section-title", "基本情况");
    yew::scheduler::flush().await;
    let staff = || q(&root, "#t21-q-1-in").dyn_into::<HtmlInputElement>().unwrap();
    change(&staff(), "1,200").await;
    change(&staff(), "1200").await;
    assert_eq!(staff().value(), "1,200");
}

/// An English page has English punctuation: the printed report ("Assessed as
/// of: …", "Staff: 120 people (needs: …)", "Within reach: …") and the
/// screen-reader names of the per-question buttons ("Clear answer: Staff")
/// used the Chinese full-width colon.
#[wasm_bindgen_test]
async fn english_text_has_no_chinese_colon() {
    let (root, _app) = mount("t22", "en");
    yew::scheduler::flush().await;
    click_text(&root, ".pm-guided .pm-option", "Company");
    yew::scheduler::flush().await;
    assert_eq!(guided_label(&root), "Staff");
    answer_guided(&root, "120").await;
    click_text(&root, ".pm-section-toggle .pm-section-title", "Basics");
    yew::scheduler::flush().await;
    let labels = root.query_selector_all("[aria-label]").unwrap();
    let labels: Vec<String> = (0..labels.length()).filter_map(|i| labels.item(i)?.dyn_into::<Element>().ok()?.get_attribute("aria-label")).collect();
    assert!(labels.contains(&"Clear answer: Staff".to_string()), "{labels:?}");
    assert!(labels.iter().all(|l| !l.contains('：')), "{labels:?}");
    click_text(&root, ".pm-actions button", "Print report");
    yew::scheduler::flush().await;
    let report = q(&root, ".pm-report").text_content().unwrap();
    // 120 staff against "at most 100": within reach (20 % over).
    for want in ["Assessed as of: 1 Jul 2026", "Catalogue: Test catalogue", "Staff: 120 people (needs: ≤ 100 people)", "Within reach: "] {
        assert!(report.contains(want), "{want} in {report}");
    }
    assert!(!report.contains('：'), "{report}");
}

/// 企业自测 in the guided card: a figure typed, then 元 chosen before
/// confirming (the order many people fill a box with a unit next to it): the
/// box emptied when the card re-rendered for the new unit. The figure stays
/// and is read in 元.
#[wasm_bindgen_test]
async fn choosing_the_unit_after_typing_in_the_guided_card_keeps_the_figure() {
    let (root, _app) = mount("t23", "zh-CN");
    yew::scheduler::flush().await;
    click_text(&root, ".pm-guided .pm-option", "公司");
    yew::scheduler::flush().await;
    answer_guided(&root, "12").await;
    for _ in 0..3 {
        match guided_label(&root).as_str() {
            "营业收入" => break,
            "是否列入失信名单" => click_text(&root, ".pm-guided .pm-option", "否"),
            "事故日期" => click(&root, ".pm-guided .pm-dates input[type=radio]"),
            other => panic!("unexpected question {other}"),
        }
        yew::scheduler::flush().await;
    }
    assert_eq!(guided_label(&root), "营业收入");
    let input = || q(&root, ".pm-guided input.pm-input").dyn_into::<HtmlInputElement>().unwrap();
    input().set_value("1200000");
    click_text(&root, ".pm-guided .pm-unit", "元");
    yew::scheduler::flush().await;
    assert_eq!(q(&root, ".pm-guided .pm-unit[aria-pressed=true]").text_content().unwrap(), "元");
    assert_eq!(input().value(), "1200000", "the typed figure is still there");
    click(&root, ".pm-guided button[type=submit]");
    yew::scheduler::flush().await;
    // 1,200,000元 = 120万 < 500万: the growth award fails on revenue (in 万元 it would be 120亿).
    assert!(ids_in(&root, "not").contains(&"growth".to_string()), "{}", root.inner_html());
}

/// A portal that prefills the widget (`profile`, from the enterprise's
/// account) on a device where the visitor chose "remember": the host's
/// answers are shown, and the remembered ones, still stored, can be deleted
/// ("forget" was not offered, the checkbox was off: stored out of sight).
#[wasm_bindgen_test]
async fn a_prefilled_widget_offers_to_forget_what_this_device_remembers() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.set_item("pm-test-t24", r#"{"format": "policy-match/answers@1", "profile": {"kind": "company", "staff": 30}}"#).unwrap();
    let mut props = self_check_props("t24", "zh-CN");
    props.profile = Some(Prefill::new(r#"{"kind": "individual"}"#));
    let root = container();
    let _app = yew::Renderer::<SelfCheck>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    assert!(q(&root, ".pm-progress").text_content().unwrap().contains("已回答 1 题"), "the host's answers");
    assert!(!q(&root, "#t24-remember").dyn_into::<HtmlInputElement>().unwrap().checked());
    click_text(&root, ".pm-actions button", "删除本设备上的答案");
    yew::scheduler::flush().await;
    assert!(storage.get_item("pm-test-t24").unwrap().is_none(), "forget deletes the stored answers");
}

/// Keyboard only, in the sections: Enter on "clear" puts focus in the
/// question's input to answer it again. Focus stayed on the button, which
/// the re-render turned into "skip": a second Enter skipped the question.
#[wasm_bindgen_test]
async fn clearing_an_answer_moves_focus_to_its_input() {
    let (root, _app) = mount("t25", "zh-CN");
    yew::scheduler::flush().await;
    click_text(&root, ".pm-section-toggle .pm-section-title", "基本情况");
    yew::scheduler::flush().await;
    change(&q(&root, "#t25-q-1-in"), "30").await;
    let clear = q(&root, "#t25-q-1 .pm-q-actions button").dyn_into::<HtmlElement>().unwrap();
    assert_eq!(clear.text_content().unwrap(), "清除答案");
    clear.focus().unwrap();
    clear.click();
    yew::scheduler::flush().await;
    assert!(q(&root, ".pm-progress").text_content().unwrap().contains("已回答 0 题"));
    let active = focused();
    assert_eq!(active.id(), "t25-q-1-in", "focus on {}", active.outer_html());
}

/// 企业自测 by keyboard: "改为回答" on a skipped question moves focus to its
/// input (it stayed on the button, which the re-render turned into "skip").
#[wasm_bindgen_test]
async fn answering_a_skipped_question_moves_focus_to_its_input() {
    let (root, _app) = mount("t27", "zh-CN");
    yew::scheduler::flush().await;
    click_text(&root, ".pm-section-toggle .pm-section-title", "基本情况");
    yew::scheduler::flush().await;
    let button = |text: &str| {
        let b = q(&root, "#t27-q-1 .pm-q-actions button").dyn_into::<HtmlElement>().unwrap();
        assert_eq!(b.text_content().unwrap(), text);
        b
    };
    button("不清楚，跳过").click();
    yew::scheduler::flush().await;
    let unskip = button("改为回答");
    unskip.focus().unwrap();
    unskip.click();
    yew::scheduler::flush().await;
    button("不清楚，跳过");
    let active = focused();
    assert_eq!(active.id(), "t27-q-1-in", "focus on {}", active.outer_html());
}

/// 企业自测, switching to English mid-way: a figure typed in the guided card
/// but not yet confirmed stays in the box (the re-render in the other
/// language emptied it).
#[wasm_bindgen_test]
async fn switching_language_keeps_a_figure_typed_in_the_guided_card() {
    let (root, _app) = mount("t26", "zh-CN");
    yew::scheduler::flush().await;
    assert_eq!(guided_label(&root), "主体类型");
    click_text(&root, ".pm-guided .pm-option", "公司");
    yew::scheduler::flush().await;
    assert_eq!(guided_label(&root), "职工人数");
    q(&root, ".pm-guided input.pm-input").dyn_into::<HtmlInputElement>().unwrap().set_value("30");
    click(&root, ".pm-lang");
    yew::scheduler::flush().await;
    assert_eq!(guided_label(&root), "Staff");
    assert_eq!(q(&root, ".pm-guided input.pm-input").dyn_into::<HtmlInputElement>().unwrap().value(), "30");
}
