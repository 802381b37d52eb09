import { foldForSearch } from '../../contract/normalize';
import { companyKey, emailKey, normalizePersonName, phoneKey } from '../../contract/people';
import type { Row } from './entities';

// The columns of a candidate derived from its own synced fields, written with every write of the row and never
// logged (db/sync/entities.ts `derive`): a device applying a pulled change computes the same values.

/** A candidate's tags from the stored JSON (an unreadable value reads as none). */
export function tagsOf(json: unknown): string[] {
  if (typeof json !== 'string') return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** A tag as the search text holds it, so a tag filter matches the whole tag and nothing longer ("#java#" is not "#javascript#"). */
export const tagToken = (tag: string) => `#${foldForSearch(tag.trim())}#`;

/**
 * The folded text the candidates list searches: name, email, phone (as stored and as bare digits, so "612345"
 * finds "+34 612 34 56 78"), code, title, employer, location, and the tags as `#tag#`.
 */
export function candidateSearchText(row: Row): string {
  const phone = typeof row.phone === 'string' ? row.phone : '';
  const parts = [row.full_name, row.email, phone, phone.replace(/\D/g, ''), row.code, row.current_title, row.current_company, row.location];
  const text = parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' ');
  return [foldForSearch(text), ...tagsOf(row.tags).map(tagToken)].join(' ');
}

export function deriveCandidate(row: Row): Row {
  const name = String(row.full_name ?? '');
  return {
    name_key: normalizePersonName(name),
    email_key: emailKey(row.email as string | null),
    phone_key: phoneKey(row.phone as string | null),
    company_key: companyKey(row.current_company as string | null),
    search_text: candidateSearchText(row),
  };
}
