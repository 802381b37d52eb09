import type { Kysely } from 'kysely';
import { readSetting, writeSetting } from '../../db/repositories/settings';
import type { DB } from '../../db/schema';

/**
 * Keeps the device token unreadable in the database file where the system offers a keychain (Electron's
 * safeStorage on the desktop); in the browser shell, or where no keychain is available, it is kept as it is —
 * and Settings says so.
 */
export interface SecretBox {
  storage: 'system' | 'database';
  seal(secret: string): string;
  open(sealed: string): string;
}

export const plainSecrets: SecretBox = { storage: 'database', seal: (s) => s, open: (s) => s };

export interface SyncConfig {
  url: string | null;
  token: string | null;
  enabled: boolean;
  team: string | null;
  userEmail: string | null;
}

export async function readSyncConfig(db: Kysely<DB>, secrets: SecretBox): Promise<SyncConfig> {
  const [url, sealed, enabled, team, userEmail] = await Promise.all(['syncServerUrl', 'syncToken', 'syncEnabled', 'syncTeam', 'syncUserEmail'].map((key) => readSetting(db, key)));
  let token: string | null = null;
  if (typeof sealed === 'string') {
    try {
      token = secrets.open(sealed);
    } catch {
      // Sealed by another keychain (the data folder was copied to another computer): ask for the token again.
      token = null;
    }
  }
  return {
    url: typeof url === 'string' ? url : null,
    token,
    enabled: enabled === true,
    team: typeof team === 'string' ? team : null,
    userEmail: typeof userEmail === 'string' ? userEmail : null,
  };
}

export async function saveSyncConfig(db: Kysely<DB>, secrets: SecretBox, config: { url: string | null; token?: string | null; enabled: boolean; team?: string | null; userEmail?: string | null }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await writeSetting(trx, 'syncServerUrl', config.url);
    await writeSetting(trx, 'syncEnabled', config.enabled);
    if (config.token) await writeSetting(trx, 'syncToken', secrets.seal(config.token));
    if (config.team !== undefined) await writeSetting(trx, 'syncTeam', config.team);
    if (config.userEmail !== undefined) await writeSetting(trx, 'syncUserEmail', config.userEmail);
  });
}
