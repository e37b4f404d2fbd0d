//! Cell validation: table rows to profiles, every bad cell listed.
//!
//! Each mapped cell is first tidied for its field ([`prepare_cell`]): units
//! (a `万元` column, a `320万元` or `15人` cell), dates written the Chinese
//! way (`2023/5/1`, `2023年5月1日`, `20230501`, an Excel serial number),
//! full-width letters in enum cells. The engine's
//! [`Profile::set`](crate::matching::Profile::set) then converts it to the
//! field's type. A cell that does not convert (text in a number column, an
//! impossible date, an unknown enum value, a number outside the field's
//! bounds) becomes a [`CellIssue`] with its row, column and raw value, and
//! the field is treated as not provided; the row's other cells still count.

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::Serialize;

use super::import::Table;
use super::mapping::{Resolved, Target};
use crate::catalogue::{Catalogue, FieldType, Unit};
use crate::matching::{Profile, Raw};
use crate::rules::{parse_decimal, Date, Value};

/// Longest raw value kept in an issue, in characters.
pub const MAX_RAW_CHARS: usize = 200;

/// A problem with one cell (or with a row's shape).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CellIssue {
    /// `invalid-value` (the field is treated as not provided) or
    /// `row-shape` (too many cells, a cell too long).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The 1-based source row (CSV line, spreadsheet row).
    pub row: u32,
    /// The column's header (empty for a row-shape problem).
    pub column: String,
    /// The field the column is mapped to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The raw cell, as imported (at most [`MAX_RAW_CHARS`] characters).
    pub raw: String,
    /// What is wrong.
    pub message: String,
}

/// Reads table rows into profiles, reusing buffers between rows.
pub struct RowReader<'a> {
    cat: &'a Catalogue,
    table: &'a Table,
    targets: Vec<(usize, &'a Target)>,
    key: Option<usize>,
}

impl<'a> RowReader<'a> {
    /// A reader for a table under a resolved mapping.
    pub fn new(cat: &'a Catalogue, table: &'a Table, resolved: &'a Resolved) -> RowReader<'a> {
        let targets = resolved.columns.iter().enumerate().filter_map(|(c, t)| t.as_ref().map(|t| (c, t))).collect();
        RowReader { cat, table, targets, key: resolved.key }
    }

    /// Fill `profile` (reset first) from a 0-based data row; append the
    /// row's bad cells to `issues` and return how many there were.
    pub fn read(&self, row: usize, profile: &mut Profile, issues: &mut Vec<CellIssue>) -> usize {
        for v in profile.values.iter_mut() {
            *v = Value::Missing;
        }
        profile.issues.clear();
        profile.id = self.key.map(|k| self.table.cell(row, k).trim().to_string()).filter(|s| !s.is_empty());
        let line = self.table.line(row);
        let before = issues.len();
        for &(col, target) in &self.targets {
            let cell = self.table.cell(row, col);
            if cell.trim().is_empty() {
                continue;
            }
            match prepare_cell(target, cell) {
                Ok(text) => {
                    profile.set(self.cat, &target.field, Raw::Text(&text), Some(line as usize));
                    for issue in profile.issues.drain(..) {
                        issues.push(CellIssue {
                            kind: "invalid-value",
                            row: line,
                            column: self.table.headers[col].clone(),
                            field: Some(target.field.clone()),
                            raw: shorten(cell),
                            message: issue.message,
                        });
                    }
                }
                Err(message) => issues.push(CellIssue {
                    kind: "invalid-value",
                    row: line,
                    column: self.table.headers[col].clone(),
                    field: Some(target.field.clone()),
                    raw: shorten(cell),
                    message,
                }),
            }
        }
        issues.len() - before
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > MAX_RAW_CHARS {
        format!("{}…", s.chars().take(MAX_RAW_CHARS).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Tidy a non-empty cell for its target field before the engine converts
/// it: column and cell units, Chinese date forms, full-width enum values.
/// Cells it cannot make sense of are passed on unchanged, so the engine's
/// message names the original text.
///
/// # Errors
/// Only when a unit conversion overflows the engine's number range.
///
/// # Example
/// ```
/// use policy_match::batch::mapping::{CellUnit, Target};
/// use policy_match::batch::validate::prepare_cell;
/// use policy_match::catalogue::{FieldType, Unit};
/// let money = Target { field: "revenue_cny".into(), slot: 0, ty: FieldType::Number, field_unit: Some(Unit::Cny), unit: Some(CellUnit::WanYuan) };
/// assert_eq!(prepare_cell(&money, "1,234.5").unwrap(), "12345000");
/// assert_eq!(prepare_cell(&money, "3亿元").unwrap(), "300000000");
/// let date = Target { field: "founded".into(), slot: 1, ty: FieldType::Date, field_unit: None, unit: None };
/// assert_eq!(prepare_cell(&date, "2023年5月1日").unwrap(), "2023-05-01");
/// assert_eq!(prepare_cell(&date, "45047").unwrap(), "2023-05-01"); // an Excel serial date
/// ```
pub fn prepare_cell<'c>(target: &Target, cell: &'c str) -> Result<Cow<'c, str>, String> {
    match target.ty {
        FieldType::Number | FieldType::Integer => prepare_number(target, cell),
        FieldType::Date => Ok(normalize_date(cell).map_or(Cow::Borrowed(cell), Cow::Owned)),
        FieldType::DateList => {
            let t = cell.trim();
            if !t.contains(|c: char| c.is_ascii_digit()) {
                return Ok(Cow::Borrowed(cell));
            }
            let items: Vec<String> = t.split([';', '；', '|', '、', ',', '，', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(|s| normalize_date(s).unwrap_or_else(|| s.to_string())).collect();
            Ok(Cow::Owned(items.join(";")))
        }
        FieldType::Enum if cell.chars().any(|c| ('\u{ff01}'..='\u{ff5e}').contains(&c)) => {
            Ok(Cow::Owned(cell.chars().map(|c| if ('\u{ff01}'..='\u{ff5e}').contains(&c) { char::from_u32(c as u32 - 0xfee0).unwrap_or(c) } else { c }).collect()))
        }
        _ => Ok(Cow::Borrowed(cell)),
    }
}

fn prepare_number<'c>(target: &Target, cell: &'c str) -> Result<Cow<'c, str>, String> {
    let t = cell.trim();
    // A unit written in the cell: `320万元`, `15人`, `3.5年`.
    let (stem, cell_factor) = strip_unit(t, target.field_unit);
    let factor = match (cell_factor, target.unit) {
        (Some(f), _) => f,
        (None, Some(u)) if u == super::mapping::CellUnit::Fraction && stem.ends_with(['%', '％']) => Decimal::ONE,
        (None, Some(u)) => u.factor(),
        (None, None) => Decimal::ONE,
    };
    if factor == Decimal::ONE {
        return Ok(if stem.len() == cell.len() { Cow::Borrowed(cell) } else { Cow::Borrowed(stem) });
    }
    let Some(n) = number_text(stem).and_then(|s| parse_decimal(&s).ok()) else {
        return Ok(Cow::Borrowed(cell));
    };
    match n.checked_mul(factor) {
        Some(v) => Ok(Cow::Owned(v.normalize().to_string())),
        None => Err(format!("`{}` × {factor} is out of range", stem.chars().take(40).collect::<String>())),
    }
}

/// Remove a unit suffix that fits the field: money (`元`, `万元`, `亿元`…,
/// with its factor), `人`, `个`, `年`… (factor one). Returns the rest and
/// the factor when a money multiple was found.
fn strip_unit(t: &str, unit: Option<Unit>) -> (&str, Option<Decimal>) {
    let suffixes: &[(&str, i64)] = match unit {
        Some(Unit::Cny) => &[("百万元", 1_000_000), ("千元", 1_000), ("万元", 10_000), ("亿元", 100_000_000), ("万", 10_000), ("亿", 100_000_000), ("元", 1)],
        Some(Unit::People) => &[("人", 1), ("名", 1)],
        Some(Unit::Count) => &[("个", 1), ("项", 1), ("件", 1), ("家", 1), ("次", 1)],
        Some(Unit::Years) => &[("年", 1)],
        Some(Unit::Months) => &[("个月", 1), ("月", 1)],
        Some(Unit::Days) => &[("天", 1), ("日", 1)],
        Some(Unit::Points) => &[("分", 1)],
        Some(Unit::Percent) | None => &[],
    };
    for &(s, f) in suffixes {
        if let Some(stem) = t.strip_suffix(s) {
            let stem = stem.trim_end();
            if stem.ends_with(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c)) {
                return (stem, (f != 1).then(|| Decimal::from(f)));
            }
        }
    }
    (t, None)
}

/// A number as typed by a person, in the engine's plain form: full-width
/// digits folded, thousands separators, spaces and currency signs removed.
fn number_text(s: &str) -> Option<String> {
    let t: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '－' => '-',
            c => c,
        })
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '\u{a0}' | '¥' | '￥' | '_'))
        .collect();
    (!t.is_empty()).then_some(t)
}

/// A date in one of the forms spreadsheets use, as `YYYY-MM-DD`: ISO with
/// a time, `2023/5/1`, `2023.5.1`, `2023年5月1日`, `20230501`, or an Excel
/// serial number (10000–99999: 1927–2173). `None` when it is none of them
/// or not a real day.
pub fn normalize_date(s: &str) -> Option<String> {
    let t = s.trim();
    // Drop a time part: `2023-05-01 00:00:00`, `2023-05-01T08:00`.
    let date_part = match t.find([' ', 'T']) {
        Some(p) if t[p + 1..].trim().contains(':') || t[p + 1..].trim().is_empty() => &t[..p],
        _ => t,
    };
    let groups: Vec<&str> = date_part.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).collect();
    let only_digits_and_seps = date_part.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.' | '年' | '月' | '日' | '号'));
    if !only_digits_and_seps {
        return None;
    }
    let (y, m, d) = match groups.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
        [n] if n.len() == 8 && n.starts_with(['1', '2']) => (n[..4].parse().ok()?, n[4..6].parse().ok()?, n[6..].parse().ok()?),
        [n] if n.len() == 5 && date_part.len() == 5 => {
            // Excel's 1900 date system: serial 25569 is 1970-01-01.
            let serial: i64 = n.parse().ok()?;
            return Some(Date::EPOCH.add_days(serial - 25_569).to_string());
        }
        [n, frac] if n.len() == 5 && frac.bytes().all(|b| b == b'0') && date_part == format!("{n}.{frac}") => {
            let serial: i64 = n.parse().ok()?;
            return Some(Date::EPOCH.add_days(serial - 25_569).to_string());
        }
        _ => return None,
    };
    Date::from_ymd(y, m, d).map(|d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        for (s, want) in [
            ("2023-05-01", Some("2023-05-01")),
            ("2023/5/1", Some("2023-05-01")),
            ("2023.05.01", Some("2023-05-01")),
            ("2023年5月1日", Some("2023-05-01")),
            ("2023-05-01 00:00:00", Some("2023-05-01")),
            ("20230501", Some("2023-05-01")),
            ("45047", Some("2023-05-01")),
            ("45047.0", Some("2023-05-01")),
            ("2023-02-30", None),
            ("5/1/2023", None),
            ("下月", None),
        ] {
            assert_eq!(normalize_date(s).as_deref(), want, "{s}");
        }
    }
}
