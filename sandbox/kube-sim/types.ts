// The shapes of the Kubernetes objects the simulator reads and writes. Objects arrive
// as JSON from clients, so only the fields the simulator itself relies on are typed;
// everything else is carried through untouched.

export type Labels = Record<string, string>;

export type OwnerReference = {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
};

export type ObjectMeta = {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Labels;
  annotations?: Labels;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [k: string]: unknown;
};

type ObjectBase = { apiVersion?: string; kind?: string; metadata: ObjectMeta; [k: string]: unknown };

/** Any object kept by the store: a name, a namespace (or not), and free-form content. */
export type KubeObject = ObjectBase & { spec?: any; status?: any };

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export type Taint = { key: string; value?: string; effect: TaintEffect; timeAdded?: string };

export type Toleration = {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: TaintEffect | '';
  tolerationSeconds?: number;
};

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export type Condition = {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastHeartbeatTime?: string;
  lastProbeTime?: string | null;
  observedGeneration?: number;
};

export type LabelSelectorRequirement = {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
};
export type LabelSelector = { matchLabels?: Labels; matchExpressions?: LabelSelectorRequirement[] };

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export type Pod = ObjectBase & {
  spec: {
    nodeName?: string;
    containers: Array<{ name: string; image: string; [k: string]: unknown }>;
    volumes?: Array<{
      name: string;
      emptyDir?: unknown;
      persistentVolumeClaim?: { claimName: string };
      [k: string]: unknown;
    }>;
    tolerations?: Toleration[];
    nodeSelector?: Labels;
    terminationGracePeriodSeconds?: number;
    [k: string]: unknown;
  };
  status: { phase?: PodPhase; conditions?: Condition[]; [k: string]: unknown };
};

export type Node = ObjectBase & {
  spec: { unschedulable?: boolean; taints?: Taint[]; [k: string]: unknown };
  status: {
    conditions?: Condition[];
    nodeInfo?: { kubeletVersion?: string; [k: string]: unknown };
    [k: string]: unknown;
  };
};

export type IntOrString = number | string;

export type PodDisruptionBudget = ObjectBase & {
  spec: { selector?: LabelSelector; minAvailable?: IntOrString; maxUnavailable?: IntOrString; [k: string]: unknown };
  status?: {
    currentHealthy?: number;
    desiredHealthy?: number;
    disruptionsAllowed?: number;
    expectedPods?: number;
    observedGeneration?: number;
    disruptedPods?: Record<string, string>;
    conditions?: Condition[];
  };
};

/** What the simulator reads of a claim (it binds every claim at once). */
export type PersistentVolumeClaim = ObjectBase & {
  spec?: {
    volumeMode?: string;
    volumeName?: string;
    accessModes?: string[];
    resources?: { requests?: { storage?: string } };
    [k: string]: unknown;
  };
};

/** Deployments, ReplicaSets and DaemonSets share the parts the controllers use. */
export type Workload = ObjectBase & {
  spec: {
    replicas?: number;
    selector?: LabelSelector;
    template: { metadata?: ObjectMeta; spec: Pod['spec'] };
    [k: string]: unknown;
  };
  status?: Record<string, unknown>;
};
