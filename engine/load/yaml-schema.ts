// js-yaml with PyYAML's typing of plain scalars (YAML 1.1): yes/no/on/off are booleans, 0644 is
// octal, 1:20 is sexagesimal, exactly as the `yaml` library's 1.1 schema and yaml.ts read them.
// Imported, not required: the bundle then carries js-yaml's one ES module file, where a
// require() read its 26 CommonJS files one by one at every start (about 10 ms of 130 in a
// `validate` profile).
import * as jsYamlModule from 'js-yaml';
import { HerdbookError } from '../errors.js';
import { Sealed, VAULT_TAGS } from '../vault/sealed.js';

type JsYamlState = { position: number; result: unknown };
export type JsYaml = {
  load(
    text: string,
    opts: { schema: unknown; listener: (event: 'open' | 'close', state: JsYamlState) => void; json?: boolean },
  ): unknown;
  FAILSAFE_SCHEMA: { extend(types: { implicit: unknown[]; explicit?: unknown[] }): unknown };
  Type: new (
    tag: string,
    opts: { kind: 'scalar'; resolve(data: string): boolean; construct(data: string): unknown },
  ) => unknown;
};

/** PyYAML's plain-scalar typing (YAML 1.1), exactly as the `yaml` library's 1.1 schema plus yaml.ts's bool rule. */
const RESOLVERS: [RegExp, (s: string) => unknown][] = [
  [/^(?:~|[Nn]ull|NULL)?$/, () => null],
  [/^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/, () => true],
  [/^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/, () => false],
  [/^[-+]?0b[0-1_]+$/, (s) => int(s, 2, 2)],
  [/^[-+]?0[0-7_]+$/, (s) => int(s, 1, 8)],
  [/^[-+]?[0-9][0-9_]*$/, (s) => int(s, 0, 10)],
  [/^[-+]?0x[0-9a-fA-F_]+$/, (s) => int(s, 2, 16)],
  [
    /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    (s) => (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity),
  ],
  [/^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/, (s) => parseFloat(s.replace(/_/g, ''))],
  [/^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/, (s) => parseFloat(s.replace(/_/g, ''))],
  [/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/, sexagesimal],
  [/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/, sexagesimal],
];
// Dates (YYYY-MM-DD[ hh:mm:ss[.s][tz]]) become Date objects in the `yaml` library: leave those to it.
const TIMESTAMP =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:t|T|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:[ \t]*(?:Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/;

function int(s: string, offset: number, radix: number): number {
  const sign = s[0];
  const digits = s.substring(sign === '-' || sign === '+' ? offset + 1 : offset).replace(/_/g, '');
  const n = parseInt(digits, radix);
  return sign === '-' ? -1 * n : n;
}

function sexagesimal(s: string): number {
  const sign = s[0];
  const parts = sign === '-' || sign === '+' ? s.substring(1) : s;
  const n = parts
    .replace(/_/g, '')
    .split(':')
    .reduce((acc, p) => acc * 60 + Number(p), 0);
  return sign === '-' ? -n : n;
}

/** Thrown from inside js-yaml to give up on a document (a date): the careful path reads it. */
class Unsupported extends HerdbookError {
  constructor(what: string) {
    super('E_YAML_FAST_PATH', `left to the careful path: ${what}`);
  }
}

/** First characters of YAML 1.1 nulls, booleans and numbers. */
const MAY_BE_TYPED = /[~nNtTfFyYoO0-9+\-.]/;

// The library and its schema, made once: js-yaml is loaded on the first YAML file read.
let loader: { lib: JsYaml; schema: unknown } | undefined;
export function jsyaml(): { lib: JsYaml; schema: unknown } {
  if (!loader) {
    const lib = jsYamlModule as unknown as JsYaml;
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
    // `!vault |` values: a Sealed placeholder, given its place by yaml-fast.ts's align.
    const vault = VAULT_TAGS.map(
      (tag) =>
        new lib.Type(tag, {
          kind: 'scalar',
          // js-yaml passes null for an empty value: not vault data.
          resolve: (data) => typeof (data as unknown) === 'string',
          construct: (data) => new Sealed(data),
        }),
    );
    loader = { lib, schema: lib.FAILSAFE_SCHEMA.extend({ implicit: [typed], explicit: vault }) };
  }
  return loader;
}
