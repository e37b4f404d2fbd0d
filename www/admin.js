// The admin page (批量匹配, 园区管理端): import an enterprise list, check the
// column mapping, run the matching in a Web Worker, read the validation
// report, the per-policy counts and push lists, one enterprise's report, and
// export CSV/XLSX. The main thread only renders small pages of data; the
// worker (admin-worker.js, admin wasm in ./pkg-admin) does all the work.
// No inline script or style, no innerHTML with data (text nodes only), no
// network request except the catalogue files; exports are Blob URLs.
//
// Query parameters: ?lang=en|zh-CN  ?catalogue=national|zone  ?asOf=YYYY-MM-DD
//   ?chunk=ROWS&slice=MS: rows per wasm step and ms of work between progress
//   messages (default 500 and 30; for tests and the benchmark).
// <body data-state="loading|ready|importing|imported|running|done|cancelled|error"> for tests;
// window.pmTimings = {import, run} (ms of the last import and run, for the benchmark).

const SETS = {
  national: ['catalogues/cn-national-2026.json'],
  zone: ['catalogues/cn-national-2026.json', 'catalogues/example-zone.json'],
};
const PAGE = 50;
const MAX_MAPPING_BYTES = 1024 * 1024;

const STR = {
  zh: {
    title: '政策找人 · 批量匹配',
    subtitle: '园区管理端：从企业名单到推送名单 · 数据只在本机浏览器中处理，不上传',
    catalogue: '政策目录', 'set-national': '全国 2026', 'set-zone': '全国 + 示例高新区', 'as-of': '评估日期',
    'import-title': '导入企业名单',
    'import-help': '支持 CSV（UTF-8、GBK/GB18030 自动识别）和 Excel XLSX。第一行（或标题行之后的一行）为表头。',
    drop: '把文件拖到这里，或', reading: (n, m) => `正在读取 ${n}（${m} MB）…`, 'choose-file': '选择文件…', sheet: '工作表',
    limit: (mb) => `文件大小上限 ${mb} MB；更大的名单请拆分成几个文件。`,
    'too-large': (size, limit) => `文件太大（${size} MB），上限为 ${limit} MB：未读取。请把名单拆分成几个较小的文件后分别导入。`,
    'not-a-table': '无法读取该文件：',
    'no-header': '无法读取该文件：文件（或工作表）中没有表头行，是空的。',
    'bad-encoding': '无法读取该文件：编码既不是 UTF-8 也不是 GBK/GB18030。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后再导入。',
    'hidden-sheet': (n) => `${n}（隐藏的工作表）`,
    'too-many-rows': (limit) => `名单超过 ${limit} 行，未读取任何一行。请把名单拆分成几个较小的文件后分别导入。`,
    'mixed-encoding': (line) => `无法读取该文件：前 ${line - 1} 行是 UTF-8 编码，第 ${line} 行起不是（像是 GBK 编码，可能是从另一个文件粘贴来的）。两种编码混在一个文件中会变成乱码，请把整份名单在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后再导入。`,
    imported: (i) => `已读取 ${i.rows.toLocaleString('zh-CN')} 行、${i.headers.length} 列（${describeSource(i.source)}）${i.blank_rows ? `，跳过空行 ${i.blank_rows} 行` : ''}。`,
    'mapping-title': '核对列与字段的对应',
    'mapping-help': '已按表头自动匹配。请逐列确认或修改；金额列请选择单位（元/万元）。可保存对应关系，下次导入同一系统的表格时直接载入。',
    'key-column': '企业名称列', 'save-mapping': '保存对应关系（JSON）', 'load-mapping': '载入对应关系…',
    'col-column': '表格列', 'col-samples': '示例值', 'col-field': '对应字段', 'col-unit': '单位', 'col-matched': '匹配方式',
    'not-mapped': '（不导入）', none: '（无）',
    matched: { name: '字段名', alias: '别名', label_zh: '中文名称', label_en: '英文名称', normalized: '规范化后相同', similar: '相似，请核对', manual: '手动' },
    candidates: (c) => `可能是：${c}`,
    'mapped-count': (n, w) => `已对应 ${n} / ${w} 列。`,
    'mapping-loaded': (n) => `已载入对应关系（${n} 列）。`,
    'mapping-missing-col': (c) => `对应关系中的列“${c}”不在本文件中。`,
    'mapping-unknown-field': (c, f) => `列“${c}”对应的字段 ${f} 不在当前政策目录中，已设为不导入。`,
    'defaults-title': '所有企业统一填写',
    'defaults-help': '名单里没有、但每家企业都一样的信息（如：都是在本区注册的企业（公司）），在这里填写一次。单元格里有值的，以单元格为准。',
    'default-field': '字段', 'default-value': '值', 'default-add': '添加', 'default-remove': (what) => `删除：${what}`, 'default-removed': '删除',
    'default-empty': '请先填写值。',
    run: '开始匹配', cancel: '取消',
    progress: (r, t) => `已匹配 ${r.toLocaleString('zh-CN')} / ${t.toLocaleString('zh-CN')} 行`,
    cancelled: (r, t) => `已取消（已处理 ${r.toLocaleString('zh-CN')} / ${t.toLocaleString('zh-CN')} 行）。可修改后重新开始。`,
    finished: (ms) => `匹配完成，用时 ${(ms / 1000).toFixed(1)} 秒。`,
    'validation-title': '数据校验',
    'validation-help': '有问题的单元格按“未提供”处理，该行其他数据照常参与匹配。',
    counts: { rows_read: '读取的行', rows_with_problems: '有问题的行', rows_evaluated: '已评估的行', blank_rows: '跳过的空行', issues: '问题单元格' },
    'col-row': '行号', 'col-raw': '原值', 'col-problem': '问题', 'row-shape': '（整行）',
    'issue-column': '按表格列查看', 'all-columns': (n) => `全部列（${fmtInt(n)} 个问题）`, 'column-n': (c, n) => `${c}（${fmtInt(n)} 个）`,
    'export-problems': '导出问题清单 CSV',
    'results-title': '匹配结果',
    'export-matrix-csv': '导出结果矩阵 CSV', 'export-results-xlsx': '导出汇总与矩阵 XLSX', 'export-all-xlsx': '导出全部推送名单 XLSX',
    qualifies: '符合', undecided: '待确认', not: '不符合', all: '全部',
    'col-policy': '政策', 'col-most-missing': '最常缺少的信息', 'col-open': '推送名单', open: '推送名单',
    'not-in-force': '（评估日不在有效期内）',
    'ent-title': '按企业查看',
    'ent-help': '每家企业在现行有效的政策中符合和待确认的项数（编号同上表）和符合的政策预计可享受的金额（与企业自测相同：就高不重复、互斥的只计较高的一项），也包括什么都不符合、不在任何推送名单上的企业。点企业名称查看其报告。',
    'col-total': '预计可享受（元）',
    find: '查找企业', 'find-placeholder': '企业名称、统一社会信用代码或行号',
    'ent-count': (p, all) => (p.total === all ? `共 ${all.toLocaleString('zh-CN')} 家企业。` : `找到 ${p.total.toLocaleString('zh-CN')} 家（共 ${all.toLocaleString('zh-CN')} 家）。`),
    'n-policies': (n) => `${n} 项`,
    'push-title': '推送名单', filter: '筛选', 'filter-placeholder': '企业名称、信用代码或行号', verdict: '结论',
    'export-push-csv': '导出本名单 CSV', 'export-push-xlsx': '导出本名单 XLSX',
    'push-count': (p) => `共 ${p.total.toLocaleString('zh-CN')} 家：符合 ${p.qualifies.toLocaleString('zh-CN')}，待确认 ${p.undecided.toLocaleString('zh-CN')}。先列符合的企业，再列待确认的企业（需补充的信息越少越靠前）。`,
    'col-enterprise': '企业', 'col-ask': '需补充询问的信息', 'col-benefit': '预计金额（元）',
    'row-n': (n) => `第 ${n} 行`, 'problems-n': (n) => `${n} 个问题`,
    pager: (a, b, t) => `${a}–${b} / ${t}`, prev: '上一页', next: '下一页',
    'pager-issues': '问题清单分页', 'pager-ent': '企业列表分页', 'pager-push': '推送名单分页',
    'report-title': '企业报告', 'report-data': '导入的数据', 'report-issues': '数据问题', 'report-ask': '建议先询问',
    'report-decides': (n, m) => `可确定 ${n} 项政策，涉及 ${m} 项`, 'report-for-amount': '用于估算预计金额',
    'report-failed': '未满足的条件', 'report-undecided': '待确认的条件', 'report-missing': '需补充的信息', 'report-benefit': '预计金额',
    'report-conditional': '（如符合）', 'report-why': '判断过程', 'report-issuer': '发文单位',
    'report-not-in-force': '评估日不在有效期内',
    'report-conflict': (other, rule, preferred) => `与“${other}”${rule === 'exclusive' ? '互斥，只能享受其一' : '就高不重复'}${preferred === true ? '：本项较高，计入预计可享受' : preferred === false ? '：另一项较高，本项不计入预计可享受' : ''}`,
    'report-what': '政策内容', 'report-how': '申报', 'report-documents': '文件', 'report-link': '申报入口', 'report-source': '政策原文',
    'met-true': '满足', 'met-false': '不满足', 'met-unknown': '待确认', 'value-missing': '未提供', needs: '要求',
    export: '导出', exporting: '正在生成文件…', exported: (n) => `已下载 ${n}`,
    footer: '结论仅供参考，以主管部门发布的政策原文和审核结果为准。企业名单只在本机浏览器中处理，不会上传。',
    'worker-failed': '无法启动后台计算（Web Worker / WebAssembly）：',
    'catalogue-failed': '无法加载政策目录：',
    units: { yuan: '元', thousand_yuan: '千元', wan_yuan: '万元', million_yuan: '百万元', yi_yuan: '亿元', percent: '%（0–100）', fraction: '小数（0.05 = 5%）' },
  },
  en: {
    title: 'Policy match · batch',
    subtitle: 'For zone staff: from an enterprise list to push lists · data stays in this browser, nothing is uploaded',
    catalogue: 'Catalogue', 'set-national': 'National 2026', 'set-zone': 'National + example zone', 'as-of': 'Assessment date',
    'import-title': 'Import the enterprise list',
    'import-help': 'CSV (UTF-8 or GBK/GB18030, detected) or Excel XLSX. The first row (or the one after a title row) is the header.',
    drop: 'Drop a file here, or', reading: (n, m) => `Reading ${n} (${m} MB)…`, 'choose-file': 'Choose a file…', sheet: 'Sheet',
    limit: (mb) => `Files up to ${mb} MB; split larger lists into several files.`,
    'too-large': (size, limit) => `The file is too large (${size} MB; the limit is ${limit} MB) and was not read. Split the list into smaller files and import them one by one.`,
    'not-a-table': 'Could not read the file: ',
    'no-header': 'Could not read the file: it (or the sheet) has no header row; it is empty.',
    'bad-encoding': 'Could not read the file: its text is neither UTF-8 nor GBK/GB18030. In Excel, use Save As → "CSV UTF-8 (comma delimited)" and import that.',
    'hidden-sheet': (n) => `${n} (hidden sheet)`,
    'too-many-rows': (limit) => `The list has more than ${limit} rows and none was read. Split the list into smaller files and import them one by one.`,
    'mixed-encoding': (line) => `Could not read the file: lines 1–${line - 1} are UTF-8 and line ${line} on is not (it looks like GBK, perhaps pasted from another file). Two encodings in one file would turn to gibberish: in Excel, save the whole list with Save As → "CSV UTF-8 (comma delimited)" and import that.`,
    imported: (i) => `Read ${i.rows.toLocaleString('en')} rows, ${i.headers.length} columns (${describeSource(i.source)})${i.blank_rows ? `; ${i.blank_rows} blank rows skipped` : ''}.`,
    'mapping-title': 'Check which column is which field',
    'mapping-help': 'Matched automatically from the headers. Confirm or fix each column; pick the unit of money columns (yuan / 10k yuan). Save the mapping to reuse it for the next export from the same system.',
    'key-column': 'Enterprise name column', 'save-mapping': 'Save mapping (JSON)', 'load-mapping': 'Load mapping…',
    'col-column': 'Column', 'col-samples': 'Sample values', 'col-field': 'Field', 'col-unit': 'Unit', 'col-matched': 'Matched by',
    'not-mapped': '(not imported)', none: '(none)',
    matched: { name: 'field name', alias: 'alias', label_zh: 'Chinese label', label_en: 'English label', normalized: 'same once normalised', similar: 'similar: check it', manual: 'by hand' },
    candidates: (c) => `could be: ${c}`,
    'mapped-count': (n, w) => `${n} of ${w} columns mapped.`,
    'mapping-loaded': (n) => `Mapping loaded (${n} columns).`,
    'mapping-missing-col': (c) => `The mapping's column “${c}” is not in this file.`,
    'mapping-unknown-field': (c, f) => `Column “${c}”: field ${f} is not in this catalogue; not imported.`,
    'defaults-title': 'The same for every enterprise',
    'defaults-help': 'What the list leaves out but is the same for every enterprise (e.g. all are companies registered in the zone): give it once here. A cell that is filled in wins.',
    'default-field': 'Field', 'default-value': 'Value', 'default-add': 'Add', 'default-remove': (what) => `Remove: ${what}`, 'default-removed': 'Remove',
    'default-empty': 'Give a value first.',
    run: 'Run the matching', cancel: 'Cancel',
    progress: (r, t) => `${r.toLocaleString('en')} of ${t.toLocaleString('en')} rows matched`,
    cancelled: (r, t) => `Cancelled (${r.toLocaleString('en')} of ${t.toLocaleString('en')} rows done). Change anything and run again.`,
    finished: (ms) => `Done in ${(ms / 1000).toFixed(1)} s.`,
    'validation-title': 'Validation',
    'validation-help': 'A bad cell counts as not provided; the rest of its row is still used.',
    counts: { rows_read: 'Rows read', rows_with_problems: 'Rows with problems', rows_evaluated: 'Rows evaluated', blank_rows: 'Blank rows skipped', issues: 'Problems listed' },
    'col-row': 'Row', 'col-raw': 'Raw value', 'col-problem': 'Problem', 'row-shape': '(whole row)',
    'issue-column': 'Show column', 'all-columns': (n) => `All columns (${fmtInt(n)} problem${n === 1 ? '' : 's'})`, 'column-n': (c, n) => `${c} (${fmtInt(n)})`,
    'export-problems': 'Export problems CSV',
    'results-title': 'Results',
    'export-matrix-csv': 'Export result matrix CSV', 'export-results-xlsx': 'Export summary & matrix XLSX', 'export-all-xlsx': 'Export all push lists XLSX',
    qualifies: 'Qualifies', undecided: 'Undecided', not: 'Does not qualify', all: 'All',
    'col-policy': 'Policy', 'col-most-missing': 'Most often missing', 'col-open': 'Push list', open: 'Push list',
    'not-in-force': ' (not in force on the assessment date)',
    'ent-title': 'By enterprise',
    'ent-help': 'How many of the policies in force each enterprise qualifies for and is undecided on (numbered as above), and the estimated value of those it qualifies for (as in the self-check: of policies that cannot be combined, only the larger), including enterprises that qualify for nothing and are on no push list. Choose a name for its report.',
    'col-total': 'Estimated value (CNY)',
    find: 'Find an enterprise', 'find-placeholder': 'Name, credit code or row',
    'ent-count': (p, all) => (p.total === all ? `${all.toLocaleString('en')} enterprises.` : `${p.total.toLocaleString('en')} of ${all.toLocaleString('en')} enterprises.`),
    'n-policies': (n) => (n ? `${n}:` : '0'),
    'push-title': 'Push list', filter: 'Filter', 'filter-placeholder': 'Name, credit code or row', verdict: 'Verdict',
    'export-push-csv': 'Export this list CSV', 'export-push-xlsx': 'Export this list XLSX',
    'push-count': (p) => `${p.total.toLocaleString('en')} enterprises: ${p.qualifies.toLocaleString('en')} qualify, ${p.undecided.toLocaleString('en')} undecided. Qualifying first, then undecided ones (fewest questions first).`,
    'col-enterprise': 'Enterprise', 'col-ask': 'Ask them for', 'col-benefit': 'Estimated benefit (CNY)',
    'row-n': (n) => `row ${n}`, 'problems-n': (n) => `${n} problem${n === 1 ? '' : 's'}`,
    pager: (a, b, t) => `${a}–${b} of ${t}`, prev: 'Previous', next: 'Next',
    'pager-issues': 'Pages of problems', 'pager-ent': 'Pages of enterprises', 'pager-push': 'Pages of the push list',
    'report-title': 'Enterprise report', 'report-data': 'Data imported', 'report-issues': 'Data problems', 'report-ask': 'Ask first',
    'report-decides': (n, m) => `decides ${n} policies, needed by ${m}`, 'report-for-amount': 'for the estimated amount',
    'report-failed': 'Criteria not met', 'report-undecided': 'Criteria undecided', 'report-missing': 'Information to ask for', 'report-benefit': 'Estimated benefit',
    'report-conditional': ' (if it qualifies)', 'report-why': 'How it was decided', 'report-issuer': 'Issuer',
    'report-not-in-force': 'Not in force on the assessment date',
    'report-conflict': (other, rule, preferred) => `${rule === 'exclusive' ? 'Excludes' : 'Does not stack with'} “${other}”${rule === 'exclusive' ? ' (only one of them)' : ' (the higher applies)'}${preferred === true ? ': this one is higher and counts in the estimated value' : preferred === false ? ': the other is higher; this one does not count in the estimated value' : ''}`,
    'report-what': 'What it gives', 'report-how': 'How to apply', 'report-documents': 'Documents', 'report-link': 'Apply online', 'report-source': 'Policy text',
    'met-true': 'met', 'met-false': 'not met', 'met-unknown': 'undecided', 'value-missing': 'not provided', needs: 'needs',
    export: 'Export', exporting: 'Preparing the file…', exported: (n) => `Downloaded ${n}`,
    footer: 'For guidance only: the published policy texts and the authorities’ review prevail. The enterprise list is processed in this browser only and never uploaded.',
    'worker-failed': 'Could not start the background worker (Web Worker / WebAssembly): ',
    'catalogue-failed': 'Could not load the policy catalogue: ',
    units: { yuan: 'yuan', thousand_yuan: '1,000 yuan (千元)', wan_yuan: '10,000 yuan (万元)', million_yuan: 'million yuan', yi_yuan: '100 million yuan (亿元)', percent: '% (0–100)', fraction: 'fraction (0.05 = 5%)' },
  },
};

const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);
const state = {
  lang: (params.get('lang') ?? 'zh-CN').toLowerCase().startsWith('en') ? 'en' : 'zh',
  set: SETS[params.get('catalogue')] ? params.get('catalogue') : 'national',
  asOf: /^\d{4}-\d{2}-\d{2}$/.test(params.get('asOf') ?? '') ? params.get('asOf') : today(),
  cat: null, limits: null, fieldsByName: new Map(), policiesById: new Map(),
  info: null, mapping: null, sheet: null, file: null,
  // Values for every enterprise (the mapping's `defaults`: field → text), kept across files.
  defaults: {},
  // Columns mapped by hand (header → {field, unit}), kept across files.
  byHand: new Map(),
  summary: null, warnings: [],
  issuesOffset: 0,
  /** The column whose problems are shown (`null`: all; `''`: whole rows). */
  issuesColumn: null,
  policy: null, query: { verdict: 'all', filter: '', sort: 'default', desc: false, offset: 0, limit: PAGE },
  /** The 按企业查看 list: its search, order and page. */
  entQuery: { filter: '', sort: 'line', desc: false, offset: 0, limit: PAGE },
  report: null,
  running: false,
};

function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const s = (key) => STR[state.lang][key];
/** A policy's number in the summary table and everywhere it is cited: `01`, `02`, … */
const policyNo = (i) => String(i + 1).padStart(2, '0');
const tx = (text) => (text ? (state.lang === 'en' ? text.en : text.zh) ?? text.zh ?? '' : '');
/** A problem's message in the page's language (the engine gives both). */
const issueText = (i) => (state.lang === 'en' ? i.message : i.message_zh || i.message);
const fmtInt = (n) => Number(n).toLocaleString(state.lang === 'en' ? 'en' : 'zh-CN');
const mb = (bytes) => (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');

/** An element with classes and children (strings become text nodes). */
function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k in e && typeof v !== 'string') e[k] = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}

function describeSource(src) {
  if (src.format === 'xlsx') return `XLSX${src.sheet ? ` · ${src.sheet}` : ''}`;
  const named = state.lang === 'en' ? { ',': 'comma-separated', '\t': 'tab-separated', ';': 'semicolon-separated', '|': 'bar-separated' }
    : { ',': '逗号分隔', '\t': '制表符分隔', ';': '分号分隔', '|': '竖线分隔' };
  const d = named[src.delimiter] ?? src.delimiter;
  return `CSV · ${src.encoding ?? ''}${d ? ` · ${d}` : ''}`;
}

// ---------------------------------------------------------------- worker
const worker = new Worker(new URL('./admin-worker.js', import.meta.url), { type: 'module' });
const pending = new Map();
let nextId = 1;
let onProgress = () => {};
worker.onmessage = (ev) => {
  const m = ev.data;
  if (m.type === 'progress') { onProgress(m); return; }
  const p = pending.get(m.id);
  if (!p) return;
  pending.delete(m.id);
  if (m.ok) p.resolve(m.value);
  else p.reject(Object.assign(new Error(m.error.message), m.error));
};
worker.onerror = (e) => {
  fail(s('worker-failed') + (e.message ?? 'error'));
  for (const p of pending.values()) p.reject(new Error(e.message ?? 'worker error'));
  pending.clear();
};
function call(method, args) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, method, args });
  });
}

function setState(v) { document.body.dataset.state = v; }
function status(text, isError = false) {
  const st = $('status');
  st.textContent = text;
  st.hidden = !text;
  st.classList.toggle('status-ok', !isError);
}
function fail(text) { status(text, true); setState('error'); }
function showError(id, text) { const e = $(id); e.textContent = text; e.hidden = !text; }

// ---------------------------------------------------------------- i18n
function applyLang() {
  document.documentElement.lang = state.lang === 'en' ? 'en' : 'zh-CN';
  document.title = state.lang === 'en' ? 'Policy match · batch (zone staff)' : '政策找人 · 批量匹配（园区管理端）';
  for (const e of document.querySelectorAll('[data-i18n]')) {
    const v = s(e.dataset.i18n);
    if (typeof v === 'string') e.textContent = v;
  }
  for (const e of document.querySelectorAll('[data-i18n-placeholder]')) e.placeholder = s(e.dataset.i18nPlaceholder);
  for (const e of document.querySelectorAll('[data-i18n-label]')) e.setAttribute('aria-label', s(e.dataset.i18nLabel));
  const t = $('lang-toggle');
  t.textContent = state.lang === 'en' ? '中文' : 'English';
  t.lang = state.lang === 'en' ? 'zh-CN' : 'en';
  if (state.limits) $('limit-note').textContent = s('limit')(mb(state.limits.maxInputBytes));
  renderImportInfo();
  renderMapping();
  renderValidation();
  renderResults();
  renderEnterprises();
  renderPush();
  renderReport();
}

// ---------------------------------------------------------------- catalogue
async function openCatalogue() {
  setState('loading');
  try {
    const { catalogue, limits } = await call('open', { catalogues: SETS[state.set], asOf: state.asOf });
    state.cat = catalogue;
    state.limits = limits;
    state.fieldsByName = new Map(catalogue.fields.map((f) => [f.name, f]));
    state.policiesById = new Map(catalogue.policies.map((p, i) => [p.id, { ...p, index: i }]));
    $('limit-note').textContent = s('limit')(mb(limits.maxInputBytes));
    status('');
    setState(state.info ? 'imported' : 'ready');
  } catch (e) {
    fail(s('catalogue-failed') + e.message);
  }
}

function clearResults() {
  state.summary = null;
  state.policy = null;
  state.report = null;
  state.issuesOffset = 0;
  state.issuesColumn = null;
  entPage = null;
  for (const id of ['validation-section', 'results-section', 'push-section', 'report-section']) $(id).hidden = true;
}

// ---------------------------------------------------------------- import
async function importFile(file, sheet = null) {
  if (state.running) return;
  showError('import-error', '');
  const limit = state.limits?.maxInputBytes ?? 100 * 1024 * 1024;
  if (file.size > limit) {
    // Refused before a single byte is read.
    showError('import-error', s('too-large')(mb(file.size), mb(limit)));
    return;
  }
  clearResults();
  setState('importing');
  status(s('reading')(file.name, mb(file.size)));
  const t0 = performance.now();
  try {
    const { info, mapping } = await call('import', { file, sheet });
    window.pmTimings = { ...window.pmTimings, import: performance.now() - t0 };
    state.file = file;
    state.sheet = sheet;
    state.info = info;
    // Columns mapped by hand keep their field and unit when a corrected file is dropped again.
    const headers = new Set(info.headers);
    const kept = [...state.byHand].filter(([h, c]) => headers.has(h) && (!c.field || state.fieldsByName.has(c.field)))
      .map(([h, c]) => ({ column: h, field: c.field, ...(c.unit ? { unit: c.unit } : {}), matched_by: 'manual' }));
    state.mapping = { ...mapping, columns: [...mapping.columns.filter((c) => !kept.some((k) => k.column === c.column)), ...kept] };
    state.warnings = [];
    status('');
    renderImportInfo();
    await renderMapping();
    setState('imported');
  } catch (e) {
    status('');
    // The failed file replaces the previous one: nothing stale stays
    // loaded for "run" to match.
    Object.assign(state, { file: null, sheet: null, info: null, mapping: null, warnings: [] });
    renderImportInfo();
    await renderMapping();
    showError('import-error', importErrorText(e));
    setState('ready');
  }
}

/** An import error in the page's language (the engine's own text where it names a place). */
function importErrorText(e) {
  switch (e.name) {
    case 'too-large': return s('too-large')(mb(e.size), mb(e.limit));
    case 'no-header': return s('no-header');
    case 'encoding': return s('bad-encoding');
    case 'mixed-encoding': return s('mixed-encoding')(e.line);
    case 'too-many-rows': return s('too-many-rows')(fmtInt(e.limit));
    default: return s('not-a-table') + e.message;
  }
}

function renderImportInfo() {
  const i = state.info;
  $('import-info').hidden = !i;
  if (!i) return;
  $('import-summary').textContent = s('imported')(i);
  $('import-notes').replaceChildren(...(state.lang === 'en' ? i.notes : i.notes_zh ?? i.notes).map((n) => el('li', { text: n })));
  const sheets = i.source.sheets ?? [];
  $('sheet-row').hidden = sheets.length < 2;
  const hidden = i.source.hidden_sheets ?? [];
  $('sheet-select').replaceChildren(...sheets.map((n) => el('option', { value: n, text: hidden.includes(n) ? s('hidden-sheet')(n) : n, selected: n === i.source.sheet })));
}

// ---------------------------------------------------------------- mapping
const CNY_UNITS = ['yuan', 'thousand_yuan', 'wan_yuan', 'million_yuan', 'yi_yuan'];
const PCT_UNITS = ['percent', 'fraction'];
const unitsFor = (field) => (field?.unit === 'cny' ? CNY_UNITS : field?.unit === 'percent' ? PCT_UNITS : null);

function fieldSelectTemplate() {
  const sel = el('select', { class: 'field-select' }, el('option', { value: '', text: s('not-mapped') }));
  for (const f of state.cat.fields) sel.append(el('option', { value: f.name, text: `${tx(f.label)} · ${f.name}` }));
  return sel;
}

let mappingRender = 0;
let mappingDone = Promise.resolve();
/** The mapping table, appended a few rows per task so that a wide sheet
 *  never blocks the main thread for long; resolves when complete. */
function renderMapping() {
  mappingDone = renderMappingRows();
  return mappingDone;
}

/** Wait until the mapping table is complete (a newer render may start meanwhile). */
async function mappingComplete() {
  let p;
  do { p = mappingDone; await p; } while (p !== mappingDone);
}

async function renderMappingRows() {
  const gen = ++mappingRender;
  const sec = $('mapping-section');
  sec.hidden = !state.info;
  if (!state.info || !state.mapping || !state.cat) return;
  const m = state.mapping;
  const byCol = new Map(m.columns.map((c) => [c.column, c]));
  const template = fieldSelectTemplate();
  const makeRow = (h, ci) => {
    const cm = byCol.get(h) ?? { column: h, field: null };
    const sel = template.cloneNode(true);
    sel.value = cm.field && state.fieldsByName.has(cm.field) ? cm.field : '';
    sel.setAttribute('aria-label', `${s('col-field')}: ${h}`);
    sel.dataset.column = h;
    const unitCell = el('td');
    const fillUnit = () => {
      const units = unitsFor(state.fieldsByName.get(sel.value));
      unitCell.replaceChildren();
      if (!units) return;
      const u = el('select', { class: 'unit-select', 'aria-label': `${s('col-unit')}: ${h}` }, units.map((x) => el('option', { value: x, text: s('units')[x] })));
      u.dataset.column = h;
      u.value = cm.unit && units.includes(cm.unit) ? cm.unit : units[0];
      u.addEventListener('change', () => { cm.unit = u.value; state.byHand.set(h, { field: cm.field, unit: u.value }); });
      unitCell.append(u);
    };
    sel.addEventListener('change', () => {
      cm.field = sel.value || null;
      // The unit the header gives (营收（万元）), when it fits the field chosen.
      const hu = state.info.header_units?.[ci];
      cm.unit = hu && unitsFor(state.fieldsByName.get(sel.value))?.includes(hu) ? hu : null;
      cm.matched_by = 'manual';
      state.byHand.set(h, { field: cm.field, unit: cm.unit });
      cm.candidates = [];
      if (!byCol.has(h)) { m.columns.push(cm); byCol.set(h, cm); }
      fillUnit();
      matchedCell.textContent = s('matched').manual;
      renderMappingCount();
    });
    fillUnit();
    const matchedCell = el('td', { class: cm.matched_by === 'similar' ? 'match-check' : '' },
      cm.field ? (s('matched')[cm.matched_by] ?? '') : (cm.candidates?.length ? s('candidates')(cm.candidates.map((c) => tx(state.fieldsByName.get(c)?.label) || c).join('、')) : ''));
    return el('tr', {}, el('th', { scope: 'row', text: h }), el('td', { class: 'samples', text: (state.info.samples[ci] ?? []).join(' · ') }), el('td', {}, sel), unitCell, matchedCell);
  };
  const body = $('mapping-table').tBodies[0];
  body.replaceChildren();
  const headers = state.info.headers;
  for (let i = 0; i < headers.length; i += 16) {
    if (i > 0) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (gen !== mappingRender) return; // a newer render took over
    }
    body.append(...headers.slice(i, i + 16).map((h, k) => makeRow(h, i + k)));
  }
  const key = $('key-select');
  key.replaceChildren(el('option', { value: '', text: s('none') }), ...state.info.headers.map((h) => el('option', { value: h, text: h })));
  key.value = m.key_column && state.info.headers.includes(m.key_column) ? m.key_column : '';
  $('mapping-warnings').replaceChildren(...state.warnings.map((w) => el('li', { text: w })));
  renderMappingCount();
  renderDefaults();
}

function renderMappingCount() {
  const n = [...document.querySelectorAll('#mapping-table .field-select')].filter((x) => x.value).length;
  $('mapping-count').textContent = s('mapped-count')(n, state.info.headers.length);
}

/** The mapping file object as the table shows it now. */
function currentMapping() {
  const columns = [...document.querySelectorAll('#mapping-table tbody tr')].map((tr) => {
    const sel = tr.querySelector('.field-select');
    const unit = tr.querySelector('.unit-select');
    const c = { column: sel.dataset.column, field: sel.value || null };
    if (sel.value && unit && unit.value !== 'yuan' && unit.value !== 'percent') c.unit = unit.value;
    return c;
  });
  const key = $('key-select').value;
  const defaults = Object.keys(state.defaults).length ? { defaults: { ...state.defaults } } : {};
  return { format: 'policy-match/mapping@1', ...(key ? { key_column: key } : {}), columns, ...defaults };
}

// ------------------------------------------------------- values for every enterprise
/** A field's value as people read it: an option's label, 是/否. */
function defaultLabel(f, v) {
  const o = f?.options?.find((x) => x.value === v);
  return o ? tx(o.label) : v;
}

/** The value control for `f`: its options (or 是/否) to choose from, else a text box. */
function defaultValueControl(f) {
  const choices = f?.type === 'boolean' ? [['是', state.lang === 'en' ? 'Yes' : '是'], ['否', state.lang === 'en' ? 'No' : '否']]
    : f?.type === 'enum' ? f.options.map((o) => [o.value, tx(o.label)]) : null;
  const c = choices ? el('select', { id: 'default-value' }, choices.map(([v, t]) => el('option', { value: v, text: t })))
    : el('input', { id: 'default-value', type: 'text', autocomplete: 'off' });
  $('default-value-slot').replaceChildren(c);
}

function renderDefaults() {
  if (!state.cat) return;
  const sel = $('default-field');
  const chosen = sel.value;
  sel.replaceChildren(...state.cat.fields.map((f) => el('option', { value: f.name, text: `${tx(f.label)} · ${f.name}` })));
  sel.value = chosen && state.fieldsByName.has(chosen) ? chosen : state.cat.fields[0]?.name ?? '';
  const typed = $('default-value')?.value;
  defaultValueControl(state.fieldsByName.get(sel.value));
  if (typed && sel.value === chosen) $('default-value').value = typed;
  $('defaults-list').replaceChildren(...Object.entries(state.defaults).map(([name, v]) => {
    const f = state.fieldsByName.get(name);
    const what = `${f ? tx(f.label) : name} = ${defaultLabel(f, v)}`;
    const remove = el('button', { type: 'button', class: 'pm-btn pm-btn-quiet', text: s('default-removed'), 'aria-label': s('default-remove')(what) });
    remove.addEventListener('click', () => { delete state.defaults[name]; renderDefaults(); $('default-field').focus(); });
    return el('li', {}, el('span', { text: what }), remove);
  }));
}

function download(bytes, name, mime) {
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const a = el('a', { href: url, download: name, class: 'pm-sr-only' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

async function loadMapping(file) {
  showError('mapping-error', '');
  if (file.size > MAX_MAPPING_BYTES) { showError('mapping-error', s('too-large')(mb(file.size), mb(MAX_MAPPING_BYTES))); return; }
  try {
    const m = await call('parseMapping', { text: await file.text() });
    const warnings = [];
    const headers = new Set(state.info.headers);
    for (const c of m.columns) {
      if (!headers.has(c.column)) warnings.push(s('mapping-missing-col')(c.column));
      else if (c.field && !state.fieldsByName.has(c.field)) { warnings.push(s('mapping-unknown-field')(c.column, c.field)); c.field = null; }
    }
    state.mapping = m;
    state.defaults = { ...(m.defaults ?? {}) };
    state.byHand.clear(); // the file's choices replace them
    state.warnings = warnings;
    await renderMapping();
    status(s('mapping-loaded')(m.columns.length));
  } catch (e) {
    showError('mapping-error', e.message);
  }
}

// ---------------------------------------------------------------- run
async function run() {
  if (state.running) return;
  state.running = true; // before any await: a second click does nothing
  await mappingComplete();
  showError('mapping-error', '');
  clearResults();
  state.mapping = currentMapping();
  state.running = true;
  setState('running');
  // A disabled button loses focus to <body>: a keyboard user pressed Enter on
  // 开始匹配, so focus moves to the button that is now of use (取消), and on to
  // the first result below when the run ends.
  const fromKeyboard = document.activeElement === $('run');
  $('cancel').disabled = false;
  if (fromKeyboard) $('cancel').focus();
  $('run').disabled = true;
  lockInputs(true);
  const bar = $('progress');
  bar.hidden = false;
  bar.value = 0;
  const t0 = performance.now();
  onProgress = (p) => {
    bar.max = Math.max(p.total, 1);
    bar.value = p.rows;
    $('progress-text').textContent = s('progress')(p.rows, p.total);
  };
  try {
    const tuning = {};
    for (const k of ['chunk', 'slice']) if (/^\d+$/.test(params.get(k) ?? '')) tuning[k === 'slice' ? 'sliceMs' : k] = Number(params.get(k));
    const run = await call('run', { mapping: JSON.stringify(state.mapping), ...tuning });
    const { summary } = run;
    const warnings = state.lang === 'en' ? run.warnings : run.warningsZh ?? run.warnings;
    state.warnings = warnings;
    state.summary = summary;
    window.pmTimings = { ...window.pmTimings, run: performance.now() - t0 };
    $('mapping-warnings').replaceChildren(...warnings.map((w) => el('li', { text: w })));
    status(s('finished')(performance.now() - t0));
    state.issuesOffset = 0;
    state.issuesColumn = null;
    await renderIssuesPage();
    state.entQuery = { ...state.entQuery, offset: 0 };
    await loadEnterprises();
    renderValidation();
    renderResults();
    setState('done');
    if (focusLost()) $(state.summary && !$('validation-section').hidden ? 'validation-title' : 'results-title').focus();
  } catch (e) {
    if (e.name === 'cancelled') {
      status(s('cancelled')(e.rows ?? 0, e.total ?? 0));
      setState('cancelled');
    } else {
      showError('mapping-error', e.message);
      setState('imported');
    }
  } finally {
    state.running = false;
    lockInputs(false);
    $('run').disabled = false;
    const back = document.activeElement === $('cancel');
    $('cancel').disabled = true;
    if (back || focusLost()) $('run').focus();
    bar.hidden = true;
  }
}

/** Focus is nowhere (on <body>) or on the 取消 button a finished run disables. */
const focusLost = () => document.activeElement === document.body || document.activeElement === $('cancel');

/** While a run is under way, nothing may change its input. (The mapping
 *  table's selects stay enabled: the run uses the mapping as it was when it
 *  started, and disabling ~100 options × every column costs a long style
 *  recalculation.) */
function lockInputs(on) {
  for (const id of ['file-input', 'catalogue-select', 'as-of', 'mapping-input', 'sheet-select']) $(id).disabled = on;
  $('drop-zone').classList.toggle('locked', on);
}

// ---------------------------------------------------------------- validation
let issuesPage = null;
async function renderIssuesPage() {
  issuesPage = await call('issues', { offset: state.issuesOffset, limit: PAGE, column: state.issuesColumn });
  renderIssues();
}

function renderValidation() {
  const sec = $('validation-section');
  sec.hidden = !state.summary;
  if (!state.summary) return;
  const c = s('counts');
  $('row-counts').tBodies[0].replaceChildren(...Object.keys(c).map((k) =>
    el('tr', { 'data-count': k }, el('th', { scope: 'row', text: c[k] }), el('td', { class: 'num', text: fmtInt(state.summary[k]) }))));
  // Problems by column, most first: which column of the source to correct.
  const cols = state.summary.issue_columns ?? [];
  $('issue-column-tools').hidden = cols.length < 2;
  $('issue-column').replaceChildren(
    el('option', { value: '', text: s('all-columns')(state.summary.issues) }),
    ...cols.map((c, i) => el('option', { value: String(i), text: s('column-n')(c.column || s('row-shape'), c.count) })));
  const at = cols.findIndex((c) => c.column === state.issuesColumn);
  $('issue-column').value = at < 0 ? '' : String(at);
  renderIssues();
}

function renderIssues() {
  if (!issuesPage) return;
  $('issues-table').tBodies[0].replaceChildren(...issuesPage.rows.map((i) => el('tr', {},
    el('td', { class: 'num', text: String(i.row) }),
    el('td', { text: i.column || s('row-shape') }),
    el('td', { class: 'raw', text: i.raw }),
    el('td', { text: issueText(i) }))));
  pager($('issues-pager'), issuesPage.offset, issuesPage.rows.length, issuesPage.total, (off) => { state.issuesOffset = off; renderIssuesPage(); });
}

function pager(box, offset, shown, total, go) {
  const info = el('span', { class: 'meta', text: total ? s('pager')(fmtInt(offset + 1), fmtInt(offset + shown), fmtInt(total)) : s('pager')(0, 0, 0) });
  // The buttons are made anew: a keyboard user who paged keeps focus on the same
  // button (or on the other one, when the last page disables it).
  const had = box.contains(document.activeElement) ? document.activeElement.dataset.dir : null;
  const prev = el('button', { type: 'button', class: 'pm-btn pm-btn-quiet', 'data-dir': 'prev', text: s('prev'), disabled: offset <= 0, onclick: () => go(Math.max(0, offset - PAGE)) });
  const next = el('button', { type: 'button', class: 'pm-btn pm-btn-quiet', 'data-dir': 'next', text: s('next'), disabled: offset + shown >= total, onclick: () => go(offset + PAGE) });
  box.replaceChildren(prev, info, next);
  if (had) [had === 'prev' ? prev : next, had === 'prev' ? next : prev].find((b) => !b.disabled)?.focus();
}

// ---------------------------------------------------------------- results
const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function renderChart() {
  const ps = state.summary.policies;
  const W = 900, label = 330, barW = W - label - 70, rowH = 26;
  const max = Math.max(1, ...ps.map((p) => p.qualifies + p.undecided + p.does_not_qualify));
  const root = svg('svg', { viewBox: `0 0 ${W} ${ps.length * rowH + 8}`, class: 'bar-chart', role: 'img' });
  root.append(svg('title', {}, state.lang === 'en' ? 'Enterprises per policy by verdict' : '各项政策的企业数（按结论）'));
  ps.forEach((p, i) => {
    const y = i * rowH + 4;
    const name = `${policyNo(i)} ${tx(p.title)}`;
    root.append(svg('text', { x: label - 8, y: y + 15, class: 'bar-label', 'text-anchor': 'end' }, name.length > 26 ? `${name.slice(0, 25)}…` : name));
    let x = label;
    for (const [k, cls] of [['qualifies', 'bar-q'], ['undecided', 'bar-u'], ['does_not_qualify', 'bar-n']]) {
      const w = (p[k] / max) * barW;
      if (w > 0) {
        root.append(svg('rect', { x, y, width: w.toFixed(2), height: rowH - 8, class: cls }, svg('title', {}, `${tx(p.title)}: ${s(k === 'does_not_qualify' ? 'not' : k)} ${fmtInt(p[k])}`)));
        x += w;
      }
    }
    root.append(svg('text', { x: x + 6, y: y + 15, class: 'bar-value' }, `${fmtInt(p.qualifies)} / ${fmtInt(p.undecided)}`));
  });
  $('chart').replaceChildren(root);
}

function renderResults() {
  const sec = $('results-section');
  sec.hidden = !state.summary;
  if (!state.summary) return;
  renderChart();
  $('summary-table').tBodies[0].replaceChildren(...state.summary.policies.map((p, i) => el('tr', { 'data-policy': p.policy },
    el('th', { scope: 'row' }, `${policyNo(i)} ${tx(p.title)}`, p.in_force ? '' : el('span', { class: 'meta', text: s('not-in-force') })),
    el('td', { class: 'num q', text: fmtInt(p.qualifies) }),
    el('td', { class: 'num u', text: fmtInt(p.undecided) }),
    el('td', { class: 'num n', text: fmtInt(p.does_not_qualify) }),
    el('td', { text: p.most_missing.map(([f, n]) => `${tx(state.fieldsByName.get(f)?.label) || f} (${fmtInt(n)})`).join(state.lang === 'en' ? '; ' : '；') }),
    // Named with its policy, for a screen reader's list of buttons (the visible text first).
    el('td', {}, el('button', { type: 'button', class: 'pm-btn pm-btn-quiet open-push', text: s('open'), 'aria-label': `${s('open')} ${tx(p.title)}`, onclick: () => openPush(i) })))));
}

// ---------------------------------------------------------------- by enterprise
let entPage = null;
async function loadEnterprises() {
  entPage = await call('enterprises', { query: state.entQuery });
  renderEnterprises();
}

/** A sort button's aria-sort: `qualifies`, `undecided` and `benefit` list the most first. */
function markSort(table, query) {
  for (const b of document.querySelectorAll(`#${table} .sort`)) {
    const on = b.dataset.sort === query.sort;
    const most = ['qualifies', 'undecided', 'benefit'].includes(b.dataset.sort);
    b.closest('th').setAttribute('aria-sort', on ? (query.desc !== most ? 'descending' : 'ascending') : 'none');
  }
}

function renderEnterprises() {
  if (!entPage || !state.summary) return;
  $('ent-count').textContent = s('ent-count')(entPage, state.summary.rows_read);
  markSort('ent-table', state.entQuery);
  const code = $('ent-code');
  code.hidden = !entPage.code_column;
  code.textContent = entPage.code_column ?? '';
  // Policies by their number in the summary table, their titles on hover.
  const policies = (list) => el('td', { title: list.map((i) => `${policyNo(i)} ${tx(state.cat.policies[i]?.title)}`).join('\n') || undefined },
    el('strong', { text: s('n-policies')(list.length) }),
    list.length ? el('span', { class: 'meta', text: ` ${list.map(policyNo).join(state.lang === 'en' ? ', ' : '、')}` }) : '');
  $('ent-table').tBodies[0].replaceChildren(...entPage.rows.map((r) => el('tr', {},
    el('td', { class: 'num', text: String(r.line) }),
    el('td', {}, el('button', { type: 'button', class: 'pm-link', text: r.key ?? s('row-n')(r.line), onclick: () => openReport(r.row) }),
      r.problems ? el('span', { class: 'problem-tag', text: s('problems-n')(r.problems) }) : ''),
    entPage.code_column ? el('td', { class: 'raw', text: r.code ?? '' }) : '',
    policies(r.qualifies),
    policies(r.undecided),
    el('td', { class: 'num', text: r.benefit ? groupDigits(r.benefit) : '' }))));
  pager($('ent-pager'), entPage.offset, entPage.rows.length, entPage.total, (off) => { state.entQuery.offset = off; loadEnterprises(); });
}

// ---------------------------------------------------------------- push list
let pushPage = null;
async function openPush(index) {
  state.policy = index;
  state.query = { ...state.query, offset: 0 };
  await loadPush();
  $('push-section').hidden = false;
  $('push-section').scrollIntoView({ block: 'start' });
  // Focus follows to the list opened (else the next Tab is the next row's 推送名单).
  $('push-title').focus({ preventScroll: true });
}

async function loadPush() {
  if (state.policy === null) return;
  pushPage = await call('push', { policy: state.policy, query: state.query });
  renderPush();
}

function renderPush() {
  const sec = $('push-section');
  if (state.policy === null || !pushPage || !state.summary) { sec.hidden = true; return; }
  const pol = state.cat.policies[state.policy];
  $('push-policy').textContent = tx(pol.title);
  $('push-count').textContent = s('push-count')(pushPage);
  markSort('push-table', state.query);
  const crit = new Map(pol.criteria.map((c) => [c.id, c]));
  $('push-table').tBodies[0].replaceChildren(...pushPage.rows.map((r) => el('tr', { class: `v-${r.verdict}` },
    el('td', { class: 'num', text: String(r.line) }),
    el('td', {}, el('button', { type: 'button', class: 'pm-link', text: r.key ?? s('row-n')(r.line), onclick: () => openReport(r.row) }),
      r.problems ? el('span', { class: 'problem-tag', text: s('problems-n')(r.problems) }) : ''),
    el('td', {}, el('span', { class: `verdict verdict-${r.verdict}`, text: s(r.verdict === 'qualifies' ? 'qualifies' : 'undecided') })),
    el('td', { title: r.undecided.map((id) => `${id} ${tx(crit.get(id)?.description)}`).join('\n') || undefined,
      text: r.missing.map((f) => tx(state.fieldsByName.get(f)?.label) || f).join(state.lang === 'en' ? '; ' : '、') }),
    el('td', { class: 'num', text: r.benefit ? groupDigits(r.benefit) : '' }))));
  pager($('push-pager'), pushPage.offset, pushPage.rows.length, pushPage.total, (off) => { state.query.offset = off; loadPush(); });
  sec.hidden = false;
}

/** Decimal text with thousands separators (no arithmetic: the digits are
 *  shown as the engine wrote them; report amounts are JSON numbers of at
 *  most 15 significant digits, which JavaScript prints back exactly). */
function groupDigits(value) {
  const [i, f] = String(value).split('.');
  const neg = i.startsWith('-');
  const digits = neg ? i.slice(1) : i;
  const g = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${g}${f ? `.${f}` : ''}`;
}

// ---------------------------------------------------------------- one enterprise
async function openReport(row) {
  state.report = await call('enterprise', { row });
  renderReport();
  $('report-section').hidden = false;
  $('report-section').scrollIntoView({ block: 'start' });
  $('report-title').focus({ preventScroll: true });
}

/** ✓ / ✗ / ? with its words (a criterion's or a fact's mark: met, not-met, unknown). */
function mark(k) {
  const key = { met: 'true', 'not-met': 'false' }[k] ?? 'unknown';
  return el('span', { class: `mark mark-${key}`, text: s(`met-${key}`) });
}

/** One criterion as the widget words it: each fact tested, its value and the requirement. */
function wordedCriterion(c) {
  const colon = state.lang === 'en' ? ': ' : '：';
  const facts = c.rows.map((r) => el('li', { class: 'fact', 'data-depth': String(r.depth) },
    r.mark ? mark(r.mark) : '', r.mark ? ' ' : '', r.label,
    r.actual ? `${colon}${r.actual}` : '',
    r.required ? (state.lang === 'en' ? ` (${s('needs')} ${r.required})` : `（${s('needs')} ${r.required}）`) : ''));
  const more = [
    ...(c.missing.length ? [el('li', { class: 'meta', text: `${s('report-missing')}${colon}${c.missing.join(state.lang === 'en' ? ', ' : '、')}` })] : []),
    ...(c.note ? [el('li', { class: 'meta', text: c.note })] : []),
    ...c.near.map((n) => el('li', { class: 'near', text: `≈ ${n}` })),
  ];
  return el('li', {}, mark(c.mark), ` ${c.id} ${c.description}`, el('ul', { class: 'facts' }, facts, more));
}

function renderReport() {
  const box = $('report');
  const r = state.report;
  if (!r || !state.cat) { $('report-section').hidden = true; return; }
  $('report-name').textContent = `${r.key ?? ''} (${s('row-n')(r.line)})`;
  const label = (f) => tx(state.fieldsByName.get(f)?.label) || f;
  const sep = state.lang === 'en' ? '; ' : '、';
  const data = el('details', { class: 'report-block' }, el('summary', { text: s('report-data') }),
    el('table', { class: 'admin-table' }, el('tbody', {}, r.cells.map((c) => el('tr', {},
      el('th', { scope: 'row', text: c.column }), el('td', { class: 'raw', text: c.raw }),
      el('td', { text: c.field ? `${label(c.field)} → ${r.values_text[state.lang][c.field] ?? s('value-missing')}` : '' }))))));
  const issues = r.issues.length ? el('div', { class: 'report-block' }, el('h3', { text: s('report-issues') }),
    el('ul', {}, r.issues.map((i) => el('li', { text: `${i.column || s('row-shape')}：“${i.raw}” — ${issueText(i)}` })))) : '';
  const ask = r.report.ask_next.length ? el('div', { class: 'report-block' }, el('h3', { text: s('report-ask') }),
    el('ol', {}, r.report.ask_next.slice(0, 8).map((a) => el('li', { text: `${label(a.field)} — ${a.needed_by ? s('report-decides')(a.decides, a.needed_by) : s('report-for-amount')}` })))) : '';
  const expl = new Map(r.worded[state.lang].map((x) => [x.policy, x]));
  const verdictWord = (v) => s(v === 'does_not_qualify' ? 'not' : v);
  const item = (res) => {
    const p = state.policiesById.get(res.policy);
    const crit = new Map(p.criteria.map((c) => [c.id, c]));
    const colon = state.lang === 'en' ? ': ' : '：';
    const body = [el('p', { class: 'meta', text: `${s('report-issuer')}${colon}${tx(p.issuer)}${p.documents?.length ? ` · ${p.documents.join(sep)}` : ''}` })];
    // What the caller is told: what it gives and how to apply (catalogue text as text; links http(s) only).
    if (p.benefit) body.push(el('p', { text: `${s('report-what')}${colon}${tx(p.benefit)}` }));
    const app = p.application;
    const how = [tx(app?.window).replace(/[。.;；\s]+$/, ''), tx(app?.office)].filter(Boolean).join(state.lang === 'en' ? '; ' : '；');
    const link = (url, text) => (/^https?:\/\//i.test(url ?? '') ? el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', text }) : '');
    if (how || app?.url) body.push(el('p', {}, how ? `${s('report-how')}${colon}${how} ` : '', link(app?.url, s('report-link'))));
    const source = (p.sources ?? []).find((x) => /^https?:\/\//i.test(x.url ?? ''));
    if (source) body.push(el('p', { class: 'meta' }, link(source.url, tx(source.label) || s('report-source'))));
    if (res.benefit?.amount) body.push(el('p', { text: state.lang === 'en'
      ? `${s('report-benefit')}: ¥${groupDigits(res.benefit.amount)}${res.benefit.conditional ? s('report-conditional') : ''}`
      : `${s('report-benefit')}：${groupDigits(res.benefit.amount)} 元${res.benefit.conditional ? s('report-conditional') : ''}` }));
    // Policies it cannot be combined with (the estimated value counts only the larger).
    for (const c of res.conflicts ?? []) {
      const other = tx(state.policiesById.get(c.with)?.title) || c.with;
      body.push(el('p', { class: 'meta', text: s('report-conflict')(other, c.rule, c.preferred) }));
    }
    if (res.missing_fields.length) body.push(el('p', { text: `${s('report-missing')}${colon}${res.missing_fields.map(label).join(sep)}` }));
    if (res.failed.length) body.push(el('p', { text: `${s('report-failed')}${colon}` }), el('ul', {}, res.failed.map((id) => el('li', { text: `${id} ${tx(crit.get(id)?.description)}` }))));
    for (const nm of res.near_misses) body.push(el('p', { class: 'near', text: tx(nm.message) }));
    if (res.undecided.length) body.push(el('p', { text: `${s('report-undecided')}${colon}` }), el('ul', {}, res.undecided.map((id) => el('li', { text: `${id} ${tx(crit.get(id)?.description)}` }))));
    const x = expl.get(res.policy);
    if (x) {
      body.push(el('details', {}, el('summary', { text: s('report-why') }),
        el('ul', { class: 'criteria' }, x.criteria.map(wordedCriterion))));
    }
    // Out of force: said on the line itself, not only inside (staff must not promise it).
    return el('details', { class: `report-policy verdict-${res.verdict}`, 'data-policy': res.policy },
      el('summary', {}, el('span', { class: `verdict verdict-${res.verdict}`, text: verdictWord(res.verdict) }), ` ${tx(p.title)}`,
        res.in_force ? '' : el('span', { class: 'meta', text: s('not-in-force') })), body);
  };
  // Policies in force by verdict, as 按企业查看 counts them; those not in force on the assessment date last, apart.
  const group = (cls, title, items) => (items.length
    ? el('div', { class: `report-group ${cls}` }, el('h3', { text: state.lang === 'en' ? `${title} (${items.length})` : `${title}（${items.length}）` }), items.map(item)) : '');
  const inForce = r.report.results.filter((x) => x.in_force);
  const groups = ['qualifies', 'undecided', 'does_not_qualify'].map((v) => group(`group-${v}`, verdictWord(v), inForce.filter((x) => x.verdict === v)));
  groups.push(group('group-not-in-force', s('report-not-in-force'), r.report.results.filter((x) => !x.in_force)));
  box.replaceChildren(data, issues, ask, ...groups);
}

// ---------------------------------------------------------------- exports
async function exportFile(kind, policy = null, query = null) {
  status(s('exporting'));
  try {
    const f = await call('export', { kind, policy, lang: state.lang, query });
    download(f.bytes, f.name, f.mime);
    status(s('exported')(f.name));
  } catch (e) {
    status(e.message, true);
  }
}

// ---------------------------------------------------------------- wiring
function wire() {
  $('default-field').addEventListener('change', (e) => defaultValueControl(state.fieldsByName.get(e.target.value)));
  $('default-add').addEventListener('click', () => {
    const name = $('default-field').value;
    const v = $('default-value')?.value.trim() ?? '';
    showError('mapping-error', '');
    if (!name) return;
    if (!v) { showError('mapping-error', s('default-empty')); $('default-value').focus(); return; }
    state.defaults[name] = v;
    renderDefaults();
  });
  $('catalogue-select').value = state.set;
  $('as-of').value = state.asOf;
  $('lang-toggle').addEventListener('click', () => { state.lang = state.lang === 'en' ? 'zh' : 'en'; applyLang(); });
  $('catalogue-select').addEventListener('change', async (e) => {
    state.set = e.target.value;
    const keep = state.info ? currentMapping() : null;
    clearResults();
    await openCatalogue();
    if (state.file) {
      await importFile(state.file, state.sheet);
      if (keep) { state.mapping = keep; await loadMappingObject(keep); }
    }
  });
  $('as-of').addEventListener('change', async (e) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(e.target.value)) return;
    state.asOf = e.target.value;
    clearResults();
    await openCatalogue();
  });
  $('file-input').addEventListener('change', (e) => { const f = e.target.files?.[0]; if (f) importFile(f); e.target.value = ''; });
  const zone = $('drop-zone');
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('drag'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('drag'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('drag');
    if (state.running) return;
    const f = e.dataTransfer?.files?.[0];
    if (f) importFile(f);
  });
  $('sheet-select').addEventListener('change', (e) => importFile(state.file, e.target.value));
  $('key-select').addEventListener('change', () => { if (state.mapping) state.mapping.key_column = $('key-select').value || undefined; });
  $('save-mapping').addEventListener('click', () => download(new TextEncoder().encode(`${JSON.stringify(currentMapping(), null, 2)}\n`), 'mapping.json', 'application/json'));
  $('mapping-input').addEventListener('change', (e) => { const f = e.target.files?.[0]; if (f) loadMapping(f); e.target.value = ''; });
  $('run').addEventListener('click', run);
  $('cancel').addEventListener('click', () => worker.postMessage({ type: 'cancel' }));
  $('export-problems').addEventListener('click', () => exportFile('problems-csv'));
  $('issue-column').addEventListener('change', (e) => {
    const c = state.summary?.issue_columns?.[Number(e.target.value)];
    state.issuesColumn = e.target.value === '' || !c ? null : c.column;
    state.issuesOffset = 0;
    renderIssuesPage();
  });
  $('export-matrix-csv').addEventListener('click', () => exportFile('matrix-csv'));
  $('export-results-xlsx').addEventListener('click', () => exportFile('results-xlsx'));
  $('export-all-xlsx').addEventListener('click', () => exportFile('all-xlsx'));
  // The list as shown: its verdict filter, search and order (every page of it).
  const shown = () => ({ ...state.query, offset: 0 });
  $('export-push-csv').addEventListener('click', () => exportFile('push-csv', state.policy, shown()));
  $('export-push-xlsx').addEventListener('click', () => exportFile('push-xlsx', state.policy, shown()));
  let timer = 0;
  $('push-filter').addEventListener('input', (e) => {
    clearTimeout(timer);
    timer = setTimeout(() => { state.query = { ...state.query, filter: e.target.value, offset: 0 }; loadPush(); }, 200);
  });
  let entTimer = 0;
  $('ent-filter').addEventListener('input', (e) => {
    clearTimeout(entTimer);
    entTimer = setTimeout(() => { state.entQuery = { ...state.entQuery, filter: e.target.value, offset: 0 }; loadEnterprises(); }, 200);
  });
  for (const b of document.querySelectorAll('#ent-table .sort')) {
    b.addEventListener('click', () => {
      const sort = b.dataset.sort;
      state.entQuery = { ...state.entQuery, desc: state.entQuery.sort === sort ? !state.entQuery.desc : false, sort, offset: 0 };
      loadEnterprises();
    });
  }
  $('push-verdict').addEventListener('change', (e) => { state.query = { ...state.query, verdict: e.target.value, offset: 0 }; loadPush(); });
  for (const b of document.querySelectorAll('#push-table .sort')) {
    b.addEventListener('click', () => {
      const sort = b.dataset.sort;
      state.query = { ...state.query, desc: state.query.sort === sort ? !state.query.desc : false, sort, offset: 0 };
      loadPush();
    });
  }
}

async function loadMappingObject(m) {
  const headers = new Set(state.info.headers);
  state.mapping = { ...m, columns: m.columns.filter((c) => headers.has(c.column)).map((c) => (c.field && !state.fieldsByName.has(c.field) ? { ...c, field: null } : c)) };
  await renderMapping();
}

wire();
applyLang();
openCatalogue();
