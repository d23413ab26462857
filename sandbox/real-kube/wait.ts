// Waiting for a process to be ready: a plain GET (etcd's /health, kube-apiserver's
// /readyz) polled until it answers, and given up early, with the reason, when the process
// it waits for has died.
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { RealKubeError } from './archive.js';

export type Tls = { ca: string; cert: string; key: string };

export type Answer = { status: number; body: string };

/** One GET; rejects on a connection error or after timeoutMs. */
export function get(url: string, tls?: Tls, timeoutMs = 2000): Promise<Answer> {
  const lib = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.get(url, { ...tls, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

export type WaitOptions = {
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Asked between attempts: a reason to stop waiting (the process exited), or undefined. */
  failed?: () => string | undefined;
  /** Appended to the timeout's message: the end of the log of what did not become ready. */
  detail?: () => string;
};

/** Polls `check` until it returns a value other than undefined; RealKubeError on timeout or failure. */
export async function waitUntil<T>(check: () => Promise<T | undefined>, o: WaitOptions): Promise<T> {
  const deadline = Date.now() + o.timeoutMs;
  let last = '';
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = (e as Error).message;
    }
    const failure = o.failed?.();
    if (failure) throw new RealKubeError(`${o.what}: ${failure}`);
    if (Date.now() > deadline) {
      const detail = o.detail?.();
      throw new RealKubeError(
        `${o.what}: not ready after ${o.timeoutMs / 1000} s${last ? ` (last error: ${last})` : ''}${detail ? `\n${detail}` : ''}`,
      );
    }
    await sleep(o.intervalMs ?? 100);
  }
}
