import { describe, expect, it } from "vitest";
import { validateAnswers } from "../../src/domain/answer-validation.ts";
import { nextOpening } from "../../src/domain/cadence.ts";
import { needsNudge, snoozeUntil } from "../../src/domain/checkpoint-due.ts";
import { parseCommand } from "../../src/domain/command.ts";
import { summariseCycle } from "../../src/domain/cycle-summary.ts";
import { cycleWindow } from "../../src/domain/cycle-window.ts";
import { buildDigestContent } from "../../src/domain/digest-content.ts";
import { nextPhase } from "../../src/domain/phase.ts";
import type { Question } from "../../src/domain/retro-format.ts";
import { suggestThemes } from "../../src/domain/theme-tagging.ts";

const questions: Question[] = [
  { key: "learned", kind: "multiline", text: "What did we learn?", yields: "lesson", required: true },
  { key: "next", kind: "text", text: "What will we do?", yields: "action", required: false },
  { key: "score", kind: "scale", text: "How well?", yields: "none", required: true },
];

describe("cadence", () => {
  const weekly = { kind: "weekly", weekday: 4, time: "15:00", everyWeeks: 2, timezone: "Europe/Amsterdam" } as const;

  it("keeps 15:00 local time across the change to winter time", () => {
    const first = nextOpening(weekly, new Date("2026-10-13T12:00:00Z"));
    expect(first.toISOString()).toBe("2026-10-15T13:00:00.000Z"); // 15:00 CEST
    const second = nextOpening(weekly, first, first);
    expect(second.toISOString()).toBe("2026-10-29T14:00:00.000Z"); // 15:00 CET, two weeks later
  });

  it("opens at the first matching moment strictly after now", () => {
    expect(nextOpening(weekly, new Date("2026-10-15T13:00:00Z")).toISOString()).toBe("2026-10-22T13:00:00.000Z");
  });

  it("finds the nth weekday of the month", () => {
    const monthly = { kind: "monthly", weekday: 2, nth: 1, time: "10:00", timezone: "Europe/Amsterdam" } as const;
    expect(nextOpening(monthly, new Date("2026-11-04T00:00:00Z")).toISOString()).toBe("2026-12-01T09:00:00.000Z");
  });

  it("counts minute cadences from the previous opening and never returns the past", () => {
    const now = new Date("2026-11-23T10:00:00Z");
    const previous = new Date("2026-11-23T09:58:00Z");
    expect(nextOpening({ kind: "minutes", every: 3 }, now, previous).toISOString()).toBe("2026-11-23T10:01:00.000Z");
    expect(nextOpening({ kind: "minutes", every: 1 }, now, previous)).toEqual(now);
  });

  it("reminds and closes within the answer window", () => {
    const window = cycleWindow(new Date("2026-11-23T10:00:00Z"), 120, 50);
    expect(window.remindsAt.toISOString()).toBe("2026-11-23T11:00:00.000Z");
    expect(window.closesAt.toISOString()).toBe("2026-11-23T12:00:00.000Z");
  });
});

describe("answer validation", () => {
  it("accepts complete answers and drops blank optional ones", () => {
    const result = validateAnswers(questions, { learned: " Betrek bewoners ", next: "", score: "4" });
    expect(result).toEqual({
      ok: true,
      answers: [
        { questionKey: "learned", text: "Betrek bewoners", score: null },
        { questionKey: "score", text: null, score: 4 },
      ],
    });
  });

  it("names every problem: missing, too long, not a score, unknown question", () => {
    const result = validateAnswers(questions, { learned: "", next: "x".repeat(501), score: "9", other: "?" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => `${problem.questionKey}:${problem.code}`).sort()).toEqual(
      ["learned:required", "next:too-long", "other:unknown-question", "score:not-a-score"].sort(),
    );
  });
});

describe("commands", () => {
  it("understands English and Dutch", () => {
    expect(parseCommand("retro now")).toEqual({ name: "retro-now" });
    expect(parseCommand("Retro  NU")).toEqual({ name: "retro-now" });
    expect(parseCommand("lessen bewoners betrekken")).toEqual({ name: "lessons", query: "bewoners betrekken" });
    expect(parseCommand("acties")).toEqual({ name: "actions" });
    expect(parseCommand("projecten")).toEqual({ name: "portfolio" });
    expect(parseCommand("portefeuille")).toEqual({ name: "portfolio" });
    expect(parseCommand("")).toEqual({ name: "help" });
    expect(parseCommand("retro later")).toEqual({ name: "unknown", text: "retro later" });
    expect(parseCommand("lessonsx")).toEqual({ name: "unknown", text: "lessonsx" });
  });
});

describe("themes", () => {
  const themes = [
    { id: "user-involvement", label: "Users", keywords: ["gebruiker", "bewoner", "user"] },
    { id: "data-ethics-privacy", label: "Privacy", keywords: ["dpia", "privacy"] },
  ];
  it("suggests themes whose stems start a word, most matches first", () => {
    expect(suggestThemes("Gebruikers en bewoners vroeg betrekken; DPIA later", themes)).toEqual([
      "user-involvement",
      "data-ethics-privacy",
    ]);
    expect(suggestThemes("Niets relevants", themes)).toEqual([]);
  });
});

describe("checkpoints", () => {
  const now = new Date("2026-11-23T09:00:00Z");
  const base = { status: "open", dueAt: new Date("2026-11-20T00:00:00Z"), snoozedUntil: null, lastNudgedAt: null };
  it("nudges when due, at most weekly, not while snoozed or decided", () => {
    expect(needsNudge(base, now)).toBe(true);
    expect(needsNudge({ ...base, dueAt: new Date("2026-12-01T00:00:00Z") }, now)).toBe(false);
    expect(needsNudge({ ...base, status: "done" }, now)).toBe(false);
    expect(needsNudge({ ...base, snoozedUntil: snoozeUntil(now, 1) }, now)).toBe(false);
    expect(needsNudge({ ...base, lastNudgedAt: new Date("2026-11-18T09:00:00Z") }, now)).toBe(false);
    expect(needsNudge({ ...base, lastNudgedAt: new Date("2026-11-16T08:00:00Z") }, now)).toBe(true);
  });
  it("knows the phase that follows", () => {
    expect(nextPhase("pilot")).toBe("implement");
    expect(nextPhase("scale")).toBeUndefined();
  });
});

describe("privacy in aggregates", () => {
  it("hides score averages below the minimum group size", () => {
    const answers = [
      { questionKey: "score", text: null, score: 2 },
      { questionKey: "score", text: null, score: 5 },
      { questionKey: "learned", text: "A", score: null },
    ];
    const small = summariseCycle(questions, answers, { invited: 4, answered: 2 }, 3);
    expect(small.questions.find((q) => q.key === "score")?.average).toBeNull();
    const large = summariseCycle(
      questions,
      [...answers, { questionKey: "score", text: null, score: 5 }],
      { invited: 4, answered: 3 },
      3,
    );
    expect(large.questions.find((q) => q.key === "score")?.average).toBe(4);
    expect(large.questions.find((q) => q.key === "learned")?.answers).toEqual(["A"]);
  });

  it("groups digest lessons by theme and shows participation only for large enough groups", () => {
    const lesson = (id: string, projectName: string, themes: string[]) => ({
      id,
      text: id,
      projectName,
      themes,
      usefulCount: 0,
    });
    const content = buildDigestContent({
      periodStart: new Date("2026-11-16T00:00:00Z"),
      periodEnd: new Date("2026-11-23T00:00:00Z"),
      facts: {
        lessonsPerBucket: [{ bucket: 0, lessons: 3 }],
        themeBuckets: [
          { themeId: "scaling", bucket: 0, lessons: 2, projects: 2 },
          { themeId: "data", bucket: 0, lessons: 1, projects: 1 },
          { themeId: "other", bucket: 0, lessons: 1, projects: 1 },
        ],
        topLessons: [lesson("a", "P", ["scaling"]), lesson("b", "Q", ["scaling", "data"]), lesson("c", "Q", [])],
        participation: [
          { projectName: "P", people: 2, invited: 4, answered: 3 },
          { projectName: "Q", people: 3, invited: 3, answered: 2 },
        ],
        participationBuckets: [],
        learningScores: [],
        pulseScores: [],
        followThrough: [],
        stalled: [],
      },
      interventions: [],
      minGroupSize: 3,
    });
    expect(content.themes.map((theme) => [theme.themeId, theme.lessons.length])).toEqual([
      ["scaling", 2],
      ["data", 1],
      ["other", 1],
    ]);
    expect(content.participation).toEqual([
      { projectName: "P", shown: false },
      { projectName: "Q", shown: true, invited: 3, answered: 2 },
    ]);
  });
});
