// Issue 22's proof: a k3s repository in the style of the public ones (test/fixtures/convert/
// k3s-repo: roles prereq, server, agent, upgrade; an HA inventory with api_endpoint in Jinja; {% if %}
// in set_fact; a config template) runs on the sandbox with ansible-playbook as written, then, on the
// same nodes put back as they were, `herdbook convert`'s output runs with herdbook: the same status
// for every host and task, the same recap, and the same machines after (every file on the nodes,
// the fake k3s's start records, the etcd member list, the Nodes in the API). herdbook's --check
// before its run writes nothing and names what the run changes; a second run changes only what the
// repository says always changes.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Declared } from '../../conformance/harness/case.js';
import { readmeDifferences } from '../../conformance/harness/case.js';
import { compare, describeDifferences } from '../../conformance/harness/compare.js';
import type { Outcome } from '../../conformance/harness/outcome.js';
import { ansibleUnavailable, runAnsible, type RunInput } from '../../conformance/harness/run-ansible.js';
import { runHerdbook } from '../../conformance/harness/run-herdbook.js';
import { parseEvents, ROOT } from '../helpers.js';
import { describeSandboxes } from './backends.js';
import { captureState, resetNodes, takeBaseline, type Baseline } from './k3s-repo/node-state.js';
import { convertRepo, originalFor } from './k3s-repo/repo.js';
import type { Sandbox } from './sandbox.js';

/** The fake systemd's log of one node: `<time> <verb> <unit> <result>` per action. */
const systemdLog = (...lines: string[]) => ({
  type: 'file',
  mode: '0644',
  owner: 'root:root',
  content: lines.map((l) => `<time> ${l}\n`).join(''),
});

/** What herdbook does differently on purpose here, each with its line of README's "What differs from Ansible". */
const DECLARED: Declared[] = [
  // `daemon_reload: true` where the unit is loaded and unchanged: the agent's "Enable and check
  // K3s service", the server's handler "Restart k3s". The units end loaded and running alike.
  {
    what: 'file',
    field: 'a-1:/run/fake-systemd/log',
    ansible: systemdLog(
      'enable k3s-agent.service ok',
      'daemon-reload - ok',
      'restart k3s-agent.service ok',
      'daemon-reload - ok',
    ),
    herdbook: systemdLog('enable k3s-agent.service ok', 'daemon-reload - ok', 'restart k3s-agent.service ok'),
    readme: "systemd's `daemon_reload: true` runs `systemctl daemon-reload` only when systemd says the unit needs it",
  },
  {
    what: 'file',
    field: 's-1:/run/fake-systemd/log',
    ansible: systemdLog(
      'enable k3s.service ok',
      'daemon-reload - ok',
      'restart k3s.service ok',
      'daemon-reload - ok',
      'restart k3s.service ok',
    ),
    herdbook: systemdLog(
      'enable k3s.service ok',
      'daemon-reload - ok',
      'restart k3s.service ok',
      'restart k3s.service ok',
    ),
    readme: "systemd's `daemon_reload: true` runs `systemctl daemon-reload` only when systemd says the unit needs it",
  },
];

/**
 * What the repository changes on every run, in either tool: the tasks it marks `changed_when: true`
 * (k3s's install script and kubectl run each time, as in k3s-ansible), and the copy of k3s.yaml over
 * the kubeconfig that its next task rewrites (set-cluster), so the copy differs again next time.
 */
const ALWAYS_CHANGED = [
  'Install K3s on the first server',
  'Copy config file to user home directory',
  'Change server address in kubeconfig on the first server',
  'Install K3s agent',
];

const missing =
  ansibleUnavailable() ??
  (existsSync('/usr/bin/kubectl') ? undefined : 'no kubectl (apt-get install kubernetes-client)');

/** `host | task | change` of each change --check says depends on an earlier task (check-note.ts). */
const pendingLines = (o: Outcome): string[] =>
  parseEvents(o.raw).flatMap((e) =>
    e.type === 'task_result'
      ? (e.changes ?? [])
          .filter((c) => c.includes('yet: a real run fails unless'))
          .map((c) => `${e.host} | ${e.task} | ${c}`)
      : [],
  );

/** `a-1 | play | task #1` → `a-1 | task`. */
const hostTask = (key: string) => {
  const [host, , task] = key.split(' | ');
  return `${host} | ${task.replace(/ #\d+$/, '')}`;
};

const changedTasks = (o: Outcome): string[] =>
  [...o.hosts].flatMap(([host, list]) => list.filter((t) => t.status === 'changed').map((t) => `${host} | ${t.key}`));

function body(sandbox: () => Sandbox): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hb-k3s-repo-'));
  let original = '';
  let converted = '';
  let summary = '';
  let baseline: Baseline;
  let n = 0;
  const input = (repo: string, flags: string[] = []): RunInput => {
    const root = path.join(dir, `run-${++n}`);
    // Each run's own folder: marks, temp files, its CPU time; `out` stays empty (the nodes are compared).
    mkdirSync(path.join(root, 'out'), { recursive: true });
    return {
      root,
      playbook: path.join(repo, 'site.yml'),
      inventories: [path.join(repo, 'inventory/hosts.yml')],
      flags,
      out: path.join(root, 'out'),
      normalize: (s) => s,
      world: {
        fleet: {
          ports: sandbox().state.nodes.map((x) => x.port),
          key: '',
          knownHosts: path.join(sandbox().state.stateDir, 'fleet', 'known_hosts'),
          becomePassword: '',
          becomeUser: '',
        },
      },
      timeoutMs: 240_000,
    };
  };

  beforeAll(async () => {
    const sb = sandbox();
    original = originalFor(sb, dir);
    ({ summary, repo: converted } = await convertRepo(original, dir));
    // A booted machine has its kernel settings and systemd's state: the fakes make theirs at the
    // first read, which would count as --check's write.
    for (const node of sb.state.nodes)
      expect(
        (await sb.sh(node.name, ['sh', '-c', 'sysctl -n vm.swappiness && systemctl list-units >/dev/null'])).rc,
      ).toBe(0);
    baseline = takeBaseline(sb, path.join(dir, 'baseline'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('converts with nothing left', () => {
    expect(summary).toMatch(/^99 of 99 constructs converted, 0 left, /);
  });

  it('ansible-playbook on the original and herdbook on the conversion: same statuses, same machines', async () => {
    const sb = sandbox();
    const started = Date.now();
    const a = await runAnsible(input(original));
    expect(a.code, a.stderr + a.raw.slice(-3000)).toBe(0);
    const byAnsible = await captureState(sb);
    await resetNodes(sb, baseline);

    // --check first: nothing written, on the nodes or in the API.
    const before = await captureState(sb);
    await sb.clearRequests();
    const check = await runHerdbook(input(converted, ['--check']));
    expect(check.code, check.stderr + check.raw.slice(-3000)).toBe(0);
    expect(await captureState(sb)).toEqual(before);
    expect(await sb.mutations()).toEqual([]);

    const h = await runHerdbook(input(converted));
    expect(h.code, h.stderr + h.raw.slice(-3000)).toBe(0);
    const byHerdbook = await captureState(sb);
    const c = compare(
      { registered: {}, differences: DECLARED },
      { ...a, files: byAnsible },
      { ...h, files: byHerdbook },
      readmeDifferences(readFileSync(path.join(ROOT, 'README.md'), 'utf8')),
    );
    expect(describeDifferences(c.unexpected)).toBe('');
    expect(c.stale).toEqual([]);
    // Every change the run made, --check named (a command it cannot predict is `unknown` there);
    // a change it named that the run did not make waits on such a command, and says so.
    const predicted = new Map<string, string>(
      [...check.hosts].flatMap(([host, list]) => list.map((t) => [`${host} | ${t.key}`, t.status] as const)),
    );
    expect(changedTasks(h).filter((k) => !['changed', 'unknown'].includes(predicted.get(k) ?? ''))).toEqual([]);
    const notMade = [...predicted.keys()].filter((k) => predicted.get(k) === 'changed' && !changedTasks(h).includes(k));
    const waits = pendingLines(check);
    expect(notMade.filter((k) => !waits.some((l) => l.startsWith(`${hostTask(k)} | `)))).toEqual([]);
    // The agent's unit: the install script (a command --check does not run) makes and starts it.
    expect(notMade).toEqual(['a-1 | Setup K3S agent | Enable and check K3s service #1']);

    const again = await runHerdbook(input(converted));
    expect(again.code, again.stderr).toBe(0);
    expect(changedTasks(again).filter((k) => !ALWAYS_CHANGED.some((t) => k.endsWith(` | ${t} #1`)))).toEqual([]);
    console.log(`k3s repository: ${c.pairs} pairs, ${c.equalPairs} equal; ${Date.now() - started} ms`);
  });
}

if (missing && process.env.HERDBOOK_REQUIRE_ANSIBLE !== '1')
  describe.skip(`a k3s repository, converted (${missing})`, () => undefined);
else
  describeSandboxes(
    'a k3s repository: ansible-playbook on the original, herdbook on its conversion',
    ['--servers', '1', '--agents', '1', '--no-k3s'],
    (sandbox) => body(sandbox),
    // The question is the translation, not the API server: the repository reads the API only
    // through `k3s kubectl get nodes`, which kube-sim answers as a real one does (its replay
    // test holds it to recorded exchanges); a real control plane would add minutes of CI for nothing.
    ['kube-sim'],
  );
