import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/main.ts";

const packageVersion = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../package.json"), "utf8"))
  .version as string;

/** Runs the CLI in this process and returns its exit code and what it printed. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...parts) => void out.push(parts.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...parts) => void err.push(parts.join(" ")));
  const code = await runCli(argv);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("leerlus --version", () => {
  it.each(["--version", "-v"])("%s prints the package's version and exits 0", async (flag) => {
    const result = await cli(flag);
    expect(result.code).toBe(0);
    expect(result.out.trim()).toBe(packageVersion);
  });
});

describe("leerlus <command> --help", () => {
  // Every command the usage names; none of them may start, migrate or open a database for --help.
  const commands = [
    "demo",
    "serve",
    "worker",
    "project",
    "privacy",
    "migrate",
    "teams",
    "slack",
    "lessons",
    "digest",
    "days-off",
  ];

  it.each(commands)("%s --help prints that command's usage and exits 0", async (command) => {
    for (const flag of ["--help", "-h"]) {
      const result = await cli(command, flag);
      expect(result.code).toBe(0);
      expect(result.out).toMatch(new RegExp(`^Usage: leerlus ${command}\\b`));
      expect(result.out).toMatch(new RegExp(`^  ${command}\\b`, "m"));
      expect(result.err).toBe("");
    }
  });

  it("--help after a subcommand is help too", async () => {
    const result = await cli("project", "import", "--help");
    expect(result.code).toBe(0);
    expect(result.out).toContain("project");
  });

  it("an unknown command with --help is still refused with exit code 2", async () => {
    const result = await cli("frobnicate", "--help");
    expect(result.code).toBe(2);
    expect(result.err).toContain('Unknown command "frobnicate"');
  });
});
