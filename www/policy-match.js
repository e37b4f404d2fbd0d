// <policy-match>: the self-check widget (企业自测) as a custom element, and a
// small JS API (mount, evaluate). One ES module; the wasm is fetched next to
// the wasm-bindgen glue and compiled with streaming instantiation.
//
//   <script type="module" src="policy-match.js"></script>
//   <policy-match catalogue="catalogues/cn-national-2026.json" lang="zh-CN"></policy-match>
//
// Attributes (strings): catalogue (URL, or several separated by spaces:
// national + zone), lang (zh-CN | en), as-of (YYYY-MM-DD), mode (self-check |
// browse), theme (light | dark | auto).
// Properties: catalogues (parsed catalogue objects or JSON texts; wins over
// the attribute), profile (answers to start from; reads back the current
// answers), results (read-only, the latest verdicts).
// Events (bubbles, composed, plain-JSON detail): policy-match-ready,
// policy-match-change, policy-match-apply (cancelable), policy-match-error.
// See policy-match.d.ts and custom-elements.json.
//
// Everything renders in an open shadow root; the styles (widget.css) are a
// constructable stylesheet (adoptedStyleSheets), so a CSP without
// 'unsafe-inline' works. Nothing outside the element is touched, and the only
// requests are this module's own files and the catalogue URL(s).
import init, * as wasm from './pkg/policy_match.js';

// scripts/dist.sh replaces the next line with the bundled assets:
// {css: "<widget.css text>", wasm: "<base64>" (offline file only)}.
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
    wasmReady.catch(() => { wasmReady = null; });
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
      return res.text();
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

/** A catalogue given as an object or as JSON text → JSON text. */
const toText = (c) => (typeof c === 'string' ? c : JSON.stringify(c));

/** An error (Error, or anything) → plain JSON for an event's detail. */
function errorDetail(e) {
  const details = Array.isArray(e?.details) ? e.details : [];
  return JSON.parse(JSON.stringify({ name: e?.name ?? 'Error', message: e?.message ?? String(e), errors: details }));
}

const TEXT = {
  'zh-CN': { failed: '无法加载政策目录', loading: '正在加载政策目录…' },
  en: { failed: 'The policy catalogue could not be loaded', loading: 'Loading the policy catalogue…' },
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
  #handle = null; // SelfCheckHandle | PolicyListHandle
  #handleMode = null;
  #catalogues = null; // property value
  #profile = null; // the latest answers (given or reported)
  #detail = null; // the latest change detail
  #gen = 0; // bumps on every (re)load: stale loads give up
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
      if (!/^https?:$/.test(new URL(url, document.baseURI).protocol)) {
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
        break;
      case 'as-of':
        this.#handle?.setAsOf(value ?? undefined);
        break;
      default: // theme: CSS only (:host([theme=dark]))
    }
  }

  /** Parsed catalogue objects (or JSON texts); wins over the `catalogue` attribute. */
  get catalogues() { return this.#catalogues; }
  set catalogues(v) {
    this.#catalogues = v == null ? null : Array.from(v);
    this.#load();
  }

  /** The answers: set to prefill (e.g. from the portal's account); reads back the current ones. */
  get profile() { return this.#profile == null ? null : structuredClone(this.#profile); }
  set profile(v) {
    this.#profile = v == null ? null : JSON.parse(toText(v));
    if (v != null && this.#handleMode === 'self-check') this.#handle.setProfile(this.#profile);
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
    try {
      if (this.#catalogues != null) {
        texts = this.#catalogues.map(toText);
        names = texts.map((_, i) => `catalogue-${i + 1}.json`);
        key = `prop:${gen}`;
      } else {
        const urls = this.#urls();
        if (!urls.length) return;
        key = `url:${urls.join(' ')}`;
        if (key === this.#sourceKey && this.#handle && this.#handleMode === mode) return;
        this.#loading = true;
        [texts] = await Promise.all([Promise.all(urls.map(fetchText)), loadWasm(), this.#adopt()]);
        names = urls.map((u) => decodeURIComponent(new URL(u).pathname.split('/').pop() || u));
      }
      await Promise.all([loadWasm(), this.#adopt()]);
    } catch (e) {
      if (gen === this.#gen) this.#fail(e);
      return;
    } finally {
      if (gen === this.#gen) this.#loading = false;
    }
    if (gen !== this.#gen || !this.isConnected) return;
    this.#sourceKey = key;
    try {
      if (this.#handle && this.#handleMode === mode) {
        if (mode === 'self-check') this.#handle.setCatalogues(texts, names);
        else this.#handle.setCatalogues(texts);
        return;
      }
      this.#destroy();
      this.#mount.replaceChildren();
      if (mode === 'browse') {
        this.#handle = wasm.mountPolicyList(this.#mount, texts, this.#lang, this.getAttribute('as-of') ?? undefined);
        this.#handleMode = 'browse';
        this.#afterRender(() => {
          if (this.#mount.querySelector('.pm-error')) return;
          this.#ready({ mode: 'browse', lang: this.#lang, catalogues: names });
        });
        return;
      }
      this.#handle = wasm.mountSelfCheck(this.#mount, {
        catalogues: texts,
        names,
        lang: this.#lang,
        asOf: this.getAttribute('as-of') ?? undefined,
        idPrefix: this.#id,
        storageKey: `policy-match:${this.id || key}`,
        readFragment: false,
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
          if (!this.#readyFired) this.#ready({ mode: 'self-check', lang: this.#lang, catalogues: names, ...detail });
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
  #fail(e) {
    this.#destroy();
    this.#detail = null;
    const box = document.createElement('div');
    box.className = 'pm-root pm-selfcheck';
    box.lang = this.#lang;
    const alert = document.createElement('div');
    alert.className = 'pm-error';
    alert.setAttribute('role', 'alert');
    const h = document.createElement('h2');
    h.className = 'pm-h2';
    h.textContent = TEXT[this.#lang].failed;
    const p = document.createElement('p');
    p.textContent = e?.message ?? String(e);
    alert.append(h, p);
    box.append(alert);
    this.#mount.replaceChildren(box);
    this.#adopt().catch(() => {});
    this.#emit(EVENTS.error, errorDetail(e));
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
 * first or not) without UI. Resolves to {profile, results, ask_next, issues,
 * explanations}; rejects with an Error whose name is the error kind (e.g.
 * unknown-field) and whose details lists every catalogue error.
 */
export async function evaluate(catalogues, profile = {}, options = undefined) {
  await loadWasm();
  return wasm.evaluateProfile(Array.from(catalogues, toText), profile, options);
}

/**
 * Check a catalogue (object or JSON text), or an array of catalogues that go
 * together (a zone catalogue with the national one it extends):
 * {ok, errors, warnings}. Errors name one catalogue `catalogue.json`, several
 * `catalogue-0.json`, `catalogue-1.json`, … in the order given.
 */
export async function checkCatalogue(catalogue, asOf = undefined) {
  await loadWasm();
  return wasm.checkCatalogue(Array.isArray(catalogue) ? catalogue.map(toText) : [toText(catalogue)], asOf);
}
