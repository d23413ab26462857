// Ctrl-C: the first SIGINT lets running commands finish, starts nothing new, prints the recap
// and exits 130; a second one aborts at once, killing what runs, and names the nodes left
// cordoned (as does a run that throws), since no recap will.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../../sandbox/kube-sim/index.js';
import { isAlive } from '../../sandbox/fleet/processes.js';
import { startSim } from '../helpers/kube.js';
import { BIN, cliEnv, herdbook, localHosts, ofType, parseEvents, recap, taskStarts, workspace } from './helpers.js';
import { ensureTool } from './tools.js';

const hosts = ['h1', 'h2', 'h3'];

type Started = { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> };

// Whatever a failed test left running (a hung run would outlive it otherwise).
const running = new Map<ChildProcess, string | undefined>();
afterEach(() => {
  for (const [c, pidFile] of running) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    // The herdbook under script(1) is not our child: end it by the pid it wrote.
    if (pidFile) killPidFile(pidFile);
    c.kill('SIGKILL');
  }
  running.clear();
});

function track<T extends ChildProcess>(c: T, pidFile?: string): T {
  running.set(c, pidFile);
  return c;
}

function start(args: string[], cwd: string): Started {
  const child = track(
    spawn(process.execPath, [BIN, ...args], { cwd, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

describe('Ctrl-C', () => {
  const ws = workspace(
    {
      'long.yaml': [
        {
          hosts: 'all',
          tasks: [
            {
              name: 'long',
              shell: 'echo $$ > {{out}}/pid; touch {{out}}/started; sleep {{seconds}}; touch {{out}}/finished',
            },
            { name: 'next', shell: 'touch {{out}}/next' },
          ],
        },
      ],
    },
    localHosts(hosts),
  );
  const allStarted = () => hosts.every((h) => existsSync(ws.at('out', h, 'started')));

  it('first SIGINT: running commands finish, no new task starts, the recap is printed, exit 130', async () => {
    ws.clean();
    const run = start(['run', ws.at('long.yaml'), '-i', ws.inventory, '--output', 'json', '-e', 'seconds=2'], ws.dir);
    await expect.poll(allStarted, { timeout: 20_000, interval: 50 }).toBe(true);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('interrupt: finishing the commands already running');
    const events = parseEvents(r.stdout);
    expect(taskStarts(events)).toEqual(['long']);
    expect(recap(events).stopped_reason).toMatch(/^interrupted \(Ctrl-C\)/);
    for (const h of hosts) {
      expect(existsSync(ws.at('out', h, 'finished'))).toBe(true);
      expect(existsSync(ws.at('out', h, 'next'))).toBe(false);
    }
  });

  it('prints the recap table in plain output too', async () => {
    ws.clean();
    const run = start(['run', ws.at('long.yaml'), '-i', ws.inventory, '-e', 'seconds=1'], ws.dir);
    await expect.poll(allStarted, { timeout: 20_000, interval: 50 }).toBe(true);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/RECAP {2}\d+\.\ds/);
    expect(r.stdout).toContain('STOPPED: interrupted (Ctrl-C)');
  });

  it('on a terminal too: the live view does not exit on the first Ctrl-C', async () => {
    ensureTool('script', 'bsdutils');
    ws.clean();
    const pidFile = ws.at('out', 'herdbook.pid');
    // script(1) gives herdbook a pseudo-terminal; the shell writes its pid and becomes herdbook.
    const cmd = `stty cols 120 rows 50; echo $$ > ${pidFile}; exec ${process.execPath} ${BIN} run ${ws.at('long.yaml')} -i ${ws.inventory} -e seconds=2`;
    const script = track(
      spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: ws.dir, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] }),
      pidFile,
    );
    let out = '';
    script.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const code = new Promise<number | null>((resolve) => script.on('close', resolve));
    await expect.poll(allStarted, { timeout: 20_000, interval: 50 }).toBe(true);
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGINT');
    expect(await code, out).toBe(130);
    const text = stripVTControlCharacters(out);
    expect(text).toMatch(/RECAP {2}\d+\.\ds/);
    expect(text).toContain('STOPPED: interrupted (Ctrl-C)');
    for (const h of hosts) expect(existsSync(ws.at('out', h, 'finished'))).toBe(true);
  });

  it('on a terminal with hosts still queued (--forks 1): they show as not run and the run ends', async () => {
    ensureTool('script', 'bsdutils');
    ws.clean();
    const pidFile = ws.at('out', 'herdbook.pid');
    const cmd = `stty cols 120 rows 50; echo $$ > ${pidFile}; exec ${process.execPath} ${BIN} run ${ws.at('long.yaml')} -i ${ws.inventory} -e seconds=1 --forks 1`;
    const script = track(
      spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: ws.dir, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] }),
      pidFile,
    );
    let out = '';
    script.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const code = new Promise<number | null>((resolve) => script.on('close', resolve));
    await expect.poll(() => existsSync(ws.at('out/h1/started')), { timeout: 20_000, interval: 50 }).toBe(true);
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGINT');
    // Before the fix the live view waited forever for h2 and h3.
    expect(await code, out).toBe(130);
    const text = stripVTControlCharacters(out);
    expect(text).toMatch(/h2 {2}not run/);
    expect(text).toContain('STOPPED: interrupted (Ctrl-C)');
    expect(existsSync(ws.at('out/h2/started'))).toBe(false);
  }, 30_000);

  it('second SIGINT aborts at once: the commands are killed, no recap, exit 130', async () => {
    ws.clean();
    const run = start(['run', ws.at('long.yaml'), '-i', ws.inventory, '--output', 'json', '-e', 'seconds=60'], ws.dir);
    await expect.poll(allStarted, { timeout: 20_000, interval: 50 }).toBe(true);
    run.child.kill('SIGINT');
    let stderr = '';
    run.child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    await expect.poll(() => stderr.includes('interrupt:'), { timeout: 10_000, interval: 20 }).toBe(true);
    run.child.kill('SIGINT');
    // A 60 s sleep would outlast this test's timeout if the abort waited for it.
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('aborted');
    expect(parseEvents(r.stdout).some((e) => e.type === 'recap')).toBe(false);
    for (const h of hosts) {
      expect(existsSync(ws.at('out', h, 'finished'))).toBe(false);
      const pid = Number(readFileSync(ws.at('out', h, 'pid'), 'utf8'));
      await expect.poll(() => isAlive(pid), { timeout: 5000 }).toBe(false);
    }
  }, 30_000);
});

describe('Ctrl-C twice, or a run that throws, with a node cordoned: the operator is told which', () => {
  const ws = workspace(
    {
      'cordon.yaml': [
        {
          hosts: 'h1',
          tasks: [
            { name: 'cordon', drain: { state: 'cordoned', node: '{{node}}' } },
            { name: 'long', shell: 'echo $$ > {{out}}/pid; touch {{out}}/started; sleep 60' },
          ],
        },
      ],
      // The second play's serial is checked only when it starts: the run throws after the cordon.
      'throws.yaml': [
        { hosts: 'h1', tasks: [{ name: 'cordon', drain: { state: 'cordoned', node: '{{node}}' } }] },
        { hosts: 'h1', serial: '{{batch}}', tasks: [{ name: 'never', debug: { msg: 'x' } }] },
      ],
    },
    localHosts(['h1']),
  );
  let sim: KubeSim;
  const kubeconfig = ws.at('kubeconfig');
  beforeAll(async () => {
    sim = await startSim({
      scenario: { nodes: [{ name: 'n1', role: 'server' }, { name: 'n2' }, { name: 'n3' }, { name: 'n4' }] },
    });
    await sim.writeKubeconfig(kubeconfig);
  });
  const unschedulable = (node: string) =>
    Boolean(
      (sim.get('nodes', undefined, node) as { spec?: { unschedulable?: boolean } } | undefined)?.spec?.unschedulable,
    );

  it('second SIGINT (--output json): stderr names the cordoned node, a warning event says it too, still no recap', async () => {
    ws.clean();
    const run = start(
      [
        'run',
        ws.at('cordon.yaml'),
        '-i',
        ws.inventory,
        '--output',
        'json',
        '-e',
        `kubeconfig=${kubeconfig}`,
        '-e',
        'node=n1',
      ],
      ws.dir,
    );
    await expect.poll(() => existsSync(ws.at('out/h1/started')), { timeout: 20_000, interval: 50 }).toBe(true);
    expect(unschedulable('n1')).toBe(true);
    let stderr = '';
    run.child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    run.child.kill('SIGINT');
    await expect.poll(() => stderr.includes('interrupt:'), { timeout: 10_000, interval: 20 }).toBe(true);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain(
      'aborted: nodes left cordoned by this run: n1 (cordoned); uncordon them when safe: kubectl uncordon n1',
    );
    const events = parseEvents(r.stdout);
    expect(ofType(events, 'warning').map((w) => w.msg)).toContain(
      'aborted (second Ctrl-C): nodes left cordoned by this run: n1 (cordoned); uncordon them when safe: kubectl uncordon n1',
    );
    expect(events.some((e) => e.type === 'recap')).toBe(false);
  }, 30_000);

  it('second Ctrl-C on a terminal: the live view ends and the cordoned node is named', async () => {
    ensureTool('script', 'bsdutils');
    ws.clean();
    const pidFile = ws.at('out', 'herdbook.pid');
    const cmd = `stty cols 120 rows 50; echo $$ > ${pidFile}; exec ${process.execPath} ${BIN} run ${ws.at('cordon.yaml')} -i ${ws.inventory} -e kubeconfig=${kubeconfig} -e node=n2`;
    const script = track(
      spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: ws.dir, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] }),
      pidFile,
    );
    let out = '';
    script.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const code = new Promise<number | null>((resolve) => script.on('close', resolve));
    await expect.poll(() => existsSync(ws.at('out/h1/started')), { timeout: 20_000, interval: 50 }).toBe(true);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    process.kill(pid, 'SIGINT');
    // The live view holds stderr back while it renders ("interrupt: ..." shows later): wait instead.
    await new Promise((r) => setTimeout(r, 500));
    process.kill(pid, 'SIGINT');
    expect(await code, out).toBe(130);
    const text = stripVTControlCharacters(out);
    expect(text).toContain('aborted: nodes left cordoned by this run: n2 (cordoned)');
    expect(unschedulable('n2')).toBe(true);
  }, 30_000);

  // This input once threw an internal error, and the test checked the throw path. A templated
  // serial that is no batch size is now an input error that stops the run at its line; no input
  // reaches the throw path any more, so what is checked is the clean stop.
  it('a run stopped by a bad templated serial still names the nodes it left cordoned', async () => {
    ws.clean();
    const r = await herdbook(
      [
        'run',
        ws.at('throws.yaml'),
        '-i',
        ws.inventory,
        '-e',
        `kubeconfig=${kubeconfig}`,
        '-e',
        'node=n3',
        '-e',
        'batch=abc',
      ],
      { cwd: ws.dir },
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toMatch(
      /STOPPED: play 'h1': .*throws\.yaml:\d+:\d+: serial: 'abc' is not a whole number or a percentage/,
    );
    expect(r.stdout).toContain('nodes left cordoned by this run');
    expect(r.stdout).toMatch(/n3: cordoned/);
    expect(unschedulable('n3')).toBe(true);
  }, 30_000);
});

function killPidFile(file: string): void {
  try {
    process.kill(Number(readFileSync(file, 'utf8')), 'SIGKILL');
  } catch {
    /* gone already, or never started */
  }
}
