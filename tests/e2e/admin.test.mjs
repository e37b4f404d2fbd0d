// End-to-end: the admin page (www/admin.html, batch 政策找人) in headless
// Chromium via playwright-core, served with the strict CSP by
// scripts/serve.mjs. Needs the admin bundle in www/pkg-admin
// (scripts/build-admin.sh, run by scripts/build-wasm.sh), python3 for the
// generator and the native CLI (target/{release,debug}/policy-match, built
// when missing).
//
// Flow: generate a 5,000-row enterprise list with planted bad cells
// (tests/fixtures/batch/gen_enterprises.py, which lists what it planted),
// upload it, check and change the column mapping, save it, run with the
// progress bar, and compare
// - the validation report with the planted cells (every one listed with
//   row, column and raw value; nothing else),
// - the per-policy counts with the native CLI run on the same file with the
//   mapping saved from the page,
// - the push list page with the CLI's push list,
// - the CSV and XLSX downloads with the same (CSV parsed; XLSX unzipped and
//   its sheet XML read).
// Also: a file over the size limit is refused before it is read; cancel
// stops a run; no request leaves the page's own origin.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { ROOT, watchProblems } from '../../scripts/browser.mjs';
import { assertAccessible, outDir, readJson, serverAndBrowser } from './harness.mjs';

const OUT = outDir('e2e');
const AS_OF = '2026-07-01';
const ROWS = 5000;
const CATALOGUES = ['www/catalogues/cn-national-2026.json', 'www/catalogues/example-zone.json'];
/** The mapping table's select for a column: headers are field labels, some with quotes (主营产品是否属于"六基"…). */
const col = (cls, column) => `.${cls}[data-column="${column.replace(/["\\]/g, '\\$&')}"]`;
const FIELDS = CATALOGUES.flatMap((c) => readJson(c).fields);
const POLICIES = CATALOGUES.flatMap((c) => readJson(c).policies);

const { server, browser } = serverAndBrowser();
let dir;
let csvPath;
let planted;
/** Left by the first test for the round trip: the saved mapping, the CLI's output, a policy. */
const shared = {};

// ------------------------------------------------------------------ helpers

/** A CSV parser (RFC 4180: quotes, doubled quotes, line breaks in quotes). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/** The files of a zip archive (stored or deflated), by name. */
function unzip(buf) {
  const files = new Map();
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a zip archive');
  let p = buf.readUInt32LE(eocd + 16);
  const n = buf.readUInt16LE(eocd + 10);
  for (let i = 0; i < n; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    p += 46 + nameLen + extra + comment;
  }
  return files;
}

const unxml = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** The rows of each sheet of an XLSX workbook, by sheet name (cells as text). */
function readXlsx(buf) {
  const files = unzip(buf);
  const shared = [...(files.get('xl/sharedStrings.xml')?.toString('utf8') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)]
    .map((m) => unxml([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')));
  const wb = files.get('xl/workbook.xml').toString('utf8');
  const rels = files.get('xl/_rels/workbook.xml.rels').toString('utf8');
  const target = new Map([...rels.matchAll(/<Relationship [^>]*Id="([^"]+)"[^>]*Target="([^"]+)"/g)].map((m) => [m[1], m[2]]));
  const sheets = new Map();
  for (const m of wb.matchAll(/<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"/g)) {
    const xml = files.get(`xl/${target.get(m[2]).replace(/^\/?xl\//, '')}`).toString('utf8');
    const rows = [];
    for (const r of xml.matchAll(/<row [^>]*>([\s\S]*?)<\/row>/g)) {
      const cells = [];
      for (const c of r[1].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const col = [...c[1]].reduce((a, ch) => a * 26 + ch.charCodeAt(0) - 64, 0) - 1;
        const v = c[3]?.match(/<v>([\s\S]*?)<\/v>/)?.[1];
        const inline = c[3]?.match(/<t[^>]*>([\s\S]*?)<\/t>/)?.[1];
        cells[col] = /t="s"/.test(c[2]) ? shared[Number(v)] : inline !== undefined ? unxml(inline) : v !== undefined ? unxml(v) : '';
      }
      rows.push(Array.from(cells, (x) => x ?? ''));
    }
    sheets.set(unxml(m[1]), rows);
  }
  return sheets;
}

/** axe-core on the current page: no serious or critical violations. */
const axe = (page, what) => assertAccessible(page, join(OUT, `axe-admin-${what}.json`), what);

/** The native CLI (built if missing). */
function cli() {
  for (const p of ['target/release/policy-match', 'target/debug/policy-match']) if (existsSync(join(ROOT, p))) return join(ROOT, p);
  execFileSync('cargo', ['build', '--bin', 'policy-match'], { cwd: ROOT, stdio: 'inherit' });
  return join(ROOT, 'target/debug/policy-match');
}

async function openAdmin(query = '') {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  const problems = watchProblems(page);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const res = await page.goto(`${server.url}admin.html?catalogue=zone&asOf=${AS_OF}${query}`);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-security-policy'] ?? '', /script-src 'self' 'wasm-unsafe-eval'/);
  await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
  return { page, problems, requests };
}

async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = join(dir, `dl-${Date.now()}-${dl.suggestedFilename()}`);
  await dl.saveAs(path);
  return { name: dl.suggestedFilename(), bytes: readFileSync(path), url: dl.url() };
}

// ------------------------------------------------------------------ setup

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pm-admin-e2e-'));
  csvPath = join(dir, 'enterprises-5000.csv');
  const plantedPath = join(dir, 'planted.json');
  const csv = execFileSync('python3', [join(ROOT, 'tests/fixtures/batch/gen_enterprises.py'), String(ROWS)], { cwd: ROOT, env: { ...process.env, PLANTED: plantedPath }, maxBuffer: 1 << 28 });
  writeFileSync(csvPath, csv);
  planted = JSON.parse(readFileSync(plantedPath, 'utf8'));
  assert.ok(planted.length > 100, 'the generator plants bad cells');
});

after(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ------------------------------------------------------------------ tests

describe('admin page: 5,000 enterprises', () => {
  test('upload, map, run with progress, validation, counts, push list, report, exports', async () => {
    const { page, problems, requests } = await openAdmin('&chunk=250&slice=0');

    // Upload (file input; the drop zone calls the same import).
    await page.setInputFiles('#file-input', csvPath);
    await page.waitForSelector('body[data-state="imported"]', { timeout: 60_000 });
    assert.match(await page.textContent('#import-summary'), /5,000 行/);
    await axe(page, 'mapping');
    const header = parseCsv(readFileSync(csvPath, 'utf8').replace(/^\uFEFF/, '').split('\r\n')[0])[0];
    assert.equal(await page.locator('#mapping-table tbody tr').count(), header.length);

    // Auto-mapping: a money column headed （万元） is in 万元; the key column is the name.
    const moneyField = FIELDS.find((f) => f.unit === 'cny' && header.includes(`${f.label.zh}（万元）`));
    const moneyCol = `${moneyField.label.zh}（万元）`;
    assert.equal(await page.inputValue(col('field-select', moneyCol)), moneyField.name);
    assert.equal(await page.inputValue(col('unit-select', moneyCol)), 'wan_yuan');
    assert.equal(await page.inputValue('#key-select'), '企业名称');

    // Map by hand: ignore one column that has planted bad cells (its problems must
    // disappear from the report), and check the credit code stays unmapped.
    const dropped = planted.find((p) => p.type === 'boolean').column;
    await page.selectOption(col('field-select', dropped), '');
    assert.equal(await page.inputValue('.field-select[data-column="统一社会信用代码"]'), '');

    // Save the mapping: the CLI uses the very same file below.
    const saved = await download(page, '#save-mapping');
    assert.equal(saved.name, 'mapping.json');
    assert.match(saved.url, /^blob:/);
    const mapping = JSON.parse(saved.bytes.toString('utf8'));
    assert.equal(mapping.columns.find((c) => c.column === dropped).field, null);
    assert.equal(mapping.columns.find((c) => c.column === moneyCol).unit, 'wan_yuan');
    const mappingPath = join(dir, 'mapping.json');
    writeFileSync(mappingPath, saved.bytes);

    // Run: progress is shown on the way (recorded by an observer on the progress bar).
    await page.evaluate(() => {
      window.seen = [];
      const bar = document.getElementById('progress');
      new MutationObserver(() => window.seen.push([bar.value, bar.max, bar.hidden])).observe(bar, { attributes: true });
      new MutationObserver(() => window.seen.push(['text', document.getElementById('progress-text').textContent])).observe(document.getElementById('progress-text'), { childList: true, characterData: true, subtree: true });
    });
    await page.click('#run');
    await page.waitForSelector('body[data-state="done"]', { timeout: 120_000 });
    const seen = await page.evaluate(() => window.seen);
    const texts = seen.filter((s) => s[0] === 'text').map((s) => s[1]);
    assert.ok(texts.length >= 5, `progress updates: ${texts.join(' | ')}`);
    assert.ok(texts.some((t) => /已匹配 [1-9][\d,]* \/ 5,000 行/.test(t) && !/5,000 \/ 5,000/.test(t)), `a partial progress: ${texts.join(' | ')}`);
    assert.match(texts.at(-1), /已匹配 5,000 \/ 5,000 行/);

    // Validation report against the planted cells (minus the ignored column).
    const expected = planted.filter((p) => p.column !== dropped);
    const counts = Object.fromEntries(await page.$$eval('#row-counts tr', (rows) => rows.map((r) => [r.dataset.count, Number(r.querySelector('td').textContent.replace(/,/g, ''))])));
    assert.equal(counts.rows_read, ROWS);
    assert.equal(counts.rows_evaluated, ROWS);
    assert.equal(counts.issues, expected.length);
    assert.equal(counts.rows_with_problems, new Set(expected.map((p) => p.row)).size);
    // Page through every problem: each planted cell once, with row, column and raw value.
    const listed = [];
    for (;;) {
      listed.push(...await page.$$eval('#issues-table tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent))));
      const next = page.locator('#issues-pager button').last();
      if (await next.isDisabled()) break;
      const first = await page.textContent('#issues-table tbody tr td');
      await next.click();
      await page.waitForFunction((f) => document.querySelector('#issues-table tbody tr td')?.textContent !== f, first);
    }
    const key = (row, column, raw) => `${row}\u0000${column}\u0000${raw}`;
    assert.deepEqual(listed.map((r) => key(r[0], r[1], r[2])).sort(), expected.map((p) => key(String(p.row), p.column, p.raw)).sort());
    // Problems by column, most first; choosing one shows that column's problems only.
    const perColumn = new Map();
    for (const p of expected) perColumn.set(p.column, (perColumn.get(p.column) ?? 0) + 1);
    const options = await page.$$eval('#issue-column option', (os) => os.map((o) => o.textContent));
    assert.equal(options[0], `全部列（${expected.length.toLocaleString('en-US')} 个问题）`);
    const byCount = [...perColumn].sort((a, b) => b[1] - a[1]);
    assert.deepEqual(options.slice(1).map((o) => Number(o.match(/（([\d,]+) 个）$/)[1].replace(/,/g, ''))), byCount.map(([, n]) => n));
    const [topColumn, topCount] = byCount[0];
    assert.equal(options[1], `${topColumn}（${topCount.toLocaleString('en-US')} 个）`);
    await page.selectOption('#issue-column', { index: 1 });
    await page.waitForFunction((c) => [...document.querySelectorAll('#issues-table tbody tr')].every((r) => r.cells[1].textContent === c), topColumn);
    const shown = await page.$$eval('#issues-table tbody tr', (rows) => rows.map((r) => r.cells[1].textContent));
    assert.equal(shown.length, Math.min(topCount, 50));
    await page.selectOption('#issue-column', { index: 0 });
    await page.waitForFunction((c) => [...document.querySelectorAll('#issues-table tbody tr')].some((r) => r.cells[1].textContent !== c), topColumn);

    // Counts per policy: the same as the native CLI's with the saved mapping.
    const out = join(dir, 'cli-out');
    execFileSync(cli(), ['batch', '--catalogue', ...CATALOGUES.map((c) => join(ROOT, c)), '--enterprises', csvPath, '--mapping', mappingPath, '--out', out, '--as-of', AS_OF], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    const cliSummary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).summary;
    assert.equal(cliSummary.issues, expected.length);
    const pageRows = await page.$$eval('#summary-table tbody tr', (rows) => rows.map((r) => ({ policy: r.dataset.policy, q: r.querySelector('.q').textContent, u: r.querySelector('.u').textContent, n: r.querySelector('.n').textContent })));
    assert.equal(pageRows.length, POLICIES.length);
    const num = (s) => Number(s.replace(/,/g, ''));
    assert.deepEqual(pageRows.map((r) => [r.policy, num(r.q), num(r.u), num(r.n)]), cliSummary.policies.map((p) => [p.policy, p.qualifies, p.undecided, p.does_not_qualify]));
    for (const p of cliSummary.policies) assert.equal(p.qualifies + p.undecided + p.does_not_qualify, ROWS);
    // The chart has one bar group per policy, drawn as SVG elements.
    assert.equal(await page.locator('#chart svg text.bar-label').count(), POLICIES.length);
    assert.ok(await page.locator('#chart svg rect').count() >= POLICIES.length);

    // Push list of a policy with both qualifying and undecided enterprises.
    const pi = cliSummary.policies.findIndex((p) => p.qualifies > 0 && p.undecided > 0);
    const pol = cliSummary.policies[pi];
    Object.assign(shared, { mappingPath, out, pi, pol, dropped, moneyCol });
    await page.click(`#summary-table tbody tr:nth-child(${pi + 1}) .open-push`);
    await page.waitForSelector('#push-section:not([hidden]) #push-table tbody tr');
    assert.match(await page.textContent('#push-count'), new RegExp(`共 ${(pol.qualifies + pol.undecided).toLocaleString('en')} 家`));
    const stem = `${String(pi + 1).padStart(2, '0')}-${pol.policy}`;
    const cliPush = parseCsv(readFileSync(join(out, 'push', `${stem}.csv`), 'utf8').replace(/^\uFEFF/, '')).filter((r) => r.length > 1);
    const nameCol = cliPush[0].indexOf('企业名称');
    const firstPage = await page.$$eval('#push-table tbody tr', (rows) => rows.map((r) => r.cells[1].querySelector('button').textContent));
    assert.deepEqual(firstPage, cliPush.slice(1, 1 + firstPage.length).map((r) => r[nameCol]));
    // Undecided entries say what to ask for: filter to undecided, sort by fewest questions.
    await page.selectOption('#push-verdict', 'undecided');
    await page.waitForFunction((n) => document.getElementById('push-count').textContent.includes(`共 ${n} 家`), pol.undecided.toLocaleString('en'));
    const ask = await page.$$eval('#push-table tbody tr', (rows) => rows.map((r) => r.cells[3].textContent));
    assert.ok(ask.every((a) => a.length > 0), 'every undecided enterprise has fields to ask for');
    // Filter by name.
    const one = firstPage[0];
    await page.selectOption('#push-verdict', 'all');
    await page.fill('#push-filter', one);
    await page.waitForFunction(() => document.querySelectorAll('#push-table tbody tr').length === 1);
    // Sort by name, descending (second click).
    await page.fill('#push-filter', '');
    await page.waitForFunction((n) => document.getElementById('push-count').textContent.includes(`共 ${n} 家`), (pol.qualifies + pol.undecided).toLocaleString('en'));
    await page.click('#push-table .sort[data-sort="name"]');
    await page.waitForSelector('#push-table th[aria-sort="ascending"] .sort[data-sort="name"]');
    await page.click('#push-table .sort[data-sort="name"]');
    await page.waitForSelector('#push-table th[aria-sort="descending"] .sort[data-sort="name"]');
    const sortedNames = await page.$$eval('#push-table tbody tr', (rows) => rows.map((r) => r.cells[1].querySelector('button').textContent));
    const allNames = cliPush.slice(1).map((r) => r[nameCol]).sort().reverse();
    assert.deepEqual(sortedNames, allNames.slice(0, sortedNames.length));

    // One enterprise's report: every policy's verdict, as in the CLI matrix.
    await page.click('#push-table tbody tr:first-child .pm-link');
    await page.waitForSelector('#report-section:not([hidden]) .report-policy');
    const reportName = sortedNames[0];
    assert.match(await page.textContent('#report-name'), new RegExp(reportName));
    const matrix = parseCsv(readFileSync(join(out, 'matrix.csv'), 'utf8').replace(/^\uFEFF/, '')).filter((r) => r.length > 1);
    const mrow = matrix.find((r) => r[1] === reportName);
    const verdicts = await page.$$eval('#report .report-policy > summary .verdict', (xs) => xs.map((x) => x.textContent));
    assert.equal(verdicts.length, POLICIES.length);
    const want = { 符合: 0, 待确认: 0, 不符合: 0 };
    for (const v of mrow.slice(2, 2 + POLICIES.length)) want[v]++;
    const got = { 符合: 0, 待确认: 0, 不符合: 0 };
    for (const v of verdicts) got[v]++;
    assert.deepEqual(got, want);
    // How each was decided, in words (fact, value, requirement), not an operator tree.
    const first = page.locator('#report .report-policy').first();
    const firstId = await first.getAttribute('data-policy');
    await first.locator('summary').first().click();
    await first.locator('details summary').first().click();
    const why = await first.locator('.criteria').innerText();
    assert.match(why, /：[^（\n]+（要求 [^）]+）/, why);
    assert.doesNotMatch(why, /\bliteral\b|\bvar\b|\{"/, why);
    // What the caller is told: what the policy gives and how to apply (links http(s) only).
    const pol1 = POLICIES.find((p) => p.id === firstId);
    assert.ok(pol1.benefit, firstId);
    assert.ok((await first.innerText()).includes(`政策内容：${pol1.benefit.text.zh}`), firstId);
    const hrefs = await page.$$eval('#report a', (as) => as.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.length > 0 && hrefs.every((h) => /^https?:\/\//.test(h)), `${hrefs}`);

    // Exports: push list CSV (UTF-8 with BOM) = the CLI's rows, in the order the page shows them
    // (name, descending); XLSX sheet XML = the same rows.
    const pushCsv = await download(page, '#export-push-csv');
    assert.equal(pushCsv.name, `push-${stem}.csv`);
    assert.deepEqual([...pushCsv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const exported = parseCsv(pushCsv.bytes.toString('utf8').slice(1)).filter((r) => r.length > 1);
    assert.deepEqual(exported[0], cliPush[0]);
    assert.deepEqual(exported.slice(1).map(String).sort(), cliPush.slice(1).map(String).sort(), 'the CLI\'s rows');
    assert.deepEqual(exported.slice(1).map((r) => r[nameCol]), allNames, 'in the page\'s order');
    const pushXlsx = await download(page, '#export-push-xlsx');
    const sheets = readXlsx(pushXlsx.bytes);
    assert.equal(sheets.size, 1);
    const sheetRows = [...sheets.values()][0];
    assert.equal(sheetRows.length, cliPush.length);
    assert.deepEqual(sheetRows[0], cliPush[0]);
    const verdictCol = cliPush[0].indexOf('结论');
    assert.deepEqual(sheetRows.map((r) => [r[nameCol], r[verdictCol]]), exported.map((r) => [r[nameCol], r[verdictCol]]));
    // Filtered to the undecided ones, the export holds just those: what the page shows, every page of it.
    await page.selectOption('#push-verdict', 'undecided');
    await page.waitForFunction((n) => document.getElementById('push-count').textContent.includes(`共 ${n} 家`), pol.undecided.toLocaleString('en'));
    const undecided = parseCsv((await download(page, '#export-push-csv')).bytes.toString('utf8').slice(1)).filter((r) => r.length > 1);
    assert.equal(undecided.length - 1, pol.undecided);
    assert.ok(undecided.slice(1).every((r) => r[verdictCol] === '待确认'));
    await page.selectOption('#push-verdict', 'all');
    await page.waitForFunction((n) => document.getElementById('push-count').textContent.includes(`共 ${n} 家`), (pol.qualifies + pol.undecided).toLocaleString('en'));

    // The whole matrix, CSV and XLSX.
    const mcsv = await download(page, '#export-matrix-csv');
    assert.deepEqual([...mcsv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const pageMatrix = parseCsv(mcsv.bytes.toString('utf8').slice(1)).filter((r) => r.length > 1);
    assert.equal(pageMatrix.length, ROWS + 1);
    assert.deepEqual(pageMatrix, matrix);
    const results = readXlsx((await download(page, '#export-results-xlsx')).bytes);
    assert.deepEqual([...results.keys()], ['汇总', '问题', '结果矩阵']);
    assert.equal(results.get('结果矩阵').length, ROWS + 1);
    assert.deepEqual(results.get('结果矩阵').map((r) => r.slice(2, 2 + POLICIES.length)), matrix.map((r) => r.slice(2, 2 + POLICIES.length)));
    assert.equal(results.get('问题').length, expected.length + 1);

    // By enterprise: every enterprise, also one that qualifies for nothing (on no policy's list of
    // those qualifying), with the policies in force it qualifies for and is undecided on: the CLI
    // matrix, counted.
    const inForceById = new Map(await page.$$eval('#summary-table tbody tr', (rows) => rows.map((r) => [r.dataset.policy, !r.querySelector('th .meta')])));
    const inForce = POLICIES.map((p) => inForceById.get(p.id));
    const numbered = (r, v) => r.slice(2, 2 + POLICIES.length).flatMap((x, i) => (x === v && inForce[i] ? [String(i + 1).padStart(2, '0')] : []));
    const shownAs = (r, v) => { const n = numbered(r, v); return `${n.length} 项${n.length ? ` ${n.join('、')}` : ''}`; };
    assert.match(await page.textContent('#ent-count'), /共 5,000 家企业/);
    const nothing = matrix.slice(1).find((r) => numbered(r, '符合').length === 0);
    assert.ok(nothing, 'the list has an enterprise that qualifies for nothing');
    // Found by part of its credit code (any case), which the mapping leaves unmapped.
    const csvRows = parseCsv(readFileSync(csvPath, 'utf8').replace(/^\uFEFF/, ''));
    const codeCol = csvRows[0].indexOf('统一社会信用代码');
    const code = csvRows.find((r) => r[csvRows[0].indexOf('企业名称')] === nothing[1])[codeCol];
    await page.fill('#ent-filter', code.slice(-10).toLowerCase());
    await page.waitForFunction(() => document.getElementById('ent-count').textContent === '找到 1 家（共 5,000 家）。');
    const entCells = () => page.$$eval('#ent-table tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.innerText.replace(/\s+/g, ' ').trim())));
    assert.deepEqual((await entCells())[0].filter((_, i) => i !== 1), [nothing[0], code, '0 项', shownAs(nothing, '待确认'), '']);
    await page.click('#ent-table tbody .pm-link');
    await page.waitForFunction((n) => document.getElementById('report-name').textContent.includes(n), nothing[1]);
    const itsVerdicts = await page.$$eval('#report .report-policy', (xs) => xs.map((x) => [x.dataset.policy, x.querySelector(':scope > summary .verdict').textContent]));
    assert.deepEqual(itsVerdicts.filter(([id, v]) => inForceById.get(id) && v === '符合'), []);
    assert.equal(itsVerdicts.filter(([id, v]) => inForceById.get(id) && v === '待确认').length, numbered(nothing, '待确认').length);
    // Most policies first: the first has as many as any row of the matrix, numbered as the summary table.
    await page.fill('#ent-filter', '');
    await page.waitForFunction(() => document.getElementById('ent-count').textContent === '共 5,000 家企业。');
    await page.click('#ent-table .sort[data-sort="qualifies"]');
    await page.waitForSelector('#ent-table th[aria-sort="descending"] .sort[data-sort="qualifies"]');
    const top = (await entCells())[0];
    const most = Math.max(...matrix.slice(1).map((r) => numbered(r, '符合').length));
    const topRow = matrix.find((r) => r[0] === top[0]);
    assert.ok(most > 0);
    assert.deepEqual(top.slice(-3, -1), [shownAs(topRow, '符合'), shownAs(topRow, '待确认')]);
    assert.equal(numbered(topRow, '符合').length, most);
    // By estimated value, largest first (none last). The top one's value is what its report's
    // qualifying policies add up to, of two the catalogue says do not stack only the larger.
    await page.click('#ent-table .sort[data-sort="benefit"]');
    await page.waitForSelector('#ent-table th[aria-sort="descending"] .sort[data-sort="benefit"]');
    const money = (t) => (t ? Number(t.replace(/,/g, '')) : null);
    const byValue = await entCells();
    const values = byValue.map((r) => money(r.at(-1)));
    assert.ok(values[0] > 0, `${values}`);
    values.forEach((v, i) => assert.ok(i === 0 || v === null || (values[i - 1] !== null && v <= values[i - 1]), `${values}`));
    await page.click('#ent-table tbody tr:first-child .pm-link');
    await page.waitForFunction((line) => document.getElementById('report-name').textContent.includes(`第 ${line} 行`), byValue[0][0]);
    const amounts = new Map(await page.$$eval('#report .group-qualifies .report-policy', (xs) => xs.flatMap((x) => {
      const m = x.textContent.match(/预计金额：([\d,.]+) 元/);
      return m ? [[x.dataset.policy, Number(m[1].replace(/,/g, ''))]] : [];
    })));
    const index = new Map(POLICIES.map((p, i) => [p.id, i]));
    const lost = new Set();
    for (const p of POLICIES) {
      for (const st of p.stacking ?? []) {
        if (st.rule === 'stackable' || !amounts.has(p.id) || !amounts.has(st.policy)) continue;
        const [a, b] = [amounts.get(p.id), amounts.get(st.policy)];
        const later = index.get(p.id) > index.get(st.policy) ? p.id : st.policy;
        lost.add(a === b ? (st.rule === 'take_higher' ? st.policy : later) : a > b ? st.policy : p.id);
      }
    }
    const expectedTotal = [...amounts].filter(([id]) => !lost.has(id)).reduce((t, [, a]) => t + a, 0);
    assert.ok(Math.abs(expectedTotal - values[0]) < 0.005, `page ${values[0]}, report ${expectedTotal} (${[...amounts]}; lost ${[...lost]})`);

    await axe(page, 'results');

    // The page asked for nothing but its own files.
    const origin = new URL(server.url).origin;
    assert.deepEqual(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:')), []);
    assert.deepEqual(problems, []);
    await page.screenshot({ path: join(OUT, 'admin-results.png'), fullPage: false });
    await page.close();
  });

  test('round trip: drop the exported push-list XLSX, load the saved mapping, same verdicts', async () => {
    assert.ok(shared.pol, 'needs the first test');
    const { pi, pol, out } = shared;
    const stem = `${String(pi + 1).padStart(2, '0')}-${pol.policy}`;
    const xlsx = readFileSync(join(out, 'push', `${stem}.xlsx`));
    const { page, problems } = await openAdmin();
    // Drag and drop.
    const dt = await page.evaluateHandle(({ b64, name }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const d = new DataTransfer();
      d.items.add(new File([bytes], name));
      return d;
    }, { b64: xlsx.toString('base64'), name: `${stem}.xlsx` });
    await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer: dt });
    await page.waitForSelector('body[data-state="imported"]', { timeout: 60_000 });
    assert.match(await page.textContent('#import-summary'), new RegExp(`${(pol.qualifies + pol.undecided).toLocaleString('en')} 行.*XLSX`));
    // The saved mapping: the hand-made change comes back.
    await page.setInputFiles('#mapping-input', shared.mappingPath);
    await page.waitForFunction(() => /已载入对应关系/.test(document.getElementById('status').textContent));
    assert.equal(await page.inputValue(col('field-select', shared.dropped)), '');
    assert.equal(await page.inputValue(col('unit-select', shared.moneyCol)), 'wan_yuan');
    // The export's extra columns (verdict, reasons…) are not in the mapping: not imported.
    assert.equal(await page.inputValue('.field-select[data-column="结论"]'), '');
    await page.click('#run');
    await page.waitForSelector('body[data-state="done"]', { timeout: 120_000 });
    const row = await page.$eval(`#summary-table tbody tr[data-policy="${pol.policy}"]`, (r) => [r.querySelector('.q').textContent, r.querySelector('.u').textContent, r.querySelector('.n').textContent]);
    assert.deepEqual(row.map((x) => Number(x.replace(/,/g, ''))), [pol.qualifies, pol.undecided, 0]);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a mapping with one field from two columns is refused with the columns named', async () => {
    const { page, problems } = await openAdmin();
    await page.setInputFiles('#file-input', csvPath);
    await page.waitForSelector('body[data-state="imported"]', { timeout: 60_000 });
    const field = await page.inputValue(col('field-select', shared.moneyCol));
    await page.selectOption('.field-select[data-column="统一社会信用代码"]', field);
    await page.click('#run');
    await page.waitForSelector('#mapping-error:not([hidden])');
    const msg = await page.textContent('#mapping-error');
    assert.ok(msg.includes(field) && msg.includes('统一社会信用代码') && msg.includes(shared.moneyCol), msg);
    assert.equal(await page.getAttribute('body', 'data-state'), 'imported');
    assert.equal(await page.isHidden('#results-section'), true);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('English labels', async () => {
    const { page, problems } = await openAdmin('&lang=en');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.textContent('#run'), 'Run the matching');
    await page.click('#lang-toggle');
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await page.textContent('#run'), '开始匹配');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('admin page: a zone export as it comes', () => {
  test('GBK with a title row giving the unit and a totals row: notes in the page language, 万元 preselected, totals not counted', async () => {
    const { page, problems } = await openAdmin();
    // Excel's 中文 CSV (GBK): the unit is in the title only; the last row is the 合计 row.
    const text = '某园区2025年度企业名单（单位：万元）\r\n企业名称,从业人数,资产总额季度平均值,应纳税所得额\r\n'
      + '甲科技有限公司,300,5000,300\r\n乙信息有限公司,100,6000,100\r\n合计,400,11000,400\r\n';
    const file = join(dir, 'zone-gbk.csv');
    writeFileSync(file, execFileSync('python3', ['-c', 'import sys; sys.stdout.buffer.write(sys.stdin.buffer.read().decode("utf-8").encode("gbk"))'], { input: text }));
    await page.setInputFiles('#file-input', file);
    await page.waitForSelector('body[data-state="imported"]');
    assert.match(await page.textContent('#import-summary'), /已读取 2 行/);
    assert.deepEqual(await page.$$eval('#import-notes li', (xs) => xs.map((x) => x.textContent)), [
      '第 1 行（“某园区2025年度企业名单（单位：万元）”）像是标题，已跳过；表头为第 2 行',
      '第 5 行（“合计”）像是合计行，不作为企业读取',
    ]);
    assert.equal(await page.inputValue('.field-select[data-column="资产总额季度平均值"]'), 'cit_total_assets_quarterly_avg_2025_cny');
    assert.equal(await page.inputValue('.unit-select[data-column="资产总额季度平均值"]'), 'wan_yuan');
    assert.equal(await page.inputValue('.unit-select[data-column="应纳税所得额"]'), 'wan_yuan');
    await page.click('#lang-toggle');
    assert.match(await page.textContent('#import-notes li'), /^row 1 \(`某园区2025年度企业名单（单位：万元）`\) looks like a title/);
    await page.click('#lang-toggle');
    await page.click('#run');
    await page.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
    const row = await page.$eval('#summary-table tbody tr[data-policy="cit_small_low_profit_enterprise"]', (r) => [r.querySelector('.q').textContent, r.querySelector('.u').textContent, r.querySelector('.n').textContent]);
    // 甲: 300 people, 5000 万元 and 300 万元 are at the limits; 乙: 6000 万元 of assets is over 5000 万元.
    // Entity type, residence and industry are not in the file: 甲 undecided, 乙 does not qualify.
    assert.deepEqual(row, ['0', '1', '1']);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a template with group labels, pre-numbered blank rows and names that open as formulas: noted, 万元 from the label, exports neutralised and re-imported unchanged', async () => {
    const { page, problems } = await openAdmin();
    const names = ['=HYPERLINK("http://x","y")', '@SUM(A1)', '-比较'];
    const q = (s) => `"${s.replace(/"/g, '""')}"`;
    const text = '企业信息,,,财务数据（万元）,,\r\n序号,企业名称,统一社会信用代码,营业收入,研发费用,资产总额\r\n'
      + `1,${q(names[0])},91330106MA2H000001,320,20,5000\r\n2,${names[1]},91330106MA2H000002,100,-12.5,6000\r\n3,${names[2]},,,,\r\n`
      + '4,,,,,\r\n5,,,,,\r\n';
    const file = join(dir, 'zone-template.csv');
    writeFileSync(file, text);
    await page.setInputFiles('#file-input', file);
    await page.waitForSelector('body[data-state="imported"]');
    // Rows 6 and 7 hold only their 序号: blank rows, not enterprises.
    assert.match(await page.textContent('#import-summary'), /已读取 3 行.*跳过空行 2 行/);
    assert.deepEqual(await page.$$eval('#import-notes li', (xs) => xs.map((x) => x.textContent)), [
      '第 1 行和第 2 行组成两行表头（上方为分组标题）；列名为“上/下”',
      '2 行（第一行为第 6 行）只有“企业信息/序号”列的序号（空白模板行），按空行跳过',
    ]);
    const assets = '财务数据（万元）/资产总额';
    assert.equal(await page.inputValue(col('field-select', assets)), 'total_assets_2025_year_end_cny');
    assert.equal(await page.inputValue(col('unit-select', assets)), 'wan_yuan');
    assert.equal(await page.inputValue('#key-select'), '企业信息/企业名称');
    await page.click('#run');
    await page.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
    // A push list with all three enterprises; the page shows the names as text.
    const pi = await page.$$eval('#summary-table tbody tr', (rows) => rows.findIndex((r) => ['.q', '.u'].reduce((n, c) => n + Number(r.querySelector(c).textContent), 0) === 3));
    assert.ok(pi >= 0, 'a policy listing every enterprise');
    await page.click(`#summary-table tbody tr:nth-child(${pi + 1}) .open-push`);
    await page.waitForSelector('#push-section:not([hidden]) #push-table tbody tr');
    const shown = await page.$$eval('#push-table tbody tr', (rows) => rows.map((r) => r.cells[1].querySelector('button').textContent));
    assert.deepEqual([...shown].sort(), [...names].sort());
    // The CSV as Excel reads it: names prefixed with ', numbers (-12.5) as they are.
    const csv = await download(page, '#export-push-csv');
    const rows = parseCsv(csv.bytes.toString('utf8').slice(1)).filter((r) => r.length > 1);
    assert.deepEqual(rows[0].slice(0, 6), ['企业信息/序号', '企业信息/企业名称', '企业信息/统一社会信用代码', '财务数据（万元）/营业收入', '财务数据（万元）/研发费用', assets]);
    assert.deepEqual(rows.slice(1).map((r) => r[1]).sort(), names.map((n) => `'${n}`).sort());
    assert.ok(rows.some((r) => r[4] === '-12.5'), 'a negative number is not prefixed');
    // Dropped back on the page: the same names, without the '.
    const back = join(dir, 'zone-template-push.csv');
    writeFileSync(back, csv.bytes);
    await page.setInputFiles('#file-input', back);
    await page.waitForSelector('body[data-state="imported"]');
    assert.match(await page.textContent('#import-summary'), /已读取 3 行/);
    const samples = await page.$eval('#mapping-table tbody tr:nth-child(2) .samples', (td) => td.textContent);
    assert.deepEqual(samples.split(' · ').sort(), [...names].sort());
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('admin page: a workbook as staff keep it', () => {
  test('instructions sheet first, a single group label with its unit, subtotals, text dates and numbers, multi-select cells: the list is read, every value as meant', async () => {
    const { page, problems } = await openAdmin();
    const file = join(dir, 'messy-workbook.xlsx');
    writeFileSync(file, execFileSync('python3', [join(ROOT, 'tests/fixtures/batch/messy_workbook.py')]));
    await page.setInputFiles('#file-input', file);
    await page.waitForSelector('body[data-state="imported"]');
    // The list, not the instructions sheet in front of it.
    assert.equal(await page.inputValue('#sheet-select'), '企业名单');
    assert.match(await page.textContent('#import-summary'), /已读取 4 行/);
    assert.deepEqual(await page.$$eval('#import-notes li', (xs) => xs.map((x) => x.textContent)), [
      '读取的是工作表“企业名单”：其中 6 列与政策目录的字段对应（第一个有数据的工作表“填表说明”只有 0 列）；如需读取其他工作表，请另行选择',
      '第 1 行（“某园区重点企业名单（2025年度）”）像是标题，已跳过；表头为第 2 行',
      '第 2 行和第 3 行组成两行表头（上方为分组标题）；列名为“上/下”',
      '第 6 行（“小计”）像是合计行，不作为企业读取',
      '第 9 行（“合计”）像是合计行，不作为企业读取',
      '隐藏的列“内部编号”（J 列）与其他列一样导入',
    ]);
    // 万元 for the two columns under the label only; 资产总额 beside it stays in 元.
    const revenue = '财务数据（万元）/2025年营业收入';
    assert.equal(await page.inputValue(col('field-select', revenue)), 'operating_revenue_2025_cny');
    assert.equal(await page.inputValue(col('unit-select', revenue)), 'wan_yuan');
    assert.equal(await page.inputValue('.field-select[data-column="资产总额"]'), 'total_assets_2025_year_end_cny');
    assert.equal(await page.inputValue('.unit-select[data-column="资产总额"]'), 'yuan');
    assert.equal(await page.inputValue('.field-select[data-column="所属本区重点产业链"]'), 'zone_industry_chains');
    assert.equal(await page.inputValue('#key-select'), '企业名称');
    await page.click('#run');
    await page.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
    // The debt ratios look like fractions: read as percents, as mapped, and said so.
    assert.deepEqual(await page.$$eval('#mapping-warnings li', (xs) => xs.map((x) => x.textContent)), [
      '“资产负债率”列的数都在 0 到 1 之间（第 4 行：0.45，第 5 行：0.3，第 7 行：0.5…），按百分数读取（0.45 即 0.45%）；如果是小数形式（0.45 即 45%），请把单位选为“小数”',
    ]);
    // One problem: the item that is no option, with its spreadsheet row.
    const issues = await page.$$eval('#issues-table tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
    assert.equal(issues.length, 1, JSON.stringify(issues));
    assert.deepEqual(issues[0].slice(0, 3), ['8', '所属本区重点产业链', '纺织、生物医药']);
    assert.match(issues[0][3], /^“纺织”不是可选项之一/);
    // 甲's report: each value as meant, as people read it (units, option labels).
    await page.click('#summary-table tbody tr[data-policy="cit_small_low_profit_enterprise"] .open-push');
    await page.waitForSelector('#push-section:not([hidden]) #push-table tbody tr');
    const values = async (name) => {
      await page.click(`#push-table tbody tr .pm-link:text-is("${name}")`);
      await page.waitForFunction((n) => document.getElementById('report-name').textContent.startsWith(n), name);
      return Object.fromEntries(await page.$$eval('#report table tr', (rows) => rows.map((r) => [r.cells[0].textContent, r.cells[2].textContent.replace(/^.* → /, '')])));
    };
    const a = await values('甲科技有限公司');
    assert.deepEqual([a['成立日期'], a['资产总额'], a[revenue], a['财务数据（万元）/2025年研发费用'], a['所属本区重点产业链']],
      ['2024年3月5日', '500万元', '1,234.5万元', '50万元', '智能制造、集成电路']);
    const b = await values('乙制造有限公司');
    assert.deepEqual([b['成立日期'], b[revenue], b['所属本区重点产业链']], ['2024年3月5日', '120万元', '软件和信息服务、集成电路']);
    const c = await values('丙软件有限公司');
    assert.deepEqual([c['成立日期'], c['所属本区重点产业链']], ['2024年3月5日', '集成电路']);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the mapping table on a 1280 px laptop, and at 200 % zoom: headers on one line, readable row names, controls as tall as the buttons', async () => {
    const { page, problems } = await openAdmin();
    await page.setInputFiles('#file-input', join(ROOT, 'tests/fixtures/batch/enterprises.csv'));
    await page.waitForSelector('body[data-state="imported"]');
    for (const width of [1280, 640]) { // 640: a 1280 px screen zoomed to 200 %
      await page.setViewportSize({ width, height: 900 });
      const m = await page.evaluate(() => {
        const th = [...document.querySelectorAll('#mapping-table thead th')];
        return {
          heads: th.map((t) => [t.textContent, t.getBoundingClientRect().height]),
          // Headers whose text takes more than one line (an empty column's 单位 used to break into 单/位).
          wrapped: th.filter((t) => {
            const r = document.createRange();
            r.selectNodeContents(t);
            return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1;
          }).map((t) => t.textContent),
          rowNames: [...document.querySelectorAll('#mapping-table tbody th')].map((t) => [t.textContent, t.getBoundingClientRect().width]),
          select: document.getElementById('key-select').getBoundingClientRect().height,
          button: document.getElementById('save-mapping').getBoundingClientRect().height,
        };
      });
      assert.deepEqual(m.wrapped, [], `${width} px: ${JSON.stringify(m.heads)}`);
      // A column name keeps at least 4 characters a line (营业收入（万元） had 3 a line at 640 px).
      const em = await page.$eval('#mapping-table tbody th', (t) => parseFloat(getComputedStyle(t).fontSize));
      assert.deepEqual(m.rowNames.filter(([, w]) => w < 4 * em + 16), [], `${width} px: ${JSON.stringify(m.rowNames)}`);
      assert.ok(Math.abs(m.select - m.button) <= 2, `${width} px: the name-column select (${m.select} px) is as tall as the buttons beside it (${m.button} px)`);
      await page.screenshot({ path: join(OUT, `admin-mapping-${width}.png`), fullPage: true });
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a column mapped by hand starts in the unit its header gives (营收（万元）): 320 is read as 3,200,000 元', async () => {
    const { page, problems } = await openAdmin();
    const file = join(dir, 'by-hand.csv');
    writeFileSync(file, '企业名称,营收（万元）\r\n甲公司,320\r\n');
    await page.setInputFiles('#file-input', file);
    await page.waitForSelector('body[data-state="imported"]');
    assert.equal(await page.inputValue('.field-select[data-column="营收（万元）"]'), '', 'not matched automatically');
    await page.selectOption('.field-select[data-column="营收（万元）"]', 'operating_revenue_2025_cny');
    assert.equal(await page.inputValue('.unit-select[data-column="营收（万元）"]'), 'wan_yuan');
    await page.click('#run');
    await page.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
    assert.deepEqual(await page.$$eval('#mapping-warnings li', (xs) => xs.map((x) => x.textContent)), []);
    await page.click('#summary-table tbody tr[data-policy="cit_small_low_profit_enterprise"] .open-push');
    await page.click('#push-table tbody tr .pm-link:text-is("甲公司")');
    await page.waitForSelector('#report-section:not([hidden]) .report-policy');
    const value = await page.$$eval('#report table tr', (rows) => rows.find((r) => r.cells[0].textContent === '营收（万元）').cells[2].textContent);
    assert.match(value, / → 320万元$/);
    // The corrected file dropped again: the column mapped by hand keeps its field and unit.
    await page.setInputFiles('#file-input', file);
    await page.waitForSelector('body[data-state="imported"]');
    assert.equal(await page.inputValue('.field-select[data-column="营收（万元）"]'), 'operating_revenue_2025_cny');
    assert.equal(await page.inputValue('.unit-select[data-column="营收（万元）"]'), 'wan_yuan');
    await page.click('#run');
    await page.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
    // Set back to 元 by hand: read so, and the header's 万元 is pointed out.
    await page.selectOption('.unit-select[data-column="营收（万元）"]', 'yuan');
    await page.click('#run');
    await page.waitForFunction(() => document.querySelectorAll('#mapping-warnings li').length === 1);
    assert.equal(await page.textContent('#mapping-warnings li'), '“营收（万元）”列的表头写的是万元，但按元读取（对应关系中的单位）；如表头正确，请把单位选为“万元”');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('admin page: what a zone list leaves out', () => {
  test('所有企业统一填写: 主体类型 and 居民企业 given once for every enterprise; no longer asked; saved with the mapping; a filled cell wins', async () => {
    const { page, problems } = await openAdmin();
    const file = join(dir, 'own-companies.csv');
    writeFileSync(file, '企业名称,主体类型,2025年职工总数\r\n甲公司,,50\r\n乙商户,个体工商户,8\r\n');
    await page.setInputFiles('#file-input', file);
    await page.waitForSelector('body[data-state="imported"]');
    assert.match(await page.textContent('#import-summary'), /（CSV · UTF-8 · 逗号分隔）/);
    const asks = async (name) => {
      await page.click('#summary-table tbody tr[data-policy="cit_small_low_profit_enterprise"] .open-push');
      await page.waitForSelector('#push-section:not([hidden]) #push-table tbody tr');
      return page.$$eval('#push-table tbody tr', (rows, n) => rows.find((r) => r.cells[1].textContent === n)?.cells[3].textContent ?? null, name);
    };
    await page.click('#run');
    await page.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
    assert.match(await asks('甲公司'), /主体类型/);
    // Given once: a field, its value from the field's own options.
    await page.selectOption('#default-field', 'entity_type');
    await page.selectOption('#default-value', 'company');
    await page.click('#default-add');
    await page.selectOption('#default-field', 'is_resident_enterprise');
    await page.selectOption('#default-value', '是');
    await page.click('#default-add');
    assert.deepEqual(await page.$$eval('#defaults-list li span', (xs) => xs.map((x) => x.textContent)), ['主体类型 = 企业（公司）', '是否为居民企业 = 是']);
    await page.click('#run');
    await page.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
    const ask = await asks('甲公司');
    assert.ok(ask !== null && !/主体类型|居民企业/.test(ask), ask);
    // 乙商户's own cell (个体工商户) wins: not a company, so not on this company-only list.
    assert.equal(await asks('乙商户'), null);
    // Saved with the mapping, and loaded back.
    const saved = JSON.parse((await download(page, '#save-mapping')).bytes.toString('utf8'));
    assert.deepEqual(saved.defaults, { entity_type: 'company', is_resident_enterprise: '是' });
    await page.click('#defaults-list li:first-child button');
    assert.equal(await page.locator('#defaults-list li').count(), 1);
    const mappingFile = join(dir, 'own-companies-mapping.json');
    writeFileSync(mappingFile, JSON.stringify(saved));
    await page.setInputFiles('#mapping-input', mappingFile);
    await page.waitForFunction(() => document.querySelectorAll('#defaults-list li').length === 2);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('admin page: a year on, and answering the phone', () => {
  test('the example company: its value as the CLI\'s results add it up, and which of two policies that do not stack counts', async () => {
    // The hand-checked example profile (the offline file's 载入示例企业), as one row of a list.
    const profile = readJson('tests/cases/profiles/software_sme_hnte.json').cases[0].profile;
    const keys = Object.keys(profile).filter((k) => profile[k] !== null && !(Array.isArray(profile[k]) && !profile[k].length));
    const cell = (v) => (typeof v === 'boolean' ? (v ? '是' : '否') : Array.isArray(v) ? v.join(';') : String(v));
    const one = join(dir, 'example-company.csv');
    writeFileSync(one, `企业名称,${keys.join(',')}\n示例软件有限公司,${keys.map((k) => cell(profile[k])).join(',')}\n`);
    const profilePath = join(dir, 'example-company.json');
    writeFileSync(profilePath, JSON.stringify(profile));
    // The CLI's results: the amounts of what qualifies, less each one whose take-higher partner is preferred.
    const results = JSON.parse(execFileSync(cli(), ['match', '--catalogue', join(ROOT, CATALOGUES[0]), '--profiles', profilePath, '--as-of', AS_OF, '--format', 'json'], { cwd: ROOT }))[0].results;
    const claimable = results.filter((r) => r.verdict === 'qualifies' && r.in_force);
    const loses = (r) => (r.conflicts ?? []).some((c) => c.preferred === false);
    const expected = claimable.filter((r) => !loses(r)).reduce((t, r) => t + (r.benefit?.amount ?? 0), 0);
    const loser = claimable.find(loses);
    assert.ok(loser, 'the example qualifies for two policies that do not stack');

    const page = await browser.context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${server.url}admin.html?catalogue=national&asOf=${AS_OF}`);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
    await page.setInputFiles('#file-input', one);
    await page.waitForSelector('body[data-state="imported"]', { timeout: 60_000 });
    await page.click('#run');
    await page.waitForSelector('body[data-state="done"]', { timeout: 120_000 });
    const value = await page.$eval('#ent-table tbody tr', (r) => r.cells[r.cells.length - 1].textContent);
    assert.equal(Number(value.replace(/,/g, '')), expected);
    await page.click('#ent-table tbody .pm-link');
    await page.waitForSelector('#report-section:not([hidden]) .report-policy');
    const line = (id) => page.textContent(`#report .report-policy[data-policy="${id}"]`);
    assert.match(await line(loser.policy), /就高不重复：另一项较高，本项不计入预计可享受/);
    const winner = loser.conflicts.find((c) => c.preferred === false).with;
    assert.match(await line(winner), /就高不重复：本项较高，计入预计可享受/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('policies no longer in force are apart in an enterprise\'s report and not counted; paging keeps the keyboard\'s place', async () => {
    const small = join(dir, 'enterprises-120.csv');
    writeFileSync(small, execFileSync('python3', [join(ROOT, 'tests/fixtures/batch/gen_enterprises.py'), '120'], { cwd: ROOT }));
    const page = await browser.context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${server.url}admin.html?catalogue=zone&asOf=2027-03-01`);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
    await page.setInputFiles('#file-input', small);
    await page.waitForSelector('body[data-state="imported"]', { timeout: 60_000 });
    await page.click('#run');
    await page.waitForSelector('body[data-state="done"]', { timeout: 120_000 });
    const expired = await page.$$eval('#summary-table tbody tr', (rows) => rows.filter((r) => r.querySelector('th .meta')).map((r) => r.dataset.policy));
    assert.ok(expired.length >= 3, `the 2026 subsidies ended before 2027-03-01: ${expired}`);
    // The enterprise undecided on most policies in force: its report counts as its row does.
    await page.click('#ent-table .sort[data-sort="undecided"]');
    await page.waitForSelector('#ent-table th[aria-sort="descending"] .sort[data-sort="undecided"]');
    const row = await page.$eval('#ent-table tbody tr', (r) => [...r.cells].map((c) => c.innerText.trim()));
    const count = (cell) => Number(cell.match(/^(\d+) 项/)[1]);
    await page.click('#ent-table tbody tr:first-child .pm-link');
    await page.waitForSelector('#report-section:not([hidden]) .report-policy');
    const heading = async (cls) => (await page.$(`#report .${cls} h3`)) ? await page.textContent(`#report .${cls} h3`) : '（0）';
    const n = (h) => Number(h.match(/（(\d+)）/)[1]);
    assert.equal(n(await heading('group-qualifies')), count(row.at(-3)));
    assert.equal(n(await heading('group-undecided')), count(row.at(-2)));
    assert.equal(await heading('group-not-in-force'), `评估日不在有效期内（${expired.length}）`);
    const apart = await page.$$eval('#report .group-not-in-force .report-policy', (xs) => xs.map((x) => [x.dataset.policy, x.querySelector(':scope > summary').textContent]));
    assert.deepEqual(apart.map(([id]) => id).sort(), [...expired].sort());
    for (const [id, line] of apart) assert.match(line, /评估日不在有效期内/, id);
    // A keyboard user pages through the list: focus stays on 下一页, then on 上一页 on the last page.
    assert.equal(await page.getAttribute('#ent-pager', 'aria-label'), '企业列表分页');
    await page.focus('#ent-pager button[data-dir="next"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#ent-pager .meta').textContent.startsWith('51'));
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.dir), 'next');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#ent-pager .meta').textContent.startsWith('101'));
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.dir), 'prev', 'the last page disables 下一页');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('admin page: limits and cancel', () => {
  test('a 200 MB file is refused before it is read', async () => {
    const { page, problems, requests } = await openAdmin();
    const big = join(dir, 'big.csv');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 200 * 1024 * 1024); // sparse: nothing is written
    closeSync(fd);
    await page.setInputFiles('#file-input', big);
    await page.waitForSelector('#import-error:not([hidden])');
    assert.match(await page.textContent('#import-error'), /文件太大（200 MB），上限为 100 MB：未读取/);
    assert.equal(await page.getAttribute('body', 'data-state'), 'ready');
    assert.equal(await page.isHidden('#mapping-section'), true);
    assert.ok(requests.every((u) => !u.includes('big.csv')));
    assert.deepEqual(problems, []);
    await page.close();
    rmSync(big);
  });

  test('a file that cannot be read replaces the previous one, with the reason in the page language', async () => {
    const { page, problems } = await openAdmin();
    await page.setInputFiles('#file-input', csvPath);
    await page.waitForSelector('body[data-state="imported"]', { timeout: 60_000 });
    // An empty file: no header row. Nothing of the previous list stays loaded for "run".
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '\n\n');
    await page.setInputFiles('#file-input', empty);
    await page.waitForSelector('#import-error:not([hidden])');
    assert.equal(await page.textContent('#import-error'), '无法读取该文件：文件（或工作表）中没有表头行，是空的。');
    assert.equal(await page.getAttribute('body', 'data-state'), 'ready');
    assert.equal(await page.isHidden('#import-info'), true);
    assert.equal(await page.isHidden('#mapping-section'), true);
    // Bytes in no supported encoding.
    const binary = join(dir, 'pic.csv');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x81, 0x30, 0xff]));
    await page.setInputFiles('#file-input', binary);
    await page.waitForFunction(() => /编码/.test(document.getElementById('import-error').textContent));
    assert.match(await page.textContent('#import-error'), /编码既不是 UTF-8 也不是 GBK\/GB18030/);
    assert.equal(await page.getAttribute('body', 'data-state'), 'ready');
    // One row over the row limit: refused whole, saying so in the page's language.
    const long = join(dir, 'long.csv');
    writeFileSync(long, `名称\n${'x\n'.repeat(1_000_001)}`);
    await page.setInputFiles('#file-input', long);
    await page.waitForFunction(() => /未读取任何一行/.test(document.getElementById('import-error').textContent), null, { timeout: 60_000 });
    assert.equal(await page.textContent('#import-error'), '名单超过 1,000,000 行，未读取任何一行。请把名单拆分成几个较小的文件后分别导入。');
    // GBK rows pasted under a UTF-8 header: refused with the line, not read as gibberish.
    const mixed = join(dir, 'mixed.csv');
    writeFileSync(mixed, Buffer.concat([Buffer.from('企业名称,营业收入\n', 'utf8'), execFileSync('python3', ['-c', 'import sys; sys.stdout.buffer.write("甲公司,12\\n".encode("gbk"))'])]));
    await page.setInputFiles('#file-input', mixed);
    await page.waitForFunction(() => /第 2 行起不是/.test(document.getElementById('import-error').textContent));
    assert.match(await page.textContent('#import-error'), /^无法读取该文件：前 1 行是 UTF-8 编码，第 2 行起不是（像是 GBK 编码/);
    assert.equal(await page.isHidden('#mapping-section'), true);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('on a 360 px phone the page does not scroll sideways (wide tables scroll in their card)', async () => {
    const { page, problems } = await openAdmin();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.setInputFiles('#file-input', csvPath);
    await page.waitForSelector('body[data-state="imported"]', { timeout: 60_000 });
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, table: document.getElementById('mapping-table').scrollWidth }));
    assert.ok(widths.table > 360, `the mapping table is wider than the phone (${widths.table} px)`);
    assert.equal(widths.page, 360, 'the page itself stays 360 px wide');
    // The file inputs are visually hidden behind their labelled buttons (no native "Choose File").
    assert.deepEqual(await page.evaluate(() => ['file-input', 'mapping-input'].map((id) => document.getElementById(id).getBoundingClientRect().width)), [1, 1]);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('cancel stops a run; a new run completes', async () => {
    // Two rows per step and a progress message after each: a long run to cancel.
    const { page, problems } = await openAdmin('&chunk=2&slice=0');
    await page.setInputFiles('#file-input', csvPath);
    await page.waitForSelector('body[data-state="imported"]', { timeout: 60_000 });
    await page.click('#run');
    await page.waitForFunction(() => document.getElementById('progress').value > 0);
    assert.equal(await page.isEnabled('#cancel'), true);
    // Nothing that feeds the run can change while it runs.
    for (const id of ['#file-input', '#catalogue-select', '#as-of', '#mapping-input']) assert.equal(await page.isDisabled(id), true, id);
    await page.click('#cancel');
    await page.waitForSelector('body[data-state="cancelled"]', { timeout: 60_000 });
    assert.equal(await page.isEnabled('#file-input'), true);
    const status = await page.textContent('#status');
    const m = status.match(/已处理 ([\d,]+) \/ 5,000 行/);
    assert.ok(m, status);
    assert.ok(Number(m[1].replace(/,/g, '')) < ROWS, status);
    assert.equal(await page.isHidden('#results-section'), true);
    assert.equal(await page.isDisabled('#cancel'), true);
    // The page stayed usable: run again to the end.
    await page.goto(`${server.url}admin.html?catalogue=zone&asOf=${AS_OF}`);
    await page.waitForSelector('body[data-state="ready"]');
    await page.setInputFiles('#file-input', csvPath);
    await page.waitForSelector('body[data-state="imported"]', { timeout: 60_000 });
    await page.click('#run');
    await page.waitForSelector('body[data-state="done"]', { timeout: 120_000 });
    assert.equal(await page.isVisible('#results-section'), true);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
