//! Batch 政策找人: from a zone's enterprise spreadsheet to per-policy push lists.
//!
//! Zone staff hold a spreadsheet of the enterprises in their zone, exported
//! from their own systems with their own column names and messy cells. The
//! batch pipeline turns it into, for each policy, the enterprises that
//! qualify, those that might (with exactly which fields to ask each for),
//! and exportable push lists. Everything runs locally: the library takes
//! bytes and returns bytes, never touching the file system, so the same
//! code runs natively (the `policy-match batch` CLI) and in the browser
//! (wasm, in a Web Worker).
//!
//! The steps:
//!
//! 1. [`import`](mod@import): CSV (UTF-8, UTF-16 or GBK/GB18030, detected) or XLSX bytes
//!    to a [`Table`] of text cells with the spreadsheet's row numbers.
//! 2. [`mapping`]: [`auto_map`] proposes a column → field [`Mapping`] from
//!    the headers (field names, aliases, zh and en labels, years and unit
//!    suffixes such as `（万元）`); the user confirms or edits it; it is saved
//!    and reused as JSON; [`Mapping::resolve`] checks it against a catalogue.
//! 3. [`validate`]: each row becomes a [`Profile`](crate::matching::Profile);
//!    every bad cell is a [`CellIssue`] with row, column and raw value, and
//!    counts as not provided while the row's other cells still count.
//! 4. [`run`](mod@run): verdicts for every enterprise × policy, the per-policy
//!    [`Summary`], and for qualifying and undecided pairs the reasons,
//!    missing fields and benefit ([`BatchResult::push_list`]).
//! 5. [`export`]: push lists, the result matrix, the summary and the
//!    problems as CSV (UTF-8 with BOM, for Excel) or XLSX.
//!
//! # Example
//! ```
//! use policy_match::batch::{self, BatchOptions};
//! use policy_match::catalogue::Catalogue;
//!
//! let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1",
//!   "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
//!   "fields": [{"name": "revenue_cny", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
//!   "policies": [{"id": "small", "title": {"zh": "小微", "en": "Small"}, "issuer": {"zh": "局", "en": "Bureau"},
//!     "category": "tax", "criteria": [{"id": "C1", "description": {"zh": "收入不超过500万元", "en": "Revenue ≤ ¥5m"},
//!     "rule": {"<=": [{"var": "revenue_cny"}, 5000000]}}]}]}"#)?;
//! let csv = "企业名称,营业收入（万元）\n甲公司,320\n乙公司,\n丙公司,很多\n";
//! let table = batch::import(csv.as_bytes(), &Default::default())?;
//! let mapping = batch::auto_map(&cat, &table.headers);
//! assert_eq!(mapping.key_column.as_deref(), Some("企业名称"));
//! let resolved = mapping.resolve(&cat, &table)?;
//! let result = batch::run(&cat, &table, &resolved, &BatchOptions::new("2026-07-01".parse()?));
//! let s = &result.summary(&cat).policies[0];
//! assert_eq!((s.qualifies, s.undecided, s.does_not_qualify), (1, 2, 0));
//! assert_eq!(result.issues[0].row, 4); // "很多" is not a number: listed, and read as not provided
//! let list = result.push_list(&cat, 0);
//! assert_eq!(list[0].row, 0); // 甲公司 (3.2 million yuan) qualifies
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod export;
pub mod import;
pub mod mapping;
pub mod run;
pub mod session;
pub mod validate;

pub use crate::Lang;
pub use export::ExportOptions;
pub use import::{import, ImportOptions, Source, SourceFormat, Table};
pub use mapping::{auto_map, auto_map_table, import_for, CellUnit, ColumnMapping, Mapping, MatchKind, Resolved, MAPPING_FORMAT};
pub use run::{run, run_with_progress, BatchOptions, BatchResult, ColumnIssues, Detail, PolicySummary, PushEntry, Runner, Summary};
pub use validate::CellIssue;

/// Largest input file accepted (CSV or XLSX), 100 MiB. A 50,000-row
/// enterprise list is a few MiB; larger files are refused with
/// [`BatchError::TooLarge`] before anything is parsed.
pub const MAX_INPUT_BYTES: usize = 100 * 1024 * 1024;

/// Most data rows in one table.
pub const MAX_ROWS: usize = 1_000_000;

/// Most columns in one table.
pub const MAX_COLUMNS: usize = 1000;

/// Longest cell, in bytes (Excel's own limit is 32,767 characters).
pub const MAX_CELL_BYTES: usize = 32 * 1024;

/// Most uncompressed bytes an XLSX file may expand to (a guard against
/// zip bombs), 1 GiB.
pub const MAX_XLSX_UNCOMPRESSED_BYTES: u64 = 1024 * 1024 * 1024;

/// Largest mapping file, 1 MiB.
pub const MAX_MAPPING_BYTES: usize = 1024 * 1024;

/// Why a batch step could not run at all. Problems with single cells are
/// never errors: they are [`CellIssue`]s.
///
/// # Example
/// ```
/// use policy_match::batch::{self, BatchError, ImportOptions, SourceFormat};
/// let opts = ImportOptions { format: Some(SourceFormat::Xlsx), sheet: None };
/// let e = batch::import(b"name,staff\n", &opts).unwrap_err(); // CSV text read as a workbook
/// assert!(matches!(e, BatchError::Xlsx(_)));
/// assert_eq!(e.kind(), "xlsx");
/// ```
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum BatchError {
    /// The input is larger than the limit.
    #[error("the file is {size} bytes ({}); the limit is {limit} bytes ({}). Split the list into smaller files", mib(*size as u64), mib(*limit as u64))]
    TooLarge {
        /// Its size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The text is in no supported encoding.
    #[error("{0}")]
    Encoding(String),
    /// A CSV file in two encodings: UTF-8 up to a line, then not (GBK
    /// lines pasted under a UTF-8 header). Decoded as GBK, its UTF-8 part
    /// would turn to gibberish, so it is refused.
    #[error("the file mixes encodings: it starts in UTF-8 (Chinese text) but line {line} is not UTF-8 (it looks like GBK, as Excel's 中文 CSV writes it); save the whole list as one file in one encoding, e.g. \"CSV UTF-8\"")]
    MixedEncoding {
        /// The 1-based line of the first byte that is not UTF-8.
        line: u64,
    },
    /// An unreadable CSV.
    #[error("CSV line {line}: {message}")]
    Csv {
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// An unreadable XLSX workbook.
    #[error("XLSX: {0}")]
    Xlsx(String),
    /// The requested sheet does not exist.
    #[error("no sheet `{name}` in the workbook; its sheets are: {}", available.join(", "))]
    SheetNotFound {
        /// The name asked for.
        name: String,
        /// The workbook's sheets.
        available: Vec<String>,
    },
    /// No header row: the file (or sheet) is empty.
    #[error("no header row: the file has no non-blank row")]
    NoHeader,
    /// More data rows than [`MAX_ROWS`]: nothing is read.
    #[error("the list has more than {limit} data rows; none is read. Split the list into smaller files")]
    TooManyRows {
        /// The limit, [`MAX_ROWS`].
        limit: usize,
    },
    /// A size limit other than the file size was exceeded.
    #[error("{0}")]
    Limit(String),
    /// The mapping file is invalid or does not fit the catalogue.
    #[error("mapping: {}", .0.join("; "))]
    Mapping(Vec<String>),
    /// Writing an export failed.
    #[error("export: {0}")]
    Export(String),
}

impl BatchError {
    /// A stable kebab-case name for the kind.
    ///
    /// # Example
    /// ```
    /// use policy_match::batch::{BatchError, MAX_ROWS};
    /// assert_eq!(BatchError::TooManyRows { limit: MAX_ROWS }.kind(), "too-many-rows");
    /// assert_eq!(BatchError::MixedEncoding { line: 7 }.kind(), "mixed-encoding");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            BatchError::TooLarge { .. } => "too-large",
            BatchError::Encoding(_) => "encoding",
            BatchError::MixedEncoding { .. } => "mixed-encoding",
            BatchError::Csv { .. } => "csv",
            BatchError::Xlsx(_) => "xlsx",
            BatchError::SheetNotFound { .. } => "sheet-not-found",
            BatchError::NoHeader => "no-header",
            BatchError::TooManyRows { .. } => "too-many-rows",
            BatchError::Limit(_) => "limit",
            BatchError::Mapping(_) => "mapping",
            BatchError::Export(_) => "export",
        }
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Check an input's size before parsing it.
///
/// # Errors
/// [`BatchError::TooLarge`] when `size` exceeds [`MAX_INPUT_BYTES`].
///
/// # Example
/// ```
/// use policy_match::batch::{check_size, MAX_INPUT_BYTES};
/// assert!(check_size(MAX_INPUT_BYTES as u64).is_ok());
/// let e = check_size(MAX_INPUT_BYTES as u64 + 1).unwrap_err();
/// assert_eq!(e.kind(), "too-large");
/// assert!(e.to_string().ends_with("the limit is 104857600 bytes (100.0 MiB). Split the list into smaller files"));
/// ```
pub fn check_size(size: u64) -> Result<(), BatchError> {
    if size > MAX_INPUT_BYTES as u64 {
        return Err(BatchError::TooLarge { size: usize::try_from(size).unwrap_or(usize::MAX), limit: MAX_INPUT_BYTES });
    }
    Ok(())
}

/// What makes Excel or WPS read a CSV cell as a formula (OWASP "CSV
/// injection"): its text starts with one of these, after any `'`.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a cell's text would open as a formula: it starts with one of
/// [`FORMULA_START`], after any leading `'` (so that a cell that already
/// starts with `'=` keeps its `'` through an export and a re-import).
fn formula_like(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA_START)
}

/// A plain number (`-1234.5`, `+1,000`, `-3.5%`): a spreadsheet reads it as
/// a number, never as a formula, so it is exported as it is.
fn plain_number(cell: &str) -> bool {
    let d = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let d = d.strip_suffix('%').unwrap_or(d);
    d.bytes().any(|b| b.is_ascii_digit()) && d.bytes().all(|b| b.is_ascii_digit() || b == b',' || b == b'.') && d.bytes().filter(|&b| b == b'.').count() <= 1
}

/// A CSV cell safe to open in Excel or WPS: text that would open as a
/// formula (OWASP "CSV injection": it starts with `=`, `+`, `-`, `@`, a tab
/// or a carriage return, after any `'`) gets a leading `'`; plain numbers
/// do not. The CSV importer takes the `'` off again, so that an exported
/// cell re-imports unchanged (a cell that starts with `'=` gets a second
/// `'` and keeps its own).
///
/// # Example
/// ```
/// use policy_match::batch::neutralise;
/// assert_eq!(neutralise("=HYPERLINK(\"http://x\",\"y\")"), "'=HYPERLINK(\"http://x\",\"y\")");
/// assert_eq!(neutralise("-比较"), "'-比较");
/// assert_eq!(neutralise("-1234.5"), "-1234.5");
/// assert_eq!(neutralise("甲公司"), "甲公司");
/// ```
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if formula_like(cell) && !plain_number(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A CSV cell as it was before [`neutralise`]: one leading `'` taken off
/// when what follows would open as a formula.
pub(crate) fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => cell,
    }
}

/// Excel-style column letters for a 0-based index: 0 → `A`, 27 → `AB`.
///
/// # Example
/// ```
/// use policy_match::batch::column_letter;
/// assert_eq!([column_letter(0), column_letter(25), column_letter(26), column_letter(702)], ["A", "Z", "AA", "AAA"]);
/// ```
pub fn column_letter(mut index: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    s.reverse();
    String::from_utf8_lossy(&s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::{neutralise, unneutralise, FORMULA_START};

    /// Every short text over the characters that matter: what is written
    /// never opens as a formula (plain numbers aside), and reads back as it was.
    #[test]
    fn neutralised_cells_never_open_as_formulas_and_read_back_unchanged() {
        let alphabet = ['\'', '=', '-', '+', '@', '\t', '1', '.', ',', '%', 'a'];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts.iter().flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}"))).collect();
            texts.extend(longer);
        }
        texts.sort();
        texts.dedup();
        for t in &texts {
            let out = neutralise(t);
            // A number with a sign, thousands separators or a percent sign, as a spreadsheet reads it.
            let number = t.strip_prefix(['-', '+']).is_some_and(|d| d.strip_suffix('%').unwrap_or(d).replace(',', "").parse::<f64>().is_ok());
            assert!(!out.starts_with(FORMULA_START) || number, "{t:?} → {out:?}");
            assert_eq!(unneutralise(&out), t, "{t:?} → {out:?}");
        }
        assert_eq!(neutralise("-1234.5"), "-1234.5");
        assert_eq!(neutralise("\r\n=x"), "'\r\n=x");
    }
}
