//! Batch 政策找人: import (CSV, GBK, XLSX), mapping, validation, run, export round trips, CLI.
#![cfg(feature = "batch")]

use policy_match::batch::{
    self, export, import, BatchError, BatchOptions, CellUnit, ExportOptions, ImportOptions, Lang, Mapping, MatchKind, SourceFormat, Table,
};
use policy_match::catalogue::Catalogue;
use policy_match::matching::Verdict;
use rust_xlsxwriter::{Format, Workbook};

use crate::util::{bin, catalogues, root, run_batch, NATIONAL};

fn fixture(name: &str) -> std::path::PathBuf {
    root().join("tests/fixtures/batch").join(name)
}

fn catalogue() -> Catalogue {
    catalogues(&["tests/fixtures/batch/catalogue.json"])
}

fn as_of() -> policy_match::rules::Date {
    "2026-07-01".parse().unwrap()
}

fn csv_table(text: &str) -> Table {
    batch::import(text.as_bytes(), &ImportOptions::default()).unwrap()
}

fn rows(t: &Table) -> Vec<Vec<String>> {
    (0..t.len()).map(|r| t.row(r).map(str::to_string).collect()).collect()
}

fn tmp_dir(name: &str) -> std::path::PathBuf {
    let d = root().join("target/batch-tests").join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

// ---------------------------------------------------------------- CSV import

#[test]
fn csv_fixture_bom_title_quotes_newlines_blank_lines() {
    let bytes = std::fs::read(fixture("enterprises.csv")).unwrap();
    let t = batch::import(&bytes, &ImportOptions::default()).unwrap();
    assert_eq!(t.source.format, SourceFormat::Csv);
    assert_eq!(t.source.encoding, Some("UTF-8"));
    assert_eq!(t.source.header_rows, vec![2], "the title row is skipped");
    assert!(t.notes[0].contains("title"), "{:?}", t.notes);
    assert_eq!(t.headers[0], "企业名称", "no BOM in the first header");
    assert_eq!(t.width(), 8);
    assert_eq!(t.len(), 6);
    assert_eq!(t.blank_rows, 2, "the empty line 5 and the row of empty cells 8");
    assert_eq!(t.cell(1, 0), "乙制造, 有限公司");
    assert_eq!(t.cell(3, 0), "丁\"贸易\"");
    assert_eq!(t.cell(4, 0), "戊 生物\n（孵化中）");
    // Source rows: the blank line (5) and the empty-cell row (8) are skipped; 戊 spans lines 9–10.
    let lines: Vec<u32> = (0..t.len()).map(|r| t.line(r)).collect();
    assert_eq!(lines, [3, 4, 6, 7, 9, 11]);
}

/// Excel on Windows ends CSV lines with CRLF: only real empty lines are
/// blank rows, and the row numbers are the lines'.
#[test]
fn csv_crlf_line_endings() {
    for (eol, what) in [("\r\n", "CRLF"), ("\n", "LF")] {
        let t = csv_table(&["名称,人数", "甲,1", "", "乙,2", ",", "丙,3", ""].join(eol));
        assert_eq!((0..t.len()).map(|r| t.line(r)).collect::<Vec<_>>(), [2, 4, 6], "{what}");
        assert_eq!(t.blank_rows, 2, "{what}: lines 3 and 5");
    }
}

#[test]
fn csv_gbk_and_gb18030_are_detected_and_decoded() {
    let text = "企业名称,营业收入（万元）,成立日期\n甲科技有限公司,320,2021-03-15\n\"乙制造,有限公司\",1200,2012-07-01\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&gbk).is_err(), "the fixture really is GBK");
    let t = batch::import(&gbk, &ImportOptions::default()).unwrap();
    assert_eq!(t.source.encoding, Some("GB18030"));
    assert_eq!(t.headers, ["企业名称", "营业收入（万元）", "成立日期"]);
    assert_eq!(rows(&t), [vec!["甲科技有限公司", "320", "2021-03-15"], vec!["乙制造,有限公司", "1200", "2012-07-01"]]);
    // A character outside GBK (GB18030 four-byte form) decodes too.
    let (gb18030, _, _) = encoding_rs::GB18030.encode("名称\n𠀀公司\n");
    assert_eq!(batch::import(&gb18030, &ImportOptions::default()).unwrap().cell(0, 0), "𠀀公司");
}

/// GBK rows pasted under a UTF-8 header: decoded as GBK, the header turned
/// to gibberish (浼佷笟鍚嶇О) and nothing mapped; the file is refused with
/// the line where the encoding changes. A GBK file with an ASCII header
/// still reads as GBK.
#[test]
fn csv_in_two_encodings_is_refused_with_the_line() {
    let (gbk, _, _) = encoding_rs::GBK.encode("甲公司,12\n乙公司,30\n");
    let mixed = ["企业名称,营业收入\n".as_bytes(), &gbk].concat();
    let e = batch::import(&mixed, &ImportOptions::default()).unwrap_err();
    assert_eq!((e.kind(), &e), ("mixed-encoding", &BatchError::MixedEncoding { line: 2 }));
    assert!(e.to_string().contains("but line 2 is not UTF-8"), "{e}");
    let ascii_header = [&b"name,revenue\n"[..], &gbk].concat();
    let t = batch::import(&ascii_header, &ImportOptions::default()).unwrap();
    assert_eq!((t.source.encoding, t.cell(1, 0)), (Some("GB18030"), "乙公司"));
}

#[test]
fn csv_utf16_semicolons_tabs_and_undecodable_bytes() {
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "名称\t人数\n甲\t12\n".encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    let t = batch::import(&utf16, &ImportOptions::default()).unwrap();
    assert_eq!((t.source.encoding, t.source.delimiter), (Some("UTF-16LE"), Some('\t')));
    assert_eq!(rows(&t), [vec!["甲", "12"]]);
    let t = csv_table("名称;金额\n\"a;b\";1,5\n");
    assert_eq!((t.source.delimiter, t.cell(0, 0), t.cell(0, 1)), (Some(';'), "a;b", "1,5"));
    let e = batch::import(b"name\n\xff\xff\xff\xff\n", &ImportOptions::default()).unwrap_err();
    assert_eq!(e.kind(), "encoding", "{e}");
    assert!(e.to_string().contains("neither UTF-8"), "{e}");
}

/// The delimiter is the one the lines agree on, not the first line's: a
/// title line above a tab- or semicolon-separated table has none, or a
/// stray comma (the whole file was read as one column, `1,234.5` split).
#[test]
fn csv_delimiter_under_a_title_line() {
    for (text, delimiter) in [
        ("某园区企业名单（单位：万元）\n企业名称\t营业收入\t成立日期\n甲公司\t1,234.5\t2024/3/5\n乙公司\t2,000\t2024/3/6\n", '\t'),
        ("Company list, 2025\n企业名称\t营业收入\t成立日期\n甲公司\t1,234.5\t2024/3/5\n", '\t'),
        ("某园区企业名单\n企业名称;营业收入;成立日期\n甲公司;1,234.5;2024/3/5\n", ';'),
        ("企业名称,营业收入,产业链\n甲公司,1234.5,智能制造;集成电路\n乙公司,2000,新能源;生物医药\n", ','),
    ] {
        let t = csv_table(text);
        assert_eq!(t.source.delimiter, Some(delimiter), "{text:?}");
        assert_eq!(t.headers, ["企业名称", "营业收入", if delimiter == ',' { "产业链" } else { "成立日期" }], "{text:?}");
        assert_eq!(t.cell(0, 0), "甲公司", "{text:?}");
        assert_eq!(t.cell(0, 1), if delimiter == ',' { "1234.5" } else { "1,234.5" }, "{text:?}");
    }
}

/// Systems export codes, numbers and dates as Excel text formulas
/// (`="91330106MA2H000001"`, `="320"`) so that Excel keeps them as written:
/// they are read as their text (each was a bad cell). Other formulas stay.
#[test]
fn csv_excel_text_formulas_are_read_as_their_text() {
    let t = csv_table("企业名称,统一社会信用代码,营业收入（万元）,成立日期\n甲公司,=\"0330106MA2H000001\",=\"320\",=\"2024-03-05\"\n\"=\"\"乙,\"\"\"\"公司\"\"\",,=SUM(1),\"=\"\"a\"\"&\"\"b\"\"\"\n");
    assert_eq!(rows(&t), [vec!["甲公司", "0330106MA2H000001", "320", "2024-03-05"], vec!["乙,\"公司", "", "=SUM(1)", "=\"a\"&\"b\""]]);
}

#[test]
fn csv_shapes_headers_and_limits() {
    // Extra cells are reported (not silently dropped); short rows too; headers made unique.
    let t = csv_table("名称,,名称,金额\n甲,x,y,1,多余\n乙,,\n");
    assert_eq!(t.headers, ["名称", "(B)", "名称 (2)", "金额"]);
    assert_eq!(t.row_problems.len(), 2);
    assert_eq!(t.row_problems[0].row, 2);
    assert!(t.row_problems[0].message.contains("多余"), "{:?}", t.row_problems);
    assert!(t.row_problems[1].message.contains("3 cells"), "{:?}", t.row_problems);
    assert!(t.notes.iter().any(|n| n.contains("名称 (2)")));
    assert!(matches!(batch::import(b"", &ImportOptions::default()), Err(BatchError::NoHeader)));
    assert!(matches!(batch::import(b"\n\n,,\n", &ImportOptions::default()), Err(BatchError::NoHeader)));
    // One row over the row limit: the whole list is refused, saying so (none is read, none silently dropped).
    let mut long = String::from("名称\n");
    long.push_str(&"x\n".repeat(batch::MAX_ROWS + 1));
    let e = batch::import(long.as_bytes(), &ImportOptions::default()).unwrap_err();
    assert_eq!((e.kind(), &e), ("too-many-rows", &BatchError::TooManyRows { limit: batch::MAX_ROWS }));
    assert!(e.to_string().contains("more than 1000000 data rows; none is read"), "{e}");
    long.truncate(long.len() - 2);
    assert_eq!(batch::import(long.as_bytes(), &ImportOptions::default()).unwrap().len(), batch::MAX_ROWS);
    let e = batch::check_size(200 * 1024 * 1024).unwrap_err();
    assert_eq!(e.kind(), "too-large");
    assert!(e.to_string().contains("200.0 MiB") && e.to_string().contains("100.0 MiB"), "{e}");
}

// --------------------------------------------------------------- XLSX import

/// `policy-match batch` on `list` against the national catalogue as of
/// 2026-07-01, writing to `out`.
/// `policy-match batch` on the national catalogue for the list `bytes`,
/// saved as `file` in a fresh directory named after `name`: whether it
/// succeeded, and what it printed on stderr.
fn batch_national(name: &str, file: &str, bytes: &[u8]) -> (bool, String) {
    let dir = tmp_dir(name);
    std::fs::write(dir.join(file), bytes).unwrap();
    let out = bin()
        .args(["batch", "--catalogue", "www/catalogues/cn-national-2026.json", "--enterprises"])
        .arg(dir.join(file))
        .arg("--out")
        .arg(dir.join("out"))
        .args(["--as-of", "2026-07-01"])
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Write rows of comma-separated text into `ws` from its top-left cell
/// (an empty part leaves its cell empty).
fn write_rows<'a>(ws: &mut rust_xlsxwriter::Worksheet, rows: impl IntoIterator<Item = &'a str>) {
    for (r, line) in rows.into_iter().enumerate() {
        for (c, cell) in line.split(',').enumerate().filter(|(_, cell)| !cell.is_empty()) {
            ws.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
}

fn workbook_bytes(build: impl FnOnce(&mut Workbook)) -> Vec<u8> {
    let mut wb = Workbook::new();
    build(&mut wb);
    wb.save_to_buffer().unwrap()
}

#[test]
fn xlsx_sheets_dates_as_numbers_and_merged_headers() {
    let bytes = workbook_bytes(|wb| {
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let bold = Format::new().set_bold();
        // An empty first sheet, a notes sheet, then the data.
        wb.add_worksheet().set_name("封面").unwrap();
        let ws = wb.add_worksheet();
        ws.set_name("企业").unwrap();
        // Row 1: a title merged across all columns.
        ws.merge_range(0, 0, 0, 5, "示例园区2026年企业名单", &bold).unwrap();
        // Rows 2–3: a two-row header: 企业名称 and 成立日期 merged down, 营业收入（万元） and 研发 merged across.
        ws.merge_range(1, 0, 2, 0, "企业名称", &bold).unwrap();
        ws.merge_range(1, 1, 2, 1, "成立日期", &bold).unwrap();
        ws.merge_range(1, 2, 1, 3, "营业收入（万元）", &bold).unwrap();
        ws.write_string(2, 2, "2024年").unwrap();
        ws.write_string(2, 3, "2025年").unwrap();
        ws.merge_range(1, 4, 1, 5, "人员", &bold).unwrap();
        ws.write_string(2, 4, "职工总数").unwrap();
        ws.write_string(2, 5, "是否高新技术企业").unwrap();
        // Data: dates stored as numbers with a date format, a plain serial number, a number, a boolean.
        ws.write_string(3, 0, "甲科技").unwrap();
        ws.write_number_with_format(3, 1, 45047.0, &date).unwrap(); // 2023-05-01
        ws.write_number(3, 2, 300).unwrap();
        ws.write_number(3, 3, 320.5).unwrap();
        ws.write_number(3, 4, 45).unwrap();
        ws.write_boolean(3, 5, true).unwrap();
        ws.write_string(5, 0, "乙制造").unwrap(); // row 5 (index 4) left blank
        ws.write_number(5, 1, 41091.0).unwrap(); // 2012-07-01 as a bare serial
        ws.write_string(5, 3, "1,200").unwrap();
        // A region (所属街道) merged down over the two data rows in another column.
        ws.merge_range(3, 6, 5, 6, "东湖街道", &Format::new()).unwrap();
        let notes = wb.add_worksheet();
        notes.set_name("说明").unwrap();
        notes.write_string(0, 0, "本表由系统导出").unwrap();
    });
    assert_eq!(SourceFormat::detect(&bytes), SourceFormat::Xlsx);
    let t = batch::import(&bytes, &ImportOptions::default()).unwrap();
    assert_eq!(t.source.sheet.as_deref(), Some("企业"), "the first sheet with data");
    assert_eq!(t.source.sheets, ["封面", "企业", "说明"]);
    assert_eq!(t.source.header_rows, vec![2, 3]);
    assert_eq!(t.headers, ["企业名称", "成立日期", "营业收入（万元）/2024年", "营业收入（万元）/2025年", "人员/职工总数", "人员/是否高新技术企业", "(G)"]);
    assert_eq!(rows(&t), [vec!["甲科技", "2023-05-01", "300", "320.5", "45", "TRUE", "东湖街道"], vec!["乙制造", "41091", "", "1,200", "", "", "东湖街道"],]);
    assert_eq!((t.line(0), t.line(1)), (4, 6));
    assert_eq!(t.blank_rows, 1);
    assert!(t.notes.iter().any(|n| n.contains("title")) && t.notes.iter().any(|n| n.contains("two-row header")), "{:?}", t.notes);

    // The combined headers map: years and the 万元 unit come from the two header rows.
    let cat = catalogue();
    let m = batch::auto_map(&cat, &t.headers);
    let col = |h: &str| m.columns.iter().find(|c| c.column == h).unwrap();
    assert_eq!(col("营业收入（万元）/2025年").field.as_deref(), Some("revenue_2025_cny"));
    assert_eq!(col("营业收入（万元）/2025年").unit, Some(CellUnit::WanYuan));
    assert_eq!(col("营业收入（万元）/2024年").field, None);
    assert_eq!(col("成立日期").field.as_deref(), Some("registration_date"));
    assert_eq!(col("人员/是否高新技术企业").field.as_deref(), Some("is_hnte"));
    // The bare serial in a date column is read as an Excel date.
    let r = run_batch(&cat, &t, &m);
    assert!(r.issues.is_empty(), "{:?}", r.issues);
    assert_eq!(r.verdict(1, r.policy_index("young_enterprise").unwrap()), Verdict::DoesNotQualify, "founded 2012-07-01");

    // A sheet by name; a missing sheet is an error listing the sheets.
    let t = batch::import(&bytes, &ImportOptions { sheet: Some("说明".into()), ..Default::default() }).unwrap();
    assert_eq!((t.headers.as_slice(), t.len()), (&["本表由系统导出".to_string()][..], 0));
    match batch::import(&bytes, &ImportOptions { sheet: Some("数据".into()), ..Default::default() }) {
        Err(BatchError::SheetNotFound { available, .. }) => assert_eq!(available, ["封面", "企业", "说明"]),
        other => panic!("{other:?}"),
    }
    // Not a workbook at all.
    assert_eq!(import::import_xlsx(b"PK\x03\x04 not really a zip", None).unwrap_err().kind(), "xlsx");
}

/// A workbook whose first sheet is the instructions (`填表说明`: a title,
/// notes, a two-column table of the columns) and whose list is on the
/// second: the list is read (the instructions sheet was read as a list of
/// two "enterprises"), with a note; a named sheet is read as named.
#[test]
fn the_sheet_whose_columns_fit_the_catalogue_is_read() {
    let cat = national();
    let bytes = workbook_bytes(|wb| {
        let ins = wb.add_worksheet();
        ins.set_name("填表说明").unwrap();
        write_rows(ins, ["填表说明", "1. 金额单位：万元", "字段,说明", "企业名称,营业执照上的全称", "从业人数,季度平均值", "资产总额,年末数"]);
        let ws = wb.add_worksheet();
        ws.set_name("企业名单").unwrap();
        write_rows(ws, ["企业名称,从业人数,资产总额,成立日期", "甲公司,120,5000000,2020-01-01"]);
        wb.add_worksheet().set_name("行业代码").unwrap().write_string(0, 0, "代码").unwrap();
    });
    let t = batch::import_for(&cat, &bytes, &ImportOptions::default()).unwrap();
    assert_eq!(t.source.sheet.as_deref(), Some("企业名单"));
    assert_eq!((t.headers.len(), t.len(), t.cell(0, 0)), (4, 1, "甲公司"));
    assert!(t.source.hidden_sheets.is_empty());
    assert!(t.notes_zh[0].starts_with("读取的是工作表“企业名单”：其中 3 列与政策目录的字段对应"), "{:?}", t.notes_zh);
    // Named, the instructions sheet is read as asked.
    let t = batch::import_for(&cat, &bytes, &ImportOptions { sheet: Some("填表说明".into()), ..Default::default() }).unwrap();
    assert_eq!(t.source.sheet.as_deref(), Some("填表说明"));
    // The page's session and the CLI read the list too.
    let mut s = batch::session::Session::from_catalogue(cat, as_of());
    assert_eq!(s.import(&bytes, None).unwrap().source.sheet.as_deref(), Some("企业名单"));
    let (ok, err) = batch_national("sheet-choice", "list.xlsx", &bytes);
    assert!(ok && err.contains("工作表 `企业名单`）：1 行，4 列"), "{err}");
}

/// Templates keep the options of their drop-down lists on a hidden sheet
/// (`下拉选项`: 所属行业, 企业规模, 纳税信用等级 — headers that match the
/// catalogue better than the list's own). A hidden sheet is not read unless
/// it is named: the first sheet with data was that hidden sheet.
#[test]
fn a_hidden_sheet_is_not_read_unless_named() {
    let cat = national();
    let bytes = workbook_bytes(|wb| {
        let opts = wb.add_worksheet();
        opts.set_name("下拉选项").unwrap();
        write_rows(opts, ["所属行业,企业规模,纳税信用等级", "C 制造业,小型,A", "I 信息传输,微型,B"]);
        opts.set_hidden(true);
        let ws = wb.add_worksheet();
        ws.set_name("企业名单").unwrap();
        write_rows(ws, ["企业名称,从业人数", "甲公司,120"]);
        ws.set_active(true);
    });
    for t in [batch::import(&bytes, &ImportOptions::default()).unwrap(), batch::import_for(&cat, &bytes, &ImportOptions::default()).unwrap()] {
        assert_eq!(t.source.sheet.as_deref(), Some("企业名单"));
        assert_eq!(t.source.hidden_sheets, ["下拉选项"]);
        assert_eq!(rows(&t), [vec!["甲公司", "120"]]);
    }
    let t = batch::import(&bytes, &ImportOptions { sheet: Some("下拉选项".into()), ..Default::default() }).unwrap();
    assert_eq!(t.len(), 2);
}

// ------------------------------------------------------------------- mapping

#[test]
fn auto_mapping_by_name_labels_aliases_units_and_ambiguity() {
    let cat = catalogue();
    let headers = ["企业名称", "revenue_2025_cny", "2025 Employees", "成立日期", "营收", "研发费用占比(%)", "人数", "Size class", "行政处罚 日期", "备注"];
    let m = batch::auto_map(&cat, &headers);
    let got: Vec<(Option<&str>, Option<MatchKind>)> = m.columns.iter().map(|c| (c.field.as_deref(), c.matched_by)).collect();
    assert_eq!(
        got,
        [
            (None, None),
            (Some("revenue_2025_cny"), Some(MatchKind::Name)),
            (Some("employees_2025"), Some(MatchKind::LabelEn)),
            (Some("registration_date"), Some(MatchKind::LabelZh)),
            (None, None), // 营收 is revenue_2025_cny's alias, but that field is already taken by its exact name
            (Some("rd_ratio_2025_pct"), Some(MatchKind::Similar)),
            (None, None), // 人数: two fields have this alias
            (Some("size_class"), Some(MatchKind::LabelEn)),
            (Some("penalty_dates"), Some(MatchKind::Normalized)),
            (None, None),
        ]
    );
    assert_eq!(m.columns[4].candidates, ["revenue_2025_cny"]);
    assert_eq!(m.columns[6].candidates, ["staff_2025", "workers_2025"]);
    assert_eq!(m.key_column.as_deref(), Some("企业名称"));
    assert_eq!(m.columns[1].label.as_deref(), Some("2025年营业收入"));

    // Units from the header: 万元, 亿元, (元), CNY 10k; none for a non-money field.
    for (h, unit) in [
        ("营业收入（万元）", Some(CellUnit::WanYuan)),
        ("2025年营业收入/亿元", Some(CellUnit::YiYuan)),
        ("2025年营业收入(元)", None),
        ("2025 operating revenue (CNY 10k)", Some(CellUnit::WanYuan)),
        ("2025年营业收入（千元）", Some(CellUnit::ThousandYuan)),
    ] {
        let m = batch::auto_map(&cat, &[h]);
        assert_eq!((m.columns[0].field.as_deref(), m.columns[0].unit), (Some("revenue_2025_cny"), unit), "{h}");
    }
}

fn national() -> Catalogue {
    catalogues(&[NATIONAL])
}

/// The mapped field, its unit and how, for one header.
fn map_one(cat: &Catalogue, h: &str) -> (Option<String>, Option<CellUnit>, Option<MatchKind>) {
    let m = batch::auto_map(cat, &[h]);
    let c = &m.columns[0];
    (c.field.clone(), c.unit, c.matched_by)
}

#[test]
fn an_alias_without_a_year_stands_for_the_fields_year_and_a_labels_bracketed_qualifier_is_optional() {
    use crate::util::{compile, doc};
    let cat = compile(&doc(
        serde_json::json!([
            {"name": "heads_2025", "type": "number", "unit": "people", "label": {"zh": "2025年从业人数（全年季度平均值）", "en": "2025 headcount (quarterly average)"}, "aliases": ["从业人数"]},
            {"name": "assets_2025", "type": "number", "unit": "cny", "label": {"zh": "2025年末资产总额", "en": "Total assets at end-2025"}, "aliases": ["资产总额"]},
            {"name": "equity_cny", "type": "number", "unit": "cny", "label": {"zh": "累计股权融资（实缴）", "en": "Cumulative equity financing (paid-in)"}},
            {"name": "share_2025_pct", "type": "number", "unit": "percent", "label": {"zh": "2025年高新技术产品（服务）收入占比", "en": "2025 high-tech income share"}}
        ]),
        serde_json::json!([]),
    ));
    let f = |h: &str| map_one(&cat, h).0;
    // The alias as written, and with the field's own year; another year is another figure.
    assert_eq!(map_one(&cat, "从业人数"), (Some("heads_2025".into()), None, Some(MatchKind::Alias)));
    assert_eq!(f("2025年从业人数"), Some("heads_2025".into()));
    assert_eq!(f("从业人数（2025年）"), Some("heads_2025".into()));
    assert_eq!(f("2024年从业人数"), None);
    assert_eq!(map_one(&cat, "2025年资产总额（万元）"), (Some("assets_2025".into()), Some(CellUnit::WanYuan), Some(MatchKind::Normalized)));
    assert_eq!(f("2023年资产总额"), None);
    // A label's bracketed qualifier may be left out (a close match: to be checked).
    assert_eq!(map_one(&cat, "累计股权融资(万元)"), (Some("equity_cny".into()), Some(CellUnit::WanYuan), Some(MatchKind::Similar)));
    assert_eq!(map_one(&cat, "2025年高新技术产品收入占比（%）"), (Some("share_2025_pct".into()), None, Some(MatchKind::Similar)));
    assert_eq!(f("高新技术产品收入占比"), Some("share_2025_pct".into()));
    assert_eq!(f("2024年高新技术产品收入占比"), None);
    // ... but the qualifier is not dropped from the header: it must then be the label's.
    assert_eq!(f("累计股权融资（认缴）"), None);
}

#[test]
fn national_catalogue_aliases_map_the_headers_zone_exports_use() {
    let cat = national();
    let wan = Some(CellUnit::WanYuan);
    for (h, field, unit) in [
        // 小型微利: 从业人数 and 资产总额 as on the CIT return (A000000, 填写平均值).
        ("从业人数", "cit_headcount_quarterly_avg_2025", None),
        ("从业人数（人）", "cit_headcount_quarterly_avg_2025", None),
        ("2025年从业人数", "cit_headcount_quarterly_avg_2025", None),
        ("从业人数（填写平均值）", "cit_headcount_quarterly_avg_2025", None),
        ("资产总额（填写平均值）", "cit_total_assets_quarterly_avg_2025_cny", None),
        ("资产总额季度平均值（万元）", "cit_total_assets_quarterly_avg_2025_cny", wan),
        // A plain 资产总额 is the balance-sheet figure (资产总计, year end), in any unit spelling.
        ("资产总额（万元）", "total_assets_2025_year_end_cny", wan),
        ("资产总额(万元)", "total_assets_2025_year_end_cny", wan),
        ("资产总额【万元】", "total_assets_2025_year_end_cny", wan),
        ("资产总额万元", "total_assets_2025_year_end_cny", wan),
        ("资产总额 单位：万元", "total_assets_2025_year_end_cny", wan),
        ("资产总额/亿元", "total_assets_2025_year_end_cny", Some(CellUnit::YiYuan)),
        ("资产总计", "total_assets_2025_year_end_cny", None),
        ("应纳税所得额（万元）", "cit_taxable_income_2025_cny", wan),
        ("职工人数", "employees_total_2025", None),
        ("资产负债率(%)", "debt_to_asset_ratio_2025_year_end_pct", None),
        ("是否居民企业", "is_resident_enterprise", None),
        ("主营业务收入占比(%)", "main_business_revenue_share_2025_pct", None),
        ("企业规模", "enterprise_size_class", None),
        ("纳税信用等级", "tax_credit_rating_2025", None),
        ("所属行业", "industry_gb4754_section", None),
        ("成立时间", "registration_date", None),
    ] {
        let (got, got_unit, _) = map_one(&cat, h);
        assert_eq!((got.as_deref(), got_unit), (Some(field), unit), "{h}");
    }
    // Revenue without a year stays a question: three years are declared.
    let m = batch::auto_map(&cat, &["营业收入（万元）"]);
    assert_eq!(m.columns[0].field, None);
    assert_eq!(m.columns[0].candidates, ["operating_revenue_2023_cny", "operating_revenue_2024_cny", "operating_revenue_2025_cny"]);
    // Headcount and assets side by side: each column its own field.
    let m = batch::auto_map(&cat, &["企业名称", "从业人数", "职工人数", "资产总额（万元）", "资产总额季度平均值（万元）"]);
    let got: Vec<Option<&str>> = m.columns.iter().map(|c| c.field.as_deref()).collect();
    assert_eq!(
        got,
        [
            None,
            Some("cit_headcount_quarterly_avg_2025"),
            Some("employees_total_2025"),
            Some("total_assets_2025_year_end_cny"),
            Some("cit_total_assets_quarterly_avg_2025_cny")
        ]
    );
}

#[test]
fn zone_export_cells_industry_names_accounting_negatives_and_empty_lines() {
    let cat = national();
    // Line 1 header; 2 甲; 3 empty; 4 乙; 5 empty; 6 丙.
    let t = csv_table(
        "企业名称,是否居民企业,所属行业,应纳税所得额（万元）,资产总额（万元）\n\
         甲,是,制造业,(12.5),\"(1,234.50)\"\n\n\
         乙,否,C 制造业,（0.0001）,\"（1,234）\"\n\r\n\
         丙,√,信息传输、软件和信息技术服务业,(abc),()\n",
    );
    assert_eq!(t.len(), 3);
    assert_eq!((0..3).map(|r| t.line(r)).collect::<Vec<_>>(), [2, 4, 6]);
    assert_eq!(t.blank_rows, 2, "the two empty lines");
    let m = batch::auto_map(&cat, &t.headers);
    let fields: Vec<Option<&str>> = m.columns.iter().map(|c| c.field.as_deref()).collect();
    assert_eq!(
        fields,
        [None, Some("is_resident_enterprise"), Some("industry_gb4754_section"), Some("cit_taxable_income_2025_cny"), Some("total_assets_2025_year_end_cny")]
    );
    let resolved = m.resolve(&cat, &t).unwrap();
    let reader = batch::validate::RowReader::new(&cat, &t, &resolved);
    let mut p = policy_match::matching::Profile::empty(&cat);
    let mut issues = Vec::new();
    let value = |p: &policy_match::matching::Profile, f: &str| serde_json::to_value(p.get(&cat, f).unwrap()).unwrap();
    // 甲: 制造业 is option C's label without its code; (12.5) 万元 is -125,000 元;
    // assets cannot be negative: (1,234.50) 万元 = -12,345,000 is reported, not read as 12,345,000.
    assert_eq!(reader.read(0, &mut p, &mut issues), 1, "{issues:?}");
    assert_eq!(value(&p, "is_resident_enterprise"), true);
    assert_eq!(value(&p, "industry_gb4754_section"), "C");
    assert_eq!(value(&p, "cit_taxable_income_2025_cny"), serde_json::json!(-125000));
    assert!(!p.get(&cat, "total_assets_2025_year_end_cny").unwrap().is_provided());
    assert_eq!((issues[0].row, issues[0].column.as_str(), issues[0].raw.as_str()), (2, "资产总额（万元）", "(1,234.50)"));
    // 乙: full-width brackets; 0.0001 万元 = 1 元 exactly.
    issues.clear();
    assert_eq!(reader.read(1, &mut p, &mut issues), 1, "{issues:?}");
    assert_eq!(value(&p, "industry_gb4754_section"), "C");
    assert_eq!(value(&p, "cit_taxable_income_2025_cny"), serde_json::json!(-1));
    assert_eq!((issues[0].row, issues[0].raw.as_str()), (4, "（1,234）"));
    // 丙: the label of I without its code; brackets around no number are reported as they are.
    issues.clear();
    assert_eq!(reader.read(2, &mut p, &mut issues), 2, "{issues:?}");
    assert_eq!(value(&p, "industry_gb4754_section"), "I");
    let raws: Vec<(u32, &str)> = issues.iter().map(|i| (i.row, i.raw.as_str())).collect();
    assert_eq!(raws, [(6, "(abc)"), (6, "()")]);
}

/// A zone's export as Excel's 中文 CSV saves it (GBK): units in many spellings,
/// yes/no and dates written every way, separators, placeholders, bad cells.
#[test]
fn a_gbk_zone_export_reads_every_cell_exactly() {
    let cat = national();
    let text = "统一社会信用代码,企业名称,成立日期,是否居民企业,2025年营业收入（万元）,2024年营业收入(万元),2023年营业收入【万元】,2025年研发费用 单位：万元,2024年研发费用/亿元,2023年研发费用（元）,资产负债率（%）,从业人数（人）,职工人数/人,高企证书发证日期,纳税信用等级\n\
91330106MA2H000001,甲科技有限公司,2019-03-01,是,\"1,234.5678 \",1000,800,123.45,0.0123,\"1,000,000\",45.5,120,110,2023/12/8,A级\n\
91330106MA2H000002,乙制造有限公司,2019/3/1,√, 2 000 ,—,/,0,0,0,60%,300 人,300,2023年12月8日,B\n\
91330106MA2H000003,丙软件有限公司,2019年3月1日,Y,\"12,345,678.9\",-,,5.5,0.05,12345,0,50,50,20231208,a\n\
91330106MA2H000004,丁服务有限公司,20190301,有,0.01,0.0001,0.00001,1,1,1,100,0,0,45268,A\n\
91330106MA2H000005,戊商贸有限公司,43525,×,\"(100)\",100,100,1,1,1,101,-1,1.5,2023-13-01,AA\n\
91330106MA2H000006,己生物有限公司,2019-02-29,N,1e3,１２３,\"1,23\",1,1,1,50,10,10,2023-02-29,C\n\
91330106MA2H000007,庚电子有限公司,2019-3-1,无,  ,,,,,,,,,,\n\
";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    let t = batch::import(&gbk, &ImportOptions::default()).unwrap();
    assert_eq!((t.source.encoding, t.len(), t.width()), (Some("GB18030"), 7, 15));
    let m = batch::auto_map(&cat, &t.headers);
    let got: Vec<(Option<&str>, Option<CellUnit>)> = m.columns.iter().map(|c| (c.field.as_deref(), c.unit)).collect();
    let wan = Some(CellUnit::WanYuan);
    assert_eq!(
        got,
        [
            (None, None),
            (None, None),
            (Some("registration_date"), None),
            (Some("is_resident_enterprise"), None),
            (Some("operating_revenue_2025_cny"), wan),
            (Some("operating_revenue_2024_cny"), wan),
            (Some("operating_revenue_2023_cny"), wan),
            (Some("rd_expense_2025_cny"), wan),
            (Some("rd_expense_2024_cny"), Some(CellUnit::YiYuan)),
            (Some("rd_expense_2023_cny"), None),
            (Some("debt_to_asset_ratio_2025_year_end_pct"), None),
            (Some("cit_headcount_quarterly_avg_2025"), None),
            (Some("employees_total_2025"), None),
            (Some("hnte_certificate_issue_date"), None),
            (Some("tax_credit_rating_2025"), None),
        ]
    );
    assert_eq!(m.key_column.as_deref(), Some("企业名称"));
    let resolved = m.resolve(&cat, &t).unwrap();
    let reader = batch::validate::RowReader::new(&cat, &t, &resolved);
    let mut p = policy_match::matching::Profile::empty(&cat);
    let mut issues = Vec::new();
    let fields = [
        "registration_date",
        "is_resident_enterprise",
        "operating_revenue_2025_cny",
        "operating_revenue_2024_cny",
        "operating_revenue_2023_cny",
        "rd_expense_2025_cny",
        "rd_expense_2024_cny",
        "rd_expense_2023_cny",
        "debt_to_asset_ratio_2025_year_end_pct",
        "cit_headcount_quarterly_avg_2025",
        "employees_total_2025",
        "hnte_certificate_issue_date",
        "tax_credit_rating_2025",
    ];
    let n = |s: &str| serde_json::Value::Number(s.parse().unwrap());
    let null = serde_json::Value::Null;
    let (d, yes, no) = (serde_json::json!("2019-03-01"), serde_json::json!(true), serde_json::json!(false));
    let hnte = serde_json::json!("2023-12-08");
    let want: [Vec<serde_json::Value>; 7] = [
        // 1,234.5678 万元 (trailing space) = 12,345,678 元; 0.0123 亿元 = 1,230,000 元; 1,000,000 元 as is.
        vec![
            d.clone(),
            yes.clone(),
            n("12345678"),
            n("10000000"),
            n("8000000"),
            n("1234500"),
            n("1230000"),
            n("1000000"),
            n("45.5"),
            n("120"),
            n("110"),
            hnte.clone(),
            "A".into(),
        ],
        // √; ` 2 000 ` 万元; — and / are not numbers; 60% in a percent column; 300 人; 2023年12月8日.
        vec![d.clone(), yes.clone(), n("20000000"), null.clone(), null.clone(), n("0"), n("0"), n("0"), n("60"), n("300"), n("300"), hnte.clone(), "B".into()],
        // Y; 12,345,678.9 万元 = 123,456,789,000 元; 0.05 亿元 = 5,000,000 元; 20231208; a = A.
        vec![
            d.clone(),
            yes.clone(),
            n("123456789000"),
            null.clone(),
            null.clone(),
            n("55000"),
            n("5000000"),
            n("12345"),
            n("0"),
            n("50"),
            n("50"),
            hnte.clone(),
            "A".into(),
        ],
        // 20190301; 有; 0.01 万元 = 100 元, 0.0001 万元 = 1 元, 0.00001 万元 = 0.1 元; Excel serial 45268 = 2023-12-08.
        vec![d.clone(), yes.clone(), n("100"), n("1"), n("0.1"), n("10000"), n("100000000"), n("1"), n("100"), n("0"), n("0"), hnte.clone(), "A".into()],
        // Excel serial 43525 = 2019-03-01; ×; (100) 万元 is negative revenue; -1 人; 2023-13-01; AA.
        vec![
            d.clone(),
            no.clone(),
            null.clone(),
            n("1000000"),
            n("1000000"),
            n("10000"),
            n("100000000"),
            n("1"),
            n("101"),
            null.clone(),
            n("1.5"),
            null.clone(),
            null.clone(),
        ],
        // 2019-02-29 is not a day; N; 1e3 may be Excel's rounding; full-width １２３; 1,23; 2023-02-29.
        vec![
            null.clone(),
            no.clone(),
            null.clone(),
            n("1230000"),
            null.clone(),
            n("10000"),
            n("100000000"),
            n("1"),
            n("50"),
            n("10"),
            n("10"),
            null.clone(),
            "C".into(),
        ],
        // 2019-3-1; 无; the rest blank.
        vec![
            d.clone(),
            no.clone(),
            null.clone(),
            null.clone(),
            null.clone(),
            null.clone(),
            null.clone(),
            null.clone(),
            null.clone(),
            null.clone(),
            null.clone(),
            null.clone(),
            null.clone(),
        ],
    ];
    for (r, want) in want.iter().enumerate() {
        reader.read(r, &mut p, &mut issues);
        let got: Vec<serde_json::Value> = fields.iter().map(|f| serde_json::to_value(p.get(&cat, f).unwrap()).unwrap()).collect();
        assert_eq!(&got, want, "row {}", t.line(r));
    }
    let bad: Vec<(u32, &str, &str)> = issues.iter().map(|i| (i.row, i.column.as_str(), i.raw.as_str())).collect();
    assert_eq!(
        bad,
        [
            (3, "2024年营业收入(万元)", "—"),
            (3, "2023年营业收入【万元】", "/"),
            (4, "2024年营业收入(万元)", "-"),
            (6, "2025年营业收入（万元）", "(100)"),
            (6, "从业人数（人）", "-1"),
            (6, "高企证书发证日期", "2023-13-01"),
            (6, "纳税信用等级", "AA"),
            (7, "成立日期", "2019-02-29"),
            (7, "2025年营业收入（万元）", "1e3"),
            (7, "2023年营业收入【万元】", "1,23"),
            (7, "高企证书发证日期", "2023-02-29"),
        ]
    );
    // What to do about them: a mark for "unknown" is not provided; scientific notation may be rounded.
    assert!(issues[0].message_zh.contains("按未提供处理") && issues[2].message.contains("not provided"), "{:?}", issues[0]);
    assert!(issues[8].message_zh.contains("科学计数法"), "{:?}", issues[8]);
}

/// The unit in the title row above the header applies to money columns that
/// give none; a totals row at the end is not an enterprise.
#[test]
fn title_row_unit_and_totals_row() {
    let cat = national();
    let csv = "某高新区2025年度企业名单（单位：万元）\n\
               统一社会信用代码,从业人数,资产总额季度平均值,应纳税所得额（元）,是否居民企业\n\
               91330106MA2H000001,100,6000,1000000,是\n\
               91330106MA2H000002,100,4999.99,1000000,是\n\
               合计,200,10999.99,2000000,\n";
    let t = csv_table(csv);
    assert_eq!(t.source.title.as_deref(), Some("某高新区2025年度企业名单（单位：万元）"));
    assert_eq!(t.len(), 2, "the totals row is not an enterprise");
    assert!(t.notes.iter().any(|n| n.contains("row 5") && n.contains("合计")), "{:?}", t.notes);
    assert_eq!(
        t.notes_zh,
        ["第 1 行（“某高新区2025年度企业名单（单位：万元）”）像是标题，已跳过；表头为第 2 行", "第 5 行（“合计”）像是合计行，不作为企业读取"]
    );
    let m = batch::auto_map_table(&cat, &t);
    assert_eq!(m.key_column.as_deref(), Some("统一社会信用代码"));
    let units: Vec<(Option<&str>, Option<CellUnit>)> = m.columns.iter().map(|c| (c.field.as_deref(), c.unit)).collect();
    assert_eq!(
        units,
        [
            (None, None),
            (Some("cit_headcount_quarterly_avg_2025"), None),
            // 万元 from the title; the header's own 元 wins over the title's.
            (Some("cit_total_assets_quarterly_avg_2025_cny"), Some(CellUnit::WanYuan)),
            (Some("cit_taxable_income_2025_cny"), None),
            (Some("is_resident_enterprise"), None),
        ]
    );
    let resolved = m.resolve(&cat, &t).unwrap();
    let reader = batch::validate::RowReader::new(&cat, &t, &resolved);
    let mut p = policy_match::matching::Profile::empty(&cat);
    let mut issues = Vec::new();
    let assets = |p: &policy_match::matching::Profile| serde_json::to_value(p.get(&cat, "cit_total_assets_quarterly_avg_2025_cny").unwrap()).unwrap();
    reader.read(0, &mut p, &mut issues);
    assert_eq!(p.id.as_deref(), Some("91330106MA2H000001"));
    assert_eq!(assets(&p), serde_json::json!(60000000), "6000 万元");
    reader.read(1, &mut p, &mut issues);
    assert_eq!(assets(&p), serde_json::json!(49999900), "4999.99 万元");
    assert!(issues.is_empty(), "{issues:?}");

    // Without a unit in the title, or with 单位 naming an office, nothing changes.
    for title in ["某高新区企业名单", "填报单位：某园区管委会"] {
        let t = csv_table(&format!("{title}\n资产总额季度平均值,从业人数\n6000,100\n"));
        assert_eq!(t.source.title.as_deref(), Some(title));
        assert_eq!(batch::auto_map_table(&cat, &t).columns[0].unit, None, "{title}");
    }
    let t = csv_table("填报单位：某园区 金额单位：亿元\n资产总额季度平均值,从业人数\n0.6,100\n");
    assert_eq!(batch::auto_map_table(&cat, &t).columns[0].unit, Some(CellUnit::YiYuan));

    // Two title rows (the title, then the date and unit line), a blank line between them.
    let t = csv_table("某高新区企业名单\n\n填报日期：2026年1月5日    金额单位：万元\n企业名称,资产总额季度平均值\n甲,6000\n");
    assert_eq!(
        (t.headers.as_slice(), t.len(), t.source.header_rows.as_slice()),
        (&["企业名称".to_string(), "资产总额季度平均值".to_string()][..], 1, &[4u32][..])
    );
    assert_eq!(t.source.title.as_deref(), Some("某高新区企业名单；填报日期：2026年1月5日    金额单位：万元"));
    assert_eq!(t.notes.len(), 2, "{:?}", t.notes);
    assert_eq!(batch::auto_map_table(&cat, &t).columns[1].unit, Some(CellUnit::WanYuan));
    // Single-cell rows that are not followed by a header are data of a one-column list.
    let t = csv_table("企业名称\n甲\n乙\n丙\n丁\n");
    assert_eq!((t.headers.as_slice(), t.len()), (&["企业名称".to_string()][..], 4));
}

/// Statistical forms put a row of units (`,,万元,万元,人`) or of column
/// codes (栏次: `甲,乙,1,2,3`) under the header. The units were lost (320
/// 万元 read as 320 元, the unit row listed as a bad enterprise) and the
/// code row was read as an enterprise named 甲. Now the units join the
/// headers and the code row is skipped, each with a note.
#[test]
fn a_unit_row_or_a_column_code_row_under_the_header() {
    let cat = catalogue();
    let header = "企业名称,统一社会信用代码,2025年营业收入,2025年职工总数\n";
    for units in [",,万元,人", "计量单位,—,（万元）,人", "单位,/,万元,"] {
        let t = csv_table(&format!("{header}{units}\n甲公司,91330106MA2H000001,320,15\n"));
        assert_eq!(t.headers, ["企业名称", "统一社会信用代码", "2025年营业收入（万元）", "2025年职工总数"], "{units}");
        assert_eq!((t.len(), t.line(0), t.source.header_rows.as_slice()), (1, 3, &[1u32, 2][..]), "{units}");
        assert_eq!(t.notes_zh, ["第 2 行是各列的计量单位（万元）：已并入表头"], "{units}");
        let m = batch::auto_map_table(&cat, &t);
        let r = run_batch(&cat, &t, &m);
        assert!(r.issues.is_empty(), "{units}: {:?}", r.issues);
        assert_eq!(m.column_of("revenue_2025_cny").unwrap().unit, Some(CellUnit::WanYuan), "{units}");
    }
    for codes in ["甲,乙,1,2", "栏次,,1,2", "甲,乙,丙,1", "甲,1,2,3"] {
        let t = csv_table(&format!("{header}{codes}\n甲公司,91330106MA2H000001,320,15\n"));
        assert_eq!((t.len(), t.cell(0, 0)), (1, "甲公司"), "{codes}");
        assert_eq!(t.notes_zh, ["第 2 行是栏次（各列的编号），不是企业，已跳过"], "{codes}");
    }
    // Both, in either order, under a title and a group label; then the enterprises and a subtotal.
    for (a, b) in [(",,,万元,万元", "甲,乙,丙,1,2"), ("甲,乙,丙,1,2", ",,,万元,万元")] {
        let t = csv_table(&format!(
            "某园区企业名单,,,,\n,,,财务数据,\n序号,企业名称,统一社会信用代码,2025年营业收入,2025年研发费用\n{a}\n{b}\n1,甲公司,91330106MA2H000001,320,20\n小计（1家）,,,320,20\n"
        ));
        assert_eq!(rows(&t), [vec!["1", "甲公司", "91330106MA2H000001", "320", "20"]], "{a} / {b}");
        assert_eq!(t.headers[3], "财务数据/2025年营业收入（万元）");
        assert_eq!(t.notes.len(), 5, "title, group labels, units, codes, subtotal: {:?}", t.notes);
    }
    // A data row is a data row: a name and numbers, or numbers only.
    for row in ["甲公司,,1,2", ",,1,2", "甲,,万元,", "甲,,1,2"] {
        let t = csv_table(&format!("{header}{row}\n"));
        assert_eq!((t.len(), t.notes.len()), (1, 0), "{row}");
    }
}

/// Totals rows as exports write them: with a count or a group in brackets,
/// or after a colon (`合计（6家）` was read as an enterprise).
#[test]
fn totals_rows_with_a_bracketed_part() {
    let t = csv_table("企业名称,从业人数\n甲,1\n小计（制造业）,1\n乙,2\n小计：服务业,2\n合计（2家）,3\n本页合计,3\nSubtotal (A),3\n合计公司,4\n");
    assert_eq!(rows(&t), [vec!["甲", "1"], vec!["乙", "2"], vec!["合计公司", "4"]]);
    assert_eq!(t.notes.len(), 5, "{:?}", t.notes);
    assert!(t.notes_zh[2].starts_with("第 6 行（“合计（2家）”）像是合计行"), "{:?}", t.notes_zh);
}

/// Pre-numbered blank rows of a zone template hold only their 序号: they are
/// skipped and counted like blank rows (one note says so); a row with a 序号
/// and a name is an enterprise with missing data, and a row whose only cell
/// is not a serial number is still read.
#[test]
fn template_rows_with_only_a_serial_number_are_blank_rows() {
    let cat = catalogue();
    let csv = "序号,企业名称,2025年营业收入（万元）,2025年职工总数\n\
               1,甲公司,320,10\n\
               2,乙公司,,\n\
               3,,,\n\
               4,,,\n\
               ,丙公司,100,\n\
               \" 5 \",,,\n\
               6,,,\n\
               ,,,\n\
               x,,,\n\
               ,,,7\n";
    let t = csv_table(csv);
    assert_eq!((0..t.len()).map(|r| t.line(r)).collect::<Vec<_>>(), [2, 3, 6, 10, 11]);
    assert_eq!(t.cell(1, 1), "乙公司");
    assert_eq!(t.blank_rows, 5, "rows 4, 5, 7 and 8 hold only a 序号; row 9 is blank");
    assert_eq!(t.notes_zh, ["4 行（第一行为第 4 行）只有“序号”列的序号（空白模板行），按空行跳过"]);
    assert!(t.notes[0].contains("4 rows") && t.notes[0].contains("row 4"), "{:?}", t.notes);
    let m = batch::auto_map_table(&cat, &t);
    let r = run_batch(&cat, &t, &m);
    let s = r.summary(&cat);
    assert_eq!((s.rows_read, s.blank_rows), (5, 5));

    // XLSX: serial numbers stored as numbers, under `No.`.
    let bytes = workbook_bytes(|wb| {
        let ws = wb.add_worksheet();
        for (c, h) in ["No.", "企业名称", "2025年职工总数"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for r in 1..=5u32 {
            ws.write_number(r, 0, r).unwrap();
        }
        ws.write_string(1, 1, "甲").unwrap();
        ws.write_number(3, 2, 8).unwrap();
    });
    let t = batch::import(&bytes, &ImportOptions::default()).unwrap();
    assert_eq!(rows(&t), [vec!["1", "甲", ""], vec!["3", "", "8"]]);
    assert_eq!(t.blank_rows, 3);
    assert_eq!(t.notes, ["3 rows (the first is row 3) hold only a number in `No.` (blank template rows); they are skipped as blank rows"]);
}

/// A row of group labels over the header (`企业信息,,,财务数据（万元）,,`, the
/// labels of merged cells as CSV keeps them): the columns are named
/// `label/header`, the enterprises' column is found under its label, and
/// the label's unit applies to the money columns under it that give none.
#[test]
fn a_group_label_row_over_the_header() {
    let cat = national();
    let csv = "企业信息,,,财务数据（万元）,,\n\
               序号,企业名称,统一社会信用代码,营业收入,研发费用,资产总额\n\
               1,甲公司,91330106MA2H000001,320,20,5000\n\
               2,,,,,\n";
    let t = csv_table(csv);
    let headers = [
        "企业信息/序号",
        "企业信息/企业名称",
        "企业信息/统一社会信用代码",
        "财务数据（万元）/营业收入",
        "财务数据（万元）/研发费用",
        "财务数据（万元）/资产总额",
    ];
    assert_eq!(t.headers, headers);
    assert_eq!(t.source.header_rows, [1, 2]);
    assert_eq!(rows(&t), [vec!["1", "甲公司", "91330106MA2H000001", "320", "20", "5000"]]);
    assert_eq!(t.blank_rows, 1, "row 4 holds only its 序号");
    assert_eq!(t.notes_zh[0], "第 1 行和第 2 行组成两行表头（上方为分组标题）；列名为“上/下”");
    let m = batch::auto_map_table(&cat, &t);
    assert_eq!(m.key_column.as_deref(), Some("企业信息/企业名称"));
    let assets = m.column_of("total_assets_2025_year_end_cny").unwrap();
    assert_eq!((assets.column.as_str(), assets.unit), (headers[5], Some(CellUnit::WanYuan)));
    let resolved = m.resolve(&cat, &t).unwrap();
    let reader = batch::validate::RowReader::new(&cat, &t, &resolved);
    let mut p = policy_match::matching::Profile::empty(&cat);
    let mut issues = Vec::new();
    reader.read(0, &mut p, &mut issues);
    assert!(issues.is_empty(), "{issues:?}");
    assert_eq!(serde_json::to_value(p.get(&cat, "total_assets_2025_year_end_cny").unwrap()).unwrap(), serde_json::json!(50000000), "5000 万元");

    // A label merged down (序号: nothing below it), a column's own unit over the label's, a
    // non-money column under a money label.
    let t = csv_table(
        "序号,企业信息,,财务数据（万元）,,,\n\
         ,企业名称,从业人数,资产总额,2025年营业收入（元）,2025年研发费用,2025年从业人数\n\
         1,甲,100,5000,3200000,20,90\n",
    );
    assert_eq!(
        t.headers,
        [
            "序号",
            "企业信息/企业名称",
            "企业信息/从业人数",
            "财务数据（万元）/资产总额",
            "财务数据（万元）/2025年营业收入（元）",
            "财务数据（万元）/2025年研发费用",
            "财务数据（万元）/2025年从业人数"
        ]
    );
    let m = batch::auto_map_table(&cat, &t);
    let units: Vec<(Option<&str>, Option<CellUnit>)> = m.columns.iter().map(|c| (c.field.as_deref(), c.unit)).collect();
    assert_eq!(
        units[3..6],
        [
            (Some("total_assets_2025_year_end_cny"), Some(CellUnit::WanYuan)),
            (Some("operating_revenue_2025_cny"), None),
            (Some("rd_expense_2025_cny"), Some(CellUnit::WanYuan))
        ]
    );
    assert_eq!(units[6].1, None, "people: 万元 does not fit");

    // The same rows in a workbook, with the labels in unmerged cells, or merged across.
    for merged in [false, true] {
        let bytes = workbook_bytes(|wb| {
            let ws = wb.add_worksheet();
            write_rows(ws, csv.lines());
            if merged {
                ws.merge_range(0, 0, 0, 2, "企业信息", &Format::new()).unwrap();
                ws.merge_range(0, 3, 0, 5, "财务数据（万元）", &Format::new()).unwrap();
            }
        });
        let x = batch::import(&bytes, &ImportOptions::default()).unwrap();
        assert_eq!(
            (x.headers.as_slice(), x.source.header_rows.as_slice(), x.blank_rows),
            (&headers.map(String::from)[..], &[1u32, 2][..], 1),
            "merged: {merged}"
        );
        assert_eq!(rows(&x), [vec!["1", "甲公司", "91330106MA2H000001", "320", "20", "5000"]]);
    }

    // A header with an empty cell over data is not a group row: the row below holds values,
    // or a label would stand over a single column with text below it.
    let t = csv_table("名称,,金额\n甲,x,1\n");
    assert_eq!((t.headers.as_slice(), t.len()), (&["名称".to_string(), "(B)".to_string(), "金额".to_string()][..], 1));
    let t = csv_table("名称,,地址\n甲公司,x,杭州\n");
    assert_eq!((t.source.header_rows.as_slice(), t.len()), (&[1u32][..], 1));
}

/// A group-label row with a single label (`,,,财务数据（万元）,`) is not a
/// title: read as a title, its unit was lost for the columns under it (320
/// 万元 read as 320 元) or, with `单位：`, applied to every money column of
/// the table (5,000,000 元 of assets read as 50 billion).
#[test]
fn a_single_group_label_is_not_a_title() {
    let cat = national();
    let money = |p: &policy_match::matching::Profile, f: &str| serde_json::to_value(p.get(&cat, f).unwrap()).unwrap();
    for label in ["财务数据（万元）", "财务数据（单位：万元）"] {
        let csv = format!(",,,{label},\n企业名称,资产总额,成立日期,2025年营业收入,2025年研发费用\n甲公司,5000000,2020-01-01,320,50\n");
        let t = csv_table(&csv);
        assert_eq!(t.source.header_rows, [1, 2], "{label}");
        assert_eq!(t.source.title, None, "{label}");
        assert_eq!(t.headers, ["企业名称", "资产总额", "成立日期", &format!("{label}/2025年营业收入"), &format!("{label}/2025年研发费用")], "{label}");
        let m = batch::auto_map_table(&cat, &t);
        let resolved = m.resolve(&cat, &t).unwrap();
        let reader = batch::validate::RowReader::new(&cat, &t, &resolved);
        let mut p = policy_match::matching::Profile::empty(&cat);
        let mut issues = Vec::new();
        reader.read(0, &mut p, &mut issues);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(money(&p, "total_assets_2025_year_end_cny"), serde_json::json!(5000000), "{label}: 资产总额 is outside the group, in 元");
        assert_eq!(money(&p, "operating_revenue_2025_cny"), serde_json::json!(3200000), "{label}: 320 万元");
        assert_eq!(money(&p, "rd_expense_2025_cny"), serde_json::json!(500000), "{label}: 50 万元");
    }
    // The same in a workbook under a title merged across the table, the label merged over
    // its two columns, the other headers only in the lower row.
    let bytes = workbook_bytes(|wb| {
        let ws = wb.add_worksheet();
        ws.merge_range(0, 0, 0, 4, "某园区企业名单", &Format::new()).unwrap();
        ws.merge_range(1, 3, 1, 4, "财务数据（万元）", &Format::new()).unwrap();
        for (c, h) in ["企业名称", "资产总额", "成立日期", "2025年营业收入", "2025年研发费用"].iter().enumerate() {
            ws.write_string(2, c as u16, *h).unwrap();
        }
        ws.write_string(3, 0, "甲公司").unwrap();
        ws.write_number(3, 1, 5000000).unwrap();
        ws.write_string(3, 2, "2020-01-01").unwrap();
        ws.write_number(3, 3, 320).unwrap();
        ws.write_number(3, 4, 50).unwrap();
    });
    let t = batch::import(&bytes, &ImportOptions::default()).unwrap();
    assert_eq!(t.source.title.as_deref(), Some("某园区企业名单"));
    assert_eq!(t.source.header_rows, [2, 3]);
    assert_eq!(t.headers, ["企业名称", "资产总额", "成立日期", "财务数据（万元）/2025年营业收入", "财务数据（万元）/2025年研发费用"]);
    assert_eq!(rows(&t), [vec!["甲公司", "5000000", "2020-01-01", "320", "50"]]);
    // A single text from the first column, merged over part of the header only, stays a title:
    // a title whose merge was not widened with the table is more common than a lone group
    // label at the left, and as a title its unit reaches every money column without its own.
    let bytes = workbook_bytes(|wb| {
        let ws = wb.add_worksheet();
        ws.merge_range(0, 0, 0, 2, "某园区企业名单（单位：万元）", &Format::new()).unwrap();
        for (c, h) in ["企业名称", "资产总额", "成立日期", "2025年营业收入", "2025年研发费用"].iter().enumerate() {
            ws.write_string(1, c as u16, *h).unwrap();
        }
        ws.write_string(2, 0, "甲公司").unwrap();
        ws.write_number(2, 3, 320).unwrap();
    });
    let t = batch::import(&bytes, &ImportOptions::default()).unwrap();
    assert_eq!((t.source.title.as_deref(), t.source.header_rows.as_slice()), (Some("某园区企业名单（单位：万元）"), &[2u32][..]));
    let m = batch::auto_map_table(&cat, &t);
    assert_eq!(m.column_of("operating_revenue_2025_cny").unwrap().unit, Some(CellUnit::WanYuan));
    // A title in the first cell stays a title.
    let t = csv_table("某园区企业名单（单位：万元）,,,,\n企业名称,资产总额,成立日期,2025年营业收入,2025年研发费用\n甲公司,5000,2020-01-01,320,50\n");
    assert_eq!((t.source.header_rows.as_slice(), t.source.title.as_deref()), (&[2u32][..], Some("某园区企业名单（单位：万元）")));
}

/// Cells with a percent number format hold fractions (0.455 shown as 45.5%):
/// they are read as the percent shown, whatever the column's unit.
#[test]
fn xlsx_percent_formatted_cells_are_read_as_shown() {
    let bytes = workbook_bytes(|wb| {
        let pct = Format::new().set_num_format("0.0%");
        let ws = wb.add_worksheet();
        for (c, h) in ["企业名称", "资产负债率", "2025年研发费用占比"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1, 0, "甲").unwrap();
        ws.write_number_with_format(1, 1, 0.455, &pct).unwrap();
        ws.write_number_with_format(1, 2, 0.05, &pct).unwrap();
        ws.write_string(2, 0, "乙").unwrap();
        ws.write_number(2, 1, 45.5).unwrap(); // typed as a plain number: 45.5 (%)
        ws.write_number_with_format(2, 2, 1, &pct).unwrap();
    });
    let t = batch::import(&bytes, &ImportOptions::default()).unwrap();
    assert_eq!(rows(&t), [vec!["甲", "45.5%", "5%"], vec!["乙", "45.5", "100%"]]);
    // Read into a percent field, also when the column is mapped as a fraction.
    let cat = national();
    let mut m = batch::auto_map(&cat, &t.headers);
    assert_eq!(m.columns[1].field.as_deref(), Some("debt_to_asset_ratio_2025_year_end_pct"));
    m.columns[1].unit = Some(CellUnit::Fraction);
    let resolved = m.resolve(&cat, &t).unwrap();
    let reader = batch::validate::RowReader::new(&cat, &t, &resolved);
    let mut p = policy_match::matching::Profile::empty(&cat);
    let mut issues = Vec::new();
    reader.read(0, &mut p, &mut issues);
    assert_eq!(serde_json::to_value(p.get(&cat, "debt_to_asset_ratio_2025_year_end_pct").unwrap()).unwrap(), serde_json::json!(45.5));
    assert!(issues.is_empty(), "{issues:?}");
}

/// Two title rows above an XLSX header: a merged title, then a note with the unit.
#[test]
fn xlsx_two_title_rows() {
    let bytes = workbook_bytes(|wb| {
        let ws = wb.add_worksheet();
        ws.merge_range(0, 0, 0, 2, "某高新区企业名单", &Format::new()).unwrap();
        ws.write_string(1, 0, "单位：万元").unwrap();
        for (c, h) in ["企业名称", "资产总额季度平均值", "从业人数"].iter().enumerate() {
            ws.write_string(2, c as u16, *h).unwrap();
        }
        ws.write_string(3, 0, "甲").unwrap();
        ws.write_number(3, 1, 6000).unwrap();
        ws.write_number(3, 2, 100).unwrap();
    });
    let t = batch::import(&bytes, &ImportOptions::default()).unwrap();
    assert_eq!((t.source.header_rows.as_slice(), t.len()), (&[3u32][..], 1));
    assert_eq!(t.source.title.as_deref(), Some("某高新区企业名单；单位：万元"));
    assert_eq!(rows(&t), [vec!["甲", "6000", "100"]]);
    let m = batch::auto_map_table(&national(), &t);
    assert_eq!(m.columns[1].unit, Some(CellUnit::WanYuan));
}

/// An XLSX export: a merged title with the unit, numbers with a calculation's
/// binary noise, a totals row.
#[test]
fn xlsx_zone_export_title_unit_float_noise_and_totals() {
    let bytes = workbook_bytes(|wb| {
        let ws = wb.add_worksheet();
        ws.merge_range(0, 0, 0, 3, "2025年企业名单 单位：万元", &Format::new()).unwrap();
        for (c, h) in ["企业名称", "从业人数", "资产总额季度平均值", "应纳税所得额"].iter().enumerate() {
            ws.write_string(1, c as u16, *h).unwrap();
        }
        ws.write_string(2, 0, "甲").unwrap();
        ws.write_number(2, 1, 300).unwrap();
        // What Excel stores for =0.1+0.2 and for 5000.0000000000009 (a sum of parts): Excel shows 0.3 and 5000.
        ws.write_number(2, 2, 5000.000000000001).unwrap();
        ws.write_number(2, 3, 0.1 + 0.2).unwrap();
        ws.write_string(3, 0, "合 计").unwrap();
        ws.write_number(3, 1, 300).unwrap();
    });
    let t = batch::import(&bytes, &ImportOptions::default()).unwrap();
    assert_eq!(t.source.title.as_deref(), Some("2025年企业名单 单位：万元"));
    assert_eq!(t.source.header_rows, [2]);
    assert_eq!(rows(&t), [vec!["甲", "300", "5000", "0.3"]]);
    let cat = national();
    let m = batch::auto_map_table(&cat, &t);
    assert_eq!(m.column_of("cit_total_assets_quarterly_avg_2025_cny").unwrap().unit, Some(CellUnit::WanYuan));
    let r = run_batch(&cat, &t, &m);
    assert_eq!(r.summary(&cat).rows_read, 1);
    // 300 people, 5000 万元 of assets, 0.3 万元 of taxable income: C3–C5 met exactly at or under the
    // thresholds (not failed as 5000.000000000001 万元 would be); C1 (entity type, residence) and C2
    // (industry) are not in the file.
    let p = r.policy_index("cit_small_low_profit_enterprise").unwrap();
    assert_eq!(r.verdict(0, p), Verdict::Undecided);
    assert_eq!(r.detail(0, p).unwrap().undecided, [0, 1]);
}

/// Enum cells as zone exports write them: an option's aliases in the catalogue
/// (`小型` for 小型企业, `个体户` for 个体工商户); an ambiguous `小微` is reported.
#[test]
fn enum_option_aliases_from_the_catalogue() {
    let cat = national();
    let t = csv_table("企业名称,企业规模,主体类型,企业所得税征收方式\n甲,小型,有限责任公司,查账\n乙,微型,个体户,核定\n丙,小微,个体,查账征收\n");
    let m = batch::auto_map(&cat, &t.headers);
    let resolved = m.resolve(&cat, &t).unwrap();
    let reader = batch::validate::RowReader::new(&cat, &t, &resolved);
    let mut p = policy_match::matching::Profile::empty(&cat);
    let mut issues = Vec::new();
    let values = |p: &policy_match::matching::Profile| -> Vec<serde_json::Value> {
        ["enterprise_size_class", "entity_type", "cit_collection_method"].iter().map(|f| serde_json::to_value(p.get(&cat, f).unwrap()).unwrap()).collect()
    };
    reader.read(0, &mut p, &mut issues);
    assert_eq!(values(&p), ["small", "company", "audit_based"]);
    reader.read(1, &mut p, &mut issues);
    assert_eq!(values(&p), ["micro", "individual_business", "deemed"]);
    reader.read(2, &mut p, &mut issues);
    assert_eq!(values(&p), [serde_json::Value::Null, "individual_business".into(), "audit_based".into()]);
    let bad: Vec<(u32, &str, &str)> = issues.iter().map(|i| (i.row, i.column.as_str(), i.raw.as_str())).collect();
    assert_eq!(bad, [(4, "企业规模", "小微")]);
}

/// A percent column whose numbers look like fractions (0.45 for a 45% debt
/// ratio) is read as percents, as mapped, but the mapping says so: every
/// number under 1 was read as under 1% without a word.
#[test]
fn a_percent_column_of_fractions_is_pointed_out() {
    let cat = national();
    let warnings = |csv: &str, unit: Option<CellUnit>| {
        let t = csv_table(csv);
        let mut m = batch::auto_map_table(&cat, &t);
        let c = m.columns.iter_mut().find(|c| c.field.as_deref() == Some("debt_to_asset_ratio_2025_year_end_pct")).unwrap();
        c.unit = unit;
        m.resolve(&cat, &t).unwrap().warnings_zh
    };
    assert_eq!(
        warnings("企业名称,资产负债率\n甲,0.45\n乙,0.3\n丙,\n丁,0\n", None),
        ["“资产负债率”列的数都在 0 到 1 之间（第 2 行：0.45，第 3 行：0.3），按百分数读取（0.45 即 0.45%）；如果是小数形式（0.45 即 45%），请把单位选为“小数”"]
    );
    let mixed = warnings("企业名称,资产负债率\n甲,45\n乙,0.5\n丙,60%\n", None);
    assert_eq!(mixed.len(), 1);
    assert!(mixed[0].starts_with("“资产负债率”列有 1 个数在 0 到 1 之间（第 3 行：0.5），1 个大于 1"), "{mixed:?}");
    assert!(warnings("企业名称,资产负债率\n甲,0.45\n乙,0.3\n", Some(CellUnit::Fraction)).is_empty());
    assert!(warnings("企业名称,资产负债率\n甲,45\n乙,30\n丙,0.5%\n", None).is_empty());
    // The CLI says so with its automatic mapping too.
    let (ok, err) = batch_national("fraction-warning", "list.csv", "企业名称,资产负债率\n甲,0.45\n乙,0.3\n".as_bytes());
    assert!(ok && err.contains("warning[mapping]: “资产负债率”列的数都在 0 到 1 之间（第 2 行：0.45，第 3 行：0.3）"), "{err}");
}

/// A money column mapped by hand (its header, `营收（万元）`, matched no
/// field) was read in 元 on the page unless the unit was changed too: 320
/// 万元 read as 320 元 without a word. The header's unit is offered for it
/// (`header_unit`, in the page's import info) and a mapping that reads it
/// in another unit gets a warning.
#[test]
fn a_column_mapped_by_hand_keeps_its_headers_unit() {
    let cat = national();
    let t = csv_table("某园区企业名单（单位：万元）\n企业名称,营收（万元）,利润总额,2025年研发费用（元）\n甲,320,10,5\n");
    let units: Vec<Option<CellUnit>> = (0..t.width()).map(|c| batch::mapping::header_unit(&t, c)).collect();
    assert_eq!(units, [Some(CellUnit::WanYuan), Some(CellUnit::WanYuan), Some(CellUnit::WanYuan), Some(CellUnit::Yuan)]);
    let mut s = batch::session::Session::from_catalogue(cat.clone(), as_of());
    let info = s.import("企业名称,营收（万元）\n甲,320\n".as_bytes(), None).unwrap();
    assert_eq!(info.header_units, [None, Some(CellUnit::WanYuan)]);
    assert_eq!(serde_json::to_value(&info).unwrap()["header_units"], serde_json::json!([null, "wan_yuan"]));
    let t = csv_table("企业名称,营收（万元）\n甲,320\n");
    let m = |unit: &str| {
        Mapping::from_json(&format!(
            r#"{{"format": "policy-match/mapping@1", "columns": [{{"column": "营收（万元）", "field": "operating_revenue_2025_cny"{unit}}}]}}"#
        ))
        .unwrap()
    };
    assert_eq!(
        m("").resolve(&cat, &t).unwrap().warnings_zh,
        ["对应关系中没有“企业名称”列；该列不导入", "“营收（万元）”列的表头写的是万元，但按元读取（对应关系中的单位）；如表头正确，请把单位选为“万元”"]
    );
    assert_eq!(m(r#", "unit": "wan_yuan""#).resolve(&cat, &t).unwrap().warnings_zh, ["对应关系中没有“企业名称”列；该列不导入"]);
    // Another currency: no field matches the header; mapped by hand, it is pointed out.
    let t = csv_table("企业名称,营业收入（万美元）\n甲,320\n");
    assert_eq!(batch::auto_map(&cat, &t.headers).columns[1].field, None);
    let m = Mapping::from_json(r#"{"format": "policy-match/mapping@1", "key_column": "企业名称", "columns": [{"column": "营业收入（万美元）", "field": "operating_revenue_2025_cny", "unit": "wan_yuan"}]}"#).unwrap();
    assert_eq!(
        m.resolve(&cat, &t).unwrap().warnings_zh,
        ["对应关系中没有“企业名称”列；该列不导入", "“营业收入（万美元）”列的表头写的是其他币种（美元）；金额按人民币读取，请先换算成人民币"]
    );
}

#[test]
fn mapping_file_round_trip_and_errors() {
    let cat = catalogue();
    let text = std::fs::read_to_string(fixture("mapping.json")).unwrap();
    let m = Mapping::from_json(&text).unwrap();
    assert_eq!(m.columns[1].unit, Some(CellUnit::WanYuan));
    assert_eq!(Mapping::from_json(&m.to_json()).unwrap(), m);
    // Chinese unit names are accepted.
    let zh = text.replace("\"wan_yuan\"", "\"万元\"");
    assert_eq!(Mapping::from_json(&zh).unwrap(), m);

    assert!(Mapping::from_json("{\"format\": \"policy-match/mapping@1\", \"columns\": [], \"colums\": 1}").unwrap_err().to_string().contains("colums"));
    assert!(Mapping::from_json("{\"format\": \"other\", \"columns\": []}").unwrap_err().to_string().contains("format"));
    assert!(Mapping::from_json("{").is_err());

    let t = csv_table("企业名称,营业收入,人数,额外\n甲,1,2,3\n");
    let bad = Mapping::from_json(
        r#"{"format": "policy-match/mapping@1", "key_column": "名称", "columns": [
        {"column": "营业收入", "field": "revenue_2025_cnx"},
        {"column": "人数", "field": "employees_2025", "unit": "wan_yuan"},
        {"column": "企业名称", "field": "is_hnte"},
        {"column": "额外", "field": "is_hnte"}]}"#,
    )
    .unwrap();
    let BatchError::Mapping(errors) = bad.resolve(&cat, &t).unwrap_err() else { panic!() };
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors[0].contains("did you mean `revenue_2025_cny`"), "{errors:?}");
    assert!(errors[1].contains("unit `wan_yuan` does not fit"), "{errors:?}");
    assert!(errors[2].contains("mapped from two columns"), "{errors:?}");

    // Warnings: a mapped column not in the file, a file column not in the mapping, a missing key column.
    let t = csv_table("企业名称,营业收入（万元）,新列\n甲,1,2\n");
    let r = m.resolve(&cat, &t).unwrap();
    assert!(r.warnings.iter().any(|w| w.contains("`新列` is not in the mapping")), "{:?}", r.warnings);
    assert!(r.warnings.iter().any(|w| w.contains("`成立日期` (mapped to `registration_date`) is not in the file")), "{:?}", r.warnings);
    assert_eq!(r.key, Some(0));
    // A mapping for another export altogether is an error.
    let other = csv_table("a,b\n1,2\n");
    assert!(m.resolve(&cat, &other).unwrap_err().to_string().contains("none of the mapping's"));
}

// --------------------------------------------------- validation, run, summary

fn fixture_run() -> (Catalogue, Table, batch::BatchResult) {
    let cat = catalogue();
    let t = batch::import(&std::fs::read(fixture("enterprises.csv")).unwrap(), &ImportOptions::default()).unwrap();
    let m = Mapping::from_json(&std::fs::read_to_string(fixture("mapping.json")).unwrap()).unwrap();
    let r = run_batch(&cat, &t, &m);
    (cat, t, r)
}

#[test]
fn bad_cells_are_listed_and_the_rest_of_the_row_counts() {
    let (cat, _, r) = fixture_run();
    let issues: Vec<(u32, &str, &str, &str)> = r.issues.iter().map(|i| (i.row, i.column.as_str(), i.field.as_deref().unwrap_or(""), i.raw.as_str())).collect();
    assert_eq!(
        issues,
        [(6, "营业收入（万元）", "revenue_2025_cny", "很多"), (6, "成立日期", "registration_date", "2019-02-30"), (7, "企业规模", "size_class", "微型"),]
    );
    assert!(r.issues[0].message.contains("not a number"), "{}", r.issues[0].message);
    assert!(r.issues[1].message.contains("not a valid date"), "{}", r.issues[1].message);
    assert!(r.issues[2].message.contains("not one of"), "{}", r.issues[2].message);
    let s = r.summary(&cat);
    assert_eq!((s.rows_read, s.rows_with_problems, s.rows_evaluated, s.blank_rows, s.issues), (6, 2, 6, 2, 3), "blank: an empty line and a row of empty cells");
    // 丙 (row 6): revenue bad → small grant undecided on revenue only; its other fields decide the HNTE reward.
    let small = r.policy_index("small_enterprise_grant").unwrap();
    let hnte = r.policy_index("hnte_rd_reward").unwrap();
    assert_eq!(r.verdict(2, small), Verdict::Undecided);
    assert_eq!(r.detail(2, small).unwrap().missing, [cat.field_slot("revenue_2025_cny").unwrap()]);
    assert_eq!(r.verdict(2, hnte), Verdict::Qualifies);
}

#[test]
fn summary_counts_and_push_lists() {
    let (cat, _, r) = fixture_run();
    let s = r.summary(&cat);
    let counts: Vec<(&str, usize, usize, usize)> = s.policies.iter().map(|p| (p.policy.as_str(), p.qualifies, p.undecided, p.does_not_qualify)).collect();
    assert_eq!(counts, [("small_enterprise_grant", 3, 2, 1), ("hnte_rd_reward", 2, 1, 3), ("young_enterprise", 0, 4, 2), ("sme_loan", 4, 2, 0)]);
    assert_eq!(s.policies[2].most_missing[0], ("penalty_dates".to_string(), 4));

    // Push list: qualifying in file order (with the benefit), then undecided by fewest missing fields.
    let list = r.push_list(&cat, 0);
    let got: Vec<(Option<&str>, Verdict, Vec<&str>)> =
        list.iter().map(|e| (e.key.as_deref(), e.verdict, e.missing_fields.iter().map(String::as_str).collect())).collect();
    assert_eq!(
        got,
        [
            (Some("甲科技有限公司"), Verdict::Qualifies, vec![]),
            (Some("丁\"贸易\""), Verdict::Qualifies, vec![]),
            (Some("己公司"), Verdict::Qualifies, vec![]),
            (Some("丙软件"), Verdict::Undecided, vec!["revenue_2025_cny"]),
            (Some("戊 生物\n（孵化中）"), Verdict::Undecided, vec!["revenue_2025_cny", "employees_2025"]),
        ]
    );
    let benefits: Vec<String> = list.iter().take(3).map(|e| e.benefit.unwrap().normalize().to_string()).collect();
    assert_eq!(benefits, ["45000", "12000", "80000"]);
    assert_eq!(list[3].undecided, ["C1"]);
    assert_eq!(list[4].line, 9);
    // Summary and push entries serialise for the browser.
    let json = serde_json::to_value(&list[0]).unwrap();
    assert_eq!((json["verdict"].as_str(), json["benefit"].as_f64()), (Some("qualifies"), Some(45000.0)));
    assert!(serde_json::to_string(&s).unwrap().contains("\"rows_with_problems\":2"));

    // Without details: same verdicts, no reasons.
    let t = batch::import(&std::fs::read(fixture("enterprises.csv")).unwrap(), &ImportOptions::default()).unwrap();
    let m = Mapping::from_json(&std::fs::read_to_string(fixture("mapping.json")).unwrap()).unwrap();
    let mut opts = BatchOptions::new(as_of());
    opts.details = false;
    let fast = batch::run(&cat, &t, &m.resolve(&cat, &t).unwrap(), &opts);
    for row in 0..r.rows() {
        assert_eq!(fast.row_verdicts(row), r.row_verdicts(row));
    }
    assert!(fast.detail(0, 0).is_none());
}

#[test]
fn units_and_messy_cells() {
    let cat = catalogue();
    let t = csv_table("名称,2025年营业收入（万元）,2025年职工总数,2025年研发费用占比,成立日期\n甲,\"1,234.5\",15人,0.05,2023年5月1日\n乙,3亿元,１２,6%,45047\n丙,-,多,abc,明天\n");
    let mut m = batch::auto_map(&cat, &t.headers);
    m.columns[3].unit = Some(CellUnit::Fraction);
    let resolved = m.resolve(&cat, &t).unwrap();
    let r = batch::run(&cat, &t, &resolved, &BatchOptions::new(as_of()));
    let raws: Vec<&str> = r.issues.iter().map(|i| i.raw.as_str()).collect();
    assert_eq!(raws, ["-", "多", "abc", "明天"], "{:?}", r.issues);
    // The values the engine got.
    let reader = batch::validate::RowReader::new(&cat, &t, &resolved);
    let mut p = policy_match::matching::Profile::empty(&cat);
    let mut issues = Vec::new();
    let value = |p: &policy_match::matching::Profile, f: &str| serde_json::to_value(p.get(&cat, f).unwrap()).unwrap();
    assert_eq!(reader.read(0, &mut p, &mut issues), 0);
    assert_eq!(p.id.as_deref(), Some("甲"));
    assert_eq!(value(&p, "revenue_2025_cny"), serde_json::json!(12345000));
    assert_eq!(value(&p, "employees_2025"), serde_json::json!(15));
    assert_eq!(value(&p, "rd_ratio_2025_pct"), serde_json::json!(5));
    assert_eq!(value(&p, "registration_date"), "2023-05-01");
    assert_eq!(reader.read(1, &mut p, &mut issues), 0);
    assert_eq!(value(&p, "revenue_2025_cny"), serde_json::json!(300000000), "3亿元 in a 万元 column: the cell's own unit wins");
    assert_eq!(value(&p, "employees_2025"), serde_json::json!(12));
    assert_eq!(value(&p, "rd_ratio_2025_pct"), serde_json::json!(6), "6% in a fraction column is already a percent");
    assert_eq!(value(&p, "registration_date"), "2023-05-01");
    assert_eq!(reader.read(2, &mut p, &mut issues), 4);
    assert!(p.values.iter().all(|v| !v.is_provided()));
}

#[test]
fn misplaced_digit_separators_are_reported_not_misread() {
    let cat = catalogue();
    // 2,5 would otherwise be 25 (万元: 250,000 元); 1.000,5 would be 1.0005; 1,00,000 would be 100000.
    let t = csv_table("名称,2025年营业收入（万元）,2025年职工总数\n甲,\"2,5\",\"1,00,000\"\n乙,\"1.000,5\",12\n丙,\"1,234.5\",\"1,200\"\n");
    let m = batch::auto_map(&cat, &t.headers);
    let resolved = m.resolve(&cat, &t).unwrap();
    let r = batch::run(&cat, &t, &resolved, &BatchOptions::new(as_of()));
    let raws: Vec<&str> = r.issues.iter().map(|i| i.raw.as_str()).collect();
    assert_eq!(raws, ["2,5", "1,00,000", "1.000,5"], "{:?}", r.issues);
    let reader = batch::validate::RowReader::new(&cat, &t, &resolved);
    let mut p = policy_match::matching::Profile::empty(&cat);
    let mut issues = Vec::new();
    let value = |p: &policy_match::matching::Profile, f: &str| serde_json::to_value(p.get(&cat, f).unwrap()).unwrap();
    assert_eq!(reader.read(0, &mut p, &mut issues), 2);
    assert!(!p.get(&cat, "revenue_2025_cny").unwrap().is_provided() && !p.get(&cat, "employees_2025").unwrap().is_provided());
    assert_eq!(reader.read(1, &mut p, &mut issues), 1);
    assert_eq!(value(&p, "employees_2025"), serde_json::json!(12), "the row's other cells still count");
    assert_eq!(reader.read(2, &mut p, &mut issues), 0);
    assert_eq!(value(&p, "revenue_2025_cny"), serde_json::json!(12345000));
    assert_eq!(value(&p, "employees_2025"), serde_json::json!(1200));
}

#[test]
fn rows_without_a_name_or_with_a_repeated_name_are_reported_and_still_matched() {
    let cat = catalogue();
    let t = csv_table("名称,2025年职工总数\n甲公司,10\n乙公司,20\n,30\n甲公司,40\n  乙公司 ,50\n丙公司,60\n");
    let m = batch::auto_map(&cat, &t.headers);
    let resolved = m.resolve(&cat, &t).unwrap();
    assert!(resolved.key.is_some(), "名称 is the name column");
    let r = batch::run(&cat, &t, &resolved, &BatchOptions::new(as_of()));
    let got: Vec<(&str, u32, &str)> = r.issues.iter().map(|i| (i.kind, i.row, i.raw.as_str())).collect();
    // Lines: header 1, 甲 2, 乙 3, (none) 4, 甲 5, 乙 6, 丙 7.
    assert_eq!(got, [("missing-name", 4, ""), ("duplicate-name", 5, "甲公司"), ("duplicate-name", 6, "乙公司")], "{:?}", r.issues);
    assert!(r.issues[1].message.contains("row 2") && r.issues[2].message_zh.contains("第 3 行"), "{:?}", r.issues);
    // The message names the key column (a name, or a code such as 统一社会信用代码).
    assert!(r.issues[1].message.contains("`名称`") && r.issues[2].message_zh.contains("“名称”相同"), "{:?}", r.issues);
    assert_eq!(r.issues[0].column, "名称");
    assert_eq!(r.rows_evaluated, 6, "every row is still matched");
    assert_eq!(r.rows_with_problems, 3);
}

/// Duplicates as lists have them: the same 统一社会信用代码 under two
/// spellings of the name, or a name written with full-width brackets once:
/// reported (both rows still matched); told once when name and code agree.
#[test]
fn duplicates_by_credit_code_and_by_the_name_in_another_width() {
    let cat = catalogue();
    let t = csv_table(
        "企业名称,统一社会信用代码,2025年职工总数\n\
         甲科技（杭州）有限公司,91330106MA2H000001,10\n\
         乙公司,91330106MA2H000002,20\n\
         甲科技(杭州)有限公司,91330106MA2H000009,30\n\
         乙信息公司,91330106ma2h000002 ,40\n\
         乙公司,91330106MA2H000002,50\n\
         丙公司,,60\n\
         丁公司,,70\n",
    );
    let m = batch::auto_map(&cat, &t.headers);
    let resolved = m.resolve(&cat, &t).unwrap();
    assert_eq!(resolved.key, Some(0));
    let r = batch::run(&cat, &t, &resolved, &BatchOptions::new(as_of()));
    let got: Vec<(&str, u32, &str, &str)> = r.issues.iter().map(|i| (i.kind, i.row, i.column.as_str(), i.raw.as_str())).collect();
    assert_eq!(
        got,
        [
            ("duplicate-name", 4, "企业名称", "甲科技(杭州)有限公司"),
            ("duplicate-code", 5, "统一社会信用代码", "91330106ma2h000002"),
            ("duplicate-name", 6, "企业名称", "乙公司"),
        ],
        "{:?}",
        r.issues
    );
    assert_eq!(r.issues[1].message_zh, "与第 3 行的“统一社会信用代码”相同：两行都参与匹配，通知前请核对是否重复");
    assert_eq!(r.rows_evaluated, 7, "every row is still matched");
}

/// A multi-select cell (a string_list with options) is read as forgivingly
/// as an enum cell: items separated by 、，,;；/|, full-width letters, a
/// label without its bracketed part, a label that itself holds a separator
/// or spaces; 无/没有 for none. An item that is no option makes the cell a
/// problem naming that item (the field is not provided).
#[test]
fn multi_select_cells_are_read_like_enum_cells() {
    let cat = Catalogue::from_json(
        "c.json",
        r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"}, "policies": [],
        "fields": [{"name": "chains", "type": "string_list", "label": {"zh": "重点产业链", "en": "Key chains"}, "options": [
          {"value": "ic", "label": {"zh": "集成电路", "en": "Integrated circuits"}, "aliases": ["IC", "芯片"]},
          {"value": "equip", "label": {"zh": "高端装备（含智能装备）", "en": "High-end equipment"}},
          {"value": "soft", "label": {"zh": "软件/信息服务", "en": "Software"}},
          {"value": "bio", "label": {"zh": "生物医药", "en": "Biomedicine"}}]}]}"#,
    )
    .unwrap();
    let cells = [
        ("集成电路、生物医药", Some(vec!["ic", "bio"])),
        ("集成电路，生物医药", Some(vec!["ic", "bio"])),
        ("集成电路, 生物医药", Some(vec!["ic", "bio"])),
        ("集成电路/生物医药", Some(vec!["ic", "bio"])),
        ("集成电路；生物医药;", Some(vec!["ic", "bio"])),
        ("ＩＣ", Some(vec!["ic"])),
        ("高端装备", Some(vec!["equip"])),
        ("软件/信息服务、芯片", Some(vec!["soft", "ic"])),
        ("Integrated circuits / Biomedicine", Some(vec!["ic", "bio"])),
        ("集成电路、集成电路", Some(vec!["ic"])),
        ("无", Some(vec![])),
        ("没有", Some(vec![])),
        ("集成电路、纺织", None),
        ("软件", None),
    ];
    let mut csv = String::from("企业名称,重点产业链\n");
    for (i, (cell, _)) in cells.iter().enumerate() {
        csv.push_str(&format!("企业{i},\"{cell}\"\n"));
    }
    let t = csv_table(&csv);
    let m = batch::auto_map_table(&cat, &t);
    let resolved = m.resolve(&cat, &t).unwrap();
    let reader = batch::validate::RowReader::new(&cat, &t, &resolved);
    let mut p = policy_match::matching::Profile::empty(&cat);
    for (i, (cell, want)) in cells.iter().enumerate() {
        let mut issues = Vec::new();
        reader.read(i, &mut p, &mut issues);
        let got = p.get(&cat, "chains").unwrap();
        match want {
            Some(items) => {
                assert!(issues.is_empty(), "{cell}: {issues:?}");
                assert_eq!(serde_json::to_value(got).unwrap(), serde_json::json!(items), "{cell}");
            }
            None => {
                assert!(!got.is_provided(), "{cell}");
                assert_eq!(issues.len(), 1, "{cell}: {issues:?}");
                assert_eq!((issues[0].row, issues[0].raw.as_str()), (i as u32 + 2, *cell));
                let unknown = if *cell == "软件" { "软件" } else { "纺织" };
                assert!(issues[0].message_zh.starts_with(&format!("“{unknown}”不是可选项之一")), "{cell}: {}", issues[0].message_zh);
                assert!(issues[0].message.contains(&format!("`{unknown}`")), "{cell}: {}", issues[0].message);
            }
        }
    }
}

#[test]
fn enum_cells_match_values_and_labels_loosely() {
    use crate::util::{compile, doc, policy};
    let fields = serde_json::json!([{"name": "rating", "type": "enum", "label": {"zh": "信用等级", "en": "Rating"},
        "options": [{"value": "A+", "label": {"zh": "A+级（诚信示范）", "en": "A+ (exemplary)"}},
                    {"value": "A", "label": {"zh": "A级（守信）", "en": "A (trustworthy)"}},
                    {"value": "company", "label": {"zh": "企业（公司）", "en": "Company"}}]}]);
    let cat = compile(&doc(fields, serde_json::json!([policy("p", serde_json::json!({"==": [{"var": "rating"}, "A+"]}))])));
    let t = csv_table("名称,信用等级\n甲,A+级（诚信示范）\n乙,A+级(诚信示范)\n丙,Ａ＋级\n丁, a+ \n戊,A级\n己,企业\n庚,B级\n");
    let r = run_batch(&cat, &t, &batch::auto_map(&cat, &t.headers));
    let got: Vec<Verdict> = (0..t.len()).map(|row| r.verdict(row, 0)).collect();
    use Verdict::*;
    assert_eq!(got, [Qualifies, Qualifies, Qualifies, Qualifies, DoesNotQualify, DoesNotQualify, Undecided]);
    assert_eq!(r.issues.len(), 1);
    assert_eq!((r.issues[0].row, r.issues[0].raw.as_str()), (8, "B级"));
}

// ------------------------------------------------------------ export round trips

#[test]
fn push_list_csv_and_xlsx_round_trip() {
    let (cat, t, r) = fixture_run();
    let opts = ExportOptions::default();
    for pi in 0..cat.policies.len() {
        let rows_expected = r.push_rows(pi);
        // CSV: BOM, then the imported columns unchanged, then the result columns.
        let mut buf = Vec::new();
        export::push_list_csv(&cat, &t, &r, pi, &opts, &mut buf).unwrap();
        assert!(buf.starts_with(b"\xEF\xBB\xBF"));
        let back = batch::import(&buf, &ImportOptions::default()).unwrap();
        assert_eq!(&back.headers[..t.width()], t.headers.as_slice());
        assert_eq!(&back.headers[t.width()..], ["结论", "原因", "需补充的信息", "需补充的字段", "预计金额（元）", "行号"]);
        assert_eq!(back.len(), rows_expected.len());
        for (i, &row) in rows_expected.iter().enumerate() {
            let orig: Vec<&str> = t.row(row).collect();
            let got: Vec<&str> = back.row(i).take(t.width()).collect();
            assert_eq!(got, orig, "policy {pi}, row {row}");
            assert_eq!(back.cell(i, t.width() + 5), t.line(row).to_string(), "the source row, as in the problems list");
        }
        // XLSX: the same cells come back.
        let x = export::push_list_xlsx(&cat, &t, &r, pi, &opts).unwrap();
        let back_x = batch::import(&x, &ImportOptions::default()).unwrap();
        assert_eq!(back_x.headers, back.headers);
        assert_eq!(rows(&back_x), rows(&back), "policy {pi}");
    }
    // The undecided reasons name the criteria and the fields to ask for.
    let mut buf = Vec::new();
    export::push_list_csv(&cat, &t, &r, 0, &opts, &mut buf).unwrap();
    let back = batch::import(&buf, &ImportOptions::default()).unwrap();
    let w = t.width();
    assert_eq!((back.cell(0, w), back.cell(0, w + 1), back.cell(0, w + 4)), ("符合", "符合全部2项条件", "45000"));
    assert_eq!(back.cell(4, w), "待确认");
    assert_eq!(back.cell(4, w + 1), "待确认：C1 营业收入不超过500万元；C2 职工不超过100人");
    assert_eq!(back.cell(4, w + 2), "2025年营业收入；2025年职工总数");
    assert_eq!(back.cell(4, w + 3), "revenue_2025_cny;employees_2025");
}

/// Long digit strings (IDs, codes) survive an XLSX export and re-import: a
/// number is written as a number only within Excel's 15 significant digits.
#[test]
fn xlsx_export_keeps_long_digit_strings() {
    let cat = catalogue();
    let codes = ["1234567890123456", "123456789012345", "330106199001011234", "0.1", "12345678.9", "-0.000123", "000123"];
    let rows: Vec<Vec<&str>> = codes.iter().map(|c| vec!["甲", *c, "10"]).collect();
    let t = Table::new(&["名称", "编号", "2025年职工总数"], &rows).unwrap();
    let r = run_batch(&cat, &t, &batch::auto_map(&cat, &t.headers));
    let pi = (0..cat.policies.len()).find(|&p| r.push_rows(p).len() == codes.len()).expect("a policy listing every row");
    let x = export::push_list_xlsx(&cat, &t, &r, pi, &ExportOptions::default()).unwrap();
    let back = batch::import(&x, &ImportOptions::default()).unwrap();
    let got: Vec<&str> = (0..back.len()).map(|i| back.cell(i, 1)).collect();
    assert_eq!(got, codes);
}

/// Text that Excel or WPS would open as a formula (OWASP "CSV injection":
/// it starts with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a
/// leading `'` in CSV exports, headers included; plain numbers do not. The
/// importer takes the `'` off, so an export re-imports unchanged. XLSX
/// writes such cells as typed strings, never formulas, and unprefixed.
#[test]
fn csv_exports_neutralise_formulas_and_reimport_unchanged() {
    use std::io::Read;
    let cat = catalogue();
    // (name, exported with a `'`), (profit, exported with a `'`)
    let cells = [
        (("=HYPERLINK(\"http://x\",\"y\")", true), ("-1234.5", false)),
        (("@SUM(A1)", true), ("=1+1", true)),
        (("-比较", true), ("-1,234.5", false)),
        (("+86 571 8888", true), ("-", true)),
        (("\t制表", true), ("-3.5%", false)),
        (("'=已有引号", true), ("'-5", true)),
        (("'普通引号", false), ("+5", false)),
        (("甲公司", false), ("0", false)),
    ];
    let rows: Vec<Vec<&str>> = cells.iter().map(|((name, _), (profit, _))| vec![*name, *profit, "10"]).collect();
    let t = Table::new(&["名称", "=利润", "2025年职工总数"], &rows).unwrap();
    let m = batch::auto_map(&cat, &t.headers);
    assert_eq!(m.key_column.as_deref(), Some("名称"));
    let r = run_batch(&cat, &t, &m);
    let pi = (0..cat.policies.len()).find(|&p| r.push_rows(p).len() == cells.len()).expect("a policy listing every row");
    let opts = ExportOptions::default();
    let expected = |text: &str, prefixed: bool| if prefixed { format!("'{text}") } else { text.to_string() };
    // The CSV as a spreadsheet reads it: the raw fields.
    let raw = |bytes: &[u8]| -> Vec<Vec<String>> {
        let mut rdr = ::csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap());
        rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
    };

    let mut push = Vec::new();
    export::push_list_csv(&cat, &t, &r, pi, &opts, &mut push).unwrap();
    let fields = raw(&push);
    assert_eq!(fields[0][..3], ["名称", "'=利润", "2025年职工总数"]);
    let w = t.width();
    for f in &fields[1..] {
        // The source row (column 行号) tells which enterprise the line is.
        let i = f[w + 5].parse::<usize>().unwrap() - 2;
        let ((name, p_name), (profit, p_profit)) = cells[i];
        assert_eq!((f[0].clone(), f[1].clone()), (expected(name, p_name), expected(profit, p_profit)), "row {i}");
    }
    let back = batch::import(&push, &ImportOptions::default()).unwrap();
    assert_eq!(back.headers[..w], t.headers);
    for (i, &row) in r.push_rows(pi).iter().enumerate() {
        assert_eq!(back.row(i).take(w).collect::<Vec<_>>(), t.row(row).collect::<Vec<_>>());
    }

    // The matrix (key column) and the problems list (raw values) too.
    let mut matrix = Vec::new();
    export::matrix_csv(&cat, &t, &r, &opts, &mut matrix).unwrap();
    let names: Vec<String> = raw(&matrix)[1..].iter().map(|f| f[1].clone()).collect();
    assert_eq!(names, cells.iter().map(|((n, p), _)| expected(n, *p)).collect::<Vec<_>>());
    let back = batch::import(&matrix, &ImportOptions::default()).unwrap();
    assert_eq!((0..back.len()).map(|i| back.cell(i, 1)).collect::<Vec<_>>(), cells.iter().map(|((n, _), _)| *n).collect::<Vec<_>>());
    let bad = Table::new(&["名称", "2025年职工总数"], &[vec!["@甲", "=2*5"]]).unwrap();
    let rb = run_batch(&cat, &bad, &batch::auto_map(&cat, &bad.headers));
    let mut problems = Vec::new();
    export::issues_csv(&rb, &opts, &mut problems).unwrap();
    assert_eq!(raw(&problems)[1][..4], ["2", "2025年职工总数", "employees_2025", "'=2*5"]);

    // XLSX: typed strings (no formula element), read back unchanged, with no `'`.
    let x = export::push_list_xlsx(&cat, &t, &r, pi, &opts).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&x)).unwrap();
    let mut sheet = String::new();
    zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut sheet).unwrap();
    assert!(sheet.contains("t=\"s\"") && !sheet.contains("<f>") && !sheet.contains("<f "), "{sheet}");
    let back_x = batch::import(&x, &ImportOptions::default()).unwrap();
    assert_eq!(back_x.headers[..w], t.headers);
    for (i, &row) in r.push_rows(pi).iter().enumerate() {
        assert_eq!(back_x.row(i).take(w).collect::<Vec<_>>(), t.row(row).collect::<Vec<_>>());
    }
}

/// Two policies with amounts that do not stack (take the higher): a grant
/// of ¥1,000 a head for small enterprises, ¥5,000 for ten staff or more.
const GRANTS: &str = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
      "fields": [{"name": "employees", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Employees"}},
                 {"name": "revenue_cny", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
      "policies": [{"id": "small", "title": {"zh": "小微", "en": "Small"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "tax",
        "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "employees"}, 1000]}},
        "stacking": [{"policy": "staff", "rule": "take_higher"}],
        "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300"}, "rule": {"<=": [{"var": "employees"}, 300]}},
                     {"id": "C2", "description": {"zh": "收入不超过500万元", "en": "≤ ¥5m"}, "rule": {"<=": [{"var": "revenue_cny"}, 5000000]}}]},
                   {"id": "staff", "title": {"zh": "用工", "en": "Staff"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "employment",
        "benefit": {"text": {"zh": "5000元", "en": "¥5,000"}, "amount": 5000},
        "criteria": [{"id": "C1", "description": {"zh": "至少10人", "en": "≥ 10"}, "rule": {">=": [{"var": "employees"}, 10]}}]}]}"#;

/// Each enterprise's estimated total is the self-check's sum of what it
/// qualifies for (of two that do not stack, the higher), on every path a run
/// takes: rows evaluated in full from the start, and past row 32 the direct
/// path for lists where most rows need details.
#[test]
fn estimated_totals_on_every_path_of_a_run() {
    let cat = Catalogue::from_json("c.json", GRANTS).unwrap();
    // Two rows in three lack the revenue (small undecided): most rows need details.
    let mut csv = String::from("企业名称,职工人数,营业收入（万元）\n");
    let rows: Vec<(i64, bool)> = (0..90).map(|i| (i % 15, i % 3 == 0)).collect();
    for (i, (staff, revenue)) in rows.iter().enumerate() {
        csv += &format!("企业{i},{staff},{}\n", if *revenue { "100" } else { "" });
    }
    let table = batch::import(csv.as_bytes(), &ImportOptions::default()).unwrap();
    let resolved = batch::auto_map(&cat, &table.headers).resolve(&cat, &table).unwrap();
    let r = batch::run(&cat, &table, &resolved, &BatchOptions::new(as_of()));
    for (row, &(staff, revenue)) in rows.iter().enumerate() {
        let small = revenue.then_some(staff * 1000); // qualifies only with the revenue given
        let grant = (staff >= 10).then_some(5000);
        let want = match (small, grant) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        assert_eq!(r.total(row), want.map(rust_decimal::Decimal::from), "row {row}: {staff} staff, revenue {revenue}");
    }
}

#[test]
fn matrix_summary_problems_exports() {
    let (cat, t, r) = fixture_run();
    let en = ExportOptions { lang: Lang::En, bom: true };
    let mut buf = Vec::new();
    export::matrix_csv(&cat, &t, &r, &en, &mut buf).unwrap();
    let m = batch::import(&buf, &ImportOptions::default()).unwrap();
    assert_eq!(
        m.headers,
        ["row", "企业名称", "Small-enterprise grant", "HNTE R&D reward", "Start-up support", "SME loan subsidy", "problems", "estimated value (CNY)"]
    );
    assert_eq!(m.len(), 6);
    assert_eq!(m.row(2).collect::<Vec<_>>(), ["6", "丙软件", "undecided", "qualifies", "undecided", "qualifies", "2", ""]);
    // 丙's grant is undecided: no value; 甲 qualifies for it with 45 employees (¥1,000 each).
    assert_eq!(m.row(0).collect::<Vec<_>>()[1..], ["甲科技有限公司", "qualifies", "qualifies", "undecided", "qualifies", "0", "45000"]);

    let mut buf = Vec::new();
    export::issues_csv(&r, &ExportOptions::default(), &mut buf).unwrap();
    let p = batch::import(&buf, &ImportOptions::default()).unwrap();
    assert_eq!(p.headers, ["行号", "列", "字段", "原值", "问题"]);
    assert_eq!(p.row(0).take(4).collect::<Vec<_>>(), ["6", "营业收入（万元）", "revenue_2025_cny", "很多"]);

    let mut buf = Vec::new();
    export::summary_csv(&cat, &r, &ExportOptions::default(), &mut buf).unwrap();
    let text = String::from_utf8(buf).unwrap();
    assert!(text.contains("读取的行,6") && text.contains("有问题的行,2") && text.contains("已评估的行,6"), "{text}");
    assert!(text.contains("small_enterprise_grant,小微企业补助,是,3,2,1,"), "{text}");

    // The whole results workbook, with the push lists as sheets.
    let x = export::results_xlsx(&cat, &t, &r, &ExportOptions::default(), true).unwrap();
    let sheets = batch::import(&x, &ImportOptions::default()).unwrap().source.sheets;
    assert_eq!(sheets.len(), 3 + cat.policies.len());
    assert_eq!(sheets[3], export::push_sheet_name(&cat, 0, Lang::Zh));
    let push = batch::import(&x, &ImportOptions { sheet: Some(sheets[3].clone()), ..Default::default() }).unwrap();
    assert_eq!(push.len(), r.push_rows(0).len());
    let matrix = batch::import(&x, &ImportOptions { sheet: Some("结果矩阵".into()), ..Default::default() }).unwrap();
    assert_eq!(matrix.len(), 6);
}

#[test]
fn a_gbk_export_from_excel_runs_end_to_end() {
    let cat = catalogue();
    let text = std::fs::read_to_string(fixture("enterprises.csv")).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(text.trim_start_matches('\u{feff}'));
    let t = batch::import(&gbk, &ImportOptions::default()).unwrap();
    let m = Mapping::from_json(&std::fs::read_to_string(fixture("mapping.json")).unwrap()).unwrap();
    let r = run_batch(&cat, &t, &m);
    let (_, _, utf8) = fixture_run();
    assert_eq!(r.summary(&cat), utf8.summary(&cat));
}

#[test]
fn fifty_thousand_rows() {
    let cat = catalogue();
    let mut csv = String::from("企业名称,营业收入（万元）,2025年职工总数,成立日期,企业规模,是否高新技术企业,研发费用占比(%),行政处罚日期\n");
    for i in 0..50_000u32 {
        let size = ["小型", "中型", "大型", ""][(i % 4) as usize];
        let hnte = if i % 3 == 0 { "是" } else { "否" };
        let bad = if i % 1000 == 7 { "n/a" } else { "" };
        csv.push_str(&format!("企业{i},{}{bad},{},20{:02}-0{}-1{},{size},{hnte},{}.{},\n", i % 900, i % 300, 10 + i % 16, 1 + i % 9, i % 10, i % 9, i % 10));
    }
    let t = batch::import(csv.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(t.len(), 50_000);
    let m = batch::auto_map(&cat, &t.headers);
    let mut done = Vec::new();
    let r = batch::run_with_progress(&cat, &t, &m.resolve(&cat, &t).unwrap(), &BatchOptions::new(as_of()), &mut |d, n| done.push((d, n)));
    let s = r.summary(&cat);
    assert_eq!((s.rows_read, s.rows_evaluated, s.rows_with_problems), (50_000, 50_000, 50));
    assert_eq!(done.last(), Some(&(50_000, 50_000)));
    assert_eq!(done.len(), 51);
    for p in &s.policies {
        assert_eq!(p.qualifies + p.undecided + p.does_not_qualify, 50_000);
    }
}

// ----------------------------------------------------------------------- CLI

#[test]
fn cli_batch_auto_mapping_write_mapping_and_exports() {
    let dir = tmp_dir("cli");
    let cat = fixture("catalogue.json");
    let ent = fixture("enterprises.csv");
    // --write-mapping alone: save the automatic mapping, no results.
    let map = dir.join("mapping.json");
    let out = bin().args(["batch", "--catalogue"]).arg(&cat).arg("--enterprises").arg(&ent).arg("--write-mapping").arg(&map).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let auto = Mapping::from_json(&std::fs::read_to_string(&map).unwrap()).unwrap();
    assert_eq!(auto.column_of("revenue_2025_cny").map(|c| (c.column.as_str(), c.unit)), Some(("营业收入（万元）", Some(CellUnit::WanYuan))));
    let stderr = String::from_utf8_lossy(&out.stderr);
    // In the default language, Chinese, as zone staff read it.
    assert!(stderr.contains("列对应（自动）：") && stderr.contains("职工人数（人） → （未对应）"), "{stderr}");
    assert!(stderr.contains("已把列对应写入"), "{stderr}");

    // The edited mapping (here: the fixture) with --out: every file written.
    let results = dir.join("out");
    let out = bin()
        .args(["batch", "--catalogue"])
        .arg(&cat)
        .arg("--enterprises")
        .arg(&ent)
        .arg("--mapping")
        .arg(fixture("mapping.json"))
        .arg("--out")
        .arg(&results)
        .args(["--as-of", "2026-07-01", "--timings"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("读取 6 行，有问题 2 行，已评估 6 行"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("列对应（来自文件）"), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("small_enterprise_grant"), "{stdout}");
    for f in ["summary.json", "summary.csv", "problems.csv", "matrix.csv", "results.xlsx", "push/01-small_enterprise_grant.csv", "push/04-sme_loan.xlsx"] {
        assert!(results.join(f).is_file(), "{f}");
    }
    let push = std::fs::read(results.join("push/01-small_enterprise_grant.csv")).unwrap();
    assert!(push.starts_with(b"\xEF\xBB\xBF"));
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(results.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["summary"]["policies"][0]["qualifies"], 3);
    assert_eq!(summary["source"]["encoding"], "UTF-8");

    // CSV only, in English.
    let csv_only = dir.join("csv-only");
    let out = bin()
        .args(["batch", "--catalogue"])
        .arg(&cat)
        .arg("--enterprises")
        .arg(&ent)
        .arg("--out")
        .arg(&csv_only)
        .args(["--formats", "csv", "--lang", "en", "--as-of", "2026-07-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!csv_only.join("results.xlsx").exists());
    assert!(std::fs::read_to_string(csv_only.join("matrix.csv")).unwrap().contains("Small-enterprise grant"));
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("rows read 6, with problems 2, evaluated 6") && stdout.contains("wrote 8 file(s)"), "{stdout}");
    assert!(stderr.contains("mapping (automatic):") && stderr.contains("职工人数（人） → (not mapped)"), "{stderr}");
}

#[test]
fn cli_batch_errors() {
    let dir = tmp_dir("cli-errors");
    let cat = fixture("catalogue.json");
    // Neither --out nor --write-mapping: usage.
    let out = bin().args(["batch", "--catalogue"]).arg(&cat).arg("--enterprises").arg(fixture("enterprises.csv")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    // A 200 MB file is refused before it is read (a sparse file: no disk used).
    let big = dir.join("big.csv");
    std::fs::File::create(&big).unwrap().set_len(200 * 1024 * 1024).unwrap();
    let out = bin().args(["batch", "--catalogue"]).arg(&cat).arg("--enterprises").arg(&big).arg("--out").arg(dir.join("o")).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("200.0 MiB") && stderr.contains("limit"), "{stderr}");
    let _ = std::fs::remove_file(&big);
    // A mapping naming an unknown field.
    let bad = dir.join("bad-mapping.json");
    std::fs::write(&bad, r#"{"format": "policy-match/mapping@1", "columns": [{"column": "成立日期", "field": "founded"}]}"#).unwrap();
    let out = bin()
        .args(["batch", "--catalogue"])
        .arg(&cat)
        .arg("--enterprises")
        .arg(fixture("enterprises.csv"))
        .arg("--mapping")
        .arg(&bad)
        .arg("--out")
        .arg(dir.join("o"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no field `founded`"));
}

/// The reader's shortcuts for plain cells (numbers shifted by the column's
/// unit, yes/no, ISO dates, enum spellings) give exactly what the general
/// path gives: `prepare_cell`, then the engine's `Profile::set`.
#[test]
fn the_readers_shortcuts_read_cells_like_the_general_path() {
    use policy_match::batch::validate::{prepare_cell, RowReader};
    use policy_match::matching::{Profile, Raw};
    let cat = catalogue();
    let money = [
        "320",
        "0",
        "-0",
        "-5",
        "0.00001",
        "0.000000000001",
        "1.5",
        "00123",
        "5.",
        ".5",
        "1234.56789",
        "99999999999999",
        "999999999999999999999",
        "1e3",
        "1,234.5",
        "-",
        ".",
        "3万元",
        " 42 ",
    ];
    let counts = ["45", "0", "-1", "3.0", "3.5", "007", "1e2", "12人", "  8"];
    let pct = ["6.5", "100", "100.0001", "-0.1", "5%", "0"];
    let dates = ["2021-03-15", "2019-02-30", "2021/3/15", "20210315", "45047", "2021-3-5", "0000-01-01", "9999-12-31"];
    let sizes = ["small", "小型", "SMALL", "ｓｍａｌｌ", " medium ", "微型", "中型企业"];
    let bools = ["是", "否", "true", "0", "是的", "YES"];
    let n = [money.len(), counts.len(), pct.len(), dates.len(), sizes.len(), bools.len()].into_iter().max().unwrap();
    let headers = ["营业收入（万元）", "职工人数（人）", "研发费用占比(%)", "成立日期", "企业规模", "是否高新技术企业"];
    let pick = |a: &[&'static str], i: usize| a[i % a.len()];
    let rows: Vec<Vec<&str>> =
        (0..n).map(|i| vec![pick(&money, i), pick(&counts, i), pick(&pct, i), pick(&dates, i), pick(&sizes, i), pick(&bools, i)]).collect();
    let t = Table::new(&headers, &rows).unwrap();
    let m = Mapping::from_json(&std::fs::read_to_string(fixture("mapping.json")).unwrap()).unwrap();
    let resolved = m.resolve(&cat, &t).unwrap();
    let reader = RowReader::new(&cat, &t, &resolved);
    let (mut fast, mut slow) = (Profile::empty(&cat), Profile::empty(&cat));
    let mut issues = Vec::new();
    for row in 0..t.len() {
        let before = issues.len();
        reader.read(row, &mut fast, &mut issues);
        let mut expected_issues = 0;
        slow.values.iter_mut().for_each(|v| *v = policy_match::rules::Value::Missing);
        for (c, target) in resolved.columns.iter().enumerate() {
            let Some(target) = target else { continue };
            let cell = t.cell(row, c);
            if cell.trim().is_empty() {
                continue;
            }
            slow.issues.clear();
            // A number in scientific notation (`1e2`) is reported by the reader (Excel's rounded
            // display; the column's unit would not apply), though the engine reads it.
            if target.field != "registration_date"
                && target.field != "size_class"
                && cell.contains(['e', 'E'])
                && cell.starts_with(|c: char| c.is_ascii_digit())
            {
                expected_issues += 1;
                continue;
            }
            // Enum cells: the general path is the engine's own matching of values and labels,
            // which the reader widens (width, case, spacing); compare where the engine decides.
            slow.set(&cat, &target.field, Raw::Text(&prepare_cell(target, cell)), None);
            expected_issues += slow.issues.len();
        }
        let slot = |f: &str| cat.field_slot(f).unwrap() as usize;
        for f in ["revenue_2025_cny", "employees_2025", "rd_ratio_2025_pct", "registration_date", "is_hnte"] {
            assert_eq!(fast.values[slot(f)], slow.values[slot(f)], "row {row}, field {f}: {:?}", t.row(row).collect::<Vec<_>>());
        }
        let size = slow.values[slot("size_class")].clone();
        if size.is_provided() {
            assert_eq!(fast.values[slot("size_class")], size, "row {row}");
        }
        let fast_issues = issues[before..].iter().filter(|i| i.field.as_deref() != Some("size_class")).count();
        let slow_issues = expected_issues - usize::from(!size.is_provided() && !t.cell(row, 4).trim().is_empty());
        assert_eq!(fast_issues, slow_issues, "row {row}: {:?}", &issues[before..]);
    }
}

// ------------------------------------------------------------ admin session

mod session {
    use super::*;
    use policy_match::batch::session::{ExportKind, PushQuery, Session};

    fn fixture_session() -> Session {
        let text = std::fs::read_to_string(fixture("catalogue.json")).unwrap();
        let mut s = Session::new(&[text.as_str()], as_of()).unwrap();
        s.import(&std::fs::read(fixture("enterprises.csv")).unwrap(), None).unwrap();
        s.set_mapping(&std::fs::read_to_string(fixture("mapping.json")).unwrap()).unwrap();
        s
    }

    /// The page's automatic mapping takes the title row's unit, as the CLI's does.
    #[test]
    fn the_sessions_automatic_mapping_reads_the_title_unit() {
        let text = std::fs::read_to_string(root().join("www/catalogues/cn-national-2026.json")).unwrap();
        let mut s = Session::new(&[text.as_str()], as_of()).unwrap();
        let info = s.import("园区企业名单（单位：万元）\n企业名称,资产总额季度平均值,从业人数\n甲,5000,300\n合计,5000,300\n".as_bytes(), None).unwrap();
        assert_eq!(info.notes.len(), 2, "{:?}", info.notes);
        assert!(info.notes_zh[0].contains("标题") && info.notes_zh[1].contains("合计行"), "{:?}", info.notes_zh);
        let mut m = s.auto_map().unwrap();
        assert_eq!(m.column_of("cit_total_assets_quarterly_avg_2025_cny").unwrap().unit, Some(CellUnit::WanYuan));
        // Mapping warnings in both languages, for the page's language.
        m.columns.retain(|c| c.column != "从业人数");
        let en = s.set_mapping(&m.to_json()).unwrap();
        assert_eq!(en, ["column `从业人数` is not in the mapping; it is not read"]);
        assert_eq!(s.mapping_warnings_zh(), ["对应关系中没有“从业人数”列；该列不导入"]);
    }

    fn run_all(s: &mut Session, chunk: usize) -> usize {
        let mut steps = 0;
        s.start_run().unwrap();
        while !s.step(chunk).unwrap().done {
            steps += 1;
        }
        steps + 1
    }

    fn keys(page: &policy_match::batch::session::PushPage) -> Vec<&str> {
        page.rows.iter().map(|r| r.key.as_deref().unwrap_or("")).collect()
    }

    #[test]
    fn a_run_one_row_at_a_time_gives_the_same_summary_as_run() {
        let mut s = fixture_session();
        assert!(s.summary().is_err(), "no summary before a run");
        // 6 data rows, one per step.
        assert_eq!(run_all(&mut s, 1), 6);
        let (cat, _, r) = fixture_run();
        assert_eq!(s.summary().unwrap(), r.summary(&cat));
    }

    #[test]
    fn push_pages_filter_sort_and_page() {
        let mut s = fixture_session();
        run_all(&mut s, 1000);
        let q = |f: &dyn Fn(&mut PushQuery)| {
            let mut q = PushQuery::default();
            f(&mut q);
            q
        };
        // small_enterprise_grant: 甲, 丁, 己 qualify (file order); 丙 lacks one field, 戊 two.
        let p = s.push_page(0, &PushQuery::default()).unwrap();
        assert_eq!((p.total, p.qualifies, p.undecided), (5, 3, 2));
        assert_eq!(keys(&p), ["甲科技有限公司", "丁\"贸易\"", "己公司", "丙软件", "戊 生物\n（孵化中）"]);
        assert_eq!(p.rows[3].missing, ["revenue_2025_cny"]);
        assert_eq!(p.rows[3].undecided, ["C1"]);
        assert_eq!(p.rows[3].problems, 2, "丙's row has two bad cells");
        assert_eq!(p.rows[0].benefit.as_deref(), Some("45000"));
        // Filters: name contains, verdict, row number.
        let p = s.push_page(0, &q(&|q| q.filter = "公司".into())).unwrap();
        assert_eq!(keys(&p), ["甲科技有限公司", "己公司"]);
        // As staff type it: spaces, line breaks and the width of brackets aside.
        let p = s.push_page(0, &q(&|q| q.filter = "戊生物(孵化中)".into())).unwrap();
        assert_eq!(keys(&p), ["戊 生物\n（孵化中）"]);
        let p = s.push_page(0, &q(&|q| q.verdict = "undecided".into())).unwrap();
        assert_eq!((p.total, p.qualifies, keys(&p)), (2, 0, vec!["丙软件", "戊 生物\n（孵化中）"]));
        let p = s.push_page(0, &q(&|q| q.filter = "9".into())).unwrap();
        assert_eq!(keys(&p), ["戊 生物\n（孵化中）"], "line 9");
        // Sorts: benefit (largest first, unknown last), reversed line order, fewest missing.
        // The grant is ¥1,000 per employee: 己 80, 甲 45, 丙 30 (undecided: if it qualifies), 丁 12; 戊's is unknown.
        let p = s.push_page(0, &q(&|q| q.sort = "benefit".into())).unwrap();
        assert_eq!(keys(&p), ["己公司", "甲科技有限公司", "丙软件", "丁\"贸易\"", "戊 生物\n（孵化中）"]);
        let p = s
            .push_page(
                0,
                &q(&|q| {
                    q.sort = "line".into();
                    q.desc = true;
                }),
            )
            .unwrap();
        assert_eq!(keys(&p), ["己公司", "戊 生物\n（孵化中）", "丁\"贸易\"", "丙软件", "甲科技有限公司"]);
        // Paging.
        let p = s
            .push_page(
                0,
                &q(&|q| {
                    q.offset = 3;
                    q.limit = 1;
                }),
            )
            .unwrap();
        assert_eq!((p.total, p.offset, keys(&p)), (5, 3, vec!["丙软件"]));
        assert!(s.push_page(99, &PushQuery::default()).is_err());
    }

    /// 按企业查看: a caller's name as they say it, a credit code, the row typed
    /// first; counts sorted most first, ties in source order either way.
    #[test]
    fn enterprises_found_as_callers_say_them_and_sorted_by_counts() {
        use policy_match::batch::session::{EnterprisePage, EnterpriseQuery};
        let cat = GRANTS;
        let mut s = Session::new(&[cat], as_of()).unwrap();
        let mut csv = String::from("企业名称,统一社会信用代码,职工人数,营业收入（万元）\n");
        csv += "杭州甲科技（集团）有限公司,91330106MA2H000001,12,320\n"; // line 2: both
        csv += "丁新材料科技有限责任公司,91330106MA2H000002,40,\n"; // line 3: staff; small undecided
        csv += "丙公司,91330106MA2H000003,5,900\n"; // line 4: none
        csv += "乙公司12,91330106MA2H000004,20,100\n"; // line 5: both
        for i in 6..=12 {
            csv += &format!("企业{i:02}号,91330106MA2H0000{i:02},5,900\n"); // lines 6–12: none
        }
        s.import(csv.as_bytes(), None).unwrap();
        s.set_mapping(&s.auto_map().unwrap().to_json()).unwrap();
        run_all(&mut s, 1000);
        let page = |f: &dyn Fn(&mut EnterpriseQuery)| {
            let mut q = EnterpriseQuery::default();
            f(&mut q);
            s.enterprises_page(&q).unwrap()
        };
        let lines = |p: &EnterprisePage| p.rows.iter().map(|r| r.line).collect::<Vec<_>>();
        // Names as callers say them: without （集团）, 有限公司 for 有限责任公司, spaces.
        assert_eq!(lines(&page(&|q| q.filter = "杭州甲科技有限公司".into())), [2]);
        assert_eq!(lines(&page(&|q| q.filter = "丁新材料科技有限公司".into())), [3]);
        assert_eq!(lines(&page(&|q| q.filter = "丁 新材料".into())), [3]);
        // Broad words are no loose match: `科技集团` is not every 科技 company; `有限公司` is what it says (not 有限责任公司).
        assert_eq!(page(&|q| q.filter = "科技集团".into()).total, 0);
        assert_eq!(lines(&page(&|q| q.filter = "有限公司".into())), [2]);
        // Part of a credit code from 6 characters; `00004` is neither a row (leading 0) nor searched in codes.
        assert_eq!(lines(&page(&|q| q.filter = "000004".into())), [5]);
        assert_eq!(page(&|q| q.filter = "00004".into()).total, 0);
        // The row typed first, then names containing it.
        assert_eq!(lines(&page(&|q| q.filter = "12".into())), [12, 5]);
        // Most policies first, ties in source order; reversed: fewest first, ties still in source order.
        let most = page(&|q| q.sort = "qualifies".into());
        assert_eq!(lines(&most), [2, 5, 3, 4, 6, 7, 8, 9, 10, 11, 12]);
        assert_eq!((&most.rows[0].qualifies, &most.rows[2].undecided), (&vec![0, 1], &vec![0]));
        let fewest = page(&|q| {
            q.sort = "qualifies".into();
            q.desc = true;
        });
        assert_eq!(lines(&fewest), [4, 6, 7, 8, 9, 10, 11, 12, 3, 2, 5]);
        // The estimated total of what each qualifies for, as the self-check adds it up: 甲's
        // 12,000 and 5,000 do not stack (the higher); 丁's 5,000 only (the grant is undecided).
        let by_total = page(&|q| q.sort = "benefit".into());
        let totals: Vec<(u32, Option<&str>)> = by_total.rows.iter().take(4).map(|r| (r.line, r.benefit.as_deref())).collect();
        assert_eq!(totals, [(5, Some("20000")), (2, Some("12000")), (3, Some("5000")), (4, None)]);
        let smallest = page(&|q| {
            q.sort = "benefit".into();
            q.desc = true;
        });
        assert_eq!(lines(&smallest)[..4], [3, 2, 5, 4], "none still last");
        // Paging.
        let p = page(&|q| {
            q.offset = 10;
            q.limit = 5;
        });
        assert_eq!((p.total, p.offset, lines(&p)), (11, 10, vec![12]));
    }

    /// The summary counts problems by column, most first, so that staff see
    /// which column of the source to correct; the problems page shows one
    /// column's problems (`""`: those of a whole row).
    #[test]
    fn problems_by_column() {
        let text = std::fs::read_to_string(fixture("catalogue.json")).unwrap();
        let mut s = Session::new(&[text.as_str()], as_of()).unwrap();
        let csv =
            "企业名称,成立日期,营业收入（万元）\n甲,2020-01-01,很多\n乙,2019-02-30,320\n丙,2020-01-01,约300\n丁,2020-01-01,100,多余\n戊,2020-01-01,不详\n";
        s.import(csv.as_bytes(), None).unwrap();
        s.set_mapping(&s.auto_map().unwrap().to_json()).unwrap();
        run_all(&mut s, 10);
        let by: Vec<(String, usize)> = s.summary().unwrap().issue_columns.into_iter().map(|c| (c.column, c.count)).collect();
        assert_eq!(by, [("营业收入（万元）".to_string(), 3), ("成立日期".to_string(), 1), (String::new(), 1)]);
        let page = s.issues_page(1, 10, Some("营业收入（万元）")).unwrap();
        assert_eq!((page.total, page.offset), (3, 1));
        assert_eq!(page.rows.iter().map(|r| (r.row, r.raw.as_str())).collect::<Vec<_>>(), [(4, "约300"), (6, "不详")]);
        let whole = s.issues_page(0, 10, Some("")).unwrap();
        assert_eq!((whole.total, whole.rows[0].row, whole.rows[0].kind), (1, 5, "row-shape"));
        assert_eq!(s.issues_page(0, 10, None).unwrap().total, 5);
    }

    #[test]
    fn issues_page_enterprise_report_and_exports() {
        let mut s = fixture_session();
        run_all(&mut s, 2);
        let i = s.issues_page(1, 1, None).unwrap();
        assert_eq!((i.total, i.rows.len(), i.rows[0].row, i.rows[0].raw.as_str()), (3, 1, 6, "2019-02-30"));

        // 丙软件 (data row 2, line 6): its two bad cells, the rest read.
        let e = s.enterprise(2).unwrap();
        assert_eq!((e["line"].as_u64(), e["key"].as_str()), (Some(6), Some("丙软件")));
        assert_eq!(e["issues"].as_array().unwrap().len(), 2);
        assert!(e["values"].get("revenue_2025_cny").is_none(), "a bad cell is not provided");
        assert_eq!(e["values"]["employees_2025"].as_u64(), Some(30));
        let results = e["report"]["results"].as_array().unwrap();
        assert_eq!(results.len(), 4);
        assert_eq!((results[0]["verdict"].as_str(), results[0]["missing_fields"][0].as_str()), (Some("undecided"), Some("revenue_2025_cny")));
        assert_eq!(results[1]["verdict"].as_str(), Some("qualifies"));
        assert_eq!(e["explanations"].as_array().unwrap().len(), 4);
        assert!(s.enterprise(6).is_err());

        let f = s.export(ExportKind::PushCsv, Some(0), None, "zh").unwrap();
        let text = String::from_utf8(f.bytes).unwrap();
        assert!(text.starts_with('\u{feff}'));
        let mut rdr = csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        assert_eq!(rdr.records().count(), 5);
        assert_eq!(f.name, "push-01-small_enterprise_grant.csv");
        let x = s.export(ExportKind::AllXlsx, None, None, "en").unwrap();
        assert!(x.bytes.starts_with(b"PK\x03\x04"));
        let back = batch::import(&x.bytes, &ImportOptions { format: None, sheet: Some(export::push_sheet_name(s.catalogue(), 0, Lang::En)) }).unwrap();
        assert_eq!(back.len(), 5);
        assert!(matches!(s.export(ExportKind::PushXlsx, None, None, "zh"), Err(BatchError::Export(_))));
    }

    #[test]
    fn steps_out_of_order_are_errors_and_cancel_discards_the_run() {
        let text = std::fs::read_to_string(fixture("catalogue.json")).unwrap();
        let mut s = Session::new(&[text.as_str()], as_of()).unwrap();
        assert!(matches!(s.auto_map(), Err(BatchError::Limit(_))));
        assert!(s.start_run().is_err());
        s.import(&std::fs::read(fixture("enterprises.csv")).unwrap(), None).unwrap();
        assert!(s.step(10).is_err(), "no run started");
        s.set_mapping(&s.auto_map().unwrap().to_json()).unwrap();
        s.start_run().unwrap();
        let p = s.step(2).unwrap();
        assert_eq!((p.rows, p.total, p.done), (2, 6, false));
        s.cancel();
        assert!(s.step(2).is_err());
        assert!(s.summary().is_err());
        assert!(matches!(s.set_mapping("{\"format\": \"x\", \"columns\": []}"), Err(BatchError::Mapping(_))));
        assert!(Session::new(&["{"], as_of()).is_err());
    }
}

/// A zone's list gives the registered address (`注册地址`), not a city:
/// compared as a whole string, `浙江省杭州市滨江区…` was not 杭州市 and a
/// Hangzhou enterprise was listed as not qualifying for 杭州"新雏鹰", with no
/// problem reported. The column maps to `registration_city` (a
/// `"format": "city"` field) and rules read the city the address names.
#[test]
fn a_registered_address_counts_as_its_city() {
    let list = "企业名称,注册地址,企业类型\n\
                甲,浙江省杭州市滨江区网商路599号,company\n\
                乙,杭州市余杭区文一西路,company\n\
                丙,浙江省宁波市杭州湾新区滨海二路,company\n";
    let (ok, err) = batch_national("city-address", "list.csv", list.as_bytes());
    assert!(ok && err.contains("注册地址 → registration_city"), "{err}");
    let matrix = std::fs::read_to_string(root().join("target/batch-tests/city-address/out/matrix.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(matrix.trim_start_matches('\u{feff}').as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let col = headers.iter().position(|h| h.contains("新雏鹰")).unwrap();
    let verdicts: Vec<(String, String)> = rdr.records().map(|r| r.unwrap()).map(|r| (r[1].to_string(), r[col].to_string())).collect();
    assert_eq!(
        verdicts,
        [("甲".into(), "待确认".into()), ("乙".into(), "待确认".into()), ("丙".into(), "不符合".into())],
        "Hangzhou addresses are undecided on the other criteria; the Ningbo one fails C1"
    );
}

/// A value out of a field's range is reported with the range and what the
/// cell was read as, in words first: a problems list cell starting with
/// `-15000` got the spreadsheet formula guard (`'-15000 小于最小值 0`).
#[test]
fn a_value_out_of_range_is_reported_in_words_without_the_formula_guard() {
    let cat = catalogues(&[NATIONAL]);
    let t = csv_table("企业名称,2025年研发费用（万元）,2025年职工总数\n甲,(1.5),20\n乙,100,2000000\n");
    let result = run_batch(&cat, &t, &batch::auto_map(&cat, &t.headers));
    let mut out = Vec::new();
    export::issues_csv(&result, &ExportOptions { lang: Lang::Zh, bom: false }, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains(",(1.5),最小值是 0，这里是 -15000\n"), "{text}");
    assert!(!text.contains('\''), "{text}");
    let mut out = Vec::new();
    export::issues_csv(&result, &ExportOptions { lang: Lang::En, bom: false }, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains(",(1.5),the minimum is 0; this is -15000\n"), "{text}");
}

/// The tool's own figures are numbers in its XLSX files (amounts add up,
/// row numbers sort as numbers), as batch.md says: the push list's amount
/// and row, the matrix's row and problem count, the summary's counts and
/// the problems list's row. Text cells stay text.
#[test]
fn xlsx_exports_write_their_figures_as_numbers() {
    use calamine::{Data, Reader};
    let (cat, t, r) = fixture_run();
    let pi = (0..cat.policies.len())
        .find(|&p| r.push_rows(p).iter().any(|&row| r.detail(row, p).and_then(|d| d.benefit).is_some()))
        .expect("a policy with an amount");
    let x = export::push_list_xlsx(&cat, &t, &r, pi, &ExportOptions::default()).unwrap();
    let sheet = |bytes: &[u8], name: Option<&str>| {
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let name = name.map_or_else(|| book.sheet_names()[0].clone(), str::to_string);
        book.worksheet_range(&name).unwrap()
    };
    let push = sheet(&x, None);
    let head: Vec<String> = push.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let at = |h: &str| head.iter().position(|x| x == h).unwrap_or_else(|| panic!("{h} in {head:?}"));
    let (amount, row, verdict) = (at("预计金额（元）"), at("行号"), at("结论"));
    let data: Vec<&[Data]> = push.rows().skip(1).collect();
    assert!(data.iter().any(|r| matches!(r[amount], Data::Float(_))), "{data:?}");
    assert!(data.iter().all(|r| matches!(r[amount], Data::Float(_) | Data::Empty) && matches!(r[row], Data::Float(_))), "{data:?}");
    assert!(data.iter().all(|r| matches!(r[verdict], Data::String(_))));
    let book = export::results_xlsx(&cat, &t, &r, &ExportOptions::default(), false).unwrap();
    let names = calamine::Xlsx::new(std::io::Cursor::new(book.clone())).unwrap().sheet_names();
    let summary = sheet(&book, Some(&names[0]));
    let counts: Vec<&Data> = summary.rows().skip(1).take(5).map(|r| &r[1]).collect();
    assert!(counts.iter().all(|c| matches!(c, Data::Float(_))), "{counts:?}");
    let policy_row = summary.rows().find(|r| r[0].to_string() == cat.policies[0].id).unwrap();
    assert!(policy_row[3..6].iter().all(|c| matches!(c, Data::Float(_))), "{policy_row:?}");
    for name in &names[1..] {
        let s = sheet(&book, Some(name));
        let first = s.rows().nth(1).map(|r| r[0].clone());
        assert!(matches!(first, Some(Data::Float(_)) | None), "{name}: {first:?}");
    }
}

/// A zone's list of its own companies does not say that each is a company
/// or registered in the zone: the mapping's `defaults` give a value for
/// every enterprise whose cell is blank or whose file has no column for it,
/// read as a cell would be (an option's label). A filled cell wins; a bad
/// cell is reported and stays not provided; a default naming no field or
/// with a bad value is a mapping error. From the CLI: `--set`.
#[test]
fn mapping_defaults_fill_what_a_zone_list_leaves_out() {
    use policy_match::batch::validate::RowReader;
    use policy_match::matching::Profile;
    use policy_match::rules::Value;
    let cat = catalogues(&[NATIONAL]);
    let t = csv_table("企业名称,主体类型,2025年职工总数\n甲,,50\n乙,个体工商户,8\n丙,公司吧,20\n");
    let mut m = batch::auto_map(&cat, &t.headers);
    let read = |m: &Mapping| {
        let resolved = m.resolve(&cat, &t).unwrap();
        let reader = RowReader::new(&cat, &t, &resolved);
        (0..t.len())
            .map(|row| {
                let (mut p, mut issues) = (Profile::empty(&cat), Vec::new());
                reader.read(row, &mut p, &mut issues);
                (p.get(&cat, "entity_type").cloned(), p.get(&cat, "is_resident_enterprise").cloned(), issues.len())
            })
            .collect::<Vec<_>>()
    };
    let before = read(&m);
    assert_eq!(before[0].0, Some(Value::Missing));
    m.defaults.insert("entity_type".into(), "企业（公司）".into());
    m.defaults.insert("is_resident_enterprise".into(), "是".into());
    let company = Some(Value::Str("company".into()));
    assert_eq!(
        read(&m),
        [
            (company.clone(), Some(Value::Bool(true)), 0),                                // blank cell, no column: the defaults
            (Some(Value::Str("individual_business".into())), Some(Value::Bool(true)), 0), // a filled cell wins
            (Some(Value::Missing), Some(Value::Bool(true)), 1),                           // a bad cell: reported, not replaced
        ]
    );
    // The results follow: 主体类型 is no longer among what to ask 甲 for.
    let slot = cat.field_slot("entity_type").unwrap();
    let asks = |m: &Mapping| {
        let r = run_batch(&cat, &t, m);
        (0..cat.policies.len()).filter(|&p| r.detail(0, p).is_some_and(|d| d.missing.contains(&slot))).count()
    };
    assert!(asks(&batch::auto_map(&cat, &t.headers)) > 0);
    assert_eq!(asks(&m), 0);
    // Saved and read back with the mapping.
    assert_eq!(Mapping::from_json(&m.to_json()).unwrap().defaults, m.defaults);
    // Mistakes are mapping errors.
    let mut bad = m.clone();
    bad.defaults.insert("entity_typ".into(), "企业（公司）".into());
    bad.defaults.insert("employees_total_2025".into(), "很多".into());
    let Err(BatchError::Mapping(errors)) = bad.resolve(&cat, &t) else { panic!("accepted") };
    assert!(errors.iter().any(|e| e.starts_with("defaults: the catalogue has no field `entity_typ` (did you mean `entity_type`?)")), "{errors:?}");
    assert!(errors.iter().any(|e| e.starts_with("defaults: `employees_total_2025`: ")), "{errors:?}");
    // The CLI's --set.
    let dir = tmp_dir("cli-set");
    std::fs::write(dir.join("list.csv"), "企业名称,2025年职工总数\n甲,50\n").unwrap();
    let out = bin()
        .args(["batch", "--catalogue"])
        .arg(root().join(NATIONAL))
        .arg("--enterprises")
        .arg(dir.join("list.csv"))
        .args(["--set", "entity_type=企业（公司）", "--write-mapping"])
        .arg(dir.join("m.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("统一填写：entity_type = 企业（公司）"));
    let saved = Mapping::from_json(&std::fs::read_to_string(dir.join("m.json")).unwrap()).unwrap();
    assert_eq!(saved.defaults.get("entity_type").map(String::as_str), Some("企业（公司）"));
    let out = bin()
        .args(["batch", "--catalogue"])
        .arg(root().join(NATIONAL))
        .arg("--enterprises")
        .arg(dir.join("list.csv"))
        .args(["--set", "oops"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Headers zone lists use for these fields are recognised (seen in a zone
/// staff member's three lists): 企业类型, 员工数, 研发投入（万元）,
/// 是否科技型中小企业, 所在地, 是否在本区注册.
#[test]
fn common_zone_headers_are_recognised() {
    let cat = catalogues(&[NATIONAL, "www/catalogues/example-zone.json"]);
    let headers: Vec<String> = ["企业类型", "员工数", "研发投入（万元）", "是否科技型中小企业", "所在地", "是否在本区注册"].map(String::from).to_vec();
    let m = batch::auto_map(&cat, &headers);
    let fields: Vec<Option<&str>> = m.columns.iter().map(|c| c.field.as_deref()).collect();
    assert_eq!(
        fields,
        [
            Some("entity_type"),
            Some("employees_total_2025"),
            Some("rd_expense_2025_cny"),
            Some("holds_tech_or_innovative_sme_title"),
            Some("registration_city"),
            Some("registered_in_zone")
        ]
    );
    assert_eq!(m.columns[2].unit, Some(CellUnit::WanYuan));
}
