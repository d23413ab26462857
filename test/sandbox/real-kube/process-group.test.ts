// The control plane's process group, with stand-in processes: arguments arrive as data,
// stop() escalates from SIGTERM to SIGKILL, and when the owner dies without stopping (even
// by SIGKILL) the group leader takes every process down.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ProcessGroup } from '../../../sandbox/real-kube/process-group.js';
import { groupMembers, isRunning } from '../../../sandbox/real-kube/procfs.js';
import { tempTree } from '../../helpers/tmp.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await sleep(50);
  return check();
}

describe('ProcessGroup', () => {
  it('passes arguments literally (no shell), logs output, and stops a process that ignores SIGTERM', async () => {
    const dir = tempTree({});
    const log = path.join(dir, 'out.log');
    const group = ProcessGroup.start();
    try {
      const weird = ['a b', '"$HOME"', "it's", '$(touch pwned)', '*', ''];
      const echo = await group.spawn(['/usr/bin/printf', '[%s]\\n', ...weird], log);
      expect(await until(() => !group.running(echo), 5000)).toBe(true);
      expect(readFileSync(log, 'utf8')).toBe(weird.map((w) => `[${w}]\n`).join(''));
      expect(existsSync(path.join(process.cwd(), 'pwned'))).toBe(false);

      const stubborn = await group.spawn(
        ['/bin/sh', '-c', 'trap "" TERM; echo trapped; while :; do sleep 1; done'],
        log,
      );
      // Signalled before its trap is set, it would just die.
      expect(await until(() => existsSync(log) && readFileSync(log, 'utf8').includes('trapped'), 5000)).toBe(true);
      expect(group.members()).toContain(stubborn);
      const t0 = Date.now();
      await group.stop(500);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
      expect(isRunning(stubborn)).toBe(false);
      expect(groupMembers(group.pgid)).toEqual([]);
    } finally {
      group.killNow();
    }
    expect(() => group.spawn(['x\ny'], log)).toThrow(/newline/);
  });

  it('takes the whole group down when its owner is killed with SIGKILL', async () => {
    const dist = path.join(repo, 'dist/sandbox/real-kube/process-group.js');
    expect(existsSync(dist), `${dist} is missing: npm run build`).toBe(true);
    const script = `
      const { ProcessGroup } = await import(${JSON.stringify(dist)});
      const g = ProcessGroup.start();
      const log = ${JSON.stringify(path.join(tempTree({}), 'log'))};
      const pid = await g.spawn(['/bin/sh', '-c', 'trap "" TERM; echo trapped; while :; do sleep 1; done'], log);
      const { readFileSync } = await import('node:fs');
      const text = () => { try { return readFileSync(log, 'utf8'); } catch { return ''; } };
      while (!text().includes('trapped')) await new Promise((r) => setTimeout(r, 20));
      console.log(JSON.stringify({ pgid: g.pgid, pid }));
      setInterval(() => {}, 1000);
    `;
    const owner = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      owner.stdout.once('data', (d: Buffer) => resolve(d.toString()));
      owner.once('exit', (code) => reject(new Error(`the owner exited (${code}) before starting its process`)));
    });
    const { pgid, pid } = JSON.parse(line) as { pgid: number; pid: number };
    expect(isRunning(pid)).toBe(true);
    owner.kill('SIGKILL');
    // The leader sees its stdin close: SIGTERM to the group, 2 s, SIGKILL.
    expect(await until(() => groupMembers(pgid).length === 0, 8000)).toBe(true);
    expect(isRunning(pid)).toBe(false);
  });
});
