// The admin page's module Web Worker: all heavy work (import, matching,
// paging, exports) runs here in the admin wasm bundle (./pkg-admin, built by
// scripts/build-admin.sh), never on the page's main thread.
//
// Protocol (page → worker): {id, method, args}; the worker answers
// {id, ok: true, value} or {id, ok: false, error: {name, message, ...}} and
// transfers export bytes. During a run it also posts
// {type: 'progress', rows, total, issues}. {type: 'cancel'} stops a run
// between chunks (the run answers with error name `cancelled`).
import init, { AdminSession, batchLimits } from './pkg-admin/policy_match.js';

const ready = init();
let session = null;
let catalogueKey = '';
let file = null; // the File being worked on (kept to re-import another sheet or after a catalogue change)
let sheet = null;
let cancelled = false;
let running = false;

/** Wait for queued messages (a cancel) without the 4 ms clamp of nested timers. */
const yieldToEvents = () => new Promise((resolve) => {
  const ch = new MessageChannel();
  ch.port1.onmessage = () => resolve();
  ch.port2.postMessage(0);
});

async function fetchText(url) {
  const res = await fetch(url);
  if (!res.ok) throw Object.assign(new Error(`${url}: HTTP ${res.status}`), { name: 'catalogue-fetch' });
  return res.text();
}

const busy = () => Object.assign(new Error('a run is under way: cancel it first'), { name: 'busy' });

const methods = {
  async open({ catalogues, asOf }) {
    if (running) throw busy();
    const key = catalogues.join(',');
    if (session && key === catalogueKey) {
      session.setAsOf(asOf);
    } else {
      const texts = await Promise.all(catalogues.map(fetchText));
      const next = new AdminSession(texts, asOf);
      if (session) session.free();
      session = next;
      catalogueKey = key;
    }
    return { catalogue: session.catalogueInfo(), limits: batchLimits() };
  },

  async import({ file: f, sheet: s }) {
    if (running) throw busy();
    const limits = batchLimits();
    if (f.size > limits.maxInputBytes) {
      throw Object.assign(new Error('too large'), { name: 'too-large', size: f.size, limit: limits.maxInputBytes });
    }
    const bytes = new Uint8Array(await f.arrayBuffer());
    const info = session.import(bytes, s ?? undefined);
    file = f;
    sheet = s ?? null;
    return { info, mapping: session.autoMap() };
  },

  async reimport() {
    if (!file) return null;
    return methods.import({ file, sheet });
  },

  parseMapping({ text }) {
    return session.parseMapping(text);
  },

  async run({ mapping, chunk = 500, sliceMs = 30 }) {
    if (running) throw busy();
    running = true;
    cancelled = false;
    try {
      const warnings = session.setMapping(mapping);
      const warningsZh = session.mappingWarningsZh();
      let p = session.startRun();
      postMessage({ type: 'progress', ...p });
      while (!p.done) {
        const t0 = performance.now();
        do {
          p = session.step(chunk);
        } while (!p.done && performance.now() - t0 < sliceMs);
        postMessage({ type: 'progress', ...p });
        if (p.done) break;
        await yieldToEvents();
        if (cancelled) {
          session.cancel();
          throw Object.assign(new Error('cancelled'), { name: 'cancelled', rows: p.rows, total: p.total });
        }
      }
      return { warnings, warningsZh, summary: session.summary() };
    } finally {
      running = false;
    }
  },

  summary() {
    return session.summary();
  },

  issues({ offset, limit, column }) {
    return session.issuesPage(offset, limit, column ?? undefined);
  },

  push({ policy, query }) {
    return session.pushPage(policy, query);
  },

  enterprises({ query }) {
    return session.enterprisesPage(query);
  },

  enterprise({ row }) {
    return session.enterprise(row);
  },

  export({ kind, policy, lang, query }) {
    return session.export(kind, policy ?? undefined, lang, query ?? undefined);
  },
};

self.onmessage = async (ev) => {
  const msg = ev.data;
  if (msg?.type === 'cancel') {
    cancelled = true;
    return;
  }
  const { id, method, args } = msg;
  try {
    await ready;
    const fn = methods[method];
    if (!fn) throw Object.assign(new Error(`unknown method ${method}`), { name: 'method' });
    const value = await fn(args ?? {});
    const transfer = value?.bytes instanceof Uint8Array ? [value.bytes.buffer] : [];
    postMessage({ id, ok: true, value }, transfer);
  } catch (e) {
    const error = { name: e?.name ?? 'Error', message: e?.message ?? String(e) };
    for (const k of ['size', 'limit', 'rows', 'total', 'line']) if (e && k in e) error[k] = e[k];
    postMessage({ id, ok: false, error });
  }
};
