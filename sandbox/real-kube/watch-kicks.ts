// A watch used only as a doorbell: every event calls `onEvent`, and the caller lists what it
// needs. Nothing is lost when the watch breaks (the API server ends watches after a while,
// or restarts): it is opened again a second later, and its first events ring again.
import type { ApiClients } from './clients.js';

export function watchKicks(api: ApiClients, path: string, onEvent: () => void): { stop(): void } {
  let stopped = false;
  let current: AbortController | undefined;
  let retry: NodeJS.Timeout | undefined;
  const open = () => {
    if (stopped) return;
    const again = () => {
      current = undefined;
      if (!stopped) retry = setTimeout(open, 1000);
    };
    api.watch
      .watch(path, {}, () => onEvent(), again)
      .then((c) => {
        if (stopped) c.abort();
        else current = c;
      })
      .catch(again);
  };
  open();
  return {
    stop() {
      stopped = true;
      clearTimeout(retry);
      current?.abort();
    },
  };
}
