import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";

/**
 * Starts a Kafka-protocol broker for a test file (librdkafka's mock cluster, built from
 * `kafka-mock/kafka-mock.c` on first use; `npm test` installs librdkafka-dev when missing).
 */
const SOURCE = path.resolve(__dirname, "../kafka-mock/kafka-mock.c");
const BINARY = path.resolve(__dirname, "../../../node_modules/.cache/urr/kafka-mock");

export interface KafkaMock {
  /** For kafkajs `brokers`. */
  brokers: string[];
  stop(): Promise<void>;
}

function build(): void {
  if (existsSync(BINARY) && statSync(BINARY).mtimeMs >= statSync(SOURCE).mtimeMs) return;
  mkdirSync(path.dirname(BINARY), { recursive: true });
  try {
    execFileSync("gcc", ["-O2", "-o", BINARY, SOURCE, "-lrdkafka"], { stdio: "pipe" });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(`cannot build the Kafka mock broker (needs gcc and librdkafka-dev): ${stderr}`);
  }
}

export async function startKafkaMock(
  topics: string[],
  options: { brokers?: number; partitions?: number } = {},
): Promise<KafkaMock> {
  build();
  const child = spawn(BINARY, [String(options.brokers ?? 1), String(options.partitions ?? 3), ...topics], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`kafka-mock exited (${code}): ${stderr}`)));
  });
  return {
    brokers: firstLine.trim().split(","),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.stdin?.end();
      }),
  };
}
