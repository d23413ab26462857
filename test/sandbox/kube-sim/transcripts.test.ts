// Every exchange recorded from a real v1.32.13 kube-apiserver (sandbox/kube-sim/replay/
// transcripts), replayed in order on a fresh kube-sim set up as that server was: the same
// status, kept headers, reason, kind and body shape; values where they are not the run's own.
// The same replay runs against a real server: node dist/sandbox/kube-sim/replay/main.js.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../../../sandbox/kube-sim/index.js';
import { RECORDED_SERVER } from '../../../sandbox/kube-sim/replay/recorded-server.js';
import { replay, report, type ExchangeResult } from '../../../sandbox/kube-sim/replay/run.js';
import {
  loadTranscripts,
  REFERENCE_TRANSCRIPTS_DIR,
  TRANSCRIPTS_DIR,
} from '../../../sandbox/kube-sim/replay/transcript.js';
import { startFast } from './helpers.js';

const transcripts = loadTranscripts();

describe('the recorded kube-apiserver exchanges, replayed on kube-sim', () => {
  let sim: KubeSim;
  let results: ExchangeResult[];
  beforeAll(async () => {
    sim = await startFast(RECORDED_SERVER);
    results = await replay({ url: sim.url, ca: sim.caPem, token: sim.tokens.admin });
    console.log(report(results));
  });
  afterAll(() => sim.close());

  it('replays all 32', () => {
    expect(transcripts).toHaveLength(32);
  });

  it.each(transcripts.map((t) => [t.file, t.why]))('%s (%s)', (file) => {
    expect(results.find((r) => r.transcript.file === file)!.differences).toEqual([]);
  });

  it.skipIf(!existsSync(REFERENCE_TRANSCRIPTS_DIR))('its copies are the reference transcripts', () => {
    for (const t of transcripts) {
      expect(readFileSync(path.join(TRANSCRIPTS_DIR, t.file), 'utf8'), t.file).toBe(
        readFileSync(path.join(REFERENCE_TRANSCRIPTS_DIR, t.file), 'utf8'),
      );
    }
  });
});
