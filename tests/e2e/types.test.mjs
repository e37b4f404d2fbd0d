// The TypeScript declarations (www/policy-match.d.ts) against what the
// element really gives: real event details, evaluate() and checkCatalogue()
// results from headless Chromium are written out as typed constants and
// type-checked with tsc --strict, together with tests/types/usage.ts (the
// documented usage). A field the .d.ts names wrongly, a missing union member
// or a wrong type fails here. Output: test-output/types/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from '../../scripts/browser.mjs';
import { outDir, readJson, serverAndBrowser } from './harness.mjs';

const OUT = outDir('types');
const DEMO = readJson('www/catalogues/demo.json');
// A software SME that qualifies for several national policies, with benefits and a take-higher conflict.
const SME = readJson('tests/cases/profiles/software_sme_hnte.json').cases[0].profile;

const { server, browser } = serverAndBrowser();

test('real event details and API results type-check against policy-match.d.ts', async () => {
  const page = await browser.context.newPage();
  await page.addInitScript(() => {
    window.__events = [];
    for (const t of ['policy-match-ready', 'policy-match-change', 'policy-match-apply', 'policy-match-error']) {
      document.addEventListener(t, (e) => { window.__events.push({ type: t, detail: e.detail }); if (t === 'policy-match-apply') e.preventDefault(); });
    }
  });
  await page.goto(`${server.url}embed.html`);
  const count = (t) => page.evaluate((x) => window.__events.filter((e) => e.type === x).length, t);
  const waitFor = (t, n) => page.waitForFunction(([x, k]) => window.__events.filter((e) => e.type === x).length >= k, [t, n], { timeout: 15_000 });
  await waitFor('policy-match-ready', 1);
  // A rich profile: verdicts of all three kinds, benefits, near misses, conflicts.
  const changes = await count('policy-match-change');
  await page.evaluate((p) => { document.querySelector('#widget').profile = p; }, SME);
  await waitFor('policy-match-change', changes + 1);
  // Apply on the first qualifying policy with an application link (cancelled by the listener).
  const applyId = await page.evaluate(() => document.querySelector('#widget').results.find((r) => r.verdict === 'qualifies' && document.querySelector('#widget').shadowRoot.querySelector(`[data-policy="${r.policy}"] a.pm-btn-link`))?.policy);
  assert.ok(applyId, 'a qualifying policy with an apply link');
  await page.locator(`#widget [data-policy="${applyId}"] a.pm-btn-link`).click();
  await waitFor('policy-match-apply', 1);
  // Errors: a schema mistake and a 404.
  await page.evaluate((demo) => { document.querySelector('#widget').catalogues = [{ ...demo, colour: 'red' }]; }, DEMO);
  await waitFor('policy-match-error', 1);
  await page.evaluate(() => { const w = document.querySelector('#widget'); w.catalogues = null; w.setAttribute('catalogue', 'catalogues/missing.json'); });
  await waitFor('policy-match-error', 2);
  // Browse mode's ready.
  await page.evaluate(() => { const w = document.querySelector('#widget'); w.setAttribute('catalogue', 'catalogues/cn-national-2026.json'); w.setAttribute('mode', 'browse'); });
  await waitFor('policy-match-ready', 2);
  const api = await page.evaluate(async ([demo, sme]) => {
    const { evaluate, checkCatalogue } = await import('./policy-match.js');
    const national = await (await fetch('catalogues/cn-national-2026.json')).json();
    const bad = structuredClone(demo);
    bad.policies[0].colour = 'red';
    return {
      evaluated: await evaluate([national], { ...sme, not_a_field: 1, employees_2025: 'many' }, { asOf: '2026-07-01', explain: ['*'] }),
      checked: await checkCatalogue([bad], '2026-07-01'),
      checkedOk: await checkCatalogue(demo, '2030-01-01'),
    };
  }, [DEMO, SME]);
  const events = await page.evaluate(() => window.__events);
  await page.close();

  const kinds = new Set(events.map((e) => e.type));
  assert.deepEqual([...kinds].sort(), ['policy-match-apply', 'policy-match-change', 'policy-match-error', 'policy-match-ready']);
  assert.ok(api.evaluated.issues.length >= 1 && api.checked.errors.length >= 1, 'issues and errors to type-check');
  const TYPE = { 'policy-match-ready': 'ReadyDetail', 'policy-match-change': 'ChangeDetail', 'policy-match-apply': 'ApplyDetail', 'policy-match-error': 'ErrorDetail' };
  const lines = ["import type { ReadyDetail, ChangeDetail, ApplyDetail, ErrorDetail, EvaluateResult, CheckResult } from '../../www/policy-match.js';"];
  events.forEach((e, i) => lines.push(`export const event${i}: ${TYPE[e.type]} = ${JSON.stringify(e.detail)};`));
  lines.push(`export const evaluated: EvaluateResult = ${JSON.stringify(api.evaluated)};`);
  lines.push(`export const checked: CheckResult = ${JSON.stringify(api.checked)};`);
  lines.push(`export const checkedOk: CheckResult = ${JSON.stringify(api.checkedOk)};`);
  const samples = join(OUT, 'samples.ts');
  writeFileSync(samples, `${lines.join('\n')}\n`);

  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const args = [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--lib', 'es2022,dom', '--skipLibCheck', 'false',
    samples, join(ROOT, 'tests', 'types', 'usage.ts')];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `tsc found type errors:\n${r.stdout}${r.stderr}`);
});
