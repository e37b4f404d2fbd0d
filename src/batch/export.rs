//! Export: push lists, the result matrix, the summary and the problems, as
//! CSV (UTF-8 with a byte-order mark, so Excel shows Chinese correctly) or
//! XLSX. Writers take any [`std::io::Write`] or return bytes: no file system.
//!
//! - Push list (one per policy): the enterprise's columns exactly as
//!   imported, then verdict, reasons, the missing information (labels),
//!   the missing fields (names, `;`-separated) and the benefit estimate.
//!   Qualifying enterprises first, then undecided ones (see
//!   [`BatchResult::push_rows`]).
//! - Matrix: one row per enterprise (source row, key column), one column
//!   per policy with its verdict, and the number of problems in the row.
//! - Summary: row counts, then per policy the counts of each verdict and
//!   the information most often missing.
//! - Problems: row, column, field, raw value, message.
//!
//! In CSV, a text cell that Excel or WPS would open as a formula (it starts
//! with `=`, `+`, `-`, `@`, a tab or a carriage return: OWASP "CSV
//! injection"; imported names are untrusted) gets a leading `'`; plain
//! numbers such as `-1234.5` do not. The CSV importer takes that `'` off
//! again, so an export re-imports unchanged. XLSX cells are written as
//! typed strings, which spreadsheets never evaluate, so they carry no `'`.
//!
//! In XLSX, imported cells that are plain numbers whose text survives the
//! round trip through a spreadsheet number (`1234.5`, not `00123` or
//! `1234.50`) are written as numbers; everything else as text, so that
//! importing an exported file gives back the same cells.

use std::io::Write;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::import::Table;
use super::run::BatchResult;
use super::{neutralise, BatchError};
use crate::catalogue::Catalogue;
use crate::matching::Verdict;
use crate::Lang;

impl Lang {
    /// A verdict in words.
    ///
    /// # Example
    /// ```
    /// use policy_match::{matching::Verdict, Lang};
    /// assert_eq!(Lang::from_tag("zh-CN").verdict(Verdict::Undecided), "待确认");
    /// assert_eq!(Lang::from_tag("en-US").tag(), "en");
    /// assert_eq!(Lang::En.verdict(Verdict::DoesNotQualify), "does not qualify");
    /// ```
    pub fn verdict(self, v: Verdict) -> &'static str {
        match v {
            Verdict::Qualifies => self.either("符合", "qualifies"),
            Verdict::Undecided => self.either("待确认", "undecided"),
            Verdict::DoesNotQualify => self.either("不符合", "does not qualify"),
        }
    }
}

/// Options for exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExportOptions {
    /// Language of headers and texts.
    pub lang: Lang,
    /// CSV: start with a UTF-8 byte-order mark (on by default; Excel needs it for Chinese).
    pub bom: bool,
}

impl Default for ExportOptions {
    fn default() -> ExportOptions {
        ExportOptions { lang: Lang::Zh, bom: true }
    }
}

/// Where rows go: a CSV writer or a worksheet.
trait Sink {
    /// The header row.
    fn header(&mut self, cells: &[String]) -> Result<(), BatchError>;
    /// A data row. Cells copied from the import (before `imported`) and the
    /// tool's own figures (at `numbers`: amounts, counts, row numbers) may be
    /// written as numbers; others are always text.
    fn row(&mut self, cells: &[&str], imported: usize, numbers: &[usize]) -> Result<(), BatchError>;
}

struct CsvSink<W: Write> {
    w: ::csv::Writer<W>,
}

impl<W: Write> CsvSink<W> {
    /// One record, each cell [`neutralise`]d.
    fn record<'a>(&mut self, cells: impl Iterator<Item = &'a str>) -> Result<(), BatchError> {
        for c in cells {
            self.w.write_field(neutralise(c).as_bytes()).map_err(csv_err)?;
        }
        self.w.write_record(None::<&[u8]>).map_err(csv_err)
    }
}

impl<W: Write> Sink for CsvSink<W> {
    fn header(&mut self, cells: &[String]) -> Result<(), BatchError> {
        self.record(cells.iter().map(String::as_str))
    }
    fn row(&mut self, cells: &[&str], _: usize, _: &[usize]) -> Result<(), BatchError> {
        self.record(cells.iter().copied())
    }
}

fn csv_err(e: ::csv::Error) -> BatchError {
    BatchError::Export(e.to_string())
}

fn xlsx_err(e: XlsxError) -> BatchError {
    BatchError::Export(e.to_string())
}

fn csv_sink<W: Write>(mut w: W, opts: &ExportOptions) -> Result<CsvSink<W>, BatchError> {
    if opts.bom {
        w.write_all("\u{feff}".as_bytes()).map_err(|e| BatchError::Export(e.to_string()))?;
    }
    Ok(CsvSink { w: ::csv::WriterBuilder::new().from_writer(w) })
}

fn finish_csv<W: Write>(s: CsvSink<W>) -> Result<(), BatchError> {
    s.w.into_inner().map_err(|e| BatchError::Export(e.to_string()))?.flush().map_err(|e| BatchError::Export(e.to_string()))
}

struct XlsxSink<'w> {
    ws: &'w mut Worksheet,
    row: u32,
    bold: Format,
}

impl Sink for XlsxSink<'_> {
    fn header(&mut self, cells: &[String]) -> Result<(), BatchError> {
        for (c, h) in cells.iter().enumerate() {
            let c = col(c)?;
            self.ws.write_string_with_format(self.row, c, h, &self.bold).map_err(xlsx_err)?;
            let width = h.chars().map(|ch| if ch.is_ascii() { 1.1 } else { 2.1 }).sum::<f64>().clamp(8.0, 40.0);
            self.ws.set_column_width(c, width).map_err(xlsx_err)?;
        }
        if !cells.is_empty() {
            self.ws.set_freeze_panes(self.row + 1, 0).map_err(xlsx_err)?;
        }
        self.row += 1;
        Ok(())
    }
    fn row(&mut self, cells: &[&str], imported: usize, numbers: &[usize]) -> Result<(), BatchError> {
        if self.row >= 1_048_576 {
            return Err(BatchError::Export("more rows than a worksheet holds (1,048,576)".into()));
        }
        for (c, text) in cells.iter().enumerate() {
            if text.is_empty() {
                continue;
            }
            let cc = col(c)?;
            match (c < imported || numbers.contains(&c)).then(|| as_number(text)).flatten() {
                Some(n) => self.ws.write_number(self.row, cc, n).map_err(xlsx_err)?,
                None => self.ws.write_string(self.row, cc, *text).map_err(xlsx_err)?,
            };
        }
        self.row += 1;
        Ok(())
    }
}

fn col(c: usize) -> Result<u16, BatchError> {
    u16::try_from(c).ok().filter(|c| *c < 16_384).ok_or_else(|| BatchError::Export("more columns than a worksheet holds (16,384)".into()))
}

/// The number a cell's text stands for, when writing it as a number
/// reads back as the same text: at most Excel's 15 significant digits
/// (a longer number, such as an ID, is written as text: Excel would round it).
fn as_number(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let digits = b.strip_prefix(b"-").unwrap_or(b);
    if digits.is_empty()
        || !digits.iter().all(|c| c.is_ascii_digit() || *c == b'.')
        || (digits.len() > 1 && digits[0] == b'0' && digits[1] != b'.')
        || digits.iter().filter(|c| c.is_ascii_digit()).skip_while(|c| **c == b'0').count() > 15
    {
        return None;
    }
    let f: f64 = text.parse().ok()?;
    (f.is_finite() && format!("{f}") == text).then_some(f)
}

/// Names made unique with ` (2)`, ` (3)`….
fn unique(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for n in names {
        let mut name = n.clone();
        let mut k = 2;
        while out.contains(&name) {
            name = format!("{n} ({k})");
            k += 1;
        }
        out.push(name);
    }
    out
}

fn push_list_rows(
    cat: &Catalogue,
    table: &Table,
    result: &BatchResult,
    policy: usize,
    rows: &[usize],
    opts: &ExportOptions,
    sink: &mut dyn Sink,
) -> Result<(), BatchError> {
    let lang = opts.lang;
    let tag = lang.tag();
    let p = cat.policies.get(policy).ok_or_else(|| BatchError::Export(format!("no policy with index {policy}")))?;
    let mut headers = table.headers.clone();
    headers.extend(
        [
            lang.either("结论", "verdict"),
            lang.either("原因", "reasons"),
            lang.either("需补充的信息", "information to ask for"),
            lang.either("需补充的字段", "missing fields"),
            lang.either("预计金额（元）", "estimated benefit (CNY)"),
            // The source row: tells apart rows with no name or the same name.
            lang.either("行号", "row"),
        ]
        .map(str::to_string),
    );
    sink.header(&unique(headers))?;
    let w = table.width();
    let sep = lang.either("；", "; ");
    let n = p.criteria.len();
    let mut cells: Vec<String> = Vec::with_capacity(6);
    for &row in rows {
        let v = result.verdict(row, policy);
        let d = result.detail(row, policy);
        cells.clear();
        cells.push(lang.verdict(v).to_string());
        let mut reasons = match v {
            Verdict::Qualifies => match lang {
                Lang::Zh => format!("符合全部{n}项条件"),
                Lang::En => format!("Meets all {n} criteria"),
            },
            _ => {
                let crit: Vec<String> = d
                    .map(|d| d.undecided.iter().filter_map(|&c| p.criteria.get(c as usize)).map(|c| format!("{} {}", c.id, c.description.get(tag))).collect())
                    .unwrap_or_default();
                format!("{}{}", lang.either("待确认：", "Undecided: "), crit.join(sep))
            }
        };
        if !result.in_force[policy] {
            reasons.push_str(lang.either("（评估日不在政策有效期内）", " (not in force on the assessment date)"));
        }
        cells.push(reasons);
        let missing = d.map(|d| d.missing).unwrap_or(&[]);
        cells.push(missing.iter().filter_map(|&f| cat.fields.get(f as usize)).map(|f| f.def.label.get(tag)).collect::<Vec<_>>().join(sep));
        cells.push(missing.iter().filter_map(|&f| cat.fields.get(f as usize)).map(|f| f.name()).collect::<Vec<_>>().join(";"));
        cells.push(d.and_then(|d| d.benefit).map(|b| b.normalize().to_string()).unwrap_or_default());
        cells.push(table.line(row).to_string());
        let row_cells: Vec<&str> = table.row(row).chain(cells.iter().map(String::as_str)).collect();
        sink.row(&row_cells, w, &[w + 4, w + 5])?; // the amount and the row number
    }
    Ok(())
}

fn matrix_rows(cat: &Catalogue, table: &Table, result: &BatchResult, opts: &ExportOptions, sink: &mut dyn Sink) -> Result<(), BatchError> {
    let lang = opts.lang;
    let mut headers = vec![lang.either("行号", "row").to_string()];
    if let Some(k) = result.key_column {
        headers.push(table.headers[k].clone());
    }
    headers.extend(cat.policies.iter().map(|p| p.title.get(lang.tag()).to_string()));
    headers.push(lang.either("问题数", "problems").to_string());
    headers.push(lang.either("预计可享受（元）", "estimated value (CNY)").to_string());
    sink.header(&unique(headers))?;
    let mut cells: Vec<String> = Vec::new();
    for row in 0..result.rows() {
        cells.clear();
        cells.push(result.line(row).to_string());
        if let Some(k) = result.key_column {
            cells.push(table.cell(row, k).to_string());
        }
        cells.extend(result.row_verdicts(row).iter().map(|v| lang.verdict(*v).to_string()));
        cells.push(result.row_issues.get(row).copied().unwrap_or(0).to_string());
        cells.push(result.total(row).map(|t| t.normalize().to_string()).unwrap_or_default());
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        let n = refs.len();
        sink.row(&refs, 0, &[0, n - 2, n - 1])?; // the row number, the count of problems, the estimated value
    }
    Ok(())
}

fn summary_rows(cat: &Catalogue, result: &BatchResult, opts: &ExportOptions, sink: &mut dyn Sink) -> Result<(), BatchError> {
    let lang = opts.lang;
    let tag = lang.tag();
    let s = result.summary(cat);
    sink.header(&[lang.either("项目", "item").to_string(), lang.either("数量", "count").to_string()])?;
    for (k, v) in [
        (lang.either("读取的行", "rows read"), s.rows_read),
        (lang.either("有问题的行", "rows with problems"), s.rows_with_problems),
        (lang.either("已评估的行", "rows evaluated"), s.rows_evaluated),
        (lang.either("跳过的空行", "blank rows skipped"), s.blank_rows),
        (lang.either("问题单元格", "problems listed"), s.issues),
    ] {
        sink.row(&[k, &v.to_string()], 0, &[1])?;
    }
    sink.row(&[], 0, &[])?;
    let head: Vec<String> = [
        lang.either("政策编号", "policy"),
        lang.either("政策名称", "title"),
        lang.either("评估日有效", "in force"),
        lang.either("符合", "qualifies"),
        lang.either("待确认", "undecided"),
        lang.either("不符合", "does not qualify"),
        lang.either("最常缺少的信息", "most often missing"),
    ]
    .map(str::to_string)
    .to_vec();
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    sink.row(&head, 0, &[])?;
    for p in &s.policies {
        let missing: Vec<String> = p.most_missing.iter().map(|(f, n)| format!("{} ({n})", cat.field(f).map_or(f.as_str(), |x| x.def.label.get(tag)))).collect();
        let cells = [
            p.policy.clone(),
            p.title.get(tag).to_string(),
            lang.either(if p.in_force { "是" } else { "否" }, if p.in_force { "yes" } else { "no" }).to_string(),
            p.qualifies.to_string(),
            p.undecided.to_string(),
            p.does_not_qualify.to_string(),
            missing.join(lang.either("；", "; ")),
        ];
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        sink.row(&refs, 0, &[3, 4, 5])?; // the three counts
    }
    Ok(())
}

fn issues_rows(result: &BatchResult, opts: &ExportOptions, sink: &mut dyn Sink) -> Result<(), BatchError> {
    let lang = opts.lang;
    sink.header(
        &[
            lang.either("行号", "row"),
            lang.either("列", "column"),
            lang.either("字段", "field"),
            lang.either("原值", "raw value"),
            lang.either("问题", "problem"),
        ]
        .map(str::to_string),
    )?;
    for i in &result.issues {
        let message = if matches!(lang, Lang::Zh) && !i.message_zh.is_empty() { &i.message_zh } else { &i.message };
        sink.row(&[&i.row.to_string(), &i.column, i.field.as_deref().unwrap_or(""), &i.raw, message], 0, &[0])?;
    }
    Ok(())
}

/// Write a policy's push list (by policy index) as CSV.
///
/// # Errors
/// [`BatchError::Export`] when writing fails or there is no such policy.
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
/// # let result = batch::run(&cat, &table, &resolved, &BatchOptions::new("2026-07-01".parse()?));
/// # use policy_match::batch::{export::push_list_csv, ExportOptions, Lang};
/// let mut out = Vec::new();
/// push_list_csv(&cat, &table, &result, 0, &ExportOptions { lang: Lang::En, bom: false }, &mut out)?;
/// let csv = String::from_utf8(out)?;
/// let lines: Vec<&str> = csv.lines().collect();
/// assert_eq!(lines.len(), 3); // header, 甲公司 (qualifies), 乙公司 (undecided)
/// assert!(lines[0].starts_with("企业名称,职工人数,营业收入（万元）,")); // the imported columns first
/// assert!(lines[1].starts_with("甲公司,12,320,qualifies,"));
/// assert!(push_list_csv(&cat, &table, &result, 7, &ExportOptions::default(), Vec::new()).is_err()); // no policy 7
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn push_list_csv<W: Write>(cat: &Catalogue, table: &Table, result: &BatchResult, policy: usize, opts: &ExportOptions, out: W) -> Result<(), BatchError> {
    push_list_csv_of(cat, table, result, policy, &result.push_rows(policy), opts, out)
}

/// [`push_list_csv`] of some of the list's rows (data rows, in the order
/// given): the page's filtered and sorted list.
pub(crate) fn push_list_csv_of<W: Write>(
    cat: &Catalogue,
    table: &Table,
    result: &BatchResult,
    policy: usize,
    rows: &[usize],
    opts: &ExportOptions,
    out: W,
) -> Result<(), BatchError> {
    let mut s = csv_sink(out, opts)?;
    push_list_rows(cat, table, result, policy, rows, opts, &mut s)?;
    finish_csv(s)
}

/// Write the result matrix as CSV: per enterprise, its row, name, verdict
/// on each policy, problems and estimated value
/// ([`BatchResult::total`]: the self-check's 预计可享受).
///
/// # Errors
/// [`BatchError::Export`] when writing fails.
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
/// # let result = batch::run(&cat, &table, &resolved, &BatchOptions::new("2026-07-01".parse()?));
/// # use policy_match::batch::{export::matrix_csv, ExportOptions};
/// let mut out = Vec::new();
/// matrix_csv(&cat, &table, &result, &ExportOptions::default(), &mut out)?;
/// assert!(out.starts_with("\u{feff}".as_bytes())); // a byte-order mark for Excel
/// let csv = String::from_utf8(out)?;
/// assert_eq!(csv.lines().next(), Some("\u{feff}行号,企业名称,小微企业,问题数,预计可享受（元）"));
/// assert_eq!(csv.lines().nth(1), Some("2,甲公司,符合,0,12000")); // 12 staff × ¥1,000
/// assert_eq!(csv.lines().nth(3), Some("4,丙公司,不符合,0,"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn matrix_csv<W: Write>(cat: &Catalogue, table: &Table, result: &BatchResult, opts: &ExportOptions, out: W) -> Result<(), BatchError> {
    let mut s = csv_sink(out, opts)?;
    matrix_rows(cat, table, result, opts, &mut s)?;
    finish_csv(s)
}

/// Write the summary as CSV: row counts, a blank line, then one line per policy.
///
/// # Errors
/// [`BatchError::Export`] when writing fails.
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
/// # let result = batch::run(&cat, &table, &resolved, &BatchOptions::new("2026-07-01".parse()?));
/// # use policy_match::batch::{export::summary_csv, ExportOptions, Lang};
/// let mut out = Vec::new();
/// summary_csv(&cat, &result, &ExportOptions { lang: Lang::En, bom: false }, &mut out)?;
/// let csv = String::from_utf8(out)?;
/// assert!(csv.lines().any(|l| l.starts_with("small,Small enterprise,")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn summary_csv<W: Write>(cat: &Catalogue, result: &BatchResult, opts: &ExportOptions, out: W) -> Result<(), BatchError> {
    let mut s = csv_sink(out, opts)?;
    s.w = ::csv::WriterBuilder::new().flexible(true).from_writer(s.w.into_inner().map_err(|e| BatchError::Export(e.to_string()))?);
    summary_rows(cat, result, opts, &mut s)?;
    finish_csv(s)
}

/// Write every problem (bad cells, row-shape problems) as CSV.
///
/// # Errors
/// [`BatchError::Export`] when writing fails.
///
/// # Example
/// ```
/// # use policy_match::batch::{self, export::issues_csv, BatchOptions, ExportOptions, Lang};
/// # use policy_match::catalogue::Catalogue;
/// # let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
/// #   "fields": [{"name": "employees", "type": "integer", "label": {"zh": "职工人数", "en": "Employees"}}]}"#)?;
/// let table = batch::import("企业名称,职工人数\n甲公司,很多\n".as_bytes(), &Default::default())?;
/// let resolved = batch::auto_map(&cat, &table.headers).resolve(&cat, &table)?;
/// let result = batch::run(&cat, &table, &resolved, &BatchOptions::new("2026-07-01".parse()?));
/// let mut out = Vec::new();
/// issues_csv(&result, &ExportOptions { lang: Lang::En, bom: false }, &mut out)?;
/// let csv = String::from_utf8(out)?;
/// assert_eq!(csv.lines().next(), Some("row,column,field,raw value,problem"));
/// assert!(csv.lines().nth(1).unwrap().starts_with("2,职工人数,employees,很多,"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn issues_csv<W: Write>(result: &BatchResult, opts: &ExportOptions, out: W) -> Result<(), BatchError> {
    let mut s = csv_sink(out, opts)?;
    issues_rows(result, opts, &mut s)?;
    finish_csv(s)
}

/// A policy's push list as an XLSX workbook (one sheet).
///
/// # Errors
/// [`BatchError::Export`] when there is no such policy or the workbook
/// cannot be written.
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
/// # let result = batch::run(&cat, &table, &resolved, &BatchOptions::new("2026-07-01".parse()?));
/// # use policy_match::batch::{export::push_list_xlsx, import::import_xlsx, ExportOptions};
/// let xlsx = push_list_xlsx(&cat, &table, &result, 0, &ExportOptions::default())?;
/// let back = import_xlsx(&xlsx, None)?;
/// assert_eq!(back.source.sheets, ["01 小微企业"]);
/// assert_eq!((back.len(), back.cell(0, 0), back.cell(1, 0)), (2, "甲公司", "乙公司"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn push_list_xlsx(cat: &Catalogue, table: &Table, result: &BatchResult, policy: usize, opts: &ExportOptions) -> Result<Vec<u8>, BatchError> {
    push_list_xlsx_of(cat, table, result, policy, &result.push_rows(policy), opts)
}

/// [`push_list_xlsx`] of some of the list's rows (data rows, in the order given).
pub(crate) fn push_list_xlsx_of(
    cat: &Catalogue,
    table: &Table,
    result: &BatchResult,
    policy: usize,
    rows: &[usize],
    opts: &ExportOptions,
) -> Result<Vec<u8>, BatchError> {
    let mut wb = workbook();
    let p = cat.policies.get(policy).ok_or_else(|| BatchError::Export(format!("no policy with index {policy}")))?;
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name(&format!("{:02} {}", policy + 1, p.title.get(opts.lang.tag())))).map_err(xlsx_err)?;
    push_list_rows(cat, table, result, policy, rows, opts, &mut XlsxSink { ws, row: 0, bold: Format::new().set_bold() })?;
    wb.save_to_buffer().map_err(xlsx_err)
}

/// The results as one XLSX workbook: sheets Summary, Problems and Matrix,
/// then, with `push_lists`, one sheet per policy with its push list (sheet
/// names from [`push_sheet_name`]).
///
/// # Errors
/// [`BatchError::Export`] when the workbook cannot be written.
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
/// # let result = batch::run(&cat, &table, &resolved, &BatchOptions::new("2026-07-01".parse()?));
/// # use policy_match::batch::{export::results_xlsx, import::import_xlsx, ExportOptions, Lang};
/// let opts = ExportOptions { lang: Lang::En, ..Default::default() };
/// let xlsx = results_xlsx(&cat, &table, &result, &opts, true)?;
/// let sheets = import_xlsx(&xlsx, None)?.source.sheets;
/// assert_eq!(sheets, ["Summary", "Problems", "Matrix", "01 Small enterprise"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn results_xlsx(cat: &Catalogue, table: &Table, result: &BatchResult, opts: &ExportOptions, push_lists: bool) -> Result<Vec<u8>, BatchError> {
    let lang = opts.lang;
    let mut wb = workbook();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name(lang.either("汇总", "Summary")).map_err(xlsx_err)?;
    summary_rows(cat, result, opts, &mut XlsxSink { ws, row: 0, bold: bold.clone() })?;
    let ws = wb.add_worksheet();
    ws.set_name(lang.either("问题", "Problems")).map_err(xlsx_err)?;
    issues_rows(result, opts, &mut XlsxSink { ws, row: 0, bold: bold.clone() })?;
    let ws = wb.add_worksheet();
    ws.set_name(lang.either("结果矩阵", "Matrix")).map_err(xlsx_err)?;
    matrix_rows(cat, table, result, opts, &mut XlsxSink { ws, row: 0, bold: bold.clone() })?;
    if push_lists {
        for pi in 0..cat.policies.len() {
            let ws = wb.add_worksheet();
            ws.set_name(push_sheet_name(cat, pi, lang)).map_err(xlsx_err)?;
            push_list_rows(cat, table, result, pi, &result.push_rows(pi), opts, &mut XlsxSink { ws, row: 0, bold: bold.clone() })?;
        }
    }
    wb.save_to_buffer().map_err(xlsx_err)
}

/// A workbook compressed for speed: deflate level 1 writes large sheets
/// several times faster than the default level for files about a quarter
/// larger.
fn workbook() -> Workbook {
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(1);
    wb
}

/// The sheet name of a policy's push list: its number and title, cut to
/// Excel's 31 characters.
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
/// # let result = batch::run(&cat, &table, &resolved, &BatchOptions::new("2026-07-01".parse()?));
/// # use policy_match::batch::{export::push_sheet_name, Lang};
/// assert_eq!(push_sheet_name(&cat, 0, Lang::En), "01 Small enterprise");
/// assert_eq!(push_sheet_name(&cat, 0, Lang::Zh), "01 小微企业");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn push_sheet_name(cat: &Catalogue, policy: usize, lang: Lang) -> String {
    let title = cat.policies.get(policy).map_or("", |p| p.title.get(lang.tag()));
    sheet_name(&format!("{:02} {title}", policy + 1))
}

fn sheet_name(s: &str) -> String {
    let cleaned: String = s.chars().map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') { '_' } else { c }).collect();
    let cut: String = cleaned.chars().take(31).collect();
    cut.trim_matches('\'').trim().to_string()
}

/// A file-name-safe stem for a policy's push-list files: `07-policy_id`.
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
/// # let result = batch::run(&cat, &table, &resolved, &BatchOptions::new("2026-07-01".parse()?));
/// assert_eq!(policy_match::batch::export::push_file_stem(&cat, 0), "01-small");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn push_file_stem(cat: &Catalogue, policy: usize) -> String {
    let id = cat.policies.get(policy).map_or("policy", |p| p.id.as_str());
    let safe: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    format!("{:02}-{safe}", policy + 1)
}
