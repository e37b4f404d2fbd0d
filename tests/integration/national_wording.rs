//! The national catalogue's words agree with its rules on whether a bound is
//! included. In Chinese regulations 以上 / 以下 / 不超过 / 不低于 include the
//! number itself unless the text says 不含; 超过 / 低于 / 未达到 exclude it
//! (the conventions of /work/shared/reference/cn-policies-2026.md §0). A
//! criterion whose rule is a strict comparison but whose description reads as
//! inclusive (or the other way round) tells the user the wrong thing at
//! exactly the boundary.

use crate::util::{read, NATIONAL};

fn national() -> serde_json::Value {
    serde_json::from_str(&read(NATIONAL)).unwrap()
}

/// Words that include the bound (以上/以下 count unless 不含 follows).
fn says_inclusive(zh: &str) -> bool {
    ["不超过", "不低于", "不高于", "不少于", "以内"].iter().any(|w| zh.contains(w)) || (["以上", "以下"].iter().any(|w| zh.contains(w)) && !zh.contains("不含"))
}

/// Words that exclude the bound: 超过 / 低于 / 高于 / 少于 not negated by 不, 未达, 未满.
fn says_strict(zh: &str) -> bool {
    let chars: Vec<char> = zh.chars().collect();
    let negated_at = |i: usize| i > 0 && chars[i - 1] == '不';
    let has = |w: &str| {
        let w: Vec<char> = w.chars().collect();
        (0..chars.len().saturating_sub(w.len() - 1)).any(|i| chars[i..i + w.len()] == w[..] && !negated_at(i))
    };
    ["超过", "低于", "高于", "少于"].iter().any(|w| has(w)) || zh.contains("未达") || zh.contains("未满")
}

#[test]
fn criterion_descriptions_say_whether_the_bound_is_included() {
    let cat = national();
    let mut bad = Vec::new();
    for p in cat["policies"].as_array().unwrap() {
        for c in p["criteria"].as_array().unwrap() {
            let Some(rule) = c["rule"].as_object() else { continue };
            let Some(op) = rule.keys().next() else { continue };
            let zh = c["description"]["zh"].as_str().unwrap();
            let wrong = match op.as_str() {
                "<" | ">" => says_inclusive(zh),
                "<=" | ">=" => says_strict(zh),
                _ => false,
            };
            if wrong {
                bad.push(format!("{} {} ({op}): {zh}", p["id"], c["id"]));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

/// U1: the catalogue reads the VAT threshold as exclusive (sales of exactly
/// ¥100,000 a month reach the 起征点 and are taxed, VAT Law art. 23), so the
/// policy's title and summary must not promise the exemption for "10万元以下"
/// (which in Chinese includes ¥100,000 itself, as 2023年第19号 said).
#[test]
fn vat_threshold_texts_match_the_exclusive_reading() {
    let cat = national();
    let p = cat["policies"].as_array().unwrap().iter().find(|p| p["id"] == "vat_small_scale_threshold_exemption").unwrap();
    let c2 = p["criteria"].as_array().unwrap().iter().find(|c| c["id"] == "C2").unwrap();
    assert!(c2["rule"].get("<").is_some(), "C2 is the strict reading");
    for text in [&p["title"]["zh"], &p["summary"]["zh"]] {
        let zh = text.as_str().unwrap();
        assert!(!says_inclusive(zh), "reads as inclusive: {zh}");
    }
}
