// The release channels of update.k3s.io, computed from a list of releases: stable, latest,
// testing, then one channel per minor whose `latest` is that minor's newest patch (the steps a
// minor-by-minor upgrade walks through). Pure, so the server and the tests share it.
import { compareK3sTags, highestTag, parseK3sTag } from './versions.js';

export type Channel = { id: string; latest: string; latestRegexp?: string; excludeRegexp?: string };

export type ChannelOptions = { stable?: string; latest?: string; testing?: string };

const NO_PRERELEASE = '^[^+]+-';

export function computeChannels(versions: readonly string[], opts: ChannelOptions = {}): Channel[] {
  if (versions.length === 0) throw new Error('the release server needs at least one version');
  const tags = versions.map(parseK3sTag);
  const releases = tags.filter((t) => !t.prerelease).map((t) => t.tag);
  for (const [name, pinned] of Object.entries(opts)) {
    if (pinned !== undefined && !versions.includes(pinned)) {
      throw new Error(`channel ${name} pins ${pinned}, which is not one of the versions served`);
    }
  }
  const newest = highestTag(releases) ?? highestTag(versions)!;
  const channels: Channel[] = [
    { id: 'stable', latest: opts.stable ?? newest },
    { id: 'latest', latest: opts.latest ?? newest, latestRegexp: '.*', excludeRegexp: NO_PRERELEASE },
    { id: 'testing', latest: opts.testing ?? highestTag(versions)!, latestRegexp: '-(alpha|beta|rc)' },
  ];
  const minors = [...new Set(tags.filter((t) => !t.prerelease).map((t) => t.minor))];
  minors.sort((a, b) => compareK3sTags(`${a}.0+k3s1`, `${b}.0+k3s1`));
  for (const minor of minors) {
    const latest = highestTag(releases.filter((tag) => parseK3sTag(tag).minor === minor))!;
    channels.push({
      id: minor,
      latest,
      latestRegexp: `${minor.replace(/\./g, '\\.')}\\..*`,
      excludeRegexp: NO_PRERELEASE,
    });
  }
  return channels;
}

/** The Rancher API collection `GET /v1-release/channels` answers. */
export function channelCollection(channelsUrl: string, channels: readonly Channel[]) {
  return {
    type: 'collection',
    links: { self: channelsUrl },
    actions: {},
    resourceType: 'channels',
    data: channels.map((c) => ({
      id: c.id,
      type: 'channel',
      links: { self: `${channelsUrl}/${c.id}` },
      name: c.id,
      latest: c.latest,
      ...(c.latestRegexp !== undefined ? { latestRegexp: c.latestRegexp } : {}),
      ...(c.excludeRegexp !== undefined ? { excludeRegexp: c.excludeRegexp } : {}),
    })),
  };
}
