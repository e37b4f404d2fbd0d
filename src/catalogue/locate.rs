//! JSON paths and positions in source text, both ways.
//!
//! Structural errors get their position from the JSON parser; errors found
//! later (an unknown field deep in a rule) only know their JSON path. This
//! small scanner walks the text along that path, so every error can still
//! point at a line and column. The other way, [`path_at`] reads the text up
//! to a parse error's position to name the value it is about.

use crate::rules::{JsonPath, Seg};

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
    line_col(text, Scanner { b: text.as_bytes(), i: 0 }.walk(path))
}

/// The positions of many paths in one text, as [`locate`] gives each, in
/// time linear in the text rather than in the text times the paths: a
/// path into a top-level array (`policies[12]…`) starts from that
/// element, whose place is found once per array, and the lines are
/// counted in one sweep.
///
/// # Example
/// ```
/// use policy_match::catalogue::{locate, locate_all};
/// use policy_match::rules::Seg;
/// let text = "{\"p\": [\n {\"a\": 1},\n {\"a\": 2}]}";
/// let paths = [vec![Seg::Key("p".into()), Seg::Index(1), Seg::Key("a".into())], vec![Seg::Key("p".into())]];
/// let all = locate_all(text, &paths.iter().map(|p| &p[..]).collect::<Vec<_>>());
/// assert_eq!(all, [locate(text, &paths[0]), locate(text, &paths[1])]);
/// ```
pub fn locate_all(text: &str, paths: &[&[Seg]]) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut arrays: Vec<(&str, Vec<(usize, usize)>)> = Vec::new();
    let offsets: Vec<usize> = paths
        .iter()
        .map(|path| {
            let (mut s, rest) = match path {
                [Seg::Key(k), Seg::Index(i), rest @ ..] => {
                    let spans = match arrays.iter().position(|(key, _)| *key == &**k) {
                        Some(j) => &arrays[j].1,
                        None => {
                            arrays.push((k, element_spans(text, k)));
                            &arrays[arrays.len() - 1].1
                        }
                    };
                    match spans.get(*i) {
                        Some(&(start, _)) => (Scanner { b, i: start }, rest),
                        None => (Scanner { b, i: 0 }, &path[..]),
                    }
                }
                _ => (Scanner { b, i: 0 }, &path[..]),
            };
            s.walk(rest)
        })
        .collect();
    // Line and column of every offset: the line starts, found in one pass,
    // then a binary search per offset.
    let starts: Vec<usize> = std::iter::once(0).chain(b.iter().enumerate().filter(|(_, c)| **c == b'\n').map(|(i, _)| i + 1)).collect();
    offsets
        .iter()
        .map(|&off| {
            let off = off.min(text.len());
            let line = starts.partition_point(|&s| s <= off);
            let start = starts.get(line.wrapping_sub(1)).copied().unwrap_or(0);
            (line, text.get(start..off).map_or(1, |s| s.chars().count() + 1))
        })
        .collect()
}

/// Byte spans `(start, end)` of the elements of the array at the document's
/// top-level `key` (empty when there is none). For text that is valid JSON.
pub(crate) fn element_spans(text: &str, key: &str) -> Vec<(usize, usize)> {
    let mut s = Scanner { b: text.as_bytes(), i: 0 };
    let mut out = Vec::new();
    s.ws();
    if s.enter(&Seg::Key(key.to_string().into())).is_none() || s.peek() != Some(b'[') {
        return out;
    }
    s.i += 1;
    loop {
        s.ws();
        if s.peek() != Some(b'{') {
            return out;
        }
        let start = s.i;
        if s.skip().is_none() {
            return out;
        }
        out.push((start, s.i));
        s.ws();
        if s.peek() != Some(b',') {
            return out;
        }
        s.i += 1;
    }
}

/// 1-based line and character column of a byte offset.
///
/// # Example
/// ```
/// use policy_match::catalogue::line_col;
/// let text = "{\n  \"标题\": 1}";
/// assert_eq!(line_col(text, text.find('1').unwrap()), (2, 9)); // columns count characters
/// ```
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
    /// Follow `path` from the value at the cursor: the offset of the value
    /// it leads to, or of the deepest one that exists.
    fn walk(&mut self, path: &[Seg]) -> usize {
        self.ws();
        let mut best = self.i;
        for seg in path {
            match self.enter(seg) {
                Some(pos) => best = pos,
                None => break,
            }
        }
        best
    }

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
                        // One character (its length from its first byte): not
                        // the rest of the text, which made long strings with
                        // escapes quadratic.
                        let len = match self.b[self.i] {
                            0xF0.. => 4,
                            0xE0.. => 3,
                            0xC0.. => 2,
                            _ => 1,
                        };
                        let c = std::str::from_utf8(self.b.get(self.i..self.i + len)?).ok()?.chars().next()?;
                        out.push(c);
                        self.i += len;
                    }
                }
            }
        }
        None
    }

    /// Step over the string at the cursor (without decoding it).
    fn skip_string(&mut self) -> Option<()> {
        self.i += 1;
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                b'\\' => self.i += 2,
                _ => self.i += 1,
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
                b'"' => self.skip_string()?,
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

/// What a JSON error is about, which decides the path [`path_at`] reports
/// for the position the parser gave.
///
/// The positions are those of `serde_json` (just after the byte read last,
/// or the one peeked at), and the paths those of the `serde` visitor that
/// failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Blame {
    /// Not valid JSON: the value, key or container where the first grammar
    /// error (or the 128th nested container) is; a key that could not be
    /// read is the segment `?`.
    Syntax,
    /// An object or array found incomplete at its end (`missing field`,
    /// `invalid length`): the container closed at the position.
    Container,
    /// A key given twice (`duplicate field`): the object.
    Object,
    /// A container where something else was expected (`invalid type: map`
    /// or `sequence`): the value starting after the position.
    Next,
    /// A container where a number was expected: `serde_json::Number`
    /// refuses it only once it has opened it, so the container opened (or,
    /// when empty, closed) at the position.
    Opened,
    /// Anything else: the key just read, or the value that ends at the
    /// position (a bad value is only refused after the parser has moved
    /// past it, up to the next `,` of an array or the end of its container).
    Value,
}

impl Blame {
    /// What a `serde_json` error with this message is about.
    pub(crate) fn of(category: serde_json::error::Category, message: &str) -> Blame {
        let container = message.starts_with("invalid type: map,") || message.starts_with("invalid type: sequence,");
        if category != serde_json::error::Category::Data {
            Blame::Syntax
        } else if message.starts_with("missing field") || message.starts_with("invalid length") {
            Blame::Container
        } else if message.starts_with("duplicate field") {
            Blame::Object
        } else if container && message.ends_with("expected a JSON number") {
            Blame::Opened
        } else if container {
            Blame::Next
        } else {
            Blame::Value
        }
    }
}

/// Greatest number of nested containers `serde_json` reads; opening one
/// more is a `recursion limit exceeded` error.
const MAX_DEPTH: usize = 127;

/// Where a reader is inside an object or array.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum At {
    /// Just after `{` or `[`.
    Open,
    /// After a key, before its `:`.
    Key,
    /// Where a value must come: after `:`, or after `,` in an array.
    Value,
    /// After a value.
    Done,
    /// After `,` in an object.
    Next,
}

/// An open object or array.
#[derive(Clone, Copy, Debug)]
struct Frame {
    obj: bool,
    at: At,
    /// The byte range of the current key, quotes included.
    key: (usize, usize),
    /// Elements started (arrays).
    count: usize,
}

impl Frame {
    /// Whether a key or element has been read.
    fn has_child(&self) -> bool {
        if self.obj {
            self.key.1 > 0
        } else {
            self.count > 0
        }
    }
}

/// Where the reader stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    /// Between tokens (the state is in the frames).
    Between,
    /// Inside a key.
    Key,
    /// Inside a string, number or literal value.
    Scalar,
}

/// The JSON path of the value a `serde_json` error at byte offset `end`
/// (its line and column: everything before `end` has been read) is about,
/// as `serde_path_to_error` reports it: read the text up to there,
/// following `serde_json`'s grammar, and keep the open containers.
pub(crate) fn path_at(text: &str, end: usize, blame: Blame) -> JsonPath {
    let b = text.as_bytes();
    let end = end.min(b.len());
    let limit = if blame == Blame::Syntax { b.len() } else { end };
    let mut r = Reader { b, limit, stack: Vec::new(), closed: None };
    let (stop, bad) = r.run();
    if blame == Blame::Syntax && bad >= end && !(bad == b.len() && end == b.len()) {
        // The text is valid up to the error: the parser gave up on a
        // container it had read enough of (a struct written as an array
        // with extra elements, a number as a map with extra keys) when it
        // peeked at the byte before `end`.
        let mut r = Reader { b, limit: end.saturating_sub(1), stack: Vec::new(), closed: None };
        r.run();
        return r.path(r.stack.len(), Tail::None);
    }
    let Some(top) = r.stack.last().copied() else {
        // At the top level: the document, or the last value in it that
        // was just closed.
        return match r.closed {
            Some(c) if blame == Blame::Value && stop == Stop::Between && c.has_child() => r.path(0, Tail::Child(c)),
            _ => r.path(0, Tail::None),
        };
    };
    let tail = match (stop, blame, top.at) {
        (Stop::Key, ..) => Tail::Unknown,
        (Stop::Scalar, ..) => Tail::Current,
        (_, Blame::Syntax, at) => match (top.obj, at) {
            (true, At::Key) => Tail::None,
            (true, At::Value) => Tail::Current,
            (true, _) => Tail::Unknown,
            // A bad value starts an element; the end of the text or `]`
            // after `,` is the array's error.
            (false, At::Open | At::Value) if bad < b.len() && b[bad] != b']' => Tail::Pending,
            (false, _) => Tail::None,
        },
        (_, Blame::Object, _) | (_, Blame::Opened, At::Open) => Tail::None,
        (_, Blame::Next, At::Open | At::Value) if !top.obj => Tail::Pending,
        (_, Blame::Value, At::Done) => match r.closed {
            Some(c) if c.has_child() => Tail::Child(c),
            _ => Tail::Current,
        },
        _ => Tail::Current,
    };
    r.path(r.stack.len(), tail)
}

/// The last segment of a path, below the innermost open container.
#[derive(Clone, Copy)]
enum Tail {
    /// None: the container itself.
    None,
    /// The current key or element.
    Current,
    /// The element about to start.
    Pending,
    /// A key that could not be read (`?`).
    Unknown,
    /// The current element's current child (in a container just closed).
    Child(Frame),
}

/// A JSON reader that follows `serde_json`'s grammar and keeps the open
/// containers.
struct Reader<'a> {
    b: &'a [u8],
    limit: usize,
    stack: Vec<Frame>,
    /// The container closed by the last byte read.
    closed: Option<Frame>,
}

impl Reader<'_> {
    /// Read up to the limit or the first grammar error. Where it stopped,
    /// and the offset of the byte that is not valid (or the limit).
    fn run(&mut self) -> (Stop, usize) {
        let mut i = 0;
        let mut root_done = false;
        loop {
            while i < self.limit && matches!(self.b[i], b' ' | b'\n' | b'\t' | b'\r') {
                i += 1;
                self.closed = None;
            }
            if i >= self.limit {
                return (Stop::Between, i);
            }
            let c = self.b[i];
            let Some(top) = self.stack.last_mut() else {
                if root_done {
                    return (Stop::Between, i);
                }
                match self.value(i) {
                    Ok((next, done)) => (i, root_done) = (next, done),
                    Err(stop) => return stop,
                }
                continue;
            };
            self.closed = None;
            match (top.obj, top.at, c) {
                (true, At::Open | At::Next, b'"') => match string(self.b, i, self.limit) {
                    Ok(end) => {
                        top.key = (i, end);
                        top.at = At::Key;
                        i = end;
                    }
                    Err(bad) => return (Stop::Key, bad),
                },
                (true, At::Key, b':') => {
                    top.at = At::Value;
                    i += 1;
                }
                (_, At::Done, b',') => {
                    top.at = if top.obj { At::Next } else { At::Value };
                    i += 1;
                }
                (true, At::Open | At::Done, b'}') | (false, At::Open | At::Done, b']') => {
                    self.closed = self.stack.pop();
                    match self.stack.last_mut() {
                        Some(f) => f.at = At::Done,
                        None => root_done = true,
                    }
                    i += 1;
                }
                (true, At::Value, _) | (false, At::Open | At::Value, _) => match self.value(i) {
                    Ok((next, _)) => i = next,
                    Err(stop) => return stop,
                },
                _ => return (Stop::Between, i),
            }
        }
    }

    /// Start the value at `i`, where one is expected: read a scalar whole,
    /// or open a container. The offset after it and whether it is complete;
    /// or where it stopped.
    fn value(&mut self, i: usize) -> Result<(usize, bool), (Stop, usize)> {
        let c = self.b[i];
        let end = match c {
            b'{' | b'[' => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err((Stop::Between, i));
                }
                self.start();
                self.stack.push(Frame { obj: c == b'{', at: At::Open, key: (0, 0), count: 0 });
                return Ok((i + 1, false));
            }
            b'"' => string(self.b, i, self.limit),
            b't' => literal(self.b, i, self.limit, b"true"),
            b'f' => literal(self.b, i, self.limit, b"false"),
            b'n' => literal(self.b, i, self.limit, b"null"),
            b'-' | b'0'..=b'9' => number(self.b, i, self.limit),
            _ => return Err((Stop::Between, i)),
        };
        self.start();
        let end = end.map_err(|bad| (Stop::Scalar, bad))?;
        if let Some(f) = self.stack.last_mut() {
            f.at = At::Done;
        }
        Ok((end, true))
    }

    /// A value starts in the top frame.
    fn start(&mut self) {
        if let Some(f) = self.stack.last_mut() {
            if !f.obj {
                f.count += 1;
            }
        }
    }

    /// The path of frame `n` (0: the document), then `tail`.
    fn path(&self, n: usize, tail: Tail) -> JsonPath {
        let mut segs: Vec<Seg> = self.stack[..n.saturating_sub(1)].iter().map(|f| self.seg(f)).collect();
        let Some(top) = n.checked_sub(1).and_then(|t| self.stack.get(t)) else {
            if let Tail::Child(c) = tail {
                segs.push(self.seg(&c));
            }
            return JsonPath(segs);
        };
        match tail {
            Tail::None => {}
            Tail::Current => segs.push(self.seg(top)),
            Tail::Pending => segs.push(Seg::Index(top.count)),
            Tail::Unknown => segs.push(Seg::Key("?".into())),
            Tail::Child(c) => {
                segs.push(self.seg(top));
                segs.push(self.seg(&c));
            }
        }
        JsonPath(segs)
    }

    /// The segment of a frame's current key or element.
    fn seg(&self, f: &Frame) -> Seg {
        if f.obj {
            // The key was read as a valid string: serde_json decodes it.
            let quoted = self.b.get(f.key.0..f.key.1).unwrap_or_default();
            Seg::Key(serde_json::from_slice::<String>(quoted).unwrap_or_default().into())
        } else {
            Seg::Index(f.count.saturating_sub(1))
        }
    }
}

/// The offset after the string whose `"` is at `i`, if it is valid for
/// `serde_json` (escapes, paired surrogates, no control characters);
/// else the offset of the first byte that is not (or the limit).
fn string(b: &[u8], i: usize, limit: usize) -> Result<usize, usize> {
    let at = |j: usize| if j < limit { Ok(b[j]) } else { Err(limit) };
    let hex = |j: usize| -> Result<u16, usize> {
        let h = b.get(j..j + 4).filter(|h| j + 4 <= limit && h.iter().all(u8::is_ascii_hexdigit)).ok_or(j)?;
        u16::from_str_radix(std::str::from_utf8(h).map_err(|_| j)?, 16).map_err(|_| j)
    };
    let mut j = i + 1;
    loop {
        match at(j)? {
            b'"' => return Ok(j + 1),
            b'\\' => match at(j + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => j += 2,
                b'u' => {
                    let n = hex(j + 2)?;
                    if (0xDC00..=0xDFFF).contains(&n) {
                        return Err(j + 5);
                    }
                    j += 6;
                    if (0xD800..=0xDBFF).contains(&n) {
                        if at(j)? != b'\\' || at(j + 1)? != b'u' || !(0xDC00..=0xDFFF).contains(&hex(j + 2)?) {
                            return Err(j);
                        }
                        j += 6;
                    }
                }
                _ => return Err(j + 1),
            },
            0..=0x1f => return Err(j),
            _ => j += 1,
        }
    }
}

/// The offset after the literal `word` at `i`, or of its first wrong byte.
fn literal(b: &[u8], i: usize, limit: usize, word: &[u8]) -> Result<usize, usize> {
    match (0..word.len()).find(|&k| i + k >= limit || b[i + k] != word[k]) {
        Some(k) => Err(i + k),
        None => Ok(i + word.len()),
    }
}

/// The offset after the number at `i`, or of the byte that makes it invalid.
fn number(b: &[u8], i: usize, limit: usize) -> Result<usize, usize> {
    let at = |j: usize| if j < limit { b[j] } else { 0 };
    let digits = |mut j: usize| {
        while at(j).is_ascii_digit() {
            j += 1;
        }
        j
    };
    let mut j = i + usize::from(at(i) == b'-');
    match at(j) {
        b'0' if at(j + 1).is_ascii_digit() => return Err(j + 1),
        b'0' => j += 1,
        b'1'..=b'9' => j = digits(j),
        _ => return Err(j),
    }
    if at(j) == b'.' {
        if !at(j + 1).is_ascii_digit() {
            return Err(j + 1);
        }
        j = digits(j + 1);
    }
    if matches!(at(j), b'e' | b'E') {
        j += 1 + usize::from(matches!(at(j + 1), b'+' | b'-'));
        if !at(j).is_ascii_digit() {
            return Err(j);
        }
        j = digits(j);
    }
    Ok(j)
}

/// The byte span of the object entry that `path` ends in (its key), with
/// the comma that separates it from the next entry (or, for the last, from
/// the one before): what to delete to leave valid JSON without it.
pub(crate) fn entry_span(text: &str, path: &[Seg]) -> Option<(usize, usize)> {
    let (Seg::Key(k), parent) = path.split_last()? else { return None };
    let mut s = inside_object(text.as_bytes(), parent)?;
    let mut comma_before = None;
    loop {
        s.ws();
        let start = s.i;
        let key = s.string()?;
        s.ws();
        if s.peek()? != b':' {
            return None;
        }
        s.i += 1;
        s.skip()?;
        let value_end = s.i;
        s.ws();
        let comma_after = s.peek()? == b',';
        if key == **k {
            return Some(match (comma_after, comma_before) {
                (true, _) => (start, s.i + 1),
                (false, Some(c)) => (c, value_end),
                (false, None) => (start, value_end),
            });
        }
        if !comma_after {
            return None;
        }
        comma_before = Some(s.i);
        s.i += 1;
    }
}

/// The byte offset just after the `{` of the object at `path`, and whether
/// the object is empty.
pub(crate) fn object_start(text: &str, path: &[Seg]) -> Option<(usize, bool)> {
    let mut s = inside_object(text.as_bytes(), path)?;
    let start = s.i;
    s.ws();
    Some((start, s.peek()? == b'}'))
}

/// A scanner at the value at `path`.
fn at_path<'a>(text: &'a [u8], path: &[Seg]) -> Option<Scanner<'a>> {
    let mut s = Scanner { b: text, i: 0 };
    s.ws();
    for seg in path {
        s.enter(seg)?;
    }
    Some(s)
}

/// A scanner just after the `{` of the object at `path`.
fn inside_object<'a>(text: &'a [u8], path: &[Seg]) -> Option<Scanner<'a>> {
    let mut s = at_path(text, path)?;
    if s.peek()? != b'{' {
        return None;
    }
    s.i += 1;
    Some(s)
}

/// The string at `path` in `text`, if the text has one there.
pub(crate) fn string_at(text: &[u8], path: &[Seg]) -> Option<String> {
    at_path(text, path)?.string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deleting an entry's span leaves valid JSON without it, wherever the
    /// entry is; the object's start is just after its brace.
    #[test]
    fn entries_come_out_cleanly() {
        let text = r#"{"a": {"x": 1, "y": [2, {"z": 3}], "w": "t,}"}, "b": {}}"#;
        let key = |k: &str| Seg::Key(k.to_string().into());
        for (k, want) in [("x", r#"{"y":[2,{"z":3}],"w":"t,}"}"#), ("y", r#"{"x":1,"w":"t,}"}"#), ("w", r#"{"x":1,"y":[2,{"z":3}]}"#)] {
            let (s, e) = entry_span(text, &[key("a"), key(k)]).unwrap();
            let without = format!("{}{}", &text[..s], &text[e..]);
            let v: serde_json::Value = serde_json::from_str(&without).unwrap();
            assert_eq!(v["a"], serde_json::from_str::<serde_json::Value>(want).unwrap(), "{k}");
        }
        let only = r#"{"o": {"k": [1]}}"#;
        let (s, e) = entry_span(only, &[key("o"), key("k")]).unwrap();
        assert_eq!(format!("{}{}", &only[..s], &only[e..]), r#"{"o": {}}"#);
        assert_eq!(entry_span(text, &[key("a"), key("nope")]), None);
        assert_eq!(entry_span(text, &[key("a"), key("y"), Seg::Index(0)]), None);
        assert_eq!(object_start(text, &[key("b")]), Some((text.rfind("{}").unwrap() + 1, true)));
        assert_eq!(object_start(text, &[key("a")]), Some((7, false)));
        assert_eq!(object_start(text, &[key("a"), key("x")]), None);
    }

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

    /// `path_at` with the error position given as the text before it.
    fn at(text: &str, before: &str, blame: Blame) -> String {
        assert!(text.starts_with(before), "{before:?} is not a prefix of {text:?}");
        let path = path_at(text, before.len(), blame);
        if path.0.is_empty() {
            String::new()
        } else {
            path.to_string()
        }
    }

    #[test]
    fn syntax_errors_blame_the_value_key_or_container_being_read() {
        use Blame::Syntax;
        // `tru` is a bad value of `b`.
        assert_eq!(at(r#"{"a": [{"b": tru}]}"#, r#"{"a": [{"b": tru}"#, Syntax), "a[0].b");
        // A missing `:` is the object's error; a trailing `,` before `}` a bad key.
        assert_eq!(at(r#"{"a": {"b" 1}}"#, r#"{"a": {"b" 1"#, Syntax), "a");
        assert_eq!(at(r#"{"a": {"b": 1,}}"#, r#"{"a": {"b": 1,}"#, Syntax), "a.?");
        // In an array, `]` after `,` is the array's error, a bad value an element's.
        assert_eq!(at(r#"{"a": [1, 2,]}"#, r#"{"a": [1, 2,]"#, Syntax), "a");
        assert_eq!(at(r#"[1, x]"#, r#"[1, x"#, Syntax), "[1]");
        assert_eq!(at(r#"{"a\"b\u0021": [}"#, r#"{"a\"b\u0021": [}"#, Syntax), "a\"b![0]");
        // The end of the text: inside an array it is the array's error,
        // after a key's `:` the value's, after a key the object's.
        assert_eq!(at(r#"{"a": [1, "#, r#"{"a": [1, "#, Syntax), "a");
        assert_eq!(at(r#"{"a": "#, r#"{"a": "#, Syntax), "a");
        assert_eq!(at(r#"{"a""#, r#"{"a""#, Syntax), "");
        assert_eq!(at(r#"{"a": {"b": "x"#, r#"{"a": {"b": "x"#, Syntax), "a.b");
        // An escape serde_json refuses: a lone trailing surrogate.
        assert_eq!(at(r#"{"k": ["\uDC00"]}"#, r#"{"k": ["\uDC00"#, Syntax), "k[0]");
        // After the document.
        assert_eq!(at(r#"{"a": 1} x"#, r#"{"a": 1} x"#, Syntax), "");
        // The 128th nested container is the error of the value it starts.
        let deep = format!(r#"{{"r": {}1{}}}"#, "[".repeat(127), "]".repeat(127));
        let before = format!(r#"{{"r": {}"#, "[".repeat(127));
        assert_eq!(at(&deep, &before, Syntax), format!("r{}", "[0]".repeat(126)));
        // Valid up to the position: the container given up on (a struct
        // written as an array with an extra element).
        assert_eq!(at(r#"{"t": ["a", "b", "c"]}"#, r#"{"t": ["a", "b", ""#, Syntax), "t");
        assert_eq!(at(r#"{"t": ["a", "b" ,{}]}"#, r#"{"t": ["a", "b" ,{"#, Syntax), "t");
    }

    #[test]
    fn data_errors_blame_by_kind() {
        // An unknown key is read, then refused.
        assert_eq!(at(r#"{"p": {"id": 1, "zz": 2}}"#, r#"{"p": {"id": 1, "zz""#, Blame::Value), "p.zz");
        // A duplicate key is refused by the object.
        assert_eq!(at(r#"{"p": {"k": 1, "k": 2}}"#, r#"{"p": {"k": 1, "k""#, Blame::Object), "p");
        // A bad string is refused after the parser has moved on: over
        // spaces, the `,` of an array, or the end of its object.
        assert_eq!(at(r#"{"p": {"id": "1x" , "b": 2}}"#, r#"{"p": {"id": "1x" "#, Blame::Value), "p.id");
        assert_eq!(at(r#"{"ids": ["ok", "bad id", "x"]}"#, r#"{"ids": ["ok", "bad id", "#, Blame::Value), "ids[1]");
        assert_eq!(at(r#"{"p": {"id": "1x"}}"#, r#"{"p": {"id": "1x"}"#, Blame::Value), "p.id");
        assert_eq!(at(r#"{"id": "1x"}"#, r#"{"id": "1x"}"#, Blame::Value), "id");
        assert_eq!(at(r#"{"n": 12}"#, r#"{"n": 12"#, Blame::Value), "n");
        // A missing key: the object that ends.
        assert_eq!(at(r#"{"p": [{"id": "x"}]}"#, r#"{"p": [{"id": "x"}"#, Blame::Container), "p[0]");
        // A container where a string was expected is refused before it is read...
        assert_eq!(at(r#"{"ids": ["a", {}]}"#, r#"{"ids": ["a", "#, Blame::Next), "ids[1]");
        assert_eq!(at(r#"{"ids": [[]]}"#, r#"{"ids": ["#, Blame::Next), "ids[0]");
        // ... where a number was expected, once opened.
        assert_eq!(at(r#"{"min": [ [] ]}"#, r#"{"min": [ "#, Blame::Opened), "min");
        assert_eq!(at(r#"{"min": {}}"#, r#"{"min": {}"#, Blame::Opened), "min");
        // The document itself.
        assert_eq!(at("5", "5", Blame::Value), "");
    }

    #[test]
    fn blame_follows_the_message() {
        use serde_json::error::Category::{Data, Syntax};
        assert_eq!(Blame::of(Syntax, "trailing comma"), Blame::Syntax);
        assert_eq!(Blame::of(Data, "missing field `id`"), Blame::Container);
        assert_eq!(Blame::of(Data, "invalid length 1, expected struct Text with 2 elements"), Blame::Container);
        assert_eq!(Blame::of(Data, "duplicate field `id`"), Blame::Object);
        assert_eq!(Blame::of(Data, "invalid type: map, expected a string"), Blame::Next);
        assert_eq!(Blame::of(Data, "invalid type: sequence, expected a JSON number"), Blame::Opened);
        assert_eq!(Blame::of(Data, "invalid type: integer `5`, expected a string"), Blame::Value);
        assert_eq!(Blame::of(Data, "unknown field `zz`, expected `zh` or `en`"), Blame::Value);
    }
}
