//! Property tests over synthetic and real catalogues.

use policy_match::catalogue::Catalogue;
use policy_match::matching::{Matcher, Raw};
use policy_match::rules::{Date, Node, Tri};
use policy_match::synth;
use proptest::prelude::*;

use crate::util::{catalogues, read, NATIONAL, ZONE};

fn catalogue() -> &'static Catalogue {
    use std::sync::OnceLock;
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| Catalogue::from_json("synthetic.json", &synth::catalogue(60, 11)).expect("synthetic catalogue compiles"))
}

fn real_catalogues() -> &'static Catalogue {
    use std::sync::OnceLock;
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| catalogues(&[NATIONAL, ZONE]))
}

/// A random value for field `f` that real criteria care about: numbers at
/// several scales (percentages, counts, money), enum values from the
/// field's own options.
fn value_for(cat: &Catalogue, f: usize, r: &mut synth::Rng) -> serde_json::Value {
    let def = &cat.fields[f].def;
    match def.ty {
        policy_match::catalogue::FieldType::Number | policy_match::catalogue::FieldType::Integer => {
            let scale = [10, 100, 1_000, 1_000_000, 100_000_000][r.below(5) as usize];
            serde_json::json!(r.below(scale))
        }
        policy_match::catalogue::FieldType::Enum if !def.options.is_empty() => {
            serde_json::json!(def.options[r.below(def.options.len() as u64) as usize].value)
        }
        ty => synth::random_value(r, ty),
    }
}

/// Blank a few fields of a random profile, provide one of the missing ones
/// at random, and check that no decided verdict changed.
fn monotone(cat: &Catalogue, blanks: usize, seed: u64, field_pick: u64, value_seed: u64) -> Result<(), TestCaseError> {
    let mut profile = synth::profiles(cat, 1, seed).remove(0);
    // Blank out a few more fields so there is something to fill in.
    let mut r = synth::Rng::new(seed);
    for _ in 0..blanks {
        let f = r.below(cat.fields.len() as u64) as usize;
        profile.values[f] = policy_match::rules::Value::Missing;
    }
    // `provided` is the one deliberately non-monotone test ("a blank
    // certificate date means no certificate"): fields it reads are left out.
    let read_by_provided: Vec<u32> = cat.program.nodes.iter().filter_map(|n| if let Node::Provided(f) = n { Some(*f) } else { None }).collect();
    let missing: Vec<usize> = (0..cat.fields.len()).filter(|&f| !profile.values[f].is_provided() && !read_by_provided.contains(&(f as u32))).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let f = missing[(field_pick % missing.len() as u64) as usize];
    let as_of: Date = "2026-07-01".parse().unwrap();
    let mut m = Matcher::new(cat, as_of);
    let before: Vec<Tri> = m.verdicts(&profile).to_vec();
    let v = value_for(cat, f, &mut synth::Rng::new(value_seed));
    let name = cat.fields[f].name().to_string();
    profile.set(cat, &name, Raw::Json(&v), None);
    let after: Vec<Tri> = m.verdicts(&profile).to_vec();
    for (i, (b, a)) in before.iter().zip(&after).enumerate() {
        if *b != Tri::Unknown {
            prop_assert_eq!(b, a, "policy {} changed after providing {} = {}", cat.policies[i].id, name, v);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Providing a missing value never turns a decided verdict undecided or
    /// flips it: three-valued logic is monotone in information.
    #[test]
    fn adding_a_value_never_undecides_a_verdict(seed in any::<u64>(), field_pick in any::<u64>(), value_seed in any::<u64>()) {
        monotone(catalogue(), 8, seed, field_pick, value_seed)?;
    }

    /// The same on the real catalogues (national + example zone), whose band
    /// tables and scores give bounds to numbers not yet known: a verdict
    /// decided from bounds is never reversed by the answer.
    #[test]
    fn adding_a_value_never_reverses_a_verdict_on_the_real_catalogues(seed in any::<u64>(), field_pick in any::<u64>(), value_seed in any::<u64>()) {
        monotone(real_catalogues(), 40, seed, field_pick, value_seed)?;
    }

    /// Dates round-trip through their text form and day arithmetic.
    #[test]
    fn dates_round_trip(days in -25_567i64..=84_005, years in -50i32..50) {
        // -25,567 is 1900-01-01 and 84,005 is 2199-12-31: the supported range.
        let d = Date::EPOCH.add_days(days);
        let back: Date = d.to_string().parse().unwrap();
        prop_assert_eq!(d, back);
        prop_assert_eq!(Date::days_between(Date::EPOCH, d), days);
        // Anniversary arithmetic agrees with years_between.
        let shifted = d.add_years(years);
        let (y, _, _) = shifted.ymd();
        if (1900..=2199).contains(&y) && (1900..=2199).contains(&(d.ymd().0 + years)) {
            prop_assert_eq!(Date::years_between(d, shifted), i64::from(years));
        }
    }

    /// Any text given as a catalogue gives errors, never a panic.
    #[test]
    fn arbitrary_text_never_panics(s in ".{0,200}") {
        let _ = Catalogue::from_json("fuzz.json", &s);
    }

    /// Mutated real catalogues give located errors or compile, never panic.
    #[test]
    fn mutated_catalogues_never_panic(cut in 0usize..4000, junk in "[\\[\\]{}\",:0-9a-z]{0,5}") {
        let text = synth::catalogue(3, 5);
        let cut = cut.min(text.len());
        let mutated = format!("{}{}{}", &text[..cut], junk, &text[cut..]);
        if let Err(errs) = Catalogue::from_json("m.json", &mutated) {
            for e in errs.0 {
                prop_assert!(e.location.line >= 1 && e.location.column >= 1);
            }
        }
    }
}

/// Change the value reached by following `picks` (each one chooses a child
/// of an object or array) in one of four ways: misspell its key, delete its
/// entry, give it a value of another type, or empty it.
fn mutate(v: &mut serde_json::Value, picks: &[usize], how: u8) {
    use serde_json::Value as J;
    let Some((&pick, rest)) = picks.split_first() else { return };
    match v {
        J::Object(m) if !m.is_empty() => {
            let key = m.keys().nth(pick % m.len()).cloned().unwrap_or_default();
            if rest.is_empty() || !matches!(m.get(&key), Some(J::Object(_) | J::Array(_))) {
                match how % 4 {
                    0 => {
                        if let Some(x) = m.remove(&key) {
                            m.insert(format!("{key}x"), x);
                        }
                    }
                    1 => {
                        m.remove(&key);
                    }
                    2 => {
                        let wrong = [J::from(7), J::from("文本"), J::Array(vec![J::Null]), serde_json::json!({"k": 1}), J::Null];
                        m.insert(key, wrong[pick % wrong.len()].clone());
                    }
                    _ => {
                        m.insert(key, J::String(String::new()));
                    }
                }
            } else if let Some(child) = m.get_mut(&key) {
                mutate(child, rest, how);
            }
        }
        J::Array(a) if !a.is_empty() => {
            let n = a.len();
            mutate(&mut a[pick % n], rest, how);
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Valid JSON that is not quite a catalogue (keys misspelt, entries
    /// deleted, values of the wrong type, in several places at once): every
    /// error is located inside the text, never a panic.
    #[test]
    fn structural_mistakes_anywhere_are_located_never_panic(
        places in proptest::collection::vec((proptest::collection::vec(any::<usize>(), 1..7), any::<u8>()), 1..5),
        pretty in any::<bool>(),
    ) {
        let mut v: serde_json::Value = serde_json::from_str(&read(NATIONAL)).expect("json");
        for (picks, how) in &places {
            mutate(&mut v, picks, *how);
        }
        let mutated = if pretty { serde_json::to_string_pretty(&v) } else { serde_json::to_string(&v) }.expect("serialises");
        let lines: Vec<&str> = mutated.split('\n').collect();
        if let Err(errs) = Catalogue::from_json("m.json", &mutated) {
            prop_assert!(!errs.0.is_empty());
            for e in &errs.0 {
                let l = e.location.line;
                prop_assert!(l >= 1 && l <= lines.len(), "{}", e);
                prop_assert!(e.location.column >= 1 && e.location.column <= lines[l - 1].chars().count() + 1, "{}", e);
            }
        }
    }
}

/// A random test of the choice field `kind` (options a, b, c) or the yes/no
/// field `listed`: `==`, `!=`, `in`, `not_in`, from `pick` and `mask`.
fn choice_test(pick: u8, mask: u8) -> serde_json::Value {
    use serde_json::json;
    let options = ["a", "b", "c"];
    let set: Vec<&str> = (0..3).filter(|i| mask & (1 << i) != 0).map(|i| options[i]).collect();
    let set = if set.is_empty() { vec!["a"] } else { set };
    let one = options[(mask % 3) as usize];
    match pick % 6 {
        0 => json!({"==": [{"var": "kind"}, one]}),
        1 => json!({"!=": [one, {"var": "kind"}]}),
        2 => json!({"in": [{"var": "kind"}, set]}),
        3 => json!({"not_in": [{"var": "kind"}, set]}),
        4 => json!({"==": [{"var": "listed"}, mask % 2 == 0]}),
        _ => json!({"!=": [{"var": "listed"}, mask % 2 == 0]}),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The never-true warning on tests of choice and yes/no fields is never
    /// a false one: when a policy gets it, no answer to `kind` and `listed`
    /// qualifies (every one of the 3 × 2 is evaluated). For a policy of two
    /// plain `==`/`in` criteria it is given whenever none qualifies.
    #[test]
    fn never_true_choices_are_never_satisfiable(
        tests in proptest::collection::vec((any::<u8>(), any::<u8>(), any::<bool>()), 2..6),
    ) {
        use serde_json::json;
        // Tests with `nest` go together into one `all` criterion; the others are criteria of their own.
        let mut criteria: Vec<serde_json::Value> = tests.iter().filter(|t| !t.2).map(|&(p, m, _)| choice_test(p, m)).collect();
        let nested: Vec<serde_json::Value> = tests.iter().filter(|t| t.2).map(|&(p, m, _)| choice_test(p, m)).collect();
        if !nested.is_empty() {
            criteria.push(json!({"all": nested}));
        }
        let criteria: Vec<serde_json::Value> = criteria
            .into_iter()
            .enumerate()
            .map(|(i, rule)| json!({"id": format!("C{}", i + 1), "description": {"zh": "c", "en": "c"}, "rule": rule}))
            .collect();
        let option = |v: &str| json!({"value": v, "label": {"zh": v, "en": v}});
        let text = json!({
            "format": "policy-match/catalogue@1", "id": "t", "version": "1", "updated": "2026-01-01", "title": {"zh": "t", "en": "t"},
            "fields": [
                {"name": "kind", "type": "enum", "label": {"zh": "k", "en": "k"}, "options": [option("a"), option("b"), option("c")]},
                {"name": "listed", "type": "boolean", "label": {"zh": "l", "en": "l"}}
            ],
            "policies": [{"id": "p", "title": {"zh": "p", "en": "p"}, "issuer": {"zh": "i", "en": "i"}, "category": "subsidy", "criteria": criteria}]
        })
        .to_string();
        let cat = Catalogue::from_json("t.json", &text).expect("compiles");
        let warned = cat.warnings(None).iter().any(|w| w.kind == "never-true");
        let mut m = Matcher::new(&cat, "2026-07-01".parse().unwrap());
        let mut satisfiable = false;
        for kind in ["a", "b", "c"] {
            for listed in [true, false] {
                let mut p = policy_match::matching::Profile::empty(&cat);
                p.set(&cat, "kind", Raw::Json(&json!(kind)), None);
                p.set(&cat, "listed", Raw::Json(&json!(listed)), None);
                satisfiable |= m.verdicts(&p)[0] == Tri::True;
            }
        }
        prop_assert!(!(warned && satisfiable), "warned, but satisfiable: {}", text);
        // Two criteria, no nesting, each `==` or `in` (a test that only
        // excludes can exclude every option by itself, which is not looked
        // for): the pair is the whole policy, so the warning is given
        // exactly when nothing qualifies.
        if tests.len() == 2 && tests.iter().all(|t| !t.2 && t.0 % 6 % 2 == 0) {
            prop_assert_eq!(warned, !satisfiable, "{}", text);
        }
    }
}
