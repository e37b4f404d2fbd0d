#!/usr/bin/env bash
# Benchmarks (not tests): the engine natively and compiled to wasm in
# headless Chromium, on the same seeded synthetic workloads, with the
# wasm/native ratio of the medians.
#
#   bash scripts/bench.sh            # native (thread CPU time) + browser, ratios
#   cargo bench --bench engine       # the criterion benchmarks (native, wall clock)
#
# Results: test-output/bench/{native,browser}.json and a table on stdout.
# The machines are shared and noisy: compare medians, and run twice.
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$PM_ROOT"
pm_setup_wasm; pm_setup_browser; pm_setup_node

OUT="$PM_ROOT/test-output/bench"
mkdir -p "$OUT"

pm_log "native: cargo run --release --example profile_engine"
cargo build --release --example profile_engine
target/release/examples/profile_engine all > "$OUT/native.json"

pm_log "browser: scripts/build-bench.sh + node scripts/bench-browser.mjs"
bash scripts/build-bench.sh
node scripts/bench-browser.mjs > "$OUT/browser.json"

node - "$OUT/native.json" "$OUT/browser.json" <<'JS'
const fs = require('node:fs');
const native = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const browser = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const fmt = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(1)} µs`);
console.log(`\nwasm profile: ${browser.wasm_profile}; ${browser.userAgent}`);
console.log(`${'benchmark'.padEnd(42)} ${'native'.padStart(11)} ${'wasm'.padStart(11)}  ratio`);
for (const [name, n] of Object.entries(native)) {
  const w = browser.benchmarks[name]?.median_ns;
  console.log(`${name.padEnd(42)} ${fmt(n).padStart(11)} ${(w ? fmt(w) : '—').padStart(11)}  ${w ? (w / n).toFixed(2) + '×' : ''}`);
}
for (const [name, r] of Object.entries(browser.benchmarks)) {
  if (!(name in native)) console.log(`${name.padEnd(42)} ${''.padStart(11)} ${fmt(r.median_ns).padStart(11)}  ${r.note ?? ''}`);
}
JS
