// community.general's json_query: a JMESPath expression over the value (the jmespath library,
// the reference JavaScript implementation of the same specification Python's jmespath follows).
import jmespath from 'jmespath';
import type { HelperFn } from '../evaluate.js';
import { LazyVars } from '../scope.js';
import { asText } from '../../text.js';

export const jsonQueryHelpers: Record<string, HelperFn> = {
  json_query: ([data, expr]) => {
    const plain: unknown = data instanceof LazyVars ? data.toJSON() : data;
    const got: unknown = jmespath.search(plain, asText(expr));
    return got;
  },
};
