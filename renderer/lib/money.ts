import { numberFormat } from './intl';

/** Integer minor units in a currency, in the user's locale: 1000000 EUR → "€10,000" (en-GB) or "10.000 €" (es-ES). */
export function formatMoney(minor: number, currency: string, locale: string, fractionDigits = 0): string {
  return numberFormat(locale, { style: 'currency', currency, minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(minor / 100);
}

export const toMinor = (major: number | string): number | null => (major === '' || major === null ? null : Math.round(Number(major) * 100));
export const toMajor = (minor: number | null): number | string => (minor === null ? '' : minor / 100);
