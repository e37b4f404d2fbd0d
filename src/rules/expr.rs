//! A criteria expression as written: a small JSON tree made for compiling.
//!
//! It reads exactly what [`serde_json::Value`] reads (the same JSON, the
//! same errors, the same number text; an object's keys sorted and a
//! repeated key keeping its last value, like `serde_json`'s map) but costs
//! far less to build and drop: objects are short vectors, operator keys are
//! `&'static str`, and integers are stored inline. The compiler walks it;
//! nothing else needs it.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value as Json};

use super::error::OPERATORS;

/// An object key: `&'static str` for the keys of the criteria language,
/// owned otherwise.
pub type Key = Cow<'static, str>;

/// A JSON value inside a criteria expression.
///
/// # Example
/// ```
/// use policy_match::rules::Expr;
/// let e: Expr = serde_json::from_str(r#"{">=": [{"var": "staff"}, 300]}"#).unwrap();
/// let Expr::Obj(m) = &e else { panic!() };
/// assert_eq!(m[0].0, ">=");
/// assert_eq!(Expr::from(&serde_json::json!({">=": [{"var": "staff"}, 300]})), e);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits `i64`, as `serde_json` reads one (no fraction,
    /// no exponent; not `-0`).
    Int(i64),
    /// Any other number: its text, as `serde_json::Number` gives it.
    Num(Box<str>),
    /// A string.
    Str(Box<str>),
    /// An array.
    Arr(Vec<Expr>),
    /// An object: keys sorted and unique (a repeated key keeps its last value).
    Obj(Vec<(Key, Expr)>),
}

impl Expr {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Expr::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Expr]> {
        match self {
            Expr::Arr(a) => Some(a),
            _ => None,
        }
    }

    /// The entries, if this is an object.
    pub fn as_object(&self) -> Option<&[(Key, Expr)]> {
        match self {
            Expr::Obj(m) => Some(m),
            _ => None,
        }
    }

    /// The number as an `i64`, if it is a whole number that fits (as
    /// `serde_json::Number::as_i64` reads it).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Expr::Int(i) => Some(*i),
            Expr::Num(t) => t.parse().ok(),
            _ => None,
        }
    }

    /// The value of `key`, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Expr> {
        let m = self.as_object()?;
        m.binary_search_by(|(k, _)| (**k).cmp(key)).ok().map(|i| &m[i].1)
    }

    /// The same value as a [`serde_json::Value`].
    pub fn to_json(&self) -> Json {
        match self {
            Expr::Null => Json::Null,
            Expr::Bool(b) => Json::Bool(*b),
            Expr::Int(i) => Json::Number((*i).into()),
            Expr::Num(t) => t.parse::<Number>().map_or(Json::Null, Json::Number),
            Expr::Str(s) => Json::String(s.to_string()),
            Expr::Arr(a) => Json::Array(a.iter().map(Expr::to_json).collect()),
            Expr::Obj(m) => Json::Object(m.iter().map(|(k, v)| (k.to_string(), v.to_json())).collect()),
        }
    }

    fn number(n: &Number) -> Expr {
        number_text(n.as_str())
    }
}

/// An integer when `serde_json` would read the text as one, else the text.
fn number_text(t: &str) -> Expr {
    match t.parse::<i64>() {
        Ok(i) if t != "-0" => Expr::Int(i),
        _ => Expr::Num(t.into()),
    }
}

impl From<&Json> for Expr {
    fn from(v: &Json) -> Expr {
        match v {
            Json::Null => Expr::Null,
            Json::Bool(b) => Expr::Bool(*b),
            Json::Number(n) => Expr::number(n),
            Json::String(s) => Expr::Str(s.as_str().into()),
            Json::Array(a) => Expr::Arr(a.iter().map(Expr::from).collect()),
            Json::Object(m) => Expr::Obj(m.iter().map(|(k, v)| (key(k), Expr::from(v))).collect()),
        }
    }
}

/// Other keys the language uses inside operator objects.
const INNER_KEYS: &[&str] = &["of", "rows", "then", "else", "parts", "id", "label", "points", "where", "zh", "en"];

/// A key, borrowed from the language's vocabulary when it is one of its words.
fn key(s: &str) -> Key {
    match OPERATORS.iter().chain(INNER_KEYS).find(|k| **k == s) {
        Some(k) => Cow::Borrowed(k),
        None => Cow::Owned(s.to_string()),
    }
}

/// The private map key with which `serde_json` (feature
/// `arbitrary_precision`) hands a number over as a one-entry map.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// An object key, told apart from `serde_json`'s number marker.
enum KeyClass {
    Number,
    Map(Key),
}

struct KeyClassifier;

impl<'de> DeserializeSeed<'de> for KeyClassifier {
    type Value = KeyClass;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<KeyClass, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeyClassifier {
    type Value = KeyClass;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<KeyClass, E> {
        Ok(if s == NUMBER_TOKEN { KeyClass::Number } else { KeyClass::Map(key(s)) })
    }
}

/// A later key of an object.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Key, E> {
        Ok(key(s))
    }
}

/// The number text after the marker key (as `serde_json`'s `NumberFromString`).
struct NumberFromString(Expr);

impl<'de> Deserialize<'de> for NumberFromString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = NumberFromString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("string containing a number")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<NumberFromString, E> {
                let n: Number = s.parse().map_err(de::Error::custom)?;
                Ok(NumberFromString(Expr::number(&n)))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> Deserialize<'de> for Expr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Expr, D::Error> {
        d.deserialize_any(ExprVisitor)
    }
}

struct ExprVisitor;

impl<'de> Visitor<'de> for ExprVisitor {
    type Value = Expr;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Expr, E> {
        Ok(Expr::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Expr, E> {
        Ok(Expr::Int(i))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Expr, E> {
        Ok(match i64::try_from(u) {
            Ok(i) => Expr::Int(i),
            Err(_) => Expr::Num(u.to_string().into()),
        })
    }

    fn visit_i128<E: de::Error>(self, i: i128) -> Result<Expr, E> {
        Number::deserialize(de::value::I128Deserializer::<E>::new(i)).map(|n| Expr::number(&n))
    }

    fn visit_u128<E: de::Error>(self, u: u128) -> Result<Expr, E> {
        Number::deserialize(de::value::U128Deserializer::<E>::new(u)).map(|n| Expr::number(&n))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Expr, E> {
        Ok(Number::from_f64(f).map_or(Expr::Null, |n| Expr::number(&n)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Expr, E> {
        Ok(Expr::Str(s.into()))
    }

    fn visit_string<E>(self, s: String) -> Result<Expr, E> {
        Ok(Expr::Str(s.into_boxed_str()))
    }

    fn visit_none<E>(self) -> Result<Expr, E> {
        Ok(Expr::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Expr, D::Error> {
        Deserialize::deserialize(d)
    }

    fn visit_unit<E>(self) -> Result<Expr, E> {
        Ok(Expr::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Expr, A::Error> {
        let mut v = Vec::new();
        while let Some(e) = seq.next_element()? {
            v.push(e);
        }
        Ok(Expr::Arr(v))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Expr, A::Error> {
        let first = match map.next_key_seed(KeyClassifier)? {
            None => return Ok(Expr::Obj(Vec::new())),
            Some(KeyClass::Number) => return Ok(map.next_value::<NumberFromString>()?.0),
            Some(KeyClass::Map(k)) => k,
        };
        let mut entries = vec![(first, map.next_value()?)];
        while let Some(k) = map.next_key_seed(KeySeed)? {
            entries.push((k, map.next_value()?));
        }
        if entries.len() > 1 {
            // As serde_json's BTreeMap: sorted keys, the last value of a repeated key.
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            entries.dedup_by(|later, kept| {
                let same = later.0 == kept.0;
                if same {
                    std::mem::swap(&mut later.1, &mut kept.1);
                }
                same
            });
        }
        Ok(Expr::Obj(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(text: &str) -> (Result<Expr, String>, Result<Json, String>) {
        (serde_json::from_str::<Expr>(text).map_err(|e| e.to_string()), serde_json::from_str::<Json>(text).map_err(|e| e.to_string()))
    }

    /// Everything serde_json's Value reads, Expr reads the same way (same
    /// tree, same number text, same errors).
    #[test]
    fn reads_what_serde_json_reads() {
        let texts = [
            r#"{"b": 1, "a": [true, null, "s"], "b": {"x": -0}}"#,
            r#"[1.50, -0, 1E5, 0.1e-2, 12345678901234567890123, -12345678901234567890123, 18446744073709551615, 9223372036854775808, -9223372036854775808]"#,
            r#"{"$serde_json::private::Number": "12"}"#,
            r#"{"$serde_json::private::Number": "1E5"}"#,
            r#"{"$serde_json::private::Number": "abc"}"#,
            r#"{"$serde_json::private::Number": 5}"#,
            r#"{"a": 1, "$serde_json::private::Number": "12"}"#,
            r#"{"var": "a", "var": "b", "var": "c"}"#,
            r#"{"a\u0062": "\u00e9", "": 1}"#,
            r#"[1, 2,]"#,
            r#"{"a" 1}"#,
            r#"{1: 2}"#,
            r#"[01]"#,
            r#"[1.]"#,
            r#"[-]"#,
        ];
        for t in texts {
            let (e, j) = both(t);
            match (e, j) {
                (Ok(e), Ok(j)) => {
                    assert_eq!(e.to_json(), j, "{t}");
                    assert_eq!(Expr::from(&j), e, "{t}");
                }
                (Err(a), Err(b)) => assert_eq!(a, b, "{t}"),
                (a, b) => panic!("{t}: {a:?} vs {b:?}"),
            }
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        let (e, j) = both(&deep);
        assert_eq!(e.unwrap_err(), j.unwrap_err());
    }

    #[test]
    fn keys_are_sorted_and_the_last_repeat_wins() {
        let e: Expr = serde_json::from_str(r#"{"var": "a", "b": 1, "var": "c"}"#).unwrap();
        assert_eq!(e, Expr::Obj(vec![("b".into(), Expr::Int(1)), ("var".into(), Expr::Str("c".into()))]));
        assert!(matches!(&e, Expr::Obj(m) if matches!(m[1].0, Cow::Borrowed(_))), "operator keys are not allocated");
        assert_eq!(e.get("var").and_then(Expr::as_str), Some("c"));
        assert_eq!(e.get("nope"), None);
    }

    #[test]
    fn whole_numbers_as_i64() {
        let e: Expr = serde_json::from_str("[5, -7, 5.0, -0, 1e2, 99999999999999999999]").unwrap();
        let got: Vec<Option<i64>> = e.as_array().unwrap().iter().map(Expr::as_i64).collect();
        let want: Vec<Option<i64>> =
            serde_json::from_str::<Json>("[5, -7, 5.0, -0, 1e2, 99999999999999999999]").unwrap().as_array().unwrap().iter().map(Json::as_i64).collect();
        assert_eq!(got, want);
        assert_eq!(got, [Some(5), Some(-7), None, Some(0), None, None]);
    }
}
