import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

export type PhoneResult = { ok: true; value: string | null } | { ok: false; message: 'invalid_phone' };

/**
 * "912 345 678" with country ES → "+34 912 34 56 78". Numbers with an international prefix keep their
 * own country. Stored in international format so a number reads the same from any device's settings.
 */
export function normalizePhone(input: string | null | undefined, defaultCountry: string): PhoneResult {
  const text = (input ?? '').trim();
  if (!text) return { ok: true, value: null };
  if (!/^[+()\d\s./-]+(\s*(ext\.?|x|ext)\s*\d+)?$/i.test(text)) return { ok: false, message: 'invalid_phone' };
  const phone = parsePhoneNumberFromString(text, defaultCountry as CountryCode);
  if (!phone || !phone.isValid()) return { ok: false, message: 'invalid_phone' };
  return { ok: true, value: phone.formatInternational() + (phone.ext ? ` ext. ${phone.ext}` : '') };
}
