// An inline `!vault` value as the YAML parsers read it, before it is opened: its envelope and
// where it was written. engine/load/vaulted.ts opens it once the whole document is read.
import type { SourcePos } from '../errors.js';

export class Sealed {
  constructor(
    readonly envelope: string,
    public pos?: SourcePos,
  ) {}
}

/** How Ansible's ansible-inventory shows a vaulted value it does not decrypt. */
export type SealedJson = { __ansible_vault: string };

export const VAULT_TAGS = ['!vault', '!vault-encrypted'] as const;
