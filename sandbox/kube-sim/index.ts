// The Kubernetes API simulator's public surface.
export { startKubeSim, type KubeSim, type KubeSimOptions } from './sim.js';
export {
  loadScenario,
  checkScenario,
  ScenarioError,
  type Scenario,
  type ScenarioNode,
  type ScenarioDeployment,
  type ScenarioDaemonSet,
  type ScenarioPod,
  type ScenarioPdb,
  type ScenarioPvc,
  type ScenarioLease,
} from './scenario.js';
export { DEFAULT_TIMINGS, FAST_TIMINGS, type SimTimings } from './clock.js';
export type { NodeSource, NodeReport, KubeletState } from './controllers/kubelets.js';
export { commandNodeSource, parseVersion, type NodeCommands } from './controllers/command-source.js';
export type { SimUser, Role, Rule } from './server/auth.js';
export type { RequestRecord } from './server/request-log.js';
export { createPki, type Pki } from './server/pki.js';
export { READY_ANNOTATION } from './controllers/kubelet.js';
export { TERMINATE_ANNOTATION, START_ANNOTATION } from './objects/pod.js';
export { DEFAULT_KUBELET_VERSION, type NodeChange } from './cluster.js';
