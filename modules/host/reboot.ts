// reboot: reboot the host and wait until it is back: the boot id changed and test_command
// succeeds. Always a change (check mode only says it would reboot). Commands are word lists or
// command lines split like `command` (never run by a shell). It refuses to reboot the
// controller itself (a local connection) unless reboot_command says what to run instead.
import { defineModule, ModuleError, UnreachableError, type ModuleContext } from '../../engine/index-module.js';
import { splitWords } from '../../engine/shell-words.js';
import { answers } from './wait_for_connection.js';
import { waitUntil } from './wait_for.js';

export type RebootArgs = {
  reboot_timeout: number;
  connect_timeout: number;
  pre_reboot_delay: number;
  post_reboot_delay: number;
  test_command: string | string[];
  reboot_command?: string | string[];
  boot_time_command: string | string[];
  msg: string;
};

export type RebootState = { local: boolean };

type RebootChange = { summary: string; argv: string[] };

export function argvOf(cmd: string | string[]): string[] {
  const argv = typeof cmd === 'string' ? splitWords(cmd) : cmd.map(String);
  if (!argv.length) throw new ModuleError('an empty command');
  return argv;
}

export function rebootArgv(args: RebootArgs): string[] {
  return args.reboot_command !== undefined ? argvOf(args.reboot_command) : ['shutdown', '-r', 'now', args.msg];
}

async function bootId(ctx: ModuleContext, args: RebootArgs): Promise<string> {
  const r = await ctx.exec(argvOf(args.boot_time_command), { timeout: args.connect_timeout * 1000, idempotent: true });
  if (r.rc !== 0)
    throw new ModuleError(
      `cannot read the boot id (${argvOf(args.boot_time_command).join(' ')} exited ${r.rc}): ${r.stderr.trim()}`,
    );
  return r.stdout.trim();
}

export const reboot = defineModule<RebootArgs, RebootState, RebootChange>({
  name: 'reboot',
  schema: 'reboot',
  runsOn: 'host',
  predictable: true,
  async inspect(ctx) {
    return { local: (await ctx.connection()).kind === 'local' };
  },
  plan(st, args) {
    // `connection: local` is the machine herdbook runs on: rebooting it would kill the run.
    if (st.local && args.reboot_command === undefined)
      return {
        changes: [],
        refuse:
          'refusing to reboot the controller itself (connection: local); set reboot_command to what should run instead',
      };
    const argv = rebootArgv(args);
    return {
      changes: [
        {
          summary: `reboot (${argv.join(' ')}) and wait up to ${args.reboot_timeout}s for the host to come back`,
          argv,
        },
      ],
    };
  },
  async apply(ctx, args, plan) {
    const start = ctx.now();
    const before = await bootId(ctx, args);
    if (args.pre_reboot_delay > 0) await ctx.sleep(args.pre_reboot_delay * 1000);
    try {
      const r = await ctx.exec(plan.changes[0].argv, { timeout: 60_000 });
      // Killed with the system going down is fine; a plain refusal is not.
      if (r.rc !== 0 && !r.signal && !r.timedOut)
        return {
          failed: `reboot command failed (exit ${r.rc}): ${r.stderr.trim() || r.stdout.trim()}`,
          data: { rebooted: false, rc: r.rc },
        };
    } catch (e) {
      // The connection dropping under the command is what a reboot looks like.
      if (!(e instanceof UnreachableError) || ctx.signal.aborted) throw e;
    }
    if (args.post_reboot_delay > 0) await ctx.sleep(args.post_reboot_delay * 1000);
    const left = Math.max(0, args.reboot_timeout - (ctx.now() - start) / 1000);
    const back = await waitUntil(
      ctx,
      { timeout: left, delay: 0, sleep: 1, what: 'the host to come back with a new boot id' },
      async () => {
        try {
          const id = await bootId(ctx, args);
          return id !== before
            ? { done: true, seen: 'new boot id' }
            : { done: false, seen: 'same boot id: not rebooted yet' };
        } catch (e) {
          if (ctx.signal.aborted) throw e;
          return { done: false, seen: (e as Error).message };
        }
      },
    );
    if (!back.ok)
      return {
        failed: `the host did not come back within reboot_timeout (${args.reboot_timeout}s); last seen: ${back.seen}`,
        data: { rebooted: false },
      };
    const test = argvOf(args.test_command);
    const ready = await waitUntil(
      ctx,
      {
        timeout: Math.max(0, args.reboot_timeout - (ctx.now() - start) / 1000),
        delay: 0,
        sleep: 1,
        what: `${test.join(' ')} to succeed`,
      },
      async () => {
        const a = await answers(ctx, args.connect_timeout);
        if (!a.done) return a;
        const r = await ctx
          .exec(test, { timeout: args.connect_timeout * 1000 })
          .catch((e: Error) => ({ rc: -1, stderr: e.message, stdout: '' }));
        return r.rc === 0
          ? { done: true, seen: 'test command succeeded' }
          : { done: false, seen: `${test.join(' ')} exited ${r.rc}: ${r.stderr.trim()}` };
      },
    );
    const elapsed = Math.round((ctx.now() - start) / 100) / 10;
    if (!ready.ok)
      return {
        failed: `the host came back but ${test.join(' ')} never succeeded within reboot_timeout; last seen: ${ready.seen}`,
        data: { rebooted: true, elapsed },
      };
    return { data: { rebooted: true, elapsed }, msg: `rebooted in ${elapsed}s` };
  },
});
