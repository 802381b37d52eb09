// Normalised keys for duplicate detection. Pure functions: the renderer runs them live while the
// user types and main runs them again inside the save transaction, so both agree by construction.

/**
 * Legal forms that do not distinguish one company from another, already stripped of dots
 * ("S.L.U." → "slu"). Only removed from the end of a name, repeatedly ("Zara España S.L.U." and
 * "Grupo Bimbo S.A.B. de C.V."), so a word like "Co" or "SA" inside a name is kept.
 */
const legalForms = [
  'sociedad anonima', 'sociedad limitada', 'sociedad limitada unipersonal', 'sa de cv', 'sab de cv', 's de rl de cv', 's de rl',
  'slu', 'sl', 'sa', 'sau', 'sas', 'sll', 'slne', 'scoop', 'sccl', 'sc', 'scp', 'cb', 'se', 'sad',
  'ltda', 'inc', 'incorporated', 'llc', 'ltd', 'limited', 'plc', 'gmbh', 'ag', 'kg', 'corp', 'corporation',
  'co', 'company', 'cia', 'bv', 'nv', 'srl', 'spa', 'oy', 'ab', 'pty', 'sarl', 'lp', 'llp', 'and co', 'y cia',
].sort((a, b) => b.length - a.length);
const trailingLegalForm = new RegExp(`\\s(?:${legalForms.join('|')})$`);

export function stripAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '');
}

/** Lower case without accents: how search compares text ("Telefónica" and "telefonica" are equal). */
export function foldForSearch(text: string): string {
  return stripAccents(text).toLowerCase();
}

/** "Telefónica, S.A." → "telefonica"; "ACME Corp." → "acme"; "Johnson & Johnson" → "johnson and johnson". */
export function normalizeCompanyName(name: string): string {
  const base = stripAccents(name)
    .toLowerCase()
    .replace(/&/g, ' and ')
    // Dotted initials collapse before punctuation goes: "s. l. u." → "slu", "l.l.c." → "llc".
    .replace(/\b([a-z])\.\s?(?=[a-z]\b)/g, '$1')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  // A leading English article is style, not identity: "The Coca-Cola Company" is "Coca-Cola".
  let key = base.replace(/^the\s+(?=\S)/, '');
  for (let previous = ''; previous !== key; ) {
    previous = key;
    const stripped = key.replace(trailingLegalForm, '').trim();
    // A name that is nothing but a legal form keeps its letters rather than becoming empty.
    if (stripped) key = stripped;
  }
  return key;
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

/** Mail providers whose domain says nothing about the company: a shared domain there is no hint. */
export const publicMailDomains = new Set([
  'gmail.com', 'googlemail.com', 'outlook.com', 'outlook.es', 'hotmail.com', 'hotmail.es', 'hotmail.co.uk', 'live.com',
  'live.com.mx', 'msn.com', 'yahoo.com', 'yahoo.es', 'yahoo.co.uk', 'yahoo.fr', 'ymail.com', 'icloud.com', 'me.com', 'mac.com',
  'aol.com', 'protonmail.com', 'proton.me', 'gmx.com', 'gmx.es', 'gmx.de', 'web.de', 'mail.com', 'zoho.com', 'yandex.com',
  'telefonica.net', 'movistar.es', 'orange.es', 'terra.es', 'ono.com', 'vodafone.es', 'btinternet.com', 'free.fr', 'laposte.net',
]);

export function isPublicMailDomain(domain: string | null): boolean {
  return !!domain && publicMailDomains.has(domain);
}

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

/** Names at least this similar are shown as possible duplicates (a warning, never a block). */
export const similarNameThreshold = 0.5;
