// A container the kubelet cannot run, as a test asks for it with an annotation on the pod (its
// template's, for a workload): `kube-sim.herdbook.dev/waiting: CrashLoopBackOff` or
// `CreateContainerConfigError`. Both backends' kubelets (kube-sim's and the real control plane's
// played ones) write the status the real kubelet writes:
// - CreateContainerConfigError (kuberuntime_container.go, ErrCreateContainerConfig: a Secret or
//   ConfigMap the container's env names is missing): the pod stays Pending, the container waits
//   with the reason and the lookup's error, never started, restartCount 0;
// - CrashLoopBackOff (kuberuntime_manager.go): the pod is Running, the container waits with
//   "back-off <delay> restarting failed container=<name> pod=<name>_<namespace>(<uid>)"
//   (format.Pod), its last state terminated with exit code 1, reason Error.
// Either way Ready and ContainersReady are False.

export const WAITING_ANNOTATION = 'kube-sim.herdbook.dev/waiting';

export type WaitingReason = 'CrashLoopBackOff' | 'CreateContainerConfigError';

type PodLike = {
  metadata?: { name?: string; namespace?: string; uid?: string; annotations?: Record<string, string> };
  spec?: { containers?: Array<{ name: string; image?: string }> };
};

/** The reason the pod's annotation asks for; undefined for none (or one the kubelets do not play). */
export function waitingReason(pod: PodLike): WaitingReason | undefined {
  const r = pod.metadata?.annotations?.[WAITING_ANNOTATION];
  return r === 'CrashLoopBackOff' || r === 'CreateContainerConfigError' ? r : undefined;
}

/** The phase and containerStatuses of a pod whose containers wait for `reason`. */
export function waitingStatus(
  pod: PodLike,
  reason: WaitingReason,
  startedAt: string,
  containerID?: (c: string) => string,
) {
  const m = pod.metadata ?? {};
  const crash = reason === 'CrashLoopBackOff';
  return {
    phase: crash ? ('Running' as const) : ('Pending' as const),
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: '',
      ready: false,
      restartCount: crash ? 3 : 0,
      started: false,
      state: {
        waiting: {
          reason,
          message: crash
            ? `back-off 40s restarting failed container=${c.name} pod=${m.name}_${m.namespace}(${m.uid})`
            : `secret "${c.name}-config" not found`,
        },
      },
      lastState: crash
        ? {
            terminated: {
              exitCode: 1,
              reason: 'Error',
              startedAt,
              finishedAt: startedAt,
              ...(containerID ? { containerID: containerID(c.name) } : {}),
            },
          }
        : {},
    })),
  };
}
