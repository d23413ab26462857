// gather_facts: one round trip per host (a single shell script), parsed by a pure function.
import type { Connection } from '../connection/types.js';

export const FACTS_SCRIPT = [
  'echo "hostname=$(hostname 2>/dev/null || cat /etc/hostname)"',
  'if [ -r /etc/os-release ]; then . /etc/os-release; echo "os_id=$ID"; echo "os_version=$VERSION_ID"; echo "os_name=$PRETTY_NAME"; fi',
  'echo "arch=$(uname -m)"',
  'echo "kernel=$(uname -r)"',
  'echo "init=$(cat /proc/1/comm 2>/dev/null)"',
  'echo "cpus=$(nproc 2>/dev/null || grep -c ^processor /proc/cpuinfo)"',
  'echo "mem_kb=$(awk \'/^MemTotal:/ {print $2}\' /proc/meminfo 2>/dev/null)"',
].join('\n');

export type Facts = {
  hostname: string;
  os: { id: string; version: string; name: string };
  architecture: string;
  kernel: string;
  init: string;
  cpus: number;
  memory_mb: number;
};

export function parseFacts(text: string): Facts {
  const kv = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) kv.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const arch = kv.get('arch') ?? '';
  return {
    hostname: kv.get('hostname') ?? '',
    os: { id: kv.get('os_id') ?? '', version: kv.get('os_version') ?? '', name: kv.get('os_name') ?? '' },
    architecture: arch,
    kernel: kv.get('kernel') ?? '',
    init: kv.get('init') ?? '',
    cpus: Number(kv.get('cpus') ?? 0) || 0,
    memory_mb: Math.round(Number(kv.get('mem_kb') ?? 0) / 1024),
  };
}

export async function gatherFacts(conn: Connection): Promise<Facts> {
  const r = await conn.exec(FACTS_SCRIPT, { idempotent: true, timeout: 30_000 });
  if (r.rc !== 0) throw new Error(`gathering facts failed (exit ${r.rc}): ${r.stderr.trim()}`);
  return parseFacts(r.stdout);
}
