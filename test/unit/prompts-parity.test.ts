import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { inlinePlurals } from "../../src/prompts/inline-plural.ts";
import { DATA_NAMESPACES, NOT_BOT_COPY } from "../../src/prompts/load-messages.ts";
import { flattenMessages } from "../../src/prompts/message-table.ts";
import { type MessageValue, placeholdersOf } from "../../src/prompts/render.ts";
import type { MessageTree } from "../../src/prompts/schemas.ts";

const PROMPTS = fileURLToPath(new URL("../../prompts", import.meta.url));

// Discovered, not listed, so files other engineers add later are checked too.
const pairs = [
  ...new Set(
    (readdirSync(PROMPTS, { recursive: true }) as string[])
      .map((file) => file.split("\\").join("/"))
      .filter((file) => /\.(nl|en)\.yaml$/.test(file))
      .map((file) => file.replace(/\.(nl|en)\.yaml$/, ""))
      .filter((stem) => !NOT_BOT_COPY.includes(stem)),
  ),
].sort();

function read(stem: string, locale: "nl" | "en"): unknown {
  return parse(readFileSync(join(PROMPTS, `${stem}.${locale}.yaml`), "utf8"));
}

function exists(stem: string, locale: "nl" | "en"): boolean {
  try {
    readFileSync(join(PROMPTS, `${stem}.${locale}.yaml`));
    return true;
  } catch {
    return false;
  }
}

/** Placeholders of every string leaf by its path; keyword lists are free-form per language. */
function placeholdersByPath(value: unknown, path = ""): Record<string, string[]> {
  if (typeof value === "string") return { [path]: placeholdersOf(value) };
  if (!value || typeof value !== "object") return {};
  const result: Record<string, string[]> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === "keywords") continue;
    Object.assign(result, placeholdersByPath(child, path ? `${path}.${key}` : key));
  }
  return result;
}

function messageTable(data: unknown): Record<string, string[]> {
  const table = new Map<string, MessageValue>();
  flattenMessages((data ?? {}) as MessageTree, "", table);
  return Object.fromEntries([...table].map(([key, value]) => [key, placeholdersOf(value)]));
}

function flatTable(data: unknown): Map<string, MessageValue> {
  const table = new Map<string, MessageValue>();
  flattenMessages((data ?? {}) as MessageTree, "", table);
  return table;
}

/** Per key: "text", or the forms of a one/other map ("plural: one other"). */
function shapes(data: unknown): Record<string, string> {
  return Object.fromEntries(
    [...flatTable(data)].map(([key, value]) => [
      key,
      typeof value === "string" ? "text" : `plural: ${Object.keys(value).sort().join(" ")}`,
    ]),
  );
}

/** Plurals (one/other maps and inline {n, plural, …}) that lack a form Intl.PluralRules can pick in `locale`. */
function missingForms(data: unknown, locale: "nl" | "en"): string[] {
  const needed = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
  const missing: string[] = [];
  for (const [key, value] of flatTable(data)) {
    if (typeof value !== "string") {
      for (const form of needed) if (!(form in value)) missing.push(`${key}: ${form}`);
    }
    for (const text of typeof value === "string" ? [value] : Object.values(value)) {
      for (const plural of inlinePlurals(text)) {
        for (const form of needed) if (!plural.branches.has(form)) missing.push(`${key} {${plural.name}}: ${form}`);
      }
    }
  }
  return missing;
}

type Row = Record<string, unknown>;
const list = (data: unknown, field: string): Row[] => ((data as Row | null)?.[field] as Row[] | undefined) ?? [];
const pick = (rows: Row[], fields: string[]) => rows.map((row) => fields.map((field) => row[field]));

describe("prompt files: nl and en parity", () => {
  it("finds the prompt files", () => {
    expect(pairs).toEqual(expect.arrayContaining(["messages", "themes", "interventions", "retro/four-ls"]));
  });

  describe.each(pairs)("%s", (stem) => {
    it("exists in nl and en", () => {
      expect(exists(stem, "nl"), `${stem}.nl.yaml`).toBe(true);
      expect(exists(stem, "en"), `${stem}.en.yaml`).toBe(true);
    });

    const isMessages = !stem.includes("/") && !DATA_NAMESPACES.includes(stem);

    it("has the same keys and the same placeholders per key", () => {
      const [nl, en] = [read(stem, "nl"), read(stem, "en")];
      if (isMessages) {
        expect(messageTable(nl)).toEqual(messageTable(en));
      } else {
        expect(placeholdersByPath(nl)).toEqual(placeholdersByPath(en));
      }
    });

    if (isMessages) {
      it("has the same plural variants, each with every form Intl.PluralRules can pick", () => {
        const [nl, en] = [read(stem, "nl"), read(stem, "en")];
        expect(shapes(nl)).toEqual(shapes(en));
        expect(missingForms(nl, "nl")).toEqual([]);
        expect(missingForms(en, "en")).toEqual([]);
      });
    }

    if (stem.startsWith("retro/")) {
      it("has a bank of at least three wordings per question key, as many in nl as in en", () => {
        const banks = (locale: "nl" | "en") =>
          list(read(stem, locale), "questions").map((question) => [
            question.key,
            1 + ((question.alternatives as Row[] | undefined) ?? []).length,
            ((question.alternatives as Row[] | undefined) ?? []).map((wording) => "hint" in wording),
          ]);
        expect(banks("nl")).toEqual(banks("en"));
        for (const [key, count] of banks("nl")) expect(count, `${stem} ${key}`).toBeGreaterThanOrEqual(3);
      });

      it("has the same question keys, kinds, yields and required flags", () => {
        const fields = ["key", "kind", "yields", "required"];
        expect(pick(list(read(stem, "nl"), "questions"), fields)).toEqual(
          pick(list(read(stem, "en"), "questions"), fields),
        );
      });
    }

    if (stem.startsWith("checkpoints/")) {
      it("has the same checkpoint keys, timing, strength, flags, owner and source", () => {
        const fields = ["key", "when", "strength", "appliesIf", "requiredIf", "requiredFrom", "owner", "source"];
        expect(pick(list(read(stem, "nl"), "checkpoints"), fields)).toEqual(
          pick(list(read(stem, "en"), "checkpoints"), fields),
        );
      });
    }

    if (stem === "themes") {
      it("has the same theme ids", () => {
        expect(pick(list(read(stem, "nl"), "themes"), ["id"])).toEqual(pick(list(read(stem, "en"), "themes"), ["id"]));
      });
    }

    if (stem === "interventions") {
      it("has the same intervention ids, themes and kinds", () => {
        const fields = ["id", "theme", "kind"];
        expect(pick(list(read(stem, "nl"), "interventions"), fields)).toEqual(
          pick(list(read(stem, "en"), "interventions"), fields),
        );
      });
    }
  });
});
