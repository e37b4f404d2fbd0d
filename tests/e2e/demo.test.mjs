// End-to-end: the demo page (www/index.html) in headless Chromium via
// playwright-core, served with the strict CSP by scripts/serve.mjs.
// Needs the wasm bundle in www/pkg (scripts/build-wasm.sh). Run: node --test tests/e2e/
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, WWW, launchChromium, startServer, watchProblems } from '../../scripts/browser.mjs';

const OUT = join(ROOT, 'test-output');
mkdirSync(OUT, { recursive: true });

const readCatalogue = (rel) => JSON.parse(readFileSync(join(WWW, rel), 'utf8'));
const DEMO = readCatalogue('catalogues/demo.json');

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(query = '') {
  const page = await browser.context.newPage();
  // The page tries catalogues/cn-national-2026.json first and falls back to
  // demo.json: that optional file's 404 is expected while it does not exist.
  const problems = watchProblems(page, (text, url) => /404/.test(text) && /cn-national-2026\.json$/.test(url));
  const res = await page.goto(`${server.url}index.html${query}`);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-security-policy'] ?? '', /script-src 'self' 'wasm-unsafe-eval'/);
  await page.waitForSelector('body[data-state]', { timeout: 15_000 });
  return { page, problems };
}

async function titles(page) {
  await page.waitForSelector('.pm-policy-list .pm-title', { timeout: 10_000 });
  return page.locator('.pm-policy-list .pm-title').allTextContents();
}

describe('demo page', () => {
  test('lists the policy titles of the catalogue it loaded (default language zh-CN)', async () => {
    const { page, problems } = await open('?lang=zh-CN');
    assert.equal(await page.getAttribute('body', 'data-state'), 'ready', await page.textContent('body'));
    const url = await page.getAttribute('body', 'data-catalogue');
    assert.ok(['catalogues/cn-national-2026.json', 'catalogues/demo.json'].includes(url), url);
    const cat = readCatalogue(url);
    assert.deepEqual(await titles(page), cat.policies.map((p) => p.title.zh));
    assert.equal(await page.textContent('#catalogue-title'), cat.title.zh);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await page.locator('[role=alert]').count(), 0);
    await page.screenshot({ path: join(OUT, 'demo-zh.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('demo catalogue in English, then switched to Chinese with the language buttons', async () => {
    const { page, problems } = await open('?catalogue=demo&lang=en');
    assert.equal(await page.getAttribute('body', 'data-catalogue'), 'catalogues/demo.json');
    assert.equal(DEMO.policies.length, 3);
    assert.deepEqual(await titles(page), DEMO.policies.map((p) => p.title.en));
    assert.equal(await page.textContent('#catalogue-title'), DEMO.title.en);
    await page.screenshot({ path: join(OUT, 'demo-en.png'), fullPage: true });

    await page.click('.lang-switch button[data-lang="zh-CN"]');
    await page.waitForFunction(
      (first) => document.querySelector('.pm-title')?.textContent === first,
      DEMO.policies[0].title.zh,
      { timeout: 5_000 },
    );
    assert.deepEqual(await titles(page), DEMO.policies.map((p) => p.title.zh));
    assert.equal(await page.getAttribute('.lang-switch button[data-lang="zh-CN"]', 'aria-pressed'), 'true');
    assert.match(page.url(), /lang=zh-CN/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a malformed catalogue shows its errors (role=alert) with policy and line:column', async () => {
    const page = await browser.context.newPage();
    const bad = JSON.stringify(DEMO, null, 2).replace('"var": "employees"', '"var": "staff_count"');
    await page.route(/catalogues\/cn-national-2026\.json$/, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: bad }));
    await page.goto(`${server.url}index.html?lang=en`);
    const alert = page.locator('.pm-error[role=alert]');
    await alert.waitFor({ timeout: 15_000 });
    const text = await alert.textContent();
    assert.match(text, /policy `small_low_profit`/);
    assert.match(text, /catalogue\.json:\d+:\d+/);
    assert.match(text, /staff_count/);
    assert.equal(await page.locator('.pm-title').count(), 0);
    await page.screenshot({ path: join(OUT, 'demo-error.png'), fullPage: true });
    await page.close();
  });

  test('a missing catalogue shows a load error instead of hanging', async () => {
    const { page } = await open('?catalogue=does-not-exist');
    assert.equal(await page.getAttribute('body', 'data-state'), 'error');
    assert.match(await page.textContent('#status'), /does-not-exist\.json: HTTP 404/);
    await page.close();
  });
});
