// Text folding shared by search and the duplicate rules. Company names and web domains for duplicate
// detection are read by contract/companies.ts and contract/domains.ts.

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

/**
 * "Telefónica, S.A." → "telefonica"; "Johnson & Johnson" → "johnson and johnson". Still the contacts' "same person"
 * comparison of names; companies are compared by contract/companies.ts (`companyKey`, `readCompanyName`).
 */
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
