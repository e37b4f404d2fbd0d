//! A quick driver for profiling the engine with `perf`:
//! `cargo build --release --example profile_engine && perf record target/release/examples/profile_engine compile`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use policy_match::catalogue::Catalogue;
use policy_match::matching::Matcher;
use policy_match::synth;

fn main() {
    let what = std::env::args().nth(1).unwrap_or_else(|| "all".into());
    let text = synth::catalogue(1000, 2026);
    let t = std::time::Instant::now();
    let mut cat = None;
    for _ in 0..if what == "compile" { 20 } else { 1 } {
        cat = Some(Catalogue::from_json("s.json", &text).expect("compiles"));
    }
    let cat = cat.expect("compiled");
    eprintln!("compile: {:?}", t.elapsed());
    let profiles = synth::profiles(&cat, 200, 1);
    let as_of = "2026-07-01".parse().expect("date");
    let mut m = Matcher::new(&cat, as_of);
    let t = std::time::Instant::now();
    let n = if what == "self" { 2000 } else { 200 };
    let mut k = 0;
    for i in 0..n {
        k += m.evaluate(&profiles[i % 200]).results.len();
    }
    eprintln!("self-check: {:?} per profile ({k})", t.elapsed() / n as u32);
    let t = std::time::Instant::now();
    let reps = if what == "batch" { 50 } else { 5 };
    for _ in 0..reps {
        for p in &profiles {
            k += m.verdicts(p).len();
        }
    }
    let evals = (reps * profiles.len() * cat.policies.len()) as f64;
    eprintln!("batch: {:.1} M evals/s ({k})", evals / t.elapsed().as_secs_f64() / 1e6);
}
