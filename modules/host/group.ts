// group (ansible.builtin.group) on Linux: groupadd, groupmod -g, groupdel, with ansible-core
// 2.14's decisions (changed when the group is created, removed or its gid differs) and its
// registered fields (name, state, gid, system).
import { defineModule, ModuleError, type ModuleContext, type Plan } from '../../engine/index-module.js';
import { checkAccountName, readAccounts, type GroupEntry } from './accounts.js';

export type GroupArgs = {
  name: string;
  state: 'present' | 'absent';
  gid?: number;
  system: boolean;
  non_unique: boolean;
};
export type GroupState = { group?: GroupEntry };
export type GroupChange = { kind: 'groupadd' | 'groupmod' | 'groupdel'; summary: string; argv: string[] };

async function inspect(ctx: ModuleContext, args: GroupArgs): Promise<GroupState> {
  checkAccountName('group', args.name);
  if (args.non_unique && args.gid === undefined)
    throw new ModuleError('non_unique is True but all of the following are missing: gid');
  const a = await readAccounts(ctx, undefined);
  return { group: a.groups.find((g) => g.name === args.name) };
}

const gidArgs = (args: GroupArgs) =>
  args.gid !== undefined ? ['-g', String(args.gid), ...(args.non_unique ? ['-o'] : [])] : [];

export function planGroup(state: GroupState, args: GroupArgs): Plan<GroupChange> {
  const g = state.group;
  const data = (gid?: number): Record<string, unknown> => ({
    name: args.name,
    state: args.state,
    ...(gid !== undefined ? { system: args.system, gid } : {}),
  });
  if (args.state === 'absent') {
    if (!g) return { changes: [], noop: `group ${args.name} does not exist`, data: data() };
    return { changes: [{ kind: 'groupdel', summary: `remove group ${args.name}`, argv: ['groupdel', args.name] }] };
  }
  if (!g) {
    const what = [args.gid !== undefined && `gid ${args.gid}`, args.system && 'system'].filter(Boolean);
    const argv = ['groupadd', ...gidArgs(args), ...(args.system ? ['-r'] : []), args.name];
    return {
      changes: [
        { kind: 'groupadd', summary: `create group ${args.name}${what.length ? ` (${what.join(', ')})` : ''}`, argv },
      ],
    };
  }
  if (args.gid !== undefined && g.gid !== args.gid)
    return {
      changes: [
        {
          kind: 'groupmod',
          summary: `group ${args.name}: gid ${g.gid} → ${args.gid}`,
          argv: ['groupmod', ...gidArgs(args), args.name],
        },
      ],
      data: data(g.gid),
    };
  return { changes: [], noop: `group ${args.name} exists (gid ${g.gid})`, data: data(g.gid) };
}

export const group = defineModule<GroupArgs, GroupState, GroupChange>({
  name: 'group',
  schema: 'group',
  runsOn: 'host',
  predictable: true,
  inspect,
  plan: planGroup,
  async apply(ctx, args, p) {
    const out: Record<string, unknown> = {};
    for (const c of p.changes) {
      const r = await ctx.exec(c.argv, { env: { LC_ALL: 'C' } });
      if (r.rc !== 0)
        throw new ModuleError(r.stderr.trim() || `${c.argv[0]}: exit ${r.rc}`, { name: args.name, rc: r.rc });
      if (r.stdout) out.stdout = r.stdout;
      if (r.stderr) out.stderr = r.stderr;
    }
    const after = (await readAccounts(ctx, undefined)).groups.find((g) => g.name === args.name);
    return {
      data: { name: args.name, state: args.state, ...out, ...(after ? { system: args.system, gid: after.gid } : {}) },
    };
  },
});
