import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

export type PhoneResult = { ok: true; value: string | null } | { ok: false; message: 'invalid_phone' };

// An extension as people write it at the end of a number: "x58947", "ext. 12", "ext:12", "extension 12",
// "extensión 12", "#12". Read here rather than by the parser, so it is written exactly once.
const extensionPattern = /\s*[,;]?\s*(?:ext(?:ension|ensión)?|extn|x|#)\.?\s*:?\s*(\d{1,10})$/i;
/** What may remain once the extension is off: digits, one leading +, and the separators people type. */
const numberPattern = /^\+?[\d\s()./-]+$/;

/**
 * Text as it arrives from spreadsheets and paste: non-breaking and thin spaces, typographic dashes, the
 * apostrophe Excel users type to keep a leading "+" or "0", a `tel:` link, invisible marks.
 */
function clean(text: string): string {
  return text
    .replace(/[\u200b-\u200f\u2060\ufeff]/g, '')
    .replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' ')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .trim()
    .replace(/^'+/, '')
    .replace(/^tel:\s*/i, '')
    .trim();
}

/** The number and its extension. A repeated identical extension (stored that way by an older version) counts once. */
function splitExtension(text: string): { number: string; extension: string | null } {
  const match = extensionPattern.exec(text);
  if (!match) return { number: text, extension: null };
  const extension = match[1]!;
  let number = text.slice(0, match.index);
  for (let again = extensionPattern.exec(number); again && again[1] === extension; again = extensionPattern.exec(number)) number = number.slice(0, again.index);
  return { number: number.trim(), extension };
}

/**
 * The readings of a number to try, most literal first: as written in the country given; then, for a
 * number that starts with an international access code ("00…" in most of the world, "011…" from North
 * America, as in "001-808-617-6467"), the same with a "+"; then, for a bare run of 11–15 digits (an
 * international number a spreadsheet stored as a number, losing its "+"), the digits with a "+".
 * A reading valid as written always wins: "0114 496 0000" is a Sheffield number in GB, not "+14…".
 */
function readings(number: string): string[] {
  const list = [number];
  const compact = number.replace(/[\s()./-]/g, '');
  if (compact.startsWith('00')) list.push(`+${compact.slice(2)}`);
  if (compact.startsWith('011')) list.push(`+${compact.slice(3)}`);
  if (/^[1-9]\d{10,14}$/.test(compact)) list.push(`+${compact}`);
  return list;
}

/**
 * "912 345 678" with country ES → "+34 912 34 56 78". Numbers with an international prefix keep their
 * own country. Stored in international format so a number reads the same from any device's settings.
 * The one normaliser of the app: the client modal, the Contacts tab, leads and imports all call it (an
 * import passes the country of each row, when its file says it).
 */
export function normalizePhone(input: string | null | undefined, defaultCountry: string): PhoneResult {
  const text = clean(input ?? '');
  if (!text) return { ok: true, value: null };
  const { number, extension } = splitExtension(text);
  // A "(0)" after the country code is the national trunk prefix written for domestic callers: "+44 (0)20 …".
  const main = number.replace(/^(\+\d{1,3})\s*\(0\)\s*/, '$1 ');
  if (!numberPattern.test(main) || (main.match(/\d/g) ?? []).length > 17) return { ok: false, message: 'invalid_phone' };
  const country = isSupportedCountry(defaultCountry) ? (defaultCountry as CountryCode) : undefined;
  for (const reading of readings(main)) {
    const phone = parsePhoneNumberFromString(reading, country);
    if (phone?.isValid()) return { ok: true, value: phone.formatInternational() + (extension ? ` ext. ${extension}` : '') };
  }
  return { ok: false, message: 'invalid_phone' };
}
