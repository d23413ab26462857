// Typed errors with a stable `code`. Only engine/cli.ts maps them to exit codes.

export type SourcePos = { file: string; line: number; col: number };

export type Diagnostic = {
  severity: 'error' | 'warning';
  message: string;
  /** Absent for errors that are not about a place in a file (a missing file, a bad flag). */
  pos?: SourcePos;
  /** A suggestion printed under the code frame: "did you mean 'drain'?", the Handlebars spelling. */
  hint?: string;
};

export class HerdbookError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Bad command-line usage: exit 5. */
export class UsageError extends HerdbookError {
  constructor(message: string) {
    super('E_USAGE', message);
  }
}

/** Invalid input files: every problem found, reported together, and nothing was run (exit 4). */
export class InputError extends HerdbookError {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[], options?: { cause?: unknown }) {
    const first = diagnostics.find((d) => d.severity === 'error') ?? diagnostics[0];
    super('E_INPUT', first ? formatShort(first) : 'invalid input', options);
    this.diagnostics = diagnostics;
  }
}

/** A template that cannot be evaluated: an undefined variable, a Jinja habit, a helper misuse. */
export class TemplateError extends HerdbookError {
  readonly pos?: SourcePos;
  readonly hint?: string;
  /** The variable path that was undefined, when that is the cause. */
  readonly variable?: string;
  constructor(message: string, extra: { pos?: SourcePos; hint?: string; variable?: string; code?: string } = {}) {
    super(extra.code ?? 'E_TEMPLATE', message);
    this.pos = extra.pos;
    this.hint = extra.hint;
    this.variable = extra.variable;
  }
  withPos(pos: SourcePos | undefined): TemplateError {
    if (!pos || this.pos) return this;
    const e = new TemplateError(this.message, { pos, hint: this.hint, variable: this.variable, code: this.code });
    e.stack = this.stack;
    return e;
  }
}

/**
 * `login`: sshd let the user in but the login shell ran no command; `container`: a Proxmox
 * container that is stopped, missing, or cannot be entered.
 */
export type UnreachableReason =
  'refused' | 'timeout' | 'auth' | 'hostkey' | 'dns' | 'dropped' | 'config' | 'login' | 'container' | 'other';

/** The host could not be reached or the connection broke: the host is `unreachable`, not `failed`. */
export class UnreachableError extends HerdbookError {
  readonly reason: UnreachableReason;
  readonly host: string;
  constructor(host: string, reason: UnreachableReason, message: string, options?: { cause?: unknown }) {
    super('E_UNREACHABLE', message, options);
    this.host = host;
    this.reason = reason;
  }
}

/** A module that failed for a reason it can explain (bad state on the host, API refusal). */
export class ModuleError extends HerdbookError {
  readonly data?: Record<string, unknown>;
  constructor(message: string, data?: Record<string, unknown>, options?: { cause?: unknown }) {
    super('E_MODULE', message, options);
    this.data = data;
  }
}

/** The run was interrupted (Ctrl-C). */
export class InterruptedError extends HerdbookError {
  constructor() {
    super('E_INTERRUPTED', 'interrupted');
  }
}

export function formatShort(d: Diagnostic): string {
  const where = d.pos ? `${d.pos.file}:${d.pos.line}:${d.pos.col}: ` : '';
  return `${where}${d.message}`;
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
