// timezone's decisions, as community.general 6.6.2 makes them on Linux (pure). With a working
// timedatectl (systemd is PID 1) the values come from `timedatectl status`; otherwise from files:
// /etc/timezone checked against the /etc/localtime link (or its bytes), and for hwclock UTC= in
// /etc/default/rcS then /etc/adjtime (Debian: dpkg-reconfigure exists), or /etc/sysconfig/clock.

export type TimezoneArgs = { name?: string; hwclock?: 'local' | 'UTC'; rtc?: 'local' | 'UTC' };

export type TimezoneFiles = {
  /** The name file (/etc/timezone or /etc/sysconfig/clock); undefined: missing. */
  nameText?: string;
  /** readlink /etc/localtime (undefined: not a link), and whether its target exists. */
  localtimeLink?: string;
  linkTargetExists: boolean;
  /** /etc/localtime has the same bytes as /usr/share/zoneinfo/<name>. */
  localtimeSame: boolean;
  hwclockText?: string;
  adjtimeText?: string;
};

export type TimezoneState = {
  flavor: 'systemd' | 'debian' | 'sysconfig';
  timedatectl?: string;
  status?: string;
  files?: TimezoneFiles;
  /** /usr/share/zoneinfo/<name> is a file. */
  zoneExists: boolean;
};

export type TimezoneChange = { kind: 'name' | 'hwclock'; summary: string; value: string };

const truthy = (v: string) => ['yes', 'on', '1', 'true', 'y', 't'].includes(v.toLowerCase());

export const NAME_FILE = { debian: '/etc/timezone', sysconfig: '/etc/sysconfig/clock' } as const;
export const HWCLOCK_FILE = { debian: '/etc/default/rcS', sysconfig: '/etc/sysconfig/clock' } as const;

/** The regular expression the reference reads the zone name with, and the line it writes. */
export function nameFormat(flavor: 'debian' | 'sysconfig', text: string | undefined) {
  if (flavor === 'debian') return { re: /^([^\s]+)/m, line: (v: string) => `${v}\n` };
  if (text !== undefined && /^TIMEZONE\s*=/m.test(text))
    return { re: /^TIMEZONE\s*=\s*"?([^"\s]+)"?/m, line: (v: string) => `TIMEZONE="${v}"\n` };
  return { re: /^ZONE\s*=\s*"?([^"\s]+)"?/m, line: (v: string) => `ZONE="${v}"\n` };
}

export function currentValue(s: TimezoneState, key: 'name' | 'hwclock', planned: string): string {
  if (s.flavor === 'systemd') {
    const re = key === 'name' ? /^\s*Time ?zone\s*:\s*([^\s]+)/m : /^\s*RTC in local TZ\s*:\s*([^\s]+)/m;
    const v = re.exec(s.status ?? '')?.[1] ?? 'n/a';
    return key === 'hwclock' ? (truthy(v) ? 'local' : 'UTC') : v;
  }
  const f = s.files!;
  if (key === 'hwclock') {
    const m = f.hwclockText === undefined ? undefined : /^UTC\s*=\s*([^\s]+)/m.exec(f.hwclockText);
    const v = m ? (truthy(m[1]) ? 'UTC' : 'local') : 'n/a';
    if (v !== planned) return v;
    const adj = f.adjtimeText === undefined ? undefined : /^(UTC|LOCAL)$/m.exec(f.adjtimeText);
    return !adj || adj[1] === 'UTC' ? 'UTC' : 'local';
  }
  const m = f.nameText === undefined ? undefined : nameFormat(s.flavor, f.nameText).re.exec(f.nameText);
  const v = m ? m[1] : 'n/a';
  if (v !== planned) return v;
  if (f.localtimeLink !== undefined) {
    if (!f.linkTargetExists) return 'n/a';
    const link = /(?:\/(?:usr\/share|etc)\/zoneinfo\/)(.*)/m.exec(f.localtimeLink);
    return link ? link[1] : 'n/a';
  }
  return f.localtimeSame ? v : 'n/a';
}

/** The reference's _edit_file: the first matching line replaced, the others deleted, else the line first. */
export function editLines(text: string | undefined, re: RegExp, line: string): { text: string; deleted: number } {
  const lines = (text ?? '').split(/(?<=\n)/).filter((l) => l !== '');
  const hits = lines.flatMap((l, i) => (re.test(l) ? [i] : []));
  const at = hits.length ? hits[0] : 0;
  const kept = lines.filter((_, i) => !hits.includes(i));
  kept.splice(at, 0, line);
  return { text: kept.join(''), deleted: hits.length };
}

export function timezoneValues(s: TimezoneState, args: TimezoneArgs) {
  const planned: Record<string, string> = {};
  if (args.hwclock ?? args.rtc) planned.hwclock = (args.hwclock ?? args.rtc)!;
  if (args.name !== undefined) planned.name = args.name;
  const before = Object.fromEntries(Object.entries(planned).map(([k, v]) => [k, currentValue(s, k as 'name', v)]));
  return { planned, before };
}

export function decideTimezone(s: TimezoneState, args: TimezoneArgs): TimezoneChange[] {
  const { planned, before } = timezoneValues(s, args);
  return Object.entries(planned)
    .filter(([k, v]) => before[k] !== v)
    .map(([k, v]) => ({
      kind: k as 'name' | 'hwclock',
      value: v,
      summary: k === 'name' ? `set the time zone ${before[k]} → ${v}` : `set the hardware clock ${before[k]} → ${v}`,
    }));
}
