// `herdbook inventory -i INV --list | --graph | --host H`, like ansible-inventory.
import { InputError, UsageError, type Diagnostic } from '../errors.js';
import { formatDiagnostics } from '../report/diagnostics.js';
import { indexGroups } from '../inventory/groups.js';
import { inventoryVars } from '../inventory/host-vars.js';
import { loadInventory } from '../inventory/load.js';
import type { Inventory } from '../inventory/model.js';
import { suggest } from '../suggest.js';
import { ajvDiagnostics } from '../validate/ajv-errors.js';
import { createSchemaRegistry } from '../validate/schemas.js';
import type { CommandIO } from './io.js';
import { maskText } from '../report/mask.js';
import { openVaultSession, withVaultSession, type VaultFlags } from './vault-options.js';

export type InventoryOptions = { inventory?: string[]; list?: boolean; graph?: boolean; host?: string } & VaultFlags;

/** The inventory, validated; its warnings (a YAML oddity) come back to be printed, as run prints them. */
export function loadCheckedInventory(sources: string[]): { inventory: Inventory; warnings: Diagnostic[] } {
  const check = createSchemaRegistry().validator('inventory.json');
  const loaded = loadInventory(sources, (doc, file) => {
    check(doc);
    return ajvDiagnostics(check.errors, doc, file, new Set());
  });
  if (loaded.diagnostics.some((d) => d.severity === 'error')) throw new InputError(loaded.diagnostics);
  return { inventory: loaded.inventory, warnings: loaded.diagnostics.filter((d) => d.severity === 'warning') };
}

export async function inventoryCommand(opts: InventoryOptions, io: CommandIO): Promise<number> {
  if (!opts.inventory?.length) throw new UsageError('inventory needs -i INVENTORY');
  const modes = [opts.list, opts.graph, opts.host !== undefined].filter(Boolean).length;
  if (modes !== 1) throw new UsageError('inventory needs exactly one of --list, --graph or --host HOST');
  // Inline !vault values print sealed without a password, as ansible-inventory prints them;
  // what was decrypted prints masked.
  const vault = await openVaultSession(opts, 'given');
  const out = (text: string) => io.out(maskText(text, vault.revealed));
  return withVaultSession(vault, () => showInventory(opts, { ...io, out }));
}

function showInventory(opts: InventoryOptions, io: CommandIO): number {
  const { inventory: inv, warnings } = loadCheckedInventory(opts.inventory ?? []);
  if (warnings.length) io.err(formatDiagnostics(warnings, io.paint));
  const idx = indexGroups(inv);
  if (opts.host !== undefined) {
    if (!inv.hosts.has(opts.host)) {
      const s = suggest(opts.host, [...inv.hosts.keys()]);
      throw new UsageError(`host '${opts.host}' is not in the inventory${s ? ` (did you mean '${s}'?)` : ''}`);
    }
    io.out(JSON.stringify(inventoryVars(inv, idx, opts.host), null, 2));
    return 0;
  }
  if (opts.graph) {
    const out: string[] = ['@all:'];
    const walk = (group: string, depth: number) => {
      const g = inv.groups.get(group)!;
      const pad = '  |'.repeat(depth);
      for (const child of g.children) {
        if (child === 'ungrouped' && !inv.groups.get(child)!.hosts.length) continue;
        out.push(`${pad}--@${child}:`);
        walk(child, depth + 1);
      }
      if (group !== 'all') for (const h of g.hosts) out.push(`${pad}--${h}`);
    };
    walk('all', 1);
    io.out(out.join('\n'));
    return 0;
  }
  const result: Record<string, unknown> = {
    _meta: { hostvars: Object.fromEntries([...inv.hosts.keys()].map((h) => [h, inventoryVars(inv, idx, h)])) },
  };
  for (const g of inv.groups.values()) {
    const entry: Record<string, unknown> = {};
    if (g.hosts.length && g.name !== 'all') entry.hosts = g.hosts;
    if (g.children.length) entry.children = g.children;
    if (Object.keys(g.vars).length) entry.vars = g.vars;
    result[g.name] = entry;
  }
  io.out(JSON.stringify(result, null, 2));
  return 0;
}
