import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';

// electron-builder cannot package here (it downloads Electron), but its own configuration loader and schema
// run offline: the file is read exactly as `npm run dist` reads it, and a misspelt key fails the schema.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const load = () => getConfig(root, 'electron-builder.yml', null);

describe('electron-builder.yml', () => {
  it('is valid for electron-builder', async () => {
    await expect(validateConfiguration(await load(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('flips every fuse that hardens the shipped binary', async () => {
    const { electronFuses } = await load();
    expect(electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
  });

  it('packs the app into an asar archive (what the asar-only and integrity fuses check) and keeps native modules outside it', async () => {
    const config = await load();
    // asar is on unless turned off; with it off, onlyLoadAppFromAsar would leave nothing to load.
    expect(config.asar ?? true).not.toBe(false);
    expect(config.asarUnpack).toContain('**/*.node');
  });
});
