import { describe, expect, it } from 'vitest';
import { buildCommand, summarize } from '../../../engine/connection/ssh/command.js';

const strip = (line: string) => line.replace(/^printf '%s %s\\n' herdbook-pid-n \$\$ >&2; /, '');

describe('buildCommand', () => {
  it('quotes argv words and wraps scripts in /bin/sh -c', () => {
    expect(strip(buildCommand(['echo', 'a b', "it's"], {}, 'n').line)).toBe(`echo 'a b' 'it'\\''s'`);
    expect(strip(buildCommand('echo $HOME; ls', {}, 'n').line)).toBe(`/bin/sh -c 'echo $HOME; ls'`);
  });

  it('puts env values at the head of stdin, never on the command line, and cwd through cd, all quoted', () => {
    const b = buildCommand(
      ['k3s', '--version'],
      { env: { K3S_TOKEN: 'a b$c', EMPTY: '' }, cwd: '/var/lib/my dir' },
      'n',
    );
    expect(strip(b.line)).toMatch(
      /^cd '\/var\/lib\/my dir' && \/bin\/sh -c '.*export K3S_TOKEN=.*export EMPTY=.*' sh k3s --version$/s,
    );
    expect(b.line).not.toContain('a b$c');
    expect(b.stdinHead?.toString()).toBe('a b$c\n\n');
    expect(strip(buildCommand(['id'], { become: true, env: { T: 'secret' } }, 'n').line)).not.toContain('secret');
    expect(b.summary).toBe('k3s --version');
    expect(buildCommand(['id'], {}, 'n').stdinHead).toBeUndefined();
    expect(() => buildCommand(['x'], { env: { 'BAD NAME': '1' } }, 'n')).toThrow(/invalid environment variable name/);
    expect(() => buildCommand([], {}, 'n')).toThrow(/empty command/);
  });

  it('becomes with sudo -n, or with a prompt marker when a password is set', () => {
    expect(strip(buildCommand(['id'], { become: true }, 'n').line)).toBe(`sudo -n -u root -- /bin/sh -c id`);
    expect(strip(buildCommand('id; whoami', { become: true, becomeUser: 'k3s' }, 'n').line)).toBe(
      `sudo -n -u k3s -- /bin/sh -c 'id; whoami'`,
    );
    const p = buildCommand(['id'], { become: true, becomePassword: true }, 'n');
    expect(p.sudo).toEqual({ prompt: '[herdbook-sudo-n] password: ', started: 'herdbook-become-ok-n' });
    expect(strip(p.line)).toBe(
      `sudo -S -p '[herdbook-sudo-n] password: ' -u root -- /bin/sh -c 'printf '\\''%s\\n'\\'' herdbook-become-ok-n; id'`,
    );
  });

  it('summarizes without env values or whole scripts', () => {
    expect(summarize('line one\nline two')).toBe('line one ...');
    expect(summarize(['echo', 'x'.repeat(200)]).length).toBe(100);
  });
});
