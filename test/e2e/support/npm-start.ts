import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { freePort } from "@urr/testkit";

const ROOT = path.resolve(__dirname, "../../..");

/** `npm start` as a newcomer runs it, on a data directory of the test's and free ports. */
export interface NpmStartRun {
  child: ChildProcess;
  endpoint: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then waits for the exit; nothing when it already exited. */
  stop(): Promise<void>;
}

/** Starts the real start script and resolves once it printed its banner (throws on early exit). */
export async function startNpmStart(dataDir: string, timeoutMs: number): Promise<NpmStartRun> {
  const gatewayPort = await freePort();
  const ports: Record<string, string> = {};
  for (const name of ["AUTH", "CATALOG", "TICKET", "PAYMENT", "QUEUE"])
    ports[`${name}_PORT`] = String(await freePort());
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_OPTIONS: "",
      URR_DATA_DIR: dataDir,
      PORT: String(gatewayPort),
      ...ports,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const run: NpmStartRun = {
    child,
    endpoint: `http://127.0.0.1:${gatewayPort}/graphql`,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
    },
  };
  const deadline = Date.now() + timeoutMs;
  try {
    while (!output.includes("URR Supergraph is running")) {
      if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } catch (error) {
    await run.stop();
    throw error;
  }
  return run;
}
