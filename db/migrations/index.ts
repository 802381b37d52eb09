import type { Kysely } from 'kysely';
import * as m0001 from './0001-initial';

export interface Migration {
  name: string;
  up(db: Kysely<unknown>): Promise<void>;
}

/** Applied in this order, once each. Append only: a landed migration is never edited. */
export const migrations: Migration[] = [{ name: '0001-initial', up: m0001.up }];
