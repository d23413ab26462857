// alternatives (community.general.alternatives): a path among the alternatives of a name,
// through update-alternatives (Debian's dpkg; alternatives on Red Hat takes the same words);
// decisions in alternatives-plan.ts, the diff the reference's before/after dicts as JSON.
import { defineModule, ModuleError, type ModuleContext, type Plan } from '../../engine/index-module.js';
import {
  decideAlternatives,
  parseDisplay,
  type AlternativesArgs,
  type AlternativesChange,
  type AlternativesState,
} from './alternatives-plan.js';

const LC = { LC_ALL: 'C' };
const FIND = 'for t in update-alternatives alternatives; do command -v "$t" && exit 0; done; exit 1';

type State = AlternativesState & { tool: string };

async function inspect(ctx: ModuleContext, args: AlternativesArgs): Promise<State> {
  const which = await ctx.exec(['/bin/sh', '-c', FIND], { idempotent: true });
  if (which.rc !== 0) throw new ModuleError('Failed to find required executable "update-alternatives" in paths');
  const tool = which.stdout.trim().split('\n')[0];
  const r = await ctx.exec([tool, '--display', args.name], { env: LC, idempotent: true });
  const exists = await ctx.exec(['test', '-e', args.path], { idempotent: true });
  return { ...parseDisplay(r.rc, r.stdout, args.subcommands ?? args.slaves), pathExists: exists.rc === 0, tool };
}

/** Ansible's callback prints a dict diff as sorted JSON with four-space indents. */
const json = (v: Record<string, unknown>) => {
  const sort = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(sort)
      : x && typeof x === 'object'
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, sort((x as Record<string, unknown>)[k])]),
          )
        : x;
  return `${JSON.stringify(sort(v), null, 4)}\n`;
};

function plan(s: State, args: AlternativesArgs): Plan<AlternativesChange> {
  const d = decideAlternatives(s, args);
  if (d.error) return { changes: [], refuse: d.error };
  const msg = d.messages.join(' ');
  const diff = d.changes.length ? [{ path: args.name, before: json(d.before), after: json(d.after) }] : undefined;
  if (!d.changes.length) {
    const why =
      args.state === 'absent'
        ? `${args.path} is not an alternative for ${args.name}`
        : `${args.name}: ${args.path} (${s.mode} mode)`;
    return { changes: [], noop: why, data: { msg } };
  }
  return { changes: d.changes, data: { msg }, diff };
}

async function apply(ctx: ModuleContext, _args: AlternativesArgs, p: Plan<AlternativesChange>, s: State) {
  for (const c of p.changes) {
    const argv = [s.tool, ...c.argv];
    const r = await ctx.exec(argv, { env: LC });
    if (r.rc !== 0)
      throw new ModuleError(r.stderr.trim() || `${argv.join(' ')}: exit ${r.rc}`, {
        rc: r.rc,
        stdout: r.stdout,
        stderr: r.stderr,
        cmd: argv.join(' '),
      });
  }
  return { msg: p.data?.msg as string };
}

export const alternatives = defineModule<AlternativesArgs, State, AlternativesChange>({
  name: 'alternatives',
  schema: 'alternatives',
  runsOn: 'host',
  predictable: true,
  inspect,
  plan,
  apply,
});
