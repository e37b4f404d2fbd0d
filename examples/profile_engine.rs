//! A quick driver for timing and profiling the engine with `perf`, on the
//! same workloads as `benches/engine.rs`:
//! `cargo build --release --example profile_engine && perf record target/release/examples/profile_engine batch`.
//!
//! Modes: `compile`, `self`, `explain`, `batch`, or `all` (default). Each
//! prints the median and the minimum of several rounds, in thread CPU time
//! (the machines are shared: wall-clock time includes waiting for a core).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::time::{Duration, Instant};

use policy_match::catalogue::Catalogue;
use policy_match::matching::Matcher;
use policy_match::rules::Tri;
use policy_match::synth;

const SEED: u64 = 2026;

/// CPU time of this thread (Linux: /proc/thread-self/schedstat), so that
/// other processes competing for the cores do not count; wall-clock time
/// where it is not available.
fn cpu_now() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok().map(Duration::from_nanos)
}

/// Median and minimum of `rounds` timings of `f` (thread CPU time), each divided by `per`.
fn time(rounds: usize, per: u32, mut f: impl FnMut()) -> (Duration, Duration) {
    let mut ts: Vec<Duration> = (0..rounds)
        .map(|_| {
            let (c, t) = (cpu_now(), Instant::now());
            f();
            match (c, cpu_now()) {
                (Some(a), Some(b)) => (b - a) / per,
                _ => t.elapsed() / per,
            }
        })
        .collect();
    ts.sort();
    (ts[ts.len() / 2], ts[0])
}

fn main() {
    let what = std::env::args().nth(1).unwrap_or_else(|| "all".into());
    let scale: usize = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let as_of = "2026-07-01".parse().expect("date");
    let text = synth::catalogue(1000, SEED);
    let mut out: Vec<(&str, Duration)> = Vec::new();
    if what == "compile" || what == "all" {
        // Ten loads per sample: the thread clock ticks every few ms, a load takes about 13.
        let (med, min) = time(15 * scale, 10, || {
            for _ in 0..10 {
                black_box(Catalogue::from_json("synthetic.json", black_box(&text)).expect("compiles"));
            }
        });
        eprintln!("parse+compile 1000 policies: median {med:?}, min {min:?}");
        out.push(("parse_compile_1000_policies", med));
        // The analysis of shared tests runs once per catalogue, on its first evaluation.
        let (med2, _) = time(15 * scale, 10, || {
            for _ in 0..10 {
                let c = Catalogue::from_json("synthetic.json", black_box(&text)).expect("compiles");
                black_box(c.program.shared().len);
            }
        });
        eprintln!("  plus finding shared tests (on first evaluation): median {med2:?}, {:?} more", med2.saturating_sub(med));
    }
    if what == "self" || what == "explain" || what == "all" {
        let cat = Catalogue::from_json("synthetic.json", &text).expect("compiles");
        let profiles = synth::profiles(&cat, 16, SEED);
        let mut m = Matcher::new(&cat, as_of);
        let mut i = 0;
        // 500 evaluations per sample (about 300 ms): the thread clock ticks
        // every 4 ms here, so a sample of 100 could only read in steps of 40 µs.
        let (med, min) = time(15 * scale, 500, || {
            for _ in 0..500 {
                i = (i + 1) % profiles.len();
                let e = m.evaluate(black_box(&profiles[i]));
                black_box(e.results.len());
            }
        });
        eprintln!("self-check 1 profile x 1000 policies: median {med:?}, min {min:?}");
        let (med2, _) = time(15 * scale, 2000, || {
            for _ in 0..2000 {
                i = (i + 1) % profiles.len();
                black_box(m.verdicts(black_box(&profiles[i])).len());
            }
        });
        eprintln!("verdicts only 1 profile x 1000: median {med2:?}");
        {
            let e = m.evaluate(&profiles[0]);
            let nm: usize = e.results.iter().map(|r| r.near_misses.len()).sum();
            let failed: usize = e.results.iter().map(|r| r.failed.len()).sum();
            let und: usize = e.results.iter().map(|r| r.undecided.len()).sum();
            let v: Vec<usize> =
                [policy_match::matching::Verdict::Qualifies, policy_match::matching::Verdict::DoesNotQualify, policy_match::matching::Verdict::Undecided]
                    .iter()
                    .map(|v| e.results.iter().filter(|r| r.verdict == *v).count())
                    .collect();
            eprintln!(
                "near misses {nm}, failed crits {failed}, undecided crits {und}, verdicts {v:?}, nodes {}, memo slots {}, memoised nodes {}",
                cat.program.nodes.len(),
                cat.program.shared().len,
                cat.program.shared().slot.iter().filter(|&&s| s != policy_match::rules::NO_MEMO).count()
            );
        }
        out.push(("self_check_1_profile_x_1000_policies_no_ask_next", med));
        let (med, min) = time(15 * scale, 500, || {
            for _ in 0..500 {
                i = (i + 1) % profiles.len();
                let e = m.evaluate(black_box(&profiles[i]));
                black_box(e.ask_next().len());
            }
        });
        eprintln!("self-check with ask_next: median {med:?}, min {min:?}");
        out.push(("self_check_1_profile_x_1000_policies", med));
        if what != "self" {
            let (med, min) = time(5 * scale, 10, || {
                for _ in 0..10 {
                    i = (i + 1) % profiles.len();
                    let e = m.evaluate(black_box(&profiles[i]));
                    let n: usize = (0..1000).filter_map(|p| e.explain(p)).map(|x| x.criteria.len()).sum();
                    black_box(n);
                }
            });
            eprintln!("self-check with 1000 explanation trees: median {med:?}, min {min:?}");
            out.push(("self_check_1000_explanation_trees", med));
        }
    }
    if what == "batch" || what == "all" {
        let cat = Catalogue::from_json("synthetic.json", &synth::catalogue(500, SEED)).expect("compiles");
        let profiles = synth::profiles(&cat, 10_000, SEED);
        let mut m = Matcher::new(&cat, as_of);
        let (med, min) = time(5 * scale, 1, || {
            let mut q = 0usize;
            for p in &profiles {
                q += m.verdicts(black_box(p)).iter().filter(|t| **t == Tri::True).count();
            }
            black_box(q);
        });
        let evals = (profiles.len() * cat.policies.len()) as f64;
        out.push(("batch_10000_profiles_x_500_policies_one_by_one", med));
        eprintln!(
            "batch 10000 profiles x 500 policies, one profile at a time: median {med:?} ({:.1} M evals/s), best {min:?} ({:.1} M evals/s)",
            evals / med.as_secs_f64() / 1e6,
            evals / min.as_secs_f64() / 1e6
        );
        let mut all = Vec::new();
        let (med, min) = time(5 * scale, 1, || {
            m.verdicts_many(black_box(&profiles), &mut all);
            black_box(all.iter().filter(|t| **t == Tri::True).count());
        });
        out.push(("batch_10000_profiles_x_500_policies", med));
        eprintln!(
            "batch 10000 profiles x 500 policies, policy-major blocks (verdicts_many): median {med:?} ({:.1} M evals/s), best {min:?} ({:.1} M evals/s)",
            evals / med.as_secs_f64() / 1e6,
            evals / min.as_secs_f64() / 1e6
        );
    }
    // Machine-readable medians (ns) on stdout, for scripts/bench.sh.
    let fields: Vec<String> = out.iter().map(|(k, d)| format!("\"{k}\": {}", d.as_nanos())).collect();
    println!("{{{}}}", fields.join(", "));
}
