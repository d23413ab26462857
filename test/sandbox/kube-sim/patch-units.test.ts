// The patch algorithms and the label selector grammar on their own, table-driven.
import { describe, expect, it } from 'vitest';
import { parseLabelSelector, matches } from '../../../sandbox/kube-sim/api/label-selector.js';
import { StatusError } from '../../../sandbox/kube-sim/api/status.js';
import { applyJsonPatch, PatchApplyError } from '../../../sandbox/kube-sim/patch/json-patch.js';
import { applyMergePatch } from '../../../sandbox/kube-sim/patch/merge-patch.js';
import { applyStrategicPatch, type PatchMeta } from '../../../sandbox/kube-sim/patch/strategic.js';

const META: PatchMeta = {
  'status.conditions': { mergeKey: 'type' },
  'spec.containers': { mergeKey: 'name' },
  'spec.containers.env': { mergeKey: 'name' },
  'metadata.finalizers': { primitive: true },
};

describe('strategic merge patch', () => {
  const node = {
    metadata: { labels: { a: '1', b: '2' }, finalizers: ['x'] },
    spec: {
      taints: [{ key: 't1', effect: 'NoSchedule' }],
      containers: [{ name: 'app', image: 'v1', env: [{ name: 'A', value: '1' }] }],
    },
    status: {
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'DiskPressure', status: 'False' },
      ],
    },
  };
  const cases: Array<[string, unknown, unknown]> = [
    [
      'lists without a merge key are replaced',
      { spec: { taints: [{ key: 't2', effect: 'NoExecute' }] } },
      { spec: { ...node.spec, taints: [{ key: 't2', effect: 'NoExecute' }] } },
    ],
    [
      'null deletes a key',
      { metadata: { labels: { a: null } } },
      { metadata: { labels: { b: '2' }, finalizers: ['x'] } },
    ],
    [
      'lists merge by key',
      { status: { conditions: [{ type: 'Ready', status: 'False' }] } },
      {
        status: {
          conditions: [
            { type: 'Ready', status: 'False' },
            { type: 'DiskPressure', status: 'False' },
          ],
        },
      },
    ],
    [
      '$patch: delete removes a list element',
      { status: { conditions: [{ type: 'DiskPressure', $patch: 'delete' }] } },
      { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    ],
    [
      '$patch: replace replaces a list',
      { status: { conditions: [{ $patch: 'replace' }, { type: 'X', status: 'True' }] } },
      { status: { conditions: [{ type: 'X', status: 'True' }] } },
    ],
    [
      'nested keyed lists merge',
      { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '2' }] }] } },
      {
        spec: {
          ...node.spec,
          containers: [
            {
              name: 'app',
              image: 'v1',
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
            },
          ],
        },
      },
    ],
    [
      'primitive merge lists union',
      { metadata: { finalizers: ['y', 'x'] } },
      { metadata: { labels: node.metadata.labels, finalizers: ['x', 'y'] } },
    ],
    [
      '$deleteFromPrimitiveList removes values',
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] } },
      { metadata: { labels: node.metadata.labels, finalizers: [] } },
    ],
    [
      '$patch: replace replaces a map',
      { metadata: { labels: { $patch: 'replace', c: '3' } } },
      { metadata: { labels: { c: '3' }, finalizers: ['x'] } },
    ],
  ];
  for (const [what, patch, expected] of cases) {
    it(what, () => expect(applyStrategicPatch(node, patch, META)).toMatchObject(expected as object));
  }
  it('does not change its input', () => {
    const copy = structuredClone(node);
    applyStrategicPatch(node, { spec: { taints: null } }, META);
    expect(node).toEqual(copy);
  });
});

describe('merge patch', () => {
  it('merges objects, deletes nulls, replaces lists', () => {
    expect(applyMergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] })).toEqual({
      a: { c: 2, d: 3 },
      l: [3],
    });
  });
});

describe('JSON patch', () => {
  const doc = { spec: { taints: [{ key: 'a' }, { key: 'b' }] }, metadata: { annotations: {} } };
  it('applies add, remove, replace, move, copy and test in order', () => {
    const out = applyJsonPatch(doc, [
      { op: 'test', path: '/spec/taints/1/key', value: 'b' },
      { op: 'add', path: '/spec/taints/-', value: { key: 'c' } },
      { op: 'remove', path: '/spec/taints/0' },
      { op: 'replace', path: '/spec/taints/0/key', value: 'B' },
      { op: 'copy', from: '/spec/taints/1', path: '/metadata/annotations/copied' },
      { op: 'move', from: '/metadata/annotations/copied', path: '/metadata/moved' },
      { op: 'add', path: '/metadata/annotations/a~1b', value: 'slash' },
    ]);
    expect(out).toEqual({
      spec: { taints: [{ key: 'B' }, { key: 'c' }] },
      metadata: { annotations: { 'a/b': 'slash' }, moved: { key: 'c' } },
    });
  });
  const failures: Array<[string, object, string]> = [
    [
      'a failed test',
      { op: 'test', path: '/spec/taints/0/key', value: 'z' },
      'testing value /spec/taints/0/key failed: test failed',
    ],
    [
      'a missing parent',
      { op: 'add', path: '/spec/nope/x', value: 1 },
      'add operation does not apply: doc is missing path: "/spec/nope/x": missing value',
    ],
    [
      'an index out of range',
      { op: 'remove', path: '/spec/taints/5' },
      'Unable to access invalid index: 5: invalid index referenced',
    ],
    [
      'a missing key to replace',
      { op: 'replace', path: '/spec/unschedulable', value: true },
      'replace operation does not apply: doc is missing key: /spec/unschedulable: missing value',
    ],
  ];
  for (const [what, op, message] of failures) {
    it(`refuses ${what} with json-patch's wording`, () => {
      expect(() => applyJsonPatch(doc, [op as never])).toThrow(new PatchApplyError(message));
    });
  }
});

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', 'k8s.io/role': 'x' };
  const cases: Array<[string, boolean]> = [
    ['app=web', true],
    ['app==web,tier=front', true],
    ['app!=web', false],
    ['app in (db, web)', true],
    ['tier notin (front)', false],
    ['k8s.io/role', true],
    ['!missing', true],
    ['!app', false],
    ['missing!=x', true],
    ['', true],
  ];
  for (const [text, want] of cases)
    it(`"${text}" → ${want}`, () => expect(matches(parseLabelSelector(text), labels)).toBe(want));
  it('refuses a malformed selector with a 400', () => {
    let e: unknown;
    try {
      parseLabelSelector('app web');
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(StatusError);
    expect((e as StatusError).status).toMatchObject({ code: 400, reason: 'BadRequest' });
  });
});
