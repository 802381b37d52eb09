import { describe, expect, it } from 'vitest';
import type { Client } from '../../contract/clients';
import type { Contact } from '../../contract/contacts';
import type { ClientEvent } from '../../contract/events';
import type { Job } from '../../contract/jobs';
import type { Lead } from '../../contract/leads';
import { clientConflictFields, clientFormValues } from '../../renderer/features/clients/clientForm';
import { contactConflictFields, contactFormValues } from '../../renderer/features/clients/contactForm';
import { eventConflictFields, eventFormValues } from '../../renderer/features/events/eventForm';
import { jobConflictFields, jobFormValues } from '../../renderer/features/jobs/jobForm';
import { leadConflictFields, leadFormValues } from '../../renderer/features/leads/leadForm';
import { formatOf, translator } from '../../renderer/i18n';
import { conflictRows, mergeValues, namesIn, sameValue, theirChanges, type ConflictFields, type ShowContext } from '../../renderer/lib/editConflict';

const names: Record<string, string> = { 'area-tech': 'Technology', 'area-fin': 'Finance', 'u-ana': 'Ana García', 'u-luis': 'Luis Pérez' };
const context = (language: 'en' | 'es'): ShowContext => ({
  t: translator(language),
  format: formatOf(language),
  areaName: (id) => names[id] ?? '—',
  userName: (id) => names[id] ?? '—',
});
const en = context('en');
const es = context('es');

describe('the three-way comparison', () => {
  type V = { name: string; email: string; tags: string[]; fee: number | string };
  const fields: ConflictFields<V> = [
    { key: 'name', label: 'contacts.name' },
    { key: 'email', label: 'contacts.email' },
    { key: 'tags', label: 'events.owners' },
    { key: 'fee', label: 'clientForm.feePercent' },
  ];
  const base: V = { name: 'Acme', email: 'a@acme.es', tags: ['x', 'y'], fee: 20 };

  it('compares values as the user means them', () => {
    expect(sameValue('Acme ', 'Acme')).toBe(true);
    expect(sameValue('', null)).toBe(true);
    expect(sameValue(20, '20')).toBe(true);
    expect(sameValue(['b', 'a'], ['a', 'b'])).toBe(true);
    expect(sameValue('acme', 'Acme')).toBe(false);
    expect(sameValue(0, '')).toBe(false);
  });

  it('lists only the fields changed meanwhile, marking those the user changed too', () => {
    const current: V = { ...base, email: 'b@acme.es', tags: ['y', 'z'], fee: 25 };
    const mine: V = { ...base, name: 'Acme Iberia', email: 'c@acme.es', fee: '25' };
    const changes = theirChanges(fields, base, current, mine).map((c) => [c.field.key, c.mineChanged, c.clash]);
    // name: only mine; email: both, differently (clash); tags: only theirs; fee: both, the same value (no clash).
    expect(changes).toEqual([
      ['email', true, true],
      ['tags', false, false],
      ['fee', true, false],
    ]);
    const rows = conflictRows(fields, base, current, mine, en);
    expect(rows.map((r) => [r.label, r.before, r.now, r.mine, r.clash, r.same])).toEqual([
      ['Email', 'a@acme.es', 'b@acme.es', 'c@acme.es', true, false],
      ['Responsible', 'x, y', 'y, z', null, false, false],
      ['Fee (% of annual salary)', '20', '25', null, false, true],
    ]);
  });

  it('Reload takes theirs where they changed a field; Keep mine keeps mine only where both did; my other edits survive both', () => {
    const current: V = { ...base, email: 'b@acme.es', tags: ['z'] };
    const mine: V = { ...base, name: 'Acme Iberia', email: 'c@acme.es' };
    expect(mergeValues(fields, base, current, mine, 'theirs')).toEqual({ name: 'Acme Iberia', email: 'b@acme.es', tags: ['z'], fee: 20 });
    expect(mergeValues(fields, base, current, mine, 'mine')).toEqual({ name: 'Acme Iberia', email: 'c@acme.es', tags: ['z'], fee: 20 });
  });

  it('reads the names a record carries', () => {
    expect(namesIn({ ownerId: 'u-1', ownerName: 'Marta', areaId: 'a-1', areaName: 'Retail', owners: [{ id: 'u-2', name: 'Sara' }] })).toEqual(
      new Map([
        ['u-1', 'Marta'],
        ['a-1', 'Retail'],
        ['u-2', 'Sara'],
      ]),
    );
  });
});

// Every editor compares every value its form holds: a field left out would be overwritten silently by Keep mine.
describe('the five editors', () => {
  const covers = <V extends object>(fields: ConflictFields<V>, values: V) => expect(fields.map((f) => f.key).sort()).toEqual(Object.keys(values).sort());
  const at = '2026-03-02T10:00:00.000Z';

  const client: Client = {
    id: 'c-1', code: 'CL-A-0001', companyName: 'Acme Iberia', email: 'info@acme.es', areaId: 'area-tech', areaName: 'Technology', areaKey: 'technology', phone: null, website: null,
    comments: 'Met at the fair', status: 'active', ownerId: 'u-ana', ownerName: 'Ana García', defaultFeePercent: 20, defaultGuaranteeDays: 90, defaultPaymentTermsDays: 30,
    leadId: null, createdAt: at, updatedAt: at, archivedAt: null, lastActivityAt: null, version: 3,
  };

  it('client: areas and owners by name, statuses translated, percentages as the form shows them', () => {
    const current: Client = { ...client, areaId: 'area-fin', status: 'paused', ownerId: 'u-luis', defaultFeePercent: 22.5, email: 'ventas@acme.es', version: 4 };
    const base = clientFormValues(client, null);
    covers(clientConflictFields, base);
    const mine = { ...base, email: 'compras@acme.es', comments: 'Calls in the morning' };
    const rows = conflictRows(clientConflictFields, base, clientFormValues(current, null), mine, es);
    expect(rows.map((r) => [r.label, r.before, r.now, r.clash])).toEqual([
      ['Correo electrónico', 'info@acme.es', 'ventas@acme.es', true],
      ['Área', 'Technology', 'Finance', false],
      ['Estado', 'Activo', 'En pausa', false],
      ['Responsable', 'Ana García', 'Luis Pérez', false],
      ['Honorarios (% salario anual)', '20 %', '22,5 %', false],
    ]);
    const kept = mergeValues(clientConflictFields, base, clientFormValues(current, null), mine, 'mine');
    expect(kept).toMatchObject({ email: 'compras@acme.es', comments: 'Calls in the morning', status: 'paused', ownerId: 'u-luis', defaultFeePercent: 22.5 });
  });

  it('contact: the primary flag in words', () => {
    const contact: Contact = { id: 'k-1', clientId: 'c-1', name: 'Lucía Fernández', role: 'HR lead', email: null, phone: null, isPrimary: false, notes: null, createdAt: at, updatedAt: at, version: 1 };
    const base = contactFormValues(contact);
    covers(contactConflictFields, base);
    const current = contactFormValues({ ...contact, isPrimary: true, role: 'Head of People', version: 2 });
    const rows = conflictRows(contactConflictFields, base, current, { ...base, role: 'Talent director' }, en);
    expect(rows.map((r) => [r.label, r.before, r.now, r.mine])).toEqual([
      ['Role', 'HR lead', 'Head of People', 'Talent director'],
      ['Primary contact for this client', 'No', 'Yes', null],
    ]);
  });

  it('event: owners and documents (records of their own) are compared too; dates and money as the form shows them', () => {
    const event: ClientEvent = {
      id: 'e-1', clientId: 'c-1', leadId: null, type: 'proposal', title: 'Proposal for 3 roles', notes: null, occurredAt: at, score: null, amountMinor: 1_200_000, amountCurrency: 'EUR',
      proposalState: 'sent', owners: [{ id: 'u-ana', name: 'Ana García', active: true }], attachments: [{ id: 'd-1', fileName: 'offer.pdf', mimeType: 'application/pdf', sizeBytes: 100 }],
      createdByName: null, createdAt: at, updatedAt: at, version: 1,
    };
    const base = eventFormValues(event, null);
    covers(eventConflictFields, base);
    const current = eventFormValues({
      ...event, proposalState: 'accepted', amountMinor: 1_500_000, owners: [...event.owners, { id: 'u-new', name: 'Sara Gil', active: true }],
      attachments: [...event.attachments, { id: 'd-2', fileName: 'signed.pdf', mimeType: 'application/pdf', sizeBytes: 100 }], version: 2,
    }, null);
    const ctx = { ...en, userName: (id: string) => names[id] ?? namesIn({ owners: [{ id: 'u-new', name: 'Sara Gil' }] }).get(id) ?? '—' };
    const rows = conflictRows(eventConflictFields, base, current, { ...base, title: 'Proposal for 4 roles' }, ctx);
    expect(rows.map((r) => [r.label, r.before, r.now])).toEqual([
      ['Responsible', 'Ana García', 'Ana García, Sara Gil'],
      ['Amount', '€12,000.00', '€15,000.00'],
      ['Proposal state', 'Sent', 'Accepted'],
      ['Documents', 'offer.pdf', 'offer.pdf, signed.pdf'],
    ]);
  });

  it('job posting: money in the posting’s currency, labels under their section where they are ambiguous', () => {
    const job: Job = {
      id: 'j-1', clientId: 'c-1', clientName: 'Acme', code: 'JB-A-0001', title: 'Backend Engineer', status: 'open', closeReason: null, openings: 1, location: 'Madrid', workMode: 'hybrid',
      employmentType: 'full_time', salaryMinMinor: 4_000_000, salaryMaxMinor: 6_000_000, salaryCurrency: 'EUR', salaryPeriod: 'year', feeType: 'percentage', feePercent: 20, feeFixedMinor: null,
      retainerInstalments: null, paymentTermsDays: 30, guaranteeDays: 90, guaranteePolicy: 'replacement', proRataDays: null, cancellationFeeMinor: null, clauseNotes: null, probability: 50,
      expectedCloseDate: '2026-06-30', ownerId: 'u-ana', ownerName: 'Ana García', forecast: { annualSalaryMinor: null, feePerOpeningMinor: null, expectedMinor: null, weightedMinor: null },
      createdAt: at, updatedAt: at, version: 5,
    };
    const defaults = { feePercent: null, guaranteeDays: null, paymentTermsDays: null };
    const base = jobFormValues(job, defaults, null);
    covers(jobConflictFields, base);
    const current = jobFormValues({ ...job, salaryMaxMinor: 6_500_000, workMode: 'remote', expectedCloseDate: '2026-07-15', probability: 70, version: 6 }, defaults, null);
    const mine = { ...base, probability: 60 };
    const rows = conflictRows(jobConflictFields, base, current, mine, en);
    expect(rows.map((r) => [r.label, r.before, r.now, r.mine])).toEqual([
      ['Work mode', 'Hybrid', 'Remote', null],
      ['Salary range: Maximum', '€60,000', '€65,000', null],
      ['Probability (%)', '50 %', '70 %', '60 %'],
      ['Expected close date', '30 Jun 2026', '15 Jul 2026', null],
    ]);
    expect(mergeValues(jobConflictFields, base, current, mine, 'theirs')).toMatchObject({ probability: 70, salaryMax: 65_000, workMode: 'remote' });
  });

  it('lead: stages translated, expected value as money', () => {
    const lead: Lead = {
      id: 'l-1', companyName: 'Beta Logistics', contactName: null, email: null, phone: null, areaId: null, source: 'Fair', stage: 'contacted', ownerId: 'u-ana', ownerName: 'Ana García',
      expectedValueMinor: 500_000, expectedValueCurrency: 'EUR', lostReason: null, clientId: null, clientName: null, reviewCandidates: null, createdAt: at, updatedAt: at, version: 2,
    };
    const base = leadFormValues(lead, null);
    covers(leadConflictFields, base);
    const current = leadFormValues({ ...lead, stage: 'qualified', expectedValueMinor: 750_000, version: 3 }, null);
    const rows = conflictRows(leadConflictFields, base, current, { ...base, stage: 'proposal' }, es);
    expect(rows.map((r) => [r.label, r.before, r.now, r.mine, r.clash])).toEqual([
      ['Fase', 'Contactado', 'Cualificado', 'Propuesta', true],
      // Intl puts a no-break space before the euro sign.
      ['Valor esperado', '5000\u00a0€', '7500\u00a0€', null, false],
    ]);
  });
});
