//! `check`'s comparison of each criterion's description with its rule.
//!
//! People read the description (`营业收入不超过5000万元`); the verdict
//! follows the rule. Every figure the Chinese description gives with a unit
//! (`5000万元`, `300人`, `60%`, `3年`) should therefore appear among the
//! rule's numbers, in the rule's terms: money in 元 (`5000万元` is
//! 50000000), a percentage as 60 or 0.6, years also as months or days. A
//! figure the rule lacks is a threshold typed wrong on one side, or a 万元
//! figure written in 元 as `5000` (the rule then asks for 5,000 元).
//!
//! A figure the criterion's `note` also gives is taken as explained there
//! (how the text was read: a 5 % yearly growth as 10.25 % over two years).
//!
//! The rule's numbers include those of the derived values and the
//! policies it reads (a description may restate them), the bounds and
//! results of its band tables, and products of literals (`5000 × 10000`).
//!
//! Native only (`policy-match check`, [`super::Catalogue::warnings`]): the
//! widget and the JS API do not carry it.

use rust_decimal::Decimal;

use super::{Catalogue, Location, Warning};
use crate::rules::{ArithOp, JsonPath, Node, NodeId, Seg};

/// The kind of the warning.
const KIND: &str = "description-mismatch";

/// A figure of a description: the number, its unit as written, and the
/// values a rule may write it as.
#[derive(Debug)]
struct Figure {
    text: String,
    number: Decimal,
    unit: &'static str,
    accepted: Vec<Decimal>,
}

/// Units a figure may carry, longest first, with the factors a rule may
/// write it with.
const UNITS: &[(&str, &[i64])] = &[
    ("万元", &[10_000]),
    ("亿元", &[100_000_000]),
    ("千元", &[1_000]),
    ("个月", &[1, 30]),
    ("万", &[10_000]),
    ("亿", &[100_000_000]),
    ("元", &[1]),
    ("人", &[1]),
    ("分", &[1]),
    ("项", &[1]),
    ("件", &[1]),
    ("家", &[1]),
    ("天", &[1]),
    ("年", &[1, 12, 365]),
];

/// The figures of `text` (a Chinese description) with a unit. A four-digit
/// number before 年 is a year (`2025年`), not a number of years. The first
/// number of a range takes the unit of the second (`5000-20000万元`,
/// `1至2年`). A percentage may also be written as a growth factor (20 % as
/// 1.2 or 0.8).
fn figures(text: &str) -> Vec<Figure> {
    let chars: Vec<char> = text.chars().map(|c| if ('０'..='９').contains(&c) { char::from_u32(c as u32 - 0xfee0).unwrap_or(c) } else { c }).collect();
    let is_range = |c: char| matches!(c, '-' | '–' | '—' | '~' | '～' | '至' | '到');
    let before = |at: usize, k: usize| at.checked_sub(k).and_then(|j| chars.get(j)).copied();
    let mut out = Vec::new();
    let mut i = 0;
    // Inside quotation marks or 《》: a name (`"高新技术企业15%税率"`), no threshold.
    let mut quoted = false;
    let mut titled = 0usize;
    // The first numbers of a range, waiting for its unit.
    let mut pending: Vec<(String, Decimal)> = Vec::new();
    while i < chars.len() {
        match chars[i] {
            '"' => quoted = !quoted,
            '“' | '「' => quoted = true,
            '”' | '」' => quoted = false,
            '《' => titled += 1,
            '》' => titled = titled.saturating_sub(1),
            _ => {}
        }
        let digit = chars[i].is_ascii_digit() && !quoted && titled == 0;
        // A number starts at a digit not inside a word (`C1`, `GB/T 4754-2017`); after a
        // range's dash it is the range's second number (`5000-20000万元`).
        let inside = before(i, 1).is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '_'))
            || (before(i, 1).is_some_and(|c| is_range(c) && c != '至' && c != '到') && !before(i, 2).is_some_and(|c| c.is_ascii_digit()));
        if !digit || inside {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || (matches!(chars[i], '.' | ',') && chars.get(i + 1).is_some_and(char::is_ascii_digit))) {
            i += 1;
        }
        let written: String = chars[start..i].iter().collect();
        let Ok(number) = written.replace(',', "").parse::<Decimal>() else { continue };
        if chars.get(i).is_some_and(|&c| is_range(c)) && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
            pending.push((written, number));
            continue;
        }
        let rest: String = chars[i..].iter().take(2).collect();
        let firsts = std::mem::take(&mut pending);
        if rest.starts_with(['%', '％']) {
            for (written, number) in firsts.into_iter().chain([(written, number)]) {
                let p = number / Decimal::ONE_HUNDRED;
                let accepted = vec![number, p, Decimal::ONE + p, Decimal::ONE - p];
                out.push(Figure { text: format!("{written}%"), number, unit: "%", accepted });
            }
            continue;
        }
        let Some(&(unit, factors)) = UNITS.iter().find(|(u, _)| rest.starts_with(u)) else { continue };
        let year = unit == "年" && written.len() == 4 && (1900..=2199).contains(&number.trunc().mantissa());
        // `1月1日`, `第3项` and the like are no thresholds; nor are `5分钟`.
        if year || before(start, 1) == Some('第') || rest == "分钟" {
            continue;
        }
        for (written, number) in firsts.into_iter().chain([(written, number)]) {
            // A figure too large to scale is no threshold anyone wrote.
            let Some(accepted) = factors.iter().map(|&f| number.checked_mul(Decimal::from(f))).collect::<Option<Vec<_>>>() else { continue };
            out.push(Figure { text: format!("{written}{unit}"), number, unit, accepted });
        }
    }
    out
}

/// Every number a criterion's rule can compare with: literals (also of the
/// derived values and the other policies' criteria and benefit formulas it
/// reads, at any depth),
/// band bounds, shift amounts, and products of literal operands.
fn numbers(cat: &Catalogue, root: NodeId, out: &mut Vec<Decimal>, seen: &mut Vec<NodeId>) {
    let prog = &cat.program;
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        if seen.contains(&n) {
            continue;
        }
        seen.push(n);
        let literal = |id: NodeId| match prog.nodes.get(id as usize) {
            Some(Node::Num(k)) => Some(prog.num(*k)),
            _ => None,
        };
        match prog.nodes.get(n as usize) {
            Some(Node::Num(k)) => out.push(prog.num(*k)),
            Some(Node::Shift(_, _, by)) => out.push(Decimal::from(*by).abs()),
            Some(Node::Band(_, s)) => stack.extend(prog.band_rows(*s).iter().map(|r| r.bound)),
            Some(Node::Arith(ArithOp::Mul, s, e)) => {
                let ks: Option<Vec<Decimal>> = prog.kids(*s, *e).iter().map(|&k| literal(k)).collect();
                if let Some(p) = ks.and_then(|ks| ks.into_iter().try_fold(Decimal::ONE, |a, b| a.checked_mul(b))) {
                    out.push(p);
                }
            }
            Some(Node::Derived(d)) => stack.extend(cat.derived.get(*d as usize).map(|d| d.node)),
            Some(Node::Policy(p)) => {
                if let Some(p) = cat.policies.get(*p as usize) {
                    stack.extend(p.criteria.iter().map(|c| c.node).chain(p.amount));
                }
            }
            _ => {}
        }
        prog.each_child(n, |c| stack.push(c));
    }
}

/// The warnings: one per figure of a criterion's Chinese description that
/// its rule does not contain, at the rule (document index, path).
pub(super) fn description_warnings(cat: &Catalogue) -> Vec<(usize, JsonPath, Warning)> {
    let mut out = Vec::new();
    let (mut nums, mut seen) = (Vec::new(), Vec::new());
    for p in &cat.policies {
        for (j, c) in p.criteria.iter().enumerate() {
            // A figure the criterion's note also gives is explained there
            // (`复合增长率不低于5%即两年累计增长不低于10.25%`).
            let note = c.note.as_ref().map(|n| figures(n.get("zh"))).unwrap_or_default();
            let mut figs = figures(c.description.get("zh"));
            figs.retain(|f| !note.iter().any(|n| (n.number, n.unit) == (f.number, f.unit)));
            if figs.is_empty() {
                continue;
            }
            nums.clear();
            seen.clear();
            numbers(cat, c.node, &mut nums, &mut seen);
            for f in figs {
                if f.accepted.iter().any(|a| nums.iter().any(|n| n.abs() == *a)) {
                    continue;
                }
                // A 万 or 亿 figure written bare: the rule has 5000 where the text says 5000万元.
                let scaled = f.accepted.first().copied().filter(|a| *a != f.number && nums.contains(&f.number));
                let message = if let Some(meant) = scaled {
                    format!("criterion {}: the description says {} but the rule compares with {}; {} is {}", c.id, f.text, f.number, f.text, meant.normalize())
                } else {
                    format!("criterion {}: the description says {} but the rule has no such number; check which one is right", c.id, f.text)
                };
                let (doc, i) = p.origin;
                let path = JsonPath(vec![Seg::Key("policies".into()), Seg::Index(i), Seg::Key("criteria".into()), Seg::Index(j), Seg::Key("rule".into())]);
                out.push((doc, path, Warning { kind: KIND, message, location: Location::default(), policy: Some(p.id.clone()) }));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> Vec<String> {
        figures(text).into_iter().map(|f| f.text).collect()
    }

    #[test]
    fn figures_with_units_and_not_years_dates_or_codes() {
        assert_eq!(shown("年度营业收入不超过5,000万元且从业人数不超过300人"), ["5,000万元", "300人"]);
        assert_eq!(shown("2025年研发费用占比不低于3.5%，近3年无违法"), ["3.5%", "3年"]);
        assert_eq!(shown("GB/T 4754-2017 门类C（第3项），1月1日起；得分70分以上"), ["70分"]);
        assert_eq!(shown("２亿元以上"), ["2亿元"]);
        // Ranges take the unit of their second figure; a dash after a word is no range.
        assert_eq!(shown("营业收入5000-20000万元，成立1至2年，5~10%"), ["5000万元", "20000万元", "1年", "2年", "5%", "10%"]);
        assert_eq!(shown("等待5分钟"), Vec::<String>::new());
        // Too large to scale: left alone, no panic.
        assert_eq!(shown("9999999999999999999999999999万元"), Vec::<String>::new());
        // A growth rate may be a factor.
        let f = &figures("平均增长率20%以上")[0];
        assert!(f.accepted.contains(&"1.2".parse().unwrap()) && f.accepted.contains(&"0.8".parse().unwrap()));
        assert_eq!(shown("符合全国\"高新技术企业15%税率\"，按“15%”或《2025年10号文》"), Vec::<String>::new());
    }
}
