// What `herdbook convert` found, one item per construct or reference: the NDJSON events of
// `--output json` and the lines of the text output.
export type Where = { file: string; line: number; col: number };

export type ConvertItem =
  /** A Jinja construct herdbook now reads with the same meaning. */
  | (Where & { type: 'converted'; what: Construct; jinja: string; herdbook: string })
  /** A construct left as written: why, and what to write by hand. */
  | (Where & { type: 'left'; what: Construct; jinja: string; why: string; write?: string })
  /** A file the walk could not follow (a templated name, a role or collection not installed). */
  | (Where & { type: 'unresolved'; ref: string; why: string })
  | { type: 'file'; file: string; dest?: string; action: FileAction };

export type Construct = 'template' | 'condition' | 'loop' | 'module' | 'argument' | 'keyword';

/**
 * converted: rewritten; unchanged: nothing to rewrite; kept: not rewritten on purpose (encrypted,
 * not understood, an inventory herdbook translates when it loads it); copied: carried to --out as is.
 */
export type FileAction = 'converted' | 'unchanged' | 'kept' | 'copied';

export type Summary = { type: 'summary'; constructs: number; converted: number; left: number; unresolved: number };

export function summarize(items: readonly ConvertItem[]): Summary {
  const converted = items.filter((i) => i.type === 'converted').length;
  const left = items.filter((i) => i.type === 'left').length;
  const unresolved = items.filter((i) => i.type === 'unresolved').length;
  return { type: 'summary', constructs: converted + left, converted, left, unresolved };
}

/** Collects items for one run; positions come from each file's own offsets. */
export class Collector {
  readonly items: ConvertItem[] = [];
  add(item: ConvertItem): void {
    this.items.push(item);
  }
}

/** offset → 1-based line and column, by binary search over line starts. */
export function lineIndex(text: string): (offset: number) => { line: number; col: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo] + 1 };
  };
}
