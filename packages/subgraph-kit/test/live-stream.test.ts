import { PubSub } from "graphql-subscriptions";
import { liveStream } from "../src/live.ts";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("liveStream", () => {
  it("sends the state read after subscribing, then one output per message, in order", async () => {
    const pubsub = new PubSub();
    const stream = await liveStream<number, string>({
      pubsub,
      channel: "c",
      // A message published while the initial state is read is not lost.
      initial: async () => {
        await pubsub.publish("c", 1);
        return { value: "initial" };
      },
      step: async (n) => ({ value: `got ${n}` }),
      coalesce: (_older, newer) => newer,
    });
    await pubsub.publish("c", 2);
    expect(await stream.next()).toEqual({ value: "initial", done: false });
    expect(await stream.next()).toEqual({ value: "got 2", done: false });
    await stream.return?.();
  });

  it("coalesces what arrives while the reader is slow, and skips steps that emit nothing", async () => {
    const pubsub = new PubSub();
    const stream = await liveStream<number[], number[]>({
      pubsub,
      channel: "c",
      initial: async () => ({}),
      step: async (list) => (list.includes(0) ? {} : { value: list }),
      coalesce: (older, newer) => [...older, ...newer],
    });
    const reading = stream.next();
    await pubsub.publish("c", [0]); // processed alone: emits nothing, the reader keeps waiting
    await tick();
    // Three messages before the reader gets to run: one merged output.
    void pubsub.publish("c", [1]);
    void pubsub.publish("c", [2]);
    void pubsub.publish("c", [3]);
    expect(await reading).toEqual({ value: [1, 2, 3], done: false });
    await stream.return?.();
  });

  it("ends after an output marked last, and unsubscribes", async () => {
    const pubsub = new PubSub();
    let closed = 0;
    const stream = await liveStream<string, string>({
      pubsub,
      channel: "c",
      initial: async () => ({ value: "waiting" }),
      step: async (m) => ({ value: m, last: m === "admitted" }),
      coalesce: (_o, n) => n,
      onClose: () => closed++,
    });
    expect((await stream.next()).value).toBe("waiting");
    await pubsub.publish("c", "admitted");
    expect(await stream.next()).toEqual({ value: "admitted", done: false });
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    expect(closed).toBe(1);
    await pubsub.publish("c", "late"); // no listener left
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it("can be closed while it waits on a quiet channel", async () => {
    const pubsub = new PubSub();
    let closed = 0;
    const stream = await liveStream<string, string>({
      pubsub,
      channel: "c",
      initial: async () => ({}),
      step: async (m) => ({ value: m }),
      coalesce: (_o, n) => n,
      onClose: () => closed++,
    });
    const pending = stream.next();
    await tick();
    await stream.return?.();
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    expect(closed).toBe(1);
  });

  it("closes and rethrows when reading the initial state fails", async () => {
    const pubsub = new PubSub();
    let closed = 0;
    await expect(
      liveStream<string, string>({
        pubsub,
        channel: "c",
        initial: async () => {
          throw new Error("unknown event");
        },
        step: async (m) => ({ value: m }),
        coalesce: (_o, n) => n,
        onClose: () => closed++,
      }),
    ).rejects.toThrow("unknown event");
    expect(closed).toBe(1);
  });
});
