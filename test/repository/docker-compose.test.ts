import { readFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { gatewayConfigSchema } from "../../gateway/src/config.ts";
import { authConfigSchema } from "../../subgraphs/auth/src/config.ts";
import { catalogConfigSchema } from "../../subgraphs/catalog/src/config.ts";
import { paymentConfigSchema } from "../../subgraphs/payment/src/config.ts";
import { queueConfigSchema } from "../../subgraphs/queue/src/config.ts";
import { ticketConfigSchema } from "../../subgraphs/ticket/src/config.ts";

/**
 * docker-compose.yml cannot be run on these machines (no Docker engine), so it is checked against
 * the code instead: every subgraph has a service, every variable it sets is one the service reads,
 * every URL points at a service that exists, every database it names is created.
 */
const ROOT = path.resolve(__dirname, "../..");
const compose = YAML.parse(readFileSync(path.join(ROOT, "docker-compose.yml"), "utf8"), { merge: true }) as {
  services: Record<
    string,
    { command?: string[]; environment?: Record<string, unknown>; depends_on?: Record<string, unknown> }
  >;
};
const supergraph = YAML.parse(readFileSync(path.join(ROOT, "supergraph.yaml"), "utf8")) as {
  subgraphs: Record<string, unknown>;
};
const configKeys: Record<string, string[]> = {
  gateway: Object.keys(gatewayConfigSchema.shape),
  auth: Object.keys(authConfigSchema.shape),
  catalog: Object.keys(catalogConfigSchema.shape),
  ticket: Object.keys(ticketConfigSchema.shape),
  payment: Object.keys(paymentConfigSchema.shape),
  queue: Object.keys(queueConfigSchema.shape),
};

describe("docker-compose.yml", () => {
  it("runs every subgraph and the gateway", () => {
    for (const name of Object.keys(supergraph.subgraphs)) {
      expect(compose.services[name]?.command).toContain(`subgraphs/${name}/src/main.ts`);
    }
    expect(compose.services.gateway?.command).toContain("gateway/src/main.ts");
  });

  it("sets only variables the services read", () => {
    for (const [service, keys] of Object.entries(configKeys)) {
      for (const variable of Object.keys(compose.services[service]?.environment ?? {})) {
        const base = variable.replace(/_FILE$/, "");
        const known =
          keys.includes(base) || (service === "gateway" && /^SUBGRAPH_[A-Z0-9_]+_URL$/.test(base));
        expect({ service, variable, known }).toEqual({ service, variable, known: true });
      }
    }
  });

  it("routes the gateway to services that exist, on the ports they listen on", () => {
    const env = compose.services.gateway?.environment ?? {};
    for (const [variable, value] of Object.entries(env)) {
      const match = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(variable);
      if (!match?.[1]) continue;
      const url = new URL(String(value));
      const target = compose.services[url.hostname];
      expect(target).toBeDefined();
      expect(String(target?.environment?.PORT)).toBe(url.port);
    }
    for (const name of Object.keys(supergraph.subgraphs)) {
      expect(env).toHaveProperty(`SUBGRAPH_${name.toUpperCase()}_URL`);
    }
  });

  it("creates every database a service connects to, and depends only on defined services", () => {
    const created = readFileSync(path.join(ROOT, "scripts/compose/create-databases.sql"), "utf8");
    for (const [name, service] of Object.entries(compose.services)) {
      const url = service.environment?.DATABASE_URL;
      if (typeof url === "string")
        expect(created).toContain(`CREATE DATABASE ${new URL(url).pathname.slice(1)};`);
      for (const dependency of Object.keys(service.depends_on ?? {})) {
        expect({ name, dependency, defined: dependency in compose.services }).toEqual({
          name,
          dependency,
          defined: true,
        });
      }
    }
  });

  it("builds an image that installs every workspace", () => {
    const dockerfile = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
    for (const name of Object.keys(supergraph.subgraphs)) {
      expect(dockerfile).toContain(`COPY subgraphs/${name}/package.json ./subgraphs/${name}/`);
    }
  });
});
