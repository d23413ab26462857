// `herdbook validate` on a generated 1,000-task playbook (blocks, loops, templates, handlers,
// several modules, an inventory with group_vars), as a fresh process each time, beside
// `node -e ''` measured in the same run: the machine's node start-up is the floor, so the
// ratio travels between machines better than the milliseconds do.
//   node dist/bench/validate.js [--tasks 1000] [--runs 15] [--keep]   (--keep: leave the files, to profile)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { tasks: { type: 'string', default: '1000' }, runs: { type: 'string', default: '15' }, keep: { type: 'boolean', default: false } } });
const TASKS = Number(values.tasks);
const RUNS = Number(values.runs);
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/herdbook.js');

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
  const body = Array.from({ length: blocks }, (_, i) => block(i)).join('') + Array.from({ length: singles }, (_, i) => `    - name: single ${i}\n      command: echo {{ inventory_hostname }} ${i}\n`).join('');
  writeFileSync(
    path.join(dir, 'playbook.yaml'),
    `- name: a long rollout\n  hosts: k3s\n  serial: [1, "30%"]\n  vars:\n    components: [k3s, containerd, flannel]\n  tasks:\n${body}  handlers:\n    - name: restart k3s\n      command: systemctl restart k3s\n`,
  );
  writeFileSync(path.join(dir, 'inventory.ini'), `[k3s_servers]\nsrv-[1:3] k3s_role=server\n\n[k3s_agents]\nagent-[01:20] k3s_role=agent\n\n[k3s:children]\nk3s_servers\nk3s_agents\n`);
  mkdirSync(path.join(dir, 'group_vars'));
  writeFileSync(path.join(dir, 'group_vars', 'k3s.yaml'), 'k3s_channel: stable\nnode_name: "{{ inventory_hostname }}"\n');
  return { dir, args: ['validate', 'playbook.yaml', '-i', 'inventory.ini'] };
}

function timeOnce(args: string[], cwd: string): { ms: number; stdout: string; status: number | null } {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return { ms, stdout: r.stdout, status: r.status };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const { dir, args } = workspace(TASKS);
try {
  const first = timeOnce([BIN, ...args], dir);
  const counted = /(\d+) tasks/.exec(first.stdout)?.[1];
  console.log(`playbook: ${counted} tasks (${TASKS} asked), validated: ${first.stdout.trim()}`);
  const floor: number[] = [];
  const version: number[] = [];
  const validate: number[] = [];
  // Interleaved, so a busy moment of the machine weighs on all three alike.
  for (let i = 0; i < RUNS; i++) {
    floor.push(timeOnce(['-e', ''], dir).ms);
    version.push(timeOnce([BIN, '--version'], dir).ms);
    validate.push(timeOnce([BIN, ...args], dir).ms);
  }
  const f = median(floor);
  const row = (label: string, xs: number[]) => console.log(`${label.padEnd(34)} median ${median(xs).toFixed(0).padStart(5)} ms   min ${Math.min(...xs).toFixed(0).padStart(5)} ms   ${(median(xs) / f).toFixed(2)}× node start-up`);
  console.log(`${RUNS} runs each, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}, node ${process.version}`);
  row("node -e ''", floor);
  row('herdbook --version', version);
  row(`herdbook validate (${counted} tasks)`, validate);
  console.log(`validate above node start-up: ${(median(validate) - f).toFixed(0)} ms (target: the whole command under 300 ms)`);
} finally {
  if (values.keep) console.log(`files kept in ${dir}: cd there and run node ${BIN} ${args.join(' ')}`);
  else rmSync(dir, { recursive: true, force: true });
}
