// What module files import: the contract and the errors they may throw.
export {
  defineModule,
  type ModuleContext,
  type ModuleDef,
  type Plan,
  type Change,
  type ApplyResult,
  type FileDiff,
} from './module.js';
export { ModuleError, UnreachableError } from './errors.js';
