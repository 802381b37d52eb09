import { describe, expect, it } from 'vitest';
import { countryCode } from '../../main/transfer/countries';
import { defaultDateOrder, detectDateOrder, parseImportDate } from '../../main/transfer/dates';
import { cellsByField, nonDataRows, readEmails } from '../../main/transfer/importRows';
import { guessMapping } from '../../main/transfer/mapping';

const today = '2026-03-01';
const date = (value: string) => ({ ok: true, value });

describe('parseImportDate', () => {
  it('reads ISO dates and instants, with any separator', () => {
    expect(parseImportDate('2020-08-24', 'dmy', today)).toEqual(date('2020-08-24'));
    expect(parseImportDate('2020/8/24', 'mdy', today)).toEqual(date('2020-08-24'));
    expect(parseImportDate('2020-08-24T10:30:00.000Z', 'dmy', today)).toEqual(date('2020-08-24'));
    expect(parseImportDate('2020-08-24 10:30', 'dmy', today)).toEqual(date('2020-08-24'));
  });

  it('reads day and month in the order given, unless a number can only be a day', () => {
    expect(parseImportDate('3/4/20', 'dmy', today)).toEqual(date('2020-04-03'));
    expect(parseImportDate('3/4/20', 'mdy', today)).toEqual(date('2020-03-04'));
    expect(parseImportDate('24/8/20', 'mdy', today)).toEqual(date('2020-08-24'));
    expect(parseImportDate('8/24/2020', 'dmy', today)).toEqual(date('2020-08-24'));
    expect(parseImportDate('24.08.2020', 'dmy', today)).toEqual(date('2020-08-24'));
    expect(parseImportDate('24-08-2020 09:15', 'dmy', today)).toEqual(date('2020-08-24'));
    expect(parseImportDate("'24/08/2020", 'dmy', today)).toEqual(date('2020-08-24'));
  });

  it('takes a two-digit year as the latest such year not after today', () => {
    expect(parseImportDate('1/2/26', 'dmy', today)).toEqual(date('2026-02-01'));
    expect(parseImportDate('1/2/97', 'dmy', today)).toEqual(date('1997-02-01'));
    expect(parseImportDate('1/2/27', 'dmy', today)).toEqual(date('1927-02-01'));
  });

  it('reads month names in English and Spanish, and Excel serial numbers', () => {
    for (const text of ['Aug 24, 2020', '24 Aug 2020', 'August 24th, 2020', '24-ago-20', '24 de agosto de 2020', 'agosto 24, 2020', 'Aug. 24, 2020']) {
      expect(parseImportDate(text, 'dmy', today)).toEqual(date('2020-08-24'));
    }
    expect(parseImportDate('1 Sept 2019', 'mdy', today)).toEqual(date('2019-09-01'));
    expect(parseImportDate('44067', 'dmy', today)).toEqual(date('2020-08-24'));
    expect(parseImportDate('44067.75', 'dmy', today)).toEqual(date('2020-08-24'));
  });

  it('refuses what is not a date of the past', () => {
    for (const text of ['31/02/20', '2020-13-01', '2020', 'soon', '9999', '24/8', 'Q3 2020', '1/1/1899']) {
      expect(parseImportDate(text, 'dmy', today)).toEqual({ ok: false, message: 'invalid_date' });
    }
    expect(parseImportDate('2026-03-02', 'dmy', today)).toEqual({ ok: false, message: 'future_date' });
    expect(parseImportDate(today, 'dmy', today)).toEqual(date(today));
  });
});

describe('detectDateOrder', () => {
  it('follows the values that can only be read one way, else the fallback', () => {
    expect(detectDateOrder(['3/4/20', '24/8/20', '1/2/21'], 'mdy')).toBe('dmy');
    expect(detectDateOrder(['3/4/20', '8/24/20'], 'dmy')).toBe('mdy');
    expect(detectDateOrder(['3/4/20', '2020-08-24', 'Aug 24, 2020'], 'mdy')).toBe('mdy');
    // A column with both kinds is not evidence either way.
    expect(detectDateOrder(['24/8/20', '8/24/20'], 'dmy')).toBe('dmy');
    expect(defaultDateOrder('US')).toBe('mdy');
    expect(defaultDateOrder('ES')).toBe('dmy');
    expect(defaultDateOrder('GB')).toBe('dmy');
  });
});

describe('countryCode', () => {
  it('reads country names in English, Spanish and their own language, ISO codes and everyday abbreviations', () => {
    const cases: Record<string, string> = {
      'United States': 'US', 'Estados Unidos': 'US', 'EE. UU.': 'US', EEUU: 'US', USA: 'US', 'U.S.A.': 'US', us: 'US',
      España: 'ES', Spain: 'ES', espana: 'ES', ES: 'ES', ESP: 'ES',
      Deutschland: 'DE', Germany: 'DE', Alemania: 'DE',
      UK: 'GB', 'United Kingdom': 'GB', 'Reino Unido': 'GB', England: 'GB',
      México: 'MX', Brasil: 'BR', 'Países Bajos': 'NL', Holland: 'NL', France: 'FR', Francia: 'FR',
      'Sao Tome and Principe': 'ST', 'Antigua & Barbuda': 'AG', "Côte d'Ivoire": 'CI',
    };
    for (const [text, code] of Object.entries(cases)) expect([text, countryCode(text)]).toEqual([text, code]);
  });

  it('says so when a cell names no country', () => {
    for (const text of ['Narnia', 'Madrid', '', '  ', 'n/a']) expect(countryCode(text)).toBeNull();
  });
});

describe('reading cells', () => {
  it('takes the address out of display names, mailto links and lists', () => {
    expect(readEmails('"ACME" <info@acme.com>')).toEqual(['info@acme.com']);
    expect(readEmails('ACME Sales <sales@acme.com>, ops@acme.com')).toEqual(['sales@acme.com', 'ops@acme.com']);
    expect(readEmails('mailto:info@acme.com')).toEqual(['info@acme.com']);
    expect(readEmails("'info@acme.com.")).toEqual(['info@acme.com']);
    expect(readEmails("o'brien@acme.ie")).toEqual(["o'brien@acme.ie"]);
    expect(readEmails('a@acme.com; a@acme.com')).toEqual(['a@acme.com']);
    expect(readEmails('not an address')).toEqual(['not an address']);
  });

  it('reads placeholders ("-", "n/a", "#N/A", "ninguno") as empty cells', () => {
    const mapping = ['companyName', 'phone', 'website', 'comments'] as const;
    expect(cellsByField(['Acme', 'n/a', '#N/A', '-'], [...mapping])).toEqual({ companyName: 'Acme' });
    expect(cellsByField(['Acme', 'Ninguno', ' ', 'No answer yet'], [...mapping])).toEqual({ companyName: 'Acme', comments: 'No answer yet' });
  });

  it('tells a repeated header and a totals line from data', () => {
    const kind = nonDataRows(['Company', 'Email', 'Phone']);
    expect(kind(['Company', 'Email', 'Phone'])).toBe('repeated_header');
    expect(kind(['company', 'E-mail', ''])).toBe(null);
    expect(kind(['COMPANY', 'EMAIL', ''])).toBe('repeated_header');
    expect(kind(['Total', '', '97'])).toBe('totals_row');
    expect(kind(['TOTALES: 97 clientes', '', ''])).toBe('totals_row');
    expect(kind(['Total Gas & Power', 'info@totalgp.com', ''])).toBe(null);
    expect(kind(['TotalEnergies', '', ''])).toBe(null);
    expect(kind(['Acme', 'info@acme.com', '912 345 678'])).toBe(null);
  });

  it('maps Country and client-since columns from English and Spanish headers, never a "Created by"', () => {
    expect(guessMapping(['Company', 'Country', 'Phone 1', 'Phone 2', 'Email', 'Subscription Date', 'Created By'], 'clients')).toEqual([
      'companyName', 'country', 'phone', null, 'email', 'clientSince', null,
    ]);
    expect(guessMapping(['Empresa', 'País', 'Teléfono', 'Fecha de alta', 'Correo'], 'clients')).toEqual(['companyName', 'country', 'phone', 'clientSince', 'email']);
    expect(guessMapping(['Cliente', 'Nombre', 'País'], 'contacts')).toEqual(['client', 'name', 'country']);
  });
});
