import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { ServerDB } from './schema';
import { hashToken, newToken } from './tokens';

/** The admin commands' work, apart from their command line so tests and the bench call it directly. */
export class AdminError extends Error {}

export async function addTeam(db: Kysely<ServerDB>, name: string) {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 120) throw new AdminError('A team name has 1 to 120 characters.');
  const existing = await db.selectFrom('teams').select('id').where('name', '=', trimmed).executeTakeFirst();
  if (existing) throw new AdminError(`A team named "${trimmed}" already exists.`);
  const team = { id: randomUUID(), name: trimmed };
  await db.insertInto('teams').values(team).execute();
  return team;
}

export async function listTeams(db: Kysely<ServerDB>) {
  return db.selectFrom('teams').select(['id', 'name', 'version', 'created_at']).orderBy('name').execute();
}

export async function findTeam(db: Kysely<ServerDB>, nameOrId: string) {
  const team = await db.selectFrom('teams').select(['id', 'name']).where((eb) => eb.or([eb('name', '=', nameOrId), eb('id', '=', nameOrId)])).executeTakeFirst();
  if (!team) throw new AdminError(`No team named "${nameOrId}" (see \`team list\`).`);
  return team;
}

/**
 * Issues a device token for a member of a team. The token is returned once and only its SHA-256 is kept; the
 * device's id is bound at its first hello or push (the app already has its own id).
 */
export async function addDevice(db: Kysely<ServerDB>, teamNameOrId: string, userEmail: string) {
  const email = z.email().safeParse(userEmail.trim());
  if (!email.success) throw new AdminError(`"${userEmail}" is not an email address.`);
  const team = await findTeam(db, teamNameOrId);
  const token = newToken();
  const id = randomUUID();
  await db.insertInto('devices').values({ id, team_id: team.id, user_email: email.data.toLowerCase(), token_hash: hashToken(token) }).execute();
  return { id, team: team.name, userEmail: email.data.toLowerCase(), token };
}

export async function listDevices(db: Kysely<ServerDB>, teamNameOrId: string) {
  const team = await findTeam(db, teamNameOrId);
  const rows = await db
    .selectFrom('devices as d')
    .leftJoin('device_sequences as s', (join) => join.onRef('s.team_id', '=', 'd.team_id').onRef('s.device_id', '=', 'd.device_id'))
    .select(['d.id', 'd.user_email', 'd.device_id', 'd.created_at', 'd.bound_at', 'd.last_seen_at', 'd.revoked_at', 's.last_applied'])
    .where('d.team_id', '=', team.id)
    .orderBy('d.created_at')
    .execute();
  return { team, devices: rows };
}

/** Revokes one token by its id, the bound device id, or an unambiguous prefix of either; effective at the next request. */
export async function revokeDevice(db: Kysely<ServerDB>, idOrPrefix: string) {
  const prefix = idOrPrefix.trim();
  if (prefix.length < 4) throw new AdminError('Give at least 4 characters of the token id or device id.');
  const like = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const matches = await db
    .selectFrom('devices as d')
    .innerJoin('teams as t', 't.id', 'd.team_id')
    .select(['d.id', 'd.device_id', 'd.user_email', 't.name as team'])
    .where('d.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('d.id', 'like', like), eb('d.device_id', 'like', like)]))
    .execute();
  if (!matches.length) throw new AdminError(`No live device token matches "${prefix}".`);
  if (matches.length > 1) throw new AdminError(`"${prefix}" matches ${matches.length} tokens: ${matches.map((m) => `${m.id} (${m.user_email}, ${m.team})`).join(', ')}. Give more characters.`);
  const match = matches[0]!;
  await db.updateTable('devices').set({ revoked_at: new Date() }).where('id', '=', match.id).execute();
  return match;
}

/** A new epoch: after restoring the database from a backup, devices then push their history again and re-pull. */
export async function resetEpoch(db: Kysely<ServerDB>) {
  const epoch = randomUUID();
  await db.updateTable('server_state').set({ epoch }).where('id', '=', 1).execute();
  return epoch;
}
