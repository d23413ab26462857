// A case's Ansible side run through `herdbook convert` (in process): the herdbook playbook of a
// case that holds only ansible.yaml, and the second check of a hand-written case (its
// conversion must behave like its herdbook.yaml). What the conversion leaves is returned, listed
// as file:line:col.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { convertPaths } from '../../../engine/convert/index.js';
import { createSchemaRegistry } from '../../../engine/validate/schemas.js';
import { materialize, type CaseSpec } from './case.js';

let schemas: ReturnType<typeof createSchemaRegistry>['modules'] | undefined;

export type Converted = { playbook: string; left: string[] };

export function materializeConverted(c: CaseSpec, dest: string): Converted {
  const playbook = materialize(c, 'ansible', dest);
  schemas ??= createSchemaRegistry().modules;
  const r = convertPaths([playbook], { schemas });
  const rel = (f: string) => path.join(c.name, path.relative(dest, f));
  const left = [
    ...r.diagnostics.map((d) => `${d.pos ? rel(d.pos.file) : c.name}: ${d.message}`),
    ...r.items.flatMap((i) =>
      i.type === 'left'
        ? [`${rel(i.file)}:${i.line}:${i.col}: ${i.jinja}: ${i.why}`]
        : i.type === 'unresolved'
          ? [`${rel(i.file)}:${i.line}:${i.col}: not followed: ${i.ref}: ${i.why}`]
          : [],
    ),
  ];
  for (const f of r.files) if (f.after !== f.before) writeFileSync(f.file, f.after);
  return { playbook, left };
}
