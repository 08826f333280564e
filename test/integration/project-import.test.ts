import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toCsv } from "../../src/domain/lesson-csv.ts";
import { IMPORT_COLUMNS } from "../../src/domain/project-import.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { importProjects } from "../../src/use-cases/import-projects.ts";
import { countWhere, insertRow, oneWhere } from "../support/fixtures.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { runCliInProcess } from "../support/run-cli.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const DISCIPLINES = [
  "data-it",
  "domain-expert",
  "policy",
  "legal-privacy",
  "communication",
  "user-resident",
  "external-partner",
];

/** 20 projects of 8 people: 150 people, ten of whom are in two projects. */
function organisationCsv(): string[][] {
  const rows: string[][] = [];
  for (let p = 0; p < 20; p++) {
    for (let m = 0; m < 8; m++) {
      const n = p * 8 + m;
      const person = n < 150 ? n : n - 150; // the last ten rows reuse people 0..9
      rows.push([
        `Project ${p + 1}`,
        p % 2 === 0 ? "pilot" : "verkennen",
        p % 3 === 0 ? "weekly monday 10:00" : "",
        `Persoon ${person}`,
        `persoon${person}@gemeente.nl`,
        m === 0 ? "trekker" : "lid",
        m === 0 ? "lead" : (DISCIPLINES[m % DISCIPLINES.length] as string),
        m % 4 === 0 ? "en" : "nl",
      ]);
    }
  }
  return rows;
}

describe("importing projects and people from a CSV", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  let organisationId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [createRecordingAdapter("web")]);
    organisationId = (await insertRow(database.db, "Organisation", { name: "Gemeente Import" })).id;
    await insertRow(database.db, "Install", { organisationId, platform: "slack", tenantId: "T9" });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("a bad file imports nothing and names the line and field", async () => {
    const rows = organisationCsv();
    (rows[55] as string[])[5] = "koning"; // line 57: header is line 1
    (rows[80] as string[])[4] = "geen-email";
    const result = await importProjects(core.deps, organisationId, toCsv([...IMPORT_COLUMNS], rows), null);
    expect(result.ok === false && result.reason).toBe("invalid");
    if (result.ok || result.reason !== "invalid") return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        { line: 57, field: "role", code: "unknown-role" },
        { line: 82, field: "email", code: "email-invalid" },
      ]),
    );
    expect(await countWhere(database.db, "Project")).toBe(0);
    expect(await countWhere(database.db, "Person")).toBe(0);

    const noLead = organisationCsv().map((row) =>
      row[0] === "Project 3" ? [...row.slice(0, 5), "lid", ...row.slice(6)] : row,
    );
    const missingLead = await importProjects(core.deps, organisationId, toCsv([...IMPORT_COLUMNS], noLead), null);
    expect(missingLead.ok === false && missingLead.reason === "invalid" && missingLead.problems).toEqual([
      { line: 18, field: "role", code: "no-lead" },
    ]);
    const missingColumn = await importProjects(core.deps, organisationId, "project,phase\nA,pilot\n", null);
    expect(
      missingColumn.ok === false && missingColumn.reason === "invalid" && missingColumn.problems.map((p) => p.field),
    ).toContain("email");
  });

  it("imports 20 projects and 150 people all at once, and the CLI says so", async () => {
    const result = await importProjects(core.deps, organisationId, toCsv([...IMPORT_COLUMNS], organisationCsv()), null);
    expect(result).toEqual({ ok: true, projects: 20, people: 150 });
    expect(await countWhere(database.db, "Project", { organisationId })).toBe(20);
    expect(await countWhere(database.db, "Person", { organisationId })).toBe(150);
    expect(await countWhere(database.db, "Membership")).toBe(160);
    expect(await countWhere(database.db, "Membership", { role: "lead", discipline: "lead" })).toBe(20);
    const project1 = await oneWhere(database.db, "Project", { name: "Project 1" });
    expect(project1.cadence).toMatchObject({ kind: "weekly", weekday: 1, time: "10:00" });

    // Importing the same projects again clashes and changes nothing.
    const again = await importProjects(core.deps, organisationId, toCsv([...IMPORT_COLUMNS], organisationCsv()), null);
    expect(again.ok === false && again.reason === "invalid" && again.problems[0]?.code).toBe("project-exists");
    expect(await countWhere(database.db, "Project")).toBe(20);

    const dir = mkdtempSync(path.join(tmpdir(), "leerlus-import-"));
    const bad = path.join(dir, "bad.csv");
    writeFileSync(bad, "project,phase,cadence,person,email,role,discipline,locale\nX,pilot,,A,a@b.nl,koning,,\n");
    const run = (args: string[]) =>
      runCliInProcess(["project", ...args, "--organisation", organisationId], { DATABASE_URL: database.url });
    const failed = await run(["import", bad]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("regel 2, role");
    const added = await run([
      "add",
      "--name",
      "Nieuw project",
      "--lead-name",
      "Persoon 3",
      "--lead-email",
      "persoon3@gemeente.nl",
    ]);
    expect(added.stdout).toMatch(/Projecten: 1; personen: 1\./);
    expect(await countWhere(database.db, "Person", { organisationId })).toBe(150);
  });

  it("links an imported person to their chat identity by email on first contact", async () => {
    const imported = await oneWhere(database.db, "Person", { email: "persoon7@gemeente.nl" });
    await handleEvent(core.deps, {
      type: "memberJoined",
      platform: "slack",
      tenantId: "T9",
      platformUserId: "U7",
      conversationRef: "slack:T9:C1",
      directRef: "slack:T9:U7",
      profile: { displayName: "P. Zeven", email: "Persoon7@Gemeente.nl" },
    });
    const identity = await oneWhere(database.db, "ChatIdentity", { platform: "slack", platformUserId: "U7" });
    expect(identity.personId).toBe(imported.id);
  });
});
