// worker-prereqs.yaml (issue 17 §4) on the sandbox's agents: NFS and iSCSI packages from a
// loopback repository of tiny packages into each node's own dpkg database, iscsid enabled
// through the fleet's systemctl, the /dev/kmsg drop-in. --check writes nothing and lists exactly
// what the run then changes; the second run changes nothing; this machine's dpkg status is untouched.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAptDatabase } from '../../../sandbox/fleet/apt-db.js';
import { startAptRepo, type AptRepo } from '../../../sandbox/fleet/apt-repo.js';
import { readFakeUnitState } from '../../../sandbox/fleet/index.js';
import { TINY_PACKAGES } from '../../helpers/apt-node.js';
import { describeSandboxes } from './backends.js';
import { changeLines, recap } from './sandbox.js';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

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
      repo = await startAptRepo(dir, TINY_PACKAGES);
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
  },
  // Packages, a unit and a drop-in on the nodes: the playbook reads no API object, so the real
  // control plane would only double this file's CI minutes (it took 202 s on both).
  ['kube-sim'],
);
