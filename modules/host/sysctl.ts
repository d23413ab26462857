// sysctl (ansible.posix.sysctl): a kernel parameter in a sysctl file (default /etc/sysctl.conf)
// and, with sysctl_set, in the running kernel; the file reloaded with `sysctl -p` when anything
// changed. Decisions are ansible.posix 1.5.4's (sysctl-plan.ts); the file change comes with a diff.
import { defineModule, ModuleError, type ModuleContext, type Plan } from '../../engine/index-module.js';
import { applyWrite, planWrite, type WriteChange } from './file-write.js';
import { namespacedSysctl, refuseInContainer } from './host-only.js';
import { predictChanges } from './predictions.js';
import { probeFile, type RemoteFile } from './remote-file.js';
import { decide, fileValues, rewriteFile, sysctlValue } from './sysctl-plan.js';
import { asText, sha256 } from './text.js';

export type SysctlArgs = {
  name: string;
  value?: string | number | boolean;
  state: 'present' | 'absent';
  reload: boolean;
  sysctl_set: boolean;
  ignoreerrors: boolean;
  sysctl_file: string;
};

export type SysctlState = {
  file: RemoteFile;
  /** The file's text ('' when it does not exist). */
  text: string;
  /** `sysctl -e -n name`'s output, trimmed; undefined when it failed. */
  proc?: string;
  check?: boolean;
};

export type SysctlChange =
  | WriteChange
  | { kind: 'set'; summary: string; name: string; value: string }
  | { kind: 'reload'; summary: string; path: string }
  | { kind: 'unreadable'; summary: string };

const LANG_C = { LANG: 'C', LC_ALL: 'C', LC_MESSAGES: 'C' };
const FAILED_STDERR = /^sysctl: setting key "[^"]+": (Invalid argument|Read-only file system)$/m;

function checkArgs(args: SysctlArgs): void {
  if (args.name.trim() === '') throw new ModuleError('name cannot be blank');
  if (args.state === 'present' && args.value === undefined)
    throw new ModuleError('state is present but all of the following are missing: value');
  if (args.state === 'present' && sysctlValue(args.value) === '') throw new ModuleError('value cannot be blank');
}

async function inspect(ctx: ModuleContext, args: SysctlArgs): Promise<SysctlState> {
  checkArgs(args);
  const name = args.name.trim();
  if (!namespacedSysctl(name) && (args.sysctl_set || args.reload)) await refuseInContainer(ctx, `sysctl ${name}`);
  const r = await ctx.exec(['sysctl', '-e', '-n', name], { env: LANG_C, idempotent: true });
  const proc = r.rc === 0 ? r.stdout.trim() : undefined;
  const file = await probeFile(ctx, args.sysctl_file, { follow: true, checksum: true, readMax: 16 * 1024 * 1024 });
  if (!file.exists || file.type !== 'file') return { file, text: '', proc, check: ctx.check };
  const text = asText(file.content);
  if (text === undefined) throw new ModuleError(`Failed to open ${args.sysctl_file}: not UTF-8 text`);
  const { content: _c, ...rest } = file;
  return { file: rest, text, proc, check: ctx.check };
}

function plan(state: SysctlState, args: SysctlArgs): Plan<SysctlChange> {
  const name = args.name.trim();
  const value = args.state === 'present' ? sysctlValue(args.value) : '';
  const d = decide({
    state: args.state,
    value,
    fileValue: fileValues(state.text).get(name),
    procValue: state.proc,
    reload: args.reload,
    sysctlSet: args.sysctl_set,
  });
  const p = args.sysctl_file;
  const changes: SysctlChange[] = [];
  let diff;
  if (d.setProc)
    changes.push({ kind: 'set', summary: `set ${name} = ${value} in the kernel (now ${state.proc})`, name, value });
  if (d.writeFile) {
    const after = rewriteFile(state.text, name, args.state === 'present' ? value : undefined);
    const w = planWrite({
      path: state.file.exists && state.file.realPath ? state.file.realPath : p,
      file: state.file,
      after: { checksum: sha256(after), size: Buffer.byteLength(after), text: after },
      beforeText: state.text,
      args: {},
      keepText: true,
      summary: args.state === 'present' ? `${name}=${value} in ${p}` : `remove ${name} from ${p}`,
      check: state.check,
    });
    if (w.refuse) return { changes: [], refuse: w.refuse };
    changes.push(...w.changes);
    diff = w.diff;
  }
  if (d.changed && !d.setProc && !d.writeFile && !d.reload)
    changes.push({ kind: 'unreadable', summary: `${name} could not be read from the kernel` });
  if (d.reload) changes.push({ kind: 'reload', summary: `reload ${p} (sysctl -p)`, path: p });
  if (!changes.length) {
    const why =
      args.state === 'absent'
        ? `${name} is not in ${p}`
        : `${name}=${value} in ${p}${args.sysctl_set ? ' and the kernel' : ''}`;
    return { changes: [], noop: why };
  }
  return { changes, diff };
}

async function runSysctl(ctx: ModuleContext, argv: string[], what: string): Promise<void> {
  const r = await ctx.exec(['sysctl', ...argv], { env: LANG_C });
  if (r.rc !== 0 || FAILED_STDERR.test(r.stderr)) throw new ModuleError(`${what}: ${r.stdout}${r.stderr}`.trim());
}

async function apply(
  ctx: ModuleContext,
  args: SysctlArgs,
  p: Plan<SysctlChange>,
): Promise<{ data: Record<string, unknown> }> {
  const e = args.ignoreerrors ? ['-e'] : [];
  // Ansible's order: the kernel, then the file, then the reload.
  for (const c of p.changes)
    if (c.kind === 'set') await runSysctl(ctx, [...e, '-w', `${c.name}=${c.value}`], `setting ${c.name} failed`);
  const writes = p.changes.filter((c): c is WriteChange => !['set', 'reload', 'unreadable'].includes(c.kind));
  if (writes.length) await applyWrite(ctx, writes, undefined);
  for (const c of p.changes)
    if (c.kind === 'reload') await runSysctl(ctx, [...e, '-p', c.path], 'Failed to reload sysctl');
  return { data: {} };
}

export const sysctl = defineModule<SysctlArgs, SysctlState, SysctlChange>({
  name: 'sysctl',
  schema: 'sysctl',
  runsOn: 'host',
  predictable: true,
  inspect,
  plan,
  predict: (_state, _args, p, ctx) =>
    predictChanges(
      p.changes.filter((c) => 'path' in c && c.kind !== 'reload'),
      ctx,
    ),
  apply,
});
