// Every string of a play that templates or conditions read, each with its own position:
// what the semantic check scans for variables, Jinja and syntax.
import type { SourcePos } from '../errors.js';
import type { Play } from '../load/model.js';
import { valuePos } from '../load/positions.js';
import { walkPlay } from '../load/walk.js';

export type Use = { text: string; condition: boolean; pos: SourcePos };

const CONDITIONS = ['when', 'until', 'changedWhen', 'failedWhen'] as const;
const FIELD_KEYS: Record<string, string> = {
  when: 'when',
  until: 'until',
  changedWhen: 'changed_when',
  failedWhen: 'failed_when',
  loop: 'loop',
  delegateTo: 'delegate_to',
  environment: 'environment',
  name: 'name',
};

export function collectUses(play: Play, uses: Use[]): void {
  // Each string carries its own position, so an error points at the value, not its mapping.
  const strings = (v: unknown, pos: SourcePos, condition = false) => {
    if (typeof v === 'string') {
      if (condition || v.includes('{{') || v.includes('{%')) uses.push({ text: v, condition, pos });
    } else if (Array.isArray(v)) v.forEach((x, i) => strings(x, valuePos(v, i) ?? pos, condition));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) strings(x, valuePos(v, k) ?? pos);
  };
  strings(play.hosts, play.fieldPos.hosts ?? play.pos);
  strings(play.vars, play.fieldPos.vars ?? play.pos);
  if (play.moduleDefaults !== undefined) strings(play.moduleDefaults, play.fieldPos.module_defaults ?? play.pos);
  if (play.when !== undefined) strings(play.when, play.fieldPos.when ?? play.pos, true);
  walkPlay(play, (n) => {
    const pos = (k: string) => n.fieldPos[k] ?? n.pos;
    for (const field of CONDITIONS) {
      const v = (n as Record<string, unknown>)[field];
      if (v !== undefined && typeof v !== 'boolean') strings(v, pos(FIELD_KEYS[field]), true);
    }
    for (const field of ['loop', 'delegateTo', 'environment', 'name'] as const) {
      const v = (n as Record<string, unknown>)[field];
      if (v !== undefined) strings(v, pos(FIELD_KEYS[field]));
    }
    if (n.vars) strings(n.vars, pos('vars'));
    if (n.moduleDefaults !== undefined) strings(n.moduleDefaults, pos('module_defaults'));
    if (n.kind === 'include') strings(n.file, pos('include_tasks'));
    if (n.kind !== 'task') return;
    const argPos = pos(n.module);
    const args = n.args as Record<string, unknown>;
    const others = (skip: string) => {
      for (const [k, x] of Object.entries(args)) if (k !== skip) strings(x, valuePos(args, k) ?? argPos);
    };
    if (n.module === 'assert' && args && typeof args === 'object') {
      strings(args.that, valuePos(args, 'that') ?? argPos, true);
      others('that');
    } else if (n.module === 'debug' && args && typeof args === 'object' && typeof args.var === 'string') {
      uses.push({ text: `{{${String(args.var)}}}`, condition: false, pos: valuePos(args, 'var') ?? argPos });
      others('var');
    } else strings(n.args, argPos);
  });
}
