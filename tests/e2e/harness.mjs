// What the Playwright test files (tests/e2e/*.test.mjs) share: one static
// server and one Chromium per file, the repository's JSON files, and the
// axe-core accessibility check. Built on scripts/browser.mjs, which the
// benchmark scripts use too.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS, ROOT, launchChromium, startServer } from '../../scripts/browser.mjs';

/** A JSON file of the repository, by its path from the root. */
export const readJson = (rel) => JSON.parse(readFileSync(join(ROOT, rel), 'utf8'));

/** test-output/SUB (created): where a test file writes screenshots and reports. */
export function outDir(sub) {
  const dir = join(ROOT, 'test-output', sub);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** axe-core's source, to `page.evaluate` into a page before `axe.run`. */
export const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Start the www/ server and launch Chromium before the file's tests, and stop
 * both after them. Returns `{ server, browser }` at once, as objects that the
 * `before` hook fills in (`server.url`, `browser.context`, ...), so that test
 * code can name them directly. Call it at the top level of a test file.
 */
export function serverAndBrowser() {
  const server = {};
  const browser = {};
  before(async () => {
    Object.assign(server, await startServer());
    Object.assign(browser, await launchChromium());
  });
  after(async () => {
    await browser.close?.();
    await server.stop?.();
  });
  return { server, browser };
}

/**
 * axe-core on the current page with the WCAG 2.1 A/AA rules: no serious or
 * critical violations. Every violation found is written to `file` (JSON).
 */
export async function assertAccessible(page, file, what) {
  await page.evaluate(AXE);
  const res = await page.evaluate(() => globalThis.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  writeFileSync(file, JSON.stringify(res.violations, null, 2));
  assert.deepEqual(bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`), [], `axe on ${what}`);
}

/**
 * Like `serverAndBrowser`, for a phone: the www/ server and a Chromium whose
 * pages are a 360×740 touch screen at 2× (`isMobile`, `hasTouch`: a coarse
 * pointer without hover, as in WeChat's browser on Android), in zh-CN.
 * `phone.newPage()` opens a page in a fresh context (its own storage).
 */
export function serverAndPhone() {
  const server = {};
  const phone = {};
  before(async () => {
    Object.assign(server, await startServer());
    const { chromium } = await import('playwright-core');
    const b = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    phone.newPage = async () => (await b.newContext({
      viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN',
    })).newPage();
    phone.close = () => b.close();
  });
  after(async () => {
    await phone.close?.();
    await server.stop?.();
  });
  return { server, phone };
}
