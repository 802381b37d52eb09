import { describe, expect, it } from 'vitest';
import { changeSchema, entityFields, pullRequestSchema, syncedEntities, validateChange, type Change } from '../../contract/sync';
import { ChangeMaker, fullRecord } from '../support/syncChanges';

// The rules both sides use to decide whether a change can be applied (contract/sync.ts: validateChange).

const device = new ChangeMaker('dev-1', () => Date.UTC(2026, 0, 1));
const reason = (change: Change) => validateChange(changeSchema.parse(change))?.reason ?? null;

describe('validateChange', () => {
  it('accepts a complete create of every entity, and the test records are complete', () => {
    for (const entity of syncedEntities) {
      const id = entity === 'event_owner' || entity === 'duplicate_dismissal' ? 'e1:u1' : `${entity}-1`;
      const create = device.create(entity, id);
      expect(Object.keys(create.changes).sort()).toEqual(Object.keys(entityFields[entity]).sort());
      expect(validateChange(create), entity).toBeNull();
    }
  });

  it('names why a change is refused for good', () => {
    expect(reason(device.change('planet', 'p', 'update', { name: 'x' }))).toBe('unknown_entity');
    expect(reason(device.change('client', 'c', 'update', { colour: 'x' }))).toBe('unknown_field');
    expect(reason(device.change('client', 'c', 'update', { status: 'asleep' }))).toBe('invalid_value');
    expect(reason(device.change('client', 'c', 'update', { email: 42 }))).toBe('invalid_value');
    expect(reason(device.change('job', 'j', 'update', { expected_close_date: '2026-13-01' }))).toBe('invalid_value');
    expect(reason(device.change('client', 'c', 'create', { ...fullRecord('client', 'c'), phone: undefined }))).toBe('invalid_value');
    const { phone: _phone, ...withoutPhone } = fullRecord('client', 'c');
    expect(reason(device.change('client', 'c', 'create', withoutPhone))).toBe('missing_field');
    expect(reason(device.change('client', 'c', 'update', {}))).toBe('invalid_change');
    expect(reason(device.change('client', 'c', 'update', { archived_at: '2026-01-01T00:00:00.000Z' }))).toBe('invalid_change');
    expect(reason(device.change('client', 'c', 'delete', { archived_at: null }))).toBe('invalid_change');
    expect(reason(device.change('client', 'c', 'delete', { archived_at: '2026-01-01T00:00:00.000Z', phone: null }))).toBe('invalid_change');
    expect(reason(device.change('client', 'c', 'restore', { archived_at: '2026-01-01T00:00:00.000Z' }))).toBe('invalid_change');
    expect(reason(device.change('area', 'a', 'delete', { active: 0 }))).toBe('invalid_change');
    expect(reason(device.change('event_owner', 'e1', 'delete', { deleted_at: '2026-01-01T00:00:00.000Z' }))).toBe('invalid_change');
    expect(reason(device.change('event_owner', 'e1:u2', 'create', { event_id: 'e1', user_id: 'u1', deleted_at: null }))).toBe('invalid_change');
    expect(reason(device.change('duplicate_dismissal', 'c1', 'delete', { deleted_at: '2026-01-01T00:00:00.000Z' }))).toBe('invalid_change');
    expect(reason(device.change('duplicate_dismissal', 'c1:c3', 'create', fullRecord('duplicate_dismissal', 'c1:c2')))).toBe('invalid_change');
    expect(reason({ ...device.change('area', 'a', 'update', { name: 'x' }), deviceId: 'dev-2' })).toBe('invalid_change');
  });

  it('accepts deletes, restores and updates that follow the rules; old values are not checked', () => {
    expect(reason(device.change('client', 'c', 'delete', { archived_at: '2026-01-01T00:00:00.000Z' }))).toBeNull();
    expect(reason(device.change('contact', 'k', 'restore', { deleted_at: null }))).toBeNull();
    const update = device.change('area', 'a', 'update', { name: 'Tech' });
    update.changes.name!.old = { anything: true };
    expect(reason(update)).toBeNull();
  });

  it('pull queries default and bound their cursor and limit', () => {
    expect(pullRequestSchema.parse({})).toEqual({ cursor: '0', limit: 1000, own: '0' });
    expect(pullRequestSchema.parse({ cursor: '12', limit: '50' })).toEqual({ cursor: '12', limit: 50, own: '0' });
    expect(pullRequestSchema.safeParse({ limit: '0' }).success).toBe(false);
    expect(pullRequestSchema.safeParse({ cursor: '-1' }).success).toBe(false);
  });
});
