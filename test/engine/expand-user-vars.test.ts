// `~`, `~user` and `$VAR` as Python's os.path.expanduser(os.path.expandvars(x)) reads them, which
// is what Ansible does to a command's words and to every argument of type path on the host.
import { describe, expect, it } from 'vitest';
import { LocalConnection } from '../../engine/connection/local.js';
import { expandOnHost, expandUserAndVars } from '../../engine/expand-user-vars.js';

const host = {
  env: { HOME: '/home/op/', OUT: '/srv/out', A1: 'x' },
  homes: { '': '/root', 'hb-nopasswd': '/home/hb-nopasswd', root: '/root' },
};

describe('expandUserAndVars (Python’s rules)', () => {
  it.each([
    ['~', '/home/op'],
    ['~/.kube/config', '/home/op/.kube/config'],
    ['~hb-nopasswd/.kube', '/home/hb-nopasswd/.kube'],
    ['~root', '/root'],
    // An unknown user, or a ~ that does not start the word: as written.
    ['~nobody-here/x', '~nobody-here/x'],
    ['a~/b', 'a~/b'],
    ['$OUT/x', '/srv/out/x'],
    ['${OUT}/x', '/srv/out/x'],
    ['$A1', 'x'],
    // A variable that is not set stays, $1 included (awk's field, not the shell's parameter).
    ['$UNSET/x', '$UNSET/x'],
    ["awk '{print $1}'", "awk '{print $1}'"],
    ['${UNSET', '${UNSET'],
    // expandvars first, then expanduser: a variable may give the ~.
    ['$T/x', '/root/x'],
  ])('%s → %s', (word, out) => {
    const env = { ...host.env, ...(word.startsWith('$T') ? { T: '~root' } : {}) };
    expect(expandUserAndVars(word, { ...host, env })).toBe(out);
  });

  it('~ without HOME is the account’s home', () => {
    expect(expandUserAndVars('~/x', { env: {}, homes: { '': '/root' } })).toBe('/root/x');
  });
});

describe('expandOnHost', () => {
  const connection = new LocalConnection('local');
  it('reads the environment and the homes on the host, in one command, only when a word needs it', async () => {
    const calls: unknown[] = [];
    const exec: typeof connection.exec = (cmd, opts) => {
      calls.push(cmd);
      return connection.exec(cmd, { ...opts, env: { ...opts?.env, HB_EXPAND_TEST: '/t' } });
    };
    expect(await expandOnHost(exec, ['ls', '-l'])).toEqual(['ls', '-l']);
    expect(calls).toEqual([]);
    const out = await expandOnHost(exec, ['ls', '$HB_EXPAND_TEST/a', '~root/b', '~no-such-user-here/c']);
    expect(out).toEqual(['ls', '/t/a', '/root/b', '~no-such-user-here/c']);
    expect(calls).toHaveLength(1);
  });
});
