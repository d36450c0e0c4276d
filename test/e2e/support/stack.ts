import { createTestDatabase, freePort, type TestDatabase } from "@urr/testkit";
import { ephemeralKeys } from "../../../scripts/lib/dev-keys.ts";
import { planStack, type StackPlan } from "../../../scripts/lib/stack.ts";
import { Supervisor } from "../../../scripts/lib/supervisor.ts";

/** The supergraph as real processes on free ports, each stateful subgraph on a fresh database. */
export interface E2EStack {
  plan: StackPlan;
  gatewayUrl: string;
  subgraphUrl(name: string): string;
  /** Kills one service, as a crash would. */
  kill(name: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startE2EStack(): Promise<E2EStack> {
  const database: TestDatabase = await createTestDatabase("auth");
  const plan = planStack({
    keys: await ephemeralKeys(),
    dataDir: "unused-in-e2e",
    databaseUrls: { auth: database.url },
    gatewayPort: await freePort(),
    subgraphPorts: { auth: await freePort() },
    logLevel: "warn",
    demo: false,
    admin: { email: "admin@urr.test", password: "admin-password-123" },
    extraEnv: { auth: { PASSWORD_HASH_LOG2N: "10" }, gateway: { CORS_ORIGINS: "https://app.urr.test" } },
  });
  const supervisor = new Supervisor({ readyTimeoutMs: 60_000 });
  try {
    for (const spec of plan.subgraphs) await supervisor.start(spec);
    await supervisor.start(plan.gateway);
  } catch (error) {
    await supervisor.stopAll();
    await database.drop();
    throw error;
  }
  return {
    plan,
    gatewayUrl: plan.gatewayUrl,
    subgraphUrl: (name) =>
      `http://127.0.0.1:${plan.subgraphs.find((s) => s.name === name)?.env.PORT}/graphql`,
    kill: (name) => supervisor.stop(name, "SIGKILL"),
    async stop() {
      await supervisor.stopAll();
      await database.drop();
    },
  };
}
