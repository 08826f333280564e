import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lessonsCommand } from "../../src/cli/lessons-command.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { createStores, createUnitOfWork } from "../../src/persistence/unit-of-work.ts";
import { importLessons } from "../../src/use-cases/lessons/import-lessons.ts";
import { exportLessons } from "../../src/use-cases/lessons/lesson-exchange.ts";
import { countWhere, insertRow } from "../support/fixtures.ts";
import { prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const TARGET = "00000000-0000-4000-8000-00000000b001";
const NOW = new Date("2026-11-23T10:00:00Z");

describe("lessons library: export and import", () => {
  let database: TestDatabase;
  let stores: ReturnType<typeof createStores>;
  const importText = (organisationId: string, name: string, text: string) =>
    importLessons({ unitOfWork: createUnitOfWork(database.db), prompts }, organisationId, { name, chunks: [text] });
  const dir = mkdtempSync(join(tmpdir(), "leerlus-lessons-"));
  const run = async (...args: string[]) => {
    let out = "";
    let err = "";
    const code = await lessonsCommand(args, {
      db: database.db,
      prompts,
      out: (text) => {
        out += text;
      },
      err: (text) => {
        err += text;
      },
    });
    return { code, out, err };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    stores = createStores(database.db);
    await seedDemo(database.db, { now: NOW, fast: false });
    const cycle = await insertRow(database.db, "RetroCycle", {
      projectId: DEMO_IDS.pilot,
      sequence: 1,
      format: "four-ls",
      questions: {},
      opensAt: NOW,
      remindsAt: NOW,
      closesAt: NOW,
    });
    const answer = await insertRow(database.db, "Answer", {
      cycleId: cycle.id,
      personId: DEMO_IDS.lotte,
      responseKey: "r",
      questionKey: "q",
      text: 'Zeg het, met "quotes", komma\'s\nen regels.',
    });
    await insertRow(database.db, "Lesson", {
      organisationId: DEMO_IDS.organisation,
      projectId: DEMO_IDS.pilot,
      cycleId: cycle.id,
      sourceAnswerId: answer.id,
      phase: "pilot",
      text: answer.text as string,
      context: "We verwachtten weinig reacties.",
      recommendation: "Begin klein.",
      themes: ["communication"],
      disciplines: ["communication"],
      visibility: "shared",
      contact: "leerlus@demo.example",
      appliedIn: ["Elders slim (2026-10)"],
      usefulCount: 2,
    });
    await insertRow(database.db, "Organisation", { id: TARGET, name: "Gemeente Ontvanger", locale: "en" });
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("exports CSV, JSON and Markdown without anyone's name or the source answer", async () => {
    for (const format of ["csv", "json", "md"] as const) {
      const text = await exportLessons(stores, prompts, DEMO_IDS.organisation, format, NOW);
      expect(text).toContain("Begin klein.");
      expect(text).not.toMatch(/Lotte|Jansen|Sanne|sourceAnswer/);
      expect(text).not.toContain(DEMO_IDS.lotte);
    }
    const json = JSON.parse(await exportLessons(stores, prompts, DEMO_IDS.organisation, "json", NOW));
    const shared = json.find((row: { visibility: string }) => row.visibility === "shared");
    expect(shared).toMatchObject({ publisher: "Gemeente Demo", licence: "CC BY 4.0", contact: "leerlus@demo.example" });
    const md = await exportLessons(stores, prompts, DEMO_IDS.organisation, "md", NOW);
    expect(md).toMatch(/^# Lessen van Gemeente Demo/);
    expect(md).toContain("**Licentie:** CC BY 4.0");
  });

  it("round-trips through CSV and JSON from the CLI, skipping duplicates", async () => {
    const exported = await run("export", "--organisation", DEMO_IDS.organisation, "--format", "csv");
    expect(exported.code).toBe(0);
    const csvFile = join(dir, "lessons.csv");
    writeFileSync(csvFile, exported.out);
    const first = await run("import", "--organisation", TARGET, csvFile);
    expect(first).toMatchObject({ code: 0 });
    expect(first.out).toMatch(/Imported 4 lessons; skipped 0/);
    const jsonFile = join(dir, "lessons.json");
    writeFileSync(jsonFile, (await run("export", "--organisation", DEMO_IDS.organisation, "--format", "json")).out);
    expect((await run("import", "--organisation", TARGET, jsonFile)).out).toMatch(/Imported 0 lessons; skipped 4/);
    const original = await stores.library.ofOrganisation(DEMO_IDS.organisation);
    const imported = await stores.library.ofOrganisation(TARGET);
    const pick = (rows: typeof original) =>
      rows
        .map((row) => ({
          text: row.text,
          context: row.context,
          recommendation: row.recommendation,
          phase: row.phase,
          themes: row.themes,
          disciplines: row.disciplines,
          visibility: row.visibility,
          publisher: row.publisher,
          contact: row.contact,
          appliedIn: row.appliedIn,
          createdAt: row.createdAt.toISOString(),
        }))
        .sort((a, b) => a.text.localeCompare(b.text));
    expect(pick(imported)).toEqual(pick(original));
    expect(imported.every((row) => row.source === "import" && row.projectId === null)).toBe(true);
    expect(imported.find((row) => row.visibility === "shared")?.licence).toBe("CC BY 4.0");
  });

  it("guards CSV cells that a spreadsheet would run as formulas, and reads them back as written", async () => {
    const [source, target] = ["00000000-0000-4000-8000-00000000b101", "00000000-0000-4000-8000-00000000b102"];
    await insertRow(database.db, "Organisation", { id: source, name: "Gemeente Formule", locale: "nl" });
    await insertRow(database.db, "Organisation", { id: target, name: "Gemeente Lezer", locale: "nl" });
    const hostile = {
      text: '=HYPERLINK("http://evil.example","x")',
      context: "+cmd",
      recommendation: "'-1+1",
      contact: "@SUM(A1)",
    };
    await insertRow(database.db, "Lesson", {
      organisationId: source,
      phase: "pilot",
      themes: [],
      disciplines: [],
      visibility: "organisation",
      ...hostile,
    });
    const csv = await exportLessons(stores, prompts, source, "csv", NOW);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csv).toContain(`"'+cmd"`);
    expect(csv).toContain(`"''-1+1"`);
    expect(csv).toContain(`"'@SUM(A1)"`);
    expect(await importText(target, "f.csv", csv)).toMatchObject({ imported: 1 });
    const [imported] = await stores.library.ofOrganisation(target);
    expect(imported).toMatchObject(hostile);
  });

  it("refuses a bad file whole, naming the line and field", async () => {
    const before = await countWhere(database.db, "Lesson");
    const csv = [
      "text,phase,themes,visibility",
      "Een goede les,pilot,scaling,organisation",
      '"Nog een, met komma",verkennen,scaling,organisation',
      "Derde les,pilot,no-such-theme,organisation",
      ",pilot,,team",
    ].join("\n");
    const result = await importText(TARGET, "bad.csv", csv);
    expect(result.ok === false && result.reason).toBe("invalid");
    if (result.ok || result.reason !== "invalid") return;
    expect(result.issues).toEqual([
      expect.objectContaining({ line: 3, field: "phase" }),
      expect.objectContaining({ line: 4, field: "themes" }),
      expect.objectContaining({ line: 5, field: "text" }),
    ]);
    const json =
      '[\n  { "text": "Goed", "phase": "pilot" },\n  {\n    "text": "Fout",\n    "phase": "pilot",\n    "visibility": "world"\n  }\n]';
    const jsonFile = join(dir, "bad.json");
    writeFileSync(jsonFile, json);
    const cli = await run("import", "--organisation", TARGET, jsonFile);
    expect(cli.code).toBe(1);
    expect(cli.err).toMatch(/Nothing imported/);
    expect(cli.err).toContain("line 3, field visibility");
    const unknownColumn = await importText(TARGET, "x.csv", "text,phase,author\nA,pilot,Lotte\n");
    expect(unknownColumn).toEqual({
      ok: false,
      reason: "invalid",
      issues: [expect.objectContaining({ line: 1, field: "author" })],
      total: 1,
    });
    const broken = await importText(TARGET, "x.json", '[\n{"text": "A",\n "phase": }\n]');
    expect(broken).toEqual({
      ok: false,
      reason: "invalid",
      issues: [expect.objectContaining({ line: 3, field: "(file)" })],
      total: 1,
    });
    expect(await countWhere(database.db, "Lesson")).toBe(before);
  });
});
