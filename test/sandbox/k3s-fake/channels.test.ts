import { describe, expect, it } from 'vitest';
import { channelCollection, computeChannels } from '../../../sandbox/k3s-fake/channels.js';
import { compareK3sTags, parseK3sTag } from '../../../sandbox/k3s-fake/versions.js';

const latestOf = (channels: { id: string; latest: string }[]) =>
  Object.fromEntries(channels.map((c) => [c.id, c.latest]));

describe('k3s tags', () => {
  it.each([
    ['v1.31.4+k3s1', 'v1.31.4+k3s2', -1],
    ['v1.31.10+k3s1', 'v1.31.9+k3s3', 1],
    ['v1.32.0-rc1+k3s1', 'v1.32.0+k3s1', -1],
    ['v1.28.15+k3s1', 'v1.28.15+k3s1', 0],
  ])('orders %s against %s by version, then k3s revision', (a, b, sign) => {
    expect(Math.sign(compareK3sTags(a, b))).toBe(sign);
  });

  it('refuses what is not a k3s tag', () => {
    expect(() => parseK3sTag('1.31.4')).toThrow(/not a k3s release tag/);
    expect(() => parseK3sTag("v1.31.4+k3s1'; rm -rf /")).toThrow(/not a k3s release tag/);
  });
});

describe('computeChannels', () => {
  const versions = [
    'v1.29.10+k3s1',
    'v1.28.15+k3s1',
    'v1.29.9+k3s1',
    'v1.31.4+k3s1',
    'v1.30.6+k3s1',
    'v1.31.4+k3s2',
    'v1.32.0-rc1+k3s1',
  ];

  it('gives each minor its newest patch, ascending, after stable/latest/testing', () => {
    const channels = computeChannels(versions);
    expect(channels.map((c) => c.id)).toEqual(['stable', 'latest', 'testing', 'v1.28', 'v1.29', 'v1.30', 'v1.31']);
    expect(latestOf(channels)).toEqual({
      stable: 'v1.31.4+k3s2',
      latest: 'v1.31.4+k3s2',
      testing: 'v1.32.0-rc1+k3s1',
      'v1.28': 'v1.28.15+k3s1',
      'v1.29': 'v1.29.10+k3s1',
      'v1.30': 'v1.30.6+k3s1',
      'v1.31': 'v1.31.4+k3s2',
    });
  });

  it('pins stable where asked, and only to a served version', () => {
    expect(latestOf(computeChannels(versions, { stable: 'v1.30.6+k3s1' })).stable).toBe('v1.30.6+k3s1');
    expect(() => computeChannels(versions, { stable: 'v1.27.1+k3s1' })).toThrow(/not one of the versions served/);
  });

  it('has the regexps of the real channel.yaml', () => {
    const byId = Object.fromEntries(computeChannels(versions).map((c) => [c.id, c]));
    expect(byId['v1.29']).toMatchObject({ latestRegexp: 'v1\\.29\\..*', excludeRegexp: '^[^+]+-' });
    expect(byId.latest).toMatchObject({ latestRegexp: '.*', excludeRegexp: '^[^+]+-' });
    expect(byId.testing).toMatchObject({ latestRegexp: '-(alpha|beta|rc)' });
    expect(byId.stable.latestRegexp).toBeUndefined();
  });
});

describe('channelCollection', () => {
  it('is the Rancher API collection update.k3s.io answers', () => {
    const c = channelCollection('http://x/v1-release/channels', computeChannels(['v1.31.4+k3s1']));
    expect(c).toMatchObject({
      type: 'collection',
      resourceType: 'channels',
      links: { self: 'http://x/v1-release/channels' },
      actions: {},
    });
    expect(c.data[3]).toEqual({
      id: 'v1.31',
      type: 'channel',
      links: { self: 'http://x/v1-release/channels/v1.31' },
      name: 'v1.31',
      latest: 'v1.31.4+k3s1',
      latestRegexp: 'v1\\.31\\..*',
      excludeRegexp: '^[^+]+-',
    });
  });
});
