// herdbook's ssh connection against raw ssh2 on the same sshd, same run: what is left between
// the two is ours (quoting, pid line, the channel gate, result shape).
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import ssh2, { type ClientChannel } from 'ssh2';
import { SshConnection } from '../engine/connection/ssh/index.js';
import { measure, type Cost } from './lib/measure.js';
import { median } from './lib/stats.js';
import { ratioText, type Bench, type SummaryRow } from './lib/suite.js';

/** The fleet's sshd MaxSessions (OpenSSH's default). */
const MAX_SESSIONS = 10;

function rawExec(c: ssh2.Client, cmd: string): Promise<void> {
  return new Promise((resolve, reject) =>
    c.exec(cmd, (err, ch: ClientChannel) => {
      // Even the floor must wait out sshd freeing a just-closed session.
      if (err?.message.includes('Channel open failure'))
        return void setTimeout(() => void rawExec(c, cmd).then(resolve, reject), 5);
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

export const sshBench: Bench = {
  name: 'ssh2',
  title: "herdbook's ssh connection vs raw ssh2 on the same sshd (sequential, parallel, transfer)",
  async run(ctx) {
    const execs = ctx.opts.quick ? 50 : 200;
    const parallel = 100;
    const mib = ctx.opts.quick ? 8 : 64;
    const bf = await ctx.fleet();
    const node = bf.nodes(1)[0];
    const ours = new SshConnection(node.settings, { sshConfigPath: null, env: { HOME: bf.fleet.stateDir } });
    const raw = new ssh2.Client();
    try {
      const key = await readFile(bf.fleet.clientKeyPath);
      await new Promise<void>((resolve, reject) => {
        raw
          .once('ready', () => {
            // The same socket option herdbook sets (Nagle off): without it raw ssh2 waits out a
            // delayed ACK on every exec (48 ms against 4 ms here), and the comparison would flatter us.
            raw.setNoDelay(true);
            resolve();
          })
          .once('error', reject);
        raw.connect({ host: node.address, port: node.port, username: 'root', privateKey: key });
      });
      await ours.exec(['true']);
      const seq: Cost[][] = [[], []];
      const par: Cost[][] = [[], []];
      const xfer: Cost[][] = [[], []];
      const data = randomBytes(mib * 1024 * 1024);
      for (let r = 0; r < ctx.opts.runs; r++) {
        seq[0].push(
          await measure(async () => {
            for (let i = 0; i < execs; i++) await ours.exec(['true']);
          }),
        );
        seq[1].push(
          await measure(async () => {
            for (let i = 0; i < execs; i++) await rawExec(raw, 'true');
          }),
        );
        par[0].push(await measure(() => Promise.all(Array.from({ length: parallel }, () => ours.exec(['true'])))));
        par[1].push(await measure(() => rawParallel(raw, parallel)));
        xfer[0].push(
          await measure(async () => {
            await ours.put(data, '/run/hb-bench.bin');
            await ours.get('/run/hb-bench.bin');
          }),
        );
        xfer[1].push(
          await measure(
            () =>
              new Promise<void>((resolve, reject) =>
                raw.sftp((err, sftp) => {
                  if (err) return reject(err);
                  sftp.writeFile('/run/hb-bench-raw.bin', data, (e) =>
                    e
                      ? reject(e)
                      : sftp.readFile('/run/hb-bench-raw.bin', (e2) => (sftp.end(), e2 ? reject(e2) : resolve())),
                  );
                }),
              ),
          ),
        );
      }
      await ours.exec(['rm', '-f', '/run/hb-bench.bin', '/run/hb-bench-raw.bin']);
      const rows: SummaryRow[] = [];
      const line = (label: string, o: Cost[], f: Cost[], per: number) => {
        const m = (c: Cost[], k: keyof Cost) => median(c.map((x) => x[k]));
        const us = (ms: number) => `${((ms / per) * 1000).toFixed(0).padStart(6)} µs`;
        ctx.log(
          `  ${label.padEnd(32)} wall ${us(m(o, 'wallMs'))} vs ${us(m(f, 'wallMs'))}   cpu ${us(m(o, 'cpuMs'))} vs ${us(m(f, 'cpuMs'))}   (herdbook vs raw ssh2, per op)`,
        );
        rows.push({
          what: `ssh: ${label}`,
          figure: `${((m(o, 'wallMs') / per) * 1000).toFixed(0)} µs per op`,
          ratio: ratioText(m(o, 'wallMs') / m(f, 'wallMs'), 'raw ssh2'),
        });
      };
      line(`${execs} sequential execs`, seq[0], seq[1], execs);
      line(`${parallel} parallel, MaxSessions ${MAX_SESSIONS}`, par[0], par[1], parallel);
      line(`put + get ${mib} MiB (per MiB)`, xfer[0], xfer[1], mib);
      return rows;
    } finally {
      raw.end();
      await ours.close();
    }
  },
};
