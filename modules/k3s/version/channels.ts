// The k3s channel server (update.k3s.io): a channel answers 302 with a Location ending in the
// tag; the collection lists each minor's latest patch, which a stepwise upgrade walks.
import { ModuleError } from '../../../engine/errors.js';
import { minorChannel } from '../../../engine/versions.js';

export const DEFAULT_CHANNEL_URL = 'https://update.k3s.io/v1-release/channels';

export async function resolveChannel(channelUrl: string, channel: string, signal?: AbortSignal): Promise<string> {
  const url = `${channelUrl.replace(/\/$/, '')}/${encodeURIComponent(channel)}`;
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'manual', signal });
  } catch (e) {
    throw new ModuleError(`cannot reach the k3s channel server ${url}: ${(e as Error).message}`);
  }
  const location = res.headers.get('location');
  if (res.status >= 300 && res.status < 400 && location) {
    const tag = decodeURIComponent(location.replace(/\/$/, '').split('/').pop() ?? '');
    if (tag) return tag;
  }
  if (res.status === 404) throw new ModuleError(`k3s channel '${channel}' does not exist on ${channelUrl}`);
  throw new ModuleError(`k3s channel server ${url} answered ${res.status} without a version`);
}

/** minor ("v1.31") → that minor's latest release, from the channel collection. */
export async function latestPerMinor(channelUrl: string, signal?: AbortSignal): Promise<Record<string, string>> {
  let body: { data?: { id?: string; latest?: string }[] };
  try {
    const res = await fetch(channelUrl.replace(/\/$/, ''), { signal, headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = (await res.json()) as typeof body;
  } catch (e) {
    throw new ModuleError(`cannot read the k3s channel list ${channelUrl}: ${(e as Error).message}`);
  }
  const out: Record<string, string> = {};
  for (const c of body.data ?? []) {
    if (c.id && /^v\d+\.\d+$/.test(c.id) && c.latest) out[c.id] = c.latest;
  }
  return out;
}

export function channelFor(version: string): string {
  return minorChannel(version);
}
