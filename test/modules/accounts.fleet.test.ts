// user, group and authorized_key on a real sshd node: useradd, usermod, groupadd and friends run
// for real inside the node's private /etc and /home (overlays, sandbox/fleet/layout.ts), and
// this machine's own /etc/passwd, /etc/group and /etc/shadow are the same bytes afterwards.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModuleDef } from '../../engine/module.js';
import { authorizedKey } from '../../modules/host/authorized_key.js';
import { group } from '../../modules/host/group.js';
import { user } from '../../modules/host/user.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { validationErrors } from '../helpers/validation-errors.js';
import { fleetHost } from './host-helpers.js';

planFixtures(user, path.join(import.meta.dirname, 'user'));
planFixtures(group, path.join(import.meta.dirname, 'group'));
planFixtures(authorizedKey, path.join(import.meta.dirname, 'authorized_key'));

const MACHINE = ['/etc/passwd', '/etc/group', '/etc/shadow', '/etc/gshadow'];
const digest = () => MACHINE.map((f) => createHash('sha256').update(readFileSync(f)).digest('hex'));
// A sha512-crypt hash of "herdbook" (Python's crypt.crypt('herdbook', '$6$herdbooksalt')).
const HASH = '$6$herdbooksalt$InPQ2cciovXuA6jJwrObie6t/QTuch4Sl.YVS/pRhA1RCpHOxq8l9eoVjUSeGPVrSZ98H8MhZYjsuR6gKtxOt1';
const KEY_A = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA alice@laptop';
const KEY_B = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQKeyB bob@desk';

describe('accounts over real sshd, in the node’s private /etc and /home', () => {
  const h = fleetHost('acct-node');
  let before: string[];
  beforeAll(() => {
    before = digest();
  });
  afterAll(() => {
    // The suite's runs of useradd/usermod/groupadd changed only the node's overlay.
    expect(digest()).toEqual(before);
  });
  const sh = async (...argv: string[]) => (await h.connection.exec(argv)).stdout;
  const run = <A>(mod: ModuleDef<A>, args: unknown, check = false) =>
    runModule(mod, args, { connection: h.connection }, { check });

  it('group: check mode creates nothing; the run creates it; again is ok; a new gid is groupmod', async () => {
    const check = await run(group, { name: 'hb-k3s', gid: 2345 }, true);
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual(['create group hb-k3s (gid 2345)']);
    expect(await sh('getent', 'group', 'hb-k3s')).toBe('');
    const r = await run(group, { name: 'hb-k3s', gid: 2345 });
    expect(r.status).toBe('changed');
    expect(r.data).toMatchObject({ name: 'hb-k3s', state: 'present', gid: 2345, system: false });
    expect(await sh('getent', 'group', 'hb-k3s')).toBe('hb-k3s:x:2345:\n');
    expect((await run(group, { name: 'hb-k3s', gid: 2345 })).status).toBe('ok');
    const mod = await run(group, { name: 'hb-k3s', gid: 2346 });
    expect(mod.changes).toEqual(['group hb-k3s: gid 2345 → 2346']);
    expect(await sh('getent', 'group', 'hb-k3s')).toBe('hb-k3s:x:2346:\n');
    expect((await run(group, { name: 'hb-docker' })).status).toBe('changed');
  });

  it('user: created with groups, shell, comment, a password hash and an SSH key; the second run is ok', async () => {
    const args = {
      name: 'hb-alice',
      uid: 2501,
      groups: ['hb-k3s', 'hb-docker'],
      shell: '/bin/bash',
      comment: 'Alice,,,',
      password: HASH,
      generate_ssh_key: true,
      ssh_key_type: 'ed25519',
    };
    const check = await run(user, args, true);
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual([
      'create user hb-alice (uid 2501, groups hb-k3s,hb-docker, shell /bin/bash, home /home/hb-alice, password set)',
      'generate an SSH key /home/hb-alice/.ssh/id_ed25519',
    ]);
    expect(JSON.stringify(check)).not.toContain(HASH);
    expect(await sh('getent', 'passwd', 'hb-alice')).toBe('');
    const r = await run(user, args);
    expect(r.status).toBe('changed');
    expect(JSON.stringify(r)).not.toContain(HASH);
    expect(r.data).toMatchObject({
      name: 'hb-alice',
      uid: 2501,
      shell: '/bin/bash',
      home: '/home/hb-alice',
      comment: 'Alice,,,',
      groups: 'hb-k3s,hb-docker',
      password: 'NOT_LOGGING_PASSWORD',
      create_home: true,
      system: false,
      ssh_key_file: '/home/hb-alice/.ssh/id_ed25519',
    });
    expect(String(r.data.ssh_public_key)).toMatch(/^ssh-ed25519 \S+ ansible-generated on /);
    expect(await sh('getent', 'passwd', 'hb-alice')).toMatch(
      /^hb-alice:x:2501:\d+:Alice,,,:\/home\/hb-alice:\/bin\/bash\n$/,
    );
    expect(await sh('getent', 'shadow', 'hb-alice')).toContain(`hb-alice:${HASH}:`);
    expect(await sh('id', '-nG', 'hb-alice')).toBe('hb-alice hb-k3s hb-docker\n');
    expect(
      await sh('stat', '-c', '%U %a', '/home/hb-alice', '/home/hb-alice/.ssh', '/home/hb-alice/.ssh/id_ed25519'),
    ).toBe('hb-alice 755\nhb-alice 700\nhb-alice 600\n');
    const again = await run(user, args);
    expect(again.status).toBe('ok');
    expect(again.data).toMatchObject({ uid: 2501, append: false, move_home: false });
    // The machine never heard of her.
    expect(readFileSync('/etc/passwd', 'utf8')).not.toContain('hb-alice');
  });

  it('user: append adds a group, groups without append leaves the others, lock, shell; all with usermod', async () => {
    await run(group, { name: 'hb-extra' });
    const add = await run(user, { name: 'hb-alice', groups: 'hb-extra', append: true });
    expect(add.changes).toEqual(['user hb-alice: add to hb-extra']);
    expect(await sh('id', '-nG', 'hb-alice')).toBe('hb-alice hb-k3s hb-docker hb-extra\n');
    expect((await run(user, { name: 'hb-alice', groups: ['hb-extra'], append: true })).status).toBe('ok');
    const only = await run(user, { name: 'hb-alice', groups: ['hb-k3s'], shell: '/bin/sh', password_lock: true });
    expect(only.changes).toEqual([
      'user hb-alice: remove from hb-docker, hb-extra, shell /bin/bash → /bin/sh, lock the password',
    ]);
    expect(await sh('id', '-nG', 'hb-alice')).toBe('hb-alice hb-k3s\n');
    expect(await sh('getent', 'shadow', 'hb-alice')).toContain(`hb-alice:!${HASH}:`);
    expect((await run(user, { name: 'hb-alice', groups: ['hb-k3s'], password_lock: true })).status).toBe('ok');
    // update_password on_create: a different hash is left alone.
    expect((await run(user, { name: 'hb-alice', password: '$6$x$y', update_password: 'on_create' })).status).toBe('ok');
  });

  it('user: a missing home is created from the skeleton; absent with remove deletes user and home', async () => {
    await h.connection.exec(['rm', '-rf', '/home/hb-alice']);
    const home = await run(user, { name: 'hb-alice' });
    expect(home.changes).toEqual(['create home directory /home/hb-alice']);
    expect(await sh('stat', '-c', '%U', '/home/hb-alice')).toBe('hb-alice\n');
    const gone = await run(user, { name: 'hb-alice', state: 'absent', remove: true }, true);
    expect(gone.status).toBe('changed');
    expect(await sh('getent', 'passwd', 'hb-alice')).not.toBe('');
    const r = await run(user, { name: 'hb-alice', state: 'absent', remove: true });
    expect(r.status).toBe('changed');
    expect(r.data).toMatchObject({ name: 'hb-alice', state: 'absent', remove: true, force: false });
    expect(await sh('getent', 'passwd', 'hb-alice')).toBe('');
    expect((await h.connection.exec(['test', '-e', '/home/hb-alice'])).rc).toBe(1);
    expect((await run(user, { name: 'hb-alice', state: 'absent' })).status).toBe('ok');
  });

  it('a group that does not exist fails with Ansible’s words, before anything changes', async () => {
    const r = await run(user, { name: 'hb-bob', groups: ['hb-k3s', 'no-such-group'] });
    expect(r.status).toBe('failed');
    expect(r.msg).toBe('Group no-such-group does not exist');
    expect(await sh('getent', 'passwd', 'hb-bob')).toBe('');
    // A new key's passphrase would be on ssh-keygen's command line: refused, and never echoed.
    const pass = await run(user, { name: 'hb-bob', generate_ssh_key: true, ssh_key_passphrase: 'sekrit-pass' });
    expect(pass.status).toBe('failed');
    expect(pass.msg).toMatch(/^ssh_key_passphrase is not supported: ssh-keygen would get it on its command line/);
    expect(JSON.stringify(pass)).not.toContain('sekrit-pass');
    expect(await sh('getent', 'passwd', 'hb-bob')).toBe('');
  });

  it('authorized_key: check mode writes nothing, the run makes ~/.ssh 0700 and the file 0600, again is ok, exclusive', async () => {
    await run(user, { name: 'hb-bob' });
    const args = { user: 'hb-bob', key: KEY_A };
    const check = await run(authorizedKey, args, true);
    expect(check.status).toBe('changed');
    expect(check.diff).toEqual([{ path: '/home/hb-bob/.ssh/authorized_keys', before: '', after: `${KEY_A}\n` }]);
    expect((await h.connection.exec(['test', '-e', '/home/hb-bob/.ssh'])).rc).toBe(1);
    const r = await run(authorizedKey, args);
    expect(r.status).toBe('changed');
    expect(r.data).toMatchObject({ keyfile: '/home/hb-bob/.ssh/authorized_keys', user: 'hb-bob', exclusive: false });
    expect(await sh('stat', '-c', '%U %a', '/home/hb-bob/.ssh', '/home/hb-bob/.ssh/authorized_keys')).toBe(
      'hb-bob 700\nhb-bob 600\n',
    );
    expect(await sh('cat', '/home/hb-bob/.ssh/authorized_keys')).toBe(`${KEY_A}\n`);
    expect((await run(authorizedKey, args)).status).toBe('ok');
    const both = await run(authorizedKey, {
      user: 'hb-bob',
      key: `${KEY_B}\n${KEY_A}`,
      exclusive: true,
      key_options: 'no-pty',
    });
    expect(both.status).toBe('changed');
    // Ansible's order: a new key after the others; one whose options changed is rewritten at the end.
    expect(await sh('cat', '/home/hb-bob/.ssh/authorized_keys')).toBe(`no-pty ${KEY_B}\nno-pty ${KEY_A}\n`);
    const only = await run(authorizedKey, { user: 'hb-bob', key: [KEY_B], exclusive: true });
    expect(await sh('cat', '/home/hb-bob/.ssh/authorized_keys')).toBe(`${KEY_B}\n`);
    expect(only.status).toBe('changed');
    expect((await run(authorizedKey, { user: 'hb-bob', key: KEY_B, state: 'absent' })).status).toBe('changed');
    expect(await sh('cat', '/home/hb-bob/.ssh/authorized_keys')).toBe('');
  });

  it('authorized_key: an unknown user and an invalid key fail with Ansible’s words', async () => {
    const nobody = await run(authorizedKey, { user: 'hb-nobody', key: KEY_A });
    expect(nobody.msg).toMatch(/^Failed to lookup user hb-nobody/);
    const bad = await run(authorizedKey, { user: 'hb-bob', key: 'not a key' });
    expect(bad.status).toBe('failed');
    expect(bad.msg).toBe('invalid key specified: not a key');
  });
});

describe('bad arguments are refused at validation, with file:line:col, before anything runs', () => {
  const tasks = [
    '    - ansible.builtin.user: { name: "a:b" }',
    '    - user: { name: bob, uid: lots }',
    '    - ansible.posix.authorized_key: { user: bob }',
    '    - ansible.builtin.group: { name: k3s, gid: -1 }',
  ];
  it('names the task, the argument and what to write', () => {
    const out = validationErrors(tasks);
    expect(out).toHaveLength(4);
    expect(out[0]).toMatch(/^3:\d+ .*name.*a user name/);
    expect(out[1]).toMatch(/^4:\d+ .*uid.*lots/);
    expect(out[2]).toMatch(/^5:\d+ .*key/);
    expect(out[3]).toMatch(/^6:\d+ .*gid/);
  });
});
