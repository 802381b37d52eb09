import { AppError, type ParsedInput } from '../../contract';
import type { HistoryEntry } from '../../contract/clients';
import type { FieldChanges } from '../../db/repositories/changeLog';
import { listClientHistory } from '../../db/repositories/history';
import type { AppliedFieldChange } from '../../db/sync/apply';
import type { HandlerContext } from './context';

type LogRow = Awaited<ReturnType<typeof listClientHistory>>[number];
type Value = HistoryEntry['changes'][number]['old'];

/**
 * A client's history as the Profile shows it: newest first, ids turned into names. The owners and documents
 * of an event are records of their own in the log (so each syncs on its own); here they are folded into
 * their event's entry as "owners" and "documents" changes, and the entries one save wrote for one record
 * are one entry.
 */
export async function clientHistory(ctx: HandlerContext, input: ParsedInput<'clients.history'>) {
  const before = input.cursor === null ? null : Number(input.cursor);
  if (before !== null && !Number.isInteger(before)) throw new AppError('VALIDATION', 'Invalid history position.', { fields: [{ path: 'cursor', message: 'invalid_cursor' }] });
  const rows = await listClientHistory(ctx.db, input.clientId, input.limit + 1, before);
  const page = rows.slice(0, input.limit);
  const parsed = page.map((row) => ({ row, changes: JSON.parse(row.changes) as FieldChanges }));
  const folded = await fold(ctx, parsed);
  const names = await referenceNames(ctx, folded.map((p) => p.changes));
  const labels = await entityLabels(ctx, folded);
  const mergeIds = folded.filter((f) => f.entity === 'merge').map((f) => f.entityId);
  const live = new Set(mergeIds.length ? (await ctx.db.selectFrom('merges').select('id').where('id', 'in', mergeIds).where('undone_at', 'is', null).execute()).map((m) => m.id) : []);
  return {
    entries: folded.map(({ row, entity, entityId, changes }) => ({
      id: row.id,
      entity,
      entityId,
      entityLabel: labels.get(entityId) ?? null,
      operation: row.operation,
      ...(entity === 'merge' ? { undoable: row.operation === 'create' && live.has(entityId) } : {}),
      changes: Object.entries(entity === 'merge' ? {} : changes).map(([field, change]) => {
        const sync = change as AppliedFieldChange;
        return {
          field,
          old: displayValue(field, change.old, names),
          new: displayValue(field, change.new, names),
          ...(sync.lost ? { lost: true } : {}),
          ...(!sync.lost && sync.over === ctx.deviceId && row.device_id !== ctx.deviceId ? { replacedHere: true } : {}),
        };
      }),
      device: row.device_id === ctx.deviceId ? ('here' as const) : ('other' as const),
      note: row.note,
      userName: row.user_name,
      changedAt: row.changed_at,
    })),
    nextCursor: rows.length > input.limit && page.length ? String(page.at(-1)!.seq) : null,
  };
}

interface Folded {
  row: LogRow;
  entity: string;
  entityId: string;
  changes: FieldChanges;
}

/** An event owner or document change as a change of its event; other entries as they are. */
async function fold(ctx: HandlerContext, parsed: { row: LogRow; changes: FieldChanges }[]): Promise<Folded[]> {
  const attachmentIds = parsed.filter((p) => p.row.entity === 'attachment').map((p) => p.row.entity_id);
  const attachments = attachmentIds.length ? await ctx.db.selectFrom('attachments').select(['id', 'event_id', 'file_name']).where('id', 'in', attachmentIds).execute() : [];
  const byId = new Map(attachments.map((a) => [a.id, a]));
  const out: Folded[] = [];
  for (const { row, changes } of parsed) {
    const added = row.operation === 'create' || row.operation === 'restore';
    let entry: Folded = { row, entity: row.entity, entityId: row.entity_id, changes };
    if (row.entity === 'event_owner') {
      const [eventId, userId] = row.entity_id.split(':') as [string, string];
      entry = { row, entity: 'event', entityId: eventId, changes: { owners: added ? { old: null, new: userId } : { old: userId, new: null } } };
    } else if (row.entity === 'attachment') {
      const attachment = byId.get(row.entity_id);
      const name = attachment?.file_name ?? (changes.file_name?.new as string | undefined) ?? null;
      entry = { row, entity: 'event', entityId: attachment?.event_id ?? row.entity_id, changes: { documents: added ? { old: null, new: name } : { old: name, new: null } } };
    }
    const previous = out.at(-1);
    // Newest first: the entry before is the later one of the same save when it names the same record, time and person.
    if (previous && previous.entity === entry.entity && previous.entityId === entry.entityId && previous.row.changed_at === row.changed_at && previous.row.user_name === row.user_name && previous.row.device_id === row.device_id) {
      previous.changes = merge(entry.changes, previous.changes);
      if (row.operation === 'create') previous.row = { ...previous.row, operation: 'create' };
      continue;
    }
    out.push(entry);
  }
  return out;
}

/** Two entries' changes as one: list fields (owners, documents) join their values. */
function merge(earlier: FieldChanges, later: FieldChanges): FieldChanges {
  const out: FieldChanges = { ...earlier };
  for (const [field, change] of Object.entries(later)) {
    const known = out[field];
    if (!known || (field !== 'owners' && field !== 'documents')) out[field] = known ? { old: known.old, new: change.new } : change;
    else out[field] = { old: join(known.old, change.old), new: join(known.new, change.new) };
  }
  return out;
}

const join = (a: unknown, b: unknown) => [a, b].filter((v) => v !== null && v !== undefined).flat().join(', ') || null;

/** History shows names, not ids: area, owner and event-owner ids in the log are resolved when read. */
async function referenceNames(ctx: HandlerContext, changes: FieldChanges[]) {
  const ids = new Set<string>();
  for (const change of changes) {
    for (const field of ['area_id', 'owner_id', 'owners']) {
      for (const v of [change[field]?.old, change[field]?.new]) if (typeof v === 'string') for (const id of v.split(', ')) ids.add(id);
    }
  }
  const names = new Map<string, string>();
  if (!ids.size) return names;
  const [areas, users] = await Promise.all([
    ctx.db.selectFrom('areas').select(['id', 'name', 'key']).where('id', 'in', [...ids]).execute(),
    ctx.db.selectFrom('users').select(['id', 'name']).where('id', 'in', [...ids]).execute(),
  ]);
  // Built-in areas travel as "area:<key>" so the renderer can translate them.
  for (const a of areas) names.set(a.id, a.key ? `area:${a.key}` : a.name);
  for (const u of users) names.set(u.id, u.name);
  return names;
}

function displayValue(field: string, value: unknown, names: Map<string, string>): Value {
  if (value === null || value === undefined) return null;
  if (field === 'owners' && typeof value === 'string') return value.split(', ').map((id) => names.get(id) ?? id).join(', ');
  if ((field === 'area_id' || field === 'owner_id') && typeof value === 'string') return names.get(value) ?? value;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** Names of the contacts, codes and titles of the job postings and events (even removed ones) that history entries refer to. */
async function entityLabels(ctx: HandlerContext, rows: { entity: string; entityId: string }[]) {
  const ids = (entity: string) => [...new Set(rows.filter((r) => r.entity === entity).map((r) => r.entityId))];
  const labels = new Map<string, string>();
  const [contactIds, jobIds, eventIds, mergeIds] = [ids('contact'), ids('job'), ids('event'), ids('merge')];
  // A merge is labelled with the record it merged away (a client's code and name, a contact's name).
  for (const m of mergeIds.length ? await ctx.db.selectFrom('merges').select(['id', 'kind', 'merged_id']).where('id', 'in', mergeIds).execute() : []) {
    const client = m.kind === 'client' ? await ctx.db.selectFrom('clients').select(['code', 'company_name']).where('id', '=', m.merged_id).executeTakeFirst() : undefined;
    const contact = m.kind === 'contact' ? await ctx.db.selectFrom('client_contacts').select('name').where('id', '=', m.merged_id).executeTakeFirst() : undefined;
    labels.set(m.id, client ? `${client.code} ${client.company_name}` : (contact?.name ?? ''));
  }
  if (contactIds.length) for (const c of await ctx.db.selectFrom('client_contacts').select(['id', 'name']).where('id', 'in', contactIds).execute()) labels.set(c.id, c.name);
  if (jobIds.length) for (const j of await ctx.db.selectFrom('jobs').select(['id', 'code', 'title']).where('id', 'in', jobIds).execute()) labels.set(j.id, `${j.code} ${j.title}`);
  if (eventIds.length) for (const e of await ctx.db.selectFrom('events').select(['id', 'title']).where('id', 'in', eventIds).execute()) labels.set(e.id, e.title);
  return labels;
}
