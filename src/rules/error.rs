//! Errors of the rules stage (compiling criteria expressions).

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

/// One step of a JSON path: an object key or an array index.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Seg {
    /// An object key (borrowed when it is a `&'static str`, so that paths
    /// through the criteria language's own keys cost no allocation).
    Key(Cow<'static, str>),
    /// An array index.
    Index(usize),
}

/// A path into a JSON document, e.g. `policies[3].criteria[0].rule.all[1]`.
///
/// # Example
/// ```
/// use policy_match::rules::{JsonPath, Seg};
/// let p = JsonPath(vec![Seg::Key("policies".into()), Seg::Index(3), Seg::Key(">=".into())]);
/// assert_eq!(p.to_string(), "policies[3].>=");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct JsonPath(pub Vec<Seg>);

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str(".");
        }
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

impl Serialize for JsonPath {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An error found while compiling an expression. Every variant carries the
/// JSON path of the offending node; the catalogue stage adds line:column.
///
/// # Example
/// ```
/// # use policy_match::{catalogue::{Catalogue, CatalogueError}, rules::CompileError};
/// # let rule_error = |rule: &str| {
/// #     let text = format!(r#"{{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {{"zh": "c", "en": "c"}},
/// #       "fields": [{{"name": "kind", "type": "enum", "label": {{"zh": "k", "en": "k"}}, "options": [{{"value": "有限责任公司", "label": {{"zh": "有限责任公司", "en": "LLC"}}}}]}},
/// #                  {{"name": "staff", "type": "integer", "label": {{"zh": "s", "en": "s"}}}}],
/// #       "policies": [{{"id": "p", "title": {{"zh": "p", "en": "p"}}, "issuer": {{"zh": "i", "en": "i"}}, "category": "tax",
/// #         "criteria": [{{"id": "C1", "description": {{"zh": "d", "en": "d"}}, "rule": {rule}}}]}}]}}"#);
/// #     match Catalogue::from_json("c.json", &text).unwrap_err().0.remove(0).error {
/// #         CatalogueError::Rule(e) => e,
/// #         other => panic!("{other}"),
/// #     }
/// # };
/// let e = rule_error(r#"{"==": [{"var": "kind"}, "有限公司"]}"#);
/// assert!(matches!(&e, CompileError::UnknownOption { field, .. } if field == "kind"));
/// assert_eq!(e.to_string(), "`有限公司` is not an option of `kind` (did you mean `有限责任公司`?) (options: 有限责任公司)");
/// let e = rule_error(r#"{">=": [{"var": "staff"}, "300"]}"#);
/// assert_eq!(e.kind(), "type-error");
/// ```
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CompileError {
    /// An object key that is not an operator.
    #[error("unknown operator `{op}`{} (operators: {})", did_you_mean(suggestion.as_deref()), OPERATORS.join(" "))]
    UnknownOperator {
        /// The key found.
        op: String,
        /// The operator probably meant ([`operator_suggestion`]), if any.
        suggestion: Option<String>,
        /// Where.
        path: JsonPath,
    },
    /// A `var` naming no declared field or derived value.
    #[error("unknown field or derived value `{name}`{}", did_you_mean(suggestion.as_deref()))]
    UnknownVar {
        /// The name used.
        name: String,
        /// The closest declared name, if any.
        suggestion: Option<String>,
        /// Where.
        path: JsonPath,
    },
    /// A `policy` reference to an id no loaded catalogue declares.
    #[error("unknown policy `{id}`{}", did_you_mean(suggestion.as_deref()))]
    UnknownPolicy {
        /// The id used.
        id: String,
        /// The closest id, if any.
        suggestion: Option<String>,
        /// Where.
        path: JsonPath,
    },
    /// A string literal that is not an option of the enum field it is
    /// compared with (or of the `string_list` field it is looked for in).
    #[error("`{value}` is not an option of `{field}`{} (options: {})", did_you_mean(suggestion.as_deref()), options.join(", "))]
    UnknownOption {
        /// The literal.
        value: String,
        /// The field.
        field: String,
        /// Its options.
        options: Vec<String>,
        /// The closest option, if any.
        suggestion: Option<String>,
        /// Where.
        path: JsonPath,
    },
    /// Operands of the wrong type.
    #[error("type error: {message}")]
    Type {
        /// What was expected and found.
        message: String,
        /// Where.
        path: JsonPath,
    },
    /// An operator given the wrong number or shape of arguments.
    #[error("{message}")]
    Shape {
        /// What is wrong.
        message: String,
        /// Where.
        path: JsonPath,
    },
    /// A literal that cannot be used (bad number, bad date).
    #[error("{message}")]
    Literal {
        /// What is wrong.
        message: String,
        /// Where.
        path: JsonPath,
    },
    /// Expressions nested deeper than the bound.
    #[error("expression nested deeper than {max} levels")]
    TooDeep {
        /// The bound.
        max: usize,
        /// Where.
        path: JsonPath,
    },
}

/// ` (did you mean `…`?)` after an error naming something unknown, for a
/// suggestion (see [`closest`]), or nothing.
pub(crate) fn did_you_mean(suggestion: Option<&str>) -> String {
    match suggestion {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => String::new(),
    }
}

impl CompileError {
    /// The JSON path of the offending node.
    ///
    /// # Example
    /// ```
    /// # use policy_match::{catalogue::{Catalogue, CatalogueError}, rules::CompileError};
    /// # let rule_error = |rule: &str| {
    /// #     let text = format!(r#"{{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {{"zh": "c", "en": "c"}},
    /// #       "fields": [{{"name": "kind", "type": "enum", "label": {{"zh": "k", "en": "k"}}, "options": [{{"value": "有限责任公司", "label": {{"zh": "有限责任公司", "en": "LLC"}}}}]}},
    /// #                  {{"name": "staff", "type": "integer", "label": {{"zh": "s", "en": "s"}}}}],
    /// #       "policies": [{{"id": "p", "title": {{"zh": "p", "en": "p"}}, "issuer": {{"zh": "i", "en": "i"}}, "category": "tax",
    /// #         "criteria": [{{"id": "C1", "description": {{"zh": "d", "en": "d"}}, "rule": {rule}}}]}}]}}"#);
    /// #     match Catalogue::from_json("c.json", &text).unwrap_err().0.remove(0).error {
    /// #         CatalogueError::Rule(e) => e,
    /// #         other => panic!("{other}"),
    /// #     }
    /// # };
    /// let e = rule_error(r#"{"all": [true, {"var": "staf"}]}"#);
    /// assert_eq!(e.path().to_string(), "policies[0].criteria[0].rule.all[1].var");
    /// assert_eq!(e.to_string(), "unknown field or derived value `staf` (did you mean `staff`?)");
    /// ```
    pub fn path(&self) -> &JsonPath {
        match self {
            CompileError::UnknownOperator { path, .. }
            | CompileError::UnknownVar { path, .. }
            | CompileError::UnknownPolicy { path, .. }
            | CompileError::UnknownOption { path, .. }
            | CompileError::Type { path, .. }
            | CompileError::Shape { path, .. }
            | CompileError::Literal { path, .. }
            | CompileError::TooDeep { path, .. } => path,
        }
    }

    /// A stable kebab-case name for the kind of error (used as the JS `Error.name`).
    ///
    /// # Example
    /// ```
    /// # use policy_match::{catalogue::{Catalogue, CatalogueError}, rules::CompileError};
    /// # let rule_error = |rule: &str| {
    /// #     let text = format!(r#"{{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {{"zh": "c", "en": "c"}},
    /// #       "fields": [{{"name": "kind", "type": "enum", "label": {{"zh": "k", "en": "k"}}, "options": [{{"value": "有限责任公司", "label": {{"zh": "有限责任公司", "en": "LLC"}}}}]}},
    /// #                  {{"name": "staff", "type": "integer", "label": {{"zh": "s", "en": "s"}}}}],
    /// #       "policies": [{{"id": "p", "title": {{"zh": "p", "en": "p"}}, "issuer": {{"zh": "i", "en": "i"}}, "category": "tax",
    /// #         "criteria": [{{"id": "C1", "description": {{"zh": "d", "en": "d"}}, "rule": {rule}}}]}}]}}"#);
    /// #     match Catalogue::from_json("c.json", &text).unwrap_err().0.remove(0).error {
    /// #         CatalogueError::Rule(e) => e,
    /// #         other => panic!("{other}"),
    /// #     }
    /// # };
    /// assert_eq!(rule_error(r#"{"=>": [{"var": "staff"}, 1]}"#).kind(), "unknown-operator");
    /// assert_eq!(rule_error(r#"{"policy": "q"}"#).kind(), "unknown-policy");
    /// assert_eq!(rule_error(r#"{"<=": [{"var": "staff"}]}"#).kind(), "bad-arguments");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            CompileError::UnknownOperator { .. } => "unknown-operator",
            CompileError::UnknownVar { .. } => "unknown-field",
            CompileError::UnknownPolicy { .. } => "unknown-policy",
            CompileError::UnknownOption { .. } => "unknown-option",
            CompileError::Type { .. } => "type-error",
            CompileError::Shape { .. } => "bad-arguments",
            CompileError::Literal { .. } => "bad-literal",
            CompileError::TooDeep { .. } => "too-deep",
        }
    }
}

/// Every operator of the criteria language.
pub const OPERATORS: &[&str] = &[
    "all",
    "any",
    "not",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "in",
    "not_in",
    "contains",
    "contains_any",
    "contains_all",
    "provided",
    "var",
    "date",
    "+",
    "sum",
    "-",
    "*",
    "/",
    "min",
    "max",
    "days_between",
    "years_between",
    "add_days",
    "add_months",
    "add_years",
    "if",
    "band",
    "score",
    "some",
    "every",
    "none",
    "count",
    "policy",
];

/// The operator probably meant by an unknown operator key: the usual
/// spellings from other languages and Chinese input (`≤`, `=`, `and`,
/// `or`, `且`), else the closest operator by edit distance.
///
/// # Example
/// ```
/// use policy_match::rules::operator_suggestion;
/// assert_eq!(operator_suggestion("≥").as_deref(), Some(">="));
/// assert_eq!(operator_suggestion("=<").as_deref(), Some("<="));
/// assert_eq!(operator_suggestion("and").as_deref(), Some("all"));
/// assert_eq!(operator_suggestion("variable").as_deref(), Some("var"));
/// ```
pub fn operator_suggestion(op: &str) -> Option<String> {
    let known = match op.trim().to_ascii_lowercase().as_str() {
        "=" | "===" | "eq" | "等于" => "==",
        "<>" | "≠" | "!==" | "ne" | "不等于" => "!=",
        "=<" | "≤" | "≦" | "le" | "lte" | "＜＝" | "<＝" => "<=",
        "=>" | "≥" | "≧" | "ge" | "gte" | "＞＝" | ">＝" => ">=",
        "＜" | "lt" | "小于" => "<",
        "＞" | "gt" | "大于" => ">",
        "and" | "&&" | "且" | "并且" | "同时" => "all",
        "or" | "||" | "或" | "或者" => "any",
        "!" | "非" | "不" => "not",
        "＋" | "add" | "plus" => "+",
        "×" | "x" | "mul" | "times" => "*",
        "÷" | "div" => "/",
        "－" | "−" | "minus" | "sub" => "-",
        "variable" | "field" | "变量" | "字段" => "var",
        "notin" | "not in" | "nin" => "not_in",
        _ => return closest(op, OPERATORS.iter().copied().filter(|o| o.len() > 2)),
    };
    Some(known.to_string())
}

/// The closest candidate to `name` by edit distance, if close enough to be
/// a likely typo; otherwise the one candidate that contains `name`, or its
/// `_`-separated words in order (an id written short: `hnte_15pct` for
/// `hnte_15pct_cit_rate`, `srdi_little_giant_2026` for
/// `srdi_little_giant_recognition_2026`), if only one does.
///
/// # Example
/// ```
/// use policy_match::rules::closest;
/// let ids = ["hnte_15pct_cit_rate", "hnte_recognition_eligibility", "tech_sme_evaluation"];
/// assert_eq!(closest("hnte_15pct_cit_rat", ids.into_iter()).as_deref(), Some("hnte_15pct_cit_rate"));
/// assert_eq!(closest("hnte_15pct", ids.into_iter()).as_deref(), Some("hnte_15pct_cit_rate"));
/// assert_eq!(closest("hnte", ids.into_iter()), None);
/// let ids = ["srdi_sme_recognition_2026", "srdi_little_giant_recognition_2026"];
/// assert_eq!(closest("srdi_little_giant_2026", ids.into_iter()).as_deref(), Some("srdi_little_giant_recognition_2026"));
/// assert_eq!(closest("srdi_2026", ids.into_iter()), None); // both have those words
/// ```
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    // (the candidate containing `name`, whether there are several)
    let mut within: Option<(&str, bool)> = None;
    // Its length in characters, not bytes: a Chinese character is one edit.
    let len = name.bytes().filter(|b| b & 0xC0 != 0x80).count();
    for c in candidates {
        let d = levenshtein(name, c);
        if d <= (len / 3).max(2) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
        let mut words = c.split('_');
        if len >= 4 && (c.contains(name) || name.split('_').all(|w| words.any(|x| x == w))) {
            within = Some((within.map_or(c, |w| w.0), within.is_some()));
        }
    }
    best.map(|(_, c)| c).or(within.filter(|w| !w.1).map(|w| w.0)).map(str::to_string)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
