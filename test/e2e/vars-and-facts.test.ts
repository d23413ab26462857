// gather_facts, set_fact and register seen by later tasks and through hostvars, the magic
// variables, omit, and an undefined variable failing only the host that lacks it.
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { explain, localHosts, results, statuses, workspace } from './helpers.js';

const msgs = (events: Parameters<typeof results>[0], task: string) =>
  Object.fromEntries(results(events, task).map((e) => [e.host, e.msg]));

describe('variables and facts', () => {
  const ws = workspace(
    {
      'vars.yaml': [
        {
          name: 'facts',
          hosts: 'all',
          gather_facts: true,
          serial: 2,
          tasks: [
            {
              name: 'facts',
              debug: {
                msg: '{{facts.architecture}} {{facts.hostname}} {{gt facts.cpus 0}} {{gt facts.memory_mb 0}} {{facts.kernel}}',
              },
            },
            {
              name: 'ansible names',
              debug: {
                msg: '{{ansible_facts.architecture}} {{ansible_hostname}} {{ansible_facts.kernel}} {{ansible_version.full}} {{eq ansible_facts.os_family ansible_os_family}} {{gt ansible_processor_vcpus 0}}',
              },
            },
            { name: 'set', set_fact: { mine: 'fact-{{inventory_hostname}}' } },
            { name: 'reg', command: 'echo reg-{{inventory_hostname}}', register: 'said' },
            { name: 'later', debug: { msg: '{{mine}} {{said.stdout}} {{said.rc}}' } },
            {
              name: 'magic',
              debug: {
                msg: '{{join groups.web ","}}|{{join ansible_play_hosts ","}}|{{join ansible_play_batch ","}}|{{join play_hosts ","}}|{{ansible_check_mode}}|{{ansible_diff_mode}}',
              },
            },
            {
              name: 'omit',
              command: { argv: ['pwd'], chdir: '{{ternary (eq inventory_hostname "h1") "/" omit}}' },
              register: 'where',
            },
            { name: 'where', debug: { msg: '{{where.stdout}}' } },
          ],
        },
        {
          name: 'hostvars',
          hosts: 'h3',
          tasks: [
            {
              name: 'across',
              debug: {
                msg: '{{hostvars.h1.mine}} {{hostvars.h2.said.stdout}} {{hostvars.h1.facts.architecture}} {{hostvars.h2.inventory_hostname}}',
              },
            },
          ],
        },
        {
          name: 'undefined',
          hosts: 'all',
          tasks: [
            { name: 'needs only_h1', debug: { msg: '{{only_h1}}' } },
            { name: 'after', debug: { msg: 'still here' } },
          ],
        },
      ],
    },
    localHosts(['h1', 'h2', 'h3'], { h1: { only_h1: 'present' } }, { web: ['h1', 'h3'] }),
  );

  it('exposes facts, set_fact, register, hostvars and magic variables; omit drops an argument', async () => {
    const r = await ws.run('vars.yaml', '--diff');
    const fact = `${os.machine()} ${os.hostname()} true true ${os.release()}`;
    expect(msgs(r.events, 'facts')).toEqual({ h1: fact, h2: fact, h3: fact });
    expect(statuses(r.events, 'Gathering facts')).toEqual({ h1: 'ok', h2: 'ok', h3: 'ok' });
    // Ansible's names for the same facts, and the release herdbook follows.
    const named = `${os.machine()} ${os.hostname().split('.')[0]} ${os.release()} 2.14.18 true true`;
    expect(msgs(r.events, 'ansible names')).toEqual({ h1: named, h2: named, h3: named });
    expect(msgs(r.events, 'later')).toEqual({ h1: 'fact-h1 reg-h1 0', h2: 'fact-h2 reg-h2 0', h3: 'fact-h3 reg-h3 0' });
    expect(msgs(r.events, 'magic')).toEqual({
      h1: 'h1,h3|h1,h2,h3|h1,h2|h1,h2|false|true',
      h2: 'h1,h3|h1,h2,h3|h1,h2|h1,h2|false|true',
      h3: 'h1,h3|h1,h2,h3|h3|h3|false|true',
    });
    // chdir: omit means no chdir at all: the command runs where herdbook runs (the workspace).
    expect(msgs(r.events, 'where')).toEqual({ h1: '/', h2: ws.dir, h3: ws.dir });
    expect(msgs(r.events, 'across')).toEqual({ h3: `fact-h1 reg-h2 ${os.machine()} h2` });
  });

  it('fails only the host where a variable is undefined, naming it and the task’s file:line', async () => {
    const r = await ws.run('vars.yaml');
    expect(r.code, explain(r)).toBe(2);
    expect(statuses(r.events, 'needs only_h1')).toEqual({ h1: 'ok', h2: 'failed', h3: 'failed' });
    const msg = results(r.events, 'needs only_h1').find((e) => e.host === 'h2')!.msg!;
    expect(msg).toMatch(/vars\.yaml:\d+:\d+: undefined variable 'only_h1'/);
    expect(statuses(r.events, 'after')).toEqual({ h1: 'ok' });
  });
});

describe('check mode is visible to templates', () => {
  const ws = workspace(
    {
      'mode.yaml': [
        { hosts: 'all', tasks: [{ name: 'mode', debug: { msg: '{{ansible_check_mode}} {{ansible_diff_mode}}' } }] },
      ],
    },
    localHosts(['h1']),
  );
  it('sets ansible_check_mode under --check', async () => {
    const r = await ws.run('mode.yaml', '--check');
    expect(msgs(r.events, 'mode')).toEqual({ h1: 'true false' });
  });
});
