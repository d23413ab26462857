// Shared by the simulator's tests: client-node clients from a kubeconfig, and the
// ApiException of a failing call with its Status body parsed.
import * as k8s from '@kubernetes/client-node';
import {
  createPki,
  FAST_TIMINGS,
  startKubeSim,
  type KubeSim,
  type KubeSimOptions,
  type Pki,
} from '../../../sandbox/kube-sim/index.js';

export type Clients = ReturnType<typeof clientsFor>;

export function clientsFor(kubeconfig: string) {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(kubeconfig);
  return {
    kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    policy: kc.makeApiClient(k8s.PolicyV1Api),
    coordination: kc.makeApiClient(k8s.CoordinationV1Api),
    version: kc.makeApiClient(k8s.VersionApi),
  };
}

let shared: Pki | undefined;

/** One CA per test file: generating keys costs a few hundred ms. */
export function pki(): Pki {
  return (shared ??= createPki());
}

export async function startFast(options: KubeSimOptions = {}): Promise<KubeSim> {
  return startKubeSim({ pki: pki(), ...options, timings: { ...FAST_TIMINGS, ...options.timings } });
}

export type Failure = { code: number; body: Record<string, any> };

/** The rejection of a client-node call: its HTTP code and parsed Status body. Fails if the call succeeded. */
export async function failure(p: Promise<unknown>): Promise<Failure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof k8s.ApiException) {
      const raw = e.body as unknown;
      return { code: e.code, body: typeof raw === 'string' ? JSON.parse(raw) : (raw as Record<string, any>) };
    }
    throw e;
  }
  throw new Error('expected the call to fail, it succeeded');
}

export const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
export const strategicPatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);
export const jsonPatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch);

export const twoWorkers = {
  nodes: [
    { name: 's-1', role: 'server' as const },
    { name: 'w-1', role: 'agent' as const },
    { name: 'w-2', role: 'agent' as const },
  ],
};

export type RawReply = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
};

/** A plain HTTPS request to the simulator, for what client-node cannot send (no credentials, odd content types). */
export async function raw(
  sim: { url: string; caPem: string },
  method: string,
  path: string,
  opts: { token?: string; body?: string; contentType?: string; userAgent?: string } = {},
): Promise<RawReply> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.contentType) headers['content-type'] = opts.contentType;
    if (opts.userAgent) headers['user-agent'] = opts.userAgent;
    // Node sends a DELETE body unframed unless told its length.
    if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body));
    const req = request(`${sim.url}${path}`, { method, headers, ca: sim.caPem }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        let json: any;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
