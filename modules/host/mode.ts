// File modes as users write them: '0644' / '644' (octal strings), 0644 (YAML 1.1 reads it as
// the number 420: the same bits), or chmod's symbolic form ('u=rwX,g=rX,o=', 'a+x').
import { ModuleError } from '../../engine/index-module.js';

export type ModeSpec = string | number;

const OCTAL = /^(?:0o|0)?([0-7]{1,4})$/;
const CLAUSE = /^([ugoa]*)((?:[-+=](?:[ugo]|[rwxXst]*))+)$/;

/** Default bits of a newly created file or directory (umask 022), the base of symbolic modes. */
export const NEW_FILE_MODE = 0o644;
export const NEW_DIR_MODE = 0o755;

/** 4 octal digits, as stat and Ansible show them ('0644', '4755'). */
export function formatMode(bits: number): string {
  return (bits & 0o7777).toString(8).padStart(4, '0');
}

export function isSymbolic(spec: ModeSpec): boolean {
  return typeof spec === 'string' && !OCTAL.test(spec.trim());
}

/** Validate a mode without knowing the file: throws a ModuleError with the fix. */
export function checkMode(spec: ModeSpec): void {
  modeBits(spec, 0, false);
}

/** The permission bits `spec` asks for, given the current bits (symbolic modes are relative). */
export function modeBits(spec: ModeSpec, current: number, isDir: boolean): number {
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec) || spec < 0) throw new ModuleError(`invalid mode ${spec}`);
    // 644 written without a leading 0 is the decimal number 644 (octal 1204): never what was meant.
    if (spec > 0o777)
      throw new ModuleError(
        `mode ${spec} is the decimal number ${spec} (octal ${spec.toString(8)}); quote it: mode: '0${spec}'`,
      );
    return spec;
  }
  const s = spec.trim();
  const oct = OCTAL.exec(s);
  if (oct) return parseInt(oct[1], 8);
  let bits = current & 0o7777;
  for (const clause of s.split(',')) {
    const m = CLAUSE.exec(clause);
    if (!m)
      throw new ModuleError(
        `invalid mode ${JSON.stringify(spec)}: use octal ('0644') or chmod's symbolic form ('u=rw,g=r,o=')`,
      );
    bits = applyClause(bits, m[1] || 'a', m[2], isDir);
  }
  return bits;
}

const SHIFT: Record<string, number> = { u: 6, g: 3, o: 0 };

function applyClause(bits: number, who: string, ops: string, isDir: boolean): number {
  const whos = who.includes('a') ? ['u', 'g', 'o'] : [...new Set(who)];
  for (const [, op, perms] of ops.matchAll(/([-+=])([ugo]|[rwxXst]*)/g)) {
    let mask = 0;
    if (/^[ugo]$/.test(perms)) {
      // g=u: copy another class's rwx bits.
      const copied = (bits >> SHIFT[perms]) & 7;
      for (const w of whos) mask |= copied << SHIFT[w];
    } else {
      for (const w of whos) {
        let rwx = 0;
        if (perms.includes('r')) rwx |= 4;
        if (perms.includes('w')) rwx |= 2;
        // X: execute only for directories or files already executable by someone.
        if (perms.includes('x') || (perms.includes('X') && (isDir || (bits & 0o111) !== 0))) rwx |= 1;
        mask |= rwx << SHIFT[w];
        if (perms.includes('s') && w === 'u') mask |= 0o4000;
        if (perms.includes('s') && w === 'g') mask |= 0o2000;
      }
      if (perms.includes('t') && (who.includes('a') || who.includes('o'))) mask |= 0o1000;
    }
    if (op === '+') bits |= mask;
    else if (op === '-') bits &= ~mask;
    else {
      let clear = 0;
      for (const w of whos) clear |= 7 << SHIFT[w];
      if (whos.includes('u')) clear |= 0o4000;
      if (whos.includes('g')) clear |= 0o2000;
      bits = (bits & ~clear) | mask;
    }
  }
  return bits;
}
