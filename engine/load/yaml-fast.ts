// The fast path for well-formed YAML: js-yaml reads a 1,000-task playbook about four times
// faster than the `yaml` library from a cold start, and its node events give us positions.
// Anything unusual (a syntax error, aliases, merge keys, tags, keys that are not plain words)
// returns undefined and the careful path in yaml.ts takes over, with its diagnostics. So this
// never decides what a document means differently: it only gets there sooner.
import type { SourcePos } from '../errors.js';
import { Sealed } from '../vault/sealed.js';
import { attachInfo, type NodeInfo } from './positions.js';
import { jsyaml } from './yaml-schema.js';

type Frame = { start: number; end: number; kids: Frame[]; result?: unknown };

// js-yaml reads `]#` and `"#` as a comment, which YAML refuses: the careful path reports those.
const LENIENT = /["'\]}]#/;

export function fastYaml(
  text: string,
  posAt: (offset: number) => SourcePos,
  maxValues: number,
): { value: unknown } | undefined {
  // js-yaml drops a byte-order mark and its offsets shift.
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
  return (
    c >= text.length ||
    skipped.includes('\n') ||
    skipped.includes('#') ||
    text[c] === '}' ||
    text[c] === ']' ||
    text[c] === ','
  );
}

/** Attach positions from the frames to the value, checking every frame against the value it made. */
function align(frame: Frame, value: unknown, w: Align): boolean {
  if (--w.left < 0) return false;
  if (spansLines(frame, w.text)) return false;
  if (value instanceof Sealed) {
    // Where the careful path places a tagged scalar: after the tag.
    value.pos = w.posAt(contentStart(w.text, frame.start));
    return true;
  }
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
    if (
      !kf ||
      k === 'null' ||
      k === '' ||
      k === '<<' ||
      k === '__proto__' ||
      (kf.result !== null && typeof kf.result === 'object') ||
      String(kf.result) !== k
    )
      return false;
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
