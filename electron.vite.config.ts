import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = path.dirname(fileURLToPath(import.meta.url));
const at = (...segments: string[]) => path.resolve(root, ...segments);

// Vite 8 builds with Rolldown: `build.rolldownOptions` is the option, `rollupOptions` its deprecated alias.
export default defineConfig({
  main: {
    build: {
      outDir: at('out/main'),
      // Every package.json dependency stays a runtime import from node_modules (electron-builder ships
      // them): better-sqlite3 loads a native .node binary and cannot be bundled.
      externalizeDeps: true,
      // ES module output, because package.json says "type": "module" → out/main/index.js. The import's
      // writer thread and the backup thread are entries of their own (out/main/importWriterWorker.js,
      // out/main/backupWorker.js), found next to the bundle at run time.
      rolldownOptions: {
        // firstPaint: the clients list drawn into the start page before the renderer's bundle runs (main/firstPaint.ts).
        input: { index: at('main/electron/index.ts'), importWriterWorker: at('main/transfer/importWriterWorker.ts'), backupWorker: at('main/backups/backupWorker.ts'), firstPaint: at('renderer/firstPaint.tsx') },
      },
    },
  },
  preload: {
    build: {
      outDir: at('out/preload'),
      // A sandboxed preload can require only `electron`, so zod and the contract are bundled in.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: at('preload/index.ts') },
        // Sandboxed preloads cannot be ES modules; .cjs keeps Node from reading it as ESM under "type": "module".
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: at('renderer'),
    plugins: [react()],
    build: {
      outDir: at('out/renderer'),
      // electron-vite leaves the renderer unminified; minified it is half the bytes to parse at every start
      // (the same output as the browser shell's build).
      minify: true,
      rolldownOptions: { input: { index: at('renderer/index.html') } },
    },
  },
});
