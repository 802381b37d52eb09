import { entityFields } from '../../contract/sync';
import type { ClientRecord } from '../../db/repositories/clients';
import type { ClientWritePlan, NewContact } from './clientWrites';
import type { Target } from './importClientMatches';

/** A client a batch creates: with its contacts (on its target) and the note of its history entry. */
export interface PendingCreate {
  target: Target;
  line: number;
  note: string | null;
  contact: NewContact | null;
}

/** A client already written (in the database, or by an earlier batch of this run) that a batch changes. */
export interface PendingUpdate {
  original: ClientRecord;
  target: Target;
  lines: number[];
  notes: string[];
  newContacts: NewContact[];
}

/** What one batch of a clients import will write, as its rows are checked. */
export class BatchWrites {
  readonly creates: PendingCreate[] = [];
  readonly updates = new Map<string, PendingUpdate>();

  /** The update of a written client, started (from the client as it is now) at the first row that changes it. */
  updateOf(target: Target): PendingUpdate {
    let update = this.updates.get(target.record.id);
    if (!update) this.updates.set(target.record.id, (update = { original: { ...(target.record as ClientRecord) }, target, lines: [], notes: [], newContacts: [] }));
    return update;
  }

  /** The create of a client this batch creates. */
  createOf(target: Target): PendingCreate | undefined {
    return this.creates.find((c) => c.target === target);
  }

  /**
   * The plan the writer commits: new clients with their contacts, and the changes to existing ones with their
   * history. `noteOf` gives each new contact's history note (and forgets it).
   */
  plan(by: ClientWritePlan['by'], noteOf: (contact: NewContact) => string | null): ClientWritePlan {
    const planned = this.creates.map((c) => {
      const { seq: _seq, ...record } = c.target.record;
      // A copy: later rows (in the next batch, before this plan is sent to the writer) add contacts to the target.
      const contacts = [...c.target.contacts] as NewContact[];
      return { record, contacts, line: c.line, note: c.note, contactNotes: contacts.map(noteOf) };
    });
    const changes = [...this.updates].map(([id, u]) => {
      const { seq: _seq, version: _version, id: _id, code: _code, created_at: _created, search_text: _search, ...after } = u.target.record as ClientRecord;
      // Synced fields only: the writer logs and bumps the version for those alone (keys and times are derived).
      const patch = Object.fromEntries(Object.entries(after).filter(([field, value]) => field in entityFields.client && (u.original[field as keyof ClientRecord] ?? null) !== (value ?? null)));
      const changed = Object.keys(patch).length > 0;
      // The writer checks this version and bumps it; later batches update from the bumped one.
      if (changed) u.target.record.version = u.original.version + 1;
      return { id, version: u.original.version, patch: changed ? patch : null, note: u.notes.join(' '), newContacts: [...u.newContacts], contactNotes: u.newContacts.map(noteOf), lines: u.lines };
    });
    this.updates.clear();
    return { creates: planned, updates: changes, by };
  }
}
