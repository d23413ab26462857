// A loaded value whose Jinja the translator could not handle. Loading never fails on it (a run
// may never read it, as Ansible never templates an unused variable); the evaluator refuses it,
// with the variable's name, where it was written and why, when something reads it.
import type { SourcePos } from '../errors.js';
import type { JinjaNote } from './translate.js';

export class UntranslatedJinja {
  constructor(
    readonly text: string,
    readonly notes: readonly JinjaNote[],
    readonly pos?: SourcePos,
  ) {}
  /** Printed as written (herdbook inventory --list, debug of a mapping holding it). */
  toJSON(): string {
    return this.text;
  }
  toString(): string {
    return this.text;
  }
  /** The reason in one line, with the first note's place inside the value. */
  describe(): { message: string; hint?: string } {
    const n = this.notes[0];
    const where = this.pos ? `${this.pos.file}:${this.pos.line + n.line - 1}` : 'the inventory';
    return {
      message: `is Jinja herdbook cannot translate (${where}): ${n.jinja}: ${n.why}`,
      hint: n.write
        ? `write ${n.write}, in Handlebars, in the inventory`
        : 'write the value in Handlebars (README "Expressions") in the inventory',
    };
  }
}
