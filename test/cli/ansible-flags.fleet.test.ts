// ansible-playbook's connection flags on real sshd nodes: -u/--private-key with an inventory that
// names no user or key, -b/--become-user, -K through a real terminal, and the precedence Ansible
// has (ansible.cfg < command line < play keywords < inventory variables), proved against the
// real ansible-playbook on the same nodes when it is installed.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fleetFor } from '../helpers/fleet.js';
import { tempTree } from '../helpers/tmp.js';
import { herdbook } from './run-cli.js';

let f: Awaited<ReturnType<typeof fleetFor>>;
let dir: string;
let sshArgs: string;
/** No ~/.ssh of the machine: the key and known hosts come from the flags only. */
let env: Record<string, string | undefined>;

const PLAYBOOK = [
  '- hosts: all',
  '  tasks:',
  '    - name: who',
  '      command: id -un',
  '      register: who',
  '',
].join('\n');

beforeAll(async () => {
  f = await fleetFor([{ name: 'n-1' }, { name: 'n-2' }]);
  const [n1, n2] = [f.fleet.node('n-1'), f.fleet.node('n-2')];
  dir = tempTree({
    'site.yaml': PLAYBOOK,
    'keyword.yaml': PLAYBOOK.replace('- hosts: all\n', '- hosts: all\n  remote_user: root\n'),
    'no-become.yaml': PLAYBOOK.replace('- hosts: all\n', '- hosts: all\n  become: false\n'),
    // Only where each node is: no user, no key, no known_hosts file.
    'hosts.ini': `n-1 ansible_host=127.0.0.1 ansible_port=${n1.port}\nn-2 ansible_host=127.0.0.1 ansible_port=${n2.port}\n`,
    // n-2's inventory user wins over -u, as in Ansible.
    'hosts-user.ini': `n-1 ansible_host=127.0.0.1 ansible_port=${n1.port}\nn-2 ansible_host=127.0.0.1 ansible_port=${n2.port} ansible_user=root\n`,
    'home/.keep': '',
  });
  sshArgs = `-o UserKnownHostsFile=${f.fleet.knownHostsPath} -o StrictHostKeyChecking=yes`;
  env = { HOME: path.join(dir, 'home'), HERDBOOK_SSH_CONFIG: '', SSH_AUTH_SOCK: '', ANSIBLE_CONFIG: undefined };
}, 180_000);

/** Each host's registered `who.stdout` from the NDJSON events. */
function users(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout.split('\n').filter(Boolean)) {
    const e = JSON.parse(line) as { type: string; task?: string; host?: string; registered?: { stdout?: string } };
    if (e.type === 'task_result' && e.task === 'who') out[e.host!] = e.registered?.stdout ?? `(${line})`;
  }
  return out;
}

function run(args: string[], extraEnv: Record<string, string> = {}) {
  const r = herdbook(['run', ...args, '--output', 'json'], dir, { ...env, ...extraEnv });
  if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stderr}\n${r.stdout}`);
  return users(r.stdout);
}

describe('ansible-playbook connection flags on real sshd', () => {
  it('-u USER --private-key KEY log in with an inventory that names neither', () => {
    const u = f.fleet.users.nopasswd;
    expect(
      run([
        'site.yaml',
        '-i',
        'hosts.ini',
        '-u',
        u,
        '--private-key',
        f.fleet.clientKeyPath,
        '--ssh-common-args',
        sshArgs,
      ]),
    ).toEqual({ 'n-1': u, 'n-2': u });
  });

  it('without them the login fails (the flags are what made it work)', () => {
    const r = herdbook(['run', 'site.yaml', '-i', 'hosts.ini', '--ssh-common-args', sshArgs], dir, env);
    expect(r.code).toBe(3);
  });

  it('-b becomes root, --become-user another user, through sudo on the node', () => {
    const base = ['site.yaml', '-i', 'hosts.ini', '-u', f.fleet.users.nopasswd, '--private-key', f.fleet.clientKeyPath];
    expect(run([...base, '--ssh-common-args', sshArgs, '-b'])).toEqual({ 'n-1': 'root', 'n-2': 'root' });
    expect(
      run([
        ...base,
        '--ssh-common-args',
        sshArgs,
        '-b',
        '--become-user',
        f.fleet.users.passwd,
        '--become-method',
        'sudo',
      ]),
    ).toEqual({ 'n-1': f.fleet.users.passwd, 'n-2': f.fleet.users.passwd });
    // A play's become: false wins over -b (Ansible: keywords over the command line).
    const noBecome = ['no-become.yaml', ...base.slice(1)];
    expect(run([...noBecome, '--ssh-common-args', sshArgs, '-b'])).toEqual({
      'n-1': f.fleet.users.nopasswd,
      'n-2': f.fleet.users.nopasswd,
    });
  });

  it('precedence: inventory ansible_user and a play remote_user win over -u; -u wins over ansible.cfg', () => {
    const u = f.fleet.users.nopasswd;
    const key = ['--private-key', f.fleet.clientKeyPath, '--ssh-common-args', sshArgs];
    expect(run(['site.yaml', '-i', 'hosts-user.ini', '-u', u, ...key])).toEqual({ 'n-1': u, 'n-2': 'root' });
    expect(run(['keyword.yaml', '-i', 'hosts.ini', '-u', u, ...key])).toEqual({ 'n-1': 'root', 'n-2': 'root' });
    const cfg = path.join(dir, 'precedence.cfg');
    writeFileSync(
      cfg,
      `[defaults]\nremote_user = root\nprivate_key_file = ${f.fleet.clientKeyPath}\ninventory = hosts.ini\n[ssh_connection]\nssh_args = ${sshArgs}\n`,
    );
    // ansible.cfg alone: its user, key, inventory and ssh_args.
    expect(run(['site.yaml'], { ANSIBLE_CONFIG: cfg })).toEqual({ 'n-1': 'root', 'n-2': 'root' });
    // -u on the command line wins over remote_user in the file.
    expect(run(['site.yaml', '-u', u], { ANSIBLE_CONFIG: cfg })).toEqual({ 'n-1': u, 'n-2': u });
  });

  it('the same precedence in the real ansible-playbook', (ctx) => {
    if (spawnSync('ansible-playbook', ['--version']).status !== 0) {
      if (process.env.HERDBOOK_REQUIRE_ANSIBLE) throw new Error('ansible-playbook is not installed');
      ctx.skip();
    }
    const u = f.fleet.users.nopasswd;
    const ansible = (playbook: string, inventory: string) => {
      const r = spawnSync(
        'ansible-playbook',
        [
          playbook,
          '-i',
          inventory,
          '-u',
          u,
          '--private-key',
          f.fleet.clientKeyPath,
          '--ssh-common-args',
          sshArgs,
          '-v',
        ],
        { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env, ANSIBLE_NOCOLOR: '1' }, timeout: 120_000 },
      );
      expect(r.status, r.stdout + r.stderr).toBe(0);
      // -v prints each result: `changed: [n-1] => {... "stdout": "root" ...}`.
      return Object.fromEntries(
        [...r.stdout.matchAll(/^changed: \[(n-\d)\] => (\{.*\})$/gm)].map((m) => [
          m[1],
          (JSON.parse(m[2]) as { stdout: string }).stdout,
        ]),
      );
    };
    expect(ansible('site.yaml', 'hosts-user.ini')).toEqual({ 'n-1': u, 'n-2': 'root' });
    expect(ansible('keyword.yaml', 'hosts.ini')).toEqual({ 'n-1': 'root', 'n-2': 'root' });
  });

  /** herdbook on a real terminal (script(1)), each answer typed once its question is shown. */
  async function onTerminal(args: string[], answers: [string, string][]) {
    const bin = path.resolve(__dirname, '../../bin/herdbook.js');
    const line = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    // Typed before the question, the terminal would echo it before herdbook could turn echo off.
    const child = spawn('script', ['-qec', line, '/dev/null'], {
      cwd: dir,
      env: { ...process.env, ...env, NO_COLOR: '1', CI: '1' },
    });
    let out = '';
    const pending = [...answers];
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      while (pending.length && out.includes(pending[0][0])) child.stdin.write(`${pending.shift()![1]}\r`);
    });
    const killer = setTimeout(() => child.kill(), 60_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(killer);
    return { code, out };
  }

  it('-K asks on the terminal without echo, and sudo gets the password', async (ctx) => {
    if (spawnSync('script', ['--version']).status !== 0) ctx.skip();
    const { passwd, password } = f.fleet.users;
    const key = ['--private-key', f.fleet.clientKeyPath, '--ssh-common-args', sshArgs];
    const r = await onTerminal(
      ['run', 'site.yaml', '-i', 'hosts.ini', '--limit', 'n-1', '-u', passwd, ...key, '-b', '-K', '-v'],
      [['BECOME password: ', password]],
    );
    expect(r.out).toContain('BECOME password: ');
    expect(r.out).not.toContain(password);
    expect(r.out).toMatch(/stdout: root/);
    expect(r.code).toBe(0);
  });

  it('-k logs in with the password typed (no key anywhere); with -K, an empty answer reuses it for sudo', async (ctx) => {
    if (spawnSync('script', ['--version']).status !== 0) ctx.skip();
    const { passwd, password } = f.fleet.users;
    const r = await onTerminal(
      [
        'run',
        'site.yaml',
        '-i',
        'hosts.ini',
        '--limit',
        'n-2',
        '-u',
        passwd,
        '--ssh-common-args',
        sshArgs,
        '-k',
        '-K',
        '-b',
        '-vvv',
      ],
      [
        ['SSH password: ', password],
        ['BECOME password[defaults to SSH password]: ', ''],
      ],
    );
    expect(r.out).not.toContain(password);
    expect(r.out).toMatch(/stdout: root/);
    expect(r.code).toBe(0);
  });
});
