// One case through both tools, side by side: each in its own copy of the case and its own
// out directory, paths in results and files written as <out> and <case> so they compare.
import path from 'node:path';
import { materialize, type CaseSpec } from './case.js';
import { compare, type Comparison } from './compare.js';
import type { Outcome, Tool } from './outcome.js';
import { runAnsible, type RunInput } from './run-ansible.js';
import { runHerdbook } from './run-herdbook.js';
import { shapeDifferences } from './shape.js';
import { caseHosts, writeConnectionInventory, type World } from './world.js';

export type CaseResult = {
  spec: CaseSpec;
  ansible: Outcome;
  herdbook: Outcome;
  comparison: Comparison;
  shape: string[];
};

/** Account name prefixes (the `acct` variable): distinct per tool, and unlike anything else in a result. */
const ACCT: Record<Tool, string> = { ansible: 'hbconfans', herdbook: 'hbconfhb' };

export function prepare(c: CaseSpec, tool: Tool, root: string, world: World, timeoutMs: number): RunInput {
  const troot = path.join(root, c.name, tool);
  const playbook = materialize(c, tool, path.join(troot, 'case'));
  const caseDir = path.dirname(playbook);
  const out = path.join(troot, 'out');
  const inventory = path.join(caseDir, c.inventory);
  const conn = path.join(troot, 'conn', 'connection.yaml');
  const acct = ACCT[tool];
  writeConnectionInventory(conn, caseHosts(inventory), out, world, acct);
  const normalize = (s: string) => s.split(out).join('<out>').split(caseDir).join('<case>').split(acct).join('<acct>');
  return { root: troot, playbook, inventories: [inventory, conn], flags: c.flags, out, normalize, world, timeoutMs };
}

export async function runCase(
  c: CaseSpec,
  root: string,
  world: World,
  readme: string,
  timeoutMs = 480_000,
): Promise<CaseResult> {
  const [ansible, herdbook] = await Promise.all([
    runAnsible(prepare(c, 'ansible', root, world, timeoutMs)),
    runHerdbook(prepare(c, 'herdbook', root, world, timeoutMs)),
  ]);
  return {
    spec: c,
    ansible,
    herdbook,
    comparison: compare(c, ansible, herdbook, readme),
    shape: shapeDifferences(c.dir),
  };
}
