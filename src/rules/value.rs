//! Values, dates and the three-valued truth type shared by every stage.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// A three-valued (Kleene) truth value.
///
/// `Unknown` means "a field this needs was not provided"; it is never a
/// synonym for `False`. `0` and `false` in a profile are real values.
///
/// # Example
/// ```
/// use policy_match::rules::Tri;
/// assert_eq!(Tri::False.and(Tri::Unknown), Tri::False);
/// assert_eq!(Tri::True.or(Tri::Unknown), Tri::True);
/// assert_eq!(Tri::True.and(Tri::Unknown), Tri::Unknown);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tri {
    /// Definitely not met.
    False = 0,
    /// Definitely met.
    True = 1,
    /// Undecided: some needed field is missing.
    Unknown = 2,
}

impl Tri {
    /// Kleene conjunction: false wins over unknown.
    #[inline]
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            _ => Tri::Unknown,
        }
    }

    /// Kleene disjunction: true wins over unknown.
    #[inline]
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::False, Tri::False) => Tri::False,
            _ => Tri::Unknown,
        }
    }

    /// Kleene negation: unknown stays unknown.
    ///
    /// # Example
    /// ```
    /// use policy_match::rules::Tri;
    /// assert_eq!(Tri::True.not(), Tri::False);
    /// assert_eq!(Tri::Unknown.not(), Tri::Unknown); // not provided stays not provided
    /// ```
    #[inline]
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }

    /// `Tri::True` for `true`, `Tri::False` for `false`.
    #[inline]
    pub fn from_bool(b: bool) -> Tri {
        if b {
            Tri::True
        } else {
            Tri::False
        }
    }

    /// The symbol used in explanations: ✓, ✗ or ?.
    ///
    /// # Example
    /// ```
    /// use policy_match::rules::Tri;
    /// assert_eq!(Tri::from_bool(3 > 2).symbol(), "✓");
    /// assert_eq!([Tri::False, Tri::Unknown].map(Tri::symbol), ["✗", "?"]);
    /// ```
    pub fn symbol(self) -> &'static str {
        match self {
            Tri::True => "✓",
            Tri::False => "✗",
            Tri::Unknown => "?",
        }
    }
}

/// A calendar date (proleptic Gregorian), stored as days since 1970-01-01.
///
/// Only the operations the criteria language needs are provided: parsing
/// ISO `YYYY-MM-DD`, day arithmetic and anniversary-based year arithmetic.
///
/// # Example
/// ```
/// use policy_match::rules::Date;
/// let d: Date = "2024-02-29".parse().unwrap();
/// assert_eq!(d.add_years(1).to_string(), "2025-02-28");
/// assert_eq!(Date::years_between(d, "2026-02-28".parse().unwrap()), 2);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

/// The error for a string that is not a valid ISO date.
///
/// # Example
/// ```
/// use policy_match::rules::Date;
/// let e = "2026/1/1".parse::<Date>().unwrap_err();
/// assert_eq!(e.to_string(), "`2026/1/1` is not a valid date (expected YYYY-MM-DD, a real calendar day between 1900 and 2199); write `2026-01-01`");
/// assert!("2026-02-30".parse::<Date>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a valid date (expected YYYY-MM-DD, a real calendar day between 1900 and 2199){hint}", hint = iso_hint(.0))]
pub struct DateError(pub String);

/// `; write 2026-01-01` for a date written the way people write dates by
/// hand ([`loose_date`]); empty otherwise.
fn iso_hint(text: &str) -> String {
    match loose_date(text) {
        Some(date) if date.to_string() != text => format!("; write `{date}`"),
        _ => String::new(),
    }
}

/// A date written the way people write dates by hand: `2026/1/1`,
/// `2026-1-1`, `2026.1.1`, `2026年1月1日` (year first, as in China), or ISO.
pub(crate) fn loose_date(text: &str) -> Option<Date> {
    let t = text.trim().trim_end_matches(['日', '号']);
    let parts: Vec<&str> = t.split(['/', '-', '.', '年', '月']).collect();
    let [y, m, d] = parts[..] else { return None };
    let digits = |s: &str, n: usize| !s.is_empty() && s.len() <= n && s.bytes().all(|b| b.is_ascii_digit());
    if !(y.len() == 4 && digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return None;
    }
    Date::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

impl Date {
    /// 1970-01-01.
    pub const EPOCH: Date = Date(0);

    /// The date for a year, month (1–12) and day (1–31), if it exists and
    /// lies between 1900-01-01 and 2199-12-31.
    ///
    /// # Errors
    /// Returns `None` for impossible or out-of-range dates.
    ///
    /// # Example
    /// ```
    /// use policy_match::rules::Date;
    /// assert!(Date::from_ymd(2025, 2, 29).is_none());
    /// assert!(Date::from_ymd(2024, 2, 29).is_some());
    /// ```
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        if !(1900..=2199).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        Some(Date(days_from_civil(y, m, d)))
    }

    /// Year, month, day.
    ///
    /// # Example
    /// ```
    /// use policy_match::rules::Date;
    /// let d: Date = "2026-07-01".parse().unwrap();
    /// assert_eq!(d.ymd(), (2026, 7, 1));
    /// assert_eq!((Date::EPOCH.ymd(), Date::EPOCH.add_days(1).days()), ((1970, 1, 1), 1));
    /// ```
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i32 {
        self.0
    }

    /// The calendar date at an instant (`unix_seconds` after
    /// 1970-01-01T00:00:00Z) in a time zone `utc_offset_seconds` east of
    /// UTC, saturating at the supported range: "today" for a service in
    /// China is the date in China Standard Time (UTC+8), which from 00:00
    /// to 08:00 is a day after the date in UTC.
    ///
    /// # Example
    /// ```
    /// use policy_match::rules::Date;
    /// const CST: i32 = 8 * 3600;
    /// let instant = 1_782_849_600; // 2026-06-30T20:00:00Z, 04:00 on 1 July in Beijing
    /// assert_eq!(Date::from_unix_seconds(instant, CST).to_string(), "2026-07-01");
    /// assert_eq!(Date::from_unix_seconds(instant, 0).to_string(), "2026-06-30");
    /// // Today, as of now:
    /// let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
    /// let today = Date::from_unix_seconds(i64::try_from(now)?, CST);
    /// # assert!(today.to_string().as_str() >= "2026-01-01");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_unix_seconds(unix_seconds: i64, utc_offset_seconds: i32) -> Date {
        Date::EPOCH.add_days(unix_seconds.saturating_add(i64::from(utc_offset_seconds)).div_euclid(86_400))
    }

    /// This date plus `n` days (may be negative), saturating at the
    /// supported range (1900-01-01 ..= 2199-12-31).
    ///
    /// # Example
    /// ```
    /// use policy_match::rules::Date;
    /// let d: Date = "2026-02-27".parse().unwrap();
    /// assert_eq!(d.add_days(2).to_string(), "2026-03-01");
    /// assert_eq!(d.add_days(-1_000_000).to_string(), "1900-01-01"); // saturates
    /// ```
    pub fn add_days(self, n: i64) -> Date {
        let lo = i64::from(days_from_civil(1900, 1, 1));
        let hi = i64::from(days_from_civil(2199, 12, 31));
        Date(i64::from(self.0).saturating_add(n).clamp(lo, hi) as i32)
    }

    /// This date plus `n` years; 29 February becomes 28 February in a
    /// non-leap target year. Saturates at the supported range.
    ///
    /// # Example
    /// ```
    /// use policy_match::rules::Date;
    /// let d: Date = "2024-02-29".parse().unwrap();
    /// assert_eq!(d.add_years(4).to_string(), "2028-02-29");
    /// assert_eq!(d.add_years(-1).to_string(), "2023-02-28");
    /// ```
    pub fn add_years(self, n: i32) -> Date {
        let (y, m, d) = self.ymd();
        let ty = (y + n).clamp(1900, 2199);
        let d = d.min(days_in_month(ty, m));
        Date(days_from_civil(ty, m, d))
    }

    /// This date plus `n` months, clamping the day to the target month.
    ///
    /// # Example
    /// ```
    /// use policy_match::rules::Date;
    /// let d: Date = "2026-01-31".parse().unwrap();
    /// assert_eq!(d.add_months(1).to_string(), "2026-02-28");
    /// assert_eq!(d.add_months(-13).to_string(), "2024-12-31");
    /// ```
    pub fn add_months(self, n: i32) -> Date {
        let (y, m, d) = self.ymd();
        let total = y * 12 + (m as i32 - 1) + n;
        let ty = total.div_euclid(12).clamp(1900, 2199);
        let tm = total.rem_euclid(12) as u32 + 1;
        Date(days_from_civil(ty, tm, d.min(days_in_month(ty, tm))))
    }

    /// Whole days from `a` to `b` (`b − a`).
    ///
    /// # Example
    /// ```
    /// use policy_match::rules::Date;
    /// let (a, b): (Date, Date) = ("2026-01-01".parse().unwrap(), "2026-07-01".parse().unwrap());
    /// assert_eq!(Date::days_between(a, b), 181);
    /// assert_eq!(Date::days_between(b, a), -181);
    /// ```
    pub fn days_between(a: Date, b: Date) -> i64 {
        i64::from(b.0) - i64::from(a.0)
    }

    /// Whole years completed from `a` to `b` (anniversary based; negative
    /// when `b` is before `a`).
    ///
    /// # Example
    /// ```
    /// use policy_match::rules::Date;
    /// let founded: Date = "2023-07-02".parse().unwrap();
    /// assert_eq!(Date::years_between(founded, "2026-07-01".parse().unwrap()), 2); // a day short of 3
    /// assert_eq!(Date::years_between(founded, "2026-07-02".parse().unwrap()), 3);
    /// ```
    pub fn years_between(a: Date, b: Date) -> i64 {
        if b < a {
            return -Date::years_between(b, a);
        }
        let (ay, _, _) = a.ymd();
        let (by, _, _) = b.ymd();
        let mut years = i64::from(by - ay);
        if a.add_years(by - ay) > b {
            years -= 1;
        }
        years
    }
}

impl std::str::FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Date, DateError> {
        let err = || DateError(s.chars().take(40).collect());
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(r)?;
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let (y, m, d) = (num(0..4).ok_or_else(err)?, num(5..7).ok_or_else(err)?, num(8..10).ok_or_else(err)?);
        Date::from_ymd(y as i32, m, d).ok_or_else(err)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's civil-from-days algorithms.
fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A value in an enterprise profile, after parsing against the field's type.
///
/// # Example
/// ```
/// use policy_match::rules::{Date, Value};
/// assert_eq!(Value::Num("1.50".parse().unwrap()).to_string(), "1.5");
/// assert_eq!(Value::Dates(Box::new([Date::EPOCH])).to_string(), "[1970-01-01]");
/// assert_eq!(Value::Missing.to_string(), "—");
/// assert_eq!(serde_json::to_string(&Value::Num("1e3".parse().unwrap())).unwrap(), "1000");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Not provided (missing or `null`).
    Missing,
    /// A yes/no answer.
    Bool(bool),
    /// An exact decimal number.
    Num(Decimal),
    /// A calendar date.
    Date(Date),
    /// A string (free text or an enum option's value).
    Str(Box<str>),
    /// A list of dates (possibly empty: "none").
    Dates(Box<[Date]>),
    /// A list of strings (possibly empty).
    Strs(Box<[Box<str>]>),
}

impl Value {
    /// Whether this value was provided.
    ///
    /// # Example
    /// ```
    /// use policy_match::rules::Value;
    /// assert!(!Value::Missing.is_provided());
    /// assert!(Value::Bool(false).is_provided()); // `false` and 0 are answers
    /// ```
    pub fn is_provided(&self) -> bool {
        !matches!(self, Value::Missing)
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Missing => f.write_str("—"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Num(n) => write!(f, "{}", n.normalize()),
            Value::Date(d) => write!(f, "{d}"),
            Value::Str(s) => f.write_str(s),
            Value::Dates(ds) => {
                f.write_str("[")?;
                for (i, d) in ds.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{d}")?;
                }
                f.write_str("]")
            }
            Value::Strs(ss) => write!(f, "[{}]", ss.join(", ")),
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Missing => s.serialize_none(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Num(n) => serialize_decimal(n, s),
            Value::Date(d) => s.collect_str(d),
            Value::Str(v) => s.serialize_str(v),
            Value::Dates(ds) => s.collect_seq(ds.iter()),
            Value::Strs(ss) => s.collect_seq(ss.iter()),
        }
    }
}

/// The largest magnitude accepted for any number in a catalogue or profile
/// (10^18: a quintillion yuan is not an enterprise figure, it is a typo).
pub const MAX_ABS: i64 = 1_000_000_000_000_000_000;

/// The most decimal places accepted for a number.
pub const MAX_SCALE: u32 = 10;

/// Parse an exact decimal from JSON or CSV text (`"1234.5"`, `"1e6"`, `"-3"`).
///
/// # Errors
/// A message when the text is not a number, has more than [`MAX_SCALE`]
/// decimal places, or exceeds [`MAX_ABS`] in magnitude.
///
/// # Example
/// ```
/// use policy_match::rules::parse_decimal;
/// assert_eq!(parse_decimal("0.1").unwrap().to_string(), "0.1");
/// assert_eq!(parse_decimal("3e6").unwrap().to_string(), "3000000");
/// assert!(parse_decimal("1e400").is_err());
/// assert_eq!(parse_decimal("3,000,000").unwrap_err(), "`3,000,000` is not a number in range (at most ±10^18, 10 decimal places)");
/// ```
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    if t.is_empty() || t.len() > 64 {
        return Err(format!("`{}` is not a number", truncate(t)));
    }
    let parsed = if t.contains(['e', 'E']) {
        // Bound the exponent before handing it to the decimal parser.
        let exp = t.split(['e', 'E']).nth(1).and_then(|e| e.parse::<i64>().ok());
        match exp {
            Some(e) if (-28..=28).contains(&e) => Decimal::from_scientific(t).map_err(|e| e.to_string()),
            _ => Err("exponent out of range".to_string()),
        }
    } else {
        Decimal::from_str_exact(t).map_err(|e| e.to_string())
    };
    let d = parsed.map_err(|_| format!("`{}` is not a number in range (at most ±10^18, {MAX_SCALE} decimal places)", truncate(t)))?;
    let d = d.normalize();
    if d.abs() > Decimal::from(MAX_ABS) {
        return Err(format!("{} is out of range (at most ±10^18)", truncate(t)));
    }
    if d.scale() > MAX_SCALE {
        return Err(format!("{} has more than {MAX_SCALE} decimal places", truncate(t)));
    }
    Ok(d)
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Serialise a decimal as a JSON number with its exact digits (for JSON
/// output), or as the nearest `f64` for binary serialisers such as
/// `serde-wasm-bindgen` (JavaScript numbers are doubles anyway).
///
/// # Errors
/// Only those of the serialiser.
///
/// # Example
/// ```
/// #[derive(serde::Serialize)]
/// struct Amount(#[serde(serialize_with = "policy_match::rules::serialize_decimal")] rust_decimal::Decimal);
/// let a = Amount("0.10".parse().unwrap());
/// assert_eq!(serde_json::to_string(&a).unwrap(), "0.1"); // a number with its exact digits, not 0.1000000000000000055
/// ```
pub fn serialize_decimal<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    let d = d.normalize();
    if s.is_human_readable() {
        match d.to_string().parse::<serde_json::Number>() {
            Ok(n) => n.serialize(s),
            Err(_) => s.collect_str(&d),
        }
    } else {
        use rust_decimal::prelude::ToPrimitive;
        s.serialize_f64(d.to_f64().unwrap_or(f64::NAN))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_day_of_supported_range() {
        let start = Date::from_ymd(1900, 1, 1).unwrap().days();
        let end = Date::from_ymd(2199, 12, 31).unwrap().days();
        for z in start..=end {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn rejects_impossible_dates() {
        for s in ["2025-02-29", "2025-13-01", "2025-00-10", "2025-1-1", "20250101", "2025-04-31", "abcd-ef-gh", "1899-12-31"] {
            assert!(s.parse::<Date>().is_err(), "{s}");
        }
    }

    #[test]
    fn years_between_is_anniversary_based() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(Date::years_between(d("2021-07-01"), d("2026-07-01")), 5);
        assert_eq!(Date::years_between(d("2021-07-02"), d("2026-07-01")), 4);
        assert_eq!(Date::years_between(d("2026-07-01"), d("2021-07-02")), -4);
        assert_eq!(d("2025-01-31").add_months(1), d("2025-02-28"));
    }
}
