//! Find the line:column of a JSON path in source text.
//!
//! Structural errors get their position from the JSON parser; errors found
//! later (an unknown field deep in a rule) only know their JSON path. This
//! small scanner walks the text along that path, so every error can still
//! point at a line and column.

use crate::rules::Seg;

/// The 1-based line and column (in characters) of the value at `path`, or
/// of the deepest ancestor that exists.
///
/// # Example
/// ```
/// use policy_match::catalogue::locate;
/// use policy_match::rules::Seg;
/// let text = "{\n  \"a\": [1,\n    {\"b\": true}]\n}";
/// let path = [Seg::Key("a".into()), Seg::Index(1), Seg::Key("b".into())];
/// assert_eq!(locate(text, &path), (3, 11));
/// ```
pub fn locate(text: &str, path: &[Seg]) -> (usize, usize) {
    let b = text.as_bytes();
    let mut s = Scanner { b, i: 0 };
    s.ws();
    let mut best = s.i;
    for seg in path {
        match s.enter(seg) {
            Some(pos) => best = pos,
            None => break,
        }
    }
    line_col(text, best)
}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.bytes().filter(|&c| c == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    let col = before.get(line_start..).map_or(1, |s| s.chars().count() + 1);
    (line, col)
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Move into the child `seg` of the value at the cursor; return its offset.
    fn enter(&mut self, seg: &Seg) -> Option<usize> {
        match (self.peek()?, seg) {
            (b'{', Seg::Key(k)) => {
                self.i += 1;
                loop {
                    self.ws();
                    if self.peek()? == b'}' {
                        return None;
                    }
                    let key = self.string()?;
                    self.ws();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.i += 1;
                    self.ws();
                    if key == **k {
                        return Some(self.i);
                    }
                    self.skip()?;
                    self.ws();
                    match self.peek()? {
                        b',' => self.i += 1,
                        _ => return None,
                    }
                }
            }
            (b'[', Seg::Index(n)) => {
                self.i += 1;
                let mut idx = 0;
                loop {
                    self.ws();
                    if self.peek()? == b']' {
                        return None;
                    }
                    if idx == *n {
                        return Some(self.i);
                    }
                    self.skip()?;
                    self.ws();
                    match self.peek()? {
                        b',' => self.i += 1,
                        _ => return None,
                    }
                    idx += 1;
                }
            }
            _ => None,
        }
    }

    /// Read a string at the cursor, decoding escapes.
    fn string(&mut self) -> Option<String> {
        if self.peek()? != b'"' {
            return None;
        }
        self.i += 1;
        let start = self.i;
        let mut out = String::new();
        let mut plain = true;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'"' => {
                    let s = if plain { std::str::from_utf8(&self.b[start..self.i]).ok()?.to_string() } else { out };
                    self.i += 1;
                    return Some(s);
                }
                b'\\' => {
                    if plain {
                        out.push_str(std::str::from_utf8(&self.b[start..self.i]).ok()?);
                        plain = false;
                    }
                    let e = *self.b.get(self.i + 1)?;
                    self.i += 2;
                    match e {
                        b'n' => out.push('\n'),
                        b't' => out.push('\t'),
                        b'r' => out.push('\r'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'u' => {
                            let hex = std::str::from_utf8(self.b.get(self.i..self.i + 4)?).ok()?;
                            out.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?).unwrap_or('\u{fffd}'));
                            self.i += 4;
                        }
                        other => out.push(other as char),
                    }
                }
                _ => {
                    if plain {
                        self.i += 1;
                    } else {
                        let rest = std::str::from_utf8(&self.b[self.i..]).ok()?;
                        let c = rest.chars().next()?;
                        out.push(c);
                        self.i += c.len_utf8();
                    }
                }
            }
        }
        None
    }

    /// Skip the value at the cursor.
    fn skip(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            self.ws();
            match self.peek()? {
                b'"' => {
                    self.string()?;
                }
                b'{' | b'[' => {
                    depth += 1;
                    self.i += 1;
                    continue;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.i += 1;
                }
                b',' | b':' if depth > 0 => {
                    self.i += 1;
                    continue;
                }
                _ => {
                    while self.i < self.b.len() && !matches!(self.b[self.i], b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t' | b':') {
                        self.i += 1;
                    }
                }
            }
            if depth == 0 {
                return Some(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values_and_escaped_keys() {
        let text = r#"{"x": {"a\"b": [10, {"y": "z"}, [1, 2]]}, "k": 1}"#;
        let p = [Seg::Key("x".into()), Seg::Key("a\"b".into()), Seg::Index(2), Seg::Index(1)];
        assert_eq!(locate(text, &p), (1, 37));
        assert_eq!(locate(text, &[Seg::Key("k".into())]), (1, 48));
        // A missing child falls back to the deepest ancestor found.
        assert_eq!(locate(text, &[Seg::Key("x".into()), Seg::Key("nope".into())]), (1, 7));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "{\"标题\": 1, \"b\": 2}";
        assert_eq!(locate(text, &[Seg::Key("b".into())]), (1, 16));
    }
}
