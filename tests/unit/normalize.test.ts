import { describe, expect, it } from 'vitest';
import {
  emailDomain,
  isPublicMailDomain,
  nameSimilarity,
  normalizeCompanyName,
  normalizeEmail,
  similarNameThreshold,
  websiteDomain,
} from '../../contract/normalize';

type Verdict = 'same' | 'similar' | 'different';

// Real-world pairs: the same company written differently, and different companies that look alike.
const pairs: [string, string, Verdict][] = [
  ['Telefónica S.A.', 'TELEFONICA, SA', 'same'],
  ['Banco Santander, S.A.', 'Banco Santander', 'same'],
  ['Acme Inc.', 'ACME, Inc', 'same'],
  ['Zara España, S.L.U.', 'Zara Espana SLU', 'same'],
  ['Siemens GmbH', 'Siemens', 'same'],
  ['Northwind Traders Ltd', 'Northwind Traders Limited', 'same'],
  ['Globex Corporation', 'Globex Corp.', 'same'],
  ['Iberdrola, S. A.', 'IBERDROLA', 'same'],
  ['Café Central S.L.', 'Cafe Central', 'same'],
  ['Johnson & Johnson', 'Johnson and Johnson', 'same'],
  ['Initech LLC', 'Initech, L.L.C.', 'same'],
  ['Grupo Bimbo S.A.B. de C.V.', 'Grupo Bimbo', 'same'],
  ['The Coca-Cola Company', 'Coca-Cola', 'same'],
  ['Microsoft Ibérica S.R.L.', 'Microsoft Iberica', 'same'],
  ['Mahou San Miguel S.A.S.', 'mahou san miguel', 'same'],
  ['Indra Sistemas, S.A.', 'Indra Sistemas', 'same'],
  ['Transportes Rodríguez S.L.', 'Transportes Rodrigues', 'similar'],
  ['Clínica Santa Lucía', 'Clinica Sta. Lucia', 'similar'],
  ['Telefónica España', 'Telefonica de España', 'similar'],
  ['Mercadona', 'Mercadonna', 'similar'],
  ['Accenture', 'Acenture', 'similar'],
  ['Seguros Bilbao', 'Seguros Bilbao Vida', 'similar'],
  ['Co-op Bank', 'Coop Bank', 'similar'],
  ['Banco Santander', 'Banco Sabadell', 'different'],
  ['General Motors', 'General Mills', 'different'],
  ['Iberia', 'Iberdrola', 'different'],
  ['Acciona', 'Accenture', 'different'],
  ['Grupo Ebro', 'Grupo Eroski', 'different'],
  ['Delta Air Lines', 'Delta Electronics', 'different'],
  ['Apple Inc', 'Applied Materials', 'different'],
  ['Caixabank', 'Caja Rural', 'different'],
  ['Mapfre', 'Mahou', 'different'],
  ['Hotel Madrid Centro', 'Hotel Barcelona Centro', 'different'],
];

describe('company names', () => {
  it.each(pairs)('%s ~ %s → %s', (a, b, verdict) => {
    const ka = normalizeCompanyName(a);
    const kb = normalizeCompanyName(b);
    const similarity = nameSimilarity(ka, kb);
    if (verdict === 'same') expect(ka).toBe(kb);
    if (verdict === 'similar') {
      expect(ka).not.toBe(kb);
      expect(similarity).toBeGreaterThanOrEqual(similarNameThreshold);
    }
    if (verdict === 'different') {
      expect(ka).not.toBe(kb);
      expect(similarity).toBeLessThan(similarNameThreshold);
    }
  });

  it('removes legal forms only at the end, so words inside a name survive', () => {
    expect(normalizeCompanyName('Sa Pobla Hotels S.L.')).toBe('sa pobla hotels');
    expect(normalizeCompanyName('Co Works Ltd')).toBe('co works');
  });

  it('keeps a name that is nothing but a legal form', () => {
    expect(normalizeCompanyName('S.A.')).toBe('sa');
  });
});

describe('emails and websites', () => {
  it('normalises case and surrounding spaces of emails', () => {
    expect(normalizeEmail('  Info@ACME.com ')).toBe('info@acme.com');
    expect(emailDomain('Info@ACME.com')).toBe('acme.com');
  });

  it.each([
    ['https://www.acme.com/about', 'acme.com'],
    ['http://ACME.com', 'acme.com'],
    ['www.acme.com', 'acme.com'],
    ['acme.com/', 'acme.com'],
    ['https://www2.acme.co.uk/es/', 'acme.co.uk'],
    ['https://shop.acme.com', 'shop.acme.com'],
    ['not a url', null],
    ['', null],
  ])('website %s → %s', (input, domain) => {
    expect(websiteDomain(input)).toBe(domain);
  });

  it('knows public mail providers', () => {
    for (const d of ['gmail.com', 'outlook.com', 'yahoo.es', 'hotmail.com']) expect(isPublicMailDomain(d)).toBe(true);
    expect(isPublicMailDomain('acme.com')).toBe(false);
  });
});
