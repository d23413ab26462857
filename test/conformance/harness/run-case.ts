// One case through both tools, side by side: each in its own copy of the case and its own
// out directory, paths in results and files written as <out> and <case> so they compare.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { materialize, type CaseSpec } from './case.js';
import { materializeConverted } from './convert-case.js';
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
  /**
   * Hand-written cases: herdbook on convert(ansible.yaml) against herdbook on herdbook.yaml, or
   * what the conversion left (listed, not failed, until the translator grows). Convert-only
   * cases: what their conversion left.
   */
  converted: { left: string[]; comparison?: Comparison; cpuMs?: number };
};

/**
 * Account name prefixes (the `acct` variable): distinct per run (the runs of one case share its
 * nodes and may overlap), and unlike anything else in a result.
 */
const ACCT = { ansible: 'hbconfans', herdbook: 'hbconfhb', converted: 'hbconfcv' } as const;

/** `converted`: herdbook on the conversion of the Ansible side (always so for a convert-only case). */
export function prepare(
  c: CaseSpec,
  tool: Tool,
  root: string,
  world: World,
  timeoutMs: number,
  converted = tool === 'herdbook' && c.convertOnly,
): RunInput & { left: string[] } {
  const troot = path.join(root, c.name, converted ? 'converted' : tool);
  const made = converted
    ? materializeConverted(c, path.join(troot, 'case'))
    : { playbook: materialize(c, tool, path.join(troot, 'case')), left: [] };
  const playbook = made.playbook;
  const caseDir = path.dirname(playbook);
  const out = path.join(troot, 'out');
  const inventory = path.join(caseDir, c.inventory);
  const conn = path.join(troot, 'conn', 'connection.yaml');
  const acct = ACCT[converted ? 'converted' : tool];
  writeConnectionInventory(conn, caseHosts(inventory), out, world, acct);
  const normalize = (s: string) => s.split(out).join('<out>').split(caseDir).join('<case>').split(acct).join('<acct>');
  return {
    root: troot,
    playbook,
    inventories: [inventory, conn],
    flags: c.flags,
    out,
    normalize,
    world,
    timeoutMs,
    left: made.left,
  };
}

export async function runCase(
  c: CaseSpec,
  root: string,
  world: World,
  readme: string,
  timeoutMs = 480_000,
): Promise<CaseResult> {
  const herdbookInput = prepare(c, 'herdbook', root, world, timeoutMs);
  // A hand-written case also runs its conversion, when nothing was left: it must do what herdbook.yaml does.
  const second = c.convertOnly ? undefined : prepare(c, 'herdbook', root, world, timeoutMs, true);
  const [ansible, herdbook, converted] = await Promise.all([
    runAnsible(prepare(c, 'ansible', root, world, timeoutMs)),
    runHerdbook(herdbookInput),
    second && !second.left.length ? runHerdbook(second) : undefined,
  ]);
  // Kept runs (HERDBOOK_CONFORMANCE_KEEP) keep what each tool printed beside its out/.
  if (process.env.HERDBOOK_CONFORMANCE_KEEP)
    for (const [dir, o] of [
      [path.join(root, c.name, 'ansible'), ansible],
      [herdbookInput.root, herdbook],
      [second?.root, converted],
    ] as const)
      if (dir && o) writeFileSync(path.join(dir, 'output.txt'), `${o.raw}\n--- stderr\n${o.stderr}`);
  return {
    spec: c,
    ansible,
    herdbook,
    comparison: compare(c, ansible, herdbook, readme),
    shape: c.convertOnly ? [] : shapeDifferences(c.dir),
    converted: {
      left: second ? second.left : herdbookInput.left,
      comparison:
        converted &&
        compare({ registered: c.registered, differences: c.convertedDifferences }, herdbook, converted, readme),
      cpuMs: converted?.cpuMs,
    },
  };
}
