//! A zone catalogue written from the README alone by someone new to the
//! format (a fictional Suzhou Industrial Park, tests/fixtures/authoring/):
//! it loads with the national catalogue with no warning, and its three
//! fictional enterprises get the verdicts and amounts worked out by hand
//! from the policy texts.

use policy_match::matching::{profiles_from_json, Matcher, Verdict};

use crate::util::{catalogues, NATIONAL};

/// (policy, verdict, failed criteria, amount in yuan).
type Expected = (&'static str, Verdict, &'static [&'static str], Option<i64>);

#[test]
fn a_zone_catalogue_written_from_the_readme_gives_the_verdicts_worked_out_by_hand() {
    let cat = catalogues(&[NATIONAL, "tests/fixtures/authoring/sip-zone.json"]);
    assert!(cat.warnings(Some("2026-07-01".parse().unwrap())).is_empty(), "{:#?}", cat.warnings(None));
    let text = std::fs::read_to_string(crate::util::root().join("tests/fixtures/authoring/profiles.json")).unwrap();
    let profiles = profiles_from_json(&cat, &text).unwrap();
    let mut m = Matcher::new(&cat, "2026-07-01".parse().unwrap());
    use Verdict::{DoesNotQualify as No, Qualifies as Yes, Undecided as Maybe};
    // For each enterprise, in order.
    let want: [&[Expected]; 3] = [
        &[
            ("sip_hnte_first_recognition_reward", Yes, &[], Some(300_000)),
            ("sip_rd_expense_subsidy", Yes, &[], Some(130_000)), // 10 % of a 1.3 M increase
            ("sip_rd_talent_hiring_subsidy", Yes, &[], Some(80_000)),
            ("sip_startup_rent_subsidy", No, &["C2", "C3"], None),
            ("sip_srdi_reward", Yes, &[], Some(200_000)),
            ("sip_innovation_points_reward", Yes, &[], Some(500_000)), // 85 points
            ("sip_gazelle_reward", Yes, &[], Some(200_000)),
        ],
        &[
            ("sip_hnte_first_recognition_reward", No, &["C3"], None),
            ("sip_rd_expense_subsidy", No, &["C3"], None), // 0.8 M of R&D, needs 2 M
            ("sip_rd_talent_hiring_subsidy", Yes, &[], Some(40_000)),
            ("sip_startup_rent_subsidy", Yes, &[], Some(180_000)),
            ("sip_srdi_reward", No, &["C2"], None),
            ("sip_innovation_points_reward", Yes, &[], None), // at least 60 points; the amount needs the class-I IP count
            ("sip_gazelle_reward", No, &["C3"], None),
        ],
        &[
            ("sip_hnte_first_recognition_reward", No, &["C2", "C3"], None),
            ("sip_rd_expense_subsidy", No, &["C5"], None),
            ("sip_rd_talent_hiring_subsidy", Yes, &[], Some(240_000)),   // 12 hires
            ("sip_startup_rent_subsidy", No, &["C2", "C3", "C4"], None), // incl. the penalty of 2025-09-01
            ("sip_srdi_reward", Maybe, &[], Some(200_000)),              // if the national SRDI recognition comes
            ("sip_innovation_points_reward", Yes, &[], Some(100_000)),   // 65 points
            ("sip_gazelle_reward", No, &["C2", "C4", "C5"], None),
        ],
    ];
    assert_eq!(profiles.len(), want.len());
    for (p, want) in profiles.iter().zip(want) {
        let e = m.evaluate(p);
        for &(id, verdict, failed, amount) in want {
            let pi = cat.policy_index(id).unwrap() as usize;
            let r = &e.results[pi];
            let got_failed: Vec<&str> = r.failed.iter().map(|&c| cat.policies[pi].criteria[c as usize].id.as_str()).collect();
            let got_amount = r.benefit.as_ref().and_then(|b| b.amount);
            assert_eq!((r.verdict, got_failed.as_slice(), got_amount), (verdict, failed, amount.map(Into::into)), "{:?}: {id}", p.id);
        }
    }
}
