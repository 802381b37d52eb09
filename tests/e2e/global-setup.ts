import { buildWebRenderer } from '../../main/web/build';

/** Builds the renderer (and its first paint) once for every worker; each test then starts the shell with --no-build. */
export default async function globalSetup() {
  await buildWebRenderer();
}
