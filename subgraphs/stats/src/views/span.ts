import type { ViewClock } from "../domain/records.ts";
import type { Db } from "../repositories/prisma.ts";

/** A span of calendar days ending today: instants [from, to) and the first and last day. */
export interface DaySpan {
  from: Date;
  to: Date;
  firstDay: string;
  lastDay: string;
}

/** PostgreSQL does the calendar (time zones, daylight saving), so every view agrees on a day. */
export async function daySpan(db: Db, clock: ViewClock, days: number): Promise<DaySpan> {
  const [span] = await db.$queryRaw<DaySpan[]>`
    SELECT (d - (${days}::int - 1))::timestamp AT TIME ZONE ${clock.timeZone} AS "from",
           (d + 1)::timestamp AT TIME ZONE ${clock.timeZone} AS "to",
           to_char(d - (${days}::int - 1), 'YYYY-MM-DD') AS "firstDay",
           to_char(d, 'YYYY-MM-DD') AS "lastDay"
    FROM (SELECT (${clock.now}::timestamptz AT TIME ZONE ${clock.timeZone})::date AS d) today`;
  if (!span) throw new Error("the day span query returned nothing");
  return span;
}

/** Calendar days from `first` to `last` (`YYYY-MM-DD`), both included. */
export function daysBetween(first: string, last: string): string[] {
  const days: string[] = [];
  for (let at = Date.parse(`${first}T00:00:00Z`); at <= Date.parse(`${last}T00:00:00Z`); at += 86_400_000) {
    days.push(new Date(at).toISOString().slice(0, 10));
  }
  return days;
}

/** A rate that is 0 (not NaN) when nothing was counted. */
export const ratio = (part: number, whole: number): number => (whole > 0 ? part / whole : 0);
