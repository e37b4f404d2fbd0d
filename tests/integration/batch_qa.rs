//! Batch import QA: cells a real spreadsheet holds that must never be read
//! silently as something else (formulas without a value, hidden rows and
//! columns, headers with a year or a unit, numbers written as text).
#![cfg(feature = "batch")]

use std::io::Write;

use policy_match::batch::{self, ImportOptions, Table};
use policy_match::catalogue::Catalogue;
use policy_match::matching::Verdict;

use crate::util::{catalogues, run_batch, NATIONAL, ZONE};

fn catalogue() -> Catalogue {
    catalogues(&["tests/fixtures/batch/catalogue.json"])
}

/// A minimal XLSX workbook, written by hand as tools other than Excel
/// write them: one sheet whose `<sheetData>` (and what precedes it, e.g.
/// `<cols>`) is `sheet_body`, inline strings, no styles.
fn raw_xlsx(sheet_body: &str) -> Vec<u8> {
    let files = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="企业名单" sheetId="1" r:id="rId1"/></sheets><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>"#.to_string(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sheet_body}</worksheet>"#),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in files {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// An inline-string cell.
fn s(r: &str, text: &str) -> String {
    format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

fn run(cat: &Catalogue, t: &Table) -> batch::BatchResult {
    run_batch(cat, t, &batch::auto_map(cat, &t.headers))
}

// ------------------------------------------------- formulas without a value

/// openpyxl and some exporters write formulas without calculating them:
/// `<f>` and no `<v>`. Such a cell must be reported (sheet, cell, formula,
/// what to do), never read as a blank "not provided" without a word.
#[test]
fn xlsx_formulas_saved_without_a_value_are_reported_per_cell() {
    let sheet = format!(
        "<sheetData>\
         <row r=\"1\">{}{}{}</row>\
         <row r=\"2\">{}<c r=\"B2\"><f>100+200</f><v/></c><c r=\"C2\"><f>A2&amp;\"x\"</f></c></row>\
         <row r=\"3\">{}<c r=\"B3\"><f>B2*2</f><v>600</v></c></row>\
         <row r=\"4\">{}<c r=\"B4\" t=\"str\"><f>IF(1,\"\",\"x\")</f><v></v></c></row>\
         <row r=\"5\">{}<c r=\"B5\"><f t=\"shared\" ref=\"B5:B6\" si=\"0\">B3+1</f></c></row>\
         <row r=\"6\">{}<c r=\"B6\"><f t=\"shared\" si=\"0\"/></c></row>\
         </sheetData>",
        s("A1", "企业名称"),
        s("B1", "2025年营业收入（万元）"),
        s("C1", "备注"),
        s("A2", "甲公司"),
        s("A3", "乙公司"),
        s("A4", "丙公司"),
        s("A5", "丁公司"),
        s("A6", "戊公司"),
    );
    let t = batch::import(&raw_xlsx(&sheet), &ImportOptions::default()).unwrap();
    assert_eq!(t.len(), 5);
    // B2, C2, B5 and B6 have no value; B3 has one (600); B4's is an empty text.
    let note = t.notes_zh.iter().find(|n| n.contains("公式")).unwrap_or_else(|| panic!("{:?}", t.notes_zh));
    assert!(note.contains("4 个公式单元格") && note.contains("B2") && note.contains("=100+200") && note.contains("保存"), "{note}");

    let cat = catalogue();
    let r = run(&cat, &t);
    let formula: Vec<(u32, &str, &str, Option<&str>)> =
        r.issues.iter().filter(|i| i.kind == "formula-without-value").map(|i| (i.row, i.column.as_str(), i.raw.as_str(), i.field.as_deref())).collect();
    // 备注 (C2) is not mapped, so its cell is not read and not listed; B6's
    // shared formula is B5's moved down one row.
    let col = "2025年营业收入（万元）";
    assert_eq!(
        formula,
        [(2, col, "=100+200", Some("revenue_2025_cny")), (5, col, "=B3+1", Some("revenue_2025_cny")), (6, col, "=B4+1", Some("revenue_2025_cny"))]
    );
    let i = r.issues.iter().find(|i| i.row == 2).unwrap();
    assert!(
        i.message_zh.contains("企业名单") && i.message_zh.contains("B2") && i.message_zh.contains("公式没有计算结果，请在 Excel 中打开并保存后再导入"),
        "{}",
        i.message_zh
    );
    let small = r.policy_index("small_enterprise_grant").unwrap();
    // 甲: revenue unknown (not ¥0, not a value); 乙: 600万元 > 500万元.
    assert_eq!(r.verdict(0, small), Verdict::Undecided);
    assert_eq!(r.verdict(1, small), Verdict::DoesNotQualify);
    assert_eq!(r.rows_with_problems, 3);
}

// ------------------------------------------------- hidden rows and columns

/// Rows hidden by hand or by a filter and hidden columns are imported (a
/// filter hides rows on screen, not from the list), and the import says so,
/// so that staff know that what they did not see counted.
#[test]
fn xlsx_hidden_rows_and_columns_are_imported_and_noted() {
    let sheet = format!(
        "<cols><col min=\"1\" max=\"2\" width=\"20\"/><col min=\"3\" max=\"3\" hidden=\"1\"/></cols><sheetData>\
         <row r=\"1\">{}{}{}</row>\
         <row r=\"2\">{}<c r=\"B2\"><v>100</v></c>{}</row>\
         <row r=\"3\" hidden=\"1\">{}<c r=\"B3\"><v>200</v></c>{}</row>\
         <row r=\"4\" hidden=\"true\"></row>\
         <row r=\"5\">{}<c r=\"B5\"><v>300</v></c></row>\
         <row hidden=\"1\">{}<c r=\"B6\"><v>400</v></c></row>\
         </sheetData>",
        s("A1", "企业名称"),
        s("B1", "2025年营业收入（万元）"),
        s("C1", "内部编号"),
        s("A2", "甲公司"),
        s("C2", "X1"),
        s("A3", "乙公司"),
        s("C3", "X2"),
        s("A5", "丙公司"),
        s("A6", "丁公司"),
    );
    let t = batch::import(&raw_xlsx(&sheet), &ImportOptions::default()).unwrap();
    // Every enterprise is read, hidden or not; row 4 is blank.
    let names: Vec<&str> = (0..t.len()).map(|r| t.cell(r, 0)).collect();
    assert_eq!(names, ["甲公司", "乙公司", "丙公司", "丁公司"]);
    assert_eq!(t.cell(1, 2), "X2");
    // Rows 3 and 6 (the one without `r` follows row 5) are hidden; row 4 is hidden but blank.
    let rows = t.notes_zh.iter().find(|n| n.contains("隐藏的行")).unwrap_or_else(|| panic!("{:?}", t.notes_zh));
    assert!(rows.contains("有 2 行") && rows.contains("第 3、6 行"), "{rows}");
    let cols = t.notes_zh.iter().find(|n| n.contains("隐藏的列")).unwrap_or_else(|| panic!("{:?}", t.notes_zh));
    assert!(cols.contains("“内部编号”（C 列）") && !cols.contains("企业名称"), "{cols}");
    assert_eq!(t.notes.len(), 2, "{:?}", t.notes);
}

// ------------------------------------------------- headers zone lists use

fn national_and_zone() -> Catalogue {
    catalogues(&[NATIONAL, ZONE])
}

/// (field, candidates) proposed for one header on its own.
fn proposal(cat: &Catalogue, h: &str) -> (Option<String>, Vec<String>) {
    let m = batch::auto_map(cat, &[h]);
    (m.columns[0].field.clone(), m.columns[0].candidates.clone())
}

/// The zone's field is `所属本区重点产业链`; lists call the column
/// `重点产业链`, `所属产业链` or `产业链`. `营收` is 营业收入, and
/// `研发费用总额` the 研发费用 of that year.
#[test]
fn zone_list_wordings_map_to_their_fields() {
    let cat = national_and_zone();
    for (h, want) in [
        ("重点产业链", "zone_industry_chains"),
        ("所属重点产业链", "zone_industry_chains"),
        ("产业链", "zone_industry_chains"),
        ("2025营业收入", "operating_revenue_2025_cny"),
        ("2025年营收（万元）", "operating_revenue_2025_cny"),
        ("2025年度研发费用总额", "rd_expense_2025_cny"),
        ("2024研发费用总额（万元）", "rd_expense_2024_cny"),
    ] {
        assert_eq!(proposal(&cat, h), (Some(want.to_string()), vec![]), "{h}");
    }
    // Mapped with the unit and marked for checking.
    let m = batch::auto_map(&cat, &["企业名称", "2025年营收（万元）", "重点产业链"]);
    assert_eq!(m.columns[1].unit, Some(batch::CellUnit::WanYuan));
    assert_eq!(m.columns[2].matched_by, Some(batch::MatchKind::Similar));
    // `资产` alone is not `资产总额` (net assets? fixed assets?).
    assert_eq!(proposal(&cat, "资产"), (None, vec![]));
}

/// A year the catalogue has no field for, or a year relative to when the
/// list was made (`上年`, `本年度`), is never mapped to some year's field:
/// the header is left unmapped with the fields for the years there are as
/// suggestions.
#[test]
fn headers_with_another_or_a_relative_year_are_suggestions_never_mappings() {
    let cat = national_and_zone();
    let revenue: Vec<String> = ["2023", "2024", "2025"].iter().map(|y| format!("operating_revenue_{y}_cny")).collect();
    for h in ["2026营业收入", "2026年营业收入（万元）", "上年营业收入", "本年度营业收入（万元）", "近一年营收", "最近一年营业收入"]
    {
        assert_eq!(proposal(&cat, h), (None, revenue.clone()), "{h}");
    }
    assert_eq!(proposal(&cat, "2024年职工人数"), (None, vec!["employees_total_2025".to_string()]));
    assert_eq!(proposal(&cat, "上年研发费用"), (None, ["2023", "2024", "2025"].iter().map(|y| format!("rd_expense_{y}_cny")).collect()));
    // A year that does have a field is mapped to it, and only to it.
    assert_eq!(proposal(&cat, "2024营业收入").0.as_deref(), Some("operating_revenue_2024_cny"));
}

/// Lists often write the year with two digits: `25年营业收入` is the 2025
/// figure, like `2025年营业收入`; `26年营业收入` has no field and is only a
/// suggestion. A span of years (`成立10年以上`) is not a year.
#[test]
fn two_digit_years_with_nian_are_years() {
    let cat = national_and_zone();
    for (h, want) in
        [("25年营业收入", "operating_revenue_2025_cny"), ("24年度研发费用（万元）", "rd_expense_2024_cny"), ("23年营收", "operating_revenue_2023_cny")]
    {
        assert_eq!(proposal(&cat, h), (Some(want.to_string()), vec![]), "{h}");
    }
    let revenue: Vec<String> = ["2023", "2024", "2025"].iter().map(|y| format!("operating_revenue_{y}_cny")).collect();
    assert_eq!(proposal(&cat, "26年营业收入"), (None, revenue));
    // A span of years is no year, and no one year's figure: `近25年` is not 2025.
    for h in ["近25年营业收入", "25年以上营业收入"] {
        let (field, _) = proposal(&cat, h);
        assert!(field.is_none(), "{h}: {field:?}");
    }
}

// ------------------------------------------------- numbers as the sheet shows them

/// Chinese spreadsheets show yuan as 万元 with a number format rather than
/// by dividing: `0!.0000"万元"` shows 12345678 as `1234.5678万元`;
/// `0.00"万元"` writes the unit after a figure already in 万元; `#,##0,`
/// shows thousands under a `（千元）` header. Each is read as what it
/// shows (exactly), never as the bare stored number in the header's unit.
#[test]
fn xlsx_number_formats_that_show_wan_yuan_or_thousands_are_read_as_shown() {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("企业名单").unwrap();
    for (c, h) in ["企业名称", "2025年营业收入", "2025年职工总数", "2025年研发费用占比"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let wan_by_point = Format::new().set_num_format("0!.0000\"万元\"");
    let wan_suffix = Format::new().set_num_format("0.00\"万元\"");
    let thousands = Format::new().set_num_format("#,##0,\"千元\"");
    let people = Format::new().set_num_format("0\"人\"");
    // 甲: ¥12,345,678 stored in yuan, shown 1234.5678万元.
    ws.write_string(1, 0, "甲公司").unwrap();
    ws.write_number_with_format(1, 1, 12_345_678.0, &wan_by_point).unwrap();
    ws.write_number_with_format(1, 2, 20.0, &people).unwrap();
    // 乙: 320 stored in 万元, shown 320.00万元: ¥3,200,000.
    ws.write_string(2, 0, "乙公司").unwrap();
    ws.write_number_with_format(2, 1, 320.0, &wan_suffix).unwrap();
    // 丙: ¥4,500,000 stored in yuan, shown 4,500千元.
    ws.write_string(3, 0, "丙公司").unwrap();
    ws.write_number_with_format(3, 1, 4_500_000.0, &thousands).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let t = batch::import(&bytes, &ImportOptions::default()).unwrap();
    let cat = catalogue();
    let mapping = batch::auto_map_table(&cat, &t);
    let resolved = mapping.resolve(&cat, &t).unwrap();
    let reader = batch::validate::RowReader::new(&cat, &t, &resolved);
    let mut p = policy_match::matching::Profile::empty(&cat);
    let mut values = Vec::new();
    for row in 0..t.len() {
        let mut issues = Vec::new();
        reader.read(row, &mut p, &mut issues);
        assert!(issues.is_empty(), "row {row}: {issues:?}");
        let v = p.to_json(&cat);
        values.push((v["revenue_2025_cny"].to_string(), v["employees_2025"].to_string(), v["rd_ratio_2025_pct"].to_string()));
    }
    let s = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(values, [s("12345678", "20", "null"), s("3200000", "null", "null"), s("4500000", "null", "null")]);
    // And the small-enterprise grant (revenue ≤ ¥5m) sees those figures.
    let r = run(&cat, &t);
    let small = r.policy_index("small_enterprise_grant").unwrap();
    assert_eq!(r.verdict(0, small), Verdict::DoesNotQualify);
}

/// A percent typed with a Chinese input method's full-width sign (`4.5％`)
/// is the same as `4.5%`, in a percent column and in one of fractions.
#[test]
fn a_full_width_percent_sign_reads_like_the_ascii_one() {
    let cat = catalogue();
    let t = batch::import("企业名称,2025年研发费用占比\n甲,4.5％\n乙,4.5%\n丙,５％\n".as_bytes(), &ImportOptions::default()).unwrap();
    let r = run(&cat, &t);
    assert!(r.issues.is_empty(), "{:?}", r.issues);
    let hnte = r.policy_index("hnte_rd_reward").unwrap();
    // Needs ≥ 5%: 4.5% fails whichever sign; 5% passes the ratio (is_hnte still unknown).
    assert_eq!([r.verdict(0, hnte), r.verdict(1, hnte), r.verdict(2, hnte)], [Verdict::DoesNotQualify, Verdict::DoesNotQualify, Verdict::Undecided]);
    // A column read as fractions (0.05 = 5%): a cell with a sign is a percent.
    let mut mapping = batch::auto_map(&cat, &t.headers);
    mapping.columns[1].unit = Some(batch::CellUnit::Fraction);
    let resolved = mapping.resolve(&cat, &t).unwrap();
    let reader = batch::validate::RowReader::new(&cat, &t, &resolved);
    let mut p = policy_match::matching::Profile::empty(&cat);
    let mut issues = Vec::new();
    reader.read(0, &mut p, &mut issues);
    assert_eq!((p.to_json(&cat)["rd_ratio_2025_pct"].to_string(), issues.len()), ("4.5".to_string(), 0));
}

// ------------------------------------------------- encodings

/// A list saved by a Western European Excel (Windows-1252) is not GBK: read
/// as GBK, `ü` and the `l` after it silently became one Chinese character
/// (`Müller` → `M黮ler`). Its names are read as written, with a note; GBK
/// lists are still read as GBK.
#[test]
fn a_windows_1252_csv_is_not_read_as_gbk_gibberish() {
    let text = "Name,2025年营业收入\nMüller GmbH,100\nSociété Générale,200\nZoë Ltd,300\n";
    // 年 and 营业收入 have no Windows-1252 form: a Western list has Western headers.
    let text = text.replace("2025年营业收入", "revenue_2025_cny");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    let t = batch::import(&bytes, &ImportOptions::default()).unwrap();
    assert_eq!(t.source.encoding, Some("windows-1252"));
    let names: Vec<&str> = (0..t.len()).map(|r| t.cell(r, 0)).collect();
    assert_eq!(names, ["Müller GmbH", "Société Générale", "Zoë Ltd"]);
    assert!(t.notes_zh.iter().any(|n| n.contains("Windows-1252")), "{:?}", t.notes_zh);
    // `ü` then `l` is also a valid GBK pair: read silently as 黮 before.
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("Name,revenue_2025_cny\nMüller GmbH,100\n");
    let t = batch::import(&bytes, &ImportOptions::default()).unwrap();
    assert_eq!(t.cell(0, 0), "Müller GmbH");
    // GBK stays GBK, also with a rare character whose second byte is ASCII (丂 is 0x81 0x40).
    let (gbk, _, _) = encoding_rs::GBK.encode("企业名称,营业收入\n甲科技有限公司,100\n丂乙公司（杭州）,200\n");
    let t = batch::import(&gbk, &ImportOptions::default()).unwrap();
    assert_eq!((t.source.encoding, t.cell(0, 0), t.cell(1, 0)), (Some("GB18030"), "甲科技有限公司", "丂乙公司（杭州）"));
    assert!(t.notes.is_empty(), "{:?}", t.notes);
    // Bytes that are no text at all (a picture renamed .csv) are still refused.
    let png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x81, 0x30, 0xff];
    assert_eq!(batch::import(&png, &ImportOptions::default()).map_err(|e| e.kind()).err(), Some("encoding"));
}

// ------------------------------------------------- several lists in one workbook

/// A zone list split over sheets (by industry, by street): one sheet is
/// read, and the import says which others look like lists too and are not
/// read, instead of leaving their enterprises out without a word.
#[test]
fn other_sheets_that_are_lists_too_are_named_as_not_read() {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let sheets: [(&str, &[(&str, f64)]); 3] =
        [("制造业", &[("甲公司", 300.0), ("乙公司", 800.0)]), ("服务业", &[("丙公司", 100.0), ("丁公司", 200.0), ("戊公司", 50.0)]), ("空白", &[])];
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        if rows.is_empty() {
            continue;
        }
        ws.write_string(0, 0, "企业名称").unwrap();
        ws.write_string(0, 1, "2025年营业收入（万元）").unwrap();
        ws.write_string(0, 2, "2025年职工总数").unwrap();
        for (i, (n, rev)) in rows.iter().enumerate() {
            ws.write_string(i as u32 + 1, 0, *n).unwrap();
            ws.write_number(i as u32 + 1, 1, *rev).unwrap();
        }
    }
    let notes_sheet = wb.add_worksheet();
    notes_sheet.set_name("说明").unwrap();
    notes_sheet.write_string(0, 0, "填表说明").unwrap();
    notes_sheet.write_string(1, 0, "字段").unwrap();
    notes_sheet.write_string(1, 1, "说明").unwrap();
    notes_sheet.write_string(2, 0, "企业名称").unwrap();
    notes_sheet.write_string(2, 1, "全称").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let cat = catalogue();
    let t = batch::import_for(&cat, &bytes, &ImportOptions::default()).unwrap();
    assert_eq!((t.source.sheet.as_deref(), t.len()), (Some("制造业"), 2));
    let note = t.notes_zh.iter().find(|n| n.contains("未读取")).unwrap_or_else(|| panic!("{:?}", t.notes_zh));
    assert!(note.contains("“服务业”（3 行）"), "{note}");
    assert!(!note.contains("说明") && !note.contains("空白"), "{note}");
    // Named, the other sheet is read.
    let t = batch::import_for(&cat, &bytes, &ImportOptions { format: None, sheet: Some("服务业".into()) }).unwrap();
    assert_eq!(t.len(), 3);
    // A workbook with one list has no such note.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "企业名称").unwrap();
    ws.write_string(0, 1, "2025年职工总数").unwrap();
    ws.write_string(1, 0, "甲公司").unwrap();
    let t = batch::import_for(&cat, &wb.save_to_buffer().unwrap(), &ImportOptions::default()).unwrap();
    assert!(t.notes.is_empty(), "{:?}", t.notes);
}

// ------------------------------------------------- lists pasted together

/// Two streets' lists pasted one under the other keep the second header
/// as a row; it must not become an enterprise called 企业名称 (with
/// "invalid" figures, in the push lists as undecided).
#[test]
fn a_header_repeated_below_is_skipped_with_a_note_not_read_as_an_enterprise() {
    let csv = "企业名称,2025年营业收入（万元）,2025年职工总数\n甲公司,300,20\n乙公司,800,50\n\n企业名称,2025年营业收入（万元）,2025年职工总数\n丙公司,100,5\n 企业名称 ,２０２５年营业收入（万元）,\n丁公司,200,8\n";
    let t = batch::import(csv.as_bytes(), &ImportOptions::default()).unwrap();
    let names: Vec<&str> = (0..t.len()).map(|r| t.cell(r, 0)).collect();
    assert_eq!(names, ["甲公司", "乙公司", "丙公司", "丁公司"]);
    let notes: Vec<&String> = t.notes_zh.iter().filter(|n| n.contains("重复了表头")).collect();
    assert_eq!(notes.len(), 2, "{:?}", t.notes_zh);
    assert!(notes[0].contains("第 5 行") && notes[1].contains("第 7 行"), "{notes:?}");
    let r = run(&catalogue(), &t);
    assert!(r.issues.is_empty(), "{:?}", r.issues);
    // Under a unit row the header reads `营业收入（万元）`; the repeated header says `营业收入`.
    let csv = "企业名称,营业收入,职工总数\n,万元,人\n甲公司,300,20\n企业名称,营业收入,职工总数\n乙公司,800,50\n";
    let t = batch::import(csv.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!((0..t.len()).map(|r| t.cell(r, 0)).collect::<Vec<_>>(), ["甲公司", "乙公司"]);
    // An enterprise whose cells merely resemble headers is an enterprise.
    let csv = "企业名称,备注\n企业名称有限公司,备注\n";
    let t = batch::import(csv.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(t.len(), 1);
}

// ------------------------------------------------- merged cells among the data

/// A merged cell among the enterprises fills every cell it covers (one
/// 企业规模 for a group of rows; one figure over two columns): the import
/// says where, so that staff can check that it is meant. Merged titles and
/// headers, and a merged 合计 row, need no such note.
#[test]
fn merged_cells_among_the_enterprises_are_filled_and_noted() {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let plain = Format::new();
    ws.merge_range(0, 0, 0, 3, "某园区企业名单", &plain).unwrap();
    for (c, h) in ["企业名称", "企业规模", "2025年营业收入（万元）", "2025年职工总数"].iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (r, n) in ["甲公司", "乙公司", "丙公司", "丁公司"].iter().enumerate() {
        ws.write_string(r as u32 + 2, 0, *n).unwrap();
    }
    // 企业规模 小型 for 甲, 乙 and 丙 (rows 3–5); 丁's revenue and staff merged (C6:D6), 40.
    ws.merge_range(2, 1, 4, 1, "小型", &plain).unwrap();
    ws.merge_range(5, 2, 5, 3, "", &plain).unwrap();
    ws.write_number(5, 2, 40.0).unwrap();
    ws.merge_range(6, 0, 6, 1, "合计", &plain).unwrap();
    let t = batch::import(&wb.save_to_buffer().unwrap(), &ImportOptions::default()).unwrap();
    assert_eq!(t.len(), 4);
    assert_eq!((t.cell(2, 1), t.cell(3, 2), t.cell(3, 3)), ("小型", "40", "40"));
    let merged: Vec<&String> = t.notes_zh.iter().filter(|n| n.contains("合并单元格")).collect();
    assert_eq!(merged.len(), 1, "{:?}", t.notes_zh);
    assert!(merged[0].contains("2 处") && merged[0].contains("B3:B5") && merged[0].contains("C6:D6"), "{}", merged[0]);
}

/// XlsxWriter and rust_xlsxwriter (exporters of many systems) do not
/// calculate formulas: they save 0 as each one's result and ask Excel to
/// recalculate on opening (`fullCalcOnLoad`). That 0 is no revenue of ¥0
/// (which would qualify for the small-enterprise grant): it is reported
/// and read as not provided. A result the writer did give is read.
#[test]
fn xlsx_formula_results_of_0_saved_by_tools_that_do_not_calculate_are_no_values() {
    use rust_xlsxwriter::{Formula, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["企业名称", "2025年营业收入（万元）", "2025年职工总数"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "甲公司").unwrap();
    ws.write_formula(1, 1, Formula::new("=100+200")).unwrap();
    ws.write_number(1, 2, 20.0).unwrap();
    ws.write_string(2, 0, "乙公司").unwrap();
    ws.write_formula(2, 1, Formula::new("=300+300").set_result("600")).unwrap();
    ws.write_number(2, 2, 20.0).unwrap();
    let t = batch::import(&wb.save_to_buffer().unwrap(), &ImportOptions::default()).unwrap();
    assert_eq!((t.cell(0, 1), t.cell(1, 1)), ("", "600"));
    let note = t.notes_zh.iter().find(|n| n.contains("公式")).unwrap_or_else(|| panic!("{:?}", t.notes_zh));
    assert!(note.contains("1 个公式单元格") && note.contains("占位") && note.contains("B2"), "{note}");
    let cat = catalogue();
    let r = run(&cat, &t);
    let formula: Vec<(u32, &str)> = r.issues.iter().filter(|i| i.kind == "formula-without-value").map(|i| (i.row, i.raw.as_str())).collect();
    assert_eq!(formula, [(2, "=100+200")]);
    let small = r.policy_index("small_enterprise_grant").unwrap();
    // 甲: revenue unknown, not ¥0; 乙: ¥6m > ¥5m.
    assert_eq!((r.verdict(0, small), r.verdict(1, small)), (Verdict::Undecided, Verdict::DoesNotQualify));
}

/// Two streets' CSV files joined byte for byte (`copy a.csv+b.csv`), each
/// saved by Excel as "CSV UTF-8" with its byte-order mark: the second
/// mark is no part of the second header, whose row is skipped, and a
/// quoted first cell after it still reads as quoted.
#[test]
fn csv_files_joined_with_their_byte_order_marks() {
    let a = "\u{feff}企业名称,2025年营业收入（万元）\n甲公司,300\n";
    let b = "\u{feff}\"企业名称\",2025年营业收入（万元）\n\"乙公司, 杭州\",800\n";
    let t = batch::import(format!("{a}{b}").as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!((0..t.len()).map(|r| t.cell(r, 0)).collect::<Vec<_>>(), ["甲公司", "乙公司, 杭州"]);
    assert_eq!(t.cell(1, 1), "800");
    assert!(t.notes_zh.iter().any(|n| n.contains("1 个字节顺序标记")), "{:?}", t.notes_zh);
    assert!(t.notes_zh.iter().any(|n| n.contains("第 3 行重复了表头")), "{:?}", t.notes_zh);
}

// ------------------------------------------------- money in the wrong unit

/// Zone lists give money in 万元, often without saying so in the header:
/// `营业收入` 320 read as ¥320 makes every enterprise pass "revenue ≤
/// ¥5m". When every amount of a column read in yuan is under 10万元 the
/// mapping warns; and when every amount read in 万元 is 100亿元 or more
/// (yuan figures under a 万元 mapping). A header that states its unit, or
/// plausible amounts, give no warning.
#[test]
fn money_columns_whose_amounts_look_like_another_unit_are_warned_about() {
    let cat = catalogue();
    let warnings = |csv: &str, unit: Option<batch::CellUnit>| {
        let t = batch::import(csv.as_bytes(), &ImportOptions::default()).unwrap();
        let mut m = batch::auto_map(&cat, &t.headers);
        if unit.is_some() {
            m.columns[1].unit = unit;
        }
        m.resolve(&cat, &t).unwrap().warnings_zh
    };
    let w = warnings("企业名称,2025年营业收入\n甲,320\n乙,800\n丙,\"1,500\"\n", None);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("按元读取") && w[0].contains("1,500元") && w[0].contains("万元"), "{}", w[0]);
    // Yuan figures read in 万元.
    let w = warnings("企业名称,2025年营业收入\n甲,3200000\n乙,8000000\n丙,15000000\n", Some(batch::CellUnit::WanYuan));
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("按万元读取") && w[0].contains("100 亿元"), "{}", w[0]);
    // Cells with their own unit (8万, 1.2亿) are not what the warning is about, and it says so.
    let w = warnings("企业名称,2025年营业收入\n甲,8万\n乙,1.2亿\n丙,1200000\n丁,3500000\n戊,1000000\n", Some(batch::CellUnit::WanYuan));
    assert!(w[0].contains("未写单位的金额都在 100 亿元以上（最小为 10,000,000,000元）"), "{w:?}");
    // Plausible, stated, too few, or carrying their own unit: no warning.
    for csv in [
        "企业名称,2025年营业收入\n甲,3200000\n乙,800\n丙,15000000\n",
        "企业名称,2025年营业收入（元）\n甲,320\n乙,800\n丙,1500\n",
        "企业名称,2025年营业收入\n甲,320\n乙,800\n",
        "企业名称,2025年营业收入\n甲,320万元\n乙,800万元\n丙,1500万元\n",
    ] {
        assert_eq!(warnings(csv, None), Vec::<String>::new(), "{csv}");
    }
}

// ------------------------------------------------- invisible characters

/// Text pasted from a web page or a chat carries zero-width spaces at its
/// edges; they are as invisible as spaces, so `小型\u{200b}` is 小型 (the
/// message "“小型”不是可选项之一：小型、中型、大型" baffled staff) and
/// `\u{200b}20` is 20. No-break spaces are spaces.
#[test]
fn zero_width_and_no_break_spaces_at_a_cells_edges_are_ignored() {
    let cat = catalogue();
    let csv = "企业名称,2025年营业收入（万元）,2025年职工总数,企业规模,是否高新技术企业\n\
               甲公司\u{200b},320\u{a0},20\u{200b},小型\u{200b},是\u{a0}\n\
               乙公司,1\u{a0}234,\u{200b}20,\u{a0}中型,\u{feff}否\n";
    let t = batch::import(csv.as_bytes(), &ImportOptions::default()).unwrap();
    let r = run(&cat, &t);
    assert!(r.issues.is_empty(), "{:?}", r.issues);
    assert_eq!(r.keys, ["甲公司", "乙公司"]);
    let sme = r.policy_index("sme_loan").unwrap();
    let small = r.policy_index("small_enterprise_grant").unwrap();
    // Both small or medium; 甲 ¥3.2m and 20 staff: the grant; 乙 ¥12.34m: not.
    assert_eq!([r.verdict(0, sme), r.verdict(1, sme)], [Verdict::Qualifies, Verdict::Qualifies]);
    assert_eq!([r.verdict(0, small), r.verdict(1, small)], [Verdict::Qualifies, Verdict::DoesNotQualify]);
}

// ------------------------------------------------- placeholder dates

/// Systems export an empty date field as 1900-01-01. Read as a real day, a
/// company "founded in 1900" fails "founded in 2020 or later" without a
/// word; it is reported and read as not provided, in a date column and in a
/// list of dates. A real old date is read.
#[test]
fn the_empty_date_placeholder_1900_01_01_is_reported_not_read_as_a_founding_date() {
    let cat = catalogue();
    let csv = "企业名称,成立日期,行政处罚日期\n甲公司,1900-01-01,\n乙公司,1900/1/1,\n丙公司,2021-05-01,\"2025-03-01, 1900-01-01\"\n丁公司,1901-01-01,无\n";
    let t = batch::import(csv.as_bytes(), &ImportOptions::default()).unwrap();
    let r = run(&cat, &t);
    let bad: Vec<(u32, &str)> = r.issues.iter().map(|i| (i.row, i.column.as_str())).collect();
    assert_eq!(bad, [(2, "成立日期"), (3, "成立日期"), (4, "行政处罚日期")], "{:?}", r.issues);
    assert!(r.issues[0].message_zh.contains("占位"), "{}", r.issues[0].message_zh);
    let young = r.policy_index("young_enterprise").unwrap();
    // 甲, 乙: founding date unknown (undecided, not failed); 丙: founded 2021,
    // penalty list unread (undecided); 丁: founded 1901: fails.
    assert_eq!(
        [r.verdict(0, young), r.verdict(1, young), r.verdict(2, young), r.verdict(3, young)],
        [Verdict::Undecided, Verdict::Undecided, Verdict::Undecided, Verdict::DoesNotQualify]
    );
}
