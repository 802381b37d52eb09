// How a company name is read for duplicate detection: pure functions shared by the writer (which stores the
// lookup keys of every client, db/sync/matchKeys.ts) and the engine that compares two companies
// (main/duplicates/companies.ts). Both must read a name the same way, so both call these.
//
// A name is folded (case, accents, punctuation, "&"), split into words, abbreviations are spelled out,
// legal forms are removed from its end (Spanish, Latin American, English, German, French, Portuguese and a
// few more), and connectors ("de", "and", "the") dropped. What is left is compared three ways: the whole name
// (`key`: the same name however written, a block), its words (a brand alone against the brand with more
// words, a warning) and its distinctive words with a typo allowed (a warning). Generic words (sectors,
// "Group", countries, cities) never count as evidence on their own.

import { companyMailDomain, websiteDomain } from './domains';

export function stripAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '');
}

/** Words that join other words and say nothing about the company. */
const connectors = new Set([
  'and', 'y', 'e', 'et', 'und', 'of', 'de', 'del', 'la', 'el', 'los', 'las', 'the', 'du', 'des', 'der', 'die', 'das', 'da', 'do', 'dos', 'le', 'les', 'l', 'd', 'von', 'van', 'di', 'a', 'al',
]);

/** Abbreviations spelled out, so "Intl" and "International" or "Hnos." and "Hermanos" read the same. */
const abbreviations: Record<string, string> = {
  intl: 'international', int: 'international', natl: 'national', mfg: 'manufacturing', svcs: 'services', svc: 'services', servs: 'services',
  bros: 'brothers', hnos: 'hermanos', hno: 'hermanos', cia: 'compania', sta: 'santa', sto: 'santo',
  st: 'saint', ste: 'sainte', mt: 'mount', assoc: 'associates', asoc: 'asociados', tech: 'technology', techs: 'technologies',
  tecnol: 'tecnologia', dist: 'distribuciones', distrib: 'distribuciones', constr: 'construcciones', inv: 'inversiones',
  grp: 'group', hldgs: 'holdings', hldg: 'holding', ctr: 'center', ctro: 'centro', univ: 'university', inst: 'institute', fdn: 'foundation',
  soc: 'sociedad', ges: 'gestion', serv: 'servicios', sist: 'sistemas',
};

/**
 * Legal forms, as the words they fold to (dots and spaces gone, single letters joined: "S. de R.L." → "s de rl").
 * Removed from the end of a name only, repeatedly ("Bimbo S.A.B. de C.V.", "Müller GmbH & Co. KG"), so a
 * word such as "Co" inside a name stays.
 */
const legalPhrases = [
  // Spain and Latin America
  'sociedad anonima', 'sociedad anonima cerrada', 'sociedad anonima abierta', 'sociedad limitada', 'sociedad limitada unipersonal', 'sociedad de responsabilidad limitada',
  'sociedad cooperativa', 'sociedad civil', 'sociedad en comandita', 's en c', 'sa', 'sau', 'sal', 'sl', 'slu', 'sll', 'slne', 'scoop', 'coop', 'sccl', 'sc', 'scp', 'cb', 'sad',
  'sab', 'sapi', 'cv', 'rl', 's', 'srl', 'sas', 'sac', 'saa', 'saic', 'sacifi', 'sacif', 'ca', 'eirl', 'spa', 'ltda', 'limitada', 'unipersonal',
  // Portugal and Brazil
  'lda', 'sociedade anonima', 'sociedade limitada', 'unipessoal', 'eireli', 'me', 'epp',
  // English-speaking countries
  'inc', 'incorporated', 'llc', 'llp', 'lp', 'pllc', 'plc', 'ltd', 'limited', 'corp', 'corporation', 'co', 'company', 'pty', 'pvt', 'private limited',
  'public limited company', 'limited liability company', 'ulc', 'pc',
  // Germany, Austria, Switzerland
  'gmbh', 'ag', 'kg', 'kgaa', 'ohg', 'gbr', 'ug', 'ev', 'mbh', 'gesellschaft mit beschrankter haftung', 'aktiengesellschaft', 'haftungsbeschrankt',
  // France, Belgium
  'sarl', 'sasu', 'eurl', 'sci', 'snc', 'sca', 'scs', 'cie', 'societe anonyme', 'societe par actions simplifiee', 'sprl', 'bvba',
  // Elsewhere in Europe
  'se', 'bv', 'nv', 'oy', 'oyj', 'ab', 'as', 'asa', 'aps', 'sp z oo', 'kft', 'zrt', 'doo', 'ad',
].map((p) => p.split(' '));

/**
 * Words that describe a kind of company, a grouping or a place: two names that share only these are not the
 * same company ("Grupo Alfa" and "Grupo Beta", "Madrid Consulting" and "Madrid Logistics").
 */
const groupingAndPlaceWords = new Set([
  // groupings
  'group', 'grupo', 'gruppe', 'groupe', 'grupa', 'holding', 'holdings', 'compania', 'company', 'companies', 'corporacion', 'corporativo', 'enterprises', 'enterprise',
  'empresas', 'empresa', 'industries', 'industrias', 'industrial', 'international', 'internacional', 'international', 'global', 'worldwide', 'partners', 'partner',
  'associates', 'asociados', 'brothers', 'hermanos', 'hijos', 'sons', 'familia', 'family', 'team', 'network', 'red', 'alliance', 'alianza', 'union', 'national',
  'nacional', 'general', 'united', 'unidos', 'new', 'nueva', 'nuevo', 'neue', 'nouveau', 'nouvelle', 'first', 'primera', 'primero', 'best', 'top', 'pro', 'plus', 'one',
  'sociedad', 'cooperativa', 'cooperative', 'asociacion', 'association',
  // places: continents, countries and regions, and the cities most agencies' clients are in
  'america', 'americas', 'latam', 'latinoamerica', 'latin', 'europe', 'europa', 'european', 'europea', 'iberica', 'iberico', 'iberian', 'emea', 'asia', 'pacific',
  'africa', 'north', 'south', 'norte', 'sur', 'east', 'west', 'este', 'oeste', 'spain', 'espana', 'spanien', 'espagne', 'mexico', 'mexicana', 'mexicano', 'colombia',
  'peru', 'chile', 'argentina', 'uruguay', 'paraguay', 'bolivia', 'ecuador', 'venezuela', 'brasil', 'brazil', 'portugal', 'france', 'francia', 'germany', 'deutschland',
  'alemania', 'italia', 'italy', 'uk', 'gb', 'britain', 'british', 'england', 'usa', 'us', 'canada', 'ireland', 'netherlands', 'holland', 'belgium', 'suisse', 'schweiz',
  'switzerland', 'austria', 'osterreich', 'catalunya', 'cataluna', 'andalucia', 'galicia', 'canarias', 'baleares', 'levante', 'madrid', 'barcelona', 'valencia',
  'sevilla', 'malaga', 'zaragoza', 'murcia', 'alicante', 'cordoba', 'granada', 'vigo', 'coruna', 'gijon', 'oviedo', 'pamplona', 'valladolid', 'salamanca', 'cdmx',
  'monterrey', 'guadalajara', 'puebla', 'bogota', 'medellin', 'cali', 'lima', 'quito', 'caracas', 'montevideo', 'aires', 'buenos', 'rosario', 'sao', 'paulo', 'rio',
  'lisboa', 'lisbon', 'porto', 'london', 'manchester', 'paris', 'lyon', 'marseille', 'berlin', 'munich', 'munchen', 'hamburg', 'frankfurt', 'koln', 'dusseldorf',
  'stuttgart', 'wien', 'vienna', 'zurich', 'geneve', 'milano', 'roma', 'dublin', 'amsterdam', 'brussels', 'york', 'miami', 'texas', 'california', 'city', 'ciudad',
]);

/** Kinds of business: two companies of one brand in different sectors are sister companies, not one. */
const sectorWords = new Set([
  // sectors
  'consulting', 'consultants', 'consultores', 'consultoria', 'consultora', 'beratung', 'conseil', 'consultoria', 'advisors', 'advisory', 'asesores', 'asesoria', 'services',
  'servicios', 'service', 'servicio', 'dienstleistungen', 'solutions', 'soluciones', 'solucoes', 'losungen', 'systems', 'sistemas', 'systeme', 'technology', 'technologies',
  'tecnologia', 'tecnologias', 'technologie', 'technik', 'software', 'digital', 'data', 'cloud', 'it', 'ti', 'informatica', 'computing', 'labs', 'laboratories', 'laboratory',
  'laboratorios', 'laboratorio', 'logistics', 'logistica', 'logistik', 'logistique', 'transport', 'transports', 'transportes', 'transporte', 'spedition', 'shipping',
  'construction', 'construcciones', 'constructora', 'bau', 'engineering', 'ingenieria', 'ingenieros', 'engenharia', 'ingenierie', 'manufacturing', 'fabricacion',
  'marketing', 'media', 'medios', 'comunicacion', 'communications', 'publicidad', 'advertising', 'design', 'diseno', 'studio', 'estudio', 'creative', 'agency', 'agencia',
  'finance', 'financial', 'financiera', 'finanzas', 'capital', 'investments', 'inversiones', 'invest', 'bank', 'banco', 'banca', 'banque', 'bancaria', 'seguros', 'insurance',
  'versicherung', 'assurances', 'health', 'healthcare', 'salud', 'medical', 'medica', 'clinica', 'clinic', 'hospital', 'pharma', 'farma', 'farmaceutica', 'pharmaceuticals',
  'energy', 'energia', 'energie', 'power', 'solar', 'foods', 'food', 'alimentos', 'alimentacion', 'restaurants', 'restaurante', 'hotels', 'hoteles', 'hotel', 'hospitality',
  'retail', 'trading', 'comercial', 'comercio', 'commerce', 'distribuciones', 'distribucion', 'distribution', 'import', 'export', 'importaciones', 'exportaciones', 'center',
  'centro', 'centre', 'institute', 'instituto', 'foundation', 'fundacion', 'academy', 'academia', 'school', 'escuela', 'university', 'universidad', 'legal', 'abogados',
  'lawyers', 'law', 'recht', 'rechtsanwalte', 'avocats', 'auditores', 'audit', 'accounting', 'contadores', 'management', 'gestion', 'recursos', 'humanos', 'human',
  'resources', 'rh', 'hr', 'talent', 'talento', 'staffing', 'recruitment', 'personal', 'personnel', 'real', 'estate', 'inmobiliaria', 'immobilien', 'properties',
  'propiedades', 'automotive', 'automocion', 'motors', 'auto', 'autos', 'textil', 'textiles', 'fashion', 'moda', 'sports', 'deportes', 'education', 'educacion',
  'security', 'seguridad', 'cleaning', 'limpieza', 'facility', 'facilities', 'maintenance', 'mantenimiento', 'electric', 'electrica', 'electricidad', 'elektro',
  'telecom', 'telecomunicaciones', 'telecommunications', 'chemicals', 'quimica', 'chemie', 'metal', 'metales', 'steel', 'acero', 'wood', 'madera', 'paper', 'papel',
  'packaging', 'envases', 'plastics', 'plasticos', 'agro', 'agricola', 'farms', 'travel', 'viajes', 'tours', 'events', 'eventos', 'print', 'impresion', 'graphics',
  'graficas', 'products', 'productos', 'produkte', 'produits', 'supplies', 'suministros', 'equipment', 'equipos', 'tools', 'herramientas', 'works', 'obras', 'projects',
  'proyectos', 'innovation', 'innovacion', 'ventures', 'venture', 'labs', 'hub', 'store', 'tienda', 'shop', 'market', 'mercado', 'store', 'online', 'web', 'net', 'mobile',
  'club', 'ong', 'office', 'oficina', 'despacho', 'firma', 'firm',
]);

const isGeneric = (word: string) => groupingAndPlaceWords.has(word) || sectorWords.has(word);

/** A word naming a kind of business ("Consulting", "Logística"). */
export const isSectorWord = (word: string) => sectorWords.has(word);

/** A company name as the duplicate rules read it. */
export interface CompanyName {
  /** The words left after folding, abbreviations, legal forms and connectors. */
  words: string[];
  /** The words joined without spaces: "Coca-Cola Company" and "CocaCola" are both "cocacola". Equal keys are one company. */
  key: string;
  /** The words that are not generic: a brand. */
  distinctive: string[];
  /** The initials of the name's words when it has three or more ("Banco Bilbao Vizcaya Argentaria" → "bbva"). */
  acronym: string | null;
}

/** Lower case, no accents, "&" and "+" as "and", apostrophes gone, everything else that is not a letter or digit a space. */
export function foldText(text: string): string {
  return stripAccents(text)
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/œ/g, 'oe')
    .replace(/ø/g, 'o')
    .replace(/ł/g, 'l')
    .replace(/[&+]/g, ' and ')
    .replace(/['’`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Folded words, with runs of single letters joined: "S. A." → "sa", "I B M" → "ibm". */
function foldedWords(text: string): string[] {
  const out: string[] = [];
  let run = '';
  for (const word of foldText(text).split(' ')) {
    if (!word) continue;
    if (word.length === 1 && /\p{L}/u.test(word)) {
      run += word;
      continue;
    }
    if (run) out.push(run);
    run = '';
    out.push(word);
  }
  if (run) out.push(run);
  return out;
}

function endsWith(words: string[], phrase: string[]): boolean {
  if (phrase.length > words.length) return false;
  const offset = words.length - phrase.length;
  return phrase.every((w, i) => words[offset + i] === w);
}

/**
 * Removes legal forms from the end, repeatedly, and the connectors they leave behind ("Bimbo S.A.B. de C.V."); a
 * name made of nothing else keeps its words.
 */
function stripLegalForms(words: string[]): string[] {
  let current = words;
  let stripped = false;
  for (;;) {
    const last = current[current.length - 1];
    let next: string[] | null = null;
    if (stripped && last !== undefined && connectors.has(last)) next = current.slice(0, -1);
    else {
      const phrase = legalPhrases.find((p) => endsWith(current, p) && p.length < current.length);
      if (phrase) next = current.slice(0, current.length - phrase.length);
    }
    if (!next || !next.length) return current;
    stripped = true;
    current = next;
  }
}

/** Articles that may open a name without being part of it ("The Coca-Cola Company", "El Corte Inglés"). */
const leadingArticles = new Set(['the', 'el', 'la', 'los', 'las', 'le', 'les', 'l', 'die', 'der', 'das', 'o', 'os', 'a', 'as']);

/** Connectors inside a name and an opening article go; a connector that ends a name is a word of it ("Backup Dos"). */
function withoutConnectors(words: string[]): string[] {
  return words.filter((w, i) => (i === 0 ? !(leadingArticles.has(w) && words.length > 1) : i === words.length - 1 || !connectors.has(w)));
}

const cache = new Map<string, CompanyName>();

/** Reads a company name (cached: the same names are read again and again while a user types and an import runs). */
export function readCompanyName(name: string): CompanyName {
  const cached = cache.get(name);
  if (cached) return cached;
  const expanded = foldedWords(name).map((w) => abbreviations[w] ?? w);
  const stripped = stripLegalForms(expanded);
  const words = withoutConnectors(stripped);
  const distinctive = words.filter((w) => !isGeneric(w));
  const initials = stripped.filter((w) => !['and', 'y', 'e', 'et', 'und', 'of', 'de', 'del', 'the'].includes(w)).map((w) => w[0]).join('');
  const read: CompanyName = { words, key: words.join(''), distinctive, acronym: words.length >= 3 && initials.length >= 3 ? initials : null };
  if (cache.size > 50_000) cache.clear();
  cache.set(name, read);
  return read;
}

/** The key two names of one company share however each was written: "Telefónica, S.A." and "TELEFONICA SAU" → "telefonica". */
export function companyKey(name: string): string {
  return readCompanyName(name).key;
}

/** Shortest word that may be a brand on its own (shorter ones, "Acme" being four letters, are too often initials). */
export const minBrandLength = 3;

/** How many typing mistakes (insertions, deletions, substitutions, swapped neighbours) a word of this length may carry. */
export function typoAllowance(length: number): number {
  if (length >= 9) return 2;
  if (length >= 5) return 1;
  return 0;
}

/** Each way of deleting one letter of a word: two words one typo apart always share one (or one is the other's). */
export function deletionVariants(word: string): string[] {
  const variants = new Set<string>([word]);
  for (let i = 0; i < word.length; i++) variants.add(word.slice(0, i) + word.slice(i + 1));
  return [...variants];
}

/** Three rows of editDistance's table, reused from call to call (it runs for many word pairs per duplicate check). */
let rows = new Int32Array(64);

/** Damerau-Levenshtein distance (optimal string alignment), stopping once it exceeds `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const width = b.length + 1;
  if (rows.length < 3 * width) rows = new Int32Array(6 * width);
  // The rows before the last (i - 2), the last (i - 1) and this one (i), as offsets into `rows`.
  let before = 0;
  let last = width;
  let row = 2 * width;
  for (let j = 0; j < width; j++) rows[last + j] = j;
  for (let i = 1; i <= a.length; i++) {
    rows[row] = i;
    let best = Infinity;
    for (let j = 1; j < width; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min(rows[last + j]! + 1, rows[row + j - 1]! + 1, rows[last + j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) value = Math.min(value, rows[before + j - 2]! + 1);
      rows[row + j] = value;
      if (value < best) best = value;
    }
    if (best > max) return max + 1;
    const free = before;
    before = last;
    last = row;
    row = free;
  }
  return rows[last + b.length]!;
}

/**
 * Two words that are the same word, allowing the typos their length allows. `anchored`: the names share another
 * distinctive word exactly, so a four-letter word may carry one typo too ("Initech Labs", "Initech Labz").
 */
export function sameWord(a: string, b: string, anchored = false): boolean {
  if (a === b) return true;
  const shorter = Math.min(a.length, b.length);
  const allowance = Math.max(typoAllowance(shorter), anchored && shorter >= 4 ? 1 : 0);
  return allowance > 0 && editDistance(a, b, allowance) <= allowance;
}

/** Version of the keys below: stored keys made by another version are rebuilt when the database opens. */
export const matchKeysVersion = 2;

/** The two longest distinctive words of a name, when long enough to carry a typo. */
function typoWords(name: CompanyName): string[] {
  return [...new Set(name.distinctive)].filter((w) => typoAllowance(w.length) > 0).sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).slice(0, 2);
}

/**
 * The lookup keys of a company: each client's are stored (db/sync/matchKeys.ts), and a company being typed
 * or imported is looked up by its own, so candidates come from an index, never from reading every client.
 * Two companies the rules could flag share at least one key: `e:` the email, `n:` the name's key, `w:` a
 * distinctive word, `v:` a distinctive word or one of its one-letter deletions (two words one typo apart
 * share one), `x:` the name's key without one of its words (a typo in any one word, however common the others
 * are: "Asesoría San Miguel Navarro" among two thousand Navarros), `d:` the company's web domain (website or
 * company email).
 */
export function companyMatchKeys(company: { company_name: string; email: string | null; website: string | null }): string[] {
  const name = readCompanyName(company.company_name);
  const keys = new Set<string>();
  const email = company.email?.trim().toLowerCase();
  if (email) keys.add(`e:${email}`);
  if (name.key) keys.add(`n:${name.key}`);
  for (const word of name.distinctive) if (word.length >= minBrandLength) keys.add(`w:${word}`);
  for (const word of typoWords(name)) for (const variant of deletionVariants(word)) keys.add(`v:${variant}`);
  if (name.words.length >= 2 && name.words.length <= 6) name.words.forEach((_, i) => keys.add(`x:${name.words.filter((_w, j) => j !== i).join('')}`));
  for (const domain of [websiteDomain(company.website), companyMailDomain(company.email)]) if (domain) keys.add(`d:${domain}`);
  return [...keys];
}
