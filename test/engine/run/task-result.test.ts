import { describe, expect, it } from 'vitest';
import { combineItems, registeredValue, type ItemResult } from '../../../engine/run/task-result.js';

const item = (status: ItemResult['status'], label: string, extra: Partial<ItemResult> = {}): ItemResult => ({
  status,
  label,
  item: label,
  data: {},
  ...extra,
});

describe('registeredValue', () => {
  it('has every field whatever the status (ansible#31113: no crash on a later when)', () => {
    for (const status of ['ok', 'changed', 'skipped', 'failed', 'unreachable', 'unknown'] as const) {
      const v = registeredValue({ status, data: {} });
      expect(Object.keys(v)).toEqual(
        expect.arrayContaining(['changed', 'failed', 'skipped', 'unreachable', 'unknown', 'msg']),
      );
      expect(v.changed).toBe(status === 'changed');
      expect(v.failed).toBe(status === 'failed' || status === 'unreachable');
    }
  });

  it('puts loop results under results, each with its item', () => {
    const v = registeredValue({
      status: 'changed',
      data: {},
      items: [item('changed', 'a', { data: { rc: 0 } }), item('skipped', 'b')],
    });
    expect(v.results).toEqual([
      expect.objectContaining({ item: 'a', rc: 0, changed: true }),
      expect.objectContaining({ item: 'b', skipped: true }),
    ]);
    expect(v.msg).toBe('All items completed');
  });

  it('registers each item under its loop variable, as Ansible does', () => {
    const v = registeredValue({
      status: 'ok',
      data: {},
      items: [item('ok', 'a', { loopVars: { pkg: 'a', ansible_loop_var: 'pkg', idx: 0, ansible_index_var: 'idx' } })],
    });
    expect(v.results).toEqual([expect.objectContaining({ pkg: 'a', ansible_loop_var: 'pkg', idx: 0 })]);
    expect((v.results as object[])[0]).not.toHaveProperty('item');
  });

  it('calls an empty loop skipped', () => {
    const r = combineItems([]);
    expect(r).toMatchObject({
      status: 'skipped',
      msg: 'No items in the list',
      data: { skipped_reason: 'No items in the list' },
    });
  });

  it('keeps attempts from until', () => {
    expect(registeredValue({ status: 'ok', data: {}, attempts: 3 }).attempts).toBe(3);
  });
});

describe('combineItems', () => {
  it.each([
    [['ok', 'changed'], 'changed'],
    [['ok', 'ok'], 'ok'],
    [['skipped', 'skipped'], 'skipped'],
    [['skipped', 'ok'], 'ok'],
    [['changed', 'failed', 'ok'], 'failed'],
    [['unknown', 'ok'], 'unknown'],
    [['unreachable', 'changed'], 'unreachable'],
    [[], 'skipped'],
  ] as [ItemResult['status'][], string][])('%j → %s', (statuses, expected) => {
    expect(combineItems(statuses.map((s, i) => item(s, `i${i}`))).status).toBe(expected);
  });

  it('names the failed item by its label and prefixes changes with labels', () => {
    const r = combineItems([
      item('changed', 'pkg curl', { changes: ['install curl'] }),
      item('failed', 'pkg jq', { msg: 'no such package' }),
    ]);
    expect(r.msg).toBe('item pkg jq: no such package');
    expect(r.changes).toEqual(['pkg curl: install curl']);
  });
});
