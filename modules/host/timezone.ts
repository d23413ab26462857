// timezone (community.general.timezone): the system time zone and the hardware clock's, as 6.6.2
// does it on Linux (timezone-plan.ts decides): through timedatectl when it works (systemd is PID
// 1), else the files: /etc/timezone, the /etc/localtime link and dpkg-reconfigure tzdata on
// Debian (/etc/sysconfig/clock and a copy of the zone file elsewhere); hwclock --systohc for the
// hardware clock. After a change the values are read again and must be the ones asked.
import { defineModule, ModuleError, type ModuleContext, type Plan } from '../../engine/index-module.js';
import {
  decideTimezone,
  editLines,
  HWCLOCK_FILE,
  NAME_FILE,
  nameFormat,
  timezoneValues,
  type TimezoneArgs,
  type TimezoneChange,
  type TimezoneState,
} from './timezone-plan.js';

// $1 the zone (may be empty); prints tool paths and each file as `@key` + base64 (or `@key -` when missing).
const PROBE = `
zone=$1
tz=/usr/share/zoneinfo/$zone
echo "@timedatectl $(command -v timedatectl || true)"
echo "@dpkg $(command -v dpkg-reconfigure || true)"
if [ -n "$zone" ] && [ -f "$tz" ]; then echo "@zone 1"; else echo "@zone 0"; fi
if [ -L /etc/localtime ]; then
  echo "@link $(readlink /etc/localtime | base64 | tr -d '\\n')"
  if [ -e /etc/localtime ]; then echo "@target 1"; else echo "@target 0"; fi
fi
if [ -n "$zone" ] && cmp -s /etc/localtime "$tz"; then echo "@same 1"; else echo "@same 0"; fi
for f in /etc/timezone /etc/sysconfig/clock /etc/default/rcS /etc/adjtime; do
  if [ -f "$f" ]; then echo "@file $f $(base64 < "$f" | tr -d '\\n')"; fi
done
`;

const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

async function inspect(ctx: ModuleContext, args: TimezoneArgs): Promise<TimezoneState> {
  if (args.name === undefined && args.hwclock === undefined && args.rtc === undefined)
    throw new ModuleError('one of the following is required: hwclock, name');
  const r = await ctx.exec(['/bin/sh', '-c', PROBE, 'herdbook-timezone', args.name ?? ''], { idempotent: true });
  if (r.rc !== 0) throw new ModuleError(`could not read the time zone: ${r.stderr.trim() || `exit ${r.rc}`}`);
  const v: Record<string, string> = {};
  const files: Record<string, string> = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^@(\w+) ?(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === 'file') {
      const [f, data = ''] = m[2].split(' ');
      files[f] = b64(data);
    } else v[m[1]] = m[2];
  }
  const zoneExists = v.zone === '1';
  if (v.timedatectl) {
    const st = await ctx.exec([v.timedatectl, 'status'], { env: { LC_ALL: 'C' }, idempotent: true });
    if (st.rc === 0) return { flavor: 'systemd', timedatectl: v.timedatectl, status: st.stdout, zoneExists };
    ctx.log(2, `timedatectl was found but not usable: ${st.stderr.trim()}; using the files`);
  }
  const flavor = v.dpkg ? 'debian' : 'sysconfig';
  return {
    flavor,
    zoneExists,
    files: {
      nameText: files[NAME_FILE[flavor]],
      localtimeLink: v.link === undefined ? undefined : b64(v.link),
      linkTargetExists: v.target === '1',
      localtimeSame: v.same === '1',
      hwclockText: files[HWCLOCK_FILE[flavor]],
      adjtimeText: files['/etc/adjtime'],
    },
  };
}

function plan(s: TimezoneState, args: TimezoneArgs): Plan<TimezoneChange> {
  if (args.name !== undefined && !s.zoneExists)
    return { changes: [], refuse: `Error message:\ngiven timezone "${args.name}" is not available` };
  const changes = decideTimezone(s, args);
  const { planned, before } = timezoneValues(s, args);
  const json = (o: Record<string, string>) => `${JSON.stringify(o, Object.keys(o).sort(), 4)}\n`;
  const diff = changes.length ? [{ path: 'timezone', before: json(before), after: json(planned) }] : undefined;
  if (!changes.length)
    return {
      changes,
      noop: Object.entries(planned)
        .map(([k, v]) => `${k} is ${v}`)
        .join(', '),
    };
  return { changes, diff };
}

async function run(ctx: ModuleContext, argv: string[], msgs: string[], log: boolean): Promise<void> {
  const r = await ctx.exec(argv, { env: { LC_ALL: 'C' } });
  if (r.rc !== 0)
    throw new ModuleError(
      [
        'Error message:',
        r.stderr.trim() || r.stdout.trim() || `${argv.join(' ')}: exit ${r.rc}`,
        ...(msgs.length ? ['Other message(s):', ...msgs] : []),
      ].join('\n'),
      { rc: r.rc, stdout: r.stdout, stderr: r.stderr, cmd: argv.join(' ') },
    );
  if (log) msgs.push(`executed \`${argv.join(' ')}\``);
}

async function editFile(
  ctx: ModuleContext,
  file: string,
  text: string | undefined,
  re: RegExp,
  line: string,
  msgs: string[],
) {
  const e = editLines(text, re, line);
  await ctx.put(e.text, file, { mode: '0644' });
  msgs.push(`Added 1 line and deleted ${e.deleted} line(s) on ${file}`);
}

async function apply(ctx: ModuleContext, args: TimezoneArgs, p: Plan<TimezoneChange>, s: TimezoneState) {
  const msgs: string[] = [];
  for (const c of p.changes) {
    if (s.flavor === 'systemd') {
      const argv =
        c.kind === 'name'
          ? [s.timedatectl!, 'set-timezone', c.value]
          : [s.timedatectl!, 'set-local-rtc', c.value === 'local' ? 'yes' : 'no'];
      await run(ctx, argv, msgs, true);
    } else if (c.kind === 'name') {
      const f = s.files!;
      await editFile(
        ctx,
        NAME_FILE[s.flavor],
        f.nameText,
        nameFormat(s.flavor, f.nameText).re,
        nameFormat(s.flavor, f.nameText).line(c.value),
        msgs,
      );
      const tz = `/usr/share/zoneinfo/${c.value}`;
      if (s.flavor === 'debian') {
        await run(ctx, ['ln', '-sf', tz, '/etc/localtime'], msgs, false);
        await run(ctx, ['dpkg-reconfigure', '--frontend', 'noninteractive', 'tzdata'], msgs, false);
      } else await run(ctx, ['cp', '--remove-destination', tz, '/etc/localtime'], msgs, false);
    } else {
      const utc = c.value === 'local' ? 'no' : 'yes';
      await editFile(
        ctx,
        HWCLOCK_FILE[s.flavor as 'debian'],
        s.files!.hwclockText,
        /^UTC\s*=\s*([^\s]+)/m,
        `UTC=${utc}\n`,
        msgs,
      );
      await run(ctx, ['hwclock', '--systohc', c.value === 'local' ? '--localtime' : '--utc'], msgs, true);
    }
  }
  const after = timezoneValues(await inspect(ctx, args), args);
  const planned = JSON.stringify(after.planned);
  if (JSON.stringify(after.before) !== planned)
    throw new ModuleError(
      `Error message:\nstill not desired state, though changes have made - planned: ${planned}, after: ${JSON.stringify(after.before)}`,
    );
  return msgs.length ? { msg: msgs.join('\n') } : {};
}

export const timezone = defineModule<TimezoneArgs, TimezoneState, TimezoneChange>({
  name: 'timezone',
  schema: 'timezone',
  runsOn: 'host',
  predictable: true,
  inspect,
  plan,
  apply,
});
