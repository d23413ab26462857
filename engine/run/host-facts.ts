// A host's facts by Ansible's names: gather_facts and fact modules (service_facts, package_facts)
// add to them; the variables they make are rebuilt here, once per change, not per task.
import { factsLayer } from '../facts/layer.js';
import type { HostState } from './context.js';

export function setGathered(hs: HostState, facts: Record<string, unknown>): void {
  hs.gathered = { ...(hs.gathered ?? {}), ...facts };
  hs.factsLayer = factsLayer(hs.gathered, hs.factsAlias);
}
