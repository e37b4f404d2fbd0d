//! Column mapping: which spreadsheet column holds which catalogue field, in
//! which unit.
//!
//! [`auto_map`] proposes a mapping from the headers; the user confirms or
//! fixes it; it is saved as JSON ([`Mapping::to_json`]) and reused for the
//! next export from the same system ([`Mapping::from_json`]).
//! [`Mapping::resolve`] checks a mapping against a catalogue and a table.
//!
//! # The mapping file
//! ```json
//! {
//!   "format": "policy-match/mapping@1",
//!   "key_column": "企业名称",
//!   "columns": [
//!     {"column": "企业名称", "field": null},
//!     {"column": "营业收入（万元）", "field": "operating_revenue_2025_cny", "unit": "wan_yuan",
//!      "matched_by": "similar", "label": "2025年营业收入"},
//!     {"column": "研发费用", "field": null, "candidates": ["rd_expense_2024_cny", "rd_expense_2025_cny"]}
//!   ]
//! }
//! ```
//! - `column`: the header as imported (see [`crate::batch::import`](mod@crate::batch::import) for
//!   empty and repeated headers); `field`: a catalogue field name, or
//!   `null` to ignore the column.
//! - `unit` (number fields): `yuan` (the default for money), `thousand_yuan`
//!   (千元), `wan_yuan` (万元), `million_yuan` (百万元), `yi_yuan` (亿元) for
//!   `cny` fields; `percent` (the default) or `fraction` (0.05 = 5 %) for
//!   `percent` fields. The Chinese names (`"万元"`) are accepted too.
//! - `key_column`: the column that names each enterprise in summaries.
//! - `matched_by`, `label` and `candidates` are written by [`auto_map`] for
//!   the person checking the mapping and are not needed on reading.
//!
//! # Automatic matching
//! Each header is compared with every field's name, aliases, Chinese label
//! and English label, first exactly (ignoring case and spacing), then
//! normalised: full-width characters folded, unit suffixes such as
//! `（万元）`, `(%)`, `/人` removed (and remembered as the column's unit),
//! punctuation and spaces removed, and years taken apart so that
//! `营业收入（万元）2025年`, `2025年营业收入` and `2025 Operating revenue`
//! agree. An alias without a year also stands for the year of the field's
//! label (alias `从业人数` matches `2025年从业人数` for a 2025 field, not
//! `2024年从业人数`). Then the same characters in another order
//! (`资产总额（2025年末）` = `2025年末资产总额`); then a label without its
//! bracketed qualifier (`2025年从业人数` for `2025年从业人数（全年季度平均值）`);
//! last, a header without a year for the one field that differs only by its
//! year (`营业收入` for `2025年营业收入`); then, as similar, the wording zone
//! lists use: filler words in front left out (`重点产业链`, `产业链` for
//! `所属本区重点产业链`), `营收` for `营业收入`, a trailing `总额`
//! (`研发费用总额`). A year the catalogue has no field for (`2026年营业收入`)
//! or a relative one (`上年营业收入`, `本年度…`) is never mapped: the
//! fields for the other years are its `candidates`. A header that matches several fields equally well
//! is left unmapped with those fields as `candidates`; a field matched by
//! two columns goes to the closer match.

use serde::{Deserialize, Serialize};

use super::import::{import, ImportOptions, SourceFormat, Table};
use super::{BatchError, MAX_MAPPING_BYTES};
use crate::catalogue::{Catalogue, FieldType, Unit};
use crate::rules::closest;

/// The value of a mapping file's `format` key.
pub const MAPPING_FORMAT: &str = "policy-match/mapping@1";

/// A column → field mapping (the JSON mapping file).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Must be [`MAPPING_FORMAT`].
    pub format: String,
    /// The column naming each enterprise (shown in summaries and push lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_column: Option<String>,
    /// One entry per column.
    pub columns: Vec<ColumnMapping>,
    /// Values for every enterprise, by field name, written as a cell would
    /// be: used where its cell is blank or the file has no column for the
    /// field (a zone's list of its own companies leaves out that each is a
    /// company registered in the zone: `{"entity_type": "企业（公司）",
    /// "registered_in_zone": "是"}`). A cell that is filled in wins.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub defaults: std::collections::BTreeMap<String, String>,
}

/// One column's mapping.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnMapping {
    /// The column's header.
    pub column: String,
    /// The catalogue field, or `None` to ignore the column.
    pub field: Option<String>,
    /// The unit of the column's numbers, when it is not the field's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<CellUnit>,
    /// How [`auto_map`] matched it (informative).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched_by: Option<MatchKind>,
    /// The field's Chinese label (informative, for the person checking).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Fields the header matched equally well, when it was ambiguous (informative).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
}

/// The unit of a column's numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellUnit {
    /// 元 (money fields' own unit).
    #[serde(alias = "元")]
    Yuan,
    /// 千元: ×1,000.
    #[serde(alias = "千元")]
    ThousandYuan,
    /// 万元: ×10,000.
    #[serde(alias = "万元")]
    WanYuan,
    /// 百万元: ×1,000,000.
    #[serde(alias = "百万元")]
    MillionYuan,
    /// 亿元: ×100,000,000.
    #[serde(alias = "亿元")]
    YiYuan,
    /// Percent, 0–100 (percent fields' own unit).
    #[serde(alias = "%")]
    Percent,
    /// A fraction: 0.05 means 5 %; ×100.
    #[serde(alias = "小数")]
    Fraction,
}

impl CellUnit {
    /// The factor from this unit to the field's own unit.
    ///
    /// # Example
    /// ```
    /// use policy_match::batch::CellUnit;
    /// assert_eq!(CellUnit::WanYuan.factor(), 10_000.into()); // 320 万元 is ¥3,200,000
    /// assert_eq!(CellUnit::WanYuan.exponent(), 4);
    /// assert_eq!(CellUnit::Fraction.factor(), 100.into()); // 0.05 is 5 %
    /// ```
    pub fn factor(self) -> rust_decimal::Decimal {
        use rust_decimal::Decimal;
        match self {
            CellUnit::Yuan | CellUnit::Percent => Decimal::ONE,
            CellUnit::ThousandYuan => Decimal::from(1_000),
            CellUnit::WanYuan => Decimal::from(10_000),
            CellUnit::MillionYuan => Decimal::from(1_000_000),
            CellUnit::YiYuan => Decimal::from(100_000_000),
            CellUnit::Fraction => Decimal::from(100),
        }
    }

    /// The power of ten of [`CellUnit::factor`].
    pub fn exponent(self) -> usize {
        match self {
            CellUnit::Yuan | CellUnit::Percent => 0,
            CellUnit::ThousandYuan => 3,
            CellUnit::WanYuan => 4,
            CellUnit::MillionYuan => 6,
            CellUnit::YiYuan => 8,
            CellUnit::Fraction => 2,
        }
    }

    /// Whether the unit fits a field of this unit.
    ///
    /// # Example
    /// ```
    /// use policy_match::{batch::CellUnit, catalogue::Unit};
    /// assert!(CellUnit::WanYuan.fits(Some(Unit::Cny)));
    /// assert!(!CellUnit::WanYuan.fits(Some(Unit::Percent)));
    /// assert!(CellUnit::Fraction.fits(Some(Unit::Percent)));
    /// ```
    pub fn fits(self, field_unit: Option<Unit>) -> bool {
        match self {
            CellUnit::Yuan | CellUnit::ThousandYuan | CellUnit::WanYuan | CellUnit::MillionYuan | CellUnit::YiYuan => field_unit == Some(Unit::Cny),
            CellUnit::Percent | CellUnit::Fraction => field_unit == Some(Unit::Percent),
        }
    }

    /// The JSON name.
    ///
    /// # Example
    /// ```
    /// use policy_match::batch::CellUnit;
    /// assert_eq!((CellUnit::WanYuan.as_str(), CellUnit::WanYuan.label_zh()), ("wan_yuan", "万元"));
    /// assert_eq!(serde_json::from_str::<CellUnit>(r#""万元""#).unwrap(), CellUnit::WanYuan); // the Chinese name is read too
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            CellUnit::Yuan => "yuan",
            CellUnit::ThousandYuan => "thousand_yuan",
            CellUnit::WanYuan => "wan_yuan",
            CellUnit::MillionYuan => "million_yuan",
            CellUnit::YiYuan => "yi_yuan",
            CellUnit::Percent => "percent",
            CellUnit::Fraction => "fraction",
        }
    }

    /// The Chinese name (`万元`).
    pub fn label_zh(self) -> &'static str {
        match self {
            CellUnit::Yuan => "元",
            CellUnit::ThousandYuan => "千元",
            CellUnit::WanYuan => "万元",
            CellUnit::MillionYuan => "百万元",
            CellUnit::YiYuan => "亿元",
            CellUnit::Percent => "%",
            CellUnit::Fraction => "小数",
        }
    }
}

/// How a header was matched to a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The header is the field's name.
    Name,
    /// The header is one of the field's aliases.
    Alias,
    /// The header is the field's Chinese label.
    LabelZh,
    /// The header is the field's English label.
    LabelEn,
    /// The header equals a name, alias or label once normalised (units,
    /// punctuation, spacing, year position).
    Normalized,
    /// The same characters in another order: check it.
    Similar,
}

/// A mapping checked against a catalogue and a table, by table column.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    /// For each table column, its target field (or `None`: ignored).
    pub columns: Vec<Option<Target>>,
    /// The key column's index.
    pub key: Option<usize>,
    /// What the user should know: mapped columns not in the file (not
    /// ignored ones), and file columns the mapping does not mention.
    pub warnings: Vec<String>,
    /// The same warnings in Chinese.
    pub warnings_zh: Vec<String>,
    /// The values for every enterprise ([`Mapping::defaults`]), read: (field slot, value).
    pub defaults: Vec<(u32, crate::rules::Value)>,
}

impl Resolved {
    /// A problem the import reported, as a [`CellIssue`](crate::batch::CellIssue)
    /// naming the cell's field: `None` for one cell's problem (a formula
    /// without its value) in a column that is neither mapped nor the key,
    /// since that cell is not read.
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
    /// let table = batch::import("企业名称,职工人数\n甲公司,12,多余\n".as_bytes(), &Default::default())?;
    /// let resolved = batch::auto_map(&cat, &table.headers).resolve(&cat, &table)?;
    /// let issue = resolved.import_issue(&table.row_problems[0]).unwrap();
    /// assert_eq!((issue.row, issue.kind), (2, "row-shape"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn import_issue(&self, p: &crate::batch::import::RowProblem) -> Option<crate::batch::CellIssue> {
        let mut issue = crate::batch::CellIssue::row_shape(p);
        if let Some(c) = p.column_index {
            let target = self.columns.get(c).and_then(Option::as_ref);
            if target.is_none() && self.key != Some(c) {
                return None;
            }
            issue.field = target.map(|t| t.field.clone());
        }
        Some(issue)
    }
}

/// A column's target field.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// The field's name.
    pub field: String,
    /// Its slot in the catalogue.
    pub slot: u32,
    /// Its type.
    pub ty: FieldType,
    /// Its unit.
    pub field_unit: Option<Unit>,
    /// The column's unit, when it differs from the field's.
    pub unit: Option<CellUnit>,
}

impl Mapping {
    /// Read a mapping file.
    ///
    /// # Errors
    /// [`BatchError::TooLarge`] over [`MAX_MAPPING_BYTES`];
    /// [`BatchError::Mapping`] for invalid JSON, unknown keys or a wrong
    /// `format`, with the line and column.
    ///
    /// # Example
    /// ```
    /// use policy_match::batch::{BatchError, Mapping};
    /// let m = Mapping::from_json(r#"{"format": "policy-match/mapping@1", "key_column": "企业名称",
    ///   "columns": [{"column": "营收（万元）", "field": "revenue_cny", "unit": "万元"}]}"#)?;
    /// assert_eq!(m.column_of("revenue_cny").unwrap().column, "营收（万元）");
    /// let e = Mapping::from_json(r#"{"format": "policy-match/mapping@1", "colums": []}"#).unwrap_err();
    /// assert!(matches!(&e, BatchError::Mapping(m) if m[0].contains("unknown field `colums`")));
    /// # Ok::<(), BatchError>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Mapping, BatchError> {
        if text.len() > MAX_MAPPING_BYTES {
            return Err(BatchError::TooLarge { size: text.len(), limit: MAX_MAPPING_BYTES });
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let m: Mapping = serde_json::from_str(text).map_err(|e| BatchError::Mapping(vec![e.to_string()]))?;
        if m.format != MAPPING_FORMAT {
            return Err(BatchError::Mapping(vec![format!("`format` is `{}`; expected `{MAPPING_FORMAT}`", m.format)]));
        }
        Ok(m)
    }

    /// The mapping as pretty JSON, for saving and editing.
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
    /// let m = batch::auto_map(&cat, &table.headers);
    /// let saved = m.to_json();
    /// assert!(saved.contains(r#""format": "policy-match/mapping@1""#));
    /// assert_eq!(batch::Mapping::from_json(&saved)?, m); // saved, edited, reused
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The mapped column of a field, if any.
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
    /// # use policy_match::batch::{CellUnit, MatchKind};
    /// let m = batch::auto_map(&cat, &table.headers); // 企业名称, 职工人数, 营业收入（万元）
    /// let c = m.column_of("revenue_cny").unwrap();
    /// assert_eq!((c.column.as_str(), c.unit, c.matched_by), ("营业收入（万元）", Some(CellUnit::WanYuan), Some(MatchKind::Normalized)));
    /// assert!(m.column_of("assets_cny").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn column_of(&self, field: &str) -> Option<&ColumnMapping> {
        self.columns.iter().find(|c| c.field.as_deref() == Some(field))
    }

    /// Check the mapping against a catalogue and a table.
    ///
    /// # Errors
    /// [`BatchError::Mapping`] listing every problem: a field the catalogue
    /// does not declare (with a suggestion), a field mapped from two
    /// columns, a unit that does not fit its field, a column listed twice,
    /// or a mapping none of whose mapped columns is in the table.
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
    /// # use policy_match::batch::{BatchError, Mapping};
    /// let r = batch::auto_map(&cat, &table.headers).resolve(&cat, &table)?;
    /// assert_eq!(r.key, Some(0));
    /// assert_eq!(r.columns[1].as_ref().map(|t| t.field.as_str()), Some("employees"));
    /// let bad = Mapping::from_json(r#"{"format": "policy-match/mapping@1", "columns": [{"column": "职工人数", "field": "employes"}]}"#)?;
    /// let Err(BatchError::Mapping(problems)) = bad.resolve(&cat, &table) else { panic!() };
    /// assert!(problems[0].contains("`employes`") && problems[0].contains("`employees`")); // with a suggestion
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve(&self, cat: &Catalogue, table: &Table) -> Result<Resolved, BatchError> {
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let mut warnings_zh = Vec::new();
        if self.format != MAPPING_FORMAT {
            errors.push(format!("`format` is `{}`; expected `{MAPPING_FORMAT}`", self.format));
        }
        let mut columns: Vec<Option<Target>> = vec![None; table.width()];
        let mut mentioned = vec![false; table.width()];
        let mut by_field: Vec<Option<&str>> = vec![None; cat.fields.len()];
        let mut missing_mapped = 0usize;
        let mut found_mapped = 0usize;
        for (i, cm) in self.columns.iter().enumerate() {
            if self.columns[..i].iter().any(|o| o.column == cm.column) {
                errors.push(format!("column `{}` is listed twice", cm.column));
                continue;
            }
            let col = table.column(&cm.column);
            if let Some(c) = col {
                mentioned[c] = true;
            }
            let Some(field) = cm.field.as_deref() else { continue };
            let Some(slot) = cat.field_slot(field) else {
                let hint = crate::rules::did_you_mean(closest(field, cat.fields.iter().map(|f| f.name())).as_deref());
                errors.push(format!("column `{}`: the catalogue has no field `{field}`{hint}", cm.column));
                continue;
            };
            let f = &cat.fields[slot as usize];
            if let Some(u) = cm.unit {
                if !matches!(f.def.ty, FieldType::Number | FieldType::Integer) || !u.fits(f.def.unit) {
                    let fits = match f.def.unit {
                        Some(Unit::Cny) => "yuan, thousand_yuan, wan_yuan, million_yuan or yi_yuan",
                        Some(Unit::Percent) => "percent or fraction",
                        _ => "none: leave `unit` out",
                    };
                    errors.push(format!("column `{}`: unit `{}` does not fit field `{field}` (units that fit: {fits})", cm.column, u.as_str()));
                    continue;
                }
            }
            if let Some(other) = by_field[slot as usize] {
                errors.push(format!("field `{field}` is mapped from two columns, `{other}` and `{}`; map one of them to null", cm.column));
                continue;
            }
            by_field[slot as usize] = Some(&cm.column);
            match col {
                Some(c) => {
                    found_mapped += 1;
                    columns[c] = Some(Target {
                        field: field.to_string(),
                        slot,
                        ty: f.def.ty,
                        field_unit: f.def.unit,
                        unit: cm.unit.filter(|u| *u != CellUnit::Yuan && *u != CellUnit::Percent),
                    });
                }
                None => {
                    missing_mapped += 1;
                    warnings.push(format!("column `{}` (mapped to `{field}`) is not in the file; `{field}` is not provided", cm.column));
                    warnings_zh.push(format!("文件中没有“{}”列（对应 `{field}`）；该项按未提供处理", cm.column));
                }
            }
        }
        if missing_mapped > 0 && found_mapped == 0 {
            errors.push(format!("none of the mapping's {missing_mapped} mapped columns is in the file; is it the mapping for another export?"));
        }
        for (c, h) in table.headers.iter().enumerate() {
            if !mentioned[c] {
                warnings.push(format!("column `{h}` is not in the mapping; it is not read"));
                warnings_zh.push(format!("对应关系中没有“{h}”列；该列不导入"));
            }
        }
        for (c, target) in columns.iter().enumerate() {
            if let Some((en, zh)) =
                target.as_ref().and_then(|t| fraction_warning(table, c, t).or_else(|| unit_warning(table, c, t)).or_else(|| magnitude_warning(table, c, t)))
            {
                warnings.push(en);
                warnings_zh.push(zh);
            }
        }
        let key = match &self.key_column {
            Some(k) => match table.column(k) {
                Some(c) => Some(c),
                None => {
                    warnings.push(format!("key column `{k}` is not in the file; enterprises are named by row number"));
                    warnings_zh.push(format!("文件中没有企业名称列“{k}”；企业以行号代替"));
                    None
                }
            },
            None => None,
        };
        let mut defaults = Vec::new();
        for (field, text) in &self.defaults {
            let Some(slot) = cat.field_slot(field) else {
                let hint = crate::rules::did_you_mean(closest(field, cat.fields.iter().map(|f| f.name())).as_deref());
                errors.push(format!("defaults: the catalogue has no field `{field}`{hint}"));
                continue;
            };
            // Read as a cell is (option labels and aliases, 是/否, 万元 amounts).
            let mut p = crate::matching::Profile::empty(cat);
            p.set(cat, field, crate::matching::Raw::Text(text), None);
            match (p.issues.pop(), p.values.get(slot as usize)) {
                (Some(issue), _) => errors.push(format!("defaults: `{field}`: {}", issue.message)),
                (None, Some(v)) if v.is_provided() => defaults.push((slot, v.clone())),
                (None, _) => errors.push(format!("defaults: `{field}`: no value given")),
            }
        }
        if errors.is_empty() {
            Ok(Resolved { columns, key, warnings, warnings_zh, defaults })
        } else {
            Err(BatchError::Mapping(errors))
        }
    }
}

/// Currencies other than the yuan, as headers name them (folded: lower case).
const FOREIGN_CURRENCIES: [&str; 14] = ["美元", "美金", "usd", "us$", "港币", "港元", "hkd", "欧元", "eur", "日元", "jpy", "英镑", "gbp", "新台币"];

/// A warning for a money column read in another unit than its header
/// gives (`营收（万元）` read in 元: a column mapped by hand, or a mapping
/// file written for another export): every amount would be off by a power
/// of ten; or whose header names another currency (`（万美元）`).
fn unit_warning(table: &Table, col: usize, t: &Target) -> Option<(String, String)> {
    if t.field_unit != Some(Unit::Cny) {
        return None;
    }
    let h = &table.headers[col];
    // Another currency (`营业收入（万美元）`): no unit converts it.
    let folded = fold(h);
    if let Some(cur) = FOREIGN_CURRENCIES.iter().find(|c| folded.contains(*c)) {
        return Some((
            format!("column `{h}`: its header names another currency ({cur}); amounts are read in yuan, so convert the column to 人民币 first"),
            format!("“{h}”列的表头写的是其他币种（{cur}）；金额按人民币读取，请先换算成人民币"),
        ));
    }
    let said = header_unit(table, col).filter(|u| u.fits(Some(Unit::Cny)))?;
    let read = t.unit.unwrap_or(CellUnit::Yuan);
    if said == read {
        return None;
    }
    let (said_zh, read_zh) = (said.label_zh(), read.label_zh());
    Some((
        format!(
            "column `{h}`: its header says {said_zh} but it is read in {read_zh} (the mapping's unit); if the header is right, choose the unit {} ({said_zh})",
            said.as_str()
        ),
        format!("“{h}”列的表头写的是{said_zh}，但按{read_zh}读取（对应关系中的单位）；如表头正确，请把单位选为“{said_zh}”"),
    ))
}

/// Amounts below this, in yuan, for every enterprise of a column read in
/// yuan look like figures in 万元: 10万元.
const SMALL_YUAN: i64 = 100_000;

/// Amounts from this, in yuan, for every enterprise of a column read in
/// 万元 or more look like figures in yuan: 100亿元.
const LARGE_YUAN: i64 = 10_000_000_000;

/// A warning for a money column whose header states no unit and whose
/// amounts, as read, are implausible for every enterprise: all under
/// 10万元 when read in yuan (revenue `320` read as ¥320 where the list
/// means 320万元: every enterprise would pass "revenue ≤ ¥5m"), or all
/// 100亿元 or more when read in 万元 or more (yuan figures under a
/// mapping file's 万元). Three amounts at least; cells that carry their own
/// unit (`320万元`) are not counted.
fn magnitude_warning(table: &Table, col: usize, t: &Target) -> Option<(String, String)> {
    if t.field_unit != Some(Unit::Cny) || header_unit(table, col).is_some() {
        return None;
    }
    let (mut n, mut min, mut max) = (0usize, None::<rust_decimal::Decimal>, None::<rust_decimal::Decimal>);
    for r in 0..table.len() {
        let cell = table.cell(r, col).trim();
        if cell.is_empty() || cell.chars().any(|c| c.is_alphabetic()) {
            continue;
        }
        let prepared = crate::batch::validate::prepare_cell(t, cell);
        let Some(Ok(d)) = crate::matching::fold_number_text(&prepared).map(|t| crate::rules::parse_decimal(&t)) else { continue };
        if d <= rust_decimal::Decimal::ZERO {
            continue;
        }
        n += 1;
        min = Some(min.map_or(d, |m: rust_decimal::Decimal| m.min(d)));
        max = Some(max.map_or(d, |m: rust_decimal::Decimal| m.max(d)));
    }
    let (Some(min), Some(max)) = (min, max) else { return None };
    if n < 3 {
        return None;
    }
    let h = &table.headers[col];
    let read = t.unit.unwrap_or(CellUnit::Yuan);
    let yuan = |d: rust_decimal::Decimal| crate::matching::format_quantity(d, Some(Unit::Cny), "zh");
    if read == CellUnit::Yuan && max < rust_decimal::Decimal::from(SMALL_YUAN) {
        return Some((
            format!("column `{h}`: it is read in yuan and every amount written without a unit is under ¥100,000 (the largest is ¥{}); if the figures are in 万元, choose the unit wan_yuan (万元)", max.normalize()),
            format!("“{h}”列按元读取，未写单位的金额都不到 10 万元（最大为 {}）；如果是以万元为单位，请把单位选为“万元”", yuan(max)),
        ));
    }
    if read.exponent() >= 4 && min >= rust_decimal::Decimal::from(LARGE_YUAN) {
        let said = read.label_zh();
        return Some((
            format!("column `{h}`: it is read in {said} and every amount written without a unit is ¥10 billion or more (the smallest is ¥{}); if the figures are in yuan, choose the unit yuan (元)", min.normalize()),
            format!("“{h}”列按{said}读取，未写单位的金额都在 100 亿元以上（最小为 {}）；如果是以元为单位，请把单位选为“元”", yuan(min)),
        ));
    }
    None
}

/// A warning for a percent column read as percents (0–100) whose numbers
/// look like fractions (0.45 for 45%): all of them between 0 and 1, or some
/// of them beside larger ones. Each would be read as under 1%: a silent
/// misreading if the export wrote fractions. Cells with a `%` sign are
/// clear and not counted.
fn fraction_warning(table: &Table, col: usize, t: &Target) -> Option<(String, String)> {
    if t.field_unit != Some(Unit::Percent) || t.unit == Some(CellUnit::Fraction) {
        return None;
    }
    let (mut small, mut large) = (0usize, 0usize);
    let mut examples: Vec<(u32, String)> = Vec::new();
    for r in 0..table.len() {
        let cell = table.cell(r, col).trim();
        if cell.is_empty() || cell.contains(['%', '％']) {
            continue;
        }
        let Ok(d) = crate::rules::parse_decimal(cell) else { continue };
        if d > rust_decimal::Decimal::ZERO && d < rust_decimal::Decimal::ONE {
            small += 1;
            if examples.len() < 3 {
                examples.push((table.line(r), cell.to_string()));
            }
        } else if d > rust_decimal::Decimal::ONE {
            large += 1;
        }
    }
    if small == 0 {
        return None;
    }
    let h = &table.headers[col];
    let more = if small > examples.len() { ", …" } else { "" };
    let en_ex = examples.iter().map(|(r, v)| format!("row {r}: {v}")).collect::<Vec<_>>().join(", ") + more;
    let zh_ex = examples.iter().map(|(r, v)| format!("第 {r} 行：{v}")).collect::<Vec<_>>().join("，") + if more.is_empty() { "" } else { "…" };
    let v = &examples[0].1;
    let hundredfold = crate::rules::parse_decimal(v)
        .ok()
        .and_then(|d| d.checked_mul(rust_decimal::Decimal::ONE_HUNDRED))
        .map(|d| d.normalize().to_string())
        .unwrap_or_default();
    Some(if large == 0 {
        (
            format!("column `{h}`: every number is between 0 and 1 ({en_ex}); they are read as percents ({v} = {v}%); if they are fractions ({v} = {hundredfold}%), choose the unit fraction"),
            format!("“{h}”列的数都在 0 到 1 之间（{zh_ex}），按百分数读取（{v} 即 {v}%）；如果是小数形式（{v} 即 {hundredfold}%），请把单位选为“小数”"),
        )
    } else {
        (
            format!(
                "column `{h}`: {small} {} between 0 and 1 ({en_ex}) and {large} {} larger; all are read as percents ({v} = {v}%): check whether some are fractions",
                if small == 1 { "number is" } else { "numbers are" },
                if large == 1 { "is" } else { "are" }
            ),
            format!("“{h}”列有 {small} 个数在 0 到 1 之间（{zh_ex}），{large} 个大于 1；都按百分数读取（{v} 即 {v}%），请核对其中是否有小数形式的比例"),
        )
    })
}

/// Propose a mapping for a table's headers (see the module documentation).
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
/// # use policy_match::batch::MatchKind;
/// let m = batch::auto_map(&cat, &["序号", "企业名称", "employees", "2025年营业收入（万元）"]);
/// assert_eq!(m.key_column.as_deref(), Some("企业名称"));
/// assert_eq!(m.column_of("employees").unwrap().matched_by, Some(MatchKind::Name));
/// assert_eq!(m.columns[0].field, None); // 序号: ignored
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn auto_map<S: AsRef<str>>(cat: &Catalogue, headers: &[S]) -> Mapping {
    let index = FieldIndex::new(cat);
    let mut columns: Vec<ColumnMapping> = headers
        .iter()
        .map(|h| {
            let h = h.as_ref();
            let mut parsed = parse_header(h);
            let mut found = index.lookup(h, &parsed);
            // A two-row header (`人员/职工总数`): the lower part alone, with the upper part's unit.
            if let (Lookup::None, Some((_, lower))) = (&found, h.rsplit_once('/')) {
                let lower_parsed = parse_header(lower);
                let l = index.lookup(lower, &lower_parsed);
                if !matches!(l, Lookup::None) {
                    parsed = Parsed { unit: lower_parsed.unit.or(parsed.unit), ..lower_parsed };
                    found = match l {
                        Lookup::One(s, _) => Lookup::One(s, MatchKind::Similar),
                        other => other,
                    };
                }
            }
            let (field, matched_by, candidates) = match found {
                Lookup::One(slot, kind) => (Some(slot), Some(kind), Vec::new()),
                Lookup::Many(slots) => (None, None, slots.iter().map(|&s| cat.fields[s as usize].name().to_string()).collect()),
                Lookup::None => (None, None, Vec::new()),
            };
            let unit = field.and_then(|s| parsed.unit.filter(|u| u.fits(cat.fields[s as usize].def.unit) && *u != CellUnit::Yuan && *u != CellUnit::Percent));
            ColumnMapping {
                column: h.to_string(),
                field: field.map(|s| cat.fields[s as usize].name().to_string()),
                unit,
                matched_by,
                label: field.map(|s| cat.fields[s as usize].def.label.zh.clone()),
                candidates,
            }
        })
        .collect();
    // A field matched by two columns goes to the closer match (then the first).
    for i in 0..columns.len() {
        let Some(f) = columns[i].field.clone() else { continue };
        for j in i + 1..columns.len() {
            if columns[j].field.as_deref() == Some(f.as_str()) {
                let loser = if columns[j].matched_by < columns[i].matched_by { i } else { j };
                columns[loser].field = None;
                columns[loser].unit = None;
                columns[loser].matched_by = None;
                columns[loser].label = None;
                columns[loser].candidates = vec![f.clone()];
                if loser == i {
                    break;
                }
            }
        }
    }
    let key_column = key_column(headers, &columns);
    Mapping { format: MAPPING_FORMAT.to_string(), key_column, columns, defaults: Default::default() }
}

/// Propose a mapping for an imported table: [`auto_map`] of its headers,
/// and, when the title row above the header gives a money unit for the
/// whole table (`某园区企业名单（单位：万元）`), that unit for every money
/// column whose header does not give its own.
///
/// # Example
/// ```
/// use policy_match::batch::{self, CellUnit, ImportOptions};
/// use policy_match::catalogue::Catalogue;
/// let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01",
///   "title": {"zh": "目录", "en": "Catalogue"}, "policies": [],
///   "fields": [{"name": "assets_cny", "type": "number", "unit": "cny", "label": {"zh": "资产总额", "en": "Total assets"}}]}"#).unwrap();
/// let t = batch::import("企业名单（单位：万元）\n企业名称,资产总额\n甲,5000\n".as_bytes(), &ImportOptions::default()).unwrap();
/// assert_eq!(batch::mapping::auto_map_table(&cat, &t).column_of("assets_cny").unwrap().unit, Some(CellUnit::WanYuan));
/// ```
pub fn auto_map_table(cat: &Catalogue, table: &Table) -> Mapping {
    let mut m = auto_map(cat, &table.headers);
    let Some(unit) = table.source.title.as_deref().and_then(title_unit) else { return m };
    for c in &mut m.columns {
        let Some(slot) = c.field.as_deref().and_then(|f| cat.field_slot(f)) else { continue };
        let own = parse_header(&c.column).unit;
        if own.is_none() && unit.fits(cat.fields[slot as usize].def.unit) {
            c.unit = (unit != CellUnit::Yuan).then_some(unit);
        }
    }
    m
}

/// Most sheets of a workbook [`import_for`] compares.
const MAX_SHEETS_COMPARED: usize = 20;

/// Import an enterprise list for a catalogue: [`import`](crate::batch::import())
/// of `bytes`, except that when an XLSX workbook has several sheets with
/// data and `opts` names none, the sheet whose columns map to the most of
/// the catalogue's fields ([`auto_map_table`]) is read, not merely the
/// first: workbooks often start with an instructions sheet (`填表说明`)
/// before the list. A note says which sheet was read and why. On a tie the
/// earlier sheet wins; at most the first 20 sheets with data are compared;
/// hidden sheets are not.
///
/// # Errors
/// As [`import`](crate::batch::import()).
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
/// # use policy_match::batch::{import_for, ImportOptions};
/// let t = import_for(&cat, "企业名称,职工人数\n甲公司,12\n".as_bytes(), &ImportOptions::default())?;
/// assert_eq!(t.headers, ["企业名称", "职工人数"]); // a CSV: read as `import` reads it
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn import_for(cat: &Catalogue, bytes: &[u8], opts: &ImportOptions) -> Result<Table, BatchError> {
    let first = import(bytes, opts)?;
    if opts.sheet.is_some() || first.source.format != SourceFormat::Xlsx {
        return Ok(first);
    }
    let score = |t: &Table| auto_map_table(cat, t).columns.iter().filter(|c| c.field.is_some()).count();
    let first_score = score(&first);
    let names = first.source.sheets.clone();
    let start = first.source.sheet.as_ref().and_then(|s| names.iter().position(|n| n == s)).map_or(names.len(), |i| i + 1);
    let mut best: Option<(Table, usize)> = None;
    let hidden = first.source.hidden_sheets.clone();
    // Every compared sheet's (name, data rows, matching columns).
    let mut lists: Vec<(String, usize, usize)> = vec![(first.source.sheet.clone().unwrap_or_default(), first.len(), first_score)];
    for name in names.iter().skip(start).filter(|n| !hidden.contains(n)).take(MAX_SHEETS_COMPARED - 1) {
        // A sheet that does not read (empty) is no candidate.
        let Ok(t) = import(bytes, &ImportOptions { format: opts.format, sheet: Some(name.clone()) }) else { continue };
        let n = score(&t);
        lists.push((name.clone(), t.len(), n));
        if n > best.as_ref().map_or(first_score, |(_, b)| *b) {
            best = Some((t, n));
        }
    }
    let Some((mut table, n)) = best else {
        let mut first = first;
        other_lists_note(&mut first, &lists, first_score);
        return Ok(first);
    };
    other_lists_note(&mut table, &lists, n);
    let (chosen, skipped) = (table.source.sheet.clone().unwrap_or_default(), first.source.sheet.clone().unwrap_or_default());
    table.notes.insert(
        0,
        format!(
            "sheet `{chosen}` is read: {n} of its columns match the catalogue's fields, {first_score} of sheet `{skipped}` (the first sheet with data); choose another sheet to read it instead"
        ),
    );
    table.notes_zh.insert(
        0,
        format!(
            "读取的是工作表“{chosen}”：其中 {n} 列与政策目录的字段对应（第一个有数据的工作表“{skipped}”只有 {first_score} 列）；如需读取其他工作表，请另行选择"
        ),
    );
    Ok(table)
}

/// A note naming the other sheets of the workbook that look like
/// enterprise lists too (rows, and at least half as many columns matching
/// the catalogue's fields as the sheet read, at least one): only one sheet
/// is read, so their enterprises are not matched unless staff import them
/// as well (a list split by industry or by street over several sheets).
fn other_lists_note(table: &mut Table, lists: &[(String, usize, usize)], read_score: usize) {
    let read = table.source.sheet.clone().unwrap_or_default();
    let others: Vec<&(String, usize, usize)> =
        lists.iter().filter(|(name, rows, score)| *name != read && *rows > 0 && *score > 0 && score.saturating_mul(2) >= read_score).collect();
    if others.is_empty() {
        return;
    }
    let en: Vec<String> = others.iter().map(|(n, rows, _)| format!("`{n}` ({rows} rows)")).collect();
    let zh: Vec<String> = others.iter().map(|(n, rows, _)| format!("“{n}”（{rows} 行）")).collect();
    table.notes.push(format!(
        "only sheet `{read}` is read; sheet(s) {} look like enterprise lists too and are NOT read: import each of them as well (choose the sheet), or copy them into one sheet",
        en.join(", ")
    ));
    table
        .notes_zh
        .push(format!("只读取了工作表“{read}”；工作表 {} 看起来也是企业名单，未读取：请再分别选择这些工作表导入，或把它们合并到一个工作表", zh.join("、")));
}

/// The money or percent unit a table's header gives for column `col`: its
/// own (`营收（万元）`, also from a group label, `财务数据（万元）/营业收入`),
/// else the money unit of the title (`某园区企业名单（单位：万元）`). What a
/// column mapped by hand should be read in (see [`Mapping::resolve`]'s
/// warning when it is not).
///
/// # Example
/// ```
/// use policy_match::batch::{self, mapping::header_unit, CellUnit};
/// let t = batch::import("企业名单（单位：万元）\n企业名称,营收,资产（亿元）\n甲,1,2\n".as_bytes(), &Default::default()).unwrap();
/// assert_eq!(header_unit(&t, 1), Some(CellUnit::WanYuan)); // from the title
/// assert_eq!(header_unit(&t, 2), Some(CellUnit::YiYuan)); // its own
/// ```
pub fn header_unit(table: &Table, col: usize) -> Option<CellUnit> {
    let h = table.headers.get(col)?;
    parse_header(h).unit.or_else(|| table.source.title.as_deref().and_then(title_unit))
}

/// The money unit a title states for the whole table: `单位：万元`,
/// `金额单位:万元`, `(单位: 元)`, `unit: CNY 10k`.
fn title_unit(title: &str) -> Option<CellUnit> {
    let t = fold(title);
    // `填报单位：某园区 金额单位：万元`: the first 单位 followed by a money unit.
    t.match_indices("单位").chain(t.match_indices("unit")).find_map(|(at, word)| {
        let rest = t[at + word.len()..].trim_start_matches([':', ' ', '为', '是']);
        let end = rest.find(['(', ')', ',', ';', '/', '|', '、', '，', '；', '。']).unwrap_or(rest.len());
        unit_token(&rest[..end]).flatten().filter(|u| u.fits(Some(Unit::Cny)))
    })
}

/// The column naming enterprises: the first unmapped header that reads as
/// a name (企业名称, 单位名称, 名称, name, company…; also under a group
/// label, `企业信息/企业名称`), else one that reads as an identifier
/// (统一社会信用代码, id).
fn key_column<S: AsRef<str>>(headers: &[S], columns: &[ColumnMapping]) -> Option<String> {
    const KEYS: [&str; 17] = [
        "企业名称",
        "单位名称",
        "公司名称",
        "纳税人名称",
        "企业全称",
        "名称",
        "企业",
        "enterprisename",
        "companyname",
        "enterprise",
        "company",
        "name",
        "统一社会信用代码",
        "社会信用代码",
        "信用代码",
        "纳税人识别号",
        "id",
    ];
    // The whole header, and the lower part of a two-row header (`企业信息/企业名称`).
    let normalized: Vec<(String, String)> =
        headers.iter().map(|h| h.as_ref()).map(|h| (parse_header(h).rest, parse_header(h.rsplit('/').next().unwrap_or(h)).rest)).collect();
    for k in KEYS {
        for (i, (n, lower)) in normalized.iter().enumerate() {
            if (n == k || lower == k) && columns[i].field.is_none() {
                return Some(headers[i].as_ref().to_string());
            }
        }
    }
    None
}

enum Lookup {
    One(u32, MatchKind),
    Many(Vec<u32>),
    None,
}

/// The catalogue's names, aliases and labels, in the forms compared.
struct FieldIndex {
    /// (exact folded text, slot, kind)
    exact: Vec<(String, u32, MatchKind)>,
    /// (normalised key, slot)
    normalized: Vec<(Key, u32)>,
    /// Labels without their bracketed qualifiers (`2025年从业人数（全年季度平均值）`
    /// → `2025年从业人数`): (normalised key, slot).
    unqualified: Vec<(Key, u32)>,
}

impl FieldIndex {
    fn new(cat: &Catalogue) -> FieldIndex {
        let mut exact = Vec::new();
        let mut normalized = Vec::new();
        let mut unqualified = Vec::new();
        let push = |list: &mut Vec<(Key, u32)>, k: Key, slot: u32| {
            if !k.rest.is_empty() && !list.contains(&(k.clone(), slot)) {
                list.push((k, slot));
            }
        };
        for (slot, f) in cat.fields.iter().enumerate() {
            let slot = slot as u32;
            let def = &f.def;
            let mut texts: Vec<(&str, MatchKind)> = vec![(f.name(), MatchKind::Name)];
            texts.extend(def.aliases.iter().map(|a| (a.as_str(), MatchKind::Alias)));
            texts.push((&def.label.zh, MatchKind::LabelZh));
            texts.push((&def.label.en, MatchKind::LabelEn));
            // The field's year(s), from its Chinese label.
            let label_years = parse_header(&def.label.zh).key().years;
            for (t, kind) in texts {
                exact.push((fold_exact(t), slot, kind));
                let k = parse_header(t).key();
                // An alias without a year (`从业人数`) also stands for the field's year (`2025年从业人数`).
                if kind == MatchKind::Alias && k.years.is_empty() && !label_years.is_empty() {
                    push(&mut normalized, Key { years: label_years.clone(), rest: k.rest.clone() }, slot);
                }
                push(&mut normalized, k, slot);
                if matches!(kind, MatchKind::LabelZh | MatchKind::LabelEn) {
                    if let Some(u) = without_qualifiers(t) {
                        push(&mut unqualified, parse_header(&u).key(), slot);
                    }
                }
            }
        }
        FieldIndex { exact, normalized, unqualified }
    }

    fn lookup(&self, header: &str, parsed: &Parsed) -> Lookup {
        match self.lookup_strict(header, parsed) {
            Lookup::None => self.lookup_loose(&parsed.key()),
            found => found,
        }
    }

    /// 6. The wording zone exports use for the same field, compared by
    ///    [`canonical`] texts (`重点产业链` for `所属本区重点产业链`, `营收` for
    ///    `营业收入`, `研发费用总额` for `研发费用`), with the same years (or
    ///    none, for the one field that differs only by its year): matched
    ///    as similar, to be checked.
    /// 7. A header whose year has no field (`2026年营业收入` when the
    ///    catalogue asks for 2023–2025), or whose year is relative
    ///    (`上年营业收入`, `本年度营业收入`: the year depends on when the list
    ///    was made): never mapped, but the fields for the other years are
    ///    the candidates, so the person mapping sees the suggestion.
    fn lookup_loose(&self, key: &Key) -> Lookup {
        let (relative, rest) = without_relative_year(&key.rest);
        let wordings = header_wordings(&rest);
        if wordings.is_empty() {
            return Lookup::None;
        }
        let same = |k: &Key| {
            let field = without_fillers(&k.rest);
            wordings.iter().any(|w| *w == field)
        };
        if !relative {
            let mut hits: Vec<(u32, MatchKind)> =
                self.normalized.iter().filter(|(k, _)| k.years == key.years && same(k)).map(|(_, s)| (*s, MatchKind::Similar)).collect();
            if hits.is_empty() && key.years.is_empty() {
                hits = self.normalized.iter().filter(|(k, _)| same(k)).map(|(_, s)| (*s, MatchKind::Similar)).collect();
            }
            hits.sort();
            hits.dedup();
            if let Some(l) = decide(&hits) {
                return l;
            }
            if key.years.is_empty() {
                return Lookup::None;
            }
        }
        // Another year, or a relative one: suggestions only.
        let mut slots: Vec<u32> = self.normalized.iter().filter(|(k, _)| !k.years.is_empty() && k.years != key.years && same(k)).map(|(_, s)| *s).collect();
        slots.sort_unstable();
        slots.dedup();
        if slots.is_empty() {
            Lookup::None
        } else {
            Lookup::Many(slots)
        }
    }

    fn lookup_strict(&self, header: &str, parsed: &Parsed) -> Lookup {
        let folded = fold_exact(header);
        if folded.is_empty() {
            return Lookup::None;
        }
        // 1. Exact.
        let mut hits: Vec<(u32, MatchKind)> = self.exact.iter().filter(|(t, _, _)| *t == folded).map(|(_, s, k)| (*s, *k)).collect();
        hits.sort();
        hits.dedup_by_key(|(s, _)| *s);
        if let Some(l) = decide(&hits) {
            return l;
        }
        // 2. Normalised.
        let key = parsed.key();
        if key.rest.is_empty() {
            return Lookup::None;
        }
        let mut hits: Vec<(u32, MatchKind)> = self.normalized.iter().filter(|(k, _)| *k == key).map(|(_, s)| (*s, MatchKind::Normalized)).collect();
        hits.dedup();
        if let Some(l) = decide(&hits) {
            return l;
        }
        // 3. The same characters in another order (at least two of them).
        if key.rest.chars().count() < 2 {
            return Lookup::None;
        }
        let loose = key.loose();
        let mut hits: Vec<(u32, MatchKind)> =
            self.normalized.iter().filter(|(k, _)| k.years == key.years && k.loose() == loose).map(|(_, s)| (*s, MatchKind::Similar)).collect();
        hits.dedup();
        if let Some(l) = decide(&hits) {
            return l;
        }
        // 4. A label without its bracketed qualifier (`2025年从业人数` for
        //    `2025年从业人数（全年季度平均值）`).
        let mut hits: Vec<(u32, MatchKind)> = self.unqualified.iter().filter(|(k, _)| *k == key).map(|(_, s)| (*s, MatchKind::Similar)).collect();
        hits.dedup();
        if let Some(l) = decide(&hits) {
            return l;
        }
        // 5. A header without a year for a field with one (`营业收入` for
        //    `2025年营业收入`): only when a single field fits; then the same
        //    with labels without their qualifiers.
        if !key.years.is_empty() {
            return Lookup::None;
        }
        for list in [&self.normalized, &self.unqualified] {
            let mut hits: Vec<(u32, MatchKind)> = list.iter().filter(|(k, _)| k.rest == key.rest).map(|(_, s)| (*s, MatchKind::Similar)).collect();
            hits.sort();
            hits.dedup();
            if let Some(l) = decide(&hits) {
                return l;
            }
        }
        Lookup::None
    }
}

fn decide(hits: &[(u32, MatchKind)]) -> Option<Lookup> {
    match hits {
        [] => None,
        [(s, k)] => Some(Lookup::One(*s, *k)),
        many => {
            let mut slots: Vec<u32> = many.iter().map(|(s, _)| *s).collect();
            slots.sort_unstable();
            slots.dedup();
            Some(if slots.len() == 1 { Lookup::One(slots[0], many[0].1) } else { Lookup::Many(slots) })
        }
    }
}

/// A header taken apart.
#[derive(Clone, Debug, PartialEq)]
struct Parsed {
    /// Years mentioned, in order.
    years: Vec<u16>,
    /// The rest: letters, digits and CJK characters only, lower case.
    rest: String,
    /// The unit the header gives (see [`take_unit`]).
    unit: Option<CellUnit>,
}

/// The comparable part of a header.
#[derive(Clone, Debug, PartialEq)]
struct Key {
    years: Vec<u16>,
    rest: String,
}

impl Parsed {
    fn key(&self) -> Key {
        let mut years = self.years.clone();
        years.sort_unstable();
        years.dedup();
        Key { years, rest: self.rest.clone() }
    }
}

impl Key {
    fn loose(&self) -> Vec<char> {
        let mut v: Vec<char> = self.rest.chars().collect();
        v.sort_unstable();
        v
    }
}

/// Words before a field's name that zone lists leave out (`所属本区重点产业链`
/// is their `重点产业链` or `产业链`).
const FILLER_PREFIXES: [&str; 8] = ["所属", "本区", "本园区", "园区", "区内", "我区", "全区", "重点"];

/// A normalised text (a [`Key`]'s `rest`) without the filler words in
/// front (`所属本区重点产业链` → `产业链`).
fn without_fillers(rest: &str) -> &str {
    let mut t = rest;
    while let Some(p) = FILLER_PREFIXES.iter().find(|p| t.starts_with(*p) && t.len() > p.len()) {
        t = &t[p.len()..];
    }
    t
}

/// A header's normalised text in the wordings compared with a field's
/// (taken [`without_fillers`]) by the loose lookup: without filler words
/// in front, the abbreviation `营收` spelled out (`营业收入`), and also
/// without a trailing `总额` (`研发费用总额` = `研发费用`; only on the
/// header's side, so that a header `资产` does not stand for `资产总额`).
/// None shorter than two characters.
fn header_wordings(rest: &str) -> Vec<String> {
    let t = without_fillers(rest);
    let t = match t.strip_prefix("营收") {
        Some(after) => format!("营业收入{after}"),
        None => t.to_string(),
    };
    let mut out = vec![t.clone()];
    if let Some(stem) = t.strip_suffix("总额") {
        out.push(stem.to_string());
    }
    out.retain(|w| w.chars().count() >= 2);
    out
}

/// Words for a year relative to when a list was made.
const RELATIVE_YEARS: [&str; 11] = ["上一年度", "上年度", "上一年", "上年", "去年", "本年度", "本年", "当年", "今年", "最近一年", "近一年"];

/// A normalised text without a relative year (`上年营业收入` →
/// (true, `营业收入`)), or unchanged (false, …).
fn without_relative_year(rest: &str) -> (bool, String) {
    for w in RELATIVE_YEARS {
        if let Some(i) = rest.find(w) {
            let t = format!("{}{}", &rest[..i], &rest[i + w.len()..]);
            return (true, t);
        }
    }
    (false, rest.to_string())
}

/// Trimmed, spacing collapsed, full-width folded, lower case.
fn fold_exact(s: &str) -> String {
    fold(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Full-width ASCII to ASCII, ideographic space to space, 【】[] to (), lower case.
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            '【' | '[' | '〔' | '{' => '(',
            '】' | ']' | '〕' | '}' => ')',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The text without its bracketed segments that are not units
/// (`2025年从业人数（全年季度平均值）` → `2025年从业人数`), or `None` when it has
/// none or nothing would be left.
fn without_qualifiers(t: &str) -> Option<String> {
    let s = fold(t);
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    let mut removed = false;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(')') else { break };
        out.push_str(&rest[..open]);
        let inner = &after[..close];
        if unit_token(inner).is_some() {
            out.push('(');
            out.push_str(inner);
            out.push(')');
        } else {
            removed = true;
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    (removed && out.chars().any(char::is_alphanumeric)).then_some(out)
}

/// What a unit text means: `Some(Some(unit))` for money and percent,
/// `Some(None)` for other units (removed, no conversion), `None` when it is
/// not a unit.
fn unit_token(t: &str) -> Option<Option<CellUnit>> {
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_start_matches("单位").trim_start_matches([':', '：']);
    let t = t.trim_start_matches("unit").trim_start_matches([':', '：']);
    Some(match t {
        "元" | "人民币" | "人民币元" | "元人民币" | "rmb" | "cny" | "yuan" | "¥" | "￥" => Some(CellUnit::Yuan),
        "千元" | "千元人民币" | "人民币千元" | "kcny" | "cnyk" | "1000yuan" | "1,000yuan" | "cny1000" | "cny'000" | "thousandyuan" => {
            Some(CellUnit::ThousandYuan)
        }
        "万元" | "万" | "万元人民币" | "人民币万元" | "10kcny" | "cny10k" | "rmb10k" | "10kyuan" | "10,000yuan" | "10000yuan" | "tenthousandyuan" => {
            Some(CellUnit::WanYuan)
        }
        "百万元" | "百万" | "mcny" | "cnym" | "cnymillion" | "millioncny" | "millionyuan" => Some(CellUnit::MillionYuan),
        "亿元" | "亿" | "亿元人民币" | "hundredmillionyuan" => Some(CellUnit::YiYuan),
        "%" | "百分比" | "百分数" | "percent" | "pct" => Some(CellUnit::Percent),
        "人" | "名" | "人数" | "个" | "项" | "件" | "家" | "次" | "年" | "月" | "个月" | "天" | "日" | "分" | "岁" | "people" | "persons" | "person"
        | "count" | "years" | "year" | "months" | "days" | "points" | "yes/no" | "是/否" | "y/n" | "yyyy-mm-dd" | "年-月-日" => None,
        _ => return None,
    })
}

/// A cell that names a unit (`万元`, `（万元）`, `%`, `人`): `Some(Some(unit))`
/// for money and percent units, `Some(None)` for the others, `None` when
/// it is no unit.
pub(crate) fn cell_unit_token(cell: &str) -> Option<Option<CellUnit>> {
    let t = fold(cell);
    if t.trim().is_empty() {
        return None;
    }
    unit_token(t.trim())
}

/// Take a header apart (see the module documentation): its unit, then its
/// years, and the words left.
fn parse_header(h: &str) -> Parsed {
    let (text, unit) = take_unit(&fold(h));
    let (years, rest) = take_years(&text);
    Parsed { years, rest, unit }
}

/// A folded header without its unit, and the unit: in brackets
/// (`营业收入（万元）`), after a separator (`营业收入/万元`, `资产总额 单位：万元`)
/// or as a suffix (`营业收入万元`, `占比%`). Other bracketed words are kept,
/// without the brackets.
fn take_unit(s: &str) -> (String, Option<CellUnit>) {
    let mut unit = None;
    // Bracketed segments: units are removed (and remembered), others kept without brackets.
    let mut text = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('(') {
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(')') {
            Some(close) => {
                let inner = &after[..close];
                match unit_token(inner) {
                    Some(u) => unit = unit.or(u),
                    None => {
                        text.push(' ');
                        text.push_str(inner);
                        text.push(' ');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                text.push_str(after);
                rest = "";
            }
        }
    }
    text.push_str(rest);
    // A unit after a separator, or a money/percent suffix: `营业收入/万元`, `收入 万元`, `占比%`.
    let trimmed = text.trim_end();
    if let Some(pos) = trimmed.rfind(['/', '|', ' ', ':', '-', '_', ',']) {
        // After a space, dash or comma only money and percent units count (`收入 万元`, not `处罚 日期`).
        let strong = matches!(trimmed.as_bytes()[pos], b'/' | b'|' | b':');
        if let Some(u) = unit_token(&trimmed[pos + 1..]).filter(|u| strong || u.is_some()) {
            // `资产总额 单位：万元`: the word 单位 (unit) goes with the unit.
            let stem = trimmed[..pos].trim_end();
            let bare = stem.trim_end_matches([':', ' ']);
            let stem = bare.strip_suffix("单位").or_else(|| bare.strip_suffix("unit")).filter(|s| !s.trim().is_empty()).unwrap_or(stem);
            if !stem.trim().is_empty() {
                unit = unit.or(u);
                text.truncate(stem.len());
            }
        }
    }
    for (suffix, u) in
        [("百万元", CellUnit::MillionYuan), ("千元", CellUnit::ThousandYuan), ("万元", CellUnit::WanYuan), ("亿元", CellUnit::YiYuan), ("%", CellUnit::Percent)]
    {
        let t = text.trim_end();
        if let Some(stem) = t.strip_suffix(suffix) {
            if !stem.trim().is_empty() {
                unit = unit.or(Some(u));
                text.truncate(stem.len());
            }
            break;
        }
    }
    (text, unit)
}

/// The years a header names (`2025年度`, `2025`, `25年`) and its other
/// letters and digits (spaces and punctuation dropped).
fn take_years(text: &str) -> (Vec<u16>, String) {
    // Years: 19xx or 20xx not touching other digits, with a following 年度 / 年.
    let chars: Vec<char> = text.chars().collect();
    let mut years = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let is_year = i + 4 <= chars.len()
            && chars[i..i + 4].iter().all(char::is_ascii_digit)
            && (chars[i] == '1' && chars[i + 1] == '9' || chars[i] == '2' && chars[i + 1] == '0')
            && (i == 0 || !chars[i - 1].is_ascii_digit())
            && chars.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        // `25年营业收入`, `（24年度）研发费用`: a two-digit year with 年 that
        // starts the header or a part of it; not a span of years (`成立10年`,
        // `近10年`: a word before it; `10年以上`, `15年内`: a word after).
        let short_year = !is_year
            && i + 3 <= chars.len()
            && chars[i..i + 2].iter().all(char::is_ascii_digit)
            && chars[i + 2] == '年'
            && (i == 0 || !chars[i - 1].is_alphanumeric())
            && !matches!(chars.get(i + 3), Some('以' | '内' | '来' | '前' | '后' | '多' | '及' | '期' | '间' | '中' | '底' | '末' | '初'));
        if short_year {
            years.push(2000 + u16::from(chars[i] as u8 - b'0') * 10 + u16::from(chars[i + 1] as u8 - b'0'));
            i += 3;
            if chars.get(i) == Some(&'度') {
                i += 1;
            }
            continue;
        }
        if is_year {
            let y: String = chars[i..i + 4].iter().collect();
            years.push(y.parse().unwrap_or(0));
            i += 4;
            if chars.get(i) == Some(&'年') {
                i += 1;
                if chars.get(i) == Some(&'度') {
                    i += 1;
                }
            }
            continue;
        }
        if chars[i].is_alphanumeric() {
            out.push(chars[i]);
        }
        i += 1;
    }
    (years, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_taken_apart() {
        let p = parse_header("营业收入（万元）2025年");
        assert_eq!((p.years.as_slice(), p.rest.as_str(), p.unit), (&[2025u16][..], "营业收入", Some(CellUnit::WanYuan)));
        assert_eq!(parse_header("2025年营业收入").key(), p.key());
        let p = parse_header("2023—2025年境内研发费用占比(%)");
        assert_eq!((p.key().years, p.rest.as_str(), p.unit), (vec![2023, 2025], "境内研发费用占比", Some(CellUnit::Percent)));
        let p = parse_header("Operating revenue 2025 (CNY 10k)");
        assert_eq!((p.rest.as_str(), p.unit), ("operatingrevenue", Some(CellUnit::WanYuan)));
        let p = parse_header("研发费用/万元");
        assert_eq!((p.rest.as_str(), p.unit), ("研发费用", Some(CellUnit::WanYuan)));
        let p = parse_header("职工人数（人）");
        assert_eq!((p.rest.as_str(), p.unit), ("职工人数", None));
        let p = parse_header("营业收入万元");
        assert_eq!((p.rest.as_str(), p.unit), ("营业收入", Some(CellUnit::WanYuan)));
        assert_eq!(parse_header("高企证书（2023年度）").key().years, vec![2023]);
        // Two-digit years with 年; spans of years stay words.
        assert_eq!(parse_header("25年营业收入").key(), parse_header("2025年营业收入").key());
        assert_eq!(parse_header("24年度研发费用（万元）").key(), parse_header("2024年研发费用").key());
        for span in ["成立10年以上", "近10年营业收入", "15年内研发费用", "2025营业收入12年"] {
            assert!(!parse_header(span).key().years.iter().any(|y| (2010..=2015).contains(y)), "{span}: {:?}", parse_header(span).key());
        }
        let p = parse_header("资产总额 单位：万元");
        assert_eq!((p.rest.as_str(), p.unit), ("资产总额", Some(CellUnit::WanYuan)));
        let p = parse_header("营业收入 单位: 万元");
        assert_eq!((p.rest.as_str(), p.unit), ("营业收入", Some(CellUnit::WanYuan)));
        assert_eq!(without_qualifiers("2025年从业人数（全年季度平均值）").as_deref(), Some("2025年从业人数"));
        assert_eq!(without_qualifiers("营业收入（万元）"), None);
        assert_eq!(without_qualifiers("（备注）"), None);
    }
}
