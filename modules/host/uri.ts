// uri: an HTTP request from the controller (default) or from the host (`on: host`, with curl).
// GET/HEAD/OPTIONS are reads: sent in inspect, the same in check mode, never a change. Other
// methods are changes check mode cannot predict (use changed_when to say when they are not).
import { defineModule, type ModuleContext } from '../../engine/index-module.js';
import { CURL_ARGV, curlConfig, parseCurlOutput } from './curl.js';
import { sendFromController } from './http-client.js';
import type { HttpRequest, HttpResponse } from './http-types.js';
import { expectedStatus, requestOf, responseData, type UriArgs, type UriOutcome } from './uri-common.js';

export type UriState = { outcome?: UriOutcome };

type UriChange = { summary: string };

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const isRead = (args: UriArgs) => READS.has(args.method.toUpperCase());

async function sendFromHost(ctx: ModuleContext, req: HttpRequest): Promise<HttpResponse> {
  const r = await ctx.exec(CURL_ARGV, {
    stdin: curlConfig(req),
    timeout: req.timeoutMs + 10_000,
    idempotent: READS.has(req.method),
  });
  if (r.rc === 127) throw new Error('curl is not installed on the host (apt-get install curl), or use on: controller');
  if (r.rc !== 0) throw new Error(`curl exited ${r.rc}: ${r.stderr.trim()}`);
  return parseCurlOutput(r.stdout);
}

async function send(ctx: ModuleContext, args: UriArgs): Promise<UriOutcome> {
  const req = requestOf(args);
  const auth = req.headers.Authorization ?? req.headers.authorization;
  if (auth) ctx.secret(auth);
  const started = ctx.now();
  try {
    const res = args.on === 'host' ? await sendFromHost(ctx, req) : await sendFromController(req, ctx.signal);
    return { ok: true, res, elapsed: (ctx.now() - started) / 1000 };
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    return { ok: false, error: (e as Error).message, elapsed: (ctx.now() - started) / 1000 };
  }
}

/** Ansible's failure wording: "Status code was 503 and not [200]: ...". */
function verdict(outcome: UriOutcome, args: UriArgs): { failed?: string; data: Record<string, unknown> } {
  const data = responseData(outcome, args);
  const want = expectedStatus(args);
  if (!outcome.ok && want.includes(-1)) return { data };
  if (!outcome.ok)
    return { failed: `Status code was -1 and not [${want.join(', ')}]: Request failed: ${outcome.error}`, data };
  if (!want.includes(outcome.res.status))
    return { failed: `Status code was ${outcome.res.status} and not [${want.join(', ')}]: ${String(data.msg)}`, data };
  return { data };
}

export const uri = defineModule<UriArgs, UriState, UriChange>({
  name: 'uri',
  schema: 'uri',
  runsOn: 'host',
  predictable: isRead,
  secretArgs: ['url_password'],
  async inspect(ctx, args) {
    return isRead(args) ? { outcome: await send(ctx, args) } : {};
  },
  plan(st, args) {
    const method = args.method.toUpperCase();
    if (!st.outcome) return { changes: [{ summary: `${method} ${args.url}` }] };
    const v = verdict(st.outcome, args);
    if (v.failed) return { changes: [], refuse: v.failed, data: v.data };
    return { changes: [], noop: `${method} ${args.url}: ${String(v.data.msg)}`, data: v.data };
  },
  async apply(ctx, args) {
    const v = verdict(await send(ctx, args), args);
    return v.failed
      ? { failed: v.failed, data: v.data }
      : { data: v.data, msg: `${args.method.toUpperCase()} ${args.url}: ${String(v.data.msg)}` };
  },
  unknownResult: (args) => ({ status: null, url: args.url, redirected: false, msg: '', content: '', json: null }),
});
