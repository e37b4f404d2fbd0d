#!/usr/bin/env node
// Embed start-up benchmark (not a test): time from the <script> of
// policy-match.js to `policy-match-ready` with the national catalogue, on
// www/embed.html served from localhost, in headless Debian Chromium. Each
// sample is a fresh page load (the server sends no-cache); prints medians.
//
//   node scripts/bench-embed.mjs [--loads N] [--page embed.html] [--dist]
//   (--dist: serve dist/ from scripts/dist.sh and load its index.html: the
//   one-file module with the glue and CSS bundled, and a wasm preload)
//
// Reported per load (ms):
//   script→ready  from the start of the policy-match.js request (its resource
//                 timing entry) to the ready event — the measure;
//   nav→ready     from navigation start to the ready event (includes the HTML);
//   wasm          the wasm's fetch (resource timing, start → responseEnd);
//   script→fetches  until the wasm, catalogue and CSS requests start (module + glue);
//   last response→ready  compile and instantiate the wasm, compile the catalogue, evaluate, render;
// and, on one page, the JS API's evaluate() per call with national + zone: the same catalogues each
// call (kept compiled from the call before) and alternating with the same catalogues written as another
// text (compiled every call).
// Needs the wasm bundle (scripts/build-wasm.sh). JSON on stdout, progress on stderr.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, WWW, benchInBrowser, median, option as opt, watchProblems } from './browser.mjs';

const loads = Number(opt('loads', 15));
const dist = process.argv.includes('--dist');
const pagePath = opt('page', dist ? 'index.html' : 'embed.html');
const root = dist ? join(ROOT, 'dist') : WWW;

if (dist && !existsSync(join(root, 'policy_match_bg.wasm'))) {
  console.error('bench-embed: dist/ is missing: run scripts/dist.sh first');
  process.exit(1);
}
if (!existsSync(join(WWW, 'pkg', 'policy_match_bg.wasm'))) {
  console.error('bench-embed: www/pkg is missing: run scripts/build-wasm.sh first');
  process.exit(1);
}

await benchInBrowser('bench-embed', { root }, async ({ server, browser }) => {
  const samples = [];
  // One warm-up load (first-time process start-up, font loading), not counted.
  for (let i = 0; i <= loads; i++) {
    const page = await browser.context.newPage();
    const problems = watchProblems(page);
    await page.addInitScript(() => {
      document.addEventListener('policy-match-ready', () => { window.__pmReadyAt = performance.now(); }, { once: true });
    });
    await page.goto(`${server.url}${pagePath}`);
    await page.waitForFunction(() => window.__pmReadyAt !== undefined, null, { timeout: 30_000 });
    const t = await page.evaluate(() => {
      const entry = (suffix) => performance.getEntriesByType('resource').find((e) => e.name.endsWith(suffix));
      const script = entry('/policy-match.js');
      const wasm = entry('/policy_match_bg.wasm');
      const fetchedAll = Math.max(...performance.getEntriesByType('resource').map((e) => e.responseEnd));
      return {
        scriptToReady: window.__pmReadyAt - script.startTime,
        navToReady: window.__pmReadyAt,
        wasmFetch: wasm ? wasm.responseEnd - wasm.startTime : null,
        afterFetches: window.__pmReadyAt - fetchedAll,
        scriptEnd: script.responseEnd - script.startTime,
        fetchesStart: Math.min(...performance.getEntriesByType('resource').filter((e) => /wasm|catalogues|widget\.css/.test(e.name)).map((e) => e.startTime)) - script.startTime,
      };
    });
    if (problems.length) throw new Error(problems.join('\n'));
    if (i > 0) samples.push(t);
    console.error(`  load ${String(i).padStart(2)}${i === 0 ? ' (warm-up)' : ''}: script→ready ${t.scriptToReady.toFixed(1)} ms, nav→ready ${t.navToReady.toFixed(1)} ms`);
    await page.close();
  }
  const page = await browser.context.newPage();
  await page.goto(`${server.url}${pagePath}`);
  const evaluate = await page.evaluate(async () => {
    const { evaluate } = await import('./policy-match.js');
    const get = async (f) => (await fetch(`catalogues/${f}`)).json();
    const [nat, zone] = [await get('cn-national-2026.json'), await get('example-zone.json')];
    const profile = { employees_total_2025: 120, operating_revenue_2025_cny: 30000000, registration_city: '杭州市' };
    const perCall = async (sets) => {
      const rounds = [];
      for (let r = 0; r < 7; r++) {
        const t = performance.now();
        for (let i = 0; i < 20; i++) await evaluate(sets[i % sets.length], profile, '2026-07-01');
        rounds.push((performance.now() - t) / 20);
      }
      return rounds.sort((a, b) => a - b)[3];
    };
    // The same catalogues as a text with a space at its end: compiled again, the same work.
    const spaced = [`${JSON.stringify(nat)} `, zone];
    await perCall([[nat, zone]]);
    return { same_catalogues: await perCall([[nat, zone]]), alternating: await perCall([[nat, zone], spaced]) };
  });
  await page.close();
  const results = {
    page: dist ? `dist/${pagePath}` : pagePath,
    loads,
    chromium: browser.context.browser()?.version() ?? null,
    median_ms: {
      script_to_ready: Number(median(samples.map((s) => s.scriptToReady)).toFixed(1)),
      nav_to_ready: Number(median(samples.map((s) => s.navToReady)).toFixed(1)),
      wasm_fetch: Number(median(samples.map((s) => s.wasmFetch ?? 0)).toFixed(1)),
      // From the script's request to the first request of wasm/catalogue/CSS (module + glue load).
      script_to_fetches: Number(median(samples.map((s) => s.fetchesStart)).toFixed(1)),
      // From the last response to ready: wasm compile/instantiate, catalogue compile, evaluate, render.
      last_response_to_ready: Number(median(samples.map((s) => s.afterFetches)).toFixed(1)),
    },
    // evaluate() per call (median of 7 rounds of 20 calls).
    evaluate_ms: { same_catalogues: Number(evaluate.same_catalogues.toFixed(2)), alternating_catalogues: Number(evaluate.alternating.toFixed(2)) },
    min_ms: { script_to_ready: Number(Math.min(...samples.map((s) => s.scriptToReady)).toFixed(1)) },
    max_ms: { script_to_ready: Number(Math.max(...samples.map((s) => s.scriptToReady)).toFixed(1)) },
    target_ms: 250,
  };
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  console.error(`bench-embed: median script→ready ${results.median_ms.script_to_ready} ms (target ≤ 250 ms), nav→ready ${results.median_ms.nav_to_ready} ms over ${loads} loads; evaluate() ${results.evaluate_ms.same_catalogues} ms a call with the same catalogues, ${results.evaluate_ms.alternating_catalogues} ms alternating`);
});
