// ansible.cfg: Python configparser's syntax, Ansible's search order (real files in temp dirs),
// the mapped keys and the ignored ones, and what the real ansible-config reads from the same file.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findAnsibleCfg, readAnsibleCfg } from '../../../engine/config/ansible-cfg.js';
import { parseConfig } from '../../../engine/config/configparser.js';
import { InputError } from '../../../engine/errors.js';
import { tempTree } from '../../helpers/tmp.js';

const SAMPLE = [
  '# a comment',
  '; another',
  '[defaults]',
  'inventory = hosts.ini, more.ini',
  'remote_user: pi ; inline comment',
  'private_key_file = ~/.ssh/id_pi',
  'host_key_checking = False',
  'forks=7',
  'timeout = 33',
  'vault_password_file = secret/pass.txt',
  'roles_path = roles:/opt/shared-roles',
  'gathering = smart',
  'stdout_callback = yaml',
  '  ; an indented comment',
  '',
  '[privilege_escalation]',
  'become = yes',
  'become_user = admin',
  'become_ask_pass = False',
  '',
  '[ssh_connection]',
  'ssh_args = -C -o ControlMaster=auto',
  '  -o ControlPersist=60s',
  'pipelining = True',
  '',
].join('\n');

describe('configparser syntax', () => {
  it('reads = and :, inline ; comments after whitespace, continuation lines, %% and %(key)s', () => {
    const text = '[s]\nA = 1 ; gone\nb: x;kept\nc = first\n  second\n\n  third\n\nd = 100%%\ne = %(a)s-%(b)s\n';
    const { entries, diagnostics } = parseConfig(text, 'f.cfg');
    expect(diagnostics).toEqual([]);
    expect(Object.fromEntries(entries.map((e) => [e.key, e.value]))).toEqual({
      a: '1',
      b: 'x;kept',
      c: 'first\nsecond\n\nthird',
      d: '100%',
      e: '1-x;kept',
    });
    expect(entries[2].pos).toEqual({ file: 'f.cfg', line: 4, col: 1 });
  });

  it.each([
    ['a key before any section', 'key = v\n', /'key = v' comes before any \[section\]/, 1],
    ['a line that is no key = value', '[s]\njust words\n', /'just words' is not 'key = value'/, 2],
    ['a key twice in a section', '[s]\na = 1\nA = 2\n', /'a' appears twice in \[s\]/, 3],
    ['a section twice', '[s]\n[t]\n[s]\n', /section \[s\] appears twice/, 3],
    ['a lone %', '[s]\na = 50%\n', /'a': a lone '%'/, 2],
  ])('refuses %s, at its line', (_l, text, message, line) => {
    const { diagnostics } = parseConfig(text, 'f.cfg');
    expect(diagnostics[0].message).toMatch(message);
    expect(diagnostics[0].pos).toMatchObject({ file: 'f.cfg', line });
  });
});

describe('ansible.cfg keys', () => {
  const dir = tempTree({ 'ansible.cfg': SAMPLE });
  const file = path.join(dir, 'ansible.cfg');

  it('maps the keys herdbook honours onto option names, paths relative to the file, ~ expanded', () => {
    const cfg = readAnsibleCfg(file, '/home/op');
    expect(cfg.options).toEqual({
      inventory: [path.join(dir, 'hosts.ini'), path.join(dir, 'more.ini')],
      user: 'pi',
      privateKey: '/home/op/.ssh/id_pi',
      hostKeyChecking: false,
      forks: 7,
      timeout: 33,
      configVaultPasswordFile: path.join(dir, 'secret/pass.txt'),
      rolesPath: [path.join(dir, 'roles'), '/opt/shared-roles'],
      become: true,
      becomeUser: 'admin',
      sshArgs: '-C -o ControlMaster=auto\n-o ControlPersist=60s',
    });
    expect(cfg.ignored).toEqual([
      '[defaults] gathering',
      '[defaults] stdout_callback',
      '[privilege_escalation] become_ask_pass',
      '[ssh_connection] pipelining',
    ]);
  });

  it('a bad value is invalid input naming the file, line and column', () => {
    const bad = tempTree({ 'ansible.cfg': '[defaults]\nforks = many\n[privilege_escalation]\nbecome = perhaps\n' });
    let err: unknown;
    try {
      readAnsibleCfg(path.join(bad, 'ansible.cfg'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const d = (err as InputError).diagnostics;
    expect(d.map((x) => [x.message, x.pos?.line])).toEqual([
      ['forks = many: needs a whole number of at least 1', 2],
      ['become = perhaps: not a boolean (use True or False)', 4],
    ]);
  });

  it('reads the file as the real ansible-config does', (ctx) => {
    if (spawnSync('ansible-config', ['--version']).status !== 0) {
      if (process.env.HERDBOOK_REQUIRE_ANSIBLE) throw new Error('ansible-config is not installed');
      ctx.skip();
    }
    const r = spawnSync('ansible-config', ['dump', '--only-changed'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ANSIBLE_CONFIG: file, HOME: '/home/op', ANSIBLE_NOCOLOR: '1' },
    });
    expect(r.status, r.stderr).toBe(0);
    const dumped = Object.fromEntries([...r.stdout.matchAll(/^(\w+)\(.*?\) = (.*)$/gm)].map((m) => [m[1], m[2]]));
    const cfg = readAnsibleCfg(file, '/home/op').options;
    expect(dumped.DEFAULT_REMOTE_USER).toBe(cfg.user);
    expect(dumped.DEFAULT_PRIVATE_KEY_FILE).toBe(cfg.privateKey);
    expect(dumped.DEFAULT_FORKS).toBe(String(cfg.forks));
    expect(dumped.DEFAULT_TIMEOUT).toBe(String(cfg.timeout));
    expect(dumped.HOST_KEY_CHECKING).toBe(cfg.hostKeyChecking ? 'True' : 'False');
    expect(dumped.DEFAULT_BECOME).toBe(cfg.become ? 'True' : 'False');
    expect(dumped.DEFAULT_BECOME_USER).toBe(cfg.becomeUser);
    expect(dumped.DEFAULT_VAULT_PASSWORD_FILE).toBe(cfg.configVaultPasswordFile);
    expect(dumped.DEFAULT_HOST_LIST).toBe(`[${cfg.inventory!.map((p) => `'${p}'`).join(', ')}]`);
    expect(dumped.DEFAULT_ROLES_PATH).toBe(`[${cfg.rolesPath!.map((p) => `'${p}'`).join(', ')}]`);
  });
});

describe('where ansible.cfg is found (Ansible order)', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
  function layout() {
    const root = mkdtempSync(path.join(os.tmpdir(), 'hb-cfg-'));
    roots.push(root);
    const cwd = path.join(root, 'project');
    const home = path.join(root, 'home');
    const other = path.join(root, 'other');
    for (const d of [cwd, home, other]) mkdirSync(d);
    for (const d of [cwd, other]) writeFileSync(path.join(d, 'ansible.cfg'), '[defaults]\n');
    writeFileSync(path.join(home, '.ansible.cfg'), '[defaults]\n');
    return { root, cwd, home, other };
  }

  it('ANSIBLE_CONFIG (a file or a directory) first, then ./ansible.cfg, then ~/.ansible.cfg', () => {
    const l = layout();
    const at = (env: NodeJS.ProcessEnv, cwd = l.cwd) => findAnsibleCfg({ env, cwd, home: l.home }).file;
    expect(at({ ANSIBLE_CONFIG: path.join(l.other, 'ansible.cfg') })).toBe(path.join(l.other, 'ansible.cfg'));
    expect(at({ ANSIBLE_CONFIG: l.other })).toBe(path.join(l.other, 'ansible.cfg'));
    expect(at({})).toBe(path.join(l.cwd, 'ansible.cfg'));
    expect(at({}, l.home)).toBe(path.join(l.home, '.ansible.cfg'));
  });

  it('an ANSIBLE_CONFIG that names no file is skipped with a note', () => {
    const l = layout();
    const r = findAnsibleCfg({ env: { ANSIBLE_CONFIG: path.join(l.root, 'nope.cfg') }, cwd: l.cwd, home: l.home });
    expect(r.file).toBe(path.join(l.cwd, 'ansible.cfg'));
    expect(r.notes[0]).toMatch(/nope\.cfg: no readable file there; skipped/);
  });

  it("a world-writable working directory's ansible.cfg is ignored, unless ANSIBLE_CONFIG names it", () => {
    const l = layout();
    chmodSync(l.cwd, 0o777);
    const r = findAnsibleCfg({ env: {}, cwd: l.cwd, home: l.home });
    expect(r.file).toBe(path.join(l.home, '.ansible.cfg'));
    expect(r.notes[0]).toContain(`${l.cwd}/ansible.cfg ignored: ${l.cwd} is world-writable`);
    const named = path.join(l.cwd, 'ansible.cfg');
    expect(findAnsibleCfg({ env: { ANSIBLE_CONFIG: named }, cwd: l.cwd, home: l.home })).toEqual({
      file: named,
      notes: [],
    });
  });
});
