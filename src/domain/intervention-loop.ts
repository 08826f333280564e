// Advisers close the loop on suggested learning interventions: they mark one planned (for a
// date and projects), given, or dismissed, and later digests report what was planned and given.
// For a given one the digest sets the affected projects' figures before and after side by side
// as an observation: only when both periods cover at least the minimum group size, and never
// as a claim that the intervention caused the change.
import type { Gated, ProjectName } from "./digest-content.ts";
import type { InterventionKind } from "./intervention.ts";
import type { InterventionStatus } from "./record-status.ts";

export type InterventionMark = {
  id: string;
  interventionId: string;
  themeId: string;
  status: InterventionStatus;
  /** Local dates, "2026-12-01". */
  plannedFor: string | null;
  givenOn: string | null;
  /** Empty: the whole organisation. */
  projectIds: string[];
  digestId: string | null;
  /** The period of the digest it was marked on: a dismissal holds for that period. */
  periodStart: Date;
  periodEnd: Date;
};

export type CustomIntervention = {
  id: string;
  theme: string;
  kind: InterventionKind;
  title: string;
  description: string;
};

/** One side of a before/after comparison, as the database counts it. */
export type WindowFacts = {
  /** Distinct people who answered a retro of the affected projects in the window. */
  people: number;
  /** "How well did we learn" (1–5) answers and their average; null without answers. */
  responses: number;
  average: number | null;
  /** Lessons on the intervention's theme from the affected projects. */
  themeLessons: number;
};

export type GivenFacts = {
  interventionId: string;
  themeId: string;
  givenOn: string;
  projects: ProjectName[];
  /** Each window's length: from the day it was given to the end of the digest's period. */
  days: number;
  before: WindowFacts;
  after: WindowFacts;
};

export type Observation = {
  learningBefore: number | null;
  learningAfter: number | null;
  themeBefore: number;
  themeAfter: number;
};

export type LoopContent = {
  planned: { interventionId: string; themeId: string; plannedFor: string | null; projects: ProjectName[] }[];
  given: {
    interventionId: string;
    themeId: string;
    givenOn: string;
    projects: ProjectName[];
    days: number;
    observation: Gated<Observation>;
  }[];
  /** The organisation's own interventions, as written, so the digest names them later too. */
  custom: CustomIntervention[];
};

/** Given interventions are reported for this many digest periods after they were given. */
export const GIVEN_REPORTED_PERIODS = 6;

const round = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

export function buildLoop(input: {
  planned: LoopContent["planned"];
  given: GivenFacts[];
  custom: CustomIntervention[];
  minGroupSize: number;
}): LoopContent {
  return {
    planned: input.planned,
    given: input.given.map((facts) => ({
      interventionId: facts.interventionId,
      themeId: facts.themeId,
      givenOn: facts.givenOn,
      projects: facts.projects,
      days: facts.days,
      observation:
        facts.before.people >= input.minGroupSize && facts.after.people >= input.minGroupSize
          ? {
              shown: true,
              learningBefore: round(facts.before.average),
              learningAfter: round(facts.after.average),
              themeBefore: facts.before.themeLessons,
              themeAfter: facts.after.themeLessons,
            }
          : { shown: false },
    })),
    custom: input.custom,
  };
}

/**
 * The suggestions still open in a period: not planned (the plan is reported instead), not
 * given in the period, and not dismissed for a period that overlaps it.
 */
export function openSuggestions(
  suggested: { themeId: string; ids: string[] }[],
  marks: readonly InterventionMark[],
  period: { start: Date; end: Date },
): { themeId: string; ids: string[] }[] {
  const closed = (themeId: string, id: string) =>
    marks.some((mark) => {
      if (mark.interventionId !== id || mark.themeId !== themeId) return false;
      if (mark.status === "planned") return true;
      if (mark.status === "dismissed") return mark.periodStart < period.end && mark.periodEnd > period.start;
      const given = mark.givenOn ? new Date(`${mark.givenOn}T00:00:00Z`) : null;
      return given !== null && given >= period.start && given < period.end;
    });
  return suggested.map((row) => ({ themeId: row.themeId, ids: row.ids.filter((id) => !closed(row.themeId, id)) }));
}
