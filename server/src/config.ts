import path from 'node:path';
import type { Limits } from './app';

/** Everything the server reads from its environment, in one place (README: "Sync server"). */
export interface Config {
  databaseUrl: string | null;
  dataDir: string;
  documentsDir: string;
  port: number;
  host: string;
  logLevel: string;
  trustProxy: boolean;
  limits: Partial<Limits>;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.DATA_DIR || 'server-data');
  return {
    databaseUrl: env.DATABASE_URL || null,
    dataDir,
    documentsDir: path.resolve(env.DOCUMENTS_DIR || path.join(dataDir, 'documents')),
    port: whole(env.PORT, 8787, 'PORT', 0, 65_535),
    host: env.HOST || '127.0.0.1',
    logLevel: env.LOG_LEVEL || 'info',
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    limits: {
      ...(env.RATE_LIMIT_PER_MINUTE ? { requestsPerMinute: whole(env.RATE_LIMIT_PER_MINUTE, 600, 'RATE_LIMIT_PER_MINUTE', 1, 1e6) } : {}),
      ...(env.RATE_LIMIT_BURST ? { requestBurst: whole(env.RATE_LIMIT_BURST, 120, 'RATE_LIMIT_BURST', 1, 1e6) } : {}),
      ...(env.DOCUMENT_LIMIT_BYTES ? { documentBytes: whole(env.DOCUMENT_LIMIT_BYTES, 0, 'DOCUMENT_LIMIT_BYTES', 1, 2 ** 40) } : {}),
    },
  };
}

export function whole(value: string | undefined, fallback: number, name: string, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${value}").`);
  return n;
}
