// ?watch=true: a stream of newline-separated {type, object} events, from the current
// state (no resourceVersion, or "0") or from a resourceVersion still in the history.
import type { ServerResponse } from 'node:http';
import type { StoreEvent } from '../store.js';
import type { KubeObject } from '../types.js';
import type { ApiContext, ApiRequest } from './context.js';
import { selectObjects } from './read.js';
import { apiVersionOf, tableOf } from './resources.js';
import { statusBody } from './status.js';

const DEFAULT_TIMEOUT_S = 1800;

export function startWatch(ctx: ApiContext, req: ApiRequest, res: ServerResponse, onEnd: () => void): void {
  const { items, filter } = selectObjects(ctx, req);
  const table = tableOf(req.def);
  const typed = (o: KubeObject) => ({ apiVersion: apiVersionOf(req.def), kind: req.def.kind, ...o });
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  // Clients wait for the headers before they read events; an idle watch must still send them.
  res.flushHeaders();
  const send = (type: string, object: unknown) => res.write(JSON.stringify({ type, object }) + '\n');

  const from = req.query.get('resourceVersion');
  if (!from || from === '0') {
    for (const o of items) send('ADDED', typed(o));
  } else {
    const events = ctx.store.eventsSince(Number(from));
    if (events === 'gone') {
      send('ERROR', statusBody(410, `too old resource version: ${from} (${ctx.store.resourceVersion})`, 'Expired'));
      res.end();
      onEnd();
      return;
    }
    for (const e of events) if (e.table === table && filter(e.object)) send(e.type, typed(e.object));
  }

  const unsubscribe = ctx.store.subscribe((e: StoreEvent) => {
    if (e.table === table && filter(e.object)) send(e.type, typed(e.object));
  });
  const seconds = Number(req.query.get('timeoutSeconds') ?? DEFAULT_TIMEOUT_S);
  const timer = setTimeout(() => res.end(), seconds * 1000);
  let ended = false;
  const finish = () => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    unsubscribe();
    onEnd();
  };
  res.on('close', finish);
  res.on('finish', finish);
}
