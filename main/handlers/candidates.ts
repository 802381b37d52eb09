import fs from 'node:fs';
import path from 'node:path';
import { AppError, type ParsedInput } from '../../contract';
import type { Candidate, CandidateDocument, CandidateRow, ParsedCandidateFields } from '../../contract/candidates';
import type { HistoryEntry } from '../../contract/clients';
import { normalizePhone } from '../../contract/phone';
import {
  addCandidateDocument,
  candidateFacets,
  candidateHistoryRows,
  countCandidateApplications,
  createCandidate,
  documentsOfCandidate,
  findCandidate,
  listCandidates,
  removeCandidateDocument,
  setCandidateDeleted,
  updateCandidate,
  type CandidateListRow,
  type CandidateRecord,
} from '../../db/repositories/candidates';
import type { FieldChanges } from '../../db/repositories/changeLog';
import { nextCode } from '../../db/repositories/codes';
import { referencesTo } from '../../db/repositories/events';
import { findUser } from '../../db/repositories/users';
import type { AppliedFieldChange } from '../../db/sync/apply';
import { tagsOf } from '../../db/sync/candidates';
import { StaleRecordError } from '../../db/sync/write';
import { candidatePeople, findSamePeople } from '../duplicates/people';
import { FileTooLargeError, isRunnable, sanitizeFileName } from '../files/fileStore';
import { exportCandidates } from '../transfer/exportCandidates';
import { actorOf, savingVersion } from './actor';
import type { HandlerContext } from './context';
import { decodeCursor, encodeCursor } from './cursor';
import { loadSettings } from './settings';
import type { HandlerMap } from './types';

const notFound = () => new AppError('NOT_FOUND', 'This candidate does not exist or was removed.', { reason: 'candidate_not_found' });
const stale = { reason: 'candidate_changed', message: 'This candidate was changed meanwhile; reload and apply your change again.' } as const;

type CandidateView = CandidateRecord & { owner_name: string | null };

export function toCandidate(row: CandidateView): Candidate {
  return {
    id: row.id,
    code: row.code,
    fullName: row.full_name,
    email: row.email,
    phone: row.phone,
    location: row.location,
    currentTitle: row.current_title,
    currentCompany: row.current_company,
    source: row.source,
    tags: tagsOf(row.tags),
    notes: row.notes,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
    version: row.version,
  };
}

function toRow(row: CandidateListRow): CandidateRow {
  return {
    id: row.id,
    code: row.code,
    fullName: row.full_name,
    email: row.email,
    phone: row.phone,
    location: row.location,
    currentTitle: row.current_title,
    currentCompany: row.current_company,
    source: row.source,
    tags: row.tags === '[]' ? [] : tagsOf(row.tags),
    ownerName: row.owner_name,
    createdAt: row.created_at,
    deletedAt: row.deleted_at,
    applications: Number(row.applications),
  };
}

export const toDocument = (row: { id: string; kind: 'cv' | 'other'; file_name: string; mime_type: string; size_bytes: number; created_at: string }): CandidateDocument => ({
  id: row.id,
  kind: row.kind,
  fileName: row.file_name,
  mimeType: row.mime_type,
  sizeBytes: row.size_bytes,
  createdAt: row.created_at,
});

export async function loadCandidate(ctx: HandlerContext, id: string): Promise<Candidate> {
  const row = await findCandidate(ctx.db, id);
  if (!row) throw notFound();
  return toCandidate(row);
}

/** The stored columns of a candidate form, its phone normalised, its owner checked and the same-person rule applied. */
async function prepareFields(ctx: HandlerContext, trx: HandlerContext['db'], input: ParsedCandidateFields & { acknowledgedDuplicateIds: string[] }, existing: CandidateRecord | null) {
  const settings = await loadSettings({ ...ctx, db: trx });
  const phone = normalizePhone(input.phone, settings.defaultCountry);
  if (!phone.ok) throw new AppError('VALIDATION', 'The phone number is not valid.', { fields: [{ path: 'phone', message: phone.message }] });
  if (input.ownerId && input.ownerId !== existing?.owner_id) {
    const owner = await findUser(trx, input.ownerId);
    if (!owner || !owner.active) throw new AppError('VALIDATION', 'Choose an active team member as owner.', { fields: [{ path: 'ownerId', message: 'unknown_user' }] });
  }
  // Inside the write transaction: a person saved since the live check still counts.
  const check = await findSamePeople(
    candidatePeople(trx),
    { name: input.fullName, email: input.email, phone: phone.value, company: input.currentCompany, excludeId: existing?.id ?? null },
    settings.defaultCountry,
  );
  if (check.blocking.length) throw new AppError('DUPLICATE', 'A candidate with the same email already exists.', { reason: 'duplicate_person', matches: check.blocking });
  const unacknowledged = check.warnings.filter((w) => !input.acknowledgedDuplicateIds.includes(w.id));
  if (unacknowledged.length) throw new AppError('DUPLICATE', 'This candidate looks like existing candidates; confirm to save anyway.', { reason: 'possible_duplicate_person', matches: check.warnings });
  const note = check.warnings.length ? `Saved despite possible duplicates: ${check.warnings.map((w) => `${w.code} ${w.name ?? ''} (${w.reasons.join(', ')})`).join('; ')}` : null;
  return {
    fields: {
      full_name: input.fullName,
      email: input.email,
      phone: phone.value,
      location: input.location,
      current_title: input.currentTitle,
      current_company: input.currentCompany,
      source: input.source,
      tags: JSON.stringify(input.tags),
      notes: input.notes,
      owner_id: input.ownerId,
    },
    note,
  };
}

/** A document's record with its file present here (a colleague's is fetched from the sync server first). */
async function documentOf(ctx: HandlerContext, id: string) {
  const row = await ctx.db.selectFrom('candidate_documents').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', 'This document is not available any more.', { reason: 'document_not_found' });
  if (!ctx.files.has(row.sha256) && !(await ctx.sync.ensureDocument(row.sha256))) {
    throw new AppError('NOT_FOUND', 'This document has not reached this laptop yet: it arrives once the laptop it was added on has synced.', { fields: [{ path: 'document', message: 'document_not_synced' }] });
  }
  return row;
}

async function setDeleted(ctx: HandlerContext, id: string, version: number, deleted: boolean): Promise<Candidate> {
  const actor = await actorOf(ctx);
  await savingVersion(
    () =>
      ctx.db.transaction().execute(async (trx) => {
        const existing = await findCandidate(trx, id);
        if (!existing) throw notFound();
        if (deleted === (existing.deleted_at !== null)) return;
        if (existing.version !== version) throw new StaleRecordError('candidate', id, existing);
        if (deleted) {
          // Earned revenue never disappears with a removed person: a live placement keeps the candidate.
          const placed = await trx.selectFrom('placements').select('id').where('candidate_id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
          if (placed) throw new AppError('VALIDATION', 'A placed candidate cannot be removed: move the application out of Placed first.', { fields: [{ path: 'id', message: 'has_placements' }] });
        } else if (existing.email_key) {
          const twin = await trx.selectFrom('candidates').select(['id', 'code', 'full_name', 'email', 'phone', 'current_company']).where('email_key', '=', existing.email_key).where('deleted_at', 'is', null).where('id', '!=', id).executeTakeFirst();
          if (twin) {
            throw new AppError('DUPLICATE', 'An active candidate has the same email.', {
              reason: 'duplicate_person',
              matches: [{ id: twin.id, code: twin.code, companyName: twin.current_company ?? '', email: twin.email ?? '', reasons: ['email'], decision: 'block', score: 100, kind: 'candidate', name: twin.full_name, phone: twin.phone }],
            });
          }
        }
        await setCandidateDeleted(trx, actor, id, deleted, { version });
      }),
    () => loadCandidate(ctx, id),
    stale,
  );
  return loadCandidate(ctx, id);
}

export const candidateHandlers: HandlerMap<
  | 'candidates.list' | 'candidates.facets' | 'candidates.get' | 'candidates.create' | 'candidates.update' | 'candidates.checkDuplicates' | 'candidates.delete'
  | 'candidates.restore' | 'candidates.history' | 'candidates.addDocument' | 'candidates.removeDocument' | 'candidates.openDocument' | 'candidates.stageDocument'
  | 'exports.candidates'
> = {
  'candidates.list': async (ctx, input) => {
    const rows = await listCandidates(ctx.db, { ...input, limit: input.limit + 1, after: decodeCursor(input.cursor) });
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    return { rows: page.map(toRow), nextCursor: rows.length > input.limit && last ? encodeCursor(String(last.sort_value), last.id) : null };
  },

  'candidates.facets': (ctx) => candidateFacets(ctx.db),

  'candidates.get': async (ctx, input) => {
    const candidate = await loadCandidate(ctx, input.id);
    const [documents, applications] = await Promise.all([documentsOfCandidate(ctx.db, input.id), countCandidateApplications(ctx.db, input.id)]);
    return { candidate, documents: documents.map(toDocument), applications };
  },

  'candidates.create': async (ctx, input) => {
    const id = ctx.newId();
    const actor = await actorOf(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      const { fields, note } = await prepareFields(ctx, trx, input, null);
      const code = await nextCode(trx, 'CD');
      await createCandidate(trx, actor, { ...fields, id, code, owner_id: fields.owner_id ?? actor.userId, created_at: actor.at, deleted_at: null }, note);
    });
    return loadCandidate(ctx, id);
  },

  'candidates.update': async (ctx, input) => {
    const actor = await actorOf(ctx);
    await savingVersion(
      () =>
        ctx.db.transaction().execute(async (trx) => {
          const existing = await findCandidate(trx, input.id);
          if (!existing || existing.deleted_at) throw notFound();
          // A stale form is answered with what changed, before any duplicate warning.
          if (existing.version !== input.version) throw new StaleRecordError('candidate', input.id, existing);
          const { fields, note } = await prepareFields(ctx, trx, input, existing);
          await updateCandidate(trx, actor, input.id, fields, { version: input.version, note });
        }),
      () => loadCandidate(ctx, input.id),
      stale,
    );
    return loadCandidate(ctx, input.id);
  },

  'candidates.checkDuplicates': async (ctx, input) => {
    const settings = await loadSettings(ctx);
    return findSamePeople(candidatePeople(ctx.db), { name: input.fullName, email: input.email, phone: input.phone, company: input.currentCompany, excludeId: input.excludeId ?? null }, settings.defaultCountry);
  },

  'candidates.delete': (ctx, input) => setDeleted(ctx, input.id, input.version, true),
  'candidates.restore': (ctx, input) => setDeleted(ctx, input.id, input.version, false),

  'candidates.history': (ctx, input) => candidateHistory(ctx, input),

  'candidates.addDocument': async (ctx, input) => {
    const staged = ctx.staging.get(input.fileId);
    const { attachmentLimitMb } = await loadSettings(ctx);
    const limit = attachmentLimitMb * 1024 * 1024;
    if (!(await findCandidate(ctx.db, input.candidateId))) throw notFound();
    let stored: { sha256: string; sizeBytes: number };
    try {
      // Streamed into the content-addressed store: a large CV is never held in memory whole.
      stored = await ctx.files.putStream(fs.createReadStream(staged.path), limit);
    } catch (error) {
      if (error instanceof FileTooLargeError) {
        throw new AppError('VALIDATION', `${staged.fileName} is larger than the ${attachmentLimitMb} MB limit.`, { fields: [{ path: 'fileId', message: 'file_too_large', params: { limitMb: attachmentLimitMb } }] });
      }
      throw error;
    }
    const isNew = (await referencesTo(ctx.db, stored.sha256)) === 0;
    const id = ctx.newId();
    const actor = await actorOf(ctx);
    try {
      await ctx.db.transaction().execute(async (trx) => {
        const candidate = await findCandidate(trx, input.candidateId);
        if (!candidate || candidate.deleted_at) throw notFound();
        const fileName = sanitizeFileName(staged.fileName);
        await addCandidateDocument(trx, actor, {
          id, candidate_id: input.candidateId, kind: input.kind, sha256: stored.sha256, file_name: fileName, mime_type: mimeOf(fileName), size_bytes: stored.sizeBytes, created_at: actor.at, deleted_at: null,
        });
      });
    } catch (error) {
      if (isNew && (await referencesTo(ctx.db, stored.sha256)) === 0) ctx.files.remove(stored.sha256);
      throw error;
    }
    ctx.staging.discard(input.fileId);
    const row = await ctx.db.selectFrom('candidate_documents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return toDocument(row);
  },

  'candidates.removeDocument': async (ctx, input) => {
    const actor = await actorOf(ctx);
    let sha: string | null = null;
    await ctx.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('candidate_documents').selectAll().where('id', '=', input.id).where('deleted_at', 'is', null).executeTakeFirst();
      if (!row) throw new AppError('NOT_FOUND', 'This document is not available any more.', { reason: 'document_not_found' });
      await removeCandidateDocument(trx, actor, input.id);
      sha = row.sha256;
    });
    // After the commit: the stored file goes only when no live document anywhere still points at it.
    if (sha && (await referencesTo(ctx.db, sha)) === 0) ctx.files.remove(sha);
    return { id: input.id };
  },

  'candidates.openDocument': async (ctx, input) => {
    const row = await documentOf(ctx, input.id);
    if (!ctx.desktop) return { action: 'download' as const };
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

  'candidates.stageDocument': async (ctx, input) => {
    const row = await documentOf(ctx, input.id);
    const staged = ctx.staging.create(row.file_name, row.mime_type);
    fs.copyFileSync(ctx.files.pathOf(row.sha256), staged.path);
    return ctx.staging.finish(staged.fileId);
  },

  'exports.candidates': async (ctx, input) => ({ taskId: ctx.tasks.start('export', (control) => exportCandidates(ctx, input, control)).id }),
};

const mimeTypes: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.odt': 'application/vnd.oasis.opendocument.text',
  '.rtf': 'application/rtf',
  '.txt': 'text/plain',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
};
const mimeOf = (fileName: string) => mimeTypes[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';

type Value = HistoryEntry['changes'][number]['old'];

/** A candidate's history: its own changes, its documents', applications' and placements', newest first, ids as names. */
async function candidateHistory(ctx: HandlerContext, input: ParsedInput<'candidates.history'>) {
  const before = input.cursor === null ? null : Number(input.cursor);
  if (before !== null && !Number.isInteger(before)) throw new AppError('VALIDATION', 'Invalid history position.', { fields: [{ path: 'cursor', message: 'invalid_cursor' }] });
  const rows = await candidateHistoryRows(ctx.db, input.candidateId, input.limit + 1, before);
  const page = rows.slice(0, input.limit);
  const parsed = page.map((row) => ({ row, changes: JSON.parse(row.changes) as FieldChanges }));
  const ids = new Set<string>();
  for (const { changes } of parsed) for (const field of ['owner_id', 'stage_id', 'job_id']) for (const v of [changes[field]?.old, changes[field]?.new]) if (typeof v === 'string') ids.add(v);
  const names = new Map<string, string>();
  if (ids.size) {
    const [users, stages, jobs] = await Promise.all([
      ctx.db.selectFrom('users').select(['id', 'name']).where('id', 'in', [...ids]).execute(),
      ctx.db.selectFrom('pipeline_stages').select(['id', 'name', 'key']).where('id', 'in', [...ids]).execute(),
      ctx.db.selectFrom('jobs').select(['id', 'code', 'title']).where('id', 'in', [...ids]).execute(),
    ]);
    for (const u of users) names.set(u.id, u.name);
    // Built-in stages travel as "stage:<key>" so the renderer can translate them (unless renamed).
    for (const s of stages) names.set(s.id, s.key ? `stage:${s.key}:${s.name}` : s.name);
    for (const j of jobs) names.set(j.id, `${j.code} ${j.title}`);
  }
  const labels = await historyLabels(ctx, parsed.map((p) => p.row));
  const show = (field: string, value: unknown): Value => {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string' && (field === 'owner_id' || field === 'stage_id' || field === 'job_id')) return names.get(value) ?? value;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    return JSON.stringify(value);
  };
  return {
    entries: parsed.map(({ row, changes }) => ({
      id: row.id,
      entity: row.entity,
      entityId: row.entity_id,
      entityLabel: labels.get(row.entity_id) ?? null,
      operation: row.operation,
      changes: Object.entries(changes).map(([field, change]) => {
          const sync = change as AppliedFieldChange;
          return {
            field,
            old: show(field, change.old),
            new: show(field, change.new),
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

/** What an entry is about: a document's file name, an application's or placement's posting. */
async function historyLabels(ctx: HandlerContext, rows: { entity: string; entity_id: string }[]) {
  const labels = new Map<string, string>();
  const of = (entity: string) => [...new Set(rows.filter((r) => r.entity === entity).map((r) => r.entity_id))];
  const [documents, applications, placements] = [of('candidate_document'), of('application'), of('placement')];
  if (documents.length) for (const d of await ctx.db.selectFrom('candidate_documents').select(['id', 'file_name']).where('id', 'in', documents).execute()) labels.set(d.id, d.file_name);
  const label = (r: { id: string; code: string; title: string; company_name: string }) => labels.set(r.id, `${r.code} ${r.title} · ${r.company_name}`);
  if (applications.length) {
    const found = await ctx.db.selectFrom('applications as x').innerJoin('jobs as j', 'j.id', 'x.job_id').innerJoin('clients as c', 'c.id', 'j.client_id').select(['x.id', 'j.code', 'j.title', 'c.company_name']).where('x.id', 'in', applications).execute();
    found.forEach(label);
  }
  if (placements.length) {
    const found = await ctx.db.selectFrom('placements as x').innerJoin('jobs as j', 'j.id', 'x.job_id').innerJoin('clients as c', 'c.id', 'j.client_id').select(['x.id', 'j.code', 'j.title', 'c.company_name']).where('x.id', 'in', placements).execute();
    found.forEach(label);
  }
  return labels;
}
