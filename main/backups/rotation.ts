/** What rotation needs of a copy. */
export interface Dated {
  id: string;
  createdAt: string;
}

const dayMs = 24 * 60 * 60 * 1000;
/** Days since 1970-01-01 (UTC). */
const dayOf = (iso: string) => Math.floor(Date.parse(iso) / dayMs);
/** Weeks since a Monday (UTC): 1970-01-01 was a Thursday, so day 4 starts the first whole week. */
const weekOf = (iso: string) => Math.floor((dayOf(iso) + 3) / 7);

/**
 * The copies to keep: the newest copy of each of the 7 most recent days that have one, then the newest of
 * each of the 4 most recent weeks (Monday to Sunday, UTC) before the week of the oldest of those days.
 * Everything else can go. A month of daily copies thus becomes 7 + 4 files reaching back about five weeks,
 * whichever kind each copy is (daily, manual, before a restore).
 */
export function copiesToKeep<T extends Dated>(copies: T[], daily = 7, weekly = 4): Set<string> {
  const newestFirst = [...copies].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const keep = new Set<string>();
  const days = new Set<number>();
  let oldestWeek = Number.POSITIVE_INFINITY;
  for (const copy of newestFirst) {
    const day = dayOf(copy.createdAt);
    if (days.has(day) || days.size >= daily) continue;
    days.add(day);
    keep.add(copy.id);
    oldestWeek = weekOf(copy.createdAt);
  }
  const weeks = new Set<number>();
  for (const copy of newestFirst) {
    const week = weekOf(copy.createdAt);
    // Whole weeks before the daily copies: a week the daily copies reach into is covered by them.
    if (week >= oldestWeek) continue;
    if (weeks.has(week) || weeks.size >= weekly) continue;
    weeks.add(week);
    keep.add(copy.id);
  }
  return keep;
}

/** A copy is due when none was taken on the current day (UTC). */
export function backupDue(newest: Dated | undefined, now: Date): boolean {
  return !newest || dayOf(newest.createdAt) < dayOf(now.toISOString());
}
