import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from './support/server';

let server: TestServer;
beforeAll(async () => {
  server = await testServer({ limits: { documentBytes: 6 * 1024 * 1024 } });
});
afterAll(() => server.close());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const octets = { 'content-type': 'application/octet-stream' };

function files(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

describe('documents', () => {
  it('says which it lacks, takes a body whose hash matches, refuses one that does not, and serves it back', async () => {
    const team = await server.team();
    const device = await server.device(team.name);
    const cv = randomBytes(5 * 1024 * 1024);
    const letter = Buffer.from('Dear client, …');
    const [h1, h2] = [sha256(cv), sha256(letter)];

    expect((await server.call(device.token, 'POST', '/v1/documents/missing', { sha256: [h1, h2, h1] })).body).toEqual({ missing: [h1, h2] });
    expect((await server.call(device.token, 'PUT', `/v1/documents/${h1}`, cv, octets)).status).toBe(201);
    expect((await server.call(device.token, 'POST', '/v1/documents/missing', { sha256: [h1, h2] })).body).toEqual({ missing: [h2] });
    // The same file again is fine and changes nothing.
    expect((await server.call(device.token, 'PUT', `/v1/documents/${h1}`, cv, octets)).status).toBe(200);

    const wrong = await server.call(device.token, 'PUT', `/v1/documents/${h2}`, Buffer.from('Dear client, ...'), octets);
    expect(wrong).toMatchObject({ status: 400, body: { error: 'hash_mismatch' } });
    expect((await server.call(device.token, 'POST', '/v1/documents/missing', { sha256: [h2] })).body).toEqual({ missing: [h2] });

    const back = await server.call<Buffer>(device.token, 'GET', `/v1/documents/${h1}`);
    expect(back.status).toBe(200);
    expect(back.headers['content-type']).toBe('application/octet-stream');
    expect(Buffer.compare(back.body, cv)).toBe(0);
    expect(await server.call(device.token, 'GET', `/v1/documents/${h2}`)).toMatchObject({ status: 404, body: { error: 'not_found' } });
    // Only the stored file is left: no temporary file of the refused upload.
    expect(files(server.documentsDir).map((file) => path.basename(file))).toEqual([h1]);
  });

  it("another team's documents are not there for a device", async () => {
    const [teamA, teamB] = [await server.team(), await server.team()];
    const [a, b] = [await server.device(teamA.name), await server.device(teamB.name)];
    const body = Buffer.from('team A only');
    await server.call(a.token, 'PUT', `/v1/documents/${sha256(body)}`, body, octets);
    expect((await server.call(b.token, 'GET', `/v1/documents/${sha256(body)}`)).status).toBe(404);
    expect((await server.call(b.token, 'POST', '/v1/documents/missing', { sha256: [sha256(body)] })).body).toEqual({ missing: [sha256(body)] });
  });

  it('refuses a document over the limit, whether it says so up front or only while streaming', async () => {
    const team = await server.team();
    const device = await server.device(team.name);
    const big = Buffer.alloc(6 * 1024 * 1024 + 1, 7);
    expect((await server.call(device.token, 'PUT', `/v1/documents/${sha256(big)}`, big, octets)).body).toMatchObject({ error: 'too_large' });
    const streamed = await server.app.inject({
      method: 'PUT',
      url: `/v1/documents/${sha256(big)}`,
      headers: { authorization: `Bearer ${device.token}`, ...octets },
      payload: Readable.from([big.subarray(0, 4 * 1024 * 1024), big.subarray(4 * 1024 * 1024)]),
    });
    expect(streamed.statusCode).toBe(413);
    expect(streamed.json()).toMatchObject({ error: 'too_large' });
    expect((await server.call(device.token, 'POST', '/v1/documents/missing', { sha256: [sha256(big)] })).body).toEqual({ missing: [sha256(big)] });
  });

  it('over a real socket, an upload over the limit gets its 413 answer, and a good one streams in and out', async () => {
    const team = await server.team();
    const device = await server.device(team.name);
    // Listening from here on (closed with the app after the file's tests).
    const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const big = Buffer.alloc(7 * 1024 * 1024, 1);
    const refused = await fetch(`${address}/v1/documents/${sha256(big)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${device.token}`, ...octets },
      body: Readable.toWeb(Readable.from([big.subarray(0, 1024 * 1024), big.subarray(1024 * 1024)])) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({ error: 'too_large' });
    const body = randomBytes(3 * 1024 * 1024);
    const stored = await fetch(`${address}/v1/documents/${sha256(body)}`, { method: 'PUT', headers: { authorization: `Bearer ${device.token}`, ...octets }, body });
    expect(stored.status).toBe(201);
    const back = await fetch(`${address}/v1/documents/${sha256(body)}`, { headers: { authorization: `Bearer ${device.token}` } });
    expect(Buffer.compare(Buffer.from(await back.arrayBuffer()), body)).toBe(0);
  });

  it('refuses a malformed hash or request', async () => {
    const team = await server.team();
    const device = await server.device(team.name);
    expect((await server.call(device.token, 'GET', '/v1/documents/ABC')).body).toMatchObject({ error: 'bad_request' });
    expect((await server.call(device.token, 'PUT', `/v1/documents/${'g'.repeat(64)}`, Buffer.from('x'), octets)).status).toBe(400);
    expect((await server.call(device.token, 'POST', '/v1/documents/missing', { sha256: ['nope'] })).status).toBe(400);
    expect((await server.call(device.token, 'POST', '/v1/documents/missing', { sha256: Array(1001).fill('a'.repeat(64)) })).status).toBe(400);
    expect((await server.call(null, 'PUT', `/v1/documents/${'a'.repeat(64)}`, Buffer.from('x'), octets)).status).toBe(401);
  });
});
