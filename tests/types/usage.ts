// How a host page uses <policy-match> from TypeScript: type-checked against
// www/policy-match.d.ts by tests/e2e/types.test.mjs (tsc --strict). A change
// to the .d.ts that breaks documented usage fails that test.
import { mount, evaluate, checkCatalogue, PolicyMatchElement } from '../../www/policy-match.js';
import type { PolicyMatchHandle, ReadyDetail } from '../../www/policy-match.js';

const el = document.createElement('policy-match');
const typed: PolicyMatchElement = el;
el.setAttribute('catalogue', 'catalogues/cn-national-2026.json catalogues/example-zone.json');
el.catalogues = [{ format: 'policy-match/catalogue@1' }];
el.catalogues = { format: 'policy-match/catalogue@1' };
el.catalogues = '{"format": "policy-match/catalogue@1"}';
el.catalogues = null;
const given: Array<Record<string, unknown> | string> | null = el.catalogues;
el.profile = { employees: 12, entity_type: 'company' };
el.profile = null;
const firstVerdict: 'qualifies' | 'undecided' | 'does_not_qualify' | undefined = el.results?.[0]?.verdict;

el.addEventListener('policy-match-ready', (e) => {
  const d: ReadyDetail = e.detail;
  if (d.mode === 'self-check') console.log(d.summary.qualifies, d.results.length);
});
el.addEventListener('policy-match-change', (e) => console.log(e.detail.profile, e.detail.revision));
document.addEventListener('policy-match-error', (e) => console.log(e.detail.name, e.detail.errors[0]?.line));
document.addEventListener('policy-match-apply', (e) => {
  e.preventDefault();
  console.log(e.detail.policy, e.detail.url, e.detail.result?.benefit?.amount);
});
window.addEventListener('policy-match-change', (e) => console.log(e.detail.summary.withinReach));

const handle: PolicyMatchHandle = mount(document.body, { catalogue: ['catalogues/cn-national-2026.json'], asOf: '2026-07-01', theme: 'auto', lang: 'zh-CN' });
handle.update({ lang: 'en' });
handle.update();
handle.element.profile = {};
handle.destroy();

void evaluate({ format: 'policy-match/catalogue@1' }, {}, '2026-07-01').then((r) => r.issues[0]?.raw);
void evaluate([{}], { staff: 3 }, { asOf: '2026-07-01', tolerance: 0.1, explain: ['*'] }).then((r) => r.ask_next[0]?.field);
void checkCatalogue([{}, '{}'], '2026-07-01').then((c) => c.ok || c.errors.map((x) => `${x.file}:${x.line}:${x.column} ${x.message}`));
console.log(typed, given, firstVerdict);
