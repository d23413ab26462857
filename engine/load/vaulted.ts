// Opening vaulted data while loading: inline `!vault` values after a document is parsed, and
// files that are encrypted as a whole. A value that does not decrypt becomes a diagnostic at its
// file:line (exit 4 before anything runs), never a value passed on.
import type { Diagnostic, SourcePos } from '../errors.js';
import { Sealed, type SealedJson } from '../vault/sealed.js';
import { currentVault, HOW_TO_GIVE, openVaulted, reveal, type VaultSession } from '../vault/session.js';
import type { Opened } from '../vault/codec.js';
import { isVaultText } from '../vault/envelope.js';

function problem(r: Extract<Opened, { ok: false }>, what: string, pos?: SourcePos): Diagnostic {
  const id = r.vaultId && r.vaultId !== 'default' ? ` (vault id '${r.vaultId}')` : '';
  if (r.why === 'format') return { severity: 'error', message: `${what} is ${r.reason}`, pos };
  if (r.why === 'no-password')
    return {
      severity: 'error',
      message: `${what} is encrypted with Ansible Vault${id} and no vault password was given`,
      pos,
      hint: HOW_TO_GIVE,
    };
  return {
    severity: 'error',
    message: `${what} is encrypted with Ansible Vault${id}: ${r.reason}`,
    pos,
    hint: `check the password${r.vaultId && r.vaultId !== 'default' ? `, or give the one for vault id '${r.vaultId}' with --vault-id ${r.vaultId}@FILE` : ''}`,
  };
}

function openOne(s: VaultSession, sealed: Sealed, diagnostics: Diagnostic[]): string | SealedJson | null {
  const r = openVaulted(s, sealed.envelope);
  if (r.ok) {
    const text = r.plaintext.toString('utf8');
    reveal(s, text);
    return text;
  }
  // validate, list-* and inventory: a value no password given opens stays sealed, as
  // ansible-inventory shows it (Ansible opens inline values only when they are read).
  if (r.why !== 'format' && s.require === 'given') return { __ansible_vault: sealed.envelope };
  diagnostics.push(problem(r, 'this !vault value', sealed.pos));
  return null;
}

/** Replace every Sealed value in a parsed document (in place; the root is returned). */
export function openSealedValues(value: unknown, diagnostics: Diagnostic[]): unknown {
  const s = currentVault();
  const visit = (v: unknown): unknown => {
    if (v instanceof Sealed) return openOne(s, v, diagnostics);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = visit(v[i]);
    } else if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        const before = o[k];
        const after = visit(before);
        // defineProperty: a key named __proto__ stays an own property.
        if (after !== before)
          Object.defineProperty(o, k, { value: after, enumerable: true, writable: true, configurable: true });
      }
    }
    return v;
  };
  return visit(value);
}

export type OpenedFile = { text: string; encrypted: boolean } | { text: undefined; diagnostics: Diagnostic[] };

/** A file that is Ansible Vault data as a whole, decrypted (like Ansible, always when loaded). */
export function openVaultFile(file: string, text: string, what: string): OpenedFile {
  const s = currentVault();
  const r = openVaulted(s, text);
  if (r.ok) return { text: r.plaintext.toString('utf8'), encrypted: true };
  return { text: undefined, diagnostics: [problem(r, `${what} ${file}`, { file, line: 1, col: 1 })] };
}

/**
 * A controller file for copy/template: decrypted when it is Ansible Vault data (copy's
 * `decrypt: true`, Ansible's default), the bytes as they are otherwise.
 */
export function decryptControllerData(
  file: string,
  data: Buffer,
): { data: Buffer; decrypted: boolean } | { error: string } {
  if (!isVaultText(data)) return { data, decrypted: false };
  const r = openVaulted(currentVault(), data.toString('latin1'));
  if (r.ok) return { data: r.plaintext, decrypted: true };
  const d = problem(r, `src ${file}`);
  return { error: `${d.message}${d.hint ? `; ${d.hint}` : ''}` };
}
