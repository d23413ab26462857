// ansible-playbook's flags and ansible.cfg on the command line: bad values exit 5 before anything
// is read, the terminal-only flags refuse to start without one, --list-tags / --syntax-check /
// --flush-cache, and ansible.cfg's values under the command line's (real files, real processes).
import { Command } from 'commander';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addAnsibleFlags, applyAnsibleCfg } from '../../engine/commands/ansible-flags.js';
import { NO_PAINT } from '../../engine/report/diagnostics.js';
import { tempTree } from '../helpers/tmp.js';
import { project } from './fixture.js';
import { expectNoCrash, herdbook } from './run-cli.js';

const dir = project();
/** A run that needs no host: one local host, a command and a debug. */
const local = tempTree({
  'site.yaml': '- hosts: all\n  tasks:\n    - name: hello\n      command: echo hi\n      tags: [greet]\n',
  'hosts.ini': 'box ansible_connection=local\n',
  'other.ini': 'other ansible_connection=local\n',
});
const NO_CFG = { ANSIBLE_CONFIG: undefined };

describe('bad values exit 5 with the message, before anything runs', () => {
  const table: [string, string[], RegExp][] = [
    [
      '--become-method su',
      ['--become-method', 'su'],
      /herdbook: --become-method su: herdbook becomes another user with sudo only; drop the flag or use --become-method sudo/,
    ],
    ['-c telnet', ['-c', 'telnet'], /herdbook: --connection telnet: unknown connection \(use ssh, local or pct\)/],
    ['-T 0', ['-T', '0'], /herdbook: --timeout needs a whole number of at least 1, got '0'/],
    ['-T soon', ['--timeout', 'soon'], /--timeout needs a whole number of at least 1, got 'soon'/],
    [
      '--ssh-common-args with an option ssh2 lacks',
      ['--ssh-common-args', '-o ForwardAgent=yes'],
      /herdbook: --ssh-common-args: -o ForwardAgent is not supported by herdbook's SSH client; supported: /,
    ],
    ['-u without a name', ['-u'], /option '-u, --user <name>' argument missing/],
    [
      '--step without a terminal',
      ['--step'],
      /herdbook: --step asks on a terminal, and standard input is not one; run without --step/,
    ],
    [
      '-k without a terminal',
      ['-k'],
      /herdbook: -k\/--ask-pass asks on a terminal, and standard input is not one; give the password as ansible_password/,
    ],
    [
      '-K and -k without a terminal',
      ['-K', '--ask-pass'],
      /herdbook: -k\/--ask-pass, -K\/--ask-become-pass ask on a terminal, and standard input is not one/,
    ],
  ];
  it.each(table)('%s', (_label, flags, message) => {
    const r = herdbook(['run', 'site.yaml', '-i', 'hosts.ini', ...flags], local, NO_CFG);
    expectNoCrash(r);
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('run --help lists every ansible-playbook flag', () => {
    const r = herdbook(['run', '--help'], dir);
    for (const f of [
      '-u, --user <name>',
      '--private-key <file>',
      '-k, --ask-pass',
      '-K, --ask-become-pass',
      '-b, --become',
      '--become-user <user>',
      '--become-method <method>',
      '-c, --connection <kind>',
      '-T, --timeout <seconds>',
      '--ssh-common-args <args>',
      '--list-tags',
      '--syntax-check',
      '--step',
      '--flush-cache',
    ])
      expect(r.stdout).toContain(f);
  });
});

describe('flags that do not run the play', () => {
  it("--list-tags lists each play's tags and its tasks' (as ansible-playbook), running nothing", () => {
    const r = herdbook(['run', 'site.yaml', '-i', 'hosts.ini', '--list-tags'], dir, NO_CFG);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '',
        'playbook: site.yaml',
        '',
        '  play #1 (servers): servers first\tTAGS: [servers]',
        '      TASK TAGS: [blk, servers, upgrade, version]',
        '',
        '  play #2 (agents): agents\tTAGS: []',
        '      TASK TAGS: []',
        '',
      ].join('\n'),
    );
  });

  it('--syntax-check is validate: ok and exit 0, or the errors and exit 4', () => {
    const ok = herdbook(['run', 'site.yaml', '-i', 'hosts.ini', '--syntax-check'], dir, NO_CFG);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok: 1 playbook, 2 plays, .* inventory with 7 hosts/);
    const broken = tempTree({ 'bad.yaml': '- hosts: all\n  tasks:\n    - name: x\n      comand: ls\n' });
    const bad = herdbook(['run', 'bad.yaml', '--syntax-check'], broken, NO_CFG);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/bad\.yaml:4:7/);
  });

  it('--flush-cache runs the play with a note', () => {
    const r = herdbook(['run', 'site.yaml', '-i', 'hosts.ini', '--flush-cache'], local, NO_CFG);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('note: --flush-cache does nothing: herdbook keeps no fact cache between runs');
    expect(r.stdout).toMatch(/changed +box +hello/);
  });
});

describe('--step on a terminal', () => {
  it('asks before each task: n skips it, y runs it, c runs it and every later one without asking', async (ctx) => {
    if (spawnSync('script', ['--version']).status !== 0) ctx.skip();
    const d = tempTree({
      'site.yaml': ['one', 'two', 'three', 'four']
        .map((n) => `    - name: ${n}\n      command: echo ran-${n}\n`)
        .join('')
        .replace(/^/, '- hosts: all\n  tasks:\n'),
      'hosts.ini': 'box ansible_connection=local\n',
    });
    const bin = path.resolve(__dirname, '../../bin/herdbook.js');
    const line = [process.execPath, bin, 'run', 'site.yaml', '-i', 'hosts.ini', '-v', '--step'].join(' ');
    const child = spawn('script', ['-qec', line, '/dev/null'], { cwd: d, env: { ...process.env, NO_COLOR: '1' } });
    const answers = ['n', 'y', 'c'];
    let out = '';
    let asked = 0;
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const questions = out.split('(N)o/(y)es/(c)ontinue: ').length - 1;
      while (asked < questions) child.stdin.write(`${answers[asked++] ?? 'n'}\r`);
    });
    const killer = setTimeout(() => child.kill(), 50_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(killer);
    expect(code).toBe(0);
    expect(out.match(/Perform task: TASK: \w+ \(N\)o\/\(y\)es\/\(c\)ontinue: /g)).toEqual([
      'Perform task: TASK: one (N)o/(y)es/(c)ontinue: ',
      'Perform task: TASK: two (N)o/(y)es/(c)ontinue: ',
      'Perform task: TASK: three (N)o/(y)es/(c)ontinue: ',
    ]);
    expect(out).not.toContain('stdout: ran-one');
    for (const n of ['two', 'three', 'four']) expect(out).toContain(`stdout: ran-${n}`);
  });
});

describe('ansible.cfg on the command line', () => {
  const cfgDir = tempTree({
    'site.yaml': '- hosts: all\n  tasks:\n    - name: hello\n      command: echo hi\n',
    'hosts.ini': 'box ansible_connection=local\n',
    'other.ini': 'other ansible_connection=local\n',
    'ansible.cfg': '[defaults]\ninventory = hosts.ini\nforks = 3\ngathering = smart\nretry_files_enabled = False\n',
    'bad/ansible.cfg': '[defaults]\nremote_user = pi\nforks = lots\n',
    'badssh/ansible.cfg': '[ssh_connection]\nssh_args = -o PubkeyAcceptedAlgorithms=+ssh-rsa\n',
  });

  it('./ansible.cfg gives the inventory; -i on the command line wins over it', () => {
    const fromCfg = herdbook(['list-hosts', 'site.yaml'], cfgDir, NO_CFG);
    expect(fromCfg.code).toBe(0);
    expect(fromCfg.stdout).toContain('box');
    const flag = herdbook(['list-hosts', 'site.yaml', '-i', 'other.ini'], cfgDir, NO_CFG);
    expect(flag.stdout).toContain('other');
    expect(flag.stdout).not.toContain('box');
  });

  it('with -v, the file used and its ignored keys, listed once; without -v, nothing', () => {
    const quiet = herdbook(['run', 'site.yaml'], cfgDir, NO_CFG);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toContain('ignored');
    const v = herdbook(['run', 'site.yaml', '-v'], cfgDir, NO_CFG);
    expect(v.code).toBe(0);
    const file = path.join(cfgDir, 'ansible.cfg');
    const lines = v.stderr.split('\n').filter((l) => l.includes('ignored'));
    expect(lines).toEqual([
      `${file}: ignored (herdbook does not use them): [defaults] gathering, [defaults] retry_files_enabled`,
    ]);
    expect(v.stderr).toContain(`using ${file}`);
  });

  it('ANSIBLE_CONFIG names the file; a bad value in it is exit 4 at file:line:col', () => {
    const r = herdbook(['run', 'site.yaml'], cfgDir, { ANSIBLE_CONFIG: path.join(cfgDir, 'bad/ansible.cfg') });
    expectNoCrash(r);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('bad/ansible.cfg:3:1');
    expect(r.stderr).toContain('forks = lots: needs a whole number of at least 1');
  });

  it('ssh_args with an option ssh2 lacks is a usage error naming the file', () => {
    const r = herdbook(['run', 'site.yaml', '-i', 'hosts.ini'], cfgDir, {
      ANSIBLE_CONFIG: path.join(cfgDir, 'badssh/ansible.cfg'),
    });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(
      /badssh\/ansible\.cfg: \[ssh_connection\] ssh_args: -o PubkeyAcceptedAlgorithms is not supported/,
    );
  });

  it('every mapped key reaches the options object, and a flag on the command line wins over it', async () => {
    const d = tempTree({
      'ansible.cfg': [
        '[defaults]',
        'inventory = inv.ini',
        'remote_user = pi',
        'private_key_file = keys/id_pi',
        'host_key_checking = False',
        'forks = 7',
        'timeout = 20',
        'vault_password_file = ~/.vault_pass',
        'roles_path = roles',
        '[privilege_escalation]',
        'become = True',
        'become_user = admin',
        '[ssh_connection]',
        'ssh_args = -o ServerAliveInterval=30',
        '',
      ].join('\n'),
    });
    const parse = async (args: string[], env: Record<string, string> = {}) => {
      let got: Record<string, unknown> = {};
      const cmd = addAnsibleFlags(
        new Command('run')
          .exitOverride()
          .option('-i, --inventory <path>', '', (v: string, p: string[] = []) => [...p, v])
          .option('-e, --extra-vars <vars>')
          .option('-f, --forks <n>', '', Number)
          .option('-v, --verbose', '', (_v: string, p = 0) => p + 1, 0),
      )
        .hook('preAction', (c) => applyAnsibleCfg(c, { out: () => {}, err: () => {}, isTTY: false, paint: NO_PAINT }))
        .action(function (this: Command) {
          got = this.opts();
        });
      const vars = { ANSIBLE_CONFIG: path.join(d, 'ansible.cfg'), ...env };
      const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
      Object.assign(process.env, vars);
      try {
        await cmd.parseAsync(args, { from: 'user' });
      } finally {
        for (const [k, v] of Object.entries(saved)) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      }
      return got;
    };
    const home = process.env.HOME ?? '';
    expect(await parse([])).toEqual({
      verbose: 0,
      inventory: [path.join(d, 'inv.ini')],
      user: 'pi',
      privateKey: path.join(d, 'keys/id_pi'),
      hostKeyChecking: false,
      forks: 7,
      timeout: 20,
      configVaultPasswordFile: path.join(home, '.vault_pass'),
      rolesPath: [path.join(d, 'roles')],
      become: true,
      becomeUser: 'admin',
      sshArgs: '-o ServerAliveInterval=30',
    });
    const flags = await parse([
      '-i',
      'x.ini',
      '-u',
      'root',
      '--private-key',
      '/k',
      '-f',
      '2',
      '-T',
      '5',
      '--become-user',
      'ops',
    ]);
    expect(flags).toMatchObject({
      inventory: ['x.ini'],
      user: 'root',
      privateKey: '/k',
      forks: 2,
      timeout: 5,
      becomeUser: 'ops',
    });
    // The ANSIBLE_* variables sit between: over ansible.cfg, under the command line.
    const env = {
      ANSIBLE_INVENTORY: 'a.ini,b.ini',
      ANSIBLE_REMOTE_USER: 'ops',
      ANSIBLE_PRIVATE_KEY_FILE: 'k/id',
      ANSIBLE_HOST_KEY_CHECKING: 'yes',
      ANSIBLE_FORKS: '9',
      ANSIBLE_TIMEOUT: '40',
      ANSIBLE_BECOME: 'no',
      ANSIBLE_BECOME_USER: 'svc',
      ANSIBLE_SSH_ARGS: '-o ServerAliveInterval=5',
    };
    expect(await parse([], env)).toMatchObject({
      inventory: [path.resolve('a.ini'), path.resolve('b.ini')],
      user: 'ops',
      privateKey: path.resolve('k/id'),
      hostKeyChecking: true,
      forks: 9,
      timeout: 40,
      become: false,
      becomeUser: 'svc',
      sshArgs: '-o ServerAliveInterval=5',
      rolesPath: [path.join(d, 'roles')],
    });
    expect(await parse(['-f', '2', '-u', 'root'], env)).toMatchObject({ forks: 2, user: 'root', timeout: 40 });
  });

  it('ANSIBLE_INVENTORY wins over ansible.cfg (-v names it); a bad ANSIBLE_FORKS is exit 5 naming the variable', () => {
    const v = herdbook(['run', 'site.yaml', '-v'], cfgDir, { ...NO_CFG, ANSIBLE_INVENTORY: 'other.ini' });
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('other');
    expect(v.stdout).not.toContain('box');
    expect(v.stderr).toContain('from the environment: ANSIBLE_INVENTORY');
    const bad = herdbook(['run', 'site.yaml'], cfgDir, { ...NO_CFG, ANSIBLE_FORKS: 'lots' });
    expectNoCrash(bad);
    expect(bad.code).toBe(5);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('ANSIBLE_FORKS=lots: needs a whole number of at least 1; fix or unset the variable');
  });

  it('roles_path: roles are found there (relative to the file); ANSIBLE_ROLES_PATH wins over it', () => {
    const d = tempTree({
      'play/site.yaml': '- hosts: localhost\n  roles: [common]\n',
      'ansible.cfg': '[defaults]\nroles_path = shared:elsewhere\n',
      'shared/common/tasks/main.yaml': '- name: from shared\n  debug: { msg: hi }\n',
    });
    const ok = herdbook(['validate', 'play/site.yaml'], d, NO_CFG);
    expect(ok.code).toBe(0);
    const none = herdbook(['validate', 'play/site.yaml'], d, { ...NO_CFG, ANSIBLE_ROLES_PATH: '/nonexistent' });
    expect(none.code).toBe(4);
    expect(none.stderr).toContain('common');
  });

  it("a world-writable directory's ansible.cfg is ignored with Ansible's warning", () => {
    const open = tempTree({
      'site.yaml': '- hosts: all\n  tasks: []\n',
      'ansible.cfg': '[defaults]\ninventory = nope.ini\n',
    });
    chmodSync(open, 0o777);
    const r = herdbook(['validate', 'site.yaml'], open, { ...NO_CFG, HOME: open });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`[WARNING]: ${open}/ansible.cfg ignored: ${open} is world-writable`);
  });
});
