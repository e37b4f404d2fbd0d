//! The data-driven case files, run in headless Chromium by the same runner
//! as natively (`policy_match::cases`). The list below must name every file
//! under tests/cases/: a native test (tests/integration/cases.rs) checks it.
#![cfg(target_arch = "wasm32")]

use policy_match::cases::run_file;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

macro_rules! case {
    ($path:literal) => {
        ($path, include_str!($path))
    };
}

/// Every case file, by its path relative to tests/.
const CASES: &[(&str, &str)] = &[
    case!("cases/national/advanced_manufacturing_vat_credit_5pct.json"),
    case!("cases/national/cit_small_low_profit_enterprise.json"),
    case!("cases/national/graduate_social_insurance_subsidy_small_micro.json"),
    case!("cases/national/hangzhou_new_eagle_enterprise.json"),
    case!("cases/national/hnte_15pct_cit_rate.json"),
    case!("cases/national/hnte_recognition_eligibility.json"),
    case!("cases/national/one_time_job_expansion_subsidy_2026.json"),
    case!("cases/national/rd_expense_super_deduction_100pct.json"),
    case!("cases/national/six_taxes_two_fees_half_reduction.json"),
    case!("cases/national/srdi_little_giant_recognition_2026.json"),
    case!("cases/national/srdi_sme_recognition_2026.json"),
    case!("cases/national/tax_credit_a_level_incentives.json"),
    case!("cases/national/tech_sme_evaluation.json"),
    case!("cases/national/ui_job_stabilization_refund_2026.json"),
    case!("cases/national/vat_small_scale_1pct_levy_rate.json"),
    case!("cases/national/vat_small_scale_threshold_exemption.json"),
    case!("cases/profiles/large_enterprise.json"),
    case!("cases/profiles/micro_retailer_getihu.json"),
    case!("cases/profiles/midsize_manufacturer.json"),
    case!("cases/profiles/software_sme_hnte.json"),
    case!("cases/profiles/startup_sparse.json"),
    case!("cases/rules/bounds.json"),
    case!("cases/rules/errors.json"),
    case!("cases/rules/operators.json"),
    case!("cases/zone/composition_and_overrides.json"),
    case!("cases/zone/zone_credit_fast_track.json"),
    case!("cases/zone/zone_gazelle_enterprise_reward.json"),
    case!("cases/zone/zone_hnte_recognition_reward.json"),
    case!("cases/zone/zone_incubator_rent_subsidy.json"),
    case!("cases/zone/zone_rd_investment_subsidy.json"),
    case!("cases/zone/zone_talent_housing_subsidy.json"),
    case!("cases/zone/zone_talent_startup_grant.json"),
    case!("cases/zone/zone_tech_loan_interest_subsidy.json"),
    case!("cases/zone/zone_youth_hiring_topup.json"),
];

/// Catalogues the case files refer to.
fn load(path: &str) -> Option<String> {
    match path {
        "www/catalogues/cn-national-2026.json" => Some(include_str!("../www/catalogues/cn-national-2026.json").to_string()),
        "www/catalogues/example-zone.json" => Some(include_str!("../www/catalogues/example-zone.json").to_string()),
        _ => None,
    }
}

#[wasm_bindgen_test]
fn every_case_file_passes_in_the_browser() {
    let mut failures = Vec::new();
    let mut passed = 0;
    for (path, text) in CASES {
        match run_file(text, &load) {
            Ok(o) => {
                passed += o.passed;
                failures.extend(o.failures.into_iter().map(|m| format!("{path}: {m}")));
            }
            Err(e) => failures.push(format!("{path}: {e}")),
        }
    }
    assert!(passed > 700, "only {passed} cases ran");
    assert!(failures.is_empty(), "{} case(s) failed in wasm:\n{}", failures.len(), failures.join("\n"));
}
