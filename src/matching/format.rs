//! Numbers for people: digits grouped by thousands, rounded, with their
//! unit in Chinese or English.

use rust_decimal::Decimal;

use crate::catalogue::Unit;

/// Format a quantity for people: grouped digits, at most 4 decimals, with its unit.
///
/// # Example
/// ```
/// # use policy_match::{catalogue::Unit, matching::format_quantity};
/// assert_eq!(format_quantity("12345678.9".parse().unwrap(), Some(Unit::Cny), "zh"), "12,345,678.9元");
/// assert_eq!(format_quantity("8.123456".parse().unwrap(), Some(Unit::Percent), "en"), "8.1235%");
/// ```
pub fn format_quantity(d: Decimal, unit: Option<Unit>, lang: &str) -> String {
    let mut out = String::with_capacity(24);
    push_quantity(&mut out, rounded(d, 4).as_str(), unit, lang.starts_with("en"));
    out
}

/// A number's text, on the stack: a `Decimal` has at most 29 digits (with
/// leading zeros, at most 29 for a scale of 28), a sign, a point and 9
/// group separators.
pub(super) struct Digits {
    buf: [u8; 48],
    len: usize,
}

impl Digits {
    fn push(&mut self, c: u8) {
        if let Some(b) = self.buf.get_mut(self.len) {
            *b = c;
            self.len += 1;
        }
    }

    pub(super) fn as_str(&self) -> &str {
        // Only ASCII digits, '-', '.' and ',' are written.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

/// `d` rounded to `dp` decimal places, without trailing zeros, digits
/// grouped (the number part of [`format_quantity`]).
pub(super) fn rounded(d: Decimal, dp: u32) -> Digits {
    grouped(d.round_dp(dp).normalize())
}

/// Append a quantity (already formatted by [`rounded`]) with its unit.
pub(super) fn push_quantity(out: &mut String, s: &str, unit: Option<Unit>, en: bool) {
    let (before, after) = match (unit, en) {
        (Some(Unit::Percent), _) => ("", "%"),
        (Some(Unit::Cny), true) => ("¥", ""),
        (Some(Unit::Cny), false) => ("", "元"),
        (Some(Unit::People), true) => ("", " people"),
        (Some(Unit::People), false) => ("", "人"),
        (Some(Unit::Years), true) => ("", " years"),
        (Some(Unit::Years), false) => ("", "年"),
        (Some(Unit::Months), true) => ("", " months"),
        (Some(Unit::Months), false) => ("", "个月"),
        (Some(Unit::Days), true) => ("", " days"),
        (Some(Unit::Days), false) => ("", "天"),
        (Some(Unit::Points), true) => ("", " points"),
        (Some(Unit::Points), false) => ("", "分"),
        (Some(Unit::Count), false) => ("", "项"),
        _ => ("", ""),
    };
    out.push_str(before);
    out.push_str(s);
    out.push_str(after);
}

/// The decimal `d` as its `Display` text would read, with the integer
/// part's digits grouped by thousands (as [`group_digits`]).
fn grouped(d: Decimal) -> Digits {
    let m = d.mantissa();
    let scale = d.scale() as usize;
    // The digits of |mantissa|, at least one more than the scale.
    let mut digits = [b'0'; 40];
    let mut n = m.unsigned_abs();
    let mut len = 0;
    while n > 0 || len == 0 {
        digits[len] = b'0' + (n % 10) as u8;
        n /= 10;
        len += 1;
    }
    let len = len.max(scale + 1).min(digits.len());
    digits[..len].reverse();
    let (int, frac) = digits[..len].split_at(len - scale);
    let mut out = Digits { buf: [0; 48], len: 0 };
    if m < 0 {
        out.push(b'-');
    }
    for (i, c) in int.iter().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(b',');
        }
        out.push(*c);
    }
    if !frac.is_empty() {
        out.push(b'.');
        for &c in frac {
            out.push(c);
        }
    }
    out
}

/// `1234567.5` → `1,234,567.5`.
///
/// # Example
/// ```
/// # use policy_match::matching::group_digits;
/// assert_eq!(group_digits("1234567.5"), "1,234,567.5");
/// assert_eq!(group_digits("-1000"), "-1,000");
/// ```
pub fn group_digits(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map_or(("", s), |r| ("-", r));
    let (int, frac) = rest.split_once('.').map_or((rest, None), |(a, b)| (a, Some(b)));
    let mut out = String::with_capacity(s.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The formatting `format_quantity` had before it wrote digits directly.
    fn reference(d: Decimal, unit: Option<Unit>, en: bool) -> String {
        let s = group_digits(&d.round_dp(4).normalize().to_string());
        let mut out = String::new();
        push_quantity(&mut out, &s, unit, en);
        out
    }

    #[test]
    fn quantities_format_as_display_with_grouping() {
        let mut r = crate::synth::Rng::new(5);
        let mut cases: Vec<Decimal> =
            ["0", "-0", "0.00001", "-0.00005", "0.00005", "1234567.5", "-1000", "999.99995", "1000000000000000000", "-0.1", "12.3400", "0.0001"]
                .iter()
                .map(|s| s.parse().unwrap())
                .collect();
        for _ in 0..20_000 {
            let m = (r.next_u64() >> r.below(64)) as i64 * if r.percent(30) { -1 } else { 1 };
            cases.push(Decimal::new(m, r.below(12) as u32));
        }
        for d in cases {
            for unit in [None, Some(Unit::Percent), Some(Unit::Cny), Some(Unit::Count)] {
                for en in [false, true] {
                    assert_eq!(format_quantity(d, unit, if en { "en" } else { "zh" }), reference(d, unit, en), "{d}");
                }
            }
        }
    }
}
