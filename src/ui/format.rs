//! Locale formatting of numbers, money and dates, and the reading of what a
//! person types into a question (exact decimals: no `f64` anywhere).

use rust_decimal::Decimal;

use crate::catalogue::{FieldDef, FieldType, Unit};
use crate::matching::{group_digits, MAX_STRING_CHARS};
use crate::rules::{parse_decimal, Date, Value};
use crate::Lang;

/// How a money field is typed: in 万元 (ten thousand yuan, the default) or in 元.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MoneyUnit {
    /// 万元: the typed number × 10,000.
    #[default]
    Wan,
    /// 元.
    Yuan,
}

const WAN: i64 = 10_000;

/// A decimal for people: at most 4 decimals, grouped digits.
///
/// ```
/// use policy_match::ui::format::number;
/// assert_eq!(number("1234567.50".parse().unwrap()), "1,234,567.5");
/// ```
pub fn number(d: Decimal) -> String {
    number_dp(d, 4)
}

/// [`number`] with at most `dp` decimals.
///
/// ```
/// use policy_match::ui::format::number_dp;
/// assert_eq!(number_dp("9.78261".parse().unwrap(), 2), "9.78");
/// ```
pub fn number_dp(d: Decimal, dp: u32) -> String {
    group_digits(&d.round_dp(dp).normalize().to_string())
}

/// An amount of money: `48万元` / `5,580元` in Chinese, `¥480,000` in English.
/// In Chinese, from 10万元 on always in 万元 with every decimal it takes
/// (`123.4567万元`, never rounded); from 1万元 on in 万元 when that needs at
/// most two decimals (`1.5万元`, but `12,345元`).
///
/// ```
/// use policy_match::ui::{format::money, Lang};
/// assert_eq!(money("480000".parse().unwrap(), Lang::Zh), "48万元");
/// assert_eq!(money("1234567".parse().unwrap(), Lang::Zh), "123.4567万元");
/// assert_eq!(money("5580".parse().unwrap(), Lang::Zh), "5,580元");
/// assert_eq!(money("480000".parse().unwrap(), Lang::En), "¥480,000");
/// ```
pub fn money(d: Decimal, lang: Lang) -> String {
    match lang {
        Lang::En if d.is_sign_negative() && !d.is_zero() => format!("−¥{}", number(-d)),
        Lang::En => format!("¥{}", number(d)),
        Lang::Zh => {
            // As precise as the 元 figure would be (4 decimals of 元 = 8 of 万元).
            let d = d.round_dp(4);
            let wan = d / Decimal::from(WAN);
            if d.abs() >= Decimal::from(10 * WAN) || d.abs() >= Decimal::from(WAN) && wan.normalize().scale() <= 2 {
                format!("{}万元", number_dp(wan, 8))
            } else {
                format!("{}元", number(d))
            }
        }
    }
}

/// A quantity with its unit, e.g. `12人`, `4.2%`, `3 years`.
pub fn quantity(d: Decimal, unit: Option<Unit>, lang: Lang) -> String {
    quantity_dp(d, unit, lang, 4)
}

/// [`quantity`] with at most `dp` decimals (money: at most 4).
pub fn quantity_dp(d: Decimal, unit: Option<Unit>, lang: Lang, dp: u32) -> String {
    let d = d.round_dp(dp);
    let n = number_dp(d, dp);
    match unit {
        Some(Unit::Cny) => money(d, lang),
        Some(Unit::Percent) => format!("{n}%"),
        Some(u) => match lang {
            Lang::Zh => format!("{n}{}", lang.unit_suffix(u)),
            Lang::En => format!("{n} {}", en_unit(u, d)),
        },
        None => n,
    }
}

fn en_unit(u: Unit, d: Decimal) -> &'static str {
    let one = d == Decimal::ONE;
    match u {
        Unit::People => "people",
        Unit::Years if one => "year",
        Unit::Years => "years",
        Unit::Months if one => "month",
        Unit::Months => "months",
        Unit::Days if one => "day",
        Unit::Days => "days",
        Unit::Count if one => "item",
        Unit::Count => "items",
        Unit::Points if one => "point",
        Unit::Points => "points",
        Unit::Cny => "yuan",
        Unit::Percent => "%",
    }
}

/// A date: `2026年7月1日` / `1 Jul 2026`.
///
/// ```
/// use policy_match::ui::{format::date, Lang};
/// let d = "2026-07-01".parse().unwrap();
/// assert_eq!(date(d, Lang::Zh), "2026年7月1日");
/// assert_eq!(date(d, Lang::En), "1 Jul 2026");
/// ```
pub fn date(d: Date, lang: Lang) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let (y, m, day) = d.ymd();
    match lang {
        Lang::Zh => format!("{y}年{m}月{day}日"),
        Lang::En => format!("{day} {} {y}", MONTHS[(m as usize + 11) % 12]),
    }
}

/// A profile value as text for people, using the field's option labels and unit.
pub fn value(v: &Value, field: Option<&FieldDef>, unit: Option<Unit>, lang: Lang) -> String {
    let s = lang.s();
    match v {
        Value::Missing => s.not_answered.to_string(),
        Value::Bool(true) => s.yes.to_string(),
        Value::Bool(false) => s.no.to_string(),
        Value::Num(d) => quantity(*d, unit.or(field.and_then(|f| f.unit)), lang),
        Value::Date(d) => date(*d, lang),
        Value::Str(x) => option_label(field, x, lang),
        Value::Dates(ds) if ds.is_empty() => s.none_option.to_string(),
        Value::Dates(ds) => join(ds.iter().map(|d| date(*d, lang)), lang),
        Value::Strs(xs) if xs.is_empty() => s.none_option.to_string(),
        Value::Strs(xs) => join(xs.iter().map(|x| option_label(field, x, lang)), lang),
    }
}

/// An enum option's label for its value (the value itself when unknown).
pub fn option_label(field: Option<&FieldDef>, v: &str, lang: Lang) -> String {
    field.and_then(|f| f.options.iter().find(|o| o.value == v)).map_or_else(|| v.to_string(), |o| lang.pick(&o.label).to_string())
}

/// Items joined with `、` / `, `.
pub fn join(items: impl Iterator<Item = String>, lang: Lang) -> String {
    items.collect::<Vec<_>>().join(lang.either("、", ", "))
}

/// Why a typed answer is not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputError {
    /// Not a number.
    NotNumber,
    /// A number beyond what the engine takes (±10^18, 10 decimal places).
    OutOfRange,
    /// A fraction where a whole number is needed.
    NotWhole,
    /// Below the field's minimum (in the field's unit; money in 元).
    BelowMin(Decimal),
    /// Above the field's maximum.
    AboveMax(Decimal),
    /// Not a date.
    BadDate,
    /// Longer than the engine accepts.
    TooLong,
    /// Not one of the options.
    NotAnOption,
    /// An address that names no city, for a field read as a city.
    NoCity,
    /// Anything else the engine reported (its message).
    Engine(String),
}

impl InputError {
    /// The message shown under the input of a field with `unit`.
    pub fn message(&self, lang: Lang, unit: Option<Unit>) -> String {
        let s = lang.s();
        match self {
            InputError::NotNumber => s.err_number.into(),
            InputError::OutOfRange => s.err_range.into(),
            InputError::NotWhole => s.err_whole.into(),
            InputError::BelowMin(m) => format!("{} {}", s.err_min, quantity(*m, unit, lang)),
            InputError::AboveMax(m) => format!("{} {}", s.err_max, quantity(*m, unit, lang)),
            InputError::BadDate => s.err_date.into(),
            InputError::TooLong => s.err_long.into(),
            InputError::NotAnOption => s.err_option.into(),
            InputError::NoCity => s.err_city.into(),
            InputError::Engine(m) => m.clone(),
        }
    }
}

/// A typed answer read for one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// What the engine gets (`Raw::Text`): plain decimals in the field's
    /// unit (money in 元), ISO dates, `true`/`false`, option values,
    /// `;`-separated lists or `none`.
    pub canonical: String,
    /// What the input shows afterwards (grouped digits, in the chosen money unit).
    pub display: String,
}

/// Read a number as people type it: `1,234.5`, `１２３４`, `¥3,000`,
/// `12%`; with a `万`/`万元` suffix it is in ten thousands (`亿`/`亿元`:
/// × 10,000 more), with `元` in yuan (`Some(true)` / `Some(false)` in the
/// second place).
///
/// ```
/// use policy_match::ui::format::read_number;
/// assert_eq!(read_number("1,234.50").map(|(d, _)| d.to_string()), Some("1234.5".into()));
/// assert_eq!(read_number("76万").map(|(d, w)| (d.to_string(), w)), Some(("76".into(), Some(true))));
/// assert_eq!(read_number("12a"), None);
/// ```
pub fn read_number(text: &str) -> Option<(Decimal, Option<bool>)> {
    number_answer(text, true).ok()
}

/// [`read_number`], saying why not: not a number (also one with a `%` sign
/// unless `percent`), or one out of range.
fn number_answer(text: &str, percent: bool) -> Result<(Decimal, Option<bool>), InputError> {
    // `2,5` or `1.000,5` is not 25 or 1.0005: separators only between groups of three.
    if !crate::matching::digit_groups_ok(text) {
        return Err(InputError::NotNumber);
    }
    let mut t: String = text
        .trim()
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '．' | '。' => Some('.'),
            '－' | '−' => Some('-'),
            '％' => Some('%'),
            '＋' => Some('+'),
            ',' | '，' | ' ' | '\u{a0}' | '\u{3000}' | '_' | '¥' | '￥' => None,
            c => Some(c),
        })
        .collect();
    // A currency sign or code marks a figure in 元 (`¥26,000,000`, `RMB 5000`, `5000 yuan`).
    t.make_ascii_lowercase();
    let mut wan = None;
    for code in ["rmb", "cny"] {
        if let Some(rest) = t.strip_prefix(code) {
            t = rest.to_string();
            wan = Some(false);
        }
    }
    if text.contains(['¥', '￥']) {
        wan = Some(false);
    }
    // 亿 = 10^4 万: read as 万 with four more zeros.
    let mut yi = false;
    for (suffix, is_wan) in
        [("亿元", true), ("亿", true), ("万元", true), ("万", true), ("元", false), ("yuan", false), ("rmb", false), ("cny", false), ("%", false)]
    {
        if let Some(rest) = t.strip_suffix(suffix) {
            if suffix != "%" {
                wan = Some(is_wan);
            } else if !percent {
                return Err(InputError::NotNumber);
            }
            yi = suffix.starts_with('亿');
            t = rest.trim_end().to_string();
            break;
        }
    }
    let body = t.strip_prefix(['-', '+']).unwrap_or(&t);
    let mut parts = body.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let digits_ok = int.bytes().all(|b| b.is_ascii_digit()) && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if !digits_ok || (int.is_empty() && frac.is_none()) {
        return Err(InputError::NotNumber);
    }
    // Digits, but more than the engine takes.
    // parse_decimal keeps |d| ≤ 10^18, so × 10^4 cannot overflow.
    parse_decimal(&t).map(|d| (if yi { d * Decimal::from(WAN) } else { d }, wan)).map_err(|_| InputError::OutOfRange)
}

/// Convert what was typed for `field` into its canonical and display forms.
/// `Ok(None)` means the answer was cleared.
///
/// # Errors
/// An [`InputError`] to show under the input.
pub fn read_answer(field: &FieldDef, text: &str, money_unit: MoneyUnit) -> Result<Option<Parsed>, InputError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match field.ty {
        FieldType::Number | FieldType::Integer => {
            // The field's own unit typed after the number: `30人`, `3年`, `36 months`.
            let t = match field.unit {
                Some(u) if u != Unit::Cny => t.strip_suffix(Lang::Zh.unit_suffix(u)).or_else(|| t.strip_suffix(Lang::En.unit_suffix(u))).unwrap_or(t),
                _ => t,
            };
            // `12%` is a share: not a sum of money, a headcount or a number of years.
            let (d, suffix) = number_answer(t, field.unit == Some(Unit::Percent))?;
            let money = field.unit == Some(Unit::Cny);
            let in_wan = money && suffix.unwrap_or(money_unit == MoneyUnit::Wan);
            let yuan = if in_wan { d.checked_mul(Decimal::from(WAN)).ok_or(InputError::OutOfRange)? } else { d };
            if yuan.abs() > Decimal::from(crate::rules::MAX_ABS) {
                return Err(InputError::OutOfRange);
            }
            let yuan = yuan.normalize();
            if field.ty == FieldType::Integer && !yuan.fract().is_zero() {
                return Err(InputError::NotWhole);
            }
            if let Some(min) = field.min.filter(|m| yuan < m.0) {
                return Err(InputError::BelowMin(min.0));
            }
            if let Some(max) = field.max.filter(|m| yuan > m.0) {
                return Err(InputError::AboveMax(max.0));
            }
            Ok(Some(Parsed { canonical: yuan.to_string(), display: money_text(yuan, money.then_some(money_unit)) }))
        }
        FieldType::Boolean => match t {
            "true" => Ok(Some(Parsed { canonical: "true".into(), display: "true".into() })),
            "false" => Ok(Some(Parsed { canonical: "false".into(), display: "false".into() })),
            _ => Err(InputError::NotAnOption),
        },
        FieldType::Enum => match field.options.iter().find(|o| o.value == t) {
            Some(o) => Ok(Some(Parsed { canonical: o.value.clone(), display: o.value.clone() })),
            None => Err(InputError::NotAnOption),
        },
        FieldType::String => {
            if t.chars().count() > MAX_STRING_CHARS {
                return Err(InputError::TooLong);
            }
            if field.reads_city() && crate::rules::city_of(t).is_none() {
                return Err(InputError::NoCity);
            }
            Ok(Some(Parsed { canonical: t.to_string(), display: t.to_string() }))
        }
        FieldType::Date => {
            let d = read_date(t).ok_or(InputError::BadDate)?;
            Ok(Some(Parsed { canonical: d.to_string(), display: d.to_string() }))
        }
        FieldType::DateList => {
            let items = split_list(t);
            if is_none_word(t) || items.is_empty() {
                return Ok(Some(Parsed { canonical: "none".into(), display: "none".into() }));
            }
            let mut dates = Vec::with_capacity(items.len());
            for it in &items {
                dates.push(read_date(it).ok_or(InputError::BadDate)?);
            }
            let text = dates.iter().map(Date::to_string).collect::<Vec<_>>().join(";");
            Ok(Some(Parsed { canonical: text.clone(), display: text }))
        }
        FieldType::StringList => {
            let items = split_list(t);
            if is_none_word(t) || items.is_empty() {
                return Ok(Some(Parsed { canonical: "none".into(), display: "none".into() }));
            }
            if items.iter().any(|x| x.chars().count() > MAX_STRING_CHARS) {
                return Err(InputError::TooLong);
            }
            let canonical = items.join(";");
            Ok(Some(Parsed { display: items.join("；"), canonical }))
        }
    }
}

/// A date typed as `2024-03-01`, `2024/3/1`, `2024.3.1` or `2024年3月1日`.
pub fn read_date(t: &str) -> Option<Date> {
    let t = t.trim().trim_end_matches('日');
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    match parts.as_slice() {
        [y, m, d] => Date::from_ymd(y.trim().parse().ok()?, m.trim().parse().ok()?, d.trim().parse().ok()?),
        _ => None,
    }
}

fn is_none_word(t: &str) -> bool {
    let t = t.trim();
    t == "无" || t == "没有" || t == "[]" || t.eq_ignore_ascii_case("none")
}

/// List items separated by `;`, `；`, `、`, `,`, `，` or new lines.
pub fn split_list(t: &str) -> Vec<String> {
    t.split([';', '；', '、', ',', '，', '\n', '|']).map(str::trim).filter(|x| !x.is_empty()).map(str::to_string).collect()
}

/// The text an input shows for an amount in yuan: in 万元 when `unit` is
/// `Some(Wan)` (exact: 12,345 元 shows as `1.2345`), grouped digits.
///
/// ```
/// use policy_match::ui::format::{money_text, MoneyUnit};
/// assert_eq!(money_text("760000".parse().unwrap(), Some(MoneyUnit::Wan)), "76");
/// assert_eq!(money_text("760000".parse().unwrap(), Some(MoneyUnit::Yuan)), "760,000");
/// assert_eq!(money_text("12345".parse().unwrap(), Some(MoneyUnit::Wan)), "1.2345");
/// ```
pub fn money_text(yuan: Decimal, unit: Option<MoneyUnit>) -> String {
    let d = match unit {
        Some(MoneyUnit::Wan) => yuan / Decimal::from(WAN),
        _ => yuan,
    };
    group_digits(&d.normalize().to_string())
}

/// The input text for a profile value (imports, share links, stored answers).
pub fn entry_text(field: &FieldDef, v: &Value, money_unit: MoneyUnit) -> String {
    match v {
        Value::Missing => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Num(d) => money_text(*d, (field.unit == Some(Unit::Cny)).then_some(money_unit)),
        Value::Date(d) => d.to_string(),
        Value::Str(s) => s.to_string(),
        Value::Dates(ds) if ds.is_empty() => "none".into(),
        Value::Dates(ds) => ds.iter().map(Date::to_string).collect::<Vec<_>>().join(";"),
        Value::Strs(xs) if xs.is_empty() => "none".into(),
        Value::Strs(xs) => xs.iter().map(|x| x.to_string()).collect::<Vec<_>>().join("；"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::FieldDef;

    fn field(json: &str) -> FieldDef {
        serde_json::from_str(json).unwrap()
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn separators_only_between_groups_of_three() {
        let num = |t: &str| read_number(t).map(|(d, _)| d.to_string());
        assert_eq!(num("1,234,567.5"), Some("1234567.5".into()));
        assert_eq!(num("１，２３４"), Some("1234".into()));
        assert_eq!(num("300 万"), Some("300".into()));
        for t in ["2,5", "1,00,000", "1.000,5", "12,34", "1,2345"] {
            assert_eq!(num(t), None, "{t} is not read as another number");
        }
    }

    #[test]
    fn a_number_beyond_range_says_so() {
        let f = field(r#"{"name": "rev", "type": "number", "unit": "cny", "label": {"zh": "收入", "en": "Revenue"}}"#);
        for t in ["12345678901234567890123456789012", "0.00000000000000000000000000001", "1000000000000000"] {
            // The last is 10^15 万元 = 10^19 元.
            assert_eq!(read_answer(&f, t, MoneyUnit::Wan), Err(InputError::OutOfRange), "{t}");
        }
        assert_eq!(read_answer(&f, "12a", MoneyUnit::Wan), Err(InputError::NotNumber));
        assert!(read_answer(&f, "100000000000000", MoneyUnit::Wan).is_ok(), "10^14 万元 = 10^18 元 is the largest");
    }

    #[test]
    fn money_in_wan_converts_exactly() {
        let f = field(r#"{"name": "rev", "type": "number", "unit": "cny", "min": 0, "label": {"zh": "收入", "en": "Revenue"}}"#);
        let p = read_answer(&f, "76", MoneyUnit::Wan).unwrap().unwrap();
        assert_eq!(p.canonical, "760000");
        assert_eq!(p.display, "76");
        let p = read_answer(&f, "0.0001", MoneyUnit::Wan).unwrap().unwrap();
        assert_eq!(p.canonical, "1");
        let p = read_answer(&f, "1,234.5678", MoneyUnit::Wan).unwrap().unwrap();
        assert_eq!(p.canonical, "12345678");
        assert_eq!(p.display, "1,234.5678");
        // 0.1 + 0.2 style float traps do not exist here.
        let p = read_answer(&f, "0.3", MoneyUnit::Wan).unwrap().unwrap();
        assert_eq!(p.canonical, "3000");
    }

    #[test]
    fn money_in_yuan_and_suffixes() {
        let f = field(r#"{"name": "rev", "type": "number", "unit": "cny", "label": {"zh": "收入", "en": "Revenue"}}"#);
        let p = read_answer(&f, "1234567", MoneyUnit::Yuan).unwrap().unwrap();
        assert_eq!((p.canonical.as_str(), p.display.as_str()), ("1234567", "1,234,567"));
        // A 万 suffix wins over the toggle; so does 元.
        let p = read_answer(&f, "76万", MoneyUnit::Yuan).unwrap().unwrap();
        assert_eq!((p.canonical.as_str(), p.display.as_str()), ("760000", "760,000"));
        let p = read_answer(&f, "5,580元", MoneyUnit::Wan).unwrap().unwrap();
        assert_eq!((p.canonical.as_str(), p.display.as_str()), ("5580", "0.558"));
        let p = read_answer(&f, "￥３,０００", MoneyUnit::Yuan).unwrap().unwrap();
        assert_eq!(p.canonical, "3000");
    }

    #[test]
    fn the_fields_own_unit_may_follow_the_number() {
        // What the input shows next to the box (人, 个月, 分, %) is what people type after the number.
        let canon = |json: &str, t: &str| read_answer(&field(json), t, MoneyUnit::Wan).map(|p| p.map(|p| p.canonical));
        let staff = r#"{"name": "n", "type": "number", "unit": "people", "label": {"zh": "人数", "en": "Staff"}}"#;
        assert_eq!(canon(staff, "30人"), Ok(Some("30".into())));
        assert_eq!(canon(staff, "３０ 人"), Ok(Some("30".into())));
        assert_eq!(canon(staff, "30 people"), Ok(Some("30".into())));
        let months = r#"{"name": "m", "type": "integer", "unit": "months", "label": {"zh": "月数", "en": "Months"}}"#;
        assert_eq!(canon(months, "36个月"), Ok(Some("36".into())));
        let score = r#"{"name": "s", "type": "number", "unit": "points", "label": {"zh": "得分", "en": "Score"}}"#;
        assert_eq!(canon(score, "71分"), Ok(Some("71".into())));
        // A full-width percent sign, as a Chinese input method types it.
        let pct = r#"{"name": "p", "type": "number", "unit": "percent", "label": {"zh": "占比", "en": "Share"}}"#;
        assert_eq!(canon(pct, "６０％"), Ok(Some("60".into())));
        // Another unit is still not a number: 30人 is not 30 years.
        let years = r#"{"name": "y", "type": "number", "unit": "years", "label": {"zh": "年限", "en": "Years"}}"#;
        assert_eq!(canon(years, "30人"), Err(InputError::NotNumber));
        // Nor is a share: 12% typed into a money box (a slip from the question before, a
        // growth rate) is not 12万元, nor 12 people, nor 12.
        let money = r#"{"name": "r", "type": "number", "unit": "cny", "label": {"zh": "收入", "en": "Revenue"}}"#;
        let plain = r#"{"name": "x", "type": "integer", "label": {"zh": "名次", "en": "Rank"}}"#;
        for (json, t) in [(money, "12%"), (money, "１２％"), (staff, "12%"), (plain, "12 %")] {
            assert_eq!(canon(json, t), Err(InputError::NotNumber), "{t}");
        }
        assert_eq!(canon(pct, "12%"), Ok(Some("12".into())));
    }

    /// A currency sign or code marks a figure in 元, whatever the toggle says:
    /// `¥26,000,000` in a 万元 box is 2,600万元, not 10,000 times that.
    #[test]
    fn a_currency_sign_or_code_means_yuan() {
        let rev = field(r#"{"name": "rev", "type": "number", "unit": "cny", "label": {"zh": "收入", "en": "Revenue"}}"#);
        let canon = |t: &str| read_answer(&rev, t, MoneyUnit::Wan).map(|p| p.map(|p| p.canonical));
        for t in ["¥26,000,000", "￥26000000", "RMB 26,000,000", "CNY26000000", "26,000,000 yuan", "26000000 Yuan", "26000000 RMB", "26000000元"] {
            assert_eq!(canon(t), Ok(Some("26000000".into())), "{t}");
        }
        assert_eq!(canon("¥2600万"), Ok(Some("26000000".into())));
        assert_eq!(canon("2600"), Ok(Some("26000000".into())), "the toggle's 万元 without a sign");
        assert_eq!(canon("26m"), Err(InputError::NotNumber));
    }

    #[test]
    fn yi_is_a_hundred_million_yuan() {
        // 亿 = 100,000,000 元 whatever the toggle says: 1.5亿 = 15,000万.
        let rev = field(r#"{"name": "rev", "type": "number", "unit": "cny", "label": {"zh": "收入", "en": "Revenue"}}"#);
        let canon = |t: &str, u: MoneyUnit| read_answer(&rev, t, u).map(|p| p.map(|p| p.canonical));
        assert_eq!(canon("1.5亿", MoneyUnit::Wan), Ok(Some("150000000".into())));
        assert_eq!(canon("2亿元", MoneyUnit::Yuan), Ok(Some("200000000".into())));
        assert_eq!(read_answer(&rev, "2亿元", MoneyUnit::Wan).unwrap().unwrap().display, "20,000");
        // 10^10 亿 = 10^18 元 is the largest; one more is out of range, not a panic.
        assert!(canon("10000000000亿", MoneyUnit::Wan).is_ok());
        assert_eq!(canon("10000000001亿", MoneyUnit::Wan), Err(InputError::OutOfRange));
        assert_eq!(canon("999999999999999999亿", MoneyUnit::Wan), Err(InputError::OutOfRange));
    }

    #[test]
    fn bounds_and_integers_with_localised_messages() {
        let f = field(r#"{"name": "n", "type": "integer", "unit": "people", "min": 0, "max": 500, "label": {"zh": "人数", "en": "Staff"}}"#);
        assert_eq!(read_answer(&f, "2.5", MoneyUnit::Wan), Err(InputError::NotWhole));
        assert_eq!(read_answer(&f, "-1", MoneyUnit::Wan), Err(InputError::BelowMin(dec("0"))));
        assert_eq!(InputError::BelowMin(dec("0")).message(Lang::Zh, f.unit), "不能小于 0人");
        let e = read_answer(&f, "501", MoneyUnit::Wan).unwrap_err();
        assert_eq!(e.message(Lang::En, f.unit), "Must be at most 500 people");
        assert_eq!(read_answer(&f, "abc", MoneyUnit::Wan).unwrap_err().message(Lang::Zh, None), "请输入数字，例如 1,234.5");
        assert_eq!(read_answer(&f, "  ", MoneyUnit::Wan), Ok(None));
        assert_eq!(read_answer(&f, "1.2.3", MoneyUnit::Wan), Err(InputError::NotNumber));
        assert_eq!(read_answer(&f, ".", MoneyUnit::Wan), Err(InputError::NotNumber));
        let pct = field(r#"{"name": "p", "type": "number", "unit": "percent", "min": 0, "max": 100, "label": {"zh": "占比", "en": "Share"}}"#);
        assert_eq!(read_answer(&pct, "4.5%", MoneyUnit::Wan).unwrap().unwrap().canonical, "4.5");
    }

    #[test]
    fn dates_and_lists() {
        let d = field(r#"{"name": "d", "type": "date", "label": {"zh": "日期", "en": "Date"}}"#);
        assert_eq!(read_answer(&d, "2024/3/1", MoneyUnit::Wan).unwrap().unwrap().canonical, "2024-03-01");
        assert_eq!(read_answer(&d, "2024年3月1日", MoneyUnit::Wan).unwrap().unwrap().canonical, "2024-03-01");
        assert_eq!(read_answer(&d, "2025-02-29", MoneyUnit::Wan), Err(InputError::BadDate));
        let l = field(r#"{"name": "l", "type": "date_list", "label": {"zh": "日期", "en": "Dates"}}"#);
        assert_eq!(read_answer(&l, "无", MoneyUnit::Wan).unwrap().unwrap().canonical, "none");
        assert_eq!(read_answer(&l, "2024-03-01；2025-1-2", MoneyUnit::Wan).unwrap().unwrap().canonical, "2024-03-01;2025-01-02");
        assert_eq!(read_answer(&l, "2024-03-01;x", MoneyUnit::Wan), Err(InputError::BadDate));
        let e = field(r#"{"name": "e", "type": "enum", "options": [{"value": "a", "label": {"zh": "甲", "en": "A"}}], "label": {"zh": "类", "en": "Kind"}}"#);
        assert_eq!(read_answer(&e, "b", MoneyUnit::Wan), Err(InputError::NotAnOption));
        assert_eq!(option_label(Some(&e), "a", Lang::Zh), "甲");
    }

    #[test]
    fn formatting_per_locale() {
        assert_eq!(money(dec("15000000"), Lang::Zh), "1,500万元");
        assert_eq!(money(dec("12345.67"), Lang::Zh), "12,345.67元");
        // From 10万元 on in 万元, exact: a figure in the hundreds of thousands or millions is
        // not read digit by digit in 元, and no decimal is dropped.
        assert_eq!(money(dec("1234567"), Lang::Zh), "123.4567万元");
        assert_eq!(money(dec("1197809.4"), Lang::Zh), "119.78094万元");
        assert_eq!(money(dec("100000.01"), Lang::Zh), "10.000001万元");
        assert_eq!(money(dec("-250000.5"), Lang::Zh), "-25.00005万元");
        assert_eq!(money(dec("12345"), Lang::Zh), "12,345元");
        assert_eq!(money(dec("-2000"), Lang::En), "−¥2,000");
        assert_eq!(quantity(dec("4.2"), Some(Unit::Percent), Lang::En), "4.2%");
        assert_eq!(quantity(dec("3"), Some(Unit::People), Lang::Zh), "3人");
        assert_eq!(quantity(dec("1"), Some(Unit::Years), Lang::En), "1 year");
        assert_eq!(date(dec_date("2026-12-31"), Lang::En), "31 Dec 2026");
        let f = field(r#"{"name": "b", "type": "boolean", "label": {"zh": "是否", "en": "Whether"}}"#);
        assert_eq!(value(&Value::Bool(true), Some(&f), None, Lang::Zh), "是");
        assert_eq!(value(&Value::Dates(Box::new([])), None, None, Lang::En), "None");
        assert_eq!(value(&Value::Missing, None, None, Lang::En), "not answered");
    }

    fn dec_date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn entry_text_round_trips() {
        let f = field(r#"{"name": "rev", "type": "number", "unit": "cny", "label": {"zh": "收入", "en": "Revenue"}}"#);
        let v = Value::Num(dec("760000"));
        let t = entry_text(&f, &v, MoneyUnit::Wan);
        assert_eq!(t, "76");
        assert_eq!(read_answer(&f, &t, MoneyUnit::Wan).unwrap().unwrap().canonical, "760000");
    }
}
