import { normalizeCompanyName, normalizeEmail, stripAccents } from './normalize';

function trigrams(text: string): Set<string> {
  const grams = new Set<string>();
  for (const word of text.split(' ').filter(Boolean)) {
    const padded = `  ${word} `;
    for (let i = 0; i < padded.length - 2; i++) grams.add(padded.slice(i, i + 3));
  }
  return grams;
}

/** Trigram similarity (as PostgreSQL's pg_trgm computes it) of two normalised names, 0–1. */
export function nameSimilarity(a: string, b: string): number {
  const ga = trigrams(a);
  const gb = trigrams(b);
  if (!ga.size || !gb.size) return 0;
  let shared = 0;
  for (const g of ga) if (gb.has(g)) shared++;
  return shared / (ga.size + gb.size - shared);
}

/** The decision and score a person match carries (the renderer shows them, never derives them). */
export function personVerdict(reasons: readonly PersonReason[]): { decision: 'block' | 'warn'; score: number } {
  const decision = personDecision(reasons);
  return { decision, score: decision === 'block' ? 100 : 60 };
}

// The one same-person rule: keys and reasons that tell whether two records describe the same person,
// shared by the renderer (live warnings while typing) and main (checked again inside the save), for
// candidates and — through main/duplicates/people.ts — for any other kind of person the app keeps.
//
// Two records are the same person when:
// - `email`: they have the same email address (normalised). Blocking: one address belongs to one person.
// - `phone`: they have the same phone number (normalised with contract/phone.ts, compared digit by digit,
//   extensions aside). A warning: a switchboard, a shared family phone or an agency's number can be shared.
// - `name`: the same name (normalised) at the same company, and one of them has no email that could tell them
//   apart. Blocking: nothing on file distinguishes the two records.
// - `name_company`: their names are similar (trigram similarity ≥ 0.5, accents, case and punctuation aside)
//   and they work for the same company (its normalised name, legal form aside). A warning: namesakes exist.
//
// A client's contacts all work for that client, so among them `name` is "the same name when either has no
// email" and `name_company` a similar name.

export const personReasons = ['email', 'name', 'phone', 'name_company'] as const;
export type PersonReason = (typeof personReasons)[number];

/** Reasons that block a save (the user cannot acknowledge them); the others warn. */
export const blockingPersonReasons: ReadonlySet<PersonReason> = new Set(['email', 'name']);

/** Names at least this similar, at the same company, are shown as possibly the same person. */
export const similarPersonThreshold = 0.5;

/** "Ana María García-López" → "ana maria garcia lopez": how person names are compared. */
export function normalizePersonName(name: string): string {
  return stripAccents(name)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The digits of a stored phone number (contract/phone.ts stores "+34 612 34 56 78 ext. 12"): "+34612345678".
 * Extensions are left out: two people behind one switchboard share the number, which is the point of the warning.
 */
export function phoneKey(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const main = phone.replace(/\s*ext\.?\s*\d+$/i, '');
  const digits = main.replace(/[^\d+]/g, '');
  return digits.replace(/\D/g, '').length >= 6 ? digits : null;
}

export const emailKey = (email: string | null | undefined): string | null => (email && email.trim() ? normalizeEmail(email) : null);
export const companyKey = (company: string | null | undefined): string | null => (company && company.trim() ? normalizeCompanyName(company) || null : null);

/** The keys a person is compared by, computed from what is stored. */
export interface PersonKeys {
  nameKey: string;
  emailKey: string | null;
  phoneKey: string | null;
  companyKey: string | null;
}

export function personKeys(person: { name: string; email?: string | null; phone?: string | null; company?: string | null }): PersonKeys {
  return { nameKey: normalizePersonName(person.name), emailKey: emailKey(person.email), phoneKey: phoneKey(person.phone), companyKey: companyKey(person.company) };
}

/** Why `a` and `b` may be the same person, in the order the reasons weigh (empty: they are not). */
export function samePersonReasons(a: PersonKeys, b: PersonKeys): PersonReason[] {
  const reasons: PersonReason[] = [];
  if (a.emailKey && a.emailKey === b.emailKey) reasons.push('email');
  const sameCompany = a.companyKey !== null && a.companyKey === b.companyKey;
  if (sameCompany && a.nameKey && a.nameKey === b.nameKey && (!a.emailKey || !b.emailKey)) reasons.push('name');
  if (a.phoneKey && a.phoneKey === b.phoneKey) reasons.push('phone');
  if (sameCompany && !reasons.includes('name') && a.nameKey && b.nameKey && nameSimilarity(a.nameKey, b.nameKey) >= similarPersonThreshold) reasons.push('name_company');
  return reasons;
}

/** Whether a match with these reasons blocks the save or only warns. */
export function personDecision(reasons: readonly PersonReason[]): 'block' | 'warn' {
  return reasons.some((r) => blockingPersonReasons.has(r)) ? 'block' : 'warn';
}

/** Whether the rule refuses `b` as a second record of `a` (a blocking reason, not just a warning). */
export function blocksAsSamePerson(a: PersonKeys, b: PersonKeys): boolean {
  return samePersonReasons(a, b).some((r) => blockingPersonReasons.has(r));
}

/** The keys of a client's contact: every contact of one client has that client as employer. */
export function colleagueKeys(person: { name: string; email?: string | null; email_key?: string | null; phone?: string | null }): PersonKeys {
  return { ...personKeys({ name: person.name, email: person.email_key ?? person.email ?? null, phone: person.phone ?? null }), companyKey: 'employer' };
}
