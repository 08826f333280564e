import { describe, expect, it } from "vitest";
import { buildLoop, type InterventionMark, openSuggestions } from "../../src/domain/intervention-loop.ts";

const WEEK = { start: new Date("2026-11-16T10:00:00Z"), end: new Date("2026-11-23T10:00:00Z") };
const NEXT = { start: WEEK.end, end: new Date("2026-11-30T10:00:00Z") };
const mark = (fields: Partial<InterventionMark>): InterventionMark => ({
  id: "m",
  interventionId: "scaling-coaching",
  themeId: "scaling",
  status: "dismissed",
  plannedFor: null,
  givenOn: null,
  projectIds: [],
  digestId: "d",
  periodStart: WEEK.start,
  periodEnd: WEEK.end,
  ...fields,
});
const suggested = [{ themeId: "scaling", ids: ["scaling-peer-consultation", "scaling-coaching"] }];

describe("the intervention loop", () => {
  it("a dismissal holds for its own period only", () => {
    expect(openSuggestions(suggested, [mark({})], WEEK)[0]?.ids).toEqual(["scaling-peer-consultation"]);
    expect(openSuggestions(suggested, [mark({})], NEXT)[0]?.ids).toEqual(suggested[0]?.ids);
  });

  it("a planned one is reported, not suggested; a given one rests for the period it was given in", () => {
    expect(openSuggestions(suggested, [mark({ status: "planned", plannedFor: "2027-01-10" })], NEXT)[0]?.ids).toEqual([
      "scaling-peer-consultation",
    ]);
    const given = mark({ status: "given", givenOn: "2026-11-20" });
    expect(openSuggestions(suggested, [given], WEEK)[0]?.ids).toEqual(["scaling-peer-consultation"]);
    expect(openSuggestions(suggested, [given], NEXT)[0]?.ids).toEqual(suggested[0]?.ids);
    // Another theme's mark of the same id changes nothing.
    expect(openSuggestions(suggested, [mark({ themeId: "collaboration" })], WEEK)[0]?.ids).toHaveLength(2);
  });

  it("shows before and after only when both sides reach the minimum group size", () => {
    const side = (people: number, average: number | null, themeLessons: number) => ({
      people,
      responses: people,
      average,
      themeLessons,
    });
    const facts = {
      interventionId: "scaling-coaching",
      themeId: "scaling",
      givenOn: "2026-11-23",
      projects: ["Alpha"],
      days: 7,
    };
    const loop = buildLoop({
      planned: [],
      custom: [],
      minGroupSize: 3,
      given: [
        { ...facts, before: side(3, 4.333, 4), after: side(3, 5, 1) },
        { ...facts, before: side(2, 2, 1), after: side(5, 4, 2) },
        { ...facts, before: side(4, null, 0), after: side(3, 4, 0) },
      ],
    });
    expect(loop.given.map((row) => row.observation)).toEqual([
      { shown: true, learningBefore: 4.3, learningAfter: 5, themeBefore: 4, themeAfter: 1 },
      { shown: false },
      { shown: true, learningBefore: null, learningAfter: 4, themeBefore: 0, themeAfter: 0 },
    ]);
  });
});
