// The import graph's rules (npm run lint runs them): no cycles, and the layers of
// ../shared/design.md. Type-only imports count: a cycle of types is still two files that
// cannot be understood one without the other.
/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Break a cycle by moving what both sides need a layer down, not with a lazy import.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'modules-not-run',
      comment: 'A module sees the engine through engine/module.ts (its ModuleContext), never the run loop.',
      severity: 'error',
      from: { path: '^modules/' },
      to: { path: '^engine/run/' },
    },
    {
      name: 'load-not-template',
      comment: 'Loading reads files into data; templates are rendered later, per host, by run.',
      severity: 'error',
      from: { path: '^engine/load/' },
      to: { path: '^engine/template/' },
    },
    {
      name: 'jinja-is-pure',
      comment:
        'engine/jinja is text in, text and located notes out: the convert command, the inventory loader and templates use it; it uses nothing of theirs.',
      severity: 'error',
      from: { path: '^engine/jinja/' },
      to: { path: '^(engine|modules|sandbox)/', pathNot: '^engine/(jinja/|errors\\.ts$)' },
    },
    {
      name: 'engine-not-modules-or-sandbox',
      comment: 'Only engine/commands (the top) may reach modules/ and sandbox/; the rest of engine/ is below them.',
      severity: 'error',
      from: { path: '^engine/', pathNot: '^engine/commands/' },
      to: { path: '^(modules|sandbox)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    // Keep type-only imports in the graph (TypeScript erases them before run time).
    tsPreCompilationDeps: true,
    // Dynamic import() is an import too.
    moduleSystems: ['es6', 'cjs'],
  },
};
