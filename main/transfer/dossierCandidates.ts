import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../contract';
import { foldForSearch } from '../../contract/normalize';
import type { RestoreSummary } from '../../contract/transfer';
import { bumpCodeCounter } from '../../db/repositories/codes';
import { candidateIdsPage, loadCandidateDossiers, restoreCandidateMissing, restorePlacement, type CandidateDossier, type DossierPlacement } from '../../db/repositories/dossier';
import { createStage } from '../../db/repositories/stages';
import type { DB } from '../../db/schema';
import type { Actor } from '../../db/sync/write';
import { candidatePeople, findSamePeople } from '../duplicates/people';
import type { HandlerContext } from '../handlers/context';
import { loadSettings } from '../handlers/settings';
import type { TaskControl } from '../tasks/taskRunner';

// The candidates of a dossier (`candidates.jsonl`, written after `clients.jsonl`): one line per candidate with
// its documents, applications and placements. A restore reads them after every client, so an application finds
// its posting; a candidate another candidate already is (the same-person rule of main/duplicates/people.ts, as
// a client is checked with the company engine) is listed instead of restored.

export const stageSchema = z.object({ id: z.string(), key: z.string().nullable(), name: z.string(), kind: z.enum(['active', 'placed', 'rejected', 'withdrawn']), sort_order: z.number(), active: z.number(), created_at: z.string() });
export type DossierStage = z.infer<typeof stageSchema>;

/** Shape check of one line; the database's own constraints check the values inside the restore transaction. */
const candidateLineSchema = z.object({
  candidate: z.object({ id: z.string().min(1), code: z.string().min(1), full_name: z.string().min(1), owner_id: z.string().nullable() }).loose(),
  documents: z.array(z.object({ id: z.string(), sha256: z.string() }).loose()),
  applications: z.array(z.object({ id: z.string(), job_id: z.string(), stage_id: z.string(), stage_changed_by: z.string().nullable() }).loose()),
  placements: z.array(z.object({ id: z.string(), application_id: z.string(), replaces_id: z.string().nullable() }).loose()),
  history: z.array(z.object({ id: z.string() }).loose()),
});

export interface References {
  area: (id: string) => string;
  user: (id: string | null) => string | null;
}

/** Candidate lines of a backup, a page at a time: all candidates, or (with `jobIds`) those who applied to one client's postings. */
export async function* candidateLines(db: Kysely<DB>, jobIds: string[] | null, control: TaskControl): AsyncGenerator<Buffer> {
  let after = 0;
  for (;;) {
    const page = await candidateIdsPage(db, after, 250, jobIds);
    if (!page.length) return;
    after = page.at(-1)!.seq;
    const dossiers = await loadCandidateDossiers(db, page.map((p) => p.id), jobIds);
    yield Buffer.from(dossiers.map((d) => `${JSON.stringify(d)}\n`).join(''));
    await control.yield();
  }
}

/** The backup's pipeline stages mapped onto this database's: the same id, else the same key or name, else added. */
export async function mapStages(trx: Kysely<DB>, actor: Actor, stages: DossierStage[], note: string): Promise<(id: string) => string> {
  const ids = new Map<string, string>();
  const here = await trx.selectFrom('pipeline_stages').selectAll().execute();
  for (const stage of stages) {
    const same = here.find((s) => s.id === stage.id) ?? here.find((s) => (stage.key && s.key === stage.key) || foldForSearch(s.name) === foldForSearch(stage.name));
    if (same) ids.set(stage.id, same.id);
    else {
      await createStage(trx, actor, { ...stage, key: null }, note);
      ids.set(stage.id, stage.id);
    }
  }
  return (id) => ids.get(id) ?? id;
}

/**
 * Restores the lines of one part of a backup in order, each checked against its shape first: a line that does
 * not parse is listed as unreadable (of `kind`) and skipped. Stops when the task is cancelled.
 */
export async function restoreLines<T>(
  lines: AsyncIterable<string>,
  schema: z.ZodType,
  kind: RestoreSummary['conflicts'][number]['kind'],
  summary: RestoreSummary,
  control: TaskControl,
  total: number,
  restore: (record: T) => Promise<void>,
): Promise<void> {
  let done = 0;
  control.report(0, total, kind === 'client' ? 'clients' : 'candidates');
  for await (const line of lines) {
    if (!line.trim()) continue;
    if (control.signal.aborted) return;
    let record: T;
    try {
      record = schema.parse(JSON.parse(line)) as T;
    } catch {
      summary.conflicts.push({ kind, code: '?', companyName: '?', reason: 'unreadable' });
      continue;
    }
    await restore(record);
    control.report(++done, total, kind === 'client' ? 'clients' : 'candidates');
    if (done % 50 === 0) await control.yield();
  }
}

export const emptyCandidateSummary = (total: number): RestoreSummary['candidates'] => ({ total, restored: 0, alreadyPresent: 0, documents: 0, applications: 0, placements: 0 });

/** Restores the candidate lines of a backup, then the placements that waited for a placement of a later line. */
export async function restoreCandidates(
  ctx: HandlerContext,
  lines: AsyncIterable<string>,
  summary: RestoreSummary,
  actor: Actor,
  note: string,
  ref: References & { stage: (id: string) => string },
  control: TaskControl,
): Promise<void> {
  const waiting: { candidate: CandidateDossier['candidate']; placement: DossierPlacement }[] = [];
  await restoreLines<CandidateDossier>(lines, candidateLineSchema, 'candidate', summary, control, summary.candidates.total, async (dossier) => {
    const left = await restoreCandidate(ctx, remapCandidate(dossier, ref), summary, actor, note);
    waiting.push(...left.map((placement) => ({ candidate: dossier.candidate, placement })));
  });
  if (control.signal.aborted) return;
  // A replacement placed on another candidate's line than the placement it replaces: written once both are here.
  for (let progress = true; progress && waiting.length; ) {
    progress = false;
    for (const item of [...waiting]) {
      const written = await ctx.db.transaction().execute((trx) => restorePlacement(trx, actor, item.placement, note));
      if (!written) continue;
      waiting.splice(waiting.indexOf(item), 1);
      summary.candidates.placements++;
      progress = true;
    }
  }
  for (const { candidate } of waiting) summary.conflicts.push({ kind: 'placement', code: candidate.code, companyName: candidate.full_name, reason: 'no_application' });
}

function remapCandidate(d: CandidateDossier, ref: References & { stage: (id: string) => string }): CandidateDossier {
  return {
    candidate: { ...d.candidate, owner_id: ref.user(d.candidate.owner_id) },
    documents: d.documents,
    applications: d.applications.map((a) => ({ ...a, stage_id: ref.stage(a.stage_id), stage_changed_by: ref.user(a.stage_changed_by) })),
    placements: d.placements,
    history: d.history.map((h) => ({ ...h, user_id: ref.user(h.user_id) })),
  };
}

/** One candidate with everything that belongs to it, in one transaction; returns the placements that must wait. */
async function restoreCandidate(ctx: HandlerContext, d: CandidateDossier, summary: RestoreSummary, actor: Actor, note: string): Promise<DossierPlacement[]> {
  const { candidate } = d;
  const conflict = (reason: string) => summary.conflicts.push({ kind: 'candidate', code: candidate.code, companyName: candidate.full_name, reason });
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const here = await trx.selectFrom('candidates').select('id').where('id', '=', candidate.id).executeTakeFirst();
      if (!here) {
        const codeTaken = await trx.selectFrom('candidates').select('id').where('code', '=', candidate.code).executeTakeFirst();
        if (codeTaken) {
          conflict('candidate_code');
          return [];
        }
        if (!candidate.deleted_at) {
          const { defaultCountry } = await loadSettings({ ...ctx, db: trx });
          const query = { name: candidate.full_name, email: candidate.email, phone: candidate.phone, company: candidate.current_company, excludeId: candidate.id };
          const twin = (await findSamePeople(candidatePeople(trx), query, defaultCountry)).blocking[0];
          if (twin) {
            conflict(twin.reasons.includes('email') ? 'candidate_email' : 'candidate_name');
            return [];
          }
        }
      }
      const added = await restoreCandidateMissing(trx, actor, d, note, here ? null : candidate);
      if (here) summary.candidates.alreadyPresent++;
      else summary.candidates.restored++;
      summary.candidates.documents += added.documents;
      summary.candidates.applications += added.applications;
      summary.candidates.placements += added.placements;
      for (let i = 0; i < added.withoutPosting.length; i++) summary.conflicts.push({ kind: 'application', code: candidate.code, companyName: candidate.full_name, reason: 'no_posting' });
      await bumpCodeCounter(trx, candidate.code);
      return added.waiting;
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    // Values the database refuses (a broken or hand-edited line) skip that candidate only.
    conflict('invalid');
    return [];
  }
}
