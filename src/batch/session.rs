//! A batch session: the state behind the admin page's Web Worker.
//!
//! One catalogue, one imported table, one mapping, one run (a chunk at a
//! time, so the worker can post progress and hear a cancel), then pages of
//! push lists and problems, one enterprise's full report, and exports. All
//! answers are plain serialisable data; the wasm layer (`crate::admin`)
//! only converts them to JavaScript values.
//!
//! # Example
//! ```
//! use policy_match::batch::session::{PushQuery, Session};
//!
//! let cat = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1",
//!   "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
//!   "fields": [{"name": "employees", "type": "integer", "label": {"zh": "职工人数", "en": "Employees"}}],
//!   "policies": [{"id": "p", "title": {"zh": "p", "en": "p"}, "issuer": {"zh": "局", "en": "Bureau"},
//!     "category": "tax", "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300"},
//!     "rule": {"<=": [{"var": "employees"}, 300]}}]}]}"#;
//! let mut s = Session::new(&[cat], "2026-07-01".parse()?)?;
//! s.import("企业,职工人数\n甲,10\n乙,500\n丙,\n".as_bytes(), None)?;
//! let mapping = s.auto_map()?;
//! s.set_mapping(&mapping.to_json())?;
//! s.start_run()?;
//! while !s.step(1000)?.done {}
//! let page = s.push_page(0, &PushQuery::default())?;
//! assert_eq!((page.total, page.qualifies, page.undecided), (2, 1, 1)); // 甲, then 丙
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

use super::export::{self, ExportOptions};
use super::import::{ImportOptions, Table};
use super::mapping::{auto_map_table, header_unit, import_for, Mapping, Resolved};
use super::run::{BatchOptions, BatchResult, Runner, Summary};
use super::validate::{loose_name, spelling_key, CellIssue, RowReader};
use super::{check_size, BatchError};
use crate::catalogue::Catalogue;
use crate::matching::{Matcher, Profile, Verdict};
use crate::rules::Date;
use crate::Lang;

/// Largest page of a push list or of the problems.
pub const MAX_PAGE: usize = 1000;

/// The entries of a page when the caller asks for 0 (no limit given).
const DEFAULT_PAGE: usize = 50;

/// How many entries a page asking for `limit` gets: [`DEFAULT_PAGE`] for 0,
/// at most [`MAX_PAGE`].
fn page_size(limit: usize) -> usize {
    if limit == 0 {
        DEFAULT_PAGE
    } else {
        limit.min(MAX_PAGE)
    }
}

/// The session's state (see the module documentation).
#[derive(Debug)]
pub struct Session {
    cat: Catalogue,
    as_of: Date,
    table: Option<Table>,
    mapping: Option<Mapping>,
    resolved: Option<Resolved>,
    runner: Option<Runner>,
    result: Option<BatchResult>,
}

/// What an import found, for the mapping step.
#[derive(Clone, Debug, Serialize)]
pub struct ImportInfo {
    /// Column names (unique).
    pub headers: Vec<String>,
    /// How the file was read (format, encoding, sheet, sheets).
    pub source: super::import::Source,
    /// What the import did that the user should know.
    pub notes: Vec<String>,
    /// The same notes in Chinese.
    pub notes_zh: Vec<String>,
    /// Data rows.
    pub rows: usize,
    /// Blank rows skipped.
    pub blank_rows: usize,
    /// Up to three non-empty sample values per column.
    pub samples: Vec<Vec<String>>,
    /// Per column, the money or percent unit its header (or the title)
    /// gives ([`header_unit`]): the unit a column mapped by hand starts with.
    pub header_units: Vec<Option<super::mapping::CellUnit>>,
}

/// Progress of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Rows evaluated.
    pub rows: usize,
    /// Rows in all.
    pub total: usize,
    /// Problems found so far.
    pub issues: usize,
    /// Whether the run is complete.
    pub done: bool,
}

/// Which part of a push list to show, and how (from the page's controls).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct PushQuery {
    /// `qualifies`, `undecided`, or anything else for both.
    pub verdict: String,
    /// Keep enterprises whose name (key column) or unified social credit
    /// code contains this (the width of brackets, spaces and case aside;
    /// codes from 6 characters on), or whose row number it is.
    pub filter: String,
    /// `name`, `line`, `missing` (fields to ask for), `benefit`; the push order otherwise
    /// (qualifying first, then undecided ones by how few fields they lack).
    pub sort: String,
    /// Reverse the order.
    pub desc: bool,
    /// First entry (after filtering and sorting).
    pub offset: usize,
    /// How many (at most [`MAX_PAGE`]; 50 when 0).
    pub limit: usize,
}

/// One enterprise on a push-list page.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PushRow {
    /// The 0-based data row (for [`Session::enterprise`]).
    pub row: usize,
    /// The 1-based source row.
    pub line: u32,
    /// The enterprise's name, if the key column has one.
    pub key: Option<String>,
    /// `qualifies` or `undecided`.
    pub verdict: Verdict,
    /// The fields to ask for (names; the page shows their labels).
    pub missing: Vec<String>,
    /// The undecided criteria (ids).
    pub undecided: Vec<String>,
    /// The benefit estimate in CNY, as exact decimal text.
    pub benefit: Option<String>,
    /// Problems in the row.
    pub problems: u32,
}

/// A page of a push list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PushPage {
    /// The policy's id.
    pub policy: String,
    /// Entries after filtering.
    pub total: usize,
    /// Qualifying entries after filtering.
    pub qualifies: usize,
    /// Undecided entries after filtering.
    pub undecided: usize,
    /// The first entry's position.
    pub offset: usize,
    /// The entries.
    pub rows: Vec<PushRow>,
}

/// A page of the problems.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IssuePage {
    /// Problems in all.
    pub total: usize,
    /// The first problem's position.
    pub offset: usize,
    /// The problems.
    pub rows: Vec<CellIssue>,
}

/// Which enterprises to list, and in what order (the page's 按企业查看:
/// every enterprise of the run, whatever its verdicts).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct EnterpriseQuery {
    /// Keep enterprises whose name (key column) or unified social credit
    /// code contains this, or whose row number it is (see [`PushQuery::filter`]).
    pub filter: String,
    /// `name`, `qualifies` (most policies first), `undecided` (most first),
    /// `benefit` (the largest estimated total first, none last), `problems`
    /// (most first); the source order otherwise.
    pub sort: String,
    /// Reverse the order.
    pub desc: bool,
    /// First entry (after filtering and sorting).
    pub offset: usize,
    /// How many (at most [`MAX_PAGE`]; 50 when 0).
    pub limit: usize,
}

/// One enterprise on a page of [`Session::enterprises_page`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EnterpriseRow {
    /// The 0-based data row (for [`Session::enterprise`]).
    pub row: usize,
    /// The 1-based source row.
    pub line: u32,
    /// The enterprise's name, if the key column has one.
    pub key: Option<String>,
    /// Its unified social credit code, if the list has such a column
    /// (other than the key column) and the cell is not blank.
    pub code: Option<String>,
    /// The policies in force it qualifies for (indices, catalogue order).
    pub qualifies: Vec<usize>,
    /// The policies in force still undecided for it (indices).
    pub undecided: Vec<usize>,
    /// The estimated total of the policies in force it qualifies for, in
    /// CNY as exact decimal text: each amount once, of two that cannot be
    /// combined only the larger (as the self-check's 预计可享受); `None`
    /// when none of them has an amount.
    pub benefit: Option<String>,
    /// Problems in the row.
    pub problems: u32,
}

/// A page of the enterprises of a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EnterprisePage {
    /// Enterprises after filtering.
    pub total: usize,
    /// The first entry's position.
    pub offset: usize,
    /// The header of the credit-code column, if the list has one (other
    /// than the key column).
    pub code_column: Option<String>,
    /// The entries.
    pub rows: Vec<EnterpriseRow>,
}

/// The shortest text a search looks for in credit codes (see `Search`).
const CODE_NEEDLE: usize = 6;

/// The shortest name, its company form left out, a search also looks for
/// as a caller says it: `建设集团` must not list every 建设 company.
const LOOSE_NEEDLE: usize = 4;

/// What a page's search box looks for: a row number, or part of an
/// enterprise's name or credit code, compared as staff would (the width of
/// brackets, spaces and case aside: `甲科技(杭州)` finds `甲科技（杭州）有限公司`).
/// A name also matches as a caller says it ([`loose_name`]: brackets and
/// the company form at its end aside; from `LOOSE_NEEDLE` characters on). A credit code is searched from `CODE_NEEDLE`
/// characters on: every code has digits, and `12` is row 12, not every code
/// with a 12 in it; the row typed comes first.
struct Search {
    needle: String,
    /// The needle as [`loose_name`] reads it.
    loose: String,
    line: Option<u32>,
}

impl Search {
    fn new(text: &str) -> Search {
        // `00049` is part of a code, not row 49.
        let line = text.trim().parse().ok().filter(|_| !text.trim().starts_with('0'));
        Search { needle: spelling_key(text), loose: loose_name(text), line }
    }

    fn code_searched(&self) -> bool {
        self.needle.chars().count() >= CODE_NEEDLE
    }

    fn matches(&self, r: &BatchResult, row: usize) -> bool {
        let at = |v: &[String]| v.get(row).is_some_and(|k| k.contains(&self.needle));
        self.needle.is_empty()
            || self.line == Some(r.line(row))
            || at(&r.names)
            || (self.loose.chars().count() >= LOOSE_NEEDLE && r.loose_names.get(row).is_some_and(|k| k.contains(&self.loose)))
            || (self.code_searched() && at(&r.codes))
    }

    /// Put the row whose number was typed first (the other matches contain it).
    fn exact_first(&self, r: &BatchResult, rows: &mut [usize]) {
        if let Some(at) = self.line.and_then(|l| rows.iter().position(|&row| r.line(row) == l)) {
            rows[..=at].rotate_right(1);
        }
    }
}

/// `a` before `b` in ascending order (descending with `reverse`), a
/// missing value after every present one either way.
fn none_last<T: Ord>(a: Option<T>, b: Option<T>, reverse: bool) -> std::cmp::Ordering {
    match (a, b) {
        (Some(x), Some(y)) if reverse => y.cmp(&x),
        (Some(x), Some(y)) => x.cmp(&y),
        (x, y) => y.is_some().cmp(&x.is_some()),
    }
}

/// An export file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExportKind {
    /// One policy's push list, CSV.
    PushCsv,
    /// One policy's push list, XLSX.
    PushXlsx,
    /// The result matrix, CSV.
    MatrixCsv,
    /// The summary, CSV.
    SummaryCsv,
    /// The problems, CSV.
    ProblemsCsv,
    /// Summary, problems and matrix, XLSX.
    ResultsXlsx,
    /// Summary, problems, matrix and every push list, XLSX.
    AllXlsx,
}

/// An export's bytes and suggested file name.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportFile {
    /// Suggested file name.
    pub name: String,
    /// MIME type.
    pub mime: &'static str,
    /// Contents.
    pub bytes: Vec<u8>,
}

fn state(what: &str) -> BatchError {
    BatchError::Limit(format!("no {what} yet"))
}

impl Session {
    /// A session for catalogue texts (several for national + zone).
    ///
    /// # Errors
    /// The catalogue's [`crate::catalogue::Errors`] when it does not compile.
    ///
    /// # Example
    /// ```
    /// # use policy_match::batch::session::{ExportKind, PushQuery, Session};
    /// # let cat = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    /// #   "fields": [{"name": "employees", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Employees"}},
    /// #              {"name": "revenue_cny", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "employees"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300 staff"}, "rule": {"<=": [{"var": "employees"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过500万元", "en": "Revenue ≤ ¥5m"}, "rule": {"<=": [{"var": "revenue_cny"}, 5000000]}}]}]}"#;
    /// # let mut s = Session::new(&[cat], "2026-07-01".parse()?)?;
    /// # let csv = "企业名称,职工人数,营业收入（万元）\n甲公司,12,320\n乙公司,40,\n丙公司,500,很多\n";
    /// assert_eq!(s.catalogue().policies[0].id, "small");
    /// let errors = Session::new(&["{}"], "2026-07-01".parse()?).unwrap_err();
    /// assert_eq!(errors.0[0].location.file, "catalogue-0.json"); // the texts are named by position
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(catalogues: &[&str], as_of: Date) -> Result<Session, crate::catalogue::Errors> {
        let files: Vec<(String, &str)> = catalogues.iter().enumerate().map(|(i, t)| (format!("catalogue-{i}.json"), *t)).collect();
        let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), *t)).collect();
        Ok(Session::from_catalogue(Catalogue::from_sources(&refs)?, as_of))
    }

    /// A session for a compiled catalogue.
    ///
    /// # Example
    /// ```
    /// # use policy_match::{batch::session::Session, catalogue::Catalogue, synth};
    /// let cat = Catalogue::from_json("s.json", &synth::catalogue(3, 1))?;
    /// let s = Session::from_catalogue(cat, "2026-07-01".parse()?);
    /// assert_eq!(s.catalogue().policies.len(), 3);
    /// assert_eq!(s.as_of().to_string(), "2026-07-01");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_catalogue(cat: Catalogue, as_of: Date) -> Session {
        Session { cat, as_of, table: None, mapping: None, resolved: None, runner: None, result: None }
    }

    /// The catalogue.
    pub fn catalogue(&self) -> &Catalogue {
        &self.cat
    }

    /// The assessment date.
    pub fn as_of(&self) -> Date {
        self.as_of
    }

    /// Change the assessment date (the run is discarded).
    ///
    /// # Example
    /// ```
    /// # use policy_match::batch::session::{ExportKind, PushQuery, Session};
    /// # let cat = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    /// #   "fields": [{"name": "employees", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Employees"}},
    /// #              {"name": "revenue_cny", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "employees"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300 staff"}, "rule": {"<=": [{"var": "employees"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过500万元", "en": "Revenue ≤ ¥5m"}, "rule": {"<=": [{"var": "revenue_cny"}, 5000000]}}]}]}"#;
    /// # let mut s = Session::new(&[cat], "2026-07-01".parse()?)?;
    /// # let csv = "企业名称,职工人数,营业收入（万元）\n甲公司,12,320\n乙公司,40,\n丙公司,500,很多\n";
    /// # s.import(csv.as_bytes(), None)?;
    /// # s.set_mapping(&s.auto_map()?.to_json())?;
    /// # s.start_run()?;
    /// # while !s.step(1000)?.done {}
    /// assert!(s.summary().is_ok());
    /// s.set_as_of("2027-01-01".parse()?);
    /// assert_eq!(s.summary().unwrap_err().to_string(), "no completed run yet"); // run again
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_as_of(&mut self, as_of: Date) {
        self.as_of = as_of;
        self.runner = None;
        self.result = None;
    }

    /// What the page needs of the catalogue: sources, fields (name, type,
    /// unit, labels, options) and policies (id, titles, issuer, criteria).
    ///
    /// # Example
    /// ```
    /// # use policy_match::batch::session::{ExportKind, PushQuery, Session};
    /// # let cat = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    /// #   "fields": [{"name": "employees", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Employees"}},
    /// #              {"name": "revenue_cny", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "employees"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300 staff"}, "rule": {"<=": [{"var": "employees"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过500万元", "en": "Revenue ≤ ¥5m"}, "rule": {"<=": [{"var": "revenue_cny"}, 5000000]}}]}]}"#;
    /// # let mut s = Session::new(&[cat], "2026-07-01".parse()?)?;
    /// # let csv = "企业名称,职工人数,营业收入（万元）\n甲公司,12,320\n乙公司,40,\n丙公司,500,很多\n";
    /// let info = s.catalogue_info();
    /// assert_eq!(info["fields"][1]["name"], "revenue_cny");
    /// assert_eq!(info["policies"][0]["criteria"][0]["id"], "C1");
    /// assert_eq!(info["as_of"], "2026-07-01");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn catalogue_info(&self) -> Json {
        let cat = &self.cat;
        json!({
            "sources": cat.sources.iter().map(|s| json!({"id": s.id, "title": s.title, "version": s.version, "example": s.example})).collect::<Vec<_>>(),
            "fields": cat.fields.iter().map(|f| json!({"name": f.name(), "type": f.def.ty, "unit": f.def.unit, "label": f.def.label, "options": f.def.options})).collect::<Vec<_>>(),
            "policies": cat.policies.iter().map(|p| json!({
                "id": p.id, "title": p.title, "issuer": p.issuer, "catalogue": p.catalogue,
                "in_force": p.in_force(self.as_of), "benefit": p.benefit,
                "application": p.application, "documents": p.documents, "sources": p.sources,
                "criteria": p.criteria.iter().map(|c| json!({"id": c.id, "description": c.description})).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "as_of": self.as_of,
        })
    }

    /// Import CSV or XLSX bytes (an XLSX sheet by name, or the one that fits
    /// the catalogue best: [`import_for`]). Any earlier table, mapping and
    /// run are discarded.
    ///
    /// # Errors
    /// See [`crate::batch::import()`]; [`BatchError::TooLarge`] first for
    /// bytes over [`super::MAX_INPUT_BYTES`].
    ///
    /// # Example
    /// ```
    /// # use policy_match::batch::session::{ExportKind, PushQuery, Session};
    /// # let cat = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    /// #   "fields": [{"name": "employees", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Employees"}},
    /// #              {"name": "revenue_cny", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "employees"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300 staff"}, "rule": {"<=": [{"var": "employees"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过500万元", "en": "Revenue ≤ ¥5m"}, "rule": {"<=": [{"var": "revenue_cny"}, 5000000]}}]}]}"#;
    /// # let mut s = Session::new(&[cat], "2026-07-01".parse()?)?;
    /// # let csv = "企业名称,职工人数,营业收入（万元）\n甲公司,12,320\n乙公司,40,\n丙公司,500,很多\n";
    /// # use policy_match::batch::CellUnit;
    /// let info = s.import(csv.as_bytes(), None)?;
    /// assert_eq!((info.rows, info.headers.len()), (3, 3));
    /// assert_eq!(info.samples[1], ["12", "40", "500"]);
    /// assert_eq!(info.header_units[2], Some(CellUnit::WanYuan));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn import(&mut self, bytes: &[u8], sheet: Option<String>) -> Result<ImportInfo, BatchError> {
        check_size(bytes.len() as u64)?;
        self.table = None;
        self.mapping = None;
        self.resolved = None;
        self.runner = None;
        self.result = None;
        let table = import_for(&self.cat, bytes, &ImportOptions { format: None, sheet })?;
        let samples = (0..table.width())
            .map(|c| {
                let mut s: Vec<String> = Vec::new();
                for r in 0..table.len() {
                    let v = table.cell(r, c).trim();
                    if !v.is_empty() && !s.iter().any(|x| x == v) {
                        s.push(v.chars().take(40).collect());
                        if s.len() == 3 {
                            break;
                        }
                    }
                    if r > 200 {
                        break;
                    }
                }
                s
            })
            .collect();
        let info = ImportInfo {
            headers: table.headers.clone(),
            source: table.source.clone(),
            notes: table.notes.clone(),
            notes_zh: table.notes_zh.clone(),
            rows: table.len(),
            blank_rows: table.blank_rows,
            samples,
            header_units: (0..table.width()).map(|c| header_unit(&table, c)).collect(),
        };
        self.table = Some(table);
        Ok(info)
    }

    /// The automatic mapping of the imported table's headers.
    ///
    /// # Errors
    /// [`BatchError::Limit`] when nothing is imported.
    ///
    /// # Example
    /// ```
    /// # use policy_match::batch::session::{ExportKind, PushQuery, Session};
    /// # let cat = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    /// #   "fields": [{"name": "employees", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Employees"}},
    /// #              {"name": "revenue_cny", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "employees"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300 staff"}, "rule": {"<=": [{"var": "employees"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过500万元", "en": "Revenue ≤ ¥5m"}, "rule": {"<=": [{"var": "revenue_cny"}, 5000000]}}]}]}"#;
    /// # let mut s = Session::new(&[cat], "2026-07-01".parse()?)?;
    /// # let csv = "企业名称,职工人数,营业收入（万元）\n甲公司,12,320\n乙公司,40,\n丙公司,500,很多\n";
    /// assert_eq!(s.auto_map().unwrap_err().to_string(), "no imported file yet");
    /// s.import(csv.as_bytes(), None)?;
    /// assert_eq!(s.auto_map()?.key_column.as_deref(), Some("企业名称"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn auto_map(&self) -> Result<Mapping, BatchError> {
        let t = self.table.as_ref().ok_or_else(|| state("imported file"))?;
        Ok(auto_map_table(&self.cat, t))
    }

    /// Check a mapping file's text (without applying it).
    ///
    /// # Errors
    /// See [`Mapping::from_json`].
    ///
    /// # Example
    /// ```
    /// use policy_match::batch::session::Session;
    /// assert!(Session::parse_mapping(r#"{"format": "policy-match/mapping@1", "columns": []}"#).is_ok());
    /// assert_eq!(Session::parse_mapping("{").unwrap_err().kind(), "mapping");
    /// ```
    pub fn parse_mapping(text: &str) -> Result<Mapping, BatchError> {
        Mapping::from_json(text)
    }

    /// The warnings of the mapping applied last, in Chinese (the same as
    /// [`Session::set_mapping`] returns in English).
    ///
    /// # Example
    /// ```
    /// # use policy_match::batch::session::{ExportKind, PushQuery, Session};
    /// # let cat = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    /// #   "fields": [{"name": "employees", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Employees"}},
    /// #              {"name": "revenue_cny", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "employees"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300 staff"}, "rule": {"<=": [{"var": "employees"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过500万元", "en": "Revenue ≤ ¥5m"}, "rule": {"<=": [{"var": "revenue_cny"}, 5000000]}}]}]}"#;
    /// # let mut s = Session::new(&[cat], "2026-07-01".parse()?)?;
    /// # let csv = "企业名称,职工人数,营业收入（万元）\n甲公司,12,320\n乙公司,40,\n丙公司,500,很多\n";
    /// s.import(csv.as_bytes(), None)?;
    /// let mapping = r#"{"format": "policy-match/mapping@1", "columns": [{"column": "职工人数", "field": "employees"}]}"#;
    /// let warnings = s.set_mapping(mapping)?; // it does not mention two of the file's columns
    /// assert_eq!(warnings.len(), 2);
    /// assert_eq!(s.mapping_warnings_zh()[1], "对应关系中没有“营业收入（万元）”列；该列不导入");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn mapping_warnings_zh(&self) -> Vec<String> {
        self.resolved.as_ref().map(|r| r.warnings_zh.clone()).unwrap_or_default()
    }

    /// Apply a mapping (JSON text) to the imported table; returns its warnings.
    ///
    /// # Errors
    /// [`BatchError::Mapping`] (see [`Mapping::from_json`] and
    /// [`Mapping::resolve`]); [`BatchError::Limit`] when nothing is imported.
    ///
    /// # Example
    /// ```
    /// # use policy_match::batch::session::{ExportKind, PushQuery, Session};
    /// # let cat = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    /// #   "fields": [{"name": "employees", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Employees"}},
    /// #              {"name": "revenue_cny", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "employees"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300 staff"}, "rule": {"<=": [{"var": "employees"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过500万元", "en": "Revenue ≤ ¥5m"}, "rule": {"<=": [{"var": "revenue_cny"}, 5000000]}}]}]}"#;
    /// # let mut s = Session::new(&[cat], "2026-07-01".parse()?)?;
    /// # let csv = "企业名称,职工人数,营业收入（万元）\n甲公司,12,320\n乙公司,40,\n丙公司,500,很多\n";
    /// s.import(csv.as_bytes(), None)?;
    /// let bad = r#"{"format": "policy-match/mapping@1", "columns": [{"column": "职工人数", "field": "staff"}]}"#;
    /// assert_eq!(s.set_mapping(bad).unwrap_err().kind(), "mapping"); // no field `staff`
    /// assert_eq!(s.mapping_json(), None); // nothing applied
    /// s.set_mapping(&s.auto_map()?.to_json())?;
    /// assert!(s.mapping_json().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_mapping(&mut self, text: &str) -> Result<Vec<String>, BatchError> {
        let t = self.table.as_ref().ok_or_else(|| state("imported file"))?;
        let m = Mapping::from_json(text)?;
        let r = m.resolve(&self.cat, t)?;
        let warnings = r.warnings.clone();
        self.mapping = Some(m);
        self.resolved = Some(r);
        self.runner = None;
        self.result = None;
        Ok(warnings)
    }

    /// Start a run (any earlier run is discarded).
    ///
    /// # Errors
    /// [`BatchError::Limit`] when no mapping is set.
    ///
    /// # Example
    /// ```
    /// # use policy_match::batch::session::{ExportKind, PushQuery, Session};
    /// # let cat = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    /// #   "fields": [{"name": "employees", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Employees"}},
    /// #              {"name": "revenue_cny", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "employees"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300 staff"}, "rule": {"<=": [{"var": "employees"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过500万元", "en": "Revenue ≤ ¥5m"}, "rule": {"<=": [{"var": "revenue_cny"}, 5000000]}}]}]}"#;
    /// # let mut s = Session::new(&[cat], "2026-07-01".parse()?)?;
    /// # let csv = "企业名称,职工人数,营业收入（万元）\n甲公司,12,320\n乙公司,40,\n丙公司,500,很多\n";
    /// s.import(csv.as_bytes(), None)?;
    /// assert_eq!(s.start_run().unwrap_err().to_string(), "no mapping yet");
    /// s.set_mapping(&s.auto_map()?.to_json())?;
    /// let p = s.start_run()?;
    /// assert_eq!((p.rows, p.total, p.done), (0, 3, false));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn start_run(&mut self) -> Result<Progress, BatchError> {
        let (t, r) = (self.table.as_ref().ok_or_else(|| state("imported file"))?, self.resolved.as_ref().ok_or_else(|| state("mapping"))?);
        self.result = None;
        self.runner = Some(Runner::new(&self.cat, t, r, &BatchOptions::new(self.as_of)));
        Ok(Progress { rows: 0, total: t.len(), issues: 0, done: t.is_empty() && self.finish_if_done() })
    }

    fn finish_if_done(&mut self) -> bool {
        if self.runner.as_ref().is_some_and(Runner::is_done) {
            self.result = self.runner.take().map(Runner::finish);
            true
        } else {
            false
        }
    }

    /// Evaluate up to `max_rows` more rows of the run.
    ///
    /// # Errors
    /// [`BatchError::Limit`] when no run is under way.
    ///
    /// # Example
    /// ```
    /// # use policy_match::batch::session::{ExportKind, PushQuery, Session};
    /// # let cat = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    /// #   "fields": [{"name": "employees", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Employees"}},
    /// #              {"name": "revenue_cny", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "employees"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300 staff"}, "rule": {"<=": [{"var": "employees"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过500万元", "en": "Revenue ≤ ¥5m"}, "rule": {"<=": [{"var": "revenue_cny"}, 5000000]}}]}]}"#;
    /// # let mut s = Session::new(&[cat], "2026-07-01".parse()?)?;
    /// # let csv = "企业名称,职工人数,营业收入（万元）\n甲公司,12,320\n乙公司,40,\n丙公司,500,很多\n";
    /// s.import(csv.as_bytes(), None)?;
    /// s.set_mapping(&s.auto_map()?.to_json())?;
    /// s.start_run()?;
    /// let p = s.step(2)?;
    /// assert_eq!((p.rows, p.done), (2, false));
    /// let p = s.step(2)?;
    /// assert_eq!((p.rows, p.issues, p.done), (3, 1, true)); // 很多 is not a number
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn step(&mut self, max_rows: usize) -> Result<Progress, BatchError> {
        if let Some(res) = &self.result {
            return Ok(Progress { rows: res.rows_evaluated, total: res.rows_read, issues: res.issues.len(), done: true });
        }
        let (t, r) = (self.table.as_ref().ok_or_else(|| state("imported file"))?, self.resolved.as_ref().ok_or_else(|| state("mapping"))?);
        let runner = self.runner.as_mut().ok_or_else(|| state("run"))?;
        runner.step(&self.cat, t, r, max_rows);
        let p = Progress { rows: runner.rows_done(), total: t.len(), issues: runner.issues_so_far(), done: runner.is_done() };
        self.finish_if_done();
        Ok(p)
    }

    /// Stop the run under way, keeping nothing of it.
    ///
    /// # Example
    /// ```
    /// # use policy_match::batch::session::{ExportKind, PushQuery, Session};
    /// # let cat = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    /// #   "fields": [{"name": "employees", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Employees"}},
    /// #              {"name": "revenue_cny", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "employees"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300 staff"}, "rule": {"<=": [{"var": "employees"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过500万元", "en": "Revenue ≤ ¥5m"}, "rule": {"<=": [{"var": "revenue_cny"}, 5000000]}}]}]}"#;
    /// # let mut s = Session::new(&[cat], "2026-07-01".parse()?)?;
    /// # let csv = "企业名称,职工人数,营业收入（万元）\n甲公司,12,320\n乙公司,40,\n丙公司,500,很多\n";
    /// s.import(csv.as_bytes(), None)?;
    /// s.set_mapping(&s.auto_map()?.to_json())?;
    /// s.start_run()?;
    /// s.cancel();
    /// assert_eq!(s.step(10).unwrap_err().to_string(), "no run yet");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cancel(&mut self) {
        self.runner = None;
    }

    fn done(&self) -> Result<(&Table, &BatchResult), BatchError> {
        let t = self.table.as_ref().ok_or_else(|| state("imported file"))?;
        let r = self.result.as_ref().ok_or_else(|| state("completed run"))?;
        Ok((t, r))
    }

    /// The mapping applied, as JSON text.
    pub fn mapping_json(&self) -> Option<String> {
        self.mapping.as_ref().map(Mapping::to_json)
    }

    /// The run's summary.
    ///
    /// # Errors
    /// [`BatchError::Limit`] before a run completes.
    ///
    /// # Example
    /// ```
    /// # use policy_match::batch::session::{ExportKind, PushQuery, Session};
    /// # let cat = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    /// #   "fields": [{"name": "employees", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Employees"}},
    /// #              {"name": "revenue_cny", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "employees"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300 staff"}, "rule": {"<=": [{"var": "employees"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过500万元", "en": "Revenue ≤ ¥5m"}, "rule": {"<=": [{"var": "revenue_cny"}, 5000000]}}]}]}"#;
    /// # let mut s = Session::new(&[cat], "2026-07-01".parse()?)?;
    /// # let csv = "企业名称,职工人数,营业收入（万元）\n甲公司,12,320\n乙公司,40,\n丙公司,500,很多\n";
    /// # s.import(csv.as_bytes(), None)?;
    /// # s.set_mapping(&s.auto_map()?.to_json())?;
    /// # s.start_run()?;
    /// # while !s.step(1000)?.done {}
    /// let sum = s.summary()?;
    /// assert_eq!((sum.rows_read, sum.rows_with_problems, sum.issues), (3, 1, 1));
    /// assert_eq!((sum.policies[0].qualifies, sum.policies[0].undecided), (1, 1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn summary(&self) -> Result<Summary, BatchError> {
        Ok(self.done()?.1.summary(&self.cat))
    }

    /// A page of the problems (every bad cell and row-shape problem, in row
    /// order), or with `column` only those of that column (its header; `""`
    /// for problems of a whole row; see [`Summary::issue_columns`]).
    ///
    /// # Errors
    /// [`BatchError::Limit`] before a run completes.
    ///
    /// # Example
    /// ```
    /// # use policy_match::batch::session::{ExportKind, PushQuery, Session};
    /// # let cat = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    /// #   "fields": [{"name": "employees", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Employees"}},
    /// #              {"name": "revenue_cny", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "employees"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300 staff"}, "rule": {"<=": [{"var": "employees"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过500万元", "en": "Revenue ≤ ¥5m"}, "rule": {"<=": [{"var": "revenue_cny"}, 5000000]}}]}]}"#;
    /// # let mut s = Session::new(&[cat], "2026-07-01".parse()?)?;
    /// # let csv = "企业名称,职工人数,营业收入（万元）\n甲公司,12,320\n乙公司,40,\n丙公司,500,很多\n";
    /// # s.import(csv.as_bytes(), None)?;
    /// # s.set_mapping(&s.auto_map()?.to_json())?;
    /// # s.start_run()?;
    /// # while !s.step(1000)?.done {}
    /// let page = s.issues_page(0, 0, None)?; // 0: the default page size
    /// assert_eq!(page.total, 1);
    /// assert_eq!((page.rows[0].row, page.rows[0].raw.as_str()), (4, "很多"));
    /// assert!(s.issues_page(1, 10, None)?.rows.is_empty());
    /// assert_eq!(s.issues_page(0, 10, Some("营业收入（万元）"))?.total, 1);
    /// assert_eq!(s.issues_page(0, 10, Some("职工人数"))?.total, 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn issues_page(&self, offset: usize, limit: usize, column: Option<&str>) -> Result<IssuePage, BatchError> {
        let (_, r) = self.done()?;
        let limit = page_size(limit);
        let chosen = || r.issues.iter().filter(|i| column.is_none_or(|c| i.column == c));
        let rows = chosen().skip(offset).take(limit).cloned().collect();
        let total = chosen().count();
        Ok(IssuePage { total, offset, rows })
    }

    /// A page of a policy's push list, filtered and sorted.
    ///
    /// # Errors
    /// [`BatchError::Limit`] before a run completes or for a policy index out of range.
    ///
    /// # Example
    /// ```
    /// # use policy_match::batch::session::{ExportKind, PushQuery, Session};
    /// # let cat = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    /// #   "fields": [{"name": "employees", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Employees"}},
    /// #              {"name": "revenue_cny", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "employees"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300 staff"}, "rule": {"<=": [{"var": "employees"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过500万元", "en": "Revenue ≤ ¥5m"}, "rule": {"<=": [{"var": "revenue_cny"}, 5000000]}}]}]}"#;
    /// # let mut s = Session::new(&[cat], "2026-07-01".parse()?)?;
    /// # let csv = "企业名称,职工人数,营业收入（万元）\n甲公司,12,320\n乙公司,40,\n丙公司,500,很多\n";
    /// # s.import(csv.as_bytes(), None)?;
    /// # s.set_mapping(&s.auto_map()?.to_json())?;
    /// # s.start_run()?;
    /// # while !s.step(1000)?.done {}
    /// let page = s.push_page(0, &PushQuery::default())?;
    /// assert_eq!(page.rows.iter().map(|r| r.key.as_deref().unwrap()).collect::<Vec<_>>(), ["甲公司", "乙公司"]);
    /// assert_eq!(page.rows[1].missing, ["revenue_cny"]);
    /// let q = PushQuery { verdict: "undecided".into(), ..Default::default() };
    /// assert_eq!(s.push_page(0, &q)?.total, 1);
    /// let q = PushQuery { sort: "benefit".into(), ..Default::default() };
    /// assert_eq!(s.push_page(0, &q)?.rows[0].benefit.as_deref(), Some("40000")); // 乙公司, if it qualifies
    /// assert!(s.push_page(5, &PushQuery::default()).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn push_page(&self, policy: usize, q: &PushQuery) -> Result<PushPage, BatchError> {
        let (_, r) = self.done()?;
        let p = self.cat.policies.get(policy).ok_or_else(|| BatchError::Limit(format!("no policy with index {policy}")))?;
        let rows = self.push_rows(policy, q)?;
        let qualifies = rows.iter().filter(|&&row| r.verdict(row, policy) == Verdict::Qualifies).count();
        let limit = page_size(q.limit);
        let page = rows
            .iter()
            .skip(q.offset)
            .take(limit)
            .map(|&row| {
                let e = r.push_entry(&self.cat, row, policy);
                PushRow {
                    row,
                    line: e.line,
                    key: e.key,
                    verdict: e.verdict,
                    missing: e.missing_fields,
                    undecided: e.undecided,
                    benefit: e.benefit.map(|b| b.normalize().to_string()),
                    problems: r.row_issues.get(row).copied().unwrap_or(0),
                }
            })
            .collect();
        Ok(PushPage { policy: p.id.clone(), total: rows.len(), qualifies, undecided: rows.len() - qualifies, offset: q.offset, rows: page })
    }

    /// The data rows of a policy's push list as `q` filters and sorts them
    /// (its page and size aside).
    fn push_rows(&self, policy: usize, q: &PushQuery) -> Result<Vec<usize>, BatchError> {
        let (_, r) = self.done()?;
        let search = Search::new(&q.filter);
        let mut rows: Vec<usize> = r
            .push_rows(policy)
            .into_iter()
            .filter(|&row| match q.verdict.as_str() {
                "qualifies" => r.verdict(row, policy) == Verdict::Qualifies,
                "undecided" => r.verdict(row, policy) == Verdict::Undecided,
                _ => true,
            })
            .filter(|&row| search.matches(r, row))
            .collect();
        let missing = |row: usize| r.detail(row, policy).map_or(0, |d| d.missing.len());
        let benefit = |row: usize| r.detail(row, policy).and_then(|d| d.benefit);
        match q.sort.as_str() {
            "name" => rows.sort_by(|&a, &b| r.key(a).unwrap_or("").cmp(r.key(b).unwrap_or("")).then(a.cmp(&b))),
            "line" => rows.sort_unstable(),
            "missing" => rows.sort_by_key(|&row| (missing(row), row)),
            // Largest first, unknown last (before reversing).
            "benefit" => rows.sort_by(|&a, &b| benefit(b).cmp(&benefit(a)).then(a.cmp(&b))),
            _ => {}
        }
        if q.desc {
            rows.reverse();
        }
        search.exact_first(r, &mut rows);
        Ok(rows)
    }

    /// A page of every enterprise of the run, whatever its verdicts (also
    /// those that qualify for nothing, which no push list holds), with the
    /// policies in force each qualifies for and is undecided on: for staff
    /// asked about one enterprise, and to see which have most to gain.
    ///
    /// # Errors
    /// [`BatchError::Limit`] before a run completes.
    ///
    /// # Example
    /// ```
    /// # use policy_match::batch::session::{EnterpriseQuery, Session};
    /// # let cat = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    /// #   "fields": [{"name": "employees", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Employees"}},
    /// #              {"name": "revenue_cny", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "tax",
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300 staff"}, "rule": {"<=": [{"var": "employees"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过500万元", "en": "Revenue ≤ ¥5m"}, "rule": {"<=": [{"var": "revenue_cny"}, 5000000]}}]},
    /// #                {"id": "staff", "title": {"zh": "用工", "en": "Staff"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "employment",
    /// #     "criteria": [{"id": "C1", "description": {"zh": "至少10人", "en": "≥ 10 staff"}, "rule": {">=": [{"var": "employees"}, 10]}}]}]}"#;
    /// # let mut s = Session::new(&[cat], "2026-07-01".parse()?)?;
    /// let csv = "企业名称,统一社会信用代码,职工人数,营业收入（万元）\n\
    ///            甲科技（杭州）有限公司,91330106MA2H000001,12,320\n\
    ///            乙公司,91330106MA2H000002,40,\n\
    ///            丙公司,91330106MA2H000003,5,900\n";
    /// s.import(csv.as_bytes(), None)?;
    /// s.set_mapping(&s.auto_map()?.to_json())?;
    /// s.start_run()?;
    /// while !s.step(1000)?.done {}
    /// // 丙公司 qualifies for nothing: it is on no push list, but it is here.
    /// let all = s.enterprises_page(&EnterpriseQuery::default())?;
    /// assert_eq!(all.total, 3);
    /// assert_eq!((all.rows[2].qualifies.len(), all.rows[2].undecided.len()), (0, 0));
    /// assert_eq!((&all.rows[1].qualifies, &all.rows[1].undecided), (&vec![1], &vec![0]));
    /// // Most policies first.
    /// let q = EnterpriseQuery { sort: "qualifies".into(), ..Default::default() };
    /// assert_eq!(s.enterprises_page(&q)?.rows[0].key.as_deref(), Some("甲科技（杭州）有限公司"));
    /// // By name, whatever the brackets' width, or by credit code, or row number.
    /// for needle in ["甲科技(杭州)", "ma2h000001", "2"] {
    ///     let q = EnterpriseQuery { filter: needle.into(), ..Default::default() };
    ///     let page = s.enterprises_page(&q)?;
    ///     assert_eq!((page.total, page.rows[0].line), (1, 2), "{needle}");
    /// }
    /// // As a caller says it: without the company form, brackets or spaces.
    /// let q = EnterpriseQuery { filter: "甲科技 杭州".into(), ..Default::default() };
    /// assert_eq!(s.enterprises_page(&q)?.total, 1);
    /// assert_eq!(all.code_column.as_deref(), Some("统一社会信用代码"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn enterprises_page(&self, q: &EnterpriseQuery) -> Result<EnterprisePage, BatchError> {
        let (t, r) = self.done()?;
        let search = Search::new(&q.filter);
        // The policies in force with verdict `v` for a row (indices).
        let in_force =
            |row: usize, v: Verdict| r.row_verdicts(row).iter().zip(&r.in_force).enumerate().filter(move |&(_, (&x, &f))| x == v && f).map(|(pi, _)| pi);
        let mut rows: Vec<usize> = (0..r.rows()).filter(|&row| search.matches(r, row)).collect();
        // The primary order (counts: most first), reversed by `desc`; ties always in source order.
        let most_first = |n: usize| if q.desc { n as i64 } else { -(n as i64) };
        match q.sort.as_str() {
            // By code point (not pinyin); rows without a name last either way.
            "name" => rows.sort_by(|&a, &b| none_last(r.key(a), r.key(b), q.desc).then(a.cmp(&b))),
            "qualifies" => rows.sort_by_cached_key(|&row| (most_first(in_force(row, Verdict::Qualifies).count()), row)),
            "undecided" => rows.sort_by_cached_key(|&row| (most_first(in_force(row, Verdict::Undecided).count()), row)),
            "problems" => rows.sort_by_cached_key(|&row| (most_first(r.row_issues.get(row).copied().unwrap_or(0) as usize), row)),
            // Largest first (smallest with `desc`), none last either way.
            "benefit" => rows.sort_by(|&a, &b| none_last(r.total(a), r.total(b), !q.desc).then(a.cmp(&b))),
            _ if q.desc => rows.reverse(),
            _ => {}
        }
        search.exact_first(r, &mut rows);
        let page = rows
            .iter()
            .skip(q.offset)
            .take(page_size(q.limit))
            .map(|&row| EnterpriseRow {
                row,
                line: r.line(row),
                key: r.key(row).map(str::to_string),
                code: r.code_column.map(|c| t.cell(row, c).trim().to_string()).filter(|s| !s.is_empty()),
                qualifies: in_force(row, Verdict::Qualifies).collect(),
                undecided: in_force(row, Verdict::Undecided).collect(),
                benefit: r.total(row).map(|b| b.normalize().to_string()),
                problems: r.row_issues.get(row).copied().unwrap_or(0),
            })
            .collect();
        let code_column = r.code_column.and_then(|c| t.headers.get(c)).cloned();
        Ok(EnterprisePage { total: rows.len(), offset: q.offset, code_column, rows: page })
    }

    /// One enterprise's full report, as the self-check shows it: its cells
    /// as imported and as read, its problems, the verdict, failed and
    /// undecided criteria, missing fields, near misses and benefit of every
    /// policy (the library's report), what to ask next, and every policy's
    /// explanation tree.
    ///
    /// # Errors
    /// [`BatchError::Limit`] before a mapping is set or for a row out of range.
    ///
    /// # Example
    /// ```
    /// # use policy_match::batch::session::{ExportKind, PushQuery, Session};
    /// # let cat = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    /// #   "fields": [{"name": "employees", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Employees"}},
    /// #              {"name": "revenue_cny", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "employees"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300 staff"}, "rule": {"<=": [{"var": "employees"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过500万元", "en": "Revenue ≤ ¥5m"}, "rule": {"<=": [{"var": "revenue_cny"}, 5000000]}}]}]}"#;
    /// # let mut s = Session::new(&[cat], "2026-07-01".parse()?)?;
    /// # let csv = "企业名称,职工人数,营业收入（万元）\n甲公司,12,320\n乙公司,40,\n丙公司,500,很多\n";
    /// # s.import(csv.as_bytes(), None)?;
    /// # s.set_mapping(&s.auto_map()?.to_json())?;
    /// # s.start_run()?;
    /// # while !s.step(1000)?.done {}
    /// let e = s.enterprise(2)?; // 丙公司
    /// assert_eq!((&e["line"], &e["key"]), (&4.into(), &"丙公司".into()));
    /// assert_eq!(e["values"], serde_json::json!({"id": "丙公司", "employees": 500})); // 很多 is read as not provided
    /// assert_eq!(e["report"]["results"][0]["failed"][0], "C1");
    /// assert_eq!(e["explanations"][0]["criteria"][0]["outcome"], "false");
    /// // For people: values with their units, criteria in words.
    /// assert_eq!(e["values_text"]["zh"]["employees"], "500人");
    /// let c1 = &e["worded"]["zh"][0]["criteria"][0];
    /// assert_eq!((&c1["mark"], &c1["rows"][0]["actual"], &c1["rows"][0]["required"]), (&"not-met".into(), &"500人".into(), &"≤ 300人".into()));
    /// assert!(s.enterprise(3).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn enterprise(&self, row: usize) -> Result<Json, BatchError> {
        let t = self.table.as_ref().ok_or_else(|| state("imported file"))?;
        let res = self.resolved.as_ref().ok_or_else(|| state("mapping"))?;
        if row >= t.len() {
            return Err(BatchError::Limit(format!("no data row {row}")));
        }
        let mut profile = Profile::empty(&self.cat);
        let mut issues: Vec<CellIssue> = t.row_problems.iter().filter(|p| p.row == t.line(row)).filter_map(|p| res.import_issue(p)).collect();
        RowReader::new(&self.cat, t, res).read(row, &mut profile, &mut issues);
        let mut m = Matcher::new(&self.cat, self.as_of);
        let e = m.evaluate(&profile);
        let report = e.report(json!(t.line(row)));
        let explanations: Vec<_> = (0..self.cat.policies.len() as u32).filter_map(|i| e.explain(i)).collect();
        let cells: Vec<Json> = t
            .headers
            .iter()
            .enumerate()
            .map(|(c, h)| json!({"column": h, "raw": t.cell(row, c), "field": res.columns.get(c).and_then(|x| x.as_ref()).map(|x| x.field.clone())}))
            .collect();
        // For people, in each language: values with option labels and units, and each
        // criterion as the widget words it (what was tested, the value, the requirement).
        let cat = &self.cat;
        let values_text = |lang: Lang| -> Json {
            let m: serde_json::Map<String, Json> = cat
                .fields
                .iter()
                .zip(&profile.values)
                .filter(|(_, v)| v.is_provided())
                .map(|(f, v)| (f.name().to_string(), Json::String(crate::ui::format::value(v, Some(&f.def), None, lang))))
                .collect();
            Json::Object(m)
        };
        let worded = |lang: Lang| -> Json {
            let labels = |slots: &[u32]| -> Vec<String> {
                slots.iter().filter_map(|&f| cat.fields.get(f as usize)).map(|f| lang.pick(&f.def.label).to_string()).collect()
            };
            let policies = explanations.iter().map(|x| {
                let criteria = x.criteria.iter().map(|c| {
                    let v = crate::ui::view::criterion_view(cat, c, lang);
                    let rows = v
                        .rows
                        .iter()
                        .map(|r| json!({"depth": r.depth, "mark": r.mark.map(|m| m.class()), "label": r.label, "actual": r.actual, "required": r.required}));
                    json!({"id": v.id, "mark": v.mark.class(), "description": v.description, "note": v.note,
                           "rows": rows.collect::<Vec<_>>(), "near": v.near, "missing": labels(&v.missing)})
                });
                json!({"policy": x.policy, "criteria": criteria.collect::<Vec<_>>()})
            });
            Json::Array(policies.collect())
        };
        Ok(json!({
            "row": row, "line": t.line(row),
            "key": res.key.map(|k| t.cell(row, k).trim_matches(|c: char| c.is_whitespace() || crate::batch::validate::is_zero_width(c)).to_string()).filter(|s| !s.is_empty()),
            "cells": cells, "values": profile.to_json(cat), "issues": issues,
            "values_text": {"zh": values_text(Lang::Zh), "en": values_text(Lang::En)},
            "report": report, "explanations": explanations,
            "worded": {"zh": worded(Lang::Zh), "en": worded(Lang::En)},
            "as_of": self.as_of,
        }))
    }

    /// An export of the completed run, in `lang` (`zh` or `en`);
    /// `policy` (index) for push lists, with `query` the enterprises on it
    /// as the page filters and sorts them (its paging aside), without all
    /// of them in push order.
    ///
    /// # Errors
    /// [`BatchError::Limit`] before a run completes; [`BatchError::Export`]
    /// for a missing or unknown policy or a write failure.
    ///
    /// # Example
    /// ```
    /// # use policy_match::batch::session::{ExportKind, PushQuery, Session};
    /// # let cat = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    /// #   "fields": [{"name": "employees", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Employees"}},
    /// #              {"name": "revenue_cny", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "局", "en": "Bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "employees"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300 staff"}, "rule": {"<=": [{"var": "employees"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过500万元", "en": "Revenue ≤ ¥5m"}, "rule": {"<=": [{"var": "revenue_cny"}, 5000000]}}]}]}"#;
    /// # let mut s = Session::new(&[cat], "2026-07-01".parse()?)?;
    /// # let csv = "企业名称,职工人数,营业收入（万元）\n甲公司,12,320\n乙公司,40,\n丙公司,500,很多\n";
    /// # s.import(csv.as_bytes(), None)?;
    /// # s.set_mapping(&s.auto_map()?.to_json())?;
    /// # s.start_run()?;
    /// # while !s.step(1000)?.done {}
    /// let f = s.export(ExportKind::PushCsv, Some(0), None, "zh")?;
    /// assert_eq!((f.name.as_str(), f.mime), ("push-01-small.csv", "text/csv;charset=utf-8"));
    /// let text = String::from_utf8(f.bytes)?;
    /// assert!(text.contains("甲公司") && text.contains("乙公司"));
    /// // The list as the page shows it, filtered.
    /// let q = PushQuery { filter: "乙".into(), ..Default::default() };
    /// let text = String::from_utf8(s.export(ExportKind::PushCsv, Some(0), Some(&q), "zh")?.bytes)?;
    /// assert!(!text.contains("甲公司") && text.contains("乙公司"));
    /// assert_eq!(s.export(ExportKind::PushXlsx, None, None, "en").unwrap_err().to_string(), "export: which policy's push list?");
    /// assert_eq!(s.export(ExportKind::AllXlsx, None, None, "en")?.name, "results-with-push-lists.xlsx");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn export(&self, kind: ExportKind, policy: Option<usize>, query: Option<&PushQuery>, lang: &str) -> Result<ExportFile, BatchError> {
        let (t, r) = self.done()?;
        let opts = ExportOptions { lang: Lang::from_tag(lang), bom: true };
        let cat = &self.cat;
        // A push list's policy and rows: as the page shows them with `query`, else all in push order.
        let list = || {
            let p = policy.filter(|&p| p < cat.policies.len()).ok_or_else(|| BatchError::Export("which policy's push list?".into()))?;
            let rows = match query {
                Some(q) => self.push_rows(p, q)?,
                None => r.push_rows(p),
            };
            Ok::<_, BatchError>((p, rows))
        };
        const CSV: &str = "text/csv;charset=utf-8";
        const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        let mut bytes = Vec::new();
        let (name, mime) = match kind {
            ExportKind::PushCsv => {
                let (p, rows) = list()?;
                export::push_list_csv_of(cat, t, r, p, &rows, &opts, &mut bytes)?;
                (format!("push-{}.csv", export::push_file_stem(cat, p)), CSV)
            }
            ExportKind::PushXlsx => {
                let (p, rows) = list()?;
                bytes = export::push_list_xlsx_of(cat, t, r, p, &rows, &opts)?;
                (format!("push-{}.xlsx", export::push_file_stem(cat, p)), XLSX)
            }
            ExportKind::MatrixCsv => {
                export::matrix_csv(cat, t, r, &opts, &mut bytes)?;
                ("matrix.csv".to_string(), CSV)
            }
            ExportKind::SummaryCsv => {
                export::summary_csv(cat, r, &opts, &mut bytes)?;
                ("summary.csv".to_string(), CSV)
            }
            ExportKind::ProblemsCsv => {
                export::issues_csv(r, &opts, &mut bytes)?;
                ("problems.csv".to_string(), CSV)
            }
            ExportKind::ResultsXlsx => {
                bytes = export::results_xlsx(cat, t, r, &opts, false)?;
                ("results.xlsx".to_string(), XLSX)
            }
            ExportKind::AllXlsx => {
                bytes = export::results_xlsx(cat, t, r, &opts, true)?;
                ("results-with-push-lists.xlsx".to_string(), XLSX)
            }
        };
        Ok(ExportFile { name, mime, bytes })
    }
}
