// npm run server -- [command]: the sync server and its admin commands (README: "Sync server").
import { parseArgs } from 'node:util';
import { addDevice, addTeam, AdminError, listDevices, listTeams, resetEpoch, revokeDevice } from './admin';
import { buildServer } from './app';
import { readConfig, whole, type Config } from './config';
import { openEmbedded, openPostgres, type Database } from './database';
import { FolderDocumentStore } from './documents';

const usage = `Usage: npm run server -- <command>
  serve [--port N] [--host H]              serve the sync API (the default command)
  team add NAME                            create a team
  team list
  device add --team TEAM --user EMAIL      issue a device token (printed once)
  device list --team TEAM
  device revoke ID                         revoke a token by its id or device id (or a prefix)
  epoch reset                              after restoring the database from a backup
  migrate                                  bring the database schema up to date
Environment: DATABASE_URL (else an embedded PostgreSQL in DATA_DIR, default ./server-data), DOCUMENTS_DIR,
PORT (8787), HOST (127.0.0.1), LOG_LEVEL, TRUST_PROXY, RATE_LIMIT_PER_MINUTE, RATE_LIMIT_BURST, DOCUMENT_LIMIT_BYTES.`;

const adminCommands = ['team add', 'team list', 'device add', 'device list', 'device revoke', 'epoch reset', 'migrate'];

async function open(config: Config): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openEmbedded(config.dataDir);
}

async function serve(config: Config, args: string[]) {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' } }, strict: true });
  const port = whole(values.port, config.port, '--port', 0, 65_535);
  const host = values.host ?? config.host;
  const database = await open(config);
  const app = await buildServer({
    db: database.db,
    documents: new FolderDocumentStore(config.documentsDir),
    limits: config.limits,
    trustProxy: config.trustProxy,
    logger: { level: config.logLevel, redact: ['req.headers.authorization'] },
  });
  const address = await app.listen({ port, host });
  app.log.info({ database: database.description, documents: config.documentsDir }, `Sync server listening on ${address}`);
  let closing = false;
  const stop = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: closing`);
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

async function admin(config: Config, words: string[], args: string[]) {
  const { values, positionals } = parseArgs({ args, options: { team: { type: 'string' }, user: { type: 'string' } }, strict: true, allowPositionals: true });
  const command = words.join(' ');
  if (!adminCommands.includes(command)) throw new AdminError(`Unknown command "${command}".\n${usage}`);
  const database = await open(config);
  const { db } = database;
  try {
    switch (command) {
      case 'team add': {
        if (positionals.length !== 1) throw new AdminError('Usage: team add NAME (quote a name with spaces)');
        const team = await addTeam(db, positionals[0]!);
        console.log(`Team "${team.name}" created (${team.id}).`);
        break;
      }
      case 'team list':
        for (const team of await listTeams(db)) console.log(`${team.id}  ${team.name}  (${team.version} pushes)`);
        break;
      case 'device add': {
        if (!values.team || !values.user) throw new AdminError('Usage: device add --team TEAM --user EMAIL');
        const device = await addDevice(db, values.team, values.user);
        console.log(`Device token for ${device.userEmail} in team "${device.team}" (token id ${device.id}).`);
        console.log('Paste it into the app (Settings → Sync). It is shown only this once; the server keeps only its hash:\n');
        console.log(`  ${device.token}\n`);
        break;
      }
      case 'device list': {
        if (!values.team) throw new AdminError('Usage: device list --team TEAM');
        const { team, devices } = await listDevices(db, values.team);
        console.log(`Team "${team.name}": ${devices.length} token(s)`);
        for (const d of devices) {
          const state = d.revoked_at ? `revoked ${d.revoked_at.toISOString()}` : d.device_id ? `device ${d.device_id}, last applied ${d.last_applied ?? 0}` : 'not used yet';
          console.log(`  ${d.id}  ${d.user_email}  ${state}${d.last_seen_at ? `, last seen ${d.last_seen_at.toISOString()}` : ''}`);
        }
        break;
      }
      case 'device revoke': {
        if (positionals.length !== 1) throw new AdminError('Usage: device revoke ID');
        const revoked = await revokeDevice(db, positionals[0]!);
        console.log(`Revoked token ${revoked.id} (${revoked.user_email}, team "${revoked.team}"${revoked.device_id ? `, device ${revoked.device_id}` : ''}). Its next request is refused.`);
        break;
      }
      case 'epoch reset':
        console.log(`New server epoch ${await resetEpoch(db)}: devices will push their history again and pull from the start.`);
        break;
      case 'migrate':
        console.log('The database schema is up to date.');
        break;
      default:
        throw new AdminError(`Unknown command "${command}".\n${usage}`);
    }
  } finally {
    await database.close();
  }
}

async function main() {
  const argv = process.argv.slice(2);
  const config = readConfig();
  const first = argv[0];
  if (first === undefined || first === 'serve' || first.startsWith('--')) return serve(config, first === 'serve' ? argv.slice(1) : argv);
  if (first === 'help' || first === '-h') return void console.log(usage);
  const words = argv.slice(0, 2).filter((word) => !word.startsWith('--'));
  return admin(config, words, argv.slice(words.length));
}

main().catch((error: unknown) => {
  if (error instanceof AdminError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') console.error((error as Error).message);
  else console.error(error);
  process.exit(1);
});
