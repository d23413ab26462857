// The request uri sends and the response it registers, whichever side sends it.

export type HttpRequest = {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
  timeoutMs: number;
  validateCerts: boolean;
  caPath?: string;
  /** none: never; safe: only for GET/HEAD; all: any method (303, and 301/302 after POST, become GET). */
  followRedirects: 'none' | 'safe' | 'all';
};

export type HttpResponse = {
  status: number;
  statusText: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** As UTF-8 text: uri is for APIs, not for downloading binaries. */
  body: string;
  /** The body's bytes, from the controller's client (get_url's fallback downloads binaries). */
  raw?: Buffer;
  /** The URL finally answered (after redirects). */
  url: string;
  redirected: boolean;
};

export const MAX_REDIRECTS = 20;

/** Whether a redirect of this request is followed under the policy. */
export function followsRedirect(policy: HttpRequest['followRedirects'], method: string): boolean {
  if (policy === 'none') return false;
  if (policy === 'all') return true;
  return method === 'GET' || method === 'HEAD';
}
