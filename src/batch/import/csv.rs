//! CSV import.

use super::{
    decode, group_headers, is_multi_cell, starts_after_first_column, title_rows, titles, two_row_note, Builder, RowProblem, Source, SourceFormat, Table,
    MAX_TITLE_ROWS,
};
use crate::batch::{check_size, unneutralise, BatchError};

/// Import CSV bytes: detect the encoding and the delimiter, find the header
/// row (or two, under group labels), read every other row. A cell that an
/// export prefixed with `'` (see [`crate::batch::export`]) is read without it;
/// an Excel text formula `="0571"` is read as its text.
///
/// # Errors
/// [`BatchError::TooLarge`], [`BatchError::Encoding`], [`BatchError::NoHeader`]
/// (no non-blank row), [`BatchError::Limit`] (too many rows or columns) and
/// [`BatchError::Csv`] (unreadable text).
///
/// # Example
/// ```
/// use policy_match::batch::import::import_csv;
/// let t = import_csv("名称,地址\n\"甲, 有限公司\",\"一行\n两行\"\n\n乙,\n".as_bytes()).unwrap();
/// assert_eq!(t.headers, ["名称", "地址"]);
/// assert_eq!((t.len(), t.cell(0, 0), t.cell(0, 1), t.line(1)), (2, "甲, 有限公司", "一行\n两行", 5));
/// ```
pub fn import_csv(bytes: &[u8]) -> Result<Table, BatchError> {
    check_size(bytes.len() as u64)?;
    let (text, encoding) = decode(bytes)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // Byte-order marks inside the text: CSV files joined together (`copy
    // a.csv+b.csv`), each with its own. Never content; left in, the first
    // cell of each joined part would start with one (and a quoted cell
    // would not read as quoted).
    let inner_boms = text.matches('\u{feff}').count();
    let joined;
    let text = if inner_boms > 0 {
        joined = text.replace('\u{feff}', "");
        joined.as_str()
    } else {
        text
    };
    let delimiter = detect_delimiter(text);
    let mut rdr = ::csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rec = ::csv::StringRecord::new();
    let read = |rdr: &mut ::csv::Reader<&[u8]>, rec: &mut ::csv::StringRecord| -> Result<bool, BatchError> {
        rdr.read_record(rec).map_err(|e| BatchError::Csv { line: e.position().map_or(0, |p| p.line()), message: e.to_string() })
    };
    // The reader's position of a record that follows a blank line is that
    // of the blank line (after a CRLF, that of its LF); count the line
    // breaks before the record's text.
    let bytes = text.as_bytes();
    // Those empty lines are not records: they are counted as blank rows here
    // (not the LF that ends the previous record's CRLF).
    let located = |rec: &::csv::StringRecord| -> (u32, usize) {
        rec.position().map_or((0, 0), |p| {
            let start = usize::try_from(p.byte()).unwrap_or(usize::MAX).min(bytes.len());
            let skipped = bytes[start..].iter().take_while(|b| matches!(b, b'\n' | b'\r')).filter(|b| **b == b'\n').count();
            let crlf = start > 0 && bytes[start - 1] == b'\r' && bytes.get(start) == Some(&b'\n');
            (u32::try_from(p.line() + skipped as u64).unwrap_or(u32::MAX), skipped - usize::from(crlf))
        })
    };
    let blank = |rec: &::csv::StringRecord| rec.iter().all(|c| c.trim().is_empty());

    // The header: the first non-blank row, unless it is a title (or up to
    // three) above it. Read the leading rows until one has several cells.
    let mut lead: Vec<(u32, Vec<String>, usize)> = Vec::new();
    while lead.len() <= MAX_TITLE_ROWS && read(&mut rdr, &mut rec)? {
        if blank(&rec) {
            continue;
        }
        let (line, skipped) = located(&rec);
        lead.push((line, rec.iter().map(|c| cell_text(c).into_owned()).collect(), skipped));
        if is_multi_cell(&lead[lead.len() - 1].1) {
            break;
        }
    }
    if lead.is_empty() {
        return Err(BatchError::NoHeader);
    }
    let cells: Vec<&[String]> = lead.iter().map(|(_, c, _)| c.as_slice()).collect();
    // A single label that does not start at the left, over a header it combines with, is a group label.
    let k = title_rows(&cells, |i| {
        starts_after_first_column(cells[i]) && lead.get(i + 1).is_some_and(|(_, next, skipped)| *skipped == 0 && group_headers(cells[i], next).is_some())
    });
    let header_line = lead[k].0;
    let (title, notes) = titles(&lead[..k].iter().map(|(n, c, _)| (*n, c.as_slice())).collect::<Vec<_>>(), header_line);
    let mut lead = lead.into_iter().skip(k);
    let Some(header) = lead.next() else { return Err(BatchError::NoHeader) };
    let mut pending: Vec<(u32, Vec<String>, usize)> = lead.collect();
    let mut raw_headers = header.1;
    let mut header_rows = vec![header.0];
    let mut notes = notes;
    if inner_boms > 0 {
        notes.push((
            format!("{inner_boms} byte-order mark(s) inside the file (CSV files joined together?) are removed"),
            format!("文件中间有 {inner_boms} 个字节顺序标记（BOM，可能是几个 CSV 文件拼接而成），已去掉"),
        ));
    }
    if encoding == "windows-1252" {
        notes.push((
            "the file is read as Windows-1252 (Western European: its non-ASCII letters stand alone, as in `Müller`, not in pairs as in GBK Chinese); if names look wrong, save it from Excel as \"CSV UTF-8\"".to_string(),
            "文件按 Windows-1252（西欧语言）编码读取（其中的非 ASCII 字符像 “Müller” 中的 ü 那样单独出现，而不是 GBK 中文那样成对出现）；如名称显示不对，请在 Excel 中另存为“CSV UTF-8”".to_string(),
        ));
    }
    // Group labels over the header proper (`企业信息,,,财务数据（万元）,,`)?
    if pending.is_empty() && read(&mut rdr, &mut rec)? {
        let (line, skipped) = located(&rec);
        pending.push((line, rec.iter().map(|c| cell_text(c).into_owned()).collect(), skipped));
    }
    if let Some(combined) = pending.first().filter(|(_, _, skipped)| *skipped == 0).and_then(|(_, lower, _)| group_headers(&raw_headers, lower)) {
        raw_headers = combined;
        let (line, _, _) = pending.remove(0);
        notes.push(two_row_note(header.0, line));
        header_rows.push(line);
    }
    while raw_headers.last().is_some_and(|h| h.trim().is_empty()) && raw_headers.len() > 1 {
        raw_headers.pop();
    }
    let source = Source {
        format: SourceFormat::Csv,
        encoding: Some(encoding),
        delimiter: Some(char::from(delimiter)),
        sheet: None,
        sheets: Vec::new(),
        hidden_sheets: Vec::new(),
        header_rows,
        title,
    };
    let mut b = Builder::new(raw_headers, source, notes, true)?;
    for (line, cells, skipped) in pending {
        b.blank_rows += skipped;
        if encoding == "GB18030" {
            stray_bytes(&mut b, line, &cells);
        }
        b.push(line, cells.iter().map(String::as_str))?;
    }
    while read(&mut rdr, &mut rec)? {
        let (line, skipped) = located(&rec);
        b.blank_rows += skipped;
        if encoding == "GB18030" {
            stray_bytes(&mut b, line, &rec);
        }
        if rec.iter().any(|c| c.starts_with("=\"")) {
            let cells: Vec<std::borrow::Cow<'_, str>> = rec.iter().map(cell_text).collect();
            b.push(line, cells.iter().map(|c| c.as_ref()))?;
        } else {
            b.push(line, rec.iter().map(unneutralise))?;
        }
    }
    Ok(b.finish())
}

/// Report the first cell of a row of a GBK file that holds bytes that are
/// not GBK (read as U+FFFD, see [`decode`]): the row is still read.
fn stray_bytes<'a>(b: &mut Builder, line: u32, cells: impl IntoIterator<Item = &'a (impl AsRef<str> + ?Sized + 'a)>) {
    let Some((c, cell)) = cells.into_iter().map(AsRef::as_ref).enumerate().find(|(_, cell)| cell.contains('\u{fffd}')) else { return };
    let column = b.headers.get(c).cloned().unwrap_or_default();
    b.row_problems.push(RowProblem {
        kind: "encoding",
        row: line,
        column_index: (c < b.headers.len()).then_some(c),
        raw: crate::batch::validate::shorten(cell),
        message: format!(
            "the cell in column `{column}` holds bytes that are not GBK (the file's encoding); they are read as �: check the row against the original"
        ),
        message_zh: format!("“{column}”列的单元格中有不属于 GBK 编码（文件的编码）的字节，按 � 读取：请与原表核对此行"),
        column,
    });
}

/// A CSV cell's text: an Excel text formula `="0571"` (systems write
/// codes, numbers and dates so, to keep Excel from changing them) is its
/// text `0571`; otherwise the cell without the `'` an export put before
/// text that would open as a formula ([`unneutralise`]).
fn cell_text(raw: &str) -> std::borrow::Cow<'_, str> {
    if let Some(inner) = raw.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')) {
        // Inside, a quote is doubled; a lone one means it is some other formula.
        if !inner.replace("\"\"", "").contains('"') {
            return inner.replace("\"\"", "\"").into();
        }
    }
    unneutralise(raw).into()
}

/// The delimiter: of `,`, tab and `;` (outside quotes), the one whose
/// count is the same on the most of the first 20 non-blank lines (then the
/// larger count, then that order); `,` when none occurs. The lines agree on
/// the table's delimiter, where a title line above the header has none or a
/// stray one, and cells may hold the others (`1,234.5` in a tab-separated
/// file).
fn detect_delimiter(text: &str) -> u8 {
    const DELIMS: [u8; 3] = [b',', b'\t', b';'];
    let mut lines: Vec<[usize; 3]> = Vec::new();
    let mut counts = [0usize; 3];
    let mut quoted = false;
    let mut seen_text = false;
    for b in text.bytes().take(64 * 1024).chain(std::iter::once(b'\n')) {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                if seen_text {
                    lines.push(counts);
                    if lines.len() == 20 {
                        break;
                    }
                }
                (counts, seen_text) = ([0; 3], false);
                continue;
            }
            _ if quoted => {}
            _ => {
                if let Some(i) = DELIMS.iter().position(|d| *d == b) {
                    counts[i] += 1;
                }
            }
        }
        seen_text |= !b.is_ascii_whitespace();
    }
    // For each delimiter: (lines agreeing on its most common non-zero count, that count).
    let score = |i: usize| {
        let mut best = (0usize, 0usize);
        for line in &lines {
            let n = line[i];
            if n > 0 {
                let agree = lines.iter().filter(|l| l[i] == n).count();
                best = best.max((agree, n));
            }
        }
        best
    };
    let mut best = 0;
    for i in 1..3 {
        if score(i) > score(best) {
            best = i;
        }
    }
    DELIMS[best]
}
