// selinux's decisions, as ansible.posix 1.5.4 makes them (pure): the running mode (from
// /sys/fs/selinux/enforce), the running policy (libselinux reads it from /etc/selinux/config,
// 'targeted' when it says none), the config file's SELINUX= and SELINUXTYPE= lines, and the
// reference's messages, warnings and reboot_required, phrase for phrase.

export type SelinuxArgs = {
  policy?: string;
  state: 'enforcing' | 'permissive' | 'disabled';
  configfile: string;
  update_kernel_param: boolean;
};

export type SelinuxState = {
  /** /sys/fs/selinux/enforce: '1', '0', or undefined when SELinux is not running. */
  enforce?: string;
  /** The running policy type as libselinux reports it. */
  runtimePolicy: string;
  /** configfile's text; undefined when it is not a file. */
  config?: string;
  /** Its mode, kept when it is rewritten (as the reference's atomic_move keeps it). */
  configMode?: string;
  /** /etc/selinux/<policy>/policy exists (only asked when the policy changes). */
  policyInstalled: boolean;
  /** grubby's verdict: every kernel without selinux=0 (true), every one with it (false), mixed (null). */
  kernelEnabled?: boolean | null;
  /** grubby is missing or failed. */
  grubby?: 'missing' | 'failed';
};

export type SelinuxChange =
  | { kind: 'note'; summary: string }
  | { kind: 'setenforce'; summary: string; value: '0' | '1' }
  | { kind: 'write'; summary: string; path: string; content: string }
  | { kind: 'kernel'; summary: string; enable: boolean };

export type SelinuxDecision = {
  changes: SelinuxChange[];
  msgs: string[];
  warnings: string[];
  rebootRequired: boolean;
  policy: string | null;
  /** Check mode's early exit of the reference on a policy change (changed, no msg). */
  failed?: string;
};

const lineValue = (text: string, key: string) => {
  for (const line of text.split(/\r?\n/)) if (new RegExp(`^${key}=.*$`).test(line)) return line.split('=')[1].trim();
  return undefined;
};

/** get_file_lines + the reference's rewrite: each line kept (newline-terminated), `key=` lines replaced, or one added. */
export function setLine(text: string, key: string, value: string): string {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.at(-1) === '') lines.pop();
  let found = false;
  const out = lines.map((l) => {
    if (new RegExp(`^${key}=.*$`).test(l)) {
      found = true;
      return `${key}=${value}`;
    }
    return l;
  });
  if (!found) out.push(`${key}=${value}`);
  return out.map((l) => `${l}\n`).join('');
}

export function decideSelinux(s: SelinuxState, a: SelinuxArgs): SelinuxDecision {
  const d: SelinuxDecision = { changes: [], msgs: [], warnings: [], rebootRequired: false, policy: a.policy ?? null };
  if (s.config === undefined) return { ...d, failed: `Unable to find file ${a.configfile}` };
  if (a.update_kernel_param && s.grubby === 'missing') return { ...d, failed: "'grubby' command not found on host" };
  if (a.update_kernel_param && s.grubby === 'failed') return { ...d, failed: 'unable to run grubby' };
  const configPolicy = lineValue(s.config, 'SELINUXTYPE');
  const configState = lineValue(s.config, 'SELINUX');
  const runtimeEnabled = s.enforce !== undefined;
  const runtimeState = !runtimeEnabled ? 'disabled' : s.enforce === '1' ? 'enforcing' : 'permissive';
  if (a.state !== 'disabled' && !a.policy) return { ...d, failed: "Policy is required if state is not 'disabled'" };
  const policy = a.policy || configPolicy;
  d.policy = policy ?? null;
  const shown = (v: string | undefined) => v ?? 'None';
  let text = s.config;
  if (policy !== s.runtimePolicy) {
    // The reference only says so: the running policy changes at the next boot.
    const m = `Running SELinux policy changed from '${s.runtimePolicy}' to '${shown(policy)}'`;
    d.msgs.push(m);
    d.changes.push({ kind: 'note', summary: m });
  }
  if (policy !== configPolicy) {
    if (!s.policyInstalled) return { ...d, failed: `Policy ${shown(policy)} does not exist in /etc/selinux/` };
    text = setLine(text, 'SELINUXTYPE', shown(policy));
    const m = `SELinux policy configuration in '${a.configfile}' changed from '${shown(configPolicy)}' to '${shown(policy)}'`;
    d.msgs.push(m);
    d.changes.push({ kind: 'write', summary: m, path: a.configfile, content: text });
  }
  if (a.state !== runtimeState) {
    if (runtimeEnabled) {
      if (a.state === 'disabled') {
        if (runtimeState !== 'permissive') {
          d.warnings.push(
            `SELinux state temporarily changed from '${runtimeState}' to 'permissive'. State change will take effect next reboot.`,
          );
          d.changes.push({ kind: 'setenforce', summary: `setenforce 0 (permissive until the reboot)`, value: '0' });
        } else d.warnings.push('SELinux state change will take effect next reboot');
        d.rebootRequired = true;
      } else {
        const m = `SELinux state changed from '${runtimeState}' to '${a.state}'`;
        d.msgs.push(m);
        d.changes.push({ kind: 'setenforce', summary: m, value: a.state === 'enforcing' ? '1' : '0' });
      }
    } else {
      d.warnings.push(`Reboot is required to set SELinux state to '${a.state}'`);
      d.rebootRequired = true;
    }
  }
  if (a.state !== configState) {
    text = setLine(text, 'SELINUX', a.state);
    const m = `Config SELinux state changed from '${shown(configState)}' to '${a.state}'`;
    d.msgs.push(m);
    // One write of the file's final text (the reference writes it twice when both lines change).
    const prior = d.changes.findIndex((c) => c.kind === 'write');
    const summary = prior >= 0 ? `${d.changes[prior].summary}; ${m}` : m;
    if (prior >= 0) d.changes.splice(prior, 1);
    d.changes.push({ kind: 'write', summary, path: a.configfile, content: text });
  }
  const wantKernel = a.state === 'enforcing' || a.state === 'permissive';
  if (a.update_kernel_param && s.kernelEnabled !== wantKernel) {
    const states = wantKernel ? ['disabled', 'enabled'] : ['enabled', 'disabled'];
    if (s.kernelEnabled === null || s.kernelEnabled === undefined) states[0] = '<inconsistent>';
    const m = `Kernel SELinux state changed from '${states[0]}' to '${states[1]}'`;
    d.msgs.push(m);
    d.changes.push({ kind: 'kernel', summary: m, enable: wantKernel });
  }
  return d;
}

/** grubby --info=ALL: every kernel's args without selinux=0 (true), all with it (false), else null. */
export function kernelEnabled(info: string): boolean | null {
  let allEnabled = true;
  let allDisabled = true;
  for (const line of info.split('\n')) {
    const m = /^args="(.*)"$/.exec(line);
    if (!m) continue;
    if (m[1].split(' ').includes('selinux=0')) allEnabled = false;
    else allDisabled = false;
  }
  return allEnabled === allDisabled ? null : allEnabled;
}
