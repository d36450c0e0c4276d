import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "@urr/config";
import YAML from "yaml";
import { paymentConfigSchema } from "../../subgraphs/payment/src/config.ts";
import { configSchemas } from "./support/config-schemas.ts";

/**
 * docker-compose.yml cannot be run on these machines (no Docker engine), so it is checked against
 * the code instead: every subgraph has a service, every variable it sets is one the service reads,
 * every URL points at a service that exists, every database it names is created.
 */
const ROOT = path.resolve(__dirname, "../..");
const compose = YAML.parse(readFileSync(path.join(ROOT, "docker-compose.yml"), "utf8"), { merge: true }) as {
  services: Record<
    string,
    {
      command?: string[];
      environment?: Record<string, unknown>;
      depends_on?: Record<string, unknown>;
      volumes?: string[];
    }
  >;
};
const supergraph = YAML.parse(readFileSync(path.join(ROOT, "supergraph.yaml"), "utf8")) as {
  subgraphs: Record<string, unknown>;
};
const configKeys: Record<string, string[]> = Object.fromEntries(
  Object.entries(configSchemas).map(([name, schema]) => [name, Object.keys(schema.shape)]),
);

/**
 * A service's environment as `docker compose up` hands it over with nothing set in the shell:
 * `${NAME:-default}` takes its default, and each key file (`*_FILE`, written by the keys job) is
 * stood in for by a PEM of the right kind.
 */
function composedEnvironment(service: string, keyDir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [variable, raw] of Object.entries(compose.services[service]?.environment ?? {})) {
    const value = String(raw).replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, "$1");
    if (!variable.endsWith("_FILE")) {
      env[variable] = value;
      continue;
    }
    const kind = variable.includes("PRIVATE") ? "PRIVATE KEY" : "PUBLIC KEY";
    const file = path.join(keyDir, `${service}-${variable}.pem`);
    writeFileSync(file, `-----BEGIN ${kind}-----\nstand-in\n-----END ${kind}-----\n`);
    env[variable] = file;
  }
  return env;
}

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

  it("routes each internal call to a service that exists, and both ends share its secret", () => {
    const calls = Object.entries(compose.services).flatMap(([caller, service]) =>
      Object.entries(service.environment ?? {})
        .filter(([variable]) => /^[A-Z]+_INTERNAL_URL$/.test(variable))
        .map(([, value]) => ({ caller, url: new URL(String(value)) })),
    );
    expect(calls.map((c) => `${c.caller}→${c.url.hostname}`).sort()).toEqual([
      "gateway→auth",
      "payment→ticket",
      "queue→catalog",
      "queue→ticket",
    ]);
    for (const { caller, url } of calls) {
      const callee = compose.services[url.hostname];
      expect(String(callee?.environment?.PORT)).toBe(url.port);
      const secret = compose.services[caller]?.environment?.INTERNAL_API_SECRET;
      expect(secret).toEqual(expect.any(String));
      expect(callee?.environment?.INTERNAL_API_SECRET).toBe(secret);
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

  it("builds into the image every web page a service is told to serve", () => {
    const dockerfile = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
    const pages = Object.entries(compose.services).flatMap(([name, service]) =>
      ["EXPLORER_DIR", "DEMO_DIR"].flatMap((variable) => {
        const dir = service.environment?.[variable];
        return dir === undefined ? [] : [{ name, variable, dir: String(dir) }];
      }),
    );
    expect(pages.map((p) => p.variable).sort()).toEqual(["DEMO_DIR", "EXPLORER_DIR"]);
    for (const page of pages) {
      const built = new RegExp(`npm run web:build -- \\w+ --copy-to ${page.dir}(\\s|$)`).test(dockerfile);
      expect({ ...page, built }).toEqual({ ...page, built: true });
    }
  });

  it("builds an image that exposes every port a service listens on", () => {
    const exposed =
      /^EXPOSE (.+)$/m.exec(readFileSync(path.join(ROOT, "Dockerfile"), "utf8"))?.[1]?.split(/\s+/) ?? [];
    for (const [name, service] of Object.entries(compose.services)) {
      const port = service.environment?.PORT;
      if (port !== undefined)
        expect({ name, port: String(port), exposed: exposed.includes(String(port)) }).toEqual({
          name,
          port: String(port),
          exposed: true,
        });
    }
  });

  it("gives every service an environment its configuration accepts, as composed with nothing set", () => {
    const keyDir = mkdtempSync(path.join(tmpdir(), "urr-compose-keys-"));
    for (const [name, schema] of Object.entries(configSchemas)) {
      expect(() => loadConfig(name, schema, composedEnvironment(name, keyDir))).not.toThrow();
    }
  });

  it("runs payments on the labelled simulated provider unless told otherwise", () => {
    const keyDir = mkdtempSync(path.join(tmpdir(), "urr-compose-keys-"));
    const config = loadConfig("payment", paymentConfigSchema, composedEnvironment("payment", keyDir));
    expect(config.PAYMENT_PROVIDER).toBe("simulated");
    expect(String(compose.services.payment?.environment?.PAYMENT_PROVIDER)).toMatch(
      /^\$\{PAYMENT_PROVIDER:-simulated\}$/,
    );
    expect(readFileSync(path.join(ROOT, "docker-compose.yml"), "utf8")).toContain(
      "SIMULATED PAYMENTS by default",
    );
  });

  describe("operators' views", () => {
    const prometheus = YAML.parse(readFileSync(path.join(ROOT, "ops/prometheus.yml"), "utf8")) as {
      scrape_configs: { metrics_path?: string; static_configs: { targets: string[] }[] }[];
    };
    const scraped = prometheus.scrape_configs.flatMap((job) =>
      job.static_configs.flatMap((c) => c.targets.map((t) => `${t}${job.metrics_path ?? "/metrics"}`)),
    );

    it("scrapes every service's /metrics where it serves them (the gateway on METRICS_PORT)", () => {
      for (const name of Object.keys(configSchemas)) {
        const env = compose.services[name]?.environment ?? {};
        const port = name === "gateway" ? env.METRICS_PORT : env.PORT;
        expect({ name, port }).toEqual({ name, port: expect.anything() });
        expect(scraped).toContain(`${name}:${port}/metrics`);
      }
      expect(scraped).toHaveLength(Object.keys(configSchemas).length);
      expect(compose.services.prometheus?.volumes).toContain(
        "./ops/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
      );
    });

    it("sends every service's spans to the OTLP/HTTP receiver of a tracing service", () => {
      const keyDir = mkdtempSync(path.join(tmpdir(), "urr-compose-keys-"));
      for (const [name, schema] of Object.entries(configSchemas)) {
        const config = loadConfig(name, schema, composedEnvironment(name, keyDir)) as {
          OTEL_EXPORTER_OTLP_ENDPOINT?: string;
        };
        const endpoint = new URL(config.OTEL_EXPORTER_OTLP_ENDPOINT ?? "http://unset");
        expect({ name, host: endpoint.hostname, port: endpoint.port }).toEqual({
          name,
          host: "jaeger",
          port: "4318",
        });
      }
      expect(compose.services.jaeger?.environment?.COLLECTOR_OTLP_ENABLED).toBe("true");
    });

    it("keeps the gateway's metrics port off the host", () => {
      const ports = (compose.services.gateway as { ports?: string[] }).ports ?? [];
      const metricsPort = String(compose.services.gateway?.environment?.METRICS_PORT);
      expect(ports.some((p) => p.split(":").includes(metricsPort))).toBe(false);
    });

    it("charts only metrics the code defines, from the data source Grafana is given", () => {
      const dashboard = JSON.parse(readFileSync(path.join(ROOT, "ops/dashboards/on-sale.json"), "utf8")) as {
        panels: { datasource: { uid: string }; targets: { expr: string }[] }[];
      };
      const datasources = readFileSync(path.join(ROOT, "ops/grafana/datasources/prometheus.yml"), "utf8");
      const source = sourceText(["gateway/src", "packages", "subgraphs"]);
      const charted = new Set(
        dashboard.panels.flatMap((p) =>
          p.targets.flatMap((t) =>
            [...t.expr.matchAll(/\b(urr_[a-z_]+?)(?:_bucket)?\b/g)].map((m) => m[1] ?? ""),
          ),
        ),
      );
      expect(charted.size).toBeGreaterThan(10);
      for (const metric of charted)
        expect({ metric, defined: source.includes(`name: "${metric}"`) }).toEqual({ metric, defined: true });
      for (const panel of dashboard.panels) expect(datasources).toContain(`uid: ${panel.datasource.uid}`);
    });
  });
});

/** Every TypeScript source file under the given folders (tests and generated code left out). */
function sourceText(folders: string[]): string {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      if (entry === "node_modules" || entry === "generated" || entry === "test") continue;
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith(".ts")) texts.push(readFileSync(full, "utf8"));
    }
  };
  for (const folder of folders) walk(path.join(ROOT, folder));
  return texts.join("\n");
}
