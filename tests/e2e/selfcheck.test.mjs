// End-to-end: the self-check widget on the demo page (www/index.html) in
// headless Chromium via playwright-core, served with the strict CSP by
// scripts/serve.mjs. Needs the wasm bundle in www/pkg (scripts/build-wasm.sh).
//
// Flows: a micro retailer and a software SME answer the guided questions
// (from the hand-checked profiles in tests/cases/profiles) and land in the
// expected groups; two 企业自测 personas (a finance manager; a 个体工商户 on a
// phone) with verdicts and amounts derived by hand from the policy reference; skip; language; print view; share link; remember on/off;
// keyboard; 360 px phone; axe-core (zero serious or critical violations);
// no request but the page's own files. Screenshots of every step go to
// test-output/e2e/.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { watchProblems } from '../../scripts/browser.mjs';
import { assertAccessible, outDir, readJson, serverAndBrowser } from './harness.mjs';

const OUT = outDir('e2e');
const AS_OF = '2026-07-01';

const NATIONAL = readJson('www/catalogues/cn-national-2026.json');
const ZONE = readJson('www/catalogues/example-zone.json');
const FIELDS = new Map([...NATIONAL.fields, ...ZONE.fields].map((f) => [f.name, f]));
const POLICIES = new Map([...NATIONAL.policies, ...ZONE.policies].map((p) => [p.id, p]));
const byLabel = new Map([...FIELDS.values()].flatMap((f) => [[f.label.zh, f], [f.label.en, f]]));

/** A hand-checked profile and its expected verdicts. */
function caseFile(name) {
  const c = readJson(`tests/cases/profiles/${name}.json`);
  return { profile: c.cases[0].profile, expect: Object.fromEntries(c.cases.map((x) => [x.expect.policy, x.expect.verdict])) };
}

const { server, browser } = serverAndBrowser();

/** Open the demo; collects console errors, CSP violations and every request. */
async function open(query = '', { width = 1280, height = 900, page: existing } = {}) {
  const page = existing ?? await browser.context.newPage();
  await page.setViewportSize({ width, height });
  const problems = watchProblems(page);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const res = await page.goto(`${server.url}index.html${query}`);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-security-policy'] ?? '', /script-src 'self' 'wasm-unsafe-eval'/);
  await page.waitForSelector('body[data-state]', { timeout: 15_000 });
  assert.equal(await page.getAttribute('body', 'data-state'), 'ready', await page.textContent('body'));
  return { page, problems, requests };
}

const shot = (page, name, fullPage = false) => page.screenshot({ path: join(OUT, `${name}.png`), fullPage });
const rev = (page) => page.getAttribute('.pm-selfcheck', 'data-rev');

/** Run an action and wait until the answers' revision changes. */
async function changing(page, action) {
  const before = await rev(page);
  await action();
  await page.waitForFunction((b) => document.querySelector('.pm-selfcheck')?.dataset.rev !== b, before, { timeout: 5_000 });
}

/** The group ('qualifies' | 'undecided' | 'not') each policy card is in. */
async function groupsOf(page) {
  return page.evaluate(() => Object.fromEntries([...document.querySelectorAll('.pm-group')].flatMap((g) => {
    const key = [...g.classList].find((c) => c.startsWith('pm-group-')).slice('pm-group-'.length);
    return [...g.querySelectorAll('.pm-card')].map((c) => [c.dataset.policy, key]);
  })));
}

const GROUP = { qualifies: 'qualifies', undecided: 'undecided', does_not_qualify: 'not' };

/** Assert each policy's group; on a mismatch, say why (the card's explanation). */
async function expectGroups(page, expect) {
  const groups = await groupsOf(page);
  for (const [policy, verdict] of Object.entries(expect)) {
    if (groups[policy] === GROUP[verdict]) continue;
    const card = page.locator(`[data-policy=${policy}]`);
    await card.locator('.pm-why-btn').click();
    await card.locator('.pm-criteria').waitFor();
    assert.fail(`${policy}: expected ${GROUP[verdict]}, shown as ${groups[policy]}: ${(await card.locator('.pm-criteria').innerText()).slice(0, 1500)}`);
  }
}

/** Answer the guided question from `profile` (skip what it leaves blank). */
async function answerGuided(page, profile) {
  const label = (await page.textContent('.pm-guided .pm-q-label')).trim();
  const field = byLabel.get(label);
  assert.ok(field, `a catalogue field labelled ${label}`);
  const v = profile[field.name];
  const guided = page.locator('.pm-guided');
  if (v === null || v === undefined) {
    await changing(page, () => guided.getByRole('button', { name: /不清楚|don't know/ }).click());
    return { field: field.name, skipped: true };
  }
  const submit = () => changing(page, () => guided.locator('button[type=submit]').click());
  switch (field.type) {
    case 'boolean':
      await changing(page, () => guided.locator('.pm-option', { hasText: v ? /^(是|Yes)$/ : /^(否|No)$/ }).click());
      break;
    case 'enum':
      if (field.options.length <= 6) {
        const opt = field.options.find((o) => o.value === v);
        await changing(page, () => guided.locator('.pm-option').filter({ hasText: new RegExp(`^${opt.label.zh.replace(/[()（）]/g, '.')}$|^${opt.label.en.replace(/[()]/g, '.')}$`) }).click());
      } else {
        await guided.locator('select').selectOption(v);
        await submit();
      }
      break;
    case 'date_list':
      if (v.length === 0) {
        await changing(page, () => guided.locator('label.pm-choice').first().click());
      } else {
        await guided.locator('label.pm-choice').nth(1).click();
        for (let i = 0; i < v.length; i++) {
          if (i > 0) await guided.getByRole('button', { name: /添加日期|Add a date/ }).click();
          await guided.locator('.pm-date-items input').nth(i).fill(v[i]);
        }
        await changing(page, () => guided.locator('.pm-dates .pm-btn-primary').click());
      }
      break;
    case 'date':
      await guided.locator('input[type=date]').fill(v);
      await submit();
      break;
    case 'string_list':
      if (!field.options) {
        await guided.locator('input.pm-input').fill(v.join(';'));
      } else {
        const labels = v.length ? field.options.filter((o) => v.includes(o.value)).map((o) => o.label.zh) : ['没有'];
        for (const l of labels) await guided.locator('label.pm-choice', { hasText: l }).click();
      }
      await submit();
      break;
    default:
      if (field.unit === 'cny') {
        // Type the figure in 元 (the widget starts in 万元).
        if (await guided.locator('.pm-unit[aria-pressed=true]').textContent() !== '元') {
          await changing(page, () => guided.locator('.pm-unit').nth(1).click());
        }
      }
      await guided.locator('input.pm-input').fill(Array.isArray(v) ? v.join(';') : String(v));
      await submit();
  }
  return { field: field.name, skipped: false };
}

/** Answer guided questions until none is left; returns what was asked. */
async function answerAll(page, profile, { shots = '' } = {}) {
  const asked = [];
  for (let i = 0; i < 100; i++) {
    if (await page.locator('.pm-guided-done').count()) return asked;
    if (shots && i === 2) await shot(page, `${shots}-guided`);
    asked.push(await answerGuided(page, profile));
  }
  throw new Error(`the questionnaire did not end: ${JSON.stringify(asked)}`);
}

/** axe-core on the current page: no serious or critical violations. */
const axe = (page, what) => assertAccessible(page, join(OUT, `axe-${what}.json`), what);

/** Only the page's own files were requested (the answers never leave the browser). */
function ownFilesOnly(requests) {
  const bad = requests.filter((u) => !u.startsWith(server.url) || !/\/(index\.html|main\.js|style\.css|widget\.css|pkg\/[\w.]+|catalogues\/[\w.-]+\.json)(\?.*)?$/.test(u.split('#')[0]));
  assert.deepEqual(bad, []);
}

describe('self-check widget', () => {
  test('first view: every policy listed, one guided question, accessible (zh, desktop)', async () => {
    const { page, problems, requests } = await open(`?asOf=${AS_OF}`);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await page.locator('.pm-card').count(), NATIONAL.policies.length);
    assert.equal(await page.locator('.pm-guided .pm-q-label').count(), 1);
    assert.match(await page.textContent('.pm-guided .pm-why'), /项政策/);
    assert.match(await page.textContent('.pm-progress'), /已回答 0 题/);
    // Which day the verdicts and deadlines are for.
    assert.equal(await page.textContent('.pm-asof'), '评估日期：2026年7月1日');
    await shot(page, '01-first-view-zh');
    await axe(page, 'first-view-zh');
    ownFilesOnly(requests);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('micro retailer (个体工商户): guided answers, skips, expected groups, explanation', async () => {
    const { profile, expect } = caseFile('micro_retailer_getihu');
    const { page, problems, requests } = await open(`?asOf=${AS_OF}`);
    const asked = await answerAll(page, profile, { shots: '02-micro' });
    assert.ok(asked.length < NATIONAL.fields.length / 2, `asked ${asked.length} of ${NATIONAL.fields.length}`);
    await expectGroups(page, expect);
    // A question it could not answer was skipped: the policy stays undecided and says so.
    assert.ok(asked.some((a) => a.skipped));
    const credit = page.locator('[data-policy=tax_credit_a_level_incentives]');
    await assert.doesNotReject(credit.locator('.pm-tag-skipped').first().waitFor({ timeout: 2_000 }));
    assert.match(await page.textContent('.pm-guided-done'), /你跳过了/);
    // The qualifying VAT exemption estimates its value; open its explanation.
    const vat = page.locator('[data-policy=vat_small_scale_threshold_exemption]');
    assert.match(await vat.locator('.pm-amount-v').textContent(), /5,580元/);
    await vat.locator('.pm-why-btn').click();
    await vat.locator('.pm-criteria').waitFor();
    assert.equal(await vat.locator('.pm-crit-head .pm-mark-not-met').count(), 0);
    assert.ok(await vat.locator('.pm-crit-head .pm-mark-met').count() >= 2);
    await vat.scrollIntoViewIfNeeded();
    await shot(page, '03-micro-explanation');
    // A card that fails shows ✗ with the actual and required values.
    const hnte = page.locator('[data-policy=hnte_recognition_eligibility]');
    await hnte.locator('.pm-why-btn').click();
    await hnte.locator('.pm-fact-req').first().waitFor();
    assert.ok(await hnte.locator('.pm-crit-head .pm-mark-not-met').count() >= 1);
    await axe(page, 'micro-results-zh');
    await shot(page, '04-micro-results-full', true);
    ownFilesOnly(requests);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('software SME: guided answers in yuan and 万元, expected groups, estimated value, print view', async () => {
    const { profile, expect } = caseFile('software_sme_hnte');
    const { page, problems } = await open(`?asOf=${AS_OF}`);
    await answerAll(page, profile);
    await expectGroups(page, expect);
    // The value: the small low-profit CIT relief (480,000) and the HNTE rate are take-higher.
    assert.match(await page.textContent('[data-policy=cit_small_low_profit_enterprise] .pm-amount-v'), /48万元/);
    assert.match(await page.textContent('[data-policy=hnte_15pct_cit_rate] .pm-conflict'), /就高不重复/);
    assert.match(await page.textContent('.pm-total-v'), /万元/);
    await shot(page, '05-sme-results');

    // Print view: the report with every policy's criteria, on paper.
    await page.getByRole('button', { name: '打印报告' }).click();
    await page.locator('.pm-report').waitFor();
    assert.equal(await page.locator('.pm-report-item').count(), NATIONAL.policies.length);
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('pm-report-h')), true, 'focus on the report heading');
    await shot(page, '06-report-screen', true);
    await axe(page, 'report');
    await page.emulateMedia({ media: 'print' });
    await shot(page, '07-report-print', true);
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    writeFileSync(join(OUT, 'report.pdf'), pdf);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.ok(pages >= 1 && pages <= 3, `${pages} printed pages`);
    assert.equal(await page.locator('.pm-toolbar').isVisible(), false, 'tools are not printed');
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: '返回' }).click();
    await page.locator('.pm-guided').waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('企业自测 on the zone portal: an HNTE candidate exactly at the thresholds, figures typed as people type them', async () => {
    // 国科发火〔2016〕32号 第十一条: S&T staff ≥ 10% (30 of 300 is exactly 10%); last-year sales ≤ 5000万 (inclusive)
    // → 3-year R&D / sales ≥ 5% (675万 of 13,500万 is exactly 5%); domestic R&D ≥ 60%; high-tech income ≥ 60%;
    // innovation score > 70 (the catalogue's reading of U5). Every test is met at its limit: qualifies.
    const typed = {
      entity_type: 'company', is_resident_enterprise: true, listed_business_abnormal_or_serious_dishonesty: false,
      industry_restricted_or_prohibited: false, registration_date: '2020-01-01', major_incident_dates: [],
      owns_core_ip_for_main_products: true, core_tech_in_state_supported_high_tech_fields: true,
      employees_total_2025: '300', tech_staff_2025: '30人',
      operating_revenue_2023_cny: '4000', operating_revenue_2024_cny: '4,500万', operating_revenue_2025_cny: '5000万元',
      rd_expense_2023_cny: '200', rd_expense_2024_cny: '225', rd_expense_2025_cny: '２５０',
      domestic_rd_share_2023_2025_pct: '60', high_tech_product_income_share_2025_pct: '６０％', hnte_innovation_capability_score: '71分',
    };
    const { page, problems } = await open(`?asOf=${AS_OF}&catalogue=zone`);
    const guided = page.locator('.pm-guided');
    for (let i = 0; i < 120 && !(await page.locator('.pm-guided-done').count()); i++) {
      const field = byLabel.get((await guided.locator('.pm-q-label').textContent()).trim());
      const v = typed[field.name];
      if (v === undefined) {
        await changing(page, () => guided.getByRole('button', { name: '不清楚，跳过' }).click());
      } else if (field.type === 'boolean') {
        await changing(page, () => guided.locator('.pm-option', { hasText: v ? /^是$/ : /^否$/ }).click());
      } else if (field.type === 'enum') {
        await changing(page, () => guided.locator('.pm-option', { hasText: field.options.find((o) => o.value === v).label.zh }).click());
      } else if (field.type === 'date_list') {
        await changing(page, () => guided.locator('label.pm-choice').first().click());
      } else {
        const input = guided.locator('input.pm-input, input[type=date]').first();
        await input.fill(v);
        await changing(page, () => input.press('Enter'));
        assert.equal(await page.locator('.pm-guided .pm-err').count(), 0, `${field.label.zh}: ${v} is accepted`);
      }
    }
    const hnte = page.locator('[data-policy=hnte_recognition_eligibility]');
    await hnte.locator('.pm-why-btn').click();
    await hnte.locator('.pm-criteria').waitFor();
    await hnte.scrollIntoViewIfNeeded();
    await shot(page, '18-hnte-at-thresholds');
    assert.equal((await groupsOf(page)).hnte_recognition_eligibility, 'qualifies', await hnte.locator('.pm-criteria').innerText());
    const facts = await hnte.locator('.pm-fact').allInnerTexts();
    assert.ok(facts.some((t) => /科技人员占职工总数比例\s*10%/.test(t)), facts.join(' | '));
    assert.ok(facts.some((t) => /研发费用占销售收入比例\s*5%/.test(t)), facts.join(' | '));
    // Then in English: the same verdict, the criteria in English only (no Chinese text or 「」 quotes).
    await page.getByRole('button', { name: /English/ }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal((await groupsOf(page)).hnte_recognition_eligibility, 'qualifies');
    const criteria = await hnte.locator('.pm-criteria').innerText();
    assert.doesNotMatch(criteria, /[\u4e00-\u9fff「」]/, criteria);
    assert.match(criteria, /10%/);
    const six = page.locator('[data-policy=six_taxes_two_fees_half_reduction]');
    await six.locator('.pm-why-btn').click();
    assert.doesNotMatch(await six.locator('.pm-criteria').innerText(), /[\u4e00-\u9fff「」]/);
    await shot(page, '19-hnte-at-thresholds-en');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('money in 万元 by default, inline validation, jump from a missing field to its question', async () => {
    const { page, problems } = await open(`?asOf=${AS_OF}`);
    const card = page.locator('[data-policy=cit_small_low_profit_enterprise]');
    await card.locator('.pm-why-btn').click();
    await changing(page, () => card.locator('.pm-card-details .pm-missing .pm-link', { hasText: '2025年度应纳税所得额' }).first().click()).catch(() => {});
    const slot = await page.evaluate(() => document.activeElement?.id);
    assert.match(slot ?? '', /^pm-q-\d+-in$/, 'focus on the question input');
    const id = slot.replace(/-in$/, '');
    await page.fill(`#${slot}`, '120');
    await changing(page, () => page.press(`#${slot}`, 'Enter'));
    assert.match(await page.textContent(`#${id}`), /折合 1,200,000元/);
    await page.fill(`#${slot}`, '一百万');
    await changing(page, () => page.press(`#${slot}`, 'Enter'));
    assert.equal(await page.getAttribute(`#${slot}`, 'aria-invalid'), 'true');
    assert.match(await page.textContent(`#${id}-err`), /请输入数字/);
    await page.locator(`#${id}`).scrollIntoViewIfNeeded();
    await shot(page, '08-validation');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a figure typed in the sections, then 元 chosen: read in 元 (it was committed in 万元 on the way to the button: 10,000 times too much)', async () => {
    // 企业自测: many people type the figure first and then pick the unit next to the box.
    const { page, problems } = await open(`?asOf=${AS_OF}`);
    await page.locator('.pm-section-toggle', { hasText: '财务与税务' }).click();
    const q = page.locator('.pm-sections .pm-q', { has: page.locator('.pm-q-label', { hasText: '2025年度应纳税所得额' }) });
    const input = q.locator('input.pm-input');
    await input.fill('1200000');
    await changing(page, () => q.locator('.pm-unit', { hasText: /^元$/ }).click());
    assert.equal(await q.locator('.pm-unit[aria-pressed=true]').textContent(), '元');
    assert.equal(await input.inputValue(), '1,200,000');
    assert.match(await q.locator('.pm-hint').textContent(), /折合 120万元/);
    assert.equal(await page.evaluate(() => document.activeElement?.matches('input.pm-input')), true, 'focus stays in the box');
    // A committed figure keeps its value when the unit changes (the toggle converts the text).
    await changing(page, () => q.locator('.pm-unit', { hasText: /^万元$/ }).click());
    assert.equal(await input.inputValue(), '120');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('keyboard only: Tab to the question, answer with Enter, focus follows to the next question, visible focus', async () => {
    const { page, problems } = await open(`?asOf=${AS_OF}`);
    const first = await page.textContent('.pm-guided .pm-q-label');
    // From the top of the page, Tab until focus is in the guided card.
    let tabs = 0;
    for (; tabs < 40; tabs++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.closest('.pm-guided') !== null)) break;
    }
    assert.ok(tabs < 40, 'the guided question is reachable with Tab');
    assert.equal(await page.evaluate(() => document.activeElement.matches(':focus-visible')), true);
    assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'none', 'visible focus outline');
    await shot(page, '09-keyboard-focus');
    // Answer with the keyboard only, three times: focus is always in the next question.
    for (let i = 0; i < 3; i++) {
      const label = await page.textContent('.pm-guided .pm-q-label');
      const kind = await page.evaluate(() => {
        const a = document.activeElement;
        return a.matches('.pm-option') ? 'option' : a.matches('input.pm-input') ? 'number' : a.matches('input[type=date]') ? 'date' : a.tagName;
      });
      if (kind === 'number') await page.keyboard.type('12');
      if (kind === 'date') await page.keyboard.type('01012020');
      await changing(page, () => page.keyboard.press('Enter'));
      assert.notEqual(await page.textContent('.pm-guided .pm-q-label'), label, `answered ${label} (${kind})`);
      assert.ok(await page.evaluate(() => document.activeElement?.closest('.pm-guided .pm-q') !== null), 'focus moved into the next guided question');
    }
    assert.notEqual(await page.textContent('.pm-guided .pm-q-label'), first);
    assert.match(await page.textContent('.pm-progress'), /已回答 3 题/);
    // The skip link jumps to the results.
    await page.evaluate(() => document.querySelector('.pm-skip-link').focus());
    assert.equal(await page.locator('.pm-skip-link').isVisible(), true, 'the skip link shows when focused');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'pm-results-h', 'focus on the results heading');
    assert.equal(page.url().includes('#'), false, 'the page URL is left alone');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('language: switch to English and back; catalogue text, numbers and dates follow', async () => {
    const { page, problems } = await open(`?asOf=${AS_OF}&catalogue=zone`);
    assert.equal(await page.locator('.pm-card').count(), NATIONAL.policies.length + ZONE.policies.length);
    await page.getByRole('button', { name: /English/ }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.match(page.url(), /lang=en/);
    const titles = await page.locator('.pm-card-title').allTextContents();
    assert.ok(titles.includes(POLICIES.get('zone_rd_investment_subsidy').title.en), titles.join(' | '));
    assert.match(await page.textContent('[data-policy=zone_rd_investment_subsidy] .pm-badge-open, [data-policy=zone_rd_investment_subsidy] .pm-badge-soon'), /Apply by 31 Aug 2026|Closes in/);
    assert.equal(await page.textContent('#app-title'), 'Policy match');
    assert.equal(await page.textContent('.pm-asof'), 'Assessed as of: 1 Jul 2026');
    await shot(page, '10-en-desktop');
    await axe(page, 'en-zone');
    await page.getByRole('button', { name: /中文/ }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    assert.ok((await page.locator('.pm-card-title').allTextContents()).includes(POLICIES.get('zone_rd_investment_subsidy').title.zh));
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('share link: the answers travel in the fragment, never to the server, and round-trip', async () => {
    const { profile } = caseFile('micro_retailer_getihu');
    const { page } = await open(`?asOf=${AS_OF}`);
    for (let i = 0; i < 6; i++) await answerGuided(page, profile);
    const groups = await groupsOf(page);
    const progress = await page.textContent('.pm-progress-text');
    await page.getByRole('button', { name: '分享链接' }).click();
    const link = await page.inputValue('.pm-share-link');
    const url = new URL(link);
    assert.match(url.hash, /^#answers=[\w-]+$/);
    assert.equal(url.search.includes('answers'), false);
    await shot(page, '11-share-link');
    await page.close();

    const fresh = await browser.context.newPage();
    const requested = [];
    fresh.on('request', (r) => requested.push(r.url()));
    await fresh.goto(link);
    await fresh.waitForSelector('body[data-state=ready]');
    assert.deepEqual(await groupsOf(fresh), groups);
    assert.equal(await fresh.textContent('.pm-progress-text'), progress);
    assert.match(await fresh.textContent('.pm-notice'), /分享链接/);
    assert.equal(await fresh.evaluate(() => location.hash), '', 'the fragment is cleared after reading');
    assert.ok(requested.every((u) => !u.includes('answers=')), 'no request carries the answers');
    await fresh.close();
  });

  test('remember on this device: reload keeps the answers; off (or forget): reload forgets them', async () => {
    const { profile } = caseFile('software_sme_hnte');
    const { page } = await open(`?asOf=${AS_OF}`);
    await page.evaluate(() => localStorage.clear());
    for (let i = 0; i < 4; i++) await answerGuided(page, profile);
    const progress = await page.textContent('.pm-progress-text');
    // Off by default: a reload starts empty.
    await page.reload();
    await page.waitForSelector('body[data-state=ready]');
    assert.match(await page.textContent('.pm-progress-text'), /已回答 0 题/);
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    // On: answers survive a reload.
    for (let i = 0; i < 4; i++) await answerGuided(page, profile);
    await page.check('#pm-remember');
    await page.reload();
    await page.waitForSelector('body[data-state=ready]');
    assert.equal(await page.textContent('.pm-progress-text'), progress);
    assert.equal(await page.isChecked('#pm-remember'), true);
    assert.match(await page.textContent('.pm-notice'), /本设备/);
    await shot(page, '12-remembered');
    // Forget: deleted now, and a reload starts empty.
    await page.getByRole('button', { name: '删除本设备上的答案' }).click();
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    await page.reload();
    await page.waitForSelector('body[data-state=ready]');
    assert.match(await page.textContent('.pm-progress-text'), /已回答 0 题/);
    await page.close();
  });

  test('重点产业链 on the zone page: checkboxes by keyboard; 智能制造 makes the gazelle reward qualify, 没有 makes it fail', async () => {
    // 瞪羚企业入库奖励 (示高管发〔2026〕8号 第七条): in the zone, in a zone key industry chain, at most 10
    // years old, 2025 revenue ≥ 1000万, growth score ≥ 60. The first hand-checked case meets every test
    // but the chain, which is left unanswered here: undecided until the chain is known.
    const gazelle = readJson('tests/cases/zone/zone_gazelle_enterprise_reward.json').cases[0];
    assert.equal(gazelle.expect.verdict, 'qualifies');
    const { zone_industry_chains: chains, ...rest } = gazelle.profile;
    assert.deepEqual(chains, ['intelligent_manufacturing']);
    const file = join(OUT, 'gazelle-without-chains.json');
    writeFileSync(file, JSON.stringify(rest));
    const { page, problems } = await open(`?asOf=${AS_OF}&catalogue=zone`);
    await changing(page, () => page.setInputFiles('#pm-import', file));
    assert.equal((await groupsOf(page)).zone_gazelle_enterprise_reward, 'undecided');
    // From the card's missing field to its question: a fieldset of checkboxes, no text box.
    const card = page.locator('[data-policy=zone_gazelle_enterprise_reward]');
    await card.locator('.pm-why-btn').click();
    await card.locator('.pm-card-details .pm-missing .pm-link', { hasText: '所属本区重点产业链' }).first().click();
    const q = page.locator('fieldset.pm-q', { has: page.locator('legend', { hasText: '所属本区重点产业链' }) });
    assert.deepEqual((await q.locator('label.pm-choice').allInnerTexts()).map((t) => t.trim()), ['集成电路', '生物医药', '智能制造', '新能源', '软件和信息服务', '没有']);
    assert.equal(await q.locator('input:not([type=checkbox])').count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement?.type), 'checkbox', 'focus on the first checkbox');
    // Keyboard only: Tab to 智能制造, Space ticks it.
    for (let i = 0; i < 5 && await page.evaluate(() => document.activeElement?.closest('label')?.innerText.trim()) !== '智能制造'; i++) {
      await page.keyboard.press('Tab');
    }
    await changing(page, () => page.keyboard.press('Space'));
    assert.equal(await q.locator('label.pm-choice', { hasText: '智能制造' }).locator('input').isChecked(), true);
    assert.equal((await groupsOf(page)).zone_gazelle_enterprise_reward, 'qualifies');
    // Its explanation names the chain and the requirement in Chinese, not by codes (waiting
    // for the card, which moved to the qualifying group, to show it).
    await card.locator('.pm-criteria', { hasText: '智能制造' }).first().waitFor({ timeout: 5_000 });
    const facts = await card.locator('.pm-criteria').first().innerText();
    assert.match(facts, /智能制造/);
    assert.doesNotMatch(facts, /intelligent_manufacturing|integrated_circuits/);
    await q.scrollIntoViewIfNeeded();
    await shot(page, '20-industry-chains-ticked');
    // 没有 (none of the key chains): C2 fails, so the reward does not apply.
    await changing(page, () => q.locator('label.pm-choice', { hasText: '没有' }).click());
    assert.equal((await groupsOf(page)).zone_gazelle_enterprise_reward, 'not');
    assert.equal(await q.locator('input:checked').count(), 1, '没有 unticks 智能制造');
    await axe(page, 'zh-zone-chains');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('export and import the answers as a JSON file', async () => {
    const { profile } = caseFile('micro_retailer_getihu');
    const { page } = await open(`?asOf=${AS_OF}`);
    for (let i = 0; i < 5; i++) await answerGuided(page, profile);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出答案' }).click()]);
    const file = join(OUT, 'exported-answers.json');
    await download.saveAs(file);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    assert.ok(Object.keys(exported).length >= 4);
    const groups = await groupsOf(page);
    await page.close();

    const { page: p2 } = await open(`?asOf=${AS_OF}`);
    await changing(p2, () => p2.setInputFiles('#pm-import', file));
    assert.deepEqual(await groupsOf(p2), groups);
    assert.match(await p2.textContent('.pm-notice'), /已载入 \d+ 项答案/);
    await p2.close();
  });

  test('360 px phone: no horizontal scrolling, readable, accessible (zh and en)', async () => {
    const { profile } = caseFile('micro_retailer_getihu');
    const { page, problems } = await open(`?asOf=${AS_OF}`, { width: 360, height: 740 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'no horizontal scroll');
    await shot(page, '13-phone-zh');
    for (let i = 0; i < 8; i++) await answerGuided(page, profile);
    await shot(page, '14-phone-guided');
    const card = page.locator('.pm-group-qualifies .pm-card').first();
    await card.locator('.pm-why-btn').click();
    await card.scrollIntoViewIfNeeded();
    await shot(page, '15-phone-card');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'no horizontal scroll with a card open');
    await axe(page, 'phone-zh');
    await page.getByRole('button', { name: /English/ }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, '16-phone-en');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360));
    assert.deepEqual(problems, []);
    await page.close();
  });

  // Layout on a 360 px phone in English (the longest labels): what the eye sees, measured.
  test('360 px phone, English: the guided card lines up (kicker wraps at a word, the unit beside its box)', async () => {
    // Everything but the titles-and-ratings section answered: the next question is the HNTE
    // innovation score (a figure in points) under the long section name "Titles, certificates and ratings".
    const { profile } = caseFile('software_sme_hnte');
    const cert = new Set(NATIONAL.fields.filter((f) => f.section === 'certification').map((f) => f.name));
    const answers = Object.fromEntries(Object.entries(profile).filter(([k]) => k !== 'id' && !cert.has(k)));
    const { page, problems } = await open(`?asOf=${AS_OF}&lang=en#answers=${Buffer.from(JSON.stringify(answers)).toString('base64url')}`, { width: 360, height: 740 });
    await page.locator('.pm-guided').scrollIntoViewIfNeeded();
    await shot(page, '19-phone-en-guided');
    const m = await page.evaluate(() => {
      const k = document.querySelector('.pm-kicker');
      const sec = k.querySelector('.pm-kicker-section');
      const r = document.createRange();
      r.selectNodeContents(sec);
      const text = r.getClientRects()[0];
      const box = (sel) => document.querySelector(`.pm-guided ${sel}`).getBoundingClientRect().toJSON();
      return { kicker: k.getBoundingClientRect().toJSON(), section: sec.textContent, text: text.toJSON(), input: box('input.pm-input'), suffix: box('.pm-suffix') };
    });
    assert.equal(m.section, 'Titles, certificates and ratings');
    // The section name does not fit beside "Next question": it starts the second line with itself, not with "·".
    assert.ok(m.text.top > m.kicker.top + 4, 'the section is on the second line');
    assert.ok(Math.abs(m.text.left - m.kicker.left) < 1, `the second line starts with the section's name (at ${m.text.left}, the line at ${m.kicker.left})`);
    // "points" sits to the right of the box, on its line, not under it.
    assert.ok(m.suffix.left >= m.input.right && m.suffix.top < m.input.bottom && m.suffix.bottom > m.input.top, JSON.stringify(m));
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('360 px phone, English: near misses, policy details and the printed pages read cleanly', async () => {
    // HNTE within reach on two counts: 9 of 92 staff in S&T (needs 10 %) and an innovation score of 68 (needs > 70);
    // UI premiums of ¥1,234,567,890.55 make an estimated value in the hundreds of millions, with cents.
    const { profile } = caseFile('software_sme_hnte');
    const answers = { ...profile, tech_staff_2025: 9, hnte_innovation_capability_score: 68, ui_premiums_paid_2025_cny: 1234567890.55 };
    delete answers.id;
    const { page, problems } = await open(`?asOf=${AS_OF}&lang=en#answers=${Buffer.from(JSON.stringify(answers)).toString('base64url')}`, { width: 360, height: 740 });
    const card = page.locator('[data-policy=hnte_recognition_eligibility]');
    // Two near misses are two visibly separate lines.
    const near = await card.locator('.pm-near li').evaluateAll((ls) => ls.map((l) => l.getBoundingClientRect().toJSON()));
    assert.equal(near.length, 2);
    assert.ok(near[1].top >= near[0].bottom + 2, `space between the near misses: ${JSON.stringify(near)}`);
    await card.locator('.pm-why-btn').click();
    await card.locator('.pm-criteria').waitFor();
    // In a narrow widget each detail's label sits above its text, which gets the card's full width.
    const dl = await card.locator('.pm-dl').evaluate((d) => [d.querySelector('dt').getBoundingClientRect().toJSON(), d.querySelector('dd').getBoundingClientRect().toJSON(), d.getBoundingClientRect().width]);
    assert.ok(dl[1].top >= dl[0].bottom - 1 && Math.abs(dl[1].left - dl[0].left) < 1 && dl[1].width > dl[2] - 2, `dd under dt, full width: ${JSON.stringify(dl)}`);
    await card.scrollIntoViewIfNeeded();
    await shot(page, '20-phone-en-near');
    // Printed (Ctrl+P on the results): no button of the screen, such as "Change" beside a fact.
    await page.emulateMedia({ media: 'print' });
    assert.ok(await card.locator('.pm-fact button').count() >= 1);
    assert.deepEqual(await card.locator('.pm-fact button').evaluateAll((bs) => bs.filter((b) => b.getClientRects().length > 0).map((b) => b.textContent)), [], 'no button printed');
    await page.emulateMedia({ media: 'screen' });
    // The report: an amount stays at the right end of its line, also when a long title pushes it to the next line.
    await page.getByRole('button', { name: 'Print report' }).click();
    await page.locator('.pm-report').waitFor();
    // The estimated value is one unbroken figure in its tile (not ¥740,7 / 40,734.33).
    const total = await page.locator('.pm-report .pm-tile-total .pm-tile-n').evaluate((n) => {
      const r = document.createRange();
      r.selectNodeContents(n);
      return [n.textContent, new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size];
    });
    assert.match(total[0], /^¥[\d,]{11,}\.\d\d$/);
    assert.equal(total[1], 1, `${total[0]} on one line`);
    await page.emulateMedia({ media: 'print' });
    const amounts = await page.locator('.pm-report-title').evaluateAll((ts) => ts.filter((t) => t.querySelector('.pm-report-amount')).map((t) => {
      const a = t.querySelector('.pm-report-amount').getBoundingClientRect();
      const b = t.getBoundingClientRect();
      return { title: t.firstChild.textContent, wrapped: a.top > b.top + 4, gap: Math.round(b.right - a.right) };
    }));
    assert.ok(amounts.some((a) => a.wrapped), `a title long enough to wrap: ${JSON.stringify(amounts)}`);
    assert.deepEqual(amounts.filter((a) => a.gap > 1), [], 'every amount ends at the right edge');
    await shot(page, '21-phone-en-report-print', true);
    await page.emulateMedia({ media: 'screen' });
    assert.deepEqual(problems, []);
    await page.close();
  });

  // 企业自测 by two users; every verdict and amount derived by hand from
  // /work/shared/reference/cn-policies-2026.md (see the comments), not from the engine.
  test('企业自测, finance manager of a medium manufacturer: verdicts and amounts by hand; the two-year R&D total is labelled as such', async () => {
    const profile = {"entity_type": "company", "is_resident_enterprise": true, "registration_city": "Suzhou", "registration_date": "2012-03-15", "industry_gb4754_section": "C", "industry_restricted_or_prohibited": false, "enterprise_size_class": "medium", "listed_business_abnormal_or_serious_dishonesty": false, "major_incident_dates": [], "niche_market_years_by_2025_year_end": 8, "niche_market_position_leading": true, "niche_market_share_pct": 12, "niche_market_domestic_rank": 2, "main_product_in_six_base_or_key_chain_link": true, "main_product_in_hangzhou_future_industry_fields": false, "cit_collection_method": "audit_based", "cit_taxable_income_2025_cny": 3200000, "cit_total_assets_quarterly_avg_2025_cny": 180000000, "vat_taxpayer_type": "general", "vat_filing_period": "monthly", "vat_sales_latest_period_cny": 9000000, "vat_sales_are_only_real_estate_sale_or_lease": false, "operating_revenue_2023_cny": 150000000, "operating_revenue_2024_cny": 165000000, "operating_revenue_2025_cny": 180000000, "total_assets_2025_year_end_cny": 190000000, "debt_to_asset_ratio_2025_year_end_pct": 55, "main_business_revenue_share_2025_pct": 92, "manufacturing_sales_share_2025_pct": 85, "cost_and_expense_total_2025_cny": 160000000, "new_equity_financing_2024_2025_cny": 0, "cumulative_qualified_equity_financing_cny": 0, "negative_list_industry_income_share_pct": 0, "cit_headcount_quarterly_avg_2025": 320, "employees_total_2025": 350, "tech_staff_2025": 60, "rd_staff_2025": 45, "accounting_sound_and_rd_costs_separately_tracked": true, "rd_expense_2023_cny": 6000000, "rd_expense_2024_cny": 7200000, "rd_expense_2025_cny": 8100000, "domestic_rd_share_2023_2025_pct": 100, "high_tech_product_income_share_2025_pct": 70, "owns_core_ip_for_main_products": true, "core_tech_in_state_supported_high_tech_fields": true, "ip_class1_count": 5, "ip_class2_count": 20, "pct_applications_count": 0, "national_sci_award_top3_last_3y": false, "national_sci_award_top3_last_5y": false, "provincial_or_higher_sci_award_top3_last_3y": false, "has_provincial_or_higher_rd_institution": true, "led_intl_national_or_industry_standard_last_5y": false, "hangzhou_key_talent_or_provincial_award": false, "hnte_certificate_issue_date": "2023-11-20", "hnte_innovation_capability_score": 78, "holds_tech_or_innovative_sme_title": true, "holds_srdi_sme_title": true, "srdi_development_score": 72, "zhejiang_provincial_tech_sme": false, "on_advanced_manufacturing_enterprise_list_2026": true, "tax_credit_rating_2025": "A", "ui_premium_months_fully_paid": 48, "ui_insured_employees_monthly_avg_2025": 340, "ui_new_benefit_claimants_2025": 10, "ui_premiums_paid_2025_cny": 420000, "eligible_youth_hires_2026_count": 6, "graduate_hires_1y_contract_2026_count": 8};
    // CIT small low-profit: taxable 320万 > 300万, 320 staff > 300, assets 1.8亿 > 5000万 → no; hence
    // 六税两费 no (general taxpayer, company). VAT small-scale ×2: general taxpayer → no. Graduate
    // subsidy: medium → no. 新雏鹰: not Hangzhou → no. HNTE: tech staff 60/350 = 17.1 % ≥ 10 %,
    // R&D 2,130万 / revenue 49,500万 = 4.30 % ≥ 4 % (revenue 1.8亿 in the 5000万–2亿 band), score 78 > 70
    // → yes. Little Giant: revenue growth 18,000/15,000 = 1.2 ≥ 1.1025, R&D 720万 + 810万 = 1,530万
    // ≥ 1,200万 with 4.36 % and 4.5 % ≥ 3 %, 5 class-I IP, share 12 % → yes.
    const expect = {
      cit_small_low_profit_enterprise: 'does_not_qualify', vat_small_scale_threshold_exemption: 'does_not_qualify',
      vat_small_scale_1pct_levy_rate: 'does_not_qualify', six_taxes_two_fees_half_reduction: 'does_not_qualify',
      rd_expense_super_deduction_100pct: 'qualifies', hnte_recognition_eligibility: 'qualifies', hnte_15pct_cit_rate: 'qualifies',
      tech_sme_evaluation: 'qualifies', srdi_sme_recognition_2026: 'qualifies', srdi_little_giant_recognition_2026: 'qualifies',
      advanced_manufacturing_vat_credit_5pct: 'qualifies', ui_job_stabilization_refund_2026: 'qualifies',
      one_time_job_expansion_subsidy_2026: 'qualifies', graduate_social_insurance_subsidy_small_micro: 'does_not_qualify',
      tax_credit_a_level_incentives: 'qualifies', hangzhou_new_eagle_enterprise: 'does_not_qualify',
    };
    const { page, problems } = await open(`?asOf=${AS_OF}`);
    await answerAll(page, profile);
    await expectGroups(page, expect);
    const amount = (id) => page.textContent(`[data-policy=${id}] .pm-amount-v`);
    assert.match(await amount('rd_expense_super_deduction_100pct'), /^121\.5万元$/); // 810万 × 15 % (valid HNTE)
    assert.match(await amount('hnte_15pct_cit_rate'), /^32万元$/); // 320万 × (25 % − 15 %)
    assert.match(await amount('ui_job_stabilization_refund_2026'), /^25\.2万元$/); // 42万 × 60 % (medium)
    assert.match(await amount('one_time_job_expansion_subsidy_2026'), /^9,000元$/); // 6 × 1,500
    assert.match(await page.textContent('.pm-total-v'), /^179\.6万元$/);
    // The CIT relief's near miss: 320万 against 300万.
    assert.match(await page.textContent('[data-policy=cit_small_low_profit_enterprise]'), /超出20万元|20万元/);
    const card = page.locator('[data-policy=srdi_little_giant_recognition_2026]');
    await card.locator('.pm-why-btn').click();
    const facts = await card.locator('.pm-fact').allInnerTexts();
    const total = facts.find((t) => /1,530万元/.test(t));
    assert.ok(total && /2024—2025年研发费用合计/.test(total), facts.join(' | '));
    await shot(page, '17-finance-manager');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('企业自测, 个体工商户 on a 390 px phone who skips most questions: VAT reliefs, no questions that cannot matter, no blank requirements', async () => {
    const profile = {"entity_type": "individual_business", "industry_gb4754_section": "F", "enterprise_size_class": "micro", "vat_taxpayer_type": "small_scale", "vat_filing_period": "quarterly", "vat_sales_latest_period_cny": 250000, "vat_sales_are_only_real_estate_sale_or_lease": false};
    // Small-scale, quarterly 25万 < 30万 → VAT exemption (25万 × 3 % = 7,500) and the 1 % rate
    // (25万 × 2 % = 5,000) are take-higher: 7,500 counted once. 六税两费: small-scale → yes.
    // Everything for companies (CIT, R&D, HNTE, tech-SME, SRDI) → no; the advanced-manufacturing
    // credit → no (small-scale). The job-expansion subsidy: 39号 names 企业和社会组织, neither
    // including nor excluding 个体工商户 (reference §13: undetermined), and her hires and the local
    // practice are skipped → undecided. 新雏鹰: a provincial tech-SME is an enterprise → no, so none
    // of its questions are asked. UI refund, graduate subsidy, tax credit A: skipped → undecided.
    const expect = {
      cit_small_low_profit_enterprise: 'does_not_qualify', vat_small_scale_threshold_exemption: 'qualifies',
      vat_small_scale_1pct_levy_rate: 'qualifies', six_taxes_two_fees_half_reduction: 'qualifies',
      rd_expense_super_deduction_100pct: 'does_not_qualify', hnte_recognition_eligibility: 'does_not_qualify',
      hnte_15pct_cit_rate: 'does_not_qualify', tech_sme_evaluation: 'does_not_qualify', srdi_sme_recognition_2026: 'does_not_qualify',
      srdi_little_giant_recognition_2026: 'does_not_qualify', advanced_manufacturing_vat_credit_5pct: 'does_not_qualify',
      ui_job_stabilization_refund_2026: 'undecided', one_time_job_expansion_subsidy_2026: 'undecided',
      graduate_social_insurance_subsidy_small_micro: 'undecided', tax_credit_a_level_incentives: 'undecided',
      hangzhou_new_eagle_enterprise: 'does_not_qualify',
    };
    const { page, problems } = await open(`?asOf=${AS_OF}`, { width: 390, height: 844 });
    const asked = await answerAll(page, profile);
    await expectGroups(page, expect);
    // 是否为居民企业 cannot change anything for her (the CIT policies fail on her legal form).
    assert.ok(!asked.some((a) => a.field === 'is_resident_enterprise' || a.field === 'hnte_certificate_issue_date'), JSON.stringify(asked));
    // Nor what only 新雏鹰 needs.
    const eagleOnly = ['main_product_in_hangzhou_future_industry_fields', 'hangzhou_key_talent_or_provincial_award'];
    assert.ok(!asked.some((a) => eagleOnly.includes(a.field)), JSON.stringify(asked));
    assert.match(await page.textContent('.pm-total-v'), /^7,500元$/);
    assert.match(await page.textContent('[data-policy=vat_small_scale_threshold_exemption] .pm-conflict'), /就高不重复/);
    // The "all done" card does not send her to the right: on a phone the results are below.
    const done = await page.locator('.pm-guided-done').boundingBox();
    assert.ok((await page.locator('.pm-results-col').boundingBox()).y > done.y + done.height, 'results below the questions');
    assert.doesNotMatch(await page.textContent('.pm-guided-done'), /右侧|右边/);
    const card = page.locator('[data-policy=ui_job_stabilization_refund_2026]');
    await card.locator('.pm-why-btn').click();
    const text = await card.locator('.pm-criteria').innerText();
    assert.ok(!/≤\s*未填写/.test(text), text);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no horizontal scroll');
    await shot(page, '18-getihu-phone', true);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('an address that names no city (滨江区长河街道), from a share link or typed: kept in its question with what to write, 新雏鹰 undecided', async () => {
    const answers = { entity_type: 'company', registration_city: '滨江区长河街道' };
    const { page, problems } = await open(`?asOf=${AS_OF}#answers=${Buffer.from(JSON.stringify(answers)).toString('base64url')}`);
    await page.locator('.pm-section-toggle', { hasText: '基本情况' }).click();
    const box = page.locator('.pm-sections input.pm-input[aria-invalid=true]');
    assert.equal(await box.inputValue(), '滨江区长河街道', 'the value from the link is in its box');
    const error = page.locator(`#${await box.getAttribute('aria-describedby').then((ids) => ids.split(' ').find((id) => id.endsWith('-err')))}`);
    assert.match(await error.innerText(), /读不出城市：请填写城市，或含城市的地址/);
    assert.notEqual((await groupsOf(page)).hangzhou_new_eagle_enterprise, 'not', 'not failed on a district read as a city');
    // Typed with its city, it is taken.
    await box.fill('杭州市滨江区长河街道');
    await changing(page, () => box.press('Enter'));
    assert.equal(await page.locator('.pm-sections input.pm-input[aria-invalid=true]').count(), 0);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a day that does not exist typed in a date box (2月31日) is reported, not taken as a cleared answer', async () => {
    const { page, problems } = await open(`?asOf=${AS_OF}`);
    await page.locator('.pm-section-toggle', { hasText: '基本情况' }).click();
    const question = page.locator('.pm-sections .pm-q', { hasText: '成立日期' });
    const box = question.locator('input[type=date]');
    // The box's segments are laid out by the browser's locale (mm/dd/yyyy here): the month first.
    await box.click({ position: { x: 12, y: 10 } });
    await page.keyboard.type('01312024');
    await page.keyboard.press('Tab');
    await question.getByText('清除答案').waitFor();
    assert.equal(await box.inputValue(), '2024-01-31');
    // Only the month changed: 02/31/2024, which the box reports as "".
    await box.click({ position: { x: 12, y: 10 } });
    await page.keyboard.type('02');
    await page.keyboard.press('Tab');
    await question.locator('input[aria-invalid=true]').waitFor({ timeout: 5_000 });
    const error = page.locator(`#${await box.getAttribute('aria-describedby').then((ids) => ids.split(' ').find((id) => id.endsWith('-err')))}`);
    assert.match(await error.innerText(), /请输入有效日期/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a malformed catalogue shows its errors (role=alert) with policy and line:column', async () => {
    const page = await browser.context.newPage();
    const bad = JSON.stringify(NATIONAL, null, 2).replace('"var": "cit_taxable_income_2025_cny"', '"var": "taxable_incme"');
    await page.route(/catalogues\/cn-national-2026\.json$/, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: bad }));
    await page.goto(`${server.url}index.html?lang=en`);
    const alert = page.locator('.pm-error[role=alert]');
    await alert.waitFor({ timeout: 15_000 });
    const text = await alert.textContent();
    assert.match(text, /policy `cit_small_low_profit_enterprise`/);
    assert.match(text, /cn-national-2026\.json:\d+:\d+/);
    assert.match(text, /taxable_incme/);
    await shot(page, '17-catalogue-error');
    await page.close();
  });

  test('a missing catalogue shows a load error instead of hanging', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}index.html?catalogue=does-not-exist`);
    await page.waitForSelector('body[data-state]', { timeout: 15_000 });
    assert.equal(await page.getAttribute('body', 'data-state'), 'error');
    assert.match(await page.textContent('#status'), /does-not-exist\.json: HTTP 404/);
    await page.close();
  });
});
