// The operators Jinja's `version` test (and Ansible's version_compare) accepts, by their
// spelling in herdbook's version_compare: one table for the translator and the helper.
export const VERSION_OPERATORS: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, {
    '==': '==',
    '=': '==',
    eq: '==',
    '!=': '!=',
    '<>': '!=',
    ne: '!=',
    '<': '<',
    lt: '<',
    '<=': '<=',
    le: '<=',
    '>': '>',
    gt: '>',
    '>=': '>=',
    ge: '>=',
  }),
);
