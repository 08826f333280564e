import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The one CLI test that pays for a process of its own: bin/leerlus.js, through tsx, turns
// what `runCli` returns into the exit code and its messages into stderr. Every other CLI test
// runs the commands in the test's process (test/support/run-cli.ts).
describe("bin/leerlus.js as a process", () => {
  it("stops `leerlus serve` with a message naming the variable and a non-zero exit", () => {
    const result = spawnSync(process.execPath, ["bin/leerlus.js", "serve"], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      env: { ...process.env, PORT: "not-a-port" },
      encoding: "utf8",
      timeout: 80_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/PORT/);
    expect(result.stderr).toMatch(/Fix these variables/);
    // A process started through tsx: generous on a loaded machine.
  }, 90_000);
});
