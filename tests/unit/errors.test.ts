import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppError, fieldErrorCodes, issuesFromZod } from '../../contract';
import { clientFieldsSchema } from '../../contract/clients';
import { jobFieldsSchema } from '../../contract/jobs';
import { createDispatcher } from '../../main/dispatch';
import { toApiError } from '../../main/errors';
import type { HandlerContext } from '../../main/handlers/context';
import { handlers } from '../../main/handlers';
import { createTaskRunner } from '../../main/tasks/taskRunner';

const sqliteError = (code: string) => Object.assign(new Error(`${code}: details only the log may see`), { code });

describe('one error mapper', () => {
  it('passes typed errors through, and turns database refusals into the typed errors they mean', () => {
    const log = vi.fn();
    const typed = new AppError('NOT_FOUND', 'gone', { reason: 'client_not_found' });
    expect(toApiError(typed, log)).toEqual({ code: 'NOT_FOUND', reason: 'client_not_found', message: 'gone' });
    expect(toApiError(sqliteError('SQLITE_CONSTRAINT_UNIQUE'), log)).toMatchObject({ code: 'CONFLICT', reason: 'data_changed' });
    expect(log).not.toHaveBeenCalled();
    expect(toApiError(sqliteError('SQLITE_BUSY'), log)).toMatchObject({ code: 'BUSY', retryable: true });
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('answers anything else INTERNAL, with the detail only in the log', () => {
    const log = vi.fn();
    const secret = new TypeError('cannot read properties of undefined (reading "company_name") at /home/ana/…');
    const answer = toApiError(secret, log);
    expect(answer.code).toBe('INTERNAL');
    expect(JSON.stringify(answer)).not.toContain('company_name');
    expect(log).toHaveBeenCalledWith(secret);
  });

  describe('the dispatcher and the task runner answer the same failure the same way', () => {
    afterEach(() => vi.restoreAllMocks());

    const failures: [string, unknown][] = [
      ['a typed error', new AppError('VALIDATION', 'bad', { fields: [{ path: 'email', message: 'invalid_email' }] })],
      ['a constraint', sqliteError('SQLITE_CONSTRAINT_FOREIGNKEY')],
      ['a busy database', sqliteError('SQLITE_BUSY')],
      ['a bug', new RangeError('offset out of range')],
    ];
    for (const [name, thrown] of failures) {
      it(name, async () => {
        vi.spyOn(handlers, 'areas.list').mockImplementation(async () => {
          throw thrown;
        });
        const logged: unknown[] = [];
        const dispatch = createDispatcher({} as HandlerContext, { logError: (_channel, error) => logged.push(error) });
        const viaDispatch = await dispatch('areas.list', {});

        const tasks = createTaskRunner(() => 'task-1', (error) => logged.push(error));
        const task = tasks.start('export', async () => {
          throw thrown;
        });
        const viaTask = (await tasks.settled(task.id)).error;

        expect(viaDispatch.ok).toBe(false);
        expect(viaTask).toEqual(viaDispatch.ok ? null : viaDispatch.error);
        // Logged by both or by neither.
        expect(logged.length % 2).toBe(0);
      });
    }
  });
});

describe('typed field codes', () => {
  it('carry their limits as params, never inside the code', () => {
    const parsed = clientFieldsSchema.safeParse({ companyName: 'x'.repeat(201), email: 'a@b.es', areaId: 'a', defaultFeePercent: 120, defaultGuaranteeDays: -1 });
    expect(parsed.success).toBe(false);
    const issues = issuesFromZod(parsed.error!);
    expect(issues).toContainEqual({ path: 'companyName', message: 'max', params: { max: 200 } });
    expect(issues).toContainEqual({ path: 'defaultFeePercent', message: 'max_value', params: { max: 100 } });
    expect(issues).toContainEqual({ path: 'defaultGuaranteeDays', message: 'min', params: { min: 0 } });
  });

  it('turn zod’s own English messages into codes', () => {
    const schema = z.object({ n: z.number(), i: z.number().int(), e: z.email(), d: z.iso.date(), s: z.string().max(3), l: z.array(z.string()).max(1), k: z.enum(['a']) });
    const parsed = schema.safeParse({ n: 'x', i: 1.5, e: 'nope', d: '2026-02-30', s: 'long', l: ['a', 'b'], k: 'b' });
    const issues = issuesFromZod(parsed.error!);
    expect(issues).toEqual([
      { path: 'n', message: 'invalid_number' },
      { path: 'i', message: 'integer' },
      { path: 'e', message: 'invalid_email' },
      { path: 'd', message: 'invalid_date' },
      { path: 's', message: 'max', params: { max: 3 } },
      { path: 'l', message: 'too_many', params: { max: 1 } },
      { path: 'k', message: 'invalid' },
    ]);
    for (const issue of issues) expect(fieldErrorCodes).toContain(issue.message);
  });

  it('still read an older `max:200`-style message as code and params', () => {
    const parsed = z.object({ name: z.string().max(5, { message: 'max:5' }) }).safeParse({ name: 'too long' });
    expect(issuesFromZod(parsed.error!)).toEqual([{ path: 'name', message: 'max', params: { max: 5 } }]);
  });

  it('are the only messages the contract’s schemas set', () => {
    const dir = path.resolve('contract');
    const codes = new Set<string>(fieldErrorCodes);
    const found: string[] = [];
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'sync.ts')) {
      for (const match of fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/message: ['`]([^'`]*)['`]/g)) found.push(`${file}: ${match[1]}`);
    }
    expect(found.length).toBeGreaterThan(20);
    expect(found.filter((f) => !codes.has(f.split(': ')[1]!))).toEqual([]);
  });

  it('word a job posting’s rules with their params', () => {
    const parsed = jobFieldsSchema.safeParse({ title: 'Backend', salaryMinMinor: 9, salaryMaxMinor: 1, salaryCurrency: 'EUR', salaryPeriod: 'year' });
    expect(issuesFromZod(parsed.error!)).toEqual([{ path: 'salaryMaxMinor', message: 'min_above_max' }]);
  });
});
