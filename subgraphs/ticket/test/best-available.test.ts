import { bestAvailableRuns } from "../src/domain/best-available.ts";
import type { SeatRecord } from "../src/domain/records.ts";

/** A row of `length` seats where `taken` numbers are gone. */
function row(rowIndex: number, length: number, taken: number[] = []): SeatRecord[] {
  return Array.from({ length }, (_, i) => i + 1)
    .filter((n) => !taken.includes(n))
    .map((number) => ({
      id: `${rowIndex}-${number}`,
      eventId: "e",
      section: "A",
      rowLabel: String(rowIndex + 1),
      rowIndex,
      number,
      label: `A-${rowIndex + 1}-${number}`,
      priceTier: "R",
      price: 1,
      x: number,
      y: rowIndex,
      status: "AVAILABLE",
      version: 0,
      fencingToken: 0n,
      heldBy: null,
      reservationId: null,
    }));
}
const numbers = (runs: SeatRecord[][]) => runs[0]?.map((s) => `${s.rowIndex}:${s.number}`);
const lengths = (rows: number, length: number) =>
  new Map(Array.from({ length: rows }, (_, i) => [`A|${i}`, length]));

describe("best available", () => {
  it("prefers the front row and the centre of the row", () => {
    expect(numbers(bestAvailableRuns([...row(0, 10), ...row(1, 10)], 2, lengths(2, 10)))).toEqual([
      "0:5",
      "0:6",
    ]);
  });

  it("picks only adjacent seats in one row", () => {
    const runs = bestAvailableRuns(row(0, 10, [3, 6, 9]), 3, lengths(1, 10));
    for (const run of runs) {
      expect(run[2]!.number - run[0]!.number).toBe(2);
    }
    expect(runs.every((run) => new Set(run.map((s) => s.rowIndex)).size === 1)).toBe(true);
  });

  it("avoids leaving a single orphan seat when another run exists", () => {
    // Row of 6 with seat 1 taken: free 2..6. Taking 2–3 leaves 4–6; taking 3–4 would strand seat 2.
    const best = numbers(bestAvailableRuns(row(0, 6, [1]), 2, lengths(1, 6)));
    expect(best).not.toEqual(["0:3", "0:4"]);
    expect(["0:2,0:3", "0:5,0:6"]).toContain(best?.join(","));
  });

  it("falls back to a run that strands a seat when nothing else fits, and finds nothing when no run exists", () => {
    expect(numbers(bestAvailableRuns(row(0, 3), 2, lengths(1, 3)))).toHaveLength(2);
    expect(bestAvailableRuns(row(0, 5, [2, 4]), 2, lengths(1, 5))).toEqual([]);
  });
});
