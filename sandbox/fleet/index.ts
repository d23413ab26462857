// The real-OpenSSH test fleet: public entry point.
export { startFleet, stopFleet } from './fleet.js';
export type { Fleet, FleetNode, FleetNodeOptions, FleetOptions } from './fleet.js';
export { NODE_PATHS, nodeRoot, nodePath, fleetPaths } from './layout.js';
export type { NodePath } from './layout.js';
export { fakeSystemctlPath, installFakeSystemctl, readFakeUnitState, readFakeSystemdLog } from './fake-systemctl.js';
export type { FakeUnitState, FakeSystemdEvent } from './fake-systemctl.js';
export type { BecomeUsers } from './users.js';
export { descendants, killTree } from './processes.js';
