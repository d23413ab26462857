// One key per distinct connection settings, whatever order their fields were set in: the pools
// share a connection between tasks that resolve to the same settings, and only between those.
import type { ConnectionSettings } from './types.js';

export function settingsKey(s: ConnectionSettings): string {
  return JSON.stringify(
    Object.entries(s)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
