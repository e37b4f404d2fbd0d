//! Hostile input at every boundary the batch import, the profile readers
//! and the CLI have: bytes mutated at random, files built to sit right at
//! (and one past) each bound, and inputs whose size makes naive work
//! quadratic. Every case: no panic, the rows that are fine still come out,
//! the bad ones are reported with their row.
#![cfg(feature = "batch")]

use policy_match::batch::{self, BatchError, BatchOptions, ImportOptions, Table};
use policy_match::catalogue::Catalogue;
use proptest::prelude::*;

use crate::util::root;

fn catalogue() -> &'static Catalogue {
    use std::sync::OnceLock;
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| {
        let text = std::fs::read_to_string(root().join("tests/fixtures/batch/catalogue.json")).unwrap();
        Catalogue::from_json("catalogue.json", &text).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// Import, map automatically and match: the whole pipeline a file goes through.
fn pipeline(bytes: &[u8]) -> Result<(Table, batch::BatchResult), BatchError> {
    let cat = catalogue();
    let t = batch::import(bytes, &ImportOptions::default())?;
    let mapping = batch::auto_map(cat, &t.headers);
    let resolved = mapping.resolve(cat, &t)?;
    let r = batch::run(cat, &t, &resolved, &BatchOptions::new("2026-07-01".parse().unwrap()));
    Ok((t, r))
}

const HEADER: &str = "企业名称,2025年营业收入（万元）,2025年职工总数,成立日期,企业规模,是否高新技术企业,2025年研发费用占比,行政处罚日期";

/// A clean list of `n` enterprises.
fn clean_csv(n: usize) -> String {
    let mut s = format!("{HEADER}\n");
    for i in 0..n {
        s.push_str(&format!("企业{i}号,{},{},2019-03-{:02},小型,是,{}.5,\n", 100 + i, 10 + i, 1 + i % 28, i % 9));
    }
    s
}

/// Every row of a table read as a profile (under the automatic mapping).
fn profiles(t: &Table) -> Vec<policy_match::matching::Profile> {
    let cat = catalogue();
    let resolved = batch::auto_map(cat, &t.headers).resolve(cat, t).unwrap();
    let reader = batch::validate::RowReader::new(cat, t, &resolved);
    let mut issues = Vec::new();
    (0..t.len())
        .map(|r| {
            let mut p = policy_match::matching::Profile::empty(cat);
            reader.read(r, &mut p, &mut issues);
            p
        })
        .collect()
}

/// The enterprise names a result holds, in row order.
fn names(t: &Table) -> Vec<String> {
    (0..t.len()).map(|r| t.cell(r, 0).to_string()).collect()
}

// ------------------------------------------------------------ CSV bytes

/// One mutation of a file's bytes.
#[derive(Clone, Debug)]
enum Mutation {
    /// Cut the file at a fraction of its length.
    Cut(f64),
    /// Insert bytes at a fraction of its length.
    Insert(f64, Vec<u8>),
    /// Overwrite one byte.
    Flip(f64, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let special = prop_oneof![
        Just(b"\0".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\xFF\xFE".to_vec()),
        Just(b"\x80".to_vec()),
        Just(b"\xC3".to_vec()),
        Just(b"\xE4\xBD".to_vec()),
        Just("\u{feff}".as_bytes().to_vec()),
        Just(b"=\"".to_vec()),
        Just(b",,,,,,,,,,,,,,,,,,,,".to_vec()),
        Just(b"\n\n\n".to_vec()),
        Just("合计".as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 0..16),
    ];
    prop_oneof![
        (0.0..1.0f64).prop_map(Mutation::Cut),
        (0.0..1.0f64, special).prop_map(|(at, b)| Mutation::Insert(at, b)),
        (0.0..1.0f64, any::<u8>()).prop_map(|(at, b)| Mutation::Flip(at, b)),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let at = |f: f64, len: usize| ((f * len as f64) as usize).min(len);
    match m {
        Mutation::Cut(f) => bytes.truncate(at(*f, bytes.len())),
        Mutation::Insert(f, b) => {
            let i = at(*f, bytes.len());
            bytes.splice(i..i, b.iter().copied());
        }
        Mutation::Flip(f, b) => {
            if !bytes.is_empty() {
                let i = at(*f, bytes.len() - 1);
                bytes[i] = *b;
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// A CSV file (UTF-8, GBK or UTF-16) mutated at random: the pipeline
    /// never panics; it reads the file or refuses it with an error.
    #[test]
    fn mutated_csv_never_panics(encoding in 0..3u8, mutations in proptest::collection::vec(mutation(), 1..6)) {
        let text = clean_csv(12);
        let mut bytes = match encoding {
            0 => text.into_bytes(),
            1 => encoding_rs::GBK.encode(&text).0.into_owned(),
            _ => {
                let mut b = vec![0xFF, 0xFE];
                b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                b
            }
        };
        for m in &mutations {
            apply(&mut bytes, m);
        }
        let _ = pipeline(&bytes);
    }

    /// One data row replaced by garbage (any text without a quote or a line
    /// break): every other row still comes out, with its own values.
    #[test]
    fn one_bad_row_leaves_the_others(row in 0..12usize, garbage in "[^\"\r\n]{0,200}") {
        let text = clean_csv(12);
        let mut lines: Vec<&str> = text.lines().collect();
        lines[row + 1] = &garbage;
        let bytes = lines.join("\n");
        let (t, _) = pipeline(bytes.as_bytes()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let got = names(&t);
        for i in (0..12).filter(|&i| i != row) {
            prop_assert!(got.contains(&format!("企业{i}号")), "row of 企业{}号 lost: {:?}", i, got);
        }
    }
}

// ------------------------------------------------------------ XLSX bytes

/// A workbook as rust_xlsxwriter writes it: the header, `n` enterprises, a
/// date column with a date format, a merged cell and a formula.
fn clean_xlsx(n: usize) -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("企业名单").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in HEADER.split(',').enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for i in 0..n as u32 {
        ws.write_string(i + 1, 0, format!("企业{i}号")).unwrap();
        ws.write_number(i + 1, 1, 100.0 + f64::from(i)).unwrap();
        ws.write_number(i + 1, 2, 10.0 + f64::from(i)).unwrap();
        ws.write_number_with_format(i + 1, 3, 43_500.0 + f64::from(i), &date).unwrap();
        ws.write_string(i + 1, 4, "小型").unwrap();
        ws.write_string(i + 1, 5, "是").unwrap();
        ws.write_formula(i + 1, 6, "=1+2").unwrap();
    }
    wb.save_to_buffer().unwrap()
}

/// The files of a zip archive: (name, bytes).
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut out = Vec::new();
            f.read_to_end(&mut out).unwrap();
            (f.name().unwrap().into_owned(), out)
        })
        .collect()
}

/// A zip archive of `files`, each stored (not compressed), or deflated.
fn rezip(files: &[(String, Vec<u8>)], deflate: bool) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let method = if deflate { zip::CompressionMethod::Deflated } else { zip::CompressionMethod::Stored };
    let opts = zip::write::SimpleFileOptions::default().compression_method(method).large_file(false);
    for (name, data) in files {
        zip.start_file(name.as_str(), opts).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A copy of `bytes` with the workbook part `part` replaced by `f` of its text.
fn with_part(bytes: &[u8], part: &str, f: impl Fn(&str) -> String) -> Vec<u8> {
    let mut files = unzip(bytes);
    let mut found = false;
    for (name, data) in files.iter_mut() {
        if name == part {
            *data = f(&String::from_utf8_lossy(data)).into_bytes();
            found = true;
        }
    }
    assert!(found, "no part {part}");
    rezip(&files, false)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// The zip's bytes flipped, cut or with bytes inserted (deflated as
    /// rust_xlsxwriter writes it, and stored, so that the mutation lands in
    /// the XML): never a panic.
    #[test]
    fn mutated_xlsx_zip_never_panics(stored in any::<bool>(), mutations in proptest::collection::vec(mutation(), 1..4)) {
        let mut bytes = clean_xlsx(8);
        if stored {
            bytes = rezip(&unzip(&bytes), false);
        }
        for m in &mutations {
            apply(&mut bytes, m);
        }
        let _ = pipeline(&bytes);
        let _ = batch::import(&bytes, &ImportOptions { format: Some(batch::SourceFormat::Xlsx), sheet: Some("x".into()) });
    }

    /// One part of the workbook (its XML) mutated, inside a zip that is
    /// itself valid: never a panic.
    #[test]
    fn mutated_xlsx_parts_never_panic(part in 0..6usize, mutations in proptest::collection::vec(mutation(), 1..6)) {
        let files = unzip(&clean_xlsx(8));
        let names = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"];
        let files: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|(n, mut d)| {
                if n == names[part] {
                    for m in &mutations {
                        apply(&mut d, m);
                    }
                }
                (n, d)
            })
            .collect();
        let _ = pipeline(&rezip(&files, false));
    }
}

/// Patch every size field of a zip's headers that says `from` to say `to`
/// (local headers and the central directory): an archive that lies about
/// how much its files expand to.
fn lie_about_sizes(bytes: &mut [u8], from: u32, to: u32) {
    let mut i = 0;
    while i + 30 <= bytes.len() {
        let field = match &bytes[i..i + 4] {
            b"PK\x03\x04" => Some(i + 22),
            b"PK\x01\x02" => Some(i + 24),
            _ => None,
        };
        if let Some(f) = field {
            if bytes[f..f + 4] == from.to_le_bytes() {
                bytes[f..f + 4].copy_from_slice(&to.to_le_bytes());
            }
        }
        i += 1;
    }
}

/// A sheet part of `rows` rows of `cell` repeated over 50 columns, deflated.
fn sheet_xml(rows: usize, cell: &str) -> String {
    let mut s =
        String::from(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#);
    for r in 1..=rows {
        s.push_str(&format!("<row r=\"{r}\">"));
        for c in 0..50 {
            s.push_str(&format!("<c r=\"{}{r}\" t=\"inlineStr\"><is><t>{cell}</t></is></c>", batch::column_letter(c)));
        }
        s.push_str("</row>");
    }
    s.push_str("</sheetData></worksheet>");
    s
}

/// A zip bomb: a sheet whose XML inflates far past what its headers
/// declare. The declared sizes pass the check, so the bound must hold
/// while reading: refused with an error, not read until memory runs out.
#[test]
fn a_zip_bomb_that_lies_about_its_size_is_refused() {
    let mut files = unzip(&clean_xlsx(2));
    let sheet = sheet_xml(20_000, "x");
    let real = sheet.len() as u32;
    for (name, data) in files.iter_mut() {
        if name == "xl/worksheets/sheet1.xml" {
            *data = sheet.clone().into_bytes();
        }
    }
    let mut bytes = rezip(&files, true);
    assert!(bytes.len() < real as usize / 10, "compressed {} of {real}", bytes.len());
    // Declared: 1 KB instead of the real size.
    lie_about_sizes(&mut bytes, real, 1000);
    let r = batch::import(&bytes, &ImportOptions::default());
    match r {
        Err(e) => assert_eq!(e.kind(), "xlsx", "{e}"),
        Ok(t) => panic!("read {} rows of a sheet that lies about its size", t.len()),
    }
}

/// The declared uncompressed size right at the bound is read; one byte
/// past it is refused before anything is parsed.
#[test]
fn the_uncompressed_size_bound_is_exact() {
    let bytes = clean_xlsx(2);
    let files = unzip(&bytes);
    let total: u64 = files.iter().map(|(_, d)| d.len() as u64).sum();
    let sheet = files.iter().find(|(n, _)| n == "xl/worksheets/sheet1.xml").unwrap().1.len() as u64;
    let at = |extra: u64| {
        let mut b = rezip(&files, false);
        // Stored: the declared size is the real one; make the sheet's claim larger.
        let claim = u32::try_from(batch::MAX_XLSX_UNCOMPRESSED_BYTES - (total - sheet) + extra).unwrap();
        lie_about_sizes(&mut b, sheet as u32, claim);
        batch::import(&b, &ImportOptions::default())
    };
    match at(1) {
        Err(e) => assert!(e.to_string().contains("expands to"), "{e}"),
        Ok(_) => panic!("one byte past the bound was read"),
    }
    // At the bound the check passes (what the archive then holds decides the rest).
    if let Err(e) = at(0) {
        assert!(!e.to_string().contains("expands to"), "{e}");
    }
}

/// A shared-string cell whose index is past the end of the shared strings.
#[test]
fn a_shared_string_index_out_of_range() {
    let bytes = with_part(&clean_xlsx(3), "xl/worksheets/sheet1.xml", |x| {
        // The second row's name: a shared string that does not exist.
        let i = x.find("<row r=\"2\"").unwrap();
        let j = i + x[i..].find("<v>").unwrap();
        let k = j + x[j..].find("</v>").unwrap();
        format!("{}<v>99999</v>{}", &x[..j], &x[k + 4..])
    });
    match pipeline(&bytes) {
        Ok((t, _)) => {
            let got = names(&t);
            assert!(got.contains(&"企业1号".to_string()) && got.contains(&"企业2号".to_string()), "{got:?}");
        }
        Err(e) => assert_eq!(e.kind(), "xlsx", "{e}"),
    }
}

/// A sheet that claims the whole grid as its dimension: the rows it really
/// has are read, quickly.
#[test]
fn a_dimension_of_the_whole_grid() {
    let bytes = with_part(&clean_xlsx(5), "xl/worksheets/sheet1.xml", |x| {
        let i = x.find("<dimension ref=\"").unwrap() + "<dimension ref=\"".len();
        let j = i + x[i..].find('"').unwrap();
        format!("{}A1:XFD1048576{}", &x[..i], &x[j..])
    });
    let (t, _) = pipeline(&bytes).unwrap();
    assert_eq!(t.len(), 5);
}

/// A merged region over the whole grid, and the same region many times
/// over: filled in over the rows and columns that exist, in time linear in
/// the table.
#[test]
fn merged_regions_over_the_whole_grid() {
    for n in [1usize, 200] {
        let bytes = with_part(&clean_xlsx(2_000), "xl/worksheets/sheet1.xml", |x| {
            let merges = "<mergeCell ref=\"E2:XFD1048576\"/>".repeat(n);
            x.replace("</sheetData>", &format!("</sheetData><mergeCells count=\"{n}\">{merges}</mergeCells>"))
        });
        let (t, _) = pipeline(&bytes).unwrap();
        assert_eq!(t.len(), 2_000);
        assert_eq!(t.cell(1_999, 0), "企业1999号");
        // The first region fills the 企业规模 column down (its top-left says 小型) …
        assert_eq!(t.cell(1_999, 4), "小型");
        // … and the copies of it overlap, which is noted.
        assert_eq!(n > 1, t.notes.iter().any(|m| m.contains("overlap")), "{:?}", t.notes);
    }
}

/// Dates stored as 1e308, -1e308 or NaN-like huge numbers in a date
/// column: reported as impossible dates (never a made-up day read
/// silently), and the other cells of the row still count.
#[test]
fn dates_as_huge_numbers_are_reported() {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in HEADER.split(',').enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (i, v) in [1e308, -1e308, 1e15, 2_958_466.0, 0.0].iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, format!("企业{i}号")).unwrap();
        ws.write_number(r, 2, 12.0).unwrap();
        ws.write_number_with_format(r, 3, *v, &date).unwrap();
    }
    let (t, result) = pipeline(&wb.save_to_buffer().unwrap()).unwrap();
    assert_eq!(t.len(), 5);
    let issues: Vec<(u32, &str)> = result.issues.iter().filter(|i| i.field.as_deref() == Some("registration_date")).map(|i| (i.row, i.raw.as_str())).collect();
    for row in 2..=6 {
        assert!(
            issues.iter().any(|(r, _)| *r == row),
            "row {row}: no issue for its date; issues {issues:?}; cells {:?}",
            (0..5).map(|r| t.cell(r, 3)).collect::<Vec<_>>()
        );
    }
    // The staff count of each row is still read.
    let cat = catalogue();
    let slot = cat.field_slot("employees_2025").unwrap() as usize;
    assert!(profiles(&t).iter().all(|p| p.values[slot].is_provided()));
}

/// A sheet of formulas only (as a tool that does not calculate writes
/// them): every formula cell is reported, none is read as 0.
#[test]
fn a_sheet_of_formulas_only() {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in HEADER.split(',').enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for r in 1..=20u32 {
        ws.write_string(r, 0, format!("企业{r}号")).unwrap();
        for c in 1..8u16 {
            ws.write_formula(r, c, "=ROW()*2").unwrap();
        }
    }
    let (t, _) = pipeline(&wb.save_to_buffer().unwrap()).unwrap();
    assert_eq!(t.len(), 20);
    let cat = catalogue();
    let slot = cat.field_slot("revenue_2025_cny").unwrap() as usize;
    assert!(profiles(&t).iter().all(|p| !p.values[slot].is_provided()));
    assert!(t.row_problems.iter().filter(|p| p.kind == "formula-without-value").count() >= 20 * 7, "{}", t.row_problems.len());
}

// ------------------------------------------------------------ CSV bounds and sizes

/// A header of `n` columns (distinct names), and one row.
fn wide_csv(n: usize, group_labels: bool) -> String {
    let mut s = String::new();
    if group_labels {
        // Labels over pairs of columns, then the header proper: the shape of a two-row header.
        s.push_str(&(0..n).map(|c| if c % 2 == 0 { format!("组{c}") } else { String::new() }).collect::<Vec<_>>().join(","));
        s.push('\n');
    }
    s.push_str(&(0..n).map(|c| format!("列{c}")).collect::<Vec<_>>().join(","));
    s.push('\n');
    s.push_str(&(0..n).map(|c| c.to_string()).collect::<Vec<_>>().join(","));
    s.push('\n');
    s
}

/// Columns: right at the bound the file is read, one past it refused with
/// an error naming the bound; 10^5 columns refused quickly (whatever the
/// shape of the header).
#[test]
fn the_column_bound_is_exact_and_wide_files_are_refused_quickly() {
    let t = batch::import(wide_csv(batch::MAX_COLUMNS, false).as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(t.width(), batch::MAX_COLUMNS);
    let e = batch::import(wide_csv(batch::MAX_COLUMNS + 1, false).as_bytes(), &ImportOptions::default()).unwrap_err();
    assert!(e.to_string().contains(&batch::MAX_COLUMNS.to_string()), "{e}");
    for group_labels in [false, true] {
        let text = wide_csv(100_000, group_labels);
        let e = batch::import(text.as_bytes(), &ImportOptions::default()).unwrap_err();
        assert_eq!(e.kind(), "limit", "{e}");
    }
}

/// A header whose 1,000 columns all have the same name: each gets its own
/// (`名称 (2)`, …), in time close to linear.
#[test]
fn a_thousand_columns_of_one_name() {
    let mut text = vec!["名称"; batch::MAX_COLUMNS].join(",");
    text.push_str("\n1\n");
    let t = batch::import(text.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(t.headers[999], "名称 (1000)");
    let mut unique = t.headers.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 1000);
}

/// A 50 MB cell: read up to the cell bound, the row reported with its
/// column, and the other rows read.
#[test]
fn a_fifty_megabyte_cell() {
    let big = "甲".repeat(50 * 1024 * 1024 / 3);
    let text = format!("{HEADER}\n企业0号,1,2\n{big},3,4\n企业2号,5,6\n");
    let t = batch::import(text.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(t.len(), 3);
    assert_eq!((t.cell(0, 0), t.cell(2, 0), t.cell(1, 1)), ("企业0号", "企业2号", "3"));
    assert!(t.cell(1, 0).len() <= batch::MAX_CELL_BYTES);
    let p = t.row_problems.iter().find(|p| p.row == 3).expect("the long cell is reported");
    assert!(p.message.contains("企业名称"), "{}", p.message);
}

/// A quote opened and never closed: the rest of the file is one cell. The
/// rows before it are read, and the row it starts in is reported.
#[test]
fn an_unbalanced_quote() {
    let text = format!("{HEADER}\n企业0号,1,2\n\"企业1号,3,4\n企业2号,5,6\n企业3号,7,8\n");
    let (t, result) = pipeline(text.as_bytes()).unwrap();
    assert_eq!(t.cell(0, 0), "企业0号");
    assert!(t.len() >= 2);
    // The row that swallowed the rest is reported (its cells are fewer than the header's).
    assert!(result.issues.iter().any(|i| i.row == 3), "{:?}", result.issues);
}

/// A multi-select cell of 1,000 items none of which is an option (the
/// most the engine reads): reported, in time linear in the cell.
#[test]
fn a_list_cell_of_a_thousand_unknown_items() {
    let cat = Catalogue::from_json(
        "c.json",
        &crate::util::doc(
            serde_json::json!([{"name": "chains", "type": "string_list", "label": {"zh": "产业链", "en": "Chains"},
                "options": [{"value": "ic", "label": {"zh": "集成电路", "en": "Integrated circuits"}},
                            {"value": "ai", "label": {"zh": "人工智能", "en": "Artificial intelligence"}}]}]),
            serde_json::json!([]),
        ),
    )
    .unwrap();
    let items: Vec<String> = (0..policy_match::matching::MAX_LIST_ITEMS).map(|i| format!("未知项目{i:03}")).collect();
    let text = format!("企业名称,产业链\n甲,\"{}\"\n乙,集成电路 人工智能\n", items.join(" "));
    let t = batch::import(text.as_bytes(), &ImportOptions::default()).unwrap();
    let resolved = batch::auto_map(&cat, &t.headers).resolve(&cat, &t).unwrap();
    let r = batch::run(&cat, &t, &resolved, &BatchOptions::new("2026-07-01".parse().unwrap()));
    assert_eq!(r.issues.len(), 1, "{:?}", r.issues);
    assert_eq!((r.issues[0].row, r.issues[0].kind), (2, "invalid-value"));
}

/// 10^5 rows of one name: each duplicate is listed, in time close to linear.
#[test]
fn a_hundred_thousand_rows_of_one_name() {
    let mut text = format!("{HEADER}\n");
    for i in 0..100_000 {
        text.push_str(&format!("同名企业,{i},{i}\n"));
    }
    let (t, r) = pipeline(text.as_bytes()).unwrap();
    assert_eq!(t.len(), 100_000);
    assert_eq!(r.issues.iter().filter(|i| i.kind == "duplicate-name").count(), 99_999);
}

// ------------------------------------------------------------ profiles (`policy-match match --profiles`)

use policy_match::matching::{profiles_from_csv, profiles_from_json};

/// Any JSON value, up to a few levels deep, with the numbers and strings
/// that break converters: 1e400, -0, huge integers, `NaN`, `__proto__`.
fn hostile_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        prop_oneof![
            Just("1e400"),
            Just("-0"),
            Just("-1e-400"),
            Just("123456789012345678901234567890123"),
            Just("0.0000000000000000000000000000001"),
            Just("3")
        ]
        .prop_map(|n| serde_json::from_str::<serde_json::Value>(n).unwrap()),
        prop_oneof![Just("NaN"), Just("Infinity"), Just("-0"), Just("1e400"), Just("__proto__"), Just("2026-02-30"), Just("１２３"), Just("1,2,3"), Just("是")]
            .prop_map(serde_json::Value::from),
        ".{0,20}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::Array),
            proptest::collection::btree_map(prop_oneof![Just("__proto__".to_string()), Just("constructor".to_string()), "[a-z_]{1,8}"], inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// A profile whose every field holds a hostile value: never a panic;
    /// each value is either read or reported for its field.
    #[test]
    fn hostile_profile_values_are_read_or_reported(values in proptest::collection::vec(hostile_json(), 10)) {
        let cat = catalogue();
        let mut obj = serde_json::Map::new();
        for (f, v) in cat.fields.iter().zip(&values) {
            obj.insert(f.name().to_string(), v.clone());
        }
        let text = serde_json::Value::Object(obj).to_string();
        let ps = profiles_from_json(cat, &text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (i, (f, v)) in cat.fields.iter().zip(&values).enumerate() {
            let read = ps[0].values[i].is_provided();
            let reported = ps[0].issues.iter().any(|x| x.field == f.name());
            prop_assert!(read || reported || v.is_null(), "{} = {} neither read nor reported", f.name(), v);
        }
        // The same values as CSV cells.
        let header: Vec<&str> = cat.fields.iter().map(|f| f.name()).collect();
        let cells: Vec<String> = values.iter().map(|v| match v { serde_json::Value::String(s) => s.clone(), v => v.to_string() }).collect();
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&header).unwrap();
        w.write_record(&cells).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        let _ = profiles_from_csv(cat, &text);
    }

    /// Profile CSV text mutated at random: never a panic.
    #[test]
    fn mutated_profile_csv_never_panics(mutations in proptest::collection::vec(mutation(), 1..6)) {
        let cat = catalogue();
        let mut bytes = format!("id,employees_2025,registration_date,size_class,is_hnte,penalty_dates\n{}",
            (0..10).map(|i| format!("e{i},{i},2020-01-0{},small,是,2024-01-01;2025-02-03\n", 1 + i % 9)).collect::<String>()).into_bytes();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        let text = String::from_utf8_lossy(&bytes);
        let _ = profiles_from_csv(cat, &text);
        let _ = profiles_from_json(cat, &text);
    }
}

/// Profiles nested past serde_json's depth limit: an error with a line and
/// column, never a stack overflow.
#[test]
fn deeply_nested_profile_json_is_an_error() {
    let cat = catalogue();
    let text = format!("{{\"employees_2025\": {}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let e = profiles_from_json(cat, &text).unwrap_err();
    assert_eq!(e.kind(), "syntax", "{e}");
}

/// A CSV of profiles with a column twice: what the second holds never
/// silently replaces the first (an empty second cell blanked the first's
/// value); the repeated column is reported on each row where it differs.
#[test]
fn a_profile_column_twice_is_reported_not_overwritten() {
    let cat = catalogue();
    let ps = profiles_from_csv(cat, "id,employees_2025,employees_2025\na,12,\nb,12,12\nc,,40\nd,5,6\n").unwrap();
    let slot = cat.field_slot("employees_2025").unwrap() as usize;
    let value = |p: &policy_match::matching::Profile| p.values[slot].clone();
    assert_eq!(value(&ps[0]), policy_match::rules::Value::Num(12.into()), "a: the empty second cell blanked 12");
    assert!(ps[1].issues.is_empty(), "{:?}", ps[1].issues);
    // Only the second holds a value: it is read.
    assert_eq!(value(&ps[2]), policy_match::rules::Value::Num(40.into()));
    // Different values: the first is read, and the row reported.
    assert_eq!(value(&ps[3]), policy_match::rules::Value::Num(5.into()));
    assert!(ps[3].issues.iter().any(|i| i.field == "employees_2025" && i.message.contains("appears 2 times")), "{:?}", ps[3].issues);
    assert_eq!(ps[3].issues[0].row, Some(5));
}

/// A wide spreadsheet given to `match` instead of `batch`: hundreds of
/// columns the catalogue does not declare, mostly blank. An empty cell
/// ignores nothing, so it is no issue (there were 6 million, and as many
/// strings in memory).
#[test]
fn blank_cells_of_undeclared_columns_are_no_issues() {
    let cat = catalogue();
    let cols = 300;
    let mut text = format!("id,employees_2025,{}\n", (0..cols).map(|c| format!("自有列{c}")).collect::<Vec<_>>().join(","));
    for i in 0..20_000 {
        text.push_str(&format!("e{i},{i},x{}\n", ",".repeat(cols - 1)));
    }
    let ps = profiles_from_csv(cat, &text).unwrap();
    assert_eq!(ps.len(), 20_000);
    // The one filled undeclared cell of each row is reported; the blank ones are not.
    assert!(ps.iter().all(|p| p.issues.len() == 1 && p.issues[0].field == "自有列0"), "{:?}", ps[0].issues);
}

/// A GBK list with a stray byte in one row (a cut-off character): the
/// row is read with � in its place and reported; every other row is read.
/// With stray bytes on more than a few lines the file is refused, naming
/// the first line.
#[test]
fn a_stray_byte_in_a_gbk_file_is_reported_on_its_row() {
    let mut text = String::from("企业名称,2025年职工总数\n");
    for i in 0..40 {
        text.push_str(&format!("企业{i}号,{i}\n"));
    }
    let gbk = encoding_rs::GBK.encode(&text).0.into_owned();
    let needle = encoding_rs::GBK.encode("企业5号").0.into_owned();
    let at = gbk.windows(needle.len()).position(|w| w == needle.as_slice()).unwrap();
    let mut bytes = gbk.clone();
    bytes.insert(at + 2, 0xFF);
    let t = batch::import(&bytes, &ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.len(), 40);
    assert_eq!((t.cell(4, 0), t.cell(6, 0)), ("企业4号", "企业6号"));
    let p = t.row_problems.iter().find(|p| p.kind == "encoding").expect("the row is reported");
    assert_eq!((p.row, p.column.as_str()), (7, "企业名称"));
    // On every line: not GBK, refused, naming the first line.
    let mut bytes = gbk;
    for i in (0..bytes.len()).rev().filter(|&i| bytes[i] == b'\n').collect::<Vec<_>>() {
        bytes.insert(i, 0xFF);
    }
    let e = batch::import(&bytes, &ImportOptions::default()).unwrap_err();
    assert!(e.to_string().contains("line 1 is not"), "{e}");
}
