import { build } from 'vite';

/** Builds the renderer once for every worker; each test then starts the shell with --no-build. */
export default async function globalSetup() {
  await build({ configFile: 'vite.web.config.ts', logLevel: 'warn' });
}
