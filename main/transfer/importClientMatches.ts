import type { Kysely } from 'kysely';
import { companyMatchKeys } from '../../contract/companies';
import type { DuplicateMatch } from '../../contract/errors';
import type { DB } from '../../db/schema';
import { blockingKeys, blocks, CompanyIndex, compareCompanies, findCandidatesByKey, profileOf, toMatch, type Company, type Profile, type Verdict } from '../duplicates/companies';
import type { NewClient } from './clientWrites';
import type { ClientCells } from './importRows';

/** By id: the order the engine's own lookup (candidateSql) returns clients in. */
const idOrder = (a: Company, b: Company) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

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
/** What the engine reads of a company a batch asks about: its lookup keys, its profile, the run's clients it may match. */
type CompanyRead = { keys: string[]; blocking: string[]; profile: Profile; touched?: { version: number; list: Company[] } };

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
  /** Each client's profile, with the fields it was read from (a client this run updates changes them). */
  private readonly profiles = new Map<string, { company: CompanyFields; profile: Profile }>();
  /** The database's clients under each lookup key, read once per batch: the batch's snapshot of the database. */
  private byKey = new Map<string, Company[]>();
  /** The lookup keys and profile of each company a batch asks about (a row's cells, then its final values). */
  private read = new Map<string, CompanyRead>();
  /** Counts the run's changes to its own clients: a list of them read before a change is read again. */
  private version = 0;
  /** The ids fromDatabase has listed so far in its current call (one set, cleared per call). */
  private readonly seen = new Set<string>();

  remember(target: Target): void {
    this.touched.set(target.record.id, target);
    this.index.add(target.record, this.readOf(target.record).keys);
    this.version++;
  }

  /** The run's own clients that share a lookup key with a company, as the run has them now (with `blockingOnly`, a key it may block through). */
  private touchedCandidatesOf(company: CompanyFields, blockingOnly = false): Company[] {
    const read = this.readOf(company);
    if (blockingOnly) return this.index.candidates(company, read.blocking);
    if (read.touched?.version !== this.version) read.touched = { version: this.version, list: this.index.candidates(company, read.keys) };
    return read.touched.list;
  }

  /** A company's lookup keys and profile, worked out once per batch. */
  readOf(company: CompanyFields): CompanyRead {
    const id = `${company.company_name}\u0000${company.email}\u0000${company.website ?? ''}`;
    let read = this.read.get(id);
    if (!read) {
      const keys = companyMatchKeys(company);
      this.read.set(id, (read = { keys, blocking: blockingKeys(keys), profile: profileOf(company) }));
    }
    return read;
  }

  /** A client's profile, read once however many rows it is compared with. */
  profile(company: Company): Profile {
    const cached = this.profiles.get(company.id);
    if (cached && cached.company.company_name === company.company_name && cached.company.email === company.email && cached.company.website === company.website) return cached.profile;
    const profile = profileOf(company);
    this.profiles.set(company.id, { company: { company_name: company.company_name, email: company.email, website: company.website }, profile });
    return profile;
  }

  /** The database's live clients under these keys (read in this batch): the ones the engine's own lookup (findCandidates) would read, in its order. */
  private fromDatabase(keys: string[]): Company[] {
    const found: Company[] = [];
    const seen = this.seen;
    seen.clear();
    for (const key of keys) {
      for (const company of this.byKey.get(key)!) {
        if (seen.has(company.id)) continue;
        seen.add(company.id);
        found.push(company);
      }
    }
    return found.length > 1 ? found.sort(idOrder) : found;
  }

  /** Reads the database's live clients under the keys not read yet in this batch. */
  private async load(trx: Kysely<DB>, keys: string[]): Promise<void> {
    let missing: Set<string> | null = null;
    for (const key of keys) if (!this.byKey.has(key)) (missing ??= new Set()).add(key);
    if (missing) for (const [key, list] of await findCandidatesByKey(trx, [...missing])) this.byKey.set(key, list);
  }

  /**
   * The engine's verdicts on a company against the database's clients and the clients this run created or
   * updated; with `blockingOnly`, only the verdicts that block (only the clients under its blocking keys are read).
   */
  async verdictsFor(trx: Kysely<DB>, company: CompanyFields, blockingOnly = false): Promise<Found[]> {
    const read = this.readOf(company);
    await this.load(trx, blockingOnly ? read.blocking : read.keys);
    return this.verdictsOf(company, read, blockingOnly);
  }

  /** verdictsFor, once the company's keys are read in this batch. */
  private verdictsOf(company: CompanyFields, read: CompanyRead, blockingOnly: boolean): Found[] {
    const found: Found[] = [];
    for (const candidate of this.fromDatabase(blockingOnly ? read.blocking : read.keys)) if (!this.touched.has(candidate.id)) this.check(read.profile, candidate, blockingOnly, found);
    for (const candidate of this.touchedCandidatesOf(company, blockingOnly)) this.check(read.profile, candidate, blockingOnly, found);
    return found;
  }

  private check(profile: Profile, candidate: Company, blockingOnly: boolean, found: Found[]): void {
    const other = this.profile(candidate);
    if (blockingOnly && !blocks(profile, other)) return;
    const verdict = compareCompanies(profile, other);
    if (verdict) found.push({ company: candidate, verdict, target: this.touched.get(candidate.id) ?? null });
  }

  /**
   * Starts a batch: reads the database's clients under every lookup key of its rows in one statement per kind
   * of key (rather than one per row), then gives the blocking matches (the same email, the same name) of each
   * row's own cells, by line.
   */
  async blockingOf(trx: Kysely<DB>, rows: { line: number; client: ClientCells }[]): Promise<Map<number, Found[]>> {
    const companies = rows.map((row) => ({ line: row.line, cells: cellsOf(row.client) })).filter(({ cells }) => cells.company_name.trim() || cells.email.trim());
    this.byKey = new Map();
    this.read = new Map();
    await this.load(trx, companies.flatMap(({ cells }) => this.readOf(cells).keys));
    const blocking = new Map<number, Found[]>();
    for (const { line, cells } of companies) blocking.set(line, this.verdictsOf(cells, this.readOf(cells), true));
    return blocking;
  }

  /** Clients this run created or updated (earlier rows of this batch included) that share a lookup key with a company. */
  touchedCandidates(company: CompanyFields, blockingOnly = false): Target[] {
    return this.touchedCandidatesOf(company, blockingOnly).map((c) => this.touched.get(c.id)!);
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
