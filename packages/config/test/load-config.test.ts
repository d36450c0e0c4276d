import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import { ConfigError, env, loadConfig } from "../src/index.ts";

const schema = z.object({
  PORT: env.port(4000),
  DATABASE_URL: env.postgresUrl(),
  COOKIE_SECURE: env.boolean(false),
  ORIGINS: env.list(["http://a"]),
});

describe("loadConfig", () => {
  it("applies defaults and coerces types", () => {
    const config = loadConfig("svc", schema, { DATABASE_URL: "postgresql://x/y", COOKIE_SECURE: "true" });
    expect(config).toEqual({
      PORT: 4000,
      DATABASE_URL: "postgresql://x/y",
      COOKIE_SECURE: true,
      ORIGINS: ["http://a"],
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("names every bad variable in one error", () => {
    let error: unknown;
    try {
      loadConfig("svc", schema, { PORT: "99999", DATABASE_URL: "mysql://nope", COOKIE_SECURE: "maybe" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain("Invalid configuration for svc");
    expect(message).toMatch(/PORT:/);
    expect(message).toMatch(/DATABASE_URL: must be a postgres/);
    expect(message).toMatch(/COOKIE_SECURE:/);
  });

  it("treats empty strings as unset", () => {
    expect(loadConfig("svc", schema, { DATABASE_URL: "postgres://x", PORT: "" }).PORT).toBe(4000);
  });

  it("splits lists and reads PEM keys written on one line", () => {
    const pem = z.object({ KEY: env.pem("PUBLIC KEY"), LIST: env.list() });
    const config = loadConfig("svc", pem, {
      KEY: "-----BEGIN PUBLIC KEY-----\\nabc\\n-----END PUBLIC KEY-----",
      LIST: " a, ,b ",
    });
    expect(config.KEY).toBe("-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----");
    expect(config.LIST).toEqual(["a", "b"]);
  });

  it("reads X from the file named by X_FILE (container secrets)", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "urr-config-")), "db-url");
    writeFileSync(file, "postgresql://from/file\n");
    expect(loadConfig("svc", schema, { DATABASE_URL_FILE: file }).DATABASE_URL).toBe(
      "postgresql://from/file",
    );
    expect(() => loadConfig("svc", schema, { DATABASE_URL_FILE: "/nonexistent/x" })).toThrow(
      /DATABASE_URL_FILE: cannot read/,
    );
    expect(() =>
      loadConfig("svc", schema, { DATABASE_URL: "postgres://a", DATABASE_URL_FILE: file }),
    ).toThrow(/not both/);
  });
});
