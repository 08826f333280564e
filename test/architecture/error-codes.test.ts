// Leerlus's own errors carry their code as a typed value (LeerlusError.code), not as a prefix
// of the message that a caller would have to parse.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { errorCode } from "../../adapters/web/web-access.ts";
import { ERROR_CODES, LeerlusError } from "../../src/domain/leerlus-error.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function sources(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)))
    .filter((file) => !file.startsWith("src/persistence/generated"));
}

describe("error codes", () => {
  it("no error is thrown with its code inside the message", () => {
    const prefixed = /new Error\(\s*[`"'][A-Z][A-Z0-9_]{3,}:/;
    const offenders = [...sources("src"), ...sources("adapters")].flatMap((file) =>
      readFileSync(path.join(ROOT, file), "utf8")
        .split("\n")
        .flatMap((line, index) => (prefixed.test(line) ? [`${file}:${index + 1}`] : [])),
    );
    expect(offenders).toEqual([]);
  });

  it("a code is read from the error, never parsed from its message", () => {
    const error = new LeerlusError("CADENCE_UNSATISFIABLE", "no working day in sixty slots");
    expect(error.code).toBe("CADENCE_UNSATISFIABLE");
    expect(errorCode(error)).toBe("CADENCE_UNSATISFIABLE");
    expect(errorCode(new Error("PROMPT_KEY_MISSING: a.b"))).toBeUndefined();
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });
});
