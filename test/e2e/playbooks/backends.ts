// Every playbook end-to-end file runs on both backends: its sandbox on kube-sim, then on a
// real control plane (skipped with one line where no binaries are; failing instead under
// HERDBOOK_REQUIRE_REAL_KUBE=1). Real time is slow time: generous per-test timeouts, since
// CI runs the files in parallel workers on two cores.
import { describePerBackend, type BackendName } from '../../helpers/backends.js';
import { sandboxFor, type Sandbox } from './sandbox.js';

/** Per test: a real stepwise upgrade is a few minutes alone, more under load. */
export const E2E_TEST_TIMEOUT = 900_000;

/**
 * `describe(title [backend])` with a sandbox per backend (`sandbox up` flags plus the backend's).
 * `only` names the backends for a playbook that never talks to the API server (packages, files on
 * the nodes): a second API server would test nothing and costs CI minutes.
 */
export function describeSandboxes(
  title: string,
  flags: string[],
  body: (sandbox: () => Sandbox, backend: BackendName) => void,
  only?: BackendName[],
): void {
  describePerBackend(title, (backend) => body(sandboxFor(flags, backend), backend), {
    timeout: E2E_TEST_TIMEOUT,
    backends: only,
  });
}
