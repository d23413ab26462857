import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { etcdSnapshot } from '../../modules/k3s/etcd_snapshot.js';
import { execStartWords, k3sSecrets, maskArgs, maskEnv, parseK3sProbe } from '../../modules/k3s/facts.js';
import { skewReport, type SkewNode } from '../../modules/k3s/skew.js';
import { parseSnapshotJson, parseSnapshotTable } from '../../modules/k3s/snapshots.js';
import { argsFileText, envFileText, INSTALL_RUNNER } from '../../modules/k3s/version/apply.js';
import { k3sVersion } from '../../modules/k3s/version/index.js';
import { minorWalk } from '../../modules/k3s/version/plan.js';
import { pctExec } from '../../modules/proxmox/pct_exec.js';
import { planFixtures } from '../helpers/plan-fixtures.js';

planFixtures(k3sVersion, path.join(import.meta.dirname, 'k3s_version'));
planFixtures(etcdSnapshot, path.join(import.meta.dirname, 'etcd_snapshot'));
planFixtures(pctExec, path.join(import.meta.dirname, 'pct_exec'));

// Captured from a node after get.k3s.io installed an agent with --node-label (unit abridged).
const PROBE = `=== version
k3s version v1.29.10+k3s1 (ae4df311)
go version go1.22.8
=== unit k3s
=== env k3s
=== active k3s
inactive
=== unit k3s-agent
[Service]
Type=notify
EnvironmentFile=-/etc/systemd/system/k3s-agent.service.env
ExecStartPre=-/sbin/modprobe br_netfilter
ExecStart=/usr/local/bin/k3s \\
    agent \\
\t'--node-label' \\
\t'tier=edge it'"'"'s' \\

=== env k3s-agent
K3S_TOKEN='K10abc::server:xyz'
K3S_URL='https://10.0.0.1:6443'
=== active k3s-agent
active
=== config
=== datastore
=== end
`;

describe('k3s facts parser (captured output)', () => {
  it('reads version, role, the unit flags word for word, and the env', () => {
    expect(parseK3sProbe(PROBE)).toEqual({
      installed: true,
      version: 'v1.29.10+k3s1',
      role: 'agent',
      service: 'k3s-agent',
      active: true,
      args: ['--node-label', "tier=edge it's"],
      env: { K3S_TOKEN: 'K10abc::server:xyz', K3S_URL: 'https://10.0.0.1:6443' },
      config_yaml: false,
      datastore: 'none',
    });
  });

  it("reads a server's etcd member name (server/db/etcd/name), absent when it has none", () => {
    const probe = (member: string) =>
      `=== version\nk3s version v1.31.4+k3s1 (abc)\n=== unit k3s\n[Service]\nExecStart=/usr/local/bin/k3s server\n=== active k3s\nactive\n=== datastore\netcd\n=== etcd member\n${member}\n=== end\n`;
    expect(parseK3sProbe(probe('s-2-0a1b2c3d')).etcd_member).toBe('s-2-0a1b2c3d');
    expect(parseK3sProbe(probe('')).etcd_member).toBeUndefined();
    expect(parseK3sProbe(probe('')).datastore).toBe('etcd');
  });

  it('reports nothing installed on an empty node', () => {
    expect(parseK3sProbe('=== version\n=== unit k3s\n=== datastore\n=== end\n')).toMatchObject({
      installed: false,
      args: [],
      datastore: 'none',
    });
  });

  it('reports an external datastore from the flag, the env or config.yaml, whatever is on disk', () => {
    const probe = (unit: string, env: string, config: string) =>
      `=== version\nk3s version v1.31.4+k3s1 (abc)\n=== unit k3s\n${unit}\n=== env k3s\n${env}\n=== active k3s\nactive\n=== config\n${config}\n=== datastore\nsqlite\n=== end\n`;
    const unit = (flags: string) => `[Service]\nExecStart=/usr/local/bin/k3s server ${flags}\n`;
    expect(parseK3sProbe(probe(unit("'--datastore-endpoint=postgres://a:b@db/k3s'"), '', '')).datastore).toBe(
      'external',
    );
    expect(parseK3sProbe(probe(unit(''), "K3S_DATASTORE_ENDPOINT='mysql://u:p@tcp(db:3306)/k3s'", '')).datastore).toBe(
      'external',
    );
    expect(parseK3sProbe(probe(unit(''), '', 'datastore-endpoint: postgres://db/k3s')).datastore).toBe('external');
    expect(parseK3sProbe(probe(unit(''), '', 'node-label: [a=b]')).datastore).toBe('sqlite');
  });

  it('splits ExecStart continuation lines into words', () => {
    expect(
      execStartWords("[Service]\nExecStart=/usr/local/bin/k3s \\\n    server \\\n\t'--disable' \\\n\t'traefik' \\\n\n"),
    ).toEqual(['/usr/local/bin/k3s', 'server', '--disable', 'traefik']);
  });
});

describe('k3s credentials', () => {
  const args = [
    '--token',
    'abc123',
    '--datastore-endpoint',
    'postgres://u:p@ss w0rd@h:5432/db',
    '-t=short-tok',
    '--agent-token=agent-tok',
    '--node-label',
    'tier=edge',
    '--token',
  ];
  it('masks the value of --token, -t, --agent-token, --datastore-endpoint in both spellings, and nothing else', () => {
    expect(maskArgs(args)).toEqual([
      '--token',
      '********',
      '--datastore-endpoint',
      '********',
      '-t=********',
      '--agent-token=********',
      '--node-label',
      'tier=edge',
      '--token',
    ]);
  });
  it('masks datastore DSNs and tokens in the env', () => {
    expect(
      maskEnv({
        K3S_DATASTORE_ENDPOINT: 'mysql://u:pw@tcp(h:3306)/k3s',
        K3S_AGENT_TOKEN: 'x',
        K3S_URL: 'https://s:6443',
        K3S_NODE_NAME: 'n',
      }),
    ).toEqual({
      K3S_DATASTORE_ENDPOINT: '********',
      K3S_AGENT_TOKEN: '********',
      K3S_URL: 'https://s:6443',
      K3S_NODE_NAME: 'n',
    });
  });
  it('lists every secret to register, with the password inside a DSN on its own', () => {
    expect(
      k3sSecrets({ K3S_DATASTORE_ENDPOINT: 'mysql://u:secretpw@tcp(h:3306)/k3s', K3S_URL: 'https://s:6443' }, args),
    ).toEqual([
      'mysql://u:secretpw@tcp(h:3306)/k3s',
      'secretpw',
      'abc123',
      'postgres://u:p@ss w0rd@h:5432/db',
      'p@ss w0rd',
      'short-tok',
      'agent-tok',
    ]);
  });
});

describe('the install runner', () => {
  it('gives the script exactly the env and args written to its files, whatever they hold', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hb-runner-'));
    try {
      const env = {
        K3S_TOKEN: 'K10a\'b"c$(touch x)`y` z',
        K3S_DATASTORE_ENDPOINT: 'postgres://u:pw@h/db?x=1&y=2',
        MULTI: 'line1\nline2',
        EMPTY: '',
      };
      const argv = ['agent', '--node-label', "tier=edge it's", '--token', 'a b;c', '$HOME', '-x'];
      writeFileSync(path.join(dir, 'env'), envFileText(env));
      writeFileSync(path.join(dir, 'args'), argsFileText(argv));
      writeFileSync(
        path.join(dir, 's.sh'),
        'printf "%s\\0" "$K3S_TOKEN" "$K3S_DATASTORE_ENDPOINT" "$MULTI" "${EMPTY-unset}" "$@"',
      );
      const out = execFileSync(
        'sh',
        ['-c', INSTALL_RUNNER, 'sh', path.join(dir, 'env'), path.join(dir, 's.sh'), path.join(dir, 'args')],
        { cwd: dir, encoding: 'utf8' },
      );
      expect(out.split('\0').slice(0, -1)).toEqual([env.K3S_TOKEN, env.K3S_DATASTORE_ENDPOINT, env.MULTI, '', ...argv]);
      expect(existsSync(path.join(dir, 'x'))).toBe(false);
      expect(argsFileText([])).toBe('set --\n');
      expect(() => envFileText({ 'A B': 'x' })).toThrow('invalid environment variable name "A B"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('snapshot listings', () => {
  it('reads the JSON list and the older table', () => {
    expect(
      parseSnapshotJson(
        '{"kind":"List","items":[{"spec":{"snapshotName":"a-n-1","location":"file:///d/a-n-1"},"status":{"size":"42","creationTime":"2026-01-07T10:00:00Z"}}]}',
      ),
    ).toEqual([{ name: 'a-n-1', location: 'file:///d/a-n-1', size: 42, created: '2026-01-07T10:00:00Z' }]);
    expect(parseSnapshotJson('{"kind":"List","items":null}')).toEqual([]);
    expect(
      parseSnapshotTable(
        'Name      Location               Size Created\non-demand-n-1 file:///d/on-demand-n-1 12 2026-01-07T10:00:00Z\n',
      ),
    ).toEqual([
      { name: 'on-demand-n-1', location: 'file:///d/on-demand-n-1', size: 12, created: '2026-01-07T10:00:00Z' },
    ]);
  });
});

describe('version skew policy', () => {
  const s = (name: string, version: string): SkewNode => ({ name, role: 'server', version });
  const a = (name: string, version: string): SkewNode => ({ name, role: 'agent', version });
  const table: [string, SkewNode[], boolean, string[]][] = [
    ['all equal', [s('s1', 'v1.31.4+k3s1'), a('w1', 'v1.31.4+k3s1')], true, []],
    ['agents older by 3 minors are allowed', [s('s1', 'v1.31.4+k3s1'), a('w1', 'v1.28.15+k3s1')], true, []],
    [
      'agents older by 4 minors are not',
      [s('s1', 'v1.32.5+k3s1'), a('w1', 'v1.28.15+k3s1')],
      false,
      ['w1 (agent) runs v1.28.15+k3s1, 4 minors older than s1 (v1.32.5+k3s1): kubelets may be at most 3 minors older'],
    ],
    ['an agent a patch ahead is fine', [s('s1', 'v1.31.2+k3s1'), a('w1', 'v1.31.4+k3s1')], true, []],
    [
      'an agent a minor ahead is not',
      [s('s1', 'v1.31.4+k3s1'), a('w1', 'v1.32.5+k3s1')],
      false,
      [
        'w1 (agent) runs v1.32.5+k3s1, 1 minor newer than the oldest server s1 (v1.31.4+k3s1): a kubelet must never be newer than the API server',
      ],
    ],
    [
      'servers two minors apart',
      [s('s1', 'v1.30.6+k3s1'), s('s2', 'v1.32.5+k3s1')],
      false,
      [
        'servers are more than one minor apart: s1 runs v1.30.6+k3s1, s2 runs v1.32.5+k3s1 (kube-apiservers must be within one minor of each other)',
      ],
    ],
    [
      'servers one minor apart during a rolling upgrade',
      [s('s1', 'v1.31.4+k3s1'), s('s2', 'v1.32.5+k3s1'), a('w1', 'v1.31.4+k3s1')],
      true,
      [],
    ],
  ];
  it.each(table)('%s', (_n, nodes, ok, violations) => {
    const r = skewReport(nodes);
    expect(r.ok).toBe(ok);
    expect(r.violations).toEqual(violations);
  });

  it('gives the safe order: servers first, one minor at a time, then agents', () => {
    expect(skewReport([s('s1', 'v1.30.6+k3s1'), a('w1', 'v1.31.4+k3s1'), a('w2', 'v1.30.6+k3s1')]).safe_order).toEqual([
      'upgrade server s1 from v1.30.6+k3s1 to v1.31.4+k3s1',
      'servers first, one at a time; then the agents',
      'upgrade agent w2 from v1.30.6+k3s1 to v1.31.4+k3s1 (drain, upgrade, wait Ready, uncordon)',
    ]);
  });

  it('walks each minor between two versions', () => {
    expect(
      minorWalk('v1.28.15+k3s1', 'v1.32.5+k3s1', {
        'v1.29': 'v1.29.10+k3s1',
        'v1.30': 'v1.30.6+k3s1',
        'v1.31': 'v1.31.4+k3s1',
      }),
    ).toEqual(['v1.29.10+k3s1', 'v1.30.6+k3s1', 'v1.31.4+k3s1', 'v1.32.5+k3s1']);
  });
});
