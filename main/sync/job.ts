import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Kysely } from 'kysely';
import { maxClockSkewMs, maxPushChanges } from '../../contract/sync';
import type { SyncStatus } from '../../contract/teamSync';
import { readSetting } from '../../db/repositories/settings';
import type { DB } from '../../db/schema';
import { acknowledge, countPending, pendingChanges, pushAllAgain, resendAfter, restampFuture, resumeSequence, writeBaseline } from '../../db/sync/outbox';
import { applyPage } from '../../db/sync/pull';
import { adoptCodeTag } from '../../db/sync/retag';
import { onLocalChanges } from '../../db/sync/write';
import { clientsWithDuplicates } from '../duplicates/companies';
import type { FileStore } from '../files/fileStore';
import { createSyncClient, SyncFailure, type SyncServer } from './client';
import { readSyncConfig, type SecretBox } from './config';

// The sync job: pushes this laptop's changes and pulls its colleagues', in the main process (plain Node, so the
// browser shell runs it too). It runs after local changes (debounced), on an interval, on "Sync now" and when
// the network comes back (the window says so). Offline is a normal state: failed attempts are retried quietly
// with exponential backoff and jitter; only what needs someone to act (a revoked token, a wrong clock) is a
// problem shown in words.

export interface SyncJobOptions {
  db: Kysely<DB>;
  deviceId: string;
  files: FileStore;
  secrets: SecretBox;
  now: () => Date;
  newId: () => string;
  /** For the backoff's jitter; tests pass a seeded one. */
  random?: () => number;
  /** After a local change, how long to wait for more before pushing. */
  debounceMs?: number;
  /** Between syncs when nothing happens. */
  intervalMs?: number;
  /** The longest wait between retries when offline. */
  maxBackoffMs?: number;
  /** How many changes a pull page asks for. */
  pageSize?: number;
  /** How many documents one sync downloads ahead of time (the rest come with the next syncs, or when opened). */
  documentsPerSync?: number;
  /** Builds the HTTP client (tests put a fault-injecting proxy between the app and the server through `url`). */
  connect?: (config: { url: string; token: string; signal: AbortSignal }) => SyncServer;
  log?: (message: string, error?: unknown) => void;
}

const idle = (): SyncStatus => ({
  state: 'off', pending: 0, lastSyncedAt: null, offlineSince: null, problem: null, progress: null, parked: 0, duplicates: [], refused: 0, nextAttemptAt: null,
});

export class SyncJob {
  private status: SyncStatus = idle();
  private running: Promise<void> | null = null;
  private again = false;
  private controller: AbortController | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly o: SyncJobOptions) {
    this.unsubscribe = onLocalChanges((deviceId) => {
      if (deviceId === o.deviceId) this.schedule(o.debounceMs ?? 2000);
    });
  }

  /** Reads the saved settings and, when sync is on, syncs soon. */
  async start(): Promise<void> {
    await this.refresh();
    if (this.status.state !== 'off') this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.controller?.abort();
    await this.running?.catch(() => undefined);
  }

  /** The state as the app shell shows it (pending count read fresh). */
  async current(): Promise<SyncStatus> {
    this.status.pending = await countPending(this.o.db, this.o.deviceId);
    return { ...this.status, duplicates: [...this.status.duplicates] };
  }

  /** Settings changed: off stops, on syncs now. */
  async refresh(): Promise<void> {
    const config = await readSyncConfig(this.o.db, this.o.secrets);
    if (!config.enabled || !config.url || !config.token) {
      this.controller?.abort();
      if (this.timer) clearTimeout(this.timer);
      this.status = { ...idle(), pending: await countPending(this.o.db, this.o.deviceId) };
      return;
    }
    if (this.status.state === 'off') this.status = { ...this.status, state: 'idle' };
    this.failures = 0;
    this.status.problem = null;
  }

  /** Syncs now (or right after the sync under way) and answers with the state it ended in. */
  async syncNow(): Promise<SyncStatus> {
    this.failures = 0;
    await this.run();
    return this.current();
  }

  /** Stops the sync under way; what it already applied stays, the next sync resumes from there. */
  async cancel(): Promise<SyncStatus> {
    this.controller?.abort();
    await this.running?.catch(() => undefined);
    return this.current();
  }

  /** Makes a document's file present here, from the sync server when sync is set up; false when it cannot be had now. */
  async ensureDocument(sha256: string): Promise<boolean> {
    if (this.o.files.has(sha256)) return true;
    const config = await readSyncConfig(this.o.db, this.o.secrets);
    if (!config.enabled || !config.url || !config.token) return false;
    try {
      const controller = new AbortController();
      return await fetchDocument((this.o.connect ?? ((c) => createSyncClient(c)))({ url: config.url, token: config.token, signal: controller.signal }), this.o.files, sha256);
    } catch (error) {
      this.o.log?.(`Could not download document ${sha256}`, error);
      return false;
    }
  }

  private schedule(delayMs: number) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.status.nextAttemptAt = new Date(this.o.now().getTime() + delayMs).toISOString();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, delayMs);
    this.timer.unref?.();
  }

  /** One sync at a time: a request during a sync runs one more right after it. */
  private run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.cycle();
        } while (this.again && !this.stopped);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async cycle(): Promise<void> {
    const config = await readSyncConfig(this.o.db, this.o.secrets);
    if (!config.enabled || !config.url || !config.token) {
      this.status = { ...idle(), pending: await countPending(this.o.db, this.o.deviceId) };
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    const server = (this.o.connect ?? ((c) => createSyncClient(c)))({ url: config.url, token: config.token, signal: controller.signal });
    this.status = { ...this.status, state: 'syncing', nextAttemptAt: null };
    try {
      await this.baseline(controller.signal);
      await this.claimCodeTag(server);
      await this.resume(server, controller.signal);
      await this.push(server);
      await this.pull(server, controller.signal);
      await this.documents(server, controller.signal);
      this.failures = 0;
      this.status = { ...this.status, state: 'idle', problem: null, offlineSince: null, progress: null, lastSyncedAt: this.o.now().toISOString() };
      this.schedule(this.o.intervalMs ?? 60_000);
    } catch (error) {
      this.status.progress = null;
      if (controller.signal.aborted) {
        this.status.state = 'idle';
        return;
      }
      this.failed(error);
    } finally {
      if (this.controller === controller) this.controller = null;
      this.status.pending = await countPending(this.o.db, this.o.deviceId);
    }
  }

  /** What went wrong decides what happens: quiet retries for the network, a problem in words for the rest. */
  private failed(error: unknown) {
    const at = this.o.now().toISOString();
    if (!(error instanceof SyncFailure)) {
      this.o.log?.('Sync failed', error);
      this.retryLater();
      this.status.state = 'error';
      return;
    }
    if (error.transient) {
      this.status = { ...this.status, state: 'offline', offlineSince: this.status.offlineSince ?? at };
      this.retryLater();
      return;
    }
    const problem: SyncStatus['problem'] =
      error.code === 'unauthorized'
        ? { code: 'token_refused' }
        : error.code === 'forbidden'
          ? { code: 'device_mismatch' }
          : error.code === 'clock_skew'
            ? { code: 'clock_ahead', minutes: Math.max(1, Math.round((this.o.now().getTime() - (error.serverTime ?? this.o.now().getTime())) / 60_000)) }
            : error.code === 'not_found'
              ? { code: 'not_a_server' }
              : { code: 'server_refused' };
    this.status = { ...this.status, state: 'error', problem };
    // Nothing changes by retrying soon; a slow retry notices when the administrator or the clock fixed it.
    this.schedule(15 * 60_000);
  }

  private retryLater() {
    this.failures++;
    const ceiling = Math.min(this.o.maxBackoffMs ?? 5 * 60_000, 2000 * 2 ** Math.min(this.failures, 20));
    // Full jitter: a team whose laptops lost the network together does not come back in one wave.
    this.schedule(Math.round((this.o.random ?? Math.random)() * ceiling));
  }

  private async baseline(signal: AbortSignal) {
    const done = await writeBaseline(
      this.o.db,
      { deviceId: this.o.deviceId, userId: null, newId: this.o.newId },
      () => this.o.now().toISOString(),
      (p) => (this.status.progress = { phase: 'baseline', done: p.done, total: p.total }),
      signal,
    );
    if (!done) throw new DOMException('Cancelled', 'AbortError');
  }

  /**
   * Once per tag: the team's server makes this laptop's code tag unique in the team (before anything is pushed,
   * so codes given out offline travel already renamed when the tag was taken).
   */
  private async claimCodeTag(server: SyncServer): Promise<void> {
    const tag = (await this.setting('deviceTag')) as string;
    if ((await this.setting('syncCodeTag')) === tag) return;
    const { codeTag } = await server.hello(this.o.deviceId, tag);
    if (codeTag && codeTag !== tag) {
      const renamed = await adoptCodeTag(this.o.db, { deviceId: this.o.deviceId, userId: null, at: this.o.now().toISOString(), newId: this.o.newId }, tag, codeTag);
      this.o.log?.(`Another laptop of the team uses the code tag ${tag}: this one uses ${codeTag} from now on (${renamed} codes renamed)`);
    }
    await this.save('syncCodeTag', codeTag ?? tag);
  }

  private async setting(key: string): Promise<unknown> {
    return readSetting(this.o.db, key);
  }

  private async save(key: string, value: unknown) {
    const json = JSON.stringify(value);
    await this.o.db.insertInto('settings').values({ key, value: json }).onConflict((oc) => oc.column('key').doUpdateSet({ value: json })).execute();
  }

  /** A new epoch: the server was restored or replaced. Push everything again and pull from the start. */
  private async checkEpoch(epoch: string): Promise<boolean> {
    const known = await this.setting('syncEpoch');
    if (known === epoch) return false;
    if (typeof known === 'string') {
      await pushAllAgain(this.o.db, this.o.deviceId);
      await this.save('syncCursor', '0');
    }
    await this.save('syncEpoch', epoch);
    return typeof known === 'string';
  }

  private async push(server: SyncServer): Promise<void> {
    const total = await countPending(this.o.db, this.o.deviceId);
    let done = 0;
    let restamped = false;
    for (;;) {
      const changes = await pendingChanges(this.o.db, this.o.deviceId, Math.min(500, maxPushChanges));
      if (!changes.length) return;
      this.status.progress = total > 1000 ? { phase: 'push', done, total } : null;
      const epoch = (await this.setting('syncEpoch')) as string | undefined;
      let answer;
      try {
        answer = await server.push({ deviceId: this.o.deviceId, serverEpoch: epoch ?? null, changes });
      } catch (error) {
        if (error instanceof SyncFailure && error.code === 'gap' && error.lastApplied !== undefined) {
          // The server lacks changes this laptop took as acknowledged (a server restored without a new epoch):
          // send again from the first one it lacks.
          await resendAfter(this.o.db, this.o.deviceId, error.lastApplied);
          continue;
        }
        if (error instanceof SyncFailure && error.code === 'clock_skew' && error.serverTime !== undefined && !restamped) {
          // Changes written while this computer's clock ran ahead: once the clock is right again they are
          // stamped with the right time (nobody has seen them yet) and sent.
          const offset = this.o.now().getTime() - error.serverTime;
          if (Math.abs(offset) < maxClockSkewMs / 2) {
            restamped = (await restampFuture(this.o.db, this.o.deviceId, error.serverTime + maxClockSkewMs / 2, this.o.now().getTime())) > 0;
            if (restamped) continue;
          }
        }
        throw error;
      }
      if (await this.checkEpoch(answer.serverEpoch)) continue;
      await acknowledge(this.o.db, this.o.deviceId, answer.lastApplied, this.o.now().toISOString());
      this.status.refused += answer.rejected.length;
      if (answer.rejected.length) this.o.log?.(`The sync server refused ${answer.rejected.length} changes: ${answer.rejected.map((r) => `${r.deviceSeq} ${r.reason} (${r.detail})`).join('; ')}`);
      done += changes.length;
      if (answer.lastApplied < changes.at(-1)!.deviceSeq) throw new SyncFailure('bad_answer', 'The server did not take the whole push');
    }
  }

  /** After a restore from an earlier copy: continue the sequence after the server's, and take back what this laptop wrote since. */
  private async resume(server: SyncServer, signal: AbortSignal): Promise<void> {
    if ((await this.setting('syncResume')) !== true) return;
    const { lastApplied } = await server.hello(this.o.deviceId);
    await resumeSequence(this.o.db, this.o.deviceId, lastApplied);
    await this.save('syncCursor', '0');
    await this.pull(server, signal, true);
    await this.o.db.deleteFrom('settings').where('key', '=', 'syncResume').execute();
  }

  private async pull(server: SyncServer, signal: AbortSignal, own = false): Promise<void> {
    let done = 0;
    for (;;) {
      if (signal.aborted) throw new DOMException('Cancelled', 'AbortError');
      const cursor = ((await this.setting('syncCursor')) as string | undefined) ?? '0';
      const page = await server.pull(cursor, this.o.pageSize ?? 1000, own);
      if (await this.checkEpoch(page.serverEpoch)) {
        await this.push(server);
        continue;
      }
      const outcome = await applyPage(this.o.db, page.changes, page.cursor, this.o.now().toISOString());
      done += page.changes.length;
      this.status.parked = outcome.parked;
      const duplicates = await clientsWithDuplicates(this.o.db, outcome.createdClients);
      this.status.duplicates = [...new Set([...this.status.duplicates, ...duplicates])].slice(-50);
      this.status.progress = done + page.remaining > 1000 ? { phase: 'pull', done, total: done + page.remaining } : null;
      if (!page.more) return;
    }
  }

  /** Uploads the documents the server lacks, then downloads a few missing here ahead of time. */
  private async documents(server: SyncServer, signal: AbortSignal): Promise<void> {
    const local = await this.o.db
      .selectFrom('attachments as a')
      .leftJoin('sync_documents as d', 'd.sha256', 'a.sha256')
      .select('a.sha256')
      .distinct()
      .where('d.sha256', 'is', null)
      .execute();
    const here = local.map((r) => r.sha256).filter((sha) => this.o.files.has(sha));
    for (let i = 0; i < here.length; i += 500) {
      const chunk = here.slice(i, i + 500);
      const missing = new Set(await server.missingDocuments(chunk));
      for (const sha of chunk) {
        if (signal.aborted) throw new DOMException('Cancelled', 'AbortError');
        if (missing.has(sha)) await server.uploadDocument(sha, this.o.files.pathOf(sha));
        await this.o.db.insertInto('sync_documents').values({ sha256: sha, confirmed_at: this.o.now().toISOString() }).onConflict((oc) => oc.doNothing()).execute();
      }
    }
    const wanted = await this.o.db.selectFrom('attachments').select('sha256').distinct().where('deleted_at', 'is', null).execute();
    let fetched = 0;
    for (const { sha256 } of wanted) {
      if (fetched >= (this.o.documentsPerSync ?? 20) || signal.aborted) return;
      if (this.o.files.has(sha256)) continue;
      if (await fetchDocument(server, this.o.files, sha256)) fetched++;
    }
  }
}

/** Downloads one document into the store, kept only when its bytes match its name. */
export async function fetchDocument(server: SyncServer, files: FileStore, sha256: string): Promise<boolean> {
  const download = `${files.root}.${crypto.randomBytes(6).toString('hex')}.download`;
  try {
    if (!(await server.downloadDocument(sha256, download))) return false;
    const stored = await files.putStream(fs.createReadStream(download), Number.MAX_SAFE_INTEGER);
    if (stored.sha256 === sha256) return true;
    // Not the bytes its name says (a damaged transfer): never kept under any name a record points at.
    if (stored.sha256 !== sha256) files.remove(stored.sha256);
    return false;
  } finally {
    fs.rmSync(download, { force: true });
  }
}
