// The workloads the fleet benchmarks give all three runners: one YAML file that both herdbook
// and ansible-playbook read, and the floor's equivalent shell commands.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

export type FloorStep = { command: string; stdin?: string };

export type Workload = {
  title: string;
  /** Tasks per host. */
  tasks: number;
  playbook: string;
  /** The same work as shell commands, task after task (all hosts of a task at once). */
  floor: FloorStep[];
  /** Remote paths to remove before each run, so every run does the same work. */
  cleanup?: string;
  /** Checks the work was done on a node, given a reader of its files (throws if not). */
  verify?: (read: (remotePath: string) => string) => void;
};

function writePlaybook(dir: string, name: string, tasks: object[]): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, stringify([{ name, hosts: 'all', gather_facts: false, tasks }]));
  return file;
}

/** N trivial `command: /bin/true` tasks. */
export function commandWorkload(dir: string, n: number): Workload {
  const tasks = Array.from({ length: n }, (_, i) => ({ name: `true ${i + 1}`, command: '/bin/true' }));
  return {
    title: `${n} command tasks`,
    tasks: n,
    playbook: writePlaybook(dir, `commands-${n}`, tasks),
    floor: Array.from({ length: n }, () => ({ command: '/bin/true' })),
  };
}

const DIR = '/run/hb-bench';
const CONF = `${DIR}/app.conf`;
const CONTENT = 'listen=0.0.0.0\nport=8080\n';
const LINE = 'tuned=yes';

/** file, copy, lineinfile, command: the four module tasks. */
export function moduleWorkload(dir: string): Workload {
  const tasks = [
    { name: 'a directory', file: { path: DIR, state: 'directory', mode: '0755' } },
    { name: 'a config file', copy: { dest: CONF, content: CONTENT, mode: '0644' } },
    { name: 'a line in it', lineinfile: { path: CONF, line: LINE } },
    { name: 'a command', command: '/bin/true' },
  ];
  return {
    title: '4 module tasks (file, copy, lineinfile, command)',
    tasks: 4,
    playbook: writePlaybook(dir, 'modules', tasks),
    floor: [
      { command: `mkdir -p ${DIR} && chmod 0755 ${DIR}` },
      { command: `cat > ${CONF} && chmod 0644 ${CONF}`, stdin: CONTENT },
      { command: `grep -qxF ${LINE} ${CONF} || echo ${LINE} >> ${CONF}` },
      { command: '/bin/true' },
    ],
    cleanup: DIR,
    verify(read) {
      const text = read(CONF);
      if (text !== `${CONTENT}${LINE}\n`) throw new Error(`${CONF} holds ${JSON.stringify(text)}`);
    },
  };
}
