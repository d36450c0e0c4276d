import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  ACCESS_COOKIE,
  EventState,
  eventStatePath,
  isUuid,
  OpenEventsPage,
  openEventsPath,
  REFRESH_COOKIE,
  ReservationSnapshot,
  reservationSnapshotPath,
  UUID_PATTERN,
} from "../src/index.ts";

const snapshot = {
  id: randomUUID(),
  number: "URR-7K3M-Q9XD",
  userId: randomUUID(),
  eventId: randomUUID(),
  status: "PENDING",
  totalAmount: 154_000,
  currency: "KRW",
  expiresAt: new Date().toISOString(),
  paymentId: null,
  holdIntact: true,
  holdProblem: null,
};

describe("internal HTTP contracts", () => {
  it("accepts what ticket sends and refuses what a cast would have let through", () => {
    expect(ReservationSnapshot.parse(snapshot)).toEqual(snapshot);
    for (const broken of [
      { totalAmount: "154000" },
      { totalAmount: -1 },
      { status: "PAID" },
      { userId: "fan-1" },
      { holdIntact: undefined },
      { expiresAt: "tomorrow" },
    ]) {
      expect(ReservationSnapshot.safeParse({ ...snapshot, ...broken }).success).toBe(false);
    }
  });

  it("carries an event's state with the revision catalog-events uses", () => {
    const state = {
      eventId: randomUUID(),
      artistId: randomUUID(),
      title: "Night",
      startsAt: "2030-01-01T19:00:00.000Z",
      saleStartsAt: "2029-12-01T10:00:00.000Z",
      saleEndsAt: "2029-12-31T10:00:00.000Z",
      cancelledAt: null,
      revision: 3,
    };
    expect(EventState.parse(state)).toEqual(state);
    expect(EventState.safeParse({ ...state, revision: 0 }).success).toBe(false);
    expect(OpenEventsPage.parse({ events: [state], nextCursor: null }).events).toHaveLength(1);
  });

  it("builds paths that cannot be steered elsewhere by the id", () => {
    expect(reservationSnapshotPath("a/../b")).toBe("/internal/reservations/a%2F..%2Fb");
    expect(eventStatePath("x?y")).toBe("/internal/event-states/x%3Fy");
    expect(openEventsPath({ after: "c&d", limit: 5 })).toBe(
      "/internal/event-states?open=true&after=c%26d&limit=5",
    );
    expect(isUuid(randomUUID().toUpperCase())).toBe(true);
    expect(isUuid("7b0c1c9e-1111-4a4a-8b8b-00000000000")).toBe(false);
  });
});

describe("formats defined once", () => {
  const ROOT = path.resolve(__dirname, "../../..");
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory())
        return entry.name === "generated" || entry.name === "node_modules" ? [] : sources(full);
      return entry.name.endsWith(".ts") ? [full] : [];
    });
  const productCode = ["gateway/src", "packages", "subgraphs"]
    .flatMap((dir) => sources(path.join(ROOT, dir)))
    .filter(
      (file) => file.includes(`${path.sep}src${path.sep}`) && !file.includes(`contracts${path.sep}src`),
    );

  it("no product code spells a cookie name or the UUID pattern itself", () => {
    const spelled = [`"${ACCESS_COOKIE}"`, `"${REFRESH_COOKIE}"`, UUID_PATTERN.source];
    const offenders = productCode.filter((file) => {
      const text = readFileSync(file, "utf8");
      return spelled.some((literal) => text.includes(literal));
    });
    expect(offenders.map((file) => path.relative(ROOT, file))).toEqual([]);
  });
});
