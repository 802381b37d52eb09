import type { Kysely } from 'kysely';
import type { PeopleCheck } from '../../contract/candidates';
import type { DuplicateMatch } from '../../contract/errors';
import { normalizeCompanyName } from '../../contract/normalize';
import { normalizePhone } from '../../contract/phone';
import { personDecision, personKeys, personVerdict, samePersonReasons, type PersonKeys, type PersonReason } from '../../contract/people';
import { findCandidatesByKeys } from '../../db/repositories/candidates';
import type { DB } from '../../db/schema';

// The duplicate engine for people: one same-person rule (contract/people.ts) over any kind of person the app
// keeps. The rule:
//
//   reason         | when                                                        | decision
//   email          | the same email address (normalised)                          | block: one address, one person
//   name           | the same name at the same employer, one of them without email | block: nothing tells them apart
//   phone          | the same phone number (normalised with contract/phone.ts)    | warn: switchboards and family phones are shared
//   name_company   | a similar name (trigram ≥ 0.5) at the same employer          | warn: namesakes exist
//
// A match blocks when any of its reasons blocks, else it warns; a warning can be acknowledged by the user (the
// save names the matches it acknowledged), a block cannot. Editing a record checks only the fields the edit
// changes: its stored values passed the rule when they were saved, or were saved past a warning on purpose.
//
// Where people are found is the caller's `PeopleSource`: candidates (all of them, by indexed keys) are one;
// `contactPeople` (the contacts of one client, whose employer is that client); the Contacts tab and the contacts
// imports refuse what the rule blocks among a client's contacts (`blocksAsSamePerson` with `colleagueKeys`).
// Matches travel in the DUPLICATE error's `matches` with the clients' shape (contract/errors.ts), `kind`,
// `name` and `phone` set: `code` is the record's code (''), `companyName` its employer ('' when unknown).

/** A person as a source returns it: what the UI shows, and the keys the rule compares. */
export interface PersonRecord {
  id: string;
  code: string;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  keys: PersonKeys;
}

export interface PeopleSource {
  kind: NonNullable<DuplicateMatch['kind']>;
  /** People (other than `excludeId`) with any of these keys; a superset is fine, the rule decides. */
  lookup(keys: { emailKeys: string[]; phoneKeys: string[]; companyKeys: string[] }, excludeId: string | null): Promise<PersonRecord[]>;
  /** The stored keys of a record being edited. */
  stored(id: string): Promise<PersonKeys | null>;
}

export interface PersonQuery {
  name: string;
  email?: string | null | undefined;
  /** As typed or as stored; normalised here with `defaultCountry` (an unreadable number is not compared). */
  phone?: string | null | undefined;
  company?: string | null | undefined;
  /** The record being edited: never matches itself, and only its changed fields are checked. */
  excludeId?: string | null | undefined;
}

/** The keys of a query, its phone read as the app stores phones. */
export function queryKeys(query: PersonQuery, defaultCountry: string): PersonKeys {
  const phone = normalizePhone(query.phone ?? null, defaultCountry);
  return personKeys({ name: query.name, email: query.email ?? null, phone: phone.ok ? phone.value : null, company: query.company ?? null });
}

const fieldOf: Record<PersonReason, (keyof PersonKeys)[]> = { email: ['emailKey'], name: ['nameKey', 'companyKey', 'emailKey'], phone: ['phoneKey'], name_company: ['nameKey', 'companyKey'] };

function toMatch(kind: DuplicateMatch['kind'], person: PersonRecord, reasons: PersonReason[]): DuplicateMatch {
  return { id: person.id, code: person.code, companyName: person.company ?? '', email: person.email ?? '', reasons, ...personVerdict(reasons), kind, name: person.name, phone: person.phone };
}

/**
 * The rule over people already found: each with the reasons it matches `keys` for, minus reasons resting only
 * on fields the edit left as stored (`unchanged`). Pure: an import runs it on a whole batch's lookups.
 */
export function classifyPeople(kind: DuplicateMatch['kind'], keys: PersonKeys, people: PersonRecord[], unchanged: PersonKeys | null = null): PeopleCheck {
  const blocking: DuplicateMatch[] = [];
  const warnings: DuplicateMatch[] = [];
  for (const person of people) {
    let reasons = samePersonReasons(keys, person.keys);
    if (unchanged) reasons = reasons.filter((r) => fieldOf[r].some((field) => unchanged[field] !== keys[field]));
    if (!reasons.length) continue;
    (personDecision(reasons) === 'block' ? blocking : warnings).push(toMatch(kind, person, reasons));
  }
  const byName = (a: DuplicateMatch, b: DuplicateMatch) => (a.name ?? '').localeCompare(b.name ?? '');
  return { blocking: blocking.sort(byName).slice(0, 10), warnings: warnings.sort(byName).slice(0, 10) };
}

/** Runs the rule for one person against a source: live while the user types, and again inside the save. */
export async function findSamePeople(source: PeopleSource, query: PersonQuery, defaultCountry: string): Promise<PeopleCheck> {
  const keys = queryKeys(query, defaultCountry);
  if (!keys.nameKey && !keys.emailKey && !keys.phoneKey) return { blocking: [], warnings: [] };
  const excludeId = query.excludeId ?? null;
  const people = await source.lookup(
    { emailKeys: keys.emailKey ? [keys.emailKey] : [], phoneKeys: keys.phoneKey ? [keys.phoneKey] : [], companyKeys: keys.companyKey && keys.nameKey ? [keys.companyKey] : [] },
    excludeId,
  );
  return classifyPeople(source.kind, keys, people, excludeId ? await source.stored(excludeId) : null);
}

// ── Sources ────────────────────────────────────────────────────────────────────────────────────────────

const candidateKeys = (row: { name_key: string; email_key: string | null; phone_key: string | null; company_key: string | null }): PersonKeys => ({
  nameKey: row.name_key, emailKey: row.email_key, phoneKey: row.phone_key, companyKey: row.company_key,
});

/** Every live candidate, found by the indexed keys of migration 0009. */
export function candidatePeople(db: Kysely<DB>): PeopleSource {
  return {
    kind: 'candidate',
    async lookup(keys, excludeId) {
      const rows = await findCandidatesByKeys(db, keys, { excludeId });
      return rows.map((r) => ({ id: r.id, code: r.code, name: r.full_name, email: r.email, phone: r.phone, company: r.current_company, keys: candidateKeys(r) }));
    },
    async stored(id) {
      const row = await db.selectFrom('candidates').select(['name_key', 'email_key', 'phone_key', 'company_key']).where('id', '=', id).executeTakeFirst();
      return row ? candidateKeys(row) : null;
    },
  };
}

/**
 * The contacts of one client: their employer is the client, so a similar name alone is the `name_company`
 * reason among them. Ready for the Contacts tab and the contacts import to use the same rule as candidates.
 */
export function contactPeople(db: Kysely<DB>, clientId: string): PeopleSource {
  const load = async () => {
    const client = await db.selectFrom('clients').select('company_name').where('id', '=', clientId).executeTakeFirst();
    const company = client?.company_name ?? null;
    const contacts = await db.selectFrom('client_contacts').select(['id', 'name', 'email', 'phone']).where('client_id', '=', clientId).where('deleted_at', 'is', null).execute();
    return contacts.map((k) => ({ id: k.id, code: '', name: k.name, email: k.email, phone: k.phone, company, keys: personKeys({ name: k.name, email: k.email, phone: k.phone, company }) }));
  };
  return {
    kind: 'contact',
    async lookup(_keys, excludeId) {
      return (await load()).filter((k) => k.id !== excludeId);
    },
    async stored(id) {
      return (await load()).find((k) => k.id === id)?.keys ?? null;
    },
  };
}

/** A contact query for `contactPeople`: the client's name is the employer. */
export const contactQuery = (contact: { name: string; email?: string | null; phone?: string | null }, clientName: string, excludeId: string | null = null): PersonQuery => ({
  name: contact.name,
  email: contact.email ?? null,
  phone: contact.phone ?? null,
  company: normalizeCompanyName(clientName) ? clientName : null,
  excludeId,
});
