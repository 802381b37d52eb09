import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where the server build of the first paint goes for a renderer built into `outDir`. */
export const firstPaintModuleOf = (outDir: string) => path.join(`${outDir}-first-paint`, 'firstPaint.js');

/**
 * The renderer for the browser shell (vite.web.config.ts → `outDir`), and its first paint's server build
 * (renderer/firstPaint.tsx → firstPaintModuleOf(outDir)), which the shell renders into index.html.
 */
export async function buildWebRenderer(outDir = path.resolve('out/web')) {
  const { build } = await import('vite');
  await build({ configFile: 'vite.web.config.ts', logLevel: 'warn', build: { outDir } });
  await build({
    configFile: 'vite.web.config.ts',
    logLevel: 'warn',
    build: { outDir: path.dirname(firstPaintModuleOf(outDir)), ssr: 'firstPaint.tsx', emptyOutDir: true, copyPublicDir: false },
    // React and Mantine bundled in, in their production builds: left to node_modules they read NODE_ENV at run
    // time, and the shell (which leaves it unset) rendered with React's development build, twice as slow.
    ssr: { noExternal: true },
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  });
}

// npm run build:web
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await buildWebRenderer();
