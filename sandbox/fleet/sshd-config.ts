// One node's sshd_config. Everything the node needs is spelled out so the system's
// /etc/ssh/sshd_config (and its defaults) never leaks into a test.
export type SshdConfigInput = {
  port: number;
  hostKey: string;
  pidFile: string;
  authorizedKeysFile: string;
  maxSessions: number;
  sftp: boolean;
  passwordAuthentication: boolean;
  /** Off by default; only when root's password is locked (`!`) does key login need PAM's account check. */
  usePam: boolean;
};

export function renderSshdConfig(c: SshdConfigInput): string {
  const lines = [
    `ListenAddress 127.0.0.1:${c.port}`,
    `HostKey ${c.hostKey}`,
    `PidFile ${c.pidFile}`,
    `AuthorizedKeysFile ${c.authorizedKeysFile}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    `PasswordAuthentication ${c.passwordAuthentication ? 'yes' : 'no'}`,
    'KbdInteractiveAuthentication no',
    `UsePAM ${c.usePam ? 'yes' : 'no'}`,
    'StrictModes no',
    `MaxSessions ${c.maxSessions}`,
    // Many parallel test connections from one address must not be dropped as a flood.
    'MaxStartups 200:30:400',
    'LogLevel VERBOSE',
    'PrintMotd no',
    'PrintLastLog no',
    'UseDNS no',
    'AllowTcpForwarding yes',
    'PermitTunnel no',
    'X11Forwarding no',
    'ClientAliveInterval 0',
    // bash reads root's ~/.bashrc for every command sshd starts (Debian builds it with
    // SSH_SOURCE_BASHRC) unless it is a nested shell; this machine's ~/.bashrc runs `pyenv init`,
    // seconds under load, and is not part of the node we play. SHLVL=1 makes the command's bash
    // level 2, which skips it, as a clean node would.
    'SetEnv SHLVL=1',
  ];
  if (c.sftp) lines.push('Subsystem sftp internal-sftp');
  return `${lines.join('\n')}\n`;
}
