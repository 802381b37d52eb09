import type { TestProject } from 'vitest/node';
import { startCluster } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the throwaway cluster; each test file creates its own database in it. */
    postgresUrl: string;
  }
}

/** Starts PostgreSQL 15 once for the server tests (only when one of them runs) and stops it after the last. */
export default async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL) {
    project.provide('postgresUrl', process.env.TEST_DATABASE_URL);
    return;
  }
  const cluster = await startCluster();
  project.provide('postgresUrl', cluster.url);
  return () => cluster.stop();
}
