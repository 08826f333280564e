// The CLI run inside the test process: the same `runCli` that bin/leerlus.js calls, with the
// environment it is given and what it prints captured. A spawned `node bin/leerlus.js` costs
// seconds of start-up per call; one spawn smoke test (test/e2e/cli-process.test.ts) keeps the
// real entry point honest.
import { vi } from "vitest";
import { runCli } from "../../src/main.ts";

export type CliResult = { code: number; stdout: string; stderr: string };

/**
 * Runs `leerlus <argv>` in this process with `env` laid over the current environment
 * (`undefined` removes a variable) and restored afterwards. Calls run one at a time: the
 * environment and the console are the process's own.
 */
export async function runCliInProcess(
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const saved = new Map(Object.keys(env).map((key) => [key, process.env[key]]));
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const line =
    (into: string[]) =>
    (...parts: unknown[]) =>
      void into.push(`${parts.map(String).join(" ")}\n`);
  const spies = [
    vi.spyOn(console, "log").mockImplementation(line(stdout)),
    vi.spyOn(console, "info").mockImplementation(line(stdout)),
    vi.spyOn(console, "error").mockImplementation(line(stderr)),
    vi.spyOn(console, "warn").mockImplementation(line(stderr)),
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return true;
    }),
  ];
  try {
    const code = await runCli(argv);
    return { code, stdout: stdout.join(""), stderr: stderr.join("") };
  } finally {
    for (const spy of spies) spy.mockRestore();
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
