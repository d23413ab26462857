// `sandbox up` that fails part way (here the release server refuses its versions, after the
// sshd nodes started) stops what it had started: no sshd of that sandbox is left running.
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { sandboxUp } from '../../../sandbox/cluster/up.js';
import { processesMentioning } from '../../helpers/procs.js';

it('stops the fleet it started when a later step fails, and says why', async () => {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'hb-up-fail-'));
  chmodSync(parent, 0o755);
  const stateDir = path.join(parent, 'sandbox');
  const lines: string[] = [];
  await expect(sandboxUp({ stateDir, versions: ['v1.31.4+k3s1', 'junk'], log: (l) => lines.push(l) })).rejects.toThrow(
    /the k3s release server did not start \(exit 1\):[\s\S]*not a k3s release tag: "junk"/,
  );
  // The fleet was up before the failure (so this test sees the cleanup, not an early refusal).
  expect(lines.some((l) => l.startsWith('starting 3 sshd nodes'))).toBe(true);
  expect(processesMentioning(stateDir)).toEqual([]);
}, 120_000);
