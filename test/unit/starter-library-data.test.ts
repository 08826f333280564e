// A lint of data/starter-lessons.json: what every starter lesson must carry, so a broken or
// thin entry fails here instead of in an organisation's library.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_LICENCE, LESSON_FIELD_MAX, lessonTextKey } from "../../src/domain/lesson-text.ts";
import { PHASES } from "../../src/domain/phase.ts";
import { POLICY_DOMAINS } from "../../src/domain/policy-domain.ts";
import {
  readStarterLibrary,
  STARTER_LIBRARY_FILE,
  starterLibrarySchema,
} from "../../src/use-cases/lessons/starter-library.ts";
import { prompts } from "../support/test-core.ts";

const raw = JSON.parse(readFileSync(STARTER_LIBRARY_FILE, "utf8")) as {
  lessons: Record<string, unknown>[];
};
const themeIds = prompts.themes("nl").map((theme) => theme.id);

describe("the starter library's data file", () => {
  it("passes the loader's own schema", async () => {
    await expect(readStarterLibrary(prompts)).resolves.toMatchObject({ lessons: expect.any(Array) });
  });

  it("holds about forty lessons, each with phase, themes, domain, licence and both languages", () => {
    expect(raw.lessons.length).toBeGreaterThanOrEqual(36);
    expect(raw.lessons.length).toBeLessThanOrEqual(48);
    for (const lesson of raw.lessons) {
      const where = `lesson ${String(lesson.id)}`;
      expect(PHASES as readonly unknown[], where).toContain(lesson.phase);
      expect(POLICY_DOMAINS as readonly unknown[], where).toContain(lesson.domain);
      expect(lesson.licence, where).toBe(DEFAULT_LICENCE);
      expect((lesson.themes as string[]).length, where).toBeGreaterThan(0);
      for (const theme of lesson.themes as string[]) expect(themeIds, where).toContain(theme);
      for (const locale of ["nl", "en"]) {
        const words = lesson[locale] as Record<string, string>;
        for (const field of ["text", "context", "recommendation"]) {
          expect(words?.[field]?.trim().length ?? 0, `${where} ${locale}.${field}`).toBeGreaterThan(20);
          expect(words?.[field]?.length ?? 0, `${where} ${locale}.${field}`).toBeLessThanOrEqual(LESSON_FIELD_MAX);
        }
      }
    }
  });

  it("spreads over every phase and domain, with distinct ids and texts", () => {
    const count = (key: string, value: string) => raw.lessons.filter((lesson) => lesson[key] === value).length;
    for (const phase of PHASES) expect(count("phase", phase), phase).toBeGreaterThanOrEqual(6);
    for (const domain of POLICY_DOMAINS) expect(count("domain", domain), domain).toBeGreaterThanOrEqual(6);
    expect(new Set(raw.lessons.map((lesson) => lesson.id)).size).toBe(raw.lessons.length);
    const texts = raw.lessons.flatMap((lesson) =>
      ["nl", "en"].map((locale) => lessonTextKey((lesson[locale] as { text: string }).text)),
    );
    expect(new Set(texts).size).toBe(texts.length);
  });

  it("refuses an entry without a domain or with an unknown theme", () => {
    const [first] = raw.lessons;
    const { domain: _domain, ...withoutDomain } = first as Record<string, unknown>;
    const schema = starterLibrarySchema(themeIds);
    expect(schema.safeParse({ ...raw, lessons: [withoutDomain] }).success).toBe(false);
    expect(schema.safeParse({ ...raw, lessons: [{ ...first, themes: ["weather"] }] }).success).toBe(false);
    expect(schema.safeParse({ ...raw, lessons: [{ ...first, licence: "all rights reserved" }] }).success).toBe(false);
  });
});
