// `herdbook validate` on a generated 1,000-task playbook (blocks, loops, templates, handlers,
// several modules, an inventory with group_vars), as a fresh process each time, beside
// `node -e ''` measured in the same run: the machine's node start-up is the floor, so the
// ratio travels between machines better than the milliseconds do.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, runNode, type CliRun } from './lib/herdbook-cli.js';
import { median } from './lib/stats.js';
import { ratioText, type Bench } from './lib/suite.js';

/** One block of 8 tasks: command, shell with args, debug with a loop, set_fact, assert, a handler notify. */
function block(i: number): string {
  return `    - name: node step ${i}
      tags: [step${i % 7}, k3s]
      when: (not (eq k3s_role "none"))
      block:
        - name: read the version ${i}
          command: k3s --version
          register: version_${i}
          changed_when: false
        - name: write a marker ${i}
          shell: echo {{ inventory_hostname }} {{ k3s_channel }} > /tmp/marker-${i}
          args:
            creates: /tmp/marker-${i}
          notify: restart k3s
        - name: show each item ${i}
          debug:
            msg: "{{ item }} on {{ node_name }} ({{ default version_${i}.stdout 'unknown' }})"
          loop: "{{ components }}"
          loop_control:
            label: "{{ item }}"
        - name: remember ${i}
          set_fact:
            fact_${i}: "{{ upper (default node_name inventory_hostname) }}"
        - name: check ${i}
          assert:
            that:
              - (ne fact_${i} "")
              - (gte (length components) 1)
            fail_msg: "step ${i} failed on {{ inventory_hostname }}"
        - name: wait a little ${i}
          command:
            cmd: sleep 0
            chdir: /tmp
          retries: 3
          delay: 1
          until: (eq version_${i}.rc 0)
      rescue:
        - name: explain ${i}
          debug:
            msg: "step ${i} failed: {{ default ansible_failed_result.msg 'no message' }}"
      always:
        - name: done ${i}
          debug:
            msg: "step ${i} done on {{ inventory_hostname }}"
`;
}

function workspace(tasks: number): { dir: string; args: string[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'herdbook-bench-validate-'));
  // 8 tasks a block, single tasks for the rest, and one handler: exactly `tasks` tasks.
  const blocks = Math.floor((tasks - 1) / 8);
  const singles = tasks - 1 - blocks * 8;
  const body =
    Array.from({ length: blocks }, (_, i) => block(i)).join('') +
    Array.from(
      { length: singles },
      (_, i) => `    - name: single ${i}\n      command: echo {{ inventory_hostname }} ${i}\n`,
    ).join('');
  writeFileSync(
    path.join(dir, 'playbook.yaml'),
    `- name: a long rollout\n  hosts: k3s\n  serial: [1, "30%"]\n  vars:\n    components: [k3s, containerd, flannel]\n  tasks:\n${body}  handlers:\n    - name: restart k3s\n      command: systemctl restart k3s\n`,
  );
  writeFileSync(
    path.join(dir, 'inventory.ini'),
    `[k3s_servers]\nsrv-[1:3] k3s_role=server\n\n[k3s_agents]\nagent-[01:20] k3s_role=agent\n\n[k3s:children]\nk3s_servers\nk3s_agents\n`,
  );
  mkdirSync(path.join(dir, 'group_vars'));
  writeFileSync(
    path.join(dir, 'group_vars', 'k3s.yaml'),
    'k3s_channel: stable\nnode_name: "{{ inventory_hostname }}"\n',
  );
  return { dir, args: ['validate', 'playbook.yaml', '-i', 'inventory.ini'] };
}

async function ok(p: Promise<CliRun>, what: string): Promise<CliRun> {
  const r = await p;
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.stderr}`);
  return r;
}

export const validateBench: Bench = {
  name: 'validate',
  title: 'herdbook validate of a generated 1,000-task playbook',
  async run(ctx) {
    const tasks = 1000;
    const runs = ctx.opts.quick ? 3 : 15;
    const { dir, args } = workspace(tasks);
    try {
      const first = await ok(runCli(args, { cwd: dir }), 'validate');
      void first;
      const floor: number[] = [];
      const validate: number[] = [];
      let rss = 0;
      // Interleaved, so a busy moment of the machine weighs on both alike.
      for (let i = 0; i < runs; i++) {
        floor.push((await ok(runNode(['-e', ''], { cwd: dir }), 'node')).wallMs);
        const r = await ok(runCli(args, { cwd: dir, rss: true }), 'validate');
        validate.push(r.wallMs);
        rss = Math.max(rss, r.rssMb ?? 0);
      }
      const f = median(floor);
      const v = median(validate);
      ctx.log(`  node -e ''             ${f.toFixed(0).padStart(5)} ms`);
      ctx.log(
        `  validate ${tasks} tasks    ${v.toFixed(0).padStart(5)} ms (net of node ${(v - f).toFixed(0)} ms), peak RSS ${rss.toFixed(0)} MB   (median of ${runs})`,
      );
      return [
        {
          what: `herdbook validate, ${tasks}-task playbook`,
          figure: `${v.toFixed(0)} ms (net of node ${(v - f).toFixed(0)} ms), ${rss.toFixed(0)} MB`,
          ratio: ratioText(v / f, "node -e ''"),
          target: '< 300 ms',
          met: v < 300,
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
