// npm run security: Electronegativity (Doyensec's checker for Electron misconfigurations) over the app's
// Electron code, offline. Fails on any finding that tests/security/electronegativity.json does not justify.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Finding {
  id: string;
  severity: string;
  confidence: string;
  file: string;
  line: number;
  sample: string;
  description: string;
}

export interface Justification {
  id: string;
  file: string;
  sample?: string;
  why: string;
}

interface RawIssue {
  id: string;
  severity: { name?: string } | string;
  confidence: { name?: string } | string;
  file: string;
  location: { line: number; column: number };
  sample?: string;
  description: string;
}
type Run = (options: Record<string, unknown>, forCli: boolean) => Promise<{ issues: RawIssue[]; errors: { file: string; message: string; tolerable: boolean }[] }>;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

/** What ships in the desktop app and runs with Electron's APIs: the main process, the preload and the pages. */
export const scannedFolders = ['main', 'preload', 'renderer', 'contract'];

/**
 * Scans a copy of the given folders (Electronegativity reads a whole directory, and the project root would
 * bring tests, build output and scratch files in). The Electron version is the installed one, given
 * explicitly; the check that looks up Electron's release list online is left out, so the scan works offline.
 */
export async function scan(folders: string[] = scannedFolders, base = root): Promise<{ findings: Finding[]; errors: string[] }> {
  const run = require('@doyensec/electronegativity') as Run;
  const electronVersion = (JSON.parse(fs.readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version;
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-electronegativity-'));
  try {
    for (const folder of folders) fs.cpSync(path.join(base, folder), path.join(copy, folder), { recursive: true });
    const result = await run({ input: copy, isRelative: true, electronVersionOverride: electronVersion, excludeFromScan: ['AvailableSecurityFixesGlobalCheck'] }, false);
    const name = (value: { name?: string } | string) => (typeof value === 'string' ? value : (value.name ?? String(value)));
    return {
      findings: result.issues.map((issue) => ({
        id: issue.id,
        severity: name(issue.severity),
        confidence: name(issue.confidence),
        file: issue.file.split(path.sep).join('/'),
        line: issue.location.line,
        sample: (issue.sample ?? '').trim(),
        description: issue.description,
      })),
      // A file it could not parse is a file it did not check.
      errors: result.errors.filter((e) => !e.tolerable).map((e) => `${path.relative(copy, e.file)}: ${e.message}`),
    };
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

const matches = (finding: Finding, entry: Justification) => entry.id === finding.id && entry.file === finding.file && (!entry.sample || finding.sample.includes(entry.sample));

export function unjustified(findings: Finding[], justified: Justification[]): Finding[] {
  return findings.filter((finding) => !justified.some((entry) => matches(finding, entry)));
}

export function unused(findings: Finding[], justified: Justification[]): Justification[] {
  return justified.filter((entry) => !findings.some((finding) => matches(finding, entry)));
}

export function loadJustifications(file = path.join(root, 'tests/security/electronegativity.json')): Justification[] {
  const list = (JSON.parse(fs.readFileSync(file, 'utf8')) as { justified: Justification[] }).justified;
  for (const entry of list) if (!entry.id || !entry.file || !entry.why?.trim()) throw new Error(`Every justification needs an id, a file and a reason: ${JSON.stringify(entry)}`);
  return list;
}

async function main() {
  const justified = loadJustifications();
  const { findings, errors } = await scan();
  const open = unjustified(findings, justified);
  for (const f of findings) console.log(`${open.includes(f) ? 'UNJUSTIFIED' : 'justified  '} ${f.id} (${f.severity}) ${f.file}:${f.line} ${f.sample.slice(0, 80)}`);
  for (const entry of unused(findings, justified)) console.log(`note: no longer found, remove its justification: ${entry.id} ${entry.file}`);
  for (const error of errors) console.error(`could not scan ${error}`);
  if (open.length || errors.length) {
    console.error(`\nElectronegativity: ${open.length} unjustified finding(s), ${errors.length} file(s) not scanned. Fix them, or justify a finding in tests/security/electronegativity.json.`);
    process.exit(1);
  }
  console.log(`\nElectronegativity: ${findings.length} finding(s), each justified in tests/security/electronegativity.json.`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
