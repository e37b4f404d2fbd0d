//! XLSX import (calamine), with merged cells and dates stored as numbers.

use std::io::Cursor;

use calamine::{expand_shared_formula, DataRef, Dimensions, Reader, SheetVisible, Xlsx, XlsxFormulaMetadata};

use super::{
    group_headers, reads_as_value, starts_after_first_column, title_rows, titles, two_row_note, Builder, RowProblem, Source, SourceFormat, Table,
    MAX_TITLE_ROWS,
};
use crate::batch::{check_size, column_letter, BatchError, MAX_COLUMNS, MAX_ROWS, MAX_XLSX_UNCOMPRESSED_BYTES};

/// Most files in an XLSX archive.
const MAX_ZIP_ENTRIES: usize = 10_000;

/// Import one sheet of an XLSX workbook: `sheet` by name (exact, then
/// case-insensitive), or the first visible sheet with data (a hidden sheet
/// only when no visible one has data).
///
/// Date cells (numbers with a date format) become `YYYY-MM-DD` (with the
/// time when it is not midnight); other numbers their shortest decimal
/// form; booleans `TRUE`/`FALSE`; error values their Excel text (`#N/A`);
/// formulas their cached value.
///
/// # Errors
/// [`BatchError::TooLarge`], [`BatchError::Xlsx`] (not a readable workbook,
/// or one that would expand past [`MAX_XLSX_UNCOMPRESSED_BYTES`]),
/// [`BatchError::SheetNotFound`], [`BatchError::NoHeader`] (every sheet, or
/// the named one, is empty), [`BatchError::Limit`].
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
/// # use policy_match::batch::{export::results_xlsx, import::import_xlsx, BatchError, ExportOptions};
/// // A workbook written by the export, read back.
/// let xlsx = results_xlsx(&cat, &table, &result, &ExportOptions::default(), false)?;
/// let summary = import_xlsx(&xlsx, None)?; // the first sheet: 汇总
/// assert_eq!(summary.source.sheets, ["汇总", "问题", "结果矩阵"]);
/// let matrix = import_xlsx(&xlsx, Some("结果矩阵"))?;
/// assert_eq!((matrix.cell(0, 1), matrix.cell(0, 2)), ("甲公司", "符合"));
/// assert!(matches!(import_xlsx(&xlsx, Some("Sheet9")), Err(BatchError::SheetNotFound { .. })));
/// assert_eq!(import_xlsx(b"PK\x03\x04 not a zip", None).unwrap_err().kind(), "xlsx");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn import_xlsx(bytes: &[u8], sheet: Option<&str>) -> Result<Table, BatchError> {
    check_size(bytes.len() as u64)?;
    check_zip(bytes)?;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| BatchError::Xlsx(e.to_string()))?;
    let names = wb.sheet_names();
    let hidden: Vec<String> = wb.sheets_metadata().iter().filter(|s| s.visible != SheetVisible::Visible).map(|s| s.name.clone()).collect();
    let candidates: Vec<String> = match sheet {
        Some(want) => {
            let found = names.iter().find(|n| n.as_str() == want).or_else(|| names.iter().find(|n| n.trim().to_lowercase() == want.trim().to_lowercase()));
            match found {
                Some(n) => vec![n.clone()],
                None => return Err(BatchError::SheetNotFound { name: want.to_string(), available: names }),
            }
        }
        // Hidden sheets (drop-down options, lookups) only when named, or
        // when no visible sheet has data.
        None => names.iter().filter(|n| !hidden.contains(n)).chain(names.iter().filter(|n| hidden.contains(n))).cloned().collect(),
    };
    for name in candidates {
        let rows = read_sheet(&mut wb, &name)?;
        if rows.is_empty() {
            continue;
        }
        let merges = wb.merge_cells_by_sheet_name(&name).map_err(|e| BatchError::Xlsx(e.to_string()))?;
        let hidden_parts = hidden_rows_and_columns(bytes, &name);
        // Most lists hold no formula: their pass is skipped (a quarter of the import's time).
        let formulas =
            if hidden_parts.formulas || !hidden_parts.read { formulas_without_value(&mut wb, &name, recalculated_on_load(bytes))? } else { Vec::new() };
        return build(rows, &merges, &formulas, &hidden_parts, name, names, hidden);
    }
    Err(BatchError::NoHeader)
}

/// Refuse archives with too many files or too much uncompressed data.
fn check_zip(bytes: &[u8]) -> Result<(), BatchError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| BatchError::Xlsx(format!("not an XLSX workbook ({e})")))?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(BatchError::Xlsx(format!("the workbook holds {} files; the limit is {MAX_ZIP_ENTRIES}", zip.len())));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|e| BatchError::Xlsx(e.to_string()))?;
        total = total.saturating_add(f.size());
    }
    if total > MAX_XLSX_UNCOMPRESSED_BYTES {
        return Err(BatchError::Xlsx(format!("the workbook expands to {total} bytes; the limit is {MAX_XLSX_UNCOMPRESSED_BYTES}")));
    }
    Ok(())
}

/// A sheet's non-empty rows: (0-based sheet row, cells by 0-based column).
type SparseRows = Vec<(u32, Vec<(u32, String)>)>;

fn read_sheet(wb: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Result<SparseRows, BatchError> {
    let mut reader = wb.worksheet_cells_reader(name).map_err(|e| BatchError::Xlsx(e.to_string()))?;
    // Styles whose number format shows a percent: 0.455 is shown (and meant) as 45.5%.
    let percent: Vec<bool> = reader.styles().iter().map(|s| s.number_format.as_ref().is_some_and(|f| is_percent_format(&f.format_code))).collect();
    // Styles that show a number scaled or with a unit (`0.00"万元"`, `#,##0,`, `0!.0000"万元"`).
    let shown: Vec<Option<Shown>> = reader.styles().iter().map(|s| s.number_format.as_ref().and_then(|f| shown_format(&f.format_code))).collect();
    let mut rows: SparseRows = Vec::new();
    let mut cells = 0usize;
    let max_cells = MAX_ROWS.saturating_mul(64);
    while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(|e| BatchError::Xlsx(e.to_string()))? {
        let (r, c) = cell.get_position();
        let text = cell_text(cell.get_value());
        let text = match (percent.get(style).copied().unwrap_or(false), cell.get_value()) {
            (true, DataRef::Float(_) | DataRef::Int(_)) => as_percent(&text).unwrap_or(text),
            (false, DataRef::Float(_) | DataRef::Int(_)) => match shown.get(style) {
                Some(Some(f)) => as_shown(&text, f).unwrap_or(text),
                _ => text,
            },
            _ => text,
        };
        if text.is_empty() {
            continue;
        }
        if c as usize >= MAX_COLUMNS * 16 {
            return Err(BatchError::Limit(format!("sheet `{name}` has data in column {}; the limit is {MAX_COLUMNS} columns", column_letter(c as usize))));
        }
        cells += 1;
        if cells > max_cells {
            return Err(BatchError::Limit(format!("sheet `{name}` has more than {max_cells} cells")));
        }
        match rows.last_mut() {
            Some((lr, v)) if *lr == r => v.push((c, text)),
            _ => rows.push((r, vec![(c, text)])),
        }
    }
    // Rows are in ascending order in valid files; make sure.
    if rows.windows(2).any(|w| w[0].0 >= w[1].0) {
        rows.sort_by_key(|(r, _)| *r);
        let mut merged: SparseRows = Vec::with_capacity(rows.len());
        for (r, v) in rows {
            match merged.last_mut() {
                Some((lr, lv)) if *lr == r => lv.extend(v),
                _ => merged.push((r, v)),
            }
        }
        rows = merged;
    }
    Ok(rows)
}

/// The hidden rows and columns of a sheet (0-based), as the sheet's XML
/// marks them (`<row hidden="1">`, `<col min max hidden="1">`): rows hidden
/// by hand, by a filter or in a collapsed group. calamine does not tell
/// these, so the sheet's part is read here.
#[derive(Debug, Default)]
struct Hidden {
    rows: Vec<u32>,
    /// Inclusive ranges of columns.
    columns: Vec<(u32, u32)>,
    /// Whether the sheet's part was found and read.
    read: bool,
    /// Whether it holds a formula (`<f>`): when not, the pass that looks
    /// for formulas without a value is not needed.
    formulas: bool,
}

impl Hidden {
    fn column(&self, c: u32) -> bool {
        self.columns.iter().any(|&(a, b)| (a..=b).contains(&c))
    }
}

/// An attribute's value, by local name (`r:id` is `id`).
fn attr(e: &quick_xml::events::BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// Call `f` on each start or empty element of an archive part, until it
/// returns false, the end of `<sheetData>` or of the part. `None` when the
/// part is missing or unreadable.
fn each(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, part: &str, mut f: impl FnMut(&quick_xml::events::BytesStart<'_>, bool) -> bool) -> Option<()> {
    let entry = zip.by_name(part).ok()?;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(entry));
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf).ok()? {
            quick_xml::events::Event::Start(e) if !f(&e, false) => return Some(()),
            quick_xml::events::Event::Empty(e) if !f(&e, true) => return Some(()),
            quick_xml::events::Event::End(e) if e.local_name().as_ref() == "sheetData" => return Some(()),
            quick_xml::events::Event::Eof => return Some(()),
            _ => {}
        }
    }
}

/// Whether the workbook asks to be recalculated when opened
/// (`<calcPr fullCalcOnLoad="1">`): the mark of a tool that writes formulas
/// without calculating them (openpyxl; XlsxWriter and rust_xlsxwriter, which
/// save 0 as every formula's result). Excel and WPS save the results they
/// calculated.
fn recalculated_on_load(bytes: &[u8]) -> bool {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return false };
    let mut full = false;
    each(&mut zip, "xl/workbook.xml", |e, _| {
        if e.local_name().as_ref() == "calcPr" {
            full = matches!(attr(e, "fullCalcOnLoad").as_deref(), Some("1" | "true"));
            return false;
        }
        true
    });
    full
}

/// Whether a sheet part's bytes may mark a row or column hidden or hold a
/// formula: they contain `hidden=` or the start of an `f` element (`<f>`,
/// `<f `, with or without a namespace prefix). A streaming byte search,
/// much cheaper than the XML pass it spares for the many lists with
/// neither. `None` when the part cannot be read.
fn may_mark_hidden_or_hold_formulas(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, part: &str) -> Option<bool> {
    use std::io::Read;
    const PATTERNS: [&[u8]; 5] = [b"hidden=", b"<f>", b"<f ", b":f>", b":f "];
    const OVERLAP: usize = 8;
    let finders: Vec<memchr::memmem::Finder<'_>> = PATTERNS.iter().map(memchr::memmem::Finder::new).collect();
    let mut entry = zip.by_name(part).ok()?;
    let mut buf = vec![0u8; 64 * 1024 + OVERLAP];
    // The last bytes of the previous chunk, so that a pattern across two chunks is found.
    let mut kept = 0usize;
    loop {
        let n = entry.read(&mut buf[kept..]).ok()?;
        if n == 0 {
            return Some(false);
        }
        let filled = kept + n;
        if finders.iter().any(|f| f.find(&buf[..filled]).is_some()) {
            return Some(true);
        }
        kept = filled.min(OVERLAP);
        buf.copy_within(filled - kept..filled, 0);
    }
}

/// Most hidden rows kept (more are counted as such only in the first
/// [`MAX_ROWS`] rows anyway).
const MAX_HIDDEN: usize = MAX_ROWS;

/// The hidden rows and columns of sheet `name`, or none when the parts
/// cannot be found (the rows are still imported; only the note is missing).
fn hidden_rows_and_columns(bytes: &[u8], name: &str) -> Hidden {
    let mut hidden = Hidden::default();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return hidden };
    // The sheet's relationship id, then its part.
    let mut id = None;
    each(&mut zip, "xl/workbook.xml", |e, _| {
        if e.local_name().as_ref() == "sheet" && attr(e, "name").as_deref() == Some(name) {
            id = attr(e, "id");
            return false;
        }
        true
    });
    let Some(id) = id else { return hidden };
    let mut target = None;
    each(&mut zip, "xl/_rels/workbook.xml.rels", |e, _| {
        if e.local_name().as_ref() == "Relationship" && attr(e, "Id").as_deref() == Some(id.as_str()) {
            target = attr(e, "Target");
            return false;
        }
        true
    });
    let Some(target) = target else { return hidden };
    let part = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("xl/{target}"),
    };
    match may_mark_hidden_or_hold_formulas(&mut zip, &part) {
        // Nothing to find: the XML pass is spared (most lists).
        Some(false) => {
            hidden.read = true;
            return hidden;
        }
        Some(true) => {}
        None => return hidden,
    }
    let mut next_row = 0u32;
    let mut formulas = false;
    let read = each(&mut zip, &part, |e, _| {
        let is_hidden = |e: &quick_xml::events::BytesStart<'_>| matches!(attr(e, "hidden").as_deref(), Some("1" | "true"));
        match e.local_name().as_ref() {
            "row" => {
                let r = attr(e, "r").and_then(|r| r.parse::<u32>().ok()).map_or(next_row, |r| r.saturating_sub(1));
                next_row = r.saturating_add(1);
                if is_hidden(e) && hidden.rows.len() < MAX_HIDDEN {
                    hidden.rows.push(r);
                }
            }
            "f" => formulas = true,
            "col" if is_hidden(e) => {
                let n = |k: &str| attr(e, k).and_then(|v| v.parse::<u32>().ok());
                if let (Some(min), Some(max)) = (n("min"), n("max")) {
                    if min >= 1 && max >= min && hidden.columns.len() < MAX_COLUMNS {
                        hidden.columns.push((min - 1, max - 1));
                    }
                }
            }
            _ => {}
        }
        true
    });
    hidden.rows.sort_unstable();
    hidden.rows.dedup();
    hidden.read = read.is_some();
    hidden.formulas = formulas;
    hidden
}

/// A formula cell saved without its calculated value.
#[derive(Debug)]
struct Uncalculated {
    /// 0-based row.
    row: u32,
    /// 0-based column.
    col: u32,
    /// The formula's text, `=` first.
    formula: String,
    /// Whether it has a saved result, 0, that only holds the place of one
    /// (the workbook asks to be recalculated on opening; see
    /// [`recalculated_on_load`]); otherwise it has none at all.
    placeholder: bool,
}

/// Longest formula text kept for a problem, in characters.
const MAX_FORMULA_CHARS: usize = 100;

/// The formula cells of a sheet that have no calculated value, in sheet
/// order: no cached value at all (`<f>` without `<v>`: openpyxl), or, when
/// `placeholders` (the workbook asks to be recalculated on opening), a
/// cached 0, which XlsxWriter and rust_xlsxwriter save for every formula
/// they do not calculate. Excel and WPS save the value of every formula;
/// read as it is, such a cell would be empty, or 0 (revenue ¥0 qualifies
/// for a small-enterprise policy). A formula whose value is an empty text
/// (`=IF(A2="","",A2)`) has a value and is not listed.
fn formulas_without_value(wb: &mut Xlsx<Cursor<&[u8]>>, name: &str, placeholders: bool) -> Result<Vec<Uncalculated>, BatchError> {
    let mut reader = wb.worksheet_cells_reader(name).map_err(|e| BatchError::Xlsx(e.to_string()))?;
    // Shared formulas by index: (template, its first cell).
    let mut shared: Vec<(usize, String, (u32, u32))> = Vec::new();
    let mut out = Vec::new();
    while let Some(rec) = reader.next_cell_with_formula_metadata().map_err(|e| BatchError::Xlsx(e.to_string()))? {
        let Some(meta) = rec.formula else { continue };
        let placeholder = match rec.value {
            DataRef::Empty => false,
            DataRef::Float(f) if placeholders && f == 0.0 => true,
            DataRef::Int(0) if placeholders => true,
            _ => {
                // Keep the template of a shared formula with a value: its derived cells may have none.
                if let XlsxFormulaMetadata::Shared { shared_index, range, formula } = meta {
                    shared.retain(|(i, _, _)| *i != shared_index);
                    shared.push((shared_index, formula, range.map_or(rec.pos, |r| r.start)));
                }
                continue;
            }
        };
        let text = match meta {
            XlsxFormulaMetadata::Normal { formula } => formula,
            XlsxFormulaMetadata::Shared { shared_index, range, formula } => {
                shared.retain(|(i, _, _)| *i != shared_index);
                shared.push((shared_index, formula.clone(), range.map_or(rec.pos, |r| r.start)));
                formula
            }
            XlsxFormulaMetadata::SharedDerived { shared_index } => {
                shared.iter().find(|(i, _, _)| *i == shared_index).and_then(|(_, f, start)| expand_shared_formula(f, *start, rec.pos).ok()).unwrap_or_default()
            }
            _ => String::new(),
        };
        let mut formula = format!("={}", text.trim_start_matches('='));
        if formula.chars().count() > MAX_FORMULA_CHARS {
            formula = format!("{}…", formula.chars().take(MAX_FORMULA_CHARS).collect::<String>());
        }
        if out.len() >= MAX_ROWS.saturating_mul(64) {
            return Err(BatchError::Limit(format!("sheet `{name}` has more than {} formula cells", MAX_ROWS.saturating_mul(64))));
        }
        out.push(Uncalculated { row: rec.pos.0, col: rec.pos.1, formula, placeholder });
    }
    Ok(out)
}

/// A cell's text.
fn cell_text(v: &DataRef<'_>) -> String {
    match v {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::Bool(b) => (if *b { "TRUE" } else { "FALSE" }).to_string(),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            if (hh, mm, ss) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
            }
        }
        DataRef::DateTime(dt) => float_text(dt.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
    }
}

/// Whether an Excel number format shows numbers as percents (`0%`,
/// `0.00%`, `#,##0.0%`), ignoring a `%` in quoted text or escaped.
fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for ch in code.chars() {
        match ch {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// A number's text as the percent a percent format shows: `0.455` →
/// `45.5%` (exact: the decimal point moves two places).
fn as_percent(text: &str) -> Option<String> {
    let d: rust_decimal::Decimal = text.parse().ok()?;
    let p = d.checked_mul(rust_decimal::Decimal::ONE_HUNDRED)?.normalize();
    Some(format!("{p}%"))
}

/// How a number format shows a number other than as its value: divided
/// by 10^`exp` (each trailing `,` divides by 1,000; the digits after a
/// literal point, `0!.0000` or `0"."0000`, divide by 10 each: the way
/// Chinese spreadsheets show yuan as 万元) and followed by a unit
/// (`0.00"万元"`, `0"人"`).
#[derive(Clone, Debug, PartialEq)]
struct Shown {
    exp: u32,
    /// The money unit after the number (`万元`, `元`), if any.
    suffix: String,
}

/// How the first section of a number format code shows a number (see
/// [`Shown`]), or `None` when it shows the value itself (`0.00`,
/// `#,##0`, `General`), or is a date, time, text, percent or scientific
/// format.
fn shown_format(code: &str) -> Option<Shown> {
    let mut chars = code.chars();
    let mut placeholders = false;
    let mut real_point = false;
    // Digits after a literal point, once one is seen.
    let mut after_literal_point: Option<u32> = None;
    let mut commas = 0u32;
    let mut suffix = String::new();
    let literal = |text: &str, placeholders: bool, real_point: bool, after: &mut Option<u32>, suffix: &mut String| {
        if text == "." && placeholders && !real_point && after.is_none() {
            *after = Some(0);
        } else if placeholders {
            suffix.push_str(text);
        }
    };
    while let Some(c) = chars.next() {
        match c {
            ';' => break,
            '"' => {
                let text: String = chars.by_ref().take_while(|&d| d != '"').collect();
                literal(&text, placeholders, real_point, &mut after_literal_point, &mut suffix);
            }
            '\\' | '!' => {
                if let Some(d) = chars.next() {
                    literal(d.encode_utf8(&mut [0; 4]), placeholders, real_point, &mut after_literal_point, &mut suffix);
                }
            }
            '[' => {
                chars.by_ref().take_while(|&d| d != ']').for_each(drop);
            }
            '_' | '*' => {
                chars.next();
            }
            '0' | '#' | '?' => {
                placeholders = true;
                commas = 0;
                suffix.clear();
                if let Some(n) = after_literal_point.as_mut() {
                    *n += 1;
                }
            }
            '.' => {
                if after_literal_point.is_some() {
                    return None;
                }
                real_point = true;
            }
            ',' if placeholders => commas += 1,
            c if c.is_ascii_alphabetic() || c == '%' || c == '@' || c == '/' => return None,
            c => literal(c.encode_utf8(&mut [0; 4]), placeholders, real_point, &mut after_literal_point, &mut suffix),
        }
    }
    let exp = commas.saturating_mul(3).saturating_add(after_literal_point.unwrap_or(0));
    let suffix = suffix.trim().to_string();
    // Only a money unit changes what the number means; `0"人"` is decoration.
    let suffix =
        if matches!(crate::batch::mapping::cell_unit_token(&suffix), Some(Some(u)) if u != crate::batch::CellUnit::Percent) { suffix } else { String::new() };
    (placeholders && (exp > 0 || !suffix.is_empty()) && exp <= 24).then_some(Shown { exp, suffix })
}

/// A number's text as its format shows it (see [`Shown`]), exactly: the
/// decimal point moved, not rounded to the digits shown (`12345678` in
/// `0!.0,"万"` is shown `1234.6万` and read `1234.5678万`).
fn as_shown(text: &str, f: &Shown) -> Option<String> {
    let d: rust_decimal::Decimal = text.parse().ok()?;
    let scale = rust_decimal::Decimal::from_i128_with_scale(1, f.exp);
    let n = d.checked_mul(scale)?.normalize();
    Some(format!("{n}{}", f.suffix))
}

/// The shortest decimal text of a float (`1234`, `0.15`), never exponent
/// notation, to Excel's 15 significant digits: more are the binary noise of
/// a calculation (`=0.1+0.2` is stored as 0.30000000000000004), which Excel
/// itself shows and compares as 0.3.
fn float_text(f: f64) -> String {
    if !f.is_finite() {
        return String::new();
    }
    let shortest = format!("{f}");
    let significant = shortest.bytes().filter(u8::is_ascii_digit).skip_while(|b| *b == b'0').count();
    if significant <= 15 {
        return shortest;
    }
    match rust_decimal::Decimal::from_scientific(&format!("{f:.14e}")) {
        Ok(d) => d.normalize().to_string(),
        Err(_) => shortest,
    }
}

/// Dense rows from the sparse cells: merged regions filled in, leading
/// empty columns dropped, the header found (and combined from two rows
/// when its upper row has cells merged across columns).
fn build(
    rows: SparseRows,
    merges: &[Dimensions],
    formulas: &[Uncalculated],
    hidden: &Hidden,
    sheet: String,
    sheets: Vec<String>,
    hidden_sheets: Vec<String>,
) -> Result<Table, BatchError> {
    let first_col = rows.iter().flat_map(|(_, v)| v.iter().map(|(c, _)| *c)).min().unwrap_or(0);
    let width = rows.iter().flat_map(|(_, v)| v.iter().map(|(c, _)| *c)).max().map_or(0, |m| (m - first_col + 1) as usize);
    // Fill merged regions with their top-left value (only rows that exist:
    // a region over otherwise empty rows adds nothing but its first row).
    let mut rows: Vec<(u32, Vec<String>)> = rows
        .into_iter()
        .map(|(r, v)| {
            let mut dense = vec![String::new(); width];
            for (c, t) in v {
                dense[(c - first_col) as usize] = t;
            }
            (r, dense)
        })
        .collect();
    // A placeholder result (0) is no value: the cell reads as empty, and is reported.
    for u in formulas.iter().filter(|u| u.placeholder) {
        if let (Ok(i), Some(c)) = (rows.binary_search_by_key(&u.row, |(r, _)| *r), u.col.checked_sub(first_col)) {
            if let Some(cell) = rows[i].1.get_mut(c as usize) {
                cell.clear();
            }
        }
    }
    // Each region is clipped to the rows and columns that exist. In a
    // valid file regions do not overlap, so filling them visits each cell
    // at most once; a damaged one may repeat a region over the whole grid
    // thousands of times. Regions past that budget are not filled in (and
    // noted): their cells are read as they are.
    let last_col = first_col + width.saturating_sub(1) as u32;
    let mut budget = rows.len().saturating_mul(width);
    let mut unfilled = 0usize;
    for m in merges {
        let ((r0, c0), (r1, c1)) = (m.start, (m.end.0, m.end.1.min(last_col)));
        // The region's value is its top-left cell's: none left of the data.
        if c0 < first_col || r1 < r0 || c1 < c0 {
            continue;
        }
        let Ok(top) = rows.binary_search_by_key(&r0, |(r, _)| *r) else { continue };
        let value = match rows[top].1.get((c0 - first_col) as usize) {
            Some(v) if !v.is_empty() => v.clone(),
            _ => continue,
        };
        // Only rows that exist: a region over otherwise empty rows adds nothing.
        let bottom = top + rows[top..].partition_point(|(r, _)| *r <= r1);
        let area = (bottom - top).saturating_mul((c1 - c0 + 1) as usize);
        if area > budget {
            unfilled += 1;
            continue;
        }
        budget -= area;
        for (_, cells) in &mut rows[top..bottom] {
            for cell in &mut cells[(c0 - first_col) as usize..=(c1 - first_col) as usize] {
                if cell.is_empty() {
                    cell.clone_from(&value);
                }
            }
        }
    }
    if rows.is_empty() {
        return Err(BatchError::NoHeader);
    }
    // The header combined with the row below it, when row `i` is a header of
    // labels over groups of columns: merged across (a two-row header), or
    // not merged (group labels, see `group_headers`).
    let combine = |i: usize| -> Option<Vec<String>> {
        let (header_row, upper) = (rows[i].0, &rows[i].1);
        let (sub_row, sub) = rows.get(i + 1).filter(|(r, _)| *r == header_row + 1)?;
        let horizontal = |m: &Dimensions| m.start.0 == header_row && m.end.0 == header_row && m.end.1 > m.start.1;
        if !merges.iter().any(horizontal) {
            return group_headers(upper, sub);
        }
        // Per column, whether a region merged across the header row, or down
        // into the row below, covers it: one pass over the regions (a
        // difference array), not one per column.
        let covered = |keep: &dyn Fn(&Dimensions) -> bool| -> Vec<bool> {
            let mut diff = vec![0i64; upper.len() + 1];
            for m in merges.iter().filter(|m| keep(m)) {
                let (a, b) = (m.start.1.max(first_col), m.end.1.min(last_col));
                if a <= b && ((b - first_col) as usize) < upper.len() {
                    diff[(a - first_col) as usize] += 1;
                    diff[(b - first_col) as usize + 1] -= 1;
                }
            }
            let mut n = 0;
            diff[..upper.len()]
                .iter()
                .map(|d| {
                    n += d;
                    n > 0
                })
                .collect()
        };
        let (across, down) = (covered(&horizontal), covered(&|m| m.start.0 == header_row && m.end.0 >= *sub_row));
        let under = |c: usize| across.get(c).copied().unwrap_or(false);
        let vertical = |c: usize| down.get(c).copied().unwrap_or(false);
        // A column with nothing in the upper row is named by the lower row
        // alone, if that reads as a header (not a value like `320`).
        let own = |c: usize, t: &str| upper[c].trim().is_empty() && !reads_as_value(t);
        let sub_is_header = sub.iter().enumerate().all(|(c, t)| t.trim().is_empty() || under(c) || vertical(c) || own(c, t.trim()))
            && sub.iter().enumerate().any(|(c, t)| !t.is_empty() && under(c));
        sub_is_header.then(|| {
            upper
                .iter()
                .zip(sub)
                .enumerate()
                .map(|(c, (top, low))| match (top.trim(), low.trim()) {
                    (top, "") => top.to_string(),
                    (top, low) if under(c) && !vertical(c) && !top.is_empty() => format!("{top}/{low}"),
                    ("", low) => low.to_string(),
                    (top, _) => top.to_string(),
                })
                .collect()
        })
    };
    let lead: Vec<&[String]> = rows.iter().take(MAX_TITLE_ROWS + 1).map(|(_, v)| v.as_slice()).collect();
    // A single label that does not start at the left (`财务数据（万元）` over
    // two columns) is a group label, not a title.
    let h = title_rows(&lead, |i| starts_after_first_column(lead[i]) && combine(i).is_some());
    let (title, mut notes) = titles(&rows[..h].iter().map(|(n, v)| (n + 1, v.as_slice())).collect::<Vec<_>>(), rows[h].0 + 1);
    if unfilled > 0 {
        notes.push((
            format!("{unfilled} merged cell region(s) overlap others (the file may be damaged) and are not filled in: their cells are read as they are"),
            format!("有 {unfilled} 处合并单元格与其他合并单元格重叠（文件可能已损坏），未按合并后的值填入：这些单元格按原样读取"),
        ));
    }
    let header_row = rows[h].0;
    let mut headers = rows[h].1.clone();
    let mut header_rows = vec![header_row + 1];
    let mut data_start = h + 1;
    if let Some(combined) = combine(h) {
        let sub_row = rows[h + 1].0;
        headers = combined;
        notes.push(two_row_note(header_row + 1, sub_row + 1));
        header_rows.push(sub_row + 1);
        data_start = h + 2;
    }
    while headers.last().is_some_and(|t| t.trim().is_empty())
        && headers.len() > 1
        && rows[data_start..].iter().all(|(_, v)| v.last().is_none_or(|c| c.is_empty()))
    {
        headers.pop();
        for (_, v) in rows.iter_mut() {
            v.pop();
        }
    }
    // Merged cells among the enterprises: each cell of the region reads the
    // region's value (one 企业规模 for three rows, one figure for two
    // columns); say where, so that staff can check it is meant.
    if let Some(&(first_data, _)) = rows.get(data_start) {
        let regions: Vec<String> = merges
            .iter()
            .filter(|m| m.start.0 >= first_data && (m.end.0 > m.start.0 || m.end.1 > m.start.1) && m.end.1 >= first_col)
            .filter(|m| {
                rows.binary_search_by_key(&m.start.0, |(r, _)| *r)
                    .ok()
                    .and_then(|i| rows[i].1.get(m.start.1.saturating_sub(first_col) as usize))
                    .is_some_and(|v| !v.trim().is_empty() && !super::is_totals_label(v))
            })
            .map(|m| format!("{}{}:{}{}", column_letter(m.start.1 as usize), m.start.0 + 1, column_letter(m.end.1 as usize), m.end.0 + 1))
            .collect();
        if !regions.is_empty() {
            let n = regions.len();
            let shown = regions.iter().take(5).cloned().collect::<Vec<_>>();
            let more = if n > 5 { "…" } else { "" };
            notes.push((
                format!(
                    "{n} merged cell region(s) among the enterprises ({}{more}): every cell of a region is read with its value; check that this is meant",
                    shown.join(", ")
                ),
                format!("企业数据中有 {n} 处合并单元格（{}{more}）：合并范围内的每个单元格都按合并后的值读取，请核对是否如此", shown.join("、")),
            ));
        }
    }
    if let Some(u) = formulas.first() {
        let (n, f) = (formulas.len(), &u.formula);
        let cell = format!("{}{}", column_letter(u.col as usize), u.row + 1);
        let (why, why_zh) = if formulas.iter().any(|u| u.placeholder) {
            (
                " (the file was written by a tool that does not calculate: it asks to be recalculated on opening, and its saved results of 0 only hold the place)",
                "（文件由不计算公式的工具写出，要求打开时重新计算，保存的结果 0 只是占位）",
            )
        } else {
            ("", "")
        };
        notes.push((
            format!(
                "{n} formula cell(s) of sheet `{sheet}` were saved without a calculated value{why} (the first is {cell}: `{f}`); they are read as empty. Open the file in Excel or WPS and save it, then import it again"
            ),
            format!("工作表“{sheet}”中有 {n} 个公式单元格没有计算结果{why_zh}（第一个为 {cell}：{f}），按空白读取。请在 Excel 或 WPS 中打开并保存后再导入"),
        ));
    }
    let source = Source { format: SourceFormat::Xlsx, encoding: None, delimiter: None, sheet: Some(sheet.clone()), sheets, hidden_sheets, header_rows, title };
    let mut b = Builder::new(headers, source, notes, false)?;
    let mut prev = rows.get(data_start.saturating_sub(1)).map_or(0, |(r, _)| *r);
    let mut formulas = formulas.iter().peekable();
    for (r, cells) in &rows[data_start..] {
        // Rows with no cell at all are blank rows too.
        b.blank_rows += (r.saturating_sub(prev).saturating_sub(1)) as usize;
        prev = *r;
        let kept = b.lines.len();
        b.push(r + 1, cells.iter().map(String::as_str))?;
        // The formula cells of this row, if it is read as an enterprise.
        while formulas.peek().is_some_and(|u| u.row < *r) {
            formulas.next();
        }
        while let Some(u) = formulas.next_if(|u| u.row == *r) {
            if b.lines.len() == kept {
                continue;
            }
            let (c, f) = (&u.col, &u.formula);
            let (why, why_zh) = if u.placeholder {
                (
                    " (its saved result, 0, only holds the place: the file asks to be recalculated on opening)",
                    "（保存的结果 0 只是占位，文件要求打开时重新计算）",
                )
            } else {
                ("", "")
            };
            let index = c.checked_sub(first_col).map(|i| i as usize).filter(|&i| i < b.headers.len());
            let column = index.map_or_else(|| format!("({})", column_letter(*c as usize)), |i| b.headers[i].clone());
            let cell = format!("{}{}", column_letter(*c as usize), r + 1);
            b.row_problems.push(RowProblem {
                kind: "formula-without-value",
                row: r + 1,
                column,
                column_index: index,
                raw: f.clone(),
                message: format!(
                    "cell {cell} of sheet `{sheet}` holds the formula `{f}` saved without its calculated value{why}; it is read as not provided. Open the file in Excel or WPS and save it, then import it again"
                ),
                message_zh: format!("工作表“{sheet}”单元格 {cell}（{f}）：公式没有计算结果{why_zh}，请在 Excel 中打开并保存后再导入；此格按未提供处理"),
            });
        }
    }
    hidden_notes(&mut b, hidden, first_col);
    Ok(b.finish())
}

/// Notes for the hidden rows read as enterprises and the hidden columns
/// with a header: they are imported like the others (a filter or a
/// collapsed group hides them on screen, not from the list), and staff
/// should know that what they did not see counted.
fn hidden_notes(b: &mut Builder, hidden: &Hidden, first_col: u32) {
    if !hidden.rows.is_empty() {
        // Only rows read as enterprises (not blank, totals or unit rows).
        let kept: Vec<u32> = b.lines.iter().copied().filter(|&line| line > 0 && hidden.rows.binary_search(&(line - 1)).is_ok()).collect();
        if !kept.is_empty() {
            let n = kept.len();
            let shown: Vec<String> = kept.iter().take(10).map(u32::to_string).collect();
            let more = if n > 10 { "…" } else { "" };
            b.notes.push((
                format!(
                    "{n} hidden row(s) (rows {}{more}; hidden by hand, by a filter or in a collapsed group) are imported as enterprises like the others",
                    shown.join(", ")
                ),
                format!("有 {n} 行是隐藏的行（第 {}{more} 行；手动隐藏、筛选隐藏或折叠的分组），与其他行一样作为企业导入", shown.join("、")),
            ));
        }
    }
    let cols: Vec<(String, String)> = b
        .headers
        .iter()
        .enumerate()
        .filter(|(i, _)| hidden.column(first_col + *i as u32))
        .map(|(i, h)| (h.clone(), column_letter((first_col + i as u32) as usize)))
        .collect();
    if !cols.is_empty() {
        let en: Vec<String> = cols.iter().map(|(h, l)| format!("`{h}` ({l})")).collect();
        let zh: Vec<String> = cols.iter().map(|(h, l)| format!("“{h}”（{l} 列）")).collect();
        b.notes.push((format!("hidden column(s) {} are imported like the others", en.join(", ")), format!("隐藏的列{}与其他列一样导入", zh.join("、"))));
    }
}

#[cfg(test)]
mod tests {
    use super::{as_percent, as_shown, float_text, is_percent_format, may_mark_hidden_or_hold_formulas, shown_format, Shown};

    /// The byte search finds its patterns anywhere, also across the
    /// boundary of two 64 KiB chunks, and reports a part without them.
    #[test]
    fn the_byte_search_for_hidden_marks_and_formulas() {
        use std::io::Write;
        let part = |text: &str| {
            let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            zip.start_file("s.xml", zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
            zip.finish().unwrap().into_inner()
        };
        let pad = |n: usize| "x".repeat(n);
        for (text, want) in [
            (format!("<row r=\"1\">{}</row>", pad(100)), false),
            (format!("{}<row hidden=\"1\">", pad(65_536 - 8)), true),
            (format!("{}<row hidden=\"1\">", pad(65_536 - 3)), true),
            (format!("{}<c><f>A1</f></c>", pad(65_536 - 5)), true),
            (format!("{}<x:f t=\"shared\" si=\"0\"/>", pad(200_000)), true),
            (format!("{}<font/>", pad(70_000)), false),
        ] {
            let bytes = part(&text);
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.as_slice())).unwrap();
            assert_eq!(may_mark_hidden_or_hold_formulas(&mut zip, "s.xml"), Some(want), "{}", &text[text.len().saturating_sub(40)..]);
            assert_eq!(may_mark_hidden_or_hold_formulas(&mut zip, "missing.xml"), None);
        }
    }

    #[test]
    fn number_formats_that_scale_or_add_a_unit() {
        let f = |exp: u32, suffix: &str| Some(Shown { exp, suffix: suffix.to_string() });
        for (code, want) in [
            ("0.00\"万元\"", f(0, "万元")),
            ("#,##0.00 \"元\"", f(0, "元")),
            ("#,##0,", f(3, "")),
            ("#,##0.0,,\"百万元\"", f(6, "百万元")),
            ("0!.0000\"万元\"", f(4, "万元")),
            ("0\\.0000", f(4, "")),
            ("0\".\"0,\"万\"", f(4, "万")),
            ("[Red]#,##0,\"千元\";[Blue]-#,##0,\"千元\"", f(3, "千元")),
            // The value itself: no scale, no unit (a note that is no unit is decoration).
            ("0.00", None),
            ("#,##0", None),
            ("\"¥\"#,##0.00", None),
            ("#,##0.00_);(#,##0.00)", None),
            ("0\"家企业\"", None),
            ("0\"人\"", None),
            ("General", None),
            ("yyyy\"年\"m\"月\"d\"日\"", None),
            ("0.00%", None),
            ("0.00E+00", None),
            ("@", None),
        ] {
            assert_eq!(shown_format(code), want, "{code}");
        }
        let shown = |exp: u32, suffix: &str| Shown { exp, suffix: suffix.to_string() };
        assert_eq!(as_shown("12345678", &shown(4, "万元")).as_deref(), Some("1234.5678万元"));
        assert_eq!(as_shown("12345000", &shown(3, "")).as_deref(), Some("12345"));
        assert_eq!(as_shown("320", &shown(0, "万元")).as_deref(), Some("320万元"));
        assert_eq!(as_shown("-1500", &shown(3, "千元")).as_deref(), Some("-1.5千元"));
    }

    #[test]
    fn percent_formats() {
        for (code, want) in
            [("0%", true), ("0.00%", true), ("#,##0.0%;[Red]-#,##0.0%", true), ("0.00\"%\"", false), ("0\\%", false), ("General", false), ("yyyy-mm-dd", false)]
        {
            assert_eq!(is_percent_format(code), want, "{code}");
        }
        assert_eq!(as_percent("0.455").as_deref(), Some("45.5%"));
        assert_eq!(as_percent("1").as_deref(), Some("100%"));
        assert_eq!(as_percent("0.0001").as_deref(), Some("0.01%"));
    }

    #[test]
    fn floats_to_excels_fifteen_digits() {
        for (f, want) in [
            (0.1 + 0.2, "0.3"),
            (1234.5678, "1234.5678"),
            (300.00000000000006, "300"),
            (4999.99 * 10_000.0, "49999900"),
            (1.0 / 3.0, "0.333333333333333"),
            (123456789012345.0, "123456789012345"),
            (-0.000123, "-0.000123"),
            (1e20, "100000000000000000000"),
            (f64::NAN, ""),
        ] {
            assert_eq!(float_text(f), want, "{f:?}");
        }
    }
}
