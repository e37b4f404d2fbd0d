// End-to-end: the widget and the admin page used the way people with
// disabilities use them (信息无障碍 / 适老化, GB/T 37668-2019, close to WCAG 2.1
// AA), beyond what axe-core checks (selfcheck.test.mjs and admin.test.mjs run
// axe): what a screen reader announces for a figure's box (its unit) and for
// an explanation button (its policy); a keyboard-only path to an explanation;
// the user's large default font size (the browser setting older users
// change), in the page and in the <policy-match> shadow root; Windows high
// contrast (forced colours), where backgrounds disappear. Screenshots go to
// test-output/a11y/. Needs the wasm bundles (scripts/build-wasm.sh).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT } from '../../scripts/browser.mjs';
import { outDir, serverAndBrowser } from './harness.mjs';
import { decodePng } from './png.mjs';

const OUT = outDir('a11y');
const AS_OF = '2026-07-01';

const { server, browser } = serverAndBrowser();

/**
 * A new page; `fontSize` sets the browser's default font size (Chrome's
 * Settings → Appearance → Font size: 16 px is "medium", 20 "large", 24 "very
 * large"), `forced` emulates Windows high contrast in a colour scheme.
 */
async function newPage({ fontSize, forced, width = 1280, height = 900 } = {}) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height });
  if (fontSize) {
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: fontSize, fixed: fontSize } });
  }
  if (forced) await page.emulateMedia({ forcedColors: 'active', colorScheme: forced });
  return page;
}

/** The demo page with the widget ready. */
async function openDemo(query = '', opts = {}) {
  const page = await newPage(opts);
  await page.goto(`${server.url}index.html?asOf=${AS_OF}${query}`);
  await page.waitForSelector('body[data-state]', { timeout: 15_000 });
  assert.equal(await page.getAttribute('body', 'data-state'), 'ready');
  return page;
}

/** The accessible name of the one element `locator` matches (from Playwright's ARIA snapshot). */
async function nameOf(locator) {
  const snap = await locator.ariaSnapshot();
  const m = snap.match(/^- \w+ "((?:[^"\\]|\\.)*)"/);
  assert.ok(m, `a named element: ${snap}`);
  return JSON.parse(`"${m[1]}"`);
}

/** The element that has focus, through shadow roots: "tag.class#id". */
const focused = (page) => page.evaluate(() => {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a ? `${a.tagName.toLowerCase()}.${a.className}#${a.id}` : 'none';
});

describe('accessibility: screen reader, keyboard, large text, high contrast', () => {
  for (const lang of ['zh', 'en']) {
    test(`every figure's box is named with its unit (人, %, 万元 or 元 as pressed), not only its label (${lang})`, async () => {
      const page = await openDemo(lang === 'en' ? '&lang=en' : '');
      // Open every section and its further questions.
      for (const t of await page.locator('.pm-section-toggle').all()) await t.click();
      for (const t of await page.locator('.pm-more').all()) await t.click();
      const rows = page.locator('.pm-sections .pm-input-row:has(.pm-suffix, .pm-unit-toggle)');
      const n = await rows.count();
      assert.ok(n >= 30, `figures with a unit: ${n}`);
      const wrong = [];
      for (let i = 0; i < n; i++) {
        const row = rows.nth(i);
        const input = row.locator('input.pm-input');
        const id = await input.getAttribute('id');
        const label = (await page.locator(`label.pm-q-label[for="${id}"]`).textContent()).trim();
        const unit = (await row.locator('.pm-suffix, .pm-unit[aria-pressed=true]').textContent()).trim();
        const name = await nameOf(input);
        if (name !== `${label} ${unit}`) wrong.push(`${label}: "${name}", expected "${label} ${unit}"`);
      }
      assert.deepEqual(wrong, []);
      // Pressing 元 renames the box: the figure is now read in 元.
      const money = page.locator('.pm-sections .pm-input-row:has(.pm-unit-toggle)').first();
      await money.locator('.pm-unit[aria-pressed=false]').click();
      await page.waitForFunction(() => document.querySelector('.pm-sections .pm-unit-toggle .pm-unit[aria-pressed=true]')?.matches(':last-child'));
      assert.match(await nameOf(money.locator('input.pm-input')), lang === 'zh' ? / 元$/ : / yuan$/);
      await page.close();
    });
  }

  test('what a screen reader reads: an explanation\'s facts as words apart ("rating not answered needs: A"), no decorative ✓ · ↗ (en)', async () => {
    const page = await openDemo('&lang=en');
    // The guided card's region and the privacy line: the separators and ticks drawn by CSS are not read.
    assert.equal(await nameOf(page.locator('.pm-guided')), 'Next question Basic information');
    assert.doesNotMatch(await page.locator('.pm-privacy').ariaSnapshot(), /✓/);
    await page.locator('.pm-why-btn').first().click();
    const facts = page.locator('.pm-fact:has(.pm-fact-actual)');
    await facts.first().waitFor();
    const n = await facts.count();
    for (let i = 0; i < n; i++) {
      const fact = facts.nth(i);
      const [label, actual] = await Promise.all([fact.locator('.pm-fact-label').textContent(), fact.locator('.pm-fact-actual').textContent()]);
      // The spans sit side by side with a margin: without a space between them the words ran together.
      assert.ok((await fact.ariaSnapshot()).includes(`${label} ${actual}`), `${await fact.ariaSnapshot()} has "${label} ${actual}"`);
    }
    await page.close();
  });

  test('keyboard only: Tab to an explanation button, which names its policy; Enter opens it, focus stays; the report and back', async () => {
    const page = await openDemo();
    let tabs = 0;
    while (!(await focused(page)).includes('pm-why-btn')) {
      await page.keyboard.press('Tab');
      assert.ok(++tabs < 60, 'an explanation button is reachable with Tab');
    }
    const button = page.locator('.pm-why-btn:focus');
    const card = page.locator('.pm-card', { has: button });
    const title = (await card.locator('.pm-card-title').textContent()).trim();
    // Said after "查看判定依据, button, collapsed": which policy (every card has one).
    const described = () => card.locator('.pm-why-btn').evaluate((b) => b.getRootNode().getElementById(b.getAttribute('aria-describedby') ?? '')?.textContent);
    assert.equal(await described(), title);
    assert.equal(await nameOf(button), '查看判定依据');
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    await page.keyboard.press('Enter');
    await card.locator('.pm-criteria').waitFor();
    assert.equal(await card.locator('.pm-why-btn').getAttribute('aria-expanded'), 'true');
    assert.match(await focused(page), /pm-why-btn/, 'focus stays on the button, not lost to <body>');
    const ids = await page.locator('.pm-why-btn').evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-describedby')));
    assert.equal(new Set(ids).size, ids.length);

    // The report: opened from its button, focus on its heading; 返回 brings focus back to that button.
    await page.getByRole('button', { name: '打印报告' }).first().focus();
    await page.evaluate(() => { window.print = () => {}; });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.classList.contains('pm-report-h'));
    await page.getByRole('button', { name: '返回' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !document.querySelector('.pm-report'));
    assert.match(await focused(page), /^button\.pm-btn pm-btn-quiet#pm-print$/, 'back on 打印报告, not on <body>');
    await page.close();
  });

  test('keyboard only: Escape cancels "清除全部答案？" (from its buttons or from 全部重填), focus back on 全部重填, the answers kept', async () => {
    const answers = { entity_type: 'company', registration_city: '杭州市' };
    const page = await openDemo(`#answers=${Buffer.from(JSON.stringify(answers)).toString('base64url')}`);
    const reset = page.locator('#pm-reset');
    const confirm = page.locator('.pm-confirm');
    const rev = await page.locator('.pm-selfcheck').getAttribute('data-rev');
    for (const from of ['清除', '取消', null]) {
      await reset.focus();
      await page.keyboard.press('Enter');
      await confirm.waitFor();
      assert.equal(await reset.getAttribute('aria-expanded'), 'true');
      if (from) await confirm.getByRole('button', { name: from, exact: true }).focus();
      await page.keyboard.press('Escape');
      await confirm.waitFor({ state: 'detached' });
      assert.equal(await reset.getAttribute('aria-expanded'), 'false');
      assert.match(await focused(page), /^button\.pm-btn pm-btn-quiet#pm-reset$/, `Escape from ${from ?? '全部重填'}: focus on 全部重填`);
    }
    assert.equal(await page.locator('.pm-selfcheck').getAttribute('data-rev'), rev, 'nothing cleared');
    await page.close();
  });

  test('browse mode: each policy card is an article named by its policy\'s title (a screen reader\'s list of articles)', async () => {
    const page = await newPage();
    await page.goto(`${server.url}embed-browse.html`);
    const cards = page.locator('#widget li[data-policy] article');
    await page.waitForFunction(() => document.querySelector('#widget')?.shadowRoot?.querySelector('li[data-policy] article'), null, { timeout: 15_000 });
    const n = await cards.count();
    assert.ok(n >= 20, `${n} cards`);
    const wrong = [];
    for (let i = 0; i < n; i++) {
      const card = cards.nth(i);
      const title = (await card.locator('.pm-card-title').textContent()).trim();
      const snap = await card.ariaSnapshot();
      if (!snap.startsWith(`- article ${JSON.stringify(title)}`)) wrong.push(`${title}: ${snap.split('\n')[0]}`);
    }
    assert.deepEqual(wrong, []);
    await page.close();
  });

  test('large text (适老化): the widget, the demo page and the admin page follow the browser\'s default font size, in the page and in a shadow root', async () => {
    const size = (page, sel) => page.evaluate((s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize), sel);
    // The widget in the page (widget.css linked) and the page around it.
    const page = await openDemo('', { fontSize: 24 });
    assert.equal(await size(page, '.pm-root'), 24);
    assert.equal(await size(page, '.pm-card-title'), 25.2, 'nested sizes scale from the base, not from their parent');
    assert.equal(await size(page, '.site-header h1'), 34.8);
    // The ✓ ✗ ? circles grow with their glyphs (they were 20 px whatever the text).
    await page.locator('.pm-why-btn').first().click();
    const mark = await page.locator('.pm-crit-head .pm-mark').first().evaluate((m) => m.getBoundingClientRect().width);
    assert.ok(Math.abs(mark - 24 * 0.78 * 1.6) < 0.5, `mark ${mark} px wide`);
    await page.screenshot({ path: join(OUT, 'large-text-24px.png') });
    // The documented property still sets the base.
    await page.evaluate(() => document.querySelector('#self-check').style.setProperty('--pm-font-size', '18px'));
    assert.equal(await size(page, '.pm-card-title'), 18.9);
    await page.close();

    // <policy-match> (shadow root, widget.css adopted).
    const embed = await newPage({ fontSize: 24 });
    await embed.goto(`${server.url}embed.html`);
    await embed.waitForFunction(() => document.querySelector('#widget')?.shadowRoot?.querySelector('.pm-card-title'), null, { timeout: 15_000 });
    const inShadow = (sel) => embed.evaluate((s) => parseFloat(getComputedStyle(document.querySelector('#widget').shadowRoot.querySelector(s)).fontSize), sel);
    assert.equal(await inShadow('.pm-root'), 24);
    assert.equal(await inShadow('.pm-card-title'), 25.2);
    await embed.close();

    // The admin page (rem).
    const admin = await newPage({ fontSize: 24 });
    await admin.goto(`${server.url}admin.html`);
    await admin.waitForSelector('body[data-state]', { timeout: 15_000 });
    assert.equal(await size(admin, '.admin-card h2'), 28.8);
    await admin.close();
  });

  test('large text: radio buttons and checkboxes grow with the text (18 px at 16 px, 27 px at 24 px)', async () => {
    for (const [fontSize, px] of [[undefined, 18], [24, 27]]) {
      // The zone's industry chains are checkboxes; the national catalogue's choices are radio buttons.
      const page = await openDemo('&catalogue=zone', { fontSize });
      for (const t of await page.locator('.pm-section-toggle').all()) await t.click();
      for (const t of await page.locator('.pm-more').all()) await t.click();
      const boxes = ['.pm-choice input[type=radio]', '.pm-choice input[type=checkbox]', '.pm-remember input[type=checkbox]'];
      for (const sel of boxes) {
        const { width, height } = await page.locator(sel).first().evaluate((el) => el.getBoundingClientRect());
        assert.deepEqual([width, height], [px, px], `${sel} at ${fontSize ?? 16} px`);
      }
      if (fontSize) await page.locator('.pm-choices').first().screenshot({ path: join(OUT, `choices-${fontSize}px.png`) });
      await page.close();
    }
  });

  test('admin page by keyboard: 开始匹配 does not drop focus to <body>; each 推送名单 button names its policy; focus follows to the list and the report', async () => {
    const page = await newPage();
    await page.goto(`${server.url}admin.html?catalogue=zone&asOf=${AS_OF}`);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
    // The drop zone is no focus stop of its own (Enter on it did nothing): Tab goes to the file button.
    assert.equal(await page.getAttribute('#drop-zone', 'tabindex'), null);
    const chooser = page.waitForEvent('filechooser');
    await page.focus('#file-input');
    await page.keyboard.press('Enter');
    await (await chooser).setFiles(join(ROOT, 'tests/fixtures/batch/enterprises.csv'));
    await page.waitForSelector('body[data-state="imported"]', { timeout: 60_000 });
    await page.focus('#run');
    await page.keyboard.press('Enter');
    await page.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
    await page.waitForFunction(() => document.activeElement !== document.body && !document.activeElement.disabled);
    assert.match(await focused(page), /^h2\.#(validation|results)-title$/, 'focus moved on to the results');
    // Every 推送名单 button says which policy's list it opens.
    const rows = page.locator('#summary-table tbody tr');
    const title = (await rows.first().locator('th').textContent()).replace(/^\d+ /, '').trim();
    const open = rows.first().locator('.open-push');
    assert.equal(await nameOf(open), `推送名单 ${title}`);
    await open.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !document.querySelector('#push-section').hidden && document.activeElement.id === 'push-title');
    // One Tab from the list's heading reaches the list's own controls, not the next 推送名单.
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.querySelector('#push-section').contains(document.activeElement)), await focused(page));
    // An enterprise's report: focus goes to it.
    const ent = page.locator('#push-table tbody .pm-link').first();
    assert.ok(await ent.count(), 'the first policy\'s push list has enterprises');
    await ent.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement.id === 'report-title');
    await page.close();
  });

  test('200 % text (32 px) on a 360 px phone: neither the self-check nor the admin page scrolls sideways', async () => {
    const wide = (page) => page.evaluate(() => document.documentElement.scrollWidth);
    const page = await openDemo('', { fontSize: 32, width: 360 });
    await page.locator('.pm-section-toggle').nth(1).click();
    await page.locator('.pm-why-btn').first().click();
    assert.equal(await wide(page), 360);
    await page.close();
    const admin = await newPage({ fontSize: 32, width: 360 });
    await admin.goto(`${server.url}admin.html?catalogue=zone&asOf=${AS_OF}`);
    await admin.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
    await admin.setInputFiles('#file-input', join(ROOT, 'tests/fixtures/batch/enterprises.csv'));
    await admin.waitForSelector('body[data-state="imported"]', { timeout: 60_000 });
    await admin.click('#run');
    await admin.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
    await admin.click('.open-push');
    await admin.waitForSelector('#push-section:not([hidden])');
    // Wide tables scroll in their own box; buttons wrap, the search box shrinks.
    assert.equal(await wide(admin), 360);
    await admin.screenshot({ path: join(OUT, 'admin-32px-360.png') });
    await admin.close();
  });

  for (const scheme of ['light', 'dark']) {
    test(`Windows high contrast (${scheme}): pressed choices, units and filters, the progress and the focus ring stay visible`, async () => {
      const page = await openDemo('', { forced: scheme });
      await page.locator('.pm-section-toggle').nth(1).click();
      const looks = (sel) => page.evaluate((s) => {
        const el = document.querySelector(s);
        const c = getComputedStyle(el);
        return `${c.backgroundColor} ${c.color}`;
      }, sel);
      const pairs = [
        ['.pm-chip[aria-pressed=true]', '.pm-chip[aria-pressed=false]'],
        ['.pm-sections .pm-unit[aria-pressed=true]', '.pm-sections .pm-unit[aria-pressed=false]'],
      ];
      for (const [on, off] of pairs) assert.notEqual(await looks(on), await looks(off), `${on} differs from ${off}`);
      // The progress bar's filled part is not the colour of its track (after one answer).
      await page.locator('.pm-guided .pm-option').first().click();
      await page.waitForFunction(() => document.querySelector('.pm-selfcheck').dataset.rev !== '0');
      // (Its pseudo-elements have no computed style to read: look at the pixels of its middle row.)
      const png = decodePng(await page.locator('.pm-progress-bar').screenshot());
      const y = png.height >> 1;
      const px = (x) => png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3).join(',');
      const track = px(png.width - 4);
      let filled = 0;
      for (let x = 0; x < png.width; x++) filled += px(x) !== track;
      assert.ok(filled / png.width > 0.05, `the filled part shows: ${filled} of ${png.width} pixels differ from the track`);
      // The guided card moves on after an answer, so a pressed option is marked by hand to see its style.
      const opts = await page.evaluate(() => {
        const [a, b] = document.querySelectorAll('.pm-guided .pm-option');
        a.setAttribute('aria-pressed', 'true');
        return [a, b].map((x) => getComputedStyle(x).backgroundColor);
      });
      assert.notEqual(opts[0], opts[1], 'a pressed option differs from the others');
      // Keyboard focus: a ring that is not transparent.
      await page.keyboard.press('Tab');
      const ring = await page.evaluate(() => {
        const c = getComputedStyle(document.activeElement);
        return `${c.outlineStyle} ${c.outlineWidth} ${c.outlineColor}`;
      });
      assert.match(ring, /^solid [1-9]\d*(\.\d+)?px rgba?\((?!0, 0, 0, 0\))/, ring);
      await page.screenshot({ path: join(OUT, `forced-colors-${scheme}.png`) });
      await page.close();
    });
  }
});
