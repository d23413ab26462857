// Time in the simulator: wall-clock timestamps in objects, and a scale for simulated
// durations so that a 30 s grace period can pass in a few hundred ms in tests.

export type SimTimings = {
  /** Real milliseconds per simulated second: grace periods, start and stop times, tolerationSeconds. */
  secondMs: number;
  /** How often the controllers run even when nothing was written. */
  tickMs: number;
  /** How often each node's kubelet state is asked of the nodeSource. */
  nodePollMs: number;
  /** Simulated seconds a pod needs to stop after SIGTERM (a pod's annotation can say otherwise). */
  terminateSeconds: number;
  /** Simulated seconds from being bound to a node to Running and Ready. */
  podStartSeconds: number;
};

export const DEFAULT_TIMINGS: SimTimings = {
  secondMs: 1000,
  tickMs: 100,
  nodePollMs: 500,
  terminateSeconds: 1,
  podStartSeconds: 2,
};

/** Timings fast enough for tests: a simulated second lasts 20 ms. */
export const FAST_TIMINGS: SimTimings = {
  secondMs: 20,
  tickMs: 20,
  nodePollMs: 50,
  terminateSeconds: 1,
  podStartSeconds: 1,
};

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
