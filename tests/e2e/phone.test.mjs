// End-to-end: 企业自测 on a phone, as enterprise staff open it from a zone portal (often in
// WeChat's browser): Chromium at 360×740 CSS px, 2×, touch (a coarse pointer, no hover), zh-CN.
// They answer with a thumb, open explanations, use the answer tools, and print the report (or
// the results) for their boss. Layout facts are measured (bounding boxes, scrollWidth, pages of
// the PDF), never pixels. Needs the wasm bundle in www/pkg (scripts/build-wasm.sh).
// Screenshots and PDFs in test-output/phone/.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { watchProblems } from '../../scripts/browser.mjs';
import { outDir, readJson, serverAndPhone } from './harness.mjs';

const OUT = outDir('phone');
const AS_OF = '2026-07-01';
const { server, phone } = serverAndPhone();

const SME = readJson('tests/cases/profiles/software_sme_hnte.json').cases[0].profile;
const answers = (profile) => Buffer.from(JSON.stringify(Object.fromEntries(Object.entries(profile).filter(([k]) => k !== 'id')))).toString('base64url');

/** The demo with national + example zone catalogues on the phone, answers from a share link. */
async function open(profile) {
  const page = await phone.newPage();
  const problems = watchProblems(page);
  await page.goto(`${server.url}index.html?catalogue=zone&asOf=${AS_OF}${profile ? `#answers=${answers(profile)}` : ''}`);
  await page.waitForSelector('body[data-state=ready]', { timeout: 15_000 });
  assert.equal(await page.getAttribute('body', 'data-state'), 'ready');
  return { page, problems };
}

const shot = (page, name, fullPage = false) => page.screenshot({ path: join(OUT, `${name}.png`), fullPage });
const pageCount = (pdf) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;

/**
 * Every control a thumb can reach in the widget under `host` (the page, or a shadow host),
 * smaller than 40 × 40 CSS px: `tag.class "text" W×H`. A checkbox or radio button counts
 * with its label (tapping either works); a control moved off screen (the skip link until it
 * has focus) is not reachable by touch.
 */
function smallTargets(page, host = null) {
  return page.evaluate((host) => {
    const root = host ? document.querySelector(host).shadowRoot : document;
    const out = [];
    for (const el of root.querySelectorAll('.pm-root button, .pm-root a[href], .pm-root input, .pm-root select, .pm-root textarea')) {
      const target = el.matches('input[type=checkbox], input[type=radio]') ? (el.closest('label') ?? el.labels?.[0] ?? el) : el;
      const r = target.getBoundingClientRect();
      if (!r.width || !r.height || r.right <= 0 || getComputedStyle(el).visibility === 'hidden') continue;
      if (r.width < 40 || r.height < 40) {
        out.push(`${target.tagName.toLowerCase()}.${[...target.classList].join('.')} "${(target.textContent || target.value || '').trim().slice(0, 16)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
    return [...new Set(out)];
  }, host);
}

const scrollWidth = (page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('企业自测 on a phone (360×740, touch, zh-CN)', () => {
  test('every control is big enough for a thumb (≥ 40 px), and nothing scrolls sideways, at each step', async () => {
    // Half of the software SME's answers: undecided policies with "还需回答" links to their questions.
    const half = Object.fromEntries(Object.entries(SME).slice(0, 30));
    const { page, problems } = await open(half);
    assert.equal(await page.evaluate(() => matchMedia('(pointer: coarse)').matches), true, 'a touch screen');
    await shot(page, '01-first');
    assert.deepEqual(await smallTargets(page), [], 'first view: toolbar, guided card, filter chips, cards');
    // Two explanations open: criteria with "还需回答" links.
    const why = page.locator('.pm-group-undecided .pm-why-btn');
    await why.nth(0).tap();
    await why.nth(1).tap();
    await page.locator('.pm-group-undecided .pm-criteria').first().scrollIntoViewIfNeeded();
    await shot(page, '02-explanation');
    // A section opened, with its answers' 清除答案 links.
    await page.locator('.pm-sections button[aria-expanded]').first().tap();
    await page.locator('.pm-sections').scrollIntoViewIfNeeded();
    await shot(page, '03-section');
    assert.deepEqual(await smallTargets(page), [], 'explanations and a section open');
    assert.equal(await scrollWidth(page), 360);
    // 全部重填 asks first: 清除 / 取消 are thumb-sized too.
    await page.getByRole('button', { name: '全部重填' }).tap();
    await page.getByRole('button', { name: '取消' }).waitFor();
    await shot(page, '04-reset-confirm');
    assert.deepEqual(await smallTargets(page), [], '全部重填 confirmation');
    await page.getByRole('button', { name: '取消' }).tap();
    // 分享链接: the link in its box, with 复制链接 beside it.
    await page.locator('.pm-actions').getByRole('button', { name: '分享链接' }).tap();
    await page.locator('.pm-share-link').waitFor();
    await shot(page, '05-share');
    assert.deepEqual(await smallTargets(page), [], 'share notice');
    assert.equal(await scrollWidth(page), 360);
    // The report.
    await page.locator('.pm-actions').getByRole('button', { name: '打印报告' }).tap();
    await page.locator('.pm-report').waitFor();
    await shot(page, '06-report');
    assert.deepEqual(await smallTargets(page), [], 'report');
    assert.equal(await scrollWidth(page), 360);
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  test('no hover look on a touch screen: the option under the thumb in the next question does not look chosen', async () => {
    // Android's Chromium keeps :hover on the element last tapped; an answer re-renders the guided
    // card in place, so the next question's first option sits under the thumb, hovered.
    const { page, problems } = await open();
    const guided = page.locator('.pm-guided');
    await guided.scrollIntoViewIfNeeded();
    const option = guided.locator('.pm-option').first();
    const look = () => option.evaluate((o) => { const c = getComputedStyle(o); return `${c.color} ${c.borderColor} ${c.backgroundColor}`; });
    const plain = await look();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const hover = async (selector) => {
      const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
      await cdp.send('CSS.forcePseudoState', { nodeId, forcedPseudoClasses: ['hover'] });
    };
    await hover('.pm-guided .pm-option');
    assert.equal(await option.evaluate((o) => o.matches(':hover')), true);
    assert.equal(await look(), plain, 'a hovered option looks like any other');
    // The same for a button and a category chip.
    for (const sel of ['.pm-actions .pm-btn', '.pm-chip:not([aria-pressed=true])']) {
      const el = page.locator(sel).first();
      const before = await el.evaluate((e) => `${getComputedStyle(e).backgroundColor} ${getComputedStyle(e).borderColor}`);
      await hover(sel);
      assert.equal(await el.evaluate((e) => `${getComputedStyle(e).backgroundColor} ${getComputedStyle(e).borderColor}`), before, sel);
    }
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  test('amounts in the hundreds of thousands and millions read in 万元, exact to the 元 (119.7734万元, not 1,197,734元)', async () => {
    // The software SME with ¥2,345,670 of taxable income (its case file: 2,400,000). Qualifying amounts,
    // from the policy reference: 杭州"新雏鹰" 50万元; small low-profit CIT relief 2,345,670 × 25% × 20% …
    // as a saving against 25 %: 2,345,670 × 20% = 469,134元 (take-higher against the HNTE rate's
    // 2,345,670 × 10% = 234,567元); R&D super-deduction 3,300,000 × 100% × 5%… = 16.5万元 as the widget
    // shows it; UI refund 96,000 × 60% = 57,600元; job-expansion subsidy 4 × 1,500 = 6,000元.
    // Total 500,000 + 469,134 + 165,000 + 57,600 + 6,000 = 1,197,734元 = 119.7734万元.
    const { page, problems } = await open({ ...SME, cit_taxable_income_2025_cny: 2345670 });
    assert.equal(await page.textContent('.pm-total-v'), '119.7734万元');
    assert.equal(await page.textContent('[data-policy=cit_small_low_profit_enterprise] .pm-amount-v'), '46.9134万元');
    assert.equal(await page.textContent('[data-policy=hnte_15pct_cit_rate] .pm-amount-v'), '23.4567万元');
    // Under 10万元: in 万元 when two decimals say it (as before), else in 元.
    assert.equal(await page.textContent('[data-policy=ui_job_stabilization_refund_2026] .pm-amount-v'), '5.76万元');
    await page.locator('.pm-actions').getByRole('button', { name: '打印报告' }).tap();
    await page.locator('.pm-report').waitFor();
    assert.equal(await page.textContent('.pm-report .pm-tile-total .pm-tile-n'), '119.7734万元');
    // The answers list writes the figure as it was typed in its 万元 box.
    assert.match(await page.locator('.pm-report-answer', { hasText: '2025年度应纳税所得额' }).textContent(), /234\.567万元/);
    await shot(page, '07-report-total');
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  test('打印报告 opens the report at its heading, at the top of the screen; 返回 shows 打印报告 again', async () => {
    const { page, problems } = await open(SME);
    await page.locator('.pm-notice-close').tap();
    await page.locator('.pm-actions').getByRole('button', { name: '打印报告' }).tap();
    await page.locator('.pm-report').waitFor();
    // The browser scrolls a focused heading only until it is in view: it was on the bottom line
    // (589 px down a 740 px screen), under the toolbar, and the report seemed not to open.
    const top = await page.locator('.pm-report-h').evaluate((h) => h.getBoundingClientRect().top);
    assert.ok(top >= 0 && top < 740 / 4, `the report's heading ${Math.round(top)} px from the top`);
    await shot(page, '10-report-opened');
    await page.getByRole('button', { name: '返回' }).tap();
    await page.locator('.pm-guided').waitFor();
    const back = await page.evaluate(() => {
      const a = document.activeElement;
      const r = a.getBoundingClientRect();
      return { text: a.textContent, top: r.top, bottom: r.bottom };
    });
    assert.equal(back.text, '打印报告', 'focus back on the button that opened the report');
    assert.ok(back.top >= 0 && back.bottom <= 740, `打印报告 in view: ${JSON.stringify(back)}`);
    await shot(page, '11-report-back');
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  test('printed (Ctrl+P) with explanations open, the results take as few A4 pages as the report', async () => {
    const { page, problems } = await open(SME);
    // The report: 25 policies on at most 3 pages.
    await page.locator('.pm-actions').getByRole('button', { name: '打印报告' }).tap();
    await page.locator('.pm-report').waitFor();
    const report = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    writeFileSync(join(OUT, 'report.pdf'), report);
    assert.ok(pageCount(report) <= 3, `the report: ${pageCount(report)} pages`);
    await page.getByRole('button', { name: '返回' }).tap();
    // The results with the first three explanations open (was 8 pages: every criterion a padded box).
    const why = page.locator('.pm-why-btn');
    for (let i = 0; i < 3; i++) await why.nth(i).tap();
    const results = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    writeFileSync(join(OUT, 'results-3-open.pdf'), results);
    assert.ok(pageCount(results) <= pageCount(report) + 1, `the results with three explanations open: ${pageCount(results)} pages (report ${pageCount(report)})`);
    await page.emulateMedia({ media: 'print' });
    // Criteria print as lines, not boxes, and every open explanation is printed.
    const crit = await page.locator('.pm-crit').first().evaluate((c) => getComputedStyle(c).paddingTop);
    assert.equal(crit, '0px');
    assert.equal(await page.locator('.pm-card-details:visible').count(), 3);
    await page.setViewportSize({ width: 720, height: 1000 });
    await shot(page, '08-results-print', true);
    await page.emulateMedia({ media: 'screen' });
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  test('the 2012 portal (embed-legacy.html) on a phone: the widget in its sidebar has thumb-sized controls and stays in its box', async () => {
    const page = await phone.newPage();
    const problems = watchProblems(page);
    await page.goto(`${server.url}embed-legacy.html`);
    await page.waitForFunction(() => document.querySelector('policy-match')?.shadowRoot?.querySelector('.pm-selfcheck .pm-guided'), null, { timeout: 15_000 });
    const guided = page.locator('policy-match .pm-guided');
    await guided.scrollIntoViewIfNeeded();
    await guided.locator('.pm-option').first().tap();
    await page.locator('policy-match .pm-why-btn').first().tap();
    await guided.scrollIntoViewIfNeeded();
    await shot(page, '09-legacy');
    assert.deepEqual(await smallTargets(page, 'policy-match'), [], 'controls in the shadow root');
    const fit = await page.evaluate(() => {
      const host = document.querySelector('policy-match');
      const box = host.getBoundingClientRect();
      const root = host.shadowRoot.querySelector('.pm-root');
      return { host: Math.round(box.width), scroll: root.scrollWidth, client: root.clientWidth };
    });
    assert.ok(fit.scroll <= fit.client, `nothing wider than the widget: ${JSON.stringify(fit)}`);
    assert.deepEqual(problems, []);
    await page.context().close();
  });
});
