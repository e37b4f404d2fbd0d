// The demo page: loads the wasm bundle (./pkg, built by scripts/build-wasm.sh),
// fetches the catalogue(s) and mounts the self-check widget. No inline script
// or style anywhere, so the page runs under
//   Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'
// The only requests are the bundle and the catalogue files: the answers never
// leave the browser.
//
// Query parameters:
//   ?lang=en|zh-CN
//   ?catalogue=national (default) | zone (national + example zone) | NAME (catalogues/NAME.json alone)
//   ?asOf=YYYY-MM-DD     assessment date (default: today)
// When done: <body data-state="ready|error" data-catalogue="URL[,URL]" data-lang="...">,
// and window.pmTimings = { wasm, catalogue, mounted, ready } (ms since navigation
// start, for scripts/bench-ui.mjs): wasm compiled and instantiated, catalogue
// text fetched, widget mounted (catalogue compiled, first render), rendered.
import init, { mountSelfCheck } from './pkg/policy_match.js';

const SETS = {
  national: ['catalogues/cn-national-2026.json'],
  zone: ['catalogues/cn-national-2026.json', 'catalogues/example-zone.json'],
};

const UI = {
  'zh-CN': {
    title: '政策找人',
    subtitle: '企业政策自测 · 惠企政策一网通查',
    catalogue: '政策目录',
    sets: { national: '全国 2026', zone: '全国 + 示例高新区' },
    loading: '正在加载政策目录…',
    meta: (docs, n) => `${docs.map((c) => `${c.publisher?.zh ?? ''} 版本 ${c.version} · 更新于 ${c.updated}`).join('；')} · 共 ${n} 项政策${docs.some((c) => c.example) ? ' · 含示例数据' : ''}`,
    failed: '无法加载政策目录：',
    footer: '结论仅供参考，以主管部门发布的政策原文和审核结果为准。',
  },
  en: {
    title: 'Policy match',
    subtitle: 'Enterprise self-check for support policies',
    catalogue: 'Catalogue',
    sets: { national: 'National 2026', zone: 'National + example zone' },
    loading: 'Loading the policy catalogue…',
    meta: (docs, n) => `${docs.map((c) => `${c.publisher?.en ?? ''} version ${c.version} · updated ${c.updated}`).join('; ')} · ${n} policies${docs.some((c) => c.example) ? ' · includes example data' : ''}`,
    failed: 'Could not load the policy catalogue: ',
    footer: 'For guidance only: the published policy texts and the authorities’ review prevail.',
  },
};

const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);
const cache = new Map();

const pickLang = () => ((params.get('lang') ?? 'zh-CN').toLowerCase().startsWith('en') ? 'en' : 'zh-CN');

function urlsFor(name) {
  if (SETS[name]) return SETS[name];
  if (name && /^[A-Za-z0-9_.-]+$/.test(name)) return [`catalogues/${name}.json`];
  return SETS.national;
}

async function fetchText(url) {
  if (!cache.has(url)) {
    cache.set(url, fetch(url).then(async (res) => {
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
      return res.text();
    }));
  }
  try {
    return await cache.get(url);
  } catch (e) {
    cache.delete(url);
    throw e;
  }
}

let lang = pickLang();
let set = params.get('catalogue') ?? 'national';
let docs = [];
let handle = null;

function setParam(key, value) {
  const url = new URL(location.href);
  url.searchParams.set(key, value);
  history.replaceState(null, '', url);
}

function renderChrome() {
  const t = UI[lang];
  document.documentElement.lang = lang;
  document.body.dataset.lang = lang;
  document.title = `${t.title} · ${lang === 'en' ? 'Enterprise self-check' : '企业政策自测'}`;
  $('app-title').textContent = t.title;
  $('app-subtitle').textContent = t.subtitle;
  $('footer-note').textContent = t.footer;
  $('catalogue-label').textContent = t.catalogue;
  for (const o of $('catalogue-select').options) o.textContent = t.sets[o.value] ?? o.value;
  if (docs.length) {
    const key = lang === 'en' ? 'en' : 'zh';
    const main = docs[docs.length - 1];
    $('catalogue-title').textContent = main.title?.[key] ?? main.id ?? '';
    const n = docs.reduce((k, d) => k + (Array.isArray(d.policies) ? d.policies.length : 0), 0);
    $('catalogue-meta').textContent = t.meta(docs, n);
  } else {
    $('catalogue-title').textContent = t.loading;
  }
}

function showStatus(message) {
  const el = $('status');
  el.textContent = message;
  el.hidden = false;
  el.setAttribute('role', 'alert');
}

/** Resolve once `selector` exists under `root` (the widget renders in a microtask). */
function rendered(root, selector) {
  if (root.querySelector(selector)) return Promise.resolve();
  return new Promise((resolve) => {
    const obs = new MutationObserver(() => {
      if (root.querySelector(selector)) {
        obs.disconnect();
        resolve();
      }
    });
    obs.observe(root, { childList: true, subtree: true });
  });
}

async function load(name) {
  const urls = urlsFor(name);
  const texts = await Promise.all(urls.map(fetchText));
  docs = texts.map((t) => { try { return JSON.parse(t); } catch { return {}; } });
  document.body.dataset.catalogue = urls.join(',');
  return { urls, texts };
}

async function main() {
  const select = $('catalogue-select');
  if ([...select.options].some((o) => o.value === set)) select.value = set;
  renderChrome();
  try {
    const timings = {};
    const [, { urls, texts }] = await Promise.all([
      init().then(() => { timings.wasm = performance.now(); }),
      load(set).then((r) => { timings.catalogue = performance.now(); return r; }),
    ]);
    renderChrome();
    const root = $('self-check');
    handle = mountSelfCheck(root, {
      catalogues: texts,
      names: urls.map((u) => u.split('/').pop()),
      lang,
      asOf: params.get('asOf') ?? undefined,
      onLang: (tag) => {
        lang = tag;
        setParam('lang', lang);
        renderChrome();
      },
    });
    timings.mounted = performance.now();
    await rendered(root, '.pm-selfcheck, .pm-error');
    window.pmTimings = { ...timings, ready: performance.now() };
    document.body.dataset.state = 'ready';
  } catch (e) {
    console.error(e);
    $('catalogue-title').textContent = '';
    showStatus(UI[lang].failed + (e?.message ?? String(e)));
    document.body.dataset.state = 'error';
    return;
  }
  select.addEventListener('change', async () => {
    set = select.value;
    setParam('catalogue', set);
    try {
      const { texts } = await load(set);
      renderChrome();
      handle.setCatalogues(texts);
    } catch (e) {
      showStatus(UI[lang].failed + (e?.message ?? String(e)));
    }
  });
}

main();
