import type { CycleSummary } from "../../domain/cycle-summary.ts";
import { formatNumber } from "../../domain/format-number.ts";
import type { Locale } from "../../domain/locale.ts";
import { type Block, type Message, plain, type Text, withUserText } from "../../domain/message.ts";
import type { Question } from "../../domain/retro-format.ts";
import type { PulseResult } from "../../domain/team-pulse.ts";
import type { LessonHit } from "../../ports/lesson-store.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import { pulseSummaryBlocks } from "./pulse-summary.ts";

export const LESSON_CONFIRM = "lesson.confirm";
export const LESSON_DISMISS = "lesson.dismiss";
export const LESSON_UNDO = "lesson.undo";

export const lessonItem = (lessonId: string) => `lesson:${lessonId}`;

/** The lead's Save / Not a lesson buttons of a proposed lesson. */
export function lessonButtons(prompts: PromptCatalog, locale: Locale, lessonId: string, leadIds?: string[]): Block {
  const t = (key: string) => prompts.t(locale, key);
  return {
    type: "actions",
    item: lessonItem(lessonId),
    locale,
    ...(leadIds ? { onlyFor: leadIds } : {}),
    buttons: [
      { actionId: LESSON_CONFIRM, label: t("retro.summary.save-lesson"), value: lessonId, style: "primary" },
      { actionId: LESSON_DISMISS, label: t("retro.summary.not-a-lesson"), value: lessonId },
    ],
  };
}

/**
 * Each proposed lesson with its themes and the lead's Save / Not a lesson buttons (`leadIds`:
 * shown to the leads alone where a platform draws per viewer).
 */
export function proposedLessonBlocks(
  prompts: PromptCatalog,
  locale: Locale,
  lessons: LessonHit[],
  leadIds?: string[],
): Block[] {
  const t = (key: string, vars?: Record<string, string | number>) => prompts.t(locale, key, vars);
  const themeLabels = new Map(prompts.themes(locale).map((theme) => [theme.id, theme.label]));
  const blocks: Block[] = [];
  for (const lesson of lessons) {
    blocks.push({ type: "paragraph", text: [{ user: lesson.text }] });
    if (lesson.themes.length > 0) {
      const labels = lesson.themes.map((id) => themeLabels.get(id) ?? id).join(", ");
      blocks.push({ type: "context", text: [t("retro.summary.themes", { themes: labels })] });
    }
    blocks.push(lessonButtons(prompts, locale, lesson.id, leadIds));
  }
  return blocks;
}

/**
 * Posted to the team channel when a cycle closes. Its actions follow as proposals in a message
 * of their own, where owners choose them: an owner is never derived from who wrote the answer. With fewer answerers than the
 * organisation's minimum group size (`withheld`), no answer text is posted at all.
 */
export function summaryMessage(input: {
  prompts: PromptCatalog;
  locale: Locale;
  projectName: string;
  sequence: number;
  summary: CycleSummary;
  lessons: LessonHit[];
  actions: { text: string }[];
  withheld: boolean;
  /** The team pulse, in cycles that asked it. */
  pulse?: { statements: readonly Question[]; result: PulseResult; minGroupSize: number };
  /** The project's leads: only they decide on lessons. */
  leadIds?: string[];
  /** Questions whose answers follow grouped by theme, to vote on: not listed here; the vote makes the actions. */
  grouped?: ReadonlySet<string>;
}): Message {
  const t = (key: string, vars?: Record<string, string | number>) => input.prompts.t(input.locale, key, vars);
  const { summary } = input;
  if (summary.answered === 0) return nobodyAnsweredMessage(input);
  const participation = t("retro.summary.participation", {
    answered: summary.answered,
    invited: summary.invited,
    count: summary.answered,
  });
  const heading = t("retro.summary.heading", { project: input.projectName, sequence: input.sequence });
  const blocks: Block[] = [
    {
      type: "heading",
      text: withUserText((user) => t("retro.summary.heading", { ...user, sequence: input.sequence }), {
        project: input.projectName,
      }),
    },
    { type: "paragraph", text: [participation] },
  ];
  if (input.withheld) {
    blocks.push({ type: "paragraph", text: [t("retro.summary.withheld")] });
    return { fallback: `${heading} ${participation} ${t("retro.summary.withheld")}`, blocks, locale: input.locale };
  }
  for (const question of summary.questions) {
    if (input.grouped?.has(question.key)) continue;
    if (question.kind === "scale") {
      const value =
        question.average === null
          ? t("retro.summary.too-few", { count: question.scoreCount })
          : t("retro.summary.average", {
              average: formatNumber(question.average, input.locale),
              count: question.scoreCount,
            });
      blocks.push({ type: "fields", fields: [{ label: question.text, value: [value] }] });
      continue;
    }
    blocks.push({ type: "paragraph", text: [question.text] });
    blocks.push(
      question.answers.length > 0
        ? { type: "list", items: question.answers.map((answer): Text => [{ user: answer }]) }
        : { type: "context", text: [t("retro.summary.no-answers")] },
    );
  }
  if (input.pulse) {
    blocks.push(...pulseSummaryBlocks({ prompts: input.prompts, locale: input.locale, ...input.pulse }));
  }
  blocks.push({ type: "heading", text: [t("retro.summary.lessons-heading", { count: input.lessons.length })] });
  if (input.lessons.length > 0) blocks.push({ type: "context", text: [t("retro.summary.lessons-intro")] });
  blocks.push(...proposedLessonBlocks(input.prompts, input.locale, input.lessons, input.leadIds));
  if (input.grouped) {
    blocks.push({ type: "context", text: [t("sense.summary.grouped")] });
    return { fallback: `${heading} ${participation}`, blocks, locale: input.locale };
  }
  blocks.push({ type: "heading", text: [t("retro.summary.actions-heading", { count: input.actions.length })] });
  // The actions themselves follow as proposals, each with the buttons to take it.
  if (input.actions.length > 0) blocks.push({ type: "context", text: [t("retro.summary.actions-proposed")] });
  return { fallback: `${heading} ${participation}`, blocks, locale: input.locale };
}

/** A retro nobody answered: one line in the channel, not a summary of empty sections. */
function nobodyAnsweredMessage(input: {
  prompts: PromptCatalog;
  locale: Locale;
  projectName: string;
  sequence: number;
}): Message {
  const t = (key: string, vars: Record<string, string | number>) => input.prompts.t(input.locale, key, vars);
  const text = withUserText((user) => t("retro.summary.nobody", { ...user, sequence: input.sequence }), {
    project: input.projectName,
  });
  return { fallback: plain(text), blocks: [{ type: "paragraph", text }], locale: input.locale };
}

/** To each lead alone: lessons proposed from a retro whose answers were too few to share. */
export function withheldLessonsMessage(input: {
  prompts: PromptCatalog;
  locale: Locale;
  projectName: string;
  sequence: number;
  lessons: LessonHit[];
}): Message {
  const t = (key: string, vars?: Record<string, string | number>) => input.prompts.t(input.locale, key, vars);
  const heading = t("retro.summary.withheld-lessons.heading", { project: input.projectName, sequence: input.sequence });
  return {
    fallback: heading,
    locale: input.locale,
    blocks: [
      {
        type: "heading",
        text: withUserText(
          (user) => t("retro.summary.withheld-lessons.heading", { ...user, sequence: input.sequence }),
          {
            project: input.projectName,
          },
        ),
      },
      { type: "context", text: [t("retro.summary.withheld-lessons.intro")] },
      ...proposedLessonBlocks(input.prompts, input.locale, input.lessons),
    ],
  };
}
