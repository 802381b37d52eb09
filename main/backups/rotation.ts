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
 * The copies to keep. For each of the 7 most recent days that have a copy: the newest copy of each kind (the
 * day's automatic one, the last "Back up now", the last one taken before a restore), so a copy made by hand
 * never pushes the day's automatic one out. Then the newest copy of each of the 4 most recent weeks (Monday
 * to Sunday, UTC) before the week of the oldest of those days. Everything else can go: a month of daily
 * copies becomes 7 + 4 files reaching back about five weeks.
 */
export function copiesToKeep<T extends Dated & { kind?: string }>(copies: T[], daily = 7, weekly = 4): Set<string> {
  const newestFirst = [...copies].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const keep = new Set<string>();
  const days = new Set<number>();
  const dayKinds = new Set<string>();
  let oldestWeek = Number.POSITIVE_INFINITY;
  for (const copy of newestFirst) {
    const day = dayOf(copy.createdAt);
    if (!days.has(day)) {
      if (days.size >= daily) continue;
      days.add(day);
      oldestWeek = weekOf(copy.createdAt);
    }
    const dayKind = `${day}:${copy.kind ?? ''}`;
    if (dayKinds.has(dayKind)) continue;
    dayKinds.add(dayKind);
    keep.add(copy.id);
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
