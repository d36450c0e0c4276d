import type { LayoutDefinition, SeatLayoutRecord } from "../domain/records.ts";
import type { Db, Prisma } from "./prisma.ts";

const FIELDS = { id: true, name: true, description: true, definition: true, createdAt: true } as const;
const toRecord = (row: { definition: unknown } & Omit<SeatLayoutRecord, "definition">): SeatLayoutRecord => ({
  ...row,
  definition: row.definition as LayoutDefinition,
});

export class SeatLayoutRepository {
  constructor(private readonly db: Db) {}

  async findById(id: string): Promise<SeatLayoutRecord | null> {
    const row = await this.db.seatLayout.findUnique({ where: { id }, select: FIELDS });
    return row ? toRecord(row) : null;
  }

  async findByIds(ids: readonly string[]): Promise<SeatLayoutRecord[]> {
    return (await this.db.seatLayout.findMany({ where: { id: { in: [...ids] } }, select: FIELDS })).map(
      toRecord,
    );
  }

  async list(): Promise<SeatLayoutRecord[]> {
    return (await this.db.seatLayout.findMany({ orderBy: { name: "asc" }, select: FIELDS })).map(toRecord);
  }

  async create(layout: {
    name: string;
    description: string;
    definition: LayoutDefinition;
  }): Promise<SeatLayoutRecord> {
    const row = await this.db.seatLayout.create({
      data: { ...layout, definition: layout.definition as unknown as Prisma.InputJsonValue },
      select: FIELDS,
    });
    return toRecord(row);
  }

  /** Layout ids per event (which plan an event's seats were drawn from). */
  async layoutIdsForEvents(eventIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.db.eventSeating.findMany({ where: { eventId: { in: [...eventIds] } } });
    return new Map(rows.map((r) => [r.eventId, r.layoutId]));
  }

  async recordSeating(eventId: string, layoutId: string): Promise<void> {
    await this.db.eventSeating.create({ data: { eventId, layoutId } });
  }
}
