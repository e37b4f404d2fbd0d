//! Bilingual text: every user-visible string in a catalogue comes in zh and en.

use serde::{Deserialize, Serialize};

/// A text in Simplified Chinese and English.
///
/// Catalogue authors must give both; the UI picks one by locale.
///
/// # Example
/// ```
/// use policy_match::Text;
/// let t = Text::new("小型微利企业", "Small low-profit enterprise");
/// assert_eq!(t.get("en"), "Small low-profit enterprise");
/// assert_eq!(t.get("zh-CN"), "小型微利企业");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a text {\"zh\": \"…\", \"en\": \"…\"}")]
pub struct Text {
    /// Simplified Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Text {
    /// A text from its two languages.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text { zh: zh.into(), en: en.into() }
    }

    /// The text for a BCP-47 language tag: English for `en*`, Chinese otherwise.
    ///
    /// # Example
    /// ```
    /// use policy_match::Text;
    /// let t = Text::new("职工人数", "Staff");
    /// assert_eq!([t.get("en-GB"), t.get("zh-Hans"), t.get("fr")], ["Staff", "职工人数", "职工人数"]);
    /// let parsed: Text = serde_json::from_str(r#"{"zh": "科技局", "en": "S&T Bureau"}"#).unwrap();
    /// assert_eq!(parsed, Text::new("科技局", "S&T Bureau"));
    /// assert!(serde_json::from_str::<Text>(r#"{"zh": "科技局"}"#).is_err()); // both languages are required
    /// ```
    pub fn get(&self, lang: &str) -> &str {
        if lang.starts_with("en") {
            &self.en
        } else {
            &self.zh
        }
    }
}

/// The language of the words around catalogue text: the widget's, the
/// CLI's and the exports'. Catalogue text itself is a [`Text`] in both.
///
/// # Example
/// ```
/// use policy_match::{Lang, Text};
/// assert_eq!(Lang::from_tag(" EN-gb"), Lang::En);
/// assert_eq!([Lang::from_tag("zh-CN"), Lang::from_tag("")], [Lang::Zh, Lang::Zh]);
/// assert_eq!(Lang::En.tag(), "en");
/// let t = Text::new("职工人数", "Staff");
/// assert_eq!((Lang::Zh.pick(&t), Lang::En.either("是", "yes")), ("职工人数", "yes"));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Simplified Chinese (`zh-CN`), the default.
    #[default]
    Zh,
    /// English (`en`).
    En,
}

impl Lang {
    /// The language for a BCP-47 tag: English for `en*` (any case), Chinese otherwise.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.trim().to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// The BCP-47 tag: `zh-CN` or `en`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The catalogue text in this language.
    pub fn pick(self, t: &Text) -> &str {
        match self {
            Lang::Zh => &t.zh,
            Lang::En => &t.en,
        }
    }

    /// `zh` or `en`, whichever is this language.
    pub fn either<T>(self, zh: T, en: T) -> T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}
