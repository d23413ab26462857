// herdbook's ssh connection against the floor: raw ssh2 on the same sshd, same machine, same
// run. What is left between the two is ours (quoting, pid line, the channel gate, result shape).
//   node dist/bench/ssh-floor.js [--execs 200] [--parallel 100] [--mib 64] [--runs 3]
// Needs root (the sandbox fleet: real sshd on loopback).
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ssh2, { type ClientChannel } from 'ssh2';
import { SshConnection } from '../engine/connection/ssh/index.js';
import { startFleet } from '../sandbox/fleet/index.js';
import { measure, type Cost } from './lib/measure.js';
import { median } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    execs: { type: 'string', default: '200' },
    parallel: { type: 'string', default: '100' },
    mib: { type: 'string', default: '64' },
    runs: { type: 'string', default: '3' },
  },
});
const execs = Number(values.execs);
const parallel = Number(values.parallel);
const mib = Number(values.mib);
const runs = Number(values.runs);
const MAX_SESSIONS = 10;

function rawExec(c: ssh2.Client, cmd: string): Promise<void> {
  return new Promise((resolve, reject) =>
    c.exec(cmd, (err, ch: ClientChannel) => {
      // Even the floor must wait out sshd freeing a just-closed session.
      if (err?.message.includes('Channel open failure')) return void setTimeout(() => rawExec(c, cmd).then(resolve, reject), 5);
      if (err) return reject(err);
      ch.on('close', () => resolve());
      ch.resume();
      ch.stderr.resume();
      ch.end();
    }),
  );
}

/** The floor for N parallel commands: raw ssh2 with a plain semaphore of MaxSessions. */
async function rawParallel(c: ssh2.Client, n: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next++ < n) await rawExec(c, 'true');
  };
  await Promise.all(Array.from({ length: MAX_SESSIONS }, worker));
}

function line(label: string, ours: Cost[], floor: Cost[], per: number): string {
  const f = (c: Cost[], k: keyof Cost) => median(c.map((x) => x[k]));
  const us = (ms: number) => `${((ms / per) * 1000).toFixed(0).padStart(7)} µs`;
  return (
    `${label.padEnd(30)} wall ${us(f(ours, 'wallMs'))} vs ${us(f(floor, 'wallMs'))}   ` +
    `cpu ${us(f(ours, 'cpuMs'))} vs ${us(f(floor, 'cpuMs'))}   (herdbook vs raw ssh2, per op)`
  );
}

async function main(): Promise<void> {
  const stateDir = await mkdtemp(path.join(tmpdir(), 'hb-bench-ssh-'));
  const fleet = await startFleet({ stateDir, nodes: [{ name: 'bench', maxSessions: MAX_SESSIONS }] });
  const node = fleet.node('bench');
  const ours = new SshConnection(node.settings, { sshConfigPath: null, env: { HOME: stateDir } });
  const raw = new ssh2.Client();
  try {
    const key = await readFile(fleet.clientKeyPath);
    await new Promise<void>((resolve, reject) => {
      raw.once('ready', () => resolve()).once('error', reject);
      raw.connect({ host: node.address, port: node.port, username: 'root', privateKey: key });
    });
    const connect = await measure(() => ours.exec(['true']));
    console.log(`herdbook connect + first exec: ${connect.wallMs.toFixed(0)} ms`);
    const seq: Cost[][] = [[], []];
    const par: Cost[][] = [[], []];
    const xfer: Cost[][] = [[], []];
    const data = randomBytes(mib * 1024 * 1024);
    for (let r = 0; r < runs; r++) {
      seq[0].push(await measure(async () => { for (let i = 0; i < execs; i++) await ours.exec(['true']); }));
      seq[1].push(await measure(async () => { for (let i = 0; i < execs; i++) await rawExec(raw, 'true'); }));
      par[0].push(await measure(() => Promise.all(Array.from({ length: parallel }, () => ours.exec(['true'])))));
      par[1].push(await measure(() => rawParallel(raw, parallel)));
      xfer[0].push(await measure(async () => { await ours.put(data, '/tmp/hb-bench.bin'); await ours.get('/tmp/hb-bench.bin'); }));
      xfer[1].push(await measure(() => new Promise<void>((resolve, reject) =>
        raw.sftp((err, sftp) => {
          if (err) return reject(err);
          sftp.writeFile('/tmp/hb-bench-raw.bin', data, (e) => (e ? reject(e) : sftp.readFile('/tmp/hb-bench-raw.bin', (e2) => (sftp.end(), e2 ? reject(e2) : resolve()))));
        }),
      )));
    }
    console.log(line(`${execs} sequential execs`, seq[0], seq[1], execs));
    console.log(line(`${parallel} parallel, MaxSessions ${MAX_SESSIONS}`, par[0], par[1], parallel));
    console.log(line(`put + get ${mib} MiB (per MiB)`, xfer[0], xfer[1], mib));
    await ours.exec(['rm', '-f', '/tmp/hb-bench.bin', '/tmp/hb-bench-raw.bin']);
  } finally {
    raw.end();
    await ours.close();
    await fleet.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}

await main();
