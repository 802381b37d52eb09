// Intl formatters cost a few hundred µs each to build (more for the first of a locale) and list rows format
// on every render: one formatter per locale and options serves every call.
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format;
}

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) dateFormats.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

/** A file size for people: 1536 → "1.5 KB" (en-GB) or "1,5 KB" (es-ES). */
export function formatSize(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${numberFormat(locale, { maximumFractionDigits: unit ? 1 : 0 }).format(value)} ${units[unit]}`;
}

/** The group and decimal marks of a locale, for number inputs: "45.000,50" in es-ES, "45,000.50" in en-GB. */
export function numberSeparators(locale: string): { thousandSeparator: string; decimalSeparator: string } {
  const parts = numberFormat(locale).formatToParts(12345.6);
  return { thousandSeparator: parts.find((p) => p.type === 'group')?.value ?? ',', decimalSeparator: parts.find((p) => p.type === 'decimal')?.value ?? '.' };
}
