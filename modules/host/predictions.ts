// Check mode runs nothing, so a later task would not see the directory, file or unit change an
// earlier task would have made. These predictions carry that across the rehearsal: the file
// modules record what their plan would create or remove, the probe and systemd read it back.
import type { ModuleContext } from '../../engine/module.js';
import type { RemoteFile } from './remote-file-types.js';

type Predicted = 'file' | 'directory' | 'absent';

const pathKey = (host: string, p: string) => `path:${host}:${p}`;
const unitKey = (host: string, unit: string) => `unit-changed:${host}:${unit}`;

/** /etc/systemd/system/k3s-agent.service.d/x.conf → k3s-agent.service */
export function unitOfPath(p: string): string | undefined {
  const m = /^\/(?:etc|lib|usr\/lib)\/systemd\/system\/([^/]+?)(?:\.d)?(?:\/|$)/.exec(p);
  return m ? m[1] : undefined;
}

type AnyChange = { kind: string; path?: string; paths?: string[] };

export function predictChanges(changes: readonly AnyChange[], ctx: ModuleContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const mark = (p: string, what: Predicted) => {
    out[pathKey(ctx.host, p)] = what;
    const unit = unitOfPath(p);
    if (unit && what !== 'directory') out[unitKey(ctx.host, unit)] = true;
  };
  for (const c of changes) {
    if (c.kind === 'mkdir') for (const p of c.paths ?? []) mark(p, 'directory');
    else if (c.kind === 'remove' && c.path) mark(c.path, 'absent');
    else if (c.path && ['write', 'touch', 'symlink', 'hardlink'].includes(c.kind)) mark(c.path, 'file');
  }
  return out;
}

/** In check mode, an absent path whose parent an earlier rehearsed task creates is one step from existing. */
export function withPredictions(ctx: ModuleContext, files: RemoteFile[]): RemoteFile[] {
  if (!ctx.check) return files;
  return files.map((f) => {
    if (f.exists || f.missing < 2) return f;
    let p = f.path.replace(/\/+$/, '');
    for (let k = 1; k < f.missing; k++) {
      p = p.slice(0, p.lastIndexOf('/')) || '/';
      if (ctx.cluster.predicted(pathKey(ctx.host, p)) === 'directory') return { ...f, missing: k, ancestorIsDir: true };
    }
    return f;
  });
}

export function unitPredictedChanged(ctx: ModuleContext, unit: string): boolean {
  return ctx.check && Boolean(ctx.cluster.predicted(unitKey(ctx.host, unit)));
}
