// Seed 001's HA servers as LXC containers behind a Proxmox node: the operator adds a fourth
// server to the inventory, its container stopped (seed 001: "join playbooks auto-start stopped
// target containers"). ha-join-servers.yaml's --check says it would start it and stops there
// (nothing inside a stopped container can be read); the run starts it through `pct start`, joins
// it over `pct exec`, waits until it is Ready and an etcd member; a second run changes nothing.
// Then ha-validate.yaml fails on the four members it made: an even count tolerates no more losses
// than three and needs one vote more.
//
// kube-sim only: what is new here is pct's word (the container's status, start, exec) and the
// fake k3s's etcd membership; the join's API side runs on both backends in ha.test.ts.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { readEtcdMembers, readFakeStart, setContainerStatus } from '../../../sandbox/k3s-fake/index.js';
import { until, untilReady } from './arrange.js';
import { describeSandboxes } from './backends.js';
import { changeLines, recap, results } from './sandbox.js';

describeSandboxes(
  'HA servers in Proxmox containers',
  ['--proxmox', '--servers', '3', '--agents', '0', '--spare', '1'],
  (sandbox) => {
    const node = (name: string) => sandbox().state.nodes.find((n) => n.name === name)!;
    const vmid = (name: string) => node(name).vmid!;
    const stateDir = () => sandbox().state.stateDir;
    const members = async () => (await readEtcdMembers(path.join(stateDir(), 'k3s-etcd-members'))).map((m) => m.name);
    const pctStatus = async (name: string) =>
      (await sandbox().sh('pve', ['pct', 'status', String(vmid(name))])).stdout.trim();

    it('ha-join-servers.yaml starts a stopped fourth server container, joins it; ha-validate.yaml then fails on four members', async () => {
      const sb = sandbox();
      const j = vmid('j-1');
      // The operator's inventory change: j-1 (no k3s yet) becomes a server.
      const fourth = path.join(stateDir(), 'fourth-server.ini');
      writeFileSync(fourth, '[k3s_servers]\nj-1\n');
      await setContainerStatus(path.join(stateDir(), 'fleet'), 'pve', j, 'stopped');
      const before = await members();
      expect(before).toHaveLength(3);

      await sb.clearRequests();
      const check = await sb.run('ha-join-servers.yaml', '-i', fourth, '--check');
      expect(check.code, JSON.stringify(recap(check)) + check.stderr).toBe(0);
      expect(changeLines(check)).toEqual([
        `j-1 | The server's Proxmox container is running (started if stopped) | start container ${j} (j-1) on pve (pct start ${j})`,
      ]);
      // s-2 and s-3 run in their containers and are members already: nothing to do for them.
      expect(
        results(check)
          .filter((e) => e.host === 'j-1')
          .map((e) => e.task),
      ).toEqual(["The server's Proxmox container is running (started if stopped)"]);
      expect(await pctStatus('j-1')).toBe('status: stopped');
      expect(await sb.mutations()).toEqual([]);
      expect(await members()).toEqual(before);

      const r = await sb.run('ha-join-servers.yaml', '-i', fourth);
      expect(r.code, JSON.stringify(recap(r)) + r.stderr).toBe(0);
      const lines = changeLines(r);
      expect(lines[0]).toBe(changeLines(check)[0]);
      expect(lines.filter((l) => l.startsWith('j-1 | '))).toEqual([
        changeLines(check)[0],
        expect.stringMatching(/^j-1 \| Take the cluster lock \| /),
        expect.stringMatching(/^j-1 \| The drop-in directory of the k3s unit \| /),
        expect.stringMatching(/^j-1 \| Create \/dev\/kmsg before k3s starts \| /),
        expect.stringMatching(/^j-1 \| Install k3s as a server \| install k3s v\S+ as server /),
      ]);
      expect(await pctStatus('j-1')).toBe('status: running');
      const start = (await readFakeStart(node('j-1').root, 'server'))!;
      expect(start.datastore).toBe('etcd');
      expect(start.execStartPre.join(' ')).toContain('/dev/kmsg');
      await untilReady(sb, 'j-1', 'True');
      expect(await members()).toHaveLength(4);

      const again = await sb.run('ha-join-servers.yaml', '-i', fourth);
      expect(again.code, JSON.stringify(recap(again))).toBe(0);
      expect(changeLines(again)).toEqual([]);
      expect(
        results(again).find((e) => e.host === 'j-1' && e.task.startsWith("The server's Proxmox container"))?.msg,
      ).toBe(`container ${j} (j-1) on pve is running`);

      await until(async () => (await members()).length === 4, 'four etcd members');
      const valid = await sb.run('ha-validate.yaml', '-i', fourth);
      expect(valid.code, JSON.stringify(recap(valid))).toBe(2);
      const failed = results(valid).filter((e) => e.status === 'failed');
      expect(failed.map((e) => `${e.host} | ${e.task} | ${e.msg}`)).toEqual([
        's-1 | An odd number of etcd members, more than one | 4 etcd members (j-1, s-1, s-2, s-3): an even number tolerates 1 lost, no more than 3 members do, and needs 3 of 4 for quorum; join one more server or remove one',
      ]);
      // Every server passed its own check first: the count is the only complaint.
      expect(
        results(valid)
          .filter((e) => e.task === 'Ready and a voting etcd member')
          .map((e) => `${e.host} ${e.status}`)
          .sort(),
      ).toEqual(['j-1 ok', 's-1 ok', 's-2 ok', 's-3 ok']);
      expect(changeLines(valid)).toEqual([]);
    });
  },
  ['kube-sim'],
);
