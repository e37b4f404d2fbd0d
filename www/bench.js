// Browser benchmark (not a test): times the wasm bundle's exports in this
// browser and publishes the results as `window.benchResults` (JSON-able) and
// <body data-state="done|error">. scripts/bench-browser.mjs runs it headless.
//
// Engine-provided benchmarks are used when the bundle exports them:
//   benchSelfCheck(iterations) -> median ns (or an object of medians)
//   benchBatch(iterations)     -> median ns (or an object of medians)
// Otherwise they are reported as "not available". JS-side timings of the
// public API (checkCatalogue, evaluateProfile, mountPolicyList) always run.

const params = new URLSearchParams(location.search);
const ITERATIONS = Math.max(1, Number(params.get('iterations') ?? 200));
const SAMPLES = Math.max(3, Number(params.get('samples') ?? 15));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Median over SAMPLES of (time for `n` calls / n), in ns per call. */
function timeIt(fn, n = ITERATIONS) {
  fn(); // warm-up
  const per = [];
  for (let s = 0; s < SAMPLES; s++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    per.push(((performance.now() - t0) * 1e6) / n);
  }
  return { median_ns: Math.round(median(per)), iterations: n, samples: SAMPLES };
}

async function timeAsync(fn, n) {
  await fn();
  const per = [];
  for (let s = 0; s < SAMPLES; s++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn();
    per.push(((performance.now() - t0) * 1e6) / n);
  }
  return { median_ns: Math.round(median(per)), iterations: n, samples: SAMPLES };
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
    for (const text of [name, r.available === false ? '—' : fmt(r.median_ns), r.note ?? (r.iterations ? `${r.iterations} × ${r.samples}` : '')]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    body.append(tr);
  }
  document.getElementById('bench-json').textContent = JSON.stringify(results, null, 2);
}

/** Call an engine bench export; normalise a number or an object of numbers. */
function engineBench(mod, name) {
  if (typeof mod[name] !== 'function') {
    return { available: false, note: `not available: the wasm bundle has no ${name} export yet` };
  }
  const t0 = performance.now();
  const out = mod[name](ITERATIONS);
  const wall_ms = Math.round(performance.now() - t0);
  if (typeof out === 'number' || typeof out === 'bigint') return { median_ns: Number(out), iterations: ITERATIONS, wall_ms };
  const plain = out instanceof Map ? Object.fromEntries(out) : out;
  return { ...JSON.parse(JSON.stringify(plain, (_, v) => (typeof v === 'bigint' ? Number(v) : v))), iterations: ITERATIONS, wall_ms };
}

async function run() {
  const started = performance.now();
  const mod = await import('./pkg/policy_match.js');
  await mod.default();
  const catalogue = await (await fetch('catalogues/demo.json', { cache: 'no-cache' })).text();
  const profile = { employees: 120, tech_staff: 18, revenue: 8000000, taxable_income: 1500000, rd_ratio: 4.5, has_ip: true };

  const benchmarks = {};
  benchmarks.benchSelfCheck = engineBench(mod, 'benchSelfCheck');
  benchmarks.benchBatch = engineBench(mod, 'benchBatch');
  benchmarks['js:checkCatalogue(demo)'] = timeIt(() => mod.checkCatalogue(catalogue));
  benchmarks['js:evaluateProfile(demo, 1 profile)'] = timeIt(() => mod.evaluateProfile([catalogue], profile, '2026-07-01'));

  const root = document.createElement('div');
  root.hidden = true;
  document.body.append(root);
  benchmarks['js:mountPolicyList(demo) + render'] = await timeAsync(async () => {
    const h = mod.mountPolicyList(root, catalogue, 'zh-CN');
    await new Promise((r) => setTimeout(r, 0)); // let Yew's scheduler render
    if (!root.querySelector('.pm-title')) throw new Error('policy list did not render');
    h.destroy();
    await new Promise((r) => setTimeout(r, 0));
  }, Math.max(1, Math.min(ITERATIONS, 20)));
  benchmarks['js:mountPolicyList(demo) + render'].note = 'mount, render, destroy; includes two setTimeout(0) turns (clamped to about 4 ms when nested)';
  root.remove();

  return {
    userAgent: navigator.userAgent,
    iterations: ITERATIONS,
    samples: SAMPLES,
    crossOriginIsolated: globalThis.crossOriginIsolated ?? false,
    timerNote: 'performance.now() is coarsened (about 0.1 ms) without cross-origin isolation; JS timings batch many calls per sample',
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
