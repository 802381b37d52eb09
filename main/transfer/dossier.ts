import fs from 'node:fs';
import { Readable } from 'node:stream';
import yazl from 'yazl';
import { z } from 'zod';
import { AppError } from '../../contract';
import { foldForSearch } from '../../contract/normalize';
import type { RestoreSummary, TaskResult } from '../../contract/transfer';
import { createArea } from '../../db/repositories/areas';
import { bumpCodeCounter } from '../../db/repositories/codes';
import { candidateDocumentsOf, clientIdsPage, documentsOf, jobIdsOf, loadDossiers, removedEventsByClient, restoreMissing, type Dossier } from '../../db/repositories/dossier';
import { createUser } from '../../db/repositories/users';
import type { Actor } from '../../db/sync/write';
import { actorOf } from '../handlers/actor';
import { findCompanyDuplicates } from '../duplicates/companies';
import type { HandlerContext } from '../handlers/context';
import { TaskCancelled, type TaskControl } from '../tasks/taskRunner';
import { candidateLines, emptyCandidateSummary, mapStages, restoreCandidates, restoreLines, stageSchema, type References } from './dossierCandidates';
import { checkBackup, dossierLimits, notABackup, readBackup, refusal, type CheckedBackup, type DossierLimits } from './dossierReader';

// A dossier is a zip: `manifest.json` (format, version, the areas, team members and pipeline stages the
// records refer to), `clients.jsonl` (one JSON line per client: profile, contacts, events with owners and
// documents, job postings, history), `candidates.jsonl` (one line per candidate: profile, documents,
// applications, placements, history; since version 2, main/transfer/dossierCandidates.ts) and
// `documents/<sha256>` (the attached files and CVs, named by content). JSON Lines and
// streaming keep a backup of 100 000 clients from ever being held in memory whole.

const formatName = 'clients-dossier';
/** 2 added candidates; a version 1 file (no candidates, no stages) still restores. */
const formatVersion = 2;

const manifestSchema = z.object({
  format: z.literal(formatName),
  version: z.number().int().min(1).max(formatVersion),
  exportedAt: z.string(),
  appVersion: z.string(),
  clients: z.number().int(),
  areas: z.array(z.object({ id: z.string(), key: z.string().nullable(), name: z.string(), active: z.number(), sort_order: z.number(), created_at: z.string() })),
  users: z.array(z.object({ id: z.string(), name: z.string(), email: z.string().nullable(), active: z.number(), created_at: z.string(), updated_at: z.string() })),
  missingDocuments: z.array(z.string()).default([]),
  candidates: z.number().int().default(0),
  stages: z.array(stageSchema).default([]),
});
type Manifest = z.infer<typeof manifestSchema>;

/** Shape check of one line; the database's own constraints check the values inside the restore transaction. */
const dossierLineSchema = z.object({
  client: z.object({ id: z.string().min(1), code: z.string().min(1), company_name: z.string().min(1), email: z.string().min(1), area_id: z.string(), owner_id: z.string().nullable() }).loose(),
  contacts: z.array(z.object({ id: z.string(), client_id: z.string() }).loose()),
  events: z.array(z.object({ id: z.string(), owners: z.array(z.string()), attachments: z.array(z.object({ id: z.string(), sha256: z.string() }).loose()) }).loose()),
  jobs: z.array(z.object({ id: z.string(), code: z.string() }).loose()),
  history: z.array(z.object({ id: z.string() }).loose()),
});

const slug = (text: string) => foldForSearch(text).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);

export async function exportDossier(ctx: HandlerContext, input: { clientId: string | null; includeDocuments: boolean }, control: TaskControl): Promise<TaskResult> {
  const single = input.clientId ? await ctx.db.selectFrom('clients').select(['id', 'code', 'company_name']).where('id', '=', input.clientId).executeTakeFirst() : null;
  if (input.clientId && !single) throw new AppError('NOT_FOUND', 'This client does not exist or was removed.', { reason: 'client_not_found' });
  const day = ctx.now().toISOString().slice(0, 10);
  const fileName = single ? `${single.code}-${slug(single.company_name)}-${day}.zip` : `clients-backup-${day}.zip`;
  const total = single ? 1 : Number((await ctx.db.selectFrom('clients').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const [areas, users, stages] = await Promise.all([
    ctx.db.selectFrom('areas').selectAll().execute(),
    ctx.db.selectFrom('users').selectAll().execute(),
    ctx.db.selectFrom('pipeline_stages').selectAll().execute(),
  ]);
  // One client's dossier carries the candidates who applied to its postings, with those applications only.
  const jobIds = single ? await jobIdsOf(ctx.db, single.id) : null;
  const candidates = Number((await ctx.db.selectFrom('candidates').select((eb) => eb.fn.countAll<number>().as('n')).$if(jobIds !== null, (q) => q.where((eb) => eb.exists(eb.selectFrom('applications as a').select('a.id').whereRef('a.candidate_id', '=', 'candidates.id').where('a.job_id', 'in', jobIds?.length ? jobIds : [''])))).executeTakeFirstOrThrow()).n);
  const documents = input.includeDocuments ? [...new Set([...(await documentsOf(ctx.db, single ? [single.id] : null)), ...(await candidateDocumentsOf(ctx.db, jobIds))])] : [];
  const present = documents.filter((sha) => ctx.files.has(sha));
  const manifest: Manifest = {
    format: formatName,
    version: formatVersion,
    exportedAt: ctx.now().toISOString(),
    appVersion: ctx.appVersion,
    clients: total,
    areas,
    users,
    missingDocuments: documents.filter((sha) => !ctx.files.has(sha)),
    candidates,
    stages,
  };

  const staged = ctx.staging.create(fileName, 'application/zip');
  const partial = `${staged.path}.partial`;
  const zip = new yazl.ZipFile();
  const out = fs.createWriteStream(partial);
  const written = new Promise<void>((resolve, reject) => {
    out.on('close', resolve);
    out.on('error', reject);
    zip.on('error', reject);
  });
  zip.outputStream.pipe(out);
  control.report(0, total, 'clients');

  // Produced as yazl reads it, a page of clients at a time: the zip's own pace bounds the memory used.
  async function* lines() {
    if (single) {
      const [dossier] = await loadDossiers(ctx.db, [single.id]);
      yield Buffer.from(`${JSON.stringify(dossier)}\n`);
      control.report(1, 1, 'clients');
      return;
    }
    let after = 0;
    let done = 0;
    const removedEvents = await removedEventsByClient(ctx.db);
    for (;;) {
      const page = await clientIdsPage(ctx.db, after, 250);
      if (!page.length) return;
      after = page.at(-1)!.seq;
      const dossiers = await loadDossiers(ctx.db, page.map((p) => p.id), removedEvents);
      yield Buffer.from(dossiers.map((d) => `${JSON.stringify(d)}\n`).join(''));
      done += page.length;
      control.report(done, total, 'clients');
      await control.yield();
    }
  }

  const source = Readable.from(lines(), { objectMode: false });
  const people = Readable.from(candidateLines(ctx.db, jobIds, control), { objectMode: false });
  const failed = new Promise<never>((_, reject) => {
    source.on('error', reject);
    people.on('error', reject);
  });
  failed.catch(() => undefined);
  zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2)), 'manifest.json', { mtime: ctx.now() });
  zip.addReadStream(source, 'clients.jsonl', { mtime: ctx.now() });
  zip.addReadStream(people, 'candidates.jsonl', { mtime: ctx.now() });
  // Documents are mostly compressed formats already (PDF, DOCX, images): stored as they are.
  for (const sha of present) zip.addFile(ctx.files.pathOf(sha), `documents/${sha}`, { compress: false, mtime: ctx.now() });
  zip.end();
  try {
    await Promise.race([written, failed]);
    fs.renameSync(partial, staged.path);
  } catch (error) {
    out.destroy();
    fs.rmSync(partial, { force: true });
    ctx.staging.discard(staged.fileId);
    throw error instanceof TaskCancelled || control.signal.aborted ? new TaskCancelled() : error;
  }
  control.report(total, total, 'done');
  return { kind: 'dossier', file: ctx.staging.finish(staged.fileId), clients: total, documents: present.length };
}

// ── Restore ───────────────────────────────────────────────────────────────────────────────────────────
// The zip is read through dossierReader: limits on every inflated byte, and a first pass that writes nothing.

/**
 * Team members, areas and pipeline stages of the backup mapped onto this database's: the same id, else the same
 * email, key or name, else added.
 */
async function mapReferences(ctx: HandlerContext, actor: Actor, manifest: Manifest, note: string): Promise<References & { stage: (id: string) => string }> {
  const areaIds = new Map<string, string>();
  const userIds = new Map<string, string>();
  let stage = (id: string) => id;
  await ctx.db.transaction().execute(async (trx) => {
    const areas = await trx.selectFrom('areas').selectAll().execute();
    for (const area of manifest.areas) {
      const same = areas.find((a) => a.id === area.id) ?? areas.find((a) => (area.key && a.key === area.key) || foldForSearch(a.name) === foldForSearch(area.name));
      if (same) areaIds.set(area.id, same.id);
      else {
        await createArea(trx, actor, { ...area, key: null }, note);
        areaIds.set(area.id, area.id);
      }
    }
    const users = await trx.selectFrom('users').selectAll().execute();
    for (const user of manifest.users) {
      const same = users.find((u) => u.id === user.id) ?? users.find((u) => (user.email && u.email?.toLowerCase() === user.email.toLowerCase()) || foldForSearch(u.name) === foldForSearch(user.name));
      if (same) userIds.set(user.id, same.id);
      else {
        await createUser(trx, actor, user, note);
        userIds.set(user.id, user.id);
      }
    }
    stage = await mapStages(trx, actor, manifest.stages, note);
  });
  return { area: (id: string) => areaIds.get(id) ?? id, user: (id: string | null) => (id === null ? null : (userIds.get(id) ?? id)), stage };
}

/**
 * Restores a dossier zip. Ids are kept, so a record already here is left alone and restoring the same
 * file twice adds nothing; a client whose code, email or name another client already has is not restored
 * and is listed as a conflict. Each client with everything that belongs to it is one transaction.
 */
export async function restoreDossier(ctx: HandlerContext, fileId: string, control: TaskControl, limits: DossierLimits = dossierLimits): Promise<TaskResult> {
  const file = ctx.staging.get(fileId);
  let manifest: Manifest;
  let checked: CheckedBackup;
  try {
    checked = await checkBackup(file.path, limits, ctx.files, control);
    manifest = manifestSchema.parse(checked.manifest);
  } catch (error) {
    if (error instanceof z.ZodError) throw notABackup();
    throw refusal(error);
  }
  const backup = await readBackup(file.path, limits).catch((error: unknown) => {
    throw refusal(error);
  });
  try {
    const summary: RestoreSummary = {
      clients: manifest.clients, restored: 0, alreadyPresent: 0, conflicts: [], contacts: 0, events: 0, jobs: 0, documents: checked.verifiedDocuments,
      candidates: emptyCandidateSummary(checked.candidateLines),
    };
    const actor = await actorOf(ctx);
    const note = `Restored from backup ${file.fileName}.`;
    const ref = await mapReferences(ctx, actor, manifest, note);

    // Documents first, so every restored attachment finds its file. The first pass verified each one's digest.
    control.report(0, checked.documents.size, 'documents');
    await backup.storeDocuments(checked.documents, ctx.files, async (stored) => {
      control.report(stored, checked.documents.size, 'documents');
      if (stored % 20 === 0) await control.yield();
    });

    await restoreLines<Dossier>(backup.lines(), dossierLineSchema, 'client', summary, control, manifest.clients, (dossier) => restoreOne(ctx, remap(dossier, ref), summary, actor, note));
    // After every client: an application finds its posting.
    if (!control.signal.aborted) await restoreCandidates(ctx, backup.candidateLines(), summary, actor, note, ref, control);
    return { kind: 'restore', summary };
  } finally {
    backup.close();
  }
}

function remap(d: Dossier, ref: References): Dossier {
  return {
    client: { ...d.client, area_id: ref.area(d.client.area_id), owner_id: ref.user(d.client.owner_id) },
    contacts: d.contacts,
    events: d.events.map((e) => ({ ...e, created_by: ref.user(e.created_by), owners: e.owners.map((o) => ref.user(o)!) })),
    jobs: d.jobs.map((j) => ({ ...j, owner_id: ref.user(j.owner_id) })),
    history: d.history.map((h) => ({ ...h, user_id: ref.user(h.user_id), changes: remapChanges(h.changes, ref) })),
  };
}

/** An area or owner named in a history entry points at this database's area or team member, as the records do. */
function remapChanges(json: string, ref: References): string {
  let changes: Record<string, { old: unknown; new: unknown }>;
  try {
    changes = JSON.parse(json) as typeof changes;
  } catch {
    return json;
  }
  let changed = false;
  for (const [field, map] of [['area_id', ref.area], ['owner_id', ref.user]] as const) {
    const change = changes[field];
    if (!change) continue;
    for (const side of ['old', 'new'] as const) {
      const value = change[side];
      if (typeof value === 'string' && map(value) !== value) {
        change[side] = map(value);
        changed = true;
      }
    }
  }
  return changed ? JSON.stringify(changes) : json;
}

async function restoreOne(ctx: HandlerContext, d: Dossier, summary: RestoreSummary, actor: Actor, note: string) {
  const { client } = d;
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const here = await trx.selectFrom('clients').select('id').where('id', '=', client.id).executeTakeFirst();
      if (!here) {
        // The same code, or (for a live client) the duplicate engine's block: the same company is here already.
        const codeTaken = await trx.selectFrom('clients').select('id').where('id', '!=', client.id).where('code', '=', client.code).executeTakeFirst();
        const twin = codeTaken || client.archived_at
          ? undefined
          : (await findCompanyDuplicates(trx, { companyName: client.company_name, email: client.email, website: client.website, excludeId: client.id })).blocking[0];
        if (codeTaken || twin) {
          const reason = codeTaken ? 'code' : twin!.reasons.includes('email') ? 'email' : 'name';
          summary.conflicts.push({ kind: 'client', code: client.code, companyName: client.company_name, reason });
          return;
        }
        // One client per lead: a lead this database already linked elsewhere is not linked twice.
        const leadTaken = client.lead_id ? await trx.selectFrom('clients').select('id').where('lead_id', '=', client.lead_id).executeTakeFirst() : undefined;
        const row = leadTaken ? { ...client, lead_id: null } : client;
        const added = await restoreMissing(trx, actor, d, note, row);
        summary.restored++;
        summary.contacts += added.contacts;
        summary.events += added.events;
        summary.jobs += added.jobs;
      } else {
        // Already here: only what is missing (a removed event, a lost contact) comes back.
        const added = await restoreMissing(trx, actor, d, note, null);
        summary.alreadyPresent++;
        summary.contacts += added.contacts;
        summary.events += added.events;
        summary.jobs += added.jobs;
      }
      for (const code of [client.code, ...d.jobs.map((j) => j.code)]) await bumpCodeCounter(trx, code);
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    // Values the database refuses (a broken or hand-edited line) skip that client only.
    summary.conflicts.push({ kind: 'client', code: client.code, companyName: client.company_name, reason: 'invalid' });
  }
}
