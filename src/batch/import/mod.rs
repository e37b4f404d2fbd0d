//! Import an enterprise list: CSV or XLSX bytes to a [`Table`] of text cells.
//!
//! - The format is detected from the bytes (an XLSX file is a zip archive).
//! - CSV: the encoding is detected ([`decode`]: UTF-8, UTF-16, GBK/GB18030, Windows-1252)
//!   and so is the delimiter (`,`, tab or `;`, from the header line). Quoted
//!   cells may contain delimiters and line breaks.
//! - XLSX: the first sheet with data, or a named one; dates stored as
//!   numbers become ISO dates; merged cells are filled in; a two-row header
//!   whose upper cells are merged across columns (`营业收入（万元）` over
//!   `2024年 | 2025年`) becomes one header per column
//!   (`营业收入（万元）/2025年`).
//! - CSV or XLSX: a row of group labels over the header, each over its
//!   column and the empty ones after it (`企业信息,,,财务数据（万元）,,` over
//!   `序号,企业名称,…`), makes a two-row header too:
//!   `财务数据（万元）/营业收入` (the mapping applies the label's unit).
//! - The header is the first non-blank row, unless that row holds a single
//!   cell and the next one several (a title row such as `某园区企业名单`,
//!   which is skipped and noted; up to three such rows).
//! - Blank rows are skipped and counted, and so are template rows that hold
//!   only a number in a serial-number column (`序号`, `No.`), with a note;
//!   a totals row (first cell `合计`, `总计`, `小计`, `total`) is skipped and
//!   noted, and so is a row that repeats the header (lists pasted one
//!   under another); empty headers are named after their column letter (`(C)`) and
//!   duplicates get a suffix (`名称 (2)`), so every column has a unique name
//!   for the mapping.
//! - CSV: a leading `'` that an export put before text that would open as
//!   a formula is taken off ([`crate::batch::neutralise`]).
//!
//! Cells are kept as text exactly as read; conversion to field values
//! happens in [`crate::batch::validate`].

mod csv;
mod encoding;
mod xlsx;

pub use self::csv::import_csv;
pub use self::encoding::decode;
pub use self::xlsx::import_xlsx;

use serde::Serialize;

use super::{column_letter, BatchError, MAX_CELL_BYTES, MAX_COLUMNS, MAX_ROWS};

/// The format of an input file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    /// Delimited text.
    Csv,
    /// An Excel workbook (Office Open XML).
    Xlsx,
}

impl SourceFormat {
    /// The format of `bytes`: XLSX when they start like a zip archive, CSV
    /// otherwise.
    ///
    /// # Example
    /// ```
    /// use policy_match::batch::SourceFormat;
    /// assert_eq!(SourceFormat::detect(b"PK\x03\x04..."), SourceFormat::Xlsx);
    /// assert_eq!(SourceFormat::detect("企业名称,职工人数\n".as_bytes()), SourceFormat::Csv);
    /// ```
    pub fn detect(bytes: &[u8]) -> SourceFormat {
        if bytes.starts_with(b"PK\x03\x04") {
            SourceFormat::Xlsx
        } else {
            SourceFormat::Csv
        }
    }
}

/// Options for [`import`].
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// The format; detected from the bytes when `None`.
    pub format: Option<SourceFormat>,
    /// XLSX: the sheet to read; the first sheet with data when `None`.
    pub sheet: Option<String>,
}

/// Where a table came from and how it was read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Source {
    /// CSV or XLSX.
    pub format: SourceFormat,
    /// CSV: the detected encoding (`UTF-8`, `UTF-16LE`, `UTF-16BE`, `GB18030`, `windows-1252`).
    pub encoding: Option<&'static str>,
    /// CSV: the detected delimiter.
    pub delimiter: Option<char>,
    /// XLSX: the sheet read.
    pub sheet: Option<String>,
    /// XLSX: all sheets of the workbook.
    pub sheets: Vec<String>,
    /// XLSX: the sheets hidden in the workbook (drop-down options, lookup
    /// tables); read only when named.
    pub hidden_sheets: Vec<String>,
    /// The 1-based source rows that formed the header (two for a two-row header).
    pub header_rows: Vec<u32>,
    /// The title row skipped above the header (`某园区企业名单（单位：万元）`), if any.
    pub title: Option<String>,
}

/// A problem with the shape of one row (not with a cell's value).
///
/// # Example
/// ```
/// let t = policy_match::batch::import("名称,人数\n甲,1,多余\n".as_bytes(), &Default::default()).unwrap();
/// let p = &t.row_problems[0];
/// assert_eq!((p.kind, p.row), ("row-shape", 2));
/// assert_eq!(t.cell(0, 1), "1"); // the row's cells are still read
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RowProblem {
    /// `row-shape` (more cells than the header, a cell too long),
    /// `formula-without-value` (an XLSX formula cell saved without its
    /// calculated value: read as empty) or `encoding` (a GBK CSV file's
    /// row with bytes that are not GBK: read as U+FFFD).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The 1-based source row (CSV line, or spreadsheet row).
    pub row: u32,
    /// The column's header, when the problem is one cell's (empty for the whole row).
    pub column: String,
    /// The 0-based column of that cell in the table, if it is in one.
    #[serde(skip)]
    pub column_index: Option<usize>,
    /// The cell's raw content, when there is one to show (a formula's text).
    pub raw: String,
    /// What is wrong.
    pub message: String,
    /// What is wrong, in Chinese.
    pub message_zh: String,
}

/// An imported table: unique column names, then rows of text cells, each
/// with its row number in the source file.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Column names, unique and non-empty, in file order.
    pub headers: Vec<String>,
    /// How it was read.
    pub source: Source,
    /// What the import did that the user should know: a skipped title row,
    /// a combined two-row header, renamed columns, skipped totals rows.
    pub notes: Vec<String>,
    /// The same notes in Chinese.
    pub notes_zh: Vec<String>,
    /// Rows with a shape problem (more cells than the header, a cell over
    /// [`MAX_CELL_BYTES`]); their cells are still read.
    pub row_problems: Vec<RowProblem>,
    /// Blank rows skipped after the header (every cell empty).
    pub blank_rows: usize,
    lines: Vec<u32>,
    data: String,
    ends: Vec<usize>,
}

impl Table {
    /// A table from headers and rows of cells (rows are numbered from 2, as
    /// below a header row). Headers are made unique and non-empty like an
    /// imported file's.
    ///
    /// # Errors
    /// [`BatchError::Limit`] over [`MAX_COLUMNS`], [`BatchError::TooManyRows`]
    /// over [`MAX_ROWS`].
    ///
    /// # Example
    /// ```
    /// use policy_match::batch::Table;
    /// let t = Table::new(&["名称", "", "名称"], &[vec!["甲", "x", "1"]])?;
    /// assert_eq!(t.headers, ["名称", "(B)", "名称 (2)"]); // unique and non-empty
    /// assert_eq!((t.len(), t.width(), t.line(0)), (1, 3, 2));
    /// # Ok::<(), policy_match::batch::BatchError>(())
    /// ```
    pub fn new<S: AsRef<str>>(headers: &[S], rows: &[Vec<S>]) -> Result<Table, BatchError> {
        let source = Source {
            format: SourceFormat::Csv,
            encoding: None,
            delimiter: None,
            sheet: None,
            sheets: Vec::new(),
            hidden_sheets: Vec::new(),
            header_rows: vec![1],
            title: None,
        };
        let mut b = Builder::new(headers.iter().map(|h| h.as_ref().to_string()).collect(), source, Vec::new(), false)?;
        for (i, r) in rows.iter().enumerate() {
            b.push(u32::try_from(i + 2).unwrap_or(u32::MAX), r.iter().map(|c| c.as_ref()))?;
        }
        Ok(b.finish())
    }

    /// Number of data rows.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True when there are no data rows.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Number of columns.
    pub fn width(&self) -> usize {
        self.headers.len()
    }

    /// The cell at a 0-based row and column (empty when out of range).
    ///
    /// # Example
    /// ```
    /// use policy_match::batch::Table;
    /// let t = Table::new(&["名称", "人数"], &[vec!["甲", "12"], vec!["乙"]])?;
    /// assert_eq!(t.cell(0, 1), "12");
    /// assert_eq!(t.cell(1, 1), ""); // a short row
    /// assert_eq!(t.cell(9, 9), ""); // out of range
    /// # Ok::<(), policy_match::batch::BatchError>(())
    /// ```
    pub fn cell(&self, row: usize, col: usize) -> &str {
        let w = self.headers.len();
        if col >= w || row >= self.lines.len() {
            return "";
        }
        let i = row * w + col;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.data.get(start..self.ends[i]).unwrap_or("")
    }

    /// The cells of a 0-based row (none when out of range).
    ///
    /// # Example
    /// ```
    /// use policy_match::batch::Table;
    /// let t = Table::new(&["名称", "人数"], &[vec!["甲", "12"]])?;
    /// assert_eq!(t.row(0).collect::<Vec<_>>(), ["甲", "12"]);
    /// assert_eq!(t.row(1).count(), 0);
    /// # Ok::<(), policy_match::batch::BatchError>(())
    /// ```
    pub fn row(&self, row: usize) -> impl Iterator<Item = &str> + '_ {
        let w = self.headers.len();
        let ends: &[usize] = if row < self.lines.len() { self.ends.get(row * w..(row + 1) * w).unwrap_or(&[]) } else { &[] };
        let mut start = match (row * w).checked_sub(1) {
            Some(i) if !ends.is_empty() => self.ends.get(i).copied().unwrap_or(0),
            _ => 0,
        };
        ends.iter().map(move |&end| {
            let cell = self.data.get(start..end).unwrap_or("");
            start = end;
            cell
        })
    }

    /// The 1-based source row (CSV line, spreadsheet row) of a 0-based data row.
    ///
    /// # Example
    /// ```
    /// let t = policy_match::batch::import("某园区企业名单\n名称,人数\n\n甲,12\n".as_bytes(), &Default::default()).unwrap();
    /// assert_eq!(t.source.title.as_deref(), Some("某园区企业名单")); // skipped, and noted
    /// assert_eq!(t.line(0), 4); // title row, header and a blank line above it
    /// ```
    pub fn line(&self, row: usize) -> u32 {
        self.lines.get(row).copied().unwrap_or(0)
    }

    /// The index of a column by name.
    ///
    /// # Example
    /// ```
    /// use policy_match::batch::Table;
    /// let t = Table::new(&["名称", "人数"], &[vec!["甲", "12"]])?;
    /// assert_eq!(t.column("人数"), Some(1));
    /// assert_eq!(t.column("地址"), None);
    /// # Ok::<(), policy_match::batch::BatchError>(())
    /// ```
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }
}

/// Import CSV or XLSX bytes.
///
/// # Errors
/// See [`import_csv`] and [`import_xlsx`].
///
/// # Example
/// ```
/// use policy_match::batch::{self, BatchError, ImportOptions};
/// // Excel's "中文 CSV" is GBK, semicolons or tabs are fine too.
/// let gbk = b"\xc3\xfb\xb3\xc6;\xc8\xcb\xca\xfd\n\xbc\xd7;12\n"; // 名称;人数 / 甲;12
/// let t = batch::import(gbk, &ImportOptions::default())?;
/// assert_eq!((t.headers.as_slice(), t.cell(0, 0)), (&["名称".to_string(), "人数".to_string()][..], "甲"));
/// assert_eq!((t.source.encoding, t.source.delimiter), (Some("GB18030"), Some(';')));
/// assert_eq!(batch::import(b"\n\n", &ImportOptions::default()).unwrap_err(), BatchError::NoHeader);
/// # Ok::<(), BatchError>(())
/// ```
pub fn import(bytes: &[u8], opts: &ImportOptions) -> Result<Table, BatchError> {
    match opts.format.unwrap_or_else(|| SourceFormat::detect(bytes)) {
        SourceFormat::Csv => import_csv(bytes),
        SourceFormat::Xlsx => import_xlsx(bytes, opts.sheet.as_deref()),
    }
}

/// Builds the flat cell store row by row.
struct Builder {
    headers: Vec<String>,
    source: Source,
    /// (English, Chinese)
    notes: Vec<(String, String)>,
    row_problems: Vec<RowProblem>,
    blank_rows: usize,
    lines: Vec<u32>,
    data: String,
    ends: Vec<usize>,
    /// Report rows with fewer cells than the header (CSV: a sign of a broken row).
    report_short: bool,
    /// Totals rows skipped (a note for each of the first ten).
    totals_rows: usize,
    /// Rows repeating the header skipped (a note for each of the first ten).
    header_rows_again: usize,
    /// The serial-number column (`序号`), if any.
    serial: Option<usize>,
    /// Template rows skipped (only a serial number) and the first one's row.
    serial_rows: (usize, u32),
    /// How many of the next rows are still to be looked at for units or
    /// column codes (imports only: the first two rows after the header).
    check_first: u8,
}

impl Builder {
    fn new(raw_headers: Vec<String>, source: Source, mut notes: Vec<(String, String)>, report_short: bool) -> Result<Builder, BatchError> {
        // A table built from rows (not imported) takes its first row as data.
        let check_first = if source.encoding.is_some() || source.sheet.is_some() { 2 } else { 0 };
        // Trailing empty header cells with no data are common; they are trimmed by the caller.
        if raw_headers.len() > MAX_COLUMNS {
            return Err(BatchError::Limit(format!("the header has {} columns; the limit is {MAX_COLUMNS}", raw_headers.len())));
        }
        let headers = unique_headers(raw_headers, &mut notes);
        let serial = headers.iter().position(|h| is_serial_header(h));
        Ok(Builder {
            headers,
            source,
            notes,
            row_problems: Vec::new(),
            blank_rows: 0,
            lines: Vec::new(),
            data: String::new(),
            ends: Vec::new(),
            report_short,
            totals_rows: 0,
            header_rows_again: 0,
            serial,
            serial_rows: (0, 0),
            check_first,
        })
    }

    /// Append one source row (skipped and counted when blank); the first
    /// rows after the header of an imported file (a unit row, a column-code
    /// row, one of each) are taken as part of the header (see [`header_extra`]).
    fn push<'a>(&mut self, line: u32, cells: impl Iterator<Item = &'a str>) -> Result<(), BatchError> {
        if self.check_first == 0 {
            return self.push_row(line, cells);
        }
        self.check_first -= 1;
        let cells: Vec<&str> = cells.collect();
        let extra = header_extra(&self.headers, &cells);
        if extra.is_none() {
            self.check_first = 0;
        }
        match extra {
            Some(HeaderExtra::Units(units)) => {
                let mut distinct: Vec<&str> = Vec::new();
                for (_, u) in &units {
                    if !distinct.contains(&u.as_str()) {
                        distinct.push(u);
                    }
                }
                for (c, u) in &units {
                    let h = &mut self.headers[*c];
                    *h = format!("{h}（{u}）");
                }
                self.notes.push((
                    format!("row {line} gives the columns' units ({}): they are added to the headers", distinct.join(", ")),
                    format!("第 {line} 行是各列的计量单位（{}）：已并入表头", distinct.join("、")),
                ));
                self.source.header_rows.push(line);
                Ok(())
            }
            Some(HeaderExtra::Codes) => {
                self.notes.push((
                    format!("row {line} numbers the columns (甲, 乙, 1, 2, …) and is not an enterprise; it is skipped"),
                    format!("第 {line} 行是栏次（各列的编号），不是企业，已跳过"),
                ));
                Ok(())
            }
            None => self.push_row(line, cells.into_iter()),
        }
    }

    /// Append one source row (skipped and counted when blank).
    fn push_row<'a>(&mut self, line: u32, cells: impl Iterator<Item = &'a str>) -> Result<(), BatchError> {
        let w = self.headers.len();
        let mark = (self.data.len(), self.ends.len());
        let mut n = 0usize;
        let mut extra: Vec<&str> = Vec::new();
        // The non-empty cells: how many, and the last one (column, text).
        let mut filled = (0usize, 0usize, "");
        for cell in cells {
            if n < w {
                let cell = if cell.len() > MAX_CELL_BYTES {
                    self.row_problems.push(RowProblem {
                        kind: "row-shape",
                        row: line,
                        column: String::new(),
                        column_index: None,
                        raw: String::new(),
                        message: format!("the cell in column `{}` has {} bytes; only the first {MAX_CELL_BYTES} are read", self.headers[n], cell.len()),
                        message_zh: format!("“{}”列的单元格有 {} 字节，只读取前 {MAX_CELL_BYTES} 字节", self.headers[n], cell.len()),
                    });
                    let mut end = MAX_CELL_BYTES;
                    while !cell.is_char_boundary(end) {
                        end -= 1;
                    }
                    &cell[..end]
                } else {
                    cell
                };
                if !cell.trim().is_empty() {
                    filled = (filled.0 + 1, n, cell);
                }
                self.data.push_str(cell);
                self.ends.push(self.data.len());
            } else if !cell.trim().is_empty() {
                extra.push(cell);
            }
            n += 1;
        }
        // A blank row, or a template row that holds only its serial number.
        let serial_only = filled.0 == 1 && self.serial == Some(filled.1) && is_serial_number(filled.2);
        if (filled.0 == 0 || serial_only) && extra.is_empty() {
            self.data.truncate(mark.0);
            self.ends.truncate(mark.1);
            self.blank_rows += 1;
            if serial_only {
                if self.serial_rows.0 == 0 {
                    self.serial_rows.1 = line;
                }
                self.serial_rows.0 += 1;
            }
            return Ok(());
        }
        // A totals row (`合计`) at the end of an export is not an enterprise.
        let mut start = mark.0;
        let first_cell = self.ends[mark.1..]
            .iter()
            .map(|&end| {
                let cell = &self.data[start..end];
                start = end;
                cell
            })
            .find(|c| !c.trim().is_empty());
        let skipped = if let Some(label) = first_cell.filter(|c| is_totals_label(c)).map(str::trim) {
            self.totals_rows += 1;
            Some((
                self.totals_rows,
                format!("row {line} (`{label}`) looks like a totals row and is not read as an enterprise"),
                format!("第 {line} 行（“{label}”）像是合计行，不作为企业读取"),
            ))
        } else if extra.is_empty() && self.repeats_header(mark) {
            // The header again (lists pasted one under another, an export that
            // repeats the header on every page) is not an enterprise.
            self.header_rows_again += 1;
            Some((
                self.header_rows_again,
                format!("row {line} repeats the header (lists pasted one under another?) and is not read as an enterprise"),
                format!("第 {line} 行重复了表头（可能是几份名单上下拼接而成），不作为企业读取"),
            ))
        } else {
            None
        };
        // Dropped, with a note for each of the first 10 of a kind.
        if let Some((nth, en, zh)) = skipped {
            if nth <= 10 {
                self.notes.push((en, zh));
            }
            self.data.truncate(mark.0);
            self.ends.truncate(mark.1);
            return Ok(());
        }
        for _ in n..w {
            self.ends.push(self.data.len());
        }
        if !extra.is_empty() {
            let shown: Vec<String> = extra.iter().take(3).map(|c| format!("`{}`", shorten(c, 40))).collect();
            self.row_problems.push(RowProblem {
                kind: "row-shape",
                row: line,
                column: String::new(),
                column_index: None,
                raw: String::new(),
                message: format!(
                    "the row has {n} cells but the header only {w}; the extra cells are not read: {}{}",
                    shown.join(", "),
                    if extra.len() > 3 { ", …" } else { "" }
                ),
                message_zh: format!(
                    "此行有 {n} 个单元格，表头只有 {w} 列；多出的单元格未读取：{}{}",
                    shown.join("、"),
                    if extra.len() > 3 { "、…" } else { "" }
                ),
            });
        } else if n < w && self.report_short && n > 0 {
            self.row_problems.push(RowProblem {
                kind: "row-shape",
                row: line,
                column: String::new(),
                column_index: None,
                raw: String::new(),
                message: format!(
                    "the row has {n} cells but the header {w}; the missing cells are read as empty (check for a line break inside an unquoted cell)"
                ),
                message_zh: format!("此行有 {n} 个单元格，表头有 {w} 列；缺少的单元格按空白读取（请检查未加引号的单元格内是否有换行）"),
            });
        }
        if self.lines.len() >= MAX_ROWS {
            return Err(BatchError::TooManyRows { limit: MAX_ROWS });
        }
        self.lines.push(line);
        Ok(())
    }

    /// Whether the row just pushed (from `mark`) repeats the header: two or
    /// more cells, each the header of its column (ignoring width, spacing
    /// and case; also the lower part of a two-row header, or the header
    /// without the unit a unit row added: `营业收入` under `营业收入（万元）`).
    fn repeats_header(&self, mark: (usize, usize)) -> bool {
        let mut start = mark.0;
        let mut filled = 0usize;
        for (i, &end) in self.ends[mark.1..].iter().enumerate() {
            let cell = crate::batch::validate::spelling_key(&self.data[start..end]);
            start = end;
            if cell.is_empty() {
                continue;
            }
            let Some(h) = self.headers.get(i).map(|h| crate::batch::validate::spelling_key(h)) else { return false };
            let lower = h.rsplit('/').next().unwrap_or(&h);
            let same =
                cell == h || cell == lower || cell.chars().count() >= 2 && (h.starts_with(&cell) || lower.starts_with(&cell)) && h.ends_with(['）', ')']);
            if !same {
                return false;
            }
            filled += 1;
        }
        filled >= 2
    }

    fn finish(mut self) -> Table {
        if self.header_rows_again > 10 {
            let more = self.header_rows_again - 10;
            self.notes
                .push((format!("{more} more rows repeat the header and are not read as enterprises"), format!("另有 {more} 行重复了表头，不作为企业读取")));
        }
        if self.totals_rows > 10 {
            let more = self.totals_rows - 10;
            self.notes.push((format!("{more} more totals rows are not read as enterprises"), format!("另有 {more} 个合计行不作为企业读取")));
        }
        if let (Some(c), (n @ 1.., first)) = (self.serial, self.serial_rows) {
            let h = &self.headers[c];
            self.notes.push((
                format!("{n} rows (the first is row {first}) hold only a number in `{h}` (blank template rows); they are skipped as blank rows"),
                format!("{n} 行（第一行为第 {first} 行）只有“{h}”列的序号（空白模板行），按空行跳过"),
            ));
        }
        Table {
            headers: self.headers,
            source: self.source,
            notes_zh: self.notes.iter().map(|(_, zh)| zh.clone()).collect(),
            notes: self.notes.into_iter().map(|(en, _)| en).collect(),
            row_problems: self.row_problems,
            blank_rows: self.blank_rows,
            lines: self.lines,
            data: self.data,
            ends: self.ends,
        }
    }
}

/// What the first row under a header may be besides data.
enum HeaderExtra {
    /// The columns' money and percent units, by column (`万元`, `%`).
    Units(Vec<(usize, String)>),
    /// Column codes (栏次: `甲, 乙, 1, 2, 3`).
    Codes,
}

/// Whether `cells` (the first row under the header) are the columns'
/// units (`,,万元,万元,人`, `计量单位,—,万元`: every cell a unit or a
/// placeholder, at least one a unit; the money and percent ones are
/// returned) or the columns' codes (栏次: `甲,乙,1,2,3`: stems 甲乙丙… and
/// consecutive numbers; two stems, the word 栏次, or one stem and three
/// numbers). At least two cells are filled; a name of an enterprise is
/// neither.
fn header_extra(headers: &[String], cells: &[&str]) -> Option<HeaderExtra> {
    let filled: Vec<(usize, &str)> = cells.iter().take(headers.len()).map(|c| c.trim()).enumerate().filter(|(_, c)| !c.is_empty()).collect();
    if filled.len() < 2 {
        return None;
    }
    let placeholder = |c: &str| matches!(c, "计量单位" | "单位" | "—" | "——" | "-" | "--" | "/" | "－" | "─");
    let mut units = Vec::new();
    let mut any_unit = false;
    let all_units = filled.iter().all(|&(i, c)| {
        if placeholder(c) {
            return true;
        }
        let bare = c.trim_start_matches(['(', '（']).trim_end_matches([')', '）']).trim();
        match crate::batch::mapping::cell_unit_token(bare) {
            Some(unit) => {
                any_unit = true;
                if unit.is_some() {
                    units.push((i, bare.to_string()));
                }
                true
            }
            None => false,
        }
    });
    if all_units && any_unit {
        return Some(HeaderExtra::Units(units));
    }
    const STEMS: &str = "甲乙丙丁戊己庚辛壬癸";
    let mut stems = 0usize;
    let mut next: Option<u32> = None;
    let codes = filled.iter().all(|&(_, c)| {
        if c == "栏次" || c.chars().count() == 1 && STEMS.contains(c) {
            stems += 1;
            return true;
        }
        match c.parse::<u32>() {
            Ok(n) if c.bytes().all(|b| b.is_ascii_digit()) && next.is_none_or(|m| m == n) => {
                next = Some(n + 1);
                true
            }
            _ => false,
        }
    });
    // An enterprise named 甲 with the figures 1 and 2 is data; 甲, 乙 and
    // numbers, 栏次, or 甲 with three numbers or more are codes.
    let numbers = filled.len() - stems;
    (codes && filled.len() >= 3 && (stems >= 2 || filled.iter().any(|(_, c)| *c == "栏次") || stems == 1 && numbers >= 3)).then_some(HeaderExtra::Codes)
}

/// Non-empty, unique header names: empty → `(C)`, duplicates → `name (2)`.
fn unique_headers(raw: Vec<String>, notes: &mut Vec<(String, String)>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for (i, h) in raw.into_iter().enumerate() {
        let h = h.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut name = if h.is_empty() { format!("({})", column_letter(i)) } else { h.clone() };
        if out.contains(&name) {
            let mut k = 2;
            while out.contains(&format!("{name} ({k})")) {
                k += 1;
            }
            let renamed = format!("{name} ({k})");
            notes.push((
                format!("column {} repeats the header `{name}`; it is named `{renamed}`", column_letter(i)),
                format!("第 {} 列的表头“{name}”与前面的列重复，改名为“{renamed}”", column_letter(i)),
            ));
            name = renamed;
        }
        out.push(name);
    }
    out
}

/// Whether a row's first cell marks a totals row: 合计, 总计, 小计 (spaces
/// allowed; a bracketed part or what follows a colon ignored: `合计（6家）`,
/// `小计：制造业`), total, sum.
fn is_totals_label(cell: &str) -> bool {
    let t: String = cell.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    let t = t.split([':', '：']).next().unwrap_or("");
    let t = crate::batch::validate::strip_brackets(t);
    matches!(
        t.as_str(),
        "合计" | "总计" | "小计" | "总合计" | "合计数" | "全部合计" | "本页合计" | "本页小计" | "total" | "totals" | "grandtotal" | "subtotal" | "sum"
    )
}

/// Whether a header names a serial-number column (`序号`, `No.`), also as
/// the lower part of a two-row header (`企业信息/序号`).
fn is_serial_header(h: &str) -> bool {
    let lower = h.rsplit('/').next().unwrap_or(h);
    let t: String = lower.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    matches!(t.trim_end_matches('.'), "序号" | "序" | "no" | "#" | "sn")
}

/// Whether a cell is a serial number: digits only.
fn is_serial_number(cell: &str) -> bool {
    let t = cell.trim();
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

/// Headers from a two-row header whose upper row labels groups of columns
/// (`企业信息,,,财务数据（万元）,,` over `序号,企业名称,…`), as a CSV file
/// or unmerged cells give it: a label stands over its own column and the
/// empty ones after it. Columns under a label are named `label/lower`
/// (`财务数据（万元）/营业收入`: the mapping reads the unit from the label);
/// a label with nothing below it (merged down) names its column alone.
///
/// `None` unless it looks like one: every label spans two or more columns
/// or has nothing below it, one spans columns with text below, and the
/// lower row has more non-empty cells than the upper, all different, none
/// of them reading as a value (digits and no letters: `320`, `2021-03-15`)
/// as a data row's would.
fn group_headers(upper: &[String], lower: &[String]) -> Option<Vec<String>> {
    fn cell(r: &[String], c: usize) -> &str {
        r.get(c).map_or("", |t| t.trim())
    }
    let w = upper.len().max(lower.len());
    // No header wider than the column bound is read (the builder refuses
    // it): the checks below need not look at one (they are quadratic in
    // the worst case).
    let used = |r: &[String]| r.iter().rposition(|t| !t.trim().is_empty()).map_or(0, |i| i + 1);
    if used(upper).max(used(lower)) > MAX_COLUMNS {
        return None;
    }
    let labels: Vec<usize> = (0..w).filter(|&c| !cell(upper, c).is_empty()).collect();
    let span = |i: usize| labels.get(i + 1).copied().unwrap_or(w) - labels[i];
    let texts: Vec<&str> = (0..w).map(|c| cell(lower, c)).filter(|t| !t.is_empty()).collect();
    let value = |t: &&str| reads_as_value(t);
    let fits = (0..labels.len()).all(|i| span(i) >= 2 || cell(lower, labels[i]).is_empty())
        && (0..labels.len()).any(|i| span(i) >= 2 && (labels[i] + 1..labels[i] + span(i)).any(|c| !cell(lower, c).is_empty()))
        && texts.len() > labels.len()
        && !texts.iter().any(value)
        && !texts.iter().enumerate().any(|(i, t)| texts[..i].contains(t));
    if !fits {
        return None;
    }
    let mut label = "";
    let names = (0..w)
        .map(|c| {
            let (up, low) = (cell(upper, c), cell(lower, c));
            if !up.is_empty() {
                label = up;
            }
            match (label, low) {
                (_, "") => up.to_string(),
                ("", low) => low.to_string(),
                (label, low) if label == low => low.to_string(),
                (label, low) => format!("{label}/{low}"),
            }
        })
        .collect();
    Some(names)
}

/// Whether a cell reads as a value rather than a header: digits and no
/// letters (`320`, `2021-03-15`).
fn reads_as_value(t: &str) -> bool {
    t.bytes().any(|b| b.is_ascii_digit()) && !t.chars().any(char::is_alphabetic)
}

/// The note for a two-row header, in English and Chinese.
fn two_row_note(upper: u32, lower: u32) -> (String, String) {
    (
        format!("rows {upper} and {lower} form a two-row header (labels over groups of columns); the columns are named `upper/lower`"),
        format!("第 {upper} 行和第 {lower} 行组成两行表头（上方为分组标题）；列名为“上/下”"),
    )
}

/// The note for a skipped title row, in English and Chinese.
fn title_note(row: u32, title: &str, header_row: u32) -> (String, String) {
    (
        format!("row {row} (`{title}`) looks like a title and is skipped; the header is row {header_row}"),
        format!("第 {row} 行（“{title}”）像是标题，已跳过；表头为第 {header_row} 行"),
    )
}

/// Most title rows above a header (`某园区企业名单`, then `填报日期：… 单位：万元`).
const MAX_TITLE_ROWS: usize = 3;

/// How many of the leading non-blank rows are titles above the header:
/// rows that each hold one distinct text (in one cell, or merged across
/// several), followed by a row with more than one or by a row of group
/// labels. 0 when there is no such row within [`MAX_TITLE_ROWS`] + 1 rows.
///
/// `group_row(i)` tells whether row `i` is a row of group labels over the
/// header (see [`group_headers`]): a single label such as
/// `,,,财务数据（万元）,` is one, not a title (its unit belongs to the
/// columns under it only).
fn title_rows<R: AsRef<[String]>>(rows: &[R], group_row: impl Fn(usize) -> bool) -> usize {
    let k = rows.iter().take(MAX_TITLE_ROWS).enumerate().take_while(|(i, r)| distinct_texts(r.as_ref()) == 1 && !group_row(*i)).count();
    if k > 0 && rows.get(k).is_some_and(|r| distinct_texts(r.as_ref()) > 1 || group_row(k)) {
        k
    } else {
        0
    }
}

/// Whether a row's first text is not in its first column (`,,,财务数据,`):
/// a label over some columns, where a title starts at the left.
fn starts_after_first_column(r: &[String]) -> bool {
    r.iter().position(|c| !c.trim().is_empty()).is_some_and(|i| i > 0)
}

/// Whether a row is not a title: it has more than one distinct text.
fn is_multi_cell(r: &[String]) -> bool {
    distinct_texts(r) > 1
}

/// The number of distinct non-empty texts in a row, counting at most 2.
fn distinct_texts(r: &[String]) -> usize {
    let mut seen: Vec<&str> = Vec::new();
    for c in r.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        if !seen.contains(&c) {
            seen.push(c);
            if seen.len() > 1 {
                break;
            }
        }
    }
    seen.len()
}

/// The title rows' texts as one title (`某园区企业名单；单位：万元`), and a
/// note for each: (title, notes).
fn titles(rows: &[(u32, &[String])], header_row: u32) -> (Option<String>, Vec<(String, String)>) {
    let texts: Vec<(u32, &str)> = rows.iter().filter_map(|(n, r)| r.iter().map(|c| c.trim()).find(|c| !c.is_empty()).map(|t| (*n, t))).collect();
    let notes = texts.iter().map(|(n, t)| title_note(*n, t, header_row)).collect();
    let title = (!texts.is_empty()).then(|| texts.iter().map(|(_, t)| *t).collect::<Vec<_>>().join("；"));
    (title, notes)
}

fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        format!("{}…", s.chars().take(n).collect::<String>())
    } else {
        s.to_string()
    }
}
