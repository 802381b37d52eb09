import fs from 'node:fs';
import path from 'node:path';
import { AppError, type ParsedInput } from '../../contract';
import { maxInlineDownloadBytes, type ActivityItem, type ClientEvent } from '../../contract/events';
import { findClientRecord } from '../../db/repositories/clients';
import {
  addAttachment,
  attachmentsOf,
  createEvent,
  findEvent,
  listEvents,
  ownersOf,
  referencesTo,
  removeAttachments,
  setEventOwners,
  setEventRemoved,
  updateEvent,
  type EventRecord,
} from '../../db/repositories/events';
import { StaleRecordError, type Actor } from '../../db/sync/write';
import { FileTooLargeError, isRunnable, sanitizeFileName } from '../files/fileStore';
import { actorOf, savingVersion } from './actor';
import type { HandlerContext } from './context';
import { decodeCursor, encodeCursor, isInstant } from './cursor';
import { loadSettings } from './settings';
import type { HandlerMap } from './types';

export async function loadEventsFor(ctx: HandlerContext, rows: (EventRecord & { created_by_name: string | null })[]): Promise<ClientEvent[]> {
  const ids = rows.map((r) => r.id);
  const [owners, attachments] = await Promise.all([ownersOf(ctx.db, ids), attachmentsOf(ctx.db, ids)]);
  return rows.map((r) => ({
    id: r.id,
    clientId: r.client_id,
    leadId: r.lead_id,
    type: r.type as ClientEvent['type'],
    title: r.title,
    notes: r.notes,
    occurredAt: r.occurred_at,
    score: r.score,
    amountMinor: r.amount_minor,
    amountCurrency: r.amount_currency,
    proposalState: r.proposal_state,
    owners: owners.filter((o) => o.event_id === r.id).map((o) => ({ id: o.id, name: o.name, active: o.active === 1 })),
    attachments: attachments.filter((a) => a.event_id === r.id).map((a) => ({ id: a.id, fileName: a.file_name, mimeType: a.mime_type, sizeBytes: a.size_bytes })),
    createdByName: r.created_by_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  }));
}

const stale = { reason: 'event_changed', message: 'This event was changed meanwhile; reload it and apply your change again.' } as const;
const gone = () => new AppError('NOT_FOUND', 'This event does not exist any more.', { reason: 'event_not_found' });

async function loadEvent(ctx: HandlerContext, id: string): Promise<ClientEvent> {
  const row = await findEvent(ctx.db, id);
  if (!row) throw gone();
  return (await loadEventsFor(ctx, [row]))[0]!;
}

type EventInput = ParsedInput<'events.create'>;

/** The event's own columns from the form; type-specific values are kept only for their type. */
function eventColumns(input: Omit<EventInput, 'clientId'>) {
  return {
    type: input.type, title: input.title, notes: input.notes, occurred_at: input.occurredAt,
    score: input.type === 'satisfaction_survey' ? input.score : null,
    amount_minor: input.type === 'proposal' ? input.amountMinor : null,
    amount_currency: input.type === 'proposal' ? input.amountCurrency : null,
    proposal_state: input.type === 'proposal' ? input.proposalState : null,
  };
}

interface StoredFile {
  fileName: string;
  mimeType: string;
  sha256: string;
  sizeBytes: number;
  /** No attachment pointed at these bytes before this request stored them. */
  isNew: boolean;
}

async function attach(ctx: HandlerContext, trx: HandlerContext['db'], actor: Actor, eventId: string, stored: StoredFile[]) {
  for (const file of stored) {
    await addAttachment(trx, actor, { id: ctx.newId(), event_id: eventId, sha256: file.sha256, file_name: file.fileName, mime_type: file.mimeType, size_bytes: file.sizeBytes, created_at: actor.at, deleted_at: null });
  }
}

/**
 * A document's record with its file present here: a colleague's document not downloaded yet is fetched from the
 * sync server first. One still missing says why: removed, or not on the server yet (its laptop has not synced).
 */
async function documentOf(ctx: HandlerContext, id: string) {
  const row = await ctx.db.selectFrom('attachments').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', 'This document is not available any more.');
  if (!ctx.files.has(row.sha256) && !(await ctx.sync.ensureDocument(row.sha256))) {
    throw new AppError('NOT_FOUND', 'This document has not reached this laptop yet: it arrives once the laptop it was added on has synced.', { fields: [{ path: 'document', message: 'document_not_synced' }] });
  }
  return row;
}

/**
 * Documents stored by requests still in flight, by store and digest. A request that fails removes the files it
 * stored new — unless another request in flight stored the same bytes and is about to commit a reference to
 * them (the check of references in the database cannot see that one yet).
 */
const inFlight = new Map<string, number>();
const flightKey = (ctx: HandlerContext, sha256: string) => `${ctx.files.root}\0${sha256}`;
function hold(ctx: HandlerContext, stored: StoredFile[]) {
  for (const file of stored) inFlight.set(flightKey(ctx, file.sha256), (inFlight.get(flightKey(ctx, file.sha256)) ?? 0) + 1);
}
function letGo(ctx: HandlerContext, stored: StoredFile[]) {
  for (const file of stored) {
    const key = flightKey(ctx, file.sha256);
    const left = (inFlight.get(key) ?? 1) - 1;
    if (left > 0) inFlight.set(key, left);
    else inFlight.delete(key);
  }
}

/** Removes a stored file no live attachment points at and no request in flight is about to. */
async function removeIfUnused(ctx: HandlerContext, sha256: string) {
  if (!inFlight.has(flightKey(ctx, sha256)) && (await referencesTo(ctx.db, sha256)) === 0) ctx.files.remove(sha256);
}

/** Nothing was saved: documents stored only for this request go too. */
async function forgetStored(ctx: HandlerContext, stored: StoredFile[]) {
  letGo(ctx, stored);
  for (const file of stored) if (file.isNew) await removeIfUnused(ctx, file.sha256);
}

/** The bytes of one document into the store: from the request (base64) or streamed from its staged upload. */
async function storeOne(ctx: HandlerContext, file: EventInput['attachments'][number], limit: number) {
  if (file.stagedFileId === undefined) return ctx.files.put(Buffer.from(file.contentBase64 ?? '', 'base64'), limit);
  const staged = ctx.staging.get(file.stagedFileId);
  if (staged.sizeBytes > limit) throw new FileTooLargeError(limit);
  try {
    return await ctx.files.putStream(fs.createReadStream(staged.path), limit);
  } catch (error) {
    // A file picked in the desktop dialog is read where it is: it may have been moved or deleted since.
    if ((error as { code?: unknown }).code === 'ENOENT') throw new AppError('NOT_FOUND', 'This file is no longer available; choose it again.', { reason: 'file_not_found' });
    throw error;
  }
}

/**
 * Stores the documents before the transaction (idempotent by content); returns what to insert. One that cannot
 * be stored (too large, a staged file gone) takes back the ones stored before it: a refused request leaves no file.
 * The caller lets go of the result with forgetStored (failure) or letGo (committed).
 */
async function storeAttachments(ctx: HandlerContext, attachments: EventInput['attachments']) {
  const { attachmentLimitMb } = await loadSettings(ctx);
  const limit = attachmentLimitMb * 1024 * 1024;
  const stored: StoredFile[] = [];
  try {
    for (const [index, file] of attachments.entries()) {
      try {
        const sha = await storeOne(ctx, file, limit);
        const entry = { fileName: sanitizeFileName(file.fileName), mimeType: file.mimeType || 'application/octet-stream', ...sha, isNew: (await referencesTo(ctx.db, sha.sha256)) === 0 };
        hold(ctx, [entry]);
        stored.push(entry);
      } catch (error) {
        if (error instanceof FileTooLargeError) {
          throw new AppError('VALIDATION', `${sanitizeFileName(file.fileName)} is larger than the ${attachmentLimitMb} MB limit.`, {
            fields: [{ path: `attachments.${index}`, message: 'file_too_large', params: { limitMb: attachmentLimitMb } }],
          });
        }
        throw error;
      }
    }
  } catch (error) {
    await forgetStored(ctx, stored);
    throw error;
  }
  return stored;
}

/** After the commit: the staged uploads the documents came from are not needed any more. */
function discardStaged(ctx: HandlerContext, attachments: EventInput['attachments']) {
  for (const file of attachments) if (file.stagedFileId !== undefined) ctx.staging.discard(file.stagedFileId);
}

async function checkOwners(ctx: HandlerContext, trx: HandlerContext['db'], ownerIds: string[], keep: string[]) {
  if (!ownerIds.length) return;
  const users = await trx.selectFrom('users').select(['id', 'active']).where('id', 'in', ownerIds).execute();
  for (const id of ownerIds) {
    const user = users.find((u) => u.id === id);
    // Deactivated members stay on the events they already had, but cannot be assigned anew.
    if (!user || (user.active !== 1 && !keep.includes(id))) {
      throw new AppError('VALIDATION', 'Choose active team members as owners.', { fields: [{ path: 'ownerIds', message: 'unknown_user' }] });
    }
  }
}

export const eventHandlers: HandlerMap<
  'events.list' | 'events.create' | 'events.update' | 'events.delete' | 'events.restore' | 'attachments.get' | 'attachments.open' | 'clients.activity'
> = {
  'events.list': async (ctx, input) => {
    const position = decodeCursor(input.cursor, isInstant);
    const after = position && { occurredAt: position.value, id: position.id };
    const rows = await listEvents(ctx.db, { ...input, limit: input.limit + 1, after });
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    return { rows: await loadEventsFor(ctx, page), nextCursor: rows.length > input.limit && last ? encodeCursor(last.occurred_at, last.id) : null };
  },

  'events.create': async (ctx, input) => {
    const id = ctx.newId();
    const actor = await actorOf(ctx);
    const stored = await storeAttachments(ctx, input.attachments);
    try {
      await ctx.db.transaction().execute(async (trx) => {
        if (!(await findClientRecord(trx, input.clientId))) throw new AppError('NOT_FOUND', 'This client does not exist or was removed.', { reason: 'client_not_found' });
        await checkOwners(ctx, trx, input.ownerIds, []);
        await createEvent(trx, actor, { id, client_id: input.clientId, lead_id: null, ...eventColumns(input), created_by: actor.userId, created_at: actor.at, deleted_at: null });
        await setEventOwners(trx, actor, id, input.ownerIds);
        await attach(ctx, trx, actor, id, stored);
      });
    } catch (error) {
      await forgetStored(ctx, stored);
      throw error;
    }
    letGo(ctx, stored);
    discardStaged(ctx, input.attachments);
    return loadEvent(ctx, id);
  },

  'events.update': async (ctx, input) => {
    const actor = await actorOf(ctx);
    const stored = await storeAttachments(ctx, input.attachments);
    let removed: { sha256: string }[] = [];
    try {
      await savingVersion(
        () =>
          ctx.db.transaction().execute(async (trx) => {
            const existing = await findEvent(trx, input.id);
            if (!existing || existing.deleted_at) throw gone();
            if (existing.version !== input.version) throw new StaleRecordError('event', input.id, existing);
            const previousOwners = (await ownersOf(trx, [input.id])).map((o) => o.id);
            await checkOwners(ctx, trx, input.ownerIds, previousOwners);
            await updateEvent(trx, actor, input.id, eventColumns(input), { version: input.version });
            await setEventOwners(trx, actor, input.id, input.ownerIds);
            removed = await removeAttachments(trx, actor, input.id, input.removeAttachmentIds);
            await attach(ctx, trx, actor, input.id, stored);
          }),
        () => loadEvent(ctx, input.id),
        stale,
      );
    } catch (error) {
      await forgetStored(ctx, stored);
      throw error;
    }
    letGo(ctx, stored);
    discardStaged(ctx, input.attachments);
    // After the commit: a stored file goes only when no live attachment anywhere still points at it.
    for (const sha of new Set(removed.map((r) => r.sha256))) await removeIfUnused(ctx, sha);
    return loadEvent(ctx, input.id);
  },

  'events.delete': async (ctx, input) => {
    const actor = await actorOf(ctx);
    await savingVersion(
      () =>
        ctx.db.transaction().execute(async (trx) => {
          const existing = await findEvent(trx, input.id);
          if (!existing || existing.deleted_at) throw gone();
          // Soft delete: the documents stay stored so "Undo" brings the event back whole.
          await setEventRemoved(trx, actor, input.id, true, { version: input.version });
        }),
      () => loadEvent(ctx, input.id),
      stale,
    );
    return { id: input.id };
  },

  'events.restore': async (ctx, input) => {
    const actor = await actorOf(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      if (!(await findEvent(trx, input.id))) throw gone();
      await setEventRemoved(trx, actor, input.id, false);
    });
    return loadEvent(ctx, input.id);
  },

  'attachments.get': async (ctx, input) => {
    const row = await documentOf(ctx, input.id);
    // A whole document in one answer: past this size it is read through attachments.open's staged copy instead.
    if (row.size_bytes > maxInlineDownloadBytes) {
      throw new AppError('VALIDATION', 'This document is too large to read in one answer.', { fields: [{ path: 'id', message: 'file_too_large', params: { limitMb: maxInlineDownloadBytes / 1024 / 1024 } }] });
    }
    return { id: row.id, fileName: row.file_name, mimeType: row.mime_type, sizeBytes: row.size_bytes, contentBase64: ctx.files.read(row.sha256).toString('base64') };
  },

  'attachments.open': async (ctx, input) => {
    const row = await documentOf(ctx, input.id);
    if (!ctx.desktop) {
      // The browser shell reads a staged copy slice by slice (files.read), whatever the document's size.
      const staged = ctx.staging.create(sanitizeFileName(row.file_name), row.mime_type);
      fs.copyFileSync(ctx.files.pathOf(row.sha256), staged.path);
      return { action: 'download' as const, file: ctx.staging.finish(staged.fileId) };
    }
    // The store names files by digest; the OS needs the real name (and extension) to pick an application.
    const copy = path.join(ctx.dataDir, 'opened', row.id, sanitizeFileName(row.file_name));
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    if (!fs.existsSync(copy)) fs.copyFileSync(ctx.files.pathOf(row.sha256), copy);
    if (isRunnable(row.file_name)) {
      ctx.desktop.showInFolder(copy);
      return { action: 'shown' as const };
    }
    await ctx.desktop.openPath(copy);
    return { action: 'opened' as const };
  },

  'clients.activity': async (ctx, input) => {
    const [events, changes] = await Promise.all([
      ctx.db.selectFrom('events').select(['id', 'type', 'title', 'occurred_at']).where('client_id', '=', input.clientId).where('deleted_at', 'is', null).orderBy('occurred_at', 'desc').limit(input.limit).execute(),
      ctx.db
        .selectFrom('change_log as l')
        .leftJoin('users as u', 'u.id', 'l.user_id')
        .select(['l.id', 'l.entity', 'l.operation', 'l.changes', 'l.changed_at', 'u.name as user_name'])
        .where('l.client_id', '=', input.clientId)
        .where('l.entity', 'in', ['client', 'contact', 'job'])
        .orderBy('l.seq', 'desc')
        .limit(input.limit)
        .execute(),
    ]);
    const items: ActivityItem[] = [
      ...events.map((e) => ({ id: `e-${e.id}`, kind: 'event' as const, at: e.occurred_at, detail: e.type, title: e.title, userName: null })),
      ...changes.map((c) => {
        const fields = Object.keys(JSON.parse(c.changes) as object);
        const kind = c.entity === 'job' ? ('job' as const) : c.entity === 'contact' ? ('contact' as const) : ('profile' as const);
        return { id: `c-${c.id}`, kind, at: c.changed_at, detail: c.operation, title: fields.join(', '), userName: c.user_name };
      }),
    ];
    return items.sort((a, b) => b.at.localeCompare(a.at)).slice(0, input.limit);
  },
};
