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

mod error;
mod locate;
mod model;
// The Chinese texts of errors and warnings: for the CLI, not in the wasm.
#[cfg(not(target_arch = "wasm32"))]
mod zh;

use std::collections::HashSet;

use rustc_hash::FxHashMap as HashMap;
use std::mem::take;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value as Json;

pub use error::{CatalogueError, Error, Errors, Location, Warning};
pub use locate::{line_col, locate, locate_all};
pub use model::{
    Application, BenefitDef, Category, CriterionDef, Dec, DerivedDef, Document, EnumOption, FieldDef, FieldType, HttpUrl, Ident, IsoDate, Link, Override,
    PolicyDef, Section, Slug, StackRule, StackingDef, Unit, FORMAT,
};
#[cfg(not(target_arch = "wasm32"))]
pub use zh::{message_zh, rule_of, templates};

use crate::rules::{closest, did_you_mean, Compiler, Date, ExprRef, FieldInfo, JsonPath, NodeId, Program, Scope, Seg, Ty, View};
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
    /// true, and (given an as-of date) policies already expired.
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
                if let Some(until) = p.valid_until.filter(|u| *u < as_of) {
                    let (doc, i) = p.origin;
                    let path = JsonPath(vec![Seg::Key("policies".into()), Seg::Index(i), Seg::Key("valid_until".into())]);
                    let message = format!("expired on {until}, before the as-of date {as_of}");
                    all.push((doc, path, Warning { kind: "expired", message, location: Location::default(), policy: Some(p.id.clone()) }));
                }
            }
        }
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

/// Parse one file into a [`Document`] (structure only; nothing compiled).
///
/// # Errors
/// The first structural error, with its path and line:column.
///
/// # Example
/// ```
/// use policy_match::catalogue::parse_document;
/// let doc = parse_document("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1",
///   "updated": "2026-01-01", "title": {"zh": "c", "en": "c"}}"#).unwrap();
/// assert_eq!(doc.id.0, "c");
/// let errors = parse_document("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "titel": {}}"#).unwrap_err();
/// assert_eq!(errors[0].error.kind(), "schema");
/// assert_eq!(errors[0].location.path, "titel");
/// ```
pub fn parse_document(file: &str, text: &str) -> Result<Document, Vec<Error>> {
    match read_document(file, text) {
        (Some((doc, _)), errors) if errors.is_empty() => Ok(doc),
        (_, errors) => Err(errors),
    }
}

/// Mark the derived values `reads` as used (see [`Usage::derived`]).
fn mark_used(used: &mut [bool], reads: impl Iterator<Item = u32>) {
    for d in reads {
        if let Some(u) = used.get_mut(d as usize) {
            *u = true;
        }
    }
}

/// A document read as far as it can be, and its structural errors. With
/// mistakes only in policies, sections or overrides, the document is also
/// given as read without them (see [`more_schema_errors`]), so that the
/// rules can be compiled and their errors reported in the same run,
/// with the paths of the placeholder entries put in (errors there are
/// not the author's).
fn read_document(file: &str, text: &str) -> (Option<(Document, Vec<String>)>, Vec<Error>) {
    let loc = |path: String, line: usize, column: usize| Location { file: file.to_string(), path, line, column };
    if text.len() > MAX_CATALOGUE_BYTES {
        let error = CatalogueError::TooLarge { size: text.len(), limit: MAX_CATALOGUE_BYTES };
        return (None, vec![Error { error, location: loc(String::new(), 1, 1), policy: None }]);
    }
    // Text decoded from GBK or UTF-16 as if it were UTF-8 (a browser's
    // `fetch().text()`, a file picker) carries U+FFFD where a character
    // could not be decoded: every Chinese text would be garbled.
    if let Some(at) = text.find('\u{fffd}') {
        let (line, column) = line_col(text, at);
        return (None, vec![Error { error: CatalogueError::Encoding, location: loc(String::new(), line, column), policy: None }]);
    }
    let doc = match serde_json::from_str::<Document>(text) {
        Ok(doc) => doc,
        Err(e) => {
            let mut errors = vec![json_error(file, text, &e)];
            // The text is JSON but not a catalogue: the parse stopped at the
            // first mistake. Each field, derived value, policy and override is
            // read again on its own, so every one with a mistake is reported.
            let mut doc = None;
            if e.classify() == serde_json::error::Category::Data {
                doc = more_schema_errors(file, text, &mut errors)
                    .and_then(|(patched, put)| serde_json::from_str::<Document>(&patched).ok().filter(|d| d.format == FORMAT).map(|d| (d, put)));
            }
            return (doc, errors);
        }
    };
    if doc.format != FORMAT {
        let (line, column) = locate(text, &[Seg::Key("format".into())]);
        return (None, vec![Error { error: CatalogueError::Format(doc.format.clone()), location: loc("format".into(), line, column), policy: None }]);
    }
    (Some((doc, Vec::new())), Vec::new())
}

/// Most schema errors reported for one file.
const MAX_SCHEMA_ERRORS: usize = 100;

/// Most schema errors reported for one element of a top-level array.
const MAX_ELEMENT_ERRORS: usize = 20;

/// The mistakes of each element of the top-level arrays, beyond those
/// already in `errors` (the whole document's first).
///
/// `serde` stops at an element's first mistake, so the element is read
/// again without it, over and over: an entry with a bad key or value is
/// taken out, and a required entry that is missing (or was taken out) is
/// put back with a placeholder value. Each error keeps the place of the
/// original text; "missing" errors that only restate a mistake already
/// reported (an entry taken out, a key misspelt) are left out.
///
/// Returns the whole text with each element read again in its place, and
/// the paths of the entries put back, when every mistake was in a policy,
/// section or override and each of those could be read in the end.
fn more_schema_errors(file: &str, text: &str, errors: &mut Vec<Error>) -> Option<(String, Vec<String>)> {
    /// Read an element as a `T` (one small function per type; the loop
    /// below is shared, not copied for each).
    fn read<T: serde::de::DeserializeOwned>(text: &str) -> Result<(), serde_json::Error> {
        serde_json::from_str::<T>(text).map(drop)
    }
    /// The elements read again, (start, end, text), and whether each was
    /// read in the end.
    #[derive(Default)]
    struct Reread {
        parts: Vec<(usize, usize, String)>,
        put: Vec<String>,
        all_read: bool,
    }
    fn each(file: &str, text: &str, key: &str, read: Read, errors: &mut Vec<Error>, out: &mut Reread) {
        for (i, (start, end)) in locate::element_spans(text, key).into_iter().enumerate() {
            let Some(part) = text.get(start..end) else { continue };
            let mut el = Patched { text: part.to_string(), edits: Vec::new(), removed: Vec::new(), put: Vec::new() };
            let mut done = false;
            for _ in 0..MAX_ELEMENT_ERRORS {
                let Err(e) = read(&el.text) else {
                    done = true;
                    break;
                };
                if e.classify() != serde_json::error::Category::Data || errors.len() >= MAX_SCHEMA_ERRORS {
                    break;
                }
                let at = start + el.original(byte_offset(&el.text, e.line(), e.column()));
                let (err, path) = json_error_at(file, text, at, &e);
                // The path inside the element (after `policies[3]`).
                let inner = path.0.get(2..).unwrap_or(&[]);
                let message = match &err.error {
                    CatalogueError::Schema(m) => m.as_str(),
                    _ => "",
                };
                let missing = message.strip_prefix("missing field `").and_then(|m| m.strip_suffix('`')).map(str::to_string);
                // Missing because taken out, or misspelt (an unknown key taken out of the same object).
                let restated = missing.as_ref().is_some_and(|k| el.removed.iter().any(|(object, key, unknown)| object == inner && (key == k || *unknown)));
                let unknown = message.starts_with("unknown field");
                let known = errors.iter().any(|x| x.location.path == err.location.path && x.error.to_string() == err.error.to_string());
                if !known && !restated {
                    errors.push(err);
                }
                let go_on = match missing {
                    Some(k) => el.put_back(read, inner, &k),
                    None => el.take_out(inner, unknown),
                };
                if !go_on {
                    break;
                }
            }
            if !el.edits.is_empty() {
                out.all_read &= done;
                let at = |p: &Vec<Seg>| JsonPath([Seg::Key(key.to_string().into()), Seg::Index(i)].into_iter().chain(p.iter().cloned()).collect()).to_string();
                out.put.extend(el.put.iter().map(at));
                // In text order (no sort: its code is kilobytes of the bundle).
                let at = out.parts.partition_point(|p| p.0 < start);
                out.parts.insert(at, (start, end, el.text));
            }
        }
    }
    // Rules are compiled against the declarations: none may be guessed.
    let mut declared = Reread { all_read: true, ..Reread::default() };
    each(file, text, "fields", read::<model::FieldDef>, errors, &mut declared);
    each(file, text, "derived", read::<model::DerivedDef>, errors, &mut declared);
    let mut out = Reread { all_read: declared.parts.is_empty(), ..Reread::default() };
    each(file, text, "sections", read::<model::Section>, errors, &mut out);
    each(file, text, "policies", read::<model::PolicyDef>, errors, &mut out);
    each(file, text, "overrides", read::<model::Override>, errors, &mut out);
    if !out.all_read || errors.len() >= MAX_SCHEMA_ERRORS {
        return None;
    }
    let mut whole = String::with_capacity(text.len());
    let mut from = 0;
    for (start, end, part) in &out.parts {
        whole.push_str(text.get(from..*start)?);
        whole.push_str(part);
        from = *end;
    }
    whole.push_str(text.get(from..)?);
    Some((whole, out.put))
}

/// Placeholder values tried for a required entry, in order: an id, a text,
/// a list, a rule, a number, a category, a field type, a date, an object,
/// a link.
const PLACEHOLDERS: [&str; 10] =
    ["\"x\"", "{\"zh\":\"x\",\"en\":\"x\"}", "[]", "true", "0", "\"other\"", "\"number\"", "\"2026-01-01\"", "{}", "\"https://x\""];

/// Reads one element of a top-level array as its type.
type Read = fn(&str) -> Result<(), serde_json::Error>;

/// One element's text with mistakes taken out, and how to find a place of
/// the original text in it.
struct Patched {
    text: String,
    /// Each change in order: (offset, bytes removed, bytes inserted).
    edits: Vec<(usize, usize, usize)>,
    /// Entries taken out: (the object's path, its key, whether the key was unknown).
    removed: Vec<(Vec<Seg>, String, bool)>,
    /// The paths of the entries put back.
    put: Vec<Vec<Seg>>,
}

impl Patched {
    /// The offset in the original text of offset `at` of the patched one
    /// (an offset inside inserted text: where it was inserted).
    fn original(&self, mut at: usize) -> usize {
        for &(start, removed, inserted) in self.edits.iter().rev() {
            if at >= start + inserted {
                at = at - inserted + removed;
            } else if at > start {
                at = start;
            }
        }
        at
    }

    fn replace(&mut self, start: usize, end: usize, with: &str) {
        self.text.replace_range(start..end, with);
        self.edits.push((start, end - start, with.len()));
    }

    /// Take out the entry the mistake at `path` is in. False when the
    /// mistake is not inside an entry.
    fn take_out(&mut self, path: &[Seg], unknown: bool) -> bool {
        let Some(k) = path.iter().rposition(|s| matches!(s, Seg::Key(_))) else { return false };
        let Some((start, end)) = locate::entry_span(&self.text, &path[..=k]) else { return false };
        if let Seg::Key(key) = &path[k] {
            self.removed.push((path[..k].to_vec(), key.to_string(), unknown));
        }
        self.replace(start, end, "");
        true
    }

    /// Put the required entry `key` back into the object at `path`, with
    /// the first placeholder value its type takes. False when none does.
    fn put_back(&mut self, read: Read, path: &[Seg], key: &str) -> bool {
        let Some((at, empty)) = locate::object_start(&self.text, path) else { return false };
        let quoted = serde_json::to_string(key).unwrap_or_default();
        for value in PLACEHOLDERS {
            let entry = format!("{quoted}:{value}{}", if empty { "" } else { "," });
            let mut text = self.text.clone();
            text.insert_str(at, &entry);
            // Taken when the next mistake is elsewhere (or there is none). A
            // value's own mistake is found up to the character after the
            // entry (the `}` of an object that had no other entry); another
            // required entry found missing there is elsewhere.
            let taken = match read(&text) {
                Ok(_) => true,
                Err(e) => {
                    let to = byte_offset(&text, e.line(), e.column());
                    e.classify() == serde_json::error::Category::Data
                        && (!(at..=at + entry.len() + 1).contains(&to) || e.to_string().starts_with("missing field"))
                }
            };
            if taken {
                self.text = text;
                self.edits.push((at, 0, entry.len()));
                self.put.push(path.iter().cloned().chain([Seg::Key(key.to_string().into())]).collect());
                return true;
            }
        }
        false
    }
}

/// Locate a `serde_json` error in `text`: the JSON path of the value it is
/// about (found by reading the text up to the error's position), its
/// line:column in characters and the policy it is in.
fn json_error(file: &str, text: &str, e: &serde_json::Error) -> Error {
    json_error_at(file, text, byte_offset(text, e.line(), e.column()), e).0
}

/// [`json_error`] for an error at byte offset `end` of `text` (where it
/// was found in a part or a patched copy of it), and its JSON path.
fn json_error_at(file: &str, text: &str, end: usize, e: &serde_json::Error) -> (Error, JsonPath) {
    let mut message = e.to_string();
    if let Some(p) = message.rfind(" at line ") {
        message.truncate(p);
    }
    let blame = locate::Blame::of(e.classify(), &message);
    let end = end.min(text.len());
    let path = locate::path_at(text, end, blame);
    // The character just read: the one before `end` on its line.
    let line_start = text.get(..end).and_then(|s| s.rfind('\n')).map_or(0, |p| p + 1);
    let mut last = end.saturating_sub(1).max(line_start);
    while !text.is_char_boundary(last) {
        last -= 1;
    }
    let (line, column) = locate::line_col(text, last);
    // A syntax error: only what precedes it is sure to be JSON.
    let read = if blame == locate::Blame::Syntax { &text.as_bytes()[..end] } else { text.as_bytes() };
    let policy = match path.0.as_slice() {
        [Seg::Key(k), Seg::Index(i), ..] if k == "policies" => locate::string_at(read, &[Seg::Key("policies".into()), Seg::Index(*i), Seg::Key("id".into())]),
        _ => None,
    };
    let error = match e.classify() {
        serde_json::error::Category::Data => CatalogueError::Schema(message),
        category => {
            if let (serde_json::error::Category::Syntax, Some(c)) = (category, full_width_near(text, end)) {
                message
                    .push_str(&format!(" (“{c}” here is full-width punctuation, typed with a Chinese input method: JSON needs the ASCII , : \" characters)"));
            } else if message == "trailing comma" {
                message.push_str(" (“,” after the last element: delete it, JSON allows no comma before ] or })");
            } else if let Some(n) = grouped_number_before(text, end).filter(|_| matches!(message.as_str(), "invalid number" | "key must be a string")) {
                message.push_str(&format!(" (“,” in a number: JSON numbers have no thousands separators; write {n})"));
            } else if category == serde_json::error::Category::Syntax {
                // (Not at the end of a text cut short: its last character was read as part of a string.)
                syntax_hint(text, last, &mut message);
            }
            CatalogueError::Syntax(message)
        }
    };
    let at = if path.0.is_empty() { String::new() } else { path.to_string() };
    (Error { error, location: Location { file: file.to_string(), path: at, line, column }, policy }, path)
}

/// The full-width punctuation mark (，：“” …) the parser stopped at (the
/// character it was reading at byte offset `at`), if it is one: the usual
/// cause of a syntax error in a catalogue typed with a Chinese input method.
/// Only that character: the same marks inside Chinese strings are fine.
fn full_width_near(text: &str, at: usize) -> Option<char> {
    let mut at = at.saturating_sub(1).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    text.get(at..)?.chars().next().filter(|c| matches!(c, '，' | '：' | '“' | '”' | '‘' | '’' | '；' | '｛' | '｝' | '［' | '］'))
}

/// A number written with thousands separators (`3,000,000`) that the
/// parser stopped in (at byte offset `at`), without them: `3000000`.
fn grouped_number_before(text: &str, at: usize) -> Option<String> {
    let b = text.as_bytes();
    let at = at.min(b.len());
    let number = |c: u8| c.is_ascii_digit() || c == b',';
    let start = b[..at].iter().rposition(|&c| !number(c)).map_or(0, |i| i + 1);
    let end = b[at..].iter().position(|&c| !number(c)).map_or(b.len(), |i| at + i);
    let s = text.get(start..end)?.trim_matches(',');
    let groups: Vec<&str> = s.split(',').collect();
    let grouped = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|c| c.is_ascii_digit()));
    grouped.then(|| groups.concat())
}

/// Append to the syntax error `message` a hint when the text at the
/// character the parser stopped at (byte `at` of `text`) shows a usual
/// mistake of a file edited by hand: a number with a unit (`100万`, `10%`),
/// a single-quoted string, a comment, a comma missing at the end of a
/// line, a Python or JavaScript literal (`True`, `None`, `NaN`). `None`
/// when it shows none (nothing appended).
#[inline(never)] // (Inlined into `json_error_at`, the wasm is larger.)
fn syntax_hint(text: &str, at: usize, message: &mut String) -> Option<()> {
    use std::fmt::Write;
    let b = text.as_bytes();
    let rest = text.get(at..)?;
    let c = rest.chars().next()?;
    let (comma, list, value) = (message.starts_with("expected `,`"), message.ends_with("`]`"), message == "expected value");
    match c {
        '万' | '亿' | '元' | '%' | '％' => {
            // The JSON number just before it, times 10^4 for 万, 10^8 for 亿 (exactly).
            let mut from = at;
            while from > 0 && matches!(b.get(from - 1), Some(b'0'..=b'9' | b'.' | b'-' | b'+' | b'e' | b'E')) {
                from -= 1;
            }
            let number = text.get(from..at)?;
            let (e, tail) = match c {
                '万' => ("e4", ""),
                '亿' => ("e8", ""),
                '元' => ("", ""),
                _ => ("", " if the field's unit is percent; a rate in a formula is a fraction"),
            };
            let n = crate::rules::parse_decimal(&[number, e].concat()).ok()?;
            write!(message, " (“{c}” after a number: JSON numbers are plain digits; write {n}{tail})").ok()?;
        }
        '\'' => message.push_str(" (“'” here: JSON strings use double quotes)"),
        '/' if matches!(b.get(at + 1), Some(b'/' | b'*')) => {
            message.push_str(" (JSON has no comments: delete it, or use a policy's `notes` or a criterion's `note`, shown to users)")
        }
        // After a value, on a later line, the next key (in an object) or
        // element (in a list; not a string: before a key, a `]` is missing).
        _ if comma && if list { matches!(c, '{' | '[' | '-' | '0'..='9' | 't' | 'f' | 'n') } else { c == '"' } => {
            // Only across lines: on one line, the position already shows where.
            let value_end = b.get(..at)?.trim_ascii_end().len();
            if !b.get(value_end..at)?.contains(&b'\n') {
                return None;
            }
            write!(message, " (“,” is missing at the end of line {})", locate::line_col(text, value_end).0).ok()?;
        }
        // Python's and JavaScript's: the parser stops at their first letter.
        _ if value => {
            let (_, hint) = [
                ("True", " (“True” is not JSON: write true)"),
                ("False", " (“False” is not JSON: write false)"),
                ("None", " (“None” is not JSON: write null)"),
                ("NaN", " (“NaN” is not JSON: write null, or leave the entry out)"),
                ("undefined", " (“undefined” is not JSON: write null, or leave the entry out)"),
            ]
            .into_iter()
            .find(|(w, _)| rest.starts_with(w) && !b.get(at + w.len()).is_some_and(u8::is_ascii_alphanumeric))?;
            message.push_str(hint);
        }
        _ => return None,
    }
    Some(())
}

/// The byte offset of `serde_json`'s 1-based line and 0-based byte column
/// (the number of bytes read).
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let start = match line.checked_sub(2) {
        Some(n) => text.match_indices('\n').nth(n).map_or(text.len(), |(p, _)| p + 1),
        None => 0,
    };
    start.saturating_add(column).min(text.len())
}

fn field_ty(t: FieldType) -> Ty {
    match t {
        FieldType::Number | FieldType::Integer => Ty::Num,
        FieldType::Boolean => Ty::Bool,
        FieldType::Enum | FieldType::String => Ty::Str,
        FieldType::Date => Ty::Date,
        FieldType::DateList => Ty::Dates,
        FieldType::StringList => Ty::Strs,
    }
}

struct FieldSlot {
    ty: Ty,
    /// In percent (10 means 10 %).
    percent: bool,
    options: Vec<String>,
    min: Option<Decimal>,
    max: Option<Decimal>,
}

#[derive(Default)]
struct Names {
    field_index: HashMap<String, u32>,
    fields: Vec<FieldSlot>,
    /// Index, type and whether in percent.
    derived: HashMap<String, (u32, Ty, bool)>,
    derived_names: Vec<String>,
    policy_index: HashMap<String, u32>,
    /// Field names by slot and policy ids by index: "did you mean" scans
    /// these in declaration order, so a tie is always broken the same way.
    field_names: Vec<String>,
    policy_ids: Vec<String>,
}

impl Scope for Names {
    fn field(&self, name: &str) -> Option<FieldInfo<'_>> {
        let slot = *self.field_index.get(name)?;
        let f = &self.fields[slot as usize];
        Some(FieldInfo { slot, ty: f.ty, options: &f.options, min: f.min, max: f.max })
    }
    fn derived(&self, name: &str) -> Option<(u32, Ty)> {
        self.derived.get(name).map(|&(i, ty, _)| (i, ty))
    }
    fn policy(&self, id: &str) -> Option<u32> {
        self.policy_index.get(id).copied()
    }
    fn var_names(&self) -> Vec<&str> {
        self.field_names.iter().map(String::as_str).chain(self.derived_names.iter().map(String::as_str)).collect()
    }
    fn policy_ids(&self) -> Vec<&str> {
        self.policy_ids.iter().map(String::as_str).collect()
    }
    fn field_name(&self, slot: u32) -> Option<&str> {
        self.field_names.get(slot as usize).map(String::as_str)
    }
    fn percent(&self, name: &str) -> bool {
        match self.field_index.get(name) {
            Some(&slot) => self.fields.get(slot as usize).is_some_and(|f| f.percent),
            None => self.derived.get(name).is_some_and(|d| d.2),
        }
    }
}

/// What the compiled rules read and what compiling them warned of, gathered
/// while the catalogue is built, for the warnings kept with it.
#[derive(Default)]
struct Usage {
    /// The field slots a rule or a used derived value reads.
    fields: HashSet<u32>,
    /// Per compiled derived value: whether a rule or another derived value
    /// reads it.
    derived: Vec<bool>,
    /// Per compiled derived value: where it is declared (document, index).
    derived_at: Vec<(usize, usize)>,
    /// Per compiled derived value: the derived values it reads (used only
    /// if it is: a value only an unused one reads is unused too).
    derived_reads: Vec<Vec<u32>>,
    /// The compiler's warnings: (document, path, kind, message, policy).
    warnings: Vec<(usize, JsonPath, &'static str, String, Option<String>)>,
}

impl Usage {
    /// Keep the compiler's warnings for a rule of document `di` (and of
    /// `policy`).
    fn add_warnings(&mut self, di: usize, warnings: Vec<(JsonPath, &'static str, String)>, policy: Option<&str>) {
        self.warnings.extend(warnings.into_iter().map(|(path, kind, m)| (di, path, kind, m, policy.map(str::to_string))));
    }
}

/// A key of a JSON path.
fn key(name: &'static str) -> Seg {
    Seg::Key(name.into())
}

/// ` (did you mean `…`?)` for an unknown policy id close to a known one, or
/// nothing.
fn did_you_mean_policy(names: &Names, id: &str) -> String {
    did_you_mean(closest(id, names.policy_ids().into_iter()).as_deref())
}

#[derive(Default)]
struct Builder {
    errors: Vec<Error>,
    /// Errors found but not yet located: located together by
    /// [`Builder::locate_pending`], one pass over each text.
    pending: Vec<(usize, JsonPath, CatalogueError, Option<String>)>,
    warnings: Vec<(usize, JsonPath, Warning)>,
    texts: Vec<(String, Arc<str>)>,
}

impl Builder {
    fn err(&mut self, doc: usize, path: JsonPath, error: CatalogueError, policy: Option<&str>) {
        self.pending.push((doc, path, error, policy.map(str::to_string)));
    }

    /// Locate the pending errors in the current texts (a catalogue with many
    /// mistakes is read once per text, not once per mistake).
    fn locate_pending(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        let paths: Vec<(usize, &JsonPath)> = pending.iter().map(|(doc, path, _, _)| (*doc, path)).collect();
        let locations = locate_many(&self.texts, &paths);
        for ((_, _, error, policy), location) in pending.into_iter().zip(locations) {
            self.errors.push(Error { error, location, policy });
        }
    }

    /// The errors so far, located.
    fn failed(mut self) -> Errors {
        self.locate_pending();
        Errors(self.errors)
    }

    /// Compose the documents into one catalogue, stage by stage: each stage
    /// reports what is wrong in its part and carries on, so that one run
    /// finds every mistake it can.
    fn build(mut self, docs: Vec<(String, Arc<str>, Document)>) -> Result<Catalogue, Errors> {
        let mut docs = self.order(docs);
        self.texts = docs.iter().map(|(f, t, _)| (f.clone(), t.clone())).collect();
        if !self.errors.is_empty() {
            return Err(self.failed());
        }
        let (sources, sections) = self.sources_and_sections(&docs);
        let mut names = Names::default();
        let (fields, field_origin) = self.declare_fields(&docs, &sections, &mut names);
        let policy_refs = self.declare_policies(&docs, &mut names);
        let mut program = Program::default();
        // The fields whose strings rules read as the city they name.
        for (slot, f) in fields.iter().enumerate() {
            if f.def.reads_city() {
                program.city_slots.push(slot as u32);
            }
        }
        let mut usage = Usage::default();
        let derived = self.compile_derived(&docs, &mut names, &mut program, &mut usage);
        let mut policies = self.compile_policies(&mut docs, &policy_refs, &names, &mut program, &derived, &mut usage);
        self.suggest_option_values(&fields);
        // `policies[i]` is the policy of `policy_refs[i]`.
        for i in 0..policies.len() {
            let ids = policies[i].deps.iter().map(|&d| policies.get(d as usize).map(|q| q.id.clone()).unwrap_or_default()).collect();
            policies[i].depends_on = ids;
        }
        self.apply_overrides(&docs, &names, &mut policies);
        let order = self.policy_order(&policies, &docs);
        self.unused_warnings(&fields, &field_origin, &derived, usage);

        if !self.errors.is_empty() || !self.pending.is_empty() {
            return Err(self.failed());
        }
        let field_index = names.field_index;
        let policy_index = names.policy_index;
        let mut crit_nodes = Vec::new();
        let mut crit_start = vec![0];
        for p in &policies {
            crit_nodes.extend(p.criteria.iter().map(|c| c.node));
            crit_start.push(crit_nodes.len() as u32);
        }
        let crit_cost: Vec<u32> = crit_nodes.iter().map(|&n| program.cost(n).max(1)).collect();
        let mut crit_fast = Vec::with_capacity(crit_nodes.len());
        for w in crit_start.windows(2) {
            let mut roots: Vec<usize> = (w[0] as usize..w[1] as usize).collect();
            roots.sort_by_key(|&c| crit_cost[c]);
            crit_fast.extend(roots.into_iter().map(|c| crit_nodes[c]));
        }
        let plan = order.iter().map(|&pi| (pi, crit_start[pi as usize], crit_start[pi as usize + 1])).collect();
        let meta = policies.iter().map(|p| PolicyMeta { amount: p.amount, valid_from: p.valid_from, valid_until: p.valid_until }).collect();
        Ok(Catalogue {
            sources,
            sections,
            fields,
            derived,
            policies,
            program,
            crit_nodes,
            crit_start,
            crit_cost,
            crit_fast,
            plan,
            meta,
            field_index,
            policy_index,
            static_warnings: self.warnings,
            texts: self.texts,
        })
    }

    /// Each document's description, and the questionnaire sections of all
    /// (a section repeated with other content is an error).
    fn sources_and_sections(&mut self, docs: &[(String, Arc<str>, Document)]) -> (Vec<Source>, Vec<Section>) {
        let mut sources = Vec::new();
        let mut sections: Vec<Section> = Vec::new();
        for (di, (file, _, d)) in docs.iter().enumerate() {
            sources.push(Source {
                id: d.id.0.clone(),
                file: file.clone(),
                title: d.title.clone(),
                description: d.description.clone(),
                publisher: d.publisher.clone(),
                version: d.version.clone(),
                updated: d.updated.0,
                region: d.region.clone(),
                example: d.example,
                extends: d.extends.iter().map(|s| s.0.clone()).collect(),
            });
            for (si, s) in d.sections.iter().enumerate() {
                match sections.iter().find(|x| x.id == s.id) {
                    Some(x) if x == s => {}
                    Some(_) => self.err(
                        di,
                        JsonPath(vec![key("sections"), Seg::Index(si)]),
                        CatalogueError::Duplicate { what: "section", id: s.id.0.clone(), first: None },
                        None,
                    ),
                    None => sections.push(s.clone()),
                }
            }
        }
        (sources, sections)
    }

    /// The fields of all documents, each given its slot in `names` (a field
    /// a zone repeats unchanged from its base is the same field), with where
    /// each is declared (document, index).
    fn declare_fields(&mut self, docs: &[(String, Arc<str>, Document)], sections: &[Section], names: &mut Names) -> (Vec<Field>, Vec<(usize, usize)>) {
        let mut fields: Vec<Field> = Vec::new();
        let mut field_origin: Vec<(usize, usize)> = Vec::new();
        for (di, (_, _, d)) in docs.iter().enumerate() {
            for (fi, f) in d.fields.iter().enumerate() {
                let at = JsonPath(vec![key("fields"), Seg::Index(fi)]);
                let name = f.name.0.clone();
                if let Some(&slot) = names.field_index.get(&name) {
                    let prev = &fields[slot as usize];
                    if prev.def != *f {
                        let first = Some(format!("catalogue `{}`", prev.catalogue));
                        self.err(di, at, CatalogueError::Duplicate { what: "field", id: name, first }, None);
                    }
                    continue;
                }
                self.check_field(di, &at, f, sections);
                let ty = field_ty(f.ty);
                let slot = fields.len() as u32;
                names.field_names.push(name.clone());
                names.field_index.insert(name, slot);
                names.fields.push(FieldSlot {
                    ty,
                    percent: f.unit == Some(Unit::Percent),
                    options: f.options.iter().map(|o| o.value.clone()).collect(),
                    min: f.min.map(|m| m.0),
                    max: f.max.map(|m| m.0),
                });
                fields.push(Field { def: f.clone(), ty, catalogue: d.id.0.clone() });
                field_origin.push((di, fi));
            }
        }
        (fields, field_origin)
    }

    /// The policy ids of all documents, declared in `names` before any rule
    /// is compiled, so that references resolve in any order. Returns where
    /// each policy is declared (document, index); a repeated id is an error
    /// that names the first declaration's file and line.
    fn declare_policies(&mut self, docs: &[(String, Arc<str>, Document)], names: &mut Names) -> Vec<(usize, usize)> {
        let mut policy_refs: Vec<(usize, usize)> = Vec::new();
        let mut policy_cat: Vec<String> = Vec::new();
        // (document, index) of each repeated id and the index of its first declaration.
        let mut repeats: Vec<(usize, usize, usize)> = Vec::new();
        for (di, (_, _, d)) in docs.iter().enumerate() {
            for (pi, pd) in d.policies.iter().enumerate() {
                let id = pd.id.0.clone();
                if let Some(&prev) = names.policy_index.get(&id) {
                    repeats.push((di, pi, prev as usize));
                    continue;
                }
                names.policy_ids.push(id.clone());
                names.policy_index.insert(id, policy_refs.len() as u32);
                policy_refs.push((di, pi));
                policy_cat.push(d.id.0.clone());
            }
        }
        // Where each first declaration is: the file and line to compare with
        // (all found in one pass over each text).
        let id_at = |pi: usize| JsonPath(vec![key("policies"), Seg::Index(pi), key("id")]);
        let firsts: Vec<(usize, JsonPath)> = repeats.iter().map(|&(_, _, prev)| (policy_refs[prev].0, id_at(policy_refs[prev].1))).collect();
        let there = locate_many(&self.texts, &firsts.iter().map(|(d, path)| (*d, path)).collect::<Vec<_>>());
        for (&(di, pi, prev), there) in repeats.iter().zip(there) {
            let id = docs[di].2.policies[pi].id.0.clone();
            let first = Some(format!("catalogue `{}`, {}:{}", policy_cat[prev], there.file, there.line));
            self.err(di, id_at(pi), CatalogueError::Duplicate { what: "policy", id: id.clone(), first }, Some(&id));
        }
        if policy_refs.len() > MAX_POLICIES {
            self.err(0, JsonPath::default(), CatalogueError::Invalid(format!("{} policies; at most {MAX_POLICIES} are supported", policy_refs.len())), None);
        }
        policy_refs
    }

    /// Compile the derived values in dependency order (each reads only
    /// earlier ones), declaring each in `names` for the rules after it.
    fn compile_derived(&mut self, docs: &[(String, Arc<str>, Document)], names: &mut Names, program: &mut Program, usage: &mut Usage) -> Vec<Derived> {
        let mut derived: Vec<Derived> = Vec::new();
        let derived_defs: Vec<(usize, usize, &DerivedDef)> =
            docs.iter().enumerate().flat_map(|(di, (_, _, d))| d.derived.iter().enumerate().map(move |(i, x)| (di, i, x))).collect();
        names.derived_names = derived_defs.iter().map(|(_, _, d)| d.name.0.clone()).collect();
        let order = self.derived_order(&derived_defs, names);
        for i in order {
            let (di, xi, def) = derived_defs[i];
            let at = JsonPath(vec![key("derived"), Seg::Index(xi), key("expr")]);
            let derived_fields: Vec<Vec<u32>> = derived.iter().map(|d| d.fields.clone()).collect();
            let mut c = Compiler::new(program, names);
            let compiled = c.compile(&def.expr, &at, None, false);
            let fl = c.fields_read(&derived_fields);
            let reads: Vec<u32> = c.derived_read().collect();
            let (errs, warns, used) = (std::mem::take(&mut c.errors), std::mem::take(&mut c.warnings), std::mem::take(&mut c.used_fields));
            for e in errs {
                let path = e.path().clone();
                self.err(di, path, e.into(), None);
            }
            usage.add_warnings(di, warns, None);
            let t = match compiled {
                Some(t) if matches!(t.ty, Ty::Bool | Ty::Num | Ty::Date) => t,
                other => {
                    if let Some(t) = other {
                        let m = format!("a derived value is a number, boolean or date; this one is a {}", t.ty);
                        self.err(di, at, CatalogueError::Invalid(m), None);
                    }
                    // With an error here, what it reads is not reported unused too.
                    mark_used(&mut usage.derived, reads.into_iter());
                    continue;
                }
            };
            let idx = derived.len() as u32;
            usage.derived_reads.push(reads);
            usage.derived.push(false);
            usage.derived_at.push((di, xi));
            usage.fields.extend(used.iter().copied());
            names.derived.insert(def.name.0.clone(), (idx, t.ty, def.unit == Some(Unit::Percent)));
            derived.push(Derived {
                name: def.name.0.clone(),
                label: def.label.clone(),
                help: def.help.clone(),
                unit: def.unit,
                node: t.id,
                ty: t.ty,
                fields: fl,
            });
        }
        derived
    }

    /// Compile every policy (`policy_refs` in order): its criteria, its
    /// benefit formula and its stacking rules, checked as it goes. The
    /// policy's texts are moved, not copied, out of `docs`.
    fn compile_policies(
        &mut self,
        docs: &mut [(String, Arc<str>, Document)],
        policy_refs: &[(usize, usize)],
        names: &Names,
        program: &mut Program,
        derived: &[Derived],
        usage: &mut Usage,
    ) -> Vec<Policy> {
        let derived_fields: Vec<Vec<u32>> = derived.iter().map(|d| d.fields.clone()).collect();
        let mut policies: Vec<Policy> = Vec::with_capacity(policy_refs.len());
        // One compiler (and one rule path, updated in place) for every
        // criterion and benefit formula.
        let mut c = Compiler::new(program, names);
        let mut rule_at = JsonPath(vec![key("policies"), Seg::Index(0), key("criteria"), Seg::Index(0), key("rule")]);
        for &(di, pi) in policy_refs {
            let catalogue = docs[di].2.id.0.clone();
            let pd = &mut docs[di].2.policies[pi];
            let pid = pd.id.0.as_str();
            let base = [key("policies"), Seg::Index(pi)];
            let at = |extra: Vec<Seg>| JsonPath(base.iter().cloned().chain(extra).collect());
            if pd.criteria.is_empty() {
                self.err(di, at(vec![key("criteria")]), CatalogueError::Invalid("a policy needs at least one criterion".into()), Some(pid));
            }
            if let (Some(a), Some(b)) = (pd.valid_from, pd.valid_until) {
                if a > b {
                    self.err(di, at(vec![key("valid_until")]), CatalogueError::Invalid(format!("valid_until {} is before valid_from {}", b.0, a.0)), Some(pid));
                }
            }
            if let Some(app) = &pd.application {
                self.check_application(di, at(vec![key("application")]), app, Some(pid));
            }
            let mut compiled_criteria = Vec::with_capacity(pd.criteria.len());
            let mut deps = Vec::new();
            for (ci, cd) in pd.criteria.iter().enumerate() {
                if pd.criteria[..ci].iter().any(|x| x.id == cd.id) {
                    self.err(
                        di,
                        at(vec![key("criteria"), Seg::Index(ci), key("id")]),
                        CatalogueError::Duplicate { what: "criterion", id: cd.id.0.clone(), first: None },
                        Some(pid),
                    );
                }
                rule_at.0[1] = Seg::Index(pi);
                rule_at.0[3] = Seg::Index(ci);
                let compiled = c.compile(&cd.rule, &rule_at, Some(Ty::Bool), true);
                if compiled.is_some() {
                    deps.extend(c.policies_read());
                }
                let fl = c.fields_read(&derived_fields);
                self.take_rule_findings(&mut c, di, pid, usage);
                if let Some(t) = compiled {
                    compiled_criteria.push((ci, t.id, fl));
                }
            }
            // Criteria must all be met: two that bound one field to no value
            // make the policy unreachable.
            let roots: Vec<NodeId> = compiled_criteria.iter().map(|&(_, node, _)| node).collect();
            let index: Vec<usize> = compiled_criteria.iter().map(|&(ci, _, _)| ci).collect();
            let criterion_id = |i: usize| index.get(i).map_or("?", |&ci| pd.criteria[ci].id.0.as_str());
            c.check_conjunction(
                &roots,
                |i| format!("criterion {}", criterion_id(i)),
                |i| at(vec![key("criteria"), Seg::Index(index.get(i).copied().unwrap_or(0)), key("rule")]),
            );
            usage.add_warnings(di, take(&mut c.warnings), Some(pid));
            let mut amount = None;
            if let Some(formula) = pd.benefit.as_ref().and_then(|b| b.amount.as_ref()) {
                let amount_at = at(vec![key("benefit"), key("amount")]);
                // A formula may read other policies' verdicts (a saving at the
                // rate of the regime that applies): they are evaluated first.
                let compiled = c.compile(formula, &amount_at, Some(Ty::Num), true);
                if compiled.is_some() {
                    deps.extend(c.policies_read());
                }
                // A band row no value reaches, a percent written as a fraction:
                // as wrong in an amount as in a criterion.
                self.take_rule_findings(&mut c, di, pid, usage);
                amount = compiled.map(|t| t.id);
            }
            for (si, s) in pd.stacking.iter().enumerate() {
                let q = &s.policy.0;
                let at = at(vec![key("stacking"), Seg::Index(si), key("policy")]);
                if names.policy(q).is_none() {
                    let hint = did_you_mean_policy(names, q);
                    self.err(di, at, CatalogueError::Reference(format!("stacking refers to unknown policy `{q}`{hint}")), Some(pid));
                } else if q == pid {
                    self.err(di, at, CatalogueError::Invalid("a policy cannot be stacked with itself".into()), Some(pid));
                } else if pd.stacking[..si].iter().any(|o| o.policy.0 == *q)
                    || policies.iter().any(|o| o.id == *q && o.stacking.iter().any(|x| x.policy.0 == pid && x.rule != s.rule))
                {
                    // Two rules for one pair: which one applies would be a guess.
                    let m = format!("the stacking of `{pid}` with `{q}` is already given (here or in `{q}`): keep one rule for the pair");
                    self.err(di, at, CatalogueError::Invalid(m), Some(pid));
                }
            }
            deps.sort_unstable();
            deps.dedup();
            let criteria = compiled_criteria
                .into_iter()
                .map(|(ci, node, fields)| {
                    let cd = &mut pd.criteria[ci];
                    Criterion { id: take(&mut cd.id.0), description: take(&mut cd.description), note: cd.note.take(), node, fields }
                })
                .collect();
            let (benefit, benefit_label) = match pd.benefit.as_mut() {
                Some(b) => (Some(take(&mut b.text)), b.amount_label.take()),
                None => (None, None),
            };
            policies.push(Policy {
                id: take(&mut pd.id.0),
                title: take(&mut pd.title),
                summary: pd.summary.take(),
                issuer: take(&mut pd.issuer),
                documents: take(&mut pd.documents),
                category: pd.category,
                tags: take(&mut pd.tags),
                region: pd.region.take(),
                valid_from: pd.valid_from.map(|d| d.0),
                valid_until: pd.valid_until.map(|d| d.0),
                application: pd.application.take(),
                benefit,
                benefit_label,
                has_amount: amount.is_some(),
                amount,
                stacking: take(&mut pd.stacking),
                notes: take(&mut pd.notes),
                sources: take(&mut pd.sources),
                criteria,
                catalogue,
                depends_on: Vec::new(),
                deps,
                origin: (di, pi),
            });
        }
        policies
    }

    /// What compiling one criterion or benefit formula of policy `pid`
    /// found: its errors, its warnings, and the fields and derived values it
    /// reads (so that they are not reported unused).
    fn take_rule_findings(&mut self, c: &mut Compiler<'_, '_>, di: usize, pid: &str, usage: &mut Usage) {
        for e in take(&mut c.errors) {
            let path = e.path().clone();
            self.err(di, path, e.into(), Some(pid));
        }
        usage.add_warnings(di, take(&mut c.warnings), Some(pid));
        usage.fields.extend(c.used_fields.iter().copied());
        c.used_fields.clear();
        mark_used(&mut usage.derived, c.derived_read());
    }

    /// An option a rule names by its label or alias (`国家级`): its value
    /// (`national`) is what the rule must say, suggested in the error.
    fn suggest_option_values(&mut self, fields: &[Field]) {
        for (_, _, e, _) in &mut self.pending {
            if let CatalogueError::Rule(crate::rules::CompileError::UnknownOption { value, field, suggestion, .. }) = e {
                let options = fields.iter().find(|f| f.def.name.0 == *field).map_or(&[][..], |f| &f.def.options);
                if let Some(o) = options.iter().find(|o| o.label.zh == *value || o.label.en == *value || o.aliases.contains(value)) {
                    *suggestion = Some(o.value.clone());
                }
            }
        }
    }

    /// A zone catalogue's overrides of its bases' policies: the application
    /// details replaced, notes added.
    fn apply_overrides(&mut self, docs: &[(String, Arc<str>, Document)], names: &Names, policies: &mut [Policy]) {
        for (di, (_, _, d)) in docs.iter().enumerate() {
            for (oi, o) in d.overrides.iter().enumerate() {
                let at = JsonPath(vec![key("overrides"), Seg::Index(oi), key("policy")]);
                let Some(&idx) = names.policy_index.get(&o.policy.0) else {
                    let hint = did_you_mean_policy(names, &o.policy.0);
                    self.err(di, at, CatalogueError::Reference(format!("override of unknown policy `{}`{hint}", o.policy.0)), None);
                    continue;
                };
                let target = &mut policies[idx as usize];
                if target.origin.0 >= di {
                    self.err(
                        di,
                        at,
                        CatalogueError::Reference(format!(
                            "a catalogue may override only policies of catalogues it extends; `{}` is declared in `{}`",
                            o.policy.0, target.catalogue
                        )),
                        Some(&o.policy.0),
                    );
                    continue;
                }
                if let Some(app) = &o.application {
                    let app_at = JsonPath(vec![key("overrides"), Seg::Index(oi), key("application")]);
                    self.check_application(di, app_at, app, Some(&o.policy.0));
                    target.application = Some(app.clone());
                }
                target.notes.extend(o.notes.iter().cloned());
            }
        }
    }

    /// The warnings kept with the catalogue: fields and derived values no
    /// rule uses, then what compiling the rules found.
    fn unused_warnings(&mut self, fields: &[Field], field_origin: &[(usize, usize)], derived: &[Derived], mut usage: Usage) {
        for (slot, f) in fields.iter().enumerate() {
            if !usage.fields.contains(&(slot as u32)) {
                let (di, fi) = field_origin[slot];
                let warning = Warning {
                    kind: "unused-field",
                    message: format!("field `{}` is declared but no rule uses it", f.name()),
                    location: Location::default(),
                    policy: None,
                };
                self.warnings.push((di, JsonPath(vec![key("fields"), Seg::Index(fi)]), warning));
            }
        }
        // Derived values come in dependency order (each reads only earlier
        // ones), so one pass from the last marks every value a used one
        // needs, through chains.
        for i in (0..usage.derived_reads.len()).rev() {
            if usage.derived.get(i).copied().unwrap_or(false) {
                mark_used(&mut usage.derived, usage.derived_reads[i].iter().copied());
            }
        }
        for ((used, (di, xi)), d) in usage.derived.iter().zip(&usage.derived_at).zip(derived) {
            if !used {
                let warning = Warning {
                    kind: "unused-derived",
                    message: format!("derived value `{}` is declared but no rule uses it", d.name),
                    location: Location::default(),
                    policy: None,
                };
                self.warnings.push((*di, JsonPath(vec![key("derived"), Seg::Index(*xi)]), warning));
            }
        }
        for (di, path, kind, message, policy) in usage.warnings {
            self.warnings.push((di, path, Warning { kind, message, location: Location::default(), policy }));
        }
    }

    /// Order documents so that each comes after the catalogues it extends.
    fn order(&mut self, docs: Vec<(String, Arc<str>, Document)>) -> Vec<(String, Arc<str>, Document)> {
        self.texts = docs.iter().map(|(f, t, _)| (f.clone(), t.clone())).collect();
        let mut seen: HashMap<String, usize> = HashMap::default();
        for (i, (_, _, d)) in docs.iter().enumerate() {
            if let Some(&first) = seen.get(&d.id.0) {
                let first = Some(self.texts[first].0.clone());
                self.err(i, JsonPath(vec![Seg::Key("id".into())]), CatalogueError::Duplicate { what: "catalogue", id: d.id.0.clone(), first }, None);
            }
            seen.insert(d.id.0.clone(), i);
        }
        let mut placed: Vec<usize> = Vec::new();
        let mut placed_ids: HashSet<String> = HashSet::new();
        while placed.len() < docs.len() {
            let next = (0..docs.len()).find(|i| !placed.contains(i) && docs[*i].2.extends.iter().all(|e| placed_ids.contains(&e.0)));
            match next {
                Some(i) => {
                    placed_ids.insert(docs[i].2.id.0.clone());
                    placed.push(i);
                }
                None => {
                    for i in (0..docs.len()).filter(|i| !placed.contains(i)) {
                        for (ei, e) in docs[i].2.extends.iter().enumerate() {
                            if !placed_ids.contains(&e.0) {
                                let why = if seen.contains_key(&e.0) {
                                    "which in turn extends this one (a cycle)"
                                } else {
                                    "which was not loaded; load it together with this one"
                                };
                                self.err(
                                    i,
                                    JsonPath(vec![Seg::Key("extends".into()), Seg::Index(ei)]),
                                    CatalogueError::Reference(format!("extends `{}`, {why}", e.0)),
                                    None,
                                );
                            }
                        }
                    }
                    self.locate_pending();
                    return docs;
                }
            }
        }
        // Located now: the texts are about to be put in dependency order.
        self.locate_pending();
        let mut slots: Vec<Option<(String, Arc<str>, Document)>> = docs.into_iter().map(Some).collect();
        placed.into_iter().filter_map(|i| slots[i].take()).collect()
    }

    fn check_field(&mut self, di: usize, at: &JsonPath, f: &FieldDef, sections: &[Section]) {
        let sub = |s: &'static str| JsonPath(at.0.iter().cloned().chain([Seg::Key(s.into())]).collect());
        let invalid = |m: String| CatalogueError::Invalid(m);
        if matches!(f.ty, FieldType::Enum | FieldType::StringList) {
            if f.options.is_empty() && f.ty == FieldType::Enum {
                self.err(di, sub("options"), invalid(format!("enum field `{}` needs at least one option", f.name.0)), None);
            }
            let mut seen = HashSet::new();
            for (i, o) in f.options.iter().enumerate() {
                if !seen.insert(&o.value) {
                    let path = JsonPath(sub("options").0.into_iter().chain([Seg::Index(i)]).collect());
                    self.err(di, path, CatalogueError::Duplicate { what: "option", id: o.value.clone(), first: None }, None);
                }
            }
        } else if !f.options.is_empty() {
            self.err(di, sub("options"), invalid(format!("only enum and string_list fields have options; `{}` is a {:?}", f.name.0, f.ty)), None);
        }
        match &f.format {
            Some(x) if x.0 != "city" => self.err(di, sub("format"), invalid(format!("unknown value `{}` (expected one of: city)", x.0)), None),
            Some(_) if f.ty != FieldType::String => {
                self.err(di, sub("format"), invalid(format!("format applies to string fields only; `{}` is a {:?}", f.name.0, f.ty)), None)
            }
            _ => {}
        }
        let numeric = matches!(f.ty, FieldType::Number | FieldType::Integer);
        if !numeric && (f.min.is_some() || f.max.is_some() || f.unit.is_some()) {
            self.err(di, at.clone(), invalid(format!("min, max and unit apply to number and integer fields only; `{}` is not one", f.name.0)), None);
        }
        if let (Some(a), Some(b)) = (f.min, f.max) {
            if a > b {
                self.err(di, sub("max"), invalid(format!("max {} is below min {}", b.0, a.0)), None);
            }
        }
        if let Some(s) = &f.section {
            if !sections.iter().any(|x| x.id == *s) {
                let known: Vec<&str> = sections.iter().map(|x| x.id.0.as_str()).collect();
                self.err(di, sub("section"), CatalogueError::Reference(format!("unknown section `{}` (sections: {})", s.0, known.join(", "))), None);
            }
        }
    }

    fn check_application(&mut self, di: usize, at: JsonPath, app: &Application, policy: Option<&str>) {
        if let (Some(a), Some(b)) = (app.opens, app.closes) {
            if a > b {
                let path = JsonPath(at.0.into_iter().chain([Seg::Key("closes".into())]).collect());
                self.err(di, path, CatalogueError::Invalid(format!("closes {} is before opens {}", b.0, a.0)), policy);
            }
        }
    }

    /// Topological order of derived values; cycles are errors.
    fn derived_order(&mut self, defs: &[(usize, usize, &DerivedDef)], names: &Names) -> Vec<usize> {
        let index: HashMap<&str, usize> = defs.iter().enumerate().map(|(i, (_, _, d))| (d.name.0.as_str(), i)).collect();
        let mut seen_names: HashMap<&str, usize> = HashMap::default();
        for (i, (di, xi, d)) in defs.iter().enumerate() {
            if names.field_index.contains_key(&d.name.0) || seen_names.insert(d.name.0.as_str(), i).is_some() {
                let path = JsonPath(vec![Seg::Key("derived".into()), Seg::Index(*xi), Seg::Key("name".into())]);
                self.err(*di, path, CatalogueError::Duplicate { what: "name", id: d.name.0.clone(), first: None }, None);
            }
        }
        let deps: Vec<Vec<usize>> = defs
            .iter()
            .map(|(_, _, d)| {
                let mut out = Vec::new();
                collect_vars(d.expr.root(), &mut |v| {
                    if let Some(&j) = index.get(v) {
                        out.push(j);
                    }
                });
                out
            })
            .collect();
        let mut state = vec![0u8; defs.len()];
        let mut order = Vec::new();
        for i in 0..defs.len() {
            let mut stack = Vec::new();
            if let Some(cycle) = visit(i, &deps, &mut state, &mut order, &mut stack) {
                let (di, xi, _) = defs[cycle[0]];
                let names: Vec<&str> = cycle.iter().map(|&j| defs[j].2.name.0.as_str()).collect();
                let path = JsonPath(vec![Seg::Key("derived".into()), Seg::Index(xi), Seg::Key("expr".into())]);
                self.err(di, path, CatalogueError::Cycle(names.join(" → ")), None);
                return Vec::new();
            }
        }
        order
    }

    /// Evaluation order of policies (referenced first); cycles are errors.
    /// The error points at the reference that closes the cycle: in the
    /// first policy of the cycle, its `{"policy": …}` naming the next one.
    fn policy_order(&mut self, policies: &[Policy], docs: &[(String, Arc<str>, Document)]) -> Vec<u32> {
        let deps: Vec<Vec<usize>> = policies.iter().map(|p| p.deps.iter().map(|&d| d as usize).collect()).collect();
        let mut state = vec![0u8; policies.len()];
        let mut order = Vec::new();
        for i in 0..policies.len() {
            let mut stack = Vec::new();
            if let Some(cycle) = visit(i, &deps, &mut state, &mut order, &mut stack) {
                let first = &policies[cycle[0]];
                let ids: Vec<&str> = cycle.iter().map(|&j| policies[j].id.as_str()).collect();
                let mut path = vec![Seg::Key("policies".into()), Seg::Index(first.origin.1), Seg::Key("criteria".into())];
                let next = ids.get(1).copied().unwrap_or_default();
                let criteria = docs.get(first.origin.0).and_then(|d| d.2.policies.get(first.origin.1)).map_or(&[][..], |p| &p.criteria[..]);
                let mut found = false;
                for (ci, c) in criteria.iter().enumerate() {
                    let mut at = vec![Seg::Index(ci), Seg::Key("rule".into())];
                    if find_policy_ref(c.rule.root(), next, &mut at) {
                        path.extend(at);
                        found = true;
                        break;
                    }
                }
                // Or in the benefit formula.
                let amount = docs.get(first.origin.0).and_then(|d| d.2.policies.get(first.origin.1)).and_then(|p| p.benefit.as_ref()?.amount.as_ref());
                if let (false, Some(formula)) = (found, amount) {
                    let mut at = vec![Seg::Key("benefit".into()), Seg::Key("amount".into())];
                    if find_policy_ref(formula.root(), next, &mut at) {
                        path.truncate(2);
                        path.extend(at);
                    }
                }
                let path = JsonPath(path);
                self.err(first.origin.0, path, CatalogueError::Cycle(ids.join(" → ")), Some(&first.id));
                return Vec::new();
            }
        }
        order.into_iter().map(|i| i as u32).collect()
    }
}

/// Depth-first post-order; returns a cycle (first node repeated last) if found.
fn visit(i: usize, deps: &[Vec<usize>], state: &mut [u8], order: &mut Vec<usize>, stack: &mut Vec<usize>) -> Option<Vec<usize>> {
    match state[i] {
        2 => return None,
        1 => {
            let start = stack.iter().position(|&x| x == i).unwrap_or(0);
            let mut cycle = stack[start..].to_vec();
            cycle.push(i);
            return Some(cycle);
        }
        _ => {}
    }
    state[i] = 1;
    stack.push(i);
    for &d in &deps[i] {
        if let Some(c) = visit(d, deps, state, order, stack) {
            return Some(c);
        }
    }
    stack.pop();
    state[i] = 2;
    order.push(i);
    None
}

/// Extend `path` to the `policy` key of the first `{"policy": id}` in `v`;
/// false (and `path` unchanged) when there is none.
fn find_policy_ref(v: ExprRef<'_>, id: &str, path: &mut Vec<Seg>) -> bool {
    let depth = path.len();
    let found = match v.view() {
        View::Obj(m) => m.iter().any(|(k, x)| {
            path.push(Seg::Key(k.to_cow()));
            let hit = (k.as_str() == "policy" && x.as_str() == Some(id)) || find_policy_ref(x, id, path);
            if !hit {
                path.pop();
            }
            hit
        }),
        View::Arr(a) => a.iter().enumerate().any(|(i, x)| {
            path.push(Seg::Index(i));
            let hit = find_policy_ref(x, id, path);
            if !hit {
                path.pop();
            }
            hit
        }),
        _ => false,
    };
    debug_assert!(found || path.len() == depth);
    found
}

fn collect_vars<'a>(v: ExprRef<'a>, f: &mut impl FnMut(&'a str)) {
    match v.view() {
        View::Obj(m) => {
            for (k, x) in m.iter() {
                if k.as_str() == "var" {
                    if let Some(s) = x.as_str() {
                        f(s);
                    }
                }
                collect_vars(x, f);
            }
        }
        View::Arr(a) => a.iter().for_each(|x| collect_vars(x, f)),
        _ => {}
    }
}
