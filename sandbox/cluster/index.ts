// The sandbox cluster: up, status, down.
export { sandboxUp, sandboxDown, SANDBOX_VERSIONS, type UpOptions } from './up.js';
export { sandboxStatus } from './status.js';
export { defaultSandboxDir, readSandboxState, type SandboxState, type SandboxNode } from './state.js';
export { k3sNodeCommands } from './node-commands.js';
