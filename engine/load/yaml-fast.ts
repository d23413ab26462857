// The fast path for well-formed YAML: js-yaml reads a 1,000-task playbook about four times
// faster than the `yaml` library from a cold start, and its node events give us positions.
// Anything unusual (a syntax error, aliases, merge keys, tags, keys that are not plain words)
// returns undefined and the careful path in yaml.ts takes over, with its diagnostics. So this
// never decides what a document means differently: it only gets there sooner.
import { createRequire } from 'node:module';
import type { SourcePos } from '../errors.js';
import { attachInfo, type NodeInfo } from './positions.js';

type JsYamlState = { position: number; result: unknown };
type JsYaml = {
  load(text: string, opts: { schema: unknown; listener: (event: 'open' | 'close', state: JsYamlState) => void; json?: boolean }): unknown;
  FAILSAFE_SCHEMA: { extend(types: { implicit: unknown[] }): unknown };
  Type: new (tag: string, opts: { kind: 'scalar'; resolve(data: string): boolean; construct(data: string): unknown }) => unknown;
};

const require = createRequire(import.meta.url);

type Frame = { start: number; end: number; kids: Frame[]; result?: unknown };

/** PyYAML's plain-scalar typing (YAML 1.1), exactly as the `yaml` library's 1.1 schema plus yaml.ts's bool rule. */
const RESOLVERS: [RegExp, (s: string) => unknown][] = [
  [/^(?:~|[Nn]ull|NULL)?$/, () => null],
  [/^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/, () => true],
  [/^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/, () => false],
  [/^[-+]?0b[0-1_]+$/, (s) => int(s, 2, 2)],
  [/^[-+]?0[0-7_]+$/, (s) => int(s, 1, 8)],
  [/^[-+]?[0-9][0-9_]*$/, (s) => int(s, 0, 10)],
  [/^[-+]?0x[0-9a-fA-F_]+$/, (s) => int(s, 2, 16)],
  [/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (s) => (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity)],
  [/^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/, (s) => parseFloat(s.replace(/_/g, ''))],
  [/^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/, (s) => parseFloat(s.replace(/_/g, ''))],
  [/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/, sexagesimal],
  [/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/, sexagesimal],
];
// Dates (YYYY-MM-DD[ hh:mm:ss[.s][tz]]) become Date objects in the `yaml` library: leave those to it.
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:t|T|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:[ \t]*(?:Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/;

function int(s: string, offset: number, radix: number): number {
  const sign = s[0];
  const digits = s.substring(sign === '-' || sign === '+' ? offset + 1 : offset).replace(/_/g, '');
  const n = parseInt(digits, radix);
  return sign === '-' ? -1 * n : n;
}

function sexagesimal(s: string): number {
  const sign = s[0];
  const parts = sign === '-' || sign === '+' ? s.substring(1) : s;
  const n = parts.replace(/_/g, '').split(':').reduce((acc, p) => acc * 60 + Number(p), 0);
  return sign === '-' ? -n : n;
}

class Unsupported extends Error {}

const LENIENT = /["'\]}]#/;
/** First characters of YAML 1.1 nulls, booleans and numbers. */
const MAY_BE_TYPED = /[~nNtTfFyYoO0-9+\-.]/;

let loader: { lib: JsYaml; schema: unknown } | undefined;
function jsyaml(): { lib: JsYaml; schema: unknown } {
  if (!loader) {
    const lib = require('js-yaml') as JsYaml;
    // js-yaml calls construct right after a successful resolve of the same text.
    let matched: (s: string) => unknown = () => null;
    const typed = new lib.Type('tag:herdbook,2024:yaml11', {
      kind: 'scalar',
      resolve: (data) => {
        // Most plain scalars are words (command lines, names): no typed value starts like them.
        if (data.length && !MAY_BE_TYPED.test(data[0])) return false;
        if (TIMESTAMP.test(data)) throw new Unsupported('timestamp');
        const r = RESOLVERS.find(([re]) => re.test(data));
        if (r) matched = r[1];
        return r !== undefined;
      },
      construct: (data) => matched(data),
    });
    loader = { lib, schema: lib.FAILSAFE_SCHEMA.extend({ implicit: [typed] }) };
  }
  return loader;
}

export function fastYaml(text: string, posAt: (offset: number) => SourcePos, maxValues: number): { value: unknown } | undefined {
  // js-yaml drops a byte-order mark and its offsets shift; it also reads `]#` and `"#` as a
  // comment, which YAML refuses: the careful path reports those.
  if (text.charCodeAt(0) === 0xfeff || LENIENT.test(text)) return undefined;
  const { lib, schema } = jsyaml();
  const stack: Frame[] = [];
  let root: Frame | undefined;
  let value: unknown;
  try {
    value = lib.load(text, {
      schema,
      listener: (event, state) => {
        if (event === 'open') {
          const f: Frame = { start: state.position, end: state.position, kids: [] };
          if (stack.length) stack[stack.length - 1].kids.push(f);
          else root ??= f;
          stack.push(f);
        } else {
          const f = stack.pop();
          if (f) {
            f.result = state.result;
            f.end = state.position;
          }
        }
      },
    });
  } catch {
    return undefined;
  }
  if (value === undefined) return { value: null };
  if (!root) return undefined;
  const w = { text, posAt, left: maxValues, seen: new Set<object>() };
  return align(root, value, w) ? { value } : undefined;
}

type Align = { text: string; posAt: (offset: number) => SourcePos; left: number; seen: Set<object> };

/** Where a node's content starts: after blanks, comments, line breaks, anchors (&a) and tags (!!str). */
function contentStart(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else if (c === 35) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (c === 38 || c === 33) {
      while (i < text.length && !/\s/.test(text[i])) i++;
    } else return i;
  }
}

/**
 * A quoted, plain or [flow] node written over several lines: js-yaml accepts continuation lines
 * that YAML (and the careful path) refuses when they are not indented enough. Block scalars
 * (| and >) and block collections are fine.
 */
function spansLines(f: Frame, text: string): boolean {
  const c = contentStart(text, f.start);
  if (c >= f.end) return false;
  const ch = text[c];
  if (ch === '|' || ch === '>') return false;
  if (ch !== '"' && ch !== "'" && ch !== '[' && ch !== '{' && f.kids.length) return false;
  const nl = text.indexOf('\n', c);
  return nl >= 0 && nl < f.end;
}

/** Nothing written where a value starts (`key:` then a line break): such a value has no place of its own. */
function isEmpty(text: string, i: number): boolean {
  const c = contentStart(text, i);
  const skipped = text.slice(i, c);
  return c >= text.length || skipped.includes('\n') || skipped.includes('#') || text[c] === '}' || text[c] === ']' || text[c] === ',';
}

/** Attach positions from the frames to the value, checking every frame against the value it made. */
function align(frame: Frame, value: unknown, w: Align): boolean {
  if (--w.left < 0) return false;
  if (spansLines(frame, w.text)) return false;
  if (value === null || typeof value !== 'object') return true;
  // A value reached twice would be an alias: the careful path expands and counts those.
  if (w.seen.has(value)) return false;
  w.seen.add(value);
  const pos = w.posAt(contentStart(w.text, frame.start));
  // js-yaml may read a node once as a would-be key and keep it: a frame around the same value.
  while (frame.kids.length === 1 && frame.kids[0].result === value) frame = frame.kids[0];
  const kids = frame.kids;
  if (Array.isArray(value)) {
    if (kids.length !== value.length) return false;
    const items: SourcePos[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!Object.is(kids[i].result, value[i]) || !align(kids[i], value[i], w)) return false;
      items.push(w.posAt(contentStart(w.text, kids[i].start)));
    }
    attachInfo(value, { pos, items });
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const info: NodeInfo = { pos, keys: {}, values: {} };
  const obj = value as Record<string, unknown>;
  let j = 0;
  for (const k of Object.keys(obj)) {
    const kf = kids[j++];
    // Keys must be plain words: 'null', '' and numbers that are not finite print differently in
    // the careful path, and '<<' is a merge key there.
    if (!kf || k === 'null' || k === '' || k === '<<' || k === '__proto__' || (kf.result !== null && typeof kf.result === 'object') || String(kf.result) !== k) return false;
    if (typeof kf.result === 'number' && !Number.isFinite(kf.result)) return false;
    const keyAt = w.posAt(contentStart(w.text, kf.start));
    info.keys![k] = keyAt;
    const v = obj[k];
    const vf = kids[j];
    // A key without a value may have no frame of its own; an empty value points at its key (as in
    // the careful path). A null frame is always a value: keys are never null here.
    if (vf && Object.is(vf.result, v)) {
      j++;
      if (!align(vf, v, w)) return false;
      info.values![k] = v === null && isEmpty(w.text, vf.start) ? keyAt : w.posAt(contentStart(w.text, vf.start));
    } else if (v === null) {
      info.values![k] = keyAt;
    } else return false;
  }
  if (j !== kids.length) return false;
  attachInfo(obj, info);
  return true;
}
