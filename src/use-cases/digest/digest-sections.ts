// The digest view's sections about lessons, participation, follow-through and stalled
// projects, one function each, in the order the digest shows them.
import { formatNumber } from "../../domain/format-number.ts";
import type { ViewSection } from "../../ports/digest-view.ts";
import {
  type DigestWords,
  followText,
  lessonItem,
  orNone,
  participationText,
  percent,
  projectRowLabel,
} from "./digest-words.ts";

export function highlightsSection(words: DigestWords): ViewSection {
  const items = words.content.highlights.map((lesson) => lessonItem(words, lesson));
  return { id: "highlights", title: words.t("sections.highlights"), items: orNone(words, items) };
}

export function themesSection(words: DigestWords): ViewSection {
  const { t } = words;
  const items = words.content.themes.flatMap((theme) => [
    { label: words.themeLabel(theme.themeId), text: `${theme.count}` },
    ...theme.lessons.map((lesson) => lessonItem(words, lesson)),
    ...(theme.count > theme.lessons.length
      ? [{ text: t("more-lessons", { count: theme.count - theme.lessons.length }) }]
      : []),
  ]);
  return { id: "themes", title: t("sections.themes"), items: orNone(words, items) };
}

export function recurringSection(words: DigestWords): ViewSection {
  const { t } = words;
  const items = words.content.recurring.map((row) => ({
    label: words.themeLabel(row.themeId),
    text: t("recurring-item", {
      lessons: row.lessons,
      projects: row.projects,
      previous: row.previousLessons,
      trend: t(`trend.${row.trend}`),
    }),
  }));
  return { id: "recurring", title: t("sections.recurring"), items: orNone(words, items) };
}

export function themesOverTimeSection(words: DigestWords): ViewSection {
  const { t, content } = words;
  return {
    id: "themes-over-time",
    title: t("sections.themes-over-time"),
    items: [],
    chart: {
      id: "themes-chart",
      title: t("chart.themes-title"),
      description: t("chart.themes-desc", { count: content.themesOverTime.series.length }),
      unit: t("chart.lessons"),
      categories: content.themesOverTime.periods.map((period) => words.day(period.periodEnd)),
      series: content.themesOverTime.series.map((series) => ({
        name: words.themeLabel(series.themeId),
        values: series.counts,
      })),
    },
  };
}

export function participationSection(words: DigestWords): ViewSection {
  const items = words.content.participation.map((row) => ({
    label: projectRowLabel(words, row.projectName),
    text: participationText(words, row),
  }));
  return { id: "participation", title: words.t("sections.participation"), items: orNone(words, items) };
}

export function participationOverTimeSection(words: DigestWords): ViewSection {
  const { t, content, periodLabels } = words;
  return {
    id: "participation-over-time",
    title: t("sections.participation-over-time"),
    items: content.participationOverTime.map((row, index) => ({
      label: periodLabels[index] as string,
      text: participationText(words, row),
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
  };
}

export function followThroughSection(words: DigestWords): ViewSection {
  const { t } = words;
  const { followThrough } = words.content;
  return {
    id: "follow-through",
    title: t("sections.follow-through"),
    items: [
      { label: t("follow-overall"), text: followText(words, followThrough.overall) },
      { label: t("follow-previous"), text: followText(words, followThrough.previous) },
      ...followThrough.projects.map((row) => ({
        label: projectRowLabel(words, row.projectName),
        text: followText(words, row),
      })),
    ],
  };
}

export function learningSection(words: DigestWords): ViewSection {
  const { t } = words;
  return {
    id: "learning",
    title: t("sections.learning"),
    items: words.content.learning.map((row, index) => ({
      label: words.periodLabels[index] as string,
      text: row.shown ? t("learning-item", { average: formatNumber(row.average, words.locale) }) : words.tooFew,
    })),
  };
}

export function stalledSection(words: DigestWords): ViewSection {
  const { t, prompts, locale } = words;
  const items = words.content.stalled.map((row) => ({
    label: words.projectLabel(row.projectName),
    text: row.reasons
      .map((reason) =>
        t(`stalled-reason.${reason}`, {
          days: row.overdueDays ?? 0,
          count: row.overdueDays ?? 0,
          phase: prompts.t(locale, `phases.${row.phase}`),
        }),
      )
      .join("; "),
  }));
  return { id: "stalled", title: t("sections.stalled"), items: orNone(words, items) };
}
