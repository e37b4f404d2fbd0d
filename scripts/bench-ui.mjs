#!/usr/bin/env node
// UI benchmark (not a test, no assertions): the self-check widget on the demo
// page (www/index.html) with the national + example zone catalogues, in
// headless Debian Chromium via playwright-core, served with the strict CSP.
//
//   node scripts/bench-ui.mjs [--runs 4] [--loads 12] [--expanded 3] [--split] [--json]
//
// Measures, inside the page with performance.now():
//   answer  "answer a question -> results re-rendered": from just before the
//           click on an answer in the guided card to the end of the task in
//           which Yew re-rendered (microtasks drained: a MessageChannel task
//           resolves after them), with the root's data-rev checked to have
//           changed; `answer+layout` also forces style and layout
//           (offsetHeight) so the figure includes what the next frame needs.
//           The guided questionnaire is answered to the end `--runs` times
//           with different choices (option k of each choice, numbers and dates
//           that vary by run), after reload each time; one run keeps
//           `--expanded` explanation trees open.
//   answer_cpu  the same answers' main-thread CPU time (Chrome trace: thread
//           time of the renderer main thread's top-level tasks between the
//           page's `pm-answer-start`/`pm-answer-end` marks). Wall-clock figures
//           swing with other load on the machine; thread time much less.
//   --split  where answer_cpu goes: the trace also records devtools.timeline
//           (a little tracing overhead, so the CPU figure is not comparable
//           with a run without it), and the main thread's time per answer
//           is split into style recalculation (UpdateLayoutTree), layout
//           (Layout; mostly forced by focus() on the next question, which
//           needs a clean layout), paint (PrePaint, Paint, Layerize, Commit)
//           and the rest: script (wasm: reducer, engine, our view code, Yew's
//           diff; the wasm-bindgen glue and the DOM calls it makes) and the
//           event and task overhead. Which wasm functions: a CPU profile
//           (Profiler.start/stop) with a bundle keeping its names
//           (wasm-bindgen without --remove-name-section).
//   load    navigation start -> widget rendered and interactive
//           (window.pmTimings.ready, set by www/main.js once the widget's
//           root exists), over `--loads` fresh page loads.
// Prints median / p90 / n per figure (ms) on stdout, or JSON with --json.
// Needs the wasm bundle (scripts/build-wasm.sh) and npm dev packages (npm ci).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WWW, benchInBrowser, median, option, watchProblems } from './browser.mjs';

const opt = (name, dflt) => Number(option(name, dflt));
const RUNS = opt('runs', 4);
const LOADS = opt('loads', 12);
const EXPANDED = opt('expanded', 3);
const JSON_OUT = process.argv.includes('--json');
const SPLIT = process.argv.includes('--split');

if (!existsSync(join(WWW, 'pkg', 'policy_match_bg.wasm'))) {
  console.error('bench-ui: www/pkg is missing: run scripts/build-wasm.sh first');
  process.exit(1);
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return null;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i];
};
const stats = (xs) => ({ median_ms: +median(xs).toFixed(2), p90_ms: +quantile(xs, 0.9).toFixed(2), max_ms: +Math.max(...xs).toFixed(2), n: xs.length });

/**
 * In the page: answer the guided questions to the end; returns one timing per
 * answer. `run` varies the choices; `expand` opens that many explanations first.
 */
function answerAllInPage({ run, expand }) {
  const nextTask = () => new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(0);
  });
  const rev = () => document.querySelector('.pm-selfcheck')?.dataset.rev;
  /** Time `act` (a click) to the re-rendered state. */
  async function timed(act) {
    const before = rev();
    performance.mark('pm-answer-start');
    const t0 = performance.now();
    act();
    await nextTask();
    const t1 = performance.now();
    void document.body.offsetHeight; // style + layout of the new state
    const t2 = performance.now();
    // Let the frame with the new state be produced before the end mark.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    performance.mark('pm-answer-end');
    return rev() !== before ? { dom: t1 - t0, layout: t2 - t0 } : null;
  }
  const setValue = (input, value) => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };
  return (async () => {
    for (let i = 0; i < expand; i++) {
      const btn = document.querySelectorAll('.pm-why-btn[aria-expanded=false]')[i];
      btn?.click();
      await nextTask();
    }
    const out = [];
    const kinds = {};
    for (let step = 0; step < 200; step++) {
      const g = document.querySelector('.pm-guided');
      if (!g || g.classList.contains('pm-guided-done')) break;
      const options = g.querySelectorAll('.pm-option');
      const submit = g.querySelector('button[type=submit]');
      let act;
      let kind;
      if (options.length) {
        const o = options[(run + step) % options.length];
        act = () => o.click();
        kind = 'choice';
      } else if (g.querySelector('label.pm-choice')) {
        // A list of dates: "none".
        const none = g.querySelector('label.pm-choice');
        act = () => none.click();
        kind = 'date-list';
      } else if (g.querySelector('select') && submit) {
        const sel = g.querySelector('select');
        sel.selectedIndex = 1 + ((run + step) % Math.max(1, sel.options.length - 1));
        sel.dispatchEvent(new Event('change', { bubbles: true }));
        act = () => submit.click();
        kind = 'select';
      } else if (g.querySelector('input[type=date]') && submit) {
        setValue(g.querySelector('input[type=date]'), `20${String(15 + run).padStart(2, '0')}-0${1 + (step % 9)}-15`);
        act = () => submit.click();
        kind = 'date';
      } else if (g.querySelector('input.pm-input') && submit) {
        setValue(g.querySelector('input.pm-input'), String([12, 300, 45, 5][run % 4] + step));
        act = () => submit.click();
        kind = 'number';
      } else {
        const skip = [...g.querySelectorAll('button')].find((b) => /不清楚|know/.test(b.textContent));
        if (!skip) break;
        act = () => skip.click();
        kind = 'skip';
      }
      const t = await timed(act);
      if (t) {
        out.push(t);
        kinds[kind] = (kinds[kind] ?? 0) + 1;
      } else {
        // The answer did not take (e.g. invalid): skip the question.
        const skip = [...g.querySelectorAll('button')].find((b) => /不清楚|know/.test(b.textContent));
        if (!skip) break;
        skip.click();
        await nextTask();
      }
    }
    return { timings: out, kinds, cards: document.querySelectorAll('.pm-card').length, expanded: document.querySelectorAll('.pm-card-details').length };
  })();
}

/**
 * Main-thread CPU time per answer from a Chrome trace: the thread time (tdur)
 * of the renderer main thread's top-level tasks that start between each
 * `pm-answer-start` mark and the following `pm-answer-end` mark, minus the
 * bench's own idle waits (they are not CPU time anyway).
 */
function answerCpu(events) {
  const marks = events.filter((e) => e.name === 'pm-answer-start' || e.name === 'pm-answer-end').sort((a, b) => a.ts - b.ts);
  if (!marks.length) return [];
  const { pid, tid } = marks[0];
  const tasks = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && /toplevel/.test(e.cat) && typeof e.tdur === 'number')
    .sort((a, b) => a.ts - b.ts);
  const out = [];
  for (let i = 0; i + 1 < marks.length; i++) {
    if (marks[i].name !== 'pm-answer-start' || marks[i + 1].name !== 'pm-answer-end') continue;
    const [a, b] = [marks[i].ts, marks[i + 1].ts];
    // Top-level tasks only (not nested in another top-level task).
    let end = -Infinity;
    let sum = 0;
    for (const t of tasks) {
      if (t.ts + t.dur < a || t.ts > b) continue;
      if (t.ts < end) continue;
      end = t.ts + t.dur;
      sum += t.tdur;
    }
    out.push(sum / 1000);
  }
  return out;
}

/**
 * With --split: per answer window (as in answerCpu), the thread time of the
 * main thread's style, layout and paint events, each event counted once (a
 * Paint nested in a Paint is not counted again); `other` is the rest of the
 * answer's CPU time.
 */
function answerSplit(events, cpu) {
  const marks = events.filter((e) => e.name === 'pm-answer-start' || e.name === 'pm-answer-end').sort((a, b) => a.ts - b.ts);
  if (!marks.length) return null;
  const { pid, tid } = marks[0];
  const kinds = { style: ['UpdateLayoutTree'], layout: ['Layout'], paint: ['PrePaint', 'Paint', 'Layerize', 'Commit'] };
  const byKind = Object.fromEntries(Object.entries(kinds).map(([k, names]) => [k, events
    .filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && names.includes(e.name) && typeof e.tdur === 'number')
    .sort((a, b) => a.ts - b.ts)]));
  const out = { style: [], layout: [], paint: [], other: [] };
  let n = 0;
  for (let i = 0; i + 1 < marks.length; i++) {
    if (marks[i].name !== 'pm-answer-start' || marks[i + 1].name !== 'pm-answer-end') continue;
    const [a, b] = [marks[i].ts, marks[i + 1].ts];
    let known = 0;
    for (const [k, evs] of Object.entries(byKind)) {
      let end = -Infinity;
      let sum = 0;
      for (const e of evs) {
        if (e.ts < a || e.ts > b || e.ts < end) continue;
        end = e.ts + e.dur;
        sum += e.tdur;
      }
      out[k].push(sum / 1000);
      known += sum / 1000;
    }
    out.other.push(Math.max(0, (cpu[n] ?? 0) - known));
    n++;
  }
  return out;
}

await benchInBrowser('bench-ui', {}, async ({ server, browser }) => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  const problems = watchProblems(page);
  const url = `${server.url}index.html?catalogue=zone&asOf=2026-07-01`;
  console.error(`bench-ui: ${url}`);

  // Page load -> interactive widget, fresh navigations.
  const loads = [];
  const phases = { wasm: [], catalogue: [], mounted: [] };
  for (let i = 0; i < LOADS + 1; i++) {
    await page.goto(url);
    await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
    const tm = await page.evaluate(() => window.pmTimings);
    if (i > 0) { // the first load warms the server and disk cache
      loads.push(tm.ready);
      for (const k of Object.keys(phases)) if (typeof tm[k] === 'number') phases[k].push(tm[k]);
    }
  }

  // Answer -> re-rendered.
  const dom = [];
  const layout = [];
  const runs = [];
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const traced = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: ['toplevel', 'blink.user_timing', '__metadata', ...(SPLIT ? ['devtools.timeline'] : [])],
      excludedCategories: ['*'],
    },
  });
  for (let run = 0; run < RUNS; run++) {
    await page.goto(url);
    await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
    const expand = run === RUNS - 1 ? EXPANDED : 0;
    const r = await page.evaluate(answerAllInPage, { run, expand });
    runs.push({ run, answers: r.timings.length, kinds: r.kinds, cards: r.cards, expanded: r.expanded });
    for (const t of r.timings) {
      dom.push(t.dom);
      layout.push(t.layout);
    }
  }

  await cdp.send('Tracing.end');
  await traced;
  const cpu = answerCpu(events);
  const split = SPLIT ? answerSplit(events, cpu) : null;

  const results = {
    url,
    chromium: browser.context.browser()?.version() ?? null,
    answer: stats(dom),
    answer_with_layout: stats(layout),
    answer_cpu: cpu.length ? stats(cpu) : null,
    ...(split && split.other.length ? { answer_cpu_split: Object.fromEntries(Object.entries(split).map(([k, v]) => [k, stats(v)])) } : {}),
    load_to_interactive: stats(loads),
    load_phases: Object.fromEntries(Object.entries(phases).filter(([, v]) => v.length).map(([k, v]) => [k, stats(v)])),
    runs,
    targets: { answer_ms: 16, load_ms: 300 },
  };
  if (problems.length) results.problems = problems;
  if (JSON_OUT) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    const line = (name, s) => `${name.padEnd(34)} median ${String(s.median_ms).padStart(7)} ms   p90 ${String(s.p90_ms).padStart(7)} ms   max ${String(s.max_ms).padStart(7)} ms   n=${s.n}`;
    console.log(`bench-ui (${results.chromium}, national + example zone, ${runs.map((r) => r.cards)[0]} policies)`);
    console.log(line('answer -> results re-rendered', results.answer));
    console.log(line('answer -> re-rendered + layout', results.answer_with_layout));
    if (results.answer_cpu) console.log(line('answer: main-thread CPU time', results.answer_cpu));
    for (const [k, st] of Object.entries(results.answer_cpu_split ?? {})) {
      const what = { style: 'style recalculation', layout: 'layout', paint: 'pre-paint, paint, layerize, commit', other: 'script (wasm, Yew, DOM calls), tasks' }[k];
      console.log(line(`  of which ${what}`, st));
    }
    console.log(line('page load -> interactive widget', results.load_to_interactive));
    for (const [k, s] of Object.entries(results.load_phases)) console.log(line(`  of which: ${k} done at`, s));
    console.log(`runs: ${runs.map((r) => `${r.answers} answers (${Object.entries(r.kinds).map(([k, v]) => `${v} ${k}`).join(', ')}; ${r.expanded} explanations open)`).join('; ')}`);
    if (problems.length) console.log(`problems: ${problems.join('\n')}`);
  }
});
