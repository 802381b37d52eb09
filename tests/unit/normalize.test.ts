import { describe, expect, it } from 'vitest';
import { companyKey, companyMatchKeys, deletionVariants, editDistance, readCompanyName } from '../../contract/companies';
import { companyMailDomain, registrableDomain, websiteDomain } from '../../contract/domains';
import { normalizeEmail } from '../../contract/normalize';

// How names and domains are read for the duplicate rules; the rules themselves are measured on the labelled set
// (duplicates-labelled.test.ts).

describe('company names', () => {
  it.each([
    ['Telefónica, S.A.', 'telefonica'],
    ['Grupo Bimbo S.A.B. de C.V.', 'grupobimbo'],
    ['Müller Logistik GmbH & Co. KG', 'mullerlogistik'],
    ['The Coca-Cola Company', 'cocacola'],
    ['Distribuidora Ochoa S. de R.L. de C.V.', 'distribuidoraochoa'],
    ['Johnson & Johnson', 'johnsonjohnson'],
    ["L'Oréal", 'loreal'],
    ['I.B.M. Corp', 'ibm'],
    ['Acme Intl.', 'acmeinternational'],
  ])('%s → %s', (name, key) => {
    expect(companyKey(name)).toBe(key);
  });

  it('removes legal forms only at the end, so words inside a name survive', () => {
    expect(companyKey('Sa Pobla Hotels S.L.')).toBe('sapoblahotels');
    expect(companyKey('Co Works Ltd')).toBe('coworks');
  });

  it('keeps a name that is nothing but a legal form', () => {
    expect(companyKey('S.A.')).toBe('sa');
  });

  it('tells distinctive words from generic ones, and knows initials', () => {
    expect(readCompanyName('Grupo Zara España').distinctive).toEqual(['zara']);
    expect(readCompanyName('Banco Bilbao Vizcaya Argentaria').acronym).toBe('bbva');
  });

  it('counts typos as swaps, insertions, deletions and substitutions', () => {
    expect(editDistance('mercadona', 'mercadnoa')).toBe(1);
    expect(editDistance('accenture', 'acenture')).toBe(1);
    expect(editDistance('santander', 'sabadell', 2)).toBe(3);
    // Two words one typo apart share a deletion variant: how the index finds them.
    const shared = deletionVariants('mercadona').filter((v) => deletionVariants('mercadnoa').includes(v));
    expect(shared.length).toBeGreaterThan(0);
  });

  it('gives each company its lookup keys', () => {
    const keys = companyMatchKeys({ company_name: 'Acme Robotics S.L.', email: 'RRHH@mail.acme.es', website: 'https://careers.acme-robotics.com' });
    expect(keys).toEqual(expect.arrayContaining(['e:rrhh@mail.acme.es', 'n:acmerobotics', 'w:acme', 'w:robotics', 'd:acme.es', 'd:acme-robotics.com']));
  });
});

describe('emails and websites', () => {
  it('normalises case and surrounding spaces of emails', () => {
    expect(normalizeEmail('  Info@ACME.com ')).toBe('info@acme.com');
  });

  it.each([
    ['https://www.acme.com/about', 'acme.com'],
    ['http://ACME.com', 'acme.com'],
    ['www.acme.com', 'acme.com'],
    ['acme.com/', 'acme.com'],
    ['https://www2.acme.co.uk/es/', 'acme.co.uk'],
    ['https://shop.acme.com', 'acme.com'],
    ['careers.banorte.com.mx/jobs', 'banorte.com.mx'],
    ['https://acme.github.io', 'acme.github.io'],
    ['https://www.linkedin.com/company/acme', null],
    ['http://192.168.1.10', null],
    ['not a url', null],
    ['', null],
  ])('website %s → %s', (input, domain) => {
    expect(websiteDomain(input)).toBe(domain);
  });

  it('reads the registrable domain of company emails and ignores public mail providers', () => {
    expect(companyMailDomain('Info@ACME.com')).toBe('acme.com');
    expect(companyMailDomain('ana@mail.acme.co.uk')).toBe('acme.co.uk');
    for (const email of ['a@gmail.com', 'b@outlook.com', 'c@yahoo.es', 'd@hotmail.com', 'e@web.de', 'f@uol.com.br']) expect(companyMailDomain(email)).toBeNull();
    expect(registrableDomain('careers.acme.com')).toBe('acme.com');
  });
});
