// Browser benchmark (not a test): times the engine compiled to wasm on the
// same seeded synthetic workloads as the native benchmarks
// (benches/engine.rs, examples/profile_engine.rs), plus the public JS API on
// the real catalogues. Publishes `window.benchResults` (JSON-able) and
// <body data-state="done|error">. `node scripts/bench-browser.mjs` runs it
// headless; `scripts/bench.sh` also runs the native side and prints ratios.
//
// Needs the bench bundle www/pkg-bench (scripts/build-bench.sh): the
// library with the `bench` feature, which the embed bundle does not carry.

const params = new URLSearchParams(location.search);
const SAMPLES = Math.max(3, Number(params.get('samples') ?? 15));
const SCALE = Math.max(0.05, Number(params.get('scale') ?? 1));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Median and minimum over `samples` of (time of `per` calls / per), in ns per call. */
function timeIt(fn, per, samples = SAMPLES) {
  fn(); // warm-up
  const xs = [];
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now();
    for (let i = 0; i < per; i++) fn();
    xs.push(((performance.now() - t0) * 1e6) / per);
  }
  return { median_ns: Math.round(median(xs)), min_ns: Math.round(Math.min(...xs)), per_sample: per, samples };
}

function fmt(ns) {
  if (typeof ns !== 'number') return String(ns);
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns} ns`;
}

function show(results) {
  const body = document.querySelector('#bench-table tbody');
  body.textContent = '';
  for (const [name, r] of Object.entries(results.benchmarks)) {
    const tr = document.createElement('tr');
    for (const text of [name, fmt(r.median_ns), r.note ?? `${r.per_sample} × ${r.samples}`]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    body.append(tr);
  }
  document.getElementById('bench-json').textContent = JSON.stringify(results, null, 2);
}

async function run() {
  const started = performance.now();
  const mod = await import('./pkg-bench/policy_match.js');
  await mod.default();
  const profileName = (await (await fetch('pkg-bench/PROFILE', { cache: 'no-cache' })).text()).trim();
  const text = async (url) => (await fetch(url, { cache: 'no-cache' })).text();
  const [national, zone] = await Promise.all([text('catalogues/cn-national-2026.json'), text('catalogues/example-zone.json')]);

  const benchmarks = {};
  const selfBench = new mod.Bench(1000, 16);
  benchmarks.parse_compile_1000_policies = timeIt(() => selfBench.parseCompile(), 1, Math.ceil(15 * SCALE));
  benchmarks.self_check_1_profile_x_1000_policies = timeIt(() => selfBench.selfCheck(), 20, Math.ceil(30 * SCALE));
  benchmarks.self_check_1000_explanation_trees = timeIt(() => selfBench.explainAll(), 1, Math.ceil(10 * SCALE));
  selfBench.free();

  const batchBench = new mod.Bench(500, Math.round(10_000 * SCALE));
  const b = timeIt(() => batchBench.batch(), 1, 5);
  b.evaluations = batchBench.evaluations();
  b.evals_per_s = Math.round(b.evaluations / (b.median_ns / 1e9));
  b.note = `${b.evaluations} evaluations per round; ${(b.evals_per_s / 1e6).toFixed(1)} M evals/s`;
  benchmarks[`batch_${batchBench.evaluations() / 500}_profiles_x_500_policies`] = b;
  batchBench.free();

  // The public JS API on the real catalogues (JSON in and out included).
  const profile = { entity_type: 'company', is_resident_enterprise: true, cit_collection_method: 'audit_based', cit_taxable_income_2025_cny: 1500000, cit_total_assets_quarterly_avg_2025_cny: 30000000, cit_headcount_quarterly_avg_2025: 120, employees_total_2025: 120, tech_staff_2025: 18 };
  benchmarks['js:checkCatalogue(national)'] = timeIt(() => mod.checkCatalogue([national]), 5);
  benchmarks['js:evaluateProfile(national+zone, 1 profile)'] = timeIt(() => mod.evaluateProfile([national, zone], profile, '2026-07-01'), 5);
  benchmarks['js:evaluateProfile(national+zone, 1 profile)'].note = 'parses and compiles both catalogues on every call';

  return {
    userAgent: navigator.userAgent,
    wasm_profile: profileName,
    samples: SAMPLES,
    scale: SCALE,
    crossOriginIsolated: globalThis.crossOriginIsolated ?? false,
    timerNote: 'performance.now() is coarsened (about 0.1 ms) without cross-origin isolation; short calls are batched per sample',
    total_ms: Math.round(performance.now() - started),
    benchmarks,
  };
}

run().then(
  (results) => {
    window.benchResults = results;
    show(results);
    document.getElementById('bench-status').textContent = `done in ${results.total_ms} ms`;
    document.body.dataset.state = 'done';
  },
  (e) => {
    console.error(e);
    window.benchResults = { error: String(e?.stack ?? e) };
    document.getElementById('bench-status').textContent = `failed: ${e?.message ?? e}`;
    document.body.dataset.state = 'error';
  },
);
