import type { ImportRowCheck } from '../../contract/transfer';

/** A data row of the file and its line as a spreadsheet numbers it (the header is line 1). */
export interface SourceRow {
  line: number;
  cells: string[];
}

export interface RowResult extends ImportRowCheck {
  /** Created or updated although it resembles other clients. */
  warned: boolean;
}
