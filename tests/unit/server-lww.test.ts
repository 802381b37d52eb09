import { describe, expect, it } from 'vitest';
import { applyToRecord, packClocks, unpackClocks } from '../../server/src/lww';
import { ChangeMaker } from '../support/syncChanges';

// The sync server's per-field merge and the way it stores each field's clock.

const a = new ChangeMaker('dev-a', () => Date.UTC(2026, 0, 1));
const b = new ChangeMaker('dev-b', () => Date.UTC(2026, 0, 1));

describe('applyToRecord', () => {
  it('takes each field from the change with the greater clock and names the clock that beat a losing field', () => {
    const create = a.create('area', 'x', {}, { ms: 1000 });
    const later = b.change('area', 'x', 'update', { name: 'B' }, { ms: 3000 });
    const earlier = a.change('area', 'x', 'update', { name: 'A', sort_order: 7 }, { ms: 2000 });
    let state = applyToRecord(undefined, create).state;
    state = applyToRecord(state, later).state;
    const merged = applyToRecord(state, earlier);
    expect(merged.state.fields).toMatchObject({ name: 'B', sort_order: 7, active: 1 });
    expect(merged.lost).toEqual({ name: later.hlc });
    expect(merged.state.clocks).toMatchObject({ name: later.hlc, sort_order: earlier.hlc, active: create.hlc });
    // The input state is left as it was.
    expect(state.fields.sort_order).toBe(0);
  });
});

describe('packClocks', () => {
  it('keeps the shared clock once and the others by field, and unpacks to the same clocks', () => {
    const clocks = { name: 'h2', sort_order: 'h1', active: 'h1', key: 'h1', created_at: 'h1' };
    const packed = packClocks(clocks);
    expect(packed).toEqual({ '*': 'h1', name: 'h2' });
    const fields = { name: 'B', sort_order: 7, active: 1, key: null, created_at: '2026-01-01T00:00:00.000Z' };
    expect(unpackClocks(fields, packed)).toEqual(clocks);
    expect(packClocks({})).toEqual({});
    expect(unpackClocks({}, {})).toEqual({});
  });
});
