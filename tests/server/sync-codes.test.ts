import { expect, it } from 'vitest';
import { readSetting } from '../../db/repositories/settings';
import { addTeam } from '../../server/src/admin';
import { listeningTeamServer, type Laptop } from './support/laptop';

// Client and job codes stay unique across a team. Each laptop draws its code tag at random on its first run;
// two laptops that drew the same one and gave out codes offline meet on the server: the first keeps its tag,
// the second gets a free one from the server and renames the codes it gave out, and both end with the same
// records under distinct codes, the old codes kept in the history.

const sync = listeningTeamServer({ deviceTag: 'AB12' });
type Rt = Laptop;
const laptop = sync.laptop;

async function createOffline(rt: Rt, names: string[]) {
  const [area] = await rt.call<{ id: string }[]>('areas.list', {});
  const ids: string[] = [];
  for (const name of names) {
    const client = await rt.call<{ id: string; code: string }>('clients.create', { companyName: name, email: `info@${name.toLowerCase().replace(/\W+/g, '')}.example`, areaId: area!.id });
    ids.push(client.id);
  }
  await rt.call('jobs.create', { clientId: ids[0], title: `Analyst at ${names[0]}` });
  return ids;
}

const codes = async (rt: Rt) => ({
  clients: (await rt.db.selectFrom('clients').select(['id', 'code']).orderBy('id').execute()),
  jobs: (await rt.db.selectFrom('jobs').select(['id', 'code']).orderBy('id').execute()),
});

it('two laptops that drew the same code tag end with distinct codes, the second renamed through the write path', async () => {
  const team = await addTeam(sync.server.db, 'Codes team');
  const ana = await laptop(team.name, 'ana@example.com');
  const luis = await laptop(team.name, 'luis@example.com');
  try {
    await createOffline(ana, ['Alfa Norte', 'Beta Norte']);
    const luisClients = await createOffline(luis, ['Gamma Sur', 'Delta Sur']);
    // Both handed out CL-AB12-0001 and CL-AB12-0002, and JB-AB12-0001.
    expect((await codes(luis)).clients.map((c) => c.code).sort()).toEqual((await codes(ana)).clients.map((c) => c.code).sort());

    for (const rt of [ana, luis, ana]) expect((await rt.ctx.sync.syncNow()).problem).toBeNull();

    expect(await readSetting(ana.db, 'deviceTag')).toBe('AB12');
    const tag = await readSetting(luis.db, 'deviceTag');
    expect(tag).not.toBe('AB12');
    const [onAna, onLuis] = [await codes(ana), await codes(luis)];
    expect(onAna).toEqual(onLuis);
    expect(new Set(onAna.clients.map((c) => c.code)).size).toBe(4);
    expect(new Set(onAna.jobs.map((j) => j.code)).size).toBe(2);
    for (const id of luisClients) expect(onLuis.clients.find((c) => c.id === id)!.code).toMatch(new RegExp(`^CL-${String(tag)}-\\d{4}$`));
    // The old code stays readable in the history, and a new client on Luis's laptop takes the new tag.
    const history = await luis.call<{ entries: { changes: { field: string; old: unknown; new: unknown }[] }[] }>('clients.history', { clientId: luisClients[0] });
    expect(history.entries.flatMap((e) => e.changes).filter((c) => c.field === 'code').map((c) => c.old)).toContain('CL-AB12-0001');
    const [area] = await luis.call<{ id: string }[]>('areas.list', {});
    const fresh = await luis.call<{ code: string }>('clients.create', { companyName: 'Epsilon Sur', email: 'info@epsilonsur.example', areaId: area!.id });
    expect(fresh.code).toBe(`CL-${String(tag)}-0003`);
  } finally {
    await ana.dispose();
    await luis.dispose();
  }
});
