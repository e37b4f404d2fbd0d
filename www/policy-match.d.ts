// Types of policy-match.js: the <policy-match> custom element, mount() and evaluate().

/** A catalogue: the parsed JSON object (policy-match/catalogue@1) or its JSON text. */
export type Catalogue = Record<string, unknown> | string;

/** An enterprise profile: field name → value (numbers, strings, booleans, dates "YYYY-MM-DD", lists). */
export type Profile = Record<string, unknown>;

export type Verdict = 'qualifies' | 'undecided' | 'does_not_qualify';

/** A benefit estimate (CNY). `amount` is an exact decimal serialised as a JSON number; null while the formula needs a field not yet answered. */
export interface Benefit {
  amount: number | null;
  currency: 'CNY';
  /** True while the policy is undecided: the amount applies if it qualifies. */
  conditional: boolean;
}

/** A failed criterion that is close: `actual` vs `required`, `gap` in the field's unit. */
export interface NearMiss {
  criterion: string;
  subject: string | null;
  label: { zh: string; en: string } | null;
  unit: string | null;
  actual: number;
  op: string;
  required: number;
  gap: number;
  message: { zh: string; en: string };
}

/** One policy's result (same shape in events, `results` and evaluate()). */
export interface PolicyResult {
  policy: string;
  verdict: Verdict;
  failed: string[];
  undecided: string[];
  missing_fields: string[];
  near_misses: NearMiss[];
  within_reach: boolean;
  in_force: boolean;
  benefit: Benefit | null;
  /** Stacking conflicts with other qualifying policies (only when there are some); `preferred`: for `take_higher`, whether this is the one to take (null while an amount is unknown). */
  conflicts?: Array<{ with: string; rule: string; preferred: boolean | null; [key: string]: unknown }>;
}

export interface Summary {
  qualifies: number;
  undecided: number;
  doesNotQualify: number;
  withinReach: number;
}

/** detail of `policy-match-change`: the answers (the user's or a `profile` set by the host), `as-of` or the catalogues changed (not the language). */
export interface ChangeDetail {
  profile: Profile;
  summary: Summary;
  results: PolicyResult[];
  /** The assessment date, YYYY-MM-DD. */
  asOf: string;
  /** Increases with every change of the answers or of the as-of date (not when only the catalogues change). */
  revision: number;
}

/** detail of `policy-match-ready` (after each mount: again after a `mode` change, or once a failed catalogue or `as-of` is fixed). */
export type ReadyDetail =
  | ({ mode: 'self-check'; lang: 'zh-CN' | 'en'; catalogues: string[] } & ChangeDetail)
  | { mode: 'browse'; lang: 'zh-CN' | 'en'; catalogues: string[] };

/** detail of `policy-match-apply` (cancelable). */
export interface ApplyDetail {
  policy: string | null;
  /** The policy's http(s) application link. */
  url: string;
  /** The policy's result for the current answers (self-check); null in browse mode. */
  result: PolicyResult | null;
}

/** One catalogue error, with its position. */
export interface CatalogueErrorItem {
  /** The error kind, e.g. `unknown-field`, `syntax`. */
  type: string;
  message: string;
  file: string;
  path: string;
  line: number;
  column: number;
  policy?: string | null;
  [key: string]: unknown;
}

/** detail of `policy-match-error` (the widget shows the error too: a heading in its language, the details in English). */
export interface ErrorDetail {
  /**
   * The error kind: `catalogue-fetch` (HTTP or network error, or an HTML page instead of JSON),
   * `bad-date` (`as-of` not YYYY-MM-DD), `no-catalogue` (`catalogues = []`, or a misspelt attribute such as `catalog=`), `wasm-load`
   * (`policy_match_bg.wasm` missing next to policy-match.js, or not served), or the first
   * catalogue error's kind (`syntax`, `schema`, `unknown-field`, …).
   */
  name: string;
  message: string;
  /**
   * Every catalogue error (empty for the other kinds). `file`: the URL's file name, in both modes
   * (`catalogue-1.json`, `catalogue-2.json`, … in the order given for the `catalogues` property).
   */
  errors: CatalogueErrorItem[];
}

export interface PolicyMatchEventMap {
  'policy-match-ready': CustomEvent<ReadyDetail>;
  'policy-match-change': CustomEvent<ChangeDetail>;
  'policy-match-apply': CustomEvent<ApplyDetail>;
  'policy-match-error': CustomEvent<ErrorDetail>;
}

/** `<policy-match catalogue="…" lang="zh-CN" as-of="…" mode="self-check" theme="auto">` */
export declare class PolicyMatchElement extends HTMLElement {
  static readonly observedAttributes: string[];
  /**
   * Parsed catalogue objects (or JSON texts); wins over the `catalogue` attribute (`null`: back to
   * the attribute). One catalogue not in an array is taken as `[it]`; `[]` is a `no-catalogue` error.
   */
  get catalogues(): Catalogue[] | null;
  set catalogues(value: Catalogue[] | Catalogue | null);
  /**
   * Answers to start from; reads back the current answers. Field names the catalogues do not
   * declare and values that cannot be read are ignored (no event; `evaluate()`'s `issues` lists
   * them). `null` removes the prefill but not the answers on screen; `{}` clears them.
   */
  get profile(): Profile | null;
  set profile(value: Profile | string | null);
  /** The latest results, one per policy; null before the first evaluation, while an error is shown, and in browse mode. */
  readonly results: PolicyResult[] | null;
  addEventListener<K extends keyof PolicyMatchEventMap>(type: K, listener: (this: PolicyMatchElement, ev: PolicyMatchEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof PolicyMatchEventMap>(type: K, listener: (this: PolicyMatchElement, ev: PolicyMatchEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

export interface MountOptions {
  /** Catalogue URL(s); relative URLs resolve against the page, not against policy-match.js. */
  catalogue?: string | string[];
  /** Parsed catalogues (wins over `catalogue`); one catalogue not in an array is taken as `[it]`. */
  catalogues?: Catalogue[] | Catalogue;
  lang?: 'zh-CN' | 'en';
  /** YYYY-MM-DD (anything else: a `bad-date` error). */
  asOf?: string;
  mode?: 'self-check' | 'browse';
  theme?: 'light' | 'dark' | 'auto';
  profile?: Profile;
}

export interface PolicyMatchHandle {
  /** The <policy-match> element (events bubble from it). */
  readonly element: PolicyMatchElement;
  /** Throws an Error named `destroyed` after destroy(). */
  update(options?: MountOptions): void;
  destroy(): void;
}

/** Mount a <policy-match> into `element`. */
export declare function mount(element: Element, options?: MountOptions): PolicyMatchHandle;

export interface EvaluateOptions {
  /** YYYY-MM-DD (default: today). */
  asOf?: string;
  /** Near-miss tolerance, a fraction (default 0.2). */
  tolerance?: number;
  /** Policy ids to explain, or ["*"]. */
  explain?: string[];
}

export interface EvaluateResult {
  /** The profile's `id` (its `id` field, text), or 0 when it has none: not the profile itself. */
  profile: string | number;
  results: PolicyResult[];
  ask_next: Array<{ field: string; decides: number; needed_by: number; amounts: number; policies: string[] }>;
  /** What in the profile was ignored: `{type: 'unknown-field' | 'invalid-value' | …, field, message, message_zh, raw}`. */
  issues: Array<{ type: string; field: string; message: string; message_zh: string; raw: string; [key: string]: unknown }>;
  explanations: Array<Record<string, unknown>>;
}

/**
 * Evaluate a profile without UI (several catalogues for national + zone; one
 * catalogue not in an array is taken as `[it]`). The catalogues of the last
 * call stay compiled: evaluating many profiles against the same catalogues
 * compiles them once (their JSON text is compared, so a changed catalogue is
 * compiled again). `options` as a string is the
 * as-of date. Rejects with an Error whose `name` is the error kind and whose
 * `details` lists every catalogue error (`file`: `catalogue-1.json`,
 * `catalogue-2.json`, … in the order given); `no-catalogue` for an empty list,
 * `options` for a tolerance outside 0–1 (NaN and Infinity too), an `explain` id no catalogue has or
 * a key other than asOf, tolerance and explain (e.g. `as_of`),
 * `bad-date` for an as-of date that is not YYYY-MM-DD, `schema` for a profile
 * that is not an object, or a catalogue or profile that JSON cannot hold
 * (`undefined`, a function).
 */
export declare function evaluate(catalogues: Catalogue[] | Catalogue, profile?: Profile, options?: EvaluateOptions | string): Promise<EvaluateResult>;

export interface CheckResult {
  ok: boolean;
  errors: CatalogueErrorItem[];
  warnings: Array<{ type: string; message: string; [key: string]: unknown }>;
}

/**
 * Check a catalogue, or several that go together (a zone catalogue with the
 * national one it extends); messages in English (no `message_zh`). Errors name the catalogues
 * `catalogue-1.json`, `catalogue-2.json`, … in the order given.
 * `expired` warnings are for `asOf` (YYYY-MM-DD; default: today, in the browser's
 * time zone, as `policy-match check`); rejects with an Error named `bad-date` for
 * any other date format.
 */
export declare function checkCatalogue(catalogue: Catalogue | Catalogue[], asOf?: string): Promise<CheckResult>;

declare global {
  interface HTMLElementTagNameMap {
    'policy-match': PolicyMatchElement;
  }
  interface HTMLElementEventMap extends PolicyMatchEventMap {}
  // The events bubble and are composed: a host may listen on document or window.
  interface DocumentEventMap extends PolicyMatchEventMap {}
  interface WindowEventMap extends PolicyMatchEventMap {}
}
