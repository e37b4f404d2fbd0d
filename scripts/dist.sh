#!/usr/bin/env bash
# Release build of the embed → dist/ (gitignored):
#
#   dist/policy-match.js            the ES module (<policy-match>, mount, evaluate): the element, the
#                                   wasm-bindgen glue and widget.css in one file (one request)
#   dist/policy_match_bg.wasm       the wasm, next to it (streaming instantiation over HTTP)
#   dist/index.html                 a minimal host page (one script, one element)
#   dist/widget.css                 the widget's stylesheet (for reference / light-DOM use)
#   dist/policy-match.d.ts, dist/custom-elements.json
#   dist/catalogues/*.json          the catalogues of the demo
#   dist/policy-match-offline.html  ONE self-contained file: wasm (base64, initSync), JS, CSS and the
#                                   national catalogue (or those given with --catalogue) inlined;
#                                   works from file:// with no network. A line above the widget says
#                                   it is the offline version and names each catalogue, its version
#                                   and date (in the widget's language).
#   dist/README.md                  the embed snippet
#
# Usage: scripts/dist.sh [--no-build] [--catalogue FILE]... [--as-of YYYY-MM-DD]
#   --no-build        reuse www/pkg from scripts/build-wasm.sh
#   --catalogue FILE  a catalogue to inline in the offline file, in order (national first, then the
#                     zone that extends it); repeat for several. Default: www/catalogues/cn-national-2026.json.
#                     They are checked together first (the wasm's checkCatalogue): an error stops the
#                     build, located in the file given. E.g. national + the example zone:
#                     scripts/dist.sh --no-build --catalogue www/catalogues/cn-national-2026.json \
#                         --catalogue www/catalogues/example-zone.json
#   --as-of DATE      the offline file assesses on this date (its widget's as-of; shown above it),
#                     e.g. a file used for a year's meetings; default: the day it is opened
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BUILD=1
CATALOGUES=()
AS_OF=""
while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) BUILD=0 ;;
        --catalogue)
            [ $# -ge 2 ] || { echo "dist: --catalogue needs a file" >&2; exit 2; }
            [ -f "$2" ] || { echo "dist: catalogue $2 not found" >&2; exit 2; }
            CATALOGUES+=("$(cd "$(dirname "$2")" && pwd)/$(basename "$2")")
            shift ;;
        --as-of)
            [[ "${2:-}" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || { echo "dist: --as-of needs a date YYYY-MM-DD" >&2; exit 2; }
            AS_OF="$2"
            shift ;;
        *) echo "dist: unknown option $1 (usage: scripts/dist.sh [--no-build] [--catalogue FILE]... [--as-of YYYY-MM-DD])" >&2; exit 2 ;;
    esac
    shift
done
[ ${#CATALOGUES[@]} -gt 0 ] || CATALOGUES=("$ROOT/www/catalogues/cn-national-2026.json")

if [ "$BUILD" = 1 ]; then
    bash scripts/build-wasm.sh
fi
for f in www/pkg/policy_match.js www/pkg/policy_match_bg.wasm www/policy-match.js www/widget.css; do
    [ -f "$f" ] || { echo "dist: $f is missing (run scripts/build-wasm.sh)" >&2; exit 1; }
done

rm -rf dist
mkdir -p dist/catalogues
cp www/pkg/policy_match_bg.wasm dist/
cp www/widget.css www/policy-match.d.ts www/custom-elements.json dist/
cp www/catalogues/*.json dist/catalogues/

PM_AS_OF="$AS_OF" node --input-type=module - "$ROOT" "${CATALOGUES[@]}" <<'EOF'
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.argv[2];
const read = (p) => readFileSync(join(root, p), 'utf8');
// Conservative minification (no tool): whole-line comments and indentation
// of the JS (no multi-line strings in these files), comments and spaces of
// the CSS. Checked: every CSS string survives unchanged.
const minJs = (js) => js.replace(/^\s*\/\*\*[\s\S]*?\*\/\n/gm, '').replace(/^\s*\/\/.*\n/gm, '').replace(/^\s+/gm, '');
function minCss(css) {
  const bare = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const min = bare.replace(/\s+/g, ' ').replace(/\s*([{};,])\s*/g, '$1').replace(/;}/g, '}').trim();
  for (const str of bare.match(/"[^"\n]*"/g) ?? []) {
    if (!min.includes(str)) throw new Error(`dist: CSS minification changed the string ${str}`);
  }
  return min;
}
const element = minJs(read('www/policy-match.js'));
const glue = minJs(read('www/pkg/policy_match.js'));
const css = minCss(read('www/widget.css'));
// The catalogues of the offline file (absolute paths), each checked to be JSON with a title.
const offlineCatalogues = process.argv.slice(3).map((path) => {
  const text = readFileSync(path, 'utf8');
  let c;
  try { c = JSON.parse(text); } catch (e) { throw new Error(`dist: ${path} is not JSON: ${e.message}`); }
  if (typeof c?.id !== 'string' || typeof c?.title?.zh !== 'string' || typeof c?.title?.en !== 'string') {
    throw new Error(`dist: ${path} has no id and title {"zh", "en"} (is it a catalogue?)`);
  }
  return { text, c };
});
const wasm = readFileSync(join(root, 'www/pkg/policy_match_bg.wasm'));
// The example company of the offline file's 载入示例企业 button: a presenter shows
// results without typing 40 answers in front of the audience. It is the
// hand-checked test profile (fictional), also written to dist/ as an answers file.
const SAMPLE = JSON.parse(read('tests/cases/profiles/software_sme_hnte.json')).cases[0].profile;

const MARK = 'const BUNDLED = null;';
const IMPORT = "import init, * as wasm from './pkg/policy_match.js';";
for (const [what, s] of [[MARK, element], [IMPORT, element]]) {
  if (s.split(what).length !== 2) throw new Error(`dist: expected exactly one \`${what}\` in www/policy-match.js`);
}
// A JSON value that is safe inside <script>…</script>.
const lit = (v) => JSON.stringify(v).replace(/</g, '\\u003c');

// 2. The offline file: the glue wrapped in a function (its exports become the
//    `wasm` object the element imports), then the element with the wasm and
//    the CSS bundled, then the national catalogue given as a property.
const exported = [];
let body = glue.replace(/^export (class|function|async function|const|let) (\w+)/gm, (_, kw, name) => {
  exported.push([name, name]);
  return `${kw} ${name}`;
});
body = body.replace(/^export \{([^}]*)\};?\s*$/gm, (_, list) => {
  for (const part of list.split(',')) {
    const [local, as] = part.trim().split(/\s+as\s+/);
    if (local) exported.push([as ?? local, local]);
  }
  return '';
});
if (/^\s*(export|import)\s/m.test(body)) throw new Error('dist: the wasm-bindgen glue has an import/export this script does not handle');
for (const need of ['initSync', 'mountSelfCheck', 'evaluateProfile', 'default']) {
  if (!exported.some(([n]) => n === need)) throw new Error(`dist: the glue does not export ${need}`);
}
const glueObject = `const wasm = (() => {\n${body}\nreturn { ${exported.map(([n, l]) => `${JSON.stringify(n)}: ${l}`).join(', ')} };\n})();\nconst init = wasm.default;\n`;
// 1. The network module: glue + element + CSS in one file (no extra request,
//    no inline <style>); the glue finds policy_match_bg.wasm next to it.
writeFileSync(join(root, 'dist/policy-match.js'),
  `${glueObject}\n${element.replace(IMPORT, '').replace(MARK, `const BUNDLED = ${lit({ css })};`)}`);
writeFileSync(join(root, 'dist/index.html'), `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>policy-match</title>
<link rel="icon" href="data:,">
<link rel="preload" href="policy_match_bg.wasm" as="fetch" type="application/wasm" crossorigin>
<script type="module" src="policy-match.js"></script>
</head>
<body>
<policy-match id="widget" catalogue="catalogues/cn-national-2026.json" lang="zh-CN"></policy-match>
</body>
</html>
`);

// `fragment`: the offline page is the widget's own page, so it reads a share
// link's answers (#answers=…); a host page's fragment is not the widget's.
// `storageKey`: Chromium gives every file:// page one localStorage, so the key
// for 在本设备上记住答案 names the catalogues: a national file and a national +
// zone file on one laptop keep each its own answers (the national one would
// otherwise load the zone file's, drop the zone fields and save them back).
const asOf = process.env.PM_AS_OF || '';
if (asOf && !String(new Date(asOf).toJSON()).startsWith(asOf)) throw new Error(`dist: --as-of ${asOf} is not a day`);
// The offline catalogues must compile together (as `policy-match check` would say), or the file
// would open on an error: checked here with the wasm itself, errors located in the files given.
{
  const engine = await import(pathToFileURL(join(root, 'www/pkg/policy_match.js')).href);
  engine.initSync({ module: wasm });
  const paths = process.argv.slice(3);
  const report = engine.checkCatalogue(offlineCatalogues.map(({ text }) => text), asOf || undefined);
  const where = (d) => {
    const i = Number(/^catalogue-(\d+)\.json$/.exec(d.file ?? '')?.[1]) - 1; // numbered from 1
    const file = paths[i] ?? d.file ?? '';
    return `${file}${d.line ? `:${d.line}:${d.column}` : ''}${d.policy ? ` (policy ${d.policy})` : ''}${d.path ? ` at ${d.path}` : ''}`;
  };
  for (const w of report.warnings) console.error(`dist: warning: ${where(w)}: ${w.message}`);
  if (!report.ok) {
    console.error(`dist: the offline catalogues do not compile:\n${report.errors.map((e) => `  error[${e.type}]: ${where(e)}: ${e.message}`).join('\n')}`);
    process.exit(1);
  }
}
const storageKey = `policy-match:offline:${offlineCatalogues.map(({ c }) => c.id).join('+')}`;
const offlineElement = element
  .replace(IMPORT, '')
  .replace(MARK, `const BUNDLED = ${lit({ css, wasm: wasm.toString('base64'), fragment: true, storageKey })};`);
// What the file is, for the audience: offline, each catalogue with its version
// and date, and what the share link is good for here (in both languages; the
// page shows the widget's).
const esc = (v) => String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const described = (lang) => offlineCatalogues.map(({ c }) => {
  const zh = lang === 'zh';
  const bits = [c.title[lang]];
  if (c.version) bits.push(`${zh ? '版本' : 'version'} ${c.version}`);
  if (c.updated) bits.push(`${zh ? '更新于' : 'updated'} ${c.updated}`);
  return bits.join(zh ? '，' : ', ');
}).join(lang === 'zh' ? '；' : '; ');
const about = {
  zh: { title: `企业政策自测（离线版）· ${offlineCatalogues.map(({ c }) => c.title.zh).join(' + ')}`,
    lines: [`离线版：本文件不联网，所有计算都在这台电脑上完成。政策目录：${described('zh')}。${asOf ? `评估日期：${asOf}。` : ''}`,
      '“分享链接”只能在本机打开；要把答案交给别人，请用“导出答案”保存文件。'] },
  en: { title: `Policy self-check (offline) · ${offlineCatalogues.map(({ c }) => c.title.en).join(' + ')}`,
    lines: [`Offline version: this file uses no network; everything is evaluated on this computer. Catalogue: ${described('en')}.${asOf ? ` Assessment date: ${asOf}.` : ''}`,
      'A share link opens only on this computer; to give the answers to someone else, use Export and pass on the file.'] },
};
const sample = {
  zh: ['载入示例企业', '云栈智能软件有限公司（虚构）：杭州的小型软件企业，持有高新技术企业证书。会替换当前的答案。'],
  en: ['Load an example company', 'Yunzhan Intelligent Software (fictional): a small Hangzhou software firm with an HNTE certificate. Replaces the current answers.'],
};
const aboutHtml = (lang, tag) => `<div class="about" lang="${tag}"${lang === 'en' ? ' hidden' : ''}>${about[lang].lines.map((l) => `<p>${esc(l)}</p>`).join('')}` +
  `<p><button type="button" class="sample">${esc(sample[lang][0])}</button> ${esc(sample[lang][1])}</p></div>`;
const script = `${glueObject}\n${offlineElement}\n` +
  `const widget = document.getElementById('widget');\n` +
  // The texts as written (a catalogue error's line and column point into the file given).
  `widget.catalogues = [${offlineCatalogues.map(({ text }) => lit(text)).join(', ')}];\n` +
  // The line above the widget and the page title follow the widget's language.
  `const titles = ${lit({ zh: about.zh.title, en: about.en.title })};\n` +
  `const showLang = () => {\n` +
  `const en = /^en/i.test(widget.getAttribute('lang') || '');\n` +
  `for (const d of document.querySelectorAll('.about')) d.hidden = (d.lang === 'en') !== en;\n` +
  `document.title = en ? titles.en : titles.zh;\n` +
  `document.documentElement.lang = en ? 'en' : 'zh-CN';\n` +
  `};\n` +
  `new MutationObserver(showLang).observe(widget, { attributes: true, attributeFilter: ['lang'] });\n` +
  // Each click replaces the answers with the example's (again after 全部重填).
  `const sample = ${lit(SAMPLE)};\n` +
  `for (const b of document.querySelectorAll('.sample')) b.addEventListener('click', () => { widget.profile = sample; });\n` +
  `showLang();\n`;
// Shown only where the element never runs (JavaScript off, Internet Explorer or a
// browser's IE mode): once defined, its shadow root (no <slot>) hides it. It
// appears after 3 s (CSS), so a normal start (~0.3 s) never flashes it.
const FALLBACK = '本文件需要较新的浏览器（Chrome、Edge、Firefox 或 Safari）并允许运行 JavaScript；请不要用 IE 或“兼容模式”打开。' +
  ' This file needs a recent browser (Chrome, Edge, Firefox or Safari) with JavaScript on, not Internet Explorer or a compatibility mode.';
const safe = (s) => s.replace(/<\/script/gi, '<\\/script');
const html = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(about.zh.title)}</title>
<link rel="icon" href="data:,">
<style>body{margin:0;padding:16px;background:#f4f5f7}main{max-width:1100px;margin:0 auto}.about{max-width:1100px;margin:0 auto 12px;color:#3b3f45;font:14px/1.6 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif}.about p{margin:0}.about p+p{margin-top:4px}.sample{font:inherit;padding:2px 10px;cursor:pointer}.about[hidden]{display:none}.fallback{margin:0;padding:16px;background:#fff;border:2px solid #b42318;font:16px/1.6 system-ui,sans-serif;animation:late 0s 3s both}@keyframes late{from{visibility:hidden}to{visibility:visible}}@media print{.about{display:none}}</style>
</head>
<body>
<!-- policy-match offline: everything (wasm, JS, CSS, catalogues) is in this file; no network. -->
${aboutHtml('zh', 'zh-CN')}
${aboutHtml('en', 'en')}
<main><policy-match id="widget" lang="zh-CN"${asOf ? ` as-of="${asOf}"` : ''}><p class="fallback">${esc(FALLBACK)}</p></policy-match></main>
<script type="module">
${safe(script)}
</script>
</body>
</html>
`;
writeFileSync(join(root, 'dist/policy-match-offline.html'), html);

writeFileSync(join(root, 'dist/README.md'), `# policy-match embed

One script and one element. Serve this folder (the \`.wasm\` as \`application/wasm\` for
streaming compilation) and put on the host page:

\`\`\`html
<script type="module" src="/policy-match/policy-match.js"></script>
<policy-match catalogue="/policy-match/catalogues/cn-national-2026.json" lang="zh-CN"></policy-match>
\`\`\`

- Attributes: \`catalogue\` (URL, or several separated by spaces: national + zone; a relative URL
  resolves against the **page**, not against this folder, so the absolute paths above are safest),
  \`lang\` (\`zh-CN\` | \`en\`; any \`en-…\` is English, anything else Chinese), \`as-of\`
  (\`YYYY-MM-DD\`; absent: today; any other format is an error, e.g. \`2026/07/01\`), \`mode\`
  (\`self-check\`, the default: questions and verdicts, or \`browse\`: a policy directory with category
  and text filters), \`theme\` (\`light\` | \`dark\` | \`auto\`). Changes update the live widget.
- Properties: \`catalogues\` (parsed catalogue objects or their JSON texts, an array; one catalogue
  alone also works; it wins over the attribute),
  \`profile\` (prefill; field names the catalogue does not declare are ignored: read \`profile\` back
  to see what was taken), \`results\` (read-only). Set them before or after the module loads.
- Events (bubble, composed): \`policy-match-ready\`, \`policy-match-change\`, \`policy-match-apply\`
  (cancelable: call \`preventDefault()\` to route to your own application system),
  \`policy-match-error\` (\`detail.name\`: \`catalogue-fetch\` for a URL that answers 404 or an HTML
  page instead of JSON, \`bad-date\`, \`no-catalogue\` for a misspelt attribute such as \`catalog=\` or
  \`catalogues = []\`, \`wasm-load\` when \`policy_match_bg.wasm\` is not next to
  \`policy-match.js\`, or the catalogue error's kind such as \`syntax\`, \`schema\`, with
  every error in \`detail.errors\`); the widget shows the error too (heading in its language).
- Theming: CSS custom properties on the element, e.g.
  \`policy-match { --pm-color-accent: #0b5cad; --pm-radius: 4px; --pm-font-size: 15px; }\`
  (the full list is in \`custom-elements.json\` and at the top of \`widget.css\`).
- Strict CSP: \`script-src 'self' 'wasm-unsafe-eval'; style-src 'self'\` is enough (the styles are
  an adopted constructable stylesheet; nothing inline).
- Code instead of markup:

\`\`\`js
import { mount, evaluate } from '/policy-match/policy-match.js';
const handle = mount(document.querySelector('#side'), { catalogue: '/policy-match/catalogues/cn-national-2026.json', lang: 'en' });
handle.update({ lang: 'zh-CN' }); handle.destroy();
const report = await evaluate([catalogueObject], { employees_total_2025: 12 }, { asOf: '2026-07-01' });
\`\`\`

Types: \`policy-match.d.ts\`. Offline (no server, no network): open \`policy-match-offline.html\`.
`);
EOF

for f in dist/policy-match.js dist/policy_match_bg.wasm dist/policy-match-offline.html; do
    printf '%-36s %9d bytes, %9d gzip\n' "$f" "$(wc -c <"$f")" "$(gzip -9 -c "$f" | wc -c)"
done
echo "dist: $(cd dist && find . -type f | sort | tr '\n' ' ')"
