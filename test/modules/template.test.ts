import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { template } from '../../modules/host/template.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { localTemp } from './host-helpers.js';

planFixtures(template, path.join(import.meta.dirname, 'template'));

describe('template on the local connection', () => {
  const tmp = localTemp('template');
  const { connection } = tmp;
  const base = tmp.at('play');
  mkdirSync(path.join(base, 'templates'), { recursive: true });
  writeFileSync(
    path.join(base, 'templates', 'config.yaml.hbs'),
    'node-name: {{node_name}}\n{{#each labels}}node-label: {{this}}\n{{/each}}',
  );
  const vars = { node_name: 'pi-1', labels: ['zone=a', 'disk=ssd'] };
  const expected = 'node-name: pi-1\nnode-label: zone=a\nnode-label: disk=ssd\n';

  it('check mode shows the rendered text as a diff and writes nothing', async () => {
    const dest = tmp.at('config.yaml');
    const r = await runModule(
      template,
      { src: 'templates/config.yaml.hbs', dest, mode: '0600' },
      { connection, vars, baseDir: base },
      { check: true },
    );
    expect(r.status).toBe('changed');
    expect(r.diff).toEqual([{ path: dest, before: '', after: expected }]);
    expect(existsSync(dest)).toBe(false);
  });

  it('renders with the host variables, then is idempotent; new variables are a change', async () => {
    const dest = tmp.at('config.yaml');
    expect(
      (
        await runModule(
          template,
          { src: 'templates/config.yaml.hbs', dest, mode: '0600' },
          { connection, vars, baseDir: base },
        )
      ).status,
    ).toBe('changed');
    expect(readFileSync(dest, 'utf8')).toBe(expected);
    expect(statSync(dest).mode & 0o777).toBe(0o600);
    expect(
      (
        await runModule(
          template,
          { src: 'templates/config.yaml.hbs', dest, mode: '0600' },
          { connection, vars, baseDir: base },
        )
      ).status,
    ).toBe('ok');
    const r = await runModule(
      template,
      { src: 'templates/config.yaml.hbs', dest },
      { connection, vars: { ...vars, node_name: 'pi-2' }, baseDir: base },
    );
    expect(r.status).toBe('changed');
    expect(r.diff?.[0].after).toContain('node-name: pi-2');
    expect(statSync(dest).mode & 0o777).toBe(0o600);
  });

  it('drops the template suffix when dest is a directory', async () => {
    const out = tmp.at('etc');
    mkdirSync(out);
    const r = await runModule(
      template,
      { src: 'templates/config.yaml.hbs', dest: out },
      { connection, vars, baseDir: base },
    );
    expect(r.data.dest).toBe(path.join(out, 'config.yaml'));
    expect(readFileSync(path.join(out, 'config.yaml'), 'utf8')).toBe(expected);
  });

  it('fails on an undefined variable and names it, writing nothing', async () => {
    const dest = tmp.at('undefined.yaml');
    const r = await runModule(
      template,
      { src: 'templates/config.yaml.hbs', dest },
      { connection, vars: { labels: [] }, baseDir: base },
    ).catch((e: Error) => ({ status: 'failed', msg: e.message }));
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(/node_name/);
    expect(existsSync(dest)).toBe(false);
  });
});
