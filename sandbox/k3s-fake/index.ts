// The fake k3s world: release server, fake binary, install script, fake pct, node helpers.
export {
  startK3sReleaseServer,
  type K3sReleaseServer,
  type K3sReleaseServerOptions,
  type RecordedRequest,
} from './release-server.js';
export { computeChannels, channelCollection, type Channel, type ChannelOptions } from './channels.js';
export { buildFakeK3sBinary, fakeK3sCommit, sha256Hex, DEFAULT_GO_VERSION } from './binary.js';
export { renderInstallScript } from './install-script.js';
export { parseK3sTag, compareK3sTags, highestTag } from './versions.js';
export {
  k3sNodePaths,
  writeFakeK3sBinary,
  markLxcWithoutKmsg,
  setFakeNodeName,
  seedKubeconfig,
  shareEtcdCluster,
  readEtcdMembers,
  writeK3sConfig,
  readFakeStart,
  readStarts,
  type FakeStart,
  type StartRecord,
  type K3sRole,
} from './node-files.js';
export { preinstallK3s, type PreinstallOptions } from './preinstall.js';
export { setClientCertificateExpiry } from './client-cert.js';
export { installFakePct, registerContainer, setContainerStatus, PCT_PATH } from './pct.js';
export { runInNodeRoot, startNodeHolder, type RunResult, type NodeHolder } from './node-root.js';
export { serveReleaseServer, releaseServerFiles, type ServeInfo, type ServeFiles } from './serve.js';
export { ensureTools, K3S_FAKE_TOOLS, type Tool } from './prerequisites.js';
