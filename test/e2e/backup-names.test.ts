// A backup file is named for the moment it was made (<path>.<pid>.<YYYY-MM-DD@HH:MM:SS>~, as
// Ansible names it). The run's clock is monotonic (durations), so a name taken from it said
// 1970; the module harness used the wall clock and could not see it: this runs the CLI.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explain, localHosts, workspace } from './helpers.js';

describe('backup file names', () => {
  const ws = workspace(
    {
      'backup.yaml': [
        {
          hosts: 'h1',
          tasks: [
            { name: 'first', copy: { content: 'one\n', dest: '{{out}}/app.conf' } },
            { name: 'copy', copy: { content: 'two\n', dest: '{{out}}/app.conf', backup: true } },
            { name: 'lineinfile', lineinfile: { path: '{{out}}/app.conf', line: 'three', backup: true } },
          ],
        },
      ],
    },
    localHosts(['h1']),
  );

  it('carry the date and time they were made, not 1970', async () => {
    const before = new Date();
    const r = await ws.run('backup.yaml');
    expect(r.code, explain(r)).toBe(0);
    const backups = readdirSync(ws.at('out', 'h1')).filter((f) => f.endsWith('~'));
    expect(backups).toHaveLength(2);
    for (const b of backups) {
      const m = /^app\.conf\.\d+\.(\d{4})-(\d{2})-(\d{2})@(\d{2}):(\d{2}):(\d{2})~$/.exec(b);
      expect(m, b).not.toBeNull();
      const [, y, mo, d, h, mi, s] = m!.map(Number);
      const made = new Date(y, mo - 1, d, h, mi, s);
      // Local time, to the second: from a second before the run to a minute after it.
      expect(made.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
      expect(made.getTime()).toBeLessThan(Date.now() + 60_000);
    }
  });
});
