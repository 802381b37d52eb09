import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Change } from '../../contract/sync';
import { testServer, type TestDevice, type TestServer } from './support/server';

// Random interleavings of pushes from several devices — repeated, retried with overlap, sent twice at once, out
// of order — mixed with pulls. Whatever happens, each change is applied exactly once, every device's pull stream
// is the team's commit order (without its own changes), and the merged records are the per-field
// last-writer-wins of all changes, whatever order they arrived in.

let server: TestServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

const base = Date.UTC(2026, 0, 1, 11);
const devices = 3;

interface Plan {
  /** Per device, the sizes of its pushes and, per change, which record and what it does. */
  work: { sizes: number[]; edits: { record: number; kind: number; at: number }[] }[];
  rounds: { device: number; batch: number; mode: 'normal' | 'overlap' | 'twice' | 'pull'; limit: number }[][];
}

const planArbitrary: fc.Arbitrary<Plan> = fc.record({
  work: fc.array(
    fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }).chain((sizes) =>
      fc.record({
        sizes: fc.constant(sizes),
        edits: fc.array(fc.record({ record: fc.integer({ min: 0, max: 2 }), kind: fc.integer({ min: 0, max: 4 }), at: fc.integer({ min: 0, max: 30 }) }), {
          minLength: sizes.reduce((a, b) => a + b, 0),
          maxLength: sizes.reduce((a, b) => a + b, 0),
        }),
      }),
    ),
    { minLength: devices, maxLength: devices },
  ),
  rounds: fc.array(
    fc.array(
      fc.record({
        device: fc.integer({ min: 0, max: devices - 1 }),
        batch: fc.integer({ min: 0, max: 3 }),
        mode: fc.constantFrom('normal', 'overlap', 'twice', 'pull'),
        limit: fc.integer({ min: 1, max: 6 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    { minLength: 1, maxLength: 14 },
  ),
});

/** One change of a contact: a field edit, a delete or a restore, stamped at a chosen wall time. */
function edit(device: TestDevice, { record, kind, at }: Plan['work'][number]['edits'][number], n: number): Change {
  const id = `k${record}`;
  const options = { ms: base + at * 10 };
  if (kind === 3) return device.change('contact', id, 'delete', { deleted_at: `2026-01-01T00:00:${String(n % 60).padStart(2, '0')}.000Z` }, options);
  if (kind === 4) return device.change('contact', id, 'restore', { deleted_at: null }, options);
  const field = ['name', 'notes', 'role'][kind]!;
  return device.change('contact', id, 'update', { [field]: `${device.deviceId}:${n}` }, options);
}

/** The reference merge: for each record and field, the value of the change with the greatest clock. */
function lww(changes: Change[]) {
  const records = new Map<string, Record<string, { value: unknown; hlc: string }>>();
  for (const change of changes) {
    const record = records.get(change.entityId) ?? {};
    for (const [field, { new: value }] of Object.entries(change.changes)) {
      if (!record[field] || change.hlc > record[field]!.hlc) record[field] = { value, hlc: change.hlc };
    }
    records.set(change.entityId, record);
  }
  return new Map([...records].map(([id, fields]) => [id, Object.fromEntries(Object.entries(fields).map(([f, v]) => [f, v.value]))]));
}

const figures = { runs: 0, changes: 0, sent: 0, duplicatesSkipped: 0, gaps: 0, pulls: 0, misses: 0 };

it('any interleaving of pushes and pulls applies each change once and streams commit order to every device', async () => {
  await fc.assert(
    fc.asyncProperty(planArbitrary, async (plan) => {
      const team = await server.team();
      const members = await Promise.all(Array.from({ length: devices }, (_, i) => server.device(team.name, `d${i}-${team.id.slice(0, 6)}`)));
      const batches = members.map((device, d) => {
        const all = plan.work[d]!.edits.map((e, n) => edit(device, e, n));
        const sizes = plan.work[d]!.sizes;
        return sizes.map((_, i) => all.slice(sizes.slice(0, i).reduce((a, b) => a + b, 0), sizes.slice(0, i + 1).reduce((a, b) => a + b, 0)));
      });
      const everything = batches.flatMap((b) => b.flat());
      const acked = members.map(() => 0);
      const streams = members.map((): Change[] => []);
      let sent = 0;

      const push = async (d: number, changes: Change[]) => {
        if (!changes.length) return;
        sent += changes.length;
        const answer = await members[d]!.push(changes);
        if (answer.status === 409) {
          figures.gaps++;
          expect(answer.body.error).toBe('gap');
        } else expect(answer.status).toBe(200);
        expect(answer.body.rejected ?? []).toEqual([]);
        acked[d] = Math.max(acked[d]!, answer.body.lastApplied);
      };
      // A device runs one pull at a time (two from the same cursor would both receive the same page).
      const pulling = members.map(() => Promise.resolve());
      const pull = (d: number, limit: number) =>
        (pulling[d] = pulling[d]!.then(async () => {
          figures.pulls++;
          streams[d]!.push(...(await members[d]!.pullAll(limit)));
        }));

      for (const round of plan.rounds) {
        await Promise.all(
          round.map(async ({ device: d, batch, mode, limit }) => {
            const list = batches[d]!;
            const chosen = list[batch % list.length]!;
            if (mode === 'pull') return pull(d, limit);
            if (mode === 'twice') return Promise.all([push(d, chosen), push(d, chosen)]);
            if (mode === 'overlap') return push(d, list.flat().filter((c) => c.deviceSeq <= chosen.at(-1)!.deviceSeq && c.deviceSeq > Math.max(0, acked[d]! - 2)));
            return push(d, chosen);
          }),
        );
      }
      // Each device then sends what the server still lacks, and pulls to the end.
      for (const [d, list] of batches.entries()) await push(d, list.flat().filter((c) => c.deviceSeq > acked[d]!));
      for (const d of members.keys()) await pull(d, 4);

      const rows = await server.db.selectFrom('changes').select(['device_id', 'device_seq', 'change_id']).where('team_id', '=', team.id).orderBy('version').orderBy('device_seq').execute();
      for (const [d, device] of members.entries()) {
        const seqs = rows.filter((r) => r.device_id === device.deviceId).map((r) => Number(r.device_seq));
        expect(seqs).toEqual(batches[d]!.flat().map((c) => c.deviceSeq));
        const expected = rows.filter((r) => r.device_id !== device.deviceId).map((r) => r.change_id);
        const received = streams[d]!.map((c) => c.id);
        figures.misses += expected.filter((id) => !received.includes(id)).length;
        expect(received).toEqual(expected);
      }
      const merged = await server.db.selectFrom('records').select(['entity_id', 'fields']).where('team_id', '=', team.id).execute();
      expect(new Map(merged.map((r) => [r.entity_id, r.fields]))).toEqual(lww(everything));

      figures.runs++;
      figures.changes += everything.length;
      figures.sent += sent;
      figures.duplicatesSkipped += sent - everything.length;
    }),
    { numRuns: 40 },
  );
  console.log(
    `sync property: ${figures.runs} runs, ${figures.changes} changes applied once each, ${figures.sent} sent, ${figures.duplicatesSkipped} duplicates skipped or refused as gaps (${figures.gaps} gap answers), ${figures.pulls} pulls, misses: ${figures.misses}`,
  );
  expect(figures.misses).toBe(0);
});
