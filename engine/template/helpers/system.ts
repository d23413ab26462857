// Paths, environment, time and versions: (basename p), (env "HOME"), (now "YYYYMMDD"), (version_compare a ">=" b).
import path from 'node:path';
import type { HelperFn } from '../evaluate.js';
import { compareVersions, minorChannel, mustParseVersion, versionOperator } from '../../versions.js';
import { asText } from '../../text.js';

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** now: ISO 8601 UTC; now "unix": seconds; now "YYYYMMDD-HHmmss": those fields (UTC). */
export function formatNow(date: Date, format?: unknown): string | number {
  if (format === undefined) return date.toISOString();
  if (format === 'unix') return Math.floor(date.getTime() / 1000);
  return asText(format)
    .replace(/YYYY/g, String(date.getUTCFullYear()))
    .replace(/MM/g, pad(date.getUTCMonth() + 1))
    .replace(/DD/g, pad(date.getUTCDate()))
    .replace(/HH/g, pad(date.getUTCHours()))
    .replace(/mm/g, pad(date.getUTCMinutes()))
    .replace(/ss/g, pad(date.getUTCSeconds()));
}

export function systemHelpers(deps: { env: NodeJS.ProcessEnv; now: () => Date }): Record<string, HelperFn> {
  return {
    basename: ([p]) => path.posix.basename(String(p)),
    dirname: ([p]) => path.posix.dirname(String(p)),
    env: ([name, fallback]) => deps.env[String(name)] ?? fallback,
    now: ([format]) => formatNow(deps.now(), format),
    // (version_compare a ">=" b) → boolean; (version_compare a b) → -1, 0 or 1. k3s tags aware.
    version_compare: ([a, op, b]) => {
      if (b === undefined) return compareVersions(String(a), String(op));
      const test = versionOperator(String(op));
      if (!test) throw new Error(`unknown operator ${JSON.stringify(op)}; use <, <=, >, >=, == or !=`);
      return test(compareVersions(asText(a), asText(b)));
    },
    version_minor: ([v]) => mustParseVersion(String(v)).minor,
    version_channel: ([v]) => minorChannel(String(v)),
  };
}
