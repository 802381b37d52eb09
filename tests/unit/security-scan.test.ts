import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadJustifications, scan, unjustified, unused, type Finding } from '../tools/security';

// `npm run security` (part of `npm test`) scans the real code; these tests check that the gate itself fails
// on what it should: a finding nobody justified.

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-scan-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const finding = (over: Partial<Finding>): Finding => ({ id: 'PRELOAD_JS_CHECK', severity: 'MEDIUM', confidence: 'FIRM', file: 'main/electron/window.ts', line: 1, sample: 'preload: options.preloadPath,', description: '', ...over });

describe('the Electronegativity gate', () => {
  it('accepts a finding only when its check, file and sample are justified', () => {
    const justified = loadJustifications();
    expect(unjustified([finding({})], justified)).toEqual([]);
    expect(unjustified([finding({ file: 'main/electron/other.ts' })], justified)).toHaveLength(1);
    expect(unjustified([finding({ sample: 'preload: somewhereElse,' })], justified)).toHaveLength(1);
    expect(unjustified([finding({ id: 'NODE_INTEGRATION_JS_CHECK' })], justified)).toHaveLength(1);
    expect(unused([finding({})], justified).map((j) => j.id)).not.toContain('PRELOAD_JS_CHECK');
  });

  it('finds what it is there to find: a window without isolation or sandbox, and no navigation or permission lock', async () => {
    fs.mkdirSync(path.join(dir, 'main'));
    fs.writeFileSync(
      path.join(dir, 'main', 'window.ts'),
      `import { BrowserWindow } from 'electron';\nexport const open = () => new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n`,
    );
    const { findings, errors } = await scan(['main'], dir);
    expect(errors).toEqual([]);
    const open = unjustified(findings, loadJustifications()).map((f) => f.id);
    expect(open).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK']));
  }, 120_000);
});
