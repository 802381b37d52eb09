import type { ImportRowCheck } from '../../contract/transfer';
import type { ClientWritePlan } from './clientWrites';

/** A data row of the file and its line as a spreadsheet numbers it (the header is line 1). */
export interface SourceRow {
  line: number;
  cells: string[];
  /** Columns whose cell is merged down from the row above (Excel): it repeats that row's value. */
  merged?: number[];
}

export interface RowResult extends ImportRowCheck {
  /** Created or updated although it resembles other clients. */
  warned: boolean;
}

/** A checked batch: each row's outcome, and what to write (null when the importer wrote it itself, or for a dry run). */
export interface BatchOutcome {
  results: RowResult[];
  plan: ClientWritePlan | null;
}
