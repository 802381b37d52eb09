// Normalised keys for duplicate detection. Pure functions: the renderer runs them live while the
// user types and main runs them again inside the save transaction, so both agree by construction.

/** Legal-form suffixes and prefixes that do not distinguish one company from another. */
const legalForms = [
  'sociedad anonima', 'sociedad limitada', 'slu', 'sl', 'sa', 'sas', 'sau', 'sll', 'slne', 'scoop', 'sc', 'scp', 'cb',
  'ltda', 'inc', 'incorporated', 'llc', 'ltd', 'limited', 'plc', 'gmbh', 'ag', 'kg', 'corp', 'corporation',
  'co', 'company', 'cia', 'bv', 'nv', 'srl', 'spa', 'oy', 'ab', 'as', 'pty', 'sarl', 'lp', 'llp',
];
const legalFormPattern = new RegExp(`(?:^|\\s)(?:${legalForms.join('|')})(?=\\s|$)`, 'g');

export function stripAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '');
}

/** "Telefónica, S.A." → "telefonica"; "ACME Corp." → "acme". */
export function normalizeCompanyName(name: string): string {
  const base = stripAccents(name)
    .toLowerCase()
    .replace(/&/g, ' and ')
    // "S.A." and "S. L. U." collapse into "sa" and "slu" before legal forms are removed.
    .replace(/\b([a-z])\.\s?(?=[a-z]\b\.?)/g, '$1')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  const withoutForms = base.replace(legalFormPattern, ' ').replace(/\s+/g, ' ').trim();
  // A name that is nothing but a legal form keeps its letters rather than becoming empty.
  return (withoutForms || base).replace(/\s+/g, ' ');
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** "https://www.Acme.com/about" → "acme.com"; null when no host can be read. */
export function websiteDomain(website: string | null | undefined): string | null {
  if (!website) return null;
  const trimmed = website.trim();
  if (!trimmed) return null;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
    const host = url.hostname.toLowerCase().replace(/^www\d*\./, '').replace(/\.$/, '');
    return host.includes('.') ? host : null;
  } catch {
    return null;
  }
}

export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  return at > 0 ? normalizeEmail(email.slice(at + 1)) || null : null;
}
