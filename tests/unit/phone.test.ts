import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../contract/phone';

describe('normalizePhone', () => {
  it('reads a national number with the default country and stores it internationally', () => {
    expect(normalizePhone('912 345 678', 'ES')).toEqual({ ok: true, value: '+34 912 34 56 78' });
    expect(normalizePhone('020 7946 0018', 'GB')).toEqual({ ok: true, value: '+44 20 7946 0018' });
  });

  it('keeps the country of a number typed with its prefix, whatever the default', () => {
    expect(normalizePhone('+44 20 7946 0018', 'ES')).toEqual({ ok: true, value: '+44 20 7946 0018' });
  });

  it('treats empty as no phone and refuses letters or impossible numbers', () => {
    expect(normalizePhone('   ', 'ES')).toEqual({ ok: true, value: null });
    expect(normalizePhone(null, 'ES')).toEqual({ ok: true, value: null });
    expect(normalizePhone('call me', 'ES').ok).toBe(false);
    expect(normalizePhone('123', 'ES').ok).toBe(false);
  });
});
