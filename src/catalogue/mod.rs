//! Catalogues: parse JSON files, validate them, compose several into one
//! (a zone catalogue extends the national one) and compile every criterion
//! once.
//!
//! Every error names the file, the policy, the JSON path and line:column;
//! [`Catalogue::from_sources`] reports *all* errors it can find, not just
//! the first.
//!
//! # Example
//! ```
//! use policy_match::catalogue::Catalogue;
//! let bad = r#"{"format": "policy-match/catalogue@1", "id": "x", "version": "1",
//!   "updated": "2026-01-01", "title": {"zh": "x", "en": "x"},
//!   "policies": [{"id": "p", "title": {"zh": "p", "en": "p"}, "issuer": {"zh": "i", "en": "i"},
//!     "category": "tax", "criteria": [{"id": "C1", "description": {"zh": "d", "en": "d"},
//!     "rule": {"var": "nope"}}]}]}"#;
//! let errors = Catalogue::from_json("x.json", bad).unwrap_err();
//! let e = &errors.0[0];
//! assert_eq!(e.policy.as_deref(), Some("p"));
//! assert_eq!(e.location.path, "policies[0].criteria[0].rule.var");
//! assert_eq!((e.location.line, e.location.column), (5, 21));
//! ```
//!
//! Where things are:
//! - `mod.rs` (here): [`Catalogue`] and its public API, and what it holds
//!   ([`Source`], [`Field`], [`Derived`], [`Policy`], [`Criterion`]).
//! - `read.rs`: one file's text read into a [`Document`] ([`parse_document`]):
//!   size and encoding checks, `serde_json` errors located (JSON path,
//!   line:column, policy) with hints for hand-edited JSON, and a malformed
//!   document read again, element by element, for its other mistakes.
//! - `build.rs`: the documents composed and compiled into a [`Catalogue`],
//!   stage by stage (`extends` order, sections, fields, policies, derived
//!   values, rules, overrides, unused-declaration warnings, evaluation
//!   order), each stage reporting its errors and carrying on.
//! - `model.rs`: the JSON format ([`Document`] and its parts).
//! - `error.rs`: [`Error`], [`Warning`] and their [`Location`].
//! - `locate.rs`: JSON paths to line:column ([`locate`]).
//! - `zh.rs`: the Chinese texts of errors and warnings (not in the wasm).

mod build;
mod error;
// `check`'s comparison of descriptions with rules: for the CLI, not in the wasm.
#[cfg(not(target_arch = "wasm32"))]
mod lint;
mod locate;
mod model;
mod read;
// The Chinese texts of errors and warnings: for the CLI, not in the wasm.
#[cfg(not(target_arch = "wasm32"))]
mod zh;

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value as Json;

pub use error::{CatalogueError, Error, Errors, Location, Warning};
pub use locate::{line_col, locate, locate_all};
pub use model::{
    Application, BenefitDef, Category, CriterionDef, Dec, DerivedDef, Document, EnumOption, FieldDef, FieldType, HttpUrl, Ident, IsoDate, Link, Override,
    PolicyDef, Section, Slug, StackRule, StackingDef, Unit, FORMAT,
};
pub use read::parse_document;
#[cfg(not(target_arch = "wasm32"))]
pub use zh::{message_zh, rule_of, templates};

use build::Builder;
use read::read_document;

use crate::rules::{Date, JsonPath, NodeId, Program, Seg, Ty};
use crate::Text;

/// Largest catalogue file accepted (16 MiB).
pub const MAX_CATALOGUE_BYTES: usize = 16 * 1024 * 1024;

/// Most policies across all loaded catalogues.
pub const MAX_POLICIES: usize = 20_000;

/// A loaded catalogue file's metadata.
#[derive(Clone, Debug, Serialize)]
pub struct Source {
    /// Catalogue id.
    pub id: String,
    /// File name or URL it was loaded from.
    pub file: String,
    /// Title.
    pub title: Text,
    /// Description.
    pub description: Option<Text>,
    /// Publisher.
    pub publisher: Option<Text>,
    /// Version.
    pub version: String,
    /// Last update.
    pub updated: Date,
    /// Region.
    pub region: Option<Text>,
    /// Illustrative only.
    pub example: bool,
    /// Catalogues it extends.
    pub extends: Vec<String>,
}

/// A declared profile field.
#[derive(Clone, Debug, Serialize)]
pub struct Field {
    /// The declaration.
    #[serde(flatten)]
    pub def: FieldDef,
    /// Its type in the criteria language.
    #[serde(skip)]
    pub ty: Ty,
    /// The catalogue that declared it.
    pub catalogue: String,
}

impl Field {
    /// The field's name.
    ///
    /// # Example
    /// ```
    /// # use policy_match::catalogue::Catalogue;
    /// # let cat = Catalogue::from_json("demo.json", r#"{"format": "policy-match/catalogue@1", "id": "demo", "version": "1", "updated": "2026-01-01", "title": {"zh": "示例", "en": "Demo"},
    /// #   "fields": [{"name": "staff", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Staff"}},
    /// #              {"name": "revenue", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "税务局", "en": "Tax bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "staff"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "At most 300 staff"}, "rule": {"<=": [{"var": "staff"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过5000万元", "en": "Revenue at most ¥50M"}, "rule": {"<=": [{"var": "revenue"}, 50000000]}}]}]}"#)?;
    /// let f = cat.field("revenue").unwrap();
    /// assert_eq!((f.name(), f.catalogue.as_str()), ("revenue", "demo"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.def.name.0
    }
}

/// A compiled derived value.
#[derive(Clone, Debug, Serialize)]
pub struct Derived {
    /// Name.
    pub name: String,
    /// Label.
    pub label: Text,
    /// Help.
    pub help: Option<Text>,
    /// Unit.
    pub unit: Option<Unit>,
    /// Root node.
    #[serde(skip)]
    pub node: NodeId,
    /// Type.
    pub ty: Ty,
    /// Field slots it reads (directly or through other derived values).
    #[serde(skip)]
    pub fields: Vec<u32>,
}

/// A compiled criterion.
#[derive(Clone, Debug, Serialize)]
pub struct Criterion {
    /// Id (`C1`…).
    pub id: String,
    /// Description.
    pub description: Text,
    /// How the text was read.
    pub note: Option<Text>,
    /// Root node.
    #[serde(skip)]
    pub node: NodeId,
    /// Field slots it reads.
    #[serde(skip)]
    pub fields: Vec<u32>,
}

/// A compiled policy.
#[derive(Clone, Debug, Serialize)]
pub struct Policy {
    /// Id.
    pub id: String,
    /// Title.
    pub title: Text,
    /// Summary.
    pub summary: Option<Text>,
    /// Issuer.
    pub issuer: Text,
    /// Document numbers.
    pub documents: Vec<String>,
    /// Category.
    pub category: Category,
    /// Tags.
    pub tags: Vec<String>,
    /// Region.
    pub region: Option<Text>,
    /// First day in force.
    pub valid_from: Option<Date>,
    /// Last day in force.
    pub valid_until: Option<Date>,
    /// Application info (after zone overrides).
    pub application: Option<Application>,
    /// Benefit in words.
    pub benefit: Option<Text>,
    /// What the amount measures.
    pub benefit_label: Option<Text>,
    /// Whether an amount formula exists.
    pub has_amount: bool,
    /// Amount formula node.
    #[serde(skip)]
    pub amount: Option<NodeId>,
    /// Stacking rules.
    pub stacking: Vec<StackingDef>,
    /// Notes.
    pub notes: Vec<Text>,
    /// Sources.
    pub sources: Vec<Link>,
    /// Criteria.
    pub criteria: Vec<Criterion>,
    /// Catalogue that declared it.
    pub catalogue: String,
    /// Policies whose verdict it reads.
    pub depends_on: Vec<String>,
    #[serde(skip)]
    pub(crate) deps: Vec<u32>,
    #[serde(skip)]
    pub(crate) origin: (usize, usize),
}

impl Policy {
    /// Whether the policy is in force on `as_of` (inclusive at both ends).
    ///
    /// # Example
    /// ```
    /// # use policy_match::catalogue::Catalogue;
    /// let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01",
    ///   "title": {"zh": "c", "en": "c"}, "policies": [{"id": "p", "title": {"zh": "p", "en": "p"}, "issuer": {"zh": "i", "en": "i"},
    ///   "category": "tax", "valid_from": "2026-01-01", "valid_until": "2026-12-31",
    ///   "criteria": [{"id": "C1", "description": {"zh": "d", "en": "d"}, "rule": true}]}]}"#)?;
    /// let p = cat.policy("p").unwrap();
    /// assert!(p.in_force("2026-12-31".parse()?)); // both ends inclusive
    /// assert!(!p.in_force("2027-01-01".parse()?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn in_force(&self, as_of: Date) -> bool {
        in_force(self.valid_from, self.valid_until, as_of)
    }

    /// The day its validity ended, if that was before `as_of` (an expired
    /// policy cannot be claimed; one not yet in force is not expired).
    ///
    /// # Example
    /// ```
    /// # use policy_match::catalogue::Catalogue;
    /// let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01",
    ///   "title": {"zh": "c", "en": "c"}, "policies": [{"id": "p", "title": {"zh": "p", "en": "p"}, "issuer": {"zh": "i", "en": "i"},
    ///   "category": "tax", "valid_from": "2026-01-01", "valid_until": "2026-12-31",
    ///   "criteria": [{"id": "C1", "description": {"zh": "d", "en": "d"}, "rule": true}]}]}"#)?;
    /// let p = cat.policy("p").unwrap();
    /// assert_eq!(p.ended_before("2027-01-01".parse()?).map(|d| d.to_string()).as_deref(), Some("2026-12-31"));
    /// assert_eq!(p.ended_before("2026-12-31".parse()?), None);
    /// assert_eq!(p.ended_before("2025-06-30".parse()?), None); // not yet in force
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn ended_before(&self, as_of: Date) -> Option<Date> {
        self.valid_until.filter(|u| *u < as_of)
    }
}

fn in_force(from: Option<Date>, until: Option<Date>, as_of: Date) -> bool {
    from.is_none_or(|d| d <= as_of) && until.is_none_or(|d| as_of <= d)
}

/// The part of a [`Policy`] evaluation reads for every profile, kept
/// apart so that a pass over all policies stays in cache.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PolicyMeta {
    /// The benefit formula's node.
    pub(crate) amount: Option<NodeId>,
    valid_from: Option<Date>,
    valid_until: Option<Date>,
}

impl PolicyMeta {
    /// Whether the policy is in force on `as_of`.
    pub(crate) fn in_force(&self, as_of: Date) -> bool {
        in_force(self.valid_from, self.valid_until, as_of)
    }
}

/// One or more catalogues, composed and compiled: ready to evaluate profiles.
#[derive(Clone, Debug)]
pub struct Catalogue {
    /// The files, in composition order (bases first).
    pub sources: Vec<Source>,
    /// Questionnaire sections.
    pub sections: Vec<Section>,
    /// Fields by slot.
    pub fields: Vec<Field>,
    /// Derived values in evaluation order.
    pub derived: Vec<Derived>,
    /// Policies in file order.
    pub policies: Vec<Policy>,
    /// The compiled expressions.
    pub program: Program,
    /// Every criterion's root node, policy by policy (policy index order);
    /// policy `p`'s criteria are `crit_nodes[crit_start[p]..crit_start[p + 1]]`.
    /// Compact, so evaluation does not walk the [`Criterion`] structs.
    pub(crate) crit_nodes: Vec<NodeId>,
    /// Where each policy's criteria start in `crit_nodes` (one more entry than policies).
    pub(crate) crit_start: Vec<u32>,
    /// What evaluating each criterion costs ([`Program::cost`], at least 1),
    /// in `crit_nodes` order.
    pub(crate) crit_cost: Vec<u32>,
    /// The same roots, each policy's ordered cheapest first (by
    /// `crit_cost`): the order verdict-only evaluation tries them in.
    pub(crate) crit_fast: Vec<NodeId>,
    /// (policy, first criterion, end) in evaluation order (referenced
    /// policies first).
    pub(crate) plan: Vec<(u32, u32, u32)>,
    /// What evaluation needs of each policy, by policy index (compact).
    pub(crate) meta: Vec<PolicyMeta>,
    field_index: HashMap<String, u32>,
    policy_index: HashMap<String, u32>,
    /// Warnings found while compiling, with the document and path they are
    /// at: located (line:column) only when asked for.
    static_warnings: Vec<(usize, JsonPath, Warning)>,
    texts: Vec<(String, Arc<str>)>,
}

impl Catalogue {
    /// Parse and compile one catalogue file.
    ///
    /// # Errors
    /// Every error found, each with file, policy, JSON path and line:column.
    ///
    /// # Example
    /// ```
    /// use policy_match::catalogue::Catalogue;
    /// // A trailing comma, as hand-edited files have; see also the module example.
    /// let errors = Catalogue::from_json("c.json", "{\n  \"id\": \"c\",\n}").unwrap_err();
    /// let e = &errors.0[0];
    /// assert_eq!(e.error.kind(), "syntax");
    /// assert_eq!((e.location.line, e.location.column), (3, 1));
    /// ```
    pub fn from_json(file: &str, text: &str) -> Result<Catalogue, Errors> {
        Catalogue::from_sources(&[(file, text)])
    }

    /// Parse, compose and compile several catalogue files (national first or
    /// not: `extends` decides the order). Policy and field ids must be unique
    /// across them.
    ///
    /// # Errors
    /// Every error found in every file.
    ///
    /// # Example
    /// ```
    /// use policy_match::catalogue::Catalogue;
    /// let base = r#"{"format": "policy-match/catalogue@1", "id": "base", "version": "1", "updated": "2026-01-01",
    ///   "title": {"zh": "b", "en": "b"}, "fields": [{"name": "n", "type": "number", "label": {"zh": "n", "en": "n"}}],
    ///   "policies": [{"id": "p", "title": {"zh": "p", "en": "p"}, "issuer": {"zh": "i", "en": "i"}, "category": "tax",
    ///     "criteria": [{"id": "C1", "description": {"zh": "d", "en": "d"}, "rule": {">": [{"var": "n"}, 0]}}]}]}"#;
    /// let zone = r#"{"format": "policy-match/catalogue@1", "id": "zone", "version": "1", "updated": "2026-01-01",
    ///   "title": {"zh": "z", "en": "z"}, "extends": ["base"],
    ///   "policies": [{"id": "q", "title": {"zh": "q", "en": "q"}, "issuer": {"zh": "i", "en": "i"}, "category": "subsidy",
    ///     "criteria": [{"id": "C1", "description": {"zh": "d", "en": "d"}, "rule": {"policy": "p"}}]}]}"#;
    /// let c = Catalogue::from_sources(&[("zone.json", zone), ("base.json", base)]).unwrap();
    /// assert_eq!(c.sources[0].id, "base");
    /// assert_eq!(c.policies.len(), 2);
    /// ```
    pub fn from_sources(files: &[(&str, &str)]) -> Result<Catalogue, Errors> {
        let mut errors = Vec::new();
        let mut docs = Vec::new();
        let mut put = Vec::new();
        for (file, text) in files {
            // A byte-order mark (Notepad, Excel "UTF-8") is not part of the JSON;
            // editors do not count it as a column either.
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            let (doc, e) = read_document(file, text);
            errors.extend(e);
            if let Some((d, p)) = doc {
                docs.push((file.to_string(), Arc::<str>::from(text), d));
                put.extend(p.into_iter().map(|p| (*file, p)));
            }
        }
        if errors.is_empty() {
            return Builder::default().build(docs);
        }
        // Structural mistakes, each file read without them: the rules'
        // errors too, except those in placeholder entries.
        if docs.len() == files.len() {
            if let Err(Errors(more)) = Builder::default().build(docs) {
                let placeholder = |e: &Error| {
                    put.iter().any(|(f, p)| {
                        *f == e.location.file && e.location.path.strip_prefix(p.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
                    })
                };
                errors.extend(more.into_iter().filter(|e| !placeholder(e)));
            }
        }
        Err(Errors(errors))
    }

    /// Parse catalogues given as already-parsed JSON values (e.g. objects
    /// passed from JavaScript). Positions refer to the re-serialised text.
    ///
    /// # Errors
    /// As [`Catalogue::from_sources`].
    ///
    /// # Example
    /// ```
    /// use policy_match::catalogue::Catalogue;
    /// let doc = serde_json::json!({"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01",
    ///     "title": {"zh": "c", "en": "c"}, "fields": [{"name": "staff", "type": "integer", "label": {"zh": "s", "en": "s"}}]});
    /// let cat = Catalogue::from_values(&[("c.json", &doc)])?;
    /// assert_eq!(cat.fields[0].name(), "staff");
    /// let bad = serde_json::json!({"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01",
    ///     "title": {"zh": "c", "en": "c"}, "fields": [{"name": "staff", "type": "integer", "label": {"zh": "s", "en": "s"}, "min": "0"}]});
    /// let e = &Catalogue::from_values(&[("bad.json", &bad)]).unwrap_err().0[0];
    /// assert_eq!((e.error.kind(), e.location.path.as_str()), ("schema", "fields[0].min"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_values(values: &[(&str, &Json)]) -> Result<Catalogue, Errors> {
        let texts: Vec<(String, String)> = values.iter().map(|(n, v)| (n.to_string(), serde_json::to_string_pretty(v).unwrap_or_default())).collect();
        let refs: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
        Catalogue::from_sources(&refs)
    }

    /// The slot of a field by name.
    ///
    /// # Example
    /// ```
    /// # use policy_match::catalogue::Catalogue;
    /// # let cat = Catalogue::from_json("demo.json", r#"{"format": "policy-match/catalogue@1", "id": "demo", "version": "1", "updated": "2026-01-01", "title": {"zh": "示例", "en": "Demo"},
    /// #   "fields": [{"name": "staff", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Staff"}},
    /// #              {"name": "revenue", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "税务局", "en": "Tax bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "staff"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "At most 300 staff"}, "rule": {"<=": [{"var": "staff"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过5000万元", "en": "Revenue at most ¥50M"}, "rule": {"<=": [{"var": "revenue"}, 50000000]}}]}]}"#)?;
    /// # use policy_match::matching::Profile;
    /// let slot = cat.field_slot("revenue").unwrap();
    /// assert_eq!(slot, 1); // declaration order
    /// let p = Profile::from_json_str(&cat, r#"{"revenue": 5}"#)?;
    /// assert_eq!(p.values[slot as usize], policy_match::rules::Value::Num(5.into()));
    /// assert_eq!(cat.field_slot("colour"), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn field_slot(&self, name: &str) -> Option<u32> {
        self.field_index.get(name).copied()
    }

    /// A field by name.
    ///
    /// # Example
    /// ```
    /// # use policy_match::catalogue::Catalogue;
    /// # let cat = Catalogue::from_json("demo.json", r#"{"format": "policy-match/catalogue@1", "id": "demo", "version": "1", "updated": "2026-01-01", "title": {"zh": "示例", "en": "Demo"},
    /// #   "fields": [{"name": "staff", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Staff"}},
    /// #              {"name": "revenue", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "税务局", "en": "Tax bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "staff"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "At most 300 staff"}, "rule": {"<=": [{"var": "staff"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过5000万元", "en": "Revenue at most ¥50M"}, "rule": {"<=": [{"var": "revenue"}, 50000000]}}]}]}"#)?;
    /// # use policy_match::catalogue::{FieldType, Unit};
    /// let f = cat.field("staff").unwrap();
    /// assert_eq!((f.def.ty, f.def.unit), (FieldType::Integer, Some(Unit::People)));
    /// assert_eq!(f.def.label.get("zh"), "职工人数");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.field_slot(name).map(|s| &self.fields[s as usize])
    }

    /// The index of a policy by id.
    ///
    /// # Example
    /// ```
    /// # use policy_match::catalogue::Catalogue;
    /// # let cat = Catalogue::from_json("demo.json", r#"{"format": "policy-match/catalogue@1", "id": "demo", "version": "1", "updated": "2026-01-01", "title": {"zh": "示例", "en": "Demo"},
    /// #   "fields": [{"name": "staff", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Staff"}},
    /// #              {"name": "revenue", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "税务局", "en": "Tax bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "staff"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "At most 300 staff"}, "rule": {"<=": [{"var": "staff"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过5000万元", "en": "Revenue at most ¥50M"}, "rule": {"<=": [{"var": "revenue"}, 50000000]}}]}]}"#)?;
    /// assert_eq!(cat.policy_index("small"), Some(0)); // index into `policies` and into results
    /// assert_eq!(cat.policy_index("large"), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn policy_index(&self, id: &str) -> Option<u32> {
        self.policy_index.get(id).copied()
    }

    /// A policy by id.
    ///
    /// # Example
    /// ```
    /// # use policy_match::catalogue::Catalogue;
    /// # let cat = Catalogue::from_json("demo.json", r#"{"format": "policy-match/catalogue@1", "id": "demo", "version": "1", "updated": "2026-01-01", "title": {"zh": "示例", "en": "Demo"},
    /// #   "fields": [{"name": "staff", "type": "integer", "unit": "people", "label": {"zh": "职工人数", "en": "Staff"}},
    /// #              {"name": "revenue", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}}],
    /// #   "policies": [{"id": "small", "title": {"zh": "小微企业", "en": "Small enterprise"}, "issuer": {"zh": "税务局", "en": "Tax bureau"}, "category": "tax",
    /// #     "benefit": {"text": {"zh": "每人1000元", "en": "¥1,000 a head"}, "amount": {"*": [{"var": "staff"}, 1000]}},
    /// #     "criteria": [{"id": "C1", "description": {"zh": "不超过300人", "en": "At most 300 staff"}, "rule": {"<=": [{"var": "staff"}, 300]}},
    /// #                  {"id": "C2", "description": {"zh": "收入不超过5000万元", "en": "Revenue at most ¥50M"}, "rule": {"<=": [{"var": "revenue"}, 50000000]}}]}]}"#)?;
    /// let p = cat.policy("small").unwrap();
    /// assert_eq!(p.title.get("en"), "Small enterprise");
    /// assert_eq!(p.criteria.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["C1", "C2"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn policy(&self, id: &str) -> Option<&Policy> {
        self.policy_index(id).map(|i| &self.policies[i as usize])
    }

    /// Warnings: declared fields no rule uses, comparisons that can never be
    /// true, (given an as-of date) policies already expired, and, natively
    /// (`policy-match check`, not in the wasm), figures of a criterion's
    /// Chinese description that its rule does not contain
    /// (`description-mismatch`: `5000万元` in the text, `5000` in the rule).
    ///
    /// They are found while compiling but located (line:column) only here,
    /// in one pass over each catalogue text: loading a catalogue does not
    /// pay for it.
    ///
    /// # Example
    /// ```
    /// use policy_match::catalogue::Catalogue;
    /// let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01",
    ///   "title": {"zh": "c", "en": "c"}, "fields": [{"name": "staff", "type": "integer", "label": {"zh": "s", "en": "s"}}],
    ///   "policies": [{"id": "old", "title": {"zh": "p", "en": "p"}, "issuer": {"zh": "i", "en": "i"},
    ///     "category": "tax", "valid_until": "2025-12-31",
    ///     "criteria": [{"id": "C1", "description": {"zh": "d", "en": "d"}, "rule": true}]}]}"#)?;
    /// let w = cat.warnings(Some("2026-07-01".parse()?));
    /// assert_eq!(w.iter().map(|w| w.kind).collect::<Vec<_>>(), ["unused-field", "expired"]);
    /// assert_eq!(w[1].to_string(), "warning[expired]: policy `old`: expired on 2025-12-31, before the as-of date 2026-07-01\n  --> c.json:4:39 at policies[0].valid_until");
    /// assert_eq!(cat.warnings(None).len(), 1); // no as-of date: nothing is expired
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn warnings(&self, as_of: Option<Date>) -> Vec<Warning> {
        let mut all = self.static_warnings.clone();
        if let Some(as_of) = as_of {
            for p in &self.policies {
                if let Some(until) = p.ended_before(as_of) {
                    let (doc, i) = p.origin;
                    let path = JsonPath(vec![Seg::Key("policies".into()), Seg::Index(i), Seg::Key("valid_until".into())]);
                    let message = format!("expired on {until}, before the as-of date {as_of}");
                    all.push((doc, path, Warning { kind: "expired", message, location: Location::default(), policy: Some(p.id.clone()) }));
                }
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        all.extend(lint::description_warnings(self));
        // Every warning located in one pass over each text.
        let paths: Vec<(usize, &JsonPath)> = all.iter().map(|(doc, path, _)| (*doc, path)).collect();
        let locations = locate_many(&self.texts, &paths);
        all.iter().zip(locations).map(|((_, _, w), location)| Warning { location, ..w.clone() }).collect()
    }
}

/// The [`Location`]s of many paths (document index, path), each text
/// scanned once ([`locate_all`]).
fn locate_many(texts: &[(String, Arc<str>)], paths: &[(usize, &JsonPath)]) -> Vec<Location> {
    let mut out = vec![Location::default(); paths.len()];
    for (doc, (file, text)) in texts.iter().enumerate() {
        let here: Vec<usize> = (0..paths.len()).filter(|&i| paths[i].0 == doc).collect();
        if here.is_empty() {
            continue;
        }
        let segs: Vec<&[Seg]> = here.iter().map(|&i| &paths[i].1 .0[..]).collect();
        for (&i, (line, column)) in here.iter().zip(locate_all(text, &segs)) {
            out[i] = Location { file: file.clone(), path: paths[i].1.to_string(), line, column };
        }
    }
    out
}
