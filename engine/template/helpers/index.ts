import type { Helpers } from '../evaluate.js';
import { cryptHelpers } from './ansible-crypt.js';
import { ipaddrHelpers } from './ansible-ipaddr.js';
import { ansibleListHelpers } from './ansible-lists.js';
import { randomHelpers } from './ansible-random.js';
import { testHelpers } from './ansible-tests.js';
import { ansibleTextHelpers } from './ansible-text.js';
import { collectionHelpers } from './collections.js';
import { compareHelpers } from './compare.js';
import { encodingHelpers } from './encoding.js';
import { jsonQueryHelpers } from './json-query.js';
import { lookupHelpers } from './lookups.js';
import { pyprintHelpers } from './pyprint.js';
import { mapHelper, pythonHelpers } from './python.js';
import { stringHelpers } from './strings.js';
import { systemHelpers } from './system.js';

export type HelperDeps = { env?: NodeJS.ProcessEnv; now?: () => Date };

/** Every helper templates can call; `env` and `now` are injected so tests control them. */
export function createHelpers(deps: HelperDeps = {}): Helpers {
  const helpers: Helpers = Object.freeze(
    // No prototype: a template cannot call toString or constructor as a helper.
    Object.assign(Object.create(null) as Helpers, {
      ...compareHelpers,
      ...stringHelpers,
      ...collectionHelpers,
      ...encodingHelpers,
      ...pythonHelpers,
      ...pyprintHelpers,
      ...ansibleTextHelpers,
      ...ansibleListHelpers,
      ...testHelpers,
      ...ipaddrHelpers,
      ...cryptHelpers,
      ...randomHelpers,
      ...jsonQueryHelpers,
      map: mapHelper(() => helpers),
      ...lookupHelpers(() => helpers),
      ...systemHelpers({ env: deps.env ?? process.env, now: deps.now ?? (() => new Date()) }),
    }),
  );
  return helpers;
}

/** Names of helpers, for validation (a bare `{{now}}` is a helper call, not a variable). */
export const HELPER_NAMES: ReadonlySet<string> = new Set([
  ...Object.keys(createHelpers()),
  'default',
  'defined',
  'and',
  'or',
  'if',
]);
