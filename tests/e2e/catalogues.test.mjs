// Every catalogue shipped in www/catalogues is valid, checked with the built
// wasm bundle's own `checkCatalogue` export (the same code the page runs),
// loaded in Node with initSync. Needs www/pkg (scripts/build-wasm.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WWW } from '../../scripts/browser.mjs';

const pkg = await import(join(WWW, 'pkg', 'policy_match.js'));
pkg.initSync({ module: readFileSync(join(WWW, 'pkg', 'policy_match_bg.wasm')) });

// checkCatalogue's result may come as JS Maps (serde-wasm-bindgen's default
// for maps) or plain objects: compare plain data.
const plain = (v) =>
  v instanceof Map ? Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]))
  : Array.isArray(v) ? v.map(plain)
  : v;
const check = (...texts) => plain(pkg.checkCatalogue(texts));

const dir = join(WWW, 'catalogues');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

test('www/catalogues has the demo catalogue', () => {
  assert.ok(files.includes('demo.json'), files.join(', '));
});

const texts = Object.fromEntries(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
const idOf = Object.fromEntries(files.map((f) => [JSON.parse(texts[f]).id, f]));

/** The files a catalogue extends, bases first (transitively). */
function basesOf(f, seen = new Set()) {
  const out = [];
  for (const id of JSON.parse(texts[f]).extends ?? []) {
    const base = idOf[id];
    assert.ok(base, `${f} extends \`${id}\`, which is not in www/catalogues`);
    if (seen.has(base)) continue;
    seen.add(base);
    out.push(...basesOf(base, seen), base);
  }
  return out;
}

for (const f of files) {
  const bases = basesOf(f);
  if (bases.length === 0) {
    test(`www/catalogues/${f} passes checkCatalogue`, () => {
      const out = check(texts[f]);
      assert.deepEqual(out.errors, [], JSON.stringify(out.errors, null, 2));
      assert.equal(out.ok, true);
    });
  } else {
    // A zone catalogue is checked together with what it extends.
    test(`www/catalogues/${f} passes checkCatalogue with ${bases.join(' + ')}`, () => {
      const out = check(...[...bases, f].map((b) => texts[b]));
      assert.deepEqual(out.errors, [], JSON.stringify(out.errors, null, 2));
      assert.equal(out.ok, true);
    });
    // Alone, what it uses from the catalogues it extends is unknown.
    test(`www/catalogues/${f} alone does not pass checkCatalogue`, () => {
      const out = check(texts[f]);
      assert.equal(out.ok, false);
      assert.ok(out.errors.every((e) => e.file === 'catalogue-1.json'), JSON.stringify(out.errors[0]));
    });
  }
}

test('checkCatalogue reports a broken catalogue with its position', () => {
  const out = check('{"format": "policy-match/catalogue@1",\n "id": }');
  assert.equal(out.ok, false);
  assert.ok(out.errors.length >= 1);
  assert.equal(out.errors[0].line, 2);
  assert.ok(out.errors[0].column >= 1);
});

test('checkCatalogue gives the hints check gives: a missing comma, a number with a unit', () => {
  const demo = texts['demo.json'];
  // The first `"id": "…",` of a policy without its comma: the next line's key is where the parser stops.
  const at = demo.indexOf('"policies"');
  const comma = demo.indexOf(',', demo.indexOf('"id"', at));
  const line = demo.slice(0, comma).split('\n').length;
  let out = check(demo.slice(0, comma) + demo.slice(comma + 1));
  assert.equal(out.ok, false);
  assert.match(out.errors[0].message, new RegExp(`\\(“,” is missing at the end of line ${line}\\)$`), out.errors[0].message);
  // 100万 for a number: 1000000.
  const rule = demo.slice(0, at) + demo.slice(at).replace(/("rule": \{"[<>]=?": \[\{"var": "[a-z_0-9]+"\}, )\d+/, '$1100万');
  assert.notEqual(rule, demo, 'the demo has a rule comparing a variable with a number');
  out = check(rule);
  assert.match(out.errors[0].message, /\(“万” after a number: JSON numbers are plain digits; write 1000000\)$/, out.errors[0].message);
});

// The JS API returns plain JSON data: objects, not Maps; numbers, not
// serde_json's arbitrary-precision wrappers.
test('checkCatalogue names each of several catalogues and finds a zone mistake at its line', () => {
  const zone = texts['example-zone.json'];
  // A misspelt variable in the zone's first rule that reads a variable.
  const at = zone.indexOf('"var": "') + '"var": "'.length;
  const broken = zone.slice(0, at) + 'zz_' + zone.slice(at);
  const out = check(texts['cn-national-2026.json'], broken);
  assert.equal(out.ok, false);
  assert.equal(out.errors.length, 1, JSON.stringify(out.errors, null, 2));
  const e = out.errors[0];
  assert.equal(e.file, 'catalogue-2.json'); // the zone, second given (numbered from 1, as the element names them)
  assert.equal(e.type, 'unknown-field');
  assert.equal(e.line, broken.slice(0, at).split('\n').length);
});

test('checkCatalogue returns plain JSON data (objects and numbers)', () => {
  const out = pkg.checkCatalogue(['{"format": "policy-match/catalogue@1",\n "id": }']);
  assert.ok(!(out instanceof Map), 'a plain object, not a Map');
  assert.equal(typeof out.errors[0].line, 'number');
});

test('evaluateProfile returns plain JSON data (numbers)', () => {
  const cat = readFileSync(join(dir, 'demo.json'), 'utf8');
  const out = pkg.evaluateProfile([cat], { employees: 100, tech_staff: 20 }, '2026-07-01');
  assert.equal(typeof out.profile, 'number', JSON.stringify(out.profile));
});
