// "Nothing else may differ": ansible.yaml and herdbook.yaml (and each X.ansible.yaml /
// X.herdbook.yaml pair) must be the same YAML but for expressions: a scalar may differ only
// where either side holds a template ({{ }}) or it is a condition (when, changed_when,
// failed_when, until, assert's that), which Jinja writes bare and herdbook as an expression.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const CONDITIONS = new Set(['when', 'changed_when', 'failed_when', 'until', 'that']);

export function shapeDifferences(caseDir: string): string[] {
  const out: string[] = [];
  for (const [a, h] of pairs(caseDir)) {
    const rel = path.relative(caseDir, a);
    walk(parse(readFileSync(a, 'utf8')), parse(readFileSync(h, 'utf8')), rel, false, out);
  }
  return out;
}

function pairs(dir: string): [string, string][] {
  const found: [string, string][] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) found.push(...pairs(p));
    else if (/(^|\.)ansible\.ya?ml$/.test(e.name)) found.push([p, p.replace(/ansible(\.ya?ml)$/, 'herdbook$1')]);
  }
  return found;
}

function walk(a: unknown, h: unknown, where: string, condition: boolean, out: string[]): void {
  if (Array.isArray(a) && Array.isArray(h)) {
    if (a.length !== h.length) out.push(`${where}: ${a.length} entries in ansible, ${h.length} in herdbook`);
    else a.forEach((x, i) => walk(x, h[i], `${where}[${i}]`, condition, out));
    return;
  }
  if (isMap(a) && isMap(h)) {
    const ka = Object.keys(a);
    const kh = Object.keys(h);
    if (ka.join('\u0000') !== kh.join('\u0000'))
      out.push(`${where}: keys ${JSON.stringify(ka)} in ansible, ${JSON.stringify(kh)} in herdbook`);
    for (const k of ka) if (k in h) walk(a[k], h[k], `${where}.${k}`, CONDITIONS.has(k), out);
    return;
  }
  if (JSON.stringify(a) === JSON.stringify(h)) return;
  const expr = (v: unknown) => typeof v === 'string' && v.includes('{{');
  if (condition || expr(a) || expr(h)) return;
  out.push(`${where}: ${JSON.stringify(a)} in ansible, ${JSON.stringify(h)} in herdbook`);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
