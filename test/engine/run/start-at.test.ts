import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../engine/errors.js';
import type { Play, Playbook, TaskNode } from '../../../engine/load/model.js';
import { checkStartAtTask } from '../../../engine/run/start-at.js';

const pos = { file: 'p.yaml', line: 1, col: 1 };
const task = (name?: string): TaskNode => ({
  kind: 'task',
  name,
  module: 'debug',
  args: {},
  tags: [],
  pos,
  fieldPos: {},
  notify: [],
  listen: [],
});
const book = (tasks: TaskNode[]): Playbook[] => [
  {
    file: 'p.yaml',
    dir: '.',
    files: [],
    plays: [{ preTasks: [], tasks, postTasks: [], handlers: [] } as unknown as Play],
  },
];

describe('checkStartAtTask', () => {
  it('accepts a name that a task has, also inside blocks and preloaded includes', () => {
    const nested: TaskNode = {
      kind: 'block',
      tags: [],
      pos,
      fieldPos: {},
      block: [
        { kind: 'include', file: 'x.yaml', baseDir: '.', tags: [], pos, fieldPos: {}, preloaded: [task('deep')] },
      ],
      rescue: [],
      always: [task('cleanup')],
    };
    expect(() => checkStartAtTask(book([task('a'), nested]), 'deep')).not.toThrow();
    expect(() => checkStartAtTask(book([task('a'), nested]), 'cleanup')).not.toThrow();
    expect(() => checkStartAtTask(book([task('a')]), undefined)).not.toThrow();
  });

  it('refuses a name no task has', () => {
    expect(() => checkStartAtTask(book([task('a'), task()]), 'b')).toThrow(UsageError);
  });

  it('cannot tell when a name is templated or an include is decided at run time', () => {
    expect(() => checkStartAtTask(book([task('step {{item}}')]), 'step 1')).not.toThrow();
    expect(() =>
      checkStartAtTask(book([{ kind: 'include', file: '{{x}}.yaml', baseDir: '.', tags: [], pos, fieldPos: {} }]), 'z'),
    ).not.toThrow();
  });
});
