// env values read from stdin by a sh prologue (pct exec): every byte of the value arrives, the
// command keeps the rest of stdin, and the values never appear in the argv.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envFromStdin } from '../../engine/connection/env-stdin.js';

function run(argv: string[], stdin: Buffer): Promise<{ rc: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (rc) => resolve({ rc, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const tricky = {
  PASSWORD: 'hunter2 with "quotes", \'single\', $(id) `id` %s %b \\c \\n \\\\ and ünïcode',
  MULTI: 'line one\nline two\n\n',
  EMPTY: '',
  TABS: '\tlead and trail \t',
};

const shells = ['/bin/sh', '/usr/bin/dash', '/usr/bin/bash', '/bin/busybox'].filter((s) => existsSync(s));

describe('envFromStdin', () => {
  it.each(shells)('%s: the command sees each value exactly and keeps its own stdin', async (shell) => {
    const w = envFromStdin(
      tricky,
      ['/bin/sh', '-c', 'for k in PASSWORD MULTI EMPTY TABS; do eval "printf \'%s|\' \\"\\$$k\\""; done; echo; cat'],
      'own stdin\nsecond line\n',
    );
    // Run the prologue under each shell: a container may have dash, bash or busybox as sh.
    const argv = shell === '/bin/busybox' ? ['/bin/busybox', 'sh', ...w.argv.slice(1)] : [shell, ...w.argv.slice(1)];
    const r = await run(argv, w.stdin);
    expect(r.stderr).toBe('');
    expect(r.rc).toBe(0);
    expect(r.stdout).toBe(`${Object.values(tricky).join('|')}|\nown stdin\nsecond line\n`);
  });

  it('puts only the names in the argv, and refuses names a shell cannot export', () => {
    const w = envFromStdin(tricky, ['true']);
    const words = w.argv.join('\n');
    for (const v of Object.values(tricky).filter(Boolean)) expect(words).not.toContain(v);
    expect(words).toContain('export PASSWORD=');
    expect(() => envFromStdin({ 'A-B': 'x' }, ['true'])).toThrow(/invalid environment variable name "A-B"/);
    expect(() => envFromStdin({ A: 'x\0y' }, ['true'])).toThrow(/NUL/);
  });

  it('the scratch variable does not leak into the command', async () => {
    const w = envFromStdin({ A: 'a' }, ['/bin/sh', '-c', 'env | grep -c __herdbook_env_value || true']);
    expect((await run(w.argv, w.stdin)).stdout.trim()).toBe('0');
  });
});
