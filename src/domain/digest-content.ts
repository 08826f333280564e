// What learning advisers receive: what teams learned across the organisation, as data.
// Every figure over people is hidden below the organisation's minimum group size, and
// anonymous projects are never named: their rows carry no project name at all.

import type { LoopContent } from "./intervention-loop.ts";

export type DigestLesson = { id: string; text: string; projectName: string; themes: string[] };
/** invited/answered count invitations over the period's cycles; people counts distinct persons. */
export type ProjectParticipation = { projectName: string; people: number; invited: number; answered: number };

export const UNTHEMED = "other";
/** How many earlier periods (besides the current one) the charts and trends look back. */
export const DIGEST_HISTORY_PERIODS = 5;
/** Lessons shown per theme, most useful first; the count covers them all. */
export const LESSONS_PER_THEME = 5;
export const HIGHLIGHTS = 3;
/** Themes drawn in the themes-over-time chart. */
export const CHARTED_THEMES = 5;
/** Open checkpoints nudged this often without an answer make a project stuck. */
export const IGNORED_NUDGES = 3;

/** A figure over people: shown, or hidden because it covers too few of them. */
export type Gated<T> = ({ shown: true } & T) | { shown: false };

/** null projectName: an anonymous project (or all of them together), never named. */
export type ProjectName = string | null;

export type StallReason = "no-retro" | "overstaying" | "ignored-checkpoints";

/**
 * Raw aggregates for one period and the ones before it, as the database returns them.
 * `bucket` 0 is the digest's period, 1 the one before, and so on.
 */
export type DigestFacts = {
  lessonsPerBucket: { bucket: number; lessons: number }[];
  themeBuckets: { themeId: string; bucket: number; lessons: number; projects: number }[];
  /** The most useful lessons of the period per theme (a lesson may come once per theme). */
  topLessons: { id: string; text: string; projectName: ProjectName; themes: string[]; usefulCount: number }[];
  participation: { projectName: ProjectName; people: number; invited: number; answered: number }[];
  participationBuckets: { bucket: number; people: number; invited: number; answered: number }[];
  /** people: distinct persons who answered the cycles the scores come from. */
  learningScores: { bucket: number; people: number; responses: number; average: number }[];
  /** Per closed cycle that asked the team pulse, per statement: its respondents, responses and their sum. */
  pulseScores: {
    bucket: number;
    cycleId: string;
    respondents: number;
    questionKey: string;
    responses: number;
    sum: number;
  }[];
  followThrough: {
    bucket: number;
    projectName: ProjectName;
    people: number;
    reviewed: number;
    done: number;
    notYet: number;
    dropped: number;
  }[];
  stalled: {
    projectName: ProjectName;
    phase: string;
    /** The last two cycles were skipped or got no answer. */
    quietCycles: boolean;
    /** Days past the phase's gate date, when past it. */
    overdueDays: number | null;
    ignoredCheckpoints: number;
  }[];
};

export type LessonItem = { text: string; projectName: ProjectName; usefulCount: number; themes: string[] };
type Counts = { invited: number; answered: number };
type Reviewed = { reviewed: number; done: number; notYet: number; dropped: number };
export type PeriodRef = { periodStart: string; periodEnd: string };
export type Trend = "new" | "up" | "down" | "steady";

export type DigestContent = {
  version: 2;
  periodStart: string;
  periodEnd: string;
  minGroupSize: number;
  lessonCount: number;
  previousLessonCount: number;
  highlights: LessonItem[];
  themes: { themeId: string; count: number; lessons: LessonItem[] }[];
  recurring: { themeId: string; projects: number; lessons: number; previousLessons: number; trend: Trend }[];
  participation: ({ projectName: ProjectName } & Gated<Counts>)[];
  participationOverTime: (PeriodRef & Gated<Counts>)[];
  themesOverTime: { periods: PeriodRef[]; series: { themeId: string; counts: number[] }[] };
  followThrough: {
    overall: Gated<Reviewed>;
    previous: Gated<Reviewed>;
    projects: ({ projectName: ProjectName } & Gated<Reviewed>)[];
  };
  learning: (PeriodRef & Gated<{ average: number; responses: number }>)[];
  /**
   * The team pulse per period: the mean per statement (by question key) over the pulses at least
   * the minimum group size answered. Absent in digests made before the pulse existed.
   */
  teamPulse?: (PeriodRef & Gated<{ respondents: number; averages: Record<string, number> }>)[];
  stalled: { projectName: ProjectName; phase: string; reasons: StallReason[]; overdueDays: number | null }[];
  /** Suggested interventions (ids from prompts/interventions, or the organisation's own) per recurring theme. */
  interventions: { themeId: string; ids: string[] }[];
  /** What advisers planned and gave; absent in digests made before advisers could mark them. */
  loop?: LoopContent;
  /** Participation per quadruple-helix sector (members' and guests'); absent in older digests. */
  sectors?: ({ sector: string } & Gated<Counts>)[];
};

export function trendOf(current: number, previous: number): Trend {
  if (previous === 0) return current > 0 ? "new" : "steady";
  if (current > previous) return "up";
  if (current < previous) return "down";
  return "steady";
}

/** The digest's period and the earlier ones of the same length, oldest first. */
export function periodsBack(periodStart: Date, periodEnd: Date, history = DIGEST_HISTORY_PERIODS): PeriodRef[] {
  const length = periodEnd.getTime() - periodStart.getTime();
  const periods: PeriodRef[] = [];
  for (let bucket = history; bucket >= 0; bucket--) {
    periods.push({
      periodStart: new Date(periodEnd.getTime() - (bucket + 1) * length).toISOString(),
      periodEnd: new Date(periodEnd.getTime() - bucket * length).toISOString(),
    });
  }
  return periods;
}

function gate<T extends object>(people: number, minGroupSize: number, value: T): Gated<T> {
  return people >= minGroupSize ? { shown: true, ...value } : { shown: false };
}

const byName = (a: { projectName: ProjectName }, b: { projectName: ProjectName }) =>
  (a.projectName ?? "\uffff").localeCompare(b.projectName ?? "\uffff");

export function buildDigestContent(input: {
  periodStart: Date;
  periodEnd: Date;
  minGroupSize: number;
  facts: DigestFacts;
  /** Intervention ids per theme id, informal ones first. */
  interventions: { id: string; theme: string }[];
  history?: number;
}): DigestContent {
  const { facts, minGroupSize } = input;
  const history = input.history ?? DIGEST_HISTORY_PERIODS;
  const periods = periodsBack(input.periodStart, input.periodEnd, history);
  const atBucket = <T extends { bucket: number }>(rows: T[], bucket: number) => rows.filter((r) => r.bucket === bucket);
  const lessonsIn = (bucket: number) => facts.lessonsPerBucket.find((row) => row.bucket === bucket)?.lessons ?? 0;

  // New lessons by theme, the most useful first.
  const lessonsById = new Map<string, LessonItem & { id: string }>();
  for (const lesson of facts.topLessons) lessonsById.set(lesson.id, lesson);
  const rank = (a: LessonItem, b: LessonItem) => b.usefulCount - a.usefulCount;
  const current = atBucket(facts.themeBuckets, 0).sort(
    (a, b) => b.lessons - a.lessons || a.themeId.localeCompare(b.themeId),
  );
  const item = ({ text, projectName, usefulCount, themes }: LessonItem): LessonItem => ({
    text,
    projectName,
    usefulCount,
    themes,
  });
  const themes = current.map((row) => ({
    themeId: row.themeId,
    count: row.lessons,
    lessons: facts.topLessons
      .filter((lesson) => (lesson.themes.length > 0 ? lesson.themes.includes(row.themeId) : row.themeId === UNTHEMED))
      .filter((lesson, index, all) => all.findIndex((other) => other.id === lesson.id) === index)
      .sort(rank)
      .slice(0, LESSONS_PER_THEME)
      .map(item),
  }));
  // Ties (e.g. nobody marked anything useful yet) keep the database's order: newest first.
  const highlights = [...lessonsById.values()].sort(rank).slice(0, HIGHLIGHTS).map(item);

  // Themes that came up in two or more projects, against the period before.
  const previousOf = (themeId: string) =>
    atBucket(facts.themeBuckets, 1).find((row) => row.themeId === themeId)?.lessons ?? 0;
  const recurring = current
    .filter((row) => row.projects >= 2 && row.themeId !== UNTHEMED)
    .map((row) => ({
      themeId: row.themeId,
      projects: row.projects,
      lessons: row.lessons,
      previousLessons: previousOf(row.themeId),
      trend: trendOf(row.lessons, previousOf(row.themeId)),
    }));

  const charted = current.filter((row) => row.themeId !== UNTHEMED).slice(0, CHARTED_THEMES);
  const themesOverTime = {
    periods,
    series: charted.map((row) => ({
      themeId: row.themeId,
      counts: periods.map(
        (_period, index) =>
          facts.themeBuckets.find((r) => r.themeId === row.themeId && r.bucket === history - index)?.lessons ?? 0,
      ),
    })),
  };

  const participation = facts.participation
    .map((row) => ({
      projectName: row.projectName,
      ...gate(row.people, minGroupSize, { invited: row.invited, answered: row.answered }),
    }))
    .sort(byName);
  const participationOverTime = periods.map((period, index) => {
    const row = facts.participationBuckets.find((r) => r.bucket === history - index);
    return {
      ...period,
      ...gate(row?.people ?? 0, minGroupSize, { invited: row?.invited ?? 0, answered: row?.answered ?? 0 }),
    };
  });
  const learning = periods.map((period, index) => {
    const row = facts.learningScores.find((r) => r.bucket === history - index);
    return {
      ...period,
      ...gate(row?.people ?? 0, minGroupSize, {
        average: Math.round((row?.average ?? 0) * 10) / 10,
        responses: row?.responses ?? 0,
      }),
    };
  });

  const teamPulse = periods.map((period, index) => {
    // A pulse too few people answered stays out altogether, so no sum of small groups is shown.
    const rows = facts.pulseScores.filter((row) => row.bucket === history - index && row.respondents >= minGroupSize);
    const respondents = [...new Map(rows.map((row) => [row.cycleId, row.respondents])).values()].reduce(
      (sum, count) => sum + count,
      0,
    );
    const totals = new Map<string, { responses: number; sum: number }>();
    for (const row of rows) {
      const total = totals.get(row.questionKey) ?? { responses: 0, sum: 0 };
      totals.set(row.questionKey, { responses: total.responses + row.responses, sum: total.sum + row.sum });
    }
    const averages = Object.fromEntries(
      [...totals].map(([key, total]) => [key, Math.round((total.sum / total.responses) * 10) / 10]),
    );
    return {
      ...period,
      ...gate(rows.length > 0 ? respondents : 0, Math.max(1, minGroupSize), { respondents, averages }),
    };
  });

  const reviewedOf = (rows: DigestFacts["followThrough"]): Reviewed & { people: number } =>
    rows.reduce(
      (sum, row) => ({
        people: sum.people + row.people,
        reviewed: sum.reviewed + row.reviewed,
        done: sum.done + row.done,
        notYet: sum.notYet + row.notYet,
        dropped: sum.dropped + row.dropped,
      }),
      { people: 0, reviewed: 0, done: 0, notYet: 0, dropped: 0 },
    );
  const followGate = (rows: DigestFacts["followThrough"]) => {
    const { people, ...counts } = reviewedOf(rows);
    return gate(people, minGroupSize, counts);
  };
  const followThrough = {
    overall: followGate(atBucket(facts.followThrough, 0)),
    previous: followGate(atBucket(facts.followThrough, 1)),
    projects: atBucket(facts.followThrough, 0)
      .map((row) => ({ projectName: row.projectName, ...followGate([row]) }))
      .sort(byName),
  };

  const stalled = facts.stalled
    .map((row) => {
      const reasons: StallReason[] = [];
      if (row.quietCycles) reasons.push("no-retro");
      if (row.overdueDays !== null && row.overdueDays > 0) reasons.push("overstaying");
      if (row.ignoredCheckpoints > 0) reasons.push("ignored-checkpoints");
      return { projectName: row.projectName, phase: row.phase, reasons, overdueDays: row.overdueDays };
    })
    .filter((row) => row.reasons.length > 0)
    .sort(byName);

  const interventions = recurring.map((row) => ({
    themeId: row.themeId,
    ids: input.interventions.filter((candidate) => candidate.theme === row.themeId).map((candidate) => candidate.id),
  }));

  return {
    version: 2,
    periodStart: input.periodStart.toISOString(),
    periodEnd: input.periodEnd.toISOString(),
    minGroupSize,
    lessonCount: lessonsIn(0),
    previousLessonCount: lessonsIn(1),
    highlights,
    themes,
    recurring,
    participation,
    participationOverTime,
    themesOverTime,
    followThrough,
    learning,
    teamPulse,
    stalled,
    interventions,
  };
}
