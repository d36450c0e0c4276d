import path from "node:path";
import { ephemeralKeys } from "../../scripts/lib/dev-keys.ts";
import { planStack, STATEFUL_SUBGRAPHS, type StackOptions } from "../../scripts/lib/stack.ts";

/** The stack never decides on its own where a database lives. */
async function options(overrides: Partial<StackOptions>): Promise<StackOptions> {
  return {
    keys: await ephemeralKeys(),
    databaseUrls: {},
    gatewayPort: 4999,
    demo: false,
    admin: { email: "admin@urr.test", password: "admin-password-123" },
    eventSecret: "e".repeat(32),
    serviceSecret: "s".repeat(32),
    ...overrides,
  };
}

describe("planStack", () => {
  it("refuses a stateful subgraph that has neither a database URL nor a data directory", async () => {
    const urls = Object.fromEntries(STATEFUL_SUBGRAPHS.map((name) => [name, `postgresql://db/${name}`]));
    delete urls.payment;
    const plan = await options({ databaseUrls: urls });
    expect(() => planStack(plan)).toThrow(
      "subgraph payment keeps state but has neither a database URL nor a data directory",
    );
  });

  it("puts each stateful subgraph on its URL, or on PGlite under the data directory given", async () => {
    const urls = { auth: "postgresql://db/auth" };
    const plan = planStack(await options({ databaseUrls: urls, dataDir: "/tmp/urr-plan-test/data" }));
    const env = (name: string) => plan.subgraphs.find((s) => s.name === name)?.env ?? {};
    expect(env("auth").DATABASE_URL).toBe("postgresql://db/auth");
    expect(env("auth").PGLITE_DATA_DIR).toBeUndefined();
    expect(env("payment").PGLITE_DATA_DIR).toBe(path.resolve("/tmp/urr-plan-test/data/payment"));
    expect(env("queue").PGLITE_DATA_DIR).toBeUndefined();
  });

  it("puts no poster directory anywhere when there is no data directory", async () => {
    const urls = Object.fromEntries(STATEFUL_SUBGRAPHS.map((name) => [name, `postgresql://db/${name}`]));
    const plan = planStack(await options({ databaseUrls: urls }));
    expect(plan.subgraphs.find((s) => s.name === "catalog")?.env.POSTER_DIR).toBeUndefined();
  });
});
