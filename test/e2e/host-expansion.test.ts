// `~`, `~user` and `$VAR` in a path argument (file's path, copy's dest) and in a command's words
// are the host's, as Ansible expands them there: k3s-ansible's `path: ~{{ ansible_user }}/.kube`
// made a directory named `~debian` in the login directory before.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explain, results, workspace } from './helpers.js';

describe('~ and $VAR on the host', () => {
  const ws = workspace({
    'home.yaml': [
      {
        hosts: 'h1',
        // The module's environment is where Ansible's expansion reads HOME and the variables.
        environment: { HOME: '{{out}}', HB_OUT: '{{out}}' },
        tasks: [
          { name: 'dir under ~', file: { path: '~/.kube', state: 'directory', mode: '0750' } },
          { name: 'copy to $VAR', copy: { content: 'k\n', dest: '$HB_OUT/.kube/config' } },
          { name: 'words', command: 'echo ~/a ~root/b ${HB_OUT}/c $HB_UNSET/d', register: 'words' },
        ],
      },
    ],
  });

  it('expands them as the module’s process sees them; an unset variable stays as written', async () => {
    const r = await ws.run('home.yaml');
    expect(r.code, explain(r)).toBe(0);
    const out = ws.at('out', 'h1');
    expect(readFileSync(`${out}/.kube/config`, 'utf8')).toBe('k\n');
    expect(existsSync(ws.at('~'))).toBe(false);
    const [words] = results(r.events, 'words');
    expect((words.registered as { stdout: string }).stdout).toBe(`${out}/a /root/b ${out}/c $HB_UNSET/d`);
  });
});
