// v1.30 → v1.32 with k3s_stepwise: the server walks each minor's latest patch (v1.31.4, then
// v1.32.5); the agents go straight to the target once the server is there.
import { describe, expect, it } from 'vitest';
import { changeLines, recap, results, sandboxFor } from './sandbox.js';

const sandbox = sandboxFor(['--k3s-version', 'v1.30.14+k3s1']);

describe('upgrade-k3s.yaml with k3s_stepwise', () => {
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

  it('--check shows every step; the real run makes exactly those changes', async () => {
    const sb = sandbox();
    const check = await sb.run('upgrade-k3s.yaml', '--check', '-e', 'k3s_stepwise=true');
    expect(check.code, JSON.stringify(recap(check))).toBe(0);
    const lines = changeLines(check);
    expect(lines).toContain('s-1 | Upgrade k3s | upgrade v1.30.14+k3s1 → v1.31.4+k3s1 (server, step 1/2 towards v1.32.5+k3s1)');
    expect(lines).toContain('s-1 | Upgrade k3s | upgrade v1.31.4+k3s1 → v1.32.5+k3s1 (server, step 2/2 towards v1.32.5+k3s1)');
    expect(lines).toContain('a-1 | Upgrade k3s | upgrade v1.30.14+k3s1 → v1.32.5+k3s1 (agent, via stable channel)');
    const real = await sb.run('upgrade-k3s.yaml', '-e', 'k3s_stepwise=true');
    expect(real.code, JSON.stringify(recap(real))).toBe(0);
    expect(changeLines(real)).toEqual(lines);
    expect((await sb.kube.core.listNode({})).items.map((n) => n.status?.nodeInfo?.kubeletVersion)).toEqual(['v1.32.5+k3s1', 'v1.32.5+k3s1', 'v1.32.5+k3s1']);
  });
});
