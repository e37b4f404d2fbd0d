//! Verdicts, near misses, what to ask next, explanations, benefits, stacking.

use policy_match::catalogue::Catalogue;
use policy_match::matching::{Matcher, Profile, Verdict};
use policy_match::rules::Tri;
use serde_json::json;

use crate::util::{catalogues, compile, doc, policy, NATIONAL, ZONE};

fn cat() -> Catalogue {
    compile(&cat_doc().to_string())
}

/// The catalogue of [`cat`] as JSON.
fn cat_doc() -> serde_json::Value {
    let mut d: serde_json::Value = serde_json::from_str(&doc(
        json!([
            {"name": "employees", "type": "integer", "unit": "people", "label": {"zh": "职工总数", "en": "Employees"}},
            {"name": "tech_staff", "type": "integer", "unit": "people", "label": {"zh": "科技人员", "en": "Tech staff"}},
            {"name": "rd", "type": "number", "unit": "cny", "label": {"zh": "研发费用", "en": "R&D expense"}},
            {"name": "revenue", "type": "number", "unit": "cny", "label": {"zh": "营业收入", "en": "Revenue"}},
            {"name": "income", "type": "number", "unit": "cny", "label": {"zh": "应纳税所得额", "en": "Taxable income"}},
            {"name": "small_scale", "type": "boolean", "label": {"zh": "小规模纳税人", "en": "Small-scale taxpayer"}}
        ]),
        json!([]),
    ))
    .unwrap();
    d["derived"] = json!([
        {"name": "rd_ratio", "label": {"zh": "研发费用占比", "en": "R&D ratio"}, "unit": "percent", "expr": {"*": [{"/": [{"var": "rd"}, {"var": "revenue"}]}, 100]}},
        {"name": "tech_ratio", "label": {"zh": "科技人员占比", "en": "Tech-staff ratio"}, "unit": "percent", "expr": {"*": [{"/": [{"var": "tech_staff"}, {"var": "employees"}]}, 100]}}
    ]);
    let mut small = policy("small_profit", json!({"<=": [{"var": "income"}, 3000000]}));
    small["benefit"] = json!({"text": {"zh": "减按5%", "en": "5%"}, "amount": {"*": [{"max": [{"var": "income"}, 0]}, 0.2]}});
    small["stacking"] = json!([{"policy": "hnte_rate", "rule": "take_higher"}]);
    let mut hnte = policy("hnte_rate", json!({">=": [{"var": "rd_ratio"}, 5]}));
    hnte["benefit"] = json!({"text": {"zh": "15%", "en": "15%"}, "amount": {"*": [{"var": "income"}, 0.1]}});
    let mut tech = policy("tech", json!({"all": [{">=": [{"var": "tech_ratio"}, 10]}, {">=": [{"var": "employees"}, 5]}]}));
    tech["criteria"].as_array_mut().unwrap().push(json!({"id": "C2", "description": {"zh": "研发", "en": "R&D"}, "rule": {">": [{"var": "rd"}, 0]}}));
    let six = policy("six_taxes", json!({"any": [{"var": "small_scale"}, {"policy": "small_profit"}]}));
    d["policies"] = json!([small, hnte, tech, six]);
    d
}

fn eval(c: &Catalogue, p: serde_json::Value) -> Vec<(String, Verdict)> {
    let profile = Profile::from_json(c, &p).unwrap();
    let r = c.evaluate(&profile, "2026-07-01".parse().unwrap());
    r.results.into_iter().map(|x| (x.policy, x.verdict)).collect()
}

#[test]
fn exact_at_the_threshold() {
    let c = cat();
    let v = eval(&c, json!({"employees": 300, "tech_staff": 30, "rd": 50, "revenue": 1000, "income": 3000000}));
    assert_eq!(v[0].1, Verdict::Qualifies, "income exactly 300万");
    assert_eq!(v[1].1, Verdict::Qualifies, "R&D exactly 5%");
    assert_eq!(v[2].1, Verdict::Qualifies, "tech staff exactly 10%");
    let v = eval(&c, json!({"employees": 300, "tech_staff": 29, "rd": 49.99, "revenue": 1000, "income": 3000000.01}));
    assert!(v[..3].iter().all(|x| x.1 == Verdict::DoesNotQualify), "{v:?}");
}

#[test]
fn cross_policy_reference_follows_the_other_verdict() {
    let c = cat();
    assert_eq!(eval(&c, json!({"income": 100}))[3].1, Verdict::Qualifies);
    assert_eq!(eval(&c, json!({"income": 5000000}))[3].1, Verdict::Undecided);
    assert_eq!(eval(&c, json!({"income": 5000000, "small_scale": false}))[3].1, Verdict::DoesNotQualify);
    assert_eq!(eval(&c, json!({"small_scale": true}))[3].1, Verdict::Qualifies);
}

#[test]
fn near_miss_gap_in_the_users_terms() {
    let c = cat();
    let p = Profile::from_json(&c, &json!({"rd": 42, "revenue": 1000})).unwrap();
    let r = c.evaluate(&p, "2026-07-01".parse().unwrap());
    let hnte = &r.results[1];
    assert_eq!(hnte.verdict, Verdict::DoesNotQualify);
    assert!(hnte.within_reach);
    let n = &hnte.near_misses[0];
    assert_eq!(n.gap.normalize().to_string(), "0.8");
    assert_eq!(n.subject.as_deref(), Some("rd_ratio"));
    assert_eq!(n.message().en, "R&D ratio 4.2%, needs ≥ 5%: 0.8 points short");
    assert_eq!(n.message().zh, "研发费用占比 4.2%，需 ≥ 5%：还差0.8个百分点");
    // A ratio with many decimals reads to two (the gap is exact in `gap`);
    // more only where two would hide the gap (4.9999% is not "5%, 0 short").
    let msg = |rd: &str| {
        let p = Profile::from_json(&c, &json!({"rd": serde_json::from_str::<serde_json::Value>(rd).unwrap(), "revenue": 3000})).unwrap();
        c.evaluate(&p, "2026-07-01".parse().unwrap()).results[1].near_misses[0].message()
    };
    assert_eq!(msg("146.05").en, "R&D ratio 4.87%, needs ≥ 5%: 0.13 points short", "146.05 / 3000 = 4.868333…%");
    assert_eq!(msg("146.05").zh, "研发费用占比 4.87%，需 ≥ 5%：还差0.13个百分点");
    assert_eq!(msg("149.9997").en, "R&D ratio 4.99999%, needs ≥ 5%: 0.00001 points short");
    // 3.9% is more than 20 % short of 5%: not within reach.
    let p = Profile::from_json(&c, &json!({"rd": 39, "revenue": 1000})).unwrap();
    let r = c.evaluate(&p, "2026-07-01".parse().unwrap());
    assert!(!r.results[1].within_reach && r.results[1].near_misses.is_empty());
}

/// A strict limit met exactly ("> 70" with 70) is a near miss with no gap:
/// it reads "exactly at the limit", not "0 short".
#[test]
fn a_strict_limit_met_exactly_reads_as_at_the_limit() {
    let c = compile(&doc(
        json!([{"name": "score", "type": "number", "label": {"zh": "评价得分", "en": "Score"}}, {"name": "sales", "type": "number", "label": {"zh": "销售额", "en": "Sales"}}]),
        json!([policy("above", json!({">": [{"var": "score"}, 70]})), policy("below", json!({"<": [{"var": "sales"}, 100000]}))]),
    ));
    let p = Profile::from_json(&c, &json!({"score": 70, "sales": 100000})).unwrap();
    let r = c.evaluate(&p, "2026-07-01".parse().unwrap());
    let msg = |i: usize| r.results[i].near_misses.first().map(|n| (n.gap.is_zero(), n.message().en.clone(), n.message().zh.clone())).unwrap();
    assert_eq!(msg(0), (true, "Score 70, needs > 70: exactly at the limit, must be above it".into(), "评价得分 70，需 > 70：正好等于门槛，需高于该值".into()));
    assert_eq!(
        msg(1),
        (
            true,
            "Sales 100,000, needs < 100,000: exactly at the limit, must be below it".into(),
            "销售额 100,000，需 < 100,000：正好等于门槛，需低于该值".into()
        )
    );
}

/// Near misses name what was compared even when it is an expression: a sum
/// of fields, days between dates; otherwise the criterion's description.
/// A tiny gap is shown with enough decimals not to read "0 short".
#[test]
fn near_miss_names_expressions_and_shows_tiny_gaps() {
    let fields = json!([
        {"name": "rd24", "type": "number", "unit": "cny", "label": {"zh": "2024年研发费用", "en": "2024 R&D"}},
        {"name": "rd25", "type": "number", "unit": "cny", "label": {"zh": "2025年研发费用", "en": "2025 R&D"}},
        {"name": "staff", "type": "integer", "unit": "people", "label": {"zh": "职工", "en": "Staff"}},
        {"name": "registered", "type": "date", "label": {"zh": "注册日期", "en": "Registration date"}},
        {"name": "r23", "type": "number", "unit": "cny", "label": {"zh": "2023年营收", "en": "2023 revenue"}},
        {"name": "r25", "type": "number", "unit": "cny", "label": {"zh": "2025年营收", "en": "2025 revenue"}}
    ]);
    let mut d: serde_json::Value = serde_json::from_str(&doc(fields, json!([]))).unwrap();
    d["derived"] = json!([{"name": "growth", "label": {"zh": "两年增长率", "en": "Two-year growth"}, "unit": "percent",
        "expr": {"*": [{"/": [{"-": [{"var": "r25"}, {"var": "r23"}]}, {"var": "r23"}]}, 100]}}]);
    let mut mixed = policy("mixed", json!({">=": [{"+": [{"var": "rd25"}, {"var": "staff"}]}, 100]}));
    mixed["criteria"][0]["description"] = json!({"zh": "研发费用与职工合计不少于100", "en": "R&D plus staff at least 100"});
    d["policies"] = json!([
        policy("sum", json!({">=": [{"+": [{"var": "rd24"}, {"var": "rd25"}]}, 12000000]})),
        policy("age", json!({">=": [{"days_between": [{"var": "registered"}, {"var": "$as_of"}]}, 365]})),
        mixed,
        policy("growth", json!({">=": [{"var": "growth"}, 10.25]}))
    ]);
    let c = compile(&d.to_string());
    let p =
        Profile::from_json(&c, &json!({"rd24": 5000000, "rd25": 6000000, "staff": 5, "registered": "2025-08-01", "r23": 50000000, "r25": 55124999})).unwrap();
    let r = c.evaluate(&p, "2026-07-01".parse().unwrap());
    let msg = |i: usize| r.results[i].near_misses.first().map(|n| n.message().en.clone()).unwrap_or_default();
    assert_eq!(msg(0), "2024 R&D + 2025 R&D ¥11,000,000, needs ≥ ¥12,000,000: ¥1,000,000 short");
    assert_eq!(r.results[0].near_misses[0].message().zh, "2024年研发费用 + 2025年研发费用 11,000,000元，需 ≥ 12,000,000元：还差1,000,000元");
    // 2025-08-01 → 2026-07-01 is 334 days: 31 short of 365.
    assert_eq!(msg(1), "Days from Registration date to the as-of date 334 days, needs ≥ 365 days: 31 days short");
    // ¥ and people do not add up to one unit: the criterion's own words.
    assert_eq!(r.results[2].near_misses.len(), 0, "6,000,005 is not near 100 from below; it passes");
    let p2 = Profile::from_json(&c, &json!({"rd25": 85, "staff": 5})).unwrap();
    let r2 = c.evaluate(&p2, "2026-07-01".parse().unwrap());
    assert_eq!(r2.results[2].near_misses[0].message().en, "R&D plus staff at least 100: 90, needs ≥ 100: 10 short");
    assert_eq!(r2.results[2].near_misses[0].message().zh, "研发费用与职工合计不少于100：90，需 ≥ 100：还差10");
    // 55,124,999 / 50,000,000 − 1 = 10.249998 %: 0.000002 points short, not "0".
    assert_eq!(msg(3), "Two-year growth 10.249998%, needs ≥ 10.25%: 0.000002 points short");
}

#[test]
fn within_reach_needs_every_failed_criterion_to_be_near() {
    let c = cat();
    // tech ratio 9.5% (near) but rd = 0 fails C2 outright.
    let p = Profile::from_json(&c, &json!({"employees": 200, "tech_staff": 19, "rd": 0})).unwrap();
    let r = c.evaluate(&p, "2026-07-01".parse().unwrap());
    assert_eq!(r.results[2].failed, ["C1", "C2"]);
    assert!(!r.results[2].within_reach);
    assert_eq!(r.results[2].near_misses.len(), 1);
}

#[test]
fn ask_next_ranks_fields_by_what_they_decide() {
    let c = cat();
    let p = Profile::empty(&c);
    let mut m = Matcher::new(&c, "2026-07-01".parse().unwrap());
    let e = m.evaluate(&p);
    let ask = e.ask_next();
    // income alone decides small_profit; and is needed by six_taxes too.
    assert_eq!(ask[0].field, "income");
    assert_eq!(ask[0].decides, 1);
    assert!(ask.iter().any(|a| a.field == "small_scale"));
    let missing = &e.results[3].missing;
    let names: Vec<&str> = missing.iter().map(|&f| c.fields[f as usize].name()).collect();
    assert_eq!(names, ["income", "small_scale"]);
}

/// A choice question one answer of which rules out several policies at
/// once comes before a number that is the last missing fact of one policy.
#[test]
fn ask_next_tries_the_answers_of_choice_questions() {
    let fields = json!([
        {"name": "entity", "type": "enum", "label": {"zh": "主体类型", "en": "Entity"},
         "options": [{"value": "company", "label": {"zh": "公司", "en": "Company"}}, {"value": "getihu", "label": {"zh": "个体户", "en": "Individual business"}}]},
        {"name": "a", "type": "number", "label": {"zh": "a", "en": "a"}},
        {"name": "b", "type": "number", "label": {"zh": "b", "en": "b"}},
        {"name": "c", "type": "number", "label": {"zh": "c", "en": "c"}},
        {"name": "rating", "type": "boolean", "label": {"zh": "信用A级", "en": "Credit A"}}
    ]);
    let company = |v: &str| json!({"all": [{"==": [{"var": "entity"}, "company"]}, {">": [{"var": v}, 0]}]});
    let d = doc(fields, json!([policy("p1", company("a")), policy("p2", company("b")), policy("p3", company("c")), policy("p4", json!({"var": "rating"}))]));
    let c = compile(&d);
    let mut m = Matcher::new(&c, "2026-07-01".parse().unwrap());
    let p = Profile::empty(&c);
    let e = m.evaluate(&p);
    let ask = e.ask_next();
    // "getihu" decides p1..p3 (not met) at once; `rating` only decides p4.
    assert_eq!((ask[0].field.as_str(), ask[0].decides, ask[0].needed_by), ("entity", 3, 3));
    assert_eq!((ask[1].field.as_str(), ask[1].decides), ("rating", 1));
    // With the entity known to be a company, each number decides its own policy.
    let p = Profile::from_json(&c, &json!({"entity": "company"})).unwrap();
    let e = m.evaluate(&p);
    let ask: Vec<(String, u32)> = e.ask_next().into_iter().map(|a| (a.field, a.decides)).collect();
    assert_eq!(ask, [("a".to_string(), 1), ("b".to_string(), 1), ("c".to_string(), 1), ("rating".to_string(), 1)]);
}

#[test]
fn benefit_distinguishes_zero_from_not_qualifying() {
    let c = cat();
    let loss = c.evaluate(&Profile::from_json(&c, &json!({"income": -5000})).unwrap(), "2026-07-01".parse().unwrap());
    let b = loss.results[0].benefit.as_ref().unwrap();
    assert_eq!(b.amount, Some(0.into()));
    assert!(!b.conditional);
    let over = c.evaluate(&Profile::from_json(&c, &json!({"income": 5000000})).unwrap(), "2026-07-01".parse().unwrap());
    assert!(over.results[0].benefit.is_none());
    let json = serde_json::to_value(&loss.results[0]).unwrap();
    assert_eq!(json["benefit"]["amount"], json!(0));
}

/// A qualifying policy whose amount needs an unanswered field says which:
/// the 稳岗返还 refund (人社部发〔2026〕39号) is up to 60% of last year's UI
/// premiums for an SME, so without the premiums there is no figure.
#[test]
fn an_amount_that_needs_an_answer_names_the_missing_fields() {
    let c = catalogues(&[NATIONAL]);
    let slot = |name: &str| c.field_slot(name).unwrap();
    let refund = |p: serde_json::Value| {
        let r = c.evaluate(&Profile::from_json(&c, &p).unwrap(), "2026-07-01".parse().unwrap());
        let i = c.policies.iter().position(|p| p.id == "ui_job_stabilization_refund_2026").unwrap();
        r.results[i].clone()
    };
    // 12+ months of premiums and no layoffs: qualifies (C1–C3), worth not known.
    let base = json!({"entity_type": "company", "ui_premium_months_fully_paid": 36, "ui_new_benefit_claimants_2025": 0});
    let r = refund(base.clone());
    assert_eq!(r.verdict, Verdict::Qualifies);
    let b = r.benefit.unwrap();
    assert_eq!(b.amount, None);
    // The ratio depends on the size class (30% large, 60% SME): both are needed.
    let mut want = vec![slot("enterprise_size_class"), slot("ui_premiums_paid_2025_cny")];
    want.sort_unstable();
    let mut got = b.missing.clone();
    got.sort_unstable();
    assert_eq!(got, want);
    // With both: 60% of ¥120,000 for a medium enterprise, nothing missing.
    let mut full = base;
    full["enterprise_size_class"] = json!("medium");
    full["ui_premiums_paid_2025_cny"] = json!(120000);
    let b = refund(full).benefit.unwrap();
    assert_eq!(b.amount, Some(72000.into()));
    assert!(b.missing.is_empty());
    // Not in the JSON report (slots are internal).
    assert!(serde_json::to_value(&b).unwrap().get("missing").is_none());
}

/// Fields that no verdict needs but a qualifying policy's amount does are
/// asked too, after every field that decides something: the guided
/// questions then tell what a policy is worth.
#[test]
fn ask_next_asks_for_what_an_amount_needs_after_what_decides() {
    let c = catalogues(&[NATIONAL]);
    let p = Profile::from_json(&c, &json!({"entity_type": "company", "ui_premium_months_fully_paid": 36, "ui_new_benefit_claimants_2025": 0})).unwrap();
    let mut m = policy_match::matching::Matcher::new(&c, "2026-07-01".parse().unwrap());
    let e = m.evaluate(&p);
    let ask = e.ask_next();
    let premiums = ask.iter().position(|a| a.field == "ui_premiums_paid_2025_cny").expect("the premiums are asked");
    let a = &ask[premiums];
    // Only the refund's amount needs the premiums (60 % or 30 % of them).
    assert_eq!((a.decides, a.needed_by, a.amounts), (0, 0, 1));
    assert_eq!(a.policies, ["ui_job_stabilization_refund_2026"]);
    // After every field some verdict needs.
    assert!(ask[..premiums].iter().all(|x| x.needed_by > 0), "{ask:#?}");
    assert!(ask[premiums..].iter().all(|x| x.needed_by == 0 && x.amounts > 0), "{ask:#?}");
    // The size class decides verdicts and also gives the refund's ratio.
    let size = ask.iter().find(|a| a.field == "enterprise_size_class").expect("size asked");
    assert!(size.needed_by > 0 && size.amounts >= 1, "{size:?}");
}

/// 企业自测 (a small-scale VAT payer): the sales "of the latest filing
/// period" mean a month or a quarter, so the filing period is asked first,
/// as the catalogue declares them, although the sales also give the
/// exemption's amount and the period does not.
#[test]
fn questions_that_decide_as_much_keep_the_catalogue_order() {
    let c = catalogues(&[NATIONAL]);
    let p = Profile::from_json(&c, &json!({"entity_type": "individual_business", "vat_taxpayer_type": "small_scale"})).unwrap();
    let mut m = policy_match::matching::Matcher::new(&c, "2026-07-01".parse().unwrap());
    let e = m.evaluate(&p);
    let ask = e.ask_next();
    let at = |f: &str| ask.iter().position(|a| a.field == f).unwrap_or_else(|| panic!("{f} is asked: {ask:#?}"));
    let (period, sales) = (&ask[at("vat_filing_period")], &ask[at("vat_sales_latest_period_cny")]);
    assert_eq!((period.decides, period.needed_by), (sales.decides, sales.needed_by), "a tie: {period:?} {sales:?}");
    assert!(sales.amounts > period.amounts, "the sales serve an amount too: {sales:?}");
    assert!(at("vat_filing_period") < at("vat_sales_latest_period_cny"), "{ask:#?}");
}

/// A benefit formula may read another policy's verdict (a saving at the
/// rate of the regime that applies). The policy it reads is evaluated
/// first, even when declared after; undecided, the amount is not
/// estimated and names what it still needs; a cycle through a formula is
/// an error at the reference.
#[test]
fn a_benefit_formula_reads_another_policys_verdict() {
    let fields = json!([
        {"name": "income", "type": "number", "unit": "cny", "label": {"zh": "应纳税所得额", "en": "Taxable income"}},
        {"name": "rd", "type": "number", "unit": "cny", "label": {"zh": "研发费用", "en": "R&D expense"}},
        {"name": "cert", "type": "boolean", "label": {"zh": "证书", "en": "Certificate"}}
    ]);
    let mut saving = policy("saving", json!({">": [{"var": "rd"}, 0]}));
    let rate = json!({"if": [{"policy": "small"}, 0.05, {"if": [{"var": "cert"}, 0.15, 0.25]}]});
    saving["benefit"] = json!({"text": {"zh": "省税", "en": "saving"}, "amount": {"*": [{"var": "rd"}, rate]}});
    let small = policy("small", json!({"<=": [{"var": "income"}, 3000000]}));
    let c = compile(&doc(fields.clone(), json!([saving.clone(), small])));
    let amount = |p: serde_json::Value| {
        let r = c.evaluate(&Profile::from_json(&c, &p).unwrap(), "2026-07-01".parse().unwrap());
        r.results[0].benefit.clone().unwrap()
    };
    assert_eq!(amount(json!({"rd": 1000000, "income": 3000000})).amount, Some(50000.into()), "at the threshold: small");
    assert_eq!(amount(json!({"rd": 1000000, "income": 3000001, "cert": false})).amount, Some(250000.into()));
    assert_eq!(amount(json!({"rd": 1000000, "income": 3000001, "cert": true})).amount, Some(150000.into()));
    // Undecided: what the condition needs first, not what an unchosen branch reads.
    let undecided = amount(json!({"rd": 1000000}));
    assert_eq!(undecided.amount, None);
    assert_eq!(undecided.missing, [c.field_slot("income").unwrap()]);
    let not_small = amount(json!({"rd": 1000000, "income": 3000001}));
    assert_eq!((not_small.amount, not_small.missing), (None, vec![c.field_slot("cert").unwrap()]));
    // A cycle through the formula.
    let mut small = policy("small", json!({"policy": "saving"}));
    small["title"] = json!({"zh": "小", "en": "small"});
    let text = doc(fields, json!([saving, small]));
    let errs = Catalogue::from_json("t.json", &text).unwrap_err().0;
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].error.kind(), "cycle");
    // Found from the first policy of the cycle: at its formula's reference.
    assert_eq!(errs[0].location.path, "policies[0].benefit.amount.*[1].if[0].policy");
    assert_eq!(errs[0].error.to_string(), "reference cycle: saving → small → saving; remove one of these references");
}

#[test]
fn stacking_take_higher_prefers_the_larger_benefit() {
    let c = cat();
    let r = c.evaluate(&Profile::from_json(&c, &json!({"income": 1000000, "rd": 60, "revenue": 1000})).unwrap(), "2026-07-01".parse().unwrap());
    let (small, hnte) = (&r.results[0], &r.results[1]);
    assert_eq!(small.conflicts[0].with, "hnte_rate");
    assert_eq!(small.conflicts[0].preferred, Some(true), "20% of income beats 10%");
    assert_eq!(hnte.conflicts[0].preferred, Some(false));
}

/// A policy that has expired on the as-of date takes nothing from one in
/// force that it cannot be combined with: only the other can be claimed.
#[test]
fn stacking_ignores_a_policy_not_in_force() {
    let mut d = cat_doc();
    d["policies"][0]["valid_until"] = json!("2026-06-30");
    let expired = compile(&d.to_string());
    let p2 = Profile::from_json(&expired, &json!({"income": 1000000, "rd": 60, "revenue": 1000})).unwrap();
    let r = expired.evaluate(&p2, "2026-07-01".parse().unwrap());
    let (small, hnte) = (&r.results[0], &r.results[1]);
    assert_eq!((small.verdict, small.in_force, hnte.verdict, hnte.in_force), (Verdict::Qualifies, false, Verdict::Qualifies, true));
    assert!(small.conflicts.is_empty() && hnte.conflicts.is_empty(), "{small:?} {hnte:?}");
    // The day before, both are in force and the larger is preferred.
    let r = expired.evaluate(&p2, "2026-06-30".parse().unwrap());
    assert_eq!(r.results[1].conflicts[0].preferred, Some(false));
}

/// What to ask next leaves out the policies that ended before the as-of
/// date: in 2027 the 2026 job-expansion subsidy's hires are not asked for.
#[test]
fn ask_next_leaves_out_expired_policies() {
    let c = catalogues(&[NATIONAL]);
    let p = Profile::from_json(&c, &json!({"entity_type": "company", "enterprise_size_class": "small"})).unwrap();
    let asked = |date: &str| {
        let mut m = Matcher::new(&c, date.parse().unwrap());
        m.evaluate(&p).ask_next().into_iter().map(|a| a.field).collect::<Vec<_>>()
    };
    let hires = "eligible_youth_hires_2026_count";
    assert!(asked("2026-07-01").iter().any(|f| f == hires));
    assert!(!asked("2027-01-01").iter().any(|f| f == hires), "{:?}", asked("2027-01-01"));
}

#[test]
fn explanation_tree_comes_from_the_verdict_trace() {
    let c = cat();
    let p = Profile::from_json(&c, &json!({"employees": 300, "tech_staff": 30})).unwrap();
    let mut m = Matcher::new(&c, "2026-07-01".parse().unwrap());
    let e = m.evaluate(&p);
    let x = e.explain(2).unwrap();
    assert_eq!(x.verdict, Verdict::Undecided);
    let c1 = &x.criteria[0];
    assert_eq!(c1.outcome, Tri::True);
    let ratio = &c1.tree.children[0].children[0];
    assert_eq!(ratio.op, "derived");
    assert_eq!(ratio.name.as_deref(), Some("tech_ratio"));
    assert_eq!(ratio.value.as_ref().unwrap().to_string(), "10");
    let c2 = &x.criteria[1];
    assert_eq!(c2.outcome, Tri::Unknown);
    assert_eq!(c2.missing_fields, ["rd"]);
    let json = serde_json::to_value(&x).unwrap();
    assert_eq!(json["criteria"][1]["tree"]["children"][0]["missing"], json!(["rd"]));
}

#[test]
fn verdicts_fast_path_agrees_with_traced_path() {
    let c = cat();
    let profiles =
        [json!({}), json!({"income": 1}), json!({"employees": 10, "tech_staff": 0, "rd": 5, "revenue": 0}), json!({"small_scale": false, "income": 9e6})];
    let mut m = Matcher::new(&c, "2026-07-01".parse().unwrap());
    for p in profiles {
        let p = Profile::from_json(&c, &p).unwrap();
        let fast: Vec<Tri> = m.verdicts(&p).to_vec();
        let traced: Vec<Verdict> = m.evaluate(&p).results.iter().map(|r| r.verdict).collect();
        assert_eq!(fast.into_iter().map(Verdict::from).collect::<Vec<_>>(), traced);
    }
}

/// The policy-major batch path (criteria tried in an adaptive order) gives,
/// row for row, the verdicts of the one-profile path (cheapest criterion
/// first) and of the full evaluation (every criterion, in catalogue order):
/// synthetic catalogues of both shapes with more profiles than a block, and
/// the real catalogues with their policy references and derived values.
#[test]
fn verdicts_many_agrees_with_verdicts() {
    let synthetic = Catalogue::from_json("s.json", &policy_match::synth::catalogue(40, 7)).unwrap();
    let uniform = Catalogue::from_json("u.json", &policy_match::synth::catalogue_with(40, 7, policy_match::synth::Shape::UNIFORM)).unwrap();
    let real = catalogues(&[NATIONAL, ZONE]);
    for c in [&synthetic, &uniform, &real] {
        let profiles = policy_match::synth::profiles(c, 300, 3);
        let mut m = Matcher::new(c, "2026-07-01".parse().unwrap());
        let mut all = Vec::new();
        m.verdicts_many(&profiles, &mut all);
        let np = c.policies.len();
        assert_eq!(all.len(), profiles.len() * np);
        let mut decided = 0;
        for (j, p) in profiles.iter().enumerate() {
            let one = m.verdicts(p).to_vec();
            assert_eq!(&all[j * np..(j + 1) * np], &one[..], "profile {j}");
            let full: Vec<Verdict> = m.evaluate(p).results.iter().map(|r| r.verdict).collect();
            assert_eq!(full, one.iter().map(|t| Verdict::from(*t)).collect::<Vec<_>>(), "profile {j}: full evaluation");
            decided += one.iter().filter(|t| **t != Tri::Unknown).count();
        }
        assert!(decided > 0, "the profiles decide something");
    }
}

#[test]
fn in_force_is_separate_from_the_verdict() {
    let mut d: serde_json::Value = serde_json::from_str(&doc(json!([]), json!([policy("p", json!(true))]))).unwrap();
    d["policies"][0]["valid_from"] = json!("2026-01-01");
    d["policies"][0]["valid_until"] = json!("2026-12-31");
    let c = compile(&d.to_string());
    let p = Profile::empty(&c);
    for (date, in_force) in [("2025-12-31", false), ("2026-01-01", true), ("2026-12-31", true), ("2027-01-01", false)] {
        let r = c.evaluate(&p, date.parse().unwrap());
        assert_eq!((r.results[0].verdict, r.results[0].in_force), (Verdict::Qualifies, in_force), "{date}");
    }
}

/// Tests that several policies repeat (the same comparison, the same
/// quantifier over the same list) share a memo slot and are evaluated once
/// per profile; the outcomes are those of the traced evaluation, which
/// evaluates every node: for every criterion of every policy, the failed
/// and undecided lists of the memoised evaluation match the explanation's
/// outcomes.
#[test]
fn shared_tests_are_evaluated_once_with_the_same_outcomes() {
    let synthetic = Catalogue::from_json("s.json", &policy_match::synth::catalogue(200, 11)).unwrap();
    assert!(synthetic.program.shared().len > 0, "the synthetic catalogue repeats tests");
    let real = catalogues(&[NATIONAL, ZONE]);
    // Two quantifiers with the same predicate over different lists, and a
    // comparison repeated in two policies.
    let fields = json!([
        {"name": "a", "type": "date_list", "label": {"zh": "a", "en": "a"}},
        {"name": "b", "type": "date_list", "label": {"zh": "b", "en": "b"}},
        {"name": "n", "type": "number", "label": {"zh": "n", "en": "n"}}
    ]);
    let recent = |l: &str| json!({"some": {"in": {"var": l}, "where": {">=": [{"var": "$item"}, {"date": "2026-01-01"}]}}});
    let small = compile(&doc(
        fields,
        json!([
            policy("pa", json!({"all": [recent("a"), {">=": [{"var": "n"}, 10]}]})),
            policy("pb", json!({"all": [recent("b"), {">=": [{"var": "n"}, 10]}]})),
            policy("pc", json!({"not": recent("a")}))
        ]),
    ));
    assert_eq!(small.program.shared().len, 2, "`n >= 10` and the quantifier over `a` are shared; over `b` is not");
    let verdicts: Vec<Verdict> = eval(&small, json!({"a": ["2025-05-01"], "b": ["2026-03-01"], "n": 10})).into_iter().map(|x| x.1).collect();
    assert_eq!(verdicts, [Verdict::DoesNotQualify, Verdict::Qualifies, Verdict::Qualifies]);
    for c in [&synthetic, &real, &small] {
        let mut m = Matcher::new(c, "2026-07-01".parse().unwrap());
        for (j, p) in policy_match::synth::profiles(c, 40, 5).iter().enumerate() {
            let e = m.evaluate(p);
            for (pi, r) in e.results.iter().enumerate() {
                let x = e.explain(pi as u32).unwrap();
                for (ci, cx) in x.criteria.iter().enumerate() {
                    let ci = ci as u16;
                    let memoised = if r.failed.contains(&ci) {
                        Tri::False
                    } else if r.undecided.contains(&ci) {
                        Tri::Unknown
                    } else {
                        Tri::True
                    };
                    // A qualifying policy lists nothing: every criterion is met.
                    assert_eq!(memoised, cx.outcome, "profile {j}, policy {}, criterion {}", x.policy, cx.id);
                }
            }
        }
    }
}

/// A compiled catalogue is shared by a server's threads (`Send + Sync`),
/// each with its own `Matcher`: compile once, evaluate anywhere, and every
/// thread gets the verdicts one thread gets (the analysis of shared tests,
/// run on a catalogue's first evaluation, included).
#[test]
fn one_catalogue_serves_many_threads() {
    fn shared<T: Send + Sync>(t: &T) -> &T {
        t
    }
    let compiled = catalogues(&[NATIONAL, ZONE]);
    let cat = shared(&compiled);
    let profiles: Vec<Profile> = policy_match::synth::profiles(cat, 40, 7);
    let as_of = "2026-07-01".parse().unwrap();
    let verdicts = |ps: &[Profile]| -> Vec<Vec<Verdict>> {
        let mut m = Matcher::new(cat, as_of);
        ps.iter().map(|p| m.evaluate(p).results.iter().map(|r| r.verdict).collect()).collect()
    };
    let threads: Vec<Vec<Vec<Verdict>>> = std::thread::scope(|s| {
        let handles: Vec<_> = profiles.chunks(10).map(|ps| s.spawn(move || verdicts(ps))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let one = verdicts(&profiles);
    assert_eq!(threads.concat(), one);
    let all: Vec<Verdict> = one.concat();
    assert!(all.contains(&Verdict::Qualifies) && all.contains(&Verdict::DoesNotQualify), "the profiles give both verdicts");
}
