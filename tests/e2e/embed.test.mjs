// End-to-end: <policy-match> embedded in host pages, in headless Chromium via
// playwright-core. Needs the wasm bundle in www/pkg (scripts/build-wasm.sh);
// the offline test builds dist/ from it (scripts/dist.sh --no-build).
//
// - the legacy page (hostile global CSS) renders the widget pixel-identically
//   to a clean page, before and after answering a question;
// - strict CSP (style-src 'self', no 'unsafe-inline'): no violation reported
//   (and a planted inline style IS reported, so the listener works);
// - the offline single file works from file:// with no request but itself;
// - events: ready / change with the documented detail, apply cancelable (and
//   opening the link when not cancelled), error with details;
// - network: only the page's own files and the catalogue URL;
// - two widgets with different catalogues and languages do not interfere;
// - malicious catalogue text renders as text and runs nothing;
// - moving the element keeps its state, removing it frees it; attributes and
//   properties update the live widget; mount()/evaluate().
// Screenshots go to test-output/e2e/embed-*.png.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM, CHROMIUM_ARGS, ROOT, startServer, watchProblems } from '../../scripts/browser.mjs';
import { AXE, outDir, readJson, serverAndBrowser } from './harness.mjs';
import { decodePng, diffRatio } from './png.mjs';

const OUT = outDir('e2e');
const NATIONAL = readJson('www/catalogues/cn-national-2026.json');
const ZONE = readJson('www/catalogues/example-zone.json');
const DEMO = readJson('www/catalogues/demo.json');

const { server, browser } = serverAndBrowser();

/** Record the widget events of a page (from the document, as a host would). */
const RECORD_EVENTS = () => {
  window.__events = [];
  for (const t of ['policy-match-ready', 'policy-match-change', 'policy-match-apply', 'policy-match-error']) {
    document.addEventListener(t, (e) => window.__events.push({ type: t, target: e.target.id, detail: e.detail, cancelable: e.cancelable, composed: e.composed, bubbles: e.bubbles }));
  }
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`));
};

/** Open a host page; resolves when `policy-match-ready` arrived. */
async function open(path, { width = 1000, height = 900 } = {}) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height });
  const problems = watchProblems(page);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.addInitScript(RECORD_EVENTS);
  const res = await page.goto(path.includes('://') ? path : `${server.url}${path}`);
  await waitEvent(page, 'policy-match-ready');
  return { page, problems, requests, res };
}

const events = (page, type) => page.evaluate((t) => window.__events.filter((e) => !t || e.type === t), type);
const waitEvent = (page, type, count = 1) => page.waitForFunction(([t, n]) => window.__events.filter((e) => e.type === t).length >= n, [type, count], { timeout: 15_000 });

/** A screenshot of the top of the widget (same size on every page). */
async function widgetShot(page, name, selector = '#widget') {
  const box = await page.locator(selector).boundingBox(); // relative to the viewport
  const [sx, sy] = await page.evaluate(() => [scrollX, scrollY]);
  const buf = await page.screenshot({ clip: { x: box.x + sx, y: box.y + sy, width: box.width, height: Math.min(box.height, 1400) }, fullPage: true });
  writeFileSync(join(OUT, `embed-${name}.png`), buf);
  return decodePng(buf);
}

/** Click an option of the guided question and wait for the change event. */
async function answerGuided(page, option, selector = '#widget') {
  const before = (await events(page, 'policy-match-change')).length;
  await page.locator(`${selector} .pm-guided .pm-option`, { hasText: option }).first().click();
  await waitEvent(page, 'policy-match-change', before + 1);
}

describe('shipped metadata', () => {
  test('custom-elements.json documents every CSS custom property widget.css reads, and the element\'s API', () => {
    const css = readFileSync(join(ROOT, 'www', 'widget.css'), 'utf8');
    const read = new Set([...css.matchAll(/var\((--pm-[a-z-]+)/g)].map((m) => m[1]).filter((n) => n !== '--pm-x'));
    const manifest = readJson('www/custom-elements.json');
    const el = manifest.modules[0].declarations.find((d) => d.tagName === 'policy-match');
    assert.deepEqual(new Set(el.cssProperties.map((p) => p.name)), read);
    assert.deepEqual(el.attributes.map((a) => a.name), ['catalogue', 'lang', 'as-of', 'mode', 'theme']);
    assert.deepEqual(el.events.map((e) => e.name), ['policy-match-ready', 'policy-match-change', 'policy-match-apply', 'policy-match-error']);
    const dts = readFileSync(join(ROOT, 'www', 'policy-match.d.ts'), 'utf8');
    for (const name of ['PolicyMatchElement', 'mount', 'evaluate', 'checkCatalogue', ...el.events.map((e) => e.name)]) assert.ok(dts.includes(name), name);
    const js = readFileSync(join(ROOT, 'www', 'policy-match.js'), 'utf8');
    assert.match(js, /observedAttributes = \['catalogue', 'lang', 'as-of', 'mode', 'theme'\]/);
    // Every property the manifest names (members, and an attribute's fieldName) exists on the element.
    for (const name of [...el.members.map((m) => m.name), ...el.attributes.map((a) => a.fieldName).filter(Boolean)]) {
      assert.match(js, new RegExp(`^  get ${name}\\(\\)`, 'm'), `property ${name}`);
    }
  });
});

describe('style isolation', () => {
  test('the legacy page renders the widget exactly like a clean page', async () => {
    const clean = await open('embed.html');
    const legacy = await open('embed-legacy.html');
    // The host CSS is really hostile (else the comparison proves nothing).
    const hostButton = await legacy.page.evaluate(() => {
      const b = document.querySelector('.main-col button');
      const s = getComputedStyle(b);
      return { width: s.width, font: s.fontFamily, sizing: s.boxSizing, float: s.float };
    });
    assert.equal(hostButton.width, '300px');
    assert.equal(hostButton.float, 'left');
    assert.equal(hostButton.sizing, 'content-box');
    const a = await widgetShot(clean.page, 'clean');
    const b = await widgetShot(legacy.page, 'legacy');
    assert.equal(a.width, 428, 'both sidebars give the widget 428 px');
    const d = diffRatio(a, b);
    assert.ok(d < 0.002, `widget differs on ${(d * 100).toFixed(3)}% of pixels (see test-output/e2e/embed-clean.png, embed-legacy.png)`);
    // After the same answer, still the same.
    await answerGuided(clean.page, '企业（公司）');
    await answerGuided(legacy.page, '企业（公司）');
    const a2 = await widgetShot(clean.page, 'clean-answered');
    const b2 = await widgetShot(legacy.page, 'legacy-answered');
    const d2 = diffRatio(a2, b2);
    assert.ok(d2 < 0.002, `after answering, widget differs on ${(d2 * 100).toFixed(3)}% of pixels`);
    assert.ok(diffRatio(a, a2) > 0.01, 'answering changed the picture (the comparison can see a difference)');
    for (const p of [clean, legacy]) {
      assert.deepEqual(p.problems, []);
      await p.page.close();
    }
  });

  test('nothing outside the element is touched: no global, no style, no DOM', async () => {
    const before = await browser.context.newPage();
    await before.goto(`${server.url}embed-host.css`);
    await before.close();
    const { page } = await open('embed.html');
    const outside = await page.evaluate(() => ({
      styles: document.querySelectorAll('style').length,
      sheets: document.styleSheets.length,
      adopted: document.adoptedStyleSheets.length,
      bodyChildren: [...document.body.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()).filter((t) => !['div', 'main', 'aside', 'h1', 'p', 'code', 'policy-match'].includes(t)),
      shadowSheets: document.querySelector('#widget').shadowRoot.adoptedStyleSheets.length,
      globals: Object.keys(window).filter((k) => /pm|policy|wasm|yew/i.test(k) && !k.startsWith('__') && !k.startsWith('on')),
    }));
    assert.deepEqual(outside, { styles: 0, sheets: 1, adopted: 0, bodyChildren: [], shadowSheets: 1, globals: [] });
    await page.close();
  });

  test('the legacy portal\'s 428 px sidebar, dark theme: a unit beside its box, nothing wider than the widget, AA contrast; printed in light colours', async () => {
    const { page, problems } = await open('embed-legacy.html', { width: 1280 });
    // Answers up to the HNTE innovation score (a figure in points), as a portal would set them.
    const c = JSON.parse(readFileSync(join(ROOT, 'tests/cases/profiles/software_sme_hnte.json'), 'utf8')).cases[0].profile;
    const cert = new Set(NATIONAL.fields.filter((f) => f.section === 'certification').map((f) => f.name));
    const profile = Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'id' && !cert.has(k)));
    await page.evaluate((p) => { const w = document.querySelector('#widget'); w.setAttribute('theme', 'dark'); w.profile = p; }, profile);
    await page.locator('#widget .pm-guided .pm-suffix').waitFor();
    await page.locator('#widget .pm-guided').scrollIntoViewIfNeeded();
    await widgetShot(page, 'legacy-dark-number');
    const m = await page.evaluate(() => {
      const host = document.querySelector('#widget');
      const root = host.shadowRoot;
      const box = (sel) => root.querySelector(`.pm-guided ${sel}`).getBoundingClientRect().toJSON();
      const edge = host.getBoundingClientRect().right;
      const out = [...root.querySelectorAll('.pm-root *')].filter((e) => !e.closest('.pm-sr-only, .pm-skip-link, .pm-file-input') && e.getBoundingClientRect().right > edge + 0.5)
        .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`);
      return { width: host.getBoundingClientRect().width, input: box('input.pm-input'), suffix: box('.pm-suffix'), out };
    });
    assert.equal(m.width, 428);
    assert.ok(m.suffix.left >= m.input.right && m.suffix.top < m.input.bottom && m.suffix.bottom > m.input.top, `the unit beside the box: ${JSON.stringify(m)}`);
    assert.deepEqual(m.out, [], 'no element wider than the widget');
    await page.evaluate(AXE);
    const axe = await page.evaluate(() => globalThis.axe.run(document.querySelector('#widget'), { runOnly: ['color-contrast'] }));
    assert.deepEqual(axe.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${n.any[0]?.message}`)), [], 'dark theme: AA contrast');
    // Paper is white: printed, the dark theme gives way to the light colours (no pale grey or yellow on white).
    await page.emulateMedia({ media: 'print' });
    const contrast = await page.evaluate(() => {
      const lum = (c) => {
        const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map((v) => { const s = Number(v) / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const root = document.querySelector('#widget').shadowRoot;
      return Object.fromEntries(['.pm-card-meta', '.pm-missing-l', '.pm-card-title'].map((s) => [s, 1.05 / (lum(getComputedStyle(root.querySelector(s)).color) + 0.05)]));
    });
    for (const [sel, ratio] of Object.entries(contrast)) assert.ok(ratio >= 4.5, `${sel} printed at ${ratio.toFixed(2)}:1 on white`);
    await page.emulateMedia({ media: 'screen' });
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('strict CSP', () => {
  test('no violation under style-src \'self\' and script-src \'self\' \'wasm-unsafe-eval\'', async () => {
    const { page, problems, res } = await open('embed-csp.html');
    const csp = res.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.match(csp, /style-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    // The widget is styled (the adopted sheet applies) and works.
    const styled = await page.evaluate(() => {
      const root = document.querySelector('#widget').shadowRoot.querySelector('.pm-root');
      return { font: getComputedStyle(root).fontSize, display: getComputedStyle(document.querySelector('#widget')).display };
    });
    assert.deepEqual(styled, { font: '16px', display: 'block' });
    await answerGuided(page, /^Company/);
    await page.locator('#widget .pm-why-btn').first().click();
    await page.locator('#widget .pm-card-details').first().waitFor();
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.deepEqual(problems, []);
    // The listener does see violations: an inline style attribute is refused.
    await page.evaluate(() => { const d = document.createElement('div'); d.setAttribute('style', 'color: red'); document.body.append(d); });
    await page.waitForFunction(() => window.__violations.length > 0);
    assert.match((await page.evaluate(() => window.__violations))[0], /style-src/);
    await page.close();
  });
});

describe('offline single file', () => {
  test('dist/policy-match-offline.html works from file:// with no network', async () => {
    execFileSync('bash', [join(ROOT, 'scripts', 'dist.sh'), '--no-build'], { stdio: 'pipe' });
    const file = join(ROOT, 'dist', 'policy-match-offline.html');
    assert.ok(existsSync(file));
    const html = readFileSync(file, 'utf8');
    const markup = html.slice(0, html.indexOf('<script type="module">')) + html.slice(html.lastIndexOf('</script>'));
    assert.equal(html.split('</script>').length, 2, 'one inline module script');
    assert.ok(!/src=|<link[^>]+stylesheet|@import/i.test(markup), 'no external script or stylesheet');
    const page = await browser.context.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    const problems = watchProblems(page);
    await page.addInitScript(RECORD_EVENTS);
    await page.goto(pathToFileURL(file).href);
    await waitEvent(page, 'policy-match-ready');
    const [ready] = await events(page, 'policy-match-ready');
    assert.equal(ready.detail.results.length, NATIONAL.policies.length);
    assert.equal(await page.locator('#widget .pm-card').count(), NATIONAL.policies.length);
    await answerGuided(page, /企业（公司）|^Company/);
    assert.deepEqual(requests.filter((u) => !u.startsWith('file://') && !u.startsWith('data:')), []);
    assert.equal(requests.filter((u) => u.startsWith('file://')).length, 1, requests.join('\n'));
    assert.deepEqual(problems, []);
    await widgetShot(page, 'offline');
    await page.close();
  });
});

/**
 * Open an offline file from file:// with every non-file request aborted (and
 * recorded); resolves when `policy-match-ready` arrived.
 */
async function openOffline(url, context = browser.context) {
  const page = await context.newPage();
  const requests = [];
  await page.route('**/*', (r) => {
    requests.push(r.request().url());
    return /^(file|data|blob):/.test(r.request().url()) ? r.continue() : r.abort();
  });
  const problems = watchProblems(page);
  await page.addInitScript(RECORD_EVENTS);
  await page.goto(url);
  await waitEvent(page, 'policy-match-ready');
  return { page, problems, offNetwork: () => requests.filter((u) => !/^(file|data|blob):/.test(u)) };
}

/** The page's own visible text, outside the widget's shadow root. */
const pageText = (page) => page.evaluate(() => document.body.innerText);

describe('offline file, as a presenter uses it', () => {
  const OFFLINE = pathToFileURL(join(ROOT, 'dist', 'policy-match-offline.html')).href;
  before(() => execFileSync('bash', [join(ROOT, 'scripts', 'dist.sh'), '--no-build'], { stdio: 'pipe' }));

  test('says what it is: offline, which catalogue, its version and date, in the widget\'s language', async () => {
    const { page, problems, offNetwork } = await openOffline(OFFLINE);
    let text = await pageText(page);
    for (const s of [NATIONAL.title.zh, NATIONAL.version, NATIONAL.updated, '离线']) assert.ok(text.includes(s), `page text lacks ${s}:\n${text}`);
    assert.ok(!text.includes(NATIONAL.title.en), 'one language at a time');
    assert.match(await page.title(), /离线/);
    await page.locator('#widget .pm-lang').click();
    await page.waitForFunction(() => document.getElementById('widget').getAttribute('lang') === 'en');
    text = await pageText(page);
    for (const s of [NATIONAL.title.en, NATIONAL.version, NATIONAL.updated]) assert.ok(text.includes(s), `English page text lacks ${s}:\n${text}`);
    assert.match(text, /offline/i);
    assert.ok(!text.includes(NATIONAL.title.zh), text);
    assert.match(await page.title(), /offline/i);
    assert.deepEqual(offNetwork(), []);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('in a browser that cannot run it (JavaScript off, IE mode), the file says what to use instead', async () => {
    const { chromium } = await import('playwright-core');
    const b = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await (await b.newContext({ javaScriptEnabled: false })).newPage();
      await page.goto(OFFLINE);
      // Not at once (a normal start must not flash it), but it comes.
      assert.doesNotMatch(await pageText(page), /Internet Explorer/);
      await page.getByText('Internet Explorer').waitFor({ state: 'visible', timeout: 10_000 });
      const text = await pageText(page);
      assert.ok(text.includes(NATIONAL.title.zh), text);
      assert.match(text, /浏览器/);
      assert.match(text, /browser/i);
    } finally {
      await b.close();
    }
    // Where it runs, the notice is not shown.
    const { page } = await openOffline(OFFLINE);
    assert.doesNotMatch(await pageText(page), /Internet Explorer/);
    await page.close();
  });

  test('分享链接 on file:// opens with the answers it carries (and the page says it works on this computer only)', async () => {
    const { page, problems, offNetwork } = await openOffline(OFFLINE);
    await answerGuided(page, '企业（公司）');
    const answered = await page.evaluate(() => document.getElementById('widget').profile);
    assert.notDeepEqual(answered, {});
    await page.locator('#widget button', { hasText: '分享链接' }).click();
    const link = await page.locator('#widget .pm-share-link').inputValue();
    assert.ok(link.startsWith(`${OFFLINE}#answers=`), link);
    // The page tells the presenter the link is only good here, and what to use instead.
    assert.match(await pageText(page), /分享链接[^。]*本机[^。]*导出答案/);
    const other = await openOffline(link);
    assert.deepEqual(await other.page.evaluate(() => document.getElementById('widget').profile), answered);
    assert.ok(!other.page.url().includes('#answers='), 'the fragment is taken out of the address bar');
    assert.deepEqual([...offNetwork(), ...other.offNetwork()], []);
    assert.deepEqual([...problems, ...other.problems], []);
    await other.page.close();
    await page.close();
  });

  test('分享链接 on a portal page opens there with the answers it carries; the page\'s own fragments are left alone', async () => {
    const page = await browser.context.newPage();
    const problems = watchProblems(page);
    await page.addInitScript(RECORD_EVENTS);
    await page.goto(`${server.url}embed.html#top`);
    await waitEvent(page, 'policy-match-ready');
    assert.ok(page.url().endsWith('#top'), 'a fragment that is not a share link stays');
    await answerGuided(page, '企业（公司）');
    const answered = await page.evaluate(() => document.getElementById('widget').profile);
    assert.notDeepEqual(answered, {});
    await page.locator('#widget button', { hasText: '分享链接' }).click();
    const link = await page.locator('#widget .pm-share-link').inputValue();
    assert.ok(link.startsWith(`${server.url}embed.html#answers=`), link);
    const other = await browser.context.newPage();
    await other.addInitScript(RECORD_EVENTS);
    await other.goto(link);
    await waitEvent(other, 'policy-match-ready');
    assert.deepEqual(await other.evaluate(() => document.getElementById('widget').profile), answered);
    assert.ok(!other.url().includes('#answers='), 'the fragment is taken out of the address bar');
    assert.deepEqual(problems, []);
    await other.close();
    await page.close();
  });

  test('复制链接 copies the share link, with the clipboard API and on a plain-http portal without it', async () => {
    for (const api of [true, false]) {
      const page = await browser.context.newPage();
      const problems = watchProblems(page);
      await page.addInitScript(RECORD_EVENTS);
      // Record what is copied: through navigator.clipboard, or (where a page served over plain
      // http has none) by execCommand("copy") on the link selected in its box.
      await page.addInitScript((api) => {
        window.__copied = [];
        Object.defineProperty(Navigator.prototype, 'clipboard', {
          configurable: true,
          get: () => (api ? { writeText: async (t) => { window.__copied.push(['clipboard', t]); } } : undefined),
        });
        document.execCommand = (cmd) => {
          const box = document.querySelector('#widget').shadowRoot.querySelector('.pm-share-link');
          window.__copied.push([cmd, box.value.slice(box.selectionStart, box.selectionEnd)]);
          return true;
        };
      }, api);
      await page.goto(`${server.url}embed.html`);
      await waitEvent(page, 'policy-match-ready');
      await page.locator('#widget button', { hasText: '分享链接' }).click();
      const link = await page.locator('#widget .pm-share-link').inputValue();
      assert.match(link, /#answers=/);
      const status = page.locator('#widget .pm-notice[role=status] .pm-notice-text');
      assert.doesNotMatch(await status.innerText(), /已复制/);
      await page.locator('#widget button', { hasText: '复制链接' }).click();
      assert.deepEqual(await page.evaluate(() => window.__copied), [[api ? 'clipboard' : 'copy', link]], api ? 'clipboard API' : 'no clipboard API');
      // Said in the status line (a screen reader hears it), the link still in its box.
      await page.waitForFunction(() => /^链接已复制。/.test(document.querySelector('#widget').shadowRoot.querySelector('.pm-notice-text')?.textContent ?? ''));
      assert.equal(await page.locator('#widget .pm-share-link').inputValue(), link);
      assert.equal(await page.evaluate(() => document.querySelector('#widget').shadowRoot.activeElement?.className), 'pm-input pm-share-link', 'focus on the link, selected');
      assert.deepEqual(problems, []);
      await page.close();
    }
  });

  test('导出答案 downloads a file and 导入答案 reads it back, from file:// with no network', async () => {
    const { page, problems, offNetwork } = await openOffline(OFFLINE);
    await answerGuided(page, '企业（公司）');
    const answered = await page.evaluate(() => document.getElementById('widget').profile);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#widget button', { hasText: '导出答案' }).click()]);
    assert.match(download.suggestedFilename(), /\.json$/);
    const dir = mkdtempSync(join(tmpdir(), 'pm-answers-'));
    const saved = join(dir, download.suggestedFilename());
    await download.saveAs(saved);
    assert.deepEqual(JSON.parse(readFileSync(saved, 'utf8')), answered); // the profile itself
    const other = await openOffline(OFFLINE);
    await other.page.locator('#widget input[type=file]').setInputFiles(saved);
    await other.page.waitForFunction((n) => Object.keys(document.getElementById('widget').profile).length === n, Object.keys(answered).length);
    assert.deepEqual(await other.page.evaluate(() => document.getElementById('widget').profile), answered);
    assert.deepEqual([...offNetwork(), ...other.offNetwork()], []);
    assert.deepEqual([...problems, ...other.problems], []);
    await other.page.close();
    await page.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('载入示例企业: the example company’s answers in one click, again after 全部重填', async () => {
    const { page, problems, offNetwork } = await openOffline(OFFLINE);
    const sample = JSON.parse(readFileSync(join(ROOT, 'tests/cases/profiles/software_sme_hnte.json'), 'utf8')).cases[0].profile;
    const qualifies = () => page.evaluate(() => window.__events.filter((e) => e.type === 'policy-match-change').at(-1)?.detail.summary.qualifies);
    const changes = () => page.evaluate(() => window.__events.filter((e) => e.type === 'policy-match-change').length);
    const loadSample = async () => {
      const before = await changes();
      await page.locator('.about:not([hidden]) .sample').click();
      await page.waitForFunction((n) => window.__events.filter((e) => e.type === 'policy-match-change').length > n, before);
    };
    await loadSample();
    const answers = await page.evaluate(() => document.getElementById('widget').profile);
    assert.deepEqual(Object.keys(answers).sort(), Object.keys(sample).filter((k) => sample[k] !== null).sort());
    assert.ok(await qualifies() >= 8, `the example qualifies for several policies: ${await qualifies()}`);
    // The next visitor: 全部重填, then the example again (the same answers set again still load).
    await page.locator('#widget button', { hasText: '全部重填' }).click();
    await page.locator('#widget .pm-confirm button', { hasText: '清除' }).click();
    await page.waitForFunction(() => Object.keys(document.getElementById('widget').profile).length === 0);
    assert.equal(await qualifies(), 0);
    await loadSample();
    assert.deepEqual(await page.evaluate(() => document.getElementById('widget').profile), answers);
    // In English the button says so too.
    await page.locator('#widget .pm-lang').click();
    assert.match(await page.locator('.about:not([hidden]) .sample').innerText(), /example company/);
    assert.deepEqual(offNetwork(), []);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('在本设备上记住答案 on file:// survives a reload', async () => {
    const { page, problems } = await openOffline(OFFLINE);
    await answerGuided(page, '企业（公司）');
    await page.locator('#widget .pm-remember input').check();
    const answered = await page.evaluate(() => document.getElementById('widget').profile);
    await page.reload();
    await waitEvent(page, 'policy-match-ready');
    assert.deepEqual(await page.evaluate(() => document.getElementById('widget').profile), answered);
    assert.ok(await page.locator('#widget .pm-remember input').isChecked());
    await page.locator('#widget .pm-remember input').uncheck();
    await page.locator('#widget button', { hasText: '全部重填' }).click();
    await page.locator('#widget .pm-confirm button', { hasText: '清除' }).click();
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('two offline files (national; national + zone) remembering answers on one laptop keep each its own', async () => {
    // Chromium gives every file:// page one localStorage: opening the national
    // file must not overwrite (and drop the zone fields of) the zone file's answers.
    const dir = mkdtempSync(join(tmpdir(), 'pm-offline-'));
    const cats = ['cn-national-2026.json', 'example-zone.json'].map((f) => ['--catalogue', join(ROOT, 'www', 'catalogues', f)]).flat();
    try {
      execFileSync('bash', [join(ROOT, 'scripts', 'dist.sh'), '--no-build', ...cats], { stdio: 'pipe' });
      writeFileSync(join(dir, 'zone.html'), readFileSync(join(ROOT, 'dist', 'policy-match-offline.html')));
    } finally {
      execFileSync('bash', [join(ROOT, 'scripts', 'dist.sh'), '--no-build'], { stdio: 'pipe' });
    }
    const ZONE_FILE = pathToFileURL(join(dir, 'zone.html')).href;
    const zoneAnswers = { entity_type: 'company', registered_in_zone: true };
    const zone = await openOffline(ZONE_FILE);
    await zone.page.evaluate((p) => { document.getElementById('widget').profile = p; }, zoneAnswers);
    await zone.page.locator('#widget .pm-remember input').check();
    assert.deepEqual(await zone.page.evaluate(() => document.getElementById('widget').profile), zoneAnswers);
    await zone.page.close();
    const national = await openOffline(OFFLINE);
    await national.page.locator('#widget .pm-remember input').check();
    await answerGuided(national.page, /./); // whichever question comes first
    await national.page.locator('#widget .pm-remember input').uncheck();
    await national.page.close();
    const again = await openOffline(ZONE_FILE);
    assert.deepEqual(await again.page.evaluate(() => document.getElementById('widget').profile), zoneAnswers);
    await again.page.locator('#widget .pm-remember input').uncheck();
    assert.deepEqual([...zone.problems, ...national.problems, ...again.problems], []);
    await again.page.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('scripts/dist.sh --catalogue: national + example zone in one offline file', async () => {
    const [nat, zone] = ['cn-national-2026.json', 'example-zone.json'].map((f) => join(ROOT, 'www', 'catalogues', f));
    try {
      execFileSync('bash', [join(ROOT, 'scripts', 'dist.sh'), '--no-build', '--catalogue', nat, '--catalogue', zone], { stdio: 'pipe' });
      const { page, problems, offNetwork } = await openOffline(OFFLINE);
      const [ready] = await events(page, 'policy-match-ready');
      assert.equal(ready.detail.results.length, NATIONAL.policies.length + ZONE.policies.length);
      const ids = new Set(ready.detail.results.map((r) => r.policy));
      for (const p of [...NATIONAL.policies, ...ZONE.policies]) assert.ok(ids.has(p.id), p.id);
      const text = await pageText(page);
      for (const s of [NATIONAL.title.zh, ZONE.title.zh, ZONE.updated]) assert.ok(text.includes(s), `page text lacks ${s}:\n${text}`);
      assert.ok(!text.includes('评估日期'), 'no --as-of: the widget assesses on the day it is opened');
      assert.deepEqual(offNetwork(), []);
      assert.deepEqual(problems, []);
      await page.close();
      // A file that is not there, or not a catalogue, or a date that is not a day: refused with a message.
      for (const bad of [['--catalogue', join(ROOT, 'no-such.json')], ['--catalogue', join(ROOT, 'package.json')], ['--as-of', '2026-02-30'], ['--as-of', '2026/07/01']]) {
        assert.throws(() => execFileSync('bash', [join(ROOT, 'scripts', 'dist.sh'), '--no-build', ...bad], { stdio: 'pipe' }),
          (e) => /dist: /.test(String(e.stderr)), bad.join(' '));
      }
      // A zone catalogue that does not compile: refused at build time, located in the file given
      // (not an offline file that opens on an error in front of an audience).
      const dir = mkdtempSync(join(tmpdir(), 'pm-badzone-'));
      const zoneText = readFileSync(zone, 'utf8');
      const at = zoneText.indexOf('"registered_in_zone"', zoneText.indexOf('"policies"'));
      assert.ok(at > 0);
      const badZone = join(dir, 'my-zone.json');
      writeFileSync(badZone, `${zoneText.slice(0, at)}"registered_in_zon"${zoneText.slice(at + '"registered_in_zone"'.length)}`);
      const line = zoneText.slice(0, at).split('\n').length;
      assert.throws(() => execFileSync('bash', [join(ROOT, 'scripts', 'dist.sh'), '--no-build', '--catalogue', nat, '--catalogue', badZone], { stdio: 'pipe' }),
        (e) => String(e.stderr).includes(`${badZone}:${line}:`) && String(e.stderr).includes('registered_in_zon'), 'the error names my-zone.json and its line');
      rmSync(dir, { recursive: true, force: true });
      // --as-of: the file assesses on that day (a meeting a year on still sees the catalogue's year) and says so.
      execFileSync('bash', [join(ROOT, 'scripts', 'dist.sh'), '--no-build', '--as-of', '2026-07-01'], { stdio: 'pipe' });
      const dated = await openOffline(OFFLINE);
      const [{ detail }] = await events(dated.page, 'policy-match-ready');
      assert.equal(detail.asOf, '2026-07-01');
      assert.match(await pageText(dated.page), /评估日期：2026-07-01/);
      assert.deepEqual(dated.problems, []);
      await dated.page.close();
    } finally {
      execFileSync('bash', [join(ROOT, 'scripts', 'dist.sh'), '--no-build'], { stdio: 'pipe' });
    }
  });
});

describe('dist module over HTTP', () => {
  test('dist/README.md: the snippet and the code example work exactly as written, under the strict CSP', async () => {
    execFileSync('bash', [join(ROOT, 'scripts', 'dist.sh'), '--no-build'], { stdio: 'pipe' });
    const readme = readFileSync(join(ROOT, 'dist', 'README.md'), 'utf8');
    const [html, js] = [...readme.matchAll(/```(?:html|js)\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.ok(html && js, 'an html and a js block');
    // A portal site: dist/ served at /policy-match/, the host page and its own module at /.
    const site = mkdtempSync(join(tmpdir(), 'pm-portal-'));
    symlinkSync(join(ROOT, 'dist'), join(site, 'policy-match'));
    writeFileSync(join(site, 'index.html'), `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body>\n${html}<div id="side"></div><script type="module" src="/host.js"></script></body></html>`);
    const lines = js.split('\n');
    const imports = lines.filter((l) => l.startsWith('import '));
    writeFileSync(join(site, 'host.js'), [...imports,
      "const catalogueObject = await (await fetch('/policy-match/catalogues/cn-national-2026.json')).json();",
      ...lines.filter((l) => !l.startsWith('import ')),
      'window.__report = report; window.__side = document.querySelector(\'#side\').children.length;'].join('\n'));
    const siteServer = await startServer({ root: site });
    try {
      const { page, problems } = await open(`${siteServer.url}index.html`);
      const [ready] = await events(page, 'policy-match-ready');
      assert.deepEqual([ready.detail.mode, ready.detail.lang, ready.detail.catalogues], ['self-check', 'zh-CN', ['cn-national-2026.json']]);
      assert.equal(ready.detail.results.length, NATIONAL.policies.length);
      await page.waitForFunction(() => window.__report !== undefined);
      const out = await page.evaluate(() => ({ results: window.__report.results.length, issues: window.__report.issues, side: window.__side }));
      assert.deepEqual(out, { results: NATIONAL.policies.length, issues: [], side: 0 });
      assert.deepEqual(await page.evaluate(() => window.__violations), []);
      assert.deepEqual(problems, []);
      await page.close();
    } finally {
      await siteServer.stop();
      rmSync(site, { recursive: true, force: true });
    }
  });

  test('dist/index.html: one module (element + glue + CSS) and the wasm, under the strict CSP', async () => {
    execFileSync('bash', [join(ROOT, 'scripts', 'dist.sh'), '--no-build'], { stdio: 'pipe' });
    const distServer = await startServer({ root: join(ROOT, 'dist') });
    try {
      const { page, problems, requests } = await open(`${distServer.url}index.html`);
      const seen = requests.map((u) => u.slice(distServer.url.length)).sort();
      assert.deepEqual(seen, ['catalogues/cn-national-2026.json', 'index.html', 'policy-match.js', 'policy_match_bg.wasm']);
      assert.equal(await page.locator('#widget .pm-card').count(), NATIONAL.policies.length);
      assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('#widget').shadowRoot.querySelector('.pm-root')).fontSize), '16px');
      await answerGuided(page, /企业（公司）|^Company/);
      assert.deepEqual(await page.evaluate(() => window.__violations), []);
      assert.deepEqual(problems, []);
      await page.close();
    } finally {
      await distServer.stop();
    }
  });
});

describe('events', () => {
  test('ready and change carry the documented detail', async () => {
    const { page } = await open('embed.html');
    const [ready] = await events(page, 'policy-match-ready');
    assert.equal(ready.target, 'widget');
    assert.ok(ready.bubbles && ready.composed && !ready.cancelable);
    const d = ready.detail;
    assert.equal(d.mode, 'self-check');
    assert.equal(d.lang, 'zh-CN');
    assert.equal(d.asOf, '2026-07-01');
    assert.deepEqual(d.catalogues, ['cn-national-2026.json']);
    assert.deepEqual(d.profile, {});
    assert.deepEqual(d.results.map((r) => r.policy), NATIONAL.policies.map((p) => p.id));
    const count = (v) => d.results.filter((r) => r.verdict === v).length;
    assert.deepEqual(d.summary, { qualifies: count('qualifies'), undecided: count('undecided'), doesNotQualify: count('does_not_qualify'), withinReach: d.results.filter((r) => r.within_reach).length });
    // With no answers nothing can qualify (every national policy reads some field).
    assert.equal(d.summary.qualifies, 0);
    // The first guided question is the entity type (个体工商户 would rule out most policies at once); answer company.
    await answerGuided(page, '企业（公司）');
    const [change] = await events(page, 'policy-match-change');
    assert.ok(change.bubbles && change.composed);
    assert.deepEqual(change.detail.profile, { entity_type: 'company' });
    assert.ok(change.detail.revision > d.revision);
    // The properties agree with the event.
    const props = await page.evaluate(() => { const w = document.querySelector('#widget'); return { profile: w.profile, results: w.results }; });
    assert.deepEqual(props.profile, change.detail.profile);
    assert.deepEqual(props.results, change.detail.results);
    // results is read-only.
    const assigned = await page.evaluate(() => { const w = document.querySelector('#widget'); try { w.results = []; } catch { /* strict */ } return w.results.length; });
    assert.equal(assigned, NATIONAL.policies.length);
    await page.close();
  });

  test('apply: the host can cancel it; otherwise the policy link opens', async () => {
    const { page } = await open('embed.html');
    const policy = NATIONAL.policies.find((p) => p.application?.url);
    assert.ok(policy, 'a national policy with an application link');
    await page.context().route(`${policy.application.url}**`, (r) => r.fulfill({ status: 200, contentType: 'text/html', body: 'portal' }));
    await page.evaluate(() => document.addEventListener('policy-match-apply', (e) => { if (window.__cancelApply) e.preventDefault(); }));
    const link = page.locator(`#widget [data-policy=${policy.id}] a.pm-btn-link`);
    // Cancelled: the host routes to its own system; no window opens.
    await page.evaluate(() => { window.__cancelApply = true; });
    let popups = 0;
    page.on('popup', () => popups++);
    await link.click();
    await waitEvent(page, 'policy-match-apply');
    const [cancelled] = await events(page, 'policy-match-apply');
    assert.ok(cancelled.cancelable && cancelled.bubbles && cancelled.composed);
    assert.equal(cancelled.detail.policy, policy.id);
    assert.equal(cancelled.detail.url, policy.application.url);
    assert.equal(cancelled.detail.result.policy, policy.id);
    // Not cancelled: the link opens.
    await page.evaluate(() => { window.__cancelApply = false; });
    const [popup] = await Promise.all([page.waitForEvent('popup'), link.click()]);
    await popup.waitForLoadState();
    assert.equal(popup.url(), policy.application.url);
    assert.equal(popups, 1, 'the cancelled click opened nothing');
    await popup.close();
    await page.context().unroute(`${policy.application.url}**`);
    await page.close();
  });

  test('a profile the portal sets (from the account) while the visitor types elsewhere leaves focus and scroll alone', async () => {
    // The legacy portal: the visitor is typing in the site search box when the portal
    // prefills the widget. The guided question moves on, but only an answer given in
    // the guided card may move focus there.
    const { page } = await open('embed-legacy.html', { width: 1280, height: 600 });
    const search = page.locator('.main-col input[type=text]');
    await search.click();
    const first = await page.locator('#widget .pm-guided .pm-q-label').textContent();
    const scroll = await page.evaluate(() => scrollY);
    const before = (await events(page, 'policy-match-change')).length;
    await page.evaluate(() => { document.querySelector('#widget').profile = { entity_type: 'company', is_resident_enterprise: true }; });
    await waitEvent(page, 'policy-match-change', before + 1);
    assert.notEqual(await page.locator('#widget .pm-guided .pm-q-label').textContent(), first, 'the guided question moved on');
    assert.equal(await page.evaluate(() => document.activeElement === document.querySelector('.main-col input[type=text]')), true,
      await page.evaluate(() => `focus on ${document.activeElement?.tagName}#${document.activeElement?.id} ${document.activeElement?.shadowRoot?.activeElement?.outerHTML?.slice(0, 120) ?? ''}`));
    assert.equal(await page.evaluate(() => scrollY), scroll, 'the page did not scroll');
    await page.close();
  });

  test('a live widget given a bad catalogue has no results left from the old one', async () => {
    const { page } = await open('embed.html');
    const results = () => page.evaluate(() => document.querySelector('#widget').results);
    assert.equal((await results()).length, NATIONAL.policies.length);
    await page.evaluate((demo) => {
      const bad = structuredClone(demo);
      bad.policies[0].colour = 'red';
      document.querySelector('#widget').catalogues = [bad];
    }, DEMO);
    await waitEvent(page, 'policy-match-error');
    assert.equal(await results(), null);
    await page.close();
  });

  test('error: a catalogue that fails to load or validate is shown and reported', async () => {
    const { page } = await open('embed.html');
    // 404
    await page.evaluate(() => document.querySelector('#widget').setAttribute('catalogue', 'catalogues/missing.json'));
    await waitEvent(page, 'policy-match-error');
    let [err] = await events(page, 'policy-match-error');
    assert.equal(err.detail.name, 'catalogue-fetch');
    assert.match(err.detail.message, /missing\.json: HTTP 404/);
    assert.match(await page.locator('#widget [role=alert]').innerText(), /无法加载政策目录[\s\S]*missing\.json: HTTP 404/);
    // A schema error: located, with every error in the detail.
    await page.evaluate((demo) => {
      const bad = structuredClone(demo);
      bad.policies[0].colour = 'red';
      document.querySelector('#widget').catalogues = [bad];
    }, DEMO);
    await waitEvent(page, 'policy-match-error', 2);
    [, err] = await events(page, 'policy-match-error');
    assert.equal(err.detail.name, 'schema');
    assert.match(err.detail.message, /unknown field `colour`/);
    assert.equal(err.detail.errors.length, 1);
    assert.equal(err.detail.errors[0].path, 'policies[0].colour');
    assert.equal(err.detail.errors[0].policy, 'small_low_profit');
    assert.match(await page.locator('#widget [role=alert]').innerText(), /colour/);
    await page.close();
  });
});

describe('network', () => {
  test('only the page\'s own files and the catalogue URL are requested', async () => {
    const { page, requests } = await open('embed.html');
    await answerGuided(page, '企业（公司）');
    await page.locator('#widget .pm-why-btn').first().click();
    await page.locator('#widget .pm-lang-btn, #widget button', { hasText: 'English' }).first().click();
    await page.waitForFunction(() => document.querySelector('#widget').getAttribute('lang') === 'en');
    const own = new Set(['embed.html', 'embed-host.css', 'policy-match.js', 'pkg/policy_match.js', 'pkg/policy_match_bg.wasm', 'widget.css', 'catalogues/cn-national-2026.json']);
    const seen = requests.map((u) => (u.startsWith(server.url) ? u.slice(server.url.length) : u));
    assert.deepEqual(seen.filter((u) => !own.has(u)), [], 'unexpected requests');
    assert.equal(seen.filter((u) => u === 'catalogues/cn-national-2026.json').length, 1);
    await page.close();
  });
});

describe('several widgets', () => {
  test('two widgets with different catalogues and languages do not interfere', async () => {
    const { page } = await open('embed.html');
    await page.evaluate(async () => {
      const { mount } = await import('./policy-match.js');
      const box = document.createElement('div');
      box.id = 'second';
      document.querySelector('.clean-main').append(box);
      window.__second = mount(box, { catalogue: ['catalogues/cn-national-2026.json', 'catalogues/example-zone.json'], lang: 'en', asOf: '2026-07-01' });
      window.__second.element.id = 'widget2';
    });
    await waitEvent(page, 'policy-match-ready', 2);
    const readies = await events(page, 'policy-match-ready');
    const second = readies.find((e) => e.target === 'widget2');
    assert.equal(second.detail.results.length, NATIONAL.policies.length + ZONE.policies.length);
    assert.equal(await page.locator('#widget .pm-card').count(), NATIONAL.policies.length);
    assert.equal(await page.locator('#widget2 .pm-card').count(), NATIONAL.policies.length + ZONE.policies.length);
    assert.equal(await page.locator('#widget .pm-root').getAttribute('lang'), 'zh-CN');
    assert.equal(await page.locator('#widget2 .pm-root').getAttribute('lang'), 'en');
    // English text is set in Latin fonts first (a CJK-first stack gave “quotes” the wide CJK glyphs).
    const font = (sel) => page.evaluate((s) => getComputedStyle(document.querySelector(s).shadowRoot.querySelector('.pm-root')).fontFamily, sel);
    assert.match(await font('#widget2'), /^system-ui/);
    assert.match(await font('#widget'), /^"Noto Sans CJK SC"/);
    // Answer in the second: the first keeps its answers and revision.
    const firstRev = await page.locator('#widget .pm-selfcheck').getAttribute('data-rev');
    const before = (await events(page, 'policy-match-change')).length;
    const guided2 = page.locator('#widget2 .pm-guided .pm-option').first();
    await guided2.click();
    await waitEvent(page, 'policy-match-change', before + 1);
    const changes = await events(page, 'policy-match-change');
    assert.deepEqual(changes.slice(before).map((c) => c.target), ['widget2']);
    assert.equal(await page.locator('#widget .pm-selfcheck').getAttribute('data-rev'), firstRev);
    assert.deepEqual(await page.evaluate(() => document.querySelector('#widget').profile), {});
    // Switching the first widget's language leaves the second in English.
    await page.evaluate(() => document.querySelector('#widget').setAttribute('lang', 'en'));
    await page.waitForFunction(() => document.querySelector('#widget').shadowRoot.querySelector('.pm-root').lang === 'en');
    await page.evaluate(() => window.__second.update({ lang: 'zh-CN' }));
    await page.waitForFunction(() => document.querySelector('#widget2').shadowRoot.querySelector('.pm-root').lang === 'zh-CN');
    assert.equal(await page.locator('#widget .pm-root').getAttribute('lang'), 'en');
    // Element ids are unique per widget.
    const ids = await page.evaluate(() => ['#widget', '#widget2'].map((s) => [...document.querySelector(s).shadowRoot.querySelectorAll('[id]')].map((e) => e.id)));
    assert.equal(ids[0].filter((id) => ids[1].includes(id)).length, 0);
    // destroy() removes the second; its handle then refuses updates instead of doing nothing.
    const after = await page.evaluate(() => {
      window.__second.destroy();
      try { window.__second.update({ lang: 'en' }); return 'no error'; } catch (e) { return [e.name, document.querySelector('#widget2')]; }
    });
    assert.deepEqual(after, ['destroyed', null]);
    await page.close();
  });
});

describe('malicious catalogue text', () => {
  const EVIL = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

  test('HTML in catalogue text renders as text and runs nothing', async () => {
    const { page, requests } = await open('embed.html');
    await page.evaluate(([demo, evil]) => {
      const c = structuredClone(demo);
      c.policies[0].title = { zh: `${evil}小型微利`, en: `${evil}Small` };
      c.policies[0].issuer = { zh: evil, en: evil };
      c.fields[0].label = { zh: `${evil}职工`, en: evil };
      document.querySelector('#widget').catalogues = [c];
    }, [DEMO, EVIL]);
    await page.waitForFunction(() => document.querySelector('#widget').results?.length === 3);
    const title = page.locator('#widget [data-policy=small_low_profit] .pm-card-title, #widget [data-policy=small_low_profit] h3, #widget [data-policy=small_low_profit] h4').first();
    assert.match(await title.innerText(), /<img src=x onerror="window.__pwned=1"><script>/);
    const injected = await page.evaluate(() => {
      const root = document.querySelector('#widget').shadowRoot;
      return { img: root.querySelectorAll('img').length, script: root.querySelectorAll('script').length, pwned: window.__pwned ?? null };
    });
    assert.deepEqual(injected, { img: 0, script: 0, pwned: null });
    assert.deepEqual(requests.filter((u) => /\/x$/.test(u)), []);
    await page.close();
  });

  test('a javascript: link is refused with a readable error, and nothing runs', async () => {
    const { page } = await open('embed.html');
    await page.evaluate((demo) => {
      const c = structuredClone(demo);
      c.policies[1].application = { url: 'javascript:window.__pwned=3' };
      document.querySelector('#widget').catalogues = [c];
    }, DEMO);
    await waitEvent(page, 'policy-match-error');
    const [err] = await events(page, 'policy-match-error');
    assert.equal(err.detail.errors[0].path, 'policies[1].application.url');
    assert.equal(err.detail.errors[0].policy, 'tech_sme');
    const alert = await page.locator('#widget [role=alert]').innerText();
    assert.match(alert, /application\.url/);
    assert.equal(await page.evaluate(() => document.querySelector('#widget').shadowRoot.querySelectorAll('a[href^="javascript:"]').length), 0);
    await page.locator('#widget [role=alert]').click();
    assert.equal(await page.evaluate(() => window.__pwned ?? null), null);
    await widgetShot(page, 'javascript-link-refused');
    await page.close();
  });
});

describe('lifecycle and API', () => {
  test('moving keeps the state; removing frees it; attributes update the live widget', async () => {
    const { page } = await open('embed.html');
    await answerGuided(page, '企业（公司）');
    const rev = await page.locator('#widget .pm-selfcheck').getAttribute('data-rev');
    await page.evaluate(() => document.querySelector('.clean-main').append(document.querySelector('#widget')));
    await page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
    assert.equal(await page.locator('#widget .pm-selfcheck').getAttribute('data-rev'), rev);
    assert.deepEqual(await page.evaluate(() => document.querySelector('#widget').profile), { entity_type: 'company' });
    assert.equal((await events(page, 'policy-match-ready')).length, 1, 'not remounted');
    // as-of: the live widget re-evaluates at the new date (the result's asOf follows), keeping
    // its answers and its DOM (no remount: a mark on the root survives).
    await page.evaluate(() => { document.querySelector('#widget').shadowRoot.querySelector('.pm-selfcheck').__mark = 1; });
    const before = (await events(page, 'policy-match-change')).length;
    await page.evaluate(() => document.querySelector('#widget').setAttribute('as-of', '2027-01-15'));
    await page.waitForFunction((b) => window.__events.filter((e) => e.type === 'policy-match-change').length > b, before);
    const last = (await events(page, 'policy-match-change')).at(-1).detail;
    assert.equal(last.asOf, '2027-01-15');
    assert.deepEqual(last.profile, { entity_type: 'company' });
    assert.equal(await page.evaluate(() => document.querySelector('#widget').shadowRoot.querySelector('.pm-selfcheck').__mark), 1);
    assert.equal((await events(page, 'policy-match-ready')).length, 1, 'not remounted');
    // profile property: replaces the answers.
    await page.evaluate(() => { document.querySelector('#widget').profile = { employees_total_2025: 12 }; });
    await page.waitForFunction(() => document.querySelector('#widget').profile?.employees_total_2025 === 12);
    // theme: dark colours from the documented properties' dark set.
    const bg = () => page.evaluate(() => getComputedStyle(document.querySelector('#widget').shadowRoot.querySelector('.pm-root')).backgroundColor);
    const light = await bg();
    await page.evaluate(() => document.querySelector('#widget').setAttribute('theme', 'dark'));
    assert.equal(await bg(), 'rgb(22, 24, 28)', `dark background (--pm-dark-color-bg default #16181c), light was ${light}`);
    // A host sets a documented custom property on the element: it wins.
    await page.evaluate(() => document.querySelector('#widget').style.setProperty('--pm-dark-color-bg', '#000010'));
    assert.equal(await bg(), 'rgb(0, 0, 16)');
    // mode=browse: the policy directory.
    await page.evaluate(() => document.querySelector('#widget').setAttribute('mode', 'browse'));
    await page.locator('#widget .pm-policy-list li[data-policy]').first().waitFor();
    assert.equal(await page.locator('#widget .pm-policy-list li[data-policy]').count(), NATIONAL.policies.length);
    // Each policy opens to its conditions (the catalogue's criterion descriptions).
    const first = NATIONAL.policies[0];
    const card = page.locator(`#widget li[data-policy="${first.id}"]`);
    assert.equal(await card.locator('.pm-conditions').isVisible(), false);
    await card.locator('details > summary').click();
    assert.deepEqual(await card.locator('.pm-conditions > li').allInnerTexts(), first.criteria.map((c) => c.description.zh));
    // as-of (2027-01-15 since above) is live: the 2026 job-stabilisation refund (valid until
    // 2026-12-31) reads as expired in 2027, not in 2026.
    const expired = page.locator('#widget li[data-policy="ui_job_stabilization_refund_2026"] .pm-badge-expired');
    assert.equal(await expired.count(), 1);
    await page.evaluate(() => document.querySelector('#widget').setAttribute('as-of', '2026-12-31'));
    await expired.waitFor({ state: 'detached' });
    await page.evaluate(() => document.querySelector('#widget').setAttribute('as-of', '2027-01-01'));
    await expired.waitFor();
    // The search narrows the directory.
    await page.locator('#widget .pm-policy-list input[type=search]').fill('hangzhou_new_eagle');
    await page.waitForFunction(() => document.querySelector('#widget').shadowRoot.querySelectorAll('.pm-policy-list li[data-policy]').length === 1);
    await page.locator('#widget .pm-policy-list input[type=search]').fill('');
    // Browsing national + zone lists both: the zone catalogue is composed with the one it extends.
    await page.evaluate(() => document.querySelector('#widget').setAttribute('catalogue', 'catalogues/cn-national-2026.json catalogues/example-zone.json'));
    await page.waitForFunction((n) => document.querySelector('#widget').shadowRoot.querySelectorAll('.pm-policy-list li[data-policy]').length === n, NATIONAL.policies.length + ZONE.policies.length, { timeout: 15_000 });
    assert.equal(await page.locator('#widget .pm-policy-list li[data-policy="zone_gazelle_enterprise_reward"]').count(), 1);
    // Removing frees it: the shadow content is gone after the microtask.
    await page.evaluate(() => document.querySelector('#widget').remove());
    const left = await page.evaluate(() => new Promise((r) => queueMicrotask(() => setTimeout(() => r(document.querySelector('policy-match') ? 1 : 0), 0))));
    assert.equal(left, 0);
    await page.close();
  });

  test('the browse-mode demo page lists national and zone policies and filters them', async () => {
    const { page, problems } = await open('embed-browse.html');
    const ready = (await events(page, 'policy-match-ready'))[0].detail;
    assert.deepEqual(ready, { mode: 'browse', lang: 'zh-CN', catalogues: ['cn-national-2026.json', 'example-zone.json'] });
    const items = '#widget .pm-policy-list li[data-policy]';
    assert.equal(await page.locator(items).count(), NATIONAL.policies.length + ZONE.policies.length);
    // axe-core (into the shadow root): nothing serious, and headings in order under the page's h1.
    await page.evaluate(AXE);
    const axe = await page.evaluate(() => globalThis.axe.run(document));
    const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'heading-order');
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(' | ')}`), []);
    // The employment chip keeps the employment policies of both catalogues.
    const employment = [...NATIONAL.policies, ...ZONE.policies].filter((p) => p.category === 'employment').map((p) => p.id);
    await page.locator('#widget .pm-chip', { hasText: '就业社保' }).click();
    await page.waitForFunction((n) => document.querySelector('#widget').shadowRoot.querySelectorAll('.pm-policy-list li[data-policy]').length === n, employment.length);
    assert.deepEqual((await page.locator(items).evaluateAll((els) => els.map((e) => e.dataset.policy))).sort(), employment.sort());
    // "Apply online" goes through the same cancelable policy-match-apply event (no verdict here).
    await page.locator('#widget .pm-chip', { hasText: '全部' }).click();
    await page.evaluate(() => document.addEventListener('policy-match-apply', (e) => e.preventDefault()));
    const pagesBefore = browser.context.pages().length;
    await page.locator('#widget li[data-policy="zone_rd_investment_subsidy"] a.pm-btn-link').click();
    const apply = (await events(page, 'policy-match-apply')).at(-1);
    assert.deepEqual(apply.detail, { policy: 'zone_rd_investment_subsidy', url: 'https://zone.example.org/policies/rd-subsidy', result: null });
    assert.equal(apply.cancelable, true);
    assert.equal(page.url().endsWith('embed-browse.html'), true);
    assert.equal(browser.context.pages().length, pagesBefore, 'the host cancelled it: no new window');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('"jump to the question" moves focus inside the shadow root', async () => {
    const { page } = await open('embed.html');
    const link = page.locator('#widget .pm-missing button.pm-link').first();
    const label = (await link.innerText()).trim();
    await link.click();
    await page.waitForFunction(() => {
      const a = document.querySelector('#widget').shadowRoot.activeElement;
      return a && /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(a.tagName) && !a.classList.contains('pm-link');
    }, null, { timeout: 5_000 });
    // The focused control belongs to the question the link named.
    const question = await page.evaluate(() => {
      const a = document.querySelector('#widget').shadowRoot.activeElement;
      // The question around the control (its label, legend or container).
      let e = a;
      while (e && !(e.innerText ?? '').trim().length) e = e.parentElement;
      while (e && e.parentElement && !/-q-\d+$/.test(e.id ?? '') && !e.matches('fieldset, .pm-q, .pm-question')) e = e.parentElement;
      return `${e?.innerText ?? ''} ${[...(a.labels ?? [])].map((l) => l.innerText).join(' ')}`;
    });
    assert.ok(question.includes(label), `${label} in ${question.slice(0, 200)}`);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'widget');
    await page.close();
  });

  test('properties set before the element is defined are taken over', async () => {
    const page = await browser.context.newPage();
    await page.addInitScript(RECORD_EVENTS);
    // Runs before the module: the element is not upgraded yet.
    await page.addInitScript((demo) => {
      const el = document.createElement('policy-match');
      el.id = 'early';
      el.setAttribute('as-of', '2026-07-01');
      el.catalogues = [demo];
      el.profile = { employees: 120, taxable_income: 1000000 };
      window.__early = el;
    }, DEMO);
    await page.goto(`${server.url}embed.html`);
    await waitEvent(page, 'policy-match-ready');
    await page.evaluate(() => document.body.append(window.__early));
    await waitEvent(page, 'policy-match-ready', 2);
    const early = (await events(page, 'policy-match-ready')).find((e) => e.target === 'early');
    assert.deepEqual(early.detail.results.map((r) => r.policy), DEMO.policies.map((p) => p.id));
    assert.deepEqual(early.detail.profile, { employees: 120, taxable_income: 1000000 });
    // demo.json: at most 300 staff and taxable income at most CNY 3 million.
    assert.equal(early.detail.results.find((r) => r.policy === 'small_low_profit').verdict, 'qualifies');
    await page.close();
  });

  test('evaluate() without UI, and its errors', async () => {
    const { page } = await open('embed.html');
    const out = await page.evaluate(async (demo) => {
      const { evaluate } = await import('./policy-match.js');
      const r = await evaluate([demo], { employees: 120, tech_staff: 30, taxable_income: 1000000, revenue: 20000000, rd_ratio: 6, has_ip: true }, { asOf: '2026-07-01' });
      let error = null;
      try { await evaluate([{ ...demo, colour: 1 }], {}, '2026-07-01'); } catch (e) { error = { name: e.name, details: e.details.length }; }
      // Mistakes in the call itself are errors too, not empty or default results.
      const misuse = [];
      for (const [cats, opts] of [[[], {}], [[demo], { tolerance: -1 }], [[demo], { tolerance: 2 }], [[demo], { explain: ['nope'] }]]) {
        try { await evaluate(cats, {}, opts); misuse.push('no error'); } catch (e) { misuse.push(e.name); }
      }
      // The last catalogues are kept compiled: a changed one (at most 100 employees), the first
      // again, and the first after an error each give their own verdicts.
      const small = async (cats) => (await evaluate(cats, { employees: 120, taxable_income: 1000000 }, '2026-07-01')).results.find((x) => x.policy === 'small_low_profit').verdict;
      const strict = structuredClone(demo);
      strict.policies.find((p) => p.id === 'small_low_profit').criteria[0].rule['<='][1] = 100;
      const again = [await small([demo]), await small([strict]), await small([demo]), await small(JSON.stringify(strict))];
      try { await evaluate([{ ...demo, colour: 1 }], {}, '2026-07-01'); } catch { /* as above */ }
      again.push(await small([demo]), await small([demo, { ...demo, id: 'zone', policies: [] }]));
      return { verdicts: Object.fromEntries(r.results.map((x) => [x.policy, x.verdict])), error, misuse, again };
    }, DEMO);
    assert.deepEqual(out.again, ['qualifies', 'does_not_qualify', 'qualifies', 'does_not_qualify', 'qualifies', 'qualifies']);
    // demo.json: small_low_profit needs ≤ 300 staff and taxable income ≤ CNY 3 million: 120 and 1 million qualify.
    assert.equal(out.verdicts.small_low_profit, 'qualifies');
    assert.deepEqual(out.error, { name: 'schema', details: 1 });
    assert.deepEqual(out.misuse, ['no-catalogue', 'options', 'options', 'options']);
    await page.close();
  });
});

// What a portal webmaster gets wrong when embedding from the docs alone. The host page is served
// (by a route) from /qa/, one folder below policy-match.js, under the strict CSP.
describe('webmaster mistakes', () => {
  const HOST_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:";
  const BAD = structuredClone(DEMO);
  BAD.policies[0].colour = 'red';

  /** A zh-CN host page at /qa/host.html with `body`; /qa/cms.json answers with an HTML error page, /qa/bad.json with an invalid catalogue. */
  async function hostPage(body) {
    const page = await browser.context.newPage();
    const problems = watchProblems(page, (text) => /Failed to load resource/.test(text));
    await page.addInitScript(RECORD_EVENTS);
    await page.route(`${server.url}qa/**`, (r) => {
      const url = r.request().url();
      if (url.endsWith('/qa/host.html')) {
        return r.fulfill({ contentType: 'text/html; charset=utf-8', headers: { 'content-security-policy': HOST_CSP }, body: `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="/policy-match.js"></script></head><body>${body}</body></html>` });
      }
      if (url.endsWith('/qa/cms.json')) return r.fulfill({ contentType: 'text/html; charset=utf-8', body: '\n<!DOCTYPE html><html><body><h1>页面不存在</h1></body></html>' });
      if (url.endsWith('/qa/bad.json')) return r.fulfill({ contentType: 'application/json', body: JSON.stringify(BAD) });
      // A classic script after the element: runs while the page parses, before the module.
      if (url.endsWith('/qa/account.js')) return r.fulfill({ contentType: 'text/javascript', body: "const w = document.querySelector('#w'); window.__upgradedEarly = Boolean(customElements.get('policy-match')); w.profile = { employees: 120, taxable_income: 1000000 };" });
      return r.fallback();
    });
    await page.goto(`${server.url}qa/host.html`);
    return { page, problems };
  }
  const alertText = (page) => page.locator('#w [role=alert]').innerText();
  const setAttr = (page, name, value) => page.evaluate(([n, v]) => (v == null ? document.querySelector('#w').removeAttribute(n) : document.querySelector('#w').setAttribute(n, v)), [name, value]);

  test('a catalogue URL that answers with an HTML page (a CMS error page) says so, in Chinese on a zh-CN page, in both modes', async () => {
    for (const mode of ['self-check', 'browse']) {
      const { page, problems } = await hostPage(`<policy-match id="w" mode="${mode}" catalogue="cms.json"></policy-match>`);
      await waitEvent(page, 'policy-match-error');
      const [err] = await events(page, 'policy-match-error');
      assert.equal(err.detail.name, 'catalogue-fetch', mode);
      assert.equal(err.detail.message, `${server.url}qa/cms.json: HTML, not JSON`);
      const text = await alertText(page);
      assert.match(text, /无法加载政策目录/);
      assert.match(text, /请检查 catalogue 网址/);
      assert.equal((await events(page, 'policy-match-ready')).length, 0);
      assert.deepEqual(problems, []);
      await page.close();
    }
  });

  test('data-catalogue= (a CMS that keeps only data- attributes) is reported as a misspelling, not waited on', async () => {
    const { page } = await hostPage('<policy-match id="w" as-of="2026-07-01" data-catalogue="/catalogues/demo.json"></policy-match>');
    await waitEvent(page, 'policy-match-error');
    const [err] = await events(page, 'policy-match-error');
    assert.equal(err.detail.name, 'no-catalogue');
    assert.match(err.detail.message, /did you mean catalogue="…" instead of data-catalogue="…"\?/);
    await page.close();
  });

  test('a misspelt catalogue attribute (catalog=) is reported with the right name; a catalogue removed leaves the element empty', async () => {
    const { page, problems } = await hostPage('<policy-match id="w" as-of="2026-07-01" catalog="/catalogues/demo.json"></policy-match>');
    await waitEvent(page, 'policy-match-error');
    const [err] = await events(page, 'policy-match-error');
    assert.equal(err.detail.name, 'no-catalogue');
    assert.match(err.detail.message, /did you mean catalogue="…" instead of catalog="…"\?/);
    assert.match(await alertText(page), /请用 catalogue 属性给出政策目录网址/);
    // Fixed (renamed): the widget replaces the error.
    await setAttr(page, 'catalog', null);
    await setAttr(page, 'catalogue', '/catalogues/demo.json');
    await waitEvent(page, 'policy-match-ready');
    assert.equal(await page.locator('#w [role=alert]').count(), 0);
    assert.equal((await page.evaluate(() => document.querySelector('#w').results)).length, DEMO.policies.length);
    // Removed (with no catalogues property): nothing left, no results, no error.
    await setAttr(page, 'catalogue', null);
    await page.waitForFunction(() => document.querySelector('#w').shadowRoot.querySelector('.pm-root') === null, null, { timeout: 15_000 });
    assert.equal(await page.evaluate(() => document.querySelector('#w').results), null);
    assert.equal((await events(page, 'policy-match-error')).length, 1, JSON.stringify(await events(page, 'policy-match-error')));
    assert.deepEqual(problems, []);
    await page.close();
    // With no attribute at all the element waits quietly for one (or for the catalogues property).
    const quiet = await hostPage('<policy-match id="w" as-of="2026-07-01"></policy-match>');
    await quiet.page.evaluate(() => customElements.whenDefined('policy-match'));
    await quiet.page.evaluate((demo) => new Promise((r) => setTimeout(() => { document.querySelector('#w').catalogues = [demo]; r(); }, 300)), DEMO);
    await waitEvent(quiet.page, 'policy-match-ready');
    assert.equal((await events(quiet.page, 'policy-match-error')).length, 0);
    await quiet.page.close();
  });

  test('a relative catalogue URL resolves against the page, not against the script', async () => {
    // policy-match.js is at /, the page at /qa/: "catalogues/demo.json" is /qa/catalogues/demo.json.
    const { page } = await hostPage('<policy-match id="w" as-of="2026-07-01" catalogue="catalogues/demo.json"><p id="fallback">政策列表</p></policy-match>');
    await waitEvent(page, 'policy-match-error');
    // Content inside the element (a fallback for when the module cannot run) is not shown once it runs.
    assert.equal(await page.locator('#fallback').isVisible(), false);
    const [err] = await events(page, 'policy-match-error');
    assert.equal(err.detail.message, `${server.url}qa/catalogues/demo.json: HTTP 404`);
    assert.match(await alertText(page), /qa\/catalogues\/demo\.json: HTTP 404[\s\S]*请检查 catalogue 网址/);
    await setAttr(page, 'catalogue', '../catalogues/demo.json');
    await waitEvent(page, 'policy-match-ready');
    assert.deepEqual((await events(page, 'policy-match-ready'))[0].detail.catalogues, ['demo.json']);
    await page.close();
  });

  test('browse mode reports a catalogue that fails validation (policy-match-error with the details), like self-check', async () => {
    const { page } = await hostPage('<policy-match id="w" mode="browse" catalogue="bad.json"></policy-match>');
    await waitEvent(page, 'policy-match-error');
    const [err] = await events(page, 'policy-match-error');
    assert.equal(err.detail.name, 'schema');
    assert.equal(err.detail.errors.length, 1);
    assert.equal(err.detail.errors[0].path, 'policies[0].colour');
    assert.equal(err.detail.errors[0].policy, 'small_low_profit');
    // Named by the URL's file, as in self-check (not evaluate()'s catalogue-1.json).
    assert.equal(err.detail.errors[0].file, 'bad.json');
    assert.match(err.detail.message, /bad\.json:\d+:\d+/);
    const text = await alertText(page);
    assert.match(text, /无法加载政策目录/);
    assert.match(text, /colour/);
    assert.match(text, /bad\.json:\d+:\d+/);
    assert.doesNotMatch(text, /catalogue-\d\.json/);
    assert.equal((await events(page, 'policy-match-ready')).length, 0, 'no ready for a catalogue with errors');
    // Fixed by the webmaster: the directory appears, ready names the new catalogue.
    await setAttr(page, 'catalogue', '/catalogues/demo.json');
    await waitEvent(page, 'policy-match-ready');
    assert.deepEqual((await events(page, 'policy-match-ready'))[0].detail, { mode: 'browse', lang: 'zh-CN', catalogues: ['demo.json'] });
    assert.equal(await page.locator('#w .pm-policy-list li[data-policy]').count(), DEMO.policies.length);
    await page.close();
  });

  test('self-check: after a bad catalogue is replaced, ready names the catalogue now shown', async () => {
    const { page } = await hostPage('<policy-match id="w" as-of="2026-07-01" catalogue="bad.json"></policy-match>');
    await waitEvent(page, 'policy-match-error');
    assert.equal((await events(page, 'policy-match-error'))[0].detail.errors[0].file, 'bad.json');
    await setAttr(page, 'catalogue', '/catalogues/demo.json');
    await waitEvent(page, 'policy-match-ready');
    const [ready] = await events(page, 'policy-match-ready');
    assert.deepEqual(ready.detail.catalogues, ['demo.json']);
    assert.deepEqual(ready.detail.results.map((r) => r.policy), DEMO.policies.map((p) => p.id));
    await page.close();
  });

  test('as-of in a wrong format is reported (bad-date), not silently replaced by today', async () => {
    const { page } = await hostPage('<policy-match id="w" as-of="2026/07/01" catalogue="/catalogues/demo.json"></policy-match>');
    await waitEvent(page, 'policy-match-error');
    let errs = await events(page, 'policy-match-error');
    assert.equal(errs.length, 1, 'reported once');
    assert.equal(errs[0].detail.name, 'bad-date');
    assert.match(await alertText(page), /无法加载政策目录[\s\S]*as-of "2026\/07\/01": not a date YYYY-MM-DD[\s\S]*as-of 日期应写成 YYYY-MM-DD/);
    assert.equal(await page.evaluate(() => document.querySelector('#w').results), null);
    // Corrected: the widget appears at that date.
    await setAttr(page, 'as-of', '2026-07-01');
    await waitEvent(page, 'policy-match-ready');
    assert.equal((await events(page, 'policy-match-ready'))[0].detail.asOf, '2026-07-01');
    // A live widget given an impossible day (30 February) reports it too; a good date brings it back.
    await setAttr(page, 'as-of', '2026-02-30');
    await waitEvent(page, 'policy-match-error', 2);
    errs = await events(page, 'policy-match-error');
    assert.equal(errs[1].detail.name, 'bad-date');
    await setAttr(page, 'as-of', '2026-08-01');
    await waitEvent(page, 'policy-match-ready', 2);
    assert.equal((await events(page, 'policy-match-ready'))[1].detail.asOf, '2026-08-01');
    // Browse mode, and checkCatalogue(), refuse a bad date the same way.
    await setAttr(page, 'mode', 'browse');
    await waitEvent(page, 'policy-match-ready', 3);
    await setAttr(page, 'as-of', '01.07.2026');
    await waitEvent(page, 'policy-match-error', 3);
    assert.equal((await events(page, 'policy-match-error'))[2].detail.name, 'bad-date');
    const check = await page.evaluate(async (demo) => {
      const { checkCatalogue } = await import('/policy-match.js');
      try { await checkCatalogue(demo, '2026/07/01'); return 'no error'; } catch (e) { return e.name; }
    }, DEMO);
    assert.equal(check, 'bad-date');
    // Without a date, checkCatalogue() reports what has expired today (as `policy-match check`).
    await page.clock.setFixedTime(new Date('2030-01-02T12:00:00'));
    const expired = await page.evaluate(async (national) => {
      const { checkCatalogue } = await import('/policy-match.js');
      const kinds = async (day) => (await checkCatalogue(national, day)).warnings.filter((w) => w.type === 'expired').length;
      return [await kinds(undefined), await kinds('2030-01-02'), await kinds('2026-07-01')];
    }, readJson('www/catalogues/cn-national-2026.json'));
    assert.ok(expired[0] > 0, `expired today: ${expired}`);
    assert.deepEqual([expired[0], expired[2]], [expired[1], 0]);
    await page.close();
  });

  test('the on-widget error follows a change of lang', async () => {
    const { page } = await hostPage('<policy-match id="w" lang="en" catalogue="/catalogues/missing.json"></policy-match>');
    await waitEvent(page, 'policy-match-error');
    assert.match(await alertText(page), /could not be loaded[\s\S]*Check the catalogue URL/);
    await setAttr(page, 'lang', 'zh-CN');
    await page.waitForFunction(() => document.querySelector('#w').shadowRoot.querySelector('.pm-root').lang === 'zh-CN');
    assert.match(await alertText(page), /无法加载政策目录[\s\S]*missing\.json: HTTP 404[\s\S]*请检查 catalogue 网址/);
    assert.equal((await events(page, 'policy-match-error')).length, 1, 'not reported again');
    await page.close();
  });

  test('a missing policy_match_bg.wasm (only the .js copied) is a wasm-load error naming the file', async () => {
    const page = await browser.context.newPage();
    await page.addInitScript(RECORD_EVENTS);
    await page.route('**/*.wasm', (r) => r.fulfill({ status: 404, contentType: 'text/html', body: '<!doctype html><h1>404</h1>' }));
    await page.goto(`${server.url}embed.html`);
    await waitEvent(page, 'policy-match-error');
    const [err] = await events(page, 'policy-match-error');
    assert.equal(err.detail.name, 'wasm-load');
    assert.match(err.detail.message, /policy_match_bg\.wasm/);
    assert.match(await page.locator('#widget [role=alert]').innerText(), /policy_match_bg\.wasm/);
    await page.close();
  });

  test('results is null in browse mode (no verdicts there), not the last self-check results', async () => {
    const { page } = await hostPage('<policy-match id="w" as-of="2026-07-01" catalogue="/catalogues/demo.json"></policy-match>');
    await waitEvent(page, 'policy-match-ready');
    assert.equal((await page.evaluate(() => document.querySelector('#w').results)).length, DEMO.policies.length);
    await setAttr(page, 'mode', 'browse');
    await waitEvent(page, 'policy-match-ready', 2);
    assert.equal(await page.evaluate(() => document.querySelector('#w').results), null);
    await page.close();
  });

  test('profile = null removes the prefill but not the answers on screen (they still read back); {} clears them', async () => {
    const { page } = await hostPage('<policy-match id="w" as-of="2026-07-01" catalogue="/catalogues/demo.json"></policy-match>');
    await waitEvent(page, 'policy-match-ready');
    await page.evaluate(() => { document.querySelector('#w').profile = { employees: 12 }; });
    await waitEvent(page, 'policy-match-change');
    const afterNull = await page.evaluate(() => { const w = document.querySelector('#w'); w.profile = null; return w.profile; });
    assert.deepEqual(afterNull, { employees: 12 });
    await page.evaluate(() => { document.querySelector('#w').profile = {}; });
    await waitEvent(page, 'policy-match-change', 2);
    assert.deepEqual(await page.evaluate(() => document.querySelector('#w').profile), {});
    assert.equal(await page.evaluate(() => document.querySelector('#w').results.find((r) => r.policy === 'small_low_profit').missing_fields.includes('employees')), true);
    await page.close();
  });

  test('catalogues: one catalogue (object or JSON text) not wrapped in an array works; an empty list is an error', async () => {
    const { page } = await hostPage('<policy-match id="w" as-of="2026-07-01"></policy-match>');
    await page.evaluate((demo) => { document.querySelector('#w').catalogues = demo; }, DEMO);
    await waitEvent(page, 'policy-match-ready');
    assert.deepEqual((await events(page, 'policy-match-ready'))[0].detail.results.map((r) => r.policy), DEMO.policies.map((p) => p.id));
    const asText = await page.evaluate((demo) => {
      const w = document.querySelector('#w');
      w.catalogues = JSON.stringify(demo);
      return w.catalogues.length;
    }, DEMO);
    assert.equal(asText, 1);
    await page.evaluate(() => { document.querySelector('#w').catalogues = []; });
    await waitEvent(page, 'policy-match-error');
    assert.equal((await events(page, 'policy-match-error'))[0].detail.name, 'no-catalogue');
    // evaluate() takes one catalogue the same way. demo.json: ≤ 300 staff and taxable income ≤ CNY 3 million.
    const verdict = await page.evaluate(async (demo) => {
      const { evaluate } = await import('/policy-match.js');
      return (await evaluate(demo, { employees: 120, taxable_income: 1000000 }, '2026-07-01')).results.find((r) => r.policy === 'small_low_profit').verdict;
    }, DEMO);
    assert.equal(verdict, 'qualifies');
    await page.close();
  });

  test('a profile set by a classic script on the server-rendered element, before the module upgrades it, is taken over', async () => {
    const { page } = await hostPage('<policy-match id="w" as-of="2026-07-01" catalogue="/catalogues/demo.json"></policy-match><script src="account.js"></script>');
    await waitEvent(page, 'policy-match-ready');
    assert.equal(await page.evaluate(() => window.__upgradedEarly), false, 'the script ran before the upgrade');
    const [ready] = await events(page, 'policy-match-ready');
    assert.deepEqual(ready.detail.profile, { employees: 120, taxable_income: 1000000 });
    // demo.json: at most 300 staff and taxable income at most CNY 3 million.
    assert.equal(ready.detail.results.find((r) => r.policy === 'small_low_profit').verdict, 'qualifies');
    await page.close();
  });

  test('the hidden attribute on the element hides it (the usual "show the widget on click")', async () => {
    const { page } = await hostPage('<policy-match id="w" hidden as-of="2026-07-01" catalogue="/catalogues/demo.json"></policy-match>');
    await waitEvent(page, 'policy-match-ready');
    assert.equal(await page.locator('#w').isVisible(), false);
    await page.evaluate(() => { document.querySelector('#w').hidden = false; });
    assert.equal(await page.locator('#w').isVisible(), true);
    assert.ok((await page.locator('#w').boundingBox()).height > 100);
    await page.close();
  });

  test('every documented CSS custom property, set on the element, changes how the widget looks (light and dark)', async () => {
    const manifest = readJson('www/custom-elements.json');
    const names = manifest.modules[0].declarations.find((d) => d.tagName === 'policy-match').cssProperties.map((p) => p.name);
    const { page } = await hostPage('<policy-match id="w" as-of="2026-07-01" catalogue="/catalogues/demo.json"></policy-match>');
    await waitEvent(page, 'policy-match-ready');
    // A state that shows every colour role: 320 staff is a near miss of small_low_profit's
    // "at most 300" (demo.json), so "within reach" shows; keyboard focus shows the focus ring.
    await page.evaluate(() => { document.querySelector('#w').profile = { employees: 320, taxable_income: 1000000 }; });
    await waitEvent(page, 'policy-match-change');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const look = () => page.evaluate(() => [...document.querySelector('#w').shadowRoot.querySelectorAll('*')].map((e) => {
      const s = getComputedStyle(e);
      return [s.color, s.backgroundColor, s.borderTopColor, s.borderLeftColor, s.outlineColor, s.boxShadow, s.backgroundImage, s.fontFamily, s.fontSize, s.borderTopLeftRadius, s.paddingTop, s.marginTop, s.gap].join('|');
    }).join('\n'));
    const value = (name) => ({ '--pm-font': 'monospace', '--pm-font-size': '21px', '--pm-radius': '1px', '--pm-density': '2' })[name] ?? 'rgb(1, 2, 3)';
    const noEffect = [];
    for (const theme of ['light', 'dark']) {
      await setAttr(page, 'theme', theme);
      const base = await look();
      for (const name of names.filter((n) => n.startsWith('--pm-dark-') === (theme === 'dark') || !n.includes('color'))) {
        await page.evaluate(([n, v]) => document.querySelector('#w').style.setProperty(n, v), [name, value(name)]);
        if ((await look()) === base) noEffect.push(`${name} (${theme})`);
        await page.evaluate((n) => document.querySelector('#w').style.removeProperty(n), name);
      }
    }
    assert.deepEqual(noEffect, []);
    await page.close();
  });

  test('as documented: element created in code with attributes set after insertion; hidden container; unknown lang; profile fields the catalogue lacks', async () => {
    const { page, problems } = await hostPage('<div id="box" hidden></div>');
    await page.evaluate(() => {
      const el = document.createElement('policy-match');
      el.id = 'w';
      document.querySelector('#box').append(el);
      el.setAttribute('catalogue', '/catalogues/demo.json');
      el.setAttribute('lang', 'fr');
      el.setAttribute('as-of', '2026-07-01');
      // employees as text is read as a number; a field the catalogue does not declare is ignored.
      el.profile = { employees: '120', taxable_income: 1000000, registered_in_zone: true };
    });
    await waitEvent(page, 'policy-match-ready');
    const [ready] = await events(page, 'policy-match-ready');
    assert.equal(ready.detail.lang, 'zh-CN', 'a language other than en… falls back to zh-CN');
    assert.deepEqual(ready.detail.profile, { employees: 120, taxable_income: 1000000 });
    assert.equal(ready.detail.results.find((r) => r.policy === 'small_low_profit').verdict, 'qualifies');
    // evaluate() lists what the widget ignored.
    const issues = await page.evaluate(async (demo) => {
      const { evaluate } = await import('/policy-match.js');
      return (await evaluate([demo], { registered_in_zone: true }, '2026-07-01')).issues.map((i) => [i.type, i.field]);
    }, DEMO);
    assert.deepEqual(issues, [['unknown-field', 'registered_in_zone']]);
    // Shown later: it lays out at its real width.
    await page.evaluate(() => { document.querySelector('#box').hidden = false; });
    const width = await page.evaluate(() => document.querySelector('#w').shadowRoot.querySelector('.pm-root').getBoundingClientRect().width);
    assert.ok(width > 500, `width ${width}`);
    await setAttr(page, 'lang', 'en-GB');
    await page.waitForFunction(() => document.querySelector('#w').shadowRoot.querySelector('.pm-root').lang === 'en');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('remembered answers across pages of one site', () => {
  test('a page with fewer catalogues writes back the answers it cannot show (same element id, one storage key)', async () => {
    const both = 'catalogues/cn-national-2026.json catalogues/example-zone.json';
    const setCatalogues = async (page, value) => {
      await page.evaluate((v) => document.getElementById('widget').setAttribute('catalogue', v), value);
      const n = NATIONAL.policies.length + ZONE.policies.length;
      await page.waitForFunction((k) => document.getElementById('widget').results?.length === k, n, { timeout: 15_000 });
    };
    // The zone page: answers to a national and a zone field, remembered.
    const zone = await open('embed.html');
    await zone.page.evaluate(() => localStorage.clear());
    await setCatalogues(zone.page, both);
    const answers = { entity_type: 'company', registered_in_zone: true };
    await zone.page.evaluate((p) => { document.getElementById('widget').profile = p; }, answers);
    await zone.page.locator('#widget .pm-remember input').check();
    await zone.page.close();
    // The national page (same site, same key): loads them, answers one more question, saves.
    const national = await open('embed.html');
    assert.equal((await national.page.evaluate(() => document.getElementById('widget').profile)).registered_in_zone, undefined, 'not shown here');
    await answerGuided(national.page, /./);
    const stored = await national.page.evaluate(() => JSON.parse(localStorage.getItem('policy-match:widget')));
    assert.equal(stored.profile.registered_in_zone, true, JSON.stringify(stored));
    await national.page.close();
    // Back with the zone catalogue: the zone answer is still there.
    const again = await open('embed.html');
    await setCatalogues(again.page, both);
    const profile = await again.page.evaluate(() => document.getElementById('widget').profile);
    assert.equal(profile.registered_in_zone, true, JSON.stringify(profile));
    assert.equal(profile.entity_type, 'company');
    assert.deepEqual([...zone.problems, ...national.problems, ...again.problems], []);
    await again.page.locator('#widget .pm-remember input').uncheck();
    await again.page.close();
  });
});

// Hostile input at the JS boundary. A Rust panic in the browser shows as `RuntimeError: unreachable` and
// kills the widget for the rest of the page's life: none may happen, every mistake is an Error with a
// name (not a message from Rust's internals), and the widget still works afterwards.
describe('hostile input at the JS boundary', () => {
  const trapped = (problems) => problems.filter((p) => /unreachable|RuntimeError|panicked|unwrap/i.test(p));

  test('evaluate(): profiles, options and catalogues of every wrong kind are named errors, never a trap', async () => {
    const { page, problems } = await open('embed.html');
    const out = await page.evaluate(async (demo) => {
      const { evaluate } = await import('./policy-match.js');
      const deep = (n, wrap) => { let v = 1; for (let i = 0; i < n; i++) v = wrap(v); return v; };
      const calls = {
        'profile function': [[demo], () => 1],
        'profile symbol': [[demo], Symbol('x')],
        'profile string': [[demo], 'garbage'],
        'profile array': [[demo], [1, 2]],
        'profile NaN': [[demo], NaN],
        'profile nested 10^4 deep': [[demo], { employees: deep(10_000, (v) => [v]) }],
        'profile object nested 10^4 deep': [[demo], deep(10_000, (v) => ({ a: v }))],
        'options function': [[demo], {}, () => 1],
        'options array': [[demo], {}, [1]],
        'tolerance NaN': [[demo], {}, { tolerance: NaN }],
        'tolerance Infinity (1e400)': [[demo], {}, { tolerance: 1e400 }],
        'tolerance an array': [[demo], {}, { tolerance: [0.1] }],
        'tolerance a string': [[demo], {}, { tolerance: '0.1' }],
        'asOf a number': [[demo], {}, { asOf: 20260701 }],
        'asOf garbage': [[demo], {}, { asOf: '2026-13-45' }],
        'asOf 10^6 characters': [[demo], {}, { asOf: 'x'.repeat(1e6) }],
        'explain a string': [[demo], {}, { explain: '*' }],
        'explain numbers': [[demo], {}, { explain: [1, 2] }],
        'options __proto__': [[demo], {}, JSON.parse('{"__proto__": {"asOf": "2026-07-01"}}')],
        'catalogue undefined': [[undefined], {}],
        'catalogue a function': [[() => 1], {}],
        'catalogue null': [[null], {}],
        'catalogue numbers': [[1, 2], {}],
        'catalogue text not JSON': [['{'], {}],
        'catalogues 1,000 copies': [new Array(1000).fill(demo), {}],
      };
      const errors = {};
      for (const [label, args] of Object.entries(calls)) {
        try { await evaluate(...args); errors[label] = 'no error'; } catch (e) { errors[label] = `${e?.name}: ${String(e?.message).slice(0, 120)}`; }
      }
      // What reads: odd but valid values are read or reported per field, never a trap.
      const odd = await evaluate([demo], {
        ...JSON.parse('{"__proto__": {"employees": 5}, "constructor": {"prototype": {"x": 1}}}'),
        employees: NaN, tech_staff: Infinity, taxable_income: -0, revenue: [1, 2], rd_ratio: '1e400', has_ip: 'NaN',
      }, '2026-07-01');
      const huge = await evaluate([demo], { employees: new Array(1e6).fill(1), ...Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])) }, { asOf: '2026-07-01', explain: new Array(1e6).fill('*') });
      const after = await evaluate([demo], { employees: 120, taxable_income: 1000000 }, '2026-07-01');
      return {
        errors,
        odd: odd.issues.map((i) => `${i.field}: ${i.type}`).sort(),
        huge: [huge.issues.length, huge.explanations.length],
        after: after.results.find((r) => r.policy === 'small_low_profit').verdict,
      };
    }, DEMO);
    for (const [label, error] of Object.entries(out.errors)) {
      assert.doesNotMatch(error, /^no error|unwrap|unreachable|panicked|wrong type|^Error:/, `${label} → ${error}`);
    }
    assert.match(out.errors['profile function'], /^schema: expected a plain object/);
    assert.match(out.errors['options function'], /^options: /);
    assert.match(out.errors['tolerance NaN'], /^options: tolerance must be a fraction/);
    assert.match(out.errors['tolerance Infinity (1e400)'], /^options: tolerance must be a fraction/);
    assert.match(out.errors['catalogue undefined'], /^schema: catalogue 1 is undefined, not an object or JSON text/);
    assert.match(out.errors['catalogue a function'], /^schema: catalogue 1 is function/);
    assert.match(out.errors['catalogues 1,000 copies'], /^duplicate-id: /);
    // __proto__ and constructor are fields the catalogue does not declare; the rest are read or reported.
    assert.deepEqual(out.odd, ['__proto__: unknown-field', 'constructor: unknown-field', 'has_ip: invalid-value', 'rd_ratio: invalid-value', 'revenue: invalid-value']);
    assert.deepEqual(out.huge, [100_001, 3]);
    assert.equal(out.after, 'qualifies');
    assert.deepEqual(trapped(problems), []);
    await page.close();
  });

  test('the element: hostile profile values, as-of and catalogue lists are reported, and it works afterwards', async () => {
    const { page, problems } = await open('embed.html');
    // Property setters throw named errors (or JSON's SyntaxError for text that is no JSON), and keep the widget alive.
    const thrown = await page.evaluate(() => {
      const w = document.getElementById('widget');
      const out = {};
      const deep = (n) => { let v = {}; for (let i = 0; i < n; i++) v = { a: v }; return v; };
      for (const [label, v] of Object.entries({ fn: () => 1, symbol: Symbol('x'), garbage: 'garbage', array: [1, 2], deep: deep(10_000), proto: JSON.parse('{"__proto__": {"employees_total_2025": 5}}'), big: { employees_total_2025: new Array(1e5).fill(1) }, nan: { employees_total_2025: NaN } })) {
        try { w.profile = v; out[label] = 'set'; } catch (e) { out[label] = `${e.name}: ${e.message.slice(0, 80)}`; }
      }
      return out;
    });
    assert.match(thrown.fn, /^schema: the profile is function/);
    assert.match(thrown.symbol, /^schema: the profile is symbol/);
    assert.match(thrown.garbage, /^SyntaxError/);
    for (const k of ['array', 'deep', 'proto', 'big', 'nan']) assert.equal(thrown[k], 'set', k);
    // as-of garbage: a bad-date error each time, the widget back on a good date.
    for (const [i, v] of ['2026-13-45', '9999-99-99', 'x'.repeat(100_000), '<script>alert(1)</script>', '-0', 'NaN'].entries()) {
      await page.evaluate((d) => document.getElementById('widget').setAttribute('as-of', d), v);
      await waitEvent(page, 'policy-match-error', i + 1);
      assert.equal((await events(page, 'policy-match-error'))[i].detail.name, 'bad-date', v.slice(0, 20));
    }
    // 1,000 catalogue URLs, all javascript: — refused as a fetch error, nothing runs, no request leaves the page.
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.evaluate(() => {
      const w = document.getElementById('widget');
      w.setAttribute('as-of', '2026-07-01');
      w.setAttribute('catalogue', Array.from({ length: 1000 }, (_, i) => `javascript:window.__ran=${i}`).join(' '));
    });
    await waitEvent(page, 'policy-match-error', 7);
    assert.equal((await events(page, 'policy-match-error'))[6].detail.name, 'catalogue-fetch');
    assert.equal(await page.evaluate(() => window.__ran), undefined);
    assert.deepEqual(requests.filter((u) => !u.startsWith(server.url)), []);
    // The catalogues property with holes, then good again: the widget works.
    await page.evaluate(() => { document.getElementById('widget').catalogues = [undefined]; });
    await waitEvent(page, 'policy-match-error', 8);
    assert.equal((await events(page, 'policy-match-error'))[7].detail.name, 'schema');
    const ready = (await events(page, 'policy-match-ready')).length;
    await page.evaluate(() => { const w = document.getElementById('widget'); w.catalogues = null; w.setAttribute('catalogue', 'catalogues/cn-national-2026.json'); });
    await waitEvent(page, 'policy-match-ready', ready + 1);
    await page.evaluate(() => { document.getElementById('widget').profile = { employees_total_2025: 12 }; });
    await page.waitForFunction(() => document.getElementById('widget').profile?.employees_total_2025 === 12, null, { timeout: 15_000 });
    assert.ok((await page.evaluate(() => document.getElementById('widget').results)).length > 0);
    assert.deepEqual(trapped(problems), []);
    await page.close();
  });

  test('share links and remembered answers holding garbage: the page opens with the widget working', async () => {
    const b64 = (s) => Buffer.from(s).toString('base64url');
    const fragments = ['%%%', '!!!', b64('not json'), b64('[1,2]'), b64('['.repeat(100_000)), Buffer.from([0xff, 0xfe, 0x80]).toString('base64url'), '',
      b64('{"__proto__": {"x": 1}, "employees_total_2025": "__proto__"}'), b64('{"employees_total_2025": 1e400, "operating_revenue_2025_cny": -0}')];
    const stored = ['garbage', '{"format":"policy-match/answers@1","profile":[1],"skipped":{"a":1},"yuan":5}', '['.repeat(100_000),
      '{"__proto__":{"employees_total_2025":3},"employees_total_2025":{"__proto__":1}}', JSON.stringify({ x: 'a'.repeat(4.5e6) })];
    const page = await browser.context.newPage();
    const problems = watchProblems(page);
    const openSelfCheck = async (hash = '') => {
      await page.goto(`${server.url}index.html?asOf=2026-07-01${hash}`);
      await page.waitForFunction(() => document.body.dataset.state, null, { timeout: 15_000 });
      assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready', hash.slice(0, 40));
      assert.equal(await page.locator('.pm-selfcheck').count(), 1);
    };
    for (const f of fragments) await openSelfCheck(`#answers=${f}`);
    for (const v of stored) {
      await page.evaluate((s) => localStorage.setItem('policy-match:self-check', s), v);
      await openSelfCheck();
    }
    await page.evaluate(() => localStorage.clear());
    assert.deepEqual(trapped(problems), []);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
