//! Errors and warnings of the catalogue stage, with positions.

use std::fmt;

use serde::Serialize;

use crate::rules::CompileError;

/// The kind of a catalogue error.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CatalogueError {
    /// The file is larger than the bound.
    #[error("the catalogue is {size} bytes; the limit is {limit} bytes")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Not UTF-8 text: a character that could not be decoded (U+FFFD) was
    /// found (the file was saved as GBK/ANSI or UTF-16).
    #[error(
        "the file is not UTF-8 text: a character here could not be decoded (the file was probably saved as GBK/ANSI or as UTF-16 \"Unicode\"); save it as UTF-8 (Notepad: Save As → Encoding: UTF-8)"
    )]
    Encoding,
    /// Not valid JSON.
    #[error("invalid JSON: {0}")]
    Syntax(String),
    /// Valid JSON, but not a catalogue (wrong key, wrong type, bad value).
    #[error("{0}")]
    Schema(String),
    /// Unsupported `format`.
    #[error("unsupported format `{0}` (expected `policy-match/catalogue@1`)")]
    Format(String),
    /// An id used twice.
    #[error("duplicate {what} `{id}`{}", first.as_ref().map(|f| format!(" (first declared in {f})")).unwrap_or_default())]
    Duplicate {
        /// "policy", "field", ...
        what: &'static str,
        /// The id.
        id: String,
        /// Where it was first declared.
        first: Option<String>,
    },
    /// A reference to something not declared.
    #[error("{0}")]
    Reference(String),
    /// A cycle between policies or derived values.
    #[error("reference cycle: {0}; remove one of these references")]
    Cycle(String),
    /// An invalid declaration (e.g. an enum field without options).
    #[error("{0}")]
    Invalid(String),
    /// An error in a criteria expression.
    #[error(transparent)]
    Rule(#[from] CompileError),
}

impl CatalogueError {
    /// A stable kebab-case name for the kind (JS `Error.name`, JSON `type`).
    ///
    /// # Example
    /// ```
    /// # use policy_match::catalogue::Catalogue;
    /// let two = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
    ///   "fields": [{"name": "n", "type": "number", "label": {"zh": "n", "en": "n"}},
    ///              {"name": "n", "type": "integer", "label": {"zh": "n", "en": "n"}}]}"#;
    /// let e = &Catalogue::from_json("c.json", two).unwrap_err().0[0];
    /// assert_eq!(e.error.kind(), "duplicate-id");
    /// assert_eq!(Catalogue::from_json("c.json", "{,}").unwrap_err().0[0].error.kind(), "syntax");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            CatalogueError::TooLarge { .. } => "too-large",
            CatalogueError::Encoding => "encoding",
            CatalogueError::Syntax(_) => "syntax",
            CatalogueError::Schema(_) => "schema",
            CatalogueError::Format(_) => "format",
            CatalogueError::Duplicate { .. } => "duplicate-id",
            CatalogueError::Reference(_) => "unknown-reference",
            CatalogueError::Cycle(_) => "cycle",
            CatalogueError::Invalid(_) => "invalid",
            CatalogueError::Rule(e) => e.kind(),
        }
    }
}

/// Where in which file.
///
/// # Example
/// ```
/// # use policy_match::catalogue::Location;
/// let l = Location { file: "zone.json".into(), path: "policies[0].titel".into(), line: 215, column: 13 };
/// assert_eq!(l.to_string(), "zone.json:215:13 at policies[0].titel");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// File name (or URL) of the catalogue.
    pub file: String,
    /// JSON path, e.g. `policies[3].criteria[0].rule`.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)?;
        if !self.path.is_empty() {
            write!(f, " at {}", self.path)?;
        }
        Ok(())
    }
}

/// An error in a catalogue, located: the policy, the JSON path and line:column.
///
/// Displayed as the CLI prints it; serialised as `{"type", "message",
/// "path", "file", "line", "column", "policy"}` (`type` is
/// [`CatalogueError::kind`]), the form `check --format json` and the
/// JavaScript API give.
///
/// # Example
/// ```
/// # use policy_match::catalogue::Catalogue;
/// let text = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
///   "policies": [{"id": "p", "titel": {"zh": "p", "en": "p"}}]}"#;
/// let errors = Catalogue::from_json("c.json", text).unwrap_err();
/// let e = &errors.0[0];
/// assert!(e.to_string().starts_with("error[schema]: policy `p`: unknown field `titel`, expected one of `id`, `title`,"));
/// assert!(e.to_string().ends_with("\n  --> c.json:2:34 at policies[0].titel"));
/// let json = serde_json::to_value(e)?;
/// assert_eq!((&json["type"], &json["path"], &json["line"], &json["policy"]), (&"schema".into(), &"policies[0].titel".into(), &2.into(), &"p".into()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct Error {
    /// What is wrong.
    pub error: CatalogueError,
    /// Where.
    pub location: Location,
    /// The policy it is in, if any.
    pub policy: Option<String>,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error[{}]: ", self.error.kind())?;
        if let Some(p) = &self.policy {
            write!(f, "policy `{p}`: ")?;
        }
        write!(f, "{}\n  --> {}", self.error, self.location)
    }
}

/// The JSON of `policy-match check --format json` without `message_zh`:
/// `message` is the English (the wasm bundle has no Chinese messages); on
/// native targets [`Error::message_zh`] gives the Chinese to add.
impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Error", 7)?;
        st.serialize_field("type", self.error.kind())?;
        st.serialize_field("message", &self.error.to_string())?;
        st.serialize_field("path", &self.location.path)?;
        st.serialize_field("file", &self.location.file)?;
        st.serialize_field("line", &self.location.line)?;
        st.serialize_field("column", &self.location.column)?;
        st.serialize_field("policy", &self.policy)?;
        st.end()
    }
}

/// Every error found in one load, in file order.
///
/// # Example
/// ```
/// # use policy_match::catalogue::Catalogue;
/// let text = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01", "title": {"zh": "c", "en": "c"},
///   "policies": [{"id": "p", "title": {"zh": "p", "en": "p"}, "issuer": {"zh": "i", "en": "i"}, "category": "tax",
///     "criteria": [{"id": "C1", "description": {"zh": "d", "en": "d"}, "rule": {"var": "a"}},
///                  {"id": "C2", "description": {"zh": "d", "en": "d"}, "rule": {"=>": [{"var": "b"}, 1]}}]}]}"#;
/// let errors = Catalogue::from_json("c.json", text).unwrap_err();
/// let kinds: Vec<&str> = errors.0.iter().map(|e| e.error.kind()).collect();
/// assert_eq!(kinds, ["unknown-field", "unknown-operator"]); // every error, not only the first
/// assert_eq!(errors.to_string().lines().filter(|l| l.starts_with("error[")).count(), 2);
/// assert!(serde_json::to_value(&errors)?.is_array());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, thiserror::Error)]
#[serde(transparent)]
pub struct Errors(pub Vec<Error>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// A warning: the catalogue works, but something is probably wrong.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Warning {
    /// Kind: `expired`, `unused-field`, `unused-derived`, `never-true`, `description-mismatch`, ...
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// What.
    pub message: String,
    /// Where.
    #[serde(flatten)]
    pub location: Location,
    /// The policy, if any.
    pub policy: Option<String>,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning[{}]: ", self.kind)?;
        if let Some(p) = &self.policy {
            write!(f, "policy `{p}`: ")?;
        }
        write!(f, "{}\n  --> {}", self.message, self.location)
    }
}

/// The Chinese texts, for the command line (not in the wasm: the widget and
/// the JS API keep the English `message`).
#[cfg(not(target_arch = "wasm32"))]
mod chinese {
    use super::{Error, Location, Warning};
    use crate::catalogue::message_zh;
    use crate::catalogue::zh::error_zh;

    /// `error[kind]: 政策 `p`：message` and the location line, as
    /// [`Error`]'s `Display` frames them.
    fn framed(level: &str, kind: &str, policy: Option<&str>, message: &str, location: &Location) -> String {
        let policy = policy.map(|p| format!("政策 `{p}`：")).unwrap_or_default();
        format!("{level}[{kind}]: {policy}{message}\n  --> {location}")
    }

    impl Error {
        /// The message in Chinese (`message` of `--format json` is the English).
        ///
        /// # Example
        /// ```
        /// # use policy_match::catalogue::Catalogue;
        /// let text = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01"}"#;
        /// let e = &Catalogue::from_json("c.json", text).unwrap_err().0[0];
        /// assert_eq!(e.error.to_string(), "missing field `title`");
        /// assert_eq!(e.message_zh(), "缺少必填的键 `title`");
        /// ```
        pub fn message_zh(&self) -> String {
            error_zh(&self.error)
        }

        /// As `Display`, with the message in Chinese; the frame (`error[kind]`,
        /// `-->` file:line:column at path) is the same.
        ///
        /// # Example
        /// ```
        /// # use policy_match::catalogue::Catalogue;
        /// let text = r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01"}"#;
        /// let e = &Catalogue::from_json("c.json", text).unwrap_err().0[0];
        /// assert_eq!(e.to_string_zh(), "error[schema]: 缺少必填的键 `title`\n  --> c.json:1:90");
        /// ```
        pub fn to_string_zh(&self) -> String {
            framed("error", self.error.kind(), self.policy.as_deref(), &self.message_zh(), &self.location)
        }
    }

    impl Warning {
        /// The message in Chinese.
        pub fn message_zh(&self) -> String {
            message_zh(&self.message)
        }

        /// As `Display`, with the message in Chinese.
        ///
        /// # Example
        /// ```
        /// # use policy_match::catalogue::Catalogue;
        /// let cat = Catalogue::from_json("c.json", r#"{"format": "policy-match/catalogue@1", "id": "c", "version": "1", "updated": "2026-01-01",
        ///   "title": {"zh": "c", "en": "c"}, "fields": [{"name": "staff", "type": "integer", "label": {"zh": "s", "en": "s"}}]}"#)?;
        /// let w = &cat.warnings(None)[0];
        /// assert_eq!(w.kind, "unused-field");
        /// assert_eq!(w.to_string_zh(), format!("warning[unused-field]: {}\n  --> c.json:2:47 at fields[0]", w.message_zh()));
        /// assert_ne!(w.message_zh(), w.message);
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        pub fn to_string_zh(&self) -> String {
            framed("warning", self.kind, self.policy.as_deref(), &self.message_zh(), &self.location)
        }
    }
}
