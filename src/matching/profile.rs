//! Enterprise profiles: values by field, parsed against a catalogue's fields.
//!
//! A missing or `null` value means "not provided". A value of the wrong type
//! is reported as a [`ProfileIssue`] for that profile and field, and the
//! field is treated as not provided: the other fields and profiles still
//! count, and no verdict is silently wrong.

use std::fmt;

use serde::Serialize;
use serde_json::Value as Json;

use crate::catalogue::{Catalogue, EnumOption, Field, FieldDef, FieldType};
use crate::rules::{parse_decimal, Date, Value};
use crate::Text;

/// Largest profile input accepted (JSON or CSV), 256 MiB.
pub const MAX_PROFILE_BYTES: usize = 256 * 1024 * 1024;

/// Most items in a list value.
pub const MAX_LIST_ITEMS: usize = 1000;

/// Longest string value, in characters.
pub const MAX_STRING_CHARS: usize = 1000;

/// One enterprise's answers, by field slot.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    /// The profile's `id`, if it has one.
    pub id: Option<String>,
    /// Values by field slot (see [`Catalogue::field_slot`]).
    pub values: Vec<Value>,
    /// Problems found while reading it (wrong types, unknown fields).
    pub issues: Vec<ProfileIssue>,
}

/// A problem with one value of one profile.
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
/// let p = Profile::from_json_str(&cat, r#"{"staff": "many", "colour": "red"}"#)?;
/// // Keys are read in sorted order: `colour`, then `staff`.
/// assert_eq!(p.issues[0].to_string(), "ignored field `colour`: not declared by the catalogue; ignored (value: red)");
/// assert_eq!((p.issues[1].kind, p.issues[1].field.as_str()), ("invalid-value", "staff"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProfileIssue {
    /// `invalid-value` (the field is treated as not provided),
    /// `unknown-field` (ignored: the catalogue does not declare it),
    /// `invalid-row` (a CSV row with the wrong number of cells, or
    /// unreadable) or `invalid-profile` (an element of a JSON array that is
    /// not an object).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The field (or column) name.
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// What is wrong, in Chinese.
    pub message_zh: String,
    /// The raw value, shortened.
    pub raw: String,
    /// 1-based row for CSV input (the header is row 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
}

impl fmt::Display for ProfileIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(r) = self.row {
            write!(f, "row {r}: ")?;
        }
        // A whole row or profile has no field, and no single value to show.
        if !self.field.is_empty() {
            write!(f, "{} `{}`: ", if self.kind == "unknown-field" { "ignored field" } else { "field" }, self.field)?;
        }
        f.write_str(&self.message)?;
        if self.raw.is_empty() {
            return Ok(());
        }
        write!(f, " (value: {})", self.raw)
    }
}

impl ProfileIssue {
    /// The issue in Chinese, as [`Display`](fmt::Display) gives it in
    /// English: row, field, what is wrong, and the value.
    ///
    /// # Example
    /// ```
    /// # use policy_match::{catalogue::Catalogue, matching::Profile, synth};
    /// let cat = Catalogue::from_json("s.json", &synth::catalogue(5, 1)).unwrap();
    /// let p = Profile::from_json_str(&cat, r#"{"n0": "many"}"#).unwrap();
    /// assert!(p.issues[0].to_string().starts_with("field `n0`: "));
    /// assert!(p.issues[0].to_string_zh().starts_with("字段 `n0`："));
    /// assert!(p.issues[0].to_string_zh().ends_with("（值：many）"));
    /// ```
    pub fn to_string_zh(&self) -> String {
        let mut out = String::new();
        if let Some(r) = self.row {
            out.push_str(&format!("第 {r} 行："));
        }
        if !self.field.is_empty() {
            out.push_str(&format!("{} `{}`：", if self.kind == "unknown-field" { "已忽略的字段" } else { "字段" }, self.field));
        }
        out.push_str(if self.message_zh.is_empty() { &self.message } else { &self.message_zh });
        if !self.raw.is_empty() {
            out.push_str(&format!("（值：{}）", self.raw));
        }
        out
    }
}

/// An input that is not a profile (or list of profiles) at all.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ProfileError {
    /// Larger than [`MAX_PROFILE_BYTES`].
    #[error("the profile input is {0} bytes; the limit is {MAX_PROFILE_BYTES} bytes")]
    TooLarge(usize),
    /// Not valid JSON.
    #[error("invalid JSON at line {line} column {column}: {message}")]
    Json {
        /// What is wrong.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// JSON of the wrong shape: not an object for one profile
    /// ([`Profile::from_json`]), not an object or an array of objects for
    /// [`profiles_from_json`].
    #[error("expected a JSON object{}; found {found}", if *.one { " (one profile)" } else { " or an array of objects" })]
    Shape {
        /// One profile was expected (else one or an array of them).
        one: bool,
        /// What the JSON was instead (`an array`, `null`, …).
        found: &'static str,
        /// The same in Chinese (`数组`, `空值`, …).
        found_zh: &'static str,
    },
    /// An unreadable CSV (e.g. no header row).
    #[error("CSV: {0}")]
    Csv(String),
}

impl ProfileError {
    /// A stable kebab-case name for the kind.
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
    /// # use policy_match::matching::{Profile, ProfileError};
    /// let e = Profile::from_json_str(&cat, "[1, 2").unwrap_err();
    /// assert_eq!(e.kind(), "syntax");
    /// assert!(matches!(e, ProfileError::Json { line: 1, .. }));
    /// assert_eq!(Profile::from_json_str(&cat, "42").unwrap_err().kind(), "schema");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            ProfileError::TooLarge(_) => "too-large",
            ProfileError::Json { .. } => "syntax",
            ProfileError::Shape { .. } => "schema",
            ProfileError::Csv(_) => "csv",
        }
    }

    /// The message in Chinese, as [`Display`](fmt::Display) gives it in
    /// English (a profile's bad values are in [`ProfileIssue::message_zh`]).
    /// Native only, as the catalogue's Chinese messages.
    ///
    /// # Example
    /// ```
    /// # use policy_match::{catalogue::Catalogue, matching::Profile, synth};
    /// let cat = Catalogue::from_json("s.json", &synth::catalogue(5, 1))?;
    /// let e = Profile::from_json_str(&cat, r#"{"n0": 1"#).unwrap_err();
    /// assert_eq!(e.to_string(), "invalid JSON at line 1 column 8: EOF while parsing an object");
    /// assert_eq!(e.message_zh(), "JSON 格式错误（第 1 行第 8 列）：对象（{…}）还没有结束，文件就结束了");
    /// let e = Profile::from_json_str(&cat, "[]").unwrap_err();
    /// assert_eq!(e.message_zh(), "应为一个 JSON 对象（一家企业的信息）；实际是数组");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(not(target_arch = "wasm32"))]
    pub fn message_zh(&self) -> String {
        match self {
            ProfileError::TooLarge(n) => format!("企业信息有 {n} 字节，超过上限 {MAX_PROFILE_BYTES} 字节"),
            ProfileError::Json { message, line, column } => format!("JSON 格式错误（第 {line} 行第 {column} 列）：{}", crate::catalogue::message_zh(message)),
            ProfileError::Shape { one, found_zh, .. } => {
                format!("{}；实际是{found_zh}", if *one { "应为一个 JSON 对象（一家企业的信息）" } else { "应为一个 JSON 对象或由对象组成的数组" })
            }
            ProfileError::Csv(m) if m == "no header row" => "CSV：没有表头行".into(),
            ProfileError::Csv(m) => format!("CSV：{m}"),
        }
    }
}

/// A raw value before conversion: from JSON, or a text cell (CSV, a form).
#[derive(Clone, Copy, Debug)]
pub enum Raw<'a> {
    /// A JSON value.
    Json(&'a Json),
    /// A text cell; empty means not provided.
    Text(&'a str),
}

impl Profile {
    /// An empty profile (nothing provided) for a catalogue.
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
    /// # use policy_match::{matching::Profile, rules::Value};
    /// let p = Profile::empty(&cat);
    /// assert_eq!(p.values, [Value::Missing, Value::Missing]); // one per field
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn empty(cat: &Catalogue) -> Profile {
        Profile { id: None, values: vec![Value::Missing; cat.fields.len()], issues: Vec::new() }
    }

    /// Read one profile from a JSON object.
    ///
    /// # Errors
    /// [`ProfileError::Shape`] when `json` is not an object. Bad values are
    /// not errors: they are listed in [`Profile::issues`].
    ///
    /// # Example
    /// ```
    /// # use policy_match::catalogue::Catalogue;
    /// # use policy_match::matching::Profile;
    /// # let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    /// #   "fields": [{"name": "staff", "type": "integer", "label": {"zh": "s", "en": "s"}}]}"#).unwrap();
    /// let p = Profile::from_json(&cat, &serde_json::json!({"id": "acme", "staff": "many", "colour": "red"})).unwrap();
    /// assert_eq!(p.id.as_deref(), Some("acme"));
    /// assert_eq!(p.issues.len(), 2); // `staff` is not a number; `colour` is not declared
    /// // One profile is one object; `profiles_from_json` reads an array of them.
    /// let e = Profile::from_json(&cat, &serde_json::json!([{"staff": 1}])).unwrap_err();
    /// assert_eq!(e.to_string(), "expected a JSON object (one profile); found an array");
    /// ```
    pub fn from_json(cat: &Catalogue, json: &Json) -> Result<Profile, ProfileError> {
        let Some(obj) = json.as_object() else { return Err(ProfileError::Shape { one: true, found: json_kind(json), found_zh: json_kind_zh(json) }) };
        let mut p = Profile::empty(cat);
        for (k, v) in obj {
            if k == "id" {
                p.id = match v {
                    Json::String(s) => Some(s.chars().take(200).collect()),
                    Json::Number(n) => Some(n.to_string()),
                    _ => None,
                };
                continue;
            }
            p.set(cat, k, Raw::Json(v), None);
        }
        Ok(p)
    }

    /// Read one profile from JSON text.
    ///
    /// # Errors
    /// Invalid JSON or not an object.
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
    /// # use policy_match::{matching::Profile, rules::Value};
    /// let p = Profile::from_json_str(&cat, r#"{"staff": 12, "revenue": null}"#)?;
    /// assert_eq!(p.get(&cat, "staff"), Some(&Value::Num(12.into())));
    /// assert_eq!(p.get(&cat, "revenue"), Some(&Value::Missing)); // null: not provided
    /// assert_eq!(Profile::from_json_str(&cat, r#"{"staff": 1"#).unwrap_err().to_string(),
    ///            "invalid JSON at line 1 column 11: EOF while parsing an object");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json_str(cat: &Catalogue, text: &str) -> Result<Profile, ProfileError> {
        let v = parse_json(text)?;
        Profile::from_json(cat, &v)
    }

    /// Set one field from a raw value, recording an issue if it is invalid
    /// (the field then stays not provided). Unknown names are recorded as
    /// `unknown-field` issues and ignored.
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
    /// # use policy_match::{matching::{Profile, Raw}, rules::Value};
    /// let mut p = Profile::empty(&cat);
    /// p.set(&cat, "revenue", Raw::Text("3000000"), None);
    /// assert_eq!(p.get(&cat, "revenue"), Some(&Value::Num(3_000_000.into())));
    /// p.set(&cat, "staff", Raw::Text("12.5"), Some(2)); // not an integer
    /// assert_eq!(p.get(&cat, "staff"), Some(&Value::Missing));
    /// assert_eq!((p.issues[0].kind, p.issues[0].row), ("invalid-value", Some(2)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set(&mut self, cat: &Catalogue, name: &str, raw: Raw<'_>, row: Option<usize>) {
        let Some(slot) = cat.field_slot(name) else {
            self.issues.push(ProfileIssue {
                kind: "unknown-field",
                field: name.to_string(),
                message: "not declared by the catalogue; ignored".into(),
                message_zh: "政策目录未声明此字段，已忽略".into(),
                raw: raw_text(raw),
                row,
            });
            return;
        };
        let field = &cat.fields[slot as usize];
        match convert(field, raw) {
            Ok(v) => self.values[slot as usize] = v,
            Err(Text { zh, en }) => {
                self.values[slot as usize] = Value::Missing;
                self.issues.push(ProfileIssue { kind: "invalid-value", field: name.to_string(), message: en, message_zh: zh, raw: raw_text(raw), row });
            }
        }
    }

    /// The value of a field by name.
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
    /// # use policy_match::{matching::Profile, rules::Value};
    /// let p = Profile::from_json_str(&cat, r#"{"staff": 12}"#)?;
    /// assert_eq!(p.get(&cat, "staff"), Some(&Value::Num(12.into())));
    /// assert_eq!(p.get(&cat, "colour"), None); // not a field of the catalogue
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get<'a>(&'a self, cat: &Catalogue, name: &str) -> Option<&'a Value> {
        cat.field_slot(name).and_then(|s| self.values.get(s as usize))
    }

    /// The profile as a JSON object (provided fields only), for export.
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
    /// let p = Profile::from_json_str(&cat, r#"{"id": "acme", "staff": 12.0, "revenue": null}"#)?;
    /// assert_eq!(p.to_json(&cat), serde_json::json!({"id": "acme", "staff": 12}));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json(&self, cat: &Catalogue) -> Json {
        let mut m = serde_json::Map::new();
        if let Some(id) = &self.id {
            m.insert("id".into(), Json::String(id.clone()));
        }
        for (f, v) in cat.fields.iter().zip(&self.values) {
            if v.is_provided() {
                m.insert(f.name().to_string(), value_json(v));
            }
        }
        Json::Object(m)
    }
}

/// A value as JSON: what its `Serialize` gives, built directly (a number
/// keeps its exact digits).
fn value_json(v: &Value) -> Json {
    match v {
        Value::Missing => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Num(n) => {
            let n = n.normalize().to_string();
            n.parse().map_or(Json::String(n), Json::Number)
        }
        Value::Date(d) => Json::String(d.to_string()),
        Value::Str(s) => Json::String(s.to_string()),
        Value::Dates(ds) => Json::Array(ds.iter().map(|d| Json::String(d.to_string())).collect()),
        Value::Strs(ss) => Json::Array(ss.iter().map(|s| Json::String(s.to_string())).collect()),
    }
}

/// Read profiles from JSON text: one object, or an array of objects.
///
/// # Errors
/// Invalid JSON, or a value that is neither an object nor an array. An
/// array element that is not an object does not stop the others: it is
/// read as a profile with nothing provided and an `invalid-profile` issue
/// naming its index, so that the profiles keep their positions.
///
/// # Example
/// ```
/// # use policy_match::catalogue::Catalogue;
/// # use policy_match::matching::profiles_from_json;
/// # let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
/// #   "fields": [{"name": "staff", "type": "integer", "label": {"zh": "s", "en": "s"}}]}"#).unwrap();
/// let ps = profiles_from_json(&cat, r#"[{"staff": 12}, 42, {"staff": 3}]"#).unwrap();
/// assert_eq!(ps.len(), 3);
/// assert_eq!(ps[1].issues[0].kind, "invalid-profile");
/// assert_eq!(ps[1].issues[0].message, "element [1] is a number, not an object; nothing was read from it");
/// assert!(ps[2].issues.is_empty());
/// ```
pub fn profiles_from_json(cat: &Catalogue, text: &str) -> Result<Vec<Profile>, ProfileError> {
    let v = parse_json(text)?;
    match &v {
        Json::Array(items) => Ok(items
            .iter()
            .enumerate()
            .map(|(i, it)| {
                Profile::from_json(cat, it).unwrap_or_else(|_| {
                    let mut p = Profile::empty(cat);
                    p.issues.push(ProfileIssue {
                        kind: "invalid-profile",
                        field: String::new(),
                        message: format!("element [{i}] is {}, not an object; nothing was read from it", json_kind(it)),
                        message_zh: format!("第 {} 个元素是{}，不是对象，未读取任何内容", i + 1, json_kind_zh(it)),
                        raw: raw_text(Raw::Json(it)),
                        row: None,
                    });
                    p
                })
            })
            .collect()),
        Json::Object(_) => Profile::from_json(cat, &v).map(|p| vec![p]),
        other => Err(ProfileError::Shape { one: false, found: json_kind(other), found_zh: json_kind_zh(other) }),
    }
}

/// Read profiles from CSV text with a header row naming fields (an `id`
/// column names each profile). Bad cells and rows with the wrong number of
/// cells are reported on their profile; every other row is still read. A
/// column named twice is read from its first non-empty cell (a row whose
/// cells in it differ is reported); an empty cell of a column the catalogue
/// does not declare ignores nothing and is not reported.
///
/// # Errors
/// Only when the input has no header row or is too large.
///
/// # Example
/// ```
/// # use policy_match::catalogue::Catalogue;
/// # use policy_match::matching::profiles_from_csv;
/// # let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
/// #   "fields": [{"name": "staff", "type": "integer", "label": {"zh": "s", "en": "s"}}]}"#).unwrap();
/// let ps = profiles_from_csv(&cat, "id,staff\na,12\nb,lots\nc,\n").unwrap();
/// assert_eq!(ps.len(), 3);
/// assert_eq!(ps[1].issues[0].row, Some(3));
/// // Rows are source lines, blank lines and line breaks in quotes included.
/// let ps = profiles_from_csv(&cat, "id,staff\n\"a\nA\",12\n\nb,lots\n").unwrap();
/// assert_eq!(ps[1].issues[0].row, Some(5));
/// ```
pub fn profiles_from_csv(cat: &Catalogue, text: &str) -> Result<Vec<Profile>, ProfileError> {
    if text.len() > MAX_PROFILE_BYTES {
        return Err(ProfileError::TooLarge(text.len()));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(text.as_bytes());
    let headers: Vec<String> = match rdr.headers() {
        Ok(h) if !(h.is_empty() || h.len() == 1 && h[0].trim().is_empty()) => h.iter().map(|s| s.trim().to_string()).collect(),
        Ok(_) => return Err(ProfileError::Csv("no header row".into())),
        Err(e) => return Err(ProfileError::Csv(e.to_string())),
    };
    // Each named column, in order, with the columns that repeat its name: a
    // name twice must not let the second (maybe empty) cell silently
    // replace the first.
    let mut names: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (c, h) in headers.iter().enumerate().filter(|(_, h)| !h.is_empty()) {
        match seen.get(h.as_str()) {
            Some(&i) => names[i].1.push(c),
            None => {
                seen.insert(h, names.len());
                names.push((h, vec![c]));
            }
        }
    }
    let mut out = Vec::new();
    // The source line of a record: the reader's position of a record after
    // blank lines is that of the first blank line, and a quoted cell may
    // span lines, so the record count is not the line.
    let bytes = text.as_bytes();
    let line_of = |r: &csv::StringRecord| {
        r.position().map(|p| {
            let start = usize::try_from(p.byte()).unwrap_or(usize::MAX).min(bytes.len());
            let skipped = bytes[start..].iter().take_while(|b| matches!(b, b'\n' | b'\r')).filter(|b| **b == b'\n').count();
            usize::try_from(p.line()).unwrap_or(usize::MAX).saturating_add(skipped)
        })
    };
    let mut last_row = 1;
    for rec in rdr.records() {
        let row = match &rec {
            Ok(r) => line_of(r).unwrap_or(last_row + 1),
            Err(e) => e.position().map_or(last_row + 1, |p| usize::try_from(p.line()).unwrap_or(usize::MAX)),
        };
        last_row = row;
        let mut p = Profile::empty(cat);
        match rec {
            Ok(r) => {
                if r.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                if r.len() != headers.len() {
                    p.issues.push(ProfileIssue {
                        kind: "invalid-row",
                        field: String::new(),
                        message: format!("the row has {} cells; the header has {}", r.len(), headers.len()),
                        message_zh: format!("此行有 {} 个单元格，表头有 {} 列", r.len(), headers.len()),
                        raw: String::new(),
                        row: Some(row),
                    });
                }
                for (h, columns) in &names {
                    // The first non-empty cell of the name's columns; another that differs is reported.
                    let mut cells = columns.iter().filter_map(|&c| r.get(c)).filter(|c| !c.trim().is_empty());
                    let Some(cell) = cells.next() else { continue };
                    if let Some(other) = cells.find(|c| c.trim() != cell.trim()) {
                        let (a, b) = (raw_text(Raw::Text(cell.trim())), raw_text(Raw::Text(other.trim())));
                        p.issues.push(ProfileIssue {
                            kind: "invalid-value",
                            field: h.to_string(),
                            message: format!(
                                "the column `{h}` appears {} times and this row's cells in it differ (`{a}`, `{b}`); the first is read",
                                columns.len()
                            ),
                            message_zh: format!("“{h}”列出现了 {} 次，此行这几列的值不同（“{a}”“{b}”）；按第一个读取", columns.len()),
                            raw: b,
                            row: Some(row),
                        });
                    }
                    if *h == "id" {
                        p.id = Some(cell.trim().chars().take(200).collect());
                    } else {
                        p.set(cat, h, Raw::Text(cell), Some(row));
                    }
                }
            }
            Err(e) => p.issues.push(ProfileIssue {
                kind: "invalid-row",
                field: String::new(),
                message: e.to_string(),
                message_zh: format!("无法读取此行：{e}"),
                raw: String::new(),
                row: Some(row),
            }),
        }
        out.push(p);
    }
    Ok(out)
}

fn parse_json(text: &str) -> Result<Json, ProfileError> {
    if text.len() > MAX_PROFILE_BYTES {
        return Err(ProfileError::TooLarge(text.len()));
    }
    serde_json::from_str(text).map_err(|e| {
        let mut message = e.to_string();
        if let Some(p) = message.rfind(" at line ") {
            message.truncate(p);
        }
        ProfileError::Json { message, line: e.line(), column: e.column() }
    })
}

fn json_kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

fn json_kind_zh(v: &Json) -> &'static str {
    match v {
        Json::Null => "空值",
        Json::Bool(_) => "布尔值",
        Json::Number(_) => "数字",
        Json::String(_) => "文本",
        Json::Array(_) => "数组",
        Json::Object(_) => "对象",
    }
}

/// A bilingual error message.
fn bad(zh: String, en: String) -> Text {
    Text { zh, en }
}

/// "expected X, found Y" for a JSON value of the wrong kind.
fn wrong_kind(zh_want: &str, en_want: &str, v: &Json) -> Text {
    bad(format!("应为{zh_want}，实为{}", json_kind_zh(v)), format!("expected {en_want}, found {}", json_kind(v)))
}

fn raw_text(raw: Raw<'_>) -> String {
    let s = match raw {
        Raw::Json(Json::String(s)) => s.clone(),
        Raw::Json(v) => v.to_string(),
        Raw::Text(t) => t.to_string(),
    };
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

/// Convert a raw value to a field's type.
fn convert(field: &Field, raw: Raw<'_>) -> Result<Value, Text> {
    // Not provided.
    match raw {
        Raw::Json(Json::Null) => return Ok(Value::Missing),
        Raw::Text(t) if t.trim().is_empty() => return Ok(Value::Missing),
        _ => {}
    }
    let def = &field.def;
    match def.ty {
        FieldType::Number | FieldType::Integer => {
            let d = match raw {
                Raw::Json(Json::Number(n)) => parse_decimal(&n.to_string()).map_err(|e| not_a_number(&n.to_string(), e))?,
                Raw::Json(Json::String(s)) => parse_number_text(s)?,
                Raw::Text(t) => parse_number_text(t)?,
                Raw::Json(other) => return Err(wrong_kind("数字", "a number", other)),
            };
            if def.ty == FieldType::Integer && !d.fract().is_zero() {
                return Err(bad(format!("应为整数，实为 {d}"), format!("expected a whole number, found {d}")));
            }
            if let Some(min) = def.min.filter(|m| d < m.0) {
                // (Not starting with the number: a spreadsheet would guard a leading `-` as a formula.)
                return Err(bad(format!("最小值是 {}，这里是 {d}", min.0), format!("the minimum is {}; this is {d}", min.0)));
            }
            if let Some(max) = def.max.filter(|m| d > m.0) {
                return Err(bad(format!("最大值是 {}，这里是 {d}", max.0), format!("the maximum is {}; this is {d}", max.0)));
            }
            Ok(Value::Num(d))
        }
        FieldType::Boolean => match raw {
            Raw::Json(Json::Bool(b)) => Ok(Value::Bool(*b)),
            Raw::Json(Json::String(s)) => parse_bool(s),
            Raw::Text(t) => parse_bool(t),
            Raw::Json(Json::Number(n)) if n.to_string() == "0" || n.to_string() == "1" => Ok(Value::Bool(n.to_string() == "1")),
            Raw::Json(other) => Err(wrong_kind("是或否", "true or false", other)),
        },
        FieldType::Enum => option_value(def, &text_of(raw)?).map(Value::Str),
        FieldType::String => {
            let s = text_of(raw)?;
            if s.chars().count() > MAX_STRING_CHARS {
                return Err(bad(format!("超过 {MAX_STRING_CHARS} 个字符"), format!("longer than {MAX_STRING_CHARS} characters")));
            }
            // A district or street alone names no city: compared whole, it
            // would fail every city rule; not provided, it is asked for.
            if def.reads_city() && crate::rules::city_of(&s).is_none() {
                return Err(bad(
                    "读不出城市：请填写城市，或含城市的地址（如 杭州市滨江区）".into(),
                    "names no city: give the city, or an address with it (杭州市滨江区)".into(),
                ));
            }
            Ok(Value::Str(s.trim().into()))
        }
        FieldType::Date => {
            let s = text_of(raw)?;
            s.trim().parse::<Date>().map(Value::Date).map_err(|e| not_a_date(&s, e))
        }
        FieldType::DateList => {
            let items = list_items(raw)?;
            let mut out = Vec::with_capacity(items.len());
            for it in items {
                out.push(it.trim().parse::<Date>().map_err(|e| not_a_date(&it, e))?);
            }
            Ok(Value::Dates(out.into()))
        }
        FieldType::StringList => {
            let items = list_items(raw)?;
            if items.iter().any(|s| s.chars().count() > MAX_STRING_CHARS) {
                return Err(bad(format!("有一项超过 {MAX_STRING_CHARS} 个字符"), format!("an item is longer than {MAX_STRING_CHARS} characters")));
            }
            if def.options.is_empty() {
                return Ok(Value::Strs(items.into_iter().map(|s| s.trim().into()).collect()));
            }
            let mut out = Vec::with_capacity(items.len());
            for it in &items {
                out.push(option_value(def, it)?);
            }
            Ok(Value::Strs(out.into()))
        }
    }
}

/// The option of `def` that `s` names: its value, or (ignoring the case of
/// Latin letters and full-width forms: `(` and `（` are alike) its value, a
/// label or an alias; the error lists the options.
fn option_value(def: &FieldDef, s: &str) -> Result<Box<str>, Text> {
    let s = s.trim();
    let opts = &def.options;
    let half = |c: char| match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c).to_ascii_lowercase(),
        c => c.to_ascii_lowercase(),
    };
    let same = |a: &str| a.chars().map(half).eq(s.chars().map(half));
    let named = |o: &&EnumOption| same(&o.value) || same(&o.label.zh) || same(&o.label.en) || o.aliases.iter().any(|a| same(a));
    match opts.iter().find(|o| o.value == s).or_else(|| opts.iter().find(named)) {
        Some(o) => Ok(o.value.as_str().into()),
        None => Err(bad(
            format!("“{s}”不是可选项之一：{}", opts.iter().map(|o| o.label.zh.as_str()).collect::<Vec<_>>().join("、")),
            format!("`{s}` is not one of: {}", opts.iter().map(|o| o.value.as_str()).collect::<Vec<_>>().join(", ")),
        )),
    }
}

fn text_of(raw: Raw<'_>) -> Result<String, Text> {
    match raw {
        Raw::Json(Json::String(s)) => Ok(s.clone()),
        Raw::Text(t) => Ok(t.to_string()),
        Raw::Json(other) => Err(wrong_kind("文本", "a string", other)),
    }
}

/// Why `raw` is not a number, and what to write instead: the number in it
/// when words came with it (`约300`: write 300), a blank when it is a word
/// for "none" or "unknown" (`无`, `不详`), the limits when it is a number
/// beyond them.
fn not_a_number(raw: &str, en: String) -> Text {
    let raw: String = raw.chars().take(40).collect();
    // Read as numbers are (full-width digits too: `约３００`).
    let folded = fold_number_text(&raw).unwrap_or_else(|| raw.clone());
    let digits: String = folded.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
    if folded.chars().all(|c| c.is_ascii_alphanumeric() || ".-+".contains(c)) && !digits.is_empty() {
        return bad(format!("“{raw}”不是有效数字（绝对值不超过10^18，最多10位小数）"), en);
    }
    if parse_decimal(&digits).is_ok() {
        return bad(format!("“{raw}”不是数字：请只写数字，如 {digits}"), format!("`{raw}` is not a number: write the number only, e.g. {digits}"));
    }
    bad(format!("“{raw}”不是数字：请填写数字，不知道的请留空"), format!("`{raw}` is not a number: write a number, or leave it blank if it is not known"))
}

fn not_a_date(raw: &str, e: impl fmt::Display) -> Text {
    let raw: String = raw.trim().chars().take(40).collect();
    // As the English message: the range, and the date a hand-written one means.
    let hint = match crate::rules::loose_date(&raw) {
        Some(d) if d.to_string() != raw => format!("；请写 {d}"),
        _ => String::new(),
    };
    bad(format!("“{raw}”不是有效日期（应为 YYYY-MM-DD，1900 至 2199 年间真实存在的日期）{hint}"), e.to_string())
}

fn list_items(raw: Raw<'_>) -> Result<Vec<String>, Text> {
    let items: Vec<String> = match raw {
        Raw::Json(Json::Array(a)) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| bad(format!("列表项应为文本，实为{}", json_kind_zh(x)), format!("list items must be strings, found {}", json_kind(x))))
            })
            .collect::<Result<_, _>>()?,
        Raw::Json(Json::String(s)) => split_list(s),
        Raw::Text(t) => split_list(t),
        Raw::Json(other) => return Err(wrong_kind("列表", "a list", other)),
    };
    if items.len() > MAX_LIST_ITEMS {
        return Err(bad(format!("超过 {MAX_LIST_ITEMS} 项"), format!("more than {MAX_LIST_ITEMS} items")));
    }
    Ok(items)
}

/// A list in one text cell: items separated by `;`, `；`, `|` or `、`. The
/// text `none` / `无` (or `[]`) is the empty list.
fn split_list(s: &str) -> Vec<String> {
    let t = s.trim();
    if t.is_empty() || t == "[]" || t.eq_ignore_ascii_case("none") || t == "无" {
        return Vec::new();
    }
    t.split([';', '；', '|', '、']).map(str::trim).filter(|x| !x.is_empty()).map(str::to_string).collect()
}

/// A number as typed by a person, in plain form: full-width digits, point
/// and minus folded; thousands separators, spaces and currency signs removed.
pub(crate) fn fold_number_text(s: &str) -> Option<String> {
    if !digit_groups_ok(s) {
        return None;
    }
    let folded = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '－' => '-',
            other => other,
        })
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '\u{a0}' | '¥' | '￥' | '_'))
        .collect();
    Some(folded)
}

/// Whether the digit-group separators of a typed number (`,` `，`, spaces,
/// `_`) stand where thousands separators do: between groups of three
/// digits of the integer part (`1,234,567.5`, `1 234`). `2,5`, `1,00,000`
/// or `1.000,5` would otherwise lose their separators and be read as a
/// different number (25, 100000, 1.0005): they are not numbers. A
/// separator with no digit on one side (`¥ 300`, `300 万`) is just a space.
pub(crate) fn digit_groups_ok(s: &str) -> bool {
    let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let is_sep = |c: char| matches!(c, ',' | '，' | ' ' | '\u{a0}' | '\u{3000}' | '_');
    // The number itself: from its first digit to its last.
    let (Some(first), Some(last)) = (s.find(is_digit), s.rfind(is_digit)) else { return true };
    let end = last + s.get(last..).and_then(|t| t.chars().next()).map_or(1, char::len_utf8);
    let core = s.get(first..end).unwrap_or("");
    if !core.contains(is_sep) {
        return true;
    }
    let (int, frac) = match core.find(['.', '．', '。']) {
        Some(p) => (&core[..p], &core[p..]),
        None => (core, ""),
    };
    if frac.contains(is_sep) || !int.chars().all(|c| is_digit(c) || is_sep(c)) {
        return false;
    }
    int.split(is_sep).enumerate().all(|(i, g)| {
        let n = g.chars().count();
        if i == 0 {
            (1..=3).contains(&n)
        } else {
            n == 3
        }
    })
}

/// A number typed by a person: `1,234.5`, `1 234`, `12%`, `¥3,000`, full-width digits.
fn parse_number_text(s: &str) -> Result<rust_decimal::Decimal, Text> {
    let Some(mut t) = fold_number_text(s) else {
        let raw: String = s.trim().chars().take(40).collect();
        return Err(bad(
            format!("“{raw}”中的分隔符位置不对（千分位应每3位一组，如 1,234,567.5）"),
            format!("`{raw}` has misplaced digit separators (group thousands by three: 1,234,567.5)"),
        ));
    };
    if t.ends_with('%') {
        t.pop();
    }
    parse_decimal(&t).map_err(|e| not_a_number(s.trim(), e))
}

fn parse_bool(s: &str) -> Result<Value, Text> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "是" | "有" | "√" | "✓" => Ok(Value::Bool(true)),
        "false" | "no" | "n" | "0" | "否" | "无" | "×" | "✗" => Ok(Value::Bool(false)),
        _ => {
            let s: String = s.chars().take(40).collect();
            Err(bad(format!("“{s}”不是“是/否”（可填 是/否、有/无、1/0、true/false）"), format!("`{s}` is not yes/no (use true/false, yes/no, 是/否, 1/0)")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    /// `value_json` builds what serialising the value gives.
    #[test]
    fn value_json_is_the_serialised_value() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let values = [
            Value::Missing,
            Value::Bool(false),
            Value::Num(Decimal::new(1_500, 2)),
            Value::Num(Decimal::new(-12_345_678_901_234_567, 9)),
            Value::Num(Decimal::ZERO),
            Value::Date(d("2026-02-28")),
            Value::Str("小型 \"x\"".into()),
            Value::Dates(vec![d("2025-01-01"), d("2026-12-31")].into()),
            Value::Dates(Box::new([])),
            Value::Strs(vec!["a".into(), "b".into()].into()),
        ];
        for v in &values {
            assert_eq!(value_json(v), serde_json::to_value(v).unwrap(), "{v:?}");
        }
        // Exact digits, trailing zeros dropped.
        assert_eq!(value_json(&values[2]).to_string(), "15");
        assert_eq!(value_json(&values[3]).to_string(), "-12345678.901234567");
    }
}
