import { eventOwnerId, formatHlc, type Change, type Operation, type SyncedEntity } from '../../contract/sync';

// Synthetic change-log rows as a device would push them, for the sync server's tests and bench.

const instant = '2026-01-01T00:00:00.000Z';

/** A complete, valid set of fields for a record of each entity (a create must carry every field). */
export function fullRecord(entity: SyncedEntity, id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<SyncedEntity, Record<string, unknown>> = {
    area: { key: null, name: `Area ${id}`, active: 1, sort_order: 0, created_at: instant },
    user: { name: `User ${id}`, email: `${id}@example.com`, active: 1, created_at: instant },
    client: {
      code: `C-${id.slice(-8)}`, company_name: `Company ${id}`, email: `info@${id}.example.com`, area_id: 'area-1', phone: null, website: null, comments: null,
      status: 'active', owner_id: null, default_fee_percent: 20, default_guarantee_days: 90, default_payment_terms_days: 30, lead_id: null, created_at: instant, archived_at: null,
    },
    contact: { client_id: 'client-1', name: `Contact ${id}`, role: 'HR', email: `${id}@example.com`, phone: null, is_primary: 0, notes: null, created_at: instant, deleted_at: null },
    lead: {
      company_name: `Lead ${id}`, contact_name: null, email: null, phone: null, area_id: null, source: null, stage: 'new', owner_id: null, expected_value_minor: null,
      expected_value_currency: null, lost_reason: null, client_id: null, review_candidates: null, created_at: instant, deleted_at: null,
    },
    event: {
      client_id: 'client-1', lead_id: null, type: 'meeting', title: `Meeting ${id}`, notes: 'Talked about the next openings and the fee.', occurred_at: instant, score: null,
      amount_minor: null, amount_currency: null, proposal_state: null, created_by: null, created_at: instant, deleted_at: null,
    },
    event_owner: { event_id: id.split(':')[0] ?? 'event-1', user_id: id.split(':')[1] ?? 'user-1', deleted_at: null },
    attachment: { event_id: 'event-1', sha256: 'a'.repeat(64), file_name: 'cv.pdf', mime_type: 'application/pdf', size_bytes: 1000, created_at: instant, deleted_at: null },
    job: {
      client_id: 'client-1', code: `J-${id.slice(-8)}`, title: 'Backend engineer', status: 'open', close_reason: null, openings: 1, location: 'Madrid', work_mode: 'hybrid',
      employment_type: 'full_time', salary_min_minor: 4_000_000, salary_max_minor: 5_500_000, salary_currency: 'EUR', salary_period: 'year', fee_type: 'percentage',
      fee_percent: 18, fee_fixed_minor: null, retainer_instalments: null, payment_terms_days: 30, guarantee_days: 90, guarantee_policy: 'replacement', pro_rata_days: null,
      cancellation_fee_minor: null, clause_notes: null, probability: 50, expected_close_date: '2026-03-01', owner_id: null, created_at: instant, deleted_at: null,
    },
    pipeline_stage: { key: null, name: `Stage ${id}`, kind: 'active', sort_order: 10, active: 1, created_at: instant },
    candidate: {
      code: `CD-${id.slice(-8)}`, full_name: `Candidate ${id}`, email: `${id}@people.example.com`, phone: null, location: 'Madrid', current_title: 'Engineer', current_company: null,
      source: 'linkedin', tags: '["python"]', notes: null, owner_id: null, created_at: instant, deleted_at: null,
    },
    candidate_document: { candidate_id: 'candidate-1', kind: 'cv', sha256: 'b'.repeat(64), file_name: 'cv.pdf', mime_type: 'application/pdf', size_bytes: 1000, created_at: instant, deleted_at: null },
    application: { candidate_id: 'candidate-1', job_id: 'job-1', stage_id: 'stage-applied', stage_changed_at: instant, stage_changed_by: null, notes: null, created_at: instant, deleted_at: null },
    placement: {
      application_id: 'application-1', candidate_id: 'candidate-1', job_id: 'job-1', start_date: '2026-02-01', salary_minor: 4_800_000, salary_currency: 'EUR', salary_period: 'year',
      fee_type: 'percentage', fee_percent: 20, fee_fixed_minor: null, retainer_instalments: null, annual_salary_minor: 4_800_000, fee_minor: 960_000, guarantee_days: 90,
      guarantee_policy: 'refund', pro_rata_days: 90, guarantee_end_date: '2026-05-02', replaces_id: null, left_on: null, settlement: null, refund_minor: 0, created_at: instant, deleted_at: null,
    },
    duplicate_dismissal: { first_id: id.split(':')[0] ?? 'client-1', second_id: id.split(':')[1] ?? 'client-2', kind: 'client', created_at: instant, deleted_at: null },
    merge: { kind: 'client', survivor_id: 'client-1', merged_id: 'client-2', client_id: 'client-1', snapshot: '{"changes":[],"removed":{"entity":"client","id":"client-2"}}', created_at: instant, undone_at: null },
  };
  return { ...base[entity], ...overrides };
}

export { eventOwnerId };

/**
 * A device that stamps changes the way the app does: a dense sequence from 1 and a hybrid logical clock whose
 * wall time is given (so tests decide which change is later) and whose counter orders changes within one ms.
 */
export class ChangeMaker {
  seq = 0;
  private lastMs = 0;
  private counter = 0;

  constructor(
    readonly deviceId: string,
    private clock: () => number,
  ) {}

  setClock(clock: () => number) {
    this.clock = clock;
  }

  hlc(ms = this.clock()): string {
    if (ms > this.lastMs) {
      this.lastMs = ms;
      this.counter = 0;
    } else this.counter++;
    return formatHlc(this.lastMs, this.counter, this.deviceId);
  }

  change(entity: string, entityId: string, operation: Operation, fields: Record<string, unknown>, options: { ms?: number; id?: string } = {}): Change {
    this.seq++;
    const changes: Change['changes'] = {};
    for (const [field, value] of Object.entries(fields)) changes[field] = { old: null, new: value };
    return {
      id: options.id ?? `${this.deviceId}-${this.seq}`,
      deviceId: this.deviceId,
      deviceSeq: this.seq,
      hlc: this.hlc(options.ms),
      entity,
      entityId,
      clientId: entity === 'client' ? entityId : null,
      operation,
      changes,
      note: null,
      userId: null,
      changedAt: new Date(Math.min(options.ms ?? this.clock(), 8.64e15)).toISOString(),
    };
  }

  create(entity: SyncedEntity, entityId: string, overrides: Record<string, unknown> = {}, options: { ms?: number } = {}): Change {
    return this.change(entity, entityId, 'create', fullRecord(entity, entityId, overrides), options);
  }
}
