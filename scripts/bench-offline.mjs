#!/usr/bin/env node
// Offline-file start-up benchmark (not a test).
// Median time from navigation start to policy-match-ready (and to the first
// card on screen) of the offline file opened from file://, network aborted.
// Usage: node scripts/bench-offline.mjs [FILE] [RUNS]
import { chromium } from 'playwright-core';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM_ARGS } from './browser.mjs';
const file = pathToFileURL(resolve(process.argv[2] ?? 'dist/policy-match-offline.html')).href;
const runs = Number(process.argv[3] ?? 7);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
const ready = [], dcl = [];
for (let i = 0; i < runs; i++) {
  const ctx = await b.newContext({ viewport: { width: 1366, height: 768 } });
  await ctx.route('**/*', (r) => (/^(file|data|blob):/.test(r.request().url()) ? r.continue() : r.abort()));
  const page = await ctx.newPage();
  await page.addInitScript(() => document.addEventListener('policy-match-ready', () => { window.__ready = performance.now(); }));
  await page.goto(file);
  await page.waitForFunction(() => window.__ready);
  ready.push(await page.evaluate(() => window.__ready));
  dcl.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd));
  await ctx.close();
}
await b.close();
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`runs ${runs}: ready ms ${ready.map((x) => x.toFixed(0)).join(' ')} → median ${med(ready).toFixed(0)} ms; DOMContentLoaded median ${med(dcl).toFixed(0)} ms`);
