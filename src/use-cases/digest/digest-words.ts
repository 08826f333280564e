// The words every part of a digest view shares: the digest's prompts in one language, and
// how themes, projects, days and withheld figures read there.
import type { DigestContent, Gated, LessonItem, ProjectName } from "../../domain/digest-content.ts";
import { UNTHEMED } from "../../domain/digest-content.ts";
import { formatDay } from "../../domain/digest-day.ts";
import type { Locale } from "../../domain/locale.ts";
import type { ViewItem } from "../../ports/digest-view.ts";
import type { PromptCatalog, Vars } from "../../ports/prompt-catalog.ts";

export type DigestWords = {
  prompts: PromptCatalog;
  locale: Locale;
  content: DigestContent;
  /** A `digests.*` prompt. */
  t: (key: string, vars?: Vars) => string;
  themeLabel: (themeId: string) => string;
  projectLabel: (name: ProjectName) => string;
  day: (date: string) => string;
  /** Said instead of a figure over fewer people than the minimum group size. */
  tooFew: string;
  /** The end day of each period, the labels of the over-time rows and charts. */
  periodLabels: string[];
};

export const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 100) : 0);

export function digestWords(prompts: PromptCatalog, locale: Locale, content: DigestContent): DigestWords {
  const t = (key: string, vars?: Vars) => prompts.t(locale, `digests.${key}`, vars);
  const themeLabels = new Map(prompts.themes(locale).map((theme) => [theme.id, theme.label]));
  const day = (date: string) => formatDay(date, locale);
  return {
    prompts,
    locale,
    content,
    t,
    themeLabel: (id) => (id === UNTHEMED ? prompts.t(locale, "digest.other-theme") : (themeLabels.get(id) ?? id)),
    projectLabel: (name) => (name === null ? t("anonymous-project") : name === "" ? t("no-project") : name),
    day,
    tooFew: t("too-few"),
    periodLabels: content.participationOverTime.map((period) => day(period.periodEnd)),
  };
}

export const lessonItem = (words: DigestWords, lesson: LessonItem): ViewItem => ({
  text: lesson.text,
  user: true,
  note: `${words.projectLabel(lesson.projectName)}, ${words.t("useful", { count: lesson.usefulCount })}`,
});

/** A row over projects, where the anonymous ones are counted together. */
export const projectRowLabel = (words: DigestWords, name: ProjectName) =>
  name === null ? words.t("anonymous-projects") : words.projectLabel(name);

export const participationText = (words: DigestWords, row: Gated<{ invited: number; answered: number }>) =>
  row.shown
    ? words.t("participation-item", {
        answered: row.answered,
        invited: row.invited,
        percent: percent(row.answered, row.invited),
      })
    : words.tooFew;

export const followText = (
  words: DigestWords,
  row: Gated<{ reviewed: number; done: number; notYet: number; dropped: number }>,
) =>
  row.shown
    ? words.t("follow-item", {
        done: row.done,
        reviewed: row.reviewed,
        notYet: row.notYet,
        dropped: row.dropped,
        percent: percent(row.done, row.reviewed),
      })
    : words.tooFew;

/** A section with nothing to list says so. */
export const orNone = (words: DigestWords, items: ViewItem[]): ViewItem[] =>
  items.length > 0 ? items : [{ text: words.t("none") }];
