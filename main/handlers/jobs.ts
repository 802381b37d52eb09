import { AppError, type ParsedInput } from '../../contract';
import { forecast } from '../../contract/forecast';
import { canMove, type Job, type JobStatus } from '../../contract/jobs';
import { findClientRecord } from '../../db/repositories/clients';
import { nextCode } from '../../db/repositories/codes';
import { createJob, findJob, jobTotals, listJobs, removeJob, updateJob, type JobRecord } from '../../db/repositories/jobs';
import { findUser } from '../../db/repositories/users';
import { StaleRecordError } from '../../db/sync/write';
import { actorOf, savingVersion } from './actor';
import type { HandlerContext } from './context';
import { decodeCursor, encodeCursor } from './cursor';
import type { HandlerMap } from './types';

type JobView = JobRecord & { client_name: string; owner_name: string | null };

export function toJob(r: JobView): Job {
  return {
    id: r.id,
    clientId: r.client_id,
    clientName: r.client_name,
    code: r.code,
    title: r.title,
    status: r.status,
    closeReason: r.close_reason,
    openings: r.openings,
    location: r.location,
    workMode: r.work_mode,
    employmentType: r.employment_type,
    salaryMinMinor: r.salary_min_minor,
    salaryMaxMinor: r.salary_max_minor,
    salaryCurrency: r.salary_currency,
    salaryPeriod: r.salary_period,
    feeType: r.fee_type,
    feePercent: r.fee_percent,
    feeFixedMinor: r.fee_fixed_minor,
    retainerInstalments: r.retainer_instalments,
    paymentTermsDays: r.payment_terms_days,
    guaranteeDays: r.guarantee_days,
    guaranteePolicy: r.guarantee_policy,
    proRataDays: r.pro_rata_days,
    cancellationFeeMinor: r.cancellation_fee_minor,
    clauseNotes: r.clause_notes,
    probability: r.probability,
    expectedCloseDate: r.expected_close_date,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    forecast: forecast({
      feeType: r.fee_type,
      feePercent: r.fee_percent,
      feeFixedMinor: r.fee_fixed_minor,
      salaryMinMinor: r.salary_min_minor,
      salaryMaxMinor: r.salary_max_minor,
      salaryPeriod: r.salary_period,
      openings: r.openings,
      probability: r.probability,
    }),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

type Fields = Omit<ParsedInput<'jobs.create'>, 'clientId'>;

function columns(f: Fields) {
  return {
    title: f.title, status: f.status, close_reason: f.status === 'filled' || f.status === 'cancelled' ? f.closeReason : null, openings: f.openings, location: f.location,
    work_mode: f.workMode, employment_type: f.employmentType, salary_min_minor: f.salaryMinMinor, salary_max_minor: f.salaryMaxMinor,
    salary_currency: f.salaryCurrency, salary_period: f.salaryPeriod, fee_type: f.feeType, fee_percent: f.feeType === 'percentage' ? f.feePercent : null,
    fee_fixed_minor: f.feeType === 'fixed' || f.feeType === 'retainer' ? f.feeFixedMinor : null, retainer_instalments: f.feeType === 'retainer' ? f.retainerInstalments : null,
    payment_terms_days: f.paymentTermsDays, guarantee_days: f.guaranteeDays, guarantee_policy: f.guaranteePolicy, pro_rata_days: f.proRataDays,
    cancellation_fee_minor: f.cancellationFeeMinor, clause_notes: f.clauseNotes, probability: f.probability, expected_close_date: f.expectedCloseDate, owner_id: f.ownerId,
  };
}

async function checkOwner(trx: HandlerContext['db'], ownerId: string | null, keep: string | null) {
  if (!ownerId || ownerId === keep) return;
  const owner = await findUser(trx, ownerId);
  if (!owner || !owner.active) throw new AppError('VALIDATION', 'Choose an active team member as owner.', { fields: [{ path: 'ownerId', message: 'unknown_user' }] });
}

const stale = { reason: 'job_changed', message: 'This posting was changed meanwhile; reload it and apply your change again.' } as const;
const gone = () => new AppError('NOT_FOUND', 'This job posting does not exist any more.', { reason: 'job_not_found' });

async function loadJob(ctx: HandlerContext, id: string): Promise<Job> {
  const row = await findJob(ctx.db, id);
  if (!row) throw gone();
  return toJob(row);
}

export const jobHandlers: HandlerMap<'jobs.list' | 'jobs.totals' | 'jobs.get' | 'jobs.create' | 'jobs.update' | 'jobs.duplicate' | 'jobs.delete'> = {
  'jobs.list': async (ctx, input) => {
    const after = decodeCursor(input.cursor);
    const rows = await listJobs(ctx.db, { ...input, limit: input.limit + 1, after });
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    return {
      rows: page.map(toJob),
      nextCursor: rows.length > input.limit && last ? encodeCursor(String(last.sort_value), last.id) : null,
    };
  },

  'jobs.totals': (ctx, input) => jobTotals(ctx.db, input),
  'jobs.get': (ctx, input) => loadJob(ctx, input.id),

  'jobs.create': async (ctx, input) => {
    const id = ctx.newId();
    const actor = await actorOf(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      if (!(await findClientRecord(trx, input.clientId))) throw new AppError('NOT_FOUND', 'This client does not exist or was removed.', { reason: 'client_not_found' });
      await checkOwner(trx, input.ownerId, null);
      await createJob(trx, actor, { id, client_id: input.clientId, code: await nextCode(trx, 'JB'), ...columns(input), created_at: actor.at, deleted_at: null });
    });
    return loadJob(ctx, id);
  },

  'jobs.update': async (ctx, input) => {
    const actor = await actorOf(ctx);
    await savingVersion(
      () =>
        ctx.db.transaction().execute(async (trx) => {
          const existing = await findJob(trx, input.id);
          if (!existing) throw gone();
          if (existing.version !== input.version) throw new StaleRecordError('job', input.id, existing);
          if (!canMove(existing.status, input.status as JobStatus)) {
            throw new AppError('VALIDATION', `A posting cannot go from ${existing.status} to ${input.status}.`, { fields: [{ path: 'status', message: 'invalid_transition', params: { from: existing.status, to: input.status } }] });
          }
          await checkOwner(trx, input.ownerId, existing.owner_id);
          await updateJob(trx, actor, input.id, columns(input), { version: input.version });
        }),
      () => loadJob(ctx, input.id),
      stale,
    );
    return loadJob(ctx, input.id);
  },

  'jobs.duplicate': async (ctx, input) => {
    const id = ctx.newId();
    const actor = await actorOf(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      const source = await findJob(trx, input.id);
      if (!source) throw gone();
      const { client_name: _client, owner_name: _owner, weighted_fee_minor: _weighted, version: _version, updated_at: _updated, ...rest } = source;
      // A copy starts over as a draft with its own code; the commercial terms and clauses carry over.
      const row = { ...rest, id, code: await nextCode(trx, 'JB'), status: 'draft' as const, close_reason: null, created_at: actor.at, deleted_at: null };
      await createJob(trx, actor, row, `Copy of ${source.code}`);
    });
    return loadJob(ctx, id);
  },

  'jobs.delete': async (ctx, input) => {
    const actor = await actorOf(ctx);
    await savingVersion(
      () =>
        ctx.db.transaction().execute(async (trx) => {
          if (!(await findJob(trx, input.id))) throw gone();
          await removeJob(trx, actor, input.id, { version: input.version });
        }),
      () => loadJob(ctx, input.id),
      stale,
    );
    return { id: input.id };
  },
};
