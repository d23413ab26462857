// The machine a run was measured on, for the summary (figures mean little without it).
import { readFileSync } from 'node:fs';
import os from 'node:os';

export function describeMachine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const load = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  let distro: string = os.platform();
  try {
    distro = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? distro;
  } catch {
    // Not Linux, or no os-release: the platform name will do.
  }
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${distro}, node ${process.version}, load average ${load} (at the end of the run)`;
}
