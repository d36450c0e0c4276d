import type { SeatRecord } from "./records.ts";

/**
 * Picks `count` adjacent available seats in one row: rows nearest the stage first (lower row index),
 * then the run closest to the row's centre. A run that would strand a single seat between it and
 * the next taken seat (or the row's end) is used only when no run avoids that: a lone seat rarely
 * sells. Returns candidate runs, best first, so the caller can try the next on a race.
 */
export function bestAvailableRuns(
  available: SeatRecord[],
  count: number,
  rowLengths: Map<string, number>,
): SeatRecord[][] {
  const rows = new Map<string, SeatRecord[]>();
  for (const seat of available) {
    const key = `${seat.section}|${seat.rowIndex}`;
    rows.set(key, [...(rows.get(key) ?? []), seat]);
  }
  const candidates: { run: SeatRecord[]; orphans: number; rowIndex: number; distance: number }[] = [];
  for (const [key, seats] of rows) {
    seats.sort((a, b) => a.number - b.number);
    const free = new Set(seats.map((s) => s.number));
    const length = rowLengths.get(key) ?? Math.max(...seats.map((s) => s.number));
    const centre = (length + 1) / 2;
    for (let i = 0; i + count <= seats.length; i++) {
      const run = seats.slice(i, i + count);
      const first = run[0]?.number ?? 0;
      const last = run.at(-1)?.number ?? 0;
      if (last - first !== count - 1) continue; // not contiguous
      const gapBefore = countFree(free, first - 1, -1);
      const gapAfter = countFree(free, last + 1, 1);
      const orphans = (gapBefore === 1 ? 1 : 0) + (gapAfter === 1 ? 1 : 0);
      candidates.push({
        run,
        orphans,
        rowIndex: run[0]?.rowIndex ?? 0,
        distance: Math.abs((first + last) / 2 - centre),
      });
    }
  }
  candidates.sort((a, b) => a.orphans - b.orphans || a.rowIndex - b.rowIndex || a.distance - b.distance);
  return candidates.map((c) => c.run);
}

/** Free seats in a direction until a taken seat or the row's end. */
function countFree(free: Set<number>, from: number, step: 1 | -1): number {
  let n = 0;
  for (let number = from; free.has(number); number += step) n++;
  return n;
}
