#!/usr/bin/env node
// Benchmark of the admin page (batch 政策找人) in headless Chromium:
// ROWS enterprises (default 50,000) × (national + example zone catalogues),
// import + match, median of RUNS runs (default 5), and the longest main-thread
// task during the runs (PerformanceObserver 'longtask'; the page must stay
// responsive: target none over 100 ms).
//
//   node scripts/bench-admin.mjs [--rows 50000] [--runs 5] [--file enterprises.csv] [--json]
//
// Needs www/pkg-admin (scripts/build-admin.sh) and python3 for the generator
// (tests/fixtures/batch/gen_enterprises.py) unless --file is given.
// Prints one line per run and a summary; --json prints the summary as JSON.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, WWW, benchInBrowser, median, option as opt, watchProblems } from './browser.mjs';

const ROWS = Number(opt('rows', 50000));
const RUNS = Math.max(1, Number(opt('runs', 5)));
const JSON_OUT = process.argv.includes('--json');
const AS_OF = '2026-07-01';

if (!existsSync(join(WWW, 'pkg-admin', 'policy_match_bg.wasm'))) {
  console.error('www/pkg-admin is missing: run scripts/build-admin.sh first');
  process.exit(2);
}

let file = opt('file', null);
if (!file) {
  file = join(tmpdir(), `pm-bench-enterprises-${ROWS}.csv`);
  if (!existsSync(file)) {
    const csv = execFileSync('python3', [join(ROOT, 'tests/fixtures/batch/gen_enterprises.py'), String(ROWS)], { cwd: ROOT, maxBuffer: 1 << 30 });
    writeFileSync(file, csv);
  }
}
const size = statSync(file).size;

await benchInBrowser('bench-admin', {}, async ({ server, browser }) => {
  const results = [];
  let longest = 0;
  let longCount = 0;
  const page = await browser.context.newPage();
  const problems = watchProblems(page);
  // Collect long tasks from the start (init scripts run before the page's own).
  await page.addInitScript(() => {
    window.pmLongTasks = [];
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.pmLongTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    } catch { /* unsupported */ }
  });
  await page.goto(`${server.url}admin.html?catalogue=zone&asOf=${AS_OF}`);
  await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
  const supported = await page.evaluate(() => PerformanceObserver.supportedEntryTypes.includes('longtask'));
  for (let i = 0; i < RUNS; i++) {
    const since = await page.evaluate(() => performance.now());
    await page.setInputFiles('#file-input', file);
    await page.waitForSelector('body[data-state="imported"]', { timeout: 120_000 });
    await page.click('#run');
    await page.waitForSelector('body[data-state="done"]', { timeout: 300_000 });
    const r = await page.evaluate((t) => ({
      timings: window.pmTimings,
      longTasks: window.pmLongTasks.filter((x) => x.start >= t),
      counts: document.querySelector('#row-counts')?.textContent ?? '',
    }), since);
    const maxTask = Math.max(0, ...r.longTasks.map((x) => x.duration));
    longest = Math.max(longest, maxTask);
    longCount += r.longTasks.length;
    results.push({ import: r.timings.import, run: r.timings.run, total: r.timings.import + r.timings.run, maxTask });
    if (!JSON_OUT) {
      console.log(`run ${i + 1}: import ${r.timings.import.toFixed(0)} ms + match ${r.timings.run.toFixed(0)} ms = ${(r.timings.import + r.timings.run).toFixed(0)} ms; long tasks ${r.longTasks.length} (longest ${maxTask.toFixed(0)} ms)`);
    }
  }
  if (problems.length) console.error(`page problems:\n  ${problems.join('\n  ')}`);
  const policies = await page.$$eval('#summary-table tbody tr', (rows) => rows.length);
  const summary = {
    rows: ROWS,
    file_bytes: size,
    policies,
    runs: RUNS,
    median_import_ms: Math.round(median(results.map((r) => r.import))),
    median_match_ms: Math.round(median(results.map((r) => r.run))),
    median_total_ms: Math.round(median(results.map((r) => r.total))),
    evaluations_per_second: Math.round((ROWS * policies) / (median(results.map((r) => r.run)) / 1000)),
    longtask_supported: supported,
    long_tasks: longCount,
    longest_task_ms: Math.round(longest),
    chromium: browser.context.browser()?.version() ?? '',
  };
  if (JSON_OUT) console.log(JSON.stringify(summary, null, 2));
  else {
    console.log(`median over ${RUNS} runs, ${ROWS} rows × ${policies} policies (${(size / 1048576).toFixed(1)} MiB): import ${summary.median_import_ms} ms + match ${summary.median_match_ms} ms = ${summary.median_total_ms} ms (target ≤ 3000 ms)`);
    console.log(`main thread: ${longCount} long task(s) over 50 ms during the runs; longest ${summary.longest_task_ms} ms (target ≤ 100 ms; longtask observer ${supported ? 'supported' : 'NOT supported'})`);
  }
});
