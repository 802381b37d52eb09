import type { Kysely } from 'kysely';
import { companyMatchKeys } from '../../contract/companies';
import type { DuplicateMatch } from '../../contract/errors';
import type { DB } from '../../db/schema';
import { CompanyIndex, compareCompanies, findCandidates, profileOf, toMatch, type Company, type Verdict } from '../duplicates/companies';
import type { NewClient } from './clientWrites';
import type { ClientCells } from './importRows';

/** A client a row may land on: one already in the database, or one an earlier row of this run created. */
export interface Target {
  record: NewClient & { seq?: number };
  /** Created by this run and not yet written (this batch, or any batch of a dry run). */
  pending: boolean;
  /** The line that created it, when this run did. */
  line: number | null;
  contacts: { name: string; email: string | null; email_key: string | null }[];
}

export type CompanyFields = { company_name: string; email: string; website: string | null };
export type Found = { company: Company; verdict: Verdict; target: Target | null };

/** A row's own company cells, as the engine reads a company. */
export const cellsOf = (cells: ClientCells): CompanyFields => ({ company_name: cells.companyName ?? '', email: cells.email ?? '', website: cells.website ?? null });

/**
 * The duplicate engine (main/duplicates/companies.ts) as one import run asks it. What this run created or
 * updated is remembered by id and in the engine's in-memory index (as the run left them), for rows further
 * down: checked against each other exactly as against the database. The database is read as it was before the
 * run (the clients the run touched are read from its memory instead), so a dry run and the real run, whose
 * earlier batches are committed or being committed, reach the same verdicts wherever batches split.
 */
export class RunMatches {
  private readonly touched = new Map<string, Target>();
  private readonly index = new CompanyIndex<Company>();

  remember(target: Target): void {
    this.touched.set(target.record.id, target);
    this.index.add(target.record);
  }

  /** The engine's verdicts on a company against the database's clients and the clients this run created or updated. */
  async verdictsFor(trx: Kysely<DB>, company: CompanyFields): Promise<Found[]> {
    const profile = profileOf(company);
    const fromDatabase = (await findCandidates(trx, companyMatchKeys(company), null)).filter((c) => !this.touched.has(c.id));
    const found: Found[] = [];
    for (const candidate of [...fromDatabase, ...this.index.candidates(company)]) {
      const verdict = compareCompanies(profile, profileOf(candidate));
      if (verdict) found.push({ company: candidate, verdict, target: this.touched.get(candidate.id) ?? null });
    }
    return found;
  }

  /** The blocking matches (the same email, the same name) of each row's own cells, by line. */
  async blockingOf(trx: Kysely<DB>, rows: { line: number; client: ClientCells }[]): Promise<Map<number, Found[]>> {
    const blocking = new Map<number, Found[]>();
    for (const row of rows) {
      const cells = cellsOf(row.client);
      if (!cells.company_name.trim() && !cells.email.trim()) continue;
      blocking.set(row.line, (await this.verdictsFor(trx, cells)).filter((v) => v.verdict.decision === 'block'));
    }
    return blocking;
  }

  /** Clients this run created or updated (earlier rows of this batch included) that share a lookup key with a company. */
  touchedCandidates(company: CompanyFields): Target[] {
    return this.index.candidates(company).map((c) => this.touched.get(c.id)!);
  }

  /**
   * The engine's matches of a row's final values, other than the clients the row lands on. Clients in the
   * database are reported as matches; clients created by earlier rows of this run are named by their line
   * (they may not be written yet, and have no code in a dry run).
   */
  async resemblances(trx: Kysely<DB>, company: CompanyFields, skipIds: ReadonlySet<string>) {
    const found: DuplicateMatch[] = [];
    const lines = new Map<number, string[]>();
    for (const { company: c, verdict, target } of await this.verdictsFor(trx, company)) {
      if (skipIds.has(c.id)) continue;
      if (target?.line != null) lines.set(target.line, [...new Set([...(lines.get(target.line) ?? []), ...verdict.reasons])]);
      else found.push(toMatch(c, verdict));
    }
    found.sort((a, b) => b.score - a.score);
    return { matches: found.slice(0, 10), lines: [...lines.entries()].slice(0, 10) };
  }
}
