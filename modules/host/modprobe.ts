// modprobe (community.general.modprobe): a kernel module loaded or unloaded, and with persistent,
// loaded at boot through /etc/modules-load.d and /etc/modprobe.d; decisions in modprobe-plan.ts.
// Inside a Proxmox container the kernel is the host's: refused with where to do it instead.
// Unlike the reference, check mode writes no persistent file (Ansible's does).
import { defineModule, ModuleError, type ModuleContext, type Plan } from '../../engine/index-module.js';
import { splitWords } from '../../engine/shell-words.js';
import { refuseInContainer } from './host-only.js';
import {
  decideModprobe,
  MODPROBE_D,
  MODULES_LOAD,
  type ConfFile,
  type ModprobeArgs,
  type ModprobeChange,
  type ModprobeState,
} from './modprobe-plan.js';

// The kernel's list (lsmod reads /proc/modules), the builtins, then every regular file of the two directories.
const SCRIPT = `
echo @loaded
if command -v lsmod >/dev/null 2>&1; then lsmod | tail -n +2 | cut -d' ' -f1; elif [ -r /proc/modules ]; then cut -d' ' -f1 /proc/modules; fi
echo @builtin
cat "/lib/modules/$(uname -r)/modules.builtin" 2>/dev/null
for d in "$@"; do
  for f in "$d"/* "$d"/.[!.]*; do
    [ -f "$f" ] || continue
    echo "@file $(stat -c %a -- "$f") $f"
    base64 < "$f" | tr -d '\\n'; echo
  done
done
`;

export function parseModprobeProbe(stdout: string): ModprobeState {
  const s: ModprobeState = { loaded: [], builtin: [], modulesLoad: [], modprobeD: [] };
  let section = '';
  let file: ConfFile | undefined;
  for (const line of stdout.split('\n')) {
    if (line === '@loaded' || line === '@builtin') section = line.slice(1);
    else if (line.startsWith('@file ')) {
      const [, mode, ...p] = line.split(' ');
      const path = p.join(' ');
      file = { path, mode: mode.padStart(4, '0'), text: '' };
      (path.startsWith(`${MODULES_LOAD}/`) ? s.modulesLoad : s.modprobeD).push(file);
      section = 'file';
    } else if (section === 'file' && file) {
      file.text = Buffer.from(line, 'base64').toString('utf8');
      section = '';
    } else if (line !== '' && section === 'loaded') s.loaded.push(line.trim());
    else if (line !== '' && section === 'builtin') s.builtin.push(line);
  }
  return s;
}

async function inspect(ctx: ModuleContext, args: ModprobeArgs): Promise<ModprobeState> {
  if (!/^[\w-]+$/.test(args.name))
    throw new ModuleError(`invalid module name '${args.name}': letters, digits, '_' and '-'`);
  await refuseInContainer(ctx, `modprobe ${args.name}`);
  const r = await ctx.exec(['/bin/sh', '-c', SCRIPT, 'herdbook-modprobe', MODULES_LOAD, MODPROBE_D], {
    idempotent: true,
  });
  if (r.rc !== 0) throw new ModuleError(`could not read the kernel's modules: ${r.stderr.trim() || `exit ${r.rc}`}`);
  return parseModprobeProbe(r.stdout);
}

function plan(state: ModprobeState, args: ModprobeArgs): Plan<ModprobeChange> {
  const data = { name: args.name, params: args.params, state: args.state };
  const changes = decideModprobe(state, args);
  if (changes.length) return { changes, data };
  const where = args.persistent === 'disabled' ? '' : `, ${args.persistent === 'present' ? '' : 'not '}loaded at boot`;
  return { changes: [], noop: `${args.name} is ${args.state === 'present' ? 'loaded' : 'not loaded'}${where}`, data };
}

async function apply(ctx: ModuleContext, args: ModprobeArgs, p: Plan<ModprobeChange>) {
  const data = { name: args.name, params: args.params, state: args.state };
  let changed = false;
  for (const c of p.changes) {
    if (c.kind === 'load' || c.kind === 'unload') {
      const argv = c.kind === 'load' ? ['modprobe', c.name, ...splitWords(c.params)] : ['modprobe', '-r', c.name];
      const r = await ctx.exec(argv, { env: { LC_ALL: 'C' } });
      if (r.rc !== 0)
        throw new ModuleError(r.stderr.trim() || `${argv.join(' ')}: exit ${r.rc}`, {
          ...data,
          rc: r.rc,
          stdout: r.stdout,
          stderr: r.stderr,
        });
      if (c.kind === 'unload') changed = true;
      // The reference counts a load only when the module then shows as loaded.
      else if (decideModprobe(await inspect(ctx, args), { ...args, persistent: 'disabled' }).length === 0)
        changed = true;
      else {
        const dry = await ctx.exec(['modprobe', '-n', '--first-time', c.name, ...splitWords(c.params)]);
        if (dry.rc !== 0) ctx.warn(dry.stderr.trim());
      }
    } else if (c.kind === 'write') {
      await ctx.exec(['mkdir', '-p', '--', c.path.slice(0, c.path.lastIndexOf('/'))]);
      await ctx.put(c.content, c.path, { mode: c.mode });
      changed = true;
    }
  }
  return { data, changed };
}

export const modprobe = defineModule<ModprobeArgs, ModprobeState, ModprobeChange>({
  name: 'modprobe',
  schema: 'modprobe',
  runsOn: 'host',
  predictable: true,
  inspect,
  plan,
  apply,
});
