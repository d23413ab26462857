// The node lifecycle playbooks on one sandbox per backend (kube-sim, a real control plane):
// recover-nodes (seed 003), join-node and remove-node (seed 004), refresh-kubeconfig (seed 001);
// rollback-k3s (seed 002) is in rollback.test.ts, a file of its own so CI runs it beside this one
// (together they were the longest file, 19 minutes under load). Each: the normal path, --check writing nothing and reporting what the
// run then does, a second run changing nothing.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKubeFactory } from '../../../engine/kube/clients.js';
import { readFakeSystemdLog } from '../../../sandbox/fleet/index.js';
import { readyWithStaleTaints, steer, taintsOf, untilReady } from './arrange.js';
import { describeSandboxes } from './backends.js';
import { changeLines, recap, results } from './sandbox.js';

describeSandboxes('node lifecycle playbooks', ['--spare', '1'], (sandbox, backend) => {
  const node = (name: string) => sandbox().state.nodes.find((n) => n.name === name)!;

  describe('recover-nodes.yaml (seed 003)', () => {
    it('an LXC node lost /dev/kmsg and a Ready node kept its unreachable taints: --check, then the fix, then nothing', async () => {
      const sb = sandbox();
      // a-1 is an LXC container again without /dev/kmsg after a restart: k3s-agent dies.
      writeFileSync(path.join(node('a-1').root, 'etc/rancher/fake-lxc-no-kmsg'), '');
      expect((await sb.sh('a-1', ['systemctl', 'restart', 'k3s-agent'])).rc).not.toBe(0);
      await untilReady(sb, 'a-1', 'True', true);
      // a-2 was unreachable for a while and kept the taints after coming back.
      const resume = await readyWithStaleTaints(sb, 'a-2');
      try {
        await sb.clearRequests();
        const check = await sb.run('recover-nodes.yaml', '--check');
        expect(check.code, JSON.stringify(recap(check))).toBe(0);
        expect(await sb.mutations()).toEqual([]);
        expect(
          existsSync(path.join(node('a-1').root, 'etc/systemd/system/k3s-agent.service.d/10-herdbook-kmsg.conf')),
        ).toBe(false);
        const lines = changeLines(check);
        expect(lines).toContain(
          's-1 | Remove node.kubernetes.io/unreachable (every effect) from nodes that are Ready | remove taint node.kubernetes.io/unreachable:NoSchedule on node/a-2',
        );

        // On the real control plane its stopped controller manager leaves a-1's own outage taints
        // too: a-1, Ready again by the time the taints are read, has them removed as well, which
        // --check could not know (a-1 was down when it looked). kube-sim's controller removes them.
        const a1Stale =
          backend === 'real'
            ? (await taintsOf(sb, 'a-1')).filter((t) => t.startsWith('node.kubernetes.io/unreachable:'))
            : [];
        const a1Taints = a1Stale.map(
          (t) =>
            `s-1 | Remove node.kubernetes.io/unreachable (every effect) from nodes that are Ready | remove taint ${t} on node/a-1`,
        );

        const r = await sb.run('recover-nodes.yaml');
        expect(r.code, JSON.stringify(recap(r))).toBe(0);
        // Hosts run in parallel within a task: compare the changes, not their order.
        expect(changeLines(r).sort()).toEqual([...lines, ...a1Taints].sort());
        await untilReady(sb, 'a-1', 'True');
        expect(await taintsOf(sb, 'a-2')).toEqual([]);
        // Restarted only where the drop-in changed: every node this first time.
        const restarts = (await readFakeSystemdLog(path.join(sb.state.stateDir, 'fleet'), 'a-1')).filter(
          (e) => e.action === 'restart',
        );
        expect(restarts.length).toBeGreaterThan(0);
      } finally {
        await resume();
      }

      const again = await sb.run('recover-nodes.yaml');
      expect(changeLines(again)).toEqual([]);
    });

    afterAll(async () => {
      // Give a-2 back to its kubelet (the installed k3s) for the tests that follow.
      await steer(sandbox(), 'a-2', { release: true });
    });
  });

  describe('join-node.yaml and remove-node.yaml (seed 004)', () => {
    it("joins j-1 as an agent at the servers' version, with labels, without printing the token", async () => {
      const sb = sandbox();
      const token = readFileSync(path.join(node('s-1').root, 'var/lib/rancher/k3s/server/node-token'), 'utf8').trim();
      const check = await sb.run('join-node.yaml', '--check', '-e', '{"k3s_join_labels": {"storage": "longhorn"}}');
      expect(check.code, JSON.stringify(recap(check))).toBe(0);
      expect(changeLines(check)).toContain(
        'j-1 | Install k3s as an agent | install k3s v1.31.4+k3s1 as agent (pinned version)',
      );
      expect(check.stdout + check.stderr).not.toContain(token);
      await expect(sb.kube.core.readNode({ name: 'j-1' })).rejects.toBeDefined();

      const r = await sb.run('join-node.yaml', '-e', '{"k3s_join_labels": {"storage": "longhorn"}}');
      expect(r.code, JSON.stringify(recap(r)) + r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toContain(token);
      const j1 = await sb.kube.core.readNode({ name: 'j-1' });
      expect(j1.status?.nodeInfo?.kubeletVersion).toBe('v1.31.4+k3s1');
      expect(j1.metadata?.labels?.storage).toBe('longhorn');
      expect(readFileSync(path.join(node('j-1').root, 'etc/systemd/system/k3s-agent.service'), 'utf8')).toMatch(
        /^\s+agent \\$/m,
      );

      const again = await sb.run('join-node.yaml', '-e', '{"k3s_join_labels": {"storage": "longhorn"}}');
      expect(changeLines(again)).toEqual([]);
    });

    it('refuses to remove the only server, before draining it', async () => {
      const sb = sandbox();
      const r = await sb.run('remove-node.yaml', '-e', 'k3s_remove_host=s-1', '-e', 'k3s_remove_server=true');
      expect(r.code).toBe(2);
      expect(results(r).find((e) => e.status === 'failed')?.msg).toMatch(
        /^s-1 is a k3s server: removing it needs .*another server left \(1 now\)/,
      );
      expect(results(r).filter((e) => e.task === 'Drain it')).toEqual([]);
      expect((await sb.kube.core.readNode({ name: 's-1' })).spec?.unschedulable).toBeFalsy();
      expect(existsSync(path.join(node('s-1').root, 'usr/local/bin/k3s'))).toBe(true);
    });

    it('removes j-1: drained, Node deleted, k3s uninstalled; a second run changes nothing', async () => {
      const sb = sandbox();
      const check = await sb.run('remove-node.yaml', '--check', '-e', 'k3s_remove_host=j-1');
      expect(check.code, JSON.stringify(recap(check))).toBe(0);
      expect(changeLines(check)).toContain('j-1 | Delete the Node object | delete node/j-1');
      const r = await sb.run('remove-node.yaml', '-e', 'k3s_remove_host=j-1');
      expect(r.code, JSON.stringify(recap(r))).toBe(0);
      await expect(sb.kube.core.readNode({ name: 'j-1' })).rejects.toBeDefined();
      expect(existsSync(path.join(node('j-1').root, 'usr/local/bin/k3s'))).toBe(false);
      const again = await sb.run('remove-node.yaml', '-e', 'k3s_remove_host=j-1');
      expect(again.code).toBe(0);
      expect(changeLines(again)).toEqual([]);
    });
  });

  describe('refresh-kubeconfig.yaml (seed 001)', () => {
    it("writes the server's kubeconfig with a reachable address and mode 0600; it works; a second run changes nothing", async () => {
      const sb = sandbox();
      const dest = path.join(sb.state.stateDir, 'home', '.kube', 'k3s-s-1.config');
      const check = await sb.run('refresh-kubeconfig.yaml', '--check', '-e', `k3s_kubeconfig_path=${dest}`);
      expect(check.code, JSON.stringify(recap(check))).toBe(0);
      expect(existsSync(dest)).toBe(false);
      const r = await sb.run('refresh-kubeconfig.yaml', '-e', `k3s_kubeconfig_path=${dest}`);
      expect(r.code, JSON.stringify(recap(r))).toBe(0);
      expect(statSync(dest).mode & 0o777).toBe(0o600);
      expect(readFileSync(dest, 'utf8')).toMatch(
        new RegExp(`server: https://127\\.0\\.0\\.1:${new URL(sb.state.sim.url).port}`),
      );
      const kube = await createKubeFactory({
        connection: () => Promise.reject(new Error('unused')),
        settings: (h) => ({ kind: 'ssh', host: h }),
      })({ kubeconfig: dest });
      expect((await kube.core.listNode({})).items.length).toBeGreaterThan(0);
      // The keys inside were never printed.
      expect(r.stdout).not.toContain('client-key-data');
      expect(changeLines(await sb.run('refresh-kubeconfig.yaml', '-e', `k3s_kubeconfig_path=${dest}`))).toEqual([]);
    });
  });
});
