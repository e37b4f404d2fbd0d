//! Engine benchmarks for the browser bench page (`www/bench.html`), built
//! only with the `bench` feature (`scripts/build-bench.sh` → `www/pkg-bench`),
//! so the embed bundle does not carry them.
//!
//! The workloads are those of `benches/engine.rs` and
//! `examples/profile_engine.rs` (seeded synthetic catalogues from
//! [`crate::synth`]), so native and wasm medians can be compared. JavaScript
//! does the timing; each method runs one round and returns a checksum so
//! that nothing is optimised away.

use wasm_bindgen::prelude::*;

use crate::catalogue::Catalogue;
use crate::matching::{Matcher, Profile};
use crate::rules::{Date, Tri};
use crate::synth;

/// The seed shared with the native benchmarks.
const SEED: u64 = 2026;

fn as_of() -> Result<Date, JsValue> {
    Date::from_ymd(2026, 7, 1).ok_or_else(|| JsValue::from(js_sys::Error::new("bad date")))
}

fn compile(text: &str) -> Result<&'static Catalogue, JsValue> {
    // A bench lives as long as the page: leaking the catalogue lets the
    // matcher borrow it without a self-referential struct.
    let cat = Catalogue::from_json("synthetic.json", text).map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
    Ok(Box::leak(Box::new(cat)))
}

/// One benchmark workload: a synthetic catalogue of `policies` policies
/// and `profiles` synthetic profiles.
#[wasm_bindgen]
pub struct Bench {
    text: String,
    profiles: Vec<Profile>,
    matcher: Matcher<'static>,
    next: usize,
    policies: usize,
    all: Vec<Tri>,
}

#[wasm_bindgen]
impl Bench {
    /// Generate and compile the workload.
    ///
    /// # Errors
    /// If the synthetic catalogue does not compile (a bug).
    #[wasm_bindgen(constructor)]
    pub fn new(policies: usize, profiles: usize) -> Result<Bench, JsValue> {
        let text = synth::catalogue(policies, SEED);
        let cat = compile(&text)?;
        let profiles = synth::profiles(cat, profiles.max(1), SEED);
        Ok(Bench { text, profiles, matcher: Matcher::new(cat, as_of()?), next: 0, policies: cat.policies.len(), all: Vec::new() })
    }

    /// Parse and compile the catalogue text once; returns its policy count.
    ///
    /// # Errors
    /// If the synthetic catalogue does not compile (a bug).
    #[wasm_bindgen(js_name = parseCompile)]
    pub fn parse_compile(&self) -> Result<usize, JsValue> {
        Catalogue::from_json("synthetic.json", &self.text).map(|c| c.policies.len()).map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))
    }

    /// The self-check: one full evaluation of the next profile (results with
    /// failed/undecided criteria, missing fields, near misses, benefits) plus
    /// "what to ask next"; returns the number of questions.
    #[wasm_bindgen(js_name = selfCheck)]
    pub fn self_check(&mut self) -> usize {
        self.next = (self.next + 1) % self.profiles.len();
        let Some(p) = self.profiles.get(self.next) else { return 0 };
        let e = self.matcher.evaluate(p);
        e.ask_next().len() + e.results.len()
    }

    /// The self-check with an explanation tree for every policy; returns the
    /// number of criteria explained.
    #[wasm_bindgen(js_name = explainAll)]
    pub fn explain_all(&mut self) -> usize {
        self.next = (self.next + 1) % self.profiles.len();
        let Some(p) = self.profiles.get(self.next) else { return 0 };
        let e = self.matcher.evaluate(p);
        (0..e.results.len() as u32).filter_map(|i| e.explain(i)).map(|x| x.criteria.len()).sum()
    }

    /// Batch: verdicts of every profile against every policy
    /// ([`Matcher::verdicts_many`]); returns the number of (profile, policy)
    /// pairs that qualify.
    pub fn batch(&mut self) -> usize {
        let mut all = std::mem::take(&mut self.all);
        self.matcher.verdicts_many(&self.profiles, &mut all);
        let q = all.iter().filter(|t| **t == Tri::True).count();
        self.all = all;
        q
    }

    /// (profiles × policies) evaluated by [`Bench::batch`].
    pub fn evaluations(&self) -> usize {
        self.profiles.len() * self.policies
    }
}
