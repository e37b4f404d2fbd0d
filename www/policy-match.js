// <policy-match>: the self-check widget (企业自测) as a custom element, and a
// small JS API (mount, evaluate). One ES module; the wasm is fetched next to
// the wasm-bindgen glue and compiled with streaming instantiation.
//
//   <script type="module" src="policy-match.js"></script>
//   <policy-match catalogue="catalogues/cn-national-2026.json" lang="zh-CN"></policy-match>
//
// Attributes (strings): catalogue (URL, or several separated by spaces:
// national + zone; relative to the page), lang (zh-CN | en; en-… is English,
// anything else Chinese), as-of (YYYY-MM-DD; absent: today; else bad-date),
// mode (self-check | browse; anything else: self-check), theme (light | dark |
// auto).
// Properties: catalogues (parsed catalogue objects or JSON texts, or one
// alone; wins over the attribute), profile (answers to start from; reads back
// the current answers), results (read-only, the latest verdicts; null in
// browse mode).
// Events (bubbles, composed, plain-JSON detail): policy-match-ready,
// policy-match-change, policy-match-apply (cancelable), policy-match-error
// (name: catalogue-fetch, bad-date, no-catalogue, wasm-load or the catalogue
// error's kind).
// See policy-match.d.ts and custom-elements.json.
//
// Everything renders in an open shadow root; the styles (widget.css) are a
// constructable stylesheet (adoptedStyleSheets), so a CSP without
// 'unsafe-inline' works. Nothing outside the element is touched, and the only
// requests are this module's own files and the catalogue URL(s).
import init, * as wasm from './pkg/policy_match.js';

// scripts/dist.sh replaces the next line with the bundled assets:
// {css: "<widget.css text>", wasm: "<base64>", fragment: true, storageKey: "…" (offline file only)}.
const BUNDLED = null;

const EVENTS = {
  ready: 'policy-match-ready',
  change: 'policy-match-change',
  apply: 'policy-match-apply',
  error: 'policy-match-error',
};

let wasmReady = null;
/** Load and instantiate the wasm once per page (streaming over HTTP). */
function loadWasm() {
  if (!wasmReady) {
    if (BUNDLED?.wasm) {
      wasmReady = Promise.resolve().then(() => {
        const bin = atob(BUNDLED.wasm);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        wasm.initSync({ module: bytes });
      });
    } else {
      wasmReady = init();
    }
    // E.g. only policy-match.js was copied, not the .wasm next to it.
    wasmReady = wasmReady.catch((e) => {
      wasmReady = null;
      throw named('wasm-load', e.message);
    });
  }
  return wasmReady;
}

let sheet = null;
/** The widget's stylesheet, made once and shared by every element. */
function styles() {
  if (!sheet) {
    sheet = (BUNDLED?.css != null
      ? Promise.resolve(BUNDLED.css)
      : fetch(new URL('./widget.css', import.meta.url)).then((r) => {
        if (!r.ok) throw new Error(`widget.css: HTTP ${r.status}`);
        return r.text();
      })
    ).then((text) => {
      const s = new CSSStyleSheet();
      s.replaceSync(text);
      return s;
    });
    sheet.catch(() => { sheet = null; });
  }
  return sheet;
}

const fetched = new Map();
/** Fetch a catalogue's text (shared between elements on the page). */
function fetchText(url) {
  if (!fetched.has(url)) {
    const p = fetch(url, { credentials: 'same-origin' }).then(async (res) => {
      if (!res.ok) throw named('catalogue-fetch', `${url}: HTTP ${res.status}`);
      const text = await res.text();
      // A CMS error page or login page served with 200.
      if (/^\s*</.test(text)) throw named('catalogue-fetch', `${url}: HTML, not JSON`);
      return text;
    }, (e) => { throw named('catalogue-fetch', `${url}: ${e.message}`); });
    fetched.set(url, p);
    p.catch(() => fetched.delete(url));
  }
  return fetched.get(url);
}

function named(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

/**
 * A catalogue (the i-th) or a profile given as an object or as JSON text →
 * JSON text; what JSON cannot hold (undefined, a function) is a `schema` error.
 */
const toText = (c, i) => {
  const text = typeof c === 'string' ? c : JSON.stringify(c);
  if (typeof text !== 'string') throw named('schema', `${typeof i === 'number' ? `catalogue ${i + 1}` : 'the profile'} is ${typeof c}, not an object or JSON text`);
  return text;
};
/** Catalogues: an array (any iterable), or one catalogue (object or JSON text). */
const list = (v) => (typeof v === 'string' || !v?.[Symbol.iterator] ? [v] : Array.from(v));
/** A date YYYY-MM-DD the engine accepts (a real day, 1900–2199)? */
const isDate = (v) => /^(19|2[01])\d\d-\d\d-\d\d$/.test(v) && String(new Date(v).toJSON()).startsWith(v);
/** The `as-of` attribute → a date, or undefined (absent or empty: today); throws `bad-date`. */
function asOf(v) {
  if (v && !isDate(v)) throw named('bad-date', `as-of "${v}": not a date YYYY-MM-DD`);
  return v || undefined;
}

/** An error (Error, or anything) → plain JSON for an event's detail. */
function errorDetail(e) {
  const details = Array.isArray(e?.details) ? e.details : [];
  return JSON.parse(JSON.stringify({ name: e?.name ?? 'Error', message: e?.message ?? String(e), errors: details }));
}

// The heading, and a hint per error name (what the webmaster should fix).
const TEXT = {
  'zh-CN': { failed: '无法加载政策目录', 'catalogue-fetch': '请检查 catalogue 网址', 'bad-date': 'as-of 日期应写成 YYYY-MM-DD', 'no-catalogue': '请用 catalogue 属性给出政策目录网址' },
  en: { failed: 'The policy catalogue could not be loaded', 'catalogue-fetch': 'Check the catalogue URL', 'bad-date': 'Write as-of as YYYY-MM-DD', 'no-catalogue': 'Give the catalogue URL in the catalogue attribute' },
};
const langOf = (tag) => (String(tag ?? '').toLowerCase().startsWith('en') ? 'en' : 'zh-CN');

let counter = 0;

/**
 * <policy-match>: see the header of this file, policy-match.d.ts and
 * custom-elements.json.
 */
export class PolicyMatchElement extends HTMLElement {
  static observedAttributes = ['catalogue', 'lang', 'as-of', 'mode', 'theme'];

  #shadow;
  #mount;
  // SelfCheckHandle | PolicyListHandle
  #handle = null;
  #handleMode = null;
  // property value
  #catalogues = null;
  // the catalogues' names (file names of the URLs)
  #names = [];
  // the error shown instead of the widget
  #error = null;
  // the latest answers (given or reported)
  #profile = null;
  // the latest change detail
  #detail = null;
  // bumps on every (re)load: stale loads give up
  #gen = 0;
  #id = `pm${++counter}`;
  #sourceKey = '';
  #readyFired = false;
  #reflectingLang = false;

  constructor() {
    super();
    this.#shadow = this.attachShadow({ mode: 'open' });
    this.#mount = document.createElement('div');
    this.#mount.className = 'pm-mount';
    this.#shadow.append(this.#mount);
    // Apply links: let the host intercept (cancelable event); otherwise the
    // link opens as usual (it is http(s): the engine refuses anything else).
    this.#shadow.addEventListener('click', (e) => {
      const a = e.target instanceof Element ? e.target.closest('a.pm-btn-link[href]') : null;
      if (!a) return;
      const url = a.href;
      if (!/^https?:$/.test(new URL(url).protocol)) {
        e.preventDefault();
        return;
      }
      const policy = a.closest('[data-policy]')?.getAttribute('data-policy') ?? null;
      // Browse mode has no verdicts: result is null there.
      const result = this.#handleMode === 'self-check' ? (this.#detail?.results?.find((r) => r.policy === policy) ?? null) : null;
      const go = this.dispatchEvent(new CustomEvent(EVENTS.apply, {
        detail: JSON.parse(JSON.stringify({ policy, url, result })),
        bubbles: true, composed: true, cancelable: true,
      }));
      if (!go) e.preventDefault();
    });
  }

  connectedCallback() {
    // Properties set before this module defined the element (own data
    // properties shadowing the accessors): take them over.
    for (const p of ['catalogues', 'profile']) {
      if (Object.prototype.hasOwnProperty.call(this, p)) {
        const v = this[p];
        delete this[p];
        this[p] = v;
      }
    }
    if (!this.#handle && !this.#loading) this.#load();
  }

  disconnectedCallback() {
    // Moving the element (remove + insert in one task) keeps its state;
    // removing it for good frees the widget.
    queueMicrotask(() => {
      if (!this.isConnected) this.#destroy();
    });
  }

  attributeChangedCallback(name, old, value) {
    if (old === value) return;
    switch (name) {
      case 'catalogue':
        if (this.#catalogues == null) this.#load();
        break;
      case 'mode':
        this.#load();
        break;
      case 'lang':
        if (this.#reflectingLang) return;
        this.#handle?.setLang(langOf(value));
        if (this.#error) this.#show();
        break;
      case 'as-of':
        // A live widget takes a good date as is; a bad one (or no widget
        // yet) goes through #load, which reports it.
        if (this.#handle && (!value || isDate(value))) this.#handle.setAsOf(value || undefined);
        else if (this.#handle || !this.#loading) { this.#sourceKey = ''; this.#load(); }
        break;
      default: // theme: CSS only (:host([theme=dark]))
    }
  }

  /** Parsed catalogue objects (or JSON texts); wins over the `catalogue` attribute. */
  get catalogues() { return this.#catalogues; }
  set catalogues(v) {
    this.#catalogues = v == null ? null : list(v);
    this.#load();
  }

  /** The answers: set to prefill (e.g. from the portal's account); reads back the current ones. */
  get profile() { return this.#profile == null ? null : structuredClone(this.#profile); }
  set profile(v) {
    // null: no prefill; answers on screen stay (and read back): {} clears them.
    if (v == null) {
      if (this.#handleMode !== 'self-check') this.#profile = null;
      return;
    }
    this.#profile = JSON.parse(toText(v));
    if (this.#handleMode === 'self-check') this.#handle.setProfile(this.#profile);
  }

  /** The latest results (one per policy), or null before the first evaluation. Read-only. */
  get results() { return this.#detail ? structuredClone(this.#detail.results) : null; }

  get #mode() { return this.getAttribute('mode') === 'browse' ? 'browse' : 'self-check'; }
  get #lang() { return langOf(this.getAttribute('lang')); }
  #loading = false;

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #urls() {
    const attr = this.getAttribute('catalogue')?.trim();
    return attr ? attr.split(/\s+/).map((u) => new URL(u, document.baseURI).href) : [];
  }

  /** (Re)load the catalogues and mount or update the widget. */
  async #load() {
    if (!this.isConnected) return;
    const gen = ++this.#gen;
    const mode = this.#mode;
    let texts;
    let names;
    let key;
    let date;
    try {
      if (this.#catalogues != null) {
        texts = this.#catalogues.map(toText);
        if (!texts.length) throw named('no-catalogue', 'the catalogues property is an empty list');
        names = texts.map((_, i) => `catalogue-${i + 1}.json`);
        key = `prop:${gen}`;
      } else {
        const urls = this.#urls();
        if (!urls.length) {
          // A misspelt attribute (catalog=, src=, …) is reported; with none
          // the element waits for one (or for the property, e.g. set after a
          // fetch), and a catalogue removed leaves it empty.
          const typo = this.getAttributeNames().find((a) => /^(data-)?(catalogs?|catalogues|catalogue-?url|src|url)$|^data-catalogue$/.test(a));
          if (typo && this.#error?.name === 'no-catalogue') return; // reported already
          if (typo) throw named('no-catalogue', `no catalogue attribute; did you mean catalogue="…" instead of ${typo}="…"?`);
          if (this.#handle || this.#error) this.#clear();
          return;
        }
        key = `url:${urls.join(' ')}`;
        if (key === this.#sourceKey && this.#handle && this.#handleMode === mode) return;
        this.#loading = true;
        [texts] = await Promise.all([Promise.all(urls.map(fetchText)), loadWasm(), this.#adopt()]);
        names = urls.map((u) => decodeURIComponent(new URL(u).pathname.split('/').pop() || u));
      }
      await Promise.all([loadWasm(), this.#adopt()]);
      date = asOf(this.getAttribute('as-of'));
      // Browse mode: the list shows a bad catalogue's errors but cannot
      // report them, so check first: evaluate() throws them (an Error named
      // by the kind, with details). About 17 ms for national + zone;
      // checkCatalogue() is 4 ms but needs ~80 B more here. It names the
      // files catalogue-1.json, … in order: they get the names self-check shows.
      if (mode === 'browse') {
        try { wasm.evaluateProfile(texts, {}, date); } catch (e) {
          const rename = (f) => f.replace(/catalogue-(\d+)\.json/g, (m, i) => names[i - 1] ?? m);
          for (const d of Array.isArray(e?.details) ? e.details : []) if (typeof d.file === 'string') d.file = rename(d.file);
          if (typeof e?.message === 'string') e.message = rename(e.message);
          throw e;
        }
      }
    } catch (e) {
      if (gen === this.#gen) this.#fail(e);
      return;
    } finally {
      if (gen === this.#gen) this.#loading = false;
    }
    if (gen !== this.#gen || !this.isConnected) return;
    this.#sourceKey = key;
    this.#names = names;
    this.#error = null;
    try {
      if (this.#handle && this.#handleMode === mode) {
        if (mode === 'self-check') this.#handle.setCatalogues(texts, names);
        else this.#handle.setCatalogues(texts);
        return;
      }
      this.#destroy();
      this.#mount.replaceChildren();
      if (mode === 'browse') {
        // No verdicts in browse mode.
        this.#detail = null;
        this.#handle = wasm.mountPolicyList(this.#mount, texts, this.#lang, date);
        this.#handleMode = 'browse';
        this.#afterRender(() => this.#ready({ mode: 'browse', lang: this.#lang, catalogues: this.#names }));
        return;
      }
      this.#handle = wasm.mountSelfCheck(this.#mount, {
        catalogues: texts,
        names,
        lang: this.#lang,
        asOf: date,
        idPrefix: this.#id,
        // The offline file's key names its catalogues: every file:// page shares one localStorage.
        storageKey: BUNDLED?.storageKey ?? `policy-match:${this.id || key}`,
        // 分享链接 gives this page's address with #answers=…: read it here too (only a
        // fragment that starts with `answers=` is taken; a host page's own #top or #/route is left).
        readFragment: true,
        // The host's answers, or the current ones when the mode switches back.
        profile: this.#profile ?? undefined,
        onLang: (tag) => {
          this.#reflectingLang = true;
          this.setAttribute('lang', tag);
          this.#reflectingLang = false;
        },
        onChange: (detail) => {
          this.#detail = detail;
          this.#profile = detail.profile;
          if (!this.#readyFired) this.#ready({ mode: 'self-check', lang: this.#lang, catalogues: this.#names, ...detail });
          else this.#emit(EVENTS.change, structuredClone(detail));
        },
        onError: (err) => {
          // The catalogues now shown failed: there are no current results.
          this.#detail = null;
          this.#emit(EVENTS.error, errorDetail(err));
        },
      });
      this.#handleMode = 'self-check';
    } catch (e) {
      this.#fail(e);
    }
  }

  #ready(detail) {
    this.#readyFired = true;
    this.#emit(EVENTS.ready, structuredClone(detail));
  }

  /** Run `f` once the widget has put something in the shadow root. */
  #afterRender(f) {
    if (this.#mount.firstElementChild) { f(); return; }
    const obs = new MutationObserver(() => {
      if (this.#mount.firstElementChild) { obs.disconnect(); f(); }
    });
    obs.observe(this.#mount, { childList: true });
  }

  async #adopt() {
    const s = await styles();
    if (!this.#shadow.adoptedStyleSheets.includes(s)) this.#shadow.adoptedStyleSheets = [...this.#shadow.adoptedStyleSheets, s];
  }

  /** Show a readable error in the widget and tell the host. */
  /** Nothing to show: no widget, no error, no results. */
  #clear() {
    this.#destroy();
    this.#detail = null;
    this.#error = null;
    this.#sourceKey = '';
    this.#mount.replaceChildren();
  }

  #fail(e) {
    this.#destroy();
    this.#detail = null;
    this.#error = e;
    this.#show();
    this.#adopt().catch(() => {});
    this.#emit(EVENTS.error, errorDetail(e));
  }

  /** Render #error (in the current language). */
  #show() {
    const e = this.#error;
    const t = TEXT[this.#lang];
    const box = document.createElement('div');
    box.className = 'pm-root pm-selfcheck';
    box.lang = this.#lang;
    const alert = document.createElement('div');
    alert.className = 'pm-error';
    alert.setAttribute('role', 'alert');
    const h = document.createElement('h2');
    h.className = 'pm-h2';
    h.textContent = t.failed;
    // The message (one line per catalogue error: pre-wrap), and for a URL that failed, a hint.
    const ul = document.createElement('ul');
    const li = document.createElement('li');
    li.textContent = e?.message ?? String(e);
    ul.append(li);
    alert.append(h, ul);
    if (t[e?.name]) alert.append(t[e.name]);
    box.append(alert);
    this.#mount.replaceChildren(box);
  }

  #destroy() {
    if (this.#handle) {
      try { this.#handle.destroy(); } catch { /* already gone */ }
      try { this.#handle.free(); } catch { /* already freed */ }
    }
    this.#handle = null;
    this.#handleMode = null;
    this.#sourceKey = '';
    this.#readyFired = false;
  }
}

if (!customElements.get('policy-match')) customElements.define('policy-match', PolicyMatchElement);

/**
 * Mount the widget into `element` (a <policy-match> child) and return a
 * handle: update(options) changes any option, destroy() removes it.
 * Options: catalogue (URL string or array of URLs), catalogues (objects or
 * JSON texts), lang, asOf, mode, theme, profile. Events bubble to `element`.
 */
export function mount(element, options = {}) {
  const el = document.createElement('policy-match');
  const apply = (o) => {
    const attr = (name, v) => (v == null ? el.removeAttribute(name) : el.setAttribute(name, String(v)));
    if ('lang' in o) attr('lang', o.lang);
    if ('asOf' in o) attr('as-of', o.asOf);
    if ('mode' in o) attr('mode', o.mode);
    if ('theme' in o) attr('theme', o.theme);
    if ('profile' in o) el.profile = o.profile;
    if ('catalogues' in o) el.catalogues = o.catalogues;
    if ('catalogue' in o) attr('catalogue', Array.isArray(o.catalogue) ? o.catalogue.join(' ') : o.catalogue);
  };
  apply(options);
  element.append(el);
  let destroyed = false;
  return {
    element: el,
    update(o = {}) {
      if (destroyed) {
        const e = new Error('this policy-match widget was destroyed; mount a new one');
        e.name = 'destroyed';
        throw e;
      }
      apply(o);
    },
    destroy() { destroyed = true; el.remove(); },
  };
}

/**
 * Evaluate one profile against catalogues (objects or JSON texts; national
 * first or not) without UI. Resolves to {profile (the profile's id, or 0),
 * results, ask_next, issues, explanations}; rejects with an Error whose name is the error kind (e.g.
 * unknown-field) and whose details lists every catalogue error.
 */
export async function evaluate(catalogues, profile = {}, options = undefined) {
  // JSON would turn NaN and Infinity into null: "not given".
  if (typeof options?.tolerance === 'number' && !Number.isFinite(options.tolerance)) throw named('options', `tolerance must be a fraction from 0 to 1 (0.2 = 20 %), not ${options.tolerance}`);
  await loadWasm();
  return wasm.evaluateProfile(list(catalogues).map(toText), profile, options);
}

/**
 * Check a catalogue (object or JSON text), or an array of catalogues that go
 * together (a zone catalogue with the national one it extends):
 * {ok, errors, warnings}. Errors name the catalogues `catalogue-1.json`,
 * `catalogue-2.json`, … in the order given.
 */
export async function checkCatalogue(catalogue, day = undefined) {
  const date = asOf(day);
  await loadWasm();
  return wasm.checkCatalogue(list(catalogue).map(toText), date);
}
