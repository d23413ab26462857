// `herdbook sandbox up | status | down`: the local cluster to rehearse on.
import { HerdbookError } from '../errors.js';
import type { CommandIO } from './io.js';

export type SandboxFlags = {
  stateDir?: string;
  servers?: string;
  agents?: string;
  spare?: string;
  /** false with --no-k3s. */
  k3s?: boolean;
  proxmox?: boolean;
  k3sVersion?: string;
  fast?: boolean;
  kubeApiserver?: boolean | string;
};

export async function sandboxCommand(action: string, flags: SandboxFlags, io: CommandIO): Promise<number> {
  try {
    return await sandboxAction(action, flags, io);
  } catch (e) {
    // What the machine lacks (sshd, permissions, a build) is not a herdbook bug: say it plainly.
    if (e instanceof HerdbookError) throw e;
    throw new HerdbookError('E_SANDBOX', `sandbox ${action}: ${(e as Error).message}`, { cause: e });
  }
}

async function sandboxAction(action: string, flags: SandboxFlags, io: CommandIO): Promise<number> {
  const { defaultSandboxDir, sandboxDown, sandboxStatus, sandboxUp } = await import('../../sandbox/cluster/index.js');
  const stateDir = flags.stateDir ?? defaultSandboxDir();
  if (action === 'up') {
    const s = await sandboxUp({
      stateDir,
      servers: flags.servers ? Number(flags.servers) : undefined,
      agents: flags.agents ? Number(flags.agents) : undefined,
      spare: flags.spare ? Number(flags.spare) : undefined,
      k3s: flags.k3s,
      proxmox: flags.proxmox,
      version: flags.k3sVersion,
      fast: flags.fast,
      kubeApiserver: flags.kubeApiserver,
      log: (l) => io.err(l),
    });
    io.out((await sandboxStatus(s.stateDir)).text);
    io.out(`\ntry: herdbook run playbooks/upgrade-k3s.yaml -i ${s.inventory} --check`);
    return 0;
  }
  if (action === 'status') {
    const st = await sandboxStatus(stateDir);
    io.out(st.text);
    return st.up ? 0 : 3;
  }
  const had = await sandboxDown(stateDir);
  io.out(had ? `the sandbox in ${stateDir} is down and removed` : `no sandbox in ${stateDir}; nothing to do`);
  return 0;
}
