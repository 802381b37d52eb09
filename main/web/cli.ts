// npm run web -- [--db FILE] [--port N] [--no-build] [--no-backups]
// Serves the app in a browser on 127.0.0.1 and prints one line with the URL (token included).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildWebRenderer, firstPaintModuleOf } from './build';
import { startWebShell } from './server';

const staticDir = path.resolve('out/web');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the renderer when the build is missing or older than its sources. */
async function buildIfNeeded() {
  const index = path.join(staticDir, 'index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const sources = Math.max(newestMtime('renderer'), newestMtime('contract'));
  if (built >= sources) return;
  process.stderr.write('Building the renderer…\n');
  await buildWebRenderer(staticDir);
}

async function main() {
  let args;
  try {
    args = parseArgs({
      options: { db: { type: 'string' }, port: { type: 'string' }, 'no-build': { type: 'boolean', default: false }, 'no-backups': { type: 'boolean', default: false } },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\nUsage: npm run web -- [--db FILE] [--port N] [--no-build] [--no-backups]`);
    process.exit(1);
  }
  const port = args.port === undefined ? 5173 : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a whole number from 0 to 65535 (got "${args.port}")`);
    process.exit(1);
  }
  const databaseFile = path.resolve(args.db ?? '.tmp/web/clients.sqlite');
  fs.mkdirSync(path.dirname(databaseFile), { recursive: true });

  if (!args['no-build']) await buildIfNeeded();
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    console.error('The renderer is not built: run without --no-build, or `npm run build:web`.');
    process.exit(1);
  }

  const version = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string }).version;
  let shell;
  try {
    const firstPaintModule = firstPaintModuleOf(staticDir);
    shell = await startWebShell({ databaseFile, port, staticDir, appVersion: version, automaticBackups: !args['no-backups'], ...(fs.existsSync(firstPaintModule) ? { firstPaintModule } : {}) });
  } catch (error) {
    const code = (error as { code?: string }).code;
    console.error(code === 'EADDRINUSE' ? `Port ${port} is taken: choose another with --port N (0 picks a free one).` : `Could not start: ${(error as Error).message}`);
    process.exit(1);
  }
  if (shell.refusal) {
    // Still served, so the browser shows the same explanation in the user's language; nothing else runs.
    console.error(`Clients did not open its data.\n${shell.refusal.detail}`);
    console.log(`The explanation is shown at ${shell.url} — stop with Ctrl+C.`);
  } else console.log(`Clients is running at ${shell.url}`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await shell.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

void main();
