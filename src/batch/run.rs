//! Run a batch: every enterprise × every policy, then summaries and push lists.
//!
//! Verdicts come from [`Matcher::verdicts`] (the untraced fast path). For a
//! row with an undecided policy, or a qualifying policy that has a benefit
//! formula, the traced [`Matcher::evaluate`] adds the details: the
//! undecided criteria, the missing fields to ask for, the benefit estimate.
//! When most rows so far needed details, rows go straight to the traced
//! evaluation (its verdicts are the same), saving the first pass.
//! Rows are read one at a time into one reused profile, so memory grows
//! with the verdicts and details only.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::import::Table;
use super::mapping::Resolved;
use super::validate::{is_zero_width, loose_name, shorten, spelling_key, CellIssue, RowReader};
use crate::catalogue::Catalogue;
use crate::matching::{estimated_total, Matcher, Profile, Verdict};
use crate::rules::{Date, Tri};
use crate::Text;

/// Options for [`run`].
#[derive(Clone, Debug)]
pub struct BatchOptions {
    /// The assessment date.
    pub as_of: Date,
    /// Near-miss tolerance (see [`Matcher::with_tolerance`]); the default when `None`.
    pub tolerance: Option<Decimal>,
    /// Compute details (reasons, missing fields, benefit) for qualifying and
    /// undecided pairs. Without them push lists have no reasons, and the
    /// run takes only the fast path.
    pub details: bool,
}

impl BatchOptions {
    /// Options with details, the default tolerance, as of `as_of`.
    ///
    /// # Example
    /// ```
    /// use policy_match::batch::BatchOptions;
    /// let opts = BatchOptions::new("2026-07-01".parse().unwrap());
    /// assert!(opts.details && opts.tolerance.is_none());
    /// let fast = BatchOptions { details: false, ..opts }; // verdicts only: push lists without reasons
    /// assert!(!fast.details);
    /// ```
    pub fn new(as_of: Date) -> BatchOptions {
        BatchOptions { as_of, tolerance: None, details: true }
    }
}

/// The details of one qualifying or undecided (enterprise, policy) pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Detail<'r> {
    /// Slots of the missing fields that keep it undecided (ask for these).
    pub missing: &'r [u32],
    /// Indices of the undecided criteria.
    pub undecided: &'r [u16],
    /// The benefit estimate in CNY, where the policy has a formula and the
    /// fields it needs are provided.
    pub benefit: Option<Decimal>,
}

#[derive(Clone, Debug)]
struct DetailRec {
    missing: (u32, u16),
    undecided: (u32, u16),
    benefit: Option<Decimal>,
}

/// The outcome of a batch run.
#[derive(Clone, Debug)]
pub struct BatchResult {
    /// Policy ids, in catalogue order (the policy index of every other method).
    pub policies: Vec<String>,
    /// Whether each policy is in force on the as-of date.
    pub in_force: Vec<bool>,
    /// The as-of date.
    pub as_of: Date,
    /// Data rows read (blank rows excluded).
    pub rows_read: usize,
    /// Rows with at least one problem (a bad cell or a shape problem).
    pub rows_with_problems: usize,
    /// Rows evaluated: every row read (a row with problems is evaluated
    /// with its bad cells as not provided).
    pub rows_evaluated: usize,
    /// Blank rows skipped.
    pub blank_rows: usize,
    /// Every problem, in row order.
    pub issues: Vec<CellIssue>,
    /// Problems per row.
    pub row_issues: Vec<u32>,
    /// The key column (enterprise names), if any.
    pub key_column: Option<usize>,
    /// Enterprise names from the key column (empty when there is none).
    pub keys: Vec<String>,
    /// Whether details were computed.
    pub has_details: bool,
    lines: Vec<u32>,
    /// Per row: the estimated total of the qualifying policies in force
    /// ([`crate::matching::estimated_total`]).
    totals: Vec<Option<Decimal>>,
    /// What a search compares, per row, read once: names as
    /// [`spelling_key`] and [`loose_name`] give them, and the credit codes
    /// (of `code_column`, a column other than the key column).
    pub(crate) names: Vec<String>,
    pub(crate) loose_names: Vec<String>,
    pub(crate) codes: Vec<String>,
    pub(crate) code_column: Option<usize>,
    verdicts: Vec<Verdict>,
    detail_index: Vec<u32>,
    details: Vec<DetailRec>,
    slots: Vec<u32>,
    criteria: Vec<u16>,
    field_names: Vec<String>,
}

/// Counts for one policy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PolicySummary {
    /// Policy id.
    pub policy: String,
    /// Title.
    pub title: Text,
    /// In force on the as-of date.
    pub in_force: bool,
    /// Enterprises that qualify.
    pub qualifies: usize,
    /// Enterprises that might: fields are missing.
    pub undecided: usize,
    /// Enterprises that do not qualify.
    pub does_not_qualify: usize,
    /// The fields undecided enterprises most often lack: (field, how many lack it), at most five.
    pub most_missing: Vec<(String, usize)>,
}

/// The batch summary: rows and per-policy counts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Data rows read.
    pub rows_read: usize,
    /// Rows with at least one problem.
    pub rows_with_problems: usize,
    /// Rows evaluated.
    pub rows_evaluated: usize,
    /// Blank rows skipped.
    pub blank_rows: usize,
    /// Problems listed.
    pub issues: usize,
    /// Problems by column, most first (`column` empty for problems of a
    /// whole row): where the source file needs correcting.
    pub issue_columns: Vec<ColumnIssues>,
    /// One entry per policy, in catalogue order.
    pub policies: Vec<PolicySummary>,
}

/// How many problems one column has (see [`Summary::issue_columns`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ColumnIssues {
    /// The column's header (empty: problems of a whole row).
    pub column: String,
    /// Problems listed in it.
    pub count: usize,
}

/// One enterprise on a push list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PushEntry {
    /// The 0-based data row.
    pub row: usize,
    /// The 1-based source row.
    pub line: u32,
    /// The enterprise's name (key column), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// `qualifies` or `undecided`.
    pub verdict: Verdict,
    /// Undecided: the fields to ask for.
    pub missing_fields: Vec<String>,
    /// Undecided: the undecided criteria's ids.
    pub undecided: Vec<String>,
    /// The benefit estimate in CNY, when known.
    #[serde(serialize_with = "ser_opt_dec")]
    pub benefit: Option<Decimal>,
}

fn ser_opt_dec<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => crate::rules::serialize_decimal(d, s),
        None => s.serialize_none(),
    }
}

/// Run a batch (see the module documentation).
///
/// Cell problems never stop a run: they are listed in
/// [`BatchResult::issues`] and the cell counts as not provided.
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
/// # use policy_match::matching::Verdict;
/// // 甲公司 12 staff, ¥3.2m; 乙公司 40 staff, revenue blank; 丙公司 500 staff.
/// assert_eq!(result.rows_read, 3);
/// assert_eq!((0..3).map(|row| result.verdict(row, 0)).collect::<Vec<_>>(),
///            [Verdict::Qualifies, Verdict::Undecided, Verdict::DoesNotQualify]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn run(cat: &Catalogue, table: &Table, resolved: &Resolved, opts: &BatchOptions) -> BatchResult {
    run_with_progress(cat, table, resolved, opts, &mut |_, _| {})
}

/// [`run`], calling `progress(rows done, rows in all)` every 1,000 rows and
/// at the end (for a progress bar).
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
/// let mut calls = Vec::new();
/// let r = batch::run_with_progress(&cat, &table, &resolved, &BatchOptions::new("2026-07-01".parse()?), &mut |done, all| calls.push((done, all)));
/// assert_eq!(calls.last(), Some(&(3, 3)));
/// assert_eq!(r.summary(&cat).policies[0].qualifies, result.summary(&cat).policies[0].qualifies);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn run_with_progress(cat: &Catalogue, table: &Table, resolved: &Resolved, opts: &BatchOptions, progress: &mut dyn FnMut(usize, usize)) -> BatchResult {
    let mut runner = Runner::new(cat, table, resolved, opts);
    while !runner.is_done() {
        runner.step(cat, table, resolved, 1000);
        if runner.rows_done() % 1000 == 0 {
            progress(runner.rows_done(), table.len());
        }
    }
    progress(table.len(), table.len());
    runner.finish()
}

/// A batch run that goes a chunk of rows at a time, so that a Web Worker
/// can post progress and read a cancel message between chunks.
///
/// Every [`Runner::step`] must be given the catalogue, table and resolved
/// mapping the runner was made with. The result is the same as [`run`]'s.
///
/// # Example
/// ```
/// # use policy_match::batch::{self, BatchOptions, Runner};
/// # use policy_match::catalogue::Catalogue;
/// # let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1",
/// #   "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
/// #   "fields": [{"name": "employees", "type": "integer", "label": {"zh": "职工人数", "en": "Employees"}}],
/// #   "policies": [{"id": "p", "title": {"zh": "p", "en": "p"}, "issuer": {"zh": "局", "en": "Bureau"},
/// #     "category": "tax", "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "≤ 300"},
/// #     "rule": {"<=": [{"var": "employees"}, 300]}}]}]}"#)?;
/// let table = batch::import("职工人数\n10\n500\n\n".as_bytes(), &Default::default())?;
/// let resolved = batch::auto_map(&cat, &table.headers).resolve(&cat, &table)?;
/// let opts = BatchOptions::new("2026-07-01".parse()?);
/// let mut runner = Runner::new(&cat, &table, &resolved, &opts);
/// while !runner.is_done() {
///     runner.step(&cat, &table, &resolved, 1); // one row at a time
/// }
/// let result = runner.finish();
/// assert_eq!(result.summary(&cat).policies[0].qualifies, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Runner {
    r: BatchResult,
    /// Per row: the line of an earlier row with the same name (see [`same_name_as`]).
    same_name_as: Vec<Option<u32>>,
    /// The credit-code column (`统一社会信用代码`) other than the key column,
    /// and per row the line of an earlier row with the same code.
    same_code_as: Option<(usize, Vec<Option<u32>>)>,
    opts: BatchOptions,
    has_amount: Vec<bool>,
    row: usize,
    shape: usize,
    needing: usize,
    direct: bool,
}

impl Runner {
    /// A run of `table` under `resolved` against `cat`, with nothing done yet.
    pub fn new(cat: &Catalogue, table: &Table, resolved: &Resolved, opts: &BatchOptions) -> Runner {
        let n = table.len();
        let np = cat.policies.len();
        let mut r = BatchResult {
            policies: cat.policies.iter().map(|p| p.id.clone()).collect(),
            in_force: cat.policies.iter().map(|p| p.in_force(opts.as_of)).collect(),
            as_of: opts.as_of,
            rows_read: n,
            rows_with_problems: 0,
            rows_evaluated: 0,
            blank_rows: table.blank_rows,
            issues: Vec::new(),
            row_issues: vec![0; n],
            key_column: resolved.key,
            keys: match resolved.key {
                Some(k) => (0..n).map(|i| table.cell(i, k).trim_matches(|c: char| c.is_whitespace() || is_zero_width(c)).to_string()).collect(),
                None => Vec::new(),
            },
            has_details: opts.details,
            lines: (0..n).map(|i| table.line(i)).collect(),
            totals: Vec::with_capacity(if opts.details { n } else { 0 }),
            names: Vec::new(),
            loose_names: Vec::new(),
            codes: Vec::new(),
            code_column: None,
            verdicts: Vec::with_capacity(n * np),
            detail_index: if opts.details { Vec::with_capacity(n * np) } else { Vec::new() },
            details: Vec::new(),
            slots: Vec::new(),
            criteria: Vec::new(),
            field_names: cat.fields.iter().map(|f| f.name().to_string()).collect(),
        };
        r.names = r.keys.iter().map(|k| spelling_key(k)).collect();
        r.loose_names = r.keys.iter().map(|k| loose_name(k)).collect();
        let same_names = same_name_as(&r.names, &r.lines);
        r.code_column = code_column(table).filter(|c| Some(*c) != resolved.key);
        let same_code_as = r.code_column.map(|c| {
            r.codes = (0..n).map(|i| spelling_key(table.cell(i, c))).collect();
            (c, same_name_as(&r.codes, &r.lines))
        });
        Runner {
            r,
            opts: opts.clone(),
            has_amount: cat.policies.iter().map(|p| p.amount.is_some()).collect(),
            row: 0,
            shape: 0,
            needing: 0,
            direct: false,
            same_name_as: same_names,
            same_code_as,
        }
    }

    /// Rows evaluated so far.
    pub fn rows_done(&self) -> usize {
        self.row
    }

    /// Whether every row has been evaluated.
    pub fn is_done(&self) -> bool {
        self.row >= self.r.rows_read
    }

    /// Problems found so far.
    pub fn issues_so_far(&self) -> usize {
        self.r.issues.len()
    }

    /// Evaluate up to `max_rows` more rows (at least one, unless done);
    /// returns how many were evaluated.
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
    /// # use policy_match::batch::Runner;
    /// let opts = BatchOptions::new("2026-07-01".parse()?);
    /// let mut runner = Runner::new(&cat, &table, &resolved, &opts);
    /// assert_eq!(runner.step(&cat, &table, &resolved, 2), 2);
    /// assert_eq!((runner.rows_done(), runner.is_done()), (2, false));
    /// assert_eq!(runner.step(&cat, &table, &resolved, 1000), 1); // only one row left
    /// assert!(runner.is_done());
    /// assert_eq!(runner.finish().row_verdicts(2), result.row_verdicts(2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn step(&mut self, cat: &Catalogue, table: &Table, resolved: &Resolved, max_rows: usize) -> usize {
        let n = self.r.rows_read.min(table.len());
        let end = n.min(self.row.saturating_add(max_rows.max(1)));
        if self.row >= end {
            return 0;
        }
        let start = self.row;
        let opts = &self.opts;
        let np = cat.policies.len();
        let mut m = Matcher::new(cat, opts.as_of);
        if let Some(t) = opts.tolerance {
            m = m.with_tolerance(t);
        }
        let reader = RowReader::new(cat, table, resolved);
        let mut profile = Profile::empty(cat);
        for row in start..end {
            let mut count = self.row_problems(table, resolved, row);
            count += reader.read(row, &mut profile, &mut self.r.issues);
            self.r.row_issues[row] = u32::try_from(count).unwrap_or(u32::MAX);
            if count > 0 {
                self.r.rows_with_problems += 1;
            }
            let wants_detail = self.evaluate_row(cat, &mut m, &profile, row, np);
            self.needing += usize::from(wants_detail);
            self.direct = row >= 32 && self.needing * 2 > row + 1;
            self.r.rows_evaluated += 1;
        }
        self.row = end;
        end - start
    }

    /// The problems of row `row` that are not in its cells: the shape
    /// problems the import noted on its line, a missing or repeated
    /// enterprise name, a repeated credit code. Returns how many.
    fn row_problems(&mut self, table: &Table, resolved: &Resolved, row: usize) -> usize {
        let r = &mut self.r;
        let line = table.line(row);
        let mut count = 0usize;
        while let Some(p) = table.row_problems.get(self.shape).filter(|p| p.row <= line) {
            self.shape += 1;
            if let Some(issue) = resolved.import_issue(p) {
                r.issues.push(issue);
                count += 1;
            }
        }
        if let Some(k) = resolved.key {
            let name = r.keys.get(row).map_or("", String::as_str);
            let column = table.headers.get(k).cloned().unwrap_or_default();
            let issue = if name.is_empty() {
                Some(CellIssue {
                    kind: "missing-name",
                    row: line,
                    column,
                    field: None,
                    raw: shorten(name),
                    message: "no enterprise name: the push lists name this row by its row number".to_string(),
                    message_zh: "缺少企业名称：推送名单中以行号代替".to_string(),
                })
            } else {
                self.same_name_as.get(row).copied().flatten().map(|first| duplicate_issue("duplicate-name", line, column, name, first))
            };
            if let Some(issue) = issue {
                r.issues.push(issue);
                count += 1;
            }
        }
        // The same credit code as an earlier row (not already told as the same name of that row).
        if let Some((c, same)) = &self.same_code_as {
            let first = same.get(row).copied().flatten().filter(|f| self.same_name_as.get(row).copied().flatten() != Some(*f));
            if let Some(first) = first {
                let column = table.headers.get(*c).cloned().unwrap_or_default();
                r.issues.push(duplicate_issue("duplicate-code", line, column, table.cell(row, *c).trim(), first));
                count += 1;
            }
        }
        count
    }

    /// The verdicts of row `row` (its `profile`), and the details of the
    /// results that need them (undecided ones, and qualifying ones with a
    /// benefit formula). Returns whether any result needed details.
    ///
    /// The fast path gives verdicts only; a row that needs details is
    /// evaluated again with tracing. When most rows need details (sparse
    /// spreadsheets leave many policies undecided), rows go straight to the
    /// traced evaluation, which gives the verdicts too.
    fn evaluate_row(&mut self, cat: &Catalogue, m: &mut Matcher<'_>, profile: &Profile, row: usize, np: usize) -> bool {
        let (r, has_amount, details) = (&mut self.r, &self.has_amount, self.opts.details);
        if details && self.direct {
            let e = m.evaluate(profile);
            r.totals.push(estimated_total(cat, &e.results));
            let wants = e.results.iter().any(|res| res.verdict == Verdict::Undecided || (res.verdict == Verdict::Qualifies && has_amount[res.policy as usize]));
            for res in &e.results {
                r.verdicts.push(res.verdict);
                if !wants || res.verdict == Verdict::DoesNotQualify {
                    r.detail_index.push(if res.verdict == Verdict::Qualifies { QUALIFIES_NO_DETAIL } else { NO_DETAIL });
                } else {
                    r.store_detail(res);
                }
            }
            return wants;
        }
        let verdicts = m.verdicts(profile);
        let mut wants = false;
        for (pi, t) in verdicts.iter().enumerate() {
            wants |= *t == Tri::Unknown || (*t == Tri::True && has_amount[pi]);
            r.verdicts.push(Verdict::from(*t));
        }
        if !details {
            return wants;
        }
        if wants {
            let e = m.evaluate(profile);
            r.totals.push(estimated_total(cat, &e.results));
            for res in &e.results {
                if res.verdict == Verdict::DoesNotQualify {
                    r.detail_index.push(NO_DETAIL);
                } else {
                    r.store_detail(res);
                }
            }
        } else {
            // No amount to add up: qualifying pairs without a benefit formula need no details.
            r.totals.push(None);
            for v in &r.verdicts[row * np..] {
                r.detail_index.push(if *v == Verdict::Qualifies { QUALIFIES_NO_DETAIL } else { NO_DETAIL });
            }
        }
        wants
    }

    /// The result. Call it once [`Runner::is_done`]: before, it has verdicts
    /// for the rows evaluated so far only.
    pub fn finish(self) -> BatchResult {
        self.r
    }
}

/// A row (source line `line`) whose `column` says the same as row `first`'s
/// (the name or the credit code): both rows are matched, and the message
/// asks to check for a duplicate before notifying.
fn duplicate_issue(kind: &'static str, line: u32, column: String, raw: &str, first: u32) -> CellIssue {
    CellIssue {
        kind,
        row: line,
        message: format!("the same `{column}` as row {first}: both rows are matched; check for a duplicate before notifying"),
        message_zh: format!("与第 {first} 行的“{column}”相同：两行都参与匹配，通知前请核对是否重复"),
        raw: shorten(raw),
        column,
        field: None,
    }
}

/// `detail_index` entries: does not qualify; qualifies with nothing to add.
const NO_DETAIL: u32 = u32::MAX;
const QUALIFIES_NO_DETAIL: u32 = u32::MAX - 1;

impl BatchResult {
    fn store_detail(&mut self, res: &crate::matching::PolicyResult) {
        self.detail_index.push(u32::try_from(self.details.len()).unwrap_or(NO_DETAIL));
        let ms = u32::try_from(self.slots.len()).unwrap_or(u32::MAX);
        self.slots.extend_from_slice(&res.missing);
        let cs = u32::try_from(self.criteria.len()).unwrap_or(u32::MAX);
        self.criteria.extend_from_slice(&res.undecided);
        self.details.push(DetailRec {
            missing: (ms, u16::try_from(res.missing.len()).unwrap_or(u16::MAX)),
            undecided: (cs, u16::try_from(res.undecided.len()).unwrap_or(u16::MAX)),
            benefit: res.benefit.as_ref().and_then(|b| b.amount),
        });
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows_read
    }

    /// The verdict of a row (0-based) for a policy (index).
    pub fn verdict(&self, row: usize, policy: usize) -> Verdict {
        self.verdicts.get(row * self.policies.len() + policy).copied().unwrap_or(Verdict::Undecided)
    }

    /// The verdicts of a row, by policy index.
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
    /// # use policy_match::matching::Verdict;
    /// assert_eq!(result.row_verdicts(1), [Verdict::Undecided]); // one entry per policy
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn row_verdicts(&self, row: usize) -> &[Verdict] {
        let np = self.policies.len();
        self.verdicts.get(row * np..(row + 1) * np).unwrap_or(&[])
    }

    /// The details of a qualifying or undecided pair (`None` for does not
    /// qualify, or when the run had no details).
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
    /// let d = result.detail(1, 0).unwrap(); // 乙公司: revenue blank
    /// assert_eq!(d.missing, [cat.field_slot("revenue_cny").unwrap()]);
    /// assert_eq!(d.benefit, Some(40_000.into())); // 40 staff × ¥1,000, if it qualifies
    /// assert!(result.detail(2, 0).is_none()); // 丙公司 does not qualify
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn detail(&self, row: usize, policy: usize) -> Option<Detail<'_>> {
        let i = *self.detail_index.get(row * self.policies.len() + policy)?;
        if i == QUALIFIES_NO_DETAIL {
            return Some(Detail { missing: &[], undecided: &[], benefit: None });
        }
        let d = self.details.get(i as usize)?;
        let slice = |(s, l): (u32, u16)| (s as usize)..(s as usize + l as usize);
        Some(Detail {
            missing: self.slots.get(slice(d.missing)).unwrap_or(&[]),
            undecided: self.criteria.get(slice(d.undecided)).unwrap_or(&[]),
            benefit: d.benefit,
        })
    }

    /// The 1-based source row of a 0-based data row.
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
    /// assert_eq!(result.line(0), 2); // the header is line 1
    /// assert_eq!(result.key(0), Some("甲公司"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn line(&self, row: usize) -> u32 {
        self.lines.get(row).copied().unwrap_or(0)
    }

    /// The estimated total of a row's qualifying policies in force: each
    /// amount once, of two that cannot be combined only the larger (as the
    /// self-check's 预计可享受); `None` when none has an amount, or when the
    /// run had no details.
    pub fn total(&self, row: usize) -> Option<Decimal> {
        self.totals.get(row).copied().flatten()
    }

    /// The enterprise name of a row, if there is a key column.
    pub fn key(&self, row: usize) -> Option<&str> {
        self.keys.get(row).map(String::as_str).filter(|s| !s.is_empty())
    }

    /// The summary: row counts and, per policy, the counts of each verdict
    /// and the fields undecided enterprises most often lack.
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
    /// let s = result.summary(&cat);
    /// assert_eq!((s.rows_read, s.rows_with_problems), (3, 0));
    /// let p = &s.policies[0];
    /// assert_eq!((p.policy.as_str(), p.qualifies, p.undecided, p.does_not_qualify), ("small", 1, 1, 1));
    /// assert_eq!(p.most_missing, [("revenue_cny".to_string(), 1)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn summary(&self, cat: &Catalogue) -> Summary {
        let np = self.policies.len();
        let mut policies: Vec<PolicySummary> = cat
            .policies
            .iter()
            .enumerate()
            .map(|(pi, p)| PolicySummary {
                policy: p.id.clone(),
                title: p.title.clone(),
                in_force: self.in_force[pi],
                qualifies: 0,
                undecided: 0,
                does_not_qualify: 0,
                most_missing: Vec::new(),
            })
            .collect();
        let mut lacking: Vec<Vec<usize>> = vec![vec![0; self.field_names.len()]; np];
        for row in 0..self.rows_read {
            for (pi, v) in self.row_verdicts(row).iter().enumerate() {
                let s = &mut policies[pi];
                match v {
                    Verdict::Qualifies => s.qualifies += 1,
                    Verdict::DoesNotQualify => s.does_not_qualify += 1,
                    Verdict::Undecided => {
                        s.undecided += 1;
                        if let Some(d) = self.detail(row, pi) {
                            for &f in d.missing {
                                if let Some(c) = lacking[pi].get_mut(f as usize) {
                                    *c += 1;
                                }
                            }
                        }
                    }
                }
            }
        }
        for (pi, s) in policies.iter_mut().enumerate() {
            let mut fields: Vec<(usize, usize)> = lacking[pi].iter().copied().enumerate().filter(|(_, c)| *c > 0).collect();
            fields.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            s.most_missing = fields.into_iter().take(5).map(|(f, c)| (self.field_names[f].clone(), c)).collect();
        }
        Summary {
            rows_read: self.rows_read,
            rows_with_problems: self.rows_with_problems,
            rows_evaluated: self.rows_evaluated,
            blank_rows: self.blank_rows,
            issues: self.issues.len(),
            issue_columns: self.issue_columns(),
            policies,
        }
    }

    /// Problems by column, most first, then in the order the columns
    /// first have one.
    fn issue_columns(&self) -> Vec<ColumnIssues> {
        let mut by: Vec<ColumnIssues> = Vec::new();
        let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for i in &self.issues {
            let n = *at.entry(&i.column).or_insert_with(|| {
                by.push(ColumnIssues { column: i.column.clone(), count: 0 });
                by.len() - 1
            });
            by[n].count += 1;
        }
        by.sort_by_key(|c| std::cmp::Reverse(c.count)); // stable: ties keep their order
        by
    }

    /// The rows of a policy's push list, in order: qualifying enterprises in
    /// file order, then undecided ones by how few fields they lack (the
    /// quickest to settle first), then file order.
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
    /// assert_eq!(result.push_rows(0), [0, 1]); // 甲公司 qualifies, then 乙公司 (undecided)
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn push_rows(&self, policy: usize) -> Vec<usize> {
        let mut q = Vec::new();
        let mut u: Vec<(usize, usize)> = Vec::new();
        for row in 0..self.rows_read {
            match self.verdict(row, policy) {
                Verdict::Qualifies => q.push(row),
                Verdict::Undecided => u.push((self.detail(row, policy).map_or(0, |d| d.missing.len()), row)),
                Verdict::DoesNotQualify => {}
            }
        }
        u.sort_unstable();
        q.extend(u.into_iter().map(|(_, r)| r));
        q
    }

    /// A policy's push list (see [`BatchResult::push_rows`] for the order),
    /// with each enterprise's missing fields and undecided criteria.
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
    /// # use policy_match::matching::Verdict;
    /// let list = result.push_list(&cat, 0);
    /// assert_eq!((list[0].key.as_deref(), list[0].verdict, list[0].benefit), (Some("甲公司"), Verdict::Qualifies, Some(12_000.into())));
    /// assert_eq!((list[1].line, list[1].verdict), (3, Verdict::Undecided));
    /// assert_eq!((list[1].missing_fields.as_slice(), list[1].undecided.as_slice()), (&["revenue_cny".to_string()][..], &["C2".to_string()][..]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn push_list(&self, cat: &Catalogue, policy: usize) -> Vec<PushEntry> {
        self.push_rows(policy).into_iter().map(|row| self.push_entry(cat, row, policy)).collect()
    }

    /// One enterprise of a policy's push list (also the rows of the admin
    /// page's push-list pages): the names of its missing fields and the ids
    /// of its undecided criteria.
    pub(crate) fn push_entry(&self, cat: &Catalogue, row: usize, policy: usize) -> PushEntry {
        let p = &cat.policies[policy];
        let d = self.detail(row, policy);
        PushEntry {
            row,
            line: self.line(row),
            key: self.key(row).map(str::to_string),
            verdict: self.verdict(row, policy),
            missing_fields: d.map(|d| d.missing.iter().map(|&f| self.field_names[f as usize].clone()).collect()).unwrap_or_default(),
            undecided: d.map(|d| d.undecided.iter().filter_map(|&c| p.criteria.get(c as usize)).map(|c| c.id.clone()).collect()).unwrap_or_default(),
            benefit: d.and_then(|d| d.benefit),
        }
    }

    /// A policy's index by id.
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
    /// assert_eq!(result.policy_index("small"), Some(0));
    /// assert_eq!(result.policy_index("large"), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn policy_index(&self, id: &str) -> Option<usize> {
        self.policies.iter().position(|p| p == id)
    }
}

/// The column holding unified social credit codes (`统一社会信用代码`,
/// `社会信用代码`, `信用代码`, `纳税人识别号`; also under a group label).
fn code_column(table: &Table) -> Option<usize> {
    table.headers.iter().position(|h| {
        let lower: String = h.rsplit('/').next().unwrap_or(h).chars().filter(|c| !c.is_whitespace()).collect();
        let lower = lower.trim_end_matches([')', '）']).split(['(', '（']).next().unwrap_or("");
        matches!(lower, "统一社会信用代码" | "社会信用代码" | "信用代码" | "纳税人识别号")
    })
}

/// For each row, the line of the first earlier row with the same non-empty
/// name (`None` for the first row of a name, and for rows with no name).
fn same_name_as(keys: &[String], lines: &[u32]) -> Vec<Option<u32>> {
    use std::collections::hash_map::Entry;
    let mut first: rustc_hash::FxHashMap<&str, u32> = rustc_hash::FxHashMap::default();
    keys.iter()
        .zip(lines)
        .map(|(k, &line)| {
            if k.is_empty() {
                return None;
            }
            match first.entry(k.as_str()) {
                Entry::Occupied(e) => Some(*e.get()),
                Entry::Vacant(e) => {
                    e.insert(line);
                    None
                }
            }
        })
        .collect()
}
