import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The one write path is enforced by the linter (eslint.config.js): a direct write to a synced table outside
// db/sync fails `npm run lint`, whether through Kysely or SQL text, so a handler cannot skip the change log.

const eslint = new ESLint({ cwd: process.cwd() });
const ruleErrors = async (code: string, filePath: string) =>
  (await eslint.lintText(code, { filePath }))[0]!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.line);

const writes = `import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
export async function write(db: Kysely<DB>) {
  await db.insertInto('clients').values({} as never).execute();
  await db.updateTable('client_contacts as k').set({ name: 'x' }).execute();
  await db.deleteFrom('event_owners').execute();
  await sql\`UPDATE jobs SET title = 'x'\`.execute(db);
  await sql\`insert into change_log (id) values ('x')\`.execute(db);
  await db.insertInto('settings').values({ key: 'a', value: 'b' }).execute();
  return 'DELETE FROM events WHERE 1';
}
`;

describe('the write-path lint rule', () => {
  it('refuses direct writes to synced tables and the log in handlers and repositories, not local tables', async () => {
    expect(await ruleErrors(writes, 'main/handlers/example.ts')).toEqual([4, 5, 6, 7, 8, 10]);
    expect(await ruleErrors(writes, 'db/repositories/example.ts')).toEqual([4, 5, 6, 7, 8, 10]);
  });

  it('lets the write path itself write them', async () => {
    expect(await ruleErrors(writes, 'db/sync/example.ts')).toEqual([]);
  });
}, 60_000);
