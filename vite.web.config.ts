import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer built for the browser shell (npm run web); the desktop build is electron.vite.config.ts.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
