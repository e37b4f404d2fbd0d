// Shared by the Playwright e2e tests (tests/e2e, through tests/e2e/harness.mjs)
// and the benchmark scripts (scripts/bench-*.mjs): start scripts/serve.mjs on a
// free port and launch Debian's Chromium through playwright-core (never a
// Playwright-downloaded browser); for the benchmarks also their command-line
// options, the median, and the start/stop around a run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const WWW = join(ROOT, 'www');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Flags that work here as root, on a machine with no outside network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Start the static server for www/ on a free port.
 * Returns { url, pid, stop() }; stop() kills it by PID (also done on process exit).
 */
export async function startServer({ root = WWW, csp = true } = {}) {
  const args = [join(ROOT, 'scripts', 'serve.mjs'), '--port', '0', '--host', '127.0.0.1', '--root', root];
  if (!csp) args.push('--no-csp');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const kill = () => { try { process.kill(child.pid, 'SIGTERM'); } catch { /* already gone */ } };
  process.once('exit', kill);
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 10_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/at (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1].replace('localhost', '127.0.0.1')); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}): ${out}`)); });
  });
  return {
    url,
    pid: child.pid,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      kill();
    }),
  };
}

/**
 * Launch headless Chromium with a fresh, empty user-data-dir.
 * Returns { context, close() }; close() also removes the profile directory.
 */
export async function launchChromium() {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    throw new Error(`playwright-core is not installed (run: npm ci): ${e.message}`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'pm-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1000, height: 720 },
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Collect console errors, page errors and CSP violations of a page.
 * `ignore(text, url)` may excuse an expected console error (e.g. a 404 of an
 * optional file).
 */
export function watchProblems(page, ignore = () => false) {
  const problems = [];
  page.on('console', (m) => {
    const url = m.location()?.url ?? '';
    if ((m.type() === 'error' || /Content[- ]Security[- ]Policy|Refused to/i.test(m.text())) && !ignore(m.text(), url)) {
      problems.push(`console.${m.type()}: ${m.text()}${url ? ` (${url})` : ''}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

// ------------------------------------------------------------- benchmarks

/** The value after `--name` on the command line, or `dflt` when not given. */
export function option(name, dflt) {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
}

/** The median of numbers (the mean of the middle two for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Run a benchmark: start the server (on `root`, www/ by default) and
 * Chromium, call `body({ server, browser })`, stop both, and exit the process
 * with the code `body` returns (0 when none; 1 when it threw, after printing
 * the error prefixed with `name`).
 */
export async function benchInBrowser(name, { root = WWW } = {}, body) {
  const server = await startServer({ root });
  const browser = await launchChromium();
  let code = 0;
  try {
    code = (await body({ server, browser })) ?? 0;
  } catch (e) {
    console.error(`${name}: ${e.stack ?? e}`);
    code = 1;
  } finally {
    await browser.close();
    await server.stop();
  }
  process.exit(code);
}
