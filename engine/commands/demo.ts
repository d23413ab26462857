// `npm run demo`: the sandbox at an old k3s, the upgrade rehearsed with --check, then run
// for real, one node at a time, then the health check; each step a real `herdbook run`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';
import type { CommandIO } from './io.js';

function run(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(PACKAGE_ROOT, 'bin/herdbook.js'), ...args], { stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1)));
  });
}

export async function demoCommand(flags: { stateDir?: string }, io: CommandIO): Promise<number> {
  const { defaultSandboxDir, sandboxDown, sandboxUp } = await import('../../sandbox/cluster/index.js');
  const stateDir = flags.stateDir ?? defaultSandboxDir();
  const say = (t: string) => io.out(io.paint.bold(`\n== ${t}`));
  say('bringing up the sandbox: 1 server and 2 agents at k3s v1.31.4+k3s1 (the stable channel says v1.32.5+k3s1)');
  await sandboxDown(stateDir);
  const s = await sandboxUp({ stateDir, log: (l) => io.err(`   ${l}`) });
  const pb = (name: string) => path.join(PACKAGE_ROOT, 'playbooks', name);
  const steps: [string, string[]][] = [
    [
      'rehearsal: what would the upgrade do? (--check changes nothing)',
      ['run', pb('upgrade-k3s.yaml'), '-i', s.inventory, '--check'],
    ],
    [
      'the upgrade, for real: snapshot, the server, then each agent drained, upgraded, uncordoned',
      ['run', pb('upgrade-k3s.yaml'), '-i', s.inventory],
    ],
    ['the cluster afterwards', ['run', pb('cluster-health.yaml'), '-i', s.inventory]],
  ];
  for (const [title, args] of steps) {
    say(
      `${title}\n   herdbook ${args.map((a) => (a.startsWith(PACKAGE_ROOT) ? path.relative(process.cwd(), a) || a : a)).join(' ')}`,
    );
    const code = await run(args);
    if (code !== 0) {
      io.err(
        `\nthat step exited ${code}; the sandbox is still up for a look: npx herdbook sandbox status --state-dir ${stateDir}`,
      );
      return code;
    }
  }
  say(
    `done. The sandbox stays up: npx herdbook sandbox status --state-dir ${stateDir}; remove it with npx herdbook sandbox down --state-dir ${stateDir}`,
  );
  return 0;
}
