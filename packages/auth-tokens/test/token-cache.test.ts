import { ExpiringCache } from "../src/token-cache.ts";

describe("ExpiringCache", () => {
  it("returns values until their deadline, then forgets them", () => {
    let now = 1_000;
    const cache = new ExpiringCache<string>(10, () => now);
    cache.set("a", "A", 2_000);
    expect(cache.get("a")).toBe("A");
    now = 2_000;
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("never stores what is already expired", () => {
    const cache = new ExpiringCache<string>(10, () => 5_000);
    cache.set("late", "x", 5_000);
    expect(cache.get("late")).toBeUndefined();
  });

  it("evicts the oldest entry when full", () => {
    const cache = new ExpiringCache<number>(2, () => 0);
    cache.set("a", 1, 10);
    cache.set("b", 2, 10);
    cache.set("c", 3, 10);
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([undefined, 2, 3]);
  });
});
