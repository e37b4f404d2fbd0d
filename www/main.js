// The demo page: loads the wasm bundle (./pkg, built by scripts/build-wasm.sh),
// fetches a catalogue and mounts the Yew policy list. No inline script or
// style anywhere, so the page runs under
//   Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'
//
// Query parameters: ?lang=en|zh-CN, ?catalogue=NAME (www/catalogues/NAME.json).
// When done, <body data-state="ready|error" data-catalogue="URL" data-lang="...">.
import init, { mountPolicyList } from './pkg/policy_match.js';

/** Catalogues tried in order; the first that loads wins. */
const DEFAULT_CATALOGUES = ['catalogues/cn-national-2026.json', 'catalogues/demo.json'];

const UI = {
  'zh-CN': {
    title: '政策找人',
    subtitle: '企业画像与政策目录匹配',
    loading: '正在加载政策目录…',
    meta: (c, n) => `版本 ${c.version} · 更新于 ${c.updated} · 共 ${n} 项政策${c.example ? ' · 示例数据' : ''}`,
    failed: '无法加载政策目录：',
    footer: '结论仅供参考，以主管部门发布的政策原文为准。',
  },
  en: {
    title: 'Policy match',
    subtitle: 'Match enterprise profiles against policy catalogues',
    loading: 'Loading the policy catalogue…',
    meta: (c, n) => `Version ${c.version} · updated ${c.updated} · ${n} policies${c.example ? ' · example data' : ''}`,
    failed: 'Could not load the policy catalogue: ',
    footer: 'For guidance only: the published policy texts prevail.',
  },
};

const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);

function pickLang() {
  const asked = params.get('lang') ?? navigator.language ?? 'zh-CN';
  return asked.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

async function fetchCatalogue() {
  const name = params.get('catalogue');
  const urls = name && /^[A-Za-z0-9_.-]+$/.test(name) ? [`catalogues/${name}.json`] : DEFAULT_CATALOGUES;
  const tried = [];
  for (const url of urls) {
    try {
      const res = await fetch(url, { cache: 'no-cache' });
      if (res.ok) return { url, text: await res.text() };
      tried.push(`${url}: HTTP ${res.status}`);
    } catch (e) {
      tried.push(`${url}: ${e.message}`);
    }
  }
  throw new Error(tried.join('; '));
}

function showStatus(message) {
  const el = $('status');
  el.textContent = message;
  el.hidden = false;
  el.setAttribute('role', 'alert');
}

let lang = pickLang();
let handle = null;
let catalogue = null; // { url, text, doc }

function renderChrome() {
  const t = UI[lang];
  document.documentElement.lang = lang;
  document.body.dataset.lang = lang;
  document.title = `${t.title} · ${lang === 'en' ? '政策找人' : 'Policy match'}`;
  $('app-title').textContent = t.title;
  $('app-subtitle').textContent = t.subtitle;
  $('footer-note').textContent = t.footer;
  for (const b of document.querySelectorAll('.lang-switch button')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  }
  if (catalogue?.doc) {
    const key = lang === 'en' ? 'en' : 'zh';
    $('catalogue-title').textContent = catalogue.doc.title?.[key] ?? catalogue.doc.id ?? '';
    const n = Array.isArray(catalogue.doc.policies) ? catalogue.doc.policies.length : 0;
    $('catalogue-meta').textContent = t.meta(catalogue.doc, n);
  } else if (!catalogue) {
    $('catalogue-title').textContent = t.loading;
  }
}

function setLang(next) {
  lang = next;
  const url = new URL(location.href);
  url.searchParams.set('lang', lang);
  history.replaceState(null, '', url);
  renderChrome();
  handle?.setLang(lang);
}

async function main() {
  renderChrome();
  for (const b of document.querySelectorAll('.lang-switch button')) {
    b.addEventListener('click', () => setLang(b.dataset.lang));
  }
  try {
    await init();
    const { url, text } = await fetchCatalogue();
    let doc = null;
    try { doc = JSON.parse(text); } catch { /* the widget shows the syntax error with its position */ }
    catalogue = { url, text, doc };
    document.body.dataset.catalogue = url;
    renderChrome();
    handle = mountPolicyList($('policy-list'), text, lang);
    document.body.dataset.state = 'ready';
  } catch (e) {
    console.error(e);
    $('catalogue-title').textContent = '';
    showStatus(UI[lang].failed + (e?.message ?? String(e)));
    document.body.dataset.state = 'error';
  }
}

main();
