// ESLint: typescript-eslint's type-aware recommended rules, plus the ones that catch our real
// risks: promises nobody awaits, `any` leaking past a boundary, a switch that forgets a member
// of a union, values nobody uses, types imported as values. Layout is Prettier's job:
// eslint-config-prettier comes last and turns off every rule that would argue with it.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// The only files where `any` may be written, each for a reason `unknown` cannot serve.
const ANY_BOUNDARIES = [
  // ModuleDef<A = any, S = any>: the registry holds modules of every argument and state type,
  // and a function of (args: TaintArgs) is no function of (args: unknown). Arguments are
  // checked against the module's schema (engine/run/args.ts) before they reach it.
  'engine/module.ts',
  // KubeObject's spec and status: whatever JSON a client sent the simulator; the typed views
  // (Node, Pod, Lease in sandbox/kube-sim/objects) narrow them where the simulator acts.
  'sandbox/kube-sim/types.ts',
  // Tests' view of JSON answers (Obj: an object as an API server returns it; a failed call's
  // Status body; raw HTTP answers): tests read any field and expect() checks it.
  'test/helpers/kube-backend.ts',
  'test/sandbox/kube-sim/helpers.ts',
];

export default defineConfig(
  {
    ignores: ['dist/', 'sandbox/kube-sim/openapi/schemas.generated.ts'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // The config files and bin/ are outside tsconfig.json's include: a default project types them.
        projectService: { allowDefaultProject: ['*.js', '*.mjs', '*.ts', 'bin/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `let x; const api = { kick: () => x?.kick() }; x = new X(api)`: a closure that reads x before it is
      // assigned needs the let.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Off: an async function without await is how we implement a promise-returning interface
      // (a module's inspect and apply, a reporter's close, a command handler), and it keeps a throw
      // a rejection. The promise rules below are the ones that catch mistakes. (65 places: 29 in
      // the code, 36 in tests.)
      '@typescript-eslint/require-await': 'off',
      // A promise may be rejected with what a catch caught (unknown), passed on unchanged.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      // ...and `import type { A }`, not `import { type A }`, when every name is a type.
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
  {
    files: ANY_BOUNDARIES,
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Tests read JSON (API objects, CLI events, module results) field by field, and expect()
    // is the check. Typing each read would double the tests and catch nothing expect() does not.
    // When this was written: 223 reports, 149 of them member access (on the Obj of the
    // boundary files above, raw HTTP answers and JSON.parse of command output).
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  prettier,
);
