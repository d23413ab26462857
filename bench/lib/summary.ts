// The closing table of `npm run bench`: one row per figure, its ratio and the target.
import type { SummaryRow } from './suite.js';

export function summaryTable(rows: readonly SummaryRow[]): string {
  const out = ['| measurement | herdbook | ratio | target |', '| --- | --- | --- | --- |'];
  for (const r of rows) {
    const target = r.target ? `${r.target} ${r.met ? '✓' : '✗'}` : '';
    out.push(`| ${r.what} | ${r.figure} | ${r.ratio ?? ''} | ${target} |`);
  }
  return out.join('\n');
}
