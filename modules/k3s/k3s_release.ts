// k3s_release: which release a version or a channel means right now, read from the channel
// server on the controller (so preflight can show the target before anything changes).
import { defineModule, ModuleError } from '../../engine/index-module.js';
import { minorChannel, parseVersion } from '../../engine/versions.js';
import { resolveChannel } from './version/channels.js';

type Args = { version?: string; channel?: string; channel_url: string };

export const k3sRelease = defineModule<Args, { version: string; via: string }, never>({
  name: 'k3s_release',
  schema: 'k3s_release',
  runsOn: 'controller',
  predictable: true,
  async inspect(ctx, a) {
    if (a.version) {
      if (!parseVersion(a.version))
        throw new ModuleError(`version '${a.version}' is not a k3s release (expected like v1.32.5+k3s1)`);
      return { version: a.version, via: 'pinned version' };
    }
    const channel = a.channel ?? 'stable';
    return { version: await resolveChannel(a.channel_url, channel, ctx.signal), via: `via ${channel} channel` };
  },
  plan(s) {
    return {
      changes: [],
      noop: `target ${s.version} (${s.via})`,
      data: { version: s.version, minor: minorChannel(s.version), via: s.via },
    };
  },
  async apply() {
    return {};
  },
});
