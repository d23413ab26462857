// Whether a connection uses the persistent executor: the host's `herdbook_executor` variable
// when set; otherwise HERDBOOK_EXECUTOR=0/1 from the environment (to run a whole suite either
// way); otherwise the default: on, for ssh hosts and pct containers (the local connection has
// none: a local command is a fork and exec of our own process either way, measured the same).
const DEFAULT_ON = true;

const fromEnv = process.env.HERDBOOK_EXECUTOR;

export function executorEnabled(setting: boolean | undefined): boolean {
  if (setting !== undefined) return setting;
  if (fromEnv !== undefined && fromEnv !== '') return !['0', 'false', 'no', 'off'].includes(fromEnv.toLowerCase());
  return DEFAULT_ON;
}

/** How long a new session may take to say it is ready before the host is served per command. */
export const EXECUTOR_START_TIMEOUT_MS = 10_000;
