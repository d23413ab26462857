// The Kubernetes API for k3s_version, which also works without one: "no API configured for this
// run" means "no API" (the skew guard uses `servers:`, the Ready wait is skipped with a warning);
// any other failure to build the client (a missing kubeconfig file, an unreadable
// kubeconfig_from, a bad context) fails the task instead of silently skipping the guard.
import { HerdbookError, ModuleError } from '../../../engine/errors.js';
import { kubeErrorMessage, NoKubeApiError } from '../../../engine/kube/errors.js';
import type { KubeClient } from '../../../engine/kube/types.js';
import type { ModuleContext } from '../../../engine/module.js';

export async function kubeOrNone(ctx: ModuleContext): Promise<KubeClient | undefined> {
  try {
    return await ctx.kube();
  } catch (e) {
    if (e instanceof NoKubeApiError) return undefined;
    if (e instanceof HerdbookError) throw e;
    throw new ModuleError(`cannot set up the Kubernetes client: ${kubeErrorMessage(e)}`, undefined, { cause: e });
  }
}
