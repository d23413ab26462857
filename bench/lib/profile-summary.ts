// The hottest functions of a V8 .cpuprofile (node --cpu-prof), by self time and by total
// time, so a benchmark can say where the engine spends its time without a browser.
import { readFileSync } from 'node:fs';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

export type Hot = { name: string; selfMs: number; totalMs: number };

export function summarizeProfile(file: string, top = 25, filter?: RegExp): Hot[] {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));
  const key = (n: Node) =>
    `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
  const selfBy = new Map<string, number>();
  const totalBy = new Map<string, number>();
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    selfBy.set(key(n), (selfBy.get(key(n)) ?? 0) + ms);
    // Each sample counts once per distinct function on its stack (recursion not doubled).
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur)!);
      if (seen.has(k)) continue;
      seen.add(k);
      totalBy.set(k, (totalBy.get(k) ?? 0) + ms);
    }
  }
  return [...selfBy.keys(), ...totalBy.keys()]
    .filter((k, i, all) => all.indexOf(k) === i && (!filter || filter.test(k)))
    .map((k) => ({ name: k, selfMs: selfBy.get(k) ?? 0, totalMs: totalBy.get(k) ?? 0 }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, top);
}

export function formatHot(list: Hot[]): string {
  return list
    .map((h) => `${h.selfMs.toFixed(0).padStart(7)} ms self ${h.totalMs.toFixed(0).padStart(7)} ms total  ${h.name}`)
    .join('\n');
}
