// The Kubernetes client modules receive. Types only: @kubernetes/client-node is loaded
// lazily by engine/kube/client.ts, so commands that never talk to a cluster stay fast.
import type {
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  PolicyV1Api,
  StorageV1Api,
  VersionApi,
} from '@kubernetes/client-node';

export interface KubeClient {
  /** The API server URL this client talks to (after any rewrite or tunnel). */
  readonly server: string;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly policy: PolicyV1Api;
  readonly coordination: CoordinationV1Api;
  readonly storage: StorageV1Api;
  readonly version: VersionApi;
  /** Merge-patch and strategic-merge-patch options for the generated patch* calls. */
  patchOptions(kind: 'merge' | 'strategic' | 'json'): unknown;
  /**
   * A `MicroTime` value (Lease acquireTime/renewTime): the library's V1MicroTime, which
   * serialises with the six fractional digits the API server's parser insists on.
   */
  microTime(at: Date): Date;
}
