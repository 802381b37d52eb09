import { create } from 'zustand';
import type { SyncStatus } from '../../../contract/teamSync';
import { api } from '../../lib/api';

interface SyncStore {
  status: SyncStatus | null;
  /** Reads the job's state (quietly: a failed read keeps the last one). */
  refresh(): Promise<void>;
  syncNow(): Promise<void>;
  cancel(): Promise<void>;
}

/** The sync job's state, shared by the navigation's status and Settings → Team sync. */
export const useSyncStore = create<SyncStore>((set) => {
  const take = async (request: Promise<{ ok: true; data: SyncStatus } | { ok: false }>) => {
    const answer = await request;
    if (answer.ok) set({ status: answer.data });
  };
  return {
    status: null,
    refresh: () => take(api().sync.status({})),
    syncNow: () => take(api().sync.now({})),
    cancel: () => take(api().sync.cancel({})),
  };
});
