//! Reading one catalogue file: its text into a [`Document`], every
//! `serde_json` error located (JSON path, line:column, policy) with a hint
//! for the usual mistakes of hand-edited JSON, and a document with
//! structural mistakes read again, element by element, for the others.

use super::locate::{self, line_col, locate};
use super::model::{self, Document, FORMAT};
use super::{CatalogueError, Error, Location, MAX_CATALOGUE_BYTES};
use crate::rules::{JsonPath, Seg};

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

/// A document read as far as it can be, and its structural errors. With
/// mistakes only in policies, sections or overrides, the document is also
/// given as read without them (see [`more_schema_errors`]), so that the
/// rules can be compiled and their errors reported in the same run,
/// with the paths of the placeholder entries put in (errors there are
/// not the author's).
pub(super) fn read_document(file: &str, text: &str) -> (Option<(Document, Vec<String>)>, Vec<Error>) {
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
            // entry and the white space after it (the `}` of an object that
            // had no other entry, on its own line); another required entry
            // found missing there is elsewhere.
            let rest = text.get(at + entry.len()..).unwrap_or("");
            let end = at + entry.len() + (rest.len() - rest.trim_start().len()) + 1;
            let taken = match read(&text) {
                Ok(_) => true,
                Err(e) => {
                    let to = byte_offset(&text, e.line(), e.column());
                    e.classify() == serde_json::error::Category::Data && (!(at..=end).contains(&to) || e.to_string().starts_with("missing field"))
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
