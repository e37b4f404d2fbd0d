//! The catalogue document as written by policy staff (format v1).
//!
//! These types mirror the JSON exactly (`deny_unknown_fields` everywhere, so
//! a typo in a key is an error, not a silently ignored setting). Criteria
//! are kept as JSON here and compiled by [`crate::rules`].

use crate::rules::{parse_decimal, Date, Expr};
use crate::Text;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

/// Deserialise a unit-variant enum from its snake_case string, with an
/// error that lists the allowed values.
macro_rules! string_enum {
    ($name:ident, $($v:literal => $var:ident),+) => {
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                match s.as_str() {
                    $($v => Ok($name::$var),)+
                    _ => Err(serde::de::Error::custom(format!(
                        "unknown value `{}` (expected one of: {})",
                        s.chars().take(40).collect::<String>(),
                        [$($v),+].join(", ")
                    ))),
                }
            }
        }
    };
}

/// The value of the `format` key every catalogue starts with.
pub const FORMAT: &str = "policy-match/catalogue@1";

/// One catalogue file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Optional JSON Schema reference (ignored).
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    /// Must be [`FORMAT`].
    pub format: String,
    /// Catalogue id, e.g. `cn-national-2026`.
    pub id: Slug,
    /// Title.
    pub title: Text,
    /// Longer description.
    #[serde(default)]
    pub description: Option<Text>,
    /// Who publishes it.
    #[serde(default)]
    pub publisher: Option<Text>,
    /// Version string.
    pub version: String,
    /// Date of the last update.
    pub updated: IsoDate,
    /// Region it covers.
    #[serde(default)]
    pub region: Option<Text>,
    /// True for illustrative catalogues that describe no real issuer.
    #[serde(default)]
    pub example: bool,
    /// Catalogues this one builds on (they must be loaded before it).
    #[serde(default)]
    pub extends: Vec<Slug>,
    /// Questionnaire sections, in display order.
    #[serde(default)]
    pub sections: Vec<Section>,
    /// The profile vocabulary.
    #[serde(default)]
    pub fields: Vec<FieldDef>,
    /// Named expressions over fields.
    #[serde(default)]
    pub derived: Vec<DerivedDef>,
    /// The policies.
    #[serde(default)]
    pub policies: Vec<PolicyDef>,
    /// Local changes to policies of an extended catalogue.
    #[serde(default)]
    pub overrides: Vec<Override>,
}

/// A questionnaire section.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Section id (e.g. `finance`).
    pub id: Ident,
    /// Title.
    pub title: Text,
    /// Help text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
}

/// The type of a profile field.
///
/// # Example
/// ```
/// use policy_match::catalogue::FieldType;
/// assert_eq!(serde_json::from_str::<FieldType>(r#""date_list""#).unwrap(), FieldType::DateList);
/// let e = serde_json::from_str::<FieldType>(r#""int""#).unwrap_err();
/// assert!(e.to_string().starts_with("unknown value `int` (expected one of: number, integer, boolean, enum,"));
/// ```
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// An exact decimal.
    Number,
    /// A whole number.
    Integer,
    /// Yes / no.
    Boolean,
    /// One of a list of labelled options.
    Enum,
    /// Free text.
    String,
    /// An ISO date.
    Date,
    /// A list of ISO dates (empty list = none).
    DateList,
    /// A list of strings.
    StringList,
}

/// The unit of a numeric field (drives formatting and input in the UI).
///
/// # Example
/// ```
/// use policy_match::catalogue::Unit;
/// assert_eq!(serde_json::from_str::<Unit>(r#""percent""#).unwrap(), Unit::Percent);
/// assert!(serde_json::from_str::<Unit>(r#""万元""#).is_err()); // amounts are in yuan: write 1000000 for 100万
/// ```
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Yuan (CNY); the UI offers 元 / 万元 entry.
    Cny,
    /// Percent, 0–100.
    Percent,
    /// People.
    People,
    /// Years.
    Years,
    /// Months.
    Months,
    /// Days.
    Days,
    /// A count of things.
    Count,
    /// Points of a score.
    Points,
}

/// A field of the profile vocabulary.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// Field name (snake_case), the key in profiles.
    pub name: Ident,
    /// Type.
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// Question label.
    pub label: Text,
    /// Help: where the figure comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
    /// Unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
    /// Questionnaire section id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<Ident>,
    /// Options of an enum field, or the labelled choices of a `string_list`
    /// field (each item of its value is one of them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<EnumOption>,
    /// Smallest valid value (numbers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Dec>,
    /// Largest valid value (numbers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Dec>,
    /// Other names this field goes by in spreadsheets (column mapping).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// How rules read a string field's value; the one format is `city`
    /// (see [`FieldDef::reads_city`]). Checked when the catalogue is built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Ident>,
}

impl FieldDef {
    /// Whether rules compare the city this field's value names
    /// ([`crate::rules::city_of`]: `浙江省杭州市滨江区`, `杭州市滨江区` and
    /// `浙江杭州` all read as 杭州) rather than the whole text: `"format": "city"`.
    ///
    /// # Example
    /// ```
    /// let f: policy_match::catalogue::FieldDef = serde_json::from_str(
    ///     r#"{"name": "city", "type": "string", "format": "city", "label": {"zh": "城市", "en": "City"}}"#).unwrap();
    /// assert!(f.reads_city());
    /// ```
    pub fn reads_city(&self) -> bool {
        self.format.as_ref().is_some_and(|f| f.0 == "city")
    }
}

/// One option of an enum or `string_list` field.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EnumOption {
    /// The value stored in profiles.
    pub value: String,
    /// Its label.
    pub label: Text,
    /// Help text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
    /// Other ways profiles and spreadsheets write this option (`小型` for
    /// `小型企业`), read as its value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// A named expression over fields.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DerivedDef {
    /// Name, usable as `{"var": name}`.
    pub name: Ident,
    /// Label shown in explanations.
    pub label: Text,
    /// Help text.
    #[serde(default)]
    pub help: Option<Text>,
    /// Unit (for display and near-miss gaps).
    #[serde(default)]
    pub unit: Option<Unit>,
    /// The expression.
    pub expr: Expr,
}

/// A policy's category (for filtering).
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Tax relief.
    Tax,
    /// Grants and subsidies.
    Subsidy,
    /// Titles, certifications, recognitions.
    Certification,
    /// Loans, interest subsidies, financing.
    Finance,
    /// Hiring and job-stabilisation aid.
    Employment,
    /// Talent and housing.
    Talent,
    /// Credit-rating incentives.
    Credit,
    /// Anything else.
    Other,
}

/// A policy.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyDef {
    /// Stable id.
    pub id: Ident,
    /// Title.
    pub title: Text,
    /// One-paragraph summary.
    #[serde(default)]
    pub summary: Option<Text>,
    /// Issuing authority.
    pub issuer: Text,
    /// Document numbers (文号).
    #[serde(default)]
    pub documents: Vec<String>,
    /// Category.
    pub category: Category,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Region it applies to.
    #[serde(default)]
    pub region: Option<Text>,
    /// First day in force.
    #[serde(default)]
    pub valid_from: Option<IsoDate>,
    /// Last day in force.
    #[serde(default)]
    pub valid_until: Option<IsoDate>,
    /// How to apply.
    #[serde(default)]
    pub application: Option<Application>,
    /// What it is worth.
    #[serde(default)]
    pub benefit: Option<BenefitDef>,
    /// Stacking with other policies.
    #[serde(default)]
    pub stacking: Vec<StackingDef>,
    /// Notes shown to users (readings of ambiguous text, caveats).
    #[serde(default)]
    pub notes: Vec<Text>,
    /// Source links.
    #[serde(default)]
    pub sources: Vec<Link>,
    /// Eligibility criteria; all must be met.
    pub criteria: Vec<CriterionDef>,
}

/// Application information.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, expecting = "an object {\"url\": …, \"opens\": …, \"closes\": …, …}")]
pub struct Application {
    /// Where to apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<HttpUrl>,
    /// First day applications are accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens: Option<IsoDate>,
    /// Last day applications are accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes: Option<IsoDate>,
    /// The window in words (e.g. "annual batches, usually May–September").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<Text>,
    /// The office that handles it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<Text>,
    /// Materials to prepare.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<Text>,
}

/// A policy's benefit.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object {\"text\": {\"zh\": …, \"en\": …}, \"amount\": …}")]
pub struct BenefitDef {
    /// The benefit in words.
    pub text: Text,
    /// A formula for the amount in CNY, where the policy gives one.
    #[serde(default)]
    pub amount: Option<Expr>,
    /// What the amount measures (e.g. "CIT saving for 2025").
    #[serde(default)]
    pub amount_label: Option<Text>,
}

/// How two policies combine.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum StackRule {
    /// 互斥: only one of the two may be claimed.
    Exclusive,
    /// 就高不重复: only the one with the higher benefit applies.
    TakeHigher,
    /// May be claimed together.
    Stackable,
}

/// A stacking rule with another policy.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StackingDef {
    /// The other policy's id.
    pub policy: Ident,
    /// The rule.
    pub rule: StackRule,
    /// Explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// A link.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// Label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Text>,
    /// http(s) URL.
    pub url: HttpUrl,
}

/// One criterion.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionDef {
    /// Id, e.g. `C1`.
    pub id: Ident,
    /// Short description.
    pub description: Text,
    /// The rule (a boolean expression).
    pub rule: Expr,
    /// A note on how the text was read.
    #[serde(default)]
    pub note: Option<Text>,
}

/// Local changes a zone catalogue makes to an extended catalogue's policy.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// The policy's id.
    pub policy: Ident,
    /// Replaces the application information (local window, office).
    #[serde(default)]
    pub application: Option<Application>,
    /// Notes appended to the policy's notes.
    #[serde(default)]
    pub notes: Vec<Text>,
}

/// An identifier: ASCII letter first, then letters, digits or `_`, at most 64 characters.
///
/// # Example
/// ```
/// use policy_match::catalogue::Ident;
/// assert_eq!(serde_json::from_str::<Ident>(r#""rd_expense_2025_cny""#).unwrap().0, "rd_expense_2025_cny");
/// let e = serde_json::from_str::<Ident>(r#""研发费用""#).unwrap_err();
/// assert!(e.to_string().starts_with("`研发费用` is not a valid id (letters, digits and _, starting with a letter, at most 64)"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(transparent)]
pub struct Ident(pub String);

impl<'de> Deserialize<'de> for Ident {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let ok = s.len() <= 64 && s.starts_with(|c: char| c.is_ascii_alphabetic()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if ok {
            Ok(Ident(s))
        } else {
            Err(serde::de::Error::custom(format!(
                "`{}` is not a valid id (letters, digits and _, starting with a letter, at most 64)",
                s.chars().take(70).collect::<String>()
            )))
        }
    }
}

/// A catalogue id: like [`Ident`] but `-` is also allowed.
///
/// # Example
/// ```
/// use policy_match::catalogue::Slug;
/// assert!(serde_json::from_str::<Slug>(r#""cn-national-2026""#).is_ok());
/// assert!(serde_json::from_str::<Slug>(r#""cn national""#).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Slug(pub String);

impl<'de> Deserialize<'de> for Slug {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let ok = s.len() <= 64 && s.starts_with(|c: char| c.is_ascii_alphanumeric()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if ok {
            Ok(Slug(s))
        } else {
            Err(serde::de::Error::custom(format!("`{}` is not a valid catalogue id (letters, digits, - and _)", s.chars().take(70).collect::<String>())))
        }
    }
}

/// An ISO date `YYYY-MM-DD`, validated.
///
/// # Example
/// ```
/// use policy_match::catalogue::IsoDate;
/// let d: IsoDate = serde_json::from_str(r#""2026-12-31""#).unwrap();
/// assert_eq!(d.0.to_string(), "2026-12-31");
/// let e = serde_json::from_str::<IsoDate>(r#""2026年1月1日""#).unwrap_err();
/// assert!(e.to_string().contains("write `2026-01-01`"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct IsoDate(pub Date);

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse::<Date>().map(IsoDate).map_err(serde::de::Error::custom)
    }
}

/// An exact decimal read from a JSON number.
///
/// # Example
/// ```
/// use policy_match::catalogue::Dec;
/// let d: Dec = serde_json::from_str("0.1").unwrap();
/// assert_eq!(d.0.to_string(), "0.1"); // exact, not the nearest double
/// assert!(serde_json::from_str::<Dec>("1e30").is_err()); // beyond ±10^18
/// assert!(serde_json::from_str::<Dec>(r#""300万""#).is_err()); // a number, not a string
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dec(pub Decimal);

impl<'de> Deserialize<'de> for Dec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = serde_json::Number::deserialize(d)?;
        parse_decimal(&n.to_string()).map(Dec).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Dec {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::rules::serialize_decimal(&self.0, s)
    }
}

/// A link that is guaranteed to be `http://` or `https://` (never
/// `javascript:` or `data:`), without whitespace or control characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct HttpUrl(pub String);

impl HttpUrl {
    /// Validate a URL string.
    ///
    /// # Errors
    /// A message when the URL is not http(s) or contains forbidden characters.
    ///
    /// # Example
    /// ```
    /// use policy_match::catalogue::HttpUrl;
    /// assert!(HttpUrl::parse("https://www.gov.cn/").is_ok());
    /// assert!(HttpUrl::parse("javascript:alert(1)").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<HttpUrl, String> {
        let lower = s.to_ascii_lowercase();
        let scheme_ok = (lower.starts_with("https://") || lower.starts_with("http://")) && s.len() > 8;
        let chars_ok = !s.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == '"');
        if scheme_ok && chars_ok && s.len() <= 2048 {
            Ok(HttpUrl(s.to_string()))
        } else {
            Err(format!("`{}` is not an http(s) link (only http:// and https:// links are allowed)", s.chars().take(80).collect::<String>()))
        }
    }
}

impl<'de> Deserialize<'de> for HttpUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        HttpUrl::parse(&s).map_err(serde::de::Error::custom)
    }
}

string_enum!(FieldType, "number" => Number, "integer" => Integer, "boolean" => Boolean, "enum" => Enum, "string" => String, "date" => Date, "date_list" => DateList, "string_list" => StringList);

string_enum!(Unit, "cny" => Cny, "percent" => Percent, "people" => People, "years" => Years, "months" => Months, "days" => Days, "count" => Count, "points" => Points);

string_enum!(Category, "tax" => Tax, "subsidy" => Subsidy, "certification" => Certification, "finance" => Finance, "employment" => Employment, "talent" => Talent, "credit" => Credit, "other" => Other);

string_enum!(StackRule, "exclusive" => Exclusive, "take_higher" => TakeHigher, "stackable" => Stackable);
