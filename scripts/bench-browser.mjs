#!/usr/bin/env node
// Browser benchmark (not a test): serves www/, opens bench.html in headless
// Debian Chromium via playwright-core and prints the results JSON on stdout.
//
//   node scripts/bench-browser.mjs [--samples N] [--scale X] [--timeout SECONDS]
//
// Needs the wasm bundle (scripts/build-wasm.sh) and the npm dev packages
// (npm ci). Progress goes to stderr, so `> results.json` keeps clean JSON.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WWW, benchInBrowser, option as opt, watchProblems } from './browser.mjs';

const scale = Number(opt('scale', 1));
const samples = Number(opt('samples', 15));
const timeoutMs = Number(opt('timeout', 300)) * 1000;

if (!existsSync(join(WWW, 'pkg-bench', 'policy_match_bg.wasm'))) {
  console.error('bench-browser: www/pkg-bench is missing: run scripts/build-bench.sh first');
  process.exit(1);
}

await benchInBrowser('bench-browser', {}, async ({ server, browser }) => {
  const page = await browser.context.newPage();
  const problems = watchProblems(page);
  const url = `${server.url}bench.html?scale=${scale}&samples=${samples}`;
  console.error(`bench-browser: ${url}`);
  await page.goto(url);
  await page.waitForSelector('body[data-state]', { timeout: timeoutMs });
  const results = await page.evaluate(() => window.benchResults);
  results.chromium = browser.context.browser()?.version() ?? null;
  if (problems.length) results.problems = problems;
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  for (const [name, r] of Object.entries(results.benchmarks ?? {})) {
    const what = `median ${r.median_ns} ns${r.note ? ` (${r.note})` : ''}`;
    console.error(`  ${name.padEnd(40)} ${what}`);
  }
  return results.error ? 1 : 0;
});
