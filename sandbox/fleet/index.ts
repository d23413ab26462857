// The real-OpenSSH test fleet: public entry point.
export { startFleet } from './fleet.js';
export { stopFleet } from './manifest.js';
export type { Fleet, FleetNode, FleetNodeOptions, FleetOptions } from './types.js';
export { NODE_OVERLAYS, NODE_PATHS, nodeOverlay, nodeRoot, nodePath, fleetPaths } from './layout.js';
export type { NodePath } from './layout.js';
export { installFakeModprobe, readFakeModules, readFakeModprobeLog } from './fake-modprobe.js';
export { installFakeSysctl, readFakeSysctl, readFakeSysctlLog } from './fake-sysctl.js';
export { fakeSystemctlPath, installFakeSystemctl, readFakeUnitState, readFakeSystemdLog } from './fake-systemctl.js';
export type { FakeUnitState, FakeSystemdEvent } from './fake-systemctl.js';
export type { BecomeUsers } from './users.js';
export { descendants, killTree } from './processes.js';
