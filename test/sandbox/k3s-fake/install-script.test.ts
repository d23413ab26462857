import { access, readFile, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderInstallScript } from '../../../sandbox/k3s-fake/install-script.js';
import { k3sNodePaths, readFakeStart, readStarts, writeFakeK3sBinary } from '../../../sandbox/k3s-fake/node-files.js';
import { startK3sReleaseServer, type K3sReleaseServer } from '../../../sandbox/k3s-fake/release-server.js';
import { makeNode, output, testStateDir, type TestNode } from './helpers.js';

const state = testStateDir();
let srv: K3sReleaseServer;
let n = 0;

beforeAll(async () => {
  srv = await startK3sReleaseServer({
    versions: ['v1.29.10+k3s1', 'v1.30.6+k3s1', 'v1.31.4+k3s1'],
    stable: 'v1.30.6+k3s1',
  });
});
afterAll(() => srv.close());

/** `curl -sfL <server>/install.sh | sh -s - ARGS` on the node, as the k3s docs say. */
function install(node: TestNode, env: Record<string, string> = {}, args: string[] = []) {
  return node.run(['sh', '-c', 'curl -sfL "$0" | sh -s - "$@"', srv.installScriptUrl, ...args], env);
}
/** The [INFO] lines, minus the two that depend on this machine (a kubectl in PATH, cgroups). */
const infos = (stdout: string) =>
  stdout.split('\n').filter((l) => l.startsWith('[INFO]') && !l.includes('kubectl') && !l.includes('memory cgroup'));
const fresh = () => makeNode(state, `inst${++n}`);
const versionOf = async (node: TestNode) => (await node.run(['k3s', '--version'])).stdout.split(' ')[2];
const unit = (node: TestNode, svc = 'k3s') => readFile(k3sNodePaths(node.root).unit(svc), 'utf8');
const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

describe('a fresh server install', () => {
  let node: TestNode;
  let out = '';
  beforeAll(async () => {
    node = await fresh();
    srv.clearRequests();
    const r = await install(node, { K3S_KUBECONFIG_MODE: '644' }, [
      '--cluster-init',
      '--node-label',
      'tier=control plane',
    ]);
    expect(r.code, output(r)).toBe(0);
    out = r.stdout;
  });

  it("prints the real script's [INFO] lines", () => {
    const url = `${srv.githubUrl}/download/v1.30.6+k3s1`;
    expect(infos(out)).toEqual([
      '[INFO]  Finding release for channel stable',
      '[INFO]  Using v1.30.6+k3s1 as release',
      `[INFO]  Downloading hash ${url}/sha256sum-amd64.txt`,
      `[INFO]  Downloading binary ${url}/k3s`,
      '[INFO]  Verifying binary download',
      '[INFO]  Installing k3s to /usr/local/bin/k3s',
      '[INFO]  Skipping installation of SELinux RPM',
      '[INFO]  Creating /usr/local/bin/crictl symlink to k3s',
      '[INFO]  Creating /usr/local/bin/ctr symlink to k3s',
      '[INFO]  Creating killall script /usr/local/bin/k3s-killall.sh',
      '[INFO]  Creating uninstall script /usr/local/bin/k3s-uninstall.sh',
      '[INFO]  env: Creating environment file /etc/systemd/system/k3s.service.env',
      '[INFO]  systemd: Creating service file /etc/systemd/system/k3s.service',
      '[INFO]  systemd: Enabling k3s unit',
      '[INFO]  systemd: Starting k3s',
    ]);
  });

  it('resolved the stable channel and downloaded that release', async () => {
    expect(srv.requests.map((r) => `${r.status} ${r.path}`)).toEqual([
      '200 /install.sh',
      '302 /v1-release/channels/stable',
      '200 /k3s-io/k3s/releases/tag/v1.30.6+k3s1',
      '200 /k3s-io/k3s/releases/download/v1.30.6+k3s1/sha256sum-amd64.txt',
      '200 /k3s-io/k3s/releases/download/v1.30.6+k3s1/k3s',
    ]);
    expect(await readFile(k3sNodePaths(node.root).binary)).toEqual(srv.binary('v1.30.6+k3s1'));
    expect((await stat(k3sNodePaths(node.root).binary)).mode & 0o777).toBe(0o755);
  });

  it('writes the unit with every word of ExecStart quoted, and the env file', async () => {
    const text = await unit(node);
    expect(text).toContain('EnvironmentFile=-/etc/systemd/system/k3s.service.env\n');
    expect(text).toContain('ExecStartPre=-/sbin/modprobe br_netfilter\nExecStartPre=-/sbin/modprobe overlay\n');
    expect(
      text.endsWith(
        "ExecStart=/usr/local/bin/k3s \\\n    server \\\n\t'--cluster-init' \\\n\t'--node-label' \\\n\t'tier=control plane' \\\n\n",
      ),
    ).toBe(true);
    expect(await readFile(k3sNodePaths(node.root).unitEnv('k3s'), 'utf8')).toBe("K3S_KUBECONFIG_MODE='644'\n");
    expect((await stat(k3sNodePaths(node.root).unitEnv('k3s'))).mode & 0o777).toBe(0o600);
  });

  it('enabled and started k3s once, which wrote the datastore, token and kubeconfig', async () => {
    expect(await node.systemd()).toEqual(['enable k3s.service ok', 'daemon-reload ok', 'restart k3s.service ok']);
    expect(await readStarts(node.root)).toEqual([{ role: 'server', version: 'v1.30.6+k3s1', result: 'ok' }]);
    const p = k3sNodePaths(node.root);
    expect(await exists(p.etcdDb)).toBe(true);
    expect(await readFile(p.nodeToken, 'utf8')).toMatch(/^K10[0-9a-f]{64}::server:[0-9a-f]{32}\n$/);
    expect((await stat(p.kubeconfig)).mode & 0o777).toBe(0o644);
    expect((await readFakeStart(node.root, 'server'))?.args).toEqual([
      '--cluster-init',
      '--node-label',
      'tier=control plane',
    ]);
  });

  it('re-run with the same version and flags: hash matches, "No change detected", no restart', async () => {
    srv.clearRequests();
    const r = await install(node, { K3S_KUBECONFIG_MODE: '644' }, [
      '--cluster-init',
      '--node-label',
      'tier=control plane',
    ]);
    expect(r.code, output(r)).toBe(0);
    expect(infos(r.stdout)).toContain('[INFO]  Skipping binary downloaded, installed k3s matches hash');
    expect(infos(r.stdout).at(-1)).toBe('[INFO]  No change detected so skipping service start');
    expect(srv.requests.map((q) => q.path)).not.toContain('/k3s-io/k3s/releases/download/v1.30.6+k3s1/k3s');
    expect(await readStarts(node.root)).toHaveLength(1);
  });

  it('INSTALL_K3S_FORCE_RESTART=true restarts anyway', async () => {
    const env = { K3S_KUBECONFIG_MODE: '644', INSTALL_K3S_FORCE_RESTART: 'true' };
    const r = await install(node, env, ['--cluster-init', '--node-label', 'tier=control plane']);
    expect(infos(r.stdout).at(-1)).toBe('[INFO]  systemd: Starting k3s');
    expect(await readStarts(node.root)).toHaveLength(2);
  });

  it('the uninstall script removes what the install created', async () => {
    const r = await node.run(['/usr/local/bin/k3s-uninstall.sh']);
    expect(r.code, output(r)).toBe(0);
    const p = k3sNodePaths(node.root);
    for (const f of [
      p.binary,
      p.unit('k3s'),
      p.unitEnv('k3s'),
      `${p.binDir}/crictl`,
      `${p.binDir}/k3s-killall.sh`,
      `${p.binDir}/k3s-uninstall.sh`,
      p.kubeconfig,
      p.token,
    ]) {
      expect(await exists(f), f).toBe(false);
    }
    expect(await exists(`${node.root}/var/lib/rancher/k3s`)).toBe(false);
    expect(await node.systemd()).toEqual(expect.arrayContaining(['stop k3s.service ok', 'disable k3s.service ok']));
  });
});

describe('an agent install', () => {
  it('K3S_URL makes the role agent; the token reaches the env file, never the record', async () => {
    const node = await fresh();
    const r = await install(node, { K3S_URL: 'https://10.0.0.1:6443', K3S_TOKEN: 'agent-join-token' });
    expect(r.code, output(r)).toBe(0);
    expect(infos(r.stdout)).toContain('[INFO]  Creating uninstall script /usr/local/bin/k3s-agent-uninstall.sh');
    expect(await unit(node, 'k3s-agent')).toContain('ExecStart=/usr/local/bin/k3s \\\n    agent \\\n\n');
    expect(await readFile(k3sNodePaths(node.root).unitEnv('k3s-agent'), 'utf8')).toBe(
      "K3S_TOKEN='agent-join-token'\nK3S_URL='https://10.0.0.1:6443'\n",
    );
    expect(await exists(k3sNodePaths(node.root).unit('k3s'))).toBe(false);
    expect(await readFakeStart(node.root, 'agent')).toMatchObject({
      env: { K3S_URL: 'https://10.0.0.1:6443', K3S_TOKEN: '********' },
    });
  });

  it.each([
    [
      { K3S_URL: 'https://10.0.0.1:6443' },
      "Defaulted k3s exec command to 'agent' because K3S_URL is defined, but K3S_TOKEN or K3S_TOKEN_FILE is not defined.",
    ],
    [
      { K3S_URL: 'http://10.0.0.1:6443', K3S_TOKEN: 't' },
      'Only https:// URLs are supported for K3S_URL (have http://10.0.0.1:6443)',
    ],
  ])('refuses %j', async (env, message) => {
    const r = await install(await fresh(), env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`[ERROR]  ${message}`);
  });
});

describe('upgrades', () => {
  const AGENT = { K3S_URL: 'https://10.0.0.1:6443', K3S_TOKEN: 'tok' };

  it('INSTALL_K3S_VERSION wins over the channel and restarts k3s on the new binary', async () => {
    const node = await fresh();
    expect((await install(node, { INSTALL_K3S_VERSION: 'v1.29.10+k3s1' })).code).toBe(0);
    srv.clearRequests();
    const r = await install(node, { INSTALL_K3S_VERSION: 'v1.30.6+k3s1' });
    expect(r.code, output(r)).toBe(0);
    expect(infos(r.stdout).slice(0, 2)).toEqual([
      '[INFO]  Using v1.30.6+k3s1 as release',
      '[INFO]  Downloading hash ' + `${srv.githubUrl}/download/v1.30.6+k3s1/sha256sum-amd64.txt`,
    ]);
    expect(srv.requests.some((q) => q.path.startsWith('/v1-release'))).toBe(false);
    expect(await versionOf(node)).toBe('v1.30.6+k3s1');
    expect((await readStarts(node.root)).map((s) => s.version)).toEqual(['v1.29.10+k3s1', 'v1.30.6+k3s1']);
  });

  it("INSTALL_K3S_CHANNEL=v1.31 follows the redirect to that minor's newest patch", async () => {
    const node = await fresh();
    const r = await install(node, { INSTALL_K3S_CHANNEL: 'v1.31' });
    expect(r.code, output(r)).toBe(0);
    expect(infos(r.stdout).slice(0, 2)).toEqual([
      '[INFO]  Finding release for channel v1.31',
      '[INFO]  Using v1.31.4+k3s1 as release',
    ]);
    expect(await versionOf(node)).toBe('v1.31.4+k3s1');
  });

  it('an unknown channel fails the download and leaves k3s alone', async () => {
    const node = await fresh();
    expect((await install(node, { INSTALL_K3S_VERSION: 'v1.29.10+k3s1' })).code).toBe(0);
    const r = await install(node, { INSTALL_K3S_CHANNEL: 'v1.99' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[ERROR]  Download failed');
    expect(await versionOf(node)).toBe('v1.29.10+k3s1');
  });

  it('flags given at the first install are lost when not passed again', async () => {
    const node = await fresh();
    expect(
      (
        await install(node, {
          INSTALL_K3S_VERSION: 'v1.29.10+k3s1',
          INSTALL_K3S_EXEC: '--cluster-init --disable=traefik',
        })
      ).code,
    ).toBe(0);
    expect(await unit(node)).toContain("'--disable=traefik'");
    const r = await install(node, { INSTALL_K3S_VERSION: 'v1.30.6+k3s1' });
    expect(r.code, output(r)).toBe(0);
    expect(await unit(node)).not.toContain('--disable=traefik');
    expect((await readFakeStart(node.root, 'server'))?.args).toEqual([]);
  });

  it('an agent upgraded without `agent` in INSTALL_K3S_EXEC becomes a server (the real bug)', async () => {
    const node = await fresh();
    expect((await install(node, { ...AGENT, INSTALL_K3S_VERSION: 'v1.29.10+k3s1' })).code).toBe(0);
    const r = await install(node, { INSTALL_K3S_VERSION: 'v1.30.6+k3s1' });
    expect(r.code, output(r)).toBe(0);
    expect(infos(r.stdout)).toContain('[INFO]  systemd: Starting k3s');
    expect(await unit(node, 'k3s')).toContain('    server \\\n');
    expect(await exists(k3sNodePaths(node.root).unit('k3s-agent'))).toBe(true);
    expect(await readFakeStart(node.root, 'server')).toMatchObject({ version: 'v1.30.6+k3s1', datastore: 'sqlite' });
    expect(await exists(k3sNodePaths(node.root).stateDb)).toBe(true);
  });

  it('an agent upgraded with its role and K3S_* variables stays an agent', async () => {
    const node = await fresh();
    expect(
      (await install(node, { ...AGENT, INSTALL_K3S_VERSION: 'v1.29.10+k3s1' }, ['--node-label', 'a=b'])).code,
    ).toBe(0);
    const r = await install(node, { ...AGENT, INSTALL_K3S_VERSION: 'v1.30.6+k3s1', INSTALL_K3S_EXEC: 'agent' }, [
      '--node-label',
      'a=b',
    ]);
    expect(r.code, output(r)).toBe(0);
    expect(await exists(k3sNodePaths(node.root).unit('k3s'))).toBe(false);
    expect(await readFakeStart(node.root, 'agent')).toMatchObject({
      version: 'v1.30.6+k3s1',
      args: ['--node-label', 'a=b'],
    });
  });

  it('works with wget when curl is missing', async () => {
    const node = await fresh();
    // A PATH with every tool of this machine except curl.
    const setup = await node.sh(
      'mkdir -p /run/nocurl && cp -s /usr/bin/* /run/nocurl/ 2>/dev/null; rm -f /run/nocurl/curl; test -x /run/nocurl/wget',
    );
    expect(setup.code, output(setup)).toBe(0);
    const script = await renderInstallScript({ githubUrl: srv.githubUrl, channelUrl: srv.channelUrl });
    const r = await node.run(
      ['sh', '-s', '-'],
      { PATH: '/usr/local/bin:/run/nocurl', INSTALL_K3S_CHANNEL: 'v1.29' },
      script,
    );
    expect(r.code, output(r)).toBe(0);
    expect(infos(r.stdout)[1]).toBe('[INFO]  Using v1.29.10+k3s1 as release');
    expect(await versionOf(node)).toBe('v1.29.10+k3s1');
  });
});

describe('install variables', () => {
  it('INSTALL_K3S_SKIP_DOWNLOAD=true installs the binary already in place and asks the network nothing', async () => {
    const node = await fresh();
    const script = await renderInstallScript({ githubUrl: srv.githubUrl, channelUrl: srv.channelUrl });
    const missing = await node.run(['sh', '-s', '-'], { INSTALL_K3S_SKIP_DOWNLOAD: 'true' }, script);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[ERROR]  Executable k3s binary not found at /usr/local/bin/k3s');
    await writeFakeK3sBinary(node.root, 'v1.28.15+k3s1');
    srv.clearRequests();
    const r = await node.run(['sh', '-s', '-'], { INSTALL_K3S_SKIP_DOWNLOAD: 'true' }, script);
    expect(r.code, output(r)).toBe(0);
    expect(infos(r.stdout)[0]).toBe('[INFO]  Skipping k3s download and verify');
    expect(srv.requests).toEqual([]);
    expect((await readFakeStart(node.root, 'server'))?.version).toBe('v1.28.15+k3s1');
  });

  it('INSTALL_K3S_SKIP_START enables without starting; INSTALL_K3S_SKIP_ENABLE does neither', async () => {
    const a = await fresh();
    expect((await install(a, { INSTALL_K3S_SKIP_START: 'true' })).code).toBe(0);
    expect(await a.systemd()).toEqual(['enable k3s.service ok', 'daemon-reload ok']);
    const b = await fresh();
    expect((await install(b, { INSTALL_K3S_SKIP_ENABLE: 'true' })).code).toBe(0);
    expect(await b.systemd()).toEqual([]);
    expect(await readStarts(b.root)).toEqual([]);
  });

  it('INSTALL_K3S_NAME and INSTALL_K3S_BIN_DIR name the service and place the binary', async () => {
    const node = await fresh();
    const env = { INSTALL_K3S_NAME: 'edge', INSTALL_K3S_BIN_DIR: '/var/lib/rancher/bin' };
    // Like get.k3s.io, the script does not create the bin dir.
    const missing = await install(node, env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('mv: cannot move');
    expect((await node.sh('mkdir -p /var/lib/rancher/bin')).code).toBe(0);
    const r = await install(node, env);
    expect(r.code, output(r)).toBe(0);
    expect(await unit(node, 'k3s-edge')).toContain('ExecStart=/var/lib/rancher/bin/k3s \\\n    server \\\n');
    expect(await exists(`${node.root}/var/lib/rancher/bin/k3s-edge-uninstall.sh`)).toBe(true);
    expect(await node.systemd()).toContain('restart k3s-edge.service ok');
  });
});
