import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";

const PROMPTS = fileURLToPath(new URL("../../prompts", import.meta.url));

const glossarySchema = z.object({
  begrippen: z.record(z.string(), z.object({ term: z.string(), vermijd: z.array(z.string()) })),
  toegestaan: z.array(z.string()),
});
const glossary = glossarySchema.parse(parse(readFileSync(join(PROMPTS, "glossary.nl.yaml"), "utf8")));

/**
 * TODO(issue #25, point 6): another helper is rewriting these files with the same glossary. Remove this list
 * after that work is merged, so the checkpoint and gate texts are checked too.
 */
const TODO_NOT_YET_CHECKED: string[] = [];

/**
 * Values that quote words people may type in English (commands and CSV values keep working in both languages),
 * by file stem and dotted key path.
 */
const ENGLISH_COMMAND_VALUES = new Set([
  "messages:import.problem.unknown-phase",
  "messages:import.problem.unknown-role",
  "messages:import.problem.unknown-discipline",
]);

/**
 * English detection: words that are common in English and are not Dutch words, plus the English terms this
 * product used to show. A short list finds the leftovers of translation without flagging Dutch words such as
 * "is", "in", "of" or "die". Loanwords in the glossary's `toegestaan` are removed before the check.
 */
const ENGLISH_WORDS = [
  "the",
  "and",
  "your",
  "you",
  "please",
  "must",
  "should",
  "with",
  "this",
  "that",
  "from",
  "for",
  "now",
  "go",
  "hold",
  "recycle",
  "member",
  "lead",
  "owner",
  "evidence",
  "checkpoint",
  "checkpoints",
  "portfolio",
  "digest",
  "nudge",
  "overdue",
  "persona",
  "submit",
];

/** Keys of data files that are identifiers, not text people read. */
const IDENTIFIER_KEYS = new Set([
  "key",
  "id",
  "theme",
  "kind",
  "yields",
  "required",
  "mustMeet",
  "keywords",
  "when",
  "strength",
  "appliesIf",
  "requiredIf",
  "requiredFrom",
  "owner",
  "source",
]);

type Leaf = { file: string; path: string; text: string };

function leaves(value: unknown, file: string, path: string): Leaf[] {
  if (typeof value === "string") return [{ file, path, text: value }];
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) =>
    IDENTIFIER_KEYS.has(key) ? [] : leaves(child, file, path ? `${path}.${key}` : key),
  );
}

const stems = (readdirSync(PROMPTS, { recursive: true }) as string[])
  .map((file) => file.split("\\").join("/"))
  .filter((file) => file.endsWith(".nl.yaml"))
  .map((file) => file.replace(/\.nl\.yaml$/, ""))
  .filter((stem) => stem !== "glossary")
  .sort();
const checked = stems.filter((stem) => !TODO_NOT_YET_CHECKED.includes(stem));
const texts = checked.flatMap((stem) =>
  leaves(parse(readFileSync(join(PROMPTS, `${stem}.nl.yaml`), "utf8")), stem, ""),
);

/** Whole word or phrase, case-insensitive; a hyphen counts as part of a word, so "Leerlus-beheerder" is not "beheerder". */
function wordPattern(phrase: string): RegExp {
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}-])${escaped}(?![\\p{L}\\p{N}-])`, "iu");
}

function where(leaf: Leaf): string {
  return `${leaf.file}:${leaf.path}: "${leaf.text}"`;
}

describe("Dutch glossary", () => {
  it("finds the Dutch prompt files", () => {
    expect(checked).toEqual(expect.arrayContaining(["messages", "portfolio", "retro/four-ls"]));
  });

  it("uses no synonym the glossary tells us to avoid", () => {
    const found: string[] = [];
    for (const [concept, { term, vermijd }] of Object.entries(glossary.begrippen)) {
      for (const avoid of vermijd) {
        const pattern = wordPattern(avoid);
        for (const leaf of texts) {
          if (ENGLISH_COMMAND_VALUES.has(`${leaf.file}:${leaf.path}`)) continue;
          // Placeholder names are code, not words; {phase} stays so "de fase {phase}" is caught.
          const text = leaf.text.replace(/\{(?!phase\})[A-Za-z0-9_]+\}/g, " ");
          if (pattern.test(text)) found.push(`${where(leaf)} has "${avoid}"; for ${concept} use ${term}`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  it("has no English words outside the allow-list", () => {
    const allowed = glossary.toegestaan.map(wordPattern);
    const english = ENGLISH_WORDS.map((word) => ({ word, pattern: wordPattern(word) }));
    const found: string[] = [];
    for (const leaf of texts) {
      if (ENGLISH_COMMAND_VALUES.has(`${leaf.file}:${leaf.path}`)) continue;
      let text = leaf.text.replace(/\{[A-Za-z0-9_]+\}/g, " ");
      for (const pattern of allowed) text = text.replace(new RegExp(pattern.source, "giu"), " ");
      for (const { word, pattern } of english) if (pattern.test(text)) found.push(`${where(leaf)} has "${word}"`);
    }
    expect(found).toEqual([]);
  });

  it("gives every counted message plural forms", () => {
    // A {count} in a plain string cannot agree with its number ("1 lessen"); plural maps are flattened to
    // <key>.one / <key>.other by leaves(), so a plain leaf is a leaf whose last key is not a plural form.
    const plain = texts.filter((leaf) => /\{count\}/.test(leaf.text) && !/\.(zero|one|other)$/.test(leaf.path));
    expect(plain.map(where)).toEqual([]);
  });

  it("checks the files it skips for now only while they are listed as TODO", () => {
    for (const stem of TODO_NOT_YET_CHECKED) expect(stems).toContain(stem);
  });
});
