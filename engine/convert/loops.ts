// `with_<lookup>` → `loop`, as Ansible's guide "Migrating from with_X to loop" maps each form
// (docs.ansible.com, playbook_guide/playbooks_loops.html): the Jinja expression the guide
// writes is built here and printed by the translator, so a helper herdbook lacks leaves the loop
// listed instead of guessed. `loop_control` is not touched: item, index_var and label mean the
// same under both spellings.

/** A Jinja expression for the loop, or why there is none. */
export type LoopPlan = { expr: string } | { left: string; write?: string } | { rename: true };

/**
 * A string as a Jinja literal inside a playbook value, where Ansible keeps backslashes as written
 * (its templar doubles them before Jinja reads the literal): the text between quotes, verbatim.
 * JSON's escapes would come out doubled (`printf 'a\nb'` ran with `\\n`). Undefined when the
 * text holds both quotes: no literal says it.
 */
function strLiteral(v: string): string | undefined {
  if (!v.includes("'")) return `'${v}'`;
  if (!v.includes('"')) return `"${v}"`;
  return undefined;
}

/** A YAML value as a Jinja literal; undefined when it holds a template (it cannot be inlined). */
export function jinjaLiteral(v: unknown): string | undefined {
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === 'string') {
    const whole = /^\s*\{\{([\s\S]*)\}\}\s*$/.exec(v);
    if (whole && !whole[1].includes('{{') && !whole[1].includes('}}')) return `(${whole[1].trim()})`;
    if (v.includes('{%')) return undefined;
    if (v.includes('{{')) return concatenation(v);
    return strLiteral(v);
  }
  if (Array.isArray(v)) {
    const items = v.map(jinjaLiteral);
    return items.every((x) => x !== undefined) ? `[${items.join(', ')}]` : undefined;
  }
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => {
      const lit = jinjaLiteral(x);
      const key = strLiteral(k);
      return lit === undefined || key === undefined ? undefined : `${key}: ${lit}`;
    });
    return entries.every((x) => x !== undefined) ? `{${entries.join(', ')}}` : undefined;
  }
  return undefined;
}

/** 'a{{ x }}b' as the Jinja expression Ansible's templating of it means: "a" ~ (x) ~ "b". */
function concatenation(v: string): string | undefined {
  const parts: string[] = [];
  let rest = v;
  while (rest) {
    const open = rest.indexOf('{{');
    if (open < 0) {
      const lit = strLiteral(rest);
      if (lit === undefined) return undefined;
      parts.push(lit);
      break;
    }
    const close = rest.indexOf('}}', open);
    const inner = close < 0 ? '' : rest.slice(open + 2, close);
    if (close < 0 || inner.includes('{{') || !inner.trim()) return undefined;
    const before = open ? strLiteral(rest.slice(0, open)) : '';
    if (before === undefined) return undefined;
    if (before) parts.push(before);
    parts.push(`(${inner.trim()})`);
    rest = rest.slice(close + 2);
  }
  return parts.join(' ~ ');
}

const terms = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
const hasTemplate = (v: unknown): boolean => jinjaLiteral(v)?.startsWith('(') === true || /\{\{|\{%/.test(String(v));

/** with_sequence's `start=0 end=4 stride=2 format=x%02d` or `count=4` → range(). */
function sequence(v: unknown): LoopPlan {
  if (typeof v !== 'string' || v.includes('{{'))
    return {
      left: 'with_sequence with a templated or mapping argument',
      write: 'loop: "{{ range(a, b + 1) | list }}"',
    };
  const kv = Object.fromEntries(
    v
      .trim()
      .split(/\s+/)
      .map((p) => p.split('=') as [string, string]),
  );
  const bounds = Object.entries(kv).filter(([k]) => k !== 'format');
  if (bounds.some(([k, x]) => !['start', 'end', 'stride', 'count'].includes(k) || !/^-?\d+$/.test(x ?? '')))
    return {
      left: "with_sequence's shortcut form (4-8/2) or a non-integer bound",
      write: 'loop: "{{ range(4, 9, 2) | list }}"',
    };
  if (kv.format && kv.format !== '%d')
    return {
      left: "with_sequence with format: the guide formats each item in the task ('%02x' | format(item))",
      write: 'loop: "{{ range(start, end + 1, stride) | list }}" and format item where it is used',
    };
  const start = Number(kv.start ?? 1);
  const stride = Number(kv.stride ?? 1);
  const end = kv.count !== undefined ? start + (Number(kv.count) - 1) * stride : Number(kv.end);
  if (!Number.isFinite(end)) return { left: 'with_sequence without end or count' };
  // The guide: range(start, end + 1, stride) | list (items are numbers, with_sequence's strings).
  return { expr: `range(${start}, ${end + (stride < 0 ? -1 : 1)}, ${stride}) | list` };
}

function lookupQuery(name: string, v: unknown, action?: string): LoopPlan {
  const args = terms(v).map(jinjaLiteral);
  if (args.some((a) => a === undefined)) return { left: `with_${name} with a partly templated term` };
  // Ansible's with_first_found looks in templates/ for a template task and vars/ for include_vars
  // (TaskExecutor sets the lookup's subdir from the action's name); query() alone would not.
  const subdir = name !== 'first_found' ? undefined : ['template', 'var'].find((d) => action?.includes(d));
  return { expr: `query('${name}', ${args.join(', ')}${subdir ? `, subdir='${subdir}s'` : ''})` };
}

/** The loop for `with_<name>: value` (`action`: the task's module, which with_first_found's folder depends on). */
export function planLoop(name: string, v: unknown, action?: string): LoopPlan {
  switch (name) {
    case 'list':
      return { rename: true };
    case 'items': {
      // A literal list of scalars and mappings: flatten(levels=1) changes nothing.
      if (Array.isArray(v) && v.every((x) => !Array.isArray(x) && !hasTemplate(x))) return { rename: true };
      const lit = jinjaLiteral(v);
      return lit === undefined
        ? { left: 'with_items over a partly templated list' }
        : { expr: `${lit} | flatten(levels=1)` };
    }
    case 'flattened': {
      const lit = jinjaLiteral(v);
      return lit === undefined ? { left: 'with_flattened over a partly templated list' } : { expr: `${lit} | flatten` };
    }
    case 'dict': {
      const lit = jinjaLiteral(v);
      return lit === undefined
        ? { left: 'with_dict over a partly templated mapping' }
        : { expr: `${lit} | dict2items` };
    }
    case 'indexed_items':
      return {
        left: "with_indexed_items: the guide's loop (index_var) changes what item.0 and item.1 are in the task",
        write:
          'loop: "{{ list | flatten(levels=1) }}" with loop_control: {index_var: index}; item.0 → index, item.1 → item',
      };
    case 'sequence':
      return sequence(v);
    case 'subelements': {
      const t = terms(v);
      const list = jinjaLiteral(t[0]);
      const key = typeof t[1] === 'string' ? strLiteral(t[1]) : undefined;
      if (list === undefined || key === undefined) return { left: 'with_subelements with a templated key' };
      const skip = t[2] && typeof t[2] === 'object' && (t[2] as Record<string, unknown>).skip_missing === true;
      return { expr: `${list} | subelements(${key}${skip ? ', skip_missing=True' : ''})` };
    }
    case 'nested':
    case 'cartesian':
    case 'together': {
      const lists = terms(v).map(jinjaLiteral);
      if (lists.some((x) => x === undefined) || lists.length < 1)
        return { left: `with_${name} over a partly templated list` };
      const [first, ...rest] = lists;
      return { expr: `${first} | ${name === 'together' ? 'zip' : 'product'}(${rest.join(', ')}) | list` };
    }
    case 'fileglob':
    case 'first_found':
    case 'lines':
    default:
      return lookupQuery(name, v, action);
  }
}
