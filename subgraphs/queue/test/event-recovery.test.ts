import { randomUUID } from "node:crypto";
import { type AuthenticatedViewer, generateSigningKeyPair, importSigningKey } from "@urr/auth-tokens";
import type { EventState } from "@urr/contracts";
import { createLogger } from "@urr/logger";
import { EntryPasses } from "../src/domain/entry-passes.ts";
import { TieredPresale, tiersFrom } from "../src/domain/presale.ts";
import { QueueService } from "../src/domain/queue.service.ts";
import { MemoryEventDirectory } from "../src/store/event-directory.ts";
import { MemoryQueueStore } from "../src/store/memory-queue-store.ts";
import { type EventStateSource, RecoveringEventDirectory } from "../src/store/recovering-event-directory.ts";

const logger = createLogger("queue-test", { level: "silent" });
const HOUR = 3_600_000;
const fan = (n: number): AuthenticatedViewer => ({
  authenticated: true,
  userId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  email: `fan${n}@urr.test`,
  role: "USER",
});

/** Catalog as the queue sees it: records every question, answers from `states` (or fails when `down`). */
class RecordingCatalog implements EventStateSource {
  readonly states = new Map<string, EventState>();
  readonly asked: string[] = [];
  down = false;
  /** Bulk reads that fail before one succeeds (catalog still starting). */
  bulkFailures = 0;
  /** Holds every answer until released, so concurrent misses really overlap. */
  gate: Promise<void> = Promise.resolve();

  async event(eventId: string): Promise<EventState | null> {
    this.asked.push(eventId);
    await this.gate;
    if (this.down) throw new Error("catalog unreachable");
    return this.states.get(eventId) ?? null;
  }

  async *openEvents(): AsyncGenerator<EventState[]> {
    this.asked.push("open");
    if (this.down || this.bulkFailures-- > 0) throw new Error("catalog unreachable");
    yield [...this.states.values()];
  }
}

async function setup() {
  let now = Date.parse("2026-12-24T10:00:00.000Z");
  const catalog = new RecordingCatalog();
  const memory = new MemoryEventDirectory();
  const directory = new RecoveringEventDirectory({
    directory: memory,
    catalog,
    logger,
    unknownTtlMs: 5_000,
    now: () => now,
  });
  const keys = await generateSigningKeyPair();
  const queue = new QueueService({
    store: new MemoryQueueStore(1_000),
    directory,
    presale: new TieredPresale({ tierOf: tiersFrom(directory), stageMinutes: 60 }),
    passes: new EntryPasses(await importSigningKey(keys.privateKeyPem), 600),
    now: () => now,
  });
  const onSale = (revision = 1): EventState => {
    const eventId = randomUUID();
    const state = {
      eventId,
      artistId: randomUUID(),
      title: "Show",
      startsAt: new Date(now + 240 * HOUR).toISOString(),
      saleStartsAt: new Date(now - HOUR).toISOString(),
      saleEndsAt: new Date(now + 200 * HOUR).toISOString(),
      cancelledAt: null,
      revision,
    };
    catalog.states.set(eventId, state);
    return state;
  };
  return { catalog, memory, directory, queue, onSale, advance: (ms: number) => (now += ms) };
}

const codeOf = (error: unknown) => (error as { extensions?: { code?: string } }).extensions?.code;

describe("sale windows rebuilt from catalog when the store lost them", () => {
  it("a miss asks catalog once however many fans join at the same moment, then the window is kept", async () => {
    const { catalog, queue, onSale } = await setup();
    const event = onSale();
    let release: () => void = () => {};
    catalog.gate = new Promise((resolve) => (release = resolve));
    const joins = Array.from({ length: 50 }, (_, i) => queue.join(fan(i + 1), event.eventId));
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const views = await Promise.all(joins);
    expect(views.every((v) => v.state === "ACTIVE")).toBe(true);
    expect(catalog.asked).toEqual([event.eventId]);
    await queue.join(fan(99), event.eventId);
    expect(catalog.asked).toEqual([event.eventId]); // the window is in the directory now
  });

  it("an event catalog does not know is NOT_FOUND, remembered briefly so made-up ids do not hammer catalog", async () => {
    const { catalog, queue, advance } = await setup();
    const unknown = randomUUID();
    for (let i = 0; i < 20; i++) {
      await expect(queue.join(fan(1), unknown)).rejects.toMatchObject({ extensions: { code: "NOT_FOUND" } });
    }
    expect(catalog.asked).toEqual([unknown]);
    advance(5_001);
    await expect(queue.join(fan(1), unknown)).rejects.toMatchObject({ extensions: { code: "NOT_FOUND" } });
    expect(catalog.asked).toEqual([unknown, unknown]);
  });

  it("a catalog that cannot answer gives SERVICE_UNAVAILABLE (retry shortly), never NOT_FOUND, and is asked again", async () => {
    const { catalog, queue, onSale } = await setup();
    const event = onSale();
    catalog.down = true;
    const refused = await queue.join(fan(1), event.eventId).catch((e: unknown) => e);
    expect(codeOf(refused)).toBe("SERVICE_UNAVAILABLE");
    expect(refused).toMatchObject({ extensions: { reason: "CATALOG_UNAVAILABLE" } });
    expect(String((refused as Error).message)).not.toContain("unreachable"); // the cause stays in the logs
    catalog.down = false;
    await expect(queue.join(fan(1), event.eventId)).resolves.toMatchObject({ state: "ACTIVE" });
  });

  it("a fetched state never overwrites a newer one catalog-events delivered meanwhile", async () => {
    const { catalog, memory, directory, onSale } = await setup();
    const event = onSale(1);
    let release: () => void = () => {};
    catalog.gate = new Promise((resolve) => (release = resolve));
    const lookup = directory.event(event.eventId);
    await memory.saveEvent({
      eventId: event.eventId,
      artistId: event.artistId,
      saleStartsAt: new Date(event.saleStartsAt),
      saleEndsAt: new Date(event.saleEndsAt),
      cancelledAt: new Date(),
      revision: 2,
    });
    release();
    await expect(lookup).resolves.toMatchObject({ revision: 2, cancelledAt: expect.any(Date) });
  });

  it("at start-up reads every open event in bulk, retrying while catalog is not up yet", async () => {
    const { catalog, memory, directory, onSale } = await setup();
    const events = [onSale(), onSale(), onSale()];
    catalog.bulkFailures = 2;
    await directory.warmUp({ attempts: 5, baseDelayMs: 1 }).done;
    for (const e of events) await expect(memory.event(e.eventId)).resolves.toMatchObject({ revision: 1 });
    expect(catalog.asked.filter((a) => a === "open")).toHaveLength(3);
    expect(catalog.asked.filter((a) => a !== "open")).toEqual([]);
  });
});
