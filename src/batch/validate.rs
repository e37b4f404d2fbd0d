//! Cell validation: table rows to profiles, every bad cell listed.
//!
//! Each mapped cell is first tidied for its field ([`prepare_cell`]): units
//! (a `万元` column, a `320万元` or `15人` cell), an accountant's negative
//! (`(1,234.5)` is -1,234.5), dates written the Chinese
//! way (`2023/5/1`, `2023年5月1日`, `20230501`, an Excel serial number),
//! full-width letters in enum cells. The engine's
//! [`Profile::set`](crate::matching::Profile::set) then converts it to the
//! field's type. A cell that does not convert (text in a number column, an
//! impossible date, an unknown enum value, a number outside the field's
//! bounds) becomes a [`CellIssue`] with its row, column and raw value, and
//! the field is treated as not provided; the row's other cells still count.

use std::borrow::Cow;

use serde::Serialize;

use super::import::{RowProblem, Table};
use super::mapping::{CellUnit, Resolved, Target};
use crate::catalogue::{Catalogue, FieldType, Unit};
use crate::matching::{Profile, Raw};
use crate::rules::{Date, Value};

/// Longest raw value kept in an issue, in characters.
pub const MAX_RAW_CHARS: usize = 200;

/// A problem with one cell (or with a row's shape).
///
/// # Example
/// ```
/// # use policy_match::batch::{self, BatchOptions};
/// # use policy_match::catalogue::Catalogue;
/// # let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
/// #   "fields": [{"name": "employees", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Employees"}},
/// #              {"name": "revenue_cny", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
/// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "tax",
/// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "employees"}, 1000]}},
/// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300 staff"}, "rule": {"<=": [{"var": "employees"}, 300]}},
/// #                  {"id": "C2", "description": {"zh": "收入不超过500万元", "en": "Revenue ≤ ¥5m"}, "rule": {"<=": [{"var": "revenue_cny"}, 5000000]}}]}]}"#)?;
/// # let csv = "企业名称,职工人数,营业收入（万元）\n甲公司,12,320\n乙公司,40,\n丙公司,500,100\n";
/// # let table = batch::import(csv.as_bytes(), &Default::default())?;
/// # let resolved = batch::auto_map(&cat, &table.headers).resolve(&cat, &table)?;
/// let table = batch::import("企业名称,职工人数\n甲公司,约 30 人\n".as_bytes(), &Default::default())?;
/// let resolved = batch::auto_map(&cat, &table.headers).resolve(&cat, &table)?;
/// let result = batch::run(&cat, &table, &resolved, &BatchOptions::new("2026-07-01".parse()?));
/// let i = &result.issues[0];
/// assert_eq!((i.kind, i.row, i.column.as_str(), i.field.as_deref(), i.raw.as_str()), ("invalid-value", 2, "职工人数", Some("employees"), "约 30 人"));
/// let json = serde_json::to_value(i)?;
/// assert_eq!(json["type"], "invalid-value");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CellIssue {
    /// `invalid-value` (the field is treated as not provided),
    /// `row-shape` (too many cells, a cell too long), `formula-without-value`
    /// (an XLSX formula saved without its calculated value: the field is
    /// treated as not provided), `encoding` (bytes of a GBK file that are
    /// not GBK, read as U+FFFD), `missing-name` (the
    /// name column is empty), `duplicate-code` (an earlier row has the same
    /// 统一社会信用代码; both are matched) or `duplicate-name` (an earlier row has the
    /// same name; both are matched).
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
    /// What is wrong, in Chinese.
    pub message_zh: String,
}

impl CellIssue {
    /// A problem the import reported: with a whole row (too many cells, a
    /// cell too long) or with one cell (a formula without its value). Users
    /// get it from [`Resolved::import_issue`](crate::batch::Resolved::import_issue),
    /// which also names the cell's field.
    pub(crate) fn row_shape(p: &RowProblem) -> CellIssue {
        CellIssue {
            kind: p.kind,
            row: p.row,
            column: p.column.clone(),
            field: None,
            raw: p.raw.clone(),
            message: p.message.clone(),
            message_zh: p.message_zh.clone(),
        }
    }
}

/// Reads table rows into profiles, reusing buffers between rows.
///
/// # Example
/// ```
/// # use policy_match::batch::{self, BatchOptions};
/// # use policy_match::catalogue::Catalogue;
/// # let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
/// #   "fields": [{"name": "employees", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Employees"}},
/// #              {"name": "revenue_cny", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
/// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "tax",
/// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "employees"}, 1000]}},
/// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300 staff"}, "rule": {"<=": [{"var": "employees"}, 300]}},
/// #                  {"id": "C2", "description": {"zh": "收入不超过500万元", "en": "Revenue ≤ ¥5m"}, "rule": {"<=": [{"var": "revenue_cny"}, 5000000]}}]}]}"#)?;
/// # let csv = "企业名称,职工人数,营业收入（万元）\n甲公司,12,320\n乙公司,40,\n丙公司,500,100\n";
/// # let table = batch::import(csv.as_bytes(), &Default::default())?;
/// # let resolved = batch::auto_map(&cat, &table.headers).resolve(&cat, &table)?;
/// # use policy_match::{batch::validate::RowReader, matching::Profile, rules::Value};
/// let reader = RowReader::new(&cat, &table, &resolved);
/// let mut profile = Profile::empty(&cat);
/// let mut issues = Vec::new();
/// assert_eq!(reader.read(0, &mut profile, &mut issues), 0); // 甲公司: no bad cell
/// assert_eq!(profile.id.as_deref(), Some("甲公司"));
/// assert_eq!(profile.get(&cat, "revenue_cny"), Some(&Value::Num(3_200_000.into()))); // 320 万元
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct RowReader<'a> {
    cat: &'a Catalogue,
    table: &'a Table,
    /// (column, target, the enum's spellings → option value)
    targets: Vec<(usize, &'a Target, Option<EnumSpellings>)>,
    key: Option<usize>,
    /// Values for every enterprise whose cell is blank ([`Resolved::defaults`]).
    defaults: &'a [(u32, Value)],
}

/// An enum's options by normalised spelling: value, labels, labels without
/// their bracketed part (`A+级（诚信示范）` → `A+级`).
type EnumSpellings = Vec<(String, String)>;

impl<'a> RowReader<'a> {
    /// A reader for a table under a resolved mapping.
    pub fn new(cat: &'a Catalogue, table: &'a Table, resolved: &'a Resolved) -> RowReader<'a> {
        let targets = resolved
            .columns
            .iter()
            .enumerate()
            .filter_map(|(c, t)| t.as_ref().map(|t| (c, t)))
            .map(|(c, t)| {
                let with_options =
                    t.ty == FieldType::Enum || t.ty == FieldType::StringList && cat.fields.get(t.slot as usize).is_some_and(|f| !f.def.options.is_empty());
                let spellings = with_options.then(|| enum_spellings(cat, t.slot));
                (c, t, spellings)
            })
            .collect();
        RowReader { cat, table, targets, key: resolved.key, defaults: &resolved.defaults }
    }

    /// Fill `profile` (reset first) from a 0-based data row; append the
    /// row's bad cells to `issues` and return how many there were.
    pub fn read(&self, row: usize, profile: &mut Profile, issues: &mut Vec<CellIssue>) -> usize {
        for v in profile.values.iter_mut() {
            *v = Value::Missing;
        }
        profile.issues.clear();
        profile.id =
            self.key.map(|k| self.table.cell(row, k).trim_matches(|c: char| c.is_whitespace() || is_zero_width(c)).to_string()).filter(|s| !s.is_empty());
        let line = self.table.line(row);
        let before = issues.len();
        for (col, target, spellings) in &self.targets {
            let raw = self.table.cell(row, *col);
            // Zero-width characters at the edges (text pasted from a web
            // page or a chat) are as invisible as spaces: `小型\u{200b}` is 小型.
            let cell = raw.trim_matches(|c: char| c.is_whitespace() || is_zero_width(c));
            let t = cell;
            if t.is_empty() {
                continue;
            }
            let invalid = |message: String, message_zh: String| CellIssue {
                kind: "invalid-value",
                row: line,
                column: self.table.headers[*col].clone(),
                field: Some(target.field.clone()),
                raw: shorten(raw),
                message,
                message_zh,
            };
            let text = match spellings {
                Some(sp) if target.ty == FieldType::StringList => {
                    let options = self.cat.fields.get(target.slot as usize).map_or(&[][..], |f| f.def.options.as_slice());
                    match list_options(sp, options, t) {
                        Ok(values) => profile.values[target.slot as usize] = Value::Strs(values.into_iter().map(Into::into).collect()),
                        Err((message, message_zh)) => issues.push(invalid(message, message_zh)),
                    }
                    continue;
                }
                Some(sp) => match find_option(sp, t) {
                    Some(value) => {
                        // An option's own value: what the engine's conversion gives.
                        profile.values[target.slot as usize] = Value::Str(value.into());
                        continue;
                    }
                    None => Cow::Borrowed(cell),
                },
                None => {
                    if let Some((message, message_zh)) = placeholder_date_problem(target, t) {
                        issues.push(invalid(message, message_zh));
                        continue;
                    }
                    if let Some(v) = self.fast_value(target, t, cell.len()) {
                        profile.values[target.slot as usize] = v;
                        continue;
                    }
                    if let Some((message, message_zh)) = number_cell_problem(target, t) {
                        issues.push(invalid(message, message_zh));
                        continue;
                    }
                    prepare_cell(target, cell)
                }
            };
            profile.set(self.cat, &target.field, Raw::Text(&text), Some(line as usize));
            for issue in profile.issues.drain(..) {
                issues.push(invalid(issue.message, issue.message_zh));
            }
        }
        // The values for every enterprise, where its cell was blank (not
        // where it was bad: that is reported and stays not provided).
        for (slot, v) in self.defaults {
            let bad = issues[before..].iter().any(|i| self.cat.fields.get(*slot as usize).is_some_and(|f| i.field.as_deref() == Some(f.name())));
            if let Some(x) = profile.values.get_mut(*slot as usize).filter(|x| !x.is_provided() && !bad) {
                *x = v.clone();
            }
        }
        issues.len() - before
    }
}

impl RowReader<'_> {
    /// The value of a trimmed, non-empty cell in the common, plain cases,
    /// exactly as [`prepare_cell`] and the engine's conversion
    /// ([`Profile::set`]) would give it, without their text copies and the
    /// field lookup by name: a plain decimal (shifted exactly by the
    /// column's unit) within the field's bounds, `是`/`否`, an ISO date, a
    /// short text. `None` for everything else, which takes the general path
    /// (and gets its message when the cell is bad).
    fn fast_value(&self, target: &Target, t: &str, raw_len: usize) -> Option<Value> {
        match target.ty {
            FieldType::Number | FieldType::Integer => {
                let b = t.as_bytes();
                let digits = b.strip_prefix(b"-").unwrap_or(b);
                if digits.is_empty() || !digits.iter().all(|c| c.is_ascii_digit() || *c == b'.') {
                    return None;
                }
                // With only digits, `.` and a sign, the engine reads the
                // text with `parse_decimal`; a column unit moves the point.
                let mut d = crate::rules::parse_decimal(t).ok()?;
                if let Some(e) = target.unit.map(CellUnit::exponent).filter(|e| *e > 0) {
                    d = shift_exact(d, e)?;
                }
                let def = &self.cat.fields.get(target.slot as usize)?.def;
                let ok = (target.ty == FieldType::Number || d.fract().is_zero())
                    && def.min.as_ref().is_none_or(|m| d >= m.0)
                    && def.max.as_ref().is_none_or(|m| d <= m.0);
                ok.then_some(Value::Num(d))
            }
            FieldType::Boolean => match t {
                "是" => Some(Value::Bool(true)),
                "否" => Some(Value::Bool(false)),
                _ => None,
            },
            FieldType::Date => t.parse::<Date>().ok().map(Value::Date),
            // (An address that names no city takes the general path, which reports it.)
            FieldType::String => {
                let city = self.cat.fields.get(target.slot as usize).is_some_and(|f| f.def.reads_city());
                (raw_len <= crate::matching::MAX_STRING_CHARS && !(city && crate::rules::city_of(t).is_none())).then(|| Value::Str(t.into()))
            }
            _ => None,
        }
    }
}

/// `d` × 10^`exp`, exactly, normalised like `parse_decimal`'s results;
/// `None` outside the engine's number range (the general path then
/// reports it).
fn shift_exact(d: rust_decimal::Decimal, exp: usize) -> Option<rust_decimal::Decimal> {
    use rust_decimal::Decimal;
    let (m, s) = (d.mantissa(), d.scale() as usize);
    let shifted = if s >= exp {
        Decimal::try_from_i128_with_scale(m, u32::try_from(s - exp).ok()?).ok()?
    } else {
        let factor = 10i128.checked_pow(u32::try_from(exp - s).ok()?)?;
        Decimal::try_from_i128_with_scale(m.checked_mul(factor)?, 0).ok()?
    }
    .normalize();
    (shifted.abs() <= Decimal::from(crate::rules::MAX_ABS) && shifted.scale() <= crate::rules::MAX_SCALE).then_some(shifted)
}

fn enum_spellings(cat: &Catalogue, slot: u32) -> EnumSpellings {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut ambiguous: Vec<String> = Vec::new();
    let Some(f) = cat.fields.get(slot as usize) else { return out };
    for o in &f.def.options {
        let mut spellings = vec![o.value.clone(), o.label.zh.clone(), o.label.en.clone()];
        spellings.extend(o.aliases.iter().cloned());
        for l in [&o.label.zh, &o.label.en] {
            let short = strip_brackets(l);
            if !short.is_empty() {
                spellings.push(short);
            }
            // A label that starts with the option's code: `C 制造业` is also `制造业`.
            if let Some(rest) = l.strip_prefix(o.value.as_str()).filter(|r| r.starts_with(char::is_whitespace)) {
                spellings.push(rest.trim().to_string());
            }
        }
        for sp in spellings {
            let k = spelling_key(&sp);
            match out.iter().find(|(key, _)| *key == k) {
                Some((_, v)) if *v != o.value => ambiguous.push(k),
                Some(_) => {}
                None => out.push((k, o.value.clone())),
            }
        }
    }
    out.retain(|(k, _)| !ambiguous.contains(k));
    out
}

fn find_option<'s>(spellings: &'s EnumSpellings, cell: &str) -> Option<&'s str> {
    // Most cells are spelled as a key already (keys are their own key).
    let t = cell.trim();
    if let Some((_, v)) = spellings.iter().find(|(key, _)| key == t) {
        return Some(v.as_str());
    }
    let k = spelling_key(cell);
    spellings.iter().find(|(key, _)| *key == k).map(|(_, v)| v.as_str())
}

/// What separates the items of a multi-select cell: `、，,;；/|` (and their
/// full-width forms), line breaks and spaces.
fn is_list_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '、' | '，' | ',' | ';' | '；' | '/' | '／' | '|' | '｜')
}

/// The options a multi-select cell names: items separated by
/// [`is_list_separator`], each spelled as an enum cell may be (value,
/// label, alias, a label without its bracketed part; width, case and
/// spaces ignored). A label that holds a separator or a space itself
/// (`软件/信息服务`, `Integrated circuits`) is found too: the longest run of
/// items that names an option wins. `无`, `没有`, `none` and `[]` are the
/// empty list; an option named twice counts once.
///
/// # Errors
/// The (English, Chinese) message naming the items that are no option,
/// or saying there are too many.
fn list_options(spellings: &EnumSpellings, options: &[crate::catalogue::EnumOption], cell: &str) -> Result<Vec<String>, (String, String)> {
    let t = cell.trim();
    if matches!(t, "无" | "没有" | "[]") || t.eq_ignore_ascii_case("none") {
        return Ok(Vec::new());
    }
    // The items' byte ranges.
    let mut items: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in t.char_indices().chain(std::iter::once((t.len(), ' '))) {
        match (is_list_separator(c), start) {
            (true, Some(s)) => {
                items.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if items.len() > crate::matching::MAX_LIST_ITEMS {
        let n = crate::matching::MAX_LIST_ITEMS;
        return Err((format!("more than {n} items"), format!("超过 {n} 项")));
    }
    let mut values: Vec<String> = Vec::new();
    let mut unknown: Vec<&str> = Vec::new();
    // A run of items whose letters outnumber the longest spelling's names
    // no option: runs are tried up to that length only (all of them, from
    // every item, took minutes for a cell of 1,000 unknown items).
    let longest = spellings.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
    let letters = |(a, b): (usize, usize)| t[a..b].chars().filter(|c| !is_zero_width(*c)).count();
    let mut i = 0;
    while i < items.len() {
        let mut end = i;
        let mut run = 0;
        while end < items.len() {
            run += letters(items[end]);
            if run > longest {
                break;
            }
            end += 1;
        }
        let found = (i..end).rev().find_map(|j| find_option(spellings, &t[items[i].0..items[j].1]).map(|v| (j, v)));
        match found {
            Some((j, v)) => {
                if !values.iter().any(|x| x == v) {
                    values.push(v.to_string());
                }
                i = j + 1;
            }
            None => {
                unknown.push(&t[items[i].0..items[i].1]);
                i += 1;
            }
        }
    }
    if unknown.is_empty() {
        return Ok(values);
    }
    let shown: Vec<String> = unknown.iter().take(5).map(|u| u.chars().take(40).collect()).collect();
    let values: Vec<&str> = options.iter().map(|o| o.value.as_str()).collect();
    let labels: Vec<&str> = options.iter().map(|o| o.label.zh.as_str()).collect();
    Err((
        format!(
            "{} {} not one of: {}; the cell is read as not provided",
            shown.iter().map(|u| format!("`{u}`")).collect::<Vec<_>>().join(", "),
            if unknown.len() == 1 { "is" } else { "are" },
            values.join(", ")
        ),
        format!("{}不是可选项之一：{}；此项按未提供处理", shown.iter().map(|u| format!("“{u}”")).collect::<Vec<_>>().join("、"), labels.join("、")),
    ))
}

/// Full-width ASCII folded, spaces removed, lower case: how cells are
/// matched to options, and names and codes compared for duplicates
/// (`甲科技（杭州）有限公司` is `甲科技(杭州)有限公司`).
pub(crate) fn spelling_key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !is_zero_width(*c))
        .map(|c| if ('\u{ff01}'..='\u{ff5e}').contains(&c) { char::from_u32(c as u32 - 0xfee0).unwrap_or(c) } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// A name as a caller says it: [`spelling_key`] without brackets and the
/// company form at its end (`杭州甲科技(集团)有限公司` and `杭州甲科技有限公司`
/// are both `杭州甲科技`; `丁科技有限责任公司` is `丁科技`). A form inside a
/// name stays (`甲集团乙`).
pub(crate) fn loose_name(s: &str) -> String {
    let mut k: String = spelling_key(s).chars().filter(|c| !matches!(c, '(' | ')' | '（' | '）' | '[' | ']' | '【' | '】')).collect();
    while let Some(form) = ["有限责任公司", "股份有限公司", "有限公司", "分公司", "集团", "公司"].into_iter().find(|f| k.ends_with(f)) {
        k.truncate(k.len() - form.len());
    }
    k
}

/// Whether a character is invisible and no whitespace to Rust: zero-width
/// space, (non-)joiners, word joiner, byte-order mark.
pub(crate) fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// A label without its bracketed parts: `企业（公司）` → `企业`.
pub(crate) fn strip_brackets(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

pub(crate) fn shorten(s: &str) -> String {
    if s.chars().count() > MAX_RAW_CHARS {
        format!("{}…", s.chars().take(MAX_RAW_CHARS).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Tidy a non-empty cell for its target field before the engine converts
/// it: column and cell units, Chinese date forms, date lists. Cells it
/// cannot make sense of are passed on unchanged, so the engine's message
/// names the original text. (Enum cells are matched against the options'
/// values and labels by the reader, ignoring width, spacing, case and a
/// label's bracketed part.)
///
/// # Example
/// ```
/// use policy_match::batch::mapping::{CellUnit, Target};
/// use policy_match::batch::validate::prepare_cell;
/// use policy_match::catalogue::{FieldType, Unit};
/// let money = Target { field: "revenue_cny".into(), slot: 0, ty: FieldType::Number, field_unit: Some(Unit::Cny), unit: Some(CellUnit::WanYuan) };
/// assert_eq!(prepare_cell(&money, "1,234.5"), "12345000");
/// assert_eq!(prepare_cell(&money, "3亿元"), "300000000");
/// assert_eq!(prepare_cell(&money, "(12.5)"), "-125000");
/// let date = Target { field: "founded".into(), slot: 1, ty: FieldType::Date, field_unit: None, unit: None };
/// assert_eq!(prepare_cell(&date, "2023年5月1日"), "2023-05-01");
/// assert_eq!(prepare_cell(&date, "45047"), "2023-05-01"); // an Excel serial date
/// ```
pub fn prepare_cell<'c>(target: &Target, cell: &'c str) -> Cow<'c, str> {
    match target.ty {
        FieldType::Number | FieldType::Integer => prepare_number(target, cell),
        FieldType::Date => normalize_date(cell).map_or(Cow::Borrowed(cell), Cow::Owned),
        FieldType::Boolean => prepare_bool(cell).map_or(Cow::Borrowed(cell), Cow::Borrowed),
        FieldType::DateList => {
            let t = cell.trim();
            if !t.contains(|c: char| c.is_ascii_digit()) {
                return Cow::Borrowed(cell);
            }
            let items: Vec<String> = t
                .split([';', '；', '|', '、', ',', '，', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| normalize_date(s).unwrap_or_else(|| s.to_string()))
                .collect();
            Cow::Owned(items.join(";"))
        }
        _ => Cow::Borrowed(cell),
    }
}

/// A yes/no cell in a form the engine does not read itself: check marks
/// and crosses (`✔`, `☑`, `✘`, `☒`…) and full-width letters (`Ｙ`, `ＴＲＵＥ`).
fn prepare_bool(cell: &str) -> Option<&'static str> {
    let t = spelling_key(cell.trim_end_matches('\u{fe0f}'));
    match t.trim_end_matches('\u{fe0f}') {
        "✔" | "☑" | "✅" | "y" | "yes" | "true" | "是" => Some("是"),
        "✘" | "✕" | "✖" | "☒" | "❌" | "n" | "no" | "false" | "否" => Some("否"),
        _ => None,
    }
}

fn prepare_number<'c>(target: &Target, cell: &'c str) -> Cow<'c, str> {
    // A full-width percent sign (`4.5％`, typed with a Chinese input method)
    // is the percent sign the engine reads.
    if cell.contains('％') {
        let folded = cell.replace('％', "%");
        return Cow::Owned(prepare_number(target, &folded).into_owned());
    }
    // An accountant's negative: `(1,234.5)` is -1,234.5.
    if let Some(inner) = accounting_negative(cell, target.field_unit) {
        return Cow::Owned(prepare_number(target, &format!("-{inner}")).into_owned());
    }
    let t = cell.trim();
    // A unit written in the cell: `320万元`, `15人`, `3.5年`.
    let (stem, cell_exp) = strip_unit(t, target.field_unit);
    let exp = match (cell_exp, target.unit) {
        (Some(e), _) => e,
        (None, Some(CellUnit::Fraction)) if stem.ends_with(['%', '％']) => 0,
        (None, Some(u)) => u.exponent(),
        (None, None) => 0,
    };
    if exp == 0 {
        return if stem.len() == cell.len() { Cow::Borrowed(cell) } else { Cow::Borrowed(stem) };
    }
    match shift_point(stem, exp) {
        Some(s) => Cow::Owned(s),
        None => match number_text(stem).and_then(|n| shift_point(&n, exp)) {
            Some(s) => Cow::Owned(s),
            None => Cow::Borrowed(cell),
        },
    }
}

/// A number cell the reader reports itself, with a message that says what
/// to do: scientific notation (see [`is_scientific`]) and the marks people
/// use for "unknown" or "not applicable" (`—`, `/`, `N/A`).
fn number_cell_problem(target: &Target, t: &str) -> Option<(String, String)> {
    if !matches!(target.ty, FieldType::Number | FieldType::Integer) {
        return None;
    }
    let raw: String = t.chars().take(40).collect();
    if is_scientific(t) {
        return Some((
            format!(
                "`{raw}` is in scientific notation, which Excel uses for a rounded display of a long number; \
                 format the column as a number (not General) and export again, or type the number in full"
            ),
            format!("“{raw}”是科学计数法，往往是 Excel 对长数字四舍五入后的显示值；请在 Excel 中把该列设为“数值”格式后重新导出，或填写完整数字"),
        ));
    }
    let placeholder = t.chars().all(|c| matches!(c, '-' | '—' | '–' | '－' | '―' | '/' | '／' | '\\' | '*'))
        || matches!(t.to_lowercase().as_str(), "n/a" | "na" | "#n/a" | "null" | "none" | "空" | "暂无" | "不详" | "未知" | "不适用");
    placeholder.then(|| {
        (
            format!("`{raw}` is not a number: the figure is read as not provided (write 0 if it means zero)"),
            format!("“{raw}”不是数字：此项按未提供处理（如表示 0，请填写 0）"),
        )
    })
}

/// The date systems write for "no date" (an empty date field exported as
/// its minimum): 1900-01-01, the first day the engine's dates allow.
const PLACEHOLDER_DATE: &str = "1900-01-01";

/// A date cell holding the placeholder systems export for an empty date
/// ([`PLACEHOLDER_DATE`]; Excel shows the serial 1 as that day): read as
/// a real day, a founding date 126 years back fails every "founded within
/// N years" test without a word. Reported, and read as not provided.
fn placeholder_date_problem(target: &Target, t: &str) -> Option<(String, String)> {
    let is_placeholder = |s: &str| normalize_date(s).is_some_and(|d| d == PLACEHOLDER_DATE);
    let placeholder = match target.ty {
        FieldType::Date => is_placeholder(t),
        FieldType::DateList => t.split([';', '；', '|', '、', ',', '，', '\n']).any(|s| is_placeholder(s.trim())),
        _ => false,
    };
    let raw: String = t.chars().take(40).collect();
    placeholder.then(|| {
        (
            format!(
                "`{raw}` holds {PLACEHOLDER_DATE}, the date systems export for an empty date field; it is read as not provided (if the day is real, check it)"
            ),
            format!("“{raw}”中的 {PLACEHOLDER_DATE} 像是系统导出空日期时的占位值，按未提供处理（如确为该日期，请核对）"),
        )
    })
}

/// Whether a number cell is written in scientific notation (`1.23457E+11`,
/// `1e3`, `2.5e-3万元`): a spreadsheet's rounded display, and a form the
/// column's unit would not be applied to.
fn is_scientific(t: &str) -> bool {
    let t = t.trim_start_matches(['-', '+', '－']);
    let Some(e) = t.find(['e', 'E']) else { return false };
    let (mantissa, exp) = (&t[..e], &t[e + 1..]);
    let exp = exp.trim_start_matches(['+', '-']);
    let digits_end = exp.find(|c: char| !c.is_ascii_digit()).unwrap_or(exp.len());
    let mut dots = 0;
    !mantissa.is_empty()
        && mantissa.starts_with(|c: char| c.is_ascii_digit())
        && mantissa.chars().all(|c| {
            c.is_ascii_digit()
                || c == '.' && {
                    dots += 1;
                    dots == 1
                }
        })
        && digits_end > 0
}

/// The number inside the brackets of an accountant's negative
/// (`(1,234.5)`, `（12.5万元）`), when what is inside is a number.
fn accounting_negative(cell: &str, unit: Option<Unit>) -> Option<&str> {
    let t = cell.trim();
    let inner = t.strip_prefix(['(', '（'])?.strip_suffix([')', '）'])?.trim();
    let (stem, _) = strip_unit(inner, unit);
    let n = number_text(stem)?;
    let (int, frac) = n.split_once('.').unwrap_or((&n, ""));
    let plain = !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit()) && frac.bytes().all(|b| b.is_ascii_digit());
    plain.then_some(inner)
}

/// A plain decimal (`-1234.5`) times 10^`exp`, by moving the decimal
/// point: exact, with no parsing. `None` for anything but a plain decimal.
fn shift_point(s: &str, exp: usize) -> Option<String> {
    let (sign, digits) = match s.as_bytes().first() {
        Some(b'-') => ("-", &s[1..]),
        Some(b'+') => ("", &s[1..]),
        _ => ("", s),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() && frac.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out = String::with_capacity(s.len() + exp + 1);
    out.push_str(sign);
    let moved = frac.len().min(exp);
    let whole = format!("{int}{}", &frac[..moved]);
    let whole = whole.trim_start_matches('0');
    out.push_str(if whole.is_empty() { "0" } else { whole });
    for _ in moved..exp {
        if !whole.is_empty() {
            out.push('0');
        }
    }
    let rest = frac[moved..].trim_end_matches('0');
    if !rest.is_empty() {
        out.push('.');
        out.push_str(rest);
    }
    Some(out)
}

/// Remove a unit suffix that fits the field: money (`元`, `万元`, `亿元`…,
/// with its power of ten), `人`, `个`, `年`… Returns the rest and the power
/// of ten when a money multiple was found.
fn strip_unit(t: &str, unit: Option<Unit>) -> (&str, Option<usize>) {
    let suffixes: &[(&str, usize)] = match unit {
        Some(Unit::Cny) => &[("百万元", 6), ("千元", 3), ("万元", 4), ("亿元", 8), ("万", 4), ("亿", 8), ("元", 0)],
        Some(Unit::People) => &[("人", 0), ("名", 0)],
        Some(Unit::Count) => &[("个", 0), ("项", 0), ("件", 0), ("家", 0), ("次", 0)],
        Some(Unit::Years) => &[("年", 0)],
        Some(Unit::Months) => &[("个月", 0), ("月", 0)],
        Some(Unit::Days) => &[("天", 0), ("日", 0)],
        Some(Unit::Points) => &[("分", 0)],
        Some(Unit::Percent) | None => &[],
    };
    for &(s, e) in suffixes {
        if let Some(stem) = t.strip_suffix(s) {
            let stem = stem.trim_end();
            if stem.ends_with(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c)) {
                return (stem, (e != 0).then_some(e));
            }
        }
    }
    (t, None)
}

/// A number as typed by a person, in the engine's plain form: full-width
/// digits folded, thousands separators, spaces and currency signs removed.
fn number_text(s: &str) -> Option<String> {
    crate::matching::fold_number_text(s).filter(|t| !t.is_empty())
}

/// A date in one of the forms spreadsheets use, as `YYYY-MM-DD`: ISO with
/// a time, `2023/5/1`, `2023.5.1`, `2023年5月1日`, `20230501`, or an Excel
/// serial number (10000–99999: 1927–2173). `None` when it is none of them
/// or not a real day.
///
/// # Example
/// ```
/// use policy_match::batch::validate::normalize_date;
/// assert_eq!(normalize_date("2023/5/1").as_deref(), Some("2023-05-01"));
/// assert_eq!(normalize_date("2023-05-01 00:00:00").as_deref(), Some("2023-05-01"));
/// assert_eq!(normalize_date("20230501").as_deref(), Some("2023-05-01"));
/// assert_eq!(normalize_date("2023-02-30"), None); // not a real day
/// ```
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
        // A serial with a time of day (`45356.5` is noon): the day.
        [n, _]
            if n.len() == 5
                && date_part.len() > 6
                && date_part.bytes().filter(|b| *b == b'.').count() == 1
                && date_part.starts_with(n)
                && date_part.as_bytes()[5] == b'.' =>
        {
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
            ("45356.5", Some("2024-03-05")),
            ("45356.999988426", Some("2024-03-05")),
            ("45356.", None),
            ("4535.65", None),
            ("2023-02-30", None),
            ("5/1/2023", None),
            ("下月", None),
        ] {
            assert_eq!(normalize_date(s).as_deref(), want, "{s}");
        }
    }

    #[test]
    fn check_marks_and_full_width_letters_are_yes_or_no() {
        for (cell, want) in [
            ("✔", Some("是")),
            ("✔\u{fe0f}", Some("是")),
            ("☑", Some("是")),
            ("Ｙ", Some("是")),
            ("ＴＲＵＥ", Some("是")),
            ("✘", Some("否")),
            ("☒", Some("否")),
            ("Ｎ", Some("否")),
            ("也许", None),
        ] {
            assert_eq!(prepare_bool(cell), want, "{cell}");
        }
    }

    #[test]
    fn decimal_point_shifts() {
        for (s, e, want) in [
            ("1234.5", 4, Some("12345000")),
            ("0.05", 2, Some("5")),
            ("-3", 8, Some("-300000000")),
            ("0", 4, Some("0")),
            (".5", 4, Some("5000")),
            ("1.234567", 4, Some("12345.67")),
            ("007", 3, Some("7000")),
            ("1,234", 4, None),
            ("1e3", 4, None),
            ("", 4, None),
            (".", 4, None),
        ] {
            assert_eq!(shift_point(s, e).as_deref(), want, "{s}");
        }
    }

    #[test]
    fn scientific_notation() {
        for (s, want) in [
            ("1e3", true),
            ("1.23457E+11", true),
            ("-2.5e-3", true),
            ("1.5E+3万元", true),
            ("1234", false),
            ("e3", false),
            ("1e", false),
            ("1.2.3e4", false),
            ("Excel", false),
        ] {
            assert_eq!(is_scientific(s), want, "{s}");
        }
    }

    #[test]
    fn labels_without_brackets() {
        assert_eq!(strip_brackets("A+级（诚信示范）"), "A+级");
        assert_eq!(spelling_key(" Ａ+ 级"), "a+级");
    }
}
