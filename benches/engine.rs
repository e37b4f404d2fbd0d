//! Engine benchmarks (criterion): `cargo bench --bench engine`.
//!
//! Synthetic, seeded catalogues (see `policy_match::synth`): 3–12 criteria
//! per policy nested 1–3 deep over numbers, enums, booleans, dates and date
//! lists, ~5 % of profile fields missing. Nesting is shaped like the shipped
//! catalogues (`Shape::REALISTIC`); the `*_uniform` benchmarks use the
//! stress shape where every depth is equally common (`Shape::UNIFORM`).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use policy_match::catalogue::Catalogue;
use policy_match::matching::Matcher;
use policy_match::synth::{self, Shape};

const SEED: u64 = 2026;

fn as_of() -> policy_match::rules::Date {
    policy_match::rules::Date::from_ymd(2026, 7, 1).expect("valid date")
}

fn parse_compile(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse_compile");
    for (name, shape) in [("1000_policies", Shape::REALISTIC), ("1000_policies_uniform", Shape::UNIFORM)] {
        let text = synth::catalogue_with(1000, SEED, shape);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(name, |b| b.iter(|| Catalogue::from_json("synthetic.json", black_box(&text)).expect("compiles")));
    }
    g.finish();
}

fn self_check(c: &mut Criterion) {
    let cat = Catalogue::from_json("synthetic.json", &synth::catalogue(1000, SEED)).expect("compiles");
    let profiles = synth::profiles(&cat, 16, SEED);
    let mut m = Matcher::new(&cat, as_of());
    let mut g = c.benchmark_group("self_check");
    g.throughput(Throughput::Elements(1000));
    let mut i = 0;
    g.bench_function("1_profile_x_1000_policies_traced", |b| {
        b.iter(|| {
            i = (i + 1) % profiles.len();
            let e = m.evaluate(black_box(&profiles[i]));
            black_box(e.results.len())
        })
    });
    g.bench_function("1_profile_x_1000_policies_traced_with_ask_next", |b| {
        b.iter(|| {
            i = (i + 1) % profiles.len();
            let e = m.evaluate(black_box(&profiles[i]));
            black_box(e.ask_next().len())
        })
    });
    g.bench_function("1_profile_x_1000_policies_explanation_trees", |b| {
        b.iter(|| {
            i = (i + 1) % profiles.len();
            let e = m.evaluate(black_box(&profiles[i]));
            let n: usize = (0..1000).filter_map(|p| e.explain(p)).map(|x| x.criteria.len()).sum();
            black_box(n)
        })
    });
    let cat = Catalogue::from_json("synthetic.json", &synth::catalogue_with(1000, SEED, Shape::UNIFORM)).expect("compiles");
    let profiles = synth::profiles(&cat, 16, SEED);
    let mut m = Matcher::new(&cat, as_of());
    g.bench_function("1_profile_x_1000_policies_traced_uniform", |b| {
        b.iter(|| {
            i = (i + 1) % profiles.len();
            let e = m.evaluate(black_box(&profiles[i]));
            black_box(e.results.len())
        })
    });
    g.finish();
}

fn batch(c: &mut Criterion) {
    let cat = Catalogue::from_json("synthetic.json", &synth::catalogue(500, SEED)).expect("compiles");
    let profiles = synth::profiles(&cat, 10_000, SEED);
    let mut m = Matcher::new(&cat, as_of());
    let mut g = c.benchmark_group("batch");
    g.sample_size(10);
    g.throughput(Throughput::Elements(10_000 * 500));
    g.bench_function("10000_profiles_x_500_policies_verdicts", |b| {
        let mut all = Vec::new();
        b.iter(|| {
            m.verdicts_many(black_box(&profiles), &mut all);
            black_box(all.iter().filter(|t| **t == policy_match::rules::Tri::True).count())
        })
    });
    g.bench_function("10000_profiles_x_500_policies_verdicts_one_by_one", |b| {
        b.iter(|| {
            let mut q = 0usize;
            for p in &profiles {
                q += m.verdicts(black_box(p)).iter().filter(|t| **t == policy_match::rules::Tri::True).count();
            }
            black_box(q)
        })
    });
    let cat = Catalogue::from_json("synthetic.json", &synth::catalogue_with(500, SEED, Shape::UNIFORM)).expect("compiles");
    let profiles = synth::profiles(&cat, 10_000, SEED);
    let mut m = Matcher::new(&cat, as_of());
    g.bench_function("10000_profiles_x_500_policies_verdicts_uniform", |b| {
        let mut all = Vec::new();
        b.iter(|| {
            m.verdicts_many(black_box(&profiles), &mut all);
            black_box(all.iter().filter(|t| **t == policy_match::rules::Tri::True).count())
        })
    });
    g.finish();
}

criterion_group!(benches, parse_compile, self_check, batch);
criterion_main!(benches);
