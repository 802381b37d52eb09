import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../contract/phone';

const ok = (value: string) => ({ ok: true, value });
const invalid = { ok: false, message: 'invalid_phone' };

describe('normalizePhone', () => {
  it('reads a national number with the default country and stores it internationally', () => {
    expect(normalizePhone('912 345 678', 'ES')).toEqual(ok('+34 912 34 56 78'));
    expect(normalizePhone('020 7946 0018', 'GB')).toEqual(ok('+44 20 7946 0018'));
    expect(normalizePhone('(808) 617-6467', 'US')).toEqual(ok('+1 808 617 6467'));
    expect(normalizePhone('808.617.6467', 'US')).toEqual(ok('+1 808 617 6467'));
  });

  it('keeps the country of a number typed with its prefix, whatever the default', () => {
    expect(normalizePhone('+44 20 7946 0018', 'ES')).toEqual(ok('+44 20 7946 0018'));
    expect(normalizePhone('+1-539-402-0259', 'ES')).toEqual(ok('+1 539 402 0259'));
    // The "(0)" written for domestic callers after the country code.
    expect(normalizePhone('+44 (0)20 7946 0018', 'ES')).toEqual(ok('+44 20 7946 0018'));
  });

  it('writes an extension once, however it was typed', () => {
    expect(normalizePhone('001-808-617-6467x12895', 'ES')).toEqual(ok('+1 808 617 6467 ext. 12895'));
    expect(normalizePhone('912 345 678 ext 21', 'ES')).toEqual(ok('+34 912 34 56 78 ext. 21'));
    expect(normalizePhone('912 345 678 ext.21', 'ES')).toEqual(ok('+34 912 34 56 78 ext. 21'));
    expect(normalizePhone('912 345 678 extensión 21', 'ES')).toEqual(ok('+34 912 34 56 78 ext. 21'));
    expect(normalizePhone('+34 912 345 678 #21', 'ES')).toEqual(ok('+34 912 34 56 78 ext. 21'));
    expect(normalizePhone('(808) 617-6467 x58947', 'US')).toEqual(ok('+1 808 617 6467 ext. 58947'));
  });

  it('is idempotent: a stored number reads back to itself, and one stored with its extension twice is repaired', () => {
    for (const stored of ['+34 912 34 56 78', '+1 808 617 6467 ext. 12895', '+44 20 7946 0018', '+52 55 1234 5678']) {
      for (const country of ['ES', 'US', 'GB']) expect(normalizePhone(stored, country)).toEqual(ok(stored));
    }
    expect(normalizePhone('+1 808 617 6467 ext. 12895 ext. 12895', 'ES')).toEqual(ok('+1 808 617 6467 ext. 12895'));
  });

  it('understands a leading international access code: 00 (most of the world) and 011 (North America)', () => {
    expect(normalizePhone('001-808-617-6467', 'US')).toEqual(ok('+1 808 617 6467'));
    expect(normalizePhone('0034 912 345 678', 'US')).toEqual(ok('+34 912 34 56 78'));
    expect(normalizePhone('011 34 912 345 678', 'ES')).toEqual(ok('+34 912 34 56 78'));
    expect(normalizePhone('011 44 20 7946 0018', 'US')).toEqual(ok('+44 20 7946 0018'));
    // A national number that merely starts like an access code keeps its national reading.
    expect(normalizePhone('0114 496 0000', 'GB')).toEqual(ok('+44 114 496 0000'));
  });

  it('reads the country of each row, so the same digits mean different numbers', () => {
    expect(normalizePhone('020 7946 0018', 'GB')).toEqual(ok('+44 20 7946 0018'));
    expect(normalizePhone('030 1234567', 'DE')).toEqual(ok('+49 30 1234567'));
    expect(normalizePhone('612 345 678', 'ES')).toEqual(ok('+34 612 34 56 78'));
    expect(normalizePhone('612 345 678', 'US')).toEqual(invalid);
    // An unknown default country only loses national numbers; international ones still read.
    expect(normalizePhone('912 345 678', 'XX')).toEqual(invalid);
    expect(normalizePhone('+34 912 345 678', 'XX')).toEqual(ok('+34 912 34 56 78'));
  });

  it('recovers numbers a spreadsheet stored as numbers, and the text people paste', () => {
    // "+34912345678" typed into Excel becomes the number 34912345678; "+15394020259" becomes 15394020259.
    expect(normalizePhone('34912345678', 'ES')).toEqual(ok('+34 912 34 56 78'));
    expect(normalizePhone('15394020259', 'ES')).toEqual(ok('+1 539 402 0259'));
    expect(normalizePhone("'+34 912 345 678", 'ES')).toEqual(ok('+34 912 34 56 78'));
    expect(normalizePhone("'0034912345678", 'ES')).toEqual(ok('+34 912 34 56 78'));
    expect(normalizePhone('tel:+34-912-345-678', 'ES')).toEqual(ok('+34 912 34 56 78'));
    expect(normalizePhone('912\u00a0345\u00a0678', 'ES')).toEqual(ok('+34 912 34 56 78'));
    expect(normalizePhone('+34\u202f912\u2009345\u2009678\u200b', 'ES')).toEqual(ok('+34 912 34 56 78'));
    expect(normalizePhone('912–345–678', 'ES')).toEqual(ok('+34 912 34 56 78'));
  });

  it('treats empty as no phone and refuses letters, fragments and impossible numbers', () => {
    expect(normalizePhone('   ', 'ES')).toEqual({ ok: true, value: null });
    expect(normalizePhone(null, 'ES')).toEqual({ ok: true, value: null });
    expect(normalizePhone('call me', 'ES')).toEqual(invalid);
    expect(normalizePhone('123', 'ES')).toEqual(invalid);
    // What Excel leaves of "+1-539-402-0259" typed unquoted: the formula 1-539-402-259.
    expect(normalizePhone('-1199', 'ES')).toEqual(invalid);
    // Not valid where they say they are (exchange codes starting with 0, unassigned area codes).
    expect(normalizePhone('229.077.5154', 'US')).toEqual(invalid);
    expect(normalizePhone('(496)978-3969x58947', 'US')).toEqual(invalid);
    expect(normalizePhone('912 345 678 / 600 111 222', 'ES')).toEqual(invalid);
    expect(normalizePhone('3.49123E+10', 'ES')).toEqual(invalid);
  });
});
