// What `validate` says about a one-play playbook made of the given task lines: its errors as
// `line:col message` (the first task is on line 3). The module tests' bad-input checks share it.
import path from 'node:path';
import { validatePlaybooks } from '../../engine/validate/index.js';
import { createSchemaRegistry } from '../../engine/validate/schemas.js';
import { tempTree } from './tmp.js';

export function validationErrors(taskLines: string[]): string[] {
  const dir = tempTree({ 'playbook.yaml': ['- hosts: all', '  tasks:', ...taskLines, ''].join('\n') });
  const v = validatePlaybooks([path.join(dir, 'playbook.yaml')], { registry: createSchemaRegistry() });
  return v.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.pos?.line}:${d.pos?.col} ${d.message}`);
}
