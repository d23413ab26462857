// Go's formatting of values in the messages kube-apiserver builds: strconv.Quote (%q)
// and %+v of the map[string]interface{} a strategic merge patch decodes to.
import { asText } from '../../../engine/text.js';

/** %q of a string: JSON's escaping is Go's for the characters API objects hold. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** %v of a float64 or int64 held in an interface{}: exponents as Go writes them (1e+21). */
function goNumber(n: number): string {
  return String(n).replace(
    /e([+-]?)(\d+)$/,
    (_, sign: string, exp: string) => `e${sign || '+'}${exp.padStart(2, '0')}`,
  );
}

/** %+v of a decoded JSON value: `map[spec:map[unschedulable:true]]`, map keys sorted. */
export function goPrint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goPrint(o[k])}`)
      .join(' ')}]`;
  }
  return typeof v === 'number' ? goNumber(v) : asText(v);
}
