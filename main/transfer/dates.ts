import { foldForSearch } from '../../contract/normalize';

// Dates as other tools and hand-kept spreadsheets write them: "24/8/20", "8/24/2020", "2020-08-24",
// "2020-08-24T10:00:00Z", "Aug 24, 2020", "24 de agosto de 2020", "24-ago-20", and Excel serial numbers
// ("44067") where a date column was saved as plain numbers. Pure, so the preview, the dry run and the
// import read a date identically.

/** Which number comes first in "3/4/20": the day (most of the world) or the month (the United States). */
export type DateOrder = 'dmy' | 'mdy';
export type DateResult = { ok: true; value: string } | { ok: false; message: 'invalid_date' | 'future_date' };

const monthNames: Record<string, number> = {
  jan: 1, january: 1, ene: 1, enero: 1,
  feb: 2, february: 2, febrero: 2,
  mar: 3, march: 3, marzo: 3,
  apr: 4, april: 4, abr: 4, abril: 4,
  may: 5, mayo: 5,
  jun: 6, june: 6, junio: 6,
  jul: 7, july: 7, julio: 7,
  aug: 8, august: 8, ago: 8, agosto: 8,
  sep: 9, sept: 9, september: 9, set: 9, septiembre: 9, setiembre: 9,
  oct: 10, october: 10, octubre: 10,
  nov: 11, november: 11, noviembre: 11,
  dec: 12, december: 12, dic: 12, diciembre: 12,
};

/** Countries whose people write the month first; everyone else writes the day first. */
const monthFirstCountries = new Set(['US', 'PH', 'PR', 'GU', 'AS', 'VI', 'MP', 'FM', 'MH', 'PW']);
export const defaultDateOrder = (country: string): DateOrder => (monthFirstCountries.has(country) ? 'mdy' : 'dmy');

const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[t\s].*)?$/;
const numeric = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?\s?m\.?)?)?$/;
/** Excel's day numbers between 1927 and 2173 (a plain integer outside that range is not a date here). */
const serial = /^(\d{5})(?:\.\d+)?$/;

const fold = (text: string) => foldForSearch(text).trim().replace(/^'+/, '');

const pad = (n: number) => String(n).padStart(2, '0');

/** Two-digit years: the latest year not after `today`'s ("20" is 2020, "97" is 1997). */
function fullYear(text: string, thisYear: number): number {
  const year = Number(text);
  if (text.length === 4) return year;
  return 2000 + year <= thisYear ? 2000 + year : 1900 + year;
}

function check(year: number, month: number, day: number, today: string): DateResult {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || year < 1900) {
    return { ok: false, message: 'invalid_date' };
  }
  const value = `${year}-${pad(month)}-${pad(day)}`;
  return value > today ? { ok: false, message: 'future_date' } : { ok: true, value };
}

/** The two leading numbers of a "d/m/y" or "m/d/y" date, when the text is one. */
function numericParts(text: string): [number, number] | null {
  const match = numeric.exec(fold(text));
  return match ? [Number(match[1]), Number(match[2])] : null;
}

/**
 * A date cell as `YYYY-MM-DD`. `today` (`YYYY-MM-DD`) bounds it: a date after it is refused (a client
 * cannot have been one since tomorrow). `order` settles "3/4/20"; a first number above 12 is a day and a
 * second one above 12 is a day whatever the order.
 */
export function parseImportDate(input: string, order: DateOrder, today: string): DateResult {
  const text = fold(input);
  const thisYear = Number(today.slice(0, 4));
  let match = iso.exec(text);
  if (match) return check(Number(match[1]), Number(match[2]), Number(match[3]), today);
  match = numeric.exec(text);
  if (match) {
    const [a, b] = [Number(match[1]), Number(match[2])];
    const year = fullYear(match[3]!, thisYear);
    const dayFirst = a > 12 ? true : b > 12 ? false : order === 'dmy';
    return dayFirst ? check(year, b, a, today) : check(year, a, b, today);
  }
  match = serial.exec(text);
  if (match) {
    const days = Number(match[1]);
    if (days < 10_000) return { ok: false, message: 'invalid_date' };
    // Excel counts days from 1899-12-30 (its day 60, a 29 February 1900 that never was, is why not the 31st).
    const date = new Date(Date.UTC(1899, 11, 30) + days * 86_400_000);
    return check(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), today);
  }
  // Month names: "aug 24 2020", "24 aug 2020", "24 de agosto de 2020", "august 24th, 2020", "24-ago-20".
  const words = text
    .replace(/(\d)(?:st|nd|rd|th)\b/g, '$1')
    .replace(/º/g, '')
    .split(/[\s,./-]+/)
    .filter((w) => w && w !== 'de' && w !== 'del' && w !== 'of' && w !== 'the');
  if (words.length === 3) {
    const monthAt = words.findIndex((w) => monthNames[w] !== undefined);
    const numbers = words.filter((_, i) => i !== monthAt);
    if (monthAt >= 0 && monthAt < 2 && numbers.every((n) => /^\d+$/.test(n))) {
      const [day, year] = numbers as [string, string];
      if (day.length <= 2 && (year.length === 2 || year.length === 4)) return check(fullYear(year, thisYear), monthNames[words[monthAt]!]!, Number(day), today);
    }
  }
  return { ok: false, message: 'invalid_date' };
}

/**
 * The order a whole column is written in, from its values that can only be read one way ("24/8/20" is
 * day-first, "8/24/20" month-first). A column with no such value, or both kinds, keeps `fallback`.
 * Decided once per file, before any row is read, so every batch reads "3/4/20" the same way.
 */
export function detectDateOrder(values: Iterable<string>, fallback: DateOrder): DateOrder {
  let dayFirst = 0;
  let monthFirst = 0;
  for (const value of values) {
    const parts = numericParts(value);
    if (!parts) continue;
    if (parts[0] > 12 && parts[1] <= 12) dayFirst++;
    else if (parts[1] > 12 && parts[0] <= 12) monthFirst++;
  }
  if (dayFirst && !monthFirst) return 'dmy';
  if (monthFirst && !dayFirst) return 'mdy';
  return fallback;
}
