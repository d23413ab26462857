// A small project on disk that the CLI tests share: two plays, blocks, roles, an include, tags,
// an inventory with ranges and children.
import { tempTree } from '../helpers/tmp.js';

export function project(): string {
  return tempTree({
    'hosts.ini':
      '[servers]\nsrv-[1:2]\n\n[agents]\nagent-[1:5]\n\n[k3s:children]\nservers\nagents\n\n[k3s:vars]\nk3s_channel=stable\n',
    'site.yaml': [
      '- name: servers first',
      '  hosts: servers',
      '  serial: 1',
      '  tags: [servers]',
      '  roles: [k3s]',
      '  tasks:',
      '    - name: upgrade',
      '      command: upgrade.sh {{ k3s_channel }}',
      '      tags: [upgrade]',
      '    - block:',
      '        - name: inner',
      '          command: inner.sh',
      '      tags: [blk]',
      '- name: agents',
      '  hosts: agents',
      '  serial: [1, "50%"]',
      '  order: reverse_sorted',
      '  tasks:',
      '    - include_tasks: more.yaml',
      '  handlers:',
      '    - name: restart',
      '      command: systemctl restart k3s',
      '',
    ].join('\n'),
    'more.yaml': '- name: from more\n  debug: { msg: "hi {{ inventory_hostname }}" }\n',
    'roles/k3s/tasks/main.yaml': '- name: role task\n  command: k3s --version\n  tags: [version]\n',
    'limit.txt': '# hosts to touch\nagent-2\nagent-4\n',
  });
}
