// The recorded exchanges replayed on a fresh real kube-apiserver v1.32.13, in order, with the
// same setup script as on kube-sim: the recordings still hold for the server they came from,
// so kube-sim is held to answers that are true, not remembered.
import { expect, it } from 'vitest';
import { targetFromKubeconfig } from '../../../sandbox/kube-sim/replay/main.js';
import { replay, report, type ExchangeResult } from '../../../sandbox/kube-sim/replay/run.js';
import { loadTranscripts } from '../../../sandbox/kube-sim/replay/transcript.js';
import { describeRealKube, startRealKubeForFile } from '../../helpers/real-kube.js';

const transcripts = loadTranscripts();

// What this server decides by the clock or its build, not by the request: the node lifecycle
// controller taints the recorded node (it has no kubelet) when its grace periods run out, which
// the replay does not wait for (the recording was made at a person's pace; under load one more
// taint is there, or one fewer), and these binaries were built without a git tree state. Only these may differ; any other difference fails.
const TIMING = /(^|\.)spec(: missing field taints|\.taints(\[|: expected \d+ items))|f:taints|^gitTreeState: /;
const onlyTiming = (differences: string[]) =>
  differences
    .map((d) => d.replace(/^message<object \d+>\./, '').replace(/^items\[\d+\]\./, ''))
    .filter((d) => !TIMING.test(d));

await describeRealKube('the recorded exchanges, replayed on a real kube-apiserver', () => {
  // Kubernetes' own node monitoring and default tolerations, as on the server that was recorded:
  // the played kubelets' fast settings change which taints a kubelet-less node carries when.
  const kube = startRealKubeForFile({ nodeMonitor: { periodSeconds: 5, graceSeconds: 40 }, tolerationSeconds: 300 });
  let results: ExchangeResult[] | undefined;
  const replayed = async () => {
    results ??= await replay(targetFromKubeconfig(kube().kubeconfig));
    return results;
  };

  it('replays all 32 in order', async () => {
    const r = await replayed();
    console.log(report(r));
    expect(r).toHaveLength(32);
  }, 120_000);

  it.each(transcripts.map((t) => [t.file, t.why]))('%s (%s)', async (file) => {
    expect(onlyTiming((await replayed()).find((r) => r.transcript.file === file)!.differences)).toEqual([]);
  });

  it('differs from the recordings in the controller-timed taints and the build only, in the exchanges that read that node', async () => {
    const timed = (await replayed()).filter((r) => r.differences.length).map((r) => r.transcript.file);
    expect(
      timed.every((f) => /^(01|04|09|10|11|13)-/.test(f)),
      timed.join(', '),
    ).toBe(true);
  });
});
