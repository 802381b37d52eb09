// A part of the transfer bench run in a process of its own, so that it runs cold as a user's first import does (no
// check or write code optimised yet, no company name read before): the write ceiling, the import's dry run alone, or
// its overlap floor. The bench starts it (see cold() there) with the path of a JSON file saying what to run, and reads
// the last line it prints: the result, as JSON.
import fs from 'node:fs';
import { ceilingOnCopy, checksOnCopy, overlapFloor, type ColdRun } from './transfer';

const file = process.argv[2];
if (!file) throw new Error('usage: coldRun.ts RUN_JSON');
const run = JSON.parse(fs.readFileSync(file, 'utf8')) as ColdRun;
fs.mkdirSync(run.dataDir, { recursive: true });
const result =
  run.what === 'ceiling'
    ? await ceilingOnCopy(run.base, run.dataDir, run.rows, run.fileName)
    : run.what === 'checks'
      ? await checksOnCopy(run.base, run.dataDir, run.csv, run.input)
      : await overlapFloor(run.base, run.dataDir, run.csv, run.input, run.rows, run.fileName);
process.stdout.write(`\n${JSON.stringify(result)}\n`);
