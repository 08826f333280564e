// A stored digest in one language: every word resolved, ready for the chat message,
// the page, Markdown and PDF. Lesson texts are marked as written by people (`user`).
import type { DigestContent, Gated, LessonItem, ProjectName } from "../../domain/digest-content.ts";
import { UNTHEMED } from "../../domain/digest-content.ts";
import { type CustomIntervention, type InterventionMark, openSuggestions } from "../../domain/intervention-loop.ts";
import type { Locale } from "../../domain/locale.ts";
import type { PromptCatalog, Vars } from "../../ports/prompt-catalog.ts";
import { formatNumber } from "../messages/format-number.ts";
import { teamPulseSection } from "./pulse-section.ts";
import { sectorSections } from "./sector-participation.ts";

/** What the page can do with an item: mark a suggestion, or mark a planned one given. */
export type ViewAction =
  | { kind: "suggestion"; interventionId: string; themeId: string }
  | { kind: "planned"; markId: string };
export type ViewItem = { label?: string; text: string; user?: boolean; note?: string; act?: ViewAction };
export type ViewChart = {
  id: string;
  title: string;
  description: string;
  unit: string;
  categories: string[];
  /** null: too few people to show this value. */
  series: { name: string; values: (number | null)[] }[];
  /** Values with decimals, written the reader's way ("3,8"); whole numbers are shown as they are. */
  decimals?: Locale;
  max?: number;
};
export type ViewSection = { id: string; title: string; items: ViewItem[]; chart?: ViewChart };

export type DigestView = {
  locale: Locale;
  title: string;
  period: string;
  headlines: string[];
  privacyNote: string;
  sections: ViewSection[];
  /** The figures a reader checks first, for tests and exports. */
  figures: { lessons: number; recurring: number; participation: number | null; stalled: number };
};

export function formatDay(date: Date | string, locale: Locale, timeZone = "Europe/Amsterdam"): string {
  return new Intl.DateTimeFormat(locale === "nl" ? "nl-NL" : "en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone,
  }).format(new Date(date));
}

const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 100) : 0);

export function digestView(input: {
  prompts: PromptCatalog;
  locale: Locale;
  organisationName: string;
  content: DigestContent;
  /** What advisers marked since the digest was made, with their own interventions and project names. */
  live?: LiveLoop;
}): DigestView {
  const { prompts, locale, content } = input;
  const t = (key: string, vars?: Vars) => prompts.t(locale, `digests.${key}`, vars);
  const themeLabels = new Map(prompts.themes(locale).map((theme) => [theme.id, theme.label]));
  const themeLabel = (id: string) =>
    id === UNTHEMED ? prompts.t(locale, "digest.other-theme") : (themeLabels.get(id) ?? id);
  const projectLabel = (name: ProjectName) =>
    name === null ? t("anonymous-project") : name === "" ? t("no-project") : name;
  const tooFew = t("too-few");
  const day = (date: string) => formatDay(date, locale);
  const periodVars = { from: day(content.periodStart), to: day(content.periodEnd) };

  const lessonItem = (lesson: LessonItem): ViewItem => ({
    text: lesson.text,
    user: true,
    note: `${projectLabel(lesson.projectName)}, ${t("useful", { count: lesson.usefulCount })}`,
  });
  const participationText = (row: Gated<{ invited: number; answered: number }>) =>
    row.shown
      ? t("participation-item", {
          answered: row.answered,
          invited: row.invited,
          percent: percent(row.answered, row.invited),
        })
      : tooFew;
  const followText = (row: Gated<{ reviewed: number; done: number; notYet: number; dropped: number }>) =>
    row.shown
      ? t("follow-item", {
          done: row.done,
          reviewed: row.reviewed,
          notYet: row.notYet,
          dropped: row.dropped,
          percent: percent(row.done, row.reviewed),
        })
      : tooFew;

  const current = content.participationOverTime.at(-1);
  const participationNow = current?.shown ? percent(current.answered, current.invited) : null;
  const learningNow = content.learning.at(-1);
  const follow = content.followThrough.overall;
  const headlines = [
    t("headline.lessons", { count: content.lessonCount, previous: content.previousLessonCount }),
    t("headline.recurring", { count: content.recurring.length }),
    participationNow === null
      ? t("headline.participation-hidden")
      : t("headline.participation", { percent: participationNow }),
    !follow.shown
      ? t("headline.follow-through-hidden")
      : follow.reviewed === 0
        ? t("headline.follow-through-none")
        : t("headline.follow-through", { percent: percent(follow.done, follow.reviewed) }),
    learningNow?.shown
      ? t("headline.learning", { average: formatNumber(learningNow.average, locale) })
      : t("headline.learning-hidden"),
    t("headline.stalled", { count: content.stalled.length }),
  ];

  const periodLabels = content.participationOverTime.map((period) => day(period.periodEnd));
  const interventions = [...prompts.interventions(locale), ...(input.live?.custom ?? content.loop?.custom ?? [])];
  const none = [{ text: t("none") }];
  const orNone = (items: ViewItem[]) => (items.length > 0 ? items : none);

  const sections: ViewSection[] = [
    { id: "highlights", title: t("sections.highlights"), items: orNone(content.highlights.map(lessonItem)) },
    {
      id: "themes",
      title: t("sections.themes"),
      items: orNone(
        content.themes.flatMap((theme) => [
          { label: themeLabel(theme.themeId), text: `${theme.count}` },
          ...theme.lessons.map(lessonItem),
          ...(theme.count > theme.lessons.length
            ? [{ text: t("more-lessons", { count: theme.count - theme.lessons.length }) }]
            : []),
        ]),
      ),
    },
    {
      id: "recurring",
      title: t("sections.recurring"),
      items: orNone(
        content.recurring.map((row) => ({
          label: themeLabel(row.themeId),
          text: t("recurring-item", {
            lessons: row.lessons,
            projects: row.projects,
            previous: row.previousLessons,
            trend: t(`trend.${row.trend}`),
          }),
        })),
      ),
    },
    {
      id: "themes-over-time",
      title: t("sections.themes-over-time"),
      items: [],
      chart: {
        id: "themes-chart",
        title: t("chart.themes-title"),
        description: t("chart.themes-desc", { count: content.themesOverTime.series.length }),
        unit: t("chart.lessons"),
        categories: content.themesOverTime.periods.map((period) => day(period.periodEnd)),
        series: content.themesOverTime.series.map((series) => ({
          name: themeLabel(series.themeId),
          values: series.counts,
        })),
      },
    },
    {
      id: "participation",
      title: t("sections.participation"),
      items: orNone(
        content.participation.map((row) => ({
          label: row.projectName === null ? t("anonymous-projects") : projectLabel(row.projectName),
          text: participationText(row),
        })),
      ),
    },
    ...sectorSections(prompts, locale, content),
    {
      id: "participation-over-time",
      title: t("sections.participation-over-time"),
      items: content.participationOverTime.map((row, index) => ({
        label: periodLabels[index] as string,
        text: participationText(row),
      })),
      chart: {
        id: "participation-chart",
        title: t("chart.participation-title"),
        description: t("chart.participation-desc", { count: periodLabels.length }),
        unit: t("chart.percent"),
        categories: periodLabels,
        series: [
          {
            name: t("chart.percent"),
            values: content.participationOverTime.map((row) => (row.shown ? percent(row.answered, row.invited) : null)),
          },
        ],
        max: 100,
      },
    },
    {
      id: "follow-through",
      title: t("sections.follow-through"),
      items: [
        { label: t("follow-overall"), text: followText(content.followThrough.overall) },
        { label: t("follow-previous"), text: followText(content.followThrough.previous) },
        ...content.followThrough.projects.map((row) => ({
          label: row.projectName === null ? t("anonymous-projects") : projectLabel(row.projectName),
          text: followText(row),
        })),
      ],
    },
    {
      id: "learning",
      title: t("sections.learning"),
      items: content.learning.map((row, index) => ({
        label: periodLabels[index] as string,
        text: row.shown ? t("learning-item", { average: formatNumber(row.average, locale) }) : tooFew,
      })),
    },
    ...teamPulseSection({ prompts, locale, content, periodLabels }),
    {
      id: "stalled",
      title: t("sections.stalled"),
      items: orNone(
        content.stalled.map((row) => ({
          label: projectLabel(row.projectName),
          text: row.reasons
            .map((reason) =>
              t(`stalled-reason.${reason}`, {
                days: row.overdueDays ?? 0,
                count: row.overdueDays ?? 0,
                phase: prompts.t(locale, `phases.${row.phase}`),
              }),
            )
            .join("; "),
        })),
      ),
    },
    {
      id: "interventions",
      title: t("sections.interventions"),
      items: orNone(
        suggestionsOf(content, input.live).flatMap((row) =>
          row.ids.flatMap((id) => {
            const found = interventions.find((candidate) => candidate.id === id);
            if (!found) return [];
            return [
              {
                label: `${t("intervention.for-theme", { theme: themeLabel(row.themeId) })} · ${t(`intervention.${found.kind}`)}`,
                text: found.title,
                note: found.description,
                ...(input.live
                  ? { act: { kind: "suggestion" as const, interventionId: id, themeId: row.themeId } }
                  : {}),
              },
            ];
          }),
        ),
      ),
    },
    {
      id: "loop",
      title: t("sections.loop"),
      items: orNone(
        loopItems({
          content,
          live: input.live,
          title: (id) => interventions.find((candidate) => candidate.id === id)?.title ?? id,
          t,
          day,
          locale,
          projectLabel,
        }),
      ),
    },
  ];
  return {
    locale,
    title: prompts.t(locale, "digest.heading", { organisation: input.organisationName }),
    period: periodVars.from === periodVars.to ? t("page.period-one-day", periodVars) : t("page.period", periodVars),
    headlines,
    privacyNote: t("privacy-note", { count: content.minGroupSize }),
    sections,
    figures: {
      lessons: content.lessonCount,
      recurring: content.recurring.length,
      participation: participationNow,
      stalled: content.stalled.length,
    },
  };
}

export type LiveLoop = {
  marks: InterventionMark[];
  custom: CustomIntervention[];
  /** Names of the projects marks name; null for an anonymous project. */
  projectNames: Map<string, string | null>;
};

function suggestionsOf(content: DigestContent, live: LiveLoop | undefined) {
  if (!live) return content.interventions;
  const period = { start: new Date(content.periodStart), end: new Date(content.periodEnd) };
  return openSuggestions(content.interventions, live.marks, period);
}

/** Planned interventions (live when known) and given ones with what followed, worded as an observation. */
function loopItems(input: {
  content: DigestContent;
  live: LiveLoop | undefined;
  title: (interventionId: string) => string;
  t: (key: string, vars?: Vars) => string;
  day: (date: string) => string;
  locale: Locale;
  projectLabel: (name: ProjectName) => string;
}): ViewItem[] {
  const { t, day, live } = input;
  const projectsText = (projects: ProjectName[]) =>
    projects.length === 0 ? t("loop.whole-organisation") : projects.map(input.projectLabel).join(", ");
  const planned: ViewItem[] = live
    ? live.marks
        .filter((mark) => mark.status === "planned")
        .map((mark) => ({
          label: input.title(mark.interventionId),
          text: t("loop.planned", {
            date: mark.plannedFor ? day(mark.plannedFor) : "",
            projects: projectsText(
              mark.projectIds.filter((id) => live.projectNames.has(id)).map((id) => live.projectNames.get(id) ?? null),
            ),
          }),
          act: { kind: "planned", markId: mark.id },
        }))
    : (input.content.loop?.planned ?? []).map((row) => ({
        label: input.title(row.interventionId),
        text: t("loop.planned", {
          date: row.plannedFor ? day(row.plannedFor) : "",
          projects: projectsText(row.projects),
        }),
      }));
  const score = (value: number | null) => (value === null ? t("loop.no-score") : formatNumber(value, input.locale));
  const given: ViewItem[] = (input.content.loop?.given ?? []).map((row) => ({
    label: input.title(row.interventionId),
    text: t("loop.given", { date: day(row.givenOn), projects: projectsText(row.projects) }),
    note: row.observation.shown
      ? t("loop.observation", {
          days: row.days,
          count: row.days,
          before: score(row.observation.learningBefore),
          after: score(row.observation.learningAfter),
          themeBefore: row.observation.themeBefore,
          themeAfter: row.observation.themeAfter,
        })
      : t("loop.too-few"),
  }));
  return [...planned, ...given];
}
