import { AppError, type ParsedInput } from '../../contract';
import type { Application, Placement, Stage, StageMove } from '../../contract/pipeline';
import { appliedStageId } from '../../contract/pipeline';
import { departureSettlement, guaranteeEnd, holdsOpening, placementFee } from '../../contract/placements';
import { findCandidate } from '../../db/repositories/candidates';
import type { FieldChanges } from '../../db/repositories/changeLog';
import { findJob, updateJob, type JobRecord } from '../../db/repositories/jobs';
import {
  applicationLog,
  clientPipeline,
  countsByJobAndStage,
  createApplication,
  createPlacement,
  findApplication,
  findPlacement,
  listApplicationsOf,
  liveApplication,
  livePlacementsOf,
  removeApplication,
  removePlacement,
  replacementsOf,
  replacementsOwed,
  updateApplication,
  updatePlacement,
  type ApplicationView,
  type PlacementRecord,
} from '../../db/repositories/pipeline';
import { createStage, findStage, listStages, updateStage, type StageRecord } from '../../db/repositories/stages';
import type { AppliedFieldChange } from '../../db/sync/apply';
import { StaleRecordError, type Actor } from '../../db/sync/write';
import { actorOf, savingVersion } from './actor';
import type { HandlerContext } from './context';
import { toJob } from './jobs';
import type { HandlerMap } from './types';

// The pipeline's handlers. A move to the placed stage makes a placement in the same transaction as the move:
// the fee from the posting's terms (contract/placements.ts), the guarantee's end, and one of the posting's
// openings taken (the last one fills the posting). A move out of placed removes the placement and gives the
// opening back; so does a departure inside the guarantee. The posting's `openings` therefore always counts what
// is still to fill, and its forecast (openings × fee × probability) what is still to earn.

type Trx = HandlerContext['db'];

export const toStage = (s: StageRecord): Stage => ({ id: s.id, key: s.key, name: s.name, kind: s.kind, sortOrder: s.sort_order, active: s.active === 1 });

export function toPlacement(p: PlacementRecord, replacedById: string | null = null): Placement {
  return {
    id: p.id,
    applicationId: p.application_id,
    candidateId: p.candidate_id,
    jobId: p.job_id,
    startDate: p.start_date,
    salaryMinor: p.salary_minor,
    salaryCurrency: p.salary_currency,
    salaryPeriod: p.salary_period,
    feeType: p.fee_type,
    feePercent: p.fee_percent,
    feeFixedMinor: p.fee_fixed_minor,
    retainerInstalments: p.retainer_instalments,
    annualSalaryMinor: p.annual_salary_minor,
    feeMinor: p.fee_minor,
    guaranteeDays: p.guarantee_days,
    guaranteePolicy: p.guarantee_policy,
    proRataDays: p.pro_rata_days,
    guaranteeEndDate: p.guarantee_end_date,
    replacesId: p.replaces_id,
    leftOn: p.left_on,
    settlement: p.settlement,
    refundMinor: p.refund_minor,
    replacedById,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
    version: p.version,
  };
}

/** Applications as the UI shows them, each with its live placement. */
async function toApplications(db: Trx, rows: ApplicationView[]): Promise<Application[]> {
  const placements = await livePlacementsOf(db, rows.map((r) => r.id));
  const replaced = await replacementsOf(db, placements.map((p) => p.id));
  const byApplication = new Map(placements.map((p) => [p.application_id, p]));
  return rows.map((r) => {
    const placement = byApplication.get(r.id);
    return {
      id: r.id,
      candidateId: r.candidate_id,
      candidateCode: r.candidate_code,
      candidateName: r.candidate_name,
      candidateTitle: r.candidate_title,
      jobId: r.job_id,
      jobCode: r.job_code,
      jobTitle: r.job_title,
      jobStatus: r.job_status,
      clientId: r.client_id,
      clientName: r.client_name,
      stageId: r.stage_id,
      stageChangedAt: r.stage_changed_at,
      stageChangedByName: r.stage_changed_by_name,
      notes: r.notes,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      deletedAt: r.deleted_at,
      version: r.version,
      placement: placement ? toPlacement(placement, replaced.get(placement.id) ?? null) : null,
    };
  });
}

const applicationGone = () => new AppError('NOT_FOUND', 'This application does not exist any more.', { reason: 'application_not_found' });
const staleApplication = { reason: 'application_changed', message: 'This application was moved or changed meanwhile; the pipeline shows it as it is now.' } as const;
const stalePlacement = { reason: 'placement_changed', message: 'This placement was changed meanwhile; reload it and apply your change again.' } as const;

async function loadApplication(ctx: HandlerContext, id: string): Promise<Application> {
  const row = await findApplication(ctx.db, id);
  if (!row) throw applicationGone();
  return (await toApplications(ctx.db, [row]))[0]!;
}

async function loadPlacement(ctx: HandlerContext, id: string): Promise<Placement> {
  const row = await findPlacement(ctx.db, id);
  if (!row || row.deleted_at) throw new AppError('NOT_FOUND', 'This placement does not exist any more.', { reason: 'placement_not_found' });
  const replaced = await replacementsOf(ctx.db, [id]);
  return toPlacement(row, replaced.get(id) ?? null);
}

async function stageOrFail(trx: Trx, id: string) {
  const stage = await findStage(trx, id);
  if (!stage) throw new AppError('VALIDATION', 'Choose a stage of the pipeline.', { fields: [{ path: 'stageId', message: 'unknown_stage' }] });
  return stage;
}

const jobNotOpen = (job: JobRecord) =>
  new AppError('VALIDATION', `A ${job.status} posting takes no placement.`, { fields: [{ path: 'jobId', message: 'job_not_open', params: { status: job.status } }] });

/** One opening of the posting is filled: the count goes down, and the last one fills the posting. */
async function takeOpening(trx: Trx, actor: Actor, jobId: string, closeReason: string) {
  const job = await findJob(trx, jobId);
  if (!job || (job.status !== 'open' && job.status !== 'on_hold')) return;
  if (job.openings > 1) await updateJob(trx, actor, jobId, { openings: job.openings - 1 });
  else await updateJob(trx, actor, jobId, { status: 'filled', close_reason: closeReason });
}

/** An opening is vacant again: a filled posting reopens, an open one counts one more. */
async function giveOpeningBack(trx: Trx, actor: Actor, jobId: string) {
  const job = await findJob(trx, jobId);
  if (!job) return;
  if (job.status === 'filled') await updateJob(trx, actor, jobId, { status: 'open', close_reason: null });
  else if (job.status === 'open' || job.status === 'on_hold') await updateJob(trx, actor, jobId, { openings: Math.min(999, job.openings + 1) });
}

/** The live placement of an application leaves (a move out of placed, a removed application), giving back its opening. */
async function unplace(trx: Trx, actor: Actor, applicationId: string) {
  for (const placement of await livePlacementsOf(trx, [applicationId])) {
    await removePlacement(trx, actor, placement.id);
    if (holdsOpening(placement)) await giveOpeningBack(trx, actor, placement.job_id);
  }
}

async function place(ctx: HandlerContext, trx: Trx, actor: Actor, app: ApplicationView, input: NonNullable<ParsedInput<'applications.move'>['placement']>) {
  const job = await findJob(trx, app.job_id);
  if (!job) throw new AppError('NOT_FOUND', 'This job posting does not exist any more.', { reason: 'job_not_found' });
  if (job.status !== 'open' && job.status !== 'on_hold') throw jobNotOpen(job);
  let replacement = false;
  if (input.replacesId) {
    const owed = await replacementsOwed(trx, job.id);
    if (!owed.some((p) => p.id === input.replacesId)) throw new AppError('VALIDATION', 'This placement owes no replacement on this posting.', { fields: [{ path: 'placement.replacesId', message: 'not_replaceable' }] });
    replacement = true;
  }
  const terms = { feeType: job.fee_type, feePercent: job.fee_percent, feeFixedMinor: job.fee_fixed_minor, retainerInstalments: job.retainer_instalments };
  const fee = placementFee(terms, input.salaryMinor, input.salaryPeriod, replacement);
  await createPlacement(trx, actor, {
    id: ctx.newId(),
    application_id: app.id,
    candidate_id: app.candidate_id,
    job_id: job.id,
    start_date: input.startDate,
    salary_minor: input.salaryMinor,
    salary_currency: input.salaryCurrency,
    salary_period: input.salaryPeriod,
    fee_type: job.fee_type,
    fee_percent: job.fee_type === 'percentage' ? job.fee_percent : null,
    fee_fixed_minor: job.fee_type === 'fixed' || job.fee_type === 'retainer' ? job.fee_fixed_minor : null,
    retainer_instalments: job.fee_type === 'retainer' ? job.retainer_instalments : null,
    annual_salary_minor: fee.annualSalaryMinor,
    fee_minor: fee.feeMinor ?? 0,
    guarantee_days: job.guarantee_days,
    guarantee_policy: job.guarantee_policy,
    pro_rata_days: job.pro_rata_days,
    guarantee_end_date: guaranteeEnd(input.startDate, job.guarantee_days),
    replaces_id: input.replacesId,
    left_on: null,
    settlement: null,
    refund_minor: 0,
    created_at: actor.at,
    deleted_at: null,
  });
  await takeOpening(trx, actor, job.id, input.closeReason ?? `Placed: ${app.candidate_name}`);
}

function move(ctx: HandlerContext, actor: Actor, input: ParsedInput<'applications.move'>) {
  return async (trx: Trx) => {
    const app = await findApplication(trx, input.id);
    if (!app || app.deleted_at) throw applicationGone();
    if (app.version !== input.version) throw new StaleRecordError('application', input.id, app);
    const to = await stageOrFail(trx, input.stageId);
    if (to.id === app.stage_id) return;
    const from = await findStage(trx, app.stage_id);
    if (to.kind === 'placed' && !input.placement) throw new AppError('VALIDATION', 'A placement needs its start date and salary.', { fields: [{ path: 'placement', message: 'required' }] });
    if (from?.kind === 'placed') await unplace(trx, actor, app.id);
    if (to.kind === 'placed') await place(ctx, trx, actor, app, input.placement!);
    await updateApplication(trx, actor, app.id, { stage_id: to.id, stage_changed_at: actor.at, stage_changed_by: actor.userId }, { version: input.version });
  };
}

export const pipelineHandlers: HandlerMap<
  | 'stages.list' | 'stages.create' | 'stages.update' | 'stages.reorder' | 'applications.create' | 'applications.move' | 'applications.remove' | 'applications.list'
  | 'applications.pipeline' | 'applications.counts' | 'applications.clientTotals' | 'applications.history' | 'placements.recordDeparture'
> = {
  'stages.list': async (ctx, input) => (await listStages(ctx.db, input.includeInactive)).map(toStage),

  'stages.create': async (ctx, input) => {
    const id = ctx.newId();
    const actor = await actorOf(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      const stages = await listStages(trx);
      if (stages.some((s) => s.name.trim().toLowerCase() === input.name.toLowerCase())) {
        throw new AppError('VALIDATION', 'A stage with this name exists.', { fields: [{ path: 'name', message: 'duplicate_stage' }] });
      }
      // Before the offer (the last step on the way), unless the team reorders it; orders stay 10 apart and distinct.
      const active = stages.filter((s) => s.kind === 'active');
      const offer = active.find((s) => s.key === 'offer');
      const ordered = [...active.filter((s) => s !== offer).map((s) => s.id), id, ...(offer ? [offer.id] : [])];
      for (const [index, stageId] of ordered.entries()) {
        const wanted = (index + 1) * 10;
        if (stageId === id) await createStage(trx, actor, { id, name: input.name, kind: 'active', sort_order: wanted, created_at: actor.at });
        else if (active.find((s) => s.id === stageId)!.sort_order !== wanted) await updateStage(trx, actor, stageId, { sort_order: wanted });
      }
    });
    return toStage((await findStage(ctx.db, id))!);
  },

  'stages.update': async (ctx, input) => {
    const actor = await actorOf(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      const stage = await findStage(trx, input.id);
      if (!stage) throw new AppError('NOT_FOUND', 'This stage does not exist.', { reason: 'stage_not_found' });
      // Placed, rejected and withdrawn are what the pipeline ends in: they can be renamed, never retired.
      if (!input.active && stage.kind !== 'active') throw new AppError('VALIDATION', 'This stage cannot be retired.', { fields: [{ path: 'active', message: 'stage_locked' }] });
      const others = await listStages(trx);
      if (others.some((s) => s.id !== stage.id && s.name.trim().toLowerCase() === input.name.toLowerCase())) {
        throw new AppError('VALIDATION', 'A stage with this name exists.', { fields: [{ path: 'name', message: 'duplicate_stage' }] });
      }
      await updateStage(trx, actor, input.id, { name: input.name, active: input.active ? 1 : 0 });
    });
    return toStage((await findStage(ctx.db, input.id))!);
  },

  'stages.reorder': async (ctx, input) => {
    const actor = await actorOf(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      const active = (await listStages(trx)).filter((s) => s.kind === 'active');
      const known = new Set(active.map((s) => s.id));
      if (input.ids.length !== known.size || input.ids.some((id) => !known.has(id)) || new Set(input.ids).size !== input.ids.length) {
        throw new AppError('VALIDATION', 'Name every stage on the way to a hire once.', { fields: [{ path: 'ids', message: 'unknown_stage' }] });
      }
      for (const [index, id] of input.ids.entries()) {
        const stage = active.find((s) => s.id === id)!;
        if (stage.sort_order !== (index + 1) * 10) await updateStage(trx, actor, id, { sort_order: (index + 1) * 10 });
      }
    });
    return (await listStages(ctx.db)).map(toStage);
  },

  'applications.create': async (ctx, input) => {
    const id = ctx.newId();
    const actor = await actorOf(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      const candidate = await findCandidate(trx, input.candidateId);
      if (!candidate || candidate.deleted_at) throw new AppError('NOT_FOUND', 'This candidate does not exist or was removed.', { reason: 'candidate_not_found' });
      const job = await findJob(trx, input.jobId);
      if (!job) throw new AppError('VALIDATION', 'Choose a job posting.', { fields: [{ path: 'jobId', message: 'unknown_job' }] });
      if (job.status === 'filled' || job.status === 'cancelled') throw jobNotOpen(job);
      if (await liveApplication(trx, input.candidateId, input.jobId)) {
        throw new AppError('VALIDATION', 'This candidate already applied to this posting.', { fields: [{ path: 'jobId', message: 'already_applied' }] });
      }
      const stage = await stageOrFail(trx, input.stageId ?? appliedStageId);
      // A placement is made by moving an application to Placed, with its start date and salary.
      if (stage.kind === 'placed' || !stage.active) throw new AppError('VALIDATION', 'An application starts in an active stage.', { fields: [{ path: 'stageId', message: 'unknown_stage' }] });
      await createApplication(trx, actor, {
        id, candidate_id: input.candidateId, job_id: input.jobId, stage_id: stage.id, stage_changed_at: actor.at, stage_changed_by: actor.userId, notes: input.notes, created_at: actor.at, deleted_at: null,
      });
    });
    return loadApplication(ctx, id);
  },

  'applications.move': async (ctx, input) => {
    const actor = await actorOf(ctx);
    await savingVersion(() => ctx.db.transaction().execute(move(ctx, actor, input)), () => loadApplication(ctx, input.id), staleApplication);
    return loadApplication(ctx, input.id);
  },

  'applications.remove': async (ctx, input) => {
    const actor = await actorOf(ctx);
    await savingVersion(
      () =>
        ctx.db.transaction().execute(async (trx) => {
          const app = await findApplication(trx, input.id);
          if (!app || app.deleted_at) throw applicationGone();
          if (app.version !== input.version) throw new StaleRecordError('application', input.id, app);
          await unplace(trx, actor, app.id);
          await removeApplication(trx, actor, app.id, { version: input.version });
        }),
      () => loadApplication(ctx, input.id),
      staleApplication,
    );
    return { id: input.id };
  },

  'applications.list': async (ctx, input) => toApplications(ctx.db, await listApplicationsOf(ctx.db, { candidateId: input.candidateId, jobId: input.jobId })),

  'applications.pipeline': async (ctx, input) => {
    const jobRow = await findJob(ctx.db, input.jobId);
    if (!jobRow) throw new AppError('NOT_FOUND', 'This job posting does not exist any more.', { reason: 'job_not_found' });
    const [rows, stages, counts, owed] = await Promise.all([
      listApplicationsOf(ctx.db, { jobId: input.jobId }),
      listStages(ctx.db),
      countsByJobAndStage(ctx.db, [input.jobId]),
      replacementsOwed(ctx.db, input.jobId),
    ]);
    const used = new Set(counts.map((c) => c.stage_id));
    return {
      job: toJob(jobRow),
      stages: stages.filter((s) => s.active === 1 || used.has(s.id)).map(toStage),
      applications: await toApplications(ctx.db, rows),
      counts: counts.map((c) => ({ stageId: c.stage_id, count: Number(c.n) })),
      replacementsOwed: owed.map((p) => ({ placementId: p.id, candidateName: p.full_name, leftOn: p.left_on! })),
    };
  },

  'applications.counts': async (ctx, input) => {
    const [stages, counts] = await Promise.all([listStages(ctx.db), countsByJobAndStage(ctx.db, input.jobIds)]);
    const kind = new Map(stages.map((s) => [s.id, s.kind]));
    const out = new Map(input.jobIds.map((id) => [id, { jobId: id, total: 0, active: 0, placed: 0 }]));
    for (const row of counts) {
      const entry = out.get(row.job_id)!;
      const n = Number(row.n);
      entry.total += n;
      if (kind.get(row.stage_id) === 'active') entry.active += n;
      if (kind.get(row.stage_id) === 'placed') entry.placed += n;
    }
    return [...out.values()];
  },

  'applications.clientTotals': async (ctx, input) => {
    const totals = await clientPipeline(ctx.db, input.clientId);
    return { ...totals, total: totals.counts.reduce((sum, c) => sum + c.count, 0) };
  },

  'applications.history': async (ctx, input) => {
    const rows = await applicationLog(ctx.db, input.id);
    const moves: StageMove[] = [];
    for (const row of rows) {
      const change = (JSON.parse(row.changes) as FieldChanges).stage_id as AppliedFieldChange | undefined;
      // A colleague's move that lost to a later one here never happened on this laptop.
      if (!change || change.lost || typeof change.new !== 'string') continue;
      moves.push({
        at: row.changed_at,
        userName: row.user_name,
        fromStageId: row.operation === 'create' ? null : typeof change.old === 'string' ? change.old : null,
        toStageId: change.new,
        device: row.device_id === ctx.deviceId ? 'here' : 'other',
      });
    }
    return moves;
  },

  'placements.recordDeparture': async (ctx, input) => {
    const actor = await actorOf(ctx);
    await savingVersion(
      () =>
        ctx.db.transaction().execute(async (trx) => {
          const placement = await findPlacement(trx, input.id);
          if (!placement || placement.deleted_at) throw new AppError('NOT_FOUND', 'This placement does not exist any more.', { reason: 'placement_not_found' });
          if (placement.version !== input.version) throw new StaleRecordError('placement', input.id, placement);
          if (input.leftOn !== null && input.leftOn < placement.start_date) {
            throw new AppError('VALIDATION', 'The candidate cannot leave before starting.', { fields: [{ path: 'leftOn', message: 'date_before_start', params: { start: placement.start_date } }] });
          }
          const outcome =
            input.leftOn === null
              ? { settlement: null, refundMinor: 0 }
              : departureSettlement({
                  feeMinor: placement.fee_minor, startDate: placement.start_date, guaranteeEndDate: placement.guarantee_end_date, guaranteePolicy: placement.guarantee_policy,
                  proRataDays: placement.pro_rata_days, leftOn: input.leftOn,
                });
          const held = holdsOpening(placement);
          const holds = holdsOpening({ deleted_at: null, settlement: outcome.settlement });
          await updatePlacement(trx, actor, input.id, { left_on: input.leftOn, settlement: outcome.settlement, refund_minor: outcome.refundMinor }, { version: input.version });
          // Left inside the guarantee: the role is vacant again (to refill, or to replace for free).
          if (held && !holds) await giveOpeningBack(trx, actor, placement.job_id);
          else if (!held && holds) {
            const candidate = await findCandidate(trx, placement.candidate_id);
            await takeOpening(trx, actor, placement.job_id, `Placed: ${candidate?.full_name ?? ''}`.trim());
          }
        }),
      () => loadPlacement(ctx, input.id),
      stalePlacement,
    );
    return loadPlacement(ctx, input.id);
  },
};
