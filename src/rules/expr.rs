//! A criteria expression as written: a JSON value stored flat, made for
//! compiling.
//!
//! It reads exactly what [`serde_json::Value`] reads (the same JSON, the
//! same errors, the same number text; an object's keys sorted and a
//! repeated key keeping its last value, like `serde_json`'s map) but an
//! expression is two allocations (its tokens, in document order, and one
//! string holding all its texts) instead of one or more per node, so
//! reading and dropping a catalogue stays cheap. The compiler walks it
//! through [`ExprRef`]; nothing else needs it.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value as Json};

use super::error::OPERATORS;

/// One JSON expression (a criterion's rule, a derived value, a benefit formula).
///
/// # Example
/// ```
/// use policy_match::rules::{Expr, View};
/// let e: Expr = serde_json::from_str(r#"{">=": [{"var": "staff"}, 300]}"#).unwrap();
/// let View::Obj(m) = e.root().view() else { panic!() };
/// let (op, args) = m.iter().next().unwrap();
/// assert_eq!(op.as_str(), ">=");
/// assert_eq!(args.as_array().map(|a| a.len()), Some(2));
/// assert_eq!(Expr::from(&serde_json::json!({">=": [{"var": "staff"}, 300]})), e);
/// ```
#[derive(Clone, Default)]
pub struct Expr {
    toks: Vec<Tok>,
    text: String,
}

/// A piece of [`Expr::text`].
#[derive(Clone, Copy, Debug)]
struct Span {
    start: u32,
    len: u32,
}

/// One token. An array or object is followed by its elements (an object's
/// entries as a key token then the value's tokens); it records how many
/// elements it has and how many tokens its whole value takes, so a reader
/// can step over it.
#[derive(Clone, Copy, Debug)]
enum Tok {
    Null,
    Bool(bool),
    /// An integer that fits `i64`, as `serde_json` reads one (no fraction,
    /// no exponent; not `-0`).
    Int(i64),
    /// Any other number: its text, as `serde_json::Number` gives it.
    Num(Span),
    Str(Span),
    /// (elements, tokens including this one)
    Arr(u32, u32),
    /// (entries, tokens including this one)
    Obj(u32, u32),
    /// An object key that is a word of the language (index into [`WORDS`]).
    Word(u16),
    /// Any other object key.
    Key(Span),
}

/// Other keys the language uses inside operator objects.
const INNER_KEYS: &[&str] = &["of", "rows", "then", "else", "parts", "id", "label", "points", "where", "zh", "en"];

/// The word with index `i`: operators first, then [`INNER_KEYS`].
fn word(i: u16) -> &'static str {
    let i = i as usize;
    OPERATORS.get(i).or_else(|| INNER_KEYS.get(i.wrapping_sub(OPERATORS.len()))).copied().unwrap_or("")
}

fn word_index(s: &str) -> Option<u16> {
    // Every object key of every expression is looked up here: a hash table
    // instead of a scan of the ~60 words.
    static INDEX: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, u16>> = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut m = rustc_hash::FxHashMap::default();
        for (i, w) in OPERATORS.iter().chain(INNER_KEYS).enumerate() {
            m.entry(*w).or_insert(i as u16);
        }
        m
    });
    index.get(s).copied()
}

impl Expr {
    /// The expression's value.
    pub fn root(&self) -> ExprRef<'_> {
        ExprRef { e: self, i: 0 }
    }

    /// The same value as a [`serde_json::Value`].
    ///
    /// # Example
    /// ```
    /// use policy_match::rules::Expr;
    /// let e: Expr = serde_json::from_str(r#"{"var": "b", "a": 1.50}"#).unwrap();
    /// assert_eq!(e.to_json().to_string(), r#"{"a":1.50,"var":"b"}"#); // keys sorted, the number's text kept
    /// ```
    pub fn to_json(&self) -> Json {
        self.root().to_json()
    }

    fn span(&self, s: Span) -> &str {
        self.text.get(s.start as usize..(s.start + s.len) as usize).unwrap_or("")
    }

    fn push_text<E: de::Error>(&mut self, s: &str) -> Result<Span, E> {
        let start = u32::try_from(self.text.len()).map_err(|_| E::custom("expression too large"))?;
        let len = u32::try_from(s.len()).map_err(|_| E::custom("expression too large"))?;
        start.checked_add(len).ok_or_else(|| E::custom("expression too large"))?;
        self.text.push_str(s);
        Ok(Span { start, len })
    }

    fn push_number<E: de::Error>(&mut self, t: &str) -> Result<(), E> {
        let tok = match t.parse::<i64>() {
            Ok(i) if t != "-0" => Tok::Int(i),
            _ => Tok::Num(self.push_text(t)?),
        };
        self.toks.push(tok);
        Ok(())
    }

    fn push_key<E: de::Error>(&mut self, k: &str) -> Result<(), E> {
        let tok = match word_index(k) {
            Some(w) => Tok::Word(w),
            None => Tok::Key(self.push_text(k)?),
        };
        self.toks.push(tok);
        Ok(())
    }

    /// Tokens the value at `i` takes.
    fn size(&self, i: usize) -> usize {
        match self.toks.get(i) {
            Some(Tok::Arr(_, n) | Tok::Obj(_, n)) => *n as usize,
            _ => 1,
        }
    }

    fn key_str(&self, i: usize) -> &str {
        match self.toks.get(i) {
            Some(Tok::Word(w)) => word(*w),
            Some(Tok::Key(s)) => self.span(*s),
            _ => "",
        }
    }

    /// Close the array or object opened at `at` with `n` elements.
    fn close<E: de::Error>(&mut self, at: usize, n: usize) -> Result<(), E> {
        let n = u32::try_from(n).map_err(|_| E::custom("expression too large"))?;
        let size = u32::try_from(self.toks.len() - at).map_err(|_| E::custom("expression too large"))?;
        if let Some(t) = self.toks.get_mut(at) {
            *t = match t {
                Tok::Obj(..) => Tok::Obj(n, size),
                _ => Tok::Arr(n, size),
            };
        }
        Ok(())
    }

    /// Sort the entries (starting at `starts`) of the object opened at
    /// `at` by key, keeping the last value of a repeated key, as
    /// `serde_json`'s `BTreeMap` does. Returns the number of entries left.
    fn sort_entries(&mut self, at: usize, starts: &[usize]) -> usize {
        let sorted = starts.windows(2).all(|w| self.key_str(w[0]) < self.key_str(w[1]));
        if sorted {
            return starts.len();
        }
        let end = self.toks.len();
        // (start, end) of each entry; few, so a plain insertion sort (stable:
        // equal keys keep document order) and no sort machinery in the bundle.
        let mut entries: Vec<(usize, usize)> = Vec::with_capacity(starts.len());
        for (j, &s) in starts.iter().enumerate() {
            let e = starts.get(j + 1).copied().unwrap_or(end);
            let mut at_pos = entries.len();
            while at_pos > 0 && self.key_str(entries[at_pos - 1].0) > self.key_str(s) {
                at_pos -= 1;
            }
            entries.insert(at_pos, (s, e));
        }
        // A repeated key keeps its last value.
        let mut kept: Vec<(usize, usize)> = Vec::with_capacity(entries.len());
        for x in entries {
            match kept.last_mut() {
                Some(last) if self.key_str(last.0) == self.key_str(x.0) => *last = x,
                _ => kept.push(x),
            }
        }
        let mut moved: Vec<Tok> = Vec::with_capacity(starts.first().map_or(0, |s| end - s));
        for &(s, e) in &kept {
            moved.extend_from_slice(self.toks.get(s..e).unwrap_or(&[]));
        }
        self.toks.truncate(at + 1);
        self.toks.extend_from_slice(&moved);
        let entries = kept;
        entries.len()
    }
}

impl fmt::Debug for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

impl PartialEq for Expr {
    fn eq(&self, other: &Expr) -> bool {
        self.to_json() == other.to_json()
    }
}

/// A value inside an [`Expr`].
#[derive(Clone, Copy)]
pub struct ExprRef<'a> {
    e: &'a Expr,
    i: usize,
}

/// What an [`ExprRef`] is.
#[derive(Clone, Copy)]
pub enum View<'a> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number: an integer that fits `i64`...
    Int(i64),
    /// ...or any other number, as its text.
    Num(&'a str),
    /// A string.
    Str(&'a str),
    /// An array.
    Arr(List<'a>),
    /// An object (keys sorted and unique).
    Obj(Map<'a>),
}

impl<'a> ExprRef<'a> {
    /// What this value is.
    pub fn view(self) -> View<'a> {
        match self.e.toks.get(self.i) {
            None | Some(Tok::Null | Tok::Word(_) | Tok::Key(_)) => View::Null,
            Some(Tok::Bool(b)) => View::Bool(*b),
            Some(Tok::Int(i)) => View::Int(*i),
            Some(Tok::Num(s)) => View::Num(self.e.span(*s)),
            Some(Tok::Str(s)) => View::Str(self.e.span(*s)),
            Some(Tok::Arr(n, _)) => View::Arr(List { e: self.e, first: self.i + 1, len: *n as usize }),
            Some(Tok::Obj(n, _)) => View::Obj(Map { e: self.e, first: self.i + 1, len: *n as usize }),
        }
    }

    /// The string, if this is one.
    pub fn as_str(self) -> Option<&'a str> {
        match self.view() {
            View::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(self) -> Option<List<'a>> {
        match self.view() {
            View::Arr(a) => Some(a),
            _ => None,
        }
    }

    /// The entries, if this is an object.
    pub fn as_object(self) -> Option<Map<'a>> {
        match self.view() {
            View::Obj(m) => Some(m),
            _ => None,
        }
    }

    /// The number as an `i64`, if it is a whole number that fits (as
    /// `serde_json::Number::as_i64` reads it).
    ///
    /// # Example
    /// ```
    /// use policy_match::rules::Expr;
    /// let e: Expr = serde_json::from_str(r#"{"add_years": [{"var": "founded"}, 3]}"#).unwrap();
    /// let args = e.root().as_object().unwrap().get("add_years").unwrap().as_array().unwrap();
    /// assert_eq!(args.get(1).as_i64(), Some(3));
    /// assert_eq!(args.get(0).as_object().unwrap().get_or_null("var").as_str(), Some("founded"));
    /// assert_eq!(args.get(0).as_i64(), None);
    /// ```
    pub fn as_i64(self) -> Option<i64> {
        match self.view() {
            View::Int(i) => Some(i),
            View::Num(t) => t.parse().ok(),
            _ => None,
        }
    }

    /// The same value as a [`serde_json::Value`].
    pub fn to_json(self) -> Json {
        match self.view() {
            View::Null => Json::Null,
            View::Bool(b) => Json::Bool(b),
            View::Int(i) => Json::Number(i.into()),
            View::Num(t) => t.parse::<Number>().map_or(Json::Null, Json::Number),
            View::Str(s) => Json::String(s.to_string()),
            View::Arr(a) => {
                let mut out = Vec::with_capacity(a.len());
                for x in a.iter() {
                    out.push(x.to_json());
                }
                Json::Array(out)
            }
            View::Obj(m) => {
                let mut out = serde_json::Map::new();
                for (k, v) in m.iter() {
                    out.insert(k.as_str().to_string(), v.to_json());
                }
                Json::Object(out)
            }
        }
    }
}

/// The elements of an array.
#[derive(Clone, Copy)]
pub struct List<'a> {
    e: &'a Expr,
    first: usize,
    len: usize,
}

impl<'a> List<'a> {
    /// Number of elements.
    pub fn len(self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(self) -> bool {
        self.len == 0
    }

    /// The elements in order.
    pub fn iter(self) -> impl Iterator<Item = ExprRef<'a>> {
        let mut i = self.first;
        (0..self.len).map(move |_| {
            let r = ExprRef { e: self.e, i };
            i += self.e.size(i);
            r
        })
    }

    /// The element at `n` (null past the end).
    pub fn get(self, n: usize) -> ExprRef<'a> {
        self.iter().nth(n).unwrap_or(ExprRef { e: self.e, i: usize::MAX })
    }
}

/// The entries of an object, sorted by key.
#[derive(Clone, Copy)]
pub struct Map<'a> {
    e: &'a Expr,
    first: usize,
    len: usize,
}

/// An object key.
#[derive(Clone, Copy)]
pub struct KeyRef<'a> {
    e: &'a Expr,
    i: usize,
}

impl<'a> KeyRef<'a> {
    /// The key's text.
    pub fn as_str(self) -> &'a str {
        self.e.key_str(self.i)
    }

    /// The key as a path segment's text: borrowed for the language's own
    /// words, copied otherwise.
    pub fn to_cow(self) -> Cow<'static, str> {
        match self.e.toks.get(self.i) {
            Some(Tok::Word(w)) => Cow::Borrowed(word(*w)),
            _ => Cow::Owned(self.as_str().to_string()),
        }
    }
}

impl<'a> Map<'a> {
    /// Number of entries.
    pub fn len(self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(self) -> bool {
        self.len == 0
    }

    /// The entries in key order.
    pub fn iter(self) -> impl Iterator<Item = (KeyRef<'a>, ExprRef<'a>)> {
        let mut i = self.first;
        (0..self.len).map(move |_| {
            let k = KeyRef { e: self.e, i };
            let v = ExprRef { e: self.e, i: i + 1 };
            i += 1 + self.e.size(i + 1);
            (k, v)
        })
    }

    /// The value of `key`, if present.
    pub fn get(self, key: &str) -> Option<ExprRef<'a>> {
        self.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    }

    /// The value of `key`, or null when absent.
    pub fn get_or_null(self, key: &str) -> ExprRef<'a> {
        self.get(key).unwrap_or(ExprRef { e: self.e, i: usize::MAX })
    }
}

impl From<&Json> for Expr {
    fn from(v: &Json) -> Expr {
        fn walk(e: &mut Expr, v: &Json) -> Result<(), serde_json::Error> {
            match v {
                Json::Null => e.toks.push(Tok::Null),
                Json::Bool(b) => e.toks.push(Tok::Bool(*b)),
                Json::Number(n) => e.push_number(n.as_str())?,
                Json::String(s) => {
                    let s = e.push_text(s)?;
                    e.toks.push(Tok::Str(s));
                }
                Json::Array(a) => {
                    let at = e.toks.len();
                    e.toks.push(Tok::Arr(0, 0));
                    for x in a {
                        walk(e, x)?;
                    }
                    e.close(at, a.len())?;
                }
                Json::Object(m) => {
                    let at = e.toks.len();
                    e.toks.push(Tok::Obj(0, 0));
                    for (k, x) in m {
                        e.push_key(k)?;
                        walk(e, x)?;
                    }
                    e.close(at, m.len())?;
                }
            }
            Ok(())
        }
        let mut e = Expr::default();
        match walk(&mut e, v) {
            Ok(()) => e,
            Err(_) => Expr::default(),
        }
    }
}

/// The private map key with which `serde_json` (feature
/// `arbitrary_precision`) hands a number over as a one-entry map.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Reads one value into the expression.
struct Build<'e>(&'e mut Expr);

impl<'de> DeserializeSeed<'de> for Build<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

/// Reads an object's first key: `serde_json`'s number marker, or a key
/// pushed as the first token after the object's.
struct FirstKey<'e>(&'e mut Expr);

impl<'de> DeserializeSeed<'de> for FirstKey<'_> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for FirstKey<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<bool, E> {
        if s == NUMBER_TOKEN {
            return Ok(true);
        }
        self.0.toks.push(Tok::Obj(0, 0));
        self.0.push_key(s)?;
        Ok(false)
    }
}

/// Reads a later key of an object.
struct NextKey<'e>(&'e mut Expr);

impl<'de> DeserializeSeed<'de> for NextKey<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for NextKey<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<(), E> {
        self.0.push_key(s)
    }
}

/// The number text after the marker key (as `serde_json`'s `NumberFromString`).
struct NumberFromString<'e>(&'e mut Expr);

impl<'de> DeserializeSeed<'de> for NumberFromString<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for NumberFromString<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("string containing a number")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<(), E> {
        let n: Number = s.parse().map_err(de::Error::custom)?;
        self.0.push_number(n.as_str())
    }
}

thread_local! {
    /// Buffers an expression is read into before it is copied out at its
    /// exact size (so each expression is two allocations, with no growth).
    static SCRATCH: std::cell::Cell<(Vec<Tok>, String)> = const { std::cell::Cell::new((Vec::new(), String::new())) };
}

/// Largest scratch buffer kept between expressions (tokens).
const KEEP_SCRATCH: usize = 1 << 14;

impl<'de> Deserialize<'de> for Expr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Expr, D::Error> {
        let (mut toks, mut text) = SCRATCH.try_with(|s| s.take()).unwrap_or_default();
        toks.clear();
        text.clear();
        let mut e = Expr { toks, text };
        let r = d.deserialize_any(Build(&mut e));
        let out = r.map(|()| Expr { toks: e.toks.as_slice().to_vec(), text: e.text.as_str().to_owned() });
        if e.toks.capacity() <= KEEP_SCRATCH && e.text.capacity() <= KEEP_SCRATCH * 16 {
            let _ = SCRATCH.try_with(|s| s.set((e.toks, e.text)));
        }
        out
    }
}

impl<'de> Visitor<'de> for Build<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<(), E> {
        self.0.toks.push(Tok::Bool(b));
        Ok(())
    }

    fn visit_i64<E>(self, i: i64) -> Result<(), E> {
        self.0.toks.push(Tok::Int(i));
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<(), E> {
        match i64::try_from(u) {
            Ok(i) => self.0.toks.push(Tok::Int(i)),
            Err(_) => {
                let s = self.0.push_text(&u.to_string())?;
                self.0.toks.push(Tok::Num(s));
            }
        }
        Ok(())
    }

    fn visit_i128<E: de::Error>(self, i: i128) -> Result<(), E> {
        let n = Number::deserialize(de::value::I128Deserializer::<E>::new(i))?;
        self.0.push_number(n.as_str())
    }

    fn visit_u128<E: de::Error>(self, u: u128) -> Result<(), E> {
        let n = Number::deserialize(de::value::U128Deserializer::<E>::new(u))?;
        self.0.push_number(n.as_str())
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<(), E> {
        match Number::from_f64(f) {
            Some(n) => self.0.push_number(n.as_str()),
            None => {
                self.0.toks.push(Tok::Null);
                Ok(())
            }
        }
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<(), E> {
        let s = self.0.push_text(s)?;
        self.0.toks.push(Tok::Str(s));
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        self.0.toks.push(Tok::Null);
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.0.toks.push(Tok::Null);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let e = self.0;
        let at = e.toks.len();
        e.toks.push(Tok::Arr(0, 0));
        let mut n = 0;
        while seq.next_element_seed(Build(&mut *e))?.is_some() {
            n += 1;
        }
        e.close(at, n)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let e = self.0;
        let at = e.toks.len();
        match map.next_key_seed(FirstKey(&mut *e))? {
            None => {
                e.toks.push(Tok::Obj(0, 0));
                return e.close(at, 0);
            }
            Some(true) => return map.next_value_seed(NumberFromString(&mut *e)),
            Some(false) => {}
        }
        map.next_value_seed(Build(&mut *e))?;
        let mut starts: Vec<usize> = Vec::new();
        loop {
            let start = e.toks.len();
            if map.next_key_seed(NextKey(&mut *e))?.is_none() {
                break;
            }
            if starts.is_empty() {
                starts.push(at + 1);
            }
            starts.push(start);
            map.next_value_seed(Build(&mut *e))?;
        }
        let n = if starts.is_empty() { 1 } else { e.sort_entries(at, &starts) };
        e.close(at, n)
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
            r#"{"z": [1, {"y": 2, "x": [3, 4], "y": 5}], "a": {"then": 1, ">=": 2, "then": {"k": [6]}}, "m": []}"#,
            r#"{"a\u0062": "\u00e9", "": 1}"#,
            r#"[{}, [], [[]], {"a": {}}]"#,
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
                    assert_eq!(Expr::from(&j).to_json(), j, "{t}");
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
        let e: Expr = serde_json::from_str(r#"{"var": "a", "b": [1, {"q": 2}], "var": "c"}"#).unwrap();
        let m = e.root().as_object().unwrap();
        let keys: Vec<&str> = m.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "var"]);
        assert_eq!(m.get("var").and_then(ExprRef::as_str), Some("c"));
        assert!(matches!(m.iter().nth(1).unwrap().0.to_cow(), Cow::Borrowed("var")), "operator keys are not copied");
        assert!(m.get("nope").is_none());
        let b = m.get("b").and_then(ExprRef::as_array).unwrap();
        assert_eq!(b.len(), 2);
        assert_eq!(b.get(1).to_json(), serde_json::json!({"q": 2}));
        assert!(matches!(b.get(2).view(), View::Null));
    }

    #[test]
    fn whole_numbers_as_i64() {
        let text = "[5, -7, 5.0, -0, 1e2, 99999999999999999999]";
        let e: Expr = serde_json::from_str(text).unwrap();
        let got: Vec<Option<i64>> = e.root().as_array().unwrap().iter().map(ExprRef::as_i64).collect();
        let want: Vec<Option<i64>> = serde_json::from_str::<Json>(text).unwrap().as_array().unwrap().iter().map(Json::as_i64).collect();
        assert_eq!(got, want);
        assert_eq!(got, [Some(5), Some(-7), None, Some(0), None, None]);
    }
}
