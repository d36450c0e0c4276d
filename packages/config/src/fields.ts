import { z } from "zod";

/** Reusable environment field types, so every service parses ports and durations the same way. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  boolean: (fallback: boolean) =>
    z
      .enum(["true", "false", "1", "0", "yes", "no"])
      .transform((v) => v === "true" || v === "1" || v === "yes")
      .prefault(fallback ? "true" : "false"),
  /** Seconds as a positive integer. */
  seconds: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  int: (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback),
  url: () => z.url(),
  postgresUrl: () =>
    z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection string"),
  /** A comma-separated list, trimmed, empty items dropped. */
  list: (fallback: string[] = []) =>
    z
      .string()
      .transform((v) =>
        v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .prefault(fallback.join(",")),
  /** A PEM key; literal "\n" sequences are accepted so keys fit in one-line .env files. */
  pem: (kind: "PRIVATE KEY" | "PUBLIC KEY") =>
    z
      .string()
      .transform((v) => v.replace(/\\n/g, "\n").trim())
      .refine((v) => v.startsWith(`-----BEGIN ${kind}-----`), `must be a PEM ${kind.toLowerCase()}`),
  logLevel: () => z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  nodeEnv: () => z.enum(["development", "test", "production"]).default("development"),
};
