//! Property tests over synthetic catalogues.

use policy_match::catalogue::Catalogue;
use policy_match::matching::{Matcher, Raw};
use policy_match::rules::{Date, Tri};
use policy_match::synth;
use proptest::prelude::*;

fn catalogue() -> &'static Catalogue {
    use std::sync::OnceLock;
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| Catalogue::from_json("synthetic.json", &synth::catalogue(60, 11)).expect("synthetic catalogue compiles"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Providing a missing value never turns a decided verdict undecided or
    /// flips it: three-valued logic is monotone in information.
    #[test]
    fn adding_a_value_never_undecides_a_verdict(seed in any::<u64>(), field_pick in any::<u64>(), value_seed in any::<u64>()) {
        let cat = catalogue();
        let mut profile = synth::profiles(cat, 1, seed).remove(0);
        // Blank out a few more fields so there is something to fill in.
        let mut r = synth::Rng::new(seed);
        for _ in 0..8 {
            let f = r.below(cat.fields.len() as u64) as usize;
            profile.values[f] = policy_match::rules::Value::Missing;
        }
        let missing: Vec<usize> = (0..cat.fields.len()).filter(|&f| !profile.values[f].is_provided()).collect();
        prop_assume!(!missing.is_empty());
        let f = missing[(field_pick % missing.len() as u64) as usize];
        let as_of: Date = "2026-07-01".parse().unwrap();
        let mut m = Matcher::new(cat, as_of);
        let before: Vec<Tri> = m.verdicts(&profile).to_vec();
        let v = synth::random_value(&mut synth::Rng::new(value_seed), cat.fields[f].def.ty);
        let name = cat.fields[f].name().to_string();
        profile.set(cat, &name, Raw::Json(&v), None);
        let after: Vec<Tri> = m.verdicts(&profile).to_vec();
        for (i, (b, a)) in before.iter().zip(&after).enumerate() {
            if *b != Tri::Unknown {
                prop_assert_eq!(b, a, "policy {} changed after providing {} = {}", cat.policies[i].id, name, v);
            }
        }
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
