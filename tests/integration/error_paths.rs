//! Error locations of catalogue parsing, checked against the reference:
//! the JSON path `serde_path_to_error` reports (what `parse_document`
//! reported before it found paths by reading the text) and serde_json's
//! line:column, on the shipped catalogues and seeded mutations of them.

use policy_match::catalogue::{parse_document, Document};
use serde_json::Value;

/// The reference: path from `serde_path_to_error`, position from serde_json.
fn reference(text: &str) -> Option<(String, String, usize, usize)> {
    let mut de = serde_json::Deserializer::from_str(text);
    let (path, e) = match serde_path_to_error::deserialize::<_, Document>(&mut de) {
        Ok(_) => match de.end() {
            Ok(()) => return None,
            Err(e) => (String::new(), e),
        },
        Err(e) => (e.path().to_string(), e.into_inner()),
    };
    let path = if path == "." { String::new() } else { path };
    let mut message = e.to_string();
    if let Some(p) = message.rfind(" at line ") {
        message.truncate(p);
    }
    let line = text.split('\n').nth(e.line().saturating_sub(1)).unwrap_or("");
    let mut end = e.column().saturating_sub(1).min(line.len());
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    Some((message, path, e.line().max(1), line[..end].chars().count() + 1))
}

/// A xorshift generator: the mutations are the same on every run.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
}

/// Snippets that break JSON or the catalogue format.
const SNIPPETS: &[&str] =
    &["{", "}", "[", "]", ":", ",", "\"", "\\", " ", "\n", "0", "-", ".", "e", "x", "\\u", "\u{1}", "中", "\\uD800", "\\uDC00", "01", "1.", "nul", ",]", ",}"];

/// Values of the wrong type, or of the right type but invalid.
const VALUES: &[&str] = &[
    "1",
    "-0.5",
    "1e5",
    "true",
    "null",
    "\"\"",
    "[]",
    "{}",
    "[\"a\"]",
    "[\"a\", \"b\", \"c\"]",
    "{\"zh\": \"a\"}",
    "{\"zh\": \"a\", \"zh\": \"b\"}",
    "\"bad id\"",
    "\"2026-13-01\"",
    "\"javascript:alert(1)\"",
    "\"nope\"",
    "123456789012345678901234567890123",
    "[[[]]]",
    "[ [] ]",
    "[\"x\", 5]",
    "[\"ok\", \"bad id\" ,\n \"x\"]",
    "[{\"rule\": \"exclusive\", \"policy\": \"x y\"}\n]",
];

/// Keys, known and unknown.
const KEYS: &[&str] =
    &["id", "title", "zh", "format", "policies", "criteria", "rule", "category", "type", "unit", "min", "url", "extends", "bogus", "a\\\"b", "\\u0069d"];

/// The byte range of the JSON value starting at `s`, if there is one.
fn value_len(t: &str, s: usize) -> Option<usize> {
    let mut it = serde_json::Deserializer::from_str(t.get(s..)?).into_iter::<Value>();
    it.next()?.ok()?;
    Some(it.byte_offset())
}

/// `base` with one or two random edits (also used by `check_zh.rs`).
pub(crate) fn mutate(r: &mut Rng, base: &str) -> String {
    let mut t = if r.below(8) == 0 { base.replace('\n', "\r\n") } else { base.to_string() };
    for _ in 0..1 + r.below(2) {
        let mut i = r.below(t.len() + 1);
        while !t.is_char_boundary(i) {
            i -= 1;
        }
        let next = t[i..].chars().next().map_or(i, |c| i + c.len_utf8());
        let values: Vec<usize> = t.match_indices("\": ").map(|(p, _)| p + 3).collect();
        match r.below(8) {
            0 => t.replace_range(i..next, ""),
            1 => t.insert_str(i, r.pick(SNIPPETS)),
            2 => {
                let s = r.pick(SNIPPETS);
                t.replace_range(i..next, s);
            }
            3 | 4 => {
                if let Some(&s) = values.get(r.below(values.len())) {
                    if let Some(n) = value_len(&t, s) {
                        let v = r.pick(VALUES);
                        t.replace_range(s..s + n, v);
                    }
                }
            }
            5 => {
                if let Some(&s) = values.get(r.below(values.len())) {
                    if let Some(q) = t[..s - 3].rfind('"') {
                        let k = r.pick(KEYS);
                        t.replace_range(q + 1..s - 3, k);
                    }
                }
            }
            6 => {
                let mut lines: Vec<&str> = t.split('\n').collect();
                let k = r.below(lines.len());
                match r.below(3) {
                    0 => drop(lines.remove(k)),
                    1 => lines.insert(k, lines[k]),
                    _ => {
                        let last = lines.len() - 1;
                        lines.swap(k, (k + 1).min(last));
                    }
                }
                t = lines.join("\n");
            }
            _ => t.truncate(i),
        }
    }
    t
}

/// The catalogues mutated: two shipped ones, the planted errors and a synthetic one.
pub(crate) fn bases() -> Vec<String> {
    let root = super::util::root();
    let mut bases: Vec<String> = ["www/catalogues/demo.json", "www/catalogues/example-zone.json", "tests/fixtures/planted-errors.json"]
        .iter()
        .map(|p| std::fs::read_to_string(root.join(p)).unwrap())
        .collect();
    bases.push(policy_match::synth::catalogue(3, 7));
    bases
}

/// The seed of the mutations.
pub(crate) const SEED: u64 = 0x9E37_79B9_7F4A_7C15;

#[test]
fn error_paths_and_positions_match_the_reference() {
    let bases = bases();
    let mut r = Rng(SEED);
    let (mut compared, mut errors) = (0, 0);
    for k in 0..1500 {
        let t = mutate(&mut r, &bases[k % bases.len()]);
        let want = reference(&t);
        // The first error is the whole document's (more may follow, one per element).
        let got = parse_document("t.json", &t)
            .err()
            .and_then(|v| v.into_iter().next())
            .filter(|e| !matches!(e.error, policy_match::catalogue::CatalogueError::Format(_)));
        let got = got.map(|e| {
            let message = e.error.to_string();
            // The reference has no hint about full-width punctuation.
            let message = message.split(" (“").next().unwrap_or_default().to_string();
            (message.strip_prefix("invalid JSON: ").map(str::to_string).unwrap_or(message), e.location.path, e.location.line, e.location.column)
        });
        assert_eq!(got, want, "mutation {k}:\n{t}");
        compared += 1;
        errors += usize::from(want.is_some());
    }
    // Most mutations break the catalogue.
    assert!(errors > compared * 2 / 3, "{errors} errors in {compared}");
}
