// v1.30 → v1.32 with k3s_stepwise: the server walks each minor's latest patch (v1.31.4, then
// v1.32.5); the agents go straight to the target once the server is there. On kube-sim and on
// a real control plane (issue 20's must-show): --check predicts exactly what the run changes,
// a second run changes nothing, no node is left cordoned.
import { expect, it } from 'vitest';
import { describeSandboxes } from './backends.js';
import { changeLines, recap, results, unpredictedEvictions, withoutEvictions } from './sandbox.js';

const seconds = (t0: number) => ((Date.now() - t0) / 1000).toFixed(0);

describeSandboxes('upgrade-k3s.yaml with k3s_stepwise', ['--k3s-version', 'v1.30.14+k3s1'], (sandbox, backend) => {
  it('without stepwise, the server refuses to skip a minor before its drain, and nothing is changed', async () => {
    const sb = sandbox();
    const r = await sb.run('upgrade-k3s.yaml', '--check');
    expect(r.code).toBe(2);
    expect(results(r).find((e) => e.task === 'The upgrade is allowed')?.msg).toBe(
      'refusing to skip minors on server s-1: v1.30 → v1.32 is 2 upgrades (set stepwise: true to go v1.31.4+k3s1, v1.32.5+k3s1 in turn)',
    );
    // Refused before the drain: the server was never cordoned.
    expect(results(r).filter((e) => e.task === 'Drain the server')).toEqual([]);
  });

  it('--check shows every step and writes nothing; the real run makes exactly those changes; a second run changes nothing', async () => {
    const sb = sandbox();
    await sb.clearRequests();
    let t0 = Date.now();
    const check = await sb.run('upgrade-k3s.yaml', '--check', '-e', 'k3s_stepwise=true');
    const checkTime = seconds(t0);
    expect(check.code, JSON.stringify(recap(check))).toBe(0);
    expect(await sb.mutations()).toEqual([]);
    const lines = changeLines(check);
    expect(lines).toContain(
      's-1 | Upgrade k3s | upgrade v1.30.14+k3s1 → v1.31.4+k3s1 (server, step 1/2 towards v1.32.5+k3s1)',
    );
    expect(lines).toContain(
      's-1 | Upgrade k3s | upgrade v1.31.4+k3s1 → v1.32.5+k3s1 (server, step 2/2 towards v1.32.5+k3s1)',
    );
    expect(lines).toContain('a-1 | Upgrade k3s | upgrade v1.30.14+k3s1 → v1.32.5+k3s1 (agent, via stable channel)');

    t0 = Date.now();
    const real = await sb.run('upgrade-k3s.yaml', '-e', 'k3s_stepwise=true');
    const runTime = seconds(t0);
    expect(real.code, JSON.stringify(recap(real))).toBe(0);
    const made = changeLines(real);
    // Where the scheduler puts the pods a drain moves is its choice (the real one's is random among
    // equals): a later drain evicts them too. Everything else, and every eviction --check listed, match.
    expect(withoutEvictions(made)).toEqual(withoutEvictions(lines));
    const extra = unpredictedEvictions(lines, made);
    const nodes = (await sb.kube.core.listNode({})).items;
    expect(nodes.map((n) => n.status?.nodeInfo?.kubeletVersion)).toEqual([
      'v1.32.5+k3s1',
      'v1.32.5+k3s1',
      'v1.32.5+k3s1',
    ]);
    expect(nodes.filter((n) => n.spec?.unschedulable).map((n) => n.metadata?.name)).toEqual([]);

    await sb.clearRequests();
    t0 = Date.now();
    const again = await sb.run('upgrade-k3s.yaml', '-e', 'k3s_stepwise=true', '--detailed-exitcode');
    const againTime = seconds(t0);
    expect(again.code, JSON.stringify(recap(again))).toBe(0);
    expect(changeLines(again)).toEqual([]);
    expect(await sb.mutations()).toEqual([]);
    // The figures for the record (issue 20).
    process.stderr.write(
      `[stepwise ${backend}] --check ${checkTime} s: ${lines.length} changes predicted; run ${runTime} s: ${made.length} made ` +
        `(${made.length - extra.length} predicted, ${extra.length} evictions of pods the rollout moved); second run ${againTime} s: ${changeLines(again).length} changes\n`,
    );
  });
});
