// worker-prereqs.yaml (issue 17 §4) on the sandbox's agents: NFS and iSCSI packages from a
// loopback repository of tiny packages into each node's own dpkg database, iscsid enabled
// through the fleet's systemctl, the /dev/kmsg drop-in. --check writes nothing and lists exactly
// what the run then changes; the second run changes nothing; this machine's dpkg status is untouched.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAptDatabase } from '../../../sandbox/fleet/apt-db.js';
import { startAptRepo, type AptRepo } from '../../../sandbox/fleet/apt-repo.js';
import { fleetPaths, NODE_OVERLAYS, nodeOverlay, readFakeUnitState } from '../../../sandbox/fleet/index.js';
import { TINY_PACKAGES } from '../../helpers/apt-node.js';
import { herdbook, ROOT, type Run } from '../helpers.js';
import { describeSandboxes } from './backends.js';
import { changeLines, recap, results } from './sandbox.js';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A tools archive served on loopback, as a release page serves one: the download role's source. */
async function serveArchive(dir: string): Promise<{ url: string; sum: string; close(): Promise<void> }> {
  const src = path.join(dir, 'tools');
  mkdirSync(path.join(src, 'k3s-tools'), { recursive: true });
  writeFileSync(path.join(src, 'k3s-tools', 'kubectl-node-shell'), '#!/bin/sh\necho node-shell\n', { mode: 0o755 });
  execFileSync('tar', ['-czf', path.join(dir, 'tools.tar.gz'), '-C', src, 'k3s-tools']);
  const body = readFileSync(path.join(dir, 'tools.tar.gz'));
  const server: Server = createServer((req, res) => {
    if (req.url !== '/k3s-tools.tar.gz') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/k3s-tools.tar.gz`,
    sum: sha256(body),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describeSandboxes(
  'worker-prereqs.yaml (issue 17 §4)',
  [],
  (sandbox) => {
    const machine = sha('/var/lib/dpkg/status');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hb-e2e-apt-'));
    let repo: AptRepo | undefined;
    const fleetDir = () => path.join(sandbox().state.stateDir, 'fleet');
    const agents = () => sandbox().state.nodes.filter((n) => n.role === 'agent');

    beforeAll(async () => {
      repo = await startAptRepo(dir, [...TINY_PACKAGES, { name: 'hb-node-tools', version: '0.3.1-1' }]);
      for (const n of agents()) {
        await seedAptDatabase(fleetDir(), n.name, repo.source);
        // A node in use has package lists: the playbook's cache_valid_time (an hour) keeps them.
        expect((await sandbox().sh(n.name, ['apt-get', '-qq', 'update'])).rc).toBe(0);
      }
    });
    afterAll(async () => {
      await repo?.close();
      rmSync(dir, { recursive: true, force: true });
      expect(sha('/var/lib/dpkg/status')).toBe(machine);
    });

    describe('packages by OS family, iscsid, the /dev/kmsg drop-in', () => {
      it('--check lists the packages and writes nothing; the run does exactly that; the second run changes nothing', async () => {
        const sb = sandbox();
        const status = (n: string) => sha(path.join(fleetDir(), 'nodes', n, 'var/lib/dpkg/status'));
        const before = agents().map((n) => status(n.name));
        await sb.clearRequests();
        const check = await sb.run('worker-prereqs.yaml', '--check');
        expect(check.code, JSON.stringify(recap(check))).toBe(0);
        expect(await sb.mutations()).toEqual([]);
        expect(agents().map((n) => status(n.name))).toEqual(before);
        const lines = changeLines(check);
        for (const n of agents()) {
          expect(lines).toContain(`${n.name} | NFS and iSCSI packages (Debian family) | install nfs-common 1:2.6.2-4`);
          expect(lines).toContain(`${n.name} | NFS and iSCSI packages (Debian family) | install open-iscsi 2.1.8-1`);
          expect(lines).toContain(
            `${n.name} | NFS and iSCSI packages (Debian family) | install libnfsidmap1 1:2.6.2-4 (apt: a dependency)`,
          );
          expect(existsSync(path.join(fleetDir(), 'nodes', n.name, 'etc/systemd/system/iscsid.service'))).toBe(false);
        }

        const r = await sb.run('worker-prereqs.yaml');
        expect(r.code, JSON.stringify(recap(r))).toBe(0);
        // The one thing check mode cannot know is the unit file a package will ship: systemd's
        // check-mode line says so in its parenthesis, the change (enable, start) is the same.
        const bare = (l: string) => (l.includes('| iscsid enabled and running |') ? l.replace(/ \(.*\)$/, '') : l);
        expect(lines.filter((l) => l.includes('iscsid.service is not on the host yet'))).toHaveLength(agents().length);
        expect(changeLines(r).map(bare).sort()).toEqual(lines.map(bare).sort());
        for (const n of agents()) {
          expect(readFileSync(path.join(fleetDir(), 'nodes', n.name, 'var/lib/dpkg/status'), 'utf8')).toMatch(
            /^Package: open-iscsi\nStatus: install ok installed$/m,
          );
          expect(await readFakeUnitState(fleetDir(), n.name, 'iscsid.service')).toEqual({
            activeState: 'active',
            subState: 'running',
          });
        }

        const again = await sb.run('worker-prereqs.yaml');
        expect(again.code, JSON.stringify(recap(again))).toBe(0);
        expect(changeLines(again)).toEqual([]);
      });
    });

    // Issue 21's proof: a site playbook in the style of the public k3s repositories (roles
    // prereq, node_user, download) on the same agents, after worker-prereqs.
    describe('a k3s-repository-style site: prerequisites, a node user, a download', () => {
      const site = path.join(ROOT, 'test/fixtures/node-roles/site.yaml');
      let archive: Awaited<ReturnType<typeof serveArchive>> | undefined;
      beforeAll(async () => {
        archive = await serveArchive(dir);
      });
      afterAll(() => archive?.close());
      const run = (...args: string[]) => {
        const sb = sandbox();
        const key = readFileSync(`${fleetPaths(fleetDir()).clientKey}.pub`, 'utf8').trim();
        return herdbook(
          ['run', site, '-i', sb.state.inventory, '--output', 'json', '-e', `tools_url=${archive!.url}`]
            .concat(['-e', `tools_sha256=${archive!.sum}`, '-e', JSON.stringify({ node_user_key: key })])
            .concat(args),
          { timeoutMs: 240_000 },
        );
      };
      const failures = (r: Run) =>
        JSON.stringify(
          results(r)
            .filter((e) => e.status === 'failed')
            .map((e) => [e.host, e.task, e.msg]),
        );
      const onNode = (n: string, p: string) => path.join(fleetDir(), 'nodes', n, p);
      /** A node's write under /etc or /home: the upper directory of its overlay (absent: never written). */
      const inOverlay = (n: string, p: string) => {
        const top = NODE_OVERLAYS.find((o) => p.startsWith(`${o}/`))!;
        return path.join(nodeOverlay(fleetDir(), n, top).upper, p.slice(top.length));
      };

      it('--check predicts exactly what the run changes and writes nothing; the second run changes nothing', async () => {
        const machinePasswd = sha('/etc/passwd');
        const check = await run('--check');
        expect(check.code, failures(check) + check.stderr).toBe(0);
        const predicted = changeLines(check);
        for (const n of agents()) {
          for (const task of [
            'Install the packages k3s nodes need',
            'Load the kernel modules k3s needs, now and at boot',
            'Kernel settings for the kubelet',
            "The operators' group",
            "The operators' user",
            "The operators' key",
            'The download directory',
            'Download the tools archive',
            'Unpack the tools next to k3s',
            // Where this machine has the legacy iptables (Debian's iptables package; CI installs it).
            ...(existsSync('/usr/sbin/iptables-legacy')
              ? ['Use the legacy iptables, as k3s asks on Debian and Raspberry Pi OS']
              : []),
          ])
            expect(
              predicted.some((l) => l.startsWith(`${n.name} | ${task} | `)),
              `${n.name} | ${task}`,
            ).toBe(true);
          expect(existsSync(inOverlay(n.name, '/etc/sysctl.d/90-kubelet.conf'))).toBe(false);
          expect(existsSync(inOverlay(n.name, '/home/k3sops'))).toBe(false);
          expect(existsSync(onNode(n.name, '/var/lib/rancher/downloads'))).toBe(false);
        }
        // The firewall rule is guarded by service_facts: no firewalld runs on these nodes.
        expect(
          results(check)
            .filter((e) => e.task === 'Open the API port when firewalld runs')
            .map((e) => e.status),
        ).toEqual(agents().map(() => 'skipped'));

        const r = await run();
        expect(r.code, failures(r) + r.stderr).toBe(0);
        // Hosts run side by side: the same lines, in the order they finished. In --check the
        // user, its key and the unpacking name what the run depends on (earlier tasks make the
        // group, the user, the archive); unpacking a missing archive cannot count its differences.
        const pending =
          / \((?:group |user )?\S+ does not exist yet: a real run fails unless an earlier task creates it\)$/;
        expect(predicted.filter((l) => pending.test(l))).toHaveLength(3 * agents().length);
        const counted = / \(\d+ differences?\)$/;
        expect(
          changeLines(r)
            .map((l) => l.replace(counted, ''))
            .sort(),
        ).toEqual(predicted.map((l) => l.replace(pending, '')).sort());
        for (const n of agents()) {
          expect(readFileSync(inOverlay(n.name, '/etc/sysctl.d/90-kubelet.conf'), 'utf8')).toContain(
            'net.ipv4.ip_forward=1',
          );
          expect(readFileSync(inOverlay(n.name, '/etc/passwd'), 'utf8')).toMatch(
            /^k3sops:x:\d+:\d+:k3s operations:\/home\/k3sops:\/bin\/bash$/m,
          );
          expect(readFileSync(inOverlay(n.name, '/home/k3sops/.ssh/authorized_keys'), 'utf8')).toContain(
            'ssh-ed25519 ',
          );
          expect(sha256(readFileSync(onNode(n.name, '/var/lib/rancher/downloads/k3s-tools-0.3.1.tar.gz')))).toBe(
            archive!.sum,
          );
          expect(readFileSync(onNode(n.name, '/usr/local/bin/kubectl-node-shell'), 'utf8')).toContain('node-shell');
        }

        const again = await run();
        expect(again.code, failures(again)).toBe(0);
        expect(changeLines(again)).toEqual([]);
        expect(sha('/etc/passwd')).toBe(machinePasswd);
      });
    });
  },
  // Packages, a unit and a drop-in on the nodes: the playbook reads no API object, so the real
  // control plane would only double this file's CI minutes (it took 202 s on both).
  ['kube-sim'],
);
