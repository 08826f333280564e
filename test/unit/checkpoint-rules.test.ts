import { describe, expect, it } from "vitest";
import { effectiveStrength } from "../../src/domain/checkpoint-definition.ts";
import { parseCommand } from "../../src/domain/command.ts";
import { appliesTo, readFlags, suggestFlags } from "../../src/domain/project-flags.ts";
import { planImport } from "../../src/domain/project-import.ts";

describe("checkpoint rules", () => {
  it("applies a checkpoint unless every flag it names was answered no", () => {
    expect(appliesTo([], { "personal-data": false })).toBe(true);
    expect(appliesTo(["personal-data"], {})).toBe(true);
    expect(appliesTo(["personal-data"], { "personal-data": false })).toBe(false);
    expect(appliesTo(["procurement", "own-software"], { procurement: false })).toBe(true);
    expect(readFlags({ "personal-data": true, bogus: true, "ai-system": "yes" })).toEqual({ "personal-data": true });
  });

  it("raises a strength with a flag, and keeps a law not yet in force recommended until its date", () => {
    const fria = {
      strength: "recommended" as const,
      requiredIf: ["high-risk-ai" as const],
      requiredFrom: { date: "2027-12-02", source: "https://example.org" },
    };
    expect(effectiveStrength(fria, {}, new Date("2028-01-01"))).toBe("recommended");
    expect(effectiveStrength(fria, { "high-risk-ai": true }, new Date("2027-06-01"))).toBe("recommended");
    expect(effectiveStrength(fria, { "high-risk-ai": true }, new Date("2027-12-02"))).toBe("required");
  });

  it("suggests flags from the mission and domain, never ones the lead answered", () => {
    const mission = "Een chatbot die inwoners helpt met vergunningen";
    expect(suggestFlags(mission, "operations", {})).toEqual(expect.arrayContaining(["personal-data", "ai-system"]));
    expect(suggestFlags(mission, "operations", { "ai-system": false })).not.toContain("ai-system");
  });

  it("parses the checkpoint, flag, evidence and sponsor commands in both languages", () => {
    expect(parseCommand("toetspunten")).toEqual({ name: "checkpoints" });
    expect(parseCommand("checkpunten")).toEqual({ name: "checkpoints" });
    expect(parseCommand("kenmerken")).toEqual({ name: "flags", flag: null, value: null });
    expect(parseCommand("kenmerken persoonsgegevens ja")).toEqual({
      name: "flags",
      flag: "personal-data",
      value: true,
    });
    expect(parseCommand("flags high-risk-ai no")).toEqual({ name: "flags", flag: "high-risk-ai", value: false });
    expect(parseCommand("flags nonsense yes")).toMatchObject({ flag: "invalid" });
    expect(parseCommand("onderbouwing dpia-before-start DPIA v2 vastgesteld")).toEqual({
      name: "evidence",
      key: "dpia-before-start",
      text: "DPIA v2 vastgesteld",
    });
    expect(parseCommand("rol Lotte opdrachtgever")).toEqual({ name: "role", person: "Lotte", role: "sponsor" });
  });

  it("reads optional flag columns in an import", () => {
    const header = "project,phase,cadence,person,email,role,discipline,locale,personal-data,ai-system";
    const rows = [
      "Loket,pilot,,Sanne,sanne@example.org,lead,,,ja,",
      "Loket,pilot,,Karin,karin@example.org,opdrachtgever,,,,no",
    ];
    const records = [header, ...rows].map((text, index) => ({ line: index + 1, cells: text.split(",") }));
    const planned = planImport(records);
    if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
    expect(planned.plan.projects[0]?.flags).toEqual({ "personal-data": true, "ai-system": false });
    expect(planned.plan.roles.map((role) => role.role)).toEqual(["lead", "sponsor"]);
    const bad = planImport([
      records[0] as (typeof records)[number],
      { line: 2, cells: `${rows[0]}`.replace(",ja,", ",wel,").split(",") },
    ]);
    expect(bad.ok ? [] : bad.problems).toEqual([{ line: 2, field: "personal-data", code: "yes-no" }]);
  });
});
