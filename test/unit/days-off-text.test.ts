import { describe, expect, it } from "vitest";
import { cadenceProblem, parseCadence } from "../../src/domain/cadence-text.ts";
import { parseCommand, parseDate } from "../../src/domain/command.ts";
import { parseDaysOffFile } from "../../src/domain/days-off-text.ts";

describe("days off and cadences as people type them", () => {
  it("reads days off commands in English and Dutch, ranges with both ends included", () => {
    expect(parseCommand("days off")).toEqual({ name: "days-off", request: { action: "list" } });
    expect(parseCommand("vrije dagen toevoegen 28-12-2026 t/m 31-12-2026")).toEqual({
      name: "days-off",
      request: { action: "add", dates: ["2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31"] },
    });
    expect(parseCommand("days off remove 2026-12-28")).toEqual({
      name: "days-off",
      request: { action: "remove", dates: ["2026-12-28"] },
    });
    expect(parseCommand("days off add 31-02-2026")).toEqual({
      name: "days-off",
      request: { action: "add", problem: "date", text: "31-02-2026" },
    });
    expect(parseCommand("days off add 2026-12-31 2026-12-28").name).toBe("days-off");
    expect(parseCommand("days off add 2026-12-31 2026-12-28")).toMatchObject({ request: { problem: "range" } });
    expect(parseCommand("days off add 2026-01-01 2026-12-31")).toMatchObject({ request: { problem: "range" } });
  });

  it("refuses intervals of zero, below zero or over twelve weeks, and times not on the clock", () => {
    for (const text of [
      "every 0 weeks thursday 15:00",
      "elke -2 weken donderdag 15:00",
      "every 13 weeks monday 10:00",
    ]) {
      expect(parseCadence(text)).toBeNull();
      expect(cadenceProblem(text)).toEqual({ problem: "interval", max: 12 });
    }
    expect(cadenceProblem("every 2 months first monday 10:00")).toEqual({ problem: "interval", max: 12 });
    expect(cadenceProblem("weekly monday 25:00")).toEqual({ problem: "time", time: "25:00" });
    expect(cadenceProblem("wekelijks maandag 9.75")).toEqual({ problem: "time", time: "9.75" });
    expect(parseCadence("every 12 weeks monday 10:00")).toMatchObject({ everyWeeks: 12 });
    expect(parseCadence("maandelijks laatste vrijdag 15:00")).toEqual({
      kind: "monthly",
      weekday: 5,
      nth: -1,
      time: "15:00",
    });
    expect(cadenceProblem("every 2 weeks thursday 15:00")).toBeNull();
  });

  it("reads a days-off file all or nothing, naming the bad line", () => {
    expect(parseDaysOffFile("from,to,note\n2026-12-24\n28-12-2026,31-12-2026,kerst\n\n# comment\n", parseDate)).toEqual(
      {
        dates: ["2026-12-24", "2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31"],
      },
    );
    expect(parseDaysOffFile("2026-12-24\n31-02-2026\n", parseDate)).toEqual({
      problems: [{ line: 2, text: "31-02-2026" }],
    });
  });
});
