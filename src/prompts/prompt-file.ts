import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { z } from "zod";
import { LOCALES, type Locale } from "../domain/locale.ts";

/** A prompt file found on disk: `<name>.<locale>.yaml`. */
export type PromptFile = { path: string; name: string; locale: Locale };

const FILE_NAME = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.([a-z]{2})\.yaml$/;

function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

/** Prompt files directly in `directory`; a missing directory has none. */
export function listPromptFiles(directory: string): PromptFile[] {
  let entries: string[];
  try {
    entries = readdirSync(directory, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const files: PromptFile[] = [];
  for (const entry of entries.sort()) {
    const path = join(directory, entry);
    // A .yml or misnamed file would otherwise be silently ignored, and its text never shown.
    if (!/\.ya?ml$/.test(entry)) continue;
    const match = FILE_NAME.exec(entry);
    if (!match?.[1] || !match[2]) {
      throw new Error(`Invalid prompt file ${path}: the name must be <name>.<locale>.yaml in kebab-case`);
    }
    if (!isLocale(match[2])) {
      throw new Error(`Invalid prompt file ${path}: unknown locale "${match[2]}" (known: ${LOCALES.join(", ")})`);
    }
    files.push({ path, name: match[1], locale: match[2] });
  }
  return files;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "(root)" : path.map(String).join(".");
}

/** Reads, parses and validates one file; every failure names the file and the bad field. */
export function readPromptFile<S extends z.ZodType>(path: string, schema: S): z.output<S> {
  let data: unknown;
  try {
    data = parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`Invalid prompt file ${path}: ${(error as Error).message}`, { cause: error });
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    throw new Error(`Invalid prompt file ${path}: ${problems.join("; ")}`);
  }
  return result.data;
}
