// Replays the transcripts in order against an API server (kube-sim or a real one): the setup
// each needs, the request with the live uids and resourceVersions, the answer compared.
import { send, type Received, type Target } from './client.js';
import { compareResponse } from './compare.js';
import * as script from './script.js';
import { loadTranscripts, type Transcript } from './transcript.js';
import { Translation } from './translate.js';

export type ExchangeResult = { transcript: Transcript; live?: Received; differences: string[] };

export async function replay(target: Target, transcripts: Transcript[] = loadTranscripts()): Promise<ExchangeResult[]> {
  const translation = new Translation();
  const results: ExchangeResult[] = [];
  await script.beforeAll(target);
  try {
    for (const t of transcripts) {
      try {
        await script.BEFORE[t.name]?.(target);
        const { method, path, headers, body } = t.request;
        const live = await send(
          target,
          { method, path, headers, body: translation.apply(body) },
          script.SENDER[t.name] ?? 'admin',
        );
        if (live.status < 300) translation.learn(t.response.body, live.body);
        results.push({ transcript: t, live, differences: compareResponse(t.response, live) });
      } catch (e) {
        results.push({ transcript: t, differences: [`replay failed: ${(e as Error).message}`] });
      }
    }
  } finally {
    await script.afterAll(target);
  }
  return results;
}

/** One line an exchange, then the count matched. */
export function report(results: ExchangeResult[]): string {
  const lines = results.map(
    (r) =>
      `${r.differences.length ? 'DIFFERS' : 'matches'}  ${r.transcript.file}${r.differences.map((d) => `\n    ${d}`).join('')}`,
  );
  const matched = results.filter((r) => !r.differences.length).length;
  return [...lines, `${matched}/${results.length} exchanges matched`].join('\n');
}
