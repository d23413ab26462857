// Ansible's controller lookups: (ansible_lookup 'file' 'name'), (ansible_query 'fileglob' '*.conf'). They run
// on the controller as Ansible's do, and find relative names where Ansible finds them: along the
// task's search path (its role, then its own folder: the ansible_search_path variable), each
// folder's files/ (templates/ for template) first, then the playbook's folder.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Scope } from '../scope.js';
import { MISSING } from '../scope.js';
import { compileTemplate } from '../compile.js';
import { evaluate, stringify, type HelperFn, type Helpers } from '../evaluate.js';
import { asText } from '../../text.js';
import { globFiles } from './glob.js';

type Where = { paths: string[]; basedir: string };

function where(scope: Scope): Where {
  const sp = scope.raw('ansible_search_path');
  const pb = scope.raw('playbook_dir');
  const basedir = typeof pb === 'string' ? pb : process.cwd();
  return { paths: Array.isArray(sp) && sp.length ? sp.map(String) : [basedir], basedir };
}

/** DataLoader.path_dwim_relative_stack: the first existing candidate, or undefined. */
export function findInSearchPath(w: Where, subdir: string, name: string): string | undefined {
  if (name.startsWith('~') || path.isAbsolute(name)) {
    const p = name.startsWith('~') ? path.join(homedir(), name.slice(1)) : name;
    return existsSync(p) ? path.normalize(p) : undefined;
  }
  // Ansible skips dir/subdir/name when the name already starts with the subdir ('files/x').
  const withSub = name.split('/')[0] !== subdir;
  const candidates = [...w.paths, w.basedir].flatMap((p) => [
    ...(withSub ? [path.join(p, subdir, name)] : []),
    path.join(p, name),
  ]);
  return candidates.find((c) => existsSync(c));
}

/** Python's str.splitlines() on a command's output (no trailing empty item). */
function splitLines(text: string): string[] {
  // eslint-disable-next-line no-control-regex -- \x1c-\x1e are line breaks to Python's splitlines
  const lines = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A command the way Ansible's pipe and lines lookups run it: through /bin/sh, in the playbook's folder. */
function runShell(plugin: string, command: string, cwd: string): string {
  try {
    // The term is the user's own command line, as in Ansible (Popen shell=True); nothing else is added to it.
    return execFileSync('/bin/sh', ['-c', command], { cwd, encoding: 'utf8', stdio: ['pipe', 'pipe', 'inherit'] });
  } catch (e) {
    const status = (e as { status?: number | null }).status;
    throw new Error(`lookup_plugin.${plugin}(${command}) returned ${status ?? -1}`);
  }
}

/** first_found's terms: names, lists of names, or {files, paths, skip} mappings. */
function firstFoundCandidates(terms: unknown[], hash: Record<string, unknown>): { names: string[]; skip: boolean } {
  const split = (v: unknown, chars: RegExp): string[] =>
    v === undefined || v === null ? [] : (Array.isArray(v) ? v : [v]).flatMap((x) => asText(x).split(chars));
  let names: string[] = [];
  let skip = hash.skip === true;
  for (const term of terms) {
    if (Array.isArray(term)) {
      const inner = firstFoundCandidates(term, hash);
      names.push(...inner.names);
      skip = inner.skip;
      continue;
    }
    const opts = term !== null && typeof term === 'object' ? (term as Record<string, unknown>) : hash;
    const files = split(opts.files, /[,;]/);
    const paths = split(opts.paths, /[,:;]/);
    skip = opts.skip === true;
    if (paths.length) for (const p of paths) for (const f of files) names.push(path.join(p, f));
    // Ansible replaces what it gathered with a mapping's files (not appends): kept as it does.
    else if (files.length) names = files;
    else names.push(asText(term));
  }
  return { names, skip };
}

function runLookup(
  plugin: string,
  terms: unknown[],
  hash: Record<string, unknown>,
  scope: Scope,
  helpers: Helpers,
): unknown[] {
  const w = where(scope);
  switch (plugin) {
    case 'file':
      return terms.map((t) => {
        const found = findInSearchPath(w, 'files', asText(t));
        if (!found || !statSync(found).isFile()) throw new Error(`could not locate file in lookup: ${asText(t)}`);
        let text = readFileSync(found, 'utf8');
        if (hash.lstrip === true) text = text.trimStart();
        if (hash.rstrip !== false) text = text.replace(/\s+$/, '');
        return text;
      });
    case 'template':
      return terms.map((t) => {
        const found = findInSearchPath(w, 'templates', asText(t));
        if (!found) throw new Error(`the template file ${asText(t)} could not be found for the lookup`);
        const vars = hash.template_vars;
        const s = vars && typeof vars === 'object' ? scope.with(vars as Record<string, unknown>) : scope;
        return stringify(evaluate(compileTemplate(readFileSync(found, 'utf8')), s, helpers));
      });
    case 'first_found': {
      const { names, skip } = firstFoundCandidates(terms, hash);
      const subdir = typeof hash.subdir === 'string' ? hash.subdir : 'files';
      for (const n of names) {
        const found = findInSearchPath(w, subdir, n);
        if (found) return [found];
      }
      if (skip) return [];
      throw new Error('No file was found when using first_found.');
    }
    case 'fileglob':
      return terms.flatMap((t) => {
        const term = asText(t);
        const base = path.basename(term);
        const dirs =
          base !== term
            ? [findInSearchPath(w, 'files', path.dirname(term))].filter((d): d is string => !!d)
            : w.paths.flatMap((p) => [path.join(p, 'files'), p]);
        for (const d of dirs) {
          const got = globFiles(d, base);
          if (got.length) return got;
        }
        return [];
      });
    case 'pipe':
      return terms.map((t) => runShell('pipe', asText(t), w.basedir).replace(/\s+$/, ''));
    case 'lines':
      return terms.flatMap((t) => splitLines(runShell('lines', asText(t), w.basedir)));
    case 'env':
      return terms.map((t) => process.env[asText(t)] ?? hash.default ?? '');
    case 'vars':
      return terms.map((t) => {
        const v = scope.raw(asText(t));
        if (v === MISSING) {
          if ('default' in hash) return hash.default;
          throw new Error(`No variable found with this name: ${asText(t)}`);
        }
        return v;
      });
    default:
      throw new Error(
        `the lookup '${plugin}' is not available; herdbook has file, template, first_found, fileglob, pipe, lines, env, vars`,
      );
  }
}

/** Ansible's lookup(): one string result is itself, several strings are joined with ','; query() keeps the list. */
function asLookup(ran: unknown[], wantlist: boolean): unknown {
  if (wantlist || !ran.length) return ran;
  if (ran.every((r) => typeof r === 'string')) return ran.join(',');
  return ran.length === 1 ? ran[0] : ran;
}

export function lookupHelpers(helpers: () => Helpers): Record<string, HelperFn> {
  const run = (args: unknown[], hash: Record<string, unknown>, scope: Scope, list: boolean) => {
    const [plugin, ...terms] = args;
    const name = asText(plugin).replace(/^ansible\.builtin\./, '');
    const { wantlist, ...options } = hash;
    return asLookup(runLookup(name, terms.flat(), options, scope, helpers()), list || wantlist === true);
  };
  return {
    ansible_lookup: (args, hash, scope) => run(args, hash, scope, false),
    ansible_query: (args, hash, scope) => run(args, hash, scope, true),
  };
}
