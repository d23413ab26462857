// firewalld with its daemon running, for real: Debian's firewalld on a system bus of its own in a
// private network and mount namespace (test/helpers/firewalld-daemon.ts), on a copy of
// /etc/firewalld, so this machine's firewall and configuration never change. herdbook
// (firewall-cmd) and ansible.posix.firewalld 1.5.4 (firewalld's Python client) run the same tasks
// against the same daemon, each in a zone of its own, and must agree task by task on changed,
// failed and msg, and leave their zones alike.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { registeredValue } from '../../engine/run/task-result.js';
import { firewalld } from '../../modules/host/firewalld.js';
import { firewalldDaemon } from '../helpers/firewalld-daemon.js';
import { runModule } from '../helpers/module-harness.js';
import { referenceModule, runReference } from '../helpers/reference-module.js';

const copies = mkdtempSync(path.join(os.tmpdir(), 'hb-firewalld-daemon-'));
afterAll(() => rmSync(copies, { recursive: true, force: true }));
const etc = path.join(copies, 'etc');

/** Every file under `dir`, path → content: a configuration before and after. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile())
      out[path.relative(dir, path.join(e.parentPath, e.name))] = readFileSync(path.join(e.parentPath, e.name), 'utf8');
  return out;
}

/** What one tool's tasks name: its zone, a zone it creates, an interface and a source of its own. */
type Side = { zone: string; newZone: string; iface: string; source: string };
const HB: Side = { zone: 'hb-zone', newZone: 'hb-new', iface: 'hb-if0', source: '10.1.0.0/16' };
const REF: Side = { zone: 'ref-zone', newZone: 'ref-new', iface: 'ref-if0', source: '10.2.0.0/16' };
/** The side's names as placeholders, so what the two sides print compares. */
function neutral(s: Side, text: string): string {
  const names: [string, string][] = [
    [s.newZone, '<new-zone>'],
    [s.iface, '<iface>'],
    [s.zone, '<zone>'],
    [s.source, '<source>'],
  ];
  return names.reduce((t, [name, placeholder]) => t.split(name).join(placeholder), text);
}

type Step = {
  name: string;
  args: (s: Side) => Record<string, unknown>;
  check?: boolean;
  /** Not before this many ms after the named step started (a timeout must have run out). */
  after?: [string, number];
  /** A declared difference (README, firewalls): herdbook's msg, which must not be the reference's. */
  msg?: string;
};
const RICH = 'rule family="ipv4" source address="10.43.0.0/16" accept';
const both = { permanent: true, immediate: true };
const port = (s: Side, more: Record<string, unknown>) => ({ zone: s.zone, port: '6443/tcp', ...more });
const STEPS: Step[] = [
  { name: 'port, both, check mode', args: (s) => port(s, { ...both, state: 'enabled' }), check: true },
  { name: 'port, both', args: (s) => port(s, { ...both, state: 'enabled' }) },
  { name: 'port, both, again', args: (s) => port(s, { ...both, state: 'enabled' }) },
  { name: 'port off, running only', args: (s) => port(s, { immediate: true, state: 'disabled' }) },
  { name: 'port, both: only the running one differs', args: (s) => port(s, { ...both, state: 'enabled' }) },
  { name: 'port off, permanent only', args: (s) => port(s, { permanent: true, state: 'disabled' }) },
  { name: 'port off, both, check mode', args: (s) => port(s, { ...both, state: 'disabled' }), check: true },
  { name: 'service, immediate by default', args: (s) => ({ zone: s.zone, service: 'http', state: 'enabled' }) },
  {
    name: 'service off, with a timeout',
    args: (s) => ({ zone: s.zone, service: 'http', state: 'disabled', timeout: 30 }),
  },
  {
    name: 'masquerade with a timeout (the reference sets none)',
    args: (s) => ({ zone: s.zone, masquerade: true, state: 'enabled', timeout: 1 }),
  },
  { name: 'protocol, both', args: (s) => ({ zone: s.zone, protocol: 'vrrp', ...both, state: 'enabled' }) },
  {
    name: 'source, permanent',
    args: (s) => ({ zone: s.zone, source: s.source, permanent: true, state: 'enabled' }),
  },
  {
    name: 'source, permanent: false',
    args: (s) => ({ zone: s.zone, source: s.source, permanent: false, state: 'enabled' }),
  },
  { name: 'interface, both', args: (s) => ({ zone: s.zone, interface: s.iface, ...both, state: 'enabled' }) },
  {
    name: 'interface, both, again',
    args: (s) => ({ zone: s.zone, interface: s.iface, ...both, state: 'enabled' }),
  },
  { name: 'interface off, running only', args: (s) => ({ zone: s.zone, interface: s.iface, state: 'disabled' }) },
  { name: 'rich rule, both', args: (s) => ({ zone: s.zone, rich_rule: RICH, ...both, state: 'enabled' }) },
  {
    name: 'the rule unquoted, both',
    args: (s) => ({ zone: s.zone, rich_rule: RICH.replace(/"/g, ''), ...both, state: 'enabled' }),
  },
  {
    // masquerade: no with state enabled turns it off: a change only if the 1 s timeout above did not.
    name: 'masquerade: no, a second later',
    args: (s) => ({ zone: s.zone, masquerade: 'no', state: 'enabled' }),
    after: ['masquerade with a timeout (the reference sets none)', 1500],
  },
  { name: 'zone present', args: (s) => ({ zone: s.newZone, permanent: true, state: 'present' }) },
  { name: 'zone absent', args: (s) => ({ zone: s.newZone, permanent: true, state: 'absent' }) },
  { name: 'zone present, running', args: (s) => ({ zone: s.newZone, state: 'present' }) },
  {
    name: 'an unknown service, permanent',
    args: (s) => ({ zone: s.zone, service: 'no-such-service', permanent: true, state: 'enabled' }),
  },
  {
    // The reference looks the name up in the zone's list: not there, so nothing to remove.
    name: 'an unknown service, disabled',
    args: (s) => ({ zone: s.zone, service: 'no-such-service', state: 'disabled' }),
  },
  {
    name: 'a bad source',
    args: (s) => ({ zone: s.zone, source: '10.0.0.300', ...both, state: 'enabled' }),
  },
  {
    name: 'a bad rich rule',
    args: (s) => ({ zone: s.zone, rich_rule: 'rule accept-ish', ...both, state: 'enabled' }),
  },
  {
    // The reference's daemon query fails inside firewalld on a port that is not a number.
    name: 'a bad port',
    args: (s) => port(s, { port: 'abc/tcp', ...both, state: 'enabled' }),
    msg: 'ERROR: Exception caught: org.fedoraproject.FirewallD1.Exception: INVALID_PORT: abc',
  },
  { name: 'an unknown zone', args: () => ({ zone: 'no-such-zone', port: '1/tcp', state: 'enabled' }) },
];

// The two tools' zones, empty, in the copy before the daemon reads it.
function setup(): string {
  cpSync('/etc/firewalld', etc, { recursive: true });
  for (const s of [HB, REF])
    writeFileSync(
      path.join(etc, 'zones', `${s.zone}.xml`),
      '<?xml version="1.0" encoding="utf-8"?>\n<zone>\n</zone>\n',
    );
  return etc;
}

const reference = referenceModule('ansible.posix', 'firewalld');
const machine = tree('/etc/firewalld');

describe('firewalld with its daemon (firewall-cmd) in a private namespace, on a private /etc/firewalld', () => {
  const fw = firewalldDaemon(setup, copies);
  const conn = () => fw.d.ns.connection;
  const cmd = async (...argv: string[]) => {
    const r = await conn().exec(['firewall-cmd', ...argv], { env: { LANG: 'C', LC_ALL: 'C' } });
    return r.stdout;
  };
  const run = (args: Record<string, unknown>, check = false) =>
    runModule(firewalld, args, { connection: conn() }, { check });
  /** A zone as the daemon runs it and as its permanent configuration holds it. */
  const zone = async (z?: string) => ({
    running: await cmd(...(z ? [`--zone=${z}`] : []), '--list-all'),
    permanent: await cmd('--permanent', ...(z ? [`--zone=${z}`] : []), '--list-all'),
    files: tree(etc),
  });

  it('the default zone: check mode changes nothing; the run adds the port to both; the second run is ok', async () => {
    const args = { port: '9100/tcp', ...both, state: 'enabled' };
    const before = await zone();
    const check = await run(args, true);
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual([
      'add port 9100/tcp to zone public (permanent)',
      'add port 9100/tcp to zone public (running)',
    ]);
    expect(await zone()).toEqual(before);
    const r = await run(args);
    expect(r.status).toBe('changed');
    expect(r.msg).toBe('Permanent and Non-Permanent(immediate) operation, Changed port 9100/tcp to enabled');
    const after = await zone();
    expect(after.running).toMatch(/^ {2}ports: 9100\/tcp$/m);
    expect(after.permanent).toMatch(/^ {2}ports: 9100\/tcp$/m);
    expect(after.files['zones/public.xml']).toContain('<port port="9100" protocol="tcp"/>');
    const again = await run(args);
    expect(again.status).toBe('ok');
    expect(again.data.msg).toBe('Permanent and Non-Permanent(immediate) operation');
    // Off in the running firewall only: the permanent configuration keeps it.
    expect((await run({ port: '9100/tcp', state: 'disabled' })).changes).toEqual([
      'remove port 9100/tcp from zone public (running)',
    ]);
    expect(await zone()).toEqual({ ...after, running: before.running });
  });

  it('without dbus-send the probe asks firewall-cmd --state, and the default zone firewall-cmd', async () => {
    // /dev/null over it (in the namespace only) is not executable: command -v finds no dbus-send.
    expect((await conn().exec(['mount', '--bind', '/dev/null', '/usr/bin/dbus-send'])).rc).toBe(0);
    try {
      const r = await run({ port: '9200/tcp', permanent: true, state: 'enabled' });
      expect(r.msg).toBe('Permanent operation, Changed port 9200/tcp to enabled');
      // Running, not offline: firewall-offline-cmd would refuse an immediate task.
      expect((await run({ port: '9200/tcp', state: 'enabled' })).changes).toEqual([
        'add port 9200/tcp to zone public (running)',
      ]);
    } finally {
      await conn().exec(['umount', '/usr/bin/dbus-send']);
    }
  });

  it.skipIf(!reference && process.env.HERDBOOK_REQUIRE_ANSIBLE !== '1')(
    'every task as ansible.posix.firewalld does it on the same daemon: changed, failed, msg; the zones left alike',
    async () => {
      if (!reference) throw new Error('ansible.posix is not installed (apt-get install ansible)');
      const started = new Map<string, number>();
      const [mineRows, refRows]: Record<string, unknown>[][] = [[], []];
      for (const step of STEPS) {
        if (step.after) {
          const wait = started.get(step.after[0])! + step.after[1] - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
        started.set(step.name, Date.now());
        const mine = step.check ? await zone(HB.zone) : undefined;
        // Each in its own zone, so the two run at once; but adding or removing a zone makes the
        // daemon register its zones' D-Bus objects anew, and a call of the other tool landing in
        // between fails with UnknownMethod (seen once on a loaded machine): those steps one by one.
        const reference_ = () => runReference(conn(), reference, step.args(REF), step.check);
        const mine_ = () => run(step.args(HB), step.check).then(registeredValue);
        const [ref, hb] = step.name.startsWith('zone ')
          ? [await reference_(), await mine_()]
          : await Promise.all([reference_(), mine_()]);
        // Check mode: the reference exits with changed alone; herdbook's msg lists what it would do.
        const shape = (r: Record<string, unknown>, s: Side) => ({
          step: step.name,
          changed: r.changed,
          failed: r.failed,
          ...(step.check ? {} : { msg: neutral(s, typeof r.msg === 'string' ? r.msg : '') }),
        });
        mineRows.push(shape(hb, HB));
        const theirs = shape(ref, REF);
        if (step.msg) expect(theirs.msg, `${step.name}: a declared difference that is none`).not.toBe(step.msg);
        refRows.push(step.msg ? { ...theirs, msg: step.msg } : theirs);
        if (mine) expect(await zone(HB.zone), `${step.name} wrote nothing`).toEqual(mine);
      }
      // All rows at once: a difference shows beside every other step's result.
      expect(mineRows).toEqual(refRows);
      expect(neutral(HB, await cmd(`--zone=${HB.zone}`, '--list-all'))).toBe(
        neutral(REF, await cmd(`--zone=${REF.zone}`, '--list-all')),
      );
      const xml = (s: Side) => neutral(s, readFileSync(path.join(etc, 'zones', `${s.zone}.xml`), 'utf8'));
      expect(xml(HB)).toBe(xml(REF));
      expect(existsSync(path.join(etc, 'zones', `${HB.newZone}.xml`))).toBe(false);
    },
  );

  it.skipIf(!reference && process.env.HERDBOOK_REQUIRE_ANSIBLE !== '1')(
    'a port inside a permanent range is there to herdbook (firewalld’s --query-port), not to the reference',
    async () => {
      if (!reference) throw new Error('ansible.posix is not installed (apt-get install ansible)');
      const task = (s: Side, p: string, state: string) => ({ zone: s.zone, port: p, permanent: true, state });
      const pair = async (p: string, state: string) => {
        const [ref, hb] = await Promise.all([
          runReference(conn(), reference, task(REF, p, state)),
          run(task(HB, p, state)),
        ]);
        return { ref: ref.changed, hb: hb.status === 'changed' };
      };
      expect(await pair('8000-8100/tcp', 'enabled')).toEqual({ ref: true, hb: true });
      // The reference looks for the exact entry and writes a second, overlapping one; firewalld's
      // own --add-port would refuse it (ALREADY_ENABLED), so herdbook reads the port as there.
      expect(await pair('8080/tcp', 'enabled')).toEqual({ ref: true, hb: false });
      // Off: the reference finds no exact entry and leaves the port open; herdbook closes it, and
      // firewalld splits the range around it.
      expect(await pair('8081/tcp', 'disabled')).toEqual({ ref: false, hb: true });
      expect(await cmd('--permanent', `--zone=${REF.zone}`, '--list-ports')).toBe('8000-8100/tcp 8080/tcp\n');
      expect(await cmd('--permanent', `--zone=${HB.zone}`, '--list-ports')).toBe('8000-8080/tcp 8082-8100/tcp\n');
    },
  );

  it('the machine’s /etc/firewalld never changed, and nothing of the daemon’s is in its /run', () => {
    expect(tree('/etc/firewalld')).toEqual(machine);
    expect(existsSync('/run/firewalld')).toBe(false);
    expect(existsSync('/run/dbus/system_bus_socket')).toBe(false);
  });
});
