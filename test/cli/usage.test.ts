// The command line itself: --help for every command, --version, and exit 5 for bad usage
// (an unknown flag or command, a missing argument, a bad value) before anything is read.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { project } from './fixture.js';
import { herdbook } from './run-cli.js';

const dir = project();
const version = (
  JSON.parse(
    readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../package.json'), 'utf8'),
  ) as { version: string }
).version;

describe('herdbook --help and --version', () => {
  it('--version prints the package version and exits 0', () => {
    for (const flag of ['--version', '-V']) {
      const r = herdbook([flag], dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
    }
  });

  it('--help lists the commands', () => {
    const r = herdbook(['--help'], dir);
    expect(r.code).toBe(0);
    for (const c of ['run', 'validate', 'list-hosts', 'list-tasks', 'inventory', 'convert'])
      expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
  });

  const commands: [string, string[]][] = [
    [
      'run',
      [
        '-i, --inventory',
        '-e, --extra-vars',
        '-C, --check',
        '--detailed-exitcode',
        '-l, --limit',
        '-f, --forks',
        '-o, --output',
      ],
    ],
    ['validate', ['-i, --inventory', '-e, --extra-vars']],
    ['list-hosts', ['-i, --inventory', '-l, --limit', '-e, --extra-vars']],
    ['list-tasks', ['-i, --inventory', '-e, --extra-vars']],
    ['inventory', ['-i, --inventory', '--list', '--graph', '--host']],
    ['convert', ['--out', '--in-place', '--check', '--detailed-exitcode', '-i, --inventory', '-o, --output']],
  ];
  it.each(commands)('%s --help shows its usage and options, exit 0', (command, options) => {
    for (const args of [
      [command, '--help'],
      ['help', command],
    ]) {
      const r = herdbook(args, dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: herdbook ${command} \\[options\\]`));
      for (const o of options) expect(r.stdout).toContain(o);
    }
  });
});

describe('bad usage exits 5 before reading anything', () => {
  const table: [string, string[], RegExp][] = [
    ['an unknown flag', ['validate', 'site.yaml', '--bogus'], /unknown option '--bogus'/],
    [
      'a misspelt flag, with a suggestion',
      ['validate', 'site.yaml', '--inventroy', 'hosts.ini'],
      /unknown option '--inventroy'\n\(Did you mean --inventory\?\)/,
    ],
    ['a missing playbook argument', ['validate'], /missing required argument 'playbook'/],
    ['a flag without its value', ['list-hosts', 'site.yaml', '-i'], /option '-i, --inventory <path>' argument missing/],
    [
      '--forks 0',
      ['run', 'site.yaml', '-i', 'hosts.ini', '--forks', '0'],
      /herdbook: --forks needs a whole number of at least 1, got '0'/,
    ],
    [
      '--forks two',
      ['run', 'site.yaml', '-i', 'hosts.ini', '--forks', 'two'],
      /--forks needs a whole number of at least 1, got 'two'/,
    ],
    ['an output format that does not exist', ['run', 'site.yaml', '--output', 'xml'], /argument 'xml' is invalid/],
    ['an unknown command', ['upgrade'], /unknown command 'upgrade'/],
  ];

  it.each(table)('%s', (_label, args, message) => {
    const r = herdbook(args, dir);
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });
});
