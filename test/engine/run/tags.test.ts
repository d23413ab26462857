import { describe, expect, it } from 'vitest';
import { selectedByTags, splitTagOption } from '../../../engine/run/tags.js';

// [task tags, --tags, --skip-tags, runs?] with Ansible's special tags.
const table: [string[], string[] | undefined, string[] | undefined, boolean][] = [
  [[], undefined, undefined, true],
  [['a'], undefined, undefined, true],
  [['never'], undefined, undefined, false],
  [['never', 'debug'], ['debug'], undefined, true],
  [['always'], ['other'], undefined, true],
  [['always'], undefined, ['always'], false],
  [['a'], ['b'], undefined, false],
  [['a', 'b'], ['b'], undefined, true],
  [[], ['untagged'], undefined, true],
  [['a'], ['untagged'], undefined, false],
  [['a'], ['tagged'], undefined, true],
  [['never'], ['tagged'], undefined, false],
  [[], ['tagged'], undefined, false],
  [['a'], ['all'], undefined, true],
  [['never'], ['all'], undefined, false],
  [['a'], undefined, ['a'], false],
  [['a'], undefined, ['tagged'], false],
  [[], undefined, ['untagged'], false],
  [['a'], ['a'], ['a'], false],
];

describe('selectedByTags', () => {
  it.each(table)('tags %j with --tags %j --skip-tags %j → %s', (tags, only, skip, runs) => {
    expect(selectedByTags(tags, only, skip)).toBe(runs);
  });

  it('splits comma lists from repeated options', () => {
    expect(splitTagOption(['a,b', ' c '])).toEqual(['a', 'b', 'c']);
    expect(splitTagOption(undefined)).toBeUndefined();
  });
});
