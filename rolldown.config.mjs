// The CLI as one file (plus lazily loaded chunks) for start-up: Node loads an ES module graph file
// by file, and @kubernetes/client-node alone is ~970 files (0.6 s of CPU to load, 0.2 s bundled).
// Bundled from tsc's output, so the bundle runs exactly the compiled code the tests check.
// Every chunk lands beside dist/engine/cli.js: code that finds files from its own location
// (import.meta.url) sees the same folder depth as before.
import { readdirSync, rmSync } from 'node:fs';
import { defineConfig } from 'rolldown';

// Chunk names carry a content hash: an earlier build's chunks would otherwise stay beside these.
for (const f of readdirSync('dist/engine')) if (/^herdbook[.-].*\.js(\.map)?$/.test(f)) rmSync(`dist/engine/${f}`);

export default defineConfig({
  input: { herdbook: 'dist/engine/cli.js' },
  platform: 'node',
  // ssh2 loads its optional native crypto binding by a path relative to its own files.
  external: ['ssh2', 'cpu-features'],
  output: {
    dir: 'dist/engine',
    format: 'esm',
    entryFileNames: '[name].bundle.js',
    chunkFileNames: 'herdbook-[name]-[hash].js',
    sourcemap: true,
  },
});
