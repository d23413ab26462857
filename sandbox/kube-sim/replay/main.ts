// Replays the recorded exchanges against any API server:
//   node dist/sandbox/kube-sim/replay/main.js --kubeconfig FILE [--transcripts DIR]
// The kubeconfig's current context names the server and its admin credentials (a client
// certificate or a token; it must be allowed to impersonate). The replay creates and deletes
// node rec-node-1 and namespace transcripts. Exit code 0 when every exchange matched.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Target } from './client.js';
import { replay, report } from './run.js';
import { loadTranscripts } from './transcript.js';

const b64 = (s: string | undefined) => (s ? Buffer.from(s, 'base64').toString('utf8') : undefined);
const file = (p: string | undefined) => (p ? readFileSync(p, 'utf8') : undefined);

/** The parts of a kubeconfig the replay reads. */
type Kubeconfig = {
  'current-context'?: string;
  contexts: { name: string; context: { cluster: string; user: string } }[];
  clusters: {
    name: string;
    cluster: { server: string; 'certificate-authority-data'?: string; 'certificate-authority'?: string };
  }[];
  users: {
    name: string;
    user: {
      'client-certificate-data'?: string;
      'client-certificate'?: string;
      'client-key-data'?: string;
      'client-key'?: string;
      token?: string;
    };
  }[];
};

export function targetFromKubeconfig(text: string): Target {
  const kc = parse(text) as Kubeconfig;
  const ctx = kc.contexts.find((c) => c.name === kc['current-context'])?.context ?? kc.contexts[0].context;
  const cluster = kc.clusters.find((c) => c.name === ctx.cluster)?.cluster;
  const user = kc.users.find((u) => u.name === ctx.user)?.user;
  if (!cluster || !user)
    throw new Error(
      `the kubeconfig's context names cluster ${ctx.cluster} and user ${ctx.user}, and it has ${cluster ? 'no such user' : 'no such cluster'}`,
    );
  return {
    url: cluster.server,
    ca: b64(cluster['certificate-authority-data']) ?? file(cluster['certificate-authority']),
    cert: b64(user['client-certificate-data']) ?? file(user['client-certificate']),
    key: b64(user['client-key-data']) ?? file(user['client-key']),
    token: user.token,
  };
}

async function main(argv: string[]): Promise<number> {
  const arg = (name: string) => argv[argv.indexOf(name) + 1];
  if (!argv.includes('--kubeconfig')) {
    console.error('usage: main.js --kubeconfig FILE [--transcripts DIR]');
    return 5;
  }
  const results = await replay(
    targetFromKubeconfig(readFileSync(arg('--kubeconfig'), 'utf8')),
    loadTranscripts(argv.includes('--transcripts') ? arg('--transcripts') : undefined),
  );
  console.log(report(results));
  return results.every((r) => !r.differences.length) ? 0 : 1;
}

if (process.argv[1]?.endsWith('replay/main.js')) process.exitCode = await main(process.argv.slice(2));
