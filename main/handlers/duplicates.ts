import type { Kysely } from 'kysely';
import type { DuplicateCheck } from '../../contract/clients';
import type { DuplicateMatch } from '../../contract/errors';
import {
  emailDomain,
  isPublicMailDomain,
  nameSimilarity,
  normalizeCompanyName,
  normalizeEmail,
  similarNameThreshold,
  websiteDomain,
} from '../../contract/normalize';
import { findBlockingDuplicates, findClientRecord, findClientsByDomainKeys, findNameCandidates, type ClientRecord } from '../../db/repositories/clients';
import type { DB } from '../../db/schema';

export interface DuplicateQuery {
  companyName: string;
  email: string;
  website?: string | null | undefined;
  /**
   * The client being edited: it never matches itself, and only the fields the edit changes are checked (its
   * stored name, email and website passed the rules when they were saved, or were saved past them on purpose).
   */
  excludeId?: string | null | undefined;
}

/** Which field of the client each reason comes from. */
const reasonField = { email: 'email', email_domain: 'email', name: 'name', similar_name: 'name', domain: 'website' } as const;

type Candidate = { id: string; code: string; company_name: string; email: string };

/**
 * The duplicate rules. Blocking: the same normalised email or company name. Warning: the same website
 * domain, the same company email domain (public mail providers excluded), or a similar name.
 * Runs live while the user types and again inside the save transaction.
 */
export async function findDuplicates(
  db: Kysely<DB>,
  query: DuplicateQuery,
  /** The edited client's stored keys, when the caller has read them already (the save transaction). */
  stored?: Pick<ClientRecord, 'name_key' | 'email_key' | 'domain_key'>,
): Promise<DuplicateCheck> {
  const nameKey = query.companyName.trim() ? normalizeCompanyName(query.companyName) : '';
  const emailKey = query.email.trim() ? normalizeEmail(query.email) : '';
  const excludeId = query.excludeId ?? null;
  const byId = new Map<string, DuplicateMatch>();
  const add = (c: Candidate, reason: string) => {
    const match = byId.get(c.id) ?? { id: c.id, code: c.code, companyName: c.company_name, email: c.email, reasons: [] };
    if (!match.reasons.includes(reason)) match.reasons.push(reason);
    byId.set(c.id, match);
  };

  if (nameKey || emailKey) {
    const blocking = await findBlockingDuplicates(db, { nameKey: nameKey || '\u0000', emailKey: emailKey || '\u0000', excludeId });
    for (const c of blocking) {
      if (emailKey && c.email_key === emailKey) add(c, 'email');
      if (nameKey && c.name_key === nameKey) add(c, 'name');
    }
  }

  const site = websiteDomain(query.website);
  const mailDomain = emailKey ? emailDomain(emailKey) : null;
  const companyMailDomain = mailDomain && !isPublicMailDomain(mailDomain) ? mailDomain : null;
  const domains = [...new Set([site, companyMailDomain].filter((d): d is string => !!d))];
  for (const c of await findClientsByDomainKeys(db, domains, { excludeId, limit: 20 })) {
    if (site && (c.domain_key === site || emailDomain(c.email_key) === site)) add(c, 'domain');
    if (companyMailDomain && (emailDomain(c.email_key) === companyMailDomain || c.domain_key === companyMailDomain)) add(c, 'email_domain');
  }

  if (nameKey) {
    for (const c of await findNameCandidates(db, nameKey, excludeId)) {
      if (c.name_key !== nameKey && nameSimilarity(nameKey, c.name_key) >= similarNameThreshold) add(c, 'similar_name');
    }
  }

  if (excludeId) {
    const edited = stored ?? (await findClientRecord(db, excludeId));
    if (edited) {
      const unchanged = { email: edited.email_key === emailKey, name: edited.name_key === nameKey, website: edited.domain_key === site };
      for (const [id, match] of byId) {
        match.reasons = match.reasons.filter((r) => !unchanged[reasonField[r as keyof typeof reasonField] ?? 'name']);
        if (!match.reasons.length) byId.delete(id);
      }
    }
  }

  const blockingReasons = new Set(['email', 'name']);
  const all = [...byId.values()];
  return {
    blocking: all.filter((m) => m.reasons.some((r) => blockingReasons.has(r))),
    warnings: all.filter((m) => !m.reasons.some((r) => blockingReasons.has(r))).slice(0, 10),
  };
}
