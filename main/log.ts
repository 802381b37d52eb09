import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';

export interface Logger {
  error(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
}

/** Past this size the log is moved to `<name>.old.log` at start-up, so it never grows without bound. */
const MAX_BYTES = 5 * 1024 * 1024;

/**
 * Writes to the console and appends to a file: a packaged app has no console, and a recruiter's bug
 * report needs the log file. `fileFor` is resolved lazily because the logs path only exists once
 * Electron has set its paths. Logging never throws.
 */
export function createLogger(fileFor: () => string | null): Logger {
  let file: string | null | undefined;

  function target(): string | null {
    if (file !== undefined) return file;
    let candidate: string | null;
    try {
      candidate = fileFor();
    } catch {
      return null; // Paths not ready yet: console only for now, try again on the next line.
    }
    try {
      if (candidate) {
        fs.mkdirSync(path.dirname(candidate), { recursive: true });
        if (fs.existsSync(candidate) && fs.statSync(candidate).size > MAX_BYTES) fs.renameSync(candidate, candidate.replace(/\.log$/, '') + '.old.log');
      }
      file = candidate;
    } catch {
      file = null;
    }
    return file;
  }

  function write(level: 'ERROR' | 'WARN' | 'INFO', message: string, detail: unknown) {
    const suffix = detail === undefined ? '' : ` ${detail instanceof Error ? (detail.stack ?? detail.message) : inspect(detail, { depth: 4 })}`;
    const line = `${new Date().toISOString()} ${level} ${message}${suffix}\n`;
    if (level === 'ERROR') console.error(line.trimEnd());
    else if (level === 'WARN') console.warn(line.trimEnd());
    else console.info(line.trimEnd());
    const out = target();
    if (!out) return;
    try {
      fs.appendFileSync(out, line);
    } catch {
      // A full or read-only disk must not turn a logged problem into a crash.
    }
  }

  return {
    error: (message, detail) => write('ERROR', message, detail),
    warn: (message, detail) => write('WARN', message, detail),
    info: (message, detail) => write('INFO', message, detail),
  };
}
