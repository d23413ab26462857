// k3s_version's install on real sshd nodes: the environment and the script in a private
// directory root creates and removes (nothing secret on a command line or in `ps`), the
// Kubernetes API used or failed on (never silently skipped), and a node's credentials
// (--token, --datastore-endpoint, K3S_DATASTORE_ENDPOINT) absent from every output of a
// --check run through the CLI. The tests where the API answers (a 403, a refused Ready wait)
// run against kube-sim and the real kube-apiserver (describeBackends); the others never reach
// an API (none configured, or a kubeconfig that does not exist) and run once.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeFactory } from '../../engine/kube/clients.js';
import type { KubeClient } from '../../engine/kube/types.js';
import type { RunEvent } from '../../engine/report/events.js';
import { k3sVersion } from '../../modules/k3s/version/index.js';
import { preinstallK3s, setFakeNodeName } from '../../sandbox/k3s-fake/index.js';
import { herdbook } from '../e2e/helpers.js';
import { describeBackends } from '../helpers/backends.js';
import { fleetFor } from '../helpers/fleet.js';
import { runModule, type HarnessOptions } from '../helpers/module-harness.js';
import { recordingConnection, type RecordedExec } from '../helpers/recording-connection.js';

const ENV_TOKEN = 'K10env-token-5f3a9c';
const FLAG_TOKEN = 'flag-token-8d21e7';
const DSN = 'postgres://u:dsn-pass-4e1b@h/db';
const ENV_DSN = 'postgres://u2:env-dsn-pass-7c09@h2/db2';

// What the install script sees, written where HB_RECORD says; HB_FAIL makes it fail.
const RECORDER = `#!/bin/sh
d=$(cd "$(dirname "$0")" && pwd)
{
  echo "self=$0"
  echo "dir=$d"
  echo "uid=$(id -u)"
  echo "dirmode=$(stat -c '%a %u' "$d")"
  for f in "$d"/*; do echo "file=$(basename "$f") $(stat -c '%a %u' "$f")"; done
  echo "K3S_TOKEN=$K3S_TOKEN"
  echo "K3S_DATASTORE_ENDPOINT=\${K3S_DATASTORE_ENDPOINT-}"
  echo "INSTALL_K3S_VERSION=$INSTALL_K3S_VERSION"
  for a; do echo "arg=$a"; done
  echo "=== ps"
  ps -eww -o args
} > "$HB_RECORD"
[ -z "\${HB_FAIL-}" ] || exit 3
`;

let f: Awaited<ReturnType<typeof fleetFor>>;
let work: string;
let recorder: string;
let n = 0;

beforeAll(async () => {
  f = await fleetFor([{ name: 'rec' }, { name: 'ext' }]);
  for (const name of ['rec', 'ext']) await setFakeNodeName(f.fleet.node(name).root, name);
  await preinstallK3s(f.fleet.node('rec').root, {
    version: 'v1.31.4+k3s1',
    role: 'server',
    args: ['--token', FLAG_TOKEN, '--node-label', 'tier=control'],
    env: { K3S_TOKEN: ENV_TOKEN, K3S_DATASTORE_ENDPOINT: ENV_DSN },
  });
  await preinstallK3s(f.fleet.node('ext').root, {
    version: 'v1.31.4+k3s1',
    role: 'server',
    args: ['--token', 'abc123', '--datastore-endpoint', DSN],
    env: { K3S_DATASTORE_ENDPOINT: ENV_DSN },
  });
  // /tmp is the machine's, shared with the nodes: the script and the records live there.
  work = mkdtempSync(path.join(os.tmpdir(), 'hb-k3s-install-'));
  recorder = path.join(work, 'record-install.sh');
  writeFileSync(recorder, RECORDER);
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

function recordPath(): string {
  return path.join(work, `record-${++n}.txt`);
}

function readRecord(file: string) {
  const text = readFileSync(file, 'utf8');
  const [head, ps] = text.split('=== ps\n');
  const lines = head.trim().split('\n');
  const one = (k: string) => lines.find((l) => l.startsWith(`${k}=`))?.slice(k.length + 1);
  return {
    one,
    files: lines
      .filter((l) => l.startsWith('file='))
      .map((l) => l.slice(5))
      .sort(),
    args: lines.filter((l) => l.startsWith('arg=')).map((l) => l.slice(4)),
    ps: ps.split('\n'),
  };
}

/**
 * The private directories k3s_version made on the node (what mktemp -d answered), those it
 * removed, and every /tmp/herdbook-k3s path its commands named. /tmp is shared with whatever else
 * runs k3s_version meanwhile (k3s.fleet.test.ts in another worker, another checkout's tests), so
 * a listing of /tmp before and after cannot say whose a directory is; the run's own commands can.
 */
function workdirs(rec: ReturnType<typeof recordingConnection>): { made: string[]; removed: string[]; named: string[] } {
  const argv = (c: RecordedExec) => (typeof c.cmd === 'string' ? [c.cmd] : c.cmd);
  return {
    made: rec.calls
      .filter((c) => argv(c).some((w) => w.includes('mktemp -d /tmp/herdbook-k3s.')))
      .map((c) => c.result!.stdout.trim()),
    removed: rec.calls.filter((c) => argv(c)[0] === 'rm').map((c) => argv(c).at(-1)!),
    named: rec.calls.flatMap((c) => argv(c).flatMap((w) => w.match(/\/tmp\/herdbook-k3s[^\s'"]*/g) ?? [])),
  };
}

/** One directory made, that one removed (and nothing else), and gone; no other herdbook-k3s path used. */
function expectCleanedUp(rec: ReturnType<typeof recordingConnection>): string {
  const { made, removed, named } = workdirs(rec);
  expect(made).toEqual([expect.stringMatching(/^\/tmp\/herdbook-k3s\.[A-Za-z0-9]{10}$/)]);
  expect(removed).toEqual(made);
  expect(existsSync(made[0])).toBe(false);
  // The mktemp template, and then only paths inside the directory it made.
  expect(
    named.filter((p) => p !== '/tmp/herdbook-k3s.XXXXXXXXXX' && p !== made[0] && !p.startsWith(`${made[0]}/`)),
  ).toEqual([]);
  return made[0];
}

describe('k3s_version runs the install from a private directory', () => {
  it('env and script in a root-only mktemp directory, no secret on any command line or in ps, removed afterwards', async () => {
    const rec = recordingConnection(f.conn('rec'));
    const out = recordPath();
    const r = await runModule(
      k3sVersion,
      { version: 'v1.32.5+k3s1', install_script: recorder, install_env: { HB_RECORD: out }, wait_timeout: 30 },
      { connection: rec.conn, host: 'rec', nodeName: 'rec' },
    );
    expect(r.status, r.msg).toBe('changed');
    const seen = readRecord(out);
    const dir = seen.one('dir')!;
    expect(dir).toMatch(/^\/tmp\/herdbook-k3s\.[A-Za-z0-9]{10}$/);
    expect(seen.one('self')).toBe(`${dir}/install.sh`);
    expect(seen.one('uid')).toBe('0');
    expect(seen.one('dirmode')).toBe('700 0');
    expect(seen.files).toEqual([
      'install.args 600 0',
      'install.env 600 0',
      expect.stringMatching(/^install\.sh \d+ 0$/),
    ]);
    // The install got exactly the planned environment and arguments.
    expect(seen.one('K3S_TOKEN')).toBe(ENV_TOKEN);
    expect(seen.one('K3S_DATASTORE_ENDPOINT')).toBe(ENV_DSN);
    expect(seen.one('INSTALL_K3S_VERSION')).toBe('v1.32.5+k3s1');
    expect(seen.args).toEqual(['server', '--token', FLAG_TOKEN, '--node-label', 'tier=control']);
    // sudo's command line (what its log keeps) is in ps while the script runs, without a secret.
    const sudo = seen.ps.filter((l) => l.startsWith('sudo ') && l.includes(`${dir}/install.env`));
    expect(sudo).toHaveLength(1);
    for (const secret of [ENV_TOKEN, ENV_DSN, FLAG_TOKEN]) expect(sudo[0]).not.toContain(secret);
    expect(seen.ps.filter((l) => l.includes(ENV_TOKEN) || l.includes(ENV_DSN))).toEqual([]);
    // The flags are the install script's own arguments (as get.k3s.io takes them, and as k3s runs with them).
    expect(
      seen.ps.filter((l) => l.includes(FLAG_TOKEN)).every((l) => l.startsWith(`sh ${dir}/install.sh server `)),
    ).toBe(true);
    const words = rec.commandLineWords();
    for (const secret of [ENV_TOKEN, ENV_DSN, FLAG_TOKEN]) expect(words.filter((w) => w.includes(secret))).toEqual([]);
    expect(rec.calls.filter((c) => !c.opts.become && !/systemctl|journalctl/.test(String(c.cmd)))).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(words.filter((w) => w.includes('/tmp/herdbook-k3s-install.sh'))).toEqual([]);
    expect(expectCleanedUp(rec)).toBe(dir);
  });

  it('install_script_url may be a path on the node (air-gapped)', async () => {
    const out = recordPath();
    const r = await runModule(
      k3sVersion,
      { version: 'v1.32.5+k3s1', install_script_url: recorder, install_env: { HB_RECORD: out }, wait: false },
      { connection: f.conn('rec'), host: 'rec', nodeName: 'rec' },
    );
    expect(r.status, r.msg).toBe('changed');
    expect(readRecord(out).one('INSTALL_K3S_VERSION')).toBe('v1.32.5+k3s1');
  });

  it('removes the directory when the install script fails', async () => {
    const rec = recordingConnection(f.conn('rec'));
    const out = recordPath();
    const r = await runModule(
      k3sVersion,
      { version: 'v1.32.5+k3s1', install_script: recorder, install_env: { HB_RECORD: out, HB_FAIL: '1' }, wait: false },
      { connection: rec.conn, host: 'rec', nodeName: 'rec' },
    );
    expect(r.status).toBe('failed');
    expect(r.msg).toContain(
      'upgrade v1.31.4+k3s1 → v1.32.5+k3s1 (server, pinned version): the install script failed (exit 3)',
    );
    expect(existsSync(readRecord(out).one('dir')!)).toBe(false);
    expect(expectCleanedUp(rec)).toBe(readRecord(out).one('dir'));
  });

  it('a missing local script fails before anything runs, and leaves no directory', async () => {
    const rec = recordingConnection(f.conn('rec'));
    const r = await runModule(
      k3sVersion,
      { version: 'v1.32.5+k3s1', install_script: path.join(work, 'nope.sh'), wait: false },
      { connection: rec.conn, host: 'rec', nodeName: 'rec' },
    );
    expect(r.status).toBe('failed');
    expect(r.msg).toContain(`cannot copy the install script ${path.join(work, 'nope.sh')} on rec (exit 1)`);
    expectCleanedUp(rec);
  });
});

describe('k3s_version and the Kubernetes API: none, or a kubeconfig that does not exist', () => {
  const on = (kube?: () => Promise<KubeClient>): HarnessOptions => ({
    connection: f.conn('rec'),
    host: 'rec',
    nodeName: 'rec',
    kube,
  });
  const broken = () =>
    createKubeFactory({
      connection: () => Promise.reject(new Error('unused')),
      settings: (h) => ({ kind: 'ssh', host: h }),
    })({ kubeconfig: path.join(work, 'missing-kubeconfig') });

  it('no API configured: the skew guard falls back to servers: and the plan stands', async () => {
    const r = await runModule(k3sVersion, { version: 'v1.32.5+k3s1' }, on(), { check: true });
    expect(r.status, r.msg).toBe('changed');
    expect(r.msg).toBe('would upgrade v1.31.4+k3s1 → v1.32.5+k3s1 (server, pinned version)');
  });

  it('a configured kubeconfig that does not exist fails the task instead of skipping the guard', async () => {
    const r = await runModule(k3sVersion, { version: 'v1.32.5+k3s1' }, on(broken), { check: true });
    expect(r.status).toBe('failed');
    expect(r.msg).toBe(`kubeconfig ${path.join(work, 'missing-kubeconfig')} does not exist`);
  });

  it('a downgrade (no skew read) with wait and a broken API fails before installing', async () => {
    const out = recordPath();
    const r = await runModule(
      k3sVersion,
      { version: 'v1.30.6+k3s1', allow_downgrade: true, install_script: recorder, install_env: { HB_RECORD: out } },
      on(broken),
    );
    expect(r.status).toBe('failed');
    expect(r.msg).toBe(`kubeconfig ${path.join(work, 'missing-kubeconfig')} does not exist`);
    expect(existsSync(out)).toBe(false);
  });
});

// Users the API refuses: `nobody` may do nothing, `lister` may list nodes but not get one. The
// install is the recorder, which leaves rec as it was: each backend's suite uses the file's rec.
describeBackends(
  'k3s_version and the Kubernetes API',
  {
    scenario: { nodes: [{ name: 'rec', role: 'server' }] },
    users: [
      {
        name: 'lister',
        token: 'lister-token-0123456789',
        role: { rules: [{ verbs: ['list'], resources: ['nodes'] }] },
      },
      { name: 'nobody', token: 'nobody-token-0123456789', role: { rules: [] } },
    ],
  },
  (b) => {
    const on = (user: string): HarnessOptions => ({
      connection: f.conn('rec'),
      host: 'rec',
      nodeName: 'rec',
      kube: () => b().kubeFor(user),
    });

    it("an API that answers 403 fails the task with the API's words, nothing installed", async () => {
      const out = recordPath();
      const r = await runModule(
        k3sVersion,
        { version: 'v1.32.5+k3s1', install_script: recorder, install_env: { HB_RECORD: out } },
        on('nobody'),
      );
      expect(r.status).toBe('failed');
      expect(r.msg).toBe(
        'listing nodes for the version-skew guard: Forbidden: nodes is forbidden: User "nobody" cannot list resource "nodes" in API group "" at the cluster scope',
      );
      expect(existsSync(out)).toBe(false);
    });

    it('after an install, a Ready wait the API refuses fails the task (not skipped)', async () => {
      const out = recordPath();
      const r = await runModule(
        k3sVersion,
        { version: 'v1.32.5+k3s1', install_script: recorder, install_env: { HB_RECORD: out }, wait_timeout: 30 },
        on('lister'),
      );
      expect(existsSync(out)).toBe(true);
      expect(r.status).toBe('failed');
      expect(r.msg).toBe(
        'upgrade v1.31.4+k3s1 → v1.32.5+k3s1 (server, pinned version): cannot wait for node/rec to be Ready: reading node/rec: Forbidden: nodes "rec" is forbidden: User "lister" cannot get resource "nodes" in API group "" at the cluster scope. The node did not come back; fix it before going on (the rollout stops here)',
      );
      expect(r.data).toMatchObject({ done: [], stopped_at: 'v1.32.5+k3s1' });
    });
  },
);

describe("a node's credentials never reach the output", () => {
  it('--token, --datastore-endpoint and K3S_DATASTORE_ENDPOINT: not in NDJSON, plain output or JUnit of a --check run', async () => {
    const dir = mkdtempSync(path.join(work, 'cli-'));
    const node = f.fleet.node('ext');
    writeFileSync(
      path.join(dir, 'inventory.yaml'),
      stringify({ all: { hosts: { ext: { ...node.vars, known_hosts_file: node.settings.knownHostsFile } } } }),
    );
    writeFileSync(
      path.join(dir, 'play.yaml'),
      stringify([
        {
          name: 'credentials',
          hosts: 'ext',
          become: true,
          tasks: [
            { name: 'Facts', k3s_facts: null, register: 'facts' },
            { name: 'Show them', debug: { var: 'facts' } },
            { name: 'Show the flags', debug: { msg: '{{k3s.args}} {{k3s.env.K3S_DATASTORE_ENDPOINT}}' } },
            { name: 'Upgrade', k3s_version: { version: 'v1.32.5+k3s1' }, register: 'up' },
            { name: 'Show the upgrade', debug: { var: 'up' } },
          ],
        },
      ]),
    );
    // No kubeconfig anywhere: the skew guard's fallback, as on a controller without one.
    const env = { KUBECONFIG: undefined, HOME: dir };
    const junit = path.join(dir, 'junit.xml');
    const json = await herdbook(
      [
        'run',
        path.join(dir, 'play.yaml'),
        '-i',
        path.join(dir, 'inventory.yaml'),
        '--check',
        '--diff',
        '-v',
        '--output',
        'json',
        '--junit',
        junit,
      ],
      { cwd: dir, env },
    );
    expect(json.code, json.stderr + json.stdout).toBe(0);
    const result = (task: string) =>
      json.events.find((e) => e.type === 'task_result' && e.task === task) as Extract<
        RunEvent,
        { type: 'task_result' }
      >;
    expect(result('Upgrade').status).toBe('changed');
    // The values are there, masked: the test looks where they would be.
    expect(result('Show the flags').msg).toBe('["--token","********","--datastore-endpoint","********"] ********');
    expect(result('Show the upgrade').msg).toContain(
      'carried_flags:\n  - --token\n  - "********"\n  - --datastore-endpoint\n  - "********"',
    );
    expect(result('Show the upgrade').msg).toContain('K3S_DATASTORE_ENDPOINT: "********"');
    const plain = await herdbook(
      ['run', path.join(dir, 'play.yaml'), '-i', path.join(dir, 'inventory.yaml'), '--check', '--diff', '-v'],
      { cwd: dir, env },
    );
    expect(plain.code, plain.stderr + plain.stdout).toBe(0);
    expect(plain.stdout).toContain('********');
    for (const text of [json.stdout, json.stderr, plain.stdout, plain.stderr, readFileSync(junit, 'utf8')]) {
      // Whole secrets, distinctive enough that no temp path holds them by chance (a random
      // mkdtemp suffix once held "pw").
      for (const secret of ['abc123', 'dsn-pass-4e1b', 'env-dsn-pass-7c09']) expect(text).not.toContain(secret);
    }
  });
});
