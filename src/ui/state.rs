//! The self-check's state: the answers, what is open, the filter, and the
//! latest evaluation. It changes only through [`Action`]s
//! ([`yew::Reducible`]), so every transition is a plain function tested
//! natively (`cargo test`). Side effects (storage, downloads, the share
//! link) stay in the components; they dispatch the results here.

use std::rc::Rc;

use serde_json::Value as Json;
use yew::Reducible;

use super::format::{entry_text, read_answer, InputError, MoneyUnit};
use crate::catalogue::{Catalogue, Category, Section, Unit};
use crate::matching::{AskNext, Matcher, PolicyExplanation, PolicyResult, Profile, Raw, Verdict};
use crate::rules::{Date, Value};
use crate::Text;

/// The `format` of what the widget saves on the device and accepts back
/// besides a plain profile object.
pub const SAVED_FORMAT: &str = "policy-match/answers@1";

/// One question's input as the person left it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Entry {
    /// The text in the input (grouped digits, money in [`Entry::unit`]).
    pub text: String,
    /// Why the text was not accepted.
    pub error: Option<InputError>,
    /// Money fields: typed in 万元 or 元.
    pub unit: MoneyUnit,
    /// "I don't know": not asked again; its policies stay undecided.
    pub skipped: bool,
    /// Bumped by every answer typed, so that the input shows the answer's
    /// text again even when that text is unchanged (`1.2万` typed after
    /// `12000` in 元 is the same 12,000).
    pub edits: u32,
}

/// A questionnaire section with its fields (catalogue order).
#[derive(Clone, Debug, PartialEq)]
pub struct SectionInfo {
    /// Section id (`other` for fields without one).
    pub id: String,
    /// Title; `None` for the catch-all section.
    pub title: Option<Text>,
    /// Help text.
    pub help: Option<Text>,
    /// Field slots.
    pub fields: Vec<u32>,
}

/// The filter over the policy list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    /// Only this category.
    pub category: Option<Category>,
    /// Text to find in titles, issuers, document numbers, tags, summaries.
    pub query: String,
}

impl Filter {
    /// The same filter searching for `q` (its first 200 characters).
    pub fn with_query(&self, q: &str) -> Filter {
        Filter { query: q.chars().take(200).collect(), ..self.clone() }
    }
}

/// Where loaded answers came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A file the person chose.
    File,
    /// A share link's fragment.
    Link,
    /// The device's storage ("remember").
    Device,
    /// The answers given before the catalogues changed.
    Carry,
}

/// A message shown above the questionnaire until dismissed.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// Answers loaded from a file: how many, how many ignored.
    Imported(usize, usize),
    /// A file that could not be used (why); the answers are unchanged.
    ImportFailed(ImportError),
    /// Answers loaded from a share link.
    FromLink,
    /// Answers loaded from the device.
    FromDevice,
    /// Stored answers deleted.
    Forgot,
    /// A share link to show, and whether it was copied.
    Share(String, bool),
}

/// Why an imported file was not used (shown in the page's language).
#[derive(Clone, Debug, PartialEq)]
pub enum ImportError {
    /// Not JSON: where it stops being JSON (1-based).
    NotJson {
        /// Line.
        line: usize,
        /// Column.
        column: usize,
    },
    /// Larger than the limit.
    TooLarge,
    /// The browser could not read it.
    Unreadable,
    /// JSON, but not an object of answers.
    NotAnswers,
    /// An object with no value this catalogue knows (how many were not).
    NoAnswers(usize),
}

/// The evaluation of the current answers.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// One result per policy (catalogue order).
    pub results: Vec<Rc<PolicyResult>>,
    /// Missing fields, most decisive first (the engine's ranking).
    pub ask_next: Vec<AskNext>,
    /// Per field slot: how many undecided policies still need it.
    pub needed: Vec<u32>,
    /// Explanation trees of the policies shown expanded: (policy, tree).
    pub explanations: Vec<(u32, Rc<PolicyExplanation>)>,
}

impl Outcome {
    /// Evaluate `profile`, with explanation trees for `explain` (policy indices).
    pub fn compute(cat: &Catalogue, as_of: Date, profile: &Profile, explain: impl IntoIterator<Item = u32>) -> Outcome {
        let mut matcher = Matcher::new(cat, as_of);
        let mut e = matcher.evaluate(profile);
        let ask_next = e.ask_next();
        let explanations = explain.into_iter().filter_map(|i| e.explain(i).map(|x| (i, Rc::new(x)))).collect();
        let mut needed = vec![0u32; cat.fields.len()];
        for r in e.results.iter().filter(|r| r.verdict == Verdict::Undecided) {
            for &f in &r.missing {
                if let Some(n) = needed.get_mut(f as usize) {
                    *n += 1;
                }
            }
        }
        let results = std::mem::take(&mut e.results).into_iter().map(Rc::new).collect();
        Outcome { results, ask_next, needed, explanations }
    }

    /// The explanation of a policy, if it was computed.
    pub fn explanation(&self, policy: u32) -> Option<&Rc<PolicyExplanation>> {
        self.explanations.iter().find(|(p, _)| *p == policy).map(|(_, e)| e)
    }

    /// How many policies qualify, are undecided, do not qualify.
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |v: Verdict| self.results.iter().filter(|r| r.verdict == v).count();
        (n(Verdict::Qualifies), n(Verdict::Undecided), n(Verdict::DoesNotQualify))
    }
}

/// The whole widget state.
#[derive(Clone, Debug)]
pub struct State {
    /// The compiled catalogues.
    pub cat: Rc<Catalogue>,
    /// The assessment date.
    pub as_of: Date,
    /// The answers as the engine sees them.
    pub profile: Profile,
    /// The answers as typed, by field slot.
    pub entries: Rc<Vec<Entry>>,
    /// Questionnaire sections.
    pub sections: Rc<Vec<SectionInfo>>,
    /// The latest evaluation.
    pub outcome: Rc<Outcome>,
    /// Open sections (indices into `sections`).
    pub open: Vec<usize>,
    /// Sections showing the questions no policy needs now.
    pub more: Vec<usize>,
    /// A question to bring into view and focus: (field slot, request number).
    pub jump: Option<(u32, u32)>,
    /// Policies shown expanded (with their explanation).
    pub expanded: Vec<u32>,
    /// The policy filter.
    pub filter: Filter,
    /// Keep the answers in the device's storage.
    pub remember: bool,
    /// Answers from another session are stored on the device (a share link
    /// was opened instead), so "forget" has something to delete.
    pub stored_elsewhere: bool,
    /// Bumped when stored answers must be deleted.
    pub wipe: u32,
    /// Show the printable report instead of the questionnaire.
    pub report: bool,
    /// "Start over" asks for confirmation.
    pub confirm_reset: bool,
    /// The current notice.
    pub notice: Option<Notice>,
    /// Bumped on every change of the answers.
    pub rev: u32,
    seq: u32,
    /// Remembered answers to fields these catalogues do not declare: a
    /// page with other catalogues (a zone's) may share the storage key.
    /// Written back with the answers ([`State::stored_json`]), never shown
    /// or shared, dropped when the stored answers are deleted.
    kept: Rc<serde_json::Map<String, Json>>,
}

/// Everything that changes the state.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The text typed (or option chosen) for a field: validated, then set.
    Answer {
        /// Field slot.
        field: u32,
        /// The text, option value, `true`/`false`, or date(s).
        text: String,
    },
    /// Switch a money field between 万元 and 元 (the value is unchanged).
    SetUnit {
        /// Field slot.
        field: u32,
        /// The unit.
        unit: MoneyUnit,
    },
    /// "I don't know".
    Skip(u32),
    /// Undo a skip.
    Unskip(u32),
    /// Remove an answer.
    Clear(u32),
    /// Open or close a section.
    ToggleSection(usize),
    /// Show or hide a section's questions that no policy needs now.
    ToggleMore(usize),
    /// Open the section of a field and focus its input.
    Jump(u32),
    /// Expand or collapse a policy card.
    TogglePolicy(u32),
    /// Filter by category.
    Category(Option<Category>),
    /// Filter by text.
    Search(String),
    /// Turn "remember on this device" on or off (off deletes stored answers).
    Remember(bool),
    /// Delete the answers stored on the device.
    Forget,
    /// Load answers (a profile object, or the saved format) from JSON text.
    Load {
        /// The JSON text.
        json: String,
        /// Where it came from.
        source: Source,
    },
    /// Ask (true) or stop asking (false) to confirm "start over".
    ConfirmReset(bool),
    /// Clear every answer.
    Reset,
    /// Show or leave the printable report.
    Report(bool),
    /// Show a notice, or dismiss it.
    Notice(Option<Notice>),
    /// Assess at another date (the answers stay).
    AsOf(Date),
}

impl State {
    /// A fresh state with nothing answered.
    pub fn new(cat: Rc<Catalogue>, as_of: Date) -> State {
        let profile = Profile::empty(&cat);
        let entries = Rc::new(vec![Entry::default(); cat.fields.len()]);
        let sections = Rc::new(sections_of(&cat));
        let outcome = Rc::new(Outcome::compute(&cat, as_of, &profile, []));
        State {
            cat,
            as_of,
            profile,
            entries,
            sections,
            outcome,
            open: Vec::new(),
            more: Vec::new(),
            jump: None,
            expanded: Vec::new(),
            filter: Filter::default(),
            remember: false,
            stored_elsewhere: false,
            kept: Rc::default(),
            wipe: 0,
            report: false,
            confirm_reset: false,
            notice: None,
            rev: 0,
            seq: 0,
        }
    }

    /// Apply one action (what [`Reducible::reduce`] does, on a plain value).
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Answer { field, text } => {
                self.answer(field, &text);
                self.rev += 1;
                self.refresh();
            }
            Action::SetUnit { field, unit } => {
                let Some(def) = self.cat.fields.get(field as usize).map(|f| &f.def) else { return };
                let e = &mut Rc::make_mut(&mut self.entries)[field as usize];
                e.unit = unit;
                if let Some(v) = self.profile.values.get(field as usize).filter(|v| v.is_provided()) {
                    e.text = entry_text(def, v, unit);
                }
                self.rev += 1;
            }
            Action::Skip(field) => {
                if self.set_missing(field) {
                    Rc::make_mut(&mut self.entries)[field as usize].skipped = true;
                    self.rev += 1;
                    self.refresh();
                }
            }
            Action::Unskip(field) => {
                if let Some(e) = Rc::make_mut(&mut self.entries).get_mut(field as usize) {
                    e.skipped = false;
                    self.rev += 1;
                }
            }
            Action::Clear(field) => {
                if self.set_missing(field) {
                    self.rev += 1;
                    self.refresh();
                }
            }
            Action::ToggleSection(i) => {
                if i < self.sections.len() {
                    toggle(&mut self.open, i);
                }
            }
            Action::ToggleMore(i) => {
                if i < self.sections.len() {
                    toggle(&mut self.more, i);
                }
            }
            Action::Jump(field) => {
                if let Some(i) = self.section_of(field) {
                    if !self.open.contains(&i) {
                        self.open.push(i);
                    }
                    self.seq += 1;
                    self.jump = Some((field, self.seq));
                    self.report = false;
                }
            }
            Action::TogglePolicy(p) => {
                if (p as usize) < self.cat.policies.len() {
                    toggle(&mut self.expanded, p);
                    self.refresh();
                }
            }
            Action::AsOf(d) => {
                if d != self.as_of {
                    self.as_of = d;
                    self.rev += 1;
                    self.refresh();
                }
            }
            Action::Category(c) => self.filter.category = c,
            Action::Search(q) => self.filter = self.filter.with_query(&q),
            Action::Remember(on) => {
                if !on && (self.remember || self.stored_elsewhere) {
                    self.wipe += 1;
                    self.stored_elsewhere = false;
                    self.kept = Rc::default();
                }
                self.remember = on;
            }
            Action::Forget => {
                self.remember = false;
                self.stored_elsewhere = false;
                self.kept = Rc::default();
                self.wipe += 1;
                self.notice = Some(Notice::Forgot);
            }
            Action::Load { json, source } => self.load(&json, source),
            Action::ConfirmReset(on) => self.confirm_reset = on,
            Action::Reset => {
                self.confirm_reset = false;
                self.profile = Profile::empty(&self.cat);
                for e in Rc::make_mut(&mut self.entries) {
                    *e = Entry { unit: e.unit, ..Entry::default() };
                }
                self.expanded.clear();
                self.notice = None;
                self.report = false;
                self.rev += 1;
                self.refresh();
            }
            Action::Report(on) => {
                self.report = on;
                self.refresh();
            }
            Action::Notice(n) => self.notice = n,
        }
    }

    fn answer(&mut self, field: u32, text: &str) {
        let Some(f) = self.cat.fields.get(field as usize) else { return };
        let slot = field as usize;
        let unit = self.entries[slot].unit;
        let issues = self.profile.issues.len();
        let edits = self.entries[slot].edits.wrapping_add(1);
        let e = match read_answer(&f.def, text, unit) {
            Ok(Some(p)) => {
                self.profile.set(&self.cat, f.name(), Raw::Text(&p.canonical), None);
                let issue = if self.profile.issues.len() > issues { self.profile.issues.pop() } else { None };
                match issue {
                    Some(issue) => Entry { text: text.to_string(), error: Some(InputError::Engine(issue.message)), unit, skipped: false, edits },
                    None => Entry { text: p.display, error: None, unit, skipped: false, edits },
                }
            }
            Ok(None) => {
                self.profile.values[slot] = Value::Missing;
                Entry { unit, edits, ..Entry::default() }
            }
            Err(err) => {
                self.profile.values[slot] = Value::Missing;
                Entry { text: text.to_string(), error: Some(err), unit, skipped: false, edits }
            }
        };
        self.profile.issues.truncate(issues);
        Rc::make_mut(&mut self.entries)[slot] = e;
    }

    /// Clear a field's value and text; false for an unknown slot.
    fn set_missing(&mut self, field: u32) -> bool {
        let slot = field as usize;
        if slot >= self.entries.len() {
            return false;
        }
        self.profile.values[slot] = Value::Missing;
        let e = &mut Rc::make_mut(&mut self.entries)[slot];
        *e = Entry { unit: e.unit, ..Entry::default() };
        true
    }

    /// Load answers from JSON text: a profile object (as exported) or the
    /// saved format `{"format": "policy-match/answers@1", "profile": {…},
    /// "skipped": […], "yuan": […]}`. Unknown fields and invalid values are
    /// ignored and counted.
    pub fn load(&mut self, json: &str, source: Source) {
        let parsed: Result<Json, ImportError> = if json.len() > 4 << 20 {
            Err(ImportError::TooLarge)
        } else {
            serde_json::from_str(json).map_err(|e| ImportError::NotJson { line: e.line(), column: e.column() })
        };
        let (profile_json, skipped, yuan) = match parsed {
            Ok(Json::Object(mut m)) if m.get("format").and_then(Json::as_str) == Some(SAVED_FORMAT) => {
                let names = |v: Option<Json>| -> Vec<String> { v.and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default() };
                let skipped = names(m.remove("skipped"));
                let yuan = names(m.remove("yuan"));
                (m.remove("profile").unwrap_or(Json::Null), skipped, yuan)
            }
            Ok(v) => (v, Vec::new(), Vec::new()),
            Err(e) => {
                self.notice = (source == Source::File).then_some(Notice::ImportFailed(e));
                return;
            }
        };
        let profile = match Profile::from_json(&self.cat, &profile_json) {
            Ok(p) => p,
            Err(_) => {
                self.notice = (source == Source::File).then_some(Notice::ImportFailed(ImportError::NotAnswers));
                return;
            }
        };
        if matches!(source, Source::Device | Source::Carry) {
            // One insert at a time: collecting into a map sorts, which costs the bundle 1.6 KiB.
            let mut kept = serde_json::Map::new();
            if let Json::Object(m) = &profile_json {
                for (k, v) in m {
                    if k != "id" && self.cat.field(k).is_none() {
                        kept.insert(k.clone(), v.clone());
                    }
                }
            }
            self.kept = Rc::new(kept);
        }
        let ignored = profile.issues.len();
        // A file with nothing usable (another JSON file, a typo'd export)
        // must not wipe the answers given so far.
        if source == Source::File && skipped.is_empty() && !profile.values.iter().any(|v| v.is_provided()) {
            self.notice = Some(Notice::ImportFailed(ImportError::NoAnswers(ignored)));
            return;
        }
        let entries = Rc::make_mut(&mut self.entries);
        for (slot, f) in self.cat.fields.iter().enumerate() {
            let unit = if yuan.iter().any(|n| n == f.name()) { MoneyUnit::Yuan } else { entries[slot].unit };
            let v = &profile.values[slot];
            let skipped = !v.is_provided() && skipped.iter().any(|n| n == f.name());
            entries[slot] = Entry { text: entry_text(&f.def, v, unit), error: None, unit, skipped, edits: entries[slot].edits };
        }
        let answered = profile.values.iter().filter(|v| v.is_provided()).count();
        // A value the engine refused (a number out of range, an address that names no city):
        // shown in its question with what is wrong, as if typed there, not dropped.
        let refused: Vec<(u32, String)> = profile.issues.iter().filter_map(|i| Some((self.cat.field_slot(&i.field)?, i.raw.clone()))).collect();
        self.profile = Profile { issues: Vec::new(), ..profile };
        for (slot, raw) in refused {
            self.answer(slot, &raw);
        }
        self.notice = match source {
            Source::File => Some(Notice::Imported(answered, ignored)),
            Source::Link => Some(Notice::FromLink),
            Source::Device => Some(Notice::FromDevice),
            Source::Carry => self.notice.take(),
        };
        if source == Source::Device {
            self.remember = true;
        }
        self.rev += 1;
        self.refresh();
    }

    /// Re-evaluate (after answers or the expanded set changed).
    fn refresh(&mut self) {
        let all: Vec<u32> = if self.report { (0..self.cat.policies.len() as u32).collect() } else { self.expanded.to_vec() };
        self.outcome = Rc::new(Outcome::compute(&self.cat, self.as_of, &self.profile, all));
    }

    /// The section index of a field.
    pub fn section_of(&self, field: u32) -> Option<usize> {
        self.sections.iter().position(|s| s.fields.contains(&field))
    }

    /// The guided question: the engine's most decisive missing field that
    /// was not skipped.
    pub fn next_question(&self) -> Option<(u32, &AskNext)> {
        self.outcome.ask_next.iter().find_map(|a| self.cat.field_slot(&a.field).filter(|&s| !self.entries[s as usize].skipped).map(|s| (s, a)))
    }

    /// Questions that could still turn a "does not qualify" around: the
    /// unanswered (and not skipped) fields that some rule reads as "provided
    /// or not" (blank = none), read by the failed criteria of policies whose
    /// every failed criterion reads such a field. These are
    /// never "missing" to the engine (a rule may treat a blank as "none",
    /// e.g. a certificate date), so its ranking does not ask them. Each with
    /// how many policies it could change, most first.
    pub fn optional_questions(&self) -> Vec<(u32, u32)> {
        let open = |f: u32| !self.profile.values[f as usize].is_provided() && !self.entries[f as usize].skipped;
        // Only a blank that some rule reads as "none" (`provided`) can turn a failed criterion:
        // a field read as a plain value is unknown while blank, and the criterion failed anyway.
        let blank_is_none = |f: u32| self.cat.program.nodes.iter().any(|n| matches!(n, crate::rules::Node::Provided(x) if *x == f));
        let mut count = vec![0u32; self.cat.fields.len()];
        for r in self.outcome.results.iter().filter(|r| r.verdict == Verdict::DoesNotQualify) {
            let Some(p) = self.cat.policies.get(r.policy as usize) else { continue };
            let mut fields: Vec<u32> = Vec::new();
            let every_failed_open = r.failed.iter().all(|&c| {
                let before = fields.len();
                fields.extend(p.criteria.get(c as usize).into_iter().flat_map(|c| c.fields.iter().copied()).filter(|&f| open(f) && blank_is_none(f)));
                fields.len() > before
            });
            if every_failed_open && !r.failed.is_empty() {
                fields.sort_unstable();
                fields.dedup();
                for f in fields {
                    count[f as usize] += 1;
                }
            }
        }
        let mut slots: Vec<u32> = (0..count.len() as u32).filter(|&f| count[f as usize] > 0).collect();
        super::view::rank(&mut slots, |f| -i64::from(count[f as usize]));
        slots.into_iter().map(|f| (f, count[f as usize])).collect()
    }

    /// The field the guided card asks now: the most decisive missing one,
    /// then those that could still change a "does not qualify".
    pub fn guided_field(&self) -> Option<u32> {
        self.next_question().map(|q| q.0).or_else(|| self.optional_questions().first().map(|q| q.0))
    }

    /// How many questions have an answer.
    pub fn answered(&self) -> usize {
        self.profile.values.iter().filter(|v| v.is_provided()).count()
    }

    /// How many questions some undecided policy still needs (not skipped):
    /// an upper bound on what is left to ask.
    pub fn remaining(&self) -> usize {
        self.outcome.needed.iter().enumerate().filter(|&(s, &n)| n > 0 && !self.entries[s].skipped).count()
    }

    /// Skipped questions that some undecided policy needs.
    pub fn skipped_needed(&self) -> Vec<u32> {
        self.outcome.needed.iter().enumerate().filter(|&(s, &n)| n > 0 && self.entries[s].skipped).map(|(s, _)| s as u32).collect()
    }

    /// The answers as a plain profile object (what "export" saves and the
    /// CLI reads), pretty-printed.
    pub fn profile_json(&self) -> String {
        serde_json::to_string_pretty(&self.profile.to_json(&self.cat)).unwrap_or_default()
    }

    /// The answers with skips and money-unit choices (what "remember" stores
    /// and share links carry), compact.
    pub fn saved_json(&self) -> String {
        self.saved(false)
    }

    fn saved(&self, with_kept: bool) -> String {
        let names = |pred: &dyn Fn(&Entry) -> bool| -> Vec<&str> {
            self.cat.fields.iter().zip(self.entries.iter()).filter(|(_, e)| pred(e)).map(|(f, _)| f.name()).collect()
        };
        #[derive(serde::Serialize)]
        struct Saved<'a> {
            format: &'a str,
            profile: Json,
            skipped: Vec<&'a str>,
            yuan: Vec<&'a str>,
        }
        let mut profile = self.profile.to_json(&self.cat);
        if let (true, Json::Object(p)) = (with_kept, &mut profile) {
            for (k, x) in self.kept.iter() {
                if !p.contains_key(k) {
                    p.insert(k.clone(), x.clone());
                }
            }
        }
        let v = Saved { format: SAVED_FORMAT, profile, skipped: names(&|e| e.skipped), yuan: names(&|e| e.unit == MoneyUnit::Yuan) };
        serde_json::to_string(&v).unwrap_or_default()
    }

    /// What "remember" stores and a change of catalogues carries over:
    /// [`State::saved_json`] with the remembered answers to fields these
    /// catalogues do not declare, so that a page with other catalogues
    /// under the same storage key loses none of its answers.
    pub fn stored_json(&self) -> String {
        self.saved(true)
    }

    /// The unit of a field (for messages).
    pub fn unit_of(&self, field: u32) -> Option<Unit> {
        self.cat.fields.get(field as usize).and_then(|f| f.def.unit)
    }
}

/// Add `x` if absent, remove it if present.
fn toggle<T: PartialEq>(v: &mut Vec<T>, x: T) {
    match v.iter().position(|y| *y == x) {
        Some(i) => {
            v.remove(i);
        }
        None => v.push(x),
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        s.apply(action);
        Rc::new(s)
    }
}

/// The catalogue's sections in order, each with its fields; fields without
/// a (known) section go to a trailing `other` section.
pub fn sections_of(cat: &Catalogue) -> Vec<SectionInfo> {
    let mut out: Vec<SectionInfo> = cat
        .sections
        .iter()
        .map(|s: &Section| SectionInfo { id: s.id.0.clone(), title: Some(s.title.clone()), help: s.help.clone(), fields: Vec::new() })
        .collect();
    let mut other = Vec::new();
    for (slot, f) in cat.fields.iter().enumerate() {
        match f.def.section.as_ref().and_then(|id| out.iter_mut().find(|s| s.id == id.0)) {
            Some(s) => s.fields.push(slot as u32),
            None => other.push(slot as u32),
        }
    }
    if !other.is_empty() {
        out.push(SectionInfo { id: "other".into(), title: None, help: None, fields: other });
    }
    out.retain(|s| !s.fields.is_empty());
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const NATIONAL: &str = include_str!("../../www/catalogues/cn-national-2026.json");
    pub(crate) const ZONE: &str = include_str!("../../www/catalogues/example-zone.json");

    pub(crate) fn national() -> Rc<Catalogue> {
        Rc::new(Catalogue::from_json("cn-national-2026.json", NATIONAL).unwrap())
    }

    pub(crate) fn both() -> Rc<Catalogue> {
        Rc::new(Catalogue::from_sources(&[("cn-national-2026.json", NATIONAL), ("example-zone.json", ZONE)]).unwrap())
    }

    pub(crate) fn as_of() -> Date {
        "2026-07-01".parse().unwrap()
    }

    fn slot(s: &State, name: &str) -> u32 {
        s.cat.field_slot(name).unwrap()
    }

    pub(crate) fn answer(s: &mut State, name: &str, text: &str) {
        let field = slot(s, name);
        s.apply(Action::Answer { field, text: text.into() });
    }

    pub(crate) fn verdict(s: &State, policy: &str) -> Verdict {
        s.outcome.results[s.cat.policy_index(policy).unwrap() as usize].verdict
    }

    /// Profile values of a test-case file (tests/cases/profiles/*.json).
    pub(crate) fn case_profile(text: &str) -> serde_json::Map<String, Json> {
        let v: Json = serde_json::from_str(text).unwrap();
        v["cases"][0]["profile"].as_object().unwrap().clone()
    }

    #[test]
    fn starts_with_everything_undecided_and_a_question() {
        let s = State::new(national(), as_of());
        let (q, u, n) = s.outcome.counts();
        assert_eq!(q, 0);
        assert_eq!(u + n, s.cat.policies.len());
        assert!(u > s.cat.policies.len() / 2);
        let (field, ask) = s.next_question().unwrap();
        assert_eq!(s.cat.fields[field as usize].name(), ask.field);
        assert!(ask.needed_by > 0);
        assert_eq!(s.answered(), 0);
        assert!(s.remaining() > 0);
    }

    #[test]
    fn a_new_as_of_date_reassesses_and_keeps_the_answers() {
        let mut s = State::new(national(), as_of());
        answer(&mut s, "entity_type", "individual_business");
        let refund = s.cat.policy_index("ui_job_stabilization_refund_2026").unwrap() as usize;
        // In force through 2026-12-31 (the catalogue's valid_until).
        assert!(s.outcome.results[refund].in_force);
        s.apply(Action::AsOf(Date::from_ymd(2027, 1, 1).unwrap()));
        assert!(!s.outcome.results[refund].in_force);
        assert_eq!((s.rev, s.answered()), (2, 1), "a change the host hears about; the answer stays");
        assert_eq!(verdict(&s, "cit_small_low_profit_enterprise"), Verdict::DoesNotQualify);
        s.apply(Action::AsOf(Date::from_ymd(2027, 1, 1).unwrap()));
        assert_eq!(s.rev, 2, "the same date again changes nothing");
        s.apply(Action::AsOf(Date::from_ymd(2026, 12, 31).unwrap()));
        assert!(s.outcome.results[refund].in_force);
    }

    #[test]
    fn answering_changes_results_and_the_next_question() {
        let mut s = State::new(national(), as_of());
        let first = s.next_question().unwrap().0;
        answer(&mut s, "entity_type", "individual_business");
        assert_eq!(verdict(&s, "cit_small_low_profit_enterprise"), Verdict::DoesNotQualify);
        assert_eq!(s.rev, 1);
        assert_eq!(s.answered(), 1);
        assert!(s.next_question().is_some_and(|(f, _)| f != slot(&s, "entity_type")));
        // The guided question is never one already answered.
        let _ = first;
        for a in &s.outcome.ask_next {
            assert_ne!(a.field, "entity_type");
        }
    }

    #[test]
    fn an_individual_business_is_not_asked_what_only_enterprise_policies_need() {
        // 企业自测 (a 个体工商户): once the legal form is known, the questions of
        // 杭州"新雏鹰" (a provincial tech-SME, so an enterprise) are not asked.
        let mut s = State::new(national(), as_of());
        let eagle_only = ["main_product_in_hangzhou_future_industry_fields", "hangzhou_key_talent_or_provincial_award"];
        for f in eagle_only {
            assert!(s.outcome.needed[slot(&s, f) as usize] > 0, "{f} is asked before the legal form is known");
        }
        answer(&mut s, "entity_type", "individual_business");
        assert_eq!(verdict(&s, "hangzhou_new_eagle_enterprise"), Verdict::DoesNotQualify);
        for f in eagle_only {
            assert_eq!(s.outcome.needed[slot(&s, f) as usize], 0, "{f} is still asked of an individual business");
        }
    }

    #[test]
    fn invalid_input_is_kept_with_an_error_and_counts_as_not_answered() {
        let mut s = State::new(national(), as_of());
        answer(&mut s, "employees_total_2025", "12");
        let f = slot(&s, "employees_total_2025");
        assert!(s.profile.values[f as usize].is_provided());
        answer(&mut s, "employees_total_2025", "十二");
        let e = &s.entries[f as usize];
        assert_eq!(e.text, "十二");
        assert_eq!(e.error, Some(InputError::NotNumber));
        assert!(!s.profile.values[f as usize].is_provided());
        assert!(s.profile.issues.is_empty());
        answer(&mut s, "employees_total_2025", "-3");
        assert!(matches!(s.entries[f as usize].error, Some(InputError::BelowMin(_))));
        answer(&mut s, "employees_total_2025", "1200");
        assert_eq!(s.entries[f as usize].text, "1,200");
        assert_eq!(s.entries[f as usize].error, None);
    }

    #[test]
    fn money_defaults_to_wan_and_the_unit_toggle_keeps_the_value() {
        let mut s = State::new(national(), as_of());
        let f = slot(&s, "operating_revenue_2025_cny");
        answer(&mut s, "operating_revenue_2025_cny", "76");
        assert_eq!(s.profile.values[f as usize], Value::Num("760000".parse().unwrap()));
        s.apply(Action::SetUnit { field: f, unit: MoneyUnit::Yuan });
        assert_eq!(s.entries[f as usize].text, "760,000");
        assert_eq!(s.profile.values[f as usize], Value::Num("760000".parse().unwrap()));
        answer(&mut s, "operating_revenue_2025_cny", "1234567.89");
        assert_eq!(s.profile.values[f as usize], Value::Num("1234567.89".parse().unwrap()));
        s.apply(Action::SetUnit { field: f, unit: MoneyUnit::Wan });
        assert_eq!(s.entries[f as usize].text, "123.456789");
    }

    #[test]
    fn skipping_keeps_policies_undecided_and_is_not_asked_again() {
        let mut s = State::new(national(), as_of());
        let (first, _) = s.next_question().unwrap();
        s.apply(Action::Skip(first));
        assert!(s.entries[first as usize].skipped);
        assert_ne!(s.next_question().map(|q| q.0), Some(first));
        assert!(s.skipped_needed().contains(&first));
        let before = s.remaining();
        s.apply(Action::Unskip(first));
        assert_eq!(s.next_question().map(|q| q.0), Some(first));
        assert_eq!(s.remaining(), before + 1);
    }

    #[test]
    fn guided_answers_reach_the_micro_retailer_verdicts() {
        // Answer only what the widget asks, from the hand-checked profile,
        // and stop when nothing is left to ask.
        let values = case_profile(include_str!("../../tests/cases/profiles/micro_retailer_getihu.json"));
        let mut s = State::new(national(), as_of());
        let mut asked = 0;
        while let Some((f, _)) = s.next_question() {
            let name = s.cat.fields[f as usize].name().to_string();
            match values.get(&name).filter(|v| !v.is_null()) {
                Some(v) => {
                    let text = match v {
                        Json::String(t) => t.clone(),
                        Json::Array(items) if items.is_empty() => "none".into(),
                        Json::Array(items) => items.iter().filter_map(Json::as_str).collect::<Vec<_>>().join(";"),
                        other => other.to_string(),
                    };
                    // Money in the widget is typed in 万元 by default: type 元 instead.
                    if s.cat.fields[f as usize].def.unit == Some(Unit::Cny) {
                        s.apply(Action::SetUnit { field: f, unit: MoneyUnit::Yuan });
                    }
                    s.apply(Action::Answer { field: f, text });
                    assert_eq!(s.entries[f as usize].error, None, "{name}");
                }
                None => s.apply(Action::Skip(f)),
            }
            asked += 1;
            assert!(asked < 80, "the questionnaire terminates");
        }
        for p in
            ["vat_small_scale_threshold_exemption", "vat_small_scale_1pct_levy_rate", "six_taxes_two_fees_half_reduction", "ui_job_stabilization_refund_2026"]
        {
            assert_eq!(verdict(&s, p), Verdict::Qualifies, "{p}");
        }
        for p in ["cit_small_low_profit_enterprise", "hnte_recognition_eligibility", "hnte_15pct_cit_rate", "hangzhou_new_eagle_enterprise"] {
            assert_eq!(verdict(&s, p), Verdict::DoesNotQualify, "{p}");
        }
        assert_eq!(verdict(&s, "tax_credit_a_level_incentives"), Verdict::Undecided);
        // Far fewer questions than fields: only what decides something is asked.
        assert!(asked < s.cat.fields.len() / 2, "asked {asked} of {}", s.cat.fields.len());
    }

    #[test]
    fn blank_means_none_fields_are_asked_after_the_decisive_ones() {
        // The HNTE 15 % rate reads the certificate date through `provided`:
        // blank is "no certificate", never missing, so ask_next never lists it.
        let values = case_profile(include_str!("../../tests/cases/profiles/software_sme_hnte.json"));
        let mut s = State::new(national(), as_of());
        let mut without = values.clone();
        without.remove("hnte_certificate_issue_date");
        s.apply(Action::Load { json: Json::Object(without).to_string(), source: Source::File });
        assert_eq!(verdict(&s, "hnte_15pct_cit_rate"), Verdict::DoesNotQualify);
        let cert = slot(&s, "hnte_certificate_issue_date");
        assert!(s.outcome.ask_next.iter().all(|a| a.field != "hnte_certificate_issue_date"));
        assert!(s.optional_questions().iter().any(|&(f, _)| f == cert), "{:?}", s.optional_questions());
        if s.next_question().is_none() {
            assert!(s.guided_field().is_some());
        }
        s.apply(Action::Answer { field: cert, text: values["hnte_certificate_issue_date"].as_str().unwrap().into() });
        assert_eq!(verdict(&s, "hnte_15pct_cit_rate"), Verdict::Qualifies);
        assert!(s.optional_questions().iter().all(|&(f, _)| f != cert));
        // A skipped one is not offered again.
        let mut t = State::new(national(), as_of());
        let mut without = values.clone();
        without.remove("hnte_certificate_issue_date");
        t.apply(Action::Load { json: Json::Object(without).to_string(), source: Source::File });
        t.apply(Action::Skip(cert));
        assert!(t.optional_questions().iter().all(|&(f, _)| f != cert));
    }

    #[test]
    fn an_answer_that_cannot_change_a_failed_criterion_is_not_offered() {
        // 企业自测 (a 个体工商户 owner who skips what she does not know): the CIT policies fail
        // on "企业（公司） and 居民企业" because she is not a company, whatever the resident
        // question says; it was offered last as "不填按“没有”处理…可能改变 7 项政策的结论".
        // The HNTE certificate date (blank = no certificate) cannot help her either: the HNTE
        // 15 % rate also fails on the legal form.
        let mut s = State::new(national(), as_of());
        let profile = serde_json::json!({"entity_type": "individual_business", "vat_taxpayer_type": "small_scale", "enterprise_size_class": "micro"});
        s.apply(Action::Load { json: profile.to_string(), source: Source::File });
        assert_eq!(verdict(&s, "cit_small_low_profit_enterprise"), Verdict::DoesNotQualify);
        assert_eq!(verdict(&s, "hnte_15pct_cit_rate"), Verdict::DoesNotQualify);
        let optional = s.optional_questions();
        for name in ["is_resident_enterprise", "hnte_certificate_issue_date"] {
            assert!(optional.iter().all(|&(f, _)| f != slot(&s, name)), "{name} offered: {optional:?}");
        }
        // A company that left the certificate date blank is still offered it (it can turn the
        // HNTE 15 % rate and the advanced-manufacturing credit around).
        answer(&mut s, "entity_type", "company");
        answer(&mut s, "is_resident_enterprise", "true");
        let cert = slot(&s, "hnte_certificate_issue_date");
        assert!(s.optional_questions().iter().any(|&(f, _)| f == cert), "{:?}", s.optional_questions());
    }

    #[test]
    fn load_export_and_saved_round_trip() {
        let mut s = State::new(national(), as_of());
        answer(&mut s, "entity_type", "company");
        answer(&mut s, "cit_taxable_income_2025_cny", "120");
        let f = slot(&s, "rd_expense_2025_cny");
        s.apply(Action::Skip(f));
        let g = slot(&s, "operating_revenue_2025_cny");
        s.apply(Action::SetUnit { field: g, unit: MoneyUnit::Yuan });
        answer(&mut s, "operating_revenue_2025_cny", "5000000");

        let exported = s.profile_json();
        let v: Json = serde_json::from_str(&exported).unwrap();
        assert_eq!(v["cit_taxable_income_2025_cny"].to_string(), "1200000");

        let mut t = State::new(national(), as_of());
        t.apply(Action::Load { json: s.saved_json(), source: Source::Device });
        assert_eq!(t.profile.values, s.profile.values);
        assert!(t.entries[f as usize].skipped);
        assert_eq!(t.entries[g as usize].unit, MoneyUnit::Yuan);
        assert_eq!(t.entries[g as usize].text, "5,000,000");
        assert!(t.remember);
        assert_eq!(t.notice, Some(Notice::FromDevice));
        assert_eq!(t.outcome.results, s.outcome.results);

        let mut u = State::new(national(), as_of());
        u.apply(Action::Load { json: exported, source: Source::File });
        assert_eq!(u.profile.values, s.profile.values);
        assert_eq!(u.notice, Some(Notice::Imported(3, 0)));
        assert!(!u.remember);
    }

    #[test]
    fn a_file_with_no_usable_answer_keeps_the_answers_given() {
        let mut s = State::new(national(), as_of());
        answer(&mut s, "entity_type", "company");
        answer(&mut s, "cit_taxable_income_2025_cny", "120");
        let (before, rev) = (s.profile.values.clone(), s.rev);
        for json in [r#"{"hello": 1}"#, r#"{"format": "x", "answers": {"entity_type": "company"}}"#, "{}", r#"{"employees_total_2025": "many"}"#] {
            s.apply(Action::Load { json: json.into(), source: Source::File });
            assert!(matches!(s.notice, Some(Notice::ImportFailed(ImportError::NoAnswers(_)))), "{json}: {:?}", s.notice);
            assert_eq!((&s.profile.values, s.rev), (&before, rev), "{json} changed the answers");
        }
        assert_eq!(s.notice, Some(Notice::ImportFailed(ImportError::NoAnswers(1))), "the one value it had was not valid");
        assert_eq!(s.answered(), 2);
    }

    #[test]
    fn load_reports_bad_files_and_ignores_unknown_values() {
        let mut s = State::new(national(), as_of());
        s.apply(Action::Load { json: "{not json".into(), source: Source::File });
        assert_eq!(s.notice, Some(Notice::ImportFailed(ImportError::NotJson { line: 1, column: 2 })));
        s.apply(Action::Load { json: "[1, 2]".into(), source: Source::File });
        assert_eq!(s.notice, Some(Notice::ImportFailed(ImportError::NotAnswers)));
        s.apply(Action::Load { json: r#"{"colour": "red", "employees_total_2025": "many", "entity_type": "company"}"#.into(), source: Source::File });
        assert_eq!(s.notice, Some(Notice::Imported(1, 2)));
        assert_eq!(s.answered(), 1);
        // A share link that does not parse is ignored silently.
        let mut t = State::new(national(), as_of());
        t.apply(Action::Load { json: "%%%".into(), source: Source::Link });
        assert_eq!(t.notice, None);
    }

    /// A share link (or remembered answers, or a file) with a value the
    /// engine refuses: the value is shown in its question with what is
    /// wrong, in the reader's language, not silently dropped; the question
    /// counts as not answered.
    #[test]
    fn a_refused_value_from_a_link_is_shown_in_its_question() {
        let mut s = State::new(national(), as_of());
        let json = r#"{"registration_city": "滨江区长河街道", "employees_total_2025": -5, "entity_type": "company"}"#;
        s.apply(Action::Load { json: json.into(), source: Source::Link });
        assert_eq!(s.answered(), 1);
        let city = &s.entries[slot(&s, "registration_city") as usize];
        assert_eq!(city.text, "滨江区长河街道");
        assert_eq!(city.error, Some(InputError::NoCity));
        let e = city.error.as_ref().unwrap();
        assert!(e.message(crate::Lang::Zh, None).starts_with("读不出城市"), "{}", e.message(crate::Lang::Zh, None));
        assert!(e.message(crate::Lang::En, None).starts_with("No city in this"), "{}", e.message(crate::Lang::En, None));
        let staff = &s.entries[slot(&s, "employees_total_2025") as usize];
        assert_eq!(staff.text, "-5");
        assert!(matches!(staff.error, Some(InputError::BelowMin(_))), "{:?}", staff.error);
        assert!(!s.profile.values[slot(&s, "registration_city") as usize].is_provided());
        assert!(s.profile.issues.is_empty());
        // Typed, the same: the question says what is wrong in the reader's language.
        answer(&mut s, "registration_city", "滨江区");
        assert_eq!(s.entries[slot(&s, "registration_city") as usize].error, Some(InputError::NoCity));
        answer(&mut s, "registration_city", "杭州市滨江区");
        assert_eq!(s.entries[slot(&s, "registration_city") as usize].error, None);
    }

    /// Two pages of one site (national; national + zone) may share the
    /// storage key: the national page writes back the zone answers it
    /// cannot show, and never puts them in a share link.
    #[test]
    fn remembered_answers_to_another_pages_fields_are_kept() {
        let mut zone = State::new(both(), as_of());
        zone.apply(Action::Answer { field: slot(&zone, "registered_in_zone"), text: "true".into() });
        zone.apply(Action::Answer { field: slot(&zone, "entity_type"), text: "company".into() });
        zone.apply(Action::Remember(true));
        let stored = zone.stored_json();
        let mut nat = State::new(national(), as_of());
        nat.apply(Action::Load { json: stored, source: Source::Device });
        assert_eq!(nat.answered(), 1, "the national page shows its own answer");
        nat.apply(Action::Answer { field: slot(&nat, "entity_type"), text: "individual_business".into() });
        assert!(!nat.saved_json().contains("registered_in_zone"), "a share link carries this page's answers only");
        let back: Json = serde_json::from_str(&nat.stored_json()).unwrap();
        assert_eq!(back["profile"]["registered_in_zone"], Json::Bool(true), "{back}");
        assert_eq!(back["profile"]["entity_type"], "individual_business");
        // Back on the zone page: both answers, the national one as changed there.
        let mut again = State::new(both(), as_of());
        again.apply(Action::Load { json: nat.stored_json(), source: Source::Device });
        assert_eq!(again.profile.values[slot(&again, "registered_in_zone") as usize], Value::Bool(true));
        assert_eq!(again.profile.values[slot(&again, "entity_type") as usize], Value::Str("individual_business".into()));
        // Forgetting deletes them too.
        nat.apply(Action::Forget);
        assert!(!nat.stored_json().contains("registered_in_zone"));
    }

    #[test]
    fn remember_forget_and_wipe() {
        let mut s = State::new(national(), as_of());
        s.apply(Action::Remember(true));
        assert!(s.remember);
        assert_eq!(s.wipe, 0);
        s.apply(Action::Remember(false));
        assert_eq!(s.wipe, 1, "turning it off deletes what was stored");
        s.apply(Action::Remember(false));
        assert_eq!(s.wipe, 1);
        s.apply(Action::Remember(true));
        s.apply(Action::Forget);
        assert!(!s.remember);
        assert_eq!(s.wipe, 2);
        assert_eq!(s.notice, Some(Notice::Forgot));
    }

    #[test]
    fn jump_opens_the_section_and_expanding_explains() {
        let mut s = State::new(both(), as_of());
        let f = slot(&s, "talent_degree");
        s.apply(Action::Jump(f));
        let i = s.section_of(f).unwrap();
        assert!(s.open.contains(&i));
        assert_eq!(s.sections[i].id, "talent");
        assert!(matches!(s.jump, Some((x, _)) if x == f));
        s.apply(Action::TogglePolicy(2));
        assert!(s.outcome.explanation(2).is_some());
        s.apply(Action::TogglePolicy(2));
        assert!(s.outcome.explanations.is_empty());
        s.apply(Action::Report(true));
        assert_eq!(s.outcome.explanations.len(), s.cat.policies.len());
    }

    #[test]
    fn sections_cover_every_field_once() {
        let cat = both();
        let secs = sections_of(&cat);
        let mut all: Vec<u32> = secs.iter().flat_map(|s| s.fields.clone()).collect();
        all.sort_unstable();
        assert_eq!(all, (0..cat.fields.len() as u32).collect::<Vec<_>>());
        assert_eq!(secs[0].id, "basic");
        assert!(secs.iter().any(|s| s.id == "zone"));
    }

    #[test]
    fn reset_clears_answers_but_keeps_unit_choices() {
        let mut s = State::new(national(), as_of());
        let g = slot(&s, "operating_revenue_2025_cny");
        s.apply(Action::SetUnit { field: g, unit: MoneyUnit::Yuan });
        answer(&mut s, "operating_revenue_2025_cny", "5000000");
        s.apply(Action::Reset);
        assert_eq!(s.answered(), 0);
        assert_eq!(s.entries[g as usize].unit, MoneyUnit::Yuan);
        assert_eq!(s.entries[g as usize].text, "");
    }
}
