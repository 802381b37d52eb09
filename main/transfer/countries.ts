import { getCountries } from 'libphonenumber-js/min';
import { foldForSearch } from '../../contract/normalize';

// The Country column of a file, read as the phone country of its row: "United States", "EE. UU.",
// "España", "Deutschland", "UK", "ES", "ESP". Names come from the platform's own country names (Intl)
// in the languages agencies' files are written in, plus the abbreviations people type.

/** "EE. UU." → "ee uu"; "Côte d’Ivoire" → "cote d ivoire"; "São Tomé & Príncipe" → "sao tome and principe". */
export const foldCountry = (text: string) =>
  foldForSearch(text)
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

// Everyday names Intl does not give (or gives otherwise), already folded.
const aliases: Record<string, string[]> = {
  US: ['usa', 'u s a', 'u s', 'eeuu', 'ee uu', 'e e u u', 'united states of america', 'estados unidos de america', 'america', 'vereinigte staaten'],
  GB: ['uk', 'u k', 'great britain', 'britain', 'gran bretana', 'england', 'inglaterra', 'scotland', 'escocia', 'wales', 'gales', 'northern ireland', 'irlanda del norte'],
  NL: ['holland', 'holanda', 'the netherlands'],
  KR: ['korea', 'corea', 'republic of korea', 'corea del sur'],
  CZ: ['czech republic', 'republica checa'],
  TR: ['turkey', 'turquia', 'turkiye'],
  RU: ['russian federation', 'rusia'],
  CI: ['ivory coast', 'costa de marfil'],
  AE: ['uae', 'emiratos', 'emiratos arabes'],
  DO: ['republica dominicana', 'rep dominicana'],
  VA: ['holy see', 'vatican', 'vaticano', 'holy see vatican city state'],
};

// Three-letter ISO codes of the countries agencies deal with most; two-letter ones come from the list itself.
const alpha3: Record<string, string> = {
  esp: 'ES', usa: 'US', gbr: 'GB', deu: 'DE', fra: 'FR', ita: 'IT', prt: 'PT', nld: 'NL', bel: 'BE', che: 'CH', aut: 'AT', irl: 'IE',
  and: 'AD', mex: 'MX', arg: 'AR', col: 'CO', chl: 'CL', per: 'PE', ven: 'VE', ecu: 'EC', ury: 'UY', pry: 'PY', bol: 'BO', bra: 'BR',
  can: 'CA', cri: 'CR', pan: 'PA', gtm: 'GT', dom: 'DO', cub: 'CU', pri: 'PR', mar: 'MA', pol: 'PL', swe: 'SE', nor: 'NO', dnk: 'DK',
  fin: 'FI', grc: 'GR', rou: 'RO', cze: 'CZ', hun: 'HU', lux: 'LU', aus: 'AU', nzl: 'NZ', chn: 'CN', jpn: 'JP', ind: 'IN', are: 'AE',
};

const languages = ['en', 'es', 'ca', 'gl', 'eu', 'pt', 'fr', 'de', 'it', 'nl'];

let table: Map<string, string> | null = null;

function buildTable(): Map<string, string> {
  const map = new Map<string, string>();
  const set = (name: string | undefined, code: string) => {
    const key = name ? foldCountry(name) : '';
    // The first reading of a name wins: English and Spanish names before other languages'.
    if (key && !map.has(key)) map.set(key, code);
  };
  const codes = getCountries();
  for (const code of codes) set(code, code);
  for (const language of languages) {
    for (const style of ['long', 'short'] as const) {
      let names: Intl.DisplayNames | null = null;
      try {
        names = new Intl.DisplayNames([language], { type: 'region', style, fallback: 'none' });
      } catch {
        continue;
      }
      for (const code of codes) set(names.of(code), code);
    }
  }
  for (const [code, names] of Object.entries(aliases)) for (const name of names) map.set(name, code);
  for (const [name, code] of Object.entries(alpha3)) if (!map.has(name)) map.set(name, code);
  return map;
}

/** The ISO 3166 code of a country cell, or null when it names no country the phone rules know. */
export function countryCode(text: string): string | null {
  const key = foldCountry(text);
  if (!key) return null;
  table ??= buildTable();
  return table.get(key) ?? table.get(key.replace(/^(the|el|la|los|las) /, '')) ?? null;
}
