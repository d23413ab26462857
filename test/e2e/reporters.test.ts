// What people and tools read: plain lines (colours only when asked), NDJSON with nothing
// else on stdout, JUnit with unreachable hosts, the recap, -v output, and the live view on a
// pseudo-terminal.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, explain, localHosts, ofType, workspace } from './helpers.js';
import { ensureTool } from './tools.js';

const closedPort = { ansible_connection: 'ssh', ansible_host: '127.0.0.1', ansible_port: 1, ansible_user: 'root' };
const ESC = '\u001b[';

const ws = workspace(
  {
    'report.yaml': [
      {
        name: 'Report',
        hosts: 'all',
        tasks: [
          { name: 'Upgrade k3s', shell: 'echo upgraded-{{inventory_hostname}}; echo warn-{{inventory_hostname}} >&2' },
          { name: 'Check', command: 'true', changed_when: false },
          { name: 'Broken', fail: { msg: 'w-2 is broken' }, when: '(eq inventory_hostname "w-2")' },
          { name: 'Skip me', debug: { msg: 'x' }, when: false },
        ],
      },
    ],
  },
  localHosts(['w-1', 'w-2', 'gone'], { gone: closedPort }),
);

describe('plain output', () => {
  it('prints one line per host and task, the recap, and no colours in a pipe', async () => {
    const r = await ws.runText('report.yaml');
    expect(r.code, explain(r)).toBe(2);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('PLAY Report  (3 hosts)');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^changed\s+w-1\s+Upgrade k3s\s+\(\d+\.\ds\)$/),
        expect.stringMatching(/^ok\s+w-2\s+Check\s+\(\d+\.\ds\)$/),
      ]),
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^failed\s+w-2\s+Broken\s+\(\d+\.\ds\)$/),
        expect.stringMatching(/^\s+w-2 is broken$/),
      ]),
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^unreachable\s+gone\s+Upgrade k3s/),
        expect.stringMatching(/^skipped\s+w-1\s+Skip me/),
      ]),
    );
    expect(r.stdout).not.toContain(ESC);
    // The recap: a header and a row per host with its counts.
    const head = lines.findIndex((l) =>
      /^host\s+ok\s+changed\s+unreachable\s+failed\s+skipped\s+rescued\s+ignored$/.test(l),
    );
    expect(head).toBeGreaterThan(0);
    expect(lines[head - 1]).toMatch(/^RECAP {2}\d+\.\ds$/);
    expect(lines.slice(head + 1, head + 4).map((l) => l.split(/\s+/))).toEqual([
      ['w-1', '1', '1', '0', '0', '2', '0', '0'],
      ['w-2', '1', '1', '0', '1', '0', '0', '0'],
      ['gone', '0', '0', '1', '0', '0', '0', '0'],
    ]);
    // Without -v, command output stays out.
    expect(r.stdout).not.toContain('stdout: ');
  });

  it('-v adds stdout and stderr', async () => {
    const r = await ws.runText('report.yaml', '-v');
    expect(r.stdout).toContain('stdout: upgraded-w-1');
    expect(r.stdout).toContain('stderr: warn-w-2');
    const json = await ws.run('report.yaml', '-v');
    expect(ofType(json.events, 'task_result').find((e) => e.host === 'w-1' && e.task === 'Upgrade k3s')).toMatchObject({
      stdout: 'upgraded-w-1',
      stderr: 'warn-w-1',
    });
    const quiet = await ws.run('report.yaml');
    expect(
      ofType(quiet.events, 'task_result').find((e) => e.host === 'w-1' && e.task === 'Upgrade k3s')!.stdout,
    ).toBeUndefined();
  });

  it('colours only with FORCE_COLOR, and never with NO_COLOR', async () => {
    const forced = await ws.runWith({ env: { FORCE_COLOR: '1' } }, 'report.yaml', '--output', 'text');
    expect(forced.stdout).toContain(`${ESC}31mfailed`);
    expect(forced.stdout).toContain(`${ESC}33mchanged`);
    const both = await ws.runWith({ env: { FORCE_COLOR: '1', NO_COLOR: '1' } }, 'report.yaml', '--output', 'text');
    expect(both.stdout).not.toContain(ESC);
    const zero = await ws.runWith({ env: { FORCE_COLOR: '0' } }, 'report.yaml', '--output', 'text');
    expect(zero.stdout).not.toContain(ESC);
  });
});

describe('--output json and --junit', () => {
  it('prints only NDJSON events on stdout, in order', async () => {
    const r = await ws.run('report.yaml', '--junit', ws.at('report.xml'));
    expect(r.code, explain(r)).toBe(2);
    const types = r.events.map((e) => e.type);
    expect(types[0]).toBe('run_start');
    expect(types.at(-1)).toBe('recap');
    // w-1 runs all 4 tasks, w-2 stops at the third, gone at the first.
    expect(types.filter((t) => t === 'task_result').length).toBe(4 + 3 + 1);
    for (const e of ofType(r.events, 'task_result'))
      expect(Object.keys(e)).toEqual(
        expect.arrayContaining(['play', 'task', 'host', 'status', 'batch', 'duration_ms', 'where']),
      );
    // Each task's results come after its start and before the next task's start.
    const order = r.events
      .filter((e) => e.type === 'task_start' || e.type === 'task_result')
      .map((e) => ('host' in e ? `r:${e.task}` : `s:${e.task}`));
    expect(order.indexOf('s:Check')).toBeGreaterThan(order.lastIndexOf('r:Upgrade k3s'));
  });

  it('writes JUnit with a testcase per host and task, the unreachable host included', async () => {
    const file = ws.at('junit.xml');
    await ws.run('report.yaml', '--junit', file);
    const xml = readFileSync(file, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites>/);
    expect(xml).toMatch(/<testsuite name="Report" tests="8" failures="1" errors="1" skipped="2"/);
    expect(xml).toMatch(
      /<testcase classname="gone" name="Upgrade k3s \[gone\]"[^>]*>\s*<error type="unreachable" message="[^"]*127\.0\.0\.1:1/,
    );
    expect(xml).toMatch(/<testcase classname="w-2" name="Broken \[w-2\]"[^>]*>\s*<failure message="w-2 is broken">/);
    expect(xml.match(/<testcase /g)!.length).toBe(8);
  });
});

describe('the live view on a terminal', () => {
  beforeAll(() => ensureTool('script', 'bsdutils'));

  it('renders a row per host under each task, then the recap, without crashing', () => {
    // script(1) gives herdbook a pseudo-terminal; stty gives it a size (a pty starts at 0x0).
    const cmd = `stty cols 120 rows 50; exec ${process.execPath} ${BIN} run ${ws.at('report.yaml')} -i ${ws.inventory} --limit 'w-*'`;
    const r = spawnSync('script', ['-qfec', cmd, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, CI: '', FORCE_COLOR: '', NO_COLOR: '' },
      timeout: 50_000,
    });
    const text = stripVTControlCharacters(r.stdout);
    expect(r.status, text + r.stderr).toBe(2);
    expect(text).not.toContain('internal error');
    expect(text).toContain('PLAY Report  (2 hosts)');
    expect(text).toMatch(/Upgrade k3s[\s\S]*w-1 {2}changed \(\d+\.\ds\)/);
    expect(text).toMatch(/w-2 {2}failed \(\d+\.\ds\): w-2 is broken/);
    expect(text).toMatch(/w-1 {2}skipped/);
    expect(text).toMatch(/RECAP {2}\d+\.\ds/);
    // Colours on a terminal.
    expect(r.stdout).toContain(ESC);
  });
});
