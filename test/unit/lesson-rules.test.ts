import { describe, expect, it } from "vitest";
import { type CsvRecord, toCsv } from "../../src/domain/lesson-csv.ts";
import { parseLessonQuery, resolveIds } from "../../src/domain/lesson-query.ts";
import { lessonTextKey } from "../../src/domain/lesson-text.ts";
import { suggestThemes } from "../../src/domain/theme-tagging.ts";
import { csvRecords } from "../../src/use-cases/imports/csv-records.ts";
import { prompts } from "../support/test-core.ts";

describe("lesson query", () => {
  it("splits filters from words, keeping quoted phrases", () => {
    expect(
      parseLessonQuery(
        '"dpia voordat" sensoren thema:privacy,scaling fase:pilot project:"slim parkeren" discipline:data-it domein:wonen',
      ),
    ).toEqual({
      words: '"dpia voordat" sensoren',
      themes: ["privacy", "scaling"],
      phases: ["pilot"],
      projects: ["slim parkeren"],
      disciplines: ["data-it"],
      domains: ["wonen"],
    });
    expect(parseLessonQuery("residents theme:user-involvement")).toMatchObject({
      words: "residents",
      themes: ["user-involvement"],
    });
    expect(parseLessonQuery("kosten:baten analyse").words).toBe("kosten:baten analyse");
  });

  it("resolves ids, their start, or a word of a label in either language", () => {
    const known = [
      { id: "user-involvement", labels: ["Gebruikers en inwoners betrekken", "Involving users and residents"] },
      { id: "scaling", labels: ["Opschalen en borgen", "Scaling up"] },
    ];
    expect(resolveIds(["gebruikers"], known)).toEqual(["user-involvement"]);
    expect(resolveIds(["scal"], known)).toEqual(["scaling"]);
    expect(resolveIds(["bogus"], known)).toEqual(["bogus"]);
  });
});

describe("lesson CSV", () => {
  const read = async (...chunks: string[]) => {
    const records: CsvRecord[] = [];
    for await (const record of csvRecords(chunks)) records.push(record);
    return records;
  };

  it("round-trips commas, quotes and line breaks, and names the line each record starts on", async () => {
    const rows = [
      ['Zeg het, met "quotes"', "twee\nregels"],
      ["eenvoudig", ""],
      ["windows", "regel\r\neinde"],
      ["laatste", "x"],
    ];
    const text = toCsv(["text", "context"], rows);
    const parsed = await read(text.slice(0, 17), text.slice(17));
    expect(parsed.map((record) => record.cells)).toEqual([["text", "context"], ...rows]);
    expect(parsed.map((record) => record.line)).toEqual([1, 2, 4, 5, 7]);
    await expect(read('a,b\n"open,x\n')).rejects.toThrow(/line 2/);
  });

  it("treats texts that differ in case, spacing and end punctuation as the same lesson", () => {
    expect(lessonTextKey("  Begin  klein. ")).toBe(lessonTextKey("begin klein"));
  });
});

describe("theme suggestions", () => {
  const themes = prompts.themes("nl");
  it("match keyword prefixes as before", () => {
    expect(suggestThemes("De betrokkenheid van bewoners groeide", themes)).toContain("user-involvement");
  });
  it("match inflected forms through a stemmer", () => {
    const stems: Record<string, string[]> = { gemeenteraden: ["gemeenterad"], gemeenteraad: ["gemeenterad"] };
    const text = "De gemeenteraden wilden cijfers";
    expect(suggestThemes(text, themes)).not.toContain("communication");
    expect(suggestThemes(text, themes, 3, (word) => stems[word] ?? [])).toContain("communication");
  });
});
