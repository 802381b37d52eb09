import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Cluster {
  /** A superuser URL of the cluster's `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

/** Where the PostgreSQL 15 programs are (Debian's postgresql-15; PG_BIN overrides). */
export function postgresBin(): string {
  const bin = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
  if (!fs.existsSync(path.join(bin, 'initdb'))) {
    throw new Error(`PostgreSQL 15 is needed for the sync server's tests and ${bin}/initdb is missing: apt-get install postgresql-15 (.ci/run does), or set PG_BIN.`);
  }
  return bin;
}

/**
 * A throwaway PostgreSQL cluster in a temporary folder on a free port, listening on 127.0.0.1 only, with
 * durability off (fsync, full-page writes): it lives for one test run. initdb refuses to run as root, so as root
 * both initdb and the server run as the `postgres` user (the folder is handed to it).
 */
export async function startCluster(options: { prefix?: string } = {}): Promise<Cluster> {
  const bin = postgresBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), options.prefix ?? 'clients-pg-'));
  const asRoot = process.getuid?.() === 0;
  const wrap = (program: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, program), ...args]] : [path.join(bin, program), args]);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    fs.chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  await run(...wrap('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']));

  const settings = ['-c listen_addresses=127.0.0.1', `-k ${dir}`, '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=200'];
  let port = 0;
  // Another program may take the free port between our look and the server's start: try again on another one.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await run(...wrap('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '120', '-o', `-p ${port} ${settings.join(' ')}`, 'start']));
      break;
    } catch (error) {
      if (attempt >= 5) {
        const log = fs.existsSync(path.join(dir, 'log')) ? fs.readFileSync(path.join(dir, 'log'), 'utf8').slice(-2000) : '';
        fs.rmSync(dir, { recursive: true, force: true });
        throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log}`);
      }
    }
  }

  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    try {
      execFileSync(...wrap('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']), { stdio: 'ignore' });
    } catch {
      // Already down.
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // A run that dies without its teardown must not leave a server behind.
  process.once('exit', stopSync);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', stopSync);
      await run(...wrap('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'])).catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
