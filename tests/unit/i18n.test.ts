import { describe, expect, it } from 'vitest';
import { errorCodes, errorReasons, fieldErrorCodes, type ApiError } from '../../contract';
import { translator } from '../../renderer/i18n';
import { errorText, fieldErrorText } from '../../renderer/lib/api';

describe('translations', () => {
  it('use the singular text for one and the plural for every other count', () => {
    const en = translator('en');
    expect(en('jobs.totals.open', { count: 1 })).toBe('1 open posting');
    expect(en('jobs.totals.open', { count: 0 })).toBe('0 open postings');
    expect(en('jobs.totals.open', { count: 2 })).toBe('2 open postings');
    const es = translator('es');
    expect(es('profile.days', { count: 1 })).toBe('1 día');
    expect(es('profile.days', { count: 30 })).toBe('30 días');
  });

  it('show counts in the language number format, never mistaking 1.000 for one', () => {
    expect(translator('es')('clients.matching', { count: 1000 })).toBe('1000 clientes coinciden con la búsqueda y los filtros');
    expect(translator('es')('clients.matching', { count: 12500 })).toBe('12.500 clientes coinciden con la búsqueda y los filtros');
    expect(translator('en')('clients.matching', { count: 12500 })).toBe('12,500 clients match the search and filters');
  });

  it('fall back to the plural text where a message has no singular, and leave other values as given', () => {
    expect(translator('en')('restore.conflicts', { count: 1 })).toBe('Not restored (1)');
    expect(translator('en')('import.summary.speed', { rows: '2,000', seconds: '1.5' })).toBe('2,000 rows in 1.5 s');
  });
});

describe('every error a recruiter can see has English and Spanish words', () => {
  const en = translator('en');
  const es = translator('es');
  const both = (key: string) => {
    const english = en(key as never);
    const spanish = es(key as never);
    return { key, english: english !== key, spanish: spanish !== key && spanish !== english };
  };

  it('for each error code, field code and reason', () => {
    const keys = [...errorCodes.map((c) => `error.${c}`), ...fieldErrorCodes.map((c) => `validation.${c}`), ...errorReasons.map((r) => `reason.${r}`)];
    const missing = keys.map(both).filter((k) => !k.english || !k.spanish);
    expect(missing).toEqual([]);
  });

  it('filled with the code’s params in the user’s language', () => {
    expect(fieldErrorText(es, { message: 'max', params: { max: 200 } })).toBe('Como máximo 200 caracteres');
    expect(fieldErrorText(en, { message: 'invalid_transition', params: { from: 'filled', to: 'draft' } })).toBe('A posting cannot go from Filled to Draft');
    expect(fieldErrorText(es, { message: 'file_too_large', params: { limitMb: 5 } })).toBe('Supera el límite de 5 MB');
    expect(fieldErrorText(es, { message: 'file_too_large' })).toBe('El archivo es demasiado grande');
  });

  it('chosen from the codes, never from main’s English message', () => {
    const answer = (error: ApiError) => ({ en: errorText(en, error), es: errorText(es, error) });
    const stopped = answer({ code: 'INTERNAL', reason: 'import_stopped', params: { line: 41, saved: 39 }, message: 'The import stopped at line 41' });
    expect(stopped.es).toBe('La importación se detuvo en la línea 41: las 39 filas anteriores se guardaron; nada de lo posterior.');
    const member = answer({ code: 'VALIDATION', message: 'Choose another current user in Settings before deactivating this one.', fields: [{ path: 'active', message: 'current_user' }] });
    expect(member.es).toBe('Es el usuario actual: elige otro en Ajustes antes de desactivarlo');
    // A form-shape code without its input reads as the general validation sentence, not a bare "Required".
    expect(answer({ code: 'VALIDATION', message: 'x', fields: [{ path: 'title', message: 'required' }] }).en).toBe('Some fields need attention.');
    expect(answer({ code: 'BUSY', retryable: true, message: 'busy' }).es).toContain('ocupado');
    expect(errorText(es, new Error('boom'))).toBe('Algo ha fallado y no se ha guardado nada. Vuelve a intentarlo.');
  });
});
