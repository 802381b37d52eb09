import type { Kysely } from 'kysely';
import * as m0001 from './0001-initial';
import * as m0002 from './0002-email-domain-index';
import * as m0003 from './0003-client-stats';
import * as m0004 from './0004-drop-legacy-fts';
import * as m0005 from './0005-client-stats-insert';
import * as m0006 from './0006-dashboard-aggregates';
import * as m0007 from './0007-sync-log';
import * as m0008 from './0008-duplicate-keys';
import * as m0009 from './0009-candidates';
import * as m0010 from './0010-merges';
import * as m0011 from './0011-candidate-tag-sources';

export interface Migration {
  name: string;
  up(db: Kysely<unknown>): Promise<void>;
}

/** Applied in this order, once each. Append only: a landed migration is never edited. */
export const migrations: Migration[] = [
  { name: '0001-initial', up: m0001.up },
  { name: '0002-email-domain-index', up: m0002.up },
  { name: '0003-client-stats', up: m0003.up },
  { name: '0004-drop-legacy-fts', up: m0004.up },
  { name: '0005-client-stats-insert', up: m0005.up },
  { name: '0006-dashboard-aggregates', up: m0006.up },
  { name: '0007-sync-log', up: m0007.up },
  { name: '0008-duplicate-keys', up: m0008.up },
  { name: '0009-candidates', up: m0009.up },
  { name: '0010-merges', up: m0010.up },
  { name: '0011-candidate-tag-sources', up: m0011.up },
];
